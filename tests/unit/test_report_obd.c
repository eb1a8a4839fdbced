/*
 * Reports say how the car answered (#10, #18). Given scans filled by hand —
 * an engine ECU that answered PID 01 but gave no answer to the pending-code
 * read, sent an unreadable permanent-code reply, and answered the stored
 * codes only physically with a count byte that did not match; the VIN from
 * 09 02 although 09 00 did not list it; OBD on UDS — when the diagnostic
 * and QC reports are rendered, then the ECU table shows how each service
 * answered, the unanswered list reads "no answer" and never "no DTCs", the
 * unreadable bytes and the deviation are named, the VIN source and OBD on
 * UDS are shown, in English and Chinese, and QC does not pass.
 *
 * With OBDGW_REPORT_OUT=DIR set, the HTML is also written to DIR
 * (tests/report_test.sh renders it in Chromium).
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

#include "obdgw/report.h"
#include "obdgw/scan_text.h"

#define VIN "LFV2A21K6M3012345"
#define RO "2024-0099"
#define T0 1714550400000LL

static dtcdb_t *db;

/* fontconfig keeps its cache for the life of the process (LeakSanitizer). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static int setup(void **state)
{
    (void)state;
    const char *path = getenv("OBDGW_DTC_DB");
    if (!path) {
        fprintf(stderr, "OBDGW_DTC_DB is not set (run through make check)\n");
        return -1;
    }
    return dtcdb_open(&db, path, "/nonexistent-obdgw-packs") == OBD_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dtcdb_close(db);
    return 0;
}

/* An ECU that answered everything functionally, lists read and empty, readiness complete. */
static obd_ecu_scan_t *ecu(obd_scan_t *s, uint32_t addr, const char *name)
{
    obd_ecu_scan_t *e = &s->ecus[s->necus++];
    memset(e, 0, sizeof *e);
    e->addr = addr;
    snprintf(e->name, sizeof e->name, "%s", name);
    obd_pidset_add(&e->pids, 0x01);
    obd_dtc_set_t *sets[3] = { &e->stored, &e->pending, &e->permanent };
    for (int k = 0; k < 3; k++) {
        sets[k]->read = true;
        sets[k]->state = OBD_READ_OK;
        sets[k]->addressing = OBD_ADDR_FUNCTIONAL;
    }
    e->addressing[0x01] = e->addressing[0x03] = e->addressing[0x07] = e->addressing[0x0A] = OBD_ADDR_FUNCTIONAL;
    e->has_readiness = true;
    e->readiness.mon[OBD_MON_MISFIRE] = (obd_monitor_state_t){ true, true };
    e->warmups_since_clear = e->km_since_clear = e->min_since_clear = e->km_with_mil = e->min_with_mil = -1;
    e->odometer_km = -1;
    return e;
}

/* The car that answers the awkward way (see the header). */
static obd_scan_t *awkward_scan(uint64_t when)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_non_null(s);
    snprintf(s->link.adapter, sizeof s->link.adapter, "ELM327 v2.1 (clone)");
    s->link.protocol = OBD_PROTO_CAN11_500;
    s->link.battery_v = 12.4;
    s->obd_protocol = OBD_PROTOCOL_ON_UDS;
    snprintf(s->vin, sizeof s->vin, "%s", VIN);
    s->vin_from = 0x7E8;
    s->vin_source = OBD_VIN_SRC_MODE09_UNLISTED;
    s->status_known = true;
    s->started_ms = when;
    s->physical_retries = 5;
    s->nnotes = 1;
    snprintf(s->notes[0], sizeof s->notes[0], OBD_NOTE_PHYSICAL_ONLY, "7E8");
    obd_ecu_scan_t *e = ecu(s, 0x7E8, "ECM-EngineControl");
    e->addressing[0x03] = e->addressing[0x09] = OBD_ADDR_PHYSICAL;
    e->addressing[0x07] = OBD_ADDR_NONE;
    e->addressing[0x0A] = OBD_ADDR_FUNCTIONAL;
    e->stored.state = OBD_READ_DEVIATION;
    e->stored.addressing = OBD_ADDR_PHYSICAL;
    snprintf(e->stored.deviation, sizeof e->stored.deviation, OBD_DEV_COUNT_MISMATCH, "3", "2");
    e->pending.read = false;
    e->pending.state = OBD_READ_NO_ANSWER;
    e->pending.addressing = OBD_ADDR_NONE;
    e->permanent.state = OBD_READ_UNREADABLE;
    e->permanent.rawlen = 4;
    memcpy(e->permanent.raw, "\x4A\x05\x01\x02", 4);
    obd_pidset_add(&e->silent_pids, 0x0C);
    ecu(s, 0x7E9, "TCM");
    return s;
}

static store_scan_meta_t meta(int64_t id, store_stage_t stage, int64_t when)
{
    store_scan_meta_t m;
    memset(&m, 0, sizeof m);
    m.id = id;
    m.wo_id = 1;
    snprintf(m.ro, sizeof m.ro, "%s", RO);
    m.stage = stage;
    snprintf(m.vin, sizeof m.vin, "%s", VIN);
    m.started_ms = when;
    m.mileage_km = -1;
    m.battery_v = -1;
    return m;
}

static void build(report_t *r, report_kind_t kind, obd_lang_t lang)
{
    report_init(r, kind, lang);
    r->generated_ms = T0 + 7200000;
    store_wo_t w;
    memset(&w, 0, sizeof w);
    w.id = 1;
    snprintf(w.ro, sizeof w.ro, "%s", RO);
    snprintf(w.vin, sizeof w.vin, "%s", VIN);
    w.mileage_in_km = -1;
    w.opened_ms = T0 - 60000;
    report_set_wo(r, &w);
    obd_scan_t *pre = awkward_scan(T0);
    /* before the repair every list was read: a clean pre-repair scan */
    pre->ecus[0].pending.state = pre->ecus[0].permanent.state = OBD_READ_OK;
    pre->ecus[0].pending.read = true;
    obd_scan_t *post = awkward_scan(T0 + 3600000);
    store_scan_meta_t mp = meta(1, STORE_STAGE_RECEPTION, T0), mq = meta(2, STORE_STAGE_POST, T0 + 3600000);
    assert_int_equal(report_add_scan(r, &mp, pre), OBD_OK);
    assert_int_equal(report_add_scan(r, &mq, post), OBD_OK);
    free(pre);
    free(post);
    r->primary = 1; /* the post-repair scan in full */
    assert_int_equal(report_finish(r, db), OBD_OK);
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

static const report_block_t *ecu_table(const report_doc_t *d, const char *head)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->b[i].kind == RB_TABLE && d->b[i].nrows && !strcmp(d->b[i].cells[d->b[i].ncols - 1], head))
            return &d->b[i];
    return NULL;
}

static const char *cell(const report_block_t *t, size_t r, size_t c)
{
    assert_true(r < t->nrows && c < t->ncols);
    return t->cells[r * t->ncols + c];
}

static void test_ecu_table_en(void **state)
{
    (void)state;
    report_t r;
    build(&r, REPORT_DIAGNOSTIC, OBD_LANG_EN);
    report_doc_t d;
    assert_int_equal(report_doc_build(&r, &d), OBD_OK);
    const report_block_t *t = ecu_table(&d, "How it answered (service)");
    assert_non_null(t);
    /* row 1: ECU 7E8 — no answer is not a count, the deviation and physical are marked */
    assert_string_equal(cell(t, 1, 3), "0 · deviation · physical");
    assert_string_equal(cell(t, 1, 4), "no answer");
    assert_string_equal(cell(t, 1, 5), "unreadable");
    assert_int_equal(t->row_style[1], RS_BAD);
    assert_string_equal(cell(t, 1, 7), "functional 01 0A · physical 03 09 · none 07");
    /* row 2: ECU 7E9 answered everything */
    assert_string_equal(cell(t, 2, 4), "0");
    report_doc_free(&d);

    char *html = report_html_text(&r);
    assert_non_null(html);
    assert_non_null(strstr(html, "pending: no answer (not &quot;no codes&quot;: the list was not read)"));
    assert_non_null(strstr(html, "permanent: unreadable: 4A 05 01 02"));
    assert_non_null(strstr(html, "confirmed: ok (count byte says 3, 2 codes carried)"));
    assert_non_null(strstr(html, "PIDs listed but never answered: 0C"));
    assert_non_null(strstr(html, "Scan note: ECU 7E8 answered only when addressed physically"));
    assert_non_null(strstr(html, "09 02, not listed in 09 00, physical"));
    assert_non_null(strstr(html, "OBD on UDS (SAE J1979-2)"));
    /* never "no DTCs" while a list went unread */
    assert_null(strstr(html, report_label(&r, "no_dtcs")));
    assert_non_null(strstr(html, "No DTCs in the lists that were read."));
    assert_non_null(strstr(html, "2 DTC list(s) could not be read"));
    assert_non_null(strstr(html, "<td>0 (1 not read)</td>")); /* the scans table's pending count */
    /* the next step asks for the read again */
    cJSON *j = report_json(&r);
    bool step = false;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(j, "next_steps"))
    {
        if (!strcmp(cJSON_GetObjectItem(s, "key")->valuestring, "dtc_unread")) {
            step = true;
            assert_non_null(strstr(cJSON_GetObjectItem(s, "text")->valuestring, "pending: no answer"));
        }
    }
    assert_true(step);
    /* the report JSON carries the scan's read states */
    const cJSON *sc = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "scans"), 1), "scan");
    const cJSON *e0 = cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "ecus"), 0);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(e0, "dtc_reads"), "pending")->valuestring, "no_answer");
    assert_string_equal(cJSON_GetObjectItem(sc, "obd_protocol")->valuestring, "obd_on_uds");
    cJSON_Delete(j);
    write_out("obd-answers-en.html", html);
    free(html);
    report_free(&r);
}

static void test_ecu_table_zh(void **state)
{
    (void)state;
    report_t r;
    build(&r, REPORT_DIAGNOSTIC, OBD_LANG_ZH);
    char *html = report_html_text(&r);
    assert_non_null(html);
    assert_non_null(strstr(html, "应答方式（服务）"));
    assert_non_null(strstr(html, "功能寻址 01 0A · 物理寻址 03 09 · 无应答 07"));
    assert_non_null(strstr(html, "待定：无应答（不等于无故障码：该列表未读取）"));
    assert_non_null(strstr(html, "永久：无法解析：4A 05 01 02"));
    assert_non_null(strstr(html, "已读取（计数字节为 3，实际 2 个故障码）"));
    assert_non_null(strstr(html, "扫描说明：控制单元 7E8 仅在物理寻址时应答"));
    assert_non_null(strstr(html, "09 02，09 00 未列出，物理寻址"));
    assert_non_null(strstr(html, "UDS 上的 OBD（SAE J1979-2）"));
    assert_non_null(strstr(html, "已读取的列表中无故障码。"));
    assert_null(strstr(html, "无已确认、待定或永久故障码。"));
    assert_non_null(strstr(html, "重新读取发动机控制单元 7E8 的故障码"));
    write_out("obd-answers-zh.html", html);
    free(html);
    report_free(&r);
}

static void test_qc_report_not_pass(void **state)
{
    (void)state;
    for (int lang = 0; lang < OBD_LANG_COUNT; lang++) {
        report_t r;
        build(&r, REPORT_QC, (obd_lang_t)lang);
        assert_non_null(r.qc);
        assert_int_equal(r.qc->verdict, QC_FAIL);
        char *html = report_html_text(&r);
        assert_non_null(html);
        if (lang == OBD_LANG_EN) {
            assert_non_null(strstr(html, "the read got no answer, and no answer is not &quot;no codes&quot;"));
            assert_non_null(strstr(html, "could not be decoded (4A 05 01 02)"));
            assert_non_null(strstr(html, "deviated from the standard and was decoded: count byte says 3, 2 codes carried"));
        } else {
            assert_non_null(strstr(html, "读取无应答，无应答不等于无故障码"));
            assert_non_null(strstr(html, "无法解析（4A 05 01 02）"));
        }
        write_out(lang == OBD_LANG_EN ? "obd-answers-qc-en.html" : "obd-answers-qc-zh.html", html);
        free(html);
        report_free(&r);
    }
}

/* The PDF renders the same sections (its text is checked by tests/report_test.sh). */
static void test_pdf(void **state)
{
    (void)state;
    const char *dir = getenv("OBDGW_REPORT_OUT");
    for (int lang = 0; lang < OBD_LANG_COUNT; lang++) {
        report_t r;
        build(&r, REPORT_DIAGNOSTIC, (obd_lang_t)lang);
        char path[512];
        snprintf(path, sizeof path, "%s/obd-answers-%s.pdf", dir ? dir : "/tmp",
                 lang == OBD_LANG_ZH ? "zh" : (dir ? "en" : "en-test-report-obd"));
        assert_int_equal(report_render_pdf(&r, path), OBD_OK);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char head[6] = "";
        assert_int_equal(fread(head, 1, 5, f), 5);
        fclose(f);
        assert_memory_equal(head, "%PDF-", 5);
        if (!dir)
            unlink(path);
        report_free(&r);
    }
}

/* A scan with every list read and empty still says "no DTCs". */
static void test_clean_scan_says_no_dtcs(void **state)
{
    (void)state;
    report_t r;
    report_init(&r, REPORT_DIAGNOSTIC, OBD_LANG_EN);
    obd_scan_t *s = calloc(1, sizeof *s);
    s->link.battery_v = -1;
    s->status_known = true;
    ecu(s, 0x7E8, "ECM");
    store_scan_meta_t m = meta(3, STORE_STAGE_RECEPTION, T0);
    assert_int_equal(report_add_scan(&r, &m, s), OBD_OK);
    free(s);
    assert_int_equal(report_finish(&r, db), OBD_OK);
    char *html = report_html_text(&r);
    assert_non_null(strstr(html, report_label(&r, "no_dtcs")));
    assert_null(strstr(html, "could not be read"));
    free(html);
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecu_table_en),
        cmocka_unit_test(test_ecu_table_zh),
        cmocka_unit_test(test_qc_report_not_pass),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_clean_scan_says_no_dtcs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
