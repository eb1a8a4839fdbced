/*
 * Figures for the J1979 framing hot paths: multi-PID reply splitting, DTC
 * lists and readiness. Prints parses per second; asserts nothing.
 */
#include <stdio.h>
#include <time.h>

#include "obdgw/obd.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile size_t sink;

#define RUN(label, iters, body)                                                        \
    do {                                                                               \
        double t0 = now();                                                             \
        for (long i_ = 0; i_ < (iters); i_++) {                                        \
            body;                                                                      \
        }                                                                              \
        double dt = now() - t0;                                                        \
        printf("%-44s %8.2f M/s  (%.1f ns each)\n", label, (double)(iters) / dt / 1e6, \
               dt / (double)(iters) * 1e9);                                            \
    } while (0)

int main(void)
{
    const long N = 5000000;
    static const uint8_t six[] = { 0x41, 0x0C, 0x1A, 0xF8, 0x0D, 0x32, 0x05, 0x7B,
                                   0x04, 0x80, 0x11, 0x26, 0x10, 0x01, 0xF4 };
    static const uint8_t dtcs[] = { 0x43, 0x04, 0x03, 0x01, 0x01, 0x33, 0x04, 0x20, 0xC1, 0x00 };
    static const uint8_t ready[] = { 0x81, 0x07, 0x65, 0x04 };
    obd_pid_reply_t r;
    obd_dtc_list_t l;
    obd_readiness_t rd;
    printf("== J1979 framing (bench_obd) ==\n");
    RUN("split 6-PID service 01 reply", N, {
        obd_parse_pid_reply(six, sizeof six, 0x01, &r);
        sink += r.count;
    });
    RUN("parse service 03 reply (4 DTCs)", N, {
        obd_parse_dtc_reply(dtcs, sizeof dtcs, 0x03, true, &l);
        sink += l.count;
    });
    RUN("decode readiness PID $01", N, {
        obd_readiness_decode(ready, sizeof ready, false, &rd);
        sink += rd.dtc_count;
    });
    return 0;
}
