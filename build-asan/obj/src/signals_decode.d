build-asan/obj/src/signals_decode.o: src/signals_decode.c \
 include/obdgw/signals.h include/obdgw/base.h include/obdgw/link.h
include/obdgw/signals.h:
include/obdgw/base.h:
include/obdgw/link.h:
