/*
 * report_obd.c — the OBD scan sections of a report that say how the car
 * answered: the ECU table (each DTC list's count or what became of its read,
 * MIL, addressing per service), the DTC table (which never says "no DTCs"
 * while a list went unread), the VIN's source and check digit, and the next
 * step for an unread list. A DTC read that got no answer is shown as "no
 * answer", never as "no codes" (#10); an unreadable reply with its bytes,
 * a deviation by name (#18).
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/scan_text.h"
#include "report_priv.h"

#define L(key) report_label(r, key)
#define TR(en, zh) (r->lang == OBD_LANG_ZH ? (zh) : (en))

static const obd_dtc_set_t *set_of(const obd_ecu_scan_t *e, int kind)
{
    return kind == 0 ? &e->stored : kind == 1 ? &e->pending : &e->permanent;
}

/* A list that did not say what is stored because nothing readable came. */
static bool set_lost(obd_read_state_t st)
{
    return st == OBD_READ_NO_ANSWER || st == OBD_READ_UNREADABLE;
}

/* One DTC list in a table cell: "2", "2 · deviation", "0 · physical", or
 * what became of the read ("no answer", "unreadable", "refused (NRC 0x22)"). */
static void set_cell(const report_t *r, const obd_dtc_set_t *set, char *out, size_t cap)
{
    obd_read_state_t st = obd_dtc_set_state(set);
    if (!obd_read_usable((uint8_t)st)) {
        if (st == OBD_READ_REFUSED && set->nrc)
            snprintf(out, cap, "%s (NRC %02X)", obd_read_state_name(st, r->lang), set->nrc);
        else
            snprintf(out, cap, "%s", obd_read_state_name(st == OBD_READ_NOT_ASKED ? OBD_READ_NO_ANSWER : st, r->lang));
        return;
    }
    snprintf(out, cap, "%zu%s%s", set->count < OBD_MAX_DTCS ? set->count : (size_t)OBD_MAX_DTCS,
             st == OBD_READ_DEVIATION ? TR(" · deviation", " · 有偏差") : "",
             set->addressing == OBD_ADDR_PHYSICAL ? TR(" · physical", " · 物理寻址") : "");
}

/* "functional 01 09 · physical 03 07 0A · none 02", "-" when nothing is known. */
static void addressing_cell(const report_t *r, const obd_ecu_scan_t *e, char *out, size_t cap)
{
    static const obd_addressing_t order[] = { OBD_ADDR_FUNCTIONAL, OBD_ADDR_PHYSICAL, OBD_ADDR_NRC, OBD_ADDR_NONE };
    out[0] = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        bool any = false;
        for (unsigned svc = 1; svc <= OBD_ADDR_SVC_MAX; svc++) {
            if (e->addressing[svc] != order[k])
                continue;
            size_t l = strlen(out);
            if (!any)
                snprintf(out + l, cap - l, "%s%s", l ? " · " : "", obd_addressing_name(order[k], r->lang));
            l = strlen(out);
            snprintf(out + l, cap - l, " %02X", svc);
            any = true;
        }
    }
    if (!out[0])
        snprintf(out, cap, "-");
}

void report__doc_ecus(const report_t *r, report_doc_t *d, const report_scan_t *ps)
{
    const obd_scan_t *s = ps->scan;
    report__blk(d, RB_H2, 0, L("ecus"), NULL);
    report_block_t *t = report__table(d, RB_TABLE, 8);
    report__row(t, 0, L("ecu"), L("name"), L("answered"), L("col_confirmed"), L("col_pending"), L("col_permanent"),
                L("mil"), TR("How it answered (service)", "应答方式（服务）"));
    char ecu[48], c[3][64], how[160];
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        bool ans = qc_ecu_answered(e), lost = false;
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        for (int k = 0; k < 3; k++) {
            set_cell(r, set_of(e, k), c[k], sizeof c[k]);
            lost |= set_lost(obd_dtc_set_state(set_of(e, k)));
        }
        addressing_cell(r, e, how, sizeof how);
        int style = !ans || lost ? RS_BAD : (e->stored.count || (e->has_readiness && e->readiness.mil_on)) ? RS_WARN : 0;
        report__row(t, style, ecu, e->name, ans ? L("yes") : L("no_answer"), c[0], c[1], c[2],
                    e->has_readiness ? (e->readiness.mil_on ? L("on") : L("off")) : ans ? TR("unknown", "未知") : "-",
                    how);
    }
    for (size_t i = 0; i < r->nsilent; i++) {
        if (r->silent[i].scan_id && r->silent[i].scan_id != ps->meta.id)
            continue;
        bool listed = false; /* the store may keep it as an empty entry of the scan */
        for (size_t k = 0; k < s->necus; k++)
            listed |= s->ecus[k].addr == r->silent[i].addr;
        if (listed)
            continue;
        qc_ecu_text(r->silent[i].addr, r->lang, ecu, sizeof ecu);
        report__row(t, RS_BAD, ecu, r->silent[i].name, L("no_answer"), "-", "-", "-", "-", "-");
    }
    /* what the cells cannot hold: the deviation named, the bytes that did not decode */
    char txt[560], st[300];
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        if (!qc_ecu_answered(e))
            continue;
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        for (int k = 0; k < 3; k++) {
            const obd_dtc_set_t *set = set_of(e, k);
            obd_read_state_t rs = obd_dtc_set_state(set);
            if (rs != OBD_READ_DEVIATION && rs != OBD_READ_UNREADABLE && rs != OBD_READ_NO_ANSWER)
                continue;
            obd_dtc_set_state_text(set, r->lang, st, sizeof st);
            snprintf(txt, sizeof txt, "%s · %s%s%s%s", ecu, qc_kind_name((qc_kind_t)k, r->lang), TR(": ", "："), st,
                     rs == OBD_READ_NO_ANSWER ? TR(" (not \"no codes\": the list was not read)", "（不等于无故障码：该列表未读取）")
                     : rs == OBD_READ_UNREADABLE ? TR(" (a reply came but does not decode)", "（有应答但无法解析）")
                                                 : "");
            report__blk(d, RB_NOTE, rs == OBD_READ_DEVIATION ? RS_WARN : RS_BAD, txt, NULL);
        }
        uint8_t sl[256];
        size_t ns = obd_pidset_list(&e->silent_pids, sl, sizeof sl);
        if (ns) {
            size_t o = (size_t)snprintf(txt, sizeof txt, "%s · %s%s", ecu,
                                        TR("PIDs listed but never answered", "已列出但从未应答的 PID"), TR(":", "："));
            for (size_t k = 0; k < ns && o + 4 < sizeof txt; k++)
                o += (size_t)snprintf(txt + o, sizeof txt - o, " %02X", sl[k]);
            report__blk(d, RB_NOTE, RS_MUTED, txt, NULL);
        }
    }
    if (s->recently_cleared)
        report__blk(d, RB_NOTE, RS_WARN, L("recently_cleared"), obd_scan_cleared_text(s, r->lang, (char[128]){ 0 }, 128));
    for (size_t i = 0; i < s->nnotes && i < sizeof s->notes / sizeof s->notes[0]; i++) {
        char en[sizeof s->notes[0] + 1];
        memcpy(en, s->notes[i], sizeof s->notes[i]);
        en[sizeof s->notes[i]] = 0;
        obd_scan_note_text(en, r->lang, st, sizeof st);
        snprintf(txt, sizeof txt, "%s%s", TR("Scan note: ", "扫描说明："), st);
        report__blk(d, RB_NOTE, RS_MUTED, txt, NULL);
    }
}

/* Lists of answering ECUs that said nothing readable. */
static int lists_lost(const obd_scan_t *s)
{
    int n = 0;
    for (size_t i = 0; i < s->necus; i++)
        for (int k = 0; k < 3 && qc_ecu_answered(&s->ecus[i]); k++)
            n += set_lost(obd_dtc_set_state(set_of(&s->ecus[i], k)));
    return n;
}

void report__kind_count(const report_t *r, const obd_scan_t *s, int kind, char *out, size_t cap)
{
    int lost = 0;
    for (size_t i = 0; i < s->necus; i++)
        if (qc_ecu_answered(&s->ecus[i]))
            lost += set_lost(obd_dtc_set_state(set_of(&s->ecus[i], kind)));
    if (lost)
        snprintf(out, cap, TR("%zu (%d not read)", "%zu（%d 个未读取）"), obd_scan_count(s, kind), lost);
    else
        snprintf(out, cap, "%zu", obd_scan_count(s, kind));
}

void report__doc_dtcs(const report_t *r, report_doc_t *d, const report_scan_t *ps)
{
    const obd_scan_t *s = ps->scan;
    char wmi[4];
    const char *w = report__scan_wmi(s, wmi);
    report__blk(d, RB_H2, 0, L("dtcs"), NULL);
    size_t total = obd_scan_count(s, 0) + obd_scan_count(s, 1) + obd_scan_count(s, 2);
    int lost = lists_lost(s);
    char warn[300];
    snprintf(warn, sizeof warn,
             TR("%d DTC list(s) could not be read (see the ECU table): codes in them are not shown, and there may be some",
                "%d 个故障码列表未能读取（见控制单元表）：其中的故障码未列出，车辆可能仍有故障码"),
             lost);
    if (total == 0) {
        if (lost)
            report__blk(d, RB_NOTE, RS_BAD, TR("No DTCs in the lists that were read.", "已读取的列表中无故障码。"),
                        warn);
        else
            report__blk(d, RB_NOTE, RS_OK, L("no_dtcs"), NULL);
        return;
    }
    report_block_t *t = report__table(d, RB_TABLE, 5);
    report__row(t, 0, L("dtc"), L("status"), L("ecu"), L("description"), L("system"));
    char ecu[48], code[OBD_DTC_TEXT_LEN + 8], desc[DTCDB_DESC_MAX], sys[64];
    for (int kind = 0; kind < 3; kind++)
        for (size_t i = 0; i < s->necus; i++) {
            const obd_ecu_scan_t *e = &s->ecus[i];
            const obd_dtc_set_t *set = set_of(e, kind);
            qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
            for (size_t k = 0; k < set->count && k < OBD_MAX_DTCS; k++) {
                obd_dtc_format(set->dtcs[k], code);
                if (set->uds_format) /* OBD on UDS: the 3-byte DTC with its failure type */
                    snprintf(code + strlen(code), sizeof code - strlen(code), "-%02X", set->ftb[k]);
                report__dtc_desc(r, set->dtcs[k], w, desc, sizeof desc, sys, sizeof sys);
                report__row(t, kind == 0 ? RS_BAD : RS_WARN, code, qc_kind_name((qc_kind_t)kind, r->lang), ecu, desc,
                            sys);
            }
        }
    if (lost)
        report__blk(d, RB_NOTE, RS_BAD, warn, NULL);
}

void report__vin_rows(const report_t *r, report_block_t *kv, const report_scan_t *ps, const char *vin)
{
    const obd_scan_t *s = ps->scan;
    if (!vin[0] || strcmp(vin, s->vin) != 0)
        return; /* the VIN shown came from the work order */
    char src[96];
    if (obd_scan_vin_source_text(s, r->lang, src, sizeof src)[0])
        report__row(kv, 0, TR("VIN read from", "VIN 来源"), src);
    if (s->vin_check_failed)
        report__row(kv, RS_WARN, TR("VIN check digit", "VIN 校验位"),
                    TR("does NOT match: kept as read", "不符：按读取原样保留"));
}

void report__dtc_read_steps(report_t *r, const obd_scan_t *s)
{
    char ecu[48], what[300], st[200];
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        if (!qc_ecu_answered(e))
            continue; /* a silent ECU has its own step */
        what[0] = 0;
        for (int k = 0; k < 3; k++) {
            const obd_dtc_set_t *set = set_of(e, k);
            if (!set_lost(obd_dtc_set_state(set)))
                continue;
            obd_dtc_set_state_text(set, r->lang, st, sizeof st);
            size_t l = strlen(what);
            snprintf(what + l, sizeof what - l, "%s%s%s%s", l ? TR("; ", "；") : "", qc_kind_name((qc_kind_t)k, r->lang),
                     TR(": ", "："), st);
        }
        report_step_t *step;
        if (!what[0] || !(step = report__add_step(r, "dtc_unread", 0, false)))
            continue;
        qc_ecu_text(e->addr, r->lang, ecu, sizeof ecu);
        snprintf(step->text, sizeof step->text,
                 TR("Read the DTCs of %s again (%s): a list that was not read is not \"no codes\"",
                    "重新读取%s 的故障码（%s）：未读取的列表不等于无故障码"),
                 ecu, what);
    }
}
