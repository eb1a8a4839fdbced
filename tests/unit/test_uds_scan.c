/*
 * The UDS full-system scan (src/uds_scan.c) end to end without a CAN
 * kernel: the SocketCAN link (drivers/socketcan.c, user-space ISO-TP) and
 * the CAN simulator (src/sim_can.c) talk real ISO-TP frames over an
 * in-process bus (sim_can_bus_start: a socketpair carrying struct
 * can_frame, the simulator in a thread).
 *   - the 30-module car (tests/scenarios/magotan-30.ini): exactly the 27
 *     modules that answer, the 3 fitted-but-silent ones listed silent, the
 *     secure gateway as "needs OEM authorisation" (never "no codes"), the
 *     DTCs and identification of the modules read;
 *   - a 29-bit car: the default scan probes the 29-bit list (also when the
 *     caller passes an empty pair list, as the CLI does);
 *   - request + 8 modules anywhere in 7xx are found by the default range,
 *     a module outside it when given as a pair;
 *   - two scans at once in two threads, each on its own link and car, give
 *     what each gives alone: no state shared between scans.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "obdgw/canlink.h"
#include "obdgw/sim_can.h"
#include "obdgw/uds_scan.h"
#include "../scenarios/magotan-30.expect.h"

/* ---------------- an in-process bus with a simulated car ---------------- */

typedef struct {
    sim_vehicle_t *v;
    sim_can_bus_t *bus;
    obd_link_t *l;
} car_t;

static void car_open(car_t *c, const char *file, const char *text)
{
    char err[200] = "";
    memset(c, 0, sizeof *c);
    int rc = text ? sim_vehicle_parse(text, "t", &c->v, err, sizeof err) : sim_vehicle_load(file, &c->v, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, OBD_OK);
    sim_can_opts_t so = { .ecu_delay_ms = -1, .pad = -2 }; /* the scenario's response_ms and padding */
    int fd = -1;
    rc = sim_can_bus_start(c->v, &so, &c->bus, &fd, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, OBD_OK);
    rc = can_link_open_fd(fd, NULL, NULL, &c->l, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, OBD_OK);
}

static void car_close(car_t *c)
{
    obd_link_close(c->l);
    assert_int_equal(sim_can_bus_stop(c->bus), OBD_OK);
    sim_vehicle_free(c->v);
}

static const uds_module_t *module(const uds_scan_t *s, uint32_t tx, uint32_t rx)
{
    for (size_t i = 0; i < s->nmodules; i++)
        if (s->modules[i].tx_id == tx && s->modules[i].rx_id == rx)
            return &s->modules[i];
    return NULL;
}

static void has_dtc(const uds_module_t *m, const char *want)
{
    char code[UDS_DTC_TEXT_LEN];
    for (size_t i = 0; i < m->ndtcs; i++) {
        uds_dtc_format(m->dtcs[i].code, code);
        if (!strcmp(code, want))
            return;
    }
    fail_msg("module %X: no DTC %s among %zu", (unsigned)m->rx_id, want, m->ndtcs);
}

/* ---------------- the 30-module car ---------------- */

#define CAR30 "tests/scenarios/magotan-30.ini"


static void test_full_car_30_modules(void **state)
{
    (void)state;
    car_t car;
    car_open(&car, CAR30, NULL);
    static uds_scan_t s;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    assert_int_equal(uds_scan_run(car.l, &o, &s, NULL, NULL), OBD_OK);
    print_message("30-module car, 5 ms ECUs, in-process bus: %zu probed, %zu answered, %u requests, %u ms\n",
                  s.nmodules, s.nanswered, s.requests, (unsigned)s.duration_ms);
    /* given: 27 modules answer; when: the default scan; then: exactly those */
    assert_int_equal(s.nanswered, CAR30_NANSWERING);
    for (size_t i = 0; i < CAR30_NANSWERING; i++) {
        const uds_module_t *m = module(&s, car30_answering[i].tx_id, car30_answering[i].rx_id);
        if (!m || !m->answered)
            fail_msg("module %X/%X did not answer", (unsigned)car30_answering[i].tx_id, (unsigned)car30_answering[i].rx_id);
        if (m->rx_id == CAR30_REFUSING_RX) {
            /* the secure gateway: refused, never "no codes" */
            assert_int_equal(m->state, UDS_MOD_NEEDS_AUTH);
            assert_int_equal(m->nrc, CAR30_REFUSING_NRC);
            assert_false(m->dtcs_read);
            assert_false(m->ident_ok[1]);
        } else {
            assert_int_equal(m->state, UDS_MOD_OK);
            assert_true(m->dtcs_read);
            assert_true(m->ident_ok[1]); /* F187 part number: every answering module has one */
        }
    }
    /* the fitted-but-silent modules were asked and are listed silent */
    for (size_t i = 0; i < CAR30_NSILENT; i++) {
        const uds_module_t *m = module(&s, car30_silent[i].tx_id, car30_silent[i].rx_id);
        assert_non_null(m);
        assert_false(m->answered);
    }
    /* what the modules hold */
    const uds_module_t *abs = module(&s, 0x713, 0x77D);
    assert_int_equal(abs->ndtcs, 2);
    has_dtc(abs, "C0035-11");
    has_dtc(abs, "C0040-13");
    assert_string_equal(abs->ident[1], "5Q0907379AC");
    assert_string_equal(abs->ident[0], "LFV3A23CXL3045678");
    const uds_module_t *info = module(&s, 0x773, 0x7DD);
    assert_int_equal(info->ndtcs, 2);
    has_dtc(info, "U1113-00");
    assert_string_equal(info->ident[5], "MIB2A0123456789");
    assert_int_equal(module(&s, 0x7E0, 0x7E8)->ndtcs, 1);
    has_dtc(module(&s, 0x7E0, 0x7E8), "P0441-00");
    assert_int_equal(module(&s, 0x746, 0x7B0)->ndtcs, 0);
    /* the JSON says the same: 27 modules, the refusal by name */
    cJSON *j = uds_scan_json(&s, OBD_LANG_EN);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "modules")), (int)CAR30_NANSWERING);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "silent")), (int)(s.nmodules - CAR30_NANSWERING));
    char *txt = cJSON_PrintUnformatted(j);
    assert_non_null(strstr(txt, "\"response_id\":\"77A\",\"state\":\"needs_oem_authorisation\""));
    free(txt);
    cJSON_Delete(j);
    car_close(&car);
}

/* ---------------- a 29-bit car ---------------- */

static const char car29[] = "[vehicle]\n"
                            "protocol = can29_500\n"
                            "vin = JTDKB3FU4K3012345\n"
                            "[ecu engine]\n"
                            "address = 18DAF110\n"
                            "pid.0C = const:800\n"
                            "[ecu body]\n"
                            "address = 18DAF140\n"
                            "obd = no\n"
                            "uds.dtcs = B1234-56:2F\n"
                            "uds.did.F187 = 89221-47080\n"
                            "[ecu mirror]\n"
                            "address = 18DAF158\n"
                            "obd = no\n"
                            "uds = yes\n"
                            "silent = yes\n";

static void test_29bit_car(void **state)
{
    (void)state;
    car_t car;
    car_open(&car, NULL, car29);
    static uds_scan_t s;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    /* as the CLI calls it: a pair list, empty */
    static const obd_target_t none[1];
    o.pairs = none;
    o.npairs = 0;
    o.probe_timeout_ms = 30;
    assert_int_equal(uds_scan_run(car.l, &o, &s, NULL, NULL), OBD_OK);
    /* every 18DAxxF1 but the tester's own F1 */
    assert_int_equal(s.nmodules, 255);
    /* the body module, and the engine saying 7F 3E 11 (no UDS): an answer is an answer */
    assert_int_equal(s.nanswered, 2);
    assert_int_equal(module(&s, 0x18DA10F1, 0x18DAF110)->state, UDS_MOD_NOT_SUPPORTED);
    const uds_module_t *m = module(&s, 0x18DA40F1, 0x18DAF140);
    assert_non_null(m);
    assert_true(m->answered);
    assert_int_equal(m->state, UDS_MOD_OK);
    has_dtc(m, "B1234-56");
    assert_string_equal(m->ident[1], "89221-47080");
    assert_false(module(&s, 0x18DA58F1, 0x18DAF158)->answered);
    /* --no-range --29 40: only that one */
    static const uint8_t list[] = { 0x40 };
    o.range11 = false;
    o.range29 = true;
    o.addr29 = list;
    o.naddr29 = 1;
    assert_int_equal(uds_scan_run(car.l, &o, &s, NULL, NULL), OBD_OK);
    assert_int_equal(s.nmodules, 1);
    assert_int_equal(s.nanswered, 1);
    /* --no-range alone: nothing to probe, nothing found, no error */
    o.range29 = false;
    assert_int_equal(uds_scan_run(car.l, &o, &s, NULL, NULL), OBD_OK);
    assert_int_equal(s.nmodules, 0);
    car_close(&car);
}

/* ---------------- other makers' conventions ---------------- */

/* Response = request + 8 anywhere in 7xx (Toyota, Hyundai/Kia, Ford ...) is
 * in the default range; a GM-style body module on 241/641 is not, and is
 * found when given with --pair. */
static const char car_plus8[] = "[vehicle]\n"
                                "protocol = can11_500\n"
                                "[ecu engine]\n"
                                "address = 7E8\n"
                                "uds.dtcs = P0420-00:08\n"
                                "pid.0C = const:800\n"
                                "[ecu airbag]\n"
                                "address = 7B8\n"
                                "request = 7B0\n"
                                "obd = no\n"
                                "uds.dtcs = B0001-00:09\n"
                                "[ecu smartkey]\n"
                                "address = 7D9\n"
                                "request = 7D1\n"
                                "obd = no\n"
                                "uds = yes\n"
                                "[ecu body]\n"
                                "address = 641\n"
                                "request = 241\n"
                                "obd = no\n"
                                "uds.dtcs = B2AAA-00:08\n";

static void test_other_conventions(void **state)
{
    (void)state;
    car_t car;
    car_open(&car, NULL, car_plus8);
    static uds_scan_t s;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    static const obd_target_t extra[] = { { 0x241, 0x641 } };
    o.pairs = extra;
    o.npairs = 1;
    assert_int_equal(uds_scan_run(car.l, &o, &s, NULL, NULL), OBD_OK);
    assert_int_equal(s.nmodules, 361); /* the given pair + the 360 of the range */
    assert_int_equal(s.nanswered, 4);
    has_dtc(module(&s, 0x7E0, 0x7E8), "P0420-00");
    has_dtc(module(&s, 0x7B0, 0x7B8), "B0001-00");
    assert_true(module(&s, 0x7D1, 0x7D9)->dtcs_read);
    has_dtc(module(&s, 0x241, 0x641), "B2AAA-00");
    car_close(&car);
}

/* ---------------- two scans at once ---------------- */

typedef struct {
    const char *file;
    car_t car;
    uds_scan_t s;
    int rc;
} job_t;

static void *run_job(void *arg)
{
    job_t *j = arg;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    o.read_snapshots = true;
    j->rc = uds_scan_run(j->car.l, &o, &j->s, NULL, NULL);
    return NULL;
}

/* The scan as text, without what depends on timing. */
static char *result_text(const uds_scan_t *s)
{
    cJSON *j = uds_scan_json(s, OBD_LANG_EN);
    cJSON_DeleteItemFromObject(j, "duration_ms");
    char *t = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return t;
}

static void test_parallel_scans_share_nothing(void **state)
{
    (void)state;
    static job_t jobs[2] = { { .file = CAR30 }, { .file = "tests/scenarios/default.ini" } };
    char *alone[2];
    /* given: what each car gives scanned alone */
    for (int i = 0; i < 2; i++) {
        car_open(&jobs[i].car, jobs[i].file, NULL);
        run_job(&jobs[i]);
        assert_int_equal(jobs[i].rc, OBD_OK);
        alone[i] = result_text(&jobs[i].s);
        car_close(&jobs[i].car);
    }
    assert_string_not_equal(alone[0], alone[1]);
    /* when: both at once, each on its own link and car (fresh cars: a scan changes nothing in them) */
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        car_open(&jobs[i].car, jobs[i].file, NULL);
        memset(&jobs[i].s, 0, sizeof jobs[i].s);
    }
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
    /* scans sharing their batch state can also lose count and never end: a
     * deadline far above the ~1.5 s they take turns that into a failure */
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += 60;
    for (int i = 0; i < 2; i++)
        if (pthread_timedjoin_np(th[i], NULL, &dl))
            fail_msg("scan %d did not end within 60 s (state shared between scans?)", i);
    /* then: the same, byte for byte */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(jobs[i].rc, OBD_OK);
        char *t = result_text(&jobs[i].s);
        assert_string_equal(t, alone[i]);
        free(t);
        car_close(&jobs[i].car);
    }
    free(alone[0]);
    free(alone[1]);
}

/* On SocketCAN an 11-bit link sends 29-bit ids too: the --29 list and a
 * 29-bit --pair are probed (silent here), nothing is "not probed". */
static void test_socketcan_mixed_ids(void **state)
{
    (void)state;
    car_t car;
    car_open(&car, CAR30, NULL);
    obd_link_info_t li;
    assert_int_equal(obd_link_info(car.l, &li), OBD_OK);
    assert_true(li.mixed_ids);
    static uds_scan_t s;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    o.range11 = false;
    o.range29 = true;
    static const uint8_t a29[] = { 0x10, 0x33 };
    o.addr29 = a29;
    o.naddr29 = 2;
    static const obd_target_t extra[] = { { 0x18DA10F1u, 0x18DAF110u }, { 0x18DA40F1u, 0x18DAF140u } };
    o.pairs = extra;
    o.npairs = 2;
    assert_int_equal(uds_scan_run(car.l, &o, &s, NULL, NULL), OBD_OK);
    assert_int_equal(s.not_probed29, 0);
    assert_int_equal(s.nmodules, 3); /* 10 given both ways: probed once */
    assert_non_null(module(&s, 0x18DA33F1u, 0x18DAF133u));
    assert_non_null(module(&s, 0x18DA40F1u, 0x18DAF140u));
    /* the whole 11-bit range and every 29-bit address: all 615 probed, none
     * dropped for want of room, and the 27 modules still found */
    uds_scan_opts_default(&o);
    o.range29 = true;
    assert_int_equal(uds_scan_run(car.l, &o, &s, NULL, NULL), OBD_OK);
    assert_int_equal(s.nmodules, 360 + 255);
    assert_int_equal(s.nanswered, CAR30_NANSWERING);
    assert_non_null(module(&s, 0x18DAFEF1u, 0x18DAF1FEu));
    car_close(&car);
}

/* The scan options as typed: whole values only, clear refusals. */
static void test_option_parsers(void **state)
{
    (void)state;
    uint8_t v = 0x55;
    assert_int_equal(uds_opt_mask("09", &v), 0);
    assert_int_equal(v, 0x09);
    assert_int_equal(uds_opt_mask("0xff", &v), 0);
    assert_int_equal(v, 0xFF);
    const char *bad_masks[] = { "", "0", "00", "zz", "1FF", "8 ", "0x", "-1" };
    for (size_t i = 0; i < sizeof bad_masks / sizeof *bad_masks; i++) {
        v = 0x55;
        assert_int_equal(uds_opt_mask(bad_masks[i], &v), -EINVAL);
        assert_int_equal(v, 0x55); /* untouched */
    }
    assert_int_equal(uds_opt_mask(NULL, &v), -EINVAL);
    assert_int_equal(uds_opt_session("extended", &v), 0);
    assert_int_equal(v, 0x03);
    assert_int_equal(uds_opt_session("default", &v), 0);
    assert_int_equal(v, 0x00);
    assert_int_equal(uds_opt_session("40", &v), 0);
    assert_int_equal(v, 0x40);
    assert_int_equal(uds_opt_session("Extended", &v), -EINVAL);
    assert_int_equal(uds_opt_session("0", &v), -EINVAL);
    assert_int_equal(uds_opt_session("100", &v), -EINVAL);

    uint8_t a[4];
    size_t n = 99;
    assert_int_equal(uds_opt_addr29("all", a, sizeof a, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(uds_opt_addr29("10,2a,0xB7", a, sizeof a, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(a[0], 0x10);
    assert_int_equal(a[1], 0x2A);
    assert_int_equal(a[2], 0xB7);
    const char *bad_lists[] = { "", ",", "10,", ",10", "10,,11", "10;11", "100", "1,2,3,4,5", "all,10", "g1" };
    for (size_t i = 0; i < sizeof bad_lists / sizeof *bad_lists; i++)
        assert_int_equal(uds_opt_addr29(bad_lists[i], a, sizeof a, &n), -EINVAL);
    assert_int_equal(uds_opt_addr29("1,2,3,4", a, sizeof a, &n), 0); /* exactly cap */
    assert_int_equal(n, 4);
}

/* A module that answers everything but the session change: the scan must
 * say so (issue 18: it went on in the default session without a word). */
typedef struct {
    obd_link_t base;
    bool silent_session; /* true: no answer to 10 03; false: 7F 10 22 */
} sess_link_t;

static int sess_request(obd_link_t *l, const obd_request_t *req, obd_replies_t *out)
{
    sess_link_t *f = (sess_link_t *)l;
    obd_replies_reset(out);
    if (req->to.tx_id != 0x7E0)
        return OBD_OK; /* nobody else on this car */
    const uint8_t *d = req->data;
    uint8_t r[8];
    size_t n = 0;
    if (d[0] == 0x3E) {
        r[0] = 0x7E, r[1] = 0x00, n = 2;
    } else if (d[0] == 0x10 && req->len >= 2 && d[1] == 0x01) {
        r[0] = 0x50, r[1] = 0x01, r[2] = 0x00, r[3] = 0x32, r[4] = 0x01, r[5] = 0xF4, n = 6;
    } else if (d[0] == 0x10) {
        if (f->silent_session)
            return OBD_OK;
        r[0] = 0x7F, r[1] = 0x10, r[2] = 0x22, n = 3;
    } else if (d[0] == 0x19) {
        r[0] = 0x59, r[1] = 0x02, r[2] = 0xFF, n = 3;
    } else {
        r[0] = 0x7F, r[1] = d[0], r[2] = 0x31, n = 3;
    }
    return obd_replies_add(out, 0x7E8, r, n, false);
}

static int sess_info(obd_link_t *l, obd_link_info_t *out)
{
    (void)l;
    memset(out, 0, sizeof *out);
    out->protocol = OBD_PROTO_CAN11_500;
    out->battery_v = -1;
    return OBD_OK;
}

static void sess_close(obd_link_t *l) { (void)l; }

static const obd_link_ops_t sess_ops = { "test", sess_request, sess_info, sess_close, NULL };

static void test_session_change_failure_said(void **state)
{
    (void)state;
    for (int silent = 0; silent < 2; silent++) {
        sess_link_t f = { .base = { .ops = &sess_ops }, .silent_session = silent };
        uds_scan_opts_t o;
        uds_scan_opts_default(&o);
        o.range11 = false;
        obd_target_t pair = { 0x7E0, 0x7E8 };
        o.pairs = &pair;
        o.npairs = 1;
        o.session = 0x03;
        uds_scan_t *s = calloc(1, sizeof *s);
        assert_non_null(s);
        assert_int_equal(uds_scan_run(&f.base, &o, s, NULL, NULL), OBD_OK);
        assert_int_equal(s->nanswered, 1);
        assert_int_equal(s->session_failed, 1);
        assert_true(s->modules[0].session_failed);
        assert_false(s->modules[0].session_held);
        assert_int_equal(s->modules[0].session_nrc, silent ? 0 : 0x22);
        cJSON *j = uds_scan_json(s, OBD_LANG_EN);
        assert_int_equal(cJSON_GetObjectItem(j, "session_failed")->valueint, 1);
        cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "modules"), 0);
        cJSON *sf = cJSON_GetObjectItem(m, "session_failed");
        assert_non_null(sf);
        if (silent)
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(sf, "nrc")));
        else
            assert_string_equal(cJSON_GetObjectItem(sf, "nrc")->valuestring, "22");
        cJSON_Delete(j);
        /* Without --session nothing is reported. */
        o.session = 0;
        assert_int_equal(uds_scan_run(&f.base, &o, s, NULL, NULL), OBD_OK);
        assert_int_equal(s->session_failed, 0);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_car_30_modules),
        cmocka_unit_test(test_session_change_failure_said),
        cmocka_unit_test(test_29bit_car),
        cmocka_unit_test(test_other_conventions),
        cmocka_unit_test(test_parallel_scans_share_nothing),
        cmocka_unit_test(test_option_parsers),
        cmocka_unit_test(test_socketcan_mixed_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
