/*
 * mqtt.c — the MQTT link on Paho's asynchronous client. Everything Paho
 * reports on its threads is turned into events on a locked queue and
 * signalled through an eventfd; see include/obdgw/mqtt.h for the contract.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <MQTTAsync.h>

#include "obdgw/mqtt.h"

#define MQTT_MAX_SUBS 32
#define MQTT_MAX_TOPIC 256

typedef struct {
    char *filter;
    int qos;
} sub_t;

/* What Paho's connection callbacks get as their context: the link and the
 * epoch of the Paho client they belong to. Every (re)connect uses a fresh
 * client, and a callback from an earlier one is ignored. The slots live in
 * the link itself (never freed while it runs), so a late callback from a
 * destroyed client still reads valid memory. */
#define MQTT_CTX_SLOTS 8
typedef struct {
    struct mqtt *m;
    atomic_uint epoch;
} client_ctx_t;

struct mqtt {
    MQTTAsync client;
    /* owned copies of the configuration */
    char *url, *client_id, *username, *password, *ca, *cert, *key, *status_topic, *online, *offline;
    bool ephemeral; /* clean session, status/Will not retained */
    int keepalive, inflight_max, min_retry, max_retry;
    size_t max_inbound;
    int (*journal)(void *ctx, const mqtt_event_t *msg, int64_t *jid);
    void *journal_ctx;
    bool allow_fallback;
    int try_version; /* MQTTVERSION_5 or MQTTVERSION_3_1_1 */

    int efd;
    pthread_mutex_t mu;
    mqtt_event_t *head, *tail;

    atomic_bool connected;
    atomic_uint gen;
    atomic_int version;
    atomic_int receive_max; /* the broker's Receive Maximum from CONNACK (MQTT 5), 0 = none said */
    atomic_int connect_failed; /* 0, 1 retry, 2 retry with 3.1.1 */
    atomic_uint epoch;         /* of the current Paho client */
    client_ctx_t cctx[MQTT_CTX_SLOTS];
    bool ever_connected;
    int backoff_s;
    int64_t next_retry_ms;

    sub_t subs[MQTT_MAX_SUBS];
    size_t nsubs;

    MQTTAsync_SSLOptions ssl;
    MQTTAsync_willOptions will;
    MQTTProperties connect_props;
};

typedef struct {
    mqtt_t *m;
    uint64_t tag;
    unsigned gen;
} pub_ctx_t;

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the event queue (any thread) ---- */

static void push(mqtt_t *m, mqtt_event_t *e)
{
    e->next = NULL;
    pthread_mutex_lock(&m->mu);
    bool was_empty = !m->head;
    if (m->tail)
        m->tail->next = e;
    else
        m->head = e;
    m->tail = e;
    pthread_mutex_unlock(&m->mu);
    /* Signal only the empty -> non-empty transition: a burst of PUBACKs
     * wakes the loop once, not once per acknowledgement. Safe because
     * mqtt_take_events() clears the fd before it takes the whole queue, so
     * anything queued after the take finds the queue empty and signals. */
    if (!was_empty)
        return;
    uint64_t one = 1;
    ssize_t w = write(m->efd, &one, sizeof one);
    (void)w; /* a full counter still leaves the fd readable */
}

static mqtt_event_t *ev_new(mqtt_ev_kind_t k)
{
    mqtt_event_t *e = calloc(1, sizeof *e);
    if (e)
        e->kind = k;
    return e;
}

void mqtt_event_free(mqtt_event_t *e)
{
    if (!e)
        return;
    free(e->topic);
    free(e->payload);
    free(e->response_topic);
    free(e->corr);
    free(e);
}

/* ---- Paho callbacks (Paho's threads) ---- */

/* Ask mqtt_tick for a reconnect (1) or one in MQTT 3.1.1 (2). A plain
 * request never replaces a pending 3.1.1 one: Paho can report a lost
 * connection and a failed connect for the same event. */
static void retry_later(mqtt_t *m, int how)
{
    int none = 0;
    if (how == 2)
        atomic_store(&m->connect_failed, 2);
    else
        atomic_compare_exchange_strong(&m->connect_failed, &none, how);
}

/* The link a connection callback belongs to, or NULL when it comes from a
 * client that has since been replaced. */
static mqtt_t *current(void *ctx)
{
    client_ctx_t *c = ctx;
    return atomic_load(&c->epoch) == atomic_load(&c->m->epoch) ? c->m : NULL;
}

static void cb_connected(void *ctx, char *cause)
{
    (void)cause;
    mqtt_t *m = current(ctx);
    if (!m)
        return;
    unsigned g = atomic_fetch_add(&m->gen, 1) + 1;
    atomic_store(&m->connected, true);
    atomic_store(&m->version, m->try_version == MQTTVERSION_5 ? 5 : 4);
    mqtt_event_t *e = ev_new(MQTT_EV_CONNECTED);
    if (e) {
        e->gen = g;
        e->qos = atomic_load(&m->version);
        push(m, e);
    }
}

/* MQTT 5 CONNACK: the broker's Receive Maximum (how many QoS 1/2 messages
 * it takes unacknowledged from us; mosquitto announces its
 * max_inflight_messages here). Exceeding it is a protocol error the broker
 * answers by dropping the connection. */
static void cb_connect_ok5(void *ctx, MQTTAsync_successData5 *r)
{
    mqtt_t *m = current(ctx);
    if (!m || !r)
        return;
    int v = MQTTProperties_hasProperty(&r->properties, MQTTPROPERTY_CODE_RECEIVE_MAXIMUM)
                ? MQTTProperties_getNumericValue(&r->properties, MQTTPROPERTY_CODE_RECEIVE_MAXIMUM)
                : 0;
    atomic_store(&m->receive_max, v > 0 ? v : 0);
}

static void cb_lost(void *ctx, char *cause)
{
    mqtt_t *m = current(ctx);
    if (!m)
        return;
    atomic_store(&m->connected, false);
    retry_later(m, 1);
    mqtt_event_t *e = ev_new(MQTT_EV_DISCONNECTED);
    if (e) {
        e->gen = atomic_load(&m->gen);
        snprintf(e->reason, sizeof e->reason, "%s", cause ? cause : "connection lost");
        push(m, e);
    }
}

static void connect_failed(void *ctx, int code, int reason_code, const char *msg)
{
    mqtt_t *m = current(ctx);
    if (!m)
        return;
    /* A broker that does not speak MQTT 5 refuses the CONNECT: retry in 3.1.1.
     * Paho reports the CONNACK's 0x84 "unsupported protocol version" as the
     * failure code (reasonCode stays 0); 1 is 3.1.1's "unacceptable protocol
     * version". Seen against a 3.1.1-only front in tests/daemon/remote_test.sh. */
    bool v5_refused = m->try_version == MQTTVERSION_5 && m->allow_fallback &&
                      (reason_code == 0x84 || code == 0x84 || code == 1);
    mqtt_event_t *e = ev_new(MQTT_EV_DISCONNECTED);
    if (e) {
        e->gen = atomic_load(&m->gen);
        snprintf(e->reason, sizeof e->reason, "connect failed: %s (code %d%s)", msg ? msg : MQTTAsync_strerror(code),
                 code, v5_refused ? ", retrying with MQTT 3.1.1" : "");
        push(m, e);
    }
    retry_later(m, v5_refused ? 2 : 1);
}

static void cb_connect_fail5(void *ctx, MQTTAsync_failureData5 *r)
{
    connect_failed(ctx, r ? r->code : -1, r ? r->reasonCode : 0, r ? r->message : NULL);
}

static void cb_connect_fail3(void *ctx, MQTTAsync_failureData *r)
{
    connect_failed(ctx, r ? r->code : -1, 0, r ? r->message : NULL);
}

static void pub_done(pub_ctx_t *c, bool ok, const char *why)
{
    mqtt_event_t *e = ev_new(ok ? MQTT_EV_ACK : MQTT_EV_NACK);
    if (e) {
        e->tag = c->tag;
        e->gen = c->gen;
        if (why)
            snprintf(e->reason, sizeof e->reason, "%s", why);
        push(c->m, e);
    }
    free(c);
}

static void cb_pub_ok5(void *ctx, MQTTAsync_successData5 *r)
{
    (void)r;
    pub_done(ctx, true, NULL);
}
static void cb_pub_fail5(void *ctx, MQTTAsync_failureData5 *r) { pub_done(ctx, false, r ? r->message : NULL); }
static void cb_pub_ok3(void *ctx, MQTTAsync_successData *r)
{
    (void)r;
    pub_done(ctx, true, NULL);
}
static void cb_pub_fail3(void *ctx, MQTTAsync_failureData *r) { pub_done(ctx, false, r ? r->message : NULL); }

static unsigned char *dup_bytes(const void *p, size_t n)
{
    unsigned char *d = malloc(n + 1); /* +1: payloads are often read as text */
    if (d) {
        if (n)
            memcpy(d, p, n);
        d[n] = 0;
    }
    return d;
}

/*
 * Inbound messages. What Paho 1.3.12 does (MQTTProtocolClient.c,
 * MQTTProtocol_handlePublishes, and MQTTAsync's receive thread): a QoS 1
 * PUBLISH is answered with PUBACK as soon as it is read ("send puback
 * before processing the publications"), then queued in memory; the receive
 * thread calls messageArrived for the head of that queue once per loop
 * turn, and a 0 from the callback only leaves the message on the in-memory
 * queue to be offered again - the broker is not asked to redeliver. So the
 * PUBACK cannot wait for SQLite. What this callback does instead: commit
 * the message to the inbound journal before it returns. The receive thread
 * reads the next PUBLISH only after that, so at most the one message being
 * written at the instant of a crash has been acknowledged without being
 * on disk (tests/daemon/inbox_test.sh: kill -9 during a 5,000 burst).
 */
static int cb_message(void *ctx, char *topic, int topic_len, MQTTAsync_message *msg)
{
    mqtt_t *m = ((client_ctx_t *)ctx)->m; /* from any client: the broker sent it */
    size_t tl = topic_len > 0 ? (size_t)topic_len : strlen(topic);
    size_t pl = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
    mqtt_event_t *e = NULL;
    if (tl > MQTT_MAX_TOPIC || pl > m->max_inbound) {
        e = ev_new(MQTT_EV_REJECTED);
        if (e) {
            e->topic = (char *)dup_bytes(topic, tl > MQTT_MAX_TOPIC ? MQTT_MAX_TOPIC : tl);
            e->len = pl;
            if (tl > MQTT_MAX_TOPIC)
                snprintf(e->reason, sizeof e->reason, "topic longer than %d bytes", MQTT_MAX_TOPIC);
            else
                snprintf(e->reason, sizeof e->reason, "payload of %zu bytes above the %zu-byte limit", pl,
                         m->max_inbound);
        }
    } else {
        e = ev_new(MQTT_EV_MESSAGE);
        if (e) {
            e->topic = (char *)dup_bytes(topic, tl);
            e->payload = dup_bytes(msg->payload, pl);
            e->len = pl;
            e->qos = msg->qos;
            e->retained = msg->retained != 0;
            MQTTProperty *rt = MQTTProperties_getProperty(&msg->properties, MQTTPROPERTY_CODE_RESPONSE_TOPIC);
            if (rt && rt->value.data.len > 0 && rt->value.data.len <= MQTT_MAX_TOPIC)
                e->response_topic = (char *)dup_bytes(rt->value.data.data, (size_t)rt->value.data.len);
            MQTTProperty *cd = MQTTProperties_getProperty(&msg->properties, MQTTPROPERTY_CODE_CORRELATION_DATA);
            if (cd && cd->value.data.len > 0 && cd->value.data.len <= 256) {
                e->corr = dup_bytes(cd->value.data.data, (size_t)cd->value.data.len);
                e->corr_len = (size_t)cd->value.data.len;
            }
            if (!e->topic || !e->payload) {
                mqtt_event_free(e);
                e = NULL;
            }
        }
        if (e && m->journal && m->journal(m->journal_ctx, e, &e->jid) < 0)
            e->journal_failed = true;
    }
    if (e)
        push(m, e);
    MQTTAsync_freeMessage(&msg);
    MQTTAsync_free(topic);
    return 1;
}

/* ---- client lifecycle (loop thread) ---- */

static int do_connect(mqtt_t *m)
{
    MQTTAsync_connectOptions co = MQTTAsync_connectOptions_initializer;
    MQTTAsync_connectOptions co5 = MQTTAsync_connectOptions_initializer5;
    bool v5 = m->try_version == MQTTVERSION_5;
    if (v5)
        co = co5;
    co.keepAliveInterval = m->keepalive;
    co.maxInflight = m->inflight_max;
    co.connectTimeout = 10;
    co.automaticReconnect = 0; /* reconnects are ours: mqtt_tick, with a fresh client */
    co.minRetryInterval = m->min_retry;
    co.maxRetryInterval = m->max_retry;
    co.username = m->username;
    co.password = m->password;
    co.context = &m->cctx[atomic_load(&m->epoch) % MQTT_CTX_SLOTS];
    /* A persistent session: work orders sent while the gateway is away are
     * queued by the broker (QoS 1 subscriptions). */
    if (v5) {
        co.cleanstart = m->ephemeral;
        co.connectProperties = &m->connect_props;
        co.onFailure5 = cb_connect_fail5;
        co.onSuccess5 = cb_connect_ok5;
    } else {
        co.cleansession = m->ephemeral;
        co.MQTTVersion = MQTTVERSION_3_1_1;
        co.onFailure = cb_connect_fail3;
    }
    if (m->status_topic && m->offline) {
        m->will = (MQTTAsync_willOptions)MQTTAsync_willOptions_initializer;
        m->will.topicName = m->status_topic;
        m->will.message = m->offline;
        m->will.retained = !m->ephemeral;
        m->will.qos = 1;
        co.will = &m->will;
    }
    if (m->ca || m->cert) {
        m->ssl = (MQTTAsync_SSLOptions)MQTTAsync_SSLOptions_initializer;
        m->ssl.trustStore = m->ca;
        m->ssl.keyStore = m->cert;
        m->ssl.privateKey = m->key;
        m->ssl.enableServerCertAuth = 1;
        m->ssl.verify = 1;
        co.ssl = &m->ssl;
    }
    atomic_store(&m->receive_max, 0);
    return MQTTAsync_connect(m->client, &co);
}

static int create_client(mqtt_t *m, char *err, size_t errcap)
{
    MQTTAsync_createOptions cr = MQTTAsync_createOptions_initializer;
    cr.MQTTVersion = m->try_version;
    cr.sendWhileDisconnected = 0; /* the outbox is the only queue */
    /* Paho counts the publishes still in its command queue (not yet written
     * to the socket) against maxBufferedMessages even while connected. At 1
     * every publish after the first of a burst was refused until Paho's send
     * thread caught up: one thread hand-off per message, ~3k msgs/s. The
     * window is bounded by our in-flight limit instead; nothing is buffered
     * while disconnected (sendWhileDisconnected = 0) and everything handed
     * over stays in the outbox until its PUBACK. */
    cr.maxBufferedMessages = m->inflight_max;
    int rc = MQTTAsync_createWithOptions(&m->client, m->url, m->client_id, MQTTCLIENT_PERSISTENCE_NONE, NULL, &cr);
    if (rc != MQTTASYNC_SUCCESS) {
        snprintf(err, errcap, "broker URL %s: %s", m->url, MQTTAsync_strerror(rc));
        m->client = NULL;
        return -EINVAL;
    }
    unsigned e = atomic_fetch_add(&m->epoch, 1) + 1;
    client_ctx_t *c = &m->cctx[e % MQTT_CTX_SLOTS];
    c->m = m;
    atomic_store(&c->epoch, e);
    MQTTAsync_setCallbacks(m->client, c, cb_lost, cb_message, NULL);
    MQTTAsync_setConnected(m->client, c, cb_connected);
    return 0;
}

static char *normalize_url(const char *u)
{
    char buf[512];
    if (!strncmp(u, "mqtts://", 8))
        snprintf(buf, sizeof buf, "ssl://%s", u + 8);
    else if (!strncmp(u, "mqtt://", 7))
        snprintf(buf, sizeof buf, "tcp://%s", u + 7);
    else
        snprintf(buf, sizeof buf, "%s", u);
    return strdup(buf);
}

int mqtt_start(const mqtt_config_t *cfg, mqtt_t **out, char *err, size_t errcap)
{
    char dummy[1];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    *out = NULL;
    if (!cfg || !cfg->url || !*cfg->url || !cfg->client_id || !*cfg->client_id) {
        snprintf(err, errcap, "broker URL and client id are required");
        return -EINVAL;
    }
    bool tls = !strncmp(cfg->url, "ssl://", 6) || !strncmp(cfg->url, "mqtts://", 8);
    if (tls && (!cfg->ca_file || !*cfg->ca_file)) {
        snprintf(err, errcap, "broker %s uses TLS: a CA file (ca) is required to verify it", cfg->url);
        return -EINVAL;
    }
    const char *files[] = { cfg->ca_file, cfg->cert_file, cfg->key_file };
    for (size_t i = 0; i < 3; i++)
        if (files[i] && *files[i] && access(files[i], R_OK) != 0) {
            snprintf(err, errcap, "TLS file %s: %s", files[i], strerror(errno));
            return -EINVAL;
        }
    mqtt_t *m = calloc(1, sizeof *m);
    if (!m)
        return -ENOMEM;
    m->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    pthread_mutex_init(&m->mu, NULL);
    m->url = normalize_url(cfg->url);
    m->client_id = strdup(cfg->client_id);
    m->username = dup_or_null(cfg->username);
    m->password = dup_or_null(cfg->password);
    m->ca = tls ? dup_or_null(cfg->ca_file) : NULL;
    m->cert = tls ? dup_or_null(cfg->cert_file) : NULL;
    m->key = tls ? dup_or_null(cfg->key_file) : NULL;
    m->status_topic = dup_or_null(cfg->status_topic);
    m->online = dup_or_null(cfg->online_payload);
    m->offline = dup_or_null(cfg->offline_payload);
    m->ephemeral = cfg->ephemeral;
    m->keepalive = cfg->keepalive_s > 0 ? cfg->keepalive_s : 30;
    m->inflight_max = cfg->inflight_max > 0 ? cfg->inflight_max : 1024;
    m->min_retry = cfg->min_retry_s > 0 ? cfg->min_retry_s : 1;
    m->max_retry = cfg->max_retry_s > 0 ? cfg->max_retry_s : 30;
    m->max_inbound = cfg->max_inbound ? cfg->max_inbound : 256 * 1024;
    m->journal = cfg->journal;
    m->journal_ctx = cfg->journal_ctx;
    m->allow_fallback = cfg->version == 0;
    m->try_version = cfg->version == 4 ? MQTTVERSION_3_1_1 : MQTTVERSION_5;
    m->backoff_s = m->min_retry;
    /* A day of session: the broker keeps our subscriptions' messages. */
    MQTTProperty se = { .identifier = MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL, .value.integer4 = cfg->ephemeral ? 0 : 86400 };
    MQTTProperties_add(&m->connect_props, &se);
    /* MQTT 5: the broker must not send us a packet above this (it drops
     * the message for us instead); room for the topic and properties. */
    MQTTProperty mp = { .identifier = MQTTPROPERTY_CODE_MAXIMUM_PACKET_SIZE,
                        .value.integer4 = (unsigned)(m->max_inbound + 1024) };
    MQTTProperties_add(&m->connect_props, &mp);
    if (m->efd < 0 || !m->url || !m->client_id) {
        snprintf(err, errcap, "out of resources");
        mqtt_stop(m, 0);
        return -ENOMEM;
    }
    int rc = create_client(m, err, errcap);
    if (rc) {
        mqtt_stop(m, 0);
        return rc;
    }
    if ((rc = do_connect(m)) != MQTTASYNC_SUCCESS) {
        snprintf(err, errcap, "connect to %s: %s", m->url, MQTTAsync_strerror(rc));
        mqtt_stop(m, 0);
        return -EINVAL;
    }
    *out = m;
    return 0;
}

void mqtt_tick(mqtt_t *m, int64_t now_ms)
{
    (void)now_ms;
    int f = atomic_load(&m->connect_failed);
    if (!f)
        return;
    int64_t now = mono_ms();
    if (!m->next_retry_ms) {
        m->next_retry_ms = now + (f == 2 ? 0 : (int64_t)m->backoff_s * 1000);
        if (f != 2 && m->backoff_s < m->max_retry)
            m->backoff_s = m->backoff_s * 2 > m->max_retry ? m->max_retry : m->backoff_s * 2;
    }
    if (now < m->next_retry_ms)
        return;
    m->next_retry_ms = 0;
    atomic_store(&m->connect_failed, 0);
    /* Every attempt uses a fresh Paho client. Reconnecting the old one makes
     * Paho resend its own in-flight PUBLISHes, which mosquitto 2.0 has been
     * seen to reject as malformed after a broker restart, and Paho 1.3.12
     * has been caught reading a freed in-flight message on that path
     * (AddressSanitizer, broker restart mid-burst). The outbox resends
     * everything unacknowledged itself. */
    char err[160];
    atomic_store(&m->connected, false);
    MQTTAsync_destroy(&m->client);
    if (f == 2)
        m->try_version = MQTTVERSION_3_1_1;
    if (create_client(m, err, sizeof err) || do_connect(m) != MQTTASYNC_SUCCESS)
        atomic_store(&m->connect_failed, 1); /* again at the next backoff step */
}

static void publish_status(mqtt_t *m, const char *payload)
{
    if (!m->status_topic || !payload)
        return;
    MQTTAsync_message msg = MQTTAsync_message_initializer;
    msg.payload = (void *)payload;
    msg.payloadlen = (int)strlen(payload);
    msg.qos = 1;
    msg.retained = !m->ephemeral;
    MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
    MQTTAsync_sendMessage(m->client, m->status_topic, &msg, &ro);
}

static void resubscribe(mqtt_t *m)
{
    for (size_t i = 0; i < m->nsubs; i++) {
        MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
        MQTTAsync_subscribe(m->client, m->subs[i].filter, m->subs[i].qos, &ro);
    }
}

mqtt_event_t *mqtt_take_events(mqtt_t *m)
{
    uint64_t v;
    ssize_t r = read(m->efd, &v, sizeof v);
    (void)r;
    pthread_mutex_lock(&m->mu);
    mqtt_event_t *h = m->head;
    m->head = m->tail = NULL;
    pthread_mutex_unlock(&m->mu);
    for (mqtt_event_t *e = h; e; e = e->next)
        if (e->kind == MQTT_EV_CONNECTED) {
            m->ever_connected = true;
            m->backoff_s = m->min_retry;
            resubscribe(m);
            publish_status(m, m->online);
        }
    return h;
}

int mqtt_fd(const mqtt_t *m) { return m->efd; }
int mqtt_receive_max(const mqtt_t *m) { return m ? atomic_load(&((mqtt_t *)m)->receive_max) : 0; }

bool mqtt_connected(const mqtt_t *m) { return atomic_load(&((mqtt_t *)m)->connected); }
unsigned mqtt_generation(const mqtt_t *m) { return atomic_load(&((mqtt_t *)m)->gen); }
int mqtt_version(const mqtt_t *m) { return atomic_load(&((mqtt_t *)m)->version); }

int mqtt_subscribe(mqtt_t *m, const char *filter, int qos)
{
    if (!filter || m->nsubs >= MQTT_MAX_SUBS)
        return -EINVAL;
    m->subs[m->nsubs].filter = strdup(filter);
    m->subs[m->nsubs].qos = qos;
    if (!m->subs[m->nsubs].filter)
        return -ENOMEM;
    m->nsubs++;
    if (mqtt_connected(m)) {
        MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
        MQTTAsync_subscribe(m->client, filter, qos, &ro);
    }
    return 0;
}

static int send_msg(mqtt_t *m, const char *topic, MQTTAsync_message *msg, uint64_t tag)
{
    if (!mqtt_connected(m))
        return -ENOTCONN;
    pub_ctx_t *c = malloc(sizeof *c);
    if (!c)
        return -ENOMEM;
    c->m = m;
    c->tag = tag;
    c->gen = mqtt_generation(m);
    MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
    ro.context = c;
    if (m->try_version == MQTTVERSION_5) {
        ro.onSuccess5 = cb_pub_ok5;
        ro.onFailure5 = cb_pub_fail5;
    } else {
        ro.onSuccess = cb_pub_ok3;
        ro.onFailure = cb_pub_fail3;
    }
    int rc = MQTTAsync_sendMessage(m->client, topic, msg, &ro);
    if (rc != MQTTASYNC_SUCCESS) {
        free(c);
        return rc == MQTTASYNC_DISCONNECTED ? -ENOTCONN : -EIO;
    }
    return 0;
}

int mqtt_publish(mqtt_t *m, const char *topic, const void *payload, size_t len, int qos, bool retain, uint64_t tag)
{
    if (!m || !topic || len > INT32_MAX)
        return -EINVAL;
    MQTTAsync_message msg = MQTTAsync_message_initializer;
    msg.payload = (void *)payload;
    msg.payloadlen = (int)len;
    msg.qos = qos;
    msg.retained = retain;
    return send_msg(m, topic, &msg, tag);
}

static int publish_props(mqtt_t *m, const char *topic, const void *payload, size_t len, const char *rtopic,
                         const void *corr, size_t corr_len, uint64_t tag)
{
    if (!m || !topic || len > INT32_MAX || corr_len > 65535)
        return -EINVAL;
    MQTTAsync_message msg = MQTTAsync_message_initializer;
    msg.payload = (void *)payload;
    msg.payloadlen = (int)len;
    msg.qos = 1;
    if (m->try_version == MQTTVERSION_5) {
        if (rtopic) {
            MQTTProperty p = { .identifier = MQTTPROPERTY_CODE_RESPONSE_TOPIC };
            p.value.data.data = (char *)rtopic;
            p.value.data.len = (int)strlen(rtopic);
            MQTTProperties_add(&msg.properties, &p);
        }
        if (corr && corr_len) {
            MQTTProperty p = { .identifier = MQTTPROPERTY_CODE_CORRELATION_DATA };
            p.value.data.data = (char *)corr;
            p.value.data.len = (int)corr_len;
            MQTTProperties_add(&msg.properties, &p);
        }
    }
    int rc = send_msg(m, topic, &msg, tag);
    MQTTProperties_free(&msg.properties);
    return rc;
}

int mqtt_request(mqtt_t *m, const char *topic, const void *payload, size_t len, const char *response_topic,
                 const void *corr, size_t corr_len, uint64_t tag)
{
    return publish_props(m, topic, payload, len, response_topic, corr, corr_len, tag);
}

int mqtt_reply(mqtt_t *m, const mqtt_event_t *req, const void *payload, size_t len, uint64_t tag)
{
    if (!req || !req->response_topic)
        return -EINVAL;
    return publish_props(m, req->response_topic, payload, len, NULL, req->corr, req->corr_len, tag);
}

void mqtt_stop(mqtt_t *m, int timeout_ms)
{
    if (!m)
        return;
    if (m->client) {
        if (mqtt_connected(m)) {
            publish_status(m, m->offline);
            MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
            d.timeout = timeout_ms;
            MQTTAsync_disconnect(m->client, &d);
            /* Give the disconnect (and the offline status) time to go out. */
            for (int i = 0; i < timeout_ms / 10 && MQTTAsync_isConnected(m->client); i++)
                usleep(10000);
        }
        MQTTAsync_destroy(&m->client);
    }
    mqtt_event_t *e = m->head;
    while (e) {
        mqtt_event_t *n = e->next;
        mqtt_event_free(e);
        e = n;
    }
    for (size_t i = 0; i < m->nsubs; i++)
        free(m->subs[i].filter);
    MQTTProperties_free(&m->connect_props);
    if (m->efd >= 0)
        close(m->efd);
    pthread_mutex_destroy(&m->mu);
    free(m->url);
    free(m->client_id);
    free(m->username);
    free(m->password);
    free(m->ca);
    free(m->cert);
    free(m->key);
    free(m->status_topic);
    free(m->online);
    free(m->offline);
    free(m);
}
