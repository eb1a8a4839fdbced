/*
 * Figures for the evidence store on this machine, with the real durability
 * settings (WAL, synchronous=FULL): live samples stored per second through
 * the batched writer, a 100,000-sample recording end to end (begin, add,
 * stats, end), bytes of file per sample, scans saved/loaded per second, and
 * the cost of one outbox enqueue while a long broker outage has left
 * 50,000 messages queued (the bound check reads the outbox totals).
 * Prints figures; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "obdgw/outbox.h"
#include "obdgw/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long fsize(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (long)sb.st_size : 0;
}

/* A realistic mix: 6 PIDs from the engine ECU at 10 ms spacing. */
static void fill(obd_live_sample_t *s, size_t n)
{
    static const uint8_t pids[6] = { 0x0C, 0x0D, 0x05, 0x04, 0x11, 0x0B };
    for (size_t i = 0; i < n; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].addr = 0x7E8;
        s[i].pid = pids[i % 6];
        s[i].t_ms = 1700000000000ULL + i * 10 / 6;
        s[i].len = s[i].pid == 0x0C ? 2 : 1;
        s[i].data[0] = (uint8_t)(i * 7);
        s[i].data[1] = (uint8_t)(i * 13);
    }
}

static double record(store_t *st, const obd_live_sample_t *s, size_t n, size_t chunk, store_recording_t *r)
{
    static const uint8_t pids[6] = { 0x0C, 0x0D, 0x05, 0x04, 0x11, 0x0B };
    double t0 = now_s();
    store_rec_writer_t *w;
    if (store_rec_begin(st, NULL, "bench", pids, 6, &w)) {
        printf("begin failed: %s\n", store_errmsg(st));
        return -1;
    }
    for (size_t i = 0; i < n; i += chunk)
        if (store_rec_add(w, s + i, n - i < chunk ? n - i : chunk)) {
            printf("add failed: %s\n", store_errmsg(st));
            break;
        }
    if (store_rec_end(w, r))
        printf("end failed: %s\n", store_errmsg(st));
    return now_s() - t0;
}

int main(void)
{
    char dir[64] = "/tmp/obdgw-bench-XXXXXX", path[128];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/store.db", dir);
    store_t *st;
    char err[256];
    if (store_open(path, &st, err, sizeof err)) {
        printf("open failed: %s\n", err);
        return 1;
    }
    enum { BIG = 1000000, E2E = 100000 };
    obd_live_sample_t *s = malloc(BIG * sizeof *s);
    fill(s, BIG);
    store_recording_t r;

    /* 1. throughput of the batched writer (samples arrive in polls of 6) */
    long before = fsize(path);
    double t = record(st, s, BIG, 6, &r);
    printf("store: %d samples batched (4096/txn, WAL, sync FULL): %.2f s, %.0f samples/s\n", BIG, t, BIG / t);

    /* file size per sample, after the WAL is merged into the file */
    store_close(st);
    long after = fsize(path);
    printf("store: file growth %.1f bytes/sample (%ld -> %ld bytes)\n", (double)(after - before) / BIG, before, after);
    if (store_open(path, &st, err, sizeof err)) {
        printf("reopen failed: %s\n", err);
        return 1;
    }

    /* 2. a 100k-sample recording end to end, including stats */
    t = record(st, s, E2E, 6, &r);
    printf("store: %d-sample recording end to end (begin, add, stats, end): %.3f s, %.0f samples/s\n", E2E, t,
           E2E / t);

    /* 3. scans: save and load */
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "BENCH-1");
    snprintf(w.vin, sizeof w.vin, "LFV2A21K6M3012345");
    w.mileage_in_km = -1;
    store_wo_add(st, &w);
    obd_scan_t *sc = calloc(1, sizeof *sc), *back = calloc(1, sizeof *back);
    snprintf(sc->vin, sizeof sc->vin, "LFV2A21K6M3012345");
    sc->link.battery_v = -1;
    sc->necus = 2;
    for (size_t i = 0; i < 2; i++) {
        obd_ecu_scan_t *e = &sc->ecus[i];
        e->addr = 0x7E8 + (uint32_t)i;
        e->stored.read = true;
        e->stored.count = 4;
        for (int k = 0; k < 4; k++)
            e->stored.dtcs[k] = (obd_dtc_t)(0x0300 + k);
        e->has_ff = true;
        e->nff = 20;
        for (int k = 0; k < 20; k++)
            e->ff[k] = (obd_pid_sample_t){ (uint8_t)(4 + k), 1, { 1 } };
        e->nm06 = 20;
        e->m06_read = true;
        e->odometer_km = -1;
    }
    sc->nraw = 100;
    for (size_t i = 0; i < 100; i++) {
        sc->raw[i].reqlen = 2;
        sc->raw[i].len = 40;
    }
    int n = 200;
    t = now_s();
    int64_t last = 0;
    for (int i = 0; i < n; i++) {
        store_scan_meta_t m;
        memset(&m, 0, sizeof m);
        snprintf(m.ro, sizeof m.ro, "BENCH-1");
        if (store_scan_save(st, sc, &m)) {
            printf("scan save failed: %s\n", store_errmsg(st));
            break;
        }
        last = m.id;
    }
    t = now_s() - t;
    printf("store: scan save (2 ECUs, 100 raw replies, 20 Mode 06 each): %.2f ms each, %.0f scans/s\n", t * 1000 / n,
           n / t);
    t = now_s();
    for (int i = 0; i < n; i++)
        store_scan_load(st, last, back, NULL);
    t = now_s() - t;
    printf("store: scan load: %.3f ms each\n", t * 1000 / n);

    /* A long broker outage: 50,000 queued 2 KB messages, then one enqueue
     * (what every scan save on a bay does) timed. */
    enum { NQ = 50000, QB = 2048, BATCH = 1000 };
    static outbox_msg_t q[BATCH];
    static char payload[QB];
    memset(payload, 'x', sizeof payload);
    outbox_limits_t lim = { .max_messages = 1000000, .max_bytes = (int64_t)4 << 30 };
    t = now_s();
    int qrc = 0;
    for (int k = 0; k < NQ / BATCH && !qrc; k++) {
        for (int i = 0; i < BATCH; i++) {
            memset(&q[i], 0, sizeof q[i]);
            snprintf(q[i].msg_id, sizeof q[i].msg_id, "bench-%d", k * BATCH + i);
            snprintf(q[i].topic, sizeof q[i].topic, "obdgw/v1/ws01/scan");
            q[i].payload = payload;
            q[i].len = QB;
            q[i].qos = 1;
            q[i].prio = OUTBOX_PRIO_NORMAL;
        }
        qrc = outbox_enqueue_batch(st, q, BATCH, &lim, NULL);
    }
    double tfill = now_s() - t;
    enum { NONE = 50 };
    t = now_s();
    for (int i = 0; i < NONE && !qrc; i++) {
        snprintf(q[0].msg_id, sizeof q[0].msg_id, "bench-one-%d", i);
        qrc = outbox_enqueue_batch(st, q, 1, &lim, NULL);
    }
    t = now_s() - t;
    if (qrc)
        printf("outbox enqueue failed: %s\n", store_errmsg(st));
    else
        printf("store: outbox with %d queued 2 KB messages (filled at %.0f msgs/s): one more enqueue %.2f ms "
               "(the bound check's totals come from an index)\n",
               NQ, NQ / tfill, t * 1000 / NONE);

    store_close(st);
    free(sc);
    free(back);
    free(s);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
