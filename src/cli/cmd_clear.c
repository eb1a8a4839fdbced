/*
 * obdgw clear --adapter DEV [--yes] [--force] [--save FILE] [--json]
 *
 * Clearing destroys evidence (DTCs, freeze frames, Mode 06, readiness), so:
 *   1. refuse while the engine turns (RPM > 0) unless --force;
 *   2. capture a full scan first and keep it (written durably to FILE,
 *      default preclear-<time>.json) before anything is cleared;
 *   3. ask for confirmation (or --yes);
 *   4. clear (service 04 to every ECU), report any ECU that refused;
 *   5. scan again and show what remains (permanent DTCs, readiness reset).
 * The work-order gate and the audit log come with the evidence store.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "obdgw/session.h"
#include "obdgw/uds.h"

/* Write `text` to `path` so that it is complete or absent: .new, fsync, rename. */
static int write_durable(const char *path, const char *text)
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static bool confirm(cli_t *cli, const obd_scan_t *s)
{
    fprintf(stderr, "%s %zu %s, %zu %s %zu %s. %s\n%s ",
            T(cli, "This clears", "将清除"), obd_scan_count(s, 0), T(cli, "stored and", "个已确认和"),
            obd_scan_count(s, 1), T(cli, "pending DTCs, freeze frames and monitor results on", "个待定故障码、冻结帧和监测结果，涉及"),
            s->necus, T(cli, "ECU(s)", "个控制单元"),
            T(cli, "Permanent DTCs stay until the ECU clears them.", "永久故障码不会被清除，需由控制单元自行清除。"),
            T(cli, "Type 'yes' to clear:", "输入 yes 确认清除："));
    char line[32] = "";
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = 0;
    return !strcmp(line, "yes") || !strcmp(line, "YES") || !strcmp(line, "是");
}

int cmd_clear(cli_t *cli, int argc, char **argv)
{
    cli_link_args_t la = { 0 };
    bool yes = false, force = false;
    const char *save = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (!r)
            r = cli_link_opt(cli, &la, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--yes") || !strcmp(argv[i], "-y")) {
            yes = true;
        } else if (!strcmp(argv[i], "--force")) {
            force = true;
        } else if (!strcmp(argv[i], "--save") && i + 1 < argc) {
            save = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw clear --adapter DEV [--yes] [--force] [--save FILE] [--json]\n", T(cli, "usage", "用法"));
            return EXIT_OK;
        } else {
            cli_err(cli, "clear: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    obd_link_t *l = cli_link_open(cli, &la, "clear");
    if (!l)
        return EXIT_FAIL;
    int ex = EXIT_FAIL;
    obd_scan_t *before = calloc(1, sizeof *before), *after = calloc(1, sizeof *after);
    dtcdb_t *db = NULL;
    dtcdb_open(&db, NULL, NULL);
    char path[512];
    char *json = NULL;
    if (!before || !after)
        goto out;

    double rpm = obd_engine_rpm(l);
    if (rpm > 0 && !force) {
        cli_err(cli, "clear: %s (%.0f rpm). %s", T(cli, "the engine is running", "发动机正在运转"), rpm,
                T(cli, "Switch the engine off with the ignition on, or use --force.",
                  "请熄火并保持点火开关打开，或使用 --force。"));
        goto out;
    }
    int rc = obd_scan_run(l, before, NULL, NULL);
    if (rc) {
        cli_link_fail(cli, l, "clear: pre-clear scan failed, nothing cleared", rc);
        goto out;
    }
    if (save) {
        snprintf(path, sizeof path, "%s", save);
    } else {
        char ts[32];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", &tm);
        snprintf(path, sizeof path, "preclear-%s.json", ts);
    }
    cJSON *bj = obd_scan_json(before, db, cli->lang);
    json = cJSON_Print(bj);
    cJSON_Delete(bj);
    if (!json || write_durable(path, json)) {
        cli_err(cli, "clear: %s %s; %s", T(cli, "cannot save the pre-clear scan to", "无法保存清码前扫描到"), path,
                T(cli, "nothing cleared", "未清除任何内容"));
        goto out;
    }
    fprintf(stderr, "%s: %s\n", T(cli, "pre-clear scan saved", "清码前扫描已保存"), path);
    if (!yes && !confirm(cli, before)) {
        cli_err(cli, "clear: %s", T(cli, "not confirmed; nothing cleared", "未确认，未清除任何内容"));
        goto out;
    }
    obd_clear_result_t cr;
    rc = obd_clear_run(l, &cr);
    if (rc) {
        cli_link_fail(cli, l, "clear", rc);
        goto out;
    }
    if (cr.refused) {
        const char *nrc = uds_nrc_name(cr.nrc, cli->lang);
        cli_err(cli, "clear: ECU %X %s: NRC 0x%02X %s%s", (unsigned)cr.refused_by, T(cli, "refused", "拒绝清除"),
                cr.nrc, nrc ? nrc : "",
                cr.nrc == 0x22 ? T(cli, " (engine running? switch it off, ignition on)", "（发动机在运转？请熄火并保持点火开关打开）")
                               : "");
        goto out;
    }
    rc = obd_scan_run(l, after, NULL, NULL);
    if (rc) {
        cli_link_fail(cli, l, "clear: cleared, but the re-scan failed", rc);
        goto out;
    }
    ex = EXIT_OK;
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddBoolToObject(j, "cleared", true);
        cJSON_AddNumberToObject(j, "ecus_acknowledged", (double)cr.acked);
        cJSON_AddStringToObject(j, "evidence", path);
        cJSON_AddItemToObject(j, "before", obd_scan_json(before, db, cli->lang));
        cJSON_AddItemToObject(j, "after", obd_scan_json(after, db, cli->lang));
        cli_json_print(j);
    } else {
        printf("%s (%zu %s).\n", T(cli, "DTCs cleared", "故障码已清除"), cr.acked, T(cli, "ECU(s) confirmed", "个控制单元确认"));
        printf("%s: %zu %s, %zu %s, %zu %s\n", T(cli, "Remaining", "剩余"), obd_scan_count(after, 0),
               T(cli, "stored", "已确认"), obd_scan_count(after, 1), T(cli, "pending", "待定"), obd_scan_count(after, 2),
               T(cli, "permanent (cleared by the ECU after a drive cycle)", "永久（需行驶循环后由控制单元清除）"));
        for (size_t i = 0; i < after->necus; i++) {
            int sup, inc;
            if (!after->ecus[i].has_readiness)
                continue;
            obd_readiness_counts(&after->ecus[i].readiness, &sup, &inc);
            if (!sup)
                continue; /* an ECU without emission monitors (a TCM) */
            printf("ECU %X %s: %d/%d %s\n", (unsigned)after->ecus[i].addr, T(cli, "readiness", "就绪监测"), inc, sup,
                   T(cli, "monitors incomplete", "项未完成"));
        }
    }
out:
    free(json);
    dtcdb_close(db);
    free(before);
    free(after);
    obd_link_close(l);
    return ex;
}
