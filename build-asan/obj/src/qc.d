build-asan/obj/src/qc.o: src/qc.c include/obdgw/qc.h include/obdgw/base.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/session.h \
 include/obdgw/link.h include/obdgw/obd.h include/obdgw/vin.h \
 include/obdgw/uds_scan.h include/obdgw/uds.h include/obdgw/scan_text.h
include/obdgw/qc.h:
include/obdgw/base.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/session.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/uds_scan.h:
include/obdgw/uds.h:
include/obdgw/scan_text.h:
