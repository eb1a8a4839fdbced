/*
 * dtc.c — J2012 two-byte and UDS three-byte DTC text forms, category, scope,
 * failure-type and status-bit names. Pure.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "obdgw/dtc.h"

static const char letters[4] = { 'P', 'C', 'B', 'U' };
static const char hexd[] = "0123456789ABCDEF";

void obd_dtc_format(obd_dtc_t raw, char out[OBD_DTC_TEXT_LEN])
{
    out[0] = letters[raw >> 14];
    out[1] = (char)('0' + ((raw >> 12) & 3));
    out[2] = hexd[(raw >> 8) & 0xF];
    out[3] = hexd[(raw >> 4) & 0xF];
    out[4] = hexd[raw & 0xF];
    out[5] = 0;
}


int obd_dtc_parse(const char *s, obd_dtc_t *raw)
{
    if (!s || strlen(s) != 5)
        return OBD_EFORMAT;
    int l;
    switch (toupper((unsigned char)s[0])) {
    case 'P': l = 0; break;
    case 'C': l = 1; break;
    case 'B': l = 2; break;
    case 'U': l = 3; break;
    default: return OBD_EFORMAT;
    }
    if (s[1] < '0' || s[1] > '3')
        return OBD_EFORMAT;
    int h[3];
    for (int i = 0; i < 3; i++)
        if ((h[i] = obd_hex_digit(s[2 + i])) < 0)
            return OBD_EFORMAT;
    if (raw)
        *raw = (obd_dtc_t)((l << 14) | ((s[1] - '0') << 12) | (h[0] << 8) | (h[1] << 4) | h[2]);
    return OBD_OK;
}

char obd_dtc_letter(obd_dtc_t raw) { return letters[raw >> 14]; }

const char *obd_dtc_category_name(obd_dtc_cat_t cat, obd_lang_t lang)
{
    static const char *en[4] = { "Powertrain", "Chassis", "Body", "Network" };
    static const char *zh[4] = { "动力系统", "底盘", "车身", "网络通信" };
    return lang == OBD_LANG_ZH ? zh[cat & 3] : en[cat & 3];
}

obd_dtc_scope_t obd_dtc_scope(obd_dtc_t raw)
{
    unsigned l = raw >> 14, d1 = (raw >> 12) & 3, d2 = (raw >> 8) & 0xF;
    if (l == 0) { /* P */
        if (d1 == 0 || d1 == 2)
            return OBD_DTC_GENERIC;
        if (d1 == 1)
            return OBD_DTC_MANUFACTURER;
        return d2 >= 4 ? OBD_DTC_GENERIC : OBD_DTC_MANUFACTURER; /* P34-P3F SAE, P30-P33 OEM */
    }
    if (d1 == 0)
        return OBD_DTC_GENERIC;
    if (d1 == 3)
        return OBD_DTC_RESERVED;
    return OBD_DTC_MANUFACTURER;
}

const char *obd_dtc_scope_name(obd_dtc_scope_t s, obd_lang_t lang)
{
    static const char *en[3] = { "generic", "manufacturer-specific", "reserved" };
    static const char *zh[3] = { "通用", "厂家自定义", "保留" };
    return lang == OBD_LANG_ZH ? zh[s % 3] : en[s % 3];
}

void uds_dtc_format(uint32_t code24, char out[UDS_DTC_TEXT_LEN])
{
    obd_dtc_format(uds_dtc_base(code24), out);
    out[5] = '-';
    out[6] = hexd[(code24 >> 4) & 0xF];
    out[7] = hexd[code24 & 0xF];
    out[8] = 0;
}

int uds_dtc_parse(const char *s, uint32_t *code24)
{
    if (!s)
        return OBD_EFORMAT;
    size_t n = strlen(s);
    char base[6];
    int ftb = 0;
    if (n == 5) {
        ftb = 0;
    } else if (n == 7 || (n == 8 && s[5] == '-')) {
        const char *f = s + n - 2;
        int a = obd_hex_digit(f[0]), b = obd_hex_digit(f[1]);
        if (a < 0 || b < 0)
            return OBD_EFORMAT;
        ftb = a * 16 + b;
    } else {
        return OBD_EFORMAT;
    }
    memcpy(base, s, 5);
    base[5] = 0;
    obd_dtc_t raw;
    int rc = obd_dtc_parse(base, &raw);
    if (rc)
        return rc;
    if (code24)
        *code24 = ((uint32_t)raw << 8) | (uint32_t)ftb;
    return OBD_OK;
}

/* Failure-type bytes: SAE J2012-DA / ISO 15031-6 Annex C categories. */
static const struct { uint8_t ftb; const char *en, *zh; } ftbs[] = {
    { 0x00, "No sub-type information", "无子类型信息" },
    { 0x01, "General electrical failure", "一般电气故障" },
    { 0x02, "General signal failure", "一般信号故障" },
    { 0x03, "FM/PWM failure", "调频/脉宽调制故障" },
    { 0x04, "System internal failure", "系统内部故障" },
    { 0x05, "System programming failure", "系统编程故障" },
    { 0x06, "Algorithm-based failure", "算法判定故障" },
    { 0x07, "Mechanical failure", "机械故障" },
    { 0x08, "Bus signal / message failure", "总线信号/报文故障" },
    { 0x09, "Component failure", "部件故障" },
    { 0x11, "Circuit short to ground", "电路对地短路" },
    { 0x12, "Circuit short to battery", "电路对电源短路" },
    { 0x13, "Circuit open", "电路断路" },
    { 0x14, "Circuit short to ground or open", "电路对地短路或断路" },
    { 0x15, "Circuit short to battery or open", "电路对电源短路或断路" },
    { 0x16, "Circuit voltage below threshold", "电路电压低于阈值" },
    { 0x17, "Circuit voltage above threshold", "电路电压高于阈值" },
    { 0x18, "Circuit current below threshold", "电路电流低于阈值" },
    { 0x19, "Circuit current above threshold", "电路电流高于阈值" },
    { 0x1A, "Circuit resistance below threshold", "电路电阻低于阈值" },
    { 0x1B, "Circuit resistance above threshold", "电路电阻高于阈值" },
    { 0x1C, "Circuit voltage out of range", "电路电压超出范围" },
    { 0x1D, "Circuit current out of range", "电路电流超出范围" },
    { 0x1E, "Circuit resistance out of range", "电路电阻超出范围" },
    { 0x1F, "Circuit intermittent", "电路间歇性故障" },
    { 0x21, "Signal amplitude below minimum", "信号幅值低于最小值" },
    { 0x22, "Signal amplitude above maximum", "信号幅值高于最大值" },
    { 0x23, "Signal stuck low", "信号卡在低位" },
    { 0x24, "Signal stuck high", "信号卡在高位" },
    { 0x25, "Signal shape / waveform failure", "信号波形故障" },
    { 0x26, "Signal rate of change below threshold", "信号变化率低于阈值" },
    { 0x27, "Signal rate of change above threshold", "信号变化率高于阈值" },
    { 0x28, "Signal bias level out of range / zero adjustment failure", "信号偏置超出范围/零点调整失败" },
    { 0x29, "Signal invalid", "信号无效" },
    { 0x2F, "Signal erratic", "信号不稳定" },
    { 0x31, "No signal", "无信号" },
    { 0x32, "Signal low time below minimum", "信号低电平时间低于最小值" },
    { 0x33, "Signal low time above maximum", "信号低电平时间高于最大值" },
    { 0x34, "Signal high time below minimum", "信号高电平时间低于最小值" },
    { 0x35, "Signal high time above maximum", "信号高电平时间高于最大值" },
    { 0x36, "Signal frequency too low", "信号频率过低" },
    { 0x37, "Signal frequency too high", "信号频率过高" },
    { 0x38, "Signal frequency incorrect", "信号频率不正确" },
    { 0x39, "Incorrect number of pulses", "脉冲数不正确" },
    { 0x41, "General checksum failure", "一般校验和故障" },
    { 0x42, "General memory failure", "一般存储器故障" },
    { 0x43, "Special memory failure", "特殊存储器故障" },
    { 0x44, "Data memory failure", "数据存储器故障" },
    { 0x45, "Program memory failure", "程序存储器故障" },
    { 0x46, "Calibration / parameter memory failure", "标定/参数存储器故障" },
    { 0x47, "Watchdog / safety processor failure", "看门狗/安全处理器故障" },
    { 0x48, "Supervision software failure", "监控软件故障" },
    { 0x49, "Internal electronic failure", "内部电子故障" },
    { 0x4A, "Incorrect component installed", "安装的部件不正确" },
    { 0x4B, "Over temperature", "温度过高" },
    { 0x51, "Not programmed", "未编程" },
    { 0x52, "Not activated", "未激活" },
    { 0x53, "Deactivated", "已停用" },
    { 0x54, "Missing calibration", "缺少标定" },
    { 0x55, "Not configured", "未配置" },
    { 0x61, "Signal calculation failure", "信号计算故障" },
    { 0x62, "Signal compare failure", "信号比较故障" },
    { 0x63, "Circuit / component protection time-out", "电路/部件保护超时" },
    { 0x64, "Signal plausibility failure", "信号合理性故障" },
    { 0x65, "Signal has too few transitions / events", "信号跳变/事件过少" },
    { 0x66, "Signal has too many transitions / events", "信号跳变/事件过多" },
    { 0x67, "Signal incorrect after event", "事件后信号不正确" },
    { 0x68, "Event information", "事件信息" },
    { 0x71, "Actuator stuck", "执行器卡滞" },
    { 0x72, "Actuator stuck open", "执行器卡在打开位置" },
    { 0x73, "Actuator stuck closed", "执行器卡在关闭位置" },
    { 0x74, "Actuator slipping", "执行器打滑" },
    { 0x75, "Emergency position not reachable", "无法到达应急位置" },
    { 0x76, "Wrong mounting position", "安装位置错误" },
    { 0x77, "Commanded position not reachable", "无法到达指令位置" },
    { 0x78, "Alignment or adjustment incorrect", "对准或调整不正确" },
    { 0x79, "Mechanical linkage failure", "机械连接故障" },
    { 0x7A, "Fluid leak or seal failure", "液体泄漏或密封失效" },
    { 0x7B, "Low fluid level", "液位过低" },
    { 0x81, "Invalid serial data received", "接收到无效串行数据" },
    { 0x82, "Alive / sequence counter incorrect or not updated", "活动/序列计数器错误或未更新" },
    { 0x83, "Value of signal protection calculation incorrect", "信号保护校验值不正确" },
    { 0x84, "Signal below allowable range", "信号低于允许范围" },
    { 0x85, "Signal above allowable range", "信号高于允许范围" },
    { 0x86, "Signal invalid", "信号无效" },
    { 0x87, "Missing message", "报文丢失" },
    { 0x88, "Bus off", "总线关闭" },
    { 0x8F, "Erratic", "不稳定" },
    { 0x91, "Parametric", "参数故障" },
    { 0x92, "Performance or incorrect operation", "性能或工作不正常" },
    { 0x93, "No operation", "不工作" },
    { 0x94, "Unexpected operation", "意外动作" },
    { 0x95, "Incorrect assembly", "装配不正确" },
    { 0x96, "Component internal failure", "部件内部故障" },
    { 0x97, "Component or system operation obstructed or blocked", "部件或系统运行受阻" },
    { 0x98, "Component or system over temperature", "部件或系统温度过高" },
};

const char *uds_ftb_name(uint8_t ftb, obd_lang_t lang)
{
    for (size_t i = 0; i < sizeof ftbs / sizeof ftbs[0]; i++)
        if (ftbs[i].ftb == ftb)
            return lang == OBD_LANG_ZH ? ftbs[i].zh : ftbs[i].en;
    return NULL;
}

static const struct { const char *key, *en, *zh; } status_bits[8] = {
    { "test_failed", "Test failed", "测试失败" },
    { "test_failed_this_cycle", "Test failed this operation cycle", "本工作循环测试失败" },
    { "pending", "Pending", "待定" },
    { "confirmed", "Confirmed", "已确认" },
    { "not_completed_since_clear", "Test not completed since last clear", "清除后测试未完成" },
    { "failed_since_clear", "Test failed since last clear", "清除后测试失败过" },
    { "not_completed_this_cycle", "Test not completed this operation cycle", "本工作循环测试未完成" },
    { "warning_indicator", "Warning indicator requested", "请求点亮警告灯" },
};

const char *uds_status_bit_key(int bit) { return (bit >= 0 && bit < 8) ? status_bits[bit].key : NULL; }

const char *uds_status_bit_name(int bit, obd_lang_t lang)
{
    if (bit < 0 || bit >= 8)
        return NULL;
    return lang == OBD_LANG_ZH ? status_bits[bit].zh : status_bits[bit].en;
}
