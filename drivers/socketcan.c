/*
 * socketcan.c — the SocketCAN link: ISO 15765-4 OBD and UDS over a Linux
 * CAN interface (see canlink.h for the contract and the timing rules).
 *
 * One exchange engine serves every request: a set of channels, one per
 * ECU (response id), each with either a user-space ISO-TP state machine fed
 * from the CAN_RAW socket or a kernel CAN_ISOTP socket. A functional
 * request is one single frame to 0x7DF / 0x18DB33F1 and a channel per
 * responder (flow control goes to that ECU's physical request id); a batch
 * of physical requests is one channel each, all running at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <libsocketcan.h>
#include <linux/can.h>
#include <linux/can/error.h>
#include <linux/can/isotp.h>
#include <linux/can/netlink.h>
#include <linux/can/raw.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "obdgw/canlink.h"
#include "obdgw/stream.h"

#define N_CR_MS 1000
#define MAX_CHANS 40
#define MAX_KSOCKS 64

/* ====================== raw frames ====================== */

int can_raw_open(const char *ifname, char *err, size_t errcap)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    unsigned idx = if_nametoindex(ifname);
    if (!idx) {
        snprintf(err, errcap, "no network interface '%s' (for a virtual bus: ip link add dev %s type vcan)", ifname,
                 ifname);
        return -ENODEV;
    }
    int fd = socket(PF_CAN, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, CAN_RAW);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errcap, "CAN_RAW socket: %s (is the 'can-raw' kernel module loaded?)", strerror(e));
        return -e;
    }
    struct sockaddr_can a = { .can_family = AF_CAN, .can_ifindex = (int)idx };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        snprintf(err, errcap, "%s: bind: %s (is it a CAN interface?)", ifname, strerror(e));
        close(fd);
        return -e;
    }
    /* bus-off and controller problems arrive as error frames */
    can_err_mask_t em = CAN_ERR_BUSOFF | CAN_ERR_CRTL | CAN_ERR_RESTARTED;
    setsockopt(fd, SOL_CAN_RAW, CAN_RAW_ERR_FILTER, &em, sizeof em);
    return fd;
}

int can_raw_send(int fd, uint32_t id, const uint8_t *p, size_t n)
{
    if (n > 8 || (n && !p))
        return OBD_EINVAL;
    struct can_frame f;
    memset(&f, 0, sizeof f);
    f.can_id = CAN_ID_IS_EXT(id) ? ((id & CAN_EFF_MASK) | CAN_EFF_FLAG) : (id & CAN_SFF_MASK);
    f.can_dlc = (uint8_t)n;
    if (n)
        memcpy(f.data, p, n);
    for (int tries = 0; tries < 200; tries++) {
        ssize_t w = write(fd, &f, sizeof f);
        if (w == (ssize_t)sizeof f)
            return OBD_OK;
        if (w < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
            /* the interface queue is full: let the bus drain it */
            struct pollfd pf = { .fd = fd, .events = POLLOUT };
            poll(&pf, 1, 5);
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        return w < 0 ? -errno : OBD_ELINK;
    }
    return OBD_EBUS;
}

int can_raw_recv(int fd, uint32_t *id, uint8_t *p, size_t *n)
{
    struct can_frame f;
    ssize_t r = read(fd, &f, sizeof f);
    if (r < 0)
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -errno;
    if (r != (ssize_t)sizeof f)
        return 0; /* CAN FD frames are not ours */
    size_t len = f.can_dlc > 8 ? 8 : f.can_dlc;
    if (f.can_id & CAN_ERR_FLAG)
        *id = 0x80000000u | (f.can_id & CAN_ERR_MASK);
    else
        *id = (f.can_id & CAN_EFF_FLAG) ? (f.can_id & CAN_EFF_MASK) : (f.can_id & CAN_SFF_MASK);
    if (f.can_id & CAN_RTR_FLAG)
        len = 0;
    memcpy(p, f.data, len);
    *n = len;
    return 1;
}

int can_raw_filter_masks(int fd, const uint32_t *ids, const uint32_t *masks, size_t n)
{
    struct can_filter fl[MAX_CHANS + 2];
    if (n > sizeof fl / sizeof fl[0])
        return OBD_EINVAL;
    for (size_t i = 0; i < n; i++) {
        bool ext = CAN_ID_IS_EXT(ids[i]);
        fl[i].can_id = ext ? (ids[i] | CAN_EFF_FLAG) : ids[i];
        fl[i].can_mask = (masks[i] & (ext ? CAN_EFF_MASK : CAN_SFF_MASK)) | CAN_EFF_FLAG | CAN_RTR_FLAG;
    }
    if (setsockopt(fd, SOL_CAN_RAW, CAN_RAW_FILTER, fl, (socklen_t)(n * sizeof fl[0])) < 0)
        return -errno;
    return OBD_OK;
}

int can_raw_filter(int fd, const uint32_t *ids, size_t n)
{
    uint32_t masks[MAX_CHANS + 2];
    if (n > sizeof masks / sizeof masks[0])
        return OBD_EINVAL;
    for (size_t i = 0; i < n; i++)
        masks[i] = 0xFFFFFFFFu;
    return can_raw_filter_masks(fd, ids, masks, n);
}

bool can_isotp_kernel_available(void)
{
    int fd = socket(PF_CAN, SOCK_DGRAM | SOCK_CLOEXEC, CAN_ISOTP);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* ====================== interface control ====================== */

static const char *state_name(int s)
{
    switch (s) {
    case CAN_STATE_ERROR_ACTIVE: return "error-active";
    case CAN_STATE_ERROR_WARNING: return "error-warning";
    case CAN_STATE_ERROR_PASSIVE: return "error-passive";
    case CAN_STATE_BUS_OFF: return "bus-off";
    case CAN_STATE_STOPPED: return "stopped";
    case CAN_STATE_SLEEPING: return "sleeping";
    default: return "unknown";
    }
}

static int read_sys(const char *ifname, const char *what, char *buf, size_t cap)
{
    char path[160];
    snprintf(path, sizeof path, "/sys/class/net/%s/%s", ifname, what);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(buf, (int)cap, f)) {
        fclose(f);
        return -1;
    }
    fclose(f);
    buf[strcspn(buf, "\n")] = 0;
    return 0;
}

/* libsocketcan prints "no link data found" to stderr for every question a
 * virtual interface cannot answer; we report that ourselves. */
static int quiet_begin(void)
{
    fflush(stderr);
    int saved = dup(2);
    int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && nul >= 0)
        dup2(nul, 2);
    if (nul >= 0)
        close(nul);
    return saved;
}

static void quiet_end(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
}

int can_if_info(const char *ifname, can_if_info_t *out)
{
    memset(out, 0, sizeof *out);
    if (!ifname || !if_nametoindex(ifname))
        return -ENODEV;
    out->exists = true;
    char b[64];
    if (read_sys(ifname, "flags", b, sizeof b) == 0)
        out->up = (strtoul(b, NULL, 0) & IFF_UP) != 0;
    int st;
    int q = quiet_begin();
    if (can_get_state(ifname, &st) == 0) {
        out->has_state = true;
        snprintf(out->state, sizeof out->state, "%s", state_name(st));
    }
    struct can_bittiming bt;
    if (can_get_bittiming(ifname, &bt) == 0 && bt.bitrate) {
        out->has_bitrate = true;
        out->bitrate = bt.bitrate;
    }
    struct can_berr_counter bc;
    if (can_get_berr_counter(ifname, &bc) == 0) {
        out->has_berr = true;
        out->txerr = bc.txerr;
        out->rxerr = bc.rxerr;
    }
    struct rtnl_link_stats64 ls;
    if (can_get_link_stats(ifname, &ls) == 0) {
        out->has_stats = true;
        out->rx_packets = ls.rx_packets;
        out->tx_packets = ls.tx_packets;
        out->rx_errors = ls.rx_errors;
        out->tx_errors = ls.tx_errors;
    }
    quiet_end(q);
    /* No controller state and no bit timing: a virtual bus (vcan, vxcan). */
    out->is_virtual = !out->has_state && !out->has_bitrate;
    return OBD_OK;
}

void can_if_describe(const can_if_info_t *i, const char *ifname, char *out, size_t cap)
{
    char st[96] = "";
    if (i->is_virtual)
        snprintf(st, sizeof st, "virtual CAN (no bitrate or controller state)");
    else
        snprintf(st, sizeof st, "%s%s, %u bit/s", i->has_state ? "state " : "", i->has_state ? i->state : "no state",
                 (unsigned)i->bitrate);
    char er[48] = "";
    if (i->has_berr)
        snprintf(er, sizeof er, ", tx errors %u rx errors %u", i->txerr, i->rxerr);
    snprintf(out, cap, "%s: %s, %s%s, frames rx %llu tx %llu", ifname, st, i->up ? "up" : "down", er,
             (unsigned long long)i->rx_packets, (unsigned long long)i->tx_packets);
}

int can_if_set_bitrate(const char *ifname, uint32_t bitrate, char *err, size_t errcap)
{
    can_if_info_t i;
    if (can_if_info(ifname, &i)) {
        snprintf(err, errcap, "no interface '%s'", ifname);
        return -ENODEV;
    }
    if (i.is_virtual) {
        snprintf(err, errcap, "%s is a virtual CAN bus: it has no bitrate to set", ifname);
        return OBD_EINVAL;
    }
    if (i.has_bitrate && i.bitrate == bitrate && i.up)
        return OBD_OK;
    can_do_stop(ifname);
    if (can_set_bitrate(ifname, bitrate) != 0) {
        snprintf(err, errcap, "%s: cannot set %u bit/s (needs CAP_NET_ADMIN)", ifname, (unsigned)bitrate);
        return OBD_EADAPTER;
    }
    if (can_do_start(ifname) != 0) {
        snprintf(err, errcap, "%s: cannot start the interface", ifname);
        return OBD_EADAPTER;
    }
    return OBD_OK;
}

int can_if_start(const char *ifname) { return can_do_start(ifname) == 0 ? OBD_OK : OBD_EADAPTER; }
int can_if_stop(const char *ifname) { return can_do_stop(ifname) == 0 ? OBD_OK : OBD_EADAPTER; }
int can_if_restart(const char *ifname) { return can_do_restart(ifname) == 0 ? OBD_OK : OBD_EADAPTER; }

int can_if_probe_bitrate(const char *ifname, const uint32_t *candidates, size_t n, int listen_ms, uint32_t *found,
                         char *err, size_t errcap)
{
    *found = 0;
    can_if_info_t i;
    if (can_if_info(ifname, &i)) {
        snprintf(err, errcap, "no interface '%s'", ifname);
        return -ENODEV;
    }
    if (i.is_virtual) {
        snprintf(err, errcap, "%s is a virtual CAN bus: no bitrate to detect", ifname);
        return OBD_EINVAL;
    }
    struct can_ctrlmode lo = { .mask = CAN_CTRLMODE_LISTENONLY, .flags = CAN_CTRLMODE_LISTENONLY };
    struct can_ctrlmode normal = { .mask = CAN_CTRLMODE_LISTENONLY, .flags = 0 };
    int rc = OBD_OK;
    for (size_t k = 0; k < n && !*found; k++) {
        can_do_stop(ifname);
        if (can_set_ctrlmode(ifname, &lo) || can_set_bitrate(ifname, candidates[k]) || can_do_start(ifname)) {
            snprintf(err, errcap, "%s: cannot set listen-only mode at %u bit/s", ifname, (unsigned)candidates[k]);
            rc = OBD_EADAPTER;
            break;
        }
        int fd = can_raw_open(ifname, err, errcap);
        if (fd < 0) {
            rc = fd;
            break;
        }
        unsigned good = 0, bad = 0;
        uint64_t end = obd_now_ms() + (uint64_t)listen_ms;
        while (obd_now_ms() < end && !good) {
            struct pollfd pf = { .fd = fd, .events = POLLIN };
            poll(&pf, 1, (int)(end - obd_now_ms()));
            uint32_t id;
            uint8_t d[8];
            size_t len;
            while (can_raw_recv(fd, &id, d, &len) == 1) {
                if (id & 0x80000000u)
                    bad++;
                else
                    good++;
            }
        }
        close(fd);
        if (good && !bad)
            *found = candidates[k];
    }
    can_do_stop(ifname);
    can_set_ctrlmode(ifname, &normal);
    if (*found)
        can_set_bitrate(ifname, *found);
    can_do_start(ifname);
    return rc;
}

/* ====================== the link ====================== */

typedef struct {
    uint32_t tx_id, rx_id;
    int fd;
} ksock_t;


typedef struct {
    uint32_t rx_id, tx_id; /* their id, and where our FC / CF go */
    int req;               /* index into the batch */
    int ks;                /* kernel socket index, -1 in user mode */
    isotp_t *tp;           /* user mode */
    uint64_t deadline;
    uint64_t last_seg;     /* kernel mode: last FF/CF seen on the raw socket */
    bool started;          /* request fully sent (physical) */
    bool done;
    bool pending;          /* got 0x78 */
    unsigned n78;
    isotp_result_t err;
} chan_t;

typedef struct {
    obd_link_t base;
    can_link_cfg_t cfg;
    obd_link_opts_t o;
    obd_link_info_t info;
    bool kernel;
    bool is29;
    int raw;
    uint32_t known[OBD_LINK_MAX_ECUS]; /* responders seen to functional requests */
    size_t nknown;
    ksock_t ks[MAX_KSOCKS]; /* bound for the exchange running now, released at its end */
    size_t nks;
    uint8_t msg[ISOTP_MAX_MSG]; /* one kernel ISO-TP message (per link: links run in parallel threads) */
    isotp_t *pool; /* MAX_CHANS user-space ISO-TP machines */
    chan_t ch[MAX_CHANS];
    size_t nch;
} can_t;

static const obd_link_ops_t can_ops;

bool can_link_is(const obd_link_t *l) { return l && l->ops == &can_ops; }

const char *can_link_tp_name(const obd_link_t *l)
{
    return can_link_is(l) ? (((const can_t *)l)->kernel ? "kernel" : "user") : NULL;
}

static void trace_frame(const can_t *c, const char *dir, uint32_t id, const uint8_t *p, size_t n)
{
    if (c->o.verbose <= 0)
        return;
    fprintf(stderr, "can %s %s%X", dir, CAN_ID_IS_EXT(id) ? "" : " ", (unsigned)id);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %02X", p[i]);
    fputc('\n', stderr);
}

static isotp_cfg_t tp_cfg(const can_t *c)
{
    isotp_cfg_t ic = isotp_cfg_default();
    ic.pad = c->cfg.pad;
    return ic;
}

/*
 * Kernel ISO-TP sockets live for one exchange only: a socket left bound to
 * an id pair between exchanges answers any First Frame on its receive id
 * with our Flow Control -- a reply to another tester's request, which that
 * tester then sees flow-controlled twice (#18). Releasing one costs the
 * kernel an RCU grace period (isotp_release unregisters the receive filter,
 * then waits in synchronize_rcu), so the sockets of an exchange are
 * released in parallel, one thread each, sharing one grace period, and the
 * exchange returns when all are gone (docs/socketcan.md: the cost, and
 * /sys/kernel/rcu_expedited that shortens it).
 */
static void *kclose_main(void *arg)
{
    close((int)(intptr_t)arg);
    return NULL;
}

/* Release every kernel socket of the exchange that just ended. */
static void ksock_release_all(can_t *c)
{
    pthread_t t[MAX_KSOCKS];
    bool th[MAX_KSOCKS] = { false };
    size_t n = c->nks;
    for (size_t i = 1; i < n; i++) { /* the first one on this thread */
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 64 * 1024);
        th[i] = pthread_create(&t[i], &a, kclose_main, (void *)(intptr_t)c->ks[i].fd) == 0;
        pthread_attr_destroy(&a);
        if (!th[i])
            close(c->ks[i].fd);
    }
    if (n)
        close(c->ks[0].fd);
    for (size_t i = 1; i < n; i++)
        if (th[i])
            pthread_join(t[i], NULL);
    c->nks = 0;
}

/* A kernel ISO-TP socket for this pair, for the running exchange. */
static int ksock_get(can_t *c, uint32_t tx, uint32_t rx)
{
    for (size_t i = 0; i < c->nks; i++)
        if (c->ks[i].rx_id == rx)
            return c->ks[i].tx_id == tx ? (int)i : -EADDRINUSE;
    if (c->nks >= MAX_KSOCKS)
        return -ENOSPC;
    int fd = socket(PF_CAN, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, CAN_ISOTP);
    if (fd < 0)
        return -errno;
    struct can_isotp_options opt = { 0 };
    if (c->cfg.pad != ISOTP_NO_PADDING) {
        opt.flags = CAN_ISOTP_TX_PADDING;
        opt.txpad_content = (uint8_t)c->cfg.pad;
    }
    setsockopt(fd, SOL_CAN_ISOTP, CAN_ISOTP_OPTS, &opt, sizeof opt);
    struct can_isotp_fc_options fc = { .bs = 0, .stmin = 0, .wftmax = 10 };
    setsockopt(fd, SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, &fc, sizeof fc);
    struct sockaddr_can a = { .can_family = AF_CAN, .can_ifindex = (int)if_nametoindex(c->cfg.ifname) };
    a.can_addr.tp.tx_id = CAN_ID_IS_EXT(tx) ? (tx | CAN_EFF_FLAG) : tx;
    a.can_addr.tp.rx_id = CAN_ID_IS_EXT(rx) ? (rx | CAN_EFF_FLAG) : rx;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    c->ks[c->nks] = (ksock_t){ tx, rx, fd };
    return (int)c->nks++;
}

static void ksock_drain(int fd)
{
    uint8_t b[ISOTP_MAX_MSG];
    for (int i = 0; i < 64; i++)
        if (recv(fd, b, sizeof b, MSG_DONTWAIT) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
}

static chan_t *chan_add(can_t *c, uint32_t rx, uint32_t tx, int req, uint64_t deadline)
{
    if (c->nch >= MAX_CHANS)
        return NULL;
    chan_t *ch = &c->ch[c->nch];
    memset(ch, 0, sizeof *ch);
    ch->rx_id = rx;
    ch->tx_id = tx;
    ch->req = req;
    ch->ks = -1;
    ch->deadline = deadline;
    if (c->kernel) {
        int k = ksock_get(c, tx, rx);
        if (k < 0)
            return NULL;
        ch->ks = k;
        ksock_drain(c->ks[k].fd);
    } else {
        ch->tp = &c->pool[c->nch];
        isotp_cfg_t ic = tp_cfg(c);
        isotp_init(ch->tp, &ic);
    }
    c->nch++;
    return ch;
}

static chan_t *chan_find(can_t *c, uint32_t rx)
{
    for (size_t i = 0; i < c->nch; i++)
        if (c->ch[i].rx_id == rx)
            return &c->ch[i];
    return NULL;
}

static bool chan_active(const can_t *c, const chan_t *ch, uint64_t now)
{
    if (ch->done)
        return false;
    if (ch->tp)
        return ch->tp->rx_state == ISOTP_RX_RECEIVING || ch->tp->fc_pending || ch->tp->tx_state != ISOTP_TX_IDLE ||
               ch->tp->tx_first_pending;
    (void)c;
    return ch->last_seg && now - ch->last_seg < N_CR_MS;
}

static bool chan_finished(const can_t *c, const chan_t *ch, uint64_t now)
{
    return ch->done || (!chan_active(c, ch, now) && now >= ch->deadline);
}

/* A whole message from an ECU. */
static void on_message(can_t *c, chan_t *ch, const uint8_t *p, size_t n, uint64_t now, obd_replies_t *outs)
{
    if (ch->done || !n)
        return;
    /* A request is not an answer: request SIDs are 00-3F and 80-BF. Our own
     * frames reach our other sockets through the kernel's local loopback
     * when one pair's request id is another pair's response id. */
    if (p[0] < 0x40 || (p[0] >= 0x80 && p[0] < 0xC0))
        return;
    trace_frame(c, "msg", ch->rx_id, p, n > 24 ? 24 : n);
    if (n == 3 && p[0] == 0x7F && p[2] == 0x78 && ch->n78 < CAN_MAX_PENDING) {
        ch->pending = true;
        ch->n78++;
        ch->deadline = now + c->cfg.p2star_ms; /* responsePending: P2* again */
        return;
    }
    ch->pending = false;
    ch->done = true;
    obd_replies_add(&outs[ch->req], ch->rx_id, p, n, false);
}

static int send_frame(can_t *c, uint32_t id, const uint8_t *p, size_t n)
{
    trace_frame(c, ">>", id, p, n);
    int rc = can_raw_send(c->raw, id, p, n);
    if (rc == -ENETDOWN) {
        snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s: the interface is down", c->cfg.ifname);
        return OBD_ELINK;
    }
    if (rc == OBD_EBUS || rc == -ENOBUFS) {
        snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s: frames do not leave (no ECU acknowledges: bus-off?)",
                 c->cfg.ifname);
        return OBD_EBUS;
    }
    return rc < 0 ? OBD_ELINK : OBD_OK;
}

/* Run every user-space machine to `now`: send what is due, note timeouts. */
static int pump(can_t *c, uint64_t now, obd_replies_t *outs)
{
    for (size_t i = 0; i < c->nch; i++) {
        chan_t *ch = &c->ch[i];
        if (!ch->tp)
            continue;
        for (int k = 0; k < 600; k++) {
            isotp_frame_t f;
            int ev = isotp_poll(ch->tp, now, &f);
            if (ev & ISOTP_EV_RX_ERROR)
                ch->err = ch->tp->rx_result;
            if (ev & ISOTP_EV_TX_ERROR) {
                ch->err = ch->tp->tx_result;
                ch->done = true; /* our request did not get through */
            }
            if (f.len) {
                int rc = send_frame(c, ch->tx_id, f.data, f.len);
                if (rc)
                    return rc;
            }
            if ((ev & ISOTP_EV_TX_DONE) && !ch->started) {
                ch->started = true;
                ch->deadline = now + (ch->deadline ? ch->deadline : c->cfg.p2_ms);
            }
            if (!f.len)
                break;
        }
    }
    (void)outs;
    return OBD_OK;
}

static int on_raw_frame(can_t *c, uint32_t id, const uint8_t *d, size_t n, bool functional, int freq, uint64_t now,
                        uint64_t gdl, obd_replies_t *outs)
{
    if (id & 0x80000000u) {
        if (id & CAN_ERR_BUSOFF) {
            snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s: bus-off (wrong bitrate or wiring?)", c->cfg.ifname);
            can_do_restart(c->cfg.ifname); /* real controllers only; vcan never gets here */
            return OBD_EBUS;
        }
        return OBD_OK;
    }
    trace_frame(c, "<<", id, d, n);
    chan_t *ch = chan_find(c, id);
    if (!ch && functional && !c->kernel) {
        bool ours = c->is29 ? (id & 0x1FFFFF00u) == 0x18DAF100u : (id >= 0x7E8 && id <= 0x7EF);
        if (!ours)
            return OBD_OK;
        ch = chan_add(c, id, obd_target_for(id).tx_id, freq, gdl);
        if (!ch)
            return OBD_OK;
    }
    if (!ch)
        return OBD_OK;
    if (!ch->tp) { /* kernel mode: the socket assembles; we only watch progress */
        if (n && ((d[0] >> 4) == 1 || (d[0] >> 4) == 2))
            ch->last_seg = now;
        return OBD_OK;
    }
    int ev = isotp_on_frame(ch->tp, d, n, now);
    if (ev & ISOTP_EV_RX_ERROR)
        ch->err = ch->tp->rx_result;
    if (ev & ISOTP_EV_TX_ERROR) {
        ch->err = ch->tp->tx_result;
        ch->done = true;
    }
    if (ev & ISOTP_EV_RX_DONE) {
        size_t len;
        const uint8_t *p = isotp_rx_data(ch->tp, &len);
        if (p)
            on_message(c, ch, p, len, now, outs);
    }
    return OBD_OK;
}

static void set_filters(can_t *c, bool functional)
{
    uint32_t ids[MAX_CHANS + 2], masks[MAX_CHANS + 2];
    size_t n = 0;
    if (functional) {
        ids[n] = c->is29 ? 0x18DAF100u : 0x7E8u;
        masks[n++] = c->is29 ? 0x1FFFFF00u : 0x7F8u;
    }
    for (size_t i = 0; i < c->nch && n < MAX_CHANS; i++) {
        ids[n] = c->ch[i].rx_id;
        masks[n++] = 0xFFFFFFFFu;
    }
    can_raw_filter_masks(c->raw, ids, masks, n);
}

/*
 * The engine. Either one functional request (reqs[0].to.tx_id == 0) or a
 * batch of physical ones.
 */
static int exchange_run(can_t *c, const obd_request_t *reqs, size_t nreq, obd_replies_t *outs, int *rcs)
{
    uint64_t t0 = obd_now_ms();
    bool functional = nreq == 1 && reqs[0].to.tx_id == 0;
    c->nch = 0;
    c->base.errmsg[0] = 0;
    for (size_t i = 0; i < nreq; i++) {
        obd_replies_reset(&outs[i]);
        rcs[i] = OBD_OK;
    }
    uint16_t p2 = reqs[0].timeout_ms ? reqs[0].timeout_ms : c->cfg.p2_ms;
    uint64_t gdl = t0 + p2;
    if (functional) {
        if (reqs[0].len > 7) {
            snprintf(c->base.errmsg, sizeof c->base.errmsg, "functional requests are single frames (7 bytes)");
            return OBD_EINVAL;
        }
        if (c->kernel) {
            /* Sockets only for the ECUs that answered discovery (which runs
             * in user space): a socket bound to a silent pair would answer a
             * First Frame that is not a reply to us with our Flow Control
             * (#18). Before any discovery, every 11-bit OBD pair. */
            if (c->nknown)
                for (size_t i = 0; i < c->nknown; i++)
                    chan_add(c, c->known[i], obd_target_for(c->known[i]).tx_id, 0, gdl);
            else if (!c->is29)
                for (uint32_t id = 0x7E8; id <= 0x7EF; id++)
                    chan_add(c, id, id - 8, 0, gdl);
        }
        set_filters(c, true);
        uint8_t f[8];
        f[0] = (uint8_t)reqs[0].len;
        memcpy(f + 1, reqs[0].data, reqs[0].len);
        size_t fl = 1 + reqs[0].len;
        if (c->cfg.pad != ISOTP_NO_PADDING) {
            memset(f + fl, c->cfg.pad, 8 - fl);
            fl = 8;
        }
        int rc = send_frame(c, c->is29 ? 0x18DB33F1u : 0x7DFu, f, fl);
        if (rc)
            return rc;
    } else {
        for (size_t i = 0; i < nreq; i++) {
            const obd_request_t *r = &reqs[i];
            if (!r->data || !r->len || r->len > ISOTP_MAX_MSG || !r->to.tx_id || chan_find(c, r->to.rx_id)) {
                rcs[i] = OBD_EINVAL;
                continue;
            }
            chan_t *ch = chan_add(c, r->to.rx_id, r->to.tx_id, (int)i, 0);
            if (!ch) {
                rcs[i] = OBD_ENOSPC;
                continue;
            }
            ch->deadline = r->timeout_ms ? r->timeout_ms : c->cfg.p2_ms; /* relative until sent */
        }
        set_filters(c, false);
        for (size_t i = 0; i < c->nch; i++) {
            chan_t *ch = &c->ch[i];
            const obd_request_t *r = &reqs[ch->req];
            if (ch->tp) {
                isotp_send(ch->tp, r->data, r->len, t0);
            } else {
                ssize_t w = write(c->ks[ch->ks].fd, r->data, r->len);
                if (w < 0 && errno != EAGAIN) {
                    ch->done = true;
                    rcs[ch->req] = errno == ENETDOWN ? OBD_ELINK : OBD_EBUS;
                    snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s: ISO-TP send to %X: %s", c->cfg.ifname,
                             (unsigned)ch->tx_id, strerror(errno));
                    continue;
                }
                ch->started = true;
                ch->deadline = obd_now_ms() + ch->deadline;
            }
        }
    }
    size_t npoll = 1 + (c->kernel ? c->nch : 0);
    struct pollfd pf[MAX_CHANS + 1];
    for (;;) {
        uint64_t now = obd_now_ms();
        int rc = pump(c, now, outs);
        if (rc)
            return rc;
        /* done? */
        bool all = true, idle = true;
        for (size_t i = 0; i < c->nch; i++) {
            if (!chan_finished(c, &c->ch[i], now))
                all = false;
            if (!c->ch[i].done && (chan_active(c, &c->ch[i], now) || c->ch[i].pending))
                idle = false;
        }
        if (functional) {
            size_t got = outs[0].count;
            if (reqs[0].expect && got >= reqs[0].expect && idle)
                break;
            if (now >= gdl && all)
                break;
        } else if (all) {
            break;
        }
        /* how long to sleep */
        uint64_t next = functional && now < gdl ? gdl : UINT64_MAX;
        for (size_t i = 0; i < c->nch; i++) {
            const chan_t *ch = &c->ch[i];
            if (ch->done)
                continue;
            if (ch->started || functional)
                next = ch->deadline < next ? ch->deadline : next;
            if (ch->tp) {
                uint64_t t = isotp_next_ms(ch->tp);
                next = t < next ? t : next;
            } else if (ch->last_seg) {
                uint64_t t = ch->last_seg + N_CR_MS;
                next = t < next ? t : next;
            }
        }
        int wait = next == UINT64_MAX ? 50 : next <= now ? 0 : (int)(next - now > 1000 ? 1000 : next - now);
        pf[0] = (struct pollfd){ .fd = c->raw, .events = POLLIN };
        npoll = 1;
        if (c->kernel)
            for (size_t i = 0; i < c->nch; i++)
                pf[npoll++] = (struct pollfd){ .fd = c->ks[c->ch[i].ks].fd, .events = POLLIN };
        int pr = poll(pf, (nfds_t)npoll, wait);
        if (pr < 0 && errno != EINTR)
            return OBD_ELINK;
        now = obd_now_ms();
        if (pf[0].revents & (POLLERR | POLLHUP)) {
            snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s: the interface went away", c->cfg.ifname);
            return OBD_ELINK;
        }
        for (int k = 0; k < 256; k++) {
            uint32_t id;
            uint8_t d[8];
            size_t n;
            int r = can_raw_recv(c->raw, &id, d, &n);
            if (r == -ENETDOWN) {
                snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s: the interface is down", c->cfg.ifname);
                return OBD_ELINK;
            }
            if (r <= 0)
                break;
            if ((rc = on_raw_frame(c, id, d, n, functional, 0, now, gdl, outs)))
                return rc;
        }
        if (c->kernel) {
            for (size_t i = 0; i < c->nch; i++) {
                if (!(pf[1 + i].revents & (POLLIN | POLLERR)))
                    continue;
                chan_t *ch = &c->ch[i];
                ssize_t r = recv(c->ks[ch->ks].fd, c->msg, sizeof c->msg, MSG_DONTWAIT);
                if (r > 0) {
                    on_message(c, ch, c->msg, (size_t)r, now, outs);
                } else if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    /* ISO-TP error reported by the kernel (timeout, sequence) */
                    ch->err = errno == EILSEQ ? ISOTP_R_WRONG_SN : errno == ETIMEDOUT ? ISOTP_R_TIMEOUT_CR
                                                                                         : ISOTP_R_MALFORMED;
                    ch->last_seg = 0;
                    if (!ch->pending)
                        ch->done = true;
                }
            }
        }
    }
    for (size_t i = 0; i < c->nch; i++) {
        if (c->ch[i].err && !outs[c->ch[i].req].count)
            snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s: ECU %X: ISO-TP: %s", c->cfg.ifname,
                     (unsigned)c->ch[i].rx_id, isotp_result_name(c->ch[i].err));
    }
    if (functional && !c->kernel) { /* remember who answers, for kernel-mode and info */
        for (size_t i = 0; i < outs[0].count; i++) {
            uint32_t a = outs[0].r[i].addr;
            bool seen = false;
            for (size_t k = 0; k < c->nknown; k++)
                seen |= c->known[k] == a;
            if (!seen && c->nknown < OBD_LINK_MAX_ECUS)
                c->known[c->nknown++] = a;
        }
    }
    return OBD_OK;
}

static int exchange(can_t *c, const obd_request_t *reqs, size_t nreq, obd_replies_t *outs, int *rcs)
{
    int rc = exchange_run(c, reqs, nreq, outs, rcs);
    ksock_release_all(c);
    return rc;
}

/* Kernel sockets pay off for repeated exchanges with the same modules; a
 * discovery sweep over hundreds of id pairs (single frames both ways) runs
 * over CAN_RAW instead of opening and releasing a socket per pair. */
#define KERNEL_MAX_BATCH 16

static int exchange_any(can_t *c, const obd_request_t *reqs, size_t nreq, obd_replies_t *outs, int *rcs)
{
    bool kernel = c->kernel;
    if (nreq > KERNEL_MAX_BATCH)
        c->kernel = false;
    int rc = exchange(c, reqs, nreq, outs, rcs);
    c->kernel = kernel;
    return rc;
}

static int can_request(obd_link_t *l, const obd_request_t *req, obd_replies_t *out)
{
    can_t *c = (can_t *)l;
    obd_replies_reset(out);
    if (!req || !req->data || !req->len)
        return OBD_EINVAL;
    int rc1 = OBD_OK;
    int rc = exchange(c, req, 1, out, &rc1);
    return rc ? rc : rc1;
}

int can_link_request_many(obd_link_t *l, const obd_request_t *reqs, size_t n, obd_replies_t *outs, int *rcs)
{
    if (!can_link_is(l) && l->ops->request_many && n && reqs[0].to.tx_id)
        return l->ops->request_many(l, reqs, n, outs, rcs);
    if (!can_link_is(l) || n == 1 || (n && reqs[0].to.tx_id == 0)) {
        int last = OBD_OK;
        for (size_t i = 0; i < n; i++) {
            rcs[i] = obd_link_request(l, &reqs[i], &outs[i]);
            if (rcs[i] == OBD_ELINK)
                last = rcs[i];
        }
        return last;
    }
    can_t *c = (can_t *)l;
    for (size_t at = 0; at < n;) {
        size_t k = n - at > CAN_MAX_BATCH ? CAN_MAX_BATCH : n - at;
        int rc = exchange_any(c, reqs + at, k, outs + at, rcs + at);
        if (rc)
            return rc;
        at += k;
    }
    return OBD_OK;
}

static int can_info(obd_link_t *l, obd_link_info_t *out)
{
    *out = ((can_t *)l)->info;
    return OBD_OK;
}

static void can_close(obd_link_t *l)
{
    can_t *c = (can_t *)l;
    for (size_t i = 0; i < c->nks; i++)
        close(c->ks[i].fd);
    if (c->raw >= 0)
        close(c->raw);
    free(c->pool);
    free(c);
}

static const obd_link_ops_t can_ops = { "socketcan", can_request, can_info, can_close, NULL };

/* ====================== spec and open ====================== */

bool can_link_spec_is_can(const char *spec)
{
    if (!spec)
        return false;
    if (!strncmp(spec, "can:", 4))
        return true;
    static const char *pre[] = { "can", "vcan", "slcan", "vxcan" };
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
        size_t l = strlen(pre[i]);
        if (!strncmp(spec, pre[i], l) && spec[l] >= '0' && spec[l] <= '9' &&
            strspn(spec + l, "0123456789") == strcspn(spec + l, ","))
            return true;
    }
    return false;
}

int can_link_parse_spec(const char *spec, can_link_cfg_t *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    out->pad = 0x00;
    out->p2_ms = 100;
    out->p2star_ms = 5000;
    const char *p = !strncmp(spec, "can:", 4) ? spec + 4 : spec;
    size_t l = strcspn(p, ",");
    if (l == 0 || l >= sizeof out->ifname || l >= IFNAMSIZ) {
        snprintf(err, errcap, "CAN interface name missing or too long in '%s'", spec);
        return OBD_EINVAL;
    }
    memcpy(out->ifname, p, l);
    out->ifname[l] = 0;
    p += l;
    const char *env = getenv("OBDGW_CAN_TP");
    if (env && !strcmp(env, "user"))
        out->tp = CAN_TP_USER;
    else if (env && !strcmp(env, "kernel"))
        out->tp = CAN_TP_KERNEL;
    while (*p == ',') {
        p++;
        char kv[48];
        size_t k = strcspn(p, ",");
        if (k >= sizeof kv) {
            snprintf(err, errcap, "CAN option too long");
            return OBD_EINVAL;
        }
        memcpy(kv, p, k);
        kv[k] = 0;
        p += k;
        char *eq = strchr(kv, '=');
        if (!eq) {
            snprintf(err, errcap, "CAN option '%s': expected KEY=VALUE", kv);
            return OBD_EINVAL;
        }
        *eq++ = 0;
        char *end;
        unsigned long v = strtoul(eq, &end, !strcmp(kv, "pad") ? 16 : 10);
        if (!strcmp(kv, "tp")) {
            if (!strcmp(eq, "user"))
                out->tp = CAN_TP_USER;
            else if (!strcmp(eq, "kernel"))
                out->tp = CAN_TP_KERNEL;
            else if (!strcmp(eq, "auto"))
                out->tp = CAN_TP_AUTO;
            else {
                snprintf(err, errcap, "CAN option tp: '%s' is not user, kernel or auto", eq);
                return OBD_EINVAL;
            }
        } else if (!strcmp(kv, "pad") && !strcmp(eq, "none")) {
            out->pad = ISOTP_NO_PADDING;
        } else if (*end || !*eq) {
            snprintf(err, errcap, "CAN option %s: '%s' is not a number", kv, eq);
            return OBD_EINVAL;
        } else if (!strcmp(kv, "pad") && v <= 0xFF) {
            out->pad = (int)v;
        } else if (!strcmp(kv, "bitrate") && (v == 125000 || v == 250000 || v == 500000 || v == 1000000)) {
            out->bitrate = (uint32_t)v;
        } else if (!strcmp(kv, "p2") && v >= 10 && v <= 5000) {
            out->p2_ms = (uint16_t)v;
        } else if (!strcmp(kv, "p2star") && v >= 100 && v <= 60000) {
            out->p2star_ms = (uint16_t)v;
        } else {
            snprintf(err, errcap, "CAN option %s=%s unknown or out of range (tp, pad, bitrate, p2, p2star)", kv, eq);
            return OBD_EINVAL;
        }
    }
    if (*p) {
        snprintf(err, errcap, "cannot read CAN spec near '%s'", p);
        return OBD_EINVAL;
    }
    return OBD_OK;
}

/* 01 00 on one id length, then the OBD-on-UDS (SAE J1979-2) emissions DID
 * 22 F400 (never a non-emission service): true when anyone answers. */
static bool try_ids(can_t *c, bool is29, int *rc)
{
    c->is29 = is29;
    obd_replies_t rep; /* per call: links run in parallel bay threads */
    static const uint8_t q[2] = { 0x01, 0x00 }, q2[3] = { 0x22, 0xF4, 0x00 };
    obd_request_t r = { .to = OBD_TARGET_ALL, .data = q, .len = 2 };
    bool kernel = c->kernel;
    c->kernel = false; /* discovery runs in user space: any responder id is caught */
    int x = 0;
    *rc = exchange(c, &r, 1, &rep, &x);
    if (*rc == OBD_OK && rep.count == 0) {
        r.data = q2;
        r.len = 3;
        *rc = exchange(c, &r, 1, &rep, &x);
    }
    c->kernel = kernel;
    return *rc == OBD_OK && rep.count > 0;
}

static can_t *link_new(const can_link_cfg_t *cfg, const obd_link_opts_t *opts)
{
    can_t *c = calloc(1, sizeof *c);
    if (!c || !(c->pool = calloc(MAX_CHANS, sizeof *c->pool))) {
        free(c);
        return NULL;
    }
    c->base.ops = &can_ops;
    c->cfg = *cfg;
    if (!c->cfg.p2_ms)
        c->cfg.p2_ms = 100;
    if (!c->cfg.p2star_ms)
        c->cfg.p2star_ms = 5000;
    if (opts)
        c->o = *opts;
    if (c->o.timeout_ms > 0 && c->o.timeout_ms <= 5000)
        c->cfg.p2_ms = (uint16_t)c->o.timeout_ms;
    c->raw = -1;
    return c;
}

/* 01 00 on 11-bit ids, then 29-bit (unless --protocol fixes one); sets c->is29. */
static int find_vehicle(can_t *c, const char *name, char *err, size_t errcap)
{
    obd_proto_t pr = c->o.protocol;
    bool found = false;
    int rc = OBD_OK;
    if (pr == OBD_PROTO_AUTO || !obd_proto_is_can29(pr))
        found = try_ids(c, false, &rc);
    if (!found && !rc && (pr == OBD_PROTO_AUTO || obd_proto_is_can29(pr)))
        found = try_ids(c, true, &rc);
    if (rc) {
        snprintf(err, errcap, "%s: %s", name, c->base.errmsg[0] ? c->base.errmsg : obd_strerror(rc));
        return rc;
    }
    if (!found) {
        snprintf(err, errcap,
                 "%s: no ECU answered 01 00 or 22 F400 on 11-bit (7DF) or 29-bit (18DB33F1) ids: is the ignition on?",
                 name);
        return OBD_ENOVEHICLE;
    }
    return OBD_OK;
}

int can_link_open(const can_link_cfg_t *cfg, const obd_link_opts_t *opts, obd_link_t **out, char *err,
                  size_t errcap)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    *out = NULL;
    can_t *c = link_new(cfg, opts);
    if (!c) {
        snprintf(err, errcap, "out of memory");
        return -ENOMEM;
    }
    int rc;
    can_if_info_t ii;
    if (can_if_info(cfg->ifname, &ii)) {
        snprintf(err, errcap, "no CAN interface '%s' (ip link add dev %s type vcan, or plug in the adapter)",
                 cfg->ifname, cfg->ifname);
        rc = -ENODEV;
        goto fail;
    }
    /* bitrate: asked for, implied by --protocol, or left as the interface has it */
    uint32_t want = cfg->bitrate;
    obd_proto_t pr = c->o.protocol;
    if (!want && (pr == OBD_PROTO_CAN11_250 || pr == OBD_PROTO_CAN29_250))
        want = 250000;
    if (!want && (pr == OBD_PROTO_CAN11_500 || pr == OBD_PROTO_CAN29_500))
        want = 500000;
    char note[96] = "";
    uint32_t probed = 0; /* the rate set by probing (interface was down) */
    if (ii.is_virtual) {
        snprintf(note, sizeof note, "virtual bus, no bitrate");
    } else if (want) {
        if ((rc = can_if_set_bitrate(cfg->ifname, want, err, errcap)))
            goto fail;
        snprintf(note, sizeof note, "%u kbit/s", (unsigned)(want / 1000));
    } else if (!ii.up) {
        static const uint32_t cand[] = { 500000, 250000 };
        uint32_t found = 0;
        can_if_probe_bitrate(cfg->ifname, cand, 2, 1500, &found, err, errcap);
        bool detected = found != 0;
        if (!found && can_if_set_bitrate(cfg->ifname, 500000, err, errcap) == OBD_OK)
            found = 500000; /* silent bus: the usual rate; the 01 00 below tells */
        probed = found;
        snprintf(note, sizeof note, "%u kbit/s%s", (unsigned)(found / 1000),
                 detected ? " (detected)" : " (silent bus: assumed)");
    } else {
        snprintf(note, sizeof note, "%u kbit/s", (unsigned)(ii.bitrate / 1000));
    }
    if ((c->raw = can_raw_open(cfg->ifname, err, errcap)) < 0) {
        rc = c->raw;
        goto fail;
    }
    bool have_k = can_isotp_kernel_available();
    if (cfg->tp == CAN_TP_KERNEL && !have_k) {
        snprintf(err, errcap, "%s: this kernel has no CAN_ISOTP sockets (modprobe can-isotp, Linux >= 5.10)",
                 cfg->ifname);
        rc = OBD_EADAPTER;
        goto fail;
    }
    c->kernel = cfg->tp == CAN_TP_KERNEL || (cfg->tp == CAN_TP_AUTO && have_k);
    if ((rc = find_vehicle(c, cfg->ifname, err, errcap)))
        goto fail;
    uint32_t br = want ? want : probed ? probed : ii.bitrate;
    bool is250 = br == 250000;
    c->info.protocol = c->is29 ? (is250 ? OBD_PROTO_CAN29_250 : OBD_PROTO_CAN29_500)
                               : (is250 ? OBD_PROTO_CAN11_250 : OBD_PROTO_CAN11_500);
    snprintf(c->info.adapter, sizeof c->info.adapter, "SocketCAN %s (%s ISO-TP, %s)", cfg->ifname,
             c->kernel ? "kernel" : "user-space", note);
    snprintf(c->info.device, sizeof c->info.device, "%s", cfg->ifname);
    c->info.battery_v = -1;
    c->info.multi_pid = true;
    c->info.mixed_ids = true;
    *out = &c->base;
    return OBD_OK;
fail:
    can_close(&c->base);
    return rc;
}

int can_link_open_fd(int fd, const can_link_cfg_t *cfg, const obd_link_opts_t *opts, obd_link_t **out, char *err,
                     size_t errcap)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    *out = NULL;
    can_link_cfg_t cf = { .pad = 0 };
    if (cfg)
        cf = *cfg;
    if (!cf.ifname[0])
        snprintf(cf.ifname, sizeof cf.ifname, "fd%d", fd);
    cf.tp = CAN_TP_USER; /* kernel ISO-TP sockets need a CAN interface */
    can_t *c = fd >= 0 ? link_new(&cf, opts) : NULL;
    if (!c) {
        if (fd >= 0)
            close(fd);
        snprintf(err, errcap, fd < 0 ? "no frame socket" : "out of memory");
        return fd < 0 ? OBD_EINVAL : -ENOMEM;
    }
    c->raw = fd;
    int rc = find_vehicle(c, cf.ifname, err, errcap);
    if (rc) {
        can_close(&c->base);
        return rc;
    }
    c->info.protocol = c->is29 ? OBD_PROTO_CAN29_500 : OBD_PROTO_CAN11_500;
    snprintf(c->info.adapter, sizeof c->info.adapter, "CAN frames on %s (user-space ISO-TP, in-process bus)",
             cf.ifname);
    snprintf(c->info.device, sizeof c->info.device, "%s", cf.ifname);
    c->info.battery_v = -1;
    c->info.multi_pid = true;
    c->info.mixed_ids = true;
    *out = &c->base;
    return OBD_OK;
}
