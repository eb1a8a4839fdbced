/*
 * store_uds.c — UDS full-system scans and UDS clears in the evidence store
 * (schema version 4; API in include/obdgw/store_uds.h).
 *
 * A scan is one uds_scans row plus one uds_modules row per probed module
 * (silent ones included, so "which modules did not answer" is evidence too),
 * with its identification DIDs, DTCs and raw snapshot / extended-data
 * records beside it. Attachment to an RO is the OBD scans' rule
 * (store__resolve_ro): never to an RO with a different VIN.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "obdgw/store_uds.h"
#include "obdgw/vin.h"
#include "obdgw/store_history.h"
#include "store_priv.h"

static int step_done(store_t *st, sqlite3_stmt *s, const char *what)
{
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? OBD_OK : store__dberr(st, what);
}

static void id_text(uint32_t id, char *out, size_t cap)
{
    snprintf(out, cap, id > 0x7FF ? "%08X" : "%03X", (unsigned)id);
}

/* The VIN the modules report: the first F190 that is a valid VIN. */
static void scan_vin(const uds_scan_t *s, char vin[18])
{
    vin[0] = 0;
    for (size_t i = 0; i < s->nmodules; i++) {
        const uds_module_t *m = &s->modules[i];
        if (m->answered && m->ident_ok[0] && store__vin_valid(m->ident[0])) {
            snprintf(vin, 18, "%s", m->ident[0]);
            return;
        }
    }
}

static int check_uds(store_t *st, const uds_scan_t *s)
{
    if (s->nmodules > UDS_SCAN_MAX_MODULES || s->nanswered > s->nmodules)
        return store__err(st, OBD_EINVAL, "UDS scan has too many modules");
    for (size_t i = 0; i < s->nmodules; i++) {
        const uds_module_t *m = &s->modules[i];
        if (m->ndtcs > UDS_SCAN_MAX_DTCS || m->nsnap > s->nrecords || (unsigned)m->state > UDS_MOD_ERROR)
            return store__err(st, OBD_EINVAL, "UDS module %X/%X: counts out of range", (unsigned)m->tx_id,
                              (unsigned)m->rx_id);
    }
    if (s->nrecords > UDS_SCAN_MAX_RECORDS)
        return store__err(st, OBD_EINVAL, "UDS scan has too many records");
    for (size_t k = 0; k < s->nrecords; k++)
        if (s->records[k].len > sizeof s->records[k].data || s->records[k].module >= s->nmodules)
            return store__err(st, OBD_EINVAL, "UDS record %zu: too long or of no module", k);
    return OBD_OK;
}

static void count_meta(const uds_scan_t *s, store_uds_meta_t *m)
{
    m->probed = (int)s->nmodules;
    m->answered = m->needs_auth = m->ndtcs = m->nconfirmed = 0;
    for (size_t i = 0; i < s->nmodules; i++) {
        const uds_module_t *u = &s->modules[i];
        m->answered += u->answered;
        m->needs_auth += u->answered && u->state == UDS_MOD_NEEDS_AUTH;
        m->ndtcs += (int)u->ndtcs;
        for (size_t k = 0; k < u->ndtcs; k++)
            m->nconfirmed += (u->dtcs[k].status & UDS_ST_CONFIRMED) != 0;
    }
}

static int insert_module(store_t *st, int64_t sid, int idx, const uds_scan_t *scan, const uds_module_t *m)
{
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO uds_modules(scan_id, idx, tx_id, rx_id, name, answered, state, nrc,"
                                      " dtcs_read, avail_mask, session_held, busy_retries)"
                                      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s)
        return OBD_EDB;
    const char *name = uds_module_key(m->tx_id, m->rx_id);
    sqlite3_bind_int64(s, 1, sid);
    sqlite3_bind_int(s, 2, idx);
    sqlite3_bind_int64(s, 3, m->tx_id);
    sqlite3_bind_int64(s, 4, m->rx_id);
    store__bind_text(s, 5, name);
    sqlite3_bind_int(s, 6, m->answered);
    sqlite3_bind_text(s, 7, uds_mod_state_key(m->state), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 8, m->nrc);
    sqlite3_bind_int(s, 9, m->dtcs_read);
    sqlite3_bind_int(s, 10, m->avail_mask);
    sqlite3_bind_int(s, 11, m->session_held);
    sqlite3_bind_int(s, 12, (int)m->busy_retries);
    int rc = step_done(st, s, "save UDS module");
    for (size_t k = 0; k < UDS_SCAN_NIDENT && !rc; k++) {
        if (!m->ident_ok[k])
            continue;
        s = store__stmt(st, "INSERT INTO uds_idents(scan_id, idx, did, value) VALUES(?,?,?,?)");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_int(s, 3, uds_scan_ident_dids[k]);
        store__bind_text(s, 4, m->ident[k]);
        rc = step_done(st, s, "save UDS identification");
    }
    for (size_t k = 0; k < m->ndtcs && !rc; k++) {
        s = store__stmt(st, "INSERT INTO uds_dtcs(scan_id, idx, seq, code, dtc, status) VALUES(?,?,?,?,?,?)");
        if (!s)
            return OBD_EDB;
        char code[UDS_DTC_TEXT_LEN];
        uds_dtc_format(m->dtcs[k].code, code);
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_int(s, 3, (int)k);
        sqlite3_bind_int64(s, 4, m->dtcs[k].code);
        store__bind_text(s, 5, code);
        sqlite3_bind_int(s, 6, m->dtcs[k].status);
        rc = step_done(st, s, "save UDS DTC");
    }
    for (size_t k = 0; k < m->nsnap && !rc; k++) {
        const uds_scan_snap_t *r = uds_scan_record(scan, m, k);
        if (!r)
            break;
        s = store__stmt(st, "INSERT INTO uds_records(scan_id, idx, seq, code, kind, data) VALUES(?,?,?,?,?,?)");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_int(s, 2, idx);
        sqlite3_bind_int(s, 3, (int)k);
        sqlite3_bind_int64(s, 4, r->code);
        sqlite3_bind_text(s, 5, r->record == UDS_RDTC_EXTDATA ? "extended_data" : "snapshot", -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 6, r->data, r->len, SQLITE_STATIC);
        rc = step_done(st, s, "save UDS record");
    }
    return rc;
}

int store_uds_save(store_t *st, const uds_scan_t *scan, store_uds_meta_t *meta)
{
    if (!st || !scan || !meta)
        return OBD_EINVAL;
    if ((unsigned)meta->stage >= STORE_STAGE_COUNT)
        return store__err(st, OBD_EINVAL, "unknown scan stage %d", (int)meta->stage);
    int rc = check_uds(st, scan);
    if (rc)
        return rc;
    char vin[18];
    scan_vin(scan, vin);
    if ((rc = store__begin(st)))
        return rc;
    store_wo_t wo;
    memset(&wo, 0, sizeof wo);
    bool attached;
    int64_t vid = 0, sid = 0, now = store__now_ms(st);
    if ((rc = store__resolve_ro(st, vin, meta->ro, meta->wo_id, meta->assign_note, sizeof meta->assign_note, &wo,
                                &attached)))
        goto done;
    if (attached && (rc = store__adopt_vin(st, &wo, vin)))
        goto done;
    if ((rc = store__vehicle_id(st, vin, &vid)))
        goto done;
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO uds_scans(wo_id, vehicle_id, stage, technician, vin, started_ms,"
                                      " duration_ms, requests, tester_present, saved_ms, adapter, assign_note, probed,"
                                      " answered) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
    store__bind_text(s, 5, vin);
    sqlite3_bind_int64(s, 6, now - scan->duration_ms);
    sqlite3_bind_int64(s, 7, scan->duration_ms);
    sqlite3_bind_int64(s, 8, scan->requests);
    sqlite3_bind_int64(s, 9, scan->tester_present);
    sqlite3_bind_int64(s, 10, now);
    store__bind_text(s, 11, meta->adapter);
    store__bind_text(s, 12, meta->assign_note);
    sqlite3_bind_int64(s, 13, (int64_t)scan->nmodules);
    sqlite3_bind_int64(s, 14, (int64_t)scan->nanswered);
    if ((rc = step_done(st, s, "save UDS scan")))
        goto done;
    sid = sqlite3_last_insert_rowid(st->db);
    for (size_t i = 0; i < scan->nmodules && !rc; i++)
        rc = insert_module(st, sid, (int)i, scan, &scan->modules[i]);
    count_meta(scan, meta);
    meta->new_findings = 0;
    if (!rc && attached)
        rc = store__add_uds_findings(st, sid, meta->stage, &wo, vin, &meta->new_findings);
    int ncb = 0; /* comebacks (store_history.c) */
    if (!rc && attached)
        rc = store__detect_comebacks(st, &wo, meta->stage, sid, true, &ncb);
    if (!rc && attached) {
        char details[256];
        snprintf(details, sizeof details,
                 "{\"uds_scan_id\":%lld,\"stage\":\"%s\",\"probed\":%d,\"answered\":%d,\"needs_auth\":%d,"
                 "\"dtcs\":%d,\"confirmed\":%d,\"new_findings\":%d}",
                 (long long)sid, store_stage_key(meta->stage), meta->probed, meta->answered, meta->needs_auth,
                 meta->ndtcs, meta->nconfirmed, meta->new_findings);
        rc = store__audit_tx(st, "uds_scan_save", wo.ro, meta->technician, details);
    }
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    if ((rc = store__commit(st)))
        return rc;
    meta->id = sid;
    meta->wo_id = attached ? wo.id : 0;
    snprintf(meta->ro, sizeof meta->ro, "%s", attached ? wo.ro : "");
    snprintf(meta->vin, sizeof meta->vin, "%s", vin);
    meta->started_ms = now - scan->duration_ms;
    return OBD_OK;
}

/* ---------------- reading ---------------- */

#define UMETA_COLS                                                                                                \
    "s.id, COALESCE(s.wo_id, 0), COALESCE(w.ro, ''), s.stage, s.technician, s.vin, s.started_ms, s.adapter," \
    " s.assign_note, s.probed, s.answered,"                                                                       \
    " (SELECT COUNT(*) FROM uds_modules m WHERE m.scan_id = s.id AND m.answered = 1"                            \
    "   AND m.state = 'needs_oem_authorisation'),"                                                               \
    " (SELECT COUNT(*) FROM uds_dtcs d WHERE d.scan_id = s.id),"                                                 \
    " (SELECT COUNT(*) FROM uds_dtcs d WHERE d.scan_id = s.id AND (d.status & 8) != 0)"
#define UMETA_FROM " FROM uds_scans s LEFT JOIN work_orders w ON w.id = s.wo_id"

static void umeta_from_row(sqlite3_stmt *s, store_uds_meta_t *m)
{
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(s, 0);
    m->wo_id = sqlite3_column_int64(s, 1);
    store__col_text(s, 2, m->ro, sizeof m->ro);
    char stage[16];
    store__col_text(s, 3, stage, sizeof stage);
    if (store_stage_parse(stage, &m->stage))
        m->stage = STORE_STAGE_ADHOC;
    store__col_text(s, 4, m->technician, sizeof m->technician);
    store__col_text(s, 5, m->vin, sizeof m->vin);
    m->started_ms = sqlite3_column_int64(s, 6);
    store__col_text(s, 7, m->adapter, sizeof m->adapter);
    store__col_text(s, 8, m->assign_note, sizeof m->assign_note);
    m->probed = sqlite3_column_int(s, 9);
    m->answered = sqlite3_column_int(s, 10);
    m->needs_auth = sqlite3_column_int(s, 11);
    m->ndtcs = sqlite3_column_int(s, 12);
    m->nconfirmed = sqlite3_column_int(s, 13);
}

static int state_parse(const char *k, uds_mod_state_t *out)
{
    for (int i = UDS_MOD_NO_ANSWER; i <= UDS_MOD_ERROR; i++)
        if (!strcmp(k, uds_mod_state_key((uds_mod_state_t)i))) {
            *out = (uds_mod_state_t)i;
            return OBD_OK;
        }
    return OBD_EBADDATA;
}

static int ident_index(int did)
{
    for (int k = 0; k < UDS_SCAN_NIDENT; k++)
        if (uds_scan_ident_dids[k] == did)
            return k;
    return -1;
}

/* Rows of one child table: `fn` gets the module and the row. */
typedef int (*urow_fn)(store_t *st, uds_scan_t *scan, uds_module_t *m, sqlite3_stmt *s);

static int load_rows(store_t *st, uds_scan_t *scan, int64_t id, const char *sql, urow_fn fn)
{
    sqlite3_stmt *s = store__stmt(st, sql);
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    int sr, rc = OBD_OK;
    while (!rc && (sr = sqlite3_step(s)) == SQLITE_ROW) {
        int idx = sqlite3_column_int(s, 0);
        if (idx < 0 || (size_t)idx >= scan->nmodules) {
            rc = store__err(st, OBD_EBADDATA, "UDS scan %lld: row for module %d of %zu", (long long)id, idx,
                            scan->nmodules);
            break;
        }
        rc = fn(st, scan, &scan->modules[idx], s);
    }
    if (!rc && sr != SQLITE_DONE)
        rc = store__dberr(st, "load UDS scan");
    sqlite3_reset(s);
    return rc;
}

static int row_module(store_t *st, uds_scan_t *scan, uds_module_t *m, sqlite3_stmt *s)
{
    (void)scan;
    m->tx_id = (uint32_t)sqlite3_column_int64(s, 1);
    m->rx_id = (uint32_t)sqlite3_column_int64(s, 2);
    m->answered = sqlite3_column_int(s, 3) != 0;
    const char *k = (const char *)sqlite3_column_text(s, 4);
    if (!k || state_parse(k, &m->state))
        return store__err(st, OBD_EBADDATA, "UDS module state '%s' unknown", k ? k : "");
    m->nrc = (uint8_t)sqlite3_column_int(s, 5);
    m->dtcs_read = sqlite3_column_int(s, 6) != 0;
    m->avail_mask = (uint8_t)sqlite3_column_int(s, 7);
    m->session_held = sqlite3_column_int(s, 8) != 0;
    m->busy_retries = (unsigned)sqlite3_column_int(s, 9);
    return OBD_OK;
}

static int row_ident(store_t *st, uds_scan_t *scan, uds_module_t *m, sqlite3_stmt *s)
{
    (void)scan;
    (void)st;
    int k = ident_index(sqlite3_column_int(s, 1));
    if (k < 0)
        return OBD_OK; /* a DID this build does not read: keep what we know */
    store__col_text(s, 2, m->ident[k], sizeof m->ident[k]);
    m->ident_ok[k] = true;
    return OBD_OK;
}

static int row_dtc(store_t *st, uds_scan_t *scan, uds_module_t *m, sqlite3_stmt *s)
{
    (void)scan;
    if (m->ndtcs >= UDS_SCAN_MAX_DTCS)
        return store__err(st, OBD_EBADDATA, "UDS module %X: too many DTCs stored", (unsigned)m->rx_id);
    m->dtcs[m->ndtcs].code = (uint32_t)sqlite3_column_int64(s, 1);
    m->dtcs[m->ndtcs].status = (uint8_t)sqlite3_column_int(s, 2);
    m->ndtcs++;
    return OBD_OK;
}

static int row_record(store_t *st, uds_scan_t *scan, uds_module_t *m, sqlite3_stmt *s)
{
    uds_scan_snap_t *r = uds_scan_add_record(scan, m);
    if (!r)
        return store__err(st, OBD_EBADDATA, "UDS module %X: too many records stored", (unsigned)m->rx_id);
    r->code = (uint32_t)sqlite3_column_int64(s, 1);
    const char *k = (const char *)sqlite3_column_text(s, 2);
    r->record = k && !strcmp(k, "extended_data") ? UDS_RDTC_EXTDATA : UDS_RDTC_SNAPSHOT;
    int n = sqlite3_column_bytes(s, 3);
    if (n < 0 || (size_t)n > sizeof r->data)
        return store__err(st, OBD_EBADDATA, "UDS module %X: record too long", (unsigned)m->rx_id);
    if (n)
        memcpy(r->data, sqlite3_column_blob(s, 3), (size_t)n);
    r->len = r->sent = (uint16_t)n; /* what was kept is what was stored */
    return OBD_OK;
}

int store_uds_load(store_t *st, int64_t id, uds_scan_t *scan, store_uds_meta_t *meta)
{
    if (!st)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__stmt(st, "SELECT " UMETA_COLS ", s.duration_ms, s.requests, s.tester_present"
                                      UMETA_FROM " WHERE s.id=?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    int sr = sqlite3_step(s);
    if (sr != SQLITE_ROW) {
        sqlite3_reset(s);
        return sr == SQLITE_DONE ? store__err(st, OBD_ENOTFOUND, "UDS scan %lld not found", (long long)id)
                                 : store__dberr(st, "load UDS scan");
    }
    store_uds_meta_t m;
    umeta_from_row(s, &m);
    if (scan) {
        memset(scan, 0, sizeof *scan);
        scan->duration_ms = (uint32_t)sqlite3_column_int64(s, 14);
        scan->requests = (unsigned)sqlite3_column_int64(s, 15);
        scan->tester_present = (unsigned)sqlite3_column_int64(s, 16);
    }
    sqlite3_reset(s);
    if (meta)
        *meta = m;
    if (!scan)
        return OBD_OK;
    if (m.probed < 0 || m.probed > UDS_SCAN_MAX_MODULES)
        return store__err(st, OBD_EBADDATA, "UDS scan %lld: %d modules", (long long)id, m.probed);
    scan->nmodules = (size_t)m.probed;
    int rc = load_rows(st, scan, id,
                       "SELECT idx, tx_id, rx_id, answered, state, nrc, dtcs_read, avail_mask, session_held,"
                       " busy_retries FROM uds_modules WHERE scan_id=? ORDER BY idx",
                       row_module);
    if (!rc)
        rc = load_rows(st, scan, id, "SELECT idx, did, value FROM uds_idents WHERE scan_id=? ORDER BY idx, did",
                       row_ident);
    if (!rc)
        rc = load_rows(st, scan, id, "SELECT idx, code, status FROM uds_dtcs WHERE scan_id=? ORDER BY idx, seq",
                       row_dtc);
    if (!rc)
        rc = load_rows(st, scan, id, "SELECT idx, code, kind, data FROM uds_records WHERE scan_id=? ORDER BY idx, seq",
                       row_record);
    if (rc)
        return rc;
    size_t na = 0;
    for (size_t i = 0; i < scan->nmodules; i++) {
        if (!scan->modules[i].tx_id) /* no row for this module: the scan is not whole */
            return store__err(st, OBD_EBADDATA, "UDS scan %lld: module %zu of %zu missing", (long long)id, i,
                              scan->nmodules);
        na += scan->modules[i].answered;
    }
    if ((int)na != m.answered)
        return store__err(st, OBD_EBADDATA, "UDS scan %lld: %zu modules answered, %d recorded", (long long)id, na,
                          m.answered);
    scan->nanswered = na;
    return OBD_OK;
}

int store_uds_module_name(store_t *st, int64_t id, size_t idx, char *key, size_t cap)
{
    if (!st || !key || !cap)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__stmt(st, "SELECT name FROM uds_modules WHERE scan_id=? AND idx=?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, (int64_t)idx);
    int sr = sqlite3_step(s);
    if (sr == SQLITE_ROW)
        store__col_text(s, 0, key, cap);
    sqlite3_reset(s);
    if (sr == SQLITE_ROW)
        return OBD_OK;
    return sr == SQLITE_DONE ? store__err(st, OBD_ENOTFOUND, "UDS scan %lld has no module %zu", (long long)id, idx)
                             : store__dberr(st, "read module name");
}

int store_uds_list(store_t *st, const char *ro, int stage, int (*fn)(void *ctx, const store_uds_meta_t *m), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    store_wo_t wo;
    bool unassigned = !ro || !*ro;
    int rc;
    if (!unassigned && (rc = store__wo_by_ro(st, ro, &wo)))
        return rc;
    const char *sql = unassigned
                          ? "SELECT " UMETA_COLS UMETA_FROM " WHERE s.wo_id IS NULL ORDER BY s.started_ms, s.id"
                          : "SELECT " UMETA_COLS UMETA_FROM " WHERE s.wo_id=? ORDER BY s.started_ms, s.id";
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "list UDS scans");
    if (!unassigned)
        sqlite3_bind_int64(s, 1, wo.id);
    store_uds_meta_t m;
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        umeta_from_row(s, &m);
        if (stage >= 0 && (int)m.stage != stage)
            continue;
        if (fn(ctx, &m))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list UDS scans");
    sqlite3_finalize(s);
    return rc;
}

int store_uds_latest(store_t *st, const char *ro, const store_stage_t *stages, size_t nstages, int64_t *id)
{
    if (!st || !id)
        return OBD_EINVAL;
    store_wo_t wo;
    int rc = store__wo_by_ro(st, ro, &wo);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "SELECT id, stage FROM uds_scans WHERE wo_id=? ORDER BY started_ms DESC, id DESC");
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
        return store__dberr(st, "find latest UDS scan");
    if (rc == OBD_ENOTFOUND)
        return store__err(st, OBD_ENOTFOUND, "RO %s has no UDS scan at that stage", ro);
    return OBD_OK;
}

/* ---------------- the UDS clear gate ---------------- */

static int uds_clear_allowed_tx(store_t *st, const char *ro, store_wo_t *wo)
{
    int rc = store__wo_open(st, ro, wo);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "SELECT COUNT(*), COALESCE(MAX(answered), 0) FROM uds_scans"
                                      " WHERE wo_id = ? AND stage = 'pre'");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, wo->id);
    int sr = sqlite3_step(s);
    int npre = sr == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    int answered = sr == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
    sqlite3_reset(s);
    if (sr != SQLITE_ROW)
        return store__dberr(st, "check UDS clear gate");
    if (npre == 0)
        return store__err(st, OBD_ESTATE, "RO %s has no pre-repair UDS scan", ro);
    if (answered == 0)
        return store__err(st, OBD_ESTATE, "RO %s has no pre-repair UDS scan in which a module answered", ro);
    return OBD_OK;
}

int store_uds_clear_allowed(store_t *st, const char *ro)
{
    if (!st)
        return OBD_EINVAL;
    store_wo_t wo;
    return uds_clear_allowed_tx(st, ro, &wo);
}

int store_uds_clear_record(store_t *st, const char *ro, const char *who, const char *reason,
                           int64_t preclear_uds_scan_id, const uds_clear_result_t *res, int64_t *clear_id)
{
    if (!st || !res)
        return OBD_EINVAL;
    if (!who || !*who)
        return store__err(st, OBD_EINVAL, "a clear needs who did it");
    if (res->n > UDS_SCAN_MAX_MODULES)
        return store__err(st, OBD_EINVAL, "UDS clear: too many modules");
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t wo;
    store_uds_meta_t pm;
    int64_t cid = 0;
    cJSON *d = NULL;
    char *txt = NULL;
    if ((rc = uds_clear_allowed_tx(st, ro, &wo)))
        goto done;
    if ((rc = store_uds_load(st, preclear_uds_scan_id, NULL, &pm)))
        goto done;
    if (pm.wo_id != wo.id) {
        rc = store__err(st, OBD_ESTATE, "pre-clear UDS scan %lld is not a scan of RO %s",
                        (long long)preclear_uds_scan_id, ro);
        goto done;
    }
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO clears(wo_id, who, reason, cleared_ms, kind, preclear_uds_scan_id)"
                                      " VALUES(?,?,?,?,'uds',?)");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, wo.id);
    store__bind_text(s, 2, who);
    store__bind_text(s, 3, reason);
    sqlite3_bind_int64(s, 4, store__now_ms(st));
    sqlite3_bind_int64(s, 5, preclear_uds_scan_id);
    if ((rc = step_done(st, s, "save UDS clear")))
        goto done;
    cid = sqlite3_last_insert_rowid(st->db);
    d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "clear_id", (double)cid);
    cJSON_AddStringToObject(d, "kind", "uds");
    cJSON_AddNumberToObject(d, "preclear_uds_scan_id", (double)preclear_uds_scan_id);
    cJSON *arr = cJSON_AddArrayToObject(d, "modules");
    for (size_t i = 0; i < res->n && !rc; i++) {
        const uds_clear_mod_t *m = &res->m[i];
        s = store__stmt(st, "INSERT INTO clear_modules(clear_id, seq, tx_id, rx_id, outcome, nrc) VALUES(?,?,?,?,?,?)");
        if (!s) {
            rc = OBD_EDB;
            break;
        }
        sqlite3_bind_int64(s, 1, cid);
        sqlite3_bind_int64(s, 2, (int64_t)i);
        sqlite3_bind_int64(s, 3, m->tx_id);
        sqlite3_bind_int64(s, 4, m->rx_id);
        sqlite3_bind_text(s, 5, uds_clear_outcome_key(m->outcome), -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 6, m->nrc);
        rc = step_done(st, s, "save UDS clear module");
        char a[12], b[12], t[40];
        id_text(m->tx_id, a, sizeof a);
        id_text(m->rx_id, b, sizeof b);
        cJSON *o = cJSON_CreateObject();
        snprintf(t, sizeof t, "%s/%s", a, b);
        cJSON_AddStringToObject(o, "module", t);
        cJSON_AddStringToObject(o, "outcome", uds_clear_outcome_key(m->outcome));
        if (m->nrc) {
            snprintf(t, sizeof t, "%02X", m->nrc);
            cJSON_AddStringToObject(o, "nrc", t);
        }
        cJSON_AddItemToArray(arr, o);
    }
    cJSON_AddStringToObject(d, "reason", reason ? reason : "");
    txt = cJSON_PrintUnformatted(d);
    if (!rc)
        rc = txt ? store__audit_tx(st, "uds_clear", ro, who, txt) : store__err(st, OBD_EINVAL, "out of memory");
done:
    cJSON_Delete(d);
    free(txt);
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

int store_clear_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_clear_t *c), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    store_wo_t wo;
    int rc = store__wo_by_ro(st, ro, &wo);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT c.id, c.kind, c.who, c.reason, c.cleared_ms, COALESCE(c.preclear_scan_id, 0),"
                           " COALESCE(c.preclear_uds_scan_id, 0),"
                           " (SELECT COUNT(*) FROM clear_modules m WHERE m.clear_id = c.id),"
                           " (SELECT COUNT(*) FROM clear_modules m WHERE m.clear_id = c.id AND m.outcome = 'cleared')"
                           " FROM clears c WHERE c.wo_id = ? ORDER BY c.cleared_ms, c.id",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "list clears");
    sqlite3_bind_int64(s, 1, wo.id);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        store_clear_t c;
        memset(&c, 0, sizeof c);
        c.id = sqlite3_column_int64(s, 0);
        store__col_text(s, 1, c.kind, sizeof c.kind);
        store__col_text(s, 2, c.who, sizeof c.who);
        store__col_text(s, 3, c.reason, sizeof c.reason);
        c.cleared_ms = sqlite3_column_int64(s, 4);
        c.preclear_scan_id = sqlite3_column_int64(s, 5);
        c.preclear_uds_scan_id = sqlite3_column_int64(s, 6);
        c.nmodules = (size_t)sqlite3_column_int64(s, 7);
        c.ncleared = (size_t)sqlite3_column_int64(s, 8);
        if (fn(ctx, &c))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list clears");
    sqlite3_finalize(s);
    return rc;
}

int store_uds_clear_modules(store_t *st, int64_t clear_id, uds_clear_result_t *out)
{
    if (!st || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = store__stmt(st, "SELECT tx_id, rx_id, outcome, nrc FROM clear_modules WHERE clear_id=? ORDER BY seq");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, clear_id);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW && out->n < UDS_SCAN_MAX_MODULES) {
        uds_clear_mod_t *m = &out->m[out->n++];
        m->tx_id = (uint32_t)sqlite3_column_int64(s, 0);
        m->rx_id = (uint32_t)sqlite3_column_int64(s, 1);
        int o = uds_clear_outcome_parse((const char *)sqlite3_column_text(s, 2));
        m->outcome = o < 0 ? UDS_CLR_BAD_REPLY : (uds_clear_outcome_t)o;
        m->nrc = (uint8_t)sqlite3_column_int(s, 3);
        out->ncleared += m->outcome == UDS_CLR_CLEARED;
    }
    sqlite3_reset(s);
    return sr == SQLITE_ROW || sr == SQLITE_DONE ? OBD_OK : store__dberr(st, "read UDS clear");
}

/* ---- the modules a UDS clear asks ---- */

typedef struct {
    int64_t ids[32];
    size_t n;
} pre_ids_t;

static int pre_cb(void *ctx, const store_uds_meta_t *m)
{
    pre_ids_t *p = ctx;
    if (p->n < sizeof p->ids / sizeof p->ids[0])
        p->ids[p->n++] = m->id;
    return 0;
}

int store_uds_pre_pairs(store_t *st, const char *ro, obd_target_t *pairs, size_t cap, size_t *n)
{
    *n = 0;
    pre_ids_t pre = { .n = 0 };
    int rc = store_uds_list(st, ro, STORE_STAGE_RECEPTION, pre_cb, &pre);
    uds_scan_t *s = rc ? NULL : calloc(1, sizeof *s);
    if (!rc && !s)
        return -ENOMEM;
    for (size_t k = 0; !rc && k < pre.n; k++) {
        if ((rc = store_uds_load(st, pre.ids[k], s, NULL)))
            break;
        for (size_t i = 0; i < s->nmodules && *n < cap; i++) {
            const uds_module_t *m = &s->modules[i];
            bool have = false;
            for (size_t q = 0; q < *n && !have; q++)
                have = pairs[q].tx_id == m->tx_id && pairs[q].rx_id == m->rx_id;
            if (m->answered && !have)
                pairs[(*n)++] = (obd_target_t){ m->tx_id, m->rx_id };
        }
    }
    free(s);
    return rc;
}
