build-asan/obj/src/sim_can.o: src/sim_can.c include/obdgw/canlink.h \
 include/obdgw/isotp.h include/obdgw/base.h include/obdgw/link.h \
 include/obdgw/sim_can.h include/obdgw/sim.h include/obdgw/stream.h \
 src/sim_priv.h include/obdgw/dtc.h include/obdgw/obd.h
include/obdgw/canlink.h:
include/obdgw/isotp.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/sim_can.h:
include/obdgw/sim.h:
include/obdgw/stream.h:
src/sim_priv.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
