build-asan/obj/src/stream.o: src/stream.c include/obdgw/stream.h \
 include/obdgw/base.h
include/obdgw/stream.h:
include/obdgw/base.h:
