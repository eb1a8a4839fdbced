build-asan/obj/drivers/socketcan.o: drivers/socketcan.c \
 include/obdgw/canlink.h include/obdgw/isotp.h include/obdgw/base.h \
 include/obdgw/link.h include/obdgw/stream.h
include/obdgw/canlink.h:
include/obdgw/isotp.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/stream.h:
