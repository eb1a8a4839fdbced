/*
 * signals_db.c — where signalsets live (signals.h): the directory
 * (dtc-db/signals/ in the tree, share/obdgw/signals installed), its
 * index.tsv choosing files by VIN (WMI + model-year range, like the OEM
 * DTC packs choose by WMI), loading a file, and the Chinese name overlay
 * (DIR/zh/<file without .json>.tsv: "SIGNAL_ID<TAB>中文名").
 *
 * The JSON files stay in the OBDb format as published (the schema allows
 * no extra fields), so what selects them is kept beside them, in the index.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "obdgw/signals.h"
#include "obdgw/vin.h"

#define SIG_FILE_MAX (4u << 20) /* a signalset bigger than 4 MB is not one */

static bool is_dir_with_index(const char *d)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/index.tsv", d);
    return access(p, R_OK) == 0;
}

const char *sig_dir(char *out, size_t cap)
{
    const char *env = getenv("OBDGW_SIGNALS");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return out;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *dir = dirname(exe);
        /* build/obdgw in the tree: dtc-db/signals beside build/; installed: ../share/obdgw/signals */
        snprintf(out, cap, "%s/../dtc-db/signals", dir);
        if (is_dir_with_index(out))
            return out;
        snprintf(out, cap, "%s/../../dtc-db/signals", dir);
        if (is_dir_with_index(out))
            return out;
        snprintf(out, cap, "%s/../share/obdgw/signals", dir);
        if (is_dir_with_index(out))
            return out;
    }
    snprintf(out, cap, "%s/signals", OBDGW_DATADIR);
    return out;
}

static char *slurp(const char *path, size_t *len, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: cannot open", path);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        if (cap >= SIG_FILE_MAX) {
            snprintf(err, errcap, "%s: larger than %u bytes", path, SIG_FILE_MAX);
            free(b);
            b = NULL;
            break;
        }
        char *nb = realloc(b, 2 * cap + 1);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    if (b && ferror(f)) {
        snprintf(err, errcap, "%s: read error", path);
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = 0;
        *len = n;
    } else if (!err[0]) {
        snprintf(err, errcap, "%s: out of memory", path);
    }
    return b;
}

int sig_overlay_zh(sig_set_t *s, const char *text, size_t len)
{
    if (!s || !text)
        return OBD_EINVAL;
    size_t applied = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p && *p != '#') {
            const char *tab = memchr(p, '\t', (size_t)(le - p));
            if (tab) {
                char id[SIG_ID_MAX];
                size_t il = (size_t)(tab - p), nl2 = (size_t)(le - tab - 1);
                if (nl2 && tab[nl2] == '\r')
                    nl2--;
                if (il && il < sizeof id && nl2 && nl2 < SIG_NAME_MAX) {
                    memcpy(id, p, il);
                    id[il] = 0;
                    int k = sig_find(s, id);
                    if (k >= 0) {
                        memcpy(s->sigs[k].name_zh, tab + 1, nl2);
                        s->sigs[k].name_zh[nl2] = 0;
                        applied++;
                    }
                }
            }
        }
        p = le + 1;
    }
    return (int)applied;
}

int sig_load_file(const char *path, sig_set_t **out, char *err, size_t errcap)
{
    if (err && errcap)
        err[0] = 0;
    *out = NULL;
    size_t len = 0;
    char *text = slurp(path, &len, err, errcap);
    if (!text)
        return OBD_ENOTFOUND;
    sig_set_t *s = calloc(1, sizeof *s);
    if (!s) {
        free(text);
        snprintf(err, errcap, "out of memory");
        return -12;
    }
    char why[200];
    int rc = sig_parse(text, len, s, why, sizeof why);
    free(text);
    if (rc) {
        snprintf(err, errcap, "%s: %s", path, why);
        free(s);
        return rc;
    }
    /* the zh overlay: DIR/zh/BASE.tsv */
    char tmp[PATH_MAX], tmp2[PATH_MAX], zh[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(tmp2, sizeof tmp2, "%s", path);
    char *base = basename(tmp2);
    char *dot = strrchr(base, '.');
    if (dot && !strcmp(dot, ".json"))
        *dot = 0;
    snprintf(zh, sizeof zh, "%s/zh/%s.tsv", dirname(tmp), base);
    char e2[64] = "";
    char *ztext = access(zh, R_OK) == 0 ? slurp(zh, &len, e2, sizeof e2) : NULL;
    if (ztext) {
        sig_overlay_zh(s, ztext, len);
        free(ztext);
    }
    *out = s;
    return OBD_OK;
}

/* ---------------- index.tsv ---------------- */

/* file <TAB> wmi list (space-separated) <TAB> year from-to <TAB> name en <TAB> name zh */
int sig_index_read(const char *dir, sig_index_row_t *rows, size_t cap, size_t *n, char *err, size_t errcap)
{
    *n = 0;
    if (err && errcap)
        err[0] = 0;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/index.tsv", dir);
    size_t len;
    char e[160] = "";
    char *text = slurp(path, &len, e, sizeof e);
    if (!text) {
        snprintf(err, errcap, "%s", e);
        return OBD_ENOTFOUND;
    }
    int line = 0, rc = OBD_OK;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        size_t ll = strlen(l);
        if (ll && l[ll - 1] == '\r')
            l[--ll] = 0;
        if (!ll || l[0] == '#')
            continue;
        char *col[5] = { 0 };
        int nc = 0;
        for (char *p = l; nc < 5;) {
            col[nc++] = p;
            char *t = strchr(p, '\t');
            if (!t)
                break;
            *t = 0;
            p = t + 1;
        }
        if (*n >= cap) {
            snprintf(err, errcap, "%s:%d: more than %zu signalsets", path, line, cap);
            rc = OBD_ENOSPC;
            break;
        }
        sig_index_row_t *r = &rows[*n];
        memset(r, 0, sizeof *r);
        int a, b;
        char extra;
        if (nc != 5 || strlen(col[0]) >= sizeof r->file || strchr(col[0], '/') || strlen(col[1]) >= sizeof r->wmi ||
            sscanf(col[2], "%d-%d%c", &a, &b, &extra) != 2 || a < 1980 || b < a || b > 2100 ||
            strlen(col[3]) >= sizeof r->name_en || strlen(col[4]) >= sizeof r->name_zh || !col[3][0] || !col[4][0]) {
            snprintf(err, errcap, "%s:%d: want FILE<TAB>WMI ...<TAB>YYYY-YYYY<TAB>name<TAB>中文名", path, line);
            rc = OBD_EFORMAT;
            break;
        }
        snprintf(r->file, sizeof r->file, "%s", col[0]);
        snprintf(r->wmi, sizeof r->wmi, "%s", col[1]);
        r->year_from = a;
        r->year_to = b;
        snprintf(r->name_en, sizeof r->name_en, "%s", col[3]);
        snprintf(r->name_zh, sizeof r->name_zh, "%s", col[4]);
        (*n)++;
    }
    free(text);
    return rc;
}

bool sig_index_matches(const sig_index_row_t *r, const char *vin)
{
    obd_vin_info_t v;
    if (!r || !vin || obd_vin_decode(vin, &v) != OBD_OK)
        return false;
    bool wmi = false;
    for (const char *p = r->wmi; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        if (!strncmp(p, v.wmi, 3) && (p[3] == 0 || p[3] == ' ' || p[3] == ','))
            wmi = true;
        while (*p && *p != ' ' && *p != ',')
            p++;
    }
    if (!wmi)
        return false;
    bool y1 = v.model_year && v.model_year >= r->year_from && v.model_year <= r->year_to;
    bool y2 = v.model_year_alt && v.model_year_alt >= r->year_from && v.model_year_alt <= r->year_to;
    return y1 || y2;
}
