build-asan/obj/src/link_open.o: src/link_open.c include/obdgw/canlink.h \
 include/obdgw/isotp.h include/obdgw/base.h include/obdgw/link.h \
 include/obdgw/elm.h include/obdgw/stream.h include/obdgw/sim.h
include/obdgw/canlink.h:
include/obdgw/isotp.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/elm.h:
include/obdgw/stream.h:
include/obdgw/sim.h:
