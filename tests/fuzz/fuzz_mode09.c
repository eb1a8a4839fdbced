/*
 * Fuzz target: service $09 replies, then every text item and the IPT
 * counters of whatever was parsed. The first input byte selects the shape:
 *   0 the rest is the whole reply;
 *   1 the rest follows a 0x49 SID the harness adds;
 *   2 legacy: rest = <infotype> <data...>, cut into 4-byte chunks and wrapped
 *     as messages 49 <infotype> <seq 1..N> <4 bytes> (a short last chunk is
 *     kept short, which must not be taken for the legacy form).
 * Bits 2-7 of the selector set the text buffer size handed to
 * obd_info_text (0..63), to exercise its bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/obd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static obd_info_reply_t reply;

static uint8_t *build(const uint8_t *data, size_t size, size_t *n_out)
{
    unsigned shape = (data[0] & 3u) % 3u;
    const uint8_t *in = data + 1;
    size_t len = size - 1;
    if (shape == 0 || shape == 1) {
        size_t n = len + shape;
        uint8_t *p = malloc(n ? n : 1);
        if (!p)
            return NULL;
        if (shape)
            p[0] = 0x49;
        memcpy(p + shape, in, len);
        *n_out = n;
        return p;
    }
    if (len < 1)
        return NULL;
    uint8_t type = in[0];
    in++;
    len--;
    size_t msgs = (len + 3) / 4;
    if (msgs > 300)
        msgs = 300;
    size_t n = 0;
    uint8_t *p = malloc(msgs * 7 + 1);
    if (!p)
        return NULL;
    for (size_t k = 0; k < msgs; k++) {
        size_t chunk = len - 4 * k < 4 ? len - 4 * k : 4;
        p[n++] = 0x49;
        p[n++] = type;
        p[n++] = (uint8_t)(k + 1);
        memcpy(p + n, in + 4 * k, chunk);
        n += chunk;
    }
    *n_out = n;
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t n = 0;
    uint8_t *p = build(data, size, &n);
    if (!p)
        return 0;
    size_t cap = data[0] >> 2;

    if (obd_parse_mode09(p, n, &reply) == OBD_OK && !reply.nr.negative) {
        if (reply.count > OBD_MAX_INFO_ITEMS)
            abort();
        char *text = malloc(cap ? cap : 1);
        for (size_t i = 0; text && i < reply.count; i++) {
            if (reply.items[i].len > OBD_MAX_INFO_ITEM_LEN)
                abort();
            if (obd_info_text(&reply.items[i], text, cap) == OBD_OK && strlen(text) >= cap)
                abort();
        }
        free(text);
        obd_ipt_t ipt;
        const uint8_t types[3] = { OBD_INFO_IPT_SPARK, OBD_INFO_IPT_COMPRESSION, reply.infotype };
        for (int t = 0; t < 3; t++)
            if (obd_ipt_decode(types[t], &reply, &ipt) == OBD_OK) {
                if (ipt.count > OBD_MAX_IPT)
                    abort();
                for (size_t i = 0; i < ipt.count; i++)
                    if (!ipt.c[i].key || !ipt.c[i].en || !ipt.c[i].zh)
                        abort();
            }
    }
    free(p);
    return 0;
}
