build-asan/obj/src/cli/cmd_sim.o: src/cli/cmd_sim.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/sim.h include/obdgw/sim_can.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/sim.h:
include/obdgw/sim_can.h:
