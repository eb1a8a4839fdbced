/*
 * kill -9 in the middle of writing: a child saves scans, UDS scans and
 * recording batches in a loop and reports each committed scan id through a
 * pipe (UDS scan ids negated); the
 * parent SIGKILLs it after a varying delay, reopens the file and checks
 * that the database is intact, that every reported scan is there whole, and
 * that no half-written scan or batch exists. Many rounds on one file.
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
#include "obdgw/store.h"
#include "obdgw/store_uds.h"

#define VIN "LFV2A21K6M3012345"
#define ROUNDS 30

static obd_scan_t *make_scan(unsigned seed)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    snprintf(s->vin, sizeof s->vin, VIN);
    snprintf(s->link.adapter, sizeof s->link.adapter, "sim");
    s->link.battery_v = 12.5;
    s->started_ms = 1700000000000ULL + seed;
    s->necus = 2;
    for (size_t i = 0; i < 2; i++) {
        obd_ecu_scan_t *e = &s->ecus[i];
        e->addr = 0x7E8 + (uint32_t)i;
        e->stored.read = e->pending.read = e->permanent.read = true;
        e->stored.count = 3;
        for (int k = 0; k < 3; k++)
            e->stored.dtcs[k] = (obd_dtc_t)(0x0300 + k + (int)i);
        e->has_ff = i == 0;
        e->ff_dtc = 0x0301;
        e->nff = 4;
        for (int k = 0; k < 4; k++)
            e->ff[k] = (obd_pid_sample_t){ (uint8_t)(0x04 + k), 1, { (uint8_t)seed } };
        e->odometer_km = -1;
        e->warmups_since_clear = e->km_since_clear = e->min_since_clear = e->km_with_mil = e->min_with_mil = -1;
    }
    s->nraw = 20;
    for (size_t i = 0; i < 20; i++) {
        s->raw[i].reqlen = 2;
        s->raw[i].req[0] = 1;
        s->raw[i].addr = 0x7E8;
        s->raw[i].len = 40;
    }
    return s;
}

/* 40 probed modules, 5 answered with 4 DTCs and a record each. */
static uds_scan_t *make_uds(void)
{
    uds_scan_t *u = calloc(1, sizeof *u);
    for (uint32_t i = 0; i < 40; i++) {
        uds_module_t *m = &u->modules[u->nmodules++];
        m->tx_id = 0x700 + i;
        m->rx_id = 0x708 + i;
        if (i >= 5)
            continue;
        m->answered = true;
        m->state = UDS_MOD_OK;
        m->dtcs_read = true;
        m->ident_ok[0] = true;
        snprintf(m->ident[0], sizeof m->ident[0], VIN);
        for (uint32_t k = 0; k < 4; k++)
            m->dtcs[m->ndtcs++] = (uds_dtc_t){ 0x400011u + (k << 8), 0x2F };
        uds_scan_snap_t *r = uds_scan_add_record(u, m);
        assert_non_null(r);
        *r = (uds_scan_snap_t){ .module = r->module, .code = 0x400011, .record = 0x04, .len = 8 };
        u->nanswered++;
    }
    return u;
}

static void child(const char *path, int fd)
{
    store_t *st;
    if (store_open(path, &st, NULL, 0))
        _exit(2);
    obd_scan_t *s = make_scan((unsigned)getpid());
    uds_scan_t *u = make_uds();
    obd_live_sample_t x[500];
    for (int i = 0; i < 500; i++)
        x[i] = (obd_live_sample_t){ .addr = 0x7E8, .pid = 0x0C, .t_ms = (uint64_t)i, .len = 2, .data = { 0x1A, 0xF8 } };
    for (unsigned n = 0;; n++) {
        store_scan_meta_t m;
        memset(&m, 0, sizeof m);
        snprintf(m.ro, sizeof m.ro, "CRASH-1");
        m.stage = STORE_STAGE_RECEPTION;
        if (store_scan_save(st, s, &m))
            _exit(3);
        if (write(fd, &m.id, sizeof m.id) != sizeof m.id) /* only after the commit returned */
            _exit(4);
        store_uds_meta_t um;
        memset(&um, 0, sizeof um);
        snprintf(um.ro, sizeof um.ro, "CRASH-1");
        um.stage = STORE_STAGE_POST;
        if (store_uds_save(st, u, &um))
            _exit(8);
        int64_t neg = -um.id;
        if (write(fd, &neg, sizeof neg) != sizeof neg)
            _exit(9);
        if (n % 3 == 0) {
            store_rec_writer_t *w;
            if (store_rec_begin(st, "CRASH-1", "sim", (const uint8_t[]){ 0x0C }, 1, &w))
                _exit(5);
            for (int b = 0; b < 4; b++)
                if (store_rec_add(w, x, 500) || store_rec_flush(w))
                    _exit(6);
            if (store_rec_end(w, NULL))
                _exit(7);
        }
    }
}

static int64_t q1(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void test_kill9_rounds(void **state)
{
    (void)state;
    char dir[64] = "/tmp/obdgw-crash-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/store.db", dir);
    store_t *st;
    char err[256];
    assert_int_equal(store_open(path, &st, err, sizeof err), OBD_OK);
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "CRASH-1");
    snprintf(w.vin, sizeof w.vin, VIN);
    w.mileage_in_km = -1;
    assert_int_equal(store_wo_add(st, &w), OBD_OK);
    store_close(st);

    int64_t *ids = NULL;
    size_t nids = 0, cap = 0;
    long total_reported = 0;
    for (int round = 0; round < ROUNDS; round++) {
        size_t round_start = nids;
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child(path, p[1]);
        }
        close(p[1]);
        /* 5 .. 150 ms: kills land while opening, mid-scan, mid-batch, mid-commit */
        struct timespec d = { 0, (5 + (round * 37) % 146) * 1000000L };
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        int64_t id;
        ssize_t r;
        while ((r = read(p[0], &id, sizeof id)) == (ssize_t)sizeof id) {
            if (nids == cap) {
                cap = cap ? 2 * cap : 256;
                ids = realloc(ids, cap * sizeof *ids);
            }
            ids[nids++] = id;
            total_reported++;
        }
        close(p[0]);

        /* reopen: intact, every reported scan whole, nothing half-written */
        assert_int_equal(store_open(path, &st, err, sizeof err), OBD_OK);
        assert_int_equal(store_integrity_check(st), OBD_OK);
        sqlite3 *db = store__db(st);
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM scans s WHERE necus <>"
                                " (SELECT COUNT(*) FROM scan_ecus e WHERE e.scan_id = s.id AND e.answered = 1)"),
                         0);
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM scans s WHERE 20 <>"
                                " (SELECT COUNT(*) FROM scan_raw r WHERE r.scan_id = s.id)"),
                         0);
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM scan_ecus e WHERE e.answered = 1 AND 3 <>"
                                " (SELECT COUNT(*) FROM scan_dtc_reads d WHERE d.scan_id = e.scan_id AND d.idx = e.idx)"),
                         0);
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM scans s WHERE 6 <>"
                                " (SELECT COUNT(*) FROM scan_dtcs d WHERE d.scan_id = s.id AND d.kind = 'stored')"),
                         0);
        /* batches are whole too: a recording's counter matches its rows, in 500s */
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM recordings r WHERE samples <>"
                                " (SELECT COUNT(*) FROM rec_samples x WHERE x.rec_id = r.id) OR samples % 500 <> 0"),
                         0);
        /* every scan in the audit log exists (scan and audit entry commit together) */
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM audit a WHERE action = 'scan_save' AND NOT EXISTS"
                                " (SELECT 1 FROM scans s WHERE s.id = json_extract(a.details, '$.scan_id'))"),
                         0);
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM scans") , q1(db, "SELECT COUNT(*) FROM audit WHERE action = 'scan_save'"));
        /* UDS scans: whole (every probed module, every DTC), and audited in the same commit */
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM uds_scans s WHERE probed <>"
                                " (SELECT COUNT(*) FROM uds_modules m WHERE m.scan_id = s.id) OR answered <>"
                                " (SELECT COUNT(*) FROM uds_modules m WHERE m.scan_id = s.id AND m.answered = 1)"),
                         0);
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM uds_scans s WHERE 20 <>"
                                " (SELECT COUNT(*) FROM uds_dtcs d WHERE d.scan_id = s.id)"),
                         0);
        assert_int_equal(q1(db, "SELECT COUNT(*) FROM uds_scans"),
                         q1(db, "SELECT COUNT(*) FROM audit WHERE action = 'uds_scan_save'"));
        obd_scan_t *s = calloc(1, sizeof *s);
        uds_scan_t *u = calloc(1, sizeof *u);
        for (size_t i = round_start; i < nids; i++) {
            if (ids[i] < 0) {
                assert_int_equal(store_uds_load(st, -ids[i], u, NULL), OBD_OK);
                assert_int_equal(u->nmodules, 40);
                assert_int_equal(u->nanswered, 5);
                assert_int_equal(u->modules[4].ndtcs, 4);
                assert_int_equal(u->modules[4].nsnap, 1);
                continue;
            }
            assert_int_equal(store_scan_load(st, ids[i], s, NULL), OBD_OK);
            assert_int_equal(s->necus, 2);
            assert_int_equal(s->ecus[0].stored.count, 3);
            assert_int_equal(s->ecus[1].stored.count, 3);
            assert_true(s->ecus[0].has_ff);
            assert_int_equal(s->ecus[0].nff, 4);
            assert_int_equal(s->nraw, 20);
        }
        free(s);
        free(u);
        int64_t n, bad;
        assert_int_equal(store_audit_verify(st, &n, &bad), OBD_OK);
        store_close(st);
    }
    /* at the end, every scan ever reported is still there */
    assert_int_equal(store_open(path, &st, err, sizeof err), OBD_OK);
    for (size_t i = 0; i < nids; i++)
        assert_int_equal(ids[i] < 0 ? store_uds_load(st, -ids[i], NULL, NULL) : store_scan_load(st, ids[i], NULL, NULL),
                         OBD_OK);
    store_close(st);
    print_message("crash rounds: %d, scans reported saved: %ld\n", ROUNDS, total_reported);
    assert_true(total_reported > 0);
    free(ids);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill9_rounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
