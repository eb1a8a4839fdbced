build-asan/obj/src/base.o: src/base.c include/obdgw/base.h
include/obdgw/base.h:
