build-asan/obj/src/uds.o: src/uds.c include/obdgw/obd.h \
 include/obdgw/base.h include/obdgw/dtc.h include/obdgw/uds.h
include/obdgw/obd.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/uds.h:
