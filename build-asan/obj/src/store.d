build-asan/obj/src/store.o: src/store.c include/obdgw/vin.h \
 include/obdgw/base.h src/store_priv.h include/obdgw/dtcdb.h \
 include/obdgw/dtc.h include/obdgw/store.h include/obdgw/session.h \
 include/obdgw/link.h include/obdgw/obd.h
include/obdgw/vin.h:
include/obdgw/base.h:
src/store_priv.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/store.h:
include/obdgw/session.h:
include/obdgw/link.h:
include/obdgw/obd.h:
