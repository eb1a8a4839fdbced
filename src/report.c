/*
 * report.c — the report model: building it, completing it (QC verdict,
 * statistics, recommended next steps), its canonical JSON, and the block
 * document both the HTML and the PDF renderer draw from, so the two always
 * say the same thing.
 *
 * Nothing here touches the store (see report_load.c) or writes files.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "obdgw/pid.h"
#include "obdgw/report.h"
#include "obdgw/scan_text.h"
#include "report_priv.h"

/* ---- names ---------------------------------------------------------------- */

const char *report_kind_key(report_kind_t k)
{
    return k == REPORT_QC ? "qc" : "diagnostic";
}

int report_kind_parse(const char *s)
{
    if (!s)
        return -1;
    if (!strcmp(s, "diagnostic") || !strcmp(s, "diag"))
        return REPORT_DIAGNOSTIC;
    if (!strcmp(s, "qc"))
        return REPORT_QC;
    return -1;
}

static const struct {
    const char *key, *en, *zh;
} stage_names[STORE_STAGE_COUNT] = {
    [STORE_STAGE_RECEPTION] = { "pre", "Reception (pre-repair)", "接车（维修前）" },
    [STORE_STAGE_DIAGNOSTIC] = { "diag", "Diagnosis", "故障诊断" },
    [STORE_STAGE_SELFCHECK] = { "self", "Technician self-check", "技师自检" },
    [STORE_STAGE_POST] = { "post", "Post-repair", "维修后" },
    [STORE_STAGE_QC] = { "qc", "Final inspection (QC)", "质检（总检）" },
    [STORE_STAGE_ADHOC] = { "adhoc", "Ad-hoc scan", "临时扫描" },
};

const char *report_stage_key(store_stage_t s)
{
    return (unsigned)s < STORE_STAGE_COUNT ? stage_names[s].key : "adhoc";
}

const char *report_stage_name(store_stage_t s, obd_lang_t lang)
{
    if ((unsigned)s >= STORE_STAGE_COUNT)
        s = STORE_STAGE_ADHOC;
    return obd_tr(lang, stage_names[s].en, stage_names[s].zh);
}

const char *report_finding_state_key(store_finding_state_t s)
{
    switch (s) {
    case STORE_FINDING_APPROVED:
        return "approved";
    case STORE_FINDING_DECLINED:
        return "declined";
    case STORE_FINDING_PROPOSED:
        break;
    }
    return "proposed";
}

const char *report_finding_state_name(store_finding_state_t s, obd_lang_t lang)
{
    switch (s) {
    case STORE_FINDING_APPROVED:
        return obd_tr(lang, "approved by the customer", "客户已同意");
    case STORE_FINDING_DECLINED:
        return obd_tr(lang, "declined by the customer", "客户已拒绝");
    case STORE_FINDING_PROPOSED:
        break;
    }
    return obd_tr(lang, "awaiting the customer's consent", "待客户确认");
}

/* ---- labels --------------------------------------------------------------- */

static const struct {
    const char *key, *en, *zh;
} labels[] = {
    { "title_diagnostic", "Vehicle diagnostic report", "车辆诊断报告" },
    { "title_qc", "Final inspection (QC) report", "质检（总检）报告" },
    { "generated", "Generated", "生成时间" },
    { "work_order", "Work order", "维修工单" },
    { "ro", "RO number", "工单号" },
    { "vehicle", "Vehicle", "车辆信息" },
    { "vin", "VIN", "车架号（VIN）" },
    { "make", "Make", "品牌" },
    { "model_year", "Model year", "年款" },
    { "plate", "Plate", "车牌号" },
    { "mileage", "Mileage", "行驶里程" },
    { "mileage_in", "Mileage in", "进厂里程" },
    { "complaint", "Customer complaint", "客户描述" },
    { "complaint_codes", "Complaint tied to", "报修关联故障" },
    { "technician", "Technician", "维修技师" },
    { "bay", "Bay", "工位" },
    { "status", "Status", "状态" },
    { "ro_open", "open", "进行中" },
    { "ro_closed", "closed", "已结算" },
    { "opened", "Opened", "开单时间" },
    { "date", "Date", "日期" },
    { "stage", "Stage", "阶段" },
    { "no_wo", "This scan is not assigned to a work order", "本次扫描未关联维修工单" },
    { "scans", "Scans", "扫描记录" },
    { "scan", "Scan", "扫描" },
    { "adapter", "Adapter", "诊断接头" },
    { "protocol", "Protocol", "通信协议" },
    { "battery", "Battery", "蓄电池电压" },
    { "mil", "MIL", "故障灯" },
    { "on", "on", "点亮" },
    { "off", "off", "熄灭" },
    { "ecus", "Control units (ECUs)", "控制单元" },
    { "ecu", "ECU", "控制单元" },
    { "name", "Name", "名称" },
    { "answered", "Answered", "响应" },
    { "yes", "yes", "是" },
    { "no", "no", "否" },
    { "no_answer", "no answer", "无响应" },
    { "dtcs", "Diagnostic trouble codes (DTCs)", "故障码" },
    { "dtc", "DTC", "故障码" },
    { "description", "Description", "描述" },
    { "system", "System", "系统" },
    { "no_dtcs", "No DTCs stored, pending or permanent.", "无已确认、待定或永久故障码。" },
    { "freeze_frame", "Freeze frame", "冻结帧" },
    { "parameter", "Parameter", "参数" },
    { "value", "Value", "数值" },
    { "readiness", "Readiness monitors", "就绪状态" },
    { "monitor", "Monitor", "监测项目" },
    { "complete", "complete", "已完成" },
    { "incomplete", "not complete", "未完成" },
    { "since_clear", "Since codes were last cleared", "上次清码以来" },
    { "warmups", "Warm-ups", "暖机次数" },
    { "distance", "Distance", "行驶里程" },
    { "minutes", "Engine run time", "发动机运行时间" },
    { "km_with_mil", "Distance with MIL on", "故障灯点亮后行驶里程" },
    { "mode06", "On-board monitor tests (Mode 06)", "车载监测测试结果（模式 06）" },
    { "test", "Test", "测试项" },
    { "min", "Min", "最小值" },
    { "max", "Max", "最大值" },
    { "mean", "Mean", "平均值" },
    { "limits", "Limits", "限值" },
    { "unit", "Unit", "单位" },
    { "findings", "Additional items (beyond the complaint)", "增项（报修内容以外的故障）" },
    { "uds_scan", "UDS scan", "UDS 扫描" },
    { "full_pre", "Before the repair", "维修前" },
    { "full_post", "After the repair", "维修后" },
    { "consent", "Customer consent", "客户确认" },
    { "decided_by", "Recorded by", "记录人" },
    { "note", "Note", "备注" },
    { "live_data", "Live data", "实时数据（数据流）" },
    { "recording", "Recording", "数据记录" },
    { "samples", "Samples", "采样数" },
    { "duration", "Duration", "时长" },
    { "rec_interrupted", "interrupted (ended at its last sample)", "中断（按最后一个采样结束）" },
    { "rec_recording", "still recording", "仍在记录中" },
    { "oem_signal", "Module value (OEM signal)", "控制单元数据（厂家信号）" },
    { "time_s", "time (s)", "时间 (s)" },
    { "next_steps", "Recommended next steps", "建议后续措施" },
    { "qc_verdict", "QC verdict", "质检结论" },
    { "reasons", "Reasons", "判定依据" },
    { "comparison", "Before and after the repair", "维修前后对比" },
    { "pre", "Before repair", "维修前" },
    { "post", "After repair", "维修后" },
    { "result", "Result", "结果" },
    { "kind", "Type", "类型" },
    { "present", "present", "有" },
    { "absent", "-", "无" },
    { "scans_compared", "Scans compared", "对比的扫描" },
    { "signoff", "Sign-off", "签字确认" },
    { "inspector", "QC inspector", "质检员" },
    { "signed_at", "Signed", "签字时间" },
    { "sha256", "Document SHA-256", "文件 SHA-256" },
    { "sha_pending", "recorded by the evidence store at sign-off", "签字时由系统存证记录" },
    { "verified", "stored documents verified", "存档文件校验一致" },
    { "not_verified", "stored documents do NOT match", "存档文件校验不一致" },
    { "signature", "Signature", "签名" },
    { "not_signed", "Not signed yet", "尚未签字" },
    { "silent_ecus", "ECUs that did not answer", "未响应的控制单元" },
    { "summary", "Summary", "概要" },
    { "recently_cleared", "Codes were cleared recently", "近期清除过故障码" },
    { "dtc_read_failed", "could not be read", "无法读取" },
    { "not_supported", "not supported", "不支持" },
    { "footer",
      "Generated by obdgw from the vehicle's own OBD data. DTC descriptions are generic SAE J2012 meanings; the "
      "repair decision rests with the technician.",
      "本报告由 obdgw 根据车辆自身的 OBD 数据生成。故障码描述为 SAE J2012 通用含义，维修方案以技师诊断为准。" },
    { "no_qc", "No post-repair scan yet: no QC verdict.", "尚无维修后扫描，无法给出质检结论。" },
    { "all_tests_ok", "All tests within their limits.", "全部测试均在限值范围内。" },
    { "out_of_limits", "outside limits", "超出限值" },
    { "no_findings", "No additional items.", "无增项。" },
    { "confirmed", "confirmed", "已确认" },
    { "col_confirmed", "Confirmed", "已确认" },
    { "col_pending", "Pending", "待定" },
    { "col_permanent", "Permanent", "永久" },
    { "pending", "pending", "待定" },
    { "permanent", "permanent", "永久" },
    { "modules", "Modules (UDS full-system scan)", "控制单元（UDS 全车扫描）" },
    { "module", "Module", "控制单元" },
    { "module_state", "State", "状态" },
    { "ident", "Part / software", "零件号 / 软件版本" },
    { "uds_no_dtcs", "no DTCs", "无故障码" },
    { "uds_compare", "Modules before and after the repair (UDS)", "维修前后控制单元对比（UDS）" },
    { "uds_silent_before", "answered an earlier scan, silent in this one", "之前的扫描有应答，本次无应答" },
    { "uds_other_silent", "other addresses probed without an answer", "个其他地址已探测，无应答" },
    { "uds_not_read", "codes NOT read", "未读取故障码" },
    { "status_byte", "Status", "状态字节" },
    { "uds_records", "Freeze data and extended data kept with the DTCs (UDS)", "故障码冻结数据与扩展数据（UDS）" },
    { "record", "Record", "记录" },
    { "value_name", "Data item", "数据项" },
    { "reading", "Reading", "读数" },
    { "rec_none", "none", "无" },
    { "snapshot", "snapshot", "快照" },
    { "extended_data", "extended data", "扩展数据" },
    { "raw_bytes", "bytes as sent", "原始字节" },
    { "cut_of", "cut to fit; the module sent bytes:", "已截断；控制单元发送字节数：" },
    { "test_failed", "failing now", "当前失败" },
    { "not_failed_since_clear", "not failed since the last clear", "清除后未再出现" },
};

const char *report_label(const report_t *r, const char *key)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i].key, key))
            return obd_tr(r->lang, labels[i].en, labels[i].zh);
    return key;
}

#define L(key) report_label(r, key)
/* A ternary of two literals, so printf formats stay checkable. */
#define TR(en, zh) (r->lang == OBD_LANG_ZH ? (zh) : (en))

void report_time_text(int64_t ms, char *out, size_t cap)
{
    if (ms <= 0) {
        snprintf(out, cap, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M", &tm);
}

static void iso_time(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- building ------------------------------------------------------------- */

void report_init(report_t *r, report_kind_t kind, obd_lang_t lang)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->lang = lang;
    r->primary = -1;
    r->pre_index = r->post_index = -1;
    r->uds_pre = r->uds_post = -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    r->generated_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void report_free(report_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nscans; i++)
        free(r->scans[i].scan);
    free(r->scans);
    free(r->silent);
    free(r->findings);
    for (size_t i = 0; i < r->nrecs; i++) {
        report_recording_t *rc = &r->recs[i];
        for (size_t k = 0; k < rc->nseries; k++) {
            free(rc->series[k].t);
            free(rc->series[k].v);
        }
        free(rc->series);
        free(rc->stats);
        free(rc->sigs);
    }
    free(r->recs);
    free(r->qc);
    for (size_t i = 0; i < r->nuds; i++)
        free(r->uds[i].scan);
    free(r->uds);
    memset(r, 0, sizeof *r);
    r->primary = r->pre_index = r->post_index = -1;
    r->uds_pre = r->uds_post = -1;
}

void report_set_shop(report_t *r, const char *shop, const char *header)
{
    snprintf(r->shop, sizeof r->shop, "%s", shop ? shop : "");
    snprintf(r->header, sizeof r->header, "%s", header ? header : "");
}

void report_set_wo(report_t *r, const store_wo_t *wo)
{
    if (!wo) {
        r->has_wo = false;
        return;
    }
    r->has_wo = true;
    r->wo = *wo;
}

int report_add_scan(report_t *r, const store_scan_meta_t *meta, const obd_scan_t *scan)
{
    if (!meta || !scan)
        return OBD_EINVAL;
    report_scan_t *a = realloc(r->scans, (r->nscans + 1) * sizeof *a);
    if (!a)
        return -ENOMEM;
    r->scans = a;
    obd_scan_t *copy = malloc(sizeof *copy);
    if (!copy)
        return -ENOMEM;
    *copy = *scan;
    /* keep time order (stable for equal times) */
    size_t at = r->nscans;
    while (at > 0 && r->scans[at - 1].meta.started_ms > meta->started_ms)
        at--;
    memmove(&r->scans[at + 1], &r->scans[at], (r->nscans - at) * sizeof *a);
    r->scans[at].meta = *meta;
    r->scans[at].scan = copy;
    r->nscans++;
    return OBD_OK;
}

int report_add_uds_scan(report_t *r, const store_uds_meta_t *meta, const uds_scan_t *scan)
{
    if (!meta || !scan)
        return OBD_EINVAL;
    report_uds_scan_t *a = realloc(r->uds, (r->nuds + 1) * sizeof *a);
    if (!a)
        return -ENOMEM;
    r->uds = a;
    uds_scan_t *copy = malloc(sizeof *copy);
    if (!copy)
        return -ENOMEM;
    *copy = *scan;
    size_t at = r->nuds;
    while (at > 0 && r->uds[at - 1].meta.started_ms > meta->started_ms)
        at--;
    memmove(&r->uds[at + 1], &r->uds[at], (r->nuds - at) * sizeof *a);
    r->uds[at].meta = *meta;
    r->uds[at].scan = copy;
    r->nuds++;
    return OBD_OK;
}

int report_add_silent_ecu(report_t *r, int64_t scan_id, uint32_t addr, const char *name)
{
    report_silent_ecu_t *a = realloc(r->silent, (r->nsilent + 1) * sizeof *a);
    if (!a)
        return -ENOMEM;
    r->silent = a;
    report_silent_ecu_t *e = &a[r->nsilent++];
    memset(e, 0, sizeof *e);
    e->scan_id = scan_id;
    e->addr = addr;
    snprintf(e->name, sizeof e->name, "%s", name ? name : "");
    return OBD_OK;
}

int report_add_finding(report_t *r, const store_finding_t *f)
{
    report_finding_t *a = realloc(r->findings, (r->nfindings + 1) * sizeof *a);
    if (!a)
        return -ENOMEM;
    r->findings = a;
    a[r->nfindings].f = *f;
    a[r->nfindings].additional = true;
    r->nfindings++;
    return OBD_OK;
}

int report_rec_add_signal_stat(report_t *r, size_t rec, const store_rec_sigstat_t *st)
{
    if (!r || !st || rec >= r->nrecs)
        return -EINVAL;
    report_recording_t *rc = &r->recs[rec];
    store_rec_sigstat_t *a = realloc(rc->sigs, (rc->nsigs + 1) * sizeof *a);
    if (!a)
        return -ENOMEM;
    rc->sigs = a;
    rc->sigs[rc->nsigs++] = *st;
    return 0;
}

int report_add_recording(report_t *r, const store_recording_t *rec)
{
    report_recording_t *a = realloc(r->recs, (r->nrecs + 1) * sizeof *a);
    if (!a)
        return -ENOMEM;
    r->recs = a;
    report_recording_t *rc = &a[r->nrecs];
    memset(rc, 0, sizeof *rc);
    rc->rec = *rec;
    rc->t0_ms = rec->started_ms;
    return (int)r->nrecs++;
}

int report_rec_add_stat(report_t *r, size_t rec, const store_rec_stat_t *s)
{
    if (rec >= r->nrecs)
        return OBD_EINVAL;
    report_recording_t *rc = &r->recs[rec];
    store_rec_stat_t *a = realloc(rc->stats, (rc->nstats + 1) * sizeof *a);
    if (!a)
        return -ENOMEM;
    rc->stats = a;
    a[rc->nstats++] = *s;
    return OBD_OK;
}

#define REPORT_MAX_SERIES 64

static report_series_t *series_for(report_t *r, report_recording_t *rc, uint32_t ecu, uint8_t pid, uint8_t field,
                                   const obd_value_t *v)
{
    for (size_t i = 0; i < rc->nseries; i++) {
        report_series_t *s = &rc->series[i];
        if (s->ecu == ecu && s->pid == pid && s->field == field)
            return s;
    }
    if (rc->nseries >= REPORT_MAX_SERIES)
        return NULL;
    report_series_t *a = realloc(rc->series, (rc->nseries + 1) * sizeof *a);
    if (!a)
        return NULL;
    rc->series = a;
    report_series_t *s = &a[rc->nseries++];
    memset(s, 0, sizeof *s);
    s->ecu = ecu;
    s->pid = pid;
    s->field = field;
    const obd_pid_t *pt = obd_pid_lookup(pid);
    if (pt && pt->nfields > 1)
        snprintf(s->key, sizeof s->key, "%s.%s", pt->key, v->field->key);
    else
        snprintf(s->key, sizeof s->key, "%s", pt ? pt->key : "pid");
    obd_value_label(pid, v, r->lang, s->label, sizeof s->label);
    snprintf(s->unit, sizeof s->unit, "%s", v->field->unit ? v->field->unit : "");
    return s;
}

static int series_push(report_series_t *s, double t, double v)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 256;
        double *nt = realloc(s->t, nc * sizeof *nt);
        if (!nt)
            return -ENOMEM;
        s->t = nt;
        double *nv = realloc(s->v, nc * sizeof *nv);
        if (!nv)
            return -ENOMEM;
        s->v = nv;
        s->cap = nc;
    }
    s->t[s->n] = t;
    s->v[s->n] = v;
    s->n++;
    return OBD_OK;
}

int report_rec_add_samples(report_t *r, size_t rec, const obd_live_sample_t *smp, size_t n)
{
    if (rec >= r->nrecs)
        return OBD_EINVAL;
    report_recording_t *rc = &r->recs[rec];
    for (size_t i = 0; i < n; i++) {
        const obd_live_sample_t *s = &smp[i];
        if (rc->t0_ms <= 0)
            rc->t0_ms = (int64_t)s->t_ms;
        obd_value_t vals[OBD_PID_MAX_FIELDS];
        int nv = obd_pid_decode(s->pid, s->data, s->len, vals, OBD_PID_MAX_FIELDS);
        for (int k = 0; k < nv; k++) {
            const obd_value_t *v = &vals[k];
            if (!v->available || !v->field ||
                (v->field->kind != OBD_FK_UNSIGNED && v->field->kind != OBD_FK_SIGNED))
                continue;
            report_series_t *se = series_for(r, rc, s->addr, s->pid, (uint8_t)k, v);
            if (!se)
                continue;
            int rc2 = series_push(se, ((double)(int64_t)s->t_ms - (double)rc->t0_ms) / 1000.0, v->value);
            if (rc2 < 0)
                return rc2;
        }
    }
    return OBD_OK;
}

void report_set_signoff(report_t *r, const char *inspector, int64_t signed_ms, const char *sha256, bool verified)
{
    report_signoff_t *s = &r->signoff;
    memset(s, 0, sizeof *s);
    s->present = true;
    snprintf(s->inspector, sizeof s->inspector, "%s", inspector ? inspector : "");
    s->signed_ms = signed_ms;
    snprintf(s->sha256, sizeof s->sha256, "%s", sha256 ? sha256 : "");
    s->verified = verified;
}

const report_scan_t *report_primary(const report_t *r)
{
    if (r->nscans == 0)
        return NULL;
    if (r->primary >= 0 && (size_t)r->primary < r->nscans)
        return &r->scans[r->primary];
    return &r->scans[r->nscans - 1];
}

/* ---- finishing: QC, statistics, next steps --------------------------------- */

static bool stage_is_pre(store_stage_t s)
{
    return s == STORE_STAGE_RECEPTION || s == STORE_STAGE_DIAGNOSTIC;
}

static bool stage_is_post(store_stage_t s)
{
    return s == STORE_STAGE_SELFCHECK || s == STORE_STAGE_POST || s == STORE_STAGE_QC;
}

static void series_stats(report_recording_t *rc)
{
    for (size_t i = 0; i < rc->nseries; i++) {
        report_series_t *s = &rc->series[i];
        bool from_store = false;
        for (size_t k = 0; k < rc->nstats; k++) {
            const store_rec_stat_t *st = &rc->stats[k];
            if (st->ecu == s->ecu && st->pid == s->pid && st->field == s->field) {
                s->stat_n = st->n;
                s->min = st->min;
                s->max = st->max;
                s->mean = st->mean;
                from_store = true;
                break;
            }
        }
        if (from_store || s->n == 0)
            continue;
        double mn = s->v[0], mx = s->v[0], sum = 0;
        for (size_t k = 0; k < s->n; k++) {
            if (s->v[k] < mn)
                mn = s->v[k];
            if (s->v[k] > mx)
                mx = s->v[k];
            sum += s->v[k];
        }
        s->stat_n = (int64_t)s->n;
        s->min = mn;
        s->max = mx;
        s->mean = sum / (double)s->n;
    }
}

report_step_t *report__add_step(report_t *r, const char *key, obd_dtc_t code, bool with_code)
{
    if (r->nsteps >= REPORT_MAX_STEPS)
        return NULL;
    report_step_t *s = &r->steps[r->nsteps];
    memset(s, 0, sizeof *s);
    snprintf(s->key, sizeof s->key, "%s", key);
    if (with_code) {
        /* one step per code and kind of advice */
        char t[OBD_DTC_TEXT_LEN];
        obd_dtc_format(code, t);
        for (size_t i = 0; i < r->nsteps; i++)
            if (!strcmp(r->steps[i].key, key) && !strcmp(r->steps[i].code, t))
                return NULL;
        memcpy(s->code, t, sizeof t);
    }
    r->nsteps++;
    return s;
}

const char *report__scan_wmi(const obd_scan_t *s, char wmi[4])
{
    if (strlen(s->vin) < 3)
        return NULL;
    memcpy(wmi, s->vin, 3);
    wmi[3] = 0;
    return wmi;
}

void report__dtc_desc(const report_t *r, obd_dtc_t code, const char *wmi, char *desc, size_t dcap, char *sys,
                      size_t scap)
{
    desc[0] = 0;
    if (sys)
        sys[0] = 0;
    dtcdb_entry_t e;
    if (r->db && dtcdb_lookup(r->db, code, wmi, r->lang, &e) == OBD_OK) {
        snprintf(desc, dcap, "%s", e.desc);
        if (sys && e.system[0])
            snprintf(sys, scap, "%s", dtcdb_system_name(e.system, r->lang));
    }
}

/* What a UDS DTC status byte means, in a few words. */
static const char *uds_status_words(const report_t *r, uint8_t st)
{
    if (st & UDS_ST_CONFIRMED)
        return L("confirmed");
    if (st & UDS_ST_PENDING)
        return L("pending");
    if (st & (UDS_ST_TEST_FAILED | UDS_ST_TEST_FAILED_THIS_OP_CYCLE))
        return L("test_failed");
    return L("not_failed_since_clear");
}

/* Next steps from the latest UDS scan: modules that need OEM authorisation
 * or could not be read, and confirmed module DTCs. */
static void uds_steps(report_t *r)
{
    if (!r->nuds)
        return;
    const uds_scan_t *u = r->uds[r->nuds - 1].scan;
    report_step_t *st;
    char mod[64], code[UDS_DTC_TEXT_LEN];
    for (size_t i = 0; i < u->nmodules; i++) {
        const uds_module_t *m = &u->modules[i];
        if (!m->answered)
            continue;
        qc_module_text(m->tx_id, m->rx_id, r->lang, mod, sizeof mod);
        if (m->state == UDS_MOD_NEEDS_AUTH && (st = report__add_step(r, "uds_needs_auth", 0, false)))
            snprintf(st->text, sizeof st->text,
                     TR("Read %s with the OEM's diagnostic tool (it needs OEM authorisation): its codes were NOT read",
                        "请用主机厂诊断仪读取%s（需要主机厂授权）：其故障码未能读取"),
                     mod);
        else if ((m->state == UDS_MOD_DTC_NO_ANSWER || m->state == UDS_MOD_ERROR) &&
                 (st = report__add_step(r, "uds_unread", 0, false)))
            snprintf(st->text, sizeof st->text,
                     TR("Read the DTCs of %s again: it answered, but its DTCs could not be read",
                        "请重新读取%s 的故障码：该控制单元有应答，但故障码未能读取"),
                     mod);
        for (size_t k = 0; m->state == UDS_MOD_OK && k < m->ndtcs; k++) {
            if (!(m->dtcs[k].status & UDS_ST_CONFIRMED) || !(st = report__add_step(r, "uds_dtc", 0, false)))
                continue;
            uds_dtc_format(m->dtcs[k].code, code);
            snprintf(st->text, sizeof st->text,
                     TR("Diagnose %s in %s (confirmed module DTC)", "诊断%s 的已确认故障码 %s"),
                     r->lang == OBD_LANG_ZH ? mod : code, r->lang == OBD_LANG_ZH ? code : mod);
        }
    }
}

static void make_steps(report_t *r)
{
    const report_scan_t *ps = report_primary(r);
    const obd_scan_t *s = ps ? ps->scan : NULL;
    char t[OBD_DTC_TEXT_LEN], wmi[4], desc[DTCDB_DESC_MAX], sys[64], ecu[48];
    const char *w = s ? report__scan_wmi(s, wmi) : NULL;
    report_step_t *st;

    if (r->kind == REPORT_QC && r->qc && r->qc->verdict == QC_FAIL && (st = report__add_step(r, "qc_failed", 0, false)))
        snprintf(st->text, sizeof st->text, "%s",
                 TR("Return the vehicle to the technician: the final inspection failed (see the reasons above)",
                    "质检不合格：车辆退回维修技师处理（见上方判定依据）"));
    if (s) {
        for (int kind = 0; kind < 3; kind++) {
            for (size_t i = 0; i < s->necus; i++) {
                const obd_ecu_scan_t *e = &s->ecus[i];
                const obd_dtc_set_t *set = kind == 0 ? &e->stored : kind == 1 ? &e->pending : &e->permanent;
                for (size_t k = 0; k < set->count && k < OBD_MAX_DTCS; k++) {
                    obd_dtc_t c = set->dtcs[k];
                    obd_dtc_format(c, t);
                    report__dtc_desc(r, c, w, desc, sizeof desc, sys, sizeof sys);
                    if (kind == 0 && (st = report__add_step(r, "diagnose_dtc", c, true))) {
                        if (sys[0])
                            snprintf(st->text, sizeof st->text, TR("Diagnose %s (%s): %s", "诊断并排除故障码 %s（%s）：%s"),
                                     t, sys, desc);
                        else
                            snprintf(st->text, sizeof st->text, TR("Diagnose %s%s%s", "诊断并排除故障码 %s%s%s"), t,
                                     desc[0] ? ": " : "", desc);
                    } else if (kind == 1 && (st = report__add_step(r, "pending_dtc", c, true))) {
                        snprintf(st->text, sizeof st->text,
                                 TR("Confirm pending code %s with a test drive%s%s",
                                    "试车确认待定故障码 %s%s%s"),
                                 t, desc[0] ? TR(": ", "：") : "", desc);
                    } else if (kind == 2 && (st = report__add_step(r, "drive_cycle", c, true))) {
                        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
                        snprintf(st->text, sizeof st->text,
                                 TR("Drive cycle needed: permanent code %s in %s clears itself only after its "
                                    "monitor has run and passed",
                                    "需完成驾驶循环：%s的永久故障码 %s 须待监测重新运行并通过后才会自行清除"),
                                 r->lang == OBD_LANG_ZH ? ecu : t, r->lang == OBD_LANG_ZH ? t : ecu);
                    }
                }
            }
        }
        /* readiness */
        char names[320] = "";
        for (size_t i = 0; i < s->necus; i++) {
            const obd_ecu_scan_t *e = &s->ecus[i];
            if (!e->has_readiness)
                continue;
            for (int m = 0; m < OBD_MON_COUNT; m++) {
                if (!e->readiness.mon[m].supported || e->readiness.mon[m].complete)
                    continue;
                const char *nm = obd_monitor_name((obd_monitor_t)m, r->lang);
                if (strstr(names, nm))
                    continue;
                size_t l = strlen(names);
                snprintf(names + l, sizeof names - l, "%s%s", l ? TR(", ", "、") : "", nm);
            }
        }
        if (names[0] && (st = report__add_step(r, "monitors", 0, false)))
            snprintf(st->text, sizeof st->text,
                     TR("Complete a drive cycle so these readiness monitors run: %s",
                        "完成驾驶循环，使以下就绪监测运行完成：%s"),
                     names);
        /* Mode 06 */
        int nm06 = 0;
        for (size_t i = 0; i < s->necus; i++) {
            const obd_ecu_scan_t *e = &s->ecus[i];
            for (size_t k = 0; k < e->nm06 && k < OBD_SCAN_MAX_M06; k++) {
                const obd_test_result_t *tr = &e->m06[k];
                if (tr->passed || nm06 >= 6)
                    continue;
                nm06++;
                const char *mn = obd_mid_name(tr->mid, r->lang);
                if ((st = report__add_step(r, "mode06", 0, false)))
                    snprintf(st->text, sizeof st->text,
                             TR("Check %s (Mode 06 MID $%02X, test $%02X): the result is outside its limits",
                                "检查%s（模式 06 MID $%02X，测试 $%02X）：结果超出限值"),
                             mn ? mn : TR("the monitor", "该监测"), tr->mid, tr->tid);
            }
        }
        if (s->recently_cleared && (st = report__add_step(r, "recently_cleared", 0, false)))
            snprintf(st->text, sizeof st->text,
                     TR("Codes were cleared recently (%s): freeze frames and monitor results may be gone, so "
                        "road-test before trusting a clean scan",
                        "近期清除过故障码（%s）：冻结帧和监测结果可能已丢失，须试车后再确认无故障"),
                     s->cleared_why[0] ? obd_scan_cleared_text(s, r->lang, (char[128]){ 0 }, 128) : "-");
    }
    /* ECUs that did not answer: silent entries of the shown scan, and ECUs
     * that answered an earlier scan of the RO but not this one */
    uint32_t silent[2 * OBD_SCAN_MAX_ECUS];
    size_t nsil = 0;
    for (size_t i = 0; s && i < s->necus; i++)
        if (!qc_ecu_answered(&s->ecus[i]) && nsil < 2 * OBD_SCAN_MAX_ECUS)
            silent[nsil++] = s->ecus[i].addr;
    for (size_t i = 0; i < r->nsilent; i++) {
        if (ps && r->silent[i].scan_id && r->silent[i].scan_id != ps->meta.id)
            continue;
        bool dup = false;
        for (size_t k = 0; k < nsil; k++)
            dup |= silent[k] == r->silent[i].addr;
        if (!dup && nsil < 2 * OBD_SCAN_MAX_ECUS)
            silent[nsil++] = r->silent[i].addr;
    }
    if (s)
        report__dtc_read_steps(r, s);
    for (size_t i = 0; i < nsil; i++) {
        if ((st = report__add_step(r, "ecu_no_answer", 0, false))) {
            qc_ecu_text(silent[i], r->lang, ecu, sizeof ecu);
            snprintf(st->text, sizeof st->text,
                     TR("Check %s: it did not answer this scan (fuse, power, ground, bus wiring)",
                        "检查%s：本次扫描无响应（保险丝、供电、搭铁、总线线路）"),
                     ecu);
        }
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        const store_finding_t *f = &r->findings[i].f;
        obd_dtc_t c = 0;
        if (obd_dtc_parse(f->code, &c) != OBD_OK)
            continue;
        /* a UDS finding names its module: "C0035 (ABS / brakes 713/77D)" */
        char item[96], mod[64];
        if (!strcmp(f->source, "uds"))
            snprintf(item, sizeof item, "%s (%s)", f->code,
                     qc_module_text(f->ecu, f->rx_id, r->lang, mod, sizeof mod));
        else
            snprintf(item, sizeof item, "%s", f->code);
        if (f->state == STORE_FINDING_PROPOSED && (st = report__add_step(r, "consent", c, true)))
            snprintf(st->text, sizeof st->text,
                     TR("Get the customer's consent for additional item %s before working on it",
                        "增项 %s 须经客户确认同意后方可施工"),
                     item);
        else if (f->state == STORE_FINDING_DECLINED && (st = report__add_step(r, "declined", c, true)))
            snprintf(st->text, sizeof st->text,
                     TR("The customer declined %s: explain it at delivery and recommend it for a later visit",
                        "客户已拒绝增项 %s：交车时向客户说明，并建议下次进厂处理"),
                     item);
    }
    uds_steps(r);
    if (r->nsteps == 0 && (st = report__add_step(r, "none", 0, false)))
        snprintf(st->text, sizeof st->text, "%s", TR("No further action needed", "无需进一步处理"));
}

int report_finish(report_t *r, dtcdb_t *db)
{
    r->db = db;
    r->nsteps = 0;
    if (r->kind == REPORT_QC) {
        r->pre_index = r->post_index = -1;
        for (size_t i = 0; i < r->nscans; i++) {
            if (stage_is_pre(r->scans[i].meta.stage))
                r->pre_index = (int)i;
            if (stage_is_post(r->scans[i].meta.stage))
                r->post_index = (int)i;
        }
        free(r->qc);
        r->qc = NULL;
        if (r->post_index >= 0) {
            r->qc = malloc(sizeof *r->qc);
            if (!r->qc)
                return -ENOMEM;
            const obd_scan_t *pre = r->pre_index >= 0 ? r->scans[r->pre_index].scan : NULL;
            int rc = qc_compare(pre, r->scans[r->post_index].scan, db, r->qc);
            if (rc < 0)
                return rc;
            /* UDS: the latest pre-repair (stage pre) and post-repair (post, qc) UDS scans */
            r->uds_pre = r->uds_post = -1;
            for (size_t i = 0; i < r->nuds; i++) {
                store_stage_t sg = r->uds[i].meta.stage;
                if (sg == STORE_STAGE_RECEPTION)
                    r->uds_pre = (int)i;
                if (sg == STORE_STAGE_POST || sg == STORE_STAGE_QC)
                    r->uds_post = (int)i;
            }
            rc = qc_add_uds(r->qc, r->uds_pre >= 0 ? r->uds[r->uds_pre].scan : NULL,
                            r->uds_post >= 0 ? r->uds[r->uds_post].scan : NULL);
            if (rc < 0)
                return rc;
            if (r->primary < 0)
                r->primary = r->post_index;
        }
    }
    for (size_t i = 0; i < r->nrecs; i++)
        series_stats(&r->recs[i]);
    make_steps(r);
    r->finished = true;
    return OBD_OK;
}

/* ---- chart helpers -------------------------------------------------------- */

size_t report_chart_points(const report_series_t *s, int columns, double *t, double *v, size_t cap)
{
    if (!s || s->n == 0 || cap == 0)
        return 0;
    if (columns < 1)
        columns = 1;
    if (s->n <= (size_t)columns * 2) {
        size_t n = s->n < cap ? s->n : cap;
        memcpy(t, s->t, n * sizeof *t);
        memcpy(v, s->v, n * sizeof *v);
        return n;
    }
    double t0 = s->t[0], t1 = s->t[0];
    for (size_t i = 0; i < s->n; i++) {
        if (s->t[i] < t0)
            t0 = s->t[i];
        if (s->t[i] > t1)
            t1 = s->t[i];
    }
    double span = t1 > t0 ? t1 - t0 : 1;
    size_t *imin = malloc((size_t)columns * sizeof *imin), *imax = malloc((size_t)columns * sizeof *imax);
    if (!imin || !imax) {
        free(imin);
        free(imax);
        return 0;
    }
    for (int c = 0; c < columns; c++)
        imin[c] = imax[c] = SIZE_MAX;
    for (size_t i = 0; i < s->n; i++) {
        int c = (int)((s->t[i] - t0) / span * columns);
        if (c >= columns)
            c = columns - 1;
        if (c < 0)
            c = 0;
        if (imin[c] == SIZE_MAX || s->v[i] < s->v[imin[c]])
            imin[c] = i;
        if (imax[c] == SIZE_MAX || s->v[i] > s->v[imax[c]])
            imax[c] = i;
    }
    size_t n = 0;
    for (int c = 0; c < columns && n < cap; c++) {
        if (imin[c] == SIZE_MAX)
            continue;
        size_t a = imin[c], b = imax[c];
        if (s->t[a] > s->t[b]) {
            size_t x = a;
            a = b;
            b = x;
        }
        t[n] = s->t[a];
        v[n] = s->v[a];
        n++;
        if (b != a && n < cap) {
            t[n] = s->t[b];
            v[n] = s->v[b];
            n++;
        }
    }
    free(imin);
    free(imax);
    return n;
}

double report_nice_step(double span, int ticks)
{
    if (!(span > 0) || ticks < 1)
        return 1;
    double raw = span / ticks;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * mag;
}

/* ---- JSON ----------------------------------------------------------------- */

#define JSON_CHART_COLUMNS 300

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    if (ms > 0) {
        char ts[40];
        iso_time(ms, ts, sizeof ts);
        cJSON_AddStringToObject(o, key, ts);
    } else {
        cJSON_AddNullToObject(o, key);
    }
}

static void add_num_or_null(cJSON *o, const char *key, double v, bool ok)
{
    if (ok)
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void vehicle_of(const report_t *r, char vin[18], double *km)
{
    const report_scan_t *ps = report_primary(r);
    vin[0] = 0;
    if (r->has_wo && r->wo.vin[0])
        snprintf(vin, 18, "%s", r->wo.vin);
    else if (ps && ps->meta.vin[0])
        snprintf(vin, 18, "%s", ps->meta.vin);
    else if (ps && ps->scan->vin[0])
        snprintf(vin, 18, "%s", ps->scan->vin);
    *km = -1;
    if (ps && ps->meta.mileage_km >= 0)
        *km = ps->meta.mileage_km;
    else if (r->has_wo && r->wo.mileage_in_km >= 0)
        *km = r->wo.mileage_in_km;
}

/* "uds_scans" (every UDS scan of the RO, counts) and "modules" (the latest
 * one in full: answered modules with state, identification and DTCs, and
 * the silent ids), or null. */
/* The latest UDS scan of the RO that holds freeze data or extended data
 * bytes, or NULL. A clear erases them, so after one this is the pre-clear
 * scan (the post-clear scan asked and got nothing). */
static const report_uds_scan_t *records_scan(const report_t *r)
{
    for (size_t i = r->nuds; i-- > 0;) {
        const uds_scan_t *u = r->uds[i].scan;
        for (size_t q = 0; q < u->nrecords && q < UDS_SCAN_MAX_RECORDS; q++)
            if (u->records[q].len)
                return &r->uds[i];
    }
    return NULL;
}

/* "uds_records": what records_scan() holds, one entry per record with its
 * module; null when no scan holds any. */
static void uds_records_json(const report_t *r, cJSON *j)
{
    const report_uds_scan_t *ls = records_scan(r);
    if (!ls) {
        cJSON_AddNullToObject(j, "uds_records");
        return;
    }
    cJSON *o = cJSON_AddObjectToObject(j, "uds_records");
    cJSON_AddNumberToObject(o, "uds_scan_id", (double)ls->meta.id);
    cJSON_AddStringToObject(o, "stage", report_stage_key(ls->meta.stage));
    add_time(o, "started", ls->meta.started_ms);
    cJSON *a = cJSON_AddArrayToObject(o, "records");
    for (size_t i = 0; i < ls->scan->nmodules; i++) {
        const uds_module_t *m = &ls->scan->modules[i];
        for (size_t k = 0; k < m->nsnap; k++) {
            const uds_scan_snap_t *rec = uds_scan_record(ls->scan, m, k);
            cJSON *x = rec ? uds_record_json(rec, r->lang) : NULL;
            if (!x)
                continue;
            char id[16], lab[64];
            snprintf(id, sizeof id, "%X", (unsigned)m->tx_id);
            cJSON_AddStringToObject(x, "request_id", id);
            snprintf(id, sizeof id, "%X", (unsigned)m->rx_id);
            cJSON_AddStringToObject(x, "response_id", id);
            cJSON_AddStringToObject(x, "label", qc_module_text(m->tx_id, m->rx_id, r->lang, lab, sizeof lab));
            cJSON_AddItemToArray(a, x);
        }
    }
}

static void uds_json(const report_t *r, cJSON *j, const char *wmi)
{
    cJSON *ua = cJSON_AddArrayToObject(j, "uds_scans");
    for (size_t i = 0; i < r->nuds; i++) {
        const store_uds_meta_t *m = &r->uds[i].meta;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)m->id);
        cJSON_AddStringToObject(o, "stage", report_stage_key(m->stage));
        cJSON_AddStringToObject(o, "stage_name", report_stage_name(m->stage, r->lang));
        cJSON_AddStringToObject(o, "technician", m->technician);
        add_time(o, "started", m->started_ms);
        cJSON_AddStringToObject(o, "adapter", m->adapter);
        cJSON_AddNumberToObject(o, "probed", m->probed);
        cJSON_AddNumberToObject(o, "answered", m->answered);
        cJSON_AddNumberToObject(o, "needs_oem_authorisation", m->needs_auth);
        cJSON_AddNumberToObject(o, "dtcs", m->ndtcs);
        cJSON_AddNumberToObject(o, "confirmed", m->nconfirmed);
        cJSON_AddItemToArray(ua, o);
    }
    if (!r->nuds) {
        cJSON_AddNullToObject(j, "modules");
        return;
    }
    const report_uds_scan_t *ls = &r->uds[r->nuds - 1];
    cJSON *mo = uds_scan_json(ls->scan, r->lang);
    if (!mo)
        return;
    cJSON_AddNumberToObject(mo, "uds_scan_id", (double)ls->meta.id);
    cJSON_AddStringToObject(mo, "stage", report_stage_key(ls->meta.stage));
    add_time(mo, "started", ls->meta.started_ms);
    /* names and DTC descriptions; the modules array holds the answered
     * modules in scan order */
    cJSON *arr = cJSON_GetObjectItem(mo, "modules");
    size_t k = 0;
    for (size_t i = 0; i < ls->scan->nmodules; i++) {
        const uds_module_t *m = &ls->scan->modules[i];
        if (!m->answered)
            continue;
        cJSON *o = cJSON_GetArrayItem(arr, (int)k++);
        if (!o)
            break;
        const char *key = uds_module_key(m->tx_id, m->rx_id);
        char lab[64];
        cJSON_AddItemToObject(o, "name", key ? cJSON_CreateString(key) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "label", qc_module_text(m->tx_id, m->rx_id, r->lang, lab, sizeof lab));
        cJSON_AddBoolToObject(o, "codes_read", m->state == UDS_MOD_OK && m->dtcs_read);
        cJSON *da = cJSON_GetObjectItem(o, "dtcs");
        for (size_t q = 0; da && q < m->ndtcs; q++) {
            cJSON *x = cJSON_GetArrayItem(da, (int)q);
            char desc[DTCDB_DESC_MAX];
            report__dtc_desc(r, uds_dtc_base(m->dtcs[q].code), wmi, desc, sizeof desc, NULL, 0);
            if (x) {
                cJSON_AddStringToObject(x, "status_text", uds_status_words(r, m->dtcs[q].status));
                cJSON_AddStringToObject(x, "description", desc);
            }
        }
    }
    cJSON_AddItemToObject(j, "modules", mo);
}

cJSON *report_json(const report_t *r)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    char a[12];
    cJSON_AddStringToObject(j, "schema", "obdgw.report/1");
    cJSON_AddStringToObject(j, "kind", report_kind_key(r->kind));
    cJSON_AddStringToObject(j, "lang", obd_lang_code(r->lang));
    add_time(j, "generated", r->generated_ms);
    cJSON *shop = cJSON_AddObjectToObject(j, "shop");
    cJSON_AddStringToObject(shop, "name", r->shop);
    cJSON_AddStringToObject(shop, "header", r->header);

    if (r->has_wo) {
        const store_wo_t *w = &r->wo;
        cJSON *o = cJSON_AddObjectToObject(j, "work_order");
        cJSON_AddStringToObject(o, "ro", w->ro);
        cJSON_AddStringToObject(o, "vin", w->vin);
        cJSON_AddStringToObject(o, "plate", w->plate);
        add_num_or_null(o, "mileage_in_km", w->mileage_in_km, w->mileage_in_km >= 0);
        cJSON_AddStringToObject(o, "complaint", w->complaint);
        cJSON_AddStringToObject(o, "complaint_codes", w->complaint_codes);
        cJSON_AddStringToObject(o, "bay", w->bay);
        cJSON_AddStringToObject(o, "technician", w->technician);
        cJSON_AddStringToObject(o, "status", w->status == STORE_WO_CLOSED ? "closed" : "open");
        add_time(o, "opened", w->opened_ms);
        add_time(o, "closed", w->closed_ms);
    } else {
        cJSON_AddNullToObject(j, "work_order");
    }

    char vin[18];
    double km;
    vehicle_of(r, vin, &km);
    cJSON *veh = cJSON_AddObjectToObject(j, "vehicle");
    if (vin[0])
        cJSON_AddStringToObject(veh, "vin", vin);
    else
        cJSON_AddNullToObject(veh, "vin");
    obd_vin_info_t vi;
    bool vok = vin[0] && obd_vin_decode(vin, &vi) == OBD_OK;
    const char *mk = vok ? obd_vin_manufacturer(&vi, r->lang) : NULL;
    if (mk)
        cJSON_AddStringToObject(veh, "manufacturer", mk);
    else
        cJSON_AddNullToObject(veh, "manufacturer");
    add_num_or_null(veh, "model_year", vok ? vi.model_year : 0, vok && vi.model_year);
    add_num_or_null(veh, "mileage_km", round(km * 10) / 10, km >= 0);

    const report_scan_t *ps = report_primary(r);
    cJSON *sa = cJSON_AddArrayToObject(j, "scans");
    for (size_t i = 0; i < r->nscans; i++) {
        const report_scan_t *s = &r->scans[i];
        const store_scan_meta_t *m = &s->meta;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)m->id);
        cJSON_AddStringToObject(o, "ro", m->ro);
        cJSON_AddStringToObject(o, "stage", report_stage_key(m->stage));
        cJSON_AddStringToObject(o, "stage_name", report_stage_name(m->stage, r->lang));
        cJSON_AddStringToObject(o, "technician", m->technician);
        add_time(o, "started", m->started_ms);
        add_num_or_null(o, "mileage_km", m->mileage_km, m->mileage_km >= 0);
        cJSON_AddStringToObject(o, "mileage_source", m->mileage_source);
        cJSON_AddStringToObject(o, "adapter", m->adapter);
        cJSON_AddStringToObject(o, "protocol", m->protocol);
        add_num_or_null(o, "battery_v", round(m->battery_v * 10) / 10, m->battery_v >= 0);
        cJSON_AddStringToObject(o, "assign_note", m->assign_note);
        cJSON_AddBoolToObject(o, "primary", s == ps);
        cJSON_AddItemToObject(o, "scan", obd_scan_json(s->scan, r->db, r->lang));
        cJSON_AddItemToArray(sa, o);
    }

    cJSON *se = cJSON_AddArrayToObject(j, "silent_ecus");
    for (size_t i = 0; i < r->nsilent; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "scan_id", (double)r->silent[i].scan_id);
        qc_addr_text(r->silent[i].addr, a, sizeof a);
        cJSON_AddStringToObject(o, "address", a);
        cJSON_AddStringToObject(o, "name", r->silent[i].name);
        cJSON_AddItemToArray(se, o);
    }

    char wmi[4] = "";
    const char *w = NULL;
    if (strlen(vin) >= 3) {
        memcpy(wmi, vin, 3);
        w = wmi;
    }
    uds_json(r, j, w);
    uds_records_json(r, j);
    cJSON *fa = cJSON_AddArrayToObject(j, "findings");
    for (size_t i = 0; i < r->nfindings; i++) {
        const store_finding_t *f = &r->findings[i].f;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", f->code);
        qc_addr_text(f->ecu, a, sizeof a);
        cJSON_AddStringToObject(o, "ecu", a);
        obd_dtc_t c;
        char desc[DTCDB_DESC_MAX] = "";
        if (obd_dtc_parse(f->code, &c) == OBD_OK)
            report__dtc_desc(r, c, w, desc, sizeof desc, NULL, 0);
        cJSON_AddStringToObject(o, "description", desc);
        cJSON_AddBoolToObject(o, "additional", r->findings[i].additional);
        cJSON_AddStringToObject(o, "state", report_finding_state_key(f->state));
        cJSON_AddStringToObject(o, "state_name", report_finding_state_name(f->state, r->lang));
        cJSON_AddStringToObject(o, "decided_by", f->decided_by);
        add_time(o, "decided", f->decided_ms);
        cJSON_AddStringToObject(o, "note", f->note);
        cJSON_AddNumberToObject(o, "first_scan_id", (double)f->first_scan_id);
        bool uds = !strcmp(f->source, "uds");
        cJSON_AddStringToObject(o, "source", uds ? "uds" : "obd");
        cJSON_AddNumberToObject(o, "uds_scan_id", (double)f->uds_scan_id);
        if (uds) {
            cJSON *mo = cJSON_AddObjectToObject(o, "module");
            char lab[64];
            qc_addr_text(f->ecu, a, sizeof a);
            cJSON_AddStringToObject(mo, "tx", a);
            qc_addr_text(f->rx_id, a, sizeof a);
            cJSON_AddStringToObject(mo, "rx", a);
            const char *key = uds_module_key(f->ecu, f->rx_id);
            cJSON_AddItemToObject(mo, "name", key ? cJSON_CreateString(key) : cJSON_CreateNull());
            cJSON_AddStringToObject(mo, "label", qc_module_text(f->ecu, f->rx_id, r->lang, lab, sizeof lab));
        } else {
            cJSON_AddNullToObject(o, "module");
        }
        cJSON_AddItemToArray(fa, o);
    }

    cJSON *ra = cJSON_AddArrayToObject(j, "recordings");
    double *pt = malloc(2 * JSON_CHART_COLUMNS * sizeof *pt), *pv = malloc(2 * JSON_CHART_COLUMNS * sizeof *pv);
    for (size_t i = 0; i < r->nrecs; i++) {
        const report_recording_t *rc = &r->recs[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)rc->rec.id);
        add_time(o, "started", rc->rec.started_ms);
        add_time(o, "ended", rc->rec.ended_ms);
        add_num_or_null(o, "duration_s", (double)(rc->rec.ended_ms - rc->rec.started_ms) / 1000.0,
                        rc->rec.ended_ms >= rc->rec.started_ms && strcmp(rc->rec.state, "recording"));
        cJSON_AddStringToObject(o, "state", rc->rec.state[0] ? rc->rec.state : "done");
        cJSON_AddStringToObject(o, "adapter", rc->rec.adapter);
        cJSON_AddStringToObject(o, "pids", rc->rec.pids);
        cJSON_AddNumberToObject(o, "samples", (double)rc->rec.samples);
        cJSON *sr = cJSON_AddArrayToObject(o, "series");
        for (size_t k = 0; k < rc->nseries; k++) {
            const report_series_t *s = &rc->series[k];
            cJSON *so = cJSON_CreateObject();
            qc_addr_text(s->ecu, a, sizeof a);
            cJSON_AddStringToObject(so, "ecu", a);
            char pid[8];
            snprintf(pid, sizeof pid, "0x%02X", s->pid);
            cJSON_AddStringToObject(so, "pid", pid);
            cJSON_AddNumberToObject(so, "field", s->field);
            cJSON_AddStringToObject(so, "key", s->key);
            cJSON_AddStringToObject(so, "name", s->label);
            cJSON_AddStringToObject(so, "unit", s->unit);
            cJSON_AddNumberToObject(so, "n", (double)s->stat_n);
            cJSON_AddNumberToObject(so, "min", s->min);
            cJSON_AddNumberToObject(so, "max", s->max);
            cJSON_AddNumberToObject(so, "mean", round(s->mean * 1000) / 1000);
            cJSON *ch = cJSON_AddObjectToObject(so, "chart");
            cJSON_AddNumberToObject(ch, "columns", JSON_CHART_COLUMNS);
            cJSON *pa = cJSON_AddArrayToObject(ch, "points");
            size_t np = pt && pv ? report_chart_points(s, JSON_CHART_COLUMNS, pt, pv, 2 * JSON_CHART_COLUMNS) : 0;
            for (size_t q = 0; q < np; q++) {
                cJSON *p = cJSON_CreateArray();
                cJSON_AddItemToArray(p, cJSON_CreateNumber(round(pt[q] * 1000) / 1000));
                cJSON_AddItemToArray(p, cJSON_CreateNumber(pv[q]));
                cJSON_AddItemToArray(pa, p);
            }
            cJSON_AddItemToArray(sr, so);
        }
        cJSON *sg = cJSON_AddArrayToObject(o, "signals");
        for (size_t k = 0; k < rc->nsigs; k++) {
            const store_rec_sigstat_t *g = &rc->sigs[k];
            cJSON *go = cJSON_CreateObject();
            cJSON_AddStringToObject(go, "signal", g->signal);
            cJSON_AddStringToObject(go, "name", g->name);
            cJSON_AddStringToObject(go, "unit", g->unit);
            qc_addr_text(g->ecu, a, sizeof a);
            cJSON_AddStringToObject(go, "ecu", a);
            cJSON_AddNumberToObject(go, "n", (double)g->n);
            add_num_or_null(go, "min", g->min, g->n > 0);
            add_num_or_null(go, "max", g->max, g->n > 0);
            add_num_or_null(go, "mean", round(g->mean * 1000) / 1000, g->n > 0);
            cJSON_AddItemToArray(sg, go);
        }
        cJSON_AddItemToArray(ra, o);
    }
    free(pt);
    free(pv);

    if (r->qc) {
        cJSON *q = qc_json(r->qc, r->lang);
        cJSON_AddItemToObject(q, "pre_scan_id",
                              r->pre_index >= 0 ? cJSON_CreateNumber((double)r->scans[r->pre_index].meta.id)
                                                : cJSON_CreateNull());
        cJSON_AddNumberToObject(q, "post_scan_id", (double)r->scans[r->post_index].meta.id);
        cJSON_AddItemToObject(j, "qc", q);
    } else {
        cJSON_AddNullToObject(j, "qc");
    }
    if (r->signoff.present) {
        cJSON *o = cJSON_AddObjectToObject(j, "signoff");
        cJSON_AddStringToObject(o, "inspector", r->signoff.inspector);
        add_time(o, "signed", r->signoff.signed_ms);
        if (r->signoff.sha256[0])
            cJSON_AddStringToObject(o, "sha256", r->signoff.sha256);
        else
            cJSON_AddNullToObject(o, "sha256");
        cJSON_AddBoolToObject(o, "verified", r->signoff.verified);
    } else {
        cJSON_AddNullToObject(j, "signoff");
    }
    cJSON *na = cJSON_AddArrayToObject(j, "next_steps");
    for (size_t i = 0; i < r->nsteps; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "key", r->steps[i].key);
        if (r->steps[i].code[0])
            cJSON_AddStringToObject(o, "code", r->steps[i].code);
        else
            cJSON_AddNullToObject(o, "code");
        cJSON_AddStringToObject(o, "text", r->steps[i].text);
        cJSON_AddItemToArray(na, o);
    }
    return j;
}

char *report_json_text(const report_t *r)
{
    cJSON *j = report_json(r);
    if (!j)
        return NULL;
    char *s = cJSON_Print(j);
    cJSON_Delete(j);
    return s;
}

/* ---- the block document --------------------------------------------------- */

static char *dupstr(const char *s)
{
    return strdup(s ? s : "");
}

static report_block_t *blk(report_doc_t *d, report_block_kind_t kind, int style, const char *text,
                           const char *text2)
{
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 32;
        report_block_t *nb = realloc(d->b, nc * sizeof *nb);
        if (!nb)
            return NULL;
        d->b = nb;
        d->cap = nc;
    }
    report_block_t *b = &d->b[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->style = style;
    b->text = text ? dupstr(text) : NULL;
    b->text2 = text2 ? dupstr(text2) : NULL;
    return b;
}

static report_block_t *table(report_doc_t *d, report_block_kind_t kind, size_t ncols)
{
    report_block_t *b = blk(d, kind, 0, NULL, NULL);
    if (b)
        b->ncols = ncols;
    return b;
}

/* Append a row of b->ncols cells (const char *). */
static void row_v(report_block_t *b, int style, va_list ap)
{
    if (!b)
        return;
    char **nc = realloc(b->cells, (b->nrows + 1) * b->ncols * sizeof *nc);
    if (!nc)
        return;
    b->cells = nc;
    uint8_t *ns = realloc(b->row_style, b->nrows + 1);
    if (!ns)
        return;
    b->row_style = ns;
    for (size_t c = 0; c < b->ncols; c++)
        b->cells[b->nrows * b->ncols + c] = dupstr(va_arg(ap, const char *));
    b->row_style[b->nrows] = (uint8_t)style;
    b->nrows++;
}

static void row(report_block_t *b, int style, ...)
{
    va_list ap;
    va_start(ap, style);
    row_v(b, style, ap);
    va_end(ap);
}

/* The same, for the other files of the report code (report_priv.h). */
void report__row(report_block_t *b, int style, ...)
{
    va_list ap;
    va_start(ap, style);
    row_v(b, style, ap);
    va_end(ap);
}

report_block_t *report__blk(report_doc_t *d, report_block_kind_t kind, int style, const char *text,
                            const char *text2)
{
    return blk(d, kind, style, text, text2);
}

report_block_t *report__table(report_doc_t *d, report_block_kind_t kind, size_t ncols)
{
    return table(d, kind, ncols);
}

void report_doc_free(report_doc_t *d)
{
    for (size_t i = 0; i < d->n; i++) {
        report_block_t *b = &d->b[i];
        free(b->text);
        free(b->text2);
        for (size_t k = 0; k < b->nrows * b->ncols; k++)
            free(b->cells[k]);
        free(b->cells);
        free(b->row_style);
    }
    free(d->b);
    memset(d, 0, sizeof *d);
}

static void fmt_num(double v, char *out, size_t cap)
{
    double a = fabs(v);
    if (a >= 1000 || v == floor(v))
        snprintf(out, cap, "%.0f", v);
    else if (a >= 100)
        snprintf(out, cap, "%.1f", v);
    else if (a >= 1)
        snprintf(out, cap, "%.2f", v);
    else
        snprintf(out, cap, "%.3g", v);
}

static void doc_header(const report_t *r, report_doc_t *d)
{
    char gen[40], sub[400];
    report_time_text(r->generated_ms, gen, sizeof gen);
    const char *title = r->kind == REPORT_QC ? L("title_qc") : L("title_diagnostic");
    snprintf(d->title, sizeof d->title, "%s", title);
    snprintf(sub, sizeof sub, "%s: %s", L("generated"), gen);
    if (r->shop[0] || r->header[0])
        blk(d, RB_PARA, RS_MUTED, r->shop[0] ? r->shop : "", r->header);
    blk(d, RB_TITLE, 0, title, sub);
}

static void doc_vehicle(const report_t *r, report_doc_t *d)
{
    char buf[160], gen[40];
    const report_scan_t *ps = report_primary(r);
    report_block_t *kv;
    if (r->has_wo) {
        const store_wo_t *w = &r->wo;
        blk(d, RB_H2, 0, L("work_order"), NULL);
        kv = table(d, RB_KV, 2);
        row(kv, 0, L("ro"), w->ro);
        if (w->complaint[0])
            row(kv, 0, L("complaint"), w->complaint);
        if (w->complaint_codes[0])
            row(kv, 0, L("complaint_codes"), w->complaint_codes);
        if (w->plate[0])
            row(kv, 0, L("plate"), w->plate);
        if (w->mileage_in_km >= 0) {
            snprintf(buf, sizeof buf, "%d km", w->mileage_in_km);
            row(kv, 0, L("mileage_in"), buf);
        }
        if (w->technician[0])
            row(kv, 0, L("technician"), w->technician);
        if (w->bay[0])
            row(kv, 0, L("bay"), w->bay);
        report_time_text(w->opened_ms, gen, sizeof gen);
        row(kv, 0, L("opened"), gen);
        row(kv, 0, L("status"), w->status == STORE_WO_CLOSED ? L("ro_closed") : L("ro_open"));
    } else {
        blk(d, RB_NOTE, RS_WARN, L("no_wo"), ps && ps->meta.assign_note[0] ? ps->meta.assign_note : NULL);
    }

    blk(d, RB_H2, 0, L("vehicle"), NULL);
    kv = table(d, RB_KV, 2);
    char vin[18];
    double km;
    vehicle_of(r, vin, &km);
    row(kv, 0, L("vin"), vin[0] ? vin : "-");
    if (ps)
        report__vin_rows(r, kv, ps, vin);
    obd_vin_info_t vi;
    if (vin[0] && obd_vin_decode(vin, &vi) == OBD_OK) {
        const char *mk = obd_vin_manufacturer(&vi, r->lang);
        row(kv, 0, L("make"), mk ? mk : "-");
        if (vi.model_year) {
            snprintf(buf, sizeof buf, "%d", vi.model_year);
            row(kv, 0, L("model_year"), buf);
        }
    }
    if (km >= 0) {
        snprintf(buf, sizeof buf, "%.0f km", km);
        row(kv, 0, L("mileage"), buf);
    }
    if (ps) {
        report_time_text(ps->meta.started_ms > 0 ? ps->meta.started_ms : (int64_t)ps->scan->started_ms, gen,
                         sizeof gen);
        row(kv, 0, L("date"), gen);
        row(kv, 0, L("stage"), report_stage_name(ps->meta.stage, r->lang));
        if (ps->meta.technician[0])
            row(kv, 0, L("technician"), ps->meta.technician);
        const char *ad = ps->meta.adapter[0] ? ps->meta.adapter : ps->scan->link.adapter;
        if (ad[0])
            row(kv, 0, L("adapter"), ad);
        row(kv, 0, L("protocol"),
            ps->meta.protocol[0] ? ps->meta.protocol : obd_proto_name(ps->scan->link.protocol));
        if (ps->scan->obd_protocol == OBD_PROTOCOL_ON_UDS)
            row(kv, 0, TR("Emissions diagnostics", "排放诊断"), obd_protocol_kind_name(OBD_PROTOCOL_ON_UDS, r->lang));
        double bv = ps->meta.battery_v >= 0 ? ps->meta.battery_v : ps->scan->link.battery_v;
        if (bv >= 0) {
            snprintf(buf, sizeof buf, "%.1f V", bv);
            row(kv, 0, L("battery"), buf);
        }
    }
}

/* The diagnostic report shows two scans in full when the RO has both a
 * pre-repair scan (the latest reception scan, else the latest diagnosis
 * scan) and a post-repair one after it (the latest self-check, post-repair
 * or QC scan), unless a scan was chosen (r->primary). */
static bool full_pair(const report_t *r, int *pre, int *post)
{
    *pre = *post = -1;
    if (r->primary >= 0)
        return false;
    int reception = -1, diag = -1;
    for (size_t i = 0; i < r->nscans; i++) {
        store_stage_t sg = r->scans[i].meta.stage;
        if (sg == STORE_STAGE_RECEPTION)
            reception = (int)i;
        else if (sg == STORE_STAGE_DIAGNOSTIC)
            diag = (int)i;
        if (stage_is_post(sg))
            *post = (int)i;
    }
    *pre = reception >= 0 ? reception : diag;
    return *pre >= 0 && *post > *pre;
}

static void doc_scans(const report_t *r, report_doc_t *d)
{
    if (r->nscans == 0)
        return;
    blk(d, RB_H2, 0, L("scans"), NULL);
    report_block_t *t = table(d, RB_TABLE, 7);
    row(t, 0, L("date"), L("stage"), L("technician"), L("mileage"), L("col_confirmed"), L("col_pending"),
        L("col_permanent"));
    const report_scan_t *ps = report_primary(r);
    int pre, post;
    bool pair = full_pair(r, &pre, &post); /* both shown in full: both marked */
    for (size_t i = 0; i < r->nscans; i++) {
        const report_scan_t *s = &r->scans[i];
        bool full = pair ? (int)i == pre || (int)i == post : s == ps;
        char tm[40], km[32] = "-", c0[64], c1[64], c2[64];
        report_time_text(s->meta.started_ms, tm, sizeof tm);
        if (s->meta.mileage_km >= 0)
            snprintf(km, sizeof km, "%.0f km", s->meta.mileage_km);
        report__kind_count(r, s->scan, 0, c0, sizeof c0);
        report__kind_count(r, s->scan, 1, c1, sizeof c1);
        report__kind_count(r, s->scan, 2, c2, sizeof c2);
        row(t, full ? RS_OK : 0, tm, report_stage_name(s->meta.stage, r->lang), s->meta.technician, km, c0, c1, c2);
    }
}

/* The latest UDS full-system scan: every module that answered with its
 * state (a module that needs OEM authorisation says so and never reads as
 * "no DTCs"), its DTCs, and the modules that did not answer. */
/* The freeze data (snapshot records) and extended data the modules kept
 * with their DTCs, from records_scan(). */
static void doc_uds_records(const report_t *r, report_doc_t *d)
{
    const report_uds_scan_t *ls = records_scan(r);
    if (!ls)
        return;
    char sub[200], tm[40], code[UDS_DTC_TEXT_LEN], mod[64], rec[48], what[128], val[2 * UDS_SCAN_SNAP_BYTES + 64];
    report_time_text(ls->meta.started_ms, tm, sizeof tm);
    blk(d, RB_H3, 0, L("uds_records"), NULL);
    snprintf(sub, sizeof sub, "%s #%lld · %s · %s", TR("UDS scan", "UDS 扫描"), (long long)ls->meta.id, tm,
             report_stage_name(ls->meta.stage, r->lang));
    blk(d, RB_PARA, RS_MUTED, sub, NULL);
    report_block_t *t = table(d, RB_TABLE, 5);
    row(t, 0, L("dtc"), L("module"), L("record"), L("value_name"), L("reading"));
    const uds_scan_t *u = ls->scan;
    for (size_t i = 0; i < u->nmodules; i++) {
        const uds_module_t *m = &u->modules[i];
        if (!m->nsnap)
            continue;
        qc_module_text(m->tx_id, m->rx_id, r->lang, mod, sizeof mod);
        for (size_t k = 0; k < m->nsnap; k++) {
            const uds_scan_snap_t *x = uds_scan_record(u, m, k);
            if (!x)
                break;
            bool snap = x->record == UDS_RDTC_SNAPSHOT;
            uds_dtc_format(x->code, code);
            uds_snap_line_t lines[24];
            size_t nl = 0;
            if (snap && x->sent <= x->len && x->len &&
                uds_snapshot_describe(x->data, x->len, r->lang, lines, 24, &nl) == OBD_OK && nl) {
                for (size_t q = 0; q < nl; q++) {
                    snprintf(rec, sizeof rec, "%s %02X", L("snapshot"), lines[q].record);
                    row(t, 0, code, mod, rec, lines[q].name, lines[q].value);
                }
                continue;
            }
            /* extended data (OEM-defined layout) or a snapshot that could
             * not be split: the bytes as sent */
            snprintf(rec, sizeof rec, "%s", snap ? L("snapshot") : L("extended_data"));
            snprintf(what, sizeof what, "%s", L("raw_bytes"));
            obd_hex_text(x->data, x->len, val, sizeof val);
            if (!x->len)
                snprintf(val, sizeof val, "%s", L("rec_none"));
            else if (x->sent > x->len)
                snprintf(val + strlen(val), sizeof val - strlen(val), " (%s %u)", L("cut_of"), (unsigned)x->sent);
            row(t, RS_MUTED, code, mod, rec, what, val);
        }
    }
}

static void doc_modules(const report_t *r, report_doc_t *d)
{
    if (!r->nuds)
        return;
    const report_uds_scan_t *ls = &r->uds[r->nuds - 1];
    const uds_scan_t *u = ls->scan;
    char tm[40], sub[256], mod[64], st[160], dtcs[48], id[96];
    report_time_text(ls->meta.started_ms, tm, sizeof tm);
    blk(d, RB_H2, 0, L("modules"), NULL);
    snprintf(sub, sizeof sub, "%s #%lld · %s · %s · %d / %d %s", TR("UDS scan", "UDS 扫描"), (long long)ls->meta.id, tm,
             report_stage_name(ls->meta.stage, r->lang), ls->meta.answered, ls->meta.probed,
             TR("addresses answered", "个地址有应答"));
    blk(d, RB_PARA, RS_MUTED, sub, NULL);
    report_block_t *t = table(d, RB_TABLE, 4);
    row(t, 0, L("module"), L("module_state"), L("dtcs"), L("ident"));
    for (size_t i = 0; i < u->nmodules; i++) {
        const uds_module_t *m = &u->modules[i];
        if (!m->answered)
            continue;
        qc_module_text(m->tx_id, m->rx_id, r->lang, mod, sizeof mod);
        snprintf(st, sizeof st, "%s", uds_mod_state_name(m->state, r->lang));
        if (m->nrc)
            snprintf(st + strlen(st), sizeof st - strlen(st), " · NRC %02X %s", m->nrc, uds_nrc_key(m->nrc));
        int confirmed = 0;
        for (size_t k = 0; k < m->ndtcs; k++)
            confirmed += (m->dtcs[k].status & UDS_ST_CONFIRMED) != 0;
        bool read = m->state == UDS_MOD_OK && m->dtcs_read;
        if (!read)
            snprintf(dtcs, sizeof dtcs, "%s", L("uds_not_read"));
        else if (!m->ndtcs)
            snprintf(dtcs, sizeof dtcs, "%s", L("uds_no_dtcs"));
        else
            snprintf(dtcs, sizeof dtcs, "%zu (%d %s)", m->ndtcs, confirmed, L("confirmed"));
        id[0] = 0;
        if (m->ident_ok[1])
            snprintf(id, sizeof id, "%s", m->ident[1]);
        if (m->ident_ok[3])
            snprintf(id + strlen(id), sizeof id - strlen(id), "%s%s", id[0] ? " / " : "", m->ident[3]);
        int style = m->state == UDS_MOD_NEEDS_AUTH || !read ? RS_BAD : confirmed ? RS_WARN : RS_OK;
        if (m->state == UDS_MOD_NOT_SUPPORTED)
            style = RS_MUTED; /* answered, offers no $19: an OBD-only ECU, shown in the OBD section */
        row(t, style, mod, st, dtcs, id);
    }
    /* silent: the modules that answered an earlier UDS scan of the RO, by
     * name; the rest as a count */
    size_t nsilent = 0;
    for (size_t i = 0; i < u->nmodules; i++) {
        const uds_module_t *m = &u->modules[i];
        if (m->answered)
            continue;
        bool before = false;
        for (size_t s = 0; s + 1 < r->nuds && !before; s++) {
            const uds_scan_t *e = r->uds[s].scan;
            for (size_t k = 0; k < e->nmodules && !before; k++)
                before = e->modules[k].answered && e->modules[k].tx_id == m->tx_id && e->modules[k].rx_id == m->rx_id;
        }
        if (before || u->nmodules - u->nanswered <= 16) {
            qc_module_text(m->tx_id, m->rx_id, r->lang, mod, sizeof mod);
            row(t, RS_BAD, mod, before ? L("uds_silent_before") : L("no_answer"), "-", "");
        } else {
            nsilent++;
        }
    }
    if (nsilent) {
        snprintf(sub, sizeof sub, "%zu %s", nsilent, L("uds_other_silent"));
        blk(d, RB_NOTE, RS_MUTED, sub, NULL);
    }
    /* the DTCs */
    report_block_t *dt = NULL;
    char code[UDS_DTC_TEXT_LEN], desc[DTCDB_DESC_MAX], stb[64];
    char wmi[4] = "";
    const char *w = NULL;
    if (strlen(ls->meta.vin) >= 3) {
        memcpy(wmi, ls->meta.vin, 3);
        w = wmi;
    }
    for (size_t i = 0; i < u->nmodules; i++) {
        const uds_module_t *m = &u->modules[i];
        for (size_t k = 0; m->answered && k < m->ndtcs; k++) {
            if (!dt) {
                dt = table(d, RB_TABLE, 4);
                row(dt, 0, L("dtc"), L("status_byte"), L("module"), L("description"));
            }
            uds_dtc_format(m->dtcs[k].code, code);
            report__dtc_desc(r, uds_dtc_base(m->dtcs[k].code), w, desc, sizeof desc, NULL, 0);
            snprintf(stb, sizeof stb, "%02X %s", m->dtcs[k].status, uds_status_words(r, m->dtcs[k].status));
            qc_module_text(m->tx_id, m->rx_id, r->lang, mod, sizeof mod);
            bool conf = m->dtcs[k].status & UDS_ST_CONFIRMED;
            row(dt, conf ? RS_BAD : m->dtcs[k].status & (UDS_ST_PENDING | UDS_ST_TEST_FAILED) ? RS_WARN : RS_MUTED,
                code, stb, mod, desc);
        }
    }
    doc_uds_records(r, d);
}

/* QC: the UDS modules and confirmed DTCs before and after the repair. */
static void doc_qc_uds(const report_t *r, report_doc_t *d)
{
    const qc_uds_t *u = &r->qc->uds;
    if (!u->present)
        return;
    blk(d, RB_H3, 0, L("uds_compare"), NULL);
    report_block_t *c = table(d, RB_TABLE, 5);
    row(c, 0, L("module"), L("dtc"), L("pre"), L("post"), L("result"));
    char mod[64], code[UDS_DTC_TEXT_LEN], a[64], b[64];
    for (size_t i = 0; i < u->nmodules; i++) {
        const qc_uds_module_t *m = &u->modules[i];
        qc_module_text(m->tx_id, m->rx_id, r->lang, mod, sizeof mod);
        const char *res = m->unread_post && m->state_post == UDS_MOD_NEEDS_AUTH ? uds_mod_state_name(UDS_MOD_NEEDS_AUTH, r->lang)
                          : m->unread_post                                       ? L("dtc_read_failed")
                          : m->lost                                              ? TR("lost", "丢失")
                                                                                 : "OK";
        row(c, m->unread_post || m->lost ? RS_BAD : 0, mod, "",
            m->in_pre ? uds_mod_state_name((uds_mod_state_t)m->state_pre, r->lang) : (u->has_pre ? L("no_answer") : "-"),
            m->in_post ? uds_mod_state_name((uds_mod_state_t)m->state_post, r->lang) : (u->has_post ? L("no_answer") : "-"),
            res);
        for (size_t k = 0; k < u->ndtcs; k++) {
            const qc_uds_dtc_t *x = &u->dtcs[k];
            if (x->rx_id != m->rx_id)
                continue;
            uds_dtc_format(x->code, code);
            snprintf(a, sizeof a, "%s", "-");
            snprintf(b, sizeof b, "%s", "-");
            if (x->status_pre >= 0)
                snprintf(a, sizeof a, "%02X %s", x->status_pre, uds_status_words(r, (uint8_t)x->status_pre));
            if (x->status_post >= 0)
                snprintf(b, sizeof b, "%02X %s", x->status_post, uds_status_words(r, (uint8_t)x->status_post));
            row(c, x->change == QC_DTC_RESOLVED ? RS_OK : RS_BAD, "", code, a, b,
                qc_change_name((qc_change_t)x->change, r->lang));
        }
    }
}

static void doc_freeze(const report_t *r, report_doc_t *d, const report_scan_t *ps)
{
    const obd_scan_t *s = ps->scan;
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        if (!e->has_ff)
            continue;
        char code[OBD_DTC_TEXT_LEN], ecu[48], head[160];
        obd_dtc_format(e->ff_dtc, code);
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        snprintf(head, sizeof head, "%s: %s (%s)", L("freeze_frame"), code, ecu);
        blk(d, RB_H2, 0, head, NULL);
        report_block_t *t = table(d, RB_TABLE, 2);
        row(t, 0, L("parameter"), L("value"));
        for (size_t k = 0; k < e->nff && k < OBD_SCAN_MAX_FF_PIDS; k++) {
            obd_value_t v[OBD_PID_MAX_FIELDS];
            int nv = obd_pid_decode(e->ff[k].pid, e->ff[k].data, e->ff[k].len, v, OBD_PID_MAX_FIELDS);
            for (int q = 0; q < nv; q++) {
                if (!v[q].available)
                    continue;
                char label[160], txt[96];
                obd_value_label(e->ff[k].pid, &v[q], r->lang, label, sizeof label);
                obd_value_format(&v[q], r->lang, txt, sizeof txt);
                row(t, 0, label, txt);
            }
        }
    }
}

static void doc_readiness(const report_t *r, report_doc_t *d, const report_scan_t *ps)
{
    const obd_scan_t *s = ps->scan;
    bool any = false;
    for (size_t i = 0; i < s->necus; i++)
        any |= s->ecus[i].has_readiness;
    if (!any)
        return;
    blk(d, RB_H2, 0, L("readiness"), NULL);
    report_block_t *t = table(d, RB_TABLE, 3);
    row(t, 0, L("ecu"), L("monitor"), L("status"));
    char ecu[48];
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        if (!e->has_readiness)
            continue;
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        for (int m = 0; m < OBD_MON_COUNT; m++) {
            if (!e->readiness.mon[m].supported)
                continue;
            bool ok = e->readiness.mon[m].complete;
            row(t, ok ? RS_OK : RS_WARN, ecu, obd_monitor_name((obd_monitor_t)m, r->lang),
                ok ? L("complete") : L("incomplete"));
        }
    }
    /* since-clear counters */
    report_block_t *kv = NULL;
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        char v[64];
        if (e->warmups_since_clear < 0 && e->km_since_clear < 0 && e->min_since_clear < 0 && e->km_with_mil < 0)
            continue;
        if (!kv) {
            blk(d, RB_H3, 0, L("since_clear"), NULL);
            kv = table(d, RB_KV, 2);
        }
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        char lab[160];
        if (e->warmups_since_clear >= 0) {
            snprintf(lab, sizeof lab, "%s - %s", ecu, L("warmups"));
            snprintf(v, sizeof v, "%d", e->warmups_since_clear);
            row(kv, 0, lab, v);
        }
        if (e->km_since_clear >= 0) {
            snprintf(lab, sizeof lab, "%s - %s", ecu, L("distance"));
            snprintf(v, sizeof v, "%d km", e->km_since_clear);
            row(kv, 0, lab, v);
        }
        if (e->min_since_clear >= 0) {
            snprintf(lab, sizeof lab, "%s - %s", ecu, L("minutes"));
            snprintf(v, sizeof v, "%d min", e->min_since_clear);
            row(kv, 0, lab, v);
        }
        if (e->km_with_mil >= 0) {
            snprintf(lab, sizeof lab, "%s - %s", ecu, L("km_with_mil"));
            snprintf(v, sizeof v, "%d km", e->km_with_mil);
            row(kv, 0, lab, v);
        }
    }
}

static void doc_mode06(const report_t *r, report_doc_t *d, const report_scan_t *ps)
{
    const obd_scan_t *s = ps->scan;
    size_t total = 0, failed = 0;
    for (size_t i = 0; i < s->necus; i++)
        for (size_t k = 0; k < s->ecus[i].nm06 && k < OBD_SCAN_MAX_M06; k++) {
            total++;
            failed += !s->ecus[i].m06[k].passed;
        }
    if (total == 0)
        return;
    blk(d, RB_H2, 0, L("mode06"), NULL);
    if (failed == 0) {
        char txt[160];
        snprintf(txt, sizeof txt, "%s (%zu)", L("all_tests_ok"), total);
        blk(d, RB_NOTE, RS_OK, txt, NULL);
        return;
    }
    report_block_t *t = table(d, RB_TABLE, 6);
    row(t, 0, L("ecu"), L("monitor"), L("test"), L("value"), L("limits"), L("result"));
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        char ecu[48];
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        for (size_t k = 0; k < e->nm06 && k < OBD_SCAN_MAX_M06; k++) {
            const obd_test_result_t *tr = &e->m06[k];
            if (tr->passed)
                continue;
            const obd_uas_t *u = obd_uas_lookup(tr->uasid);
            const char *unit = u && tr->known_unit ? u->unit : "";
            const char *mn = obd_mid_name(tr->mid, r->lang);
            char mid[64], tid[16], val[48], lim[96], a[24], b[24];
            snprintf(mid, sizeof mid, "%s (MID $%02X)", mn ? mn : "-", tr->mid);
            snprintf(tid, sizeof tid, "$%02X", tr->tid);
            fmt_num(tr->value, a, sizeof a);
            snprintf(val, sizeof val, "%s %s", a, unit);
            fmt_num(tr->min, a, sizeof a);
            fmt_num(tr->max, b, sizeof b);
            snprintf(lim, sizeof lim, "%s .. %s %s", a, b, unit);
            row(t, RS_BAD, ecu, mid, tid, val, lim, L("out_of_limits"));
        }
    }
}

static void doc_findings(const report_t *r, report_doc_t *d)
{
    blk(d, RB_H2, 0, L("findings"), NULL);
    if (r->nfindings == 0) {
        blk(d, RB_PARA, RS_MUTED, L("no_findings"), NULL);
        return;
    }
    char vin[18], wmi[4] = "";
    double km;
    vehicle_of(r, vin, &km);
    if (strlen(vin) >= 3)
        memcpy(wmi, vin, 3);
    report_block_t *t = table(d, RB_TABLE, 5);
    row(t, 0, L("dtc"), L("description"), L("ecu"), L("consent"), L("note"));
    for (size_t i = 0; i < r->nfindings; i++) {
        const store_finding_t *f = &r->findings[i].f;
        char desc[DTCDB_DESC_MAX] = "", ecu[112], note[256];
        obd_dtc_t c;
        if (obd_dtc_parse(f->code, &c) == OBD_OK)
            report__dtc_desc(r, c, wmi[0] ? wmi : NULL, desc, sizeof desc, NULL, 0);
        if (!strcmp(f->source, "uds")) {
            char mod[64];
            qc_module_text(f->ecu, f->rx_id, r->lang, mod, sizeof mod);
            snprintf(ecu, sizeof ecu, "%s (%s #%lld)", mod, L("uds_scan"), (long long)f->uds_scan_id);
        } else {
            qc_ecu_text(f->ecu, r->lang, ecu, sizeof ecu);
        }
        if (f->decided_by[0])
            snprintf(note, sizeof note, "%s%s%s: %s", f->note, f->note[0] ? " - " : "", L("decided_by"),
                     f->decided_by);
        else
            snprintf(note, sizeof note, "%s", f->note);
        int style = f->state == STORE_FINDING_APPROVED ? RS_OK : f->state == STORE_FINDING_DECLINED ? RS_MUTED : RS_WARN;
        row(t, style, f->code, desc, ecu, report_finding_state_name(f->state, r->lang), note);
    }
}

static void doc_live(const report_t *r, report_doc_t *d)
{
    if (r->nrecs == 0)
        return;
    blk(d, RB_H2, 0, L("live_data"), NULL);
    for (size_t i = 0; i < r->nrecs; i++) {
        const report_recording_t *rc = &r->recs[i];
        char tm[40], head[200], sub[200];
        report_time_text(rc->rec.started_ms, tm, sizeof tm);
        snprintf(head, sizeof head, "%s #%lld - %s", L("recording"), (long long)rc->rec.id, tm);
        double dur = rc->rec.ended_ms > rc->rec.started_ms ? (double)(rc->rec.ended_ms - rc->rec.started_ms) / 1000
                                                            : 0;
        bool live = !strcmp(rc->rec.state, "recording"), cut = !strcmp(rc->rec.state, "interrupted");
        char dtxt[120];
        if (live)
            snprintf(dtxt, sizeof dtxt, "%s", L("rec_recording"));
        else
            snprintf(dtxt, sizeof dtxt, "%.0f s%s%s", dur, cut ? ", " : "", cut ? L("rec_interrupted") : "");
        snprintf(sub, sizeof sub, "%s: %s · %s: %lld · %s", L("duration"), dtxt, L("samples"),
                 (long long)rc->rec.samples, rc->rec.adapter);
        blk(d, RB_H3, 0, head, sub);
        if (rc->nsigs) { /* the modules' own values: one row per signal */
            report_block_t *t = table(d, RB_TABLE, 6);
            row(t, 0, L("oem_signal"), L("samples"), L("min"), L("max"), L("mean"), L("unit"));
            for (size_t k = 0; k < rc->nsigs; k++) {
                const store_rec_sigstat_t *g = &rc->sigs[k];
                char n[24], a[24] = "-", b[24] = "-", c[24] = "-", ad[12], lab[200];
                snprintf(n, sizeof n, "%lld", (long long)g->n);
                if (g->n) {
                    fmt_num(g->min, a, sizeof a);
                    fmt_num(g->max, b, sizeof b);
                    fmt_num(g->mean, c, sizeof c);
                }
                qc_addr_text(g->ecu, ad, sizeof ad);
                snprintf(lab, sizeof lab, "%s (%s)", g->name[0] ? g->name : g->signal, ad);
                row(t, 0, lab, n, a, b, c, g->unit);
            }
        }
        if (rc->nseries == 0)
            continue;
        bool multi_ecu = false;
        for (size_t k = 1; k < rc->nseries; k++)
            multi_ecu |= rc->series[k].ecu != rc->series[0].ecu;
        report_block_t *t = table(d, RB_TABLE, 6);
        row(t, 0, L("parameter"), L("samples"), L("min"), L("max"), L("mean"), L("unit"));
        for (size_t k = 0; k < rc->nseries; k++) {
            const report_series_t *s = &rc->series[k];
            char n[24], a[24], b[24], c[24], lab[200];
            snprintf(n, sizeof n, "%lld", (long long)s->stat_n);
            fmt_num(s->min, a, sizeof a);
            fmt_num(s->max, b, sizeof b);
            fmt_num(s->mean, c, sizeof c);
            char ad[12] = "";
            if (multi_ecu)
                qc_addr_text(s->ecu, ad, sizeof ad);
            snprintf(lab, sizeof lab, "%s%s%s%s", s->label, multi_ecu ? " (" : "", ad, multi_ecu ? ")" : "");
            row(t, 0, lab, n, a, b, c, s->unit);
        }
        for (size_t k = 0; k < rc->nseries; k++) {
            const report_series_t *s = &rc->series[k];
            char lab[200], cap[200], a[24], b[24], c[24], ad[12] = "";
            if (multi_ecu)
                qc_addr_text(s->ecu, ad, sizeof ad);
            snprintf(lab, sizeof lab, "%s%s%s%s%s%s", s->label, s->unit[0] ? " (" : "", s->unit,
                     s->unit[0] ? ")" : "", multi_ecu ? " " : "", ad);
            fmt_num(s->min, a, sizeof a);
            fmt_num(s->max, b, sizeof b);
            fmt_num(s->mean, c, sizeof c);
            snprintf(cap, sizeof cap, "%s %s · %s %s · %s %s %s", L("min"), a, L("max"), b, L("mean"), c, s->unit);
            report_block_t *ch = blk(d, RB_CHART, 0, lab, cap);
            if (ch)
                ch->series = s;
        }
    }
}

static void doc_steps(const report_t *r, report_doc_t *d)
{
    blk(d, RB_H2, 0, L("next_steps"), NULL);
    report_block_t *t = table(d, RB_LIST, 1);
    for (size_t i = 0; i < r->nsteps; i++) {
        const char *k = r->steps[i].key;
        int style = !strcmp(k, "qc_failed") || !strcmp(k, "diagnose_dtc") ? RS_BAD
                    : !strcmp(k, "none")                                  ? RS_OK
                                                                          : RS_WARN;
        row(t, style, r->steps[i].text);
    }
}

static void doc_qc(const report_t *r, report_doc_t *d)
{
    const qc_result_t *q = r->qc;
    blk(d, RB_H2, 0, L("qc_verdict"), NULL);
    if (!q) {
        blk(d, RB_VERDICT, RS_WARN, L("no_qc"), NULL);
        return;
    }
    int style = q->verdict == QC_PASS ? RS_OK : q->verdict == QC_FAIL ? RS_BAD : RS_WARN;
    blk(d, RB_VERDICT, style, qc_verdict_name(q->verdict, r->lang), NULL);
    blk(d, RB_H3, 0, L("reasons"), NULL);
    report_block_t *t = table(d, RB_LIST, 1);
    for (size_t i = 0; i < q->nreasons; i++) {
        const qc_reason_t *x = &q->reasons[i];
        int st = x->severity == QC_SEV_FAIL ? RS_BAD : x->severity == QC_SEV_DRIVE_CYCLE ? RS_WARN : RS_OK;
        row(t, st, r->lang == OBD_LANG_ZH ? x->zh : x->en);
    }

    /* the scans compared */
    blk(d, RB_H3, 0, L("scans_compared"), NULL);
    report_block_t *kv = table(d, RB_KV, 2);
    int idx[2] = { r->pre_index, r->post_index };
    const char *lab[2] = { L("pre"), L("post") };
    for (int k = 0; k < 2; k++) {
        char v[256], tm[40];
        if (idx[k] < 0) {
            row(kv, RS_WARN, lab[k], "-");
            continue;
        }
        const store_scan_meta_t *m = &r->scans[idx[k]].meta;
        report_time_text(m->started_ms, tm, sizeof tm);
        snprintf(v, sizeof v, "#%lld · %s · %s%s%s", (long long)m->id, tm, report_stage_name(m->stage, r->lang),
                 m->technician[0] ? " · " : "", m->technician);
        row(kv, 0, lab[k], v);
    }

    /* comparison per ECU and code */
    blk(d, RB_H3, 0, L("comparison"), NULL);
    report_block_t *c = table(d, RB_TABLE, 6);
    row(c, 0, L("ecu"), L("dtc"), L("kind"), L("pre"), L("post"), L("result"));
    const obd_scan_t *post = r->scans[r->post_index].scan;
    char wmi[4];
    const char *w = report__scan_wmi(post, wmi);
    for (size_t i = 0; i < q->necus; i++) {
        const qc_ecu_t *e = &q->ecus[i];
        char ecu[48];
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        int est = e->lost || e->unread_post || e->unreadable_post ? RS_BAD : 0;
        row(c, est, ecu, "", L("answered"), e->answered_pre ? L("yes") : L("no"),
            e->answered_post ? L("yes") : L("no_answer"),
            e->lost              ? TR("lost", "丢失")
            : e->unread_post     ? L("dtc_read_failed")
            : e->unreadable_post ? TR("reply not decodable", "应答无法解析")
                                 : "OK");
        for (size_t k = 0; k < q->ndtcs; k++) {
            const qc_dtc_t *x = &q->dtcs[k];
            if (x->ecu != e->addr)
                continue;
            char code[OBD_DTC_TEXT_LEN], desc[DTCDB_DESC_MAX], cell[DTCDB_DESC_MAX + 16];
            obd_dtc_format(x->code, code);
            report__dtc_desc(r, x->code, w, desc, sizeof desc, NULL, 0);
            snprintf(cell, sizeof cell, "%s%s%s", code, desc[0] ? " " : "", desc);
            bool pre = x->change != QC_DTC_NEW, postp = x->change != QC_DTC_RESOLVED;
            int st = x->change == QC_DTC_RESOLVED ? RS_OK : x->kind == QC_KIND_PERMANENT ? RS_WARN : RS_BAD;
            row(c, st, "", cell, qc_kind_name((qc_kind_t)x->kind, r->lang), pre ? L("present") : L("absent"),
                postp ? L("present") : L("absent"), qc_change_name((qc_change_t)x->change, r->lang));
        }
        if (e->monitors_incomplete > 0) {
            char names[320] = "";
            for (int m = 0; m < OBD_MON_COUNT; m++)
                if (e->incomplete_mask & (1u << m)) {
                    size_t l = strlen(names);
                    snprintf(names + l, sizeof names - l, "%s%s", l ? TR(", ", "、") : "",
                             obd_monitor_name((obd_monitor_t)m, r->lang));
                }
            row(c, RS_WARN, "", names, L("readiness"), "", L("incomplete"), TR("drive cycle needed", "需完成驾驶循环"));
        }
    }
    doc_qc_uds(r, d);
}

static void doc_signoff(const report_t *r, report_doc_t *d)
{
    blk(d, RB_H2, 0, L("signoff"), NULL);
    report_block_t *b = table(d, RB_SIGNOFF, 2);
    const report_signoff_t *s = &r->signoff;
    if (!s->present) {
        row(b, RS_WARN, L("inspector"), L("not_signed"));
        row(b, 0, L("signed_at"), "");
        return;
    }
    char tm[40];
    report_time_text(s->signed_ms, tm, sizeof tm);
    row(b, 0, L("inspector"), s->inspector);
    row(b, 0, L("signed_at"), tm);
    if (s->sha256[0]) {
        char v[200];
        snprintf(v, sizeof v, "%s (%s)", s->sha256, s->verified ? L("verified") : L("not_verified"));
        row(b, s->verified ? RS_OK : RS_BAD, L("sha256"), v);
    } else {
        row(b, RS_MUTED, L("sha256"), L("sha_pending"));
    }
    if (b)
        b->text = dupstr(L("signature"));
}

/* One scan in full under its own heading (stage, date, technician). */
static void doc_scan_in_full(const report_t *r, report_doc_t *d, const report_scan_t *ps, const char *key)
{
    char head[200], tm[40];
    report_time_text(ps->meta.started_ms, tm, sizeof tm);
    snprintf(head, sizeof head, "%s · %s · %s%s%s", L(key), report_stage_name(ps->meta.stage, r->lang), tm,
             ps->meta.technician[0] ? " · " : "", ps->meta.technician);
    blk(d, RB_H2, 0, head, NULL);
    size_t from = d->n;
    report__doc_ecus(r, d, ps);
    report__doc_dtcs(r, d, ps);
    doc_freeze(r, d, ps);
    doc_readiness(r, d, ps);
    doc_mode06(r, d, ps);
    for (size_t i = from; i < d->n; i++)
        if (d->b[i].kind == RB_H2)
            d->b[i].kind = RB_H3;
}

int report_doc_build(const report_t *r, report_doc_t *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->lang, sizeof d->lang, "%s", obd_lang_code(r->lang));
    doc_header(r, d);
    doc_vehicle(r, d);
    const report_scan_t *ps = report_primary(r);
    if (r->kind == REPORT_QC) {
        doc_qc(r, d);
        if (ps) {
            report__doc_ecus(r, d, ps);
            doc_readiness(r, d, ps);
        }
        doc_modules(r, d);
        doc_findings(r, d);
        doc_live(r, d);
        doc_steps(r, d);
        doc_signoff(r, d);
    } else {
        doc_scans(r, d);
        int pre, post;
        if (full_pair(r, &pre, &post)) {
            /* the estimate needs both: what the car came in with and how it
             * leaves; each scan's sections become sub-headings under it */
            doc_scan_in_full(r, d, &r->scans[pre], "full_pre");
            doc_scan_in_full(r, d, &r->scans[post], "full_post");
        } else if (ps) {
            report__doc_ecus(r, d, ps);
            report__doc_dtcs(r, d, ps);
            doc_freeze(r, d, ps);
            doc_readiness(r, d, ps);
            doc_mode06(r, d, ps);
        }
        doc_modules(r, d);
        doc_findings(r, d);
        doc_live(r, d);
        doc_steps(r, d);
    }
    blk(d, RB_PARA, RS_MUTED, L("footer"), NULL);
    return OBD_OK;
}
