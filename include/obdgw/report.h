/*
 * report.h — the diagnostic report (advisor's quote, customer copy) and the
 * QC evidence report, in one model rendered three ways: canonical JSON
 * (docs/report.schema.json), one self-contained HTML file (phone + A4 print)
 * and an A4 PDF (cairo + pango). Every label exists in English and Chinese;
 * the model's language picks one.
 *
 * Flow:
 *   report_t r;
 *   report_init(&r, REPORT_QC, OBD_LANG_ZH);      -- or report_load_ro() from the store
 *   report_set_wo(&r, &wo); report_add_scan(&r, &meta, &scan); ...
 *   report_finish(&r, db);                         -- QC verdict, chart stats, next steps
 *   report_json(&r) / report_render_html(&r, f) / report_render_pdf(&r, "x.pdf")
 *   report_free(&r);
 *
 * The model owns copies of everything added (scans are copied to the heap).
 * Only src/report_load.c talks to the store; everything else here is built
 * from plain structs, so reports can be made (and tested) without a store.
 * Rendering never changes the model; the same model renders the same bytes
 * except for nothing (the generated time is part of the model).
 */
#ifndef OBDGW_REPORT_H
#define OBDGW_REPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "obdgw/base.h"
#include "obdgw/dtcdb.h"
#include "obdgw/qc.h"
#include "obdgw/session.h"
#include "obdgw/store.h"
#include "obdgw/store_uds.h"

typedef enum { REPORT_DIAGNOSTIC = 0, REPORT_QC = 1 } report_kind_t;
const char *report_kind_key(report_kind_t k); /* "diagnostic", "qc" */
int report_kind_parse(const char *s);         /* -1 when unknown */

/* Stage and finding-state names (the store's keys, bilingual display names). */
const char *report_stage_key(store_stage_t s);
const char *report_stage_name(store_stage_t s, obd_lang_t lang);
const char *report_finding_state_key(store_finding_state_t s);
const char *report_finding_state_name(store_finding_state_t s, obd_lang_t lang);

typedef struct {
    store_scan_meta_t meta;
    obd_scan_t *scan; /* owned */
} report_scan_t;

/* An ECU that answered an earlier scan of the RO but not this one. */
typedef struct {
    int64_t scan_id;  /* the scan it did not answer (0: the primary scan) */
    uint32_t addr;
    char name[24];
} report_silent_ecu_t;

/* A UDS full-system scan of the RO. */
typedef struct {
    store_uds_meta_t meta;
    uds_scan_t *scan; /* owned */
} report_uds_scan_t;

typedef struct {
    store_finding_t f;
    bool additional;  /* an additional item (增项): always true for store findings */
} report_finding_t;

/* One chart: the values of one field of one PID from one ECU over time. */
typedef struct {
    uint32_t ecu;
    uint8_t pid;
    uint8_t field;     /* field index within the PID */
    char key[48];      /* "rpm", "o2_s1_b1.voltage" */
    char label[160];   /* display name in the model's language */
    char unit[16];
    size_t n, cap;
    double *t;         /* seconds since the recording started */
    double *v;
    int64_t stat_n;    /* statistics: from the store when given, else computed */
    double min, max, mean;
} report_series_t;

typedef struct {
    store_recording_t rec;
    size_t nstats;
    store_rec_stat_t *stats;     /* as the store computed them (optional) */
    size_t nseries;
    report_series_t *series;
    int64_t t0_ms;               /* time origin of the series */
    size_t nsigs;
    store_rec_sigstat_t *sigs;   /* OEM signals recorded (signals.h): per signal n/min/max/mean */
} report_recording_t;

typedef struct {
    bool present;
    char inspector[48];
    int64_t signed_ms;
    char sha256[65];             /* "" until the store has hashed the signed documents */
    bool verified;               /* the stored documents still match the hash */
} report_signoff_t;

#define REPORT_MAX_STEPS 48
#define REPORT_STEP_LEN 400

typedef struct {
    char key[24];                /* "diagnose_dtc", "pending_dtc", "drive_cycle", "monitors",
                                    "mode06", "consent", "declined", "recently_cleared",
                                    "ecu_no_answer", "dtc_unread" (a DTC list got no answer
                                    or an unreadable reply), "qc_failed", "none" */
    char code[OBD_DTC_TEXT_LEN]; /* the DTC it is about, or "" */
    char text[REPORT_STEP_LEN];  /* in the model's language */
} report_step_t;

typedef struct report {
    report_kind_t kind;
    obd_lang_t lang;
    char shop[128];              /* shop name */
    char header[256];            /* address / phone line under it */
    int64_t generated_ms;        /* wall clock ms */
    bool has_wo;
    store_wo_t wo;
    size_t nscans;
    report_scan_t *scans;        /* time order */
    int primary;                 /* the scan shown in full (-1: latest) */
    size_t nsilent;
    report_silent_ecu_t *silent;
    size_t nfindings;
    report_finding_t *findings;
    size_t nrecs;
    report_recording_t *recs;
    /* QC (kind REPORT_QC, filled by report_finish) */
    int pre_index, post_index;   /* -1 when missing */
    qc_result_t *qc;             /* owned; NULL without a post-repair scan */
    report_signoff_t signoff;
    size_t nsteps;
    report_step_t steps[REPORT_MAX_STEPS];
    dtcdb_t *db;                 /* borrowed (report_finish), may be NULL */
    bool finished;
    /* UDS full-system scans (time order); the latest is shown in full as the
     * modules section. QC: the ones compared (-1: none). */
    size_t nuds;
    report_uds_scan_t *uds;
    int uds_pre, uds_post;
} report_t;

/* ---- building ---- */

void report_init(report_t *r, report_kind_t kind, obd_lang_t lang);
void report_free(report_t *r);
void report_set_shop(report_t *r, const char *shop, const char *header);
void report_set_wo(report_t *r, const store_wo_t *wo);
/* Copy a scan (kept in started_ms order). OBD_ENOSPC-like -ENOMEM on allocation failure. */
int report_add_scan(report_t *r, const store_scan_meta_t *meta, const obd_scan_t *scan);
int report_add_silent_ecu(report_t *r, int64_t scan_id, uint32_t addr, const char *name);
/* Copy a UDS scan (kept in started_ms order). */
int report_add_uds_scan(report_t *r, const store_uds_meta_t *meta, const uds_scan_t *scan);
int report_add_finding(report_t *r, const store_finding_t *f);
/* Add a recording; returns its index (>= 0) or an error. */
/* An OEM signal's statistics in recording `rec` (index from report_add_recording). */
int report_rec_add_signal_stat(report_t *r, size_t rec, const store_rec_sigstat_t *s);
int report_add_recording(report_t *r, const store_recording_t *rec);
int report_rec_add_stat(report_t *r, size_t rec, const store_rec_stat_t *s);
/* Decode samples (obd_pid_decode) into one series per numeric PID field. */
int report_rec_add_samples(report_t *r, size_t rec, const obd_live_sample_t *s, size_t n);
void report_set_signoff(report_t *r, const char *inspector, int64_t signed_ms, const char *sha256, bool verified);

/*
 * Complete the model: pick the pre/post scans and run the QC comparison
 * (kind QC), fill chart statistics, generate the recommended next steps.
 * `db` (may be NULL, borrowed until report_free) gives DTC descriptions to
 * every renderer. Call once, after everything is added.
 */
int report_finish(report_t *r, dtcdb_t *db);

/* ---- rendering ---- */

/* Canonical JSON (schema "obdgw.report/1"). Caller frees (cJSON_Delete). */
cJSON *report_json(const report_t *r);
/* Same, as text (formatted, stable key order); caller frees with free(). */
char *report_json_text(const report_t *r);
/* Self-contained HTML (inline CSS + SVG, no scripts). */
int report_render_html(const report_t *r, FILE *out);
/* HTML into a malloc'd string (for store_qc_sign); caller frees. */
char *report_html_text(const report_t *r);
/* A4 PDF via cairo + pango. */
int report_render_pdf(const report_t *r, const char *path);

/* ---- from the store (src/report_load.c; the only code here that uses it) ---- */

/* Everything of one RO: work order, its scans (all stages, time order), its
 * UDS full-system scans, ECUs that stopped answering, findings, recordings with samples, and for kind QC
 * the latest pre (reception/diag) and post (self/post/qc) scans. Calls
 * report_finish(). */
int report_load_ro(store_t *st, const char *ro, report_kind_t kind, obd_lang_t lang, dtcdb_t *db, report_t *out);
/* For `obdgw qc`: fold the RO's latest pre-repair (stage pre) and
 * post-repair (post, qc) UDS scans into `res` (qc_add_uds). No UDS scans:
 * nothing changes. */
int report_qc_add_uds(store_t *st, const char *ro, qc_result_t *res);
/* A single scan (e.g. an unassigned one): the RO's data when it has one. */
int report_load_scan(store_t *st, int64_t scan_id, obd_lang_t lang, dtcdb_t *db, report_t *out);

/* ---- shared by the renderers ---- */

/* The scan shown in full: r->primary, else the latest; NULL when none. */
const report_scan_t *report_primary(const report_t *r);
/* A label in the model's language by key ("ro", "vin", "dtc", ...); the key
 * itself when unknown. The table is in src/report.c. */
const char *report_label(const report_t *r, const char *key);
/* Format ms since the epoch as local "YYYY-MM-DD HH:MM". */
void report_time_text(int64_t ms, char *out, size_t cap);

/*
 * Chart downsampling: at most 2 points per pixel column (the minimum and
 * maximum of the samples falling in it, in time order), so a chart of any
 * length stays `columns` wide. Writes up to `cap` (t, v) points; returns
 * how many. Fewer samples than 2 * columns are copied as they are.
 */
size_t report_chart_points(const report_series_t *s, int columns, double *t, double *v, size_t cap);
/* Round axis ticks: a "nice" step for a range spanning `span` in ~`ticks` steps. */
double report_nice_step(double span, int ticks);

/* ---- the document the HTML and PDF renderers both draw ---- */

typedef enum {
    RB_TITLE = 0, /* text: report title; text2: subtitle */
    RB_H2,        /* section heading */
    RB_H3,        /* sub heading */
    RB_PARA,      /* paragraph */
    RB_NOTE,      /* highlighted paragraph (style says how) */
    RB_KV,        /* two columns: label, value */
    RB_TABLE,     /* first row is the header */
    RB_LIST,      /* rows of one cell: bullet items */
    RB_VERDICT,   /* text: verdict; style: 1 ok, 2 warn, 3 bad */
    RB_CHART,     /* series */
    RB_SIGNOFF,   /* kv rows + signature line */
} report_block_kind_t;

enum { RS_NORMAL = 0, RS_OK = 1, RS_WARN = 2, RS_BAD = 3, RS_MUTED = 4 };

typedef struct {
    report_block_kind_t kind;
    int style;
    char *text, *text2;
    size_t ncols, nrows;
    char **cells;          /* nrows * ncols */
    uint8_t *row_style;    /* per row */
    const report_series_t *series;
} report_block_t;

typedef struct {
    size_t n, cap;
    report_block_t *b;
    char lang[4];
    char title[160];
} report_doc_t;

/* Lay out the model's content as blocks (the renderers' only input besides
 * the series data). */
int report_doc_build(const report_t *r, report_doc_t *doc);
void report_doc_free(report_doc_t *doc);

#endif
