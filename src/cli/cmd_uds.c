/*
 * obdgw uds-scan --adapter DEV [--pair TX:RX]... [--no-range] [--29 XX,YY | --29 all]
 *                [--mask HEX] [--snapshots] [--extdata] [--session extended] [--json]
 *
 * UDS full-system scan (src/uds_scan.c): every module that answers on the
 * probed id pairs, its identification DIDs and DTCs; modules that refused
 * are listed as needing OEM authorisation, silent ones as silent. Over
 * SocketCAN the modules are asked concurrently.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/canlink.h"
#include "obdgw/uds_scan.h"

static void usage(const cli_t *cli, FILE *f)
{
    fprintf(f, "%s: obdgw uds-scan --adapter DEV [--pair TX:RX]... [--no-range] [--29 XX,YY|all]\n"
               "                      [--mask HEX] [--snapshots] [--extdata] [--session extended] [--json]\n",
            T(cli, "usage", "用法"));
}

static void progress(void *ctx, const char *en, const char *zh)
{
    const cli_t *cli = ctx;
    fprintf(stderr, "obdgw: uds-scan: %s\n", T(cli, en, zh));
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
        printf("\n%X/%X  %s", (unsigned)m->tx_id, (unsigned)m->rx_id, uds_mod_state_name(m->state, cli->lang));
        if (m->nrc)
            printf(" (NRC %02X %s)", m->nrc, uds_nrc_key(m->nrc));
        printf("\n");
        for (size_t k = 0; k < UDS_SCAN_NIDENT; k++)
            if (m->ident_ok[k])
                printf("    %-12s %s\n", names[k], m->ident[k]);
        for (size_t k = 0; k < m->ndtcs; k++) {
            char code[UDS_DTC_TEXT_LEN];
            uds_dtc_format(m->dtcs[k].code, code);
            printf("    %s  status %02X%s\n", code, m->dtcs[k].status,
                   (m->dtcs[k].status & UDS_ST_CONFIRMED) ? T(cli, " confirmed", " 已确认") : "");
        }
        if (m->dtcs_read && !m->ndtcs)
            printf("    %s\n", T(cli, "no DTCs", "无故障码"));
    }
    printf("\n%s: %zu\n", T(cli, "Silent (no answer)", "无应答"), s->nmodules - s->nanswered);
}

int cmd_uds(cli_t *cli, int argc, char **argv)
{
    cli_link_args_t la = { 0 };
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    static obd_target_t pairs[64];
    static uint8_t a29[256];
    size_t np = 0, n29 = 0;
    bool all29 = false;
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
        } else if (!strcmp(a, "--no-range")) {
            o.range11 = false;
        } else if (!strcmp(a, "--29") && has) {
            const char *v = argv[++i];
            o.range29 = true;
            if (!strcmp(v, "all")) {
                all29 = true;
                continue;
            }
            for (char *p = (char *)v; *p && n29 < 256;) {
                char *end;
                unsigned long x = strtoul(p, &end, 16);
                if (end == p || x > 0xFF) {
                    cli_err(cli, "uds-scan: --29 '%s': %s", v, T(cli, "expected hex bytes XX,YY", "应为十六进制字节 XX,YY"));
                    return EXIT_USAGE;
                }
                a29[n29++] = (uint8_t)x;
                p = *end == ',' ? end + 1 : end;
            }
        } else if (!strcmp(a, "--mask") && has) {
            o.status_mask = (uint8_t)strtoul(argv[++i], NULL, 16);
        } else if (!strcmp(a, "--snapshots")) {
            o.read_snapshots = true;
        } else if (!strcmp(a, "--extdata")) {
            o.read_extdata = true;
        } else if (!strcmp(a, "--session") && has) {
            const char *v = argv[++i];
            o.session = !strcmp(v, "extended") ? UDS_SESSION_EXTENDED : !strcmp(v, "default") ? 0 : (uint8_t)strtoul(v, NULL, 16);
        } else {
            cli_err(cli, "uds-scan: %s '%s'", T(cli, "unknown option", "未知选项"), a);
            usage(cli, stderr);
            return EXIT_USAGE;
        }
    }
    o.pairs = pairs;
    o.npairs = np;
    if (n29 && !all29) {
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
    if (cli->json)
        cli_json_print(uds_scan_json(&s, cli->lang));
    else
        print_text(cli, &s);
    obd_link_close(l);
    return EXIT_OK;
}
