/*
 * The evidence store: work orders, scans saved and loaded back field for
 * field (hand-built and from the simulator), the attach rules, ECUs that
 * stopped answering, additional findings, the clear gate, the audit chain
 * (and tampering with it), QC sign-off hashes, recordings, retention, and
 * the bad days: a corrupt file, a read-only store, a full disk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "../../src/store_priv.h"
#include "obdgw/pid.h"
#include "obdgw/store.h"

#define VIN_A "LFV2A21K6M3012345"
#define VIN_B "LSVAU2180N2183456"

/* ---------------- fixtures ---------------- */

typedef struct {
    char dir[64];
    char path[128];
    store_t *st;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/obdgw-store-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    char err[256];
    if (store_open(f->path, &f->st, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    store_close(f->st);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int64_t count(store_t *st, const char *sql)
{
    sqlite3_stmt *s;
    int64_t n = -1;
    if (sqlite3_prepare_v2(store__db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void add_wo(store_t *st, const char *ro, const char *vin, const char *codes)
{
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "%s", ro);
    snprintf(w.vin, sizeof w.vin, "%s", vin ? vin : "");
    snprintf(w.complaint_codes, sizeof w.complaint_codes, "%s", codes ? codes : "");
    snprintf(w.complaint, sizeof w.complaint, "engine shakes at idle");
    w.mileage_in_km = -1;
    assert_int_equal(store_wo_add(st, &w), OBD_OK);
    assert_true(w.id > 0);
}

static obd_dtc_t dtc(const char *t)
{
    obd_dtc_t d = 0;
    assert_int_equal(obd_dtc_parse(t, &d), OBD_OK);
    return d;
}

/* One fully populated ECU; `variant` changes the values a little. */
static void fill_ecu(obd_ecu_scan_t *e, uint32_t addr, int variant, bool with_ff)
{
    e->addr = addr;
    snprintf(e->name, sizeof e->name, variant ? "TCM-TransmissionCtl" : "ECM-EngineControl");
    for (int p = 1; p < 0xA8; p += 3 + variant)
        obd_pidset_add(&e->pids, (uint8_t)p);
    static const uint8_t rd[4] = { 0x82, 0x07, 0x65, 0x21 };
    e->has_readiness = true;
    memcpy(e->readiness_raw, rd, 4);
    assert_int_equal(obd_readiness_decode(rd, 4, false, &e->readiness), OBD_OK);
    static const uint8_t rc[4] = { 0x00, 0x07, 0x65, 0x04 };
    e->has_readiness_cycle = !variant;
    if (!variant)
        assert_int_equal(obd_readiness_decode(rc, 4, true, &e->readiness_cycle), OBD_OK);
    e->stored.read = true;
    e->stored.count = 2;
    e->stored.dtcs[0] = dtc(variant ? "P0700" : "P0301");
    e->stored.dtcs[1] = dtc("P0420");
    e->pending.read = true;
    e->pending.count = 1;
    e->pending.dtcs[0] = dtc("P0171");
    e->permanent.read = true;
    e->permanent.unsupported = variant == 0;
    e->permanent.nrc = variant ? 0x22 : 0;
    /* how it answered (#10/#18): every new field set to something other than zero */
    e->stored.state = OBD_READ_DEVIATION;
    e->stored.addressing = OBD_ADDR_PHYSICAL;
    snprintf(e->stored.deviation, sizeof e->stored.deviation, "count byte says 3, 2 codes carried");
    e->stored.uds_format = variant == 1;
    e->stored.ftb[0] = 0x17;
    e->stored.status[0] = 0x2F;
    e->stored.ftb[1] = 0x00;
    e->stored.status[1] = 0x08;
    e->pending.state = variant ? OBD_READ_OK : OBD_READ_UNREADABLE;
    e->pending.addressing = OBD_ADDR_FUNCTIONAL;
    if (!variant) {
        snprintf(e->pending.deviation, sizeof e->pending.deviation, "reply too short (1 bytes)");
        e->pending.rawlen = 60; /* longer than what is kept */
        for (int k = 0; k < OBD_READ_RAW_MAX; k++)
            e->pending.raw[k] = (uint8_t)(0x47 + k);
    }
    e->permanent.state = variant ? OBD_READ_REFUSED : OBD_READ_UNSUPPORTED;
    e->permanent.addressing = OBD_ADDR_NRC;
    e->addressing[0x01] = OBD_ADDR_FUNCTIONAL;
    e->addressing[0x03] = OBD_ADDR_PHYSICAL;
    e->addressing[0x07] = OBD_ADDR_FUNCTIONAL;
    e->addressing[0x09] = OBD_ADDR_NONE;
    e->addressing[0x0A] = OBD_ADDR_NRC;
    e->physical_first = variant == 0;
    obd_pidset_add(&e->silent_pids, 0x0C);
    obd_pidset_add(&e->silent_pids, (uint8_t)(0x40 + variant));
    e->ff_state = with_ff ? OBD_READ_OK : OBD_READ_NO_ANSWER;
    e->m06_state = OBD_READ_DEVIATION;
    e->info_state = variant ? OBD_READ_UNSUPPORTED : OBD_READ_OK;
    e->has_ff = with_ff;
    if (with_ff) {
        e->ff_dtc = dtc("P0301");
        e->nff = 3;
        e->ff[0] = (obd_pid_sample_t){ 0x0C, 2, { 0x1A, 0xF8 } };
        e->ff[1] = (obd_pid_sample_t){ 0x05, 1, { 0x7B } };
        e->ff[2] = (obd_pid_sample_t){ 0x0D, 1, { 0x32 } };
    }
    e->warmups_since_clear = 12 + variant;
    e->km_since_clear = 345;
    e->min_since_clear = variant ? -1 : 67;
    e->km_with_mil = 89;
    e->min_with_mil = 10;
    e->odometer_km = variant ? -1 : 123456.7;
    e->ncalid = 2;
    snprintf(e->calid[0], sizeof e->calid[0], "CAL1234567890ABC");
    snprintf(e->calid[1], sizeof e->calid[1], "SW-%d", variant);
    e->ncvn = 2;
    e->cvn[0] = 0xDEADBEEF;
    e->cvn[1] = 0x01020304u + (uint32_t)variant;
    e->m06_read = true;
    e->nm06 = 2;
    e->m06[0] = (obd_test_result_t){ .mid = 0x21, .tid = 0x80, .uasid = 0x0B, .raw_value = 0x1234, .raw_min = 0x10,
                                     .raw_max = 0x7FFF, .value = 4.66, .min = 0.016, .max = 32.767, .passed = true,
                                     .known_unit = true };
    e->m06[1] = (obd_test_result_t){ .mid = 0xA2, .tid = 0x0B, .uasid = 0x24, .raw_value = 7, .raw_min = 0,
                                     .raw_max = 5, .value = 7, .min = 0, .max = 5, .passed = false, .known_unit = true };
}

static obd_scan_t *make_scan(const char *vin, size_t necus, bool with_ff)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    snprintf(s->link.adapter, sizeof s->link.adapter, "ELM327 v1.5");
    snprintf(s->link.device, sizeof s->link.device, "/dev/ttyUSB0");
    s->link.protocol = OBD_PROTO_CAN11_500;
    s->link.battery_v = 12.6;
    s->link.multi_pid = true;
    snprintf(s->vin, sizeof s->vin, "%s", vin ? vin : "");
    s->vin_from = 0x7E8;
    s->vin_source = OBD_VIN_SRC_MODE09_UNLISTED;
    s->vin_check_failed = true;
    s->status_known = true;
    s->obd_protocol = OBD_PROTOCOL_ON_UDS;
    s->physical_retries = 7;
    s->nnotes = 2;
    snprintf(s->notes[0], sizeof s->notes[0], "ECU 7E8 answered only when addressed physically");
    snprintf(s->notes[1], sizeof s->notes[1], "a note with \"quotes\" and 中文");
    s->mil_on = true;
    s->dtc_count = 2;
    s->recently_cleared = true;
    snprintf(s->cleared_why, sizeof s->cleared_why, "only 12 warm-ups since the last clear");
    s->started_ms = 1700000000123ULL;
    s->duration_ms = 4321;
    s->requests = 57;
    s->necus = necus;
    for (size_t i = 0; i < necus; i++)
        fill_ecu(&s->ecus[i], 0x7E8 + (uint32_t)i, (int)i, with_ff && i == 0);
    s->nraw = 3;
    for (size_t i = 0; i < 3; i++) {
        obd_raw_reply_t *r = &s->raw[i];
        r->reqlen = 2;
        r->req[0] = 0x01;
        r->req[1] = (uint8_t)(i * 0x20);
        r->addr = 0x7E8;
        r->len = (uint16_t)(i == 2 ? 300 : 6); /* the last one was longer than we keep */
        for (size_t k = 0; k < (r->len > 256 ? 256u : r->len); k++)
            r->data[k] = (uint8_t)(k * 7 + i);
    }
    return s;
}

static void assert_set_equal(const obd_dtc_set_t *a, const obd_dtc_set_t *b)
{
    assert_int_equal(a->read, b->read);
    assert_int_equal(a->unsupported, b->unsupported);
    assert_int_equal(a->nrc, b->nrc);
    assert_int_equal(a->count, b->count);
    assert_memory_equal(a->dtcs, b->dtcs, a->count * sizeof a->dtcs[0]);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->addressing, b->addressing);
    assert_memory_equal(a->deviation, b->deviation, sizeof a->deviation);
    assert_int_equal(a->rawlen, b->rawlen);
    assert_memory_equal(a->raw, b->raw, a->rawlen < OBD_READ_RAW_MAX ? a->rawlen : OBD_READ_RAW_MAX);
    assert_int_equal(a->uds_format, b->uds_format);
    assert_memory_equal(a->ftb, b->ftb, a->count);
    assert_memory_equal(a->status, b->status, a->count);
}

static void assert_readiness_equal(const obd_readiness_t *a, const obd_readiness_t *b)
{
    assert_int_equal(a->mil_on, b->mil_on);
    assert_int_equal(a->dtc_count, b->dtc_count);
    assert_int_equal(a->compression, b->compression);
    for (int m = 0; m < OBD_MON_COUNT; m++) {
        assert_int_equal(a->mon[m].supported, b->mon[m].supported);
        assert_int_equal(a->mon[m].complete, b->mon[m].complete);
    }
}

/* Every field that matters, compared exactly. */
static void assert_scan_equal(const obd_scan_t *a, const obd_scan_t *b)
{
    assert_string_equal(a->link.adapter, b->link.adapter);
    assert_string_equal(a->link.device, b->link.device);
    assert_int_equal(a->link.protocol, b->link.protocol);
    assert_true(a->link.battery_v == b->link.battery_v);
    assert_int_equal(a->link.multi_pid, b->link.multi_pid);
    assert_string_equal(a->vin, b->vin);
    assert_int_equal(a->vin_from, b->vin_from);
    assert_int_equal(a->vin_source, b->vin_source);
    assert_int_equal(a->vin_check_failed, b->vin_check_failed);
    assert_int_equal(a->status_known, b->status_known);
    assert_int_equal(a->obd_protocol, b->obd_protocol);
    assert_int_equal(a->physical_retries, b->physical_retries);
    assert_int_equal(a->nnotes, b->nnotes);
    for (size_t i = 0; i < a->nnotes; i++)
        assert_string_equal(a->notes[i], b->notes[i]);
    assert_int_equal(a->mil_on, b->mil_on);
    assert_int_equal(a->dtc_count, b->dtc_count);
    assert_int_equal(a->recently_cleared, b->recently_cleared);
    assert_string_equal(a->cleared_why, b->cleared_why);
    assert_int_equal(a->started_ms, b->started_ms);
    assert_int_equal(a->duration_ms, b->duration_ms);
    assert_int_equal(a->requests, b->requests);
    assert_int_equal(a->necus, b->necus);
    for (size_t i = 0; i < a->necus; i++) {
        const obd_ecu_scan_t *x = &a->ecus[i], *y = &b->ecus[i];
        assert_int_equal(x->addr, y->addr);
        assert_string_equal(x->name, y->name);
        assert_memory_equal(x->pids.bits, y->pids.bits, sizeof x->pids.bits);
        assert_memory_equal(x->addressing, y->addressing, sizeof x->addressing);
        assert_int_equal(x->physical_first, y->physical_first);
        assert_memory_equal(x->silent_pids.bits, y->silent_pids.bits, sizeof x->silent_pids.bits);
        assert_int_equal(x->ff_state, y->ff_state);
        assert_int_equal(x->m06_state, y->m06_state);
        assert_int_equal(x->info_state, y->info_state);
        assert_int_equal(x->has_readiness, y->has_readiness);
        if (x->has_readiness) {
            assert_memory_equal(x->readiness_raw, y->readiness_raw, 4);
            assert_readiness_equal(&x->readiness, &y->readiness);
        }
        assert_int_equal(x->has_readiness_cycle, y->has_readiness_cycle);
        if (x->has_readiness_cycle)
            assert_readiness_equal(&x->readiness_cycle, &y->readiness_cycle);
        assert_set_equal(&x->stored, &y->stored);
        assert_set_equal(&x->pending, &y->pending);
        assert_set_equal(&x->permanent, &y->permanent);
        assert_int_equal(x->has_ff, y->has_ff);
        if (x->has_ff)
            assert_int_equal(x->ff_dtc, y->ff_dtc);
        assert_int_equal(x->nff, y->nff);
        for (size_t k = 0; k < x->nff; k++) {
            assert_int_equal(x->ff[k].pid, y->ff[k].pid);
            assert_int_equal(x->ff[k].len, y->ff[k].len);
            assert_memory_equal(x->ff[k].data, y->ff[k].data, x->ff[k].len);
        }
        assert_int_equal(x->warmups_since_clear, y->warmups_since_clear);
        assert_int_equal(x->km_since_clear, y->km_since_clear);
        assert_int_equal(x->min_since_clear, y->min_since_clear);
        assert_int_equal(x->km_with_mil, y->km_with_mil);
        assert_int_equal(x->min_with_mil, y->min_with_mil);
        assert_true(x->odometer_km == y->odometer_km);
        assert_int_equal(x->ncalid, y->ncalid);
        for (size_t k = 0; k < x->ncalid; k++)
            assert_string_equal(x->calid[k], y->calid[k]);
        assert_int_equal(x->ncvn, y->ncvn);
        assert_memory_equal(x->cvn, y->cvn, x->ncvn * sizeof x->cvn[0]);
        assert_int_equal(x->m06_read, y->m06_read);
        assert_int_equal(x->nm06, y->nm06);
        for (size_t k = 0; k < x->nm06; k++) {
            const obd_test_result_t *p = &x->m06[k], *q = &y->m06[k];
            assert_int_equal(p->mid, q->mid);
            assert_int_equal(p->tid, q->tid);
            assert_int_equal(p->uasid, q->uasid);
            assert_int_equal(p->raw_value, q->raw_value);
            assert_int_equal(p->raw_min, q->raw_min);
            assert_int_equal(p->raw_max, q->raw_max);
            assert_true(p->value == q->value && p->min == q->min && p->max == q->max);
            assert_int_equal(p->passed, q->passed);
            assert_int_equal(p->known_unit, q->known_unit);
        }
    }
    assert_int_equal(a->nraw, b->nraw);
    for (size_t i = 0; i < a->nraw; i++) {
        const obd_raw_reply_t *x = &a->raw[i], *y = &b->raw[i];
        assert_int_equal(x->reqlen, y->reqlen);
        assert_memory_equal(x->req, y->req, x->reqlen);
        assert_int_equal(x->addr, y->addr);
        assert_int_equal(x->len, y->len);
        assert_memory_equal(x->data, y->data, x->len > 256 ? 256 : x->len);
    }
}

static int64_t save(store_t *st, const obd_scan_t *s, const char *ro, store_stage_t stage, int expect)
{
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.ro, sizeof m.ro, "%s", ro ? ro : "");
    m.stage = stage;
    m.mileage_km = -1;
    snprintf(m.technician, sizeof m.technician, "Wang Wei");
    int rc = store_scan_save(st, s, &m);
    if (rc != expect)
        fprintf(stderr, "save: %d (%s)\n", rc, store_errmsg(st));
    assert_int_equal(rc, expect);
    return rc ? 0 : m.id;
}

/* ---------------- open ---------------- */

static void test_open_pragmas(void **state)
{
    fx_t *f = *state;
    /* given a fresh store, then it is WAL, FULL sync, foreign keys on, current version */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store__db(f->st), "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    assert_int_equal(count(f->st, "PRAGMA synchronous"), 2);
    assert_int_equal(count(f->st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
    assert_int_equal(store_integrity_check(f->st), OBD_OK);

    /* :memory: works too */
    store_t *m;
    assert_int_equal(store_open(":memory:", &m, NULL, 0), OBD_OK);
    add_wo(m, "MEM-1", NULL, NULL);
    store_close(m);
}

static void test_stage_names(void **state)
{
    (void)state;
    store_stage_t s;
    assert_string_equal(store_stage_key(STORE_STAGE_RECEPTION), "pre");
    assert_string_equal(store_stage_key(STORE_STAGE_QC), "qc");
    assert_int_equal(store_stage_parse("reception", &s), OBD_OK);
    assert_int_equal(s, STORE_STAGE_RECEPTION);
    assert_int_equal(store_stage_parse("pre-repair", &s), OBD_OK);
    assert_int_equal(s, STORE_STAGE_RECEPTION);
    assert_int_equal(store_stage_parse("final", &s), OBD_OK);
    assert_int_equal(s, STORE_STAGE_QC);
    assert_int_equal(store_stage_parse("self", &s), OBD_OK);
    assert_int_equal(s, STORE_STAGE_SELFCHECK);
    assert_int_equal(store_stage_parse("lunch", &s), OBD_EFORMAT);
    assert_string_equal(store_stage_name(STORE_STAGE_QC, OBD_LANG_ZH), "总检");
    assert_string_equal(store_finding_state_key(STORE_FINDING_DECLINED), "declined");
}

/* ---------------- work orders ---------------- */

typedef struct {
    char ro[8][STORE_RO_LEN];
    int n;
} ro_list_t;

static int collect_ro(void *ctx, const store_wo_t *w)
{
    ro_list_t *l = ctx;
    if (l->n < 8)
        snprintf(l->ro[l->n++], STORE_RO_LEN, "%s", w->ro);
    return 0;
}

static void test_wo_add_get_list(void **state)
{
    fx_t *f = *state;
    store__set_now(f->st, 1700000000000);
    add_wo(f->st, "2024-0011", VIN_A, "P0301");
    store__set_now(f->st, 1700000060000);
    add_wo(f->st, "2024-0012", NULL, NULL);
    store__set_now(f->st, 1700000120000);
    add_wo(f->st, "2024-0013", VIN_B, NULL);

    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "2024-0011");
    assert_int_equal(store_wo_add(f->st, &w), OBD_EEXIST);
    assert_non_null(strstr(store_errmsg(f->st), "2024-0011"));
    snprintf(w.ro, sizeof w.ro, "2024-0099");
    snprintf(w.vin, sizeof w.vin, "LFV2A21K6M30I2345"); /* I is not a VIN letter */
    assert_int_equal(store_wo_add(f->st, &w), OBD_EINVAL);
    snprintf(w.vin, sizeof w.vin, "LFV2A21K6M30");
    assert_int_equal(store_wo_add(f->st, &w), OBD_EINVAL);
    assert_int_equal(store_wo_get(f->st, "2024-0099", &w), OBD_ENOTFOUND);

    assert_int_equal(store_wo_get(f->st, "2024-0011", &w), OBD_OK);
    assert_string_equal(w.vin, VIN_A);
    assert_string_equal(w.complaint_codes, "P0301");
    assert_int_equal(w.status, STORE_WO_OPEN);
    assert_string_equal(w.source, "cli");
    assert_int_equal(w.opened_ms, 1700000000000);

    assert_int_equal(store_wo_close(f->st, "2024-0012"), OBD_OK);
    assert_int_equal(store_wo_close(f->st, "2024-0012"), OBD_ESTATE);
    assert_string_equal(store_errmsg(f->st), "RO 2024-0012 is closed");
    assert_int_equal(store_wo_close(f->st, "nope"), OBD_ENOTFOUND);

    ro_list_t l = { 0 };
    assert_int_equal(store_wo_list(f->st, false, collect_ro, &l), OBD_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.ro[0], "2024-0013"); /* newest first */
    assert_string_equal(l.ro[2], "2024-0011");
    memset(&l, 0, sizeof l);
    assert_int_equal(store_wo_list(f->st, true, collect_ro, &l), OBD_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.ro[1], "2024-0011");

    /* adds and closes are audited, without the VIN */
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE action='wo_add'"), 3);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE action='wo_close'"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE details LIKE '%" VIN_A "%'"), 0);
}

static void test_wo_upsert(void **state)
{
    fx_t *f = *state;
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "DMS-1");
    snprintf(w.plate, sizeof w.plate, "京A12345");
    w.mileage_in_km = 52000;
    assert_int_equal(store_wo_upsert(f->st, &w), OBD_OK);
    assert_string_equal(w.source, "dms");

    /* given fields replace old ones; empty ones keep them */
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "DMS-1");
    snprintf(w.vin, sizeof w.vin, "%s", VIN_A);
    snprintf(w.bay, sizeof w.bay, "B3");
    w.mileage_in_km = -1;
    assert_int_equal(store_wo_upsert(f->st, &w), OBD_OK);
    store_wo_t g;
    assert_int_equal(store_wo_get(f->st, "DMS-1", &g), OBD_OK);
    assert_string_equal(g.vin, VIN_A);
    assert_string_equal(g.bay, "B3");
    assert_string_equal(g.plate, "京A12345");
    assert_int_equal(g.mileage_in_km, 52000);

    /* another VIN for the same RO is refused */
    snprintf(w.vin, sizeof w.vin, "%s", VIN_B);
    assert_int_equal(store_wo_upsert(f->st, &w), OBD_ESTATE);

    /* closing via the DMS works; an upsert never reopens */
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "DMS-1");
    w.status = STORE_WO_CLOSED;
    w.mileage_in_km = -1;
    assert_int_equal(store_wo_upsert(f->st, &w), OBD_OK);
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "DMS-1");
    snprintf(w.technician, sizeof w.technician, "Li");
    w.status = STORE_WO_OPEN;
    w.mileage_in_km = -1;
    assert_int_equal(store_wo_upsert(f->st, &w), OBD_OK);
    assert_int_equal(store_wo_get(f->st, "DMS-1", &g), OBD_OK);
    assert_int_equal(g.status, STORE_WO_CLOSED);
    assert_true(g.closed_ms > 0);
    assert_string_equal(g.technician, "Li");
}

/* ---------------- scans ---------------- */

static void test_scan_roundtrip(void **state)
{
    fx_t *f = *state;
    add_wo(f->st, "RO-1", VIN_A, "P0301");
    obd_scan_t *s = make_scan(VIN_A, 2, true);
    int64_t id = save(f->st, s, "RO-1", STORE_STAGE_RECEPTION, OBD_OK);

    obd_scan_t *b = calloc(1, sizeof *b);
    store_scan_meta_t m;
    assert_int_equal(store_scan_load(f->st, id, b, &m), OBD_OK);
    assert_scan_equal(s, b);
    assert_string_equal(m.ro, "RO-1");
    assert_int_equal(m.stage, STORE_STAGE_RECEPTION);
    assert_string_equal(m.vin, VIN_A);
    assert_string_equal(m.mileage_source, "pid_a6");
    assert_true(m.mileage_km == 123456.7);
    assert_string_equal(m.protocol, "can11_500");
    assert_string_equal(m.technician, "Wang Wei");
    assert_true(m.battery_v == 12.6);

    /* the stored canonical JSON is what the loaded scan renders */
    cJSON *j = obd_scan_json(b, NULL, OBD_LANG_EN);
    char *txt = cJSON_PrintUnformatted(j);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(store__db(f->st), "SELECT json FROM scans WHERE id=?", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, id);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), txt);
    sqlite3_finalize(q);
    free(txt);
    cJSON_Delete(j);

    /* meta only */
    assert_int_equal(store_scan_load(f->st, id, NULL, &m), OBD_OK);
    assert_int_equal(m.id, id);
    assert_int_equal(store_scan_load(f->st, 9999, b, &m), OBD_ENOTFOUND);

    /* nothing in the scan: still saved and loaded */
    obd_scan_t *empty = calloc(1, sizeof *empty);
    empty->link.battery_v = -1;
    int64_t eid = save(f->st, empty, NULL, STORE_STAGE_ADHOC, OBD_OK);
    assert_int_equal(store_scan_load(f->st, eid, b, &m), OBD_OK);
    assert_scan_equal(empty, b);
    assert_true(m.battery_v < 0 && m.mileage_km < 0);
    assert_string_equal(m.assign_note, "vehicle reported no VIN");
    free(empty);
    free(b);
    free(s);
}

static void test_scan_roundtrip_sim(void **state)
{
    fx_t *f = *state;
    obd_link_t *link = NULL;
    char err[160];
    assert_int_equal(obd_link_open("sim", NULL, &link, err, sizeof err), OBD_OK);
    obd_scan_t *s = calloc(1, sizeof *s), *b = calloc(1, sizeof *b);
    assert_int_equal(obd_scan_run(link, s, NULL, NULL), OBD_OK);
    obd_link_close(link);
    assert_true(s->necus >= 2);

    add_wo(f->st, "SIM-1", NULL, NULL); /* no VIN yet: takes the scan's */
    int64_t id = save(f->st, s, "SIM-1", STORE_STAGE_RECEPTION, OBD_OK);
    assert_int_equal(store_scan_load(f->st, id, b, NULL), OBD_OK);
    assert_scan_equal(s, b);
    store_wo_t w;
    assert_int_equal(store_wo_get(f->st, "SIM-1", &w), OBD_OK);
    assert_string_equal(w.vin, s->vin);
    bool m06 = false, ff = false;
    for (size_t i = 0; i < b->necus; i++) {
        m06 |= b->ecus[i].nm06 > 0;
        ff |= b->ecus[i].has_ff;
    }
    assert_true(m06 && ff);
    assert_int_equal(store_clear_allowed(f->st, "SIM-1"), OBD_OK);
    free(s);
    free(b);
}

static void test_attach_rules(void **state)
{
    fx_t *f = *state;
    obd_scan_t *s = make_scan(VIN_A, 1, true);
    store_scan_meta_t m;

    /* unknown RO, closed RO, different VIN: an error and nothing saved */
    save(f->st, s, "NOPE", STORE_STAGE_RECEPTION, OBD_ENOTFOUND);
    add_wo(f->st, "RO-B", VIN_B, NULL);
    save(f->st, s, "RO-B", STORE_STAGE_RECEPTION, OBD_ESTATE);
    assert_string_equal(store_errmsg(f->st), "scan VIN does not match RO RO-B");
    add_wo(f->st, "RO-C", VIN_A, NULL);
    assert_int_equal(store_wo_close(f->st, "RO-C"), OBD_OK);
    save(f->st, s, "RO-C", STORE_STAGE_RECEPTION, OBD_ESTATE);
    assert_string_equal(store_errmsg(f->st), "RO RO-C is closed");
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 0);

    /* no RO given, none open for the VIN: unassigned with the reason */
    int64_t u = save(f->st, s, NULL, STORE_STAGE_RECEPTION, OBD_OK);
    assert_int_equal(store_scan_load(f->st, u, NULL, &m), OBD_OK);
    assert_int_equal(m.wo_id, 0);
    assert_string_equal(m.ro, "");
    assert_string_equal(m.assign_note, "no open RO for this VIN");

    /* one open RO with that VIN: attached to it */
    add_wo(f->st, "RO-A", VIN_A, NULL);
    int64_t a = save(f->st, s, NULL, STORE_STAGE_RECEPTION, OBD_OK);
    assert_int_equal(store_scan_load(f->st, a, NULL, &m), OBD_OK);
    assert_string_equal(m.ro, "RO-A");

    /* two: unassigned */
    add_wo(f->st, "RO-A2", VIN_A, NULL);
    int64_t two = save(f->st, s, NULL, STORE_STAGE_RECEPTION, OBD_OK);
    assert_int_equal(store_scan_load(f->st, two, NULL, &m), OBD_OK);
    assert_int_equal(m.wo_id, 0);
    assert_string_equal(m.assign_note, "2 open ROs match");

    /* attach later; never to another VIN, never re-attached */
    assert_int_equal(store_scan_attach(f->st, "RO-B", u), OBD_ESTATE);
    assert_int_equal(store_scan_attach(f->st, "RO-A2", u), OBD_OK);
    assert_int_equal(store_scan_load(f->st, u, NULL, &m), OBD_OK);
    assert_string_equal(m.ro, "RO-A2");
    assert_string_equal(m.assign_note, "");
    assert_int_equal(store_scan_attach(f->st, "RO-A", u), OBD_ESTATE);
    assert_int_equal(store_scan_attach(f->st, "RO-A2", u), OBD_OK); /* same RO: nothing to do */
    assert_int_equal(store_scan_attach(f->st, "RO-C", two), OBD_ESTATE);
    assert_int_equal(store_scan_attach(f->st, "RO-A", 4242), OBD_ENOTFOUND);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE action='scan_attach'"), 1);

    /* list and latest */
    int64_t latest = 0;
    store_stage_t pre = STORE_STAGE_RECEPTION, post = STORE_STAGE_POST;
    assert_int_equal(store_scan_latest(f->st, "RO-A", &pre, 1, &latest), OBD_OK);
    assert_int_equal(latest, a);
    assert_int_equal(store_scan_latest(f->st, "RO-A", &post, 1, &latest), OBD_ENOTFOUND);
    free(s);
}

static void test_mileage_source(void **state)
{
    fx_t *f = *state;
    obd_scan_t *s = make_scan(VIN_A, 2, false);
    s->ecus[0].odometer_km = -1; /* no PID A6 anywhere */
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    m.stage = STORE_STAGE_ADHOC;
    m.mileage_km = 52001;
    assert_int_equal(store_scan_save(f->st, s, &m), OBD_OK);
    assert_string_equal(m.mileage_source, "entered");
    assert_true(m.mileage_km == 52001);
    s->ecus[1].odometer_km = 52100.5;
    memset(&m, 0, sizeof m);
    m.mileage_km = 52001;
    assert_int_equal(store_scan_save(f->st, s, &m), OBD_OK);
    assert_string_equal(m.mileage_source, "pid_a6");
    assert_true(m.mileage_km == 52100.5);
    free(s);
}

static void test_missing_ecus(void **state)
{
    fx_t *f = *state;
    add_wo(f->st, "RO-M", VIN_A, NULL);
    obd_scan_t *s = make_scan(VIN_A, 2, true);
    save(f->st, s, "RO-M", STORE_STAGE_RECEPTION, OBD_OK);
    s->necus = 1; /* the TCM (7E9) does not answer the post-repair scan */
    s->started_ms += 3600000;
    int64_t id = save(f->st, s, "RO-M", STORE_STAGE_POST, OBD_OK);
    uint32_t miss[4];
    assert_int_equal(store_scan_missing_ecus(f->st, id, miss, 4), 1);
    assert_int_equal(miss[0], 0x7E9);
    obd_scan_t *b = calloc(1, sizeof *b);
    assert_int_equal(store_scan_load(f->st, id, b, NULL), OBD_OK);
    assert_int_equal(b->necus, 1);
    assert_int_equal(b->ecus[0].addr, 0x7E8);
    free(b);
    free(s);
}

/* ---------------- findings ---------------- */

typedef struct {
    store_finding_t f[8];
    int n;
} flist_t;

static int collect_f(void *ctx, const store_finding_t *x)
{
    flist_t *l = ctx;
    if (l->n < 8)
        l->f[l->n++] = *x;
    return 0;
}

static void test_findings(void **state)
{
    fx_t *f = *state;
    bool have_db = store__dtcdb(f->st) != NULL;
    /* complaint: misfire (by code) and the fuel system (by system key) */
    add_wo(f->st, "RO-F", VIN_A, "P0301, fuel_air");
    obd_scan_t *s = make_scan(VIN_A, 1, true);
    s->ecus[0].stored.count = 3;
    s->ecus[0].stored.dtcs[2] = dtc("P0171"); /* fuel_air in the DTC database */
    int64_t id = save(f->st, s, "RO-F", STORE_STAGE_RECEPTION, OBD_OK);

    flist_t l = { 0 };
    assert_int_equal(store_finding_list(f->st, "RO-F", collect_f, &l), OBD_OK);
    assert_int_equal(l.n, have_db ? 1 : 2);
    assert_string_equal(l.f[0].code, "P0420");
    assert_int_equal(l.f[0].state, STORE_FINDING_PROPOSED);
    assert_int_equal(l.f[0].ecu, 0x7E8);
    assert_int_equal(l.f[0].first_scan_id, id);

    /* a later scan does not propose the same code twice */
    save(f->st, s, "RO-F", STORE_STAGE_DIAGNOSTIC, OBD_OK);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_finding_list(f->st, "RO-F", collect_f, &l), OBD_OK);
    assert_int_equal(l.n, have_db ? 1 : 2);

    /* the customer's decision */
    assert_int_equal(store_finding_decide(f->st, "RO-F", "P0420", STORE_FINDING_APPROVED, "advisor Zhao",
                                          "customer agreed by phone"),
                     OBD_OK);
    assert_int_equal(store_finding_decide(f->st, "RO-F", "P0455", STORE_FINDING_APPROVED, "advisor Zhao", ""),
                     OBD_ENOTFOUND);
    assert_int_equal(store_finding_decide(f->st, "RO-F", "P0420", STORE_FINDING_PROPOSED, "x", ""), OBD_EINVAL);
    assert_int_equal(store_finding_decide(f->st, "RO-F", "P0420", STORE_FINDING_DECLINED, "", ""), OBD_EINVAL);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_finding_list(f->st, "RO-F", collect_f, &l), OBD_OK);
    assert_int_equal(l.f[0].state, STORE_FINDING_APPROVED);
    assert_string_equal(l.f[0].decided_by, "advisor Zhao");
    assert_string_equal(l.f[0].note, "customer agreed by phone");
    assert_true(l.f[0].decided_ms > 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE action='finding_decide' AND actor='advisor Zhao'"),
                     1);

    /* an unassigned scan raises no findings */
    save(f->st, s, NULL, STORE_STAGE_ADHOC, OBD_OK); /* one open RO for the VIN: attaches, nothing new */
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM findings"), have_db ? 1 : 2);
    assert_int_equal(store_wo_close(f->st, "RO-F"), OBD_OK);
    assert_int_equal(store_finding_decide(f->st, "RO-F", "P0420", STORE_FINDING_DECLINED, "a", ""), OBD_ESTATE);
    free(s);
}

/* ---------------- clear gate ---------------- */

static void test_clear_gate(void **state)
{
    fx_t *f = *state;
    assert_int_equal(store_clear_allowed(f->st, "2024-0012"), OBD_ENOTFOUND);
    assert_string_equal(store_errmsg(f->st), "RO 2024-0012 not found");
    add_wo(f->st, "2024-0012", VIN_A, "P0301");
    assert_int_equal(store_clear_allowed(f->st, "2024-0012"), OBD_ESTATE);
    assert_string_equal(store_errmsg(f->st), "RO 2024-0012 has no pre-repair scan");

    obd_scan_t *s = make_scan(VIN_A, 2, false);
    save(f->st, s, "2024-0012", STORE_STAGE_RECEPTION, OBD_OK);
    obd_scan_t *d = make_scan(VIN_A, 1, true); /* a freeze frame, but not at reception */
    save(f->st, d, "2024-0012", STORE_STAGE_DIAGNOSTIC, OBD_OK);
    free(d);
    assert_int_equal(store_clear_allowed(f->st, "2024-0012"), OBD_ESTATE);
    assert_string_equal(store_errmsg(f->st), "RO 2024-0012 has no pre-repair scan with a freeze frame");

    obd_scan_t *ff = make_scan(VIN_A, 2, true);
    save(f->st, ff, "2024-0012", STORE_STAGE_RECEPTION, OBD_OK);
    assert_int_equal(store_clear_allowed(f->st, "2024-0012"), OBD_OK);

    int64_t pre = save(f->st, ff, "2024-0012", STORE_STAGE_DIAGNOSTIC, OBD_OK);
    uint32_t acked[2] = { 0x7E8, 0x7E9 };
    int64_t cid = 0;
    assert_int_equal(store_clear_record(f->st, "2024-0012", "", "x", pre, acked, 2, &cid), OBD_EINVAL);
    assert_int_equal(store_clear_record(f->st, "2024-0012", "Wang Wei", "misfire repaired", 777, acked, 2, &cid),
                     OBD_ENOTFOUND);
    assert_int_equal(store_clear_record(f->st, "2024-0012", "Wang Wei", "misfire repaired", pre, acked, 2, &cid),
                     OBD_OK);
    assert_true(cid > 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM clear_ecus"), 2);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE action='clear' AND ro='2024-0012'"), 1);

    /* another RO's scan is not evidence for this one */
    add_wo(f->st, "2024-0013", VIN_B, NULL);
    assert_int_equal(store_clear_record(f->st, "2024-0013", "Wang Wei", "", pre, acked, 2, &cid), OBD_ESTATE);

    assert_int_equal(store_wo_close(f->st, "2024-0012"), OBD_OK);
    assert_int_equal(store_clear_allowed(f->st, "2024-0012"), OBD_ESTATE);
    assert_string_equal(store_errmsg(f->st), "RO 2024-0012 is closed");
    assert_int_equal(store_clear_record(f->st, "2024-0012", "Wang Wei", "", pre, acked, 2, &cid), OBD_ESTATE);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM clears"), 1);
    free(s);
    free(ff);
}

/* ---------------- audit, QC ---------------- */

static void test_audit_chain(void **state)
{
    fx_t *f = *state;
    add_wo(f->st, "RO-X", VIN_A, NULL);
    assert_int_equal(store_audit_append(f->st, "remote_grant", "RO-X", "bay 3", "{\"minutes\":15}"), OBD_OK);
    assert_int_equal(store_audit_append(f->st, "note", "", "system", NULL), OBD_OK);
    assert_int_equal(store_audit_append(f->st, "note", "", "system", "{\"vin\":\"" VIN_A "\"}"), OBD_EINVAL);
    assert_int_equal(store_audit_append(f->st, "note", "", "system", "not json"), OBD_EINVAL);
    assert_int_equal(store_audit_append(f->st, "Bad Action", "", "system", NULL), OBD_EINVAL);
    assert_int_equal(store_audit_append(f->st, "note", "", "system", "{\"sha\":\"" /* a hash is not a VIN */
                                                                     "A1B2C3D4E5F60718293A4B5C6D7E8F90\"}"),
                     OBD_OK);
    int64_t n = 0, bad = -1;
    assert_int_equal(store_audit_verify(f->st, &n, &bad), OBD_OK);
    assert_int_equal(n, 4);
    assert_int_equal(bad, 0);

    /* SQL refuses edits and deletions */
    sqlite3 *db = store__db(f->st);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET actor='me' WHERE id=2", NULL, NULL, NULL), SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE id=2", NULL, NULL, NULL), SQLITE_OK);

    /* around the trigger: the chain catches it at that entry */
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE audit SET details='{\"minutes\":600}' WHERE id=2", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(store_audit_verify(f->st, &n, &bad), OBD_EBADDATA);
    assert_int_equal(bad, 2);
    assert_int_equal(n, 1);
    assert_non_null(strstr(store_errmsg(f->st), "audit entry 2"));
}

static void test_qc_sign(void **state)
{
    fx_t *f = *state;
    add_wo(f->st, "RO-Q", VIN_A, NULL);
    const char *json = "{\"verdict\":\"pass\"}", *html = "<html><body>通过</body></html>";
    char h[65] = "", v[65] = "";
    assert_int_equal(store_qc_verify(f->st, "RO-Q", v), OBD_ENOTFOUND);
    assert_int_equal(store_qc_sign(f->st, "RO-Q", "", "pass", json, html, h), OBD_EINVAL);
    assert_int_equal(store_qc_sign(f->st, "RO-Q", "QC Liu", "pass", json, html, h), OBD_OK);

    /* the documented hash: SHA-256 over the JSON followed by the HTML */
    unsigned char md[32];
    unsigned mdlen;
    char cat[256];
    snprintf(cat, sizeof cat, "%s%s", json, html);
    EVP_Digest(cat, strlen(cat), md, &mdlen, EVP_sha256(), NULL);
    char want[65];
    for (int i = 0; i < 32; i++)
        snprintf(want + 2 * i, 3, "%02x", md[i]);
    assert_string_equal(h, want);
    assert_int_equal(store_qc_verify(f->st, "RO-Q", v), OBD_OK);
    assert_string_equal(v, want);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE action='qc_sign' AND actor='QC Liu'"), 1);
    char who[48] = "", verdict[24] = "", sh[65] = "";
    int64_t when = 0;
    assert_int_equal(store_qc_get(f->st, "RO-Q", who, &when, verdict, sh), OBD_OK);
    assert_string_equal(who, "QC Liu");
    assert_string_equal(verdict, "pass");
    assert_string_equal(sh, want);
    assert_true(when > 0);
    assert_int_equal(store_qc_get(f->st, "RO-NONE", who, &when, verdict, sh), OBD_ENOTFOUND);

    sqlite3 *db = store__db(f->st);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE qc_signoffs SET report_html='x'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER qc_no_update", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE qc_signoffs SET report_html='<html>changed</html>'", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(store_qc_verify(f->st, "RO-Q", v), OBD_EBADDATA);
    assert_non_null(strstr(store_errmsg(f->st), "does not match"));
}

/* ---------------- recordings ---------------- */

typedef struct {
    int64_t n;
    uint64_t last_t;
    bool ordered;
    store_rec_stat_t st[8];
    int nst;
} rec_ctx_t;

static int on_sample(void *ctx, const obd_live_sample_t *s)
{
    rec_ctx_t *c = ctx;
    if (s->t_ms < c->last_t)
        c->ordered = false;
    c->last_t = s->t_ms;
    if (c->n == 7) { /* spot check one sample */
        assert_int_equal(s->pid, 0x05);
        assert_int_equal(s->addr, 0x7E8);
        assert_int_equal(s->len, 1);
    }
    c->n++;
    return 0;
}

static int on_stat(void *ctx, const store_rec_stat_t *s)
{
    rec_ctx_t *c = ctx;
    if (c->nst < 8)
        c->st[c->nst++] = *s;
    return 0;
}

static int count_rec(void *ctx, const store_recording_t *r)
{
    (*(int *)ctx)++;
    assert_true(r->samples > 0);
    return 0;
}

static void test_recording(void **state)
{
    fx_t *f = *state;
    add_wo(f->st, "RO-R", VIN_A, NULL);
    const uint8_t pids[2] = { 0x0C, 0x05 };
    store_rec_writer_t *w = NULL;
    assert_int_equal(store_rec_begin(f->st, "NOPE", "sim", pids, 2, &w), OBD_ENOTFOUND);
    assert_int_equal(store_rec_begin(f->st, "RO-R", "sim", pids, 2, &w), OBD_OK);
    enum { N = 10000 };
    obd_live_sample_t *s = calloc(N, sizeof *s);
    uint64_t t = 1700000000000ULL;
    for (int i = 0; i < N; i++) {
        s[i].addr = 0x7E8;
        s[i].t_ms = t + (uint64_t)i * 10;
        if (i % 2 == 0) { /* rpm 800 .. 2790 step 2 (raw/4) */
            uint16_t raw = (uint16_t)((800 + (i / 2) % 1000 * 2) * 4);
            s[i].pid = 0x0C;
            s[i].len = 2;
            s[i].data[0] = (uint8_t)(raw >> 8);
            s[i].data[1] = (uint8_t)raw;
        } else { /* coolant 50 or 90 degrees */
            s[i].pid = 0x05;
            s[i].len = 1;
            s[i].data[0] = (uint8_t)((i / 2) % 2 ? 90 + 40 : 50 + 40);
        }
    }
    for (int i = 0; i < N; i += 1000)
        assert_int_equal(store_rec_add(w, s + i, 1000), OBD_OK);
    store_recording_t r;
    assert_int_equal(store_rec_end(w, &r), OBD_OK);
    assert_int_equal(r.samples, N);
    assert_string_equal(r.pids, "0C 05");
    assert_true(r.wo_id > 0);
    assert_true(r.ended_ms >= r.started_ms);

    rec_ctx_t c = { .ordered = true };
    assert_int_equal(store_rec_samples(f->st, r.id, on_sample, &c), OBD_OK);
    assert_int_equal(c.n, N);
    assert_true(c.ordered);
    assert_int_equal(store_rec_stats(f->st, r.id, on_stat, &c), OBD_OK);
    assert_int_equal(c.nst, 2);
    /* sorted by pid: 05 first */
    assert_int_equal(c.st[0].pid, 0x05);
    assert_int_equal(c.st[0].n, N / 2);
    assert_true(c.st[0].min == 50 && c.st[0].max == 90 && c.st[0].mean == 70);
    assert_int_equal(c.st[1].pid, 0x0C);
    assert_true(c.st[1].min == 800 && c.st[1].max == 2798);
    assert_true(c.st[1].mean > 1798 && c.st[1].mean < 1800);
    int nrec = 0;
    assert_int_equal(store_rec_list(f->st, "RO-R", count_rec, &nrec), OBD_OK);
    assert_int_equal(nrec, 1);
    assert_int_equal(store_rec_stats(f->st, 999, on_stat, &c), OBD_ENOTFOUND);

    /* an unattached recording */
    assert_int_equal(store_rec_begin(f->st, NULL, "sim", pids, 2, &w), OBD_OK);
    assert_int_equal(store_rec_add(w, s, 10), OBD_OK);
    assert_int_equal(store_rec_flush(w), OBD_OK);
    assert_int_equal(store_rec_end(w, NULL), OBD_OK);
    nrec = 0;
    assert_int_equal(store_rec_list(f->st, "", count_rec, &nrec), OBD_OK);
    assert_int_equal(nrec, 1);
    free(s);
}

/* ---------------- retention ---------------- */

static void test_purge(void **state)
{
    fx_t *f = *state;
    const int64_t day = 86400000, t0 = 1700000000000;
    obd_scan_t *s = make_scan(VIN_A, 1, true);
    store__set_now(f->st, t0);
    add_wo(f->st, "OLD", VIN_A, NULL);
    save(f->st, s, "OLD", STORE_STAGE_RECEPTION, OBD_OK);
    assert_int_equal(store_wo_close(f->st, "OLD"), OBD_OK);
    obd_scan_t *other = make_scan(VIN_B, 1, false);
    save(f->st, other, NULL, STORE_STAGE_ADHOC, OBD_OK); /* unassigned, old */
    free(other);

    store__set_now(f->st, t0 + 100 * day);
    add_wo(f->st, "NEW", VIN_A, NULL);
    int64_t keep = save(f->st, s, "NEW", STORE_STAGE_RECEPTION, OBD_OK);

    store__set_now(f->st, t0 + 120 * day);
    int64_t removed = -1;
    /* closed more than 400 days ago: nothing; scans older than 60 days: the two old ones */
    assert_int_equal(store_purge(f->st, 0, 400, &removed), OBD_OK);
    assert_int_equal(removed, 0);
    assert_int_equal(store_purge(f->st, 0, 30, &removed), OBD_OK);
    assert_int_equal(removed, 1); /* the OLD RO and its scan */
    store_wo_t w;
    assert_int_equal(store_wo_get(f->st, "OLD", &w), OBD_ENOTFOUND);
    assert_int_equal(store_purge(f->st, 60, 0, &removed), OBD_OK);
    assert_int_equal(removed, 1); /* the unassigned one */
    assert_int_equal(store_scan_load(f->st, keep, NULL, NULL), OBD_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM vehicles WHERE vin='" VIN_B "'"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scan_dtcs WHERE scan_id <> (SELECT MAX(id) FROM scans)"), 0);
    /* the audit log is kept whole */
    int64_t n, bad;
    assert_int_equal(store_audit_verify(f->st, &n, &bad), OBD_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE ro='OLD'"), 3);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit WHERE action='purge'"), 3);
    assert_int_equal(store_integrity_check(f->st), OBD_OK);
    free(s);
}

/* ---------------- bad days ---------------- */

static void file_bytes(const char *path, char *buf, size_t cap, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    *n = fread(buf, 1, cap, fp);
    fclose(fp);
}

static void test_corrupt_file(void **state)
{
    fx_t *f = *state;
    char path[160], before[4096], after[4096];
    snprintf(path, sizeof path, "%s/garbage.db", f->dir);
    FILE *fp = fopen(path, "wb");
    for (int i = 0; i < 4096; i++)
        fputc((i * 131 + 7) & 0xFF, fp);
    fclose(fp);
    size_t nb, na;
    file_bytes(path, before, sizeof before, &nb);
    store_t *st = NULL;
    char err[256] = "";
    int rc = store_open(path, &st, err, sizeof err);
    assert_int_equal(rc, OBD_EBADDATA);
    assert_null(st);
    assert_non_null(strstr(err, "corrupt"));
    file_bytes(path, after, sizeof after, &na);
    assert_int_equal(na, nb);
    assert_memory_equal(before, after, nb);
    char side[200];
    snprintf(side, sizeof side, "%s-wal", path);
    assert_int_not_equal(access(side, F_OK), 0);
}

/* Writes to a write-protected store fail with a clear error; nothing is
 * lost. As root, file modes do not stop writes, so the check runs in a child
 * that drops to nobody. */
static void test_readonly(void **state)
{
    fx_t *f = *state;
    add_wo(f->st, "RO-RO", VIN_A, NULL);
    store_close(f->st);
    f->st = NULL;
    assert_int_equal(chmod(f->path, 0444), 0);
    assert_int_equal(chmod(f->dir, 0755), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
            _exit(10);
        store_t *st = NULL;
        char err[256];
        if (store_open(f->path, &st, err, sizeof err)) {
            fprintf(stderr, "open: %s\n", err);
            _exit(11);
        }
        store_wo_t w;
        if (store_wo_get(st, "RO-RO", &w) || strcmp(w.vin, VIN_A))
            _exit(12);
        memset(&w, 0, sizeof w);
        snprintf(w.ro, sizeof w.ro, "RO-NEW");
        int rc = store_wo_add(st, &w);
        if (rc != OBD_EIO || !strstr(store_errmsg(st), "read-only"))
            _exit(13);
        obd_scan_t *s = make_scan(VIN_A, 1, true);
        store_scan_meta_t m;
        memset(&m, 0, sizeof m);
        snprintf(m.ro, sizeof m.ro, "RO-RO");
        if (store_scan_save(st, s, &m) != OBD_EIO)
            _exit(14);
        free(s);
        store_close(st);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(chmod(f->path, 0644), 0);
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
    store_wo_t w;
    assert_int_equal(store_wo_get(f->st, "RO-RO", &w), OBD_OK);
    assert_int_equal(store_wo_get(f->st, "RO-NEW", &w), OBD_ENOTFOUND);
}

static void test_disk_full(void **state)
{
    fx_t *f = *state;
    add_wo(f->st, "RO-D", VIN_A, NULL);
    obd_scan_t *s = make_scan(VIN_A, 2, true);
    int64_t first = save(f->st, s, "RO-D", STORE_STAGE_RECEPTION, OBD_OK);
    int64_t pages = count(f->st, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count=%lld", (long long)pages + 2);
    assert_int_equal(sqlite3_exec(store__db(f->st), sql, NULL, NULL, NULL), SQLITE_OK);
    int rc = OBD_OK;
    int saved = 0;
    for (int i = 0; i < 50 && rc == OBD_OK; i++) {
        store_scan_meta_t m;
        memset(&m, 0, sizeof m);
        snprintf(m.ro, sizeof m.ro, "RO-D");
        rc = store_scan_save(f->st, s, &m);
        saved += rc == OBD_OK;
    }
    assert_int_equal(rc, OBD_EIO);
    assert_non_null(strstr(store_errmsg(f->st), "disk full"));
    /* what was saved before is intact, and no half scan exists */
    obd_scan_t *b = calloc(1, sizeof *b);
    assert_int_equal(store_scan_load(f->st, first, b, NULL), OBD_OK);
    assert_scan_equal(s, b);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 1 + saved);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans s WHERE necus <>"
                                  " (SELECT COUNT(*) FROM scan_ecus e WHERE e.scan_id=s.id AND e.answered=1)"),
                     0);
    /* the recording writer reports it too, and keeps the batch */
    store_rec_writer_t *w = NULL;
    if (store_rec_begin(f->st, "RO-D", "sim", (const uint8_t[]){ 0x0C }, 1, &w) == OBD_OK) {
        obd_live_sample_t x[64];
        memset(x, 0, sizeof x);
        for (int i = 0; i < 64; i++)
            x[i] = (obd_live_sample_t){ .addr = 0x7E8, .pid = 0x0C, .t_ms = 1, .len = 2, .data = { 1, 2 } };
        for (int i = 0; i < 200 && rc != OBD_EIO; i++)
            if ((rc = store_rec_add(w, x, 64)) == OBD_OK)
                rc = store_rec_flush(w);
        assert_int_equal(rc, OBD_EIO);
        store_rec_end(w, NULL);
    }
    assert_int_equal(store_integrity_check(f->st), OBD_OK);
    int64_t n, bad;
    assert_int_equal(store_audit_verify(f->st, &n, &bad), OBD_OK);
    free(b);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_pragmas, setup, teardown),
        cmocka_unit_test(test_stage_names),
        cmocka_unit_test_setup_teardown(test_wo_add_get_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wo_upsert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_roundtrip_sim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mileage_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_ecus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_gate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qc_sign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recording, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
