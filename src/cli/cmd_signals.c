/*
 * obdgw signals --list [--vin VIN] [--signals FILE] [--json]
 *
 * Which OEM signalsets (dtc-db/signals/, docs/signals.md) apply to a car
 * and what they read: per signal its id, module (request/response id), DID,
 * name (zh from the overlay, English marked when there is none), unit and
 * path; a signal whose definition is refused shows why (field named).
 * Also the selection `live --signal/--signals/--path` uses
 * (cli_signals_select).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "obdgw/signals.h"
#include "obdgw/vin.h"

#define MAX_INDEX 64

const char *cli_signal_name(const cli_t *cli, const sig_signal_t *s, char *buf, size_t cap)
{
    bool fb;
    const char *n = sig_name(s, cli->lang, &fb);
    if (!fb)
        return n;
    snprintf(buf, cap, "%s（无中文名）", n);
    return buf;
}

static int year_of(const char *vin)
{
    obd_vin_info_t v;
    return vin && obd_vin_decode(vin, &v) == OBD_OK ? v.model_year : 0;
}

/* Load one file from the signals directory. */
static sig_set_t *load_in(cli_t *cli, const char *dir, const char *file)
{
    char path[512], err[300];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    sig_set_t *s = NULL;
    if (sig_load_file(path, &s, err, sizeof err)) {
        cli_err(cli, "signals: %s", err);
        return NULL;
    }
    return s;
}

static bool in_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == n && !strncmp(p, id, n))
            return true;
        p = c ? c + 1 : NULL;
    }
    return false;
}

static bool path_match(const char *path, const char *want)
{
    size_t n = strlen(want);
    return !strncmp(path, want, n) && (path[n] == 0 || path[n] == '.');
}

int cli_signals_select(cli_t *cli, const char *file, const char *ids, const char *pathsel, const char *vin,
                       sig_set_t **out, bool *sel, int *year)
{
    *out = NULL;
    *year = year_of(vin);
    sig_set_t *s = NULL;
    char err[300];
    if (file) {
        if (sig_load_file(file, &s, err, sizeof err)) {
            cli_err(cli, "live: %s", err);
            return EXIT_DATA;
        }
    } else {
        /* --signal IDs without a file: the signalsets of the index (the VIN's, with --vin) that define them */
        char dir[512];
        sig_dir(dir, sizeof dir);
        sig_index_row_t rows[MAX_INDEX];
        size_t n = 0;
        if (sig_index_read(dir, rows, MAX_INDEX, &n, err, sizeof err)) {
            cli_err(cli, "live: %s", err);
            return EXIT_NOTFOUND;
        }
        const char *first = ids;
        char id1[SIG_ID_MAX];
        const char *c = strchr(first, ',');
        snprintf(id1, sizeof id1, "%.*s", c ? (int)(c - first) : (int)strlen(first), first);
        for (size_t i = 0; i < n && !s; i++) {
            if (vin && !sig_index_matches(&rows[i], vin))
                continue;
            sig_set_t *t = load_in(cli, dir, rows[i].file);
            if (t && sig_find(t, id1) >= 0)
                s = t;
            else
                free(t);
        }
        if (!s) {
            cli_err(cli, "live: %s '%s' (%s)", T(cli, "no signalset defines signal", "没有信号集定义信号"), id1,
                    T(cli, "see 'obdgw signals --list'", "参见 'obdgw signals --list'"));
            return EXIT_NOTFOUND;
        }
    }
    memset(sel, 0, SIG_MAX_SIGNALS * sizeof *sel);
    size_t nsel = 0;
    for (size_t i = 0; i < s->nsigs; i++) {
        const sig_signal_t *g = &s->sigs[i];
        bool want = ids ? in_list(ids, g->id) : !g->hidden;
        if (pathsel)
            want = want && path_match(g->path, pathsel);
        sel[i] = want;
        nsel += want;
    }
    if (ids) { /* every id asked for must exist */
        for (const char *p = ids; p && *p;) {
            const char *c = strchr(p, ',');
            char id[SIG_ID_MAX];
            snprintf(id, sizeof id, "%.*s", c ? (int)(c - p) : (int)strlen(p), p);
            if (sig_find(s, id) < 0) {
                cli_err(cli, "live: %s '%s'", T(cli, "unknown signal", "未知信号"), id);
                free(s);
                return EXIT_NOTFOUND;
            }
            p = c ? c + 1 : NULL;
        }
    }
    if (!nsel) {
        cli_err(cli, "live: %s%s%s", T(cli, "no signal selected", "未选中任何信号"), pathsel ? " --path " : "",
                pathsel ? pathsel : "");
        free(s);
        return EXIT_NOTFOUND;
    }
    *out = s;
    return EXIT_OK;
}

static void list_set(cli_t *cli, const sig_set_t *s, int year, cJSON *arr)
{
    for (size_t i = 0; i < s->nsigs; i++) {
        const sig_signal_t *g = &s->sigs[i];
        const sig_command_t *c = &s->cmds[g->cmd];
        if (year && !sig_command_applies(c, year))
            continue;
        char mod[24], did[8], nb[160];
        snprintf(mod, sizeof mod, "%X/%X", (unsigned)c->tx_id, (unsigned)c->rx_id);
        snprintf(did, sizeof did, "%04X", c->did);
        bool fb;
        const char *name = sig_name(g, cli->lang, &fb);
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", g->id);
            cJSON_AddStringToObject(o, "name", name);
            if (fb)
                cJSON_AddBoolToObject(o, "name_fallback", true);
            cJSON_AddStringToObject(o, "unit", sig_unit_text(g, cli->lang));
            cJSON_AddStringToObject(o, "path", g->path);
            cJSON_AddStringToObject(o, "module", mod);
            cJSON_AddStringToObject(o, "did", did);
            cJSON_AddNumberToObject(o, "freq", c->period_ms / 1000.0);
            if (g->err[0])
                cJSON_AddStringToObject(o, "error", g->err);
            cJSON_AddItemToArray(arr, o);
            continue;
        }
        if (g->err[0]) {
            fprintf(CLI_OUT(cli), "  %s  %s %s %s: %s\n", PAD(g->id, 26), PAD(mod, 9), did,
                    T(cli, "refused", "不支持"), g->err);
            continue;
        }
        fprintf(CLI_OUT(cli), "  %s  %s %s  %s %s %s\n", PAD(g->id, 26), PAD(mod, 9), did,
                PAD(cli_signal_name(cli, g, nb, sizeof nb), 34), PAD(sig_unit_text(g, cli->lang), 6), g->path);
    }
}

int cmd_signals(cli_t *cli, int argc, char **argv)
{
    const char *vin = NULL, *file = NULL;
    bool list = false;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_opt(cli, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--list"))
            list = true;
        else if (!strcmp(argv[i], "--vin") && i + 1 < argc)
            vin = argv[++i];
        else if (!strcmp(argv[i], "--signals") && i + 1 < argc)
            file = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s: obdgw signals --list [--vin VIN] [--signals FILE] [--json]\n  %s\n", T(cli, "usage", "用法"),
                   T(cli, "OEM signals (UDS $22 DIDs) from signalsets in the OBDb format: docs/signals.md",
                     "来自 OBDb 格式信号集的主机厂数据（UDS $22 DID）：见 docs/signals.md"));
            return EXIT_OK;
        } else {
            cli_err(cli, "signals: %s '%s'", T(cli, "unknown option", "未知选项"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!list) {
        cli_err(cli, "signals: %s", T(cli, "give --list", "请使用 --list"));
        return EXIT_USAGE;
    }
    obd_vin_info_t vi;
    if (vin && obd_vin_decode(vin, &vi) != OBD_OK) {
        cli_err(cli, "signals: %s '%s'", T(cli, "not a VIN", "不是有效的 VIN"), vin);
        return EXIT_USAGE;
    }
    int year = year_of(vin);
    cJSON *root = cli->json ? cJSON_CreateObject() : NULL;
    cJSON *sets = root ? cJSON_AddArrayToObject(root, "signalsets") : NULL;
    int shown = 0;
    if (file) {
        char err[300];
        sig_set_t *s = NULL;
        if (sig_load_file(file, &s, err, sizeof err)) {
            cli_err(cli, "signals: %s", err);
            cJSON_Delete(root);
            return EXIT_DATA;
        }
        cJSON *o = sets ? cJSON_CreateObject() : NULL;
        if (o) {
            cJSON_AddStringToObject(o, "file", file);
            cJSON_AddItemToArray(sets, o);
        } else {
            fprintf(CLI_OUT(cli), "%s\n", file);
        }
        list_set(cli, s, year, o ? cJSON_AddArrayToObject(o, "signals") : NULL);
        free(s);
        shown = 1;
    } else {
        char dir[512], err[300];
        sig_dir(dir, sizeof dir);
        sig_index_row_t rows[MAX_INDEX];
        size_t n = 0;
        if (sig_index_read(dir, rows, MAX_INDEX, &n, err, sizeof err)) {
            cli_err(cli, "signals: %s", err);
            cJSON_Delete(root);
            return EXIT_NOTFOUND;
        }
        for (size_t i = 0; i < n; i++) {
            if (vin && !sig_index_matches(&rows[i], vin))
                continue;
            sig_set_t *s = load_in(cli, dir, rows[i].file);
            if (!s)
                continue;
            shown++;
            const char *nm = T(cli, rows[i].name_en, rows[i].name_zh);
            if (sets) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "file", rows[i].file);
                cJSON_AddStringToObject(o, "name", nm);
                cJSON_AddStringToObject(o, "wmi", rows[i].wmi);
                cJSON *y = cJSON_AddArrayToObject(o, "years");
                cJSON_AddItemToArray(y, cJSON_CreateNumber(rows[i].year_from));
                cJSON_AddItemToArray(y, cJSON_CreateNumber(rows[i].year_to));
                list_set(cli, s, year, cJSON_AddArrayToObject(o, "signals"));
                cJSON_AddItemToArray(sets, o);
            } else {
                fprintf(CLI_OUT(cli), "%s · %s · %s %d-%d\n", nm, rows[i].file, rows[i].wmi, rows[i].year_from,
                        rows[i].year_to);
                list_set(cli, s, year, NULL);
            }
            free(s);
        }
    }
    if (root) {
        cli_json_out(cli, root);
    } else if (!shown) {
        cli_err(cli, "signals: %s%s%s", T(cli, "no signalset applies", "没有适用的信号集"), vin ? " · VIN " : "",
                vin ? vin : "");
    }
    return shown ? EXIT_OK : EXIT_NOTFOUND;
}
