/*
 * remote_int.h — what remote.c (streams, control socket, job output) and
 * remote_req.c (the MQTT requests, identity from the topic) share. Private
 * to src/daemon/remote*.c.
 */
#ifndef OBDGWD_REMOTE_INT_H
#define OBDGWD_REMOTE_INT_H

#include <stdatomic.h>
#include <time.h>

#include "obdgw/remote_topic.h"
#include "obdgw/stream.h"
#include "remote.h"

#define MAX_SLOTS 64
#define MAX_BAY_ID 100
#define REQ_MAX_BYTES 4096      /* an MQTT request larger than this is refused */
#define RATE_MAX_HZ 20.0        /* poll rounds per second, per stream */
#define REMOTE_MAX_PIDS 16
#define IDLE_DEFAULT_MS 30000
#define CONSENT_DEFAULT_MIN 30
#define CONSENT_MAX_MIN 480

enum { REC_SAMPLE = 1, REC_STARTED = 2, REC_END = 3 };
typedef struct {
    uint32_t type;
    obd_live_sample_t s;
} rec_t;

typedef enum { RJ_LIVE = 1, RJ_DTC, RJ_CMD, RJ_SCAN, RJ_UDS } rj_kind_t;

/* Why a stream ended (keys in the final message; texts below). */
typedef enum {
    END_NONE = 0,
    END_DONE,      /* count or duration reached */
    END_STOPPED,   /* asked to stop */
    END_REVOKED,   /* the bay revoked its consent */
    END_EXPIRED,   /* the consent's time ran out */
    END_ADAPTER,   /* the adapter or the vehicle link failed */
    END_REQUESTER, /* the requester is gone (its Will) */
    END_IDLE,      /* no keepalive from the requester */
    END_SHUTDOWN,  /* obdgwd is stopping */
    END_CLIENT,    /* the CLI that asked went away */
    END_ERROR,     /* could not start */
    END_SILENT,    /* every PID asked was given up: the ECUs list them but never answered */
    END_UNPLUGGED, /* the bay's USB adapter was pulled out (the recording is closed, cut short) */
} end_t;

typedef struct {
    const char *key, *en, *zh;
} rm_end_text_t;
extern const rm_end_text_t rm_end_text[];


typedef struct rjob {
    rj_kind_t kind;
    int wfd;         /* the worker's once `submitted`: it closes it */
    bool submitted;
    atomic_int stop; /* end_t the loop asks for; 0: keep going */
    int bay;
    /* live */
    uint8_t pids[OBD_LIVE_MAX_PIDS];
    size_t npids;
    long count;
    int64_t duration_ms;
    int interval_ms;
    bool single, record, started;
    bool lossless;   /* to a CLI: wait for room (as stdout would) rather than drop */
    char ro[STORE_RO_LEN];
    char store_path[512];
    char adapter[128];
    /* results: written by the worker before it closes wfd */
    int rc, exit_code, end;
    char err[320];
    long samples, dropped;
    unsigned requests, fallbacks;
    double secs;
    uint8_t unsup[OBD_LIVE_MAX_PIDS];
    size_t nunsup;
    int64_t rec_id;
    long long rec_samples;
    bool rec_saved;
    cJSON *dtc;      /* dtc.read: the codes; RJ_SCAN/RJ_UDS: the result */
    /* remote reads (remote_read.c) */
    char what[32];   /* the request name */
    uint32_t uds_tx, uds_rx;
    /* wo / report */
    int argc;
    char *argv[72];
    obd_lang_t lang;
    bool json;
    char want_file[8];
    int64_t outbox_max_messages, outbox_max_bytes; /* dms resend: the daemon's bound */
    char *out, *errs;
    size_t outlen, errlen;
    unsigned char *file;
    size_t filelen;
} rjob_t;

typedef enum { SL_FREE = 0, SL_CTL_LIVE, SL_CTL_CMD, SL_MQ_LIVE, SL_MQ_DTC } sl_kind_t;

/* Where an MQTT answer goes: the request's response topic and correlation
 * data (MQTT 5 properties, or payload members on MQTT 3.1.1). */
typedef struct {
    char topic[257];
    unsigned char corr[256];
    size_t corr_len;
    bool in_payload;
} route_t;

typedef struct {
    sl_kind_t kind;
    rjob_t *job;
    int rfd, cfd;
    obd_lang_t lang;
    int bay;
    /* MQTT streams and reads */
    route_t route;
    char stream_id[96], requester[64], pids_text[160];
    char live_topic[OUTBOX_TOPIC_LEN];
    char req_name[32]; /* SL_MQ_DTC: the request answered at the end ("dtc.read", "scan.read", ...) */ /* obdgw/v1/<site>/resp/<requester>/bay/<N>/live */
    int64_t last_seen_ms, started_ms;
    int idle_ms;
    uint64_t seq;
    int asked_end;
    size_t partial; /* bytes of a record already read */
    unsigned char pbuf[sizeof(rec_t)];
} slot_t;

typedef struct {
    bool granted;     /* until revoked; valid while mono now < until_mono_ms */
    bool expired;     /* the expiry was handled (audited, streams ended) */
    int64_t until_mono_ms; /* CLOCK_MONOTONIC: what decides (a wall-clock step changes nothing) */
    int64_t until_ms; /* wall clock at the grant + the window: for display only */
    char to[64], by[64];
    char ro[STORE_RO_LEN]; /* the RO the bay shares (consent --ro): ro.scans, ro.report */
} consent_t;

struct remote {
    remote_env_t env;
    slot_t slots[MAX_SLOTS];
    consent_t consent[MAX_BAY_ID];
    uint64_t next_stream;
    int64_t log_window_ms;
    unsigned log_in_window, log_suppressed;
};

static inline int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Time boxes (consent, idle timeouts) run on CLOCK_MONOTONIC: an SBC
 * without RTC whose clock NTP steps must not stretch or cut them. */
static inline int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline const char *rm_site(const remote_t *r) { return r->env.cfg->site; }

/* remote.c */
int rm_audit(remote_t *r, const char *action, const char *actor, cJSON *details, char *why, size_t whycap);
void rm_job_free(rjob_t *j);
rjob_t *rm_job_new(rj_kind_t kind, int *rfd);
int rm_slot_new(remote_t *r);
void rm_ep_add(remote_t *r, int fd, uint64_t tag);
bool rm_consent_valid(remote_t *r, int bay, int64_t now);
slot_t *rm_bay_stream(remote_t *r, int bay);
void rm_ask_end(slot_t *s, end_t why);
void rm_end_bay_streams(remote_t *r, int bay, end_t why);

/* remote_req.c */
cJSON *rm_response(remote_t *r, const char *request, bool ok);
void rm_reason(cJSON *o, const char *key, const char *en, const char *zh);
void rm_send(remote_t *r, const route_t *rt, cJSON *o);
bool rm_log_ok(remote_t *r);
void rm_refuse(remote_t *r, const route_t *rt, const char *request, const char *key, const char *en, const char *zh);
bool rm_str_member(const cJSON *o, const char *key, char *out, size_t cap);
bay_t *rm_check_bay(remote_t *r, const route_t *rt, const char *req, const cJSON *q, const char *user, bool busy_ok,
                    int *bay_out);

/* remote_read.c: scan.read, freeze_frame.read, readiness.read, mode06.read,
 * uds_dtc.read, ro.scans, ro.report (read-only; nothing saved) */
void rm_read_request(remote_t *r, const route_t *rt, const cJSON *q, const char *user, const char *name);
void rm_read_run(bay_t *b, rjob_t *j); /* the bay worker's side of RJ_SCAN / RJ_UDS */
/* remote_propose.c: clear.propose (held until the bay confirms) */
void rm_propose_request(remote_t *r, const route_t *rt, const cJSON *q, const char *user);
void rm_propose_tick(remote_t *r);          /* expiry */
cJSON *rm_proposal_json(int bay);            /* the waiting proposal of a bay, or NULL */

#endif
