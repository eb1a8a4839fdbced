build-asan/obj/src/cli/cmd_decode.o: src/cli/cmd_decode.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/obd.h \
 include/obdgw/pid.h include/obdgw/uds.h include/obdgw/vin.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/pid.h:
include/obdgw/uds.h:
include/obdgw/vin.h:
