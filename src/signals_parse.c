/*
 * signals_parse.c — OBDb signalset JSON -> sig_set_t (signals.h).
 *
 * The format, as its published JSON schema (OBDb ".schemas" repository,
 * signals.json) and reference reader describe it:
 *   { "commands": [ { "hdr": "7E0" | "DA10", "rax": "7E8" | "10" | "FE007B" | "1EC60E80",
 *                     "cmd": { "22": "2B1B" }, "freq": seconds, "signals": [
 *                       { "id", "name", "path", "description", "suggestedMetric", "hidden",
 *                         "fmt": { "bix", "len", "blsb", "sign", "mul", "div", "add", "min", "max",
 *                                  "unit", "nullmin", "nullmax", "omin", "omax", "oval", "map" } } ] } ],
 *   "signalGroups": [...], "diagnosticLevel": "..", "synthetics": [...] }
 * hdr of 3 hex digits is an 11-bit request id (reply rax, default hdr + 8);
 * 4 digits are the middle of a 29-bit id: request pp hdr tst (pp = pri,
 * default 18; tst default F1), a 2-digit rax is the ECU byte of the reply
 * pp DA tst rax, 6 digits pp+rax, 8 digits the whole reply id.
 *
 * Read and used: everything above except what is listed as refused. Read
 * and not needed by a reader: description, hidden, omin/omax/oval,
 * signalGroups, fcm1 (our ISO-TP always sends flow control), dbg,
 * dbgfilter. Refused with the field named: cmd services other than 22
 * (01 belongs to --pid, 21 is KWP), eax (extended addressing), din/dout
 * (session changes), proto 9141-2, diagnosticLevel other than "01",
 * synthetics, units "ascii", "noyes", "normal" (meaning not published),
 * and any field the schema does not list.
 *
 * Per-signal faults (len 0 or > 64, bits overlapping an earlier signal of
 * the same command, an unknown unit, a map key that is not an integer, a
 * duplicate id, div 0) mark that signal; the other signals stay usable.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/signals.h"

/* Units: the format's names (schema unitEnum), our symbols in en / zh. */
static const sig_unit_t units[] = {
    { "ampereHours", "Ah", "Ah", SIG_UK_NUMBER },
    { "amps", "A", "A", SIG_UK_NUMBER },
    { "bars", "bar", "bar", SIG_UK_NUMBER },
    { "celsius", "°C", "°C", SIG_UK_NUMBER },
    { "centimeters", "cm", "cm", SIG_UK_NUMBER },
    { "coulombs", "C", "C", SIG_UK_NUMBER },
    { "degrees", "°", "°", SIG_UK_NUMBER },
    { "fahrenheit", "°F", "°F", SIG_UK_NUMBER },
    { "feet", "ft", "英尺", SIG_UK_NUMBER },
    { "framesPerSecond", "fps", "帧/秒", SIG_UK_NUMBER },
    { "gallons", "gal", "加仑", SIG_UK_NUMBER },
    { "gallonsPerHour", "gal/h", "加仑/小时", SIG_UK_NUMBER },
    { "gigahertz", "GHz", "GHz", SIG_UK_NUMBER },
    { "gramsPerLiter", "g/L", "g/L", SIG_UK_NUMBER },
    { "gramsPerSecond", "g/s", "g/s", SIG_UK_NUMBER },
    { "gravity", "g", "g", SIG_UK_NUMBER },
    { "hertz", "Hz", "Hz", SIG_UK_NUMBER },
    { "hex", "", "", SIG_UK_HEX },
    { "hours", "h", "小时", SIG_UK_NUMBER },
    { "inches", "in", "英寸", SIG_UK_NUMBER },
    { "inchPound", "in·lb", "英寸·磅", SIG_UK_NUMBER },
    { "joules", "J", "J", SIG_UK_NUMBER },
    { "kelvin", "K", "K", SIG_UK_NUMBER },
    { "kiloampereHours", "kAh", "kAh", SIG_UK_NUMBER },
    { "kiloamps", "kA", "kA", SIG_UK_NUMBER },
    { "kilogramsPerHour", "kg/h", "kg/h", SIG_UK_NUMBER },
    { "kilohertz", "kHz", "kHz", SIG_UK_NUMBER },
    { "kilojoules", "kJ", "kJ", SIG_UK_NUMBER },
    { "kilometers", "km", "km", SIG_UK_NUMBER },
    { "kilometersPerHour", "km/h", "km/h", SIG_UK_NUMBER },
    { "kiloohms", "kΩ", "kΩ", SIG_UK_NUMBER },
    { "kilopascal", "kPa", "kPa", SIG_UK_NUMBER },
    { "kilovolts", "kV", "kV", SIG_UK_NUMBER },
    { "kilowattHours", "kWh", "kWh", SIG_UK_NUMBER },
    { "kilowattHoursPer100Kilometers", "kWh/100 km", "kWh/100 km", SIG_UK_NUMBER },
    { "kilowattHoursPer100Miles", "kWh/100 mi", "kWh/100 英里", SIG_UK_NUMBER },
    { "kilowatts", "kW", "kW", SIG_UK_NUMBER },
    { "liters", "L", "L", SIG_UK_NUMBER },
    { "litersPerHour", "L/h", "L/h", SIG_UK_NUMBER },
    { "megahertz", "MHz", "MHz", SIG_UK_NUMBER },
    { "megaohms", "MΩ", "MΩ", SIG_UK_NUMBER },
    { "meters", "m", "m", SIG_UK_NUMBER },
    { "metersPerSecond", "m/s", "m/s", SIG_UK_NUMBER },
    { "metersPerSecondSquared", "m/s²", "m/s²", SIG_UK_NUMBER },
    { "microhertz", "µHz", "µHz", SIG_UK_NUMBER },
    { "microohms", "µΩ", "µΩ", SIG_UK_NUMBER },
    { "miles", "mi", "英里", SIG_UK_NUMBER },
    { "milesPerKilowattHour", "mi/kWh", "英里/kWh", SIG_UK_NUMBER },
    { "milesPerHour", "mph", "英里/小时", SIG_UK_NUMBER },
    { "milliampereHours", "mAh", "mAh", SIG_UK_NUMBER },
    { "milliamps", "mA", "mA", SIG_UK_NUMBER },
    { "milligramsPerDeciliter", "mg/dL", "mg/dL", SIG_UK_NUMBER },
    { "milligramsPerStroke", "mg/stroke", "mg/冲程", SIG_UK_NUMBER },
    { "millihertz", "mHz", "mHz", SIG_UK_NUMBER },
    { "millimeters", "mm", "mm", SIG_UK_NUMBER },
    { "milliohms", "mΩ", "mΩ", SIG_UK_NUMBER },
    { "milliseconds", "ms", "毫秒", SIG_UK_NUMBER },
    { "millivolts", "mV", "mV", SIG_UK_NUMBER },
    { "milliwatts", "mW", "mW", SIG_UK_NUMBER },
    { "minutes", "min", "分钟", SIG_UK_NUMBER },
    { "nanohertz", "nHz", "nHz", SIG_UK_NUMBER },
    { "newtonMeters", "Nm", "Nm", SIG_UK_NUMBER },
    { "offon", "", "", SIG_UK_BOOL },
    { "ohms", "Ω", "Ω", SIG_UK_NUMBER },
    { "percent", "%", "%", SIG_UK_NUMBER },
    { "poundFoot", "lb·ft", "磅·英尺", SIG_UK_NUMBER },
    { "psi", "psi", "psi", SIG_UK_NUMBER },
    { "radians", "rad", "rad", SIG_UK_NUMBER },
    { "rpm", "rpm", "rpm", SIG_UK_NUMBER },
    { "scalar", "", "", SIG_UK_NUMBER },
    { "seconds", "s", "秒", SIG_UK_NUMBER },
    { "terahertz", "THz", "THz", SIG_UK_NUMBER },
    { "unknown", "", "", SIG_UK_NUMBER },
    { "volts", "V", "V", SIG_UK_NUMBER },
    { "watts", "W", "W", SIG_UK_NUMBER },
    { "yards", "yd", "码", SIG_UK_NUMBER },
    { "yesno", "", "", SIG_UK_BOOL },
};

const sig_unit_t *sig_unit_find(const char *key)
{
    if (!key)
        return NULL;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(units[i].key, key))
            return &units[i];
    return NULL;
}

/* ---------------- helpers ---------------- */

static void seterr(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t cap, const char *fmt, ...)
{
    if (!err || !cap || err[0])
        return; /* the first fault is the one reported */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

/* Exactly n hex digits -> value; false otherwise. */
static bool hexn(const char *s, size_t min, size_t max, uint32_t *out)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = obd_hex_digit(s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

static bool in_list(const char *k, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(k, list[i]))
            return true;
    return false;
}

/* Copy a JSON string field (printable, bounded); false when not a string or too long. */
static bool strfield(const cJSON *o, char *dst, size_t cap)
{
    if (!cJSON_IsString(o) || !o->valuestring)
        return false;
    size_t n = strlen(o->valuestring);
    if (n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)o->valuestring[i] < 0x20)
            return false;
    memcpy(dst, o->valuestring, n + 1);
    return true;
}

static bool numfield(const cJSON *o, double *out)
{
    if (!cJSON_IsNumber(o) || !isfinite(o->valuedouble))
        return false;
    *out = o->valuedouble;
    return true;
}

/* ---------------- fmt ---------------- */

static const char *const fmt_fields[] = { "bix", "len", "blsb", "sign", "min", "max", "add", "mul", "div",
                                          "unit", "nullmin", "nullmax", "omin", "omax", "oval", "map", NULL };

static void parse_map(sig_set_t *set, sig_signal_t *s, const cJSON *map)
{
    if (!cJSON_IsObject(map)) {
        seterr(s->err, sizeof s->err, "fmt.map: must be an object of integer keys");
        return;
    }
    s->map_off = (uint16_t)set->nmaps;
    const cJSON *e;
    cJSON_ArrayForEach(e, map)
    {
        char *end = NULL;
        const char *k = e->string ? e->string : "";
        long long raw = strtoll(k, &end, 10);
        if (!*k || *end || (!isdigit((unsigned char)k[0]) && k[0] != '-')) {
            seterr(s->err, sizeof s->err, "fmt.map: key '%.20s' is not an integer", k);
            return;
        }
        const cJSON *txt = e;
        if (cJSON_IsObject(e))
            txt = cJSON_GetObjectItemCaseSensitive(e, "value");
        if (set->nmaps >= SIG_MAX_MAP) {
            seterr(s->err, sizeof s->err, "fmt.map: more than %d map entries in the set", SIG_MAX_MAP);
            return;
        }
        sig_map_t *m = &set->maps[set->nmaps];
        if (!strfield(txt, m->text, sizeof m->text)) {
            seterr(s->err, sizeof s->err, "fmt.map.%.20s: value must be text of at most %zu bytes", k,
                   sizeof m->text - 1);
            return;
        }
        m->raw = raw;
        set->nmaps++;
        s->nmap++;
    }
    if (!s->nmap)
        seterr(s->err, sizeof s->err, "fmt.map: empty");
}

static void parse_fmt(sig_set_t *set, sig_signal_t *s, const cJSON *fmt)
{
    if (!cJSON_IsObject(fmt)) {
        seterr(s->err, sizeof s->err, "fmt: missing or not an object");
        return;
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, fmt)
    {
        if (!in_list(f->string, fmt_fields)) {
            seterr(s->err, sizeof s->err, "fmt.%.32s: field not supported", f->string);
            return;
        }
    }
    s->mul = 1;
    s->div = 1;
    double d;
    const cJSON *bix = cJSON_GetObjectItemCaseSensitive(fmt, "bix");
    if (bix) {
        if (!numfield(bix, &d) || d != floor(d) || d < 0 || d > 65535 - 64) {
            seterr(s->err, sizeof s->err, "fmt.bix: must be an integer 0-65471");
            return;
        }
        s->bix = (uint16_t)d;
    }
    const cJSON *len = cJSON_GetObjectItemCaseSensitive(fmt, "len");
    if (!numfield(len, &d) || d != floor(d) || d < 1 || d > SIG_MAX_BITS) {
        seterr(s->err, sizeof s->err, "fmt.len: must be 1-%d bits%s", SIG_MAX_BITS, len ? "" : " (missing)");
        return;
    }
    s->len = (uint8_t)d;
    static const struct {
        const char *k;
        size_t off;
    } nums[] = {
        { "mul", offsetof(sig_signal_t, mul) }, { "div", offsetof(sig_signal_t, div) },
        { "add", offsetof(sig_signal_t, add) }, { "min", offsetof(sig_signal_t, min) },
        { "max", offsetof(sig_signal_t, max) }, { "nullmin", offsetof(sig_signal_t, nullmin) },
        { "nullmax", offsetof(sig_signal_t, nullmax) }, { "omin", 0 }, { "omax", 0 }, { "oval", 0 },
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(fmt, nums[i].k);
        if (!o)
            continue;
        if (!numfield(o, &d)) {
            seterr(s->err, sizeof s->err, "fmt.%s: must be a number", nums[i].k);
            return;
        }
        if (nums[i].off)
            *(double *)((char *)s + nums[i].off) = d;
    }
    if (s->div == 0) {
        seterr(s->err, sizeof s->err, "fmt.div: must not be 0");
        return;
    }
    s->has_nullmin = cJSON_GetObjectItemCaseSensitive(fmt, "nullmin") != NULL;
    s->has_nullmax = cJSON_GetObjectItemCaseSensitive(fmt, "nullmax") != NULL;
    const char *flags[] = { "sign", "blsb" };
    bool *dst[] = { &s->sign, &s->blsb };
    for (int i = 0; i < 2; i++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(fmt, flags[i]);
        if (o && !cJSON_IsBool(o)) {
            seterr(s->err, sizeof s->err, "fmt.%s: must be true or false", flags[i]);
            return;
        }
        *dst[i] = cJSON_IsTrue(o);
    }
    if (s->blsb && s->len > 8 && (s->bix % 8 || s->len % 8)) {
        seterr(s->err, sizeof s->err, "fmt.blsb: supported for whole bytes only (bix and len multiples of 8)");
        return;
    }
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(fmt, "unit");
    const cJSON *map = cJSON_GetObjectItemCaseSensitive(fmt, "map");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(fmt, "max");
    if (unit) {
        if (!cJSON_IsString(unit)) {
            seterr(s->err, sizeof s->err, "fmt.unit: must be a unit name");
            return;
        }
        s->unit = sig_unit_find(unit->valuestring);
        if (!s->unit) {
            const char *u = unit->valuestring;
            if (!strcmp(u, "ascii") || !strcmp(u, "noyes") || !strcmp(u, "normal"))
                seterr(s->err, sizeof s->err, "fmt.unit: '%s' not supported", u);
            else
                seterr(s->err, sizeof s->err, "fmt.unit: '%.32s' is not a unit of the format", u);
            return;
        }
    }
    if (map)
        parse_map(set, s, map);
    else if (!max || !unit)
        seterr(s->err, sizeof s->err, "fmt: needs map, or max and unit");
}

/* ---------------- signals, commands ---------------- */

static const char *const sig_fields[] = { "id", "name", "hidden", "description", "fmt", "path", "suggestedMetric",
                                          NULL };
static const char *const cmd_fields[] = { "hdr", "rax", "eax", "pri", "tst", "tmo", "fcm1", "dbg", "din", "dout",
                                          "cmd", "freq", "proto", "filter", "dbgfilter", "signals", NULL };

static bool bits_overlap(const sig_signal_t *a, const sig_signal_t *b)
{
    unsigned a0 = a->bix, a1 = a->bix + a->len, b0 = b->bix, b1 = b->bix + b->len;
    return a0 < b1 && b0 < a1;
}

static void parse_signal(sig_set_t *set, sig_command_t *c, sig_signal_t *s, const cJSON *j, size_t idx)
{
    if (!cJSON_IsObject(j)) {
        snprintf(s->id, sizeof s->id, "#%zu", idx);
        seterr(s->err, sizeof s->err, "signal: not an object");
        return;
    }
    if (!strfield(cJSON_GetObjectItemCaseSensitive(j, "id"), s->id, sizeof s->id) || !s->id[0]) {
        snprintf(s->id, sizeof s->id, "#%zu", idx);
        seterr(s->err, sizeof s->err, "id: missing, or longer than %d bytes", SIG_ID_MAX - 1);
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, j)
    {
        if (!in_list(f->string, sig_fields))
            seterr(s->err, sizeof s->err, "%.32s: field not supported", f->string);
    }
    if (!strfield(cJSON_GetObjectItemCaseSensitive(j, "name"), s->name, sizeof s->name) || !s->name[0])
        seterr(s->err, sizeof s->err, "name: missing, or longer than %d bytes", SIG_NAME_MAX - 1);
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "path");
    if (p && !strfield(p, s->path, sizeof s->path))
        seterr(s->err, sizeof s->err, "path: must be text of at most %zu bytes", sizeof s->path - 1);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "suggestedMetric");
    if (m && !strfield(m, s->metric, sizeof s->metric))
        seterr(s->err, sizeof s->err, "suggestedMetric: must be text of at most %zu bytes", sizeof s->metric - 1);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "hidden");
    if (h && !cJSON_IsBool(h))
        seterr(s->err, sizeof s->err, "hidden: must be true or false");
    s->hidden = cJSON_IsTrue(h);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "description");
    if (d && !cJSON_IsString(d))
        seterr(s->err, sizeof s->err, "description: must be text");
    if (!s->err[0])
        parse_fmt(set, s, cJSON_GetObjectItemCaseSensitive(j, "fmt"));
    /* against the signals before it: the same id anywhere, bits of the same command */
    for (size_t k = 0; k < set->nsigs; k++) {
        const sig_signal_t *o = &set->sigs[k];
        if (!strcmp(o->id, s->id)) {
            seterr(s->err, sizeof s->err, "id: '%s' given twice", s->id);
            break;
        }
    }
    if (!s->err[0])
        for (size_t k = c->first; k < set->nsigs; k++) {
            const sig_signal_t *o = &set->sigs[k];
            if (!o->err[0] && bits_overlap(o, s)) {
                seterr(s->err, sizeof s->err, "fmt.bix/len: bits %u-%u overlap %s (bits %u-%u)", s->bix,
                       s->bix + s->len - 1, o->id, o->bix, o->bix + o->len - 1);
                break;
            }
        }
}

/* hdr / rax / pri / tst -> request and response ids. */
static void parse_ids(sig_command_t *c, const cJSON *j)
{
    const cJSON *hdr = cJSON_GetObjectItemCaseSensitive(j, "hdr");
    const cJSON *rax = cJSON_GetObjectItemCaseSensitive(j, "rax");
    const cJSON *pri = cJSON_GetObjectItemCaseSensitive(j, "pri");
    const cJSON *tst = cJSON_GetObjectItemCaseSensitive(j, "tst");
    uint32_t h, r = 0, p = 0x18, t = 0xF1;
    const char *hs = cJSON_IsString(hdr) ? hdr->valuestring : NULL;
    if (!hs || !hexn(hs, 3, 4, &h)) {
        seterr(c->err, sizeof c->err, "hdr: must be 3 (11-bit) or 4 (29-bit) hex digits");
        return;
    }
    if (pri && (!cJSON_IsString(pri) || !hexn(pri->valuestring, 2, 2, &p) || p > 0x1F)) {
        seterr(c->err, sizeof c->err, "pri: must be 2 hex digits 00-1F");
        return;
    }
    if (tst && (!cJSON_IsString(tst) || !hexn(tst->valuestring, 2, 2, &t))) {
        seterr(c->err, sizeof c->err, "tst: must be 2 hex digits");
        return;
    }
    size_t rl = 0;
    if (rax) {
        rl = cJSON_IsString(rax) ? strlen(rax->valuestring) : 0;
        if (!cJSON_IsString(rax) || !hexn(rax->valuestring, 2, 8, &r) || rl == 7 || rl == 5 || rl == 4) {
            seterr(c->err, sizeof c->err, "rax: must be 2, 3, 6 or 8 hex digits");
            return;
        }
    }
    if (strlen(hs) == 3) {
        if (h > 0x7FF || (pri || tst)) {
            seterr(c->err, sizeof c->err, "%s", h > 0x7FF ? "hdr: an 11-bit id is at most 7FF"
                                                           : "pri/tst: only for 29-bit headers (4 digits)");
            return;
        }
        c->tx_id = h;
        if (rax && rl != 3) {
            seterr(c->err, sizeof c->err, "rax: an 11-bit header takes a 3-digit reply id");
            return;
        }
        c->rx_id = rax ? r : h + 8;
        if (c->rx_id > 0x7FF) {
            seterr(c->err, sizeof c->err, "rax: an 11-bit id is at most 7FF");
            return;
        }
    } else {
        c->tx_id = p << 24 | h << 8 | t;
        if (!rax)
            c->rx_id = p << 24 | (h & 0xFF00) << 8 | t << 8 | (h & 0xFF);
        else if (rl == 2)
            c->rx_id = p << 24 | (h & 0xFF00) << 8 | t << 8 | r;
        else if (rl == 6)
            c->rx_id = p << 24 | r;
        else if (rl == 8)
            c->rx_id = r;
        else
            seterr(c->err, sizeof c->err, "rax: a 29-bit header takes 2, 6 or 8 digits");
    }
}

static void parse_filter(sig_command_t *c, const cJSON *f)
{
    if (!cJSON_IsObject(f)) {
        seterr(c->err, sizeof c->err, "filter: must be an object");
        return;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, f)
    {
        double d;
        if (!strcmp(e->string, "from") || !strcmp(e->string, "to")) {
            if (!numfield(e, &d) || d < 1900 || d > 2100 || d != floor(d)) {
                seterr(c->err, sizeof c->err, "filter.%s: must be a model year", e->string);
                return;
            }
            if (e->string[0] == 'f')
                c->year_from = (int16_t)d;
            else
                c->year_to = (int16_t)d;
        } else {
            /* "years" lists would need a set per command: refused by name, as the others */
            seterr(c->err, sizeof c->err, "filter.%.20s: not supported (from/to only)", e->string);
            return;
        }
    }
}

/* false when the set's signal table overflowed */
static bool parse_command(sig_set_t *set, const cJSON *j, size_t idx)
{
    sig_command_t *c = &set->cmds[set->ncmds++];
    memset(c, 0, sizeof *c);
    c->first = (uint16_t)set->nsigs;
    if (!cJSON_IsObject(j)) {
        seterr(c->err, sizeof c->err, "commands[%zu]: not an object", idx);
        return true;
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, j)
    {
        if (!in_list(f->string, cmd_fields))
            seterr(c->err, sizeof c->err, "%.32s: field not supported", f->string);
    }
    static const char *const refused[] = { "eax", "din", "dout", NULL };
    for (size_t i = 0; refused[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(j, refused[i]))
            seterr(c->err, sizeof c->err, "%s: not supported (%s)", refused[i],
                   i == 0 ? "extended addressing" : "diagnostic session changes");
    const cJSON *proto = cJSON_GetObjectItemCaseSensitive(j, "proto");
    if (proto && !(cJSON_IsString(proto) && (!strcmp(proto->valuestring, "15765-4-11bit") ||
                                             !strcmp(proto->valuestring, "15765-4-29bit"))))
        seterr(c->err, sizeof c->err, "proto: only 15765-4-11bit / 15765-4-29bit (CAN) supported");
    static const char *const bools[] = { "fcm1", "dbg", NULL };
    for (size_t i = 0; bools[i]; i++) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, bools[i]);
        if (b && !cJSON_IsBool(b))
            seterr(c->err, sizeof c->err, "%s: must be true or false", bools[i]);
    }
    parse_ids(c, j);
    const cJSON *tmo = cJSON_GetObjectItemCaseSensitive(j, "tmo");
    uint32_t t;
    if (tmo) {
        if (!cJSON_IsString(tmo) || !hexn(tmo->valuestring, 2, 2, &t) || !t)
            seterr(c->err, sizeof c->err, "tmo: must be 2 hex digits 01-FF (4 ms units)");
        else
            c->timeout_ms = (uint16_t)(t * 4);
    }
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(j, "cmd");
    uint32_t did;
    if (!cJSON_IsObject(cmd) || cJSON_GetArraySize(cmd) != 1) {
        seterr(c->err, sizeof c->err, "cmd: must be one {\"22\": \"DID\"}");
    } else if (strcmp(cmd->child->string, "22")) {
        seterr(c->err, sizeof c->err, "cmd.%.8s: service not supported (22 only%s)", cmd->child->string,
               !strcmp(cmd->child->string, "01") ? "; service 01 PIDs are --pid" : "");
    } else if (!cJSON_IsString(cmd->child) || !hexn(cmd->child->valuestring, 4, 4, &did)) {
        seterr(c->err, sizeof c->err, "cmd.22: must be 4 hex digits");
    } else {
        c->service = 0x22;
        c->did = (uint16_t)did;
    }
    double freq;
    if (!numfield(cJSON_GetObjectItemCaseSensitive(j, "freq"), &freq) || !(freq > 0 && freq <= 86400))
        seterr(c->err, sizeof c->err, "freq: must be seconds, more than 0");
    else
        c->period_ms = (uint32_t)(freq * 1000 + 0.5);
    const cJSON *flt = cJSON_GetObjectItemCaseSensitive(j, "filter");
    if (flt)
        parse_filter(c, flt);
    const cJSON *sigs = cJSON_GetObjectItemCaseSensitive(j, "signals");
    if (!cJSON_IsArray(sigs) || !cJSON_GetArraySize(sigs)) {
        seterr(c->err, sizeof c->err, "signals: must be a non-empty array");
        return true;
    }
    size_t k = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, sigs)
    {
        if (set->nsigs >= SIG_MAX_SIGNALS)
            return false;
        sig_signal_t *x = &set->sigs[set->nsigs];
        memset(x, 0, sizeof *x);
        x->cmd = (uint16_t)(set->ncmds - 1);
        parse_signal(set, c, x, s, k++);
        set->nsigs++;
        c->nsig++;
    }
    for (size_t i = c->first; i < set->nsigs; i++) {
        sig_signal_t *x = &set->sigs[i];
        if (c->err[0])
            seterr(x->err, sizeof x->err, "command: %s", c->err);
        if (!x->err[0]) {
            unsigned need = (x->bix + x->len + 7u) / 8u;
            if (need > c->need)
                c->need = (uint16_t)need;
        }
    }
    return true;
}

int sig_parse(const char *text, size_t len, sig_set_t *out, char *err, size_t errcap)
{
    if (err && errcap)
        err[0] = 0;
    if (!text || !out)
        return OBD_EINVAL;
    memset(out, 0, offsetof(sig_set_t, cmds));
    out->ncmds = out->nsigs = out->nmaps = 0;
    cJSON *j = cJSON_ParseWithLength(text, len);
    if (!j) {
        seterr(err, errcap, "not JSON (near byte %td)",
               cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - text : (ptrdiff_t)0);
        return OBD_EFORMAT;
    }
    int rc = OBD_OK;
    const cJSON *f;
    if (!cJSON_IsObject(j)) {
        seterr(err, errcap, "the signalset must be a JSON object");
        rc = OBD_EFORMAT;
        goto done;
    }
    cJSON_ArrayForEach(f, j)
    {
        if (!strcmp(f->string, "commands") || !strcmp(f->string, "signalGroups"))
            continue;
        if (!strcmp(f->string, "diagnosticLevel") && cJSON_IsString(f) && !strcmp(f->valuestring, "01"))
            continue;
        seterr(err, errcap, "%.32s: %s", f->string,
               !strcmp(f->string, "diagnosticLevel") ? "not supported (only \"01\", the default session)"
                                                      : "field not supported");
        rc = OBD_EFORMAT;
        goto done;
    }
    const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(j, "commands");
    if (!cJSON_IsArray(cmds)) {
        seterr(err, errcap, "commands: missing or not an array");
        rc = OBD_EFORMAT;
        goto done;
    }
    if (cJSON_GetArraySize(cmds) > SIG_MAX_COMMANDS) {
        seterr(err, errcap, "commands: more than %d", SIG_MAX_COMMANDS);
        rc = OBD_EFORMAT;
        goto done;
    }
    size_t idx = 0;
    cJSON_ArrayForEach(f, cmds)
    {
        if (!parse_command(out, f, idx++)) {
            seterr(err, errcap, "signals: more than %d in the set", SIG_MAX_SIGNALS);
            rc = OBD_EFORMAT;
            goto done;
        }
    }
    /* a command asking a DID another command of the same module asks already: the second one's
     * signals would never get their own reply */
    for (size_t a = 0; a < out->ncmds; a++)
        for (size_t b = 0; b < a; b++) {
            sig_command_t *x = &out->cmds[a], *y = &out->cmds[b];
            if (!x->err[0] && !y->err[0] && x->tx_id == y->tx_id && x->did == y->did) {
                seterr(x->err, sizeof x->err, "cmd.22: DID %04X of %X asked twice: put its signals in one command",
                       x->did, (unsigned)x->tx_id);
                for (size_t i = x->first; i < x->first + x->nsig; i++)
                    seterr(out->sigs[i].err, sizeof out->sigs[i].err, "command: %s", x->err);
                x->need = 0;
            }
        }
done:
    cJSON_Delete(j);
    return rc;
}

int sig_find(const sig_set_t *s, const char *id)
{
    if (!s || !id)
        return -1;
    for (size_t i = 0; i < s->nsigs; i++)
        if (!strcmp(s->sigs[i].id, id))
            return (int)i;
    return -1;
}

bool sig_command_applies(const sig_command_t *c, int year)
{
    if (!year || (!c->year_from && !c->year_to))
        return true;
    if (c->year_from && c->year_to && c->year_from > c->year_to) /* a range across the cycle, as the format reads it */
        return year >= c->year_from || year <= c->year_to;
    return (!c->year_from || year >= c->year_from) && (!c->year_to || year <= c->year_to);
}
