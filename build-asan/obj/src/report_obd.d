build-asan/obj/src/report_obd.o: src/report_obd.c \
 include/obdgw/scan_text.h include/obdgw/session.h include/obdgw/dtcdb.h \
 include/obdgw/base.h include/obdgw/dtc.h include/obdgw/link.h \
 include/obdgw/obd.h include/obdgw/vin.h src/report_priv.h \
 include/obdgw/report.h include/obdgw/qc.h include/obdgw/uds_scan.h \
 include/obdgw/uds.h include/obdgw/store.h include/obdgw/store_uds.h
include/obdgw/scan_text.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
src/report_priv.h:
include/obdgw/report.h:
include/obdgw/qc.h:
include/obdgw/uds_scan.h:
include/obdgw/uds.h:
include/obdgw/store.h:
include/obdgw/store_uds.h:
