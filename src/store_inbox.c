/*
 * store_inbox.c — the inbound journal (schema version 7): DMS messages are
 * committed here before obdgwd acts on them, so a crash between receipt and
 * application loses nothing (see include/obdgw/outbox.h and docs/outbox.md).
 */
#include <string.h>

#include "obdgw/outbox.h"
#include "store_priv.h"

int inbox_put(store_t *st, const inbox_msg_t *m, int64_t *id)
{
    if (!st || !m || !m->topic || (m->len && !m->payload))
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO dms_inbox(topic, payload, qos, retained, response_topic, corr,"
                                      " received_ms) VALUES(?,?,?,?,?,?,?)");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    store__bind_text(s, 1, m->topic);
    sqlite3_bind_blob(s, 2, m->len ? m->payload : "", (int)m->len, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, m->qos);
    sqlite3_bind_int(s, 4, m->retained);
    store__bind_text(s, 5, m->response_topic ? m->response_topic : "");
    if (m->corr && m->corr_len)
        sqlite3_bind_blob(s, 6, m->corr, (int)m->corr_len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, m->received_ms ? m->received_ms : store__now_ms(st));
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "inbound journal");
        store__rollback(st);
        return rc;
    }
    if (id)
        *id = sqlite3_last_insert_rowid(store__db(st));
    return store__commit(st);
}

int inbox_pending(store_t *st, int (*fn)(void *ctx, const inbox_msg_t *m), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store__db(st),
                           "SELECT id, topic, payload, qos, retained, response_topic, corr, received_ms"
                           " FROM dms_inbox ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "inbound journal");
    int n = 0, sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        inbox_msg_t m = {
            .id = sqlite3_column_int64(s, 0),
            .topic = (const char *)sqlite3_column_text(s, 1),
            .payload = sqlite3_column_blob(s, 2),
            .len = (size_t)sqlite3_column_bytes(s, 2),
            .qos = sqlite3_column_int(s, 3),
            .retained = sqlite3_column_int(s, 4) != 0,
            .response_topic = (const char *)sqlite3_column_text(s, 5),
            .corr = sqlite3_column_blob(s, 6),
            .corr_len = (size_t)sqlite3_column_bytes(s, 6),
            .received_ms = sqlite3_column_int64(s, 7),
        };
        if (!m.topic)
            m.topic = "";
        if (!m.response_topic)
            m.response_topic = "";
        n++;
        if (fn(ctx, &m))
            break;
    }
    int rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? n : store__dberr(st, "inbound journal");
    sqlite3_finalize(s);
    return rc;
}

int inbox_done(store_t *st, int64_t id)
{
    if (!st)
        return OBD_EINVAL;
    int rc = store__begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "DELETE FROM dms_inbox WHERE id=?");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    sqlite3_bind_int64(s, 1, id);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "inbound journal delete");
        store__rollback(st);
        return rc;
    }
    return store__commit(st);
}

int inbox_count(store_t *st, int64_t *n)
{
    sqlite3_stmt *s = st ? store__stmt(st, "SELECT COUNT(*) FROM dms_inbox") : NULL;
    if (!s)
        return OBD_EDB;
    int rc = OBD_OK;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = store__dberr(st, "inbound journal");
    sqlite3_reset(s);
    return rc;
}
