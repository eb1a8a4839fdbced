/*
 * Figures for report generation: an RO with 10 scans (reception, diagnosis,
 * self-check, post, QC ...) and a 100,000-sample live-data recording (four
 * PIDs at 25,000 samples each), built in memory. Prints the time to build the
 * model (decoding every sample), then JSON, HTML and PDF generation times and
 * sizes. Charts are downsampled to min/max per pixel column, so the size of
 * a document does not grow with the number of samples. Asserts nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "obdgw/pid.h"
#include "obdgw/report.h"

#define NSCANS 10
#define NSAMPLES 100000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_dtc(obd_dtc_set_t *s, const char *code)
{
    obd_dtc_t c;
    if (obd_dtc_parse(code, &c) == OBD_OK)
        s->dtcs[s->count++] = c;
}

static void fill_scan(obd_scan_t *s, int i, int64_t when)
{
    memset(s, 0, sizeof *s);
    snprintf(s->vin, sizeof s->vin, "LFV2A21K6M3012345");
    snprintf(s->link.adapter, sizeof s->link.adapter, "OBDLink SX");
    s->link.protocol = OBD_PROTO_CAN11_500;
    s->link.battery_v = 12.4;
    s->started_ms = (uint64_t)when;
    bool fixed = i >= NSCANS / 2;
    s->mil_on = !fixed;
    for (uint32_t a = 0x7E8; a < 0x7E8 + 3; a++) {
        obd_ecu_scan_t *e = &s->ecus[s->necus++];
        e->addr = a;
        e->stored.read = e->pending.read = e->permanent.read = true;
        obd_pidset_add(&e->pids, 0x01);
        e->warmups_since_clear = e->km_since_clear = e->min_since_clear = -1;
        e->km_with_mil = e->min_with_mil = -1;
        e->odometer_km = -1;
        if (a != 0x7E8)
            continue;
        e->has_readiness = true;
        for (int m = OBD_MON_MISFIRE; m <= OBD_MON_EGR_VVT; m++)
            e->readiness.mon[m] = (obd_monitor_state_t){ true, fixed || m != OBD_MON_CATALYST };
        e->readiness.mil_on = !fixed;
        if (!fixed) {
            add_dtc(&e->stored, "P0301");
            add_dtc(&e->stored, "P0171");
            add_dtc(&e->pending, "P0300");
        }
        add_dtc(&e->permanent, "P0301");
        e->has_ff = true;
        obd_dtc_parse("P0301", &e->ff_dtc);
        const struct { uint8_t pid; double v; } ff[] = { { 0x04, 40 }, { 0x05, 90 }, { 0x0C, 2200 },
                                                         { 0x0D, 60 }, { 0x0F, 25 }, { 0x11, 20 } };
        for (size_t k = 0; k < sizeof ff / sizeof ff[0]; k++) {
            obd_pid_sample_t *p = &e->ff[e->nff++];
            p->pid = ff[k].pid;
            p->len = (uint8_t)obd_pid_encode(ff[k].pid, ff[k].v, p->data, sizeof p->data);
        }
        e->m06_read = true;
        for (int k = 0; k < 20; k++)
            e->m06[e->nm06++] = (obd_test_result_t){ .mid = (uint8_t)(0x21 + k), .tid = 0x80, .uasid = 1,
                                                     .value = k, .min = 0, .max = 30, .passed = true,
                                                     .known_unit = true };
    }
    for (int k = 0; k < 60; k++) {
        obd_raw_reply_t *r = &s->raw[s->nraw++];
        r->req[0] = 0x01;
        r->req[1] = (uint8_t)k;
        r->reqlen = 2;
        r->addr = 0x7E8;
        r->len = 8;
    }
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void build(report_t *r, dtcdb_t *db, report_kind_t kind, obd_lang_t lang, double *t_build)
{
    double t0 = now();
    report_init(r, kind, lang);
    report_set_shop(r, "Bench Motors", "");
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "BENCH-0001");
    snprintf(w.vin, sizeof w.vin, "LFV2A21K6M3012345");
    w.mileage_in_km = 48210;
    snprintf(w.complaint, sizeof w.complaint, "engine shakes at idle");
    report_set_wo(r, &w);
    int64_t base = 1714550400000LL;
    obd_scan_t *s = malloc(sizeof *s);
    static const store_stage_t stages[NSCANS] = {
        STORE_STAGE_RECEPTION, STORE_STAGE_DIAGNOSTIC, STORE_STAGE_DIAGNOSTIC, STORE_STAGE_ADHOC,
        STORE_STAGE_DIAGNOSTIC, STORE_STAGE_SELFCHECK, STORE_STAGE_SELFCHECK, STORE_STAGE_POST,
        STORE_STAGE_POST, STORE_STAGE_QC,
    };
    for (int i = 0; i < NSCANS; i++) {
        int64_t when = base + (int64_t)i * 600000;
        fill_scan(s, i, when);
        store_scan_meta_t m;
        memset(&m, 0, sizeof m);
        m.id = i + 1;
        m.stage = stages[i];
        m.started_ms = when;
        m.mileage_km = 48210;
        m.battery_v = -1;
        report_add_scan(r, &m, s);
    }
    free(s);
    store_recording_t rec = { .id = 1, .started_ms = base + 3600000, .ended_ms = base + 3600000 + 25000 * 40,
                              .samples = NSAMPLES };
    snprintf(rec.pids, sizeof rec.pids, "0C 0D 05 10");
    int idx = report_add_recording(r, &rec);
    obd_live_sample_t *smp = calloc(NSAMPLES, sizeof *smp);
    const uint8_t pids[4] = { 0x0C, 0x0D, 0x05, 0x10 };
    for (int i = 0; i < NSAMPLES; i++) {
        int round = i / 4, k = i % 4;
        double x = round / 400.0;
        double v = k == 0 ? 800 + 2500 * (0.5 + 0.5 * sin(x)) + (i % 13) * 15
                 : k == 1 ? 60 + 55 * sin(x / 3)
                 : k == 2 ? 60 + 30 * (1 - exp(-x / 10))
                          : 3 + 40 * (0.5 + 0.5 * sin(x));
        smp[i].addr = 0x7E8;
        smp[i].pid = pids[k];
        smp[i].t_ms = (uint64_t)rec.started_ms + (uint64_t)round * 40;
        smp[i].len = (uint8_t)obd_pid_encode(pids[k], v, smp[i].data, sizeof smp[i].data);
    }
    report_rec_add_samples(r, (size_t)idx, smp, NSAMPLES);
    free(smp);
    report_set_signoff(r, "QC inspector", base + 7200000, NULL, false);
    report_finish(r, db);
    *t_build = now() - t0;
}

int main(void)
{
    dtcdb_t *db = NULL;
    if (dtcdb_open(&db, NULL, NULL) != OBD_OK)
        db = NULL;
    printf("== reports (bench_report): %d scans, %d samples, DTC db %s ==\n", NSCANS, NSAMPLES,
           db ? "yes" : "no");
    char pdf[] = "/tmp/obdgw-bench-report-XXXXXX";
    int fd = mkstemp(pdf);
    if (fd >= 0)
        close(fd);
    for (int kind = 0; kind < 2; kind++)
        for (int lang = 0; lang < OBD_LANG_COUNT; lang++) {
            report_t r;
            double tb;
            build(&r, db, (report_kind_t)kind, (obd_lang_t)lang, &tb);
            const int reps = 5;
            double t0 = now();
            size_t jlen = 0, hlen = 0;
            for (int i = 0; i < reps; i++) {
                char *j = report_json_text(&r);
                jlen = j ? strlen(j) : 0;
                free(j);
            }
            double tj = (now() - t0) / reps;
            t0 = now();
            for (int i = 0; i < reps; i++) {
                char *h = report_html_text(&r);
                hlen = h ? strlen(h) : 0;
                free(h);
            }
            double th = (now() - t0) / reps;
            t0 = now();
            for (int i = 0; i < reps; i++)
                report_render_pdf(&r, pdf);
            double tp = (now() - t0) / reps;
            long plen = file_size(pdf);
            printf("%-10s %s: model %6.1f ms | JSON %6.1f ms %7.1f KB | HTML %6.1f ms %7.1f KB | "
                   "PDF %7.1f ms %7.1f KB\n",
                   report_kind_key((report_kind_t)kind), obd_lang_code((obd_lang_t)lang), tb * 1e3, tj * 1e3,
                   jlen / 1024.0, th * 1e3, hlen / 1024.0, tp * 1e3, plen / 1024.0);
            report_free(&r);
        }
    unlink(pdf);
    dtcdb_close(db);
    return 0;
}
