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

#include "obdgw/scan_text.h"
#include "obdgw/session.h"

/* ---- a scripted link ------------------------------------------------------ */

typedef struct {
    uint32_t ecu;        /* responder */
    const char *req;     /* request hex it answers */
    const char *reply;   /* reply hex */
    bool phys;           /* answered only when addressed physically (functional: silence) */
} canned_t;

typedef struct {
    obd_link_t base;
    const canned_t *table;
    size_t n;
    bool no_multi_7e9;   /* ECU 7E9 answers NO DATA to multi-PID requests */
    unsigned requests;
    unsigned multi_requests;
    bool fail_next;      /* next request: the adapter vanished */
    const char *refuse;  /* request hex the adapter itself refuses ('?': OBD_EUNSUPPORTED) */
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
    if (m->refuse && !strcmp(m->refuse, hex))
        return OBD_EUNSUPPORTED;
    bool multi = req->data[0] == 0x01 && req->len > 2;
    if (multi)
        m->multi_requests++;
    for (size_t i = 0; i < m->n; i++) {
        const canned_t *c = &m->table[i];
        if (req->to.tx_id && obd_target_for(c->ecu).tx_id != req->to.tx_id)
            continue;
        if (c->phys && !req->to.tx_id)
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

static const obd_link_ops_t mock_ops = { "mock", mock_request, mock_info, mock_close, NULL };

/* Two ECUs: engine 7E8 (PIDs 01 02 0C 0D 05 30 31), transmission 7E9 (PIDs 01 0C 0D). */
static const canned_t car[] = {
    { 0x7E8, "0100", "4100" "98180001", false }, /* 01, 04, 05, 0C, 0D, 20 -> see below */
    { 0x7E9, "0100", "4100" "80180000", false }, /* 01, 0C, 0D */
    { 0x7E8, "0120", "4120" "00018000", false }, /* byte B bit 0 = PID 30, byte C bit 7 = PID 31 */
    /* status PIDs to each ECU (multi-PID, physical) */
    { 0x7E8, "01013031", "4101" "81076504" "3002" "310014", false },
    { 0x7E9, "0101", "4101" "00076504", false },
    /* vehicle info: only the engine ECU supports 09 */
    { 0x7E8, "0900", "4900" "54400000", false }, /* 54 = 0101 0100: types 02, 04, 06; 40: 0A */
    { 0x7E8, "0902", "4902" "01" "4C4656324132314B364D33303132333435", false },
    /* DTCs */
    { 0x7E8, "03", "43" "01" "0301", false },
    { 0x7E9, "03", "43" "00", false },
    { 0x7E8, "07", "47" "00", false },
    { 0x7E9, "07", "47" "00", false },
    { 0x7E8, "0A", "7F0A11", false },
    { 0x7E9, "0A", "7F0A11", false },
    /* freeze frame: no PID 02 support on either ECU -> not read */
    /* live data */
    { 0x7E8, "010C0D", "410C1AF80D32", false },
    { 0x7E9, "010C0D", "410C1AF80D32", false },
    { 0x7E8, "010C", "410C1AF8", false },
    { 0x7E8, "010D", "410D32", false },
    { 0x7E9, "010C", "410C0FA0", false },
    { 0x7E9, "010D", "410D33", false },
    /* clear */
    { 0x7E8, "04", "44", false },
    { 0x7E9, "04", "7F0422", false },
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
    /* the data PIDs went to each ECU physically by design: that is not
     * "answered only when addressed physically" */
    assert_int_equal(s->ecus[0].addressing[0x01], OBD_ADDR_PHYSICAL);
    assert_int_equal(s->ecus[0].fallback_svcs, 0);
    assert_int_equal(s->ecus[1].fallback_svcs, 0);
    char ps[48];
    assert_string_equal(obd_ecu_physical_services(&s->ecus[0], ps, sizeof ps), "");
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

/* The adapter answers '?' to 0A: the permanent list is refused by the
 * adapter — not "no answer", not "not supported by this ECU" — and the
 * other lists and the scan go on. */
static void test_scan_adapter_refused_service(void **state)
{
    (void)state;
    mock_t *m = mock_new();
    m->refuse = "0A";
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_int_equal(obd_scan_run(&m->base, s, NULL, NULL), OBD_OK);
    const obd_ecu_scan_t *e = &s->ecus[0];
    assert_int_equal(e->stored.count, 1);
    assert_int_equal(obd_dtc_set_state(&e->stored), OBD_READ_OK);
    assert_int_equal(obd_dtc_set_state(&e->permanent), OBD_READ_UNSUPPORTED); /* the "unsupported" */
    assert_false(e->permanent.read);
    assert_int_equal(e->permanent.nrc, 0);
    assert_int_equal(e->permanent.addressing, OBD_ADDR_NOT_ASKED);
    char t[256];
    assert_string_equal(obd_dtc_set_state_text(&e->permanent, OBD_LANG_EN, t, sizeof t), OBD_DEV_ADAPTER_REFUSED);
    assert_non_null(strstr(obd_dtc_set_state_text(&e->permanent, OBD_LANG_ZH, t, sizeof t), "适配器拒绝了该请求"));
    assert_int_equal(obd_dtc_set_state(&s->ecus[1].permanent), OBD_READ_UNSUPPORTED);
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

/* The car of issue 10's "Why": one engine ECU that answers the functional
 * 01 00 but 03/07/0A/09 only physically, 09 00 never, yet 09 02 gives the
 * VIN; one listed PID (0C) it never answers. */
static const canned_t phys_car[] = {
    { 0x7E8, "0100", "4100" "80180000", false },                     /* 01, 0C, 0D */
    { 0x7E8, "0101", "4101" "83076504", true },               /* MIL on, 3 DTCs */
    { 0x7E8, "0902", "4902" "01" "4C4656324132314B364D33303132333435", true },
    { 0x7E8, "03", "43" "03" "0301" "0171" "0420", true },
    { 0x7E8, "07", "47" "01" "0300", true },
    { 0x7E8, "0A", "4A" "01" "0301", true },
    { 0x7E8, "010D", "410D32", true },
};

static mock_t *mock_with(const canned_t *t, size_t n)
{
    mock_t *m = mock_new();
    m->table = t;
    m->n = n;
    return m;
}

static bool has_note(const obd_scan_t *s, const char *prefix)
{
    for (size_t i = 0; i < s->nnotes; i++)
        if (!strncmp(s->notes[i], prefix, strlen(prefix)))
            return true;
    return false;
}

static void test_scan_physical_fallback(void **state)
{
    (void)state;
    mock_t *m = mock_with(phys_car, sizeof phys_car / sizeof phys_car[0]);
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_int_equal(obd_scan_run(&m->base, s, NULL, NULL), OBD_OK);
    assert_int_equal(s->necus, 1);
    const obd_ecu_scan_t *e = &s->ecus[0];
    /* every code read, through physical addressing, recorded as such */
    assert_int_equal(e->stored.count, 3);
    assert_int_equal(e->stored.state, OBD_READ_OK);
    assert_int_equal(e->stored.addressing, OBD_ADDR_PHYSICAL);
    assert_int_equal(e->pending.count, 1);
    assert_int_equal(e->permanent.count, 1);
    assert_int_equal(e->addressing[0x03], OBD_ADDR_PHYSICAL);
    assert_int_equal(e->addressing[0x07], OBD_ADDR_PHYSICAL);
    assert_int_equal(e->addressing[0x0A], OBD_ADDR_PHYSICAL);
    assert_true(e->physical_first);
    /* the text's "answered only when addressed physically: 03 07 0A" */
    assert_int_equal(e->fallback_svcs, (1u << 0x03) | (1u << 0x07) | (1u << 0x0A));
    /* 09 00 (silent both ways) and 03 were retried physically; once 03
     * needed it, 07 and 0A went physical directly */
    assert_int_equal(s->physical_retries, 2);
    /* 09 00 never answered, 09 02 did: VIN kept, its source said */
    assert_string_equal(s->vin, "LFV2A21K6M3012345");
    assert_int_equal(s->vin_source, OBD_VIN_SRC_MODE09_UNLISTED);
    assert_true(has_note(s, OBD_NOTE_VIN_UNLISTED));
    assert_true(has_note(s, "ECU 7E8 answered only when addressed physically"));
    assert_true(s->status_known);
    assert_true(s->mil_on);
    cJSON *j = obd_scan_json(s, NULL, OBD_LANG_EN);
    cJSON *e0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "ecus"), 0);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(e0, "dtc_reads"), "stored")->valuestring, "ok");
    cJSON_Delete(j);
    free(s);
    free(m);
}

/* Replies that are not textbook keep their codes; what is not a reply is unreadable. */
static const canned_t odd_car[] = {
    { 0x7E8, "0100", "4100" "80000001", false },      /* PID 01, and the $20 bitmap */
    { 0x7E8, "0120", "4120" "00018000", false },      /* 30, 31: listed, never answered */
    { 0x7E8, "0101", "4101" "83076504", false },      /* 3 confirmed */
    { 0x7E8, "03", "43" "010480034123", false },      /* legacy layout on CAN: P0104 B0003 C0123 */
    { 0x7E8, "07", "47" "14" "0301" "0302", false },  /* count byte 20, 2 codes carried */
    { 0x7E8, "0A", "41" "0C1AF8", false },            /* not a 4A reply at all */
    { 0x7E8, "0900", "7F0912", false },
};

static void test_scan_deviations_kept(void **state)
{
    (void)state;
    mock_t *m = mock_with(odd_car, sizeof odd_car / sizeof odd_car[0]);
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_int_equal(obd_scan_run(&m->base, s, NULL, NULL), OBD_OK);
    const obd_ecu_scan_t *e = &s->ecus[0];
    assert_int_equal(e->stored.state, OBD_READ_DEVIATION);
    assert_string_equal(e->stored.deviation, OBD_DEV_LEGACY_ON_CAN);
    assert_int_equal(e->stored.count, 3);
    assert_int_equal(e->stored.dtcs[2], 0x4123);
    assert_int_equal(e->pending.state, OBD_READ_DEVIATION);
    assert_string_equal(e->pending.deviation, "count byte says 20, 2 codes carried");
    assert_int_equal(e->pending.count, 2);
    assert_int_equal(e->permanent.state, OBD_READ_UNREADABLE);
    assert_false(e->permanent.read); /* flag-only readers must not take it as "no codes" */
    assert_int_equal(e->permanent.rawlen, 4);
    assert_int_equal(e->permanent.raw[0], 0x41);
    assert_int_equal(e->permanent.count, 0);
    assert_int_equal(e->addressing[0x09], OBD_ADDR_NRC);
    assert_int_equal(e->info_state, OBD_READ_UNSUPPORTED);
    assert_int_equal(s->physical_retries, 0);
    /* listed but silent PIDs: asked one by one after the multi-PID reply lacked them */
    assert_true(obd_pidset_has(&e->silent_pids, 0x30));
    assert_true(obd_pidset_has(&e->silent_pids, 0x31));
    assert_false(obd_pidset_has(&e->silent_pids, 0x01));
    assert_true(has_note(s, "PID 30 (ECU 7E8) is listed"));
    assert_true(has_note(s, "PID 31 (ECU 7E8) is listed"));
    free(s);
    free(m);
}

/* No PID 01 answer: MIL and count unknown (null), not "off, 0". 09 02 silent,
 * UDS 22 F190 answers with padding: the VIN comes from there. */
static const canned_t quiet_car[] = {
    { 0x7E8, "0100", "4100" "00180000", false },           /* 0C 0D only */
    { 0x7E8, "03", "4300", false },
    { 0x7E8, "07", "4700", false },
    { 0x7E8, "0A", "4A00", false },
    { 0x7E8, "22F190", "62F190" "4C4656324132314B364D33303132333435", true },
};

static void test_scan_unknown_status_and_uds_vin(void **state)
{
    (void)state;
    mock_t *m = mock_with(quiet_car, sizeof quiet_car / sizeof quiet_car[0]);
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_int_equal(obd_scan_run(&m->base, s, NULL, NULL), OBD_OK);
    assert_false(s->status_known);
    assert_string_equal(s->vin, "LFV2A21K6M3012345");
    assert_int_equal(s->vin_source, OBD_VIN_SRC_UDS_F190);
    assert_int_equal(s->ecus[0].stored.state, OBD_READ_OK);
    assert_int_equal(s->ecus[0].info_state, OBD_READ_NO_ANSWER);
    free(s);
    free(m);
}

/* A PID the ECU lists but never answers is given up; the rest streams;
 * when nothing is left, the poll ends instead of looping forever. */
static void test_live_silent_pid_bounded(void **state)
{
    (void)state;
    mock_t *m = mock_with(phys_car, sizeof phys_car / sizeof phys_car[0]);
    obd_live_t lv;
    uint8_t pids[] = { 0x0C, 0x0D };
    assert_int_equal(obd_live_init(&lv, &m->base, pids, 2, true, NULL, NULL), OBD_OK);
    obd_live_sample_t buf[8];
    int got0d = 0, rounds = 0;
    for (; rounds < 20 && obd_live_active(&lv) == 2; rounds++) {
        int n = obd_live_poll(&lv, &m->base, buf, 8);
        assert_true(n >= 0);
        for (int k = 0; k < n; k++) {
            assert_int_equal(buf[k].pid, 0x0D);
            got0d++;
        }
    }
    assert_true(rounds <= OBD_LIVE_MAX_MISSES);
    assert_int_equal(obd_live_active(&lv), 1);
    assert_true(got0d >= rounds - 1);
    char who[64];
    assert_string_equal(obd_live_silent_text(&lv, who, sizeof who), "0C at 7E8");
    /* only 0C asked: bounded, then OBD_ETIMEOUT with all_silent */
    uint8_t only[] = { 0x0C };
    assert_int_equal(obd_live_init(&lv, &m->base, only, 1, true, NULL, NULL), OBD_OK);
    unsigned req0 = m->requests;
    int rc = 0;
    for (int i = 0; i < 50 && rc >= 0; i++)
        rc = obd_live_poll(&lv, &m->base, buf, 8);
    assert_int_equal(rc, OBD_ETIMEOUT);
    assert_true(lv.all_silent);
    assert_int_equal(m->requests - req0, OBD_LIVE_MAX_MISSES);
    assert_false(lv.multi_tried);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_reads_every_ecu),     cmocka_unit_test(test_scan_adapter_refused_service), cmocka_unit_test(test_scan_no_vehicle),
        cmocka_unit_test(test_live_link_lost), cmocka_unit_test(test_live_multi_pid_fallback),
        cmocka_unit_test(test_live_unsupported_pid),     cmocka_unit_test(test_clear_reports_refusal),
        cmocka_unit_test(test_scan_physical_fallback),   cmocka_unit_test(test_scan_deviations_kept),
        cmocka_unit_test(test_scan_unknown_status_and_uds_vin), cmocka_unit_test(test_live_silent_pid_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
