/*
 * daemon.h — what the obdgwd files share (not a public API).
 *
 *   main.c    thin main: options, config, store, loop, teardown
 *   config.c  the INI file (libinih) -> dcfg_t, validated as a whole
 *   log.c     levels, stderr (journal prefixes) or syslog; no VIN/plate at INFO
 *   loop.c    the single epoll loop: signals (signalfd), timers, MQTT events,
 *             bay results, control clients; the outbox pump; reload/stop
 *   bay.c     one worker thread per bay (the link API blocks) + one office
 *             worker for QC/report rendering; results go back over a pipe
 *   dms.c     DMS topics and payloads: scan/finding/QC/report/health/error
 *             messages out, work orders in (validated)
 *   ctl.c     the control socket (UNIX, SO_PEERCRED) for `obdgw --bay ...`
 *   remote.c  streamed/threaded work (remote.h): live --bay, wo/report
 *             --daemon, consent; remote support requests and streams
 *
 * Threads: the loop thread owns every piece of daemon state. Bay workers
 * own their link and open their own store connection per job; they touch
 * nothing else and hand results back as bay_result_t over the result pipe.
 * Paho's threads only feed mqtt.c's event queue.
 */
#ifndef OBDGWD_DAEMON_H
#define OBDGWD_DAEMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "obdgw/base.h"
#include "obdgw/link.h"
#include "obdgw/mqtt.h"
#include "obdgw/outbox.h"
#include "obdgw/store.h"
#include "obdgw/usb.h"

#define DCFG_MAX_BAYS 32
#define DCFG_SITE_LEN 32

/* ---- log.c ---- */
enum { LOG_LVL_ERR = 3, LOG_LVL_WARN = 4, LOG_LVL_INFO = 6, LOG_LVL_DEBUG = 7 };
void dlog_setup(int level, bool use_syslog);
void dlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run the `obdgw` beside this executable with `args` (NULL-terminated, no
 * argv[0]); its stdout/stderr go to out_fd/err_fd (-1: /dev/null for
 * stdout, the daemon's stderr for stderr). 0 with its exit code, or -errno
 * when it could not be run (cli_child.c). */
int daemon_run_cli(const char *const *args, int out_fd, int err_fd, int *exit_code);
int dlog_level_parse(const char *s); /* -1 unknown */

/* ---- config.c ---- */
typedef struct {
    int id;                 /* bay number as the workshop knows it (1..99) */
    char adapter[256];      /* /dev/obdgw-bay1, tcp://host:port, sim[:FILE][,...] */
    int protocol;           /* ELM327 protocol hint, 0 = auto */
    /* Or the USB adapter by identity (usb.h; the tty is found at attach time): */
    char usb_port[USB_PORT_LEN];     /* "1-1.3": the socket on this computer */
    char usb_serial[USB_SERIAL_LEN]; /* the cable's own serial number */
    bool on_plug_scan;               /* on_plug = scan: a reception scan when it arrives */
} dcfg_bay_t;

typedef struct {
    char site[DCFG_SITE_LEN];
    char store[512];
    char socket[256];
    int socket_mode;        /* octal, e.g. 0660 */
    char reports[512];      /* where QC reports are rendered */
    obd_lang_t lang;
    int retention_days;     /* 0: keep */
    int log_level;
    bool log_syslog;
    int health_interval_s;
    /* [mqtt] */
    char broker[256];       /* "" = no broker: the outbox only fills */
    char client_id[64];
    char username[64];
    char password[128];
    char ca[256], cert[256], key[256];
    int keepalive_s;
    int mqtt_version;       /* 0 auto (5 -> 3.1.1), 4 or 5 */
    int inflight;           /* our publish window */
    int max_inbound;        /* bytes */
    int64_t outbox_max_messages, outbox_max_bytes;
    size_t nbays;
    dcfg_bay_t bays[DCFG_MAX_BAYS];
    usb_site_ids_t usb_ids;  /* [usb] extra_ids: adapters besides the built-in table */
} dcfg_t;

/* Load and validate `path` into *out (defaults first). On failure err names
 * the key and the bad value: "obdgw.conf: [bay 2] protocol = 'x': ...". */
int dcfg_load(const char *path, dcfg_t *out, char *err, size_t errcap);

/* ---- bay.c ---- */
typedef enum { JOB_NONE = 0, JOB_SCAN, JOB_CLEAR, JOB_QC, JOB_QUIT, JOB_REMOTE, JOB_UDS_SCAN, JOB_UDS_CLEAR } job_kind_t;

#define BAY_JOB_MAX_PAIRS 32

typedef struct {
    job_kind_t kind;
    uint64_t id;            /* loop's job id (ties the result to a control client) */
    char ro[STORE_RO_LEN];
    store_stage_t stage;
    char actor[48];
    char reason[128];
    bool force;
    double mileage_km;
    void *remote;           /* JOB_REMOTE: remote.c's job (live stream, DTC read) */
    /* JOB_UDS_SCAN: the id pairs to probe besides (or, no_range, instead
     * of) the 11-bit range; JOB_UDS_CLEAR: module = one request id (0: all) */
    bool no_range;
    size_t npairs;
    obd_target_t pairs[BAY_JOB_MAX_PAIRS];
    uint32_t module;
    uint8_t uds_mask;       /* JOB_UDS_SCAN: $19 02 status mask (0: 0xFF) */
    uint8_t uds_session;    /* 0: default session; else $10 this, tester present held */
    bool uds_snapshots, uds_extdata;
    bool range29;           /* probe the 29-bit list too (--29): addr29, or every xx when naddr29 is 0 */
    size_t naddr29;
    uint8_t addr29[256];
    obd_lang_t lang;        /* of the reply text (the CLI's --lang) */
} bay_job_t;

/* Exit code of a job whose work is done and saved but whose DMS messages
 * were refused (kept pending): docs/cli.md, cli.h EXIT_DMS_NOT_TOLD. */
#define BAY_XC_DMS_NOT_TOLD 6

/* One outbound message built by a worker (payload owned, malloc'd). */
typedef struct {
    char msg_id[OUTBOX_MSGID_LEN];
    char kind[16];          /* "scan", "uds_scan", "finding", "qc", "report" */
    char ro[STORE_RO_LEN];
    char *payload;
} bay_msg_t;

#define BAY_MAX_MSGS 24

typedef struct {
    int bay;                /* 0: the office worker */
    uint64_t job_id;
    job_kind_t kind;
    int rc;                 /* OBD_OK or an obd error */
    int exit_code;          /* for the CLI (cli.h exit codes) */
    obd_lang_t lang;        /* of text (the job's) */
    char *text;             /* human-readable result for the CLI (malloc'd) */
    cJSON *json;            /* machine-readable result (may be NULL) */
    int64_t scan_id;
    int64_t done_ms;        /* wall clock at completion */
    /* DMS messages: the worker queues them itself, in the transaction that
     * commits their evidence (payloads are freed once queued or refused). */
    size_t nmsgs;
    bay_msg_t msgs[BAY_MAX_MSGS];
    size_t nqueued, nrefused; /* refused: outbox full or too large (the evidence is saved) */
    size_t npending;          /* of the refused, kept pending in the store (queued when room returns) */
    char refused_why[256];
    char pending_why[256];    /* why some refused ones could not be kept pending ("" when all were) */
} bay_result_t;

typedef struct bay bay_t;
struct dctx;

/* Start a worker for bay `id` (0: office). Results are written as pointers
 * to `result_fd` (a pipe the loop reads). */
bay_t *bay_start(int id, const char *adapter, int protocol, const char *store_path, const char *site,
                 obd_lang_t lang, int result_fd);
/* Outbox bound for the workers' enqueues (all bays; from the config). */
void bay_set_outbox_limits(const outbox_limits_t *lim);
/* Change the adapter (takes effect at the next job; the open link closes). */
void bay_rebind(bay_t *b, const char *adapter, int protocol);
/* USB bays (usb_port / usb_serial, daemon/usbhot.c): the identity shown in
 * `status` ("usb_port 1-1.3"); the bay is "no adapter" until
 * bay_set_present(b, tty), and again after bay_set_present(b, NULL). */
void bay_set_usb(bay_t *b, const char *ident);
void bay_set_present(bay_t *b, const char *tty);
bool bay_present(bay_t *b);
const char *bay_ident(bay_t *b, char *buf, size_t cap);
/* On the worker, after a link failure: true when the USB adapter was
 * unplugged (waits briefly for the loop to hear it). */
bool bay_unplugged(bay_t *b);
/* Queue a job: 0, or -EBUSY when the bay is working on one. */
int bay_submit(bay_t *b, const bay_job_t *job);
bool bay_busy(bay_t *b);
/* "idle", "scanning", "clearing", "qc", "error" — and the last error text. */
const char *bay_state(bay_t *b, char *last_err, size_t cap);
int bay_id(const bay_t *b);
const char *bay_adapter(bay_t *b, char *buf, size_t cap);
uint64_t bay_jobs_done(bay_t *b);
/* Ask the worker to finish its job and quit; join; free. */
void bay_stop(bay_t *b);
void bay_result_free(bay_result_t *r);
/* For remote.c's jobs, on the bay's worker thread only: the bay's link
 * (opened if needed; NULL with the reason in err), dropping it after a
 * failure, and the state `obdgw status` shows. */
struct obd_link;
struct obd_link *bay_link(bay_t *b, char *err, size_t cap);
void bay_link_drop(bay_t *b);
void bay_set_state(bay_t *b, const char *state, const char *err);

/* ---- dms.c: topics and payloads ---- */
#define DMS_SCHEMA_VERSION 1
/* obdgw/v1/<site>/<leaf> */
void dms_topic(char *out, size_t cap, const char *site, const char *leaf);
/* A new message envelope: schema, schema_version, msg_id, site, created_ms. */
cJSON *dms_envelope(const char *schema, const char *msg_id, const char *site);
/* Validate a work-order message (UTF-8, no NUL, no duplicate members,
 * lengths in characters, RO syntax) and apply it to the store as `actor`.
 * 0 applied; DMS_WO_DUPLICATE when its msg_id was applied before (nothing
 * changed); otherwise negative with a one-line reason (nothing written). */
#define DMS_WO_DUPLICATE 1
int dms_apply_wo(store_t *st, const char *site, const char *actor, const unsigned char *payload, size_t len,
                 char *msg_id, size_t idcap, char *ro, size_t rocap, char *why, size_t whycap);

/* Queue announcements the DMS was not told (dms_pending) when the outbox
 * has room: at most `max` per call, oldest first; logged. Returns how many
 * were queued; *remaining gets how many are still pending. */
size_t dms_pending_pass(store_t *st, const outbox_limits_t *lim, size_t max, int64_t *remaining);

/* ---- ctl.c: control socket ---- */
int ctl_listen(const char *path, int mode, char *err, size_t errcap);
/* Accept one client and check its credentials; -1 when refused. */
int ctl_accept(int lfd);

/* ---- loop.c ---- */
int daemon_run(const char *config_path, const dcfg_t *cfg);

#endif
