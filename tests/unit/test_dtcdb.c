/*
 * DTC database: source-row validation, the build step, lookups in both
 * languages, OEM packs overriding by WMI, unknown codes, and the coverage of
 * the shipped database ($OBDGW_DTC_DB, set by `make check`).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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

#include "obdgw/dtcdb.h"

static char dir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/obdgw-test-dtcdb-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    mkdir(strcat(strcpy((char[512]){ 0 }, dir), "/packs"), 0755);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void test_parse_line(void **state)
{
    (void)state;
    dtcdb_row_t row;
    const char *why;
    char ok[] = "P0301\tignition\tgeneric\tCylinder 1 Misfire Detected\t第1缸检测到失火\n";
    assert_int_equal(dtcdb_parse_line(ok, &row, &why), 1);
    assert_int_equal(row.code, 0x0301);
    assert_string_equal(row.system, "ignition");
    assert_int_equal(row.scope, OBD_DTC_GENERIC);
    assert_string_equal(row.zh, "第1缸检测到失火");
    char comment[] = "# code\tsystem\n";
    assert_int_equal(dtcdb_parse_line(comment, &row, &why), 0);
    char blank[] = "\n";
    assert_int_equal(dtcdb_parse_line(blank, &row, &why), 0);
    struct { const char *line; const char *why_part; } bad[] = {
        { "P0301\tignition\tgeneric\tMisfire\n", "5 tab-separated" },
        { "P0301\tignition\tgeneric\tMisfire\t失火\textra\n", "more than 5" },
        { "P0G01\tignition\tgeneric\tMisfire\t失火\n", "code" },
        { "p0301\tignition\tgeneric\tMisfire\t失火\n", "upper-case" },
        { "P0301\tmagic\tgeneric\tMisfire\t失火\n", "system" },
        { "P0301\tignition\toem\tMisfire\t失火\n", "scope must" },
        { "P1301\tignition\tgeneric\tMisfire\t失火\n", "does not match" },
        { "P0301\tignition\tmanufacturer\tMisfire\t失火\n", "does not match" },
        { "P0301\tignition\tgeneric\t\t失火\n", "empty" },
        { "P0301\tignition\tgeneric\tMisfire\tMisfire\n", "Chinese" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[256];
        snprintf(line, sizeof line, "%s", bad[i].line);
        assert_true(dtcdb_parse_line(line, &row, &why) < 0);
        assert_non_null(why);
        if (!strstr(why, bad[i].why_part))
            fail_msg("row %zu: reason '%s' lacks '%s'", i, why, bad[i].why_part);
    }
}

static const char *generic_src =
    "# test source\n"
    "# code\tsystem\tscope\ten\tzh\n"
    "P0301\tignition\tgeneric\tCylinder 1 Misfire Detected\t第1缸检测到失火\n"
    "P0420\temission\tgeneric\tCatalyst Efficiency Below Threshold (Bank 1)\t催化器效率低于阈值（第1排）\n"
    "U0100\tnetwork\tgeneric\tLost Communication With ECM/PCM A\t与发动机控制模块A通信丢失\n"
    "C0035\tchassis\tgeneric\tLeft Front Wheel Speed Sensor Circuit\t左前轮速传感器电路\n";

static dtcdb_t *build_and_open(const char *packs)
{
    write_file("g.tsv", generic_src);
    const char *src[] = { path_of("g.tsv") };
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(dtcdb_build(path_of("t.db"), src, 1, devnull), OBD_OK);
    fclose(devnull);
    dtcdb_t *db = NULL;
    assert_int_equal(dtcdb_open(&db, path_of("t.db"), packs ? packs : path_of("nopacks")), OBD_OK);
    return db;
}

static void test_build_and_lookup(void **state)
{
    (void)state;
    dtcdb_t *db = build_and_open(NULL);
    dtcdb_entry_t e;
    /* given a generic code, both languages answer */
    assert_int_equal(dtcdb_lookup(db, 0x0301, NULL, OBD_LANG_EN, &e), OBD_OK);
    assert_true(e.found);
    assert_string_equal(e.desc, "Cylinder 1 Misfire Detected");
    assert_string_equal(e.text, "P0301");
    assert_string_equal(e.system, "ignition");
    assert_string_equal(e.source, "generic");
    assert_int_equal(dtcdb_lookup(db, 0x0301, NULL, OBD_LANG_ZH, &e), OBD_OK);
    assert_string_equal(e.desc, "第1缸检测到失火");
    assert_int_equal(dtcdb_lookup(db, 0xC100, NULL, OBD_LANG_ZH, &e), OBD_OK);
    assert_string_equal(e.desc, "与发动机控制模块A通信丢失");
    /* an unknown code: no guess, its category named */
    assert_int_equal(dtcdb_lookup(db, 0x1234, NULL, OBD_LANG_EN, &e), OBD_OK);
    assert_false(e.found);
    assert_string_equal(e.desc, "no description (Powertrain, manufacturer-specific code)");
    assert_int_equal(dtcdb_lookup(db, 0x9234, NULL, OBD_LANG_ZH, &e), OBD_OK);
    assert_false(e.found);
    assert_non_null(strstr(e.desc, "无描述"));
    assert_non_null(strstr(e.desc, "车身"));
    dtcdb_stats_t st;
    assert_int_equal(dtcdb_stats(db, &st), OBD_OK);
    assert_int_equal(st.total, 4);
    assert_int_equal(st.by_category[0], 2);
    assert_int_equal(st.by_category[1], 1);
    assert_int_equal(st.by_category[3], 1);
    assert_int_equal(st.with_zh, 4);
    dtcdb_close(db);
}

static void test_build_rejects_bad_sources(void **state)
{
    (void)state;
    /* given: an existing good database */
    dtcdb_t *db = build_and_open(NULL);
    dtcdb_close(db);
    /* when: a source with a duplicate and a bad row is built over it */
    write_file("bad.tsv", "P0301\tignition\tgeneric\tA\t甲\n"
                          "P0301\tignition\tgeneric\tB\t乙\n"
                          "P1301\tignition\tgeneric\tC\t丙\n");
    const char *src[] = { path_of("bad.tsv") };
    FILE *err = tmpfile();
    assert_int_equal(dtcdb_build(path_of("t.db"), src, 1, err), OBD_EFORMAT);
    /* then: the errors name file:line, and the good database is untouched */
    rewind(err);
    char buf[1024] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, err);
    buf[n] = 0;
    fclose(err);
    assert_non_null(strstr(buf, "bad.tsv:2: P0301: duplicate code"));
    assert_non_null(strstr(buf, "bad.tsv:3: scope does not match"));
    assert_int_equal(dtcdb_open(&db, path_of("t.db"), path_of("nopacks")), OBD_OK);
    dtcdb_entry_t e;
    dtcdb_lookup(db, 0x0301, NULL, OBD_LANG_EN, &e);
    assert_string_equal(e.desc, "Cylinder 1 Misfire Detected");
    dtcdb_close(db);
    assert_int_not_equal(access(path_of("t.db.new"), F_OK), 0);
    /* a missing source file is an error too */
    const char *missing[] = { path_of("nope.tsv") };
    FILE *devnull = fopen("/dev/null", "w");
    assert_true(dtcdb_build(path_of("t2.db"), missing, 1, devnull) < 0);
    fclose(devnull);
}

static void test_oem_pack_overrides_by_wmi(void **state)
{
    (void)state;
    write_file("packs/vag.tsv", "# pack: example VAG\n"
                                "# wmi: WVW, WAU LSV\n"
                                "P1234\tfuel_air\tmanufacturer\tExample OEM fuel code\t示例厂家燃油故障\n"
                                "P0301\tignition\tgeneric\tCylinder 1 misfire (OEM wording)\t第1缸失火（厂家描述）\n"
                                "P1XYZ\tfuel_air\tmanufacturer\tbroken row\t坏行\n");
    dtcdb_t *db = build_and_open(path_of("packs"));
    dtcdb_entry_t e;
    /* a VW (WVW) sees the pack's text for its own code and the override */
    assert_int_equal(dtcdb_lookup(db, 0x1234, "WVWZZZ1JZXW000001", OBD_LANG_EN, &e), OBD_OK);
    assert_true(e.found);
    assert_string_equal(e.desc, "Example OEM fuel code");
    assert_string_equal(e.source, "vag");
    assert_int_equal(dtcdb_lookup(db, 0x0301, "LSV", OBD_LANG_ZH, &e), OBD_OK);
    assert_string_equal(e.desc, "第1缸失火（厂家描述）");
    /* WMI matching ignores case */
    assert_int_equal(dtcdb_lookup(db, 0x1234, "wau", OBD_LANG_EN, &e), OBD_OK);
    assert_true(e.found);
    /* a Toyota (JTD) gets generic text and no OEM meaning */
    assert_int_equal(dtcdb_lookup(db, 0x0301, "JTD", OBD_LANG_EN, &e), OBD_OK);
    assert_string_equal(e.desc, "Cylinder 1 Misfire Detected");
    assert_int_equal(dtcdb_lookup(db, 0x1234, "JTD", OBD_LANG_EN, &e), OBD_OK);
    assert_false(e.found);
    /* without a WMI no pack applies */
    assert_int_equal(dtcdb_lookup(db, 0x1234, NULL, OBD_LANG_EN, &e), OBD_OK);
    assert_false(e.found);
    dtcdb_stats_t st;
    dtcdb_stats(db, &st);
    assert_int_equal(st.packs, 1);
    assert_int_equal(st.pack_rows, 2); /* the broken row was skipped */
    dtcdb_close(db);
}

static void test_open_errors(void **state)
{
    (void)state;
    dtcdb_t *db = NULL;
    assert_int_equal(dtcdb_open(&db, path_of("does-not-exist.db"), NULL), OBD_ENOTFOUND);
    assert_null(db);
    /* a file that is not a DTC database */
    write_file("junk.db", "this is not sqlite");
    assert_int_equal(dtcdb_open(&db, path_of("junk.db"), NULL), OBD_EDB);
    assert_null(db);
}

/* The shipped database: coverage the foundation issue asks for. */
static void test_shipped_database_coverage(void **state)
{
    (void)state;
    const char *path = getenv("OBDGW_DTC_DB");
    if (!path)
        fail_msg("OBDGW_DTC_DB is not set (run through make check)");
    dtcdb_t *db = NULL;
    assert_int_equal(dtcdb_open(&db, path, path_of("nopacks")), OBD_OK);
    dtcdb_stats_t st;
    assert_int_equal(dtcdb_stats(db, &st), OBD_OK);
    printf("shipped DTC database: %ld codes (P %ld, C %ld, B %ld, U %ld)\n", st.total, st.by_category[0],
           st.by_category[1], st.by_category[2], st.by_category[3]);
    assert_true(st.total >= 3000);
    assert_int_equal(st.with_en, st.total);
    assert_int_equal(st.with_zh, st.total);
    assert_int_equal(st.generic, st.total);
    /* every block the issue names is present */
    struct { const char *lo, *hi; int min; } blocks[] = {
        { "P0000", "P0FFF", 1000 }, { "P2000", "P2FFF", 500 }, { "P3400", "P39FF", 20 },
        { "U0000", "U0FFF", 100 },  { "B0000", "B0FFF", 20 },  { "C0000", "C0FFF", 20 },
    };
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
        obd_dtc_t lo, hi;
        obd_dtc_parse(blocks[b].lo, &lo);
        obd_dtc_parse(blocks[b].hi, &hi);
        int n = 0;
        for (uint32_t c = lo; c <= hi; c++) {
            dtcdb_entry_t e;
            dtcdb_lookup(db, (obd_dtc_t)c, NULL, OBD_LANG_EN, &e);
            n += e.found;
        }
        printf("  %s-%s: %d codes\n", blocks[b].lo, blocks[b].hi, n);
        if (n < blocks[b].min)
            fail_msg("%s-%s has %d codes, want >= %d", blocks[b].lo, blocks[b].hi, n, blocks[b].min);
    }
    /* spot checks of well-known meanings */
    dtcdb_entry_t e;
    dtcdb_lookup(db, 0x0300, NULL, OBD_LANG_EN, &e);
    assert_true(e.found);
    assert_non_null(strcasestr(e.desc, "misfire"));
    dtcdb_lookup(db, 0x0420, NULL, OBD_LANG_EN, &e);
    assert_non_null(strcasestr(e.desc, "catalyst"));
    dtcdb_lookup(db, 0x0420, NULL, OBD_LANG_ZH, &e);
    assert_non_null(strstr(e.desc, "催化"));
    dtcdb_lookup(db, 0xC100, NULL, OBD_LANG_EN, &e);
    assert_non_null(strcasestr(e.desc, "communication"));
    dtcdb_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_build_and_lookup),
        cmocka_unit_test(test_build_rejects_bad_sources),
        cmocka_unit_test(test_oem_pack_overrides_by_wmi),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_shipped_database_coverage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
