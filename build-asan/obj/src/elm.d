build-asan/obj/src/elm.o: src/elm.c include/obdgw/elm.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/stream.h
include/obdgw/elm.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/stream.h:
