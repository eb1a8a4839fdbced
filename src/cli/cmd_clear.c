/*
 * obdgw clear --adapter DEV --ro RO [--tech NAME] [--reason TEXT] [--yes]
 *             [--force] [--save FILE] [--json]
 *
 * Clearing destroys evidence (DTCs, freeze frames, Mode 06, readiness), so:
 *   1. refuse unless the RO is open and has a pre-repair scan with a freeze
 *      frame (the store decides: store_clear_allowed);
 *   2. refuse while the engine turns (RPM > 0) unless --force;
 *   3. capture a full scan and save it in the store (and to FILE with
 *      --save, written durably) before anything is cleared;
 *   4. ask for confirmation (or --yes);
 *   5. clear (service 04 to every ECU), report any ECU that refused;
 *   6. record the clear in the audit log (who, RO, reason, which ECUs, the
 *      pre-clear scan), scan again, save that and show what remains.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "obdgw/session.h"
#include "obdgw/store.h"
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
    const char *save = NULL, *ro = NULL, *tech = NULL, *reason = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_link_opt(cli, &la, argc, argv, &i);
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
        } else if (!strcmp(argv[i], "--ro") && i + 1 < argc) {
            ro = argv[++i];
        } else if ((!strcmp(argv[i], "--tech") || !strcmp(argv[i], "--by")) && i + 1 < argc) {
            tech = argv[++i];
        } else if (!strcmp(argv[i], "--reason") && i + 1 < argc) {
            reason = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw clear --adapter DEV --ro RO [--tech NAME] [--reason TEXT] [--yes] [--force]\n"
                   "                   [--save FILE] [--store FILE] [--json]\n"
                   "  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "Needs an open RO with a pre-repair scan that has a freeze frame.",
                     "需要进行中的工单，且该工单已有带冻结帧的维修前扫描。"));
            return EXIT_OK;
        } else {
            cli_err(cli, "clear: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!ro) {
        cli_err(cli, "clear: %s", T(cli, "give --ro RO: clearing is only done on an open repair order",
                                    "请用 --ro 指定工单：只能在进行中的工单上清码"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "clear");
    if (!st)
        return EXIT_FAIL;
    int grc = store_clear_allowed(st, ro);
    if (grc) {
        cli_store_fail(cli, st, "clear", grc);
        cli_err(cli, "clear: %s", T(cli, "nothing cleared", "未清除任何内容"));
        store_close(st);
        return grc == OBD_ESTATE ? EXIT_REFUSED : grc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
    }
    obd_link_t *l = cli_link_open(cli, &la, "clear");
    if (!l) {
        store_close(st);
        return EXIT_FAIL;
    }
    int ex = EXIT_FAIL;
    store_scan_meta_t bm, am;
    memset(&bm, 0, sizeof bm);
    memset(&am, 0, sizeof am);
    obd_scan_t *before = calloc(1, sizeof *before), *after = calloc(1, sizeof *after);
    dtcdb_t *db = NULL;
    dtcdb_open(&db, NULL, NULL);
    char path[512] = "";
    char *json = NULL;
    if (!before || !after)
        goto out;

    double rpm = obd_engine_rpm(l);
    if (rpm > 0 && !force) {
        cli_err(cli, "clear: %s (%.0f rpm). %s", T(cli, "the engine is running", "发动机正在运转"), rpm,
                T(cli, "Switch the engine off with the ignition on, or use --force.",
                  "请熄火并保持点火开关打开，或使用 --force。"));
        ex = EXIT_REFUSED;
        goto out;
    }
    int rc = obd_scan_run(l, before, NULL, NULL);
    if (rc) {
        cli_link_fail(cli, l, "clear: pre-clear scan failed, nothing cleared", rc);
        goto out;
    }
    /* The evidence first: the pre-clear scan in the store (and a file). */
    snprintf(bm.ro, sizeof bm.ro, "%s", ro);
    bm.stage = STORE_STAGE_DIAGNOSTIC;
    snprintf(bm.technician, sizeof bm.technician, "%s", cli_actor(tech));
    bm.mileage_km = -1;
    snprintf(bm.adapter, sizeof bm.adapter, "%s", la.adapter ? la.adapter : "");
    rc = store_scan_save(st, before, &bm);
    if (rc) {
        cli_store_fail(cli, st, "clear", rc);
        cli_err(cli, "clear: %s", T(cli, "the pre-clear scan could not be saved; nothing cleared",
                                    "清码前扫描无法保存，未清除任何内容"));
        ex = rc == OBD_ESTATE ? EXIT_REFUSED : EXIT_FAIL;
        goto out;
    }
    fprintf(stderr, "%s #%lld (%s %s)\n", T(cli, "pre-clear scan saved as", "清码前扫描已保存为"), (long long)bm.id,
            T(cli, "RO", "工单"), ro);
    if (save) {
        snprintf(path, sizeof path, "%s", save);
        cJSON *bj = obd_scan_json(before, db, cli->lang);
        json = cJSON_Print(bj);
        cJSON_Delete(bj);
        if (!json || write_durable(path, json)) {
            cli_err(cli, "clear: %s %s; %s", T(cli, "cannot save the pre-clear scan to", "无法保存清码前扫描到"), path,
                    T(cli, "nothing cleared", "未清除任何内容"));
            goto out;
        }
        fprintf(stderr, "%s: %s\n", T(cli, "pre-clear scan also written to", "清码前扫描另存至"), path);
    }
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
    int64_t clear_id = 0;
    rc = store_clear_record(st, ro, cli_actor(tech), reason ? reason : "repair done", bm.id, cr.acked_by, cr.acked,
                            &clear_id);
    if (rc) {
        cli_store_fail(cli, st, "clear", rc);
        cli_err(cli, "clear: %s", T(cli, "codes WERE cleared, but the audit entry could not be written",
                                    "故障码已清除，但审计记录写入失败"));
        goto out;
    }
    rc = obd_scan_run(l, after, NULL, NULL);
    if (rc) {
        cli_link_fail(cli, l, "clear: cleared, but the re-scan failed", rc);
        goto out;
    }
    am = bm;
    am.id = 0;
    am.started_ms = 0;
    rc = store_scan_save(st, after, &am);
    if (rc)
        cli_store_fail(cli, st, "clear: after-clear scan not saved", rc);
    ex = rc ? EXIT_FAIL : EXIT_OK;
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddBoolToObject(j, "cleared", true);
        cJSON_AddNumberToObject(j, "ecus_acknowledged", (double)cr.acked);
        cJSON_AddStringToObject(j, "ro", ro);
        cJSON_AddNumberToObject(j, "clear_id", (double)clear_id);
        cJSON_AddNumberToObject(j, "preclear_scan", (double)bm.id);
        if (am.id)
            cJSON_AddNumberToObject(j, "after_scan", (double)am.id);
        if (save)
            cJSON_AddStringToObject(j, "evidence_file", path);
        cJSON_AddItemToObject(j, "before", obd_scan_json(before, db, cli->lang));
        cJSON_AddItemToObject(j, "after", obd_scan_json(after, db, cli->lang));
        cli_json_print(j);
    } else {
        printf("%s (%zu %s) · %s #%lld, %s %s\n", T(cli, "DTCs cleared", "故障码已清除"), cr.acked,
               T(cli, "ECU(s) confirmed", "个控制单元确认"), T(cli, "recorded as clear", "清码记录"), (long long)clear_id,
               T(cli, "RO", "工单"), ro);
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
    store_close(st);
    return ex;
}
