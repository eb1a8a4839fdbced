/*
 * J1979 framing: request builders, reply check, PID splitting, supported-PID
 * sets, readiness bit polarity (hand-worked), DTC lists and service 04.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/obd.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void test_request_builders(void **state)
{
    (void)state;
    uint8_t b[16];
    const uint8_t six[] = { 0x0C, 0x0D, 0x05, 0x04, 0x11, 0x0B };
    /* when: six PIDs; then: 01 + the six PIDs */
    assert_int_equal(obd_req_mode01(b, sizeof b, six, 6), 7);
    assert_memory_equal(b, "\x01\x0C\x0D\x05\x04\x11\x0B", 7);
    /* a seventh PID is not allowed on CAN */
    const uint8_t seven[7] = { 0 };
    assert_int_equal(obd_req_mode01(b, sizeof b, seven, 7), OBD_EINVAL);
    assert_int_equal(obd_req_mode01(b, sizeof b, six, 0), OBD_EINVAL);
    /* buffer too small */
    assert_int_equal(obd_req_mode01(b, 3, six, 6), OBD_ENOSPC);
    /* freeze frame: PID + frame per PID */
    const uint8_t ff[] = { 0x02, 0x0C };
    assert_int_equal(obd_req_mode02(b, sizeof b, ff, 2, 0), 5);
    assert_memory_equal(b, "\x02\x02\x00\x0C\x00", 5);
    assert_int_equal(obd_req_simple(b, sizeof b, 0x03), 1);
    assert_int_equal(b[0], 0x03);
    assert_int_equal(obd_req_simple(b, sizeof b, 0x0A), 1);
    assert_int_equal(obd_req_simple(b, sizeof b, 0x01), OBD_EINVAL);
    assert_int_equal(obd_req_mode06(b, sizeof b, 0x21), 2);
    assert_memory_equal(b, "\x06\x21", 2);
    assert_int_equal(obd_req_mode09(b, sizeof b, 0x02), 2);
    assert_memory_equal(b, "\x09\x02", 2);
}

static void test_check_reply(void **state)
{
    (void)state;
    obd_nr_t nr;
    assert_int_equal(obd_check_reply((const uint8_t *)"\x41\x0C", 2, 0x01, &nr), OBD_OK);
    assert_false(nr.negative);
    /* negative response is data: OK + NRC */
    assert_int_equal(obd_check_reply((const uint8_t *)"\x7F\x0A\x11", 3, 0x0A, &nr), OBD_OK);
    assert_true(nr.negative);
    assert_int_equal(nr.nrc, 0x11);
    /* negative response to another service */
    assert_int_equal(obd_check_reply((const uint8_t *)"\x7F\x03\x11", 3, 0x0A, &nr), OBD_ESID);
    assert_int_equal(obd_check_reply((const uint8_t *)"\x7F\x0A", 2, 0x0A, &nr), OBD_ESHORT);
    assert_int_equal(obd_check_reply((const uint8_t *)"\x7F\x0A\x11\x00", 4, 0x0A, &nr), OBD_ELEN);
    assert_int_equal(obd_check_reply((const uint8_t *)"\x43\x00", 2, 0x01, &nr), OBD_ESID);
    assert_int_equal(obd_check_reply(NULL, 0, 0x01, &nr), OBD_ESHORT);
}

static void test_pid_reply_single_and_multi(void **state)
{
    (void)state;
    obd_pid_reply_t r;
    /* given: 41 0C 1A F8 (rpm, 2 bytes) 0D 32 (speed, 1) 05 7B (coolant, 1) */
    const uint8_t m[] = { 0x41, 0x0C, 0x1A, 0xF8, 0x0D, 0x32, 0x05, 0x7B };
    assert_int_equal(obd_parse_pid_reply(m, sizeof m, 0x01, &r), OBD_OK);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.pids[0].pid, 0x0C);
    assert_int_equal(r.pids[0].len, 2);
    assert_int_equal(r.pids[0].data[0], 0x1A);
    assert_int_equal(r.pids[1].pid, 0x0D);
    assert_int_equal(r.pids[1].data[0], 0x32);
    assert_int_equal(r.pids[2].pid, 0x05);
    assert_int_equal(r.pids[2].data[0], 0x7B);
    /* six PIDs of varying lengths incl. a 4-byte bitmap and O2 sensor (2 bytes) */
    const uint8_t six[] = { 0x41, 0x00, 0xBE, 0x1F, 0xA8, 0x13, 0x14, 0x80, 0x7F, 0x0C, 0x0B, 0xB8,
                            0x0D, 0x00, 0x11, 0x26, 0x2F, 0x80 };
    assert_int_equal(obd_parse_pid_reply(six, sizeof six, 0x01, &r), OBD_OK);
    assert_int_equal(r.count, 6);
    assert_int_equal(r.pids[0].len, 4);
    assert_int_equal(r.pids[1].pid, 0x14);
    assert_int_equal(r.pids[1].len, 2);
    assert_int_equal(r.pids[5].pid, 0x2F);
    assert_int_equal(r.pids[5].data[0], 0x80);
}

static void test_pid_reply_freeze_frame(void **state)
{
    (void)state;
    obd_pid_reply_t r;
    /* 42 02 00 01 33 (DTC that stored frame 0: P0133), 42 0C 00 0F A0 */
    const uint8_t m[] = { 0x42, 0x02, 0x00, 0x01, 0x33, 0x0C, 0x00, 0x0F, 0xA0 };
    assert_int_equal(obd_parse_pid_reply(m, sizeof m, 0x02, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.pids[0].pid, 0x02);
    assert_int_equal(r.pids[0].frame, 0);
    assert_int_equal((r.pids[0].data[0] << 8) | r.pids[0].data[1], 0x0133);
    assert_int_equal(r.pids[1].pid, 0x0C);
    assert_int_equal(r.pids[1].len, 2);
}

static void test_pid_reply_malformed(void **state)
{
    (void)state;
    obd_pid_reply_t r;
    /* short: rpm needs 2 bytes */
    assert_int_equal(obd_parse_pid_reply((const uint8_t *)"\x41\x0C\x1A", 3, 0x01, &r), OBD_ESHORT);
    /* SID only */
    assert_int_equal(obd_parse_pid_reply((const uint8_t *)"\x41", 1, 0x01, &r), OBD_ESHORT);
    /* wrong service */
    assert_int_equal(obd_parse_pid_reply((const uint8_t *)"\x42\x0C\x1A\xF8", 4, 0x01, &r), OBD_ESID);
    /* negative response is returned as data */
    assert_int_equal(obd_parse_pid_reply((const uint8_t *)"\x7F\x01\x12", 3, 0x01, &r), OBD_OK);
    assert_true(r.nr.negative);
    assert_int_equal(r.nr.nrc, 0x12);
    assert_int_equal(r.count, 0);
    /* unknown PID (0xFF) in the middle cannot be split */
    assert_int_equal(obd_parse_pid_reply((const uint8_t *)"\x41\x0D\x10\xFF\x01\x0D\x10", 7, 0x01, &r),
                     OBD_EPID);
    /* unknown PID alone takes the rest */
    assert_int_equal(obd_parse_pid_reply((const uint8_t *)"\x41\xFF\x01\x02", 4, 0x01, &r), OBD_OK);
    assert_int_equal(r.pids[0].len, 2);
    /* seven PIDs is more than a reply may carry */
    const uint8_t seven[] = { 0x41, 0x0D, 1, 0x0D, 2, 0x0D, 3, 0x0D, 4, 0x0D, 5, 0x0D, 6, 0x0D, 7 };
    assert_int_equal(obd_parse_pid_reply(seven, sizeof seven, 0x01, &r), OBD_ELEN);
    /* bad service argument */
    assert_int_equal(obd_parse_pid_reply((const uint8_t *)"\x43\x00", 2, 0x03, &r), OBD_EINVAL);
}

static void test_pidset(void **state)
{
    (void)state;
    obd_pidset_t s;
    memset(&s, 0, sizeof s);
    /* given: BE 1F A8 13 for $00 — hand-decoded: BE=1011 1110 -> 01 03-07; 1F=0001 1111 -> 0C-10;
     * A8=1010 1000 -> 11 13 15; 13=0001 0011 -> 1C 1F 20 */
    const uint8_t bm[] = { 0xBE, 0x1F, 0xA8, 0x13 };
    assert_int_equal(obd_pidset_merge(&s, 0x00, bm, 4), OBD_OK);
    uint8_t list[64];
    size_t n = obd_pidset_list(&s, list, sizeof list);
    const uint8_t want[] = { 0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0C, 0x0D,
                             0x0E, 0x0F, 0x10, 0x11, 0x13, 0x15, 0x1C, 0x1F, 0x20 };
    assert_int_equal(n, LEN(want));
    assert_memory_equal(list, want, LEN(want));
    assert_true(obd_pidset_has(&s, 0x0C));
    assert_false(obd_pidset_has(&s, 0x02));
    /* $E0 bitmap: last bit is PID 0x100, which does not exist: no overflow */
    const uint8_t all[] = { 0xFF, 0xFF, 0xFF, 0xFF };
    assert_int_equal(obd_pidset_merge(&s, 0xE0, all, 4), OBD_OK);
    assert_true(obd_pidset_has(&s, 0xFF));
    assert_int_equal(obd_pidset_merge(&s, 0x10, all, 4), OBD_EINVAL);
    assert_int_equal(obd_pidset_merge(&s, 0x20, all, 3), OBD_ESHORT);
    assert_int_equal(obd_pidset_merge(&s, 0x20, all, 5), OBD_ELEN);
    /* list truncates at cap */
    assert_int_equal(obd_pidset_list(&s, list, 3), 3);
}

static void test_readiness_spark_hand_worked(void **state)
{
    (void)state;
    obd_readiness_t r;
    /* given: 81 07 65 04
     * A=81: MIL on, 1 DTC. B=07: misfire/fuel/components supported, bits 4-6
     * clear = complete, bit 3 clear = spark. C=65 (0110 0101): catalyst,
     * EVAP, O2 sensor, O2 heater supported. D=04: bit 2 set = EVAP NOT complete. */
    const uint8_t d[] = { 0x81, 0x07, 0x65, 0x04 };
    assert_int_equal(obd_readiness_decode(d, 4, false, &r), OBD_OK);
    assert_true(r.mil_on);
    assert_int_equal(r.dtc_count, 1);
    assert_false(r.compression);
    assert_true(r.mon[OBD_MON_MISFIRE].supported);
    assert_true(r.mon[OBD_MON_MISFIRE].complete);
    assert_true(r.mon[OBD_MON_CATALYST].supported);
    assert_true(r.mon[OBD_MON_CATALYST].complete);
    assert_true(r.mon[OBD_MON_EVAP].supported);
    assert_false(r.mon[OBD_MON_EVAP].complete); /* set bit = NOT complete */
    assert_true(r.mon[OBD_MON_O2_SENSOR].complete);
    assert_true(r.mon[OBD_MON_O2_HEATER].complete);
    assert_false(r.mon[OBD_MON_HEATED_CATALYST].supported);
    assert_false(r.mon[OBD_MON_EGR_VVT].supported);
    assert_false(r.mon[OBD_MON_PM_FILTER].supported);
    int sup, inc;
    obd_readiness_counts(&r, &sup, &inc);
    assert_int_equal(sup, 7);
    assert_int_equal(inc, 1);
}

static void test_readiness_all_incomplete_after_clear(void **state)
{
    (void)state;
    obd_readiness_t r;
    /* given: just cleared: 00 77 E5 E5 — B=77: all three common supported and
     * NOT complete; C=E5 supported catalyst, EVAP, O2, heater, EGR; D=E5 none complete */
    const uint8_t d[] = { 0x00, 0x77, 0xE5, 0xE5 };
    assert_int_equal(obd_readiness_decode(d, 4, false, &r), OBD_OK);
    assert_false(r.mil_on);
    assert_int_equal(r.dtc_count, 0);
    int sup, inc;
    obd_readiness_counts(&r, &sup, &inc);
    assert_int_equal(sup, 8);
    assert_int_equal(inc, 8);
    assert_false(r.mon[OBD_MON_COMPONENTS].complete);
    assert_true(r.mon[OBD_MON_EGR_VVT].supported);
    /* an unsupported monitor is never reported complete, whatever its D bit */
    const uint8_t d2[] = { 0x00, 0x00, 0x00, 0x00 };
    assert_int_equal(obd_readiness_decode(d2, 4, false, &r), OBD_OK);
    assert_false(r.mon[OBD_MON_MISFIRE].complete);
    assert_false(r.mon[OBD_MON_CATALYST].complete);
}

static void test_readiness_compression_hand_worked(void **state)
{
    (void)state;
    obd_readiness_t r;
    /* given: 83 2F EB 41 — A: MIL on, 3 DTCs. B=2F: supported 0-2, bit 3 set =
     * compression, bit 5 set = fuel system NOT complete. C=EB (1110 1011):
     * NMHC cat, NOx/SCR, boost, exhaust gas sensor, PM filter, EGR/VVT.
     * D=41: NMHC catalyst and PM filter NOT complete. */
    const uint8_t d[] = { 0x83, 0x2F, 0xEB, 0x41 };
    assert_int_equal(obd_readiness_decode(d, 4, false, &r), OBD_OK);
    assert_true(r.mil_on);
    assert_int_equal(r.dtc_count, 3);
    assert_true(r.compression);
    assert_true(r.mon[OBD_MON_MISFIRE].complete);
    assert_false(r.mon[OBD_MON_FUEL_SYSTEM].complete);
    assert_true(r.mon[OBD_MON_COMPONENTS].complete);
    assert_true(r.mon[OBD_MON_NMHC_CATALYST].supported);
    assert_false(r.mon[OBD_MON_NMHC_CATALYST].complete);
    assert_true(r.mon[OBD_MON_NOX_SCR].complete);
    assert_true(r.mon[OBD_MON_BOOST_PRESSURE].complete);
    assert_true(r.mon[OBD_MON_EXHAUST_GAS_SENSOR].complete);
    assert_false(r.mon[OBD_MON_PM_FILTER].complete);
    assert_true(r.mon[OBD_MON_EGR_VVT].complete);
    /* the spark-only monitors do not exist on a diesel even though C bit 0 is set */
    assert_false(r.mon[OBD_MON_CATALYST].supported);
    assert_false(r.mon[OBD_MON_EVAP].supported);
}

static void test_readiness_this_cycle_and_errors(void **state)
{
    (void)state;
    obd_readiness_t r;
    /* PID $41: byte A is reserved — MIL/count must not be read from it */
    const uint8_t d[] = { 0xFF, 0x07, 0x01, 0x01 };
    assert_int_equal(obd_readiness_decode(d, 4, true, &r), OBD_OK);
    assert_false(r.mil_on);
    assert_int_equal(r.dtc_count, 0);
    assert_true(r.mon[OBD_MON_CATALYST].supported);
    assert_false(r.mon[OBD_MON_CATALYST].complete);
    assert_int_equal(obd_readiness_decode(d, 3, false, &r), OBD_ESHORT);
    assert_int_equal(obd_readiness_decode(d, 5, false, &r), OBD_ELEN);
    assert_string_equal(obd_monitor_key(OBD_MON_CATALYST), "catalyst");
    assert_string_equal(obd_monitor_name(OBD_MON_EVAP, OBD_LANG_ZH), "燃油蒸发系统监测");
}

static void test_dtc_reply_can(void **state)
{
    (void)state;
    obd_dtc_list_t l;
    /* 43 02 03 01 01 33: P0301, P0133 */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43\x02\x03\x01\x01\x33", 6, 0x03, true, &l), OBD_OK);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.dtcs[0], 0x0301);
    assert_int_equal(l.dtcs[1], 0x0133);
    /* none */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x47\x00", 2, 0x07, true, &l), OBD_OK);
    assert_int_equal(l.count, 0);
    /* one of each category in a permanent list: C0035 U0100 B0001 P2096 */
    const uint8_t m[] = { 0x4A, 0x04, 0x40, 0x35, 0xC1, 0x00, 0x80, 0x01, 0x20, 0x96 };
    assert_int_equal(obd_parse_dtc_reply(m, sizeof m, 0x0A, true, &l), OBD_OK);
    assert_int_equal(l.count, 4);
    assert_int_equal(l.dtcs[0], 0x4035);
    assert_int_equal(l.dtcs[1], 0xC100);
    /* count mismatch: says 3, carries 2 */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43\x03\x03\x01\x01\x33", 6, 0x03, true, &l),
                     OBD_ESHORT);
    /* count mismatch: says 1, carries 2 */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43\x01\x03\x01\x01\x33", 6, 0x03, true, &l),
                     OBD_ELEN);
    /* odd length */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43\x01\x03\x01\x01", 5, 0x03, true, &l), OBD_ELEN);
    /* missing count */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43", 1, 0x03, true, &l), OBD_ESHORT);
    /* wrong SID */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x47\x00", 2, 0x03, true, &l), OBD_ESID);
    /* Mode 0A not supported by an older ECU: data, not failure */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x7F\x0A\x11", 3, 0x0A, true, &l), OBD_OK);
    assert_true(l.nr.negative);
    assert_int_equal(l.nr.nrc, 0x11);
}

static void test_dtc_reply_legacy(void **state)
{
    (void)state;
    obd_dtc_list_t l;
    /* ISO 9141: 43 03 01 01 33 00 00 -> P0301 P0133 (padding dropped) */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43\x03\x01\x01\x33\x00\x00", 7, 0x03, false, &l),
                     OBD_OK);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.dtcs[1], 0x0133);
    /* two messages from one ECU: 5 codes */
    const uint8_t two[] = { 0x43, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02,
                            0x43, 0x01, 0x03, 0x01, 0x04, 0x00, 0x00 };
    assert_int_equal(obd_parse_dtc_reply(two, sizeof two, 0x03, false, &l), OBD_OK);
    assert_int_equal(l.count, 5);
    assert_int_equal(l.dtcs[4], 0x0104);
    /* second message with a wrong SID */
    uint8_t bad[sizeof two];
    memcpy(bad, two, sizeof two);
    bad[7] = 0x47;
    assert_int_equal(obd_parse_dtc_reply(bad, sizeof bad, 0x03, false, &l), OBD_ESID);
    /* 8 bytes: not whole messages */
    assert_int_equal(obd_parse_dtc_reply(two, 8, 0x03, false, &l), OBD_ELEN);
    /* a single short message with half a DTC */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43\x01\x00\x01", 4, 0x03, false, &l), OBD_ELEN);
    /* no DTCs at all */
    assert_int_equal(obd_parse_dtc_reply((const uint8_t *)"\x43\x00\x00\x00\x00\x00\x00", 7, 0x03, false, &l),
                     OBD_OK);
    assert_int_equal(l.count, 0);
}

/* Replies that are not textbook, as seen from other ECU simulators (issue 18). */
static void test_dtc_reply_lenient(void **state)
{
    (void)state;
    obd_dtc_list_t l;
    obd_dtc_dev_t dev;
    char key[48];
    /* Textbook: no deviation. */
    assert_int_equal(obd_parse_dtc_reply_lenient((const uint8_t *)"\x43\x01\x03\x01", 4, 0x03, true, -1, &l, &dev),
                     OBD_OK);
    assert_int_equal(dev.kind, OBD_DTC_DEV_NONE);
    assert_int_equal(l.count, 1);
    /* Count byte 20 (0x14), 18 whole codes carried: keep the 18. */
    uint8_t m[2 + 36];
    m[0] = 0x47;
    m[1] = 20;
    for (int i = 0; i < 18; i++) {
        m[2 + 2 * i] = 0x01;
        m[3 + 2 * i] = (uint8_t)(0x10 + i);
    }
    assert_int_equal(obd_parse_dtc_reply(m, sizeof m, 0x07, true, &l), OBD_ESHORT);
    assert_int_equal(obd_parse_dtc_reply_lenient(m, sizeof m, 0x07, true, -1, &l, &dev), OBD_OK);
    assert_int_equal(dev.kind, OBD_DTC_DEV_COUNT);
    assert_int_equal(dev.count_byte, 20);
    assert_int_equal(dev.carried, 18);
    assert_int_equal(l.count, 18);
    assert_int_equal(l.dtcs[17], 0x0121); /* P0121 */
    assert_string_equal(obd_dtc_dev_key(&dev, key, sizeof key), "count_byte:20:18");
    /* Legacy layout on CAN: 43 01 04 80 03 41 23 = P0104 B0003 C0123; PID 01 said 3. */
    const uint8_t lg[] = { 0x43, 0x01, 0x04, 0x80, 0x03, 0x41, 0x23 };
    assert_int_equal(obd_parse_dtc_reply_lenient(lg, sizeof lg, 0x03, true, 3, &l, &dev), OBD_OK);
    assert_int_equal(dev.kind, OBD_DTC_DEV_LEGACY_ON_CAN);
    assert_int_equal(l.count, 3);
    char t[OBD_DTC_TEXT_LEN];
    obd_dtc_format(l.dtcs[0], t);
    assert_string_equal(t, "P0104");
    obd_dtc_format(l.dtcs[1], t);
    assert_string_equal(t, "B0003");
    obd_dtc_format(l.dtcs[2], t);
    assert_string_equal(t, "C0123");
    /* The same bytes without PID 01: count 1 does not fit 2 whole codes either: still legacy. */
    assert_int_equal(obd_parse_dtc_reply_lenient(lg, sizeof lg, 0x03, true, -1, &l, &dev), OBD_OK);
    assert_int_equal(dev.kind, OBD_DTC_DEV_LEGACY_ON_CAN);
    /* Count 2 + two codes + a stray byte: the half code is reported, not invented. */
    const uint8_t tr[] = { 0x43, 0x02, 0x01, 0x04, 0x80, 0x03, 0x41 };
    assert_int_equal(obd_parse_dtc_reply_lenient(tr, sizeof tr, 0x03, true, 2, &l, &dev), OBD_OK);
    assert_int_equal(dev.kind, OBD_DTC_DEV_TRAILING);
    assert_int_equal(dev.trailing, 1);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.dtcs[1], 0x8003);
    /* Wrong service: unreadable, no codes. */
    assert_int_equal(obd_parse_dtc_reply_lenient((const uint8_t *)"\x41\x00\x01", 3, 0x03, true, -1, &l, &dev),
                     OBD_ESID);
    assert_int_equal(l.count, 0);
    /* Negative answers stay negative, not deviations. */
    assert_int_equal(obd_parse_dtc_reply_lenient((const uint8_t *)"\x7F\x0A\x11", 3, 0x0A, true, -1, &l, &dev), OBD_OK);
    assert_true(l.nr.negative);
    assert_int_equal(dev.kind, OBD_DTC_DEV_NONE);
    /* Legacy protocol, a message cut short: whole codes kept, the rest counted. */
    const uint8_t ks[] = { 0x43, 0x01, 0x33, 0x03, 0x01, 0x01 };
    assert_int_equal(obd_parse_dtc_reply_lenient(ks, sizeof ks, 0x03, false, -1, &l, &dev), OBD_OK);
    assert_int_equal(l.count, 2);
    assert_int_equal(dev.kind, OBD_DTC_DEV_TRAILING);
    assert_int_equal(dev.trailing, 1);
    /* Every length up to 40 of arbitrary bytes: never more codes than whole pairs. */
    uint8_t junk[40];
    for (size_t n = 0; n <= sizeof junk; n++) {
        for (size_t i = 0; i < n; i++)
            junk[i] = (uint8_t)(i * 37 + n);
        if (n)
            junk[0] = 0x43;
        if (obd_parse_dtc_reply_lenient(junk, n, 0x03, n % 2, -1, &l, &dev) == OBD_OK)
            assert_true(l.count <= n / 2);
    }
}

static void test_clear_reply(void **state)
{
    (void)state;
    obd_nr_t nr;
    assert_int_equal(obd_parse_clear_reply((const uint8_t *)"\x44", 1, &nr), OBD_OK);
    assert_false(nr.negative);
    /* engine running: conditions not correct */
    assert_int_equal(obd_parse_clear_reply((const uint8_t *)"\x7F\x04\x22", 3, &nr), OBD_OK);
    assert_true(nr.negative);
    assert_int_equal(nr.nrc, 0x22);
    assert_int_equal(obd_parse_clear_reply((const uint8_t *)"\x7F\x04\x22", 3, NULL), OBD_OK);
    assert_int_equal(obd_parse_clear_reply((const uint8_t *)"\x44\x00", 2, &nr), OBD_ELEN);
    assert_int_equal(obd_parse_clear_reply((const uint8_t *)"\x43", 1, &nr), OBD_ESID);
}

/* The shared hex helpers: both cases in, upper case out, whole bytes only. */
static void test_hex_helpers(void **state)
{
    (void)state;
    assert_int_equal(obd_hex_digit('0'), 0);
    assert_int_equal(obd_hex_digit('a'), 10);
    assert_int_equal(obd_hex_digit('F'), 15);
    assert_int_equal(obd_hex_digit('g'), -1);
    assert_int_equal(obd_hex_digit(' '), -1);
    const uint8_t b[] = { 0x0C, 0x80, 0xAB };
    char out[7];
    assert_string_equal(obd_hex_text(b, 3, out, sizeof out), "0C80AB");
    assert_string_equal(obd_hex_text(b, 3, out, 6), "0C80"); /* no room for the third: two whole bytes */
    assert_string_equal(obd_hex_text(b, 0, out, sizeof out), "");
    out[0] = 'x';
    obd_hex_text(b, 3, out, 0); /* nothing written */
    assert_int_equal(out[0], 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_builders),
        cmocka_unit_test(test_hex_helpers),
        cmocka_unit_test(test_check_reply),
        cmocka_unit_test(test_pid_reply_single_and_multi),
        cmocka_unit_test(test_pid_reply_freeze_frame),
        cmocka_unit_test(test_pid_reply_malformed),
        cmocka_unit_test(test_pidset),
        cmocka_unit_test(test_readiness_spark_hand_worked),
        cmocka_unit_test(test_readiness_all_incomplete_after_clear),
        cmocka_unit_test(test_readiness_compression_hand_worked),
        cmocka_unit_test(test_readiness_this_cycle_and_errors),
        cmocka_unit_test(test_dtc_reply_can),
        cmocka_unit_test(test_dtc_reply_legacy),
        cmocka_unit_test(test_dtc_reply_lenient),
        cmocka_unit_test(test_clear_reply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
