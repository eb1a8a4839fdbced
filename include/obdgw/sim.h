/*
 * sim.h — the built-in vehicle + adapter simulator (`obdgw sim`, `--adapter sim`).
 *
 * Three layers, each usable alone:
 *   1. scenario: a vehicle described by an INI file (docs/simulator.md) —
 *      protocol, ECUs with addresses, VIN, PIDs with value generators, DTCs,
 *      freeze frames, readiness, Mode 06, UDS DTCs per module.
 *   2. vehicle: answers one diagnostic request with every ECU's reply like a
 *      car does (Mode 04 clears what a car clears, keeps permanent DTCs,
 *      refuses with the engine running when the scenario says so). Pure:
 *      time is passed in, no I/O.
 *   3. adapter: an ELM327-family personality speaking the text protocol over
 *      bytes (AT commands, headers, multi-frame formatting, clone faults).
 *      Also pure: bytes in, bytes out plus the delay the real thing would take.
 * The server (sim_serve) puts layer 3 on a pty or a TCP port.
 */
#ifndef OBDGW_SIM_H
#define OBDGW_SIM_H

#include "obdgw/base.h"
#include "obdgw/link.h"

typedef struct sim_vehicle sim_vehicle_t;

/* Load a scenario file; on error `err` says "file:line: reason". */
int sim_vehicle_load(const char *path, sim_vehicle_t **out, char *err, size_t errcap);
/* Load from text in memory (tests, the built-in default). */
int sim_vehicle_parse(const char *text, const char *name, sim_vehicle_t **out, char *err, size_t errcap);
/* The built-in default vehicle (a 2021 FAW-VW petrol car with a misfire). */
int sim_vehicle_builtin(sim_vehicle_t **out);
void sim_vehicle_free(sim_vehicle_t *v);

obd_proto_t sim_vehicle_protocol(const sim_vehicle_t *v);
/* The scenario's ECU response time ([vehicle] response_ms), -1 when not given. */
int sim_vehicle_response_ms(const sim_vehicle_t *v);
/* Seed the noise generators (sim_adapter_new does it from its options). */
void sim_vehicle_seed(sim_vehicle_t *v, unsigned seed);

/* Answer one request at time `now_ms` (ms since the simulation started).
 * Replies are whole messages keyed by responder address, as a link returns
 * them. OBD_OK with count 0 = no ECU answered. */
int sim_vehicle_request(sim_vehicle_t *v, uint64_t now_ms, const obd_request_t *req, obd_replies_t *out);

typedef enum {
    SIM_ELM_V15 = 0,   /* genuine-behaving ELM327 v1.4/v1.5 command set */
    SIM_ELM_V21,       /* ELM327 v2.x */
    SIM_STN,           /* STN11xx/22xx (OBDLink): fast, ST commands, STI */
    SIM_CLONE_ECHO,    /* clone: ATE0 ignored, echo stays on */
    SIM_CLONE_BASIC,   /* clone: unknown AT commands (ATAT, ATCRA, ATCAF, ...) answer '?' */
    SIM_CLONE_SLOW,    /* clone: slow replies */
    SIM_CLONE_BUFFER,  /* clone: BUFFER FULL on long multi-frame replies */
    SIM_CLONE_GARBAGE, /* clone: occasional garbage bytes in replies */
    SIM_CLONE_HANG,    /* clone: sometimes never sends the '>' prompt */
    SIM_CLONE_NOMULTI, /* clone: answers only the first PID of a multi-PID request */
    SIM_PERSONALITY_COUNT
} sim_personality_t;

const char *sim_personality_key(sim_personality_t p); /* "elm327-v1.5", "stn", "clone-echo", ... */
int sim_personality_parse(const char *key);           /* -1 when unknown */

/*
 * Faults of adapters that refuse options or do not settle, on top of any
 * personality: a scenario's [adapter] section, or `--adapter
 * sim:FILE,KEY=VALUE` (docs/simulator.md, "[adapter]"). All zero = none.
 */
#define SIM_MAX_REFUSE 8
#define SIM_MAX_REFUSE_SVC 4

typedef enum {
    SIM_DIGIT_OK = 0,  /* the response-count digit works */
    SIM_DIGIT_REFUSE,  /* any request with the digit: '?' */
    SIM_DIGIT_MISREAD, /* a one-byte request with the digit ("031"): NO DATA, as if asked 03 01 */
} sim_digit_fault_t;

typedef enum {
    SIM_HDR_OK = 0,  /* ATH1 shows headers */
    SIM_HDR_SEARCH,  /* ATH1 says OK, but while the protocol came from an automatic
                      * search the lines carry no headers (ATTPn / ATSPn cures it) */
    SIM_HDR_NEVER,   /* ATH1 says OK, lines never carry headers */
} sim_hdr_fault_t;

typedef struct {
    uint8_t nrefuse;
    char refuse[SIM_MAX_REFUSE][12]; /* command prefixes answered '?': "ATSH", "ATCRA", "ATSH7DF", "STDI" */
    uint8_t count_digit;             /* sim_digit_fault_t */
    char protocol_report[3];         /* ATDPN after an automatic search: "" the real one, "0" or "A0" */
    uint8_t headers;                 /* sim_hdr_fault_t */
    uint8_t nsvc;
    uint8_t refuse_svc[SIM_MAX_REFUSE_SVC]; /* services (first request byte) answered '?' */
} sim_adapter_faults_t;

/*
 * Apply one KEY = VALUE of the [adapter] section (also the `--adapter sim:`
 * options): refuse (a list: "ATSH ATCRA ATCAF"; in a spec '+' separates),
 * count_digit (ok|refuse|misread), protocol_report (real|0|A0), headers
 * (ok|search|never), refuse_service (hex service bytes: "0A"). Returns 1
 * when applied, 0 for a key it does not know, OBD_EINVAL for a bad value
 * (`err` names the key and the value).
 */
int sim_adapter_fault_set(sim_adapter_faults_t *f, const char *key, const char *val, char *err, size_t errcap);
/* Add `b`'s faults to `a` (lists joined, settings of `b` win where given). */
void sim_adapter_faults_merge(sim_adapter_faults_t *a, const sim_adapter_faults_t *b);

typedef struct {
    sim_personality_t personality;
    int baud;         /* UART speed the adapter's output is paced at; 0 = unpaced */
    int ecu_delay_ms; /* ECU response time per request */
    unsigned seed;    /* for noise generators and fault injection */
    sim_adapter_faults_t faults; /* added to the scenario's [adapter] faults */
} sim_adapter_opts_t;

typedef struct sim_adapter sim_adapter_t;

sim_adapter_t *sim_adapter_new(sim_vehicle_t *v, const sim_adapter_opts_t *o);
void sim_adapter_free(sim_adapter_t *a);

/*
 * Feed bytes the host wrote. Whatever the adapter says in response is
 * appended to `out` (at most `cap` bytes; *outlen updated); *delay_ms is how
 * long a real adapter would take before that output is complete (ECU delay +
 * UART time at the configured baud). Pure: no sleeping here.
 * Returns the number of input bytes consumed: all of them, unless `out` got
 * nearly full (less than 4 KB left) — send it and call again with the rest.
 * OBD_ENOSPC when one answer did not fit (`out` holds what did).
 */
int sim_adapter_input(sim_adapter_t *a, uint64_t now_ms, const char *in, size_t n, char *out, size_t cap,
                      size_t *outlen, unsigned *delay_ms);

/* Where the output of the last sim_adapter_input call pauses mid-reply (a
 * scenario's frame_gap_ms / response_pending: the rest is not on the bus
 * yet): after `off` bytes of its output, wait `ms` before the rest. Offsets
 * count from the start of `out` as passed. Returns how many (<= cap). */
#define SIM_MAX_PAUSES 1100 /* response_pending (<= 1000) + frame gaps */
typedef struct {
    size_t off;
    unsigned ms;
} sim_pause_t;
size_t sim_adapter_pauses(const sim_adapter_t *a, sim_pause_t *out, size_t cap);

/* Serve on `fd` (a pty master or a connected socket) until EOF or *stop is
 * set; paces output by the delays above. */
int sim_serve_fd(sim_adapter_t *a, int fd, volatile int *stop);

#endif
