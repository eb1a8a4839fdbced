/*
 * remote_read.c — the read-only remote requests beyond live data and DTCs:
 *
 *   scan.read          the full OBD scan of the bay's car (obd_scan_json),
 *                      NOT saved: nothing reaches the RO unless the bay's
 *                      technician scans and saves it
 *   freeze_frame.read  the scan's freeze frames, per ECU
 *   readiness.read     the monitors (PID 01 and 41) and the MIL, per ECU
 *   mode06.read        the on-board monitor results (service 06), per ECU
 *   uds_dtc.read       one UDS module's DTCs with their snapshot records
 *   ro.scans           the scans of the RO the bay shares (consent --ro):
 *                      references (scan_id, stage, time), no contents
 *   ro.report          the report (obdgw.report/1 JSON) of that RO, or of
 *                      one of its scans by scan_id
 *
 * Same rules as live.start and dtc.read (remote_req.c): identity from the
 * topic, the bay's consent to that user, audited before anything runs, one
 * remote job per bay, refused while the bay is busy (the ro.* requests read
 * the store only and do not wait for the bay).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "obdgw/dtcdb.h"
#include "obdgw/link.h"
#include "obdgw/report.h"
#include "obdgw/session.h"
#include "obdgw/uds_scan.h"
#include "remote_int.h"

/* ================= bay worker side ================= */

/* Keep only `keys` of every ECU of a scan JSON (and `top` of the scan). */
static cJSON *scan_subset(cJSON *scan, const char *const *top, const char *const *keys)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; top[i]; i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(scan, top[i]);
        if (v)
            cJSON_AddItemToObject(o, top[i], cJSON_Duplicate(v, 1));
    }
    cJSON *out = cJSON_AddArrayToObject(o, "ecus");
    cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(scan, "ecus"))
    {
        cJSON *x = cJSON_CreateObject();
        static const char *const id[] = { "address", "name", NULL };
        for (size_t i = 0; id[i]; i++) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(e, id[i]);
            if (v)
                cJSON_AddItemToObject(x, id[i], cJSON_Duplicate(v, 1));
        }
        for (size_t i = 0; keys[i]; i++) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(e, keys[i]);
            if (v)
                cJSON_AddItemToObject(x, keys[i], cJSON_Duplicate(v, 1));
        }
        cJSON_AddItemToArray(out, x);
    }
    return o;
}

static void scan_job(bay_t *b, rjob_t *j, obd_link_t *l)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(j->err, sizeof j->err, "out of memory");
        return;
    }
    j->rc = obd_scan_run(l, s, NULL, NULL);
    if (j->rc && s->necus == 0) {
        snprintf(j->err, sizeof j->err, "%s%s%s", obd_strerror(j->rc), l->errmsg[0] ? ": " : "", l->errmsg);
        bay_link_drop(b);
        free(s);
        return;
    }
    bool partial = j->rc != 0;
    if (partial)
        bay_link_drop(b);
    dtcdb_t *db = NULL;
    dtcdb_open(&db, NULL, NULL);
    cJSON *full = obd_scan_json(s, db, j->lang);
    dtcdb_close(db);
    free(s);
    if (!full) {
        snprintf(j->err, sizeof j->err, "out of memory");
        return;
    }
    cJSON *res = full;
    static const char *const top_ff[] = { "vin", NULL }, *const ff[] = { "freeze_frame", "freeze_frame_state", NULL };
    static const char *const top_rd[] = { "mil_on", "status_known", "dtc_count", NULL },
                             *const rd[] = { "readiness", "readiness_this_cycle", NULL };
    static const char *const top_m6[] = { NULL }, *const m6[] = { "mode06", "mode06_state", NULL };
    if (!strcmp(j->what, "freeze_frame.read"))
        res = scan_subset(full, top_ff, ff);
    else if (!strcmp(j->what, "readiness.read"))
        res = scan_subset(full, top_rd, rd);
    else if (!strcmp(j->what, "mode06.read"))
        res = scan_subset(full, top_m6, m6);
    if (res != full)
        cJSON_Delete(full);
    cJSON_AddBoolToObject(res, "partial", partial);
    cJSON_AddBoolToObject(res, "saved", false); /* a remote scan is never saved on the RO */
    j->dtc = res;
    j->rc = 0;
    j->end = END_DONE;
}

static void uds_job(bay_t *b, rjob_t *j, obd_link_t *l)
{
    uds_scan_t *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(j->err, sizeof j->err, "out of memory");
        return;
    }
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    obd_target_t pair = { j->uds_tx, j->uds_rx };
    o.range11 = false;
    o.pairs = &pair;
    o.npairs = 1;
    o.read_snapshots = true;
    j->rc = uds_scan_run(l, &o, s, NULL, NULL);
    if (j->rc) {
        snprintf(j->err, sizeof j->err, "%s%s%s", obd_strerror(j->rc), l->errmsg[0] ? ": " : "", l->errmsg);
        bay_link_drop(b);
        free(s);
        return;
    }
    cJSON *res = uds_scan_json(s, j->lang);
    bool answered = s->nanswered > 0;
    free(s);
    if (!res) {
        snprintf(j->err, sizeof j->err, "out of memory");
        return;
    }
    cJSON_AddBoolToObject(res, "answered", answered);
    cJSON_AddBoolToObject(res, "saved", false);
    j->dtc = res;
    j->end = END_DONE;
}

void rm_read_run(bay_t *b, rjob_t *j)
{
    char err[256];
    j->end = END_ERROR;
    obd_link_t *l = bay_link(b, err, sizeof err);
    if (!l) {
        j->rc = OBD_ELINK;
        snprintf(j->err, sizeof j->err, "%s", err);
        return;
    }
    if (j->kind == RJ_UDS)
        uds_job(b, j, l);
    else
        scan_job(b, j, l);
}

/* ================= loop side ================= */

static obd_lang_t req_lang(remote_t *r, const cJSON *q)
{
    const cJSON *lg = cJSON_GetObjectItemCaseSensitive(q, "lang");
    if (cJSON_IsString(lg) && obd_lang_parse(lg->valuestring) >= 0)
        return (obd_lang_t)obd_lang_parse(lg->valuestring);
    return r->env.cfg->lang;
}

/* "7E0", "7E0:7E8", "18DA10F1": the module's request id, and its response
 * id (11-bit: +8; 29-bit 18DAxxF1: 18DAF1xx; else it must be given). */
static bool parse_module(const char *v, uint32_t *tx, uint32_t *rx)
{
    char *end = NULL;
    unsigned long t = strtoul(v, &end, 16);
    if (end == v || t == 0 || t > 0x1FFFFFFF)
        return false;
    if (*end == ':') {
        const char *p = end + 1;
        unsigned long x = strtoul(p, &end, 16);
        if (end == p || *end || x == 0 || x > 0x1FFFFFFF)
            return false;
        *tx = (uint32_t)t;
        *rx = (uint32_t)x;
        return true;
    }
    if (*end)
        return false;
    *tx = (uint32_t)t;
    if (t >= 0x700 && t <= 0x7F7)
        *rx = (uint32_t)t + 8;
    else if ((t & 0xFFFF00FFu) == 0x18DA00F1u)
        *rx = 0x18DAF100u | (((uint32_t)t >> 8) & 0xFF);
    else
        return false;
    return true;
}

typedef struct {
    cJSON *a;
} scans_ctx_t;

static int on_scan(void *ctx, const store_scan_meta_t *m)
{
    scans_ctx_t *c = ctx;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "scan_id", (double)m->id);
    cJSON_AddStringToObject(o, "stage", store_stage_key(m->stage));
    cJSON_AddNumberToObject(o, "started_ms", (double)m->started_ms);
    cJSON_AddStringToObject(o, "technician", m->technician);
    if (m->mileage_km >= 0)
        cJSON_AddNumberToObject(o, "mileage_km", m->mileage_km);
    cJSON *ref = cJSON_AddObjectToObject(o, "report");
    cJSON_AddStringToObject(ref, "request", "ro.report");
    cJSON_AddNumberToObject(ref, "scan_id", (double)m->id);
    cJSON_AddItemToArray(c->a, o);
    return 0;
}

typedef struct {
    int64_t want;
    bool found;
} has_ctx_t;

static int has_scan(void *ctx, const store_scan_meta_t *m)
{
    has_ctx_t *c = ctx;
    c->found |= m->id == c->want;
    return 0;
}

static void ro_request(remote_t *r, const route_t *rt, const cJSON *q, const char *user, const char *name, int bay)
{
    const consent_t *c = &r->consent[bay];
    if (!c->ro[0]) {
        rm_refuse(r, rt, name, "no_ro_shared",
                  "the bay shares no RO with remote support (obdgw consent --bay N --grant --ro RO)",
                  "该工位未向远程支持共享工单（obdgw consent --bay N --grant --ro 工单号）");
        return;
    }
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(q, "scan_id");
    int64_t scan_id = 0;
    if (sv && (!cJSON_IsNumber(sv) || sv->valuedouble < 1 || sv->valuedouble != (double)(int64_t)sv->valuedouble)) {
        rm_refuse(r, rt, name, "invalid", "'scan_id' must be a positive integer (ro.scans lists them)",
                  "'scan_id' 必须是正整数（ro.scans 可列出）");
        return;
    }
    if (sv)
        scan_id = (int64_t)sv->valuedouble;
    if (scan_id) {
        has_ctx_t h = { scan_id, false };
        store_scan_list(r->env.st, c->ro, -1, has_scan, &h);
        if (!h.found) { /* another RO's scan is not this consent's to give */
            rm_refuse(r, rt, name, "not_found", "no such scan on the RO the bay shares", "该工位共享的工单中没有此扫描");
            return;
        }
    }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "bay", bay);
    cJSON_AddStringToObject(d, "request", name);
    if (scan_id)
        cJSON_AddNumberToObject(d, "scan_id", (double)scan_id);
    if (rm_audit(r, "remote_ro_read", user, d, NULL, 0)) {
        rm_refuse(r, rt, name, "audit_failed", "the gateway cannot write its audit log (store full or read-only): refused",
                  "网关无法写入审计日志（存储已满或只读）：已拒绝");
        return;
    }
    cJSON *o = rm_response(r, name, true);
    cJSON_AddNumberToObject(o, "bay", bay);
    cJSON_AddStringToObject(o, "ro", c->ro);
    if (!strcmp(name, "ro.scans")) {
        scans_ctx_t sc = { cJSON_AddArrayToObject(o, "scans") };
        store_scan_list(r->env.st, c->ro, -1, on_scan, &sc);
        rm_send(r, rt, o);
        return;
    }
    report_t *rep = calloc(1, sizeof *rep);
    dtcdb_t *db = NULL;
    dtcdb_open(&db, NULL, NULL);
    obd_lang_t lang = req_lang(r, q);
    int rc = !rep ? -1
             : scan_id ? report_load_scan(r->env.st, scan_id, lang, db, rep)
                       : report_load_ro(r->env.st, c->ro, REPORT_DIAGNOSTIC, lang, db, rep);
    if (rc) {
        cJSON_Delete(o);
        rm_refuse(r, rt, name, "not_found", "the report could not be built from the store", "无法从数据库生成报告");
    } else {
        cJSON_AddItemToObject(o, "report", report_json(rep));
        rm_send(r, rt, o);
    }
    if (rep)
        report_free(rep);
    free(rep);
    dtcdb_close(db);
}

void rm_read_request(remote_t *r, const route_t *rt, const cJSON *q, const char *user, const char *name)
{
    bool ro = !strncmp(name, "ro.", 3), uds = !strcmp(name, "uds_dtc.read");
    int bay = -1;
    bay_t *b = rm_check_bay(r, rt, name, q, user, ro, &bay);
    if (!b)
        return;
    if (ro) {
        ro_request(r, rt, q, user, name, bay);
        return;
    }
    uint32_t tx = 0, rx = 0;
    if (uds) {
        const cJSON *mv = cJSON_GetObjectItemCaseSensitive(q, "module");
        if (!cJSON_IsString(mv) || strlen(mv->valuestring) > 20 || !parse_module(mv->valuestring, &tx, &rx)) {
            rm_refuse(r, rt, name, "invalid",
                      "'module' must be the module's request id in hex (7E0, 18DA10F1, or TX:RX as in obdgw uds-scan)",
                      "'module' 须为模块请求 ID 的十六进制（7E0、18DA10F1，或 obdgw uds-scan 中的 TX:RX）");
            return;
        }
    }
    int si = rm_slot_new(r), rfd = -1;
    rjob_t *j = si >= 0 ? rm_job_new(uds ? RJ_UDS : RJ_SCAN, &rfd) : NULL;
    if (!j) {
        rm_refuse(r, rt, name, "busy", "too many running jobs on the gateway", "网关上运行的任务过多");
        return;
    }
    j->bay = bay;
    j->lang = req_lang(r, q);
    j->uds_tx = tx;
    j->uds_rx = rx;
    snprintf(j->what, sizeof j->what, "%s", name);
    slot_t *s = &r->slots[si];
    snprintf(s->stream_id, sizeof s->stream_id, "%s-read-%d-%lld-%llu", rm_site(r), bay, (long long)wall_ms(),
             (unsigned long long)++r->next_stream);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "bay", bay);
    cJSON_AddStringToObject(d, "request", name);
    cJSON_AddStringToObject(d, "read_id", s->stream_id);
    if (uds) {
        char m[24];
        snprintf(m, sizeof m, "%X:%X", (unsigned)tx, (unsigned)rx);
        cJSON_AddStringToObject(d, "module", m);
    }
    /* Fail-closed: no audit entry, no read. */
    if (rm_audit(r, "remote_read", user, d, NULL, 0)) {
        close(rfd);
        rm_job_free(j);
        s->stream_id[0] = 0;
        rm_refuse(r, rt, name, "audit_failed", "the gateway cannot write its audit log (store full or read-only): refused",
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
        s->stream_id[0] = 0;
        rm_refuse(r, rt, name, "busy", "the bay is busy (scanning or another job)", "工位正忙（正在扫描或执行其他任务）");
        return;
    }
    s->kind = SL_MQ_DTC;
    s->job = j;
    s->rfd = rfd;
    s->bay = bay;
    s->route = *rt;
    s->started_ms = s->last_seen_ms = mono_ms();
    snprintf(s->requester, sizeof s->requester, "%s", user);
    snprintf(s->req_name, sizeof s->req_name, "%s", name);
    rm_ep_add(r, rfd, EV_REMOTE0 + 2u * (unsigned)si);
    dlog(LOG_LVL_INFO, "remote: %s on bay %d for %s (%s)", name, bay, user, s->stream_id);
}
