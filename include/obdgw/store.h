/*
 * store.h — the workshop evidence store (one SQLite file).
 *
 * Everything a workshop must be able to show later lives here: vehicles,
 * work orders (repair orders, RO), scans with every ECU's results and the raw
 * replies behind them, clear operations with the snapshot they were gated
 * on, additional findings (增项) and their consent state, live-data
 * recordings, QC sign-offs, and an append-only, hash-chained audit log.
 *
 * Rules:
 *   - WAL mode, foreign keys on, synchronous=FULL: anything a function here
 *     reports as saved is durable (survives kill -9 and power loss).
 *   - The schema is versioned (PRAGMA user_version) with forward migrations;
 *     opening an older file migrates it in one transaction.
 *   - Every write is one transaction: it happens whole or not at all.
 *   - No VIN or plate is logged at INFO level (a VIN tied to an RO is
 *     personal data); errors name the RO number and ids only.
 *
 * Errors: OBD_OK, or a negative obd error (base.h); store_errmsg() gives a
 * one-line reason ("RO 2024-0012 is closed", "database is corrupt: ...").
 */
#ifndef OBDGW_STORE_H
#define OBDGW_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "obdgw/base.h"
#include "obdgw/session.h"

typedef struct store store_t;

#define STORE_RO_LEN 32
#define STORE_TEXT_LEN 1024 

/* ---- open / close ---- */

/* Open (creating and migrating as needed). `path` ":memory:" works for tests.
 * `err` gets a one-line reason on failure (corrupt file, read-only, ...). */
int store_open(const char *path, store_t **out, char *err, size_t errcap);
void store_close(store_t *st);
const char *store_errmsg(const store_t *st);
int store_schema_version(store_t *st);      /* PRAGMA user_version */
#define STORE_SCHEMA_VERSION 11             /* what this build writes */
/* PRAGMA integrity_check + foreign_key_check: OK, or OBD_EBADDATA with the
 * first problem in store_errmsg(). */
int store_integrity_check(store_t *st);
/* PRAGMA quick_check (the b-tree pages, without the index cross-checks):
 * what obdgwd runs at every start. OK, or OBD_EBADDATA with the problem. */
int store_quick_check(store_t *st);
/* Opened read-only (the file or its directory is write-protected). */
bool store_is_readonly(const store_t *st);

/* ---- work orders ---- */

typedef enum { STORE_WO_OPEN = 0, STORE_WO_CLOSED = 1 } store_wo_status_t;

typedef struct {
    int64_t id;
    char ro[STORE_RO_LEN];          /* RO number as the DMS knows it, unique */
    char vin[18];                   /* "" when not known yet */
    char plate[24];
    int mileage_in_km;              /* -1 unknown */
    char complaint[STORE_TEXT_LEN]; /* customer's words */
    /* What the advisor tied the complaint to: DTCs ("P0301") and/or DTC
     * systems ("ignition", "fuel_air", see dtcdb system keys), separated by
     * spaces or commas. Confirmed DTCs outside these become findings. */
    char complaint_codes[128];
    char bay[16];
    char technician[48];
    store_wo_status_t status;
    int64_t opened_ms, closed_ms;   /* wall clock ms; closed_ms 0 while open */
    char source[16];                /* "cli" or "dms" */
} store_wo_t;

/* Add a work order (id filled in). OBD_EEXIST-like error (OBD_EINVAL with a
 * message) when the RO number exists; VIN, if given, must be 17 valid chars. */
int store_wo_add(store_t *st, store_wo_t *wo);
/* Insert or update by RO number (the DMS path): fields given replace old
 * ones; a closed RO is not reopened. */
int store_wo_upsert(store_t *st, store_wo_t *wo);
/* The DMS path (obdgwd): store_wo_upsert with `msg_id` as the idempotency
 * key (a msg_id applied before: STORE_WO_DUPLICATE, nothing changed), a
 * closed RO frozen (OBD_ESTATE), and an audit entry by `actor` that keeps
 * the old and new values and the payload's technician as a claim. */
#define STORE_WO_DUPLICATE 1
int store_wo_apply(store_t *st, store_wo_t *wo, const char *msg_id, const char *actor);
int store_wo_get(store_t *st, const char *ro, store_wo_t *out); /* OBD_ENOTFOUND */
int store_wo_close(store_t *st, const char *ro);
/* List work orders, newest first; `open_only`. Calls `fn` per row; stops
 * early if it returns non-zero. */
int store_wo_list(store_t *st, bool open_only, int (*fn)(void *ctx, const store_wo_t *wo), void *ctx);

/* ---- scans ---- */

typedef enum {
    STORE_STAGE_RECEPTION = 0, /* reception / pre-repair */
    STORE_STAGE_DIAGNOSTIC,
    STORE_STAGE_SELFCHECK,     /* technician's self-check after the repair */
    STORE_STAGE_POST,          /* post-repair */
    STORE_STAGE_QC,            /* final QC */
    STORE_STAGE_ADHOC,
    STORE_STAGE_COUNT
} store_stage_t;

const char *store_stage_key(store_stage_t s);             /* "pre", "diag", "self", "post", "qc", "adhoc" */
const char *store_stage_name(store_stage_t s, obd_lang_t lang);
int store_stage_parse(const char *key, store_stage_t *out); /* also accepts "reception", "pre-repair", "final" */

typedef struct {
    int64_t id;
    int64_t wo_id;                  /* 0: unassigned */
    char ro[STORE_RO_LEN];          /* "" when unassigned (filled on load) */
    store_stage_t stage;
    char technician[48];
    char vin[18];
    int64_t started_ms;
    double mileage_km;              /* < 0 unknown */
    char mileage_source[12];        /* "pid_a6", "entered", "" */
    char adapter[64];
    char protocol[40];
    double battery_v;               /* < 0 unknown */
    char assign_note[128];          /* why unassigned: "no open RO for this VIN", "2 open ROs match" */
} store_scan_meta_t;

/* Bound this connection's page cache (SQLite's default is 2 MB per
 * connection). obdgwd's loop connection, which walks the outbox, uses a
 * small one; the OS page cache still holds the file. */
int store_set_cache_kb(store_t *st, int kb);

/* ---- one transaction around several writes ----
 * Between store_tx_begin() and store_tx_commit() every write of this store
 * (store_*, outbox_*) joins one transaction: all of it is on disk when the
 * commit returns, none of it after a crash or store_tx_rollback(). A write
 * that fails inside undoes only its own part (a savepoint) and returns its
 * error; the caller then commits the rest or rolls back all. obdgwd uses it
 * to commit evidence and the DMS message announcing it together
 * (outbox.h). Keep it short: the store is locked for writers meanwhile. */
int store_tx_begin(store_t *st);
int store_tx_commit(store_t *st); /* on failure nothing was written */
void store_tx_rollback(store_t *st);

/*
 * Save a scan. `meta->wo_id`/`ro`: if `ro` is given, the scan is attached to
 * that RO when it is open and its VIN matches (an RO without a VIN gets the
 * scan's VIN); a closed RO or a different VIN is an error and nothing is
 * saved. Without `ro`, the scan attaches to the one open RO whose VIN
 * matches; none or several: kept unassigned (meta->assign_note says why).
 * Mileage: from the scan's PID A6 where present, else `meta->mileage_km`
 * (entered). Stores ECUs (with ECUs that answered an earlier scan of this
 * RO but not this one, marked not answering), DTCs of every kind with read
 * state, freeze frames, readiness, since-clear counters, Mode 06 results,
 * CALID/CVN, raw replies, and the canonical scan JSON. Then computes
 * additional findings for the RO. Fills meta->id.
 */
int store_scan_save(store_t *st, const obd_scan_t *scan, store_scan_meta_t *meta);
/* Load a scan back (ECUs, DTCs, readiness, freeze frame, counters, Mode 06,
 * raw replies) exactly as saved. `scan` may be NULL (meta only). */
int store_scan_load(store_t *st, int64_t id, obd_scan_t *scan, store_scan_meta_t *meta);
/* ECUs that answered an earlier scan of the same RO but not this one (not
 * part of the loaded obd_scan_t). Writes up to `cap` addresses; returns how
 * many there are (may exceed cap) or a negative error. */
int store_scan_missing_ecus(store_t *st, int64_t scan_id, uint32_t *addrs, size_t cap);
/* Attach an unassigned scan to an open RO (VIN must match; an RO without a
 * VIN takes the scan's). Never re-attaches an assigned scan. */
int store_scan_attach(store_t *st, const char *ro, int64_t scan_id);
/* Scans of an RO in time order (stage filter: -1 for all). */
int store_scan_list(store_t *st, const char *ro, int stage,
                    int (*fn)(void *ctx, const store_scan_meta_t *m), void *ctx);
/* The latest scan of an RO at one of the given stages; OBD_ENOTFOUND if none. */
int store_scan_latest(store_t *st, const char *ro, const store_stage_t *stages, size_t nstages, int64_t *id);

/* ---- additional findings (增项) ---- */

typedef enum { STORE_FINDING_PROPOSED = 0, STORE_FINDING_APPROVED, STORE_FINDING_DECLINED } store_finding_state_t;

/* A finding is proposed once per code and RO, by the first scan that saw
 * it: an OBD scan (source "obd": first_scan_id, ecu the reply address) or a
 * pre-repair UDS scan (stages pre and diag; source "uds": uds_scan_id, ecu
 * the module's request id, rx_id its response id). A UDS DTC counts by its
 * two-byte code ("C0035" for C0035-11), so OBD and UDS never both propose
 * the same code. */
typedef struct {
    int64_t id;
    int64_t wo_id;
    char code[12];          /* "P0420" */
    uint32_t ecu;
    int64_t first_scan_id;  /* the OBD scan that found it; 0 for a UDS finding (or a purged scan) */
    char source[4];         /* "obd" or "uds" */
    int64_t uds_scan_id;    /* the UDS scan that found it; 0 otherwise */
    uint32_t rx_id;         /* UDS: the module's response id; 0 otherwise */
    store_finding_state_t state;
    char decided_by[48];
    int64_t decided_ms;
    char note[128];
} store_finding_t;

const char *store_finding_state_key(store_finding_state_t s); /* proposed / approved / declined */
int store_finding_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_finding_t *f), void *ctx);
/* Record the customer's decision (approved/declined), who recorded it, a note. */
int store_finding_decide(store_t *st, const char *ro, const char *code, store_finding_state_t state,
                         const char *who, const char *note);

/* ---- clear operations (gated) ---- */

/* May this RO's vehicle be cleared? OK when the RO is open and has a
 * reception/pre-repair scan with a freeze frame; else an error with the
 * reason in store_errmsg(). */
int store_clear_allowed(store_t *st, const char *ro);
/* Record a clear: who, RO, reason, which ECUs acknowledged, and the
 * pre-clear scan it was gated on (saved as a scan of stage diag first by the
 * caller; `preclear_scan_id`). Appends the audit entry. */
int store_clear_record(store_t *st, const char *ro, const char *who, const char *reason, int64_t preclear_scan_id,
                       const uint32_t *ecus_acked, size_t necus, int64_t *clear_id);

/* ---- audit log: append-only, each entry hashes the previous ---- */

/* Append an entry (action key, RO or "", actor, JSON details). */
int store_audit_append(store_t *st, const char *action, const char *ro, const char *actor, const char *details_json);
/* Verify the whole chain. OK, or OBD_EBADDATA with the first bad entry id in
 * *bad_id and the reason in store_errmsg(). `count` gets the entries checked. */
int store_audit_verify(store_t *st, int64_t *count, int64_t *bad_id);

/* ---- live-data recordings ---- */

typedef struct {
    int64_t id;
    int64_t wo_id;          /* 0 when not attached */
    int64_t started_ms, ended_ms;
    char adapter[64];
    char pids[128];         /* "0C 0D 05" */
    int64_t samples;
    char state[16];         /* "recording" (its process is writing it), "done", "interrupted" (cut short:
                             * ended_ms is its last sample's time) */
} store_recording_t;

typedef struct store_rec_writer store_rec_writer_t;

/* Start a recording (attached to `ro` when given: open RO required). */
int store_rec_begin(store_t *st, const char *ro, const char *adapter, const uint8_t *pids, size_t npids,
                    store_rec_writer_t **w);
/* Queue samples; they are written in batched transactions (every 4096
 * samples or 250 ms, whichever first) and on store_rec_flush/end. */
int store_rec_add(store_rec_writer_t *w, const obd_live_sample_t *s, size_t n);
int store_rec_flush(store_rec_writer_t *w);
/* Flush, finish the recording, compute per-PID stats; fills *out if given. */
int store_rec_end(store_rec_writer_t *w, store_recording_t *out);

typedef struct {
    uint32_t ecu;
    uint8_t pid;
    uint8_t field;          /* field index within the PID */
    int64_t n;
    double min, max, mean;
} store_rec_stat_t;

/* OEM signals (signals.h) in the same recording: one decoded value. `numeric`
 * false: a state without a number (only `text`). id/name/unit as shown. */
int store_rec_add_signal(store_rec_writer_t *w, uint64_t t_ms, uint32_t ecu, const char *id, const char *name,
                         const char *unit, bool numeric, double value, const char *text);

typedef struct {
    char signal[64];
    char name[96];
    char unit[24];
    uint32_t ecu;
    int64_t n;              /* numeric values seen (0: states only) */
    double min, max, mean;
} store_rec_sigstat_t;

int store_rec_signal_stats(store_t *st, int64_t rec_id, int (*fn)(void *ctx, const store_rec_sigstat_t *s), void *ctx);

int store_rec_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_recording_t *r), void *ctx);
/* Close every recording left open by a process that no longer runs (kill -9,
 * power cut): the owner (pid, boot id, process start time, kept with the
 * recording) is gone, or - for a recording an obdgw older than schema 9
 * left open - nothing was recorded for STORE_REC_LEGACY_IDLE_MS. A
 * recording another running process is writing is never touched. Each is
 * ended at its last sample (its start if it has none), gets the statistics
 * of the samples it kept, state "interrupted" and an audit entry
 * ("rec_interrupted", by `actor`); `fn` (may be NULL) sees each one closed
 * with its RO and why. Returns how many were closed, or a negative error. A
 * read-only store: 0. */
#define STORE_REC_LEGACY_IDLE_MS (10 * 60 * 1000)
int store_rec_close_interrupted(store_t *st, const char *actor,
                                void (*fn)(void *ctx, const store_recording_t *r, const char *ro, const char *why),
                                void *ctx);
int store_rec_stats(store_t *st, int64_t rec_id, int (*fn)(void *ctx, const store_rec_stat_t *s), void *ctx);
/* Samples in time order (raw data bytes; decode with obd_pid_decode). */
int store_rec_samples(store_t *st, int64_t rec_id, int (*fn)(void *ctx, const obd_live_sample_t *s), void *ctx);

/* ---- QC sign-off ---- */

/* Freeze the evidence: store the report documents and their SHA-256, who
 * signed, when. Appends an audit entry. */
int store_qc_sign(store_t *st, const char *ro, const char *inspector, const char *verdict_key,
                  const char *report_json, const char *report_html, char sha256_hex[65]);
/* The latest sign-off of an RO: who, when (wall ms), verdict key, SHA-256.
 * OBD_ENOTFOUND when the RO has none. Any output pointer may be NULL. */
int store_qc_get(store_t *st, const char *ro, char inspector[48], int64_t *signed_ms, char verdict[24],
                 char sha256_hex[65]);
/* Re-hash what was stored at sign-off: OK when it still matches. */
int store_qc_verify(store_t *st, const char *ro, char sha256_hex[65]);

/* ---- retention ---- */

/* Delete scans, recordings and findings older than `older_than_days` (0:
 * skip) and everything of ROs closed more than `closed_days` ago (0: skip).
 * The audit log is kept (entries reference ROs by number only). Returns the
 * number of scans removed via *removed. */
int store_purge(store_t *st, int older_than_days, int closed_days, int64_t *removed);

#endif
