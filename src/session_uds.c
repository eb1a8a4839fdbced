/*
 * session_uds.c — the OBD scan, live data and clear through OBD on UDS
 * (SAE J1979-2): the same obd_scan_t / obd_live_t / obd_clear_result_t as
 * the classic session (session.c), so the CLI, reports, QC, store and DMS
 * messages take them unchanged; only obd_protocol says OBD_PROTOCOL_ON_UDS.
 *
 * What is asked (see obd_uds.h for the mapping and src/obd_uds.c for the
 * sources):
 *   detection   22 F400 functional, nothing else: an ECU that answers it
 *               positively is an emissions ECU (no session control, no
 *               tester present, no non-emission DID);
 *   bitmaps     22 F420 / F440 / ... while the previous bitmap says so;
 *   status      22 F401 F441 F421 F430 F431 F44D (multi-DID, <= 6 a request,
 *               one DID a request for an ECU that mishandles several), F44E,
 *               F4A6;
 *   info        22 F802 / F804 / F806 / F80A;
 *   DTCs        19 42 33 0C FF (confirmed = bit 3 -> stored, pending = bit 2
 *               -> pending), 19 55 33 (permanent);
 *   freeze      19 04 <first confirmed (else pending) DTC> FF, first
 *               snapshot record;
 *   clear       14 FF FF 33.
 * Each read is functional first (counting the ECUs so links stop early),
 * then physical to an ECU that stayed silent — its own request id only.
 * An ECU that answers 7F xx 78 (responsePending) is waited for with one
 * repeat of the request bounded by P2*server_max (5 s); still pending after
 * that, it is reported as not answering. Mode 06 (F6xx) is not read yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "obdgw/obd_uds.h"
#include "obdgw/pid.h"
#include "obdgw/stream.h"

#define P2STAR_MS 5000 /* P2*server_max the ECU may take after a 0x78 */

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
    unsigned *requests;
    obd_progress_fn progress;
    void *ctx;
} uctx_t;

static void say(uctx_t *c, const char *en, const char *zh)
{
    if (c->progress)
        c->progress(c->ctx, en, zh);
}

static bool is_pending(const obd_replies_t *rep, size_t i, uint8_t sid)
{
    const uint8_t *d = obd_reply_data(rep, i);
    return rep->r[i].len == 3 && d[0] == 0x7F && d[1] == sid && uds_nrc_is_pending(d[2]);
}

static void keep_raw(obd_scan_t *s, const uint8_t *req, size_t reqlen, const obd_replies_t *rep)
{
    for (size_t i = 0; s && i < rep->count && s->nraw < OBD_SCAN_MAX_RAW; i++) {
        obd_raw_reply_t *r = &s->raw[s->nraw++];
        r->reqlen = (uint8_t)(reqlen > sizeof r->req ? sizeof r->req : reqlen);
        memcpy(r->req, req, r->reqlen);
        r->addr = rep->r[i].addr;
        r->len = rep->r[i].len;
        memcpy(r->data, obd_reply_data(rep, i), rep->r[i].len > sizeof r->data ? sizeof r->data : rep->r[i].len);
    }
}

/*
 * One request. When a reply is 7F <sid> 78 the ECU has the request and
 * needs longer: the request is repeated once with the link waiting up to
 * P2*; a reply still "pending" after that stays in `rep` and the readers
 * treat it as no answer.
 */
static int xfer(obd_link_t *l, unsigned *requests, obd_scan_t *s, obd_target_t to, const uint8_t *req, size_t len,
                uint8_t expect, obd_replies_t *rep)
{
    obd_request_t r = { .to = to, .data = req, .len = len, .expect = expect };
    (*requests)++;
    int rc = obd_link_request(l, &r, rep);
    keep_raw(s, req, len, rep);
    if (rc)
        return rc;
    bool pend = false;
    for (size_t i = 0; i < rep->count; i++)
        pend |= is_pending(rep, i, req[0]);
    if (!pend)
        return OBD_OK;
    r.timeout_ms = P2STAR_MS;
    (*requests)++;
    rc = obd_link_request(l, &r, rep);
    keep_raw(s, req, len, rep);
    return rc;
}

static int ask(uctx_t *c, obd_target_t to, const uint8_t *req, size_t len, uint8_t expect)
{
    return xfer(c->l, c->requests, c->s, to, req, len, expect, &c->rep);
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

/* ---------------- detection and bitmaps ---------------- */

static int discover(uctx_t *c)
{
    obd_scan_t *s = c->s;
    for (unsigned base = 0; base <= 0xE0; base += 0x20) {
        uint8_t expect = 0;
        if (base) {
            for (size_t i = 0; i < s->necus; i++)
                expect = (uint8_t)(expect + obd_pidset_has(&s->ecus[i].pids, (uint8_t)base));
            if (!expect)
                break;
        }
        uint8_t pid = (uint8_t)base, req[4];
        int len = obd_uds_req_pids(req, sizeof req, &pid, 1);
        int rc = ask(c, OBD_TARGET_ALL, req, (size_t)len, expect);
        if (rc)
            return rc;
        for (size_t i = 0; i < c->rep.count; i++) {
            obd_pid_reply_t pr;
            if (obd_uds_parse_pid_reply(obd_reply_data(&c->rep, i), c->rep.r[i].len, &pid, 1, &pr) ||
                pr.nr.negative || pr.count != 1)
                continue;
            obd_ecu_scan_t *e = ecu_of(s, c->rep.r[i].addr);
            if (!e && base == 0 && s->necus < OBD_SCAN_MAX_ECUS) {
                e = &s->ecus[s->necus++];
                ecu_init(e, c->rep.r[i].addr);
                e->addressing[0x01] = OBD_ADDR_FUNCTIONAL;
            }
            if (e)
                obd_pidset_merge(&e->pids, (uint8_t)base, pr.pids[0].data, pr.pids[0].len);
        }
        if (base == 0 && s->necus == 0)
            return OBD_ENOVEHICLE;
    }
    sort_ecus(s);
    return OBD_OK;
}

/* ---------------- data DIDs (F4xx) ---------------- */

typedef void (*use_fn)(obd_ecu_scan_t *e, uint8_t pid, const uint8_t *d, size_t n);

/* The wanted PIDs one ECU supports, in batches; `use` gets each PID's data. */
static int read_pids(uctx_t *c, const uint8_t *pids, size_t npids, use_fn use)
{
    obd_scan_t *s = c->s;
    for (size_t i = 0; i < s->necus; i++) {
        obd_ecu_scan_t *e = &s->ecus[i];
        uint8_t want[64];
        size_t nw = 0;
        for (size_t k = 0; k < npids && nw < sizeof want; k++)
            if (obd_pidset_has(&e->pids, pids[k]))
                want[nw++] = pids[k];
        size_t per = OBD_UDS_MAX_DIDS_PER_REQUEST;
        for (size_t at = 0; at < nw;) {
            size_t k = nw - at < per ? nw - at : per;
            uint8_t req[1 + 2 * OBD_UDS_MAX_DIDS_PER_REQUEST];
            int len = obd_uds_req_pids(req, sizeof req, want + at, k);
            int rc = ask(c, obd_target_for(e->addr), req, (size_t)len, 1);
            if (rc)
                return rc;
            int ri = obd_replies_find(&c->rep, e->addr);
            obd_pid_reply_t pr;
            bool ok = ri >= 0 &&
                      obd_uds_parse_pid_reply(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, want + at, k,
                                              &pr) == OBD_OK &&
                      !pr.nr.negative;
            if (k > 1 && (!ok || pr.count != k)) {
                per = 1; /* NRC 13/14, silence or a partial reply: one DID a request */
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

/* Same meaning as session.c's PID use: F4xx carries the PID's bytes. */
static void use_status(obd_ecu_scan_t *e, uint8_t pid, const uint8_t *d, size_t n)
{
    if (pid == 0x01 && obd_readiness_decode(d, n, false, &e->readiness) == OBD_OK) {
        e->has_readiness = true;
        memcpy(e->readiness_raw, d, n < 4 ? n : 4);
    } else if (pid == 0x41 && obd_readiness_decode(d, n, true, &e->readiness_cycle) == OBD_OK) {
        e->has_readiness_cycle = true;
    } else if (n == 2 && (pid == 0x21 || pid == 0x31 || pid == 0x4D || pid == 0x4E)) {
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

/* ---------------- functional first, then physical ---------------- */

/*
 * Send `req` functionally, then physically to each ECU that stayed silent.
 * For every ECU, `got` receives its reply (or NULL, 0 when none came) and
 * how it came; sets addressing[svc] when svc is given.
 */
typedef void (*got_fn)(uctx_t *c, obd_ecu_scan_t *e, const uint8_t *p, size_t n, void *arg);

static int ask_each(uctx_t *c, const uint8_t *req, size_t len, uint8_t svc, got_fn got, void *arg)
{
    obd_scan_t *s = c->s;
    int rc = ask(c, OBD_TARGET_ALL, req, len, n_ecus(s));
    if (rc)
        return rc;
    bool answered[OBD_SCAN_MAX_ECUS] = { false };
    for (size_t i = 0; i < s->necus; i++) {
        int ri = obd_replies_find(&c->rep, s->ecus[i].addr);
        if (ri < 0 || is_pending(&c->rep, (size_t)ri, req[0]))
            continue;
        answered[i] = true;
        const uint8_t *d = obd_reply_data(&c->rep, (size_t)ri);
        if (svc)
            s->ecus[i].addressing[svc] = d[0] == 0x7F ? OBD_ADDR_NRC : OBD_ADDR_FUNCTIONAL;
        got(c, &s->ecus[i], d, c->rep.r[ri].len, arg);
    }
    for (size_t i = 0; i < s->necus; i++) {
        if (answered[i])
            continue;
        obd_ecu_scan_t *e = &s->ecus[i];
        s->physical_retries++;
        if ((rc = ask(c, obd_target_for(e->addr), req, len, 1)))
            return rc;
        int ri = obd_replies_find(&c->rep, e->addr);
        if (ri < 0 || is_pending(&c->rep, (size_t)ri, req[0])) {
            if (svc)
                e->addressing[svc] = OBD_ADDR_NONE;
            got(c, e, NULL, 0, arg);
            continue;
        }
        const uint8_t *d = obd_reply_data(&c->rep, (size_t)ri);
        e->physical_first = true;
        if (svc)
            e->addressing[svc] = d[0] == 0x7F ? OBD_ADDR_NRC : OBD_ADDR_PHYSICAL;
        got(c, e, d, c->rep.r[ri].len, arg);
    }
    return OBD_OK;
}

/* ---------------- vehicle information (F8xx) ---------------- */

static uint8_t state_of_nrc(uint8_t nrc)
{
    return uds_nrc_class(nrc) == UDS_NRC_CLASS_NOT_SUPPORTED ? OBD_READ_UNSUPPORTED : OBD_READ_REFUSED;
}

/* Kept and flagged: the check digit applies to North American (1-5) and
 * Chinese (L) VINs and does not match. */
static bool vin_check_failed(const char *vin)
{
    obd_vin_info_t vi;
    bool applies = (vin[0] >= '1' && vin[0] <= '5') || vin[0] == 'L';
    return applies && obd_vin_decode(vin, &vi) == OBD_OK && vi.check == OBD_VIN_CHECK_MISMATCH;
}

static void got_info(uctx_t *c, obd_ecu_scan_t *e, const uint8_t *p, size_t n, void *arg)
{
    uint8_t type = *(const uint8_t *)arg;
    obd_scan_t *s = c->s;
    if (!p) {
        if (!e->info_state)
            e->info_state = OBD_READ_NO_ANSWER;
        return;
    }
    obd_info_reply_t *ir = &(obd_info_reply_t){ 0 };
    int rc = obd_uds_parse_info_reply(p, n, type, ir);
    if (rc) {
        if (e->info_state != OBD_READ_OK)
            e->info_state = OBD_READ_UNREADABLE;
        return;
    }
    if (ir->nr.negative) {
        if (!e->info_state || e->info_state == OBD_READ_NO_ANSWER)
            e->info_state = state_of_nrc(ir->nr.nrc);
        return;
    }
    e->info_state = OBD_READ_OK;
    char text[OBD_MAX_INFO_ITEM_LEN + 1];
    for (size_t k = 0; k < ir->count; k++) {
        const obd_info_item_t *it = &ir->items[k];
        if (type == OBD_INFO_VIN && !s->vin[0] && obd_info_text(it, text, sizeof text) == OBD_OK &&
            strlen(text) == OBD_VIN_LEN) {
            memcpy(s->vin, text, OBD_VIN_LEN + 1);
            s->vin_from = e->addr;
            s->vin_source = OBD_VIN_SRC_UDS_F802;
            s->vin_check_failed = vin_check_failed(s->vin);
        } else if (type == OBD_INFO_CALID && e->ncalid < 4 && obd_info_text(it, text, sizeof text) == OBD_OK) {
            snprintf(e->calid[e->ncalid++], sizeof e->calid[0], "%.16s", text);
        } else if (type == OBD_INFO_CVN && e->ncvn < 4 && it->len == 4) {
            e->cvn[e->ncvn++] = (uint32_t)it->data[0] << 24 | (uint32_t)it->data[1] << 16 |
                                (uint32_t)it->data[2] << 8 | it->data[3];
        } else if (type == OBD_INFO_ECUNAME && !e->name[0] && obd_info_text(it, text, sizeof text) == OBD_OK) {
            snprintf(e->name, sizeof e->name, "%.23s", text);
        }
    }
}

static int read_vehicle_info(uctx_t *c)
{
    static const uint8_t types[] = { OBD_INFO_VIN, OBD_INFO_CALID, OBD_INFO_CVN, OBD_INFO_ECUNAME };
    for (size_t t = 0; t < sizeof types; t++) {
        uint8_t req[3];
        int len = obd_uds_req_info(req, sizeof req, types[t]);
        uint8_t type = types[t];
        int rc = ask_each(c, req, (size_t)len, t == 0 ? OBD_SVC_VEHICLE_INFO : 0, got_info, &type);
        if (rc)
            return rc;
    }
    return OBD_OK;
}

/* ---------------- DTCs (19 42 / 19 55) ---------------- */

static void set_unreadable(obd_dtc_set_t *set, const uint8_t *p, size_t n, const char *why)
{
    set->state = OBD_READ_UNREADABLE;
    set->rawlen = (uint16_t)(n > 0xFFFF ? 0xFFFF : n);
    memcpy(set->raw, p, n < OBD_READ_RAW_MAX ? n : OBD_READ_RAW_MAX);
    snprintf(set->deviation, sizeof set->deviation, "%s", why);
}

static void set_nrc(obd_dtc_set_t *set, uint8_t nrc)
{
    set->read = true;
    set->state = state_of_nrc(nrc);
    if (set->state == OBD_READ_UNSUPPORTED)
        set->unsupported = true;
    else
        set->nrc = nrc;
}

static void got_dtcs(uctx_t *c, obd_ecu_scan_t *e, const uint8_t *p, size_t n, void *arg)
{
    (void)c;
    uint8_t sf = *(const uint8_t *)arg;
    obd_dtc_set_t *sets[2] = { sf == OBD_UDS_RDTC_WWH_BY_MASK ? &e->stored : &e->permanent,
                               sf == OBD_UDS_RDTC_WWH_BY_MASK ? &e->pending : NULL };
    for (int k = 0; k < 2; k++)
        if (sets[k])
            sets[k]->addressing = sf == OBD_UDS_RDTC_WWH_BY_MASK ? e->addressing[0x03] : e->addressing[0x0A];
    if (!p) {
        for (int k = 0; k < 2; k++)
            if (sets[k])
                sets[k]->state = OBD_READ_NO_ANSWER;
        return;
    }
    obd_uds_dtc_reply_t *r = malloc(sizeof *r);
    if (!r)
        return;
    int rc = obd_uds_parse_dtc_reply(p, n, sf, r);
    for (int k = 0; k < 2; k++) {
        obd_dtc_set_t *set = sets[k];
        if (!set)
            continue;
        if (rc && rc != OBD_ENOSPC) {
            set->read = true;
            set_unreadable(set, p, n, rc == OBD_ELEN ? "DTC records not whole" : "reply does not decode");
            continue;
        }
        if (r->nr.negative) {
            set_nrc(set, r->nr.nrc);
            continue;
        }
        set->read = true;
        uint8_t mask = sf == OBD_UDS_RDTC_WWH_PERMANENT ? 0xFF : k == 0 ? UDS_ST_CONFIRMED : UDS_ST_PENDING;
        size_t matched = obd_uds_dtc_set_fill(set, r, mask);
        set->state = OBD_READ_OK;
        if (rc == OBD_ENOSPC || matched > set->count) {
            set->state = OBD_READ_DEVIATION;
            snprintf(set->deviation, sizeof set->deviation, "%zu DTCs reported, %zu kept",
                     rc == OBD_ENOSPC ? r->total : matched, set->count);
        } else if (r->fgid != OBD_UDS_FGID_EMISSIONS) {
            set->state = OBD_READ_DEVIATION;
            snprintf(set->deviation, sizeof set->deviation, "functional group %02X echoed, 33 asked", r->fgid);
        }
    }
    free(r);
}

static int read_dtcs(uctx_t *c)
{
    uint8_t req[5], sf = OBD_UDS_RDTC_WWH_BY_MASK;
    int len = obd_uds_req_dtcs(req, sizeof req, UDS_ST_CONFIRMED | UDS_ST_PENDING);
    int rc = ask_each(c, req, (size_t)len, OBD_SVC_STORED_DTC, got_dtcs, &sf);
    for (size_t i = 0; i < c->s->necus; i++) { /* one request answers both lists */
        c->s->ecus[i].addressing[OBD_SVC_PENDING_DTC] = c->s->ecus[i].addressing[OBD_SVC_STORED_DTC];
        c->s->ecus[i].pending.addressing = c->s->ecus[i].stored.addressing;
    }
    if (rc)
        return rc;
    sf = OBD_UDS_RDTC_WWH_PERMANENT;
    len = obd_uds_req_permanent(req, sizeof req);
    return ask_each(c, req, (size_t)len, OBD_SVC_PERMANENT_DTC, got_dtcs, &sf);
}

/* ---------------- freeze frame (19 04) ---------------- */

/* The frame of the first confirmed DTC, else of the first pending one (a
 * J1979-2 ECU stores frames from the pending stage on). */
static int read_freeze_frame(uctx_t *c, obd_ecu_scan_t *e)
{
    const obd_dtc_set_t *from = e->stored.count ? &e->stored : &e->pending;
    uint32_t code = (uint32_t)from->dtcs[0] << 8 | from->ftb[0];
    uint8_t req[6];
    int len = obd_uds_req_snapshot(req, sizeof req, code);
    if (len < 0)
        return len;
    int rc = ask(c, obd_target_for(e->addr), req, (size_t)len, 1);
    if (rc)
        return rc;
    int ri = obd_replies_find(&c->rep, e->addr);
    if (ri < 0 || is_pending(&c->rep, (size_t)ri, req[0])) {
        e->ff_state = OBD_READ_NO_ANSWER;
        e->addressing[OBD_SVC_FREEZE_FRAME] = OBD_ADDR_NONE;
        return OBD_OK;
    }
    e->addressing[OBD_SVC_FREEZE_FRAME] = OBD_ADDR_PHYSICAL;
    obd_nr_t nr;
    size_t n = 0;
    rc = obd_uds_snapshot_ff(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, code, &nr, e->ff,
                             OBD_SCAN_MAX_FF_PIDS, &n);
    if (rc) {
        e->ff_state = OBD_READ_UNREADABLE;
        return OBD_OK;
    }
    if (nr.negative) {
        e->addressing[OBD_SVC_FREEZE_FRAME] = OBD_ADDR_NRC;
        e->ff_state = state_of_nrc(nr.nrc);
        return OBD_OK;
    }
    e->ff_state = OBD_READ_OK;
    e->nff = n;
    e->has_ff = n > 0;
    e->ff_dtc = e->has_ff ? from->dtcs[0] : 0;
    return OBD_OK;
}

/* ---------------- the scan ---------------- */

int obd_uds_scan_run(obd_link_t *l, obd_scan_t *out, obd_progress_fn progress, void *ctx)
{
    memset(out, 0, sizeof *out);
    out->started_ms = wall_ms();
    out->obd_protocol = OBD_PROTOCOL_ON_UDS;
    uint64_t t0 = obd_now_ms();
    uctx_t *c = calloc(1, sizeof *c);
    if (!c)
        return -12;
    *c = (uctx_t){ .l = l, .s = out, .requests = &out->requests, .progress = progress, .ctx = ctx };
    obd_link_info(l, &out->link);
    int rc;
    say(c, "finding ECUs (OBD on UDS)", "查找控制单元（UDS 上的 OBD）");
    if ((rc = discover(c)))
        goto done;
    say(c, "reading status and readiness", "读取状态与就绪监测");
    static const uint8_t status_pids[] = { 0x01, 0x41, 0x21, 0x30, 0x31, 0x4D, 0x4E, 0xA6 };
    if ((rc = read_pids(c, status_pids, sizeof status_pids, use_status)))
        goto done;
    for (size_t i = 0; i < out->necus; i++) {
        if (!out->ecus[i].has_readiness)
            continue;
        out->status_known = true;
        out->mil_on |= out->ecus[i].readiness.mil_on;
        out->dtc_count += out->ecus[i].readiness.dtc_count;
    }
    say(c, "reading vehicle information", "读取车辆信息");
    if ((rc = read_vehicle_info(c)))
        goto done;
    say(c, "reading trouble codes", "读取故障码");
    if ((rc = read_dtcs(c)))
        goto done;
    say(c, "reading freeze frames", "读取冻结帧");
    for (size_t i = 0; i < out->necus; i++)
        if (obd_read_usable(out->ecus[i].stored.state) && (out->ecus[i].stored.count || out->ecus[i].pending.count))
            if ((rc = read_freeze_frame(c, &out->ecus[i])))
                goto done;
    obd_scan_cleared_text(out, OBD_LANG_EN, out->cleared_why, sizeof out->cleared_why);
    out->recently_cleared = out->cleared_why[0] != 0;
done:
    free(c);
    out->duration_ms = (uint32_t)(obd_now_ms() - t0);
    obd_link_info(l, &out->link);
    return rc;
}

/* ---------------- live data ---------------- */

int obd_uds_live_init(obd_live_t *lv, obd_link_t *l, const uint8_t *pids, size_t npids, uint8_t *unsupported,
                      size_t *nunsupported)
{
    memset(lv, 0, sizeof *lv);
    if (!pids || npids == 0 || npids > OBD_LIVE_MAX_PIDS)
        return OBD_EINVAL;
    memcpy(lv->pids, pids, npids);
    lv->npids = npids;
    lv->multi = true;
    lv->on_uds = true;
    obd_scan_t *s = calloc(1, sizeof *s);
    uctx_t *c = calloc(1, sizeof *c);
    int rc = -12;
    if (!s || !c)
        goto out;
    *c = (uctx_t){ .l = l, .s = s, .requests = &lv->requests };
    obd_link_info(l, &s->link);
    rc = discover(c);
    if (rc)
        goto out;
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
out:
    free(c);
    free(s);
    return rc;
}

int obd_uds_live_poll(obd_live_t *lv, obd_link_t *l, obd_live_sample_t *out, size_t cap)
{
    obd_replies_t *rep = malloc(sizeof *rep);
    if (!rep)
        return -12;
    size_t n = 0;
    int rc = OBD_OK;
    for (size_t i = 0; i < lv->necus && !rc; i++) {
        obd_live_ecu_t *e = &lv->ecus[i];
        uint8_t want[OBD_LIVE_MAX_PIDS];
        size_t nw = 0;
        for (size_t k = 0; k < lv->npids; k++)
            if (obd_pidset_has(&e->pids, lv->pids[k]))
                want[nw++] = lv->pids[k];
        size_t per = e->single_only ? 1 : OBD_UDS_MAX_DIDS_PER_REQUEST;
        for (size_t at = 0; at < nw;) {
            size_t k = nw - at < per ? nw - at : per;
            uint8_t req[1 + 2 * OBD_UDS_MAX_DIDS_PER_REQUEST];
            int len = obd_uds_req_pids(req, sizeof req, want + at, k);
            rc = xfer(l, &lv->requests, NULL, obd_target_for(e->addr), req, (size_t)len, 1, rep);
            uint64_t t = wall_ms();
            if (rc)
                break;
            int ri = obd_replies_find(rep, e->addr);
            obd_pid_reply_t pr;
            bool ok = ri >= 0 &&
                      obd_uds_parse_pid_reply(obd_reply_data(rep, (size_t)ri), rep->r[ri].len, want + at, k, &pr) ==
                          OBD_OK &&
                      !pr.nr.negative;
            if (k > 1 && (!ok || pr.count != k)) {
                e->single_only = true; /* as the classic poll: never lose a value */
                lv->fallbacks++;
                per = 1;
                continue;
            }
            for (size_t p = 0; ok && p < pr.count && n < cap; p++) {
                if (pr.pids[p].len > 8)
                    continue;
                obd_live_sample_t *smp = &out[n++];
                smp->addr = e->addr;
                smp->pid = pr.pids[p].pid;
                smp->t_ms = t;
                smp->len = pr.pids[p].len;
                memcpy(smp->data, pr.pids[p].data, pr.pids[p].len);
            }
            at += k;
        }
    }
    free(rep);
    return rc ? rc : (int)n;
}

/* ---------------- clear ---------------- */

int obd_uds_clear_run(obd_link_t *l, obd_clear_result_t *out)
{
    memset(out, 0, sizeof *out);
    obd_replies_t *rep = malloc(sizeof *rep);
    if (!rep)
        return -12;
    uint8_t req[4];
    unsigned requests = 0;
    int len = obd_uds_req_clear(req, sizeof req);
    int rc = xfer(l, &requests, NULL, OBD_TARGET_ALL, req, (size_t)len, 0, rep);
    for (size_t i = 0; !rc && i < rep->count; i++) {
        obd_nr_t nr;
        if (uds_parse_clear_reply(obd_reply_data(rep, i), rep->r[i].len, &nr))
            continue;
        if (nr.negative) {
            if (uds_nrc_is_pending(nr.nrc))
                continue; /* still pending after P2*: no acknowledgement */
            if (!out->refused) {
                out->refused = true;
                out->nrc = nr.nrc;
                out->refused_by = rep->r[i].addr;
            }
        } else if (out->acked < OBD_SCAN_MAX_ECUS) {
            out->acked_by[out->acked++] = rep->r[i].addr;
        }
    }
    free(rep);
    return rc;
}

double obd_uds_engine_rpm(obd_link_t *l)
{
    obd_replies_t *rep = malloc(sizeof *rep);
    if (!rep)
        return -1;
    uint8_t pid = 0x0C, req[3];
    unsigned requests = 0;
    double rpm = -1;
    int len = obd_uds_req_pids(req, sizeof req, &pid, 1);
    if (!xfer(l, &requests, NULL, OBD_TARGET_ALL, req, (size_t)len, 0, rep))
        for (size_t i = 0; i < rep->count && rpm < 0; i++) {
            obd_pid_reply_t pr;
            if (obd_uds_parse_pid_reply(obd_reply_data(rep, i), rep->r[i].len, &pid, 1, &pr) || pr.nr.negative ||
                pr.count != 1 || pr.pids[0].len != 2)
                continue;
            rpm = (pr.pids[0].data[0] * 256 + pr.pids[0].data[1]) / 4.0;
        }
    free(rep);
    return rpm;
}
