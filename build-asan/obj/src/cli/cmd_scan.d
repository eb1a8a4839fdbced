build-asan/obj/src/cli/cmd_scan.o: src/cli/cmd_scan.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/pid.h \
 include/obdgw/scan_text.h include/obdgw/session.h include/obdgw/obd.h \
 include/obdgw/vin.h include/obdgw/store.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/pid.h:
include/obdgw/scan_text.h:
include/obdgw/session.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/store.h:
