/*
 * Reports built by hand (no store): a realistic misfire car — DTCs of every
 * kind, a freeze frame, readiness, Mode 06, a silent ECU, additional items
 * and a 300-sample live-data recording — rendered as JSON, HTML and PDF in
 * English and Chinese. Given that model, when rendered, then the documents
 * carry the RO, VIN, codes and descriptions, one chart per recorded series,
 * the QC verdict, and nothing from the data can inject markup.
 *
 * With OBDGW_REPORT_OUT=DIR set, the sample documents are also written to
 * DIR (tests/report_test.sh renders them in Chromium and pdftotext).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "obdgw/pid.h"
#include "obdgw/report.h"

#define VIN "LFV2A21K6M3012345"
#define RO "2024-0012"
#define T0 1714550400000LL /* 2024-05-01 08:00 UTC */
#define INJECT_COMPLAINT "<script>alert('ro')</script> Engine shakes & \"MIL\" is on"
#define NSAMPLES 300

static dtcdb_t *db;
static char tmpdir[256];

/* fontconfig (under pango) keeps its font cache for the life of the process;
 * that is not a leak of ours. Read by LeakSanitizer in the SANITIZE=1 build. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

static int setup(void **state)
{
    (void)state;
    const char *path = getenv("OBDGW_DTC_DB");
    if (!path) {
        fprintf(stderr, "OBDGW_DTC_DB is not set (run through make check)\n");
        return -1;
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/obdgw-test-report-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    /* An OEM pack whose description tries to inject markup into the reports. */
    char pack[300];
    snprintf(pack, sizeof pack, "%s/evil.tsv", tmpdir);
    FILE *f = fopen(pack, "w");
    if (!f)
        return -1;
    fputs("# pack: injection test\n# wmi: LFV\n"
          "P1301\tignition\tmanufacturer\tMisfire <img src=x onerror=alert(1)> & <script>bad()</script>\t"
          "第1缸<b>失火</b>（注入测试）\n",
          f);
    fclose(f);
    return dtcdb_open(&db, path, tmpdir) == OBD_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dtcdb_close(db);
    char p[300];
    snprintf(p, sizeof p, "%s/evil.tsv", tmpdir);
    unlink(p);
    rmdir(tmpdir);
    return 0;
}

/* ---- a realistic vehicle ---------------------------------------------------- */

static void ff_add(obd_ecu_scan_t *e, uint8_t pid, double value)
{
    obd_pid_sample_t *s = &e->ff[e->nff++];
    s->pid = pid;
    int n = obd_pid_encode(pid, value, s->data, sizeof s->data);
    assert_true(n > 0);
    s->len = (uint8_t)n;
}

static void dtc(obd_dtc_set_t *set, const char *code)
{
    obd_dtc_t c;
    assert_int_equal(obd_dtc_parse(code, &c), OBD_OK);
    set->dtcs[set->count++] = c;
    set->read = true;
}

static obd_ecu_scan_t *ecu(obd_scan_t *s, uint32_t addr, const char *name)
{
    obd_ecu_scan_t *e = &s->ecus[s->necus++];
    memset(e, 0, sizeof *e);
    e->addr = addr;
    snprintf(e->name, sizeof e->name, "%s", name);
    e->stored.read = e->pending.read = e->permanent.read = true;
    obd_pidset_add(&e->pids, 0x01);
    obd_pidset_add(&e->pids, 0x0C);
    e->warmups_since_clear = e->km_since_clear = e->min_since_clear = -1;
    e->km_with_mil = e->min_with_mil = -1;
    e->odometer_km = -1;
    return e;
}

/* The misfire car before the repair (`fixed` false) or after it. */
static obd_scan_t *vehicle_scan(bool fixed, uint64_t when)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_non_null(s);
    snprintf(s->link.adapter, sizeof s->link.adapter, "ELM327 v1.5");
    snprintf(s->link.device, sizeof s->link.device, "/dev/rfcomm0");
    s->link.protocol = OBD_PROTO_CAN11_500;
    s->link.battery_v = 12.6;
    snprintf(s->vin, sizeof s->vin, "%s", VIN);
    s->vin_from = 0x7E8;
    s->started_ms = when;
    s->duration_ms = 4200;
    s->requests = 57;

    obd_ecu_scan_t *e = ecu(s, 0x7E8, "ECM-EngineControl");
    e->has_readiness = true;
    obd_monitor_t mons[] = { OBD_MON_MISFIRE, OBD_MON_FUEL_SYSTEM, OBD_MON_COMPONENTS,
                             OBD_MON_CATALYST, OBD_MON_EVAP,        OBD_MON_O2_SENSOR, OBD_MON_O2_HEATER };
    for (size_t i = 0; i < sizeof mons / sizeof mons[0]; i++)
        e->readiness.mon[mons[i]] = (obd_monitor_state_t){ true, true };
    if (!fixed) {
        s->mil_on = true;
        s->dtc_count = 2;
        e->readiness.mil_on = true;
        e->readiness.dtc_count = 2;
        dtc(&e->stored, "P0301");
        dtc(&e->stored, "P1301");
        dtc(&e->pending, "P0301");
        dtc(&e->permanent, "P0301");
        e->has_ff = true;
        obd_dtc_parse("P0301", &e->ff_dtc);
        ff_add(e, 0x04, 42.7);
        ff_add(e, 0x05, 88);
        ff_add(e, 0x0C, 2450);
        ff_add(e, 0x0D, 63);
        ff_add(e, 0x0F, 31);
        ff_add(e, 0x11, 18.4);
        e->warmups_since_clear = 37;
        e->km_since_clear = 1520;
        e->min_since_clear = 2880;
        e->km_with_mil = 86;
    } else {
        /* cleared and repaired: the permanent code waits for a drive cycle */
        dtc(&e->permanent, "P0301");
        e->readiness.mon[OBD_MON_CATALYST].complete = false;
        e->readiness.mon[OBD_MON_EVAP].complete = false;
        e->warmups_since_clear = 1;
        e->km_since_clear = 3;
        s->recently_cleared = true;
        snprintf(s->cleared_why, sizeof s->cleared_why, "1 warm-up and 3 km since codes were cleared");
    }
    e->odometer_km = fixed ? 48213 : 48210;
    e->m06_read = true;
    e->nm06 = 2;
    e->m06[0] = (obd_test_result_t){ .mid = 0x21, .tid = 0x80, .uasid = 0x01, .raw_value = 210, .raw_min = 0,
                                     .raw_max = 400, .value = 210, .min = 0, .max = 400, .passed = true,
                                     .known_unit = true };
    e->m06[1] = (obd_test_result_t){ .mid = 0xA2, .tid = 0x0B, .uasid = 0x01, .raw_value = fixed ? 0 : 45,
                                     .raw_min = 0, .raw_max = 20, .value = fixed ? 0 : 45, .min = 0, .max = 20,
                                     .passed = fixed, .known_unit = true };
    snprintf(e->calid[0], sizeof e->calid[0], "04E906027JT");
    e->ncalid = 1;
    e->cvn[0] = 0x1A2B3C4D;
    e->ncvn = 1;

    obd_ecu_scan_t *t = ecu(s, 0x7E9, "TCM-TransmissionCtl");
    (void)t;

    obd_raw_reply_t *r = &s->raw[s->nraw++];
    r->req[0] = 0x03;
    r->reqlen = 1;
    r->addr = 0x7E8;
    const uint8_t reply[] = { 0x43, 0x02, 0x03, 0x01, 0x13, 0x01 };
    memcpy(r->data, reply, sizeof reply);
    r->len = sizeof reply;
    return s;
}

static store_scan_meta_t meta(int64_t id, store_stage_t stage, int64_t when, const char *tech)
{
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    m.id = id;
    m.wo_id = 1;
    snprintf(m.ro, sizeof m.ro, "%s", RO);
    m.stage = stage;
    snprintf(m.technician, sizeof m.technician, "%s", tech);
    snprintf(m.vin, sizeof m.vin, "%s", VIN);
    m.started_ms = when;
    m.mileage_km = 48210;
    snprintf(m.mileage_source, sizeof m.mileage_source, "pid_a6");
    snprintf(m.adapter, sizeof m.adapter, "ELM327 v1.5");
    snprintf(m.protocol, sizeof m.protocol, "ISO 15765-4 CAN (11 bit ID, 500 kbaud)");
    m.battery_v = 12.6;
    return m;
}

static void add_recording(report_t *r, int64_t start)
{
    store_recording_t rec = { .id = 7, .wo_id = 1, .started_ms = start, .ended_ms = start + NSAMPLES * 100,
                              .samples = NSAMPLES * 3 };
    snprintf(rec.adapter, sizeof rec.adapter, "ELM327 v1.5");
    snprintf(rec.pids, sizeof rec.pids, "0C 0D 05");
    int idx = report_add_recording(r, &rec);
    assert_true(idx >= 0);
    obd_live_sample_t *s = calloc(NSAMPLES * 3, sizeof *s);
    assert_non_null(s);
    size_t n = 0;
    for (int i = 0; i < NSAMPLES; i++) {
        uint64_t t = (uint64_t)start + (uint64_t)i * 100;
        double rpm = 800 + 1700 * (1 + __builtin_sin(i / 25.0)) / 2 + (i % 7) * 10;
        double kmh = i < 50 ? 0 : (i - 50) * 0.3;
        double temp = 70 + i * 0.06;
        struct { uint8_t pid; double v; } vals[] = { { 0x0C, rpm }, { 0x0D, kmh }, { 0x05, temp } };
        for (int k = 0; k < 3; k++) {
            s[n].addr = 0x7E8;
            s[n].pid = vals[k].pid;
            s[n].t_ms = t;
            int len = obd_pid_encode(vals[k].pid, vals[k].v, s[n].data, sizeof s[n].data);
            assert_true(len > 0);
            s[n].len = (uint8_t)len;
            n++;
        }
    }
    assert_int_equal(report_rec_add_samples(r, (size_t)idx, s, n), OBD_OK);
    free(s);
}

static store_wo_t work_order(void)
{
    store_wo_t w;
    memset(&w, 0, sizeof w);
    w.id = 1;
    snprintf(w.ro, sizeof w.ro, "%s", RO);
    snprintf(w.vin, sizeof w.vin, "%s", VIN);
    snprintf(w.plate, sizeof w.plate, "京A·12345");
    w.mileage_in_km = 48210;
    snprintf(w.complaint, sizeof w.complaint, "%s", INJECT_COMPLAINT);
    snprintf(w.complaint_codes, sizeof w.complaint_codes, "P0301 ignition");
    snprintf(w.bay, sizeof w.bay, "B3");
    snprintf(w.technician, sizeof w.technician, "Wang Wei");
    w.opened_ms = T0 - 600000;
    snprintf(w.source, sizeof w.source, "dms");
    return w;
}

static void add_findings(report_t *r)
{
    store_finding_t f;
    memset(&f, 0, sizeof f);
    f.id = 1;
    f.wo_id = 1;
    snprintf(f.code, sizeof f.code, "P0420");
    f.ecu = 0x7E8;
    f.first_scan_id = 101;
    f.state = STORE_FINDING_PROPOSED;
    assert_int_equal(report_add_finding(r, &f), OBD_OK);
    f.id = 2;
    snprintf(f.code, sizeof f.code, "P0442");
    f.state = STORE_FINDING_DECLINED;
    snprintf(f.decided_by, sizeof f.decided_by, "advisor Li");
    f.decided_ms = T0 + 3600000;
    snprintf(f.note, sizeof f.note, "customer will <b>come back</b> next month");
    assert_int_equal(report_add_finding(r, &f), OBD_OK);
}

/* The advisor's diagnostic report of the reception scan. */
static void build_diag(report_t *r, obd_lang_t lang)
{
    report_init(r, REPORT_DIAGNOSTIC, lang);
    r->generated_ms = T0 + 7200000;
    report_set_shop(r, "Huaxin FAW-VW Service", "No. 8 Auto Road, Changchun · 0431-8888 0000");
    store_wo_t w = work_order();
    report_set_wo(r, &w);
    obd_scan_t *s = vehicle_scan(false, T0);
    store_scan_meta_t m = meta(101, STORE_STAGE_RECEPTION, T0, "Wang Wei");
    assert_int_equal(report_add_scan(r, &m, s), OBD_OK);
    free(s);
    assert_int_equal(report_add_silent_ecu(r, 101, 0x7EA, "ABS"), OBD_OK);
    add_findings(r);
    add_recording(r, T0 + 60000);
    assert_int_equal(report_finish(r, db), OBD_OK);
}

/* The QC report: reception scan, post-repair scan, sign-off. */
static void build_qc(report_t *r, obd_lang_t lang)
{
    report_init(r, REPORT_QC, lang);
    r->generated_ms = T0 + 4 * 3600000;
    report_set_shop(r, "Huaxin FAW-VW Service", "");
    store_wo_t w = work_order();
    report_set_wo(r, &w);
    obd_scan_t *pre = vehicle_scan(false, T0), *post = vehicle_scan(true, T0 + 3 * 3600000);
    store_scan_meta_t mp = meta(101, STORE_STAGE_RECEPTION, T0, "Wang Wei");
    store_scan_meta_t mq = meta(102, STORE_STAGE_QC, T0 + 3 * 3600000, "Zhao QC");
    /* added out of order: the model keeps time order */
    assert_int_equal(report_add_scan(r, &mq, post), OBD_OK);
    assert_int_equal(report_add_scan(r, &mp, pre), OBD_OK);
    free(pre);
    free(post);
    add_findings(r);
    add_recording(r, T0 + 3 * 3600000 + 60000);
    report_set_signoff(r, "Zhao QC <inspector>", T0 + 4 * 3600000, NULL, false);
    assert_int_equal(report_finish(r, db), OBD_OK);
}

/* ---- helpers ---------------------------------------------------------------- */

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static const cJSON *step_with(const cJSON *j, const char *key, const char *code)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(j, "next_steps"))
    {
        if (strcmp(cJSON_GetObjectItem(s, "key")->valuestring, key))
            continue;
        const cJSON *c = cJSON_GetObjectItem(s, "code");
        if (!code || (cJSON_IsString(c) && !strcmp(c->valuestring, code)))
            return s;
    }
    return NULL;
}

static void write_out(const char *name, const char *text)
{
    const char *dir = getenv("OBDGW_REPORT_OUT");
    if (!dir || !text)
        return;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void pdf_out(const char *name, char *path, size_t cap)
{
    const char *dir = getenv("OBDGW_REPORT_OUT");
    snprintf(path, cap, "%s/%s", dir ? dir : tmpdir, name);
}

/* No markup from the data may come through: every injected tag is escaped. */
static void assert_no_injection(const char *html)
{
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "<inspector>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;ro&#39;)&lt;/script&gt; Engine shakes &amp; &quot;MIL&quot;"));
}

/* Self-contained: no network resources, no scripts. */
static void assert_self_contained(const char *html)
{
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "@import"));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "<iframe"));
    assert_null(strstr(html, "<object"));
    assert_null(strstr(html, "<embed"));
    assert_null(strstr(html, "https://"));
    /* the only http:// is the SVG namespace */
    assert_int_equal(count(html, "http://"), count(html, "http://www.w3.org/2000/svg"));
    assert_non_null(strstr(html, "<meta name=\"viewport\""));
    assert_non_null(strstr(html, "@page{size:A4"));
    assert_non_null(strstr(html, "@media print"));
}

/* ---- tests ------------------------------------------------------------------ */

static void test_json_diagnostic(void **state)
{
    (void)state;
    report_t r;
    build_diag(&r, OBD_LANG_EN);
    cJSON *j = report_json(&r);
    assert_non_null(j);
    /* stable key order at the top */
    const char *order[] = { "schema", "kind", "lang", "generated", "shop", "work_order", "vehicle", "scans",
                            "silent_ecus", "uds_scans", "modules", "uds_records", "findings", "recordings", "qc", "signoff",
                            "next_steps" };
    const cJSON *it = j->child;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++, it = it->next) {
        assert_non_null(it);
        assert_string_equal(it->string, order[i]);
    }
    assert_null(it);
    assert_string_equal(cJSON_GetObjectItem(j, "schema")->valuestring, "obdgw.report/1");
    assert_string_equal(cJSON_GetObjectItem(j, "kind")->valuestring, "diagnostic");
    assert_string_equal(cJSON_GetObjectItem(j, "generated")->valuestring, "2024-05-01T10:00:00Z");
    const cJSON *wo = cJSON_GetObjectItem(j, "work_order");
    assert_string_equal(cJSON_GetObjectItem(wo, "ro")->valuestring, RO);
    assert_string_equal(cJSON_GetObjectItem(wo, "complaint")->valuestring, INJECT_COMPLAINT);
    const cJSON *veh = cJSON_GetObjectItem(j, "vehicle");
    assert_string_equal(cJSON_GetObjectItem(veh, "vin")->valuestring, VIN);
    assert_non_null(strstr(cJSON_GetObjectItem(veh, "manufacturer")->valuestring, "Volkswagen"));
    assert_int_equal(cJSON_GetObjectItem(veh, "model_year")->valueint, 2021);
    assert_int_equal(cJSON_GetObjectItem(veh, "mileage_km")->valueint, 48210);

    const cJSON *scans = cJSON_GetObjectItem(j, "scans");
    assert_int_equal(cJSON_GetArraySize(scans), 1);
    const cJSON *s0 = cJSON_GetArrayItem(scans, 0);
    assert_string_equal(cJSON_GetObjectItem(s0, "stage")->valuestring, "pre");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(s0, "primary")));
    const cJSON *scan = cJSON_GetObjectItem(s0, "scan");
    assert_string_equal(cJSON_GetObjectItem(scan, "schema")->valuestring, "obdgw.scan/1");
    const cJSON *stored =
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(scan, "ecus"), 0), "dtcs"),
                            "stored");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(stored, 0), "code")->valuestring, "P0301");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(stored, 0), "description")->valuestring,
                        "Cylinder 1 Misfire Detected");

    const cJSON *silent = cJSON_GetObjectItem(j, "silent_ecus");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(silent, 0), "address")->valuestring, "7EA");

    const cJSON *f0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 0);
    assert_string_equal(cJSON_GetObjectItem(f0, "code")->valuestring, "P0420");
    assert_string_equal(cJSON_GetObjectItem(f0, "state")->valuestring, "proposed");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f0, "additional")));
    assert_non_null(strstr(cJSON_GetObjectItem(f0, "description")->valuestring, "Catalyst"));

    const cJSON *rec = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "recordings"), 0);
    assert_int_equal(cJSON_GetObjectItem(rec, "duration_s")->valueint, NSAMPLES / 10);
    const cJSON *series = cJSON_GetObjectItem(rec, "series");
    assert_int_equal(cJSON_GetArraySize(series), 3);
    const cJSON *rpm = cJSON_GetArrayItem(series, 0);
    assert_string_equal(cJSON_GetObjectItem(rpm, "key")->valuestring, "rpm");
    assert_string_equal(cJSON_GetObjectItem(rpm, "unit")->valuestring, "rpm");
    assert_int_equal(cJSON_GetObjectItem(rpm, "n")->valueint, NSAMPLES);
    assert_true(cJSON_GetObjectItem(rpm, "min")->valuedouble >= 799);
    assert_true(cJSON_GetObjectItem(rpm, "max")->valuedouble <= 2600);
    const cJSON *pts = cJSON_GetObjectItem(cJSON_GetObjectItem(rpm, "chart"), "points");
    assert_int_equal(cJSON_GetArraySize(pts), NSAMPLES); /* 300 < 2 x 300 columns: kept as they are */

    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "qc")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "signoff")));

    /* next steps from the data */
    const cJSON *st = step_with(j, "diagnose_dtc", "P0301");
    assert_non_null(st);
    assert_string_equal(cJSON_GetObjectItem(st, "text")->valuestring,
                        "Diagnose P0301 (Ignition / misfire): Cylinder 1 Misfire Detected");
    assert_non_null(step_with(j, "pending_dtc", "P0301"));
    assert_non_null(step_with(j, "drive_cycle", "P0301"));
    assert_non_null(step_with(j, "mode06", NULL));
    assert_non_null(step_with(j, "ecu_no_answer", NULL));
    st = step_with(j, "consent", "P0420");
    assert_non_null(st);
    assert_non_null(strstr(cJSON_GetObjectItem(st, "text")->valuestring, "consent"));
    assert_non_null(step_with(j, "declined", "P0442"));
    assert_null(step_with(j, "none", NULL));

    /* canonical: the same model renders the same bytes */
    char *a = report_json_text(&r), *b = report_json_text(&r);
    assert_string_equal(a, b);
    write_out("diag-en.json", a);
    free(a);
    free(b);
    cJSON_Delete(j);
    report_free(&r);
}

static void test_json_chinese(void **state)
{
    (void)state;
    report_t r;
    build_diag(&r, OBD_LANG_ZH);
    cJSON *j = report_json(&r);
    assert_string_equal(cJSON_GetObjectItem(j, "lang")->valuestring, "zh");
    const cJSON *st = step_with(j, "diagnose_dtc", "P0301");
    assert_string_equal(cJSON_GetObjectItem(st, "text")->valuestring, "诊断并排除故障码 P0301（点火/失火）：第1缸检测到失火");
    st = step_with(j, "consent", "P0420");
    assert_string_equal(cJSON_GetObjectItem(st, "text")->valuestring, "增项 P0420 须经客户确认同意后方可施工");
    const cJSON *f1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 1);
    assert_string_equal(cJSON_GetObjectItem(f1, "state_name")->valuestring, "客户已拒绝");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "scans"), 0), "stage_name")->valuestring,
        "接车（维修前）");
    char *txt = cJSON_Print(j);
    write_out("diag-zh.json", txt);
    free(txt);
    cJSON_Delete(j);
    report_free(&r);
}

static void test_html_english(void **state)
{
    (void)state;
    report_t r;
    build_diag(&r, OBD_LANG_EN);
    char *html = report_html_text(&r);
    assert_non_null(html);
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(html, "<html lang=\"en\">"));
    assert_non_null(strstr(html, RO));
    assert_non_null(strstr(html, VIN));
    assert_non_null(strstr(html, "FAW-Volkswagen"));
    assert_non_null(strstr(html, "P0301"));
    assert_non_null(strstr(html, "Cylinder 1 Misfire Detected"));
    assert_non_null(strstr(html, "Freeze frame: P0301 (ECU 7E8)"));
    assert_non_null(strstr(html, "2450 rpm"));
    assert_non_null(strstr(html, "Readiness monitors"));
    assert_non_null(strstr(html, "Misfire Cylinder 1 Data (MID $A2)")); /* Mode 06 test out of limits */
    assert_non_null(strstr(html, "Additional items"));
    assert_non_null(strstr(html, "awaiting the customer&#39;s consent"));
    assert_non_null(strstr(html, "ECU 7EA"));   /* the silent ECU is listed */
    assert_non_null(strstr(html, "no answer"));
    assert_non_null(strstr(html, "Recommended next steps"));
    assert_non_null(strstr(html, "Diagnose P0301 (Ignition / misfire)"));
    /* one SVG line chart per recorded series, with axes in units and seconds */
    assert_int_equal(count(html, "<svg"), 3);
    assert_int_equal(count(html, "<polyline"), 3);
    assert_non_null(strstr(html, "data-series=\"rpm\""));
    assert_non_null(strstr(html, "data-series=\"speed\""));
    assert_non_null(strstr(html, "data-series=\"coolant"));
    assert_non_null(strstr(html, ">time (s)</text>"));
    assert_non_null(strstr(html, ">km/h</text>"));
    assert_non_null(strstr(html, "Min "));
    /* the OEM pack's hostile description is shown, escaped */
    assert_non_null(strstr(html, "Misfire &lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;"));
    assert_no_injection(html);
    assert_self_contained(html);
    write_out("diag-en.html", html);
    free(html);
    report_free(&r);
}

static void test_html_chinese(void **state)
{
    (void)state;
    report_t r;
    build_diag(&r, OBD_LANG_ZH);
    char *html = report_html_text(&r);
    assert_non_null(html);
    assert_non_null(strstr(html, "<html lang=\"zh-CN\">"));
    const char *want[] = { "车辆诊断报告", "维修工单", "工单号", RO, VIN, "一汽-大众", "故障码", "P0301",
                           "第1缸检测到失火", "冻结帧", "就绪状态", "增项", "待客户确认", "客户已拒绝",
                           "建议后续措施", "实时数据", "时间 (s)", "发动机控制单元 7E8", "无响应", "京A·12345" };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(html, want[i]))
            fail_msg("Chinese report lacks '%s'", want[i]);
    }
    assert_non_null(strstr(html, "第1缸&lt;b&gt;失火&lt;/b&gt;"));
    assert_int_equal(count(html, "<svg"), 3);
    assert_no_injection(html);
    assert_self_contained(html);
    write_out("diag-zh.html", html);
    free(html);
    report_free(&r);
}

static void test_qc_report(void **state)
{
    (void)state;
    for (int lang = 0; lang < OBD_LANG_COUNT; lang++) {
        report_t r;
        build_qc(&r, (obd_lang_t)lang);
        assert_int_equal(r.pre_index, 0);
        assert_int_equal(r.post_index, 1);
        assert_non_null(r.qc);
        assert_int_equal(r.qc->verdict, QC_PASS_PENDING_DRIVE_CYCLE);
        cJSON *j = report_json(&r);
        const cJSON *q = cJSON_GetObjectItem(j, "qc");
        assert_string_equal(cJSON_GetObjectItem(q, "verdict")->valuestring, "pass_pending_drive_cycle");
        assert_int_equal(cJSON_GetObjectItem(q, "pre_scan_id")->valueint, 101);
        assert_int_equal(cJSON_GetObjectItem(q, "post_scan_id")->valueint, 102);
        const cJSON *so = cJSON_GetObjectItem(j, "signoff");
        assert_string_equal(cJSON_GetObjectItem(so, "inspector")->valuestring, "Zhao QC <inspector>");
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(so, "sha256")));
        assert_non_null(step_with(j, "drive_cycle", "P0301"));
        assert_non_null(step_with(j, "monitors", NULL));
        assert_non_null(step_with(j, "recently_cleared", NULL));
        assert_null(step_with(j, "qc_failed", NULL));
        char *html = report_html_text(&r);
        assert_non_null(html);
        assert_no_injection(html);
        assert_self_contained(html);
        assert_non_null(strstr(html, RO));
        assert_non_null(strstr(html, "Zhao QC &lt;inspector&gt;"));
        if (lang == OBD_LANG_ZH) {
            assert_non_null(strstr(html, "质检（总检）报告"));
            assert_non_null(strstr(html, "合格（待完成驾驶循环）"));
            assert_non_null(strstr(html, "维修前后对比"));
            assert_non_null(strstr(html, "发动机控制单元 7E8 仍有永久故障码 P0301（第1缸检测到失火）"));
            assert_non_null(strstr(html, "签字确认"));
            write_out("qc-zh.html", html);
        } else {
            assert_non_null(strstr(html, "PASS - drive cycle pending"));
            assert_non_null(strstr(html, "Before and after the repair"));
            assert_non_null(strstr(html, "was stored in ECU 7E8 before the repair and is gone"));
            assert_non_null(strstr(html, "Sign-off"));
            write_out("qc-en.html", html);
        }
        char *txt = cJSON_Print(j);
        write_out(lang == OBD_LANG_ZH ? "qc-zh.json" : "qc-en.json", txt);
        free(txt);
        free(html);
        cJSON_Delete(j);
        report_free(&r);
    }
}

static void test_qc_fail_when_code_returns(void **state)
{
    (void)state;
    report_t r;
    report_init(&r, REPORT_QC, OBD_LANG_EN);
    obd_scan_t *pre = vehicle_scan(false, T0), *post = vehicle_scan(false, T0 + 1000);
    store_scan_meta_t mp = meta(1, STORE_STAGE_DIAGNOSTIC, T0, "A"), mq = meta(2, STORE_STAGE_POST, T0 + 1000, "B");
    report_add_scan(&r, &mp, pre);
    report_add_scan(&r, &mq, post);
    free(pre);
    free(post);
    assert_int_equal(report_finish(&r, NULL), OBD_OK);
    assert_int_equal(r.qc->verdict, QC_FAIL);
    assert_string_equal(r.steps[0].key, "qc_failed");
    char *html = report_html_text(&r);
    assert_non_null(strstr(html, "class=\"verdict bad\">FAIL"));
    assert_non_null(strstr(html, "P0301 still stored in ECU 7E8"));
    assert_non_null(strstr(html, "Not signed yet"));
    free(html);
    report_free(&r);

    /* without a post-repair scan there is no verdict, and the report says so */
    report_init(&r, REPORT_QC, OBD_LANG_EN);
    pre = vehicle_scan(false, T0);
    report_add_scan(&r, &mp, pre);
    free(pre);
    assert_int_equal(report_finish(&r, NULL), OBD_OK);
    assert_null(r.qc);
    cJSON *j = report_json(&r);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "qc")));
    cJSON_Delete(j);
    html = report_html_text(&r);
    assert_non_null(strstr(html, "No post-repair scan yet"));
    free(html);
    report_free(&r);
}

static void test_lone_scan_without_work_order(void **state)
{
    (void)state;
    report_t r;
    report_init(&r, REPORT_DIAGNOSTIC, OBD_LANG_EN);
    obd_scan_t *s = vehicle_scan(true, T0);
    store_scan_meta_t m = meta(55, STORE_STAGE_ADHOC, T0, "");
    m.wo_id = 0;
    m.ro[0] = 0;
    snprintf(m.assign_note, sizeof m.assign_note, "no open RO for this VIN");
    report_add_scan(&r, &m, s);
    free(s);
    assert_int_equal(report_finish(&r, db), OBD_OK);
    cJSON *j = report_json(&r);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "work_order")));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "vehicle"), "vin")->valuestring, VIN);
    cJSON_Delete(j);
    char *html = report_html_text(&r);
    assert_non_null(strstr(html, "not assigned to a work order"));
    assert_non_null(strstr(html, "no open RO for this VIN"));
    free(html);
    report_free(&r);

    /* an empty model still renders */
    report_init(&r, REPORT_DIAGNOSTIC, OBD_LANG_ZH);
    assert_int_equal(report_finish(&r, NULL), OBD_OK);
    assert_string_equal(r.steps[0].key, "none");
    html = report_html_text(&r);
    assert_non_null(html);
    free(html);
    report_free(&r);
}

static void check_pdf(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char head[8] = "";
    assert_int_equal(fread(head, 1, 5, f), 5);
    assert_memory_equal(head, "%PDF-", 5);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    if (size < 20000)
        fail_msg("%s: only %ld bytes", path, size);
}

static void test_pdf(void **state)
{
    (void)state;
    const char *names[2][2] = { { "diag-en.pdf", "diag-zh.pdf" }, { "qc-en.pdf", "qc-zh.pdf" } };
    for (int kind = 0; kind < 2; kind++)
        for (int lang = 0; lang < OBD_LANG_COUNT; lang++) {
            report_t r;
            if (kind == 0)
                build_diag(&r, (obd_lang_t)lang);
            else
                build_qc(&r, (obd_lang_t)lang);
            char path[512];
            pdf_out(names[kind][lang], path, sizeof path);
            assert_int_equal(report_render_pdf(&r, path), OBD_OK);
            check_pdf(path);
            if (!getenv("OBDGW_REPORT_OUT"))
                unlink(path);
            report_free(&r);
        }
    report_t r;
    build_diag(&r, OBD_LANG_EN);
    assert_int_equal(report_render_pdf(&r, "/nonexistent-dir/x.pdf"), OBD_EIO);
    report_free(&r);
}

static void test_chart_downsampling(void **state)
{
    (void)state;
    report_series_t s;
    memset(&s, 0, sizeof s);
    s.n = 100000;
    s.t = malloc(s.n * sizeof *s.t);
    s.v = malloc(s.n * sizeof *s.v);
    for (size_t i = 0; i < s.n; i++) {
        s.t[i] = (double)i * 0.01;
        s.v[i] = (double)(i % 1000);
    }
    s.v[54321] = -500; /* a single spike must survive */
    s.v[77777] = 5000;
    double t[1200], v[1200];
    size_t n = report_chart_points(&s, 500, t, v, 1200);
    assert_true(n <= 1000);
    assert_true(n >= 900);
    double mn = v[0], mx = v[0];
    for (size_t i = 0; i < n; i++) {
        mn = v[i] < mn ? v[i] : mn;
        mx = v[i] > mx ? v[i] : mx;
        if (i)
            assert_true(t[i] >= t[i - 1]); /* time order */
    }
    assert_true(mn == -500);
    assert_true(mx == 5000);
    free(s.t);
    free(s.v);
    assert_true(report_nice_step(1700, 5) == 500);
    assert_true(report_nice_step(30, 6) == 5);
    assert_true(report_nice_step(0.9, 5) == 0.2);
}

static void test_labels_and_names(void **state)
{
    (void)state;
    report_t r;
    report_init(&r, REPORT_DIAGNOSTIC, OBD_LANG_ZH);
    assert_string_equal(report_label(&r, "dtc"), "故障码");
    assert_string_equal(report_label(&r, "freeze_frame"), "冻结帧");
    assert_string_equal(report_label(&r, "readiness"), "就绪状态");
    assert_string_equal(report_label(&r, "work_order"), "维修工单");
    assert_string_equal(report_label(&r, "no-such-label"), "no-such-label");
    r.lang = OBD_LANG_EN;
    assert_string_equal(report_label(&r, "dtc"), "DTC");
    assert_string_equal(report_stage_key(STORE_STAGE_QC), "qc");
    assert_string_equal(report_stage_name(STORE_STAGE_QC, OBD_LANG_ZH), "质检（总检）");
    assert_int_equal(report_kind_parse("qc"), REPORT_QC);
    assert_int_equal(report_kind_parse("diagnostic"), REPORT_DIAGNOSTIC);
    assert_int_equal(report_kind_parse("x"), -1);
    report_free(&r);
}

/* The diagnostic report of an RO with a reception scan and a post-repair
 * scan after it shows both in full (the estimate needs what the car came in
 * with and how it leaves), each under its own heading; otherwise one. */
static const report_block_t *find_block(const report_doc_t *d, report_block_kind_t kind, const char *prefix,
                                        size_t from, size_t *at)
{
    for (size_t i = from; i < d->n; i++)
        if (d->b[i].kind == kind && d->b[i].text && !strncmp(d->b[i].text, prefix, strlen(prefix))) {
            if (at)
                *at = i;
            return &d->b[i];
        }
    return NULL;
}

static bool table_has(const report_block_t *t, const char *cell)
{
    for (size_t i = 0; t && i < t->nrows * t->ncols; i++)
        if (t->cells[i] && !strcmp(t->cells[i], cell))
            return true;
    return false;
}

static void build_pre_post_diag(report_t *r, obd_lang_t lang)
{
    report_init(r, REPORT_DIAGNOSTIC, lang);
    r->generated_ms = T0 + 4 * 3600000;
    store_wo_t w = work_order();
    report_set_wo(r, &w);
    obd_scan_t *pre = vehicle_scan(false, T0), *post = vehicle_scan(true, T0 + 3 * 3600000);
    store_scan_meta_t mp = meta(101, STORE_STAGE_RECEPTION, T0, "Wang Wei");
    store_scan_meta_t md = meta(102, STORE_STAGE_DIAGNOSTIC, T0 + 3600000, "Wang Wei");
    store_scan_meta_t mq = meta(103, STORE_STAGE_POST, T0 + 3 * 3600000, "Li Na");
    assert_int_equal(report_add_scan(r, &mp, pre), OBD_OK);
    assert_int_equal(report_add_scan(r, &md, pre), OBD_OK);
    assert_int_equal(report_add_scan(r, &mq, post), OBD_OK);
    free(pre);
    free(post);
    assert_int_equal(report_finish(r, db), OBD_OK);
}

static void test_diag_pre_and_post_in_full(void **state)
{
    (void)state;
    report_t r;
    /* given an RO with a reception scan (P0301 stored), a diagnosis scan and a
     * post-repair scan (fixed) */
    build_pre_post_diag(&r, OBD_LANG_EN);
    report_doc_t d;
    assert_int_equal(report_doc_build(&r, &d), OBD_OK);
    /* then the reception scan is shown in full first, the post-repair one after */
    size_t at_pre = 0, at_post = 0, at;
    assert_non_null(find_block(&d, RB_H2, "Before the repair · Reception", 0, &at_pre));
    assert_non_null(strstr(d.b[at_pre].text, "Wang Wei"));
    assert_non_null(find_block(&d, RB_H2, "After the repair · Post-repair", 0, &at_post));
    assert_non_null(strstr(d.b[at_post].text, "Li Na"));
    assert_true(at_pre < at_post);
    /* each with its own ECU and DTC sections, as sub-headings */
    const report_block_t *dt = find_block(&d, RB_H3, report_label(&r, "dtcs"), at_pre, &at);
    assert_non_null(dt);
    assert_true(at < at_post);
    assert_true(table_has(&d.b[at + 1], "P1301")); /* stored before the repair */
    assert_non_null(find_block(&d, RB_H3, report_label(&r, "ecus"), at_post, NULL));
    assert_non_null(find_block(&d, RB_H3, report_label(&r, "dtcs"), at_post, &at));
    assert_false(table_has(&d.b[at + 1], "P1301")); /* gone after the repair */
    assert_null(find_block(&d, RB_H2, report_label(&r, "dtcs"), 0, NULL)); /* no third, top-level copy */
    report_doc_free(&d);
    char *html = report_html_text(&r);
    assert_non_null(strstr(html, "<h2>Before the repair · Reception"));
    assert_non_null(strstr(html, "<h2>After the repair · Post-repair"));
    assert_int_equal(count(html, "<h3>Diagnostic trouble codes"), 2);
    free(html);
    char path[512];
    pdf_out("diag-pre-post-en.pdf", path, sizeof path);
    assert_int_equal(report_render_pdf(&r, path), OBD_OK);
    check_pdf(path);
    if (!getenv("OBDGW_REPORT_OUT"))
        unlink(path);
    /* a chosen scan (r->primary) is shown alone */
    r.primary = 1;
    assert_int_equal(report_doc_build(&r, &d), OBD_OK);
    assert_null(find_block(&d, RB_H2, "Before the repair", 0, NULL));
    assert_non_null(find_block(&d, RB_H2, report_label(&r, "dtcs"), 0, NULL));
    report_doc_free(&d);
    report_free(&r);

    /* in Chinese */
    build_pre_post_diag(&r, OBD_LANG_ZH);
    html = report_html_text(&r);
    assert_non_null(strstr(html, "<h2>维修前 · "));
    assert_non_null(strstr(html, "<h2>维修后 · "));
    free(html);
    report_free(&r);

    /* a reception scan alone: one scan in full, as before */
    build_diag(&r, OBD_LANG_EN);
    assert_int_equal(report_doc_build(&r, &d), OBD_OK);
    assert_null(find_block(&d, RB_H2, "Before the repair", 0, NULL));
    assert_non_null(find_block(&d, RB_H2, report_label(&r, "dtcs"), 0, NULL));
    report_doc_free(&d);
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_diagnostic),
        cmocka_unit_test(test_json_chinese),
        cmocka_unit_test(test_html_english),
        cmocka_unit_test(test_html_chinese),
        cmocka_unit_test(test_qc_report),
        cmocka_unit_test(test_qc_fail_when_code_returns),
        cmocka_unit_test(test_lone_scan_without_work_order),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_chart_downsampling),
        cmocka_unit_test(test_labels_and_names),
        cmocka_unit_test(test_diag_pre_and_post_in_full),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
