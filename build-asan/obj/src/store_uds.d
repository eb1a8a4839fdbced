build-asan/obj/src/store_uds.o: src/store_uds.c include/obdgw/store_uds.h \
 include/obdgw/store.h include/obdgw/base.h include/obdgw/session.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/link.h \
 include/obdgw/obd.h include/obdgw/vin.h include/obdgw/uds_scan.h \
 include/obdgw/uds.h src/store_priv.h
include/obdgw/store_uds.h:
include/obdgw/store.h:
include/obdgw/base.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/uds_scan.h:
include/obdgw/uds.h:
src/store_priv.h:
