/*
 * obdgw remote — the remote technical-support engineer's terminal client
 * (docs/remote.md). Talks MQTT (Paho, through src/mqtt.c) to the group's
 * broker as the engineer: the broker login (password or client
 * certificate) is the identity, and requests go to
 * dms/v1/<site>/req/<user>/<name>, replies come on
 * obdgw/v1/<site>/resp/<user>/cli-<pid> and live samples on
 * obdgw/v1/<site>/resp/<user>/bay/<N>/live.
 *
 *   obdgw remote bays [--site S]
 *   obdgw remote live --site S --bay N --pid rpm,speed [--rate HZ] [--duration S] [--count N]
 *   obdgw remote dtc --site S --bay N
 *   obdgw remote scan --site S --bay N [--part freeze|readiness|mode06] [--uds MODULE]
 *   obdgw remote propose-clear --site S --bay N [--uds [--module TX]] [--reason TEXT] [--wait S]
 *
 * Connection: --broker URL ($OBDGW_REMOTE_BROKER), --user NAME
 * ($OBDGW_REMOTE_USER; with a client certificate and no --user, its CN),
 * the password from --password-file FILE or $OBDGW_REMOTE_PASSWORD (never
 * on the command line), --ca FILE ($OBDGW_REMOTE_CA), --cert FILE --key FILE.
 *
 * Exit codes: 0 done, 1 broker or gateway failure (no answer), 2 usage,
 * 3 no such site/bay, 5 refused by the gateway (the reason printed).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cli.h"
#include "obdgw/mqtt.h"
#include "obdgw/pid.h"
#include "obdgw/remote_topic.h"
#include "obdgw/stream.h"

typedef struct {
    cli_t *cli;
    mqtt_t *m;
    char user[OBD_RUSER_MAX];
    char reply_leaf[32]; /* cli-<pid> */
    unsigned corr;
    const char *site;
    int bay;
    mqtt_event_t *backlog, *backlog_tail; /* events that came while waiting for an answer: not lost */
    /* the subcommand's options */
    const char *pids, *part, *reason, *module;
    double rate, duration;
    long count;
    bool uds;
    int wait_s;
} rc_t;

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int64_t wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The CN of a PEM certificate (the username with use_identity_as_username). */
static int cert_cn(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -errno;
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!x)
        return OBD_EFORMAT;
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, out, (int)cap);
    X509_free(x);
    return n > 0 ? 0 : OBD_ENOTFOUND;
}

static int read_password(const char *file, char *out, size_t cap)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return -errno;
    if (!fgets(out, (int)cap, f))
        out[0] = 0;
    fclose(f);
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

/* The next events: the backlog first, else wait (up to ms); NULL on timeout. */
static mqtt_event_t *events(rc_t *r, int ms)
{
    if (r->backlog) {
        mqtt_event_t *e = r->backlog;
        r->backlog = r->backlog_tail = NULL;
        return e;
    }
    struct pollfd p = { .fd = mqtt_fd(r->m), .events = POLLIN };
    if (poll(&p, 1, ms) <= 0)
        return NULL;
    return mqtt_take_events(r->m);
}

static void keep(rc_t *r, mqtt_event_t *e)
{
    e->next = NULL;
    if (r->backlog_tail)
        r->backlog_tail->next = e;
    else
        r->backlog = e;
    r->backlog_tail = e;
}

static void free_chain(mqtt_event_t *e)
{
    while (e) {
        mqtt_event_t *n = e->next;
        mqtt_event_free(e);
        e = n;
    }
}

/* A gateway's refusal, in the user's language. */
static void say_refusal(rc_t *r, const char *what, const cJSON *o)
{
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(o, "reason");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(rs, r->cli->lang == OBD_LANG_ZH ? "zh" : "en");
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "error");
    cli_err(r->cli, "remote %s: %s: %s (%s)", what, T(r->cli, "refused", "被拒绝"),
            cJSON_IsString(t) ? t->valuestring : "?", cJSON_IsString(k) ? k->valuestring : "?");
}

static int refusal_exit(const cJSON *o)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "error");
    return cJSON_IsString(k) && !strcmp(k->valuestring, "no_such_bay") ? EXIT_NOTFOUND : EXIT_REFUSED;
}

/* Send one request and wait for its answer (matched by correlation data);
 * NULL on timeout (message printed). Other messages are handed to `other`. */
static cJSON *request(rc_t *r, const char *site, const char *name, cJSON *payload, int timeout_ms,
                      void (*other)(rc_t *, mqtt_event_t *, void *), void *ctx)
{
    char topic[256], resp[256], corr[32];
    snprintf(topic, sizeof topic, "dms/v1/%s/req/%s/%s", site, r->user, name);
    snprintf(resp, sizeof resp, "obdgw/v1/%s/resp/%s/%s", site, r->user, r->reply_leaf);
    snprintf(corr, sizeof corr, "c-%u", ++r->corr);
    char *txt = cJSON_PrintUnformatted(payload);
    cJSON_Delete(payload);
    int rc = txt ? mqtt_request(r->m, topic, txt, strlen(txt), resp, corr, strlen(corr), 0) : -ENOMEM;
    free(txt);
    if (rc) {
        cli_err(r->cli, "remote %s: %s", name, T(r->cli, "not connected to the broker", "未连接到消息代理"));
        return NULL;
    }
    uint64_t end = obd_now_ms() + (uint64_t)timeout_ms;
    cJSON *ans = NULL;
    mqtt_event_t *later = NULL, *later_tail = NULL; /* kept for the caller, in order */
    while (!ans && obd_now_ms() < end && !interrupted) {
        mqtt_event_t *e = events(r, (int)(end - obd_now_ms()));
        for (mqtt_event_t *x = e, *n; x; x = n) {
            n = x->next;
            if (x->kind == MQTT_EV_MESSAGE && !ans && !strcmp(x->topic, resp) && x->corr && x->corr_len == strlen(corr) &&
                !memcmp(x->corr, corr, x->corr_len)) {
                ans = cJSON_ParseWithLength((const char *)x->payload, x->len);
                mqtt_event_free(x);
            } else if (other && !ans) {
                other(r, x, ctx);
                mqtt_event_free(x);
            } else { /* e.g. a stream's first frame right behind live.start's answer */
                x->next = NULL;
                if (later_tail)
                    later_tail->next = x;
                else
                    later = x;
                later_tail = x;
            }
        }
    }
    while (later) {
        mqtt_event_t *n = later->next;
        keep(r, later);
        later = n;
    }
    if (!ans && !interrupted)
        cli_err(r->cli, "remote %s: %s %s (%d s)", name,
                T(r->cli, "no answer from the gateway of site", "站点网关无应答："), site, timeout_ms / 1000);
    return ans;
}

static bool ok_of(const cJSON *o) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")); }

static cJSON *bay_req(rc_t *r)
{
    cJSON *q = cJSON_CreateObject();
    cJSON_AddNumberToObject(q, "bay", r->bay);
    cJSON_AddStringToObject(q, "lang", r->cli->lang == OBD_LANG_ZH ? "zh" : "en");
    return q;
}

/* ---------------- bays ---------------- */

typedef struct {
    char sites[64][32];
    bool online[64];
    int n;
} sites_t;

static void on_status_msg(rc_t *r, mqtt_event_t *x, void *ctx)
{
    (void)r;
    sites_t *s = ctx;
    if (x->kind != MQTT_EV_MESSAGE || s->n >= 64)
        return;
    char site[32];
    if (sscanf(x->topic, "obdgw/v1/%31[^/]/status", site) != 1)
        return;
    cJSON *o = cJSON_ParseWithLength((const char *)x->payload, x->len);
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->sites[i], site)) {
            s->online[i] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "online"));
            cJSON_Delete(o);
            return;
        }
    snprintf(s->sites[s->n], sizeof s->sites[0], "%s", site);
    s->online[s->n++] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "online"));
    cJSON_Delete(o);
}

static int do_bays(rc_t *r)
{
    sites_t s;
    memset(&s, 0, sizeof s);
    if (r->site) {
        snprintf(s.sites[0], sizeof s.sites[0], "%s", r->site);
        s.online[0] = true;
        s.n = 1;
    } else { /* the gateways' retained online state tells the sites */
        mqtt_subscribe(r->m, "obdgw/v1/+/status", 1);
        uint64_t end = obd_now_ms() + 1500;
        while (obd_now_ms() < end) {
            mqtt_event_t *e = events(r, (int)(end - obd_now_ms()));
            for (mqtt_event_t *x = e; x; x = x->next)
                on_status_msg(r, x, &s);
            free_chain(e);
        }
    }
    cJSON *all = cJSON_CreateArray();
    FILE *o = CLI_OUT(r->cli);
    int code = s.n ? EXIT_OK : EXIT_NOTFOUND;
    if (!s.n)
        cli_err(r->cli, "remote bays: %s", T(r->cli, "no gateway has announced itself on this broker (give --site S)",
                                              "此消息代理上没有网关上线（可用 --site S 指定）"));
    for (int i = 0; i < s.n; i++) {
        cJSON *site = cJSON_CreateObject();
        cJSON_AddStringToObject(site, "site", s.sites[i]);
        cJSON_AddBoolToObject(site, "online", s.online[i]);
        cJSON *a = s.online[i] ? request(r, s.sites[i], "status", cJSON_CreateObject(), 5000, NULL, NULL) : NULL;
        cJSON *you = cJSON_GetObjectItemCaseSensitive(a, "you");
        if (!r->cli->json)
            fprintf(o, "%s %s · %s\n", T(r->cli, "site", "站点"), s.sites[i],
                    !s.online[i] ? T(r->cli, "offline", "离线")
                    : you        ? T(r->cli, "online", "在线")
                                 : T(r->cli, "no answer", "无应答"));
        if (!you && s.online[i])
            code = EXIT_FAIL;
        const cJSON *b;
        cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(you, "bays"))
        {
            if (r->cli->json)
                continue;
            int bay = cJSON_GetObjectItemCaseSensitive(b, "bay")->valueint;
            const cJSON *st = cJSON_GetObjectItemCaseSensitive(b, "state");
            bool mine = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "consent"));
            const cJSON *left = cJSON_GetObjectItemCaseSensitive(b, "seconds_left");
            char c[128];
            int mins = cJSON_IsNumber(left) ? (left->valueint + 59) / 60 : 0;
            if (mine && r->cli->lang == OBD_LANG_ZH)
                snprintf(c, sizeof c, "已授权给您，剩余 %d 分钟", mins);
            else if (mine)
                snprintf(c, sizeof c, "consent for you, %d min left", mins);
            else
                snprintf(c, sizeof c, "%s", T(r->cli, "no consent for you", "未授权给您"));
            fprintf(o, "  %s %-3d %s %s%s\n", T(r->cli, "bay", "工位"), bay, PAD(cJSON_IsString(st) ? st->valuestring : "?", 10),
                    c, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "yours")) ? T(r->cli, " · your stream", " · 您的数据流") : "");
        }
        if (you)
            cJSON_AddItemToObject(site, "bays", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(you, "bays"), 1));
        cJSON_AddItemToArray(all, site);
        cJSON_Delete(a);
    }
    if (r->cli->json)
        cli_json_out(r->cli, all);
    else
        cJSON_Delete(all);
    return code;
}

/* ---------------- dtc, scan ---------------- */

static void print_codes(rc_t *r, const char *kind, const cJSON *list)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "code");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(c, r->cli->lang == OBD_LANG_ZH ? "zh" : "en");
        if (!cJSON_IsString(d))
            d = cJSON_GetObjectItemCaseSensitive(c, "description");
        fprintf(CLI_OUT(r->cli), "    %-8s %s %s\n", cJSON_IsString(code) ? code->valuestring : "?", PAD(kind, 10),
                cJSON_IsString(d) ? d->valuestring : "");
    }
}

static int do_dtc(rc_t *r)
{
    cJSON *a = request(r, r->site, "dtc.read", bay_req(r), 60000, NULL, NULL);
    if (!a)
        return EXIT_FAIL;
    if (!ok_of(a)) {
        say_refusal(r, "dtc", a);
        int c = refusal_exit(a);
        cJSON_Delete(a);
        return c;
    }
    cJSON *d = cJSON_GetObjectItemCaseSensitive(a, "dtcs");
    if (r->cli->json) {
        cli_json_out(r->cli, cJSON_Duplicate(d, 1));
    } else {
        FILE *o = CLI_OUT(r->cli);
        fprintf(o, "%s %s %s %d · MIL %s\n", T(r->cli, "site", "站点"), r->site, T(r->cli, "bay", "工位"), r->bay,
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "mil_on")) ? T(r->cli, "on", "亮") : T(r->cli, "off", "灭"));
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(d, "ecus"))
        {
            const cJSON *ecu = cJSON_GetObjectItemCaseSensitive(e, "ecu"), *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
            fprintf(o, "  %s %s\n", cJSON_IsString(ecu) ? ecu->valuestring : "?", cJSON_IsString(nm) ? nm->valuestring : "");
            print_codes(r, T(r->cli, "stored", "已存储"), cJSON_GetObjectItemCaseSensitive(e, "stored"));
            print_codes(r, T(r->cli, "pending", "待定"), cJSON_GetObjectItemCaseSensitive(e, "pending"));
            print_codes(r, T(r->cli, "permanent", "永久"), cJSON_GetObjectItemCaseSensitive(e, "permanent"));
        }
    }
    cJSON_Delete(a);
    return EXIT_OK;
}

static int do_scan(rc_t *r)
{
    const char *name = "scan.read";
    if (r->module)
        name = "uds_dtc.read";
    else if (r->part && !strcmp(r->part, "freeze"))
        name = "freeze_frame.read";
    else if (r->part && !strcmp(r->part, "readiness"))
        name = "readiness.read";
    else if (r->part && !strcmp(r->part, "mode06"))
        name = "mode06.read";
    else if (r->part) {
        cli_err(r->cli, "remote scan: --part %s", T(r->cli, "takes freeze, readiness or mode06", "取值 freeze、readiness 或 mode06"));
        return EXIT_USAGE;
    }
    cJSON *q = bay_req(r);
    if (r->module)
        cJSON_AddStringToObject(q, "module", r->module);
    cJSON *a = request(r, r->site, name, q, 120000, NULL, NULL);
    if (!a)
        return EXIT_FAIL;
    if (!ok_of(a)) {
        say_refusal(r, "scan", a);
        int c = refusal_exit(a);
        cJSON_Delete(a);
        return c;
    }
    cJSON *res = cJSON_GetObjectItemCaseSensitive(a, "result");
    if (r->cli->json || strcmp(name, "scan.read")) {
        if (!r->cli->json)
            fprintf(CLI_OUT(r->cli), "%s %s %s %d · %s (%s)\n", T(r->cli, "site", "站点"), r->site, T(r->cli, "bay", "工位"),
                    r->bay, name, T(r->cli, "read from afar, not saved", "远程读取，未保存"));
        cli_json_out(r->cli, cJSON_Duplicate(res, 1));
    } else {
        FILE *o = CLI_OUT(r->cli);
        const cJSON *vin = cJSON_GetObjectItemCaseSensitive(res, "vin");
        fprintf(o, "%s %s %s %d · VIN %s · MIL %s · %s\n", T(r->cli, "site", "站点"), r->site, T(r->cli, "bay", "工位"), r->bay,
                cJSON_IsString(vin) && vin->valuestring[0] ? vin->valuestring : "-",
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "mil_on")) ? T(r->cli, "on", "亮") : T(r->cli, "off", "灭"),
                T(r->cli, "not saved on the RO (the bay saves its own scan)", "未保存到工单（由工位自行扫描保存）"));
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(res, "ecus"))
        {
            const cJSON *ad = cJSON_GetObjectItemCaseSensitive(e, "address"), *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "dtcs");
            fprintf(o, "  %s %s\n", cJSON_IsString(ad) ? ad->valuestring : "?", cJSON_IsString(nm) ? nm->valuestring : "");
            print_codes(r, T(r->cli, "stored", "已存储"), cJSON_GetObjectItemCaseSensitive(d, "stored"));
            print_codes(r, T(r->cli, "pending", "待定"), cJSON_GetObjectItemCaseSensitive(d, "pending"));
            print_codes(r, T(r->cli, "permanent", "永久"), cJSON_GetObjectItemCaseSensitive(d, "permanent"));
        }
    }
    cJSON_Delete(a);
    return EXIT_OK;
}

/* ---------------- propose-clear ---------------- */

typedef struct {
    char id[64];
    char state[16];
    char detail[400];
} prop_ctx_t;

static void on_prop_msg(rc_t *r, mqtt_event_t *x, void *ctx)
{
    (void)r;
    prop_ctx_t *p = ctx;
    if (x->kind != MQTT_EV_MESSAGE)
        return;
    cJSON *o = cJSON_ParseWithLength((const char *)x->payload, x->len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "proposal_id"), *st = cJSON_GetObjectItemCaseSensitive(o, "state");
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(o, "detail");
    if (cJSON_IsString(id) && !strcmp(id->valuestring, p->id) && cJSON_IsString(st)) {
        snprintf(p->state, sizeof p->state, "%s", st->valuestring);
        snprintf(p->detail, sizeof p->detail, "%s", cJSON_IsString(dt) ? dt->valuestring : "");
    }
    cJSON_Delete(o);
}

static const char *state_text(const cli_t *cli, const char *s)
{
    return !strcmp(s, "waiting")     ? T(cli, "waiting for the bay to confirm (obdgw confirm --bay N)", "等待工位确认（obdgw confirm --bay N）")
           : !strcmp(s, "confirmed") ? T(cli, "confirmed at the bay: clearing", "工位已确认：正在清码")
           : !strcmp(s, "cleared")   ? T(cli, "cleared", "已清码")
           : !strcmp(s, "failed")    ? T(cli, "the clear failed", "清码失败")
           : !strcmp(s, "declined")  ? T(cli, "declined at the bay", "工位已拒绝")
           : !strcmp(s, "expired")   ? T(cli, "expired unconfirmed: nothing was done", "未确认已过期：未执行任何操作")
                                     : s;
}

static int do_propose(rc_t *r)
{
    cJSON *q = bay_req(r);
    cJSON_AddStringToObject(q, "kind", r->uds ? "uds" : "obd");
    if (r->module)
        cJSON_AddStringToObject(q, "module", r->module);
    if (r->reason)
        cJSON_AddStringToObject(q, "reason", r->reason);
    if (r->wait_s > 0)
        cJSON_AddNumberToObject(q, "expires_s", r->wait_s < 5 ? 5 : r->wait_s);
    prop_ctx_t p;
    memset(&p, 0, sizeof p);
    cJSON *a = request(r, r->site, "clear.propose", q, 10000, NULL, NULL);
    if (!a)
        return EXIT_FAIL;
    if (!ok_of(a)) {
        say_refusal(r, "propose-clear", a);
        int c = refusal_exit(a);
        cJSON_Delete(a);
        return c;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(a, "proposal_id");
    snprintf(p.id, sizeof p.id, "%s", cJSON_IsString(id) ? id->valuestring : "");
    snprintf(p.state, sizeof p.state, "waiting");
    cJSON_Delete(a);
    FILE *o = CLI_OUT(r->cli);
    if (!r->cli->json)
        fprintf(o, "%s %s: %s\n", T(r->cli, "proposal", "提议"), p.id, state_text(r->cli, p.state));
    /* --wait S: follow it until it is done (or S seconds) */
    uint64_t end = obd_now_ms() + (uint64_t)(r->wait_s > 0 ? r->wait_s + 5 : 0) * 1000;
    char shown[16];
    snprintf(shown, sizeof shown, "%s", p.state);
    while (obd_now_ms() < end && !interrupted && (!strcmp(p.state, "waiting") || !strcmp(p.state, "confirmed"))) {
        mqtt_event_t *e = events(r, 500);
        for (mqtt_event_t *x = e; x; x = x->next)
            on_prop_msg(r, x, &p);
        free_chain(e);
        if (strcmp(shown, p.state) && !r->cli->json) {
            fprintf(o, "%s %s: %s%s%s\n", T(r->cli, "proposal", "提议"), p.id, state_text(r->cli, p.state),
                    p.detail[0] ? " · " : "", p.detail);
            snprintf(shown, sizeof shown, "%s", p.state);
        }
    }
    if (r->cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "proposal_id", p.id);
        cJSON_AddStringToObject(j, "state", p.state);
        if (p.detail[0])
            cJSON_AddStringToObject(j, "detail", p.detail);
        cli_json_out(r->cli, j);
    }
    return !strcmp(p.state, "failed") ? EXIT_FAIL : !strcmp(p.state, "declined") || !strcmp(p.state, "expired") ? EXIT_REFUSED : EXIT_OK;
}

/* ---------------- live ---------------- */

typedef struct {
    char sid[96];
    char live_topic[256];
    bool ended;
    char end_reason[32], end_text[200];
    long samples;
    uint64_t t0;
} live_ctx_t;

static void on_live_msg(rc_t *r, mqtt_event_t *x, void *ctx)
{
    live_ctx_t *lv = ctx;
    if (x->kind == MQTT_EV_DISCONNECTED && !r->cli->json) {
        cli_err(r->cli, "remote live: %s", T(r->cli, "broker connection lost: reconnecting (samples meanwhile are lost, not shown late)",
                                              "与消息代理的连接中断：正在重连（期间的数据丢失，不会延迟显示）"));
        return;
    }
    if (x->kind != MQTT_EV_MESSAGE || strcmp(x->topic, lv->live_topic))
        return;
    int64_t recv = wall_now();
    cJSON *o = cJSON_ParseWithLength((const char *)x->payload, x->len);
    const cJSON *sid = cJSON_GetObjectItemCaseSensitive(o, "stream_id"), *sch = cJSON_GetObjectItemCaseSensitive(o, "schema");
    if (!cJSON_IsString(sid) || strcmp(sid->valuestring, lv->sid) || !cJSON_IsString(sch)) {
        cJSON_Delete(o);
        return;
    }
    FILE *out = CLI_OUT(r->cli);
    if (!strcmp(sch->valuestring, "obdgw.dms.live_end")) {
        lv->ended = true;
        const cJSON *rs = cJSON_GetObjectItemCaseSensitive(o, "reason"), *t = cJSON_GetObjectItemCaseSensitive(o, "text");
        const cJSON *tl = cJSON_GetObjectItemCaseSensitive(t, r->cli->lang == OBD_LANG_ZH ? "zh" : "en");
        snprintf(lv->end_reason, sizeof lv->end_reason, "%s", cJSON_IsString(rs) ? rs->valuestring : "?");
        snprintf(lv->end_text, sizeof lv->end_text, "%s", cJSON_IsString(tl) ? tl->valuestring : "");
        cJSON_Delete(o);
        return;
    }
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(o, "samples"))
    {
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(s, "key"), *field = cJSON_GetObjectItemCaseSensitive(s, "field");
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(s, "value"), *unit = cJSON_GetObjectItemCaseSensitive(s, "unit");
        const cJSON *ecu = cJSON_GetObjectItemCaseSensitive(s, "ecu");
        lv->samples++;
        if (r->count && lv->samples > r->count)
            continue;
        if (r->cli->json) {
            cJSON *j = cJSON_Duplicate(s, 1);
            cJSON_AddNumberToObject(j, "shown_ms", (double)recv); /* wall clock when shown: latency = shown_ms - t_ms */
            char *t = cJSON_PrintUnformatted(j);
            cJSON_Delete(j);
            if (t)
                fprintf(out, "%s\n", t);
            free(t);
        } else {
            const obd_pid_t *p = cJSON_IsString(key) ? obd_pid_find(key->valuestring) : NULL;
            const char *nm = p ? obd_tr(r->cli->lang, p->en, p->zh) : cJSON_IsString(key) ? key->valuestring : "?";
            /* a PID with several fields names the field (o2 sensor: voltage, trim) */
            bool named = cJSON_IsString(field) && cJSON_IsString(key) && strcmp(field->valuestring, "value") &&
                         strcmp(field->valuestring, key->valuestring) && (!p || strcmp(field->valuestring, p->key));
            fprintf(out, "%7.2f  %-4s %s %10.2f %s%s%s\n", (double)(obd_now_ms() - lv->t0) / 1000.0,
                    cJSON_IsString(ecu) ? ecu->valuestring : "", PAD(nm, 28), cJSON_IsNumber(val) ? val->valuedouble : 0.0,
                    cJSON_IsString(unit) ? unit->valuestring : "", named ? " · " : "", named ? field->valuestring : "");
        }
    }
    fflush(out);
    cJSON_Delete(o);
}

static int do_live(rc_t *r)
{
    if (!r->pids || !*r->pids) {
        cli_err(r->cli, "remote live: %s", T(r->cli, "give --pid rpm,speed,... (obdgw pid --list)", "请用 --pid rpm,speed,...（见 obdgw pid --list）"));
        return EXIT_USAGE;
    }
    live_ctx_t lv;
    memset(&lv, 0, sizeof lv);
    cJSON *q = bay_req(r);
    cJSON *pa = cJSON_AddArrayToObject(q, "pids");
    char buf[512];
    snprintf(buf, sizeof buf, "%s", r->pids);
    for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t; t = strtok_r(NULL, ",", &sv))
        cJSON_AddItemToArray(pa, cJSON_CreateString(t));
    cJSON_AddNumberToObject(q, "rate_hz", r->rate > 0 ? r->rate : 2);
    cJSON_AddNumberToObject(q, "idle_s", 15);
    if (r->count > 0)
        cJSON_AddNumberToObject(q, "max_samples", (double)r->count);
    /* the stream's topic is known before the answer: subscribe first, so
     * no early frame is missed */
    obd_remote_live_topic(lv.live_topic, sizeof lv.live_topic, r->site, r->user, r->bay);
    mqtt_subscribe(r->m, lv.live_topic, 0);
    usleep(200000);
    cJSON *a = request(r, r->site, "live.start", q, 10000, NULL, NULL);
    if (!a)
        return EXIT_FAIL;
    if (!ok_of(a)) {
        say_refusal(r, "live", a);
        int c = refusal_exit(a);
        cJSON_Delete(a);
        return c;
    }
    const cJSON *sid = cJSON_GetObjectItemCaseSensitive(a, "stream_id");
    snprintf(lv.sid, sizeof lv.sid, "%s", cJSON_IsString(sid) ? sid->valuestring : "");
    cJSON_Delete(a);
    lv.t0 = obd_now_ms();
    uint64_t last_keep = lv.t0, stop_at = r->duration > 0 ? lv.t0 + (uint64_t)(r->duration * 1000) : 0;
    bool stop_sent = false;
    while (!lv.ended) {
        if (!stop_sent && (interrupted || (stop_at && obd_now_ms() >= stop_at) || (r->count && lv.samples >= r->count))) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "stream_id", lv.sid);
            cJSON *ans = request(r, r->site, "live.stop", s, 5000, on_live_msg, &lv);
            cJSON_Delete(ans);
            stop_sent = true;
            stop_at = obd_now_ms() + 5000; /* the end message within 5 s */
        } else if (stop_sent && obd_now_ms() >= stop_at) {
            break;
        }
        if (!stop_sent && obd_now_ms() - last_keep >= 5000) {
            cJSON *k = cJSON_CreateObject();
            cJSON_AddStringToObject(k, "stream_id", lv.sid);
            cJSON_Delete(request(r, r->site, "live.keepalive", k, 5000, on_live_msg, &lv));
            last_keep = obd_now_ms();
        }
        mqtt_event_t *e = events(r, 200);
        for (mqtt_event_t *x = e; x; x = x->next)
            on_live_msg(r, x, &lv);
        free_chain(e);
    }
    long shown = r->count && lv.samples > r->count ? r->count : lv.samples;
    if (!r->cli->json || lv.end_reason[0])
        fprintf(CLI_ERR(r->cli), "remote live: %ld %s %.1f s · %s %s\n", shown, T(r->cli, "samples in", "个数据，用时"),
                (double)(obd_now_ms() - lv.t0) / 1000.0, T(r->cli, "ended:", "结束："),
                lv.end_text[0] ? lv.end_text : T(r->cli, "no end message from the gateway", "未收到网关的结束消息"));
    return !lv.ended ? EXIT_FAIL
           : !strcmp(lv.end_reason, "done") || !strcmp(lv.end_reason, "stopped") ? EXIT_OK
           : !strcmp(lv.end_reason, "consent_revoked") || !strcmp(lv.end_reason, "consent_expired") ? EXIT_REFUSED
                                                                                                    : EXIT_FAIL;
}

/* ---------------- options, connection ---------------- */

static void usage(const cli_t *cli)
{
    printf("%s: obdgw remote [--broker URL] [--user NAME] [--password-file FILE] [--ca FILE] [--cert FILE --key FILE]\n"
           "                    bays [--site S]\n"
           "                  | live --site S --bay N --pid rpm,speed [--rate HZ] [--duration S] [--count N]\n"
           "                  | dtc --site S --bay N\n"
           "                  | scan --site S --bay N [--part freeze|readiness|mode06] [--module TX[:RX]]\n"
           "                  | propose-clear --site S --bay N [--uds [--module TX]] [--reason TEXT] [--wait S]\n  %s\n",
           T(cli, "usage", "用法"),
           T(cli,
             "The remote engineer's client: your broker login is your identity (password from --password-file or "
             "$OBDGW_REMOTE_PASSWORD, or a client certificate whose CN is your username). Reads need the bay's consent "
             "(obdgw consent --to YOU); a clear is only proposed: the bay confirms it (obdgw confirm). "
             "Environment: OBDGW_REMOTE_BROKER, OBDGW_REMOTE_USER, OBDGW_REMOTE_CA.",
             "远程工程师客户端：您的消息代理登录即身份（密码来自 --password-file 或 $OBDGW_REMOTE_PASSWORD，"
             "或以证书 CN 为用户名的客户端证书）。读取需工位授权（obdgw consent --to 您）；清码只能提议，"
             "由工位确认（obdgw confirm）。环境变量：OBDGW_REMOTE_BROKER、OBDGW_REMOTE_USER、OBDGW_REMOTE_CA。"));
}

int cmd_remote(cli_t *cli, int argc, char **argv)
{
    const char *broker = getenv("OBDGW_REMOTE_BROKER"), *user = getenv("OBDGW_REMOTE_USER");
    const char *pwfile = NULL, *ca = getenv("OBDGW_REMOTE_CA"), *cert = NULL, *key = NULL, *sub = NULL;
    rc_t r;
    memset(&r, 0, sizeof r);
    r.cli = cli;
    r.bay = -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        bool has = i + 1 < argc;
        int c = cli_common_opt(cli, argc, argv, &i);
        if (c < 0)
            return EXIT_USAGE;
        if (c > 0)
            continue;
        char *end = NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            usage(cli);
            return EXIT_OK;
        } else if (!strcmp(o, "--broker") && has) {
            broker = argv[++i];
        } else if (!strcmp(o, "--user") && has) {
            user = argv[++i];
        } else if (!strcmp(o, "--password-file") && has) {
            pwfile = argv[++i];
        } else if (!strcmp(o, "--ca") && has) {
            ca = argv[++i];
        } else if (!strcmp(o, "--cert") && has) {
            cert = argv[++i];
        } else if (!strcmp(o, "--key") && has) {
            key = argv[++i];
        } else if (!strcmp(o, "--site") && has) {
            r.site = argv[++i];
        } else if (!strcmp(o, "--bay") && has) {
            r.bay = (int)strtol(argv[++i], &end, 10);
            if (*end || r.bay < 1 || r.bay > 99) {
                cli_err(cli, "remote: --bay %s", T(cli, "takes 1 to 99", "取值 1 到 99"));
                return EXIT_USAGE;
            }
        } else if ((!strcmp(o, "--pid") || !strcmp(o, "-p")) && has) {
            r.pids = argv[++i];
        } else if (!strcmp(o, "--rate") && has) {
            r.rate = strtod(argv[++i], &end);
            if (*end || r.rate < 0.1 || r.rate > 20) {
                cli_err(cli, "remote live: --rate %s", T(cli, "takes 0.1 to 20 (rounds per second)", "取值 0.1 到 20（每秒轮数）"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(o, "--duration") && has) {
            r.duration = strtod(argv[++i], &end);
            if (*end || r.duration <= 0) {
                cli_err(cli, "remote live: --duration %s", T(cli, "takes seconds > 0", "须为大于 0 的秒数"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(o, "--count") && has) {
            r.count = strtol(argv[++i], &end, 10);
            if (*end || r.count < 1) {
                cli_err(cli, "remote live: --count %s", T(cli, "takes a positive number", "须为正数"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(o, "--part") && has) {
            r.part = argv[++i];
        } else if (!strcmp(o, "--module") && has) {
            r.module = argv[++i];
        } else if (!strcmp(o, "--uds")) {
            r.uds = true;
        } else if (!strcmp(o, "--reason") && has) {
            r.reason = argv[++i];
        } else if (!strcmp(o, "--wait") && has) {
            r.wait_s = (int)strtol(argv[++i], &end, 10);
            if (*end || r.wait_s < 1 || r.wait_s > 3600) {
                cli_err(cli, "remote propose-clear: --wait %s", T(cli, "takes 1 to 3600 seconds", "取值 1 到 3600 秒"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(o, "--password")) {
            cli_err(cli, "remote: %s", T(cli, "no password on the command line (others see it): use --password-file FILE or $OBDGW_REMOTE_PASSWORD",
                                         "不接受命令行密码（他人可见）：请用 --password-file 文件或 $OBDGW_REMOTE_PASSWORD"));
            return EXIT_USAGE;
        } else if (o[0] != '-' && !sub) {
            sub = o;
        } else {
            cli_err(cli, "remote: %s '%s' (obdgw remote --help)", T(cli, "unknown option", "未知选项"), o);
            return EXIT_USAGE;
        }
    }
    bool bays = sub && !strcmp(sub, "bays"), live = sub && !strcmp(sub, "live"), dtc = sub && !strcmp(sub, "dtc"),
         scan = sub && !strcmp(sub, "scan"), prop = sub && !strcmp(sub, "propose-clear");
    if (!bays && !live && !dtc && !scan && !prop) {
        cli_err(cli, "remote: %s", T(cli, "give bays, live, dtc, scan or propose-clear (obdgw remote --help)",
                                     "请给出 bays、live、dtc、scan 或 propose-clear（obdgw remote --help）"));
        return EXIT_USAGE;
    }
    if (!bays && (!r.site || r.bay < 1)) {
        cli_err(cli, "remote %s: %s", sub, T(cli, "give --site S --bay N (obdgw remote bays lists them)", "请用 --site S --bay N 指定（obdgw remote bays 可列出）"));
        return EXIT_USAGE;
    }
    if (r.site && (strlen(r.site) > 31 || strpbrk(r.site, "/+# "))) {
        cli_err(cli, "remote: --site %s", T(cli, "is a site id (letters, digits, - and _)", "须为站点编号（字母、数字、- 和 _）"));
        return EXIT_USAGE;
    }
    if (!broker || !*broker) {
        cli_err(cli, "remote: %s", T(cli, "give --broker URL (ssl://broker:8883) or set OBDGW_REMOTE_BROKER", "请用 --broker URL（ssl://broker:8883）或设置 OBDGW_REMOTE_BROKER"));
        return EXIT_USAGE;
    }
    if ((cert && !key) || (key && !cert)) {
        cli_err(cli, "remote: %s", T(cli, "--cert and --key go together", "--cert 与 --key 须同时给出"));
        return EXIT_USAGE;
    }
    char pw[256] = "";
    const char *env_pw = getenv("OBDGW_REMOTE_PASSWORD");
    if (pwfile) {
        int rc = read_password(pwfile, pw, sizeof pw);
        if (rc) {
            cli_err(cli, "remote: --password-file %s: %s", pwfile, obd_strerror(rc));
            return EXIT_USAGE;
        }
    } else if (env_pw) {
        snprintf(pw, sizeof pw, "%s", env_pw);
    }
    bool user_from_cert = false;
    if ((!user || !*user) && cert) {
        if (cert_cn(cert, r.user, sizeof r.user)) {
            cli_err(cli, "remote: --cert %s: %s", cert, T(cli, "no readable certificate with a CN", "无法读取带 CN 的证书"));
            return EXIT_USAGE;
        }
        user_from_cert = true;
    } else if (user) {
        snprintf(r.user, sizeof r.user, "%s", user);
    }
    if (!obd_remote_user_ok(r.user, strlen(r.user))) {
        cli_err(cli, "remote: %s", r.user[0] ? T(cli, "the username must be 1 to 63 of A-Z a-z 0-9 . _ @ -", "用户名须为 1 到 63 个 A-Z a-z 0-9 . _ @ - 字符")
                                             : T(cli, "give --user NAME (your broker login) or a client certificate", "请用 --user 指定（您的消息代理登录名）或提供客户端证书"));
        return EXIT_USAGE;
    }
    snprintf(r.reply_leaf, sizeof r.reply_leaf, "cli-%d", (int)getpid());
    char client_id[96], will_topic[256];
    snprintf(client_id, sizeof client_id, "obdgw-remote-%s-%d", r.user, (int)getpid());
    /* The Will: if this client dies, the broker stops its live streams. */
    snprintf(will_topic, sizeof will_topic, "dms/v1/%s/req/%s/live.stop", r.site ? r.site : "-", r.user);
    mqtt_config_t mc = {
        .url = broker, .client_id = client_id, .username = user_from_cert ? NULL : r.user, .password = pw[0] ? pw : NULL,
        .ca_file = ca, .cert_file = cert, .key_file = key, .keepalive_s = 10, .max_inbound = 16u << 20,
        .status_topic = live ? will_topic : NULL, .offline_payload = live ? "{\"reason\":\"will\"}" : NULL,
        .ephemeral = true, .max_retry_s = 2,
    };
    char err[256];
    if (mqtt_start(&mc, &r.m, err, sizeof err)) {
        cli_err(cli, "remote: %s: %s", broker, err);
        return EXIT_FAIL;
    }
    uint64_t end = obd_now_ms() + 10000;
    const char *why = "";
    char whybuf[200] = "";
    bool refused = false; /* the broker said no (or is not there): no point waiting */
    while (!mqtt_connected(r.m) && obd_now_ms() < end && !refused) {
        mqtt_event_t *e = events(&r, 200);
        for (mqtt_event_t *x = e; x; x = x->next)
            if (x->kind == MQTT_EV_DISCONNECTED && x->reason[0]) {
                snprintf(whybuf, sizeof whybuf, "%s", x->reason);
                refused |= !strncmp(x->reason, "connect failed", 14) && !strstr(x->reason, "retrying with MQTT 3.1.1");
            }
        free_chain(e);
        mqtt_tick(r.m, (int64_t)obd_now_ms());
    }
    why = whybuf;
    if (!mqtt_connected(r.m)) {
        cli_err(cli, "remote: %s %s%s%s", T(cli, "cannot connect to the broker", "无法连接到消息代理"), broker, why[0] ? ": " : "", why);
        mqtt_stop(r.m, 0);
        return EXIT_FAIL;
    }
    char filt[256];
    snprintf(filt, sizeof filt, "obdgw/v1/%s/resp/%s/%s", r.site ? r.site : "+", r.user, r.reply_leaf);
    mqtt_subscribe(r.m, filt, 1);
    usleep(150000); /* the SUBACK before the first request */
    struct sigaction sa = { .sa_handler = on_sigint };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int code = bays ? do_bays(&r) : live ? do_live(&r) : dtc ? do_dtc(&r) : scan ? do_scan(&r) : do_propose(&r);
    free_chain(r.backlog);
    mqtt_stop(r.m, 1000);
    return code;
}
