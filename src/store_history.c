/*
 * store_history.c — repair classes and guarantee windows, comebacks (返修),
 * delivery and the follow-up call, the team lead's check and warranty pack
 * manifests (include/obdgw/store_history.h). The read-only views (vehicle
 * history, timelines, figures) are in store_vehicle.c.
 *
 * Statements here are prepared per call (not in the store's statement
 * cache): none of them is on a hot path, and the cache's size is fixed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "obdgw/dtc.h"
#include "obdgw/store_history.h"
#include "store_hist_priv.h"

/* ---------------- small helpers (shared with store_vehicle.c) ---------------- */

sqlite3_stmt *store__hprep(store_t *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store__db(st), sql, -1, &s, NULL) != SQLITE_OK) {
        store__dberr(st, "prepare");
        return NULL;
    }
    return s;
}

int store__hstep_done(store_t *st, sqlite3_stmt *s, const char *what)
{
    int sr = sqlite3_step(s);
    sqlite3_finalize(s);
    return sr == SQLITE_DONE ? OBD_OK : store__dberr(st, what);
}

static bool name_ok(const char *n)
{
    if (!n || !*n || strlen(n) >= 16)
        return false;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

/* ---------------- repair classes ---------------- */

static void g_from_row(sqlite3_stmt *s, store_guarantee_t *g)
{
    memset(g, 0, sizeof *g);
    store__col_text(s, 0, g->name, sizeof g->name);
    g->days = sqlite3_column_int(s, 1);
    g->km = sqlite3_column_int(s, 2);
    store__col_text(s, 3, g->match, sizeof g->match);
}

int store_guarantee_list(store_t *st, int (*fn)(void *ctx, const store_guarantee_t *g), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__hprep(st, "SELECT name, days, km, match FROM guarantee_classes ORDER BY km DESC, name");
    if (!s)
        return OBD_EDB;
    int sr;
    store_guarantee_t g;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        g_from_row(s, &g);
        if (fn(ctx, &g))
            break;
    }
    int rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list repair classes");
    sqlite3_finalize(s);
    return rc;
}

int store_guarantee_get(store_t *st, const char *name, store_guarantee_t *out)
{
    if (!st || !name || !out)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__hprep(st, "SELECT name, days, km, match FROM guarantee_classes WHERE name=?");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, name);
    int sr = sqlite3_step(s), rc = OBD_OK;
    if (sr == SQLITE_ROW)
        g_from_row(s, out);
    else if (sr == SQLITE_DONE)
        rc = store__err(st, OBD_ENOTFOUND, "no repair class '%s' (obdgw wo class lists them)", name);
    else
        rc = store__dberr(st, "repair class");
    sqlite3_finalize(s);
    return rc;
}

int store_guarantee_set(store_t *st, const store_guarantee_t *g, const char *actor)
{
    if (!st || !g)
        return OBD_EINVAL;
    if (!name_ok(g->name))
        return store__err(st, OBD_EINVAL, "repair class name: 1-15 of a-z, 0-9, '_', '-'");
    if (g->days <= 0 && g->km <= 0)
        return store__err(st, OBD_EINVAL, "repair class %s has no guarantee window: give --days and/or --km",
                          g->name);
    if (g->days < 0 || g->km < 0 || g->days > 3650 || g->km > 1000000)
        return store__err(st, OBD_EINVAL, "repair class %s: days 0-3650, km 0-1000000", g->name);
    const char *match = g->match[0] ? g->match : "code";
    if (strcmp(match, "code") && strcmp(match, "system"))
        return store__err(st, OBD_EINVAL, "repair class %s: match is code or system", g->name);
    int rc = store__begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__hprep(st, "INSERT INTO guarantee_classes(name, days, km, match) VALUES(?,?,?,?)"
                                       " ON CONFLICT(name) DO UPDATE SET days=excluded.days, km=excluded.km,"
                                       " match=excluded.match");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    store__bind_text(s, 1, g->name);
    sqlite3_bind_int(s, 2, g->days);
    sqlite3_bind_int(s, 3, g->km);
    store__bind_text(s, 4, match);
    rc = store__hstep_done(st, s, "save repair class");
    if (!rc) {
        char det[160];
        snprintf(det, sizeof det, "{\"class\":\"%s\",\"days\":%d,\"km\":%d,\"match\":\"%s\"}", g->name, g->days, g->km,
                 match);
        rc = store__audit_tx(st, "guarantee_set", "", actor && *actor ? actor : "cli", det);
    }
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_wo_set_class(store_t *st, const char *ro, const char *cls, const char *actor)
{
    if (!st || !ro || !cls)
        return OBD_EINVAL;
    store_guarantee_t g;
    int rc;
    if (*cls && (rc = store_guarantee_get(st, cls, &g)))
        return rc;
    if ((rc = store__begin(st)))
        return rc;
    store_wo_t w;
    if ((rc = store__wo_by_ro(st, ro, &w)))
        goto done;
    sqlite3_stmt *s = store__hprep(st, "UPDATE work_orders SET repair_class=? WHERE id=?");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    store__bind_text(s, 1, cls);
    sqlite3_bind_int64(s, 2, w.id);
    if (!(rc = store__hstep_done(st, s, "set repair class"))) {
        char det[96];
        snprintf(det, sizeof det, "{\"wo_id\":%lld,\"class\":\"%s\"}", (long long)w.id, cls);
        rc = store__audit_tx(st, "wo_class", ro, actor && *actor ? actor : "cli", det);
    }
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_wo_class(store_t *st, const char *ro, char out[16])
{
    if (!st || !ro || !out)
        return OBD_EINVAL;
    out[0] = 0;
    sqlite3_stmt *s = store__hprep(st, "SELECT repair_class FROM work_orders WHERE ro=?");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, ro);
    int sr = sqlite3_step(s), rc = OBD_OK;
    if (sr == SQLITE_ROW)
        store__col_text(s, 0, out, 16);
    else
        rc = sr == SQLITE_DONE ? store__err(st, OBD_ENOTFOUND, "no RO %s", ro) : store__dberr(st, "repair class");
    sqlite3_finalize(s);
    return rc;
}

/* ---------------- comebacks ---------------- */

/* What an earlier RO repaired: codes (first five characters: "P0301", a UDS
 * "C0035-11" as "C0035") present in its pre-repair scans and absent from its
 * latest post-repair/QC scan of the same kind. An RO without such a scan
 * repaired nothing we can show. */
static const char REPAIRED_SQL[] =
    "WITH op AS (SELECT id FROM scans WHERE wo_id=?1 AND stage IN ('post','qc')"
    "            ORDER BY started_ms DESC, id DESC LIMIT 1),"
    " up AS (SELECT id FROM uds_scans WHERE wo_id=?1 AND stage IN ('post','qc')"
    "        ORDER BY started_ms DESC, id DESC LIMIT 1)"
    " SELECT DISTINCT d.dtc FROM scan_dtcs d JOIN scans s ON s.id=d.scan_id"
    "  WHERE s.wo_id=?1 AND s.stage IN ('pre','diag') AND EXISTS(SELECT 1 FROM op)"
    "  AND d.dtc NOT IN (SELECT dtc FROM scan_dtcs WHERE scan_id=(SELECT id FROM op))"
    " UNION"
    " SELECT DISTINCT substr(d.dtc,1,5) FROM uds_dtcs d JOIN uds_scans s ON s.id=d.scan_id"
    "  WHERE s.wo_id=?1 AND s.stage IN ('pre','diag') AND (d.status & 8) != 0 AND EXISTS(SELECT 1 FROM up)"
    "  AND substr(d.dtc,1,5) NOT IN (SELECT substr(x.dtc,1,5) FROM uds_dtcs x JOIN uds_modules m"
    "   ON m.scan_id=x.scan_id AND m.idx=x.idx WHERE x.scan_id=(SELECT id FROM up) AND m.answered=1)";

static void dtc_system(store_t *st, const char *code, const char *vin, char *out, size_t cap)
{
    out[0] = 0;
    obd_dtc_t c;
    dtcdb_t *db = store__dtcdb(st);
    if (!db || obd_dtc_parse(code, &c) != OBD_OK)
        return;
    char wmi[4] = "";
    if (vin && strlen(vin) >= 3)
        memcpy(wmi, vin, 3);
    dtcdb_entry_t e;
    if (dtcdb_lookup(db, c, wmi[0] ? wmi : NULL, OBD_LANG_EN, &e) == OBD_OK && e.found)
        snprintf(out, cap, "%s", e.system);
}

#define CB_MAX_CODES 256

typedef struct {
    char code[12];
} code_t;

/* The scan's confirmed codes (OBD: stored = confirmed; UDS: status bit 3
 * of an answering module), first five characters, distinct. */
static int current_codes(store_t *st, int64_t sid, bool uds, code_t *out, size_t cap, size_t *n)
{
    *n = 0;
    sqlite3_stmt *s = store__hprep(
        st, uds ? "SELECT DISTINCT substr(d.dtc,1,5) FROM uds_dtcs d JOIN uds_modules m ON m.scan_id=d.scan_id"
                  " AND m.idx=d.idx WHERE d.scan_id=? AND m.answered=1 AND (d.status & 8) != 0"
                : "SELECT DISTINCT dtc FROM scan_dtcs WHERE scan_id=? AND kind='stored'");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, sid);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        store__col_text(s, 0, out[(*n)++].code, sizeof out[0].code);
    sqlite3_finalize(s);
    return (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "read codes for comebacks");
}

/* The mileage a pre-repair scan saw: the OBD scan's (odometer or entered),
 * else the RO's mileage in; < 0 unknown. */
static double scan_km(store_t *st, const store_wo_t *wo, int64_t sid, bool uds)
{
    double km = -1;
    if (!uds) {
        sqlite3_stmt *s = store__hprep(st, "SELECT mileage_km FROM scans WHERE id=?");
        if (s) {
            sqlite3_bind_int64(s, 1, sid);
            if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
                km = sqlite3_column_double(s, 0);
            sqlite3_finalize(s);
        }
    }
    if (km < 0 && wo->mileage_in_km >= 0)
        km = wo->mileage_in_km;
    return km;
}

typedef struct {
    int64_t id;
    char ro[STORE_RO_LEN];
    char cls[16];
    int64_t delivered_ms;
    double km_out;
} earlier_t;

#define CB_MAX_EARLIER 64

int store__detect_comebacks(store_t *st, const store_wo_t *wo, store_stage_t stage, int64_t scan_id, bool uds,
                            int *n)
{
    *n = 0;
    if ((stage != STORE_STAGE_RECEPTION && stage != STORE_STAGE_DIAGNOSTIC) || !wo->vin[0])
        return OBD_OK;
    code_t *now_codes = calloc(CB_MAX_CODES, sizeof *now_codes), *rep = calloc(CB_MAX_CODES, sizeof *rep);
    earlier_t *ea = calloc(CB_MAX_EARLIER, sizeof *ea);
    size_t nnow = 0, nea = 0;
    int rc = OBD_OK;
    if (!now_codes || !rep || !ea) {
        rc = store__err(st, OBD_EINVAL, "out of memory");
        goto out;
    }
    if ((rc = current_codes(st, scan_id, uds, now_codes, CB_MAX_CODES, &nnow)) || !nnow)
        goto out;
    /* Earlier delivered ROs of this VIN, newest delivery first; mileage out
     * as recorded at delivery, else the RO's latest scan's. */
    sqlite3_stmt *s = store__hprep(st, "SELECT w.id, w.ro, w.repair_class, d.delivered_ms,"
                                       " CASE WHEN d.mileage_out_km >= 0 THEN d.mileage_out_km ELSE"
                                       " (SELECT mileage_km FROM scans WHERE wo_id=w.id AND mileage_km IS NOT NULL"
                                       "  ORDER BY started_ms DESC LIMIT 1) END"
                                       " FROM work_orders w JOIN deliveries d ON d.wo_id=w.id"
                                       " WHERE w.vin=? AND w.id != ? ORDER BY d.delivered_ms DESC LIMIT 64");
    if (!s) {
        rc = OBD_EDB;
        goto out;
    }
    store__bind_text(s, 1, wo->vin);
    sqlite3_bind_int64(s, 2, wo->id);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW && nea < CB_MAX_EARLIER) {
        earlier_t *e = &ea[nea++];
        e->id = sqlite3_column_int64(s, 0);
        store__col_text(s, 1, e->ro, sizeof e->ro);
        store__col_text(s, 2, e->cls, sizeof e->cls);
        e->delivered_ms = sqlite3_column_int64(s, 3);
        e->km_out = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 4);
    }
    sqlite3_finalize(s);
    if (sr != SQLITE_ROW && sr != SQLITE_DONE) {
        rc = store__dberr(st, "earlier ROs");
        goto out;
    }
    int64_t now = store__now_ms(st);
    double km_now = scan_km(st, wo, scan_id, uds);
    for (size_t k = 0; k < nea && !rc; k++) {
        earlier_t *e = &ea[k];
        store_guarantee_t g;
        const char *cls = e->cls[0] ? e->cls : STORE_DEFAULT_CLASS;
        if (store_guarantee_get(st, cls, &g))
            continue; /* a class removed by hand: no window known */
        double days = (double)(now - e->delivered_ms) / 86400000.0;
        double km = km_now >= 0 && e->km_out >= 0 ? km_now - e->km_out : -1;
        if (days < 0)
            days = 0;
        /* whichever is reached first ends the guarantee */
        if ((g.days > 0 && days > g.days) || (g.km > 0 && km >= 0 && km > g.km))
            continue;
        size_t nrep = 0;
        if (!(s = store__hprep(st, REPAIRED_SQL))) {
            rc = OBD_EDB;
            break;
        }
        sqlite3_bind_int64(s, 1, e->id);
        while ((sr = sqlite3_step(s)) == SQLITE_ROW && nrep < CB_MAX_CODES)
            store__col_text(s, 0, rep[nrep++].code, sizeof rep[0].code);
        sqlite3_finalize(s);
        if (sr != SQLITE_ROW && sr != SQLITE_DONE) {
            rc = store__dberr(st, "what an earlier RO repaired");
            break;
        }
        bool by_system = !strcmp(g.match, "system");
        for (size_t i = 0; i < nnow && !rc; i++) {
            char sys_now[24] = "";
            if (by_system)
                dtc_system(st, now_codes[i].code, wo->vin, sys_now, sizeof sys_now);
            for (size_t j = 0; j < nrep && !rc; j++) {
                bool same = !strcasecmp(now_codes[i].code, rep[j].code);
                if (!same && by_system && sys_now[0]) {
                    char sys_e[24];
                    dtc_system(st, rep[j].code, wo->vin, sys_e, sizeof sys_e);
                    same = !strcmp(sys_now, sys_e);
                }
                if (!same)
                    continue;
                s = store__hprep(st, "INSERT INTO comebacks(wo_id, code, source, scan_id, earlier_wo_id, earlier_ro,"
                                     " earlier_code, match, repair_class, days, km, detected_ms)"
                                     " VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(wo_id, code, earlier_ro) DO NOTHING");
                if (!s) {
                    rc = OBD_EDB;
                    break;
                }
                sqlite3_bind_int64(s, 1, wo->id);
                store__bind_text(s, 2, now_codes[i].code);
                store__bind_text(s, 3, uds ? "uds" : "obd");
                sqlite3_bind_int64(s, 4, scan_id);
                sqlite3_bind_int64(s, 5, e->id);
                store__bind_text(s, 6, e->ro);
                store__bind_text(s, 7, rep[j].code);
                store__bind_text(s, 8, !strcasecmp(now_codes[i].code, rep[j].code) ? "code" : "system");
                store__bind_text(s, 9, cls);
                sqlite3_bind_double(s, 10, round(days * 100) / 100);
                if (km >= 0)
                    sqlite3_bind_double(s, 11, km);
                sqlite3_bind_int64(s, 12, now);
                sr = sqlite3_step(s);
                sqlite3_finalize(s);
                if (sr != SQLITE_DONE) {
                    rc = store__dberr(st, "save comeback");
                    break;
                }
                if (sqlite3_changes(store__db(st)) > 0) {
                    (*n)++;
                    char det[256];
                    snprintf(det, sizeof det,
                             "{\"wo_id\":%lld,\"code\":\"%s\",\"earlier_ro\":\"%s\",\"scan_id\":%lld,\"source\":\"%s\","
                             "\"class\":\"%s\",\"days\":%.2f}",
                             (long long)wo->id, now_codes[i].code, e->ro, (long long)scan_id, uds ? "uds" : "obd", cls,
                             days);
                    rc = store__audit_tx(st, "comeback", wo->ro, "obdgw", det);
                }
            }
        }
    }
out:
    free(now_codes);
    free(rep);
    free(ea);
    return rc;
}

int store_comeback_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_comeback_t *c), void *ctx)
{
    if (!st || !ro || !fn)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__hprep(st, "SELECT c.id, c.wo_id, c.code, c.source, c.scan_id, c.earlier_ro, c.earlier_code,"
                                       " c.match, c.repair_class, c.days, c.km, c.detected_ms FROM comebacks c"
                                       " JOIN work_orders w ON w.id=c.wo_id WHERE w.ro=? ORDER BY c.id");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, ro);
    int sr;
    store_comeback_t c;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&c, 0, sizeof c);
        c.id = sqlite3_column_int64(s, 0);
        c.wo_id = sqlite3_column_int64(s, 1);
        store__col_text(s, 2, c.code, sizeof c.code);
        store__col_text(s, 3, c.source, sizeof c.source);
        c.scan_id = sqlite3_column_int64(s, 4);
        store__col_text(s, 5, c.earlier_ro, sizeof c.earlier_ro);
        store__col_text(s, 6, c.earlier_code, sizeof c.earlier_code);
        store__col_text(s, 7, c.match, sizeof c.match);
        store__col_text(s, 8, c.repair_class, sizeof c.repair_class);
        c.days = sqlite3_column_double(s, 9);
        c.km = sqlite3_column_type(s, 10) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 10);
        c.detected_ms = sqlite3_column_int64(s, 11);
        if (fn(ctx, &c))
            break;
    }
    int rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list comebacks");
    sqlite3_finalize(s);
    return rc;
}

/* ---------------- delivery and follow-up ---------------- */

int store_delivery_get(store_t *st, const char *ro, store_delivery_t *out)
{
    if (!st || !ro || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    out->mileage_out_km = -1;
    sqlite3_stmt *s = store__hprep(st, "SELECT d.delivered_ms, d.who, d.mileage_out_km, d.forced, d.followup_ms,"
                                       " d.followup_by, d.followup_note FROM deliveries d JOIN work_orders w"
                                       " ON w.id=d.wo_id WHERE w.ro=?");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, ro);
    int sr = sqlite3_step(s);
    if (sr == SQLITE_ROW) {
        out->delivered = true;
        out->delivered_ms = sqlite3_column_int64(s, 0);
        store__col_text(s, 1, out->who, sizeof out->who);
        out->mileage_out_km = sqlite3_column_int(s, 2);
        out->forced = sqlite3_column_int(s, 3) != 0;
        out->followup_ms = sqlite3_column_int64(s, 4);
        store__col_text(s, 5, out->followup_by, sizeof out->followup_by);
        store__col_text(s, 6, out->followup_note, sizeof out->followup_note);
    }
    sqlite3_finalize(s);
    return (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "delivery");
}

int store_wo_deliver(store_t *st, const char *ro, const char *who, int mileage_out_km, bool force,
                     const char *reason, store_delivery_t *out)
{
    if (!st || !ro)
        return OBD_EINVAL;
    if (mileage_out_km < -1 || mileage_out_km > 10000000)
        return store__err(st, OBD_EINVAL, "mileage out must be 0-10000000 km");
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t w;
    store_delivery_t d;
    if ((rc = store__wo_by_ro(st, ro, &w)))
        goto done;
    if ((rc = store_delivery_get(st, ro, &d)))
        goto done;
    if (d.delivered) {
        rc = store__err(st, OBD_ESTATE, "RO %s was delivered already: nothing changed", ro);
        goto done;
    }
    char verdict[24] = "";
    int qrc = store_qc_get(st, ro, NULL, NULL, verdict, NULL);
    if (qrc && qrc != OBD_ENOTFOUND) {
        rc = qrc;
        goto done;
    }
    bool no_qc = qrc == OBD_ENOTFOUND;
    if (no_qc && !force) {
        rc = store__err(st, OBD_ESTATE,
                        "RO %s has no final QC sign-off (obdgw qc RO --sign NAME): not delivered (--force with"
                        " --reason to hand over anyway, audited)",
                        ro);
        goto done;
    }
    if (mileage_out_km < 0) {
        sqlite3_stmt *s = store__hprep(st, "SELECT mileage_km FROM scans WHERE wo_id=? AND mileage_km IS NOT NULL"
                                           " ORDER BY started_ms DESC, id DESC LIMIT 1");
        if (!s) {
            rc = OBD_EDB;
            goto done;
        }
        sqlite3_bind_int64(s, 1, w.id);
        if (sqlite3_step(s) == SQLITE_ROW)
            mileage_out_km = (int)lround(sqlite3_column_double(s, 0));
        sqlite3_finalize(s);
        if (mileage_out_km < 0)
            mileage_out_km = w.mileage_in_km;
    }
    int64_t now = store__now_ms(st);
    sqlite3_stmt *s = store__hprep(st, "INSERT INTO deliveries(wo_id, delivered_ms, who, mileage_out_km, forced, reason)"
                                       " VALUES(?,?,?,?,?,?)");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, w.id);
    sqlite3_bind_int64(s, 2, now);
    store__bind_text(s, 3, who);
    sqlite3_bind_int(s, 4, mileage_out_km);
    sqlite3_bind_int(s, 5, no_qc);
    store__bind_text(s, 6, reason);
    if ((rc = store__hstep_done(st, s, "save delivery")))
        goto done;
    if (w.status == STORE_WO_OPEN) {
        if (!(s = store__hprep(st, "UPDATE work_orders SET status=1, closed_ms=? WHERE id=?"))) {
            rc = OBD_EDB;
            goto done;
        }
        sqlite3_bind_int64(s, 1, now);
        sqlite3_bind_int64(s, 2, w.id);
        if ((rc = store__hstep_done(st, s, "close work order")))
            goto done;
    }
    cJSON *det = cJSON_CreateObject();
    cJSON_AddNumberToObject(det, "wo_id", (double)w.id);
    cJSON_AddNumberToObject(det, "mileage_out_km", mileage_out_km);
    cJSON_AddStringToObject(det, "qc", no_qc ? "none" : verdict);
    cJSON_AddBoolToObject(det, "forced", no_qc);
    if (no_qc)
        cJSON_AddStringToObject(det, "reason", reason ? reason : "");
    char *dj = cJSON_PrintUnformatted(det);
    cJSON_Delete(det);
    rc = dj ? store__audit_tx(st, no_qc ? "wo_deliver_forced" : "wo_deliver", ro, who && *who ? who : "cli", dj)
            : OBD_EINVAL;
    free(dj);
    if (!rc && w.status == STORE_WO_OPEN)
        rc = store__audit_tx(st, "wo_close", ro, who && *who ? who : "cli", "{\"by\":\"delivery\"}");
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    if ((rc = store__commit(st)))
        return rc;
    if (out)
        store_delivery_get(st, ro, out);
    return OBD_OK;
}

int store_followup_done(store_t *st, const char *ro, const char *who, const char *note)
{
    if (!st || !ro)
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t w;
    store_delivery_t d;
    if ((rc = store__wo_by_ro(st, ro, &w)) || (rc = store_delivery_get(st, ro, &d)))
        goto done;
    if (!d.delivered) {
        rc = store__err(st, OBD_ESTATE, "RO %s is not delivered: no follow-up call yet", ro);
        goto done;
    }
    if (d.followup_ms) {
        rc = store__err(st, OBD_ESTATE, "RO %s was followed up already: nothing changed", ro);
        goto done;
    }
    sqlite3_stmt *s = store__hprep(st, "UPDATE deliveries SET followup_ms=?, followup_by=?, followup_note=? WHERE wo_id=?");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, store__now_ms(st));
    store__bind_text(s, 2, who);
    store__bind_text(s, 3, note);
    sqlite3_bind_int64(s, 4, w.id);
    if (!(rc = store__hstep_done(st, s, "save follow-up"))) {
        char det[64];
        snprintf(det, sizeof det, "{\"wo_id\":%lld}", (long long)w.id);
        rc = store__audit_tx(st, "followup", ro, who && *who ? who : "cli", det);
    }
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

/* ---------------- team lead's check ---------------- */

int store_lead_check(store_t *st, const char *ro, const char *who, int64_t scan_id, const char *verdict)
{
    if (!st || !ro || !who || !*who)
        return st ? store__err(st, OBD_EINVAL, "the team lead's check needs a name (--sign NAME)") : OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t w;
    if ((rc = store__wo_open(st, ro, &w)))
        goto done;
    int qrc = store_qc_get(st, ro, NULL, NULL, NULL, NULL);
    if (qrc == OBD_OK) {
        rc = store__err(st, OBD_ESTATE, "RO %s has its final QC signed already: the team lead checks before it", ro);
        goto done;
    }
    if (qrc != OBD_ENOTFOUND) {
        rc = qrc;
        goto done;
    }
    sqlite3_stmt *s = store__hprep(st, "SELECT stage FROM scans WHERE id=? AND wo_id=?");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, scan_id);
    sqlite3_bind_int64(s, 2, w.id);
    char stage[8] = "";
    if (sqlite3_step(s) == SQLITE_ROW)
        store__col_text(s, 0, stage, sizeof stage);
    sqlite3_finalize(s);
    if (strcmp(stage, "post") && strcmp(stage, "self") && strcmp(stage, "qc")) {
        rc = store__err(st, OBD_ESTATE, "scan #%lld is not a post-repair or self-check scan of RO %s",
                        (long long)scan_id, ro);
        goto done;
    }
    if (!(s = store__hprep(st, "INSERT INTO qc_checks(wo_id, kind, who, scan_id, verdict, checked_ms)"
                               " VALUES(?,'lead',?,?,?,?)"))) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, w.id);
    store__bind_text(s, 2, who);
    sqlite3_bind_int64(s, 3, scan_id);
    store__bind_text(s, 4, verdict);
    sqlite3_bind_int64(s, 5, store__now_ms(st));
    if (!(rc = store__hstep_done(st, s, "save team lead's check"))) {
        char det[128];
        snprintf(det, sizeof det, "{\"wo_id\":%lld,\"scan_id\":%lld,\"verdict\":\"%s\"}", (long long)w.id,
                 (long long)scan_id, verdict ? verdict : "");
        rc = store__audit_tx(st, "qc_lead_check", ro, who, det);
    }
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_lead_check_get(store_t *st, const char *ro, store_lead_check_t *out)
{
    if (!st || !ro || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = store__hprep(st, "SELECT c.who, c.checked_ms, COALESCE(c.scan_id, 0), c.verdict FROM qc_checks c"
                                       " JOIN work_orders w ON w.id=c.wo_id WHERE w.ro=? AND c.kind='lead'"
                                       " ORDER BY c.checked_ms DESC, c.id DESC LIMIT 1");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, ro);
    int sr = sqlite3_step(s);
    if (sr == SQLITE_ROW) {
        out->present = true;
        store__col_text(s, 0, out->who, sizeof out->who);
        out->checked_ms = sqlite3_column_int64(s, 1);
        out->scan_id = sqlite3_column_int64(s, 2);
        store__col_text(s, 3, out->verdict, sizeof out->verdict);
    }
    sqlite3_finalize(s);
    return (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "team lead's check");
}

/* ---------------- warranty packs ---------------- */

int store_warranty_record(store_t *st, const char *ro, const char *code, const char *who, const char *manifest,
                          char sha256_hex[65])
{
    if (!st || !ro || !code || !manifest || !sha256_hex)
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    store_wo_t w;
    if ((rc = store__wo_by_ro(st, ro, &w)))
        goto done;
    store__sha256_hex(manifest, strlen(manifest), NULL, 0, sha256_hex);
    sqlite3_stmt *s = store__hprep(st, "INSERT INTO warranty_packs(wo_id, code, who, created_ms, manifest, sha256)"
                                       " VALUES(?,?,?,?,?,?)");
    if (!s) {
        rc = OBD_EDB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, w.id);
    store__bind_text(s, 2, code);
    store__bind_text(s, 3, who);
    sqlite3_bind_int64(s, 4, store__now_ms(st));
    store__bind_text(s, 5, manifest);
    store__bind_text(s, 6, sha256_hex);
    if (!(rc = store__hstep_done(st, s, "save warranty pack"))) {
        char det[200];
        snprintf(det, sizeof det, "{\"wo_id\":%lld,\"code\":\"%s\",\"manifest_sha256\":\"%s\"}", (long long)w.id, code,
                 sha256_hex);
        rc = store__audit_tx(st, "warranty_pack", ro, who && *who ? who : "cli", det);
    }
done:
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int store_warranty_get(store_t *st, const char *ro, const char *code, char sha256_hex[65])
{
    if (!st || !ro || !code || !sha256_hex)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__hprep(st, "SELECT p.sha256 FROM warranty_packs p JOIN work_orders w ON w.id=p.wo_id"
                                       " WHERE w.ro=? AND p.code=? ORDER BY p.id DESC LIMIT 1");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, ro);
    store__bind_text(s, 2, code);
    int sr = sqlite3_step(s), rc = OBD_OK;
    if (sr == SQLITE_ROW)
        store__col_text(s, 0, sha256_hex, 65);
    else
        rc = sr == SQLITE_DONE ? store__err(st, OBD_ENOTFOUND, "RO %s has no warranty pack for %s", ro, code)
                               : store__dberr(st, "warranty pack");
    sqlite3_finalize(s);
    return rc;
}
