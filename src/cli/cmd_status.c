/*
 * obdgw status, and every command given --bay N (or --daemon): the request
 * goes to the obdgwd bay service over its control socket instead of opening
 * an adapter here. The same command line travels as {"argv": [...]}; the
 * daemon answers one line {"exit": N, "text": "...", ...}.
 *
 *   obdgw status                                   the gateway, the broker, the outbox, every bay
 *   obdgw scan --bay 3 --ro RO --stage pre         a scan on bay 3's adapter, saved and sent to the DMS
 *   obdgw clear --bay 3 --ro RO --yes              the guarded clear on bay 3
 *   obdgw uds-scan --bay 3 --ro RO --stage pre     a UDS full-system scan on bay 3, saved and sent to the DMS
 *   obdgw clear --bay 3 --ro RO --uds --yes        the guarded UDS clear on bay 3 (--module TX: one module)
 *   obdgw qc RO --sign INSPECTOR --daemon          QC sign-off + reports, sent to the DMS
 *   obdgw wo ... --daemon, obdgw report ... --daemon  the same commands run by obdgwd on its store;
 *                                                  what they print comes back verbatim (-o files
 *                                                  are written here, by the CLI)
 *   obdgw consent --bay 3 --grant [--minutes M] [--to WHO] | --revoke
 *                                                  the bay's consent to remote support (audited)
 *   obdgw live --bay 3 ...                         cmd_live.c: samples streamed back as read
 *
 * Socket: --socket PATH, else $OBDGW_SOCKET, else /run/obdgw/obdgwd.sock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cli.h"

bool cli_wants_daemon(int argc, char **argv)
{
    if (argc > 0 && !strcmp(argv[0], "status"))
        return true;
    if (argc > 0 && (!strcmp(argv[0], "consent") || !strcmp(argv[0], "confirm")))
        return false; /* cmd_consent: its --help is local, the rest goes to obdgwd */
    if (argc > 0 && !strcmp(argv[0], "live"))
        return false; /* cmd_live streams from the daemon itself */
    /* `wo add --bay 3` records a bay on the RO: only vehicle commands
     * route by --bay; any command routes with --daemon. */
    bool vehicle = argc > 0 && (!strcmp(argv[0], "scan") || !strcmp(argv[0], "uds-scan") ||
                                !strcmp(argv[0], "clear") || !strcmp(argv[0], "live"));
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) /* after "--": arguments, not options */
        if ((vehicle && !strcmp(argv[i], "--bay")) || !strcmp(argv[i], "--daemon"))
            return true;
    return false;
}

int cli_daemon_send(cli_t *cli, const char *sock, cJSON *req, const char *cmd)
{
    if (!sock || !*sock)
        sock = getenv("OBDGW_SOCKET");
    if (!sock || !*sock)
        sock = "/run/obdgw/obdgwd.sock";
    cJSON_AddStringToObject(req, "lang", cli->lang == OBD_LANG_ZH ? "zh" : "en");
    cJSON_AddStringToObject(req, "actor", cli_actor(NULL));
    char *text = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!text || fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        cli_err(cli, "%s: %s %s: %s (%s)", cmd, T(cli, "cannot reach obdgwd at", "无法连接 obdgwd："), sock,
                strerror(errno), T(cli, "is the bay service running? set OBDGW_SOCKET or --socket",
                                   "服务是否在运行？可设置 OBDGW_SOCKET 或 --socket"));
        free(text);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    free(text);
    if (!ok) {
        close(fd);
        return -1;
    }
    return fd;
}

/* What obdgwd sends back for `wo`/`report` run on its store: the command's
 * own output, printed as it was written; a report's file written here. */
static int verbatim(cli_t *cli, const cJSON *res, int code, const char *outfile)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(res, "stdout");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(res, "stderr");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(res, "file_b64");
    if (cJSON_IsString(o))
        fputs(o->valuestring, stdout);
    if (cJSON_IsString(e))
        fputs(e->valuestring, stderr);
    if (code == EXIT_OK && outfile && cJSON_IsString(f)) {
        size_t n = strlen(f->valuestring);
        unsigned char *bin = malloc(n / 4 * 3 + 3);
        int len = bin ? EVP_DecodeBlock(bin, (const unsigned char *)f->valuestring, (int)n) : -1;
        if (len >= 0) /* EVP_DecodeBlock counts the padding as bytes */
            len -= (n >= 1 && f->valuestring[n - 1] == '=') + (n >= 2 && f->valuestring[n - 2] == '=');
        FILE *w = len >= 0 ? fopen(outfile, "wb") : NULL;
        bool good = w && fwrite(bin, 1, (size_t)len, w) == (size_t)len;
        if (w && fclose(w) != 0)
            good = false;
        free(bin);
        if (!good) {
            cli_err(cli, "report: %s: %s", outfile, T(cli, "cannot write", "无法写入"));
            return EXIT_FAIL;
        }
        fprintf(stderr, "%s: %s\n", T(cli, "report written", "报告已生成"), outfile);
    }
    return code;
}

int cmd_daemon(cli_t *cli, int argc, char **argv)
{
    const char *sock = NULL, *outfile = NULL, *format = NULL;
    bool report = !strcmp(argv[0], "report"), wo = !strcmp(argv[0], "wo") || !strcmp(argv[0], "dms") ||
                                                 !strcmp(argv[0], "vehicle") || !strcmp(argv[0], "followup"),
         by = false,
         finding = false;
    int opts_end = -1; /* index in the argv sent where "--" is, -1: none */
    cJSON *req = cJSON_CreateObject();
    cJSON *av = cJSON_AddArrayToObject(req, "argv");
    for (int i = 0; i < argc; i++) {
        if (opts_end >= 0) { /* after "--": sent as it is (an RO "-o", "--json") */
            cJSON_AddItemToArray(av, cJSON_CreateString(argv[i]));
            continue;
        }
        if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
            sock = argv[++i];
            continue;
        }
        if (!strcmp(argv[i], "--daemon"))
            continue;
        if (!strcmp(argv[i], "--json")) {
            cli->json = true;
            continue;
        }
        if ((wo || report) && !strcmp(argv[i], "--lang") && i + 1 < argc) {
            int l = obd_lang_parse(argv[++i]);
            if (l >= 0)
                cli->lang = (obd_lang_t)l;
            continue;
        }
        if (report && (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) {
            outfile = argv[++i]; /* written here, not by the daemon */
            continue;
        }
        if (report && !strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[i + 1];
        by |= !strcmp(argv[i], "--by");
        finding |= wo && (!strcmp(argv[i], "finding") || !strcmp(argv[i], "resend"));
        if (opts_end < 0 && !strcmp(argv[i], "--"))
            opts_end = cJSON_GetArraySize(av);
        cJSON_AddItemToArray(av, cJSON_CreateString(argv[i]));
    }
    if (finding && !by) { /* who decided / resent: the person at this terminal, not obdgwd's user */
        if (opts_end < 0) {
            cJSON_AddItemToArray(av, cJSON_CreateString("--by"));
            cJSON_AddItemToArray(av, cJSON_CreateString(cli_actor(NULL)));
        } else { /* options go before the "--" that ends them */
            cJSON_InsertItemInArray(av, opts_end, cJSON_CreateString(cli_actor(NULL)));
            cJSON_InsertItemInArray(av, opts_end, cJSON_CreateString("--by"));
        }
    }
    if (wo || report)
        cJSON_AddBoolToObject(req, "json", cli->json);
    if (report && outfile) {
        /* the same default as cmd_report: from --json or the file name */
        if (!format) {
            format = cli->json ? "json" : strstr(outfile, ".pdf") ? "pdf" : strstr(outfile, ".json") ? "json" : "html";
            cJSON_AddItemToArray(av, cJSON_CreateString("--format"));
            cJSON_AddItemToArray(av, cJSON_CreateString(format));
        }
        cJSON_AddStringToObject(req, "want_file", format);
    }
    int fd = cli_daemon_send(cli, sock, req, argv[0]);
    if (fd < 0)
        return EXIT_FAIL;
    bool ok = true;
    /* The answer comes when the job is done (a scan takes seconds). */
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (ok && buf) {
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
        if (memchr(buf + len - (size_t)r, '\n', (size_t)r)) /* one line: the whole answer */
            break;
    }
    close(fd);
    cJSON *rep = buf && len ? cJSON_ParseWithLength(buf, len) : NULL;
    free(buf);
    if (!rep) {
        cli_err(cli, "%s: %s", argv[0], T(cli, "obdgwd gave no answer", "obdgwd 无应答"));
        return EXIT_FAIL;
    }
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(rep, "exit");
    const cJSON *tx = cJSON_GetObjectItemCaseSensitive(rep, "text");
    int code = cJSON_IsNumber(ex) ? ex->valueint : EXIT_FAIL;
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(rep, "result");
    if ((wo || report) && cJSON_GetObjectItemCaseSensitive(res, "stdout")) {
        code = verbatim(cli, res, code, outfile);
        cJSON_Delete(rep);
        return code;
    }
    if (cli->json) {
        cli_json_print(rep);
        return code;
    }
    if (cJSON_IsString(tx) && tx->valuestring[0])
        fprintf(code ? stderr : stdout, "%s%s\n", code ? "obdgw: " : "", tx->valuestring);
    cJSON_Delete(rep);
    return code;
}

int cmd_status(cli_t *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw status [--json] [--socket PATH]\n  %s\n", T(cli, "usage", "用法"),
                   T(cli, "State of the obdgwd bay service: broker, outbox, every bay.",
                     "诊断服务 obdgwd 的状态：消息服务器、发件箱、各工位。"));
            return EXIT_OK;
        }
    return cmd_daemon(cli, argc, argv);
}

int cmd_consent(cli_t *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw consent --bay N --grant [--minutes M] [--to USER] [--ro RO] | --revoke | (show)\n  %s\n",
                   T(cli, "usage", "用法"),
                   T(cli, "Allow (default 30 min, at most 480) or stop remote support reading this bay's car over MQTT "
                          "(live data, DTCs, scans; nothing is saved or cleared from afar); audited. --to limits it to "
                          "one engineer (the broker username the request topic carries); --ro shares that RO's scans "
                          "and reports and lets the engineer propose a clear (obdgw confirm).",
                     "允许（默认 30 分钟，最长 480）或撤销远程支持通过 MQTT 读取本工位车辆（实时数据、故障码、扫描；"
                     "远程不保存、不清码）；记入审计日志。--to 仅允许一名工程师（请求主题中的代理用户名）；"
                     "--ro 共享该工单的扫描与报告，并允许工程师提议清码（obdgw confirm）。"));
            return EXIT_OK;
        }
    return cmd_daemon(cli, argc, argv);
}
