/*
 * store_history.h — the car's whole life in the workshop (#13), from the
 * evidence store: repair classes and their quality-guarantee windows, the
 * comebacks (返修) found at pre-repair scans, delivery (交车) and the 3-day
 * follow-up call, the team lead's check (班组长检验), warranty claim packs,
 * each RO's timeline against standard times, a vehicle's history across
 * visits and the service manager's figures.
 *
 * Everything here is read and written in the store's own transactions
 * (store.h rules). The JSON these functions return is language-free
 * (keys, codes, ms timestamps); the CLI and the reports render it in
 * English or Chinese.
 *
 * The guarantee windows' defaults come from the Chinese regulation on motor
 * vehicle maintenance (机动车维修管理规定, 交通运输部令 2015 年第 17 号, art. 37,
 * as quoted by the Henan transport department's FAQ): for cars, complete
 * vehicle or assembly repair (整车修理、总成修理) 20,000 km or 100 days,
 * second-level maintenance (二级维护) 5,000 km or 30 days, first-level
 * maintenance, minor and specific repairs (一级维护、小修及专项修理) 2,000 km
 * or 10 days; "whichever is reached first", counted from delivery (竣工出厂).
 * Classes "major", "level2", "minor". A site changes them with
 * store_guarantee_set (`obdgw wo class`).
 */
#ifndef OBDGW_STORE_HISTORY_H
#define OBDGW_STORE_HISTORY_H

#include <cjson/cJSON.h>

#include "obdgw/store.h"

/* ---- repair classes and guarantee windows ---- */

typedef struct {
    char name[16];      /* "major", "level2", "minor", or a site's own */
    int days;           /* 0: no day limit */
    int km;             /* 0: no km limit */
    char match[8];      /* "code": the same DTC; "system": a DTC of the same system */
} store_guarantee_t;

#define STORE_DEFAULT_CLASS "minor" /* an RO without a class: the shorter window */

int store_guarantee_list(store_t *st, int (*fn)(void *ctx, const store_guarantee_t *g), void *ctx);
int store_guarantee_get(store_t *st, const char *name, store_guarantee_t *out); /* OBD_ENOTFOUND */
/* Add or change a class. OBD_EINVAL when it has no window (days and km both
 * 0 or negative), a bad name or match; nothing changed then. Audited. */
int store_guarantee_set(store_t *st, const store_guarantee_t *g, const char *actor);
/* The RO's repair class ("" = none: STORE_DEFAULT_CLASS applies). The class
 * must exist. Audited. */
int store_wo_set_class(store_t *st, const char *ro, const char *cls, const char *actor);
int store_wo_class(store_t *st, const char *ro, char out[16]);

/* ---- comebacks ---- */

typedef struct {
    int64_t id;
    int64_t wo_id;
    char code[12];            /* the DTC now ("P0301") */
    char source[4];           /* "obd" or "uds": which scan found it */
    int64_t scan_id;          /* that scan (OBD scan id or UDS scan id) */
    char earlier_ro[STORE_RO_LEN];
    char earlier_code[12];    /* what the earlier RO repaired (== code unless match "system") */
    char match[8];            /* "code" or "system" */
    char repair_class[16];    /* the earlier RO's class as applied */
    double days;              /* since the earlier RO's delivery */
    double km;                /* since it; < 0 unknown */
    int64_t detected_ms;
} store_comeback_t;

/* Inside the scan's transaction (store_scan.c, store_uds.c): confirmed DTCs of
 * a pre-repair scan (stage pre or diag) that an earlier delivered RO of the
 * same VIN repaired within its guarantee window become comebacks of `wo`.
 * *n gets how many were new. */
int store__detect_comebacks(store_t *st, const store_wo_t *wo, store_stage_t stage, int64_t scan_id, bool uds,
                            int *n);
int store_comeback_list(store_t *st, const char *ro, int (*fn)(void *ctx, const store_comeback_t *c), void *ctx);

/* ---- delivery and follow-up ---- */

typedef struct {
    bool delivered;
    int64_t delivered_ms;
    char who[48];
    int mileage_out_km;       /* -1 unknown */
    bool forced;              /* delivered without a final QC sign-off (--force) */
    int64_t followup_ms;      /* 0: not called yet */
    char followup_by[48];
    char followup_note[256];
} store_delivery_t;

/* Hand the car over: time now, who, mileage out (-1: the latest scan's or
 * the RO's mileage in). Closes the RO. Refused (OBD_ESTATE, nothing
 * changed) when delivered already, or without a final QC sign-off unless
 * `force` (then audited as forced, with `reason`). */
int store_wo_deliver(store_t *st, const char *ro, const char *who, int mileage_out_km, bool force,
                     const char *reason, store_delivery_t *out);
int store_delivery_get(store_t *st, const char *ro, store_delivery_t *out); /* delivered false when not */
/* The 3-day call was made (who, note). Refused when not delivered or called already. */
int store_followup_done(store_t *st, const char *ro, const char *who, const char *note);
#define STORE_FOLLOWUP_DAYS 3
/* Delivered ROs not called yet (due_only: delivered STORE_FOLLOWUP_DAYS days
 * ago or more), oldest first, each with what was found and fixed and what is
 * pending (drive-cycle monitors, permanent DTCs, declined items). */
cJSON *store_followup_json(store_t *st, bool due_only);

/* ---- team lead's check (班组长检验) ---- */

typedef struct {
    bool present;
    char who[48];
    int64_t checked_ms;
    int64_t scan_id;          /* the post-repair (or self-check) scan checked */
    char verdict[24];         /* QC verdict key at the check */
} store_lead_check_t;

/* Record the team lead's check of `scan_id` (a post-repair or self-check
 * scan of the RO). Refused once the final QC is signed. Audited. */
int store_lead_check(store_t *st, const char *ro, const char *who, int64_t scan_id, const char *verdict);
int store_lead_check_get(store_t *st, const char *ro, store_lead_check_t *out);

/* ---- warranty claim packs ---- */

/* Freeze a pack's manifest (its SHA-256 is what --verify compares).
 * Audited. */
int store_warranty_record(store_t *st, const char *ro, const char *code, const char *who, const char *manifest,
                          char sha256_hex[65]);
/* The latest pack of (RO, code): its manifest's SHA-256 as stored. */
int store_warranty_get(store_t *st, const char *ro, const char *code, char sha256_hex[65]);

/* ---- timelines, vehicle history, figures ---- */

/* Standard times per stage, minutes (接车 15, 故障诊断 30, 质量检验 20, 交车 15). */
typedef struct {
    int reception_min, diagnosis_min, qc_min, delivery_min;
} store_std_times_t;
void store_std_times_default(store_std_times_t *t);

/* One RO's timeline: events in time order (opened, reception scan,
 * diagnosis, additional items asked/decided, repair end (clear),
 * self/lead/final QC, delivery) and the stages' durations. */
cJSON *store_wo_timeline_json(store_t *st, const char *ro, const store_std_times_t *std);
/* Everything of one car across visits: ROs, OBD and UDS scans, clears, QC
 * verdicts, recordings, mileage over time, per DTC first/last seen, visits
 * and when cleared, comebacks. NULL on error (store_errmsg) or unknown VIN
 * with OBD_ENOTFOUND in *rc. */
cJSON *store_vehicle_history_json(store_t *st, const char *vin, int *rc);
/* The service manager's figures over ROs opened since `since_ms`. */
cJSON *store_stats_json(store_t *st, int64_t since_ms, const store_std_times_t *std);

#endif
