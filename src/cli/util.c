/* util.c — small helpers shared by the obdgw subcommands. */
#include <ctype.h>
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
