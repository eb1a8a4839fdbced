/*
 * obdgw uds-scan --adapter DEV [--pair TX:RX]... [--no-range] [--29 XX,YY | --29 all]
 *                [--mask HEX] [--snapshots] [--extdata] [--session extended] [--json]
 *                [--ro RO] [--stage pre|diag|self|post|qc|adhoc] [--tech NAME] [--store FILE | --no-store]
 * obdgw uds-scan --bay N [--pair TX:RX]... [--no-range] [--29 XX,YY | --29 all] [--mask HEX] [--snapshots] [--extdata]
 *                [--session extended] [--ro RO] [--stage S] [--tech NAME]
 *                (the same scan on bay N's adapter through obdgwd: saved, and sent to the DMS)
 *
 * UDS full-system scan (src/uds_scan.c): every module that answers on the
 * probed id pairs, its identification DIDs and DTCs; modules that refused
 * are listed as needing OEM authorisation, silent ones as silent. Over
 * SocketCAN the modules are asked concurrently. Every scan is saved in the
 * evidence store (store_uds.h) like an OBD scan: attached to --ro, else to
 * the open RO with the VIN the modules report; --no-store skips that.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/canlink.h"
#include "obdgw/store_uds.h"
#include "obdgw/uds_scan.h"

static void usage(const cli_t *cli, FILE *f)
{
    fprintf(f, "%s: obdgw uds-scan --adapter DEV [--pair TX:RX]... [--no-range] [--29 XX,YY|all]\n"
               "                      [--mask HEX] [--snapshots] [--extdata] [--session extended] [--json]\n"
               "                      [--probe-timeout MS]\n"
               "                      [--ro RO] [--stage pre|diag|self|post|qc|adhoc] [--tech NAME]\n"
               "                      [--store FILE | --no-store]\n"
               "       obdgw uds-scan --bay N [--pair TX:RX]... [--no-range] [--29 XX,YY|all] [--mask HEX] [--snapshots] [--extdata]\n"
               "                      [--session extended] [--ro RO] [--stage S] [--tech NAME]\n"
               "  %s\n",
            T(cli, "usage", "用法"),
            T(cli, "Every UDS scan is saved: attached to --ro, else to the open RO with the VIN the modules report.",
              "每次 UDS 扫描都会保存：关联到 --ro 指定的工单，否则关联到车架号相同的进行中工单。"));
}

static void progress(void *ctx, const char *en, const char *zh)
{
    const cli_t *cli = ctx;
    fprintf(stderr, "obdgw: uds-scan: %s\n", T(cli, en, zh));
}

/* The snapshot and extended-data records read for one DTC, under it. */
static void print_records(const cli_t *cli, const uds_scan_t *s, const uds_module_t *m, uint32_t code)
{
    for (size_t i = 0; i < m->nsnap; i++) {
        const uds_scan_snap_t *r = uds_scan_record(s, m, i);
        if (!r || r->code != code)
            continue;
        uds_snap_line_t lines[24];
        size_t nl = 0;
        bool snap = r->record == UDS_RDTC_SNAPSHOT;
        printf("        %s", snap ? T(cli, "freeze data", "冻结数据") : T(cli, "extended data", "扩展数据"));
        if (snap && r->sent <= r->len && uds_snapshot_describe(r->data, r->len, cli->lang, lines, 24, &nl) == OBD_OK &&
            nl) {
            for (size_t q = 0; q < nl; q++)
                printf("%s%s %s", q ? " · " : ": ", lines[q].name, lines[q].value);
            printf("\n");
            continue;
        }
        char hex[2 * UDS_SCAN_SNAP_BYTES + 1];
        printf(": %s", r->len ? obd_hex_text(r->data, r->len, hex, sizeof hex) : T(cli, "none", "无"));
        if (r->sent > r->len)
            printf(" %s %u %s", T(cli, "(cut to fit; the module sent", "（已截断；控制单元发送"), (unsigned)r->sent,
                   T(cli, "bytes)", "字节）"));
        printf("\n");
    }
}

static void print_text(const cli_t *cli, const uds_scan_t *s)
{
    static const char *names[UDS_SCAN_NIDENT] = { "VIN", "Part", "SW", "SW ver", "Supplier SW", "Serial" };
    printf("%s: %zu / %zu %s, %u %s, %u ms\n", T(cli, "Modules", "控制单元"), s->nanswered, s->nmodules,
           T(cli, "answered", "有应答"), s->requests, T(cli, "requests", "次请求"), (unsigned)s->duration_ms);
    for (size_t i = 0; i < s->nmodules; i++) {
        const uds_module_t *m = &s->modules[i];
        if (!m->answered)
            continue;
        const char *name = uds_module_name(uds_module_key(m->tx_id, m->rx_id), cli->lang);
        printf("\n%X/%X  %s%s%s", (unsigned)m->tx_id, (unsigned)m->rx_id, name ? name : "", name ? " · " : "",
               uds_mod_state_name(m->state, cli->lang));
        if (m->nrc)
            printf(" (NRC %02X %s)", m->nrc, uds_nrc_key(m->nrc));
        printf("\n");
        if (m->session_failed) {
            if (m->session_nrc)
                printf("    %s (NRC %02X %s)\n",
                       T(cli, "did not enter the session asked for: read in the default session",
                         "未能进入所请求的诊断会话：以下为默认会话中读取的结果"),
                       m->session_nrc, uds_nrc_key(m->session_nrc));
            else
                printf("    %s\n", T(cli, "no answer to the session change: read in the default session",
                                     "诊断会话切换无应答：以下为默认会话中读取的结果"));
        }
        for (size_t k = 0; k < UDS_SCAN_NIDENT; k++)
            if (m->ident_ok[k])
                printf("    %-12s %s\n", names[k], m->ident[k]);
        for (size_t k = 0; k < m->ndtcs; k++) {
            char code[UDS_DTC_TEXT_LEN];
            uds_dtc_format(m->dtcs[k].code, code);
            uint8_t stb = m->dtcs[k].status;
            printf("    %s  %s %02X%s\n", code, T(cli, "status", "状态"), stb,
                   (stb & UDS_ST_CONFIRMED) ? T(cli, " confirmed", " 已确认")
                   : (stb & (UDS_ST_TEST_FAILED | UDS_ST_PENDING | UDS_ST_FAILED_SINCE_CLEAR))
                       ? ""
                       : T(cli, " (not failed since the last clear)", "（清除后未再出现）"));
            print_records(cli, s, m, m->dtcs[k].code);
        }
        if (m->dtcs_read && !m->ndtcs)
            printf("    %s\n", T(cli, "no DTCs", "无故障码"));
    }
    printf("\n%s: %zu\n", T(cli, "Silent (no answer)", "无应答"), s->nmodules - s->nanswered);
    if (s->not_probed29)
        printf("%s: %u (%s)\n", T(cli, "29-bit ids not probed", "未探测的 29 位地址"), s->not_probed29,
               T(cli, "the adapter is on an 11-bit CAN protocol and cannot send them",
                 "适配器处于 11 位 CAN 协议，无法发送"));
}

/* Save the UDS scan; the exit code contribution (a scan shown but not saved
 * is a failure). `json`: add a "saved" object to it. */
static int save_uds(cli_t *cli, const uds_scan_t *s, const char *ro, store_stage_t stage, const char *tech,
                    const char *adapter, cJSON *json)
{
    store_t *st = cli_store_open(cli, "uds-scan");
    if (!st) {
        cli_err(cli, "uds-scan: %s", T(cli, "the scan above was NOT saved", "以上扫描结果未保存"));
        return EXIT_FAIL;
    }
    store_uds_meta_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.ro, sizeof m.ro, "%s", ro ? ro : "");
    m.stage = stage;
    snprintf(m.technician, sizeof m.technician, "%s", cli_actor(tech));
    snprintf(m.adapter, sizeof m.adapter, "%s", adapter ? adapter : "");
    int rc = store_uds_save(st, s, &m);
    int ex = EXIT_OK;
    if (rc) {
        cli_store_fail(cli, st, "uds-scan", rc);
        cli_err(cli, "uds-scan: %s", T(cli, "the scan above was NOT saved", "以上扫描结果未保存"));
        ex = rc == OBD_ESTATE ? EXIT_REFUSED : rc == OBD_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
    } else if (json) {
        cJSON *o = cJSON_AddObjectToObject(json, "saved");
        cJSON_AddNumberToObject(o, "uds_scan", (double)m.id);
        cJSON_AddStringToObject(o, "ro", m.ro);
        cJSON_AddStringToObject(o, "stage", store_stage_key(m.stage));
        if (!m.ro[0])
            cJSON_AddStringToObject(o, "unassigned_because", m.assign_note);
        cJSON_AddNumberToObject(o, "new_findings", m.new_findings);
    } else if (m.ro[0]) {
        printf("\n%s #%lld · %s %s · %s\n", T(cli, "Saved as UDS scan", "已保存为 UDS 扫描"), (long long)m.id,
               T(cli, "RO", "工单"), m.ro, store_stage_name(m.stage, cli->lang));
        if (m.new_findings)
            printf("%d %s (obdgw wo show %s)\n", m.new_findings,
                   T(cli, "additional item(s) beyond the complaint: the customer's consent is needed before work",
                     "项增项（报修内容以外）：施工前需客户确认"),
                   m.ro);
    } else {
        printf("\n%s #%lld · %s (%s)\n", T(cli, "Saved as UDS scan", "已保存为 UDS 扫描"), (long long)m.id,
               T(cli, "not attached to an RO", "未关联工单"), m.assign_note);
    }
    store_close(st);
    return ex;
}

int cmd_uds(cli_t *cli, int argc, char **argv)
{
    cli_link_args_t la = { 0 };
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    static obd_target_t pairs[64];
    static uint8_t a29[256];
    size_t np = 0, n29 = 0;
    bool no_store = false, stage_given = false;
    const char *ro = NULL, *tech = NULL;
    store_stage_t stage = STORE_STAGE_ADHOC;
    for (int i = 1; i < argc; i++) {
        int r = cli_link_opt(cli, &la, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(cli, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--pair") && has && np < 64) {
            char *end;
            unsigned long tx = strtoul(argv[++i], &end, 16), rx = *end == ':' ? strtoul(end + 1, &end, 16) : 0;
            if (*end || !tx || !rx || tx > 0x1FFFFFFF || rx > 0x1FFFFFFF) {
                cli_err(cli, "uds-scan: --pair '%s': %s", argv[i], T(cli, "expected TX:RX in hex", "应为十六进制 TX:RX"));
                return EXIT_USAGE;
            }
            pairs[np++] = (obd_target_t){ (uint32_t)tx, (uint32_t)rx };
        } else if (!strcmp(a, "--ro") && has) {
            ro = argv[++i];
        } else if (!strcmp(a, "--stage") && has) {
            if (store_stage_parse(argv[++i], &stage)) {
                cli_err(cli, "uds-scan: %s '%s' (pre, diag, self, post, qc, adhoc)",
                        T(cli, "unknown stage", "未知阶段"), argv[i]);
                return EXIT_USAGE;
            }
            stage_given = true;
        } else if (!strcmp(a, "--tech") && has) {
            tech = argv[++i];
        } else if (!strcmp(a, "--no-store")) {
            no_store = true;
        } else if (!strcmp(a, "--no-range")) {
            o.range11 = false;
        } else if (!strcmp(a, "--29") && has) {
            const char *v = argv[++i];
            o.range29 = true;
            if (uds_opt_addr29(v, a29, sizeof a29, &n29)) {
                cli_err(cli, "uds-scan: --29 '%s': %s", v,
                        T(cli, "expected all or hex bytes XX,YY", "应为 all 或十六进制字节 XX,YY"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--mask") && has) {
            if (uds_opt_mask(argv[++i], &o.status_mask)) {
                cli_err(cli, "uds-scan: --mask '%s': %s", argv[i],
                        T(cli, "expected a status mask in hex, 01..FF", "应为十六进制状态掩码 01..FF"));
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--probe-timeout") && has) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 1000) {
                cli_err(cli, "uds-scan: --probe-timeout '%s': %s", argv[i],
                        T(cli, "expected milliseconds, 1..1000", "应为毫秒数 1..1000"));
                return EXIT_USAGE;
            }
            o.probe_timeout_ms = (uint16_t)v;
        } else if (!strcmp(a, "--snapshots")) {
            o.read_snapshots = true;
        } else if (!strcmp(a, "--extdata")) {
            o.read_extdata = true;
        } else if (!strcmp(a, "--session") && has) {
            if (uds_opt_session(argv[++i], &o.session)) {
                cli_err(cli, "uds-scan: --session '%s': %s", argv[i],
                        T(cli, "expected extended, default or a hex session", "应为 extended、default 或十六进制会话"));
                return EXIT_USAGE;
            }
        } else {
            cli_err(cli, "uds-scan: %s '%s'", T(cli, "unknown option", "未知选项"), a);
            usage(cli, stderr);
            return EXIT_USAGE;
        }
    }
    if (no_store && (ro || stage_given)) {
        cli_err(cli, "uds-scan: %s",
                T(cli, "--no-store cannot go with --ro/--stage", "--no-store 不能与 --ro/--stage 同用"));
        return EXIT_USAGE;
    }
    if (ro && !stage_given)
        stage = STORE_STAGE_DIAGNOSTIC;
    o.pairs = pairs;
    o.npairs = np;
    if (n29) {
        o.addr29 = a29;
        o.naddr29 = n29;
    }
    obd_link_t *l = cli_link_open(cli, &la, "uds-scan");
    if (!l)
        return EXIT_FAIL;
    static uds_scan_t s;
    int rc = uds_scan_run(l, &o, &s, cli->verbose_progress || la.opts.verbose ? progress : NULL, cli);
    if (rc) {
        cli_link_fail(cli, l, "uds-scan", rc);
        obd_link_close(l);
        return EXIT_FAIL;
    }
    cJSON *j = cli->json ? uds_scan_json(&s, cli->lang) : NULL;
    if (!cli->json)
        print_text(cli, &s);
    int ex = no_store ? EXIT_OK : save_uds(cli, &s, ro, stage, tech, la.adapter, j);
    if (j)
        cli_json_print(j);
    obd_link_close(l);
    return ex;
}
