build-asan/obj/src/sim_scenario.o: src/sim_scenario.c \
 include/obdgw/link.h include/obdgw/base.h include/obdgw/pid.h \
 src/sim_priv.h include/obdgw/dtc.h include/obdgw/obd.h \
 include/obdgw/sim.h
include/obdgw/link.h:
include/obdgw/base.h:
include/obdgw/pid.h:
src/sim_priv.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/sim.h:
