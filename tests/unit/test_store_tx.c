/*
 * Evidence and its DMS message in one transaction (store_tx_begin/commit,
 * store.h; the rule is in outbox.h): both or neither after a rollback or a
 * kill -9 at any point between the two writes; a refused message (outbox
 * full) never costs the evidence; a failing write inside undoes only its
 * own part.
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

#define VIN "LFV2A21K6M3012345"

typedef struct {
    char dir[64];
    char path[128];
    store_t *st;
    obd_scan_t *scan;
} fx_t;

static obd_scan_t *make_scan(void)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    snprintf(s->vin, sizeof s->vin, VIN);
    snprintf(s->link.adapter, sizeof s->link.adapter, "sim");
    s->link.battery_v = 12.4;
    s->started_ms = 1700000000000ULL;
    s->necus = 1;
    obd_ecu_scan_t *e = &s->ecus[0];
    e->addr = 0x7E8;
    e->stored.read = e->pending.read = e->permanent.read = true;
    e->stored.count = 1;
    e->stored.dtcs[0] = (obd_dtc_t)0x0420;
    e->odometer_km = -1;
    e->warmups_since_clear = e->km_since_clear = e->min_since_clear = e->km_with_mil = e->min_with_mil = -1;
    return s;
}

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/obdgw-storetx-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    char err[256];
    if (store_open(f->path, &f->st, err, sizeof err))
        return -1;
    f->scan = make_scan();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    store_close(f->st);
    free(f->scan);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static int64_t count(store_t *st, const char *sql)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(store__db(st), sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return n;
}

/* The daemon's pair: save the scan, then queue "scan-<id>" for the DMS. */
static int save_scan(store_t *st, const obd_scan_t *s, int64_t *id)
{
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    m.stage = STORE_STAGE_ADHOC;
    m.mileage_km = -1;
    int rc = store_scan_save(st, s, &m);
    *id = m.id;
    return rc;
}

static int queue_scan(store_t *st, int64_t id, const outbox_limits_t *lim)
{
    outbox_msg_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.msg_id, sizeof m.msg_id, "scan-%lld", (long long)id);
    snprintf(m.topic, sizeof m.topic, "obdgw/v1/ws01/scan");
    m.payload = "{\"scan\":1}";
    m.len = strlen(m.payload);
    m.qos = 1;
    m.prio = OUTBOX_PRIO_NORMAL;
    return outbox_enqueue(st, &m, lim, NULL);
}

static void test_pair_commits_together(void **state)
{
    fx_t *f = *state;
    int64_t id = 0;
    /* given one transaction around the scan and its message */
    assert_int_equal(store_tx_begin(f->st), OBD_OK);
    assert_int_equal(save_scan(f->st, f->scan, &id), OBD_OK);
    assert_true(id > 0);
    assert_int_equal(queue_scan(f->st, id, NULL), OBD_OK);
    assert_int_equal(store_tx_commit(f->st), OBD_OK);
    /* then both are there, durable across a reopen */
    store_close(f->st);
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox"), 1);
    assert_int_equal(store_scan_load(f->st, id, NULL, NULL), OBD_OK);
    /* and the store is back to one transaction per call */
    assert_int_equal(queue_scan(f->st, id + 1000, NULL), OBD_OK);
    assert_int_equal(store_tx_commit(f->st), OBD_EINVAL); /* none open */
}

static void test_rollback_leaves_neither(void **state)
{
    fx_t *f = *state;
    int64_t id = 0;
    assert_int_equal(store_tx_begin(f->st), OBD_OK);
    assert_int_equal(save_scan(f->st, f->scan, &id), OBD_OK);
    assert_int_equal(queue_scan(f->st, id, NULL), OBD_OK);
    /* inside, the transaction sees its own rows */
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox"), 1);
    store_tx_rollback(f->st);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit"), 0);
    /* a second transaction works normally */
    assert_int_equal(store_tx_begin(f->st), OBD_OK);
    assert_int_equal(save_scan(f->st, f->scan, &id), OBD_OK);
    assert_int_equal(queue_scan(f->st, id, NULL), OBD_OK);
    assert_int_equal(store_tx_commit(f->st), OBD_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox"), 1);
}

static void test_outbox_full_keeps_evidence(void **state)
{
    fx_t *f = *state;
    /* given an outbox full of scans the broker has not taken */
    outbox_limits_t lim = { .max_messages = 100, .max_bytes = 1 << 20 };
    for (int i = 0; i < 100; i++)
        assert_int_equal(queue_scan(f->st, 900000 + i, &lim), OBD_OK);
    int64_t id = 0;
    assert_int_equal(store_tx_begin(f->st), OBD_OK);
    assert_int_equal(save_scan(f->st, f->scan, &id), OBD_OK);
    /* when the message is refused inside the transaction */
    assert_int_equal(queue_scan(f->st, id, &lim), OBD_ENOSPC);
    assert_non_null(strstr(store_errmsg(f->st), "outbox full"));
    /* the scan still commits; the outbox is unchanged, nothing half-queued */
    assert_int_equal(store_tx_commit(f->st), OBD_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 1);
    assert_int_equal(store_scan_load(f->st, id, NULL, NULL), OBD_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox"), 100);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM outbox WHERE msg_id='scan-%lld'", (long long)id);
    assert_int_equal(count(f->st, sql), 0);
}

static void test_failed_write_undoes_only_itself(void **state)
{
    fx_t *f = *state;
    int64_t id = 0;
    assert_int_equal(store_tx_begin(f->st), OBD_OK);
    assert_int_equal(queue_scan(f->st, 1, NULL), OBD_OK);
    /* a scan for an RO that does not exist fails inside the transaction */
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.ro, sizeof m.ro, "RO-NOPE");
    m.stage = STORE_STAGE_RECEPTION;
    assert_int_equal(store_scan_save(f->st, f->scan, &m), OBD_ENOTFOUND);
    /* the earlier write of the transaction is intact and commits */
    assert_int_equal(save_scan(f->st, f->scan, &id), OBD_OK);
    assert_int_equal(store_tx_commit(f->st), OBD_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM scans"), 1);
    assert_int_equal(store_integrity_check(f->st), OBD_OK);
}

/* ---- kill -9 between the two writes ----
 * The child does the pair step by step and reports each step through a pipe;
 * it then blocks until the parent lets it go on (or kills it). */
enum { AT_SCAN_SAVED = 1, AT_MSG_QUEUED = 2, AT_COMMITTED = 3 };

static void step_child(const char *path, int rep, int go)
{
    store_t *st;
    if (store_open(path, &st, NULL, 0))
        _exit(2);
    obd_scan_t *s = make_scan();
    int64_t id = 0;
    char c;
    int8_t at;
    if (store_tx_begin(st) || save_scan(st, s, &id))
        _exit(3);
    at = AT_SCAN_SAVED;
    if (write(rep, &at, 1) != 1 || read(go, &c, 1) != 1)
        _exit(4);
    if (queue_scan(st, id, NULL))
        _exit(5);
    at = AT_MSG_QUEUED;
    if (write(rep, &at, 1) != 1 || read(go, &c, 1) != 1)
        _exit(4);
    if (store_tx_commit(st))
        _exit(6);
    at = AT_COMMITTED;
    if (write(rep, &at, 1) != 1 || read(go, &c, 1) != 1)
        _exit(4);
    _exit(0);
}

static void test_kill9_between_writes(void **state)
{
    fx_t *f = *state;
    store_close(f->st);
    f->st = NULL;
    int64_t want_scans = 0;
    for (int8_t kill_at = AT_SCAN_SAVED; kill_at <= AT_COMMITTED; kill_at++) {
        int rep[2], go[2];
        assert_int_equal(pipe(rep), 0);
        assert_int_equal(pipe(go), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(rep[0]);
            close(go[1]);
            step_child(f->path, rep[1], go[0]);
        }
        close(rep[1]);
        close(go[0]);
        int8_t at = 0;
        while (read(rep[0], &at, 1) == 1 && at < kill_at)
            assert_int_equal(write(go[1], "g", 1), 1);
        assert_int_equal(at, kill_at);
        /* the fault: the process dies right here */
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status));
        close(rep[0]);
        close(go[1]);
        char err[256];
        store_t *st;
        assert_int_equal(store_open(f->path, &st, err, sizeof err), OBD_OK);
        assert_int_equal(store_integrity_check(st), OBD_OK);
        if (kill_at == AT_COMMITTED)
            want_scans++;
        /* both or neither: the scans and their messages pair up exactly */
        assert_int_equal(count(st, "SELECT COUNT(*) FROM scans"), want_scans);
        assert_int_equal(count(st, "SELECT COUNT(*) FROM outbox"), want_scans);
        assert_int_equal(count(st, "SELECT COUNT(*) FROM scans s WHERE NOT EXISTS"
                                   " (SELECT 1 FROM outbox o WHERE o.msg_id = 'scan-' || s.id)"),
                         0);
        store_close(st);
    }
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
}

/* Random moments: a child saves pairs in a loop; killed after a varying
 * delay, every scan on disk has its message and every message its scan. */
static void loop_child(const char *path)
{
    store_t *st;
    if (store_open(path, &st, NULL, 0))
        _exit(2);
    obd_scan_t *s = make_scan();
    for (;;) {
        int64_t id = 0;
        if (store_tx_begin(st) || save_scan(st, s, &id) || queue_scan(st, id, NULL) || store_tx_commit(st))
            _exit(3);
    }
}

static void test_kill9_random(void **state)
{
    fx_t *f = *state;
    store_close(f->st);
    f->st = NULL;
    int64_t scans = 0;
    for (int round = 0; round < 10; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            loop_child(f->path);
        struct timespec d = { 0, (15 + (round * 37) % 90) * 1000000L };
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status));
        char err[256];
        store_t *st;
        assert_int_equal(store_open(f->path, &st, err, sizeof err), OBD_OK);
        assert_int_equal(store_integrity_check(st), OBD_OK);
        scans = count(st, "SELECT COUNT(*) FROM scans");
        assert_int_equal(count(st, "SELECT COUNT(*) FROM outbox"), scans);
        assert_int_equal(count(st, "SELECT COUNT(*) FROM scans s WHERE NOT EXISTS"
                                   " (SELECT 1 FROM outbox o WHERE o.msg_id = 'scan-' || s.id)"),
                         0);
        store_close(st);
    }
    print_message("store tx kill -9: 10 rounds, %lld scan+message pairs, none unpaired\n", (long long)scans);
    assert_true(scans > 0);
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pair_commits_together, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_neither, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_full_keeps_evidence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_undoes_only_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill9_between_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill9_random, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
