/*
 * store_outbox.c — the DMS outbox table (schema version 3): durable
 * enqueue with a bound, ordered peek, delete on acknowledgement.
 * The contract and the full-outbox policy are in include/obdgw/outbox.h.
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/outbox.h"
#include "store_priv.h"

static const char SQL_EXISTS[] = "SELECT 1 FROM outbox WHERE msg_id=?";
static const char SQL_TOTALS[] = "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM outbox";
static const char SQL_OLDEST_LOW[] = "SELECT id, bytes FROM outbox WHERE prio=0 ORDER BY id LIMIT 1";
static const char SQL_DELETE[] = "DELETE FROM outbox WHERE id=?";
static const char SQL_INSERT[] = "INSERT INTO outbox(msg_id, topic, payload, qos, retain, prio, ro, bytes, created_ms)"
                                 " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ATTEMPT[] = "UPDATE outbox SET attempts=attempts+1 WHERE id=?";

static void limits_or_default(const outbox_limits_t *lim, int64_t *maxn, int64_t *maxb)
{
    *maxn = lim && lim->max_messages > 0 ? lim->max_messages : OUTBOX_DEFAULT_MAX_MESSAGES;
    *maxb = lim && lim->max_bytes > 0 ? lim->max_bytes : OUTBOX_DEFAULT_MAX_BYTES;
}

static int totals(store_t *st, int64_t *n, int64_t *b)
{
    sqlite3_stmt *s = store__stmt(st, SQL_TOTALS);
    if (!s)
        return OBD_EDB;
    int rc = OBD_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *n = sqlite3_column_int64(s, 0);
        *b = sqlite3_column_int64(s, 1);
    } else {
        rc = store__dberr(st, "outbox totals");
    }
    sqlite3_reset(s);
    return rc;
}

/* Insert one message inside the caller's transaction, applying the bound.
 * *n and *b track the outbox's totals across a batch. */
static int enqueue_tx(store_t *st, const outbox_msg_t *m, int64_t maxn, int64_t maxb, int64_t *n, int64_t *b,
                      int64_t *id, int64_t *evicted)
{
    if (!m || !m->msg_id[0] || !m->topic[0] || (m->len && !m->payload))
        return store__err(st, OBD_EINVAL, "outbox: message without id, topic or payload");
    if (m->len > OUTBOX_MAX_PAYLOAD)
        return store__err(st, OBD_EINVAL, "outbox: message %s is %zu bytes, above the %u-byte limit", m->msg_id,
                          m->len, OUTBOX_MAX_PAYLOAD);
    if (m->qos < 0 || m->qos > 2)
        return store__err(st, OBD_EINVAL, "outbox: message %s: QoS %d", m->msg_id, m->qos);
    sqlite3_stmt *s = store__stmt(st, SQL_EXISTS);
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, m->msg_id);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr == SQLITE_ROW) { /* already queued: idempotent */
        if (id)
            *id = 0;
        return OBD_OK;
    }
    if (sr != SQLITE_DONE)
        return store__dberr(st, "outbox lookup");
    int64_t need = (int64_t)m->len + (int64_t)strlen(m->topic);
    if (m->prio == OUTBOX_PRIO_LOW) {
        if (*n + 1 > maxn || *b + need > maxb)
            return store__err(st, OBD_ENOSPC,
                              "outbox full: %lld messages, %lld bytes (limits %lld, %lld): low-priority message %s refused",
                              (long long)*n, (long long)*b, (long long)maxn, (long long)maxb, m->msg_id);
    } else {
        /* Make room by evicting the oldest low-priority messages. */
        while (*n + 1 > maxn || *b + need > maxb) {
            sqlite3_stmt *o = store__stmt(st, SQL_OLDEST_LOW);
            if (!o)
                return OBD_EDB;
            int r = sqlite3_step(o);
            int64_t vid = r == SQLITE_ROW ? sqlite3_column_int64(o, 0) : 0;
            int64_t vb = r == SQLITE_ROW ? sqlite3_column_int64(o, 1) : 0;
            sqlite3_reset(o);
            if (r == SQLITE_DONE)
                return store__err(st, OBD_ENOSPC,
                                  "outbox full: %lld messages, %lld bytes (limits %lld, %lld) of scans/QC waiting for "
                                  "the broker: message %s refused (the evidence stays in the store)",
                                  (long long)*n, (long long)*b, (long long)maxn, (long long)maxb, m->msg_id);
            if (r != SQLITE_ROW)
                return store__dberr(st, "outbox evict");
            sqlite3_stmt *d = store__stmt(st, SQL_DELETE);
            if (!d)
                return OBD_EDB;
            sqlite3_bind_int64(d, 1, vid);
            r = sqlite3_step(d);
            sqlite3_reset(d);
            if (r != SQLITE_DONE)
                return store__dberr(st, "outbox evict");
            (*n)--;
            *b -= vb;
            if (evicted)
                (*evicted)++;
        }
    }
    s = store__stmt(st, SQL_INSERT);
    if (!s)
        return OBD_EDB;
    store__bind_text(s, 1, m->msg_id);
    store__bind_text(s, 2, m->topic);
    sqlite3_bind_blob(s, 3, m->len ? m->payload : "", (int)m->len, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, m->qos);
    sqlite3_bind_int(s, 5, m->retain);
    sqlite3_bind_int(s, 6, m->prio == OUTBOX_PRIO_LOW ? 0 : 1);
    store__bind_text(s, 7, m->ro);
    sqlite3_bind_int64(s, 8, need);
    sqlite3_bind_int64(s, 9, m->created_ms ? m->created_ms : store__now_ms(st));
    sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE)
        return store__dberr(st, "outbox insert");
    if (id)
        *id = sqlite3_last_insert_rowid(st->db);
    (*n)++;
    *b += need;
    return OBD_OK;
}

int outbox_enqueue_batch(store_t *st, const outbox_msg_t *m, size_t n, const outbox_limits_t *lim, int64_t *evicted)
{
    if (!st || (n && !m))
        return OBD_EINVAL;
    if (evicted)
        *evicted = 0;
    int64_t maxn, maxb, cn = 0, cb = 0;
    limits_or_default(lim, &maxn, &maxb);
    int rc = store__begin(st);
    if (rc)
        return rc;
    rc = totals(st, &cn, &cb);
    for (size_t i = 0; !rc && i < n; i++)
        rc = enqueue_tx(st, &m[i], maxn, maxb, &cn, &cb, NULL, evicted);
    if (rc) {
        store__rollback(st);
        if (evicted)
            *evicted = 0;
        return rc;
    }
    return store__commit(st);
}

int outbox_enqueue(store_t *st, const outbox_msg_t *m, const outbox_limits_t *lim, int64_t *id)
{
    if (!st)
        return OBD_EINVAL;
    int64_t maxn, maxb, cn = 0, cb = 0;
    limits_or_default(lim, &maxn, &maxb);
    int rc = store__begin(st);
    if (rc)
        return rc;
    rc = totals(st, &cn, &cb);
    if (!rc)
        rc = enqueue_tx(st, m, maxn, maxb, &cn, &cb, id, NULL);
    if (rc) {
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int outbox_peek(store_t *st, int64_t after_id, size_t max, int (*fn)(void *ctx, const outbox_msg_t *m), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    /* Own statement: callbacks may call back into the store. */
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, msg_id, topic, payload, qos, retain, prio, ro, created_ms, attempts"
                           " FROM outbox WHERE id>? ORDER BY id LIMIT ?",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "outbox peek");
    sqlite3_bind_int64(s, 1, after_id);
    sqlite3_bind_int64(s, 2, (int64_t)(max > INT32_MAX ? INT32_MAX : max));
    int count = 0, r;
    outbox_msg_t m;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&m, 0, sizeof m);
        m.id = sqlite3_column_int64(s, 0);
        store__col_text(s, 1, m.msg_id, sizeof m.msg_id);
        store__col_text(s, 2, m.topic, sizeof m.topic);
        m.payload = sqlite3_column_blob(s, 3);
        m.len = (size_t)sqlite3_column_bytes(s, 3);
        m.qos = sqlite3_column_int(s, 4);
        m.retain = sqlite3_column_int(s, 5) != 0;
        m.prio = sqlite3_column_int(s, 6) ? OUTBOX_PRIO_NORMAL : OUTBOX_PRIO_LOW;
        store__col_text(s, 7, m.ro, sizeof m.ro);
        m.created_ms = sqlite3_column_int64(s, 8);
        m.attempts = sqlite3_column_int(s, 9);
        count++;
        if (fn(ctx, &m))
            break;
    }
    int rc = (r == SQLITE_ROW || r == SQLITE_DONE) ? count : store__dberr(st, "outbox peek");
    sqlite3_finalize(s);
    return rc;
}

static int by_ids(store_t *st, const char *sql, const int64_t *ids, size_t n, const char *what)
{
    if (!st || (n && !ids))
        return OBD_EINVAL;
    if (!n)
        return OBD_OK;
    int rc = store__begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, sql);
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(s, 1, ids[i]);
        int r = sqlite3_step(s);
        sqlite3_reset(s);
        if (r != SQLITE_DONE) {
            rc = store__dberr(st, what);
            store__rollback(st);
            return rc;
        }
    }
    return store__commit(st);
}

/* The delete need not be durable: if a crash or power cut loses it, the
 * message is sent again with the same msg_id and the DMS drops it. So the
 * ack transaction commits with synchronous=NORMAL (WAL: no fsync at
 * commit; still atomic, and made durable by the next FULL commit or
 * checkpoint). Every enqueue stays synchronous=FULL. */
int outbox_ack(store_t *st, const int64_t *ids, size_t n)
{
    if (!st || !n || st->in_tx)
        return by_ids(st, SQL_DELETE, ids, n, "outbox ack");
    store__exec(st, "PRAGMA synchronous=NORMAL");
    int rc = by_ids(st, SQL_DELETE, ids, n, "outbox ack");
    if (store__exec(st, "PRAGMA synchronous=FULL") && !rc)
        rc = store__dberr(st, "outbox ack: restoring synchronous=FULL");
    return rc;
}

int outbox_note_attempt(store_t *st, const int64_t *ids, size_t n)
{
    return by_ids(st, SQL_ATTEMPT, ids, n, "outbox attempt");
}

int outbox_stats(store_t *st, outbox_stats_t *out)
{
    if (!st || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT COUNT(*), COALESCE(SUM(bytes), 0), COALESCE(SUM(prio=0), 0),"
                           " COALESCE(MIN(created_ms), 0) FROM outbox",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "outbox stats");
    int rc = OBD_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        out->messages = sqlite3_column_int64(s, 0);
        out->bytes = sqlite3_column_int64(s, 1);
        out->low_messages = sqlite3_column_int64(s, 2);
        out->oldest_ms = sqlite3_column_int64(s, 3);
    } else {
        rc = store__dberr(st, "outbox stats");
    }
    sqlite3_finalize(s);
    return rc;
}
