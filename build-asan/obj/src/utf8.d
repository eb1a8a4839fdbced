build-asan/obj/src/utf8.o: src/utf8.c include/obdgw/utf8.h
include/obdgw/utf8.h:
