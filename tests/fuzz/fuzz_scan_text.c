/* Fuzz target: a scan note or deviation text as loaded from a store (any
 * bytes), matched against the sentence tables and translated into buffers
 * of every small size; and a DTC list's state line from arbitrary fields. */
#include <stdint.h>
#include <string.h>

#include "obdgw/scan_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = 0;
    char out[320];
    size_t cap = size ? (size_t)data[0] % sizeof out + 1 : sizeof out;
    obd_scan_note_text(text, OBD_LANG_ZH, out, cap);
    obd_deviation_text(text, OBD_LANG_ZH, out, cap);
    obd_scan_note_text(text, OBD_LANG_EN, out, cap);
    obd_dtc_set_t s;
    memset(&s, 0, sizeof s);
    if (size >= 4) {
        s.state = data[1];
        s.nrc = data[2];
        s.rawlen = (uint16_t)(data[3] * 3);
        memcpy(s.deviation, text, n < sizeof s.deviation ? n : sizeof s.deviation); /* may be unterminated */
        memcpy(s.raw, data, size < sizeof s.raw ? size : sizeof s.raw);
    }
    obd_dtc_set_state_text(&s, OBD_LANG_ZH, out, cap);
    obd_dtc_set_state_text(&s, OBD_LANG_EN, out, cap);
    return 0;
}
