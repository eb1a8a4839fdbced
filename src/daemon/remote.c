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
#include "remote_int.h"

const rm_end_text_t rm_end_text[] = {
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


/* Append an audit entry: 0, or negative when it could not be written
 * (store full, read-only, failing): the caller then refuses what it was
 * about to allow (fail-closed). `why` (may be NULL) gets the reason. */
int rm_audit(remote_t *r, const char *action, const char *actor, cJSON *details, char *why, size_t whycap)
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
    else if (j->kind == RJ_DTC)
        dtc_run(b, j);
    else
        rm_read_run(b, j);
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

void rm_job_free(rjob_t *j)
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

rjob_t *rm_job_new(rj_kind_t kind, int *rfd)
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

int rm_slot_new(remote_t *r)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (r->slots[i].kind == SL_FREE) {
            memset(&r->slots[i], 0, sizeof r->slots[i]);
            r->slots[i].rfd = r->slots[i].cfd = -1;
            return i;
        }
    return -1;
}

void rm_ep_add(remote_t *r, int fd, uint64_t tag)
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
    rm_job_free(s->job);
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

bool rm_consent_valid(remote_t *r, int bay, int64_t now)
{
    (void)now;
    return bay > 0 && bay < MAX_BAY_ID && r->consent[bay].granted && mono_ms() < r->consent[bay].until_mono_ms;
}

slot_t *rm_bay_stream(remote_t *r, int bay)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if ((r->slots[i].kind == SL_MQ_LIVE || r->slots[i].kind == SL_MQ_DTC) && r->slots[i].bay == bay)
            return &r->slots[i];
    return NULL;
}

void rm_ask_end(slot_t *s, end_t why)
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

void rm_end_bay_streams(remote_t *r, int bay, end_t why)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if ((r->slots[i].kind == SL_MQ_LIVE || r->slots[i].kind == SL_MQ_DTC) && r->slots[i].bay == bay)
            rm_ask_end(&r->slots[i], why);
}

static void ctl_consent(remote_t *r, int fd, int argc, const char **argv, obd_lang_t lang, const char *actor)
{
    int bay = -1;
    long minutes = CONSENT_DEFAULT_MIN;
    int what = 0; /* 1 grant, 2 revoke, 0 show */
    const char *to = "", *by = actor, *ro = "";
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
        } else if (!strcmp(argv[i], "--ro") && has) {
            ro = argv[++i];
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
    if (to[0] && !obd_remote_user_ok(to, strlen(to))) {
        snprintf(t, sizeof t, "consent: --to %s",
                 obd_tr(lang, "takes the engineer's broker username (1 to 63 of A-Z a-z 0-9 . _ @ -)",
                        "须为工程师的代理用户名（1 到 63 个 A-Z a-z 0-9 . _ @ - 字符）"));
        ctl_answer(fd, 2, t, NULL);
        return;
    }
    if (strlen(ro) >= sizeof r->consent[0].ro) {
        ctl_answer(fd, 2, "consent: --ro is too long", NULL);
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
        if (ro[0])
            cJSON_AddStringToObject(d, "ro", ro);
        cJSON_AddNumberToObject(d, "until_ms", (double)until);
        char why[256];
        /* Fail-closed: no consent without its audit entry. */
        if (rm_audit(r, "remote_consent_grant", by, d, why, sizeof why)) {
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
        snprintf(c->ro, sizeof c->ro, "%s", ro);
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
        bool was = rm_consent_valid(r, bay, now);
        c->granted = false;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "bay", bay);
        cJSON_AddBoolToObject(d, "was_granted", was);
        char why[256];
        /* Revoking is the safe direction: done even when the audit entry
         * cannot be written, but said (exit 1). */
        int arc = rm_audit(r, "remote_consent_revoke", by, d, why, sizeof why);
        rm_end_bay_streams(r, bay, END_REVOKED);
        snprintf(t, sizeof t, "%s %d: %s%s%s", obd_tr(lang, "bay", "工位"), bay,
                 obd_tr(lang, "remote support consent revoked; any remote stream stops",
                        "已撤销远程支持授权；远程数据流随即停止"),
                 arc ? obd_tr(lang, "; WARNING: the audit entry could not be written: ", "；警告：无法写入审计记录：") : "",
                 arc ? why : "");
        dlog(LOG_LVL_INFO, "remote: bay %d consent revoked", bay);
        ctl_answer(fd, arc ? 1 : 0, t, NULL);
        return;
    }
    if (rm_consent_valid(r, bay, now)) {
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
    int si = rm_slot_new(r), rfd = -1;
    rjob_t *j = si >= 0 ? rm_job_new(RJ_LIVE, &rfd) : NULL;
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
        rm_job_free(j);
        ctl_answer(fd, rc == OBD_ENOTFOUND ? 3 : 2, t, NULL);
        return;
    }
    bay_t *b = r->env.find_bay(r->env.ctx, bay);
    if (!b) {
        snprintf(t, sizeof t, "live: no bay %d on this gateway (obdgw status lists them)", bay);
        close(rfd);
        rm_job_free(j);
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
        rm_job_free(j);
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
    rm_ep_add(r, rfd, EV_REMOTE0 + 2u * (unsigned)si);
    rm_ep_add(r, fd, EV_REMOTE0 + 2u * (unsigned)si + 1);
    dlog(LOG_LVL_INFO, "control: live on bay %d (%zu PID(s))", bay, j->npids);
    return;
refuse2:
    close(rfd);
    rm_job_free(j);
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
    int si = rm_slot_new(r), rfd = -1;
    rjob_t *j = si >= 0 && argc < 64 ? rm_job_new(RJ_CMD, &rfd) : NULL;
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
        rm_job_free(j);
        ctl_answer(fd, 1, "obdgwd: cannot start a thread for the command", NULL);
        return;
    }
    slot_t *s = &r->slots[si];
    s->kind = SL_CTL_CMD;
    s->job = j;
    s->rfd = rfd;
    s->cfd = fd; /* not watched: the answer comes when the command is done */
    s->lang = lang;
    rm_ep_add(r, rfd, EV_REMOTE0 + 2u * (unsigned)si);
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

/* ---------------- job output ---------------- */

static void publish_frame(remote_t *r, slot_t *s, const rec_t *recs, size_t n)
{
    mqtt_t *m = *r->env.mq;
    if (!m || !mqtt_connected(m) || !n)
        return;
    const char *topic = s->live_topic; /* the requester's own (only it may read there) */
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-%llu", s->stream_id, (unsigned long long)++s->seq);
    cJSON *o = dms_envelope("obdgw.dms.live_samples", id, rm_site(r));
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
        rm_ask_end(s, END_CLIENT);
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
        const char *topic = s->live_topic;
        char id[OUTBOX_MSGID_LEN];
        snprintf(id, sizeof id, "%s-end", s->stream_id);
        cJSON *o = dms_envelope("obdgw.dms.live_end", id, rm_site(r));
        cJSON_AddStringToObject(o, "stream_id", s->stream_id);
        cJSON_AddNumberToObject(o, "bay", s->bay);
        cJSON_AddStringToObject(o, "reason", rm_end_text[end].key);
        cJSON *t = cJSON_AddObjectToObject(o, "text");
        cJSON_AddStringToObject(t, "en", rm_end_text[end].en);
        cJSON_AddStringToObject(t, "zh", rm_end_text[end].zh);
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
        cJSON_AddStringToObject(d, "reason", rm_end_text[end].key);
        cJSON_AddNumberToObject(d, "samples", (double)j->samples);
        rm_audit(r, "remote_live_end", s->requester, d, NULL, 0);
        dlog(LOG_LVL_INFO, "remote: stream %s ended (%s), %ld sample(s)", s->stream_id, rm_end_text[end].key, j->samples);
    } else if (s->kind == SL_MQ_DTC) {
        /* consent withdrawn while the read ran: the result is not sent */
        bool withdrawn = s->asked_end == END_REVOKED || s->asked_end == END_EXPIRED;
        const char *req = s->req_name[0] ? s->req_name : "dtc.read";
        cJSON *o = rm_response(r, req, j->dtc != NULL && !withdrawn);
        if (j->dtc && !withdrawn) {
            cJSON_AddNumberToObject(o, "bay", s->bay);
            cJSON_AddItemToObject(o, strcmp(req, "dtc.read") ? "result" : "dtcs", j->dtc);
            j->dtc = NULL;
        } else if (withdrawn) {
            rm_reason(o, "no_consent", rm_end_text[s->asked_end].en, rm_end_text[s->asked_end].zh);
        } else {
            rm_reason(o, "adapter_lost", rm_end_text[END_ADAPTER].en, rm_end_text[END_ADAPTER].zh);
            cJSON_AddStringToObject(o, "detail", j->err);
        }
        rm_send(r, &s->route, o);
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
                rm_ask_end(s, END_STOPPED);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            close_client(r, s);
            rm_ask_end(s, END_CLIENT);
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
    rm_propose_tick(r);
    for (int bay = 1; bay < MAX_BAY_ID; bay++) {
        consent_t *c = &r->consent[bay];
        if (c->granted && !c->expired && now >= c->until_mono_ms) {
            c->expired = true;
            cJSON *d = cJSON_CreateObject();
            cJSON_AddNumberToObject(d, "bay", bay);
            rm_audit(r, "remote_consent_expire", c->by, d, NULL, 0);
            dlog(LOG_LVL_INFO, "remote: bay %d consent expired", bay);
            rm_end_bay_streams(r, bay, END_EXPIRED);
        }
    }
    for (int i = 0; i < MAX_SLOTS; i++) {
        slot_t *s = &r->slots[i];
        if (s->kind == SL_MQ_LIVE && !s->asked_end && now - s->last_seen_ms > s->idle_ms)
            rm_ask_end(s, END_IDLE);
    }
}

void remote_stop_all(remote_t *r)
{
    if (!r)
        return;
    for (int i = 0; i < MAX_SLOTS; i++)
        if (r->slots[i].kind == SL_MQ_LIVE || r->slots[i].kind == SL_CTL_LIVE)
            rm_ask_end(&r->slots[i], END_SHUTDOWN);
}

cJSON *remote_bay_json(remote_t *r, int bay)
{
    if (!r || bay <= 0 || bay >= MAX_BAY_ID)
        return NULL;
    int64_t now = wall_ms();
    slot_t *s = rm_bay_stream(r, bay);
    if (!rm_consent_valid(r, bay, now) && !s)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    const consent_t *c = &r->consent[bay];
    cJSON *co = cJSON_AddObjectToObject(o, "consent");
    cJSON_AddBoolToObject(co, "granted", rm_consent_valid(r, bay, now));
    if (rm_consent_valid(r, bay, now)) {
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
    cJSON *pj = rm_proposal_json(bay);
    if (pj)
        cJSON_AddItemToObject(o, "proposal", pj); /* waiting for obdgw confirm --bay N */
    return o;
}

const char *remote_bay_text(remote_t *r, int bay, char *buf, size_t cap)
{
    buf[0] = 0;
    if (!r || bay <= 0 || bay >= MAX_BAY_ID)
        return buf;
    int64_t now = wall_ms();
    size_t n = 0;
    if (rm_consent_valid(r, bay, now)) {
        char hm[16];
        fmt_clock(r->consent[bay].until_ms, hm, sizeof hm);
        n += (size_t)snprintf(buf, cap, " · remote consent%s%s until %s (%lld min left)", r->consent[bay].to[0] ? " to " : "",
                              r->consent[bay].to, hm,
                              (long long)((r->consent[bay].until_mono_ms - mono_ms() + 59999) / 60000));
    }
    slot_t *s = rm_bay_stream(r, bay);
    if (s && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " · %s %s (%s)", s->kind == SL_MQ_LIVE ? "streaming to" : "remote read for",
                              s->requester, s->pids_text[0] ? s->pids_text : s->req_name[0] ? s->req_name : "DTCs");
    cJSON *pj = rm_proposal_json(bay);
    const cJSON *pb = cJSON_GetObjectItemCaseSensitive(pj, "proposed_by");
    if (cJSON_IsString(pb) && n < cap)
        snprintf(buf + n, cap - n, " · clear proposed by %s: obdgw confirm --bay %d", pb->valuestring, bay);
    cJSON_Delete(pj);
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
