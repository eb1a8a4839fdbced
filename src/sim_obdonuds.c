/*
 * sim_obdonuds.c — the simulated OBD-on-UDS (SAE J1979-2) ECU: the same
 * vehicle model as the classic ECU (PID generators, readiness, since-clear
 * counters, DTC lists, freeze frames, VIN/CALID/CVN/name), answered through
 * ISO 14229-1 services instead of J1979 services 01-0A. Scenario key
 * `obd_on_uds = yes` in an [ecu] section (docs/simulator.md).
 *
 *   22 F4xx ...     PID xx data (bitmaps F400/F420/... computed as for 01);
 *                   several DIDs a request; unsupported DIDs left out; none
 *                   supported: 7F 22 31 physically, silence functionally
 *                   (ISO 14229-1 suppresses 11/12/31 on functional requests)
 *   22 F8xx         00 bitmap, 02 VIN, 04 CALIDs, 06 CVNs, 0A ECU name
 *   19 42 33 m s    stored (confirmed) and pending lists plus uds.dtcs,
 *                   3-byte DTCs (classic codes get failure type 00)
 *   19 55 33        permanent list plus uds.permanent
 *   19 56 33 rg     no readiness-group mapping: an empty list
 *   19 04 dtc rec   the freeze frame stored by that DTC as snapshot record
 *                   00 of F4xx DIDs
 *   14 FF FF 33     the service 04 clear (7F 14 22 while the engine runs
 *                   and the scenario refuses clears then)
 *   01-0A           never answered (physically: 7F sid 11)
 * Layouts: see src/obd_uds.c for the sources. Pure, no allocation.
 */
#include <string.h>

#include "obdgw/obd_uds.h"
#include "sim_priv.h"

#define MAX_LIST 48
#define DTC_FORMAT_J2012_04 0x04 /* DTCFormatIdentifier SAE_J2012-DA_DTCFormat_04 */
#define SEVERITY_AVAIL 0xE0      /* DTCSeverity classes reported (bits 5-7) */
#define SEVERITY_CHECK 0x40      /* checkAtNextHalt */

typedef struct {
    uint32_t code;
    uint8_t status;
} entry_t;

static size_t nrc(uint8_t *b, uint8_t sid, uint8_t code)
{
    b[0] = 0x7F;
    b[1] = sid;
    b[2] = code;
    return 3;
}

static bool mil_on(const sim_ecu_t *e, size_t confirmed) { return e->mil < 0 ? confirmed > 0 : e->mil > 0; }

static size_t add(entry_t *l, size_t n, uint32_t code, uint8_t status)
{
    for (size_t i = 0; i < n; i++)
        if (l[i].code == code) {
            l[i].status |= status;
            return n;
        }
    if (n < MAX_LIST) {
        l[n].code = code;
        l[n].status = status;
        n++;
    }
    return n;
}

/* Stored + pending (classic lists, failure type 00) and uds.dtcs, merged. */
static size_t dtc_entries(const sim_ecu_t *e, entry_t *l)
{
    size_t n = 0;
    for (size_t i = 0; i < e->stored.n; i++)
        n = add(l, n, (uint32_t)e->stored.d[i] << 8,
                UDS_ST_TEST_FAILED | UDS_ST_TEST_FAILED_THIS_OP_CYCLE | UDS_ST_CONFIRMED | UDS_ST_FAILED_SINCE_CLEAR);
    for (size_t i = 0; i < e->pending.n; i++)
        n = add(l, n, (uint32_t)e->pending.d[i] << 8,
                UDS_ST_TEST_FAILED | UDS_ST_TEST_FAILED_THIS_OP_CYCLE | UDS_ST_PENDING | UDS_ST_FAILED_SINCE_CLEAR);
    for (size_t i = 0; i < e->nuds; i++)
        n = add(l, n, e->uds_dtcs[i].code, e->uds_dtcs[i].status);
    size_t conf = 0;
    for (size_t i = 0; i < n; i++)
        conf += (l[i].status & UDS_ST_CONFIRMED) != 0;
    if (mil_on(e, conf))
        for (size_t i = 0; i < n; i++)
            if (l[i].status & UDS_ST_CONFIRMED)
                l[i].status |= UDS_ST_WARNING_INDICATOR;
    return n;
}

/* ---------------- 22 ---------------- */

static bool info_supported(const sim_vehicle_t *v, const sim_ecu_t *e, uint8_t t)
{
    (void)v;
    switch (t) {
    case OBD_INFO_SUPPORTED: return true;
    case OBD_INFO_VIN: return e->vin;
    case OBD_INFO_CALID: return e->ncalid > 0;
    case OBD_INFO_CVN: return e->ncvn > 0;
    case OBD_INFO_ECUNAME: return e->name[0] != 0;
    default: return false;
    }
}

static void put_info(obd_buf_t *o, const sim_vehicle_t *v, const sim_ecu_t *e, uint8_t t)
{
    switch (t) {
    case OBD_INFO_SUPPORTED: {
        uint8_t d[4] = { 0 };
        for (unsigned i = 1; i <= 32; i++)
            if (info_supported(v, e, (uint8_t)i))
                d[(i - 1) / 8] |= (uint8_t)(0x80 >> ((i - 1) % 8));
        for (int k = 0; k < 4; k++)
            obd_buf_u8(o, d[k]);
        break;
    }
    case OBD_INFO_VIN:
        for (int k = 0; k < 17; k++)
            obd_buf_u8(o, (uint8_t)v->vin[k]);
        break;
    case OBD_INFO_CALID:
        for (size_t i = 0; i < e->ncalid; i++) {
            size_t len = strlen(e->calid[i]);
            for (size_t k = 0; k < 16; k++)
                obd_buf_u8(o, k < len ? (uint8_t)e->calid[i][k] : 0);
        }
        break;
    case OBD_INFO_CVN:
        for (size_t i = 0; i < e->ncvn; i++) {
            obd_buf_u16(o, (uint16_t)(e->cvn[i] >> 16));
            obd_buf_u16(o, (uint16_t)e->cvn[i]);
        }
        break;
    case OBD_INFO_ECUNAME: {
        size_t len = strlen(e->name);
        for (size_t k = 0; k < 20; k++)
            obd_buf_u8(o, k < len ? (uint8_t)e->name[k] : 0);
        break;
    }
    default:
        break;
    }
}

static size_t read_dids(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, const uint8_t *rq, size_t n, bool functional,
                        uint8_t *b, size_t cap)
{
    if (n < 3 || (n - 1) % 2)
        return functional ? 0 : nrc(b, 0x22, 0x13);
    obd_buf_t o = obd_buf(b, cap);
    obd_buf_u8(&o, 0x62);
    bool any = false;
    for (size_t i = 1; i + 1 < n; i += 2) {
        uint16_t did = (uint16_t)(rq[i] << 8 | rq[i + 1]);
        uint8_t lo = (uint8_t)did;
        if ((did & 0xFF00u) == OBD_UDS_DID_PID) {
            uint8_t d[8];
            size_t len = sim_ecu_pid_data(v, e, now, lo, d);
            if (!len)
                continue;
            if (lo == 0x01) { /* MIL and count include the uds.dtcs entries */
                entry_t l[MAX_LIST];
                size_t ne = dtc_entries(e, l), conf = 0;
                for (size_t k = 0; k < ne; k++)
                    conf += (l[k].status & UDS_ST_CONFIRMED) != 0;
                d[0] = (uint8_t)((mil_on(e, conf) ? 0x80 : 0) | (conf > 0x7F ? 0x7F : conf));
            }
            obd_buf_u16(&o, did);
            for (size_t k = 0; k < len; k++)
                obd_buf_u8(&o, d[k]);
            any = true;
        } else if ((did & 0xFF00u) == OBD_UDS_DID_INFO && info_supported(v, e, lo)) {
            obd_buf_u16(&o, did);
            put_info(&o, v, e, lo);
            any = true;
        }
    }
    if (!any)
        return functional ? 0 : nrc(b, 0x22, 0x31);
    return o.err ? nrc(b, 0x22, 0x14) : o.len;
}

/* ---------------- 19 ---------------- */

static const sim_freeze_t *frame_of(const sim_ecu_t *e, uint32_t code)
{
    for (size_t i = 0; i < e->nfreeze; i++)
        if (e->freeze[i].dtc == uds_dtc_base(code))
            return &e->freeze[i];
    return NULL;
}

static size_t read_dtc_info(const sim_ecu_t *e, const uint8_t *rq, size_t n, bool functional, uint8_t *b,
                            size_t cap, bool *handled)
{
    uint8_t sf = rq[1] & 0x7F;
    obd_buf_t o = obd_buf(b, cap);
    entry_t l[MAX_LIST];
    *handled = true;
    switch (sf) {
    case OBD_UDS_RDTC_WWH_BY_MASK: {
        if (n != 5)
            return nrc(b, 0x19, 0x13);
        if (rq[2] != OBD_UDS_FGID_EMISSIONS)
            return functional ? 0 : nrc(b, 0x19, 0x31);
        size_t ne = dtc_entries(e, l);
        obd_buf_u8(&o, 0x59);
        obd_buf_u8(&o, sf);
        obd_buf_u8(&o, OBD_UDS_FGID_EMISSIONS);
        obd_buf_u8(&o, 0xFF); /* every status bit supported */
        obd_buf_u8(&o, SEVERITY_AVAIL);
        obd_buf_u8(&o, DTC_FORMAT_J2012_04);
        for (size_t i = 0; i < ne; i++) {
            if (!(l[i].status & rq[3]) || !(SEVERITY_CHECK & rq[4]))
                continue;
            obd_buf_u8(&o, SEVERITY_CHECK);
            obd_buf_u24(&o, l[i].code);
            obd_buf_u8(&o, l[i].status);
        }
        break;
    }
    case OBD_UDS_RDTC_WWH_PERMANENT:
    case OBD_UDS_RDTC_BY_READINESS: {
        bool rg = sf == OBD_UDS_RDTC_BY_READINESS;
        if (n != (rg ? 4u : 3u))
            return nrc(b, 0x19, 0x13);
        if (rq[2] != OBD_UDS_FGID_EMISSIONS)
            return functional ? 0 : nrc(b, 0x19, 0x31);
        obd_buf_u8(&o, 0x59);
        obd_buf_u8(&o, sf);
        obd_buf_u8(&o, OBD_UDS_FGID_EMISSIONS);
        obd_buf_u8(&o, 0xFF);
        obd_buf_u8(&o, DTC_FORMAT_J2012_04);
        if (rg) {
            obd_buf_u8(&o, rq[3]); /* no readiness-group mapping in the model: no DTCs */
            break;
        }
        size_t np = 0;
        for (size_t i = 0; i < e->permanent.n; i++)
            np = add(l, np, (uint32_t)e->permanent.d[i] << 8, UDS_ST_CONFIRMED);
        for (size_t i = 0; i < e->nuds_perm; i++)
            np = add(l, np, e->uds_perm[i], UDS_ST_CONFIRMED);
        for (size_t i = 0; i < np; i++) {
            obd_buf_u24(&o, l[i].code);
            obd_buf_u8(&o, l[i].status);
        }
        break;
    }
    case UDS_RDTC_SNAPSHOT: {
        if (n != 6)
            return nrc(b, 0x19, 0x13);
        uint32_t code = (uint32_t)rq[2] << 16 | (uint32_t)rq[3] << 8 | rq[4];
        size_t ne = dtc_entries(e, l), k = 0;
        while (k < ne && l[k].code != code)
            k++;
        if (k == ne)
            return nrc(b, 0x19, 0x31);
        obd_buf_u8(&o, 0x59);
        obd_buf_u8(&o, sf);
        obd_buf_u24(&o, code);
        obd_buf_u8(&o, l[k].status);
        const sim_freeze_t *f = frame_of(e, code);
        if (f && (rq[5] == 0x00 || rq[5] == UDS_RECORD_ALL)) {
            obd_buf_u8(&o, 0x00); /* record 00: the legislated (first occurrence) frame */
            obd_buf_u8(&o, f->npids);
            for (size_t i = 0; i < f->npids; i++) {
                obd_buf_u16(&o, (uint16_t)(OBD_UDS_DID_PID | f->p[i].pid));
                for (size_t j = 0; j < f->p[i].len; j++)
                    obd_buf_u8(&o, f->p[i].data[j]);
            }
        } else if (rq[5] != UDS_RECORD_ALL) {
            return nrc(b, 0x19, 0x31);
        }
        break;
    }
    default:
        *handled = false; /* 02, 0A, 06 ...: the generic UDS ECU */
        return 0;
    }
    if (rq[1] & 0x80)
        return 0;
    return o.err ? nrc(b, 0x19, 0x14) : o.len;
}

/* ---------------- dispatch ---------------- */

size_t sim_obdonuds_answer(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, const uint8_t *rq, size_t n,
                           bool functional, uint8_t *b, size_t cap, bool *handled)
{
    *handled = true;
    uint8_t sid = rq[0];
    if (sid >= 0x01 && sid <= 0x0A) /* no J1979 services on a J1979-2 ECU */
        return functional ? 0 : nrc(b, sid, 0x11);
    if (sid == 0x22 && n >= 3) {
        uint16_t first = (uint16_t)(rq[1] << 8 | rq[2]);
        if ((first & 0xFF00u) == OBD_UDS_DID_PID || (first & 0xFF00u) == OBD_UDS_DID_INFO ||
            (first & 0xFF00u) == OBD_UDS_DID_MID)
            return read_dids(v, e, now, rq, n, functional, b, cap);
    }
    if (sid == 0x19 && n >= 2)
        return read_dtc_info(e, rq, n, functional, b, cap, handled);
    if (sid == 0x14 && n == 4 && rq[1] == 0xFF && rq[2] == 0xFF && rq[3] == OBD_UDS_FGID_EMISSIONS) {
        if (v->engine_running && v->refuse_clear)
            return nrc(b, sid, 0x22);
        sim_ecu_clear_obd(e, now);
        for (size_t i = 0; i < e->nuds; i++)
            e->uds_dtcs[i].status = UDS_ST_NOT_COMPLETED_SINCE_CLEAR | UDS_ST_NOT_COMPLETED_THIS_OP_CYCLE;
        b[0] = 0x54;
        return 1;
    }
    *handled = false;
    return 0;
}
