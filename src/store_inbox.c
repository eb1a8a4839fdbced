/*
 * store_inbox.c — the inbound journal (schema version 8): DMS messages are
 * committed here before obdgwd acts on them, so a crash between receipt and
 * application loses nothing (see include/obdgw/outbox.h and docs/outbox.md).
 */
#include <stdlib.h>
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
    /* One row at a time, copied and the statement reset before fn runs: fn
     * applies the row and deletes it on this same connection, which must
     * not happen under an open SELECT of the same table. */
    int n = 0;
    int64_t last = 0;
    for (;;) {
        sqlite3_stmt *s = store__stmt(st, "SELECT id, topic, payload, qos, retained, response_topic, corr, received_ms"
                                          " FROM dms_inbox WHERE id > ? ORDER BY id LIMIT 1");
        if (!s)
            return OBD_EDB;
        sqlite3_bind_int64(s, 1, last);
        int sr = sqlite3_step(s);
        if (sr == SQLITE_DONE) {
            sqlite3_reset(s);
            return n;
        }
        if (sr != SQLITE_ROW) {
            sqlite3_reset(s);
            return store__dberr(st, "inbound journal");
        }
        const char *topic = (const char *)sqlite3_column_text(s, 1);
        const char *rt = (const char *)sqlite3_column_text(s, 5);
        size_t plen = (size_t)sqlite3_column_bytes(s, 2), clen = (size_t)sqlite3_column_bytes(s, 6);
        const void *pl = sqlite3_column_blob(s, 2), *cd = sqlite3_column_blob(s, 6);
        char *tcopy = strdup(topic ? topic : ""), *rcopy = strdup(rt ? rt : "");
        unsigned char *pcopy = malloc(plen + 1), *ccopy = malloc(clen + 1);
        inbox_msg_t m = {
            .id = sqlite3_column_int64(s, 0),
            .qos = sqlite3_column_int(s, 3),
            .retained = sqlite3_column_int(s, 4) != 0,
            .received_ms = sqlite3_column_int64(s, 7),
        };
        if (pcopy && plen)
            memcpy(pcopy, pl, plen);
        if (ccopy && clen)
            memcpy(ccopy, cd, clen);
        sqlite3_reset(s);
        if (!tcopy || !rcopy || !pcopy || !ccopy) {
            free(tcopy), free(rcopy), free(pcopy), free(ccopy);
            return store__err(st, OBD_EINVAL, "inbound journal: out of memory");
        }
        pcopy[plen] = 0;
        m.topic = tcopy;
        m.response_topic = rcopy;
        m.payload = pcopy;
        m.len = plen;
        m.corr = clen ? ccopy : NULL;
        m.corr_len = clen;
        last = m.id;
        n++;
        int stop = fn(ctx, &m);
        free(tcopy), free(rcopy), free(pcopy), free(ccopy);
        if (stop)
            return n;
    }
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
