build-asan/obj/src/sim_serve.o: src/sim_serve.c include/obdgw/sim.h \
 include/obdgw/base.h include/obdgw/link.h
include/obdgw/sim.h:
include/obdgw/base.h:
include/obdgw/link.h:
