build-asan/obj/src/utf8_json.o: src/utf8_json.c include/obdgw/utf8.h
include/obdgw/utf8.h:
