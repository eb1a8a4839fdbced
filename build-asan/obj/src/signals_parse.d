build-asan/obj/src/signals_parse.o: src/signals_parse.c \
 include/obdgw/signals.h include/obdgw/base.h include/obdgw/link.h
include/obdgw/signals.h:
include/obdgw/base.h:
include/obdgw/link.h:
