/*
 * sim_can.c — the simulated car on a CAN bus (see sim_can.h).
 *
 * One CAN_RAW socket sees the functional id and every ECU's physical
 * request id. Each ECU has one ISO-TP machine (src/isotp.c): frames from
 * the tester on its request id go in, its answers go out on its response
 * id. A complete request is answered by the vehicle model
 * (sim_vehicle_request), after the ECU delay, with the faults that apply to
 * that ECU bent into the frames on their way out.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "obdgw/canlink.h"
#include "obdgw/sim_can.h"
#include "obdgw/stream.h"
#include "sim_priv.h"

#define REPLY_MAX 4095
#define PENDING_GAP_MS 5 /* between the 0x78s of a storm */

typedef struct {
    sim_ecu_t *e;
    isotp_t tp;
    bool due;              /* an answer is scheduled */
    uint64_t due_at;
    uint8_t reply[REPLY_MAX];
    size_t rlen;
    unsigned pend_left;    /* 0x78s still to send before the answer */
    unsigned busy_left;    /* 0x21s still to give */
    bool bend_sn, cut;     /* this answer's frames get the fault */
    unsigned cf_seen;
    unsigned pend_ms;      /* gap between the 0x78s (scenario response_pending_ms) */
    uint64_t hold_until;   /* scenario frame_gap_ms: the next frame not before */
} ecu_t;

static const char *fault_keys[SIM_CAN_FAULT_COUNT] = {
    [SIM_CAN_FAULT_NONE] = "none",        [SIM_CAN_FAULT_SILENT] = "silent",
    [SIM_CAN_FAULT_PENDING] = "pending",  [SIM_CAN_FAULT_FC_WAIT] = "fc-wait",
    [SIM_CAN_FAULT_WRONG_SN] = "wrong-sn", [SIM_CAN_FAULT_TRUNCATE] = "truncate",
    [SIM_CAN_FAULT_BUSY] = "busy",        [SIM_CAN_FAULT_DENY] = "deny",
};

int sim_can_fault_parse(const char *s, sim_can_fault_t *out)
{
    memset(out, 0, sizeof *out);
    out->n = 1;
    char buf[48];
    if (!s || strlen(s) >= sizeof buf)
        return OBD_EINVAL;
    strcpy(buf, s);
    char *at = strchr(buf, '@');
    if (at) {
        *at++ = 0;
        char *end;
        unsigned long a = strtoul(at, &end, 16);
        if (!*at || *end || a == 0 || a > 0x1FFFFFFF)
            return OBD_EINVAL;
        out->addr = (uint32_t)a;
    }
    char *eq = strchr(buf, '=');
    if (eq) {
        *eq++ = 0;
        char *end;
        unsigned long n = strtoul(eq, &end, 10);
        if (!*eq || *end || n > 1000)
            return OBD_EINVAL;
        out->n = (unsigned)n;
    }
    for (int k = 1; k < SIM_CAN_FAULT_COUNT; k++) {
        if (!strcmp(buf, fault_keys[k])) {
            out->kind = (sim_can_fault_kind_t)k;
            return OBD_OK;
        }
    }
    return OBD_EINVAL;
}

/* The fault of this kind that applies to the ECU, or NULL. */
static const sim_can_fault_t *fault(const sim_can_opts_t *o, const sim_ecu_t *e, sim_can_fault_kind_t k)
{
    for (size_t i = 0; i < o->nfaults; i++)
        if (o->faults[i].kind == k && (!o->faults[i].addr || o->faults[i].addr == e->addr))
            return &o->faults[i];
    return NULL;
}

static void trace(const sim_can_opts_t *o, const char *dir, uint32_t id, const uint8_t *p, size_t n)
{
    if (o->verbose <= 0)
        return;
    fprintf(stderr, "simcan %s %X", dir, (unsigned)id);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %02X", p[i]);
    fputc('\n', stderr);
}

/* Schedule the vehicle's answer for one ECU. */
static void schedule(const sim_can_opts_t *o, ecu_t *ec, const uint8_t *p, size_t n, uint64_t now)
{
    if (fault(o, ec->e, SIM_CAN_FAULT_SILENT))
        return;
    memcpy(ec->reply, p, n);
    ec->rlen = n;
    ec->due = true;
    ec->due_at = now + (uint64_t)o->ecu_delay_ms;
    uint8_t sid = p[0] == 0x7F && n >= 2 ? p[1] : (uint8_t)(p[0] - 0x40);
    bool is_uds = sid == 0x10 || sid == 0x3E || sid == 0x22 || sid == 0x19 || sid == 0x14;
    const sim_can_fault_t *f = fault(o, ec->e, SIM_CAN_FAULT_PENDING);
    ec->pend_left = f && is_uds ? f->n : 0;
    /* scenario deviation response_pending: 0x78s before the answer, for OBD services too */
    ec->pend_left += sim_ecu_pending(ec->e, sid);
    ec->pend_ms = ec->e->dev.pending_ms ? ec->e->dev.pending_ms : (f && is_uds ? PENDING_GAP_MS : SIM_PENDING_MS_DEFAULT);
    if (fault(o, ec->e, SIM_CAN_FAULT_DENY) && (sid == 0x19 || sid == 0x22 || sid == 0x14)) {
        ec->reply[0] = 0x7F; /* a secure gateway: authenticate first */
        ec->reply[1] = sid;
        ec->reply[2] = 0x33;
        ec->rlen = 3;
    }
    if (ec->busy_left && is_uds) {
        ec->busy_left--;
        ec->reply[0] = 0x7F;
        ec->reply[1] = sid;
        ec->reply[2] = 0x21;
        ec->rlen = 3;
    }
    ec->bend_sn = fault(o, ec->e, SIM_CAN_FAULT_WRONG_SN) != NULL;
    ec->cut = fault(o, ec->e, SIM_CAN_FAULT_TRUNCATE) != NULL;
    ec->cf_seen = 0;
}

/* A whole request arrived on `to`: ask the vehicle, schedule every ECU's answer.
 * `rep` is the server's own (no static state: simulators may run in threads). */
static void on_request(sim_vehicle_t *v, const sim_can_opts_t *o, ecu_t *ecus, size_t n, obd_target_t to,
                       const uint8_t *p, size_t len, uint64_t now, uint64_t t0, obd_replies_t *rep)
{
    obd_request_t r = { .to = to, .data = p, .len = len };
    if (sim_vehicle_request(v, now - t0, &r, rep))
        return;
    for (size_t i = 0; i < rep->count; i++)
        for (size_t k = 0; k < n; k++)
            if (ecus[k].e->addr == rep->r[i].addr)
                schedule(o, &ecus[k], obd_reply_data(rep, i), rep->r[i].len, now);
}

/* Send one frame of an ECU, bent by the faults of this answer. */
static int emit(int fd, const sim_can_opts_t *o, ecu_t *ec, isotp_frame_t *f)
{
    uint8_t type = f->data[0] >> 4;
    if (type == 2) {
        ec->cf_seen++;
        if (ec->cut)
            return OBD_OK; /* truncated: the first frame only, the rest never comes */
        if (ec->bend_sn && ec->cf_seen == 2)
            f->data[0] = (uint8_t)(0x20 | ((f->data[0] + 1) & 0x0F));
    }
    trace(o, ">>", ec->e->addr, f->data, f->len);
    return can_raw_send(fd, ec->e->addr, f->data, f->len);
}

int sim_can_serve(sim_vehicle_t *v, const char *ifname, const sim_can_opts_t *o, volatile int *stop,
                  void (*ready)(void *), void *ctx, char *err, size_t errcap)
{
    if (!obd_proto_is_can(v->proto)) {
        if (err && errcap)
            snprintf(err, errcap, "the scenario's protocol (%s) is not CAN", obd_proto_name(v->proto));
        return OBD_EINVAL;
    }
    int fd = can_raw_open(ifname, err, errcap);
    if (fd < 0)
        return fd;
    /* Only our ids reach us. A car with more modules than the kernel filter
     * list takes (can_raw_filter: OBD_EINVAL) sees every frame instead. */
    uint32_t ids[SIM_MAX_ECUS + 1];
    size_t nid = 0;
    ids[nid++] = obd_proto_is_can29(v->proto) ? 0x18DB33F1u : 0x7DFu;
    for (size_t i = 0; i < v->necus; i++)
        ids[nid++] = v->ecu[i].req;
    can_raw_filter(fd, ids, nid);
    int rc = sim_can_serve_fd(v, fd, o, stop, ready, ctx, err, errcap);
    if (rc < 0 && err && errcap && !err[0])
        snprintf(err, errcap, "%s: %s", ifname, strerror(-rc));
    close(fd);
    return rc;
}

int sim_can_serve_fd(sim_vehicle_t *v, int fd, const sim_can_opts_t *o_in, volatile int *stop,
                     void (*ready)(void *), void *ctx, char *err, size_t errcap)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    if (!obd_proto_is_can(v->proto)) {
        snprintf(err, errcap, "the scenario's protocol (%s) is not CAN", obd_proto_name(v->proto));
        return OBD_EINVAL;
    }
    sim_can_opts_t oo = *o_in;
    const sim_can_opts_t *o = &oo;
    if (oo.ecu_delay_ms < 0)
        oo.ecu_delay_ms = v->response_ms > 0 ? v->response_ms : 0;
    bool is29 = obd_proto_is_can29(v->proto);
    uint32_t func = is29 ? 0x18DB33F1u : 0x7DFu;
    ecu_t *ecus = calloc(v->necus, sizeof *ecus);
    obd_replies_t *rep = malloc(sizeof *rep);
    if (!ecus || !rep) {
        free(ecus);
        free(rep);
        return -ENOMEM;
    }
    isotp_cfg_t ic = isotp_cfg_default();
    ic.pad = o->pad == -2 ? v->padding : o->pad;
    ic.bs = o->bs;
    ic.stmin = o->stmin;
    for (size_t i = 0; i < v->necus; i++) {
        ecus[i].e = &v->ecu[i];
        isotp_cfg_t c = ic;
        const sim_can_fault_t *f = fault(o, ecus[i].e, SIM_CAN_FAULT_FC_WAIT);
        if (f)
            c.fc_waits = (uint8_t)(f->n > 255 ? 255 : f->n);
        isotp_init(&ecus[i].tp, &c);
        f = fault(o, ecus[i].e, SIM_CAN_FAULT_BUSY);
        ecus[i].busy_left = f ? f->n : 0;
    }
    if (ready)
        ready(ctx);
    uint64_t t0 = obd_now_ms();
    int rc = OBD_OK;
    while (!*stop && !rc) {
        uint64_t now = obd_now_ms();
        uint64_t next = now + 200;
        for (size_t i = 0; i < v->necus && !rc; i++) {
            ecu_t *ec = &ecus[i];
            if (ec->due && now >= ec->due_at) {
                if (ec->pend_left) {
                    uint8_t f[8] = { 0x03, 0x7F, (uint8_t)(ec->reply[0] == 0x7F ? ec->reply[1] : ec->reply[0] - 0x40),
                                     0x78, 0, 0, 0, 0 };
                    size_t fl = 4;
                    if (ec->tp.cfg.pad != ISOTP_NO_PADDING) {
                        memset(f + 4, ec->tp.cfg.pad, 4);
                        fl = 8;
                    }
                    trace(o, ">>", ec->e->addr, f, fl);
                    rc = can_raw_send(fd, ec->e->addr, f, fl);
                    ec->pend_left--;
                    ec->due_at = now + ec->pend_ms;
                } else {
                    ec->due = false;
                    if (isotp_send(&ec->tp, ec->reply, ec->rlen, now) != OBD_OK)
                        isotp_reset(&ec->tp), isotp_send(&ec->tp, ec->reply, ec->rlen, now);
                }
            }
            for (int k = 0; k < 700 && !rc && now >= ec->hold_until; k++) {
                isotp_frame_t f;
                isotp_poll(&ec->tp, now, &f);
                if (!f.len)
                    break;
                rc = emit(fd, o, ec, &f);
                uint8_t type = f.data[0] >> 4;
                if (ec->e->dev.frame_gap_ms && (type == 1 || type == 2)) {
                    ec->hold_until = now + ec->e->dev.frame_gap_ms; /* deviation frame_gap_ms */
                    break;
                }
            }
            if (ec->due && ec->due_at < next)
                next = ec->due_at;
            if (ec->hold_until > now && ec->hold_until < next)
                next = ec->hold_until;
            uint64_t t = isotp_next_ms(&ec->tp);
            if (t < ec->hold_until)
                t = ec->hold_until; /* holding: no busy wait for a frame already due */
            if (t < next)
                next = t;
        }
        if (rc)
            break;
        struct pollfd pf = { .fd = fd, .events = POLLIN };
        int wait = next <= now ? 0 : (int)(next - now);
        if (poll(&pf, 1, wait) < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        if ((pf.revents & POLLHUP) && !(pf.revents & POLLIN))
            break; /* the other end of an in-process bus closed: nobody left to answer */
        now = obd_now_ms();
        for (int k = 0; k < 256; k++) {
            uint32_t id;
            uint8_t d[8];
            size_t n;
            int r = can_raw_recv(fd, &id, d, &n);
            if (r < 0) {
                rc = r;
                break;
            }
            if (r == 0)
                break;
            if (id & 0x80000000u)
                continue;
            trace(o, "<<", id, d, n);
            if (id == func) {
                /* functional: single frames only (ISO 15765-4) */
                if (n >= 2 && (d[0] >> 4) == 0 && (d[0] & 0x0F) >= 1 && (size_t)(d[0] & 0x0F) <= n - 1)
                    on_request(v, o, ecus, v->necus, (obd_target_t){ func, 0 }, d + 1, d[0] & 0x0Fu, now, t0, rep);
                continue;
            }
            for (size_t i = 0; i < v->necus; i++) {
                ecu_t *ec = &ecus[i];
                if (ec->e->req != id)
                    continue;
                int ev = isotp_on_frame(&ec->tp, d, n, now);
                if (ev & ISOTP_EV_RX_DONE) {
                    size_t len;
                    const uint8_t *p = isotp_rx_data(&ec->tp, &len);
                    if (p)
                        on_request(v, o, ec, 1, (obd_target_t){ ec->e->req, ec->e->addr }, p, len, now, t0, rep);
                }
            }
        }
    }
    free(ecus);
    free(rep);
    return rc == OBD_OK || *stop ? OBD_OK : rc;
}

/* ---- the in-process bus: the simulator in a thread, the link on a socketpair ---- */

struct sim_can_bus {
    pthread_t th;
    sim_vehicle_t *v;
    sim_can_opts_t o;
    int fd;             /* the simulator's end */
    volatile int stop;
    int rc;
    char err[160];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool ready;
};

static void bus_ready(void *ctx)
{
    sim_can_bus_t *b = ctx;
    pthread_mutex_lock(&b->mu);
    b->ready = true;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

static void *bus_main(void *arg)
{
    sim_can_bus_t *b = arg;
    b->rc = sim_can_serve_fd(b->v, b->fd, &b->o, &b->stop, bus_ready, b, b->err, sizeof b->err);
    bus_ready(b); /* a failure before listening must not leave the starter waiting */
    return NULL;
}

int sim_can_bus_start(sim_vehicle_t *v, const sim_can_opts_t *o, sim_can_bus_t **out, int *link_fd, char *err,
                      size_t errcap)
{
    *out = NULL;
    *link_fd = -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0) {
        int e = errno;
        snprintf(err, errcap, "socketpair: %s", strerror(e));
        return -e;
    }
    sim_can_bus_t *b = calloc(1, sizeof *b);
    if (!b) {
        close(sv[0]);
        close(sv[1]);
        snprintf(err, errcap, "out of memory");
        return -ENOMEM;
    }
    b->v = v;
    b->o = *o;
    b->fd = sv[1];
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    int e = pthread_create(&b->th, NULL, bus_main, b);
    if (e) {
        snprintf(err, errcap, "simulator thread: %s", strerror(e));
        close(sv[0]);
        close(sv[1]);
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->cv);
        free(b);
        return -e;
    }
    pthread_mutex_lock(&b->mu);
    while (!b->ready)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
    *out = b;
    *link_fd = sv[0];
    return OBD_OK;
}

int sim_can_bus_stop(sim_can_bus_t *b)
{
    if (!b)
        return OBD_OK;
    b->stop = 1;
    pthread_join(b->th, NULL);
    close(b->fd);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    int rc = b->rc;
    free(b);
    return rc;
}
