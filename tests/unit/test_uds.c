/*
 * UDS (ISO 14229-1): request builders byte for byte, the reply check, NRC
 * names and classes, $50/$7E/$54, $62 splitting with the DID table, DID text,
 * $59 sub-functions 01/02/04/06/0A/15 and snapshot record splitting. Every
 * expected value is worked out by hand in the comment beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/uds.h"

#define B(...) ((const uint8_t[]){ __VA_ARGS__ })
#define N(...) sizeof((const uint8_t[]){ __VA_ARGS__ })
/* parse helper: pass a byte list once, as pointer + length */
#define BYTES(...) B(__VA_ARGS__), N(__VA_ARGS__)

/* ---------------- builders ---------------- */

static void test_req_session_and_tester_present(void **state)
{
    (void)state;
    uint8_t b[8];
    /* extended session: 10 03; with suppress bit 0x03 | 0x80 = 0x83 */
    assert_int_equal(uds_req_session(b, sizeof b, UDS_SESSION_EXTENDED, false), 2);
    assert_memory_equal(b, "\x10\x03", 2);
    assert_int_equal(uds_req_session(b, sizeof b, UDS_SESSION_EXTENDED, true), 2);
    assert_memory_equal(b, "\x10\x83", 2);
    assert_int_equal(uds_req_session(b, sizeof b, UDS_SESSION_DEFAULT, false), 2);
    assert_memory_equal(b, "\x10\x01", 2);
    /* 0x00 is reserved; bit 7 belongs to the suppress flag */
    assert_int_equal(uds_req_session(b, sizeof b, 0x00, false), OBD_EINVAL);
    assert_int_equal(uds_req_session(b, sizeof b, 0x83, false), OBD_EINVAL);
    assert_int_equal(uds_req_session(b, 1, UDS_SESSION_EXTENDED, false), OBD_ENOSPC);
    assert_int_equal(uds_req_session(NULL, 0, UDS_SESSION_EXTENDED, false), OBD_ENOSPC);
    /* tester present: zeroSubFunction 00, or 80 with suppress */
    assert_int_equal(uds_req_tester_present(b, sizeof b, false), 2);
    assert_memory_equal(b, "\x3E\x00", 2);
    assert_int_equal(uds_req_tester_present(b, sizeof b, true), 2);
    assert_memory_equal(b, "\x3E\x80", 2);
    assert_int_equal(uds_req_tester_present(b, 1, true), OBD_ENOSPC);
}

static void test_req_read_did(void **state)
{
    (void)state;
    uint8_t b[64];
    const uint16_t two[] = { 0xF190, 0xF18C };
    /* 22, then each DID high byte first */
    assert_int_equal(uds_req_read_did(b, sizeof b, two, 2), 5);
    assert_memory_equal(b, "\x22\xF1\x90\xF1\x8C", 5);
    const uint16_t one[] = { 0xF186 };
    assert_int_equal(uds_req_read_did(b, sizeof b, one, 1), 3);
    assert_memory_equal(b, "\x22\xF1\x86", 3);
    uint16_t many[UDS_MAX_DIDS + 1];
    for (size_t i = 0; i < UDS_MAX_DIDS + 1; i++)
        many[i] = (uint16_t)(0xF180 + i);
    /* 16 DIDs: 1 + 16 * 2 = 33 bytes; the last is F18F */
    assert_int_equal(uds_req_read_did(b, sizeof b, many, UDS_MAX_DIDS), 33);
    assert_memory_equal(b + 31, "\xF1\x8F", 2);
    assert_int_equal(uds_req_read_did(b, sizeof b, many, UDS_MAX_DIDS + 1), OBD_EINVAL);
    assert_int_equal(uds_req_read_did(b, sizeof b, two, 0), OBD_EINVAL);
    assert_int_equal(uds_req_read_did(b, sizeof b, NULL, 1), OBD_EINVAL);
    assert_int_equal(uds_req_read_did(b, 4, two, 2), OBD_ENOSPC);
}

static void test_req_read_dtc(void **state)
{
    (void)state;
    uint8_t b[8];
    /* 19 01 FF: count of DTCs with any status bit */
    assert_int_equal(uds_req_dtc_count(b, sizeof b, 0xFF), 3);
    assert_memory_equal(b, "\x19\x01\xFF", 3);
    /* 19 02 09: testFailed (0x01) | confirmed (0x08) */
    assert_int_equal(uds_req_dtc_by_status(b, sizeof b, UDS_ST_TEST_FAILED | UDS_ST_CONFIRMED), 3);
    assert_memory_equal(b, "\x19\x02\x09", 3);
    /* P0301-13: P = 00, digits 0301 -> 0x0301, failure type 0x13 -> 03 01 13 */
    assert_int_equal(uds_req_dtc_snapshot(b, sizeof b, 0x030113, UDS_RECORD_ALL), 6);
    assert_memory_equal(b, "\x19\x04\x03\x01\x13\xFF", 6);
    /* U0100-87: U = 11 -> 0xC000 | 0x0100 = 0xC100, ftb 87; record 01 */
    assert_int_equal(uds_req_dtc_extdata(b, sizeof b, 0xC10087, 0x01), 6);
    assert_memory_equal(b, "\x19\x06\xC1\x00\x87\x01", 6);
    assert_int_equal(uds_req_dtc_snapshot(b, sizeof b, 0x1000000, 1), OBD_EINVAL);
    assert_int_equal(uds_req_dtc_extdata(b, sizeof b, 0x1000000, 1), OBD_EINVAL);
    assert_int_equal(uds_req_dtc_snapshot(b, 5, 0x030113, 1), OBD_ENOSPC);
    assert_int_equal(uds_req_dtc_supported(b, sizeof b), 2);
    assert_memory_equal(b, "\x19\x0A", 2);
    assert_int_equal(uds_req_dtc_permanent(b, sizeof b), 2);
    assert_memory_equal(b, "\x19\x15", 2);
    assert_int_equal(uds_req_dtc_permanent(b, 1), OBD_ENOSPC);
    assert_int_equal(uds_req_dtc_count(b, 2, 0xFF), OBD_ENOSPC);
}

static void test_req_clear(void **state)
{
    (void)state;
    uint8_t b[8];
    /* all groups: 14 FF FF FF */
    assert_int_equal(uds_req_clear(b, sizeof b, UDS_DTC_GROUP_ALL), 4);
    assert_memory_equal(b, "\x14\xFF\xFF\xFF", 4);
    /* one DTC, C0035-12: C = 01 -> 0x4000 | 0x0035 = 0x4035, ftb 12 */
    assert_int_equal(uds_req_clear(b, sizeof b, 0x403512), 4);
    assert_memory_equal(b, "\x14\x40\x35\x12", 4);
    assert_int_equal(uds_req_clear(b, sizeof b, 0x1000000), OBD_EINVAL);
    assert_int_equal(uds_req_clear(b, 3, UDS_DTC_GROUP_ALL), OBD_ENOSPC);
}

/* ---------------- reply head, NRCs ---------------- */

static void test_check_reply(void **state)
{
    (void)state;
    obd_nr_t nr;
    /* 0x22 + 0x40 = 0x62 */
    assert_int_equal(uds_check_reply(BYTES(0x62, 0xF1, 0x86, 0x01), 0x22, &nr), OBD_OK);
    assert_false(nr.negative);
    assert_int_equal(uds_check_reply(BYTES(0x7F, 0x22, 0x31), 0x22, &nr), OBD_OK);
    assert_true(nr.negative);
    assert_int_equal(nr.nrc, 0x31);
    assert_int_equal(uds_check_reply(BYTES(0x7F, 0x19, 0x31), 0x22, &nr), OBD_ESID);
    assert_int_equal(uds_check_reply(BYTES(0x7F, 0x22), 0x22, &nr), OBD_ESHORT);
    assert_int_equal(uds_check_reply(BYTES(0x7F, 0x22, 0x31, 0x00), 0x22, &nr), OBD_ELEN);
    assert_int_equal(uds_check_reply(BYTES(0x59, 0x02), 0x22, &nr), OBD_ESID);
    assert_int_equal(uds_check_reply(NULL, 0, 0x22, &nr), OBD_ESHORT);
    assert_int_equal(uds_check_reply(BYTES(0x62), 0x22, NULL), OBD_OK);
}

static void test_nrc_names_and_classes(void **state)
{
    (void)state;
    assert_true(uds_nrc_is_pending(0x78));
    assert_false(uds_nrc_is_pending(0x21));
    assert_string_equal(uds_nrc_key(0x78), "responsePending");
    assert_string_equal(uds_nrc_key(0x33), "securityAccessDenied");
    assert_string_equal(uds_nrc_key(0x34), "authenticationRequired");
    assert_string_equal(uds_nrc_key(0x7F), "serviceNotSupportedInActiveSession");
    assert_string_equal(uds_nrc_name(0x22, OBD_LANG_EN), "Conditions not correct");
    assert_string_equal(uds_nrc_name(0x22, OBD_LANG_ZH), "条件不满足");
    assert_string_equal(uds_nrc_name(0x11, OBD_LANG_ZH), "不支持该服务");
    /* unassigned: a text, never NULL */
    assert_string_equal(uds_nrc_key(0x15), "isoSaeReserved");
    assert_string_equal(uds_nrc_name(0x15, OBD_LANG_EN), "reserved NRC");
    assert_string_equal(uds_nrc_name(0x15, OBD_LANG_ZH), "ISO 保留的否定响应码");
    assert_string_equal(uds_nrc_key(0x3C), "reservedByExtendedDataLinkSecurityDocument");
    assert_string_equal(uds_nrc_key(0xF5), "vehicleManufacturerSpecificConditionsNotCorrect");
    assert_string_equal(uds_nrc_key(0xA0), "reservedForSpecificConditionsNotCorrect");
    for (int i = 0; i < 256; i++) {
        assert_non_null(uds_nrc_key((uint8_t)i));
        assert_non_null(uds_nrc_name((uint8_t)i, OBD_LANG_EN));
        assert_non_null(uds_nrc_name((uint8_t)i, OBD_LANG_ZH));
        assert_true(uds_nrc_class((uint8_t)i) < UDS_NRC_CLASS_COUNT);
    }
    /* what a session does with each */
    assert_int_equal(uds_nrc_class(0x78), UDS_NRC_CLASS_PENDING);
    assert_int_equal(uds_nrc_class(0x21), UDS_NRC_CLASS_RETRY);
    assert_int_equal(uds_nrc_class(0x94), UDS_NRC_CLASS_RETRY);
    assert_int_equal(uds_nrc_class(0x22), UDS_NRC_CLASS_CONDITIONS);
    assert_int_equal(uds_nrc_class(0x83), UDS_NRC_CLASS_CONDITIONS); /* engine running */
    assert_int_equal(uds_nrc_class(0xF5), UDS_NRC_CLASS_CONDITIONS);
    const uint8_t sec[] = { 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x50, 0x5D };
    for (size_t i = 0; i < sizeof sec; i++)
        assert_int_equal(uds_nrc_class(sec[i]), UDS_NRC_CLASS_SECURITY);
    const uint8_t ns[] = { 0x11, 0x12, 0x31, 0x7E, 0x7F };
    for (size_t i = 0; i < sizeof ns; i++)
        assert_int_equal(uds_nrc_class(ns[i]), UDS_NRC_CLASS_NOT_SUPPORTED);
    assert_int_equal(uds_nrc_class(0x13), UDS_NRC_CLASS_OTHER);
    assert_int_equal(uds_nrc_class(0x10), UDS_NRC_CLASS_OTHER);
    assert_int_equal(uds_nrc_class(0x5E), UDS_NRC_CLASS_OTHER);
    /* a secure gateway refusal is reported as "needs OEM authorisation", never "no codes" */
    assert_string_equal(uds_nrc_class_key(uds_nrc_class(0x33)), "security");
    assert_string_equal(uds_nrc_class_name(UDS_NRC_CLASS_SECURITY, OBD_LANG_EN), "Needs OEM authorisation");
    assert_string_equal(uds_nrc_class_name(UDS_NRC_CLASS_SECURITY, OBD_LANG_ZH), "需要主机厂授权");
    assert_string_equal(uds_nrc_class_key(UDS_NRC_CLASS_NOT_SUPPORTED), "not_supported");
    assert_string_equal(uds_nrc_class_key((uds_nrc_class_t)99), "other");
    assert_non_null(uds_nrc_class_name((uds_nrc_class_t)99, OBD_LANG_ZH));
}

/* ---------------- $50 / $7E / $54 ---------------- */

static void test_session_reply(void **state)
{
    (void)state;
    uds_session_reply_t r;
    /* 50 03 0032 01F4: P2 = 0x32 = 50 ms; P2* = 0x1F4 = 500 x 10 ms = 5000 ms */
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x03, 0x00, 0x32, 0x01, 0xF4), 0x03, &r), OBD_OK);
    assert_false(r.nr.negative);
    assert_int_equal(r.session, 0x03);
    assert_true(r.has_timing);
    assert_int_equal(r.p2_ms, 50);
    assert_int_equal(r.p2star_ms, 5000);
    /* the largest: FFFF -> 65535 ms; FFFF x 10 = 655350 ms */
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x01, 0xFF, 0xFF, 0xFF, 0xFF), 0x01, &r), OBD_OK);
    assert_int_equal(r.p2_ms, 65535);
    assert_int_equal(r.p2star_ms, 655350);
    /* an old ECU: session byte only, timings absent */
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x03), 0x03, &r), OBD_OK);
    assert_false(r.has_timing);
    assert_int_equal(r.p2_ms, 0);
    /* asked with the suppress bit (0x83): the echo is compared without it */
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x03), 0x83, &r), OBD_OK);
    /* 0 accepts any echo */
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x02), 0, &r), OBD_OK);
    assert_int_equal(r.session, 0x02);
    /* wrong echo: asked extended, got default */
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x01, 0x00, 0x32, 0x01, 0xF4), 0x03, &r), OBD_EPID);
    /* negative, and pending */
    assert_int_equal(uds_parse_session_reply(BYTES(0x7F, 0x10, 0x12), 0x03, &r), OBD_OK);
    assert_true(r.nr.negative);
    assert_int_equal(r.nr.nrc, 0x12);
    assert_int_equal(uds_parse_session_reply(BYTES(0x7F, 0x10, 0x78), 0x03, &r), OBD_OK);
    assert_true(r.nr.negative && uds_nrc_is_pending(r.nr.nrc));
    /* malformed */
    assert_int_equal(uds_parse_session_reply(BYTES(0x50), 0x03, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x03, 0x00), 0x03, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x03, 0x00, 0x32, 0x01), 0x03, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x03, 0x00, 0x32, 0x01, 0xF4, 0x00), 0x03, &r),
                     OBD_ELEN);
    assert_int_equal(uds_parse_session_reply(BYTES(0x51, 0x03), 0x03, &r), OBD_ESID);
    assert_int_equal(uds_parse_session_reply(BYTES(0x7F, 0x10, 0x12, 0x00), 0x03, &r), OBD_ELEN);
    assert_int_equal(uds_parse_session_reply(BYTES(0x50, 0x03), 0x03, NULL), OBD_EINVAL);
    assert_string_equal(uds_session_name(0x03, OBD_LANG_ZH), "扩展诊断会话");
    assert_string_equal(uds_session_name(0x41, OBD_LANG_EN), "Manufacturer-specific session");
    assert_non_null(uds_session_name(0x00, OBD_LANG_ZH));
}

static void test_tester_present_and_clear_reply(void **state)
{
    (void)state;
    obd_nr_t nr;
    assert_int_equal(uds_parse_tester_present_reply(BYTES(0x7E, 0x00), &nr), OBD_OK);
    assert_false(nr.negative);
    assert_int_equal(uds_parse_tester_present_reply(BYTES(0x7E), &nr), OBD_ESHORT);
    assert_int_equal(uds_parse_tester_present_reply(BYTES(0x7E, 0x80), &nr), OBD_EPID);
    assert_int_equal(uds_parse_tester_present_reply(BYTES(0x7E, 0x00, 0x00), &nr), OBD_ELEN);
    assert_int_equal(uds_parse_tester_present_reply(BYTES(0x7F, 0x3E, 0x12), &nr), OBD_OK);
    assert_true(nr.negative);
    assert_int_equal(nr.nrc, 0x12);
    assert_int_equal(uds_parse_tester_present_reply(BYTES(0x7F, 0x3E), &nr), OBD_ESHORT);
    assert_int_equal(uds_parse_tester_present_reply(BYTES(0x50, 0x00), NULL), OBD_ESID);
    /* clear */
    assert_int_equal(uds_parse_clear_reply(BYTES(0x54), &nr), OBD_OK);
    assert_false(nr.negative);
    assert_int_equal(uds_parse_clear_reply(BYTES(0x54, 0x00), &nr), OBD_ELEN);
    /* engine running: 0x22 conditions not correct */
    assert_int_equal(uds_parse_clear_reply(BYTES(0x7F, 0x14, 0x22), &nr), OBD_OK);
    assert_true(nr.negative);
    assert_int_equal(uds_nrc_class(nr.nrc), UDS_NRC_CLASS_CONDITIONS);
    assert_int_equal(uds_parse_clear_reply(BYTES(0x7F, 0x14, 0x78), &nr), OBD_OK);
    assert_true(uds_nrc_is_pending(nr.nrc));
    assert_int_equal(uds_parse_clear_reply(BYTES(0x44), &nr), OBD_ESID); /* an OBD $04 reply */
    assert_int_equal(uds_parse_clear_reply(NULL, 0, &nr), OBD_ESHORT);
}

/* ---------------- DIDs ---------------- */

static void test_did_table(void **state)
{
    (void)state;
    const uds_did_info_t *d = uds_did_lookup(0xF190);
    assert_non_null(d);
    assert_int_equal(d->len, 17);
    assert_true(d->is_text);
    assert_string_equal(d->key, "vin");
    assert_string_equal(d->zh, "车辆识别代号（VIN）");
    d = uds_did_lookup(0xF186);
    assert_int_equal(d->len, 1);
    assert_false(d->is_text);
    d = uds_did_lookup(0xF18C);
    assert_int_equal(d->len, 0);
    assert_true(d->is_text);
    assert_false(uds_did_lookup(0xF18B)->is_text); /* BCD date */
    assert_null(uds_did_lookup(0xF17F));
    assert_null(uds_did_lookup(0xF1A0));
    assert_null(uds_did_lookup(0x1234));
    for (unsigned did = 0xF180; did <= 0xF19F; did++) {
        d = uds_did_lookup((uint16_t)did);
        assert_non_null(d);
        assert_int_equal(d->did, did);
        assert_non_null(d->key);
        assert_non_null(d->en);
        assert_non_null(d->zh);
    }
}

#define VIN_BYTES 'L', 'F', 'V', '3', 'A', '2', '3', 'C', '8', 'J', '3', '0', '1', '2', '3', '4', '5'

static void test_did_reply_vin(void **state)
{
    (void)state;
    uds_did_reply_t r;
    char t[32];
    const uint16_t vin[] = { 0xF190 };
    /* 62 F190 + 17 ASCII bytes */
    const uint8_t m[] = { 0x62, 0xF1, 0x90, VIN_BYTES };
    assert_int_equal(uds_parse_did_reply(m, sizeof m, vin, 1, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.dids[0].did, 0xF190);
    assert_int_equal(r.dids[0].len, 17);
    assert_ptr_equal(r.dids[0].data, m + 3); /* points into the input */
    assert_string_equal(r.dids[0].info->key, "vin");
    assert_int_equal(uds_did_text(r.dids[0].data, r.dids[0].len, t, sizeof t), 17);
    assert_string_equal(t, "LFV3A23C8J3012345");
    /* the same without the asked list: a fixed-length DID splits anyway */
    assert_int_equal(uds_parse_did_reply(m, sizeof m, NULL, 0, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    /* VIN cut at 10 bytes */
    assert_int_equal(uds_parse_did_reply(m, 13, vin, 1, &r), OBD_ESHORT);
    /* negative: DID not supported */
    assert_int_equal(uds_parse_did_reply(BYTES(0x7F, 0x22, 0x31), vin, 1, &r), OBD_OK);
    assert_true(r.nr.negative);
    assert_int_equal(uds_nrc_class(r.nr.nrc), UDS_NRC_CLASS_NOT_SUPPORTED);
    assert_int_equal(r.count, 0);
    /* secure gateway */
    assert_int_equal(uds_parse_did_reply(BYTES(0x7F, 0x22, 0x33), vin, 1, &r), OBD_OK);
    assert_int_equal(uds_nrc_class(r.nr.nrc), UDS_NRC_CLASS_SECURITY);
}

static void test_did_text(void **state)
{
    (void)state;
    char t[32];
    /* unprogrammed VIN: 17 x FF -> empty text */
    uint8_t ff[17];
    memset(ff, 0xFF, sizeof ff);
    assert_int_equal(uds_did_text(ff, sizeof ff, t, sizeof t), 0);
    assert_string_equal(t, "");
    /* part number with a leading space and NUL padding: " 1K0907115AB\0\0" -> "1K0907115AB" (11) */
    const uint8_t pn[] = { ' ', '1', 'K', '0', '9', '0', '7', '1', '1', '5', 'A', 'B', 0x00, 0x00 };
    assert_int_equal(uds_did_text(pn, sizeof pn, t, sizeof t), 11);
    assert_string_equal(t, "1K0907115AB");
    /* an inner space stays */
    assert_int_equal(uds_did_text(B('E', 'C', 'M', ' ', '2'), 5, t, sizeof t), 5);
    assert_string_equal(t, "ECM 2");
    /* a control byte or an inner NUL is not text */
    assert_int_equal(uds_did_text(B('A', 0x01, 'B'), 3, t, sizeof t), OBD_EFORMAT);
    assert_string_equal(t, "");
    assert_int_equal(uds_did_text(B('A', 0x00, 'B'), 3, t, sizeof t), OBD_EFORMAT);
    assert_int_equal(uds_did_text(B('A', 0x80), 2, t, sizeof t), OBD_EFORMAT);
    /* "ABCDE" needs 6 bytes with the NUL */
    assert_int_equal(uds_did_text(B('A', 'B', 'C', 'D', 'E'), 5, t, 5), OBD_ENOSPC);
    assert_int_equal(uds_did_text(B('A', 'B', 'C', 'D', 'E'), 5, t, 6), 5);
    assert_int_equal(uds_did_text(NULL, 3, t, sizeof t), OBD_EINVAL);
    assert_int_equal(uds_did_text(ff, 1, NULL, 0), OBD_EINVAL);
}

static int oem_len(uint16_t did, void *ctx)
{
    (void)ctx;
    switch (did) {
    case 0x1234: return 2;  /* an OEM DID of two bytes */
    case 0xF40D: return 1;  /* OBD PID $0D as a DID: vehicle speed, 1 byte */
    case 0xF40C: return 2;  /* OBD PID $0C as a DID: engine speed, 2 bytes */
    default: return 0;
    }
}

static void test_did_reply_multi(void **state)
{
    (void)state;
    uds_did_reply_t r;
    char t[32];
    /* asked F186, F190, F18C: 62 | F186 03 | F190 <17> | F18C "SN00012345" (10, the rest) */
    const uint16_t asked[] = { 0xF186, 0xF190, 0xF18C };
    const uint8_t m[] = { 0x62, 0xF1, 0x86, 0x03, 0xF1, 0x90, VIN_BYTES, 0xF1, 0x8C,
                          'S', 'N', '0', '0', '0', '1', '2', '3', '4', '5' };
    assert_int_equal(sizeof m, 1 + 3 + 19 + 12);
    assert_int_equal(uds_parse_did_reply(m, sizeof m, asked, 3, &r), OBD_OK);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.dids[0].did, 0xF186);
    assert_int_equal(r.dids[0].len, 1);
    assert_int_equal(r.dids[0].data[0], UDS_SESSION_EXTENDED);
    assert_int_equal(r.dids[1].did, 0xF190);
    assert_int_equal(r.dids[1].len, 17);
    assert_ptr_equal(r.dids[1].data, m + 6);
    assert_int_equal(r.dids[2].did, 0xF18C);
    assert_int_equal(r.dids[2].len, 10);
    assert_int_equal(uds_did_text(r.dids[2].data, r.dids[2].len, t, sizeof t), 10);
    assert_string_equal(t, "SN00012345");
    /* without the asked list the variable F18C after other DIDs cannot be split */
    assert_int_equal(uds_parse_did_reply(m, sizeof m, NULL, 0, &r), OBD_EPID);
    /* ECU left out an unsupported F187: asked F186, F187, F190; reply F186 + F190 */
    const uint16_t asked2[] = { 0xF186, 0xF187, 0xF190 };
    assert_int_equal(uds_parse_did_reply(m, 1 + 3 + 19, asked2, 3, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.dids[1].did, 0xF190);
    /* variable F18C asked first, not last: cannot be split */
    const uint16_t asked3[] = { 0xF18C, 0xF190 };
    const uint8_t m3[] = { 0x62, 0xF1, 0x8C, 'S', 'N', '1', 0xF1, 0x90, VIN_BYTES };
    assert_int_equal(uds_parse_did_reply(m3, sizeof m3, asked3, 2, &r), OBD_EPID);
    /* a DID that was not asked for */
    const uint16_t vin[] = { 0xF190 };
    assert_int_equal(uds_parse_did_reply(BYTES(0x62, 0xF1, 0x86, 0x03), vin, 1, &r), OBD_EPID);
    /* out of request order: asked F186, F190; reply F190 then F186 */
    const uint16_t asked4[] = { 0xF186, 0xF190 };
    const uint8_t m4[] = { 0x62, 0xF1, 0x90, VIN_BYTES, 0xF1, 0x86, 0x01 };
    assert_int_equal(uds_parse_did_reply(m4, sizeof m4, asked4, 2, &r), OBD_EPID);
    /* trailing byte after a fixed DID */
    assert_int_equal(uds_parse_did_reply(BYTES(0x62, 0xF1, 0x86, 0x03, 0x00), NULL, 0, &r), OBD_ELEN);
    const uint16_t ses[] = { 0xF186 };
    assert_int_equal(uds_parse_did_reply(BYTES(0x62, 0xF1, 0x86, 0x03, 0x00), ses, 1, &r), OBD_ELEN);
    /* SID only; cut inside the DID; a variable DID with no data */
    assert_int_equal(uds_parse_did_reply(BYTES(0x62), NULL, 0, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_did_reply(BYTES(0x62, 0xF1), NULL, 0, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_did_reply(BYTES(0x62, 0xF1, 0x8C), NULL, 0, &r), OBD_ESHORT);
    /* F186 with no data byte */
    assert_int_equal(uds_parse_did_reply(BYTES(0x62, 0xF1, 0x86), ses, 1, &r), OBD_ESHORT);
    /* wrong service */
    assert_int_equal(uds_parse_did_reply(BYTES(0x59, 0xF1, 0x86, 0x03), ses, 1, &r), OBD_ESID);
    assert_int_equal(uds_parse_did_reply(m, sizeof m, NULL, 2, &r), OBD_EINVAL);
    /* a single unknown OEM DID takes the rest */
    assert_int_equal(uds_parse_did_reply(BYTES(0x62, 0x12, 0x34, 0xAB, 0xCD, 0xEF), NULL, 0, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.dids[0].len, 3);
    assert_null(r.dids[0].info);
    /* with an oracle the OEM DID 1234 (2 bytes) splits before a variable F18C */
    const uint16_t asked5[] = { 0x1234, 0xF18C };
    assert_int_equal(uds_parse_did_reply_ex(BYTES(0x62, 0x12, 0x34, 0xAB, 0xCD, 0xF1, 0x8C, 'X', '1'), asked5, 2,
                                            oem_len, NULL, &r),
                     OBD_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.dids[0].len, 2);
    assert_int_equal(r.dids[1].len, 2);
    /* more DIDs than the result holds: 17 x (F186 01) */
    uint8_t big[1 + 17 * 3];
    big[0] = 0x62;
    for (int i = 0; i < 17; i++)
        memcpy(big + 1 + 3 * i, "\xF1\x86\x01", 3);
    assert_int_equal(uds_parse_did_reply(big, sizeof big, NULL, 0, &r), OBD_ENOSPC);
    assert_int_equal(r.count, UDS_MAX_DIDS);
    assert_int_equal(uds_parse_did_reply(big, sizeof big - 3, NULL, 0, &r), OBD_OK);
    assert_int_equal(r.count, 16);
}

/* ---------------- $59 ---------------- */

static void test_dtc_reply_by_status_three(void **state)
{
    (void)state;
    static uds_dtc_reply_t r;
    /*
     * 59 02 FF | 03 01 00 AF | C1 00 87 09 | 40 35 12 24
     *  P0301-00 (P=00, 0301) status AF = 1010 1111: bits 0,1,2,3,5,7
     *  U0100-87 (U=11 -> C1 00, ftb 87 missing message) status 09: bits 0,3
     *  C0035-12 (C=01 -> 40 35, ftb 12 short to battery) status 24: bits 2,5
     */
    const uint8_t m[] = { 0x59, 0x02, 0xFF, 0x03, 0x01, 0x00, 0xAF, 0xC1, 0x00,
                          0x87, 0x09, 0x40, 0x35, 0x12, 0x24 };
    assert_int_equal(uds_parse_dtc_reply(m, sizeof m, UDS_RDTC_BY_MASK, &r), OBD_OK);
    assert_false(r.nr.negative);
    assert_int_equal(r.subfn, 0x02);
    assert_int_equal(r.avail_mask, 0xFF);
    assert_int_equal(r.ndtcs, 3);
    assert_int_equal(r.total, 3);
    char t[UDS_DTC_TEXT_LEN];
    uds_dtc_format(r.dtcs[0].code, t);
    assert_string_equal(t, "P0301-00");
    uds_dtc_format(r.dtcs[1].code, t);
    assert_string_equal(t, "U0100-87");
    assert_string_equal(uds_ftb_name(uds_dtc_ftb(r.dtcs[1].code), OBD_LANG_EN), "Missing message");
    uds_dtc_format(r.dtcs[2].code, t);
    assert_string_equal(t, "C0035-12");
    assert_string_equal(uds_ftb_name(uds_dtc_ftb(r.dtcs[2].code), OBD_LANG_EN), "Circuit short to battery");
    /* status bits, named via dtc.h */
    const char *want0[] = { "test_failed", "test_failed_this_cycle", "pending", "confirmed",
                            "failed_since_clear", "warning_indicator" };
    size_t k = 0;
    for (int bit = 0; bit < 8; bit++)
        if (r.dtcs[0].status & (1u << bit))
            assert_string_equal(uds_status_bit_key(bit), want0[k++]);
    assert_int_equal(k, 6);
    assert_true(r.dtcs[0].status & UDS_ST_WARNING_INDICATOR);
    assert_false(r.dtcs[0].status & UDS_ST_NOT_COMPLETED_SINCE_CLEAR);
    /* 09: testFailed + confirmed */
    assert_int_equal(r.dtcs[1].status, UDS_ST_TEST_FAILED | UDS_ST_CONFIRMED);
    assert_string_equal(uds_status_bit_name(3, OBD_LANG_ZH), "已确认");
    /* 24: pending + failed since clear, not confirmed */
    assert_int_equal(r.dtcs[2].status, UDS_ST_PENDING | UDS_ST_FAILED_SINCE_CLEAR);
    assert_false(r.dtcs[2].status & UDS_ST_CONFIRMED);
    /* 0 accepts any listed sub-function */
    assert_int_equal(uds_parse_dtc_reply(m, sizeof m, 0, &r), OBD_OK);
    assert_int_equal(r.ndtcs, 3);
}

static void test_dtc_reply_lists_malformed(void **state)
{
    (void)state;
    static uds_dtc_reply_t r;
    /* no DTCs: mask only */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x02, 0x7F), 0x02, &r), OBD_OK);
    assert_int_equal(r.avail_mask, 0x7F);
    assert_int_equal(r.ndtcs, 0);
    /* 3 bytes after the mask: not a whole record */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x02, 0xFF, 0x03, 0x01, 0x00), 0x02, &r), OBD_ELEN);
    /* 5 bytes after the mask: a record plus a stray byte */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x02, 0xFF, 0x03, 0x01, 0x00, 0x08, 0x00), 0x02, &r),
                     OBD_ELEN);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x02), 0x02, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59), 0x02, &r), OBD_ESHORT);
    /* wrong sub-function echo: asked 02, got 0A */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x0A, 0xFF), 0x02, &r), OBD_EPID);
    /* a sub-function this parser does not know, even with 0 */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x03, 0x01, 0x01), 0, &r), OBD_EPID);
    /* the echo never carries the suppress bit */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x82, 0xFF), 0x02, &r), OBD_EPID);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x02, 0xFF), 0x03, &r), OBD_EINVAL);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x62, 0x02, 0xFF), 0x02, &r), OBD_ESID);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x02, 0xFF), 0x02, NULL), OBD_EINVAL);
    /* negative and pending */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x7F, 0x19, 0x31), 0x02, &r), OBD_OK);
    assert_true(r.nr.negative);
    assert_int_equal(r.nr.nrc, 0x31);
    assert_int_equal(r.ndtcs, 0);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x7F, 0x19, 0x78), 0x02, &r), OBD_OK);
    assert_true(uds_nrc_is_pending(r.nr.nrc));
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x7F, 0x22, 0x78), 0x02, &r), OBD_ESID);
    /* 0A and 15 share the layout: 59 15 FF 03 01 00 08 -> P0301-00, confirmed */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x15, 0xFF, 0x03, 0x01, 0x00, 0x08), 0x15, &r), OBD_OK);
    assert_int_equal(r.ndtcs, 1);
    assert_int_equal(r.dtcs[0].code, 0x030100);
    assert_int_equal(r.dtcs[0].status, UDS_ST_CONFIRMED);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x0A, 0x7F, 0x03, 0x01, 0x00, 0x50, 0xC1, 0x00, 0x87, 0x00),
                                         0x0A, &r),
                     OBD_OK);
    assert_int_equal(r.ndtcs, 2);
    assert_int_equal(r.dtcs[0].status, 0x50); /* not completed since clear / this cycle */
    assert_int_equal(r.dtcs[1].code, 0xC10087);
}

static void test_dtc_reply_too_many(void **state)
{
    (void)state;
    static uds_dtc_reply_t r;
    /* 256 records: the first 255 are kept, total 256, OBD_ENOSPC */
    static uint8_t m[3 + 256 * 4];
    m[0] = 0x59;
    m[1] = 0x02;
    m[2] = 0xFF;
    for (int i = 0; i < 256; i++) {
        m[3 + 4 * i] = 0x03;
        m[4 + 4 * i] = (uint8_t)i; /* P03xx */
        m[5 + 4 * i] = 0x00;
        m[6 + 4 * i] = 0x08;
    }
    assert_int_equal(uds_parse_dtc_reply(m, sizeof m, 0x02, &r), OBD_ENOSPC);
    assert_int_equal(r.ndtcs, UDS_MAX_DTCS);
    assert_int_equal(r.total, 256);
    assert_int_equal(r.dtcs[254].code, 0x03FE00); /* record 254: 03 FE 00 */
    /* exactly 255 fit */
    assert_int_equal(uds_parse_dtc_reply(m, sizeof m - 4, 0x02, &r), OBD_OK);
    assert_int_equal(r.ndtcs, 255);
    assert_int_equal(r.total, 255);
}

static void test_dtc_reply_count(void **state)
{
    (void)state;
    static uds_dtc_reply_t r;
    /* 59 01 FF 01 0003: mask FF, format 01 (ISO 14229-1), 3 DTCs */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x01, 0xFF, 0x01, 0x00, 0x03), 0x01, &r), OBD_OK);
    assert_int_equal(r.avail_mask, 0xFF);
    assert_int_equal(r.format, 0x01);
    assert_int_equal(r.count, 3);
    assert_string_equal(uds_dtc_format_id_name(r.format, OBD_LANG_EN), "ISO 14229-1 DTC format");
    assert_non_null(uds_dtc_format_id_name(0x09, OBD_LANG_ZH));
    /* 0x0102 = 258 */
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x01, 0x09, 0x00, 0x01, 0x02), 0x01, &r), OBD_OK);
    assert_int_equal(r.count, 258);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x01, 0xFF, 0x01, 0x00), 0x01, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x01, 0xFF, 0x01, 0x00, 0x03, 0x00), 0x01, &r), OBD_ELEN);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x59, 0x02, 0xFF), 0x01, &r), OBD_EPID);
}

static void test_dtc_reply_snapshot(void **state)
{
    (void)state;
    static uds_dtc_reply_t r;
    uds_snapshot_t s[3];
    size_t ns;
    /*
     * 59 04 | 03 01 00 | 2F | rec 01, 2 ids | F40D 32 | F40C 1A F8
     * speed 0x32 = 50 km/h; rpm 0x1AF8 / 4 = 6904 / 4 = 1726 rpm
     */
    const uint8_t m[] = { 0x59, 0x04, 0x03, 0x01, 0x00, 0x2F, 0x01, 0x02,
                          0xF4, 0x0D, 0x32, 0xF4, 0x0C, 0x1A, 0xF8 };
    assert_int_equal(uds_parse_dtc_reply(m, sizeof m, UDS_RDTC_SNAPSHOT, &r), OBD_OK);
    assert_int_equal(r.dtc.code, 0x030100);
    assert_int_equal(r.dtc.status, 0x2F);
    assert_ptr_equal(r.records, m + 6);
    assert_int_equal(r.records_len, 9);
    /* with OBD-DID lengths known */
    assert_int_equal(uds_snapshot_split(r.records, r.records_len, oem_len, NULL, s, 3, &ns), OBD_OK);
    assert_int_equal(ns, 1);
    assert_int_equal(s[0].number, 1);
    assert_int_equal(s[0].nids, 2);
    assert_int_equal(s[0].count, 2);
    assert_int_equal(s[0].dids[0].did, 0xF40D);
    assert_int_equal(s[0].dids[0].data[0], 50);
    assert_int_equal(s[0].dids[1].did, 0xF40C);
    assert_int_equal(s[0].dids[1].len, 2);
    assert_int_equal(((s[0].dids[1].data[0] << 8) | s[0].dids[1].data[1]) / 4, 1726);
    /* without lengths: F40D is not the last identifier, the split is impossible */
    assert_int_equal(uds_snapshot_split(r.records, r.records_len, NULL, NULL, s, 3, &ns), OBD_EPID);
    /* one record with one unknown DID: it takes the rest (2 bytes) */
    assert_int_equal(uds_snapshot_split(B(0x01, 0x01, 0x12, 0x35, 0xAA, 0xBB), 6, NULL, NULL, s, 3, &ns), OBD_OK);
    assert_int_equal(ns, 1);
    assert_int_equal(s[0].dids[0].did, 0x1235);
    assert_int_equal(s[0].dids[0].len, 2);
    /* two records of one DID each: 01 01 F40D 32 | 02 01 F40D 00 */
    const uint8_t two[] = { 0x01, 0x01, 0xF4, 0x0D, 0x32, 0x02, 0x01, 0xF4, 0x0D, 0x00 };
    assert_int_equal(uds_snapshot_split(two, sizeof two, oem_len, NULL, s, 3, &ns), OBD_OK);
    assert_int_equal(ns, 2);
    assert_int_equal(s[1].number, 2);
    assert_int_equal(s[1].dids[0].data[0], 0);
    /* room for one record only: first kept, OBD_ENOSPC, 2 found */
    assert_int_equal(uds_snapshot_split(two, sizeof two, oem_len, NULL, s, 1, &ns), OBD_ENOSPC);
    assert_int_equal(ns, 2);
    assert_int_equal(s[0].number, 1);
    /* nids 0: identifiers to the end */
    const uint8_t z[] = { 0x01, 0x00, 0xF4, 0x0D, 0x32, 0xF4, 0x0C, 0x1A, 0xF8 };
    assert_int_equal(uds_snapshot_split(z, sizeof z, oem_len, NULL, s, 3, &ns), OBD_OK);
    assert_int_equal(s[0].count, 2);
    /* data cut short; header cut short; a DID cut in half */
    assert_int_equal(uds_snapshot_split(B(0x01, 0x02, 0xF4, 0x0D), 4, oem_len, NULL, s, 3, &ns), OBD_ESHORT);
    assert_int_equal(uds_snapshot_split(B(0x01), 1, oem_len, NULL, s, 3, &ns), OBD_ESHORT);
    assert_int_equal(uds_snapshot_split(B(0x01, 0x01, 0xF4), 3, oem_len, NULL, s, 3, &ns), OBD_ESHORT);
    /* unknown last DID with no data */
    assert_int_equal(uds_snapshot_split(B(0x01, 0x01, 0x12, 0x35), 4, NULL, NULL, s, 3, &ns), OBD_ESHORT);
    /* no record stored for this DTC */
    assert_int_equal(uds_parse_dtc_reply(m, 6, UDS_RDTC_SNAPSHOT, &r), OBD_OK);
    assert_int_equal(r.records_len, 0);
    assert_null(r.records);
    assert_int_equal(uds_snapshot_split(r.records, r.records_len, NULL, NULL, s, 3, &ns), OBD_OK);
    assert_int_equal(ns, 0);
    /* DTC cut short */
    assert_int_equal(uds_parse_dtc_reply(m, 4, UDS_RDTC_SNAPSHOT, &r), OBD_ESHORT);
    assert_int_equal(uds_parse_dtc_reply(m, 5, UDS_RDTC_SNAPSHOT, &r), OBD_ESHORT);
    /* asked 06, got 04 */
    assert_int_equal(uds_parse_dtc_reply(m, sizeof m, UDS_RDTC_EXTDATA, &r), OBD_EPID);
    assert_int_equal(uds_snapshot_split(NULL, 3, NULL, NULL, s, 3, &ns), OBD_EINVAL);
}

static void test_dtc_reply_snapshot_many_dids(void **state)
{
    (void)state;
    /* 33 identifiers of F186 (1 byte each) in one record: 32 kept, OBD_ENOSPC */
    uint8_t raw[2 + 33 * 3];
    raw[0] = 0x01;
    raw[1] = 33;
    for (int i = 0; i < 33; i++) {
        raw[2 + 3 * i] = 0xF1;
        raw[3 + 3 * i] = 0x86;
        raw[4 + 3 * i] = (uint8_t)i;
    }
    uds_snapshot_t s[1];
    size_t ns;
    assert_int_equal(uds_snapshot_split(raw, sizeof raw, NULL, NULL, s, 1, &ns), OBD_ENOSPC);
    assert_int_equal(ns, 1);
    assert_int_equal(s[0].count, UDS_MAX_SNAPSHOT_DIDS);
    assert_int_equal(s[0].nids, 33);
    assert_int_equal(s[0].dids[31].data[0], 31);
}

static void test_dtc_reply_extdata(void **state)
{
    (void)state;
    static uds_dtc_reply_t r;
    /* 59 06 | C1 00 87 | 09 | rec 01: 05 | rec 02: FF (OEM layouts, kept raw) */
    const uint8_t m[] = { 0x59, 0x06, 0xC1, 0x00, 0x87, 0x09, 0x01, 0x05, 0x02, 0xFF };
    assert_int_equal(uds_parse_dtc_reply(m, sizeof m, UDS_RDTC_EXTDATA, &r), OBD_OK);
    assert_int_equal(r.subfn, 0x06);
    assert_int_equal(r.dtc.code, 0xC10087);
    assert_int_equal(r.dtc.status, 0x09);
    assert_int_equal(r.records_len, 4);
    assert_ptr_equal(r.records, m + 6);
    assert_int_equal(r.records[0], 0x01);
    assert_int_equal(uds_parse_dtc_reply(m, 6, UDS_RDTC_EXTDATA, &r), OBD_OK);
    assert_int_equal(r.records_len, 0);
    assert_int_equal(uds_parse_dtc_reply(BYTES(0x7F, 0x19, 0x31), UDS_RDTC_EXTDATA, &r), OBD_OK);
    assert_true(r.nr.negative);
}

/* Snapshot records for people: F4xx DIDs through the PID table (names in
 * both languages, several fields from one PID), OEM DIDs as hex when last,
 * refused when their length is needed, the line limit. */
static void test_snapshot_describe(void **state)
{
    (void)state;
    uds_snap_line_t l[8];
    size_t n = 99;
    /* rec 01, 3 ids: odometer F4A6 (0x0002CC68 = 183400 x 0.1 km), rpm F40C
     * (0x0C80 / 4 = 800), speed F40D 0 */
    const uint8_t rec[] = { 0x01, 0x03, 0xF4, 0xA6, 0x00, 0x02, 0xCC, 0x68, 0xF4, 0x0C, 0x0C, 0x80, 0xF4, 0x0D, 0x00 };
    assert_int_equal(uds_snapshot_describe(rec, sizeof rec, OBD_LANG_EN, l, 8, &n), OBD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(l[0].record, 1);
    assert_int_equal(l[0].did, 0xF4A6);
    assert_string_equal(l[0].name, "Odometer");
    assert_string_equal(l[0].value, "18340 km");
    assert_string_equal(l[1].name, "Engine speed");
    assert_string_equal(l[1].value, "800 rpm");
    assert_string_equal(l[2].value, "0 km/h");
    assert_int_equal(uds_snapshot_describe(rec, sizeof rec, OBD_LANG_ZH, l, 8, &n), OBD_OK);
    assert_string_equal(l[1].name, "发动机转速");
    /* the oracle: PIDs sized by the table, bitmaps ($00) and non-F4 DIDs not */
    assert_int_equal(uds_obd_did_len(0xF40C, NULL), 2);
    assert_int_equal(uds_obd_did_len(0xF4A6, NULL), 4);
    assert_int_equal(uds_obd_did_len(0xF400, NULL), 0);
    assert_int_equal(uds_obd_did_len(0xDD01, NULL), 0);
    assert_int_equal(uds_obd_did_len(0x0C0C, NULL), 0);
    /* a PID of two fields (14: O2 sensor voltage and trim) gives two lines;
     * an OEM DID last takes the rest, shown in hex */
    const uint8_t two[] = { 0x02, 0x02, 0xF4, 0x14, 0x5A, 0x80, 0x29, 0x5A, 0x00, 0x47, 0xA4 };
    assert_int_equal(uds_snapshot_describe(two, sizeof two, OBD_LANG_EN, l, 8, &n), OBD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(l[0].record, 2);
    assert_non_null(strstr(l[0].name, "O2"));
    assert_string_equal(l[0].value, "0.45 V");
    assert_string_equal(l[2].name, "DID 295A");
    assert_string_equal(l[2].value, "0047A4");
    /* an OEM DID before the last: its length is unknown, nothing is guessed */
    const uint8_t oem_first[] = { 0x01, 0x02, 0xDD, 0x01, 0x00, 0x47, 0xA4, 0xF4, 0x0D, 0x00 };
    assert_int_equal(uds_snapshot_describe(oem_first, sizeof oem_first, OBD_LANG_EN, l, 8, &n), OBD_EPID);
    assert_int_equal(n, 0);
    /* cut short inside a DID */
    assert_int_not_equal(uds_snapshot_describe(rec, 10, OBD_LANG_EN, l, 8, &n), OBD_OK);
    /* more lines than room: the first ones, and ENOSPC */
    assert_int_equal(uds_snapshot_describe(rec, sizeof rec, OBD_LANG_EN, l, 2, &n), OBD_ENOSPC);
    assert_int_equal(n, 2);
    assert_string_equal(l[1].value, "800 rpm");
    /* nothing recorded */
    assert_int_equal(uds_snapshot_describe(rec, 0, OBD_LANG_EN, l, 8, &n), OBD_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_req_session_and_tester_present),
        cmocka_unit_test(test_req_read_did),
        cmocka_unit_test(test_req_read_dtc),
        cmocka_unit_test(test_req_clear),
        cmocka_unit_test(test_check_reply),
        cmocka_unit_test(test_nrc_names_and_classes),
        cmocka_unit_test(test_session_reply),
        cmocka_unit_test(test_tester_present_and_clear_reply),
        cmocka_unit_test(test_did_table),
        cmocka_unit_test(test_did_reply_vin),
        cmocka_unit_test(test_did_text),
        cmocka_unit_test(test_did_reply_multi),
        cmocka_unit_test(test_dtc_reply_by_status_three),
        cmocka_unit_test(test_dtc_reply_lists_malformed),
        cmocka_unit_test(test_dtc_reply_too_many),
        cmocka_unit_test(test_dtc_reply_count),
        cmocka_unit_test(test_dtc_reply_snapshot),
        cmocka_unit_test(test_dtc_reply_snapshot_many_dids),
        cmocka_unit_test(test_dtc_reply_extdata),
        cmocka_unit_test(test_snapshot_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
