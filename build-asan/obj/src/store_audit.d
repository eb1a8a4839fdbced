build-asan/obj/src/store_audit.o: src/store_audit.c src/store_priv.h \
 include/obdgw/dtcdb.h include/obdgw/base.h include/obdgw/dtc.h \
 include/obdgw/store.h include/obdgw/session.h include/obdgw/link.h \
 include/obdgw/obd.h include/obdgw/vin.h
src/store_priv.h:
include/obdgw/dtcdb.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/store.h:
include/obdgw/session.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
