build-asan/obj/src/signals_db.o: src/signals_db.c include/obdgw/signals.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/vin.h
include/obdgw/signals.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/vin.h:
