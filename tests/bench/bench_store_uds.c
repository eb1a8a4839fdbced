/*
 * Figures for UDS full-system scans in the evidence store (schema 4), with
 * the real durability settings: save and load time and file bytes per scan
 * for (a) the default 11-bit probe as an ELM327 sees a VW (360 pairs, 3
 * answered, 2 DTCs) and (b) a 30-module car (30 answered of 130 probed, 10
 * DTCs each with a snapshot and an extended-data record). Prints figures;
 * asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "obdgw/store_uds.h"

#define VIN "LFV2A21K6M3012345"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long fsize(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static void build(uds_scan_t *s, size_t probed, size_t answered, size_t ndtcs, size_t nrec)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < probed; i++) {
        uds_module_t *m = &s->modules[s->nmodules++];
        m->tx_id = 0x700 + (uint32_t)i;
        m->rx_id = m->tx_id + 8;
        if (i >= answered)
            continue;
        m->answered = true;
        m->state = UDS_MOD_OK;
        m->dtcs_read = true;
        m->ident_ok[0] = m->ident_ok[1] = m->ident_ok[3] = true;
        snprintf(m->ident[0], sizeof m->ident[0], VIN);
        snprintf(m->ident[1], sizeof m->ident[1], "5Q0907379AC");
        snprintf(m->ident[3], sizeof m->ident[3], "0150");
        for (size_t k = 0; k < ndtcs; k++)
            m->dtcs[m->ndtcs++] = (uds_dtc_t){ 0x400000u + (uint32_t)(k << 8) + 0x11, 0x2F };
        for (size_t k = 0; k < nrec; k++) {
            uds_scan_snap_t *r = uds_scan_add_record(s, m);
            if (!r)
                break;
            r->code = m->dtcs[0].code;
            r->record = k & 1 ? UDS_RDTC_EXTDATA : UDS_RDTC_SNAPSHOT;
            r->len = 24;
        }
        s->nanswered++;
    }
}

/* Save `s` 100 times into the store at `path` (closing it checkpoints the
 * WAL, so the file size before and after is what the scans take), then load
 * the last one 100 times. */
static void run(const char *path, const char *what, const uds_scan_t *s, uds_scan_t *back)
{
    int n = 100;
    long before = fsize(path);
    store_t *st;
    char err[256];
    if (store_open(path, &st, err, sizeof err)) {
        printf("open failed: %s\n", err);
        return;
    }
    double t = now_s();
    int64_t last = 0;
    for (int i = 0; i < n; i++) {
        store_uds_meta_t m;
        memset(&m, 0, sizeof m);
        snprintf(m.ro, sizeof m.ro, "BENCH-U");
        m.stage = STORE_STAGE_DIAGNOSTIC;
        if (store_uds_save(st, s, &m)) {
            printf("UDS scan save failed: %s\n", store_errmsg(st));
            store_close(st);
            return;
        }
        last = m.id;
    }
    t = now_s() - t;
    printf("store: UDS scan save, %s: %.2f ms each\n", what, t * 1000 / n);
    t = now_s();
    for (int i = 0; i < n; i++)
        store_uds_load(st, last, back, NULL);
    t = now_s() - t;
    printf("store: UDS scan load, %s: %.3f ms each\n", what, t * 1000 / n);
    store_close(st);
    printf("store: UDS scan on disk, %s: %.1f KB each\n", what, (double)(fsize(path) - before) / n / 1024);
}

int main(void)
{
    char dir[] = "/tmp/obdgw-bench-uds-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/store.db", dir);
    store_t *st;
    if (store_open(path, &st, err, sizeof err)) {
        printf("open failed: %s\n", err);
        return 1;
    }
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "BENCH-U");
    snprintf(w.vin, sizeof w.vin, VIN);
    w.mileage_in_km = -1;
    store_wo_add(st, &w);
    store_close(st);
    uds_scan_t *s = malloc(sizeof *s), *back = malloc(sizeof *back);
    build(s, 360, 3, 2, 0);
    run(path, "360 probed / 3 answered / 6 DTCs", s, back);
    build(s, 130, 30, 10, 2);
    run(path, "130 probed / 30 answered / 300 DTCs + 60 records", s, back);
    free(s);
    free(back);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
