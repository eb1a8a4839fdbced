build-asan/obj/tests/unit/test_signals.o: tests/unit/test_signals.c \
 include/obdgw/signals.h include/obdgw/base.h include/obdgw/link.h \
 include/obdgw/sim.h
include/obdgw/signals.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/sim.h:
