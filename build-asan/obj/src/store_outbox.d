build-asan/obj/src/store_outbox.o: src/store_outbox.c \
 include/obdgw/outbox.h include/obdgw/store.h include/obdgw/base.h \
 include/obdgw/session.h include/obdgw/dtcdb.h include/obdgw/dtc.h \
 include/obdgw/link.h include/obdgw/obd.h include/obdgw/vin.h \
 src/store_priv.h
include/obdgw/outbox.h:
include/obdgw/store.h:
include/obdgw/base.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
src/store_priv.h:
