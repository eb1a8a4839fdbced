/*
 * session.c — the full OBD scan, live data and clear over any link.
 *
 * Request planning: the first 01 00 is functional with no expected count
 * (we do not know how many ECUs there are); after that every functional
 * request carries the ECU count so ELM327s and CAN links return as soon as
 * the last ECU answered instead of waiting out a timeout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "obdgw/canlink.h"
#include "obdgw/obd_uds.h"
#include "obdgw/pid.h"
#include "obdgw/scan_text.h"
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
static int ask_f(scan_ctx_t *c, obd_target_t to, const uint8_t *req, size_t len, uint8_t expect, uint8_t flags)
{
    obd_request_t r = { .to = to, .data = req, .len = len, .expect = expect, .flags = flags };
    c->s->requests++;
    int rc = obd_link_request(c->l, &r, &c->rep);
    keep_raw(c->s, req, len, &c->rep);
    return rc;
}

static int ask(scan_ctx_t *c, obd_target_t to, const uint8_t *req, size_t len, uint8_t expect)
{
    return ask_f(c, to, req, len, expect, 0);
}

/* A link error that is this request's answer, not the link's failure: the
 * adapter refused the request itself ('?'), which the scan records as the
 * service's state (unsupported) and goes on. */
static bool refused_request(int rc) { return rc == OBD_EUNSUPPORTED; }

static void add_note(obd_scan_t *s, const char *key)
{
    for (size_t i = 0; i < s->nnotes; i++)
        if (!strcmp(s->notes[i], key))
            return;
    if (s->nnotes < sizeof s->notes / sizeof s->notes[0])
        snprintf(s->notes[s->nnotes++], sizeof s->notes[0], "%s", key);
}

/* One ECU's reply to a request asked of every ECU: `d` NULL when the ECU
 * gave none (functionally nor physically). */
typedef void (*take_fn)(scan_ctx_t *c, obd_ecu_scan_t *e, const uint8_t *d, size_t n, uint8_t how, void *arg);

/*
 * Ask every discovered ECU: one functional request (to the ECUs that have
 * not needed physical addressing), then the same request physically to each
 * ECU that stayed silent — only to its own pair (obd_target_for), never to a
 * guessed address. An ECU that needed it once is asked physically first for
 * the rest of the scan. `svc` indexes addressing[].
 */
static int ask_each(scan_ctx_t *c, const uint8_t *req, size_t len, uint8_t svc, uint8_t flags, take_fn take,
                    void *arg)
{
    obd_scan_t *s = c->s;
    bool got[OBD_SCAN_MAX_ECUS] = { false };
    size_t nfunc = 0;
    for (size_t i = 0; i < s->necus; i++)
        nfunc += !s->ecus[i].physical_first;
    if (nfunc) {
        int rc = ask_f(c, OBD_TARGET_ALL, req, len, (uint8_t)(nfunc > 15 ? 15 : nfunc), flags);
        if (rc && !refused_request(rc))
            return rc;
        if (refused_request(rc)) {
            /* The adapter refused the request as such: no ECU will see it physically either. */
            for (size_t i = 0; i < s->necus; i++)
                take(c, &s->ecus[i], NULL, 0, OBD_ADDR_NOT_ASKED, arg);
            return OBD_OK;
        }
        for (size_t i = 0; i < c->rep.count; i++) {
            obd_ecu_scan_t *e = NULL;
            for (size_t k = 0; k < s->necus; k++)
                if (s->ecus[k].addr == c->rep.r[i].addr)
                    e = &s->ecus[k];
            if (!e || got[e - s->ecus])
                continue;
            got[e - s->ecus] = true;
            take(c, e, obd_reply_data(&c->rep, i), c->rep.r[i].len, OBD_ADDR_FUNCTIONAL, arg);
        }
    }
    for (size_t i = 0; i < s->necus; i++) {
        obd_ecu_scan_t *e = &s->ecus[i];
        if (got[i])
            continue;
        int rc = ask_f(c, obd_target_for(e->addr), req, len, 1, (uint8_t)(flags | OBD_REQ_EXPECT_ANSWER));
        if (!e->physical_first)
            s->physical_retries++;
        if (rc && !refused_request(rc))
            return rc;
        int ri = rc ? -1 : obd_replies_find(&c->rep, e->addr);
        if (ri < 0) {
            take(c, e, NULL, 0, OBD_ADDR_NONE, arg);
            continue;
        }
        if (!e->physical_first) {
            e->physical_first = true;
            char a[16], k[112];
            snprintf(a, sizeof a, "%X", (unsigned)e->addr);
            snprintf(k, sizeof k, OBD_NOTE_PHYSICAL_ONLY, a);
            add_note(s, k);
        }
        if (svc <= OBD_ADDR_SVC_MAX)
            e->fallback_svcs |= (uint16_t)(1u << svc);
        take(c, e, obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, OBD_ADDR_PHYSICAL, arg);
    }
    return OBD_OK;
}

static void set_addressing(obd_ecu_scan_t *e, uint8_t svc, uint8_t how)
{
    if (svc <= OBD_ADDR_SVC_MAX && (e->addressing[svc] == OBD_ADDR_NOT_ASKED || e->addressing[svc] == OBD_ADDR_NONE ||
                                    how == OBD_ADDR_FUNCTIONAL))
        e->addressing[svc] = how;
}

static obd_ecu_scan_t *ecu_of(obd_scan_t *s, uint32_t addr)
{
    for (size_t i = 0; i < s->necus; i++)
        if (s->ecus[i].addr == addr)
            return &s->ecus[i];
    return NULL;
}

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
/* After 01 00: the bitmaps $20..$C0 in one functional request (a CAN
 * request may name up to six PIDs; each ECU answers the ones it supports).
 * Returns the first base still to be asked one at a time: 0xE0 when the
 * chains all came (the loop then asks $E0 if any ECU calls for it), else the
 * lowest bitmap an ECU called for and did not send. */
static unsigned discover_multi(scan_ctx_t *c)
{
    obd_scan_t *s = c->s;
    uint8_t expect = 0;
    for (size_t i = 0; i < s->necus; i++)
        expect = (uint8_t)(expect + obd_pidset_has(&s->ecus[i].pids, 0x20));
    if (!expect || !s->link.multi_pid)
        return 0x20;
    static const uint8_t rq[7] = { 0x01, 0x20, 0x40, 0x60, 0x80, 0xA0, 0xC0 };
    if (ask(c, OBD_TARGET_ALL, rq, sizeof rq, expect))
        return 0x20; /* the one-at-a-time loop meets the failure again and reports it */
    unsigned resume = 0xE0;
    for (size_t i = 0; i < s->necus; i++) {
        obd_ecu_scan_t *e = &s->ecus[i];
        if (!obd_pidset_has(&e->pids, 0x20))
            continue;
        int ri = obd_replies_find(&c->rep, e->addr);
        obd_pid_reply_t pr;
        bool ok = ri >= 0 && obd_parse_pid_reply(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, 0x01, &pr) ==
                                 OBD_OK && !pr.nr.negative;
        unsigned b = 0x20;
        for (; b <= 0xC0 && obd_pidset_has(&e->pids, (uint8_t)b); b += 0x20) {
            const obd_pid_raw_t *pd = NULL;
            for (size_t k = 0; ok && k < pr.count && !pd; k++)
                if (pr.pids[k].pid == b)
                    pd = &pr.pids[k];
            if (!pd)
                break;
            obd_pidset_merge(&e->pids, (uint8_t)b, pd->data, pd->len);
        }
        if (b <= 0xC0 && obd_pidset_has(&e->pids, (uint8_t)b) && b < resume)
            resume = b;
    }
    return resume;
}

static int discover(scan_ctx_t *c)
{
    obd_scan_t *s = c->s;
    for (unsigned base = 0; base <= 0xE0; base += 0x20) {
        if (base == 0x20) {
            base = discover_multi(c);
            if (base > 0xE0)
                break;
        }
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
            if (ok) {
                set_addressing(e, 0x01, OBD_ADDR_PHYSICAL);
                for (size_t p = 0; p < pr.count; p++)
                    use(e, pr.pids[p].pid, pr.pids[p].data, pr.pids[p].len);
            } else if (ri >= 0 && obd_parse_pid_reply(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, 0x01,
                                                      &pr) == OBD_OK && pr.nr.negative) {
                set_addressing(e, 0x01, OBD_ADDR_NRC);
            }
            if (k == 1 && !(ok && pr.count == 1 && pr.pids[0].pid == want[at])) {
                if (ri < 0) {
                    obd_pidset_add(&e->silent_pids, want[at]); /* listed, asked, never answered */
                    set_addressing(e, 0x01, OBD_ADDR_NONE);
                }
            }
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

/* 09 00 from every ECU (functional, then physical to the silent ones). */
typedef struct {
    obd_pidset_t sup[OBD_SCAN_MAX_ECUS];
    bool listed[OBD_SCAN_MAX_ECUS]; /* the ECU gave a readable 09 00 */
} info_sup_t;

static void take_info_sup(scan_ctx_t *c, obd_ecu_scan_t *e, const uint8_t *d, size_t n, uint8_t how, void *arg)
{
    info_sup_t *is = arg;
    size_t i = (size_t)(e - c->s->ecus);
    obd_info_reply_t *ir = &(obd_info_reply_t){ 0 };
    if (!d) {
        set_addressing(e, 0x09, how);
        e->info_state = how == OBD_ADDR_NOT_ASKED ? OBD_READ_UNSUPPORTED : OBD_READ_NO_ANSWER;
        return;
    }
    if (obd_parse_mode09(d, n, ir)) {
        set_addressing(e, 0x09, how);
        e->info_state = OBD_READ_UNREADABLE;
        return;
    }
    if (ir->nr.negative) {
        set_addressing(e, 0x09, OBD_ADDR_NRC);
        e->info_state = ir->nr.nrc == 0x11 || ir->nr.nrc == 0x12 ? OBD_READ_UNSUPPORTED : OBD_READ_REFUSED;
        return;
    }
    set_addressing(e, 0x09, how);
    if (ir->count != 1 || ir->items[0].len != 4) {
        e->info_state = OBD_READ_UNREADABLE;
        return;
    }
    e->info_state = OBD_READ_OK;
    is->listed[i] = true;
    obd_pidset_merge(&is->sup[i], 0, ir->items[0].data, 4);
}

/* Keep a VIN as read: 17 characters after J1979 trimming (obd_info_text
 * drops only 00/FF/space padding, never a real 0/1/2), flagged when the
 * check digit applies and does not match — never dropped for it. */
static bool take_vin(obd_scan_t *s, const char *text, uint32_t from, obd_vin_source_t src)
{
    if (s->vin[0] || strlen(text) != OBD_VIN_LEN)
        return false;
    for (size_t i = 0; i < OBD_VIN_LEN; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'A' && text[i] <= 'Z') ||
              (text[i] >= 'a' && text[i] <= 'z')))
            return false;
    memcpy(s->vin, text, OBD_VIN_LEN + 1);
    s->vin_from = from;
    s->vin_source = (uint8_t)src;
    obd_vin_info_t vi;
    s->vin_check_failed = obd_vin_decode(s->vin, &vi) == OBD_OK && vi.check == 1;
    return true;
}

/* One infotype from one ECU, physically. */
static int read_info_type(scan_ctx_t *c, obd_ecu_scan_t *e, uint8_t type, bool listed)
{
    obd_scan_t *s = c->s;
    obd_info_reply_t *ir = &(obd_info_reply_t){ 0 };
    uint8_t req[2] = { 0x09, type };
    int rc = ask_f(c, obd_target_for(e->addr), req, 2, 1, listed ? OBD_REQ_EXPECT_ANSWER : 0);
    if (refused_request(rc))
        return OBD_OK;
    if (rc)
        return rc;
    int ri = obd_replies_find(&c->rep, e->addr);
    if (ri < 0)
        return OBD_OK;
    if (obd_parse_mode09(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, ir)) {
        if (listed && e->info_state == OBD_READ_OK)
            e->info_state = OBD_READ_UNREADABLE;
        return OBD_OK;
    }
    if (ir->nr.negative)
        return OBD_OK;
    if (e->info_state != OBD_READ_OK && e->info_state != OBD_READ_UNREADABLE) {
        e->info_state = OBD_READ_OK; /* 09 00 failed, but the infotype answered */
        set_addressing(e, 0x09, OBD_ADDR_PHYSICAL);
    }
    char text[OBD_MAX_INFO_ITEM_LEN + 1];
    for (size_t k = 0; k < ir->count; k++) {
        const obd_info_item_t *it = &ir->items[k];
        if (type == OBD_INFO_VIN && obd_info_text(it, text, sizeof text) == OBD_OK) {
            take_vin(s, text, e->addr, listed ? OBD_VIN_SRC_MODE09 : OBD_VIN_SRC_MODE09_UNLISTED);
        } else if (type == OBD_INFO_CALID && e->ncalid < 4 && obd_info_text(it, text, sizeof text) == OBD_OK) {
            snprintf(e->calid[e->ncalid++], sizeof e->calid[0], "%.16s", text);
        } else if (type == OBD_INFO_CVN && e->ncvn < 4 && it->len == 4) {
            e->cvn[e->ncvn++] = (uint32_t)it->data[0] << 24 | (uint32_t)it->data[1] << 16 |
                                (uint32_t)it->data[2] << 8 | it->data[3];
        } else if (type == OBD_INFO_ECUNAME && !e->name[0] && obd_info_text(it, text, sizeof text) == OBD_OK) {
            snprintf(e->name, sizeof e->name, "%.23s", text);
        }
    }
    return OBD_OK;
}

/* Last VIN fallback on CAN: UDS ReadDataByIdentifier F190 (ISO 14229-1
 * vehicleIdentificationNumberDataIdentifier), physically, engine first. */
static int read_vin_uds(scan_ctx_t *c)
{
    obd_scan_t *s = c->s;
    if (!obd_proto_is_can(s->link.protocol))
        return OBD_OK;
    for (size_t i = 0; i < s->necus && !s->vin[0]; i++) {
        obd_ecu_scan_t *e = &s->ecus[i];
        static const uint8_t req[3] = { 0x22, 0xF1, 0x90 };
        int rc = ask(c, obd_target_for(e->addr), req, 3, 1);
        if (refused_request(rc))
            return OBD_OK;
        if (rc)
            return rc;
        int ri = obd_replies_find(&c->rep, e->addr);
        if (ri < 0)
            continue;
        const uint8_t *d = obd_reply_data(&c->rep, (size_t)ri);
        size_t n = c->rep.r[ri].len;
        if (n < 4 || d[0] != 0x62 || d[1] != 0xF1 || d[2] != 0x90)
            continue;
        obd_info_item_t it = { 0 };
        size_t m = n - 3 > OBD_MAX_INFO_ITEM_LEN ? OBD_MAX_INFO_ITEM_LEN : n - 3;
        memcpy(it.data, d + 3, m);
        it.len = (uint8_t)m;
        char text[OBD_MAX_INFO_ITEM_LEN + 1];
        if (obd_info_text(&it, text, sizeof text) == OBD_OK)
            take_vin(s, text, e->addr, OBD_VIN_SRC_UDS_F190);
    }
    return OBD_OK;
}

static int read_vehicle_info(scan_ctx_t *c)
{
    obd_scan_t *s = c->s;
    info_sup_t *is = &(info_sup_t){ 0 };
    static const uint8_t req[2] = { 0x09, 0x00 };
    int rc = ask_each(c, req, 2, 0x09, 0, take_info_sup, is);
    if (rc)
        return rc;
    static const uint8_t types[] = { OBD_INFO_VIN, OBD_INFO_CALID, OBD_INFO_CVN, OBD_INFO_ECUNAME };
    /* ECU by ECU (engine first: its VIN is the one kept), each ECU's
     * infotypes in a row: on an ELM327 the header changes once per ECU */
    for (size_t i = 0; i < s->necus; i++)
        for (size_t t = 0; t < sizeof types; t++)
            if (obd_pidset_has(&is->sup[i], types[t]) && (types[t] != OBD_INFO_VIN || !s->vin[0]))
                if ((rc = read_info_type(c, &s->ecus[i], types[t], true)))
                    return rc;
    /* 09 02 even where 09 00 was missing, NO DATA, negative or did not list
     * it (cars that answer the VIN but not the bitmap exist): engine first
     * (ECUs are sorted by address, 7E8 / 18DAF110 / 10 first). */
    for (size_t i = 0; i < s->necus && !s->vin[0]; i++)
        if (!obd_pidset_has(&is->sup[i], OBD_INFO_VIN))
            if ((rc = read_info_type(c, &s->ecus[i], OBD_INFO_VIN, false)))
                return rc;
    if (!s->vin[0] && (rc = read_vin_uds(c)))
        return rc;
    if (s->vin_source == OBD_VIN_SRC_MODE09_UNLISTED)
        add_note(s, OBD_NOTE_VIN_UNLISTED);
    else if (s->vin_source == OBD_VIN_SRC_UDS_F190)
        add_note(s, OBD_NOTE_VIN_UDS);
    return OBD_OK;
}

static obd_dtc_set_t *dtc_set(obd_ecu_scan_t *e, uint8_t sid)
{
    return sid == 0x03 ? &e->stored : sid == 0x07 ? &e->pending : &e->permanent;
}

static void take_dtcs(scan_ctx_t *c, obd_ecu_scan_t *e, const uint8_t *d, size_t n, uint8_t how, void *arg)
{
    uint8_t sid = *(const uint8_t *)arg;
    obd_dtc_set_t *set = dtc_set(e, sid);
    set->addressing = how;
    set_addressing(e, sid, how);
    if (!d) {
        /* The adapter refused the request itself ('?'): no ECU saw it. The
         * service's state is `not_supported` (on this link), the deviation
         * says it was the adapter, not the ECU; never "no answer". QC treats
         * an unsupported stored list as unread. */
        set->read = false;
        set->unsupported = false;
        if (how == OBD_ADDR_NOT_ASKED) {
            set->state = OBD_READ_UNSUPPORTED;
            set->nrc = 0;
            snprintf(set->deviation, sizeof set->deviation, "%s", OBD_DEV_ADAPTER_REFUSED);
        } else {
            set->state = OBD_READ_NO_ANSWER;
        }
        return;
    }
    bool can = obd_proto_is_can(c->s->link.protocol);
    int expected = sid == 0x03 && e->has_readiness ? (int)e->readiness.dtc_count : -1;
    obd_dtc_list_t *dl = &(obd_dtc_list_t){ 0 };
    obd_dtc_dev_t dev;
    int rc = obd_parse_dtc_reply_lenient(d, n, sid, can, expected, dl, &dev);
    if (rc) {
        /* Bytes arrived but are no DTC reply: kept, shown in hex; never
         * "no answer" and never "no codes". `read` stays false so code
         * that knows only the flags treats it as unread. */
        set->state = OBD_READ_UNREADABLE;
        char b[16];
        if (rc == OBD_ESID && n) {
            snprintf(b, sizeof b, "%02X", d[0]);
            snprintf(set->deviation, sizeof set->deviation, OBD_DEV_UNREADABLE_SID, b);
        } else {
            snprintf(b, sizeof b, "%zu", n);
            snprintf(set->deviation, sizeof set->deviation, OBD_DEV_UNREADABLE_SHORT, b);
        }
        set->rawlen = (uint16_t)(n > 0xFFFF ? 0xFFFF : n);
        memcpy(set->raw, d, n < sizeof set->raw ? n : sizeof set->raw);
        return;
    }
    set->read = true;
    if (dl->nr.negative) {
        set->addressing = OBD_ADDR_NRC;
        e->addressing[sid] = OBD_ADDR_NRC;
        if (dl->nr.nrc == 0x11 || dl->nr.nrc == 0x12) {
            set->unsupported = true;
            set->state = OBD_READ_UNSUPPORTED;
        } else {
            set->nrc = dl->nr.nrc;
            set->state = OBD_READ_REFUSED;
            if (dl->nr.nrc == 0x78) { /* the link gave up waiting for the final answer */
                char b[4];
                snprintf(b, sizeof b, "%02X", sid);
                snprintf(set->deviation, sizeof set->deviation, OBD_DEV_PENDING_NO_FINAL, b);
            }
        }
        return;
    }
    set->count = dl->count;
    memcpy(set->dtcs, dl->dtcs, dl->count * sizeof dl->dtcs[0]);
    set->state = dev.kind == OBD_DTC_DEV_NONE ? OBD_READ_OK : OBD_READ_DEVIATION;
    char x[8], y[8];
    switch (dev.kind) {
    case OBD_DTC_DEV_COUNT:
        snprintf(x, sizeof x, "%u", dev.count_byte);
        snprintf(y, sizeof y, "%u", dev.carried);
        snprintf(set->deviation, sizeof set->deviation, OBD_DEV_COUNT_MISMATCH, x, y);
        break;
    case OBD_DTC_DEV_LEGACY_ON_CAN: snprintf(set->deviation, sizeof set->deviation, OBD_DEV_LEGACY_ON_CAN); break;
    case OBD_DTC_DEV_TRAILING:
        snprintf(x, sizeof x, "%u", dev.trailing);
        snprintf(set->deviation, sizeof set->deviation, dev.trailing == 1 ? OBD_DEV_HALF_CODE : OBD_DEV_TRAILING, x);
        break;
    case OBD_DTC_DEV_NO_COUNT:
        snprintf(x, sizeof x, "1");
        snprintf(set->deviation, sizeof set->deviation, OBD_DEV_UNREADABLE_SHORT, x);
        break;
    default: break;
    }
}

static int read_dtcs(scan_ctx_t *c, uint8_t sid)
{
    obd_scan_t *s = c->s;
    uint8_t req[1] = { sid };
    /* Where PID 01 announced stored codes, an empty answer is suspicious. */
    uint8_t flags = sid == 0x03 && s->dtc_count > 0 ? OBD_REQ_EXPECT_ANSWER : 0;
    return ask_each(c, req, 1, sid, flags, take_dtcs, &sid);
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
        int prc = ri < 0 ? OBD_OK
                         : obd_parse_pid_reply(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, 0x02, &pr);
        if (base == 0) { /* the first answer says how the service answers */
            if (ri < 0) {
                e->ff_state = OBD_READ_NO_ANSWER;
                set_addressing(e, 0x02, OBD_ADDR_NONE);
            } else if (prc) {
                e->ff_state = OBD_READ_UNREADABLE;
                set_addressing(e, 0x02, OBD_ADDR_PHYSICAL);
            } else if (pr.nr.negative) {
                e->ff_state = pr.nr.nrc == 0x11 || pr.nr.nrc == 0x12 ? OBD_READ_UNSUPPORTED : OBD_READ_REFUSED;
                set_addressing(e, 0x02, OBD_ADDR_NRC);
            } else {
                e->ff_state = pr.count == 1 ? OBD_READ_OK : OBD_READ_UNREADABLE;
                set_addressing(e, 0x02, OBD_ADDR_PHYSICAL);
            }
        }
        if (ri < 0 || prc || pr.nr.negative || pr.count != 1)
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
    bool tried_multi = false;
    for (unsigned base = 0; base <= 0xE0; base += 0x20) {
        if (base && !obd_pidset_has(&mids, (uint8_t)base))
            break;
        if (base == 0x20 && c->s->link.multi_pid && !tried_multi) {
            /* The other supported-OBDMID bitmaps in one request (a CAN
             * request may name up to six; the ECU answers the ones it has).
             * Each one the chain from $00 calls for must be there, else the
             * rest is asked one at a time from the first missing one. */
            tried_multi = true;
            static const uint8_t rq[7] = { OBD_SVC_MONITOR_TEST, 0x20, 0x40, 0x60, 0x80, 0xA0, 0xC0 };
            int rc = ask(c, to, rq, sizeof rq, 1);
            if (rc)
                return rc;
            int ri = obd_replies_find(&c->rep, e->addr);
            const uint8_t *d = ri >= 0 ? obd_reply_data(&c->rep, (size_t)ri) : NULL;
            size_t dn = ri >= 0 ? c->rep.r[ri].len : 0;
            bool have[8] = { false };
            uint8_t bm[8][4];
            bool okp = d && dn >= 6 && d[0] == 0x46 && (dn - 1) % 5 == 0;
            for (size_t o = 1; okp && o + 5 <= dn; o += 5) {
                unsigned mid = d[o];
                okp = mid % 0x20 == 0 && mid >= 0x20 && mid <= 0xC0;
                if (okp) {
                    have[mid / 0x20] = true;
                    memcpy(bm[mid / 0x20], d + o + 1, 4);
                }
            }
            unsigned b = 0x20;
            for (; okp && b <= 0xC0 && obd_pidset_has(&mids, (uint8_t)b); b += 0x20) {
                if (!have[b / 0x20])
                    break; /* called for, not there: from here one at a time */
                obd_pidset_merge(&mids, (uint8_t)b, bm[b / 0x20], 4);
            }
            if (okp && (b > 0xC0 || !obd_pidset_has(&mids, (uint8_t)b))) {
                if (b <= 0xC0 || !obd_pidset_has(&mids, 0xE0))
                    break; /* the chain ended inside what came */
                base = 0xC0; /* $E0 on its own next */
                continue;
            }
            if (okp && b > 0x20) {
                base = b - 0x20; /* the next pass asks $b alone */
                continue;
            }
        }
        uint8_t req[4];
        int len = obd_req_mode06(req, sizeof req, (uint8_t)base);
        int rc = ask(c, to, req, (size_t)len, 1);
        if (rc)
            return rc;
        int ri = obd_replies_find(&c->rep, e->addr);
        int mrc = ri < 0 ? OBD_OK : obd_parse_mode06(obd_reply_data(&c->rep, (size_t)ri), c->rep.r[ri].len, &m);
        if (base == 0) {
            if (ri < 0) {
                e->m06_state = OBD_READ_NO_ANSWER;
                set_addressing(e, 0x06, OBD_ADDR_NONE);
            } else if (mrc || (!m.nr.negative && !m.is_support)) {
                e->m06_state = OBD_READ_UNREADABLE;
                set_addressing(e, 0x06, OBD_ADDR_PHYSICAL);
            } else if (m.nr.negative) {
                e->m06_state = m.nr.nrc == 0x11 || m.nr.nrc == 0x12 ? OBD_READ_UNSUPPORTED : OBD_READ_REFUSED;
                set_addressing(e, 0x06, OBD_ADDR_NRC);
            } else {
                e->m06_state = OBD_READ_OK;
                set_addressing(e, 0x06, OBD_ADDR_PHYSICAL);
            }
        }
        if (ri < 0 || mrc || m.nr.negative || !m.is_support)
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

/* What the link worked around, as notes (keys; obd_scan_note_text gives words). */
static void note_link_quirks(obd_scan_t *s)
{
    uint32_t q = s->link.quirks;
    if (q & OBD_QUIRK_NO_COUNT_DIGIT)
        add_note(s, OBD_NOTE_COUNT_DIGIT_REFUSED);
    if (q & OBD_QUIRK_NO_HEADER_SET)
        add_note(s, OBD_NOTE_NO_ATSH);
    char t[112];
    if (q & OBD_QUIRK_NO_RX_FILTER) {
        snprintf(t, sizeof t, OBD_NOTE_AT_REFUSED, "ATCRA");
        add_note(s, t);
    }
    if (q & OBD_QUIRK_NO_CAF) {
        snprintf(t, sizeof t, OBD_NOTE_AT_REFUSED, "ATCAF");
        add_note(s, t);
    }
    if (q & OBD_QUIRK_REFUSED_AT) {
        snprintf(t, sizeof t, OBD_NOTE_AT_REFUSED, "an optional setting");
        add_note(s, t);
    }
    if (q & OBD_QUIRK_PROTO_EXPLICIT)
        add_note(s, OBD_NOTE_PROTOCOL_ZERO);
    if (q & OBD_QUIRK_HEADERS_OFF)
        add_note(s, OBD_NOTE_NO_HEADERS);
    if (s->vin[0] && s->vin_check_failed)
        add_note(s, OBD_NOTE_VIN_CHECK);
    if (s->obd_protocol == OBD_PROTOCOL_ON_UDS)
        add_note(s, OBD_NOTE_OBD_ON_UDS);
}

static void note_silent_pids(obd_scan_t *s)
{
    for (size_t i = 0; i < s->necus; i++) {
        uint8_t list[256];
        size_t n = obd_pidset_list(&s->ecus[i].silent_pids, list, sizeof list);
        for (size_t p = 0; p < n; p++) {
            char pid[24], k[112];
            snprintf(pid, sizeof pid, "%02X (ECU %X)", list[p], (unsigned)s->ecus[i].addr);
            snprintf(k, sizeof k, OBD_NOTE_SILENT_PID, pid);
            add_note(s, k);
        }
    }
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
        out->status_known = true; /* else mil_on/dtc_count are unknown, not false/0 */
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
    note_link_quirks(out);
    note_silent_pids(out);
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

static int pid_index(const obd_live_t *lv, uint8_t pid)
{
    for (size_t k = 0; k < lv->npids; k++)
        if (lv->pids[k] == pid)
            return (int)k;
    return -1;
}

size_t obd_live_active(const obd_live_t *lv)
{
    size_t n = 0;
    for (size_t i = 0; i < lv->necus; i++)
        for (size_t k = 0; k < lv->npids; k++)
            n += obd_pidset_has(&lv->ecus[i].pids, lv->pids[k]) && !obd_pidset_has(&lv->ecus[i].given_up, lv->pids[k]);
    return n;
}

const char *obd_live_silent_text(const obd_live_t *lv, char *out, size_t cap)
{
    size_t at = 0;
    if (!cap)
        return "";
    out[0] = 0;
    for (size_t i = 0; i < lv->necus; i++)
        for (size_t k = 0; k < lv->npids; k++)
            if (obd_pidset_has(&lv->ecus[i].given_up, lv->pids[k]) && at + 24 < cap)
                at += (size_t)snprintf(out + at, cap - at, "%s%02X at %X", at ? ", " : "", lv->pids[k],
                                       (unsigned)lv->ecus[i].addr);
    return out;
}

/* After a request for `asked` PIDs: count a miss for each one not answered;
 * give up on a PID after max_misses misses in a row or silence_ms. */
static void account(obd_live_t *lv, obd_live_ecu_t *e, const uint8_t *asked, size_t k, const obd_pid_reply_t *pr,
                    bool ok, uint64_t now)
{
    unsigned maxm = lv->max_misses ? lv->max_misses : OBD_LIVE_MAX_MISSES;
    unsigned sil = lv->silence_ms ? lv->silence_ms : OBD_LIVE_SILENCE_MS;
    for (size_t a = 0; a < k; a++) {
        int idx = pid_index(lv, asked[a]);
        if (idx < 0)
            continue;
        bool got = false;
        for (size_t p = 0; ok && p < pr->count; p++)
            got |= pr->pids[p].pid == asked[a];
        if (got) {
            e->misses[idx] = 0;
            e->last_ok_ms[idx] = now;
            continue;
        }
        if (e->misses[idx] < 255)
            e->misses[idx]++;
        if (!e->last_ok_ms[idx])
            e->last_ok_ms[idx] = now;
        if (e->misses[idx] >= maxm || now - e->last_ok_ms[idx] >= sil)
            obd_pidset_add(&e->given_up, asked[a]);
    }
}

/* One ECU's chunk of a live cycle: up to OBD_MAX_PIDS_PER_REQUEST PIDs. */
typedef struct {
    obd_live_ecu_t *e;
    uint8_t pids[OBD_MAX_PIDS_PER_REQUEST];
    size_t k;
    uint8_t req[1 + OBD_MAX_PIDS_PER_REQUEST];
} live_chunk_t;

#define LIVE_BATCH 16

/* Ask `c`'s PIDs one at a time (an ECU that mishandled the multi-PID request). */
static int live_single(obd_live_t *lv, obd_link_t *l, const live_chunk_t *c, obd_replies_t *rep,
                       obd_live_sample_t *out, size_t *n, size_t cap)
{
    for (size_t p = 0; p < c->k; p++) {
        uint8_t req[2];
        int len = obd_req_mode01(req, sizeof req, &c->pids[p], 1);
        obd_request_t r = { .to = obd_target_for(c->e->addr), .data = req, .len = (size_t)len, .expect = 1 };
        lv->requests++;
        int rc = obd_link_request(l, &r, rep);
        uint64_t t = wall_ms();
        if (rc)
            return rc;
        int ri = obd_replies_find(rep, c->e->addr);
        obd_pid_reply_t pr;
        bool ok = ri >= 0 && obd_parse_pid_reply(obd_reply_data(rep, (size_t)ri), rep->r[ri].len, 0x01, &pr) == OBD_OK &&
                  !pr.nr.negative;
        account(lv, c->e, &c->pids[p], 1, &pr, ok, obd_now_ms());
        if (ok)
            *n = put_samples(lv, c->e->addr, &pr, t, out, *n, cap);
    }
    return OBD_OK;
}

/* Functional cycles pay off where requests run one after another (an
 * ELM327: no header switch per ECU, one request and one count digit for
 * all), when the replies carry headers and the digit is understood. */
static bool live_functional_fits(obd_live_t *lv, obd_link_t *l)
{
    if (lv->functional < 0 || lv->necus < 2 || strcmp(l->ops->kind, "elm327"))
        return false;
    obd_link_info_t li;
    if (obd_link_info(l, &li) != OBD_OK || (li.quirks & (OBD_QUIRK_NO_COUNT_DIGIT | OBD_QUIRK_HEADERS_OFF)) ||
        !obd_proto_is_can(li.protocol))
        return false;
    for (size_t i = 0; i < lv->necus; i++)
        if (lv->ecus[i].single_only && lv->multi)
            return false;
    return true;
}

static size_t live_wanted(const obd_live_t *lv, const obd_live_ecu_t *e, const uint8_t *from, size_t nfrom, uint8_t *out)
{
    size_t n = 0;
    for (size_t k = 0; k < nfrom; k++)
        if (obd_pidset_has(&e->pids, from[k]) && !obd_pidset_has(&e->given_up, from[k]))
            out[n++] = from[k];
    (void)lv;
    return n;
}

/*
 * A functional live cycle: the union of the ECUs' PIDs in chunks, each
 * asked of all at once with the count of ECUs that support any of it. An
 * ECU whose answer is missing or short is asked physically at once (no
 * value is lost) and the link goes physical for the rest of the stream.
 */
static int live_poll_functional(obd_live_t *lv, obd_link_t *l, obd_replies_t *rep, obd_live_sample_t *out,
                                size_t cap, size_t *n)
{
    uint8_t all[OBD_LIVE_MAX_PIDS];
    size_t na = 0;
    for (size_t k = 0; k < lv->npids; k++)
        for (size_t i = 0; i < lv->necus; i++)
            if (obd_pidset_has(&lv->ecus[i].pids, lv->pids[k]) && !obd_pidset_has(&lv->ecus[i].given_up, lv->pids[k])) {
                all[na++] = lv->pids[k];
                break;
            }
    size_t per = lv->multi ? OBD_MAX_PIDS_PER_REQUEST : 1;
    for (size_t at = 0; at < na; at += per) {
        size_t k = na - at < per ? na - at : per;
        uint8_t req[1 + OBD_MAX_PIDS_PER_REQUEST];
        int len = obd_req_mode01(req, sizeof req, all + at, k);
        uint8_t expect = 0;
        for (size_t i = 0; i < lv->necus; i++) {
            uint8_t w[OBD_MAX_PIDS_PER_REQUEST];
            expect = (uint8_t)(expect + (live_wanted(lv, &lv->ecus[i], all + at, k, w) > 0));
        }
        obd_request_t r = { .to = OBD_TARGET_ALL, .data = req, .len = (size_t)len, .expect = expect };
        lv->requests++;
        if (k > 1)
            lv->multi_tried = true;
        int rc = obd_link_request(l, &r, rep);
        uint64_t t = wall_ms();
        if (rc)
            return rc;
        obd_replies_t mine; /* this ECU's answer, copied: `rep` is reused by the physical retry */
        for (size_t i = 0; i < lv->necus; i++) {
            obd_live_ecu_t *e = &lv->ecus[i];
            live_chunk_t c = { .e = e };
            c.k = live_wanted(lv, e, all + at, k, c.pids);
            if (!c.k)
                continue;
            int ri = obd_replies_find(rep, e->addr);
            obd_pid_reply_t pr;
            bool ok = ri >= 0 &&
                      obd_parse_pid_reply(obd_reply_data(rep, (size_t)ri), rep->r[ri].len, 0x01, &pr) == OBD_OK &&
                      !pr.nr.negative && pr.count == c.k;
            for (size_t p = 0; ok && p < c.k; p++)
                ok = pr.pids[p].pid == c.pids[p];
            if (ok) {
                account(lv, e, c.pids, c.k, &pr, true, obd_now_ms());
                *n = put_samples(lv, e->addr, &pr, t, out, *n, cap);
                continue;
            }
            lv->functional = -1; /* physical from now on; this chunk physically now */
            int l2 = obd_req_mode01(c.req, sizeof c.req, c.pids, c.k);
            obd_request_t q = { .to = obd_target_for(e->addr), .data = c.req, .len = (size_t)l2, .expect = 1 };
            lv->requests++;
            if ((rc = obd_link_request(l, &q, &mine)))
                return rc;
            t = wall_ms();
            ri = obd_replies_find(&mine, e->addr);
            ok = ri >= 0 && obd_parse_pid_reply(obd_reply_data(&mine, (size_t)ri), mine.r[ri].len, 0x01, &pr) == OBD_OK &&
                 !pr.nr.negative;
            if (c.k > 1 && (!ok || pr.count != c.k)) {
                e->single_only = true;
                lv->fallbacks++;
                if ((rc = live_single(lv, l, &c, &mine, out, n, cap)))
                    return rc;
                continue;
            }
            account(lv, e, c.pids, c.k, &pr, ok, obd_now_ms());
            if (ok)
                *n = put_samples(lv, e->addr, &pr, t, out, *n, cap);
        }
    }
    return OBD_OK;
}

/*
 * One live cycle: every ECU's PIDs, up to six per request, all the cycle's
 * requests handed to the link at once (can_link_request_many): SocketCAN
 * runs them in parallel, an ELM327 with its receive filter open once for
 * all ECUs and one command each (drivers/elm327.c, batches).
 */
int obd_live_poll(obd_live_t *lv, obd_link_t *l, obd_live_sample_t *out, size_t cap)
{
    if (lv->on_uds)
        return obd_uds_live_poll(lv, l, out, cap);
    live_chunk_t ch[LIVE_BATCH];
    obd_request_t reqs[LIVE_BATCH];
    int rcs[LIVE_BATCH];
    obd_replies_t *outs = malloc(LIVE_BATCH * sizeof *outs); /* ~8 KB each: not on a bay thread's stack */
    if (!outs)
        return -ENOMEM;
    size_t n = 0;
    int ret = OBD_OK;
    if (live_functional_fits(lv, l)) {
        ret = live_poll_functional(lv, l, &outs[0], out, cap, &n);
        free(outs);
        if (ret)
            return ret;
        if (n == 0 && obd_live_active(lv) == 0) {
            lv->all_silent = true;
            return OBD_ETIMEOUT;
        }
        return (int)n;
    }
    size_t ei = 0, at = 0; /* where the next chunk starts: ECU, index into its wanted PIDs */
    for (bool more = true; more && !ret;) {
        size_t nb = 0;
        while (nb < LIVE_BATCH && ei < lv->necus) {
            obd_live_ecu_t *e = &lv->ecus[ei];
            uint8_t want[OBD_LIVE_MAX_PIDS];
            size_t nw = 0;
            for (size_t k = 0; k < lv->npids; k++)
                if (obd_pidset_has(&e->pids, lv->pids[k]) && !obd_pidset_has(&e->given_up, lv->pids[k]))
                    want[nw++] = lv->pids[k];
            if (at >= nw) {
                ei++;
                at = 0;
                continue;
            }
            size_t per = (lv->multi && !e->single_only) ? OBD_MAX_PIDS_PER_REQUEST : 1;
            size_t k = nw - at < per ? nw - at : per;
            live_chunk_t *c = &ch[nb];
            c->e = e;
            c->k = k;
            memcpy(c->pids, want + at, k);
            int len = obd_req_mode01(c->req, sizeof c->req, c->pids, k);
            reqs[nb] = (obd_request_t){ .to = obd_target_for(e->addr), .data = c->req, .len = (size_t)len, .expect = 1 };
            if (k > 1)
                lv->multi_tried = true;
            nb++;
            at += k;
        }
        more = ei < lv->necus;
        if (!nb)
            break;
        lv->requests += (unsigned)nb;
        int rc;
        if (nb == 1)
            rc = rcs[0] = obd_link_request(l, &reqs[0], &outs[0]);
        else
            rc = can_link_request_many(l, reqs, nb, outs, rcs);
        uint64_t t = wall_ms();
        for (size_t i = 0; i < nb && !rc; i++)
            rc = rcs[i];
        if (rc) {
            ret = rc;
            break;
        }
        for (size_t i = 0; i < nb && !ret; i++) {
            live_chunk_t *c = &ch[i];
            obd_replies_t *rep = &outs[i];
            int ri = obd_replies_find(rep, c->e->addr);
            obd_pid_reply_t pr;
            bool ok = ri >= 0 &&
                      obd_parse_pid_reply(obd_reply_data(rep, (size_t)ri), rep->r[ri].len, 0x01, &pr) == OBD_OK &&
                      !pr.nr.negative;
            if (c->k > 1 && (!ok || pr.count != c->k)) {
                /* NO DATA, a partial or malformed multi-PID reply: this ECU (or
                 * the adapter) cannot do it. Ask one PID at a time from now on,
                 * starting with this chunk — values never go missing. */
                c->e->single_only = true;
                lv->fallbacks++;
                ret = live_single(lv, l, c, rep, out, &n, cap);
                continue;
            }
            account(lv, c->e, c->pids, c->k, &pr, ok, obd_now_ms());
            if (ok)
                n = put_samples(lv, c->e->addr, &pr, t, out, n, cap);
        }
    }
    free(outs);
    if (ret)
        return ret;
    if (n == 0 && obd_live_active(lv) == 0) {
        lv->all_silent = true;
        return OBD_ETIMEOUT;
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
