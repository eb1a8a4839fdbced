/*
 * Service $06 (CAN form): test records scaled by hand from the J1979
 * unit-and-scaling table, pass/fail in the raw domain with the UASID's
 * signedness, supported-OBDMID bitmaps, and every malformed shape.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/obd.h"

#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

static obd_mode06_reply_t r; /* large: keep it off the stack */

static void test_catalyst_records(void **state)
{
    (void)state;
    /* given: one reply for OBDMID $21 (catalyst bank 1) with seven records */
    const uint8_t m[] = {
        0x46,
        /* A: TID 80, UASID 06 (0.000305/bit, unsigned)
         *    value 0x0C35 = 3125 -> 0.953125; min 0x0500 = 1280 -> 0.3904;
         *    max 0xFFFF = 65535 -> 19.988175; 1280 <= 3125 <= 65535: pass */
        0x21, 0x80, 0x06, 0x0C, 0x35, 0x05, 0x00, 0xFF, 0xFF,
        /* B: UASID 0A (0.122 mV/bit): value = max = 0x1F40 = 8000 -> 976.0 mV;
         *    equal to the limit passes */
        0x21, 0x81, 0x0A, 0x1F, 0x40, 0x00, 0x00, 0x1F, 0x40,
        /* C: UASID 81 (signed count): 0xFF9C = -100, min 0xFF38 = -200,
         *    max 0x00C8 = 200: pass (unsigned 65436 > 200 would fail) */
        0x21, 0x82, 0x81, 0xFF, 0x9C, 0xFF, 0x38, 0x00, 0xC8,
        /* D: UASID 96 (signed 0.1 degC): 0xFC18 = -1000 -> -100.0 degC,
         *    min 0xFF9C = -100 -> -10.0, max 0x03E8 = 1000 -> 100.0: fail */
        0x21, 0x83, 0x96, 0xFC, 0x18, 0xFF, 0x9C, 0x03, 0xE8,
        /* E: UASID 16 (0.1 degC, -40 offset): 0x0BB8 = 3000 -> 260.0 degC,
         *    min 0 -> -40.0, max 0x0A28 = 2600 -> 220.0: fail (above max) */
        0x21, 0x84, 0x16, 0x0B, 0xB8, 0x00, 0x00, 0x0A, 0x28,
        /* F: UASID 10 (1 ms): value = min = 50 ms, max 500 ms: pass */
        0x21, 0x85, 0x10, 0x00, 0x32, 0x00, 0x32, 0x01, 0xF4,
        /* G: UASID 7F undefined: raw values, unsigned compare: pass */
        0x21, 0x86, 0x7F, 0x12, 0x34, 0x00, 0x00, 0xFF, 0xFF,
    };
    assert_int_equal(obd_parse_mode06(m, sizeof m, &r), OBD_OK);
    assert_false(r.nr.negative);
    assert_false(r.is_support);
    assert_int_equal(r.count, 7);
    for (size_t i = 0; i < r.count; i++) {
        assert_int_equal(r.tests[i].mid, 0x21);
        assert_int_equal(r.tests[i].tid, 0x80 + i);
    }

    const obd_test_result_t *t = &r.tests[0];
    assert_int_equal(t->uasid, 0x06);
    assert_int_equal(t->raw_value, 0x0C35);
    assert_int_equal(t->raw_min, 0x0500);
    assert_int_equal(t->raw_max, 0xFFFF);
    assert_true(t->known_unit);
    assert_near(t->value, 0.953125);
    assert_near(t->min, 0.3904);
    assert_near(t->max, 19.988175);
    assert_true(t->passed);

    t = &r.tests[1];
    assert_near(t->value, 976.0);
    assert_near(t->max, 976.0);
    assert_near(t->min, 0.0);
    assert_true(t->passed);

    t = &r.tests[2];
    assert_near(t->value, -100.0);
    assert_near(t->min, -200.0);
    assert_near(t->max, 200.0);
    assert_true(t->passed);

    t = &r.tests[3];
    assert_near(t->value, -100.0);
    assert_near(t->min, -10.0);
    assert_near(t->max, 100.0);
    assert_false(t->passed);

    t = &r.tests[4];
    assert_near(t->value, 260.0);
    assert_near(t->min, -40.0);
    assert_near(t->max, 220.0);
    assert_false(t->passed);

    t = &r.tests[5];
    assert_near(t->value, 50.0);
    assert_near(t->min, 50.0);
    assert_near(t->max, 500.0);
    assert_true(t->passed);

    t = &r.tests[6];
    assert_false(t->known_unit);
    assert_near(t->value, 4660.0);
    assert_near(t->min, 0.0);
    assert_near(t->max, 65535.0);
    assert_true(t->passed);
}

static void test_evap_and_misfire(void **state)
{
    (void)state;
    /* EVAP 0.020" ($3C), UASID FE (signed 0.25 Pa): value 0xFF38 = -200 ->
     * -50.0 Pa, min 0xFE0C = -500 -> -125.0 Pa, max 0 -> 0 Pa: pass */
    const uint8_t evap[] = { 0x46, 0x3C, 0x01, 0xFE, 0xFF, 0x38, 0xFE, 0x0C, 0x00, 0x00 };
    assert_int_equal(obd_parse_mode06(evap, sizeof evap, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_near(r.tests[0].value, -50.0);
    assert_near(r.tests[0].min, -125.0);
    assert_near(r.tests[0].max, 0.0);
    assert_true(r.tests[0].passed);

    /* Misfire cylinder 1 ($A2), TID 0B/0C, UASID 24 (counts): 0 and 0x0011 = 17
     * misfires, limits 0..0 (no limit): first passes, second fails */
    const uint8_t mis[] = {
        0x46, 0xA2, 0x0B, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xA2, 0x0C, 0x24, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00,
    };
    assert_int_equal(obd_parse_mode06(mis, sizeof mis, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    assert_near(r.tests[0].value, 0.0);
    assert_true(r.tests[0].passed);
    assert_near(r.tests[1].value, 17.0);
    assert_false(r.tests[1].passed);
    assert_string_equal(obd_uas_lookup(r.tests[1].uasid)->unit, "counts");

    /* Signed limits inverted in the unsigned domain: UASID 8B (signed mV):
     * value 0x0100 = 256 -> 0.256 V, min 0x0010 = 16, max 0x9000 = -28672:
     * signed 16 <= 256 <= -28672 is false -> fail (unsigned would pass) */
    const uint8_t inv[] = { 0x46, 0x01, 0x01, 0x8B, 0x01, 0x00, 0x00, 0x10, 0x90, 0x00 };
    assert_int_equal(obd_parse_mode06(inv, sizeof inv, &r), OBD_OK);
    assert_near(r.tests[0].value, 0.256);
    assert_near(r.tests[0].max, -28.672);
    assert_false(r.tests[0].passed);
}

static void test_support_bitmaps(void **state)
{
    (void)state;
    /* 46 00 C0 00 00 01: byte A 0xC0 -> OBDMID $01, $02; byte D bit 0 -> $20 */
    const uint8_t one[] = { 0x46, 0x00, 0xC0, 0x00, 0x00, 0x01 };
    assert_int_equal(obd_parse_mode06(one, sizeof one, &r), OBD_OK);
    assert_true(r.is_support);
    assert_int_equal(r.count, 0);
    uint8_t mids[256];
    assert_int_equal(obd_pidset_list(&r.support, mids, sizeof mids), 3);
    assert_int_equal(mids[0], 0x01);
    assert_int_equal(mids[1], 0x02);
    assert_int_equal(mids[2], 0x20);

    /* Three bitmaps in one CAN reply: $20 block 0x80 -> $21; $40 block bit 0 of
     * byte D -> $60. Union: 01 02 20 21 60 */
    const uint8_t three[] = {
        0x46, 0x00, 0xC0, 0x00, 0x00, 0x01, 0x20, 0x80, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01,
    };
    assert_int_equal(obd_parse_mode06(three, sizeof three, &r), OBD_OK);
    assert_true(r.is_support);
    assert_int_equal(obd_pidset_list(&r.support, mids, sizeof mids), 5);
    assert_true(obd_pidset_has(&r.support, 0x21));
    assert_true(obd_pidset_has(&r.support, 0x60));
    assert_false(obd_pidset_has(&r.support, 0x40));

    /* $E0 block covers $E1-$FF: byte D 0x02 (bit 30) is $FF; bit 31 would be
     * $100, which does not exist and is ignored */
    const uint8_t e0[] = { 0x46, 0xE0, 0x00, 0x00, 0x00, 0x03 };
    assert_int_equal(obd_parse_mode06(e0, sizeof e0, &r), OBD_OK);
    assert_true(obd_pidset_has(&r.support, 0xFF));
    assert_int_equal(obd_pidset_list(&r.support, mids, sizeof mids), 1);
}

static void test_malformed(void **state)
{
    (void)state;
    /* nothing after the SID */
    assert_int_equal(obd_parse_mode06((const uint8_t *)"\x46", 1, &r), OBD_ESHORT);
    assert_int_equal(obd_parse_mode06(NULL, 0, &r), OBD_ESHORT);
    /* a record cut short: 2 of 9 bytes */
    assert_int_equal(obd_parse_mode06((const uint8_t *)"\x46\x21\x80", 3, &r), OBD_ELEN);
    /* one whole record and a trailing byte */
    const uint8_t trail[] = { 0x46, 0x21, 0x80, 0x06, 0, 1, 0, 0, 0, 2, 0x00 };
    assert_int_equal(obd_parse_mode06(trail, sizeof trail, &r), OBD_ELEN);
    assert_int_equal(r.count, 0);
    /* one record short of two (17 bytes) */
    const uint8_t short2[] = { 0x46, 0x21, 0x80, 0x06, 0, 1, 0, 0, 0, 2, 0x21, 0x81, 0x06, 0, 1, 0, 0, 0 };
    assert_int_equal(obd_parse_mode06(short2, sizeof short2, &r), OBD_ELEN);
    /* wrong service */
    const uint8_t wrong[] = { 0x41, 0x21, 0x80, 0x06, 0, 1, 0, 0, 0, 2 };
    assert_int_equal(obd_parse_mode06(wrong, sizeof wrong, &r), OBD_ESID);
    /* negative response is data */
    assert_int_equal(obd_parse_mode06((const uint8_t *)"\x7F\x06\x12", 3, &r), OBD_OK);
    assert_true(r.nr.negative);
    assert_int_equal(r.nr.nrc, 0x12);
    assert_int_equal(r.count, 0);
    assert_int_equal(obd_parse_mode06((const uint8_t *)"\x7F\x09\x12", 3, &r), OBD_ESID);
    /* bitmap of 3 bytes, bitmap with a trailing byte */
    assert_int_equal(obd_parse_mode06((const uint8_t *)"\x46\x00\xC0\x00\x00", 5, &r), OBD_ELEN);
    assert_int_equal(obd_parse_mode06((const uint8_t *)"\x46\x00\xC0\x00\x00\x01\x20", 7, &r), OBD_ELEN);
    /* a second bitmap block naming a monitor, not a bitmap id */
    const uint8_t mixed[] = { 0x46, 0x00, 0xC0, 0x00, 0x00, 0x01, 0x21, 0x80, 0x00, 0x00, 0x00 };
    assert_int_equal(obd_parse_mode06(mixed, sizeof mixed, &r), OBD_EPID);
    assert_false(r.is_support);
    /* second record for another monitor: the split is not trustworthy */
    const uint8_t other[] = {
        0x46, 0x21, 0x80, 0x06, 0, 1, 0, 0, 0, 2, 0x22, 0x80, 0x06, 0, 1, 0, 0, 0, 2,
    };
    assert_int_equal(obd_parse_mode06(other, sizeof other, &r), OBD_EPID);
    assert_int_equal(r.count, 0);
    /* caller error */
    assert_int_equal(obd_parse_mode06(trail, 10, NULL), OBD_EINVAL);
}

static void test_record_limit(void **state)
{
    (void)state;
    static uint8_t m[1 + 9 * (OBD_MAX_TESTS + 1)];
    m[0] = 0x46;
    for (size_t i = 0; i < OBD_MAX_TESTS + 1; i++) {
        uint8_t *rec = m + 1 + 9 * i;
        rec[0] = 0xA1;
        rec[1] = (uint8_t)i;
        rec[2] = 0x24;
        rec[4] = (uint8_t)i;  /* value i */
        rec[8] = 0xFF;        /* max 255 */
    }
    /* exactly OBD_MAX_TESTS records fit */
    assert_int_equal(obd_parse_mode06(m, 1 + 9 * OBD_MAX_TESTS, &r), OBD_OK);
    assert_int_equal(r.count, OBD_MAX_TESTS);
    assert_near(r.tests[63].value, 63.0);
    assert_true(r.tests[63].passed);
    /* one more does not */
    assert_int_equal(obd_parse_mode06(m, sizeof m, &r), OBD_ENOSPC);
    assert_int_equal(r.count, 0);
}

static void test_uas_table(void **state)
{
    (void)state;
    const obd_uas_t *u = obd_uas_lookup(0x0A);
    assert_non_null(u);
    assert_false(u->is_signed);
    assert_near(u->scale, 0.122);
    assert_string_equal(u->unit, "mV");
    u = obd_uas_lookup(0x16);
    assert_near(u->scale, 0.1);
    assert_near(u->offset, -40.0);
    assert_string_equal(u->unit, "°C");
    u = obd_uas_lookup(0x39); /* percent with -327.68 % offset: raw 32768 -> 0 % */
    assert_near(32768 * u->scale + u->offset, 0.0);
    u = obd_uas_lookup(0x07);
    assert_near(u->scale, 0.25);
    assert_string_equal(u->unit, "rpm");
    u = obd_uas_lookup(0x96);
    assert_true(u->is_signed);
    assert_near(u->offset, 0.0);
    u = obd_uas_lookup(0xFE);
    assert_true(u->is_signed);
    assert_near(u->scale, 0.25);
    assert_string_equal(u->unit, "Pa");
    assert_string_equal(obd_uas_lookup(0x0B)->unit, "V");
    assert_string_equal(obd_uas_lookup(0x27)->unit, "g/s");
    assert_string_equal(obd_uas_lookup(0x25)->unit, "km");
    assert_near(obd_uas_lookup(0x32)->scale, 0.0000305 * 25.4);
    /* undefined */
    assert_null(obd_uas_lookup(0x00));
    assert_null(obd_uas_lookup(0x42));
    assert_null(obd_uas_lookup(0x80));
    assert_null(obd_uas_lookup(0x88));
    assert_null(obd_uas_lookup(0xFF));
    /* every entry is consistent: id, signedness by range, texts present */
    int defined = 0;
    for (unsigned id = 0; id < 256; id++) {
        const obd_uas_t *e = obd_uas_lookup((uint8_t)id);
        if (!e)
            continue;
        defined++;
        assert_int_equal(e->uasid, id);
        assert_int_equal(e->is_signed, id >= 0x80);
        assert_true(e->scale > 0);
        assert_non_null(e->en);
        assert_non_null(e->zh);
    }
    /* $01-$41 (65) unsigned + 27 signed */
    assert_int_equal(defined, 65 + 27);
}

static void test_mid_names(void **state)
{
    (void)state;
    assert_string_equal(obd_mid_name(0x01, OBD_LANG_EN), "O2 Sensor Monitor Bank 1 - Sensor 1");
    assert_string_equal(obd_mid_name(0x01, OBD_LANG_ZH), "氧传感器监测 第1排 传感器1");
    assert_string_equal(obd_mid_name(0x10, OBD_LANG_EN), "O2 Sensor Monitor Bank 4 - Sensor 4");
    assert_string_equal(obd_mid_name(0x21, OBD_LANG_EN), "Catalyst Monitor Bank 1");
    assert_string_equal(obd_mid_name(0x21, OBD_LANG_ZH), "催化器监测 第1排");
    assert_string_equal(obd_mid_name(0x22, OBD_LANG_EN), "Catalyst Monitor Bank 2");
    assert_string_equal(obd_mid_name(0x31, OBD_LANG_EN), "EGR Monitor Bank 1");
    assert_string_equal(obd_mid_name(0x38, OBD_LANG_EN), "VVT Monitor Bank 4");
    assert_string_equal(obd_mid_name(0x39, OBD_LANG_EN), "EVAP Monitor (Cap Off / 0.150\")");
    assert_string_equal(obd_mid_name(0x3C, OBD_LANG_EN), "EVAP Monitor (0.020\")");
    assert_string_equal(obd_mid_name(0x3D, OBD_LANG_ZH), "炭罐清污流量监测");
    assert_string_equal(obd_mid_name(0x41, OBD_LANG_EN), "O2 Sensor Heater Monitor Bank 1 - Sensor 1");
    assert_string_equal(obd_mid_name(0x61, OBD_LANG_EN), "Heated Catalyst Monitor Bank 1");
    assert_string_equal(obd_mid_name(0x71, OBD_LANG_EN), "Secondary Air Monitor 1");
    assert_string_equal(obd_mid_name(0x81, OBD_LANG_EN), "Fuel System Monitor Bank 1");
    assert_string_equal(obd_mid_name(0xA1, OBD_LANG_EN), "Misfire Monitor General Data");
    assert_string_equal(obd_mid_name(0xA2, OBD_LANG_EN), "Misfire Cylinder 1 Data");
    assert_string_equal(obd_mid_name(0xA2, OBD_LANG_ZH), "失火监测 第1缸");
    assert_string_equal(obd_mid_name(0xAD, OBD_LANG_EN), "Misfire Cylinder 12 Data");
    assert_string_equal(obd_mid_name(0xB0, OBD_LANG_EN), "PM Filter Monitor Bank 1");
    assert_string_equal(obd_mid_name(0x00, OBD_LANG_EN), "Supported OBDMIDs $01-$20");
    assert_string_equal(obd_mid_name(0xE0, OBD_LANG_EN), "Supported OBDMIDs $E1-$FF");
    /* reserved / manufacturer ranges */
    assert_null(obd_mid_name(0x11, OBD_LANG_EN));
    assert_null(obd_mid_name(0x3E, OBD_LANG_ZH));
    assert_null(obd_mid_name(0xB2, OBD_LANG_EN));
    assert_null(obd_mid_name(0xE1, OBD_LANG_EN));
    assert_null(obd_mid_name(0xFF, OBD_LANG_EN));
    /* every named id has both languages */
    for (unsigned id = 0; id < 256; id++)
        if (obd_mid_name((uint8_t)id, OBD_LANG_EN))
            assert_non_null(obd_mid_name((uint8_t)id, OBD_LANG_ZH));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalyst_records),
        cmocka_unit_test(test_evap_and_misfire),
        cmocka_unit_test(test_support_bitmaps),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_record_limit),
        cmocka_unit_test(test_uas_table),
        cmocka_unit_test(test_mid_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
