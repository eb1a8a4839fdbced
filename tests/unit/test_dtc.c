/* J2012 and UDS DTC text forms, categories, scopes, failure types, status bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/dtc.h"

static void test_format_known(void **state)
{
    (void)state;
    char t[OBD_DTC_TEXT_LEN];
    /* hand-worked: 0x0301 -> 00 00 0011 0000 0001 -> P0301 */
    obd_dtc_format(0x0301, t);
    assert_string_equal(t, "P0301");
    /* 0x4035 -> 01 00 ... -> C0035 */
    obd_dtc_format(0x4035, t);
    assert_string_equal(t, "C0035");
    /* 0x9234 -> 10 01 0010 ... -> B1234 */
    obd_dtc_format(0x9234, t);
    assert_string_equal(t, "B1234");
    /* 0xC100 -> 11 00 0001 0000 0000 -> U0100 */
    obd_dtc_format(0xC100, t);
    assert_string_equal(t, "U0100");
    /* 0xFFFF -> U3FFF */
    obd_dtc_format(0xFFFF, t);
    assert_string_equal(t, "U3FFF");
    obd_dtc_format(0x0A7F, t);
    assert_string_equal(t, "P0A7F");
}

static void test_roundtrip_every_code(void **state)
{
    (void)state;
    /* every one of the 65536 codes, so every category and digit, round-trips */
    for (uint32_t raw = 0; raw <= 0xFFFF; raw++) {
        char t[OBD_DTC_TEXT_LEN];
        obd_dtc_format((obd_dtc_t)raw, t);
        obd_dtc_t back = 0;
        assert_int_equal(obd_dtc_parse(t, &back), OBD_OK);
        assert_int_equal(back, raw);
        assert_int_equal(obd_dtc_letter((obd_dtc_t)raw), t[0]);
    }
}

static void test_parse_rejects(void **state)
{
    (void)state;
    obd_dtc_t d;
    assert_int_equal(obd_dtc_parse("p0301", &d), OBD_OK); /* lower case accepted */
    assert_int_equal(d, 0x0301);
    assert_int_equal(obd_dtc_parse("P4301", &d), OBD_EFORMAT); /* second char 0-3 only */
    assert_int_equal(obd_dtc_parse("X0301", &d), OBD_EFORMAT);
    assert_int_equal(obd_dtc_parse("P03G1", &d), OBD_EFORMAT);
    assert_int_equal(obd_dtc_parse("P030", &d), OBD_EFORMAT);
    assert_int_equal(obd_dtc_parse("P03011", &d), OBD_EFORMAT);
    assert_int_equal(obd_dtc_parse("", &d), OBD_EFORMAT);
    assert_int_equal(obd_dtc_parse(NULL, &d), OBD_EFORMAT);
}

static void test_category_and_scope(void **state)
{
    (void)state;
    obd_dtc_t d;
    struct { const char *code; obd_dtc_cat_t cat; obd_dtc_scope_t scope; } cases[] = {
        { "P0301", OBD_DTC_CAT_POWERTRAIN, OBD_DTC_GENERIC },
        { "P1301", OBD_DTC_CAT_POWERTRAIN, OBD_DTC_MANUFACTURER },
        { "P2096", OBD_DTC_CAT_POWERTRAIN, OBD_DTC_GENERIC },
        { "P3000", OBD_DTC_CAT_POWERTRAIN, OBD_DTC_MANUFACTURER },
        { "P33FF", OBD_DTC_CAT_POWERTRAIN, OBD_DTC_MANUFACTURER },
        { "P3400", OBD_DTC_CAT_POWERTRAIN, OBD_DTC_GENERIC },
        { "P3999", OBD_DTC_CAT_POWERTRAIN, OBD_DTC_GENERIC },
        { "C0035", OBD_DTC_CAT_CHASSIS, OBD_DTC_GENERIC },
        { "C1234", OBD_DTC_CAT_CHASSIS, OBD_DTC_MANUFACTURER },
        { "C2234", OBD_DTC_CAT_CHASSIS, OBD_DTC_MANUFACTURER },
        { "C3000", OBD_DTC_CAT_CHASSIS, OBD_DTC_RESERVED },
        { "B0001", OBD_DTC_CAT_BODY, OBD_DTC_GENERIC },
        { "B2AAA", OBD_DTC_CAT_BODY, OBD_DTC_MANUFACTURER },
        { "B3FFF", OBD_DTC_CAT_BODY, OBD_DTC_RESERVED },
        { "U0100", OBD_DTC_CAT_NETWORK, OBD_DTC_GENERIC },
        { "U1000", OBD_DTC_CAT_NETWORK, OBD_DTC_MANUFACTURER },
        { "U3000", OBD_DTC_CAT_NETWORK, OBD_DTC_RESERVED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(obd_dtc_parse(cases[i].code, &d), OBD_OK);
        assert_int_equal(obd_dtc_category(d), cases[i].cat);
        if (obd_dtc_scope(d) != cases[i].scope)
            fail_msg("%s: scope %d, want %d", cases[i].code, obd_dtc_scope(d), cases[i].scope);
    }
    assert_string_equal(obd_dtc_category_name(OBD_DTC_CAT_NETWORK, OBD_LANG_EN), "Network");
    assert_string_equal(obd_dtc_category_name(OBD_DTC_CAT_BODY, OBD_LANG_ZH), "车身");
    assert_string_equal(obd_dtc_scope_name(OBD_DTC_MANUFACTURER, OBD_LANG_ZH), "厂家自定义");
}

static void test_uds_dtc(void **state)
{
    (void)state;
    char t[UDS_DTC_TEXT_LEN];
    /* 0x030113: P0301 + failure type 0x13 (circuit open) */
    uds_dtc_format(0x030113, t);
    assert_string_equal(t, "P0301-13");
    uds_dtc_format(0xC10000, t);
    assert_string_equal(t, "U0100-00");
    uint32_t c;
    assert_int_equal(uds_dtc_parse("P0301-13", &c), OBD_OK);
    assert_int_equal(c, 0x030113);
    assert_int_equal(uds_dtc_parse("C003512", &c), OBD_OK);
    assert_int_equal(c, 0x403512);
    assert_int_equal(uds_dtc_parse("U0100", &c), OBD_OK);
    assert_int_equal(c, 0xC10000);
    assert_int_equal(uds_dtc_parse("P0301-1", &c), OBD_EFORMAT);
    assert_int_equal(uds_dtc_parse("P0301-1G", &c), OBD_EFORMAT);
    assert_int_equal(uds_dtc_parse("P0301x13", &c), OBD_EFORMAT);
    assert_int_equal(uds_dtc_base(0x030113), 0x0301);
    assert_int_equal(uds_dtc_ftb(0x030113), 0x13);
    /* every category round-trips through the 3-byte form */
    const char *each[] = { "P0A7F-1C", "C0035-11", "B0001-12", "U0121-87" };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(uds_dtc_parse(each[i], &c), OBD_OK);
        uds_dtc_format(c, t);
        assert_string_equal(t, each[i]);
    }
}

static void test_ftb_and_status_names(void **state)
{
    (void)state;
    assert_string_equal(uds_ftb_name(0x11, OBD_LANG_EN), "Circuit short to ground");
    assert_string_equal(uds_ftb_name(0x12, OBD_LANG_EN), "Circuit short to battery");
    assert_string_equal(uds_ftb_name(0x13, OBD_LANG_ZH), "电路断路");
    assert_null(uds_ftb_name(0xFF, OBD_LANG_EN));
    assert_string_equal(uds_status_bit_key(3), "confirmed");
    assert_string_equal(uds_status_bit_name(2, OBD_LANG_ZH), "待定");
    assert_null(uds_status_bit_key(8));
    for (int b = 0; b < 8; b++) {
        assert_non_null(uds_status_bit_name(b, OBD_LANG_EN));
        assert_non_null(uds_status_bit_name(b, OBD_LANG_ZH));
    }
    assert_int_equal(UDS_ST_CONFIRMED, 1 << 3);
    assert_int_equal(UDS_ST_WARNING_INDICATOR, 1 << 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_known),
        cmocka_unit_test(test_roundtrip_every_code),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_category_and_scope),
        cmocka_unit_test(test_uds_dtc),
        cmocka_unit_test(test_ftb_and_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
