/*
 * qc.c — pre/post repair comparison and the QC verdict (see qc.h for the
 * rules). Reasons are generated in a fixed order — everything that fails the
 * car first, then what waits for a drive cycle, then the good news — so the
 * first reason is always the one a QC inspector needs to read.
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/qc.h"
#include "obdgw/scan_text.h"

/* ---- names ---------------------------------------------------------------- */

const char *qc_verdict_key(qc_verdict_t v)
{
    switch (v) {
    case QC_PASS:
        return "pass";
    case QC_PASS_PENDING_DRIVE_CYCLE:
        return "pass_pending_drive_cycle";
    case QC_FAIL:
        return "fail";
    }
    return "fail";
}

const char *qc_verdict_name(qc_verdict_t v, obd_lang_t lang)
{
    switch (v) {
    case QC_PASS:
        return obd_tr(lang, "PASS", "合格");
    case QC_PASS_PENDING_DRIVE_CYCLE:
        return obd_tr(lang, "PASS - drive cycle pending", "合格（待完成驾驶循环）");
    case QC_FAIL:
        return obd_tr(lang, "FAIL", "不合格");
    }
    return obd_tr(lang, "FAIL", "不合格");
}

const char *qc_kind_key(qc_kind_t k)
{
    static const char *const keys[] = { "stored", "pending", "permanent" };
    return (unsigned)k < 3 ? keys[k] : "stored";
}

const char *qc_kind_name(qc_kind_t k, obd_lang_t lang)
{
    switch (k) {
    case QC_KIND_STORED:
        return obd_tr(lang, "confirmed", "已确认");
    case QC_KIND_PENDING:
        return obd_tr(lang, "pending", "待定");
    case QC_KIND_PERMANENT:
        return obd_tr(lang, "permanent", "永久");
    }
    return "";
}

const char *qc_change_key(qc_change_t c)
{
    static const char *const keys[] = { "resolved", "persisting", "new" };
    return (unsigned)c < 3 ? keys[c] : "new";
}

const char *qc_change_name(qc_change_t c, obd_lang_t lang)
{
    switch (c) {
    case QC_DTC_RESOLVED:
        return obd_tr(lang, "resolved", "已消除");
    case QC_DTC_PERSISTING:
        return obd_tr(lang, "still present", "仍存在");
    case QC_DTC_NEW:
        return obd_tr(lang, "new since repair", "维修后新出现");
    }
    return "";
}

const char *qc_severity_key(qc_severity_t s)
{
    static const char *const keys[] = { "info", "drive_cycle", "fail" };
    return (unsigned)s < 3 ? keys[s] : "info";
}

void qc_addr_text(uint32_t a, char *out, size_t cap)
{
    snprintf(out, cap, a > 0xFFF ? "%08X" : a > 0xFF ? "%03X" : "%02X", (unsigned)a);
}

const char *qc_ecu_text(uint32_t addr, obd_lang_t lang, char *out, size_t cap)
{
    char a[12];
    qc_addr_text(addr, a, sizeof a);
    if (lang != OBD_LANG_ZH) {
        snprintf(out, cap, "ECU %s", a);
        return out;
    }
    const char *what = "控制单元";
    /* Standard OBD responders: engine at 7E8 / 18DAF110 / legacy 10,
     * transmission at 7E9 / 18DAF118 / legacy 18. */
    if (addr == 0x7E8 || addr == 0x18DAF110 || addr == 0x10)
        what = "发动机控制单元";
    else if (addr == 0x7E9 || addr == 0x18DAF118 || addr == 0x18)
        what = "变速箱控制单元";
    snprintf(out, cap, "%s %s", what, a);
    return out;
}

bool qc_ecu_answered(const obd_ecu_scan_t *e)
{
    if (!e)
        return false;
    if (e->stored.read || e->pending.read || e->permanent.read || e->has_readiness || e->has_ff)
        return true;
    /* a reply arrived (also unreadable or negative) to a DTC read or another service */
    const obd_dtc_set_t *sets[3] = { &e->stored, &e->pending, &e->permanent };
    for (int k = 0; k < 3; k++) {
        obd_read_state_t st = obd_dtc_set_state(sets[k]);
        if (st != OBD_READ_NO_ANSWER && st != OBD_READ_NOT_ASKED)
            return true;
    }
    for (size_t i = 1; i <= OBD_ADDR_SVC_MAX; i++)
        if (e->addressing[i] == OBD_ADDR_FUNCTIONAL || e->addressing[i] == OBD_ADDR_PHYSICAL ||
            e->addressing[i] == OBD_ADDR_NRC)
            return true;
    for (size_t i = 0; i < sizeof e->pids.bits; i++)
        if (e->pids.bits[i])
            return true;
    return false;
}

/* ---- comparison ----------------------------------------------------------- */

static const obd_ecu_scan_t *find_ecu(const obd_scan_t *s, uint32_t addr)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < s->necus && i < OBD_SCAN_MAX_ECUS; i++)
        if (s->ecus[i].addr == addr)
            return &s->ecus[i];
    return NULL;
}

static const obd_dtc_set_t *set_of(const obd_ecu_scan_t *e, int kind)
{
    return kind == QC_KIND_STORED ? &e->stored : kind == QC_KIND_PENDING ? &e->pending : &e->permanent;
}

/* A list we can trust to say what is (and is not) there: ok, or decoded
 * with a named deviation. */
static bool set_usable(const obd_dtc_set_t *s)
{
    return obd_read_usable((uint8_t)obd_dtc_set_state(s));
}

/* After the repair, does this list leave the codes unconfirmed? No answer
 * to any list; the stored list refused or not supported; the pending list
 * refused. (An unreadable reply is its own reason.) */
static bool set_unread(int kind, obd_read_state_t st)
{
    if (st == OBD_READ_NO_ANSWER)
        return true;
    if (kind == QC_KIND_STORED)
        return st == OBD_READ_UNSUPPORTED || st == OBD_READ_REFUSED;
    if (kind == QC_KIND_PENDING)
        return st == OBD_READ_REFUSED;
    return false;
}

static bool set_has(const obd_dtc_set_t *s, obd_dtc_t code, size_t before)
{
    size_t n = s->count < OBD_MAX_DTCS ? s->count : OBD_MAX_DTCS;
    if (before < n)
        n = before;
    for (size_t i = 0; i < n; i++)
        if (s->dtcs[i] == code)
            return true;
    return false;
}

static size_t set_count(const obd_dtc_set_t *s)
{
    return s->count < OBD_MAX_DTCS ? s->count : OBD_MAX_DTCS;
}

static void add_ecu(qc_result_t *r, uint32_t addr, const char *name)
{
    for (size_t i = 0; i < r->necus; i++)
        if (r->ecus[i].addr == addr) {
            if (!r->ecus[i].name[0] && name && name[0])
                snprintf(r->ecus[i].name, sizeof r->ecus[i].name, "%s", name);
            return;
        }
    if (r->necus >= QC_MAX_ECUS)
        return;
    qc_ecu_t *e = &r->ecus[r->necus++];
    memset(e, 0, sizeof *e);
    e->addr = addr;
    e->monitors_supported = -1;
    if (name)
        snprintf(e->name, sizeof e->name, "%s", name);
}

static void add_dtc(qc_result_t *r, uint32_t ecu, obd_dtc_t code, int kind, qc_change_t change)
{
    switch (change) {
    case QC_DTC_RESOLVED:
        r->resolved++;
        break;
    case QC_DTC_PERSISTING:
        if (kind == QC_KIND_PERMANENT)
            r->permanent_after++;
        else
            r->persisting++;
        break;
    case QC_DTC_NEW:
        if (kind == QC_KIND_PERMANENT)
            r->permanent_after++;
        else
            r->new_after++;
        break;
    }
    if (r->ndtcs >= QC_MAX_DTCS) {
        r->truncated = true;
        return;
    }
    qc_dtc_t *d = &r->dtcs[r->ndtcs++];
    d->ecu = ecu;
    d->code = code;
    d->kind = (uint8_t)kind;
    d->change = (uint8_t)change;
}

static void compare_kind(qc_result_t *r, uint32_t addr, const obd_ecu_scan_t *pre, const obd_ecu_scan_t *post,
                         int kind)
{
    const obd_dtc_set_t *sp = pre ? set_of(pre, kind) : NULL;
    const obd_dtc_set_t *sq = post ? set_of(post, kind) : NULL;
    if (sp && !set_usable(sp))
        sp = NULL;
    if (sq && !set_usable(sq))
        sq = NULL;
    if (!sq)
        return; /* nothing known after the repair: the ECU is lost or unread (reported as such) */
    if (kind != QC_KIND_PERMANENT && sp) {
        for (size_t i = 0; i < set_count(sp); i++) {
            obd_dtc_t c = sp->dtcs[i];
            if (set_has(sp, c, i))
                continue; /* listed twice */
            add_dtc(r, addr, c, kind, set_has(sq, c, SIZE_MAX) ? QC_DTC_PERSISTING : QC_DTC_RESOLVED);
        }
    }
    for (size_t i = 0; i < set_count(sq); i++) {
        obd_dtc_t c = sq->dtcs[i];
        if (set_has(sq, c, i))
            continue;
        bool before = sp && set_has(sp, c, SIZE_MAX);
        if (kind == QC_KIND_PERMANENT)
            add_dtc(r, addr, c, kind, before ? QC_DTC_PERSISTING : QC_DTC_NEW);
        else if (!before)
            add_dtc(r, addr, c, kind, QC_DTC_NEW);
    }
}

/* ---- reasons -------------------------------------------------------------- */

typedef struct {
    qc_result_t *r;
    dtcdb_t *db;
    const char *wmi;
} ctx_t;

static qc_reason_t *new_reason(ctx_t *c, qc_severity_t sev, const char *key, uint32_t ecu, obd_dtc_t code,
                               int kind)
{
    qc_result_t *r = c->r;
    if (r->nreasons >= QC_MAX_REASONS) {
        r->truncated = true;
        return NULL;
    }
    qc_reason_t *q = &r->reasons[r->nreasons++];
    memset(q, 0, sizeof *q);
    q->severity = (uint8_t)sev;
    snprintf(q->key, sizeof q->key, "%s", key);
    q->ecu = ecu;
    q->code = code;
    q->kind = (uint8_t)kind;
    return q;
}

/* "P0301 Cylinder 1 Misfire Detected" / "P0301（第1缸检测到失火）", or the code alone. */
static void dtc_phrase(ctx_t *c, obd_dtc_t code, obd_lang_t lang, char *out, size_t cap)
{
    char t[OBD_DTC_TEXT_LEN];
    obd_dtc_format(code, t);
    dtcdb_entry_t e;
    if (c->db && dtcdb_lookup(c->db, code, c->wmi, lang, &e) == OBD_OK && e.found && e.desc[0]) {
        if (lang == OBD_LANG_ZH)
            snprintf(out, cap, "%s（%s）", t, e.desc);
        else
            snprintf(out, cap, "%s %s", t, e.desc);
    } else {
        snprintf(out, cap, "%s", t);
    }
}

static void dtc_reason(ctx_t *c, const qc_dtc_t *d)
{
    qc_severity_t sev = QC_SEV_FAIL;
    const char *key = "dtc_persisting";
    if (d->kind == QC_KIND_PERMANENT) {
        sev = QC_SEV_DRIVE_CYCLE;
        key = "permanent";
    } else if (d->change == QC_DTC_RESOLVED) {
        sev = QC_SEV_INFO;
        key = "dtc_resolved";
    } else if (d->change == QC_DTC_NEW) {
        key = "dtc_new";
    }
    qc_reason_t *q = new_reason(c, sev, key, d->ecu, d->code, d->kind);
    if (!q)
        return;
    char de[DTCDB_DESC_MAX + 16], dz[DTCDB_DESC_MAX + 16], ee[48], ez[48];
    dtc_phrase(c, d->code, OBD_LANG_EN, de, sizeof de);
    dtc_phrase(c, d->code, OBD_LANG_ZH, dz, sizeof dz);
    qc_ecu_text(d->ecu, OBD_LANG_EN, ee, sizeof ee);
    qc_ecu_text(d->ecu, OBD_LANG_ZH, ez, sizeof ez);
    bool pending = d->kind == QC_KIND_PENDING;
    if (d->kind == QC_KIND_PERMANENT) {
        snprintf(q->en, sizeof q->en,
                 "%s is still a permanent DTC in %s: the ECU clears it itself after a drive cycle in which "
                 "the monitor passes",
                 de, ee);
        snprintf(q->zh, sizeof q->zh, "%s 仍有永久故障码 %s，需完成驾驶循环、监测通过后由控制单元自行清除", ez, dz);
    } else if (d->change == QC_DTC_PERSISTING) {
        snprintf(q->en, sizeof q->en, pending ? "%s still pending in %s" : "%s still stored in %s", de, ee);
        snprintf(q->zh, sizeof q->zh, pending ? "%s 仍有待定故障码 %s" : "%s 仍存有故障码 %s", ez, dz);
    } else if (d->change == QC_DTC_NEW) {
        snprintf(q->en, sizeof q->en,
                 pending ? "%s pending in %s since the repair (new code)" : "%s stored in %s since the repair (new code)",
                 de, ee);
        snprintf(q->zh, sizeof q->zh, pending ? "维修后%s 出现新的待定故障码 %s" : "维修后%s 新存入故障码 %s", ez,
                 dz);
    } else {
        snprintf(q->en, sizeof q->en,
                 pending ? "%s was pending in %s before the repair and is gone"
                         : "%s was stored in %s before the repair and is gone",
                 de, ee);
        snprintf(q->zh, sizeof q->zh, pending ? "%s 维修前的待定故障码 %s，现已消除" : "%s 维修前存有的故障码 %s，现已消除",
                 ez, dz);
    }
}

static void ecu_reason(ctx_t *c, qc_severity_t sev, const char *key, uint32_t addr, const char *en_fmt,
                       const char *zh_fmt)
{
    qc_reason_t *q = new_reason(c, sev, key, addr, 0, 0);
    if (!q)
        return;
    char ee[48], ez[48];
    qc_ecu_text(addr, OBD_LANG_EN, ee, sizeof ee);
    qc_ecu_text(addr, OBD_LANG_ZH, ez, sizeof ez);
    /* The formats are the fixed sentences below, each with exactly one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(q->en, sizeof q->en, en_fmt, ee);
    snprintf(q->zh, sizeof q->zh, zh_fmt, ez);
#pragma GCC diagnostic pop
}

static void monitors_reason(ctx_t *c, const qc_ecu_t *e)
{
    qc_reason_t *q = new_reason(c, QC_SEV_DRIVE_CYCLE, "monitors_incomplete", e->addr, 0, 0);
    if (!q)
        return;
    char ne[256] = "", nz[256] = "", ee[48], ez[48];
    for (int m = 0; m < OBD_MON_COUNT; m++) {
        if (!(e->incomplete_mask & (1u << m)))
            continue;
        size_t le = strlen(ne), lz = strlen(nz);
        snprintf(ne + le, sizeof ne - le, "%s%s", le ? ", " : "", obd_monitor_name((obd_monitor_t)m, OBD_LANG_EN));
        snprintf(nz + lz, sizeof nz - lz, "%s%s", lz ? "、" : "", obd_monitor_name((obd_monitor_t)m, OBD_LANG_ZH));
    }
    qc_ecu_text(e->addr, OBD_LANG_EN, ee, sizeof ee);
    qc_ecu_text(e->addr, OBD_LANG_ZH, ez, sizeof ez);
    snprintf(q->en, sizeof q->en, "Readiness monitors not complete in %s (a drive cycle is needed): %s", ee, ne);
    snprintf(q->zh, sizeof q->zh, "%s 以下就绪监测未完成（需完成驾驶循环）：%s", ez, nz);
}

/* "confirmed: no answer; pending: refused (NRC 0x22)" in one language. */
static void unread_list(const qc_ecu_t *e, const obd_ecu_scan_t *eq, obd_lang_t lang, char *out, size_t cap)
{
    out[0] = 0;
    for (int k = 0; k < 3; k++) {
        if (!set_unread(k, (obd_read_state_t)e->read_post[k]))
            continue;
        char st[160];
        obd_dtc_set_state_text(set_of(eq, k), lang, st, sizeof st);
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s%s%s", l ? obd_tr(lang, "; ", "；") : "", qc_kind_name((qc_kind_t)k, lang),
                 obd_tr(lang, ": ", "："), st);
    }
}

/* An ECU that answered the scan but not (or only "no") to a DTC read: the
 * lists and what became of each, and that no answer is not "no codes". */
static void unread_reason(ctx_t *c, const qc_ecu_t *e, const obd_ecu_scan_t *eq)
{
    qc_reason_t *q = new_reason(c, QC_SEV_FAIL, "dtc_unread", e->addr, 0, 0);
    if (!q || !eq)
        return;
    bool silent = false;
    for (int k = 0; k < 3; k++)
        silent |= e->read_post[k] == OBD_READ_NO_ANSWER;
    char ee[48], ez[48], le[240], lz[240];
    qc_ecu_text(e->addr, OBD_LANG_EN, ee, sizeof ee);
    qc_ecu_text(e->addr, OBD_LANG_ZH, ez, sizeof ez);
    unread_list(e, eq, OBD_LANG_EN, le, sizeof le);
    unread_list(e, eq, OBD_LANG_ZH, lz, sizeof lz);
    snprintf(q->en, sizeof q->en, "The DTCs of %s could not be read after the repair (%s), so they cannot be confirmed gone%s",
             ee, le, silent ? ": the read got no answer, and no answer is not \"no codes\"" : "");
    snprintf(q->zh, sizeof q->zh, "维修后无法读取%s 的故障码（%s），无法确认故障已排除%s", ez, lz,
             silent ? "：读取无应答，无应答不等于无故障码" : "");
}

/* A reply to a DTC read that arrived after the repair but does not decode:
 * one reason per list, quoting the bytes. */
static void unreadable_reasons(ctx_t *c, const qc_ecu_t *e, const obd_ecu_scan_t *eq)
{
    if (!eq)
        return;
    for (int k = 0; k < 3; k++) {
        if (e->read_post[k] != OBD_READ_UNREADABLE)
            continue;
        qc_reason_t *q = new_reason(c, QC_SEV_FAIL, "dtc_unreadable", e->addr, 0, k);
        if (!q)
            return;
        char ee[48], ez[48], hex[3 * OBD_READ_RAW_MAX + 8];
        qc_ecu_text(e->addr, OBD_LANG_EN, ee, sizeof ee);
        qc_ecu_text(e->addr, OBD_LANG_ZH, ez, sizeof ez);
        obd_read_raw_text(set_of(eq, k), true, hex, sizeof hex);
        snprintf(q->en, sizeof q->en,
                 "The reply of %s to the %s DTC read after the repair arrived but could not be decoded (%s), so "
                 "the codes in it cannot be confirmed gone",
                 ee, qc_kind_name((qc_kind_t)k, OBD_LANG_EN), hex[0] ? hex : "no bytes kept");
        snprintf(q->zh, sizeof q->zh, "维修后%s 对%s故障码读取有应答，但无法解析（%s），无法确认故障已排除", ez,
                 qc_kind_name((qc_kind_t)k, OBD_LANG_ZH), hex[0] ? hex : "未保留字节");
    }
}

/* A DTC list decoded although its reply deviated from the standard: named
 * (info; the codes count as read). */
static void deviation_reasons(ctx_t *c, const qc_ecu_t *e, const obd_ecu_scan_t *eq)
{
    if (!eq || !e->answered_post)
        return;
    for (int k = 0; k < 3; k++) {
        if (e->read_post[k] != OBD_READ_DEVIATION)
            continue;
        const obd_dtc_set_t *set = set_of(eq, k);
        qc_reason_t *q = new_reason(c, QC_SEV_INFO, "dtc_deviation", e->addr, 0, k);
        if (!q)
            return;
        char dv[sizeof set->deviation + 1], de[200], dz[240], ee[48], ez[48];
        memcpy(dv, set->deviation, sizeof set->deviation);
        dv[sizeof set->deviation] = 0;
        obd_deviation_text(dv, OBD_LANG_EN, de, sizeof de);
        obd_deviation_text(dv, OBD_LANG_ZH, dz, sizeof dz);
        qc_ecu_text(e->addr, OBD_LANG_EN, ee, sizeof ee);
        qc_ecu_text(e->addr, OBD_LANG_ZH, ez, sizeof ez);
        snprintf(q->en, sizeof q->en,
                 "The %s DTC reply of %s after the repair deviated from the standard and was decoded: %s",
                 qc_kind_name((qc_kind_t)k, OBD_LANG_EN), ee, dv[0] ? de : "deviation not named");
        snprintf(q->zh, sizeof q->zh, "维修后%s 的%s故障码应答不完全符合标准，已解码：%s", ez,
                 qc_kind_name((qc_kind_t)k, OBD_LANG_ZH), dv[0] ? dz : "未说明偏差");
    }
}

int qc_compare(const obd_scan_t *pre, const obd_scan_t *post, dtcdb_t *db, qc_result_t *out)
{
    if (!post || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    qc_result_t *r = out;
    r->has_pre = pre != NULL;

    /* ECUs: every address either scan knows, in address order. */
    if (pre)
        for (size_t i = 0; i < pre->necus && i < OBD_SCAN_MAX_ECUS; i++)
            add_ecu(r, pre->ecus[i].addr, pre->ecus[i].name);
    for (size_t i = 0; i < post->necus && i < OBD_SCAN_MAX_ECUS; i++)
        add_ecu(r, post->ecus[i].addr, post->ecus[i].name);
    for (size_t i = 1; i < r->necus; i++)
        for (size_t j = i; j > 0 && r->ecus[j - 1].addr > r->ecus[j].addr; j--) {
            qc_ecu_t t = r->ecus[j];
            r->ecus[j] = r->ecus[j - 1];
            r->ecus[j - 1] = t;
        }

    r->mil_post = post->mil_on;
    for (size_t i = 0; i < r->necus; i++) {
        qc_ecu_t *e = &r->ecus[i];
        const obd_ecu_scan_t *ep = find_ecu(pre, e->addr), *eq = find_ecu(post, e->addr);
        e->answered_pre = qc_ecu_answered(ep);
        e->answered_post = qc_ecu_answered(eq);
        e->lost = e->answered_pre && !e->answered_post;
        if (e->lost)
            r->ecus_lost++;
        if (!e->answered_post)
            continue;
        for (int k = 0; k < 3; k++) {
            obd_read_state_t st = obd_dtc_set_state(set_of(eq, k));
            e->read_post[k] = (uint8_t)st;
            if (set_unread(k, st))
                e->unread_post = true;
            if (st == OBD_READ_UNREADABLE)
                e->unreadable_post = true;
        }
        if (eq->has_readiness) {
            e->mil_post = eq->readiness.mil_on;
            if (e->mil_post)
                r->mil_post = true;
            int sup = 0, inc = 0;
            for (int m = 0; m < OBD_MON_COUNT; m++) {
                if (!eq->readiness.mon[m].supported)
                    continue;
                sup++;
                if (!eq->readiness.mon[m].complete) {
                    inc++;
                    e->incomplete_mask |= 1u << m;
                }
            }
            e->monitors_supported = sup;
            e->monitors_incomplete = inc;
            r->monitors_incomplete += inc;
        }
        const obd_ecu_scan_t *pre_e = e->answered_pre ? ep : NULL;
        for (int k = 0; k < 3; k++)
            compare_kind(r, e->addr, pre_e, eq, k);
    }

    /* Unknown is not off: with no ECU answering PID 01 after the repair
     * (scans before the flag existed: no readiness anywhere) the MIL is unknown. */
    r->mil_unknown = !obd_scan_status_known(post) && !r->mil_post;

    /* Verdict. */
    bool fail = r->mil_post || r->mil_unknown || r->ecus_lost > 0 || r->persisting > 0 || r->new_after > 0;
    int unread = 0;
    for (size_t i = 0; i < r->necus; i++)
        if (r->ecus[i].unread_post || r->ecus[i].unreadable_post)
            unread++;
    if (unread)
        fail = true;
    if (fail)
        r->verdict = QC_FAIL;
    else if (r->permanent_after > 0 || r->monitors_incomplete > 0)
        r->verdict = QC_PASS_PENDING_DRIVE_CYCLE;
    else
        r->verdict = QC_PASS;

    /* Reasons, most serious first. */
    char wmi[4] = "";
    ctx_t c = { r, db, NULL };
    if (strlen(post->vin) >= 3) {
        memcpy(wmi, post->vin, 3);
        c.wmi = wmi;
    }
    if (r->mil_post) {
        qc_reason_t *q = new_reason(&c, QC_SEV_FAIL, "mil_on", 0, 0, 0);
        if (q) {
            snprintf(q->en, sizeof q->en, "The MIL (check engine light) is still on after the repair");
            snprintf(q->zh, sizeof q->zh, "维修后故障指示灯（发动机故障灯）仍点亮");
        }
    }
    for (size_t i = 0; i < r->necus; i++)
        if (r->ecus[i].lost)
            ecu_reason(&c, QC_SEV_FAIL, "ecu_lost", r->ecus[i].addr, "%s answered before the repair but not after it",
                       "%s 维修前有响应，维修后无响应");
    if (r->mil_unknown) {
        qc_reason_t *q = new_reason(&c, QC_SEV_FAIL, "mil_unknown", 0, 0, 0);
        if (q) {
            snprintf(q->en, sizeof q->en,
                     "No ECU reported the MIL state (PID 01) after the repair, so the MIL cannot be confirmed off");
            snprintf(q->zh, sizeof q->zh, "维修后没有控制单元报告故障灯状态（PID 01），无法确认故障灯已熄灭");
        }
    }
    for (size_t i = 0; i < r->necus; i++)
        if (r->ecus[i].unread_post)
            unread_reason(&c, &r->ecus[i], find_ecu(post, r->ecus[i].addr));
    for (size_t i = 0; i < r->necus; i++)
        if (r->ecus[i].unreadable_post)
            unreadable_reasons(&c, &r->ecus[i], find_ecu(post, r->ecus[i].addr));
    for (int pass = 0; pass < 4; pass++) {
        for (size_t i = 0; i < r->ndtcs; i++) {
            const qc_dtc_t *d = &r->dtcs[i];
            bool perm = d->kind == QC_KIND_PERMANENT;
            if ((pass == 0 && !perm && d->change == QC_DTC_PERSISTING) ||
                (pass == 1 && !perm && d->change == QC_DTC_NEW) || (pass == 2 && perm) ||
                (pass == 3 && d->change == QC_DTC_RESOLVED))
                dtc_reason(&c, d);
        }
        if (pass == 2)
            for (size_t i = 0; i < r->necus; i++)
                if (r->ecus[i].monitors_incomplete > 0)
                    monitors_reason(&c, &r->ecus[i]);
    }
    for (size_t i = 0; i < r->necus; i++)
        deviation_reasons(&c, &r->ecus[i], find_ecu(post, r->ecus[i].addr));
    if (r->verdict != QC_FAIL) {
        qc_reason_t *q = new_reason(&c, QC_SEV_INFO, "all_clear", 0, 0, 0);
        if (q) {
            int n = 0;
            for (size_t i = 0; i < r->necus; i++)
                n += r->ecus[i].answered_post;
            bool mons = r->monitors_incomplete == 0;
            snprintf(q->en, sizeof q->en,
                     "No stored or pending DTCs after the repair, MIL off, all %d ECUs answered%s", n,
                     mons ? ", all readiness monitors complete" : "");
            snprintf(q->zh, sizeof q->zh, "维修后无已存及待定故障码，故障灯熄灭，%d 个控制单元均有响应%s", n,
                     mons ? "，就绪监测全部完成" : "");
        }
    }
    if (!pre) {
        qc_reason_t *q = new_reason(&c, QC_SEV_INFO, "no_pre_scan", 0, 0, 0);
        if (q) {
            snprintf(q->en, sizeof q->en,
                     "There is no pre-repair scan: every DTC found after the repair counts as new");
            snprintf(q->zh, sizeof q->zh, "无维修前扫描记录：维修后读到的故障码均按新出现计");
        }
    }
    return OBD_OK;
}

/* ---- JSON ----------------------------------------------------------------- */

cJSON *qc_json(const qc_result_t *r, obd_lang_t lang)
{
    if (!r)
        return NULL;
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON_AddStringToObject(j, "schema", "obdgw.qc/1");
    cJSON_AddStringToObject(j, "verdict", qc_verdict_key(r->verdict));
    cJSON_AddStringToObject(j, "verdict_name", qc_verdict_name(r->verdict, lang));
    cJSON_AddBoolToObject(j, "has_pre_scan", r->has_pre);
    if (r->mil_unknown)
        cJSON_AddNullToObject(j, "mil_on");
    else
        cJSON_AddBoolToObject(j, "mil_on", r->mil_post);
    cJSON *cn = cJSON_AddObjectToObject(j, "counts");
    cJSON_AddNumberToObject(cn, "resolved", r->resolved);
    cJSON_AddNumberToObject(cn, "persisting", r->persisting);
    cJSON_AddNumberToObject(cn, "new", r->new_after);
    cJSON_AddNumberToObject(cn, "permanent", r->permanent_after);
    cJSON_AddNumberToObject(cn, "monitors_incomplete", r->monitors_incomplete);
    cJSON_AddNumberToObject(cn, "ecus_lost", r->ecus_lost);

    cJSON *ea = cJSON_AddArrayToObject(j, "ecus");
    for (size_t i = 0; i < r->necus; i++) {
        const qc_ecu_t *e = &r->ecus[i];
        cJSON *o = cJSON_CreateObject();
        char a[12], nm[48];
        qc_addr_text(e->addr, a, sizeof a);
        cJSON_AddStringToObject(o, "address", a);
        cJSON_AddStringToObject(o, "name", e->name);
        cJSON_AddStringToObject(o, "label", qc_ecu_text(e->addr, lang, nm, sizeof nm));
        cJSON_AddBoolToObject(o, "answered_pre", e->answered_pre);
        cJSON_AddBoolToObject(o, "answered_post", e->answered_post);
        cJSON_AddBoolToObject(o, "lost", e->lost);
        cJSON_AddBoolToObject(o, "dtcs_unread", e->unread_post);
        cJSON_AddBoolToObject(o, "dtcs_unreadable", e->unreadable_post);
        cJSON *rp = cJSON_AddObjectToObject(o, "dtc_reads_post");
        for (int k = 0; k < 3; k++) {
            if (e->answered_post)
                cJSON_AddStringToObject(rp, qc_kind_key((qc_kind_t)k),
                                        obd_read_state_key((obd_read_state_t)e->read_post[k]));
            else
                cJSON_AddNullToObject(rp, qc_kind_key((qc_kind_t)k));
        }
        cJSON_AddBoolToObject(o, "mil_on", e->mil_post);
        if (e->monitors_supported >= 0)
            cJSON_AddNumberToObject(o, "monitors_supported", e->monitors_supported);
        else
            cJSON_AddNullToObject(o, "monitors_supported");
        cJSON *mi = cJSON_AddArrayToObject(o, "monitors_incomplete");
        for (int m = 0; m < OBD_MON_COUNT; m++)
            if (e->incomplete_mask & (1u << m))
                cJSON_AddItemToArray(mi, cJSON_CreateString(obd_monitor_key((obd_monitor_t)m)));
        cJSON_AddItemToArray(ea, o);
    }

    cJSON *da = cJSON_AddArrayToObject(j, "dtcs");
    for (size_t i = 0; i < r->ndtcs; i++) {
        const qc_dtc_t *d = &r->dtcs[i];
        cJSON *o = cJSON_CreateObject();
        char a[12], t[OBD_DTC_TEXT_LEN];
        qc_addr_text(d->ecu, a, sizeof a);
        obd_dtc_format(d->code, t);
        cJSON_AddStringToObject(o, "ecu", a);
        cJSON_AddStringToObject(o, "code", t);
        cJSON_AddStringToObject(o, "kind", qc_kind_key((qc_kind_t)d->kind));
        cJSON_AddStringToObject(o, "change", qc_change_key((qc_change_t)d->change));
        cJSON_AddItemToArray(da, o);
    }

    cJSON *ra = cJSON_AddArrayToObject(j, "reasons");
    for (size_t i = 0; i < r->nreasons; i++) {
        const qc_reason_t *q = &r->reasons[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "severity", qc_severity_key((qc_severity_t)q->severity));
        cJSON_AddStringToObject(o, "key", q->key);
        if (q->ecu) {
            char a[12];
            qc_addr_text(q->ecu, a, sizeof a);
            cJSON_AddStringToObject(o, "ecu", a);
        } else {
            cJSON_AddNullToObject(o, "ecu");
        }
        if (!strncmp(q->key, "uds_dtc_", 8) && q->uds_code) {
            char t[UDS_DTC_TEXT_LEN];
            uds_dtc_format(q->uds_code, t);
            cJSON_AddStringToObject(o, "code", t);
        } else if (strcmp(q->key, "dtc_persisting") == 0 || strcmp(q->key, "dtc_new") == 0 ||
            strcmp(q->key, "dtc_resolved") == 0 || strcmp(q->key, "permanent") == 0) {
            char t[OBD_DTC_TEXT_LEN];
            obd_dtc_format(q->code, t);
            cJSON_AddStringToObject(o, "code", t);
        } else {
            cJSON_AddNullToObject(o, "code");
        }
        cJSON_AddStringToObject(o, "text", lang == OBD_LANG_ZH ? q->zh : q->en);
        cJSON_AddStringToObject(o, "en", q->en);
        cJSON_AddStringToObject(o, "zh", q->zh);
        cJSON_AddItemToArray(ra, o);
    }
    if (r->uds.present)
        cJSON_AddItemToObject(j, "uds", qc_uds_json(&r->uds, lang));
    cJSON_AddBoolToObject(j, "truncated", r->truncated);
    return j;
}
