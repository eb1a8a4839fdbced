/*
 * Fuzz target: the signal decoder (src/signals_decode.c). The first 12
 * bytes describe a signal (bix, len, flags, mul/div/add, min/max), the rest
 * is one DID's data, copied to a heap buffer of exactly that size so ASan
 * sees any read past it. A signal that does not fit the data is "no value";
 * one that fits always decodes to a finite value within [min, max] when
 * max > min, and formats.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/signals.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 12)
        return 0;
    static sig_set_t set;
    memset(&set, 0, offsetof(sig_set_t, cmds));
    set.nsigs = 1;
    set.ncmds = 1;
    sig_signal_t *s = &set.sigs[0];
    memset(s, 0, sizeof *s);
    s->bix = (uint16_t)(data[0] << 8 | data[1]) % 512;
    s->len = (uint8_t)(data[2] % 64 + 1);
    s->sign = data[3] & 1;
    s->blsb = (data[3] & 2) && s->len > 8 && s->len % 8 == 0 && s->bix % 8 == 0;
    s->mul = (int8_t)data[4];
    s->div = data[5] ? data[5] : 1;
    s->add = (int8_t)data[6];
    s->min = (int8_t)data[7];
    s->max = (int16_t)(data[8] << 8 | data[9]);
    s->has_nullmax = data[3] & 4;
    s->nullmax = s->max;
    if (data[3] & 8) { /* a map of two entries */
        set.nmaps = 2;
        set.maps[0].raw = data[10];
        strcpy(set.maps[0].text, "a");
        set.maps[1].raw = data[11];
        strcpy(set.maps[1].text, "b");
        s->nmap = 2;
    } else {
        s->unit = sig_unit_find(data[10] & 1 ? "celsius" : data[10] & 2 ? "yesno" : "hex");
    }
    size_t n = size - 12;
    uint8_t *buf = malloc(n ? n : 1);
    expect(buf != NULL);
    if (n)
        memcpy(buf, data + 12, n);
    sig_value_t v;
    int st = sig_decode(&set, s, n ? buf : NULL, n, OBD_LANG_EN, &v);
    size_t need = ((size_t)s->bix + s->len + 7) / 8;
    if (n < need) {
        expect(st == SIG_V_SHORT);
    } else {
        expect(st == SIG_V_OK || st == SIG_V_NULL || st == SIG_V_UNMAPPED);
        expect(isfinite(v.value));
        if (st == SIG_V_OK && !s->nmap && s->max > s->min)
            expect(v.value >= s->min && v.value <= s->max);
        if (!s->sign && s->len < 63)
            expect(v.raw >= 0 && (uint64_t)v.raw < (UINT64_C(1) << s->len));
    }
    char out[128];
    expect(sig_value_format(s, &v, OBD_LANG_ZH, out, sizeof out) >= 0);
    free(buf);
    return 0;
}
