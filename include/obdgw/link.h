/*
 * link.h — the one transport interface every vehicle link implements: the
 * ELM327 driver, the SocketCAN driver and the simulator.
 *
 * Contract: "send this request to all ECUs (functional) or to one ECU
 * (physical); return each ECU's complete reply, keyed by its address".
 * A reply is the whole diagnostic message (service id first) after the link
 * removed its framing (ISO-TP PCI bytes, ELM327 text, legacy headers and
 * checksums). Code above this interface (session, scan, live, clear) never
 * knows which adapter is in use.
 *
 * Addresses: an ECU is named by the identifier it answers from — 0x7E8 on
 * 11-bit CAN, 0x18DAF110 on 29-bit CAN, the source byte (e.g. 0x10) on
 * J1850 / ISO 9141 / KWP. A physical request names the request id and the
 * response id (tx_id/rx_id) so UDS modules outside the OBD range work too;
 * obd_target_for() derives the OBD pair from a response id.
 *
 * Not for: choosing what to ask (see session.h) or decoding replies (obd.h,
 * uds.h). Links are not thread-safe; one owner at a time.
 */
#ifndef OBDGW_LINK_H
#define OBDGW_LINK_H

#include "obdgw/base.h"

/* Vehicle protocols, numbered as the ELM327 numbers them (ATSPn / ATDPN). */
typedef enum {
    OBD_PROTO_AUTO = 0,
    OBD_PROTO_J1850_PWM = 1,
    OBD_PROTO_J1850_VPW = 2,
    OBD_PROTO_ISO9141 = 3,
    OBD_PROTO_KWP_5BAUD = 4,
    OBD_PROTO_KWP_FAST = 5,
    OBD_PROTO_CAN11_500 = 6,
    OBD_PROTO_CAN29_500 = 7,
    OBD_PROTO_CAN11_250 = 8,
    OBD_PROTO_CAN29_250 = 9,
    OBD_PROTO_J1939 = 10,
    OBD_PROTO_USER1 = 11,
    OBD_PROTO_USER2 = 12,
    OBD_PROTO_COUNT
} obd_proto_t;

static inline bool obd_proto_is_can(obd_proto_t p) { return p >= OBD_PROTO_CAN11_500; }
static inline bool obd_proto_is_can29(obd_proto_t p)
{
    return p == OBD_PROTO_CAN29_500 || p == OBD_PROTO_CAN29_250 || p == OBD_PROTO_J1939;
}
/* "ISO 15765-4 CAN (11 bit ID, 500 kbaud)"; "unknown" for out-of-range. */
const char *obd_proto_name(obd_proto_t p);
/* Machine key: "can11_500", "iso9141", ... */
const char *obd_proto_key(obd_proto_t p);

typedef struct {
    uint32_t tx_id; /* request identifier; 0 = functional (every ECU) */
    uint32_t rx_id; /* response identifier of that ECU (physical only) */
} obd_target_t;

#define OBD_TARGET_ALL ((obd_target_t){ 0, 0 })

/* Physical target for an OBD ECU answering from `rx_id`: 0x7E8 -> 0x7E0,
 * 0x18DAF110 -> 0x18DA10F1, legacy source byte -> itself. */
obd_target_t obd_target_for(uint32_t rx_id);

typedef struct {
    obd_target_t to;
    const uint8_t *data; /* service id first, no framing */
    size_t len;
    uint8_t expect;      /* replies expected when known (lets the link stop early); 0 = unknown */
    uint16_t timeout_ms; /* 0 = the link's default (P2 / adaptive timing) */
    uint8_t flags;       /* OBD_REQ_* */
} obd_request_t;

/* The session has reason to expect an answer (the ECU answered discovery,
 * PID 01 says codes exist): an ELM link that got NO DATA to a request with a
 * response-count digit retries once without the digit, and drops the digit
 * for the session when that answers (clones that misread "031" as PID 01). */
#define OBD_REQ_EXPECT_ANSWER 0x01
/* A presence probe (UDS scan: 3E 00 to a candidate pair): the link may run
 * a batch of them its fastest way (an ELM327 sends one probe per transmit
 * id with the receive filter open to every response id of that id, with
 * its own short timeout: timeout_ms is then what the chip waits). */
#define OBD_REQ_PROBE 0x02

#define OBD_LINK_MAX_ECUS 16
#define OBD_LINK_ARENA 8192

typedef struct {
    uint32_t addr; /* responder identifier (see above) */
    uint16_t off;  /* data = arena + off */
    uint16_t len;
} obd_reply_t;

/* All replies to one request. Fixed size, caller-owned, no allocation. */
typedef struct {
    size_t count;
    obd_reply_t r[OBD_LINK_MAX_ECUS];
    size_t used;
    uint8_t arena[OBD_LINK_ARENA];
} obd_replies_t;

static inline void obd_replies_reset(obd_replies_t *s)
{
    s->count = 0;
    s->used = 0;
}
static inline const uint8_t *obd_reply_data(const obd_replies_t *s, size_t i) { return s->arena + s->r[i].off; }

/* Add a reply from `addr`. With `append`, bytes are joined to the last reply
 * from the same address when it is the most recent one (legacy protocols send
 * one message per 7 bytes). OBD_ENOSPC when full. */
int obd_replies_add(obd_replies_t *s, uint32_t addr, const uint8_t *p, size_t n, bool append);
/* Index of the reply from `addr`, or -1. */
int obd_replies_find(const obd_replies_t *s, uint32_t addr);

typedef struct {
    char adapter[96];      /* "ELM327 v1.5", "OBDLink SX (STN1130 v4.3.2)", "simulator", "SocketCAN can0" */
    char device[128];      /* path or URL as opened */
    obd_proto_t protocol;  /* OBD_PROTO_AUTO until the first vehicle exchange */
    double battery_v;      /* < 0 when the link cannot measure it */
    bool multi_pid;        /* several PIDs per service 01 request are handled */
    bool mixed_ids;        /* 11- and 29-bit CAN ids on one link (SocketCAN); an ELM327
                            * sends only the id length of its protocol */
    uint32_t quirks;       /* OBD_QUIRK_*: what the link works around for this session */
} obd_link_info_t;

/* Deviations a link met and works around for the rest of the session; the
 * scan turns each into a note (en + zh) and `-v` logs it once. */
#define OBD_QUIRK_NO_COUNT_DIGIT 0x0001 /* '?' (or a misread) to the response-count digit: dropped */
#define OBD_QUIRK_NO_HEADER_SET  0x0002 /* ATSH refused: physical requests go functional, reply picked by id */
#define OBD_QUIRK_NO_RX_FILTER   0x0004 /* ATCRA refused: replies filtered by id in software */
#define OBD_QUIRK_NO_CAF         0x0008 /* ATCAF refused */
#define OBD_QUIRK_REFUSED_AT     0x0010 /* another optional AT/ST command refused (ATCP, ATST, ATAT, STxx) */
#define OBD_QUIRK_PROTO_EXPLICIT 0x0020 /* the protocol search reported 0: an explicit protocol was found */
#define OBD_QUIRK_HEADERS_OFF    0x0040 /* replies carry no headers: single-ECU results (address 0 / default) */
#define OBD_QUIRK_SPLIT_FRAMES   0x0080 /* replies arrived split with gaps: waited for the rest */

typedef struct obd_link obd_link_t;

typedef struct {
    const char *kind; /* "elm327", "socketcan", "sim" */
    /* Send a request and collect replies. OBD_OK with count 0 means nobody
     * answered (NO DATA). Negative: the link failed (OBD_ETIMEOUT, OBD_ELINK,
     * OBD_ENOVEHICLE, OBD_EBUS, OBD_EADAPTER); `out` then holds what arrived. */
    int (*request)(obd_link_t *l, const obd_request_t *req, obd_replies_t *out);
    /* Refresh and return adapter facts (battery voltage is re-read). */
    int (*info)(obd_link_t *l, obd_link_info_t *out);
    void (*close)(obd_link_t *l);
    /* Optional: n physical requests, answers in outs[i] / rcs[i] (as from
     * request), in the link's own best order; the return is a link failure
     * that ended the batch. NULL: can_link_request_many asks one by one. */
    int (*request_many)(obd_link_t *l, const obd_request_t *reqs, size_t n, obd_replies_t *outs, int *rcs);
} obd_link_ops_t;

struct obd_link {
    const obd_link_ops_t *ops;
    char errmsg[160]; /* last failure in words (adapter's own text where it gave one) */
};

static inline int obd_link_request(obd_link_t *l, const obd_request_t *req, obd_replies_t *out)
{
    return l->ops->request(l, req, out);
}
static inline int obd_link_info(obd_link_t *l, obd_link_info_t *out) { return l->ops->info(l, out); }
static inline void obd_link_close(obd_link_t *l)
{
    if (l)
        l->ops->close(l);
}

typedef struct {
    obd_proto_t protocol; /* OBD_PROTO_AUTO: detect */
    int baud;             /* serial: 0 = auto-detect */
    int timeout_ms;       /* per reply; 0 = default */
    const char *scenario; /* "sim:" links: scenario file (NULL = built-in) */
    int verbose;          /* >0: trace the dialogue to stderr */
} obd_link_opts_t;

/*
 * Open a link from a spec: "/dev/ttyUSB0", "/dev/rfcomm0" (ELM327 on a serial
 * port), "tcp://192.168.0.10:35000" (Wi-Fi ELM327), "sim" or "sim:FILE"
 * (built-in simulator on a private pty). On failure *out is NULL and, when
 * `err` is given, it holds a one-line reason.
 */
int obd_link_open(const char *spec, const obd_link_opts_t *opts, obd_link_t **out, char *err, size_t errcap);

#endif
