build-asan/obj/src/sim_obdonuds.o: src/sim_obdonuds.c \
 include/obdgw/obd_uds.h include/obdgw/obd.h include/obdgw/base.h \
 include/obdgw/dtc.h include/obdgw/session.h include/obdgw/dtcdb.h \
 include/obdgw/link.h include/obdgw/vin.h include/obdgw/uds.h \
 src/sim_priv.h include/obdgw/sim.h
include/obdgw/obd_uds.h:
include/obdgw/obd.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/link.h:
include/obdgw/vin.h:
include/obdgw/uds.h:
src/sim_priv.h:
include/obdgw/sim.h:
