/*
 * uds.c — ISO 14229-1 request builders, reply parsers, NRC and DID tables.
 * Pure: bytes in, structs out; every read of reply bytes goes through
 * obd_cur_t. See include/obdgw/uds.h for the contracts.
 */
#include <stddef.h>
#include <string.h>

#include "obdgw/obd.h"
#include "obdgw/uds.h"

/* ---------------- request builders ---------------- */

int uds_req_session(uint8_t *buf, size_t cap, uint8_t session, bool suppress)
{
    /* 0x00 is ISO-reserved and bit 7 is the suppress flag, not part of the type */
    if (session == 0 || (session & UDS_SUPPRESS_POS_RSP))
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_SESSION);
    obd_buf_u8(&b, (uint8_t)(session | (suppress ? UDS_SUPPRESS_POS_RSP : 0)));
    return obd_buf_done(&b);
}

int uds_req_tester_present(uint8_t *buf, size_t cap, bool suppress)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_TESTER_PRESENT);
    obd_buf_u8(&b, suppress ? UDS_SUPPRESS_POS_RSP : 0x00); /* zeroSubFunction */
    return obd_buf_done(&b);
}

int uds_req_read_did(uint8_t *buf, size_t cap, const uint16_t *dids, size_t ndids)
{
    if (!dids || ndids == 0 || ndids > UDS_MAX_DIDS)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DID);
    for (size_t i = 0; i < ndids; i++)
        obd_buf_u16(&b, dids[i]);
    return obd_buf_done(&b);
}

static int req_dtc_mask(uint8_t *buf, size_t cap, uint8_t subfn, uint8_t mask)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DTC);
    obd_buf_u8(&b, subfn);
    obd_buf_u8(&b, mask);
    return obd_buf_done(&b);
}

int uds_req_dtc_count(uint8_t *buf, size_t cap, uint8_t status_mask)
{
    return req_dtc_mask(buf, cap, UDS_RDTC_COUNT_BY_MASK, status_mask);
}

int uds_req_dtc_by_status(uint8_t *buf, size_t cap, uint8_t status_mask)
{
    return req_dtc_mask(buf, cap, UDS_RDTC_BY_MASK, status_mask);
}

static int req_dtc_record(uint8_t *buf, size_t cap, uint8_t subfn, uint32_t code24, uint8_t record)
{
    if (code24 > 0xFFFFFFu)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DTC);
    obd_buf_u8(&b, subfn);
    obd_buf_u24(&b, code24);
    obd_buf_u8(&b, record);
    return obd_buf_done(&b);
}

int uds_req_dtc_snapshot(uint8_t *buf, size_t cap, uint32_t code24, uint8_t record)
{
    return req_dtc_record(buf, cap, UDS_RDTC_SNAPSHOT, code24, record);
}

int uds_req_dtc_extdata(uint8_t *buf, size_t cap, uint32_t code24, uint8_t record)
{
    return req_dtc_record(buf, cap, UDS_RDTC_EXTDATA, code24, record);
}

static int req_dtc_plain(uint8_t *buf, size_t cap, uint8_t subfn)
{
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_READ_DTC);
    obd_buf_u8(&b, subfn);
    return obd_buf_done(&b);
}

int uds_req_dtc_supported(uint8_t *buf, size_t cap) { return req_dtc_plain(buf, cap, UDS_RDTC_SUPPORTED); }

int uds_req_dtc_permanent(uint8_t *buf, size_t cap) { return req_dtc_plain(buf, cap, UDS_RDTC_PERMANENT); }

int uds_req_clear(uint8_t *buf, size_t cap, uint32_t group24)
{
    if (group24 > 0xFFFFFFu)
        return OBD_EINVAL;
    obd_buf_t b = obd_buf(buf, cap);
    obd_buf_u8(&b, UDS_SVC_CLEAR_DTC);
    obd_buf_u24(&b, group24);
    return obd_buf_done(&b);
}

/* ---------------- common reply head ---------------- */

int uds_check_reply(const uint8_t *p, size_t n, uint8_t sid, obd_nr_t *nr)
{
    /* UDS and J1979 share the reply head: SID + 0x40, or 7F SID NRC. */
    return obd_check_reply(p, n, sid, nr);
}

/* ---------------- negative response codes ---------------- */

typedef struct {
    const char *key, *en, *zh;
} nrc_text_t;

/* ISO 14229-1:2020 Annex A.1; indexed by code, unassigned rows are empty. */
static const nrc_text_t nrc_texts[256] = {
    [0x10] = { "generalReject", "General reject", "一般拒绝" },
    [0x11] = { "serviceNotSupported", "Service not supported", "不支持该服务" },
    [0x12] = { "subFunctionNotSupported", "Sub-function not supported", "不支持该子功能" },
    [0x13] = { "incorrectMessageLengthOrInvalidFormat", "Incorrect message length or invalid format",
               "报文长度错误或格式无效" },
    [0x14] = { "responseTooLong", "Response too long", "应答过长" },
    [0x21] = { "busyRepeatRequest", "Busy, repeat request", "ECU 忙，请重发请求" },
    [0x22] = { "conditionsNotCorrect", "Conditions not correct", "条件不满足" },
    [0x24] = { "requestSequenceError", "Request sequence error", "请求顺序错误" },
    [0x25] = { "noResponseFromSubnetComponent", "No response from sub-net component", "子网部件无应答" },
    [0x26] = { "failurePreventsExecutionOfRequestedAction", "A stored fault prevents the requested action",
               "存在故障，无法执行请求" },
    [0x31] = { "requestOutOfRange", "Request out of range", "请求超出范围" },
    [0x33] = { "securityAccessDenied", "Security access denied", "安全访问被拒绝" },
    [0x34] = { "authenticationRequired", "Authentication required", "需要身份认证" },
    [0x35] = { "invalidKey", "Invalid key", "密钥无效" },
    [0x36] = { "exceedNumberOfAttempts", "Exceeded number of attempts", "尝试次数超限" },
    [0x37] = { "requiredTimeDelayNotExpired", "Required time delay not expired", "规定的等待时间未到" },
    [0x38] = { "secureDataTransmissionRequired", "Secure data transmission required", "需要安全数据传输" },
    [0x39] = { "secureDataTransmissionNotAllowed", "Secure data transmission not allowed", "不允许安全数据传输" },
    [0x3A] = { "secureDataVerificationFailed", "Secure data verification failed", "安全数据校验失败" },
    [0x50] = { "certificateVerificationFailedInvalidTimePeriod", "Certificate rejected: outside its validity period",
               "证书校验失败：不在有效期内" },
    [0x51] = { "certificateVerificationFailedInvalidSignature", "Certificate rejected: invalid signature",
               "证书校验失败：签名无效" },
    [0x52] = { "certificateVerificationFailedInvalidChainOfTrust", "Certificate rejected: invalid chain of trust",
               "证书校验失败：信任链无效" },
    [0x53] = { "certificateVerificationFailedInvalidType", "Certificate rejected: invalid type",
               "证书校验失败：类型无效" },
    [0x54] = { "certificateVerificationFailedInvalidFormat", "Certificate rejected: invalid format",
               "证书校验失败：格式无效" },
    [0x55] = { "certificateVerificationFailedInvalidContent", "Certificate rejected: invalid content",
               "证书校验失败：内容无效" },
    [0x56] = { "certificateVerificationFailedInvalidScope", "Certificate rejected: invalid scope",
               "证书校验失败：范围无效" },
    [0x57] = { "certificateVerificationFailedInvalidCertificate", "Certificate rejected: revoked or invalid",
               "证书校验失败：证书无效或已吊销" },
    [0x58] = { "ownershipVerificationFailed", "Ownership verification failed", "所有权校验失败" },
    [0x59] = { "challengeCalculationFailed", "Challenge calculation failed", "挑战码计算失败" },
    [0x5A] = { "settingAccessRightsFailed", "Setting access rights failed", "访问权限设置失败" },
    [0x5B] = { "sessionKeyCreationOrDerivationFailed", "Session key creation failed", "会话密钥生成失败" },
    [0x5C] = { "configurationDataUsageFailed", "Configuration data usage failed", "配置数据使用失败" },
    [0x5D] = { "deAuthenticationFailed", "De-authentication failed", "解除认证失败" },
    [0x70] = { "uploadDownloadNotAccepted", "Upload/download not accepted", "不接受上传/下载" },
    [0x71] = { "transferDataSuspended", "Data transfer suspended", "数据传输已中止" },
    [0x72] = { "generalProgrammingFailure", "General programming failure", "编程失败" },
    [0x73] = { "wrongBlockSequenceCounter", "Wrong block sequence counter", "数据块序号错误" },
    [0x78] = { "responsePending", "Request received, response pending", "请求已收到，应答待定" },
    [0x7E] = { "subFunctionNotSupportedInActiveSession", "Sub-function not supported in the active session",
               "当前会话不支持该子功能" },
    [0x7F] = { "serviceNotSupportedInActiveSession", "Service not supported in the active session",
               "当前会话不支持该服务" },
    [0x81] = { "rpmTooHigh", "Engine speed too high", "发动机转速过高" },
    [0x82] = { "rpmTooLow", "Engine speed too low", "发动机转速过低" },
    [0x83] = { "engineIsRunning", "Engine is running", "发动机正在运转" },
    [0x84] = { "engineIsNotRunning", "Engine is not running", "发动机未运转" },
    [0x85] = { "engineRunTimeTooLow", "Engine run time too short", "发动机运转时间过短" },
    [0x86] = { "temperatureTooHigh", "Temperature too high", "温度过高" },
    [0x87] = { "temperatureTooLow", "Temperature too low", "温度过低" },
    [0x88] = { "vehicleSpeedTooHigh", "Vehicle speed too high", "车速过高" },
    [0x89] = { "vehicleSpeedTooLow", "Vehicle speed too low", "车速过低" },
    [0x8A] = { "throttlePedalTooHigh", "Throttle/pedal position too high", "节气门/踏板开度过大" },
    [0x8B] = { "throttlePedalTooLow", "Throttle/pedal position too low", "节气门/踏板开度过小" },
    [0x8C] = { "transmissionRangeNotInNeutral", "Transmission not in neutral", "变速器不在空挡" },
    [0x8D] = { "transmissionRangeNotInGear", "Transmission not in gear", "变速器未挂挡" },
    [0x8F] = { "brakeSwitchNotClosed", "Brake pedal not pressed (brake switch open)", "未踩制动踏板（制动开关未闭合）" },
    [0x90] = { "shifterLeverNotInPark", "Gear lever not in park", "换挡杆不在 P 挡" },
    [0x91] = { "torqueConverterClutchLocked", "Torque converter clutch locked", "变矩器离合器已锁止" },
    [0x92] = { "voltageTooHigh", "Supply voltage too high", "供电电压过高" },
    [0x93] = { "voltageTooLow", "Supply voltage too low", "供电电压过低" },
    [0x94] = { "resourceTemporarilyNotAvailable", "Resource temporarily not available", "资源暂时不可用" },
};

const char *uds_nrc_key(uint8_t nrc)
{
    if (nrc_texts[nrc].key)
        return nrc_texts[nrc].key;
    if (nrc >= 0x3B && nrc <= 0x4F)
        return "reservedByExtendedDataLinkSecurityDocument";
    if (nrc >= 0x95 && nrc <= 0xEF)
        return "reservedForSpecificConditionsNotCorrect";
    if (nrc >= 0xF0 && nrc <= 0xFE)
        return "vehicleManufacturerSpecificConditionsNotCorrect";
    return "isoSaeReserved";
}

const char *uds_nrc_name(uint8_t nrc, obd_lang_t lang)
{
    const nrc_text_t *t = &nrc_texts[nrc];
    if (t->key)
        return obd_tr(lang, t->en, t->zh);
    if (nrc >= 0x95 && nrc <= 0xEF)
        return obd_tr(lang, "Conditions not correct (ISO-reserved condition)", "条件不满足（ISO 保留的条件）");
    if (nrc >= 0xF0 && nrc <= 0xFE)
        return obd_tr(lang, "Conditions not correct (manufacturer-specific)", "条件不满足（主机厂自定义）");
    return obd_tr(lang, "reserved NRC", "ISO 保留的否定响应码");
}

bool uds_nrc_is_pending(uint8_t nrc) { return nrc == 0x78; }

uds_nrc_class_t uds_nrc_class(uint8_t nrc)
{
    switch (nrc) {
    case 0x78: return UDS_NRC_CLASS_PENDING;
    case 0x21:
    case 0x94: return UDS_NRC_CLASS_RETRY;
    case 0x11:
    case 0x12:
    case 0x31:
    case 0x7E:
    case 0x7F: return UDS_NRC_CLASS_NOT_SUPPORTED;
    case 0x22:
    case 0x26: return UDS_NRC_CLASS_CONDITIONS;
    default: break;
    }
    /* 0x33-0x37 security access / authentication, 0x38-0x4F secured data
     * transmission, 0x50-0x5D certificate and authentication (ISO 14229-1:2020) */
    if ((nrc >= 0x33 && nrc <= 0x4F) || (nrc >= 0x50 && nrc <= 0x5D))
        return UDS_NRC_CLASS_SECURITY;
    /* 0x81-0x93 named vehicle conditions, 0x95-0xEF reserved for more,
     * 0xF0-0xFE manufacturer conditions */
    if ((nrc >= 0x81 && nrc <= 0x93) || (nrc >= 0x95 && nrc <= 0xFE))
        return UDS_NRC_CLASS_CONDITIONS;
    return UDS_NRC_CLASS_OTHER;
}

static const struct {
    const char *key, *en, *zh;
} nrc_classes[UDS_NRC_CLASS_COUNT] = {
    [UDS_NRC_CLASS_OTHER] = { "other", "Request refused by the ECU", "ECU 拒绝了请求" },
    [UDS_NRC_CLASS_PENDING] = { "pending", "ECU is still working, waiting", "ECU 正在处理，等待中" },
    [UDS_NRC_CLASS_RETRY] = { "retry", "ECU busy, retry later", "ECU 忙，稍后重试" },
    [UDS_NRC_CLASS_CONDITIONS] = { "conditions", "Vehicle conditions not met", "车辆状态不满足条件" },
    [UDS_NRC_CLASS_SECURITY] = { "security", "Needs OEM authorisation", "需要主机厂授权" },
    [UDS_NRC_CLASS_NOT_SUPPORTED] = { "not_supported", "Not supported by this ECU", "该 ECU 不支持" },
};

const char *uds_nrc_class_key(uds_nrc_class_t c)
{
    return (unsigned)c < UDS_NRC_CLASS_COUNT ? nrc_classes[c].key : "other";
}

const char *uds_nrc_class_name(uds_nrc_class_t c, obd_lang_t lang)
{
    if ((unsigned)c >= UDS_NRC_CLASS_COUNT)
        c = UDS_NRC_CLASS_OTHER;
    return obd_tr(lang, nrc_classes[c].en, nrc_classes[c].zh);
}

/* ---------------- sessions ---------------- */

const char *uds_session_name(uint8_t session, obd_lang_t lang)
{
    switch (session & 0x7F) {
    case UDS_SESSION_DEFAULT: return obd_tr(lang, "Default session", "默认会话");
    case UDS_SESSION_PROGRAMMING: return obd_tr(lang, "Programming session", "编程会话");
    case UDS_SESSION_EXTENDED: return obd_tr(lang, "Extended diagnostic session", "扩展诊断会话");
    case UDS_SESSION_SAFETY: return obd_tr(lang, "Safety system diagnostic session", "安全系统诊断会话");
    default: break;
    }
    if ((session & 0x7F) >= 0x40 && (session & 0x7F) <= 0x5F)
        return obd_tr(lang, "Manufacturer-specific session", "主机厂自定义会话");
    if ((session & 0x7F) >= 0x60 && (session & 0x7F) <= 0x7E)
        return obd_tr(lang, "Supplier-specific session", "供应商自定义会话");
    return obd_tr(lang, "Reserved session type", "ISO 保留的会话类型");
}

/* ---------------- $50 / $7E / $54 ---------------- */

int uds_parse_session_reply(const uint8_t *p, size_t n, uint8_t session, uds_session_reply_t *out)
{
    if (!out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = uds_check_reply(p, n, UDS_SVC_SESSION, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    obd_cur_u8(&c);
    out->session = obd_cur_u8(&c);
    if (c.err)
        return c.err;
    if (session && out->session != (session & 0x7F))
        return OBD_EPID;
    if (obd_cur_left(&c) == 0)
        return OBD_OK; /* session byte only: timings absent */
    uint16_t p2 = obd_cur_u16(&c);
    uint16_t p2star = obd_cur_u16(&c);
    if (c.err)
        return c.err;
    if (obd_cur_left(&c))
        return OBD_ELEN;
    out->has_timing = true;
    out->p2_ms = p2;
    out->p2star_ms = (uint32_t)p2star * 10u;
    return OBD_OK;
}

int uds_parse_tester_present_reply(const uint8_t *p, size_t n, obd_nr_t *nr)
{
    obd_nr_t local;
    int rc = uds_check_reply(p, n, UDS_SVC_TESTER_PRESENT, &local);
    if (nr)
        *nr = local;
    if (rc || local.negative)
        return rc;
    if (n < 2)
        return OBD_ESHORT;
    if (p[1] != 0x00)
        return OBD_EPID;
    return n == 2 ? OBD_OK : OBD_ELEN;
}

int uds_parse_clear_reply(const uint8_t *p, size_t n, obd_nr_t *nr)
{
    obd_nr_t local;
    int rc = uds_check_reply(p, n, UDS_SVC_CLEAR_DTC, &local);
    if (nr)
        *nr = local;
    if (rc || local.negative)
        return rc;
    return n == 1 ? OBD_OK : OBD_ELEN;
}

/* ---------------- DIDs ---------------- */

/* ISO 14229-1 Annex C.1, F180-F19F, contiguous so the lookup is an index.
 * Dates (F18B, F199, F19B, F19D) are BCD in OEM-chosen layouts: not text,
 * variable. Software identification/fingerprint records (F180-F185) carry a
 * module count and OEM structure: not text. */
#define DID_FIRST 0xF180
#define DID_LAST 0xF19F
static const uds_did_info_t did_table[DID_LAST - DID_FIRST + 1] = {
    { 0xF180, 0, false, "boot_software_id", "Boot software identification", "引导程序软件标识" },
    { 0xF181, 0, false, "application_software_id", "Application software identification", "应用软件标识" },
    { 0xF182, 0, false, "application_data_id", "Application data identification", "应用数据标识" },
    { 0xF183, 0, false, "boot_software_fingerprint", "Boot software fingerprint (last update)",
      "引导程序软件指纹（最近一次更新）" },
    { 0xF184, 0, false, "application_software_fingerprint", "Application software fingerprint (last update)",
      "应用软件指纹（最近一次更新）" },
    { 0xF185, 0, false, "application_data_fingerprint", "Application data fingerprint (last update)",
      "应用数据指纹（最近一次更新）" },
    { 0xF186, 1, false, "active_session", "Active diagnostic session", "当前诊断会话" },
    { 0xF187, 0, true, "spare_part_number", "Manufacturer spare part number", "主机厂备件号" },
    { 0xF188, 0, true, "ecu_software_number", "Manufacturer ECU software number", "主机厂 ECU 软件号" },
    { 0xF189, 0, true, "ecu_software_version", "Manufacturer ECU software version", "主机厂 ECU 软件版本号" },
    { 0xF18A, 0, true, "system_supplier_id", "System supplier identifier", "系统供应商代码" },
    { 0xF18B, 0, false, "ecu_manufacturing_date", "ECU manufacturing date", "ECU 生产日期" },
    { 0xF18C, 0, true, "ecu_serial_number", "ECU serial number", "ECU 序列号" },
    { 0xF18D, 0, false, "supported_functional_units", "Supported functional units", "支持的功能单元" },
    { 0xF18E, 0, true, "kit_assembly_part_number", "Manufacturer kit assembly part number", "主机厂总成套件零件号" },
    { 0xF18F, 0, false, "regulation_software_ids", "Regulation software identification numbers (RxSWIN)",
      "法规软件识别号（RxSWIN）" },
    { 0xF190, 17, true, "vin", "Vehicle identification number (VIN)", "车辆识别代号（VIN）" },
    { 0xF191, 0, true, "ecu_hardware_number", "Manufacturer ECU hardware number", "主机厂 ECU 硬件号" },
    { 0xF192, 0, true, "supplier_hardware_number", "Supplier ECU hardware number", "供应商 ECU 硬件号" },
    { 0xF193, 0, true, "supplier_hardware_version", "Supplier ECU hardware version", "供应商 ECU 硬件版本号" },
    { 0xF194, 0, true, "supplier_software_number", "Supplier ECU software number", "供应商 ECU 软件号" },
    { 0xF195, 0, true, "supplier_software_version", "Supplier ECU software version", "供应商 ECU 软件版本号" },
    { 0xF196, 0, true, "type_approval_number", "Exhaust regulation / type approval number", "排放法规或型式认证编号" },
    { 0xF197, 0, true, "system_name", "System name or engine type", "系统名称或发动机型号" },
    { 0xF198, 0, true, "programming_shop_code", "Repair shop code / tester serial number of the last programming",
      "最近一次编程的维修站代码或诊断仪序列号" },
    { 0xF199, 0, false, "programming_date", "Programming date", "编程日期" },
    { 0xF19A, 0, true, "calibration_shop_code", "Repair shop code / equipment serial number of the last calibration",
      "最近一次标定的维修站代码或设备序列号" },
    { 0xF19B, 0, false, "calibration_date", "Calibration date", "标定日期" },
    { 0xF19C, 0, true, "calibration_equipment_software", "Calibration equipment software number", "标定设备软件号" },
    { 0xF19D, 0, false, "ecu_installation_date", "ECU installation date", "ECU 装车日期" },
    { 0xF19E, 0, true, "odx_file", "ODX file reference", "ODX 数据文件标识" },
    { 0xF19F, 0, false, "entity", "Entity (secured data transmission)", "实体标识（安全数据传输）" },
};

const uds_did_info_t *uds_did_lookup(uint16_t did)
{
    if (did < DID_FIRST || did > DID_LAST)
        return NULL;
    return &did_table[did - DID_FIRST];
}

/* Data length of `did`: oracle first, then the table; 0 when unknown. */
static size_t did_len(uint16_t did, uds_did_len_fn len_of, void *ctx, const uds_did_info_t **info)
{
    *info = uds_did_lookup(did);
    if (len_of) {
        int l = len_of(did, ctx);
        if (l > 0)
            return (size_t)l;
    }
    return *info ? (*info)->len : 0;
}

int uds_parse_did_reply_ex(const uint8_t *p, size_t n, const uint16_t *asked, size_t nasked,
                           uds_did_len_fn len_of, void *ctx, uds_did_reply_t *out)
{
    if (!out || (nasked && !asked))
        return OBD_EINVAL;
    out->nr.negative = false;
    out->nr.nrc = 0;
    out->count = 0;
    if (nasked == 0)
        asked = NULL;
    int rc = uds_check_reply(p, n, UDS_SVC_READ_DID, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    obd_cur_u8(&c); /* SID */
    if (obd_cur_left(&c) == 0)
        return OBD_ESHORT;
    size_t next = 0; /* replies follow request order: search asked[] from here */
    while (obd_cur_left(&c) > 0) {
        if (obd_cur_left(&c) < 2) /* cut inside the first DID, or one stray byte after a record */
            return out->count ? OBD_ELEN : OBD_ESHORT;
        uint16_t did = obd_cur_u16(&c);
        bool last;
        if (asked) {
            size_t k = next;
            while (k < nasked && asked[k] != did)
                k++;
            if (k == nasked)
                return OBD_EPID;
            next = k + 1;
            last = next == nasked;
        } else {
            last = out->count == 0;
        }
        if (out->count == UDS_MAX_DIDS)
            return OBD_ENOSPC;
        uds_did_rec_t *r = &out->dids[out->count];
        size_t len = did_len(did, len_of, ctx, &r->info);
        if (len == 0) {
            /* no length on the wire: only the last DID can take the rest */
            if (!last)
                return OBD_EPID;
            len = obd_cur_left(&c);
            if (len == 0)
                return OBD_ESHORT;
        }
        r->data = obd_cur_take(&c, len);
        if (c.err)
            return c.err;
        r->did = did;
        r->len = len;
        out->count++;
    }
    return OBD_OK;
}

int uds_parse_did_reply(const uint8_t *p, size_t n, const uint16_t *asked, size_t nasked,
                        uds_did_reply_t *out)
{
    return uds_parse_did_reply_ex(p, n, asked, nasked, NULL, NULL, out);
}

static bool is_pad(uint8_t b) { return b == 0x00 || b == 0xFF || b == ' '; }

int uds_did_text(const uint8_t *data, size_t len, char *out, size_t cap)
{
    if (!out || cap == 0 || (!data && len))
        return OBD_EINVAL;
    out[0] = '\0';
    size_t a = 0, b = len;
    while (a < b && is_pad(data[a]))
        a++;
    while (b > a && is_pad(data[b - 1]))
        b--;
    for (size_t i = a; i < b; i++)
        if (data[i] < 0x20 || data[i] > 0x7E)
            return OBD_EFORMAT;
    if (b - a >= cap)
        return OBD_ENOSPC;
    if (b > a)
        memcpy(out, data + a, b - a);
    out[b - a] = '\0';
    return (int)(b - a);
}

/* ---------------- $59 ---------------- */

static bool known_subfn(uint8_t sf)
{
    switch (sf) {
    case UDS_RDTC_COUNT_BY_MASK:
    case UDS_RDTC_BY_MASK:
    case UDS_RDTC_SNAPSHOT:
    case UDS_RDTC_EXTDATA:
    case UDS_RDTC_SUPPORTED:
    case UDS_RDTC_PERMANENT: return true;
    default: return false;
    }
}

int uds_parse_dtc_reply(const uint8_t *p, size_t n, uint8_t subfn, uds_dtc_reply_t *out)
{
    if (!out || (subfn && !known_subfn(subfn & 0x7F)))
        return OBD_EINVAL;
    /* Zero the header only: dtcs[] is large and only [0, ndtcs) is valid. */
    memset(out, 0, offsetof(uds_dtc_reply_t, dtcs));
    out->dtc.code = 0;
    out->dtc.status = 0;
    out->records = NULL;
    out->records_len = 0;
    int rc = uds_check_reply(p, n, UDS_SVC_READ_DTC, &out->nr);
    if (rc || out->nr.negative)
        return rc;
    obd_cur_t c = obd_cur(p, n);
    obd_cur_u8(&c);
    uint8_t sf = obd_cur_u8(&c);
    if (c.err)
        return c.err;
    if (!known_subfn(sf) || (subfn && sf != (subfn & 0x7F)))
        return OBD_EPID;
    out->subfn = sf;
    switch (sf) {
    case UDS_RDTC_COUNT_BY_MASK:
        out->avail_mask = obd_cur_u8(&c);
        out->format = obd_cur_u8(&c);
        out->count = obd_cur_u16(&c);
        if (c.err)
            return c.err;
        return obd_cur_left(&c) ? OBD_ELEN : OBD_OK;
    case UDS_RDTC_SNAPSHOT:
    case UDS_RDTC_EXTDATA:
        out->dtc.code = obd_cur_u24(&c);
        out->dtc.status = obd_cur_u8(&c);
        if (c.err)
            return c.err;
        out->records_len = obd_cur_left(&c);
        out->records = out->records_len ? obd_cur_take(&c, out->records_len) : NULL;
        return OBD_OK;
    default: { /* 02, 0A, 15 */
        out->avail_mask = obd_cur_u8(&c);
        if (c.err)
            return c.err;
        size_t left = obd_cur_left(&c);
        if (left % 4)
            return OBD_ELEN;
        out->total = left / 4;
        out->ndtcs = out->total < UDS_MAX_DTCS ? out->total : UDS_MAX_DTCS;
        for (size_t i = 0; i < out->ndtcs; i++) {
            out->dtcs[i].code = obd_cur_u24(&c);
            out->dtcs[i].status = obd_cur_u8(&c);
        }
        return out->total > UDS_MAX_DTCS ? OBD_ENOSPC : OBD_OK;
    }
    }
}

const char *uds_dtc_format_id_name(uint8_t format, obd_lang_t lang)
{
    switch (format) {
    case 0x00: return obd_tr(lang, "SAE J2012-DA DTC format 00 (ISO 15031-6)", "SAE J2012-DA 故障码格式 00（ISO 15031-6）");
    case 0x01: return obd_tr(lang, "ISO 14229-1 DTC format", "ISO 14229-1 故障码格式");
    case 0x02: return obd_tr(lang, "SAE J1939-73 DTC format", "SAE J1939-73 故障码格式");
    case 0x03: return obd_tr(lang, "ISO 11992-4 DTC format", "ISO 11992-4 故障码格式");
    case 0x04: return obd_tr(lang, "SAE J2012-DA DTC format 04 (WWH-OBD)", "SAE J2012-DA 故障码格式 04（WWH-OBD）");
    default: return obd_tr(lang, "Reserved DTC format", "ISO 保留的故障码格式");
    }
}

int uds_snapshot_split(const uint8_t *raw, size_t len, uds_did_len_fn len_of, void *ctx,
                       uds_snapshot_t *recs, size_t cap, size_t *nrecs)
{
    if (nrecs)
        *nrecs = 0;
    if ((!raw && len) || (!recs && cap))
        return OBD_EINVAL;
    obd_cur_t c = obd_cur(raw, len);
    size_t found = 0;
    bool dropped = false;
    int rc = OBD_OK;
    while (obd_cur_left(&c) > 0) {
        uint8_t number = obd_cur_u8(&c);
        uint8_t nids = obd_cur_u8(&c);
        if (c.err) {
            rc = c.err;
            break;
        }
        uds_snapshot_t *r = found < cap ? &recs[found] : NULL;
        if (r) {
            r->number = number;
            r->nids = nids;
            r->count = 0;
        } else {
            dropped = true;
        }
        found++;
        /* nids 0: the count was not given; identifiers run to the end */
        for (unsigned i = 0; nids == 0 ? obd_cur_left(&c) > 0 : i < nids; i++) {
            uint16_t did = obd_cur_u16(&c);
            if (c.err)
                break;
            const uds_did_info_t *info;
            size_t dl = did_len(did, len_of, ctx, &info);
            if (dl == 0) {
                if (nids != 0 && i + 1 != nids) {
                    rc = OBD_EPID;
                    break;
                }
                dl = obd_cur_left(&c);
                if (dl == 0) {
                    rc = OBD_ESHORT;
                    break;
                }
            }
            const uint8_t *d = obd_cur_take(&c, dl);
            if (c.err)
                break;
            if (!r)
                continue;
            if (r->count == UDS_MAX_SNAPSHOT_DIDS) {
                dropped = true;
                continue;
            }
            uds_did_rec_t *e = &r->dids[r->count++];
            e->did = did;
            e->len = dl;
            e->data = d;
            e->info = info;
        }
        if (rc == OBD_OK && c.err)
            rc = c.err;
        if (rc)
            break;
    }
    if (nrecs)
        *nrecs = found;
    if (rc)
        return rc;
    return dropped ? OBD_ENOSPC : OBD_OK;
}
