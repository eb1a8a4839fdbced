/*
 * cli.h — shared pieces of the `obdgw` command-line tool: the run context,
 * exit codes, bilingual messages and output helpers. Each subcommand lives in
 * its own cmd_*.c and calls the library; main.c only dispatches.
 */
#ifndef OBDGW_CLI_H
#define OBDGW_CLI_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "obdgw/base.h"
#include "obdgw/link.h"
#include "obdgw/signals.h"

/* Exit codes (documented in docs/cli.md). */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,     /* the command ran and failed (link, vehicle, database) */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_NOTFOUND = 3, /* asked-for item unknown (e.g. a PID name) */
    EXIT_DATA = 4,     /* input data malformed (e.g. a hex reply that does not parse) */
    EXIT_REFUSED = 5,  /* a guard said no: engine running, RO closed, no pre-repair scan, VIN mismatch */
    EXIT_DMS_NOT_TOLD = 6, /* saved, but the DMS could not be told (its messages are pending: obdgw dms pending) */
};

typedef struct {
    obd_lang_t lang;
    bool json;
    const char *prog;
    bool verbose_progress; /* -v: say what the scan is doing on stderr */
    const char *store_path; /* --store PATH (else $OBDGW_STORE, else the default) */
    /* Where a command's output and messages go: NULL means stdout / stderr.
     * obdgwd runs `wo` and `report` with memory streams here and sends what
     * they wrote back to the CLI that asked (src/daemon/remote.c). */
    FILE *out, *err;
    /* outbox bound for `dms resend` (0: the defaults); obdgwd sets its own */
    int64_t outbox_max_messages, outbox_max_bytes;
} cli_t;

#define CLI_OUT(cli) ((cli)->out ? (cli)->out : stdout)
#define CLI_ERR(cli) ((cli)->err ? (cli)->err : stderr)

typedef struct store store_t;

/* Options every vehicle command takes (--adapter, --protocol, --baud, -v). */
typedef struct {
    const char *adapter;
    obd_link_opts_t opts;
} cli_link_args_t;

/* "en"/"zh" message pair picked by the context's language. */
#define T(cli, en, zh) obd_tr((cli)->lang, (en), (zh))

/* One-line error to the command's error stream (stderr), prefixed "obdgw: ". */
void cli_err(const cli_t *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print a cJSON tree (pretty) to stdout and free it. */
void cli_json_print(cJSON *j);
/* The same to the command's output stream (CLI_OUT). */
void cli_json_out(const cli_t *cli, cJSON *j);

/* Parse hex text ("41 0C 1A F8", "410C1AF8", "0x41,0x0C") into bytes. */
int cli_hex_parse(const char *s, unsigned char *out, size_t cap, size_t *len);

/* Terminal columns a UTF-8 string takes (CJK characters take two). */
int cli_width(const char *s);
/* `s` followed by spaces up to `width` columns, in `buf`; for aligned
 * columns that hold Chinese as well as English. PAD() supplies the buffer. */
const char *cli_pad(const char *s, int width, char *buf, size_t cap);
#define PAD(s, w) cli_pad((s), (w), (char[256]){ 0 }, 256)

/* Consume a common option (--json, --lang X) at argv[*i]: 1 consumed,
 * 0 not a common option, -1 bad value (message printed). */
int cli_common_opt(cli_t *cli, int argc, char **argv, int *i);

/* Consume a common or link option at argv[*i]: 1 consumed, 0 not one, -1 bad value. */
int cli_link_opt(cli_t *cli, cli_link_args_t *a, int argc, char **argv, int *i);
/* Open the link (adapter from --adapter or $OBDGW_ADAPTER); prints the error. */
obd_link_t *cli_link_open(cli_t *cli, cli_link_args_t *a, const char *cmd);
/* One-line link failure: "scan: adapter gave an unexpected answer: /dev/ttyUSB0: adapter said can_error". */
void cli_link_fail(cli_t *cli, obd_link_t *l, const char *cmd, int rc);

/* The evidence store: --store, $OBDGW_STORE, else $XDG_DATA_HOME/obdgw/obdgw.db
 * (~/.local/share/obdgw/obdgw.db). Prints the error and returns NULL on failure. */
store_t *cli_store_open(cli_t *cli, const char *cmd);
const char *cli_store_path(const cli_t *cli, char *buf, size_t cap);
/* Who is acting: --tech/--by value when given, else $OBDGW_USER, else $USER. */
const char *cli_actor(const char *given);
/* One-line store failure with the store's own reason. */
void cli_store_fail(cli_t *cli, store_t *st, const char *cmd, int rc);

int cmd_dtc(cli_t *cli, int argc, char **argv);
int cmd_wo(cli_t *cli, int argc, char **argv);
int cmd_audit(cli_t *cli, int argc, char **argv);
int cmd_purge(cli_t *cli, int argc, char **argv);
int cmd_qc(cli_t *cli, int argc, char **argv);
int cmd_report(cli_t *cli, int argc, char **argv);
int cmd_scan(cli_t *cli, int argc, char **argv);
int cmd_live(cli_t *cli, int argc, char **argv);
int cmd_clear(cli_t *cli, int argc, char **argv);
int cmd_sim(cli_t *cli, int argc, char **argv);
int cmd_uds(cli_t *cli, int argc, char **argv);
int cmd_pid(cli_t *cli, int argc, char **argv);
int cmd_signals(cli_t *cli, int argc, char **argv);
/* live --signal/--signals/--path: load the signalset and select its signals (sel: SIG_MAX_SIGNALS
 * entries); *year from the VIN (0 when none). EXIT_OK or the exit code (message printed). */
int cli_signals_select(cli_t *cli, const char *file, const char *ids, const char *pathsel, const char *vin,
                       sig_set_t **out, bool *sel, int *year);
/* A signal's name in the CLI's language; English marked when the zh overlay lacks it. */
const char *cli_signal_name(const cli_t *cli, const sig_signal_t *s, char *buf, size_t cap);
int cmd_decode(cli_t *cli, int argc, char **argv);
int cmd_vin(cli_t *cli, int argc, char **argv);
int cmd_status(cli_t *cli, int argc, char **argv);
int cmd_dms(cli_t *cli, int argc, char **argv);
int cmd_adapters(cli_t *cli, int argc, char **argv);
/* cmd_vehicle.c (#13): vehicle history, the follow-up list, wo deliver/class, wo show's additions */
int cmd_vehicle(cli_t *cli, int argc, char **argv);
int cmd_followup(cli_t *cli, int argc, char **argv);
int cmd_stats(cli_t *cli, int argc, char **argv); /* cmd_stats.c */
int cli_wo_deliver(cli_t *cli, store_t *st, int argc, char **argv);
int cli_wo_class(cli_t *cli, store_t *st, int argc, char **argv);
/* Class, comebacks, team lead's check, delivery: into `o` (JSON) or printed when o is NULL. */
void cli_wo_show_history(cli_t *cli, store_t *st, const char *ro, cJSON *o);
const char *cli_stage_text(const cli_t *cli, const char *key);
const char *cli_verdict_text(const cli_t *cli, const char *key);
/* The obdgwd route (cmd_status.c): a command with --bay N or --daemon is
 * sent to the bay service's control socket. */
bool cli_wants_daemon(int argc, char **argv);
int cmd_daemon(cli_t *cli, int argc, char **argv);
int cmd_consent(cli_t *cli, int argc, char **argv);
int cmd_confirm(cli_t *cli, int argc, char **argv);
int cmd_remote(cli_t *cli, int argc, char **argv);  /* cmd_remote.c: the remote engineer's MQTT client */ /* cmd_confirm.c: a remote proposal at the bay */
/* Connect to obdgwd (sock NULL: $OBDGW_SOCKET, else /run/obdgw/obdgwd.sock)
 * and send `req` (freed; "lang" and "actor" are added). The connected fd,
 * or -1 with the error printed. */
int cli_daemon_send(cli_t *cli, const char *sock, cJSON *req, const char *cmd);

#endif
