/*
 * store_scan.c — scans: save (attach rules, mileage source, every field of
 * obd_scan_t), load back, attach, list, latest; ECUs that stopped answering;
 * additional findings (增项) and their decisions; the clear gate and clear
 * records.
 *
 * A scan is written whole in one transaction: the scans row, its ECUs and
 * all their children, the findings it raises and its audit entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "obdgw/scan_text.h"
#include "obdgw/uds_scan.h"
#include "obdgw/vin.h"
#include "obdgw/store_history.h"
#include "store_priv.h"

static const char *const dtc_kinds[3] = { "stored", "pending", "permanent" };

static int kind_index(const char *k)
{
    for (int i = 0; i < 3; i++)
        if (k && !strcmp(k, dtc_kinds[i]))
            return i;
    return -1;
}

static const obd_dtc_set_t *ecu_set(const obd_ecu_scan_t *e, int kind)
{
    return kind == 0 ? &e->stored : kind == 1 ? &e->pending : &e->permanent;
}

/* The text keys of version 7's columns, back to their enums (-1: NULL or unknown). */
static int state_parse(sqlite3_stmt *s, int col)
{
    const char *k = (const char *)sqlite3_column_text(s, col);
    for (int i = 0; k && i < OBD_READ_COUNT; i++)
        if (!strcmp(k, obd_read_state_key((obd_read_state_t)i)))
            return i;
    return -1;
}

static int addressing_parse(sqlite3_stmt *s, int col)
{
    const char *k = (const char *)sqlite3_column_text(s, col);
    for (int i = 0; k && i < OBD_ADDR_COUNT; i++)
        if (!strcmp(k, obd_addressing_key((obd_addressing_t)i)))
            return i;
    return -1;
}

static int vin_source_parse(sqlite3_stmt *s, int col)
{
    const char *k = (const char *)sqlite3_column_text(s, col);
    for (int i = 0; k && i < OBD_VIN_SRC_COUNT; i++)
        if (!strcmp(k, obd_vin_source_key((obd_vin_source_t)i)))
            return i;
    return -1;
}

static void addr_text(uint32_t a, char *out, size_t cap)
{
    snprintf(out, cap, a > 0xFFF ? "%08X" : a > 0xFF ? "%03X" : "%02X", (unsigned)a);
}

/* PID $41 has no raw bytes in the scan: pack the decoded state (6 bytes:
 * flags, dtc count, supported mask, complete mask; masks big-endian, bit i =
 * monitor i). */
static void pack_readiness(const obd_readiness_t *r, uint8_t out[6])
{
    uint16_t sup = 0, done = 0;
    for (int m = 0; m < OBD_MON_COUNT; m++) {
        if (r->mon[m].supported)
            sup |= (uint16_t)(1u << m);
        if (r->mon[m].complete)
            done |= (uint16_t)(1u << m);
    }
    out[0] = (uint8_t)((r->mil_on ? 1 : 0) | (r->compression ? 2 : 0));
    out[1] = r->dtc_count;
    out[2] = (uint8_t)(sup >> 8);
    out[3] = (uint8_t)sup;
    out[4] = (uint8_t)(done >> 8);
    out[5] = (uint8_t)done;
}

static void unpack_readiness(const uint8_t *p, obd_readiness_t *r)
{
    memset(r, 0, sizeof *r);
    r->mil_on = p[0] & 1;
    r->compression = (p[0] >> 1) & 1;
    r->dtc_count = p[1];
    uint16_t sup = (uint16_t)(p[2] << 8 | p[3]), done = (uint16_t)(p[4] << 8 | p[5]);
    for (int m = 0; m < OBD_MON_COUNT; m++) {
        r->mon[m].supported = (sup >> m) & 1;
        r->mon[m].complete = (done >> m) & 1;
    }
}

/* ---------------- validation ---------------- */

static int check_scan(store_t *st, const obd_scan_t *s)
{
    if (s->necus > OBD_SCAN_MAX_ECUS || s->nraw > OBD_SCAN_MAX_RAW)
        return store__err(st, OBD_EINVAL, "scan has too many ECUs or raw replies");
    if (s->nnotes > sizeof s->notes / sizeof s->notes[0] || s->vin_source >= OBD_VIN_SRC_COUNT ||
        s->obd_protocol > OBD_PROTOCOL_ON_UDS)
        return store__err(st, OBD_EINVAL, "scan has too many notes, or an unknown VIN source or protocol kind");
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        if (e->nff > OBD_SCAN_MAX_FF_PIDS || e->nm06 > OBD_SCAN_MAX_M06 || e->ncalid > 4 || e->ncvn > 4 ||
            e->stored.count > OBD_MAX_DTCS || e->pending.count > OBD_MAX_DTCS || e->permanent.count > OBD_MAX_DTCS)
            return store__err(st, OBD_EINVAL, "scan ECU %zu has counts out of range", i);
        if (e->ff_state >= OBD_READ_COUNT || e->m06_state >= OBD_READ_COUNT || e->info_state >= OBD_READ_COUNT)
            return store__err(st, OBD_EINVAL, "scan ECU %zu: unknown read state", i);
        for (size_t k = 0; k <= OBD_ADDR_SVC_MAX; k++)
            if (e->addressing[k] >= OBD_ADDR_COUNT)
                return store__err(st, OBD_EINVAL, "scan ECU %zu: unknown addressing for service %02zX", i, k);
        for (int k = 0; k < 3; k++) {
            const obd_dtc_set_t *set = ecu_set(e, k);
            if (set->state >= OBD_READ_COUNT || set->addressing >= OBD_ADDR_COUNT)
                return store__err(st, OBD_EINVAL, "scan ECU %zu: unknown %s read state or addressing", i,
                                  dtc_kinds[k]);
        }
        for (size_t k = 0; k < e->nff; k++)
            if (e->ff[k].len > sizeof e->ff[k].data)
                return store__err(st, OBD_EINVAL, "scan ECU %zu: freeze frame value too long", i);
    }
    for (size_t i = 0; i < s->nraw; i++)
        if (s->raw[i].reqlen > sizeof s->raw[i].req)
            return store__err(st, OBD_EINVAL, "raw reply %zu: request too long", i);
    return OBD_OK;
}

/* ---------------- writing a scan ---------------- */

static int step_done(store_t *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? OBD_OK : store__dberr(st, what);
}

static int insert_ecu(store_t *st, int64_t sid, int idx, const obd_ecu_scan_t *e)
{
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO scan_ecus(scan_id, idx, addr, answered, name, pids, readiness_raw,"
                                      " readiness_cycle, warmups, km_since_clear, min_since_clear, km_with_mil,"
                                      " min_with_mil, odometer_km, ff_dtc, m06_read, addressing, silent_pids, ff_state,"
                                      " m06_state, info_state, physical_first, fallback_svcs)"
                                      " VALUES(?,?,?,1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s)
        return OBD_EDB;
    uint8_t cyc[6];
    sqlite3_bind_int64(s, 1, sid);
    sqlite3_bind_int(s, 2, idx);
    sqlite3_bind_int64(s, 3, e->addr);
    store__bind_text(s, 4, e->name);
    sqlite3_bind_blob(s, 5, e->pids.bits, sizeof e->pids.bits, SQLITE_TRANSIENT);
    if (e->has_readiness)
        sqlite3_bind_blob(s, 6, e->readiness_raw, 4, SQLITE_TRANSIENT);
    if (e->has_readiness_cycle) {
        pack_readiness(&e->readiness_cycle, cyc);
        sqlite3_bind_blob(s, 7, cyc, sizeof cyc, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(s, 8, e->warmups_since_clear);
    sqlite3_bind_int(s, 9, e->km_since_clear);
    sqlite3_bind_int(s, 10, e->min_since_clear);
    sqlite3_bind_int(s, 11, e->km_with_mil);
    sqlite3_bind_int(s, 12, e->min_with_mil);
    if (e->odometer_km >= 0)
        sqlite3_bind_double(s, 13, e->odometer_km);
    if (e->has_ff)
        sqlite3_bind_int(s, 14, e->ff_dtc);
    sqlite3_bind_int(s, 15, e->m06_read);
    sqlite3_bind_blob(s, 16, e->addressing, sizeof e->addressing, SQLITE_TRANSIENT);
    sqlite3_bind_blob(s, 17, e->silent_pids.bits, sizeof e->silent_pids.bits, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 18, obd_read_state_key((obd_read_state_t)e->ff_state), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 19, obd_read_state_key((obd_read_state_t)e->m06_state), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 20, obd_read_state_key((obd_read_state_t)e->info_state), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 21, e->physical_first);
    sqlite3_bind_int(s, 22, e->fallback_svcs);
    int rc = step_done(st, s, "save scan ECU");
    if (rc)
        return rc;

    for (int k = 0; k < 3; k++) {
        const obd_dtc_set_t *set = ecu_set(e, k);
        s = store__stmt(st, "INSERT INTO scan_dtc_reads(scan_id, idx, kind, read, unsupported, nrc, state, addressing,"
                            " deviation, raw, raw_len, uds_format) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_text(s, 3, dtc_kinds[k], -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 4, set->read);
        sqlite3_bind_int(s, 5, set->unsupported);
        sqlite3_bind_int(s, 6, set->nrc);
        sqlite3_bind_text(s, 7, obd_read_state_key((obd_read_state_t)set->state), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 8, obd_addressing_key((obd_addressing_t)set->addressing), -1, SQLITE_STATIC);
        char dv[sizeof set->deviation + 1];
        memcpy(dv, set->deviation, sizeof set->deviation);
        dv[sizeof set->deviation] = 0;
        store__bind_text(s, 9, dv);
        size_t nraw = set->rawlen < OBD_READ_RAW_MAX ? set->rawlen : OBD_READ_RAW_MAX;
        if (nraw)
            sqlite3_bind_blob(s, 10, set->raw, (int)nraw, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 11, set->rawlen);
        sqlite3_bind_int(s, 12, set->uds_format);
        if ((rc = step_done(st, s, "save DTC read state")))
            return rc;
        for (size_t i = 0; i < set->count; i++) {
            s = store__stmt(st, "INSERT INTO scan_dtcs(scan_id, idx, kind, seq, code, dtc, ftb, status)"
                                " VALUES(?,?,?,?,?,?,?,?)");
            if (!s)
                return OBD_EDB;
            char t[OBD_DTC_TEXT_LEN];
            obd_dtc_format(set->dtcs[i], t);
            sqlite3_bind_int64(s, 1, sid);
            sqlite3_bind_int(s, 2, idx);
            sqlite3_bind_text(s, 3, dtc_kinds[k], -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 4, (int)i);
            sqlite3_bind_int(s, 5, set->dtcs[i]);
            sqlite3_bind_text(s, 6, t, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(s, 7, set->ftb[i]);
            sqlite3_bind_int(s, 8, set->status[i]);
            if ((rc = step_done(st, s, "save DTC")))
                return rc;
        }
    }
    for (size_t i = 0; i < e->nff; i++) {
        s = store__stmt(st, "INSERT INTO scan_ff(scan_id, idx, seq, pid, data) VALUES(?,?,?,?,?)");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_int(s, 3, (int)i);
        sqlite3_bind_int(s, 4, e->ff[i].pid);
        sqlite3_bind_blob(s, 5, e->ff[i].data, e->ff[i].len, SQLITE_TRANSIENT);
        if ((rc = step_done(st, s, "save freeze frame")))
            return rc;
    }
    for (size_t i = 0; i < e->ncalid; i++) {
        s = store__stmt(st, "INSERT INTO scan_calid(scan_id, idx, seq, calid) VALUES(?,?,?,?)");
        if (!s)
            return OBD_EDB;
        char c[sizeof e->calid[0]];
        memcpy(c, e->calid[i], sizeof c);
        c[sizeof c - 1] = 0;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_int(s, 3, (int)i);
        store__bind_text(s, 4, c);
        if ((rc = step_done(st, s, "save CALID")))
            return rc;
    }
    for (size_t i = 0; i < e->ncvn; i++) {
        s = store__stmt(st, "INSERT INTO scan_cvn(scan_id, idx, seq, cvn) VALUES(?,?,?,?)");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_int(s, 3, (int)i);
        sqlite3_bind_int64(s, 4, e->cvn[i]);
        if ((rc = step_done(st, s, "save CVN")))
            return rc;
    }
    for (size_t i = 0; i < e->nm06; i++) {
        const obd_test_result_t *t = &e->m06[i];
        s = store__stmt(st, "INSERT INTO scan_m06(scan_id, idx, seq, mid, tid, uasid, raw_value, raw_min, raw_max,"
                            " value, min, max, passed, known_unit) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_int(s, 3, (int)i);
        sqlite3_bind_int(s, 4, t->mid);
        sqlite3_bind_int(s, 5, t->tid);
        sqlite3_bind_int(s, 6, t->uasid);
        sqlite3_bind_int(s, 7, t->raw_value);
        sqlite3_bind_int(s, 8, t->raw_min);
        sqlite3_bind_int(s, 9, t->raw_max);
        sqlite3_bind_double(s, 10, t->value);
        sqlite3_bind_double(s, 11, t->min);
        sqlite3_bind_double(s, 12, t->max);
        sqlite3_bind_int(s, 13, t->passed);
        sqlite3_bind_int(s, 14, t->known_unit);
        if ((rc = step_done(st, s, "save Mode 06 result")))
            return rc;
    }
    return OBD_OK;
}

static int insert_raw(store_t *st, int64_t sid, const obd_scan_t *scan)
{
    for (size_t i = 0; i < scan->nraw; i++) {
        const obd_raw_reply_t *r = &scan->raw[i];
        sqlite3_stmt *s = store__stmt(st, "INSERT INTO scan_raw(scan_id, seq, req, addr, len, data) VALUES(?,?,?,?,?,?)");
        if (!s)
            return OBD_EDB;
        size_t n = r->len > sizeof r->data ? sizeof r->data : r->len;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, (int)i);
        sqlite3_bind_blob(s, 3, r->req, r->reqlen, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 4, r->addr);
        sqlite3_bind_int(s, 5, r->len);
        sqlite3_bind_blob(s, 6, r->data, (int)n, SQLITE_TRANSIENT);
        int rc = step_done(st, s, "save raw reply");
        if (rc)
            return rc;
    }
    return OBD_OK;
}

/* ---------------- after a scan joins an RO ---------------- */

/* ECUs that answered an earlier scan of the RO but not this one: rows with
 * answered=0 after this scan's own ECUs. Returns how many via *n. */
static int add_missing_ecus(store_t *st, int64_t sid, int64_t wo_id, int *n)
{
    *n = 0;
    sqlite3_stmt *s = store__stmt(st, "SELECT DISTINCT e.addr FROM scan_ecus e JOIN scans p ON p.id = e.scan_id"
                                      " WHERE p.wo_id = ?1 AND p.id <> ?2 AND e.answered = 1"
                                      " AND p.started_ms <= (SELECT started_ms FROM scans WHERE id = ?2)"
                                      " AND e.addr NOT IN (SELECT addr FROM scan_ecus WHERE scan_id = ?2)"
                                      " ORDER BY e.addr");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, wo_id);
    sqlite3_bind_int64(s, 2, sid);
    uint32_t addrs[64];
    int na = 0, sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW)
        if (na < 64)
            addrs[na++] = (uint32_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "find missing ECUs");
    if (!na)
        return OBD_OK;
    s = store__stmt(st, "SELECT COALESCE(MAX(idx) + 1, 0) FROM scan_ecus WHERE scan_id = ?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, sid);
    int next = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_reset(s);
    for (int i = 0; i < na; i++) {
        s = store__stmt(st, "INSERT INTO scan_ecus(scan_id, idx, addr, answered) VALUES(?,?,?,0)");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, next + i);
        sqlite3_bind_int64(s, 3, addrs[i]);
        int rc = step_done(st, s, "save missing ECU");
        if (rc)
            return rc;
    }
    *n = na;
    return OBD_OK;
}

/* Is `code` (e.g. "P0420") covered by the RO's complaint codes: the code
 * itself, `full` when given (a UDS code with its failure type, "C0035-11"),
 * or the DTC database's system of the code? */
static bool complaint_covers(store_t *st, const char *complaint_codes, obd_dtc_t raw, const char *code,
                             const char *full, const char *vin)
{
    char buf[sizeof ((store_wo_t *)0)->complaint_codes];
    snprintf(buf, sizeof buf, "%s", complaint_codes);
    char system[24] = "";
    bool system_known = false;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ,;\t\n", &save); tok; tok = strtok_r(NULL, " ,;\t\n", &save)) {
        if (!strcasecmp(tok, code) || (full && !strcasecmp(tok, full)))
            return true;
        obd_dtc_t dummy;
        if (obd_dtc_parse(tok, &dummy) == OBD_OK || strchr(tok, '-'))
            continue; /* another code */
        if (!system_known) {
            system_known = true;
            dtcdb_t *db = store__dtcdb(st);
            dtcdb_entry_t e;
            char wmi[4] = "";
            if (vin && strlen(vin) >= 3)
                memcpy(wmi, vin, 3);
            if (db && dtcdb_lookup(db, raw, wmi[0] ? wmi : NULL, OBD_LANG_EN, &e) == OBD_OK && e.found)
                snprintf(system, sizeof system, "%s", e.system);
        }
        if (system[0] && !strcasecmp(tok, system))
            return true;
    }
    return false;
}

/* Where a finding was first seen: an OBD scan (ecu: reply address) or a
 * UDS scan (ecu/rx: the module's request/response ids). */
typedef struct {
    bool uds;
    int64_t scan_id;
    uint32_t ecu, rx;
    obd_dtc_t code;
    char full[UDS_DTC_TEXT_LEN]; /* UDS: "C0035-11"; "" for OBD */
} found_dtc_t;

/* Propose the DTCs outside the complaint as findings of the RO; a code the
 * RO already has a finding for (from any scan, OBD or UDS) is left alone. */
static int propose_findings(store_t *st, const found_dtc_t *found, size_t nf, const store_wo_t *wo, const char *vin,
                            int *n)
{
    *n = 0;
    int64_t now = store__now_ms(st);
    for (size_t i = 0; i < nf; i++) {
        char code[OBD_DTC_TEXT_LEN];
        obd_dtc_format(found[i].code, code);
        if (complaint_covers(st, wo->complaint_codes, found[i].code, code, found[i].full[0] ? found[i].full : NULL,
                             vin))
            continue;
        sqlite3_stmt *s = store__stmt(st, "INSERT INTO findings(wo_id, code, ecu, first_scan_id, state, created_ms,"
                                          " source, uds_scan_id, rx_id)"
                                          " VALUES(?,?,?,?,'proposed',?,?,?,?) ON CONFLICT(wo_id, code) DO NOTHING");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, wo->id);
        sqlite3_bind_text(s, 2, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 3, found[i].ecu);
        if (!found[i].uds)
            sqlite3_bind_int64(s, 4, found[i].scan_id);
        else
            sqlite3_bind_null(s, 4);
        sqlite3_bind_int64(s, 5, now);
        sqlite3_bind_text(s, 6, found[i].uds ? "uds" : "obd", -1, SQLITE_STATIC);
        if (found[i].uds)
            sqlite3_bind_int64(s, 7, found[i].scan_id);
        else
            sqlite3_bind_null(s, 7);
        sqlite3_bind_int64(s, 8, found[i].rx);
        int rc = step_done(st, s, "save finding");
        if (rc)
            return rc;
        *n += sqlite3_changes(st->db);
    }
    return OBD_OK;
}

/* Confirmed DTCs of scan `sid` outside the complaint become proposed
 * findings of the RO (once per code). *n gets how many were new. */
static int add_findings(store_t *st, int64_t sid, const store_wo_t *wo, const char *vin, int *n)
{
    *n = 0;
    sqlite3_stmt *s = store__stmt(st, "SELECT e.addr, d.code, d.dtc FROM scan_dtcs d JOIN scan_ecus e"
                                      " ON e.scan_id = d.scan_id AND e.idx = d.idx"
                                      " WHERE d.scan_id = ? AND d.kind = 'stored' ORDER BY d.idx, d.seq");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, sid);
    size_t cap = OBD_SCAN_MAX_ECUS * OBD_MAX_DTCS, nf = 0;
    found_dtc_t *found = calloc(cap, sizeof *found);
    if (!found) {
        sqlite3_reset(s);
        return store__err(st, OBD_EINVAL, "out of memory");
    }
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW && nf < cap) {
        found[nf].scan_id = sid;
        found[nf].ecu = (uint32_t)sqlite3_column_int64(s, 0);
        found[nf].code = (obd_dtc_t)sqlite3_column_int(s, 1);
        nf++;
    }
    sqlite3_reset(s);
    int rc = (sr != SQLITE_DONE && sr != SQLITE_ROW) ? store__dberr(st, "read DTCs for findings")
                                                     : propose_findings(st, found, nf, wo, vin, n);
    free(found);
    return rc;
}

int store__add_uds_findings(store_t *st, int64_t uds_sid, store_stage_t stage, const store_wo_t *wo,
                            const char *vin, int *n)
{
    *n = 0;
    if (stage != STORE_STAGE_RECEPTION && stage != STORE_STAGE_DIAGNOSTIC)
        return OBD_OK; /* after the repair a code is QC's business, not consent's */
    sqlite3_stmt *s = store__stmt(st, "SELECT m.tx_id, m.rx_id, d.code FROM uds_dtcs d JOIN uds_modules m"
                                      " ON m.scan_id = d.scan_id AND m.idx = d.idx"
                                      " WHERE d.scan_id = ? AND m.answered = 1 AND (d.status & 8) != 0"
                                      " ORDER BY d.idx, d.seq");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, uds_sid);
    size_t cap = UDS_SCAN_MAX_MODULES * UDS_SCAN_MAX_DTCS, nf = 0;
    found_dtc_t *found = calloc(cap, sizeof *found);
    if (!found) {
        sqlite3_reset(s);
        return store__err(st, OBD_EINVAL, "out of memory");
    }
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW && nf < cap) {
        uint32_t code24 = (uint32_t)sqlite3_column_int64(s, 2);
        found[nf].uds = true;
        found[nf].scan_id = uds_sid;
        found[nf].ecu = (uint32_t)sqlite3_column_int64(s, 0);
        found[nf].rx = (uint32_t)sqlite3_column_int64(s, 1);
        found[nf].code = uds_dtc_base(code24);
        uds_dtc_format(code24, found[nf].full);
        nf++;
    }
    sqlite3_reset(s);
    int rc = (sr != SQLITE_DONE && sr != SQLITE_ROW) ? store__dberr(st, "read UDS DTCs for findings")
                                                     : propose_findings(st, found, nf, wo, vin, n);
    free(found);
    return rc;
}

/* The RO has no VIN yet: it takes the scan's. */
int store__adopt_vin(store_t *st, store_wo_t *wo, const char *vin)
{
    if (wo->vin[0] || !vin || !vin[0])
        return OBD_OK;
    int64_t vid;
    int rc = store__vehicle_id(st, vin, &vid);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "UPDATE work_orders SET vin=?, vehicle_id=? WHERE id=?");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, vin);
    sqlite3_bind_int64(s, 2, vid);
    sqlite3_bind_int64(s, 3, wo->id);
    if ((rc = step_done(st, s, "set RO VIN")))
        return rc;
    snprintf(wo->vin, sizeof wo->vin, "%s", vin);
    return OBD_OK;
}

static int count_kind(store_t *st, int64_t sid, const char *kind)
{
    sqlite3_stmt *s = store__stmt(st, "SELECT COUNT(*) FROM scan_dtcs WHERE scan_id=? AND kind=?");
    if (!s)
        return 0;
    sqlite3_bind_int64(s, 1, sid);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_reset(s);
    return n;
}

/* Missing ECUs, findings and the audit entry for a scan now on `wo`. */
static int joined_ro(store_t *st, const char *action, int64_t sid, store_wo_t *wo, const char *vin, const char *stage,
                     const char *actor)
{
    int nmissing = 0, nfind = 0;
    int rc = add_missing_ecus(st, sid, wo->id, &nmissing);
    if (!rc)
        rc = add_findings(st, sid, wo, vin, &nfind);
    store_stage_t stg = STORE_STAGE_ADHOC;
    store_stage_parse(stage, &stg);
    int ncb = 0; /* comebacks: a pre-repair scan finding what an earlier RO repaired (store_history.c) */
    if (!rc)
        rc = store__detect_comebacks(st, wo, stg, sid, false, &ncb);
    if (rc)
        return rc;
    char details[256];
    snprintf(details, sizeof details,
             "{\"scan_id\":%lld,\"stage\":\"%s\",\"stored\":%d,\"pending\":%d,\"permanent\":%d,"
             "\"missing_ecus\":%d,\"new_findings\":%d}",
             (long long)sid, stage, count_kind(st, sid, "stored"), count_kind(st, sid, "pending"),
             count_kind(st, sid, "permanent"), nmissing, nfind);
    return store__audit_tx(st, action, wo->ro, actor, details);
}

/* Which RO does the scan go to? attached=false with a note when none. */
static int resolve_ro(store_t *st, const obd_scan_t *scan, store_scan_meta_t *meta, store_wo_t *wo, bool *attached)
{
    return store__resolve_ro(st, scan->vin, meta->ro, meta->wo_id, meta->assign_note, sizeof meta->assign_note, wo,
                             attached);
}

int store__resolve_ro(store_t *st, const char *vin, const char *ro, int64_t wo_id, char *note, size_t notecap,
                      store_wo_t *wo, bool *attached)
{
    *attached = false;
    note[0] = 0;
    int rc;
    if (ro[0] || wo_id > 0) {
        rc = ro[0] ? store__wo_by_ro(st, ro, wo) : store__wo_by_id(st, wo_id, wo);
        if (rc)
            return rc;
        if (wo->status == STORE_WO_CLOSED)
            return store__err(st, OBD_ESTATE, "RO %s is closed", wo->ro);
        if (wo->vin[0] && vin[0] && strcmp(wo->vin, vin))
            return store__err(st, OBD_ESTATE, "scan VIN does not match RO %s", wo->ro);
        *attached = true;
        return OBD_OK;
    }
    if (!vin[0]) {
        snprintf(note, notecap, "vehicle reported no VIN");
        return OBD_OK;
    }
    sqlite3_stmt *s = store__stmt(st, "SELECT id FROM work_orders WHERE vin=? AND status=0 ORDER BY id LIMIT 2");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, vin);
    int64_t ids[2];
    int n = 0, sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "find RO by VIN");
    if (n == 0) {
        snprintf(note, notecap, "no open RO for this VIN");
        return OBD_OK;
    }
    if (n > 1) {
        s = store__stmt(st, "SELECT COUNT(*) FROM work_orders WHERE vin=? AND status=0");
        if (!s)
            return OBD_EDB;
        store__bind_text(s, 1, vin);
        int total = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : n;
        sqlite3_reset(s);
        snprintf(note, notecap, "%d open ROs match", total);
        return OBD_OK;
    }
    if ((rc = store__wo_by_id(st, ids[0], wo)))
        return rc;
    *attached = true;
    return OBD_OK;
}

int store_scan_save(store_t *st, const obd_scan_t *scan, store_scan_meta_t *meta)
{
    if (!st || !scan || !meta)
        return OBD_EINVAL;
    if ((unsigned)meta->stage >= STORE_STAGE_COUNT)
        return store__err(st, OBD_EINVAL, "unknown scan stage %d", (int)meta->stage);
    int rc = check_scan(st, scan);
    if (rc)
        return rc;

    /* Canonical JSON: English, no DTC descriptions, so the text depends on
     * the scan alone and can be re-derived from the stored rows. */
    cJSON *j = obd_scan_json(scan, NULL, OBD_LANG_EN);
    char *json = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!json)
        return store__err(st, OBD_EINVAL, "scan could not be rendered as JSON");
    /* The notes as the session wrote them (English), a JSON array. */
    cJSON *na = cJSON_CreateArray();
    for (size_t i = 0; na && i < scan->nnotes; i++) {
        char en[sizeof scan->notes[0] + 1];
        memcpy(en, scan->notes[i], sizeof scan->notes[i]);
        en[sizeof scan->notes[i]] = 0;
        cJSON_AddItemToArray(na, cJSON_CreateString(en));
    }
    char *notes = na ? cJSON_PrintUnformatted(na) : NULL;
    cJSON_Delete(na);
    if (!notes) {
        free(json);
        return store__err(st, OBD_EINVAL, "scan notes could not be rendered as JSON");
    }

    /* Mileage: the ECU's odometer (PID A6) beats what was typed in. */
    double km = -1;
    const char *msrc = "";
    for (size_t i = 0; i < scan->necus; i++)
        if (scan->ecus[i].odometer_km >= 0) {
            km = scan->ecus[i].odometer_km;
            msrc = "pid_a6";
            break;
        }
    if (km < 0 && meta->mileage_km >= 0) {
        km = meta->mileage_km;
        msrc = "entered";
    }

    if ((rc = store__begin(st))) {
        free(json);
        free(notes);
        return rc;
    }
    store_wo_t wo;
    memset(&wo, 0, sizeof wo);
    bool attached;
    int64_t vid = 0, sid = 0;
    if ((rc = resolve_ro(st, scan, meta, &wo, &attached)))
        goto done;
    if (attached && (rc = store__adopt_vin(st, &wo, scan->vin)))
        goto done;
    if ((rc = store__vehicle_id(st, scan->vin, &vid)))
        goto done;
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO scans(wo_id, vehicle_id, stage, technician, vin, vin_from,"
                                      " started_ms, duration_ms, requests, saved_ms, mileage_km, mileage_source,"
                                      " adapter, device, protocol, multi_pid, battery_v, assign_note, mil_on, dtc_count,"
                                      " recently_cleared, cleared_why, necus, json, obd_protocol, vin_source,"
                                      " vin_check_failed, status_known, physical_retries, notes)"
                                      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    if (attached)
        sqlite3_bind_int64(s, 1, wo.id);
    if (vid)
        sqlite3_bind_int64(s, 2, vid);
    sqlite3_bind_text(s, 3, store_stage_key(meta->stage), -1, SQLITE_STATIC);
    store__bind_text(s, 4, meta->technician);
    store__bind_text(s, 5, scan->vin);
    sqlite3_bind_int64(s, 6, scan->vin_from);
    sqlite3_bind_int64(s, 7, (int64_t)scan->started_ms);
    sqlite3_bind_int64(s, 8, scan->duration_ms);
    sqlite3_bind_int64(s, 9, scan->requests);
    sqlite3_bind_int64(s, 10, store__now_ms(st));
    if (km >= 0)
        sqlite3_bind_double(s, 11, km);
    store__bind_text(s, 12, msrc);
    store__bind_text(s, 13, scan->link.adapter);
    store__bind_text(s, 14, scan->link.device);
    sqlite3_bind_int(s, 15, scan->link.protocol);
    sqlite3_bind_int(s, 16, scan->link.multi_pid);
    if (scan->link.battery_v >= 0)
        sqlite3_bind_double(s, 17, scan->link.battery_v);
    store__bind_text(s, 18, meta->assign_note);
    sqlite3_bind_int(s, 19, scan->mil_on);
    sqlite3_bind_int(s, 20, scan->dtc_count);
    sqlite3_bind_int(s, 21, scan->recently_cleared);
    store__bind_text(s, 22, scan->cleared_why);
    sqlite3_bind_int(s, 23, (int)scan->necus);
    sqlite3_bind_text(s, 24, json, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 25, obd_protocol_kind_key((obd_protocol_kind_t)scan->obd_protocol), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 26, obd_vin_source_key((obd_vin_source_t)scan->vin_source), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 27, scan->vin_check_failed);
    sqlite3_bind_int(s, 28, scan->status_known);
    sqlite3_bind_int64(s, 29, scan->physical_retries);
    sqlite3_bind_text(s, 30, notes, -1, SQLITE_STATIC);
    if ((rc = step_done(st, s, "save scan")))
        goto done;
    sid = sqlite3_last_insert_rowid(st->db);
    for (size_t i = 0; i < scan->necus && !rc; i++)
        rc = insert_ecu(st, sid, (int)i, &scan->ecus[i]);
    if (!rc)
        rc = insert_raw(st, sid, scan);
    if (!rc && attached)
        rc = joined_ro(st, "scan_save", sid, &wo, scan->vin, store_stage_key(meta->stage), meta->technician);
done:
    free(json);
    free(notes);
    if (rc) {
        store__rollback(st);
        return rc;
    }
    if ((rc = store__commit(st)))
        return rc;
    meta->id = sid;
    meta->wo_id = attached ? wo.id : 0;
    snprintf(meta->ro, sizeof meta->ro, "%s", attached ? wo.ro : "");
    snprintf(meta->vin, sizeof meta->vin, "%s", scan->vin);
    meta->started_ms = (int64_t)scan->started_ms;
    meta->mileage_km = km;
    snprintf(meta->mileage_source, sizeof meta->mileage_source, "%s", msrc);
    store__copy(meta->adapter, sizeof meta->adapter, scan->link.adapter);
    snprintf(meta->protocol, sizeof meta->protocol, "%s", obd_proto_key(scan->link.protocol));
    meta->battery_v = scan->link.battery_v >= 0 ? scan->link.battery_v : -1;
    return OBD_OK;
}

/* ---------------- reading scans ---------------- */

#define META_COLS                                                                                            \
    "s.id, COALESCE(s.wo_id, 0), COALESCE(w.ro, ''), s.stage, s.technician, s.vin, s.started_ms, s.mileage_km," \
    " s.mileage_source, s.adapter, s.protocol, s.battery_v, s.assign_note"
#define META_FROM " FROM scans s LEFT JOIN work_orders w ON w.id = s.wo_id"

static void meta_from_row(sqlite3_stmt *s, store_scan_meta_t *m)
{
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(s, 0);
    m->wo_id = sqlite3_column_int64(s, 1);
    store__col_text(s, 2, m->ro, sizeof m->ro);
    store_stage_t stg = STORE_STAGE_ADHOC;
    store_stage_parse((const char *)sqlite3_column_text(s, 3), &stg);
    m->stage = stg;
    store__col_text(s, 4, m->technician, sizeof m->technician);
    store__col_text(s, 5, m->vin, sizeof m->vin);
    m->started_ms = sqlite3_column_int64(s, 6);
    m->mileage_km = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 7);
    store__col_text(s, 8, m->mileage_source, sizeof m->mileage_source);
    store__col_text(s, 9, m->adapter, sizeof m->adapter);
    snprintf(m->protocol, sizeof m->protocol, "%s", obd_proto_key((obd_proto_t)sqlite3_column_int(s, 10)));
    m->battery_v = sqlite3_column_type(s, 11) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 11);
    store__col_text(s, 12, m->assign_note, sizeof m->assign_note);
}

static void copy_blob(sqlite3_stmt *s, int col, void *dst, size_t cap)
{
    const void *p = sqlite3_column_blob(s, col);
    size_t n = (size_t)sqlite3_column_bytes(s, col);
    if (p && n)
        memcpy(dst, p, n < cap ? n : cap);
}

static obd_ecu_scan_t *ecu_at(obd_scan_t *scan, int idx)
{
    return idx >= 0 && (size_t)idx < scan->necus ? &scan->ecus[idx] : NULL;
}

/* Rows keyed (idx = ECU, seq = position) into one per-ECU array: the
 * freeze frame, CALIDs, CVNs and Mode 06 results all load this way. `fn`
 * fills element `seq` from columns 2...; the ECU's count (at `count_off`)
 * grows to cover it. Rows out of range are ignored. */
typedef void (*ecu_row_fn)(obd_ecu_scan_t *e, size_t seq, sqlite3_stmt *s);

static int load_ecu_rows(store_t *st, obd_scan_t *scan, int64_t id, const char *sql, size_t cap, size_t count_off,
                         ecu_row_fn fn, const char *what)
{
    sqlite3_stmt *s = store__stmt(st, sql);
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        obd_ecu_scan_t *e = ecu_at(scan, sqlite3_column_int(s, 0));
        int seq = sqlite3_column_int(s, 1);
        if (!e || seq < 0 || (size_t)seq >= cap)
            continue;
        fn(e, (size_t)seq, s);
        size_t *count = (size_t *)((char *)e + count_off);
        if ((size_t)seq >= *count)
            *count = (size_t)seq + 1;
    }
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? OBD_OK : store__dberr(st, what);
}

static void row_ff(obd_ecu_scan_t *e, size_t seq, sqlite3_stmt *s)
{
    obd_pid_sample_t *p = &e->ff[seq];
    p->pid = (uint8_t)sqlite3_column_int(s, 2);
    int n = sqlite3_column_bytes(s, 3);
    p->len = (uint8_t)(n > 8 ? 8 : n);
    copy_blob(s, 3, p->data, sizeof p->data);
}

static void row_calid(obd_ecu_scan_t *e, size_t seq, sqlite3_stmt *s)
{
    store__col_text(s, 2, e->calid[seq], sizeof e->calid[seq]);
}

static void row_cvn(obd_ecu_scan_t *e, size_t seq, sqlite3_stmt *s)
{
    e->cvn[seq] = (uint32_t)sqlite3_column_int64(s, 2);
}

static void row_m06(obd_ecu_scan_t *e, size_t seq, sqlite3_stmt *s)
{
    obd_test_result_t *t = &e->m06[seq];
    t->mid = (uint8_t)sqlite3_column_int(s, 2);
    t->tid = (uint8_t)sqlite3_column_int(s, 3);
    t->uasid = (uint8_t)sqlite3_column_int(s, 4);
    t->raw_value = (uint16_t)sqlite3_column_int(s, 5);
    t->raw_min = (uint16_t)sqlite3_column_int(s, 6);
    t->raw_max = (uint16_t)sqlite3_column_int(s, 7);
    t->value = sqlite3_column_double(s, 8);
    t->min = sqlite3_column_double(s, 9);
    t->max = sqlite3_column_double(s, 10);
    t->passed = sqlite3_column_int(s, 11);
    t->known_unit = sqlite3_column_int(s, 12);
}

static int load_children(store_t *st, int64_t id, obd_scan_t *scan)
{
    sqlite3_stmt *s = store__stmt(st, "SELECT idx, addr, name, pids, readiness_raw, readiness_cycle, warmups,"
                                      " km_since_clear, min_since_clear, km_with_mil, min_with_mil, odometer_km, ff_dtc,"
                                      " m06_read, addressing, silent_pids, ff_state, m06_state, info_state, physical_first,"
                                      " fallback_svcs FROM scan_ecus WHERE scan_id=? AND answered=1 ORDER BY idx");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        int idx = sqlite3_column_int(s, 0);
        if (idx < 0 || idx >= OBD_SCAN_MAX_ECUS)
            continue;
        if ((size_t)idx >= scan->necus)
            scan->necus = (size_t)idx + 1;
        obd_ecu_scan_t *e = &scan->ecus[idx];
        e->addr = (uint32_t)sqlite3_column_int64(s, 1);
        store__col_text(s, 2, e->name, sizeof e->name);
        copy_blob(s, 3, e->pids.bits, sizeof e->pids.bits);
        if (sqlite3_column_type(s, 4) != SQLITE_NULL) {
            e->has_readiness = true;
            copy_blob(s, 4, e->readiness_raw, sizeof e->readiness_raw);
            obd_readiness_decode(e->readiness_raw, sizeof e->readiness_raw, false, &e->readiness);
        }
        if (sqlite3_column_type(s, 5) != SQLITE_NULL && sqlite3_column_bytes(s, 5) == 6) {
            e->has_readiness_cycle = true;
            unpack_readiness(sqlite3_column_blob(s, 5), &e->readiness_cycle);
        }
        e->warmups_since_clear = sqlite3_column_int(s, 6);
        e->km_since_clear = sqlite3_column_int(s, 7);
        e->min_since_clear = sqlite3_column_int(s, 8);
        e->km_with_mil = sqlite3_column_int(s, 9);
        e->min_with_mil = sqlite3_column_int(s, 10);
        e->odometer_km = sqlite3_column_type(s, 11) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 11);
        if (sqlite3_column_type(s, 12) != SQLITE_NULL) {
            e->has_ff = true;
            e->ff_dtc = (obd_dtc_t)sqlite3_column_int(s, 12);
        }
        e->m06_read = sqlite3_column_int(s, 13);
        /* Version 7; a NULL addressing blob (older row) is derived in derive_old() */
        e->addressing[0] = 0xFF;
        if (sqlite3_column_type(s, 14) != SQLITE_NULL) {
            memset(e->addressing, 0, sizeof e->addressing);
            copy_blob(s, 14, e->addressing, sizeof e->addressing);
            for (size_t k = 0; k < sizeof e->addressing; k++)
                if (e->addressing[k] >= OBD_ADDR_COUNT)
                    e->addressing[k] = OBD_ADDR_NOT_ASKED;
        }
        copy_blob(s, 15, e->silent_pids.bits, sizeof e->silent_pids.bits);
        int fs = state_parse(s, 16), ms = state_parse(s, 17), is = state_parse(s, 18);
        /* older rows: the freeze frame and Mode 06 were read when they are there */
        e->ff_state = (uint8_t)(fs >= 0 ? fs : e->has_ff ? OBD_READ_OK : OBD_READ_NOT_ASKED);
        e->m06_state = (uint8_t)(ms >= 0 ? ms : e->m06_read ? OBD_READ_OK : OBD_READ_NOT_ASKED);
        e->info_state = (uint8_t)(is >= 0 ? is : OBD_READ_NOT_ASKED);
        e->physical_first = sqlite3_column_int(s, 19);
        e->fallback_svcs = (uint16_t)(sqlite3_column_int(s, 20) & 0x7FE); /* services 01..0A */
    }
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "load scan ECUs");

    s = store__stmt(st, "SELECT idx, kind, read, unsupported, nrc, state, addressing, deviation, raw, raw_len,"
                        " uds_format FROM scan_dtc_reads WHERE scan_id=?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        obd_ecu_scan_t *e = ecu_at(scan, sqlite3_column_int(s, 0));
        int k = kind_index((const char *)sqlite3_column_text(s, 1));
        if (!e || k < 0)
            continue;
        obd_dtc_set_t *set = (obd_dtc_set_t *)ecu_set(e, k);
        set->read = sqlite3_column_int(s, 2);
        set->unsupported = sqlite3_column_int(s, 3);
        set->nrc = (uint8_t)sqlite3_column_int(s, 4);
        int stt = state_parse(s, 5), ad = addressing_parse(s, 6);
        /* A row older than version 7 has no state: derived from the flags,
         * and its answer came functionally (the only way obdgw asked then). */
        set->state = (uint8_t)(stt >= 0 ? stt : (int)obd_dtc_set_state(set));
        if (ad >= 0)
            set->addressing = (uint8_t)ad;
        else
            set->addressing = (uint8_t)(!set->read ? OBD_ADDR_NONE
                                        : set->unsupported || set->nrc ? OBD_ADDR_NRC
                                                                       : OBD_ADDR_FUNCTIONAL);
        store__col_text(s, 7, set->deviation, sizeof set->deviation);
        copy_blob(s, 8, set->raw, sizeof set->raw);
        int rl = sqlite3_column_int(s, 9);
        set->rawlen = (uint16_t)(rl < 0 ? 0 : rl > 0xFFFF ? 0xFFFF : rl);
        set->uds_format = sqlite3_column_int(s, 10);
    }
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "load DTC read state");

    s = store__stmt(st, "SELECT idx, kind, seq, code, ftb, status FROM scan_dtcs WHERE scan_id=? ORDER BY idx, kind, seq");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        obd_ecu_scan_t *e = ecu_at(scan, sqlite3_column_int(s, 0));
        int k = kind_index((const char *)sqlite3_column_text(s, 1));
        int seq = sqlite3_column_int(s, 2);
        if (!e || k < 0 || seq < 0 || seq >= OBD_MAX_DTCS)
            continue;
        obd_dtc_set_t *set = (obd_dtc_set_t *)ecu_set(e, k);
        set->dtcs[seq] = (obd_dtc_t)sqlite3_column_int(s, 3);
        set->ftb[seq] = (uint8_t)sqlite3_column_int(s, 4);
        set->status[seq] = (uint8_t)sqlite3_column_int(s, 5);
        if ((size_t)seq >= set->count)
            set->count = (size_t)seq + 1;
    }
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "load DTCs");

    int rc;
    if ((rc = load_ecu_rows(st, scan, id, "SELECT idx, seq, pid, data FROM scan_ff WHERE scan_id=? ORDER BY idx, seq",
                            OBD_SCAN_MAX_FF_PIDS, offsetof(obd_ecu_scan_t, nff), row_ff, "load freeze frames")) ||
        (rc = load_ecu_rows(st, scan, id, "SELECT idx, seq, calid FROM scan_calid WHERE scan_id=? ORDER BY idx, seq", 4,
                            offsetof(obd_ecu_scan_t, ncalid), row_calid, "load CALIDs")) ||
        (rc = load_ecu_rows(st, scan, id, "SELECT idx, seq, cvn FROM scan_cvn WHERE scan_id=? ORDER BY idx, seq", 4,
                            offsetof(obd_ecu_scan_t, ncvn), row_cvn, "load CVNs")) ||
        (rc = load_ecu_rows(st, scan, id,
                            "SELECT idx, seq, mid, tid, uasid, raw_value, raw_min, raw_max, value, min, max, passed,"
                            " known_unit FROM scan_m06 WHERE scan_id=? ORDER BY idx, seq",
                            OBD_SCAN_MAX_M06, offsetof(obd_ecu_scan_t, nm06), row_m06, "load Mode 06 results")))
        return rc;

    s = store__stmt(st, "SELECT seq, req, addr, len, data FROM scan_raw WHERE scan_id=? ORDER BY seq");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        int seq = sqlite3_column_int(s, 0);
        if (seq < 0 || seq >= OBD_SCAN_MAX_RAW)
            continue;
        obd_raw_reply_t *r = &scan->raw[seq];
        int rl = sqlite3_column_bytes(s, 1);
        r->reqlen = (uint8_t)(rl > 8 ? 8 : rl);
        copy_blob(s, 1, r->req, sizeof r->req);
        r->addr = (uint32_t)sqlite3_column_int64(s, 2);
        r->len = (uint16_t)sqlite3_column_int(s, 3);
        copy_blob(s, 4, r->data, sizeof r->data);
        if ((size_t)seq >= scan->nraw)
            scan->nraw = (size_t)seq + 1;
    }
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "load raw replies");
    return OBD_OK;
}

/* Per-service addressing of an ECU saved before version 7 (its blob is
 * NULL, marked 0xFF at [0] by load_children): obdgw asked functionally only,
 * so 01 (it answered discovery) and the DTC services say how they came. */
static void derive_old_addressing(obd_ecu_scan_t *e)
{
    if (e->addressing[0] != 0xFF)
        return;
    memset(e->addressing, 0, sizeof e->addressing);
    e->addressing[0x01] = OBD_ADDR_FUNCTIONAL;
    e->addressing[0x03] = e->stored.addressing;
    e->addressing[0x07] = e->pending.addressing;
    e->addressing[0x0A] = e->permanent.addressing;
}

/* The notes column: a JSON array of English sentences. */
static void load_notes(obd_scan_t *scan, const char *text)
{
    cJSON *a = text ? cJSON_Parse(text) : NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, a) {
        if (scan->nnotes >= sizeof scan->notes / sizeof scan->notes[0])
            break;
        if (cJSON_IsString(it))
            snprintf(scan->notes[scan->nnotes++], sizeof scan->notes[0], "%s", it->valuestring);
    }
    cJSON_Delete(a);
}

int store_scan_load(store_t *st, int64_t id, obd_scan_t *scan, store_scan_meta_t *meta)
{
    if (!st)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__stmt(st, "SELECT " META_COLS ", s.vin_from, s.duration_ms, s.requests, s.device,"
                                      " s.multi_pid, s.mil_on, s.dtc_count, s.recently_cleared, s.cleared_why,"
                                      " s.obd_protocol, s.vin_source, s.vin_check_failed, s.status_known,"
                                      " s.physical_retries, s.notes"
                                      META_FROM " WHERE s.id=?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    int sr = sqlite3_step(s);
    if (sr != SQLITE_ROW) {
        sqlite3_reset(s);
        return sr == SQLITE_DONE ? store__err(st, OBD_ENOTFOUND, "scan %lld not found", (long long)id)
                                 : store__dberr(st, "load scan");
    }
    store_scan_meta_t m;
    meta_from_row(s, &m);
    bool status_null = false;
    if (scan) {
        memset(scan, 0, sizeof *scan);
        snprintf(scan->vin, sizeof scan->vin, "%s", m.vin);
        scan->vin_from = (uint32_t)sqlite3_column_int64(s, 13);
        scan->duration_ms = (uint32_t)sqlite3_column_int64(s, 14);
        scan->requests = (unsigned)sqlite3_column_int64(s, 15);
        store__col_text(s, 16, scan->link.device, sizeof scan->link.device);
        scan->link.multi_pid = sqlite3_column_int(s, 17);
        scan->mil_on = sqlite3_column_int(s, 18);
        scan->dtc_count = sqlite3_column_int(s, 19);
        scan->recently_cleared = sqlite3_column_int(s, 20);
        store__col_text(s, 21, scan->cleared_why, sizeof scan->cleared_why);
        scan->started_ms = (uint64_t)m.started_ms;
        store__col_text(s, 9, scan->link.adapter, sizeof scan->link.adapter);
        scan->link.protocol = (obd_proto_t)sqlite3_column_int(s, 10);
        scan->link.battery_v = m.battery_v;
        const char *pk = (const char *)sqlite3_column_text(s, 22);
        scan->obd_protocol = pk && !strcmp(pk, "obd_on_uds") ? OBD_PROTOCOL_ON_UDS : OBD_PROTOCOL_CLASSIC;
        int vs = vin_source_parse(s, 23);
        /* before version 7 a VIN came from 09 02 (listed in 09 00) or not at all */
        scan->vin_source = (uint8_t)(vs >= 0 ? vs : scan->vin[0] ? OBD_VIN_SRC_MODE09 : OBD_VIN_SRC_NONE);
        if (sqlite3_column_type(s, 24) != SQLITE_NULL) {
            scan->vin_check_failed = sqlite3_column_int(s, 24);
        } else if (scan->vin[0]) {
            obd_vin_info_t vi;
            scan->vin_check_failed = obd_vin_decode(scan->vin, &vi) == OBD_OK && vi.check == OBD_VIN_CHECK_MISMATCH;
        }
        status_null = sqlite3_column_type(s, 25) == SQLITE_NULL;
        scan->status_known = sqlite3_column_int(s, 25);
        scan->physical_retries = (unsigned)sqlite3_column_int64(s, 26);
        load_notes(scan, (const char *)sqlite3_column_text(s, 27));
    }
    sqlite3_reset(s);
    if (scan) {
        int rc = load_children(st, id, scan);
        if (rc)
            return rc;
        for (size_t i = 0; i < scan->necus; i++) {
            derive_old_addressing(&scan->ecus[i]);
            /* before version 7: PID 01 was known when an ECU gave readiness */
            if (status_null && scan->ecus[i].has_readiness)
                scan->status_known = true;
        }
    }
    if (meta)
        *meta = m;
    return OBD_OK;
}

int store_scan_missing_ecus(store_t *st, int64_t scan_id, uint32_t *addrs, size_t cap)
{
    if (!st)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__stmt(st, "SELECT addr FROM scan_ecus WHERE scan_id=? AND answered=0 ORDER BY idx");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, scan_id);
    int n = 0, sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        if (addrs && (size_t)n < cap)
            addrs[n] = (uint32_t)sqlite3_column_int64(s, 0);
        n++;
    }
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? n : store__dberr(st, "read missing ECUs");
}

int store_scan_attach(store_t *st, const char *ro, int64_t scan_id)
{
    if (!st)
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t wo;
    store_scan_meta_t m;
    if ((rc = store__wo_open(st, ro, &wo)))
        goto done;
    if ((rc = store_scan_load(st, scan_id, NULL, &m)))
        goto done;
    if (m.wo_id) {
        if (m.wo_id != wo.id)
            rc = store__err(st, OBD_ESTATE, "scan %lld is already attached to RO %s", (long long)scan_id, m.ro);
        goto done; /* attached to this RO already: nothing to do */
    }
    if (wo.vin[0] && m.vin[0] && strcmp(wo.vin, m.vin)) {
        rc = store__err(st, OBD_ESTATE, "scan VIN does not match RO %s", ro);
        goto done;
    }
    if ((rc = store__adopt_vin(st, &wo, m.vin)))
        goto done;
    sqlite3_stmt *s = store__stmt(st, "UPDATE scans SET wo_id=?, assign_note='' WHERE id=? AND wo_id IS NULL");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, wo.id);
    sqlite3_bind_int64(s, 2, scan_id);
    if ((rc = step_done(st, s, "attach scan")))
        goto done;
    rc = joined_ro(st, "scan_attach", scan_id, &wo, m.vin, store_stage_key(m.stage), m.technician);
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_scan_list(store_t *st, const char *ro, int stage, int (*fn)(void *ctx, const store_scan_meta_t *m), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    store_wo_t wo;
    bool unassigned = !ro || !*ro; /* "" lists the unassigned scans */
    int rc;
    if (!unassigned && (rc = store__wo_by_ro(st, ro, &wo)))
        return rc;
    sqlite3_stmt *s;
    const char *sql = unassigned ? "SELECT " META_COLS META_FROM " WHERE s.wo_id IS NULL ORDER BY s.started_ms, s.id"
                                 : "SELECT " META_COLS META_FROM " WHERE s.wo_id=? ORDER BY s.started_ms, s.id";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "list scans");
    if (!unassigned)
        sqlite3_bind_int64(s, 1, wo.id);
    store_scan_meta_t m;
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        meta_from_row(s, &m);
        if (stage >= 0 && (int)m.stage != stage)
            continue;
        if (fn(ctx, &m))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list scans");
    sqlite3_finalize(s);
    return rc;
}

int store_scan_latest(store_t *st, const char *ro, const store_stage_t *stages, size_t nstages, int64_t *id)
{
    if (!st || !id)
        return OBD_EINVAL;
    store_wo_t wo;
    int rc = store__wo_by_ro(st, ro, &wo);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "SELECT id, stage FROM scans WHERE wo_id=? ORDER BY started_ms DESC, id DESC");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, wo.id);
    int sr;
    rc = OBD_ENOTFOUND;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        store_stage_t stg;
        if (store_stage_parse((const char *)sqlite3_column_text(s, 1), &stg))
            continue;
        bool want = nstages == 0 || !stages;
        for (size_t i = 0; i < nstages && stages && !want; i++)
            want = stages[i] == stg;
        if (want) {
            *id = sqlite3_column_int64(s, 0);
            rc = OBD_OK;
            break;
        }
    }
    sqlite3_reset(s);
    if (rc == OBD_ENOTFOUND && sr != SQLITE_DONE)
        return store__dberr(st, "find latest scan");
    if (rc == OBD_ENOTFOUND)
        return store__err(st, OBD_ENOTFOUND, "RO %s has no scan at that stage", ro);
    return OBD_OK;
}

/* ---------------- findings ---------------- */

static const char *const finding_keys[] = { "proposed", "approved", "declined" };

const char *store_finding_state_key(store_finding_state_t s)
{
    return (unsigned)s < 3 ? finding_keys[s] : "unknown";
}

static store_finding_state_t finding_state_parse(const char *k)
{
    for (int i = 0; i < 3; i++)
        if (k && !strcmp(k, finding_keys[i]))
            return (store_finding_state_t)i;
    return STORE_FINDING_PROPOSED;
}

int store_finding_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_finding_t *f), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    store_wo_t wo;
    int rc = store__wo_by_ro(st, ro, &wo);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, wo_id, code, ecu, COALESCE(first_scan_id, 0), state, decided_by, decided_ms,"
                           " note, source, COALESCE(uds_scan_id, 0), rx_id FROM findings WHERE wo_id=? ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "list findings");
    sqlite3_bind_int64(s, 1, wo.id);
    int sr;
    store_finding_t f;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&f, 0, sizeof f);
        f.id = sqlite3_column_int64(s, 0);
        f.wo_id = sqlite3_column_int64(s, 1);
        store__col_text(s, 2, f.code, sizeof f.code);
        f.ecu = (uint32_t)sqlite3_column_int64(s, 3);
        f.first_scan_id = sqlite3_column_int64(s, 4);
        f.state = finding_state_parse((const char *)sqlite3_column_text(s, 5));
        store__col_text(s, 6, f.decided_by, sizeof f.decided_by);
        f.decided_ms = sqlite3_column_int64(s, 7);
        store__col_text(s, 8, f.note, sizeof f.note);
        store__col_text(s, 9, f.source, sizeof f.source);
        f.uds_scan_id = sqlite3_column_int64(s, 10);
        f.rx_id = (uint32_t)sqlite3_column_int64(s, 11);
        if (fn(ctx, &f))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list findings");
    sqlite3_finalize(s);
    return rc;
}

int store_finding_decide(store_t *st, const char *ro, const char *code, store_finding_state_t state, const char *who,
                         const char *note)
{
    if (!st)
        return OBD_EINVAL;
    if (state != STORE_FINDING_APPROVED && state != STORE_FINDING_DECLINED)
        return store__err(st, OBD_EINVAL, "a decision is approved or declined");
    if (!who || !*who)
        return store__err(st, OBD_EINVAL, "a decision needs who recorded it");
    if (!code || !*code)
        return store__err(st, OBD_EINVAL, "no DTC given");
    /* "C0035-11" as a UDS scan shows it: the finding is "C0035" */
    char base[OBD_DTC_TEXT_LEN];
    const char *dash = strchr(code, '-');
    if (dash && (size_t)(dash - code) < sizeof base) {
        snprintf(base, sizeof base, "%.*s", (int)(dash - code), code);
        code = base;
    }
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t wo;
    if ((rc = store__wo_open(st, ro, &wo)))
        goto done;
    sqlite3_stmt *s = store__stmt(st, "SELECT id FROM findings WHERE wo_id=? AND code=? COLLATE NOCASE");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, wo.id);
    store__bind_text(s, 2, code);
    int sr = sqlite3_step(s);
    int64_t fid = sr == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (sr == SQLITE_DONE) {
        rc = store__err(st, OBD_ENOTFOUND, "RO %s has no finding %s", ro, code);
        goto done;
    }
    if (sr != SQLITE_ROW) {
        rc = store__dberr(st, "read finding");
        goto done;
    }
    s = store__stmt(st, "UPDATE findings SET state=?, decided_by=?, decided_ms=?, note=? WHERE id=?");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_text(s, 1, finding_keys[state], -1, SQLITE_STATIC);
    store__bind_text(s, 2, who);
    sqlite3_bind_int64(s, 3, store__now_ms(st));
    store__bind_text(s, 4, note);
    if (!(rc = (sqlite3_bind_int64(s, 5, fid), step_done(st, s, "record decision")))) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "finding_id", (double)fid);
        cJSON_AddStringToObject(d, "code", code);
        cJSON_AddStringToObject(d, "state", finding_keys[state]);
        cJSON_AddStringToObject(d, "note", note ? note : "");
        char *txt = cJSON_PrintUnformatted(d);
        cJSON_Delete(d);
        rc = txt ? store__audit_tx(st, "finding_decide", ro, who, txt) : store__err(st, OBD_EINVAL, "out of memory");
        free(txt);
    }
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

/* ---------------- clear gate ---------------- */

static int clear_allowed_tx(store_t *st, const char *ro, store_wo_t *wo)
{
    int rc = store__wo_open(st, ro, wo);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "SELECT COUNT(*), COALESCE(MAX(EXISTS(SELECT 1 FROM scan_ecus e"
                                      " WHERE e.scan_id = s.id AND e.answered = 1 AND e.ff_dtc IS NOT NULL)), 0)"
                                      " FROM scans s WHERE s.wo_id = ? AND s.stage = 'pre'");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, wo->id);
    int sr = sqlite3_step(s);
    int npre = sr == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    int with_ff = sr == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
    sqlite3_reset(s);
    if (sr != SQLITE_ROW)
        return store__dberr(st, "check clear gate");
    if (npre == 0)
        return store__err(st, OBD_ESTATE, "RO %s has no pre-repair scan", ro);
    if (!with_ff)
        return store__err(st, OBD_ESTATE, "RO %s has no pre-repair scan with a freeze frame", ro);
    return OBD_OK;
}

int store_clear_allowed(store_t *st, const char *ro)
{
    if (!st)
        return OBD_EINVAL;
    store_wo_t wo;
    return clear_allowed_tx(st, ro, &wo);
}

int store_clear_record(store_t *st, const char *ro, const char *who, const char *reason, int64_t preclear_scan_id,
                       const uint32_t *ecus_acked, size_t necus, int64_t *clear_id)
{
    if (!st)
        return OBD_EINVAL;
    if (!who || !*who)
        return store__err(st, OBD_EINVAL, "a clear needs who did it");
    if (necus && !ecus_acked)
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t wo;
    store_scan_meta_t pm;
    int64_t cid = 0;
    if ((rc = clear_allowed_tx(st, ro, &wo)))
        goto done;
    if ((rc = store_scan_load(st, preclear_scan_id, NULL, &pm))) {
        if (rc == OBD_ENOTFOUND)
            rc = store__err(st, OBD_ENOTFOUND, "pre-clear scan %lld not found", (long long)preclear_scan_id);
        goto done;
    }
    if (pm.wo_id != wo.id) {
        rc = store__err(st, OBD_ESTATE, "pre-clear scan %lld is not a scan of RO %s", (long long)preclear_scan_id, ro);
        goto done;
    }
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO clears(wo_id, who, reason, preclear_scan_id, cleared_ms)"
                                      " VALUES(?,?,?,?,?)");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, wo.id);
    store__bind_text(s, 2, who);
    store__bind_text(s, 3, reason);
    sqlite3_bind_int64(s, 4, preclear_scan_id);
    sqlite3_bind_int64(s, 5, store__now_ms(st));
    if ((rc = step_done(st, s, "save clear")))
        goto done;
    cid = sqlite3_last_insert_rowid(st->db);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "clear_id", (double)cid);
    cJSON_AddNumberToObject(d, "preclear_scan_id", (double)preclear_scan_id);
    cJSON *arr = cJSON_AddArrayToObject(d, "ecus");
    for (size_t i = 0; i < necus && !rc; i++) {
        s = store__stmt(st, "INSERT OR IGNORE INTO clear_ecus(clear_id, addr) VALUES(?,?)");
        if (!s) {
            rc = OBD_EDB;
            break;
        }
        sqlite3_bind_int64(s, 1, cid);
        sqlite3_bind_int64(s, 2, ecus_acked[i]);
        rc = step_done(st, s, "save cleared ECU");
        char a[12];
        addr_text(ecus_acked[i], a, sizeof a);
        cJSON_AddItemToArray(arr, cJSON_CreateString(a));
    }
    cJSON_AddStringToObject(d, "reason", reason ? reason : "");
    char *txt = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    if (!rc)
        rc = txt ? store__audit_tx(st, "clear", ro, who, txt) : store__err(st, OBD_EINVAL, "out of memory");
    free(txt);
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    if ((rc = store__commit(st)))
        return rc;
    if (clear_id)
        *clear_id = cid;
    return OBD_OK;
}
