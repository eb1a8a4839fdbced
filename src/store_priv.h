/*
 * store_priv.h — what the store_*.c files share, and the hooks the store's
 * own tests use (building a file at an old schema version, a fixed clock,
 * the raw SQLite handle). Not part of the public API: nothing outside src/
 * and tests/unit/test_store*.c includes this.
 */
#ifndef OBDGW_STORE_PRIV_H
#define OBDGW_STORE_PRIV_H

#include <sqlite3.h>
#include <string.h>

#include "obdgw/dtcdb.h"
#include "obdgw/store.h"

#define STORE_STMT_CACHE 128

struct store {
    sqlite3 *db;
    char err[256];
    char path[512];
    bool readonly;        /* opened on a write-protected file: reads only */
    bool in_tx;
    bool user_tx;         /* store_tx_begin(): store__begin/commit nest as savepoints */
    int sp_depth;         /* open savepoints inside a user transaction */
    int64_t fixed_now_ms; /* tests: a fixed clock; 0 = wall clock */
    dtcdb_t *dtcdb;       /* for DTC system keys in findings; opened lazily */
    bool dtcdb_tried;
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[STORE_STMT_CACHE];
    size_t ncache;
};

/* ---- errors: set st->err and return the code ---- */
int store__err(store_t *st, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Map the connection's last SQLite error to an obd error with a message
 * "what: reason" (disk full and read-only -> OBD_EIO, corrupt -> OBD_EBADDATA). */
int store__dberr(store_t *st, const char *what);
/* Same mapping for a given SQLite result code (no store needed). */
int store__map_sqlite(int rc);

/* ---- statements and transactions ---- */
/* A cached prepared statement for `sql` (reset, bindings cleared), or NULL
 * with the error set. Reset it after use. Not for list functions whose
 * callbacks may call back into the store: those prepare their own. */
sqlite3_stmt *store__stmt(store_t *st, const char *sql);
int store__exec(store_t *st, const char *sql);
/* Inside a store_tx_begin() transaction these open, release and roll back
 * a savepoint instead, so every write function joins the caller's
 * transaction and a failed one undoes only its own part. */
int store__begin(store_t *st);  /* BEGIN IMMEDIATE; OBD_EIO when read-only */
int store__commit(store_t *st); /* COMMIT; rolls back on failure */
void store__rollback(store_t *st);
/* Bind text, "" for NULL. */
void store__bind_text(sqlite3_stmt *s, int i, const char *t);
void store__col_text(sqlite3_stmt *s, int col, char *dst, size_t cap);

int64_t store__now_ms(store_t *st);

/* Copy a string, cutting it to fit (the cut is intended: display fields). */
static inline void store__copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = 0;
}

/* ---- shared lookups ---- */
/* Work order by RO number: OBD_ENOTFOUND with a message when absent. */
int store__wo_by_ro(store_t *st, const char *ro, store_wo_t *out);
int store__wo_by_id(store_t *st, int64_t id, store_wo_t *out);
/* Open RO by number: ENOTFOUND / ESTATE ("RO x is closed"). */
int store__wo_open(store_t *st, const char *ro, store_wo_t *out);
/* Insert the vehicle row for `vin` if new; its id in *id (0 for ""). */
int store__vehicle_id(store_t *st, const char *vin, int64_t *id);
bool store__vin_valid(const char *vin);
dtcdb_t *store__dtcdb(store_t *st);

/* Inside a transaction: which RO a scan with `vin` goes to — `ro` (or
 * `wo_id`) when open and its VIN matches (else ESTATE), otherwise the one
 * open RO with that VIN; *attached false with `note` saying why when none
 * (shared by OBD and UDS scans). */
int store__resolve_ro(store_t *st, const char *vin, const char *ro, int64_t wo_id, char *note, size_t notecap,
                      store_wo_t *wo, bool *attached);
/* Inside a transaction: confirmed DTCs of UDS scan `uds_sid` (answered
 * modules) outside the RO's complaint become proposed findings, when the
 * scan is pre-repair (stage pre or diag); *n gets how many were new. */
int store__add_uds_findings(store_t *st, int64_t uds_sid, store_stage_t stage, const store_wo_t *wo,
                            const char *vin, int *n);
/* An RO without a VIN takes the scan's (inside a transaction). */
int store__adopt_vin(store_t *st, store_wo_t *wo, const char *vin);

/* Audit append inside the caller's transaction. */
/* A 17-character VIN-like run in s (audit details must not hold one). */
bool store__audit_has_vin(const char *s);
int store__audit_tx(store_t *st, const char *action, const char *ro, const char *actor, const char *details_json);
/* SHA-256 hex of the concatenation of up to two buffers. */
int store__sha256_hex(const void *a, size_t alen, const void *b, size_t blen, char hex[65]);

/* ---- test hooks ---- */
/* Open `path` and apply migrations 1..version only (no later ones): builds
 * a file as an older obdgw would have left it. */
int store__open_at_version(const char *path, int version, store_t **out, char *err, size_t errcap);
sqlite3 *store__db(store_t *st);
void store__set_now(store_t *st, int64_t now_ms);
/* Number of forward migrations this build knows (== STORE_SCHEMA_VERSION). */
int store__migration_count(void);

#endif
