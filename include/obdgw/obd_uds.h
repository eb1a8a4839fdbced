/*
 * obd_uds.h — OBD on UDS (SAE J1979-2, "OBDonUDS"): the emissions
 * diagnostics of MY2027+ vehicles, carried by ISO 14229-1 services on the
 * ISO 15765-4 CAN ids instead of the J1979 services 01-0A.
 *
 * What maps to what (SAE J1979-2 via ISO 14229-1 Annex C; the DID ranges and
 * sub-functions are cross-checked in the comments of src/obd_uds.c):
 *   service 01 PID xx        -> 22 F4xx   (F400, F420, ... supported bitmaps;
 *                                          F401 readiness, F40C rpm, ...)
 *   service 06 MID xx        -> 22 F6xx   (not read by the scan yet)
 *   service 09 infotype xx   -> 22 F8xx   (F802 VIN, F804 CALID, F806 CVN,
 *                                          F80A ECU name)
 *   services 03 / 07         -> 19 42 33 <status mask> FF
 *                               (reportWWHOBDDTCByMaskRecord, functional
 *                               group 0x33 = emissions; confirmed = status
 *                               bit 3, pending = bit 2)
 *   service 0A               -> 19 55 33 (reportWWHOBDDTCWithPermanentStatus)
 *   (new)                    -> 19 56 33 <readiness group>
 *   service 02 frame 0       -> 19 04 <DTC> FF (snapshot records of F4xx DIDs)
 *   service 04               -> 14 FF FF 33 (clear the emissions group)
 * DTCs are 3 bytes: the J2012 two bytes (the same obd_dtc_t the classic
 * screens show) plus a failure-type byte, each with its UDS status byte.
 *
 * The builders and parsers are pure (bytes in, structs out, bounded cursor,
 * no allocation). Their results are the classic structs — obd_pid_reply_t,
 * obd_info_reply_t, obd_pid_sample_t — so the PID table, readiness, Mode 09
 * and freeze-frame decoders take them unchanged.
 *
 * The session half (obd_uds_scan_run & co, src/session_uds.c) fills the same
 * obd_scan_t / obd_live_t / obd_clear_result_t as the classic session, with
 * obd_protocol = OBD_PROTOCOL_ON_UDS. Detection sends only the emissions DID
 * F400 (functional), never a non-emission UDS service.
 */
#ifndef OBDGW_OBD_UDS_H
#define OBDGW_OBD_UDS_H

#include "obdgw/obd.h"
#include "obdgw/session.h"
#include "obdgw/uds.h"

#define OBD_UDS_DID_PID 0xF400u  /* + PID */
#define OBD_UDS_DID_MID 0xF600u  /* + OBDMID */
#define OBD_UDS_DID_INFO 0xF800u /* + infotype */

#define OBD_UDS_FGID_EMISSIONS 0x33 /* FunctionalGroupIdentifier: emissions-system group */
#define OBD_UDS_SEVERITY_ALL 0xFF   /* DTCSeverityMask: every severity class */

enum {
    OBD_UDS_RDTC_WWH_BY_MASK = 0x42,   /* reportWWHOBDDTCByMaskRecord */
    OBD_UDS_RDTC_WWH_PERMANENT = 0x55, /* reportWWHOBDDTCWithPermanentStatus */
    OBD_UDS_RDTC_BY_READINESS = 0x56,  /* reportDTCInformationByDTCReadinessGroupIdentifier */
};

/* DIDs per 22 request. ISO 14229-1 lets the server set the limit; we ask
 * three: 22 + 3 x 2 bytes = 7 bytes, one CAN single frame, the longest
 * request an ELM327 can send (it sends no multi-frame requests: it answers
 * '?'). An ECU that mishandles several gets one DID a request. */
#define OBD_UDS_MAX_DIDS_PER_REQUEST 3

/* ====================== request builders ====================== */
/* Each returns the request length, or OBD_ENOSPC / OBD_EINVAL. */

/* 22 F4p1 F4p2 ...: 1..OBD_UDS_MAX_DIDS_PER_REQUEST PIDs as DIDs. */
int obd_uds_req_pids(uint8_t *buf, size_t cap, const uint8_t *pids, size_t npids);
/* 22 F8xx: one Mode 09 infotype. */
int obd_uds_req_info(uint8_t *buf, size_t cap, uint8_t infotype);
/* 19 42 33 <status mask> FF. */
int obd_uds_req_dtcs(uint8_t *buf, size_t cap, uint8_t status_mask);
/* 19 55 33. */
int obd_uds_req_permanent(uint8_t *buf, size_t cap);
/* 19 56 33 <readiness group>. */
int obd_uds_req_readiness_group(uint8_t *buf, size_t cap, uint8_t rgid);
/* 19 04 <DTC 3 bytes> FF: every snapshot record of one DTC. */
int obd_uds_req_snapshot(uint8_t *buf, size_t cap, uint32_t code24);
/* 14 FF FF 33: clear the emissions-related group. Destroys evidence. */
int obd_uds_req_clear(uint8_t *buf, size_t cap);

/* ====================== parsers ====================== */

/*
 * Split a 62 reply to a 22 F4xx request into PIDs, as obd_parse_pid_reply
 * does for 41 replies: each record is F4 <pid> <data sized by the PID table>
 * (bitmaps 4 bytes). `asked` (the PIDs of the request, in order) may be
 * NULL; with it every record must be a PID asked for, after the previous one
 * (ECUs leave out unsupported DIDs), and a PID the table does not size may
 * be the last asked one (it takes the rest). A DID outside F400-F4FF or a
 * split that cannot be made -> OBD_EPID; one stray byte after a record ->
 * OBD_ELEN (two are read as a DID, hence OBD_EPID); more
 * than OBD_MAX_PIDS_PER_REQUEST records -> OBD_ENOSPC. Negative replies
 * (7F 22 nrc) -> OBD_OK with nr set. Data pointers point into `p`.
 */
int obd_uds_parse_pid_reply(const uint8_t *p, size_t n, const uint8_t *asked, size_t nasked, obd_pid_reply_t *out);

/*
 * A 62 F8xx reply as the Mode 09 decoders take it (obd_info_reply_t). The
 * item size is fixed per infotype (VIN 17, CALID 16, CVN 4, ECU name 20;
 * other infotypes: one item of what is there). J1979-2 replies carry no
 * NODI byte; one that does (1 + k * size bytes, first byte k) is read too.
 * A length that is no whole number of items -> OBD_ELEN; another DID ->
 * OBD_EPID.
 */
int obd_uds_parse_info_reply(const uint8_t *p, size_t n, uint8_t infotype, obd_info_reply_t *out);

/* One DTC of a 59 42 / 55 / 56 reply. */
typedef struct {
    uint32_t code;    /* 24 bits: J2012 bytes + failure type byte */
    uint8_t status;   /* ISO 14229-1 status byte */
    uint8_t severity; /* DTCSeverity (0x42 only; 0 otherwise) */
} obd_uds_dtc_t;

typedef struct {
    obd_nr_t nr;
    uint8_t subfn;          /* 0x42, 0x55 or 0x56 */
    uint8_t fgid;           /* echoed FunctionalGroupIdentifier */
    uint8_t avail_mask;     /* DTCStatusAvailabilityMask */
    uint8_t severity_avail; /* DTCSeverityAvailabilityMask (0x42 only) */
    uint8_t format;         /* DTCFormatIdentifier (0x04: SAE J2012-DA format 04) */
    uint8_t rgid;           /* echoed readiness group (0x56 only) */
    size_t count;           /* records kept in dtcs[] */
    size_t total;           /* records in the message (> count only with OBD_ENOSPC) */
    obd_uds_dtc_t dtcs[UDS_MAX_DTCS];
} obd_uds_dtc_reply_t;

/*
 * Parse a 59 reply to 19 42 / 55 / 56 (`subfn`; a different echo ->
 * OBD_EPID, any other subfn -> OBD_EINVAL):
 *   42: 59 42 FGID StatusAvail SeverityAvail Format {Severity DTC(3) Status}
 *   55: 59 55 FGID StatusAvail Format {DTC(3) Status}
 *   56: 59 56 FGID StatusAvail Format RGID {DTC(3) Status}
 * Records not whole -> OBD_ELEN. More than UDS_MAX_DTCS: the first kept,
 * `total` counts them all, result OBD_ENOSPC.
 */
int obd_uds_parse_dtc_reply(const uint8_t *p, size_t n, uint8_t subfn, obd_uds_dtc_reply_t *out);

/*
 * Fill one of the scan's DTC lists from a parsed reply: the records whose
 * status has any bit of `mask` (0xFF: all), as 16-bit obd_dtc_t + ftb[] +
 * status[] with uds_format set. At most OBD_MAX_DTCS are kept; returns how
 * many records matched.
 */
size_t obd_uds_dtc_set_fill(obd_dtc_set_t *set, const obd_uds_dtc_reply_t *r, uint8_t mask);

/*
 * The freeze frame of a 59 04 reply to 19 04 <code24> FF, as service 02
 * frame 0 gives it: the first snapshot record's F4xx DIDs as PID samples
 * (other DIDs skipped). OBD_EPID when the reply is about another DTC; a
 * snapshot split error is returned as is. *nout = 0 when the ECU holds no
 * record. A negative reply sets `nr` (may be NULL) and returns OBD_OK.
 */
int obd_uds_snapshot_ff(const uint8_t *p, size_t n, uint32_t code24, obd_nr_t *nr, obd_pid_sample_t *out,
                        size_t cap, size_t *nout);

/* ====================== session (src/session_uds.c) ====================== */

/*
 * The full scan through J1979-2. Detection: 22 F400 functional; every ECU
 * that answers positively is an emissions ECU. OBD_ENOVEHICLE when none
 * does (nothing else is sent then). Fills `out` exactly as obd_scan_run does
 * (the caller may have zeroed it or not: it is reset here).
 */
int obd_uds_scan_run(obd_link_t *l, obd_scan_t *out, obd_progress_fn progress, void *ctx);

/* Live data through 22 F4xx: lv->on_uds is set; samples carry the PID (the
 * DID's low byte). */
int obd_uds_live_init(obd_live_t *lv, obd_link_t *l, const uint8_t *pids, size_t npids, uint8_t *unsupported,
                      size_t *nunsupported);
int obd_uds_live_poll(obd_live_t *lv, obd_link_t *l, obd_live_sample_t *out, size_t cap);

/* 14 FF FF 33 functional: 54 = acknowledged, 7F 14 nrc = refused. */
int obd_uds_clear_run(obd_link_t *l, obd_clear_result_t *out);

/* Engine speed through 22 F40C (functional), or < 0. */
double obd_uds_engine_rpm(obd_link_t *l);

#endif
