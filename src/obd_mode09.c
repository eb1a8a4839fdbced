/*
 * obd_mode09.c — J1979 service $09, vehicle information: reply parsing in
 * the CAN and the legacy (J1850 / ISO 9141-2 / ISO 14230-4) forms, text
 * items (VIN, CALID, ECU name) and in-use performance tracking counters.
 * Pure: bytes in, structs out.
 *
 * Reply shapes accepted, checked in this order:
 *   1. Support bitmap (info type $00/$20/...): `49 tt <4 bytes>` (CAN, no
 *      NODI) or `49 tt 01 <4 bytes>` (one legacy message) -> one 4-byte item.
 *   2. Legacy message count (info type $01/$03/$05/$07/$09), exactly
 *      `49 tt <count>` -> one 1-byte item. ISO 15765-4 does not use these
 *      types, so a 3-byte reply to them is always this legacy form.
 *   3. Legacy multi-message: two or more 7-byte messages `49 tt <seq> <4>`
 *      concatenated, every message with the same info type and the sequence
 *      numbers exactly 1, 2, 3, ... The 4-byte chunks are joined and split
 *      by the info type's item size (no NODI exists to say it): VIN one item
 *      (20 bytes incl. 3 leading pad bytes), CALID 16, CVN 4, IPT counters 2,
 *      ECU name 20, anything else 4 (one item per message).
 *      Why this cannot misread a CAN reply: read as CAN, such a reply has
 *      NODI 1 (the first seq byte) and a single item of 7k-3 bytes
 *      (11, 18, 25, 32, ...). No CAN info type has items of those sizes
 *      (VIN 17, CALID 16, CVN 4, ECU name 20, IPT 2 per counter). A single
 *      7-byte message reads the same either way: one 4-byte item.
 *   4. CAN: `49 tt <NODI> <data>`, NODI items of data length / NODI bytes.
 *      NODI 0 with no data is an empty answer.
 *
 * Errors: no info type / no NODI / NODI > 0 with no data -> OBD_ESHORT;
 * data not divisible by NODI, NODI 0 with data, bitmap of the wrong size,
 * legacy chunks not a whole number of items -> OBD_ELEN; more than
 * OBD_MAX_INFO_ITEMS items or items longer than OBD_MAX_INFO_ITEM_LEN ->
 * OBD_ENOSPC.
 */
#include <string.h>

#include "obdgw/obd.h"

#define LEGACY_MSG 7   /* 49 tt seq d d d d */
#define LEGACY_CHUNK 4

static bool is_support_type(uint8_t t)
{
    return (t & 0x1F) == 0;
}

static bool is_count_type(uint8_t t)
{
    return t == OBD_INFO_VIN_COUNT || t == OBD_INFO_CALID_COUNT || t == OBD_INFO_CVN_COUNT ||
           t == OBD_INFO_IPT_COUNT || t == OBD_INFO_ECUNAME_COUNT;
}

static int add_item(obd_info_reply_t *out, const uint8_t *d, size_t len)
{
    if (out->count >= OBD_MAX_INFO_ITEMS || len > OBD_MAX_INFO_ITEM_LEN)
        return OBD_ENOSPC;
    obd_info_item_t *it = &out->items[out->count++];
    it->len = (uint8_t)len;
    memcpy(it->data, d, len);
    return OBD_OK;
}

/* Number of legacy messages when p is the legacy multi-message form, else 0. */
static size_t legacy_messages(const uint8_t *p, size_t n)
{
    if (n < 2 * LEGACY_MSG || n % LEGACY_MSG)
        return 0;
    size_t m = n / LEGACY_MSG;
    if (m > 255)
        return 0;
    for (size_t k = 0; k < m; k++) {
        const uint8_t *msg = p + k * LEGACY_MSG;
        if (msg[0] != (uint8_t)(OBD_SVC_VEHICLE_INFO + 0x40) || msg[1] != p[1] || msg[2] != k + 1)
            return 0;
    }
    return m;
}

static size_t legacy_item_len(uint8_t infotype, size_t total)
{
    switch (infotype) {
    case OBD_INFO_VIN: return total;
    case OBD_INFO_CALID: return 16;
    case OBD_INFO_CVN: return 4;
    case OBD_INFO_IPT_SPARK:
    case OBD_INFO_IPT_COMPRESSION: return 2;
    case OBD_INFO_ECUNAME: return 20;
    default: return LEGACY_CHUNK;
    }
}

static int parse_legacy(const uint8_t *p, size_t m, obd_info_reply_t *out)
{
    /* Longest join we may need: 32 items of 32 bytes; m <= 255 keeps it small. */
    uint8_t joined[255 * LEGACY_CHUNK];
    size_t total = m * LEGACY_CHUNK;
    for (size_t k = 0; k < m; k++)
        memcpy(joined + k * LEGACY_CHUNK, p + k * LEGACY_MSG + 3, LEGACY_CHUNK);
    size_t isz = legacy_item_len(out->infotype, total);
    if (total % isz)
        return OBD_ELEN;
    for (size_t off = 0; off < total; off += isz) {
        int rc = add_item(out, joined + off, isz);
        if (rc)
            return rc;
    }
    return OBD_OK;
}

static int parse_can(const uint8_t *p, size_t n, obd_info_reply_t *out)
{
    obd_cur_t c = obd_cur(p, n);
    obd_cur_take(&c, 2); /* SID, info type */
    uint8_t nodi = obd_cur_u8(&c);
    if (c.err)
        return c.err;
    size_t dlen = obd_cur_left(&c);
    if (nodi == 0)
        return dlen ? OBD_ELEN : OBD_OK;
    if (dlen == 0)
        return OBD_ESHORT;
    if (dlen % nodi)
        return OBD_ELEN;
    if (nodi > OBD_MAX_INFO_ITEMS || dlen / nodi > OBD_MAX_INFO_ITEM_LEN)
        return OBD_ENOSPC;
    size_t isz = dlen / nodi;
    for (unsigned i = 0; i < nodi; i++) {
        int rc = add_item(out, obd_cur_take(&c, isz), isz);
        if (rc)
            return rc;
    }
    return c.err;
}

int obd_parse_mode09(const uint8_t *p, size_t n, obd_info_reply_t *out)
{
    if (!out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = obd_check_reply(p, n, OBD_SVC_VEHICLE_INFO, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    if (n < 2)
        return OBD_ESHORT;
    out->infotype = p[1];

    if (is_support_type(out->infotype)) {
        if (n == 6)
            rc = add_item(out, p + 2, 4);
        else if (n == LEGACY_MSG && p[2] == 0x01)
            rc = add_item(out, p + 3, 4);
        else
            rc = n < 6 ? OBD_ESHORT : OBD_ELEN;
    } else if (is_count_type(out->infotype) && n == 3) {
        rc = add_item(out, p + 2, 1);
    } else {
        size_t m = legacy_messages(p, n);
        rc = m ? parse_legacy(p, m, out) : parse_can(p, n, out);
    }
    if (rc) {
        uint8_t t = out->infotype;
        memset(out, 0, sizeof *out);
        out->infotype = t;
    }
    return rc;
}

/* ---------------- text items ---------------- */

static bool is_pad(uint8_t b)
{
    return b == 0x00 || b == 0xFF || b == ' ';
}

/*
 * Printable ASCII only. One exception inside the text: the ECU name
 * ($0A) is "<acronym, 4 bytes padded with $00>-<name>", so a run of $00
 * directly before '-' is padding and is dropped ("ECM\0-EngineControl"
 * becomes "ECM-EngineControl").
 */
int obd_info_text(const obd_info_item_t *item, char *out, size_t cap)
{
    if (!item || !out || cap == 0)
        return OBD_EINVAL;
    out[0] = '\0';
    const uint8_t *d = item->data;
    size_t a = 0, b = item->len <= OBD_MAX_INFO_ITEM_LEN ? item->len : OBD_MAX_INFO_ITEM_LEN;
    while (a < b && is_pad(d[a]))
        a++;
    while (b > a && is_pad(d[b - 1]))
        b--;
    size_t k = 0;
    for (size_t i = a; i < b; i++) {
        if (d[i] == 0x00) {
            size_t j = i;
            while (j < b && d[j] == 0x00)
                j++;
            if (j < b && d[j] == '-') {
                i = j - 1;
                continue;
            }
            out[0] = '\0';
            return OBD_EFORMAT;
        }
        if (d[i] < 0x20 || d[i] > 0x7E) {
            out[0] = '\0';
            return OBD_EFORMAT;
        }
        if (k + 1 >= cap) {
            out[0] = '\0';
            return OBD_ENOSPC;
        }
        out[k++] = (char)d[i];
    }
    out[k] = '\0';
    return OBD_OK;
}

/* ---------------- in-use performance tracking ---------------- */

typedef struct {
    const char *key, *en, *zh;
} ipt_name_t;

/* J1979 info type $08 (spark ignition): 16 counters before 2009, 20 since. */
static const ipt_name_t ipt_spark[] = {
    { "obdcond", "OBD monitoring conditions encountered", "OBD 监测条件满足次数" },
    { "igncntr", "Ignition cycle counter", "点火循环计数" },
    { "catcomp1", "Catalyst monitor completions, bank 1", "催化器监测完成次数（第1排）" },
    { "catcond1", "Catalyst monitor conditions encountered, bank 1", "催化器监测条件满足次数（第1排）" },
    { "catcomp2", "Catalyst monitor completions, bank 2", "催化器监测完成次数（第2排）" },
    { "catcond2", "Catalyst monitor conditions encountered, bank 2", "催化器监测条件满足次数（第2排）" },
    { "o2scomp1", "O2 sensor monitor completions, bank 1", "氧传感器监测完成次数（第1排）" },
    { "o2scond1", "O2 sensor monitor conditions encountered, bank 1", "氧传感器监测条件满足次数（第1排）" },
    { "o2scomp2", "O2 sensor monitor completions, bank 2", "氧传感器监测完成次数（第2排）" },
    { "o2scond2", "O2 sensor monitor conditions encountered, bank 2", "氧传感器监测条件满足次数（第2排）" },
    { "egrcomp", "EGR/VVT monitor completions", "EGR/VVT 监测完成次数" },
    { "egrcond", "EGR/VVT monitor conditions encountered", "EGR/VVT 监测条件满足次数" },
    { "aircomp", "Secondary air monitor completions", "二次空气监测完成次数" },
    { "aircond", "Secondary air monitor conditions encountered", "二次空气监测条件满足次数" },
    { "evapcomp", "EVAP monitor completions", "燃油蒸发系统监测完成次数" },
    { "evapcond", "EVAP monitor conditions encountered", "燃油蒸发系统监测条件满足次数" },
    { "so2scomp1", "Secondary O2 sensor monitor completions, bank 1", "后氧传感器监测完成次数（第1排）" },
    { "so2scond1", "Secondary O2 sensor monitor conditions encountered, bank 1", "后氧传感器监测条件满足次数（第1排）" },
    { "so2scomp2", "Secondary O2 sensor monitor completions, bank 2", "后氧传感器监测完成次数（第2排）" },
    { "so2scond2", "Secondary O2 sensor monitor conditions encountered, bank 2", "后氧传感器监测条件满足次数（第2排）" },
};

/* J1979 info type $0B (compression ignition). */
static const ipt_name_t ipt_compression[] = {
    { "obdcond", "OBD monitoring conditions encountered", "OBD 监测条件满足次数" },
    { "igncntr", "Ignition cycle counter", "点火循环计数" },
    { "hccatcomp", "NMHC catalyst monitor completions", "非甲烷碳氢催化器监测完成次数" },
    { "hccatcond", "NMHC catalyst monitor conditions encountered", "非甲烷碳氢催化器监测条件满足次数" },
    { "ncatcomp", "NOx/SCR catalyst monitor completions", "NOx/SCR 催化器监测完成次数" },
    { "ncatcond", "NOx/SCR catalyst monitor conditions encountered", "NOx/SCR 催化器监测条件满足次数" },
    { "nadscomp", "NOx adsorber monitor completions", "NOx 吸附器监测完成次数" },
    { "nadscond", "NOx adsorber monitor conditions encountered", "NOx 吸附器监测条件满足次数" },
    { "pmcomp", "PM filter monitor completions", "颗粒捕集器监测完成次数" },
    { "pmcond", "PM filter monitor conditions encountered", "颗粒捕集器监测条件满足次数" },
    { "egscomp", "Exhaust gas sensor monitor completions", "排气传感器监测完成次数" },
    { "egscond", "Exhaust gas sensor monitor conditions encountered", "排气传感器监测条件满足次数" },
    { "egrcomp", "EGR/VVT monitor completions", "EGR/VVT 监测完成次数" },
    { "egrcond", "EGR/VVT monitor conditions encountered", "EGR/VVT 监测条件满足次数" },
    { "bpcomp", "Boost pressure monitor completions", "增压压力监测完成次数" },
    { "bpcond", "Boost pressure monitor conditions encountered", "增压压力监测条件满足次数" },
    { "fuelcomp", "Fuel monitor completions", "燃油系统监测完成次数" },
    { "fuelcond", "Fuel monitor conditions encountered", "燃油系统监测条件满足次数" },
};

_Static_assert(sizeof ipt_spark / sizeof ipt_spark[0] <= OBD_MAX_IPT, "IPT table larger than obd_ipt_t");
_Static_assert(sizeof ipt_compression / sizeof ipt_compression[0] <= OBD_MAX_IPT, "IPT table larger than obd_ipt_t");

/*
 * Counters in reply order, each item 2 bytes big-endian. Fewer counters than
 * the table holds (older ECUs) decode what is there. Errors: infotype not
 * $08/$0B or not the reply's -> OBD_EPID; a negative reply -> OBD_EINVAL;
 * an item that is not 2 bytes or more counters than defined -> OBD_ELEN.
 */
int obd_ipt_decode(uint8_t infotype, const obd_info_reply_t *r, obd_ipt_t *out)
{
    if (!r || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    const ipt_name_t *names;
    size_t nnames;
    if (infotype == OBD_INFO_IPT_SPARK) {
        names = ipt_spark;
        nnames = sizeof ipt_spark / sizeof ipt_spark[0];
    } else if (infotype == OBD_INFO_IPT_COMPRESSION) {
        names = ipt_compression;
        nnames = sizeof ipt_compression / sizeof ipt_compression[0];
    } else {
        return OBD_EPID;
    }
    if (r->nr.negative)
        return OBD_EINVAL;
    if (r->infotype != infotype)
        return OBD_EPID;
    if (r->count > nnames)
        return OBD_ELEN;
    for (size_t i = 0; i < r->count; i++) {
        if (r->items[i].len != 2) {
            memset(out, 0, sizeof *out);
            return OBD_ELEN;
        }
        out->c[i].key = names[i].key;
        out->c[i].en = names[i].en;
        out->c[i].zh = names[i].zh;
        out->c[i].value = (uint16_t)(r->items[i].data[0] << 8 | r->items[i].data[1]);
    }
    out->count = r->count;
    return OBD_OK;
}
