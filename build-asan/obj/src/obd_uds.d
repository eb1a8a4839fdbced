build-asan/obj/src/obd_uds.o: src/obd_uds.c include/obdgw/obd_uds.h \
 include/obdgw/obd.h include/obdgw/base.h include/obdgw/dtc.h \
 include/obdgw/session.h include/obdgw/dtcdb.h include/obdgw/link.h \
 include/obdgw/vin.h include/obdgw/uds.h include/obdgw/pid.h
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
