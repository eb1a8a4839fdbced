/*
 * Fuzz target: the PID decoder and formatter. Input: first byte = PID, the
 * rest = that PID's data bytes (any length, so wrong lengths are exercised
 * too). Every decoded value is formatted in both languages, into a roomy and
 * a tiny buffer; the bytes are also tried as a PID name for obd_pid_find().
 */
#include <stdint.h>
#include <string.h>

#include "obdgw/pid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t pid = data[0];
    obd_value_t v[OBD_PID_MAX_FIELDS];
    int n = obd_pid_decode(pid, data + 1, size - 1, v, OBD_PID_MAX_FIELDS);
    if (n >= 0) {
        const obd_pid_t *p = obd_pid_lookup(pid);
        /* a successful decode means a known PID of exactly its length */
        if (!p || p->len != size - 1 || n != p->nfields)
            __builtin_trap();
        for (int i = 0; i < n; i++) {
            char big[128], tiny[4];
            if (v[i].field != &p->fields[i])
                __builtin_trap();
            obd_value_format(&v[i], OBD_LANG_EN, big, sizeof big);
            obd_value_format(&v[i], OBD_LANG_ZH, big, sizeof big);
            obd_value_format(&v[i], OBD_LANG_EN, tiny, sizeof tiny);
            if (strlen(big) >= sizeof big || strlen(tiny) >= sizeof tiny)
                __builtin_trap();
        }
    }
    /* a too-small output array must be refused, never written past */
    if (n > 1) {
        obd_value_t one[1];
        if (obd_pid_decode(pid, data + 1, size - 1, one, 1) != OBD_ENOSPC)
            __builtin_trap();
    }
    char name[33];
    size_t k = size - 1 < sizeof name - 1 ? size - 1 : sizeof name - 1;
    memcpy(name, data + 1, k);
    name[k] = 0;
    obd_pid_find(name);
    return 0;
}
