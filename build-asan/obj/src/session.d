build-asan/obj/src/session.o: src/session.c include/obdgw/obd_uds.h \
 include/obdgw/obd.h include/obdgw/base.h include/obdgw/dtc.h \
 include/obdgw/session.h include/obdgw/dtcdb.h include/obdgw/link.h \
 include/obdgw/vin.h include/obdgw/uds.h include/obdgw/pid.h \
 include/obdgw/scan_text.h include/obdgw/stream.h
include/obdgw/obd_uds.h:
include/obdgw/obd.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/link.h:
include/obdgw/vin.h:
include/obdgw/uds.h:
include/obdgw/pid.h:
include/obdgw/scan_text.h:
include/obdgw/stream.h:
