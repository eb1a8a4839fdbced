build-asan/obj/tests/unit/test_store_migrate.o: \
 tests/unit/test_store_migrate.c tests/unit/../../src/store_priv.h \
 include/obdgw/dtcdb.h include/obdgw/base.h include/obdgw/dtc.h \
 include/obdgw/store.h include/obdgw/session.h include/obdgw/link.h \
 include/obdgw/obd.h include/obdgw/vin.h include/obdgw/outbox.h \
 include/obdgw/store_uds.h include/obdgw/uds_scan.h include/obdgw/uds.h
tests/unit/../../src/store_priv.h:
include/obdgw/dtcdb.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/store.h:
include/obdgw/session.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/outbox.h:
include/obdgw/store_uds.h:
include/obdgw/uds_scan.h:
include/obdgw/uds.h:
