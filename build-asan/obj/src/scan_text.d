build-asan/obj/src/scan_text.o: src/scan_text.c include/obdgw/scan_text.h \
 include/obdgw/session.h include/obdgw/dtcdb.h include/obdgw/base.h \
 include/obdgw/dtc.h include/obdgw/link.h include/obdgw/obd.h \
 include/obdgw/vin.h
include/obdgw/scan_text.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
