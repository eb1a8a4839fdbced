/*
 * Service $09: CAN replies (after ISO-TP reassembly) and legacy multi-message
 * replies of the same data, support bitmaps, text items, in-use performance
 * counters and every malformed shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/obd.h"

static obd_info_reply_t r; /* large: keep it off the stack */

#define VIN "1HGCM82633A004352"

/* 49 02 01 + 17 VIN bytes: one ISO 15765-4 message of 20 bytes. */
static size_t vin_can(uint8_t *m)
{
    m[0] = 0x49;
    m[1] = 0x02;
    m[2] = 0x01;
    memcpy(m + 3, VIN, 17);
    return 20;
}

/*
 * Legacy VIN: 5 messages 49 02 <seq> <4 bytes>; the 20 data bytes are
 * 00 00 00 then the 17 VIN characters.
 *   49 02 01 00 00 00 '1'
 *   49 02 02 'H' 'G' 'C' 'M'
 *   49 02 03 '8' '2' '6' '3'
 *   49 02 04 '3' 'A' '0' '0'
 *   49 02 05 '4' '3' '5' '2'
 */
static size_t vin_legacy(uint8_t *m)
{
    uint8_t data[20] = { 0 };
    memcpy(data + 3, VIN, 17);
    for (int k = 0; k < 5; k++) {
        m[7 * k] = 0x49;
        m[7 * k + 1] = 0x02;
        m[7 * k + 2] = (uint8_t)(k + 1);
        memcpy(m + 7 * k + 3, data + 4 * k, 4);
    }
    return 35;
}

static void test_vin_can_and_legacy(void **state)
{
    (void)state;
    uint8_t m[64];
    char text[OBD_MAX_INFO_ITEM_LEN + 1];

    size_t n = vin_can(m);
    assert_int_equal(obd_parse_mode09(m, n, &r), OBD_OK);
    assert_false(r.nr.negative);
    assert_int_equal(r.infotype, OBD_INFO_VIN);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.items[0].len, 17);
    assert_int_equal(obd_info_text(&r.items[0], text, sizeof text), OBD_OK);
    assert_string_equal(text, VIN);

    n = vin_legacy(m);
    assert_memory_equal(m, "\x49\x02\x01\x00\x00\x00" "1" "\x49\x02\x02" "HGCM", 14);
    assert_int_equal(obd_parse_mode09(m, n, &r), OBD_OK);
    assert_int_equal(r.infotype, OBD_INFO_VIN);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.items[0].len, 20); /* 3 pad bytes + 17 */
    assert_memory_equal(r.items[0].data, "\0\0\0" VIN, 20);
    assert_int_equal(obd_info_text(&r.items[0], text, sizeof text), OBD_OK);
    assert_string_equal(text, VIN);

    /* a VIN-sized buffer without room for the terminator */
    assert_int_equal(obd_info_text(&r.items[0], text, 17), OBD_ENOSPC);
    assert_int_equal(obd_info_text(&r.items[0], text, 18), OBD_OK);
}

static void test_legacy_bad_sequence_not_joined(void **state)
{
    (void)state;
    uint8_t m[64];
    char text[OBD_MAX_INFO_ITEM_LEN + 1];
    size_t n = vin_legacy(m);
    /* messages 3 and 4 swapped: seq 1 2 4 3 5 is not the legacy form, so the
     * reply is read as CAN (NODI 1, one 32-byte item) and that item is not text */
    uint8_t tmp[7];
    memcpy(tmp, m + 14, 7);
    memcpy(m + 14, m + 21, 7);
    memcpy(m + 21, tmp, 7);
    assert_int_equal(obd_parse_mode09(m, n, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.items[0].len, 32);
    assert_int_equal(obd_info_text(&r.items[0], text, sizeof text), OBD_EFORMAT);
}

static void test_calid_two_items(void **state)
{
    (void)state;
    char text[OBD_MAX_INFO_ITEM_LEN + 1];
    /* 49 04 02 + 2 x 16 bytes: data 32 / NODI 2 = 16 bytes per item */
    uint8_t m[3 + 32] = { 0x49, 0x04, 0x02 };
    memcpy(m + 3, "JMB*36761500", 12);      /* then 4 x 00 */
    memcpy(m + 19, "JMB*47872611", 12);
    assert_int_equal(obd_parse_mode09(m, sizeof m, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.items[0].len, 16);
    assert_int_equal(r.items[1].len, 16);
    assert_int_equal(obd_info_text(&r.items[0], text, sizeof text), OBD_OK);
    assert_string_equal(text, "JMB*36761500");
    assert_int_equal(obd_info_text(&r.items[1], text, sizeof text), OBD_OK);
    assert_string_equal(text, "JMB*47872611");

    /* the same two CALIDs in legacy form: 8 messages, seq 1..8, 16 bytes each */
    uint8_t l[8 * 7];
    for (int k = 0; k < 8; k++) {
        l[7 * k] = 0x49;
        l[7 * k + 1] = 0x04;
        l[7 * k + 2] = (uint8_t)(k + 1);
        memcpy(l + 7 * k + 3, m + 3 + 4 * k, 4);
    }
    assert_int_equal(obd_parse_mode09(l, sizeof l, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.items[1].len, 16);
    assert_int_equal(obd_info_text(&r.items[1], text, sizeof text), OBD_OK);
    assert_string_equal(text, "JMB*47872611");

    /* 5 legacy messages = 20 bytes: not a whole number of 16-byte CALIDs */
    assert_int_equal(obd_parse_mode09(l, 5 * 7, &r), OBD_ELEN);
    assert_int_equal(r.count, 0);
}

static void test_cvn_items(void **state)
{
    (void)state;
    /* 49 06 02: two 4-byte CVNs 0x1791BC82 and 0x16E062BE */
    const uint8_t m[] = { 0x49, 0x06, 0x02, 0x17, 0x91, 0xBC, 0x82, 0x16, 0xE0, 0x62, 0xBE };
    assert_int_equal(obd_parse_mode09(m, sizeof m, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.items[0].len, 4);
    assert_memory_equal(r.items[0].data, "\x17\x91\xBC\x82", 4);
    assert_memory_equal(r.items[1].data, "\x16\xE0\x62\xBE", 4);
    /* one CVN: 7 bytes, identical whether read as CAN or as one legacy message */
    const uint8_t one[] = { 0x49, 0x06, 0x01, 0x17, 0x91, 0xBC, 0x82 };
    assert_int_equal(obd_parse_mode09(one, sizeof one, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_memory_equal(r.items[0].data, "\x17\x91\xBC\x82", 4);
}

static void test_ecu_name(void **state)
{
    (void)state;
    char text[OBD_MAX_INFO_ITEM_LEN + 1];
    /* 49 0A 01 + 20 bytes: acronym "ECM" padded with 00 to 4, '-', name
     * "EngineControl" padded with 00 to 15 */
    uint8_t m[3 + 20] = { 0x49, 0x0A, 0x01 };
    memcpy(m + 3, "ECM\0-EngineControl\0\0", 20);
    assert_int_equal(obd_parse_mode09(m, sizeof m, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.items[0].len, 20);
    assert_int_equal(obd_info_text(&r.items[0], text, sizeof text), OBD_OK);
    assert_string_equal(text, "ECM-EngineControl");
    /* a four-letter acronym needs no padding */
    memcpy(m + 3, "TCM1-TransControl\0\0\0", 20);
    assert_int_equal(obd_parse_mode09(m, sizeof m, &r), OBD_OK);
    assert_int_equal(obd_info_text(&r.items[0], text, sizeof text), OBD_OK);
    assert_string_equal(text, "TCM1-TransControl");
}

static void fill_ipt(uint8_t *m, uint8_t type, uint8_t nodi)
{
    m[0] = 0x49;
    m[1] = type;
    m[2] = nodi;
    /* counter i = 0x0100 * i + 0x10 + i: obdcond 0x0010 = 16,
     * igncntr 0x0111 = 273, ..., counter 19 = 0x1323 = 4899 */
    for (int i = 0; i < nodi; i++) {
        m[3 + 2 * i] = (uint8_t)i;
        m[4 + 2 * i] = (uint8_t)(0x10 + i);
    }
}

static void test_ipt_spark_20_and_16(void **state)
{
    (void)state;
    uint8_t m[3 + 40];
    obd_ipt_t ipt;

    /* 2009+ ECU: NODI 0x14 = 20 counters, 40 bytes */
    fill_ipt(m, 0x08, 20);
    assert_int_equal(obd_parse_mode09(m, sizeof m, &r), OBD_OK);
    assert_int_equal(r.count, 20);
    assert_int_equal(r.items[0].len, 2);
    assert_int_equal(obd_ipt_decode(0x08, &r, &ipt), OBD_OK);
    assert_int_equal(ipt.count, 20);
    assert_string_equal(ipt.c[0].key, "obdcond");
    assert_int_equal(ipt.c[0].value, 16);
    assert_string_equal(ipt.c[1].key, "igncntr");
    assert_int_equal(ipt.c[1].value, 273);
    assert_string_equal(ipt.c[2].key, "catcomp1");
    assert_string_equal(ipt.c[15].key, "evapcond");
    assert_string_equal(ipt.c[16].key, "so2scomp1");
    assert_string_equal(ipt.c[19].key, "so2scond2");
    assert_int_equal(ipt.c[19].value, 4899);
    assert_string_equal(ipt.c[1].en, "Ignition cycle counter");
    assert_string_equal(ipt.c[1].zh, "点火循环计数");

    /* older ECU: NODI 0x10 = 16 counters, 32 bytes */
    fill_ipt(m, 0x08, 16);
    assert_int_equal(obd_parse_mode09(m, 3 + 32, &r), OBD_OK);
    assert_int_equal(r.count, 16);
    assert_int_equal(obd_ipt_decode(0x08, &r, &ipt), OBD_OK);
    assert_int_equal(ipt.count, 16);
    assert_string_equal(ipt.c[15].key, "evapcond");
    assert_int_equal(ipt.c[15].value, 0x0F1F);

    /* the 16 counters in legacy form: 8 messages of 2 counters each */
    uint8_t l[8 * 7];
    for (int k = 0; k < 8; k++) {
        l[7 * k] = 0x49;
        l[7 * k + 1] = 0x08;
        l[7 * k + 2] = (uint8_t)(k + 1);
        memcpy(l + 7 * k + 3, m + 3 + 4 * k, 4);
    }
    assert_int_equal(obd_parse_mode09(l, sizeof l, &r), OBD_OK);
    assert_int_equal(r.count, 16);
    assert_int_equal(obd_ipt_decode(0x08, &r, &ipt), OBD_OK);
    assert_int_equal(ipt.c[15].value, 0x0F1F);
}

static void test_ipt_compression_and_errors(void **state)
{
    (void)state;
    uint8_t m[3 + 2 * 21];
    obd_ipt_t ipt;

    /* $0B: NODI 0x12 = 18 counters */
    fill_ipt(m, 0x0B, 18);
    assert_int_equal(obd_parse_mode09(m, 3 + 36, &r), OBD_OK);
    assert_int_equal(obd_ipt_decode(0x0B, &r, &ipt), OBD_OK);
    assert_int_equal(ipt.count, 18);
    assert_string_equal(ipt.c[2].key, "hccatcomp");
    assert_string_equal(ipt.c[8].key, "pmcomp");
    assert_string_equal(ipt.c[17].key, "fuelcond");
    assert_int_equal(ipt.c[17].value, 0x1121);
    assert_string_equal(ipt.c[8].zh, "颗粒捕集器监测完成次数");

    /* asked to decode as the other type */
    assert_int_equal(obd_ipt_decode(0x08, &r, &ipt), OBD_EPID);
    /* not an IPT type at all */
    assert_int_equal(obd_ipt_decode(0x02, &r, &ipt), OBD_EPID);
    /* 19 counters for $0B: more than defined */
    fill_ipt(m, 0x0B, 19);
    assert_int_equal(obd_parse_mode09(m, 3 + 38, &r), OBD_OK);
    assert_int_equal(obd_ipt_decode(0x0B, &r, &ipt), OBD_ELEN);
    /* 21 counters for $08 */
    fill_ipt(m, 0x08, 21);
    assert_int_equal(obd_parse_mode09(m, sizeof m, &r), OBD_OK);
    assert_int_equal(obd_ipt_decode(0x08, &r, &ipt), OBD_ELEN);
    assert_int_equal(ipt.count, 0);
    /* counters of 4 bytes: NODI 2 with 8 bytes */
    fill_ipt(m, 0x08, 4);
    m[2] = 2;
    assert_int_equal(obd_parse_mode09(m, 3 + 8, &r), OBD_OK);
    assert_int_equal(r.items[0].len, 4);
    assert_int_equal(obd_ipt_decode(0x08, &r, &ipt), OBD_ELEN);
    /* negative reply: nothing to decode */
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x7F\x09\x31", 3, &r), OBD_OK);
    assert_int_equal(obd_ipt_decode(0x08, &r, &ipt), OBD_EINVAL);
    assert_int_equal(obd_ipt_decode(0x08, NULL, &ipt), OBD_EINVAL);
}

static void test_support_and_counts(void **state)
{
    (void)state;
    obd_pidset_t s;
    /* CAN: 49 00 55 40 00 00 (no NODI). 0x55 = 0101 0101 -> $02 $04 $06 $08;
     * 0x40 -> $0A */
    const uint8_t can[] = { 0x49, 0x00, 0x55, 0x40, 0x00, 0x00 };
    assert_int_equal(obd_parse_mode09(can, sizeof can, &r), OBD_OK);
    assert_int_equal(r.infotype, 0x00);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.items[0].len, 4);
    memset(&s, 0, sizeof s);
    assert_int_equal(obd_pidset_merge(&s, 0x00, r.items[0].data, r.items[0].len), OBD_OK);
    assert_true(obd_pidset_has(&s, 0x02));
    assert_true(obd_pidset_has(&s, 0x04));
    assert_true(obd_pidset_has(&s, 0x06));
    assert_true(obd_pidset_has(&s, 0x08));
    assert_true(obd_pidset_has(&s, 0x0A));
    assert_false(obd_pidset_has(&s, 0x01));
    assert_false(obd_pidset_has(&s, 0x0B));
    /* legacy: one message with seq 01 */
    const uint8_t leg[] = { 0x49, 0x00, 0x01, 0x55, 0x40, 0x00, 0x00 };
    assert_int_equal(obd_parse_mode09(leg, sizeof leg, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_memory_equal(r.items[0].data, "\x55\x40\x00\x00", 4);
    /* bitmap 3 bytes, 6 bytes, and a 7-byte message whose seq is not 1 */
    assert_int_equal(obd_parse_mode09(can, 5, &r), OBD_ESHORT);
    const uint8_t big[] = { 0x49, 0x20, 0x55, 0x40, 0x00, 0x00, 0x00, 0x00 };
    assert_int_equal(obd_parse_mode09(big, sizeof big, &r), OBD_ELEN);
    const uint8_t seq2[] = { 0x49, 0x00, 0x02, 0x55, 0x40, 0x00, 0x00 };
    assert_int_equal(obd_parse_mode09(seq2, sizeof seq2, &r), OBD_ELEN);
    assert_int_equal(r.count, 0);

    /* legacy message count: 49 01 05 -> 5 VIN messages to come */
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x49\x01\x05", 3, &r), OBD_OK);
    assert_int_equal(r.infotype, OBD_INFO_VIN_COUNT);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.items[0].len, 1);
    assert_int_equal(r.items[0].data[0], 5);
}

static void test_malformed(void **state)
{
    (void)state;
    uint8_t m[3 + 40] = { 0x49, 0x04, 0x02 };
    /* NODI 2 but 17 data bytes: 17 / 2 does not divide */
    assert_int_equal(obd_parse_mode09(m, 3 + 17, &r), OBD_ELEN);
    assert_int_equal(r.count, 0);
    /* NODI 0 with no data is an empty answer; with data it is not */
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x49\x02\x00", 3, &r), OBD_OK);
    assert_int_equal(r.count, 0);
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x49\x02\x00\x41", 4, &r), OBD_ELEN);
    /* NODI without data, no NODI, no info type, nothing */
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x49\x02\x02", 3, &r), OBD_ESHORT);
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x49\x02", 2, &r), OBD_ESHORT);
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x49", 1, &r), OBD_ESHORT);
    assert_int_equal(obd_parse_mode09(NULL, 0, &r), OBD_ESHORT);
    /* wrong service, negative reply as data, negative reply to another service */
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x46\x02\x01\x41", 4, &r), OBD_ESID);
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x7F\x09\x12", 3, &r), OBD_OK);
    assert_true(r.nr.negative);
    assert_int_equal(r.nr.nrc, 0x12);
    assert_int_equal(obd_parse_mode09((const uint8_t *)"\x7F\x06\x12", 3, &r), OBD_ESID);
    /* an item longer than OBD_MAX_INFO_ITEM_LEN: NODI 1 with 33 bytes */
    uint8_t big[3 + 33] = { 0x49, 0x0A, 0x01 };
    assert_int_equal(obd_parse_mode09(big, sizeof big, &r), OBD_ENOSPC);
    /* more than OBD_MAX_INFO_ITEMS items: NODI 33 with 33 bytes */
    big[2] = 33;
    assert_int_equal(obd_parse_mode09(big, sizeof big, &r), OBD_ENOSPC);
    assert_int_equal(r.count, 0);
    assert_int_equal(obd_parse_mode09(big, sizeof big, NULL), OBD_EINVAL);
}

static void test_info_text(void **state)
{
    (void)state;
    char out[OBD_MAX_INFO_ITEM_LEN + 1];
    obd_info_item_t it = { 0 };

    /* padding at both ends: spaces, NUL, 0xFF */
    it.len = 9;
    memcpy(it.data, "\x00  ABC \xFF\xFF\x00", 9);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_OK);
    assert_string_equal(out, "ABC");
    /* inner spaces stay */
    it.len = 5;
    memcpy(it.data, "A B C", 5);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_OK);
    assert_string_equal(out, "A B C");
    /* all padding: empty text */
    it.len = 4;
    memcpy(it.data, "\xFF\xFF\x00 ", 4);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_OK);
    assert_string_equal(out, "");
    it.len = 0;
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_OK);
    assert_string_equal(out, "");
    /* non-printable inside: control byte, NUL not before '-', 0x80, 0xFF */
    it.len = 5;
    memcpy(it.data, "AB\x01" "CD", 5);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_EFORMAT);
    assert_string_equal(out, "");
    memcpy(it.data, "AB\x00" "CD", 5);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_EFORMAT);
    memcpy(it.data, "AB\x80" "CD", 5);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_EFORMAT);
    memcpy(it.data, "AB\xFF" "CD", 5);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_EFORMAT);
    /* buffer sizes */
    memcpy(it.data, "ABCDE", 5);
    assert_int_equal(obd_info_text(&it, out, 5), OBD_ENOSPC);
    assert_int_equal(obd_info_text(&it, out, 6), OBD_OK);
    assert_int_equal(obd_info_text(&it, out, 0), OBD_EINVAL);
    assert_int_equal(obd_info_text(NULL, out, sizeof out), OBD_EINVAL);
    assert_int_equal(obd_info_text(&it, NULL, 6), OBD_EINVAL);
    /* a corrupt len never reads past the item */
    it.len = 200;
    memset(it.data, 'A', sizeof it.data);
    assert_int_equal(obd_info_text(&it, out, sizeof out), OBD_OK);
    assert_int_equal(strlen(out), OBD_MAX_INFO_ITEM_LEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vin_can_and_legacy),
        cmocka_unit_test(test_legacy_bad_sequence_not_joined),
        cmocka_unit_test(test_calid_two_items),
        cmocka_unit_test(test_cvn_items),
        cmocka_unit_test(test_ecu_name),
        cmocka_unit_test(test_ipt_spark_20_and_16),
        cmocka_unit_test(test_ipt_compression_and_errors),
        cmocka_unit_test(test_support_and_counts),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_info_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
