/*
 * mqtt.h — obdgwd's MQTT link to the DMS, on Eclipse Paho C (MQTTAsync).
 *
 * What it does: one client connection (MQTT 5, falling back to 3.1.1 when
 * the broker refuses version 5), TLS with CA verification and an optional
 * client certificate, username/password, keepalive, reconnect with
 * exponential backoff, a retained status topic with a Will ("online" /
 * "offline"), subscriptions restored on every connect, QoS 1 publishes whose
 * completion (the broker's PUBACK) is reported back with the caller's tag,
 * and a general request/response facility (MQTT 5 response topic +
 * correlation data; with 3.1.1 the payload carries them, see docs/).
 *
 * Threading: Paho calls back on its own threads. This module never touches
 * caller state from there: every callback becomes an mqtt_event_t on a
 * mutex-protected queue and the eventfd from mqtt_fd() becomes readable.
 * The owner's event loop reads the fd and calls mqtt_take_events(); all
 * other functions are called from that one thread.
 *
 * Delivery: mqtt_publish() only sends while connected (Paho's offline
 * buffer is disabled: sendWhileDisconnected = 0), so the caller's durable
 * outbox is the only queue. After MQTT_EV_DISCONNECTED every publish not yet
 * acknowledged must be considered lost and sent again (at least once).
 * Acknowledgements carry the generation (connection count) they belong to.
 *
 * Inbound limits: a message larger than max_inbound bytes, or whose topic is
 * longer than 256 bytes, is not delivered; an MQTT_EV_REJECTED event names
 * it (the loop logs it and answers with an error event). With MQTT 5 the
 * CONNECT announces Maximum Packet Size = max_inbound + 1024 (topic and
 * properties), so a conforming broker does not send a larger packet at all
 * and Paho never buffers one.
 *
 * Not for: deciding what to publish (the daemon) or storing it (outbox.h).
 */
#ifndef OBDGW_MQTT_H
#define OBDGW_MQTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mqtt mqtt_t;
struct mqtt_event;

typedef struct {
    const char *url;         /* tcp://host:1883, mqtt://, ssl:// or mqtts://host:8883 */
    const char *client_id;
    const char *username;    /* NULL or "": none */
    const char *password;
    const char *ca_file;     /* TLS: trust store (PEM); required for ssl:// */
    const char *cert_file;   /* TLS client certificate (PEM), optional */
    const char *key_file;    /* its private key (PEM), optional */
    int keepalive_s;         /* 0: 30 */
    int version;             /* 0: 5 with fallback to 3.1.1; 5; 4 (= 3.1.1) */
    const char *status_topic;    /* retained status + Will; NULL: none */
    const char *online_payload;  /* published retained on every connect */
    const char *offline_payload; /* the Will, and published on clean stop */
    size_t max_inbound;      /* bytes per inbound message; 0: 256 KiB */
    int inflight_max;        /* Paho's in-flight limit; 0: 1024 */
    int min_retry_s, max_retry_s; /* reconnect backoff; 0: 1 and 30 */
    /* The inbound journal (NULL: none). Called on Paho's receive thread for
     * every inbound message accepted (not REJECTED), before the message
     * callback returns to Paho; 0 with *jid set once the message is
     * committed, negative when it could not be (the event then has
     * journal_failed set and the loop applies it from memory). Paho 1.3.12
     * writes a QoS 1 PUBACK before it calls the callback (see mqtt.c), so
     * this shrinks the crash window to the message being written. */
    int (*journal)(void *ctx, const struct mqtt_event *msg, int64_t *jid);
    void *journal_ctx;
    /* A short-lived client (obdgw remote): a clean session that ends with
     * the connection, and the status topic's payloads (its Will included)
     * NOT retained: the Will is then a one-off message (live.stop). */
    bool ephemeral;
} mqtt_config_t;

typedef enum {
    MQTT_EV_CONNECTED = 1,  /* `gen` is the new generation; version in `qos` (5 or 4) */
    MQTT_EV_DISCONNECTED,   /* reason in `reason` */
    MQTT_EV_ACK,            /* publish `tag` acknowledged by the broker */
    MQTT_EV_NACK,           /* publish `tag` failed (resend later) */
    MQTT_EV_MESSAGE,        /* inbound message */
    MQTT_EV_REJECTED,       /* inbound message refused (too large, bad topic); `reason` */
} mqtt_ev_kind_t;

typedef struct mqtt_event {
    mqtt_ev_kind_t kind;
    uint64_t tag;
    unsigned gen;
    int qos;
    char *topic;           /* MESSAGE, REJECTED */
    unsigned char *payload;
    size_t len;
    char *response_topic;  /* MQTT 5 request/response: NULL when absent */
    unsigned char *corr;   /* correlation data */
    size_t corr_len;
    bool retained;         /* MESSAGE: the broker's retained copy (not a live publish) */
    int64_t jid;           /* MESSAGE: its inbound journal row (0: not journaled) */
    bool journal_failed;   /* MESSAGE: the journal write failed (reason in `reason`) */
    char reason[160];
    struct mqtt_event *next;
} mqtt_event_t;

/* Create and start connecting (asynchronously). err gets a reason on
 * failure (bad URL, TLS files unreadable). */
int mqtt_start(const mqtt_config_t *cfg, mqtt_t **out, char *err, size_t errcap);
/* Publish the offline status, disconnect (waiting up to timeout_ms for
 * in-flight acknowledgements) and free everything. */
void mqtt_stop(mqtt_t *m, int timeout_ms);

/* Readable when events are queued (eventfd; level: read it via take). */
int mqtt_fd(const mqtt_t *m);
/* All queued events in arrival order (NULL when none); clears the fd. */
mqtt_event_t *mqtt_take_events(mqtt_t *m);
void mqtt_event_free(mqtt_event_t *e); /* frees one event (not the chain) */

bool mqtt_connected(const mqtt_t *m);
/* The broker's Receive Maximum (MQTT 5 CONNACK) for this connection: how
 * many QoS 1 messages it takes unacknowledged; 0 when it said none. */
int mqtt_receive_max(const mqtt_t *m);
unsigned mqtt_generation(const mqtt_t *m);
int mqtt_version(const mqtt_t *m); /* 5 or 4 once connected, 0 before */
/* Call from the loop about once a second: retries a failed first connect
 * with backoff (Paho reconnects by itself after a connection was up). */
void mqtt_tick(mqtt_t *m, int64_t now_ms);

/* Subscribe now and on every reconnect. */
int mqtt_subscribe(mqtt_t *m, const char *filter, int qos);
/* Publish while connected: 0 when handed to Paho (completion comes as
 * ACK/NACK with `tag`), -ENOTCONN when not connected, other negative on
 * failure. QoS 0 publishes report ACK as soon as Paho accepted them. */
int mqtt_publish(mqtt_t *m, const char *topic, const void *payload, size_t len, int qos, bool retain, uint64_t tag);
/* Request/response: publish `payload` to `topic` asking for the answer on
 * `response_topic` with `corr` as correlation data (MQTT 5 properties). */
int mqtt_request(mqtt_t *m, const char *topic, const void *payload, size_t len, const char *response_topic,
                 const void *corr, size_t corr_len, uint64_t tag);
/* Answer an inbound request: publish to its response topic with its
 * correlation data (QoS 1). -EINVAL when the request named no response
 * topic. */
int mqtt_reply(mqtt_t *m, const mqtt_event_t *req, const void *payload, size_t len, uint64_t tag);

#endif
