build-asan/obj/src/cli/cmd_dtc.o: src/cli/cmd_dtc.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
