/*
 * OBD on UDS (SAE J1979-2): the builders and parsers of src/obd_uds.c on
 * byte examples worked by hand from the layouts named there (ISO 14229-1
 * 19 42/55/56 records as the mdabrowski1990/uds translator encodes them; F4xx
 * = PID data from the J1979 PID formulas), then the session (session_uds.c)
 * against the simulated OBD-on-UDS car over the real SocketCAN driver on an
 * in-process bus: the whole scan, live data, the clear, and a check that no
 * non-emission service is ever sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/canlink.h"
#include "obdgw/obd_uds.h"
#include "obdgw/pid.h"
#include "obdgw/sim.h"
#include "obdgw/sim_can.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------- builders ---------------- */

static void test_builders(void **state)
{
    (void)state;
    uint8_t b[16];
    const uint8_t pids[] = { 0x0C, 0x0D };
    assert_int_equal(obd_uds_req_pids(b, sizeof b, pids, 2), 5);
    assert_memory_equal(b, ((uint8_t[]){ 0x22, 0xF4, 0x0C, 0xF4, 0x0D }), 5);
    const uint8_t four[] = { 1, 2, 3, 4 };
    assert_int_equal(obd_uds_req_pids(b, sizeof b, four, 4), OBD_EINVAL); /* > 3: no single frame */
    assert_int_equal(obd_uds_req_pids(b, sizeof b, pids, 0), OBD_EINVAL);
    assert_int_equal(obd_uds_req_pids(b, 4, pids, 2), OBD_ENOSPC);

    assert_int_equal(obd_uds_req_info(b, sizeof b, OBD_INFO_VIN), 3);
    assert_memory_equal(b, ((uint8_t[]){ 0x22, 0xF8, 0x02 }), 3);
    /* confirmed (bit 3) + pending (bit 2) = 0x0C, every severity */
    assert_int_equal(obd_uds_req_dtcs(b, sizeof b, 0x0C), 5);
    assert_memory_equal(b, ((uint8_t[]){ 0x19, 0x42, 0x33, 0x0C, 0xFF }), 5);
    assert_int_equal(obd_uds_req_dtcs(b, sizeof b, 0), OBD_EINVAL);
    assert_int_equal(obd_uds_req_permanent(b, sizeof b), 3);
    assert_memory_equal(b, ((uint8_t[]){ 0x19, 0x55, 0x33 }), 3);
    assert_int_equal(obd_uds_req_readiness_group(b, sizeof b, 0x05), 4);
    assert_memory_equal(b, ((uint8_t[]){ 0x19, 0x56, 0x33, 0x05 }), 4);
    assert_int_equal(obd_uds_req_snapshot(b, sizeof b, 0x042000), 6); /* P0420, FTB 00, all records */
    assert_memory_equal(b, ((uint8_t[]){ 0x19, 0x04, 0x04, 0x20, 0x00, 0xFF }), 6);
    assert_int_equal(obd_uds_req_clear(b, sizeof b), 4);
    assert_memory_equal(b, ((uint8_t[]){ 0x14, 0xFF, 0xFF, 0x33 }), 4);
    assert_int_equal(obd_uds_req_clear(b, 3), OBD_ENOSPC);
}

/* ---------------- 62 F4xx ---------------- */

static void test_pid_reply(void **state)
{
    (void)state;
    obd_pid_reply_t r;
    const uint8_t asked[] = { 0x0C, 0x0D };
    /* 62 | F40C 1A F8 (0x1AF8 / 4 = 1726 rpm) | F40D 32 (50 km/h) */
    const uint8_t m[] = { 0x62, 0xF4, 0x0C, 0x1A, 0xF8, 0xF4, 0x0D, 0x32 };
    assert_int_equal(obd_uds_parse_pid_reply(m, sizeof m, asked, 2, &r), OBD_OK);
    assert_false(r.nr.negative);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.pids[0].pid, 0x0C);
    assert_int_equal(r.pids[0].len, 2);
    obd_value_t v[OBD_PID_MAX_FIELDS];
    assert_int_equal(obd_pid_decode(r.pids[0].pid, r.pids[0].data, r.pids[0].len, v, LEN(v)), 1);
    assert_true(v[0].value == 1726.0);
    assert_int_equal(obd_pid_decode(r.pids[1].pid, r.pids[1].data, r.pids[1].len, v, LEN(v)), 1);
    assert_true(v[0].value == 50.0);
    /* without the request: the PID table still sizes every record */
    assert_int_equal(obd_uds_parse_pid_reply(m, sizeof m, NULL, 0, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    /* the ECU left out F40C (unsupported): fine */
    const uint8_t only_d[] = { 0x62, 0xF4, 0x0D, 0x32 };
    assert_int_equal(obd_uds_parse_pid_reply(only_d, sizeof only_d, asked, 2, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    /* out of request order, or not asked for */
    const uint8_t swapped[] = { 0x62, 0xF4, 0x0D, 0x32, 0xF4, 0x0C, 0x1A, 0xF8 };
    assert_int_equal(obd_uds_parse_pid_reply(swapped, sizeof swapped, asked, 2, &r), OBD_EPID);
    const uint8_t other[] = { 0x62, 0xF4, 0x05, 0x5A };
    assert_int_equal(obd_uds_parse_pid_reply(other, sizeof other, asked, 2, &r), OBD_EPID);
    /* a DID outside F400-F4FF */
    const uint8_t vin_did[] = { 0x62, 0xF1, 0x90, 0x41 };
    assert_int_equal(obd_uds_parse_pid_reply(vin_did, sizeof vin_did, NULL, 0, &r), OBD_EPID);
    /* cut short, one stray byte, empty */
    assert_int_equal(obd_uds_parse_pid_reply(m, 4, asked, 2, &r), OBD_ESHORT);
    const uint8_t stray[] = { 0x62, 0xF4, 0x0D, 0x32, 0x00 };
    assert_int_equal(obd_uds_parse_pid_reply(stray, sizeof stray, asked, 2, &r), OBD_ELEN);
    assert_int_equal(obd_uds_parse_pid_reply(m, 1, asked, 2, &r), OBD_ESHORT);
    assert_int_equal(obd_uds_parse_pid_reply(m, 2, asked, 2, &r), OBD_ESHORT);
    /* negative: requestOutOfRange (none of the DIDs supported) */
    const uint8_t neg[] = { 0x7F, 0x22, 0x31 };
    assert_int_equal(obd_uds_parse_pid_reply(neg, sizeof neg, asked, 2, &r), OBD_OK);
    assert_true(r.nr.negative);
    assert_int_equal(r.nr.nrc, 0x31);
    /* another service's reply */
    const uint8_t pos41[] = { 0x41, 0x0C, 0x1A, 0xF8 };
    assert_int_equal(obd_uds_parse_pid_reply(pos41, sizeof pos41, asked, 2, &r), OBD_ESID);
}

static void test_pid_reply_bitmap_readiness(void **state)
{
    (void)state;
    obd_pid_reply_t r;
    /* 62 F400 98 1A 80 01: PIDs 01 04 05 0C 0D 0F 11 20 supported (bits of 98 1A 80 01) */
    const uint8_t bm[] = { 0x62, 0xF4, 0x00, 0x98, 0x1A, 0x80, 0x01 };
    uint8_t p0 = 0x00;
    assert_int_equal(obd_uds_parse_pid_reply(bm, sizeof bm, &p0, 1, &r), OBD_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.pids[0].len, 4);
    obd_pidset_t set;
    memset(&set, 0, sizeof set);
    assert_int_equal(obd_pidset_merge(&set, 0, r.pids[0].data, r.pids[0].len), OBD_OK);
    const uint8_t want[] = { 0x01, 0x04, 0x05, 0x0C, 0x0D, 0x0F, 0x11, 0x20 };
    uint8_t got[256];
    assert_int_equal(obd_pidset_list(&set, got, sizeof got), LEN(want));
    assert_memory_equal(got, want, sizeof want);

    /* F401 81 07 65 04: MIL on, 1 confirmed DTC; misfire/fuel/components
     * supported and complete; catalyst, evap, O2 sensor, O2 heater supported
     * (C = 0110 0101); evap not complete (D bit 2). */
    const uint8_t rd[] = { 0x62, 0xF4, 0x01, 0x81, 0x07, 0x65, 0x04 };
    assert_int_equal(obd_uds_parse_pid_reply(rd, sizeof rd, NULL, 0, &r), OBD_OK);
    obd_readiness_t rdy;
    assert_int_equal(obd_readiness_decode(r.pids[0].data, r.pids[0].len, false, &rdy), OBD_OK);
    assert_true(rdy.mil_on);
    assert_int_equal(rdy.dtc_count, 1);
    assert_true(rdy.mon[OBD_MON_CATALYST].supported && rdy.mon[OBD_MON_CATALYST].complete);
    assert_true(rdy.mon[OBD_MON_EVAP].supported && !rdy.mon[OBD_MON_EVAP].complete);
    assert_false(rdy.mon[OBD_MON_EGR_VVT].supported);

    /* a PID the table does not size can only be the last one asked */
    uint8_t unknown = 0;
    for (unsigned p = 0xFF; p > 0; p--)
        if (!obd_pid_len((uint8_t)p)) {
            unknown = (uint8_t)p;
            break;
        }
    assert_int_not_equal(unknown, 0);
    const uint8_t asked[] = { 0x0D, unknown };
    const uint8_t last[] = { 0x62, 0xF4, 0x0D, 0x32, 0xF4, unknown, 0xAA, 0xBB, 0xCC };
    assert_int_equal(obd_uds_parse_pid_reply(last, sizeof last, asked, 2, &r), OBD_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.pids[1].len, 3);
    const uint8_t asked_first[] = { unknown, 0x0D };
    const uint8_t first[] = { 0x62, 0xF4, unknown, 0xAA, 0xF4, 0x0D, 0x32 };
    assert_int_equal(obd_uds_parse_pid_reply(first, sizeof first, asked_first, 2, &r), OBD_EPID);

    /* more records than obd_pid_reply_t holds */
    uint8_t many[1 + 7 * 3];
    many[0] = 0x62;
    for (int i = 0; i < 7; i++) {
        many[1 + 3 * i] = 0xF4;
        many[2 + 3 * i] = 0x0D;
        many[3 + 3 * i] = (uint8_t)i;
    }
    assert_int_equal(obd_uds_parse_pid_reply(many, sizeof many, NULL, 0, &r), OBD_ENOSPC);
}

/* ---------------- 62 F8xx ---------------- */

static void test_info_reply(void **state)
{
    (void)state;
    obd_info_reply_t *r = calloc(1, sizeof *r);
    assert_non_null(r);
    const char *vin = "1G1ZD5ST7VF027001";
    uint8_t m[64] = { 0x62, 0xF8, 0x02 };
    memcpy(m + 3, vin, 17);
    assert_int_equal(obd_uds_parse_info_reply(m, 20, OBD_INFO_VIN, r), OBD_OK);
    assert_int_equal(r->count, 1);
    char text[40];
    assert_int_equal(obd_info_text(&r->items[0], text, sizeof text), OBD_OK);
    assert_string_equal(text, vin);
    /* with a NODI byte (01) in front, as service 09 sends it */
    uint8_t m2[64] = { 0x62, 0xF8, 0x02, 0x01 };
    memcpy(m2 + 4, vin, 17);
    assert_int_equal(obd_uds_parse_info_reply(m2, 21, OBD_INFO_VIN, r), OBD_OK);
    assert_int_equal(r->count, 1);
    assert_int_equal(obd_info_text(&r->items[0], text, sizeof text), OBD_OK);
    assert_string_equal(text, vin);
    /* 16 characters: no whole VIN */
    assert_int_equal(obd_uds_parse_info_reply(m, 19, OBD_INFO_VIN, r), OBD_ELEN);
    /* the wrong DID, nothing after the DID, negative */
    assert_int_equal(obd_uds_parse_info_reply(m, 20, OBD_INFO_CALID, r), OBD_EPID);
    assert_int_equal(obd_uds_parse_info_reply(m, 3, OBD_INFO_VIN, r), OBD_ESHORT);
    const uint8_t neg[] = { 0x7F, 0x22, 0x31 };
    assert_int_equal(obd_uds_parse_info_reply(neg, 3, OBD_INFO_VIN, r), OBD_OK);
    assert_true(r->nr.negative);
    /* two CALIDs of 16 bytes (zero padded) and two CVNs */
    uint8_t c[3 + 32] = { 0x62, 0xF8, 0x04 };
    memcpy(c + 3, "12711234AA_0003", 15);
    memcpy(c + 19, "JMB*47F82100", 12);
    assert_int_equal(obd_uds_parse_info_reply(c, sizeof c, OBD_INFO_CALID, r), OBD_OK);
    assert_int_equal(r->count, 2);
    assert_int_equal(obd_info_text(&r->items[1], text, sizeof text), OBD_OK);
    assert_string_equal(text, "JMB*47F82100");
    const uint8_t cvn[] = { 0x62, 0xF8, 0x06, 0x7C, 0x1E, 0x44, 0xA2, 0x11, 0x22, 0x33, 0x44 };
    assert_int_equal(obd_uds_parse_info_reply(cvn, sizeof cvn, OBD_INFO_CVN, r), OBD_OK);
    assert_int_equal(r->count, 2);
    assert_memory_equal(r->items[0].data, ((uint8_t[]){ 0x7C, 0x1E, 0x44, 0xA2 }), 4);
    assert_int_equal(obd_uds_parse_info_reply(cvn, sizeof cvn - 1, OBD_INFO_CVN, r), OBD_ELEN);
    free(r);
}

/* ---------------- 59 42 / 55 / 56 ---------------- */

static void test_dtc_reply(void **state)
{
    (void)state;
    obd_uds_dtc_reply_t *r = calloc(1, sizeof *r);
    obd_dtc_set_t *set = calloc(1, sizeof *set);
    assert_non_null(r);
    assert_non_null(set);
    /* 59 42 | FGID 33 | status avail FF | severity avail E0 | format 04 |
     *   40 04 20 00 2F  (checkAtNextHalt, P0420-00, failed+pending+confirmed)
     *   40 01 37 1C 24  (P0137-1C: pending + failed since clear)           */
    const uint8_t m[] = { 0x59, 0x42, 0x33, 0xFF, 0xE0, 0x04, 0x40, 0x04, 0x20,
                          0x00, 0x2F, 0x40, 0x01, 0x37, 0x1C, 0x24 };
    assert_int_equal(obd_uds_parse_dtc_reply(m, sizeof m, 0x42, r), OBD_OK);
    assert_int_equal(r->fgid, 0x33);
    assert_int_equal(r->avail_mask, 0xFF);
    assert_int_equal(r->severity_avail, 0xE0);
    assert_int_equal(r->format, 0x04);
    assert_int_equal(r->count, 2);
    assert_int_equal(r->dtcs[0].code, 0x042000);
    assert_int_equal(r->dtcs[0].severity, 0x40);
    assert_int_equal(r->dtcs[1].code, 0x01371C);
    assert_int_equal(r->dtcs[1].status, 0x24);
    /* stored = confirmed bit, pending = pending bit */
    assert_int_equal(obd_uds_dtc_set_fill(set, r, UDS_ST_CONFIRMED), 1);
    assert_true(set->uds_format);
    assert_int_equal(set->count, 1);
    char t[OBD_DTC_TEXT_LEN];
    obd_dtc_format(set->dtcs[0], t);
    assert_string_equal(t, "P0420");
    assert_int_equal(obd_uds_dtc_set_fill(set, r, UDS_ST_PENDING), 2);
    obd_dtc_format(set->dtcs[1], t);
    assert_string_equal(t, "P0137");
    assert_int_equal(set->ftb[1], 0x1C);
    assert_int_equal(set->status[1], 0x24);
    /* records not whole, header cut, wrong echo, sub-function not ours */
    assert_int_equal(obd_uds_parse_dtc_reply(m, sizeof m - 1, 0x42, r), OBD_ELEN);
    assert_int_equal(obd_uds_parse_dtc_reply(m, 5, 0x42, r), OBD_ESHORT);
    assert_int_equal(obd_uds_parse_dtc_reply(m, sizeof m, 0x55, r), OBD_EPID);
    assert_int_equal(obd_uds_parse_dtc_reply(m, sizeof m, 0x02, r), OBD_EINVAL);
    /* no DTCs at all */
    assert_int_equal(obd_uds_parse_dtc_reply(m, 6, 0x42, r), OBD_OK);
    assert_int_equal(r->count, 0);

    /* 59 55 | 33 | FF | 04 | 04 20 00 08 (P0420, confirmed) */
    const uint8_t p[] = { 0x59, 0x55, 0x33, 0xFF, 0x04, 0x04, 0x20, 0x00, 0x08 };
    assert_int_equal(obd_uds_parse_dtc_reply(p, sizeof p, 0x55, r), OBD_OK);
    assert_int_equal(r->count, 1);
    assert_int_equal(r->dtcs[0].code, 0x042000);
    assert_int_equal(r->dtcs[0].severity, 0);
    assert_int_equal(obd_uds_parse_dtc_reply(p, sizeof p - 2, 0x55, r), OBD_ELEN);
    /* 59 56 | 33 | FF | 04 | readiness group 05 | 04 20 00 08 */
    const uint8_t g[] = { 0x59, 0x56, 0x33, 0xFF, 0x04, 0x05, 0x04, 0x20, 0x00, 0x08 };
    assert_int_equal(obd_uds_parse_dtc_reply(g, sizeof g, 0x56, r), OBD_OK);
    assert_int_equal(r->rgid, 0x05);
    assert_int_equal(r->count, 1);
    /* negative: sub-function not supported */
    const uint8_t neg[] = { 0x7F, 0x19, 0x12 };
    assert_int_equal(obd_uds_parse_dtc_reply(neg, 3, 0x42, r), OBD_OK);
    assert_true(r->nr.negative);
    assert_int_equal(r->nr.nrc, 0x12);
    /* more records than UDS_MAX_DTCS */
    size_t n = 5 + 4 * (UDS_MAX_DTCS + 2);
    uint8_t *big = calloc(1, n);
    assert_non_null(big);
    memcpy(big, p, 5);
    assert_int_equal(obd_uds_parse_dtc_reply(big, n, 0x55, r), OBD_ENOSPC);
    assert_int_equal(r->count, UDS_MAX_DTCS);
    assert_int_equal(r->total, UDS_MAX_DTCS + 2);
    free(big);
    free(set);
    free(r);
}

/* ---------------- 59 04 ---------------- */

static void test_snapshot_ff(void **state)
{
    (void)state;
    obd_pid_sample_t ff[8];
    size_t n = 99;
    obd_nr_t nr;
    /* 59 04 | 04 20 00 | status 2F | record 00, 3 identifiers:
     *   F40C 1C C0 (0x1CC0 / 4 = 1840 rpm), F40D 48 (72 km/h), F405 83 (131 - 40 = 91 degC) */
    const uint8_t m[] = { 0x59, 0x04, 0x04, 0x20, 0x00, 0x2F, 0x00, 0x03, 0xF4, 0x0C,
                          0x1C, 0xC0, 0xF4, 0x0D, 0x48, 0xF4, 0x05, 0x83 };
    assert_int_equal(obd_uds_snapshot_ff(m, sizeof m, 0x042000, &nr, ff, LEN(ff), &n), OBD_OK);
    assert_false(nr.negative);
    assert_int_equal(n, 3);
    assert_int_equal(ff[0].pid, 0x0C);
    assert_int_equal(ff[0].len, 2);
    obd_value_t v[OBD_PID_MAX_FIELDS];
    assert_int_equal(obd_pid_decode(ff[0].pid, ff[0].data, ff[0].len, v, LEN(v)), 1);
    assert_true(v[0].value == 1840.0);
    assert_int_equal(obd_pid_decode(ff[2].pid, ff[2].data, ff[2].len, v, LEN(v)), 1);
    assert_true(v[0].value == 91.0);
    /* asked about another DTC; room for one sample only */
    assert_int_equal(obd_uds_snapshot_ff(m, sizeof m, 0x030100, &nr, ff, LEN(ff), &n), OBD_EPID);
    assert_int_equal(obd_uds_snapshot_ff(m, sizeof m, 0x042000, &nr, ff, 1, &n), OBD_OK);
    assert_int_equal(n, 1);
    /* the DTC holds no record */
    assert_int_equal(obd_uds_snapshot_ff(m, 6, 0x042000, &nr, ff, LEN(ff), &n), OBD_OK);
    assert_int_equal(n, 0);
    /* an OEM DID (unknown length) last: skipped, the F4xx kept */
    const uint8_t oem[] = { 0x59, 0x04, 0x04, 0x20, 0x00, 0x2F, 0x00, 0x02, 0xF4, 0x0D, 0x48, 0xDD, 0x05, 0x01, 0x02 };
    assert_int_equal(obd_uds_snapshot_ff(oem, sizeof oem, 0x042000, &nr, ff, LEN(ff), &n), OBD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ff[0].pid, 0x0D);
    /* cut inside a record */
    assert_int_not_equal(obd_uds_snapshot_ff(m, sizeof m - 1, 0x042000, &nr, ff, LEN(ff), &n), OBD_OK);
    /* negative: no such DTC */
    const uint8_t neg[] = { 0x7F, 0x19, 0x31 };
    assert_int_equal(obd_uds_snapshot_ff(neg, 3, 0x042000, &nr, ff, LEN(ff), &n), OBD_OK);
    assert_true(nr.negative);
    assert_int_equal(nr.nrc, 0x31);
}

/* ---------------- the session against the simulated car, over SocketCAN ---------------- */

/* A link that forwards to the CAN link and remembers the service (and DID /
 * sub-function) of every request. */
typedef struct {
    obd_link_t base;
    obd_link_t *inner;
    size_t n;
    uint8_t req[512][3];
} spy_t;

static int spy_request(obd_link_t *l, const obd_request_t *r, obd_replies_t *out)
{
    spy_t *s = (spy_t *)l;
    if (s->n < LEN(s->req)) {
        memset(s->req[s->n], 0, 3);
        memcpy(s->req[s->n], r->data, r->len < 3 ? r->len : 3);
        s->n++;
    }
    return obd_link_request(s->inner, r, out);
}
static int spy_info(obd_link_t *l, obd_link_info_t *out) { return obd_link_info(((spy_t *)l)->inner, out); }
static void spy_close(obd_link_t *l) { (void)l; }
static const obd_link_ops_t spy_ops = { "spy", spy_request, spy_info, spy_close, NULL };

typedef struct {
    sim_vehicle_t *v;
    sim_can_bus_t *bus;
    obd_link_t *can;
    spy_t spy;
} car_t;

static void car_open(car_t *c, const char *file)
{
    char err[200] = "";
    memset(c, 0, sizeof *c);
    int rc = sim_vehicle_load(file, &c->v, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, OBD_OK);
    sim_can_opts_t so = { .ecu_delay_ms = -1, .pad = -2 };
    int fd = -1;
    assert_int_equal(sim_can_bus_start(c->v, &so, &c->bus, &fd, err, sizeof err), OBD_OK);
    rc = can_link_open_fd(fd, NULL, NULL, &c->can, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, OBD_OK);
    c->spy.base.ops = &spy_ops;
    c->spy.inner = c->can;
}

static void car_close(car_t *c)
{
    obd_link_close(c->can);
    assert_int_equal(sim_can_bus_stop(c->bus), OBD_OK);
    sim_vehicle_free(c->v);
}

static bool emission_only(const uint8_t *q)
{
    switch (q[0]) {
    case 0x01: return q[1] == 0x00 || q[1] == 0x0C; /* the classic probe and rpm guard: unanswered */
    case 0x04: return true;         /* the classic clear: unanswered, then 14 FF FF 33 */
    case 0x22: return q[1] == 0xF4 || q[1] == 0xF8;
    case 0x19: return q[1] == 0x42 || q[1] == 0x55 || q[1] == 0x04;
    case 0x14: return q[1] == 0xFF && q[2] == 0xFF;
    default: return false;
    }
}

static void check_emission_only(const spy_t *spy)
{
    for (size_t i = 0; i < spy->n; i++)
        if (!emission_only(spy->req[i]))
            fail_msg("request %zu: %02X %02X %02X is not an emissions request", i, spy->req[i][0], spy->req[i][1],
                     spy->req[i][2]);
}

static void test_session_scan(void **state)
{
    (void)state;
    car_t c;
    car_open(&c, "tests/scenarios/obdonuds.ini");
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_non_null(s);
    assert_int_equal(obd_scan_run(&c.spy.base, s, NULL, NULL), OBD_OK);
    assert_int_equal(s->obd_protocol, OBD_PROTOCOL_ON_UDS);
    assert_string_equal(s->vin, "1G1ZD5ST7VF027001");
    assert_int_equal(s->vin_source, OBD_VIN_SRC_UDS_F802);
    assert_false(s->vin_check_failed);
    assert_int_equal(s->necus, 1);
    const obd_ecu_scan_t *e = &s->ecus[0];
    assert_int_equal(e->addr, 0x7E8);
    assert_string_equal(e->name, "ECM-EngineControl");
    /* readiness from F401: MIL on (1 confirmed), catalyst incomplete, the rest complete */
    assert_true(s->status_known && s->mil_on);
    assert_int_equal(s->dtc_count, 1);
    assert_true(e->has_readiness);
    assert_true(e->readiness.mon[OBD_MON_CATALYST].supported && !e->readiness.mon[OBD_MON_CATALYST].complete);
    assert_true(e->readiness.mon[OBD_MON_EVAP].supported && e->readiness.mon[OBD_MON_EVAP].complete);
    assert_int_equal(e->warmups_since_clear, 22);
    assert_int_equal(e->km_since_clear, 480);
    assert_true(e->odometer_km > 12890.3 && e->odometer_km < 12890.5);
    assert_int_equal(e->ncalid, 1);
    assert_string_equal(e->calid[0], "12711234AA_0003");
    assert_int_equal(e->ncvn, 1);
    assert_int_equal(e->cvn[0], 0x7C1E44A2);
    /* DTCs: stored = confirmed P0420; pending P0171 and P0137-1C; permanent P0420 */
    char t[OBD_DTC_TEXT_LEN];
    assert_int_equal(e->stored.state, OBD_READ_OK);
    assert_true(e->stored.uds_format);
    assert_int_equal(e->stored.count, 1);
    obd_dtc_format(e->stored.dtcs[0], t);
    assert_string_equal(t, "P0420");
    assert_true(e->stored.status[0] & UDS_ST_CONFIRMED);
    assert_int_equal(e->pending.count, 2);
    obd_dtc_format(e->pending.dtcs[1], t);
    assert_string_equal(t, "P0137");
    assert_int_equal(e->pending.ftb[1], 0x1C);
    assert_int_equal(e->permanent.state, OBD_READ_OK);
    assert_int_equal(e->permanent.count, 1);
    assert_int_equal(e->addressing[OBD_SVC_STORED_DTC], OBD_ADDR_FUNCTIONAL);
    /* the freeze frame of P0420 from 19 04: rpm 1840, speed 72 */
    assert_true(e->has_ff);
    assert_int_equal(e->ff_state, OBD_READ_OK);
    obd_dtc_format(e->ff_dtc, t);
    assert_string_equal(t, "P0420");
    bool rpm = false, speed = false;
    for (size_t i = 0; i < e->nff; i++) {
        rpm |= e->ff[i].pid == 0x0C && e->ff[i].len == 2 && (e->ff[i].data[0] << 8 | e->ff[i].data[1]) == 1840 * 4;
        speed |= e->ff[i].pid == 0x0D && e->ff[i].data[0] == 72;
    }
    assert_true(rpm && speed);
    /* nothing but emission services went out */
    check_emission_only(&c.spy);
    assert_int_equal(c.spy.req[0][0], 0x01); /* classic first */

    /* live data through 22 F4xx */
    obd_live_t lv;
    const uint8_t pids[] = { 0x0C, 0x0D, 0x5C };
    uint8_t unsup[4];
    size_t nun = 0;
    assert_int_equal(obd_live_init(&lv, &c.spy.base, pids, 3, true, unsup, &nun), OBD_OK);
    assert_true(lv.on_uds);
    assert_int_equal(nun, 1);
    assert_int_equal(unsup[0], 0x5C);
    obd_live_sample_t smp[8];
    int k = obd_live_poll(&lv, &c.spy.base, smp, LEN(smp));
    assert_int_equal(k, 2);
    assert_int_equal(smp[0].pid, 0x0C);
    double r = (smp[0].data[0] * 256 + smp[0].data[1]) / 4.0;
    assert_true(r >= 780 && r <= 900);
    assert_int_equal(smp[1].pid, 0x0D);
    assert_true(obd_engine_rpm(&c.spy.base) >= 780);

    /* the clear: 04 unanswered, then 14 FF FF 33; confirmed and pending gone, permanent stays */
    obd_clear_result_t cr;
    assert_int_equal(obd_clear_run(&c.spy.base, &cr), OBD_OK);
    assert_false(cr.refused);
    assert_int_equal(cr.acked, 1);
    assert_int_equal(cr.acked_by[0], 0x7E8);
    assert_int_equal(obd_scan_run(&c.spy.base, s, NULL, NULL), OBD_OK);
    assert_int_equal(s->ecus[0].stored.count, 0);
    assert_int_equal(s->ecus[0].pending.count, 0);
    assert_int_equal(s->ecus[0].permanent.count, 1);
    assert_false(s->ecus[0].has_ff);
    assert_false(s->mil_on);
    assert_true(s->recently_cleared);
    check_emission_only(&c.spy);
    free(s);
    car_close(&c);
}

static void test_session_classic_unchanged(void **state)
{
    (void)state;
    car_t c;
    car_open(&c, "tests/scenarios/default.ini");
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_non_null(s);
    assert_int_equal(obd_scan_run(&c.spy.base, s, NULL, NULL), OBD_OK);
    assert_int_equal(s->obd_protocol, OBD_PROTOCOL_CLASSIC);
    assert_string_equal(s->vin, "LFV2A21K6M3012345");
    for (size_t i = 0; i < c.spy.n; i++)
        assert_int_not_equal(c.spy.req[i][0], 0x22); /* no UDS when 01 00 answers */
    /* the OBD-on-UDS scan alone on a classic car: nobody answers F400 */
    assert_int_equal(obd_uds_scan_run(&c.spy.base, s, NULL, NULL), OBD_ENOVEHICLE);
    assert_int_equal(s->necus, 0);
    free(s);
    car_close(&c);
}

/* An ECU that answers F400 and then only ever 7F xx 78 (responsePending):
 * each request is repeated once (the link then waits up to P2*), and the
 * reads end as "no answer" instead of waiting for ever. */
typedef struct {
    obd_link_t base;
    unsigned requests, long_waits;
} pending_t;

static int pending_request(obd_link_t *l, const obd_request_t *r, obd_replies_t *out)
{
    pending_t *p = (pending_t *)l;
    p->requests++;
    p->long_waits += r->timeout_ms >= 5000;
    obd_replies_reset(out);
    if (r->len == 3 && r->data[0] == 0x22 && r->data[1] == 0xF4 && r->data[2] == 0x00)
        return obd_replies_add(out, 0x7E8, (const uint8_t[]){ 0x62, 0xF4, 0x00, 0x80, 0x00, 0x00, 0x00 }, 7, false);
    if (r->data[0] == 0x01 || r->data[0] == 0x04)
        return OBD_OK; /* no classic services */
    return obd_replies_add(out, 0x7E8, (const uint8_t[]){ 0x7F, r->data[0], 0x78 }, 3, false);
}
static int pending_info(obd_link_t *l, obd_link_info_t *out)
{
    (void)l;
    memset(out, 0, sizeof *out);
    out->protocol = OBD_PROTO_CAN11_500;
    return OBD_OK;
}
static const obd_link_ops_t pending_ops = { "pending", pending_request, pending_info, spy_close, NULL };

static void test_session_pending_bounded(void **state)
{
    (void)state;
    pending_t p = { .base.ops = &pending_ops };
    obd_scan_t *s = calloc(1, sizeof *s);
    assert_non_null(s);
    assert_int_equal(obd_scan_run(&p.base, s, NULL, NULL), OBD_OK);
    assert_int_equal(s->obd_protocol, OBD_PROTOCOL_ON_UDS);
    assert_int_equal(s->necus, 1);
    const obd_ecu_scan_t *e = &s->ecus[0];
    assert_false(e->has_readiness);
    assert_int_equal(e->stored.state, OBD_READ_NO_ANSWER);
    assert_int_equal(e->permanent.state, OBD_READ_NO_ANSWER);
    assert_int_equal(e->addressing[OBD_SVC_STORED_DTC], OBD_ADDR_NONE);
    assert_string_equal(s->vin, "");
    /* every pending request was repeated once with P2*, never more */
    assert_true(p.long_waits > 0);
    assert_true(p.requests < 40);
    obd_clear_result_t cr;
    assert_int_equal(obd_clear_run(&p.base, &cr), OBD_OK);
    assert_int_equal(cr.acked, 0);
    assert_false(cr.refused);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builders),
        cmocka_unit_test(test_pid_reply),
        cmocka_unit_test(test_pid_reply_bitmap_readiness),
        cmocka_unit_test(test_info_reply),
        cmocka_unit_test(test_dtc_reply),
        cmocka_unit_test(test_snapshot_ff),
        cmocka_unit_test(test_session_scan),
        cmocka_unit_test(test_session_classic_unchanged),
        cmocka_unit_test(test_session_pending_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
