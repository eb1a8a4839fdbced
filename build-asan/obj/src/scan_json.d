build-asan/obj/src/scan_json.o: src/scan_json.c include/obdgw/pid.h \
 include/obdgw/base.h include/obdgw/scan_text.h include/obdgw/session.h \
 include/obdgw/dtcdb.h include/obdgw/dtc.h include/obdgw/link.h \
 include/obdgw/obd.h include/obdgw/vin.h
include/obdgw/pid.h:
include/obdgw/base.h:
include/obdgw/scan_text.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/link.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
