build-asan/obj/src/link.o: src/link.c include/obdgw/link.h \
 include/obdgw/base.h
include/obdgw/link.h:
include/obdgw/base.h:
