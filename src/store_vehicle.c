/*
 * store_vehicle.c — the read-only views of include/obdgw/store_history.h:
 * a vehicle's history across visits, one RO's timeline against the
 * standard times, the follow-up call list and the service manager's
 * figures. Language-free JSON (keys, codes, ms); the CLI and the reports
 * render it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/store_history.h"
#include "store_hist_priv.h"

void store_std_times_default(store_std_times_t *t)
{
    /* the workshop manuals' standard times: 接车 15, 故障诊断 30, 质量检验 20, 交车 15 min */
    t->reception_min = 15;
    t->diagnosis_min = 30;
    t->qc_min = 20;
    t->delivery_min = 15;
}

static void add_ms(cJSON *o, const char *k, int64_t ms)
{
    if (ms > 0)
        cJSON_AddNumberToObject(o, k, (double)ms);
    else
        cJSON_AddNullToObject(o, k);
}

static int64_t col_ms(sqlite3_stmt *s, int c)
{
    return sqlite3_column_type(s, c) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, c);
}

/* ---------------- stage times ---------------- */

/* The stages and what bounds them (all wall ms, 0 unknown). */
typedef struct {
    int64_t opened, pre, diag_end, repair_end, qc, delivered, lead, self;
} wo_times_t;

enum { ST_RECEPTION, ST_DIAGNOSIS, ST_REPAIR, ST_QC, ST_DELIVERY, ST_COUNT };
static const char *const stage_keys[ST_COUNT] = { "reception", "diagnosis", "repair", "qc", "delivery" };

static int std_min(const store_std_times_t *std, int k)
{
    switch (k) {
    case ST_RECEPTION:
        return std->reception_min;
    case ST_DIAGNOSIS:
        return std->diagnosis_min;
    case ST_QC:
        return std->qc_min;
    case ST_DELIVERY:
        return std->delivery_min;
    }
    return 0; /* the repair itself has no standard here (labour times are per job) */
}

/* Durations (ms, -1 not measurable) of the five stages:
 * reception = opened -> reception scan; diagnosis = reception scan -> the
 * last diagnostic scan or first decision on an additional item before the
 * repair end; repair = diagnosis end -> repair end (the first clear);
 * qc = repair end -> final QC sign-off; delivery = final QC -> handover. */
static void durations(const wo_times_t *t, int64_t out[ST_COUNT])
{
    for (int k = 0; k < ST_COUNT; k++)
        out[k] = -1;
    if (t->opened && t->pre && t->pre >= t->opened)
        out[ST_RECEPTION] = t->pre - t->opened;
    int64_t dend = t->diag_end && t->pre && t->diag_end >= t->pre ? t->diag_end : 0;
    if (dend)
        out[ST_DIAGNOSIS] = dend - t->pre;
    int64_t from = dend ? dend : t->pre;
    if (from && t->repair_end && t->repair_end >= from)
        out[ST_REPAIR] = t->repair_end - from;
    if (t->repair_end && t->qc && t->qc >= t->repair_end)
        out[ST_QC] = t->qc - t->repair_end;
    if (t->qc && t->delivered && t->delivered >= t->qc)
        out[ST_DELIVERY] = t->delivered - t->qc;
}

#define TIMES_COLS                                                                                                 \
    "w.id, w.ro, w.opened_ms,"                                                                                      \
    " (SELECT MIN(started_ms) FROM scans WHERE wo_id=w.id AND stage='pre'),"                                        \
    " (SELECT MAX(started_ms) FROM scans WHERE wo_id=w.id AND stage='diag'),"                                       \
    " (SELECT MIN(decided_ms) FROM findings WHERE wo_id=w.id AND decided_ms > 0),"                                  \
    " (SELECT MIN(cleared_ms) FROM clears WHERE wo_id=w.id),"                                                       \
    " (SELECT MIN(signed_ms) FROM qc_signoffs WHERE wo_id=w.id),"                                                   \
    " d.delivered_ms,"                                                                                              \
    " (SELECT MIN(checked_ms) FROM qc_checks WHERE wo_id=w.id AND kind='lead'),"                                    \
    " (SELECT MIN(started_ms) FROM scans WHERE wo_id=w.id AND stage='self')"
#define TIMES_FROM " FROM work_orders w LEFT JOIN deliveries d ON d.wo_id=w.id"

static void times_from_row(sqlite3_stmt *s, wo_times_t *t)
{
    memset(t, 0, sizeof *t);
    t->opened = col_ms(s, 2);
    t->pre = col_ms(s, 3);
    int64_t diag = col_ms(s, 4), decided = col_ms(s, 5);
    t->repair_end = col_ms(s, 6);
    t->qc = col_ms(s, 7);
    t->delivered = col_ms(s, 8);
    t->lead = col_ms(s, 9);
    t->self = col_ms(s, 10);
    /* the diagnosis ends with its last diagnostic scan, else the first
     * decision on an additional item; only before the repair end counts */
    int64_t e = diag ? diag : decided;
    if (e && t->repair_end && e > t->repair_end)
        e = decided && decided <= t->repair_end ? decided : 0;
    t->diag_end = e;
}

static void stage_json(cJSON *arr, const int64_t d[ST_COUNT], const store_std_times_t *std)
{
    for (int k = 0; k < ST_COUNT; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stage", stage_keys[k]);
        if (d[k] >= 0)
            cJSON_AddNumberToObject(o, "minutes", round((double)d[k] / 6000.0) / 10.0);
        else
            cJSON_AddNullToObject(o, "minutes");
        int sm = std_min(std, k);
        if (sm > 0) {
            cJSON_AddNumberToObject(o, "standard_minutes", sm);
            if (d[k] >= 0)
                cJSON_AddBoolToObject(o, "over", d[k] > (int64_t)sm * 60000);
        } else {
            cJSON_AddNullToObject(o, "standard_minutes");
        }
        cJSON_AddItemToArray(arr, o);
    }
}

typedef struct {
    int64_t ms;
    char key[24];
    char detail[112];
} tl_event_t;

static int ev_cmp(const void *a, const void *b)
{
    const tl_event_t *x = a, *y = b;
    return x->ms < y->ms ? -1 : x->ms > y->ms;
}

cJSON *store_wo_timeline_json(store_t *st, const char *ro, const store_std_times_t *std)
{
    if (!st || !ro || !std)
        return NULL;
    store_wo_t w;
    if (store_wo_get(st, ro, &w))
        return NULL;
    size_t cap = 256, n = 0;
    tl_event_t *ev = calloc(cap, sizeof *ev);
    if (!ev)
        return NULL;
#define EV(ms_, key_, ...)                                                                   \
    do {                                                                                     \
        if (n < cap && (ms_) > 0) {                                                          \
            ev[n].ms = (ms_);                                                                \
            snprintf(ev[n].key, sizeof ev[n].key, "%s", (key_));                             \
            snprintf(ev[n].detail, sizeof ev[n].detail, __VA_ARGS__);                        \
            n++;                                                                             \
        }                                                                                    \
    } while (0)
    EV(w.opened_ms, "opened", "%s", "");
    static const char *const q[] = {
        "SELECT started_ms, stage, '#' || id, technician FROM scans WHERE wo_id=?",
        "SELECT started_ms, stage, 'UDS #' || id, technician FROM uds_scans WHERE wo_id=?",
        "SELECT created_ms, 'finding_asked', code, '' FROM findings WHERE wo_id=?",
        "SELECT decided_ms, 'finding_' || state, code, decided_by FROM findings WHERE wo_id=? AND decided_ms > 0",
        "SELECT cleared_ms, 'repair_end', kind, who FROM clears WHERE wo_id=?",
        "SELECT checked_ms, 'lead_check', verdict, who FROM qc_checks WHERE wo_id=?",
        "SELECT signed_ms, 'final_qc', verdict, inspector FROM qc_signoffs WHERE wo_id=?",
        "SELECT delivered_ms, 'delivered', CASE WHEN forced THEN 'forced' ELSE '' END, who FROM deliveries WHERE wo_id=?",
        "SELECT followup_ms, 'followup', '', followup_by FROM deliveries WHERE wo_id=? AND followup_ms > 0",
    };
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        sqlite3_stmt *s = store__hprep(st, q[k]);
        if (!s)
            continue;
        sqlite3_bind_int64(s, 1, w.id);
        while (sqlite3_step(s) == SQLITE_ROW) {
            char key[24], a[48], b[48];
            const char *stg = (const char *)sqlite3_column_text(s, 1);
            if (k <= 1) /* scans: the stage names the event */
                snprintf(key, sizeof key, "%sscan_%s", k ? "uds_" : "", stg ? stg : "");
            else
                snprintf(key, sizeof key, "%s", stg ? stg : "");
            store__col_text(s, 2, a, sizeof a);
            store__col_text(s, 3, b, sizeof b);
            EV(sqlite3_column_int64(s, 0), key, "%.47s%s%.47s", a, a[0] && b[0] ? " · " : "", b);
        }
        sqlite3_finalize(s);
    }
#undef EV
    qsort(ev, n, sizeof *ev, ev_cmp);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ro", w.ro);
    cJSON *arr = cJSON_AddArrayToObject(o, "events");
    for (size_t i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "ms", (double)ev[i].ms);
        cJSON_AddStringToObject(e, "event", ev[i].key);
        cJSON_AddStringToObject(e, "detail", ev[i].detail);
        cJSON_AddItemToArray(arr, e);
    }
    free(ev);
    sqlite3_stmt *s = store__hprep(st, "SELECT " TIMES_COLS TIMES_FROM " WHERE w.id=?");
    if (s) {
        sqlite3_bind_int64(s, 1, w.id);
        if (sqlite3_step(s) == SQLITE_ROW) {
            wo_times_t t;
            int64_t d[ST_COUNT];
            times_from_row(s, &t);
            durations(&t, d);
            stage_json(cJSON_AddArrayToObject(o, "stages"), d, std);
        }
        sqlite3_finalize(s);
    }
    return o;
}

/* ---------------- vehicle history ---------------- */

typedef struct {
    char code[8];
    int64_t first_ms, last_ms;
    int scans;
    int64_t ros[64];
    int nros;
    int unassigned;       /* scans not on an RO: each counts as a visit */
    int64_t cleared[16];
    int ncleared;
    bool comeback;
} dtc_hist_t;

typedef struct {
    dtc_hist_t *d;
    size_t n, cap;
} dtc_tab_t;

static dtc_hist_t *dtc_at(dtc_tab_t *t, const char *code)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strncmp(t->d[i].code, code, 5))
            return &t->d[i];
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 32;
        dtc_hist_t *nd = realloc(t->d, nc * sizeof *nd);
        if (!nd)
            return NULL;
        t->d = nd;
        t->cap = nc;
    }
    dtc_hist_t *h = &t->d[t->n++];
    memset(h, 0, sizeof *h);
    snprintf(h->code, sizeof h->code, "%.5s", code);
    return h;
}

static void dtc_seen(dtc_tab_t *t, const char *code, int64_t ms, int64_t wo_id)
{
    dtc_hist_t *h = dtc_at(t, code);
    if (!h)
        return;
    if (!h->first_ms || ms < h->first_ms)
        h->first_ms = ms;
    if (ms > h->last_ms)
        h->last_ms = ms;
    h->scans++;
    if (!wo_id) {
        h->unassigned++;
        return;
    }
    for (int i = 0; i < h->nros; i++)
        if (h->ros[i] == wo_id)
            return;
    if (h->nros < 64)
        h->ros[h->nros++] = wo_id;
}

/* Split "P0301,P0420" (group_concat) and add each code. */
static void add_codes(dtc_tab_t *t, cJSON *arr, const char *list, int64_t ms, int64_t wo_id)
{
    if (!list)
        return;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        cJSON_AddItemToArray(arr, cJSON_CreateString(tok));
        if (t)
            dtc_seen(t, tok, ms, wo_id);
    }
}

static const char *ro_of(cJSON *ros, int64_t wo_id)
{
    cJSON *r;
    cJSON_ArrayForEach(r, ros)
    {
        cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "wo_id");
        if (cJSON_IsNumber(id) && (int64_t)id->valuedouble == wo_id)
            return cJSON_GetObjectItemCaseSensitive(r, "ro")->valuestring;
    }
    return "";
}

static int mileage_cmp(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

cJSON *store_vehicle_history_json(store_t *st, const char *vin, int *rcp)
{
    int dummy;
    int *rc = rcp ? rcp : &dummy;
    *rc = OBD_OK;
    if (!st || !vin || !store__vin_valid(vin)) {
        *rc = st ? store__err(st, OBD_EINVAL, "VIN is not 17 characters of A-Z (no I, O, Q) and 0-9") : OBD_EINVAL;
        return NULL;
    }
    sqlite3_stmt *s = store__hprep(st, "SELECT first_seen_ms FROM vehicles WHERE vin=?");
    if (!s) {
        *rc = OBD_EDB;
        return NULL;
    }
    store__bind_text(s, 1, vin);
    int sr = sqlite3_step(s);
    int64_t first_seen = sr == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    if (sr != SQLITE_ROW) {
        *rc = sr == SQLITE_DONE ? store__err(st, OBD_ENOTFOUND, "no vehicle with this VIN in the store")
                                : store__dberr(st, "vehicle");
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "schema", "obdgw.vehicle/1");
    cJSON_AddStringToObject(o, "vin", vin);
    add_ms(o, "first_seen_ms", first_seen);
    dtc_tab_t tab = { 0 };
    size_t mcap = 1024, mn = 0;
    double *mil = calloc(mcap * 2, sizeof *mil); /* (ms, km) pairs, plus a source index */
    char (*msrc)[24] = calloc(mcap, sizeof *msrc);
    char (*mro)[STORE_RO_LEN] = calloc(mcap, sizeof *mro);
#define MILEAGE(ms_, km_, src_, ro_)                                                      \
    do {                                                                                  \
        if (mil && msrc && mro && mn < mcap && (km_) >= 0 && (ms_) > 0) {                 \
            mil[2 * mn] = (double)(ms_);                                                  \
            mil[2 * mn + 1] = (km_);                                                      \
            snprintf(msrc[mn], sizeof msrc[0], "%.23s", (src_));                          \
            snprintf(mro[mn], sizeof mro[0], "%s", (ro_));                                \
            mn++;                                                                         \
        }                                                                                 \
    } while (0)

    /* ROs */
    cJSON *ros = cJSON_AddArrayToObject(o, "ros");
    s = store__hprep(st, "SELECT w.id, w.ro, w.status, w.opened_ms, w.closed_ms, w.mileage_in_km, w.repair_class,"
                         " w.complaint, w.complaint_codes, w.technician, d.delivered_ms, d.mileage_out_km, d.forced,"
                         " (SELECT verdict || '|' || inspector || '|' || signed_ms FROM qc_signoffs"
                         "  WHERE wo_id=w.id ORDER BY signed_ms DESC, id DESC LIMIT 1),"
                         " (SELECT who || '|' || checked_ms FROM qc_checks WHERE wo_id=w.id AND kind='lead'"
                         "  ORDER BY checked_ms DESC LIMIT 1)"
                         " FROM work_orders w LEFT JOIN deliveries d ON d.wo_id=w.id WHERE w.vin=?"
                         " ORDER BY w.opened_ms, w.id");
    if (s) {
        store__bind_text(s, 1, vin);
        while (sqlite3_step(s) == SQLITE_ROW) {
            cJSON *r = cJSON_CreateObject();
            char ro[STORE_RO_LEN], t[256];
            store__col_text(s, 1, ro, sizeof ro);
            cJSON_AddNumberToObject(r, "wo_id", (double)sqlite3_column_int64(s, 0));
            cJSON_AddStringToObject(r, "ro", ro);
            cJSON_AddStringToObject(r, "status", sqlite3_column_int(s, 2) ? "closed" : "open");
            add_ms(r, "opened_ms", sqlite3_column_int64(s, 3));
            add_ms(r, "closed_ms", sqlite3_column_int64(s, 4));
            int km_in = sqlite3_column_int(s, 5);
            if (km_in >= 0)
                cJSON_AddNumberToObject(r, "mileage_in_km", km_in);
            MILEAGE(sqlite3_column_int64(s, 3), (double)km_in, "ro_in", ro);
            store__col_text(s, 6, t, sizeof t);
            cJSON_AddStringToObject(r, "repair_class", t[0] ? t : STORE_DEFAULT_CLASS);
            store__col_text(s, 7, t, sizeof t);
            cJSON_AddStringToObject(r, "complaint", t);
            store__col_text(s, 8, t, sizeof t);
            cJSON_AddStringToObject(r, "complaint_codes", t);
            store__col_text(s, 9, t, sizeof t);
            cJSON_AddStringToObject(r, "technician", t);
            if (sqlite3_column_type(s, 10) != SQLITE_NULL) {
                cJSON *d = cJSON_AddObjectToObject(r, "delivery");
                add_ms(d, "delivered_ms", sqlite3_column_int64(s, 10));
                int km_out = sqlite3_column_int(s, 11);
                if (km_out >= 0)
                    cJSON_AddNumberToObject(d, "mileage_out_km", km_out);
                cJSON_AddBoolToObject(d, "forced", sqlite3_column_int(s, 12) != 0);
                MILEAGE(sqlite3_column_int64(s, 10), (double)km_out, "ro_out", ro);
            } else {
                cJSON_AddNullToObject(r, "delivery");
            }
            store__col_text(s, 13, t, sizeof t);
            if (t[0]) {
                cJSON *q = cJSON_AddObjectToObject(r, "qc");
                char *a = strtok(t, "|"), *b = strtok(NULL, "|"), *c = strtok(NULL, "|");
                cJSON_AddStringToObject(q, "verdict", a ? a : "");
                cJSON_AddStringToObject(q, "inspector", b ? b : "");
                add_ms(q, "signed_ms", c ? strtoll(c, NULL, 10) : 0);
            } else {
                cJSON_AddNullToObject(r, "qc");
            }
            store__col_text(s, 14, t, sizeof t);
            if (t[0]) {
                cJSON *q = cJSON_AddObjectToObject(r, "lead_check");
                char *a = strtok(t, "|"), *b = strtok(NULL, "|");
                cJSON_AddStringToObject(q, "who", a ? a : "");
                add_ms(q, "checked_ms", b ? strtoll(b, NULL, 10) : 0);
            } else {
                cJSON_AddNullToObject(r, "lead_check");
            }
            cJSON_AddArrayToObject(r, "comebacks");
            cJSON_AddItemToArray(ros, r);
        }
        sqlite3_finalize(s);
    }
    /* comebacks, on their RO */
    s = store__hprep(st, "SELECT c.wo_id, c.code, c.earlier_ro, c.days, c.km, c.match FROM comebacks c"
                         " JOIN work_orders w ON w.id=c.wo_id WHERE w.vin=? ORDER BY c.id");
    if (s) {
        store__bind_text(s, 1, vin);
        while (sqlite3_step(s) == SQLITE_ROW) {
            int64_t wid = sqlite3_column_int64(s, 0);
            cJSON *r;
            cJSON_ArrayForEach(r, ros)
            {
                if ((int64_t)cJSON_GetObjectItemCaseSensitive(r, "wo_id")->valuedouble != wid)
                    continue;
                cJSON *c = cJSON_CreateObject();
                char t[40];
                store__col_text(s, 1, t, sizeof t);
                cJSON_AddStringToObject(c, "code", t);
                dtc_hist_t *h = dtc_at(&tab, t);
                if (h)
                    h->comeback = true;
                store__col_text(s, 2, t, sizeof t);
                cJSON_AddStringToObject(c, "earlier_ro", t);
                cJSON_AddNumberToObject(c, "days", sqlite3_column_double(s, 3));
                if (sqlite3_column_type(s, 4) != SQLITE_NULL)
                    cJSON_AddNumberToObject(c, "km", sqlite3_column_double(s, 4));
                store__col_text(s, 5, t, sizeof t);
                cJSON_AddStringToObject(c, "match", t);
                cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(r, "comebacks"), c);
            }
        }
        sqlite3_finalize(s);
    }
    /* scans, OBD and UDS, of the car's ROs and unassigned ones with its VIN */
    cJSON *scans = cJSON_AddArrayToObject(o, "scans");
    for (int uds = 0; uds < 2; uds++) {
        s = store__hprep(
            st, uds ? "SELECT s.id, COALESCE(s.wo_id, 0), s.stage, s.started_ms, s.technician, NULL, '',"
                      " (SELECT group_concat(DISTINCT substr(d.dtc,1,5)) FROM uds_dtcs d JOIN uds_modules m"
                      "  ON m.scan_id=d.scan_id AND m.idx=d.idx WHERE d.scan_id=s.id AND (d.status & 8) != 0)"
                      " FROM uds_scans s WHERE s.vin=?1 OR s.wo_id IN (SELECT id FROM work_orders WHERE vin=?1)"
                      " ORDER BY s.started_ms, s.id"
                    : "SELECT s.id, COALESCE(s.wo_id, 0), s.stage, s.started_ms, s.technician, s.mileage_km,"
                      " s.mileage_source, (SELECT group_concat(DISTINCT dtc) FROM scan_dtcs WHERE scan_id=s.id)"
                      " FROM scans s WHERE s.vin=?1 OR s.wo_id IN (SELECT id FROM work_orders WHERE vin=?1)"
                      " ORDER BY s.started_ms, s.id");
        if (!s)
            continue;
        store__bind_text(s, 1, vin);
        while (sqlite3_step(s) == SQLITE_ROW) {
            cJSON *x = cJSON_CreateObject();
            int64_t wid = sqlite3_column_int64(s, 1), ms = sqlite3_column_int64(s, 3);
            char t[64];
            cJSON_AddNumberToObject(x, "id", (double)sqlite3_column_int64(s, 0));
            cJSON_AddStringToObject(x, "kind", uds ? "uds" : "obd");
            const char *ro = wid ? ro_of(ros, wid) : "";
            cJSON_AddStringToObject(x, "ro", ro);
            store__col_text(s, 2, t, sizeof t);
            cJSON_AddStringToObject(x, "stage", t);
            cJSON_AddNumberToObject(x, "started_ms", (double)ms);
            store__col_text(s, 4, t, sizeof t);
            cJSON_AddStringToObject(x, "technician", t);
            if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
                double km = sqlite3_column_double(s, 5);
                cJSON_AddNumberToObject(x, "mileage_km", km);
                store__col_text(s, 6, t, sizeof t);
                MILEAGE(ms, km, t[0] ? t : "scan", ro);
            }
            add_codes(&tab, cJSON_AddArrayToObject(x, "dtcs"), (const char *)sqlite3_column_text(s, 7), ms, wid);
            cJSON_AddItemToArray(scans, x);
        }
        sqlite3_finalize(s);
    }
    /* clears: when, and which codes each took (its pre-clear scan's) */
    cJSON *clears = cJSON_AddArrayToObject(o, "clears");
    s = store__hprep(st, "SELECT c.id, w.ro, c.kind, c.who, c.cleared_ms, c.reason,"
                         " CASE WHEN c.kind='uds' THEN (SELECT group_concat(DISTINCT substr(d.dtc,1,5)) FROM uds_dtcs d"
                         "  WHERE d.scan_id=c.preclear_uds_scan_id AND (d.status & 8) != 0)"
                         " ELSE (SELECT group_concat(DISTINCT dtc) FROM scan_dtcs WHERE scan_id=c.preclear_scan_id) END"
                         " FROM clears c JOIN work_orders w ON w.id=c.wo_id WHERE w.vin=? ORDER BY c.cleared_ms, c.id");
    if (s) {
        store__bind_text(s, 1, vin);
        while (sqlite3_step(s) == SQLITE_ROW) {
            cJSON *x = cJSON_CreateObject();
            char t[256];
            int64_t ms = sqlite3_column_int64(s, 4);
            cJSON_AddNumberToObject(x, "id", (double)sqlite3_column_int64(s, 0));
            store__col_text(s, 1, t, sizeof t);
            cJSON_AddStringToObject(x, "ro", t);
            store__col_text(s, 2, t, sizeof t);
            cJSON_AddStringToObject(x, "kind", t);
            store__col_text(s, 3, t, sizeof t);
            cJSON_AddStringToObject(x, "who", t);
            cJSON_AddNumberToObject(x, "cleared_ms", (double)ms);
            store__col_text(s, 5, t, sizeof t);
            cJSON_AddStringToObject(x, "reason", t);
            cJSON *codes = cJSON_AddArrayToObject(x, "dtcs");
            add_codes(NULL, codes, (const char *)sqlite3_column_text(s, 6), ms, 0);
            cJSON *c;
            cJSON_ArrayForEach(c, codes)
            {
                dtc_hist_t *h = dtc_at(&tab, c->valuestring);
                if (h && h->ncleared < 16)
                    h->cleared[h->ncleared++] = ms;
            }
            cJSON_AddItemToArray(clears, x);
        }
        sqlite3_finalize(s);
    }
    /* recordings */
    cJSON *recs = cJSON_AddArrayToObject(o, "recordings");
    s = store__hprep(st, "SELECT r.id, w.ro, r.started_ms, r.ended_ms, r.samples, r.state, r.pids FROM recordings r"
                         " JOIN work_orders w ON w.id=r.wo_id WHERE w.vin=? ORDER BY r.started_ms, r.id");
    if (s) {
        store__bind_text(s, 1, vin);
        while (sqlite3_step(s) == SQLITE_ROW) {
            cJSON *x = cJSON_CreateObject();
            char t[128];
            cJSON_AddNumberToObject(x, "id", (double)sqlite3_column_int64(s, 0));
            store__col_text(s, 1, t, sizeof t);
            cJSON_AddStringToObject(x, "ro", t);
            cJSON_AddNumberToObject(x, "started_ms", (double)sqlite3_column_int64(s, 2));
            add_ms(x, "ended_ms", sqlite3_column_int64(s, 3));
            cJSON_AddNumberToObject(x, "samples", (double)sqlite3_column_int64(s, 4));
            store__col_text(s, 5, t, sizeof t);
            cJSON_AddStringToObject(x, "state", t);
            store__col_text(s, 6, t, sizeof t);
            cJSON_AddStringToObject(x, "pids", t);
            cJSON_AddItemToArray(recs, x);
        }
        sqlite3_finalize(s);
    }
#undef MILEAGE
    /* mileage over time */
    cJSON *ma = cJSON_AddArrayToObject(o, "mileage");
    if (mil && msrc && mro) {
        /* sort by time carrying the labels along: sort indexes */
        size_t *ix = calloc(mn ? mn : 1, sizeof *ix);
        double *keyed = calloc(mn ? mn * 2 : 2, sizeof *keyed);
        if (ix && keyed) {
            for (size_t i = 0; i < mn; i++) {
                keyed[2 * i] = mil[2 * i];
                keyed[2 * i + 1] = (double)i;
            }
            qsort(keyed, mn, 2 * sizeof *keyed, mileage_cmp);
            for (size_t i = 0; i < mn; i++) {
                size_t k = (size_t)keyed[2 * i + 1];
                cJSON *x = cJSON_CreateObject();
                cJSON_AddNumberToObject(x, "ms", mil[2 * k]);
                cJSON_AddNumberToObject(x, "km", mil[2 * k + 1]);
                cJSON_AddStringToObject(x, "source", msrc[k]);
                cJSON_AddStringToObject(x, "ro", mro[k]);
                cJSON_AddItemToArray(ma, x);
            }
        }
        free(ix);
        free(keyed);
    }
    free(mil);
    free(msrc);
    free(mro);
    /* per DTC */
    cJSON *da = cJSON_AddArrayToObject(o, "dtcs");
    for (size_t i = 0; i < tab.n; i++) {
        dtc_hist_t *h = &tab.d[i];
        if (!h->scans)
            continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "code", h->code);
        add_ms(x, "first_seen_ms", h->first_ms);
        add_ms(x, "last_seen_ms", h->last_ms);
        cJSON_AddNumberToObject(x, "visits", h->nros + h->unassigned);
        cJSON_AddNumberToObject(x, "scans", h->scans);
        cJSON *rr = cJSON_AddArrayToObject(x, "ros");
        for (int k = 0; k < h->nros; k++)
            cJSON_AddItemToArray(rr, cJSON_CreateString(ro_of(ros, h->ros[k])));
        cJSON *cl = cJSON_AddArrayToObject(x, "cleared_ms");
        for (int k = 0; k < h->ncleared; k++)
            cJSON_AddItemToArray(cl, cJSON_CreateNumber((double)h->cleared[k]));
        cJSON_AddBoolToObject(x, "comeback", h->comeback);
        cJSON_AddItemToArray(da, x);
    }
    free(tab.d);
    return o;
}

/* ---------------- follow-up ---------------- */

static void codes_into(store_t *st, cJSON *arr, const char *sql, int64_t wo_id)
{
    sqlite3_stmt *s = store__hprep(st, sql);
    if (!s)
        return;
    sqlite3_bind_int64(s, 1, wo_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        char t[64];
        store__col_text(s, 0, t, sizeof t);
        cJSON_AddItemToArray(arr, cJSON_CreateString(t));
    }
    sqlite3_finalize(s);
}

cJSON *store_followup_json(store_t *st, bool due_only)
{
    if (!st)
        return NULL;
    int64_t now = store__now_ms(st), due_ms = (int64_t)STORE_FOLLOWUP_DAYS * 86400000;
    sqlite3_stmt *s = store__hprep(st, "SELECT w.id, w.ro, w.vin, w.plate, w.complaint, d.delivered_ms, d.mileage_out_km,"
                                       " d.forced, (SELECT verdict FROM qc_signoffs WHERE wo_id=w.id"
                                       "  ORDER BY signed_ms DESC, id DESC LIMIT 1)"
                                       " FROM deliveries d JOIN work_orders w ON w.id=d.wo_id"
                                       " WHERE d.followup_ms = 0 AND (?1 = 0 OR d.delivered_ms <= ?2)"
                                       " ORDER BY d.delivered_ms, w.id");
    if (!s)
        return NULL;
    sqlite3_bind_int(s, 1, due_only);
    sqlite3_bind_int64(s, 2, now - due_ms);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "now_ms", (double)now);
    cJSON_AddNumberToObject(o, "days_after_delivery", STORE_FOLLOWUP_DAYS);
    cJSON *arr = cJSON_AddArrayToObject(o, "followups");
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        cJSON *x = cJSON_CreateObject();
        char t[STORE_TEXT_LEN];
        int64_t wid = sqlite3_column_int64(s, 0), dms = sqlite3_column_int64(s, 5);
        store__col_text(s, 1, t, sizeof t);
        cJSON_AddStringToObject(x, "ro", t);
        store__col_text(s, 2, t, sizeof t);
        cJSON_AddStringToObject(x, "vin", t);
        store__col_text(s, 3, t, sizeof t);
        cJSON_AddStringToObject(x, "plate", t);
        store__col_text(s, 4, t, sizeof t);
        cJSON_AddStringToObject(x, "complaint", t);
        cJSON_AddNumberToObject(x, "delivered_ms", (double)dms);
        cJSON_AddNumberToObject(x, "due_ms", (double)(dms + due_ms));
        cJSON_AddBoolToObject(x, "due", dms + due_ms <= now);
        int km = sqlite3_column_int(s, 6);
        if (km >= 0)
            cJSON_AddNumberToObject(x, "mileage_out_km", km);
        cJSON_AddBoolToObject(x, "delivered_without_qc", sqlite3_column_int(s, 7) != 0);
        store__col_text(s, 8, t, 64);
        cJSON_AddStringToObject(x, "qc_verdict", t);
        /* found: the pre-repair scans' codes; fixed: gone at the latest post/QC scan */
        codes_into(st, cJSON_AddArrayToObject(x, "found"),
                   "SELECT DISTINCT d.dtc FROM scan_dtcs d JOIN scans s ON s.id=d.scan_id WHERE s.wo_id=?1"
                   " AND s.stage IN ('pre','diag') UNION SELECT DISTINCT substr(d.dtc,1,5) FROM uds_dtcs d"
                   " JOIN uds_scans s ON s.id=d.scan_id WHERE s.wo_id=?1 AND s.stage IN ('pre','diag')"
                   " AND (d.status & 8) != 0",
                   wid);
        codes_into(st, cJSON_AddArrayToObject(x, "fixed"),
                   "WITH op AS (SELECT id FROM scans WHERE wo_id=?1 AND stage IN ('post','qc')"
                   " ORDER BY started_ms DESC, id DESC LIMIT 1)"
                   " SELECT DISTINCT d.dtc FROM scan_dtcs d JOIN scans s ON s.id=d.scan_id WHERE s.wo_id=?1"
                   " AND s.stage IN ('pre','diag') AND EXISTS(SELECT 1 FROM op)"
                   " AND d.dtc NOT IN (SELECT dtc FROM scan_dtcs WHERE scan_id=(SELECT id FROM op))",
                   wid);
        cJSON *pend = cJSON_AddArrayToObject(x, "pending");
        /* permanent DTCs still stored and monitors not complete at the latest post/QC scan */
        codes_into(st, pend,
                   "SELECT 'permanent_dtc:' || d.dtc FROM scan_dtcs d WHERE d.kind='permanent' AND d.scan_id="
                   " (SELECT id FROM scans WHERE wo_id=?1 AND stage IN ('post','qc') ORDER BY started_ms DESC, id DESC"
                   " LIMIT 1)",
                   wid);
        if (!strcmp(t, "pass_pending_drive_cycle"))
            cJSON_AddItemToArray(pend, cJSON_CreateString("drive_cycle_monitors"));
        codes_into(st, pend, "SELECT 'declined_item:' || code FROM findings WHERE wo_id=?1 AND state='declined'", wid);
        codes_into(st, pend, "SELECT 'undecided_item:' || code FROM findings WHERE wo_id=?1 AND state='proposed'",
                   wid);
        cJSON_AddItemToArray(arr, x);
        n++;
    }
    sqlite3_finalize(s);
    cJSON_AddNumberToObject(o, "count", n);
    return o;
}

/* ---------------- the service manager's figures ---------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static int64_t pct(const int64_t *v, size_t n, double p)
{
    if (!n)
        return -1;
    size_t k = (size_t)ceil(p * (double)n);
    if (k < 1)
        k = 1;
    return v[k > n ? n - 1 : k - 1];
}

static double rate(int64_t a, int64_t b) { return b > 0 ? round((double)a * 1000.0 / (double)b) / 1000.0 : 0; }

static int64_t one_int(store_t *st, const char *sql, int64_t since)
{
    sqlite3_stmt *s = store__hprep(st, sql);
    if (!s)
        return 0;
    sqlite3_bind_int64(s, 1, since);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return v;
}

cJSON *store_stats_json(store_t *st, int64_t since_ms, const store_std_times_t *std)
{
    if (!st || !std)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "schema", "obdgw.stats/1");
    cJSON_AddNumberToObject(o, "since_ms", (double)since_ms);
    cJSON_AddNumberToObject(o, "generated_ms", (double)store__now_ms(st));
    int64_t nro = one_int(st, "SELECT COUNT(*) FROM work_orders WHERE opened_ms >= ?", since_ms);
    int64_t ndel = one_int(st, "SELECT COUNT(*) FROM deliveries d JOIN work_orders w ON w.id=d.wo_id"
                               " WHERE w.opened_ms >= ?", since_ms);
    /* first-time fix: delivered, and no later RO came back with what it repaired */
    int64_t nback = one_int(st, "SELECT COUNT(DISTINCT c.earlier_wo_id) FROM comebacks c JOIN work_orders w"
                                " ON w.id=c.earlier_wo_id WHERE w.opened_ms >= ?", since_ms);
    int64_t ncb = one_int(st, "SELECT COUNT(DISTINCT c.wo_id) FROM comebacks c JOIN work_orders w ON w.id=c.wo_id"
                              " WHERE w.opened_ms >= ?", since_ms);
    int64_t nqc = one_int(st, "SELECT COUNT(DISTINCT q.wo_id) FROM qc_signoffs q JOIN work_orders w ON w.id=q.wo_id"
                              " WHERE w.opened_ms >= ?", since_ms);
    int64_t nqc1 = one_int(st, "SELECT COUNT(*) FROM work_orders w WHERE w.opened_ms >= ? AND"
                               " (SELECT verdict FROM qc_signoffs WHERE wo_id=w.id ORDER BY signed_ms, id LIMIT 1)"
                               " IN ('pass','pass_pending_drive_cycle')", since_ms);
    int64_t nprop = one_int(st, "SELECT COUNT(*) FROM findings f JOIN work_orders w ON w.id=f.wo_id"
                                " WHERE w.opened_ms >= ?", since_ms);
    int64_t nappr = one_int(st, "SELECT COUNT(*) FROM findings f JOIN work_orders w ON w.id=f.wo_id"
                                " WHERE w.opened_ms >= ? AND f.state='approved'", since_ms);
    int64_t ndecl = one_int(st, "SELECT COUNT(*) FROM findings f JOIN work_orders w ON w.id=f.wo_id"
                                " WHERE w.opened_ms >= ? AND f.state='declined'", since_ms);
    cJSON_AddNumberToObject(o, "ros", (double)nro);
    cJSON_AddNumberToObject(o, "delivered", (double)ndel);
    cJSON_AddNumberToObject(o, "first_time_fix_rate", rate(ndel - nback, ndel));
    cJSON_AddNumberToObject(o, "comebacks", (double)ncb);
    cJSON_AddNumberToObject(o, "comeback_rate", rate(ncb, nro));
    cJSON_AddNumberToObject(o, "qc_signed", (double)nqc);
    cJSON_AddNumberToObject(o, "qc_pass_first_try_rate", rate(nqc1, nqc));
    cJSON *ai = cJSON_AddObjectToObject(o, "additional_items");
    cJSON_AddNumberToObject(ai, "proposed", (double)nprop);
    cJSON_AddNumberToObject(ai, "approved", (double)nappr);
    cJSON_AddNumberToObject(ai, "declined", (double)ndecl);
    cJSON_AddNumberToObject(ai, "approval_rate", rate(nappr, nprop));

    /* stage times: median and p90 against the standard */
    size_t cap = nro > 0 ? (size_t)nro : 1;
    int64_t *v[ST_COUNT];
    size_t nv[ST_COUNT] = { 0 };
    for (int k = 0; k < ST_COUNT; k++)
        v[k] = calloc(cap, sizeof *v[k]);
    sqlite3_stmt *s = store__hprep(st, "SELECT " TIMES_COLS TIMES_FROM " WHERE w.opened_ms >= ?");
    if (s) {
        sqlite3_bind_int64(s, 1, since_ms);
        while (sqlite3_step(s) == SQLITE_ROW) {
            wo_times_t t;
            int64_t d[ST_COUNT];
            times_from_row(s, &t);
            durations(&t, d);
            for (int k = 0; k < ST_COUNT; k++)
                if (d[k] >= 0 && v[k] && nv[k] < cap)
                    v[k][nv[k]++] = d[k];
        }
        sqlite3_finalize(s);
    }
    cJSON *sa = cJSON_AddArrayToObject(o, "stages");
    for (int k = 0; k < ST_COUNT; k++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "stage", stage_keys[k]);
        cJSON_AddNumberToObject(x, "n", (double)nv[k]);
        if (v[k] && nv[k]) {
            qsort(v[k], nv[k], sizeof *v[k], cmp_i64);
            int64_t med = pct(v[k], nv[k], 0.5), p90 = pct(v[k], nv[k], 0.9);
            cJSON_AddNumberToObject(x, "median_minutes", round((double)med / 6000.0) / 10.0);
            cJSON_AddNumberToObject(x, "p90_minutes", round((double)p90 / 6000.0) / 10.0);
            int sm = std_min(std, k);
            size_t over = 0;
            for (size_t i = 0; i < nv[k]; i++)
                over += sm > 0 && v[k][i] > (int64_t)sm * 60000;
            cJSON_AddNumberToObject(x, "over_standard", (double)over);
        } else {
            cJSON_AddNullToObject(x, "median_minutes");
            cJSON_AddNullToObject(x, "p90_minutes");
            cJSON_AddNumberToObject(x, "over_standard", 0);
        }
        int sm = std_min(std, k);
        if (sm > 0)
            cJSON_AddNumberToObject(x, "standard_minutes", sm);
        else
            cJSON_AddNullToObject(x, "standard_minutes");
        cJSON_AddItemToArray(sa, x);
        free(v[k]);
    }
    /* top DTCs at reception, by ROs */
    cJSON *top = cJSON_AddArrayToObject(o, "top_dtcs");
    s = store__hprep(st, "SELECT d.dtc, COUNT(DISTINCT s.wo_id) n FROM scan_dtcs d JOIN scans s ON s.id=d.scan_id"
                         " JOIN work_orders w ON w.id=s.wo_id WHERE w.opened_ms >= ? AND s.stage IN ('pre','diag')"
                         " GROUP BY d.dtc ORDER BY n DESC, d.dtc LIMIT 10");
    if (s) {
        sqlite3_bind_int64(s, 1, since_ms);
        while (sqlite3_step(s) == SQLITE_ROW) {
            cJSON *x = cJSON_CreateObject();
            char t[16];
            store__col_text(s, 0, t, sizeof t);
            cJSON_AddStringToObject(x, "code", t);
            cJSON_AddNumberToObject(x, "ros", sqlite3_column_int(s, 1));
            cJSON_AddItemToArray(top, x);
        }
        sqlite3_finalize(s);
    }
    /* scans per bay per day (local dates), OBD and UDS */
    cJSON *bays = cJSON_AddArrayToObject(o, "scans_per_bay_day");
    s = store__hprep(st, "SELECT bay, day, COUNT(*) FROM ("
                         " SELECT w.bay bay, date(s.started_ms / 1000, 'unixepoch', 'localtime') day FROM scans s"
                         " JOIN work_orders w ON w.id=s.wo_id WHERE w.opened_ms >= ?1"
                         " UNION ALL SELECT w.bay, date(u.started_ms / 1000, 'unixepoch', 'localtime') FROM uds_scans u"
                         " JOIN work_orders w ON w.id=u.wo_id WHERE w.opened_ms >= ?1)"
                         " GROUP BY bay, day ORDER BY day, bay");
    if (s) {
        sqlite3_bind_int64(s, 1, since_ms);
        while (sqlite3_step(s) == SQLITE_ROW) {
            cJSON *x = cJSON_CreateObject();
            char t[32];
            store__col_text(s, 0, t, sizeof t);
            cJSON_AddStringToObject(x, "bay", t);
            store__col_text(s, 1, t, sizeof t);
            cJSON_AddStringToObject(x, "day", t);
            cJSON_AddNumberToObject(x, "scans", sqlite3_column_int(s, 2));
            cJSON_AddItemToArray(bays, x);
        }
        sqlite3_finalize(s);
    }
    return o;
}
