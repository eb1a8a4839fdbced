/*
 * Live recordings cut short (store.h, store_rec_close_interrupted; #19 item
 * 9): a recording whose owner process was killed is closed at its last
 * sample with state "interrupted", its statistics and an audit entry; one
 * whose owner still runs is never touched; a pid now used by another
 * process, another boot, and a recording an older obdgw left open (no
 * owner, idle for long) are closed too; a recent one without an owner is
 * left alone.
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
#include <unistd.h>

#include <cmocka.h>

#include "../../src/store_priv.h"
#include "obdgw/store.h"

typedef struct {
    char dir[64];
    char path[128];
    store_t *st;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/obdgw-recint-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    char err[256];
    if (store_open(f->path, &f->st, err, sizeof err))
        return -1;
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "RO-K");
    if (store_wo_add(f->st, &w))
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

static void rpm_samples(obd_live_sample_t *s, int n, uint64_t t0)
{
    for (int i = 0; i < n; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].addr = 0x7E8;
        s[i].t_ms = t0 + (uint64_t)i * 100;
        s[i].pid = 0x0C;
        s[i].len = 2;
        uint16_t raw = (uint16_t)((1000 + i * 10) * 4); /* 1000 .. rpm */
        s[i].data[0] = (uint8_t)(raw >> 8);
        s[i].data[1] = (uint8_t)raw;
    }
}

static sqlite3_int64 q1(store_t *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store__db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    sqlite3_int64 v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

typedef struct {
    int n;
    store_recording_t r[8];
    char ro[8][32];
    char why[8][160];
} seen_t;

static void on_closed(void *ctx, const store_recording_t *r, const char *ro, const char *why)
{
    seen_t *s = ctx;
    if (s->n < 8) {
        s->r[s->n] = *r;
        snprintf(s->ro[s->n], sizeof s->ro[0], "%s", ro ? ro : "");
        snprintf(s->why[s->n], sizeof s->why[0], "%s", why);
        s->n++;
    }
}

/* A child records 20 samples (flushed) and is killed with SIGKILL before
 * it ends the recording: the kill -9 of `obdgw live --record`. */
static void test_killed_owner_closed(void **state)
{
    fx_t *f = *state;
    int go[2];
    assert_int_equal(pipe(go), 0);
    uint64_t t0 = (uint64_t)store__now_ms(f->st);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        store_t *cst;
        char err[256];
        if (store_open(f->path, &cst, err, sizeof err))
            _exit(2);
        const uint8_t pids[1] = { 0x0C };
        store_rec_writer_t *w;
        if (store_rec_begin(cst, "RO-K", "sim", pids, 1, &w))
            _exit(3);
        obd_live_sample_t s[20];
        rpm_samples(s, 20, t0 + 50);
        if (store_rec_add(w, s, 20) || store_rec_flush(w))
            _exit(4);
        char c = 'x';
        if (write(go[1], &c, 1) != 1)
            _exit(5);
        pause(); /* recording, until killed */
        _exit(0);
    }
    close(go[1]);
    char c;
    assert_int_equal(read(go[0], &c, 1), 1);
    close(go[0]);
    /* the owner is alive: the recording is left alone */
    seen_t seen = { 0 };
    assert_int_equal(store_rec_close_interrupted(f->st, "tester", on_closed, &seen), 0);
    assert_int_equal(q1(f->st, "SELECT COUNT(*) FROM recordings WHERE state='recording' AND ended_ms=0"), 1);
    assert_int_equal(q1(f->st, "SELECT owner_pid FROM recordings"), pid);
    /* kill -9, not reaped yet (a zombie): gone all the same */
    kill(pid, SIGKILL);
    usleep(100 * 1000);
    assert_int_equal(store_rec_close_interrupted(f->st, "tester", on_closed, &seen), 1);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.r[0].state, "interrupted");
    assert_string_equal(seen.ro[0], "RO-K");
    assert_non_null(strstr(seen.why[0], "is gone"));
    assert_int_equal(seen.r[0].samples, 20);
    /* ended at its last sample: 50 + 19 * 100 ms after t0, never before the start */
    int64_t started = seen.r[0].started_ms;
    assert_true(seen.r[0].ended_ms >= started);
    assert_int_equal(seen.r[0].ended_ms, (int64_t)(t0 + 50 + 1900));
    /* statistics of the kept samples: rpm 1000 .. 1190 */
    assert_int_equal(q1(f->st, "SELECT n FROM rec_stats"), 20);
    assert_int_equal(q1(f->st, "SELECT CAST(min AS INTEGER) FROM rec_stats"), 1000);
    assert_int_equal(q1(f->st, "SELECT CAST(max AS INTEGER) FROM rec_stats"), 1190);
    /* audited; the chain holds */
    assert_int_equal(q1(f->st, "SELECT COUNT(*) FROM audit WHERE action='rec_interrupted' AND ro='RO-K' AND actor='tester'"),
                     1);
    int64_t n = 0, bad = 0;
    assert_int_equal(store_audit_verify(f->st, &n, &bad), OBD_OK);
    /* the listing shows the state; a second pass has nothing to do */
    assert_int_equal(store_rec_close_interrupted(f->st, "tester", on_closed, &seen), 0);
    assert_int_equal(seen.n, 1);
}

static void insert_open(store_t *st, int64_t id, int64_t started, int64_t pid, const char *boot, int64_t start)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO recordings(id, started_ms, adapter, pids, state, owner_pid, owner_boot, owner_start)"
             " VALUES(%lld, %lld, 'sim', '0C', 'recording', %lld, '%s', %lld)",
             (long long)id, (long long)started, (long long)pid, boot, (long long)start);
    assert_int_equal(sqlite3_exec(store__db(st), sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_owner_identity(void **state)
{
    fx_t *f = *state;
    int64_t now = store__now_ms(f->st);
    /* this process, as store_rec_begin records it: alive */
    const uint8_t pids[1] = { 0x0C };
    store_rec_writer_t *w;
    assert_int_equal(store_rec_begin(f->st, "", "sim", pids, 1, &w), OBD_OK);
    int64_t mine = q1(f->st, "SELECT MAX(id) FROM recordings");
    char boot[64] = "";
    FILE *b = fopen("/proc/sys/kernel/random/boot_id", "r");
    assert_non_null(b);
    assert_non_null(fgets(boot, sizeof boot, b));
    fclose(b);
    boot[strcspn(boot, "\n")] = 0;
    int64_t start = q1(f->st, "SELECT owner_start FROM recordings ORDER BY id DESC LIMIT 1");
    assert_true(start > 0);
    /* our pid with another start time: the pid was reused, the owner is gone */
    insert_open(f->st, 901, now - 5000, getpid(), boot, start + 1);
    /* another boot */
    insert_open(f->st, 902, now - 5000, getpid(), "00000000-0000-0000-0000-000000000000", start);
    /* an older obdgw's: no owner; one idle for an hour, one started a minute ago */
    insert_open(f->st, 903, now - 3600 * 1000, 0, "", 0);
    insert_open(f->st, 904, now - 60 * 1000, 0, "", 0);
    seen_t seen = { 0 };
    assert_int_equal(store_rec_close_interrupted(f->st, NULL, on_closed, &seen), 3);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.r[0].id, 901);
    assert_non_null(strstr(seen.why[0], "another process"));
    assert_int_equal(seen.r[1].id, 902);
    assert_non_null(strstr(seen.why[1], "restarted"));
    assert_int_equal(seen.r[2].id, 903);
    assert_non_null(strstr(seen.why[2], "older obdgw"));
    assert_int_equal(seen.r[2].ended_ms, seen.r[2].started_ms); /* no sample: ended at its start */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT state='recording' FROM recordings WHERE id=%lld", (long long)mine);
    assert_int_equal(q1(f->st, sql), 1);
    assert_int_equal(q1(f->st, "SELECT state='recording' FROM recordings WHERE id=904"), 1);
    assert_int_equal(q1(f->st, "SELECT COUNT(*) FROM audit WHERE action='rec_interrupted' AND actor='obdgw'"), 3);
    /* ending our own recording makes it done */
    store_recording_t r;
    assert_int_equal(store_rec_end(w, &r), OBD_OK);
    assert_string_equal(r.state, "done");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_killed_owner_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owner_identity, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
