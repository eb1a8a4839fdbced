/*
 * obd_uds.c — OBD on UDS (SAE J1979-2) request builders and reply parsers.
 * Pure: bytes in, the classic J1979 structs out, through the bounded cursor.
 *
 * Sources for the layouts (facts only; nothing copied):
 *   - F4xx = service 01 PID xx, F6xx = service 06 MID xx, F8xx = service 09
 *     infotype xx: ISO 14229-1 Annex C (DID ranges F400-F4FF, F600-F6FF,
 *     F800-F8FF reserved for legislated OBD), SAE J1979-2 as summarised by
 *     tnlab.org "Understanding SAE J1979-2: E/E Diagnostic Test Modes for
 *     OBDonUDS" and rlescalambre.net "Unified Diagnostic Services" (services
 *     22, 19 04/42, 14; 3-byte DTCs with FTB; DTC status byte for pending /
 *     confirmed). The F4xx = PID identity is already used by src/uds_snap.c.
 *   - 19 42 request FGID, DTCStatusMask, DTCSeverityMask; reply FGID,
 *     DTCStatusAvailabilityMask, DTCSeverityAvailabilityMask,
 *     DTCFormatIdentifier, then {DTCSeverity, DTC(3), status}. 19 55 request
 *     FGID; reply FGID, StatusAvail, Format, {DTC(3), status}. 19 56 request
 *     FGID, ReadinessGroup; reply FGID, StatusAvail, Format, ReadinessGroup,
 *     {DTC(3), status}: ISO 14229-1:2013/2020 as encoded by the
 *     mdabrowski1990/uds translator (data_record_definitions/conditional.py)
 *     and the request byte positions of driftregion/iso14229's server.
 *   - FunctionalGroupIdentifier 0x33 = emissions-system group, and groupOfDTC
 *     FF FF 33 for 14 (clear the emissions group): ISO 14229-1 Table D.1 as
 *     tabulated at blog.csdn.net/weixin_42687126/article/details/128202664
 *     ("0xFFFF33 Emissions-system group") and
 *     blog.csdn.net/yunhuhude/article/details/127209794 (14 FFFF33).
 *   - F401: J1979-2 keeps the PID 01 data (MIL + confirmed count, then the
 *     monitor support/completion bytes). We found no public source giving it
 *     another byte layout (J1979-2 adds DTC-based readiness through 19 56
 *     instead), so it is decoded with obd_readiness_decode like PID 01; the
 *     raw bytes are kept beside it (readiness_raw) so a later correction can
 *     re-decode saved scans.
 *   - VIN F802 / CALID F804 / CVN F806 / ECU name F80A: the service 09 item
 *     sizes (17 / 16 / 4 / 20 bytes). A J1979-2 DID has a fixed length, so no
 *     NODI byte is needed; one that carries it anyway is accepted.
 */
#include <string.h>

#include "obdgw/obd_uds.h"
#include "obdgw/pid.h"

/* ---------------- builders ---------------- */

int obd_uds_req_pids(uint8_t *buf, size_t cap, const uint8_t *pids, size_t npids)
{
    if (!pids || npids == 0 || npids > OBD_UDS_MAX_DIDS_PER_REQUEST)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DID);
    for (size_t i = 0; i < npids; i++)
        obd_buf_u16(&b, (uint16_t)(OBD_UDS_DID_PID | pids[i]));
    return obd_buf_done(&b);
}

int obd_uds_req_info(uint8_t *buf, size_t cap, uint8_t infotype)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DID);
    obd_buf_u16(&b, (uint16_t)(OBD_UDS_DID_INFO | infotype));
    return obd_buf_done(&b);
}

int obd_uds_req_dtcs(uint8_t *buf, size_t cap, uint8_t status_mask)
{
    if (!status_mask)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DTC);
    obd_buf_u8(&b, OBD_UDS_RDTC_WWH_BY_MASK);
    obd_buf_u8(&b, OBD_UDS_FGID_EMISSIONS);
    obd_buf_u8(&b, status_mask);
    obd_buf_u8(&b, OBD_UDS_SEVERITY_ALL);
    return obd_buf_done(&b);
}

int obd_uds_req_permanent(uint8_t *buf, size_t cap)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DTC);
    obd_buf_u8(&b, OBD_UDS_RDTC_WWH_PERMANENT);
    obd_buf_u8(&b, OBD_UDS_FGID_EMISSIONS);
    return obd_buf_done(&b);
}

int obd_uds_req_readiness_group(uint8_t *buf, size_t cap, uint8_t rgid)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DTC);
    obd_buf_u8(&b, OBD_UDS_RDTC_BY_READINESS);
    obd_buf_u8(&b, OBD_UDS_FGID_EMISSIONS);
    obd_buf_u8(&b, rgid);
    return obd_buf_done(&b);
}

int obd_uds_req_snapshot(uint8_t *buf, size_t cap, uint32_t code24)
{
    return uds_req_dtc_snapshot(buf, cap, code24, UDS_RECORD_ALL);
}

int obd_uds_req_clear(uint8_t *buf, size_t cap)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_CLEAR_DTC);
    obd_buf_u24(&b, 0xFFFF00u | OBD_UDS_FGID_EMISSIONS); /* group FF FF 33 */
    return obd_buf_done(&b);
}

/* ---------------- 62 F4xx ---------------- */

int obd_uds_parse_pid_reply(const uint8_t *p, size_t n, const uint8_t *asked, size_t nasked, obd_pid_reply_t *out)
{
    if (!out || (asked && nasked == 0))
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = uds_check_reply(p, n, UDS_SVC_READ_DID, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    obd_cur_u8(&c); /* 62 */
    if (obd_cur_left(&c) == 0)
        return OBD_ESHORT;
    size_t next = 0; /* index in `asked` the next record may match from */
    while (obd_cur_left(&c) > 0) {
        if (obd_cur_left(&c) < 2)
            return out->count ? OBD_ELEN : OBD_ESHORT; /* a byte that is no DID */
        uint16_t did = obd_cur_u16(&c);
        if ((did & 0xFF00u) != OBD_UDS_DID_PID)
            return OBD_EPID;
        uint8_t pid = (uint8_t)did;
        bool last_asked = false;
        if (asked) {
            size_t k = next;
            while (k < nasked && asked[k] != pid)
                k++;
            if (k == nasked)
                return OBD_EPID; /* not asked for, or out of order */
            next = k + 1;
            last_asked = k == nasked - 1;
        }
        if (out->count == OBD_MAX_PIDS_PER_REQUEST)
            return OBD_ENOSPC;
        size_t len = obd_pid_len(pid);
        if (len == 0) {
            /* No length on the wire: it must be the last record. */
            bool only = !asked && out->count == 0;
            if (!(last_asked || only) || obd_cur_left(&c) == 0 || obd_cur_left(&c) > 255)
                return obd_cur_left(&c) == 0 ? OBD_ESHORT : OBD_EPID;
            len = obd_cur_left(&c);
        }
        obd_pid_raw_t *r = &out->pids[out->count];
        r->pid = pid;
        r->data = obd_cur_take(&c, len);
        if (c.err)
            return c.err;
        r->len = (uint8_t)len;
        out->count++;
    }
    return OBD_OK;
}

/* ---------------- 62 F8xx ---------------- */

static size_t info_item_size(uint8_t infotype)
{
    switch (infotype) {
    case OBD_INFO_VIN: return 17;
    case OBD_INFO_CALID: return 16;
    case OBD_INFO_CVN: return 4;
    case OBD_INFO_ECUNAME: return 20;
    case OBD_INFO_SUPPORTED: return 4;
    default: return 0; /* one item of whatever length */
    }
}

int obd_uds_parse_info_reply(const uint8_t *p, size_t n, uint8_t infotype, obd_info_reply_t *out)
{
    if (!out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    out->infotype = infotype;
    int rc = uds_check_reply(p, n, UDS_SVC_READ_DID, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    obd_cur_u8(&c);
    uint16_t did = obd_cur_u16(&c);
    if (c.err)
        return c.err;
    if (did != (OBD_UDS_DID_INFO | infotype))
        return OBD_EPID;
    size_t left = obd_cur_left(&c);
    if (left == 0)
        return OBD_ESHORT;
    size_t sz = info_item_size(infotype), k;
    if (sz == 0) {
        sz = left;
        k = 1;
    } else if (left % sz == 0) {
        k = left / sz;
    } else if (left % sz == 1 && c.p[c.pos] == left / sz) {
        obd_cur_u8(&c); /* a NODI byte J1979-2 does not need */
        k = left / sz;
    } else {
        return OBD_ELEN;
    }
    if (sz > OBD_MAX_INFO_ITEM_LEN)
        return OBD_ELEN;
    if (k > OBD_MAX_INFO_ITEMS)
        return OBD_ENOSPC;
    for (size_t i = 0; i < k; i++) {
        const uint8_t *d = obd_cur_take(&c, sz);
        if (!d)
            return c.err;
        out->items[i].len = (uint8_t)sz;
        memcpy(out->items[i].data, d, sz);
        out->count++;
    }
    return obd_cur_left(&c) ? OBD_ELEN : OBD_OK;
}

/* ---------------- 59 42 / 55 / 56 ---------------- */

int obd_uds_parse_dtc_reply(const uint8_t *p, size_t n, uint8_t subfn, obd_uds_dtc_reply_t *out)
{
    if (!out)
        return OBD_EINVAL;
    subfn &= 0x7F;
    if (subfn != OBD_UDS_RDTC_WWH_BY_MASK && subfn != OBD_UDS_RDTC_WWH_PERMANENT &&
        subfn != OBD_UDS_RDTC_BY_READINESS)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = uds_check_reply(p, n, UDS_SVC_READ_DTC, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    obd_cur_u8(&c);
    out->subfn = obd_cur_u8(&c);
    if (c.err)
        return c.err;
    if ((out->subfn & 0x7F) != subfn)
        return OBD_EPID;
    out->fgid = obd_cur_u8(&c);
    out->avail_mask = obd_cur_u8(&c);
    if (subfn == OBD_UDS_RDTC_WWH_BY_MASK)
        out->severity_avail = obd_cur_u8(&c);
    out->format = obd_cur_u8(&c);
    if (subfn == OBD_UDS_RDTC_BY_READINESS)
        out->rgid = obd_cur_u8(&c);
    if (c.err)
        return c.err;
    size_t rec = subfn == OBD_UDS_RDTC_WWH_BY_MASK ? 5 : 4;
    size_t left = obd_cur_left(&c);
    if (left % rec)
        return OBD_ELEN;
    out->total = left / rec;
    while (obd_cur_left(&c) > 0) {
        obd_uds_dtc_t d = { 0 };
        if (rec == 5)
            d.severity = obd_cur_u8(&c);
        d.code = obd_cur_u24(&c);
        d.status = obd_cur_u8(&c);
        if (c.err)
            return c.err;
        if (out->count < UDS_MAX_DTCS)
            out->dtcs[out->count++] = d;
    }
    return out->total > out->count ? OBD_ENOSPC : OBD_OK;
}

size_t obd_uds_dtc_set_fill(obd_dtc_set_t *set, const obd_uds_dtc_reply_t *r, uint8_t mask)
{
    size_t matched = 0;
    set->uds_format = true;
    set->count = 0;
    for (size_t i = 0; i < r->count; i++) {
        if (!(r->dtcs[i].status & mask))
            continue;
        matched++;
        if (set->count >= OBD_MAX_DTCS)
            continue;
        set->dtcs[set->count] = uds_dtc_base(r->dtcs[i].code);
        set->ftb[set->count] = uds_dtc_ftb(r->dtcs[i].code);
        set->status[set->count] = r->dtcs[i].status;
        set->count++;
    }
    return matched;
}

/* ---------------- 59 04: freeze frame ---------------- */

int obd_uds_snapshot_ff(const uint8_t *p, size_t n, uint32_t code24, obd_nr_t *nr, obd_pid_sample_t *out,
                        size_t cap, size_t *nout)
{
    if (!nout || (!out && cap))
        return OBD_EINVAL;
    *nout = 0;
    if (nr)
        memset(nr, 0, sizeof *nr);
    uds_dtc_reply_t r; /* ~2 KB, on the stack: bay workers scan in parallel threads */
    int rc = uds_parse_dtc_reply(p, n, UDS_RDTC_SNAPSHOT, &r);
    if (rc)
        return rc;
    if (r.nr.negative) {
        if (nr)
            *nr = r.nr;
        return OBD_OK;
    }
    if (r.dtc.code != code24)
        return OBD_EPID;
    uds_snapshot_t recs[2];
    size_t nrecs = 0;
    rc = uds_snapshot_split(r.records, r.records_len, uds_obd_did_len, NULL, recs, 2, &nrecs);
    if (rc == OBD_ENOSPC && nrecs > 0)
        rc = OBD_OK; /* a second occurrence record: frame 0 is the first */
    if (rc)
        return rc;
    if (nrecs == 0)
        return OBD_OK;
    const uds_snapshot_t *s = &recs[0];
    for (size_t i = 0; i < s->count && *nout < cap; i++) {
        const uds_did_rec_t *d = &s->dids[i];
        if ((d->did & 0xFF00u) != OBD_UDS_DID_PID || d->len == 0 || d->len > 8)
            continue;
        uint8_t pid = (uint8_t)d->did;
        if (pid % 0x20 == 0 || pid == 0x01 || pid == 0x02)
            continue; /* bitmaps and status are not frame data (as in service 02) */
        obd_pid_sample_t *smp = &out[(*nout)++];
        smp->pid = pid;
        smp->len = (uint8_t)d->len;
        memcpy(smp->data, d->data, d->len);
    }
    return OBD_OK;
}
