build-asan/obj/src/report_load.o: src/report_load.c \
 include/obdgw/report.h include/obdgw/base.h include/obdgw/dtcdb.h \
 include/obdgw/dtc.h include/obdgw/qc.h include/obdgw/session.h \
 include/obdgw/link.h include/obdgw/obd.h include/obdgw/vin.h \
 include/obdgw/uds_scan.h include/obdgw/uds.h include/obdgw/store.h \
 include/obdgw/store_uds.h
include/obdgw/report.h:
include/obdgw/base.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/qc.h:
include/obdgw/session.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
include/obdgw/uds_scan.h:
include/obdgw/uds.h:
include/obdgw/store.h:
include/obdgw/store_uds.h:
