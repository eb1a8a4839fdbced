/*
 * obdgw status, and every command given --bay N (or --daemon): the request
 * goes to the obdgwd bay service over its control socket instead of opening
 * an adapter here. The same command line travels as {"argv": [...]}; the
 * daemon answers one line {"exit": N, "text": "...", ...}.
 *
 *   obdgw status                                   the gateway, the broker, the outbox, every bay
 *   obdgw scan --bay 3 --ro RO --stage pre         a scan on bay 3's adapter, saved and sent to the DMS
 *   obdgw clear --bay 3 --ro RO --yes              the guarded clear on bay 3
 *   obdgw qc RO --sign INSPECTOR --daemon          QC sign-off + reports, sent to the DMS
 *
 * Socket: --socket PATH, else $OBDGW_SOCKET, else /run/obdgw/obdgwd.sock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"

bool cli_wants_daemon(int argc, char **argv)
{
    if (argc > 0 && !strcmp(argv[0], "status"))
        return true;
    /* `wo add --bay 3` records a bay on the RO: only vehicle commands
     * route by --bay; any command routes with --daemon. */
    bool vehicle = argc > 0 && (!strcmp(argv[0], "scan") || !strcmp(argv[0], "clear") || !strcmp(argv[0], "live"));
    for (int i = 1; i < argc; i++)
        if ((vehicle && !strcmp(argv[i], "--bay")) || !strcmp(argv[i], "--daemon"))
            return true;
    return false;
}

int cmd_daemon(cli_t *cli, int argc, char **argv)
{
    const char *sock = getenv("OBDGW_SOCKET");
    cJSON *req = cJSON_CreateObject();
    cJSON *av = cJSON_AddArrayToObject(req, "argv");
    for (int i = 0; i < argc; i++) {
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
        cJSON_AddItemToArray(av, cJSON_CreateString(argv[i]));
    }
    if (!sock || !*sock)
        sock = "/run/obdgw/obdgwd.sock";
    char *text = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!text || fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        cli_err(cli, "%s: %s %s: %s (%s)", argv[0], T(cli, "cannot reach obdgwd at", "无法连接 obdgwd："), sock,
                strerror(errno), T(cli, "is the bay service running? set OBDGW_SOCKET or --socket",
                                   "服务是否在运行？可设置 OBDGW_SOCKET 或 --socket"));
        free(text);
        if (fd >= 0)
            close(fd);
        return EXIT_FAIL;
    }
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    free(text);
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
