/*
 * obd.c — J1979 service framing: request builders, the common reply check,
 * service 01/02 PID splitting, supported-PID sets, readiness (PID $01/$41),
 * DTC lists (services 03/07/0A) and service 04 replies. Pure: bytes in,
 * structs out. Service 06 and 09 live in obd_mode06.c / obd_mode09.c.
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/obd.h"
#include "obdgw/pid.h"

/* ---------------- request builders ---------------- */

int obd_req_mode01(uint8_t *buf, size_t cap, const uint8_t *pids, size_t npids)
{
    if (!pids || npids == 0 || npids > OBD_MAX_PIDS_PER_REQUEST)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, OBD_SVC_CURRENT_DATA);
    for (size_t i = 0; i < npids; i++)
        obd_buf_u8(&b, pids[i]);
    return obd_buf_done(&b);
}

int obd_req_mode02(uint8_t *buf, size_t cap, const uint8_t *pids, size_t npids, uint8_t frame)
{
    if (!pids || npids == 0 || npids > 3)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, OBD_SVC_FREEZE_FRAME);
    for (size_t i = 0; i < npids; i++) {
        obd_buf_u8(&b, pids[i]);
        obd_buf_u8(&b, frame);
    }
    return obd_buf_done(&b);
}

int obd_req_simple(uint8_t *buf, size_t cap, uint8_t sid)
{
    if (sid != OBD_SVC_STORED_DTC && sid != OBD_SVC_CLEAR_DTC && sid != OBD_SVC_PENDING_DTC &&
        sid != OBD_SVC_PERMANENT_DTC)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, sid);
    return obd_buf_done(&b);
}

int obd_req_mode06(uint8_t *buf, size_t cap, uint8_t obdmid)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, OBD_SVC_MONITOR_TEST);
    obd_buf_u8(&b, obdmid);
    return obd_buf_done(&b);
}

int obd_req_mode09(uint8_t *buf, size_t cap, uint8_t infotype)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, OBD_SVC_VEHICLE_INFO);
    obd_buf_u8(&b, infotype);
    return obd_buf_done(&b);
}

/* ---------------- common reply head ---------------- */

int obd_check_reply(const uint8_t *p, size_t n, uint8_t sid, obd_nr_t *nr)
{
    obd_nr_t dummy;
    if (!nr)
        nr = &dummy;
    nr->negative = false;
    nr->nrc = 0;
    if (!p || n == 0)
        return OBD_ESHORT;
    if (p[0] == OBD_NEGATIVE_RESPONSE) {
        if (n < 3)
            return OBD_ESHORT;
        if (p[1] != sid)
            return OBD_ESID;
        if (n != 3)
            return OBD_ELEN;
        nr->negative = true;
        nr->nrc = p[2];
        return OBD_OK;
    }
    if (p[0] != (uint8_t)(sid + 0x40))
        return OBD_ESID;
    return OBD_OK;
}

/* ---------------- services 01 / 02 ---------------- */

int obd_parse_pid_reply(const uint8_t *p, size_t n, uint8_t sid, obd_pid_reply_t *out)
{
    if (!out || (sid != OBD_SVC_CURRENT_DATA && sid != OBD_SVC_FREEZE_FRAME))
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = obd_check_reply(p, n, sid, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    obd_cur_u8(&c); /* SID */
    if (obd_cur_left(&c) == 0)
        return OBD_ESHORT;
    while (obd_cur_left(&c) > 0) {
        if (out->count == OBD_MAX_PIDS_PER_REQUEST)
            return OBD_ELEN;
        obd_pid_raw_t *r = &out->pids[out->count];
        r->pid = obd_cur_u8(&c);
        if (sid == OBD_SVC_FREEZE_FRAME)
            r->frame = obd_cur_u8(&c);
        size_t len = obd_pid_len(r->pid);
        if (len == 0) {
            /* Unknown PID: only splittable when it is the last one. */
            if (out->count > 0 || obd_cur_left(&c) == 0)
                return c.err ? c.err : OBD_EPID;
            len = obd_cur_left(&c);
            if (len > 255)
                return OBD_ELEN;
        }
        r->data = obd_cur_take(&c, len);
        if (c.err)
            return c.err;
        r->len = (uint8_t)len;
        out->count++;
    }
    return OBD_OK;
}

int obd_pidset_merge(obd_pidset_t *s, uint8_t base, const uint8_t *data, size_t len)
{
    if (!s || (base & 0x1F) != 0)
        return OBD_EINVAL;
    if (!data || len < 4)
        return OBD_ESHORT;
    if (len != 4)
        return OBD_ELEN;
    for (int i = 0; i < 32; i++)
        if (data[i >> 3] & (0x80 >> (i & 7))) {
            unsigned pid = (unsigned)base + 1 + (unsigned)i;
            if (pid <= 0xFF)
                obd_pidset_add(s, (uint8_t)pid);
        }
    return OBD_OK;
}

size_t obd_pidset_list(const obd_pidset_t *s, uint8_t *pids, size_t cap)
{
    size_t k = 0;
    for (unsigned pid = 1; pid <= 0xFF; pid++)
        if (obd_pidset_has(s, (uint8_t)pid)) {
            if (k < cap && pids)
                pids[k] = (uint8_t)pid;
            k++;
        }
    return k < cap ? k : cap;
}

/* ---------------- readiness ---------------- */

/*
 * Byte B: bits 0-2 misfire / fuel system / components supported, bit 3
 * compression ignition, bits 4-6 the same three monitors *not complete*.
 * Bytes C (supported) and D (not complete) carry the engine-type specific
 * monitors in the same bit positions. A set "not complete" bit means the
 * self-test has NOT run: complete = supported && !bit.
 */
static const obd_monitor_t spark_bits[8] = {
    OBD_MON_CATALYST, OBD_MON_HEATED_CATALYST, OBD_MON_EVAP, OBD_MON_SECONDARY_AIR,
    OBD_MON_AC_REFRIGERANT, OBD_MON_O2_SENSOR, OBD_MON_O2_HEATER, OBD_MON_EGR_VVT,
};
#define NONE OBD_MON_COUNT
static const obd_monitor_t compression_bits[8] = {
    OBD_MON_NMHC_CATALYST, OBD_MON_NOX_SCR, NONE, OBD_MON_BOOST_PRESSURE,
    NONE, OBD_MON_EXHAUST_GAS_SENSOR, OBD_MON_PM_FILTER, OBD_MON_EGR_VVT,
};

int obd_readiness_decode(const uint8_t *data, size_t len, bool this_cycle, obd_readiness_t *out)
{
    if (!out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    obd_cur_t c = obd_cur(data, len);
    uint8_t a = obd_cur_u8(&c), b = obd_cur_u8(&c), sc = obd_cur_u8(&c), d = obd_cur_u8(&c);
    if (c.err)
        return c.err;
    if (obd_cur_left(&c))
        return OBD_ELEN;
    if (!this_cycle) {
        out->mil_on = (a & 0x80) != 0;
        out->dtc_count = a & 0x7F;
    }
    out->compression = (b & 0x08) != 0;
    static const obd_monitor_t common[3] = { OBD_MON_MISFIRE, OBD_MON_FUEL_SYSTEM, OBD_MON_COMPONENTS };
    for (int i = 0; i < 3; i++) {
        obd_monitor_state_t *m = &out->mon[common[i]];
        m->supported = (b >> i) & 1;
        m->complete = m->supported && !((b >> (i + 4)) & 1);
    }
    const obd_monitor_t *map = out->compression ? compression_bits : spark_bits;
    for (int i = 0; i < 8; i++) {
        if (map[i] == NONE)
            continue;
        obd_monitor_state_t *m = &out->mon[map[i]];
        m->supported = (sc >> i) & 1;
        m->complete = m->supported && !((d >> i) & 1);
    }
    return OBD_OK;
}

void obd_readiness_counts(const obd_readiness_t *r, int *supported, int *incomplete)
{
    int s = 0, inc = 0;
    for (int i = 0; i < OBD_MON_COUNT; i++)
        if (r->mon[i].supported) {
            s++;
            if (!r->mon[i].complete)
                inc++;
        }
    if (supported)
        *supported = s;
    if (incomplete)
        *incomplete = inc;
}

static const struct { const char *key, *en, *zh; } monitor_names[OBD_MON_COUNT] = {
    [OBD_MON_MISFIRE] = { "misfire", "Misfire", "失火监测" },
    [OBD_MON_FUEL_SYSTEM] = { "fuel_system", "Fuel system", "燃油系统监测" },
    [OBD_MON_COMPONENTS] = { "components", "Comprehensive components", "综合部件监测" },
    [OBD_MON_CATALYST] = { "catalyst", "Catalyst", "催化器监测" },
    [OBD_MON_HEATED_CATALYST] = { "heated_catalyst", "Heated catalyst", "加热型催化器监测" },
    [OBD_MON_EVAP] = { "evap", "Evaporative system", "燃油蒸发系统监测" },
    [OBD_MON_SECONDARY_AIR] = { "secondary_air", "Secondary air system", "二次空气系统监测" },
    [OBD_MON_AC_REFRIGERANT] = { "ac_refrigerant", "A/C refrigerant", "空调制冷剂监测" },
    [OBD_MON_O2_SENSOR] = { "o2_sensor", "Oxygen sensor", "氧传感器监测" },
    [OBD_MON_O2_HEATER] = { "o2_heater", "Oxygen sensor heater", "氧传感器加热器监测" },
    [OBD_MON_EGR_VVT] = { "egr_vvt", "EGR / VVT system", "废气再循环/可变气门正时系统监测" },
    [OBD_MON_NMHC_CATALYST] = { "nmhc_catalyst", "NMHC catalyst", "非甲烷碳氢催化器监测" },
    [OBD_MON_NOX_SCR] = { "nox_scr", "NOx / SCR aftertreatment", "氮氧化物/SCR后处理监测" },
    [OBD_MON_BOOST_PRESSURE] = { "boost_pressure", "Boost pressure", "增压压力监测" },
    [OBD_MON_EXHAUST_GAS_SENSOR] = { "exhaust_gas_sensor", "Exhaust gas sensor", "排气传感器监测" },
    [OBD_MON_PM_FILTER] = { "pm_filter", "PM filter", "颗粒捕集器监测" },
};

const char *obd_monitor_key(obd_monitor_t m)
{
    return (unsigned)m < OBD_MON_COUNT ? monitor_names[m].key : "unknown";
}

const char *obd_monitor_name(obd_monitor_t m, obd_lang_t lang)
{
    if ((unsigned)m >= OBD_MON_COUNT)
        return lang == OBD_LANG_ZH ? "未知" : "unknown";
    return obd_tr(lang, monitor_names[m].en, monitor_names[m].zh);
}

/* ---------------- services 03 / 07 / 0A ---------------- */

static int add_dtc(obd_dtc_list_t *out, obd_dtc_t d)
{
    if (out->count == OBD_MAX_DTCS)
        return OBD_ELEN;
    out->dtcs[out->count++] = d;
    return OBD_OK;
}

int obd_parse_dtc_reply(const uint8_t *p, size_t n, uint8_t sid, bool can_format, obd_dtc_list_t *out)
{
    if (!out || (sid != OBD_SVC_STORED_DTC && sid != OBD_SVC_PENDING_DTC && sid != OBD_SVC_PERMANENT_DTC))
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = obd_check_reply(p, n, sid, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    if (can_format) {
        obd_cur_u8(&c);
        uint8_t count = obd_cur_u8(&c);
        if (c.err)
            return c.err;
        if (obd_cur_left(&c) != (size_t)count * 2)
            return (obd_cur_left(&c) & 1) ? OBD_ELEN : (obd_cur_left(&c) < (size_t)count * 2 ? OBD_ESHORT : OBD_ELEN);
        for (unsigned i = 0; i < count; i++)
            if ((rc = add_dtc(out, obd_cur_u16(&c))))
                return rc;
        return OBD_OK;
    }
    /* Legacy: one or more messages "SID d1 d2 d3" (3 DTCs of 2 bytes, $0000 = none). */
    if (n % 7 != 0) {
        if (n > 7 || ((n - 1) & 1))
            return OBD_ELEN; /* a single short message must still hold whole DTCs */
    }
    while (obd_cur_left(&c) > 0) {
        if (obd_cur_u8(&c) != (uint8_t)(sid + 0x40))
            return OBD_ESID;
        for (int i = 0; i < 3 && obd_cur_left(&c) >= 2; i++) {
            obd_dtc_t d = obd_cur_u16(&c);
            if (d != 0 && (rc = add_dtc(out, d)))
                return rc;
        }
    }
    return c.err;
}

/* Whole 2-byte codes from p[0..n), zero codes skipped (padding). */
static size_t take_codes(const uint8_t *p, size_t n, obd_dtc_list_t *out)
{
    size_t whole = n / 2;
    for (size_t i = 0; i < whole && out->count < OBD_MAX_DTCS; i++) {
        obd_dtc_t d = (obd_dtc_t)(p[2 * i] << 8 | p[2 * i + 1]);
        if (d)
            out->dtcs[out->count++] = d;
    }
    return whole;
}

int obd_parse_dtc_reply_lenient(const uint8_t *p, size_t n, uint8_t sid, bool can_format, int expected,
                                obd_dtc_list_t *out, obd_dtc_dev_t *dev)
{
    obd_dtc_dev_t local;
    if (!dev)
        dev = &local;
    memset(dev, 0, sizeof *dev);
    int rc = obd_parse_dtc_reply(p, n, sid, can_format, out);
    if (rc == OBD_OK || rc == OBD_EINVAL || !p)
        return rc;
    memset(out, 0, sizeof *out);
    if (n == 0)
        return OBD_ESHORT;
    if (p[0] != (uint8_t)(sid + 0x40))
        return OBD_ESID; /* not an answer to this service: unreadable */
    const uint8_t *d = p + 1;
    size_t len = n - 1;
    if (can_format) {
        if (len == 0) {
            dev->kind = OBD_DTC_DEV_NO_COUNT;
            return OBD_OK;
        }
        uint8_t count = d[0];
        size_t whole_after_count = (len - 1) / 2;
        bool count_fits = count == whole_after_count;
        if (len % 2 == 1) {
            /* count byte + whole codes: only the count disagrees */
            take_codes(d + 1, len - 1, out);
            dev->kind = OBD_DTC_DEV_COUNT;
            dev->count_byte = count;
            dev->carried = (uint8_t)(whole_after_count > 255 ? 255 : whole_after_count);
            return OBD_OK;
        }
        /* Even: either count + codes + one stray byte, or no count byte at
         * all (legacy layout). PID 01's count decides when it can. */
        obd_dtc_list_t legacy = { 0 };
        take_codes(d, len, &legacy);
        bool legacy_fits = expected >= 0 && legacy.count == (size_t)expected;
        if (count_fits && !legacy_fits) {
            take_codes(d + 1, len - 2, out);
            dev->kind = OBD_DTC_DEV_TRAILING;
            dev->carried = (uint8_t)(whole_after_count > 255 ? 255 : whole_after_count);
            dev->trailing = 1;
            return OBD_OK;
        }
        *out = legacy;
        dev->kind = OBD_DTC_DEV_LEGACY_ON_CAN;
        dev->carried = (uint8_t)(len / 2 > 255 ? 255 : len / 2);
        return OBD_OK;
    }
    /* Legacy protocols: messages of SID + 3 codes; keep every whole code up
     * to the first byte that breaks the layout. */
    size_t at = 0, carried = 0;
    while (at < n) {
        if (p[at] != (uint8_t)(sid + 0x40))
            break;
        size_t m = n - at - 1 < 6 ? n - at - 1 : 6;
        size_t w = m / 2;
        carried += take_codes(p + at + 1, w * 2, out);
        at += 1 + w * 2;
        if (w < 3)
            break;
    }
    dev->kind = OBD_DTC_DEV_TRAILING;
    dev->carried = (uint8_t)(carried > 255 ? 255 : carried);
    dev->trailing = (uint8_t)(n - at > 255 ? 255 : n - at);
    if (dev->trailing == 0)
        dev->kind = OBD_DTC_DEV_NONE; /* strict parse refused it for another reason; nothing left over */
    return OBD_OK;
}

const char *obd_dtc_dev_key(const obd_dtc_dev_t *dev, char *out, size_t cap)
{
    if (!out || !cap)
        return "";
    out[0] = 0;
    if (!dev)
        return out;
    switch (dev->kind) {
    case OBD_DTC_DEV_COUNT: snprintf(out, cap, "count_byte:%u:%u", dev->count_byte, dev->carried); break;
    case OBD_DTC_DEV_LEGACY_ON_CAN: snprintf(out, cap, "legacy_layout_on_can"); break;
    case OBD_DTC_DEV_TRAILING: snprintf(out, cap, "trailing_bytes:%u", dev->trailing); break;
    case OBD_DTC_DEV_NO_COUNT: snprintf(out, cap, "no_count_byte"); break;
    default: break;
    }
    return out;
}

int obd_parse_clear_reply(const uint8_t *p, size_t n, obd_nr_t *nr)
{
    obd_nr_t local;
    int rc = obd_check_reply(p, n, OBD_SVC_CLEAR_DTC, &local);
    if (nr)
        *nr = local;
    if (rc)
        return rc;
    if (!local.negative && n != 1)
        return OBD_ELEN;
    return OBD_OK;
}
