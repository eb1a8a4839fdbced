build-asan/obj/src/vin_wmi.o: src/vin_wmi.c include/obdgw/vin.h \
 include/obdgw/base.h
include/obdgw/vin.h:
include/obdgw/base.h:
