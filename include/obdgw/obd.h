/*
 * obd.h — SAE J1979 / ISO 15031-5 services: request builders and response
 * parsers. Pure: bytes in, structs out, no I/O, no allocation.
 *
 * A "response" here is one ECU's complete reply message as the transport
 * delivers it (after ISO-TP reassembly or ELM327 line joining): service id
 * first. A reply of 0x7F <sid> <nrc> is a negative response: parsers return
 * OBD_OK with `nr.negative` set. Results point into the caller's input buffer
 * where noted; keep the input alive while using them.
 *
 * Not for: transport framing (ISO-TP, ELM327 text) — see isotp.h / elm.h.
 */
#ifndef OBDGW_OBD_H
#define OBDGW_OBD_H

#include "obdgw/base.h"
#include "obdgw/dtc.h"

enum {
    OBD_SVC_CURRENT_DATA = 0x01,
    OBD_SVC_FREEZE_FRAME = 0x02,
    OBD_SVC_STORED_DTC = 0x03,
    OBD_SVC_CLEAR_DTC = 0x04,
    OBD_SVC_O2_TEST = 0x05,
    OBD_SVC_MONITOR_TEST = 0x06,
    OBD_SVC_PENDING_DTC = 0x07,
    OBD_SVC_CONTROL = 0x08,
    OBD_SVC_VEHICLE_INFO = 0x09,
    OBD_SVC_PERMANENT_DTC = 0x0A,
    OBD_NEGATIVE_RESPONSE = 0x7F,
};

#define OBD_MAX_PIDS_PER_REQUEST 6

/* Request builders: return the request length, or OBD_ENOSPC / OBD_EINVAL. */
int obd_req_mode01(uint8_t *buf, size_t cap, const uint8_t *pids, size_t npids); /* 1..6 PIDs */
int obd_req_mode02(uint8_t *buf, size_t cap, const uint8_t *pids, size_t npids, uint8_t frame); /* 1..3 PIDs */
int obd_req_simple(uint8_t *buf, size_t cap, uint8_t sid); /* 03, 04, 07, 0A */
int obd_req_mode06(uint8_t *buf, size_t cap, uint8_t obdmid);
int obd_req_mode09(uint8_t *buf, size_t cap, uint8_t infotype);

/*
 * Common head of every reply. Returns OBD_OK when `p` is a positive reply to
 * `sid` (payload at p+1) or a negative reply to it (nr filled); OBD_ESID when
 * it answers another service; OBD_ESHORT/OBD_ELEN on malformed input.
 */
int obd_check_reply(const uint8_t *p, size_t n, uint8_t sid, obd_nr_t *nr);

/* ---------------- Service 01 / 02: PIDs ---------------- */

/* One PID's raw data inside a reply (points into the caller's buffer). */
typedef struct {
    uint8_t pid;
    uint8_t frame;       /* service 02 only: freeze frame number */
    uint8_t len;
    const uint8_t *data;
} obd_pid_raw_t;

typedef struct {
    obd_nr_t nr;
    size_t count;
    obd_pid_raw_t pids[OBD_MAX_PIDS_PER_REQUEST];
} obd_pid_reply_t;

/*
 * Split a service 01 (or, with sid 02, service 02: each PID followed by its
 * frame byte) reply into PIDs, each sized by the PID table. An unknown PID
 * can only end the reply (its length is then what remains); anywhere else it
 * makes the split impossible (OBD_EPID). Trailing bytes -> OBD_ELEN.
 */
int obd_parse_pid_reply(const uint8_t *p, size_t n, uint8_t sid, obd_pid_reply_t *out);

/* Supported-PID bitmaps: a 256-bit set, bit i = PID i supported. */
typedef struct {
    uint8_t bits[32];
} obd_pidset_t;

static inline bool obd_pidset_has(const obd_pidset_t *s, uint8_t pid)
{
    return (s->bits[pid >> 3] >> (7 - (pid & 7))) & 1;
}
static inline void obd_pidset_add(obd_pidset_t *s, uint8_t pid)
{
    s->bits[pid >> 3] |= (uint8_t)(0x80 >> (pid & 7));
}
/* Merge the 4-byte bitmap answered for `base` ($00, $20, ... $E0): PID base+1..base+32. */
int obd_pidset_merge(obd_pidset_t *s, uint8_t base, const uint8_t *data, size_t len);
/* Fill `pids` with the supported PIDs in ascending order; returns how many. */
size_t obd_pidset_list(const obd_pidset_t *s, uint8_t *pids, size_t cap);

/* ---------------- Readiness: PID $01 and $41 ---------------- */

typedef enum {
    /* common to spark and compression ignition (byte B bits 0-2 / 4-6) */
    OBD_MON_MISFIRE = 0,
    OBD_MON_FUEL_SYSTEM,
    OBD_MON_COMPONENTS,
    /* spark ignition (byte B bit 3 = 0): byte C/D bits 0-7 */
    OBD_MON_CATALYST,
    OBD_MON_HEATED_CATALYST,
    OBD_MON_EVAP,
    OBD_MON_SECONDARY_AIR,
    OBD_MON_AC_REFRIGERANT,
    OBD_MON_O2_SENSOR,
    OBD_MON_O2_HEATER,
    OBD_MON_EGR_VVT, /* EGR and/or VVT system (spark) / EGR-VVT (compression) */
    /* compression ignition (byte B bit 3 = 1) */
    OBD_MON_NMHC_CATALYST,
    OBD_MON_NOX_SCR,
    OBD_MON_BOOST_PRESSURE,
    OBD_MON_EXHAUST_GAS_SENSOR,
    OBD_MON_PM_FILTER,
    OBD_MON_COUNT
} obd_monitor_t;

typedef struct {
    bool supported;
    bool complete; /* meaningful only when supported; "complete" = test has run */
} obd_monitor_state_t;

typedef struct {
    bool mil_on;          /* PID $01 only (PID $41 byte A is reserved) */
    uint8_t dtc_count;    /* PID $01 only: confirmed emission DTCs (0-127) */
    bool compression;     /* byte B bit 3: compression ignition (diesel) */
    obd_monitor_state_t mon[OBD_MON_COUNT]; /* unsupported/not applicable: both false */
} obd_readiness_t;

/* Decode the 4 data bytes of PID $01 (this_cycle=false) or $41 (true). */
int obd_readiness_decode(const uint8_t *data, size_t len, bool this_cycle, obd_readiness_t *out);
/* Counts of supported monitors and of those not complete. */
void obd_readiness_counts(const obd_readiness_t *r, int *supported, int *incomplete);
const char *obd_monitor_key(obd_monitor_t m);                  /* "catalyst" */
const char *obd_monitor_name(obd_monitor_t m, obd_lang_t lang); /* "Catalyst" / "催化器" */

/* ---------------- Services 03 / 07 / 0A: DTC lists ---------------- */

#define OBD_MAX_DTCS 127

typedef struct {
    obd_nr_t nr;
    size_t count;
    obd_dtc_t dtcs[OBD_MAX_DTCS];
} obd_dtc_list_t;

/*
 * Parse a 43/47/4A reply. `can_format`: ISO 15765-4 replies carry a DTC
 * count byte after the SID (the count must match); legacy (J1850, ISO 9141,
 * KWP) replies carry 3 DTCs per message padded with $0000, no count byte, and
 * may be several messages concatenated (each beginning with the SID again).
 */
int obd_parse_dtc_reply(const uint8_t *p, size_t n, uint8_t sid, bool can_format, obd_dtc_list_t *out);

/*
 * What a DTC reply carried beside the textbook layout. Real ECUs send count
 * bytes that disagree with the codes carried, the legacy 3-codes-per-message
 * layout on CAN (no count byte), or a stray trailing byte. The codes that are
 * whole in the bytes are kept; nothing is invented (a half code is reported
 * as a trailing byte, never completed).
 */
typedef enum {
    OBD_DTC_DEV_NONE = 0,
    OBD_DTC_DEV_COUNT,         /* CAN: count byte != whole codes carried */
    OBD_DTC_DEV_LEGACY_ON_CAN, /* CAN reply in the legacy layout (no count byte) */
    OBD_DTC_DEV_TRAILING,      /* whole codes, then `trailing` bytes that are no code */
    OBD_DTC_DEV_NO_COUNT,      /* CAN: the SID alone, no count byte (read as no codes) */
} obd_dtc_dev_kind_t;

typedef struct {
    uint8_t kind;       /* obd_dtc_dev_kind_t */
    uint8_t count_byte; /* OBD_DTC_DEV_COUNT: what the count byte said */
    uint8_t carried;    /* whole codes carried */
    uint8_t trailing;   /* bytes after the last whole code */
} obd_dtc_dev_t;

/*
 * obd_parse_dtc_reply(), then, when the strict layout does not fit, the
 * reading that the bytes support. `expected` is the number of codes another
 * source announces (PID 01's confirmed count for service 03), -1 when none:
 * it decides between "count byte + codes + a stray byte" and the legacy
 * layout when the bytes allow both. OBD_OK with dev->kind set when decoded
 * with a deviation; an error (OBD_ESID, OBD_ESHORT, ...) when the bytes are
 * not a readable DTC reply at all.
 */
int obd_parse_dtc_reply_lenient(const uint8_t *p, size_t n, uint8_t sid, bool can_format, int expected,
                                obd_dtc_list_t *out, obd_dtc_dev_t *dev);
/* The deviation as a stable key ("count_byte:20:18", "legacy_layout_on_can",
 * "trailing_bytes:1", "no_count_byte"); "" for none. */
const char *obd_dtc_dev_key(const obd_dtc_dev_t *dev, char *out, size_t cap);

/* Service 04 reply: positive (44) or negative (e.g. 0x22 conditions not correct). */
int obd_parse_clear_reply(const uint8_t *p, size_t n, obd_nr_t *nr);

/* ---------------- Service 06: on-board monitoring (CAN format) ---------------- */

#define OBD_MAX_TESTS 64

typedef struct {
    uint8_t mid;     /* OBD monitor id */
    uint8_t tid;     /* standardised/manufacturer test id */
    uint8_t uasid;   /* unit and scaling id */
    uint16_t raw_value, raw_min, raw_max;
    double value, min, max; /* scaled by the UASID table */
    bool passed;            /* min <= value <= max (in raw units, signedness per UASID) */
    bool known_unit;        /* false: unknown UASID, values are raw */
} obd_test_result_t;

typedef struct {
    obd_nr_t nr;
    bool is_support; /* reply to $00/$20/...: `support` valid, `tests` empty */
    obd_pidset_t support;
    size_t count;
    obd_test_result_t tests[OBD_MAX_TESTS];
} obd_mode06_reply_t;

int obd_parse_mode06(const uint8_t *p, size_t n, obd_mode06_reply_t *out);

/* Unit-and-scaling table (J1979 Appendix E / ISO 15031-5 Annex). */
typedef struct {
    uint8_t uasid;
    bool is_signed;
    double scale;   /* physical = raw * scale + offset */
    double offset;
    const char *unit;   /* SI unit symbol, "" when none */
    const char *en, *zh; /* description */
} obd_uas_t;

const obd_uas_t *obd_uas_lookup(uint8_t uasid); /* NULL when undefined */
/* Names of standard OBDMIDs ("Catalyst Monitor Bank 1") or NULL. */
const char *obd_mid_name(uint8_t mid, obd_lang_t lang);

/* ---------------- Service 09: vehicle information ---------------- */

enum {
    OBD_INFO_SUPPORTED = 0x00,
    OBD_INFO_VIN_COUNT = 0x01,
    OBD_INFO_VIN = 0x02,
    OBD_INFO_CALID_COUNT = 0x03,
    OBD_INFO_CALID = 0x04,
    OBD_INFO_CVN_COUNT = 0x05,
    OBD_INFO_CVN = 0x06,
    OBD_INFO_IPT_COUNT = 0x07,
    OBD_INFO_IPT_SPARK = 0x08,
    OBD_INFO_ECUNAME_COUNT = 0x09,
    OBD_INFO_ECUNAME = 0x0A,
    OBD_INFO_IPT_COMPRESSION = 0x0B,
};

#define OBD_MAX_INFO_ITEMS 32
#define OBD_MAX_INFO_ITEM_LEN 32

typedef struct {
    uint8_t len;
    uint8_t data[OBD_MAX_INFO_ITEM_LEN];
} obd_info_item_t;

typedef struct {
    obd_nr_t nr;
    uint8_t infotype;
    size_t count;                           /* data items (NODI) */
    obd_info_item_t items[OBD_MAX_INFO_ITEMS]; /* item length = data length / count */
} obd_info_reply_t;

/*
 * Parse a 49 reply. CAN form: 49 <type> <NODI> <NODI items of equal size>.
 * Legacy form (several 49 <type> <seq> <4 bytes> messages concatenated) is
 * recognised and joined. Item size always comes from the data, never from a
 * table (CALID 16, CVN 4, ... are checked only as plausibility elsewhere).
 */
int obd_parse_mode09(const uint8_t *p, size_t n, obd_info_reply_t *out);

/* Copy a text item (VIN, CALID, ECU name) without padding (NUL/0xFF/space at
 * the ends) into `out` (NUL-terminated). Non-printable bytes -> OBD_EFORMAT. */
int obd_info_text(const obd_info_item_t *item, char *out, size_t cap);

/* In-use performance tracking ($08 spark, $0B compression): named counters. */
#define OBD_MAX_IPT 20
typedef struct {
    size_t count;
    struct {
        const char *key; /* "obdcond", "igncntr", "catcomp1", ... */
        const char *en, *zh;
        uint16_t value;
    } c[OBD_MAX_IPT];
} obd_ipt_t;
int obd_ipt_decode(uint8_t infotype, const obd_info_reply_t *r, obd_ipt_t *out);

#endif
