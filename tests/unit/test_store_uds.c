/*
 * UDS scans and UDS clears in the evidence store (schema v4), the
 * additional items (增项) UDS DTCs propose (schema v5), and the
 * per-module $14 runner against a scripted link.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/store_priv.h"
#include "obdgw/store_uds.h"

#define VIN "LFV2A21K6M3012345"
#define OTHER_VIN "LGWEF6A56LH012345"

/* ---- fixtures ---- */

static int setup(void **state)
{
    store_t *st;
    char err[256];
    if (store_open(":memory:", &st, err, sizeof err))
        return -1;
    store__set_now(st, 1700000000000);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    return 0;
}

static void add_ro(store_t *st, const char *ro, const char *vin)
{
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "%s", ro);
    snprintf(w.vin, sizeof w.vin, "%s", vin ? vin : "");
    w.mileage_in_km = -1;
    assert_int_equal(store_wo_add(st, &w), OBD_OK);
}

/* A three-module car as uds_scan_run would leave it: ABS with two DTCs (one
 * confirmed), a snapshot and an extended-data record, three identification
 * DIDs; a gateway that needs OEM authorisation (7F 19 33); a silent pair. */
static uds_scan_t *car(const char *vin)
{
    uds_scan_t *s = calloc(1, sizeof *s);
    s->nmodules = 3;
    s->nanswered = 2;
    s->requests = 21;
    s->tester_present = 2;
    s->duration_ms = 340;
    uds_module_t *a = &s->modules[0];
    a->tx_id = 0x713;
    a->rx_id = 0x77D;
    a->answered = true;
    a->state = UDS_MOD_OK;
    a->dtcs_read = true;
    a->avail_mask = 0xFF;
    a->session_held = true;
    a->busy_retries = 1;
    a->ident_ok[0] = a->ident_ok[1] = a->ident_ok[3] = true;
    snprintf(a->ident[0], sizeof a->ident[0], "%s", vin ? vin : "");
    a->ident_ok[0] = vin != NULL;
    snprintf(a->ident[1], sizeof a->ident[1], "5Q0907379AC");
    snprintf(a->ident[3], sizeof a->ident[3], "0150");
    a->ndtcs = 2;
    a->dtcs[0] = (uds_dtc_t){ 0x403511, 0x2F }; /* C0035-11, confirmed */
    a->dtcs[1] = (uds_dtc_t){ 0x404013, 0x50 }; /* C0040-13, not completed since clear */
    uds_scan_snap_t *r0 = uds_scan_add_record(s, a), *r1 = uds_scan_add_record(s, a);
    *r0 = (uds_scan_snap_t){ .module = r0->module, .code = 0x403511, .record = UDS_RDTC_SNAPSHOT, .len = 5,
                             .data = { 0x01, 0x02, 0xDD, 0x01, 0x42 } };
    *r1 = (uds_scan_snap_t){ .module = r1->module, .code = 0x403511, .record = UDS_RDTC_EXTDATA, .len = 2,
                             .data = { 0x01, 0x07 } };
    uds_module_t *g = &s->modules[1];
    g->tx_id = 0x18DA10F1;
    g->rx_id = 0x18DAF110;
    g->answered = true;
    g->state = UDS_MOD_NEEDS_AUTH;
    g->nrc = 0x33;
    s->modules[2] = (uds_module_t){ .tx_id = 0x714, .rx_id = 0x77E };
    return s;
}

static void assert_same_scan(const uds_scan_t *a, const uds_scan_t *b)
{
    assert_int_equal(a->nmodules, b->nmodules);
    assert_int_equal(a->nanswered, b->nanswered);
    assert_int_equal(a->requests, b->requests);
    assert_int_equal(a->tester_present, b->tester_present);
    assert_int_equal(a->duration_ms, b->duration_ms);
    for (size_t i = 0; i < a->nmodules; i++) {
        const uds_module_t *x = &a->modules[i], *y = &b->modules[i];
        assert_int_equal(x->tx_id, y->tx_id);
        assert_int_equal(x->rx_id, y->rx_id);
        assert_int_equal(x->answered, y->answered);
        assert_int_equal(x->state, y->state);
        assert_int_equal(x->nrc, y->nrc);
        assert_int_equal(x->dtcs_read, y->dtcs_read);
        assert_int_equal(x->avail_mask, y->avail_mask);
        assert_int_equal(x->session_held, y->session_held);
        assert_int_equal(x->busy_retries, y->busy_retries);
        for (size_t k = 0; k < UDS_SCAN_NIDENT; k++) {
            assert_int_equal(x->ident_ok[k], y->ident_ok[k]);
            if (x->ident_ok[k])
                assert_string_equal(x->ident[k], y->ident[k]);
        }
        assert_int_equal(x->ndtcs, y->ndtcs);
        for (size_t k = 0; k < x->ndtcs; k++) {
            assert_int_equal(x->dtcs[k].code, y->dtcs[k].code);
            assert_int_equal(x->dtcs[k].status, y->dtcs[k].status);
        }
        assert_int_equal(x->nsnap, y->nsnap);
        for (size_t k = 0; k < x->nsnap; k++) {
            const uds_scan_snap_t *p = uds_scan_record(a, x, k), *q = uds_scan_record(b, y, k);
            assert_non_null(p);
            assert_non_null(q);
            assert_int_equal(p->code, q->code);
            assert_int_equal(p->record, q->record);
            assert_int_equal(p->len, q->len);
            assert_memory_equal(p->data, q->data, p->len);
        }
    }
}

static int64_t count(store_t *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store__db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static store_uds_meta_t meta_for(const char *ro, store_stage_t stage)
{
    store_uds_meta_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.ro, sizeof m.ro, "%s", ro ? ro : "");
    m.stage = stage;
    snprintf(m.technician, sizeof m.technician, "Li Wei");
    snprintf(m.adapter, sizeof m.adapter, "can0");
    return m;
}

/* ---- round trip ---- */

static void test_round_trip(void **state)
{
    store_t *st = *state;
    add_ro(st, "RO-1", VIN);
    uds_scan_t *s = car(VIN);
    /* given a scan saved on RO-1 */
    store_uds_meta_t m = meta_for("RO-1", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    assert_true(m.id > 0);
    assert_string_equal(m.ro, "RO-1");
    assert_string_equal(m.vin, VIN);
    assert_int_equal(m.probed, 3);
    assert_int_equal(m.answered, 2);
    assert_int_equal(m.needs_auth, 1);
    assert_int_equal(m.ndtcs, 2);
    assert_int_equal(m.nconfirmed, 1);
    /* when it is loaded back, then every field is as saved */
    uds_scan_t *b = calloc(1, sizeof *b);
    store_uds_meta_t lm;
    assert_int_equal(store_uds_load(st, m.id, b, &lm), OBD_OK);
    assert_same_scan(s, b);
    assert_string_equal(lm.ro, "RO-1");
    assert_int_equal(lm.stage, STORE_STAGE_RECEPTION);
    assert_string_equal(lm.technician, "Li Wei");
    assert_string_equal(lm.adapter, "can0");
    assert_int_equal(lm.needs_auth, 1);
    assert_int_equal(lm.nconfirmed, 1);
    assert_int_equal(lm.started_ms, 1700000000000 - 340);
    /* names are kept for the pairs we know, and only those */
    char key[24];
    assert_int_equal(store_uds_module_name(st, m.id, 0, key, sizeof key), OBD_OK);
    assert_string_equal(key, "abs");
    assert_int_equal(store_uds_module_name(st, m.id, 1, key, sizeof key), OBD_OK);
    assert_string_equal(key, "engine");
    assert_int_equal(store_uds_module_name(st, m.id, 2, key, sizeof key), OBD_OK);
    assert_string_equal(key, "");
    assert_int_equal(store_uds_module_name(st, m.id, 3, key, sizeof key), OBD_ENOTFOUND);
    /* the save is audited without the VIN */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit WHERE action='uds_scan_save' AND ro='RO-1'"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit WHERE details LIKE '%" VIN "%'"), 0);
    assert_int_equal(store_uds_load(st, m.id + 100, NULL, NULL), OBD_ENOTFOUND);
    /* a module row gone missing (a damaged file): refused, not half a scan */
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM uds_modules WHERE scan_id=%lld AND idx=2", (long long)m.id);
    assert_int_equal(sqlite3_exec(store__db(st), sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_uds_load(st, m.id, b, NULL), OBD_EBADDATA);
    assert_non_null(strstr(store_errmsg(st), "missing"));
    assert_int_equal(store_integrity_check(st), OBD_OK);
    free(b);
    free(s);
}

static int collect(void *ctx, const store_uds_meta_t *m)
{
    int64_t *ids = ctx;
    ids[++ids[0]] = m->id;
    return 0;
}

static void test_attach_by_vin(void **state)
{
    store_t *st = *state;
    add_ro(st, "RO-1", VIN);
    add_ro(st, "RO-X", OTHER_VIN);
    add_ro(st, "RO-NOVIN", NULL);
    uds_scan_t *s = car(VIN);
    /* without --ro: the one open RO with the VIN */
    store_uds_meta_t m = meta_for(NULL, STORE_STAGE_POST);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    assert_string_equal(m.ro, "RO-1");
    /* an RO with another VIN: refused, nothing stored */
    int64_t before = count(st, "SELECT COUNT(*) FROM uds_scans");
    int64_t mods = count(st, "SELECT COUNT(*) FROM uds_modules");
    m = meta_for("RO-X", STORE_STAGE_POST);
    assert_int_equal(store_uds_save(st, s, &m), OBD_ESTATE);
    assert_non_null(strstr(store_errmsg(st), "VIN does not match"));
    assert_int_equal(count(st, "SELECT COUNT(*) FROM uds_scans"), before);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM uds_modules"), mods);
    /* an RO without a VIN adopts the scan's */
    m = meta_for("RO-NOVIN", STORE_STAGE_POST);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    store_wo_t w;
    assert_int_equal(store_wo_get(st, "RO-NOVIN", &w), OBD_OK);
    assert_string_equal(w.vin, VIN);
    /* two open ROs with the VIN now: kept unassigned, with the reason */
    m = meta_for(NULL, STORE_STAGE_ADHOC);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    assert_string_equal(m.ro, "");
    assert_string_equal(m.assign_note, "2 open ROs match");
    /* no module reported a VIN: unassigned without --ro */
    uds_scan_t *nv = car(NULL);
    m = meta_for(NULL, STORE_STAGE_ADHOC);
    assert_int_equal(store_uds_save(st, nv, &m), OBD_OK);
    assert_string_equal(m.assign_note, "vehicle reported no VIN");
    /* a closed RO: refused */
    assert_int_equal(store_wo_close(st, "RO-X"), OBD_OK);
    m = meta_for("RO-X", STORE_STAGE_POST);
    assert_int_equal(store_uds_save(st, nv, &m), OBD_ESTATE);
    assert_non_null(strstr(store_errmsg(st), "closed"));
    /* an unknown RO */
    m = meta_for("RO-404", STORE_STAGE_POST);
    assert_int_equal(store_uds_save(st, s, &m), OBD_ENOTFOUND);
    /* listing */
    int64_t ids[8] = { 0 };
    assert_int_equal(store_uds_list(st, "RO-1", -1, collect, ids), OBD_OK);
    assert_int_equal(ids[0], 1);
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_uds_list(st, "", -1, collect, ids), OBD_OK);
    assert_int_equal(ids[0], 2);
    int64_t latest;
    store_stage_t post = STORE_STAGE_POST, pre = STORE_STAGE_RECEPTION;
    assert_int_equal(store_uds_latest(st, "RO-1", &post, 1, &latest), OBD_OK);
    assert_int_equal(store_uds_latest(st, "RO-1", &pre, 1, &latest), OBD_ENOTFOUND);
    free(nv);
    free(s);
}

static void test_bad_input_refused(void **state)
{
    store_t *st = *state;
    add_ro(st, "RO-1", VIN);
    uds_scan_t *s = car(VIN);
    s->modules[0].ndtcs = UDS_SCAN_MAX_DTCS + 1;
    store_uds_meta_t m = meta_for("RO-1", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, s, &m), OBD_EINVAL);
    s->modules[0].ndtcs = 2;
    s->nmodules = UDS_SCAN_MAX_MODULES + 1;
    assert_int_equal(store_uds_save(st, s, &m), OBD_EINVAL);
    s->nmodules = 3;
    m.stage = STORE_STAGE_COUNT;
    assert_int_equal(store_uds_save(st, s, &m), OBD_EINVAL);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM uds_scans"), 0);
    free(s);
}

/* ---- the UDS clear gate and record ---- */

static void test_clear_gate_and_record(void **state)
{
    store_t *st = *state;
    add_ro(st, "RO-1", VIN);
    /* no pre-repair UDS scan: refused */
    assert_int_equal(store_uds_clear_allowed(st, "RO-1"), OBD_ESTATE);
    assert_non_null(strstr(store_errmsg(st), "no pre-repair UDS scan"));
    assert_int_equal(store_uds_clear_allowed(st, "RO-404"), OBD_ENOTFOUND);
    /* a pre-repair UDS scan in which nothing answered does not count */
    uds_scan_t *silent = calloc(1, sizeof *silent);
    silent->nmodules = 1;
    silent->modules[0] = (uds_module_t){ .tx_id = 0x713, .rx_id = 0x77D };
    store_uds_meta_t m = meta_for("RO-1", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, silent, &m), OBD_OK);
    assert_int_equal(store_uds_clear_allowed(st, "RO-1"), OBD_ESTATE);
    assert_non_null(strstr(store_errmsg(st), "a module answered"));
    /* an OBD pre-repair scan does not open the UDS gate either (and vice versa) */
    uds_scan_t *s = car(VIN);
    m = meta_for("RO-1", STORE_STAGE_DIAGNOSTIC);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    assert_int_equal(store_uds_clear_allowed(st, "RO-1"), OBD_ESTATE);
    m = meta_for("RO-1", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    assert_int_equal(store_uds_clear_allowed(st, "RO-1"), OBD_OK);
    assert_int_equal(store_clear_allowed(st, "RO-1"), OBD_ESTATE);
    /* the pre-clear scan, then the record of what each module said */
    store_uds_meta_t pc = meta_for("RO-1", STORE_STAGE_DIAGNOSTIC);
    assert_int_equal(store_uds_save(st, s, &pc), OBD_OK);
    uds_clear_result_t *r = calloc(1, sizeof *r);
    r->n = 5;
    r->m[0] = (uds_clear_mod_t){ 0x713, 0x77D, UDS_CLR_CLEARED, 0 };
    r->m[1] = (uds_clear_mod_t){ 0x18DA10F1, 0x18DAF110, UDS_CLR_NEEDS_AUTH, 0x33 };
    r->m[2] = (uds_clear_mod_t){ 0x7E0, 0x7E8, UDS_CLR_CONDITIONS, 0x22 };
    r->m[3] = (uds_clear_mod_t){ 0x7E1, 0x7E9, UDS_CLR_OUT_OF_RANGE, 0x31 };
    r->m[4] = (uds_clear_mod_t){ 0x715, 0x77F, UDS_CLR_NO_ANSWER, 0 };
    int64_t cid = 0;
    assert_int_equal(store_uds_clear_record(st, "RO-1", "", "x", pc.id, r, &cid), OBD_EINVAL); /* who is required */
    assert_int_equal(store_uds_clear_record(st, "RO-1", "Li Wei", "repair done", pc.id, r, &cid), OBD_OK);
    assert_true(cid > 0);
    uds_clear_result_t *back = calloc(1, sizeof *back);
    assert_int_equal(store_uds_clear_modules(st, cid, back), OBD_OK);
    assert_int_equal(back->n, 5);
    assert_int_equal(back->ncleared, 1);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(back->m[i].tx_id, r->m[i].tx_id);
        assert_int_equal(back->m[i].rx_id, r->m[i].rx_id);
        assert_int_equal(back->m[i].outcome, r->m[i].outcome);
        assert_int_equal(back->m[i].nrc, r->m[i].nrc);
    }
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit WHERE action='uds_clear' AND ro='RO-1'"
                               " AND details LIKE '%needs_oem_authorisation%' AND details LIKE '%\"nrc\":\"33\"%'"),
                     1);
    int64_t n, bad;
    assert_int_equal(store_audit_verify(st, &n, &bad), OBD_OK);
    /* a pre-clear scan of another RO is refused, nothing recorded */
    add_ro(st, "RO-2", VIN);
    uds_scan_t *t = car(VIN);
    store_uds_meta_t o = meta_for("RO-2", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, t, &o), OBD_OK);
    int64_t clears = count(st, "SELECT COUNT(*) FROM clears");
    assert_int_equal(store_uds_clear_record(st, "RO-1", "Li Wei", "x", o.id, r, &cid), OBD_ESTATE);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM clears"), clears);
    /* a closed RO: the gate shuts */
    assert_int_equal(store_wo_close(st, "RO-1"), OBD_OK);
    assert_int_equal(store_uds_clear_allowed(st, "RO-1"), OBD_ESTATE);
    assert_int_equal(store_uds_clear_record(st, "RO-1", "Li Wei", "x", pc.id, r, &cid), OBD_ESTATE);
    free(t);
    free(back);
    free(r);
    free(s);
    free(silent);
}

static void test_purge_removes_uds_scans(void **state)
{
    store_t *st = *state;
    add_ro(st, "RO-1", VIN);
    uds_scan_t *s = car(VIN);
    store_uds_meta_t m = meta_for("RO-1", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    uds_scan_t *nv = car(NULL); /* no VIN: stays unassigned */
    m = meta_for(NULL, STORE_STAGE_ADHOC);
    assert_int_equal(store_uds_save(st, nv, &m), OBD_OK);
    assert_string_equal(m.ro, "");
    free(nv);
    assert_int_equal(store_wo_close(st, "RO-1"), OBD_OK);
    store__set_now(st, 1700000000000 + 40LL * 86400 * 1000);
    int64_t removed;
    assert_int_equal(store_purge(st, 0, 30, &removed), OBD_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM uds_scans"), 1);
    assert_int_equal(store_purge(st, 30, 0, &removed), OBD_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM uds_scans"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM uds_modules"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM uds_dtcs"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM vehicles"), 0);
    assert_int_equal(store_integrity_check(st), OBD_OK);
    free(s);
}

/* ---- the $14 runner ---- */

static void test_clear_classify(void **state)
{
    (void)state;
    uint8_t nrc = 0xAA;
    assert_int_equal(uds_clear_classify(NULL, 0, &nrc), UDS_CLR_NO_ANSWER);
    assert_int_equal(nrc, 0);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x54 }, 1, &nrc), UDS_CLR_CLEARED);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x7F, 0x14, 0x22 }, 3, &nrc), UDS_CLR_CONDITIONS);
    assert_int_equal(nrc, 0x22);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x7F, 0x14, 0x31 }, 3, &nrc), UDS_CLR_OUT_OF_RANGE);
    assert_int_equal(nrc, 0x31);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x7F, 0x14, 0x33 }, 3, &nrc), UDS_CLR_NEEDS_AUTH);
    assert_int_equal(nrc, 0x33);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x7F, 0x14, 0x11 }, 3, &nrc), UDS_CLR_NOT_SUPPORTED);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x7F, 0x14, 0x10 }, 3, &nrc), UDS_CLR_REFUSED);
    assert_int_equal(nrc, 0x10);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x7F, 0x14, 0x78 }, 3, &nrc), UDS_CLR_NO_ANSWER);
    /* not a reply to $14, cut short, trailing bytes */
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x59, 0x02 }, 2, &nrc), UDS_CLR_BAD_REPLY);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x7F, 0x14 }, 2, &nrc), UDS_CLR_BAD_REPLY);
    assert_int_equal(uds_clear_classify((const uint8_t[]){ 0x54, 0x00 }, 2, &nrc), UDS_CLR_BAD_REPLY);
    for (int o = 0; o < UDS_CLR_COUNT; o++) {
        assert_int_equal(uds_clear_outcome_parse(uds_clear_outcome_key((uds_clear_outcome_t)o)), o);
        assert_string_not_equal(uds_clear_outcome_name((uds_clear_outcome_t)o, OBD_LANG_EN),
                                uds_clear_outcome_name((uds_clear_outcome_t)o, OBD_LANG_ZH));
    }
    assert_int_equal(uds_clear_outcome_parse("nonsense"), -1);
}

/* A scripted link: each physical request id gets a fixed answer; 0x716
 * answers busy twice, then positively; 0x717 makes the link fail. */
typedef struct {
    obd_link_t base;
    unsigned asked[8];
    unsigned busy;
} fake_t;

static int fake_request(obd_link_t *l, const obd_request_t *q, obd_replies_t *out)
{
    fake_t *f = (fake_t *)l;
    obd_replies_reset(out);
    assert_int_equal(q->len, 4);
    assert_memory_equal(q->data, ((const uint8_t[]){ 0x14, 0xFF, 0xFF, 0xFF }), 4);
    uint32_t tx = q->to.tx_id;
    if (tx >= 0x710 && tx < 0x718)
        f->asked[tx - 0x710]++;
    static const uint8_t pos[] = { 0x54 }, cond[] = { 0x7F, 0x14, 0x22 }, sec[] = { 0x7F, 0x14, 0x33 },
                         range[] = { 0x7F, 0x14, 0x31 }, busy[] = { 0x7F, 0x14, 0x21 };
    switch (tx) {
    case 0x710: return obd_replies_add(out, q->to.rx_id, pos, 1, false);
    case 0x711: return obd_replies_add(out, q->to.rx_id, cond, 3, false);
    case 0x712: return obd_replies_add(out, q->to.rx_id, sec, 3, false);
    case 0x713: return obd_replies_add(out, q->to.rx_id, range, 3, false);
    case 0x714: return OBD_OK; /* silence */
    case 0x716:
        if (f->busy++ < 2)
            return obd_replies_add(out, q->to.rx_id, busy, 3, false);
        return obd_replies_add(out, q->to.rx_id, pos, 1, false);
    case 0x717: return OBD_ELINK;
    }
    return OBD_OK;
}

static int fake_info(obd_link_t *l, obd_link_info_t *o)
{
    (void)l;
    memset(o, 0, sizeof *o);
    return OBD_OK;
}

static void fake_close(obd_link_t *l) { (void)l; }

static const obd_link_ops_t fake_ops = { "fake", fake_request, fake_info, fake_close, NULL };

static void test_clear_modules(void **state)
{
    (void)state;
    fake_t f = { .base = { .ops = &fake_ops } };
    uds_scan_t *s = calloc(1, sizeof *s);
    /* modules 0x710..0x716 answered the scan; 0x715 did not (never asked) */
    for (uint32_t tx = 0x710; tx <= 0x716; tx++) {
        uds_module_t *m = &s->modules[s->nmodules++];
        m->tx_id = tx;
        m->rx_id = tx + 0x6A;
        m->answered = tx != 0x715;
        s->nanswered += m->answered;
    }
    uds_clear_result_t *r = calloc(1, sizeof *r);
    assert_int_equal(uds_clear_modules(&f.base, s, 0, r), OBD_OK);
    assert_int_equal(r->n, 6);
    assert_int_equal(r->ncleared, 2);
    const uds_clear_outcome_t want[] = { UDS_CLR_CLEARED, UDS_CLR_CONDITIONS, UDS_CLR_NEEDS_AUTH,
                                         UDS_CLR_OUT_OF_RANGE, UDS_CLR_NO_ANSWER, UDS_CLR_CLEARED };
    const uint8_t nrcs[] = { 0, 0x22, 0x33, 0x31, 0, 0 };
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(r->m[i].outcome, want[i]);
        assert_int_equal(r->m[i].nrc, nrcs[i]);
        assert_int_equal(r->m[i].rx_id, r->m[i].tx_id + 0x6A);
    }
    assert_int_equal(f.asked[5], 0); /* the silent module is not asked */
    assert_int_equal(f.asked[6], 3); /* busy twice, then cleared */
    /* --module: only that one */
    memset(f.asked, 0, sizeof f.asked);
    assert_int_equal(uds_clear_modules(&f.base, s, 0x712, r), OBD_OK);
    assert_int_equal(r->n, 1);
    assert_int_equal(r->m[0].outcome, UDS_CLR_NEEDS_AUTH);
    assert_int_equal(f.asked[0] + f.asked[1] + f.asked[3], 0);
    /* a module that did not answer, or is not there: not found, nobody asked */
    memset(f.asked, 0, sizeof f.asked);
    assert_int_equal(uds_clear_modules(&f.base, s, 0x715, r), OBD_ENOTFOUND);
    assert_int_equal(uds_clear_modules(&f.base, s, 0x7A0, r), OBD_ENOTFOUND);
    for (int i = 0; i < 8; i++)
        assert_int_equal(f.asked[i], 0);
    /* a link failure is a failure, not a refusal */
    s->modules[s->nmodules++] = (uds_module_t){ .tx_id = 0x717, .rx_id = 0x781, .answered = true };
    assert_int_equal(uds_clear_modules(&f.base, s, 0, r), OBD_ELINK);
    assert_int_equal(r->n, 7);
    free(r);
    free(s);
}

static void test_module_names(void **state)
{
    (void)state;
    assert_string_equal(uds_module_key(0x7E0, 0x7E8), "engine");
    assert_string_equal(uds_module_key(0x713, 0x77D), "abs");
    assert_null(uds_module_key(0x713, 0x71B)); /* same request id, other convention: unknown */
    assert_string_equal(uds_module_name("abs", OBD_LANG_ZH), "ABS 制动系统");
    assert_null(uds_module_name("nonsense", OBD_LANG_EN));
    assert_null(uds_module_name(NULL, OBD_LANG_EN));
}

/* ---- additional items (增项) from UDS DTCs ---- */

typedef struct {
    store_finding_t f[8];
    int n;
} flist_t;

static int collect_finding(void *ctx, const store_finding_t *x)
{
    flist_t *l = ctx;
    if (l->n < 8)
        l->f[l->n] = *x;
    l->n++;
    return 0;
}

static const store_finding_t *finding_of(const flist_t *l, const char *code)
{
    for (int i = 0; i < l->n && i < 8; i++)
        if (!strcmp(l->f[i].code, code))
            return &l->f[i];
    return NULL;
}

/* An OBD scan whose engine ECU (7E8) stores `a` and `b`. */
static obd_scan_t *obd_car(const char *a, const char *b)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    snprintf(s->vin, sizeof s->vin, VIN);
    s->vin_from = 0x7E8;
    s->necus = 1;
    s->ecus[0].addr = 0x7E8;
    s->ecus[0].stored.read = true;
    s->ecus[0].stored.count = 2;
    assert_int_equal(obd_dtc_parse(a, &s->ecus[0].stored.dtcs[0]), OBD_OK);
    assert_int_equal(obd_dtc_parse(b, &s->ecus[0].stored.dtcs[1]), OBD_OK);
    return s;
}

static void add_ro_codes(store_t *st, const char *ro, const char *codes)
{
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "%s", ro);
    snprintf(w.vin, sizeof w.vin, VIN);
    snprintf(w.complaint_codes, sizeof w.complaint_codes, "%s", codes);
    w.mileage_in_km = -1;
    assert_int_equal(store_wo_add(st, &w), OBD_OK);
}

static void test_uds_findings(void **state)
{
    store_t *st = *state;
    /* given an RO for a misfire (P0301) */
    add_ro_codes(st, "RO-UF", "P0301");
    uds_scan_t *s = car(VIN);
    /* when the reception UDS scan finds C0035-11 (confirmed) and C0040-13
     * (not confirmed) in the ABS module */
    store_uds_meta_t m = meta_for("RO-UF", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, s, &m), OBD_OK);
    /* then only the confirmed code is proposed, naming the module and scan */
    assert_int_equal(m.new_findings, 1);
    flist_t l = { .n = 0 };
    assert_int_equal(store_finding_list(st, "RO-UF", collect_finding, &l), OBD_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.f[0].code, "C0035");
    assert_string_equal(l.f[0].source, "uds");
    assert_int_equal(l.f[0].uds_scan_id, m.id);
    assert_int_equal(l.f[0].first_scan_id, 0);
    assert_int_equal(l.f[0].ecu, 0x713);
    assert_int_equal(l.f[0].rx_id, 0x77D);
    assert_int_equal(l.f[0].state, STORE_FINDING_PROPOSED);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit WHERE action='uds_scan_save'"
                               " AND details LIKE '%\"new_findings\":1%'"),
                     1);

    /* a second pre-repair UDS scan (the pre-clear one, stage diag) with the
     * same code proposes nothing new */
    store_uds_meta_t m2 = meta_for("RO-UF", STORE_STAGE_DIAGNOSTIC);
    assert_int_equal(store_uds_save(st, s, &m2), OBD_OK);
    assert_int_equal(m2.new_findings, 0);

    /* an OBD scan seeing C0035 too adds only its other code (P0420) */
    obd_scan_t *o = obd_car("C0035", "P0420");
    store_scan_meta_t om;
    memset(&om, 0, sizeof om);
    snprintf(om.ro, sizeof om.ro, "RO-UF");
    om.stage = STORE_STAGE_RECEPTION;
    om.mileage_km = -1;
    om.battery_v = -1;
    assert_int_equal(store_scan_save(st, o, &om), OBD_OK);
    l.n = 0;
    assert_int_equal(store_finding_list(st, "RO-UF", collect_finding, &l), OBD_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(finding_of(&l, "C0035")->source, "uds"); /* the first sighting stays */
    const store_finding_t *p = finding_of(&l, "P0420");
    assert_non_null(p);
    assert_string_equal(p->source, "obd");
    assert_int_equal(p->first_scan_id, om.id);
    assert_int_equal(p->uds_scan_id, 0);
    assert_int_equal(p->ecu, 0x7E8);

    /* and a UDS scan later reporting P0420 (engine module) adds no duplicate */
    s->modules[1] = (uds_module_t){ .tx_id = 0x7E0, .rx_id = 0x7E8, .answered = true, .state = UDS_MOD_OK,
                                    .dtcs_read = true, .ndtcs = 1 };
    s->modules[1].dtcs[0] = (uds_dtc_t){ 0x042000, 0x08 };
    store_uds_meta_t m3 = meta_for("RO-UF", STORE_STAGE_RECEPTION);
    assert_int_equal(store_uds_save(st, s, &m3), OBD_OK);
    assert_int_equal(m3.new_findings, 0);

    /* a post-repair UDS scan with a new confirmed code: QC's business, no finding */
    s->modules[1].dtcs[0] = (uds_dtc_t){ 0x011300, 0x09 }; /* P0113-00 */
    store_uds_meta_t m4 = meta_for("RO-UF", STORE_STAGE_POST);
    assert_int_equal(store_uds_save(st, s, &m4), OBD_OK);
    assert_int_equal(m4.new_findings, 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM findings WHERE code='P0113'"), 0);

    /* the consent flow: decided by the code as the UDS scan shows it */
    assert_int_equal(store_finding_decide(st, "RO-UF", "C0035-11", STORE_FINDING_APPROVED, "advisor Zhao", "ok"),
                     OBD_OK);
    l.n = 0;
    assert_int_equal(store_finding_list(st, "RO-UF", collect_finding, &l), OBD_OK);
    assert_int_equal(finding_of(&l, "C0035")->state, STORE_FINDING_APPROVED);
    assert_string_equal(finding_of(&l, "C0035")->decided_by, "advisor Zhao");
    assert_int_equal(store_finding_decide(st, "RO-UF", "C0036-11", STORE_FINDING_APPROVED, "advisor Zhao", ""),
                     OBD_ENOTFOUND);

    /* a complaint naming the UDS code (with or without its failure type) covers it */
    add_ro_codes(st, "RO-UG", "C0035-11");
    store_uds_meta_t m5 = meta_for("RO-UG", STORE_STAGE_RECEPTION);
    /* two open ROs with the VIN: --ro decides */
    assert_int_equal(store_uds_save(st, s, &m5), OBD_OK);
    assert_int_equal(m5.new_findings, 1); /* P0113 in the engine module; not C0035 */
    l.n = 0;
    assert_int_equal(store_finding_list(st, "RO-UG", collect_finding, &l), OBD_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.f[0].code, "P0113");
    assert_int_equal(l.f[0].ecu, 0x7E0);
    assert_int_equal(l.f[0].rx_id, 0x7E8);

    /* an unassigned UDS scan proposes nothing */
    store_uds_meta_t m6 = meta_for(NULL, STORE_STAGE_RECEPTION);
    s->modules[0].ident_ok[0] = false;
    s->modules[0].dtcs[0] = (uds_dtc_t){ 0x405011, 0x08 }; /* C0050-11 */
    assert_int_equal(store_uds_save(st, s, &m6), OBD_OK);
    assert_int_equal(m6.wo_id, 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM findings WHERE code='C0050'"), 0);

    /* the store and its audit chain stay whole */
    assert_int_equal(store_integrity_check(st), OBD_OK);
    int64_t n, bad;
    assert_int_equal(store_audit_verify(st, &n, &bad), OBD_OK);
    free(o);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_by_vin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_gate_and_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge_removes_uds_scans, setup, teardown),
        cmocka_unit_test(test_clear_classify),
        cmocka_unit_test(test_clear_modules),
        cmocka_unit_test(test_module_names),
        cmocka_unit_test_setup_teardown(test_uds_findings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
