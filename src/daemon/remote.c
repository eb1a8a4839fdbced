/*
 * remote.c — streamed control-socket commands (live, wo, report, consent)
 * and remote support over MQTT (live streams and DTC reads, only with the
 * bay's consent). See remote.h for the shape and docs/dms-asyncapi.yaml for
 * the topics and payloads.
 *
 * One table of slots: each running job (a live stream to a CLI or to MQTT,
 * a DTC read, a wo/report command) has a pipe from the thread doing the
 * work; the loop reads it (epoll tag EV_REMOTE0 + 2*slot), a control client
 * sits next to it (tag + 1). A job ends with an END record, written after
 * every result field (not with EOF: a simulator child forked by a bay
 * worker inherits copies of the write ends).
 *
 * Consent lives in memory only: a daemon restart revokes it (the safe
 * default); every grant, revoke, expiry, stream and DTC read is appended to
 * the store's hash-chained audit log.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../cli/cli.h"
#include "obdgw/dtcdb.h"
#include "obdgw/link.h"
#include "obdgw/pid.h"
#include "obdgw/session.h"
#include "obdgw/stream.h"
#include "remote.h"

#define MAX_SLOTS 64
#define MAX_BAY_ID 100
#define REQ_MAX_BYTES 4096      /* an MQTT request larger than this is refused */
#define RATE_MAX_HZ 20.0        /* poll rounds per second, per stream */
#define REMOTE_MAX_PIDS 16
#define IDLE_DEFAULT_MS 30000
#define CONSENT_DEFAULT_MIN 30
#define CONSENT_MAX_MIN 480

enum { REC_SAMPLE = 1, REC_STARTED = 2, REC_END = 3 };
typedef struct {
    uint32_t type;
    obd_live_sample_t s;
} rec_t;

typedef enum { RJ_LIVE = 1, RJ_DTC, RJ_CMD } rj_kind_t;

/* Why a stream ended (keys in the final message; texts below). */
typedef enum {
    END_NONE = 0,
    END_DONE,      /* count or duration reached */
    END_STOPPED,   /* asked to stop */
    END_REVOKED,   /* the bay revoked its consent */
    END_EXPIRED,   /* the consent's time ran out */
    END_ADAPTER,   /* the adapter or the vehicle link failed */
    END_REQUESTER, /* the requester is gone (its Will) */
    END_IDLE,      /* no keepalive from the requester */
    END_SHUTDOWN,  /* obdgwd is stopping */
    END_CLIENT,    /* the CLI that asked went away */
    END_ERROR,     /* could not start */
    END_SILENT,    /* every PID asked was given up: the ECUs list them but never answered */
    END_UNPLUGGED, /* the bay's USB adapter was pulled out (the recording is closed, cut short) */
} end_t;

static const struct {
    const char *key, *en, *zh;
} end_text[] = {
    [END_NONE] = { "none", "", "" },
    [END_DONE] = { "done", "the requested count or duration was reached", "已达到请求的数量或时长" },
    [END_STOPPED] = { "stopped", "stopped on request", "应请求停止" },
    [END_REVOKED] = { "consent_revoked", "the bay revoked its consent", "工位已撤销远程授权" },
    [END_EXPIRED] = { "consent_expired", "the bay's consent expired", "工位的远程授权已过期" },
    [END_ADAPTER] = { "adapter_lost", "the adapter or the vehicle link failed", "诊断接头或车辆连接中断" },
    [END_REQUESTER] = { "requester_gone", "the requester went offline", "请求方已离线" },
    [END_IDLE] = { "idle_timeout", "no keepalive from the requester in time", "请求方未按时发送保活消息" },
    [END_SHUTDOWN] = { "shutdown", "the gateway service is stopping", "网关服务正在停止" },
    [END_CLIENT] = { "client_gone", "the command that asked went away", "发起请求的命令已退出" },
    [END_ERROR] = { "error", "the stream could not start", "数据流无法启动" },
    [END_SILENT] = { "vehicle_silent", "no ECU answered the PIDs asked for (listed but silent)",
                     "控制单元列出了所请求的 PID 但均无应答" },
    [END_UNPLUGGED] = { "adapter_unplugged", "adapter unplugged (a recording is closed and marked cut short)",
                        "接头已拔出（数据流记录已关闭并标记为中途截断）" },
};

typedef struct rjob {
    rj_kind_t kind;
    int wfd;         /* the worker's once `submitted`: it closes it */
    bool submitted;
    atomic_int stop; /* end_t the loop asks for; 0: keep going */
    int bay;
    /* live */
    uint8_t pids[OBD_LIVE_MAX_PIDS];
    size_t npids;
    long count;
    int64_t duration_ms;
    int interval_ms;
    bool single, record, started;
    bool lossless;   /* to a CLI: wait for room (as stdout would) rather than drop */
    char ro[STORE_RO_LEN];
    char store_path[512];
    char adapter[128];
    /* results: written by the worker before it closes wfd */
    int rc, exit_code, end;
    char err[320];
    long samples, dropped;
    unsigned requests, fallbacks;
    double secs;
    uint8_t unsup[OBD_LIVE_MAX_PIDS];
    size_t nunsup;
    int64_t rec_id;
    long long rec_samples;
    bool rec_saved;
    cJSON *dtc;
    /* wo / report */
    int argc;
    char *argv[72];
    obd_lang_t lang;
    bool json;
    char want_file[8];
    int64_t outbox_max_messages, outbox_max_bytes; /* dms resend: the daemon's bound */
    char *out, *errs;
    size_t outlen, errlen;
    unsigned char *file;
    size_t filelen;
} rjob_t;

typedef enum { SL_FREE = 0, SL_CTL_LIVE, SL_CTL_CMD, SL_MQ_LIVE, SL_MQ_DTC } sl_kind_t;

/* Where an MQTT answer goes: the request's response topic and correlation
 * data (MQTT 5 properties, or payload members on MQTT 3.1.1). */
typedef struct {
    char topic[257];
    unsigned char corr[256];
    size_t corr_len;
    bool in_payload;
} route_t;

typedef struct {
    sl_kind_t kind;
    rjob_t *job;
    int rfd, cfd;
    obd_lang_t lang;
    int bay;
    /* MQTT streams and reads */
    route_t route;
    char stream_id[96], requester[64], pids_text[160];
    int64_t last_seen_ms, started_ms;
    int idle_ms;
    uint64_t seq;
    int asked_end;
    size_t partial; /* bytes of a record already read */
    unsigned char pbuf[sizeof(rec_t)];
} slot_t;

typedef struct {
    bool granted;     /* until revoked; valid while mono now < until_mono_ms */
    bool expired;     /* the expiry was handled (audited, streams ended) */
    int64_t until_mono_ms; /* CLOCK_MONOTONIC: what decides (a wall-clock step changes nothing) */
    int64_t until_ms; /* wall clock at the grant + the window: for display only */
    char to[64], by[64];
} consent_t;

struct remote {
    remote_env_t env;
    slot_t slots[MAX_SLOTS];
    consent_t consent[MAX_BAY_ID];
    uint64_t next_stream;
    int64_t log_window_ms;
    unsigned log_in_window, log_suppressed;
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Time boxes (consent, idle timeouts) run on CLOCK_MONOTONIC: an SBC
 * without RTC whose clock NTP steps must not stretch or cut them. */
static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *site(const remote_t *r) { return r->env.cfg->site; }

/* Append an audit entry: 0, or negative when it could not be written
 * (store full, read-only, failing): the caller then refuses what it was
 * about to allow (fail-closed). `why` (may be NULL) gets the reason. */
static int audit(remote_t *r, const char *action, const char *actor, cJSON *details, char *why, size_t whycap)
{
    char *s = details ? cJSON_PrintUnformatted(details) : NULL;
    cJSON_Delete(details);
    int rc = s ? store_audit_append(r->env.st, action, "", actor && *actor ? actor : "-", s) : OBD_EINVAL;
    if (rc) {
        dlog(LOG_LVL_ERR, "remote: audit entry %s NOT written: %s", action, s ? store_errmsg(r->env.st) : "no memory");
        if (why)
            snprintf(why, whycap, "%s", s ? store_errmsg(r->env.st) : "out of memory");
    }
    free(s);
    return rc;
}

/* ================= worker side (bay threads, command threads) ================= */

static void job_done(rjob_t *j)
{
    atomic_thread_fence(memory_order_release);
    /* Once END is written the loop may free j at any moment: nothing below
     * touches it. */
    int fd = j->wfd;
    rec_t end;
    memset(&end, 0, sizeof end);
    end.type = REC_END;
    /* The END record must arrive: wait for room (the loop drains the pipe). */
    for (int tries = 0; tries < 10000; tries++) {
        ssize_t w = write(fd, &end, sizeof end);
        if (w == (ssize_t)sizeof end || (w < 0 && errno != EAGAIN && errno != EINTR))
            break;
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    close(fd);
}

static bool put_rec(rjob_t *j, uint32_t type, const obd_live_sample_t *s)
{
    rec_t rc;
    memset(&rc, 0, sizeof rc);
    rc.type = type;
    if (s)
        rc.s = *s;
    /* Non-blocking and far below PIPE_BUF: a record is written whole or not
     * at all. A full pipe means the loop is behind: a remote stream drops
     * the sample (counted) rather than stalling the vehicle link; a CLI
     * gets every sample, as the standalone command's stdout would. */
    for (;;) {
        if (write(j->wfd, &rc, sizeof rc) == (ssize_t)sizeof rc)
            return true;
        if (!j->lossless || errno != EAGAIN || atomic_load(&j->stop))
            break;
        struct timespec ts = { 0, 500000 };
        nanosleep(&ts, NULL);
    }
    j->dropped++;
    return false;
}

/* Sleep up to ms, waking early when the loop asks to stop. */
static void nap(rjob_t *j, int64_t ms)
{
    while (ms > 0 && !atomic_load(&j->stop)) {
        int64_t step = ms > 50 ? 50 : ms;
        struct timespec ts = { 0, (long)step * 1000000L };
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

static void live_run(bay_t *b, rjob_t *j)
{
    store_t *st = NULL;
    store_rec_writer_t *rw = NULL;
    char err[256] = "";
    j->exit_code = 1;
    j->end = END_ERROR;
    if (j->record) {
        if ((j->rc = store_open(j->store_path, &st, err, sizeof err))) {
            snprintf(j->err, sizeof j->err, "live: cannot open the store: %s", err);
            return;
        }
    }
    obd_link_t *l = bay_link(b, err, sizeof err);
    if (!l) {
        j->rc = OBD_ELINK;
        j->end = END_ADAPTER;
        snprintf(j->err, sizeof j->err, "live: %s", err);
        store_close(st);
        return;
    }
    obd_live_t lv;
    j->rc = obd_live_init(&lv, l, j->pids, j->npids, !j->single, j->unsup, &j->nunsup);
    if (j->rc) {
        snprintf(j->err, sizeof j->err, "live: %s%s%s", obd_strerror(j->rc), l->errmsg[0] ? ": " : "", l->errmsg);
        j->end = END_ADAPTER;
        bay_link_drop(b);
        store_close(st);
        return;
    }
    if (st && (j->rc = store_rec_begin(st, j->ro[0] ? j->ro : NULL, j->adapter, j->pids, j->npids, &rw))) {
        snprintf(j->err, sizeof j->err, "live: %s", store_errmsg(st));
        j->exit_code = j->rc == OBD_ESTATE ? 5 : j->rc == OBD_ENOTFOUND ? 3 : 1;
        store_close(st);
        return;
    }
    j->started = true;
    put_rec(j, REC_STARTED, NULL);
    if (j->nunsup == j->npids) {
        j->exit_code = 3;
        j->rc = OBD_ENOTFOUND;
        snprintf(j->err, sizeof j->err, "live: no ECU supports any of the PIDs asked for");
        if (rw)
            store_rec_end(rw, NULL);
        store_close(st);
        return;
    }
    j->exit_code = 0;
    j->end = END_DONE;
    uint64_t t0 = obd_now_ms();
    unsigned req0 = lv.requests;
    obd_live_sample_t buf[OBD_LIVE_MAX_PIDS * OBD_SCAN_MAX_ECUS];
    long count = j->count;
    if (!count && !j->duration_ms && j->kind == RJ_LIVE && !j->interval_ms)
        count = 10 * (long)j->npids; /* the standalone default */
    for (;;) {
        int stop = atomic_load(&j->stop);
        if (stop) {
            j->end = stop;
            break;
        }
        uint64_t round0 = obd_now_ms();
        int n = obd_live_poll(&lv, l, buf, sizeof buf / sizeof buf[0]);
        if (n < 0 && lv.all_silent) { /* the link is fine: the PIDs are silent (bounded, not polled forever) */
            char who[200];
            snprintf(j->err, sizeof j->err, "live: no answer from %s", obd_live_silent_text(&lv, who, sizeof who));
            j->rc = n;
            j->exit_code = 1;
            j->end = END_SILENT;
            break;
        }
        if (n < 0) {
            bool gone = bay_unplugged(b);
            if (gone)
                snprintf(j->err, sizeof j->err, "live: adapter unplugged%s", rw ? ": the recording is closed, marked cut short" : "");
            else
                snprintf(j->err, sizeof j->err, "live: %s%s%s", obd_strerror(n), l->errmsg[0] ? ": " : "", l->errmsg);
            j->rc = n;
            j->exit_code = 1;
            j->end = gone ? END_UNPLUGGED : END_ADAPTER;
            bay_link_drop(b);
            break;
        }
        int take = n;
        if (count && j->samples + take > count)
            take = (int)(count - j->samples);
        if (rw && take > 0 && (j->rc = store_rec_add(rw, buf, (size_t)take))) {
            snprintf(j->err, sizeof j->err, "live: recording stopped: %s", store_errmsg(st));
            j->exit_code = 1;
            j->end = END_ERROR;
            break;
        }
        for (int k = 0; k < take; k++, j->samples++)
            put_rec(j, REC_SAMPLE, &buf[k]);
        if (count && j->samples >= count)
            break;
        if (j->duration_ms && (int64_t)(obd_now_ms() - t0) >= j->duration_ms)
            break;
        if (j->interval_ms)
            nap(j, j->interval_ms - (int64_t)(obd_now_ms() - round0));
    }
    j->secs = (double)(obd_now_ms() - t0) / 1000.0;
    j->requests = lv.requests - req0;
    j->fallbacks = lv.fallbacks;
    if (rw) {
        store_recording_t rec;
        int rc = store_rec_end(rw, &rec);
        if (rc) {
            snprintf(j->err, sizeof j->err, "live: recording: %s", store_errmsg(st));
            j->exit_code = 1;
        } else {
            j->rec_saved = true;
            j->rec_id = rec.id;
            j->rec_samples = (long long)rec.samples;
            if (j->end == END_UNPLUGGED) { /* the mark: the recording ends where the adapter went */
                char d[160];
                snprintf(d, sizeof d, "{\"rec_id\":%lld,\"bay\":%d,\"samples\":%lld,\"reason\":\"adapter unplugged\"}",
                         (long long)rec.id, j->bay, (long long)rec.samples);
                if (store_audit_append(st, "recording_cut_short", j->ro, "obdgwd", d))
                    dlog(LOG_LVL_ERR, "bay %d: recording %lld: the cut-short mark was NOT written: %s", j->bay,
                         (long long)rec.id, store_errmsg(st));
            }
        }
    }
    store_close(st);
}

static cJSON *dtc_list(const obd_dtc_set_t *set, dtcdb_t *db, const char *wmi)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < set->count; i++) {
        char code[OBD_DTC_TEXT_LEN];
        obd_dtc_format(set->dtcs[i], code);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", code);
        dtcdb_entry_t de;
        if (db && dtcdb_lookup(db, set->dtcs[i], wmi, OBD_LANG_EN, &de) == OBD_OK)
            cJSON_AddStringToObject(o, "en", de.desc);
        if (db && dtcdb_lookup(db, set->dtcs[i], wmi, OBD_LANG_ZH, &de) == OBD_OK)
            cJSON_AddStringToObject(o, "zh", de.desc);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* DTCs only: no VIN, no freeze frame, nothing saved to an RO. */
static void dtc_run(bay_t *b, rjob_t *j)
{
    char err[256];
    j->end = END_ERROR;
    obd_link_t *l = bay_link(b, err, sizeof err);
    if (!l) {
        j->rc = OBD_ELINK;
        snprintf(j->err, sizeof j->err, "%s", err);
        return;
    }
    obd_scan_t *s = calloc(1, sizeof *s);
    if (!s) {
        j->rc = -ENOMEM;
        return;
    }
    j->rc = obd_scan_run(l, s, NULL, NULL);
    if (j->rc && s->necus == 0) {
        snprintf(j->err, sizeof j->err, "%s%s%s", obd_strerror(j->rc), l->errmsg[0] ? ": " : "", l->errmsg);
        bay_link_drop(b);
        free(s);
        return;
    }
    if (j->rc)
        bay_link_drop(b);
    dtcdb_t *db = NULL;
    dtcdb_open(&db, NULL, NULL);
    char wmi[4] = "";
    if (strlen(s->vin) >= 3)
        memcpy(wmi, s->vin, 3);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "mil_on", s->mil_on);
    cJSON_AddBoolToObject(o, "partial", j->rc != 0);
    cJSON_AddBoolToObject(o, "recently_cleared", s->recently_cleared);
    cJSON *ecus = cJSON_AddArrayToObject(o, "ecus");
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        cJSON *x = cJSON_CreateObject();
        char a[16];
        snprintf(a, sizeof a, "%X", (unsigned)e->addr);
        cJSON_AddStringToObject(x, "ecu", a);
        cJSON_AddStringToObject(x, "name", e->name);
        cJSON_AddItemToObject(x, "stored", dtc_list(&e->stored, db, wmi[0] ? wmi : NULL));
        cJSON_AddItemToObject(x, "pending", dtc_list(&e->pending, db, wmi[0] ? wmi : NULL));
        cJSON_AddItemToObject(x, "permanent", dtc_list(&e->permanent, db, wmi[0] ? wmi : NULL));
        cJSON_AddItemToArray(ecus, x);
    }
    dtcdb_close(db);
    free(s);
    j->dtc = o;
    j->rc = 0;
    j->end = END_DONE;
}

void remote_job_run(bay_t *b, void *job)
{
    rjob_t *j = job;
    bay_set_state(b, j->kind == RJ_LIVE ? "live" : "reading", NULL);
    if (j->kind == RJ_LIVE)
        live_run(b, j);
    else
        dtc_run(b, j);
    bay_set_state(b, j->end == END_ADAPTER ? "error" : "idle", j->end == END_ADAPTER ? j->err : NULL);
    job_done(j);
}

/* `report` runs in the `obdgw` beside the daemon (cli_child.c): the same
 * cmd_report, without loading pango/cairo into obdgwd. Its stdout and
 * stderr are copied into `o` and `e` verbatim. */
static int report_child(rjob_t *j, FILE *o, FILE *e)
{
    const char *args[80];
    int n = 0;
    args[n++] = "--store";
    args[n++] = j->store_path;
    args[n++] = "--lang";
    args[n++] = j->lang == OBD_LANG_ZH ? "zh" : "en";
    if (j->json)
        args[n++] = "--json";
    for (int i = 0; i < j->argc && n < 78; i++)
        if (strcmp(j->argv[i], "--daemon"))
            args[n++] = j->argv[i];
    args[n] = NULL;
    FILE *fo = tmpfile(), *fe = tmpfile();
    int code = 1;
    if (!fo || !fe || daemon_run_cli(args, fileno(fo), fileno(fe), &code)) {
        fprintf(e, "obdgwd: %s\n", obd_tr(j->lang, "cannot run obdgw to render the report (is it installed beside obdgwd?)",
                                           "无法运行 obdgw 生成报告（是否与 obdgwd 安装在同一目录？）"));
        code = 1;
    } else {
        FILE *pairs[2][2] = { { fo, o }, { fe, e } };
        for (int k = 0; k < 2; k++) {
            char buf[8192];
            size_t m;
            rewind(pairs[k][0]);
            while ((m = fread(buf, 1, sizeof buf, pairs[k][0])) > 0)
                fwrite(buf, 1, m, pairs[k][1]);
        }
    }
    if (fo)
        fclose(fo);
    if (fe)
        fclose(fe);
    return code;
}

static void *cmd_thread(void *arg)
{
    rjob_t *j = arg;
    cli_t cli = { .lang = j->lang, .json = j->json, .prog = "obdgw", .store_path = j->store_path };
    FILE *o = open_memstream(&j->out, &j->outlen), *e = open_memstream(&j->errs, &j->errlen);
    char tmp[] = "/tmp/obdgwd-report-XXXXXX";
    int tfd = -1;
    if (j->want_file[0] && (tfd = mkstemp(tmp)) >= 0 && j->argc + 2 < (int)(sizeof j->argv / sizeof j->argv[0])) {
        close(tfd);
        j->argv[j->argc++] = strdup("-o");
        j->argv[j->argc++] = strdup(tmp);
    }
    if (!o || !e) {
        j->exit_code = 1;
    } else {
        cli.out = o;
        cli.err = e;
        cli.outbox_max_messages = j->outbox_max_messages;
        cli.outbox_max_bytes = j->outbox_max_bytes;
        j->exit_code = !strcmp(j->argv[0], "wo")         ? cmd_wo(&cli, j->argc, j->argv)
                       : !strcmp(j->argv[0], "dms")      ? cmd_dms(&cli, j->argc, j->argv)
                       : !strcmp(j->argv[0], "vehicle")  ? cmd_vehicle(&cli, j->argc, j->argv)
                       : !strcmp(j->argv[0], "followup") ? cmd_followup(&cli, j->argc, j->argv)
                                                         : report_child(j, o, e);
    }
    if (o)
        fclose(o);
    if (e)
        fclose(e);
    if (tfd >= 0) {
        if (j->exit_code == 0) {
            FILE *f = fopen(tmp, "rb");
            if (f) {
                fseek(f, 0, SEEK_END);
                long n = ftell(f);
                fseek(f, 0, SEEK_SET);
                j->file = n >= 0 ? malloc((size_t)n + 1) : NULL;
                if (j->file && fread(j->file, 1, (size_t)n, f) == (size_t)n)
                    j->filelen = (size_t)n;
                fclose(f);
            }
            /* "report written: /tmp/..." names the daemon's file: the CLI
             * says where it wrote its own. */
            free(j->errs);
            j->errs = NULL;
            j->errlen = 0;
        }
        unlink(tmp);
    }
    job_done(j);
    return NULL;
}

/* ================= loop side ================= */

static void job_free(rjob_t *j)
{
    if (!j)
        return;
    if (!j->submitted && j->wfd >= 0)
        close(j->wfd);
    for (int i = 0; i < j->argc; i++)
        free(j->argv[i]);
    cJSON_Delete(j->dtc);
    free(j->out);
    free(j->errs);
    free(j->file);
    free(j);
}

static rjob_t *job_new(rj_kind_t kind, int *rfd)
{
    rjob_t *j = calloc(1, sizeof *j);
    int p[2];
    if (!j || pipe2(p, O_CLOEXEC) < 0) {
        free(j);
        return NULL;
    }
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    j->kind = kind;
    j->wfd = p[1];
    *rfd = p[0];
    return j;
}

static int slot_new(remote_t *r)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (r->slots[i].kind == SL_FREE) {
            memset(&r->slots[i], 0, sizeof r->slots[i]);
            r->slots[i].rfd = r->slots[i].cfd = -1;
            return i;
        }
    return -1;
}

static void ep_add(remote_t *r, int fd, uint64_t tag)
{
    struct epoll_event e = { .events = EPOLLIN, .data.u64 = tag };
    if (epoll_ctl(r->env.ep, EPOLL_CTL_ADD, fd, &e) < 0)
        dlog(LOG_LVL_ERR, "remote: epoll add: %s", strerror(errno));
}

static void close_client(remote_t *r, slot_t *s)
{
    if (s->cfd < 0)
        return;
    epoll_ctl(r->env.ep, EPOLL_CTL_DEL, s->cfd, NULL);
    shutdown(s->cfd, SHUT_RDWR);
    close(s->cfd);
    s->cfd = -1;
}

static void slot_free(remote_t *r, slot_t *s)
{
    close_client(r, s);
    if (s->rfd >= 0) {
        epoll_ctl(r->env.ep, EPOLL_CTL_DEL, s->rfd, NULL);
        close(s->rfd);
    }
    job_free(s->job);
    memset(s, 0, sizeof *s);
    s->rfd = s->cfd = -1;
}

/* Write all of buf to a (non-blocking) control client, waiting up to 2 s
 * for room; -1 when it is gone or stuck. */
static int client_write(int fd, const char *buf, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            if (poll(&p, 1, 2000) <= 0)
                return -1;
            continue;
        }
        return -1;
    }
    return 0;
}

/* One JSON line to a client (and free it). */
static int client_json(int fd, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    int rc = -1;
    if (s) {
        size_t n = strlen(s);
        s[n] = 0;
        rc = client_write(fd, s, n);
        if (!rc)
            rc = client_write(fd, "\n", 1);
    }
    free(s);
    return rc;
}

/* The final answer to a control client, then close it. */
static void ctl_answer(int fd, int exit_code, const char *text, cJSON *extra)
{
    cJSON *o = extra ? extra : cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "exit", exit_code);
    cJSON_AddStringToObject(o, "text", text ? text : "");
    client_json(fd, o);
    shutdown(fd, SHUT_RDWR);
    close(fd);
}

static bool consent_valid(remote_t *r, int bay, int64_t now)
{
    (void)now;
    return bay > 0 && bay < MAX_BAY_ID && r->consent[bay].granted && mono_ms() < r->consent[bay].until_mono_ms;
}

static slot_t *bay_stream(remote_t *r, int bay)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if ((r->slots[i].kind == SL_MQ_LIVE || r->slots[i].kind == SL_MQ_DTC) && r->slots[i].bay == bay)
            return &r->slots[i];
    return NULL;
}

static void ask_end(slot_t *s, end_t why)
{
    if (!s->asked_end)
        s->asked_end = why;
    if (s->job) {
        int zero = 0;
        atomic_compare_exchange_strong(&s->job->stop, &zero, (int)why);
    }
}

static void fmt_clock(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%H:%M", &tm);
}

/* ---------------- consent (control socket) ---------------- */

static void end_bay_streams(remote_t *r, int bay, end_t why)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if ((r->slots[i].kind == SL_MQ_LIVE || r->slots[i].kind == SL_MQ_DTC) && r->slots[i].bay == bay)
            ask_end(&r->slots[i], why);
}

static void ctl_consent(remote_t *r, int fd, int argc, const char **argv, obd_lang_t lang, const char *actor)
{
    int bay = -1;
    long minutes = CONSENT_DEFAULT_MIN;
    int what = 0; /* 1 grant, 2 revoke, 0 show */
    const char *to = "", *by = actor;
    char t[512];
    for (int i = 1; i < argc; i++) {
        bool has = i + 1 < argc;
        char *end = NULL;
        if (!strcmp(argv[i], "--bay") && has) {
            bay = (int)strtol(argv[++i], &end, 10);
            if (*end)
                bay = -1;
        } else if (!strcmp(argv[i], "--grant")) {
            what = 1;
        } else if (!strcmp(argv[i], "--revoke")) {
            what = 2;
        } else if (!strcmp(argv[i], "--minutes") && has) {
            minutes = strtol(argv[++i], &end, 10);
            if (*end || minutes < 1 || minutes > CONSENT_MAX_MIN) {
                snprintf(t, sizeof t, "consent: --minutes %s",
                         obd_tr(lang, "takes 1 to 480", "取值 1 到 480"));
                ctl_answer(fd, 2, t, NULL);
                return;
            }
        } else if (!strcmp(argv[i], "--seconds") && has) {
            /* a short window (tests, a quick look) */
            long sec = strtol(argv[++i], &end, 10);
            if (*end || sec < 1 || sec > CONSENT_MAX_MIN * 60) {
                ctl_answer(fd, 2, "consent: --seconds takes 1 to 28800", NULL);
                return;
            }
            minutes = -sec;
        } else if (!strcmp(argv[i], "--to") && has) {
            to = argv[++i];
        } else if (!strcmp(argv[i], "--by") && has) {
            by = argv[++i];
        } else {
            snprintf(t, sizeof t, "consent: %s '%s'", obd_tr(lang, "unknown option", "未知选项"), argv[i]);
            ctl_answer(fd, 2, t, NULL);
            return;
        }
    }
    if (bay <= 0 || bay >= MAX_BAY_ID || !r->env.find_bay(r->env.ctx, bay)) {
        snprintf(t, sizeof t, "consent: %s",
                 obd_tr(lang, "give --bay N of a bay on this gateway (obdgw status lists them)",
                        "请用 --bay N 指定本网关的工位（obdgw status 可列出）"));
        ctl_answer(fd, bay <= 0 ? 2 : 3, t, NULL);
        return;
    }
    if (strlen(to) >= sizeof r->consent[0].to) {
        ctl_answer(fd, 2, "consent: --to is longer than 63 characters", NULL);
        return;
    }
    consent_t *c = &r->consent[bay];
    int64_t now = wall_ms();
    char hm[16];
    if (what == 1) {
        int64_t win = minutes < 0 ? -minutes * 1000 : minutes * 60000;
        int64_t until = now + win;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "bay", bay);
        cJSON_AddNumberToObject(d, "seconds", (double)(win / 1000));
        cJSON_AddStringToObject(d, "to", to);
        cJSON_AddNumberToObject(d, "until_ms", (double)until);
        char why[256];
        /* Fail-closed: no consent without its audit entry. */
        if (audit(r, "remote_consent_grant", by, d, why, sizeof why)) {
            snprintf(t, sizeof t, "%s %d: %s (%s)", obd_tr(lang, "bay", "工位"), bay,
                     obd_tr(lang, "remote support NOT allowed: the audit entry could not be written",
                            "未允许远程支持：无法写入审计记录"),
                     why);
            ctl_answer(fd, 1, t, NULL);
            return;
        }
        c->granted = true;
        c->expired = false;
        c->until_ms = until;
        c->until_mono_ms = mono_ms() + win;
        snprintf(c->to, sizeof c->to, "%s", to);
        snprintf(c->by, sizeof c->by, "%s", by ? by : "");
        fmt_clock(c->until_ms, hm, sizeof hm);
        long long left = (long long)((win + 59999) / 60000);
        if (lang == OBD_LANG_ZH)
            snprintf(t, sizeof t, "工位 %d：已允许%s%s%s远程支持，有效至 %s（%lld 分钟）", bay, to[0] ? " " : "", to,
                     to[0] ? " " : "", hm, left);
        else
            snprintf(t, sizeof t, "bay %d: remote support allowed%s%s until %s (%lld min)", bay, to[0] ? " for " : "",
                     to, hm, left);
        dlog(LOG_LVL_INFO, "remote: bay %d consent granted for %lld s%s%s", bay, (long long)(win / 1000),
             to[0] ? " to " : "", to);
        ctl_answer(fd, 0, t, NULL);
        return;
    }
    if (what == 2) {
        bool was = consent_valid(r, bay, now);
        c->granted = false;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "bay", bay);
        cJSON_AddBoolToObject(d, "was_granted", was);
        char why[256];
        /* Revoking is the safe direction: done even when the audit entry
         * cannot be written, but said (exit 1). */
        int arc = audit(r, "remote_consent_revoke", by, d, why, sizeof why);
        end_bay_streams(r, bay, END_REVOKED);
        snprintf(t, sizeof t, "%s %d: %s%s%s", obd_tr(lang, "bay", "工位"), bay,
                 obd_tr(lang, "remote support consent revoked; any remote stream stops",
                        "已撤销远程支持授权；远程数据流随即停止"),
                 arc ? obd_tr(lang, "; WARNING: the audit entry could not be written: ", "；警告：无法写入审计记录：") : "",
                 arc ? why : "");
        dlog(LOG_LVL_INFO, "remote: bay %d consent revoked", bay);
        ctl_answer(fd, arc ? 1 : 0, t, NULL);
        return;
    }
    if (consent_valid(r, bay, now)) {
        fmt_clock(c->until_ms, hm, sizeof hm);
        snprintf(t, sizeof t, "%s %d: %s %s %s%s%s", obd_tr(lang, "bay", "工位"), bay,
                 obd_tr(lang, "remote support allowed until", "远程支持授权有效至"), hm, c->to[0] ? "· " : "",
                 c->to[0] ? obd_tr(lang, "for ", "对象 ") : "", c->to);
    } else {
        snprintf(t, sizeof t, "%s %d: %s", obd_tr(lang, "bay", "工位"), bay,
                 obd_tr(lang, "no remote support consent", "未授权远程支持"));
    }
    ctl_answer(fd, 0, t, NULL);
}

/* ---------------- live (control socket) ---------------- */

static int parse_pid_list(const char *list, uint8_t *pids, size_t max, size_t *n, char *bad, size_t badcap)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const obd_pid_t *p = obd_pid_find(tok);
        if (!p || (p->flags & OBD_PF_BITMAP)) {
            snprintf(bad, badcap, "%s", tok);
            return OBD_ENOTFOUND;
        }
        if (*n >= max)
            return OBD_ENOSPC;
        bool dup = false;
        for (size_t k = 0; k < *n; k++)
            dup |= pids[k] == p->pid;
        if (!dup)
            pids[(*n)++] = p->pid;
    }
    return *n ? OBD_OK : OBD_EINVAL;
}

static void ctl_live(remote_t *r, int fd, int argc, const char **argv, obd_lang_t lang)
{
    int bay = -1;
    const char *pidlist = "";
    char t[320], bad[64] = "";
    int si = slot_new(r), rfd = -1;
    rjob_t *j = si >= 0 ? job_new(RJ_LIVE, &rfd) : NULL;
    if (!j) {
        ctl_answer(fd, 1, "obdgwd: too many running jobs", NULL);
        return;
    }
    for (int i = 1; i < argc; i++) {
        bool has = i + 1 < argc;
        if (!strcmp(argv[i], "--bay") && has)
            bay = atoi(argv[++i]);
        else if ((!strcmp(argv[i], "--pid") || !strcmp(argv[i], "-p")) && has)
            pidlist = argv[++i];
        else if (!strcmp(argv[i], "--count") && has)
            j->count = atol(argv[++i]);
        else if (!strcmp(argv[i], "--duration") && has)
            j->duration_ms = (int64_t)(atof(argv[++i]) * 1000);
        else if (!strcmp(argv[i], "--single"))
            j->single = true;
        else if (!strcmp(argv[i], "--record"))
            j->record = true;
        else if (!strcmp(argv[i], "--ro") && has)
            snprintf(j->ro, sizeof j->ro, "%s", argv[++i]);
        else {
            snprintf(t, sizeof t, "live: unknown option '%s' for the daemon", argv[i]);
            goto refuse2;
        }
    }
    int rc = parse_pid_list(pidlist, j->pids, OBD_LIVE_MAX_PIDS, &j->npids, bad, sizeof bad);
    if (rc || j->count < 0 || j->duration_ms < 0) {
        snprintf(t, sizeof t, "live: %s%s%s", rc == OBD_ENOTFOUND ? obd_tr(lang, "unknown PID '", "未知 PID '") : "",
                 rc == OBD_ENOTFOUND ? bad : obd_tr(lang, "give --pid rpm,speed,... (at most 32), positive --count/--duration",
                                                   "请用 --pid rpm,speed,...（最多 32 个），--count/--duration 须为正数"),
                 rc == OBD_ENOTFOUND ? "'" : "");
        close(rfd);
        job_free(j);
        ctl_answer(fd, rc == OBD_ENOTFOUND ? 3 : 2, t, NULL);
        return;
    }
    bay_t *b = r->env.find_bay(r->env.ctx, bay);
    if (!b) {
        snprintf(t, sizeof t, "live: no bay %d on this gateway (obdgw status lists them)", bay);
        close(rfd);
        job_free(j);
        ctl_answer(fd, 3, t, NULL);
        return;
    }
    j->bay = bay;
    j->lang = lang;
    j->lossless = true;
    snprintf(j->store_path, sizeof j->store_path, "%s", r->env.cfg->store);
    bay_adapter(b, j->adapter, sizeof j->adapter);
    bay_job_t bj;
    memset(&bj, 0, sizeof bj);
    bj.kind = JOB_REMOTE;
    bj.remote = j;
    j->submitted = true;
    if (bay_submit(b, &bj)) {
        j->submitted = false;
        snprintf(t, sizeof t, "live: %s %d %s", obd_tr(lang, "bay", "工位"), bay,
                 obd_tr(lang, "is busy with another job; try again when it is idle", "正忙于其他任务，请在空闲后重试"));
        close(rfd);
        job_free(j);
        ctl_answer(fd, 5, t, NULL);
        return;
    }
    slot_t *s = &r->slots[si];
    s->kind = SL_CTL_LIVE;
    s->job = j;
    s->rfd = rfd;
    s->cfd = fd;
    s->bay = bay;
    s->lang = lang;
    ep_add(r, rfd, EV_REMOTE0 + 2u * (unsigned)si);
    ep_add(r, fd, EV_REMOTE0 + 2u * (unsigned)si + 1);
    dlog(LOG_LVL_INFO, "control: live on bay %d (%zu PID(s))", bay, j->npids);
    return;
refuse2:
    close(rfd);
    job_free(j);
    ctl_answer(fd, 2, t, NULL);
}

/* ---------------- wo / report (control socket) ---------------- */

static void ctl_cmd(remote_t *r, int fd, int argc, const char **argv, const cJSON *req, obd_lang_t lang)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) /* after "--" an argument is an RO, not an option */
        if (!strcmp(argv[i], "--store") || !strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            char t[200];
            snprintf(t, sizeof t, "%s: %s %s", argv[0], argv[i],
                     obd_tr(lang, "is not taken through the daemon (it uses its own store; the CLI writes -o files)",
                            "不能经由服务使用（服务使用自己的数据库；-o 文件由命令行写入）"));
            ctl_answer(fd, 2, t, NULL);
            return;
        }
    int si = slot_new(r), rfd = -1;
    rjob_t *j = si >= 0 && argc < 64 ? job_new(RJ_CMD, &rfd) : NULL;
    if (!j) {
        ctl_answer(fd, 1, "obdgwd: too many running jobs", NULL);
        return;
    }
    for (int i = 0; i < argc; i++)
        j->argv[j->argc++] = strdup(argv[i]);
    j->lang = lang;
    j->json = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "json"));
    const cJSON *wf = cJSON_GetObjectItemCaseSensitive(req, "want_file");
    if (cJSON_IsString(wf) && !strcmp(argv[0], "report"))
        snprintf(j->want_file, sizeof j->want_file, "%s", wf->valuestring);
    snprintf(j->store_path, sizeof j->store_path, "%s", r->env.cfg->store);
    j->outbox_max_messages = r->env.cfg->outbox_max_messages;
    j->outbox_max_bytes = r->env.cfg->outbox_max_bytes;
    pthread_t th;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    j->submitted = true;
    int rc = pthread_create(&th, &at, cmd_thread, j);
    pthread_attr_destroy(&at);
    if (rc) {
        j->submitted = false;
        close(rfd);
        job_free(j);
        ctl_answer(fd, 1, "obdgwd: cannot start a thread for the command", NULL);
        return;
    }
    slot_t *s = &r->slots[si];
    s->kind = SL_CTL_CMD;
    s->job = j;
    s->rfd = rfd;
    s->cfd = fd; /* not watched: the answer comes when the command is done */
    s->lang = lang;
    ep_add(r, rfd, EV_REMOTE0 + 2u * (unsigned)si);
}

bool remote_ctl_command(const char *cmd)
{
    return !strcmp(cmd, "live") || !strcmp(cmd, "wo") || !strcmp(cmd, "dms") || !strcmp(cmd, "report") ||
           !strcmp(cmd, "vehicle") || !strcmp(cmd, "followup") ||
           !strcmp(cmd, "consent");
}

void remote_ctl(remote_t *r, int fd, const cJSON *req)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(req, "argv");
    int argc = cJSON_GetArraySize(av);
    const char *argv[73];
    if (!cJSON_IsArray(av) || argc < 1 || argc > 72) {
        ctl_answer(fd, 2, "obdgwd: request needs argv", NULL);
        return;
    }
    for (int i = 0; i < argc; i++) {
        const cJSON *a = cJSON_GetArrayItem(av, i);
        if (!cJSON_IsString(a)) {
            ctl_answer(fd, 2, "obdgwd: argv must be strings", NULL);
            return;
        }
        argv[i] = a->valuestring;
    }
    argv[argc] = NULL;
    const cJSON *lg = cJSON_GetObjectItemCaseSensitive(req, "lang");
    obd_lang_t lang = r->env.cfg->lang;
    if (cJSON_IsString(lg) && obd_lang_parse(lg->valuestring) >= 0)
        lang = (obd_lang_t)obd_lang_parse(lg->valuestring);
    const cJSON *ac = cJSON_GetObjectItemCaseSensitive(req, "actor");
    const char *actor = cJSON_IsString(ac) ? ac->valuestring : "";
    if (!strcmp(argv[0], "consent"))
        ctl_consent(r, fd, argc, argv, lang, actor);
    else if (!strcmp(argv[0], "live"))
        ctl_live(r, fd, argc, argv, lang);
    else
        ctl_cmd(r, fd, argc, argv, req, lang);
}

/* ---------------- MQTT requests ---------------- */

static cJSON *response_new(remote_t *r, const char *request, bool ok)
{
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-resp-%lld-%llu", site(r), (long long)wall_ms(), (unsigned long long)++r->next_stream);
    cJSON *o = dms_envelope("obdgw.dms.response", id, site(r));
    cJSON_AddStringToObject(o, "request", request);
    cJSON_AddBoolToObject(o, "ok", ok);
    return o;
}

static void add_reason(cJSON *o, const char *key, const char *en, const char *zh)
{
    cJSON_AddStringToObject(o, "error", key);
    cJSON *t = cJSON_AddObjectToObject(o, "reason");
    cJSON_AddStringToObject(t, "en", en);
    cJSON_AddStringToObject(t, "zh", zh);
}

static void route_send(remote_t *r, const route_t *rt, cJSON *o)
{
    mqtt_t *m = *r->env.mq;
    if (rt->in_payload && rt->corr_len)
        cJSON_AddStringToObject(o, "correlation_data", (const char *)rt->corr);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s || !m || !rt->topic[0]) {
        free(s);
        return;
    }
    /* A reply is an answer to someone waiting now: published directly, not
     * through the outbox (a stale answer after an outage helps nobody). */
    int rc = mqtt_request(m, rt->topic, s, strlen(s), NULL, rt->in_payload ? NULL : rt->corr,
                          rt->in_payload ? 0 : rt->corr_len, 0);
    if (rc)
        dlog(LOG_LVL_WARN, "remote: reply to %s NOT sent (%s)", rt->topic,
             rc == -ENOTCONN ? "not connected to the broker" : "the MQTT client refused it");
    free(s);
}

/* Refusals and ignored requests are logged at most 20 times a minute (a
 * request flood must not become a log flood); the rest are counted. */
static bool log_ok(remote_t *r)
{
    int64_t now = mono_ms();
    if (now - r->log_window_ms >= 60000) {
        if (r->log_suppressed)
            dlog(LOG_LVL_WARN, "remote: %u more refused or ignored request(s) in the last minute not logged one by one",
                 r->log_suppressed);
        r->log_window_ms = now;
        r->log_in_window = r->log_suppressed = 0;
    }
    if (r->log_in_window < 20) {
        r->log_in_window++;
        return true;
    }
    r->log_suppressed++;
    return false;
}

static void refuse(remote_t *r, const route_t *rt, const char *request, const char *key, const char *en, const char *zh)
{
    if (log_ok(r))
        dlog(LOG_LVL_WARN, "remote: %s refused: %s", request, en);
    cJSON *o = response_new(r, request, false);
    add_reason(o, key, en, zh);
    route_send(r, rt, o);
}

/* Response topics must be under obdgw/v1/<site>/resp/ (the gateway may
 * only write below obdgw/v1/<site>/, and must never be made to publish on
 * its own scan/finding/... topics), without wildcards. */
static bool route_topic_ok(remote_t *r, const char *t)
{
    char pre[128];
    snprintf(pre, sizeof pre, "obdgw/v1/%s/resp/", site(r));
    size_t n = strlen(t);
    return n > strlen(pre) && n < 257 && !strncmp(t, pre, strlen(pre)) && !strpbrk(t, "#+");
}

static bool str_member(const cJSON *o, const char *key, char *out, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    out[0] = 0;
    if (!v)
        return true;
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return false;
    for (const char *p = v->valuestring; *p; p++)
        if ((unsigned char)*p < 0x20)
            return false;
    snprintf(out, cap, "%s", v->valuestring);
    return true;
}

static void start_stream(remote_t *r, const route_t *rt, const cJSON *q, bool dtc)
{
    const char *req = dtc ? "dtc.read" : "live.start";
    char requester[64];
    if (!str_member(q, "requester", requester, sizeof requester) || !requester[0]) {
        refuse(r, rt, req, "invalid", "'requester' (who asks, up to 63 characters) is required",
               "缺少 'requester'（请求方，最多 63 个字符）");
        return;
    }
    const cJSON *bv = cJSON_GetObjectItemCaseSensitive(q, "bay");
    int bay = cJSON_IsNumber(bv) && bv->valuedouble == (double)(int)bv->valuedouble ? bv->valueint : -1;
    bay_t *b = bay > 0 && bay < MAX_BAY_ID ? r->env.find_bay(r->env.ctx, bay) : NULL;
    if (!b) {
        refuse(r, rt, req, "no_such_bay", "no such bay on this gateway", "本网关没有该工位");
        return;
    }
    int64_t now = wall_ms();
    consent_t *c = &r->consent[bay];
    if (!consent_valid(r, bay, now)) {
        refuse(r, rt, req, "no_consent",
               c->granted ? "the bay's consent to remote support has expired" : "the bay has not allowed remote support",
               c->granted ? "工位的远程支持授权已过期" : "工位未允许远程支持");
        return;
    }
    if (c->to[0] && strcmp(c->to, requester)) {
        refuse(r, rt, req, "no_consent", "the bay allowed remote support to someone else",
               "工位的远程支持授权对象不是该请求方");
        return;
    }
    if (bay_stream(r, bay)) {
        refuse(r, rt, req, "busy", "a remote stream or read is already running on this bay",
               "该工位已有远程数据流或读取在进行");
        return;
    }
    if (bay_busy(b)) {
        char st[16];
        snprintf(st, sizeof st, "%s", bay_state(b, NULL, 0));
        refuse(r, rt, req, "busy", !strcmp(st, "clearing") ? "the bay is clearing codes" : "the bay is busy (scanning or another job)",
               !strcmp(st, "clearing") ? "工位正在清除故障码" : "工位正忙（正在扫描或执行其他任务）");
        return;
    }
    int si = slot_new(r), rfd = -1;
    rjob_t *j = si >= 0 ? job_new(dtc ? RJ_DTC : RJ_LIVE, &rfd) : NULL;
    if (!j) {
        refuse(r, rt, req, "busy", "too many running jobs on the gateway", "网关上运行的任务过多");
        return;
    }
    j->bay = bay;
    slot_t *s = &r->slots[si];
    s->idle_ms = IDLE_DEFAULT_MS;
    if (!dtc) {
        const cJSON *pa = cJSON_GetObjectItemCaseSensitive(q, "pids");
        int np = cJSON_GetArraySize(pa);
        const char *why_en = NULL, *why_zh = NULL;
        if (!cJSON_IsArray(pa) || np < 1 || np > REMOTE_MAX_PIDS) {
            why_en = "'pids' must be a list of 1 to 16 PID names (see obdgw pid --list)";
            why_zh = "'pids' 必须是 1 到 16 个 PID 名称的列表（见 obdgw pid --list）";
        }
        for (int i = 0; !why_en && i < np; i++) {
            const cJSON *p = cJSON_GetArrayItem(pa, i);
            const obd_pid_t *pp = cJSON_IsString(p) ? obd_pid_find(p->valuestring) : NULL;
            if (!pp || (pp->flags & OBD_PF_BITMAP)) {
                why_en = "'pids' names an unknown PID (see obdgw pid --list)";
                why_zh = "'pids' 含未知 PID（见 obdgw pid --list）";
                break;
            }
            bool dup = false;
            for (size_t k = 0; k < j->npids; k++)
                dup |= j->pids[k] == pp->pid;
            if (!dup) {
                size_t used = strlen(s->pids_text);
                snprintf(s->pids_text + used, sizeof s->pids_text - used, "%s%s", used ? "," : "", pp->key);
                j->pids[j->npids++] = pp->pid;
            }
        }
        const cJSON *rv = cJSON_GetObjectItemCaseSensitive(q, "rate_hz");
        double rate = 1.0;
        if (!why_en && rv) {
            if (!cJSON_IsNumber(rv) || rv->valuedouble < 0.1 || rv->valuedouble > RATE_MAX_HZ) {
                why_en = "'rate_hz' must be a number from 0.1 to 20";
                why_zh = "'rate_hz' 必须是 0.1 到 20 之间的数";
            } else {
                rate = rv->valuedouble;
            }
        }
        const cJSON *iv = cJSON_GetObjectItemCaseSensitive(q, "idle_s");
        if (!why_en && iv) {
            if (!cJSON_IsNumber(iv) || iv->valuedouble < 1 || iv->valuedouble > 600) {
                why_en = "'idle_s' must be a number of seconds from 1 to 600";
                why_zh = "'idle_s' 必须是 1 到 600 之间的秒数";
            } else {
                s->idle_ms = (int)(iv->valuedouble * 1000);
            }
        }
        const cJSON *mv = cJSON_GetObjectItemCaseSensitive(q, "max_samples");
        if (!why_en && mv) {
            if (!cJSON_IsNumber(mv) || mv->valuedouble < 1 || mv->valuedouble > 1e9) {
                why_en = "'max_samples' must be a positive number";
                why_zh = "'max_samples' 必须是正数";
            } else {
                j->count = (long)mv->valuedouble;
            }
        }
        if (why_en) {
            close(rfd);
            job_free(j);
            refuse(r, rt, req, "invalid", why_en, why_zh);
            return;
        }
        j->interval_ms = (int)(1000.0 / rate);
    }
    /* Fail-closed: the audit entry is written before the job starts; no
     * entry, no read or stream. */
    char stream_id[sizeof s->stream_id];
    snprintf(stream_id, sizeof stream_id, "%s-%s-%d-%lld-%llu", site(r), dtc ? "dtc" : "live", bay, (long long)now,
             (unsigned long long)++r->next_stream);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "bay", bay);
    cJSON_AddStringToObject(d, "stream_id", stream_id);
    if (!dtc) {
        cJSON_AddStringToObject(d, "pids", s->pids_text);
        cJSON_AddNumberToObject(d, "rate_hz", 1000.0 / j->interval_ms);
    }
    if (audit(r, dtc ? "remote_dtc_read" : "remote_live_start", requester, d, NULL, 0)) {
        close(rfd);
        job_free(j);
        s->pids_text[0] = 0;
        refuse(r, rt, req, "audit_failed", "the gateway cannot write its audit log (store full or read-only): refused",
               "网关无法写入审计日志（存储已满或只读）：已拒绝");
        return;
    }
    bay_job_t bj;
    memset(&bj, 0, sizeof bj);
    bj.kind = JOB_REMOTE;
    bj.remote = j;
    j->submitted = true;
    if (bay_submit(b, &bj)) {
        j->submitted = false;
        close(rfd);
        job_free(j);
        s->pids_text[0] = 0;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "bay", bay);
        cJSON_AddStringToObject(e, "stream_id", stream_id);
        cJSON_AddStringToObject(e, "reason", "busy");
        audit(r, "remote_live_end", requester, e, NULL, 0);
        refuse(r, rt, req, "busy", "the bay is busy (scanning or another job)", "工位正忙（正在扫描或执行其他任务）");
        return;
    }
    s->kind = dtc ? SL_MQ_DTC : SL_MQ_LIVE;
    s->job = j;
    s->rfd = rfd;
    s->bay = bay;
    s->route = *rt;
    s->started_ms = s->last_seen_ms = mono_ms();
    snprintf(s->requester, sizeof s->requester, "%s", requester);
    snprintf(s->stream_id, sizeof s->stream_id, "%s", stream_id);
    ep_add(r, rfd, EV_REMOTE0 + 2u * (unsigned)si);
    dlog(LOG_LVL_INFO, "remote: %s on bay %d for %s (%s)", req, bay, requester, s->stream_id);
    if (!dtc) {
        char topic[OUTBOX_TOPIC_LEN], leaf[48];
        snprintf(leaf, sizeof leaf, "bay/%d/live", bay);
        dms_topic(topic, sizeof topic, site(r), leaf);
        cJSON *o = response_new(r, req, true);
        cJSON_AddStringToObject(o, "stream_id", s->stream_id);
        cJSON_AddStringToObject(o, "topic", topic);
        cJSON_AddNumberToObject(o, "bay", bay);
        cJSON_AddNumberToObject(o, "rate_hz", 1000.0 / j->interval_ms);
        cJSON_AddNumberToObject(o, "idle_s", s->idle_ms / 1000.0);
        cJSON_AddNumberToObject(o, "consent_until_ms", (double)c->until_ms);
        route_send(r, rt, o);
    } /* dtc.read answers when the read is done */
}

static void stop_streams(remote_t *r, const route_t *rt, const cJSON *q, const char *req, bool keepalive)
{
    char id[96], requester[64];
    if (!str_member(q, "stream_id", id, sizeof id) || !str_member(q, "requester", requester, sizeof requester) ||
        (!id[0] && (!requester[0] || keepalive))) {
        refuse(r, rt, req, "invalid", "give 'stream_id' (or 'requester' to stop all of one requester's streams)",
               "请给出 'stream_id'（或用 'requester' 停止该请求方的全部数据流）");
        return;
    }
    int n = 0;
    for (int i = 0; i < MAX_SLOTS; i++) {
        slot_t *s = &r->slots[i];
        if (s->kind != SL_MQ_LIVE || (id[0] ? strcmp(s->stream_id, id) : strcmp(s->requester, requester)))
            continue;
        n++;
        if (keepalive) {
            s->last_seen_ms = mono_ms();
        } else {
            const cJSON *rs = cJSON_GetObjectItemCaseSensitive(q, "reason");
            ask_end(s, !id[0] || (cJSON_IsString(rs) && !strcmp(rs->valuestring, "will")) ? END_REQUESTER : END_STOPPED);
        }
    }
    if (!n) {
        refuse(r, rt, req, "no_such_stream", "no such running stream", "没有该运行中的数据流");
        return;
    }
    cJSON *o = response_new(r, req, true);
    cJSON_AddNumberToObject(o, "streams", n);
    route_send(r, rt, o);
}

bool remote_on_request(remote_t *r, const mqtt_event_t *e)
{
    const char *name = strrchr(e->topic, '/');
    name = name ? name + 1 : "";
    bool start = !strcmp(name, "live.start"), stop = !strcmp(name, "live.stop"),
         keep = !strcmp(name, "live.keepalive"), dtc = !strcmp(name, "dtc.read"), status = !strcmp(name, "status");
    route_t rt;
    memset(&rt, 0, sizeof rt);
    if (e->response_topic) {
        snprintf(rt.topic, sizeof rt.topic, "%s", e->response_topic);
        if (e->corr_len && e->corr_len < sizeof rt.corr) {
            memcpy(rt.corr, e->corr, e->corr_len);
            rt.corr_len = e->corr_len;
        }
    }
    cJSON *q = e->len <= REQ_MAX_BYTES ? cJSON_ParseWithLength((const char *)e->payload, e->len) : NULL;
    if (q && cJSON_IsObject(q) && !e->response_topic) {
        /* MQTT 3.1.1: the reply route travels in the payload */
        char corr[256];
        if (str_member(q, "response_topic", rt.topic, sizeof rt.topic) &&
            str_member(q, "correlation_data", corr, sizeof corr)) {
            rt.in_payload = true;
            rt.corr_len = strlen(corr);
            memcpy(rt.corr, corr, rt.corr_len + 1);
        } else {
            rt.topic[0] = 0;
        }
    }
    if (rt.topic[0] && !route_topic_ok(r, rt.topic)) {
        if (log_ok(r))
            dlog(LOG_LVL_WARN, "remote: %s with response topic '%s' outside obdgw/v1/%s/resp/ ignored", name, rt.topic,
                 site(r));
        cJSON_Delete(q);
        return true;
    }
    if (!rt.topic[0] && (status || (!start && !stop && !keep && !dtc))) {
        if (log_ok(r))
            dlog(LOG_LVL_WARN, "remote: request %.40s without a response topic ignored", name);
        cJSON_Delete(q);
        return true;
    }
    if (status) {
        cJSON *o = response_new(r, name, true);
        cJSON *st = r->env.status_json ? r->env.status_json(r->env.ctx) : NULL;
        if (st)
            cJSON_AddItemToObject(o, "status", st);
        route_send(r, &rt, o);
        cJSON_Delete(q);
        return true;
    }
    if (!start && !stop && !keep && !dtc) {
        refuse(r, &rt, "unknown", "unknown request", "unknown request (status, live.start, live.stop, live.keepalive, dtc.read)",
               "未知请求（status、live.start、live.stop、live.keepalive、dtc.read）");
        cJSON_Delete(q);
        return true;
    }
    if (e->len > REQ_MAX_BYTES) {
        char en[96];
        snprintf(en, sizeof en, "request of %zu bytes is above the %d-byte limit", e->len, REQ_MAX_BYTES);
        refuse(r, &rt, name, "too_large", en, "请求超过 4096 字节的上限");
    } else if (!q || !cJSON_IsObject(q)) {
        refuse(r, &rt, name, "malformed", "the request is not a JSON object", "请求不是 JSON 对象");
    } else if (start || dtc) {
        start_stream(r, &rt, q, dtc);
    } else {
        stop_streams(r, &rt, q, name, keep);
    }
    cJSON_Delete(q);
    return true;
}

/* ---------------- job output ---------------- */

static void publish_frame(remote_t *r, slot_t *s, const rec_t *recs, size_t n)
{
    mqtt_t *m = *r->env.mq;
    if (!m || !mqtt_connected(m) || !n)
        return;
    char topic[OUTBOX_TOPIC_LEN], leaf[48], id[OUTBOX_MSGID_LEN];
    snprintf(leaf, sizeof leaf, "bay/%d/live", s->bay);
    dms_topic(topic, sizeof topic, site(r), leaf);
    snprintf(id, sizeof id, "%s-%llu", s->stream_id, (unsigned long long)++s->seq);
    cJSON *o = dms_envelope("obdgw.dms.live_samples", id, site(r));
    cJSON_AddStringToObject(o, "stream_id", s->stream_id);
    cJSON_AddNumberToObject(o, "bay", s->bay);
    cJSON_AddNumberToObject(o, "seq", (double)s->seq);
    cJSON *arr = cJSON_AddArrayToObject(o, "samples");
    for (size_t i = 0; i < n; i++) {
        const obd_live_sample_t *smp = &recs[i].s;
        obd_value_t v[OBD_PID_MAX_FIELDS];
        int nv = obd_pid_decode(smp->pid, smp->data, smp->len, v, OBD_PID_MAX_FIELDS);
        const obd_pid_t *p = obd_pid_lookup(smp->pid);
        for (int f = 0; f < nv; f++) {
            if (!v[f].available)
                continue;
            cJSON *x = cJSON_CreateObject();
            char ecu[12];
            snprintf(ecu, sizeof ecu, "%X", (unsigned)smp->addr);
            cJSON_AddStringToObject(x, "key", p ? p->key : "");
            cJSON_AddStringToObject(x, "field", v[f].field->key);
            cJSON_AddNumberToObject(x, "value", v[f].value);
            cJSON_AddStringToObject(x, "unit", v[f].field->unit ? v[f].field->unit : "");
            cJSON_AddStringToObject(x, "ecu", ecu);
            cJSON_AddNumberToObject(x, "t_ms", (double)smp->t_ms);
            cJSON_AddItemToArray(arr, x);
        }
    }
    char *txt = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    /* QoS 0, not retained, not through the outbox: a late sample is worth
     * nothing, and an outage must not fill the evidence store with them. */
    if (txt)
        mqtt_publish(m, topic, txt, strlen(txt), 0, false, 0);
    free(txt);
}

static void ctl_samples(remote_t *r, slot_t *s, const rec_t *recs, size_t n)
{
    if (s->cfd < 0)
        return;
    char *buf = malloc(n * 96 + 256);
    size_t len = 0;
    if (!buf)
        return;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].type == REC_END)
            continue;
        if (recs[i].type == REC_STARTED) {
            cJSON *o = cJSON_CreateObject();
            cJSON *u = cJSON_AddArrayToObject(o, "unsupported");
            for (size_t k = 0; k < s->job->nunsup; k++)
                cJSON_AddItemToArray(u, cJSON_CreateNumber(s->job->unsup[k]));
            char *t = cJSON_PrintUnformatted(o);
            cJSON_Delete(o);
            if (t && strlen(t) < 200)
                len += (size_t)sprintf(buf + len, "%s\n", t);
            free(t);
            continue;
        }
        const obd_live_sample_t *x = &recs[i].s;
        char hex[17];
        obd_hex_text(x->data, x->len < 8 ? x->len : 8, hex, sizeof hex);
        len += (size_t)sprintf(buf + len, "{\"s\":[%llu,%lu,%u,\"%s\"]}\n", (unsigned long long)x->t_ms,
                               (unsigned long)x->addr, (unsigned)x->pid, hex);
    }
    if (client_write(s->cfd, buf, len)) {
        close_client(r, s);
        ask_end(s, END_CLIENT);
    }
    free(buf);
}

static void b64(cJSON *o, const char *key, const unsigned char *p, size_t n)
{
    char *t = malloc(4 * ((n + 2) / 3) + 1);
    if (!t)
        return;
    EVP_EncodeBlock((unsigned char *)t, p, (int)n);
    cJSON_AddStringToObject(o, key, t);
    free(t);
}

static void finish(remote_t *r, slot_t *s)
{
    atomic_thread_fence(memory_order_acquire);
    rjob_t *j = s->job;
    int end = s->asked_end && j->end != END_ADAPTER && j->end != END_ERROR ? s->asked_end : j->end;
    if (s->kind == SL_CTL_LIVE && s->cfd >= 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON *l = j->started ? cJSON_AddObjectToObject(o, "live") : cJSON_CreateObject();
        cJSON_AddNumberToObject(l, "samples", (double)j->samples);
        cJSON_AddNumberToObject(l, "secs", j->secs);
        cJSON_AddNumberToObject(l, "requests", j->requests);
        cJSON_AddNumberToObject(l, "fallbacks", j->fallbacks);
        cJSON_AddNumberToObject(l, "dropped", (double)j->dropped);
        if (j->rec_saved) {
            cJSON_AddNumberToObject(l, "rec_id", (double)j->rec_id);
            cJSON_AddNumberToObject(l, "rec_samples", (double)j->rec_samples);
        }
        if (!j->started)
            cJSON_Delete(l);
        int fd = s->cfd;
        s->cfd = -1;
        epoll_ctl(r->env.ep, EPOLL_CTL_DEL, fd, NULL);
        ctl_answer(fd, j->exit_code, j->err, o);
    } else if (s->kind == SL_CTL_CMD && s->cfd >= 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON *res = cJSON_AddObjectToObject(o, "result");
        cJSON_AddStringToObject(res, "stdout", j->out ? j->out : "");
        cJSON_AddStringToObject(res, "stderr", j->errs ? j->errs : "");
        if (j->file)
            b64(res, "file_b64", j->file, j->filelen);
        int fd = s->cfd;
        s->cfd = -1;
        ctl_answer(fd, j->exit_code, "", o);
    } else if (s->kind == SL_MQ_LIVE) {
        mqtt_t *m = *r->env.mq;
        char topic[OUTBOX_TOPIC_LEN], leaf[48], id[OUTBOX_MSGID_LEN];
        snprintf(leaf, sizeof leaf, "bay/%d/live", s->bay);
        dms_topic(topic, sizeof topic, site(r), leaf);
        snprintf(id, sizeof id, "%s-end", s->stream_id);
        cJSON *o = dms_envelope("obdgw.dms.live_end", id, site(r));
        cJSON_AddStringToObject(o, "stream_id", s->stream_id);
        cJSON_AddNumberToObject(o, "bay", s->bay);
        cJSON_AddStringToObject(o, "reason", end_text[end].key);
        cJSON *t = cJSON_AddObjectToObject(o, "text");
        cJSON_AddStringToObject(t, "en", end_text[end].en);
        cJSON_AddStringToObject(t, "zh", end_text[end].zh);
        if (j->err[0])
            cJSON_AddStringToObject(o, "detail", j->err);
        cJSON_AddNumberToObject(o, "samples", (double)j->samples);
        cJSON_AddNumberToObject(o, "dropped", (double)j->dropped);
        cJSON_AddNumberToObject(o, "frames", (double)s->seq);
        char *txt = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        /* QoS 1 so the remote side learns why its stream ended (still not
         * through the outbox: after an outage the stream is long over). */
        if (txt && m && mqtt_connected(m))
            mqtt_publish(m, topic, txt, strlen(txt), 1, false, 0);
        free(txt);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "bay", s->bay);
        cJSON_AddStringToObject(d, "stream_id", s->stream_id);
        cJSON_AddStringToObject(d, "reason", end_text[end].key);
        cJSON_AddNumberToObject(d, "samples", (double)j->samples);
        audit(r, "remote_live_end", s->requester, d, NULL, 0);
        dlog(LOG_LVL_INFO, "remote: stream %s ended (%s), %ld sample(s)", s->stream_id, end_text[end].key, j->samples);
    } else if (s->kind == SL_MQ_DTC) {
        /* consent withdrawn while the read ran: the codes are not sent */
        bool withdrawn = s->asked_end == END_REVOKED || s->asked_end == END_EXPIRED;
        cJSON *o = response_new(r, "dtc.read", j->dtc != NULL && !withdrawn);
        if (j->dtc && !withdrawn) {
            cJSON_AddNumberToObject(o, "bay", s->bay);
            cJSON_AddItemToObject(o, "dtcs", j->dtc);
            j->dtc = NULL;
        } else if (withdrawn) {
            add_reason(o, "no_consent", end_text[s->asked_end].en, end_text[s->asked_end].zh);
        } else {
            add_reason(o, "adapter_lost", end_text[END_ADAPTER].en, end_text[END_ADAPTER].zh);
            cJSON_AddStringToObject(o, "detail", j->err);
        }
        route_send(r, &s->route, o);
    }
    slot_free(r, s);
}

void remote_on_event(remote_t *r, uint64_t tag)
{
    unsigned si = (unsigned)((tag - EV_REMOTE0) / 2);
    if (si >= MAX_SLOTS)
        return;
    slot_t *s = &r->slots[si];
    if (s->kind == SL_FREE)
        return;
    if ((tag - EV_REMOTE0) % 2) {
        /* the live CLI: "stop" or gone */
        char buf[256];
        ssize_t n;
        while ((n = read(s->cfd, buf, sizeof buf)) > 0)
            if (memmem(buf, (size_t)n, "stop", 4))
                ask_end(s, END_STOPPED);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            close_client(r, s);
            ask_end(s, END_CLIENT);
        }
        return;
    }
    /* the job's pipe */
    enum { BATCH = 512 };
    rec_t *recs = malloc(BATCH * sizeof *recs);
    if (!recs)
        return;
    for (;;) {
        memcpy(recs, s->pbuf, s->partial);
        ssize_t n = read(s->rfd, (unsigned char *)recs + s->partial, BATCH * sizeof *recs - s->partial);
        if (n > 0) {
            size_t have = s->partial + (size_t)n, whole = have / sizeof(rec_t);
            s->partial = have % sizeof(rec_t);
            memcpy(s->pbuf, (unsigned char *)recs + whole * sizeof(rec_t), s->partial);
            bool end = false;
            for (size_t i = 0; i < whole; i++)
                if (recs[i].type == REC_END) {
                    end = true;
                    whole = i;
                    break;
                }
            if (s->kind == SL_CTL_LIVE) {
                ctl_samples(r, s, recs, whole);
            } else if (s->kind == SL_MQ_LIVE) {
                size_t k = 0;
                for (size_t i = 0; i < whole; i++)
                    if (recs[i].type == REC_SAMPLE)
                        recs[k++] = recs[i];
                publish_frame(r, s, recs, k);
            }
            if (end) {
                finish(r, s);
                break;
            }
            continue;
        }
        break;
    }
    free(recs);
}

/* ---------------- ticks, status, lifecycle ---------------- */

void remote_tick(remote_t *r)
{
    int64_t now = mono_ms();
    for (int bay = 1; bay < MAX_BAY_ID; bay++) {
        consent_t *c = &r->consent[bay];
        if (c->granted && !c->expired && now >= c->until_mono_ms) {
            c->expired = true;
            cJSON *d = cJSON_CreateObject();
            cJSON_AddNumberToObject(d, "bay", bay);
            audit(r, "remote_consent_expire", c->by, d, NULL, 0);
            dlog(LOG_LVL_INFO, "remote: bay %d consent expired", bay);
            end_bay_streams(r, bay, END_EXPIRED);
        }
    }
    for (int i = 0; i < MAX_SLOTS; i++) {
        slot_t *s = &r->slots[i];
        if (s->kind == SL_MQ_LIVE && !s->asked_end && now - s->last_seen_ms > s->idle_ms)
            ask_end(s, END_IDLE);
    }
}

void remote_stop_all(remote_t *r)
{
    if (!r)
        return;
    for (int i = 0; i < MAX_SLOTS; i++)
        if (r->slots[i].kind == SL_MQ_LIVE || r->slots[i].kind == SL_CTL_LIVE)
            ask_end(&r->slots[i], END_SHUTDOWN);
}

cJSON *remote_bay_json(remote_t *r, int bay)
{
    if (!r || bay <= 0 || bay >= MAX_BAY_ID)
        return NULL;
    int64_t now = wall_ms();
    slot_t *s = bay_stream(r, bay);
    if (!consent_valid(r, bay, now) && !s)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    const consent_t *c = &r->consent[bay];
    cJSON *co = cJSON_AddObjectToObject(o, "consent");
    cJSON_AddBoolToObject(co, "granted", consent_valid(r, bay, now));
    if (consent_valid(r, bay, now)) {
        cJSON_AddStringToObject(co, "to", c->to);
        cJSON_AddStringToObject(co, "by", c->by);
        cJSON_AddNumberToObject(co, "until_ms", (double)c->until_ms);
    }
    if (s) {
        cJSON *so = cJSON_AddObjectToObject(o, "stream");
        cJSON_AddStringToObject(so, "stream_id", s->stream_id);
        cJSON_AddStringToObject(so, "kind", s->kind == SL_MQ_LIVE ? "live" : "dtc");
        cJSON_AddStringToObject(so, "requester", s->requester);
        cJSON_AddStringToObject(so, "pids", s->pids_text);
        cJSON_AddNumberToObject(so, "frames", (double)s->seq);
    }
    return o;
}

const char *remote_bay_text(remote_t *r, int bay, char *buf, size_t cap)
{
    buf[0] = 0;
    if (!r || bay <= 0 || bay >= MAX_BAY_ID)
        return buf;
    int64_t now = wall_ms();
    size_t n = 0;
    if (consent_valid(r, bay, now)) {
        char hm[16];
        fmt_clock(r->consent[bay].until_ms, hm, sizeof hm);
        n += (size_t)snprintf(buf, cap, " · remote consent%s%s until %s (%lld min left)", r->consent[bay].to[0] ? " to " : "",
                              r->consent[bay].to, hm,
                              (long long)((r->consent[bay].until_mono_ms - mono_ms() + 59999) / 60000));
    }
    slot_t *s = bay_stream(r, bay);
    if (s && n < cap)
        snprintf(buf + n, cap - n, " · %s %s (%s)", s->kind == SL_MQ_LIVE ? "streaming to" : "DTC read for",
                 s->requester, s->pids_text[0] ? s->pids_text : "DTCs");
    return buf;
}

remote_t *remote_new(const remote_env_t *env)
{
    remote_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->env = *env;
    for (int i = 0; i < MAX_SLOTS; i++)
        r->slots[i].rfd = r->slots[i].cfd = -1;
    return r;
}

void remote_free(remote_t *r)
{
    if (!r)
        return;
    /* Called after the bay workers were joined: every bay job has closed
     * its pipe. Command threads may still run: wait briefly for them. */
    for (int tries = 0; tries < 200; tries++) {
        bool left = false;
        for (int i = 0; i < MAX_SLOTS; i++) {
            slot_t *s = &r->slots[i];
            if (s->kind == SL_FREE)
                continue;
            struct pollfd p = { .fd = s->rfd, .events = POLLIN };
            if (poll(&p, 1, 0) > 0)
                remote_on_event(r, EV_REMOTE0 + 2u * (unsigned)i);
            left |= s->kind != SL_FREE;
        }
        if (!left)
            break;
        struct timespec ts = { 0, 25000000 };
        nanosleep(&ts, NULL);
    }
    free(r);
}
