/*
 * Fuzz target: UDS (ISO 14229-1) reply parsers and builders. The first input
 * byte selects what to run, the rest is the input:
 *   0 $50 session reply (expected session = next byte)
 *   1 $7E tester present reply        2 $54 clear reply
 *   3 $62 DID reply, no asked list    4 $62 with an asked list: next byte
 *     n (0..7), then n DIDs, then the reply; uses a length oracle
 *   5 $59 with sub-function 0 (any), then its records through the snapshot
 *     splitter (with and without the oracle)
 *   6-11 $59 expecting 01, 02, 04, 06, 0A, 15
 *   12 uds_check_reply for a SID taken from the next byte
 *   13 snapshot splitter on raw bytes     14 DID text
 *   15 NRC, session, DID tables and the builders, driven by the bytes
 * Every pointer a parser returns is read to its reported length, so ASan
 * flags any that escapes the input.
 */
#include <stdint.h>
#include <string.h>

#include "obdgw/uds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink;

static void touch(const uint8_t *p, size_t n)
{
    uint8_t x = 0;
    for (size_t i = 0; i < n; i++)
        x ^= p[i];
    sink ^= x;
}

/* Lengths from the DID's low bits, 0 (unknown) for a quarter of them. */
static int oracle(uint16_t did, void *ctx)
{
    (void)ctx;
    return (did & 3) == 0 ? 0 : (int)(did & 0x0F);
}

static void run_did(const uint8_t *p, size_t n, const uint16_t *asked, size_t nasked, bool ex)
{
    uds_did_reply_t r;
    int rc = ex ? uds_parse_did_reply_ex(p, n, asked, nasked, oracle, NULL, &r)
                : uds_parse_did_reply(p, n, asked, nasked, &r);
    if ((rc == OBD_OK || rc == OBD_ENOSPC) && !r.nr.negative)
        for (size_t i = 0; i < r.count; i++) {
            touch(r.dids[i].data, r.dids[i].len);
            char t[64];
            uds_did_text(r.dids[i].data, r.dids[i].len, t, sizeof t);
        }
}

static void run_snapshot(const uint8_t *p, size_t n, bool with_oracle)
{
    uds_snapshot_t s[4];
    size_t ns = 0;
    int rc = uds_snapshot_split(p, n, with_oracle ? oracle : NULL, NULL, s, 4, &ns);
    if (rc == OBD_OK || rc == OBD_ENOSPC)
        for (size_t i = 0; i < ns && i < 4; i++)
            for (size_t k = 0; k < s[i].count; k++)
                touch(s[i].dids[k].data, s[i].dids[k].len);
}

static void run_dtc(const uint8_t *p, size_t n, uint8_t subfn)
{
    static uds_dtc_reply_t r;
    int rc = uds_parse_dtc_reply(p, n, subfn, &r);
    if ((rc != OBD_OK && rc != OBD_ENOSPC) || r.nr.negative)
        return;
    for (size_t i = 0; i < r.ndtcs; i++) {
        char t[UDS_DTC_TEXT_LEN];
        uds_dtc_format(r.dtcs[i].code, t);
        sink ^= (uint8_t)t[0];
    }
    if (r.records_len) {
        touch(r.records, r.records_len);
        if (r.subfn == UDS_RDTC_SNAPSHOT) {
            run_snapshot(r.records, r.records_len, false);
            run_snapshot(r.records, r.records_len, true);
            uds_snap_line_t lines[6]; /* small: the ENOSPC path too */
            size_t nl = 0;
            uds_snapshot_describe(r.records, r.records_len, (r.records_len & 1) ? OBD_LANG_ZH : OBD_LANG_EN, lines,
                                  6, &nl);
            for (size_t i = 0; i < nl; i++)
                sink ^= (uint8_t)(lines[i].name[0] ^ lines[i].value[0] ^ lines[i].record);
        }
    }
}

static void run_tables(const uint8_t *p, size_t n)
{
    uint8_t b[40];
    uint8_t v = n > 0 ? p[0] : 0;
    uint32_t code = n >= 4 ? ((uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | v) : v;
    size_t cap = n > 4 ? p[4] % sizeof b : sizeof b;
    (void)uds_nrc_key(v);
    (void)uds_nrc_name(v, OBD_LANG_ZH);
    (void)uds_nrc_class_name(uds_nrc_class(v), OBD_LANG_EN);
    (void)uds_nrc_is_pending(v);
    (void)uds_session_name(v, OBD_LANG_EN);
    (void)uds_dtc_format_id_name(v, OBD_LANG_ZH);
    (void)uds_did_lookup((uint16_t)code);
    uds_req_session(b, cap, v, (code >> 8) & 1);
    uds_req_tester_present(b, cap, v & 1);
    uds_req_dtc_count(b, cap, v);
    uds_req_dtc_by_status(b, cap, v);
    uds_req_dtc_snapshot(b, cap, code, v);
    uds_req_dtc_extdata(b, cap, code, v);
    uds_req_dtc_supported(b, cap);
    uds_req_dtc_permanent(b, cap);
    uds_req_clear(b, cap, code);
    uint16_t dids[UDS_MAX_DIDS + 1];
    size_t nd = 0;
    for (size_t i = 5; i + 1 < n && nd < UDS_MAX_DIDS + 1; i += 2)
        dids[nd++] = (uint16_t)(p[i] << 8 | p[i + 1]);
    uds_req_read_did(b, cap, dids, nd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t sel = data[0] % 16;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    static const uint8_t subfns[6] = { 0x01, 0x02, 0x04, 0x06, 0x0A, 0x15 };
    switch (sel) {
    case 0: {
        if (n < 1)
            break;
        uds_session_reply_t r;
        uds_parse_session_reply(p + 1, n - 1, p[0], &r);
        break;
    }
    case 1: {
        obd_nr_t nr;
        uds_parse_tester_present_reply(p, n, &nr);
        break;
    }
    case 2: {
        obd_nr_t nr;
        uds_parse_clear_reply(p, n, &nr);
        break;
    }
    case 3:
        run_did(p, n, NULL, 0, false);
        break;
    case 4: {
        if (n < 1)
            break;
        size_t k = p[0] % 8;
        if (n < 1 + 2 * k)
            break;
        uint16_t asked[8];
        for (size_t i = 0; i < k; i++)
            asked[i] = (uint16_t)(p[1 + 2 * i] << 8 | p[2 + 2 * i]);
        run_did(p + 1 + 2 * k, n - 1 - 2 * k, asked, k, false);
        run_did(p + 1 + 2 * k, n - 1 - 2 * k, asked, k, true);
        break;
    }
    case 5:
        run_dtc(p, n, 0);
        break;
    case 6: case 7: case 8: case 9: case 10: case 11:
        run_dtc(p, n, subfns[sel - 6]);
        break;
    case 12:
        if (n >= 1) {
            obd_nr_t nr;
            uds_check_reply(p + 1, n - 1, p[0], &nr);
        }
        break;
    case 13:
        run_snapshot(p, n, false);
        run_snapshot(p, n, true);
        break;
    case 14: {
        char t[24];
        uds_did_text(p, n, t, sizeof t);
        break;
    }
    default:
        run_tables(p, n);
        break;
    }
    return 0;
}
