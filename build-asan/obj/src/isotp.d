build-asan/obj/src/isotp.o: src/isotp.c include/obdgw/isotp.h \
 include/obdgw/base.h
include/obdgw/isotp.h:
include/obdgw/base.h:
