build-asan/obj/src/store_inbox.o: src/store_inbox.c \
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
