/*
 * sim_vehicle.c — the simulated car: one diagnostic request in, every
 * addressed ECU's reply out, the way ECUs answer on the bus.
 *
 * Pure: time comes in as `now_ms`, noise from the vehicle's own seeded
 * generator, no I/O, no allocation. Replies are whole messages (service id
 * first); on legacy protocols a reply that takes several bus messages
 * (DTC lists, VIN ...) is those 7-byte messages joined, each starting with
 * the service id again — exactly what a link returns after joining lines.
 *
 * Behaviour worth knowing (docs/simulator.md has the full list):
 *   - functional requests reach OBD ECUs only; physical ones the ECU whose
 *     request id matches (UDS modules included);
 *   - an ECU that supports none of the asked PIDs stays silent;
 *   - a service the ECU lacks: 7F sid 11 on a physical request, and on a
 *     functional one only when the scenario says `unsupported = nrc`;
 *   - service 04 clears stored and pending DTCs, freeze frames, Mode 06
 *     results, readiness (non-continuous monitors back to incomplete) and the
 *     since-clear counters; permanent DTCs stay; with the engine running and
 *     `clear_refused_while_running` it answers 7F 04 22 and clears nothing.
 */
#include <math.h>
#include <string.h>

#include "obdgw/pid.h"
#include "sim_priv.h"

#define REPLY_MAX 1024
#define LEGACY_MSG 7

/* ---------------- value generators ---------------- */

static uint32_t rng_next(sim_vehicle_t *v)
{
    uint32_t x = v->rng ? v->rng : 0x2545F491u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v->rng = x;
    return x;
}

static double gen_value(sim_vehicle_t *v, const sim_gen_t *g, uint64_t now)
{
    switch (g->kind) {
    case SIM_GEN_RAMP: {
        uint64_t per = g->period_ms, ph = now % (2 * per);
        double t = ph < per ? (double)ph / (double)per : (double)(2 * per - ph) / (double)per;
        return g->a + (g->b - g->a) * t;
    }
    case SIM_GEN_NOISE: {
        double u = (double)rng_next(v) / 4294967295.0;
        return g->a + g->b * (2.0 * u - 1.0);
    }
    case SIM_GEN_REPLAY:
        return g->rep[(now / g->period_ms) % g->nrep];
    default:
        return g->a;
    }
}

/* ---------------- service 01: PIDs ---------------- */

static const sim_pid_t *find_pid(const sim_ecu_t *e, uint8_t pid)
{
    for (size_t i = 0; i < e->npids; i++)
        if (e->pids[i].pid == pid)
            return &e->pids[i];
    return NULL;
}

static bool has_service(const sim_ecu_t *e, uint8_t sid)
{
    return sid >= 1 && sid <= 0x0A && (e->services >> sid) & 1;
}

/*
 * PID 01 is computed for every ECU with service 01 unless given raw. A
 * bitmap PID ($20, $40 ...) is supported when a PID above it is ($00 always).
 */
static bool pid_supported(const void *ctx, unsigned pid)
{
    const sim_ecu_t *e = ctx;
    if (pid > 0xFF || !e->obd || !has_service(e, 0x01))
        return false;
    if (pid % 0x20 == 0) {
        if (pid == 0)
            return true;
        for (size_t i = 0; i < e->npids; i++)
            if (e->pids[i].pid > pid)
                return true;
        return false;
    }
    return pid == 0x01 || find_pid(e, (uint8_t)pid) != NULL;
}

/* 4-byte support bitmap for base+1 .. base+32 (bit 7 of the first byte = base+1). */
static void bitmap(const void *ctx, unsigned base, bool (*has)(const void *, unsigned), uint8_t out[4])
{
    memset(out, 0, 4);
    for (unsigned i = 1; i <= 32; i++)
        if (has(ctx, base + i))
            out[(i - 1) / 8] |= (uint8_t)(0x80 >> ((i - 1) % 8));
}

/* Monitor -> bit position in byte B (common) or C/D (engine-type specific). */
static int monitor_bit(obd_monitor_t m, bool compression)
{
    static const int8_t spark[OBD_MON_COUNT] = {
        [OBD_MON_MISFIRE] = -1, [OBD_MON_FUEL_SYSTEM] = -1, [OBD_MON_COMPONENTS] = -1,
        [OBD_MON_CATALYST] = 0, [OBD_MON_HEATED_CATALYST] = 1, [OBD_MON_EVAP] = 2,
        [OBD_MON_SECONDARY_AIR] = 3, [OBD_MON_AC_REFRIGERANT] = 4, [OBD_MON_O2_SENSOR] = 5,
        [OBD_MON_O2_HEATER] = 6, [OBD_MON_EGR_VVT] = 7, [OBD_MON_NMHC_CATALYST] = -1,
        [OBD_MON_NOX_SCR] = -1, [OBD_MON_BOOST_PRESSURE] = -1, [OBD_MON_EXHAUST_GAS_SENSOR] = -1,
        [OBD_MON_PM_FILTER] = -1,
    };
    static const int8_t diesel[OBD_MON_COUNT] = {
        [OBD_MON_MISFIRE] = -1, [OBD_MON_FUEL_SYSTEM] = -1, [OBD_MON_COMPONENTS] = -1,
        [OBD_MON_CATALYST] = -1, [OBD_MON_HEATED_CATALYST] = -1, [OBD_MON_EVAP] = -1,
        [OBD_MON_SECONDARY_AIR] = -1, [OBD_MON_AC_REFRIGERANT] = -1, [OBD_MON_O2_SENSOR] = -1,
        [OBD_MON_O2_HEATER] = -1, [OBD_MON_EGR_VVT] = 7, [OBD_MON_NMHC_CATALYST] = 0,
        [OBD_MON_NOX_SCR] = 1, [OBD_MON_BOOST_PRESSURE] = 3, [OBD_MON_EXHAUST_GAS_SENSOR] = 5,
        [OBD_MON_PM_FILTER] = 6,
    };
    return compression ? diesel[m] : spark[m];
}

/*
 * PID 01: A = MIL (bit 7) + confirmed DTC count; B = misfire / fuel system /
 * components supported (bits 0-2), compression (bit 3), the same three not
 * complete (bits 4-6); C = specific monitors supported, D = not complete.
 */
static void readiness(const sim_ecu_t *e, uint8_t d[4])
{
    bool mil = e->mil < 0 ? e->stored.n > 0 : e->mil > 0;
    d[0] = (uint8_t)((mil ? 0x80 : 0) | (e->stored.n > 0x7F ? 0x7F : e->stored.n));
    d[1] = e->compression ? 0x08 : 0;
    d[2] = d[3] = 0;
    static const obd_monitor_t common[3] = { OBD_MON_MISFIRE, OBD_MON_FUEL_SYSTEM, OBD_MON_COMPONENTS };
    for (int i = 0; i < 3; i++) {
        if (e->mon_sup >> common[i] & 1)
            d[1] |= (uint8_t)(1u << i);
        if (e->mon_inc >> common[i] & 1)
            d[1] |= (uint8_t)(0x10u << i);
    }
    for (int m = 0; m < OBD_MON_COUNT; m++) {
        int b = monitor_bit((obd_monitor_t)m, e->compression);
        if (b < 0)
            continue;
        if (e->mon_sup >> m & 1)
            d[2] |= (uint8_t)(1u << b);
        if (e->mon_inc >> m & 1)
            d[3] |= (uint8_t)(1u << b);
    }
}

/* Data bytes of a supported PID; returns the length (0 when unsupported). */
static size_t pid_data(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, uint8_t pid, uint8_t *out)
{
    if (!pid_supported(e, pid))
        return 0;
    if (pid % 0x20 == 0) {
        bitmap(e, pid, pid_supported, out);
        return 4;
    }
    const sim_pid_t *s = find_pid(e, pid);
    if (pid == 0x01 && (!s || s->g.kind != SIM_GEN_RAW)) {
        readiness(e, out);
        return 4;
    }
    if (s->g.kind == SIM_GEN_RAW) {
        memcpy(out, s->g.raw, s->g.len);
        return s->g.len;
    }
    double val = gen_value(v, &s->g, now);
    if (e->cleared) { /* since-clear counters restarted at the clear */
        switch (pid) {
        case 0x21: /* distance with MIL on: MIL went off with the clear */
        case 0x4D: /* minutes with MIL on */
        case 0x30: /* warm-ups since clear */
        case 0x31: /* distance since clear: the simulated car does not drive */
            val = 0;
            break;
        case 0x4E: /* minutes since clear: counts while the engine runs */
            val = v->engine_running && now > e->cleared_ms ? (double)((now - e->cleared_ms) / 60000) : 0;
            break;
        default:
            break;
        }
    }
    int n = obd_pid_encode(pid, val, out, 8);
    return n > 0 ? (size_t)n : 0;
}

static size_t nrc(uint8_t *b, uint8_t sid, uint8_t code)
{
    b[0] = 0x7F;
    b[1] = sid;
    b[2] = code;
    return 3;
}

static size_t unsupported(const sim_vehicle_t *v, bool functional, uint8_t sid, uint8_t *b)
{
    return (!functional || v->unsupported_nrc) ? nrc(b, sid, 0x11) : 0;
}

static bool bit_has(const uint8_t *map, unsigned i) { return map[i / 8] >> (i % 8) & 1; }

/* `bitmaps_only`: a functional request to an ECU with 01 in physical_only
 * (discovery still answers, the data PIDs do not). */
static size_t svc01(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, const uint8_t *rq, size_t n, bool bitmaps_only,
                    uint8_t *b)
{
    bool can = obd_proto_is_can(v->proto);
    size_t npids = n - 1;
    if (npids == 0 || npids > (can ? (size_t)OBD_MAX_PIDS_PER_REQUEST : 1u))
        return 0; /* J1979: malformed requests get no answer */
    obd_buf_t o = obd_buf(b, REPLY_MAX);
    obd_buf_u8(&o, 0x41);
    for (size_t i = 1; i < n; i++) {
        uint8_t d[8];
        if (rq[i] % 0x20 && (bitmaps_only || bit_has(e->dev.silent_pid, rq[i])))
            continue; /* deviation: listed, not answered (this way) */
        size_t len = pid_data(v, e, now, rq[i], d);
        if (!len)
            continue;
        obd_buf_u8(&o, rq[i]);
        for (size_t k = 0; k < len; k++)
            obd_buf_u8(&o, d[k]);
    }
    return o.len > 1 && !o.err ? o.len : 0;
}

/* ---------------- service 02: freeze frames ---------------- */

static const sim_freeze_t *find_frame(const sim_ecu_t *e, uint8_t frame)
{
    for (size_t i = 0; i < e->nfreeze; i++)
        if (e->freeze[i].frame == frame)
            return &e->freeze[i];
    return NULL;
}

/* PIDs of one freeze frame (ctx: the frame, or NULL when none is stored). */
static bool ff_has(const void *ctx, unsigned pid)
{
    const sim_freeze_t *f = ctx;
    if (pid > 0xFF)
        return false;
    if (pid == 0x02)
        return true;
    if (!f)
        return false;
    for (size_t i = 0; i < f->npids; i++)
        if (pid % 0x20 == 0 ? f->p[i].pid > pid : f->p[i].pid == pid)
            return true;
    return false;
}

static size_t svc02(const sim_vehicle_t *v, const sim_ecu_t *e, const uint8_t *rq, size_t n, uint8_t *b)
{
    bool can = obd_proto_is_can(v->proto);
    if (n < 3 || (n - 1) % 2 || (n - 1) / 2 > (can ? 3u : 1u))
        return 0;
    obd_buf_t o = obd_buf(b, REPLY_MAX);
    obd_buf_u8(&o, 0x42);
    for (size_t i = 1; i + 1 < n; i += 2) {
        uint8_t pid = rq[i], frame = rq[i + 1];
        const sim_freeze_t *f = find_frame(e, frame);
        if (!f && frame != 0)
            continue; /* only frame 0 answers when nothing is stored: PID 02 = 0000 */
        uint8_t d[8];
        size_t len = 0;
        if (pid % 0x20 == 0) {
            if (pid == 0 || ff_has(f, pid)) {
                bitmap(f, pid, ff_has, d);
                len = 4;
            }
        } else if (pid == 0x02) {
            d[0] = f ? (uint8_t)(f->dtc >> 8) : 0;
            d[1] = f ? (uint8_t)f->dtc : 0;
            len = 2;
        } else if (f) {
            for (size_t k = 0; k < f->npids; k++)
                if (f->p[k].pid == pid) {
                    len = f->p[k].len;
                    memcpy(d, f->p[k].data, len);
                }
        }
        if (!len)
            continue;
        obd_buf_u8(&o, pid);
        obd_buf_u8(&o, frame);
        for (size_t k = 0; k < len; k++)
            obd_buf_u8(&o, d[k]);
    }
    return o.len > 1 && !o.err ? o.len : 0;
}

/* ---------------- services 03 / 07 / 0A: DTC lists ---------------- */

static size_t dtc_list(const sim_vehicle_t *v, const sim_ecu_t *e, uint8_t sid, const sim_dtcs_t *l, uint8_t *b)
{
    obd_buf_t o = obd_buf(b, REPLY_MAX);
    uint8_t rsid = (uint8_t)(sid + 0x40);
    if (obd_proto_is_can(v->proto) && e->dev.dtc_legacy) {
        /* deviation: the legacy layout on CAN, one message without a count
         * byte, the codes in threes padded with 0000 (43 01 04 80 03 41 23) */
        obd_buf_u8(&o, rsid);
        size_t i = 0;
        do {
            for (int k = 0; k < 3; k++, i++)
                obd_buf_u16(&o, i < l->n ? l->d[i] : 0);
        } while (i < l->n);
        return o.err ? 0 : o.len;
    }
    if (obd_proto_is_can(v->proto)) {
        unsigned li = sid == 0x03 ? 0 : sid == 0x07 ? 1 : 2;
        obd_buf_u8(&o, rsid);
        /* deviation dtc_count_byte: the count byte disagrees with the codes carried */
        obd_buf_u8(&o, e->dev.dtc_count_set >> li & 1 ? e->dev.dtc_count[li] : l->n);
        for (size_t i = 0; i < l->n; i++)
            obd_buf_u16(&o, l->d[i]);
        return o.err ? 0 : o.len;
    }
    /* Legacy: messages of SID + 3 DTCs padded with 0000; one empty message when none. */
    size_t i = 0;
    do {
        obd_buf_u8(&o, rsid);
        for (int k = 0; k < 3; k++, i++)
            obd_buf_u16(&o, i < l->n ? l->d[i] : 0);
    } while (i < l->n);
    return o.err ? 0 : o.len;
}

/* ---------------- service 04: clear ---------------- */

static void clear_obd(sim_ecu_t *e, uint64_t now)
{
    /* Continuous monitors (misfire, fuel system, components) report complete
     * again at once on a running car; the others must re-run. */
    const uint16_t continuous =
        (uint16_t)((1u << OBD_MON_MISFIRE) | (1u << OBD_MON_FUEL_SYSTEM) | (1u << OBD_MON_COMPONENTS));
    e->stored.n = 0;
    e->pending.n = 0;
    e->nfreeze = 0;
    for (size_t i = 0; i < e->ntests; i++)
        e->tests[i].value = e->tests[i].min = e->tests[i].max = 0;
    e->mon_inc = (uint16_t)(e->mon_sup & ~continuous);
    e->cleared = true;
    e->cleared_ms = now;
}

/* ---------------- service 06: monitor results (CAN form) ---------------- */

static bool mid_has(const void *ctx, unsigned mid)
{
    const sim_ecu_t *e = ctx;
    if (mid > 0xFF)
        return false;
    for (size_t i = 0; i < e->ntests; i++)
        if (mid % 0x20 == 0 ? e->tests[i].mid > mid : e->tests[i].mid == mid)
            return true;
    return false;
}

static size_t svc06(const sim_ecu_t *e, const uint8_t *rq, size_t n, uint8_t *b)
{
    if (n < 2)
        return 0;
    obd_buf_t o = obd_buf(b, REPLY_MAX);
    obd_buf_u8(&o, 0x46);
    if (rq[1] % 0x20 == 0) { /* up to six support MIDs per request */
        if (n > 7)
            return 0;
        for (size_t i = 1; i < n; i++) {
            if (rq[i] % 0x20)
                return 0;
            if (rq[i] && !mid_has(e, rq[i]))
                continue;
            uint8_t d[4];
            bitmap(e, rq[i], mid_has, d);
            obd_buf_u8(&o, rq[i]);
            for (int k = 0; k < 4; k++)
                obd_buf_u8(&o, d[k]);
        }
    } else {
        if (n != 2)
            return 0;
        for (size_t i = 0; i < e->ntests; i++) {
            const sim_test_t *t = &e->tests[i];
            if (t->mid != rq[1])
                continue;
            obd_buf_u8(&o, t->mid);
            obd_buf_u8(&o, t->tid);
            obd_buf_u8(&o, t->uasid);
            obd_buf_u16(&o, t->value);
            obd_buf_u16(&o, t->min);
            obd_buf_u16(&o, t->max);
        }
    }
    return o.len > 1 && !o.err ? o.len : 0;
}

/* ---------------- service 09: vehicle information ---------------- */

typedef struct {
    const sim_ecu_t *e;
    bool legacy; /* the message-count info types exist only on legacy protocols */
} info_ctx_t;

static bool info_has(const void *ctx, unsigned t)
{
    const sim_ecu_t *e = ((const info_ctx_t *)ctx)->e;
    bool info_legacy = ((const info_ctx_t *)ctx)->legacy;
    switch (t) {
    case 0x00: return true;
    case 0x01: return info_legacy && e->vin;
    case 0x02: return e->vin;
    case 0x03: return info_legacy && e->ncalid;
    case 0x04: return e->ncalid > 0;
    case 0x05: return info_legacy && e->ncvn;
    case 0x06: return e->ncvn > 0;
    case 0x09: return info_legacy && e->name[0];
    case 0x0A: return e->name[0] != 0;
    default: return false;
    }
}

/* Legacy: `len` bytes (a multiple of 4) as messages 49 tt seq d d d d. */
static void legacy_items(obd_buf_t *o, uint8_t type, const uint8_t *p, size_t len)
{
    for (size_t k = 0; k < len / 4; k++) {
        obd_buf_u8(o, 0x49);
        obd_buf_u8(o, type);
        obd_buf_u8(o, (uint8_t)(k + 1));
        for (size_t j = 0; j < 4; j++)
            obd_buf_u8(o, p[k * 4 + j]);
    }
}

static size_t svc09(const sim_vehicle_t *v, const sim_ecu_t *e, bool functional, const uint8_t *rq, size_t n,
                    uint8_t *b)
{
    if (n != 2)
        return 0;
    bool legacy = !obd_proto_is_can(v->proto);
    uint8_t t = rq[1];
    info_ctx_t ic = { e, legacy };
    if (t == 0 && e->dev.mode09_list == SIM_M09_NO_DATA)
        return 0; /* deviation: 09 00 silent, the info types still answer */
    if (t == 0 && e->dev.mode09_list == SIM_M09_MISSING)
        return unsupported(v, functional, 0x09, b) ? nrc(b, 0x09, 0x12) : 0; /* 7F 09 12 */
    if (!info_has(&ic, t))
        return 0;
    obd_buf_t o = obd_buf(b, REPLY_MAX);
    uint8_t item[4 * 32]; /* legacy payload: everything of one info type */
    size_t ilen = 0;
    if (t == 0) {
        uint8_t d[4];
        bitmap(&ic, 0, info_has, d);
        if (e->dev.mode09_list == SIM_M09_UNLISTED)
            d[0] &= (uint8_t)~0x60; /* deviation: 09 01 / 09 02 answer but are not listed */
        obd_buf_u8(&o, 0x49);
        obd_buf_u8(&o, 0);
        if (legacy)
            obd_buf_u8(&o, 1);
        for (int k = 0; k < 4; k++)
            obd_buf_u8(&o, d[k]);
        return o.err ? 0 : o.len;
    }
    if (legacy && t % 2 == 1) { /* message counts */
        uint8_t cnt = t == 0x01 ? 5 : t == 0x03 ? (uint8_t)(4 * e->ncalid) : t == 0x05 ? e->ncvn : 5;
        obd_buf_u8(&o, 0x49);
        obd_buf_u8(&o, t);
        obd_buf_u8(&o, cnt);
        return o.err ? 0 : o.len;
    }
    uint8_t nodi = 1;
    switch (t) {
    case 0x02: /* legacy VIN: 3 pad bytes then 17 characters, 5 messages */
        if (legacy) {
            memset(item, 0, 3);
            ilen = 3;
        }
        memcpy(item + ilen, v->vin, 17);
        ilen += 17;
        break;
    case 0x04:
        nodi = e->ncalid;
        for (size_t i = 0; i < e->ncalid; i++) {
            memset(item + ilen, 0, 16);
            memcpy(item + ilen, e->calid[i], strlen(e->calid[i]));
            ilen += 16;
        }
        break;
    case 0x06:
        nodi = e->ncvn;
        for (size_t i = 0; i < e->ncvn; i++) {
            for (int k = 0; k < 4; k++)
                item[ilen++] = (uint8_t)(e->cvn[i] >> (24 - 8 * k));
        }
        break;
    case 0x0A:
        memset(item, 0, 20);
        memcpy(item, e->name, strlen(e->name));
        ilen = 20;
        break;
    default:
        return 0;
    }
    if (legacy) {
        legacy_items(&o, t, item, ilen);
    } else {
        obd_buf_u8(&o, 0x49);
        obd_buf_u8(&o, t);
        obd_buf_u8(&o, nodi);
        for (size_t k = 0; k < ilen; k++)
            obd_buf_u8(&o, item[k]);
    }
    return o.err ? 0 : o.len;
}

/* ---------------- UDS (ISO 14229-1) ---------------- */

#define UDS_AVAIL_MASK 0xFF

static const sim_did_t *find_did(const sim_ecu_t *e, uint16_t did)
{
    for (size_t i = 0; i < e->ndids; i++)
        if (e->dids[i].did == did)
            return &e->dids[i];
    return NULL;
}

/* A DID's bytes now: the fixed ones with the generated values (uds.val) written in. */
static void did_data(sim_vehicle_t *v, const sim_ecu_t *e, uint64_t now, const sim_did_t *d, uint8_t *out)
{
    memcpy(out, d->data, d->len);
    for (size_t i = 0; i < e->ndfields; i++) {
        const sim_did_field_t *f = &e->dfields[i];
        if (f->did != d->did)
            continue;
        double r = round((gen_value(v, &f->g, now) - f->offset) / f->factor);
        double lo = -ldexp(1.0, f->len - 1), hi = ldexp(1.0, f->len) - 1;
        if (r < lo)
            r = lo;
        if (r > hi)
            r = hi;
        uint32_t raw = r < 0 ? (uint32_t)(int32_t)r : (uint32_t)r;
        for (unsigned k = 0; k < f->len; k++) {
            unsigned bit = f->bix + k, byte = bit / 8, sh = 7 - bit % 8;
            if (byte >= d->len)
                break;
            if ((raw >> (f->len - 1 - k)) & 1u)
                out[byte] = (uint8_t)(out[byte] | 1u << sh);
            else
                out[byte] = (uint8_t)(out[byte] & ~(1u << sh));
        }
    }
}

static const sim_uds_dtc_t *find_uds_dtc(const sim_ecu_t *e, uint32_t code)
{
    for (size_t i = 0; i < e->nuds; i++)
        if (e->uds_dtcs[i].code == code)
            return &e->uds_dtcs[i];
    return NULL;
}

static void put_bytes(obd_buf_t *o, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        obd_buf_u8(o, p[i]);
}

static void put_dtc(obd_buf_t *o, uint32_t code, uint8_t status)
{
    obd_buf_u24(o, code);
    obd_buf_u8(o, status);
}

static size_t uds19(const sim_ecu_t *e, const uint8_t *rq, size_t n, uint8_t *b)
{
    if (n < 2)
        return nrc(b, 0x19, 0x13);
    uint8_t sf = rq[1] & 0x7F;
    obd_buf_t o = obd_buf(b, REPLY_MAX);
    obd_buf_u8(&o, 0x59);
    obd_buf_u8(&o, sf);
    switch (sf) {
    case 0x01:   /* number of DTCs by status mask */
    case 0x02: { /* DTCs by status mask */
        if (n != 3)
            return nrc(b, 0x19, 0x13);
        uint8_t mask = rq[2];
        obd_buf_u8(&o, UDS_AVAIL_MASK);
        unsigned cnt = 0;
        if (sf == 0x01)
            obd_buf_u8(&o, 0x01); /* DTC format: ISO 14229-1 */
        for (size_t i = 0; i < e->nuds; i++) {
            if (!(e->uds_dtcs[i].status & mask & UDS_AVAIL_MASK))
                continue;
            cnt++;
            if (sf == 0x02)
                put_dtc(&o, e->uds_dtcs[i].code, e->uds_dtcs[i].status);
        }
        if (sf == 0x01)
            obd_buf_u16(&o, (uint16_t)cnt);
        break;
    }
    case 0x04:   /* snapshot by DTC number */
    case 0x06: { /* extended data by DTC number */
        if (n != 6)
            return nrc(b, 0x19, 0x13);
        uint32_t code = (uint32_t)rq[2] << 16 | (uint32_t)rq[3] << 8 | rq[4];
        uint8_t rec = rq[5];
        const sim_uds_dtc_t *d = find_uds_dtc(e, code);
        if (!d)
            return nrc(b, 0x19, 0x31);
        put_dtc(&o, d->code, d->status);
        /* A DTC that failed since the last clear has one snapshot (record
         * 01: odometer F4A6, rpm F40C, speed F40D as when it was set) and
         * two extended-data records (01 occurrence counter, 02 aging
         * counter); a clear ($14) erases them with the DTC's status. */
        bool has = (d->status & (UDS_ST_TEST_FAILED | UDS_ST_PENDING | UDS_ST_CONFIRMED)) != 0;
        if (sf == 0x04 && has && (rec == 0x01 || rec == 0xFF)) {
            static const uint8_t snap[] = { 0x01, 0x03, 0xF4, 0xA6, 0x00, 0x02, 0xCC, 0x68, /* 18,340.0 km */
                                            0xF4, 0x0C, 0x0C, 0x80,                         /* 800 rpm */
                                            0xF4, 0x0D, 0x00 };                             /* 0 km/h */
            put_bytes(&o, snap, sizeof snap);
        } else if (sf == 0x06 && has && (rec == 0x01 || rec == 0x02 || rec == 0xFF)) {
            if (rec != 0x02)
                put_bytes(&o, (const uint8_t[]){ 0x01, (d->status & UDS_ST_CONFIRMED) ? 0x03 : 0x01 }, 2);
            if (rec != 0x01)
                put_bytes(&o, (const uint8_t[]){ 0x02, 0x00 }, 2);
        } else if (rec != 0xFF && !(has && rec <= 0x02)) {
            return nrc(b, 0x19, 0x31); /* no such record */
        }
        break;
    }
    case 0x0A: /* every supported DTC */
        if (n != 2)
            return nrc(b, 0x19, 0x13);
        obd_buf_u8(&o, UDS_AVAIL_MASK);
        for (size_t i = 0; i < e->nuds; i++)
            put_dtc(&o, e->uds_dtcs[i].code, e->uds_dtcs[i].status);
        break;
    case 0x15: /* permanent-status DTCs */
        if (n != 2)
            return nrc(b, 0x19, 0x13);
        obd_buf_u8(&o, UDS_AVAIL_MASK);
        for (size_t i = 0; i < e->nuds_perm; i++) {
            const sim_uds_dtc_t *d = find_uds_dtc(e, e->uds_perm[i]);
            put_dtc(&o, e->uds_perm[i], d ? d->status : 0x08);
        }
        break;
    default:
        return nrc(b, 0x19, 0x12);
    }
    if (rq[1] & 0x80)
        return 0; /* suppressPosRspMsgIndicationBit */
    return o.err ? nrc(b, 0x19, 0x14) : o.len;
}

static size_t uds(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, const uint8_t *rq, size_t n, uint8_t *b)
{
    uint8_t sid = rq[0];
    obd_buf_t o = obd_buf(b, REPLY_MAX);
    switch (sid) {
    case 0x10: /* session control: P2 50 ms, P2* 5000 ms (10 ms units) */
        if (n != 2)
            return nrc(b, sid, 0x13);
        if ((rq[1] & 0x7F) < 1 || (rq[1] & 0x7F) > 3)
            return nrc(b, sid, 0x12);
        if (rq[1] & 0x80)
            return 0;
        obd_buf_u8(&o, 0x50);
        obd_buf_u8(&o, rq[1]);
        obd_buf_u16(&o, 50);
        obd_buf_u16(&o, 500);
        return o.len;
    case 0x3E: /* tester present */
        if (n != 2)
            return nrc(b, sid, 0x13);
        if ((rq[1] & 0x7F) != 0)
            return nrc(b, sid, 0x12);
        if (rq[1] & 0x80)
            return 0;
        b[0] = 0x7E;
        b[1] = 0x00;
        return 2;
    case 0x22: { /* read data by identifier(s) */
        if (n < 3 || (n - 1) % 2 || (e->did_limit && (n - 1) / 2 > e->did_limit))
            return nrc(b, sid, 0x13);
        obd_buf_u8(&o, 0x62);
        bool any = false;
        for (size_t i = 1; i + 1 < n; i += 2) {
            uint16_t id = (uint16_t)(rq[i] << 8 | rq[i + 1]);
            const sim_did_t *d = find_did(e, id);
            if (!d)
                continue;
            any = true;
            obd_buf_u16(&o, id);
            uint8_t data[SIM_MAX_DID_LEN];
            did_data(v, e, now, d, data);
            for (size_t k = 0; k < d->len; k++)
                obd_buf_u8(&o, data[k]);
        }
        if (!any)
            return nrc(b, sid, 0x31);
        return o.err ? nrc(b, sid, 0x14) : o.len;
    }
    case 0x19:
        return uds19(e, rq, n, b);
    case 0x14: { /* clear diagnostic information */
        if (n != 4)
            return nrc(b, sid, 0x13);
        uint32_t group = (uint32_t)rq[1] << 16 | (uint32_t)rq[2] << 8 | rq[3];
        if (v->engine_running && v->refuse_clear)
            return nrc(b, sid, 0x22);
        bool hit = false;
        for (size_t i = 0; i < e->nuds; i++) {
            if (group == 0xFFFFFF || e->uds_dtcs[i].code == group) {
                /* after a clear: not failed, tests not completed since clear / this cycle */
                e->uds_dtcs[i].status = UDS_ST_NOT_COMPLETED_SINCE_CLEAR | UDS_ST_NOT_COMPLETED_THIS_OP_CYCLE;
                hit = true;
            }
        }
        if (!hit && group != 0xFFFFFF)
            return nrc(b, sid, 0x31);
        if (group == 0xFFFFFF && e->obd)
            clear_obd(e, now);
        b[0] = 0x54;
        return 1;
    }
    default:
        return 0;
    }
}

size_t sim_ecu_pid_data(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, uint8_t pid, uint8_t *out)
{
    return pid_data(v, e, now, pid, out);
}

void sim_ecu_clear_obd(sim_ecu_t *e, uint64_t now) { clear_obd(e, now); }

/* ---------------- dispatch ---------------- */

static size_t ecu_answer(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, const uint8_t *rq, size_t n, bool functional,
                         uint8_t *b)
{
    uint8_t sid = rq[0];
    bool is_uds = sid == 0x10 || sid == 0x3E || sid == 0x22 || sid == 0x19 || sid == 0x14;
    if (e->obd_on_uds) { /* SAE J1979-2 ECU: sim_obdonuds.c */
        bool handled = false;
        size_t r = sim_obdonuds_answer(v, e, now, rq, n, functional, b, REPLY_MAX, &handled);
        if (handled)
            return r;
    }
    if (is_uds) {
        if (!e->uds)
            return unsupported(v, functional, sid, b);
        if (e->uds_refuse && (sid == 0x19 || sid == 0x22 || sid == 0x14))
            return nrc(b, sid, e->uds_refuse); /* secure gateway: authenticate first */
        return uds(v, e, now, rq, n, b);
    }
    if (!e->obd || !has_service(e, sid) || (sid == 0x06 && !obd_proto_is_can(v->proto)))
        return unsupported(v, functional, sid, b);
    /* deviation physical_only: a functional request gets silence (01: the bitmaps still answer) */
    bool phys_only = functional && sid <= 0x0A && (e->dev.physical_only >> sid & 1);
    if (phys_only && sid != 0x01)
        return 0;
    switch (sid) {
    case 0x01: return svc01(v, e, now, rq, n, phys_only, b);
    case 0x02: return svc02(v, e, rq, n, b);
    case 0x03: return n == 1 ? dtc_list(v, e, sid, &e->stored, b) : 0;
    case 0x07: return n == 1 ? dtc_list(v, e, sid, &e->pending, b) : 0;
    case 0x0A: return n == 1 ? dtc_list(v, e, sid, &e->permanent, b) : 0;
    case 0x04:
        if (n != 1)
            return 0;
        if (v->engine_running && v->refuse_clear)
            return nrc(b, sid, 0x22);
        clear_obd(e, now);
        b[0] = 0x44;
        return 1;
    case 0x06: return svc06(e, rq, n, b);
    case 0x09: return svc09(v, e, functional, rq, n, b);
    default: return unsupported(v, functional, sid, b);
    }
}

static bool is_functional(const sim_vehicle_t *v, uint32_t tx)
{
    if (tx == 0)
        return true;
    if (!obd_proto_is_can(v->proto))
        return tx == 0x33; /* J1979 functional target address */
    return obd_proto_is_can29(v->proto) ? tx == 0x18DB33F1u : tx == 0x7DF;
}

int sim_vehicle_request(sim_vehicle_t *v, uint64_t now_ms, const obd_request_t *req, obd_replies_t *out)
{
    if (!v || !req || !out || !req->data || !req->len)
        return OBD_EINVAL;
    obd_replies_reset(out);
    bool functional = is_functional(v, req->to.tx_id);
    uint8_t buf[REPLY_MAX];
    for (size_t i = 0; i < v->necus; i++) {
        sim_ecu_t *e = &v->ecu[i];
        if (e->silent || (functional ? !e->obd : e->req != req->to.tx_id))
            continue;
        size_t n = ecu_answer(v, e, now_ms, req->data, req->len, functional, buf);
        if (!n)
            continue;
        int rc = obd_replies_add(out, e->addr, buf, n, false);
        if (rc)
            return rc;
    }
    return OBD_OK;
}

/* ---------------- deviations: what the adapter layers ask ---------------- */

const sim_ecu_t *sim_vehicle_ecu(const sim_vehicle_t *v, uint32_t addr)
{
    for (size_t i = 0; v && i < v->necus; i++)
        if (v->ecu[i].addr == addr)
            return &v->ecu[i];
    return NULL;
}

unsigned sim_ecu_pending(const sim_ecu_t *e, uint8_t sid)
{
    if (!e || !e->dev.pending_n || sid >= 0x40)
        return 0;
    bool any = false;
    for (size_t i = 0; i < sizeof e->dev.pending_sid; i++)
        any |= e->dev.pending_sid[i] != 0;
    return !any || bit_has(e->dev.pending_sid, sid) ? e->dev.pending_n : 0;
}
