/*
 * remote_propose.c — intrusive actions need the bay: a remote engineer may
 * only PROPOSE a clear (clear.propose, OBD or UDS, on the RO the bay
 * shares); it runs when the technician at the bay confirms it with
 * `obdgw confirm --bay N --yes`, as the same clear job `obdgw clear --bay N
 * --ro RO --yes` runs (bay.c: the clear gate, the pre-clear scan, the
 * clear_intent audit), with the technician as the actor and the proposal
 * in the reason. `obdgw confirm --bay N` alone shows what is proposed and by
 * whom; --decline refuses it. Unconfirmed proposals expire. Each step is
 * audited (remote_clear_proposed, _confirmed, _declined, _expired, _done)
 * and the proposer is told on its reply route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote_int.h"

#define PROPOSAL_DEFAULT_S 600
#define PROPOSAL_MIN_S 5
#define PROPOSAL_MAX_S 3600

typedef struct {
    bool active;          /* waiting for the bay */
    uint64_t job_id;      /* confirmed: the clear job running (0: none) */
    char id[64];
    char user[OBD_RUSER_MAX];
    char ro[STORE_RO_LEN];
    bool uds;
    uint32_t module;      /* UDS: one request id (0: every module with codes) */
    char reason[96];
    int64_t expires_mono_ms, created_ms;
    route_t route;
} proposal_t;

static proposal_t props[MAX_BAY_ID];

static const char *what_text(const proposal_t *p, obd_lang_t lang, char *out, size_t cap)
{
    if (!p->uds)
        snprintf(out, cap, "%s", obd_tr(lang, "clear the OBD codes (service 04)", "清除 OBD 故障码（服务 04）"));
    else if (!p->module)
        snprintf(out, cap, "%s", obd_tr(lang, "clear the UDS codes of every module ($14)", "清除所有 UDS 模块的故障码（$14）"));
    else if (lang == OBD_LANG_ZH)
        snprintf(out, cap, "清除 UDS 模块 %X 的故障码（$14）", (unsigned)p->module);
    else
        snprintf(out, cap, "clear the UDS codes of module %X ($14)", (unsigned)p->module);
    return out;
}

static void tell(remote_t *r, proposal_t *p, const char *state, bool ok, const char *detail)
{
    cJSON *o = rm_response(r, "clear.propose", ok);
    cJSON_AddStringToObject(o, "proposal_id", p->id);
    cJSON_AddStringToObject(o, "state", state);
    if (detail)
        cJSON_AddStringToObject(o, "detail", detail);
    rm_send(r, &p->route, o);
}

static cJSON *prop_details(const proposal_t *p, int bay)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "bay", bay);
    cJSON_AddStringToObject(d, "proposal_id", p->id);
    cJSON_AddStringToObject(d, "proposed_by", p->user);
    cJSON_AddStringToObject(d, "ro", p->ro);
    cJSON_AddStringToObject(d, "kind", p->uds ? "uds" : "obd");
    if (p->module) {
        char m[12];
        snprintf(m, sizeof m, "%X", (unsigned)p->module);
        cJSON_AddStringToObject(d, "module", m);
    }
    return d;
}

void rm_propose_request(remote_t *r, const route_t *rt, const cJSON *q, const char *user)
{
    const char *name = "clear.propose";
    int bay = -1;
    /* a proposal does not touch the car: the bay may be busy meanwhile */
    if (!rm_check_bay(r, rt, name, q, user, true, &bay))
        return;
    const consent_t *c = &r->consent[bay];
    if (!c->ro[0]) {
        rm_refuse(r, rt, name, "no_ro_shared",
                  "the bay shares no RO with remote support (obdgw consent --bay N --grant --ro RO): a clear is only done on an open RO",
                  "该工位未向远程支持共享工单（obdgw consent --bay N --grant --ro 工单号）：只能在进行中的工单上清码");
        return;
    }
    proposal_t *p = &props[bay];
    if (p->active || p->job_id) {
        rm_refuse(r, rt, name, "busy", "a proposal is already waiting for the bay's answer",
                  "已有一个提议在等待工位答复");
        return;
    }
    proposal_t n;
    memset(&n, 0, sizeof n);
    const cJSON *kv = cJSON_GetObjectItemCaseSensitive(q, "kind");
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(q, "module");
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(q, "expires_s");
    const char *bad_en = NULL, *bad_zh = NULL;
    if (kv && (!cJSON_IsString(kv) || (strcmp(kv->valuestring, "obd") && strcmp(kv->valuestring, "uds")))) {
        bad_en = "'kind' must be \"obd\" or \"uds\"";
        bad_zh = "'kind' 须为 \"obd\" 或 \"uds\"";
    } else {
        n.uds = kv && !strcmp(kv->valuestring, "uds");
    }
    if (!bad_en && mv) {
        char *end = NULL;
        unsigned long m = cJSON_IsString(mv) ? strtoul(mv->valuestring, &end, 16) : 0;
        if (!n.uds || !end || *end || !m || m > 0x1FFFFFFF) {
            bad_en = "'module' (a UDS request id in hex) goes with \"kind\":\"uds\" only";
            bad_zh = "'module'（十六进制 UDS 请求 ID）只用于 \"kind\":\"uds\"";
        } else {
            n.module = (uint32_t)m;
        }
    }
    int secs = PROPOSAL_DEFAULT_S;
    if (!bad_en && ev) {
        if (!cJSON_IsNumber(ev) || ev->valuedouble < PROPOSAL_MIN_S || ev->valuedouble > PROPOSAL_MAX_S) {
            bad_en = "'expires_s' must be 5 to 3600 seconds";
            bad_zh = "'expires_s' 须为 5 到 3600 秒";
        } else {
            secs = (int)ev->valuedouble;
        }
    }
    if (!bad_en && !rm_str_member(q, "reason", n.reason, sizeof n.reason)) {
        bad_en = "'reason' must be text of at most 95 characters";
        bad_zh = "'reason' 须为最多 95 个字符的文字";
    }
    if (bad_en) {
        rm_refuse(r, rt, name, "invalid", bad_en, bad_zh);
        return;
    }
    snprintf(n.id, sizeof n.id, "%s-prop-%d-%lld", rm_site(r), bay, (long long)wall_ms());
    snprintf(n.user, sizeof n.user, "%s", user);
    snprintf(n.ro, sizeof n.ro, "%s", c->ro);
    n.created_ms = wall_ms();
    n.expires_mono_ms = mono_ms() + (int64_t)secs * 1000;
    n.route = *rt;
    cJSON *d = prop_details(&n, bay);
    if (n.reason[0])
        cJSON_AddStringToObject(d, "reason", n.reason);
    cJSON_AddNumberToObject(d, "expires_s", secs);
    if (rm_audit(r, "remote_clear_proposed", user, d, NULL, 0)) {
        rm_refuse(r, rt, name, "audit_failed", "the gateway cannot write its audit log (store full or read-only): refused",
                  "网关无法写入审计日志（存储已满或只读）：已拒绝");
        return;
    }
    n.active = true;
    *p = n;
    dlog(LOG_LVL_INFO, "remote: bay %d: %s proposes a %s clear on RO %s (%s); waiting for the bay", bay, user,
         n.uds ? "UDS" : "OBD", n.ro, n.id);
    cJSON *o = rm_response(r, name, true);
    cJSON_AddStringToObject(o, "proposal_id", n.id);
    cJSON_AddStringToObject(o, "state", "waiting");
    cJSON_AddNumberToObject(o, "bay", bay);
    cJSON_AddStringToObject(o, "ro", n.ro);
    cJSON_AddNumberToObject(o, "expires_s", secs);
    rm_send(r, rt, o);
}

/* what: 0 show, 1 --yes, 2 --decline; with --yes `job` is the clear to run. */
static int remote_confirm(remote_t *r, int bay, int what, const char *actor, obd_lang_t lang, bay_job_t *job, char *text,
                          size_t cap)
{
    job->kind = JOB_NONE;
    if (bay <= 0 || bay >= MAX_BAY_ID || !r->env.find_bay(r->env.ctx, bay)) {
        snprintf(text, cap, "confirm: %s",
                 obd_tr(lang, "give --bay N of a bay on this gateway (obdgw status lists them)",
                        "请用 --bay N 指定本网关的工位（obdgw status 可列出）"));
        return bay <= 0 ? 2 : 3;
    }
    proposal_t *p = &props[bay];
    if (p->active) /* expired or consent ended since the last tick: dropped (and said) now */
        rm_propose_tick(r);
    if (!p->active) {
        snprintf(text, cap, "%s %d: %s", obd_tr(lang, "bay", "工位"), bay,
                 obd_tr(lang, "no remote proposal is waiting", "没有等待确认的远程提议"));
        return 3;
    }
    char w[96], hm[16];
    what_text(p, lang, w, sizeof w);
    time_t t = (time_t)(p->created_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(hm, sizeof hm, "%H:%M", &tm);
    long left = (long)((p->expires_mono_ms - mono_ms()) / 1000);
    if (what == 0) { /* show */
        if (lang == OBD_LANG_ZH)
            snprintf(text, cap,
                     "工位 %d：%s 于 %s 提议：%s，工单 %s%s%s\n%ld 秒后过期。执行：obdgw confirm --bay %d --yes；拒绝：--decline",
                     bay, p->user, hm, w, p->ro, p->reason[0] ? "；理由：" : "", p->reason, left, bay);
        else
            snprintf(text, cap,
                     "bay %d: %s proposed at %s: %s on RO %s%s%s\nexpires in %ld s. Run it: obdgw confirm --bay %d --yes; "
                     "refuse it: --decline",
                     bay, p->user, hm, w, p->ro, p->reason[0] ? "; reason: " : "", p->reason, left, bay);
        return 0;
    }
    cJSON *d = prop_details(p, bay);
    if (what == 2) { /* decline */
        rm_audit(r, "remote_clear_declined", actor, d, NULL, 0);
        p->active = false;
        tell(r, p, "declined", false, "the technician at the bay declined the proposal");
        snprintf(text, cap, "%s %d: %s %s", obd_tr(lang, "bay", "工位"), bay,
                 obd_tr(lang, "declined the proposal of", "已拒绝以下人员的提议："), p->user);
        return 0;
    }
    char why[256];
    if (rm_audit(r, "remote_clear_confirmed", actor, d, why, sizeof why)) {
        snprintf(text, cap, "confirm: %s (%s)",
                 obd_tr(lang, "NOT run: the audit entry could not be written", "未执行：无法写入审计记录"), why);
        return 1;
    }
    job->kind = p->uds ? JOB_UDS_CLEAR : JOB_CLEAR;
    job->module = p->module;
    snprintf(job->ro, sizeof job->ro, "%s", p->ro);
    /* the bay's clear_intent audit carries who proposed it (cut to fit the job's reason) */
    char reason[400];
    snprintf(reason, sizeof reason, "remote proposal %s by %s%s%s", p->id, p->user, p->reason[0] ? ": " : "", p->reason);
    memcpy(job->reason, reason, sizeof job->reason - 1);
    job->reason[sizeof job->reason - 1] = 0;
    snprintf(text, cap, "%s %d: %s %s (%s)", obd_tr(lang, "bay", "工位"), bay,
             obd_tr(lang, "running the clear proposed by", "正在执行以下人员提议的清码："), p->user, w);
    return 0;
}

int remote_confirm_ctl(remote_t *r, int argc, const char **argv, const cJSON *req, bay_job_t *job, int *bay_out,
                       char *text, size_t cap)
{
    memset(job, 0, sizeof *job);
    job->kind = JOB_NONE;
    job->mileage_km = -1;
    const cJSON *lg = cJSON_GetObjectItemCaseSensitive(req, "lang");
    obd_lang_t lang = cJSON_IsString(lg) && obd_lang_parse(lg->valuestring) >= 0 ? (obd_lang_t)obd_lang_parse(lg->valuestring)
                                                                                 : r->env.cfg->lang;
    job->lang = lang;
    const cJSON *ac = cJSON_GetObjectItemCaseSensitive(req, "actor");
    int bay = -1, what = 0;
    char actor[48] = "";
    for (int i = 1; i < argc; i++) {
        bool has = i + 1 < argc;
        if (!strcmp(argv[i], "--bay") && has) {
            char *end;
            bay = (int)strtol(argv[++i], &end, 10);
            if (*end)
                bay = -1;
        } else if (!strcmp(argv[i], "--yes") || !strcmp(argv[i], "-y")) {
            what = what == 2 ? 3 : 1;
        } else if (!strcmp(argv[i], "--decline")) {
            what = what == 1 ? 3 : 2;
        } else if ((!strcmp(argv[i], "--tech") || !strcmp(argv[i], "--by")) && has) {
            snprintf(actor, sizeof actor, "%s", argv[++i]);
        } else {
            snprintf(text, cap, "confirm: %s '%s'", obd_tr(lang, "unknown option", "未知选项"), argv[i]);
            return 2;
        }
    }
    if (what == 3) {
        snprintf(text, cap, "%s", obd_tr(lang, "confirm: --yes or --decline, not both", "confirm：--yes 与 --decline 只能选一个"));
        return 2;
    }
    if (!actor[0])
        snprintf(actor, sizeof actor, "%s", cJSON_IsString(ac) && ac->valuestring[0] ? ac->valuestring : "technician");
    *bay_out = bay;
    int code = remote_confirm(r, bay, what, actor, lang, job, text, cap);
    if (job->kind != JOB_NONE)
        snprintf(job->actor, sizeof job->actor, "%s", actor);
    return code;
}

void remote_confirm_started(remote_t *r, int bay, uint64_t job_id, bool submitted)
{
    if (bay <= 0 || bay >= MAX_BAY_ID)
        return;
    proposal_t *p = &props[bay];
    if (!submitted) /* the bay was busy: the proposal still waits */
        return;
    p->active = false;
    p->job_id = job_id;
    tell(r, p, "confirmed", true, NULL);
    (void)r;
}

void remote_job_result(remote_t *r, uint64_t job_id, int exit_code, const char *text)
{
    for (int bay = 1; bay < MAX_BAY_ID; bay++) {
        proposal_t *p = &props[bay];
        if (!job_id || p->job_id != job_id)
            continue;
        cJSON *d = prop_details(p, bay);
        cJSON_AddNumberToObject(d, "exit", exit_code);
        rm_audit(r, "remote_clear_done", p->user, d, NULL, 0);
        tell(r, p, exit_code == 0 ? "cleared" : "failed", exit_code == 0, text ? text : "");
        p->job_id = 0;
    }
}

void rm_propose_tick(remote_t *r)
{
    int64_t now = mono_ms();
    for (int bay = 1; bay < MAX_BAY_ID; bay++) {
        proposal_t *p = &props[bay];
        if (!p->active)
            continue;
        const consent_t *c = &r->consent[bay];
        bool consent = rm_consent_valid(r, bay, 0) && (!c->to[0] || !strcmp(c->to, p->user));
        if (now < p->expires_mono_ms && consent)
            continue;
        p->active = false;
        rm_audit(r, "remote_clear_expired", p->user, prop_details(p, bay), NULL, 0);
        dlog(LOG_LVL_INFO, "remote: bay %d: proposal %s expired unconfirmed", bay, p->id);
        tell(r, p, "expired", false,
             consent ? "the bay did not confirm in time: nothing was done" : "the bay's consent ended: nothing was done");
    }
}

cJSON *rm_proposal_json(int bay)
{
    if (bay <= 0 || bay >= MAX_BAY_ID || !props[bay].active)
        return NULL;
    const proposal_t *p = &props[bay];
    cJSON *o = prop_details(p, bay);
    cJSON_AddNumberToObject(o, "expires_s", (double)((p->expires_mono_ms - mono_ms()) / 1000));
    return o;
}
