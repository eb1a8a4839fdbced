/*
 * bench_can — figures measured on the host without a CAN kernel:
 *   1. the sans-I/O ISO-TP state machine moving messages between two ends
 *      in simulated time (its CPU cost per message, i.e. what the gateway
 *      adds on top of the bus), and the bus time the same transfers take at
 *      500 kbit/s;
 *   2. the UDS full-system scan of the 30-module car (magotan-30.ini, ECUs
 *      answering in 5 ms) and live data against a 5 ms ECU, through the
 *      real SocketCAN link and CAN simulator on an in-process bus (a
 *      socketpair carrying CAN frames: no wire time, no kernel).
 * The same end to end on a real kernel (vcan under qemu) is printed by
 * tests/can/run.sh BUILD bench, which make bench runs after this.
 * Asserts nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "obdgw/canlink.h"
#include "obdgw/isotp.h"
#include "obdgw/session.h"
#include "obdgw/sim_can.h"
#include "obdgw/stream.h"
#include "obdgw/uds_scan.h"

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

static double cpu_ms(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The simulated car on an in-process bus and the link to it; NULL on failure (said). */
static obd_link_t *car_open(const char *file, int delay_ms, sim_vehicle_t **v, sim_can_bus_t **bus)
{
    char err[200] = "";
    obd_link_t *l = NULL;
    int fd = -1;
    sim_can_opts_t so = { .ecu_delay_ms = delay_ms, .pad = -2 };
    if (sim_vehicle_load(file, v, err, sizeof err) || sim_can_bus_start(*v, &so, bus, &fd, err, sizeof err) ||
        can_link_open_fd(fd, NULL, NULL, &l, err, sizeof err)) {
        printf("  %s: %s\n", file, err);
        return NULL;
    }
    return l;
}

static void car_close(obd_link_t *l, sim_vehicle_t *v, sim_can_bus_t *bus)
{
    obd_link_close(l);
    sim_can_bus_stop(bus);
    sim_vehicle_free(v);
}

static void bench_scan30(void)
{
    sim_vehicle_t *v = NULL;
    sim_can_bus_t *bus = NULL;
    obd_link_t *l = car_open("tests/scenarios/magotan-30.ini", 5, &v, &bus);
    if (!l)
        return;
    static uds_scan_t s;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    double c0 = cpu_ms(CLOCK_THREAD_CPUTIME_ID);
    uint64_t t0 = obd_now_ms();
    int rc = uds_scan_run(l, &o, &s, NULL, NULL);
    uint64_t dt = obd_now_ms() - t0;
    double cpu = cpu_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
    printf("bench_can: UDS full-system scan, 30-module car (27 answer, 3 silent), ECUs 5 ms, 11-bit range,\n"
           "  host, in-process bus (no wire time): rc %d, %zu pairs probed, %zu answered, %u requests,\n"
           "  %.2f s end to end (target <= 5 s), gateway CPU %.0f ms (the scanning thread)\n",
           rc, s.nmodules, s.nanswered, s.requests, (double)dt / 1000.0, cpu);
    car_close(l, v, bus);
}

/* Live data, 6 PIDs per multi-PID request, one 5 ms ECU: the gateway's CPU per
 * request against the time a request takes. */
static void bench_live5(void)
{
    sim_vehicle_t *v = NULL;
    sim_can_bus_t *bus = NULL;
    obd_link_t *l = car_open("tests/scenarios/default.ini", 5, &v, &bus);
    if (!l)
        return;
    static const uint8_t pids[] = { 0x0C, 0x0D, 0x05, 0x04, 0x11, 0x0B };
    static obd_live_t lv;
    static obd_live_sample_t smp[256];
    if (obd_live_init(&lv, l, pids, sizeof pids, true, NULL, NULL)) {
        printf("  live init failed: %s\n", l->errmsg);
        car_close(l, v, bus);
        return;
    }
    unsigned req0 = lv.requests;
    size_t samples = 0;
    double c0 = cpu_ms(CLOCK_THREAD_CPUTIME_ID);
    uint64_t t0 = obd_now_ms();
    while (obd_now_ms() - t0 < 2000) {
        int n = obd_live_poll(&lv, l, smp, 256);
        if (n < 0)
            break;
        samples += (size_t)n;
    }
    double wall_ms = (double)(obd_now_ms() - t0);
    double cpu = cpu_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
    unsigned reqs = lv.requests - req0;
    if (!reqs) {
        printf("  live: no requests\n");
        car_close(l, v, bus);
        return;
    }
    double per = wall_ms / reqs, cpu_per = cpu / reqs;
    /* on a 500 kbit/s bus this exchange is SF request + FF, FC, 2 CF reply: ~5 frames x 0.222 ms */
    double bus_ecu = 5.0 + 5 * 0.222;
    printf("bench_can: live data, 6 PIDs multi-PID, ECU 5 ms, host, in-process bus (no wire time):\n"
           "  %.0f requests/s, %.0f PIDs/s, %.2f ms per request; gateway CPU %.3f ms per request\n"
           "  = %.2f%% of the request time here, %.2f%% of ECU 5 ms + ~1.1 ms of 500k bus (target < 2%%)\n",
           reqs / wall_ms * 1e3, samples / wall_ms * 1e3, per, cpu_per, cpu_per / per * 100, cpu_per / bus_ecu * 100);
    car_close(l, v, bus);
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
    bench_scan30();
    bench_live5();
    return 0;
}
