/*
 * bench_can — ISO-TP figures measured on the host without a bus: the
 * sans-I/O state machine moving messages between two ends in simulated time
 * (its CPU cost per message and per frame, i.e. what the gateway adds on top
 * of the bus), and the bus time the same transfers take at 500 kbit/s.
 * The end-to-end figures against the CAN simulator come from the qemu run
 * (make check-can: CANTEST INFO lines). Asserts nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "obdgw/isotp.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Move one message a -> b, frames delivered at once; returns frames on the wire. */
static unsigned transfer(isotp_t *a, isotp_t *b, const uint8_t *msg, size_t n, uint64_t *t)
{
    unsigned frames = 0;
    isotp_send(a, msg, n, *t);
    for (int guard = 0; guard < 100000; guard++) {
        isotp_frame_t f;
        bool any = false;
        isotp_poll(a, *t, &f);
        if (f.len) {
            frames++;
            any = true;
            if (isotp_on_frame(b, f.data, f.len, *t) & ISOTP_EV_RX_DONE)
                return frames;
        }
        isotp_poll(b, *t, &f);
        if (f.len) {
            frames++;
            any = true;
            isotp_on_frame(a, f.data, f.len, *t);
        }
        if (!any)
            (*t)++;
    }
    return frames;
}

int main(void)
{
    static isotp_t a, b;
    static uint8_t msg[ISOTP_MAX_MSG];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    static const size_t lens[] = { 7, 20, 62, 512, 4095 };
    printf("bench_can: sans-I/O ISO-TP (src/isotp.c), padding 00, BS 0, STmin 0\n");
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t n = lens[k];
        isotp_init(&a, NULL);
        isotp_init(&b, NULL);
        uint64_t t = 0;
        unsigned frames = 0, iters = n > 1000 ? 20000 : 200000;
        double t0 = now_s();
        for (unsigned i = 0; i < iters; i++)
            frames = transfer(&a, &b, msg, n, &t);
        double dt = now_s() - t0;
        /* 500 kbit/s, 11-bit id, 8 data bytes: ~111 bits with stuffing, ~222 us a frame */
        double bus_ms = frames * 0.222;
        printf("  %4zu bytes: %3u frames, %8.0f messages/s, %6.1f MB/s, %5.2f us/message CPU "
               "(bus at 500k: %.2f ms, gateway CPU %.3f%% of it)\n",
               n, frames, iters / dt, iters * (double)n / dt / 1e6, dt / iters * 1e6, bus_ms,
               dt / iters * 1e3 / bus_ms * 100);
    }
    return 0;
}
