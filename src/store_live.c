/*
 * store_live.c — live-data recordings: a batched writer (one transaction per
 * 4096 samples or 250 ms), per-PID/field statistics kept while recording and
 * stored at the end, and reading samples back.
 *
 * Rows are (rec_id, seq, t_off, ecu, pid, data) in a WITHOUT ROWID table
 * keyed by (rec_id, seq): a recording's samples sit together on disk and a
 * row stays around 20 bytes (t_off is ms from the recording's start).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "obdgw/pid.h"
#include "store_priv.h"

#define REC_BATCH 4096
#define REC_FLUSH_MS 250

typedef struct {
    int64_t n;
    double min, max, sum;
} field_acc_t;

typedef struct {
    uint32_t ecu;
    uint8_t pid;
    uint8_t nfields;
    field_acc_t f[OBD_PID_MAX_FIELDS];
} pid_acc_t;

typedef struct {
    uint64_t t_ms;
    uint32_t ecu;
    char id[64];
    bool numeric;
    double value;
    char text[48];
} sig_row_t;

typedef struct {
    char id[64], name[96], unit[24];
    uint32_t ecu;
    int64_t n;
    double min, max, sum;
} sig_acc_t;

struct store_rec_writer {
    store_t *st;
    int64_t id;
    int64_t t0;          /* recordings.started_ms */
    int64_t seq;         /* next row number */
    int64_t written;     /* samples committed */
    obd_live_sample_t *buf;
    size_t n;
    int64_t last_flush;  /* monotonic ms */
    pid_acc_t *acc;
    size_t nacc, capacc;
    size_t last_acc;     /* most samples repeat the previous (ecu, pid) pattern: start the search there */
    sig_row_t *srows;    /* queued OEM signal values */
    size_t nsrows;
    sig_acc_t *sacc;
    size_t nsacc, capsacc;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------------- the recording's owner ----------------
 * A recording belongs to the process writing it: its pid, this boot's id
 * and the process's start time (clock ticks after boot, /proc/PID/stat
 * field 22), so a pid reused by another process is not taken for it. */

static void boot_id(char *out, size_t cap)
{
    out[0] = 0;
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (!f)
        return;
    if (fgets(out, (int)cap, f))
        out[strcspn(out, "\r\n")] = 0;
    else
        out[0] = 0;
    fclose(f);
}

/* 1: process `pid` runs (not a zombie) with start time *start; 0: no such
 * process; -1: unknown (no /proc). */
static int proc_start(long pid, long long *start)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        FILE *self = fopen("/proc/self/stat", "r");
        if (!self)
            return -1;
        fclose(self);
        return 0;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces and ')' */
    if (!p)
        return -1;
    char state = 0;
    long long v = 0;
    /* after ") ": field 3 (state) ... field 22 (starttime) */
    if (sscanf(p + 1, " %c", &state) != 1)
        return -1;
    const char *q = p + 2;
    for (int field = 3; field < 22 && q; field++) {
        q = strchr(q, ' ');
        if (q)
            q++;
    }
    if (!q || sscanf(q, "%lld", &v) != 1)
        return -1;
    if (state == 'Z' || state == 'X')
        return 0; /* exited, not yet reaped */
    *start = v;
    return 1;
}

/* Is the owner of an open recording still there? `why` says why not. */
static bool owner_alive(int64_t pid, const char *boot, int64_t start, int64_t last_ms, int64_t now_ms, char *why,
                        size_t cap)
{
    if (!pid) { /* left open by an obdgw before schema 9: no owner known */
        if (now_ms - last_ms > STORE_REC_LEGACY_IDLE_MS) {
            snprintf(why, cap, "no sample for %lld s and no owner recorded (an older obdgw)",
                     (long long)((now_ms - last_ms) / 1000));
            return false;
        }
        return true;
    }
    char cur[64];
    boot_id(cur, sizeof cur);
    if (boot[0] && cur[0] && strcmp(boot, cur)) {
        snprintf(why, cap, "the machine restarted since (process %lld of an earlier boot)", (long long)pid);
        return false;
    }
    long long st = 0;
    int r = proc_start((long)pid, &st);
    if (r == 0) {
        snprintf(why, cap, "its process %lld is gone", (long long)pid);
        return false;
    }
    if (r == 1 && start && st != start) {
        snprintf(why, cap, "its process %lld is gone (the pid now belongs to another process)", (long long)pid);
        return false;
    }
    return true; /* running, or cannot tell: never close a recording that may be live */
}

int store_rec_begin(store_t *st, const char *ro, const char *adapter, const uint8_t *pids, size_t npids,
                    store_rec_writer_t **w)
{
    if (!st || !w || (npids && !pids))
        return OBD_EINVAL;
    *w = NULL;
    store_rec_writer_t *r = calloc(1, sizeof *r);
    if (r)
        r->buf = malloc(REC_BATCH * sizeof *r->buf);
    if (!r || !r->buf) {
        if (r)
            free(r);
        return store__err(st, OBD_EINVAL, "out of memory");
    }
    char list[128] = "";
    for (size_t i = 0; i < npids && strlen(list) + 4 < sizeof list; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%02X", i ? " " : "", pids[i]);
    int rc = store__begin(st);
    if (rc)
        goto fail;
    store_wo_t wo;
    wo.id = 0;
    if (ro && *ro && (rc = store__wo_open(st, ro, &wo))) {
        store__rollback(st);
        goto fail;
    }
    r->t0 = store__now_ms(st);
    char boot[64];
    long long me = 0;
    boot_id(boot, sizeof boot);
    if (proc_start((long)getpid(), &me) != 1)
        me = 0;
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO recordings(wo_id, started_ms, adapter, pids, state, owner_pid,"
                                      " owner_boot, owner_start) VALUES(?,?,?,?,'recording',?,?,?)");
    if (!s) {
        rc = OBD_EDB;
        store__rollback(st);
        goto fail;
    }
    if (wo.id)
        sqlite3_bind_int64(s, 1, wo.id);
    sqlite3_bind_int64(s, 2, r->t0);
    store__bind_text(s, 3, adapter);
    store__bind_text(s, 4, list);
    sqlite3_bind_int64(s, 5, (int64_t)getpid());
    store__bind_text(s, 6, boot);
    sqlite3_bind_int64(s, 7, me);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "start recording");
        store__rollback(st);
        goto fail;
    }
    r->id = sqlite3_last_insert_rowid(st->db);
    if ((rc = store__commit(st)))
        goto fail;
    r->st = st;
    r->last_flush = mono_ms();
    *w = r;
    return OBD_OK;
fail:
    free(r->buf);
    free(r);
    return rc;
}

static pid_acc_t *acc_for(store_rec_writer_t *w, uint32_t ecu, uint8_t pid)
{
    for (size_t k = 0; k < w->nacc; k++) {
        size_t i = (w->last_acc + k) % w->nacc;
        if (w->acc[i].ecu == ecu && w->acc[i].pid == pid) {
            w->last_acc = (i + 1) % w->nacc;
            return &w->acc[i];
        }
    }
    if (w->nacc == w->capacc) {
        size_t cap = w->capacc ? 2 * w->capacc : 16;
        pid_acc_t *n = realloc(w->acc, cap * sizeof *n);
        if (!n)
            return NULL;
        w->acc = n;
        w->capacc = cap;
    }
    pid_acc_t *a = &w->acc[w->nacc++];
    memset(a, 0, sizeof *a);
    a->ecu = ecu;
    a->pid = pid;
    return a;
}

/* Numeric, available fields only (flags, enums and bitmaps have no mean). */
static void account(store_rec_writer_t *w, const obd_live_sample_t *s)
{
    obd_value_t v[OBD_PID_MAX_FIELDS];
    int nv = obd_pid_decode(s->pid, s->data, s->len, v, OBD_PID_MAX_FIELDS);
    if (nv <= 0)
        return;
    pid_acc_t *a = acc_for(w, s->addr, s->pid);
    if (!a)
        return;
    for (int i = 0; i < nv; i++) {
        if (!v[i].available || (v[i].field->kind != OBD_FK_UNSIGNED && v[i].field->kind != OBD_FK_SIGNED))
            continue;
        field_acc_t *f = &a->f[i];
        if (!f->n || v[i].value < f->min)
            f->min = v[i].value;
        if (!f->n || v[i].value > f->max)
            f->max = v[i].value;
        f->sum += v[i].value;
        f->n++;
        if (i + 1 > a->nfields)
            a->nfields = (uint8_t)(i + 1);
    }
}

int store_rec_flush(store_rec_writer_t *w)
{
    if (!w)
        return OBD_EINVAL;
    store_t *st = w->st;
    w->last_flush = mono_ms();
    if (!w->n && !w->nsrows)
        return OBD_OK;
    int rc = store__begin(st);
    if (rc)
        return rc;
    if (w->nsrows) {
        sqlite3_stmt *q = store__stmt(st, "INSERT INTO rec_signals(rec_id, seq, t_off, ecu, signal, value, text)"
                                          " VALUES(?,?,?,?,?,?,?)");
        if (!q) {
            store__rollback(st);
            return OBD_EDB;
        }
        for (size_t i = 0; i < w->nsrows; i++) {
            const sig_row_t *x = &w->srows[i];
            sqlite3_bind_int64(q, 1, w->id);
            sqlite3_bind_int64(q, 2, w->seq + (int64_t)w->n + (int64_t)i);
            sqlite3_bind_int64(q, 3, (int64_t)x->t_ms - w->t0);
            sqlite3_bind_int64(q, 4, x->ecu);
            store__bind_text(q, 5, x->id);
            if (x->numeric)
                sqlite3_bind_double(q, 6, x->value);
            else
                sqlite3_bind_null(q, 6);
            store__bind_text(q, 7, x->text);
            if (sqlite3_step(q) != SQLITE_DONE) {
                rc = store__dberr(st, "save signal values");
                sqlite3_reset(q);
                store__rollback(st);
                return rc;
            }
            sqlite3_reset(q);
        }
    }
    sqlite3_stmt *s = store__stmt(st, "INSERT INTO rec_samples(rec_id, seq, t_off, ecu, pid, data) VALUES(?,?,?,?,?,?)");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    sqlite3_bind_int64(s, 1, w->id);
    for (size_t i = 0; i < w->n; i++) {
        const obd_live_sample_t *x = &w->buf[i];
        sqlite3_bind_int64(s, 2, w->seq + (int64_t)i);
        sqlite3_bind_int64(s, 3, (int64_t)x->t_ms - w->t0);
        sqlite3_bind_int64(s, 4, x->addr);
        sqlite3_bind_int(s, 5, x->pid);
        sqlite3_bind_blob(s, 6, x->data, x->len > 8 ? 8 : x->len, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = store__dberr(st, "save samples");
            sqlite3_reset(s);
            store__rollback(st);
            return rc; /* the batch stays queued: a later flush may succeed */
        }
        sqlite3_reset(s);
    }
    s = store__stmt(st, "UPDATE recordings SET samples = samples + ? WHERE id = ?");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    sqlite3_bind_int64(s, 1, (int64_t)(w->n + w->nsrows));
    sqlite3_bind_int64(s, 2, w->id);
    int sr = sqlite3_step(s);
    sqlite3_reset(s);
    if (sr != SQLITE_DONE) {
        rc = store__dberr(st, "save samples");
        store__rollback(st);
        return rc;
    }
    if ((rc = store__commit(st)))
        return rc;
    w->seq += (int64_t)(w->n + w->nsrows);
    w->written += (int64_t)(w->n + w->nsrows);
    w->n = 0;
    w->nsrows = 0;
    return OBD_OK;
}

int store_rec_add(store_rec_writer_t *w, const obd_live_sample_t *s, size_t n)
{
    if (!w || (n && !s))
        return OBD_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (w->n == REC_BATCH) {
            int rc = store_rec_flush(w);
            if (rc)
                return rc;
        }
        obd_live_sample_t *d = &w->buf[w->n++];
        *d = s[i];
        if (d->len > sizeof d->data)
            d->len = sizeof d->data;
        account(w, d);
    }
    if (w->n && mono_ms() - w->last_flush >= REC_FLUSH_MS)
        return store_rec_flush(w);
    return OBD_OK;
}

int store_rec_add_signal(store_rec_writer_t *w, uint64_t t_ms, uint32_t ecu, const char *id, const char *name,
                         const char *unit, bool numeric, double value, const char *text)
{
    if (!w || !id)
        return OBD_EINVAL;
    if (!w->srows && !(w->srows = malloc(REC_BATCH * sizeof *w->srows)))
        return store__err(w->st, OBD_EINVAL, "out of memory");
    if (w->nsrows == REC_BATCH) {
        int rc = store_rec_flush(w);
        if (rc)
            return rc;
    }
    sig_row_t *r = &w->srows[w->nsrows++];
    memset(r, 0, sizeof *r);
    r->t_ms = t_ms;
    r->ecu = ecu;
    snprintf(r->id, sizeof r->id, "%s", id);
    r->numeric = numeric;
    r->value = value;
    snprintf(r->text, sizeof r->text, "%s", text ? text : "");
    sig_acc_t *a = NULL;
    for (size_t i = 0; i < w->nsacc && !a; i++)
        if (!strcmp(w->sacc[i].id, r->id))
            a = &w->sacc[i];
    if (!a) {
        if (w->nsacc == w->capsacc) {
            size_t cap = w->capsacc ? 2 * w->capsacc : 16;
            sig_acc_t *n = realloc(w->sacc, cap * sizeof *n);
            if (!n)
                return store__err(w->st, OBD_EINVAL, "out of memory");
            w->sacc = n;
            w->capsacc = cap;
        }
        a = &w->sacc[w->nsacc++];
        memset(a, 0, sizeof *a);
        snprintf(a->id, sizeof a->id, "%s", r->id);
        snprintf(a->name, sizeof a->name, "%s", name ? name : "");
        snprintf(a->unit, sizeof a->unit, "%s", unit ? unit : "");
        a->ecu = ecu;
    }
    if (numeric) {
        if (!a->n || value < a->min)
            a->min = value;
        if (!a->n || value > a->max)
            a->max = value;
        a->sum += value;
        a->n++;
    }
    if (mono_ms() - w->last_flush >= REC_FLUSH_MS)
        return store_rec_flush(w);
    return OBD_OK;
}

static int write_stats(store_t *st, const store_rec_writer_t *w);

#define REC_COLS "id, COALESCE(wo_id, 0), started_ms, ended_ms, adapter, pids, samples, state"

static void rec_row(sqlite3_stmt *s, store_recording_t *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(s, 0);
    r->wo_id = sqlite3_column_int64(s, 1);
    r->started_ms = sqlite3_column_int64(s, 2);
    r->ended_ms = sqlite3_column_int64(s, 3);
    store__col_text(s, 4, r->adapter, sizeof r->adapter);
    store__col_text(s, 5, r->pids, sizeof r->pids);
    r->samples = sqlite3_column_int64(s, 6);
    store__col_text(s, 7, r->state, sizeof r->state);
}

static void rec_load(store_t *st, int64_t id, store_recording_t *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = store__stmt(st, "SELECT " REC_COLS " FROM recordings WHERE id=?");
    if (!s)
        return;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW)
        rec_row(s, out);
    sqlite3_reset(s);
}

static void rec_free(store_rec_writer_t *w)
{
    free(w->srows);
    free(w->sacc);
    free(w->buf);
    free(w->acc);
    free(w);
}

int store_rec_end(store_rec_writer_t *w, store_recording_t *out)
{
    if (!w)
        return OBD_EINVAL;
    store_t *st = w->st;
    int rc = store_rec_flush(w);
    if (rc) {
        rec_free(w); /* the writer is gone either way; what was flushed stays */
        return rc;
    }
    if ((rc = store__begin(st))) {
        rec_free(w);
        return rc;
    }
    rc = write_stats(st, w);
    int64_t ended = store__now_ms(st);
    if (!rc) {
        sqlite3_stmt *s = store__stmt(st, "UPDATE recordings SET ended_ms=?, samples=?, state='done' WHERE id=?");
        if (!s)
            rc = OBD_EDB;
        else {
            sqlite3_bind_int64(s, 1, ended > w->t0 ? ended : w->t0);
            sqlite3_bind_int64(s, 2, w->written);
            sqlite3_bind_int64(s, 3, w->id);
            if (sqlite3_step(s) != SQLITE_DONE)
                rc = store__dberr(st, "finish recording");
            sqlite3_reset(s);
        }
    }
    if (rc)
        store__rollback(st);
    else
        rc = store__commit(st);
    if (!rc && out)
        rec_load(st, w->id, out);
    rec_free(w);
    return rc;
}

/* The per-PID statistics of what `w` accounted (inside a transaction). */
static int write_stats(store_t *st, const store_rec_writer_t *w)
{
    int rc = OBD_OK;
    for (size_t i = 0; i < w->nacc && !rc; i++) {
        const pid_acc_t *a = &w->acc[i];
        for (int f = 0; f < a->nfields && !rc; f++) {
            if (!a->f[f].n)
                continue;
            sqlite3_stmt *s = store__stmt(st, "INSERT OR REPLACE INTO rec_stats(rec_id, ecu, pid, field, n, min, max, mean)"
                                              " VALUES(?,?,?,?,?,?,?,?)");
            if (!s) {
                rc = OBD_EDB;
                break;
            }
            sqlite3_bind_int64(s, 1, w->id);
            sqlite3_bind_int64(s, 2, a->ecu);
            sqlite3_bind_int(s, 3, a->pid);
            sqlite3_bind_int(s, 4, f);
            sqlite3_bind_int64(s, 5, a->f[f].n);
            sqlite3_bind_double(s, 6, a->f[f].min);
            sqlite3_bind_double(s, 7, a->f[f].max);
            sqlite3_bind_double(s, 8, a->f[f].sum / (double)a->f[f].n);
            if (sqlite3_step(s) != SQLITE_DONE)
                rc = store__dberr(st, "save recording stats");
            sqlite3_reset(s);
        }
    }
    for (size_t i = 0; i < w->nsacc && !rc; i++) {
        const sig_acc_t *a = &w->sacc[i];
        sqlite3_stmt *s = store__stmt(st, "INSERT OR REPLACE INTO rec_signal_stats(rec_id, signal, name, unit, ecu, n,"
                                          " min, max, mean) VALUES(?,?,?,?,?,?,?,?,?)");
        if (!s) {
            rc = OBD_EDB;
            break;
        }
        sqlite3_bind_int64(s, 1, w->id);
        store__bind_text(s, 2, a->id);
        store__bind_text(s, 3, a->name);
        store__bind_text(s, 4, a->unit);
        sqlite3_bind_int64(s, 5, a->ecu);
        sqlite3_bind_int64(s, 6, a->n);
        if (a->n) {
            sqlite3_bind_double(s, 7, a->min);
            sqlite3_bind_double(s, 8, a->max);
            sqlite3_bind_double(s, 9, a->sum / (double)a->n);
        }
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store__dberr(st, "save signal stats");
        sqlite3_reset(s);
    }
    return rc;
}

/* ---------------- reading ---------------- */

int store_rec_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_recording_t *r), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    store_wo_t wo;
    bool unattached = !ro || !*ro; /* "" lists recordings not tied to an RO */
    int rc;
    if (!unattached && (rc = store__wo_by_ro(st, ro, &wo)))
        return rc;
    sqlite3_stmt *s;
    const char *sql = unattached ? "SELECT " REC_COLS " FROM recordings WHERE wo_id IS NULL ORDER BY started_ms, id"
                                 : "SELECT " REC_COLS " FROM recordings WHERE wo_id=? ORDER BY started_ms, id";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "list recordings");
    if (!unattached)
        sqlite3_bind_int64(s, 1, wo.id);
    int sr;
    store_recording_t r;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        rec_row(s, &r);
        if (fn(ctx, &r))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "list recordings");
    sqlite3_finalize(s);
    return rc;
}

static int rec_start(store_t *st, int64_t rec_id, int64_t *t0)
{
    sqlite3_stmt *s = store__stmt(st, "SELECT started_ms FROM recordings WHERE id=?");
    if (!s)
        return OBD_EDB;
    sqlite3_bind_int64(s, 1, rec_id);
    int sr = sqlite3_step(s);
    if (sr == SQLITE_ROW)
        *t0 = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (sr == SQLITE_DONE)
        return store__err(st, OBD_ENOTFOUND, "recording %lld not found", (long long)rec_id);
    return sr == SQLITE_ROW ? OBD_OK : store__dberr(st, "read recording");
}

int store_rec_stats(store_t *st, int64_t rec_id, int (*fn)(void *ctx, const store_rec_stat_t *s), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    int64_t t0;
    int rc = rec_start(st, rec_id, &t0);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT ecu, pid, field, n, min, max, mean FROM rec_stats WHERE rec_id=?"
                                   " ORDER BY ecu, pid, field", -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "read recording stats");
    sqlite3_bind_int64(s, 1, rec_id);
    int sr;
    store_rec_stat_t x;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&x, 0, sizeof x);
        x.ecu = (uint32_t)sqlite3_column_int64(s, 0);
        x.pid = (uint8_t)sqlite3_column_int(s, 1);
        x.field = (uint8_t)sqlite3_column_int(s, 2);
        x.n = sqlite3_column_int64(s, 3);
        x.min = sqlite3_column_double(s, 4);
        x.max = sqlite3_column_double(s, 5);
        x.mean = sqlite3_column_double(s, 6);
        if (fn(ctx, &x))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "read recording stats");
    sqlite3_finalize(s);
    return rc;
}

int store_rec_samples(store_t *st, int64_t rec_id, int (*fn)(void *ctx, const obd_live_sample_t *s), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    int64_t t0;
    int rc = rec_start(st, rec_id, &t0);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT t_off, ecu, pid, data FROM rec_samples WHERE rec_id=? ORDER BY seq", -1, &s,
                           NULL) != SQLITE_OK)
        return store__dberr(st, "read samples");
    sqlite3_bind_int64(s, 1, rec_id);
    int sr;
    obd_live_sample_t x;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&x, 0, sizeof x);
        x.t_ms = (uint64_t)(t0 + sqlite3_column_int64(s, 0));
        x.addr = (uint32_t)sqlite3_column_int64(s, 1);
        x.pid = (uint8_t)sqlite3_column_int(s, 2);
        int n = sqlite3_column_bytes(s, 3);
        x.len = (uint8_t)(n > 8 ? 8 : n);
        if (x.len)
            memcpy(x.data, sqlite3_column_blob(s, 3), x.len);
        if (fn(ctx, &x))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "read samples");
    sqlite3_finalize(s);
    return rc;
}

int store_rec_signal_stats(store_t *st, int64_t rec_id, int (*fn)(void *ctx, const store_rec_sigstat_t *s), void *ctx)
{
    if (!st || !fn)
        return OBD_EINVAL;
    int64_t t0;
    int rc = rec_start(st, rec_id, &t0);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT signal, name, unit, ecu, n, min, max, mean FROM rec_signal_stats"
                                   " WHERE rec_id=? ORDER BY ecu, signal", -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "read signal stats");
    sqlite3_bind_int64(s, 1, rec_id);
    int sr;
    store_rec_sigstat_t x;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&x, 0, sizeof x);
        store__col_text(s, 0, x.signal, sizeof x.signal);
        store__col_text(s, 1, x.name, sizeof x.name);
        store__col_text(s, 2, x.unit, sizeof x.unit);
        x.ecu = (uint32_t)sqlite3_column_int64(s, 3);
        x.n = sqlite3_column_int64(s, 4);
        x.min = sqlite3_column_double(s, 5);
        x.max = sqlite3_column_double(s, 6);
        x.mean = sqlite3_column_double(s, 7);
        if (fn(ctx, &x))
            break;
    }
    rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "read signal stats");
    sqlite3_finalize(s);
    return rc;
}

/* ---------------- recordings cut short (kill -9, power cut) ---------------- */

typedef struct {
    int64_t id, wo_id, started, pid, start;
    char boot[64];
} open_rec_t;

static int accum_cb(void *ctx, const obd_live_sample_t *x)
{
    account(ctx, x);
    return 0;
}

/* Close one recording whose owner is gone (its own transaction): ended at
 * its last sample, the statistics of the samples it kept, state
 * 'interrupted', an audit entry; all or nothing. 0 when another process
 * closed it first. */
static int close_one(store_t *st, const open_rec_t *o, const char *why, const char *actor, store_recording_t *out)
{
    store_rec_writer_t w;
    memset(&w, 0, sizeof w);
    w.st = st;
    w.id = o->id;
    int rc = store__begin(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = store__stmt(st, "SELECT state, COALESCE((SELECT MAX(t_off) FROM rec_samples WHERE rec_id=?1), 0),"
                                      " (SELECT COUNT(*) FROM rec_samples WHERE rec_id=?1) FROM recordings WHERE id=?1");
    if (!s) {
        store__rollback(st);
        return OBD_EDB;
    }
    sqlite3_bind_int64(s, 1, o->id);
    char state[16] = "";
    int64_t last = 0, n = 0;
    int sr = sqlite3_step(s);
    if (sr == SQLITE_ROW) {
        store__col_text(s, 0, state, sizeof state);
        last = sqlite3_column_int64(s, 1);
        n = sqlite3_column_int64(s, 2);
    }
    sqlite3_reset(s);
    if (sr != SQLITE_ROW || strcmp(state, "recording")) {
        store__rollback(st);
        return sr == SQLITE_ROW || sr == SQLITE_DONE ? 0 : store__dberr(st, "close recording");
    }
    rc = store_rec_samples(st, o->id, accum_cb, &w);
    if (!rc)
        rc = write_stats(st, &w);
    free(w.acc);
    int64_t ended = o->started + (last > 0 ? last : 0);
    if (!rc) {
        s = store__stmt(st, "UPDATE recordings SET ended_ms=?, samples=?, state='interrupted' WHERE id=?");
        if (!s) {
            rc = OBD_EDB;
        } else {
            sqlite3_bind_int64(s, 1, ended);
            sqlite3_bind_int64(s, 2, n);
            sqlite3_bind_int64(s, 3, o->id);
            if (sqlite3_step(s) != SQLITE_DONE)
                rc = store__dberr(st, "close recording");
            sqlite3_reset(s);
        }
    }
    store_wo_t wo;
    memset(&wo, 0, sizeof wo);
    if (!rc && o->wo_id)
        rc = store__wo_by_id(st, o->wo_id, &wo);
    if (!rc) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "rec_id", (double)o->id);
        cJSON_AddNumberToObject(j, "owner_pid", (double)o->pid);
        cJSON_AddStringToObject(j, "why", why);
        cJSON_AddNumberToObject(j, "samples", (double)n);
        cJSON_AddNumberToObject(j, "started_ms", (double)o->started);
        cJSON_AddNumberToObject(j, "ended_ms", (double)ended);
        char *det = cJSON_PrintUnformatted(j);
        cJSON_Delete(j);
        rc = det ? store__audit_tx(st, "rec_interrupted", wo.ro, actor, det) : store__err(st, OBD_EINVAL, "out of memory");
        free(det);
    }
    if (rc) {
        store__rollback(st);
        return rc;
    }
    if ((rc = store__commit(st)))
        return rc;
    if (out)
        rec_load(st, o->id, out);
    return 1;
}

int store_rec_close_interrupted(store_t *st, const char *actor,
                                void (*fn)(void *ctx, const store_recording_t *r, const char *ro, const char *why),
                                void *ctx)
{
    if (!st)
        return OBD_EINVAL;
    if (st->readonly)
        return 0;
    /* the open ones and their last activity (a read; few rows: partial index) */
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, COALESCE(wo_id, 0), started_ms, owner_pid, owner_boot, owner_start,"
                           " started_ms + COALESCE((SELECT MAX(t_off) FROM rec_samples WHERE rec_id=recordings.id), 0)"
                           " FROM recordings WHERE state='recording' ORDER BY id LIMIT 256",
                           -1, &s, NULL) != SQLITE_OK)
        return store__dberr(st, "open recordings");
    open_rec_t o[256];
    int64_t lastms[256];
    size_t n = 0;
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW && n < 256) {
        o[n].id = sqlite3_column_int64(s, 0);
        o[n].wo_id = sqlite3_column_int64(s, 1);
        o[n].started = sqlite3_column_int64(s, 2);
        o[n].pid = sqlite3_column_int64(s, 3);
        store__col_text(s, 4, o[n].boot, sizeof o[n].boot);
        o[n].start = sqlite3_column_int64(s, 5);
        lastms[n] = sqlite3_column_int64(s, 6);
        n++;
    }
    int rc = (sr == SQLITE_ROW || sr == SQLITE_DONE) ? OBD_OK : store__dberr(st, "open recordings");
    sqlite3_finalize(s);
    if (rc)
        return rc;
    int closed = 0;
    int64_t now = store__now_ms(st);
    for (size_t i = 0; i < n; i++) {
        char why[160];
        if (owner_alive(o[i].pid, o[i].boot, o[i].start, lastms[i], now, why, sizeof why))
            continue;
        store_recording_t r;
        int c = close_one(st, &o[i], why, actor && *actor ? actor : "obdgw", &r);
        if (c < 0)
            return c;
        if (c > 0) {
            closed++;
            if (fn) {
                store_wo_t wo;
                memset(&wo, 0, sizeof wo);
                if (o[i].wo_id)
                    store__wo_by_id(st, o[i].wo_id, &wo);
                fn(ctx, &r, wo.ro, why);
            }
        }
    }
    return closed;
}
