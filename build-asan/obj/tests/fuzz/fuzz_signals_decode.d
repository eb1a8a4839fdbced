build-asan/obj/tests/fuzz/fuzz_signals_decode.o: \
 tests/fuzz/fuzz_signals_decode.c include/obdgw/signals.h \
 include/obdgw/base.h include/obdgw/link.h
include/obdgw/signals.h:
include/obdgw/base.h:
include/obdgw/link.h:
