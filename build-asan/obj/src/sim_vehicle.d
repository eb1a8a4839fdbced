build-asan/obj/src/sim_vehicle.o: src/sim_vehicle.c include/obdgw/pid.h \
 include/obdgw/base.h src/sim_priv.h include/obdgw/dtc.h \
 include/obdgw/obd.h include/obdgw/sim.h include/obdgw/link.h
include/obdgw/pid.h:
include/obdgw/base.h:
src/sim_priv.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/sim.h:
include/obdgw/link.h:
