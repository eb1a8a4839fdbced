/*
 * Fuzz target: the ELM327 reply parser. The first input byte selects the
 * format (bits 0-1: CAN 11-bit, CAN 29-bit, legacy), headers (bit 2), the
 * legacy checksum (bit 3: J1850 CRC vs ISO sum), echo stripping (bit 4) and
 * ATCAF0 frames with headers off (bit 5); the rest is the adapter's text.
 */
#include <stdint.h>
#include <string.h>

#include "obdgw/elm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static obd_replies_t out;
    elm_reply_t r;
    elm_parse_opts_t o = {
        .fmt = (elm_fmt_t)(data[0] & 3) == 3 ? ELM_FMT_CAN11 : (elm_fmt_t)(data[0] & 3),
        .headers = (data[0] >> 2) & 1,
        .proto = (data[0] >> 3) & 1 ? OBD_PROTO_J1850_VPW : OBD_PROTO_ISO9141,
        .echo = (data[0] >> 4) & 1 ? "0100" : NULL,
        .raw_pci = (data[0] >> 5) & 1,
    };
    if (elm_parse_reply((const char *)data + 1, size - 1, &o, &r, &out) == OBD_OK) {
        /* every reported message must lie inside the arena */
        size_t sum = 0;
        for (size_t i = 0; i < out.count; i++) {
            if ((size_t)out.r[i].off + out.r[i].len > out.used)
                __builtin_trap();
            sum += out.r[i].len;
        }
        if (sum > out.used)
            __builtin_trap();
    }
    return 0;
}
