/*
 * dtcdb.c — DTC description database: TSV source parsing, the build step,
 * OEM pack loading and lookups. See dtcdb.h for the contract.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "obdgw/dtcdb.h"

#ifndef OBDGW_DATADIR
#define OBDGW_DATADIR "/usr/local/share/obdgw"
#endif

#define DTCDB_SCHEMA_VERSION "1"

const char *const dtcdb_systems[] = {
    "fuel_air", "ignition", "emission", "speed_idle", "computer", "transmission",
    "hybrid", "cyl_deact", "network", "body", "chassis", NULL,
};

static const char *const system_names[][2] = {
    { "Fuel and air metering", "燃油与空气计量" },
    { "Ignition / misfire", "点火/失火" },
    { "Auxiliary emission controls", "辅助排放控制" },
    { "Vehicle speed, idle and auxiliary inputs", "车速、怠速与辅助输入" },
    { "Control module and output circuits", "控制模块与输出电路" },
    { "Transmission", "变速器" },
    { "Hybrid / electric propulsion", "混合动力/电驱动系统" },
    { "Cylinder deactivation", "气缸停缸系统" },
    { "Network communication", "网络通信" },
    { "Body", "车身" },
    { "Chassis", "底盘" },
};

const char *dtcdb_system_name(const char *system, obd_lang_t lang)
{
    for (int i = 0; system && dtcdb_systems[i]; i++)
        if (!strcmp(system, dtcdb_systems[i]))
            return system_names[i][lang == OBD_LANG_ZH];
    return system ? system : "";
}

struct dtcdb {
    sqlite3 *db;
    sqlite3_stmt *q_generic, *q_pack;
    char path[PATH_MAX];
    int packs;
    long pack_rows;
};

/* ---------------- source rows ---------------- */

static bool known_system(const char *s)
{
    for (int i = 0; dtcdb_systems[i]; i++)
        if (!strcmp(s, dtcdb_systems[i]))
            return true;
    return false;
}

/* True when s holds at least one CJK ideograph (U+4E00..U+9FFF, UTF-8 E4..E9). */
static bool has_cjk(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xE4 && *p <= 0xE9 && p[1] >= 0x80 && p[2] >= 0x80)
            return true;
    return false;
}

int dtcdb_parse_line(char *line, dtcdb_row_t *row, const char **why)
{
    static const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = 0;
    if (n == 0 || line[0] == '#')
        return 0;
    char *col[5];
    int k = 0;
    char *p = line;
    for (;;) {
        if (k == 5) {
            *why = "more than 5 columns";
            return OBD_EFORMAT;
        }
        col[k++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    if (k != 5) {
        *why = "expected 5 tab-separated columns: code system scope en zh";
        return OBD_EFORMAT;
    }
    if (obd_dtc_parse(col[0], &row->code) != OBD_OK || col[0][0] != obd_dtc_letter(row->code)) {
        *why = "code is not an upper-case DTC like P0301";
        return OBD_EFORMAT;
    }
    if (!known_system(col[1])) {
        *why = "unknown system (see dtc-db/README.md)";
        return OBD_EFORMAT;
    }
    row->system = col[1];
    if (!strcmp(col[2], "generic"))
        row->scope = OBD_DTC_GENERIC;
    else if (!strcmp(col[2], "manufacturer"))
        row->scope = OBD_DTC_MANUFACTURER;
    else {
        *why = "scope must be generic or manufacturer";
        return OBD_EFORMAT;
    }
    if (row->scope != obd_dtc_scope(row->code)) {
        *why = "scope does not match the code's J2012 range";
        return OBD_EFORMAT;
    }
    if (!col[3][0] || !col[4][0]) {
        *why = "empty description";
        return OBD_EFORMAT;
    }
    if (strlen(col[3]) >= DTCDB_DESC_MAX || strlen(col[4]) >= DTCDB_DESC_MAX) {
        *why = "description too long";
        return OBD_EFORMAT;
    }
    if (!has_cjk(col[4])) {
        *why = "Chinese description has no Chinese text";
        return OBD_EFORMAT;
    }
    row->en = col[3];
    row->zh = col[4];
    return 1;
}

/* ---------------- build ---------------- */

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? OBD_OK : OBD_EDB;
}

int dtcdb_build(const char *path, const char *const *sources, size_t nsources, void *errv)
{
    FILE *err = errv ? (FILE *)errv : stderr;
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp)
        return OBD_EINVAL;
    unlink(tmp);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fprintf(err, "%s: cannot create: %s\n", tmp, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return OBD_EDB;
    }
    int rc = exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
                      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                      "CREATE TABLE dtc(code INTEGER PRIMARY KEY, text TEXT NOT NULL,"
                      " system TEXT NOT NULL, scope INTEGER NOT NULL,"
                      " en TEXT NOT NULL, zh TEXT NOT NULL);"
                      "INSERT INTO meta VALUES('schema_version','" DTCDB_SCHEMA_VERSION "');");
    sqlite3_stmt *ins = NULL;
    if (rc == OBD_OK && sqlite3_prepare_v2(db, "INSERT INTO dtc VALUES(?,?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK)
        rc = OBD_EDB;
    long rows = 0;
    int bad = 0;
    for (size_t i = 0; rc == OBD_OK && i < nsources; i++) {
        FILE *f = fopen(sources[i], "r");
        if (!f) {
            fprintf(err, "%s: %s\n", sources[i], strerror(errno));
            rc = -errno;
            break;
        }
        char line[2048];
        long lineno = 0;
        while (fgets(line, sizeof line, f)) {
            lineno++;
            dtcdb_row_t row;
            const char *why;
            int r = dtcdb_parse_line(line, &row, &why);
            if (r == 0)
                continue;
            if (r < 0) {
                fprintf(err, "%s:%ld: %s\n", sources[i], lineno, why);
                bad++;
                continue;
            }
            char text[OBD_DTC_TEXT_LEN];
            obd_dtc_format(row.code, text);
            sqlite3_bind_int(ins, 1, row.code);
            sqlite3_bind_text(ins, 2, text, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 3, row.system, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(ins, 4, (int)row.scope);
            sqlite3_bind_text(ins, 5, row.en, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 6, row.zh, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(ins) != SQLITE_DONE) {
                fprintf(err, "%s:%ld: %s: %s\n", sources[i], lineno, text,
                        sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY ? "duplicate code"
                                                                                     : sqlite3_errmsg(db));
                bad++;
            } else {
                rows++;
            }
            sqlite3_reset(ins);
        }
        fclose(f);
    }
    sqlite3_finalize(ins);
    if (rc == OBD_OK && bad) {
        fprintf(err, "dtcdb: %d bad rows, database not written\n", bad);
        rc = OBD_EFORMAT;
    }
    if (rc == OBD_OK)
        rc = exec(db, "COMMIT");
    if (sqlite3_close(db) != SQLITE_OK && rc == OBD_OK)
        rc = OBD_EDB;
    if (rc == OBD_OK) {
        int fd = open(tmp, O_RDONLY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
        if (rename(tmp, path) != 0)
            rc = -errno;
    }
    if (rc != OBD_OK)
        unlink(tmp);
    else
        fprintf(err == stderr ? stdout : err, "dtcdb: %s: %ld codes\n", path, rows);
    return rc;
}

/* ---------------- open / packs ---------------- */

static bool readable(const char *p) { return access(p, R_OK) == 0; }

static int default_path(char *out, size_t cap)
{
    const char *env = getenv("OBDGW_DTC_DB");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return OBD_OK;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *dir = dirname(exe);
        snprintf(out, cap, "%s/dtc.db", dir);
        if (readable(out))
            return OBD_OK;
        snprintf(out, cap, "%s/../share/obdgw/dtc.db", dir);
        if (readable(out))
            return OBD_OK;
    }
    snprintf(out, cap, "%s/dtc.db", OBDGW_DATADIR);
    return OBD_OK;
}

static void load_pack(dtcdb_t *d, const char *file, const char *name)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "obdgw: DTC pack %s: %s\n", file, strerror(errno));
        return;
    }
    sqlite3_stmt *ins = NULL, *wmi = NULL;
    sqlite3_prepare_v2(d->db, "INSERT OR REPLACE INTO temp.pack VALUES(?,?,?,?,?,?)", -1, &ins, NULL);
    sqlite3_prepare_v2(d->db, "INSERT OR IGNORE INTO temp.pack_wmi VALUES(?,?)", -1, &wmi, NULL);
    char line[2048];
    long lineno = 0;
    int wmis = 0;
    exec(d->db, "SAVEPOINT pack");
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strncmp(line, "# wmi:", 6)) {
            for (char *tok = strtok(line + 6, " ,\t\r\n"); tok; tok = strtok(NULL, " ,\t\r\n")) {
                if (strlen(tok) != 3) {
                    fprintf(stderr, "obdgw: DTC pack %s:%ld: WMI '%s' is not 3 characters\n", file, lineno, tok);
                    continue;
                }
                sqlite3_bind_text(wmi, 1, name, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(wmi, 2, tok, -1, SQLITE_TRANSIENT);
                sqlite3_step(wmi);
                sqlite3_reset(wmi);
                wmis++;
            }
            continue;
        }
        dtcdb_row_t row;
        const char *why;
        int r = dtcdb_parse_line(line, &row, &why);
        if (r == 0)
            continue;
        if (r < 0) {
            fprintf(stderr, "obdgw: DTC pack %s:%ld: %s (row skipped)\n", file, lineno, why);
            continue;
        }
        sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 2, row.code);
        sqlite3_bind_text(ins, 3, row.system, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 4, (int)row.scope);
        sqlite3_bind_text(ins, 5, row.en, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 6, row.zh, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ins) == SQLITE_DONE)
            d->pack_rows++;
        sqlite3_reset(ins);
    }
    if (wmis == 0)
        fprintf(stderr, "obdgw: DTC pack %s has no '# wmi:' line; it will never apply\n", file);
    exec(d->db, "RELEASE pack");
    d->packs++;
    sqlite3_finalize(ins);
    sqlite3_finalize(wmi);
    fclose(f);
}

static void load_packs_dir(dtcdb_t *d, const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent **list = NULL;
    closedir(dh);
    int n = scandir(dir, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *fn = list[i]->d_name;
        size_t len = strlen(fn);
        if (fn[0] != '.' && len > 4 && !strcmp(fn + len - 4, ".tsv")) {
            char file[PATH_MAX], name[256];
            snprintf(file, sizeof file, "%s/%s", dir, fn);
            snprintf(name, sizeof name, "%.*s", (int)(len - 4), fn);
            load_pack(d, file, name);
        }
        free(list[i]);
    }
    free(list);
}

int dtcdb_open(dtcdb_t **out, const char *path, const char *packs_dir)
{
    *out = NULL;
    dtcdb_t *d = calloc(1, sizeof *d);
    if (!d)
        return -ENOMEM;
    if (path)
        snprintf(d->path, sizeof d->path, "%s", path);
    else
        default_path(d->path, sizeof d->path);
    if (!readable(d->path)) {
        free(d);
        return OBD_ENOTFOUND;
    }
    if (sqlite3_open_v2(d->path, &d->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(d->db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st, NULL) ==
                  SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW &&
              !strcmp((const char *)sqlite3_column_text(st, 0), DTCDB_SCHEMA_VERSION);
    sqlite3_finalize(st);
    if (!ok)
        goto fail;
    if (exec(d->db, "CREATE TEMP TABLE pack(name TEXT NOT NULL, code INTEGER NOT NULL,"
                    " system TEXT NOT NULL, scope INTEGER NOT NULL, en TEXT NOT NULL, zh TEXT NOT NULL,"
                    " PRIMARY KEY(name, code));"
                    "CREATE TEMP TABLE pack_wmi(name TEXT NOT NULL, wmi TEXT NOT NULL COLLATE NOCASE,"
                    " PRIMARY KEY(wmi, name));") != OBD_OK)
        goto fail;
    if (packs_dir) {
        load_packs_dir(d, packs_dir);
    } else {
        const char *env = getenv("OBDGW_DTC_PACKS");
        if (env && *env) {
            load_packs_dir(d, env);
        } else {
            char tmp[PATH_MAX], dir[PATH_MAX];
            snprintf(tmp, sizeof tmp, "%s", d->path);
            snprintf(dir, sizeof dir, "%s/dtc.d", dirname(tmp));
            load_packs_dir(d, dir);
            load_packs_dir(d, "/etc/obdgw/dtc.d");
        }
    }
    if (sqlite3_prepare_v2(d->db, "SELECT system, scope, en, zh FROM dtc WHERE code=?", -1, &d->q_generic,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(d->db,
                           "SELECT p.name, p.system, p.scope, p.en, p.zh FROM temp.pack p"
                           " JOIN temp.pack_wmi w ON w.name = p.name"
                           " WHERE p.code = ?1 AND w.wmi = ?2 ORDER BY p.name LIMIT 1",
                           -1, &d->q_pack, NULL) != SQLITE_OK)
        goto fail;
    *out = d;
    return OBD_OK;
fail:
    dtcdb_close(d);
    return OBD_EDB;
}

void dtcdb_close(dtcdb_t *d)
{
    if (!d)
        return;
    sqlite3_finalize(d->q_generic);
    sqlite3_finalize(d->q_pack);
    sqlite3_close(d->db);
    free(d);
}

const char *dtcdb_path(const dtcdb_t *d) { return d->path; }

/* ---------------- lookup ---------------- */

static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

int dtcdb_lookup(dtcdb_t *d, obd_dtc_t code, const char *wmi, obd_lang_t lang, dtcdb_entry_t *out)
{
    if (!d || !out)
        return OBD_EINVAL;
    memset(out, 0, sizeof *out);
    out->code = code;
    obd_dtc_format(code, out->text);
    out->category = obd_dtc_category(code);
    out->scope = obd_dtc_scope(code);
    int desc_col = lang == OBD_LANG_ZH ? 4 : 3;
    if (wmi && strlen(wmi) >= 3) {
        char w[4] = { wmi[0], wmi[1], wmi[2], 0 };
        sqlite3_bind_int(d->q_pack, 1, code);
        sqlite3_bind_text(d->q_pack, 2, w, 3, SQLITE_TRANSIENT);
        if (sqlite3_step(d->q_pack) == SQLITE_ROW) {
            out->found = true;
            copy_col(out->source, sizeof out->source, d->q_pack, 0);
            copy_col(out->system, sizeof out->system, d->q_pack, 1);
            copy_col(out->desc, sizeof out->desc, d->q_pack, desc_col);
        }
        sqlite3_reset(d->q_pack);
        if (out->found)
            return OBD_OK;
    }
    sqlite3_bind_int(d->q_generic, 1, code);
    int rc = sqlite3_step(d->q_generic);
    if (rc == SQLITE_ROW) {
        out->found = true;
        snprintf(out->source, sizeof out->source, "generic");
        copy_col(out->system, sizeof out->system, d->q_generic, 0);
        copy_col(out->desc, sizeof out->desc, d->q_generic, desc_col - 1);
    }
    sqlite3_reset(d->q_generic);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return OBD_EDB;
    if (!out->found) {
        if (lang == OBD_LANG_ZH)
            snprintf(out->desc, sizeof out->desc, "无描述（%s，%s故障码）", obd_dtc_category_name(out->category, lang),
                     obd_dtc_scope_name(out->scope, lang));
        else
            snprintf(out->desc, sizeof out->desc, "no description (%s, %s code)",
                     obd_dtc_category_name(out->category, lang), obd_dtc_scope_name(out->scope, lang));
    }
    return OBD_OK;
}

int dtcdb_stats(dtcdb_t *d, dtcdb_stats_t *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT code >> 14, scope, COUNT(*), SUM(en <> ''), SUM(zh <> '')"
                           " FROM dtc GROUP BY 1, 2",
                           -1, &st, NULL) != SQLITE_OK)
        return OBD_EDB;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int cat = sqlite3_column_int(st, 0) & 3, scope = sqlite3_column_int(st, 1);
        long n = sqlite3_column_int64(st, 2);
        out->total += n;
        out->by_category[cat] += n;
        if (scope == OBD_DTC_GENERIC)
            out->generic += n;
        else
            out->manufacturer += n;
        out->with_en += sqlite3_column_int64(st, 3);
        out->with_zh += sqlite3_column_int64(st, 4);
    }
    sqlite3_finalize(st);
    out->packs = d->packs;
    out->pack_rows = d->pack_rows;
    return OBD_OK;
}
