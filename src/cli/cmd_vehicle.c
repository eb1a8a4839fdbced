/*
 * obdgw vehicle VIN [--json] — the car's whole life in the workshop: every
 * RO, scan (OBD and UDS), clear, QC verdict and recording across visits,
 * mileage over time, per DTC first/last seen, visits and when cleared,
 * comebacks (store_vehicle.c).
 * obdgw followup [--due] [--json] | followup RO --done [--by NAME] [--note T]
 * — the 3-day call list after delivery.
 * And the `wo` sub-commands of #13: wo deliver, wo class, and what wo show
 * adds (class, comebacks, team lead's check, delivery).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "obdgw/store.h"
#include "obdgw/store_history.h"

static void tm_text(double ms, char *out, size_t cap)
{
    if (ms <= 0) {
        snprintf(out, cap, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M", &tm);
}

static const char *js(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

const char *cli_stage_text(const cli_t *cli, const char *key)
{
    static const struct {
        const char *k, *en, *zh;
    } t[] = {
        { "pre", "reception", "接车检测" },   { "diag", "diagnosis", "故障诊断" }, { "self", "self-check", "自检" },
        { "post", "post-repair", "维修后" }, { "qc", "final QC", "总检" },        { "adhoc", "ad hoc", "临时" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].k, key))
            return T(cli, t[i].en, t[i].zh);
    return key;
}

const char *cli_verdict_text(const cli_t *cli, const char *key)
{
    if (!strcmp(key, "pass"))
        return T(cli, "PASS", "合格");
    if (!strcmp(key, "pass_pending_drive_cycle"))
        return T(cli, "PASS, pending drive cycle", "合格（待行驶循环确认）");
    if (!strcmp(key, "fail"))
        return T(cli, "FAIL", "不合格");
    return key;
}

static void print_history(cli_t *cli, const cJSON *h)
{
    FILE *o = CLI_OUT(cli);
    char t[32], t2[32];
    fprintf(o, "%s %s\n", PAD(T(cli, "Vehicle", "车辆"), 10), js(h, "vin"));
    const cJSON *x, *ros = cJSON_GetObjectItemCaseSensitive(h, "ros");
    fprintf(o, "\n%s (%d):\n", T(cli, "Repair orders", "维修工单"), cJSON_GetArraySize(ros));
    cJSON_ArrayForEach(x, ros)
    {
        tm_text(jnum(x, "opened_ms"), t, sizeof t);
        fprintf(o, "  %s %s %s", PAD(js(x, "ro"), 16), t,
                !strcmp(js(x, "status"), "open") ? T(cli, "open", "进行中") : T(cli, "closed", "已关闭"));
        if (jnum(x, "mileage_in_km") >= 0)
            fprintf(o, " · %s %.0f km", T(cli, "in", "进厂"), jnum(x, "mileage_in_km"));
        const cJSON *q = cJSON_GetObjectItemCaseSensitive(x, "qc");
        if (cJSON_IsObject(q))
            fprintf(o, " · QC %s (%s)", cli_verdict_text(cli, js(q, "verdict")), js(q, "inspector"));
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(x, "delivery");
        if (cJSON_IsObject(d)) {
            tm_text(jnum(d, "delivered_ms"), t2, sizeof t2);
            fprintf(o, " · %s %s", T(cli, "delivered", "已交车"), t2);
        }
        fprintf(o, "\n");
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "comebacks"))
        fprintf(o, "      %s %s ← %s %s (%.1f %s)\n", T(cli, "COMEBACK", "返修"), js(c, "code"),
                T(cli, "repaired on", "曾维修于"), js(c, "earlier_ro"), jnum(c, "days"), T(cli, "days", "天"));
    }
    const cJSON *scans = cJSON_GetObjectItemCaseSensitive(h, "scans");
    fprintf(o, "\n%s (%d):\n", T(cli, "Scans", "扫描记录"), cJSON_GetArraySize(scans));
    cJSON_ArrayForEach(x, scans)
    {
        tm_text(jnum(x, "started_ms"), t, sizeof t);
        fprintf(o, "  %s #%-5.0f %s %s %s", !strcmp(js(x, "kind"), "uds") ? "UDS" : "OBD", jnum(x, "id"), t,
                PAD(js(x, "ro")[0] ? js(x, "ro") : "-", 16), PAD(cli_stage_text(cli, js(x, "stage")), 12));
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "dtcs")) fprintf(o, " %s", c->valuestring);
        fprintf(o, "\n");
    }
    const cJSON *clears = cJSON_GetObjectItemCaseSensitive(h, "clears");
    fprintf(o, "\n%s (%d):\n", T(cli, "Clears", "清码记录"), cJSON_GetArraySize(clears));
    cJSON_ArrayForEach(x, clears)
    {
        tm_text(jnum(x, "cleared_ms"), t, sizeof t);
        fprintf(o, "  %s %s %s %s\n", t, PAD(js(x, "ro"), 16), js(x, "kind"), js(x, "who"));
    }
    const cJSON *recs = cJSON_GetObjectItemCaseSensitive(h, "recordings");
    fprintf(o, "\n%s (%d)\n", T(cli, "Live-data recordings", "数据流记录"), cJSON_GetArraySize(recs));
    fprintf(o, "\n%s:\n", T(cli, "Mileage", "里程"));
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(h, "mileage"))
    {
        tm_text(jnum(x, "ms"), t, sizeof t);
        fprintf(o, "  %s %10.0f km  %s %s\n", t, jnum(x, "km"), PAD(js(x, "ro"), 16), js(x, "source"));
    }
    fprintf(o, "\n%s:\n", T(cli, "Trouble codes across visits", "历次故障码"));
    fprintf(o, "  %s %s %s %s %s\n", PAD(T(cli, "code", "故障码"), 7), PAD(T(cli, "first seen", "首次出现"), 17),
            PAD(T(cli, "last seen", "最近出现"), 17), PAD(T(cli, "visits", "次数"), 6), T(cli, "cleared", "清除时间"));
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(h, "dtcs"))
    {
        tm_text(jnum(x, "first_seen_ms"), t, sizeof t);
        tm_text(jnum(x, "last_seen_ms"), t2, sizeof t2);
        char v[16];
        snprintf(v, sizeof v, "%.0f", jnum(x, "visits"));
        fprintf(o, "  %s %s %s %s", PAD(js(x, "code"), 7), PAD(t, 17), PAD(t2, 17), PAD(v, 6));
        const cJSON *c;
        int nc = 0;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "cleared_ms"))
        {
            tm_text(c->valuedouble, t, sizeof t);
            fprintf(o, "%s%s", nc++ ? ", " : "", t);
        }
        if (!nc)
            fprintf(o, "-");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "comeback")))
            fprintf(o, "  %s", T(cli, "(comeback)", "（返修）"));
        fprintf(o, "\n");
    }
}

int cmd_vehicle(cli_t *cli, int argc, char **argv)
{
    const char *vin = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fprintf(CLI_OUT(cli), "%s: obdgw vehicle VIN [--json] [--store FILE] [--daemon]\n  %s\n",
                    T(cli, "usage", "用法"),
                    T(cli, "every RO, scan, clear, QC verdict and recording of this car; mileage; each DTC across visits",
                      "该车所有工单、扫描、清码、质检结论和数据流记录；里程变化；各故障码历次出现情况"));
            return EXIT_OK;
        }
        if (argv[i][0] != '-' && !vin)
            vin = argv[i];
        else {
            cli_err(cli, "vehicle: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!vin) {
        cli_err(cli, "vehicle: %s", T(cli, "give the VIN", "请给出车架号"));
        return EXIT_USAGE;
    }
    char v[18];
    if (strlen(vin) != 17) {
        cli_err(cli, "vehicle: %s", T(cli, "a VIN has 17 characters", "车架号应为 17 位"));
        return EXIT_USAGE;
    }
    for (int i = 0; i < 17; i++)
        v[i] = (char)(vin[i] >= 'a' && vin[i] <= 'z' ? vin[i] - 32 : vin[i]);
    v[17] = 0;
    store_t *st = cli_store_open(cli, "vehicle");
    if (!st)
        return EXIT_FAIL;
    int rc = 0;
    cJSON *h = store_vehicle_history_json(st, v, &rc);
    int ex = EXIT_OK;
    if (!h) {
        if (rc == OBD_ENOTFOUND)
            cli_err(cli, "vehicle: %s", T(cli, "no vehicle with this VIN in the store", "数据库中没有该车架号的车辆"));
        else
            cli_store_fail(cli, st, "vehicle", rc);
        ex = rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : rc == OBD_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    } else if (cli->json) {
        cli_json_out(cli, h);
        h = NULL;
    } else {
        print_history(cli, h);
    }
    cJSON_Delete(h);
    store_close(st);
    return ex;
}

/* ---------------- follow-up ---------------- */

static const char *pending_text(const cli_t *cli, const char *p, char *buf, size_t cap)
{
    const char *colon = strchr(p, ':');
    const char *code = colon ? colon + 1 : "";
    if (!strncmp(p, "permanent_dtc:", 14))
        snprintf(buf, cap, "%s %s", T(cli, "permanent DTC still stored:", "永久故障码仍存在："), code);
    else if (!strncmp(p, "declined_item:", 14))
        snprintf(buf, cap, "%s %s", T(cli, "declined additional item:", "客户拒绝的增项："), code);
    else if (!strncmp(p, "undecided_item:", 15))
        snprintf(buf, cap, "%s %s", T(cli, "additional item not decided:", "未决定的增项："), code);
    else if (!strcmp(p, "drive_cycle_monitors"))
        snprintf(buf, cap, "%s", T(cli, "readiness monitors need a drive cycle", "就绪监测需完成驾驶循环"));
    else
        snprintf(buf, cap, "%s", p);
    return buf;
}

int cmd_followup(cli_t *cli, int argc, char **argv)
{
    bool due = false, done = false;
    const char *ro = NULL, *by = NULL, *note = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--due"))
            due = true;
        else if (!strcmp(argv[i], "--done"))
            done = true;
        else if (!strcmp(argv[i], "--by") && i + 1 < argc)
            by = argv[++i];
        else if (!strcmp(argv[i], "--note") && i + 1 < argc)
            note = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fprintf(CLI_OUT(cli), "%s: obdgw followup [--due] [--json]\n       obdgw followup RO --done [--by NAME] [--note TEXT]\n  %s\n",
                    T(cli, "usage", "用法"),
                    T(cli, "delivered ROs for the 3-day call: what was found, fixed, and what is pending",
                      "交车后 3 天回访清单：发现的故障、已修复的、待跟进的事项"));
            return EXIT_OK;
        } else if (argv[i][0] != '-' && !ro)
            ro = argv[i];
        else {
            cli_err(cli, "followup: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (done != (ro != NULL)) {
        cli_err(cli, "followup: %s", T(cli, "give RO --done to record a call, or no RO to list", "记录回访请给出 工单号 --done；列出清单不需工单号"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "followup");
    if (!st)
        return EXIT_FAIL;
    int ex = EXIT_OK;
    if (done) {
        int rc = store_followup_done(st, ro, cli_actor(by), note ? note : "");
        if (rc) {
            cli_store_fail(cli, st, "followup", rc);
            ex = rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : rc == OBD_ESTATE ? EXIT_REFUSED : EXIT_FAIL;
        } else {
            fprintf(CLI_OUT(cli), "%s %s: %s\n", T(cli, "RO", "工单"), ro, T(cli, "follow-up call recorded", "回访已记录"));
        }
        store_close(st);
        return ex;
    }
    cJSON *f = store_followup_json(st, due);
    if (!f) {
        cli_store_fail(cli, st, "followup", OBD_EDB);
        store_close(st);
        return EXIT_FAIL;
    }
    if (cli->json) {
        cli_json_out(cli, f);
        store_close(st);
        return EXIT_OK;
    }
    FILE *o = CLI_OUT(cli);
    const cJSON *x;
    fprintf(o, "%s: %.0f\n", due ? T(cli, "Follow-up calls due", "到期回访") : T(cli, "Follow-up calls not made yet", "尚未回访"),
            jnum(f, "count"));
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "followups"))
    {
        char t[32], t2[32], b[160];
        tm_text(jnum(x, "delivered_ms"), t, sizeof t);
        tm_text(jnum(x, "due_ms"), t2, sizeof t2);
        fprintf(o, "\n  %s %s  %s %s · %s %s%s\n", js(x, "ro"), js(x, "plate"), T(cli, "delivered", "交车"), t,
                T(cli, "call due", "回访日"), t2, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "due")) ? " ●" : "");
        fprintf(o, "    %s %s\n", T(cli, "complaint:", "客户描述："), js(x, "complaint"));
        const cJSON *c;
        fprintf(o, "    %s", T(cli, "found:", "发现："));
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "found")) fprintf(o, " %s", c->valuestring);
        fprintf(o, "\n    %s", T(cli, "fixed:", "已修复："));
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "fixed")) fprintf(o, " %s", c->valuestring);
        fprintf(o, "\n");
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "pending"))
        fprintf(o, "    ! %s\n", pending_text(cli, c->valuestring, b, sizeof b));
    }
    cJSON_Delete(f);
    store_close(st);
    return EXIT_OK;
}

/* ---------------- wo deliver / wo class / wo show additions ---------------- */

int cli_wo_deliver(cli_t *cli, store_t *st, int argc, char **argv)
{
    const char *ro = NULL, *by = NULL, *reason = NULL;
    int km = -1;
    bool force = false, ended = false;
    for (int i = 0; i < argc; i++) {
        if (!ended && !strcmp(argv[i], "--"))
            ended = true;
        else if (ended || (argv[i][0] != '-' && !ro)) {
            if (ro) {
                cli_err(cli, "wo deliver: %s '%s'", T(cli, "unexpected argument", "多余的参数"), argv[i]);
                return EXIT_USAGE;
            }
            ro = argv[i];
        } else if (!strcmp(argv[i], "--mileage") && i + 1 < argc) {
            char *end = NULL;
            long v = strtol(argv[++i], &end, 10);
            if (!end || *end || v < 0 || v > 10000000) {
                cli_err(cli, "wo deliver: --mileage %s", T(cli, "must be 0-10000000 km", "应为 0-10000000 公里"));
                return EXIT_USAGE;
            }
            km = (int)v;
        } else if (!strcmp(argv[i], "--by") && i + 1 < argc)
            by = argv[++i];
        else if (!strcmp(argv[i], "--reason") && i + 1 < argc)
            reason = argv[++i];
        else if (!strcmp(argv[i], "--force"))
            force = true;
        else {
            cli_err(cli, "wo deliver: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!ro) {
        cli_err(cli, "wo deliver: %s", T(cli, "give the RO number", "请给出工单号"));
        return EXIT_USAGE;
    }
    if (force && (!reason || !*reason)) {
        cli_err(cli, "wo deliver: %s", T(cli, "--force needs --reason TEXT (it is audited)", "--force 需要 --reason 说明（将记入审计）"));
        return EXIT_USAGE;
    }
    store_delivery_t d;
    int rc = store_wo_deliver(st, ro, cli_actor(by), km, force, reason, &d);
    if (rc) {
        cli_store_fail(cli, st, "wo deliver", rc);
        return rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : rc == OBD_ESTATE ? EXIT_REFUSED : rc == OBD_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    }
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "ro", ro);
        cJSON_AddNumberToObject(o, "delivered_ms", (double)d.delivered_ms);
        if (d.mileage_out_km >= 0)
            cJSON_AddNumberToObject(o, "mileage_out_km", d.mileage_out_km);
        cJSON_AddBoolToObject(o, "forced", d.forced);
        cJSON_AddStringToObject(o, "status", "closed");
        cli_json_out(cli, o);
    } else {
        fprintf(CLI_OUT(cli), "%s %s %s%s", T(cli, "RO", "工单"), ro, T(cli, "delivered and closed", "已交车并关闭"),
                d.forced ? T(cli, " (without final QC: audited)", "（未经总检：已记入审计）") : "");
        if (d.mileage_out_km >= 0)
            fprintf(CLI_OUT(cli), " · %s %d km", T(cli, "mileage out", "出厂里程"), d.mileage_out_km);
        fprintf(CLI_OUT(cli), "\n");
    }
    return EXIT_OK;
}

static int class_row(void *ctx, const store_guarantee_t *g)
{
    cli_t *cli = ((void **)ctx)[0];
    cJSON *arr = ((void **)ctx)[1];
    if (arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "class", g->name);
        cJSON_AddNumberToObject(o, "days", g->days);
        cJSON_AddNumberToObject(o, "km", g->km);
        cJSON_AddStringToObject(o, "match", g->match);
        cJSON_AddItemToArray(arr, o);
        return 0;
    }
    fprintf(CLI_OUT(cli), "  %s %5d %s  %7d km  %s %s\n", PAD(g->name, 10), g->days, T(cli, "days", "天"), g->km,
            T(cli, "match:", "匹配："),
            !strcmp(g->match, "system") ? T(cli, "same system", "同一系统") : T(cli, "same code", "同一故障码"));
    return 0;
}

int cli_wo_class(cli_t *cli, store_t *st, int argc, char **argv)
{
    store_guarantee_t g;
    memset(&g, 0, sizeof g);
    const char *name = NULL, *match = NULL;
    bool any = false;
    for (int i = 0; i < argc; i++) {
        char *end = NULL;
        if ((!strcmp(argv[i], "--days") || !strcmp(argv[i], "--km")) && i + 1 < argc) {
            long v = strtol(argv[i + 1], &end, 10);
            if (!end || *end || v < 0) {
                cli_err(cli, "wo class: %s %s", argv[i], T(cli, "must be a whole number >= 0", "应为不小于 0 的整数"));
                return EXIT_USAGE;
            }
            if (!strcmp(argv[i], "--days"))
                g.days = (int)v;
            else
                g.km = (int)v;
            i++;
            any = true;
        } else if (!strcmp(argv[i], "--match") && i + 1 < argc) {
            match = argv[++i];
            any = true;
        } else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else {
            cli_err(cli, "wo class: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (name && any) {
        snprintf(g.name, sizeof g.name, "%s", name);
        store_guarantee_t old;
        if (store_guarantee_get(st, name, &old) == OBD_OK) { /* change only what was given */
            if (!g.days && !g.km) {
                g.days = old.days;
                g.km = old.km;
            }
            if (!match)
                match = old.match;
        }
        snprintf(g.match, sizeof g.match, "%s", match ? match : "code");
        int rc = store_guarantee_set(st, &g, cli_actor(NULL));
        if (rc) {
            cli_store_fail(cli, st, "wo class", rc);
            return rc == OBD_EINVAL ? EXIT_USAGE : EXIT_FAIL;
        }
    } else if (name) {
        cli_err(cli, "wo class: %s", T(cli, "give --days and/or --km (and --match code|system) to set a class",
                                       "设置类别请给出 --days 和/或 --km（以及 --match code|system）"));
        return EXIT_USAGE;
    }
    cJSON *arr = cli->json ? cJSON_CreateArray() : NULL;
    if (!arr)
        fprintf(CLI_OUT(cli), "%s:\n", T(cli, "Repair classes and their guarantee (whichever is reached first)",
                                          "维修类别及质量保证期（以先达到者为准）"));
    void *ctx[2] = { cli, arr };
    store_guarantee_list(st, class_row, ctx);
    if (arr)
        cli_json_out(cli, arr);
    return EXIT_OK;
}

typedef struct {
    cli_t *cli;
    cJSON *arr;
} cb_ctx_t;

static int cb_row(void *ctx, const store_comeback_t *c)
{
    cb_ctx_t *k = ctx;
    if (k->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", c->code);
        cJSON_AddStringToObject(o, "earlier_ro", c->earlier_ro);
        cJSON_AddStringToObject(o, "earlier_code", c->earlier_code);
        cJSON_AddStringToObject(o, "match", c->match);
        cJSON_AddStringToObject(o, "repair_class", c->repair_class);
        cJSON_AddNumberToObject(o, "days_since_delivery", c->days);
        if (c->km >= 0)
            cJSON_AddNumberToObject(o, "km_since_delivery", c->km);
        cJSON_AddStringToObject(o, "source", c->source);
        cJSON_AddNumberToObject(o, "scan_id", (double)c->scan_id);
        cJSON_AddNumberToObject(o, "detected_ms", (double)c->detected_ms);
        cJSON_AddItemToArray(k->arr, o);
        return 0;
    }
    cli_t *cli = k->cli;
    if (cli->lang == OBD_LANG_ZH)
        fprintf(CLI_OUT(cli), "  ! 返修 %s：曾在工单 %s 中维修", c->code, c->earlier_ro);
    else
        fprintf(CLI_OUT(cli), "  ! COMEBACK %s: repaired on %s", c->code, c->earlier_ro);
    if (strcmp(c->match, "code"))
        fprintf(CLI_OUT(cli), " (%s %s)", T(cli, "same system as", "与其同一系统："), c->earlier_code);
    fprintf(CLI_OUT(cli), ", %.1f %s", c->days, T(cli, "days", "天"));
    if (c->km >= 0)
        fprintf(CLI_OUT(cli), " / %.0f km", c->km);
    fprintf(CLI_OUT(cli), " %s (%s %s)\n", T(cli, "after delivery", "（交车后）"), T(cli, "class", "类别"),
            c->repair_class);
    return 0;
}

void cli_wo_show_history(cli_t *cli, store_t *st, const char *ro, cJSON *o)
{
    char cls[16] = "";
    store_wo_class(st, ro, cls);
    store_delivery_t d;
    store_delivery_get(st, ro, &d);
    store_lead_check_t lc;
    store_lead_check_get(st, ro, &lc);
    if (o) {
        cJSON_AddStringToObject(o, "repair_class", cls[0] ? cls : STORE_DEFAULT_CLASS);
        cb_ctx_t k = { cli, cJSON_AddArrayToObject(o, "comebacks") };
        store_comeback_list(st, ro, cb_row, &k);
        if (lc.present) {
            cJSON *l = cJSON_AddObjectToObject(o, "lead_check");
            cJSON_AddStringToObject(l, "who", lc.who);
            cJSON_AddNumberToObject(l, "checked_ms", (double)lc.checked_ms);
            cJSON_AddNumberToObject(l, "scan", (double)lc.scan_id);
            cJSON_AddStringToObject(l, "verdict", lc.verdict);
        } else {
            cJSON_AddNullToObject(o, "lead_check");
        }
        if (d.delivered) {
            cJSON *x = cJSON_AddObjectToObject(o, "delivery");
            cJSON_AddNumberToObject(x, "delivered_ms", (double)d.delivered_ms);
            cJSON_AddStringToObject(x, "who", d.who);
            if (d.mileage_out_km >= 0)
                cJSON_AddNumberToObject(x, "mileage_out_km", d.mileage_out_km);
            cJSON_AddBoolToObject(x, "forced", d.forced);
            if (d.followup_ms)
                cJSON_AddNumberToObject(x, "followup_ms", (double)d.followup_ms);
        } else {
            cJSON_AddNullToObject(o, "delivery");
        }
        return;
    }
    FILE *f = CLI_OUT(cli);
    char t[32];
    fprintf(f, "%s %s\n", PAD(T(cli, "class", "维修类别"), 12), cls[0] ? cls : STORE_DEFAULT_CLASS);
    cb_ctx_t k = { cli, NULL };
    store_comeback_list(st, ro, cb_row, &k);
    if (lc.present) {
        tm_text((double)lc.checked_ms, t, sizeof t);
        fprintf(f, "%s %s · %s · %s #%lld\n", PAD(T(cli, "lead check", "班组长检验"), 12), lc.who, t,
                T(cli, "scan", "扫描"), (long long)lc.scan_id);
    }
    if (d.delivered) {
        tm_text((double)d.delivered_ms, t, sizeof t);
        fprintf(f, "%s %s · %s", PAD(T(cli, "delivered", "交车"), 12), t, d.who);
        if (d.mileage_out_km >= 0)
            fprintf(f, " · %d km", d.mileage_out_km);
        fprintf(f, "%s\n", d.forced ? T(cli, " · without final QC (forced)", " · 未经总检（强制）") : "");
    }
}
