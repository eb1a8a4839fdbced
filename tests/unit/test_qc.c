/*
 * The QC verdict: given a pre-repair and a post-repair scan, when they are
 * compared, then the verdict, the classified DTCs and the reasons (English
 * and Chinese) are what a QC inspector expects. Every verdict path is here:
 * resolved, persisting, new, pending, MIL (on and unknown), lost ECU, unread
 * DTCs (no answer, refused), unreadable replies, deviations shown,
 * permanent-only, incomplete monitors, no pre-repair scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/qc.h"

#define VIN "LFV2A21K6M3012345"

static dtcdb_t *db;
static qc_result_t *res;

static int setup(void **state)
{
    (void)state;
    const char *path = getenv("OBDGW_DTC_DB");
    if (!path) {
        fprintf(stderr, "OBDGW_DTC_DB is not set (run through make check)\n");
        return -1;
    }
    if (dtcdb_open(&db, path, "/nonexistent-obdgw-packs") != OBD_OK)
        return -1;
    res = malloc(sizeof *res);
    return res ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dtcdb_close(db);
    free(res);
    return 0;
}

/* ---- building scans ------------------------------------------------------- */

static obd_scan_t *scan_new(void)
{
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_non_null(s);
    snprintf(s->vin, sizeof s->vin, "%s", VIN);
    return s;
}

/* An ECU that answered everything: DTC lists read (empty), readiness with
 * misfire/fuel/components/catalyst/EVAP/O2 supported and complete, MIL off. */
static obd_ecu_scan_t *ecu_add(obd_scan_t *s, uint32_t addr)
{
    obd_ecu_scan_t *e = &s->ecus[s->necus++];
    memset(e, 0, sizeof *e);
    e->addr = addr;
    obd_pidset_add(&e->pids, 0x01);
    obd_pidset_add(&e->pids, 0x0C);
    e->stored.read = e->pending.read = e->permanent.read = true;
    e->has_readiness = true;
    obd_monitor_t mons[] = { OBD_MON_MISFIRE, OBD_MON_FUEL_SYSTEM, OBD_MON_COMPONENTS,
                             OBD_MON_CATALYST, OBD_MON_EVAP,        OBD_MON_O2_SENSOR };
    for (size_t i = 0; i < sizeof mons / sizeof mons[0]; i++)
        e->readiness.mon[mons[i]] = (obd_monitor_state_t){ true, true };
    e->warmups_since_clear = e->km_since_clear = e->min_since_clear = -1;
    e->km_with_mil = e->min_with_mil = -1;
    e->odometer_km = -1;
    return e;
}

static void dtc(obd_ecu_scan_t *e, int kind, const char *code)
{
    obd_dtc_set_t *set = kind == 0 ? &e->stored : kind == 1 ? &e->pending : &e->permanent;
    obd_dtc_t c;
    assert_int_equal(obd_dtc_parse(code, &c), OBD_OK);
    set->dtcs[set->count++] = c;
}

static void mil(obd_scan_t *s, obd_ecu_scan_t *e, bool on)
{
    s->mil_on = on;
    e->readiness.mil_on = on;
}

static const qc_reason_t *reason(const char *key, size_t nth)
{
    for (size_t i = 0; i < res->nreasons; i++)
        if (!strcmp(res->reasons[i].key, key) && nth-- == 0)
            return &res->reasons[i];
    return NULL;
}

static const qc_dtc_t *find_dtc(const char *code, int kind)
{
    obd_dtc_t c;
    obd_dtc_parse(code, &c);
    for (size_t i = 0; i < res->ndtcs; i++)
        if (res->dtcs[i].code == c && res->dtcs[i].kind == kind)
            return &res->dtcs[i];
    return NULL;
}

/* ---- verdicts ------------------------------------------------------------- */

static void test_resolved_is_pass(void **state)
{
    (void)state;
    /* given a misfire before the repair and a clean car after */
    obd_scan_t *pre = scan_new(), *post = scan_new();
    obd_ecu_scan_t *e = ecu_add(pre, 0x7E8);
    dtc(e, 0, "P0301");
    dtc(e, 1, "P0301");
    mil(pre, e, true);
    ecu_add(post, 0x7E8);
    /* when compared */
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    /* then PASS, the code is resolved, and the reasons say so */
    assert_int_equal(res->verdict, QC_PASS);
    assert_string_equal(qc_verdict_key(res->verdict), "pass");
    assert_int_equal(res->resolved, 2);
    assert_int_equal(res->persisting + res->new_after + res->permanent_after, 0);
    const qc_dtc_t *d = find_dtc("P0301", QC_KIND_STORED);
    assert_non_null(d);
    assert_int_equal(d->change, QC_DTC_RESOLVED);
    const qc_reason_t *q = reason("dtc_resolved", 0);
    assert_non_null(q);
    assert_int_equal(q->severity, QC_SEV_INFO);
    assert_string_equal(q->en, "P0301 Cylinder 1 Misfire Detected was stored in ECU 7E8 before the repair and is gone");
    assert_string_equal(q->zh, "发动机控制单元 7E8 维修前存有的故障码 P0301（第1缸检测到失火），现已消除");
    q = reason("all_clear", 0);
    assert_non_null(q);
    assert_non_null(strstr(q->en, "all 1 ECUs answered, all readiness monitors complete"));
    assert_non_null(strstr(q->zh, "就绪监测全部完成"));
    assert_null(reason("no_pre_scan", 0));
    free(pre);
    free(post);
}

static void test_persisting_stored_is_fail(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    dtc(ecu_add(pre, 0x7E8), 0, "P0301");
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    dtc(e, 0, "P0301");
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_int_equal(res->persisting, 1);
    assert_int_equal(find_dtc("P0301", QC_KIND_STORED)->change, QC_DTC_PERSISTING);
    const qc_reason_t *q = &res->reasons[0]; /* the first reason is the failing one */
    assert_string_equal(q->key, "dtc_persisting");
    assert_int_equal(q->severity, QC_SEV_FAIL);
    assert_string_equal(q->en, "P0301 Cylinder 1 Misfire Detected still stored in ECU 7E8");
    assert_string_equal(q->zh, "发动机控制单元 7E8 仍存有故障码 P0301（第1缸检测到失火）");
    assert_null(reason("all_clear", 0));

    /* without a description database: the code alone */
    assert_int_equal(qc_compare(pre, post, NULL, res), OBD_OK);
    assert_string_equal(res->reasons[0].en, "P0301 still stored in ECU 7E8");
    assert_string_equal(res->reasons[0].zh, "发动机控制单元 7E8 仍存有故障码 P0301");
    free(pre);
    free(post);
}

static void test_new_dtc_after_repair_is_fail(void **state)
{
    (void)state;
    /* given a misfire fixed, but the catalyst code appeared after the repair */
    obd_scan_t *pre = scan_new(), *post = scan_new();
    dtc(ecu_add(pre, 0x7E8), 0, "P0301");
    dtc(ecu_add(post, 0x7E8), 0, "P0420");
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_int_equal(res->new_after, 1);
    assert_int_equal(res->resolved, 1);
    assert_int_equal(find_dtc("P0420", QC_KIND_STORED)->change, QC_DTC_NEW);
    const qc_reason_t *q = reason("dtc_new", 0);
    assert_non_null(q);
    assert_ptr_equal(q, &res->reasons[0]);
    assert_non_null(strstr(q->en, "P0420 Catalyst System Efficiency Below Threshold Bank 1 stored in ECU 7E8 since the repair"));
    assert_non_null(strstr(q->zh, "维修后发动机控制单元 7E8 新存入故障码 P0420（催化器系统效率低于阈值（第1排））"));
    /* the resolved code is still reported, after the failing one */
    assert_non_null(reason("dtc_resolved", 0));
    free(pre);
    free(post);
}

static void test_pending_is_fail(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    dtc(ecu_add(pre, 0x7E8), 1, "P0171");
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    dtc(e, 1, "P0171"); /* still pending */
    dtc(e, 1, "P0300"); /* newly pending */
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_int_equal(res->persisting, 1);
    assert_int_equal(res->new_after, 1);
    const qc_reason_t *q = reason("dtc_persisting", 0);
    assert_string_equal(q->en, "P0171 System Too Lean Bank 1 still pending in ECU 7E8");
    assert_string_equal(q->zh, "发动机控制单元 7E8 仍有待定故障码 P0171（系统过稀（第1排））");
    q = reason("dtc_new", 0);
    assert_int_equal(q->kind, QC_KIND_PENDING);
    assert_non_null(strstr(q->en, "P0300"));
    assert_non_null(strstr(q->en, "pending in ECU 7E8 since the repair"));
    assert_non_null(strstr(q->zh, "出现新的待定故障码 P0300"));
    free(pre);
    free(post);
}

static void test_mil_on_is_fail(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    ecu_add(pre, 0x7E8);
    mil(post, ecu_add(post, 0x7E8), true);
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_true(res->mil_post);
    assert_string_equal(res->reasons[0].key, "mil_on");
    assert_non_null(strstr(res->reasons[0].zh, "故障指示灯"));
    free(pre);
    free(post);
}

static void test_ecu_lost_is_fail(void **state)
{
    (void)state;
    /* given the transmission ECU answered before the repair but not after */
    obd_scan_t *pre = scan_new(), *post = scan_new();
    ecu_add(pre, 0x7E8);
    ecu_add(pre, 0x7E9);
    ecu_add(post, 0x7E8);
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_int_equal(res->ecus_lost, 1);
    assert_int_equal(res->necus, 2);
    assert_true(res->ecus[1].lost);
    assert_true(res->ecus[1].answered_pre);
    assert_false(res->ecus[1].answered_post);
    const qc_reason_t *q = reason("ecu_lost", 0);
    assert_non_null(q);
    assert_int_equal(q->ecu, 0x7E9);
    assert_string_equal(q->en, "ECU 7E9 answered before the repair but not after it");
    assert_string_equal(q->zh, "变速箱控制单元 7E9 维修前有响应，维修后无响应");

    /* an ECU kept by the store as an empty (silent) entry is lost too */
    obd_ecu_scan_t *silent = &post->ecus[post->necus++];
    memset(silent, 0, sizeof *silent);
    silent->addr = 0x7E9;
    assert_false(qc_ecu_answered(silent));
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_int_equal(res->ecus_lost, 1);
    free(pre);
    free(post);
}

static void test_unread_dtcs_is_fail(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    ecu_add(pre, 0x7E8);
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    e->stored.read = false; /* the ECU answered PID 01 but not service 03 */
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_true(res->ecus[0].unread_post);
    assert_string_equal(res->reasons[0].key, "dtc_unread");
    assert_non_null(strstr(res->reasons[0].zh, "无法读取发动机控制单元 7E8 的故障码"));
    /* a negative answer counts as unread as well */
    e->stored.read = true;
    e->stored.nrc = 0x22;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    free(pre);
    free(post);
}

/* #10: a DTC read that got no answer after the repair is never "no codes". */
static void test_unanswered_read_is_not_pass(void **state)
{
    (void)state;
    /* given a post-repair scan where the ECU answered PID 01 but not 07 (functionally nor physically) */
    obd_scan_t *pre = scan_new(), *post = scan_new();
    ecu_add(pre, 0x7E8);
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    post->status_known = true;
    e->stored.state = OBD_READ_OK;
    e->pending.state = OBD_READ_NO_ANSWER;
    e->pending.read = true; /* the state wins over an inconsistent flag */
    e->permanent.state = OBD_READ_OK;
    /* when compared */
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    /* then not PASS, and the reason says the read got no answer */
    assert_int_equal(res->verdict, QC_FAIL);
    assert_true(res->ecus[0].unread_post);
    assert_int_equal(res->ecus[0].read_post[QC_KIND_PENDING], OBD_READ_NO_ANSWER);
    const qc_reason_t *q = reason("dtc_unread", 0);
    assert_non_null(q);
    assert_int_equal(q->severity, QC_SEV_FAIL);
    assert_non_null(strstr(q->en, "(pending: no answer)"));
    assert_non_null(strstr(q->en, "no answer is not \"no codes\""));
    assert_non_null(strstr(q->zh, "待定：无应答"));
    assert_non_null(strstr(q->zh, "无应答不等于无故障码"));
    assert_null(reason("all_clear", 0));
    /* the permanent list unanswered: not PASS either */
    e->pending.state = OBD_READ_OK;
    e->permanent.state = OBD_READ_NO_ANSWER;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_non_null(strstr(reason("dtc_unread", 0)->en, "permanent: no answer"));
    /* a permanent list the ECU does not support (older cars) is no reason */
    e->permanent.state = OBD_READ_UNSUPPORTED;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_PASS);
    free(pre);
    free(post);
}

/* #18: a reply that arrived but does not decode is never PASSed. */
static void test_unreadable_read_is_not_pass(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    ecu_add(pre, 0x7E8);
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    e->stored.state = OBD_READ_UNREADABLE;
    e->stored.rawlen = 4;
    memcpy(e->stored.raw, "\x43\x14\x01\x01", 4);
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_true(res->ecus[0].unreadable_post);
    assert_false(res->ecus[0].unread_post);
    const qc_reason_t *q = reason("dtc_unreadable", 0);
    assert_non_null(q);
    assert_int_equal(q->severity, QC_SEV_FAIL);
    assert_non_null(strstr(q->en, "confirmed DTC read"));
    assert_non_null(strstr(q->en, "(43 14 01 01)"));
    assert_non_null(strstr(q->zh, "无法解析（43 14 01 01）"));
    /* the QC JSON says so per ECU */
    cJSON *j = qc_json(res, OBD_LANG_EN);
    const cJSON *je = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "ecus"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(je, "dtcs_unreadable")));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(je, "dtc_reads_post"), "stored")->valuestring,
                        "unreadable");
    cJSON_Delete(j);
    free(pre);
    free(post);
}

/* #18: decoded with a deviation and no codes: PASS, the deviation named. */
static void test_deviation_is_pass_and_shown(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    obd_ecu_scan_t *p = ecu_add(pre, 0x7E8);
    dtc(p, 0, "P0104");
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    e->stored.state = OBD_READ_DEVIATION;
    snprintf(e->stored.deviation, sizeof e->stored.deviation, "legacy layout on CAN (no count byte)");
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_PASS);
    assert_int_equal(res->resolved, 1); /* the list counts as read: the code is gone */
    const qc_reason_t *q = reason("dtc_deviation", 0);
    assert_non_null(q);
    assert_int_equal(q->severity, QC_SEV_INFO);
    assert_non_null(strstr(q->en, "legacy layout on CAN (no count byte)"));
    assert_non_null(strstr(q->zh, "CAN 上使用旧格式（无计数字节）"));
    assert_non_null(reason("all_clear", 0));
    free(pre);
    free(post);
}

/* #18: no ECU answered PID 01 after the repair: the MIL is unknown, not off. */
static void test_mil_unknown_is_fail(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    ecu_add(pre, 0x7E8);
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    e->has_readiness = false;
    post->status_known = false;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_true(res->mil_unknown);
    const qc_reason_t *q = reason("mil_unknown", 0);
    assert_non_null(q);
    assert_non_null(strstr(q->zh, "无法确认故障灯已熄灭"));
    cJSON *j = qc_json(res, OBD_LANG_ZH);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "mil_on")));
    cJSON_Delete(j);
    /* known off: PASS */
    post->status_known = true;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_PASS);
    assert_null(reason("mil_unknown", 0));
    free(pre);
    free(post);
}

static void test_permanent_only_is_pending_drive_cycle(void **state)
{
    (void)state;
    /* given the misfire repaired and cleared, the permanent code remains */
    obd_scan_t *pre = scan_new(), *post = scan_new();
    obd_ecu_scan_t *e = ecu_add(pre, 0x7E8);
    dtc(e, 0, "P0301");
    dtc(e, 2, "P0301");
    dtc(ecu_add(post, 0x7E8), 2, "P0301");
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_PASS_PENDING_DRIVE_CYCLE);
    assert_string_equal(qc_verdict_key(res->verdict), "pass_pending_drive_cycle");
    assert_int_equal(res->permanent_after, 1);
    assert_int_equal(find_dtc("P0301", QC_KIND_PERMANENT)->change, QC_DTC_PERSISTING);
    const qc_reason_t *q = &res->reasons[0];
    assert_string_equal(q->key, "permanent");
    assert_int_equal(q->severity, QC_SEV_DRIVE_CYCLE);
    assert_non_null(strstr(q->en, "P0301 Cylinder 1 Misfire Detected is still a permanent DTC in ECU 7E8"));
    assert_non_null(strstr(q->en, "drive cycle"));
    assert_non_null(strstr(q->zh, "发动机控制单元 7E8 仍有永久故障码 P0301（第1缸检测到失火），需完成驾驶循环"));
    assert_non_null(reason("dtc_resolved", 0));
    assert_non_null(reason("all_clear", 0));
    free(pre);
    free(post);
}

static void test_incomplete_monitors_is_pending_drive_cycle(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    ecu_add(pre, 0x7E8);
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    e->readiness.mon[OBD_MON_CATALYST].complete = false;
    e->readiness.mon[OBD_MON_EVAP].complete = false;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_PASS_PENDING_DRIVE_CYCLE);
    assert_int_equal(res->monitors_incomplete, 2);
    assert_int_equal(res->ecus[0].monitors_supported, 6);
    assert_int_equal(res->ecus[0].incomplete_mask, (1u << OBD_MON_CATALYST) | (1u << OBD_MON_EVAP));
    const qc_reason_t *q = reason("monitors_incomplete", 0);
    assert_non_null(q);
    assert_string_equal(q->en,
                        "Readiness monitors not complete in ECU 7E8 (a drive cycle is needed): Catalyst, Evaporative system");
    assert_string_equal(q->zh, "发动机控制单元 7E8 以下就绪监测未完成（需完成驾驶循环）：催化器监测、燃油蒸发系统监测");
    /* unsupported monitors never count */
    e->readiness.mon[OBD_MON_CATALYST] = (obd_monitor_state_t){ false, false };
    e->readiness.mon[OBD_MON_EVAP] = (obd_monitor_state_t){ false, false };
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_PASS);
    free(pre);
    free(post);
}

static void test_fail_outranks_drive_cycle_and_reason_order(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    obd_ecu_scan_t *a = ecu_add(pre, 0x7E8);
    dtc(a, 0, "P0301");
    dtc(a, 0, "P0171");
    obd_ecu_scan_t *b = ecu_add(post, 0x7E8);
    dtc(b, 0, "P0171");
    dtc(b, 2, "P0301");
    b->readiness.mon[OBD_MON_CATALYST].complete = false;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    /* severities never increase along the list: fail, then drive cycle, then info */
    for (size_t i = 1; i < res->nreasons; i++)
        assert_true(res->reasons[i].severity <= res->reasons[i - 1].severity);
    assert_string_equal(res->reasons[0].key, "dtc_persisting");
    assert_non_null(reason("permanent", 0));
    assert_non_null(reason("monitors_incomplete", 0));
    assert_non_null(reason("dtc_resolved", 0));
    free(pre);
    free(post);
}

static void test_no_pre_scan(void **state)
{
    (void)state;
    obd_scan_t *post = scan_new();
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    assert_int_equal(qc_compare(NULL, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_PASS);
    assert_false(res->has_pre);
    assert_non_null(reason("no_pre_scan", 0));
    dtc(e, 0, "P0301");
    assert_int_equal(qc_compare(NULL, post, db, res), OBD_OK);
    assert_int_equal(res->verdict, QC_FAIL);
    assert_int_equal(find_dtc("P0301", QC_KIND_STORED)->change, QC_DTC_NEW);
    assert_int_equal(qc_compare(NULL, NULL, db, res), OBD_EINVAL);
    free(post);
}

static void test_duplicates_and_several_ecus(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    obd_ecu_scan_t *e = ecu_add(pre, 0x7E9);
    dtc(e, 0, "P0700");
    dtc(e, 0, "P0700");
    ecu_add(pre, 0x7E8);
    ecu_add(post, 0x7E8);
    dtc(ecu_add(post, 0x7E9), 0, "P0700");
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    assert_int_equal(res->persisting, 1); /* listed twice, counted once */
    assert_int_equal(res->necus, 2);
    assert_int_equal(res->ecus[0].addr, 0x7E8); /* address order */
    const qc_reason_t *q = &res->reasons[0];
    assert_int_equal(q->ecu, 0x7E9);
    assert_non_null(strstr(q->zh, "变速箱控制单元 7E9 仍存有故障码 P0700"));
    free(pre);
    free(post);
}

static void test_ecu_text(void **state)
{
    (void)state;
    char b[48];
    assert_string_equal(qc_ecu_text(0x7E8, OBD_LANG_EN, b, sizeof b), "ECU 7E8");
    assert_string_equal(qc_ecu_text(0x7E8, OBD_LANG_ZH, b, sizeof b), "发动机控制单元 7E8");
    assert_string_equal(qc_ecu_text(0x18DAF118, OBD_LANG_ZH, b, sizeof b), "变速箱控制单元 18DAF118");
    assert_string_equal(qc_ecu_text(0x7EA, OBD_LANG_ZH, b, sizeof b), "控制单元 7EA");
    assert_string_equal(qc_verdict_name(QC_FAIL, OBD_LANG_ZH), "不合格");
    assert_string_equal(qc_verdict_name(QC_PASS, OBD_LANG_ZH), "合格");
}

static void test_json(void **state)
{
    (void)state;
    obd_scan_t *pre = scan_new(), *post = scan_new();
    dtc(ecu_add(pre, 0x7E8), 0, "P0301");
    obd_ecu_scan_t *e = ecu_add(post, 0x7E8);
    dtc(e, 2, "P0301");
    e->readiness.mon[OBD_MON_CATALYST].complete = false;
    assert_int_equal(qc_compare(pre, post, db, res), OBD_OK);
    cJSON *j = qc_json(res, OBD_LANG_ZH);
    assert_non_null(j);
    /* stable key order: schema first, then verdict */
    assert_string_equal(j->child->string, "schema");
    assert_string_equal(j->child->next->string, "verdict");
    assert_string_equal(cJSON_GetObjectItem(j, "verdict")->valuestring, "pass_pending_drive_cycle");
    assert_string_equal(cJSON_GetObjectItem(j, "verdict_name")->valuestring, "合格（待完成驾驶循环）");
    cJSON *cn = cJSON_GetObjectItem(j, "counts");
    assert_int_equal(cJSON_GetObjectItem(cn, "resolved")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(cn, "permanent")->valueint, 1);
    cJSON *ecus = cJSON_GetObjectItem(j, "ecus");
    assert_int_equal(cJSON_GetArraySize(ecus), 1);
    cJSON *e0 = cJSON_GetArrayItem(ecus, 0);
    assert_string_equal(cJSON_GetObjectItem(e0, "address")->valuestring, "7E8");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(e0, "monitors_incomplete"), 0)->valuestring,
                        "catalyst");
    cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "reasons"), 0);
    assert_string_equal(cJSON_GetObjectItem(r0, "severity")->valuestring, "drive_cycle");
    assert_string_equal(cJSON_GetObjectItem(r0, "code")->valuestring, "P0301");
    assert_string_equal(cJSON_GetObjectItem(r0, "ecu")->valuestring, "7E8");
    assert_string_equal(cJSON_GetObjectItem(r0, "text")->valuestring, cJSON_GetObjectItem(r0, "zh")->valuestring);
    /* same result, same bytes */
    char *a = cJSON_PrintUnformatted(j);
    cJSON *j2 = qc_json(res, OBD_LANG_ZH);
    char *b = cJSON_PrintUnformatted(j2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cJSON_Delete(j);
    cJSON_Delete(j2);
    /* the verdict keys of every path */
    assert_string_equal(qc_verdict_key(QC_FAIL), "fail");
    assert_string_equal(qc_verdict_key(QC_PASS), "pass");
    free(pre);
    free(post);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolved_is_pass),
        cmocka_unit_test(test_persisting_stored_is_fail),
        cmocka_unit_test(test_new_dtc_after_repair_is_fail),
        cmocka_unit_test(test_pending_is_fail),
        cmocka_unit_test(test_mil_on_is_fail),
        cmocka_unit_test(test_ecu_lost_is_fail),
        cmocka_unit_test(test_unread_dtcs_is_fail),
        cmocka_unit_test(test_unanswered_read_is_not_pass),
        cmocka_unit_test(test_unreadable_read_is_not_pass),
        cmocka_unit_test(test_deviation_is_pass_and_shown),
        cmocka_unit_test(test_mil_unknown_is_fail),
        cmocka_unit_test(test_permanent_only_is_pending_drive_cycle),
        cmocka_unit_test(test_incomplete_monitors_is_pending_drive_cycle),
        cmocka_unit_test(test_fail_outranks_drive_cycle_and_reason_order),
        cmocka_unit_test(test_no_pre_scan),
        cmocka_unit_test(test_duplicates_and_several_ecus),
        cmocka_unit_test(test_ecu_text),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
