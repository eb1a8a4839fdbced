build-asan/obj/src/signals_live.o: src/signals_live.c \
 include/obdgw/canlink.h include/obdgw/isotp.h include/obdgw/base.h \
 include/obdgw/link.h include/obdgw/signals.h include/obdgw/uds.h \
 include/obdgw/dtc.h
include/obdgw/canlink.h:
include/obdgw/isotp.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/uds.h:
include/obdgw/dtc.h:
