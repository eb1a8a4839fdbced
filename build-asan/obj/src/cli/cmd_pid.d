build-asan/obj/src/cli/cmd_pid.o: src/cli/cmd_pid.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/pid.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/pid.h:
