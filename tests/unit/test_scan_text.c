/*
 * How a scan says how it answered: read states, addressing, VIN source and
 * notes in words (en + zh), and the scan JSON keys that carry them (#10,
 * #18). Scans are filled by hand: given the struct, when it is rendered,
 * then the words and keys are what the user, the DMS and QC read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/scan_text.h"

static void test_state_derived_for_old_sets(void **state)
{
    (void)state;
    obd_dtc_set_t s;
    memset(&s, 0, sizeof s);
    /* given a set from before the states: nothing read is no answer, never "ok" */
    assert_int_equal(obd_dtc_set_state(&s), OBD_READ_NO_ANSWER);
    s.read = true;
    assert_int_equal(obd_dtc_set_state(&s), OBD_READ_OK);
    s.nrc = 0x22;
    assert_int_equal(obd_dtc_set_state(&s), OBD_READ_REFUSED);
    s.unsupported = true;
    assert_int_equal(obd_dtc_set_state(&s), OBD_READ_UNSUPPORTED);
    /* the session's state wins over the flags */
    s.state = OBD_READ_DEVIATION;
    assert_int_equal(obd_dtc_set_state(&s), OBD_READ_DEVIATION);
    s.state = 200; /* out of range: derived */
    assert_int_equal(obd_dtc_set_state(&s), OBD_READ_UNSUPPORTED);
}

static void test_state_lines(void **state)
{
    (void)state;
    obd_dtc_set_t s;
    char out[200];
    memset(&s, 0, sizeof s);
    s.state = OBD_READ_NO_ANSWER;
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_EN, out, sizeof out), "no answer");
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_ZH, out, sizeof out), "无应答");
    s.state = OBD_READ_DEVIATION;
    snprintf(s.deviation, sizeof s.deviation, OBD_DEV_COUNT_MISMATCH, "20", "18");
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_EN, out, sizeof out),
                        "ok (count byte says 20, 18 codes carried)");
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_ZH, out, sizeof out), "已读取（计数字节为 20，实际 18 个故障码）");
    memset(&s, 0, sizeof s);
    s.state = OBD_READ_UNREADABLE;
    s.rawlen = 3;
    memcpy(s.raw, "\x47\x14\x01", 3);
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_EN, out, sizeof out), "unreadable: 47 14 01");
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_ZH, out, sizeof out), "无法解析：47 14 01");
    /* more bytes came than were kept: said so */
    s.rawlen = 100;
    obd_dtc_set_state_text(&s, OBD_LANG_EN, out, sizeof out);
    assert_non_null(strstr(out, " …"));
    assert_int_equal(strncmp(out, "unreadable: 47 14 01 00", 23), 0);
    memset(&s, 0, sizeof s);
    s.state = OBD_READ_REFUSED;
    s.nrc = 0x22;
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_EN, out, sizeof out), "refused (NRC 0x22)");
    assert_string_equal(obd_dtc_set_state_text(&s, OBD_LANG_ZH, out, sizeof out), "拒绝（NRC 0x22）");
}

static void test_notes_translated(void **state)
{
    (void)state;
    char en[112], out[320];
    snprintf(en, sizeof en, OBD_NOTE_PHYSICAL_ONLY, "7E8");
    assert_string_equal(obd_scan_note_text(en, OBD_LANG_EN, out, sizeof out), "ECU 7E8 answered only when addressed physically");
    assert_string_equal(obd_scan_note_text(en, OBD_LANG_ZH, out, sizeof out), "控制单元 7E8 仅在物理寻址时应答");
    snprintf(en, sizeof en, OBD_NOTE_AT_REFUSED, "ATCRA");
    assert_string_equal(obd_scan_note_text(en, OBD_LANG_ZH, out, sizeof out), "适配器拒绝 ATCRA：不使用该命令继续");
    assert_string_equal(obd_scan_note_text(OBD_NOTE_COUNT_DIGIT_REFUSED, OBD_LANG_ZH, out, sizeof out),
                        "适配器拒绝或误读响应数量位：本次会话不再使用");
    /* a sentence nobody translated is shown in English, marked */
    assert_string_equal(obd_scan_note_text("something new", OBD_LANG_ZH, out, sizeof out), "（英文）something new");
    /* a near miss is not taken for a known sentence */
    assert_string_equal(obd_scan_note_text("ECU  answered only when addressed physically", OBD_LANG_ZH, out, sizeof out),
                        "（英文）ECU  answered only when addressed physically");
    snprintf(en, sizeof en, OBD_DEV_TRAILING, "2");
    assert_string_equal(obd_deviation_text(en, OBD_LANG_ZH, out, sizeof out), "忽略末尾多余的 2 个字节");
    /* a small buffer is cut, not overrun */
    char tiny[8];
    obd_scan_note_text(OBD_NOTE_COUNT_DIGIT_REFUSED, OBD_LANG_ZH, tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(obd_addressing_name(OBD_ADDR_PHYSICAL, OBD_LANG_EN), "physical");
    assert_string_equal(obd_addressing_name(OBD_ADDR_PHYSICAL, OBD_LANG_ZH), "物理寻址");
    assert_string_equal(obd_vin_source_name(OBD_VIN_SRC_UDS_F190, OBD_LANG_EN), "UDS 22 F190");
    assert_string_equal(obd_vin_source_name(OBD_VIN_SRC_MODE09_UNLISTED, OBD_LANG_ZH), "09 02，09 00 未列出");
    assert_string_equal(obd_protocol_kind_key(OBD_PROTOCOL_ON_UDS), "obd_on_uds");
    assert_string_equal(obd_protocol_kind_key(OBD_PROTOCOL_CLASSIC), "classic");
    assert_string_equal(obd_read_state_name(OBD_READ_NO_ANSWER, OBD_LANG_ZH), "无应答");
}

static obd_scan_t *hand_scan(void)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    s->link.battery_v = -1;
    snprintf(s->vin, sizeof s->vin, "LSVAU2180N2183294");
    s->vin_from = 0x7E8;
    s->vin_source = OBD_VIN_SRC_MODE09_UNLISTED;
    s->vin_check_failed = true;
    s->obd_protocol = OBD_PROTOCOL_ON_UDS;
    s->physical_retries = 4;
    s->nnotes = 1;
    snprintf(s->notes[0], sizeof s->notes[0], OBD_NOTE_PHYSICAL_ONLY, "7E8");
    s->necus = 1;
    obd_ecu_scan_t *e = &s->ecus[0];
    e->addr = 0x7E8;
    e->addressing[0x01] = OBD_ADDR_FUNCTIONAL;
    e->addressing[0x03] = OBD_ADDR_PHYSICAL;
    e->addressing[0x07] = OBD_ADDR_NONE;
    e->physical_first = true;
    obd_pidset_add(&e->silent_pids, 0x0C);
    e->stored.read = true;
    e->stored.state = OBD_READ_DEVIATION;
    e->stored.addressing = OBD_ADDR_PHYSICAL;
    snprintf(e->stored.deviation, sizeof e->stored.deviation, OBD_DEV_COUNT_MISMATCH, "3", "2");
    e->stored.count = 2;
    e->stored.dtcs[0] = 0x0104;
    e->stored.dtcs[1] = 0x0420;
    e->stored.uds_format = true;
    e->stored.ftb[0] = 0x17;
    e->stored.status[0] = 0x2F;
    e->pending.state = OBD_READ_NO_ANSWER;
    e->pending.addressing = OBD_ADDR_NONE;
    e->permanent.read = true;
    e->permanent.state = OBD_READ_UNREADABLE;
    e->permanent.rawlen = 3;
    memcpy(e->permanent.raw, "\x4A\x01\x02", 3);
    e->ff_state = OBD_READ_NO_ANSWER;
    e->odometer_km = -1;
    e->warmups_since_clear = e->km_since_clear = e->min_since_clear = e->km_with_mil = e->min_with_mil = -1;
    return s;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_non_null(x);
    assert_true(cJSON_IsString(x));
    return x->valuestring;
}

static void test_scan_json_keys(void **state)
{
    (void)state;
    obd_scan_t *s = hand_scan();
    cJSON *j = obd_scan_json(s, NULL, OBD_LANG_EN);
    assert_string_equal(str(j, "obd_protocol"), "obd_on_uds");
    assert_string_equal(str(j, "vin_source"), "mode09_unlisted");
    assert_string_equal(str(j, "vin_ecu"), "7E8");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "vin_check_failed")));
    /* no ECU answered PID 01: unknown is null, not false / 0 */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "mil_on")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "dtc_count")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "status_known")));
    assert_int_equal(cJSON_GetObjectItem(j, "physical_retries")->valueint, 4);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "notes"), 0)->valuestring,
                        "ECU 7E8 answered only when addressed physically");
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "ecus"), 0);
    const cJSON *ad = cJSON_GetObjectItem(e, "addressing");
    assert_string_equal(str(ad, "01"), "functional");
    assert_string_equal(str(ad, "03"), "physical");
    assert_string_equal(str(ad, "07"), "none");
    assert_null(cJSON_GetObjectItem(ad, "0A")); /* not asked: absent */
    assert_int_equal(cJSON_GetArraySize(ad), 3);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "physical_first")));
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "silent_pids"), 0)->valuestring, "0x0C");
    const cJSON *rs = cJSON_GetObjectItem(e, "dtc_reads");
    assert_string_equal(str(rs, "stored"), "ok_with_deviation");
    assert_string_equal(str(rs, "pending"), "no_answer");
    assert_string_equal(str(rs, "permanent"), "unreadable");
    const cJSON *rd = cJSON_GetObjectItem(e, "dtc_read_details");
    const cJSON *st = cJSON_GetObjectItem(rd, "stored");
    assert_string_equal(str(st, "addressing"), "physical");
    assert_string_equal(str(st, "deviation"), "count byte says 3, 2 codes carried");
    assert_null(cJSON_GetObjectItem(st, "raw"));
    const cJSON *pm = cJSON_GetObjectItem(rd, "permanent");
    assert_string_equal(str(pm, "raw"), "4A0102");
    assert_int_equal(cJSON_GetObjectItem(pm, "raw_len")->valueint, 3);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(pm, "addressing")));
    /* OBD on UDS: failure type and status byte per code */
    const cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "dtcs"), "stored"), 0);
    assert_int_equal(cJSON_GetObjectItem(d0, "ftb")->valueint, 0x17);
    assert_int_equal(cJSON_GetObjectItem(d0, "status")->valueint, 0x2F);
    /* per-ECU PID 01 values unknown without readiness */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(e, "mil_on")));
    assert_string_equal(str(e, "freeze_frame_state"), "no_answer");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(e, "mode06_state")));
    cJSON_Delete(j);

    /* in Chinese the notes and deviations are translated */
    j = obd_scan_json(s, NULL, OBD_LANG_ZH);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "notes"), 0)->valuestring,
                        "控制单元 7E8 仅在物理寻址时应答");
    e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "ecus"), 0);
    assert_string_equal(str(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "dtc_read_details"), "stored"), "deviation"),
                        "计数字节为 3，实际 2 个故障码");
    cJSON_Delete(j);

    /* with PID 01 answered, MIL and count are real values */
    s->status_known = true;
    s->mil_on = false;
    s->dtc_count = 0;
    j = obd_scan_json(s, NULL, OBD_LANG_EN);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "mil_on")));
    assert_int_equal(cJSON_GetObjectItem(j, "dtc_count")->valueint, 0);
    cJSON_Delete(j);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_derived_for_old_sets),
        cmocka_unit_test(test_state_lines),
        cmocka_unit_test(test_notes_translated),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_scan_json_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
