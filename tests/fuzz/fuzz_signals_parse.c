/*
 * Fuzz target: the OBDb signalset reader (src/signals_parse.c). Any bytes
 * are a candidate file. Besides "no crash, no out-of-bounds read": the
 * result is OK or a refusal of the whole file; every signal is either
 * marked with a reason or usable (1-64 bits, a unit or a map, inside its
 * command's `need`, not overlapping a usable neighbour), and every usable
 * signal decodes its command's `need` bytes without reading beyond them.
 */
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
    static sig_set_t set;
    char err[200];
    int rc = sig_parse((const char *)data, size, &set, err, sizeof err);
    if (rc != OBD_OK) {
        expect(rc == OBD_EFORMAT && err[0]);
        return 0;
    }
    expect(set.ncmds <= SIG_MAX_COMMANDS && set.nsigs <= SIG_MAX_SIGNALS && set.nmaps <= SIG_MAX_MAP);
    for (size_t i = 0; i < set.nsigs; i++) {
        const sig_signal_t *s = &set.sigs[i];
        expect(s->cmd < set.ncmds);
        expect(strlen(s->err) < sizeof s->err && strlen(s->id) < sizeof s->id);
        if (s->err[0])
            continue;
        const sig_command_t *c = &set.cmds[s->cmd];
        expect(!c->err[0]);
        expect(s->len >= 1 && s->len <= 64);
        expect(s->unit || s->nmap);
        expect(s->div != 0);
        expect((size_t)s->map_off + s->nmap <= set.nmaps);
        size_t need = ((size_t)s->bix + s->len + 7) / 8;
        expect(need <= c->need);
        for (size_t k = c->first; k < i; k++) {
            const sig_signal_t *o = &set.sigs[k];
            if (!o->err[0])
                expect(o->bix + o->len <= s->bix || s->bix + s->len <= o->bix);
        }
        /* exactly `need` bytes on the heap: ASan catches a read past them */
        uint8_t *buf = malloc(need);
        expect(buf != NULL);
        memset(buf, 0xA5, need);
        sig_value_t v;
        int st = sig_decode(&set, s, buf, need, OBD_LANG_ZH, &v);
        expect(st != SIG_V_SHORT && st != SIG_V_INVALID);
        char out[128];
        sig_value_format(s, &v, OBD_LANG_EN, out, sizeof out);
        if (need)
            expect(sig_decode(&set, s, buf, need - 1, OBD_LANG_EN, &v) == SIG_V_SHORT);
        free(buf);
    }
    return 0;
}
