/*
 * session.h — what to ask a vehicle, over any link: the full OBD scan, live
 * data with multi-PID requests (and per-ECU fallback to single PIDs), and the
 * guarded clear. The CLI, the daemon and the DMS link all call this code; it
 * never knows which adapter is underneath (link.h).
 *
 * Results are plain structs (no allocation inside); obd_scan_json() renders
 * the documented JSON form (docs/scan.schema.json).
 */
#ifndef OBDGW_SESSION_H
#define OBDGW_SESSION_H

#include <cjson/cJSON.h>

#include "obdgw/dtcdb.h"
#include "obdgw/link.h"
#include "obdgw/obd.h"
#include "obdgw/vin.h"

#define OBD_SCAN_MAX_ECUS 8
#define OBD_SCAN_MAX_FF_PIDS 48
#define OBD_SCAN_MAX_RAW 128
#define OBD_SCAN_MAX_M06 48

/*
 * How one ECU answered one service (scan JSON "addressing", store, report's
 * ECU table). An ECU found at discovery that is silent to a functional
 * request is asked again physically (its own request id only) before the
 * scan calls it "none".
 */
typedef enum {
    OBD_ADDR_NOT_ASKED = 0,
    OBD_ADDR_FUNCTIONAL, /* answered the functional (broadcast) request */
    OBD_ADDR_PHYSICAL,   /* answered only when addressed physically */
    OBD_ADDR_NRC,        /* answered with a negative response (7F sid nrc) */
    OBD_ADDR_NONE,       /* asked functionally and physically: nothing came */
    OBD_ADDR_COUNT
} obd_addressing_t;
const char *obd_addressing_key(obd_addressing_t a); /* "functional", "physical", "nrc", "none", "not_asked" */

/*
 * What became of one read (DTC list, freeze frame, Mode 06, Mode 09, UDS
 * read). A reply that arrived is never "no_answer": it is ok, ok with a
 * named deviation (count byte != codes carried, legacy layout on CAN,
 * trailing bytes), or unreadable (bytes kept, shown in hex).
 */
typedef enum {
    OBD_READ_NOT_ASKED = 0,
    OBD_READ_OK,
    OBD_READ_DEVIATION,   /* "ok_with_deviation": decoded; what deviated is in `deviation` */
    OBD_READ_UNREADABLE,  /* bytes arrived but do not decode: kept in `raw` */
    OBD_READ_NO_ANSWER,   /* nothing arrived (functional, then physical) */
    OBD_READ_UNSUPPORTED, /* 7F sid 11/12, or the adapter refused the request ('?') */
    OBD_READ_REFUSED,     /* another negative answer (`nrc`) */
    OBD_READ_COUNT
} obd_read_state_t;
const char *obd_read_state_key(obd_read_state_t s); /* "ok", "ok_with_deviation", "unreadable", "no_answer",
                                                     * "not_supported", "refused", "not_asked" */
/* True when the read tells what is (and is not) stored: ok or ok_with_deviation. */
static inline bool obd_read_usable(uint8_t state) { return state == OBD_READ_OK || state == OBD_READ_DEVIATION; }

#define OBD_READ_RAW_MAX 48 /* bytes of an unreadable reply kept beside the state */

/* One DTC list as read from one ECU. */
typedef struct {
    bool read;         /* we asked and got an answer (positive or negative) */
    bool unsupported;  /* the ECU said "service not supported" (e.g. Mode 0A on pre-2010 cars) */
    uint8_t nrc;       /* other negative answer (0 = none) */
    uint8_t state;     /* obd_read_state_t */
    uint8_t addressing; /* obd_addressing_t: how the answer came */
    char deviation[64]; /* OBD_READ_DEVIATION / UNREADABLE: what, in English ("count byte 20, 18 codes carried") */
    uint16_t rawlen;   /* UNREADABLE: full length of the reply; raw[] holds the first OBD_READ_RAW_MAX bytes */
    uint8_t raw[OBD_READ_RAW_MAX];
    bool uds_format;   /* OBD on UDS: 3-byte DTCs; ftb[]/status[] are valid */
    size_t count;
    obd_dtc_t dtcs[OBD_MAX_DTCS];
    uint8_t ftb[OBD_MAX_DTCS];    /* failure type byte (OBD on UDS) */
    uint8_t status[OBD_MAX_DTCS]; /* UDS status byte (OBD on UDS) */
} obd_dtc_set_t;

/* Where the VIN came from (scan JSON "vin_source"). */
typedef enum {
    OBD_VIN_SRC_NONE = 0,
    OBD_VIN_SRC_MODE09,          /* 09 02, listed in 09 00 */
    OBD_VIN_SRC_MODE09_UNLISTED, /* 09 02 although 09 00 was missing, NO DATA or did not list it */
    OBD_VIN_SRC_UDS_F190,        /* UDS 22 F190 (vehicleIdentificationNumber) */
    OBD_VIN_SRC_UDS_F802,        /* OBD on UDS: 22 F802 */
    OBD_VIN_SRC_COUNT
} obd_vin_source_t;
const char *obd_vin_source_key(obd_vin_source_t s); /* "mode09", "mode09_unlisted", "uds_f190", "uds_f802", "none" */

/* Which diagnostic protocol the emissions data came through. */
typedef enum {
    OBD_PROTOCOL_CLASSIC = 0, /* SAE J1979 services 01-0A */
    OBD_PROTOCOL_ON_UDS,      /* SAE J1979-2: ISO 14229 services 22/19/14 */
} obd_protocol_kind_t;

typedef struct {
    uint8_t pid;
    uint8_t len;
    uint8_t data[8];
} obd_pid_sample_t;

/* Service numbers indexing obd_ecu_scan_t.addressing[] (1..0x0A). */
#define OBD_ADDR_SVC_MAX 0x0A

typedef struct {
    uint32_t addr;       /* response id (7E8, 18DAF110, legacy source) */
    uint8_t addressing[OBD_ADDR_SVC_MAX + 1]; /* obd_addressing_t per service 01..0A (01: data PIDs) */
    bool physical_first; /* this ECU needed physical addressing once: ask it physically first */
    uint16_t fallback_svcs; /* bit n: service n was answered only when asked physically after its
                             * functional request got nothing (data PIDs, 02, 06 and the 09
                             * infotypes are asked physically anyway and never set a bit) */
    obd_pidset_t silent_pids; /* service 01 PIDs the ECU lists but never answered */
    uint8_t ff_state;    /* obd_read_state_t of the freeze frame read */
    uint8_t m06_state;   /* obd_read_state_t of service 06 */
    uint8_t info_state;  /* obd_read_state_t of service 09 */
    char name[24];       /* ECU name from 09 0A when given ("ECM-EngineControl") */
    obd_pidset_t pids;   /* supported service 01 PIDs */
    bool has_readiness;
    obd_readiness_t readiness;       /* PID 01 */
    uint8_t readiness_raw[4];        /* PID 01 data bytes as received */
    bool has_readiness_cycle;
    obd_readiness_t readiness_cycle; /* PID 41: this drive cycle */
    obd_dtc_set_t stored, pending, permanent;
    bool has_ff;         /* service 02 frame 0 */
    obd_dtc_t ff_dtc;    /* the DTC that stored the frame */
    size_t nff;
    obd_pid_sample_t ff[OBD_SCAN_MAX_FF_PIDS];
    /* since-clear counters (-1 = not supported) */
    int warmups_since_clear;   /* PID 30 */
    int km_since_clear;        /* PID 31 */
    int min_since_clear;       /* PID 4E */
    int km_with_mil;           /* PID 21 */
    int min_with_mil;          /* PID 4D */
    double odometer_km;        /* PID A6, < 0 when not supported */
    char calid[4][17];         /* 09 04 */
    size_t ncalid;
    uint32_t cvn[4];           /* 09 06 */
    size_t ncvn;
    /* service 06 on-board monitor results (CAN format; empty on legacy) */
    bool m06_read;             /* the ECU reported which monitors it has */
    size_t nm06;
    obd_test_result_t m06[OBD_SCAN_MAX_M06];
} obd_ecu_scan_t;

/* The raw exchange behind the decoded values (for audits and re-decoding). */
typedef struct {
    uint8_t req[8];
    uint8_t reqlen;
    uint32_t addr;
    uint16_t len;
    uint8_t data[256]; /* truncated at 256 bytes; `len` is the full length */
} obd_raw_reply_t;

typedef struct {
    obd_link_info_t link;
    uint8_t obd_protocol;       /* obd_protocol_kind_t: "obd_protocol" in JSON */
    char vin[OBD_VIN_LEN + 1];  /* "" when the vehicle does not report one */
    uint32_t vin_from;          /* ECU that reported it */
    uint8_t vin_source;         /* obd_vin_source_t */
    bool vin_check_failed;      /* the check digit applies (North America, China) and does not match: kept, flagged */
    bool status_known;          /* some ECU answered PID 01: mil_on/dtc_count mean something (else JSON null) */
    bool mil_on;
    int dtc_count;              /* sum of ECUs' PID 01 confirmed counts */
    size_t necus;
    obd_ecu_scan_t ecus[OBD_SCAN_MAX_ECUS];
    bool recently_cleared;      /* since-clear counters say codes were cleared lately */
    char cleared_why[96];
    uint64_t started_ms;        /* wall clock, ms since the epoch */
    uint32_t duration_ms;
    unsigned requests;          /* requests sent */
    unsigned physical_retries;  /* requests repeated physically after functional silence */
    size_t nnotes;
    char notes[8][112];         /* English sentences (scan_text.h OBD_NOTE_*) of what the scan did about
                                 * adapter/ECU deviations; obd_scan_note_text() gives them in Chinese */
    size_t nraw;
    obd_raw_reply_t raw[OBD_SCAN_MAX_RAW];
} obd_scan_t;

/* Progress callback for people watching (may be NULL). */
typedef void (*obd_progress_fn)(void *ctx, const char *what_en, const char *what_zh);

/*
 * Full OBD scan: discover ECUs (01 00 and the bitmaps), VIN, CALID/CVN, ECU
 * names, readiness, since-clear counters, odometer, stored/pending/permanent
 * DTCs, freeze frame 0. A link failure ends the scan with that error (what
 * was read so far stays in `out`); an ECU's "no" is recorded, not an error.
 * OBD_ENOVEHICLE when no ECU answers at all.
 */
int obd_scan_run(obd_link_t *l, obd_scan_t *out, obd_progress_fn progress, void *ctx);

/* The documented JSON form. `db` may be NULL (descriptions then omitted). */
cJSON *obd_scan_json(const obd_scan_t *s, dtcdb_t *db, obd_lang_t lang);

/* Why the scan looks recently cleared, in the given language ("" when it
 * does not); `cleared_why` holds the English text as saved. */
const char *obd_scan_cleared_text(const obd_scan_t *s, obd_lang_t lang, char *out, size_t cap);


/* Total DTCs of a kind across ECUs. */
size_t obd_scan_count(const obd_scan_t *s, int kind /* 0 stored, 1 pending, 2 permanent */);

/* ---- live data ---- */

#define OBD_LIVE_MAX_PIDS 32

typedef struct {
    uint32_t addr;
    bool single_only; /* multi-PID requests failed for this ECU: ask one PID at a time */
    obd_pidset_t pids;
    /* Silence is bounded: a PID the ECU lists but does not answer is asked at
     * most max_misses times in a row (or for silence_ms), then given up. */
    uint8_t misses[OBD_LIVE_MAX_PIDS];     /* consecutive unanswered polls, by index in obd_live_t.pids */
    uint64_t last_ok_ms[OBD_LIVE_MAX_PIDS]; /* monotonic ms of the last answer (or of the start) */
    obd_pidset_t given_up;                  /* PIDs no longer asked: silent */
} obd_live_ecu_t;

#define OBD_LIVE_MAX_MISSES 5       /* default: unanswered polls in a row before a PID is given up */
#define OBD_LIVE_SILENCE_MS 5000    /* default: ms without an answer before a PID is given up */

typedef struct {
    size_t npids;
    uint8_t pids[OBD_LIVE_MAX_PIDS];
    size_t necus;
    obd_live_ecu_t ecus[OBD_SCAN_MAX_ECUS];
    bool multi;        /* use multi-PID requests where the link allows */
    unsigned requests;
    unsigned fallbacks; /* ECUs switched to single-PID requests */
    unsigned max_misses; /* 0 = OBD_LIVE_MAX_MISSES */
    unsigned silence_ms; /* 0 = OBD_LIVE_SILENCE_MS */
    bool all_silent;     /* every (ECU, PID) asked was given up: obd_live_poll returns OBD_ETIMEOUT */
    bool multi_tried;    /* a multi-PID request was sent (the single-PID hint only makes sense then) */
    int8_t functional;   /* ELM327 with several ECUs: 0 = ask each cycle's PIDs of all ECUs in one
                          * functional request (count digit = ECUs), -1 = an ECU did not answer
                          * so: physical requests from then on */
    bool on_uds;        /* OBD on UDS (SAE J1979-2): polled with 22 F4xx (session_uds.c) */
} obd_live_t;

/* One decoded sample. */
typedef struct {
    uint32_t addr;
    uint8_t pid;
    uint64_t t_ms;  /* wall clock ms */
    uint8_t len;
    uint8_t data[8];
} obd_live_sample_t;

/* Find which ECUs support which of `pids` (service 01 bitmaps). PIDs nobody
 * supports are reported through `unsupported` (may be NULL). */
int obd_live_init(obd_live_t *lv, obd_link_t *l, const uint8_t *pids, size_t npids, bool multi,
                  uint8_t *unsupported, size_t *nunsupported);
/* One round: every requested PID from every ECU that supports it, once.
 * Returns the number of samples written (<= cap) or a link error. A PID an
 * ECU stays silent to is given up after max_misses polls or silence_ms;
 * when nothing is left to ask, OBD_ETIMEOUT with lv->all_silent set. */
int obd_live_poll(obd_live_t *lv, obd_link_t *l, obd_live_sample_t *out, size_t cap);
/* Number of (ECU, PID) pairs still asked. */
size_t obd_live_active(const obd_live_t *lv);
/* The (ECU, PID) pairs given up so far, "0C at 7E8, 0D at 7E8" (English keys, for messages). */
const char *obd_live_silent_text(const obd_live_t *lv, char *out, size_t cap);

/* ---- clear ---- */

typedef struct {
    bool refused;      /* an ECU answered negatively (e.g. 0x22: engine running) */
    uint8_t nrc;
    uint32_t refused_by;
    size_t acked;      /* ECUs that confirmed */
    uint32_t acked_by[OBD_SCAN_MAX_ECUS];
} obd_clear_result_t;

/* Send service 04 to every ECU. The caller is responsible for the guards
 * (evidence captured, confirmation, engine stopped): see cmd_clear.c. */
int obd_clear_run(obd_link_t *l, obd_clear_result_t *out);

/* Current engine speed in rpm from the first ECU that answers, or < 0. */
double obd_engine_rpm(obd_link_t *l);

#endif
