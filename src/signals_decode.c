/*
 * signals_decode.c — one signal's value from one DID's data bytes
 * (signals.h). Pure: no I/O, no allocation.
 *
 * The format's rules, as its reference reader applies them (OBDb
 * ".schemas", python/can/signals.py): bits are numbered MSB-first from the
 * first data byte after the DID echo (bit 0 = bit 7 of that byte); `len`
 * bits from `bix` make the raw value, most significant first; `blsb`
 * reverses the bytes the value covers first (little-endian numbers);
 * `sign`: two's complement of `len` bits; value = raw * mul / div + add,
 * clamped to [min, max] when max > min (min defaults to 0). nullmin /
 * nullmax: a scaled value at or beyond them means "not available". A map
 * signal names its raw value; a raw value the map lacks has no name.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "obdgw/signals.h"

static uint64_t bits(const uint8_t *p, unsigned bix, unsigned len)
{
    uint64_t r = 0;
    for (unsigned i = bix; i < bix + len; i++)
        r = r << 1 | ((p[i / 8] >> (7 - i % 8)) & 1u);
    return r;
}

int sig_decode(const sig_set_t *set, const sig_signal_t *s, const uint8_t *data, size_t len, obd_lang_t lang,
               sig_value_t *out)
{
    memset(out, 0, sizeof *out);
    if (!s || s->err[0] || !s->len || s->len > SIG_MAX_BITS) {
        out->state = SIG_V_INVALID;
        return out->state;
    }
    size_t need = ((size_t)s->bix + s->len + 7) / 8;
    if (!data || len < need) {
        out->state = SIG_V_SHORT;
        return out->state;
    }
    uint64_t raw;
    if (s->blsb && s->len > 8) { /* whole bytes (the parser checks): least significant first */
        raw = 0;
        size_t b0 = s->bix / 8, nb = s->len / 8;
        for (size_t i = nb; i-- > 0;)
            raw = raw << 8 | data[b0 + i];
    } else {
        raw = bits(data, s->bix, s->len);
    }
    int64_t sv;
    if (s->sign && s->len < 64 && (raw >> (s->len - 1)) & 1)
        sv = (int64_t)(raw | ~((UINT64_C(1) << s->len) - 1));
    else if (s->sign)
        sv = (int64_t)raw;
    else
        sv = raw > INT64_MAX ? INT64_MAX : (int64_t)raw;
    out->raw = sv;
    if (s->nmap) {
        out->value = (double)sv;
        for (size_t i = 0; i < s->nmap; i++) {
            const sig_map_t *m = &set->maps[s->map_off + i];
            if (m->raw == sv) {
                out->text = m->text;
                out->state = SIG_V_OK;
                return out->state;
            }
        }
        out->state = SIG_V_UNMAPPED;
        return out->state;
    }
    double v = s->sign ? (double)sv : (double)raw;
    v = v * s->mul / s->div + s->add;
    if ((s->has_nullmin && v <= s->nullmin) || (s->has_nullmax && v >= s->nullmax)) {
        out->value = v;
        out->state = SIG_V_NULL;
        return out->state;
    }
    if (s->max > s->min) {
        if (v < s->min) {
            v = s->min;
            out->clamped = true;
        } else if (v > s->max) {
            v = s->max;
            out->clamped = true;
        }
    }
    out->value = v;
    if (s->unit && s->unit->kind == SIG_UK_BOOL) {
        bool on = v != 0;
        if (!strcmp(s->unit->key, "offon"))
            out->text = on ? obd_tr(lang, "on", "开") : obd_tr(lang, "off", "关");
        else
            out->text = on ? obd_tr(lang, "yes", "是") : obd_tr(lang, "no", "否");
    }
    out->state = SIG_V_OK;
    return out->state;
}

const char *sig_unit_text(const sig_signal_t *s, obd_lang_t lang)
{
    if (!s || !s->unit)
        return "";
    return lang == OBD_LANG_ZH ? s->unit->zh : s->unit->en;
}

const char *sig_name(const sig_signal_t *s, obd_lang_t lang, bool *fallback)
{
    if (fallback)
        *fallback = false;
    if (!s)
        return "";
    if (lang == OBD_LANG_ZH) {
        if (s->name_zh[0])
            return s->name_zh;
        if (fallback)
            *fallback = true;
    }
    return s->name;
}

/* Shortest text for a number: up to 3 decimals, trailing zeros dropped. */
static void num(double v, char *out, size_t cap)
{
    snprintf(out, cap, "%.3f", v);
    char *dot = strchr(out, '.');
    if (dot) {
        char *e = out + strlen(out) - 1;
        while (e > dot && *e == '0')
            *e-- = 0;
        if (e == dot)
            *e = 0;
    }
    if (!strcmp(out, "-0"))
        snprintf(out, cap, "0");
}

int sig_value_format(const sig_signal_t *s, const sig_value_t *v, obd_lang_t lang, char *out, size_t cap)
{
    if (!out || !cap)
        return OBD_EINVAL;
    char n[48];
    switch (v->state) {
    case SIG_V_SHORT:
        return snprintf(out, cap, "%s", obd_tr(lang, "no value (reply too short)", "无值（应答过短）"));
    case SIG_V_NULL:
        return snprintf(out, cap, "%s", obd_tr(lang, "not available", "不可用"));
    case SIG_V_INVALID:
        return snprintf(out, cap, "%s", obd_tr(lang, "invalid definition", "定义无效"));
    case SIG_V_UNMAPPED:
        return snprintf(out, cap, "%s (%" PRId64 ")", obd_tr(lang, "undefined state", "未定义状态"), v->raw);
    default:
        break;
    }
    if (s->nmap)
        return snprintf(out, cap, "%s (%" PRId64 ")", v->text ? v->text : "", v->raw);
    if (v->text)
        return snprintf(out, cap, "%s", v->text);
    if (s->unit && s->unit->kind == SIG_UK_HEX)
        return snprintf(out, cap, "0x%" PRIX64, (uint64_t)v->raw);
    num(v->value, n, sizeof n);
    const char *u = sig_unit_text(s, lang);
    return snprintf(out, cap, "%s%s%s", n, *u ? " " : "", u);
}
