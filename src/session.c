/*
 * session.c — the full OBD scan, live data and clear over any link.
 *
 * Request planning: the first 01 00 is functional with no expected count
 * (we do not know how many ECUs there are); after that every functional
 * request carries the ECU count so ELM327s and CAN links return as soon as
 * the last ECU answered instead of waiting out a timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "obdgw/obd_uds.h"
#include "obdgw/pid.h"
#include "obdgw/session.h"
#include "obdgw/stream.h"

static uint64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u;
}

typedef struct {
    obd_link_t *l;
    obd_scan_t *s;
    obd_replies_t rep;
    obd_progress_fn progress;
    void *ctx;
} scan_ctx_t;

static void say(scan_ctx_t *c, const char *en, const char *zh)
{
    if (c->progress)
        c->progress(c->ctx, en, zh);
}

static void keep_raw(obd_scan_t *s, const uint8_t *req, size_t reqlen, const obd_replies_t *rep)
{
    for (size_t i = 0; i < rep->count && s->nraw < OBD_SCAN_MAX_RAW; i++) {
        obd_raw_reply_t *r = &s->raw[s->nraw++];
        r->reqlen = (uint8_t)(reqlen > sizeof r->req ? sizeof r->req : reqlen);
        memcpy(r->req, req, r->reqlen);
        r->addr = rep->r[i].addr;
        r->len = rep->r[i].len;
        memcpy(r->data, obd_reply_data(rep, i), rep->r[i].len > sizeof r->data ? sizeof r->data : rep->r[i].len);
    }
}

/* Send `req` (functional when `to` is OBD_TARGET_ALL) and keep the raw replies. */
static int ask(scan_ctx_t *c, obd_target_t to, const uint8_t *req, size_t len, uint8_t expect)
{
    obd_request_t r = { .to = to, .data = req, .len = len, .expect = expect };
    c->s->requests++;
    int rc = obd_link_request(c->l, &r, &c->rep);
    keep_raw(c->s, req, len, &c->rep);
    return rc;
}

static obd_ecu_scan_t *ecu_of(obd_scan_t *s, uint32_t addr)
{
    for (size_t i = 0; i < s->necus; i++)
        if (s->ecus[i].addr == addr)
            return &s->ecus[i];
    return NULL;
}

static uint8_t n_ecus(const obd_scan_t *s) { return (uint8_t)(s->necus > 15 ? 15 : s->necus); }

static void ecu_init(obd_ecu_scan_t *e, uint32_t addr)
{
    memset(e, 0, sizeof *e);
    e->addr = addr;
    e->warmups_since_clear = e->km_since_clear = e->min_since_clear = -1;
    e->km_with_mil = e->min_with_mil = -1;
    e->odometer_km = -1;
}

static void sort_ecus(obd_scan_t *s)
{
    for (size_t i = 1; i < s->necus; i++)
        for (size_t j = i; j > 0 && s->ecus[j - 1].addr > s->ecus[j].addr; j--) {
            obd_ecu_scan_t t = s->ecus[j];
            s->ecus[j] = s->ecus[j - 1];
            s->ecus[j - 1] = t;
        }
}

/* Service 01 PID bitmaps: who is there, what each supports. */
static int discover(scan_ctx_t *c)
{
    obd_scan_t *s = c->s;
    for (unsigned base = 0; base <= 0xE0; base += 0x20) {
        uint8_t expect = 0;
        if (base) { /* only ECUs whose previous bitmap says the next one exists */
            for (size_t i = 0; i < s->necus; i++)
                expect = (uint8_t)(expect + obd_pidset_has(&s->ecus[i].pids, (uint8_t)base));
            if (!expect)
                break;
        }
        uint8_t req[2] = { 0x01, (uint8_t)base };
        int rc = ask(c, OBD_TARGET_ALL, req, 2, expect);
        if (rc)
            return rc;
        for (size_t i = 0; i < c->rep.count; i++) {
            obd_pid_reply_t pr;
            if (obd_parse_pid_reply(obd_reply_data(&c->rep, i), c->rep.r[i].len, 0x01, &pr) || pr.nr.negative)
                continue;
            obd_ecu_scan_t *e = ecu_of(s, c->rep.r[i].addr);
            if (!e && base == 0 && s->necus < OBD_SCAN_MAX_ECUS) {
                e = &s->ecus[s->necus++];
                ecu_init(e, c->rep.r[i].addr);
            }
            if (!e)
                continue;
            for (size_t k = 0; k < pr.count; k++)
                if (pr.pids[k].pid == base)
                    obd_pidset_merge(&e->pids, (uint8_t)base, pr.pids[k].data, pr.pids[k].len);
        }
        if (base == 0 && s->necus == 0)
            return OBD_ENOVEHICLE;
    }
    sort_ecus(s);
    return OBD_OK;
}

/* Ask each ECU for the given PIDs it supports (multi-PID on CAN), then hand
 * every PID's data to `use`. */
static int read_pids(scan_ctx_t *c, const uint8_t *pids, size_t npids,
                     void (*use)(obd_ecu_scan_t *e, uint8_t pid, const uint8_t *d, size_t n))
{
    obd_scan_t *s = c->s;
    bool multi = c->s->link.multi_pid;
    for (size_t i = 0; i < s->necus; i++) {
        obd_ecu_scan_t *e = &s->ecus[i];
        uint8_t want[256];
        size_t nw = 0;
        for (size_t k = 0; k < npids && nw < sizeof want; k++)
            if (obd_pidset_has(&e->pids, pids[k]))
                want[nw++] = pids[k];
        size_t per = multi ? OBD_MAX_PIDS_PER_REQUEST : 1;
        for (size_t at = 0; at < nw;) {
            size_t k = nw - at < per ? nw - at : per;
            uint8_t req[1 + OBD_MAX_PIDS_PER_REQUEST];
            int len = obd_req_mode01(req, sizeof req, want + at, k);
            int rc = ask(c, obd_target_for(e->addr), req, (size_t)len, 1);
            if (rc)
                return rc;
            int ri = obd_replies_find(&c->rep, e->addr);
            obd_pid_reply_t pr;
            bool ok = ri >= 0 &&
                      obd_parse_pid_reply(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, 0x01, &pr) == OBD_OK &&
                      !pr.nr.negative;
            if (k > 1 && (!ok || pr.count != k)) {
                /* The adapter or ECU mishandles multi-PID requests: ask this
                 * batch (and the rest for this ECU) one PID at a time. */
                per = 1;
                continue;
            }
            if (ok)
                for (size_t p = 0; p < pr.count; p++)
                    use(e, pr.pids[p].pid, pr.pids[p].data, pr.pids[p].len);
            at += k;
        }
    }
    return OBD_OK;
}

static void use_status(obd_ecu_scan_t *e, uint8_t pid, const uint8_t *d, size_t n)
{
    if (pid == 0x01 && obd_readiness_decode(d, n, false, &e->readiness) == OBD_OK) {
        e->has_readiness = true;
        memcpy(e->readiness_raw, d, n < 4 ? n : 4);
    }
    else if (pid == 0x41 && obd_readiness_decode(d, n, true, &e->readiness_cycle) == OBD_OK)
        e->has_readiness_cycle = true;
    else if (n == 2 && (pid == 0x21 || pid == 0x31 || pid == 0x4D || pid == 0x4E)) {
        int v = d[0] << 8 | d[1];
        if (pid == 0x21)
            e->km_with_mil = v;
        else if (pid == 0x31)
            e->km_since_clear = v;
        else if (pid == 0x4D)
            e->min_with_mil = v;
        else
            e->min_since_clear = v;
    } else if (pid == 0x30 && n == 1) {
        e->warmups_since_clear = d[0];
    } else if (pid == 0xA6 && n == 4) {
        uint32_t raw = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
        e->odometer_km = raw / 10.0; /* 0.1 km per bit */
    }
}

static int read_vehicle_info(scan_ctx_t *c)
{
    obd_scan_t *s = c->s;
    obd_info_reply_t *ir = &(obd_info_reply_t){ 0 };
    obd_pidset_t sup[OBD_SCAN_MAX_ECUS];
    memset(sup, 0, sizeof sup);
    uint8_t req[2] = { 0x09, 0x00 };
    int rc = ask(c, OBD_TARGET_ALL, req, 2, n_ecus(s));
    if (rc)
        return rc;
    for (size_t i = 0; i < c->rep.count; i++) {
        obd_ecu_scan_t *e = ecu_of(s, c->rep.r[i].addr);
        if (!e || obd_parse_mode09(obd_reply_data(&c->rep, i), c->rep.r[i].len, ir) || ir->nr.negative ||
            ir->count != 1 || ir->items[0].len != 4)
            continue;
        obd_pidset_merge(&sup[e - s->ecus], 0, ir->items[0].data, 4);
    }
    static const uint8_t types[] = { OBD_INFO_VIN, OBD_INFO_CALID, OBD_INFO_CVN, OBD_INFO_ECUNAME };
    for (size_t t = 0; t < sizeof types; t++) {
        for (size_t i = 0; i < s->necus; i++) {
            obd_ecu_scan_t *e = &s->ecus[i];
            if (!obd_pidset_has(&sup[i], types[t]))
                continue;
            req[1] = types[t];
            rc = ask(c, obd_target_for(e->addr), req, 2, 1);
            if (rc)
                return rc;
            int ri = obd_replies_find(&c->rep, e->addr);
            if (ri < 0 || obd_parse_mode09(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, ir) ||
                ir->nr.negative)
                continue;
            char text[OBD_MAX_INFO_ITEM_LEN + 1];
            for (size_t k = 0; k < ir->count; k++) {
                const obd_info_item_t *it = &ir->items[k];
                if (types[t] == OBD_INFO_VIN && !s->vin[0] && obd_info_text(it, text, sizeof text) == OBD_OK &&
                    strlen(text) == OBD_VIN_LEN) {
                    memcpy(s->vin, text, OBD_VIN_LEN + 1);
                    s->vin_from = e->addr;
                } else if (types[t] == OBD_INFO_CALID && e->ncalid < 4 &&
                           obd_info_text(it, text, sizeof text) == OBD_OK) {
                    snprintf(e->calid[e->ncalid++], sizeof e->calid[0], "%.16s", text);
                } else if (types[t] == OBD_INFO_CVN && e->ncvn < 4 && it->len == 4) {
                    e->cvn[e->ncvn++] = (uint32_t)it->data[0] << 24 | (uint32_t)it->data[1] << 16 |
                                        (uint32_t)it->data[2] << 8 | it->data[3];
                } else if (types[t] == OBD_INFO_ECUNAME && !e->name[0] &&
                           obd_info_text(it, text, sizeof text) == OBD_OK) {
                    snprintf(e->name, sizeof e->name, "%.23s", text);
                }
            }
        }
    }
    return OBD_OK;
}

static int read_dtcs(scan_ctx_t *c, uint8_t sid)
{
    obd_scan_t *s = c->s;
    uint8_t req[1] = { sid };
    int rc = ask(c, OBD_TARGET_ALL, req, 1, n_ecus(s));
    if (rc)
        return rc;
    bool can = obd_proto_is_can(s->link.protocol);
    obd_dtc_list_t *dl = &(obd_dtc_list_t){ 0 };
    for (size_t i = 0; i < c->rep.count; i++) {
        obd_ecu_scan_t *e = ecu_of(s, c->rep.r[i].addr);
        if (!e)
            continue;
        obd_dtc_set_t *set = sid == 0x03 ? &e->stored : sid == 0x07 ? &e->pending : &e->permanent;
        if (obd_parse_dtc_reply(obd_reply_data(&c->rep, i), c->rep.r[i].len, sid, can, dl))
            continue;
        set->read = true;
        if (dl->nr.negative) {
            if (dl->nr.nrc == 0x11 || dl->nr.nrc == 0x12)
                set->unsupported = true;
            else
                set->nrc = dl->nr.nrc;
            continue;
        }
        set->count = dl->count;
        memcpy(set->dtcs, dl->dtcs, dl->count * sizeof dl->dtcs[0]);
    }
    return OBD_OK;
}

static int read_freeze_frame(scan_ctx_t *c, obd_ecu_scan_t *e)
{
    /* The frame's DTC (PID 02) and its PID bitmaps, then the data, 3 PIDs a request. */
    obd_pidset_t ffp;
    memset(&ffp, 0, sizeof ffp);
    obd_target_t to = obd_target_for(e->addr);
    for (unsigned base = 0; base <= 0xC0; base += 0x20) {
        if (base && !obd_pidset_has(&ffp, (uint8_t)base))
            break;
        uint8_t pid = (uint8_t)base, req[8];
        int len = obd_req_mode02(req, sizeof req, &pid, 1, 0);
        int rc = ask(c, to, req, (size_t)len, 1);
        if (rc)
            return rc;
        int ri = obd_replies_find(&c->rep, e->addr);
        obd_pid_reply_t pr;
        if (ri < 0 || obd_parse_pid_reply(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, 0x02, &pr) ||
            pr.nr.negative || pr.count != 1)
            break;
        obd_pidset_merge(&ffp, (uint8_t)base, pr.pids[0].data, pr.pids[0].len);
    }
    uint8_t list[256];
    size_t n = obd_pidset_list(&ffp, list, sizeof list);
    uint8_t batch[3];
    size_t k = 0;
    bool multi = c->s->link.multi_pid;
    for (size_t i = 0; i <= n; i++) {
        bool flush = i == n || k == (multi ? 3u : 1u);
        if (flush && k) {
            uint8_t req[8];
            int len = obd_req_mode02(req, sizeof req, batch, k, 0);
            int rc = ask(c, to, req, (size_t)len, 1);
            if (rc)
                return rc;
            int ri = obd_replies_find(&c->rep, e->addr);
            obd_pid_reply_t pr;
            if (ri >= 0 &&
                !obd_parse_pid_reply(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, 0x02, &pr) &&
                !pr.nr.negative) {
                for (size_t p = 0; p < pr.count; p++) {
                    const obd_pid_raw_t *r = &pr.pids[p];
                    if (r->pid == 0x02 && r->len == 2) {
                        e->ff_dtc = (obd_dtc_t)(r->data[0] << 8 | r->data[1]);
                        e->has_ff = e->ff_dtc != 0;
                    } else if (e->nff < OBD_SCAN_MAX_FF_PIDS && r->len <= 8) {
                        obd_pid_sample_t *smp = &e->ff[e->nff++];
                        smp->pid = r->pid;
                        smp->len = r->len;
                        memcpy(smp->data, r->data, r->len);
                    }
                }
            }
            k = 0;
        }
        if (i == n)
            break;
        if (list[i] % 0x20 == 0 || (list[i] == 0x01)) /* bitmaps; PID 01 is not stored in frames */
            continue;
        batch[k++] = list[i];
    }
    if (!e->has_ff)
        e->nff = 0; /* a frame without its DTC is no frame */
    return OBD_OK;
}

/* Service 06 (CAN form): which monitors ($00/$20/... bitmaps), then each
 * monitor's test results. Legacy protocols use another layout: skipped. */
static int read_mode06(scan_ctx_t *c, obd_ecu_scan_t *e)
{
    obd_pidset_t mids;
    memset(&mids, 0, sizeof mids);
    obd_target_t to = obd_target_for(e->addr);
    obd_mode06_reply_t m; /* per call: bay workers scan in parallel threads */
    for (unsigned base = 0; base <= 0xE0; base += 0x20) {
        if (base && !obd_pidset_has(&mids, (uint8_t)base))
            break;
        uint8_t req[4];
        int len = obd_req_mode06(req, sizeof req, (uint8_t)base);
        int rc = ask(c, to, req, (size_t)len, 1);
        if (rc)
            return rc;
        int ri = obd_replies_find(&c->rep, e->addr);
        if (ri < 0 || obd_parse_mode06(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, &m) ||
            m.nr.negative || !m.is_support)
            break;
        for (unsigned k = 1; k <= 0x20 && base + k <= 0xFF; k++)
            if (obd_pidset_has(&m.support, (uint8_t)(base + k)))
                obd_pidset_add(&mids, (uint8_t)(base + k));
        e->m06_read = true;
    }
    uint8_t list[256];
    size_t n = obd_pidset_list(&mids, list, sizeof list);
    for (size_t i = 0; i < n && e->nm06 < OBD_SCAN_MAX_M06; i++) {
        if (list[i] % 0x20 == 0)
            continue;
        uint8_t req[4];
        int len = obd_req_mode06(req, sizeof req, list[i]);
        int rc = ask(c, to, req, (size_t)len, 1);
        if (rc)
            return rc;
        int ri = obd_replies_find(&c->rep, e->addr);
        if (ri < 0 || obd_parse_mode06(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, &m) ||
            m.nr.negative || m.is_support)
            continue;
        for (size_t t = 0; t < m.count && e->nm06 < OBD_SCAN_MAX_M06; t++)
            e->m06[e->nm06++] = m.tests[t];
    }
    return OBD_OK;
}

/* The ECU whose since-clear counters say codes were cleared lately, or NULL. */
static const obd_ecu_scan_t *cleared_ecu(const obd_scan_t *s)
{
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        if ((e->warmups_since_clear >= 0 && e->warmups_since_clear < 3) ||
            (e->km_since_clear >= 0 && e->km_since_clear < 50))
            return e;
    }
    return NULL;
}

const char *obd_scan_cleared_text(const obd_scan_t *s, obd_lang_t lang, char *out, size_t cap)
{
    const obd_ecu_scan_t *e = cleared_ecu(s);
    if (!out || !cap)
        return "";
    out[0] = 0;
    if (!e)
        return out;
    if (e->warmups_since_clear >= 0 && e->warmups_since_clear < 3)
        snprintf(out, cap,
                 lang == OBD_LANG_ZH ? "控制单元 %X：清码后仅 %d 次暖机" : "ECU %X: %d warm-ups since codes were cleared",
                 (unsigned)e->addr, e->warmups_since_clear);
    else
        snprintf(out, cap,
                 lang == OBD_LANG_ZH ? "控制单元 %X：清码后仅行驶 %d km" : "ECU %X: %d km driven since codes were cleared",
                 (unsigned)e->addr, e->km_since_clear);
    return out;
}

static void judge_cleared(obd_scan_t *s)
{
    if (!cleared_ecu(s))
        return;
    s->recently_cleared = true;
    obd_scan_cleared_text(s, OBD_LANG_EN, s->cleared_why, sizeof s->cleared_why);
}

int obd_scan_run(obd_link_t *l, obd_scan_t *out, obd_progress_fn progress, void *ctx)
{
    memset(out, 0, sizeof *out);
    out->started_ms = wall_ms();
    uint64_t t0 = obd_now_ms();
    scan_ctx_t *c = &(scan_ctx_t){ .l = l, .s = out, .progress = progress, .ctx = ctx };
    obd_link_info(l, &out->link);
    int rc;
    say(c, "finding ECUs", "查找控制单元");
    if ((rc = discover(c)) == OBD_ENOVEHICLE) {
        /* Nobody answered 01 00: an OBD-on-UDS (SAE J1979-2) car answers 22 F400. */
        unsigned tried = out->requests;
        uint64_t started = out->started_ms;
        rc = obd_uds_scan_run(l, out, progress, ctx);
        out->requests += tried;
        out->started_ms = started;
        out->duration_ms = (uint32_t)(obd_now_ms() - t0);
        return rc;
    }
    if (rc)
        goto done;
    say(c, "reading status and readiness", "读取状态与就绪监测");
    static const uint8_t status_pids[] = { 0x01, 0x41, 0x21, 0x30, 0x31, 0x4D, 0x4E, 0xA6 };
    if ((rc = read_pids(c, status_pids, sizeof status_pids, use_status)))
        goto done;
    for (size_t i = 0; i < out->necus; i++) {
        if (!out->ecus[i].has_readiness)
            continue;
        out->mil_on |= out->ecus[i].readiness.mil_on;
        out->dtc_count += out->ecus[i].readiness.dtc_count;
    }
    say(c, "reading vehicle information", "读取车辆信息");
    if ((rc = read_vehicle_info(c)))
        goto done;
    say(c, "reading trouble codes", "读取故障码");
    if ((rc = read_dtcs(c, 0x03)) || (rc = read_dtcs(c, 0x07)) || (rc = read_dtcs(c, 0x0A)))
        goto done;
    say(c, "reading freeze frames", "读取冻结帧");
    for (size_t i = 0; i < out->necus; i++)
        if (obd_pidset_has(&out->ecus[i].pids, 0x02) || out->ecus[i].stored.count)
            if ((rc = read_freeze_frame(c, &out->ecus[i])))
                goto done;
    if (obd_proto_is_can(out->link.protocol)) {
        say(c, "reading monitor test results", "读取监测测试结果");
        for (size_t i = 0; i < out->necus; i++)
            if ((rc = read_mode06(c, &out->ecus[i])))
                goto done;
    }
    judge_cleared(out);
done:
    out->duration_ms = (uint32_t)(obd_now_ms() - t0);
    obd_link_info(l, &out->link);
    return rc;
}

size_t obd_scan_count(const obd_scan_t *s, int kind)
{
    size_t n = 0;
    for (size_t i = 0; i < s->necus; i++) {
        const obd_ecu_scan_t *e = &s->ecus[i];
        n += kind == 0 ? e->stored.count : kind == 1 ? e->pending.count : e->permanent.count;
    }
    return n;
}

/* ---- live data ---- */

int obd_live_init(obd_live_t *lv, obd_link_t *l, const uint8_t *pids, size_t npids, bool multi,
                  uint8_t *unsupported, size_t *nunsupported)
{
    memset(lv, 0, sizeof *lv);
    if (npids == 0 || npids > OBD_LIVE_MAX_PIDS)
        return OBD_EINVAL;
    memcpy(lv->pids, pids, npids);
    lv->npids = npids;
    obd_link_info_t info;
    obd_link_info(l, &info);
    lv->multi = multi && info.multi_pid;
    obd_scan_t *s = calloc(1, sizeof *s);
    if (!s)
        return -12;
    scan_ctx_t *c = &(scan_ctx_t){ .l = l, .s = s };
    s->link = info;
    int rc = discover(c);
    if (rc == OBD_ENOVEHICLE) { /* OBD on UDS (SAE J1979-2): session_uds.c */
        unsigned tried = s->requests;
        free(s);
        rc = obd_uds_live_init(lv, l, pids, npids, unsupported, nunsupported);
        lv->requests += tried;
        lv->multi = multi;
        for (size_t i = 0; i < lv->necus; i++)
            lv->ecus[i].single_only = !multi; /* --single: one DID a request */
        return rc;
    }
    if (!rc) {
        for (size_t i = 0; i < s->necus; i++) {
            lv->ecus[lv->necus].addr = s->ecus[i].addr;
            lv->ecus[lv->necus].pids = s->ecus[i].pids;
            lv->necus++;
        }
        if (nunsupported)
            *nunsupported = 0;
        for (size_t p = 0; p < npids; p++) {
            bool any = false;
            for (size_t i = 0; i < lv->necus; i++)
                any |= obd_pidset_has(&lv->ecus[i].pids, pids[p]);
            if (!any && unsupported && nunsupported)
                unsupported[(*nunsupported)++] = pids[p];
        }
    }
    lv->requests = s->requests;
    free(s);
    return rc;
}

static size_t put_samples(obd_live_t *lv, uint32_t addr, const obd_pid_reply_t *pr, uint64_t t, obd_live_sample_t *out,
                          size_t n, size_t cap)
{
    for (size_t p = 0; p < pr->count && n < cap; p++) {
        bool asked = false;
        for (size_t k = 0; k < lv->npids; k++)
            asked |= lv->pids[k] == pr->pids[p].pid;
        if (!asked || pr->pids[p].len > 8)
            continue;
        obd_live_sample_t *smp = &out[n++];
        smp->addr = addr;
        smp->pid = pr->pids[p].pid;
        smp->t_ms = t;
        smp->len = pr->pids[p].len;
        memcpy(smp->data, pr->pids[p].data, pr->pids[p].len);
    }
    return n;
}

int obd_live_poll(obd_live_t *lv, obd_link_t *l, obd_live_sample_t *out, size_t cap)
{
    if (lv->on_uds)
        return obd_uds_live_poll(lv, l, out, cap);
    obd_replies_t rep; /* on the stack: bay workers run this in parallel threads */
    size_t n = 0;
    for (size_t i = 0; i < lv->necus; i++) {
        obd_live_ecu_t *e = &lv->ecus[i];
        uint8_t want[OBD_LIVE_MAX_PIDS];
        size_t nw = 0;
        for (size_t k = 0; k < lv->npids; k++)
            if (obd_pidset_has(&e->pids, lv->pids[k]))
                want[nw++] = lv->pids[k];
        size_t per = (lv->multi && !e->single_only) ? OBD_MAX_PIDS_PER_REQUEST : 1;
        for (size_t at = 0; at < nw;) {
            size_t k = nw - at < per ? nw - at : per;
            uint8_t req[1 + OBD_MAX_PIDS_PER_REQUEST];
            int len = obd_req_mode01(req, sizeof req, want + at, k);
            obd_request_t r = { .to = obd_target_for(e->addr), .data = req, .len = (size_t)len, .expect = 1 };
            lv->requests++;
            int rc = obd_link_request(l, &r, &rep);
            uint64_t t = wall_ms();
            if (rc)
                return rc;
            int ri = obd_replies_find(&rep, e->addr);
            obd_pid_reply_t pr;
            bool ok = ri >= 0 &&
                      obd_parse_pid_reply(obd_reply_data(&rep, (size_t)ri), rep.r[ri].len, 0x01, &pr) == OBD_OK &&
                      !pr.nr.negative;
            if (k > 1 && (!ok || pr.count != k)) {
                /* NO DATA, a partial or malformed multi-PID reply: this ECU (or
                 * the adapter) cannot do it. Ask one PID at a time from now on,
                 * starting with this batch — values never go missing. */
                e->single_only = true;
                lv->fallbacks++;
                per = 1;
                continue;
            }
            if (ok)
                n = put_samples(lv, e->addr, &pr, t, out, n, cap);
            at += k;
        }
    }
    return (int)n;
}

/* ---- clear ---- */

int obd_clear_run(obd_link_t *l, obd_clear_result_t *out)
{
    obd_replies_t rep; /* on the stack: bay workers run this in parallel threads */
    memset(out, 0, sizeof *out);
    uint8_t req[1] = { OBD_SVC_CLEAR_DTC };
    obd_request_t r = { .to = OBD_TARGET_ALL, .data = req, .len = 1 };
    int rc = obd_link_request(l, &r, &rep);
    if (rc)
        return rc;
    if (rep.count == 0) /* no ECU answered 04: an OBD-on-UDS car clears with 14 FF FF 33 */
        return obd_uds_clear_run(l, out);
    for (size_t i = 0; i < rep.count; i++) {
        obd_nr_t nr;
        if (obd_parse_clear_reply(obd_reply_data(&rep, i), rep.r[i].len, &nr))
            continue;
        if (nr.negative) {
            if (!out->refused) {
                out->refused = true;
                out->nrc = nr.nrc;
                out->refused_by = rep.r[i].addr;
            }
        } else if (out->acked < OBD_SCAN_MAX_ECUS) {
            out->acked_by[out->acked++] = rep.r[i].addr;
        }
    }
    return OBD_OK;
}

double obd_engine_rpm(obd_link_t *l)
{
    obd_replies_t rep; /* on the stack: bay workers run this in parallel threads */
    uint8_t req[2] = { 0x01, 0x0C };
    obd_request_t r = { .to = OBD_TARGET_ALL, .data = req, .len = 2 };
    if (obd_link_request(l, &r, &rep))
        return -1;
    for (size_t i = 0; i < rep.count; i++) {
        obd_pid_reply_t pr;
        if (obd_parse_pid_reply(obd_reply_data(&rep, i), rep.r[i].len, 0x01, &pr) || pr.nr.negative ||
            pr.count != 1 || pr.pids[0].len != 2)
            continue;
        return (pr.pids[0].data[0] * 256 + pr.pids[0].data[1]) / 4.0;
    }
    return rep.count ? -1 : obd_uds_engine_rpm(l); /* silence: maybe OBD on UDS (22 F40C) */
}
