/*
 * signals.h — OEM live data from signal definitions in the OBDb signalset
 * format (JSON; the format's published schema is signals.json in the OBDb
 * project's ".schemas" repository): which module to ask (hdr/rax), which
 * UDS $22 DID (cmd), how often (freq), and how each signal sits in the
 * reply (fmt: bix/len/sign/blsb/mul/div/add/min/max/unit/map).
 *
 * Three parts:
 *   - the parser (src/signals_parse.c): JSON text -> sig_set_t. Pure (no
 *     I/O). What the reader does not support is refused with the field
 *     named; a fault in one signal (len 0 or > 64, bits overlapping another
 *     signal of the same command, an unknown unit) marks that signal with
 *     its error and leaves the others usable.
 *   - the decoder (src/signals_decode.c): one DID's data bytes -> a value.
 *     Pure, bounded: a reply shorter than the signal needs is "no value",
 *     never a value read past the end.
 *   - the poller (src/signals_live.c): plans requests per module (several
 *     DIDs per $22 request, the module's limit learnt from NRC 0x13/0x14 or
 *     a reply that leaves DIDs out), polls each command at its freq, asks
 *     modules concurrently on SocketCAN (can_link_request_many) and one
 *     after another on other links.
 * Where signalsets come from (dtc-db/signals/, chosen by VIN) and the
 * Chinese overlay: src/signals_db.c (file I/O).
 *
 * Not for: service 01 PIDs (pid.h, session.h).
 */
#ifndef OBDGW_SIGNALS_H
#define OBDGW_SIGNALS_H

#include "obdgw/base.h"
#include "obdgw/link.h"

#define SIG_MAX_COMMANDS 128
#define SIG_MAX_SIGNALS 512
#define SIG_MAX_MAP 1024 /* map entries over the whole set */
#define SIG_ID_MAX 64
#define SIG_NAME_MAX 96
#define SIG_ERR_MAX 112
#define SIG_MAX_BITS 64

/* ---- units: the format's names (schema "unitEnum") -> our symbols ---- */

typedef enum {
    SIG_UK_NUMBER = 0, /* a quantity: value + symbol */
    SIG_UK_BOOL,       /* yesno / offon: 0 / 1 shown as words */
    SIG_UK_HEX,        /* raw value in hex */
} sig_unit_kind_t;

typedef struct {
    const char *key;    /* the format's name: "celsius", "kilometersPerHour" */
    const char *en, *zh; /* our unit strings: "°C", "km/h"; "" for scalar */
    uint8_t kind;       /* sig_unit_kind_t */
} sig_unit_t;

/* The row for a format unit name, or NULL (unknown, or one we refuse). */
const sig_unit_t *sig_unit_find(const char *key);

/* ---- the parsed set ---- */

typedef struct {
    int64_t raw;
    char text[48];
} sig_map_t;

typedef struct {
    char id[SIG_ID_MAX];     /* "SAGITAR_ABS_WSPD_FL" */
    char name[SIG_NAME_MAX]; /* English, from the file */
    char name_zh[SIG_NAME_MAX]; /* from the zh overlay; "" = none (English shown, marked) */
    char path[48];           /* "Movement", "Battery.Cells" ("" when not given) */
    char metric[40];         /* suggestedMetric ("" when not given) */
    uint16_t cmd;            /* index of its command in sig_set_t.cmds */
    uint16_t bix;            /* first bit, MSB-first, counted from the first data byte after the DID */
    uint8_t len;             /* bits, 1..64 */
    bool sign, blsb, hidden;
    bool has_nullmin, has_nullmax;
    double mul, div, add, min, max, nullmin, nullmax;
    const sig_unit_t *unit;  /* NULL for map signals without a unit */
    uint16_t map_off, nmap;  /* entries in sig_set_t.maps */
    char err[SIG_ERR_MAX];   /* "" = usable; else why not (English, field named) */
} sig_signal_t;

typedef struct {
    uint32_t tx_id, rx_id;   /* physical request / response ids */
    uint8_t service;         /* 0x22 */
    uint16_t did;
    uint32_t period_ms;      /* freq */
    uint16_t timeout_ms;     /* tmo (4 ms units, as ATST), 0 = the link's */
    int16_t year_from, year_to; /* filter: 0 = open */
    uint16_t first, nsig;    /* its signals: sigs[first .. first+nsig) */
    uint16_t need;           /* data bytes the furthest usable signal needs */
    char err[SIG_ERR_MAX];   /* "" = usable; set when the whole command is refused */
} sig_command_t;

typedef struct {
    size_t ncmds, nsigs, nmaps;
    sig_command_t cmds[SIG_MAX_COMMANDS];
    sig_signal_t sigs[SIG_MAX_SIGNALS];
    sig_map_t maps[SIG_MAX_MAP];
} sig_set_t;

/*
 * Parse a signalset. OBD_OK (signals or commands may still carry their own
 * err); OBD_EFORMAT with `err` saying why the file as a whole is refused
 * (not JSON, no "commands", an unknown top-level field, more than the
 * limits above). `out` is the caller's (large: allocate it).
 */
int sig_parse(const char *text, size_t len, sig_set_t *out, char *err, size_t errcap);

/* Index of the signal with this id, or -1. */
int sig_find(const sig_set_t *s, const char *id);

/* Does command c apply to model year `year` (0 = unknown: yes)? */
bool sig_command_applies(const sig_command_t *c, int year);

/* ---- decoding ---- */

typedef enum {
    SIG_V_OK = 0,     /* value (and text for map / bool signals) */
    SIG_V_NULL,       /* nullmin / nullmax: the module says "not available" */
    SIG_V_SHORT,      /* the reply is shorter than the signal needs: no value */
    SIG_V_UNMAPPED,   /* map signal: raw value not in the map (raw kept) */
    SIG_V_INVALID,    /* the signal has an err: not decoded */
} sig_vstate_t;

typedef struct {
    uint8_t state;    /* sig_vstate_t */
    bool clamped;     /* the scaled value was outside [min, max] and was clamped, as the format says */
    int64_t raw;
    double value;
    const char *text; /* map text / "yes"... (lang-aware); NULL for plain numbers */
} sig_value_t;

/* Decode signal `s` of set `set` from one DID's data bytes (after the DID
 * echo). Never reads data[len] or beyond. Returns out->state. */
int sig_decode(const sig_set_t *set, const sig_signal_t *s, const uint8_t *data, size_t len, obd_lang_t lang,
               sig_value_t *out);

/* "12.5 km/h", "yes", "Drive (3)", "no value" ... */
int sig_value_format(const sig_signal_t *s, const sig_value_t *v, obd_lang_t lang, char *out, size_t cap);
/* The unit string in a language ("" when none). */
const char *sig_unit_text(const sig_signal_t *s, obd_lang_t lang);
/* The name in a language: zh from the overlay, else English (with
 * *fallback set when a Chinese name was wanted and missing). */
const char *sig_name(const sig_signal_t *s, obd_lang_t lang, bool *fallback);

/* ---- the dtc-db/signals directory (src/signals_db.c) ---- */

typedef struct {
    char file[128];   /* "faw-vw-sagitar-2019-2024.json" */
    char wmi[64];     /* "LFV" or "LFV LSV" */
    int year_from, year_to;
    char name_en[96], name_zh[96];
} sig_index_row_t;

/* The directory the signalsets are read from: $OBDGW_SIGNALS, else
 * dtc-db/signals next to the running tree (development), else
 * OBDGW_DATADIR/signals. */
const char *sig_dir(char *out, size_t cap);
/* Rows of DIR/index.tsv (at most cap; *n filled). OBD_ENOTFOUND without one,
 * OBD_EFORMAT (err: file:line) for a bad row. */
int sig_index_read(const char *dir, sig_index_row_t *rows, size_t cap, size_t *n, char *err, size_t errcap);
/* Does row r apply to this VIN (WMI listed, model year in range)? */
bool sig_index_matches(const sig_index_row_t *r, const char *vin);
/* Load a signalset file (and DIR/zh/<base>.tsv when present). *out is
 * allocated; free with free(). */
int sig_load_file(const char *path, sig_set_t **out, char *err, size_t errcap);
/* Apply a zh overlay (lines "ID<TAB>name"); unknown ids are ignored. */
int sig_overlay_zh(sig_set_t *s, const char *text, size_t len);

/* ---- the poller (src/signals_live.c) ---- */

#define SIG_LIVE_MAX_MODULES 32
#define SIG_LIVE_MAX_MISSES 5

typedef struct {
    uint32_t tx_id, rx_id;
    uint8_t max_dids;   /* DIDs per $22 request; learnt (one fewer on 0x13/0x14, cut to what a reply carried) */
    bool limit_learnt;  /* max_dids came from the module's answer */
} sig_module_t;

typedef struct {
    bool active;        /* some selected, usable signal needs it */
    bool refused;       /* NRC to the DID asked alone (0x31 ...): no longer asked */
    uint8_t nrc;
    uint8_t misses;     /* unanswered polls in a row */
    bool given_up;      /* silent SIG_LIVE_MAX_MISSES times */
    int16_t dlen;       /* data bytes the module sends for this DID; -1 = not known yet (asked alone) */
    uint64_t due_ms;    /* next poll */
    uint16_t module;
} sig_cmd_state_t;

typedef struct {
    const sig_set_t *set;
    bool multi;                         /* several DIDs per request */
    size_t nmods;
    sig_module_t mods[SIG_LIVE_MAX_MODULES];
    sig_cmd_state_t cs[SIG_MAX_COMMANDS];
    bool sel[SIG_MAX_SIGNALS];
    unsigned requests;                  /* $22 requests sent */
    unsigned limit_changes;             /* times a module's limit was learnt */
    uint64_t next_due_ms;               /* earliest due command after a poll (0 = none left) */
    obd_replies_t *outs;                /* reply sets of one wave (allocated by the first poll) */
} sig_live_t;

typedef enum {
    SIG_EV_VALUE = 0,   /* v holds the decoded value (v.state may be SHORT / NULL / UNMAPPED) */
    SIG_EV_REFUSED,     /* the module refused the DID (nrc): the signal is no longer asked */
    SIG_EV_NO_ANSWER,   /* the module did not answer SIG_LIVE_MAX_MISSES polls: given up */
} sig_event_kind_t;

typedef struct {
    uint16_t sig;       /* index in set->sigs */
    uint8_t kind;       /* sig_event_kind_t */
    uint8_t nrc;
    uint64_t t_ms;      /* wall clock */
    uint32_t rx_id;
    uint8_t len;        /* the DID's data bytes (first 32 kept), for the record */
    uint8_t data[32];
    sig_value_t v;
} sig_sample_t;

/*
 * Select signals (sel: per set->sigs index; NULL = every usable one) and
 * plan the modules. `year`: the car's model year (commands filtered out do
 * not apply), 0 = unknown. Selected signals with an err are never asked
 * (the caller says why, from their err). OBD_ENOSPC for more modules than
 * SIG_LIVE_MAX_MODULES. sig_live_free releases what polling allocated.
 */
int sig_live_init(sig_live_t *lv, const sig_set_t *set, const bool *sel, int year, bool multi);
/*
 * One round at wall-clock `now_ms`: every command that is due, grouped per
 * module. Returns the samples written (<= cap; a round writes at most one
 * per selected signal) or a link failure. 0 when nothing was due: wait
 * until lv->next_due_ms.
 */
int sig_live_poll(sig_live_t *lv, obd_link_t *l, uint64_t now_ms, obd_lang_t lang, sig_sample_t *out, size_t cap);
void sig_live_free(sig_live_t *lv);
/* Selected signals still asked. */
size_t sig_live_active(const sig_live_t *lv);

#endif
