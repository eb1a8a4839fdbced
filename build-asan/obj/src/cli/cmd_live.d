build-asan/obj/src/cli/cmd_live.o: src/cli/cmd_live.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/pid.h include/obdgw/session.h include/obdgw/dtcdb.h \
 include/obdgw/dtc.h include/obdgw/obd.h include/obdgw/vin.h \
 include/obdgw/store.h include/obdgw/stream.h include/obdgw/uds.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/pid.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/store.h:
include/obdgw/stream.h:
include/obdgw/uds.h:
