build-asan/obj/src/uds_scan.o: src/uds_scan.c include/obdgw/canlink.h \
 include/obdgw/isotp.h include/obdgw/base.h include/obdgw/link.h \
 include/obdgw/stream.h include/obdgw/uds_scan.h include/obdgw/session.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/obd.h \
 include/obdgw/vin.h include/obdgw/uds.h
include/obdgw/canlink.h:
include/obdgw/isotp.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/stream.h:
include/obdgw/uds_scan.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/uds.h:
