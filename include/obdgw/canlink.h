/*
 * canlink.h — the SocketCAN link (drivers/socketcan.c): obd_link_t over a
 * Linux CAN interface (can0, vcan0, ...), plus the small CAN pieces the CAN
 * simulator (src/sim_can.c) and the tests share, and interface control
 * through libsocketcan.
 *
 * Transport: ISO-TP either in the kernel (CAN_ISOTP sockets, Linux >= 5.10
 * with can-isotp loaded) or in user space (src/isotp.c over a CAN_RAW
 * socket). Both sit behind the same link; "auto" picks the kernel's when a
 * CAN_ISOTP socket can be created. A CAN_RAW socket is always open: it
 * sends functional single frames and watches the bus (activity, error
 * frames).
 *
 * Timing (ISO 15765-4 / ISO 14229-2): a reply must start within P2
 * (default 100 ms, a margin over the 50 ms the standard gives ECUs); after a
 * 7F xx 78 (responsePending) the ECU has P2* (default 5000 ms) again, as
 * often as it sends one (at most CAN_MAX_PENDING times). A multi-frame reply
 * in progress is waited for as long as its frames keep coming (N_Cr).
 *
 * Not for: deciding what to ask (session.h, uds_scan.h).
 */
#ifndef OBDGW_CANLINK_H
#define OBDGW_CANLINK_H

#include "obdgw/isotp.h"
#include "obdgw/link.h"

#define CAN_MAX_PENDING 40 /* 0x78 replies accepted per request */
#define CAN_MAX_BATCH 32   /* physical exchanges run at once by can_link_request_many */

typedef enum { CAN_TP_AUTO = 0, CAN_TP_USER, CAN_TP_KERNEL } can_tp_t;

typedef struct {
    char ifname[32];
    can_tp_t tp;        /* which ISO-TP */
    int pad;            /* padding byte, or ISOTP_NO_PADDING; default 0x00 */
    uint32_t bitrate;   /* 0 = keep what the interface has (or auto-detect when down) */
    uint16_t p2_ms;     /* default 100 */
    uint16_t p2star_ms; /* default 5000 */
} can_link_cfg_t;

/*
 * Parse "can0", "vcan0", "can:IFACE[,tp=user|kernel|auto][,pad=HEX|none]
 * [,bitrate=N][,p2=MS][,p2star=MS]". OBD_EINVAL with a reason in `err`.
 */
int can_link_parse_spec(const char *spec, can_link_cfg_t *out, char *err, size_t errcap);
/* Does `spec` name a CAN interface ("can:..." or canN / vcanN / slcanN / vxcanN)? */
bool can_link_spec_is_can(const char *spec);

/*
 * Open the link: check the interface, set the bitrate where asked (real
 * controllers only), pick the ISO-TP, then find the vehicle: 01 00 on 11-bit
 * ids, then on 29-bit ids (unless opts->protocol fixes one).
 */
int can_link_open(const can_link_cfg_t *cfg, const obd_link_opts_t *opts, obd_link_t **out, char *err,
                  size_t errcap);

/*
 * The same link over a frame socket the caller made: one end of
 * socketpair(AF_UNIX, SOCK_SEQPACKET) whose datagrams are struct can_frame,
 * as a CAN_RAW socket's are (the other end: sim_can_serve_fd). User-space
 * ISO-TP only, no interface control, no bus timing: for host tests and
 * figures without a CAN kernel. The link owns `fd` (closed on close and on
 * failure). cfg may be NULL (defaults; cfg->ifname names the bus in messages).
 */
int can_link_open_fd(int fd, const can_link_cfg_t *cfg, const obd_link_opts_t *opts, obd_link_t **out, char *err,
                     size_t errcap);

/* Is this link a SocketCAN one? */
bool can_link_is(const obd_link_t *l);
/* "kernel" or "user" for a SocketCAN link, NULL otherwise. */
const char *can_link_tp_name(const obd_link_t *l);

/*
 * Run up to CAN_MAX_BATCH physical requests at once (distinct response ids:
 * separate ISO-TP channels on the bus). outs[i] / rcs[i] get what
 * obd_link_request would have given for reqs[i]. Returns OBD_OK, or a link
 * failure that ended every exchange. On links that are not SocketCAN the
 * requests run one after another through obd_link_request.
 */
int can_link_request_many(obd_link_t *l, const obd_request_t *reqs, size_t n, obd_replies_t *outs, int *rcs);

/* ---- raw CAN frames (the simulator and tests use these too) ---- */

/* Identifiers above 0x7FF are sent as 29-bit. */
#define CAN_ID_IS_EXT(id) ((id) > 0x7FFu)

/* A non-blocking CAN_RAW socket bound to `ifname` (receives everything until
 * filtered). Returns the fd or a negative error with a reason in `err`. */
int can_raw_open(const char *ifname, char *err, size_t errcap);
/* Send one classic frame (n <= 8). */
int can_raw_send(int fd, uint32_t id, const uint8_t *p, size_t n);
/* Receive one frame: 1 got one (error frames: *id has bit 31 set), 0 none
 * waiting, < 0 error. */
int can_raw_recv(int fd, uint32_t *id, uint8_t *p, size_t *n);
/* Only these ids (exact; 29-bit when above 0x7FF); mask_ids sets id/mask pairs. */
int can_raw_filter(int fd, const uint32_t *ids, size_t n);
int can_raw_filter_masks(int fd, const uint32_t *ids, const uint32_t *masks, size_t n);

/* Can this kernel make CAN_ISOTP sockets (can-isotp loaded)? */
bool can_isotp_kernel_available(void);

/* ---- interface control (libsocketcan) ---- */

typedef struct {
    bool exists;
    bool up;
    bool is_virtual;     /* no controller: vcan / vxcan (no bitrate, no state) */
    bool has_state;
    char state[24];      /* "error-active", "error-warning", "error-passive", "bus-off", "stopped", ... */
    bool has_bitrate;
    uint32_t bitrate;
    bool has_berr;
    uint16_t txerr, rxerr;
    bool has_stats;
    uint64_t rx_packets, tx_packets, rx_errors, tx_errors;
} can_if_info_t;

/* Facts about `ifname`; always OBD_OK for an existing interface (what it
 * cannot tell is flagged false), -ENODEV when there is none. */
int can_if_info(const char *ifname, can_if_info_t *out);
/* One line: "vcan0: virtual CAN (no bitrate or controller state), up, rx 12 tx 9". */
void can_if_describe(const can_if_info_t *i, const char *ifname, char *out, size_t cap);
/* Stop, set the bitrate, start. Virtual interfaces: OBD_EINVAL ("has no bitrate"). */
int can_if_set_bitrate(const char *ifname, uint32_t bitrate, char *err, size_t errcap);
/* Bring an interface up / down (can_do_start / can_do_stop). */
int can_if_start(const char *ifname);
int can_if_stop(const char *ifname);
/* Restart a controller after bus-off. */
int can_if_restart(const char *ifname);
/*
 * Find the bus bitrate without disturbing the bus: for each candidate, set
 * listen-only mode at that bitrate and listen up to `listen_ms` for a frame
 * without error frames. *found = the bitrate, or 0 when the bus stayed
 * silent at every candidate (then try active requests). Virtual
 * interfaces: OBD_EINVAL.
 */
int can_if_probe_bitrate(const char *ifname, const uint32_t *candidates, size_t n, int listen_ms, uint32_t *found,
                         char *err, size_t errcap);

#endif
