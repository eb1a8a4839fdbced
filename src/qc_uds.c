/*
 * qc_uds.c — UDS full-system scans in the QC verdict (see qc_add_uds in
 * qc.h): per module and per confirmed DTC, pre-repair against post-repair,
 * and the modules whose codes could not be read. Pure: structs in, result
 * out; the reasons carry English and workshop Chinese like the OBD ones.
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/qc.h"

const char *qc_module_text(uint32_t tx_id, uint32_t rx_id, obd_lang_t lang, char *out, size_t cap)
{
    const char *name = uds_module_name(uds_module_key(tx_id, rx_id), lang);
    if (name)
        snprintf(out, cap, "%s %X/%X", name, (unsigned)tx_id, (unsigned)rx_id);
    else
        snprintf(out, cap, "%s %X/%X", obd_tr(lang, "module", "控制单元"), (unsigned)tx_id, (unsigned)rx_id);
    return out;
}

static const uds_module_t *find_mod(const uds_scan_t *s, uint32_t tx, uint32_t rx)
{
    for (size_t i = 0; s && i < s->nmodules; i++)
        if (s->modules[i].tx_id == tx && s->modules[i].rx_id == rx)
            return &s->modules[i];
    return NULL;
}

static bool answered(const uds_module_t *m) { return m && m->answered; }
static bool readable(const uds_module_t *m) { return answered(m) && m->state == UDS_MOD_OK && m->dtcs_read; }

static int dtc_status(const uds_module_t *m, uint32_t code)
{
    for (size_t i = 0; readable(m) && i < m->ndtcs; i++)
        if (m->dtcs[i].code == code)
            return m->dtcs[i].status;
    return -1;
}

static bool confirmed(int status) { return status >= 0 && (status & UDS_ST_CONFIRMED); }

static void add_module(qc_uds_t *u, const uds_module_t *m, bool *truncated)
{
    for (size_t i = 0; i < u->nmodules; i++)
        if (u->modules[i].tx_id == m->tx_id && u->modules[i].rx_id == m->rx_id)
            return;
    if (u->nmodules >= QC_MAX_UDS_MODULES) {
        *truncated = true;
        return;
    }
    qc_uds_module_t *q = &u->modules[u->nmodules++];
    memset(q, 0, sizeof *q);
    q->tx_id = m->tx_id;
    q->rx_id = m->rx_id;
}

static void add_dtc(qc_uds_t *u, uint32_t rx, uint32_t code, int before, int after, bool *truncated)
{
    for (size_t i = 0; i < u->ndtcs; i++)
        if (u->dtcs[i].rx_id == rx && u->dtcs[i].code == code)
            return;
    if (u->ndtcs >= QC_MAX_UDS_DTCS) {
        *truncated = true;
        return;
    }
    qc_uds_dtc_t *d = &u->dtcs[u->ndtcs++];
    d->rx_id = rx;
    d->code = code;
    d->status_pre = before;
    d->status_post = after;
    d->change = confirmed(before) && confirmed(after) ? QC_DTC_PERSISTING
                : confirmed(after)                    ? QC_DTC_NEW
                                                      : QC_DTC_RESOLVED;
}

static qc_reason_t *reason(qc_result_t *r, qc_severity_t sev, const char *key, uint32_t rx, uint32_t code)
{
    if (r->nreasons >= QC_MAX_REASONS) {
        r->truncated = true;
        return NULL;
    }
    qc_reason_t *q = &r->reasons[r->nreasons++];
    memset(q, 0, sizeof *q);
    q->severity = (uint8_t)sev;
    snprintf(q->key, sizeof q->key, "%s", key);
    q->ecu = rx;
    q->uds_code = code;
    return q;
}

static void module_reason(qc_result_t *r, const qc_uds_module_t *m, const char *key, const char *en_fmt,
                          const char *zh_fmt)
{
    qc_reason_t *q = reason(r, QC_SEV_FAIL, key, m->rx_id, 0);
    if (!q)
        return;
    char me[64], mz[64], nrc[96] = "";
    qc_module_text(m->tx_id, m->rx_id, OBD_LANG_EN, me, sizeof me);
    qc_module_text(m->tx_id, m->rx_id, OBD_LANG_ZH, mz, sizeof mz);
    if (m->nrc_post)
        snprintf(nrc, sizeof nrc, " (NRC %02X %s)", m->nrc_post, uds_nrc_key(m->nrc_post));
    /* The formats are the fixed sentences of qc_add_uds, each with two %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(q->en, sizeof q->en, en_fmt, me, nrc);
    snprintf(q->zh, sizeof q->zh, zh_fmt, mz, nrc);
#pragma GCC diagnostic pop
}

static void dtc_reason(qc_result_t *r, const qc_uds_dtc_t *d, const qc_uds_module_t *m)
{
    qc_severity_t sev = d->change == QC_DTC_RESOLVED ? QC_SEV_INFO : QC_SEV_FAIL;
    const char *key = d->change == QC_DTC_PERSISTING ? "uds_dtc_persisting"
                      : d->change == QC_DTC_NEW      ? "uds_dtc_new"
                                                     : "uds_dtc_resolved";
    qc_reason_t *q = reason(r, sev, key, d->rx_id, d->code);
    if (!q)
        return;
    char code[UDS_DTC_TEXT_LEN], me[64], mz[64];
    uds_dtc_format(d->code, code);
    qc_module_text(m->tx_id, m->rx_id, OBD_LANG_EN, me, sizeof me);
    qc_module_text(m->tx_id, m->rx_id, OBD_LANG_ZH, mz, sizeof mz);
    if (d->change == QC_DTC_PERSISTING) {
        snprintf(q->en, sizeof q->en, "%s is still confirmed in %s (status %02X after the repair)", code, me,
                 d->status_post);
        snprintf(q->zh, sizeof q->zh, "%s 仍有已确认故障码 %s（维修后状态 %02X）", mz, code, d->status_post);
    } else if (d->change == QC_DTC_NEW) {
        snprintf(q->en, sizeof q->en, "%s confirmed in %s since the repair (new code)", code, me);
        snprintf(q->zh, sizeof q->zh, "维修后%s 新出现已确认故障码 %s", mz, code);
    } else {
        snprintf(q->en, sizeof q->en, "%s was confirmed in %s before the repair and no longer is", code, me);
        snprintf(q->zh, sizeof q->zh, "%s 维修前的已确认故障码 %s，现已消除", mz, code);
    }
}

/* Drop the OBD "all_clear" reason once UDS evidence says otherwise. */
static void drop_all_clear(qc_result_t *r)
{
    size_t w = 0;
    for (size_t i = 0; i < r->nreasons; i++)
        if (strcmp(r->reasons[i].key, "all_clear"))
            r->reasons[w++] = r->reasons[i];
    r->nreasons = w;
}

/* Most serious first again (fail, drive cycle, info), keeping the order
 * within a severity: the UDS reasons were appended after the OBD ones. */
static void sort_reasons(qc_result_t *r)
{
    static const int rank[] = { [QC_SEV_FAIL] = 0, [QC_SEV_DRIVE_CYCLE] = 1, [QC_SEV_INFO] = 2 };
    for (size_t i = 1; i < r->nreasons; i++) {
        qc_reason_t t = r->reasons[i];
        size_t j = i;
        for (; j > 0 && rank[r->reasons[j - 1].severity] > rank[t.severity]; j--)
            r->reasons[j] = r->reasons[j - 1];
        r->reasons[j] = t;
    }
}

int qc_add_uds(qc_result_t *r, const uds_scan_t *pre, const uds_scan_t *post)
{
    if (!r)
        return OBD_EINVAL;
    qc_uds_t *u = &r->uds;
    memset(u, 0, sizeof *u);
    if (!pre && !post)
        return OBD_OK;
    u->present = true;
    u->has_pre = pre != NULL;
    u->has_post = post != NULL;
    /* modules: every one that answered either scan, pre-repair order first */
    for (size_t i = 0; pre && i < pre->nmodules; i++)
        if (pre->modules[i].answered)
            add_module(u, &pre->modules[i], &r->truncated);
    for (size_t i = 0; post && i < post->nmodules; i++)
        if (post->modules[i].answered)
            add_module(u, &post->modules[i], &r->truncated);
    int confirmed_pre_total = 0;
    for (size_t i = 0; i < u->nmodules; i++) {
        qc_uds_module_t *m = &u->modules[i];
        const uds_module_t *a = find_mod(pre, m->tx_id, m->rx_id), *b = find_mod(post, m->tx_id, m->rx_id);
        m->in_pre = answered(a);
        m->in_post = answered(b);
        m->state_pre = (uint8_t)(m->in_pre ? a->state : UDS_MOD_NO_ANSWER);
        m->state_post = (uint8_t)(m->in_post ? b->state : UDS_MOD_NO_ANSWER);
        m->nrc_post = m->in_post ? b->nrc : 0;
        for (size_t k = 0; readable(a) && k < a->ndtcs; k++)
            confirmed_pre_total += confirmed(a->dtcs[k].status);
        if (!post)
            continue;
        m->lost = readable(a) && !m->in_post;
        /* A module that offers no $19 at all (an OBD-only ECU answering the
         * probe with 7F 3E 11) has no UDS codes to lose; one that was read
         * before and refuses now does. */
        m->unread_post = m->in_post && !readable(b) && !(b->state == UDS_MOD_NOT_SUPPORTED && !readable(a));
        u->lost += m->lost;
        u->needs_auth += m->unread_post && b->state == UDS_MOD_NEEDS_AUTH;
        u->unread += m->unread_post && b->state != UDS_MOD_NEEDS_AUTH;
        /* DTCs: confirmed before or after; the change is about the confirmed bit */
        for (size_t k = 0; readable(a) && k < a->ndtcs; k++)
            if (confirmed(a->dtcs[k].status) && readable(b))
                add_dtc(u, m->rx_id, a->dtcs[k].code, a->dtcs[k].status, dtc_status(b, a->dtcs[k].code),
                        &r->truncated);
        for (size_t k = 0; readable(b) && k < b->ndtcs; k++) {
            if (!confirmed(b->dtcs[k].status))
                continue;
            m->confirmed_post++;
            add_dtc(u, m->rx_id, b->dtcs[k].code, dtc_status(a, b->dtcs[k].code), b->dtcs[k].status,
                    &r->truncated);
        }
    }
    for (size_t i = 0; i < u->ndtcs; i++) {
        if (u->dtcs[i].change == QC_DTC_PERSISTING)
            u->persisting++;
        else if (u->dtcs[i].change == QC_DTC_NEW)
            u->new_after++;
        else
            u->resolved++;
    }

    /* Reasons, most serious first, and the verdict. */
    bool fail = false;
    if (!post) {
        if (confirmed_pre_total > 0) {
            qc_reason_t *q = reason(r, QC_SEV_FAIL, "uds_no_post_scan", 0, 0);
            if (q) {
                snprintf(q->en, sizeof q->en,
                         "The pre-repair UDS scan found %d confirmed DTC(s) in the vehicle's modules, and there is "
                         "no post-repair UDS scan to confirm them gone",
                         confirmed_pre_total);
                snprintf(q->zh, sizeof q->zh, "维修前 UDS 扫描发现 %d 个已确认故障码，但没有维修后 UDS 扫描，无法确认已排除",
                         confirmed_pre_total);
            }
            fail = true;
        }
    } else {
        for (size_t i = 0; i < u->nmodules; i++) {
            const qc_uds_module_t *m = &u->modules[i];
            if (m->unread_post && m->state_post == UDS_MOD_NEEDS_AUTH)
                module_reason(r, m, "uds_needs_auth",
                              "%s needs OEM authorisation%s: its DTCs were NOT read after the repair, so they "
                              "cannot be confirmed gone (read it with the OEM tool)",
                              "%s 需要主机厂授权%s：维修后未能读取其故障码，无法确认故障已排除（请用主机厂诊断仪读取）");
            else if (m->unread_post)
                module_reason(r, m, "uds_dtc_unread",
                              "The DTCs of %s could not be read after the repair%s, so they cannot be confirmed gone",
                              "维修后无法读取%s 的故障码%s，无法确认故障已排除");
            else if (m->lost)
                module_reason(r, m, "uds_module_lost", "%s answered before the repair but not after it%s",
                              "%s 维修前有响应，维修后无响应%s");
        }
        for (int pass = 0; pass < 3; pass++)
            for (size_t i = 0; i < u->ndtcs; i++) {
                const qc_uds_dtc_t *d = &u->dtcs[i];
                if ((pass == 0 && d->change == QC_DTC_PERSISTING) || (pass == 1 && d->change == QC_DTC_NEW) ||
                    (pass == 2 && d->change == QC_DTC_RESOLVED)) {
                    const qc_uds_module_t *m = NULL;
                    for (size_t k = 0; k < u->nmodules && !m; k++)
                        if (u->modules[k].rx_id == d->rx_id)
                            m = &u->modules[k];
                    if (m)
                        dtc_reason(r, d, m);
                }
            }
        fail = u->persisting || u->new_after || u->needs_auth || u->unread || u->lost;
        if (!fail) {
            int n = 0;
            for (size_t i = 0; i < u->nmodules; i++)
                n += u->modules[i].in_post;
            qc_reason_t *q = reason(r, QC_SEV_INFO, "uds_all_clear", 0, 0);
            if (q) {
                snprintf(q->en, sizeof q->en,
                         "UDS: %d module(s) answered; none of those that offer DTC reading has a confirmed DTC", n);
                snprintf(q->zh, sizeof q->zh, "UDS：%d 个控制单元有应答，可读取故障码的控制单元均无已确认故障码", n);
            }
        }
    }
    if (fail) {
        r->verdict = QC_FAIL;
        drop_all_clear(r);
    }
    sort_reasons(r);
    return OBD_OK;
}

cJSON *qc_uds_json(const qc_uds_t *u, obd_lang_t lang)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON_AddBoolToObject(j, "has_pre_scan", u->has_pre);
    cJSON_AddBoolToObject(j, "has_post_scan", u->has_post);
    cJSON *cn = cJSON_AddObjectToObject(j, "counts");
    cJSON_AddNumberToObject(cn, "resolved", u->resolved);
    cJSON_AddNumberToObject(cn, "persisting", u->persisting);
    cJSON_AddNumberToObject(cn, "new", u->new_after);
    cJSON_AddNumberToObject(cn, "needs_oem_authorisation", u->needs_auth);
    cJSON_AddNumberToObject(cn, "unread", u->unread);
    cJSON_AddNumberToObject(cn, "lost", u->lost);
    cJSON *ma = cJSON_AddArrayToObject(j, "modules");
    char t[64];
    for (size_t i = 0; i < u->nmodules; i++) {
        const qc_uds_module_t *m = &u->modules[i];
        cJSON *o = cJSON_CreateObject();
        snprintf(t, sizeof t, "%X", (unsigned)m->tx_id);
        cJSON_AddStringToObject(o, "request_id", t);
        snprintf(t, sizeof t, "%X", (unsigned)m->rx_id);
        cJSON_AddStringToObject(o, "response_id", t);
        cJSON_AddStringToObject(o, "label", qc_module_text(m->tx_id, m->rx_id, lang, t, sizeof t));
        cJSON_AddStringToObject(o, "state_pre", uds_mod_state_key((uds_mod_state_t)m->state_pre));
        cJSON_AddStringToObject(o, "state_post", uds_mod_state_key((uds_mod_state_t)m->state_post));
        cJSON_AddBoolToObject(o, "lost", m->lost);
        cJSON_AddBoolToObject(o, "dtcs_unread", m->unread_post);
        cJSON_AddNumberToObject(o, "confirmed_after", m->confirmed_post);
        cJSON_AddItemToArray(ma, o);
    }
    cJSON *da = cJSON_AddArrayToObject(j, "dtcs");
    for (size_t i = 0; i < u->ndtcs; i++) {
        const qc_uds_dtc_t *d = &u->dtcs[i];
        cJSON *o = cJSON_CreateObject();
        snprintf(t, sizeof t, "%X", (unsigned)d->rx_id);
        cJSON_AddStringToObject(o, "module", t);
        char code[UDS_DTC_TEXT_LEN];
        uds_dtc_format(d->code, code);
        cJSON_AddStringToObject(o, "code", code);
        if (d->status_pre >= 0) {
            snprintf(t, sizeof t, "%02X", d->status_pre);
            cJSON_AddStringToObject(o, "status_pre", t);
        } else {
            cJSON_AddNullToObject(o, "status_pre");
        }
        if (d->status_post >= 0) {
            snprintf(t, sizeof t, "%02X", d->status_post);
            cJSON_AddStringToObject(o, "status_post", t);
        } else {
            cJSON_AddNullToObject(o, "status_post");
        }
        cJSON_AddStringToObject(o, "change", qc_change_key((qc_change_t)d->change));
        cJSON_AddItemToArray(da, o);
    }
    return j;
}
