build-asan/obj/src/mqtt.o: src/mqtt.c include/obdgw/mqtt.h
include/obdgw/mqtt.h:
