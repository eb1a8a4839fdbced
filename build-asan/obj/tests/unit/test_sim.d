build-asan/obj/tests/unit/test_sim.o: tests/unit/test_sim.c \
 include/obdgw/link.h include/obdgw/base.h include/obdgw/pid.h \
 include/obdgw/sim.h
include/obdgw/link.h:
include/obdgw/base.h:
include/obdgw/pid.h:
include/obdgw/sim.h:
