/*
 * obdgw audit verify — check the audit log's hash chain (every entry carries
 * the hash of the one before; an edited or deleted entry breaks the chain).
 * obdgw purge --older-than DAYS | --closed DAYS — retention (the audit log
 * itself is kept).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/store.h"

int cmd_audit(cli_t *cli, int argc, char **argv)
{
    const char *sub = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw audit verify [--store FILE] [--json]\n", T(cli, "usage", "用法"));
            return EXIT_OK;
        }
        if (!sub && !strcmp(argv[i], "verify")) {
            sub = argv[i];
            continue;
        }
        cli_err(cli, "audit: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
        return EXIT_USAGE;
    }
    if (!sub) {
        cli_err(cli, "audit: %s", T(cli, "give 'verify'", "请给出 verify"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "audit");
    if (!st)
        return EXIT_FAIL;
    int64_t n = 0, bad = 0;
    int rc = store_audit_verify(st, &n, &bad);
    int ex = EXIT_OK;
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddBoolToObject(j, "ok", rc == OBD_OK);
        cJSON_AddNumberToObject(j, "entries", (double)n);
        if (rc) {
            cJSON_AddNumberToObject(j, "first_bad_entry", (double)bad);
            cJSON_AddStringToObject(j, "reason", store_errmsg(st));
        }
        cli_json_print(j);
    } else if (rc == OBD_OK) {
        printf("%s: %lld %s\n", T(cli, "audit log intact", "审计日志完整"), (long long)n, T(cli, "entries checked", "条已校验"));
    } else {
        printf("%s #%lld: %s\n", T(cli, "AUDIT LOG BROKEN at entry", "审计日志被破坏，位置：第"), (long long)bad,
               store_errmsg(st));
    }
    if (rc)
        ex = rc == OBD_EBADDATA ? EXIT_DATA : EXIT_FAIL;
    store_close(st);
    return ex;
}

int cmd_purge(cli_t *cli, int argc, char **argv)
{
    int older = 0, closed = 0;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--older-than") && i + 1 < argc) {
            older = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--closed") && i + 1 < argc) {
            closed = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw purge [--older-than DAYS] [--closed DAYS] [--store FILE]\n"
                   "  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "Deletes scans/recordings older than DAYS and ROs closed more than DAYS ago; the audit log stays.",
                     "删除早于指定天数的扫描/数据流记录及关闭超过指定天数的工单；审计日志保留。"));
            return EXIT_OK;
        } else {
            cli_err(cli, "purge: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (older <= 0 && closed <= 0) {
        cli_err(cli, "purge: %s", T(cli, "give --older-than DAYS and/or --closed DAYS (positive)",
                                    "请给出 --older-than 天数 和/或 --closed 天数（正数）"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "purge");
    if (!st)
        return EXIT_FAIL;
    int64_t removed = 0;
    int rc = store_purge(st, older, closed, &removed);
    if (rc)
        cli_store_fail(cli, st, "purge", rc);
    else
        printf("%s: %lld %s\n", T(cli, "purged", "已清理"), (long long)removed, T(cli, "scans", "条扫描"));
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}
