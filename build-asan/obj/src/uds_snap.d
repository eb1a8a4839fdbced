build-asan/obj/src/uds_snap.o: src/uds_snap.c include/obdgw/pid.h \
 include/obdgw/base.h include/obdgw/uds.h include/obdgw/dtc.h
include/obdgw/pid.h:
include/obdgw/base.h:
include/obdgw/uds.h:
include/obdgw/dtc.h:
