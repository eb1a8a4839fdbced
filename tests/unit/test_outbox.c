/*
 * The DMS outbox (include/obdgw/outbox.h): delivery order, per-RO order
 * with interleaving ROs, idempotent enqueue, delete on ack, durability
 * across reopen, the bound and the full-outbox policy, and kill -9 in the
 * middle of enqueues and acks.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/store_priv.h"
#include "obdgw/outbox.h"
#include "obdgw/store.h"

typedef struct {
    char dir[64];
    char path[128];
    store_t *st;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/obdgw-outbox-XXXXXX");
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

static outbox_msg_t msg(const char *id, const char *ro, outbox_prio_t prio, const char *payload)
{
    outbox_msg_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.msg_id, sizeof m.msg_id, "%s", id);
    snprintf(m.topic, sizeof m.topic, "obdgw/site1/scan");
    snprintf(m.ro, sizeof m.ro, "%s", ro);
    m.payload = payload;
    m.len = strlen(payload);
    m.qos = 1;
    m.prio = prio;
    return m;
}

typedef struct {
    size_t n;
    char ids[64][OUTBOX_MSGID_LEN];
    char payloads[64][32];
    int64_t rowids[64];
} seen_t;

static int collect(void *ctx, const outbox_msg_t *m)
{
    seen_t *s = ctx;
    if (s->n < 64) {
        snprintf(s->ids[s->n], OUTBOX_MSGID_LEN, "%s", m->msg_id);
        snprintf(s->payloads[s->n], 32, "%.*s", (int)m->len, (const char *)m->payload);
        s->rowids[s->n] = m->id;
        s->n++;
    }
    return 0;
}

/* PRAGMA synchronous of the store's connection (2 = FULL). */
static int sync_level(store_t *st)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(store__db(st), "PRAGMA synchronous", -1, &q, NULL) != SQLITE_OK)
        return -1;
    int v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    return v;
}

static void test_order_and_ack(void **state)
{
    fx_t *f = *state;
    /* given messages of two ROs, interleaved */
    const char *ids[] = { "a1", "b1", "a2", "b2", "a3" };
    const char *ros[] = { "RO-A", "RO-B", "RO-A", "RO-B", "RO-A" };
    for (int i = 0; i < 5; i++) {
        outbox_msg_t m = msg(ids[i], ros[i], OUTBOX_PRIO_NORMAL, ids[i]);
        int64_t id = -1;
        assert_int_equal(outbox_enqueue(f->st, &m, NULL, &id), OBD_OK);
        assert_true(id > 0);
    }
    /* when peeking: enqueue order, so each RO's messages stay in order */
    seen_t s = { 0 };
    assert_int_equal(outbox_peek(f->st, 0, 100, collect, &s), 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(s.ids[i], ids[i]);
    assert_string_equal(s.payloads[2], "a2");
    /* a window: after the 2nd, at most 2 */
    seen_t w = { 0 };
    assert_int_equal(outbox_peek(f->st, s.rowids[1], 2, collect, &w), 2);
    assert_string_equal(w.ids[0], "a2");
    assert_string_equal(w.ids[1], "b2");
    /* re-enqueueing a queued id changes nothing */
    outbox_msg_t dup = msg("a2", "RO-A", OUTBOX_PRIO_NORMAL, "other");
    assert_int_equal(outbox_enqueue(f->st, &dup, NULL, NULL), OBD_OK);
    outbox_stats_t st;
    assert_int_equal(outbox_stats(f->st, &st), OBD_OK);
    assert_int_equal(st.messages, 5);
    /* acks delete exactly those (late acks of unknown ids are fine) */
    int64_t acks[] = { s.rowids[0], s.rowids[2], 999999 };
    assert_int_equal(sync_level(f->st), 2);
    assert_int_equal(outbox_ack(f->st, acks, 3), OBD_OK);
    /* the ack commit may skip the fsync, but enqueues after it must not */
    assert_int_equal(sync_level(f->st), 2);
    seen_t r = { 0 };
    assert_int_equal(outbox_peek(f->st, 0, 100, collect, &r), 3);
    assert_string_equal(r.ids[0], "b1");
    assert_string_equal(r.ids[1], "b2");
    assert_string_equal(r.ids[2], "a3");
    assert_int_equal(outbox_note_attempt(f->st, &r.rowids[0], 1), OBD_OK);
}

static void test_durable_across_reopen(void **state)
{
    fx_t *f = *state;
    outbox_msg_t m[100];
    char idb[100][16], pay[100][16];
    for (int i = 0; i < 100; i++) {
        snprintf(idb[i], 16, "m%03d", i);
        snprintf(pay[i], 16, "p%03d", i);
        m[i] = msg(idb[i], i % 2 ? "RO-1" : "RO-2", OUTBOX_PRIO_NORMAL, pay[i]);
    }
    assert_int_equal(outbox_enqueue_batch(f->st, m, 100, NULL, NULL), OBD_OK);
    store_close(f->st);
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
    outbox_stats_t st;
    assert_int_equal(outbox_stats(f->st, &st), OBD_OK);
    assert_int_equal(st.messages, 100);
    seen_t s = { 0 };
    assert_int_equal(outbox_peek(f->st, 0, 3, collect, &s), 3);
    assert_string_equal(s.ids[0], "m000");
    assert_string_equal(s.payloads[2], "p002");
}

static void test_bound_policy(void **state)
{
    fx_t *f = *state;
    outbox_limits_t lim = { .max_messages = 4, .max_bytes = 1 << 20 };
    /* given a full outbox: 3 health (low) + 1 scan (normal) */
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "h%d", i);
        outbox_msg_t m = msg(id, "", OUTBOX_PRIO_LOW, "{\"health\":1}");
        assert_int_equal(outbox_enqueue(f->st, &m, &lim, NULL), OBD_OK);
    }
    outbox_msg_t s0 = msg("s0", "RO-1", OUTBOX_PRIO_NORMAL, "{\"scan\":0}");
    assert_int_equal(outbox_enqueue(f->st, &s0, &lim, NULL), OBD_OK);
    /* a new health message is refused, clearly */
    outbox_msg_t h = msg("h9", "", OUTBOX_PRIO_LOW, "{\"health\":9}");
    assert_int_equal(outbox_enqueue(f->st, &h, &lim, NULL), OBD_ENOSPC);
    assert_non_null(strstr(store_errmsg(f->st), "outbox full"));
    /* scans evict the oldest health messages, never another scan */
    outbox_msg_t sc[3] = { msg("s1", "RO-1", OUTBOX_PRIO_NORMAL, "1"), msg("s2", "RO-2", OUTBOX_PRIO_NORMAL, "2"),
                           msg("s3", "RO-1", OUTBOX_PRIO_NORMAL, "3") };
    int64_t ev = 0;
    assert_int_equal(outbox_enqueue_batch(f->st, sc, 3, &lim, &ev), OBD_OK);
    assert_int_equal(ev, 3);
    seen_t s = { 0 };
    assert_int_equal(outbox_peek(f->st, 0, 100, collect, &s), 4);
    assert_string_equal(s.ids[0], "s0");
    assert_string_equal(s.ids[3], "s3");
    /* full of scans: the next scan is refused (nothing dropped) */
    outbox_msg_t s4 = msg("s4", "RO-3", OUTBOX_PRIO_NORMAL, "4");
    assert_int_equal(outbox_enqueue(f->st, &s4, &lim, NULL), OBD_ENOSPC);
    assert_non_null(strstr(store_errmsg(f->st), "outbox full"));
    /* a batch that does not fit is refused whole */
    assert_int_equal(outbox_enqueue_batch(f->st, sc, 1, &lim, NULL), OBD_OK); /* s1 again: no-op */
    outbox_stats_t st;
    assert_int_equal(outbox_stats(f->st, &st), OBD_OK);
    assert_int_equal(st.messages, 4);
    assert_int_equal(st.low_messages, 0);
    /* byte bound too */
    outbox_limits_t bl = { .max_messages = 1000, .max_bytes = st.bytes + 10 };
    outbox_msg_t big = msg("big", "", OUTBOX_PRIO_LOW, "0123456789abcdefghij");
    assert_int_equal(outbox_enqueue(f->st, &big, &bl, NULL), OBD_ENOSPC);
    /* too large for one message, or without an id: invalid */
    outbox_msg_t huge = msg("huge", "", OUTBOX_PRIO_NORMAL, "x");
    huge.len = OUTBOX_MAX_PAYLOAD + 1;
    assert_int_equal(outbox_enqueue(f->st, &huge, NULL, NULL), OBD_EINVAL);
    outbox_msg_t noid = msg("", "", OUTBOX_PRIO_NORMAL, "x");
    assert_int_equal(outbox_enqueue(f->st, &noid, NULL, NULL), OBD_EINVAL);
}

/* kill -9: a child enqueues batches and acks the oldest, reporting each
 * committed batch's last sequence number and each ack through a pipe. */
static void child(const char *path, int fd, int round)
{
    store_t *st;
    if (store_open(path, &st, NULL, 0))
        _exit(2);
    static char ids[50][OUTBOX_MSGID_LEN];
    outbox_msg_t m[50];
    for (int seq = 0;; seq++) {
        for (int i = 0; i < 50; i++) {
            snprintf(ids[i], sizeof ids[i], "r%d-b%d-%d", round, seq, i);
            m[i] = msg(ids[i], i % 3 ? "RO-X" : "RO-Y", OUTBOX_PRIO_NORMAL, "{\"payload\":\"scan-json-stand-in\"}");
        }
        if (outbox_enqueue_batch(st, m, 50, NULL, NULL))
            _exit(3);
        int32_t rep[2] = { 1, seq };
        if (write(fd, rep, sizeof rep) != sizeof rep)
            _exit(4);
    }
}

static void test_kill9(void **state)
{
    fx_t *f = *state;
    store_close(f->st);
    f->st = NULL;
    long reported = 0;
    for (int round = 0; round < 12; round++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child(f->path, p[1], round);
        }
        close(p[1]);
        struct timespec d = { 0, (10 + (round * 29) % 120) * 1000000L };
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        int32_t rep[2];
        int batches = 0;
        while (read(p[0], rep, sizeof rep) == (ssize_t)sizeof rep)
            batches++;
        close(p[0]);
        reported += batches;
        char err[256];
        store_t *st;
        assert_int_equal(store_open(f->path, &st, err, sizeof err), OBD_OK);
        assert_int_equal(store_integrity_check(st), OBD_OK);
        sqlite3 *db = store__db(st);
        sqlite3_stmt *q;
        /* every reported batch is whole; no batch is partial */
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM outbox WHERE msg_id LIKE 'r%d-b%%'", round);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        long n = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        assert_true(n == (long)batches * 50 || n == (long)(batches + 1) * 50);
        /* then ack everything of this round in two halves (drains like the daemon) */
        int64_t ids[256];
        size_t got;
        do {
            got = 0;
            assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM outbox ORDER BY id LIMIT 256", -1, &q, NULL),
                             SQLITE_OK);
            while (sqlite3_step(q) == SQLITE_ROW)
                ids[got++] = sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
            assert_int_equal(outbox_ack(st, ids, got), OBD_OK);
        } while (got);
        outbox_stats_t os;
        assert_int_equal(outbox_stats(st, &os), OBD_OK);
        assert_int_equal(os.messages, 0);
        store_close(st);
    }
    print_message("outbox kill -9 rounds: 12, batches reported committed: %ld\n", reported);
    assert_true(reported > 0);
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_order_and_ack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_durable_across_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bound_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill9, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
