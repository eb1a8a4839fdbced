build-asan/obj/src/obd_pid.o: src/obd_pid.c include/obdgw/dtc.h \
 include/obdgw/base.h include/obdgw/pid.h
include/obdgw/dtc.h:
include/obdgw/base.h:
include/obdgw/pid.h:
