/*
 * obdgw qc RO [--json] [--sign INSPECTOR] — the final inspection (质检): the
 * RO's latest pre-repair scan against its latest post-repair (or QC) scan,
 * per ECU, with a verdict and its reasons (src/qc.c). --sign freezes the
 * evidence: the QC report (JSON + HTML) and their SHA-256 go into the store,
 * verifiable later with `obdgw qc RO --verify`.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "obdgw/qc.h"
#include "obdgw/report.h"
#include "obdgw/store.h"
#include "obdgw/store_history.h"

static void print_result(cli_t *cli, const char *ro, const qc_result_t *r, int64_t pre_id, int64_t post_id)
{
    printf("%s %s · %s #%lld %s #%lld\n", T(cli, "QC of RO", "工单质检"), ro, T(cli, "pre-repair scan", "维修前扫描"),
           (long long)pre_id, T(cli, "vs post-repair scan", "对比维修后扫描"), (long long)post_id);
    printf("\n%s: %s\n\n", T(cli, "Verdict", "结论"), qc_verdict_name(r->verdict, cli->lang));
    for (size_t i = 0; i < r->nreasons; i++) {
        const qc_reason_t *q = &r->reasons[i];
        const char *mark = q->severity == QC_SEV_FAIL ? "✗" : q->severity == QC_SEV_DRIVE_CYCLE ? "…" : "✓";
        printf("  %s %s\n", mark, cli->lang == OBD_LANG_ZH ? q->zh : q->en);
    }
    printf("\n%s: %d %s, %d %s, %d %s, %d %s, %d %s\n", T(cli, "Counts", "统计"), r->resolved,
           T(cli, "resolved", "已消除"), r->persisting, T(cli, "persisting", "仍存在"), r->new_after,
           T(cli, "new", "新出现"), r->permanent_after, T(cli, "permanent", "永久"), r->monitors_incomplete,
           T(cli, "monitors incomplete", "项监测未完成"));
    if (r->uds.present)
        printf("UDS: %d %s, %d %s, %d %s, %d %s\n", r->uds.resolved, T(cli, "resolved", "已消除"), r->uds.persisting,
               T(cli, "persisting", "仍存在"), r->uds.new_after, T(cli, "new", "新出现"), r->uds.needs_auth,
               T(cli, "module(s) need OEM authorisation", "个控制单元需主机厂授权"));
}

int cmd_qc(cli_t *cli, int argc, char **argv)
{
    const char *ro = NULL, *sign = NULL, *check = NULL;
    bool verify = false, ended = false;
    for (int i = 1; i < argc; i++) {
        if (!ended && !strcmp(argv[i], "--")) { /* end of options: an RO named like one ("-o") */
            ended = true;
            continue;
        }
        if (ended) {
            if (ro) {
                cli_err(cli, "qc: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
                return EXIT_USAGE;
            }
            ro = argv[i];
            continue;
        }
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--sign") && i + 1 < argc) {
            sign = argv[++i];
        } else if (!strcmp(argv[i], "--check") && i + 1 < argc) {
            check = argv[++i];
        } else if (!strcmp(argv[i], "--verify")) {
            verify = true;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw qc [--json] [--sign INSPECTOR | --verify] [--store FILE] [--] RO\n"
                   "       obdgw qc --check lead --sign TEAM_LEAD [--] RO\n"
                   "  %s\n  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "--check lead: the team lead's check of the post-repair (or self-check) scan, before the final QC.",
                     "--check lead：总检前由班组长检验维修后（或自检）扫描。"),
                   T(cli, "Verdicts: PASS, FAIL, PASS-PENDING-DRIVE-CYCLE (permanent DTCs or monitors still to run).",
                     "结论：合格、不合格、待行驶循环确认（永久故障码未消除或监测未完成）。"));
            return EXIT_OK;
        } else if (argv[i][0] != '-' && !ro) {
            ro = argv[i];
        } else {
            cli_err(cli, "qc: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!ro) {
        cli_err(cli, "qc: %s", T(cli, "give the RO number", "请给出工单号"));
        return EXIT_USAGE;
    }
    if (check && (strcmp(check, "lead") || !sign || !*sign || verify)) {
        cli_err(cli, "qc: %s", T(cli, "--check takes 'lead' and needs --sign NAME", "--check 仅支持 lead，且需 --sign 姓名"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "qc");
    if (!st)
        return EXIT_FAIL;
    int ex = EXIT_FAIL;
    obd_scan_t *pre = calloc(1, sizeof *pre), *post = calloc(1, sizeof *post);
    qc_result_t *res = calloc(1, sizeof *res);
    dtcdb_t *db = NULL;
    dtcdb_open(&db, NULL, NULL);
    store_wo_t wo;
    int rc;
    if (!pre || !post || !res)
        goto out;
    if ((rc = store_wo_get(st, ro, &wo))) {
        cli_store_fail(cli, st, "qc", rc);
        ex = rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
        goto out;
    }
    if (verify) {
        char hex[65] = "";
        rc = store_qc_verify(st, ro, hex);
        if (rc) {
            cli_store_fail(cli, st, "qc --verify", rc);
            ex = rc == OBD_EBADDATA ? EXIT_DATA : rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
        } else {
            printf("%s %s: SHA-256 %s\n", T(cli, "QC sign-off intact for RO", "质检签字证据完整，工单"), ro, hex);
            ex = EXIT_OK;
        }
        goto out;
    }
    static const store_stage_t pre_stages[] = { STORE_STAGE_RECEPTION };
    static const store_stage_t post_stages[] = { STORE_STAGE_POST, STORE_STAGE_QC, STORE_STAGE_SELFCHECK };
    int64_t pre_id = 0, post_id = 0;
    /* the team lead checks the technician's self-check or post-repair scan; the final QC a post/QC scan */
    if ((rc = store_scan_latest(st, ro, post_stages, check ? 3 : 2, &post_id))) {
        if (rc == OBD_ENOTFOUND)
            cli_err(cli, "qc: %s %s %s", T(cli, "RO", "工单"), ro,
                    T(cli, "has no post-repair scan yet: run obdgw scan --ro RO --stage post",
                      "还没有维修后扫描：请运行 obdgw scan --ro 工单号 --stage post"));
        else
            cli_store_fail(cli, st, "qc", rc);
        ex = rc == OBD_ENOTFOUND ? EXIT_REFUSED : EXIT_FAIL;
        goto out;
    }
    bool has_pre = store_scan_latest(st, ro, pre_stages, 1, &pre_id) == OBD_OK;
    if ((has_pre && (rc = store_scan_load(st, pre_id, pre, NULL))) || (rc = store_scan_load(st, post_id, post, NULL))) {
        cli_store_fail(cli, st, "qc", rc);
        goto out;
    }
    if ((rc = qc_compare(has_pre ? pre : NULL, post, db, res))) {
        cli_err(cli, "qc: %s", obd_strerror(rc));
        goto out;
    }
    if ((rc = report_qc_add_uds(st, ro, res))) { /* the RO's UDS scans, when there are any */
        cli_store_fail(cli, st, "qc", rc);
        goto out;
    }
    if (check) { /* the team lead's check: recorded, nothing frozen (the final QC freezes both) */
        if ((rc = store_lead_check(st, ro, sign, post_id, qc_verdict_key(res->verdict)))) {
            cli_store_fail(cli, st, "qc --check lead", rc);
            ex = rc == OBD_ESTATE ? EXIT_REFUSED : EXIT_FAIL;
            goto out;
        }
        if (!cli->json)
            printf("%s %s · %s #%lld\n\n", T(cli, "Team lead's check by", "班组长检验："), sign,
                   T(cli, "scan", "扫描"), (long long)post_id);
    } else if (sign) {
        /* The documents frozen are the QC report as it reads at signing:
         * inspector and time included, the hash itself necessarily not. */
        report_t *rep = calloc(1, sizeof *rep);
        char *json = NULL, *html = NULL;
        char hex[65] = "";
        rc = rep ? report_load_ro(st, ro, REPORT_QC, cli->lang, db, rep) : -12;
        if (!rc) {
            report_set_signoff(rep, cli_actor(sign), (int64_t)time(NULL) * 1000, "", false);
            json = report_json_text(rep);
            html = report_html_text(rep);
            rc = json && html ? OBD_OK : -12;
        }
        if (!rc)
            rc = store_qc_sign(st, ro, cli_actor(sign), qc_verdict_key(res->verdict), json, html, hex);
        free(json);
        free(html);
        if (rep) {
            report_free(rep);
            free(rep);
        }
        if (rc) {
            cli_store_fail(cli, st, "qc --sign", rc);
            goto out;
        }
        if (!cli->json)
            printf("%s %s · SHA-256 %s\n\n", T(cli, "Signed off by", "质检员签字："), sign, hex);
    }
    if (cli->json) {
        cJSON *j = qc_json(res, cli->lang);
        if (j) {
            cJSON_AddStringToObject(j, "ro", ro);
            cJSON_AddNumberToObject(j, "pre_scan", (double)pre_id);
            cJSON_AddNumberToObject(j, "post_scan", (double)post_id);
            store_lead_check_t lc;
            if (store_lead_check_get(st, ro, &lc) == OBD_OK && lc.present) {
                cJSON *l = cJSON_AddObjectToObject(j, "lead_check");
                cJSON_AddStringToObject(l, "who", lc.who);
                cJSON_AddNumberToObject(l, "checked_ms", (double)lc.checked_ms);
                cJSON_AddNumberToObject(l, "scan", (double)lc.scan_id);
            }
            char insp[48] = "";
            int64_t sms = 0;
            if (store_qc_get(st, ro, insp, &sms, NULL, NULL) == OBD_OK) {
                cJSON *f = cJSON_AddObjectToObject(j, "final_signoff");
                cJSON_AddStringToObject(f, "inspector", insp);
                cJSON_AddNumberToObject(f, "signed_ms", (double)sms);
            }
            cli_json_print(j);
        }
    } else {
        print_result(cli, ro, res, pre_id, post_id);
    }
    /* The verdict is the answer, not an error: scripts read it from JSON. */
    ex = EXIT_OK;
out:
    dtcdb_close(db);
    free(pre);
    free(post);
    free(res);
    store_close(st);
    return ex;
}
