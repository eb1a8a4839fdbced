build-asan/obj/tests/fuzz/replay_main.o: tests/fuzz/replay_main.c
