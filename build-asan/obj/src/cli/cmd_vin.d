build-asan/obj/src/cli/cmd_vin.o: src/cli/cmd_vin.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/vin.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/vin.h:
