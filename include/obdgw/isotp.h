/*
 * isotp.h — ISO 15765-2 (ISO-TP) transport for classic CAN, sans-I/O.
 *
 * One isotp_t is one end of one point-to-point channel: it sends messages
 * to a peer and receives messages from it. It never touches a socket or a
 * clock: the caller feeds every frame that arrived from the peer's id
 * (isotp_on_frame), passes the time in milliseconds, and asks which frame
 * to put on the bus next (isotp_poll). Which CAN ids are used (11- or
 * 29-bit, functional or physical) is the caller's business: the state
 * machine only sees 1..8 data bytes per frame.
 *
 * Covered: single, first, consecutive and flow-control frames; block size
 * and STmin in both directions (we advertise ours, we obey the peer's);
 * flow-control WAIT (counted against max_wft); N_Bs (no flow control after
 * a first frame / block) and N_Cr (no consecutive frame) timeouts; sequence
 * errors; frames padded to 8 bytes with a chosen byte, or not padded;
 * messages of 1..4095 bytes. CAN FD and the 32-bit first-frame length are
 * not supported (a peer announcing more than ISOTP_MAX_MSG gets an
 * overflow flow control).
 *
 * Bus input is untrusted: every frame is checked against its length before
 * a byte is read, and a broken one ends the reception with an error code,
 * never an out-of-bounds read.
 *
 * Not for: choosing ids, waiting for replies or P2 timing (the link does
 * that, see drivers/socketcan.c).
 */
#ifndef OBDGW_ISOTP_H
#define OBDGW_ISOTP_H

#include "obdgw/base.h"

#define ISOTP_MAX_MSG 4095
#define ISOTP_NO_PADDING (-1)

typedef struct {
    int pad;            /* padding byte 0..255, or ISOTP_NO_PADDING (shortest frames) */
    uint8_t bs;         /* block size we ask of a sender (0 = no further flow control) */
    uint8_t stmin;      /* STmin byte we ask of a sender (0x00-0x7F ms, 0xF1-0xF9 100-900 us) */
    uint16_t n_bs_ms;   /* sender: wait for a flow control at most this long (default 1000) */
    uint16_t n_cr_ms;   /* receiver: wait for a consecutive frame at most this long (default 1000) */
    uint8_t max_wft;    /* sender: flow-control WAIT frames accepted in a row (default 10) */
    uint8_t fc_waits;   /* receiver: send this many WAIT frames before each CTS (tests, fault injection) */
    uint16_t wait_gap_ms; /* receiver: time between those WAIT frames (default 10) */
} isotp_cfg_t;

/* The defaults above: padding 0x00... callers usually start from this. */
isotp_cfg_t isotp_cfg_default(void);

/* Why a transfer ended badly (ISO 15765-2 N_Result names). */
typedef enum {
    ISOTP_R_OK = 0,
    ISOTP_R_TIMEOUT_BS,   /* N_Bs: the receiver sent no flow control in time */
    ISOTP_R_TIMEOUT_CR,   /* N_Cr: the sender stopped sending consecutive frames */
    ISOTP_R_WRONG_SN,     /* a consecutive frame out of sequence */
    ISOTP_R_INVALID_FS,   /* flow control with a flow status we do not know */
    ISOTP_R_UNEXP_PDU,    /* a new single/first frame cut a reception short */
    ISOTP_R_WFT_OVRN,     /* more WAIT flow controls than max_wft */
    ISOTP_R_OVERFLOW,     /* the peer said overflow, or announced more than we can take */
    ISOTP_R_MALFORMED,    /* a frame too short for what its PCI byte says */
} isotp_result_t;

const char *isotp_result_name(isotp_result_t r);

/* Events returned by isotp_on_frame / isotp_poll (a bit mask). */
enum {
    ISOTP_EV_RX_DONE = 1,  /* a whole message arrived: isotp_rx_data() */
    ISOTP_EV_RX_ERROR = 2, /* a reception ended badly: rx_result */
    ISOTP_EV_TX_DONE = 4,  /* our message is fully on the bus */
    ISOTP_EV_TX_ERROR = 8, /* our transmission ended badly: tx_result */
    ISOTP_EV_RX_START = 16 /* a first frame arrived (the peer is answering) */
};

typedef struct {
    uint8_t data[8];
    uint8_t len;
} isotp_frame_t;

typedef enum { ISOTP_TX_IDLE = 0, ISOTP_TX_WAIT_FC, ISOTP_TX_SENDING } isotp_tx_state_t;
typedef enum { ISOTP_RX_IDLE = 0, ISOTP_RX_RECEIVING } isotp_rx_state_t;

typedef struct {
    isotp_cfg_t cfg;
    /* sending */
    isotp_tx_state_t tx_state;
    isotp_result_t tx_result;
    uint16_t tx_len, tx_pos;
    uint8_t tx_sn;
    uint8_t tx_bs;        /* block size the peer asked for (0 = all) */
    uint8_t tx_in_block;  /* CFs sent in the current block */
    uint8_t tx_wft;       /* WAITs received in a row */
    uint32_t tx_stmin_ms; /* spacing the peer asked for, rounded up to ms */
    uint64_t tx_next_ms;  /* earliest time of the next CF */
    uint64_t tx_deadline; /* N_Bs */
    bool tx_first_pending; /* SF/FF not yet handed out by poll */
    /* receiving */
    isotp_rx_state_t rx_state;
    isotp_result_t rx_result;
    uint16_t rx_len, rx_pos;
    uint8_t rx_sn;
    uint8_t rx_in_block;
    uint8_t rx_waits_left;
    uint64_t rx_deadline; /* N_Cr */
    bool rx_done;         /* rx_buf holds a complete message */
    bool fc_pending;      /* a flow control is to be sent */
    uint64_t fc_at;       /* not before this time */
    uint8_t fc_status;    /* 0 CTS, 1 WAIT, 2 OVERFLOW */
    uint8_t tx_buf[ISOTP_MAX_MSG];
    uint8_t rx_buf[ISOTP_MAX_MSG];
} isotp_t;

void isotp_init(isotp_t *t, const isotp_cfg_t *cfg);
/* Forget any transfer in progress (both directions); keeps the config. */
void isotp_reset(isotp_t *t);

/*
 * Start sending a message of 1..ISOTP_MAX_MSG bytes at time `now`. The
 * frames come out of isotp_poll. OBD_EINVAL for a bad length, OBD_ESTATE
 * while a transmission is in progress.
 */
int isotp_send(isotp_t *t, const uint8_t *p, size_t n, uint64_t now);

/* A frame from the peer (its 1..8 data bytes). Returns ISOTP_EV_* bits. */
int isotp_on_frame(isotp_t *t, const uint8_t *p, size_t n, uint64_t now);

/*
 * Run the clock to `now`: returns ISOTP_EV_* bits (timeouts) and, when a
 * frame is due, copies it into *out and sets out->len (0 when none is due).
 * Call it until out->len is 0 after every send/on_frame and whenever
 * isotp_next_ms() passes.
 */
int isotp_poll(isotp_t *t, uint64_t now, isotp_frame_t *out);

/* When isotp_poll next has something to do (a frame or a timeout);
 * UINT64_MAX when idle. */
uint64_t isotp_next_ms(const isotp_t *t);

/* The received message after ISOTP_EV_RX_DONE; valid until the next frame. */
const uint8_t *isotp_rx_data(const isotp_t *t, size_t *len);

/* STmin byte -> milliseconds to wait between consecutive frames (sub-ms
 * values round up to 1; reserved values count as 127 ms, as the standard
 * says). */
uint32_t isotp_stmin_ms(uint8_t stmin);

#endif
