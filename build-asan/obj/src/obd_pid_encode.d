build-asan/obj/src/obd_pid_encode.o: src/obd_pid_encode.c \
 include/obdgw/pid.h include/obdgw/base.h
include/obdgw/pid.h:
include/obdgw/base.h:
