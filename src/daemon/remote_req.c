/*
 * remote_req.c — requests over MQTT for remote support: the identity is the
 * {user} level of dms/v1/{site}/req/{user}/{name} (the broker's %u ACL
 * enforces it; include/obdgw/remote_topic.h), never a payload field; replies
 * only to obdgw/v1/{site}/resp/{user}[/...]; live streams to the
 * requester's own obdgw/v1/{site}/resp/{user}/bay/{N}/live. Consent,
 * rate limits, audit and the busy-bay refusal for every request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "obdgw/pid.h"
#include "remote_int.h"

/* ---------------- MQTT requests ---------------- */

cJSON *rm_response(remote_t *r, const char *request, bool ok)
{
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-resp-%lld-%llu", rm_site(r), (long long)wall_ms(), (unsigned long long)++r->next_stream);
    cJSON *o = dms_envelope("obdgw.dms.response", id, rm_site(r));
    cJSON_AddStringToObject(o, "request", request);
    cJSON_AddBoolToObject(o, "ok", ok);
    return o;
}

void rm_reason(cJSON *o, const char *key, const char *en, const char *zh)
{
    cJSON_AddStringToObject(o, "error", key);
    cJSON *t = cJSON_AddObjectToObject(o, "reason");
    cJSON_AddStringToObject(t, "en", en);
    cJSON_AddStringToObject(t, "zh", zh);
}

void rm_send(remote_t *r, const route_t *rt, cJSON *o)
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
bool rm_log_ok(remote_t *r)
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

void rm_refuse(remote_t *r, const route_t *rt, const char *request, const char *key, const char *en, const char *zh)
{
    if (rm_log_ok(r))
        dlog(LOG_LVL_WARN, "remote: %s refused: %s", request, en);
    cJSON *o = rm_response(r, request, false);
    rm_reason(o, key, en, zh);
    rm_send(r, rt, o);
}

/* Response topics must be under obdgw/v1/<site>/resp/ (the gateway may
 * only write below obdgw/v1/<site>/, and must never be made to publish on
 * its own scan/finding/... topics), without wildcards. */
static bool route_topic_ok(remote_t *r, const char *t)
{
    char pre[128];
    snprintf(pre, sizeof pre, "obdgw/v1/%s/resp/", rm_site(r));
    size_t n = strlen(t);
    return n > strlen(pre) && n < 257 && !strncmp(t, pre, strlen(pre)) && !strpbrk(t, "#+");
}

bool rm_str_member(const cJSON *o, const char *key, char *out, size_t cap)
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

/* The checks every request on a bay makes, in this order: the bay exists,
 * it has consented (to `user`, when the consent names someone), no remote
 * job runs on it, it is not busy (`busy_ok`: skip the last two). Refused
 * with the reason (NULL) or the bay. */
bay_t *rm_check_bay(remote_t *r, const route_t *rt, const char *req, const cJSON *q, const char *user, bool busy_ok,
                    int *bay_out)
{
    const cJSON *bv = cJSON_GetObjectItemCaseSensitive(q, "bay");
    int bay = cJSON_IsNumber(bv) && bv->valuedouble == (double)(int)bv->valuedouble ? bv->valueint : -1;
    bay_t *b = bay > 0 && bay < MAX_BAY_ID ? r->env.find_bay(r->env.ctx, bay) : NULL;
    if (!b) {
        rm_refuse(r, rt, req, "no_such_bay", "no such bay on this gateway", "本网关没有该工位");
        return NULL;
    }
    int64_t now = wall_ms();
    consent_t *c = &r->consent[bay];
    if (!rm_consent_valid(r, bay, now)) {
        rm_refuse(r, rt, req, "no_consent",
                  c->granted ? "the bay's consent to remote support has expired" : "the bay has not allowed remote support",
                  c->granted ? "工位的远程支持授权已过期" : "工位未允许远程支持");
        return NULL;
    }
    if (c->to[0] && strcmp(c->to, user)) {
        rm_refuse(r, rt, req, "no_consent", "the bay allowed remote support to someone else",
                  "工位的远程支持授权对象不是该请求方");
        return NULL;
    }
    if (!busy_ok && rm_bay_stream(r, bay)) {
        rm_refuse(r, rt, req, "busy", "a remote stream or read is already running on this bay",
                  "该工位已有远程数据流或读取在进行");
        return NULL;
    }
    if (!busy_ok && bay_busy(b)) {
        char st[16];
        snprintf(st, sizeof st, "%s", bay_state(b, NULL, 0));
        rm_refuse(r, rt, req, "busy",
                  !strcmp(st, "clearing") ? "the bay is clearing codes" : "the bay is busy (scanning or another job)",
                  !strcmp(st, "clearing") ? "工位正在清除故障码" : "工位正忙（正在扫描或执行其他任务）");
        return NULL;
    }
    *bay_out = bay;
    return b;
}

static void start_stream(remote_t *r, const route_t *rt, const cJSON *q, const char *requester, bool dtc)
{
    const char *req = dtc ? "dtc.read" : "live.start";
    int bay = -1;
    bay_t *b = rm_check_bay(r, rt, req, q, requester, false, &bay);
    if (!b)
        return;
    int64_t now = wall_ms();
    consent_t *c = &r->consent[bay];
    int si = rm_slot_new(r), rfd = -1;
    rjob_t *j = si >= 0 ? rm_job_new(dtc ? RJ_DTC : RJ_LIVE, &rfd) : NULL;
    if (!j) {
        rm_refuse(r, rt, req, "busy", "too many running jobs on the gateway", "网关上运行的任务过多");
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
            rm_job_free(j);
            rm_refuse(r, rt, req, "invalid", why_en, why_zh);
            return;
        }
        j->interval_ms = (int)(1000.0 / rate);
    }
    /* Fail-closed: the audit entry is written before the job starts; no
     * entry, no read or stream. */
    char stream_id[sizeof s->stream_id];
    snprintf(stream_id, sizeof stream_id, "%s-%s-%d-%lld-%llu", rm_site(r), dtc ? "dtc" : "live", bay, (long long)now,
             (unsigned long long)++r->next_stream);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "bay", bay);
    cJSON_AddStringToObject(d, "stream_id", stream_id);
    if (!dtc) {
        cJSON_AddStringToObject(d, "pids", s->pids_text);
        cJSON_AddNumberToObject(d, "rate_hz", 1000.0 / j->interval_ms);
    }
    if (rm_audit(r, dtc ? "remote_dtc_read" : "remote_live_start", requester, d, NULL, 0)) {
        close(rfd);
        rm_job_free(j);
        s->pids_text[0] = 0;
        rm_refuse(r, rt, req, "audit_failed", "the gateway cannot write its audit log (store full or read-only): refused",
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
        rm_job_free(j);
        s->pids_text[0] = 0;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "bay", bay);
        cJSON_AddStringToObject(e, "stream_id", stream_id);
        cJSON_AddStringToObject(e, "reason", "busy");
        rm_audit(r, "remote_live_end", requester, e, NULL, 0);
        rm_refuse(r, rt, req, "busy", "the bay is busy (scanning or another job)", "工位正忙（正在扫描或执行其他任务）");
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
    snprintf(s->req_name, sizeof s->req_name, "%s", req);
    obd_remote_live_topic(s->live_topic, sizeof s->live_topic, rm_site(r), requester, bay);
    rm_ep_add(r, rfd, EV_REMOTE0 + 2u * (unsigned)si);
    dlog(LOG_LVL_INFO, "remote: %s on bay %d for %s (%s)", req, bay, requester, s->stream_id);
    if (!dtc) {
        cJSON *o = rm_response(r, req, true);
        cJSON_AddStringToObject(o, "stream_id", s->stream_id);
        cJSON_AddStringToObject(o, "topic", s->live_topic);
        cJSON_AddNumberToObject(o, "bay", bay);
        cJSON_AddNumberToObject(o, "rate_hz", 1000.0 / j->interval_ms);
        cJSON_AddNumberToObject(o, "idle_s", s->idle_ms / 1000.0);
        cJSON_AddNumberToObject(o, "consent_until_ms", (double)c->until_ms);
        rm_send(r, rt, o);
    } /* dtc.read answers when the read is done */
}

/* live.stop / live.keepalive: only the requester's own streams; a
 * stream_id of someone else's stream is "no such stream" (nothing said
 * about it). live.stop without a stream_id stops all of them (the Will). */
static void stop_streams(remote_t *r, const route_t *rt, const cJSON *q, const char *requester, const char *req,
                         bool keepalive)
{
    char id[96];
    if (!rm_str_member(q, "stream_id", id, sizeof id) || (!id[0] && keepalive)) {
        rm_refuse(r, rt, req, "invalid", "give 'stream_id' (live.stop without it stops all of your streams)",
                  "请给出 'stream_id'（live.stop 不带它则停止您的全部数据流）");
        return;
    }
    int n = 0;
    for (int i = 0; i < MAX_SLOTS; i++) {
        slot_t *s = &r->slots[i];
        if (s->kind != SL_MQ_LIVE || strcmp(s->requester, requester) || (id[0] && strcmp(s->stream_id, id)))
            continue;
        n++;
        if (keepalive) {
            s->last_seen_ms = mono_ms();
        } else {
            const cJSON *rs = cJSON_GetObjectItemCaseSensitive(q, "reason");
            rm_ask_end(s, !id[0] || (cJSON_IsString(rs) && !strcmp(rs->valuestring, "will")) ? END_REQUESTER : END_STOPPED);
        }
    }
    if (!n) {
        rm_refuse(r, rt, req, "no_such_stream", "no such running stream", "没有该运行中的数据流");
        return;
    }
    cJSON *o = rm_response(r, req, true);
    cJSON_AddNumberToObject(o, "streams", n);
    rm_send(r, rt, o);
}

/* What `user` may know of the bays' consent: for each bay, whether it has
 * consented to `user` (and until when). Names of other people are not
 * given. */
static cJSON *you_json(remote_t *r, const char *user)
{
    cJSON *y = cJSON_CreateObject();
    cJSON_AddStringToObject(y, "user", user);
    cJSON *a = cJSON_AddArrayToObject(y, "bays");
    int64_t now = wall_ms(), mono = mono_ms();
    for (int bay = 1; bay < MAX_BAY_ID; bay++) {
        bay_t *b = r->env.find_bay(r->env.ctx, bay);
        if (!b)
            continue;
        const consent_t *c = &r->consent[bay];
        bool mine = rm_consent_valid(r, bay, now) && (!c->to[0] || !strcmp(c->to, user));
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "bay", bay);
        cJSON_AddStringToObject(o, "state", bay_state(b, NULL, 0));
        cJSON_AddBoolToObject(o, "consent", mine);
        if (mine) {
            cJSON_AddNumberToObject(o, "until_ms", (double)c->until_ms);
            cJSON_AddNumberToObject(o, "seconds_left", (double)((c->until_mono_ms - mono) / 1000));
        }
        slot_t *st = rm_bay_stream(r, bay);
        cJSON_AddBoolToObject(o, "remote_busy", st != NULL);
        cJSON_AddBoolToObject(o, "yours", st && !strcmp(st->requester, user));
        cJSON_AddItemToArray(a, o);
    }
    return y;
}

typedef enum { RQ_STATUS = 1, RQ_START, RQ_STOP, RQ_KEEP, RQ_DTC, RQ_READ, RQ_PROPOSE } rq_kind_t;

static const struct {
    const char *name;
    rq_kind_t kind;
} req_names[] = {
    { "status", RQ_STATUS },          { "live.start", RQ_START },       { "live.stop", RQ_STOP },
    { "live.keepalive", RQ_KEEP },    { "dtc.read", RQ_DTC },           { "scan.read", RQ_READ },
    { "freeze_frame.read", RQ_READ }, { "readiness.read", RQ_READ },    { "mode06.read", RQ_READ },
    { "uds_dtc.read", RQ_READ },      { "ro.scans", RQ_READ },          { "ro.report", RQ_READ },
    { "clear.propose", RQ_PROPOSE },
};
#define REQ_LIST "status, live.start, live.stop, live.keepalive, dtc.read, scan.read, freeze_frame.read, " \
                 "readiness.read, mode06.read, uds_dtc.read, ro.scans, ro.report, clear.propose"

bool remote_on_request(remote_t *r, const mqtt_event_t *e)
{
    char user[OBD_RUSER_MAX], name[OBD_RNAME_MAX];
    obd_rtopic_t idt = obd_remote_req_topic(e->topic, strlen(e->topic), rm_site(r), user, name);
    rq_kind_t kind = 0;
    for (size_t i = 0; i < sizeof req_names / sizeof req_names[0]; i++)
        if (!strcmp(name, req_names[i].name))
            kind = req_names[i].kind;
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
        if (rm_str_member(q, "response_topic", rt.topic, sizeof rt.topic) &&
            rm_str_member(q, "correlation_data", corr, sizeof corr)) {
            rt.in_payload = true;
            rt.corr_len = strlen(corr);
            memcpy(rt.corr, corr, rt.corr_len + 1);
        } else {
            rt.topic[0] = 0;
        }
    }
    /* Replies go to the requester's own obdgw/v1/<site>/resp/<user>/...
     * only (the broker lets nobody else read there). A request without an
     * identity (the old dms/v1/<site>/req/<name>) is answered, with its
     * refusal only, under obdgw/v1/<site>/resp/. */
    bool route_ok = idt == OBD_RT_OK ? obd_remote_resp_ok(rt.topic, rm_site(r), user) : route_topic_ok(r, rt.topic);
    if (rt.topic[0] && !route_ok) {
        if (rm_log_ok(r))
            dlog(LOG_LVL_WARN, "remote: %s from %s with response topic '%s' outside obdgw/v1/%s/resp/%s/ ignored",
                 name[0] ? name : "request", user[0] ? user : "(no identity)", rt.topic, rm_site(r),
                 user[0] ? user : "<user>");
        cJSON_Delete(q);
        return true;
    }
    if (!rt.topic[0] && (idt != OBD_RT_OK || !kind || kind == RQ_STATUS || kind >= RQ_DTC)) {
        if (rm_log_ok(r))
            dlog(LOG_LVL_WARN, "remote: request %.40s without a response topic ignored", e->topic);
        cJSON_Delete(q);
        return true;
    }
    const char *rname = name[0] ? name : "unknown";
    if (idt != OBD_RT_OK) {
        if (idt == OBD_RT_NO_USER)
            rm_refuse(r, &rt, rname, "no_identity",
                      "requests go to dms/v1/<site>/req/<your broker username>/<request>: the gateway takes who asks "
                      "from the topic the broker lets you publish on",
                      "请求须发往 dms/v1/<站点>/req/<您的代理用户名>/<请求>：网关按代理允许您发布的主题识别请求方");
        else if (idt == OBD_RT_BAD_USER)
            rm_refuse(r, &rt, rname, "bad_identity", "the user level of the topic must be 1 to 63 of A-Z a-z 0-9 . _ @ -",
                      "主题中的用户名须为 1 到 63 个 A-Z a-z 0-9 . _ @ - 字符");
        else
            rm_refuse(r, &rt, "unknown", "unknown request", "unknown request (" REQ_LIST ")", "未知请求（" REQ_LIST "）");
        cJSON_Delete(q);
        return true;
    }
    if (!kind) {
        rm_refuse(r, &rt, "unknown", "unknown request", "unknown request (" REQ_LIST ")", "未知请求（" REQ_LIST "）");
        cJSON_Delete(q);
        return true;
    }
    if (e->len > REQ_MAX_BYTES) {
        char en[96];
        snprintf(en, sizeof en, "request of %zu bytes is above the %d-byte limit", e->len, REQ_MAX_BYTES);
        rm_refuse(r, &rt, name, "too_large", en, "请求超过 4096 字节的上限");
    } else if (!q || !cJSON_IsObject(q)) {
        rm_refuse(r, &rt, name, "malformed", "the request is not a JSON object", "请求不是 JSON 对象");
    } else if (cJSON_GetObjectItemCaseSensitive(q, "requester")) {
        /* the old self-declared identity: refused, never trusted */
        rm_refuse(r, &rt, name, "requester_refused",
                  "the 'requester' field is not accepted: who asks is the <user> level of the request topic, "
                  "which the broker enforces",
                  "不接受 'requester' 字段：请求方即请求主题中的 <用户> 一级，由代理强制");
    } else if (kind == RQ_STATUS) {
        cJSON *o = rm_response(r, name, true);
        cJSON *st = r->env.status_json ? r->env.status_json(r->env.ctx) : NULL;
        if (st)
            cJSON_AddItemToObject(o, "status", st);
        cJSON_AddItemToObject(o, "you", you_json(r, user));
        rm_send(r, &rt, o);
    } else if (kind == RQ_START || kind == RQ_DTC) {
        start_stream(r, &rt, q, user, kind == RQ_DTC);
    } else if (kind == RQ_STOP || kind == RQ_KEEP) {
        stop_streams(r, &rt, q, user, name, kind == RQ_KEEP);
    } else if (kind == RQ_READ) {
        rm_read_request(r, &rt, q, user, name);
    } else {
        rm_propose_request(r, &rt, q, user);
    }
    cJSON_Delete(q);
    return true;
}
