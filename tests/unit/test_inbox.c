/* The inbound journal (src/store_inbox.c) and the DMS work-order path
 * (store_wo_apply): journaled messages survive a reopen and can be applied
 * and deleted one by one; msg_id is the idempotency key; a closed RO is
 * frozen; the audit entry keeps old and new values and the actor given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    snprintf(f->dir, sizeof f->dir, "/tmp/obdgw-inbox-XXXXXX");
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

typedef struct {
    store_t *st;
    int n;
    char payloads[8][64];
    bool retained[8];
} replay_t;

static int apply_and_delete(void *ctx, const inbox_msg_t *m)
{
    replay_t *r = ctx;
    if (r->n < 8) {
        snprintf(r->payloads[r->n], sizeof r->payloads[0], "%.*s", (int)m->len, (const char *)m->payload);
        r->retained[r->n] = m->retained;
    }
    r->n++;
    assert_int_equal(inbox_done(r->st, m->id), OBD_OK); /* on the same connection, mid-iteration */
    return 0;
}

static void test_journal_survives_reopen(void **state)
{
    fx_t *f = *state;
    const char *p[3] = { "{\"a\":1}", "{\"b\":2}", "{\"c\":3}" };
    for (int i = 0; i < 3; i++) {
        inbox_msg_t m = { .topic = "dms/v1/ws01/wo", .payload = p[i], .len = strlen(p[i]), .qos = 1,
                          .retained = i == 1, .response_topic = "" };
        int64_t id = 0;
        assert_int_equal(inbox_put(f->st, &m, &id), OBD_OK);
        assert_true(id > 0);
    }
    store_close(f->st);
    char err[256];
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), OBD_OK);
    int64_t n = 0;
    assert_int_equal(inbox_count(f->st, &n), OBD_OK);
    assert_int_equal(n, 3);
    replay_t r = { .st = f->st };
    assert_int_equal(inbox_pending(f->st, apply_and_delete, &r), 3);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.payloads[0], p[0]); /* oldest first */
    assert_string_equal(r.payloads[2], p[2]);
    assert_true(r.retained[1] && !r.retained[0]);
    assert_int_equal(inbox_count(f->st, &n), OBD_OK);
    assert_int_equal(n, 0);
}

static void test_apply_idempotent_frozen_audited(void **state)
{
    fx_t *f = *state;
    store_wo_t w;
    memset(&w, 0, sizeof w);
    w.mileage_in_km = -1;
    snprintf(w.ro, sizeof w.ro, "RO-7");
    snprintf(w.complaint, sizeof w.complaint, "noise");
    snprintf(w.technician, sizeof w.technician, "Wang");
    assert_int_equal(store_wo_apply(f->st, &w, "m-1", "dms:test"), OBD_OK);
    /* an update, then the open again with its msg_id: ignored */
    store_wo_t u;
    memset(&u, 0, sizeof u);
    u.mileage_in_km = 12000;
    snprintf(u.ro, sizeof u.ro, "RO-7");
    snprintf(u.complaint, sizeof u.complaint, "noise at 80 km/h");
    snprintf(u.technician, sizeof u.technician, "Mallory");
    assert_int_equal(store_wo_apply(f->st, &u, "m-2", "dms:test"), OBD_OK);
    store_wo_t again = w;
    snprintf(again.complaint, sizeof again.complaint, "noise");
    assert_int_equal(store_wo_apply(f->st, &again, "m-1", "dms:test"), STORE_WO_DUPLICATE);
    store_wo_t got;
    assert_int_equal(store_wo_get(f->st, "RO-7", &got), OBD_OK);
    assert_string_equal(got.complaint, "noise at 80 km/h");
    assert_int_equal(got.mileage_in_km, 12000);
    /* the audit entry of the update: old and new, the claim, the actor */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store__db(f->st),
                                        "SELECT actor, details FROM audit WHERE ro='RO-7' AND action='wo_update'", -1,
                                        &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "dms:test");
    const char *d = (const char *)sqlite3_column_text(s, 1);
    assert_non_null(strstr(d, "\"complaint\":{\"old\":\"noise\",\"new\":\"noise at 80 km/h\"}"));
    assert_non_null(strstr(d, "\"mileage_in_km\":{\"old\":-1,\"new\":12000}"));
    assert_non_null(strstr(d, "\"claimed_technician\":\"Mallory\""));
    assert_non_null(strstr(d, "\"msg_id\":\"m-2\""));
    sqlite3_finalize(s);
    /* close, then any change is refused */
    store_wo_t c;
    memset(&c, 0, sizeof c);
    c.mileage_in_km = -1;
    c.status = STORE_WO_CLOSED;
    snprintf(c.ro, sizeof c.ro, "RO-7");
    assert_int_equal(store_wo_apply(f->st, &c, "m-3", "dms:test"), OBD_OK);
    store_wo_t late = u;
    snprintf(late.complaint, sizeof late.complaint, "rewritten");
    assert_int_equal(store_wo_apply(f->st, &late, "m-4", "dms:test"), OBD_ESTATE);
    assert_non_null(strstr(store_errmsg(f->st), "is closed"));
    assert_int_equal(store_wo_get(f->st, "RO-7", &got), OBD_OK);
    assert_string_equal(got.complaint, "noise at 80 km/h");
    /* a refused message leaves its msg_id unseen: nothing was applied */
    assert_int_equal(store_wo_apply(f->st, &late, "m-4", "dms:test"), OBD_ESTATE);
    int64_t n = 0;
    assert_int_equal(store_audit_verify(f->st, &n, NULL), OBD_OK);
    assert_int_equal(n, 3); /* wo_add, wo_update, wo_close: none for the duplicate or the refusals */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_journal_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_idempotent_frozen_audited, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
