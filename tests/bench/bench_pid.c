/*
 * Figures for the live-data hot path: decoding a mix of common PIDs (rpm,
 * speed, coolant, MAF, O2 sensor $14, MAF A/B $66), lookups, and formatting
 * for display. Prints decodes per second; asserts nothing.
 */
#include <stdio.h>
#include <time.h>

#include "obdgw/pid.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile double sink;

typedef struct {
    uint8_t pid;
    uint8_t len;
    uint8_t data[5];
} sample_t;

int main(void)
{
    static const sample_t mix[] = {
        { 0x0C, 2, { 0x1A, 0xF8 } },                   /* rpm */
        { 0x0D, 1, { 0x32 } },                         /* speed */
        { 0x05, 1, { 0x7B } },                         /* coolant */
        { 0x10, 2, { 0x01, 0xF4 } },                   /* MAF */
        { 0x14, 2, { 0x8C, 0x7F } },                   /* O2 B1S1 voltage + trim */
        { 0x66, 5, { 0x03, 0x0C, 0x80, 0x0D, 0x00 } }, /* MAF A/B with support byte */
    };
    const size_t nmix = sizeof mix / sizeof mix[0];
    const long N = 30000000;
    obd_value_t v[OBD_PID_MAX_FIELDS];

    printf("== PID table (bench_pid) ==\n");

    double t0 = now();
    long fields = 0;
    for (long i = 0; i < N; i++) {
        const sample_t *s = &mix[(size_t)i % nmix];
        int n = obd_pid_decode(s->pid, s->data, s->len, v, OBD_PID_MAX_FIELDS);
        fields += n;
        sink += v[0].value;
    }
    double dt = now() - t0;
    printf("pid decode: %.1f M decodes/s  (%.1f ns each, %.1f M fields/s; mix rpm speed coolant maf $14 $66)\n",
           (double)N / dt / 1e6, dt / (double)N * 1e9, (double)fields / dt / 1e6);

    for (size_t k = 0; k < nmix; k++) {
        const long M = 10000000;
        const sample_t *s = &mix[k];
        t0 = now();
        for (long i = 0; i < M; i++) {
            obd_pid_decode(s->pid, s->data, s->len, v, OBD_PID_MAX_FIELDS);
            sink += v[0].value;
        }
        dt = now() - t0;
        printf("  decode $%02X %-14s %8.1f M decodes/s  (%.1f ns each)\n", s->pid, obd_pid_lookup(s->pid)->key,
               (double)M / dt / 1e6, dt / (double)M * 1e9);
    }

    const long L = 50000000;
    t0 = now();
    for (long i = 0; i < L; i++)
        sink += obd_pid_len((uint8_t)(i & 0xFF));
    dt = now() - t0;
    printf("pid length lookup (all 256 PIDs): %.1f M lookups/s\n", (double)L / dt / 1e6);

    const long F = 3000000;
    char txt[64];
    obd_pid_decode(0x0C, mix[0].data, mix[0].len, v, OBD_PID_MAX_FIELDS);
    t0 = now();
    for (long i = 0; i < F; i++)
        sink += obd_value_format(&v[0], (i & 1) ? OBD_LANG_ZH : OBD_LANG_EN, txt, sizeof txt);
    dt = now() - t0;
    printf("value format (\"%s\"): %.2f M formats/s\n", txt, (double)F / dt / 1e6);
    return 0;
}
