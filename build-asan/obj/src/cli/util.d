build-asan/obj/src/cli/util.o: src/cli/util.c src/cli/cli.h \
 include/obdgw/base.h include/obdgw/link.h include/obdgw/signals.h \
 include/obdgw/store.h include/obdgw/session.h include/obdgw/dtcdb.h \
 include/obdgw/dtc.h include/obdgw/obd.h include/obdgw/vin.h
src/cli/cli.h:
include/obdgw/base.h:
include/obdgw/link.h:
include/obdgw/signals.h:
include/obdgw/store.h:
include/obdgw/session.h:
include/obdgw/dtcdb.h:
include/obdgw/dtc.h:
include/obdgw/obd.h:
include/obdgw/vin.h:
