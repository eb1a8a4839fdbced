/*
 * uds_snap.c — DTC snapshot records ($19 04) for people: each identifier's
 * name and value. DIDs F400-F4FF carry the OBD-II PID of their low byte
 * (ISO 14229-1 Annex C, SAE J1979-2), so their length and formula come from
 * the PID table; any other DID is OEM-defined and is shown as hex. Pure:
 * bytes in, text out.
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/pid.h"
#include "obdgw/uds.h"

int uds_obd_did_len(uint16_t did, void *ctx)
{
    (void)ctx;
    if ((did & 0xFF00) != 0xF400)
        return 0;
    const obd_pid_t *p = obd_pid_lookup((uint8_t)did);
    return p && !(p->flags & OBD_PF_BITMAP) ? p->len : 0;
}

static size_t put(uds_snap_line_t *out, size_t cap, size_t n, uint8_t rec, uint16_t did)
{
    if (n < cap) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].record = rec;
        out[n].did = did;
    }
    return n + 1;
}

int uds_snapshot_describe(const uint8_t *raw, size_t len, obd_lang_t lang, uds_snap_line_t *out, size_t cap,
                          size_t *nout)
{
    *nout = 0;
    uds_snapshot_t recs[8];
    size_t nrecs = 0;
    int rc = uds_snapshot_split(raw, len, uds_obd_did_len, NULL, recs, 8, &nrecs);
    if (rc != OBD_OK)
        return rc;
    size_t n = 0;
    for (size_t i = 0; i < nrecs; i++) {
        for (size_t k = 0; k < recs[i].count; k++) {
            const uds_did_rec_t *e = &recs[i].dids[k];
            obd_value_t v[OBD_PID_MAX_FIELDS];
            int nv = uds_obd_did_len(e->did, NULL) > 0
                         ? obd_pid_decode((uint8_t)e->did, e->data, e->len, v, OBD_PID_MAX_FIELDS)
                         : -1;
            if (nv <= 0) { /* OEM DID (or one the table cannot decode): its bytes */
                size_t at = n;
                n = put(out, cap, n, recs[i].number, e->did);
                if (at < cap) {
                    snprintf(out[at].name, sizeof out[at].name, "DID %04X", e->did);
                    obd_hex_text(e->data, e->len, out[at].value, sizeof out[at].value);
                }
                continue;
            }
            for (int f = 0; f < nv; f++) {
                size_t at = n;
                n = put(out, cap, n, recs[i].number, e->did);
                if (at >= cap)
                    continue;
                obd_value_label((uint8_t)e->did, &v[f], lang, out[at].name, sizeof out[at].name);
                obd_value_format(&v[f], lang, out[at].value, sizeof out[at].value);
            }
        }
    }
    *nout = n < cap ? n : cap;
    return n > cap ? OBD_ENOSPC : OBD_OK;
}
