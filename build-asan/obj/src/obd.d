build-asan/obj/src/obd.o: src/obd.c include/obdgw/obd.h \
 include/obdgw/base.h include/obdgw/dtc.h include/obdgw/pid.h
include/obdgw/obd.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/pid.h:
