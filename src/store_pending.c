/*
 * store_pending.c — announcements the DMS was not told (schema version 10):
 * a scan, finding, QC verdict or report reference whose outbox enqueue was
 * refused (outbox full, message too large) is kept in dms_pending with its
 * payload, and moved to the outbox when there is room again, oldest first.
 * Contract in include/obdgw/outbox.h; docs/outbox.md, "Pending".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "obdgw/outbox.h"
#include "store_priv.h"

#define PENDING_COLS "id, msg_id, kind, topic, ro, vin, scan_id, why, stuck, attempts, created_ms, length(payload)"

/* What the listing shows of a payload: the scan it announces and the VIN. */
static void payload_facts(const void *p, size_t len, char *vin, size_t vincap, int64_t *scan_id)
{
    *scan_id = 0;
    vin[0] = 0;
    cJSON *j = p && len ? cJSON_ParseWithLength(p, len) : NULL;
    if (!j)
        return;
    static const char *const ids[] = { "scan_id", "uds_scan_id", "post_scan_id" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0] && !*scan_id; i++) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, ids[i]);
        if (cJSON_IsNumber(n))
            *scan_id = (int64_t)n->valuedouble;
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "vin");
    if (!cJSON_IsString(v))
        v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "scan"), "vin");
    if (cJSON_IsString(v))
        snprintf(vin, vincap, "%s", v->valuestring);
    cJSON_Delete(j);
}

int outbox_pending_add(store_t *st, const outbox_msg_t *m, const char *kind, int refusal, const char *why)
{
    if (!st || !m || !m->msg_id[0] || !m->topic[0] || (m->len && !m->payload))
        return store__err(st, OBD_EINVAL, "pending: message without id, topic or payload");
    char vin[18];
    int64_t scan_id;
    payload_facts(m->payload, m->len, vin, sizeof vin, &scan_id);
    int rc = store__begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "INSERT OR IGNORE INTO dms_pending(msg_id, kind, topic, payload, ro, vin, scan_id,"
                                      " why, stuck, created_ms) VALUES(?,?,?,?,?,?,?,?,?,?)");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    store__bind_text(s, 1, m->msg_id);
    store__bind_text(s, 2, kind);
    store__bind_text(s, 3, m->topic);
    sqlite3_bind_blob(s, 4, m->len ? m->payload : "", (int)m->len, SQLITE_STATIC);
    store__bind_text(s, 5, m->ro);
    store__bind_text(s, 6, vin);
    sqlite3_bind_int64(s, 7, scan_id);
    store__bind_text(s, 8, why);
    sqlite3_bind_int(s, 9, refusal != OBD_ENOSPC); /* too large: waiting for room does not help */
    sqlite3_bind_int64(s, 10, m->created_ms ? m->created_ms : store__now_ms(st));
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "keep the DMS message pending");
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int outbox_pending_for_ro(store_t *st, const char *ro)
{
    if (!st)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__stmt(st, "SELECT 1 FROM dms_pending WHERE ro=? AND stuck=0 LIMIT 1");
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, ro);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr == SQLITE_ROW)
        return 1;
    return sr == SQLITE_DONE ? 0 : store__dberr(st, "pending lookup");
}

int outbox_pending_count(store_t *st, int64_t *n, int64_t *stuck)
{
    if (!st || !n)
        return OBD_EINVAL;
    sqlite3_stmt *s = store__stmt(st, "SELECT COUNT(*), COALESCE(SUM(stuck), 0) FROM dms_pending");
    if (!s)
        return OBD_EDB;
    int rc = OBD_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *n = sqlite3_column_int64(s, 0);
        if (stuck)
            *stuck = sqlite3_column_int64(s, 1);
    } else {
        rc = store__dberr(st, "pending count");
    }
    sqlite3_reset(s);
    return rc;
}

static void row_to(sqlite3_stmt *s, outbox_pending_t *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(s, 0);
    store__col_text(s, 1, p->msg_id, sizeof p->msg_id);
    store__col_text(s, 2, p->kind, sizeof p->kind);
    store__col_text(s, 3, p->topic, sizeof p->topic);
    store__col_text(s, 4, p->ro, sizeof p->ro);
    store__col_text(s, 5, p->vin, sizeof p->vin);
    p->scan_id = sqlite3_column_int64(s, 6);
    store__col_text(s, 7, p->why, sizeof p->why);
    p->stuck = sqlite3_column_int(s, 8) != 0;
    p->attempts = sqlite3_column_int(s, 9);
    p->created_ms = sqlite3_column_int64(s, 10);
    p->len = (size_t)sqlite3_column_int64(s, 11);
}

int outbox_pending_list(store_t *st, int (*fn)(void *ctx, const outbox_pending_t *p), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT " PENDING_COLS " FROM dms_pending ORDER BY id", -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "pending list");
    int sr, count = 0;
    outbox_pending_t p;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        row_to(s, &p);
        count++;
        if (fn(ctx, &p))
            break;
    }
    int rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? count : store__dberr(st, "pending list");
    sqlite3_finalize(s);
    return rc;
}

/* One pending row into the outbox inside the caller's transaction: the
 * enqueue and the delete of the row in one savepoint. The enqueue's error
 * (OBD_ENOSPC: still full; OBD_EINVAL: too large) is returned and kept in
 * the row's `why`; the row stays. */
static int requeue_one(store_t *st, const outbox_pending_t *p, const void *payload, const outbox_limits_t *lim,
                       const char *actor)
{
    outbox_msg_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.msg_id, sizeof m.msg_id, "%s", p->msg_id);
    snprintf(m.topic, sizeof m.topic, "%s", p->topic);
    snprintf(m.ro, sizeof m.ro, "%s", p->ro);
    m.payload = payload;
    m.len = p->len;
    m.qos = 1;
    m.prio = OUTBOX_PRIO_NORMAL;
    m.created_ms = p->created_ms;
    int rc = store__begin(st);
    if (rc)
        return rc;
    rc = outbox_enqueue(st, &m, lim, NULL);
    if (!rc) {
        sqlite3_stmt *d = store__stmt(st, "DELETE FROM dms_pending WHERE id=?");
        if (!d) {
            rc = OBD_EDB;
        } else {
            sqlite3_bind_int64(d, 1, p->id);
            if (sqlite3_step(d) != SQLITE_DONE)
                rc = store__dberr(st, "pending delete");
            sqlite3_reset(d);
        }
    }
    if (!rc && actor) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "msg_id", p->msg_id);
        cJSON_AddStringToObject(j, "kind", p->kind);
        cJSON_AddNumberToObject(j, "scan_id", (double)p->scan_id);
        cJSON_AddNumberToObject(j, "pending_since_ms", (double)p->created_ms);
        cJSON_AddBoolToObject(j, "was_stuck", p->stuck);
        char *det = cJSON_PrintUnformatted(j);
        cJSON_Delete(j);
        rc = det ? store__audit_tx(st, "dms_resend", p->ro, actor, det) : store__err(st, OBD_EINVAL, "out of memory");
        free(det);
    }
    if (rc) {
        char why[256];
        snprintf(why, sizeof why, "%s", st->err);
        store__rollback(st);
        snprintf(st->err, sizeof st->err, "%s", why);
        return rc;
    }
    return store__commit(st);
}

/* Note the failed try on the row (its own savepoint). */
static void note_refusal(store_t *st, int64_t id, int rc, const char *why)
{
    if (store__begin(st))
        return;
    sqlite3_stmt *u = store__stmt(st, "UPDATE dms_pending SET attempts=attempts+1, why=?,"
                                      " stuck=CASE WHEN ?=1 THEN 1 ELSE stuck END WHERE id=?");
    if (!u) {
        store__rollback(st);
        return;
    }
    store__bind_text(u, 1, why);
    sqlite3_bind_int(u, 2, rc == OBD_EINVAL);
    sqlite3_bind_int64(u, 3, id);
    int sr = sqlite3_step(u);
    sqlite3_reset(u);
    if (sr == SQLITE_DONE)
        store__commit(st);
    else
        store__rollback(st);
}

/* Load row `id` with a copy of its payload (*payload malloc'd). */
static int load_row(store_t *st, int64_t id, outbox_pending_t *p, void **payload)
{
    *payload = NULL;
    sqlite3_stmt *s = store__stmt(st, "SELECT " PENDING_COLS ", payload FROM dms_pending WHERE id=?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, id);
    int sr = sqlite3_step(s), rc = OBD_OK;
    if (sr == SQLITE_ROW) {
        row_to(s, p);
        *payload = malloc(p->len ? p->len : 1);
        if (!*payload)
            rc = store__err(st, OBD_EINVAL, "out of memory");
        else if (p->len)
            memcpy(*payload, sqlite3_column_blob(s, 12), p->len);
    } else {
        rc = sr == SQLITE_DONE ? store__err(st, OBD_ENOTFOUND, "no pending DMS message #%lld", (long long)id)
                               : store__dberr(st, "pending load");
    }
    sqlite3_reset(s);
    return rc;
}

int outbox_pending_requeue(store_t *st, int64_t id, size_t max, const outbox_limits_t *lim, const char *actor,
                           outbox_requeue_t *out)
{
    if (!st || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    if (!max || max > 4096)
        max = 64;
    if (st->readonly)
        return store__err(st, OBD_EIO, "store is read-only");
    int rc = store_tx_begin(st);
    if (rc)
        return rc;
    /* `id`: that one row, stuck or not; else the oldest rows not stuck.
     * Their ids first (no read statement stays open across the savepoints). */
    int64_t *ids = malloc(max * sizeof *ids);
    size_t n = 0;
    if (!ids) {
        store_tx_rollback(st);
        return store__err(st, OBD_EINVAL, "out of memory");
    }
    if (id) {
        ids[n++] = id;
    } else {
        sqlite3_stmt *s = store__stmt(st, "SELECT id FROM dms_pending WHERE stuck=0 ORDER BY id LIMIT ?");
        if (!s) {
            rc = OBD_EDB;
        } else {
            sqlite3_bind_int64(s, 1, (int64_t)max);
            int sr;
            while ((sr = sqlite3_step(s)) == SQLITE_ROW && n < max)
                ids[n++] = sqlite3_column_int64(s, 0);
            if (sr != SQLITE_ROW && sr != SQLITE_DONE)
                rc = store__dberr(st, "pending requeue");
            sqlite3_reset(s);
        }
    }
    bool full = false;
    for (size_t i = 0; i < n && !rc; i++) {
        if (full) { /* the outbox is full: the rest stay, not tried */
            out->left++;
            continue;
        }
        outbox_pending_t p;
        void *payload = NULL;
        if ((rc = load_row(st, ids[i], &p, &payload)))
            break;
        int r = requeue_one(st, &p, payload, lim, actor);
        free(payload);
        if (!r) {
            out->queued++;
            continue;
        }
        if (r != OBD_ENOSPC && r != OBD_EINVAL) { /* a store error: stop, nothing of this batch */
            rc = r;
            break;
        }
        char why[256];
        snprintf(why, sizeof why, "%s", st->err);
        note_refusal(st, p.id, r, why);
        snprintf(out->why, sizeof out->why, "%s", why);
        out->refused++;
        full = r == OBD_ENOSPC;
    }
    free(ids);
    if (rc) {
        char why[256];
        snprintf(why, sizeof why, "%s", st->err);
        store_tx_rollback(st);
        snprintf(st->err, sizeof st->err, "%s", why);
        memset(out, 0, sizeof *out);
        return rc;
    }
    if ((rc = store_tx_commit(st))) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    int64_t left = 0;
    if (outbox_pending_count(st, &left, NULL) == OBD_OK)
        out->remaining = left;
    return OBD_OK;
}
