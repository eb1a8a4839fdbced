build-asan/obj/src/cli/cmd_wo.o: src/cli/cmd_wo.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/utf8.h include/obdgw/store.h include/obdgw/session.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/obd.h \
 include/obdgw/vin.h include/obdgw/qc.h include/obdgw/uds_scan.h \
 include/obdgw/uds.h include/obdgw/store_uds.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/utf8.h:
include/obdgw/store.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/qc.h:
include/obdgw/uds_scan.h:
include/obdgw/uds.h:
include/obdgw/store_uds.h:
