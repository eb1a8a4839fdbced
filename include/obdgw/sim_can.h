/*
 * sim_can.h — the simulated car on a CAN bus (`obdgw sim --can IFACE`):
 * every ECU of a scenario (sim.h) listens on its physical request id and
 * on the functional id (OBD ECUs), and answers over ISO-TP (src/isotp.c)
 * from its response id, with the scenario's OBD services and UDS $10 $3E
 * $22 $19 $14, after a configurable response delay, with fault injection.
 *
 * Not for: the ELM327 text simulator (sim.h's adapter layer).
 */
#ifndef OBDGW_SIM_CAN_H
#define OBDGW_SIM_CAN_H

#include "obdgw/sim.h"

typedef enum {
    SIM_CAN_FAULT_NONE = 0,
    SIM_CAN_FAULT_SILENT,   /* the ECU never answers */
    SIM_CAN_FAULT_PENDING,  /* N x 7F sid 78 before every UDS answer (0x78 storm) */
    SIM_CAN_FAULT_FC_WAIT,  /* N flow-control WAITs before CTS on multi-frame requests */
    SIM_CAN_FAULT_WRONG_SN, /* multi-frame answers skip a sequence number */
    SIM_CAN_FAULT_TRUNCATE, /* multi-frame answers stop after the first frame */
    SIM_CAN_FAULT_BUSY,     /* the first N requests get 7F sid 21 (busy, repeat) */
    SIM_CAN_FAULT_DENY,     /* $19/$22/$14 refused with 7F sid 33 (secure gateway / security) */
    SIM_CAN_FAULT_COUNT
} sim_can_fault_kind_t;

typedef struct {
    sim_can_fault_kind_t kind;
    unsigned n;    /* count for PENDING / FC_WAIT / BUSY */
    uint32_t addr; /* response id of the ECU it applies to; 0 = every ECU */
} sim_can_fault_t;

#define SIM_CAN_MAX_FAULTS 8

typedef struct {
    int ecu_delay_ms;     /* response time of every ECU; < 0: the scenario's response_ms (else 0) */
    int pad;              /* padding byte or ISOTP_NO_PADDING; -2 = the scenario's can_padding */
    uint8_t bs, stmin;    /* what the ECUs ask of a tester sending multi-frame requests */
    size_t nfaults;
    sim_can_fault_t faults[SIM_CAN_MAX_FAULTS];
    int verbose;
} sim_can_opts_t;

/* "silent@7E9", "pending=5", "fc-wait=2@77D", "wrong-sn", "truncate", "busy=1", "deny@77D".
 * OBD_EINVAL when it does not read. */
int sim_can_fault_parse(const char *s, sim_can_fault_t *out);

/*
 * Serve the vehicle on `ifname` until *stop is set. Prints nothing; errors
 * (no interface, socket) come back negative with a reason in `err`. When
 * `ready` is given, it is called once the socket listens.
 */
int sim_can_serve(sim_vehicle_t *v, const char *ifname, const sim_can_opts_t *o, volatile int *stop,
                  void (*ready)(void *), void *ctx, char *err, size_t errcap);

/*
 * The same on a frame socket the caller opened: a CAN_RAW socket, or one end
 * of socketpair(AF_UNIX, SOCK_SEQPACKET) carrying struct can_frame datagrams
 * exactly as CAN_RAW does — an in-process bus to a link opened with
 * can_link_open_fd (host tests and figures without a CAN kernel). Returns
 * when *stop is set or the other end of a socketpair closes; the fd stays
 * open.
 */
int sim_can_serve_fd(sim_vehicle_t *v, int fd, const sim_can_opts_t *o, volatile int *stop,
                     void (*ready)(void *), void *ctx, char *err, size_t errcap);

/*
 * An in-process bus: sim_can_serve_fd on one end of a socketpair, in a
 * thread of its own; *link_fd is the other end, for can_link_open_fd (which
 * takes it over). For host tests and figures: real ISO-TP frames, real
 * response delays, no kernel and no bus timing (frames take no wire time).
 * The vehicle stays the caller's and must outlive the bus. Stop: ends the
 * thread (within 200 ms), returns what the simulator returned.
 */
typedef struct sim_can_bus sim_can_bus_t;
int sim_can_bus_start(sim_vehicle_t *v, const sim_can_opts_t *o, sim_can_bus_t **bus, int *link_fd, char *err,
                      size_t errcap);
int sim_can_bus_stop(sim_can_bus_t *bus);

#endif
