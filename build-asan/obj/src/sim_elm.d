build-asan/obj/src/sim_elm.o: src/sim_elm.c include/obdgw/elm.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/stream.h \
 src/sim_priv.h include/obdgw/dtc.h include/obdgw/obd.h \
 include/obdgw/sim.h
include/obdgw/elm.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/stream.h:
src/sim_priv.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/sim.h:
