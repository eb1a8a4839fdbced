build-asan/obj/drivers/elm327.o: drivers/elm327.c include/obdgw/elm.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/stream.h
include/obdgw/elm.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/stream.h:
