/*
 * obd_mode06.c — J1979 service $06, on-board monitoring test results, in the
 * ISO 15765-4 (CAN) form; the unit-and-scaling (UASID) table and the names of
 * the standard monitor ids (OBDMIDs). Pure: bytes in, structs out.
 *
 * A reply is one of two shapes, told apart by the first OBDMID:
 *   - $00/$20/.../$E0: supported-OBDMID bitmaps. A CAN request may ask for
 *     several of them at once, so the payload is one or more 5-byte blocks
 *     <OBDMID> <4 bitmap bytes>, each merged into one 256-bit set.
 *   - anything else: one or more 9-byte test records
 *     <OBDMID> <TID> <UASID> <value:2> <min:2> <max:2>, every record carrying
 *     its own OBDMID (all the same one: the request names a single monitor).
 *
 * Not for: service $05 / the legacy (non-CAN) $06 format, which has no UASID.
 */
#include <string.h>

#include "obdgw/obd.h"

/* ---------------- unit and scaling table ---------------- */

/*
 * SAE J1979 Appendix E / ISO 15031-5 Annex E. $01-$41 unsigned, $81-$FE
 * signed (two's complement of the 16-bit raw value). Physical value =
 * raw * scale + offset; units are SI (lengths converted from inches).
 * Undefined ids are left zeroed (uasid 0) and looked up as NULL.
 */
#define U(id, sc, off, un, e, z) [id] = { id, false, sc, off, un, e, z }
#define S(id, sc, off, un, e, z) [id] = { id, true, sc, off, un, e, z }

static const obd_uas_t uas_table[256] = {
    /* unsigned */
    U(0x01, 1.0, 0, "", "Raw value", "原始值"),
    U(0x02, 0.1, 0, "", "Value, 0.1 per bit", "数值（每位 0.1）"),
    U(0x03, 0.01, 0, "", "Value, 0.01 per bit", "数值（每位 0.01）"),
    U(0x04, 0.001, 0, "", "Value, 0.001 per bit", "数值（每位 0.001）"),
    U(0x05, 0.0000305, 0, "", "Value, 0.0000305 per bit", "数值（每位 0.0000305）"),
    U(0x06, 0.000305, 0, "", "Value, 0.000305 per bit", "数值（每位 0.000305）"),
    U(0x07, 0.25, 0, "rpm", "Rotational speed", "转速"),
    U(0x08, 0.01, 0, "km/h", "Speed", "车速"),
    U(0x09, 1.0, 0, "km/h", "Speed", "车速"),
    U(0x0A, 0.122, 0, "mV", "Voltage", "电压"),
    U(0x0B, 0.001, 0, "V", "Voltage", "电压"),
    U(0x0C, 0.01, 0, "V", "Voltage", "电压"),
    U(0x0D, 0.00390625, 0, "mA", "Current", "电流"),
    U(0x0E, 0.001, 0, "A", "Current", "电流"),
    U(0x0F, 0.01, 0, "A", "Current", "电流"),
    U(0x10, 1.0, 0, "ms", "Time", "时间"),
    U(0x11, 100.0, 0, "ms", "Time", "时间"),
    U(0x12, 1.0, 0, "s", "Time", "时间"),
    U(0x13, 1.0, 0, "mΩ", "Resistance", "电阻"),
    U(0x14, 1.0, 0, "Ω", "Resistance", "电阻"),
    U(0x15, 1.0, 0, "kΩ", "Resistance", "电阻"),
    U(0x16, 0.1, -40.0, "°C", "Temperature", "温度"),
    U(0x17, 0.01, 0, "kPa", "Pressure (gauge)", "压力（表压）"),
    U(0x18, 0.0117, 0, "kPa", "Pressure (air)", "压力（空气）"),
    U(0x19, 0.079, 0, "kPa", "Pressure (fuel)", "压力（燃油）"),
    U(0x1A, 1.0, 0, "kPa", "Pressure", "压力"),
    U(0x1B, 10.0, 0, "kPa", "Pressure (diesel)", "压力（柴油）"),
    U(0x1C, 0.01, 0, "°", "Angle", "角度"),
    U(0x1D, 0.5, 0, "°", "Angle", "角度"),
    U(0x1E, 0.0000305, 0, "ratio", "Equivalence ratio (lambda)", "当量比（λ）"),
    U(0x1F, 0.05, 0, "ratio", "Air/fuel ratio", "空燃比"),
    U(0x20, 0.00390625, 0, "ratio", "Ratio", "比值"),
    U(0x21, 1.0, 0, "mHz", "Frequency", "频率"),
    U(0x22, 1.0, 0, "Hz", "Frequency", "频率"),
    U(0x23, 1.0, 0, "kHz", "Frequency", "频率"),
    U(0x24, 1.0, 0, "counts", "Counts", "计数"),
    U(0x25, 1.0, 0, "km", "Distance", "距离"),
    U(0x26, 0.1, 0, "mV/ms", "Voltage per time", "电压变化率"),
    U(0x27, 0.01, 0, "g/s", "Mass flow", "质量流量"),
    U(0x28, 1.0, 0, "g/s", "Mass flow", "质量流量"),
    U(0x29, 0.25, 0, "Pa/s", "Pressure per time", "压力变化率"),
    U(0x2A, 0.001, 0, "kg/h", "Mass flow", "质量流量"),
    U(0x2B, 1.0, 0, "counts", "Switches", "开关次数"),
    U(0x2C, 0.01, 0, "g/cyl", "Mass per cylinder", "每缸质量"),
    U(0x2D, 0.01, 0, "mg/stroke", "Mass per stroke", "每冲程质量"),
    U(0x2E, 1.0, 0, "", "True/false (0 = false)", "真/假（0 为假）"),
    U(0x2F, 0.01, 0, "%", "Percent", "百分比"),
    U(0x30, 0.001526, 0, "%", "Percent", "百分比"),
    U(0x31, 0.001, 0, "L", "Volume", "容积"),
    U(0x32, 0.0007747, 0, "mm", "Length (0.0000305 in per bit)", "长度"),
    U(0x33, 0.00024414, 0, "ratio", "Equivalence ratio (lambda)", "当量比（λ）"),
    U(0x34, 1.0, 0, "min", "Time", "时间"),
    U(0x35, 10.0, 0, "ms", "Time", "时间"),
    U(0x36, 0.01, 0, "g", "Mass", "质量"),
    U(0x37, 0.1, 0, "g", "Mass", "质量"),
    U(0x38, 1.0, 0, "g", "Mass", "质量"),
    U(0x39, 0.01, -327.68, "%", "Percent", "百分比"),
    U(0x3A, 0.001, 0, "g", "Mass", "质量"),
    U(0x3B, 0.0001, 0, "g", "Mass", "质量"),
    U(0x3C, 0.1, 0, "µs", "Time", "时间"),
    U(0x3D, 0.01, 0, "mA", "Current", "电流"),
    U(0x3E, 0.00006103516, 0, "mm²", "Area", "面积"),
    U(0x3F, 0.01, 0, "L", "Volume", "容积"),
    U(0x40, 1.0, 0, "ppm", "Concentration", "浓度"),
    U(0x41, 0.01, 0, "µA", "Current", "电流"),
    /* signed */
    S(0x81, 1.0, 0, "", "Raw value (signed)", "原始值（有符号）"),
    S(0x82, 0.1, 0, "", "Value, 0.1 per bit (signed)", "数值（每位 0.1，有符号）"),
    S(0x83, 0.01, 0, "", "Value, 0.01 per bit (signed)", "数值（每位 0.01，有符号）"),
    S(0x84, 0.001, 0, "", "Value, 0.001 per bit (signed)", "数值（每位 0.001，有符号）"),
    S(0x85, 0.0000305, 0, "", "Value, 0.0000305 per bit (signed)", "数值（每位 0.0000305，有符号）"),
    S(0x86, 0.000305, 0, "", "Value, 0.000305 per bit (signed)", "数值（每位 0.000305，有符号）"),
    S(0x87, 1.0, 0, "ppm", "Concentration", "浓度"),
    S(0x8A, 0.122, 0, "mV", "Voltage", "电压"),
    S(0x8B, 0.001, 0, "V", "Voltage", "电压"),
    S(0x8C, 0.01, 0, "V", "Voltage", "电压"),
    S(0x8D, 0.00390625, 0, "mA", "Current", "电流"),
    S(0x8E, 0.001, 0, "A", "Current", "电流"),
    S(0x90, 1.0, 0, "ms", "Time", "时间"),
    S(0x96, 0.1, 0, "°C", "Temperature", "温度"),
    S(0x99, 0.1, 0, "kPa", "Pressure", "压力"),
    S(0x9C, 0.01, 0, "°", "Angle", "角度"),
    S(0x9D, 0.5, 0, "°", "Angle", "角度"),
    S(0xA8, 1.0, 0, "g/s", "Mass flow", "质量流量"),
    S(0xA9, 0.25, 0, "Pa/s", "Pressure per time", "压力变化率"),
    S(0xAD, 0.01, 0, "mg/stroke", "Mass per stroke", "每冲程质量"),
    S(0xAE, 0.1, 0, "mg/stroke", "Mass per stroke", "每冲程质量"),
    S(0xAF, 0.01, 0, "%", "Percent", "百分比"),
    S(0xB0, 0.003052, 0, "%", "Percent", "百分比"),
    S(0xB1, 2.0, 0, "mV/s", "Voltage per time", "电压变化率"),
    S(0xFC, 0.01, 0, "kPa", "Pressure", "压力"),
    S(0xFD, 0.001, 0, "kPa", "Pressure", "压力"),
    S(0xFE, 0.25, 0, "Pa", "Pressure (EVAP vapour)", "压力（燃油蒸气）"),
};

#undef U
#undef S

const obd_uas_t *obd_uas_lookup(uint8_t uasid)
{
    const obd_uas_t *u = &uas_table[uasid];
    return u->uasid == uasid && u->unit ? u : NULL;
}

/* ---------------- OBDMID names ---------------- */

/*
 * J1979 Appendix D / ISO 15031-5 Annex D, in the layout with misfire
 * cylinders 1-12 at $A2-$AD and the PM filter at $B0/$B1. (Later J1979-DA
 * issues give $A2-$B1 to cylinders 1-16 and move the PM filter to $B2/$B3;
 * $AE/$AF are named as cylinders 13/14, which both layouts agree on.)
 */
typedef struct {
    const char *en, *zh;
} mid_name_t;

#define N(id, e, z) [id] = { e, z }
#define O2(id, b, s) \
    N(id, "O2 Sensor Monitor Bank " #b " - Sensor " #s, "氧传感器监测 第" #b "排 传感器" #s)
#define O2H(id, b, s) \
    N(id, "O2 Sensor Heater Monitor Bank " #b " - Sensor " #s, "氧传感器加热器监测 第" #b "排 传感器" #s)
#define BANK(id, what_en, what_zh, b) N(id, what_en " Bank " #b, what_zh " 第" #b "排")
#define CYL(id, c) N(id, "Misfire Cylinder " #c " Data", "失火监测 第" #c "缸")
#define SUP(id, lo, hi) \
    N(id, "Supported OBDMIDs $" #lo "-$" #hi, "支持的监测 ID $" #lo "-$" #hi)

static const mid_name_t mid_names[256] = {
    SUP(0x00, 01, 20), SUP(0x20, 21, 40), SUP(0x40, 41, 60), SUP(0x60, 61, 80),
    SUP(0x80, 81, A0), SUP(0xA0, A1, C0), SUP(0xC0, C1, E0), SUP(0xE0, E1, FF),
    O2(0x01, 1, 1), O2(0x02, 1, 2), O2(0x03, 1, 3), O2(0x04, 1, 4),
    O2(0x05, 2, 1), O2(0x06, 2, 2), O2(0x07, 2, 3), O2(0x08, 2, 4),
    O2(0x09, 3, 1), O2(0x0A, 3, 2), O2(0x0B, 3, 3), O2(0x0C, 3, 4),
    O2(0x0D, 4, 1), O2(0x0E, 4, 2), O2(0x0F, 4, 3), O2(0x10, 4, 4),
    BANK(0x21, "Catalyst Monitor", "催化器监测", 1),
    BANK(0x22, "Catalyst Monitor", "催化器监测", 2),
    BANK(0x23, "Catalyst Monitor", "催化器监测", 3),
    BANK(0x24, "Catalyst Monitor", "催化器监测", 4),
    BANK(0x31, "EGR Monitor", "废气再循环（EGR）监测", 1),
    BANK(0x32, "EGR Monitor", "废气再循环（EGR）监测", 2),
    BANK(0x33, "EGR Monitor", "废气再循环（EGR）监测", 3),
    BANK(0x34, "EGR Monitor", "废气再循环（EGR）监测", 4),
    BANK(0x35, "VVT Monitor", "可变气门正时（VVT）监测", 1),
    BANK(0x36, "VVT Monitor", "可变气门正时（VVT）监测", 2),
    BANK(0x37, "VVT Monitor", "可变气门正时（VVT）监测", 3),
    BANK(0x38, "VVT Monitor", "可变气门正时（VVT）监测", 4),
    N(0x39, "EVAP Monitor (Cap Off / 0.150\")", "燃油蒸发系统监测（油箱盖未盖/0.150英寸泄漏）"),
    N(0x3A, "EVAP Monitor (0.090\")", "燃油蒸发系统监测（0.090英寸泄漏）"),
    N(0x3B, "EVAP Monitor (0.040\")", "燃油蒸发系统监测（0.040英寸泄漏）"),
    N(0x3C, "EVAP Monitor (0.020\")", "燃油蒸发系统监测（0.020英寸泄漏）"),
    N(0x3D, "Purge Flow Monitor", "炭罐清污流量监测"),
    O2H(0x41, 1, 1), O2H(0x42, 1, 2), O2H(0x43, 1, 3), O2H(0x44, 1, 4),
    O2H(0x45, 2, 1), O2H(0x46, 2, 2), O2H(0x47, 2, 3), O2H(0x48, 2, 4),
    O2H(0x49, 3, 1), O2H(0x4A, 3, 2), O2H(0x4B, 3, 3), O2H(0x4C, 3, 4),
    O2H(0x4D, 4, 1), O2H(0x4E, 4, 2), O2H(0x4F, 4, 3), O2H(0x50, 4, 4),
    BANK(0x61, "Heated Catalyst Monitor", "加热型催化器监测", 1),
    BANK(0x62, "Heated Catalyst Monitor", "加热型催化器监测", 2),
    BANK(0x63, "Heated Catalyst Monitor", "加热型催化器监测", 3),
    BANK(0x64, "Heated Catalyst Monitor", "加热型催化器监测", 4),
    N(0x71, "Secondary Air Monitor 1", "二次空气监测 1"),
    N(0x72, "Secondary Air Monitor 2", "二次空气监测 2"),
    N(0x73, "Secondary Air Monitor 3", "二次空气监测 3"),
    N(0x74, "Secondary Air Monitor 4", "二次空气监测 4"),
    BANK(0x81, "Fuel System Monitor", "燃油系统监测", 1),
    BANK(0x82, "Fuel System Monitor", "燃油系统监测", 2),
    BANK(0x83, "Fuel System Monitor", "燃油系统监测", 3),
    BANK(0x84, "Fuel System Monitor", "燃油系统监测", 4),
    BANK(0x85, "Boost Pressure Control Monitor", "增压压力控制监测", 1),
    BANK(0x86, "Boost Pressure Control Monitor", "增压压力控制监测", 2),
    BANK(0x90, "NOx Adsorber Monitor", "NOx 吸附器监测", 1),
    BANK(0x91, "NOx Adsorber Monitor", "NOx 吸附器监测", 2),
    BANK(0x98, "NOx/SCR Catalyst Monitor", "NOx/SCR 催化器监测", 1),
    BANK(0x99, "NOx/SCR Catalyst Monitor", "NOx/SCR 催化器监测", 2),
    N(0xA1, "Misfire Monitor General Data", "失火监测 总体数据"),
    CYL(0xA2, 1), CYL(0xA3, 2), CYL(0xA4, 3), CYL(0xA5, 4), CYL(0xA6, 5), CYL(0xA7, 6),
    CYL(0xA8, 7), CYL(0xA9, 8), CYL(0xAA, 9), CYL(0xAB, 10), CYL(0xAC, 11), CYL(0xAD, 12),
    CYL(0xAE, 13), CYL(0xAF, 14),
    BANK(0xB0, "PM Filter Monitor", "颗粒捕集器监测", 1),
    BANK(0xB1, "PM Filter Monitor", "颗粒捕集器监测", 2),
};

#undef N
#undef O2
#undef O2H
#undef BANK
#undef CYL
#undef SUP

const char *obd_mid_name(uint8_t mid, obd_lang_t lang)
{
    const mid_name_t *m = &mid_names[mid];
    return m->en ? obd_tr(lang, m->en, m->zh) : NULL;
}

/* ---------------- reply parser ---------------- */

#define SUPPORT_BLOCK 5 /* OBDMID + 4 bitmap bytes */
#define TEST_RECORD 9   /* OBDMID TID UASID value min max */

static bool is_support_mid(uint8_t mid)
{
    return (mid & 0x1F) == 0;
}

/* Two's complement without relying on implementation-defined conversion. */
static int32_t as_s16(uint16_t raw)
{
    return raw >= 0x8000 ? (int32_t)raw - 0x10000 : (int32_t)raw;
}

static void scale_record(obd_test_result_t *t)
{
    const obd_uas_t *u = obd_uas_lookup(t->uasid);
    t->known_unit = u != NULL;
    if (u && u->is_signed) {
        int32_t v = as_s16(t->raw_value), lo = as_s16(t->raw_min), hi = as_s16(t->raw_max);
        t->passed = lo <= v && v <= hi;
        t->value = v * u->scale + u->offset;
        t->min = lo * u->scale + u->offset;
        t->max = hi * u->scale + u->offset;
        return;
    }
    t->passed = t->raw_min <= t->raw_value && t->raw_value <= t->raw_max;
    double scale = u ? u->scale : 1.0, offset = u ? u->offset : 0.0;
    t->value = t->raw_value * scale + offset;
    t->min = t->raw_min * scale + offset;
    t->max = t->raw_max * scale + offset;
}

/*
 * Errors: nothing after the SID -> OBD_ESHORT; payload not a whole number of
 * blocks/records -> OBD_ELEN; a block or record naming another kind of
 * OBDMID than the first (bitmap among tests, another monitor) -> OBD_EPID;
 * more than OBD_MAX_TESTS records -> OBD_ENOSPC.
 */
int obd_parse_mode06(const uint8_t *p, size_t n, obd_mode06_reply_t *out)
{
    if (!out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = obd_check_reply(p, n, OBD_SVC_MONITOR_TEST, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p + 1, n - 1);
    size_t left = obd_cur_left(&c);
    if (left == 0)
        return OBD_ESHORT;
    const uint8_t first = p[1];

    if (is_support_mid(first)) {
        if (left % SUPPORT_BLOCK)
            return OBD_ELEN;
        while (obd_cur_left(&c) > 0) {
            uint8_t mid = obd_cur_u8(&c);
            const uint8_t *bits = obd_cur_take(&c, 4);
            if (c.err)
                return c.err;
            if (!is_support_mid(mid)) {
                memset(&out->support, 0, sizeof out->support);
                return OBD_EPID;
            }
            obd_pidset_merge(&out->support, mid, bits, 4);
        }
        out->is_support = true;
        return OBD_OK;
    }

    if (left % TEST_RECORD)
        return OBD_ELEN;
    if (left / TEST_RECORD > OBD_MAX_TESTS)
        return OBD_ENOSPC;
    while (obd_cur_left(&c) > 0) {
        obd_test_result_t *t = &out->tests[out->count];
        t->mid = obd_cur_u8(&c);
        t->tid = obd_cur_u8(&c);
        t->uasid = obd_cur_u8(&c);
        t->raw_value = obd_cur_u16(&c);
        t->raw_min = obd_cur_u16(&c);
        t->raw_max = obd_cur_u16(&c);
        if (c.err)
            return c.err;
        if (t->mid != first) {
            memset(out->tests, 0, sizeof out->tests);
            out->count = 0;
            return OBD_EPID;
        }
        scale_record(t);
        out->count++;
    }
    return OBD_OK;
}
