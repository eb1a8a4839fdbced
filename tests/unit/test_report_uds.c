/*
 * UDS full-system scans in the QC verdict (qc_add_uds) and in the reports
 * (modules section, QC comparison, next steps), built by hand without a
 * store. Given modules that answered, refused (needs OEM authorisation) or
 * went silent, when compared and rendered, then every one of them is
 * visible and none that was not read is shown as "no DTCs".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "obdgw/qc.h"
#include "obdgw/report.h"

#define VIN "LFV2A21K6M3012345"
#define T0 1714550400000LL

static dtcdb_t *db; /* descriptions when OBDGW_DTC_DB is set; optional here */

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

static int setup(void **state)
{
    (void)state;
    const char *p = getenv("OBDGW_DTC_DB");
    if (p && dtcdb_open(&db, p, NULL) != OBD_OK)
        db = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dtcdb_close(db);
    return 0;
}

/* ---- scans ---- */

static uds_module_t *mod(uds_scan_t *s, uint32_t tx, uint32_t rx, uds_mod_state_t st, uint8_t nrc)
{
    uds_module_t *m = &s->modules[s->nmodules++];
    memset(m, 0, sizeof *m);
    m->tx_id = tx;
    m->rx_id = rx;
    m->answered = st != UDS_MOD_NO_ANSWER;
    m->state = st;
    m->nrc = nrc;
    m->dtcs_read = st == UDS_MOD_OK;
    s->nanswered += m->answered;
    return m;
}

static void dtc(uds_module_t *m, const char *code, uint8_t status)
{
    uint32_t c;
    assert_int_equal(uds_dtc_parse(code, &c), OBD_OK);
    m->dtcs[m->ndtcs++] = (uds_dtc_t){ c, status };
}

/* Before the repair: ABS with two confirmed DTCs, an airbag module read and
 * clean, a gateway that needs OEM authorisation, an OBD-only engine ECU
 * (no $19), a silent pair. */
static void record(uds_scan_t *s, uds_module_t *m, uint32_t code, uint8_t kind, const uint8_t *data, size_t len,
                   unsigned sent)
{
    uds_scan_snap_t *r = uds_scan_add_record(s, m);
    assert_non_null(r);
    r->code = code;
    r->record = kind;
    r->len = (uint16_t)len;
    r->sent = (uint16_t)sent;
    if (len)
        memcpy(r->data, data, len);
}

static uds_scan_t *before(void)
{
    uds_scan_t *s = calloc(1, sizeof *s);
    uds_module_t *abs = mod(s, 0x713, 0x77D, UDS_MOD_OK, 0);
    abs->ident_ok[1] = true;
    snprintf(abs->ident[1], sizeof abs->ident[1], "5Q0907379AC");
    dtc(abs, "C0035-11", 0x2F);
    dtc(abs, "C0040-13", 0x28);
    /* freeze data of C0035-11 (standard DIDs: decoded), its extended data
     * (OEM layout: bytes), and one of C0040-13 that starts with an OEM DID
     * (cannot be split: bytes) and was cut to fit */
    static const uint8_t snap[] = { 0x01, 0x02, 0xF4, 0x0C, 0x0C, 0x80, 0xF4, 0x0D, 0x00 };
    static const uint8_t ext[] = { 0x01, 0x03, 0x02, 0x00 };
    static const uint8_t oem[] = { 0x01, 0x02, 0xDD, 0x01, 0x00, 0x47, 0xA4, 0xF4, 0x0D, 0x00 };
    uint32_t c35 = abs->dtcs[0].code, c40 = abs->dtcs[1].code;
    record(s, abs, c35, UDS_RDTC_SNAPSHOT, snap, sizeof snap, sizeof snap);
    record(s, abs, c35, UDS_RDTC_EXTDATA, ext, sizeof ext, sizeof ext);
    record(s, abs, c40, UDS_RDTC_SNAPSHOT, oem, sizeof oem, 300);
    mod(s, 0x715, 0x77F, UDS_MOD_OK, 0);
    mod(s, 0x710, 0x77A, UDS_MOD_NEEDS_AUTH, 0x33);
    mod(s, 0x7E0, 0x7E8, UDS_MOD_NOT_SUPPORTED, 0x11);
    mod(s, 0x714, 0x77E, UDS_MOD_NO_ANSWER, 0);
    return s;
}

/* After: C0035-11 still confirmed, C0040-13 cleared (0x50), a new confirmed
 * C0050-00; the airbag module silent now; the gateway still refusing. */
static uds_scan_t *after(void)
{
    uds_scan_t *s = calloc(1, sizeof *s);
    uds_module_t *abs = mod(s, 0x713, 0x77D, UDS_MOD_OK, 0);
    dtc(abs, "C0035-11", 0x2F);
    dtc(abs, "C0040-13", 0x50);
    dtc(abs, "C0050-00", 0x09);
    /* asked for the freeze data after the clear: the module holds none */
    record(s, abs, abs->dtcs[0].code, UDS_RDTC_SNAPSHOT, NULL, 0, 0);
    mod(s, 0x715, 0x77F, UDS_MOD_NO_ANSWER, 0);
    mod(s, 0x710, 0x77A, UDS_MOD_NEEDS_AUTH, 0x33);
    mod(s, 0x7E0, 0x7E8, UDS_MOD_NOT_SUPPORTED, 0x11);
    mod(s, 0x714, 0x77E, UDS_MOD_NO_ANSWER, 0);
    return s;
}

/* An OBD scan with one clean engine ECU (so qc_compare says PASS). */
static obd_scan_t *clean_obd(uint64_t when)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    snprintf(s->vin, sizeof s->vin, "%s", VIN);
    s->started_ms = when;
    obd_ecu_scan_t *e = &s->ecus[s->necus++];
    e->addr = 0x7E8;
    e->stored.read = e->pending.read = e->permanent.read = true;
    e->has_readiness = true;
    e->warmups_since_clear = e->km_since_clear = e->min_since_clear = -1;
    e->km_with_mil = e->min_with_mil = -1;
    e->odometer_km = -1;
    return s;
}

static const qc_reason_t *reason(const qc_result_t *r, const char *key, size_t nth)
{
    for (size_t i = 0; i < r->nreasons; i++)
        if (!strcmp(r->reasons[i].key, key) && nth-- == 0)
            return &r->reasons[i];
    return NULL;
}

static const qc_uds_dtc_t *udtc(const qc_result_t *r, const char *code)
{
    uint32_t c;
    assert_int_equal(uds_dtc_parse(code, &c), OBD_OK);
    for (size_t i = 0; i < r->uds.ndtcs; i++)
        if (r->uds.dtcs[i].code == c)
            return &r->uds.dtcs[i];
    return NULL;
}

/* ---- QC ---- */

static void test_qc_uds_fail(void **state)
{
    (void)state;
    obd_scan_t *op = clean_obd(T0), *oq = clean_obd(T0 + 1000);
    qc_result_t *r = calloc(1, sizeof *r);
    assert_int_equal(qc_compare(op, oq, NULL, r), OBD_OK);
    assert_int_equal(r->verdict, QC_PASS);
    assert_non_null(reason(r, "all_clear", 0));
    uds_scan_t *a = before(), *b = after();
    /* when the UDS scans are folded in */
    assert_int_equal(qc_add_uds(r, a, b), OBD_OK);
    /* then: FAIL, and the OBD "all clear" no longer claims the car is clean */
    assert_int_equal(r->verdict, QC_FAIL);
    assert_null(reason(r, "all_clear", 0));
    assert_true(r->uds.present && r->uds.has_pre && r->uds.has_post);
    assert_int_equal(r->uds.persisting, 1);
    assert_int_equal(r->uds.resolved, 1);
    assert_int_equal(r->uds.new_after, 1);
    assert_int_equal(r->uds.needs_auth, 1);
    assert_int_equal(r->uds.lost, 1);
    assert_int_equal(r->uds.unread, 0); /* the OBD-only ECU offers no $19 before or after: not "unread" */
    assert_int_equal(udtc(r, "C0035-11")->change, QC_DTC_PERSISTING);
    assert_int_equal(udtc(r, "C0040-13")->change, QC_DTC_RESOLVED);
    assert_int_equal(udtc(r, "C0040-13")->status_post, 0x50);
    assert_int_equal(udtc(r, "C0050-00")->change, QC_DTC_NEW);
    assert_int_equal(udtc(r, "C0050-00")->status_pre, -1);
    /* the reasons, in both languages */
    const qc_reason_t *q = reason(r, "uds_dtc_persisting", 0);
    assert_non_null(q);
    assert_int_equal(q->severity, QC_SEV_FAIL);
    assert_non_null(strstr(q->en, "C0035-11"));
    assert_non_null(strstr(q->en, "ABS"));
    assert_non_null(strstr(q->zh, "C0035-11"));
    assert_non_null(strstr(q->zh, "仍有已确认故障码"));
    q = reason(r, "uds_needs_auth", 0);
    assert_non_null(q);
    assert_int_equal(q->severity, QC_SEV_FAIL);
    assert_non_null(strstr(q->en, "needs OEM authorisation"));
    assert_non_null(strstr(q->en, "710/77A"));
    assert_non_null(strstr(q->en, "NRC 33"));
    assert_non_null(strstr(q->zh, "需要主机厂授权"));
    assert_non_null(reason(r, "uds_dtc_new", 0));
    assert_non_null(reason(r, "uds_module_lost", 0));
    assert_int_equal(reason(r, "uds_dtc_resolved", 0)->severity, QC_SEV_INFO);
    assert_null(reason(r, "uds_all_clear", 0));
    assert_null(reason(r, "uds_dtc_unread", 0));
    /* JSON: the uds object and the 3-byte codes of the reasons */
    cJSON *j = qc_json(r, OBD_LANG_ZH);
    const cJSON *u = cJSON_GetObjectItem(j, "uds");
    assert_non_null(u);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(u, "counts"), "needs_oem_authorisation")->valueint, 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(u, "modules")), 4); /* the silent pair is not a module */
    bool found = false;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "reasons"))
    {
        if (!strcmp(cJSON_GetObjectItem(it, "key")->valuestring, "uds_dtc_persisting")) {
            assert_string_equal(cJSON_GetObjectItem(it, "code")->valuestring, "C0035-11");
            assert_string_equal(cJSON_GetObjectItem(it, "ecu")->valuestring, "77D");
            assert_non_null(strstr(cJSON_GetObjectItem(it, "text")->valuestring, "仍有已确认故障码"));
            found = true;
        }
    }
    assert_true(found);
    cJSON_Delete(j);
    free(a);
    free(b);
    free(r);
    free(op);
    free(oq);
}

static void test_qc_uds_clean_and_missing(void **state)
{
    (void)state;
    obd_scan_t *op = clean_obd(T0), *oq = clean_obd(T0 + 1000);
    qc_result_t *r = calloc(1, sizeof *r);
    uds_scan_t *a = before(), *b = calloc(1, sizeof *b);
    /* given a repair that cleared the ABS codes and a gateway that can be read now */
    uds_module_t *abs = mod(b, 0x713, 0x77D, UDS_MOD_OK, 0);
    dtc(abs, "C0035-11", 0x50);
    mod(b, 0x715, 0x77F, UDS_MOD_OK, 0);
    mod(b, 0x710, 0x77A, UDS_MOD_OK, 0);
    mod(b, 0x7E0, 0x7E8, UDS_MOD_NOT_SUPPORTED, 0x11);
    assert_int_equal(qc_compare(op, oq, NULL, r), OBD_OK);
    assert_int_equal(qc_add_uds(r, a, b), OBD_OK);
    assert_int_equal(r->verdict, QC_PASS);
    assert_int_equal(r->uds.resolved, 2); /* C0040-13 is not reported at all any more */
    assert_non_null(reason(r, "all_clear", 0));
    assert_non_null(reason(r, "uds_all_clear", 0));
    assert_non_null(strstr(reason(r, "uds_all_clear", 0)->zh, "无已确认故障码"));
    /* no post-repair UDS scan while the pre-repair one found confirmed codes: FAIL */
    assert_int_equal(qc_compare(op, oq, NULL, r), OBD_OK);
    assert_int_equal(qc_add_uds(r, a, NULL), OBD_OK);
    assert_int_equal(r->verdict, QC_FAIL);
    assert_non_null(strstr(reason(r, "uds_no_post_scan", 0)->en, "2 confirmed"));
    /* a module read before that refuses after is unread, not "clean" */
    free(b);
    b = after();
    b->modules[0].state = UDS_MOD_DTC_NO_ANSWER;
    b->modules[0].dtcs_read = false;
    assert_int_equal(qc_compare(op, oq, NULL, r), OBD_OK);
    assert_int_equal(qc_add_uds(r, a, b), OBD_OK);
    assert_int_equal(r->uds.unread, 1);
    assert_non_null(reason(r, "uds_dtc_unread", 0));
    assert_null(udtc(r, "C0035-11")); /* not claimed resolved: it was not read */
    /* no UDS scan at all: nothing changes */
    assert_int_equal(qc_compare(op, oq, NULL, r), OBD_OK);
    size_t n = r->nreasons;
    assert_int_equal(qc_add_uds(r, NULL, NULL), OBD_OK);
    assert_false(r->uds.present);
    assert_int_equal(r->nreasons, n);
    assert_int_equal(r->verdict, QC_PASS);
    cJSON *j = qc_json(r, OBD_LANG_EN);
    assert_null(cJSON_GetObjectItem(j, "uds"));
    cJSON_Delete(j);
    free(a);
    free(b);
    free(r);
    free(op);
    free(oq);
}

/* ---- reports ---- */

static store_uds_meta_t umeta(int64_t id, store_stage_t stage, int64_t when, const uds_scan_t *s)
{
    store_uds_meta_t m;
    memset(&m, 0, sizeof m);
    m.id = id;
    m.stage = stage;
    m.started_ms = when;
    snprintf(m.ro, sizeof m.ro, "RO-U");
    snprintf(m.vin, sizeof m.vin, "%s", VIN);
    snprintf(m.technician, sizeof m.technician, "Li Wei");
    m.probed = (int)s->nmodules;
    m.answered = (int)s->nanswered;
    return m;
}

static void build(report_t *r, report_kind_t kind, obd_lang_t lang)
{
    report_init(r, kind, lang);
    store_wo_t w;
    memset(&w, 0, sizeof w);
    snprintf(w.ro, sizeof w.ro, "RO-U");
    snprintf(w.vin, sizeof w.vin, "%s", VIN);
    w.mileage_in_km = -1;
    report_set_wo(r, &w);
    obd_scan_t *op = clean_obd(T0), *oq = clean_obd(T0 + 3600000);
    store_scan_meta_t mp, mq;
    memset(&mp, 0, sizeof mp);
    mp.id = 1;
    mp.stage = STORE_STAGE_RECEPTION;
    mp.started_ms = T0;
    mp.mileage_km = mp.battery_v = -1;
    mq = mp;
    mq.id = 2;
    mq.stage = STORE_STAGE_POST;
    mq.started_ms = T0 + 3600000;
    assert_int_equal(report_add_scan(r, &mp, op), OBD_OK);
    assert_int_equal(report_add_scan(r, &mq, oq), OBD_OK);
    uds_scan_t *a = before(), *b = after();
    store_uds_meta_t ma = umeta(11, STORE_STAGE_RECEPTION, T0 + 1000, a), mb = umeta(12, STORE_STAGE_POST, T0 + 3601000, b);
    assert_int_equal(report_add_uds_scan(r, &mb, b), OBD_OK); /* out of order: kept in time order */
    assert_int_equal(report_add_uds_scan(r, &ma, a), OBD_OK);
    free(a);
    free(b);
    free(op);
    free(oq);
    assert_int_equal(report_finish(r, db), OBD_OK);
}

static const cJSON *module_json(const cJSON *mods, const char *rx)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(mods, "modules"))
    {
        if (!strcmp(cJSON_GetObjectItem(it, "response_id")->valuestring, rx))
            return it;
    }
    return NULL;
}

static bool has_step(const cJSON *j, const char *key)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "next_steps"))
    {
        if (!strcmp(cJSON_GetObjectItem(it, "key")->valuestring, key))
            return true;
    }
    return false;
}

static void test_report_modules(void **state)
{
    (void)state;
    report_t r;
    build(&r, REPORT_DIAGNOSTIC, OBD_LANG_EN);
    assert_int_equal(r.nuds, 2);
    assert_int_equal(r.uds[0].meta.id, 11);
    cJSON *j = report_json(&r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "uds_scans")), 2);
    const cJSON *mods = cJSON_GetObjectItem(j, "modules");
    assert_int_equal(cJSON_GetObjectItem(mods, "uds_scan_id")->valueint, 12); /* the latest */
    const cJSON *gw = module_json(mods, "77A");
    assert_non_null(gw);
    assert_string_equal(cJSON_GetObjectItem(gw, "state")->valuestring, "needs_oem_authorisation");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(gw, "codes_read")));
    assert_null(cJSON_GetObjectItem(gw, "dtcs")); /* not an empty list: nothing was read */
    const cJSON *abs = module_json(mods, "77D");
    assert_string_equal(cJSON_GetObjectItem(abs, "name")->valuestring, "abs");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(abs, "dtcs")), 3);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(abs, "dtcs"), 1), "status_text")->valuestring,
        "not failed since the last clear");
    const cJSON *silent = cJSON_GetObjectItem(mods, "silent");
    assert_int_equal(cJSON_GetArraySize(silent), 2); /* 715/77F and 714/77E */
    assert_true(has_step(j, "uds_needs_auth"));
    assert_true(has_step(j, "uds_dtc"));
    /* the records: from scan #11 (the later one got none), with their module */
    const cJSON *ur = cJSON_GetObjectItem(j, "uds_records");
    assert_int_equal(cJSON_GetObjectItem(ur, "uds_scan_id")->valueint, 11);
    const cJSON *recs = cJSON_GetObjectItem(ur, "records");
    assert_int_equal(cJSON_GetArraySize(recs), 3);
    const cJSON *r0 = cJSON_GetArrayItem(recs, 0);
    assert_string_equal(cJSON_GetObjectItem(r0, "response_id")->valuestring, "77D");
    const cJSON *v1 = cJSON_GetArrayItem(cJSON_GetObjectItem(r0, "values"), 1);
    assert_string_equal(cJSON_GetObjectItem(v1, "did")->valuestring, "F40D");
    assert_string_equal(cJSON_GetObjectItem(v1, "value")->valuestring, "0 km/h");
    const cJSON *r2 = cJSON_GetArrayItem(recs, 2); /* cut, not split: raw only */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r2, "truncated")));
    assert_int_equal(cJSON_GetObjectItem(r2, "bytes_sent")->valueint, 300);
    assert_null(cJSON_GetObjectItem(r2, "values"));
    cJSON_Delete(j);
    /* HTML: the section, the refusal in words, the silent modules; the
     * gateway is never "no DTCs" (no module here has zero DTCs read) */
    char *html = report_html_text(&r);
    assert_non_null(html);
    assert_non_null(strstr(html, "Modules (UDS full-system scan)"));
    assert_non_null(strstr(html, "needs OEM authorisation (codes NOT read)"));
    assert_non_null(strstr(html, "NRC 33 securityAccessDenied"));
    assert_non_null(strstr(html, "answered an earlier scan, silent in this one"));
    assert_non_null(strstr(html, "C0035-11"));
    assert_null(strstr(html, ">no DTCs<"));
    /* the freeze data comes from scan #11: the later one (#12) asked and got none */
    const char *fz = strstr(html, "Freeze data and extended data kept with the DTCs (UDS)");
    assert_non_null(fz);
    assert_non_null(strstr(fz, "UDS scan #11"));
    assert_non_null(strstr(fz, "Engine speed"));
    assert_non_null(strstr(fz, "800 rpm"));
    assert_non_null(strstr(fz, "01030200"));          /* extended data as sent */
    assert_non_null(strstr(fz, "DD010047A4F40D00"));  /* not splittable: as sent */
    assert_non_null(strstr(fz, "the module sent bytes: 300"));
    free(html);
    report_free(&r);
    /* Chinese */
    build(&r, REPORT_DIAGNOSTIC, OBD_LANG_ZH);
    html = report_html_text(&r);
    assert_non_null(strstr(html, "控制单元（UDS 全车扫描）"));
    assert_non_null(strstr(html, "需要主机厂授权（未读取故障码）"));
    assert_non_null(strstr(html, "之前的扫描有应答，本次无应答"));
    assert_non_null(strstr(html, "故障码冻结数据与扩展数据（UDS）"));
    assert_non_null(strstr(html, "发动机转速"));
    free(html);
    char path[] = "/tmp/obdgw-test-report-uds-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(report_render_pdf(&r, path), OBD_OK);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char head[5] = "";
    assert_int_equal(fread(head, 1, 4, f), 4);
    assert_string_equal(head, "%PDF");
    fclose(f);
    unlink(path);
    report_free(&r);
}

static void test_report_qc_uds(void **state)
{
    (void)state;
    report_t r;
    build(&r, REPORT_QC, OBD_LANG_EN);
    assert_non_null(r.qc);
    assert_int_equal(r.uds_pre, 0);
    assert_int_equal(r.uds_post, 1);
    assert_int_equal(r.qc->verdict, QC_FAIL); /* OBD alone would pass */
    cJSON *j = report_json(&r);
    const cJSON *q = cJSON_GetObjectItem(j, "qc");
    assert_string_equal(cJSON_GetObjectItem(q, "verdict")->valuestring, "fail");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(q, "uds"), "counts"), "persisting")
                         ->valueint,
                     1);
    assert_true(has_step(j, "qc_failed"));
    cJSON_Delete(j);
    char *html = report_html_text(&r);
    assert_non_null(strstr(html, "Modules before and after the repair (UDS)"));
    assert_non_null(strstr(html, "C0035-11 is still confirmed in ABS / brakes 713/77D"));
    free(html);
    report_free(&r);
    build(&r, REPORT_QC, OBD_LANG_ZH);
    html = report_html_text(&r);
    assert_non_null(strstr(html, "维修前后控制单元对比（UDS）"));
    assert_non_null(strstr(html, "需要主机厂授权"));
    assert_non_null(strstr(html, "50 清除后未再出现")); /* a status cell whole, not cut inside a character */
    free(html);
    char path[] = "/tmp/obdgw-test-report-uds-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(report_render_pdf(&r, path), OBD_OK);
    unlink(path);
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qc_uds_fail),
        cmocka_unit_test(test_qc_uds_clean_and_missing),
        cmocka_unit_test(test_report_modules),
        cmocka_unit_test(test_report_qc_uds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
