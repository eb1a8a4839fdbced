/*
 * uds_clear.c — $14 ClearDiagnosticInformation to the modules of a UDS scan,
 * with every module's answer kept (see uds_scan.h), and the small table of
 * module names we are sure of.
 *
 * One module after another on purpose: a clear is rare, evidence-destroying,
 * and each answer must be tied to exactly one module; speed does not matter.
 * Uses only the link interface and the pure UDS codec, not the scan's
 * internals.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "obdgw/uds_scan.h"

#define CLEAR_BUSY_RETRIES 3
#define CLEAR_BUSY_GAP_MS 50

uds_clear_outcome_t uds_clear_classify(const uint8_t *p, size_t n, uint8_t *nrc)
{
    if (nrc)
        *nrc = 0;
    if (!p || !n)
        return UDS_CLR_NO_ANSWER;
    obd_nr_t nr;
    if (uds_parse_clear_reply(p, n, &nr) != OBD_OK)
        return UDS_CLR_BAD_REPLY;
    if (!nr.negative)
        return UDS_CLR_CLEARED;
    if (nrc)
        *nrc = nr.nrc;
    switch (uds_nrc_class(nr.nrc)) {
    case UDS_NRC_CLASS_CONDITIONS: return UDS_CLR_CONDITIONS;
    case UDS_NRC_CLASS_SECURITY: return UDS_CLR_NEEDS_AUTH;
    case UDS_NRC_CLASS_NOT_SUPPORTED:
        return nr.nrc == 0x31 ? UDS_CLR_OUT_OF_RANGE : UDS_CLR_NOT_SUPPORTED;
    case UDS_NRC_CLASS_PENDING:
    case UDS_NRC_CLASS_RETRY: return UDS_CLR_NO_ANSWER; /* never got a final answer */
    default: return nr.nrc == 0x31 ? UDS_CLR_OUT_OF_RANGE : nr.nrc == 0x13 ? UDS_CLR_NOT_SUPPORTED : UDS_CLR_REFUSED;
    }
}

static const char *const outcome_keys[UDS_CLR_COUNT] = {
    "cleared", "conditions_not_correct", "request_out_of_range", "needs_oem_authorisation",
    "not_supported", "refused", "no_answer", "bad_reply",
};

const char *uds_clear_outcome_key(uds_clear_outcome_t o)
{
    return (unsigned)o < UDS_CLR_COUNT ? outcome_keys[o] : "unknown";
}

int uds_clear_outcome_parse(const char *key)
{
    for (int i = 0; key && i < UDS_CLR_COUNT; i++)
        if (!strcmp(key, outcome_keys[i]))
            return i;
    return -1;
}

const char *uds_clear_outcome_name(uds_clear_outcome_t o, obd_lang_t lang)
{
    switch (o) {
    case UDS_CLR_CLEARED: return obd_tr(lang, "cleared", "已清除");
    case UDS_CLR_CONDITIONS:
        return obd_tr(lang, "refused: conditions not correct (engine running?)", "拒绝：条件不满足（发动机在运转？）");
    case UDS_CLR_OUT_OF_RANGE: return obd_tr(lang, "refused: request out of range", "拒绝：请求超出范围");
    case UDS_CLR_NEEDS_AUTH: return obd_tr(lang, "needs OEM authorisation (NOT cleared)", "需要主机厂授权（未清除）");
    case UDS_CLR_NOT_SUPPORTED: return obd_tr(lang, "does not offer clearing", "不支持清除故障码");
    case UDS_CLR_REFUSED: return obd_tr(lang, "refused", "拒绝清除");
    case UDS_CLR_NO_ANSWER: return obd_tr(lang, "no answer (state unknown)", "无应答（状态未知）");
    case UDS_CLR_BAD_REPLY: return obd_tr(lang, "answer could not be read (state unknown)", "应答无法解析（状态未知）");
    case UDS_CLR_COUNT: break;
    }
    return "?";
}

int uds_clear_modules(obd_link_t *l, const uds_scan_t *s, uint32_t only_tx, uds_clear_result_t *out)
{
    if (!l || !s || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    uint8_t req[4];
    int qn = uds_req_clear(req, sizeof req, UDS_DTC_GROUP_ALL);
    if (qn < 0)
        return qn;
    bool found = false;
    for (size_t i = 0; i < s->nmodules && i < UDS_SCAN_MAX_MODULES; i++) {
        const uds_module_t *m = &s->modules[i];
        if (!m->answered || (only_tx && m->tx_id != only_tx))
            continue;
        found = true;
        uds_clear_mod_t *r = &out->m[out->n++];
        r->tx_id = m->tx_id;
        r->rx_id = m->rx_id;
        r->outcome = UDS_CLR_NO_ANSWER;
        obd_request_t q = { .to = { m->tx_id, m->rx_id }, .data = req, .len = (size_t)qn, .expect = 1 };
        for (unsigned attempt = 0;; attempt++) {
            obd_replies_t rep; /* 8 KB on the stack: no shared buffers (bay threads) */
            obd_replies_reset(&rep);
            int rc = obd_link_request(l, &q, &rep);
            if (rc == OBD_ETIMEOUT || rc == OBD_ENOVEHICLE)
                break; /* nobody answered: no_answer */
            if (rc)
                return rc;
            int ri = obd_replies_find(&rep, m->rx_id);
            const uint8_t *p = ri >= 0 ? obd_reply_data(&rep, (size_t)ri) : NULL;
            size_t n = ri >= 0 ? rep.r[ri].len : 0;
            if (p && n == 3 && p[0] == UDS_NEGATIVE_RESPONSE && uds_nrc_class(p[2]) == UDS_NRC_CLASS_RETRY &&
                attempt < CLEAR_BUSY_RETRIES) {
                poll(NULL, 0, CLEAR_BUSY_GAP_MS);
                continue;
            }
            r->outcome = uds_clear_classify(p, n, &r->nrc);
            break;
        }
        if (r->outcome == UDS_CLR_CLEARED)
            out->ncleared++;
    }
    return found || !only_tx ? OBD_OK : OBD_ENOTFOUND;
}

/* ---- module names ---- */

/* Only pairs whose role is well established; anything else stays unnamed
 * rather than guessed. */
static const struct {
    uint32_t tx, rx;
    const char *key, *en, *zh;
} known[] = {
    { 0x7E0, 0x7E8, "engine", "Engine control", "发动机控制单元" },         /* ISO 15765-4 ECM */
    { 0x7E1, 0x7E9, "transmission", "Transmission control", "变速箱控制单元" }, /* ISO 15765-4 TCM */
    { 0x18DA10F1, 0x18DAF110, "engine", "Engine control", "发动机控制单元" },
    { 0x18DA18F1, 0x18DAF118, "transmission", "Transmission control", "变速箱控制单元" },
    { 0x713, 0x77D, "abs", "ABS / brakes", "ABS 制动系统" }, /* VW group */
};

const char *uds_module_key(uint32_t tx_id, uint32_t rx_id)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].tx == tx_id && known[i].rx == rx_id)
            return known[i].key;
    return NULL;
}

const char *uds_module_name(const char *key, obd_lang_t lang)
{
    for (size_t i = 0; key && i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(known[i].key, key))
            return obd_tr(lang, known[i].en, known[i].zh);
    return NULL;
}

size_t uds_clear_failed(const uds_clear_result_t *res)
{
    size_t n = 0;
    for (size_t i = 0; i < res->n; i++)
        n += res->m[i].outcome != UDS_CLR_CLEARED && res->m[i].outcome != UDS_CLR_NOT_SUPPORTED;
    return n;
}

cJSON *uds_clear_modules_json(const uds_clear_result_t *res, obd_lang_t lang)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < res->n; i++) {
        const uds_clear_mod_t *m = &res->m[i];
        cJSON *x = cJSON_CreateObject();
        char t[40];
        snprintf(t, sizeof t, "%X/%X", (unsigned)m->tx_id, (unsigned)m->rx_id);
        cJSON_AddStringToObject(x, "module", t);
        cJSON_AddStringToObject(x, "outcome", uds_clear_outcome_key(m->outcome));
        cJSON_AddStringToObject(x, "outcome_text", uds_clear_outcome_name(m->outcome, lang));
        if (m->nrc) {
            snprintf(t, sizeof t, "%02X", m->nrc);
            cJSON_AddStringToObject(x, "nrc", t);
        }
        cJSON_AddItemToArray(arr, x);
    }
    return arr;
}
