build-asan/obj/src/obd_mode09.o: src/obd_mode09.c include/obdgw/obd.h \
 include/obdgw/base.h include/obdgw/dtc.h
include/obdgw/obd.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
