build-asan/obj/src/vin.o: src/vin.c include/obdgw/vin.h \
 include/obdgw/base.h
include/obdgw/vin.h:
include/obdgw/base.h:
