/*
 * outbox.h — the DMS outbox: every message obdgwd sends to the DMS is first
 * committed here (same SQLite file as the evidence store, schema version 3)
 * and deleted only when the broker has acknowledged it (MQTT QoS 1 PUBACK).
 * It survives broker outages, network loss and daemon restarts (kill -9
 * included: an enqueue that returned is durable, see store.h).
 *
 * Order: messages are delivered in enqueue order (`id`). A sender that
 * resends every unacknowledged message from the oldest on after a reconnect
 * therefore keeps the order of each RO's messages; messages of different
 * ROs may interleave. Delivery is at least once: after a reconnect a message
 * may arrive twice, with the same msg_id, which is the DMS's idempotency key.
 *
 * Bound and policy when full (outbox_limits_t; defaults below):
 *   - a message larger than OUTBOX_MAX_PAYLOAD is refused (OBD_EINVAL);
 *   - low-priority messages (gateway/bay health, live samples) are admitted
 *     only while the outbox stays within both limits (count and bytes);
 *     otherwise refused with OBD_ENOSPC "outbox full: ...";
 *   - normal-priority messages (scans, findings, QC verdicts, sign-offs,
 *     reports) are never dropped once queued: to make room they evict the
 *     oldest low-priority messages; when the outbox is full of normal
 *     messages they are refused with OBD_ENOSPC "outbox full: ..." — the
 *     evidence itself stays in the store (scans, QC) and the caller logs it
 *     loudly and reports it in health.
 * Re-enqueueing an existing msg_id is a no-op (OBD_OK), so a producer that
 * retries after a crash cannot create duplicates in the outbox.
 *
 * Evidence and its message commit together: a producer that writes
 * evidence (a scan, a QC sign-off) and the message announcing it opens
 * store_tx_begin(), writes both, and commits once; the enqueue then joins
 * that transaction (as a savepoint: a refusal rolls back only the message,
 * so the evidence still commits). docs/outbox.md lists every pair.
 *
 * Durability: an enqueue that returned is on disk (synchronous=FULL). An
 * acknowledgement's delete is not fsynced: losing it only resends the
 * message with the same msg_id, which the DMS drops.
 *
 * Not for: the evidence itself (store.h) or talking to the broker (mqtt.h).
 * Same threading rule as the store: one store_t per thread.
 */
#ifndef OBDGW_OUTBOX_H
#define OBDGW_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obdgw/store.h"

#define OUTBOX_MSGID_LEN 64
#define OUTBOX_TOPIC_LEN 256
#define OUTBOX_MAX_PAYLOAD (4u << 20)               /* one message: 4 MiB */
#define OUTBOX_DEFAULT_MAX_MESSAGES 200000
#define OUTBOX_DEFAULT_MAX_BYTES ((int64_t)512 << 20) /* 512 MiB */

typedef enum {
    OUTBOX_PRIO_LOW = 0,    /* health, live data: refused first when full */
    OUTBOX_PRIO_NORMAL = 1, /* scans, findings, QC, reports: never evicted */
} outbox_prio_t;

typedef struct {
    int64_t id;                      /* delivery order; set by enqueue */
    char msg_id[OUTBOX_MSGID_LEN];   /* idempotency key, unique */
    char topic[OUTBOX_TOPIC_LEN];
    const void *payload;             /* peek: valid during the callback only */
    size_t len;
    int qos;                         /* 0, 1 (default) or 2 */
    bool retain;
    outbox_prio_t prio;
    char ro[STORE_RO_LEN];           /* "" when not tied to an RO */
    int64_t created_ms;
    int attempts;                    /* publishes so far (peek) */
} outbox_msg_t;

typedef struct {
    int64_t max_messages; /* <= 0: default */
    int64_t max_bytes;    /* payload + topic bytes; <= 0: default */
} outbox_limits_t;

typedef struct {
    int64_t messages, bytes;
    int64_t low_messages;
    int64_t oldest_ms;    /* created_ms of the oldest message, 0 when empty */
} outbox_stats_t;

/* Queue one message durably. OBD_OK (also when msg_id was already queued),
 * OBD_EINVAL (empty msg_id/topic, too large), OBD_ENOSPC (full; see above),
 * or a store error. `id` (may be NULL) gets its delivery position. */
int outbox_enqueue(store_t *st, const outbox_msg_t *m, const outbox_limits_t *lim, int64_t *id);
/* Queue n messages in one transaction (all or none, same rules); inside a
 * store_tx_begin() transaction, in a savepoint of it. `evicted` (may be
 * NULL) gets how many low-priority messages were evicted. */
int outbox_enqueue_batch(store_t *st, const outbox_msg_t *m, size_t n, const outbox_limits_t *lim,
                         int64_t *evicted);
/* Messages with id > after_id in delivery order, at most `max`; `fn` sees
 * each (payload valid during the call); non-zero from fn stops early.
 * Returns the number visited or a negative error. */
int outbox_peek(store_t *st, int64_t after_id, size_t max, int (*fn)(void *ctx, const outbox_msg_t *m), void *ctx);
/* The broker acknowledged these: delete them (one transaction, committed
 * without fsync; unknown ids are ignored: a late acknowledgement of a
 * resent message). */
int outbox_ack(store_t *st, const int64_t *ids, size_t n);
/* Count a publish attempt for these (diagnostics only). */
int outbox_note_attempt(store_t *st, const int64_t *ids, size_t n);
int outbox_stats(store_t *st, outbox_stats_t *out);

/* ---- the inbound journal (schema version 8, src/store_inbox.c) ----
 * What the DMS sends with QoS 1 is committed here on Paho's receive thread
 * before the message callback returns, then applied by the loop and
 * deleted in the transaction that applies it; after a crash the pending
 * rows are applied at the next start. docs/outbox.md, "Inbound". */
typedef struct {
    int64_t id;
    const char *topic;
    const void *payload;            /* valid during the callback only (pending) */
    size_t len;
    int qos;
    bool retained;
    const char *response_topic;     /* "" when none */
    const void *corr;
    size_t corr_len;
    int64_t received_ms;
} inbox_msg_t;

/* Commit one inbound message (its own transaction, synchronous=FULL). */
int inbox_put(store_t *st, const inbox_msg_t *m, int64_t *id);
/* Every pending message, oldest first, one at a time (fn may apply and
 * delete it on the same connection; the message is valid during the call);
 * non-zero from fn stops early. Returns the number visited or a negative
 * error. */
int inbox_pending(store_t *st, int (*fn)(void *ctx, const inbox_msg_t *m), void *ctx);
/* Delete one journal row (joins an open store_tx_begin() transaction). */
int inbox_done(store_t *st, int64_t id);
int inbox_count(store_t *st, int64_t *n);

/* ---- announcements the DMS was not told (schema version 9, src/store_pending.c) ----
 * A scan, finding, QC verdict or report reference whose enqueue above was
 * refused is kept here with its payload (the evidence is committed anyway:
 * evidence beats notification) and queued when the outbox has room again,
 * oldest first. While an RO has a message waiting here, the RO's newer
 * messages wait behind it (outbox_pending_for_ro), so each RO's messages
 * still reach the DMS in the order they were produced. docs/outbox.md,
 * "Pending". */
typedef struct {
    int64_t id;
    char msg_id[OUTBOX_MSGID_LEN];
    char kind[16];                   /* "scan", "uds_scan", "finding", "qc", "report" */
    char topic[OUTBOX_TOPIC_LEN];
    char ro[STORE_RO_LEN];
    char vin[18];                    /* from the payload; "" when it has none */
    int64_t scan_id;                 /* scan_id / uds_scan_id / post_scan_id of the payload, 0 if none */
    char why[256];                   /* the last refusal */
    bool stuck;                      /* refused for a reason waiting cannot fix (too large): only a resend tries */
    int attempts;                    /* refused re-queue attempts */
    int64_t created_ms;
    size_t len;                      /* payload bytes */
} outbox_pending_t;

typedef struct {
    size_t queued;                   /* moved to the outbox */
    size_t refused;                  /* tried and refused again (why) */
    size_t left;                     /* not tried: the outbox was full */
    int64_t remaining;               /* rows pending after the call */
    char why[256];                   /* the last refusal */
} outbox_requeue_t;

/* Keep `m` pending; `refusal` is the enqueue's error (OBD_ENOSPC: queued
 * when room returns; anything else: stuck), `why` its message. Joins an
 * open store_tx_begin() transaction (as a savepoint); a msg_id already
 * pending is a no-op. */
int outbox_pending_add(store_t *st, const outbox_msg_t *m, const char *kind, int refusal, const char *why);
/* 1 when RO `ro` ("" for messages without an RO) has a message pending
 * that is not stuck, 0 when not, or a negative error. */
int outbox_pending_for_ro(store_t *st, const char *ro);
/* Rows pending, and how many of them are stuck (may be NULL). */
int outbox_pending_count(store_t *st, int64_t *n, int64_t *stuck);
/* Every pending row, oldest first; non-zero from fn stops. Returns the
 * number visited or a negative error. */
int outbox_pending_list(store_t *st, int (*fn)(void *ctx, const outbox_pending_t *p), void *ctx);
/* Move pending messages to the outbox in one transaction: `id` 0: the
 * oldest `max` (0: 64) that are not stuck; else that row, stuck or not
 * (OBD_ENOTFOUND when there is none). Stops trying at the first
 * OBD_ENOSPC (the rest counted `left`); a refusal is kept on its row.
 * `actor` non-NULL: each re-queued message gets an audit entry
 * ("dms_resend", fail-closed: no entry, not re-queued). */
int outbox_pending_requeue(store_t *st, int64_t id, size_t max, const outbox_limits_t *lim, const char *actor,
                           outbox_requeue_t *out);

#endif
