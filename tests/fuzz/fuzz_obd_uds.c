/*
 * Fuzz target: the OBD-on-UDS (SAE J1979-2) reply parsers of src/obd_uds.c.
 * The first input byte selects the parser (low 2 bits) and an argument
 * (high 6 bits); the rest is the ECU's reply:
 *   0 62 F4xx: the argument's low 3 bits say how many of the reply's own
 *     first PIDs are passed as `asked` (0: NULL), then decoded with the PID
 *     table and, for F401, the readiness decoder;
 *   1 62 F8xx: infotype = argument (02 VIN, 04 CALID ...), then each item as
 *     text;
 *   2 59 42 / 55 / 56 (argument % 3), then the DTC list fill with the
 *     argument as status mask;
 *   3 59 04: the DTC asked about is the reply's own bytes 2-4 (or the
 *     argument when shorter), then the freeze samples decoded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/obd_uds.h"
#include "obdgw/pid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static obd_info_reply_t info;
static obd_uds_dtc_reply_t dtcs;
static obd_dtc_set_t set;

static void decode_pids(const obd_pid_reply_t *r)
{
    for (size_t i = 0; i < r->count; i++) {
        obd_value_t v[OBD_PID_MAX_FIELDS];
        obd_pid_decode(r->pids[i].pid, r->pids[i].data, r->pids[i].len, v, OBD_PID_MAX_FIELDS);
        if (r->pids[i].pid == 0x01) {
            obd_readiness_t rd;
            obd_readiness_decode(r->pids[i].data, r->pids[i].len, false, &rd);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0] & 3u, arg = data[0] >> 2;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    switch (sel) {
    case 0: {
        uint8_t asked[8];
        size_t na = arg & 7u;
        for (size_t i = 0; i < na; i++)
            asked[i] = n > 2 + 3 * i ? p[2 + 3 * i] : (uint8_t)i;
        obd_pid_reply_t r;
        int rc = obd_uds_parse_pid_reply(p, n, na ? asked : NULL, na, &r);
        if (r.count > OBD_MAX_PIDS_PER_REQUEST)
            abort();
        for (size_t i = 0; i < r.count; i++)
            if (!r.pids[i].data || r.pids[i].data < p || r.pids[i].data + r.pids[i].len > p + n)
                abort();
        if (rc == OBD_OK && !r.nr.negative)
            decode_pids(&r);
        break;
    }
    case 1:
        if (obd_uds_parse_info_reply(p, n, (uint8_t)arg, &info) == OBD_OK && !info.nr.negative) {
            if (info.count > OBD_MAX_INFO_ITEMS)
                abort();
            char text[OBD_MAX_INFO_ITEM_LEN + 1];
            for (size_t i = 0; i < info.count; i++) {
                if (info.items[i].len > OBD_MAX_INFO_ITEM_LEN)
                    abort();
                if (obd_info_text(&info.items[i], text, sizeof text) == OBD_OK && strlen(text) > OBD_MAX_INFO_ITEM_LEN)
                    abort();
            }
        }
        break;
    case 2: {
        static const uint8_t sfs[3] = { 0x42, 0x55, 0x56 };
        int rc = obd_uds_parse_dtc_reply(p, n, sfs[arg % 3], &dtcs);
        if (dtcs.count > UDS_MAX_DTCS || (rc == OBD_OK && dtcs.total != dtcs.count))
            abort();
        if ((rc == OBD_OK || rc == OBD_ENOSPC) && !dtcs.nr.negative) {
            size_t m = obd_uds_dtc_set_fill(&set, &dtcs, (uint8_t)(arg << 2 | 3));
            if (set.count > OBD_MAX_DTCS || set.count > m || m > dtcs.count)
                abort();
        }
        break;
    }
    default: {
        uint32_t code = n >= 5 ? (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4] : arg;
        obd_pid_sample_t ff[OBD_SCAN_MAX_FF_PIDS];
        size_t nf = 0;
        obd_nr_t nr;
        if (obd_uds_snapshot_ff(p, n, code, &nr, ff, OBD_SCAN_MAX_FF_PIDS, &nf) == OBD_OK) {
            if (nf > OBD_SCAN_MAX_FF_PIDS)
                abort();
            for (size_t i = 0; i < nf; i++) {
                if (ff[i].len > 8)
                    abort();
                obd_value_t v[OBD_PID_MAX_FIELDS];
                obd_pid_decode(ff[i].pid, ff[i].data, ff[i].len, v, OBD_PID_MAX_FIELDS);
            }
        }
        break;
    }
    }
    return 0;
}
