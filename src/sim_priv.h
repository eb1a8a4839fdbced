/*
 * sim_priv.h — the simulator's vehicle model as data, shared by the scenario
 * parser (sim_scenario.c), the vehicle (sim_vehicle.c) and the adapter
 * (sim_elm.c). Not installed; nothing outside src/sim_*.c includes it.
 *
 * Everything per ECU is fixed-size; the ECU table grows as the parser meets
 * [ecu NAME] sections (a whole car has 30-60 modules, most of them UDS-only,
 * and one sim_ecu_t is ~20 KB), so a small scenario stays small. Answering a
 * request allocates nothing.
 */
#ifndef OBDGW_SIM_PRIV_H
#define OBDGW_SIM_PRIV_H

#include "obdgw/dtc.h"
#include "obdgw/obd.h"
#include "obdgw/sim.h"

#define SIM_MAX_ECUS 64    /* modules per scenario: a whole car */
#define SIM_MAX_PIDS 64     /* PIDs with a generator, per ECU */
#define SIM_MAX_REPLAY 32   /* values of one replay generator */
#define SIM_MAX_DTCS 24     /* per list (stored, pending, permanent); 18+ for dtc_count_byte cases */
#define SIM_MAX_FREEZE 2    /* freeze frames per ECU */
#define SIM_MAX_FF_PIDS 16  /* PIDs in one freeze frame */
#define SIM_MAX_TESTS 24    /* Mode 06 test results per ECU */
#define SIM_MAX_CALID 4
#define SIM_MAX_UDS_DTCS 16
#define SIM_MAX_DIDS 24
#define SIM_MAX_DID_FIELDS 24 /* generated values inside DIDs (uds.val.XXXX), per ECU */
#define SIM_MAX_DID_LEN 32

typedef enum {
    SIM_GEN_RAW = 0, /* fixed bytes */
    SIM_GEN_CONST,   /* a: value */
    SIM_GEN_RAMP,    /* a -> b over period_ms, back over period_ms (triangle) */
    SIM_GEN_NOISE,   /* a +- b, uniform, from the vehicle's seeded generator */
    SIM_GEN_REPLAY,  /* rep[(t / period_ms) % nrep] */
} sim_gen_kind_t;

typedef struct {
    uint8_t kind;
    uint8_t len; /* SIM_GEN_RAW: bytes in raw[] */
    uint8_t raw[8];
    uint8_t nrep;
    uint32_t period_ms;
    double a, b;
    double rep[SIM_MAX_REPLAY];
} sim_gen_t;

typedef struct {
    uint8_t pid;
    sim_gen_t g;
} sim_pid_t;

typedef struct {
    uint8_t pid, len;
    uint8_t data[8];
} sim_ffpid_t;

typedef struct {
    uint8_t frame; /* frame number (service 02 "frame" byte) */
    obd_dtc_t dtc; /* the DTC that stored it (PID 02) */
    uint8_t npids;
    sim_ffpid_t p[SIM_MAX_FF_PIDS];
} sim_freeze_t;

typedef struct {
    uint8_t mid, tid, uasid;
    uint16_t value, min, max; /* raw, as the ECU sends them */
} sim_test_t;

typedef struct {
    uint32_t code; /* 24-bit UDS DTC */
    uint8_t status;
} sim_uds_dtc_t;

typedef struct {
    uint16_t did;
    uint8_t len;
    uint8_t data[SIM_MAX_DID_LEN];
} sim_did_t;

/* A value generated into a DID's bytes (uds.val.XXXX = BIX,LEN,FACTOR,OFFSET GEN):
 * raw = round((value - offset) / factor), LEN bits MSB-first from bit BIX of
 * the data (after the DID echo), two's complement when negative, clamped to
 * what LEN bits hold; the OBDb signalset bit order. */
typedef struct {
    uint16_t did;
    uint16_t bix;
    uint8_t len;
    double factor, offset;
    sim_gen_t g;
} sim_did_field_t;

typedef struct {
    uint8_t n;
    obd_dtc_t d[SIM_MAX_DTCS];
} sim_dtcs_t;

/* ---- deviations from the textbook (docs/simulator.md "Deviations"; sim_scenario.c
 * deviation_key, sim_vehicle.c / sim_elm.c / sim_can.c apply them) ---- */
enum { SIM_M09_LISTED = 0, SIM_M09_MISSING, SIM_M09_NO_DATA, SIM_M09_UNLISTED };

typedef struct {
    uint16_t physical_only;  /* bit n: OBD service n answered on physical requests only
                              * (service 01: the support bitmaps still answer functionally) */
    uint8_t mode09_list;     /* SIM_M09_*: how 09 00 answers */
    uint8_t dtc_count_set;   /* bit 0/1/2: 43 / 47 / 4A carry dtc_count[] instead of the real count */
    uint8_t dtc_count[3];    /* count byte sent in 43 / 47 / 4A on CAN */
    bool dtc_legacy;         /* CAN: 43/47/4A without count byte, codes in threes padded with 0000 */
    uint8_t silent_pid[32];  /* bit per PID: listed in the bitmaps, never answered */
    uint16_t frame_gap_ms;   /* gap between consecutive frames of one multi-frame reply */
    uint16_t pending_n;      /* 7F sid 78 answers before the real one */
    uint16_t pending_ms;     /* gap between them (and before the answer); 0 = SIM_PENDING_MS_DEFAULT */
    uint8_t pending_sid[32]; /* bit per request service id the 78s apply to; all zero = every service */
} sim_dev_t;

#define SIM_PENDING_MS_DEFAULT 20

typedef struct {
    char id[24];       /* section name after "ecu " */
    uint32_t addr;     /* response id: 7E8 / 18DAF110 / legacy source byte */
    uint32_t req;      /* physical request id */
    bool obd;          /* answers functional OBD requests */
    bool uds;          /* answers UDS services 10/3E/22/19/14 */
    bool vin;          /* reports the VIN in service 09 */
    bool compression;  /* diesel readiness layout */
    int8_t mil;        /* -1 auto (on with stored DTCs), 0 off, 1 on */
    uint16_t services; /* bit n: OBD service n (1..0x0A) supported */
    uint16_t mon_sup;  /* bit per obd_monitor_t */
    uint16_t mon_inc;  /* bit per obd_monitor_t: not complete */
    char name[21];     /* 09 0A ECU name ("ECM-EngineControl") */
    uint8_t npids;
    sim_pid_t pids[SIM_MAX_PIDS];
    sim_dtcs_t stored, pending, permanent;
    uint8_t nfreeze;
    sim_freeze_t freeze[SIM_MAX_FREEZE];
    uint8_t ntests;
    sim_test_t tests[SIM_MAX_TESTS];
    uint8_t ncalid;
    char calid[SIM_MAX_CALID][17];
    uint8_t ncvn;
    uint32_t cvn[SIM_MAX_CALID];
    uint8_t nuds;
    sim_uds_dtc_t uds_dtcs[SIM_MAX_UDS_DTCS];
    uint8_t nuds_perm;
    uint32_t uds_perm[SIM_MAX_UDS_DTCS];
    uint8_t ndids;
    sim_did_t dids[SIM_MAX_DIDS];
    uint8_t ndfields;
    sim_did_field_t dfields[SIM_MAX_DID_FIELDS];
    uint8_t did_limit;   /* uds.did_limit: more DIDs in one 22 request -> 7F 22 13 (0 = no limit) */
    uint8_t uds_refuse;  /* NRC for $19/$22/$14 (0x33: secure gateway / security), 0 = answer */
    bool silent;         /* fitted but never answers (unpowered, faulty): the scan must list it silent */
    sim_dev_t dev;       /* deviations from the textbook */
    bool obd_on_uds;     /* SAE J1979-2: emissions data only through UDS 22/19/14 (sim_obdonuds.c) */
    /* run-time state */
    bool cleared;        /* service 04 / UDS 14 happened */
    uint64_t cleared_ms; /* when */
} sim_ecu_t;

struct sim_vehicle {
    char name[64];
    obd_proto_t proto;
    char vin[18];
    bool engine_running;
    bool refuse_clear;    /* 7F 04 22 while the engine runs */
    bool unsupported_nrc; /* functional requests for a missing service: 7F xx 11 (else silence) */
    int padding;          /* CAN frame padding byte, -1 = none (short frames) */
    double battery;       /* ATRV */
    sim_adapter_faults_t adapter; /* [adapter]: faults of the adapter in front of this car (sim_elm.c) */
    uint8_t necus;
    uint8_t ecu_cap;      /* entries allocated in ecu[] */
    sim_ecu_t *ecu;       /* necus entries (heap; sim_vehicle_free frees it) */
    int response_ms;      /* ECU response time the CAN simulator uses by default; -1 = not given */
    uint32_t rng;         /* xorshift32 state for noise */
};

/* Default request id for an ECU answering from `addr` on `proto`. */
uint32_t sim_default_request_id(obd_proto_t proto, uint32_t addr);

/* ---- deviations: what the adapter layers (sim_elm.c, sim_can.c) need ---- */
/* The ECU answering from `addr`, or NULL. */
const sim_ecu_t *sim_vehicle_ecu(const sim_vehicle_t *v, uint32_t addr);
/* How many 7F sid 78 the ECU sends before its answer to service `sid`. */
unsigned sim_ecu_pending(const sim_ecu_t *e, uint8_t sid);
/* sim_vehicle.c, for sim_obdonuds.c: a PID's data bytes as service 01 gives
 * them (0 when unsupported), and the service 04 clear. */
size_t sim_ecu_pid_data(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, uint8_t pid, uint8_t *out);
void sim_ecu_clear_obd(sim_ecu_t *e, uint64_t now);

/* sim_obdonuds.c: answer an OBD-on-UDS (J1979-2) ECU. *handled false: not a
 * J1979-2 request (10, 3E, other DIDs ...): the generic UDS code answers. */
size_t sim_obdonuds_answer(sim_vehicle_t *v, sim_ecu_t *e, uint64_t now, const uint8_t *rq, size_t n,
                           bool functional, uint8_t *b, size_t cap, bool *handled);

#endif
