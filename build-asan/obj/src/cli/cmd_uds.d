build-asan/obj/src/cli/cmd_uds.o: src/cli/cmd_uds.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/canlink.h include/obdgw/isotp.h include/obdgw/store_uds.h \
 include/obdgw/store.h include/obdgw/session.h include/obdgw/dtcdb.h \
 include/obdgw/dtc.h include/obdgw/obd.h include/obdgw/vin.h \
 include/obdgw/uds_scan.h include/obdgw/uds.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/canlink.h:
include/obdgw/isotp.h:
include/obdgw/store_uds.h:
include/obdgw/store.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/uds_scan.h:
include/obdgw/uds.h:
