/*
 * Figures for the UDS reply parsers a full-system scan runs most: a 20-DTC
 * $59 02 reply and a multi-DID $62 identification reply. Prints parses per
 * second; asserts nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "obdgw/uds.h"

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
    /* 59 02 FF + 20 records P0300..P0313, failure type 00, status 0x2F */
    static uint8_t dtcs[3 + 20 * 4];
    dtcs[0] = 0x59;
    dtcs[1] = 0x02;
    dtcs[2] = 0xFF;
    for (int i = 0; i < 20; i++) {
        dtcs[3 + 4 * i] = 0x03;
        dtcs[4 + 4 * i] = (uint8_t)i;
        dtcs[5 + 4 * i] = 0x00;
        dtcs[6 + 4 * i] = 0x2F;
    }
    /* 62 F186 03 | F190 <VIN 17> | F18C <serial 10>, asked in that order */
    static uint8_t dids[1 + 3 + 19 + 12];
    size_t k = 0;
    dids[k++] = 0x62;
    memcpy(dids + k, "\xF1\x86\x03", 3);
    k += 3;
    memcpy(dids + k, "\xF1\x90" "LFV3A23C8J3012345", 19);
    k += 19;
    memcpy(dids + k, "\xF1\x8C" "SN00012345", 12);
    k += 12;
    const uint16_t asked[] = { 0xF186, 0xF190, 0xF18C };
    static uds_dtc_reply_t r;
    uds_did_reply_t d;
    char vin[18];
    printf("== UDS (bench_uds) ==\n");
    RUN("parse $59 02 reply (20 DTCs)", N, {
        uds_parse_dtc_reply(dtcs, sizeof dtcs, UDS_RDTC_BY_MASK, &r);
        sink += r.ndtcs;
    });
    RUN("split $62 reply (F186 + F190 + F18C)", N, {
        uds_parse_did_reply(dids, k, asked, 3, &d);
        sink += d.count;
    });
    RUN("split $62 + VIN text", N, {
        uds_parse_did_reply(dids, k, asked, 3, &d);
        sink += (size_t)uds_did_text(d.dids[1].data, d.dids[1].len, vin, sizeof vin);
    });
    return 0;
}
