/*
 * obdgw dms pending [--json]       what the DMS was not told: announcements
 *                                  (scans, findings, QC, reports) whose
 *                                  outbox enqueue was refused, kept pending
 * obdgw dms resend ID|--all [--by NAME]
 *                                  queue them again now (audited)
 * On the store (--store) or, with --daemon, on obdgwd's store with its
 * outbox limits. obdgwd queues pending messages by itself once the outbox
 * has room; resend is for a message refused as too large (stuck) or for a
 * store the daemon does not run on. docs/outbox.md, "Pending".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "obdgw/outbox.h"
#include "obdgw/store.h"

/* T() for a format string: both literals stay visible to -Wformat */
#define TF(cli, en, zh) ((cli)->lang == OBD_LANG_ZH ? (zh) : (en))

static void fmt_time(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm);
}

typedef struct {
    cli_t *cli;
    cJSON *arr;
} list_ctx_t;

static int list_one(void *ctx, const outbox_pending_t *p)
{
    list_ctx_t *c = ctx;
    if (c->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)p->id);
        cJSON_AddStringToObject(o, "msg_id", p->msg_id);
        cJSON_AddStringToObject(o, "kind", p->kind);
        cJSON_AddNumberToObject(o, "scan_id", (double)p->scan_id);
        cJSON_AddStringToObject(o, "ro", p->ro);
        cJSON_AddStringToObject(o, "vin", p->vin);
        cJSON_AddNumberToObject(o, "created_ms", (double)p->created_ms);
        cJSON_AddStringToObject(o, "why", p->why);
        cJSON_AddBoolToObject(o, "stuck", p->stuck);
        cJSON_AddNumberToObject(o, "attempts", p->attempts);
        cJSON_AddNumberToObject(o, "bytes", (double)p->len);
        cJSON_AddItemToArray(c->arr, o);
        return 0;
    }
    char t[32], scan[32] = "-";
    fmt_time(p->created_ms, t, sizeof t);
    if (p->scan_id)
        snprintf(scan, sizeof scan, "#%lld", (long long)p->scan_id);
    FILE *f = CLI_OUT(c->cli);
    fprintf(f, "%-5lld %s  %s %s  %s %s  RO %s  VIN %s\n", (long long)p->id, t, PAD(p->kind, 8),
            T(c->cli, "scan", "扫描"), PAD(scan, 7), p->msg_id, p->ro[0] ? p->ro : "-", p->vin[0] ? p->vin : "-");
    fprintf(f, "      %s: %s%s\n", T(c->cli, "why", "原因"), p->why,
            p->stuck ? T(c->cli, " (too large: only 'obdgw dms resend ID' tries again)",
                         "（消息过大：只有 'obdgw dms resend ID' 会重试）")
                     : "");
    return 0;
}

static int dms_pending(cli_t *cli, store_t *st)
{
    int64_t n = 0, stuck = 0;
    int rc = outbox_pending_count(st, &n, &stuck);
    if (rc) {
        cli_store_fail(cli, st, "dms pending", rc);
        return EXIT_FAIL;
    }
    list_ctx_t c = { cli, NULL };
    cJSON *j = NULL;
    if (cli->json) {
        j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "pending", (double)n);
        cJSON_AddNumberToObject(j, "stuck", (double)stuck);
        c.arr = cJSON_AddArrayToObject(j, "messages");
    } else if (!n) {
        fprintf(CLI_OUT(cli), "%s\n",
                T(cli, "nothing pending: the DMS has been told of everything stored (or it is in the outbox)",
                  "无待发消息：已保存的内容均已通知 DMS（或已在发件箱中）"));
        return EXIT_OK;
    } else {
        fprintf(CLI_OUT(cli), TF(cli, "%lld message(s) the DMS was NOT told (oldest first):\n",
                                "DMS 尚未收到的消息 %lld 条（最早的在前）：\n"),
                (long long)n);
    }
    rc = outbox_pending_list(st, list_one, &c);
    if (rc < 0) {
        cJSON_Delete(j);
        cli_store_fail(cli, st, "dms pending", rc);
        return EXIT_FAIL;
    }
    if (j)
        cli_json_out(cli, j);
    return EXIT_OK;
}

static int dms_resend(cli_t *cli, store_t *st, int64_t id, const char *by)
{
    outbox_limits_t lim = { cli->outbox_max_messages, cli->outbox_max_bytes };
    outbox_requeue_t q;
    int rc = outbox_pending_requeue(st, id, id ? 1 : 4096, &lim, cli_actor(by), &q);
    if (rc) {
        cli_store_fail(cli, st, "dms resend", rc);
        return rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
    }
    size_t pend = q.refused + q.left; /* of those asked for, still not told */
    if (cli->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "queued", (double)q.queued);
        cJSON_AddNumberToObject(j, "refused", (double)q.refused);
        cJSON_AddNumberToObject(j, "not_tried", (double)q.left);
        cJSON_AddNumberToObject(j, "still_pending", (double)q.remaining);
        if (q.why[0])
            cJSON_AddStringToObject(j, "why", q.why);
        cli_json_out(cli, j);
    } else {
        fprintf(CLI_OUT(cli),
                TF(cli, "dms resend: %zu queued for the DMS, %zu refused again, %zu not tried (outbox full); %lld still pending\n",
                  "dms resend：%zu 条已排队发往 DMS，%zu 条再次被拒绝，%zu 条未尝试（发件箱已满）；仍有 %lld 条待发\n"),
                q.queued, q.refused, q.left, (long long)q.remaining);
        if (q.why[0])
            fprintf(CLI_OUT(cli), "  %s: %s\n", T(cli, "refused", "拒绝原因"), q.why);
    }
    return pend ? EXIT_DMS_NOT_TOLD : EXIT_OK;
}

int cmd_dms(cli_t *cli, int argc, char **argv)
{
    const char *sub = NULL, *by = NULL;
    int64_t id = 0;
    bool all = false, opts_end = false;
    for (int i = 1; i < argc; i++) {
        if (!opts_end) {
            int r = cli_common_opt(cli, argc, argv, &i);
            if (r < 0)
                return EXIT_USAGE;
            if (r)
                continue;
            if (!strcmp(argv[i], "--")) {
                opts_end = true;
                continue;
            }
            if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                fprintf(CLI_OUT(cli), "%s: obdgw dms pending [--json] | obdgw dms resend ID|--all [--by NAME]"
                                      " [--store FILE | --daemon]\n%s\n",
                        T(cli, "usage", "用法"),
                        T(cli, "pending: what the DMS was not told (refused while the outbox was full); resend: queue it now (audited).",
                          "pending：DMS 尚未收到的消息（发件箱满时被拒绝）；resend：立即重新排队（记入审计）。"));
                return EXIT_OK;
            }
            if (!strcmp(argv[i], "--all")) {
                all = true;
                continue;
            }
            if (!strcmp(argv[i], "--by") && i + 1 < argc) {
                by = argv[++i];
                continue;
            }
            if (argv[i][0] == '-') {
                cli_err(cli, "dms: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
                return EXIT_USAGE;
            }
        }
        if (!sub && (!strcmp(argv[i], "pending") || !strcmp(argv[i], "resend"))) {
            sub = argv[i];
        } else if (sub && !strcmp(sub, "resend") && !id) {
            char *end;
            long long v = strtoll(argv[i], &end, 10);
            if (*end || v <= 0) {
                cli_err(cli, "dms resend: '%s' %s", argv[i],
                        T(cli, "is not a pending message id (see obdgw dms pending)", "不是待发消息编号（见 obdgw dms pending）"));
                return EXIT_USAGE;
            }
            id = v;
        } else {
            cli_err(cli, "dms: %s '%s'", T(cli, "unexpected argument", "多余的参数"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!sub) {
        cli_err(cli, "dms: %s", T(cli, "give 'pending' or 'resend ID|--all'", "请给出 pending 或 resend 编号|--all"));
        return EXIT_USAGE;
    }
    bool resend = !strcmp(sub, "resend");
    if (resend && (!id) == !all) {
        cli_err(cli, "dms resend: %s", T(cli, "give one message id or --all", "请给出一个消息编号或 --all"));
        return EXIT_USAGE;
    }
    if (!resend && (id || all || by)) {
        cli_err(cli, "dms pending: %s", T(cli, "takes no id, --all or --by", "不接受编号、--all 或 --by"));
        return EXIT_USAGE;
    }
    store_t *st = cli_store_open(cli, "dms");
    if (!st)
        return EXIT_FAIL;
    int ex = resend ? dms_resend(cli, st, id, by) : dms_pending(cli, st);
    store_close(st);
    return ex;
}
