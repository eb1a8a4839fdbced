/*
 * qc.h — the final-inspection (质检) verdict: the latest pre-repair scan of a
 * repair order against its latest post-repair scan.
 *
 * Per ECU (matched by response address) and per DTC kind:
 *   - stored and pending DTCs are classed resolved (before, gone after),
 *     persisting (in both) or new (only after the repair);
 *   - permanent DTCs still reported after the repair are listed (only the
 *     ECU clears them, once the monitor has re-run and passed: a drive cycle);
 *   - readiness monitors supported but not complete after the repair;
 *   - ECUs that answered before the repair but not after (lost).
 *
 * Verdict, first rule that applies:
 *   FAIL                      any stored or pending DTC after the repair
 *                             (persisting or new), MIL on, MIL unknown (no
 *                             ECU answered PID 01 after the repair), an ECU
 *                             lost, or an ECU whose DTCs could not be read
 *                             after the repair (nothing to confirm them gone):
 *                             "dtc_unread" when any DTC list (stored, pending
 *                             or permanent) got no answer — no answer is
 *                             never "no codes" —, or the stored list was
 *                             refused / not supported, or the pending list
 *                             refused; "dtc_unreadable" when a reply arrived
 *                             but does not decode (its bytes are quoted);
 *   PASS_PENDING_DRIVE_CYCLE  permanent DTCs remain or monitors are incomplete;
 *   PASS                      otherwise.
 *
 * A list decoded with a deviation (count byte off, legacy layout on CAN,
 * trailing bytes) counts as read; the deviation is named in a
 * "dtc_deviation" reason (info, never failing). Read states come from
 * obd_dtc_set_state(): the session's state, else read/unsupported/nrc.
 *
 * Every reason is a whole sentence in English and in workshop Chinese, so a
 * report, the CLI and the DMS show the same words. Pure apart from the
 * optional DTC description look-up (dtcdb, read-only); no allocation.
 */
#ifndef OBDGW_QC_H
#define OBDGW_QC_H

#include <cjson/cJSON.h>

#include "obdgw/base.h"
#include "obdgw/dtcdb.h"
#include "obdgw/session.h"
#include "obdgw/uds_scan.h"

typedef enum {
    QC_PASS = 0,
    QC_PASS_PENDING_DRIVE_CYCLE = 1,
    QC_FAIL = 2,
} qc_verdict_t;

/* "pass" | "pass_pending_drive_cycle" | "fail" */
const char *qc_verdict_key(qc_verdict_t v);
/* "PASS" / "合格", "FAIL" / "不合格", ... */
const char *qc_verdict_name(qc_verdict_t v, obd_lang_t lang);

typedef enum { QC_KIND_STORED = 0, QC_KIND_PENDING = 1, QC_KIND_PERMANENT = 2 } qc_kind_t;
const char *qc_kind_key(qc_kind_t k);                  /* "stored", "pending", "permanent" */
const char *qc_kind_name(qc_kind_t k, obd_lang_t lang); /* "confirmed" / "已确认" ... */

typedef enum {
    QC_DTC_RESOLVED = 0,   /* before the repair, gone after */
    QC_DTC_PERSISTING = 1, /* before and after */
    QC_DTC_NEW = 2,        /* only after the repair */
} qc_change_t;
const char *qc_change_key(qc_change_t c);                  /* "resolved", "persisting", "new" */
const char *qc_change_name(qc_change_t c, obd_lang_t lang); /* "resolved" / "已消除" ... */

/* One DTC of the comparison. Permanent DTCs appear only when present after
 * the repair (change PERSISTING or NEW). */
typedef struct {
    uint32_t ecu;
    obd_dtc_t code;
    uint8_t kind;   /* qc_kind_t */
    uint8_t change; /* qc_change_t */
} qc_dtc_t;

typedef struct {
    uint32_t addr;
    char name[24];            /* from the scan (09 0A), may be "" */
    bool answered_pre, answered_post;
    bool lost;                /* answered before, not after */
    bool unread_post;         /* answered after, but DTCs unread (no answer, or refused: see the header) */
    bool unreadable_post;     /* answered after, a DTC reply that does not decode */
    uint8_t read_post[3];     /* obd_read_state_t per qc_kind_t after the repair (0 when not answered) */
    bool mil_post;            /* PID 01 MIL bit of this ECU after the repair */
    int monitors_supported;   /* after the repair; -1 when no readiness */
    int monitors_incomplete;
    uint32_t incomplete_mask; /* bit (1 << obd_monitor_t) */
} qc_ecu_t;

typedef enum {
    QC_SEV_INFO = 0,        /* evidence that something is fine (resolved DTC, all clear) */
    QC_SEV_DRIVE_CYCLE = 1, /* holds the verdict at PASS_PENDING_DRIVE_CYCLE */
    QC_SEV_FAIL = 2,        /* makes the verdict FAIL */
} qc_severity_t;
const char *qc_severity_key(qc_severity_t s); /* "info", "drive_cycle", "fail" */

#define QC_REASON_LEN 512

typedef struct {
    uint8_t severity;    /* qc_severity_t */
    char key[24];        /* "dtc_persisting", "dtc_new", "mil_on", "mil_unknown", "ecu_lost",
                            "dtc_unread", "dtc_unreadable", "permanent", "monitors_incomplete",
                            "dtc_resolved", "dtc_deviation", "all_clear", "no_pre_scan" */
    uint32_t ecu;        /* 0 when not about one ECU */
    obd_dtc_t code;      /* 0 when not about one DTC */
    uint8_t kind;        /* qc_kind_t, for DTC reasons */
    uint32_t uds_code;   /* "uds_dtc_*" reasons: the 3-byte UDS DTC; ecu is then the module's response id */
    char en[QC_REASON_LEN];
    char zh[QC_REASON_LEN];
} qc_reason_t;

#define QC_MAX_ECUS (2 * OBD_SCAN_MAX_ECUS)
#define QC_MAX_DTCS 512
#define QC_MAX_REASONS 96

/* ---- UDS full-system scans (qc_add_uds, src/qc_uds.c) ---- */

#define QC_MAX_UDS_MODULES 64
#define QC_MAX_UDS_DTCS 256

typedef struct {
    uint32_t tx_id, rx_id;
    bool in_pre, in_post;     /* answered that scan */
    uint8_t state_pre, state_post; /* uds_mod_state_t (UDS_MOD_NO_ANSWER when it did not answer) */
    uint8_t nrc_post;
    bool lost;                /* answered (and was read) before, silent after */
    bool unread_post;         /* answered after, DTCs not read (needs authorisation, no answer to $19 ...) */
    int confirmed_post;       /* confirmed DTCs after the repair */
} qc_uds_module_t;

typedef struct {
    uint32_t rx_id;           /* module response id */
    uint32_t code;            /* 3-byte DTC */
    int status_pre, status_post; /* status byte, -1 when not reported */
    uint8_t change;           /* qc_change_t, about the confirmed bit */
} qc_uds_dtc_t;

typedef struct {
    bool present;             /* a UDS scan took part */
    bool has_pre, has_post;
    size_t nmodules;
    qc_uds_module_t modules[QC_MAX_UDS_MODULES];
    size_t ndtcs;
    qc_uds_dtc_t dtcs[QC_MAX_UDS_DTCS];
    int resolved, persisting, new_after, needs_auth, lost, unread;
} qc_uds_t;

/* The whole comparison. About 130 KB: allocate it, don't put it on a small stack. */
typedef struct {
    qc_verdict_t verdict;
    bool has_pre;        /* false: no pre-repair scan, every DTC after counts as new */
    bool mil_post;
    size_t necus;
    qc_ecu_t ecus[QC_MAX_ECUS];
    size_t ndtcs;
    qc_dtc_t dtcs[QC_MAX_DTCS];
    size_t nreasons;
    qc_reason_t reasons[QC_MAX_REASONS];
    bool truncated;      /* more DTCs or reasons than fit (counts below stay exact) */
    /* counts */
    int resolved, persisting, new_after, permanent_after, monitors_incomplete, ecus_lost;
    bool mil_unknown;    /* no ECU answered PID 01 after the repair */
    qc_uds_t uds;        /* qc_add_uds; all zero when no UDS scan took part */
} qc_result_t;

/*
 * Compare `pre` (may be NULL) with `post` (required). `db` (may be NULL)
 * supplies DTC descriptions for the reasons (the VIN's WMI selects OEM
 * packs). OBD_EINVAL when post or out is NULL.
 */
int qc_compare(const obd_scan_t *pre, const obd_scan_t *post, dtcdb_t *db, qc_result_t *out);

/*
 * Fold UDS full-system scans into a result qc_compare made: the RO's latest
 * pre-repair UDS scan `pre` (may be NULL) against its latest post-repair one
 * `post` (may be NULL). Modules are matched by request/response id; a DTC
 * counts as present when its status has the confirmed bit (0x08).
 *   FAIL  a confirmed DTC from before still confirmed after (uds_dtc_persisting);
 *         a confirmed DTC only after (uds_dtc_new); a module that needs OEM
 *         authorisation after the repair, so its codes were NOT read
 *         (uds_needs_auth); a module read before that is silent after
 *         (uds_module_lost) or whose DTCs could not be read after
 *         (uds_dtc_unread); confirmed DTCs before and no post-repair UDS
 *         scan to confirm them gone (uds_no_post_scan).
 *   INFO  resolved DTCs (uds_dtc_resolved); all read and clear (uds_all_clear).
 * A FAIL here makes the verdict FAIL and drops the OBD "all_clear" reason.
 * Both NULL: nothing changes. Pure; no allocation.
 */
int qc_add_uds(qc_result_t *r, const uds_scan_t *pre, const uds_scan_t *post);
/* The "uds" object of the QC JSON (counts, modules, DTCs). */
cJSON *qc_uds_json(const qc_uds_t *u, obd_lang_t lang);
/* "ABS / brakes 713/77D" / "ABS 制动系统 713/77D", "module 714/77E" / "控制单元 714/77E". */
const char *qc_module_text(uint32_t tx_id, uint32_t rx_id, obd_lang_t lang, char *out, size_t cap);

/* Did this ECU answer the scan at all (any DTC list answered — also with an
 * unreadable reply or a negative one —, readiness, a freeze frame, a
 * service answered by addressing, or a supported-PID bitmap)? A store may
 * keep a silent ECU as an empty entry. */
bool qc_ecu_answered(const obd_ecu_scan_t *e);

/* ECU address as text: "7E8", "18DAF110", "10". */
void qc_addr_text(uint32_t addr, char *out, size_t cap);
/* How people call an ECU: "ECU 7E8" / "发动机控制单元 7E8" (engine and
 * transmission by their standard OBD addresses, else "控制单元 7EA"). */
const char *qc_ecu_text(uint32_t addr, obd_lang_t lang, char *out, size_t cap);

/* The canonical QC JSON (schema "obdgw.qc/1", documented in docs/reports.md
 * and docs/report.schema.json). Reasons carry both languages; `lang` picks
 * the "text" of each reason and the display names. NULL on allocation failure. */
cJSON *qc_json(const qc_result_t *r, obd_lang_t lang);

#endif
