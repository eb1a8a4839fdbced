/* util.c — small helpers shared by the obdgw subcommands. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "obdgw/store.h"
#include "obdgw/utf8.h"

int cli_hex_parse(const char *s, unsigned char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = s; *p; p++) {
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hi < 0) {
            p++;
            continue;
        }
        if (isspace((unsigned char)*p) || *p == ',' || *p == ':' || *p == '-')
            continue;
        int v;
        if (*p >= '0' && *p <= '9')
            v = *p - '0';
        else if (toupper((unsigned char)*p) >= 'A' && toupper((unsigned char)*p) <= 'F')
            v = toupper((unsigned char)*p) - 'A' + 10;
        else
            return OBD_EFORMAT;
        if (hi < 0) {
            hi = v;
        } else {
            if (n == cap)
                return OBD_ENOSPC;
            out[n++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0)
        return OBD_EFORMAT; /* odd number of hex digits */
    *len = n;
    return OBD_OK;
}

int cli_common_opt(cli_t *cli, int argc, char **argv, int *i)
{
    if (!strcmp(argv[*i], "--store")) {
        if (*i + 1 >= argc) {
            cli_err(cli, "--store %s", T(cli, "needs a database file path", "需要数据库文件路径"));
            return -1;
        }
        cli->store_path = argv[++*i];
        return 1;
    }
    if (!strcmp(argv[*i], "--json")) {
        cli->json = true;
        return 1;
    }
    if (!strcmp(argv[*i], "--lang")) {
        if (*i + 1 >= argc) {
            cli_err(cli, "--lang %s", T(cli, "needs en or zh", "需要 en 或 zh"));
            return -1;
        }
        int l = obd_lang_parse(argv[++*i]);
        if (l < 0) {
            cli_err(cli, "--lang: '%s' %s", argv[*i], T(cli, "is not en or zh", "不是 en 或 zh"));
            return -1;
        }
        cli->lang = (obd_lang_t)l;
        return 1;
    }
    return 0;
}

/* East Asian wide and fullwidth ranges that Chinese text uses. */
static int cp_width(uint32_t c)
{
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
        (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

int cli_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        uint32_t c = *p;
        int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        if (n > 1) {
            c &= 0x3Fu >> (n - 1);
            for (int k = 1; k < n; k++) {
                if ((p[k] & 0xC0) != 0x80) { /* broken sequence: count the lead byte alone */
                    n = 1;
                    c = '?';
                    break;
                }
                c = c << 6 | (p[k] & 0x3Fu);
            }
        }
        w += cp_width(c);
        p += n;
    }
    return w;
}

const char *cli_pad(const char *s, int width, char *buf, size_t cap)
{
    if (!s)
        s = "";
    int pad = width - cli_width(s);
    snprintf(buf, cap, "%s%*s", s, pad > 0 ? pad : 0, "");
    return buf;
}

const char *cli_store_path(const cli_t *cli, char *buf, size_t cap)
{
    if (cli->store_path && *cli->store_path)
        return cli->store_path;
    const char *e = getenv("OBDGW_STORE");
    if (e && *e)
        return e;
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, cap, "%s/obdgw/obdgw.db", xdg);
    else
        snprintf(buf, cap, "%s/.local/share/obdgw/obdgw.db", home && *home ? home : ".");
    return buf;
}

/* mkdir -p for the directory part of `path` (the default store location). */
static void make_parent_dirs(const char *path)
{
    char d[1024];
    snprintf(d, sizeof d, "%s", path);
    char *slash = strrchr(d, '/');
    if (!slash || slash == d)
        return;
    *slash = 0;
    for (char *p = d + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(d, 0700);
            *p = '/';
        }
    }
    mkdir(d, 0700);
}

/* A recording cut short (its process was killed) is closed when a store is
 * opened; say so where the user sees it. */
static void rec_closed(void *ctx, const store_recording_t *r, const char *ro, const char *why)
{
    const cli_t *cli = ctx;
    double secs = (double)(r->ended_ms - r->started_ms) / 1000.0;
    char rot[80] = "";
    if (ro && *ro)
        snprintf(rot, sizeof rot, cli->lang == OBD_LANG_ZH ? "（工单 %s）" : " of RO %s", ro);
    if (cli->lang == OBD_LANG_ZH)
        cli_err(cli, "数据流记录 #%lld%s 已中断（记录它的进程已不存在）：按最后一个采样结束，%lld 个采样，%.1f 秒",
                (long long)r->id, rot, (long long)r->samples, secs);
    else
        cli_err(cli, "recording #%lld%s was interrupted (%s): closed at its last sample, %lld samples, %.1f s",
                (long long)r->id, rot, why, (long long)r->samples, secs);
}

store_t *cli_store_open(cli_t *cli, const char *cmd)
{
    char buf[1024];
    const char *path = cli_store_path(cli, buf, sizeof buf);
    if (path == buf) /* only the default location is created for the user */
        make_parent_dirs(path);
    store_t *st = NULL;
    char err[256] = "";
    int rc = store_open(path, &st, err, sizeof err);
    if (rc) {
        cli_err(cli, "%s: %s %s: %s", cmd, T(cli, "cannot open the store", "无法打开数据库"), path,
                err[0] ? err : obd_strerror(rc));
        return NULL;
    }
    if (store_rec_close_interrupted(st, cli_actor(NULL), rec_closed, cli) < 0)
        cli_err(cli, "%s: %s: %s", cmd, T(cli, "an interrupted recording could not be closed", "无法关闭中断的数据流记录"),
                store_errmsg(st));
    return st;
}

const char *cli_actor(const char *given)
{
    if (given && *given)
        return given;
    const char *u = getenv("OBDGW_USER");
    if (u && *u)
        return u;
    u = getenv("USER");
    return u && *u ? u : "unknown";
}

void cli_store_fail(cli_t *cli, store_t *st, const char *cmd, int rc)
{
    const char *m = st ? store_errmsg(st) : NULL;
    cli_err(cli, "%s: %s", cmd, m && *m ? m : obd_strerror(rc));
}

void cli_err(const cli_t *cli, const char *fmt, ...)
{
    FILE *f = cli ? CLI_ERR(cli) : stderr;
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    fputs("obdgw: ", f);
    /* One line, and nothing from an adapter, a file or the DMS that a
     * terminal would obey: control characters are shown as \xNN. */
    char *safe = n >= 0 ? malloc(4 * (size_t)n + 1) : NULL;
    if (safe) {
        obd_text_escape(msg, (size_t)n, safe, 4 * (size_t)n + 1);
        fputs(safe, f);
    } else {
        fputs(T(cli ? cli : &(cli_t){ .lang = OBD_LANG_EN }, "out of memory", "内存不足"), f);
    }
    fputc('\n', f);
    free(safe);
    if (n >= 0)
        free(msg);
}

void cli_json_out(const cli_t *cli, cJSON *j)
{
    char *s = cJSON_Print(j);
    if (s) {
        fputs(s, CLI_OUT(cli));
        fputc('\n', CLI_OUT(cli));
        free(s);
    }
    cJSON_Delete(j);
}

void cli_json_print(cJSON *j) { cli_json_out(&(cli_t){ 0 }, j); }
