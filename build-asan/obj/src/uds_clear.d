build-asan/obj/src/uds_clear.o: src/uds_clear.c include/obdgw/uds_scan.h \
 include/obdgw/link.h include/obdgw/base.h include/obdgw/session.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/obd.h \
 include/obdgw/vin.h include/obdgw/uds.h
include/obdgw/uds_scan.h:
include/obdgw/link.h:
include/obdgw/base.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/uds.h:
