/*
 * loop.c — obdgwd's one event loop (epoll, single thread). Sources:
 *   signalfd  SIGTERM/SIGINT stop (flushing), SIGHUP reload
 *   timerfd   250 ms tick: health, bay status, watchdog, MQTT retry, retention
 *   result pipe  finished bay jobs (bay.c) -> outbox -> reply to the CLI
 *   mqtt eventfd connect/disconnect, PUBACKs, inbound DMS messages
 *   control socket + its clients (ctl.c)
 *
 * The outbox pump: while connected, hand messages to Paho in outbox order
 * with at most cfg.inflight unacknowledged; PUBACKs are batched into one
 * delete transaction per loop turn. On a disconnect (or a failed publish)
 * the epoch changes and everything unacknowledged is sent again from the
 * oldest, which keeps each RO's order; duplicates carry the same msg_id.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "daemon.h"
#include "remote.h"
#include "usbhot.h"
#include "obdgw/uds_scan.h"
#include "obdgw/utf8.h"

#define MAX_CLIENTS 64
#define CLIENT_BUF 65536
#define ACK_BATCH 8192
#define TAG_ID_MASK ((UINT64_C(1) << 48) - 1)

enum { EV_SIGNAL = 1, EV_TIMER, EV_RESULT, EV_MQTT, EV_LISTEN, EV_USB, EV_CLIENT0 = 100 };

typedef struct {
    int fd;
    size_t len;
    char *buf;
    uint64_t waiting_job; /* 0: not waiting */
} client_t;

typedef struct dctx {
    dcfg_t cfg;
    char config_path[512];
    int ep, sfd, tfd, lfd;
    int res[2];
    store_t *st;
    store_t *jst;            /* the inbound journal's connection (Paho's receive thread only) */
    pthread_mutex_t jmu;
    mqtt_t *mq;
    bay_t *bays[DCFG_MAX_BAYS];
    char bay_last_state[DCFG_MAX_BAYS][16];
    size_t nbays;
    bay_t *office;
    remote_t *rm; /* live/wo/report/consent over the socket, remote support over MQTT */
    usbhot_t *usb; /* USB hot-plug (usbhot.c): only when a bay is bound by usb_port / usb_serial */
    client_t clients[MAX_CLIENTS];
    uint64_t next_job;
    /* outbox pump */
    int64_t cursor;
    int inflight;
    uint64_t epoch;
    /* unacknowledged messages that belong to an RO: (outbox id, RO hash);
     * at most one per RO, so a failed publish resent from the oldest never
     * lands behind a later message of its RO (per-RO order at the DMS) */
    struct ro_flight {
        int64_t id;
        uint64_t ro;
    } *ro_inflight;
    size_t nro_inflight;
    int64_t acks[ACK_BATCH];
    size_t nacks;
    bool pump_dirty;
    int64_t last_ack_flush_ms;
    int64_t ack_retry_ms;    /* a failed ack delete: next try (0: none pending) */
    int64_t pending_check_ms; /* next look at dms_pending (0: at the next tick) */
    uint64_t acks_dropped;
    /* counters */
    uint64_t published, acked, nacked, disconnects, refused, wo_applied, wo_rejected, err_seq;
    uint64_t wo_duplicates, retained_ignored, journal_failed, replayed;
    /* rate limit of repeated refusal lines: at most LOG_BURST per minute */
    int64_t log_window_ms;
    unsigned log_in_window, log_suppressed;
    /* lifecycle */
    bool stopping, reload;
    int64_t stop_deadline_ms;
    int64_t started_ms, next_health_ms, next_watchdog_ms, next_purge_ms;
    uint64_t watchdog_usec;
} dctx_t;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ep_add(dctx_t *d, int fd, uint64_t tag)
{
    struct epoll_event e = { .events = EPOLLIN, .data.u64 = tag };
    if (epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &e) < 0)
        dlog(LOG_LVL_ERR, "epoll add fd %d: %s", fd, strerror(errno));
}

static outbox_limits_t limits(const dctx_t *d)
{
    return (outbox_limits_t){ d->cfg.outbox_max_messages, d->cfg.outbox_max_bytes };
}

/* ---------------- outbox ---------------- */

static int enqueue_json(dctx_t *d, const char *leaf, const char *msg_id, const char *ro, outbox_prio_t prio,
                        const char *payload)
{
    outbox_msg_t m;
    memset(&m, 0, sizeof m);
    snprintf(m.msg_id, sizeof m.msg_id, "%s", msg_id);
    dms_topic(m.topic, sizeof m.topic, d->cfg.site, leaf);
    snprintf(m.ro, sizeof m.ro, "%s", ro ? ro : "");
    m.payload = payload;
    m.len = strlen(payload);
    m.qos = 1;
    m.prio = prio;
    outbox_limits_t lim = limits(d);
    int rc = outbox_enqueue(d->st, &m, &lim, NULL);
    if (rc) {
        d->refused++;
        dlog(prio == OUTBOX_PRIO_LOW ? LOG_LVL_WARN : LOG_LVL_ERR, "outbox: %s", store_errmsg(d->st));
    }
    d->pump_dirty = true;
    return rc;
}

typedef struct {
    dctx_t *d;
    int sent;
    bool stop;
} pump_t;

static uint64_t ro_hash(const char *ro)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *ro; ro++)
        h = (h ^ (unsigned char)*ro) * 1099511628211ull;
    return h | 1; /* never 0 */
}

static void ro_flight_done(dctx_t *d, int64_t id)
{
    for (size_t i = 0; i < d->nro_inflight; i++)
        if (d->ro_inflight[i].id == id) {
            d->ro_inflight[i] = d->ro_inflight[--d->nro_inflight];
            return;
        }
}

static int pump_one(void *ctx, const outbox_msg_t *m)
{
    pump_t *p = ctx;
    dctx_t *d = p->d;
    uint64_t h = m->ro[0] ? ro_hash(m->ro) : 0;
    if (h) {
        /* one message of an RO in flight at a time: wait for its PUBACK */
        for (size_t i = 0; i < d->nro_inflight; i++)
            if (d->ro_inflight[i].ro == h) {
                p->stop = true;
                return 1;
            }
        if (!d->ro_inflight && !(d->ro_inflight = calloc(65536, sizeof *d->ro_inflight))) {
            p->stop = true;
            return 1;
        }
        if (d->nro_inflight >= 65536) {
            p->stop = true;
            return 1;
        }
    }
    uint64_t tag = (d->epoch << 48) | ((uint64_t)m->id & TAG_ID_MASK);
    int rc = mqtt_publish(d->mq, m->topic, m->payload, m->len, m->qos, m->retain, tag);
    if (rc) {
        p->stop = true;
        return 1;
    }
    if (h)
        d->ro_inflight[d->nro_inflight++] = (struct ro_flight){ m->id, h };
    d->cursor = m->id;
    d->inflight++;
    d->published++;
    p->sent++;
    return 0;
}

/* Delete what the broker acknowledged. When the delete cannot commit (disk
 * full) the ids are kept and the delete is tried again at every pump turn
 * (at most once a second) until it goes through: before, they were
 * forgotten, the outbox kept them until a reconnect resent them all. */
static void flush_acks(dctx_t *d)
{
    if (!d->nacks)
        return;
    int64_t now = mono_ms();
    if (d->ack_retry_ms && now < d->ack_retry_ms && d->nacks < ACK_BATCH && !d->stopping)
        return;
    int rc = outbox_ack(d->st, d->acks, d->nacks);
    if (rc) {
        if (!d->ack_retry_ms)
            dlog(LOG_LVL_ERR, "outbox: %zu acknowledged message(s) not deleted yet (%s): retrying every second",
                 d->nacks, store_errmsg(d->st));
        d->ack_retry_ms = now + 1000;
        return;
    }
    if (d->ack_retry_ms)
        dlog(LOG_LVL_INFO, "outbox: acknowledged messages deleted after a retry");
    d->ack_retry_ms = 0;
    d->nacks = 0;
}

/* Acknowledged messages are deleted in batches (one fsync per batch, at
 * most ACK_DELAY_MS late): a crash in between only means those few are
 * sent again, which the DMS drops by msg_id. */
#define ACK_DELAY_MS 50
static void pump(dctx_t *d)
{
    int64_t now = mono_ms();
    if (d->nacks && (d->nacks >= ACK_BATCH / 2 || now - d->last_ack_flush_ms >= ACK_DELAY_MS || d->stopping)) {
        flush_acks(d);
        d->last_ack_flush_ms = now;
    }
    if (!d->mq || !mqtt_connected(d->mq))
        return;
    /* refill in chunks: one peek query per half window; the window is ours
     * ([mqtt] inflight) or the broker's Receive Maximum when smaller (a
     * broker set to 1 for in-order delivery gets one at a time) */
    int win = d->cfg.inflight, rm = mqtt_receive_max(d->mq);
    if (rm > 0 && rm < win)
        win = rm;
    if (d->inflight > win / 2)
        return;
    while (d->inflight < win) {
        pump_t p = { d, 0, false };
        int n = outbox_peek(d->st, d->cursor, (size_t)(win - d->inflight), pump_one, &p);
        if (n <= 0 || p.stop || p.sent == 0)
            break;
    }
}

/* Everything unacknowledged is sent again from the oldest. */
static void rewind_pump(dctx_t *d)
{
    d->epoch = (d->epoch + 1) & 0xFFFF;
    d->inflight = 0;
    d->cursor = 0;
    d->nro_inflight = 0;
}

/* ---------------- status, health ---------------- */

static cJSON *status_json(dctx_t *d)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "site", d->cfg.site);
    cJSON_AddNumberToObject(j, "uptime_s", (double)(mono_ms() - d->started_ms) / 1000.0);
    cJSON *m = cJSON_AddObjectToObject(j, "mqtt");
    cJSON_AddStringToObject(m, "broker", d->cfg.broker);
    cJSON_AddBoolToObject(m, "connected", d->mq && mqtt_connected(d->mq));
    cJSON_AddNumberToObject(m, "version", d->mq ? mqtt_version(d->mq) : 0);
    cJSON_AddNumberToObject(m, "published", (double)d->published);
    cJSON_AddNumberToObject(m, "acknowledged", (double)d->acked);
    cJSON_AddNumberToObject(m, "disconnects", (double)d->disconnects);
    outbox_stats_t os = { 0 };
    outbox_stats(d->st, &os);
    cJSON *o = cJSON_AddObjectToObject(j, "outbox");
    cJSON_AddNumberToObject(o, "messages", (double)os.messages);
    cJSON_AddNumberToObject(o, "bytes", (double)os.bytes);
    cJSON_AddNumberToObject(o, "oldest_ms", (double)os.oldest_ms);
    cJSON_AddNumberToObject(o, "refused", (double)d->refused);
    int64_t pend = 0, stuck = 0;
    outbox_pending_count(d->st, &pend, &stuck);
    cJSON_AddNumberToObject(o, "pending", (double)pend); /* dms_pending: the DMS not told yet */
    cJSON_AddNumberToObject(o, "pending_stuck", (double)stuck);
    cJSON_AddNumberToObject(o, "max_messages", (double)d->cfg.outbox_max_messages);
    cJSON_AddBoolToObject(j, "store_readonly", store_is_readonly(d->st));
    cJSON *dm = cJSON_AddObjectToObject(j, "dms");
    cJSON_AddNumberToObject(dm, "work_orders_applied", (double)d->wo_applied);
    cJSON_AddNumberToObject(dm, "work_orders_rejected", (double)d->wo_rejected);
    cJSON_AddNumberToObject(dm, "work_orders_duplicate", (double)d->wo_duplicates);
    cJSON_AddNumberToObject(dm, "retained_ignored", (double)d->retained_ignored);
    cJSON_AddNumberToObject(dm, "replayed_at_start", (double)d->replayed);
    cJSON *bays = cJSON_AddArrayToObject(j, "bays");
    for (size_t i = 0; i < d->nbays; i++) {
        cJSON *b = cJSON_CreateObject();
        char err[160], ad[256];
        cJSON_AddNumberToObject(b, "bay", bay_id(d->bays[i]));
        cJSON_AddStringToObject(b, "state", bay_state(d->bays[i], err, sizeof err));
        cJSON_AddStringToObject(b, "adapter", bay_adapter(d->bays[i], ad, sizeof ad));
        char idt[160];
        if (bay_ident(d->bays[i], idt, sizeof idt)[0]) {
            cJSON_AddStringToObject(b, "usb", idt);
            cJSON_AddBoolToObject(b, "adapter_present", bay_present(d->bays[i]));
        }
        cJSON_AddNumberToObject(b, "jobs_done", (double)bay_jobs_done(d->bays[i]));
        if (err[0])
            cJSON_AddStringToObject(b, "last_error", err);
        cJSON *rj = remote_bay_json(d->rm, bay_id(d->bays[i]));
        if (rj)
            cJSON_AddItemToObject(b, "remote", rj);
        cJSON_AddItemToArray(bays, b);
    }
    if (d->usb)
        cJSON_AddItemToObject(j, "usb_devices", usbhot_json(d->usb, &d->cfg));
    return j;
}

static char *status_text(dctx_t *d)
{
    outbox_stats_t os = { 0 };
    outbox_stats(d->st, &os);
    size_t cap = 4096 + d->nbays * 400;
    char *t = malloc(cap);
    if (!t)
        return NULL;
    char reftxt[200] = "";
    int64_t pend = 0, stuck = 0;
    outbox_pending_count(d->st, &pend, &stuck);
    if (pend) /* what the DMS does not know now: clears when nothing is pending */
        snprintf(reftxt, sizeof reftxt, "\npending  %lld message(s) the DMS was NOT told yet%s (obdgw dms pending)",
                 (long long)pend, stuck ? ", some too large to send" : ", queued when the outbox has room");
    else if (d->refused)
        snprintf(reftxt, sizeof reftxt, " · %llu refused since the start, none pending",
                 (unsigned long long)d->refused);
    int n = snprintf(t, cap,
                     "obdgwd · site %s · up %lld s\nbroker   %s · %s%s · published %llu, acknowledged %llu, "
                     "disconnects %llu\noutbox   %lld message(s), %lld bytes%s\nDMS      %llu work order(s) applied, "
                     "%llu rejected, %llu duplicate(s) ignored\n%s",
                     d->cfg.site, (long long)((mono_ms() - d->started_ms) / 1000),
                     d->cfg.broker[0] ? d->cfg.broker : "(none)",
                     d->mq && mqtt_connected(d->mq) ? "connected" : "NOT connected",
                     d->mq && mqtt_version(d->mq) == 4 ? " (MQTT 3.1.1)" : d->mq && mqtt_version(d->mq) ? " (MQTT 5)" : "",
                     (unsigned long long)d->published, (unsigned long long)d->acked,
                     (unsigned long long)d->disconnects, (long long)os.messages, (long long)os.bytes,
                     reftxt,
                     (unsigned long long)d->wo_applied, (unsigned long long)d->wo_rejected,
                     (unsigned long long)d->wo_duplicates,
                     store_is_readonly(d->st) ? "store    READ-ONLY: nothing can be saved\n" : "");
    for (size_t i = 0; i < d->nbays && n > 0 && (size_t)n < cap; i++) {
        char err[160], ad[256], rt[200];
        const char *st = bay_state(d->bays[i], err, sizeof err);
        char id0[160], idt[170] = "";
        if (bay_ident(d->bays[i], id0, sizeof id0)[0])
            snprintf(idt, sizeof idt, " · %s", id0); /* " · usb_port 1-1.3" */
        bay_adapter(d->bays[i], ad, sizeof ad);
        n += snprintf(t + n, cap - (size_t)n, "bay %-3d  %-9s %s%s · %llu job(s)%s%s%s\n", bay_id(d->bays[i]), st,
                      ad[0] ? ad : "-", idt,
                      (unsigned long long)bay_jobs_done(d->bays[i]),
                      err[0] && !strcmp(st, "error") ? " · " : "", err[0] && !strcmp(st, "error") ? err : "",
                      remote_bay_text(d->rm, bay_id(d->bays[i]), rt, sizeof rt));
    }
    if (d->usb && n > 0 && (size_t)n < cap)
        usbhot_text(d->usb, &d->cfg, t + n, cap - (size_t)n);
    return t;
}

static void publish_bay_event(dctx_t *d, size_t i, const char *event, const usb_adapter_t *a);
static void publish_bay_status(dctx_t *d, size_t i, bool force)
{
    publish_bay_event(d, i, force ? NULL : "", NULL);
}

/* The bay's retained status; with an event ("adapter_arrived",
 * "adapter_departed") and the adapter's identity, sent even when the
 * state did not change. event "" = only on a change, NULL = always. */
static void publish_bay_event(dctx_t *d, size_t i, const char *event, const usb_adapter_t *a)
{
    bool force = !event || event[0];
    char err[160];
    const char *st = bay_state(d->bays[i], err, sizeof err);
    if (!force && !strcmp(st, d->bay_last_state[i]))
        return;
    snprintf(d->bay_last_state[i], sizeof d->bay_last_state[i], "%s", st);
    if (!d->mq || !mqtt_connected(d->mq))
        return;
    char topic[OUTBOX_TOPIC_LEN], leaf[48], id[OUTBOX_MSGID_LEN];
    snprintf(leaf, sizeof leaf, "bay/%d/status", bay_id(d->bays[i]));
    dms_topic(topic, sizeof topic, d->cfg.site, leaf);
    snprintf(id, sizeof id, "%s-baystatus-%d-%lld", d->cfg.site, bay_id(d->bays[i]), (long long)wall_ms());
    cJSON *e = dms_envelope("obdgw.dms.bay_status", id, d->cfg.site);
    cJSON_AddNumberToObject(e, "bay", bay_id(d->bays[i]));
    cJSON_AddStringToObject(e, "state", st);
    cJSON_AddBoolToObject(e, "online", true);
    if (event && event[0]) {
        cJSON_AddStringToObject(e, "event", event);
        if (a)
            cJSON_AddItemToObject(e, "usb_adapter", usbhot_adapter_json(a));
    }
    char *s = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    /* Not sent (Paho refused it): forget the state so the next tick tries again. */
    if (!s || mqtt_publish(d->mq, topic, s, strlen(s), 1, true, 0))
        d->bay_last_state[i][0] = 0;
    free(s);
}

static void enqueue_health(dctx_t *d)
{
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-health-%lld", d->cfg.site, (long long)wall_ms());
    cJSON *e = dms_envelope("obdgw.dms.health", id, d->cfg.site);
    cJSON_AddItemToObject(e, "status", status_json(d));
    char *s = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    if (s)
        enqueue_json(d, "health", id, "", OUTBOX_PRIO_LOW, s);
    free(s);
}

static void enqueue_error(dctx_t *d, const char *ref_topic, const char *ref_msg_id, const char *reason)
{
    char id[OUTBOX_MSGID_LEN];
    snprintf(id, sizeof id, "%s-error-%lld-%llu", d->cfg.site, (long long)wall_ms(), (unsigned long long)++d->err_seq);
    cJSON *e = dms_envelope("obdgw.dms.error", id, d->cfg.site);
    cJSON_AddStringToObject(e, "ref_topic", ref_topic ? ref_topic : "");
    cJSON_AddStringToObject(e, "ref_msg_id", ref_msg_id ? ref_msg_id : "");
    cJSON_AddStringToObject(e, "reason", reason);
    char *s = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    if (s)
        enqueue_json(d, "error", id, "", OUTBOX_PRIO_NORMAL, s);
    free(s);
}

/* ---------------- MQTT ---------------- */

static int journal_cb(void *ctx, const mqtt_event_t *e, int64_t *jid);
static int mqtt_begin(dctx_t *d)
{
    if (!d->cfg.broker[0]) {
        dlog(LOG_LVL_WARN, "no [mqtt] broker configured: DMS messages stay in the outbox");
        return 0;
    }
    char status_topic[OUTBOX_TOPIC_LEN], online[256], offline[256];
    dms_topic(status_topic, sizeof status_topic, d->cfg.site, "status");
    long long now = (long long)wall_ms();
    snprintf(online, sizeof online,
             "{\"schema\":\"obdgw.dms.gateway_status\",\"schema_version\":%d,\"msg_id\":\"%s-gw-online-%lld\","
             "\"site\":\"%s\",\"online\":true,\"created_ms\":%lld}",
             DMS_SCHEMA_VERSION, d->cfg.site, now, d->cfg.site, now);
    snprintf(offline, sizeof offline,
             "{\"schema\":\"obdgw.dms.gateway_status\",\"schema_version\":%d,\"msg_id\":\"%s-gw-offline-%lld\","
             "\"site\":\"%s\",\"online\":false,\"created_ms\":%lld}",
             DMS_SCHEMA_VERSION, d->cfg.site, now, d->cfg.site, now);
    mqtt_config_t mc = {
        .url = d->cfg.broker, .client_id = d->cfg.client_id, .username = d->cfg.username,
        .password = d->cfg.password, .ca_file = d->cfg.ca, .cert_file = d->cfg.cert, .key_file = d->cfg.key,
        .keepalive_s = d->cfg.keepalive_s, .version = d->cfg.mqtt_version, .status_topic = status_topic,
        .online_payload = online, .offline_payload = offline, .max_inbound = (size_t)d->cfg.max_inbound,
        .inflight_max = d->cfg.inflight + 64, .journal = journal_cb, .journal_ctx = d,
    };
    char err[256];
    if (mqtt_start(&mc, &d->mq, err, sizeof err)) {
        dlog(LOG_LVL_ERR, "mqtt: %s", err);
        return -1;
    }
    char f[OUTBOX_TOPIC_LEN];
    snprintf(f, sizeof f, "dms/v1/%s/wo", d->cfg.site);
    mqtt_subscribe(d->mq, f, 1);
    /* requests: dms/v1/<site>/req/<user>/<name> (the user level is the
     * identity the broker enforces); the old req/<name> only to be refused */
    snprintf(f, sizeof f, "dms/v1/%s/req/+/+", d->cfg.site);
    mqtt_subscribe(d->mq, f, 1);
    snprintf(f, sizeof f, "dms/v1/%s/req/+", d->cfg.site);
    mqtt_subscribe(d->mq, f, 1);
    ep_add(d, mqtt_fd(d->mq), EV_MQTT);
    rewind_pump(d);
    return 0;
}

static void mqtt_end(dctx_t *d, int timeout_ms)
{
    if (!d->mq)
        return;
    epoll_ctl(d->ep, EPOLL_CTL_DEL, mqtt_fd(d->mq), NULL);
    mqtt_stop(d->mq, timeout_ms);
    d->mq = NULL;
}

static void on_request(dctx_t *d, const mqtt_event_t *e)
{
    /* General request/response: dms/v1/<site>/req/<name>, answered on the
     * request's response topic (checked) with its correlation data; all of
     * it in remote.c, which knows the routes. */
    if (d->rm)
        remote_on_request(d->rm, e);
}

/* Repeated refusals (a flood of bad work orders or requests) are logged at
 * most LOG_BURST times a minute; the rest are counted and summed up. */
#define LOG_BURST 20
static bool log_allowed(dctx_t *d)
{
    int64_t now = mono_ms();
    if (now - d->log_window_ms >= 60000) {
        if (d->log_suppressed)
            dlog(LOG_LVL_WARN, "dms: %u more refusal(s) in the last minute not logged one by one", d->log_suppressed);
        d->log_window_ms = now;
        d->log_in_window = d->log_suppressed = 0;
    }
    if (d->log_in_window < LOG_BURST) {
        d->log_in_window++;
        return true;
    }
    d->log_suppressed++;
    return false;
}

/* Paho's receive thread: commit the message to the inbound journal before
 * the callback returns (see mqtt.c for what Paho does with the PUBACK). */
static int journal_cb(void *ctx, const mqtt_event_t *e, int64_t *jid)
{
    dctx_t *d = ctx;
    inbox_msg_t m = { .topic = e->topic, .payload = e->payload, .len = e->len, .qos = e->qos,
                      .retained = e->retained, .response_topic = e->response_topic ? e->response_topic : "",
                      .corr = e->corr, .corr_len = e->corr_len, .received_ms = wall_ms() };
    char err[256] = "";
    pthread_mutex_lock(&d->jmu);
    int rc = d->jst ? inbox_put(d->jst, &m, jid) : OBD_EINVAL;
    if (rc)
        snprintf(err, sizeof err, "%s", d->jst ? store_errmsg(d->jst) : "no journal connection");
    pthread_mutex_unlock(&d->jmu);
    if (rc)
        dlog(LOG_LVL_ERR, "dms: inbound message on %s NOT journaled (%s): applied from memory, lost if obdgwd dies now",
             e->topic, err);
    return rc ? -1 : 0;
}

static void journal_done(dctx_t *d, int64_t jid)
{
    if (jid && inbox_done(d->st, jid))
        dlog(LOG_LVL_ERR, "dms: inbound journal row %lld not deleted (%s): it is applied again at the next start, "
                          "where its msg_id makes it a no-op",
             (long long)jid, store_errmsg(d->st));
}

/* The DMS's identity for the audit log: the broker admits writes to
 * dms/v1/<site>/ only from the DMS account (the ACL), so the actor is the
 * DMS on that topic, never a name the payload declares (#12: per-user
 * identity from the broker). */
static void dms_actor(const dctx_t *d, char *out, size_t cap) { snprintf(out, cap, "dms:dms/v1/%s/wo", d->cfg.site); }

static void on_work_order(dctx_t *d, const mqtt_event_t *e)
{
    char msg_id[OUTBOX_MSGID_LEN], ro[STORE_RO_LEN], why[256], actor[96];
    dms_actor(d, actor, sizeof actor);
    bool tx = e->jid && store_tx_begin(d->st) == OBD_OK;
    int rc = dms_apply_wo(d->st, d->cfg.site, actor, e->payload, e->len, msg_id, sizeof msg_id, ro, sizeof ro, why,
                          sizeof why);
    if (tx) {
        /* applied (or refused) and the journal row gone: one commit */
        if (inbox_done(d->st, e->jid) || store_tx_commit(d->st)) {
            char err[256];
            snprintf(err, sizeof err, "%s", store_errmsg(d->st));
            store_tx_rollback(d->st);
            d->wo_rejected++;
            dlog(LOG_LVL_ERR, "dms: work order %s (msg_id %s) NOT committed: %s; it stays in the inbound journal",
                 ro, msg_id, err);
            enqueue_error(d, e->topic, msg_id, "the gateway could not commit the work order (store full or failing)");
            return;
        }
    } else if (e->jid) {
        journal_done(d, e->jid);
    }
    if (rc == DMS_WO_DUPLICATE) {
        d->wo_duplicates++;
        if (log_allowed(d))
            dlog(LOG_LVL_INFO, "dms: work order msg_id %s (RO %s) was applied before: ignored", msg_id, ro);
    } else if (rc) {
        d->wo_rejected++;
        if (log_allowed(d))
            dlog(LOG_LVL_WARN, "dms: work order rejected (msg_id '%s', RO '%s'): %s; nothing changed", msg_id, ro, why);
        enqueue_error(d, e->topic, msg_id, why);
    } else {
        d->wo_applied++;
        dlog(LOG_LVL_INFO, "dms: work order %s applied (msg_id %s)", ro, msg_id);
    }
}

static void on_message(dctx_t *d, const mqtt_event_t *e)
{
    char wo_topic[OUTBOX_TOPIC_LEN], req_prefix[OUTBOX_TOPIC_LEN];
    snprintf(wo_topic, sizeof wo_topic, "dms/v1/%s/wo", d->cfg.site);
    snprintf(req_prefix, sizeof req_prefix, "dms/v1/%s/req/", d->cfg.site);
    bool is_wo = !strcmp(e->topic, wo_topic), is_req = !strncmp(e->topic, req_prefix, strlen(req_prefix));
    if ((is_wo || is_req) && e->retained) {
        /* A retained copy is the broker's memory of an old message, offered
         * again at every subscribe: never an instruction. */
        d->retained_ignored++;
        journal_done(d, e->jid);
        if (log_allowed(d))
            dlog(LOG_LVL_WARN, "dms: retained message on %s ignored (work orders and requests must not be retained)",
                 e->topic);
        return;
    }
    if (is_wo) {
        on_work_order(d, e);
    } else if (is_req) {
        on_request(d, e);
        journal_done(d, e->jid);
    } else {
        journal_done(d, e->jid);
        dlog(LOG_LVL_DEBUG, "dms: message on unexpected topic %s ignored", e->topic);
    }
}

/* At start, before the broker: what the journal holds was received (and
 * acknowledged) by an earlier run that did not get to apply it. Work orders
 * are applied now; requests are not executed late (a remote read or stream
 * nobody waits for any more): each gets an error event instead. */
static int replay_one(void *ctx, const inbox_msg_t *m)
{
    dctx_t *d = ctx;
    mqtt_event_t e;
    memset(&e, 0, sizeof e);
    e.kind = MQTT_EV_MESSAGE;
    e.topic = (char *)m->topic;
    e.payload = (unsigned char *)m->payload;
    e.len = m->len;
    e.qos = m->qos;
    e.retained = m->retained;
    e.jid = m->id;
    d->replayed++;
    char req_prefix[OUTBOX_TOPIC_LEN];
    snprintf(req_prefix, sizeof req_prefix, "dms/v1/%s/req/", d->cfg.site);
    if (!e.retained && !strncmp(e.topic, req_prefix, strlen(req_prefix))) {
        char id[OUTBOX_MSGID_LEN] = "";
        cJSON *j = cJSON_ParseWithLength((const char *)m->payload, m->len);
        const cJSON *mi = j ? cJSON_GetObjectItemCaseSensitive(j, "msg_id") : NULL;
        if (cJSON_IsString(mi) && mi->valuestring && obd_text_check(mi->valuestring, strlen(mi->valuestring), 63, 63) == OBD_TEXT_OK)
            snprintf(id, sizeof id, "%s", mi->valuestring);
        cJSON_Delete(j);
        enqueue_error(d, e.topic, id, "request not executed: the gateway restarted before answering it; send it again");
        journal_done(d, m->id);
        return 0;
    }
    on_message(d, &e);
    return 0;
}

static void replay_journal(dctx_t *d)
{
    int64_t n = 0;
    if (inbox_count(d->st, &n) || !n)
        return;
    dlog(LOG_LVL_INFO, "dms: %lld inbound message(s) from before the restart in the journal: applying", (long long)n);
    int rc = inbox_pending(d->st, replay_one, d);
    if (rc < 0)
        dlog(LOG_LVL_ERR, "dms: inbound journal: %s", store_errmsg(d->st));
    else
        dlog(LOG_LVL_INFO, "dms: inbound journal replayed: %d message(s), %llu work order(s) applied so far",
             rc, (unsigned long long)d->wo_applied);
}

static void on_mqtt(dctx_t *d)
{
    mqtt_event_t *e = mqtt_take_events(d->mq);
    while (e) {
        mqtt_event_t *next = e->next;
        switch (e->kind) {
        case MQTT_EV_CONNECTED:
            dlog(LOG_LVL_INFO, "mqtt: connected to %s (MQTT %s)", d->cfg.broker, e->qos == 5 ? "5" : "3.1.1");
            rewind_pump(d);
            for (size_t i = 0; i < d->nbays; i++)
                publish_bay_status(d, i, true);
            d->pump_dirty = true;
            break;
        case MQTT_EV_DISCONNECTED:
            d->disconnects++;
            dlog(LOG_LVL_WARN, "mqtt: %s; messages stay in the outbox", e->reason);
            rewind_pump(d);
            break;
        case MQTT_EV_ACK: {
            uint64_t id = e->tag & TAG_ID_MASK;
            if (id) {
                if (d->nacks == ACK_BATCH)
                    flush_acks(d);
                if (d->nacks == ACK_BATCH) {
                    /* still failing and full: this one stays in the outbox
                     * and goes out again after the next reconnect (same
                     * msg_id: the DMS drops the duplicate) */
                    d->acks_dropped++;
                    break;
                }
                d->acks[d->nacks++] = (int64_t)id;
                d->acked++;
                if ((e->tag >> 48) == d->epoch)
                    ro_flight_done(d, (int64_t)id);
                if ((e->tag >> 48) == d->epoch && d->inflight > 0)
                    d->inflight--;
                d->pump_dirty = true;
            }
            break;
        }
        case MQTT_EV_NACK:
            if ((e->tag & TAG_ID_MASK) && (e->tag >> 48) == d->epoch) {
                d->nacked++;
                dlog(LOG_LVL_WARN, "mqtt: publish failed (%s): resending from the oldest", e->reason);
                rewind_pump(d);
                d->pump_dirty = true;
            }
            break;
        case MQTT_EV_MESSAGE:
            on_message(d, e);
            break;
        case MQTT_EV_REJECTED:
            d->wo_rejected++;
            dlog(LOG_LVL_WARN, "dms: inbound message on %s rejected: %s", e->topic ? e->topic : "?", e->reason);
            enqueue_error(d, e->topic, "", e->reason);
            break;
        }
        mqtt_event_free(e);
        e = next;
    }
}

/* ---------------- control clients ---------------- */

static void client_close(dctx_t *d, int i)
{
    client_t *c = &d->clients[i];
    if (c->fd >= 0) {
        epoll_ctl(d->ep, EPOLL_CTL_DEL, c->fd, NULL);
        shutdown(c->fd, SHUT_RDWR); /* also for copies a forked simulator inherited */
        close(c->fd);
    }
    free(c->buf);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

static void client_reply(dctx_t *d, int i, int exit_code, const char *text, cJSON *extra)
{
    cJSON *r = extra ? extra : cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "exit", exit_code);
    cJSON_AddStringToObject(r, "text", text ? text : "");
    char *s = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    if (s) {
        /* Small replies; the socket buffer holds them. Blocking briefly is fine. */
        int fl = 0;
        (void)fl;
        size_t n = strlen(s), off = 0;
        while (off < n) {
            ssize_t w = write(d->clients[i].fd, s + off, n - off);
            if (w < 0 && errno == EAGAIN) {
                usleep(1000);
                continue;
            }
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        ssize_t w = write(d->clients[i].fd, "\n", 1);
        (void)w;
    }
    free(s);
    client_close(d, i);
}

static bay_t *find_bay(dctx_t *d, int id)
{
    for (size_t i = 0; i < d->nbays; i++)
        if (bay_id(d->bays[i]) == id)
            return d->bays[i];
    return NULL;
}

static bay_t *remote_find_bay(void *ctx, int id) { return find_bay(ctx, id); }
static cJSON *remote_status(void *ctx) { return status_json(ctx); }

/* Hand a control client to remote.c (streamed or threaded commands). */
static int client_release(dctx_t *d, int i)
{
    client_t *c = &d->clients[i];
    int fd = c->fd;
    epoll_ctl(d->ep, EPOLL_CTL_DEL, fd, NULL);
    free(c->buf);
    memset(c, 0, sizeof *c);
    c->fd = -1;
    return fd;
}

static int inject(dctx_t *d, long count, const char *ro, outbox_prio_t prio, long size, long *refused)
{
    /* Test and bench hook: `count` synthetic messages through the outbox. */
    char *pad = malloc((size_t)size + 1);
    if (!pad)
        return -ENOMEM;
    memset(pad, 'x', (size_t)size);
    pad[size] = 0;
    enum { B = 1000 };
    outbox_msg_t *m = calloc(B, sizeof *m);
    char **pl = calloc(B, sizeof *pl);
    int64_t base = wall_ms();
    long done = 0;
    int rc = 0;
    *refused = 0;
    outbox_limits_t lim = limits(d);
    while (m && pl && done < count) {
        size_t n = 0;
        for (; n < B && done + (long)n < count; n++) {
            snprintf(m[n].msg_id, sizeof m[n].msg_id, "%s-test-%lld-%ld", d->cfg.site, (long long)base, done + (long)n);
            dms_topic(m[n].topic, sizeof m[n].topic, d->cfg.site, "test");
            snprintf(m[n].ro, sizeof m[n].ro, "%s", ro);
            if (asprintf(&pl[n],
                         "{\"schema\":\"obdgw.dms.test\",\"schema_version\":%d,\"msg_id\":\"%s\",\"seq\":%ld,"
                         "\"ro\":\"%s\",\"created_ms\":%lld,\"pad\":\"%s\"}",
                         DMS_SCHEMA_VERSION, m[n].msg_id, done + (long)n, ro, (long long)wall_ms(), pad) < 0)
                pl[n] = NULL;
            m[n].payload = pl[n] ? pl[n] : "";
            m[n].len = pl[n] ? strlen(pl[n]) : 0;
            m[n].qos = 1;
            m[n].prio = prio;
        }
        rc = outbox_enqueue_batch(d->st, m, n, &lim, NULL);
        for (size_t k = 0; k < n; k++) {
            free(pl[k]);
            pl[k] = NULL;
        }
        if (rc == OBD_ENOSPC) {
            *refused += (long)n;
            rc = 0;
        } else if (rc) {
            *refused += count - done; /* this batch and the rest: not queued */
            break;
        }
        done += (long)n;
        d->pump_dirty = true;
    }
    free(m);
    free(pl);
    free(pad);
    return rc;
}

static void reload_config(dctx_t *d);

/* `obdgw confirm --bay N [--yes|--decline]`: a remote proposal shown,
 * declined (remote_propose.c), or run here as the same clear job as `obdgw
 * clear --bay N --ro RO --yes` (the clear gate and audit in bay.c). */
static void confirm_request(dctx_t *d, int ci, int argc, const char **argv, const cJSON *req)
{
    bay_job_t j;
    char text[600];
    int bay = -1;
    int code = remote_confirm_ctl(d->rm, argc, argv, req, &j, &bay, text, sizeof text);
    if (j.kind == JOB_NONE) {
        client_reply(d, ci, code, text, NULL);
        return;
    }
    bay_t *target = find_bay(d, bay);
    j.id = ++d->next_job;
    if (!target || bay_submit(target, &j)) {
        remote_confirm_started(d->rm, bay, 0, false);
        snprintf(text, sizeof text,
                 j.lang == OBD_LANG_ZH ? "confirm：工位 %d 正忙于其他任务；提议仍在等待，请待其空闲后重试"
                                       : "confirm: bay %d is busy with another job; the proposal still waits: try again when it is idle",
                 bay);
        client_reply(d, ci, 5, text, NULL);
        return;
    }
    remote_confirm_started(d->rm, bay, j.id, true);
    d->clients[ci].waiting_job = j.id;
    dlog(LOG_LVL_INFO, "control: confirm on bay %d: %s", bay, text);
}

static void handle_request(dctx_t *d, int ci, cJSON *req)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(req, "argv");
    int argc = cJSON_GetArraySize(av);
    if (!cJSON_IsArray(av) || argc < 1 || argc > 64) {
        client_reply(d, ci, 2, "obdgwd: request needs argv", NULL);
        return;
    }
    const char *argv[65];
    for (int i = 0; i < argc; i++) {
        const cJSON *a = cJSON_GetArrayItem(av, i);
        if (!cJSON_IsString(a)) {
            client_reply(d, ci, 2, "obdgwd: argv must be strings", NULL);
            return;
        }
        argv[i] = a->valuestring;
    }
    argv[argc] = NULL;
    const char *cmd = argv[0];
    if (remote_ctl_command(cmd) && d->rm) {
        if (d->stopping && strcmp(cmd, "consent")) {
            client_reply(d, ci, 1, "obdgwd: stopping; no new jobs", NULL);
            return;
        }
        remote_ctl(d->rm, client_release(d, ci), req);
        return;
    }
    if (!strcmp(cmd, "confirm") && d->rm) {
        confirm_request(d, ci, argc, argv, req);
        return;
    }
    bay_job_t j;
    memset(&j, 0, sizeof j);
    j.mileage_km = -1;
    /* replies in the language of the CLI that asked (its --lang) */
    const cJSON *lg = cJSON_GetObjectItemCaseSensitive(req, "lang");
    j.lang = cJSON_IsString(lg) && obd_lang_parse(lg->valuestring) >= 0 ? (obd_lang_t)obd_lang_parse(lg->valuestring)
                                                                        : d->cfg.lang;
#define LQ(en, zh) (j.lang == OBD_LANG_ZH ? (zh) : (en))
    int bay = -1;
    bool yes = false, stage_given = false, uds = false, uds_opt = false;
    const char *ro = NULL;
    long count = 0, size = 64;
    outbox_prio_t prio = OUTBOX_PRIO_NORMAL;
    char why[200];
    bool ended = false; /* after "--": the RO, even one named like an option ("-o") */
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        bool has = i + 1 < argc;
        if (!ended && !strcmp(o, "--")) {
            ended = true;
        } else if (ended && !ro) {
            ro = o;
        } else if (ended) {
            snprintf(why, sizeof why, LQ("%s: unexpected argument '%s'", "%s：多余的参数 '%s'"), cmd, o);
            client_reply(d, ci, 2, why, NULL);
            return;
        } else if (!strcmp(o, "--bay") && has) {
            bay = atoi(argv[++i]);
        } else if (!strcmp(o, "--ro") && has) {
            ro = argv[++i];
        } else if (!strcmp(o, "--stage") && has) {
            if (store_stage_parse(argv[++i], &j.stage)) {
                snprintf(why, sizeof why, LQ("%s: unknown stage '%s' (pre, diag, self, post, qc, adhoc)",
                                             "%s：未知阶段 '%s'（pre、diag、self、post、qc、adhoc）"),
                         cmd, argv[i]);
                client_reply(d, ci, 2, why, NULL);
                return;
            }
            stage_given = true;
        } else if ((!strcmp(o, "--tech") || !strcmp(o, "--by") || !strcmp(o, "--sign")) && has) {
            snprintf(j.actor, sizeof j.actor, "%s", argv[++i]);
        } else if (!strcmp(o, "--reason") && has) {
            snprintf(j.reason, sizeof j.reason, "%s", argv[++i]);
        } else if (!strcmp(o, "--mileage") && has) {
            j.mileage_km = atof(argv[++i]);
        } else if (!strcmp(o, "--yes") || !strcmp(o, "-y")) {
            yes = true;
        } else if (!strcmp(o, "--force")) {
            j.force = true;
        } else if (!strcmp(o, "--uds")) {
            uds = true;
        } else if (!strcmp(o, "--no-range")) {
            j.no_range = true;
            uds_opt = true;
        } else if (!strcmp(o, "--snapshots")) {
            j.uds_snapshots = uds_opt = true;
        } else if (!strcmp(o, "--extdata")) {
            j.uds_extdata = uds_opt = true;
        } else if ((!strcmp(o, "--mask") || !strcmp(o, "--session") || !strcmp(o, "--29")) && has) {
            const char *v = argv[++i];
            int bad = !strcmp(o, "--mask")      ? uds_opt_mask(v, &j.uds_mask)
                      : !strcmp(o, "--session") ? uds_opt_session(v, &j.uds_session)
                                                : uds_opt_addr29(v, j.addr29, sizeof j.addr29, &j.naddr29);
            if (bad) {
                snprintf(why, sizeof why,
                         !strcmp(o, "--mask") ? LQ("%s: --mask '%s': expected a status mask in hex, 01..FF",
                                                   "%s：--mask '%s'：应为十六进制状态掩码 01..FF")
                         : !strcmp(o, "--session")
                             ? LQ("%s: --session '%s': expected extended, default or a hex session",
                                  "%s：--session '%s'：应为 extended、default 或十六进制会话")
                             : LQ("%s: --29 '%s': expected all or hex bytes XX,YY", "%s：--29 '%s'：应为 all 或十六进制字节 XX,YY"),
                         cmd, v);
                client_reply(d, ci, 2, why, NULL);
                return;
            }
            if (!strcmp(o, "--29"))
                j.range29 = true;
            uds_opt = true;
        } else if ((!strcmp(o, "--module") || !strcmp(o, "--pair")) && has) {
            char *end;
            unsigned long tx = strtoul(argv[++i], &end, 16), rx = 0;
            bool pair = !strcmp(o, "--pair");
            if (pair && *end == ':')
                rx = strtoul(end + 1, &end, 16);
            if (*end || !tx || tx > 0x1FFFFFFF || (pair && (!rx || rx > 0x1FFFFFFF)) ||
                (pair && j.npairs >= BAY_JOB_MAX_PAIRS)) {
                snprintf(why, sizeof why,
                         pair ? LQ("%s: %s '%s': expected TX:RX in hex (at most 32 pairs)",
                                   "%s：%s '%s'：应为十六进制 TX:RX（最多 32 对）")
                              : LQ("%s: %s '%s': expected a request id in hex", "%s：%s '%s'：应为十六进制请求 ID"),
                         cmd, o, argv[i]);
                client_reply(d, ci, 2, why, NULL);
                return;
            }
            if (pair) {
                j.pairs[j.npairs++] = (obd_target_t){ (uint32_t)tx, (uint32_t)rx };
                uds_opt = true;
            } else {
                j.module = (uint32_t)tx;
            }
        } else if (!strcmp(o, "--count") && has) {
            count = atol(argv[++i]);
        } else if (!strcmp(o, "--size") && has) {
            size = atol(argv[++i]);
        } else if (!strcmp(o, "--prio") && has) {
            prio = !strcmp(argv[++i], "low") ? OUTBOX_PRIO_LOW : OUTBOX_PRIO_NORMAL;
        } else if (o[0] != '-' && !ro) {
            ro = o;
        } else {
            snprintf(why, sizeof why, LQ("%s: unknown option '%s' for the daemon", "%s：服务不支持选项 '%s'"), cmd, o);
            client_reply(d, ci, 2, why, NULL);
            return;
        }
    }
    if (!strcmp(cmd, "status")) {
        char *t = status_text(d);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToObject(x, "status", status_json(d));
        client_reply(d, ci, 0, t, x);
        free(t);
        return;
    }
    if (!strcmp(cmd, "reload")) {
        reload_config(d);
        client_reply(d, ci, 0, "obdgwd: configuration reloaded (see the log for what changed)", NULL);
        return;
    }
    if (!strcmp(cmd, "inject")) {
        long refused = 0;
        if (count < 1 || count > 10000000 || size < 0 || size > 1 << 20) {
            client_reply(d, ci, 2, "inject: --count 1..10000000 [--size BYTES] [--ro RO] [--prio low|normal]", NULL);
            return;
        }
        int rc = inject(d, count, ro ? ro : "", prio, size, &refused);
        snprintf(why, sizeof why, "inject: %ld message(s) queued, %ld NOT queued%s%s", count - refused, refused,
                 rc ? ": " : " (outbox full)", rc ? store_errmsg(d->st) : "");
        pump(d);
        client_reply(d, ci, rc ? 1 : 0, why, NULL);
        return;
    }
    if (d->stopping) {
        client_reply(d, ci, 1, LQ("obdgwd: stopping; no new jobs", "obdgwd：正在停止；不再接受新任务"), NULL);
        return;
    }
    bay_t *target = NULL;
    bool uds_scan = !strcmp(cmd, "uds-scan");
    const char *misplaced =
        uds && strcmp(cmd, "clear") ? LQ("--uds goes with clear only", "--uds 只用于 clear")
        : j.module && !uds          ? LQ("--module goes with clear --uds only", "--module 只用于 clear --uds")
        : uds_opt && !uds_scan      ? LQ("--pair/--no-range/--29/--mask/--snapshots/--extdata/--session go with uds-scan only",
                                         "--pair/--no-range/--29/--mask/--snapshots/--extdata/--session 只用于 uds-scan")
                                    : NULL;
    if (misplaced) {
        snprintf(why, sizeof why, "%s: %s", cmd, misplaced);
        client_reply(d, ci, 2, why, NULL);
        return;
    }
    if (!strcmp(cmd, "scan") || uds_scan || !strcmp(cmd, "clear")) {
        target = find_bay(d, bay);
        if (!target) {
            snprintf(why, sizeof why,
                     LQ("%s: no bay %d on this gateway (obdgw status lists them)", "%s：本网关没有工位 %d（obdgw status 可列出工位）"),
                     cmd, bay);
            client_reply(d, ci, 3, why, NULL);
            return;
        }
        if (!strcmp(cmd, "scan") || uds_scan) {
            j.kind = uds_scan ? JOB_UDS_SCAN : JOB_SCAN;
            if (ro && !stage_given)
                j.stage = STORE_STAGE_DIAGNOSTIC;
            else if (!stage_given)
                j.stage = STORE_STAGE_ADHOC;
        } else {
            if (!ro) {
                client_reply(d, ci, 2,
                             LQ("clear: give --ro RO: clearing is only done on an open repair order",
                                "clear：请用 --ro 指定工单：只能在进行中的工单上清码"),
                             NULL);
                return;
            }
            if (!yes) {
                client_reply(d, ci, 2,
                             LQ("clear: clearing destroys evidence; through the daemon confirm with --yes "
                                "(the pre-clear scan is saved first)",
                                "clear：清码会清除证据；经由服务执行请用 --yes 确认（会先保存清码前扫描）"),
                             NULL);
                return;
            }
            j.kind = uds ? JOB_UDS_CLEAR : JOB_CLEAR;
        }
    } else if (!strcmp(cmd, "qc")) {
        if (!ro) {
            client_reply(d, ci, 2, LQ("qc: give the RO number", "qc：请给出工单号"), NULL);
            return;
        }
        j.kind = JOB_QC;
        target = d->office;
    } else {
        snprintf(why, sizeof why, "obdgwd: '%s' is not a daemon command (status, scan, uds-scan, clear, qc, reload, inject)", cmd);
        client_reply(d, ci, 2, why, NULL);
        return;
    }
    if (ro)
        snprintf(j.ro, sizeof j.ro, "%s", ro);
    if (!j.actor[0] && j.kind != JOB_QC)
        snprintf(j.actor, sizeof j.actor, "bay %d", bay);
    j.id = ++d->next_job;
    if (bay_submit(target, &j)) {
        snprintf(why, sizeof why,
                 LQ("%s: bay %d is busy with another job; try again when it is idle", "%s：工位 %d 正忙于其他任务；请待其空闲后重试"),
                 cmd, bay);
        client_reply(d, ci, 5, why, NULL);
        return;
    }
    d->clients[ci].waiting_job = j.id;
    dlog(LOG_LVL_INFO, "control: %s on %s%d%s%s", cmd, target == d->office ? "office " : "bay ",
         target == d->office ? 0 : bay, ro ? " for RO " : "", ro ? ro : "");
}

#undef LQ

static void on_client(dctx_t *d, int i)
{
    client_t *c = &d->clients[i];
    for (;;) {
        if (c->len + 1 >= CLIENT_BUF) {
            client_reply(d, i, 2, "obdgwd: request too large", NULL);
            return;
        }
        ssize_t n = read(c->fd, c->buf + c->len, CLIENT_BUF - 1 - c->len);
        if (n > 0) {
            c->len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EAGAIN)
            break;
        /* EOF or error: a waiting client that went away leaves its job running */
        if (!c->waiting_job || n <= 0) {
            if (c->waiting_job)
                dlog(LOG_LVL_INFO, "control: client left; its job continues");
            client_close(d, i);
            return;
        }
    }
    c->buf[c->len] = 0;
    char *nl = memchr(c->buf, '\n', c->len);
    if (!nl || c->waiting_job)
        return;
    *nl = 0;
    cJSON *req = cJSON_Parse(c->buf);
    if (!req) {
        client_reply(d, i, 2, "obdgwd: request is not JSON", NULL);
        return;
    }
    handle_request(d, i, req);
    cJSON_Delete(req);
}

static void on_listen(dctx_t *d)
{
    for (;;) {
        int fd = ctl_accept(d->lfd);
        if (fd < 0)
            return;
        int slot = -1;
        for (int i = 0; i < MAX_CLIENTS; i++)
            if (d->clients[i].fd < 0) {
                slot = i;
                break;
            }
        if (slot < 0) {
            const char *m = "{\"exit\":1,\"text\":\"obdgwd: too many control clients\"}\n";
            ssize_t w = write(fd, m, strlen(m));
            (void)w;
            close(fd);
            continue;
        }
        d->clients[slot].fd = fd;
        d->clients[slot].buf = malloc(CLIENT_BUF);
        d->clients[slot].len = 0;
        d->clients[slot].waiting_job = 0;
        if (!d->clients[slot].buf) {
            client_close(d, slot);
            continue;
        }
        ep_add(d, fd, EV_CLIENT0 + (uint64_t)slot);
    }
}

/* ---------------- bay results ---------------- */

static void on_results(dctx_t *d)
{
    bay_result_t *r;
    while (read(d->res[0], &r, sizeof r) == (ssize_t)sizeof r) {
        /* The worker queued the DMS messages in the transaction that
         * committed their evidence; here only what it could not queue. */
        if (r->nrefused) {
            d->refused += r->nrefused;
            dlog(LOG_LVL_ERR, "bay %d: %zu DMS message(s) NOT queued (the evidence is saved), %zu kept pending%s%s: %s",
                 r->bay, r->nrefused, r->npending, r->pending_why[0] ? ", the rest lost: " : "", r->pending_why,
                 r->refused_why);
            char *t = NULL, more[400] = "";
            bool zh = r->lang == OBD_LANG_ZH;
            if (r->npending < r->nrefused)
                snprintf(more, sizeof more,
                         zh ? "；%zu 条未能保留待发（%s）" : "; %zu NOT kept pending (%s)", r->nrefused - r->npending,
                         r->pending_why[0] ? r->pending_why : "?");
            if (asprintf(&t,
                         zh ? "%s\n警告：证据已保存，但未通知 DMS：%zu 条消息被拒绝（%s）；%zu 条保留待发，发件箱有空间时自动发送"
                              "（obdgw dms pending）%s"
                            : "%s\nWARNING: saved, but the DMS was NOT told: %zu message(s) refused (%s); %zu kept pending,"
                              " sent when the outbox has room (obdgw dms pending)%s",
                         r->text ? r->text : "", r->nrefused, r->refused_why, r->npending, more) >= 0) {
                free(r->text);
                r->text = t;
            }
            /* exit code 6 (docs/cli.md): the command did its work, the DMS does not know */
            if (r->exit_code == 0)
                r->exit_code = BAY_XC_DMS_NOT_TOLD;
            d->pending_check_ms = 0; /* look at the pending list at the next tick */
        }
        if (r->nqueued)
            d->pump_dirty = true;
        dlog(r->rc ? LOG_LVL_WARN : LOG_LVL_INFO, "%s job %llu done: exit %d, %zu DMS message(s)%s%s",
             r->bay ? "bay" : "office", (unsigned long long)r->job_id, r->exit_code, r->nmsgs,
             r->rc ? ": " : "", r->rc ? obd_strerror(r->rc) : "");
        if (d->rm)
            remote_job_result(d->rm, r->job_id, r->exit_code, r->text);
        for (int i = 0; i < MAX_CLIENTS; i++)
            if (d->clients[i].fd >= 0 && d->clients[i].waiting_job == r->job_id) {
                cJSON *x = cJSON_CreateObject();
                if (r->json) {
                    cJSON_AddItemToObject(x, "result", r->json);
                    r->json = NULL;
                }
                client_reply(d, i, r->exit_code, r->text, x);
                break;
            }
        bay_result_free(r);
    }
}

/* ---------------- config, timers, signals ---------------- */

static bool any_busy(dctx_t *d)
{
    for (size_t i = 0; i < d->nbays; i++)
        if (bay_busy(d->bays[i]))
            return true;
    return d->office && bay_busy(d->office);
}

/* ---------------- USB hot-plug (usbhot.c) ---------------- */

/* libusb told usbhot.c about a device (on the loop thread). */
static void on_usb(void *ctx, const usb_adapter_t *a, int what)
{
    dctx_t *d = ctx;
    if (what == USBHOT_UNKNOWN || what == USBHOT_SEEN || what == USBHOT_GONE) {
        dlog(LOG_LVL_INFO, "usb %s: %04x:%04x %s%s%s", what == USBHOT_GONE ? "gone" : "plugged in", a->vid, a->pid,
             a->port, what == USBHOT_UNKNOWN ? " (not a recognised adapter: listed, never used)" : "",
             what == USBHOT_SEEN && !usbhot_match(&d->cfg, a) ? " (no bay is bound to it: not used)" : "");
        return;
    }
    int id = usbhot_match(&d->cfg, a);
    size_t i = 0;
    while (i < d->nbays && bay_id(d->bays[i]) != id)
        i++;
    if (!id || i >= d->nbays)
        return;
    if (what == USBHOT_ARRIVED) {
        bay_set_present(d->bays[i], a->tty);
        dlog(LOG_LVL_INFO, "bay %d: adapter arrived at usb %s (%s%s%s) as %s", id, a->port, a->chip,
             a->serial[0] ? ", serial " : "", a->serial, a->tty);
        publish_bay_event(d, i, "adapter_arrived", a);
        const dcfg_bay_t *c = NULL;
        for (size_t k = 0; k < d->cfg.nbays; k++)
            if (d->cfg.bays[k].id == id)
                c = &d->cfg.bays[k];
        if (c && c->on_plug_scan) {
            /* on_plug = scan: a reception scan, attached to the RO open for this VIN */
            bay_job_t j = { .kind = JOB_SCAN, .id = ++d->next_job, .stage = STORE_STAGE_RECEPTION,
                            .lang = d->cfg.lang };
            snprintf(j.actor, sizeof j.actor, "obdgwd:on_plug");
            if (bay_submit(d->bays[i], &j))
                dlog(LOG_LVL_WARN, "bay %d: on_plug scan not started: the bay is busy", id);
            else
                dlog(LOG_LVL_INFO, "bay %d: on_plug scan started (job %llu)", id, (unsigned long long)j.id);
        }
    } else if (what == USBHOT_LEFT) {
        bool busy = bay_busy(d->bays[i]);
        bay_set_present(d->bays[i], NULL);
        dlog(LOG_LVL_WARN, "bay %d: adapter unplugged from usb %s%s", id, a->port,
             busy ? ": the running job ends (adapter unplugged)" : "");
        publish_bay_event(d, i, "adapter_departed", a);
    }
}

static void start_usb(dctx_t *d)
{
    bool any = false;
    for (size_t i = 0; i < d->cfg.nbays; i++) {
        char idt[160];
        usbhot_ident(&d->cfg.bays[i], idt, sizeof idt);
        bay_t *b = find_bay(d, d->cfg.bays[i].id);
        if (idt[0] && b) {
            bay_set_usb(b, idt);
            any = true;
        }
    }
    if (!any || d->usb)
        return;
    char err[200] = "";
    d->usb = usbhot_new(d->ep, EV_USB, &d->cfg.usb_ids, on_usb, d, err, sizeof err);
    if (!d->usb)
        dlog(LOG_LVL_ERR, "usb: %s: the USB-bound bays stay 'no adapter'", err);
    else if (err[0])
        dlog(LOG_LVL_WARN, "usb: %s", err);
    else
        dlog(LOG_LVL_INFO, "usb: watching for adapters (libusb hot-plug)");
}

static int start_bays(dctx_t *d)
{
    for (size_t i = 0; i < d->cfg.nbays; i++) {
        const dcfg_bay_t *c = &d->cfg.bays[i];
        d->bays[d->nbays] = bay_start(c->id, c->adapter, c->protocol, d->cfg.store, d->cfg.site, d->cfg.lang, d->res[1]);
        if (!d->bays[d->nbays])
            return -1;
        d->bay_last_state[d->nbays][0] = 0;
        d->nbays++;
    }
    d->office = bay_start(0, d->cfg.reports, 0, d->cfg.store, d->cfg.site, d->cfg.lang, d->res[1]);
    return d->office ? 0 : -1;
}

static void reload_config(dctx_t *d)
{
    dcfg_t *n = malloc(sizeof *n);
    char err[512];
    if (!n)
        return;
    sd_notify(0, "RELOADING=1");
    if (dcfg_load(d->config_path, n, err, sizeof err)) {
        dlog(LOG_LVL_ERR, "reload refused, the running configuration stays: %s", err);
        free(n);
        sd_notify(0, "READY=1");
        return;
    }
    if (strcmp(n->site, d->cfg.site) || strcmp(n->store, d->cfg.store) || strcmp(n->socket, d->cfg.socket))
        dlog(LOG_LVL_WARN, "reload: site, store and socket changes take effect after a restart");
    snprintf(n->site, sizeof n->site, "%s", d->cfg.site);
    snprintf(n->store, sizeof n->store, "%s", d->cfg.store);
    snprintf(n->socket, sizeof n->socket, "%s", d->cfg.socket);
    /* bays: rebind kept ones, start new ones, stop removed idle ones */
    for (size_t i = 0; i < n->nbays; i++) {
        bay_t *b = find_bay(d, n->bays[i].id);
        if (b) {
            char cur[256];
            bool usb = n->bays[i].usb_port[0] || n->bays[i].usb_serial[0];
            bay_rebind(b, usb ? bay_adapter(b, cur, sizeof cur) : n->bays[i].adapter, n->bays[i].protocol);
        } else if (d->nbays < DCFG_MAX_BAYS) {
            b = bay_start(n->bays[i].id, n->bays[i].adapter, n->bays[i].protocol, d->cfg.store, d->cfg.site, n->lang,
                          d->res[1]);
            if (b) {
                d->bay_last_state[d->nbays][0] = 0;
                d->bays[d->nbays++] = b;
                dlog(LOG_LVL_INFO, "reload: bay %d added", n->bays[i].id);
            }
        }
    }
    for (size_t i = 0; i < d->nbays;) {
        bool keep = false;
        for (size_t k = 0; k < n->nbays; k++)
            keep |= n->bays[k].id == bay_id(d->bays[i]);
        if (keep || bay_busy(d->bays[i])) {
            if (!keep)
                dlog(LOG_LVL_WARN, "reload: bay %d is busy; it is removed at the next reload", bay_id(d->bays[i]));
            i++;
            continue;
        }
        dlog(LOG_LVL_INFO, "reload: bay %d removed", bay_id(d->bays[i]));
        bay_stop(d->bays[i]);
        memmove(&d->bays[i], &d->bays[i + 1], (d->nbays - i - 1) * sizeof d->bays[0]);
        memmove(&d->bay_last_state[i], &d->bay_last_state[i + 1], (d->nbays - i - 1) * sizeof d->bay_last_state[0]);
        d->nbays--;
    }
    bool broker_changed = strcmp(n->broker, d->cfg.broker) || strcmp(n->ca, d->cfg.ca) ||
                          strcmp(n->cert, d->cfg.cert) || strcmp(n->key, d->cfg.key) ||
                          strcmp(n->username, d->cfg.username) || strcmp(n->password, d->cfg.password) ||
                          strcmp(n->client_id, d->cfg.client_id) || n->mqtt_version != d->cfg.mqtt_version ||
                          n->keepalive_s != d->cfg.keepalive_s;
    d->cfg = *n; /* the swap: everything below reads the new values */
    free(n);
    outbox_limits_t lim = limits(d);
    bay_set_outbox_limits(&lim);
    dlog_setup(d->cfg.log_level, d->cfg.log_syslog);
    if (broker_changed) {
        dlog(LOG_LVL_INFO, "reload: broker settings changed: reconnecting");
        mqtt_end(d, 2000);
        mqtt_begin(d);
    }
    start_usb(d); /* new USB-bound bays (a changed binding applies at the next plug-in) */
    dlog(LOG_LVL_INFO, "configuration reloaded from %s (%zu bays)", d->config_path, d->nbays);
    sd_notify(0, "READY=1");
}

static void on_signal(dctx_t *d)
{
    struct signalfd_siginfo si;
    while (read(d->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGHUP) {
            d->reload = true;
        } else if (!d->stopping) {
            dlog(LOG_LVL_INFO, "%s: stopping (finishing bay jobs, flushing the outbox)",
                 si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
            sd_notify(0, "STOPPING=1");
            d->stopping = true;
            d->stop_deadline_ms = mono_ms() + 60000;
            remote_stop_all(d->rm);
            if (d->lfd >= 0) {
                epoll_ctl(d->ep, EPOLL_CTL_DEL, d->lfd, NULL);
                close(d->lfd);
                d->lfd = -1;
                unlink(d->cfg.socket);
            }
        } else {
            dlog(LOG_LVL_WARN, "second stop signal: stopping now (the outbox keeps what was not sent)");
            d->stop_deadline_ms = 0;
        }
    }
}

static void on_timer(dctx_t *d)
{
    uint64_t x;
    ssize_t r = read(d->tfd, &x, sizeof x);
    (void)r;
    int64_t now = mono_ms();
    if (d->mq)
        mqtt_tick(d->mq, now);
    if (d->rm)
        remote_tick(d->rm);
    usbhot_tick(d->usb);
    for (size_t i = 0; i < d->nbays; i++)
        publish_bay_status(d, i, false);
    if (now >= d->next_health_ms) {
        d->next_health_ms = now + (int64_t)d->cfg.health_interval_s * 1000;
        enqueue_health(d);
    }
    if (now >= d->pending_check_ms) { /* refused announcements, queued once there is room */
        d->pending_check_ms = now + 1000;
        int64_t left = 0;
        outbox_limits_t lim = limits(d);
        if (dms_pending_pass(d->st, &lim, 64, &left))
            d->pending_check_ms = now; /* more at the next tick */
    }
    if (d->watchdog_usec && now >= d->next_watchdog_ms) {
        sd_notify(0, "WATCHDOG=1");
        d->next_watchdog_ms = now + (int64_t)(d->watchdog_usec / 2000);
    }
    if (d->cfg.retention_days && now >= d->next_purge_ms) {
        d->next_purge_ms = now + 24LL * 3600 * 1000;
        int64_t removed = 0;
        if (store_purge(d->st, d->cfg.retention_days, d->cfg.retention_days, &removed))
            dlog(LOG_LVL_WARN, "retention: %s", store_errmsg(d->st));
        else if (removed)
            dlog(LOG_LVL_INFO, "retention: %lld scan(s) older than %d days removed", (long long)removed,
                 d->cfg.retention_days);
    }
    d->pump_dirty = true;
}

static bool stop_done(dctx_t *d)
{
    if (!d->stopping)
        return false;
    if (mono_ms() >= d->stop_deadline_ms)
        return true;
    if (any_busy(d))
        return false;
    /* jobs are done: give the outbox a few seconds to drain while connected */
    if (d->stop_deadline_ms > mono_ms() + 5000)
        d->stop_deadline_ms = mono_ms() + 5000;
    if (!d->mq || !mqtt_connected(d->mq))
        return true;
    outbox_stats_t os;
    return outbox_stats(d->st, &os) == OBD_OK && os.messages == 0 && d->nacks == 0;
}

/* A live recording cut short (kill -9 of obdgwd or of an obdgw): closed at start. */
static void rec_interrupted(void *ctx, const store_recording_t *r, const char *ro, const char *why)
{
    (void)ctx;
    dlog(LOG_LVL_WARN, "store: recording #%lld%s%s was interrupted (%s): closed at its last sample (%lld samples)",
         (long long)r->id, ro && *ro ? " of RO " : "", ro ? ro : "", why, (long long)r->samples);
}

int daemon_run(const char *config_path, const dcfg_t *cfg)
{
    dctx_t *d = calloc(1, sizeof *d);
    if (!d)
        return 1;
    d->cfg = *cfg;
    snprintf(d->config_path, sizeof d->config_path, "%s", config_path);
    d->lfd = d->sfd = d->tfd = -1;
    d->res[0] = d->res[1] = -1;
    for (int i = 0; i < MAX_CLIENTS; i++)
        d->clients[i].fd = -1;
    d->started_ms = mono_ms();
    int ret = 1;
    char err[512];

    if (store_open(d->cfg.store, &d->st, err, sizeof err)) {
        dlog(LOG_LVL_ERR, "store: %s", err);
        goto out;
    }
    /* A damaged store is not written into (new scans would go into the
     * damaged tree): refuse to start and say how to recover. */
    if (store_quick_check(d->st)) {
        dlog(LOG_LVL_ERR, "store %s: %s: refusing to start. Restore the last backup of the store file "
                          "or move the file aside to start with an empty store",
             d->cfg.store, store_errmsg(d->st));
        goto out;
    }
    int nint = store_rec_close_interrupted(d->st, "obdgwd", rec_interrupted, NULL);
    if (nint < 0)
        dlog(LOG_LVL_WARN, "store: an interrupted recording could not be closed: %s", store_errmsg(d->st));
    if (store_is_readonly(d->st))
        dlog(LOG_LVL_ERR, "store %s is READ-ONLY: no scan, work order, consent or audit entry can be saved "
                          "(consent and remote support are refused)",
             d->cfg.store);
    /* The loop's connection walks the outbox (peek, then delete what was
     * acknowledged: a small working set); a 2 MB cache only held pages of
     * messages long gone. */
    store_set_cache_kb(d->st, 512);
    pthread_mutex_init(&d->jmu, NULL);
    if (store_open(d->cfg.store, &d->jst, err, sizeof err)) {
        dlog(LOG_LVL_ERR, "store (inbound journal): %s", err);
        goto out;
    }
    store_set_cache_kb(d->jst, 256);
    outbox_stats_t os;
    if (outbox_stats(d->st, &os) == OBD_OK && os.messages)
        dlog(LOG_LVL_INFO, "outbox: %lld message(s) from before the restart waiting for the broker",
             (long long)os.messages);
    sigset_t ss;
    sigemptyset(&ss);
    sigaddset(&ss, SIGTERM);
    sigaddset(&ss, SIGINT);
    sigaddset(&ss, SIGHUP);
    sigprocmask(SIG_BLOCK, &ss, NULL); /* before any thread starts: they inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    d->ep = epoll_create1(EPOLL_CLOEXEC);
    d->sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);
    d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    struct itimerspec it = { { 0, 250000000 }, { 0, 250000000 } };
    if (d->ep < 0 || d->sfd < 0 || d->tfd < 0 || timerfd_settime(d->tfd, 0, &it, NULL) < 0 ||
        pipe2(d->res, O_NONBLOCK | O_CLOEXEC) < 0) {
        dlog(LOG_LVL_ERR, "event loop setup: %s", strerror(errno));
        goto out;
    }
    ep_add(d, d->sfd, EV_SIGNAL);
    ep_add(d, d->tfd, EV_TIMER);
    ep_add(d, d->res[0], EV_RESULT);
    if ((d->lfd = ctl_listen(d->cfg.socket, d->cfg.socket_mode, err, sizeof err)) < 0) {
        dlog(LOG_LVL_ERR, "%s", err);
        goto out;
    }
    ep_add(d, d->lfd, EV_LISTEN);
    outbox_limits_t lim = limits(d);
    bay_set_outbox_limits(&lim);
    if (start_bays(d)) {
        dlog(LOG_LVL_ERR, "cannot start bay workers");
        goto out;
    }
    replay_journal(d);
    if (mqtt_begin(d))
        goto out;
    start_usb(d);
    remote_env_t renv = { .ep = d->ep, .cfg = &d->cfg, .st = d->st, .mq = &d->mq, .find_bay = remote_find_bay,
                          .status_json = remote_status, .ctx = d };
    if (!(d->rm = remote_new(&renv)))
        goto out;
    if (sd_watchdog_enabled(0, &d->watchdog_usec) <= 0)
        d->watchdog_usec = 0;
    d->next_health_ms = mono_ms() + 2000;
    sd_notify(0, "READY=1");
    dlog(LOG_LVL_INFO, "obdgwd ready: site %s, %zu bay(s), store %s, control %s, broker %s", d->cfg.site, d->nbays,
         d->cfg.store, d->cfg.socket, d->cfg.broker[0] ? d->cfg.broker : "(none)");

    while (!stop_done(d)) {
        struct epoll_event ev[64];
        int n = epoll_wait(d->ep, ev, 64, d->nacks ? ACK_DELAY_MS : 250);
        if (n < 0 && errno != EINTR) {
            dlog(LOG_LVL_ERR, "epoll: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < n; i++) {
            uint64_t t = ev[i].data.u64;
            if (t == EV_SIGNAL)
                on_signal(d);
            else if (t == EV_TIMER)
                on_timer(d);
            else if (t == EV_RESULT)
                on_results(d);
            else if (t == EV_MQTT && d->mq)
                on_mqtt(d);
            else if (t == EV_LISTEN && d->lfd >= 0)
                on_listen(d);
            else if (t == EV_USB)
                usbhot_on_event(d->usb);
            else if (t >= EV_CLIENT0 && t < EV_CLIENT0 + MAX_CLIENTS && d->clients[t - EV_CLIENT0].fd >= 0)
                on_client(d, (int)(t - EV_CLIENT0));
            else if (t >= EV_REMOTE0 && d->rm)
                remote_on_event(d->rm, t);
        }
        if (d->reload) {
            d->reload = false;
            reload_config(d);
        }
        /* before sleeping: acks to disk, then more messages out */
        if (d->pump_dirty || d->nacks) {
            d->pump_dirty = false;
            pump(d);
        }
    }
    flush_acks(d);
    ret = 0;
out:
    usbhot_free(d->usb);
    for (size_t i = 0; i < d->nbays; i++)
        bay_stop(d->bays[i]);
    bay_stop(d->office);
    remote_free(d->rm); /* after the bays: their remote jobs have ended */
    /* results of jobs that finished while stopping are still in the pipe */
    if (d->res[0] >= 0 && d->st)
        on_results(d);
    mqtt_end(d, 3000);
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (d->clients[i].fd >= 0)
            client_close(d, i);
    if (d->lfd >= 0) {
        close(d->lfd);
        unlink(d->cfg.socket);
    }
    if (d->st) {
        outbox_stats_t fin;
        if (outbox_stats(d->st, &fin) == OBD_OK)
            dlog(LOG_LVL_INFO, "stopped: %lld message(s) left in the outbox for the next start", (long long)fin.messages);
    }
    store_close(d->st);
    store_close(d->jst); /* after mqtt_end: Paho's threads are gone */
    int fds[] = { d->sfd, d->tfd, d->res[0], d->res[1], d->ep };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(d->ro_inflight);
    free(d);
    return ret;
}
