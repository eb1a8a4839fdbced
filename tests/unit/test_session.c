/*
 * Session logic over a scripted link (a mock transport answering from a
 * table), so scan planning, the multi-PID fallback and clear are tested
 * without any adapter: given these ECU replies, when we scan / poll / clear,
 * then this is what we report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/session.h"

/* ---- a scripted link ------------------------------------------------------ */

typedef struct {
    uint32_t ecu;        /* responder */
    const char *req;     /* request hex it answers */
    const char *reply;   /* reply hex */
} canned_t;

typedef struct {
    obd_link_t base;
    const canned_t *table;
    size_t n;
    bool no_multi_7e9;   /* ECU 7E9 answers NO DATA to multi-PID requests */
    unsigned requests;
    unsigned multi_requests;
    bool fail_next;      /* next request: the adapter vanished */
} mock_t;

static size_t unhex(const char *s, uint8_t *out)
{
    size_t n = 0;
    for (; s[0] && s[1]; s += 2)
        out[n++] = (uint8_t)strtoul((char[]){ s[0], s[1], 0 }, NULL, 16);
    return n;
}

static int mock_request(obd_link_t *l, const obd_request_t *req, obd_replies_t *out)
{
    mock_t *m = (mock_t *)l;
    obd_replies_reset(out);
    m->requests++;
    if (m->fail_next) {
        m->fail_next = false;
        return OBD_ELINK;
    }
    char hex[64] = "";
    for (size_t i = 0; i < req->len; i++)
        snprintf(hex + 2 * i, 3, "%02X", req->data[i]);
    bool multi = req->data[0] == 0x01 && req->len > 2;
    if (multi)
        m->multi_requests++;
    for (size_t i = 0; i < m->n; i++) {
        const canned_t *c = &m->table[i];
        if (req->to.tx_id && obd_target_for(c->ecu).tx_id != req->to.tx_id)
            continue;
        if (multi && m->no_multi_7e9 && c->ecu == 0x7E9)
            continue;
        if (strcmp(c->req, hex))
            continue;
        uint8_t b[256];
        size_t n = unhex(c->reply, b);
        obd_replies_add(out, c->ecu, b, n, false);
    }
    return OBD_OK;
}

static int mock_info(obd_link_t *l, obd_link_info_t *out)
{
    (void)l;
    memset(out, 0, sizeof *out);
    snprintf(out->adapter, sizeof out->adapter, "mock");
    out->protocol = OBD_PROTO_CAN11_500;
    out->battery_v = 12.4;
    out->multi_pid = true;
    return OBD_OK;
}

static void mock_close(obd_link_t *l) { (void)l; }

static const obd_link_ops_t mock_ops = { "mock", mock_request, mock_info, mock_close };

/* Two ECUs: engine 7E8 (PIDs 01 02 0C 0D 05 30 31), transmission 7E9 (PIDs 01 0C 0D). */
static const canned_t car[] = {
    { 0x7E8, "0100", "4100" "98180001" }, /* 01, 04, 05, 0C, 0D, 20 -> see below */
    { 0x7E9, "0100", "4100" "80180000" }, /* 01, 0C, 0D */
    { 0x7E8, "0120", "4120" "00018000" }, /* byte B bit 0 = PID 30, byte C bit 7 = PID 31 */
    /* status PIDs to each ECU (multi-PID, physical) */
    { 0x7E8, "01013031", "4101" "81076504" "3002" "310014" },
    { 0x7E9, "0101", "4101" "00076504" },
    /* vehicle info: only the engine ECU supports 09 */
    { 0x7E8, "0900", "4900" "54400000" }, /* 54 = 0101 0100: types 02, 04, 06; 40: 0A */
    { 0x7E8, "0902", "4902" "01" "4C4656324132314B364D33303132333435" },
    /* DTCs */
    { 0x7E8, "03", "43" "01" "0301" },
    { 0x7E9, "03", "43" "00" },
    { 0x7E8, "07", "47" "00" },
    { 0x7E9, "07", "47" "00" },
    { 0x7E8, "0A", "7F0A11" },
    { 0x7E9, "0A", "7F0A11" },
    /* freeze frame: no PID 02 support on either ECU -> not read */
    /* live data */
    { 0x7E8, "010C0D", "410C1AF80D32" },
    { 0x7E9, "010C0D", "410C1AF80D32" },
    { 0x7E8, "010C", "410C1AF8" },
    { 0x7E8, "010D", "410D32" },
    { 0x7E9, "010C", "410C0FA0" },
    { 0x7E9, "010D", "410D33" },
    /* clear */
    { 0x7E8, "04", "44" },
    { 0x7E9, "04", "7F0422" },
};

static mock_t *mock_new(void)
{
    mock_t *m = calloc(1, sizeof *m);
    m->base.ops = &mock_ops;
    m->table = car;
    m->n = sizeof car / sizeof car[0];
    return m;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_scan_reads_every_ecu(void **state)
{
    (void)state;
    mock_t *m = mock_new();
    obd_scan_t *s = calloc(1, sizeof *s);
    /* when: a scan runs over the scripted car */
    assert_int_equal(obd_scan_run(&m->base, s, NULL, NULL), OBD_OK);
    /* then: both ECUs, sorted by address */
    assert_int_equal(s->necus, 2);
    assert_int_equal(s->ecus[0].addr, 0x7E8);
    assert_int_equal(s->ecus[1].addr, 0x7E9);
    /* 41 00 98 18 00 01: 1001 1000 -> PIDs 01, 04, 05; 0001 1000 -> 0C, 0D; last bit -> 20 */
    assert_true(obd_pidset_has(&s->ecus[0].pids, 0x01));
    assert_true(obd_pidset_has(&s->ecus[0].pids, 0x05));
    assert_true(obd_pidset_has(&s->ecus[0].pids, 0x0D));
    assert_true(obd_pidset_has(&s->ecus[0].pids, 0x30)); /* from the $20 bitmap */
    assert_true(obd_pidset_has(&s->ecus[0].pids, 0x31));
    assert_false(obd_pidset_has(&s->ecus[0].pids, 0x2F));
    assert_false(obd_pidset_has(&s->ecus[1].pids, 0x05));
    /* PID 01 = 81 07 65 04: MIL on, 1 DTC */
    assert_true(s->mil_on);
    assert_int_equal(s->dtc_count, 1);
    assert_int_equal(s->ecus[0].warmups_since_clear, 2);
    assert_int_equal(s->ecus[0].km_since_clear, 20);
    /* 2 warm-ups since clear -> the hint fires */
    assert_true(s->recently_cleared);
    /* VIN from 7E8 */
    assert_string_equal(s->vin, "LFV2A21K6M3012345");
    assert_int_equal(s->vin_from, 0x7E8);
    /* DTCs: P0301 stored on 7E8; Mode 0A "not supported" recorded as such */
    assert_int_equal(s->ecus[0].stored.count, 1);
    assert_int_equal(s->ecus[0].stored.dtcs[0], 0x0301);
    assert_true(s->ecus[0].permanent.read);
    assert_true(s->ecus[0].permanent.unsupported);
    assert_int_equal(obd_scan_count(s, 0), 1);
    /* raw replies were kept */
    assert_true(s->nraw > 10);
    /* JSON carries the documented keys */
    cJSON *j = obd_scan_json(s, NULL, OBD_LANG_EN);
    assert_string_equal(cJSON_GetObjectItem(j, "vin")->valuestring, "LFV2A21K6M3012345");
    assert_string_equal(cJSON_GetObjectItem(j, "protocol")->valuestring, "can11_500");
    cJSON *e0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "ecus"), 0);
    assert_string_equal(cJSON_GetObjectItem(e0, "address")->valuestring, "7E8");
    cJSON *stored = cJSON_GetObjectItem(cJSON_GetObjectItem(e0, "dtcs"), "stored");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(stored, 0), "code")->valuestring, "P0301");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(e0, "dtc_reads"), "permanent")->valuestring, "not_supported");
    cJSON_Delete(j);
    free(s);
    free(m);
}

static void test_scan_no_vehicle(void **state)
{
    (void)state;
    mock_t *m = mock_new();
    m->n = 0; /* nobody answers */
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_int_equal(obd_scan_run(&m->base, s, NULL, NULL), OBD_ENOVEHICLE);
    assert_int_equal(s->necus, 0);
    free(s);
    free(m);
}

static void test_live_link_lost(void **state)
{
    (void)state;
    mock_t *m = mock_new();
    obd_live_t lv;
    assert_int_equal(obd_live_init(&lv, &m->base, (const uint8_t *)"\x0C", 1, true, NULL, NULL), OBD_OK);
    /* when: the adapter vanishes mid-stream; then: the link error comes back, not a silent gap */
    m->fail_next = true;
    obd_live_sample_t smp[8];
    assert_int_equal(obd_live_poll(&lv, &m->base, smp, 8), OBD_ELINK);
    /* and the next round works again (the link reconnects underneath) */
    assert_int_equal(obd_live_poll(&lv, &m->base, smp, 8), 2);
    free(m);
}

static void test_live_multi_pid_fallback(void **state)
{
    (void)state;
    mock_t *m = mock_new();
    m->no_multi_7e9 = true; /* 7E9 answers NO DATA to 01 0C 0D */
    obd_live_t lv;
    const uint8_t pids[] = { 0x0C, 0x0D };
    assert_int_equal(obd_live_init(&lv, &m->base, pids, 2, true, NULL, NULL), OBD_OK);
    obd_live_sample_t smp[16];
    /* when: one round */
    int n = obd_live_poll(&lv, &m->base, smp, 16);
    /* then: every value from both ECUs is there (2 + 2), 7E9 was switched to single PIDs */
    assert_int_equal(n, 4);
    assert_int_equal(lv.fallbacks, 1);
    assert_true(lv.ecus[1].single_only);
    assert_false(lv.ecus[0].single_only);
    assert_int_equal(smp[2].addr, 0x7E9);
    assert_int_equal(smp[2].pid, 0x0C);
    assert_int_equal(smp[2].data[0], 0x0F); /* 0FA0 = 4000 / 4 = 1000 rpm */
    assert_int_equal(smp[3].pid, 0x0D);
    assert_int_equal(smp[3].data[0], 0x33);
    /* and the next round does not try multi-PID on 7E9 again */
    unsigned multi_before = m->multi_requests;
    assert_int_equal(obd_live_poll(&lv, &m->base, smp, 16), 4);
    assert_int_equal(m->multi_requests - multi_before, 1); /* only 7E8's */
    free(m);
}

static void test_live_unsupported_pid(void **state)
{
    (void)state;
    mock_t *m = mock_new();
    obd_live_t lv;
    const uint8_t pids[] = { 0x0C, 0x11 };
    uint8_t uns[4];
    size_t nuns = 9;
    assert_int_equal(obd_live_init(&lv, &m->base, pids, 2, true, uns, &nuns), OBD_OK);
    assert_int_equal(nuns, 1);
    assert_int_equal(uns[0], 0x11);
    free(m);
}

static void test_clear_reports_refusal(void **state)
{
    (void)state;
    mock_t *m = mock_new();
    obd_clear_result_t r;
    assert_int_equal(obd_clear_run(&m->base, &r), OBD_OK);
    assert_int_equal(r.acked, 1);
    assert_true(r.refused);
    assert_int_equal(r.refused_by, 0x7E9);
    assert_int_equal(r.nrc, 0x22);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_reads_every_ecu),     cmocka_unit_test(test_scan_no_vehicle),
        cmocka_unit_test(test_live_link_lost), cmocka_unit_test(test_live_multi_pid_fallback),
        cmocka_unit_test(test_live_unsupported_pid),     cmocka_unit_test(test_clear_reports_refusal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
