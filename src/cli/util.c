/* util.c — small helpers shared by the obdgw subcommands. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

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
