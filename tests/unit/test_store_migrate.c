/*
 * Schema history: for every earlier schema version k, a file built by
 * migrations 1..k only (as that obdgw left it) with data in it opens at the
 * current version with the old data intact and the newer features working.
 * A file from a newer obdgw is refused and left byte for byte as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/store_priv.h"
#include "obdgw/outbox.h"
#include "obdgw/store.h"
#include "obdgw/store_uds.h"
#include "obdgw/store_history.h"

#define VIN "LFV2A21K6M3012345"

typedef struct {
    char dir[64];
    char path[128];
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/obdgw-migrate-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

/* What an obdgw at schema version 1 wrote: an open RO with one reception
 * scan (one ECU, a stored DTC, readiness, a freeze frame) and one raw reply.
 * Plain SQL in the version-1 layout, so later code paths cannot help. */
static void fill_v1(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO vehicles(id, vin, first_seen_ms) VALUES(1, '" VIN "', 1600000000000);"
                "INSERT INTO work_orders(id, ro, vehicle_id, vin, complaint, complaint_codes, status, opened_ms, source)"
                " VALUES(1, 'V1-0001', 1, '" VIN "', 'MIL on', 'P0301', 0, 1600000000000, 'cli');"
                "INSERT INTO scans(id, wo_id, vehicle_id, stage, technician, vin, vin_from, started_ms, duration_ms,"
                " requests, saved_ms, mileage_km, mileage_source, adapter, device, protocol, battery_v, mil_on,"
                " dtc_count, necus, json)"
                " VALUES(1, 1, 1, 'pre', 'Wang', '" VIN "', 2024, 1600000000100, 1500, 20, 1600000001000, 48000.5,"
                " 'pid_a6', 'ELM327 v1.5', '/dev/ttyUSB0', 6, 12.4, 1, 1, 1, '{}');"
                "INSERT INTO scan_ecus(scan_id, idx, addr, answered, name, pids, readiness_raw, warmups, km_since_clear,"
                " min_since_clear, km_with_mil, min_with_mil, odometer_km, ff_dtc)"
                " VALUES(1, 0, 2024, 1, 'ECM-EngineControl', zeroblob(32), x'81076521', 40, 900, 600, 20, 30,"
                " 48000.5, 769);"
                "INSERT INTO scan_dtc_reads(scan_id, idx, kind, read, unsupported, nrc) VALUES(1, 0, 'stored', 1, 0, 0), (1, 0, 'pending', 1, 0, 0),"
                " (1, 0, 'permanent', 1, 1, 0);"
                "INSERT INTO scan_dtcs(scan_id, idx, kind, seq, code, dtc) VALUES(1, 0, 'stored', 0, 769, 'P0301');"
                "INSERT INTO scan_ff VALUES(1, 0, 0, 12, x'1AF8'), (1, 0, 1, 5, x'7B');"
                "INSERT INTO scan_calid VALUES(1, 0, 0, 'CAL0001');"
                "INSERT INTO scan_cvn VALUES(1, 0, 0, 3735928559);"
                "INSERT INTO scan_raw VALUES(1, 0, x'0100', 2024, 6, x'4100BE3EB813');");
}

/* Version 2 added findings (and more): one proposed additional item. */
static void fill_v2(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO findings(wo_id, code, ecu, first_scan_id, state, created_ms)"
                " VALUES(1, 'P0171', 2024, 1, 'proposed', 1600000002000);");
}

/* Version 3 added the DMS outbox: one message still waiting. */
static void fill_v3(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO outbox(msg_id, topic, payload, qos, prio, ro, bytes, created_ms)"
                " VALUES('old-1', 'obdgw/old', x'7B7D', 1, 1, 'V1-0001', 2, 1600000003000);");
}

/* Version 4 added UDS scans: a diagnostic UDS scan of the RO with a
 * confirmed ABS code (a v4 obdgw raised no finding for it, and the
 * migration does not raise one after the fact). */
static void fill_v4(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO uds_scans(id, wo_id, vehicle_id, stage, vin, started_ms, saved_ms, probed, answered)"
                " VALUES(1, 1, 1, 'diag', '" VIN "', 1600000004000, 1600000004500, 1, 1);"
                "INSERT INTO uds_modules(scan_id, idx, tx_id, rx_id, name, answered, state, dtcs_read)"
                " VALUES(1, 0, 1811, 1917, 'abs', 1, 'ok', 1);"
                "INSERT INTO uds_dtcs VALUES(1, 0, 0, 4207889, 'C0035-11', 47);");
}

/* Version 5 added UDS findings: one, proposed by that UDS scan. */
static void fill_v5(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO findings(wo_id, code, ecu, first_scan_id, state, created_ms, source, uds_scan_id, rx_id)"
                " VALUES(1, 'B1234', 1811, NULL, 'proposed', 1600000005000, 'uds', 1, 1917);"
                "INSERT INTO outbox(msg_id, topic, payload, qos, prio, ro, bytes, created_ms)"
                " VALUES('old-5', 'obdgw/old', x'7B7D7B7D', 1, 0, 'V1-0001', 4, 1600000005000);");
}

/* Version 6 added an index only: one more queued message. */
static void fill_v6(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO outbox(msg_id, topic, payload, qos, prio, ro, bytes, created_ms)"
                " VALUES('old-6', 'obdgw/old', x'7B7D', 1, 1, 'V1-0001', 2, 1600000006000);");
}

/* Version 7 added how the scan answered: one more queued message (the
 * scan columns it added are checked on scan 1 by check_old_data). */
static void fill_v7(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO outbox(msg_id, topic, payload, qos, prio, ro, bytes, created_ms)"
                " VALUES('old-7', 'obdgw/old', x'7B7D', 1, 1, 'V1-0001', 2, 1600000007000);");
}

static void fill_v8(sqlite3 *db)
{
    /* a recording an older obdgw left open (ended 0: its process was killed) */
    exec_ok(db, "INSERT INTO recordings(id, wo_id, started_ms, ended_ms, adapter, pids, samples)"
                " VALUES(800, 1, 1600000008000, 0, 'sim', '0C', 1);"
                "INSERT INTO rec_samples(rec_id, seq, t_off, ecu, pid, data) VALUES(800, 0, 1500, 2024, 12, x'1AF8');"
                "INSERT INTO dms_seen(msg_id, ro, applied_ms) VALUES('dms-8', 'V1-0001', 1600000008000);");
}

static void fill_v9(sqlite3 *db)
{
    /* an OEM signal recorded in recording 800 (schema 9: rec_signals) */
    exec_ok(db, "INSERT INTO rec_signals(rec_id, seq, t_off, ecu, signal, value, text)"
                " VALUES(800, 1, 1500, 2024, 'SAG_ENG_OILT', 92.5, '');"
                "INSERT INTO rec_signal_stats(rec_id, signal, name, unit, ecu, n, min, max, mean)"
                " VALUES(800, 'SAG_ENG_OILT', 'Engine oil temperature', 'celsius', 2024, 1, 92.5, 92.5, 92.5);");
}

typedef void (*fill_fn)(sqlite3 *db);
/* fills[k-1]: data in the layout of version k (add one per new version) */
/* Version 10 gave recordings an owner and a state: one finished recording. */
static void fill_v10(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO recordings(id, wo_id, started_ms, ended_ms, adapter, pids, samples, state, owner_pid,"
                " owner_boot, owner_start) VALUES(810, 1, 1600000010000, 1600000012000, 'sim', '0C', 0, 'done', 4321,"
                " 'boot-x', 77);"
                /* in a version-10 file, the open recording of fill_v8 is marked as being recorded */
                "UPDATE recordings SET state='recording' WHERE id=800 AND ended_ms=0;");
}

static const fill_fn fills[] = { fill_v1, fill_v2, fill_v3, fill_v4, fill_v5,
                                 fill_v6, fill_v7, fill_v8, fill_v9, fill_v10 };

static void check_old_data(store_t *st)
{
    store_wo_t w;
    assert_int_equal(store_wo_get(st, "V1-0001", &w), OBD_OK);
    assert_string_equal(w.vin, VIN);
    assert_string_equal(w.complaint_codes, "P0301");
    obd_scan_t *s = calloc(1, sizeof *s);
    store_scan_meta_t m;
    assert_int_equal(store_scan_load(st, 1, s, &m), OBD_OK);
    assert_string_equal(m.ro, "V1-0001");
    assert_int_equal(m.stage, STORE_STAGE_RECEPTION);
    assert_true(m.mileage_km == 48000.5);
    assert_int_equal(s->necus, 1);
    assert_int_equal(s->ecus[0].addr, 0x7E8);
    assert_true(s->ecus[0].has_readiness);
    assert_true(s->ecus[0].readiness.mil_on);
    assert_int_equal(s->ecus[0].readiness.dtc_count, 1);
    assert_int_equal(s->ecus[0].stored.count, 1);
    assert_int_equal(s->ecus[0].stored.dtcs[0], 0x0301);
    assert_true(s->ecus[0].permanent.unsupported);
    assert_true(s->ecus[0].has_ff);
    assert_int_equal(s->ecus[0].nff, 2);
    assert_int_equal(s->ecus[0].ff[0].pid, 0x0C);
    assert_int_equal(s->ecus[0].ncvn, 1);
    assert_int_equal(s->ecus[0].cvn[0], 0xDEADBEEF);
    assert_false(s->ecus[0].m06_read); /* a column version 2 added, defaulted */
    /* version 7's read states, derived from the older columns */
    assert_int_equal(s->ecus[0].stored.state, OBD_READ_OK);
    assert_int_equal(s->ecus[0].pending.state, OBD_READ_OK);
    assert_int_equal(s->ecus[0].permanent.state, OBD_READ_UNSUPPORTED);
    assert_int_equal(s->ecus[0].stored.addressing, OBD_ADDR_FUNCTIONAL);
    assert_int_equal(s->ecus[0].permanent.addressing, OBD_ADDR_NRC);
    assert_int_equal(s->ecus[0].addressing[0x01], OBD_ADDR_FUNCTIONAL);
    assert_int_equal(s->ecus[0].addressing[0x03], OBD_ADDR_FUNCTIONAL);
    assert_int_equal(s->ecus[0].addressing[0x0A], OBD_ADDR_NRC);
    assert_int_equal(s->ecus[0].addressing[0x09], OBD_ADDR_NOT_ASKED);
    assert_int_equal(s->ecus[0].ff_state, OBD_READ_OK); /* it has a freeze frame */
    assert_int_equal(s->ecus[0].m06_state, OBD_READ_NOT_ASKED);
    assert_false(s->ecus[0].physical_first);
    assert_int_equal(s->vin_source, OBD_VIN_SRC_MODE09);
    assert_false(s->vin_check_failed); /* LFV2A21K6M3012345: the check digit holds */
    assert_true(s->status_known);      /* the ECU gave readiness */
    assert_int_equal(s->obd_protocol, OBD_PROTOCOL_CLASSIC);
    assert_int_equal(s->nnotes, 0);
    assert_int_equal(s->physical_retries, 0);
    assert_int_equal(s->nraw, 1);
    assert_int_equal(s->raw[0].len, 6);
    free(s);
}

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

static int count_clear(void *ctx, const store_clear_t *c)
{
    int *n = ctx;
    if (c->preclear_uds_scan_id)
        assert_string_equal(c->kind, "uds");
    else
        assert_string_equal(c->kind, "obd");
    (*n)++;
    return 0;
}

/* Newer features (versions 2-5) on the migrated file. */
static void check_new_features(store_t *st)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_int_equal(store_scan_load(st, 1, s, NULL), OBD_OK);
    s->ecus[0].m06_read = true;
    s->ecus[0].nm06 = 1;
    s->ecus[0].m06[0] = (obd_test_result_t){ .mid = 0x21, .tid = 0x80, .uasid = 0x0B, .value = 1.5, .passed = true };
    s->ecus[0].stored.count = 2;
    s->ecus[0].stored.dtcs[1] = 0x0420; /* P0420: outside the complaint */
    s->started_ms += 1000;
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.ro, sizeof m.ro, "V1-0001");
    m.stage = STORE_STAGE_DIAGNOSTIC;
    assert_int_equal(store_scan_save(st, s, &m), OBD_OK);
    obd_scan_t *b = calloc(1, sizeof *b);
    assert_int_equal(store_scan_load(st, m.id, b, NULL), OBD_OK);
    assert_int_equal(b->ecus[0].nm06, 1);
    assert_true(b->ecus[0].m06[0].value == 1.5);
    assert_int_equal(store_finding_decide(st, "V1-0001", "P0420", STORE_FINDING_DECLINED, "advisor", "later"), OBD_OK);
    assert_int_equal(store_clear_allowed(st, "V1-0001"), OBD_OK); /* the old reception scan has a freeze frame */
    int64_t obd_clear = 0;
    assert_int_equal(store_clear_record(st, "V1-0001", "Wang", "test", 1, (const uint32_t[]){ 0x7E8 }, 1, &obd_clear),
                     OBD_OK);
    char h[65];
    assert_int_equal(store_qc_sign(st, "V1-0001", "QC", "pass", "{}", "<p>ok</p>", h), OBD_OK);
    assert_int_equal(store_qc_verify(st, "V1-0001", h), OBD_OK);
    store_rec_writer_t *w;
    assert_int_equal(store_rec_begin(st, "V1-0001", "sim", (const uint8_t[]){ 0x0C }, 1, &w), OBD_OK);
    obd_live_sample_t x = { .addr = 0x7E8, .pid = 0x0C, .t_ms = 1, .len = 2, .data = { 0x1A, 0xF8 } };
    assert_int_equal(store_rec_add(w, &x, 1), OBD_OK);
    store_recording_t r;
    assert_int_equal(store_rec_end(w, &r), OBD_OK);
    assert_int_equal(r.samples, 1);
    int64_t n, bad;
    assert_int_equal(store_audit_verify(st, &n, &bad), OBD_OK);
    assert_true(n >= 3); /* scan_save, finding_decide, qc_sign */
    assert_int_equal(store_integrity_check(st), OBD_OK);
    /* version 3: the DMS outbox */
    outbox_msg_t om = { .msg_id = "m-1", .topic = "obdgw/t", .payload = "{}", .len = 2, .qos = 1,
                        .prio = OUTBOX_PRIO_NORMAL };
    assert_int_equal(outbox_enqueue(st, &om, NULL, NULL), OBD_OK);
    outbox_stats_t os;
    assert_int_equal(outbox_stats(st, &os), OBD_OK);
    assert_true(os.messages >= 1);
    /* version 4: UDS scans attach by VIN, gate and record a UDS clear */
    assert_int_equal(store_uds_clear_allowed(st, "V1-0001"), OBD_ESTATE); /* no pre-repair UDS scan yet */
    uds_scan_t *u = calloc(1, sizeof *u);
    u->nmodules = 2;
    u->nanswered = 1;
    u->modules[0] = (uds_module_t){ .tx_id = 0x713, .rx_id = 0x77D, .answered = true, .state = UDS_MOD_OK,
                                    .dtcs_read = true, .ndtcs = 1, .ident_ok = { true } };
    snprintf(u->modules[0].ident[0], sizeof u->modules[0].ident[0], "%s", VIN);
    u->modules[0].dtcs[0] = (uds_dtc_t){ 0x403511, 0x2F };
    u->modules[1] = (uds_module_t){ .tx_id = 0x710, .rx_id = 0x77A };
    store_uds_meta_t um;
    memset(&um, 0, sizeof um);
    um.stage = STORE_STAGE_RECEPTION; /* no --ro: goes to the open RO with the VIN */
    assert_int_equal(store_uds_save(st, u, &um), OBD_OK);
    assert_string_equal(um.ro, "V1-0001");
    assert_int_equal(store_uds_clear_allowed(st, "V1-0001"), OBD_OK);
    uds_clear_result_t *cr = calloc(1, sizeof *cr);
    cr->n = 1;
    cr->m[0] = (uds_clear_mod_t){ 0x713, 0x77D, UDS_CLR_CLEARED, 0 };
    int64_t uds_clear = 0;
    assert_int_equal(store_uds_clear_record(st, "V1-0001", "Wang", "test", um.id, cr, &uds_clear), OBD_OK);
    int nclears = 0;
    assert_int_equal(store_clear_list(st, "V1-0001", count_clear, &nclears), OBD_OK);
    assert_int_equal(nclears, 2); /* the OBD clear (kind defaulted) and the UDS one */
    uds_scan_t *back = calloc(1, sizeof *back);
    assert_int_equal(store_uds_load(st, um.id, back, NULL), OBD_OK);
    assert_int_equal(back->nmodules, 2);
    assert_int_equal(back->modules[0].dtcs[0].code, 0x403511);
    assert_int_equal(store_audit_verify(st, &n, &bad), OBD_OK);
    assert_int_equal(store_integrity_check(st), OBD_OK);
    /* version 5: the UDS scan proposed its confirmed code outside the
     * complaint as a finding naming the module; the old findings read as OBD */
    flist_t fl = { .n = 0 };
    assert_int_equal(store_finding_list(st, "V1-0001", collect_finding, &fl), OBD_OK);
    const store_finding_t *c35 = NULL, *p420 = NULL;
    for (int i = 0; i < fl.n && i < 8; i++) {
        if (!strcmp(fl.f[i].code, "C0035"))
            c35 = &fl.f[i];
        if (!strcmp(fl.f[i].code, "P0420"))
            p420 = &fl.f[i];
        if (!strcmp(fl.f[i].code, "P0171")) /* the version-2 row */
            assert_string_equal(fl.f[i].source, "obd");
    }
    assert_non_null(c35);
    assert_string_equal(c35->source, "uds");
    assert_int_equal(c35->uds_scan_id, um.id);
    assert_int_equal(c35->ecu, 0x713);
    assert_int_equal(c35->rx_id, 0x77D);
    assert_non_null(p420);
    assert_string_equal(p420->source, "obd");
    assert_int_equal(p420->uds_scan_id, 0);
    assert_int_equal(store_finding_decide(st, "V1-0001", "C0035-11", STORE_FINDING_APPROVED, "advisor", ""), OBD_OK);
    /* version 6: the outbox totals come from the index, and agree with the rows */
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(store__db(st),
                                        "EXPLAIN QUERY PLAN SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM outbox",
                                        -1, &q, NULL),
                     SQLITE_OK);
    bool covered = false;
    while (sqlite3_step(q) == SQLITE_ROW)
        covered |= strstr((const char *)sqlite3_column_text(q, 3), "COVERING INDEX outbox_bytes") != NULL;
    sqlite3_finalize(q);
    assert_true(covered);
    int64_t rows = 0;
    assert_int_equal(sqlite3_prepare_v2(store__db(st), "SELECT COUNT(*) FROM outbox", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    rows = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    assert_int_equal(outbox_stats(st, &os), OBD_OK);
    assert_int_equal(os.messages, rows);
    /* version 7: a scan that says how it answered keeps every word of it */
    obd_scan_t *h7 = calloc(1, sizeof *h7);
    assert_int_equal(store_scan_load(st, 1, h7, NULL), OBD_OK);
    h7->started_ms += 2000;
    h7->obd_protocol = OBD_PROTOCOL_ON_UDS;
    h7->vin_source = OBD_VIN_SRC_UDS_F802;
    h7->physical_retries = 3;
    h7->nnotes = 1;
    snprintf(h7->notes[0], sizeof h7->notes[0], "ECU 7E8 answered only when addressed physically");
    h7->ecus[0].pending.state = OBD_READ_UNREADABLE;
    h7->ecus[0].pending.rawlen = 3;
    memcpy(h7->ecus[0].pending.raw, "\x47\x14\x01", 3);
    h7->ecus[0].stored.state = OBD_READ_NO_ANSWER;
    h7->ecus[0].stored.read = false;
    h7->ecus[0].stored.count = 0;
    h7->ecus[0].addressing[0x07] = OBD_ADDR_PHYSICAL;
    obd_pidset_add(&h7->ecus[0].silent_pids, 0x0C);
    memset(&m, 0, sizeof m);
    m.stage = STORE_STAGE_ADHOC;
    assert_int_equal(store_scan_save(st, h7, &m), OBD_OK);
    obd_scan_t *b7 = calloc(1, sizeof *b7);
    assert_int_equal(store_scan_load(st, m.id, b7, NULL), OBD_OK);
    assert_int_equal(b7->obd_protocol, OBD_PROTOCOL_ON_UDS);
    assert_int_equal(b7->vin_source, OBD_VIN_SRC_UDS_F802);
    assert_int_equal(b7->physical_retries, 3);
    assert_int_equal(b7->nnotes, 1);
    assert_string_equal(b7->notes[0], h7->notes[0]);
    assert_int_equal(b7->ecus[0].pending.state, OBD_READ_UNREADABLE);
    assert_int_equal(b7->ecus[0].pending.rawlen, 3);
    assert_memory_equal(b7->ecus[0].pending.raw, "\x47\x14\x01", 3);
    assert_int_equal(b7->ecus[0].stored.state, OBD_READ_NO_ANSWER);
    assert_int_equal(b7->ecus[0].addressing[0x07], OBD_ADDR_PHYSICAL);
    assert_int_equal(b7->ecus[0].addressing[0x03], OBD_ADDR_FUNCTIONAL); /* derived on the first load, kept */
    assert_true(obd_pidset_has(&b7->ecus[0].silent_pids, 0x0C));
    assert_int_equal(store_integrity_check(st), OBD_OK);
    /* version 8: the inbound journal takes a message and gives it back */
    int64_t jid = 0, jn = -1;
    inbox_msg_t jm = { .topic = "dms/wo", .payload = "{}", .len = 2, .qos = 1,
                       .response_topic = "", .received_ms = 1600000008000 };
    assert_int_equal(inbox_put(st, &jm, &jid), OBD_OK);
    assert_int_equal(inbox_count(st, &jn), OBD_OK);
    assert_int_equal(jn, 1);
    assert_int_equal(inbox_done(st, jid), OBD_OK);
    assert_int_equal(inbox_count(st, &jn), OBD_OK);
    assert_int_equal(jn, 0);
    /* version 9: a refused announcement is kept pending and queued later */
    outbox_msg_t pm;
    memset(&pm, 0, sizeof pm);
    snprintf(pm.msg_id, sizeof pm.msg_id, "ws01-scan-9");
    snprintf(pm.topic, sizeof pm.topic, "obdgw/v1/ws01/scan");
    pm.payload = "{\"scan_id\":9}";
    pm.len = strlen(pm.payload);
    assert_int_equal(outbox_pending_add(st, &pm, "scan", OBD_ENOSPC, "outbox full"), OBD_OK);
    int64_t pn = 0;
    assert_int_equal(outbox_pending_count(st, &pn, NULL), OBD_OK);
    assert_int_equal(pn, 1);
    outbox_requeue_t pq;
    assert_int_equal(outbox_pending_requeue(st, 0, 0, NULL, NULL, &pq), OBD_OK);
    assert_int_equal(pq.queued, 1);
    assert_int_equal(pq.remaining, 0);
    /* version 9: the OEM signal of fill_v9 and its statistics are kept */
    assert_int_equal(sqlite3_prepare_v2(store__db(st), "SELECT (SELECT COUNT(*) FROM rec_signals WHERE rec_id=800),"
                                        " COALESCE(SUM(signal='SAG_ENG_OILT' AND mean=92.5), 0) FROM rec_signal_stats"
                                        " WHERE rec_id=800", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), sqlite3_column_int(q, 1)); /* 1 and 1 from version 9 on, else 0 */
    sqlite3_finalize(q);
    /* version 10: a recording an older obdgw left open (fill_v8) is closed as interrupted at its last sample */
    assert_true(store_rec_close_interrupted(st, "test", NULL, NULL) >= 0);
    assert_int_equal(sqlite3_prepare_v2(store__db(st), "SELECT COUNT(*), COALESCE(SUM(state='interrupted'"
                                        " AND ended_ms=started_ms+1500), 0) FROM recordings WHERE id=800",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), sqlite3_column_int(q, 1));
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(store__db(st), "SELECT COUNT(*) FROM recordings WHERE state='recording'", -1,
                                        &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    /* version 11 (#13): an old RO has no class (the default applies), the regulation's classes exist, a class
     * without a window is refused, the old RO's reception scan shows in its vehicle's history, and it is
     * delivered only with --force (no final QC), once */
    char cls[16] = "x";
    assert_int_equal(store_wo_class(st, "V1-0001", cls), OBD_OK);
    assert_string_equal(cls, "");
    store_guarantee_t g;
    assert_int_equal(store_guarantee_get(st, "major", &g), OBD_OK);
    assert_int_equal(g.days, 100);
    assert_int_equal(g.km, 20000);
    assert_int_equal(store_guarantee_get(st, "minor", &g), OBD_OK);
    assert_int_equal(g.km, 2000);
    store_guarantee_t nowin = { .name = "nowindow", .days = 0, .km = 0, .match = "code" };
    assert_int_equal(store_guarantee_set(st, &nowin, "test"), OBD_EINVAL);
    assert_int_equal(store_guarantee_get(st, "nowindow", &g), OBD_ENOTFOUND);
    int hrc = 0;
    cJSON *vh = store_vehicle_history_json(st, VIN, &hrc);
    assert_non_null(vh);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(vh, "ros")), 1);
    cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(vh, "dtcs"), 0);
    assert_non_null(d0);
    assert_string_equal(cJSON_GetObjectItem(d0, "code")->valuestring, "P0301");
    assert_true(cJSON_GetObjectItem(d0, "first_seen_ms")->valuedouble == 1600000000100.0);
    int nrec10 = 0; /* recording 810 of fill_v10 (files of version 10 and later) shows in the history */
    cJSON *rr;
    cJSON_ArrayForEach(rr, cJSON_GetObjectItem(vh, "recordings"))
    nrec10 += cJSON_GetObjectItem(rr, "id")->valuedouble == 810.0 && !strcmp(cJSON_GetObjectItem(rr, "state")->valuestring, "done");
    assert_true(nrec10 <= 1);
    cJSON_Delete(vh);
    store_delivery_t dl;
    int drc = store_wo_deliver(st, "V1-0001", "test", -1, false, NULL, &dl);
    if (drc == OBD_OK) { /* a later check may have signed its QC: then once, and refused again */
        assert_int_equal(store_wo_deliver(st, "V1-0001", "test", -1, true, "again", &dl), OBD_ESTATE);
    } else {
        assert_int_equal(drc, OBD_ESTATE);
        assert_int_equal(store_wo_deliver(st, "V1-0001", "test", -1, true, "customer waiting", &dl), OBD_OK);
        assert_true(dl.forced);
    }
    assert_true(dl.delivered);
    assert_int_equal(dl.mileage_out_km, 48001); /* from the scan's odometer, rounded */
    assert_int_equal(store_wo_deliver(st, "V1-0001", "test", -1, true, "twice", &dl), OBD_ESTATE);
    assert_int_equal(store_integrity_check(st), OBD_OK);
    free(b7);
    free(h7);
    free(back);
    free(cr);
    free(u);
    free(b);
    free(s);
}

static void test_upgrade_every_old_version(void **state)
{
    fx_t *f = *state;
    assert_int_equal(store__migration_count(), STORE_SCHEMA_VERSION);
    assert_int_equal(sizeof fills / sizeof fills[0], STORE_SCHEMA_VERSION - 1);
    for (int k = 1; k < STORE_SCHEMA_VERSION; k++) {
        unlink(f->path);
        store_t *st;
        char err[256];
        /* given a file as version k left it, with data */
        assert_int_equal(store__open_at_version(f->path, k, &st, err, sizeof err), OBD_OK);
        assert_int_equal(store_schema_version(st), k);
        for (int j = 0; j < k; j++)
            fills[j](store__db(st));
        store_close(st);
        /* when the current obdgw opens it */
        assert_int_equal(store_open(f->path, &st, err, sizeof err), OBD_OK);
        /* then it is current, the old data is intact, the new features work */
        assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
        check_old_data(st);
        check_new_features(st);
        store_close(st);
        /* and opening again changes nothing */
        assert_int_equal(store_open(f->path, &st, err, sizeof err), OBD_OK);
        check_old_data(st);
        store_close(st);
    }
}

static void test_fresh_equals_migrated_schema(void **state)
{
    fx_t *f = *state;
    /* A file built in one go and one built step by step hold the same schema. */
    char p1[160], p2[160], err[256];
    snprintf(p1, sizeof p1, "%s/a.db", f->dir);
    snprintf(p2, sizeof p2, "%s/b.db", f->dir);
    store_t *a, *b;
    assert_int_equal(store_open(p1, &a, err, sizeof err), OBD_OK);
    assert_int_equal(store__open_at_version(p2, 1, &b, err, sizeof err), OBD_OK);
    store_close(b);
    assert_int_equal(store_open(p2, &b, err, sizeof err), OBD_OK);
    const char *q = "SELECT group_concat(name || ':' || sql, '|') FROM"
                    " (SELECT name, sql FROM sqlite_schema ORDER BY name)";
    sqlite3_stmt *sa, *sb;
    assert_int_equal(sqlite3_prepare_v2(store__db(a), q, -1, &sa, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(store__db(b), q, -1, &sb, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(sa), SQLITE_ROW);
    assert_int_equal(sqlite3_step(sb), SQLITE_ROW);
    assert_string_equal(sqlite3_column_text(sa, 0), sqlite3_column_text(sb, 0));
    sqlite3_finalize(sa);
    sqlite3_finalize(sb);
    store_close(a);
    store_close(b);
}

static long read_all(const char *path, char **buf)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(*buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    return n;
}

static void test_newer_file_refused(void **state)
{
    fx_t *f = *state;
    store_t *st;
    char err[256];
    assert_int_equal(store_open(f->path, &st, err, sizeof err), OBD_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", STORE_SCHEMA_VERSION + 1);
    exec_ok(store__db(st), sql);
    store_close(st); /* checkpoints: everything is in the main file now */
    char *before, *after;
    long nb = read_all(f->path, &before);
    assert_int_equal(store_open(f->path, &st, err, sizeof err), OBD_EBADDATA);
    assert_null(st);
    assert_non_null(strstr(err, "newer than this obdgw"));
    long na = read_all(f->path, &after);
    assert_int_equal(na, nb);
    assert_memory_equal(before, after, (size_t)nb);
    free(before);
    free(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upgrade_every_old_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fresh_equals_migrated_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_file_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
