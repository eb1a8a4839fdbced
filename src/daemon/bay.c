/*
 * bay.c — one worker thread per bay, plus one "office" worker (bay 0) for
 * QC sign-off and report rendering.
 *
 * Why threads and not the event loop: the link API (link.h) is blocking —
 * a request waits for the ECUs' replies, up to seconds on a slow clone or a
 * dead bus. A worker per bay owns that bay's link and session state, so a
 * slow or dead adapter only ever stalls its own bay. Why threads rather than
 * forked children: a job needs the scan in memory, the store and the DTC
 * database; a thread shares the process's code and libraries (RSS stays
 * small with many bays), and a crash-only design is kept by SQLite (every
 * save is one transaction). The workers touch no daemon state: they get a
 * job under their own mutex and hand back one bay_result_t pointer over the
 * result pipe, which the single-threaded loop reads.
 *
 * Each job opens its own store connection (SQLite connections are not
 * shared between threads; WAL lets them write one after another). The
 * worker commits the evidence and the DMS messages announcing it in one
 * transaction (docs/outbox.md); the loop only publishes them.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "daemon.h"
#include "obdgw/utf8.h"
#include "remote.h"
#include "obdgw/dtcdb.h"
#include "obdgw/link.h"
#include "obdgw/qc.h"
#include "obdgw/report.h"
#include "obdgw/session.h"
#include "obdgw/store_history.h"
#include "obdgw/store_uds.h"
#include "obdgw/uds_scan.h"

/* The CLI's exit codes (src/cli/cli.h), which the daemon reports back. */
enum { XC_OK = 0, XC_FAIL = 1, XC_USAGE = 2, XC_NOTFOUND = 3, XC_DATA = 4, XC_REFUSED = 5 };

/* The CLI's exit code for a store refusal. */
static int xc_store(int rc)
{
    return rc == OBD_ESTATE ? XC_REFUSED : rc == OBD_ENOTFOUND ? XC_NOTFOUND : XC_FAIL;
}

struct bay {
    int id;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bay_job_t job;
    bool has_job, busy, quit, rebind;
    char adapter[256];
    int protocol;
    char store_path[512];
    char site[DCFG_SITE_LEN];
    obd_lang_t lang;
    int result_fd;
    char state[16];
    char last_err[160];
    uint64_t done;
    obd_link_t *link; /* worker thread only */
    /* USB bays (usb_port / usb_serial): the adapter comes and goes */
    bool usb, absent;
    char ident[160];  /* "usb_port 1-1.3" / "usb_serial A50285BI" */
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_state(bay_t *b, const char *st, const char *err)
{
    pthread_mutex_lock(&b->mu);
    /* a job that ends while the USB adapter is out leaves the bay "no adapter" */
    if (b->absent && (!strcmp(st, "idle") || !strcmp(st, "error")))
        st = "no adapter";
    snprintf(b->state, sizeof b->state, "%s", st);
    if (err)
        snprintf(b->last_err, sizeof b->last_err, "%s", err);
    pthread_mutex_unlock(&b->mu);
}

/* The reply text in the job's language: L(r, "English", "中文"), both with
 * the same conversions in the same order. Details from the store and the
 * link (store_errmsg, obd_strerror) stay English. */
#define L(r, en, zh) ((r)->lang == OBD_LANG_ZH ? (zh) : (en))

static void res_text(bay_result_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void res_text(bay_result_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = NULL;
    if (vasprintf(&t, fmt, ap) < 0)
        t = NULL;
    va_end(ap);
    free(r->text);
    r->text = t;
}

/* Fail-closed: before a clear changes the car, an intent entry must be in
 * the audit log; when it cannot be written (store full or read-only)
 * nothing is cleared. 0 when written. */
static int clear_intent(bay_t *b, bay_result_t *r, store_t *st, const bay_job_t *j, const char *kind, int64_t pre_id)
{
    char d[160];
    snprintf(d, sizeof d, "{\"kind\":\"%s\",\"bay\":%d,\"pre_scan_id\":%lld}", kind, b->id, (long long)pre_id);
    int rc = store_audit_append(st, "clear_intent", j->ro, j->actor[0] ? j->actor : "-", d);
    if (rc) {
        r->rc = rc;
        r->exit_code = XC_FAIL;
        res_text(r, L(r, "bay %d: clear refused: the audit entry could not be written (%s); nothing cleared",
                      "工位 %d：拒绝清码：无法写入审计记录（%s）；未清除任何内容"),
                 b->id, store_errmsg(st));
    }
    return rc;
}

static bay_msg_t *add_msg(bay_result_t *r, const char *kind, const char *msg_id, const char *ro, cJSON *payload)
{
    if (r->nmsgs >= BAY_MAX_MSGS || !payload) {
        cJSON_Delete(payload);
        return NULL;
    }
    bay_msg_t *m = &r->msgs[r->nmsgs];
    /* text stored before input was validated (an old RO with invalid
     * UTF-8) goes out repaired: the DMS always gets valid JSON */
    obd_json_repair_utf8(payload);
    m->payload = cJSON_PrintUnformatted(payload);
    cJSON_Delete(payload);
    if (!m->payload)
        return NULL;
    snprintf(m->kind, sizeof m->kind, "%s", kind);
    snprintf(m->msg_id, sizeof m->msg_id, "%s", msg_id);
    snprintf(m->ro, sizeof m->ro, "%s", ro ? ro : "");
    r->nmsgs++;
    return m;
}

/* ---- the link ---- */

static int ensure_link(bay_t *b, bay_result_t *r)
{
    char adapter[256];
    int proto;
    bool rebind;
    pthread_mutex_lock(&b->mu);
    snprintf(adapter, sizeof adapter, "%s", b->adapter);
    proto = b->protocol;
    rebind = b->rebind;
    b->rebind = false;
    pthread_mutex_unlock(&b->mu);
    if (rebind && b->link) {
        obd_link_close(b->link);
        b->link = NULL;
    }
    if (b->link)
        return OBD_OK;
    pthread_mutex_lock(&b->mu);
    bool absent = b->absent;
    char ident[160];
    snprintf(ident, sizeof ident, "%s", b->ident);
    pthread_mutex_unlock(&b->mu);
    if (absent) {
        res_text(r, L(r, "bay %d: no adapter: the USB adapter (%s) is not plugged in", "工位 %d：无接头：USB 诊断接头（%s）未插入"),
                 b->id, ident);
        return OBD_ELINK;
    }
    obd_link_opts_t o = { .protocol = (obd_proto_t)proto };
    char err[256] = "";
    int rc = obd_link_open(adapter, &o, &b->link, err, sizeof err);
    if (rc) {
        b->link = NULL;
        res_text(r, L(r, "bay %d: adapter %s: %s%s", "工位 %d：接头 %s：%s%s"), b->id, adapter, err[0] ? err : obd_strerror(rc),
                 rc == OBD_ENOVEHICLE ? L(r, " (check the ignition is on and the adapter is seated in the OBD socket)",
                                          "（请确认点火开关已打开、接头已插好在 OBD 座上）")
                                      : "");
        return rc;
    }
    return OBD_OK;
}

/* After a link failure the adapter may be gone or confused: reopen next time. */
static void drop_link(bay_t *b)
{
    obd_link_close(b->link);
    b->link = NULL;
}

/* After a link failure on a USB bay: was the adapter pulled out? The loop
 * hears the departure from libusb (bay_set_present); the read that failed
 * may come first (the kernel hangs the tty up as the device goes), so wait
 * for the verdict a little (the disconnect completes in milliseconds). */
bool bay_unplugged(bay_t *b)
{
    pthread_mutex_lock(&b->mu);
    bool usb = b->usb;
    char tty[256];
    snprintf(tty, sizeof tty, "%s", b->adapter);
    pthread_mutex_unlock(&b->mu);
    if (!usb)
        return false;
    for (int i = 0; i < 30; i++) {
        pthread_mutex_lock(&b->mu);
        bool gone = b->absent;
        pthread_mutex_unlock(&b->mu);
        if (gone)
            return true;
        struct timespec ts = { 0, 50 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return tty[0] && access(tty, F_OK) != 0;
}

obd_link_t *bay_link(bay_t *b, char *err, size_t cap)
{
    bay_result_t r = { 0 };
    int rc = ensure_link(b, &r);
    if (rc)
        snprintf(err, cap, "%s", r.text ? r.text : obd_strerror(rc));
    free(r.text);
    return rc ? NULL : b->link;
}

void bay_link_drop(bay_t *b) { drop_link(b); }

void bay_set_state(bay_t *b, const char *state, const char *err) { set_state(b, state, err); }

/* ---- messages ---- */

/* The envelope of a saved scan's message (OBD or UDS): where and how it
 * was saved; the caller adds the scan itself. */
static cJSON *saved_scan_envelope(const bay_t *b, const char *schema, const char *id_prefix, const char *id_key,
                                  int64_t scan_id, const char *ro, store_stage_t stage, const char *technician,
                                  const char *note, char *id, size_t idcap)
{
    snprintf(id, idcap, "%s-%s-%lld", b->site, id_prefix, (long long)scan_id);
    cJSON *e = dms_envelope(schema, id, b->site);
    if (!e)
        return NULL;
    cJSON_AddStringToObject(e, "ro", ro);
    cJSON_AddNumberToObject(e, "bay", b->id);
    cJSON_AddNumberToObject(e, id_key, (double)scan_id);
    cJSON_AddStringToObject(e, "stage", store_stage_key(stage));
    cJSON_AddStringToObject(e, "technician", technician);
    if (!ro[0])
        cJSON_AddStringToObject(e, "unassigned_because", note);
    cJSON_AddNumberToObject(e, "saved_ms", (double)wall_ms());
    return e;
}

static void scan_msg(bay_t *b, bay_result_t *r, const obd_scan_t *s, const store_scan_meta_t *m, dtcdb_t *db)
{
    char id[OUTBOX_MSGID_LEN];
    cJSON *e = saved_scan_envelope(b, "obdgw.dms.scan", "scan", "scan_id", m->id, m->ro, m->stage, m->technician,
                                   m->assign_note, id, sizeof id);
    if (!e)
        return;
    cJSON_AddItemToObject(e, "scan", obd_scan_json(s, db, b->lang));
    add_msg(r, "scan", id, m->ro, e);
}

typedef struct {
    bay_t *b;
    bay_result_t *r;
    int64_t scan_id;
    bool uds;               /* scan_id is a UDS scan */
    const char *ro;
    dtcdb_t *db;
    const char *vin;
    int n;
} fctx_t;

static int on_finding(void *ctx, const store_finding_t *f)
{
    fctx_t *c = ctx;
    bool mine = c->uds ? !strcmp(f->source, "uds") && f->uds_scan_id == c->scan_id
                       : strcmp(f->source, "uds") && f->first_scan_id == c->scan_id;
    if (!mine || f->state != STORE_FINDING_PROPOSED)
        return 0;
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-finding-%lld", c->b->site, (long long)f->id);
    cJSON *e = dms_envelope("obdgw.dms.finding", id, c->b->site);
    if (!e)
        return 0;
    cJSON_AddStringToObject(e, "ro", c->ro);
    cJSON_AddStringToObject(e, "code", f->code);
    char ecu[16];
    snprintf(ecu, sizeof ecu, "%X", c->uds ? (unsigned)f->rx_id : (unsigned)f->ecu);
    cJSON_AddStringToObject(e, "ecu", ecu);
    cJSON_AddStringToObject(e, "source", c->uds ? "uds" : "obd");
    cJSON_AddNumberToObject(e, "scan_id", (double)c->scan_id);
    cJSON_AddStringToObject(e, "state", "proposed");
    cJSON_AddBoolToObject(e, "needs_consent", true);
    obd_dtc_t code;
    if (c->db && obd_dtc_parse(f->code, &code) == OBD_OK) {
        char wmi[4] = "";
        if (c->vin && strlen(c->vin) >= 3)
            memcpy(wmi, c->vin, 3);
        cJSON *d = cJSON_AddObjectToObject(e, "description");
        dtcdb_entry_t de;
        if (dtcdb_lookup(c->db, code, wmi[0] ? wmi : NULL, OBD_LANG_EN, &de) == OBD_OK)
            cJSON_AddStringToObject(d, "en", de.desc);
        if (dtcdb_lookup(c->db, code, wmi[0] ? wmi : NULL, OBD_LANG_ZH, &de) == OBD_OK)
            cJSON_AddStringToObject(d, "zh", de.desc);
    }
    if (add_msg(c->r, "finding", id, c->ro, e))
        c->n++;
    return 0;
}

/* A comeback (返修) the scan just found (store_history.c): obdgw.dms.comeback,
 * docs/schemas/comeback.json. One message per comeback, its id the key. */
static int on_comeback(void *ctx, const store_comeback_t *k)
{
    fctx_t *c = ctx;
    if (k->scan_id != c->scan_id || strcmp(k->source, c->uds ? "uds" : "obd"))
        return 0;
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-comeback-%lld", c->b->site, (long long)k->id);
    cJSON *e = dms_envelope("obdgw.dms.comeback", id, c->b->site);
    if (!e)
        return 0;
    cJSON_AddStringToObject(e, "ro", c->ro);
    cJSON_AddStringToObject(e, "code", k->code);
    cJSON_AddStringToObject(e, "earlier_ro", k->earlier_ro);
    cJSON_AddStringToObject(e, "earlier_code", k->earlier_code);
    cJSON_AddStringToObject(e, "match", k->match);
    cJSON_AddStringToObject(e, "repair_class", k->repair_class);
    cJSON_AddNumberToObject(e, "days_since_delivery", k->days);
    if (k->km >= 0)
        cJSON_AddNumberToObject(e, "km_since_delivery", k->km);
    else
        cJSON_AddNullToObject(e, "km_since_delivery");
    cJSON_AddStringToObject(e, "source", k->source);
    cJSON_AddNumberToObject(e, "scan_id", (double)k->scan_id);
    if (add_msg(c->r, "comeback", id, c->ro, e))
        c->n++;
    return 0;
}

static void comeback_msgs(bay_t *b, bay_result_t *r, store_t *st, const char *ro, int64_t scan_id, bool uds)
{
    if (!ro[0])
        return;
    fctx_t c = { b, r, scan_id, uds, ro, NULL, NULL, 0 };
    store_comeback_list(st, ro, on_comeback, &c);
}

static int finding_msgs(bay_t *b, bay_result_t *r, store_t *st, const store_scan_meta_t *m, dtcdb_t *db,
                        const char *vin)
{
    if (!m->ro[0])
        return 0;
    fctx_t c = { b, r, m->id, false, m->ro, db, vin, 0 };
    store_finding_list(st, m->ro, on_finding, &c);
    return c.n;
}

/* The store phase of a scan job (open the store and the DTC database, save
 * the scan with its messages, close) runs one bay at a time. SQLite lets
 * only one writer in at a time anyway, so this costs no parallelism, but it
 * bounds memory: each phase holds a store connection and a DTC database
 * connection (~450 KB of SQLite schema, statements and page cache), and
 * with 8 bays finishing together that was 8 sets at once. The link I/O,
 * which takes the time, stays fully parallel. */
static pthread_mutex_t save_mu = PTHREAD_MUTEX_INITIALIZER;

/* Outbox limits for the workers' enqueues (set by the loop from the config). */
static pthread_mutex_t lim_mu = PTHREAD_MUTEX_INITIALIZER;
static outbox_limits_t lim_cur;

void bay_set_outbox_limits(const outbox_limits_t *lim)
{
    pthread_mutex_lock(&lim_mu);
    lim_cur = *lim;
    pthread_mutex_unlock(&lim_mu);
}

/* Test hook (tests/daemon/crash_test.sh): hold the evidence transaction
 * open this long between the evidence and its messages, so that a kill -9
 * lands inside it. 0 (unset) in production. */
static int tx_hold_ms(void)
{
    const char *v = getenv("OBDGWD_TEST_TX_HOLD_MS");
    int ms = v ? atoi(v) : 0;
    return ms > 0 && ms <= 10000 ? ms : 0;
}

/* Queue r->msgs[from..] in the caller's open transaction (store_tx_begin).
 * A refusal (outbox full, message too large) is noted in r and NOT
 * returned: evidence beats notification, the caller still commits the
 * evidence. The payloads are freed once queued or refused. */
static void queue_msgs(bay_t *b, bay_result_t *r, store_t *st, size_t from)
{
    if (from >= r->nmsgs)
        return;
    size_t n = r->nmsgs - from;
    outbox_msg_t m[BAY_MAX_MSGS];
    memset(m, 0, sizeof m);
    for (size_t i = 0; i < n; i++) {
        const bay_msg_t *x = &r->msgs[from + i];
        snprintf(m[i].msg_id, sizeof m[i].msg_id, "%s", x->msg_id);
        dms_topic(m[i].topic, sizeof m[i].topic, b->site, x->kind);
        snprintf(m[i].ro, sizeof m[i].ro, "%s", x->ro);
        m[i].payload = x->payload;
        m[i].len = strlen(x->payload);
        m[i].qos = 1;
        m[i].prio = OUTBOX_PRIO_NORMAL;
    }
    pthread_mutex_lock(&lim_mu);
    outbox_limits_t lim = lim_cur;
    pthread_mutex_unlock(&lim_mu);
    /* An RO whose earlier messages are still pending (the DMS was not told
     * them): the new ones wait behind them, so the RO's order holds. */
    const char *behind = NULL;
    for (size_t i = 0; i < n && !behind; i++)
        if (outbox_pending_for_ro(st, m[i].ro) > 0)
            behind = m[i].ro;
    char why[256];
    int rc = OBD_ENOSPC;
    if (behind)
        snprintf(why, sizeof why, "RO %s has earlier message(s) the DMS was not told yet: queued behind them", behind);
    else if ((rc = outbox_enqueue_batch(st, m, n, &lim, NULL)))
        snprintf(why, sizeof why, "%s", store_errmsg(st));
    if (rc) {
        /* Evidence beats notification: the evidence still commits; each
         * message stays pending in the store, queued when room returns. */
        size_t kept = 0;
        char lost[160] = "";
        for (size_t i = 0; i < n; i++) {
            if (outbox_pending_add(st, &m[i], r->msgs[from + i].kind, rc, why) == OBD_OK)
                kept++;
            else
                snprintf(lost, sizeof lost, "%s", store_errmsg(st));
        }
        r->nrefused += n;
        r->npending += kept;
        snprintf(r->refused_why, sizeof r->refused_why, "%s", why);
        if (kept < n)
            snprintf(r->pending_why, sizeof r->pending_why, "%s", lost);
    } else {
        r->nqueued += n;
    }
    for (size_t i = from; i < r->nmsgs; i++) {
        free(r->msgs[i].payload);
        r->msgs[i].payload = NULL;
    }
}

/* Forget messages from `from` on (their evidence was not committed). */
static void drop_msgs(bay_result_t *r, size_t from, size_t queued, size_t refused, size_t pending)
{
    for (size_t i = from; i < r->nmsgs; i++)
        free(r->msgs[i].payload);
    r->nmsgs = from;
    r->nqueued = queued;
    r->nrefused = refused;
    r->npending = pending;
}

/* Begin the evidence transaction; false (with r->text set) on failure. */
static bool tx_begin(bay_t *b, bay_result_t *r, store_t *st, const char *what)
{
    int rc = store_tx_begin(st);
    if (rc) {
        r->rc = rc;
        r->exit_code = XC_FAIL;
        res_text(r, L(r, "bay %d: %s was NOT saved: %s", "工位 %d：%s未保存：%s"), b->id, what, store_errmsg(st));
    }
    return rc == OBD_OK;
}

/* Queue the messages from `from` on and commit evidence + messages as one
 * transaction. On failure nothing of it is on disk and r says so. */
static int tx_commit(bay_t *b, bay_result_t *r, store_t *st, size_t from, const char *what)
{
    size_t q0 = r->nqueued, f0 = r->nrefused, p0 = r->npending;
    int hold = tx_hold_ms();
    if (hold)
        usleep((useconds_t)hold * 1000);
    queue_msgs(b, r, st, from);
    int rc = store_tx_commit(st);
    if (rc) {
        drop_msgs(r, from, q0, f0, p0);
        r->rc = rc;
        r->exit_code = XC_FAIL;
        res_text(r, L(r, "bay %d: %s was NOT saved: %s", "工位 %d：%s未保存：%s"), b->id, what, store_errmsg(st));
    }
    return rc;
}

/* Save a scan and queue the DMS messages announcing it (the scan, the
 * findings it proposed) in ONE transaction: a crash leaves both or
 * neither. `nfindings` (may be NULL) gets how many findings were sent. */
static int save_scan(bay_t *b, bay_result_t *r, store_t *st, const obd_scan_t *s, const bay_job_t *j,
                     store_stage_t stage, store_scan_meta_t *m, dtcdb_t *db, int *nfindings)
{
    memset(m, 0, sizeof *m);
    snprintf(m->ro, sizeof m->ro, "%s", j->ro);
    m->stage = stage;
    snprintf(m->technician, sizeof m->technician, "%s", j->actor);
    m->mileage_km = j->mileage_km;
    pthread_mutex_lock(&b->mu);
    snprintf(m->adapter, sizeof m->adapter, "%.63s", b->adapter);
    pthread_mutex_unlock(&b->mu);
    if (!tx_begin(b, r, st, L(r, "the scan", "扫描")))
        return r->rc;
    size_t first = r->nmsgs;
    int rc = store_scan_save(st, s, m);
    if (rc) {
        store_tx_rollback(st);
        res_text(r, L(r, "bay %d: the scan was NOT saved: %s", "工位 %d：扫描未保存：%s"), b->id, store_errmsg(st));
        r->exit_code = xc_store(rc);
        return rc;
    }
    scan_msg(b, r, s, m, db);
    int nf = finding_msgs(b, r, st, m, db, s->vin);
    comeback_msgs(b, r, st, m->ro, m->id, false);
    if ((rc = tx_commit(b, r, st, first, L(r, "the scan", "扫描"))))
        return rc;
    if (nfindings)
        *nfindings = nf;
    return OBD_OK;
}

/* " to RO X" or " (not attached: why)" for a saved scan's summary. */
static void attached(const bay_result_t *r, const char *ro, const char *note, char *out, size_t cap)
{
    if (ro[0])
        snprintf(out, cap, L(r, " to RO %s", "，工单 %s"), ro);
    else
        snprintf(out, cap, L(r, " (not attached: %s)", "（未关联工单：%s）"), note);
}

/* A clear's guard: the engine must be stopped (unless --force). False,
 * with r saying so, when it turns. `what`: "clear" / "UDS clear". */
static bool engine_stopped(bay_t *b, const bay_job_t *j, bay_result_t *r, const char *what_en, const char *what_zh)
{
    double rpm = obd_engine_rpm(b->link);
    if (rpm <= 0 || j->force)
        return true;
    r->rc = OBD_EREFUSED;
    r->exit_code = XC_REFUSED;
    res_text(r,
             L(r, "bay %d: %s refused: the engine is running (%.0f rpm); switch it off, ignition on (nothing cleared)",
               "工位 %d：拒绝%s：发动机正在运转（%.0f rpm）；请熄火并保持点火开关打开（未清除任何内容）"),
             b->id, L(r, what_en, what_zh), rpm);
    return false;
}

/* ---- jobs ---- */

static void job_scan(bay_t *b, const bay_job_t *j, bay_result_t *r)
{
    set_state(b, "scanning", NULL);
    obd_scan_t *s = calloc(1, sizeof *s);
    store_t *st = NULL;
    dtcdb_t *db = NULL;
    char err[256];
    r->exit_code = XC_FAIL;
    if (!s) {
        r->rc = -ENOMEM;
        goto out;
    }
    if ((r->rc = ensure_link(b, r)))
        goto out;
    r->rc = obd_scan_run(b->link, s, NULL, NULL);
    if (r->rc && bay_unplugged(b)) {
        /* a half scan is never saved as a scan */
        res_text(r, L(r, "bay %d: scan ended: adapter unplugged (what was read is NOT saved: the scan was not complete)",
                      "工位 %d：扫描中止：接头已拔出（扫描不完整，已读取的内容未保存）"),
                 b->id);
        r->json = cJSON_CreateObject();
        cJSON_AddStringToObject(r->json, "reason", "adapter unplugged");
        drop_link(b);
        goto out;
    }
    if (r->rc && s->necus == 0) {
        res_text(r, L(r, "bay %d: scan failed: %s%s%s", "工位 %d：扫描失败：%s%s%s"), b->id, obd_strerror(r->rc), b->link->errmsg[0] ? ": " : "",
                 b->link->errmsg);
        drop_link(b);
        goto out;
    }
    int partial = r->rc;
    if (partial)
        drop_link(b);
    /* The store phase, one bay at a time (see save_mu). */
    pthread_mutex_lock(&save_mu);
    store_scan_meta_t m;
    int nf = 0;
    if ((r->rc = store_open(b->store_path, &st, err, sizeof err))) {
        res_text(r, L(r, "bay %d: store: %s (the scan was NOT saved)", "工位 %d：数据库：%s（扫描未保存）"), b->id, err);
    } else {
        dtcdb_open(&db, NULL, NULL);
        r->rc = save_scan(b, r, st, s, j, j->stage, &m, db, &nf);
    }
    dtcdb_close(db);
    db = NULL;
    store_close(st);
    st = NULL;
    pthread_mutex_unlock(&save_mu);
    if (r->rc)
        goto out;
    r->scan_id = m.id;
    r->exit_code = partial ? XC_FAIL : XC_OK;
    r->rc = partial;
    char where[200];
    attached(r, m.ro, m.assign_note, where, sizeof where);
    res_text(r,
             L(r,
               "bay %d: scan #%lld saved%s · stage %s · %zu ECU(s) · MIL %s · %zu stored, %zu pending, %zu permanent "
               "DTC(s) · %d additional item(s) proposed%s%s",
               "工位 %d：扫描 #%lld 已保存%s · 阶段 %s · %zu 个 ECU · 故障灯 %s · %zu 个已存储、%zu 个待定、%zu 个永久"
               "故障码 · 提出 %d 项增项%s%s"),
             b->id, (long long)m.id, where, store_stage_key(m.stage), s->necus,
             s->mil_on ? L(r, "on", "亮") : L(r, "off", "灭"), obd_scan_count(s, 0), obd_scan_count(s, 1),
             obd_scan_count(s, 2), nf, s->recently_cleared ? L(r, " · codes look recently cleared", " · 故障码疑似刚被清除") : "",
             partial ? L(r, " · PARTIAL: the link failed during the scan", " · 不完整：扫描中通信中断") : "");
    r->json = cJSON_CreateObject();
    cJSON_AddNumberToObject(r->json, "scan_id", (double)m.id);
    cJSON_AddStringToObject(r->json, "ro", m.ro);
    cJSON_AddStringToObject(r->json, "stage", store_stage_key(m.stage));
    cJSON_AddNumberToObject(r->json, "ecus", (double)s->necus);
    cJSON_AddNumberToObject(r->json, "stored", (double)obd_scan_count(s, 0));
    cJSON_AddNumberToObject(r->json, "findings_proposed", nf);
out:
    set_state(b, r->rc ? "error" : "idle", r->rc ? r->text : NULL);
    dtcdb_close(db);
    store_close(st);
    free(s);
}

static void job_clear(bay_t *b, const bay_job_t *j, bay_result_t *r)
{
    set_state(b, "clearing", NULL);
    obd_scan_t *before = calloc(1, sizeof *before), *after = calloc(1, sizeof *after);
    store_t *st = NULL;
    dtcdb_t *db = NULL;
    char err[256];
    r->exit_code = XC_FAIL;
    if (!before || !after) {
        r->rc = -ENOMEM;
        goto out;
    }
    if ((r->rc = store_open(b->store_path, &st, err, sizeof err))) {
        res_text(r, L(r, "bay %d: store: %s (nothing cleared)", "工位 %d：数据库：%s（未清除任何内容）"), b->id, err);
        goto out;
    }
    /* 1. the store's gate: open RO with a pre-repair scan holding a freeze frame */
    if ((r->rc = store_clear_allowed(st, j->ro))) {
        res_text(r, L(r, "bay %d: clear refused: %s (nothing cleared)", "工位 %d：拒绝清码：%s（未清除任何内容）"), b->id,
                 store_errmsg(st));
        r->exit_code = xc_store(r->rc);
        goto out;
    }
    if ((r->rc = ensure_link(b, r)))
        goto out;
    /* 2. the engine must be stopped */
    if (!engine_stopped(b, j, r, "clear", "清码"))
        goto out;
    /* 3. the evidence first */
    if ((r->rc = obd_scan_run(b->link, before, NULL, NULL))) {
        res_text(r, L(r, "bay %d: pre-clear scan failed: %s (nothing cleared)", "工位 %d：清码前扫描失败：%s（未清除任何内容）"), b->id, obd_strerror(r->rc));
        drop_link(b);
        goto out;
    }
    dtcdb_open(&db, NULL, NULL);
    store_scan_meta_t bm, am;
    if ((r->rc = save_scan(b, r, st, before, j, STORE_STAGE_DIAGNOSTIC, &bm, db, NULL)))
        goto out;
    /* 4. confirmation was given by the CLI (--yes); the intent audited; 5. clear */
    if (clear_intent(b, r, st, j, "obd", bm.id))
        goto out;
    obd_clear_result_t cr;
    if ((r->rc = obd_clear_run(b->link, &cr))) {
        res_text(r, L(r, "bay %d: clear failed on the link: %s", "工位 %d：清码通信失败：%s"), b->id, obd_strerror(r->rc));
        drop_link(b);
        goto out;
    }
    if (cr.refused) {
        r->rc = OBD_EREFUSED;
        r->exit_code = XC_REFUSED;
        res_text(r, L(r, "bay %d: ECU %X refused the clear: NRC 0x%02X%s", "工位 %d：ECU %X 拒绝清码：NRC 0x%02X%s"), b->id, (unsigned)cr.refused_by, cr.nrc,
                 cr.nrc == 0x22 ? " (conditions not correct: engine running?)" : "");
        goto out;
    }
    /* 6. the audit entry, then scan again */
    int64_t clear_id = 0;
    if ((r->rc = store_clear_record(st, j->ro, j->actor, j->reason[0] ? j->reason : "repair done", bm.id, cr.acked_by,
                                    cr.acked, &clear_id))) {
        res_text(r, L(r, "bay %d: codes WERE cleared, but the audit entry could not be written: %s",
                           "工位 %d：故障码已清除，但审计记录写入失败：%s"), b->id,
                 store_errmsg(st));
        goto out;
    }
    if ((r->rc = obd_scan_run(b->link, after, NULL, NULL))) {
        res_text(r, L(r, "bay %d: cleared (clear #%lld), but the re-scan failed: %s", "工位 %d：已清码（清码 #%lld），但复扫失败：%s"), b->id, (long long)clear_id,
                 obd_strerror(r->rc));
        drop_link(b);
        goto out;
    }
    if ((r->rc = save_scan(b, r, st, after, j, STORE_STAGE_DIAGNOSTIC, &am, db, NULL)))
        goto out;
    r->scan_id = am.id;
    r->exit_code = XC_OK;
    res_text(r,
             L(r,
               "bay %d: DTCs cleared (%zu ECU(s) confirmed) · clear #%lld on RO %s · pre-clear scan #%lld · "
               "remaining %zu stored, %zu pending, %zu permanent (cleared by the ECU after a drive cycle)",
               "工位 %d：故障码已清除（%zu 个 ECU 确认）· 清码 #%lld · 工单 %s · 清码前扫描 #%lld · "
               "剩余 %zu 个已存储、%zu 个待定、%zu 个永久故障码（永久故障码在驾驶循环后由 ECU 清除）"),
             b->id, cr.acked, (long long)clear_id, j->ro, (long long)bm.id, obd_scan_count(after, 0),
             obd_scan_count(after, 1), obd_scan_count(after, 2));
out:
    set_state(b, r->rc ? "error" : "idle", r->rc ? r->text : NULL);
    dtcdb_close(db);
    store_close(st);
    free(before);
    free(after);
}

/* ---- UDS full-system scans and the guarded UDS clear ---- */

static void uds_scan_msg(bay_t *b, bay_result_t *r, const uds_scan_t *s, const store_uds_meta_t *m)
{
    char id[OUTBOX_MSGID_LEN];
    cJSON *e = saved_scan_envelope(b, "obdgw.dms.uds_scan", "uds", "uds_scan_id", m->id, m->ro, m->stage,
                                   m->technician, m->assign_note, id, sizeof id);
    if (!e)
        return;
    cJSON_AddStringToObject(e, "vin", m->vin);
    cJSON_AddNumberToObject(e, "needs_auth", m->needs_auth);
    cJSON_AddItemToObject(e, "uds_scan", uds_scan_json(s, b->lang));
    add_msg(r, "uds_scan", id, m->ro, e);
}

/* save_scan for a UDS scan: the scan, its DMS message and the findings it
 * proposed, in one transaction. */
static int save_uds_scan(bay_t *b, bay_result_t *r, store_t *st, const uds_scan_t *s, const bay_job_t *j,
                         store_stage_t stage, store_uds_meta_t *m, int *nfindings)
{
    memset(m, 0, sizeof *m);
    snprintf(m->ro, sizeof m->ro, "%s", j->ro);
    m->stage = stage;
    snprintf(m->technician, sizeof m->technician, "%s", j->actor);
    pthread_mutex_lock(&b->mu);
    snprintf(m->adapter, sizeof m->adapter, "%.63s", b->adapter);
    pthread_mutex_unlock(&b->mu);
    if (!tx_begin(b, r, st, L(r, "the UDS scan", "UDS 扫描")))
        return r->rc;
    size_t first = r->nmsgs;
    int rc = store_uds_save(st, s, m);
    if (rc) {
        store_tx_rollback(st);
        r->rc = rc;
        res_text(r, L(r, "bay %d: the UDS scan was NOT saved: %s", "工位 %d：UDS 扫描未保存：%s"), b->id, store_errmsg(st));
        r->exit_code = xc_store(rc);
        return rc;
    }
    uds_scan_msg(b, r, s, m);
    int nf = 0;
    if (m->ro[0]) {
        dtcdb_t *db = NULL;
        dtcdb_open(&db, NULL, NULL);
        fctx_t c = { b, r, m->id, true, m->ro, db, m->vin, 0 };
        store_finding_list(st, m->ro, on_finding, &c);
        dtcdb_close(db);
        nf = c.n;
        comeback_msgs(b, r, st, m->ro, m->id, true);
    }
    if ((rc = tx_commit(b, r, st, first, L(r, "the UDS scan", "UDS 扫描"))))
        return rc;
    if (nfindings)
        *nfindings = nf;
    return OBD_OK;
}

static void uds_opts_for(const bay_job_t *j, uds_scan_opts_t *o)
{
    uds_scan_opts_default(o);
    o->range11 = !j->no_range;
    o->pairs = j->pairs;
    o->npairs = j->npairs;
    if (j->uds_mask)
        o->status_mask = j->uds_mask;
    o->session = j->uds_session;
    o->read_snapshots = j->uds_snapshots;
    o->read_extdata = j->uds_extdata;
    o->range29 = j->range29;
    o->addr29 = j->naddr29 ? j->addr29 : NULL;
    o->naddr29 = j->naddr29;
}

static void job_uds_scan(bay_t *b, const bay_job_t *j, bay_result_t *r)
{
    set_state(b, "scanning", NULL);
    uds_scan_t *s = calloc(1, sizeof *s);
    store_t *st = NULL;
    char err[256];
    r->exit_code = XC_FAIL;
    if (!s) {
        r->rc = -ENOMEM;
        goto out;
    }
    if ((r->rc = ensure_link(b, r)))
        goto out;
    uds_scan_opts_t o;
    uds_opts_for(j, &o);
    if ((r->rc = uds_scan_run(b->link, &o, s, NULL, NULL))) {
        res_text(r, L(r, "bay %d: UDS scan failed: %s%s%s", "工位 %d：UDS 扫描失败：%s%s%s"), b->id, obd_strerror(r->rc), b->link->errmsg[0] ? ": " : "",
                 b->link->errmsg);
        drop_link(b);
        goto out;
    }
    pthread_mutex_lock(&save_mu);
    store_uds_meta_t m;
    int nf = 0;
    if ((r->rc = store_open(b->store_path, &st, err, sizeof err)))
        res_text(r, L(r, "bay %d: store: %s (the UDS scan was NOT saved)", "工位 %d：数据库：%s（UDS 扫描未保存）"), b->id, err);
    else
        r->rc = save_uds_scan(b, r, st, s, j, j->stage, &m, &nf);
    store_close(st);
    st = NULL;
    pthread_mutex_unlock(&save_mu);
    if (r->rc)
        goto out;
    r->scan_id = m.id;
    r->exit_code = XC_OK;
    char where[200];
    attached(r, m.ro, m.assign_note, where, sizeof where);
    char np[160] = "";
    if (s->not_probed29)
        snprintf(np, sizeof np,
                 L(r, " · %u 29-bit id(s) not probed (the adapter is on an 11-bit CAN protocol)",
                   " · %u 个 29 位地址未探测（适配器处于 11 位 CAN 协议）"),
                 s->not_probed29);
    res_text(r,
             L(r,
               "bay %d: UDS scan #%lld saved%s · stage %s · %d / %d module(s) answered · %d need OEM authorisation · "
               "%d DTC(s), %d confirmed · %d additional item(s) proposed%s",
               "工位 %d：UDS 扫描 #%lld 已保存%s · 阶段 %s · %d / %d 个控制单元有应答 · %d 个需厂家授权 · "
               "%d 个故障码，%d 个已确认 · 提出 %d 项增项%s"),
             b->id, (long long)m.id, where, store_stage_key(m.stage), m.answered, m.probed, m.needs_auth, m.ndtcs,
             m.nconfirmed, nf, np);
    r->json = cJSON_CreateObject();
    cJSON_AddNumberToObject(r->json, "uds_scan_id", (double)m.id);
    cJSON_AddStringToObject(r->json, "ro", m.ro);
    cJSON_AddStringToObject(r->json, "stage", store_stage_key(m.stage));
    cJSON_AddNumberToObject(r->json, "probed", m.probed);
    cJSON_AddNumberToObject(r->json, "answered", m.answered);
    cJSON_AddNumberToObject(r->json, "needs_auth", m.needs_auth);
    cJSON_AddNumberToObject(r->json, "dtcs", m.ndtcs);
    cJSON_AddNumberToObject(r->json, "findings_proposed", nf);
out:
    set_state(b, r->rc ? "error" : "idle", r->rc ? r->text : NULL);
    store_close(st);
    free(s);
}

/* The UDS clear, in the order the CLI takes (cmd_clear.c): the store's
 * gate (open RO, a pre-repair UDS scan with an answer), engine off, the
 * pre-clear scan of the same modules with snapshots and extended data
 * saved first, $14 per module, the audit entry, the post-clear scan. The
 * CLI asked for --yes before sending it. */
static void job_uds_clear(bay_t *b, const bay_job_t *j, bay_result_t *r)
{
    set_state(b, "clearing", NULL);
    uds_scan_t *before = calloc(1, sizeof *before), *after = calloc(1, sizeof *after);
    uds_clear_result_t *res = calloc(1, sizeof *res);
    obd_target_t *pairs = calloc(UDS_SCAN_MAX_MODULES, sizeof *pairs);
    store_t *st = NULL;
    char err[256];
    size_t np = 0;
    r->exit_code = XC_FAIL;
    if (!before || !after || !res || !pairs) {
        r->rc = -ENOMEM;
        goto out;
    }
    if ((r->rc = store_open(b->store_path, &st, err, sizeof err))) {
        res_text(r, L(r, "bay %d: store: %s (nothing cleared)", "工位 %d：数据库：%s（未清除任何内容）"), b->id, err);
        goto out;
    }
    if ((r->rc = store_uds_clear_allowed(st, j->ro)) || (r->rc = store_uds_pre_pairs(st, j->ro, pairs,
                                                                                      UDS_SCAN_MAX_MODULES, &np))) {
        res_text(r, L(r, "bay %d: UDS clear refused: %s (nothing cleared)", "工位 %d：拒绝 UDS 清码：%s（未清除任何内容）"), b->id,
                 store_errmsg(st));
        r->exit_code = xc_store(r->rc);
        goto out;
    }
    if ((r->rc = ensure_link(b, r)))
        goto out;
    if (!engine_stopped(b, j, r, "UDS clear", " UDS 清码"))
        goto out;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    o.range11 = o.range29 = false;
    o.pairs = pairs;
    o.npairs = np;
    o.read_snapshots = o.read_extdata = true; /* the evidence a clear destroys */
    if ((r->rc = uds_scan_run(b->link, &o, before, NULL, NULL))) {
        res_text(r, L(r, "bay %d: pre-clear UDS scan failed: %s (nothing cleared)", "工位 %d：清码前 UDS 扫描失败：%s（未清除任何内容）"), b->id, obd_strerror(r->rc));
        drop_link(b);
        goto out;
    }
    store_uds_meta_t bm, am;
    if (save_uds_scan(b, r, st, before, j, STORE_STAGE_DIAGNOSTIC, &bm, NULL)) {
        char *t = r->text;
        r->text = NULL;
        res_text(r, L(r, "%s; nothing cleared", "%s；未清除任何内容"), t ? t : "");
        free(t);
        goto out;
    }
    bool any = false;
    for (size_t i = 0; i < before->nmodules && !any; i++)
        any = before->modules[i].answered && (!j->module || before->modules[i].tx_id == j->module);
    if (!any) {
        r->rc = OBD_ENOTFOUND;
        r->exit_code = j->module ? XC_NOTFOUND : XC_FAIL;
        if (j->module)
            res_text(r, L(r, "bay %d: module %X did not answer the pre-clear scan #%lld; nothing cleared",
                                "工位 %d：控制单元 %X 未应答清码前扫描 #%lld；未清除任何内容"), b->id,
                     (unsigned)j->module, (long long)bm.id);
        else
            res_text(r, L(r, "bay %d: no module answered the pre-clear scan #%lld; nothing cleared",
                                "工位 %d：清码前扫描 #%lld 无控制单元应答；未清除任何内容"), b->id,
                     (long long)bm.id);
        goto out;
    }
    if (clear_intent(b, r, st, j, "uds", bm.id))
        goto out;
    int crc = uds_clear_modules(b->link, before, j->module, res);
    int64_t clear_id = 0;
    if (res->n && (r->rc = store_uds_clear_record(st, j->ro, j->actor, j->reason[0] ? j->reason : "repair done", bm.id,
                                                  res, &clear_id))) {
        res_text(r, L(r, "bay %d: modules WERE asked to clear, but the audit entry could not be written: %s",
                           "工位 %d：已向控制单元发送清码请求，但审计记录写入失败：%s"), b->id,
                 store_errmsg(st));
        goto out;
    }
    if (crc) {
        r->rc = crc;
        res_text(r, L(r, "bay %d: UDS clear failed on the link: %s (clear #%lld records what each module answered)",
                           "工位 %d：UDS 清码通信失败：%s（清码 #%lld 记录了各控制单元的应答）"), b->id,
                 obd_strerror(crc), (long long)clear_id);
        drop_link(b);
        goto out;
    }
    if ((r->rc = uds_scan_run(b->link, &o, after, NULL, NULL))) {
        res_text(r, L(r, "bay %d: UDS clear #%lld done, but the post-clear UDS scan failed: %s",
                           "工位 %d：UDS 清码 #%lld 已完成，但清码后 UDS 扫描失败：%s"), b->id,
                 (long long)clear_id, obd_strerror(r->rc));
        drop_link(b);
        goto out;
    }
    if (save_uds_scan(b, r, st, after, j, STORE_STAGE_DIAGNOSTIC, &am, NULL))
        goto out;
    size_t failed = uds_clear_failed(res), left = uds_scan_count_open(after);
    r->scan_id = am.id;
    r->rc = failed ? OBD_EREFUSED : OBD_OK;
    r->exit_code = failed ? XC_FAIL : XC_OK;
    char *t = NULL;
    size_t tl = 0;
    FILE *f = open_memstream(&t, &tl);
    if (f) {
        fprintf(f,
                L(r,
                  "bay %d: UDS clear #%lld on RO %s · %zu / %zu module(s) cleared · pre-clear UDS scan #%lld, "
                  "post-clear #%lld · %zu DTC(s) still failing or pending",
                  "工位 %d：UDS 清码 #%lld · 工单 %s · %zu / %zu 个控制单元已清除 · 清码前 UDS 扫描 #%lld，"
                  "清码后 #%lld · 仍有 %zu 个故障码失败或待定"),
                b->id, (long long)clear_id, j->ro, res->ncleared, res->n, (long long)bm.id, (long long)am.id, left);
        for (size_t i = 0; i < res->n; i++) {
            const uds_clear_mod_t *x = &res->m[i];
            const char *name = uds_module_name(uds_module_key(x->tx_id, x->rx_id), r->lang);
            fprintf(f, "\n  %X/%X  %s%s%s", (unsigned)x->tx_id, (unsigned)x->rx_id, name ? name : "",
                    name ? " · " : "", uds_clear_outcome_name(x->outcome, r->lang));
            if (x->nrc)
                fprintf(f, " (NRC %02X %s)", x->nrc, uds_nrc_key(x->nrc));
        }
        fclose(f);
        free(r->text);
        r->text = t;
    }
    r->json = cJSON_CreateObject();
    cJSON_AddBoolToObject(r->json, "cleared", failed == 0);
    cJSON_AddStringToObject(r->json, "kind", "uds");
    cJSON_AddStringToObject(r->json, "ro", j->ro);
    cJSON_AddNumberToObject(r->json, "clear_id", (double)clear_id);
    cJSON_AddNumberToObject(r->json, "preclear_uds_scan", (double)bm.id);
    cJSON_AddNumberToObject(r->json, "after_uds_scan", (double)am.id);
    cJSON_AddItemToObject(r->json, "modules", uds_clear_modules_json(res, r->lang));
out:
    set_state(b, r->rc ? "error" : "idle", r->rc ? r->text : NULL);
    store_close(st);
    free(before);
    free(after);
    free(res);
    free(pairs);
}

static void ro_file_part(const char *ro, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = ro; *p && k + 1 < cap; p++)
        out[k++] = (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", *p) && *p != '.')
                       ? *p
                       : '_';
    out[k] = 0;
}

static int file_sha256(const char *path, char hex[65], long *bytes)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    unsigned char buf[65536];
    size_t n;
    long total = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        EVP_DigestUpdate(c, buf, n);
        total += (long)n;
    }
    unsigned char md[32];
    unsigned len = 0;
    EVP_DigestFinal_ex(c, md, &len);
    EVP_MD_CTX_free(c);
    fclose(f);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    *bytes = total;
    return 0;
}

/* PDFs are rendered by the CLI beside this executable (`obdgw report RO
 * --format pdf -o FILE`, the same report_load_ro + report_render_pdf) in a
 * child process: pango, cairo, fontconfig and glib (~4 MB resident) then
 * never load into the long-running daemon, which renders a PDF only at a
 * QC sign-off. HTML stays in-process. */
static int render_pdf_child(const char *store_path, const char *ro, report_kind_t kind, obd_lang_t lang,
                            const char *path)
{
    const char *args[] = { "--store", store_path, "--lang", lang == OBD_LANG_ZH ? "zh" : "en", "report", ro,
                           "--kind", kind == REPORT_QC ? "qc" : "diagnostic", "--format", "pdf", "-o", path, NULL };
    int code = 0, rc = daemon_run_cli(args, -1, -1, &code);
    return rc ? rc : code == 0 ? 0 : -EIO;
}

/* Render one report document; adds it to `docs` with its hash. */
static int render_doc(store_t *st, const char *store_path, dtcdb_t *db, const char *ro, report_kind_t kind,
                      obd_lang_t lang, bool pdf, const char *dir, cJSON *docs, char *paths, size_t pcap)
{
    char ropart[STORE_RO_LEN], path[700];
    ro_file_part(ro, ropart, sizeof ropart);
    snprintf(path, sizeof path, "%s/%s.%s.%s.%s", dir, ropart, kind == REPORT_QC ? "qc" : "diag",
             lang == OBD_LANG_ZH ? "zh" : "en", pdf ? "pdf" : "html");
    int rc;
    if (pdf) {
        rc = render_pdf_child(store_path, ro, kind, lang, path);
    } else {
        report_t *rep = calloc(1, sizeof *rep);
        if (!rep)
            return -ENOMEM;
        rc = report_load_ro(st, ro, kind, lang, db, rep);
        if (!rc) {
            FILE *f = fopen(path, "w");
            rc = f ? report_render_html(rep, f) : -errno;
            if (f && fclose(f) && !rc)
                rc = -EIO;
        }
        report_free(rep);
        free(rep);
    }
    if (rc)
        return rc;
    char hex[65];
    long bytes = 0;
    if (file_sha256(path, hex, &bytes))
        return -EIO;
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "kind", kind == REPORT_QC ? "qc" : "diagnostic");
    cJSON_AddStringToObject(d, "format", pdf ? "pdf" : "html");
    cJSON_AddStringToObject(d, "lang", lang == OBD_LANG_ZH ? "zh" : "en");
    cJSON_AddStringToObject(d, "path", path);
    cJSON_AddStringToObject(d, "sha256", hex);
    cJSON_AddNumberToObject(d, "bytes", (double)bytes);
    cJSON_AddItemToArray(docs, d);
    size_t used = strlen(paths);
    snprintf(paths + used, pcap - used, "\n  %s", path);
    return 0;
}

/* QC verdict and (with an inspector) the sign-off and the reports. The
 * office worker's `adapter` field holds the reports directory. */
static void job_qc(bay_t *b, const bay_job_t *j, bay_result_t *r)
{
    set_state(b, "qc", NULL);
    obd_scan_t *pre = calloc(1, sizeof *pre), *post = calloc(1, sizeof *post);
    qc_result_t *res = calloc(1, sizeof *res);
    store_t *st = NULL;
    dtcdb_t *db = NULL;
    char err[256], hex[65] = "", dir[256];
    char *paths = calloc(1, 4096);
    r->exit_code = XC_FAIL;
    pthread_mutex_lock(&b->mu);
    snprintf(dir, sizeof dir, "%s", b->adapter);
    pthread_mutex_unlock(&b->mu);
    if (!pre || !post || !res || !paths) {
        r->rc = -ENOMEM;
        goto out;
    }
    if ((r->rc = store_open(b->store_path, &st, err, sizeof err))) {
        res_text(r, L(r, "qc: store: %s", "qc：数据库：%s"), err);
        goto out;
    }
    dtcdb_open(&db, NULL, NULL);
    static const store_stage_t pre_stages[] = { STORE_STAGE_RECEPTION };
    static const store_stage_t post_stages[] = { STORE_STAGE_POST, STORE_STAGE_QC };
    int64_t pre_id = 0, post_id = 0;
    if ((r->rc = store_scan_latest(st, j->ro, post_stages, 2, &post_id))) {
        res_text(r, L(r, "qc: RO %s: %s", "qc：工单 %s：%s"), j->ro,
                 r->rc == OBD_ENOTFOUND ? L(r, "no post-repair scan yet (obdgw scan --bay N --ro RO --stage post)",
                                            "尚无维修后扫描（obdgw scan --bay N --ro RO --stage post）")
                                        : store_errmsg(st));
        r->exit_code = r->rc == OBD_ENOTFOUND ? XC_REFUSED : XC_FAIL;
        goto out;
    }
    bool has_pre = store_scan_latest(st, j->ro, pre_stages, 1, &pre_id) == OBD_OK;
    if ((has_pre && (r->rc = store_scan_load(st, pre_id, pre, NULL))) ||
        (r->rc = store_scan_load(st, post_id, post, NULL))) {
        res_text(r, "qc: %s", store_errmsg(st));
        goto out;
    }
    if ((r->rc = qc_compare(has_pre ? pre : NULL, post, db, res))) {
        res_text(r, "qc: %s", obd_strerror(r->rc));
        goto out;
    }
    if (j->actor[0]) {
        report_t *rep = calloc(1, sizeof *rep);
        char *json = NULL, *html = NULL;
        r->rc = rep ? report_load_ro(st, j->ro, REPORT_QC, b->lang, db, rep) : -ENOMEM;
        if (!r->rc) {
            report_set_signoff(rep, j->actor, wall_ms(), "", false);
            json = report_json_text(rep);
            html = report_html_text(rep);
            r->rc = json && html ? OBD_OK : -ENOMEM;
        }
        /* The sign-off and the QC message announcing it: one transaction. */
        bool tx = false;
        if (!r->rc && (r->rc = store_tx_begin(st)) == OBD_OK)
            tx = true;
        if (!r->rc)
            r->rc = store_qc_sign(st, j->ro, j->actor, qc_verdict_key(res->verdict), json, html, hex);
        free(json);
        free(html);
        if (rep) {
            report_free(rep);
            free(rep);
        }
        if (r->rc) {
            if (tx)
                store_tx_rollback(st);
            res_text(r, L(r, "qc: sign-off failed: %s", "qc：签核失败：%s"), store_errmsg(st));
            goto out;
        }
    } else if (!tx_begin(b, r, st, L(r, "the QC verdict message", "QC 结论消息"))) {
        goto out;
    }
    size_t first = r->nmsgs;
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-qc-%lld-%lld%s", b->site, (long long)post_id, (long long)pre_id,
             j->actor[0] ? "-signed" : "");
    cJSON *e = dms_envelope("obdgw.dms.qc", id, b->site);
    if (e) {
        cJSON_AddStringToObject(e, "ro", j->ro);
        cJSON_AddStringToObject(e, "verdict", qc_verdict_key(res->verdict));
        cJSON_AddNumberToObject(e, "pre_scan_id", (double)pre_id);
        cJSON_AddNumberToObject(e, "post_scan_id", (double)post_id);
        if (j->actor[0]) {
            cJSON *so = cJSON_AddObjectToObject(e, "signoff");
            cJSON_AddStringToObject(so, "inspector", j->actor);
            cJSON_AddNumberToObject(so, "signed_ms", (double)wall_ms());
            cJSON_AddStringToObject(so, "sha256", hex);
        }
        cJSON_AddItemToObject(e, "qc", qc_json(res, b->lang));
        add_msg(r, "qc", id, j->ro, e);
    }
    if ((r->rc = tx_commit(b, r, st, first, j->actor[0] ? "the QC sign-off" : "the QC verdict message")))
        goto out;
    if (j->actor[0]) {
        /* The reports: rendered to files; the DMS gets a reference (path +
         * SHA-256) it can fetch, not the documents themselves. */
        mkdir(dir, 0750);
        cJSON *docs = cJSON_CreateArray();
        int rr = 0;
        obd_lang_t other = b->lang == OBD_LANG_ZH ? OBD_LANG_EN : OBD_LANG_ZH;
        rr |= render_doc(st, b->store_path, db, j->ro, REPORT_DIAGNOSTIC, b->lang, false, dir, docs, paths, 4096);
        rr |= render_doc(st, b->store_path, db, j->ro, REPORT_DIAGNOSTIC, other, false, dir, docs, paths, 4096);
        rr |= render_doc(st, b->store_path, db, j->ro, REPORT_DIAGNOSTIC, OBD_LANG_ZH, true, dir, docs, paths, 4096);
        rr |= render_doc(st, b->store_path, db, j->ro, REPORT_QC, b->lang, true, dir, docs, paths, 4096);
        char rid[OUTBOX_MSGID_LEN];
        snprintf(rid, sizeof rid, "%s-report-%lld-%.16s", b->site, (long long)post_id, hex[0] ? hex : "unsigned");
        cJSON *re = dms_envelope("obdgw.dms.report", rid, b->site);
        /* The documents are files, not store rows: their reference is
         * queued on its own once they exist. A crash before this leaves the
         * sign-off (with the frozen report JSON/HTML and its SHA-256) and
         * the QC message committed together, which is what the DMS needs. */
        size_t rfirst = r->nmsgs;
        if (re) {
            cJSON_AddStringToObject(re, "ro", j->ro);
            cJSON_AddStringToObject(re, "delivery", "reference");
            cJSON_AddStringToObject(re, "signoff_sha256", hex);
            cJSON_AddItemToObject(re, "documents", docs);
            add_msg(r, "report", rid, j->ro, re);
        } else {
            cJSON_Delete(docs);
        }
        if (r->nmsgs > rfirst) {
            size_t q0 = r->nqueued, f0 = r->nrefused, p0 = r->npending;
            int qr = store_tx_begin(st);
            if (!qr) {
                queue_msgs(b, r, st, rfirst);
                qr = store_tx_commit(st);
            }
            if (qr) {
                drop_msgs(r, rfirst, q0, f0 + 1, p0); /* not kept pending either: nothing committed */
                snprintf(r->refused_why, sizeof r->refused_why, "%s", store_errmsg(st));
                snprintf(r->pending_why, sizeof r->pending_why, "%s", store_errmsg(st));
            }
        }
        if (rr)
            dlog(LOG_LVL_WARN, "qc: RO %s: a report document could not be rendered", j->ro);
    }
    r->exit_code = XC_OK;
    r->rc = OBD_OK;
    res_text(r,
             L(r, "qc: RO %s · pre-repair scan #%lld vs post-repair scan #%lld · verdict %s (%s)%s%s%s%s%s%s",
               "qc：工单 %s · 维修前扫描 #%lld 对比维修后扫描 #%lld · 结论 %s（%s）%s%s%s%s%s%s"),
             j->ro, (long long)pre_id, (long long)post_id, qc_verdict_key(res->verdict),
             qc_verdict_name(res->verdict, r->lang), j->actor[0] ? L(r, " · signed by ", " · 签核人 ") : "", j->actor,
             hex[0] ? " · SHA-256 " : "", hex, paths[0] ? L(r, "\nreports:", "\n报告：") : "", paths);
    r->json = qc_json(res, b->lang);
out:
    set_state(b, r->rc ? "error" : "idle", r->rc ? r->text : NULL);
    dtcdb_close(db);
    store_close(st);
    free(pre);
    free(post);
    free(res);
    free(paths);
}

/* ---- the worker ---- */

static void *worker(void *arg)
{
    bay_t *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (!b->has_job && !b->quit)
            pthread_cond_wait(&b->cv, &b->mu);
        if (b->quit && !b->has_job) {
            pthread_mutex_unlock(&b->mu);
            break;
        }
        bay_job_t j = b->job;
        b->has_job = false;
        b->busy = true;
        pthread_mutex_unlock(&b->mu);

        bay_result_t *r = calloc(1, sizeof *r);
        if (r) {
            r->bay = b->id;
            r->job_id = j.id;
            r->kind = j.kind;
            r->lang = j.lang;
            if (j.kind == JOB_SCAN)
                job_scan(b, &j, r);
            else if (j.kind == JOB_CLEAR)
                job_clear(b, &j, r);
            else if (j.kind == JOB_QC)
                job_qc(b, &j, r);
            else if (j.kind == JOB_UDS_SCAN)
                job_uds_scan(b, &j, r);
            else if (j.kind == JOB_UDS_CLEAR)
                job_uds_clear(b, &j, r);
            else if (j.kind == JOB_REMOTE)
                remote_job_run(b, j.remote);
            r->done_ms = wall_ms();
        }
        pthread_mutex_lock(&b->mu);
        b->busy = false;
        b->done++;
        pthread_mutex_unlock(&b->mu);
        /* A pointer is far below PIPE_BUF: the write is atomic. */
        if (r && write(b->result_fd, &r, sizeof r) != (ssize_t)sizeof r)
            bay_result_free(r);
    }
    drop_link(b);
    return NULL;
}

bay_t *bay_start(int id, const char *adapter, int protocol, const char *store_path, const char *site, obd_lang_t lang,
                 int result_fd)
{
    bay_t *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->id = id;
    snprintf(b->adapter, sizeof b->adapter, "%s", adapter ? adapter : "");
    b->protocol = protocol;
    snprintf(b->store_path, sizeof b->store_path, "%s", store_path);
    snprintf(b->site, sizeof b->site, "%s", site);
    b->lang = lang;
    b->result_fd = result_fd;
    snprintf(b->state, sizeof b->state, "idle");
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    /* Small stacks: the big structs are on the heap. */
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 256 * 1024);
    int rc = pthread_create(&b->th, &at, worker, b);
    pthread_attr_destroy(&at);
    if (rc) {
        free(b);
        return NULL;
    }
    return b;
}

void bay_rebind(bay_t *b, const char *adapter, int protocol)
{
    pthread_mutex_lock(&b->mu);
    if (strcmp(b->adapter, adapter) || b->protocol != protocol) {
        snprintf(b->adapter, sizeof b->adapter, "%s", adapter);
        b->protocol = protocol;
        b->rebind = true;
    }
    pthread_mutex_unlock(&b->mu);
}

void bay_set_usb(bay_t *b, const char *ident)
{
    pthread_mutex_lock(&b->mu);
    b->usb = true;
    snprintf(b->ident, sizeof b->ident, "%s", ident);
    if (!b->adapter[0]) {
        b->absent = true;
        if (!b->busy)
            snprintf(b->state, sizeof b->state, "no adapter");
    }
    pthread_mutex_unlock(&b->mu);
}

void bay_set_present(bay_t *b, const char *tty)
{
    pthread_mutex_lock(&b->mu);
    if (tty) {
        snprintf(b->adapter, sizeof b->adapter, "%s", tty);
        b->absent = false;
        if (!b->busy && !b->has_job)
            snprintf(b->state, sizeof b->state, "idle");
    } else {
        b->adapter[0] = 0;
        b->absent = true;
        if (!b->busy && !b->has_job)
            snprintf(b->state, sizeof b->state, "no adapter");
    }
    b->rebind = true;
    pthread_mutex_unlock(&b->mu);
}

bool bay_present(bay_t *b)
{
    pthread_mutex_lock(&b->mu);
    bool v = !b->absent;
    pthread_mutex_unlock(&b->mu);
    return v;
}

const char *bay_ident(bay_t *b, char *buf, size_t cap)
{
    pthread_mutex_lock(&b->mu);
    snprintf(buf, cap, "%s", b->usb ? b->ident : "");
    pthread_mutex_unlock(&b->mu);
    return buf;
}

int bay_submit(bay_t *b, const bay_job_t *job)
{
    pthread_mutex_lock(&b->mu);
    if (b->busy || b->has_job || b->quit) {
        pthread_mutex_unlock(&b->mu);
        return -EBUSY;
    }
    b->job = *job;
    b->has_job = true;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
    return 0;
}

bool bay_busy(bay_t *b)
{
    pthread_mutex_lock(&b->mu);
    bool v = b->busy || b->has_job;
    pthread_mutex_unlock(&b->mu);
    return v;
}

const char *bay_state(bay_t *b, char *last_err, size_t cap)
{
    static __thread char st[16];
    pthread_mutex_lock(&b->mu);
    snprintf(st, sizeof st, "%s", b->state);
    if (last_err)
        snprintf(last_err, cap, "%s", b->last_err);
    pthread_mutex_unlock(&b->mu);
    return st;
}

int bay_id(const bay_t *b) { return b->id; }

const char *bay_adapter(bay_t *b, char *buf, size_t cap)
{
    pthread_mutex_lock(&b->mu);
    snprintf(buf, cap, "%s", b->adapter);
    pthread_mutex_unlock(&b->mu);
    return buf;
}

uint64_t bay_jobs_done(bay_t *b)
{
    pthread_mutex_lock(&b->mu);
    uint64_t d = b->done;
    pthread_mutex_unlock(&b->mu);
    return d;
}

void bay_stop(bay_t *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->quit = true;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->th, NULL);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
}

void bay_result_free(bay_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nmsgs; i++)
        free(r->msgs[i].payload);
    free(r->text);
    cJSON_Delete(r->json);
    free(r);
}
