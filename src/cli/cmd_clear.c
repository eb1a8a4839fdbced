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
 *
 * obdgw clear --uds [--module TX] ... takes the same path for UDS modules:
 * the RO needs a pre-repair UDS scan in which a module answered
 * (store_uds_clear_allowed); the engine must be off; the modules that
 * answered that scan are scanned again and the pre-clear UDS scan is saved;
 * then $14 FFFFFF goes to each module that answered (or only TX), and what
 * every module said (cleared, conditions not correct, needs OEM
 * authorisation, no answer ...) is recorded with the audit entry, even when
 * some refused; a post-clear UDS scan is saved last.
 *
 * With --bay N (cmd_status.c) obdgwd runs the same steps on bay N's adapter
 * (src/daemon/bay.c); --yes is required there, as no one is at a prompt.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "obdgw/session.h"
#include "obdgw/store.h"
#include "obdgw/store_uds.h"
#include "obdgw/uds.h"
#include "obdgw/uds_scan.h"

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

/* ---------------- the UDS clear ---------------- */

typedef struct {
    const char *ro, *tech, *reason, *save;
    bool yes, force;
    uint32_t module; /* 0: every module that answered */
} uds_clear_args_t;

static bool confirm_uds(cli_t *cli, const uds_scan_t *s, uint32_t module)
{
    size_t nmod = 0, ndtc = 0;
    for (size_t i = 0; i < s->nmodules; i++) {
        const uds_module_t *m = &s->modules[i];
        if (!m->answered || (module && m->tx_id != module))
            continue;
        nmod++;
        ndtc += m->ndtcs;
    }
    fprintf(stderr, "%s %zu %s %zu %s. %s ",
            T(cli, "This clears (UDS $14) the DTCs, snapshots and extended data of", "将通过 UDS $14 清除"), nmod,
            T(cli, "module(s), which hold", "个控制单元的故障码、快照和扩展数据，现有"), ndtc,
            T(cli, "DTC(s)", "个故障码"), T(cli, "Type 'yes' to clear:", "输入 yes 确认清除："));
    char line[32] = "";
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = 0;
    return !strcmp(line, "yes") || !strcmp(line, "YES") || !strcmp(line, "是");
}

/* Probe exactly the modules that answered the RO's pre-repair UDS scans
 * (the gate guarantees one with an answer): fast, and the same modules. */
static int clear_pairs(cli_t *cli, store_t *st, const char *ro, obd_target_t *pairs, size_t cap, size_t *n)
{
    int rc = store_uds_pre_pairs(st, ro, pairs, cap, n);
    if (rc)
        cli_store_fail(cli, st, "clear", rc);
    return rc;
}

static int save_uds_scan(cli_t *cli, store_t *st, const uds_scan_t *s, const uds_clear_args_t *a, const char *adapter,
                         store_uds_meta_t *m)
{
    memset(m, 0, sizeof *m);
    snprintf(m->ro, sizeof m->ro, "%s", a->ro);
    m->stage = STORE_STAGE_DIAGNOSTIC;
    snprintf(m->technician, sizeof m->technician, "%s", cli_actor(a->tech));
    snprintf(m->adapter, sizeof m->adapter, "%s", adapter ? adapter : "");
    int rc = store_uds_save(st, s, m);
    if (rc)
        cli_store_fail(cli, st, "clear", rc);
    return rc;
}

static int clear_uds(cli_t *cli, store_t *st, cli_link_args_t *la, const uds_clear_args_t *a)
{
    static obd_target_t pairs[UDS_SCAN_MAX_MODULES];
    size_t np;
    if (clear_pairs(cli, st, a->ro, pairs, UDS_SCAN_MAX_MODULES, &np))
        return EXIT_FAIL;
    obd_link_t *l = cli_link_open(cli, la, "clear");
    if (!l)
        return EXIT_FAIL;
    int ex = EXIT_FAIL, rc;
    uds_scan_t *before = calloc(1, sizeof *before), *after = calloc(1, sizeof *after);
    uds_clear_result_t *res = calloc(1, sizeof *res);
    char *json = NULL;
    store_uds_meta_t bm, am;
    memset(&am, 0, sizeof am);
    if (!before || !after || !res)
        goto out;
    double rpm = obd_engine_rpm(l);
    if (rpm > 0 && !a->force) {
        cli_err(cli, "clear: %s (%.0f rpm). %s", T(cli, "the engine is running", "发动机正在运转"), rpm,
                T(cli, "Switch the engine off with the ignition on, or use --force.",
                  "请熄火并保持点火开关打开，或使用 --force。"));
        ex = EXIT_REFUSED;
        goto out;
    }
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    o.range11 = false;
    o.range29 = false;
    o.pairs = pairs;
    o.npairs = np;
    o.read_snapshots = o.read_extdata = true; /* the evidence a clear destroys */
    if ((rc = uds_scan_run(l, &o, before, NULL, NULL))) {
        cli_link_fail(cli, l, "clear: pre-clear UDS scan failed, nothing cleared", rc);
        goto out;
    }
    if ((rc = save_uds_scan(cli, st, before, a, la->adapter, &bm))) {
        cli_err(cli, "clear: %s", T(cli, "the pre-clear UDS scan could not be saved; nothing cleared",
                                    "清码前 UDS 扫描无法保存，未清除任何内容"));
        ex = rc == OBD_ESTATE ? EXIT_REFUSED : EXIT_FAIL; /* e.g. the modules report another VIN */
        goto out;
    }
    fprintf(stderr, "%s #%lld (%s %s)\n", T(cli, "pre-clear UDS scan saved as", "清码前 UDS 扫描已保存为"),
            (long long)bm.id, T(cli, "RO", "工单"), a->ro);
    if (a->save) {
        cJSON *bj = uds_scan_json(before, cli->lang);
        json = cJSON_Print(bj);
        cJSON_Delete(bj);
        if (!json || write_durable(a->save, json)) {
            cli_err(cli, "clear: %s %s; %s", T(cli, "cannot save the pre-clear scan to", "无法保存清码前扫描到"),
                    a->save, T(cli, "nothing cleared", "未清除任何内容"));
            goto out;
        }
    }
    bool any = false;
    for (size_t i = 0; i < before->nmodules && !any; i++)
        any = before->modules[i].answered && (!a->module || before->modules[i].tx_id == a->module);
    if (!any) {
        if (a->module)
            cli_err(cli, "clear: %s %X %s", T(cli, "module", "控制单元"), (unsigned)a->module,
                    T(cli, "did not answer the pre-clear scan; nothing cleared", "未应答清码前扫描，未清除任何内容"));
        else
            cli_err(cli, "clear: %s", T(cli, "no module answered the pre-clear scan; nothing cleared",
                                        "清码前扫描无控制单元应答，未清除任何内容"));
        ex = a->module ? EXIT_NOTFOUND : EXIT_FAIL;
        goto out;
    }
    if (!a->yes && !confirm_uds(cli, before, a->module)) {
        cli_err(cli, "clear: %s", T(cli, "not confirmed; nothing cleared", "未确认，未清除任何内容"));
        goto out;
    }
    int crc = uds_clear_modules(l, before, a->module, res);
    int64_t clear_id = 0;
    /* Whatever happened on the bus is recorded, even a partial run. */
    if (res->n) {
        rc = store_uds_clear_record(st, a->ro, cli_actor(a->tech), a->reason ? a->reason : "repair done", bm.id, res,
                                    &clear_id);
        if (rc) {
            cli_store_fail(cli, st, "clear", rc);
            cli_err(cli, "clear: %s", T(cli, "modules WERE asked to clear, but the audit entry could not be written",
                                        "已向控制单元发送清码请求，但审计记录写入失败"));
            goto out;
        }
    }
    if (crc) {
        cli_link_fail(cli, l, "clear", crc);
        goto out;
    }
    if ((rc = uds_scan_run(l, &o, after, NULL, NULL))) {
        cli_link_fail(cli, l, "clear: the post-clear UDS scan failed", rc);
        goto out;
    }
    rc = save_uds_scan(cli, st, after, a, la->adapter, &am);
    /* Success when every module asked either cleared or does not offer $14
     * at all (an OBD-only ECU: Mode 04 is its clear); a refusal or silence
     * is a failure, already recorded. */
    size_t failed = uds_clear_failed(res);
    ex = rc || failed ? EXIT_FAIL : EXIT_OK;
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddBoolToObject(j, "cleared", failed == 0);
        cJSON_AddStringToObject(j, "kind", "uds");
        cJSON_AddStringToObject(j, "ro", a->ro);
        cJSON_AddNumberToObject(j, "clear_id", (double)clear_id);
        cJSON_AddNumberToObject(j, "preclear_uds_scan", (double)bm.id);
        if (am.id)
            cJSON_AddNumberToObject(j, "after_uds_scan", (double)am.id);
        cJSON_AddItemToObject(j, "modules", uds_clear_modules_json(res, cli->lang));
        cJSON_AddItemToObject(j, "after", uds_scan_json(after, cli->lang));
        cli_json_print(j);
    } else {
        printf("%s: %zu / %zu %s · %s #%lld, %s %s\n", T(cli, "UDS clear", "UDS 清码"), res->ncleared, res->n,
               T(cli, "module(s) cleared", "个控制单元已清除"), T(cli, "recorded as clear", "清码记录"),
               (long long)clear_id, T(cli, "RO", "工单"), a->ro);
        for (size_t i = 0; i < res->n; i++) {
            const uds_clear_mod_t *m = &res->m[i];
            const char *name = uds_module_name(uds_module_key(m->tx_id, m->rx_id), cli->lang);
            printf("  %X/%X  %s%s%s", (unsigned)m->tx_id, (unsigned)m->rx_id, name ? name : "", name ? " · " : "",
                   uds_clear_outcome_name(m->outcome, cli->lang));
            if (m->nrc)
                printf(" (NRC %02X %s)", m->nrc, uds_nrc_key(m->nrc));
            printf("\n");
        }
        printf("%s: %zu %s\n", T(cli, "After the clear", "清码后"), uds_scan_count_open(after),
               T(cli, "DTC(s) failed, pending or confirmed", "个故障码仍为失败、待定或已确认"));
    }
out:
    free(json);
    free(before);
    free(after);
    free(res);
    obd_link_close(l);
    return ex;
}

int cmd_clear(cli_t *cli, int argc, char **argv)
{
    cli_link_args_t la = { 0 };
    bool yes = false, force = false, uds = false;
    uint32_t module = 0;
    const char *save = NULL, *ro = NULL, *tech = NULL, *reason = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_link_opt(cli, &la, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--yes") || !strcmp(argv[i], "-y")) {
            yes = true;
        } else if (!strcmp(argv[i], "--uds")) {
            uds = true;
        } else if (!strcmp(argv[i], "--module") && i + 1 < argc) {
            char *end;
            unsigned long tx = strtoul(argv[++i], &end, 16);
            if (*end || !tx || tx > 0x1FFFFFFF) {
                cli_err(cli, "clear: --module '%s': %s", argv[i],
                        T(cli, "expected the module's request id in hex (713, 0x18DA10F1)",
                          "应为控制单元请求 ID（十六进制，如 713、0x18DA10F1）"));
                return EXIT_USAGE;
            }
            module = (uint32_t)tx;
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
            printf("%s: obdgw clear --adapter DEV --ro RO [--uds [--module TX]] [--tech NAME] [--reason TEXT]\n"
                   "                   [--yes] [--force] [--save FILE] [--store FILE] [--json]\n"
                   "       obdgw clear --bay N --ro RO [--uds [--module TX]] --yes [--tech NAME] [--reason TEXT]\n"
                   "  %s\n  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "Needs an open RO with a pre-repair scan that has a freeze frame.",
                     "需要进行中的工单，且该工单已有带冻结帧的维修前扫描。"),
                   T(cli, "--uds: UDS $14 to the modules instead; needs a pre-repair UDS scan (uds-scan --stage pre).",
                     "--uds：改为向各控制单元发送 UDS $14；需要维修前 UDS 扫描（uds-scan --stage pre）。"));
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
    if (module && !uds) {
        cli_err(cli, "clear: %s", T(cli, "--module goes with --uds", "--module 需与 --uds 同用"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "clear");
    if (!st)
        return EXIT_FAIL;
    int grc = uds ? store_uds_clear_allowed(st, ro) : store_clear_allowed(st, ro);
    if (grc) {
        cli_store_fail(cli, st, "clear", grc);
        cli_err(cli, "clear: %s", T(cli, "nothing cleared", "未清除任何内容"));
        store_close(st);
        return grc == OBD_ESTATE ? EXIT_REFUSED : grc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
    }
    if (uds) {
        uds_clear_args_t ua = { ro, tech, reason, save, yes, force, module };
        int ux = clear_uds(cli, st, &la, &ua);
        store_close(st);
        return ux;
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
