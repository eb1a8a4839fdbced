/*
 * uds.h — ISO 14229-1 (UDS) services a full-system scan needs: request
 * builders and response parsers for $10 session control, $3E tester present,
 * $22 read data by identifier, $19 read DTC information and $14 clear, plus
 * the negative response codes (NRC) and the standard identification DIDs.
 *
 * Pure: bytes in, structs out, no I/O, no allocation, no clock. A "reply" is
 * one ECU's complete message as the link delivers it (after ISO-TP
 * reassembly), service id first. Input comes from the vehicle and is
 * untrusted: every parser checks lengths before reading and reports
 * OBD_ESHORT (cut short), OBD_ELEN (trailing bytes, records not whole),
 * OBD_ESID (reply to another service), OBD_EPID (not the sub-function / DID
 * that was asked for, or a split that cannot be made).
 *
 * Negative replies (0x7F <sid> <nrc>) are data, not errors: parsers return
 * OBD_OK with `nr.negative` set and nothing else in the result valid. NRC
 * 0x78 (responsePending) is such a reply too: the caller keeps waiting for
 * P2*server_max and feeds the next message to the same parser.
 *
 * Pointers in results (`data`, `records`) point into the caller's input
 * buffer: keep it alive and unchanged while using them. Nothing here owns
 * memory.
 *
 * Not for: transport (ISO-TP, ELM327 text, timing) — see link.h; deciding
 * what to ask and when to retry — see session.h; DTC texts — see dtc.h and
 * dtcdb.h (uds_dtc_t and the status bit names live in dtc.h).
 */
#ifndef OBDGW_UDS_H
#define OBDGW_UDS_H

#include "obdgw/base.h"
#include "obdgw/dtc.h"

/* Service identifiers (requests; a positive reply is the SID + 0x40). */
enum {
    UDS_SVC_SESSION = 0x10,        /* DiagnosticSessionControl */
    UDS_SVC_CLEAR_DTC = 0x14,      /* ClearDiagnosticInformation */
    UDS_SVC_READ_DTC = 0x19,       /* ReadDTCInformation */
    UDS_SVC_READ_DID = 0x22,       /* ReadDataByIdentifier */
    UDS_SVC_TESTER_PRESENT = 0x3E, /* TesterPresent */
    UDS_NEGATIVE_RESPONSE = 0x7F,
};

/* suppressPosRspMsgIndicationBit: bit 7 of a sub-function byte. With it set
 * the ECU sends no positive reply (negative replies still come). */
#define UDS_SUPPRESS_POS_RSP 0x80

/* diagnosticSessionType values (0x40-0x5F OEM, 0x60-0x7E supplier). */
enum {
    UDS_SESSION_DEFAULT = 0x01,
    UDS_SESSION_PROGRAMMING = 0x02,
    UDS_SESSION_EXTENDED = 0x03,
    UDS_SESSION_SAFETY = 0x04,
};
/* "Default session" / "默认会话"; ranges get a generic text; never NULL. */
const char *uds_session_name(uint8_t session, obd_lang_t lang);

/* ReadDTCInformation sub-functions built and parsed here. */
enum {
    UDS_RDTC_COUNT_BY_MASK = 0x01, /* reportNumberOfDTCByStatusMask */
    UDS_RDTC_BY_MASK = 0x02,       /* reportDTCByStatusMask */
    UDS_RDTC_SNAPSHOT = 0x04,      /* reportDTCSnapshotRecordByDTCNumber */
    UDS_RDTC_EXTDATA = 0x06,       /* reportDTCExtendedDataRecordByDTCNumber */
    UDS_RDTC_SUPPORTED = 0x0A,     /* reportSupportedDTC */
    UDS_RDTC_PERMANENT = 0x15,     /* reportDTCWithPermanentStatus */
};

#define UDS_DTC_GROUP_ALL 0xFFFFFFu /* $14 groupOfDTC: every DTC of the ECU */
#define UDS_RECORD_ALL 0xFF         /* $19 04 / 06 record number: every record */

/* ====================== request builders ====================== */
/*
 * Each writes the request into buf[0..cap) and returns its length, or
 * OBD_ENOSPC (cap too small) / OBD_EINVAL (argument outside what the
 * standard allows). Nothing is written past cap.
 */

/* 10 <session|0x80 when suppress>. session 0x01..0x7F. */
int uds_req_session(uint8_t *buf, size_t cap, uint8_t session, bool suppress);
/* 3E 00, or 3E 80 with suppress (the usual keep-alive: no reply expected). */
int uds_req_tester_present(uint8_t *buf, size_t cap, bool suppress);
/* 22 <did hi lo>...: 1..UDS_MAX_DIDS identifiers. */
int uds_req_read_did(uint8_t *buf, size_t cap, const uint16_t *dids, size_t ndids);
/* 19 01 <mask>: how many DTCs match the status mask. */
int uds_req_dtc_count(uint8_t *buf, size_t cap, uint8_t status_mask);
/* 19 02 <mask>: DTCs whose status has any bit of the mask set. */
int uds_req_dtc_by_status(uint8_t *buf, size_t cap, uint8_t status_mask);
/* 19 04 <dtc 3 bytes> <record>: snapshot (freeze frame) record(s) of one
 * DTC; record UDS_RECORD_ALL asks for all. code24 <= 0xFFFFFF. */
int uds_req_dtc_snapshot(uint8_t *buf, size_t cap, uint32_t code24, uint8_t record);
/* 19 06 <dtc 3 bytes> <record>: extended data record(s) of one DTC
 * (0xFF all, 0xFE all OBD records). code24 <= 0xFFFFFF. */
int uds_req_dtc_extdata(uint8_t *buf, size_t cap, uint32_t code24, uint8_t record);
/* 19 0A: every DTC the ECU supports, with its current status. */
int uds_req_dtc_supported(uint8_t *buf, size_t cap);
/* 19 15: DTCs with permanent status (cleared only by the ECU itself). */
int uds_req_dtc_permanent(uint8_t *buf, size_t cap);
/* 14 <group 3 bytes>: clear one DTC, a group, or UDS_DTC_GROUP_ALL.
 * Destroys evidence: callers must have captured everything first. */
int uds_req_clear(uint8_t *buf, size_t cap, uint32_t group24);

/* ====================== replies: common head ====================== */

/*
 * OBD_OK when p is a positive reply to `sid` (first byte sid + 0x40, payload
 * at p+1) or a negative reply to it (`nr` filled; then exactly 3 bytes).
 * OBD_ESID when it answers another service, OBD_ESHORT for an empty or cut
 * negative reply, OBD_ELEN for a negative reply with trailing bytes.
 * `nr` may be NULL.
 */
int uds_check_reply(const uint8_t *p, size_t n, uint8_t sid, obd_nr_t *nr);

/* ====================== negative response codes ====================== */

/* What a session should do about an NRC. */
typedef enum {
    UDS_NRC_CLASS_OTHER = 0,     /* the ECU refused this request; report the NRC */
    UDS_NRC_CLASS_PENDING,       /* 0x78: keep waiting up to P2*server_max */
    UDS_NRC_CLASS_RETRY,         /* 0x21, 0x94: busy; repeat the request later */
    UDS_NRC_CLASS_CONDITIONS,    /* 0x22, 0x26, 0x81-0x93, 0x95-0xFE: vehicle state
                                    (engine running, speed, voltage ...) */
    UDS_NRC_CLASS_SECURITY,      /* 0x33-0x3A, 0x50-0x5D: security access, authentication,
                                    secure gateway: "needs OEM authorisation" */
    UDS_NRC_CLASS_NOT_SUPPORTED, /* 0x11, 0x12, 0x31, 0x7E, 0x7F: the ECU does not offer it
                                    (here, or in the active session) */
    UDS_NRC_CLASS_COUNT
} uds_nrc_class_t;

uds_nrc_class_t uds_nrc_class(uint8_t nrc);
/* "pending", "retry", "conditions", "security", "not_supported", "other". */
const char *uds_nrc_class_key(uds_nrc_class_t c);
/* What to tell the workshop, e.g. "Needs OEM authorisation" / "需要主机厂授权". */
const char *uds_nrc_class_name(uds_nrc_class_t c, obd_lang_t lang);

/* 0x78 requestCorrectlyReceived-ResponsePending. */
bool uds_nrc_is_pending(uint8_t nrc);

/* ISO 14229-1 Annex A name in its own spelling ("responsePending",
 * "securityAccessDenied"); ranges without a single name get the range name
 * ("vehicleManufacturerSpecificConditionsNotCorrect", "isoSaeReserved").
 * Never NULL. */
const char *uds_nrc_key(uint8_t nrc);
/* Workshop text in English or Chinese; unassigned codes get "reserved NRC" /
 * "ISO 保留的否定响应码". Never NULL. */
const char *uds_nrc_name(uint8_t nrc, obd_lang_t lang);

/* ====================== $50 / $7E / $54 ====================== */

typedef struct {
    obd_nr_t nr;
    uint8_t session;    /* echoed diagnosticSessionType */
    bool has_timing;    /* false: an older ECU sent only the session byte */
    uint16_t p2_ms;     /* P2server_max in ms (sent with 1 ms resolution) */
    uint32_t p2star_ms; /* P2*server_max in ms (sent in 10 ms units, converted) */
} uds_session_reply_t;

/*
 * 50 <session> [P2 hi lo] [P2* hi lo]. `session` is the type asked for
 * (compared without bit 7); 0 accepts any echo. Wrong echo -> OBD_EPID;
 * 3 to 5 bytes -> OBD_ESHORT; more than 6 -> OBD_ELEN.
 */
int uds_parse_session_reply(const uint8_t *p, size_t n, uint8_t session, uds_session_reply_t *out);

/* 7E 00 exactly (echo of zeroSubFunction; anything else -> OBD_EPID). */
int uds_parse_tester_present_reply(const uint8_t *p, size_t n, obd_nr_t *nr);

/* 54 exactly: the ECU cleared. A refusal (e.g. 0x22 engine running) comes back
 * in `nr`. */
int uds_parse_clear_reply(const uint8_t *p, size_t n, obd_nr_t *nr);

/* ====================== $22 / $62: data identifiers ====================== */

/* One standard DID (ISO 14229-1 Annex C, F180-F19F). */
typedef struct {
    uint16_t did;
    uint8_t len;      /* fixed data length in bytes; 0 = variable (OEM decides) */
    bool is_text;     /* ASCII, usually padded with 0x00 / 0xFF / spaces */
    const char *key;  /* machine name, e.g. "vin", "ecu_serial_number" */
    const char *en, *zh;
} uds_did_info_t;

/* The table row for `did`, or NULL when the DID is not a standard
 * identification DID (OEM DIDs, F1A0+, ...). */
const uds_did_info_t *uds_did_lookup(uint16_t did);

/*
 * Optional data-length oracle for DIDs the table does not size (OEM DIDs in
 * $62 replies and in snapshot records): return the data length in bytes
 * (> 0), or <= 0 when unknown. Consulted before the table.
 */
typedef int (*uds_did_len_fn)(uint16_t did, void *ctx);

#define UDS_MAX_DIDS 16 /* per request / per parsed reply */

/* One DID's data inside a reply. */
typedef struct {
    uint16_t did;
    size_t len;
    const uint8_t *data;        /* into the caller's input */
    const uds_did_info_t *info; /* table row, or NULL */
} uds_did_rec_t;

typedef struct {
    obd_nr_t nr;
    size_t count;
    uds_did_rec_t dids[UDS_MAX_DIDS];
} uds_did_reply_t;

/*
 * Split a 62 reply into DID records. Each DID's length comes from the table
 * (or the oracle in the _ex form). A variable-length or unknown DID has no
 * length on the wire, so it can only be split when it is known to be last:
 *   - with `asked` (the DIDs of the request, in request order): when it is
 *     the last DID asked for. The ECU answers in request order and leaves
 *     out DIDs it does not support, so every DID in the reply must be one
 *     asked for, after the previous one (else OBD_EPID).
 *   - without `asked` (NULL): only as the first and only record.
 * Anywhere else -> OBD_EPID: ask such DIDs last, or one per request.
 * A variable DID takes the rest of the message (at least 1 byte).
 * Trailing bytes after the last fixed DID -> OBD_ELEN. More than UDS_MAX_DIDS
 * records -> OBD_ENOSPC (the first UDS_MAX_DIDS kept). Only dids[0, count)
 * are valid.
 */
int uds_parse_did_reply(const uint8_t *p, size_t n, const uint16_t *asked, size_t nasked,
                        uds_did_reply_t *out);
int uds_parse_did_reply_ex(const uint8_t *p, size_t n, const uint16_t *asked, size_t nasked,
                           uds_did_len_fn len_of, void *ctx, uds_did_reply_t *out);

/*
 * Copy a text DID's data into `out` (NUL-terminated) without padding (0x00,
 * 0xFF and spaces at either end). Returns the text length (0 when the data
 * is all padding, e.g. an unprogrammed VIN), OBD_EFORMAT when a byte inside
 * is not printable ASCII (0x20-0x7E), OBD_ENOSPC when out is too small,
 * OBD_EINVAL for bad arguments. On error out is "".
 */
int uds_did_text(const uint8_t *data, size_t len, char *out, size_t cap);

/* ====================== $19 / $59: DTC information ====================== */

#define UDS_MAX_DTCS 255

typedef struct {
    obd_nr_t nr;
    uint8_t subfn;       /* echoed sub-function */
    uint8_t avail_mask;  /* DTCStatusAvailabilityMask: status bits this ECU supports
                            (01, 02, 0A, 15) */
    /* 0x01 */
    uint8_t format;      /* DTCFormatIdentifier (see uds_dtc_format_id_name) */
    uint16_t count;      /* DTCCount */
    /* 0x02, 0x0A, 0x15 */
    size_t ndtcs;        /* records kept in dtcs[] */
    size_t total;        /* records in the message; > ndtcs only with OBD_ENOSPC */
    uds_dtc_t dtcs[UDS_MAX_DTCS];
    /* 0x04, 0x06: the DTC asked about, then its records, unparsed */
    uds_dtc_t dtc;
    const uint8_t *records; /* into the caller's input; NULL when records_len == 0 */
    size_t records_len;     /* 0: the ECU holds no such record for this DTC */
} uds_dtc_reply_t;

/*
 * Parse a 59 reply. `subfn` is the sub-function asked for (bit 7, the
 * suppress flag, ignored; 0 accepts any of the six above; another value ->
 * OBD_EINVAL). A different echo, or one not listed above -> OBD_EPID.
 * Only dtcs[0, ndtcs) are valid.
 *   01: 59 01 <avail> <format> <count hi lo>, exactly 6 bytes.
 *   02/0A/15: 59 sf <avail> then 4-byte records (DTC hi mid lo, status);
 *       bytes after the mask not a multiple of 4 -> OBD_ELEN. More than
 *       UDS_MAX_DTCS records: the first UDS_MAX_DTCS are kept, `total` says
 *       how many there were, and the result is OBD_ENOSPC (everything else
 *       in `out` is valid).
 *   04/06: 59 sf <DTC 3> <status> [records]. The caller compares `dtc.code`
 *       with the DTC it asked about. 04 records: see uds_snapshot_split().
 *       06 records: <record number> <data>..., lengths OEM-specific; kept
 *       raw.
 */
int uds_parse_dtc_reply(const uint8_t *p, size_t n, uint8_t subfn, uds_dtc_reply_t *out);

/* DTCFormatIdentifier (0x00 J2012-DA format 00, 0x01 ISO 14229-1, 0x02
 * J1939-73, 0x03 ISO 11992-4, 0x04 J2012-DA format 04); never NULL. */
const char *uds_dtc_format_id_name(uint8_t format, obd_lang_t lang);

/* One snapshot record of a 59 04 reply. */
#define UDS_MAX_SNAPSHOT_DIDS 32
typedef struct {
    uint8_t number;  /* DTCSnapshotRecordNumber (0x00 legislated, 0x01-0xFE OEM) */
    uint8_t nids;    /* DTCSnapshotRecordNumberOfIdentifiers as sent */
    size_t count;    /* identifiers kept in dids[] */
    uds_did_rec_t dids[UDS_MAX_SNAPSHOT_DIDS];
} uds_snapshot_t;

/*
 * Split the `records` of a 59 04 reply: <number> <nids> then nids times
 * <DID hi lo> <data>. Data lengths are OEM-specific: each comes from
 * `len_of` (may be NULL), else the DID table. A DID of unknown length can
 * only be the last identifier of the last record (it takes the rest);
 * anywhere else -> OBD_EPID. nids 0 is read as "count not given": the
 * identifiers run to the end of the message.
 * `*nrecs` gets the number of records found (it may exceed cap; on other
 * errors, those read so far). More than `cap` records or more
 * than UDS_MAX_SNAPSHOT_DIDS identifiers in one: the first ones are kept and
 * the result is OBD_ENOSPC. len 0 -> OBD_OK with no records.
 */
int uds_snapshot_split(const uint8_t *raw, size_t len, uds_did_len_fn len_of, void *ctx,
                       uds_snapshot_t *recs, size_t cap, size_t *nrecs);

/* Length oracle for uds_snapshot_split / uds_parse_did_reply_ex: DIDs
 * F400-F4FF are the OBD-II PID of their low byte (ISO 14229-1 Annex C,
 * SAE J1979-2), sized by the PID table; 0 for any other DID. */
int uds_obd_did_len(uint16_t did, void *ctx);

/* One value of a snapshot record, for people. */
typedef struct {
    uint8_t record;  /* DTCSnapshotRecordNumber */
    uint16_t did;
    char name[96];   /* "Engine speed" / "发动机转速"; "DID DD05" for an OEM DID */
    char value[72];  /* "800 rpm"; the data bytes in hex for an OEM DID */
} uds_snap_line_t;

/*
 * The `records` of a 59 04 reply as name/value lines: F4xx DIDs decoded
 * with the PID table (a PID of several fields gives several lines), other
 * DIDs as hex (an OEM DID's length is unknown, so it can only be the last
 * identifier: see uds_snapshot_split). Returns OBD_OK, a split error (show
 * the raw bytes then), or OBD_ENOSPC when more than cap lines (the first
 * cap kept). *nout: lines filled.
 */
int uds_snapshot_describe(const uint8_t *raw, size_t len, obd_lang_t lang, uds_snap_line_t *out, size_t cap,
                          size_t *nout);

#endif
