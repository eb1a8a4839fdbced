/*
 * store_uds.h — UDS full-system scans and UDS clears in the evidence store
 * (schema versions 4 and 5; src/store_uds.c). The rules of store.h hold: one
 * transaction per write, durable when reported saved, no VIN in logs.
 *
 * A UDS scan keeps every probed module: its request/response ids, its name
 * when the pair is well known, whether it answered, its state (DTCs read,
 * silent, needs OEM authorisation with the NRC, does not offer $19, ...),
 * its identification DIDs, its DTCs with status byte, and snapshot /
 * extended-data records as raw bytes. It attaches to a work order exactly
 * like an OBD scan (store_scan_save): to --ro when that RO is open and its
 * VIN matches the VIN the modules reported (F190), else to the one open RO
 * with that VIN; never to an RO with a different VIN.
 *
 * Not for: OBD scans (store.h), the scan itself (uds_scan.h).
 */
#ifndef OBDGW_STORE_UDS_H
#define OBDGW_STORE_UDS_H

#include "obdgw/store.h"
#include "obdgw/uds_scan.h"

typedef struct {
    int64_t id;
    int64_t wo_id;          /* 0: unassigned */
    char ro[STORE_RO_LEN];  /* in: the RO to attach to ("" = by VIN); out: the RO it went to */
    store_stage_t stage;
    char technician[48];
    char vin[18];           /* out: the VIN the modules reported (F190), "" none */
    int64_t started_ms;     /* out: when the scan was saved minus its duration */
    char adapter[64];
    char assign_note[128];  /* out: why unassigned */
    /* out (save, load, list): counts over the modules */
    int probed, answered, needs_auth, ndtcs, nconfirmed;
    int new_findings;       /* out (save): additional items (增项) this scan proposed */
} store_uds_meta_t;

/* Save a UDS scan (see the top of this file). Fills meta->id and the out
 * fields. A pre-repair scan (stage pre or diag) attached to an RO proposes
 * its confirmed DTCs outside the complaint as findings (增项, store.h), in
 * the same transaction. VIN mismatch or a closed RO: OBD_ESTATE, nothing saved. */
int store_uds_save(store_t *st, const uds_scan_t *scan, store_uds_meta_t *meta);
/* Load it back exactly as saved (modules in probe order; requests,
 * tester-present count and duration too). `scan` may be NULL (meta only).
 * OBD_ENOTFOUND for an unknown id. */
int store_uds_load(store_t *st, int64_t id, uds_scan_t *scan, store_uds_meta_t *meta);
/* The stored name key of module `idx` ("" when none): see uds_module_key. */
int store_uds_module_name(store_t *st, int64_t id, size_t idx, char *key, size_t cap);
/* UDS scans of an RO in time order (stage -1: all; ro "": unassigned ones). */
int store_uds_list(store_t *st, const char *ro, int stage, int (*fn)(void *ctx, const store_uds_meta_t *m),
                   void *ctx);
/* The latest UDS scan of an RO at one of the stages (NULL/0: any). OBD_ENOTFOUND if none. */
int store_uds_latest(store_t *st, const char *ro, const store_stage_t *stages, size_t nstages, int64_t *id);

/* ---- the guarded UDS clear ---- */

/* The modules (request/response id pairs) that answered any of the RO's
 * pre-repair UDS scans, each once, in probe order: what a UDS clear asks
 * (the same modules, and fast). At most `cap`; *n 0 when there are none. */
int store_uds_pre_pairs(store_t *st, const char *ro, obd_target_t *pairs, size_t cap, size_t *n);

/* May this RO's vehicle get a UDS clear? OK when the RO is open and has a
 * pre-repair (stage pre) UDS scan in which at least one module answered;
 * else OBD_ESTATE / OBD_ENOTFOUND with the reason in store_errmsg(). */
int store_uds_clear_allowed(store_t *st, const char *ro);
/* Record a UDS clear: who, RO, reason, the pre-clear UDS scan (saved by the
 * caller first, a scan of this RO), and what each module answered. Writes
 * the clear and its audit entry ("uds_clear") in one transaction. */
int store_uds_clear_record(store_t *st, const char *ro, const char *who, const char *reason,
                           int64_t preclear_uds_scan_id, const uds_clear_result_t *res, int64_t *clear_id);

typedef struct {
    int64_t id;
    char kind[4];                 /* "obd" or "uds" */
    char who[48];
    char reason[STORE_TEXT_LEN];
    int64_t cleared_ms;
    int64_t preclear_scan_id;     /* OBD clears: the OBD scan; 0 otherwise */
    int64_t preclear_uds_scan_id; /* UDS clears: the UDS scan; 0 otherwise */
    size_t nmodules;              /* UDS clears: modules asked (see store_uds_clear_modules) */
    size_t ncleared;
} store_clear_t;

/* Clears of an RO (OBD and UDS) in time order. */
int store_clear_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_clear_t *c), void *ctx);
/* What each module answered to a UDS clear (into out->m, out->n). */
int store_uds_clear_modules(store_t *st, int64_t clear_id, uds_clear_result_t *out);

#endif
