/*
 * obdgw stats [--since 30d] [--json] — the service manager's figures over the
 * ROs opened in the period (store_vehicle.c): ROs, first-time-fix, comeback
 * and first-try QC pass rates, additional items proposed/approved, median
 * and p90 per stage against the standard times, top DTCs, scans per bay per
 * day. JSON, or a text summary (en/zh). The HTML page with charts is not
 * built yet.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "obdgw/store.h"
#include "obdgw/store_history.h"

static const char *stage_name(const cli_t *cli, const char *k)
{
    if (!strcmp(k, "reception"))
        return T(cli, "reception", "接车");
    if (!strcmp(k, "diagnosis"))
        return T(cli, "diagnosis", "故障诊断");
    if (!strcmp(k, "repair"))
        return T(cli, "repair", "维修");
    if (!strcmp(k, "qc"))
        return T(cli, "quality check", "质量检验");
    if (!strcmp(k, "delivery"))
        return T(cli, "delivery", "交车");
    return k;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

int cmd_stats(cli_t *cli, int argc, char **argv)
{
    long days = 30;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--since") && i + 1 < argc) {
            char *end = NULL;
            days = strtol(argv[++i], &end, 10);
            if (!end || (strcmp(end, "d") && *end) || days <= 0 || days > 3650) {
                cli_err(cli, "stats: --since %s", T(cli, "takes days: 30d (1-3650)", "应为天数：30d（1-3650）"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fprintf(CLI_OUT(cli), "%s: obdgw stats [--since 30d] [--json]\n", T(cli, "usage", "用法"));
            return EXIT_OK;
        } else {
            cli_err(cli, "stats: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
            return EXIT_USAGE;
        }
    }
    store_t *st = cli_store_open(cli, "stats");
    if (!st)
        return EXIT_FAIL;
    store_std_times_t std;
    store_std_times_default(&std);
    int64_t since = (int64_t)time(NULL) * 1000 - (int64_t)days * 86400000;
    cJSON *s = store_stats_json(st, since, &std);
    store_close(st);
    if (!s) {
        cli_err(cli, "stats: %s", T(cli, "could not read the store", "无法读取数据库"));
        return EXIT_FAIL;
    }
    if (cli->json) {
        cli_json_out(cli, s);
        return EXIT_OK;
    }
    FILE *o = CLI_OUT(cli);
    fprintf(o, "%s %ld %s\n", T(cli, "Last", "最近"), days, T(cli, "days", "天"));
    fprintf(o, "  %s %.0f · %s %.0f\n", T(cli, "ROs", "工单"), num(s, "ros"), T(cli, "delivered", "已交车"), num(s, "delivered"));
    fprintf(o, "  %s %.1f%% · %s %.1f%% · %s %.1f%%\n", T(cli, "first-time fix", "一次修复率"),
            100 * num(s, "first_time_fix_rate"), T(cli, "comebacks", "返修率"), 100 * num(s, "comeback_rate"),
            T(cli, "QC pass first try", "质检一次通过率"), 100 * num(s, "qc_pass_first_try_rate"));
    const cJSON *ai = cJSON_GetObjectItemCaseSensitive(s, "additional_items");
    fprintf(o, "  %s %.0f %s, %.0f %s\n", T(cli, "additional items", "增项"), num(ai, "proposed"),
            T(cli, "proposed", "提出"), num(ai, "approved"), T(cli, "approved", "同意"));
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(s, "stages"))
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(x, "stage");
        fprintf(o, "  %s n=%.0f", PAD(stage_name(cli, k->valuestring), 14), num(x, "n"));
        if (num(x, "median_minutes") >= 0)
            fprintf(o, "  %s %.1f min, p90 %.1f min", T(cli, "median", "中位数"), num(x, "median_minutes"),
                    num(x, "p90_minutes"));
        if (num(x, "standard_minutes") > 0)
            fprintf(o, "  (%s %.0f min, %.0f %s)", T(cli, "standard", "标准"), num(x, "standard_minutes"),
                    num(x, "over_standard"), T(cli, "over", "超时"));
        fprintf(o, "\n");
    }
    cJSON_Delete(s);
    return EXIT_OK;
}
