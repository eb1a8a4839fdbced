/*
 * dtcdb.h — the bilingual DTC description database.
 *
 * Generic SAE J2012 descriptions are compiled at build time from the text
 * sources in dtc-db/generic/ (one .tsv per range) into an SQLite file (build/dtc.db,
 * installed as $(PREFIX)/share/obdgw/dtc.db). OEM packs — the same TSV format
 * plus a "# wmi:" header naming the World Manufacturer Identifiers they apply
 * to — are read at open time from a directory, so they can be added without a
 * rebuild; for a vehicle whose WMI a pack lists, the pack's text overrides the
 * generic text. An unknown code is answered "no description" with its decoded
 * category: never a guess.
 *
 * Source row format (tab-separated, see dtc-db/README.md):
 *     code  system  scope  en  zh
 */
#ifndef OBDGW_DTCDB_H
#define OBDGW_DTCDB_H

#include "obdgw/base.h"
#include "obdgw/dtc.h"

typedef struct dtcdb dtcdb_t;

#define DTCDB_DESC_MAX 256

/* One parsed source row. Strings point into the caller's (modified) line. */
typedef struct {
    obd_dtc_t code;
    const char *system;
    obd_dtc_scope_t scope;
    const char *en, *zh;
} dtcdb_row_t;

/*
 * Parse one line of a TSV source in place (tabs become NULs). Returns 1 for a
 * row, 0 for a comment/blank line, or a negative error with a reason in
 * `why` (static text). Checks: 5 columns, a valid code, a known system, the
 * scope word matches the code (generic vs manufacturer), both texts present,
 * the Chinese text containing Chinese.
 */
int dtcdb_parse_line(char *line, dtcdb_row_t *row, const char **why);

/* The known `system` words (NULL-terminated list). */
extern const char *const dtcdb_systems[];
/* Display name of a system word ("ignition" -> "Ignition / misfire" / "点火/失火");
 * the word itself when unknown. */
const char *dtcdb_system_name(const char *system, obd_lang_t lang);

/*
 * Open the database. `path` NULL: $OBDGW_DTC_DB, else dtc.db beside the
 * executable, else ../share/obdgw/dtc.db from it, else the installed path.
 * `packs_dir` NULL: $OBDGW_DTC_PACKS, else dtc.d/ beside the database file,
 * plus /etc/obdgw/dtc.d. A bad pack row is reported to stderr with file:line
 * and skipped; it never stops the generic database from working.
 */
int dtcdb_open(dtcdb_t **out, const char *path, const char *packs_dir);
void dtcdb_close(dtcdb_t *db);
/* The file actually opened. */
const char *dtcdb_path(const dtcdb_t *db);

typedef struct {
    bool found;                /* false: no description known */
    obd_dtc_t code;
    char text[OBD_DTC_TEXT_LEN];
    obd_dtc_cat_t category;
    obd_dtc_scope_t scope;
    char system[24];           /* "" when not found */
    char source[48];           /* "generic" or the pack name */
    char desc[DTCDB_DESC_MAX]; /* description, or "no description (...)" */
} dtcdb_entry_t;

/*
 * Describe `code` in `lang`. `wmi` (first 3 VIN characters, may be NULL)
 * selects OEM packs. Never fails for a valid code: an unknown one gives
 * found=false and a "no description" text naming its category and scope.
 */
int dtcdb_lookup(dtcdb_t *db, obd_dtc_t code, const char *wmi, obd_lang_t lang, dtcdb_entry_t *out);

typedef struct {
    long total;
    long by_category[4];  /* P, C, B, U */
    long generic, manufacturer;
    long with_en, with_zh;
    long pack_rows;       /* rows loaded from OEM packs */
    int packs;
} dtcdb_stats_t;

int dtcdb_stats(dtcdb_t *db, dtcdb_stats_t *out);

/* Build a database file from TSV sources (the build tool's core). Writes
 * path.new, then renames. Errors go to `err` (a FILE*) as file:line: reason. */
int dtcdb_build(const char *path, const char *const *sources, size_t nsources, void *err);

#endif
