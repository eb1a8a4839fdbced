/*
 * remote.h — obdgwd's streamed and remote work (not a public API):
 *
 *   - control-socket commands that do more than one request/one answer:
 *     `obdgw live --bay N` (samples streamed back as they are read, "stop"
 *     from the CLI ends it cleanly), `obdgw wo ... --daemon` and
 *     `obdgw report ... --daemon` (wo: the CLI's own cmd_wo in a thread;
 *     report: the obdgw beside obdgwd in a child process; both on the
 *     daemon's store, their output goes back verbatim),
 *     `obdgw consent --bay N --grant|--revoke` (the bay's consent to remote
 *     support, audited in the store's audit log);
 *   - requests over MQTT (MQTT 5 response topic + correlation data, or the
 *     same two carried in the payload on MQTT 3.1.1): live.start, live.stop,
 *     live.keepalive, dtc.read — each refused with a reason (English and
 *     Chinese) without the bay's consent or while the bay is busy;
 *   - streams: live samples published QoS 0 on obdgw/v1/<site>/bay/<N>/live,
 *     outside the durable outbox, ended by stop, revoke, expiry, adapter
 *     loss, the requester's Will (live.stop by requester) or idle timeout.
 *
 * Threads: everything here runs on the loop thread except remote_job_run(),
 * which a bay's worker calls for a job whose bay_job_t.remote is set (it
 * owns the bay's link meanwhile), and the wo/report command threads. Both
 * hand results back over a pipe that the loop watches (epoll tags from
 * EV_REMOTE0 up); a job's end is the pipe's EOF.
 */
#ifndef OBDGWD_REMOTE_H
#define OBDGWD_REMOTE_H

#include "daemon.h"

#define EV_REMOTE0 1000u

typedef struct remote remote_t;

typedef struct {
    int ep;                   /* the loop's epoll fd */
    const dcfg_t *cfg;        /* site, store path, language (the loop's copy) */
    store_t *st;              /* the loop thread's store connection (audit) */
    mqtt_t **mq;              /* the loop's MQTT client (NULL while none) */
    bay_t *(*find_bay)(void *ctx, int id);
    cJSON *(*status_json)(void *ctx);   /* req/status: the gateway's status (owned by the caller of it) */
    void *ctx;
} remote_env_t;

remote_t *remote_new(const remote_env_t *env);
/* Ends every stream (final messages go out while connected) and frees. */
void remote_free(remote_t *r);
/* Commands remote_ctl() serves: live, wo, report, consent. */
bool remote_ctl_command(const char *cmd);
/* Take over a control client (fd, already accepted and checked) for `req`. */
void remote_ctl(remote_t *r, int fd, const cJSON *req);
/* An inbound request on dms/v1/<site>/req/<name>: true when handled here. */
/* Every request on dms/v1/<site>/req/<name>: status, live.*, dtc.read, and
 * an error reply for unknown names; replies only to response topics under
 * obdgw/v1/<site>/resp/. Returns true (handled). */
bool remote_on_request(remote_t *r, const mqtt_event_t *e);
/* An epoll event with a tag >= EV_REMOTE0. */
void remote_on_event(remote_t *r, uint64_t tag);
/* About every 250 ms: consent expiry, idle streams. */
void remote_tick(remote_t *r);
/* Stop every stream (daemon stopping); `why` goes into the final messages. */
void remote_stop_all(remote_t *r);
/* Consent and stream of a bay for `obdgw status` (NULL when none). */
cJSON *remote_bay_json(remote_t *r, int bay);
/* " · remote consent to X until 14:05 · streaming to X" or "". */
const char *remote_bay_text(remote_t *r, int bay, char *buf, size_t cap);

/* `obdgw confirm --bay N` of a remote proposal (remote_propose.c): see
 * remote_confirm_ctl below; then remote_confirm_started() with the job's
 * id (submitted false: the bay was busy), and remote_job_result() for
 * every finished job. */
void remote_confirm_started(remote_t *r, int bay, uint64_t job_id, bool submitted);
/* The control command `confirm --bay N [--yes|--decline] [--tech NAME]`
 * (argv, the request's lang and actor): the exit code and text for the
 * CLI; with --yes, `job` is the clear job to submit on *bay_out (kind
 * JOB_NONE: nothing to run). */
int remote_confirm_ctl(remote_t *r, int argc, const char **argv, const cJSON *req, bay_job_t *job, int *bay_out,
                       char *text, size_t cap);
void remote_job_result(remote_t *r, uint64_t job_id, int exit_code, const char *text);

/* Bay worker side (bay.c): run a remote job on bay `b`'s link. */
void remote_job_run(bay_t *b, void *job);

#endif
