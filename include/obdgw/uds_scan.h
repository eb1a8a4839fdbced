/*
 * uds_scan.h — the UDS (ISO 14229) full-system scan over any link: find
 * the modules that answer on a list of physical id pairs (11-bit range and
 * a configurable 29-bit list), read their identification DIDs, their DTCs
 * by status mask ($19 02) and, on request, snapshot / extended data, and
 * say plainly which modules answered, which did not, and which refused
 * (security / secure gateway / conditions: "needs OEM authorisation" —
 * never reported as "no codes").
 *
 * On a SocketCAN link the modules are talked to concurrently
 * (can_link_request_many); on other links one after another.
 *
 * Not for: OBD emissions data (session.h); parsing (uds.h).
 *
 * Threads: scans on different links run in parallel (bay threads). A scan
 * keeps no static state: its work area (~280 KB: the batch of requests and
 * their reply sets) is allocated by uds_scan_run and freed before it
 * returns. The result (uds_scan_t, ~620 KB) is the caller's. One link, one
 * scan at a time (links are not thread-safe).
 */
#ifndef OBDGW_UDS_SCAN_H
#define OBDGW_UDS_SCAN_H

#include <cjson/cJSON.h>

#include "obdgw/link.h"
#include "obdgw/session.h"
#include "obdgw/uds.h"

/* Every candidate a scan can have: the 360 default 11-bit pairs, the 255
 * 29-bit addresses (--29 all) and 64 given pairs; none is ever dropped. */
#define UDS_SCAN_MAX_MODULES 680
#define UDS_SCAN_MAX_DTCS 48
#define UDS_SCAN_NIDENT 6
#define UDS_SCAN_MAX_RECORDS 256 /* snapshot + extended-data records per scan, all modules */

/* F190 VIN, F187 part, F188 ECU software, F189 software version, F195 supplier software, F18C serial. */
extern const uint16_t uds_scan_ident_dids[UDS_SCAN_NIDENT];

typedef enum {
    UDS_MOD_NO_ANSWER = 0, /* nothing came back */
    UDS_MOD_OK,            /* DTCs read (maybe none) */
    UDS_MOD_NEEDS_AUTH,    /* refused: security / authentication / conditions (0x22, 0x33 ...) */
    UDS_MOD_NOT_SUPPORTED, /* answered, but $19 is not offered */
    UDS_MOD_DTC_NO_ANSWER, /* answered the probe, not $19 */
    UDS_MOD_ERROR,         /* answered $19 with something that does not parse */
} uds_mod_state_t;

#define UDS_SCAN_SNAP_BYTES 128
/* A record of one module's DTC, kept in the scan's pool (uds_scan_t.records)
 * rather than in every module: most modules have none, and a scan holds
 * hundreds of probed module slots. */
typedef struct {
    uint16_t module;   /* index into uds_scan_t.modules */
    uint32_t code;
    uint8_t record;
    uint16_t len;      /* bytes kept in data (records as sent, unparsed) */
    uint16_t sent;     /* bytes the module sent: more than len when cut to fit */
    uint8_t data[UDS_SCAN_SNAP_BYTES];
} uds_scan_snap_t;

typedef struct {
    uint32_t tx_id, rx_id;
    bool answered;           /* answered the probe (positively or not) */
    uds_mod_state_t state;
    uint8_t nrc;             /* the refusal, when state is NEEDS_AUTH / NOT_SUPPORTED */
    bool ident_ok[UDS_SCAN_NIDENT];
    char ident[UDS_SCAN_NIDENT][33];
    bool dtcs_read;
    uint8_t avail_mask;
    size_t ndtcs;
    uds_dtc_t dtcs[UDS_SCAN_MAX_DTCS];
    size_t nsnap;            /* its records in uds_scan_t.records */
    bool session_held;       /* we put it in a non-default session */
    bool session_failed;     /* the session asked for (--session) was not entered: read in the default session */
    uint8_t session_nrc;     /* its refusal (0: no answer) */
    unsigned busy_retries;   /* 0x21s we repeated the request for */
} uds_module_t;

typedef struct {
    size_t nmodules;  /* probed */
    size_t nanswered;
    unsigned requests;
    unsigned tester_present; /* keep-alives sent */
    unsigned session_failed; /* answering modules that did not enter the asked-for session */
    uint32_t duration_ms;
    unsigned not_probed29;   /* 29-bit ids asked for (--29, --pair) that the link cannot send
                              * (an ELM327 on an 11-bit protocol): left out, not "silent" */
    size_t nrecords;
    /* The arrays last: only [0, nmodules) and [0, nrecords) are valid, and
     * uds_scan_run writes only what it uses (untouched slots of a fresh
     * allocation cost no memory). */
    uds_module_t modules[UDS_SCAN_MAX_MODULES];
    uds_scan_snap_t records[UDS_SCAN_MAX_RECORDS]; /* in the order read */
} uds_scan_t;

/* The k-th record (k < m->nsnap) of module m of scan s, in the order read;
 * NULL when there is none. */
const uds_scan_snap_t *uds_scan_record(const uds_scan_t *s, const uds_module_t *m, size_t k);
/* Append a record for module m (its nsnap counts it); NULL when the pool
 * is full. The caller fills code, record, data, len, sent. */
uds_scan_snap_t *uds_scan_add_record(uds_scan_t *s, uds_module_t *m);

typedef struct {
    bool range11;                 /* probe the physical range of the link: the 11-bit pairs of
                                   * uds_scan_default_pairs on 11-bit links, 18DAxxF1 for xx
                                   * in the 29-bit list below on 29-bit links (default on) */
    const obd_target_t *pairs;    /* extra pairs to probe (scenario, OEM list) */
    size_t npairs;
    bool range29;                 /* probe the 29-bit list on an 11-bit link too (default off) */
    const uint8_t *addr29;        /* NULL: every xx 00..FF */
    size_t naddr29;
    uint8_t status_mask;          /* $19 02 mask; default 0xFF */
    bool read_snapshots;          /* $19 04 for each DTC (all records) */
    bool read_extdata;            /* $19 06 for each DTC (all records) */
    uint8_t session;              /* 0: stay in the default session; else $10 this, tester present held */
    unsigned busy_retries;        /* how often to repeat on 0x21 (default 3) */
    uint16_t probe_timeout_ms;    /* 0 (default): the link's own (SocketCAN P2 100 ms; ELM327 chip 20 ms) */
} uds_scan_opts_t;

/* Defaults: the link's physical range (11-bit pairs, or every 18DAxxF1 on a
 * 29-bit link), mask 0xFF, no snapshots, default session, 3 retries. */
void uds_scan_opts_default(uds_scan_opts_t *o);

/* The scan options as people type them (the CLI and obdgwd share these).
 * Each returns 0, or -EINVAL for a value it cannot take whole:
 *   mask     hex 01..FF
 *   session  "default" (0), "extended" (03) or hex 01..FF
 *   addr29   "all" (*n = 0: every xx) or hex bytes "XX,YY,..." (at most cap) */
int uds_opt_mask(const char *v, uint8_t *out);
int uds_opt_session(const char *v, uint8_t *out);
int uds_opt_addr29(const char *v, uint8_t *out, size_t cap, size_t *n);

/* The id pairs the default 11-bit probe covers (into `out`, up to cap);
 * returns how many. */
size_t uds_scan_default_pairs(obd_target_t *out, size_t cap);

/* OBD_OK, a link failure (OBD_ELINK / OBD_EBUS: `out` holds what was found
 * so far), or -ENOMEM for the work area. */
int uds_scan_run(obd_link_t *l, const uds_scan_opts_t *o, uds_scan_t *out, obd_progress_fn progress, void *ctx);

/* "no_answer", "ok", "needs_oem_authorisation", ... and the workshop text. */
const char *uds_mod_state_key(uds_mod_state_t s);
const char *uds_mod_state_name(uds_mod_state_t s, obd_lang_t lang);

/* {"modules":[...answered...], "silent":["7E5/7ED",...], ...} */
cJSON *uds_scan_json(const uds_scan_t *s, obd_lang_t lang);
/* One record of a module, as in uds_scan_json's "records": dtc, kind, raw,
 * truncated/bytes_sent when cut, values (decoded snapshot) when possible. */
cJSON *uds_record_json(const uds_scan_snap_t *r, obd_lang_t lang);
/* DTCs still failing, pending or confirmed (status bits 01/04/08) over all
 * modules: what a clear left behind. */
size_t uds_scan_count_open(const uds_scan_t *s);

/* $14 FFFFFF to every module that answered; the caller keeps the guards
 * (evidence captured, confirmation, engine stopped). Refusals in `out`. */
int uds_scan_clear(obd_link_t *l, const uds_scan_t *s, obd_clear_result_t *out);

/* ---- per-module clear (src/uds_clear.c) ---- */

/* What one module said to $14 FFFFFF. Refusals are data, not failures. */
typedef enum {
    UDS_CLR_CLEARED = 0,    /* 54: positive */
    UDS_CLR_CONDITIONS,     /* 7F 14 22 (and the other "conditions" NRCs): engine running, voltage ... */
    UDS_CLR_OUT_OF_RANGE,   /* 7F 14 31: the module does not take that group */
    UDS_CLR_NEEDS_AUTH,     /* 7F 14 33 (security / authentication / secure gateway): needs OEM authorisation */
    UDS_CLR_NOT_SUPPORTED,  /* 7F 14 11/12/13/7F ...: the module does not offer $14 (here) */
    UDS_CLR_REFUSED,        /* any other NRC */
    UDS_CLR_NO_ANSWER,      /* nothing came back (or still busy after the retries) */
    UDS_CLR_BAD_REPLY,      /* an answer that is not a reply to $14 */
    UDS_CLR_COUNT
} uds_clear_outcome_t;

typedef struct {
    uint32_t tx_id, rx_id;
    uds_clear_outcome_t outcome;
    uint8_t nrc; /* the NRC for refusals, else 0 */
} uds_clear_mod_t;

typedef struct {
    size_t n; /* modules asked */
    size_t ncleared;
    uds_clear_mod_t m[UDS_SCAN_MAX_MODULES];
} uds_clear_result_t;

/* Pure: what a reply (NULL/0: none) to $14 means; *nrc gets the NRC of a
 * refusal (0 otherwise). A 0x78 or 0x21 left over here counts as no answer. */
uds_clear_outcome_t uds_clear_classify(const uint8_t *p, size_t n, uint8_t *nrc);
/* "cleared", "conditions_not_correct", "request_out_of_range",
 * "needs_oem_authorisation", "not_supported", "refused", "no_answer",
 * "bad_reply"; uds_clear_outcome_parse is the inverse (-1: unknown). */
const char *uds_clear_outcome_key(uds_clear_outcome_t o);
int uds_clear_outcome_parse(const char *key);
const char *uds_clear_outcome_name(uds_clear_outcome_t o, obd_lang_t lang);

/*
 * $14 FFFFFF to each module of `s` that answered the scan (`only_tx` != 0:
 * only the module with that request id), one after another, repeating a
 * busy (0x21) answer up to 3 times; every module's outcome in `out`.
 * Destroys evidence: the caller keeps the guards (open RO, the pre-clear
 * scan stored, engine stopped, confirmation). OBD_ENOTFOUND when `only_tx`
 * names no module that answered; a link failure (not a refusal) is
 * returned as is, with the modules asked so far in `out`.
 */
int uds_clear_modules(obd_link_t *l, const uds_scan_t *s, uint32_t only_tx, uds_clear_result_t *out);
/* Modules that neither cleared nor lack $14 altogether (an OBD-only ECU,
 * whose clear is Mode 04): refusals and silence, the failures of a clear. */
size_t uds_clear_failed(const uds_clear_result_t *res);
/* [{"module":"713/77D","outcome":"cleared","outcome_text":"...","nrc":"22"},...] */
cJSON *uds_clear_modules_json(const uds_clear_result_t *res, obd_lang_t lang);

/* A module's usual name from its id pair when it is well established (OBD
 * engine / transmission pairs, a few OEM conventions), else NULL. `key`
 * form: "engine", "transmission", "abs". */
const char *uds_module_key(uint32_t tx_id, uint32_t rx_id);
const char *uds_module_name(const char *key, obd_lang_t lang); /* NULL for an unknown key */

#endif
