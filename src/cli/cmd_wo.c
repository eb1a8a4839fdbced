/*
 * obdgw wo add|list|show|close|attach|finding — work orders (repair orders,
 * RO) in the evidence store. The DMS link writes the same table.
 *
 *   wo add RO [--vin VIN] [--plate P] [--mileage KM] [--complaint TEXT]
 *             [--complaint-codes "P0301 ignition"] [--bay B] [--tech NAME]
 *   wo list [--all]
 *   wo show RO
 *   wo close RO
 *   wo attach RO SCAN_ID
 *   wo finding RO CODE approve|decline [--by NAME] [--note TEXT]
 *   wo deliver RO ..., wo class ...   (src/cli/cmd_vehicle.c)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "obdgw/utf8.h"
#include "obdgw/store.h"
#include "obdgw/qc.h"
#include "obdgw/store_uds.h"
#include "obdgw/store_history.h"

static void fmt_time(int64_t ms, char *out, size_t cap)
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

static const char *status_text(const cli_t *cli, store_wo_status_t s)
{
    return s == STORE_WO_OPEN ? T(cli, "open", "进行中") : T(cli, "closed", "已关闭");
}

static cJSON *wo_json(const store_wo_t *w)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ro", w->ro);
    cJSON_AddStringToObject(o, "vin", w->vin);
    cJSON_AddStringToObject(o, "plate", w->plate);
    if (w->mileage_in_km >= 0)
        cJSON_AddNumberToObject(o, "mileage_in_km", w->mileage_in_km);
    cJSON_AddStringToObject(o, "complaint", w->complaint);
    cJSON_AddStringToObject(o, "complaint_codes", w->complaint_codes);
    cJSON_AddStringToObject(o, "bay", w->bay);
    cJSON_AddStringToObject(o, "technician", w->technician);
    cJSON_AddStringToObject(o, "status", w->status == STORE_WO_OPEN ? "open" : "closed");
    cJSON_AddNumberToObject(o, "opened_ms", (double)w->opened_ms);
    if (w->closed_ms)
        cJSON_AddNumberToObject(o, "closed_ms", (double)w->closed_ms);
    cJSON_AddStringToObject(o, "source", w->source);
    /* A row stored before input was validated may hold invalid UTF-8:
     * printed repaired (U+FFFD) and flagged, so the JSON stays valid. */
    if (obd_json_repair_utf8(o->child))
        cJSON_AddBoolToObject(o, "text_repaired", true);
    return o;
}

static int usage(cli_t *cli, FILE *f)
{
    fprintf(f,
            "%s:\n"
            "  obdgw wo add RO [--vin VIN] [--plate P] [--mileage KM] [--complaint TEXT]\n"
            "                  [--complaint-codes \"P0301 ignition\"] [--bay B] [--tech NAME] [--class major|level2|minor]\n"
            "  obdgw wo list [--all] [--json]\n"
            "  obdgw wo show RO [--json]\n"
            "  obdgw wo close RO\n"
            "  obdgw wo attach RO SCAN_ID\n"
            "  obdgw wo finding RO CODE approve|decline [--by NAME] [--note TEXT]\n"
            "  obdgw wo deliver RO [--mileage KM] [--by NAME] [--force --reason TEXT]\n"
            "  obdgw wo class [NAME --days D --km K [--match code|system]] [--json]\n"
            "  %s\n  %s\n",
            T(cli, "usage", "用法"),
            T(cli, "an RO named like an option goes after -- (end of options): obdgw wo show -- -o",
              "名称像选项的工单号写在 --（选项结束）之后：obdgw wo show -- -o"),
            T(cli, "all take --store FILE (default $OBDGW_STORE or ~/.local/share/obdgw/obdgw.db)",
              "均可用 --store 文件 指定数据库（默认 $OBDGW_STORE 或 ~/.local/share/obdgw/obdgw.db）"));
    return f == CLI_OUT(cli) ? EXIT_OK : EXIT_USAGE;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static int wo_add(cli_t *cli, store_t *st, int argc, char **argv)
{
    store_wo_t w;
    memset(&w, 0, sizeof w);
    w.mileage_in_km = -1;
    copy(w.source, sizeof w.source, "cli");
    const char *ro = NULL, *cls = NULL;
    /* Every field is checked as the DMS path checks it (docs/schemas/wo.json:
     * lengths in characters): never cut, least of all inside a character. */
#define TAKE_FIELD(opt, dst, maxc)                                                                      \
    do {                                                                                                \
        const char *v_ = argv[++i];                                                                     \
        obd_text_err_t te_ = obd_text_check(v_, strlen(v_), (maxc), sizeof(dst) - 1);                    \
        if (te_) {                                                                                      \
            cli_err(cli, "wo add: %s %s (%s %d %s)", opt, T(cli, obd_text_err_en(te_), obd_text_err_zh(te_)), \
                    T(cli, "at most", "最多"), (maxc), T(cli, "characters", "个字符"));                      \
            return EXIT_USAGE;                                                                          \
        }                                                                                               \
        copy((dst), sizeof(dst), v_);                                                                   \
    } while (0)
    bool ended = false;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        bool has = i + 1 < argc;
        if (!ended && !strcmp(o, "--")) {
            ended = true;
        } else if (ended) {
            if (ro) {
                cli_err(cli, "wo add: %s '%s'", T(cli, "unexpected argument", "多余的参数"), o);
                return EXIT_USAGE;
            }
            ro = o;
        } else if (!strcmp(o, "--vin") && has)
            TAKE_FIELD("--vin", w.vin, 17);
        else if (!strcmp(o, "--plate") && has)
            TAKE_FIELD("--plate", w.plate, 23);
        else if (!strcmp(o, "--mileage") && has)
            w.mileage_in_km = atoi(argv[++i]);
        else if (!strcmp(o, "--complaint") && has)
            TAKE_FIELD("--complaint", w.complaint, 255);
        else if (!strcmp(o, "--complaint-codes") && has)
            TAKE_FIELD("--complaint-codes", w.complaint_codes, 127);
        else if (!strcmp(o, "--bay") && has)
            TAKE_FIELD("--bay", w.bay, 15);
        else if (!strcmp(o, "--tech") && has)
            TAKE_FIELD("--tech", w.technician, 47);
        else if (!strcmp(o, "--class") && has)
            cls = argv[++i];
        else if (o[0] != '-' && !ro)
            ro = o;
        else {
            cli_err(cli, "wo add: %s '%s'", T(cli, "unknown option", "未知选项"), o);
            return EXIT_USAGE;
        }
    }
#undef TAKE_FIELD
    if (!ro || !*ro || strlen(ro) >= sizeof w.ro || obd_text_check(ro, strlen(ro), 31, sizeof w.ro - 1)) {
        cli_err(cli, "wo add: %s", T(cli, "give the RO number (up to 31 characters, valid UTF-8, no control characters)", "请给出工单号（最多 31 个字符，有效 UTF-8，不含控制字符）"));
        return EXIT_USAGE;
    }
    copy(w.ro, sizeof w.ro, ro);
    store_guarantee_t g;
    if (cls && store_guarantee_get(st, cls, &g)) { /* checked first: a bad class adds nothing */
        cli_err(cli, "wo add: --class %s: %s", cls, T(cli, "no such repair class (obdgw wo class lists them)",
                                                      "没有该维修类别（obdgw wo class 列出全部）"));
        return EXIT_USAGE;
    }
    int rc = store_tx_begin(st);
    if (!rc)
        rc = store_wo_add(st, &w);
    if (!rc && cls)
        rc = store_wo_set_class(st, w.ro, cls, w.technician[0] ? w.technician : "cli");
    if (!rc)
        rc = store_tx_commit(st);
    else
        store_tx_rollback(st);
    if (rc) {
        cli_store_fail(cli, st, "wo add", rc);
        return rc == OBD_EEXIST || rc == OBD_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    }
    if (cli->json)
        cli_json_out(cli, wo_json(&w));
    else
        fprintf(CLI_OUT(cli), "%s %s %s\n", T(cli, "RO", "工单"), w.ro, T(cli, "opened", "已创建"));
    return EXIT_OK;
}

typedef struct {
    cli_t *cli;
    cJSON *arr;
    int n;
} list_ctx_t;

static int list_row(void *ctx, const store_wo_t *w)
{
    list_ctx_t *c = ctx;
    c->n++;
    if (c->arr) {
        cJSON_AddItemToArray(c->arr, wo_json(w));
        return 0;
    }
    char t[32];
    fmt_time(w->opened_ms, t, sizeof t);
    fprintf(CLI_OUT(c->cli), "%s %s %s %s %s  %s\n", PAD(w->ro, 16), PAD(status_text(c->cli, w->status), 8), PAD(t, 17),
           PAD(w->vin[0] ? w->vin : "-", 18), PAD(w->plate[0] ? w->plate : "-", 10), w->complaint);
    return 0;
}

static int wo_list(cli_t *cli, store_t *st, int argc, char **argv)
{
    bool all = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--all"))
            all = true;
        else {
            cli_err(cli, "wo list: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    list_ctx_t c = { cli, cli->json ? cJSON_CreateArray() : NULL, 0 };
    if (!c.arr)
        fprintf(CLI_OUT(cli), "%s %s %s %s %s  %s\n", PAD(T(cli, "RO", "工单号"), 16), PAD(T(cli, "status", "状态"), 8),
               PAD(T(cli, "opened", "开单时间"), 17), PAD("VIN", 18), PAD(T(cli, "plate", "车牌"), 10),
               T(cli, "complaint", "客户描述"));
    int rc = store_wo_list(st, !all, list_row, &c);
    if (rc) {
        cJSON_Delete(c.arr);
        cli_store_fail(cli, st, "wo list", rc);
        return EXIT_FAIL;
    }
    if (c.arr)
        cli_json_out(cli, c.arr);
    return EXIT_OK;
}

typedef struct {
    cli_t *cli;
    cJSON *arr;
    store_t *st; /* recordings: their OEM signal stats */
} show_ctx_t;

static int show_scan(void *ctx, const store_scan_meta_t *m)
{
    show_ctx_t *c = ctx;
    if (c->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)m->id);
        cJSON_AddStringToObject(o, "stage", store_stage_key(m->stage));
        cJSON_AddNumberToObject(o, "started_ms", (double)m->started_ms);
        cJSON_AddStringToObject(o, "technician", m->technician);
        cJSON_AddStringToObject(o, "adapter", m->adapter);
        if (m->mileage_km >= 0)
            cJSON_AddNumberToObject(o, "mileage_km", m->mileage_km);
        cJSON_AddItemToArray(c->arr, o);
        return 0;
    }
    char t[32];
    fmt_time(m->started_ms, t, sizeof t);
    fprintf(CLI_OUT(c->cli), "  #%-5lld %s %s %s %s\n", (long long)m->id, PAD(store_stage_name(m->stage, c->cli->lang), 12), t,
           m->technician, m->adapter);
    return 0;
}

static int show_uds(void *ctx, const store_uds_meta_t *m)
{
    show_ctx_t *c = ctx;
    if (c->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)m->id);
        cJSON_AddStringToObject(o, "stage", store_stage_key(m->stage));
        cJSON_AddNumberToObject(o, "started_ms", (double)m->started_ms);
        cJSON_AddStringToObject(o, "technician", m->technician);
        cJSON_AddStringToObject(o, "adapter", m->adapter);
        cJSON_AddNumberToObject(o, "probed", m->probed);
        cJSON_AddNumberToObject(o, "answered", m->answered);
        cJSON_AddNumberToObject(o, "needs_oem_authorisation", m->needs_auth);
        cJSON_AddNumberToObject(o, "dtcs", m->ndtcs);
        cJSON_AddNumberToObject(o, "confirmed", m->nconfirmed);
        cJSON_AddItemToArray(c->arr, o);
        return 0;
    }
    char t[32];
    fmt_time(m->started_ms, t, sizeof t);
    fprintf(CLI_OUT(c->cli), "  #%-5lld %s %s %s · %d/%d %s, %d %s (%d %s)", (long long)m->id,
           PAD(store_stage_name(m->stage, c->cli->lang), 12), t, m->technician, m->answered, m->probed,
           T(c->cli, "modules answered", "个控制单元有应答"), m->ndtcs, T(c->cli, "DTCs", "个故障码"), m->nconfirmed,
           T(c->cli, "confirmed", "已确认"));
    if (m->needs_auth)
        fprintf(CLI_OUT(c->cli), " · %d %s", m->needs_auth, T(c->cli, "need OEM authorisation (codes NOT read)", "个需主机厂授权（未读取故障码）"));
    fprintf(CLI_OUT(c->cli), "\n");
    return 0;
}

typedef struct {
    show_ctx_t *c;
    store_t *st;
} clear_ctx_t;

static int show_clear(void *ctx, const store_clear_t *k)
{
    clear_ctx_t *cc = ctx;
    show_ctx_t *c = cc->c;
    static uds_clear_result_t res; /* 8 KB; the CLI is single-threaded */
    bool uds = !strcmp(k->kind, "uds");
    if (uds && store_uds_clear_modules(cc->st, k->id, &res))
        res.n = 0;
    if (c->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)k->id);
        cJSON_AddStringToObject(o, "kind", k->kind);
        cJSON_AddStringToObject(o, "who", k->who);
        cJSON_AddStringToObject(o, "reason", k->reason);
        cJSON_AddNumberToObject(o, "cleared_ms", (double)k->cleared_ms);
        if (uds) {
            cJSON_AddNumberToObject(o, "preclear_uds_scan", (double)k->preclear_uds_scan_id);
            cJSON *arr = cJSON_AddArrayToObject(o, "modules");
            for (size_t i = 0; i < res.n; i++) {
                cJSON *x = cJSON_CreateObject();
                char t[40];
                snprintf(t, sizeof t, "%X/%X", (unsigned)res.m[i].tx_id, (unsigned)res.m[i].rx_id);
                cJSON_AddStringToObject(x, "module", t);
                cJSON_AddStringToObject(x, "outcome", uds_clear_outcome_key(res.m[i].outcome));
                if (res.m[i].nrc) {
                    snprintf(t, sizeof t, "%02X", res.m[i].nrc);
                    cJSON_AddStringToObject(x, "nrc", t);
                }
                cJSON_AddItemToArray(arr, x);
            }
        } else {
            cJSON_AddNumberToObject(o, "preclear_scan", (double)k->preclear_scan_id);
        }
        cJSON_AddItemToArray(c->arr, o);
        return 0;
    }
    char t[32];
    fmt_time(k->cleared_ms, t, sizeof t);
    if (!uds) {
        fprintf(CLI_OUT(c->cli), "  #%-5lld %s %s · OBD (%s #%lld) · %s\n", (long long)k->id, t, k->who,
               T(c->cli, "pre-clear scan", "清码前扫描"), (long long)k->preclear_scan_id, k->reason);
        return 0;
    }
    fprintf(CLI_OUT(c->cli), "  #%-5lld %s %s · UDS %zu/%zu %s (%s #%lld) · %s\n", (long long)k->id, t, k->who, k->ncleared,
           k->nmodules, T(c->cli, "modules cleared", "个控制单元已清除"), T(c->cli, "pre-clear UDS scan", "清码前 UDS 扫描"),
           (long long)k->preclear_uds_scan_id, k->reason);
    for (size_t i = 0; i < res.n; i++) {
        fprintf(CLI_OUT(c->cli), "         %X/%X  %s", (unsigned)res.m[i].tx_id, (unsigned)res.m[i].rx_id,
               uds_clear_outcome_name(res.m[i].outcome, c->cli->lang));
        if (res.m[i].nrc)
            fprintf(CLI_OUT(c->cli), " (NRC %02X)", res.m[i].nrc);
        fprintf(CLI_OUT(c->cli), "\n");
    }
    return 0;
}

/* An OBD finding names the ECU that replied ("ECU 7E8"); a UDS one the
 * module (its name when the pair is well known, request/response ids) and
 * the UDS scan that saw it. */
static int show_finding(void *ctx, const store_finding_t *f)
{
    show_ctx_t *c = ctx;
    const char *st = f->state == STORE_FINDING_PROPOSED   ? T(c->cli, "awaiting customer consent", "待客户确认")
                     : f->state == STORE_FINDING_APPROVED ? T(c->cli, "approved", "客户已同意")
                                                          : T(c->cli, "declined", "客户已拒绝");
    bool uds = !strcmp(f->source, "uds");
    if (c->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", f->code);
        char ecu[12];
        snprintf(ecu, sizeof ecu, "%X", (unsigned)f->ecu);
        cJSON_AddStringToObject(o, "ecu", ecu);
        cJSON_AddStringToObject(o, "source", uds ? "uds" : "obd");
        if (uds) {
            char rx[12], lab[64];
            snprintf(rx, sizeof rx, "%X", (unsigned)f->rx_id);
            cJSON_AddStringToObject(o, "rx", rx);
            const char *key = uds_module_key(f->ecu, f->rx_id);
            cJSON_AddItemToObject(o, "module", key ? cJSON_CreateString(key) : cJSON_CreateNull());
            cJSON_AddStringToObject(o, "label", qc_module_text(f->ecu, f->rx_id, c->cli->lang, lab, sizeof lab));
        }
        cJSON_AddStringToObject(o, "state", store_finding_state_key(f->state));
        cJSON_AddStringToObject(o, "decided_by", f->decided_by);
        cJSON_AddStringToObject(o, "note", f->note);
        cJSON_AddNumberToObject(o, "scan", (double)f->first_scan_id);
        cJSON_AddNumberToObject(o, "uds_scan", (double)f->uds_scan_id);
        cJSON_AddItemToArray(c->arr, o);
        return 0;
    }
    if (uds) {
        char lab[64];
        fprintf(CLI_OUT(c->cli), "  %s %s (%s #%lld)  %s%s%s\n", f->code, qc_module_text(f->ecu, f->rx_id, c->cli->lang, lab, sizeof lab),
               T(c->cli, "UDS scan", "UDS 扫描"), (long long)f->uds_scan_id, st, f->decided_by[0] ? " · " : "",
               f->decided_by);
        return 0;
    }
    fprintf(CLI_OUT(c->cli), "  %s ECU %X  %s%s%s\n", f->code, (unsigned)f->ecu, st, f->decided_by[0] ? " · " : "", f->decided_by);
    return 0;
}

typedef struct {
    show_ctx_t *c;
    cJSON *arr;
} sigstat_ctx_t;

/* One OEM signal of a recording: min/max/mean (numeric), or how many states were recorded. */
static int show_sigstat(void *ctx, const store_rec_sigstat_t *x)
{
    sigstat_ctx_t *k = ctx;
    if (k->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "signal", x->signal);
        cJSON_AddStringToObject(o, "name", x->name);
        cJSON_AddStringToObject(o, "unit", x->unit);
        char ecu[12];
        snprintf(ecu, sizeof ecu, "%X", (unsigned)x->ecu);
        cJSON_AddStringToObject(o, "ecu", ecu);
        cJSON_AddNumberToObject(o, "n", (double)x->n);
        if (x->n) {
            cJSON_AddNumberToObject(o, "min", x->min);
            cJSON_AddNumberToObject(o, "max", x->max);
            cJSON_AddNumberToObject(o, "mean", x->mean);
        }
        cJSON_AddItemToArray(k->arr, o);
        return 0;
    }
    if (x->n)
        fprintf(CLI_OUT(k->c->cli), "         %-26s %X  %s %g / %g / %g %s (n %lld)\n", x->signal, (unsigned)x->ecu,
                T(k->c->cli, "min/max/mean", "最小/最大/平均"), x->min, x->max, x->mean, x->unit, (long long)x->n);
    else
        fprintf(CLI_OUT(k->c->cli), "         %-26s %X  %s\n", x->signal, (unsigned)x->ecu,
                T(k->c->cli, "states only (no number)", "仅状态（无数值）"));
    return 0;
}

static int show_rec(void *ctx, const store_recording_t *r)
{
    show_ctx_t *c = ctx;
    if (c->arr) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        cJSON_AddStringToObject(o, "pids", r->pids);
        cJSON_AddNumberToObject(o, "samples", (double)r->samples);
        cJSON_AddNumberToObject(o, "started_ms", (double)r->started_ms);
        cJSON_AddNumberToObject(o, "ended_ms", (double)r->ended_ms);
        cJSON_AddStringToObject(o, "state", r->state[0] ? r->state : "done");
        if (c->st) {
            sigstat_ctx_t k = { c, cJSON_AddArrayToObject(o, "signals") };
            store_rec_signal_stats(c->st, r->id, show_sigstat, &k);
        }
        cJSON_AddItemToArray(c->arr, o);
        return 0;
    }
    char t[32], dur[96];
    fmt_time(r->started_ms, t, sizeof t);
    if (!strcmp(r->state, "recording")) /* ended 0: no duration yet (was shown as a huge negative one) */
        snprintf(dur, sizeof dur, "%s", T(c->cli, "recording now", "正在记录"));
    else
        snprintf(dur, sizeof dur, "%.1f s%s", (double)(r->ended_ms - r->started_ms) / 1000.0,
                 !strcmp(r->state, "interrupted")
                     ? T(c->cli, ", interrupted (ended at its last sample)", "，中断（按最后一个采样结束）")
                     : "");
    fprintf(CLI_OUT(c->cli), "  #%-5lld %s  PID %s  %lld %s, %s\n", (long long)r->id, t, r->pids, (long long)r->samples,
            T(c->cli, "samples", "个采样"), dur);
    if (c->st) {
        sigstat_ctx_t k = { c, NULL };
        store_rec_signal_stats(c->st, r->id, show_sigstat, &k);
    }
    return 0;
}

static int wo_show(cli_t *cli, store_t *st, const char *ro)
{
    store_wo_t w;
    int rc = store_wo_get(st, ro, &w);
    if (rc) {
        cli_store_fail(cli, st, "wo show", rc);
        return rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
    }
    if (cli->json) {
        cJSON *o = wo_json(&w);
        show_ctx_t c = { cli, cJSON_AddArrayToObject(o, "scans"), NULL };
        store_scan_list(st, ro, -1, show_scan, &c);
        c.arr = cJSON_AddArrayToObject(o, "uds_scans");
        store_uds_list(st, ro, -1, show_uds, &c);
        c.arr = cJSON_AddArrayToObject(o, "clears");
        clear_ctx_t cc = { &c, st };
        store_clear_list(st, ro, show_clear, &cc);
        c.arr = cJSON_AddArrayToObject(o, "findings");
        store_finding_list(st, ro, show_finding, &c);
        c.arr = cJSON_AddArrayToObject(o, "recordings");
        c.st = st;
        store_rec_list(st, ro, show_rec, &c);
        cli_wo_show_history(cli, st, ro, o);
        cli_json_out(cli, o);
        return EXIT_OK;
    }
    char t[32];
    fmt_time(w.opened_ms, t, sizeof t);
    fprintf(CLI_OUT(cli), "%s %s  (%s, %s %s)\n", PAD(T(cli, "RO", "工单"), 12), w.ro, status_text(cli, w.status),
           T(cli, "opened", "开单"), t);
    fprintf(CLI_OUT(cli), "%s %s\n", PAD("VIN", 12), w.vin[0] ? w.vin : "-");
    fprintf(CLI_OUT(cli), "%s %s\n", PAD(T(cli, "plate", "车牌"), 12), w.plate[0] ? w.plate : "-");
    if (w.mileage_in_km >= 0)
        fprintf(CLI_OUT(cli), "%s %d km\n", PAD(T(cli, "mileage in", "进厂里程"), 12), w.mileage_in_km);
    fprintf(CLI_OUT(cli), "%s %s\n", PAD(T(cli, "complaint", "客户描述"), 12), w.complaint[0] ? w.complaint : "-");
    if (w.complaint_codes[0])
        fprintf(CLI_OUT(cli), "%s %s\n", PAD(T(cli, "covers", "对应故障"), 12), w.complaint_codes);
    if (w.bay[0] || w.technician[0])
        fprintf(CLI_OUT(cli), "%s %s %s\n", PAD(T(cli, "bay / tech", "工位/技师"), 12), w.bay[0] ? w.bay : "-",
               w.technician[0] ? w.technician : "-");
    cli_wo_show_history(cli, st, ro, NULL);
    show_ctx_t c = { cli, NULL, NULL };
    fprintf(CLI_OUT(cli), "\n%s:\n", T(cli, "Scans", "扫描记录"));
    store_scan_list(st, ro, -1, show_scan, &c);
    fprintf(CLI_OUT(cli), "\n%s:\n", T(cli, "UDS full-system scans", "UDS 全车扫描"));
    store_uds_list(st, ro, -1, show_uds, &c);
    fprintf(CLI_OUT(cli), "\n%s:\n", T(cli, "Clears (audited)", "清码记录（已审计）"));
    clear_ctx_t cc = { &c, st };
    store_clear_list(st, ro, show_clear, &cc);
    fprintf(CLI_OUT(cli), "\n%s:\n", T(cli, "Additional items (need the customer's consent)", "增项（需客户确认）"));
    store_finding_list(st, ro, show_finding, &c);
    fprintf(CLI_OUT(cli), "\n%s:\n", T(cli, "Live-data recordings", "数据流记录"));
    c.st = st;
    store_rec_list(st, ro, show_rec, &c);
    return EXIT_OK;
}

static int wo_finding(cli_t *cli, store_t *st, int argc, char **argv)
{
    const char *pos[3] = { 0 }, *by = NULL, *note = NULL;
    int np = 0;
    bool ended = false;
    for (int i = 0; i < argc; i++) {
        if (!ended && !strcmp(argv[i], "--"))
            ended = true;
        else if (ended && np < 3)
            pos[np++] = argv[i];
        else if (ended) {
            cli_err(cli, "wo finding: %s '%s'", T(cli, "unexpected argument", "多余的参数"), argv[i]);
            return EXIT_USAGE;
        } else if (!strcmp(argv[i], "--by") && i + 1 < argc)
            by = argv[++i];
        else if (!strcmp(argv[i], "--note") && i + 1 < argc)
            note = argv[++i];
        else if (argv[i][0] != '-' && np < 3)
            pos[np++] = argv[i];
        else {
            cli_err(cli, "wo finding: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    store_finding_state_t state;
    if (np != 3 || (strcmp(pos[2], "approve") && strcmp(pos[2], "decline"))) {
        cli_err(cli, "wo finding: %s", T(cli, "give RO CODE approve|decline", "请给出 工单号 故障码 approve|decline"));
        return EXIT_USAGE;
    }
    state = !strcmp(pos[2], "approve") ? STORE_FINDING_APPROVED : STORE_FINDING_DECLINED;
    int rc = store_finding_decide(st, pos[0], pos[1], state, cli_actor(by), note ? note : "");
    if (rc) {
        cli_store_fail(cli, st, "wo finding", rc);
        return rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
    }
    fprintf(CLI_OUT(cli), "%s %s: %s\n", pos[0], pos[1],
           state == STORE_FINDING_APPROVED ? T(cli, "approved by the customer", "客户已同意")
                                           : T(cli, "declined by the customer", "客户已拒绝"));
    return EXIT_OK;
}

int cmd_wo(cli_t *cli, int argc, char **argv)
{
    /* Common options anywhere; the rest is the sub-command's. */
    char *rest[64];
    int nrest = 0, ended = 0; /* rest[ended..]: after "--", never options (an RO "-o") */
    for (int i = 1; i < argc; i++) {
        if (!ended && !strcmp(argv[i], "--")) {
            if (nrest < 64)
                rest[nrest++] = argv[i];
            ended = nrest;
            continue;
        }
        if (ended) {
            if (nrest < 64)
                rest[nrest++] = argv[i];
            continue;
        }
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage(cli, CLI_OUT(cli));
        if (nrest < 64)
            rest[nrest++] = argv[i];
    }
    if (!nrest)
        return usage(cli, CLI_ERR(cli));
    const char *sub = rest[0];
    if (ended == 1) { /* "wo -- show": the sub-command is not an RO */
        cli_err(cli, "wo: %s", T(cli, "the sub-command goes before --", "子命令应写在 -- 之前"));
        return EXIT_USAGE;
    }
    /* show, close, attach take positionals only: drop the "--" */
    if (ended && (!strcmp(sub, "show") || !strcmp(sub, "close") || !strcmp(sub, "attach"))) {
        memmove(&rest[ended - 1], &rest[ended], (size_t)(nrest - ended) * sizeof rest[0]);
        nrest--;
    }
    if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "close") &&
        strcmp(sub, "attach") && strcmp(sub, "finding") && strcmp(sub, "deliver") && strcmp(sub, "class")) {
        cli_err(cli, "wo: %s '%s'", T(cli, "unknown sub-command", "未知子命令"), sub);
        return usage(cli, CLI_ERR(cli));
    }
    store_t *st = cli_store_open(cli, "wo");
    if (!st)
        return EXIT_FAIL;
    int ex = EXIT_OK;
    if (!strcmp(sub, "add")) {
        ex = wo_add(cli, st, nrest - 1, rest + 1);
    } else if (!strcmp(sub, "list")) {
        ex = wo_list(cli, st, nrest - 1, rest + 1);
    } else if (!strcmp(sub, "deliver")) {
        ex = cli_wo_deliver(cli, st, nrest - 1, rest + 1);
    } else if (!strcmp(sub, "class")) {
        ex = cli_wo_class(cli, st, nrest - 1, rest + 1);
    } else if (!strcmp(sub, "show") || !strcmp(sub, "close")) {
        if (nrest != 2) {
            cli_err(cli, "wo %s: %s", sub, T(cli, "give one RO number", "请给出一个工单号"));
            ex = EXIT_USAGE;
        } else if (!strcmp(sub, "show")) {
            ex = wo_show(cli, st, rest[1]);
        } else {
            int rc = store_wo_close(st, rest[1]);
            if (rc) {
                cli_store_fail(cli, st, "wo close", rc);
                ex = rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
            } else {
                fprintf(CLI_OUT(cli), "%s %s %s\n", T(cli, "RO", "工单"), rest[1], T(cli, "closed", "已关闭"));
            }
        }
    } else if (!strcmp(sub, "attach")) {
        char *end = NULL;
        long long id = nrest == 3 ? strtoll(rest[2], &end, 10) : 0;
        if (nrest != 3 || !end || *end || id <= 0) {
            cli_err(cli, "wo attach: %s", T(cli, "give RO SCAN_ID", "请给出 工单号 扫描编号"));
            ex = EXIT_USAGE;
        } else {
            int rc = store_scan_attach(st, rest[1], (int64_t)id);
            if (rc) {
                cli_store_fail(cli, st, "wo attach", rc);
                ex = rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
            } else {
                fprintf(CLI_OUT(cli), "%s #%lld -> %s %s\n", T(cli, "scan", "扫描"), id, T(cli, "RO", "工单"), rest[1]);
            }
        }
    } else {
        ex = wo_finding(cli, st, nrest - 1, rest + 1);
    }
    store_close(st);
    return ex;
}
