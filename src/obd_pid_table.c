/*
 * obd_pid_table.c — the service $01/$02 PID table (SAE J1979 / ISO 15031-5),
 * as data. One row per PID from $00 to $C0 whose byte layout is public; the
 * decoder (obd_pid.c) walks the fields, nothing here is code.
 *
 * Conventions:
 *   - Bytes are named A, B, C ... in the standard; `byte` here is A = 0.
 *   - Units are SI or SI-accepted (°C, kPa, Pa, km/h, g/s, V, mA, s, min, h,
 *     km, Nm, L/h, ppm ...). "%" fields keep the standard's percentage.
 *   - PIDs $66 and above mostly start with a "supported" byte A: each field
 *     names its bit in `support_bit`, so an absent sensor decodes as
 *     unavailable rather than as a plausible-looking zero.
 *   - Timers and counters that the standard fills with all ones when not
 *     available carry OBD_FF_FF_NA.
 *
 * PIDs deliberately NOT in the table (their layout is not public):
 *   $C3 fuel level input A/B, $C4 exhaust particulate control system
 *   diagnostic time/count, and everything above $C4 ($C5-$C8 ...).
 *   $95-$97 and $AA-$BF, $C1-$C2 are not defined by J1979.
 * PIDs in the table with a length but no public layout (decoded as one raw
 * field so multi-PID replies can still be split):
 *   $A7 NOx sensor concentration sensors 3 and 4, $A8 NOx sensor corrected
 *   concentration sensors 3 and 4, $A9 ABS disable switch state.
 * Known simplifications:
 *   - $06-$09 and $55-$58 may carry a second byte (bank 3/4) on some ECUs;
 *     the table uses the common one-byte form for $06-$09.
 *   - $65 byte A bit 4 and the meaning of $88's status bytes are reported
 *     raw / not decoded.
 */
#include <stddef.h>

#include "obdgw/pid.h"

/* ---- field shorthands (support_bit must always be explicit: 0 is a bit) ---- */

#define FIELD(K, EN, ZH, KIND, BY, SZ, BI, NB, SUP, FL, SC, OF, MN, MX, UN, ENUMS)                     \
    {                                                                                                  \
        .key = K, .en = EN, .zh = ZH, .kind = KIND, .byte = BY, .size = SZ, .bit = BI, .nbits = NB,    \
        .support_bit = SUP, .flags = FL, .scale = SC, .offset = OF, .min = MN, .max = MX, .unit = UN,  \
        .enums = ENUMS                                                                                 \
    }

/* unsigned number of SZ bytes at BY, optional support bit and flags */
#define NUM(K, EN, ZH, BY, SZ, SUP, FL, SC, OF, MN, MX, UN) \
    FIELD(K, EN, ZH, OBD_FK_UNSIGNED, BY, SZ, 0, 0, SUP, FL, SC, OF, MN, MX, UN, NULL)
/* two's complement number of SZ bytes */
#define SNUM(K, EN, ZH, BY, SZ, SUP, SC, OF, MN, MX, UN) \
    FIELD(K, EN, ZH, OBD_FK_SIGNED, BY, SZ, 0, 0, SUP, 0, SC, OF, MN, MX, UN, NULL)
/* unsigned bit field, reported as the raw number */
#define BITS(K, EN, ZH, BY, BI, NB, SUP, MX, UN) \
    FIELD(K, EN, ZH, OBD_FK_UNSIGNED, BY, 0, BI, NB, SUP, 0, 1.0, 0.0, 0.0, MX, UN, NULL)
#define FLAG(K, EN, ZH, BY, BI, SUP) FIELD(K, EN, ZH, OBD_FK_FLAG, BY, 0, BI, 1, SUP, 0, 1.0, 0.0, 0.0, 1.0, "", NULL)
/* enum of a whole byte (NB == 0) or of a bit field */
#define ENUMF(K, EN, ZH, BY, BI, NB, SUP, MX, ENUMS) \
    FIELD(K, EN, ZH, OBD_FK_ENUM, BY, (NB) ? 0 : 1, BI, NB, SUP, 0, 1.0, 0.0, 0.0, MX, "", ENUMS)
#define BITMAP(K, EN, ZH, BY, SZ, MX) FIELD(K, EN, ZH, OBD_FK_BITMAP, BY, SZ, 0, 0, -1, 0, 1.0, 0.0, 0.0, MX, "", NULL)

/* common scalings */
#define PCT(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 1, SUP, 0, 100.0 / 255.0, 0.0, 0.0, 100.0, "%")
#define TRIM(K, EN, ZH, BY, SUP, FL) NUM(K, EN, ZH, BY, 1, SUP, FL, 100.0 / 128.0, -100.0, -100.0, 99.21875, "%")
#define TEMP8(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 1, SUP, 0, 1.0, -40.0, -40.0, 215.0, "°C")
#define TEMP16(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 2, SUP, 0, 0.1, -40.0, -40.0, 6513.5, "°C")
#define TORQUE(K, EN, ZH, BY) NUM(K, EN, ZH, BY, 1, -1, 0, 1.0, -125.0, -125.0, 130.0, "%")
#define TIMER32(K, EN, ZH, BY, SUP) \
    NUM(K, EN, ZH, BY, 4, SUP, OBD_FF_FF_NA, 1.0, 0.0, 0.0, 4294967294.0, "s")

#define NF(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))
#define PID(N, L, K, EN, ZH, F, FL) \
    { .pid = N, .len = L, .key = K, .en = EN, .zh = ZH, .fields = F, .nfields = NF(F), .flags = FL }

/* ---- enumerations ---- */

static const obd_enum_t e_fuel_system[] = {
    { 0x00, "off", "Off / system not present", "停机或无此系统" },
    { 0x01, "open_loop_cold", "Open loop: engine not yet warm", "开环：发动机温度不足" },
    { 0x02, "closed_loop", "Closed loop (O2 sensor feedback)", "闭环（氧传感器反馈）" },
    { 0x04, "open_loop_load", "Open loop: engine load or deceleration fuel cut", "开环：大负荷或减速断油" },
    { 0x08, "open_loop_fault", "Open loop: system fault", "开环：系统故障" },
    { 0x10, "closed_loop_fault", "Closed loop, fault in feedback system", "闭环，但反馈系统有故障" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_secondary_air[] = {
    { 0x01, "upstream", "Upstream of first catalytic converter", "第一催化器上游" },
    { 0x02, "downstream", "Downstream of first catalytic converter", "第一催化器下游" },
    { 0x04, "atmosphere", "From outside atmosphere or off", "通大气或关闭" },
    { 0x08, "pump_diagnostic", "Pump commanded on for diagnostics", "诊断时指令开泵" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_obd_standard[] = {
    { 1, "obd2_carb", "OBD-II as defined by CARB", "OBD-II（加州空气资源委员会 CARB）" },
    { 2, "obd_epa", "OBD as defined by EPA", "OBD（美国环保署 EPA）" },
    { 3, "obd_and_obd2", "OBD and OBD-II", "OBD 和 OBD-II" },
    { 4, "obd1", "OBD-I", "第一代 OBD（OBD-I）" },
    { 5, "not_obd", "Not OBD compliant", "不符合 OBD" },
    { 6, "eobd", "EOBD (Europe)", "EOBD（欧洲）" },
    { 7, "eobd_obd2", "EOBD and OBD-II", "EOBD 和 OBD-II" },
    { 8, "eobd_obd", "EOBD and OBD", "EOBD 和 OBD" },
    { 9, "eobd_obd_obd2", "EOBD, OBD and OBD-II", "EOBD、OBD 和 OBD-II" },
    { 10, "jobd", "JOBD (Japan)", "JOBD（日本）" },
    { 11, "jobd_obd2", "JOBD and OBD-II", "JOBD 和 OBD-II" },
    { 12, "jobd_eobd", "JOBD and EOBD", "JOBD 和 EOBD" },
    { 13, "jobd_eobd_obd2", "JOBD, EOBD and OBD-II", "JOBD、EOBD 和 OBD-II" },
    { 17, "emd", "Engine Manufacturer Diagnostics (EMD)", "发动机制造商诊断（EMD）" },
    { 18, "emd_plus", "Engine Manufacturer Diagnostics Enhanced (EMD+)", "增强型发动机制造商诊断（EMD+）" },
    { 19, "hd_obd_c", "Heavy-duty OBD, child/partial (HD OBD-C)", "重型车 OBD（部分，HD OBD-C）" },
    { 20, "hd_obd", "Heavy-duty OBD (HD OBD)", "重型车 OBD（HD OBD）" },
    { 21, "wwh_obd", "World-Wide Harmonized OBD (WWH-OBD)", "全球统一 OBD（WWH-OBD）" },
    { 23, "hd_eobd_1", "Heavy-duty Euro OBD stage I without NOx control", "重型车欧洲 OBD 第 I 阶段（无 NOx 控制）" },
    { 24, "hd_eobd_1_n", "Heavy-duty Euro OBD stage I with NOx control", "重型车欧洲 OBD 第 I 阶段（带 NOx 控制）" },
    { 25, "hd_eobd_2", "Heavy-duty Euro OBD stage II without NOx control", "重型车欧洲 OBD 第 II 阶段（无 NOx 控制）" },
    { 26, "hd_eobd_2_n", "Heavy-duty Euro OBD stage II with NOx control", "重型车欧洲 OBD 第 II 阶段（带 NOx 控制）" },
    { 28, "obdbr_1", "Brazil OBD phase 1 (OBDBr-1)", "巴西 OBD 第 1 阶段（OBDBr-1）" },
    { 29, "obdbr_2", "Brazil OBD phase 2 (OBDBr-2)", "巴西 OBD 第 2 阶段（OBDBr-2）" },
    { 30, "kobd", "Korean OBD (KOBD)", "韩国 OBD（KOBD）" },
    { 31, "iobd_1", "India OBD I (IOBD I)", "印度 OBD I（IOBD I）" },
    { 32, "iobd_2", "India OBD II (IOBD II)", "印度 OBD II（IOBD II）" },
    { 33, "hd_eobd_6", "Heavy-duty Euro OBD stage VI (HD EOBD-IV)", "重型车欧洲 OBD 第 VI 阶段（HD EOBD-IV）" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_fuel_type[] = {
    { 0, "not_available", "Not available", "未提供" },
    { 1, "gasoline", "Gasoline", "汽油" },
    { 2, "methanol", "Methanol", "甲醇" },
    { 3, "ethanol", "Ethanol", "乙醇" },
    { 4, "diesel", "Diesel", "柴油" },
    { 5, "lpg", "LPG", "液化石油气（LPG）" },
    { 6, "cng", "CNG", "压缩天然气（CNG）" },
    { 7, "propane", "Propane", "丙烷" },
    { 8, "electric", "Electric", "纯电动" },
    { 9, "bifuel_gasoline", "Bi-fuel running gasoline", "双燃料（当前用汽油）" },
    { 10, "bifuel_methanol", "Bi-fuel running methanol", "双燃料（当前用甲醇）" },
    { 11, "bifuel_ethanol", "Bi-fuel running ethanol", "双燃料（当前用乙醇）" },
    { 12, "bifuel_lpg", "Bi-fuel running LPG", "双燃料（当前用 LPG）" },
    { 13, "bifuel_cng", "Bi-fuel running CNG", "双燃料（当前用 CNG）" },
    { 14, "bifuel_propane", "Bi-fuel running propane", "双燃料（当前用丙烷）" },
    { 15, "bifuel_electric", "Bi-fuel running electricity", "双燃料（当前用电）" },
    { 16, "bifuel_electric_combustion", "Bi-fuel running electric and combustion engine", "双燃料（电机与内燃机同时工作）" },
    { 17, "hybrid_gasoline", "Hybrid gasoline", "混合动力（汽油）" },
    { 18, "hybrid_ethanol", "Hybrid ethanol", "混合动力（乙醇）" },
    { 19, "hybrid_diesel", "Hybrid diesel", "混合动力（柴油）" },
    { 20, "hybrid_electric", "Hybrid electric", "混合动力（电动）" },
    { 21, "hybrid_electric_combustion", "Hybrid running electric and combustion engine", "混合动力（电机与内燃机同时工作）" },
    { 22, "hybrid_regenerative", "Hybrid regenerative", "混合动力（能量回收）" },
    { 23, "bifuel_diesel", "Bi-fuel running diesel", "双燃料（当前用柴油）" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_emission_req[] = {
    { 0x0E, "hd_euro_iv_b1", "Heavy-duty vehicles (EURO IV) B1", "重型车（欧 IV）B1" },
    { 0x0F, "hd_euro_v_b2", "Heavy-duty vehicles (EURO V) B2", "重型车（欧 V）B2" },
    { 0x10, "hd_euro_eev_c", "Heavy-duty vehicles (EURO EEV) C", "重型车（欧 EEV）C" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_nd_status[] = {
    { 0, "park_neutral", "Park or neutral", "P 挡或 N 挡" },
    { 1, "drive_reverse", "Drive or reverse", "D 挡或 R 挡" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_gear_status[] = {
    { 0, "neutral", "Neutral or clutch depressed", "空挡或离合器踩下" },
    { 1, "in_gear", "In gear", "在挡" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_loop_status[] = {
    { 1, "open_loop", "Open loop (no fault)", "开环（无故障）" },
    { 2, "closed_loop", "Closed loop (no fault)", "闭环（无故障）" },
    { 3, "fault", "Fault present, data unreliable", "有故障，数据不可信" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_regen_type[] = {
    { 0, "passive", "Passive", "被动再生" },
    { 1, "active", "Active", "主动再生" },
    { 0, NULL, NULL, NULL },
};

static const obd_enum_t e_hev_mode[] = {
    { 0, "charge_sustaining", "Charge sustaining", "电量保持模式" },
    { 1, "charge_depleting", "Charge depleting", "电量消耗模式" },
    { 0, NULL, NULL, NULL },
};

/* ---- fields ---- */

static const obd_field_t f_bitmap[] = {
    BITMAP("supported", "Supported PIDs (bit 31 = first PID of the range)", "支持的 PID（最高位为本段第一个 PID）", 0, 4,
           4294967295.0),
};

static const obd_field_t f_01[] = {
    FLAG("mil", "MIL (check engine lamp) on", "故障指示灯（MIL）点亮", 0, 7, -1),
    BITS("dtc_count", "Confirmed emission-related DTCs", "已确认的排放相关故障码数", 0, 0, 7, -1, 127.0, ""),
    FLAG("compression", "Compression ignition (diesel) monitors", "压燃式（柴油）监测项", 1, 3, -1),
};
static const obd_field_t f_41[] = {
    FLAG("compression", "Compression ignition (diesel) monitors", "压燃式（柴油）监测项", 1, 3, -1),
};
static const obd_field_t f_02[] = {
    FIELD("dtc", "DTC that stored the freeze frame", "存储冻结帧的故障码", OBD_FK_DTC, 0, 2, 0, 0, -1, OBD_FF_ZERO_NA,
          1.0, 0.0, 0.0, 65535.0, "", NULL),
};
static const obd_field_t f_03[] = {
    ENUMF("fuel_system_1", "Fuel system 1", "燃油系统 1", 0, 0, 0, -1, 255.0, e_fuel_system),
    ENUMF("fuel_system_2", "Fuel system 2", "燃油系统 2", 1, 0, 0, -1, 255.0, e_fuel_system),
};
static const obd_field_t f_04[] = { PCT("engine_load", "Calculated engine load", "计算负荷值", 0, -1) };
static const obd_field_t f_05[] = { TEMP8("coolant_temp", "Engine coolant temperature", "发动机冷却液温度", 0, -1) };
static const obd_field_t f_trim[] = { TRIM("trim", "Fuel trim", "燃油修正", 0, -1, 0) };
static const obd_field_t f_0a[] = {
    NUM("fuel_pressure", "Fuel pressure (gauge)", "燃油压力（表压）", 0, 1, -1, 0, 3.0, 0.0, 0.0, 765.0, "kPa"),
};
static const obd_field_t f_0b[] = {
    NUM("map", "Intake manifold absolute pressure", "进气歧管绝对压力", 0, 1, -1, 0, 1.0, 0.0, 0.0, 255.0, "kPa"),
};
static const obd_field_t f_0c[] = {
    NUM("rpm", "Engine speed", "发动机转速", 0, 2, -1, 0, 0.25, 0.0, 0.0, 16383.75, "rpm"),
};
static const obd_field_t f_0d[] = {
    NUM("speed", "Vehicle speed", "车速", 0, 1, -1, 0, 1.0, 0.0, 0.0, 255.0, "km/h"),
};
static const obd_field_t f_0e[] = {
    NUM("timing_advance", "Timing advance (before TDC, cylinder 1)", "点火提前角（1 缸上止点前）", 0, 1, -1, 0, 0.5, -64.0,
        -64.0, 63.5, "°"),
};
static const obd_field_t f_0f[] = { TEMP8("iat", "Intake air temperature", "进气温度", 0, -1) };
static const obd_field_t f_10[] = {
    NUM("maf", "Mass air flow rate", "空气流量", 0, 2, -1, 0, 0.01, 0.0, 0.0, 655.35, "g/s"),
};
static const obd_field_t f_11[] = { PCT("throttle", "Absolute throttle position", "节气门绝对位置", 0, -1) };
static const obd_field_t f_12[] = {
    ENUMF("secondary_air", "Commanded secondary air status", "二次空气指令状态", 0, 0, 0, -1, 255.0, e_secondary_air),
};
static const obd_field_t f_13[] = {
    FLAG("b1s1", "Bank 1 sensor 1 present", "缸组 1 传感器 1 存在", 0, 0, -1),
    FLAG("b1s2", "Bank 1 sensor 2 present", "缸组 1 传感器 2 存在", 0, 1, -1),
    FLAG("b1s3", "Bank 1 sensor 3 present", "缸组 1 传感器 3 存在", 0, 2, -1),
    FLAG("b1s4", "Bank 1 sensor 4 present", "缸组 1 传感器 4 存在", 0, 3, -1),
    FLAG("b2s1", "Bank 2 sensor 1 present", "缸组 2 传感器 1 存在", 0, 4, -1),
    FLAG("b2s2", "Bank 2 sensor 2 present", "缸组 2 传感器 2 存在", 0, 5, -1),
    FLAG("b2s3", "Bank 2 sensor 3 present", "缸组 2 传感器 3 存在", 0, 6, -1),
    FLAG("b2s4", "Bank 2 sensor 4 present", "缸组 2 传感器 4 存在", 0, 7, -1),
};
/* $14-$1B: narrow-band O2 sensor voltage + the short-term trim it drives */
static const obd_field_t f_o2nb[] = {
    NUM("voltage", "O2 sensor voltage", "氧传感器电压", 0, 1, -1, 0, 0.005, 0.0, 0.0, 1.275, "V"),
    NUM("stft", "Short-term fuel trim (0xFF: sensor not used in trim)", "短期燃油修正（0xFF 表示该传感器不参与修正）", 1,
        1, -1, OBD_FF_FF_NA, 100.0 / 128.0, -100.0, -100.0, 98.4375, "%"),
};
static const obd_field_t f_1c[] = {
    ENUMF("obd_standard", "OBD standard", "OBD 标准", 0, 0, 0, -1, 255.0, e_obd_standard),
};
static const obd_field_t f_1d[] = {
    FLAG("b1s1", "Bank 1 sensor 1 present", "缸组 1 传感器 1 存在", 0, 0, -1),
    FLAG("b1s2", "Bank 1 sensor 2 present", "缸组 1 传感器 2 存在", 0, 1, -1),
    FLAG("b2s1", "Bank 2 sensor 1 present", "缸组 2 传感器 1 存在", 0, 2, -1),
    FLAG("b2s2", "Bank 2 sensor 2 present", "缸组 2 传感器 2 存在", 0, 3, -1),
    FLAG("b3s1", "Bank 3 sensor 1 present", "缸组 3 传感器 1 存在", 0, 4, -1),
    FLAG("b3s2", "Bank 3 sensor 2 present", "缸组 3 传感器 2 存在", 0, 5, -1),
    FLAG("b4s1", "Bank 4 sensor 1 present", "缸组 4 传感器 1 存在", 0, 6, -1),
    FLAG("b4s2", "Bank 4 sensor 2 present", "缸组 4 传感器 2 存在", 0, 7, -1),
};
static const obd_field_t f_1e[] = {
    FLAG("pto_active", "Power take-off (PTO) active", "取力器（PTO）工作中", 0, 0, -1),
};
static const obd_field_t f_1f[] = {
    NUM("run_time", "Run time since engine start", "发动机本次启动后运行时间", 0, 2, -1, 0, 1.0, 0.0, 0.0, 65535.0, "s"),
};
static const obd_field_t f_21[] = {
    NUM("distance_mil", "Distance traveled with MIL on", "故障灯点亮后行驶里程", 0, 2, -1, 0, 1.0, 0.0, 0.0, 65535.0,
        "km"),
};
static const obd_field_t f_22[] = {
    NUM("fuel_rail_pressure", "Fuel rail pressure (relative to manifold vacuum)", "油轨压力（相对歧管真空）", 0, 2, -1, 0,
        0.079, 0.0, 0.0, 5177.265, "kPa"),
};
static const obd_field_t f_23[] = {
    NUM("fuel_rail_gauge", "Fuel rail gauge pressure (diesel, direct injection)", "油轨表压（柴油、缸内直喷）", 0, 2, -1,
        0, 10.0, 0.0, 0.0, 655350.0, "kPa"),
};
/* $24-$2B: wide-range O2 sensor, equivalence ratio + voltage */
static const obd_field_t f_o2wv[] = {
    NUM("lambda", "Equivalence ratio (lambda)", "当量比（λ）", 0, 2, -1, 0, 2.0 / 65536.0, 0.0, 0.0, 1.999969482421875,
        ""),
    NUM("voltage", "O2 sensor voltage", "氧传感器电压", 2, 2, -1, 0, 8.0 / 65536.0, 0.0, 0.0, 7.999877929688, "V"),
};
static const obd_field_t f_2c[] = { PCT("egr_cmd", "Commanded EGR", "EGR 指令开度", 0, -1) };
static const obd_field_t f_2d[] = { TRIM("egr_error", "EGR error", "EGR 误差", 0, -1, 0) };
static const obd_field_t f_2e[] = { PCT("evap_purge", "Commanded evaporative purge", "炭罐清污指令", 0, -1) };
static const obd_field_t f_2f[] = { PCT("fuel_level", "Fuel tank level input", "燃油液位", 0, -1) };
static const obd_field_t f_30[] = {
    NUM("warmups", "Warm-ups since codes cleared", "清码后暖机次数", 0, 1, -1, 0, 1.0, 0.0, 0.0, 255.0, ""),
};
static const obd_field_t f_31[] = {
    NUM("distance", "Distance traveled since codes cleared", "清码后行驶里程", 0, 2, -1, 0, 1.0, 0.0, 0.0, 65535.0,
        "km"),
};
static const obd_field_t f_32[] = {
    SNUM("vapor_pressure", "Evap. system vapor pressure", "蒸发系统蒸气压力", 0, 2, -1, 0.25, 0.0, -8192.0, 8191.75,
         "Pa"),
};
static const obd_field_t f_33[] = {
    NUM("baro", "Absolute barometric pressure", "大气压力（绝对）", 0, 1, -1, 0, 1.0, 0.0, 0.0, 255.0, "kPa"),
};
/* $34-$3B: wide-range O2 sensor, equivalence ratio + current */
static const obd_field_t f_o2wc[] = {
    NUM("lambda", "Equivalence ratio (lambda)", "当量比（λ）", 0, 2, -1, 0, 2.0 / 65536.0, 0.0, 0.0, 1.999969482421875,
        ""),
    NUM("current", "O2 sensor current", "氧传感器电流", 2, 2, -1, 0, 1.0 / 256.0, -128.0, -128.0, 127.99609375, "mA"),
};
static const obd_field_t f_cat[] = { TEMP16("temperature", "Catalyst temperature", "催化器温度", 0, -1) };
static const obd_field_t f_42[] = {
    NUM("voltage", "Control module voltage", "控制模块电压", 0, 2, -1, 0, 0.001, 0.0, 0.0, 65.535, "V"),
};
static const obd_field_t f_43[] = {
    NUM("absolute_load", "Absolute load value", "绝对负荷值", 0, 2, -1, 0, 100.0 / 255.0, 0.0, 0.0, 25700.0, "%"),
};
static const obd_field_t f_44[] = {
    NUM("lambda", "Commanded equivalence ratio (lambda)", "指令当量比（λ）", 0, 2, -1, 0, 2.0 / 65536.0, 0.0, 0.0,
        1.999969482421875, ""),
};
static const obd_field_t f_45[] = { PCT("relative_throttle", "Relative throttle position", "节气门相对位置", 0, -1) };
static const obd_field_t f_46[] = { TEMP8("ambient_temp", "Ambient air temperature", "环境温度", 0, -1) };
static const obd_field_t f_47[] = { PCT("throttle_b", "Absolute throttle position B", "节气门绝对位置 B", 0, -1) };
static const obd_field_t f_48[] = { PCT("throttle_c", "Absolute throttle position C", "节气门绝对位置 C", 0, -1) };
static const obd_field_t f_49[] = { PCT("pedal_d", "Accelerator pedal position D", "加速踏板位置 D", 0, -1) };
static const obd_field_t f_4a[] = { PCT("pedal_e", "Accelerator pedal position E", "加速踏板位置 E", 0, -1) };
static const obd_field_t f_4b[] = { PCT("pedal_f", "Accelerator pedal position F", "加速踏板位置 F", 0, -1) };
static const obd_field_t f_4c[] = { PCT("throttle_cmd", "Commanded throttle actuator", "节气门执行器指令", 0, -1) };
static const obd_field_t f_4d[] = {
    NUM("time_mil", "Time run with MIL on", "故障灯点亮后运行时间", 0, 2, -1, 0, 1.0, 0.0, 0.0, 65535.0, "min"),
};
static const obd_field_t f_4e[] = {
    NUM("time_since_clear", "Time since trouble codes cleared", "清码后运行时间", 0, 2, -1, 0, 1.0, 0.0, 0.0, 65535.0,
        "min"),
};
static const obd_field_t f_4f[] = {
    NUM("lambda_max", "Maximum equivalence ratio", "当量比最大值", 0, 1, -1, 0, 1.0, 0.0, 0.0, 255.0, ""),
    NUM("o2_voltage_max", "Maximum O2 sensor voltage", "氧传感器电压最大值", 1, 1, -1, 0, 1.0, 0.0, 0.0, 255.0, "V"),
    NUM("o2_current_max", "Maximum O2 sensor current", "氧传感器电流最大值", 2, 1, -1, 0, 1.0, 0.0, 0.0, 255.0, "mA"),
    NUM("map_max", "Maximum intake manifold absolute pressure", "进气歧管绝对压力最大值", 3, 1, -1, 0, 10.0, 0.0, 0.0,
        2550.0, "kPa"),
};
static const obd_field_t f_50[] = {
    NUM("maf_max", "Maximum MAF sensor air flow rate", "空气流量计最大流量", 0, 1, -1, 0, 10.0, 0.0, 0.0, 2550.0,
        "g/s"),
};
static const obd_field_t f_51[] = { ENUMF("fuel_type", "Fuel type", "燃料类型", 0, 0, 0, -1, 255.0, e_fuel_type) };
static const obd_field_t f_52[] = { PCT("ethanol", "Ethanol fuel percentage", "乙醇燃料比例", 0, -1) };
static const obd_field_t f_53[] = {
    NUM("vapor_pressure_abs", "Absolute evap. system vapor pressure", "蒸发系统蒸气绝对压力", 0, 2, -1, 0, 0.005, 0.0,
        0.0, 327.675, "kPa"),
};
static const obd_field_t f_54[] = {
    SNUM("vapor_pressure", "Evap. system vapor pressure (wide range)", "蒸发系统蒸气压力（宽量程）", 0, 2, -1, 1.0, 0.0,
         -32768.0, 32767.0, "Pa"),
};
static const obd_field_t f_st_b13[] = {
    TRIM("bank1", "Short-term secondary O2 trim bank 1", "后氧短期修正 缸组 1", 0, -1, 0),
    TRIM("bank3", "Short-term secondary O2 trim bank 3", "后氧短期修正 缸组 3", 1, -1, 0),
};
static const obd_field_t f_lt_b13[] = {
    TRIM("bank1", "Long-term secondary O2 trim bank 1", "后氧长期修正 缸组 1", 0, -1, 0),
    TRIM("bank3", "Long-term secondary O2 trim bank 3", "后氧长期修正 缸组 3", 1, -1, 0),
};
static const obd_field_t f_st_b24[] = {
    TRIM("bank2", "Short-term secondary O2 trim bank 2", "后氧短期修正 缸组 2", 0, -1, 0),
    TRIM("bank4", "Short-term secondary O2 trim bank 4", "后氧短期修正 缸组 4", 1, -1, 0),
};
static const obd_field_t f_lt_b24[] = {
    TRIM("bank2", "Long-term secondary O2 trim bank 2", "后氧长期修正 缸组 2", 0, -1, 0),
    TRIM("bank4", "Long-term secondary O2 trim bank 4", "后氧长期修正 缸组 4", 1, -1, 0),
};
static const obd_field_t f_59[] = {
    NUM("fuel_rail_abs", "Fuel rail absolute pressure", "油轨绝对压力", 0, 2, -1, 0, 10.0, 0.0, 0.0, 655350.0, "kPa"),
};
static const obd_field_t f_5a[] = { PCT("pedal_relative", "Relative accelerator pedal position", "加速踏板相对位置", 0, -1) };
static const obd_field_t f_5b[] = { PCT("battery_life", "Hybrid battery pack remaining life", "混动电池组剩余寿命", 0, -1) };
static const obd_field_t f_5c[] = { TEMP8("oil_temp", "Engine oil temperature", "机油温度", 0, -1) };
static const obd_field_t f_5d[] = {
    NUM("injection_timing", "Fuel injection timing", "喷油正时", 0, 2, -1, 0, 1.0 / 128.0, -210.0, -210.0,
        301.9921875, "°"),
};
static const obd_field_t f_5e[] = {
    NUM("fuel_rate", "Engine fuel rate", "发动机燃油消耗率", 0, 2, -1, 0, 0.05, 0.0, 0.0, 3276.75, "L/h"),
};
static const obd_field_t f_5f[] = {
    ENUMF("emission_requirements", "Emission requirements", "排放要求", 0, 0, 0, -1, 255.0, e_emission_req),
};
static const obd_field_t f_61[] = { TORQUE("torque_demand", "Driver's demand engine torque", "驾驶员需求扭矩", 0) };
static const obd_field_t f_62[] = { TORQUE("torque_actual", "Actual engine torque", "发动机实际扭矩", 0) };
static const obd_field_t f_63[] = {
    NUM("torque_reference", "Engine reference torque", "发动机参考扭矩", 0, 2, -1, 0, 1.0, 0.0, 0.0, 65535.0, "Nm"),
};
static const obd_field_t f_64[] = {
    TORQUE("idle", "Torque at idle (point 1)", "怠速扭矩（点 1）", 0),
    TORQUE("point2", "Torque at engine point 2", "发动机工况点 2 扭矩", 1),
    TORQUE("point3", "Torque at engine point 3", "发动机工况点 3 扭矩", 2),
    TORQUE("point4", "Torque at engine point 4", "发动机工况点 4 扭矩", 3),
    TORQUE("point5", "Torque at engine point 5", "发动机工况点 5 扭矩", 4),
};
static const obd_field_t f_65[] = {
    FLAG("pto_active", "Power take-off (PTO) active", "取力器（PTO）工作中", 1, 0, 0),
    ENUMF("auto_trans", "Automatic transmission neutral/drive status", "自动变速器挡位状态", 1, 1, 1, 1, 1.0,
          e_nd_status),
    ENUMF("manual_trans", "Manual transmission neutral/gear status", "手动变速器挡位状态", 1, 2, 1, 2, 1.0,
          e_gear_status),
    FLAG("glow_plug_lamp", "Glow plug lamp on", "预热指示灯点亮", 1, 3, 3),
};
static const obd_field_t f_66[] = {
    NUM("maf_a", "Mass air flow sensor A", "空气流量传感器 A", 1, 2, 0, 0, 1.0 / 32.0, 0.0, 0.0, 2047.96875, "g/s"),
    NUM("maf_b", "Mass air flow sensor B", "空气流量传感器 B", 3, 2, 1, 0, 1.0 / 32.0, 0.0, 0.0, 2047.96875, "g/s"),
};
static const obd_field_t f_67[] = {
    TEMP8("ect1", "Engine coolant temperature sensor 1", "冷却液温度传感器 1", 1, 0),
    TEMP8("ect2", "Engine coolant temperature sensor 2", "冷却液温度传感器 2", 2, 1),
};
static const obd_field_t f_68[] = {
    TEMP8("iat_b1s1", "Intake air temperature bank 1 sensor 1", "进气温度 缸组 1 传感器 1", 1, 0),
    TEMP8("iat_b1s2", "Intake air temperature bank 1 sensor 2", "进气温度 缸组 1 传感器 2", 2, 1),
    TEMP8("iat_b1s3", "Intake air temperature bank 1 sensor 3", "进气温度 缸组 1 传感器 3", 3, 2),
    TEMP8("iat_b2s1", "Intake air temperature bank 2 sensor 1", "进气温度 缸组 2 传感器 1", 4, 3),
    TEMP8("iat_b2s2", "Intake air temperature bank 2 sensor 2", "进气温度 缸组 2 传感器 2", 5, 4),
    TEMP8("iat_b2s3", "Intake air temperature bank 2 sensor 3", "进气温度 缸组 2 传感器 3", 6, 5),
};
static const obd_field_t f_69[] = {
    PCT("egr_a_cmd", "Commanded EGR A", "EGR A 指令开度", 1, 0),
    PCT("egr_a_actual", "Actual EGR A", "EGR A 实际开度", 2, 1),
    TRIM("egr_a_error", "EGR A error", "EGR A 误差", 3, 2, 0),
    PCT("egr_b_cmd", "Commanded EGR B", "EGR B 指令开度", 4, 3),
    PCT("egr_b_actual", "Actual EGR B", "EGR B 实际开度", 5, 4),
    TRIM("egr_b_error", "EGR B error", "EGR B 误差", 6, 5, 0),
};
static const obd_field_t f_6a[] = {
    PCT("iaf_a_cmd", "Commanded intake air flow A", "进气流量控制 A 指令", 1, 0),
    PCT("iaf_a_relative", "Relative intake air flow A position", "进气流量控制 A 相对位置", 2, 1),
    PCT("iaf_b_cmd", "Commanded intake air flow B", "进气流量控制 B 指令", 3, 2),
    PCT("iaf_b_relative", "Relative intake air flow B position", "进气流量控制 B 相对位置", 4, 3),
};
/* $6B: bits 0-3 normal range (A-40), bits 4-7 the same sensors in wide range (4A-40) */
#define EGRT_WIDE(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 1, SUP, 0, 4.0, -40.0, -40.0, 980.0, "°C")
static const obd_field_t f_6b[] = {
    TEMP8("egrt_b1s1", "EGR temperature bank 1 sensor 1", "EGR 温度 缸组 1 传感器 1", 1, 0),
    TEMP8("egrt_b1s2", "EGR temperature bank 1 sensor 2", "EGR 温度 缸组 1 传感器 2", 2, 1),
    TEMP8("egrt_b2s1", "EGR temperature bank 2 sensor 1", "EGR 温度 缸组 2 传感器 1", 3, 2),
    TEMP8("egrt_b2s2", "EGR temperature bank 2 sensor 2", "EGR 温度 缸组 2 传感器 2", 4, 3),
    EGRT_WIDE("egrt_b1s1_wide", "EGR temperature bank 1 sensor 1 (wide range)", "EGR 温度 缸组 1 传感器 1（宽量程）", 1, 4),
    EGRT_WIDE("egrt_b1s2_wide", "EGR temperature bank 1 sensor 2 (wide range)", "EGR 温度 缸组 1 传感器 2（宽量程）", 2, 5),
    EGRT_WIDE("egrt_b2s1_wide", "EGR temperature bank 2 sensor 1 (wide range)", "EGR 温度 缸组 2 传感器 1（宽量程）", 3, 6),
    EGRT_WIDE("egrt_b2s2_wide", "EGR temperature bank 2 sensor 2 (wide range)", "EGR 温度 缸组 2 传感器 2（宽量程）", 4, 7),
};
static const obd_field_t f_6c[] = {
    PCT("tac_a_cmd", "Commanded throttle actuator A", "节气门执行器 A 指令", 1, 0),
    PCT("tp_a_relative", "Relative throttle A position", "节气门 A 相对位置", 2, 1),
    PCT("tac_b_cmd", "Commanded throttle actuator B", "节气门执行器 B 指令", 3, 2),
    PCT("tp_b_relative", "Relative throttle B position", "节气门 B 相对位置", 4, 3),
};
#define KPA10(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 2, SUP, 0, 10.0, 0.0, 0.0, 655350.0, "kPa")
static const obd_field_t f_6d[] = {
    KPA10("frp_a_cmd", "Commanded fuel rail pressure A", "油轨压力 A 指令", 1, 0),
    KPA10("frp_a", "Fuel rail pressure A", "油轨压力 A", 3, 1),
    TEMP8("frt_a", "Fuel rail temperature A", "油轨温度 A", 5, 2),
    KPA10("frp_b_cmd", "Commanded fuel rail pressure B", "油轨压力 B 指令", 6, 3),
    KPA10("frp_b", "Fuel rail pressure B", "油轨压力 B", 8, 4),
    TEMP8("frt_b", "Fuel rail temperature B", "油轨温度 B", 10, 5),
};
static const obd_field_t f_6e[] = {
    KPA10("icp_a_cmd", "Commanded injection control pressure A", "喷射控制压力 A 指令", 1, 0),
    KPA10("icp_a", "Injection control pressure A", "喷射控制压力 A", 3, 1),
    KPA10("icp_b_cmd", "Commanded injection control pressure B", "喷射控制压力 B 指令", 5, 2),
    KPA10("icp_b", "Injection control pressure B", "喷射控制压力 B", 7, 3),
};
static const obd_field_t f_6f[] = {
    NUM("tca_inlet", "Turbocharger A compressor inlet pressure", "涡轮增压器 A 压气机进口压力", 1, 1, 0, 0, 1.0, 0.0,
        0.0, 255.0, "kPa"),
    NUM("tcb_inlet", "Turbocharger B compressor inlet pressure", "涡轮增压器 B 压气机进口压力", 2, 1, 1, 0, 1.0, 0.0,
        0.0, 255.0, "kPa"),
};
#define KPA32(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 2, SUP, 0, 1.0 / 32.0, 0.0, 0.0, 2047.96875, "kPa")
static const obd_field_t f_70[] = {
    KPA32("boost_a_cmd", "Commanded boost pressure A", "增压压力 A 指令", 1, 0),
    KPA32("boost_a", "Boost pressure sensor A", "增压压力传感器 A", 3, 1),
    ENUMF("boost_a_status", "Boost pressure control A status", "增压压力控制 A 状态", 9, 0, 2, 2, 3.0, e_loop_status),
    KPA32("boost_b_cmd", "Commanded boost pressure B", "增压压力 B 指令", 5, 3),
    KPA32("boost_b", "Boost pressure sensor B", "增压压力传感器 B", 7, 4),
    ENUMF("boost_b_status", "Boost pressure control B status", "增压压力控制 B 状态", 9, 2, 2, 5, 3.0, e_loop_status),
};
static const obd_field_t f_71[] = {
    PCT("vgt_a_cmd", "Commanded VGT A position", "可变截面涡轮（VGT）A 指令位置", 1, 0),
    PCT("vgt_a", "VGT A position", "可变截面涡轮（VGT）A 位置", 2, 1),
    ENUMF("vgt_a_status", "VGT A control status", "VGT A 控制状态", 5, 0, 2, 2, 3.0, e_loop_status),
    PCT("vgt_b_cmd", "Commanded VGT B position", "可变截面涡轮（VGT）B 指令位置", 3, 3),
    PCT("vgt_b", "VGT B position", "可变截面涡轮（VGT）B 位置", 4, 4),
    ENUMF("vgt_b_status", "VGT B control status", "VGT B 控制状态", 5, 2, 2, 5, 3.0, e_loop_status),
};
static const obd_field_t f_72[] = {
    PCT("wg_a_cmd", "Commanded wastegate A", "废气旁通阀 A 指令", 1, 0),
    PCT("wg_a", "Wastegate A position", "废气旁通阀 A 位置", 2, 1),
    PCT("wg_b_cmd", "Commanded wastegate B", "废气旁通阀 B 指令", 3, 2),
    PCT("wg_b", "Wastegate B position", "废气旁通阀 B 位置", 4, 3),
};
#define KPA100(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 2, SUP, 0, 0.01, 0.0, 0.0, 655.35, "kPa")
static const obd_field_t f_73[] = {
    KPA100("ep_b1", "Exhaust pressure bank 1", "排气压力 缸组 1", 1, 0),
    KPA100("ep_b2", "Exhaust pressure bank 2", "排气压力 缸组 2", 3, 1),
};
/* The standard scales turbocharger speed in 10 rpm steps (0-655 350 rpm). */
static const obd_field_t f_74[] = {
    NUM("tca_rpm", "Turbocharger A speed", "涡轮增压器 A 转速", 1, 2, 0, 0, 10.0, 0.0, 0.0, 655350.0, "rpm"),
    NUM("tcb_rpm", "Turbocharger B speed", "涡轮增压器 B 转速", 3, 2, 1, 0, 10.0, 0.0, 0.0, 655350.0, "rpm"),
};
static const obd_field_t f_75[] = {
    TEMP8("compressor_inlet", "Turbo A compressor inlet temperature", "涡轮 A 压气机进口温度", 1, 0),
    TEMP8("compressor_outlet", "Turbo A compressor outlet temperature", "涡轮 A 压气机出口温度", 2, 1),
    TEMP16("turbine_inlet", "Turbo A turbine inlet temperature", "涡轮 A 涡轮进口温度", 3, 2),
    TEMP16("turbine_outlet", "Turbo A turbine outlet temperature", "涡轮 A 涡轮出口温度", 5, 3),
};
static const obd_field_t f_76[] = {
    TEMP8("compressor_inlet", "Turbo B compressor inlet temperature", "涡轮 B 压气机进口温度", 1, 0),
    TEMP8("compressor_outlet", "Turbo B compressor outlet temperature", "涡轮 B 压气机出口温度", 2, 1),
    TEMP16("turbine_inlet", "Turbo B turbine inlet temperature", "涡轮 B 涡轮进口温度", 3, 2),
    TEMP16("turbine_outlet", "Turbo B turbine outlet temperature", "涡轮 B 涡轮出口温度", 5, 3),
};
static const obd_field_t f_77[] = {
    TEMP8("cact_b1s1", "Charge air cooler temperature bank 1 sensor 1", "中冷器温度 缸组 1 传感器 1", 1, 0),
    TEMP8("cact_b1s2", "Charge air cooler temperature bank 1 sensor 2", "中冷器温度 缸组 1 传感器 2", 2, 1),
    TEMP8("cact_b2s1", "Charge air cooler temperature bank 2 sensor 1", "中冷器温度 缸组 2 传感器 1", 3, 2),
    TEMP8("cact_b2s2", "Charge air cooler temperature bank 2 sensor 2", "中冷器温度 缸组 2 传感器 2", 4, 3),
};
static const obd_field_t f_78[] = {
    TEMP16("egt_s1", "Exhaust gas temperature bank 1 sensor 1", "排气温度 缸组 1 传感器 1", 1, 0),
    TEMP16("egt_s2", "Exhaust gas temperature bank 1 sensor 2", "排气温度 缸组 1 传感器 2", 3, 1),
    TEMP16("egt_s3", "Exhaust gas temperature bank 1 sensor 3", "排气温度 缸组 1 传感器 3", 5, 2),
    TEMP16("egt_s4", "Exhaust gas temperature bank 1 sensor 4", "排气温度 缸组 1 传感器 4", 7, 3),
};
static const obd_field_t f_79[] = {
    TEMP16("egt_s1", "Exhaust gas temperature bank 2 sensor 1", "排气温度 缸组 2 传感器 1", 1, 0),
    TEMP16("egt_s2", "Exhaust gas temperature bank 2 sensor 2", "排气温度 缸组 2 传感器 2", 3, 1),
    TEMP16("egt_s3", "Exhaust gas temperature bank 2 sensor 3", "排气温度 缸组 2 传感器 3", 5, 2),
    TEMP16("egt_s4", "Exhaust gas temperature bank 2 sensor 4", "排气温度 缸组 2 传感器 4", 7, 3),
};
static const obd_field_t f_7a[] = {
    SNUM("delta_pressure", "DPF bank 1 delta pressure", "DPF 缸组 1 压差", 1, 2, 0, 0.01, 0.0, -327.68, 327.67, "kPa"),
    KPA100("inlet_pressure", "DPF bank 1 inlet pressure", "DPF 缸组 1 进口压力", 3, 1),
    KPA100("outlet_pressure", "DPF bank 1 outlet pressure", "DPF 缸组 1 出口压力", 5, 2),
};
static const obd_field_t f_7b[] = {
    SNUM("delta_pressure", "DPF bank 2 delta pressure", "DPF 缸组 2 压差", 1, 2, 0, 0.01, 0.0, -327.68, 327.67, "kPa"),
    KPA100("inlet_pressure", "DPF bank 2 inlet pressure", "DPF 缸组 2 进口压力", 3, 1),
    KPA100("outlet_pressure", "DPF bank 2 outlet pressure", "DPF 缸组 2 出口压力", 5, 2),
};
static const obd_field_t f_7c[] = {
    TEMP16("b1_inlet", "DPF bank 1 inlet temperature", "DPF 缸组 1 进口温度", 1, 0),
    TEMP16("b1_outlet", "DPF bank 1 outlet temperature", "DPF 缸组 1 出口温度", 3, 1),
    TEMP16("b2_inlet", "DPF bank 2 inlet temperature", "DPF 缸组 2 进口温度", 5, 2),
    TEMP16("b2_outlet", "DPF bank 2 outlet temperature", "DPF 缸组 2 出口温度", 7, 3),
};
static const obd_field_t f_7d[] = {
    FLAG("inside", "Inside NOx control area", "处于 NOx 控制区内", 0, 0, -1),
    FLAG("outside", "Outside NOx control area", "处于 NOx 控制区外", 0, 1, -1),
    FLAG("carve_out", "Inside manufacturer-specific NOx NTE carve-out area", "处于厂家指定的 NOx NTE 豁免区", 0, 2, -1),
    FLAG("deficiency", "NTE deficiency for NOx active area", "NOx NTE 缺陷区生效", 0, 3, -1),
};
static const obd_field_t f_7e[] = {
    FLAG("inside", "Inside PM control area", "处于颗粒物（PM）控制区内", 0, 0, -1),
    FLAG("outside", "Outside PM control area", "处于颗粒物（PM）控制区外", 0, 1, -1),
    FLAG("carve_out", "Inside manufacturer-specific PM NTE carve-out area", "处于厂家指定的 PM NTE 豁免区", 0, 2, -1),
    FLAG("deficiency", "NTE deficiency for PM active area", "PM NTE 缺陷区生效", 0, 3, -1),
};
static const obd_field_t f_7f[] = {
    TIMER32("total", "Total engine run time", "发动机累计运行时间", 1, 0),
    TIMER32("idle", "Total idle run time", "累计怠速运行时间", 5, 1),
    TIMER32("pto", "Total run time with PTO active", "取力器（PTO）工作累计时间", 9, 2),
};
/* $81/$82/$89/$8A: five emission-increasing AECDs, two 4-byte timers each */
#define AECD(N, SUP, BY)                                                                                  \
    TIMER32("aecd" #N "_timer1", "AECD #" #N " timer 1", "排放辅助控制装置（AECD）#" #N " 计时器 1", BY, SUP), \
        TIMER32("aecd" #N "_timer2", "AECD #" #N " timer 2", "排放辅助控制装置（AECD）#" #N " 计时器 2", (BY) + 4, SUP)
static const obd_field_t f_81[] = { AECD(1, 0, 1), AECD(2, 1, 9), AECD(3, 2, 17), AECD(4, 3, 25), AECD(5, 4, 33) };
static const obd_field_t f_82[] = { AECD(6, 0, 1), AECD(7, 1, 9), AECD(8, 2, 17), AECD(9, 3, 25), AECD(10, 4, 33) };
static const obd_field_t f_89[] = { AECD(11, 0, 1), AECD(12, 1, 9), AECD(13, 2, 17), AECD(14, 3, 25), AECD(15, 4, 33) };
static const obd_field_t f_8a[] = { AECD(16, 0, 1), AECD(17, 1, 9), AECD(18, 2, 17), AECD(19, 3, 25), AECD(20, 4, 33) };
/* with OBD_FF_FF_NA the all-ones raw is "not available", so the range ends one step lower */
#define PPM(K, EN, ZH, BY, SUP, FL) \
    NUM(K, EN, ZH, BY, 2, SUP, FL, 1.0, 0.0, 0.0, ((FL) & OBD_FF_FF_NA) ? 65534.0 : 65535.0, "ppm")
static const obd_field_t f_83[] = {
    PPM("nox_b1s1", "NOx concentration bank 1 sensor 1", "NOx 浓度 缸组 1 传感器 1", 1, 0, 0),
    PPM("nox_b1s2", "NOx concentration bank 1 sensor 2", "NOx 浓度 缸组 1 传感器 2", 3, 1, 0),
    PPM("nox_b2s1", "NOx concentration bank 2 sensor 1", "NOx 浓度 缸组 2 传感器 1", 5, 2, 0),
    PPM("nox_b2s2", "NOx concentration bank 2 sensor 2", "NOx 浓度 缸组 2 传感器 2", 7, 3, 0),
};
static const obd_field_t f_84[] = {
    TEMP8("manifold_surface_temp", "Manifold surface temperature", "歧管表面温度", 0, -1),
};
static const obd_field_t f_85[] = {
    NUM("reagent_rate", "Average reagent consumption", "还原剂平均消耗率", 1, 2, 0, 0, 0.005, 0.0, 0.0, 327.675, "L/h"),
    NUM("reagent_demand", "Average demanded reagent consumption", "还原剂平均需求消耗率", 3, 2, 1, 0, 0.005, 0.0, 0.0,
        327.675, "L/h"),
    PCT("reagent_level", "Reagent tank level", "还原剂（尿素）液位", 5, 2),
    TIMER32("nwi_time", "Run time with NOx warning indicator on", "NOx 警告灯点亮累计运行时间", 6, 3),
};
static const obd_field_t f_86[] = {
    NUM("pm_b1s1", "PM concentration bank 1 sensor 1", "颗粒物浓度 缸组 1 传感器 1", 1, 2, 0, 0, 0.0125, 0.0, 0.0,
        819.1875, "mg/m³"),
    NUM("pm_b2s1", "PM concentration bank 2 sensor 1", "颗粒物浓度 缸组 2 传感器 1", 3, 2, 1, 0, 0.0125, 0.0, 0.0,
        819.1875, "mg/m³"),
};
static const obd_field_t f_87[] = {
    KPA32("map_a", "Intake manifold absolute pressure A", "进气歧管绝对压力 A", 1, 0),
    KPA32("map_b", "Intake manifold absolute pressure B", "进气歧管绝对压力 B", 3, 1),
};
#define KM16(K, EN, ZH, BY) NUM(K, EN, ZH, BY, 2, -1, 0, 1.0, 0.0, 0.0, 65535.0, "km")
static const obd_field_t f_88[] = {
    BITMAP("status", "SCR inducement system status (raw bits)", "SCR 驾驶性能限制系统状态（原始位）", 0, 1, 255.0),
    BITMAP("history_12", "Inducement history 1/2 (raw bits)", "限制历史 1/2（原始位）", 1, 1, 255.0),
    BITMAP("history_34", "Inducement history 3/4 (raw bits)", "限制历史 3/4（原始位）", 2, 1, 255.0),
    KM16("distance_1n", "Inducement distance 1N", "限制相关里程 1N", 3),
    KM16("distance_1d", "Inducement distance 1D", "限制相关里程 1D", 5),
    KM16("distance_2n", "Inducement distance 2N", "限制相关里程 2N", 7),
    KM16("distance_3n", "Inducement distance 3N", "限制相关里程 3N", 9),
    KM16("distance_4n", "Inducement distance 4N", "限制相关里程 4N", 11),
};
static const obd_field_t f_8b[] = {
    FLAG("dpf_regen_active", "DPF regeneration in progress", "DPF 正在再生", 1, 0, 0),
    ENUMF("dpf_regen_type", "DPF regeneration type", "DPF 再生类型", 1, 1, 1, 1, 1.0, e_regen_type),
    FLAG("nox_ads_regen", "NOx adsorber regeneration in progress", "NOx 吸附器正在再生", 1, 2, 2),
    FLAG("nox_ads_desulf", "NOx adsorber desulfurization in progress", "NOx 吸附器正在脱硫", 1, 3, 3),
    PCT("dpf_regen_trigger", "Normalized DPF regeneration trigger", "DPF 再生触发值（归一化）", 2, 4),
    NUM("dpf_regen_avg_time", "Average time between DPF regenerations", "DPF 平均再生间隔时间", 3, 2, 5, 0, 1.0, 0.0,
        0.0, 65535.0, "min"),
    NUM("dpf_regen_avg_distance", "Average distance between DPF regenerations", "DPF 平均再生间隔里程", 5, 2, 6, 0, 1.0,
        0.0, 0.0, 65535.0, "km"),
};
#define O2CONC(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 2, SUP, 0, 0.001526, 0.0, 0.0, 100.00641, "%")
#define O2LAMBDA(K, EN, ZH, BY, SUP) NUM(K, EN, ZH, BY, 2, SUP, 0, 0.000122, 0.0, 0.0, 7.99527, "")
static const obd_field_t f_8c[] = {
    O2CONC("conc_b1s1", "O2 concentration bank 1 sensor 1", "氧浓度 缸组 1 传感器 1", 1, 0),
    O2CONC("conc_b1s2", "O2 concentration bank 1 sensor 2", "氧浓度 缸组 1 传感器 2", 3, 1),
    O2CONC("conc_b2s1", "O2 concentration bank 2 sensor 1", "氧浓度 缸组 2 传感器 1", 5, 2),
    O2CONC("conc_b2s2", "O2 concentration bank 2 sensor 2", "氧浓度 缸组 2 传感器 2", 7, 3),
    O2LAMBDA("lambda_b1s1", "Lambda bank 1 sensor 1", "λ 缸组 1 传感器 1", 9, 4),
    O2LAMBDA("lambda_b1s2", "Lambda bank 1 sensor 2", "λ 缸组 1 传感器 2", 11, 5),
    O2LAMBDA("lambda_b2s1", "Lambda bank 2 sensor 1", "λ 缸组 2 传感器 1", 13, 6),
    O2LAMBDA("lambda_b2s2", "Lambda bank 2 sensor 2", "λ 缸组 2 传感器 2", 15, 7),
};
static const obd_field_t f_8d[] = { PCT("throttle_g", "Absolute throttle position G", "节气门绝对位置 G", 0, -1) };
static const obd_field_t f_8e[] = { TORQUE("friction_torque", "Engine friction torque", "发动机摩擦扭矩", 0) };
#define PMOUT(K, EN, ZH, BY, SUP) SNUM(K, EN, ZH, BY, 2, SUP, 0.01, 0.0, -327.68, 327.67, "%")
static const obd_field_t f_8f[] = {
    FLAG("b1s1_active", "PM sensor bank 1 active", "颗粒物传感器 缸组 1 工作中", 1, 0, 0),
    FLAG("b1s1_regen", "PM sensor bank 1 regenerating", "颗粒物传感器 缸组 1 再生中", 1, 1, 0),
    PMOUT("b1s1_output", "PM sensor bank 1 normalized output", "颗粒物传感器 缸组 1 归一化输出", 2, 1),
    FLAG("b2s1_active", "PM sensor bank 2 active", "颗粒物传感器 缸组 2 工作中", 4, 0, 2),
    FLAG("b2s1_regen", "PM sensor bank 2 regenerating", "颗粒物传感器 缸组 2 再生中", 4, 1, 2),
    PMOUT("b2s1_output", "PM sensor bank 2 normalized output", "颗粒物传感器 缸组 2 归一化输出", 5, 3),
};
#define HOURS(K, EN, ZH, BY, SUP, FL) \
    NUM(K, EN, ZH, BY, 2, SUP, FL, 1.0, 0.0, 0.0, ((FL) & OBD_FF_FF_NA) ? 65534.0 : 65535.0, "h")
static const obd_field_t f_90[] = {
    BITS("mi_display", "MI display strategy (vehicle)", "MI 显示策略（整车）", 0, 0, 2, -1, 3.0, ""),
    BITS("mi_mode", "MI mode (vehicle)", "MI 模式（整车）", 0, 2, 4, -1, 15.0, ""),
    FLAG("vobd_ready", "Vehicle OBD system ready", "整车 OBD 系统就绪", 0, 6, -1),
    HOURS("mi_time", "MI-on time (vehicle)", "MI 点亮时间（整车）", 1, -1, 0),
};
static const obd_field_t f_91[] = {
    BITS("mi_mode", "MI mode (this ECU)", "MI 模式（本 ECU）", 0, 0, 4, -1, 15.0, ""),
    HOURS("mi_time", "MI-on time (this ECU)", "MI 点亮时间（本 ECU）", 1, -1, 0),
    HOURS("b1_time", "Class B1 malfunction counter (this ECU)", "B1 类故障计时（本 ECU）", 3, -1, 0),
};
static const obd_field_t f_92[] = {
    FLAG("fp1_closed", "Fuel pressure control 1 closed loop", "燃油压力控制 1 闭环", 1, 0, 0),
    FLAG("fiq1_closed", "Fuel injection quantity control 1 closed loop", "喷油量控制 1 闭环", 1, 1, 1),
    FLAG("fit1_closed", "Fuel injection timing control 1 closed loop", "喷油正时控制 1 闭环", 1, 2, 2),
    FLAG("ifb1_closed", "Idle fuel balance control 1 closed loop", "怠速油量平衡控制 1 闭环", 1, 3, 3),
    FLAG("fp2_closed", "Fuel pressure control 2 closed loop", "燃油压力控制 2 闭环", 1, 4, 4),
    FLAG("fiq2_closed", "Fuel injection quantity control 2 closed loop", "喷油量控制 2 闭环", 1, 5, 5),
    FLAG("fit2_closed", "Fuel injection timing control 2 closed loop", "喷油正时控制 2 闭环", 1, 6, 6),
    FLAG("ifb2_closed", "Idle fuel balance control 2 closed loop", "怠速油量平衡控制 2 闭环", 1, 7, 7),
};
static const obd_field_t f_93[] = {
    HOURS("mi_time_cumulative", "Cumulative MI-on time", "MI 累计点亮时间", 1, 0, 0),
};
static const obd_field_t f_94[] = {
    FLAG("warning_active", "NOx warning system active", "NOx 警告系统激活", 1, 0, 0),
    BITS("inducement_1", "Inducement level 1 status", "一级驾驶性能限制状态", 1, 1, 2, 0, 3.0, ""),
    BITS("inducement_2", "Inducement level 2 status", "二级驾驶性能限制状态", 1, 3, 2, 0, 3.0, ""),
    BITS("inducement_3", "Inducement level 3 status", "三级驾驶性能限制状态", 1, 5, 2, 0, 3.0, ""),
    HOURS("reagent_quality_time", "Time with incorrect reagent quality", "还原剂品质异常累计时间", 2, 1, OBD_FF_FF_NA),
    HOURS("reagent_consumption_time", "Time with incorrect reagent consumption", "还原剂消耗异常累计时间", 4, 2,
          OBD_FF_FF_NA),
    HOURS("reagent_dosing_time", "Time with reagent dosing interrupted", "还原剂计量喷射中断累计时间", 6, 3, OBD_FF_FF_NA),
    HOURS("egr_time", "Time with impeded EGR", "EGR 受阻累计时间", 8, 4, OBD_FF_FF_NA),
    HOURS("nox_dtc_time", "Time with NOx control monitoring fault", "NOx 控制监测故障累计时间", 10, 5, OBD_FF_FF_NA),
};
static const obd_field_t f_98[] = {
    TEMP16("egt_s5", "Exhaust gas temperature bank 1 sensor 5", "排气温度 缸组 1 传感器 5", 1, 0),
    TEMP16("egt_s6", "Exhaust gas temperature bank 1 sensor 6", "排气温度 缸组 1 传感器 6", 3, 1),
    TEMP16("egt_s7", "Exhaust gas temperature bank 1 sensor 7", "排气温度 缸组 1 传感器 7", 5, 2),
    TEMP16("egt_s8", "Exhaust gas temperature bank 1 sensor 8", "排气温度 缸组 1 传感器 8", 7, 3),
};
static const obd_field_t f_99[] = {
    TEMP16("egt_s5", "Exhaust gas temperature bank 2 sensor 5", "排气温度 缸组 2 传感器 5", 1, 0),
    TEMP16("egt_s6", "Exhaust gas temperature bank 2 sensor 6", "排气温度 缸组 2 传感器 6", 3, 1),
    TEMP16("egt_s7", "Exhaust gas temperature bank 2 sensor 7", "排气温度 缸组 2 传感器 7", 5, 2),
    TEMP16("egt_s8", "Exhaust gas temperature bank 2 sensor 8", "排气温度 缸组 2 传感器 8", 7, 3),
};
static const obd_field_t f_9a[] = {
    ENUMF("hev_mode", "Hybrid/EV charging mode", "混动/电动 充电模式", 1, 0, 1, 0, 1.0, e_hev_mode),
    NUM("battery_voltage", "Hybrid/EV battery system voltage", "混动/电动 动力电池电压", 2, 2, 1, 0, 1.0 / 64.0, 0.0, 0.0,
        1023.984375, "V"),
    SNUM("battery_current", "Hybrid/EV battery system current", "混动/电动 动力电池电流", 4, 2, 2, 0.1, 0.0, -3276.8,
         3276.7, "A"),
};
static const obd_field_t f_9b[] = {
    BITS("def_type", "Diesel exhaust fluid type", "尿素溶液（DEF）类型", 0, 4, 4, 0, 15.0, ""),
    NUM("def_concentration", "DEF concentration", "尿素溶液浓度", 1, 1, 1, 0, 0.25, 0.0, 0.0, 63.75, "%"),
    TEMP8("def_tank_temp", "DEF tank temperature", "尿素箱温度", 2, 2),
    PCT("def_tank_level", "DEF tank level", "尿素箱液位", 3, 3),
};
static const obd_field_t f_9c[] = {
    O2CONC("conc_b1s3", "O2 concentration bank 1 sensor 3", "氧浓度 缸组 1 传感器 3", 1, 0),
    O2CONC("conc_b1s4", "O2 concentration bank 1 sensor 4", "氧浓度 缸组 1 传感器 4", 3, 1),
    O2CONC("conc_b2s3", "O2 concentration bank 2 sensor 3", "氧浓度 缸组 2 传感器 3", 5, 2),
    O2CONC("conc_b2s4", "O2 concentration bank 2 sensor 4", "氧浓度 缸组 2 传感器 4", 7, 3),
    O2LAMBDA("lambda_b1s3", "Lambda bank 1 sensor 3", "λ 缸组 1 传感器 3", 9, 4),
    O2LAMBDA("lambda_b1s4", "Lambda bank 1 sensor 4", "λ 缸组 1 传感器 4", 11, 5),
    O2LAMBDA("lambda_b2s3", "Lambda bank 2 sensor 3", "λ 缸组 2 传感器 3", 13, 6),
    O2LAMBDA("lambda_b2s4", "Lambda bank 2 sensor 4", "λ 缸组 2 传感器 4", 15, 7),
};
static const obd_field_t f_9d[] = {
    NUM("engine_fuel_rate", "Engine fuel rate", "发动机燃油质量流量", 0, 2, -1, 0, 0.02, 0.0, 0.0, 1310.7, "g/s"),
    NUM("vehicle_fuel_rate", "Vehicle fuel rate", "整车燃油质量流量", 2, 2, -1, 0, 0.02, 0.0, 0.0, 1310.7, "g/s"),
};
static const obd_field_t f_9e[] = {
    NUM("exhaust_flow", "Engine exhaust flow rate", "发动机排气流量", 0, 2, -1, 0, 0.2, 0.0, 0.0, 13107.0, "kg/h"),
};
static const obd_field_t f_9f[] = {
    PCT("fuel_a_b1", "Fuel system A use, bank 1", "燃油系统 A 使用比例 缸组 1", 1, 0),
    PCT("fuel_b_b1", "Fuel system B use, bank 1", "燃油系统 B 使用比例 缸组 1", 2, 1),
    PCT("fuel_a_b2", "Fuel system A use, bank 2", "燃油系统 A 使用比例 缸组 2", 3, 2),
    PCT("fuel_b_b2", "Fuel system B use, bank 2", "燃油系统 B 使用比例 缸组 2", 4, 3),
    PCT("fuel_a_b3", "Fuel system A use, bank 3", "燃油系统 A 使用比例 缸组 3", 5, 4),
    PCT("fuel_b_b3", "Fuel system B use, bank 3", "燃油系统 B 使用比例 缸组 3", 6, 5),
    PCT("fuel_a_b4", "Fuel system A use, bank 4", "燃油系统 A 使用比例 缸组 4", 7, 6),
    PCT("fuel_b_b4", "Fuel system B use, bank 4", "燃油系统 B 使用比例 缸组 4", 8, 7),
};
static const obd_field_t f_a1[] = {
    PPM("noxc_b1s1", "Corrected NOx bank 1 sensor 1", "修正 NOx 浓度 缸组 1 传感器 1", 1, 0, OBD_FF_FF_NA),
    PPM("noxc_b1s2", "Corrected NOx bank 1 sensor 2", "修正 NOx 浓度 缸组 1 传感器 2", 3, 1, OBD_FF_FF_NA),
    PPM("noxc_b2s1", "Corrected NOx bank 2 sensor 1", "修正 NOx 浓度 缸组 2 传感器 1", 5, 2, OBD_FF_FF_NA),
    PPM("noxc_b2s2", "Corrected NOx bank 2 sensor 2", "修正 NOx 浓度 缸组 2 传感器 2", 7, 3, OBD_FF_FF_NA),
};
static const obd_field_t f_a2[] = {
    NUM("cylinder_fuel_rate", "Cylinder fuel rate", "单缸喷油量", 0, 2, -1, 0, 1.0 / 32.0, 0.0, 0.0, 2047.96875,
        "mg/stroke"),
};
static const obd_field_t f_a3[] = {
    SNUM("evap_a", "Evap. system vapor pressure A", "蒸发系统蒸气压力 A", 1, 2, 0, 0.25, 0.0, -8192.0, 8191.75, "Pa"),
    SNUM("evap_a_wide", "Evap. system vapor pressure A (wide range)", "蒸发系统蒸气压力 A（宽量程）", 3, 2, 1, 2.0, 0.0,
         -65536.0, 65534.0, "Pa"),
    SNUM("evap_b", "Evap. system vapor pressure B", "蒸发系统蒸气压力 B", 5, 2, 2, 0.25, 0.0, -8192.0, 8191.75, "Pa"),
    SNUM("evap_b_wide", "Evap. system vapor pressure B (wide range)", "蒸发系统蒸气压力 B（宽量程）", 7, 2, 3, 2.0, 0.0,
         -65536.0, 65534.0, "Pa"),
};
static const obd_field_t f_a4[] = {
    BITS("gear", "Transmission actual gear", "变速器当前挡位", 1, 4, 4, 0, 15.0, ""),
    NUM("gear_ratio", "Transmission actual gear ratio", "变速器当前传动比", 2, 2, 1, 0, 0.001, 0.0, 0.0, 65.535, ""),
};
static const obd_field_t f_a5[] = {
    NUM("def_cmd", "Commanded DEF dosing", "尿素喷射指令", 1, 1, 0, 0, 0.5, 0.0, 0.0, 127.5, "%"),
    NUM("def_usage", "DEF usage this drive cycle", "本驾驶循环尿素消耗量", 2, 2, 1, 0, 0.0005, 0.0, 0.0, 32.7675, "L"),
};
static const obd_field_t f_a6[] = {
    NUM("odometer", "Odometer", "总里程", 0, 4, -1, 0, 0.1, 0.0, 0.0, 429496729.5, "km"),
};
static const obd_field_t f_raw4[] = {
    BITMAP("raw", "Raw data (layout not public)", "原始数据（布局未公开）", 0, 4, 4294967295.0),
};

/* ---- the table, sorted by PID ---- */

#define BM OBD_PF_BITMAP
#define RD OBD_PF_READINESS

const obd_pid_t obd_pid_table[] = {
    PID(0x00, 4, "pids_01_20", "PIDs supported [01-20]", "支持的 PID [01-20]", f_bitmap, BM),
    PID(0x01, 4, "monitor_status", "Monitor status since DTCs cleared", "清码后监测状态（就绪状态）", f_01, RD),
    PID(0x02, 2, "freeze_dtc", "DTC that caused the freeze frame", "触发冻结帧的故障码", f_02, 0),
    PID(0x03, 2, "fuel_system_status", "Fuel system status", "燃油系统状态", f_03, 0),
    PID(0x04, 1, "engine_load", "Calculated engine load", "计算负荷值", f_04, 0),
    PID(0x05, 1, "coolant_temp", "Engine coolant temperature", "发动机冷却液温度", f_05, 0),
    PID(0x06, 1, "stft_b1", "Short-term fuel trim bank 1", "短期燃油修正 缸组 1", f_trim, 0),
    PID(0x07, 1, "ltft_b1", "Long-term fuel trim bank 1", "长期燃油修正 缸组 1", f_trim, 0),
    PID(0x08, 1, "stft_b2", "Short-term fuel trim bank 2", "短期燃油修正 缸组 2", f_trim, 0),
    PID(0x09, 1, "ltft_b2", "Long-term fuel trim bank 2", "长期燃油修正 缸组 2", f_trim, 0),
    PID(0x0A, 1, "fuel_pressure", "Fuel pressure (gauge)", "燃油压力（表压）", f_0a, 0),
    PID(0x0B, 1, "map", "Intake manifold absolute pressure", "进气歧管绝对压力", f_0b, 0),
    PID(0x0C, 2, "rpm", "Engine speed", "发动机转速", f_0c, 0),
    PID(0x0D, 1, "speed", "Vehicle speed", "车速", f_0d, 0),
    PID(0x0E, 1, "timing_advance", "Timing advance", "点火提前角", f_0e, 0),
    PID(0x0F, 1, "iat", "Intake air temperature", "进气温度", f_0f, 0),
    PID(0x10, 2, "maf", "Mass air flow rate", "空气流量", f_10, 0),
    PID(0x11, 1, "throttle", "Throttle position", "节气门位置", f_11, 0),
    PID(0x12, 1, "secondary_air", "Commanded secondary air status", "二次空气指令状态", f_12, 0),
    PID(0x13, 1, "o2_sensors_present", "O2 sensors present (2 banks)", "氧传感器配置（2 缸组）", f_13, 0),
    PID(0x14, 2, "o2_s1", "O2 sensor 1 voltage and trim", "氧传感器 1 电压与修正", f_o2nb, 0),
    PID(0x15, 2, "o2_s2", "O2 sensor 2 voltage and trim", "氧传感器 2 电压与修正", f_o2nb, 0),
    PID(0x16, 2, "o2_s3", "O2 sensor 3 voltage and trim", "氧传感器 3 电压与修正", f_o2nb, 0),
    PID(0x17, 2, "o2_s4", "O2 sensor 4 voltage and trim", "氧传感器 4 电压与修正", f_o2nb, 0),
    PID(0x18, 2, "o2_s5", "O2 sensor 5 voltage and trim", "氧传感器 5 电压与修正", f_o2nb, 0),
    PID(0x19, 2, "o2_s6", "O2 sensor 6 voltage and trim", "氧传感器 6 电压与修正", f_o2nb, 0),
    PID(0x1A, 2, "o2_s7", "O2 sensor 7 voltage and trim", "氧传感器 7 电压与修正", f_o2nb, 0),
    PID(0x1B, 2, "o2_s8", "O2 sensor 8 voltage and trim", "氧传感器 8 电压与修正", f_o2nb, 0),
    PID(0x1C, 1, "obd_standard", "OBD standard this vehicle conforms to", "车辆符合的 OBD 标准", f_1c, 0),
    PID(0x1D, 1, "o2_sensors_present_4b", "O2 sensors present (4 banks)", "氧传感器配置（4 缸组）", f_1d, 0),
    PID(0x1E, 1, "aux_input", "Auxiliary input status", "辅助输入状态", f_1e, 0),
    PID(0x1F, 2, "run_time", "Run time since engine start", "发动机本次启动后运行时间", f_1f, 0),
    PID(0x20, 4, "pids_21_40", "PIDs supported [21-40]", "支持的 PID [21-40]", f_bitmap, BM),
    PID(0x21, 2, "distance_mil", "Distance traveled with MIL on", "故障灯点亮后行驶里程", f_21, 0),
    PID(0x22, 2, "fuel_rail_pressure_vac", "Fuel rail pressure (relative to manifold vacuum)", "油轨压力（相对歧管真空）",
        f_22, 0),
    PID(0x23, 2, "fuel_rail_gauge", "Fuel rail gauge pressure", "油轨表压", f_23, 0),
    PID(0x24, 4, "o2_s1_wr_voltage", "O2 sensor 1 (wide range): lambda, voltage", "氧传感器 1（宽域）：λ、电压", f_o2wv, 0),
    PID(0x25, 4, "o2_s2_wr_voltage", "O2 sensor 2 (wide range): lambda, voltage", "氧传感器 2（宽域）：λ、电压", f_o2wv, 0),
    PID(0x26, 4, "o2_s3_wr_voltage", "O2 sensor 3 (wide range): lambda, voltage", "氧传感器 3（宽域）：λ、电压", f_o2wv, 0),
    PID(0x27, 4, "o2_s4_wr_voltage", "O2 sensor 4 (wide range): lambda, voltage", "氧传感器 4（宽域）：λ、电压", f_o2wv, 0),
    PID(0x28, 4, "o2_s5_wr_voltage", "O2 sensor 5 (wide range): lambda, voltage", "氧传感器 5（宽域）：λ、电压", f_o2wv, 0),
    PID(0x29, 4, "o2_s6_wr_voltage", "O2 sensor 6 (wide range): lambda, voltage", "氧传感器 6（宽域）：λ、电压", f_o2wv, 0),
    PID(0x2A, 4, "o2_s7_wr_voltage", "O2 sensor 7 (wide range): lambda, voltage", "氧传感器 7（宽域）：λ、电压", f_o2wv, 0),
    PID(0x2B, 4, "o2_s8_wr_voltage", "O2 sensor 8 (wide range): lambda, voltage", "氧传感器 8（宽域）：λ、电压", f_o2wv, 0),
    PID(0x2C, 1, "egr_cmd", "Commanded EGR", "EGR 指令开度", f_2c, 0),
    PID(0x2D, 1, "egr_error", "EGR error", "EGR 误差", f_2d, 0),
    PID(0x2E, 1, "evap_purge", "Commanded evaporative purge", "炭罐清污指令", f_2e, 0),
    PID(0x2F, 1, "fuel_level", "Fuel tank level input", "燃油液位", f_2f, 0),
    PID(0x30, 1, "warmups_since_clear", "Warm-ups since codes cleared", "清码后暖机次数", f_30, 0),
    PID(0x31, 2, "distance_since_clear", "Distance traveled since codes cleared", "清码后行驶里程", f_31, 0),
    PID(0x32, 2, "evap_vapor_pressure", "Evap. system vapor pressure", "蒸发系统蒸气压力", f_32, 0),
    PID(0x33, 1, "baro", "Absolute barometric pressure", "大气压力", f_33, 0),
    PID(0x34, 4, "o2_s1_wr_current", "O2 sensor 1 (wide range): lambda, current", "氧传感器 1（宽域）：λ、电流", f_o2wc, 0),
    PID(0x35, 4, "o2_s2_wr_current", "O2 sensor 2 (wide range): lambda, current", "氧传感器 2（宽域）：λ、电流", f_o2wc, 0),
    PID(0x36, 4, "o2_s3_wr_current", "O2 sensor 3 (wide range): lambda, current", "氧传感器 3（宽域）：λ、电流", f_o2wc, 0),
    PID(0x37, 4, "o2_s4_wr_current", "O2 sensor 4 (wide range): lambda, current", "氧传感器 4（宽域）：λ、电流", f_o2wc, 0),
    PID(0x38, 4, "o2_s5_wr_current", "O2 sensor 5 (wide range): lambda, current", "氧传感器 5（宽域）：λ、电流", f_o2wc, 0),
    PID(0x39, 4, "o2_s6_wr_current", "O2 sensor 6 (wide range): lambda, current", "氧传感器 6（宽域）：λ、电流", f_o2wc, 0),
    PID(0x3A, 4, "o2_s7_wr_current", "O2 sensor 7 (wide range): lambda, current", "氧传感器 7（宽域）：λ、电流", f_o2wc, 0),
    PID(0x3B, 4, "o2_s8_wr_current", "O2 sensor 8 (wide range): lambda, current", "氧传感器 8（宽域）：λ、电流", f_o2wc, 0),
    PID(0x3C, 2, "cat_temp_b1s1", "Catalyst temperature bank 1 sensor 1", "催化器温度 缸组 1 传感器 1", f_cat, 0),
    PID(0x3D, 2, "cat_temp_b2s1", "Catalyst temperature bank 2 sensor 1", "催化器温度 缸组 2 传感器 1", f_cat, 0),
    PID(0x3E, 2, "cat_temp_b1s2", "Catalyst temperature bank 1 sensor 2", "催化器温度 缸组 1 传感器 2", f_cat, 0),
    PID(0x3F, 2, "cat_temp_b2s2", "Catalyst temperature bank 2 sensor 2", "催化器温度 缸组 2 传感器 2", f_cat, 0),
    PID(0x40, 4, "pids_41_60", "PIDs supported [41-60]", "支持的 PID [41-60]", f_bitmap, BM),
    PID(0x41, 4, "monitor_status_cycle", "Monitor status this drive cycle", "本驾驶循环监测状态", f_41, RD),
    PID(0x42, 2, "module_voltage", "Control module voltage", "控制模块电压", f_42, 0),
    PID(0x43, 2, "absolute_load", "Absolute load value", "绝对负荷值", f_43, 0),
    PID(0x44, 2, "commanded_lambda", "Commanded air-fuel equivalence ratio", "指令空燃当量比", f_44, 0),
    PID(0x45, 1, "relative_throttle", "Relative throttle position", "节气门相对位置", f_45, 0),
    PID(0x46, 1, "ambient_temp", "Ambient air temperature", "环境温度", f_46, 0),
    PID(0x47, 1, "throttle_b", "Absolute throttle position B", "节气门绝对位置 B", f_47, 0),
    PID(0x48, 1, "throttle_c", "Absolute throttle position C", "节气门绝对位置 C", f_48, 0),
    PID(0x49, 1, "pedal_d", "Accelerator pedal position D", "加速踏板位置 D", f_49, 0),
    PID(0x4A, 1, "pedal_e", "Accelerator pedal position E", "加速踏板位置 E", f_4a, 0),
    PID(0x4B, 1, "pedal_f", "Accelerator pedal position F", "加速踏板位置 F", f_4b, 0),
    PID(0x4C, 1, "throttle_cmd", "Commanded throttle actuator", "节气门执行器指令", f_4c, 0),
    PID(0x4D, 2, "time_mil", "Time run with MIL on", "故障灯点亮后运行时间", f_4d, 0),
    PID(0x4E, 2, "time_since_clear", "Time since trouble codes cleared", "清码后运行时间", f_4e, 0),
    PID(0x4F, 4, "max_values", "Maximum values: lambda, O2 voltage, O2 current, MAP", "最大值：λ、氧传感器电压、电流、进气压力",
        f_4f, 0),
    PID(0x50, 4, "maf_max", "Maximum MAF sensor air flow rate", "空气流量计最大流量", f_50, 0),
    PID(0x51, 1, "fuel_type", "Fuel type", "燃料类型", f_51, 0),
    PID(0x52, 1, "ethanol_pct", "Ethanol fuel percentage", "乙醇燃料比例", f_52, 0),
    PID(0x53, 2, "evap_pressure_abs", "Absolute evap. system vapor pressure", "蒸发系统蒸气绝对压力", f_53, 0),
    PID(0x54, 2, "evap_pressure_wide", "Evap. system vapor pressure (wide range)", "蒸发系统蒸气压力（宽量程）", f_54, 0),
    PID(0x55, 2, "st_o2_trim_b1_b3", "Short-term secondary O2 trim banks 1 and 3", "后氧短期修正 缸组 1、3", f_st_b13, 0),
    PID(0x56, 2, "lt_o2_trim_b1_b3", "Long-term secondary O2 trim banks 1 and 3", "后氧长期修正 缸组 1、3", f_lt_b13, 0),
    PID(0x57, 2, "st_o2_trim_b2_b4", "Short-term secondary O2 trim banks 2 and 4", "后氧短期修正 缸组 2、4", f_st_b24, 0),
    PID(0x58, 2, "lt_o2_trim_b2_b4", "Long-term secondary O2 trim banks 2 and 4", "后氧长期修正 缸组 2、4", f_lt_b24, 0),
    PID(0x59, 2, "fuel_rail_abs", "Fuel rail absolute pressure", "油轨绝对压力", f_59, 0),
    PID(0x5A, 1, "pedal_relative", "Relative accelerator pedal position", "加速踏板相对位置", f_5a, 0),
    PID(0x5B, 1, "hybrid_battery_life", "Hybrid battery pack remaining life", "混动电池组剩余寿命", f_5b, 0),
    PID(0x5C, 1, "oil_temp", "Engine oil temperature", "机油温度", f_5c, 0),
    PID(0x5D, 2, "injection_timing", "Fuel injection timing", "喷油正时", f_5d, 0),
    PID(0x5E, 2, "fuel_rate", "Engine fuel rate", "发动机燃油消耗率", f_5e, 0),
    PID(0x5F, 1, "emission_requirements", "Emission requirements the vehicle is designed to", "车辆设计排放要求", f_5f, 0),
    PID(0x60, 4, "pids_61_80", "PIDs supported [61-80]", "支持的 PID [61-80]", f_bitmap, BM),
    PID(0x61, 1, "torque_demand", "Driver's demand engine percent torque", "驾驶员需求扭矩百分比", f_61, 0),
    PID(0x62, 1, "torque_actual", "Actual engine percent torque", "发动机实际扭矩百分比", f_62, 0),
    PID(0x63, 2, "torque_reference", "Engine reference torque", "发动机参考扭矩", f_63, 0),
    PID(0x64, 5, "torque_data", "Engine percent torque data", "发动机扭矩百分比数据", f_64, 0),
    PID(0x65, 2, "aux_io", "Auxiliary input/output status", "辅助输入/输出状态", f_65, 0),
    PID(0x66, 5, "maf_sensors", "Mass air flow sensors A/B", "空气流量传感器 A/B", f_66, 0),
    PID(0x67, 3, "coolant_temp_sensors", "Engine coolant temperature sensors 1/2", "冷却液温度传感器 1/2", f_67, 0),
    PID(0x68, 7, "iat_sensors", "Intake air temperature sensors", "进气温度传感器", f_68, 0),
    PID(0x69, 7, "egr_data", "Commanded EGR, actual EGR and EGR error", "EGR 指令、实际开度与误差", f_69, 0),
    PID(0x6A, 5, "intake_air_flow_ctrl", "Diesel intake air flow control", "柴油机进气流量控制", f_6a, 0),
    PID(0x6B, 5, "egr_temp", "EGR temperature", "EGR 温度", f_6b, 0),
    PID(0x6C, 5, "throttle_ctrl", "Throttle actuator control and relative position", "节气门执行器控制与相对位置", f_6c, 0),
    PID(0x6D, 11, "fuel_pressure_ctrl", "Fuel pressure control system", "燃油压力控制系统", f_6d, 0),
    PID(0x6E, 9, "injection_pressure_ctrl", "Injection pressure control system", "喷射压力控制系统", f_6e, 0),
    PID(0x6F, 3, "turbo_inlet_pressure", "Turbocharger compressor inlet pressure", "涡轮增压器压气机进口压力", f_6f, 0),
    PID(0x70, 10, "boost_ctrl", "Boost pressure control", "增压压力控制", f_70, 0),
    PID(0x71, 6, "vgt_ctrl", "Variable geometry turbo (VGT) control", "可变截面涡轮（VGT）控制", f_71, 0),
    PID(0x72, 5, "wastegate_ctrl", "Wastegate control", "废气旁通阀控制", f_72, 0),
    PID(0x73, 5, "exhaust_pressure", "Exhaust pressure", "排气压力", f_73, 0),
    PID(0x74, 5, "turbo_rpm", "Turbocharger speed", "涡轮增压器转速", f_74, 0),
    PID(0x75, 7, "turbo_a_temp", "Turbocharger A temperatures", "涡轮增压器 A 温度", f_75, 0),
    PID(0x76, 7, "turbo_b_temp", "Turbocharger B temperatures", "涡轮增压器 B 温度", f_76, 0),
    PID(0x77, 5, "cac_temp", "Charge air cooler temperature", "中冷器温度", f_77, 0),
    PID(0x78, 9, "egt_b1", "Exhaust gas temperature bank 1", "排气温度 缸组 1", f_78, 0),
    PID(0x79, 9, "egt_b2", "Exhaust gas temperature bank 2", "排气温度 缸组 2", f_79, 0),
    PID(0x7A, 7, "dpf_b1", "Diesel particulate filter bank 1", "颗粒捕集器（DPF）缸组 1", f_7a, 0),
    PID(0x7B, 7, "dpf_b2", "Diesel particulate filter bank 2", "颗粒捕集器（DPF）缸组 2", f_7b, 0),
    PID(0x7C, 9, "dpf_temp", "Diesel particulate filter temperature", "颗粒捕集器（DPF）温度", f_7c, 0),
    PID(0x7D, 1, "nox_nte_status", "NOx NTE control area status", "NOx 不超标（NTE）控制区状态", f_7d, 0),
    PID(0x7E, 1, "pm_nte_status", "PM NTE control area status", "颗粒物不超标（NTE）控制区状态", f_7e, 0),
    PID(0x7F, 13, "engine_run_time", "Engine run time", "发动机累计运行时间", f_7f, 0),
    PID(0x80, 4, "pids_81_a0", "PIDs supported [81-A0]", "支持的 PID [81-A0]", f_bitmap, BM),
    PID(0x81, 41, "aecd_time_1_5", "Engine run time for AECD #1-#5", "排放辅助控制装置（AECD）#1-#5 运行时间", f_81, 0),
    PID(0x82, 41, "aecd_time_6_10", "Engine run time for AECD #6-#10", "排放辅助控制装置（AECD）#6-#10 运行时间", f_82, 0),
    PID(0x83, 9, "nox_sensor", "NOx sensor", "NOx 传感器", f_83, 0),
    PID(0x84, 1, "manifold_surface_temp", "Manifold surface temperature", "歧管表面温度", f_84, 0),
    PID(0x85, 10, "nox_reagent", "NOx reagent system", "NOx 还原剂（尿素）系统", f_85, 0),
    PID(0x86, 5, "pm_sensor", "Particulate matter (PM) sensor", "颗粒物（PM）传感器", f_86, 0),
    PID(0x87, 5, "map_sensors", "Intake manifold absolute pressure A/B", "进气歧管绝对压力 A/B", f_87, 0),
    PID(0x88, 13, "scr_inducement", "SCR inducement system", "SCR 驾驶性能限制系统", f_88, 0),
    PID(0x89, 41, "aecd_time_11_15", "Engine run time for AECD #11-#15", "排放辅助控制装置（AECD）#11-#15 运行时间", f_89,
        0),
    PID(0x8A, 41, "aecd_time_16_20", "Engine run time for AECD #16-#20", "排放辅助控制装置（AECD）#16-#20 运行时间", f_8a,
        0),
    PID(0x8B, 7, "diesel_aftertreatment", "Diesel aftertreatment status", "柴油机后处理状态", f_8b, 0),
    PID(0x8C, 17, "o2_wide_range", "O2 sensors (wide range): concentration and lambda", "宽域氧传感器：氧浓度与 λ", f_8c, 0),
    PID(0x8D, 1, "throttle_g", "Absolute throttle position G", "节气门绝对位置 G", f_8d, 0),
    PID(0x8E, 1, "friction_torque", "Engine friction percent torque", "发动机摩擦扭矩百分比", f_8e, 0),
    PID(0x8F, 7, "pm_sensor_b1_b2", "PM sensor banks 1 and 2", "颗粒物传感器 缸组 1、2", f_8f, 0),
    PID(0x90, 3, "wwh_vehicle_info", "WWH-OBD vehicle OBD system information", "WWH-OBD 整车 OBD 系统信息", f_90, 0),
    PID(0x91, 5, "wwh_ecu_info", "WWH-OBD ECU OBD system information", "WWH-OBD 本 ECU OBD 系统信息", f_91, 0),
    PID(0x92, 2, "fuel_system_ctrl", "Fuel system control status (compression ignition)", "燃油系统控制状态（压燃式）",
        f_92, 0),
    PID(0x93, 3, "wwh_counters", "WWH-OBD vehicle OBD counters", "WWH-OBD 整车 OBD 计数器", f_93, 0),
    PID(0x94, 12, "nox_warning", "NOx warning and inducement system", "NOx 警告与驾驶性能限制系统", f_94, 0),
    PID(0x98, 9, "egt_b1_s5_8", "Exhaust gas temperature bank 1 sensors 5-8", "排气温度 缸组 1 传感器 5-8", f_98, 0),
    PID(0x99, 9, "egt_b2_s5_8", "Exhaust gas temperature bank 2 sensors 5-8", "排气温度 缸组 2 传感器 5-8", f_99, 0),
    PID(0x9A, 6, "hybrid_ev_battery", "Hybrid/EV system data: battery voltage and current", "混动/电动系统数据：电池电压与电流",
        f_9a, 0),
    PID(0x9B, 4, "def_sensor", "Diesel exhaust fluid sensor data", "尿素溶液（DEF）传感器数据", f_9b, 0),
    PID(0x9C, 17, "o2_sensor_data", "O2 sensors 3/4: concentration and lambda", "氧传感器 3/4：氧浓度与 λ", f_9c, 0),
    PID(0x9D, 4, "fuel_rate_mass", "Engine and vehicle fuel rate", "发动机与整车燃油质量流量", f_9d, 0),
    PID(0x9E, 2, "exhaust_flow", "Engine exhaust flow rate", "发动机排气流量", f_9e, 0),
    PID(0x9F, 9, "fuel_system_use", "Fuel system percentage use", "燃油系统使用比例", f_9f, 0),
    PID(0xA0, 4, "pids_a1_c0", "PIDs supported [A1-C0]", "支持的 PID [A1-C0]", f_bitmap, BM),
    PID(0xA1, 9, "nox_corrected", "NOx sensor corrected data", "NOx 传感器修正数据", f_a1, 0),
    PID(0xA2, 2, "cylinder_fuel_rate", "Cylinder fuel rate", "单缸喷油量", f_a2, 0),
    PID(0xA3, 9, "evap_vapor_pressure_ab", "Evap. system vapor pressure A/B", "蒸发系统蒸气压力 A/B", f_a3, 0),
    PID(0xA4, 4, "gear", "Transmission actual gear", "变速器当前挡位", f_a4, 0),
    PID(0xA5, 4, "def_dosing", "Commanded diesel exhaust fluid dosing", "尿素喷射指令", f_a5, 0),
    PID(0xA6, 4, "odometer", "Odometer", "总里程", f_a6, 0),
    PID(0xA7, 4, "nox_sensors_3_4", "NOx sensor concentration sensors 3 and 4", "NOx 传感器 3、4 浓度", f_raw4, 0),
    PID(0xA8, 4, "nox_corrected_3_4", "NOx sensor corrected concentration sensors 3 and 4", "NOx 传感器 3、4 修正浓度",
        f_raw4, 0),
    PID(0xA9, 4, "abs_switch", "ABS disable switch state", "ABS 关闭开关状态", f_raw4, 0),
    PID(0xC0, 4, "pids_c1_e0", "PIDs supported [C1-E0]", "支持的 PID [C1-E0]", f_bitmap, BM),
};

const size_t obd_pid_table_len = sizeof obd_pid_table / sizeof obd_pid_table[0];
