/*
 * Announcements the DMS was not told (outbox.h, "pending"; schema 9):
 * a refused message is kept with its payload and the facts the listing
 * shows (scan id, VIN, RO, why), survives a reopen, is moved to the outbox
 * when there is room (oldest first, bounded per call, counts true), a
 * too-large one is stuck until an explicit resend, a resend is audited
 * (fail-closed), and an RO with a pending message is seen as such (its
 * newer messages must wait behind it).
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

#define VIN "1HGCM82633A004352"

typedef struct {
    char dir[64];
    char path[128];
    store_t *st;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/obdgw-pending-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    char err[256];
    if (store_open(f->path, &f->st, err, sizeof err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    store_close(f->st);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static outbox_msg_t msg(const char *id, const char *ro, const char *payload)
{
    outbox_msg_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.msg_id, sizeof m.msg_id, "%s", id);
    snprintf(m.topic, sizeof m.topic, "obdgw/v1/ws01/scan");
    snprintf(m.ro, sizeof m.ro, "%s", ro);
    m.payload = payload;
    m.len = strlen(payload);
    m.qos = 1;
    m.prio = OUTBOX_PRIO_NORMAL;
    return m;
}

typedef struct {
    size_t n;
    outbox_pending_t p[16];
} list_t;

static int collect(void *ctx, const outbox_pending_t *p)
{
    list_t *l = ctx;
    if (l->n < 16)
        l->p[l->n++] = *p;
    return 0;
}

static int ids_cb(void *ctx, const outbox_msg_t *m)
{
    list_t *l = ctx;
    if (l->n < 16)
        snprintf(l->p[l->n++].msg_id, OUTBOX_MSGID_LEN, "%s", m->msg_id);
    return 0;
}

/* Fill the outbox to its bound (limit 2) so the next normal message is refused. */
static const outbox_limits_t LIM2 = { 2, 0 };

static void fill(store_t *st)
{
    outbox_msg_t a = msg("fill-1", "RO-F", "{}"), b = msg("fill-2", "RO-F", "{}");
    assert_int_equal(outbox_enqueue(st, &a, &LIM2, NULL), OBD_OK);
    assert_int_equal(outbox_enqueue(st, &b, &LIM2, NULL), OBD_OK);
    outbox_msg_t c = msg("fill-3", "RO-F", "{}");
    assert_int_equal(outbox_enqueue(st, &c, &LIM2, NULL), OBD_ENOSPC);
}

static void test_kept_listed_and_requeued_in_order(void **state)
{
    fx_t *f = *state;
    fill(f->st);
    const char *p1 = "{\"msg_id\":\"ws01-scan-7\",\"scan_id\":7,\"scan\":{\"vin\":\"" VIN "\"}}";
    const char *p2 = "{\"msg_id\":\"ws01-uds-8\",\"uds_scan_id\":8,\"vin\":\"" VIN "\"}";
    const char *p3 = "{\"msg_id\":\"ws01-qc-9\",\"post_scan_id\":9}";
    outbox_msg_t m1 = msg("ws01-scan-7", "RO-1", p1), m2 = msg("ws01-uds-8", "RO-2", p2), m3 = msg("ws01-qc-9", "", p3);
    /* refused inside an evidence transaction: the refusal and the pending row commit with it */
    assert_int_equal(store_tx_begin(f->st), OBD_OK);
    assert_int_equal(outbox_enqueue(f->st, &m1, &LIM2, NULL), OBD_ENOSPC);
    assert_int_equal(outbox_pending_add(f->st, &m1, "scan", OBD_ENOSPC, store_errmsg(f->st)), OBD_OK);
    assert_int_equal(outbox_pending_add(f->st, &m2, "uds_scan", OBD_ENOSPC, "outbox full (test)"), OBD_OK);
    assert_int_equal(outbox_pending_add(f->st, &m3, "qc", OBD_ENOSPC, "outbox full (test)"), OBD_OK);
    assert_int_equal(outbox_pending_add(f->st, &m3, "qc", OBD_ENOSPC, "again"), OBD_OK); /* same msg_id: one row */
    assert_int_equal(store_tx_commit(f->st), OBD_OK);
    /* a rolled-back transaction keeps nothing pending */
    outbox_msg_t mx = msg("ws01-scan-99", "RO-9", "{}");
    assert_int_equal(store_tx_begin(f->st), OBD_OK);
    assert_int_equal(outbox_pending_add(f->st, &mx, "scan", OBD_ENOSPC, "x"), OBD_OK);
    store_tx_rollback(f->st);

    /* across a reopen */
    store_close(f->st);
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
    int64_t n = -1, stuck = -1;
    assert_int_equal(outbox_pending_count(f->st, &n, &stuck), OBD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(stuck, 0);
    list_t l = { 0 };
    assert_int_equal(outbox_pending_list(f->st, collect, &l), 3);
    assert_string_equal(l.p[0].msg_id, "ws01-scan-7");
    assert_string_equal(l.p[0].kind, "scan");
    assert_int_equal(l.p[0].scan_id, 7);
    assert_string_equal(l.p[0].vin, VIN);
    assert_string_equal(l.p[0].ro, "RO-1");
    assert_non_null(strstr(l.p[0].why, "outbox full"));
    assert_int_equal(l.p[0].len, strlen(p1));
    assert_int_equal(l.p[1].scan_id, 8);
    assert_string_equal(l.p[1].vin, VIN);
    assert_int_equal(l.p[2].scan_id, 9);
    assert_string_equal(l.p[2].vin, "");
    assert_true(l.p[0].created_ms > 0);
    /* an RO with a pending message; one without */
    assert_int_equal(outbox_pending_for_ro(f->st, "RO-1"), 1);
    assert_int_equal(outbox_pending_for_ro(f->st, ""), 1);
    assert_int_equal(outbox_pending_for_ro(f->st, "RO-7"), 0);

    /* still full: nothing moves, the first is refused again, the rest not tried */
    outbox_requeue_t q;
    assert_int_equal(outbox_pending_requeue(f->st, 0, 0, &LIM2, NULL, &q), OBD_OK);
    assert_int_equal(q.queued, 0);
    assert_int_equal(q.refused, 1);
    assert_int_equal(q.left, 2);
    assert_int_equal(q.remaining, 3);
    assert_non_null(strstr(q.why, "outbox full"));

    /* room for two (a limit of 4): the two oldest move, in order; counts true */
    const outbox_limits_t lim4 = { 4, 0 };
    assert_int_equal(outbox_pending_requeue(f->st, 0, 0, &lim4, NULL, &q), OBD_OK);
    assert_int_equal(q.queued, 2);
    assert_int_equal(q.refused, 1);
    assert_int_equal(q.left, 0);
    assert_int_equal(q.remaining, 1);
    list_t ob = { 0 };
    assert_int_equal(outbox_peek(f->st, 0, 16, ids_cb, &ob), 4);
    assert_string_equal(ob.p[2].msg_id, "ws01-scan-7");
    assert_string_equal(ob.p[3].msg_id, "ws01-uds-8");
    assert_int_equal(outbox_pending_for_ro(f->st, "RO-1"), 0);
    /* the payload went over byte for byte */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store__db(f->st), "SELECT payload FROM outbox WHERE msg_id='ws01-scan-7'", -1,
                                        &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(s, 0), (int)strlen(p1));
    assert_memory_equal(sqlite3_column_blob(s, 0), p1, strlen(p1));
    sqlite3_finalize(s);
    /* bounded per call: max 1 with plenty of room */
    assert_int_equal(outbox_pending_requeue(f->st, 0, 1, NULL, NULL, &q), OBD_OK);
    assert_int_equal(q.queued, 1);
    assert_int_equal(q.remaining, 0);
    assert_int_equal(outbox_pending_count(f->st, &n, NULL), OBD_OK);
    assert_int_equal(n, 0);
    /* the automatic moves are not audited */
    int64_t audits = -1;
    assert_int_equal(sqlite3_prepare_v2(store__db(f->st), "SELECT COUNT(*) FROM audit", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    audits = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    assert_int_equal(audits, 0);
}

static void test_stuck_and_audited_resend(void **state)
{
    fx_t *f = *state;
    /* refused as too large: stuck, skipped by the automatic pass */
    outbox_msg_t big = msg("ws01-scan-5", "RO-5", "{\"scan_id\":5}");
    assert_int_equal(outbox_pending_add(f->st, &big, "scan", OBD_EINVAL, "message above the 4 MiB limit"), OBD_OK);
    int64_t n = 0, stuck = 0;
    assert_int_equal(outbox_pending_count(f->st, &n, &stuck), OBD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(stuck, 1);
    assert_int_equal(outbox_pending_for_ro(f->st, "RO-5"), 0); /* does not hold the RO's newer messages */
    outbox_requeue_t q;
    assert_int_equal(outbox_pending_requeue(f->st, 0, 0, NULL, NULL, &q), OBD_OK);
    assert_int_equal(q.queued + q.refused + q.left, 0);
    assert_int_equal(q.remaining, 1);
    /* an unknown id */
    assert_int_equal(outbox_pending_requeue(f->st, 999, 1, NULL, "alice", &q), OBD_ENOTFOUND);
    /* an explicit resend tries it (it fits now) and is audited */
    list_t l = { 0 };
    assert_int_equal(outbox_pending_list(f->st, collect, &l), 1);
    assert_int_equal(outbox_pending_requeue(f->st, l.p[0].id, 1, NULL, "alice", &q), OBD_OK);
    assert_int_equal(q.queued, 1);
    assert_int_equal(q.remaining, 0);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store__db(f->st), "SELECT action, ro, actor, details FROM audit", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal(sqlite3_column_text(s, 0), "dms_resend");
    assert_string_equal(sqlite3_column_text(s, 1), "RO-5");
    assert_string_equal(sqlite3_column_text(s, 2), "alice");
    assert_non_null(strstr((const char *)sqlite3_column_text(s, 3), "\"msg_id\":\"ws01-scan-5\""));
    assert_non_null(strstr((const char *)sqlite3_column_text(s, 3), "\"was_stuck\":true"));
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    int64_t dummy;
    assert_int_equal(store_audit_verify(f->st, &dummy, NULL), OBD_OK);

    /* fail-closed: when the audit entry cannot be written, nothing is re-queued */
    outbox_msg_t m = msg("ws01-scan-6", "RO-6", "{\"scan_id\":6}");
    assert_int_equal(outbox_pending_add(f->st, &m, "scan", OBD_ENOSPC, "outbox full"), OBD_OK);
    char *e = NULL;
    assert_int_equal(sqlite3_exec(store__db(f->st),
                                  "CREATE TRIGGER audit_fail BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;",
                                  NULL, NULL, &e),
                     SQLITE_OK);
    l.n = 0;
    assert_int_equal(outbox_pending_list(f->st, collect, &l), 1);
    assert_true(outbox_pending_requeue(f->st, l.p[0].id, 1, NULL, "bob", &q) < 0);
    assert_int_equal(outbox_pending_count(f->st, &n, NULL), OBD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sqlite3_prepare_v2(store__db(f->st), "SELECT COUNT(*) FROM outbox WHERE msg_id='ws01-scan-6'", -1,
                                        &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 0);
    sqlite3_finalize(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kept_listed_and_requeued_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stuck_and_audited_resend, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
