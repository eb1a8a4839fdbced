build-asan/obj/src/obd_pid_table.o: src/obd_pid_table.c \
 include/obdgw/pid.h include/obdgw/base.h
include/obdgw/pid.h:
include/obdgw/base.h:
