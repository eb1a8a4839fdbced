build-asan/obj/src/cli/main.o: src/cli/main.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
