/*
 * obdgw report RO|SCAN [--kind diagnostic|qc] [--format html|pdf|json]
 *                      [-o FILE] [--shop NAME] [--lang en|zh]
 *
 * The diagnostic report (advisor's quote, customer copy) or the QC evidence
 * report of a repair order, or the report of one scan (`--scan ID`, or a
 * number that is not an RO). HTML is one self-contained file; PDF is A4.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/report.h"
#include "obdgw/store.h"

/* fontconfig (under pango) keeps its font cache for the life of the process;
 * that is not a leak of ours. Read by LeakSanitizer in the SANITIZE=1 build
 * only (obdgwd runs `obdgw report --format pdf` for its PDFs: a leak report
 * would turn a good PDF into a failed exit status). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

int cmd_report(cli_t *cli, int argc, char **argv)
{
    const char *target = NULL, *out = NULL, *format = NULL, *shop = NULL;
    long long scan_id = 0;
    report_kind_t kind = REPORT_DIAGNOSTIC;
    bool ended = false;
    for (int i = 1; i < argc; i++) {
        if (!ended && !strcmp(argv[i], "--")) { /* end of options: an RO named like one ("-o") */
            ended = true;
            continue;
        }
        if (ended) {
            if (target) {
                cli_err(cli, "report: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
                return EXIT_USAGE;
            }
            target = argv[i];
            continue;
        }
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        bool has = i + 1 < argc;
        if (!strcmp(argv[i], "--kind") && has) {
            int k = report_kind_parse(argv[++i]);
            if (k < 0) {
                cli_err(cli, "report: %s '%s' (diagnostic, qc)", T(cli, "unknown kind", "未知报告类型"), argv[i]);
                return EXIT_USAGE;
            }
            kind = (report_kind_t)k;
        } else if (!strcmp(argv[i], "--format") && has) {
            format = argv[++i];
        } else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && has) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--shop") && has) {
            shop = argv[++i];
        } else if (!strcmp(argv[i], "--scan") && has) {
            char *end;
            scan_id = strtoll(argv[++i], &end, 10);
            if (*end || scan_id <= 0) {
                cli_err(cli, "report: --scan %s", T(cli, "needs a scan number", "需要扫描编号"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fprintf(CLI_OUT(cli), "%s: obdgw report [--kind diagnostic|qc] [--format html|pdf|json] [-o FILE] [--shop NAME] [--] RO\n"
                   "       obdgw report --scan ID [--format html|pdf|json] [-o FILE]\n"
                   "  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "Language from --lang. Without -o, html and json go to stdout; pdf needs -o.",
                     "语言由 --lang 决定。未给 -o 时 html 和 json 输出到标准输出；pdf 必须给 -o。"));
            return EXIT_OK;
        } else if (argv[i][0] != '-' && !target) {
            target = argv[i];
        } else {
            cli_err(cli, "report: %s '%s'", T(cli, "unknown argument", "未知参数"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!format)
        format = cli->json ? "json" : out && strstr(out, ".pdf") ? "pdf" : out && strstr(out, ".json") ? "json" : "html";
    if (strcmp(format, "html") && strcmp(format, "pdf") && strcmp(format, "json")) {
        cli_err(cli, "report: --format %s '%s'", T(cli, "takes html, pdf or json, not", "只能是 html、pdf 或 json，不是"),
                format);
        return EXIT_USAGE;
    }
    if (!target == !scan_id) {
        cli_err(cli, "report: %s", T(cli, "give an RO number or --scan ID", "请给出工单号或 --scan 扫描编号"));
        return EXIT_USAGE;
    }
    if (!strcmp(format, "pdf") && !out) {
        cli_err(cli, "report: %s", T(cli, "a PDF needs -o FILE", "PDF 报告需要 -o 文件名"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "report");
    if (!st)
        return EXIT_FAIL;
    dtcdb_t *db = NULL;
    dtcdb_open(&db, NULL, NULL);
    report_t *rep = calloc(1, sizeof *rep);
    int ex = EXIT_FAIL, rc = -12;
    if (!rep)
        goto done;
    if (target) {
        /* An RO number first; a number that is no RO is taken as a scan. */
        store_wo_t wo;
        char *end;
        long long n = strtoll(target, &end, 10);
        if (store_wo_get(st, target, &wo) != OBD_OK && !*end && n > 0)
            scan_id = n;
    }
    rc = scan_id ? report_load_scan(st, (int64_t)scan_id, cli->lang, db, rep)
                 : report_load_ro(st, target, kind, cli->lang, db, rep);
    if (rc) {
        cli_store_fail(cli, st, "report", rc);
        ex = rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
        goto done;
    }
    if (shop)
        report_set_shop(rep, shop, "");
    if (!strcmp(format, "pdf")) {
        rc = report_render_pdf(rep, out);
    } else {
        FILE *f = out ? fopen(out, "w") : CLI_OUT(cli);
        if (!f) {
            cli_err(cli, "report: %s: %s", out, T(cli, "cannot write", "无法写入"));
            goto done;
        }
        if (!strcmp(format, "html")) {
            rc = report_render_html(rep, f);
        } else {
            char *j = report_json_text(rep);
            rc = j && fputs(j, f) >= 0 && fputc('\n', f) != EOF ? OBD_OK : OBD_EIO;
            free(j);
        }
        if (out && fclose(f) != 0 && !rc)
            rc = OBD_EIO;
    }
    if (rc) {
        cli_err(cli, "report: %s %s: %s", T(cli, "could not write", "无法生成"), out ? out : "stdout", obd_strerror(rc));
        goto done;
    }
    if (out)
        fprintf(CLI_ERR(cli), "%s: %s\n", T(cli, "report written", "报告已生成"), out);
    ex = EXIT_OK;
done:
    if (rep) {
        report_free(rep);
        free(rep);
    }
    dtcdb_close(db);
    store_close(st);
    return ex;
}
