/*
 * elm.h — ELM327-family text replies: pure parsing (text in, per-ECU
 * messages out). The dialogue (commands, timing, capability probe) is in
 * drivers/elm327.c; this file knows nothing about I/O or time.
 *
 * A "reply" is everything the adapter sent after a command up to (not
 * including) its '>' prompt. The parser copes with what real adapters and
 * clones send: echo left on, CR or CR LF line ends, spaces on or off,
 * "SEARCHING...", "BUS INIT: ...OK", status words (NO DATA, CAN ERROR, ...),
 * duplicated lines, garbage or non-ASCII bytes, and both ways a multi-frame
 * CAN reply is shown:
 *   - headers on (ATH1): raw ISO-TP frames, "7E8 10 14 49 02 01 31 44 34"
 *     then "7E8 21 ...", reassembled here per ECU (sequence checked);
 *   - headers off (ATH0, CAF1): "014" then "0: 49 02 ..." "1: ..." segments.
 * Legacy protocols (J1850, ISO 9141, KWP) show 3 header bytes and a checksum
 * byte per line; the checksum is verified and lines from one ECU are joined.
 */
#ifndef OBDGW_ELM_H
#define OBDGW_ELM_H

#include "obdgw/base.h"
#include "obdgw/link.h"
#include "obdgw/stream.h"

typedef enum {
    ELM_OK = 0,           /* data (possibly none: see nodata) */
    ELM_NO_DATA,          /* "NO DATA": nobody answered */
    ELM_UNABLE_TO_CONNECT,
    ELM_BUS_INIT_ERROR,   /* "BUS INIT: ...ERROR" */
    ELM_CAN_ERROR,
    ELM_BUS_ERROR,
    ELM_BUS_BUSY,
    ELM_FB_ERROR,         /* feedback error (wiring) */
    ELM_DATA_ERROR,       /* "DATA ERROR", or every data line failed its checksum / "<DATA ERROR" */
    ELM_BUFFER_FULL,
    ELM_STOPPED,
    ELM_UNKNOWN_CMD,      /* "?" */
    ELM_LOW_POWER,        /* "LP ALERT", "ACT ALERT" (also with a leading '!'): going to sleep */
    ELM_GARBAGE,          /* nothing usable: lines that are not a reply */
    ELM_RX_ERROR,         /* "<RX ERROR" after every line: bit errors / wrong CAN rate */
    ELM_INTERNAL_ERROR,   /* "ERRnn" (other than ERR94): chip-internal fault (err_code) */
    ELM_CAN_FATAL,        /* "ERR94": fatal CAN error; the chip reset, settings are defaults */
    ELM_ADAPTER_RESET,    /* "LV RESET": brown-out reset (like ATZ); settings are defaults */
    ELM_STATUS_COUNT
} elm_status_t;

typedef enum {
    ELM_FMT_CAN11 = 0, /* 3-hex-digit headers */
    ELM_FMT_CAN29,     /* 8-hex-digit headers */
    ELM_FMT_LEGACY,    /* J1850 / ISO 9141 / KWP: 3 header bytes + checksum */
} elm_fmt_t;

/* Format of a protocol's replies. */
elm_fmt_t elm_fmt_for(obd_proto_t p);

typedef struct {
    elm_fmt_t fmt;
    bool headers;       /* ATH1 is in effect */
    obd_proto_t proto;  /* legacy: which checksum (J1850 CRC vs ISO sum) */
    const char *echo;   /* the command sent, stripped if echoed back (may be NULL) */
    bool raw_pci;       /* CAN, headers off, ATCAF0: each line is a whole frame, PCI first */
} elm_parse_opts_t;

typedef struct {
    elm_status_t status;
    bool searching;      /* "SEARCHING..." was shown (first request after ATSP0) */
    bool bus_init;       /* "BUS INIT: ...OK" was shown */
    bool echoed;         /* the command came back (echo still on) */
    unsigned lines;      /* non-empty lines seen */
    unsigned bad_lines;  /* lines dropped: not hex, bad checksum, broken ISO-TP */
    unsigned dup_lines;  /* exact repeats dropped */
    /*
     * Why lines were dropped, so a caller can say what it received:
     *  - checksummed: lines whose checksum was checked: legacy lines (headers
     *    on) checked here, and lines the chip marked "<DATA ERROR" (it checked);
     *    bad_checksum: those of them that failed. A reply whose every data line failed has status
     *    ELM_DATA_ERROR (never ELM_GARBAGE): "replies failed their checksum
     *    (bad_checksum of checksummed)".
     *  - headerless: with headers expected (ATH1), lines that are plain hex data
     *    without the header, e.g. "41 00 BE 3F A8 13" or "4100983A8001": the
     *    adapter is not showing headers ("the adapter's replies had no
     *    headers"). Counted in bad_lines too; status stays ELM_GARBAGE when
     *    nothing else came, so a caller may re-parse with headers = false.
     *  - err_code: the number of an "ERRnn" reply (ELM_INTERNAL_ERROR /
     *    ELM_CAN_FATAL), else 0.
     */
    unsigned checksummed;
    unsigned bad_checksum;
    unsigned headerless;
    unsigned err_code;
} elm_reply_t;

/*
 * Parse one reply. Messages go to `out` (reset first), one per responding
 * ECU, keyed by its address (headers off: address 0). Returns OBD_OK when
 * the reply parsed (check r->status), OBD_ENOSPC when `out` overflowed,
 * OBD_EINVAL on bad arguments. Bytes outside printable ASCII are tolerated
 * (the line they are on is dropped and counted).
 */
int elm_parse_reply(const char *text, size_t n, const elm_parse_opts_t *o, elm_reply_t *r, obd_replies_t *out);

/* Link error for a status: ELM_OK/ELM_NO_DATA -> OBD_OK, others an OBD_E*.
 * ELM_CAN_FATAL and ELM_ADAPTER_RESET also mean the chip lost its settings
 * (the data sheet: restore them), so the set-up must be run again. */
int elm_status_error(elm_status_t s);
const char *elm_status_key(elm_status_t s); /* "no_data", "can_error", ... */

/* Build the hex command for a request ("0100" / "01000C0D" plus an optional
 * expected-replies digit 1-9). Returns length or OBD_ENOSPC/OBD_EINVAL. */
int elm_format_request(const uint8_t *p, size_t n, unsigned expect, char *out, size_t cap);

/* Checksums shown on legacy lines. */
uint8_t elm_j1850_crc(const uint8_t *p, size_t n);
uint8_t elm_iso_sum(const uint8_t *p, size_t n);

/* Parse "12.6V" / "12.6" -> volts; OBD_EFORMAT otherwise. */
int elm_parse_voltage(const char *s, double *v);

/* ---- the driver (drivers/elm327.c) ---- */

/* Adapter facts learned during set-up (also in obd_link_info_t.adapter). */
typedef struct {
    char id[48];        /* ATI: "ELM327 v1.5" */
    char stn[48];       /* STI on STN chips: "STN1110 v4.3.2"; "" otherwise */
    char desc[48];      /* AT@1 */
    bool is_stn;
    bool has_at;        /* ATAT adaptive timing */
    bool has_cra;       /* ATCRA receive filter */
    bool has_count;     /* expected-replies digit after a request */
    bool echo_stuck;    /* ATE0 did not take: echo stripped from every reply */
    bool spaces;        /* ATS0 did not take */
    bool headers;       /* ATH1 took */
} elm_caps_t;

/*
 * Run the ELM327 set-up on an open stream and return a link (it owns the
 * stream from then on, and reopens `reopen_spec` after the adapter vanished,
 * if given). Serial streams with opts->baud == 0 have their speed detected.
 */
int elm_link_open(obd_stream_t *s, const char *reopen_spec, const obd_link_opts_t *opts, obd_link_t **out,
                  char *err, size_t errcap);
/* Vehicle requests sent (hex requests and STPX) and the serial bytes they
 * and their answers took each way (prompts included): the least the link
 * must carry for the data asked, for a computed throughput limit. */
typedef struct {
    uint64_t requests, tx_bytes, rx_bytes;
} elm_traffic_t;
const elm_traffic_t *elm_link_traffic(const obd_link_t *l);

/* Capabilities of an ELM link (NULL for another kind of link). */
const elm_caps_t *elm_link_caps(const obd_link_t *l);

#endif
