build-asan/obj/src/dtc.o: src/dtc.c include/obdgw/dtc.h \
 include/obdgw/base.h
include/obdgw/dtc.h:
include/obdgw/base.h:
