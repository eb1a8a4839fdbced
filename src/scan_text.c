/*
 * scan_text.c — read states, addressing, VIN sources, notes and deviations
 * in words (en + zh). See include/obdgw/scan_text.h.
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/scan_text.h"

obd_read_state_t obd_dtc_set_state(const obd_dtc_set_t *s)
{
    if (s->state != OBD_READ_NOT_ASKED && s->state < OBD_READ_COUNT)
        return (obd_read_state_t)s->state;
    if (!s->read)
        return OBD_READ_NO_ANSWER;
    if (s->unsupported)
        return OBD_READ_UNSUPPORTED;
    if (s->nrc)
        return OBD_READ_REFUSED;
    return OBD_READ_OK;
}

const char *obd_read_state_name(obd_read_state_t s, obd_lang_t lang)
{
    switch (s) {
    case OBD_READ_OK:
        return obd_tr(lang, "ok", "已读取");
    case OBD_READ_DEVIATION:
        return obd_tr(lang, "ok with deviation", "已读取（有偏差）");
    case OBD_READ_UNREADABLE:
        return obd_tr(lang, "unreadable", "无法解析");
    case OBD_READ_NO_ANSWER:
        return obd_tr(lang, "no answer", "无应答");
    case OBD_READ_UNSUPPORTED:
        return obd_tr(lang, "not supported", "不支持");
    case OBD_READ_REFUSED:
        return obd_tr(lang, "refused", "拒绝");
    default:
        return obd_tr(lang, "not asked", "未询问");
    }
}

const char *obd_addressing_name(obd_addressing_t a, obd_lang_t lang)
{
    switch (a) {
    case OBD_ADDR_FUNCTIONAL:
        return obd_tr(lang, "functional", "功能寻址");
    case OBD_ADDR_PHYSICAL:
        return obd_tr(lang, "physical", "物理寻址");
    case OBD_ADDR_NRC:
        return obd_tr(lang, "NRC", "否定应答");
    case OBD_ADDR_NONE:
        return obd_tr(lang, "none", "无应答");
    default:
        return obd_tr(lang, "not asked", "未询问");
    }
}

const char *obd_vin_source_name(obd_vin_source_t v, obd_lang_t lang)
{
    switch (v) {
    case OBD_VIN_SRC_MODE09:
        return "09 02";
    case OBD_VIN_SRC_MODE09_UNLISTED:
        return obd_tr(lang, "09 02, not listed in 09 00", "09 02，09 00 未列出");
    case OBD_VIN_SRC_UDS_F190:
        return "UDS 22 F190";
    case OBD_VIN_SRC_UDS_F802:
        return obd_tr(lang, "OBD on UDS 22 F802", "UDS 上的 OBD 22 F802");
    default:
        return obd_tr(lang, "none", "无");
    }
}

const char *obd_protocol_kind_key(obd_protocol_kind_t p)
{
    return p == OBD_PROTOCOL_ON_UDS ? "obd_on_uds" : "classic";
}

const char *obd_protocol_kind_name(obd_protocol_kind_t p, obd_lang_t lang)
{
    return p == OBD_PROTOCOL_ON_UDS ? obd_tr(lang, "OBD on UDS (SAE J1979-2)", "UDS 上的 OBD（SAE J1979-2）")
                                    : obd_tr(lang, "classic OBD (SAE J1979)", "传统 OBD（SAE J1979）");
}

char *obd_read_raw_text(const obd_dtc_set_t *s, bool spaced, char *out, size_t cap)
{
    if (!cap)
        return out;
    out[0] = 0;
    size_t n = s->rawlen < OBD_READ_RAW_MAX ? s->rawlen : OBD_READ_RAW_MAX, o = 0;
    for (size_t i = 0; i < n && o + 4 < cap; i++) {
        int w = snprintf(out + o, cap - o, spaced && i ? " %02X" : "%02X", s->raw[i]);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
    if (s->rawlen > n && o + 5 < cap)
        snprintf(out + o, cap - o, "%s", spaced ? " …" : "...");
    return out;
}

/* ---- sentence tables ------------------------------------------------------ */

typedef struct {
    const char *en, *zh; /* the same number of %s, in the same order */
} sentence_t;

static const sentence_t notes[] = {
    { OBD_NOTE_COUNT_DIGIT_REFUSED, "适配器拒绝或误读响应数量位：本次会话不再使用" },
    { OBD_NOTE_COUNT_DIGIT_MISREAD, "带响应数量位的请求返回 NO DATA，而 PID 01 显示有故障码：本次会话不再使用该位" },
    { OBD_NOTE_AT_REFUSED, "适配器拒绝 %s：不使用该命令继续" },
    { OBD_NOTE_PROTOCOL_ZERO, "适配器协议搜索报告协议 0：已逐个尝试指定协议" },
    { OBD_NOTE_NO_HEADERS, "适配器的应答不带报头：按单个控制单元处理" },
    { OBD_NOTE_NO_ATSH, "适配器拒绝 ATSH：物理请求改为功能寻址发送，按报头挑选应答" },
    { OBD_NOTE_PHYSICAL_ONLY, "控制单元 %s 仅在物理寻址时应答" },
    { OBD_NOTE_VIN_UNLISTED, "09 00 未列出 09 02：仍然读取了 09 02" },
    { OBD_NOTE_VIN_UDS, "服务 09 未给出 VIN：已通过 UDS 22 F190 读取" },
    { OBD_NOTE_VIN_CHECK, "VIN 校验位不符：按读取原样保留" },
    { OBD_NOTE_OBD_ON_UDS, "传统 01 00 无应答，22 F400 有应答：通过 UDS 上的 OBD（SAE J1979-2）读取" },
    { OBD_NOTE_SILENT_PID, "PID %s 在 01 00 中列出，但从未应答" },
    { OBD_NOTE_SERVICE_REFUSED, "适配器拒绝服务 %s（'?'）：记为不支持" },
};

static const sentence_t deviations[] = {
    { OBD_DEV_COUNT_MISMATCH, "计数字节为 %s，实际 %s 个故障码" },
    { "count byte %s, %s codes carried", "计数字节为 %s，实际 %s 个故障码" },
    { OBD_DEV_LEGACY_ON_CAN, "CAN 上使用旧格式（无计数字节）" },
    { OBD_DEV_TRAILING, "忽略末尾多余的 %s 个字节" },
    { OBD_DEV_HALF_CODE, "末尾半个故障码（%s 字节）未解码" },
    { OBD_DEV_NO_HEADERS, "应答不带报头：按单个控制单元处理" },
    { OBD_DEV_UNREADABLE_SHORT, "应答过短（%s 字节）" },
    { OBD_DEV_UNREADABLE_SID, "意外的服务字节 %s" },
    { OBD_DEV_PENDING_NO_FINAL, "应答挂起（7F %s 78），没有最终应答" },
    { OBD_DEV_ADAPTER_REFUSED, "适配器拒绝了该请求（'?'）：没有询问任何控制单元" },
};

#define MAX_PARTS 3

/* Does `s` read as template `t` (literal text and %s holes)? The holes'
 * text goes to part[] (pointer + length); a hole never is empty. */
static bool match(const char *t, const char *s, const char **part, size_t *plen, int *nparts)
{
    *nparts = 0;
    while (*t) {
        const char *hole = strstr(t, "%s");
        size_t lit = hole ? (size_t)(hole - t) : strlen(t);
        if (strncmp(t, s, lit) != 0)
            return false;
        t += lit;
        s += lit;
        if (!hole)
            return *s == 0;
        t += 2;
        if (*nparts >= MAX_PARTS)
            return false;
        /* The hole runs to the next literal (or to the end). */
        const char *next = strstr(t, "%s");
        size_t nl = next ? (size_t)(next - t) : strlen(t);
        const char *end;
        if (!nl) {
            end = s + strlen(s);
        } else if (!next) {
            size_t sl = strlen(s);
            if (sl < nl + 1 || strcmp(s + sl - nl, t) != 0)
                return false;
            end = s + sl - nl;
        } else {
            char lit2[128];
            if (nl >= sizeof lit2)
                return false;
            memcpy(lit2, t, nl);
            lit2[nl] = 0;
            end = strstr(s + 1, lit2);
            if (!end)
                return false;
        }
        if (end == s)
            return false;
        part[*nparts] = s;
        plen[*nparts] = (size_t)(end - s);
        (*nparts)++;
        s = end;
    }
    return *s == 0;
}

static void fill(const char *zh, const char **part, const size_t *plen, int nparts, char *out, size_t cap)
{
    size_t o = 0;
    int k = 0;
    out[0] = 0;
    while (*zh && o + 1 < cap) {
        if (zh[0] == '%' && zh[1] == 's' && k < nparts) {
            size_t n = plen[k] < cap - 1 - o ? plen[k] : cap - 1 - o;
            memcpy(out + o, part[k], n);
            o += n;
            k++;
            zh += 2;
            continue;
        }
        out[o++] = *zh++;
    }
    out[o] = 0;
}

static const char *translate(const sentence_t *tab, size_t n, const char *en, obd_lang_t lang, char *out, size_t cap)
{
    if (!cap)
        return out;
    if (!en)
        en = "";
    if (lang != OBD_LANG_ZH) {
        snprintf(out, cap, "%s", en);
        return out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *part[MAX_PARTS];
        size_t plen[MAX_PARTS];
        int np;
        if (match(tab[i].en, en, part, plen, &np)) {
            fill(tab[i].zh, part, plen, np, out, cap);
            return out;
        }
    }
    snprintf(out, cap, "（英文）%s", en);
    return out;
}

const char *obd_scan_note_text(const char *en, obd_lang_t lang, char *out, size_t cap)
{
    return translate(notes, sizeof notes / sizeof notes[0], en, lang, out, cap);
}

const char *obd_deviation_text(const char *en, obd_lang_t lang, char *out, size_t cap)
{
    return translate(deviations, sizeof deviations / sizeof deviations[0], en, lang, out, cap);
}

const char *obd_dtc_set_state_text(const obd_dtc_set_t *s, obd_lang_t lang, char *out, size_t cap)
{
    if (!cap)
        return out;
    obd_read_state_t st = obd_dtc_set_state(s);
    char dev[160] = "", hex[3 * OBD_READ_RAW_MAX + 8];
    char dv[sizeof s->deviation + 1];
    memcpy(dv, s->deviation, sizeof s->deviation);
    dv[sizeof s->deviation] = 0;
    if (dv[0])
        obd_deviation_text(dv, lang, dev, sizeof dev);
    switch (st) {
    case OBD_READ_DEVIATION:
        if (lang == OBD_LANG_ZH)
            snprintf(out, cap, "已读取（%s）", dev[0] ? dev : "有偏差");
        else
            snprintf(out, cap, "ok (%s)", dev[0] ? dev : "with a deviation");
        break;
    case OBD_READ_UNREADABLE:
        obd_read_raw_text(s, true, hex, sizeof hex);
        snprintf(out, cap, "%s%s%s%s%s", obd_tr(lang, "unreadable: ", "无法解析："), hex[0] ? hex : "—",
                 dev[0] ? obd_tr(lang, " (", "（") : "", dev, dev[0] ? obd_tr(lang, ")", "）") : "");
        break;
    case OBD_READ_REFUSED:
        if (dev[0]) /* the ECU never finished (0x78) */
            snprintf(out, cap, "%s", dev);
        else if (s->nrc)
            snprintf(out, cap, "%s%s0x%02X%s", obd_read_state_name(st, lang), obd_tr(lang, " (NRC ", "（NRC "), s->nrc,
                     obd_tr(lang, ")", "）"));
        else
            snprintf(out, cap, "%s", obd_read_state_name(st, lang));
        break;
    case OBD_READ_UNSUPPORTED:
        /* a deviation here: the adapter refused the request, no ECU saw it */
        snprintf(out, cap, "%s", dev[0] ? dev : obd_read_state_name(st, lang));
        break;
    default:
        snprintf(out, cap, "%s", obd_read_state_name(st, lang));
    }
    return out;
}

const char *obd_scan_vin_source_text(const obd_scan_t *s, obd_lang_t lang, char *out, size_t cap)
{
    if (!cap)
        return out;
    out[0] = 0;
    if (!s->vin[0] || s->vin_source == OBD_VIN_SRC_NONE || s->vin_source >= OBD_VIN_SRC_COUNT)
        return out;
    snprintf(out, cap, "%s", obd_vin_source_name((obd_vin_source_t)s->vin_source, lang));
    if (s->vin_source == OBD_VIN_SRC_MODE09 || s->vin_source == OBD_VIN_SRC_MODE09_UNLISTED) {
        for (size_t i = 0; i < s->necus && i < OBD_SCAN_MAX_ECUS; i++)
            if (s->ecus[i].addr == s->vin_from && s->ecus[i].addressing[0x09] == OBD_ADDR_PHYSICAL) {
                size_t l = strlen(out);
                snprintf(out + l, cap - l, "%s%s", obd_tr(lang, ", ", "，"),
                         obd_addressing_name(OBD_ADDR_PHYSICAL, lang));
            }
    }
    return out;
}

bool obd_scan_status_known(const obd_scan_t *s)
{
    if (s->status_known)
        return true;
    for (size_t i = 0; i < s->necus && i < OBD_SCAN_MAX_ECUS; i++)
        if (s->ecus[i].has_readiness)
            return true;
    return false;
}

const char *obd_scan_mil_text(const obd_scan_t *s, obd_lang_t lang, char *out, size_t cap)
{
    if (!obd_scan_status_known(s))
        snprintf(out, cap, "%s", obd_tr(lang, "unknown (no ECU answered PID 01)", "未知（没有控制单元应答 PID 01）"));
    else
        snprintf(out, cap, "%s · %d %s", s->mil_on ? obd_tr(lang, "ON", "点亮") : obd_tr(lang, "off", "熄灭"),
                 s->dtc_count, obd_tr(lang, "confirmed emission DTC(s)", "个已确认排放故障码"));
    return out;
}

const char *obd_ecu_physical_services(const obd_ecu_scan_t *e, char *out, size_t cap)
{
    if (!cap)
        return out;
    out[0] = 0;
    size_t o = 0;
    for (unsigned svc = 1; svc <= OBD_ADDR_SVC_MAX; svc++) {
        if (!(e->fallback_svcs & (1u << svc)))
            continue;
        int w = snprintf(out + o, cap - o, "%s%02X", o ? " " : "", svc);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
    return out;
}
