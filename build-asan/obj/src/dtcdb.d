build-asan/obj/src/dtcdb.o: src/dtcdb.c include/obdgw/dtcdb.h \
 include/obdgw/base.h include/obdgw/dtc.h
include/obdgw/dtcdb.h:
include/obdgw/base.h:
include/obdgw/dtc.h:
