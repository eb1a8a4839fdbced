/*
 * obd_pid.c — lookup and decoding over the PID table (obd_pid_table.c).
 *
 * obd_pid_decode() is on the live-data hot path: no allocation, no I/O, no
 * locale, a fixed amount of work per field. Every data byte is read through
 * the bounded cursor, so a table entry that pointed past the PID's length
 * would return an error instead of reading out of bounds (the unit tests
 * check that no entry does).
 *
 * obd_pid_find() and obd_value_format() are for people (CLI, reports):
 * correctness and readability over speed.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "obdgw/dtc.h"
#include "obdgw/pid.h"

/* ---------------- lookup ---------------- */

const obd_pid_t *obd_pid_lookup(uint8_t pid)
{
    size_t n = obd_pid_table_len;
    /* $00-$94 are dense, so the PID is usually its own index. */
    if (pid < n && obd_pid_table[pid].pid == pid)
        return &obd_pid_table[pid];
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint8_t p = obd_pid_table[mid].pid;
        if (p == pid)
            return &obd_pid_table[mid];
        if (p < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

uint8_t obd_pid_len(uint8_t pid)
{
    const obd_pid_t *p = obd_pid_lookup(pid);
    return p ? p->len : 0;
}

/* Names people type for the common PIDs, besides the table keys. */
static const struct {
    const char *alias;
    uint8_t pid;
} aliases[] = {
    { "readiness", 0x01 },      { "monitors", 0x01 },        { "ff_dtc", 0x02 },
    { "fuel_status", 0x03 },    { "load", 0x04 },            { "calc_load", 0x04 },
    { "coolant", 0x05 },        { "ect", 0x05 },             { "engine_temp", 0x05 },
    { "coolant_temperature", 0x05 },
    { "stft", 0x06 },           { "ltft", 0x07 },            { "fuel_pressure_gauge", 0x0A },
    { "manifold_pressure", 0x0B }, { "intake_pressure", 0x0B },
    { "engine_rpm", 0x0C },     { "engine_speed", 0x0C },    { "revs", 0x0C },
    { "vss", 0x0D },            { "vehicle_speed", 0x0D },   { "timing", 0x0E },
    { "intake_temp", 0x0F },    { "intake_air_temp", 0x0F }, { "mass_air_flow", 0x10 },
    { "tps", 0x11 },            { "throttle_position", 0x11 },
    { "o2_b1s1", 0x14 },        { "obd_type", 0x1C },        { "pto", 0x1E },
    { "runtime", 0x1F },        { "engine_runtime", 0x1F },  { "mil_distance", 0x21 },
    { "egr", 0x2C },            { "fuel", 0x2F },            { "fuel_tank", 0x2F },
    { "warmups", 0x30 },        { "clear_distance", 0x31 },  { "evap_pressure", 0x32 },
    { "barometer", 0x33 },      { "baro_pressure", 0x33 },   { "cat_temp", 0x3C },
    { "battery", 0x42 },        { "voltage", 0x42 },         { "ecu_voltage", 0x42 },
    { "control_module_voltage", 0x42 },
    { "lambda", 0x44 },         { "ambient", 0x46 },         { "outside_temp", 0x46 },
    { "pedal", 0x49 },          { "accelerator", 0x49 },     { "mil_time", 0x4D },
    { "clear_time", 0x4E },     { "ethanol", 0x52 },         { "fuel_rail_pressure", 0x59 },
    { "oil", 0x5C },            { "engine_oil_temp", 0x5C }, { "oil_temperature", 0x5C },
    { "fuel_consumption", 0x5E }, { "engine_fuel_rate", 0x5E },
    { "torque", 0x62 },         { "reference_torque", 0x63 }, { "turbo_speed", 0x74 },
    { "egt", 0x78 },            { "dpf", 0x7A },             { "nox", 0x83 },
    { "def", 0x9B },            { "adblue", 0x9B },          { "urea", 0x9B },
    { "odo", 0xA6 },            { "mileage", 0xA6 },         { "total_distance", 0xA6 },
    { "supported", 0x00 },
};

/* "0x0C", "0X0C", "$0C", "0C", "A6" (hex), "12" (decimal), "010C" (service
 * 01 + PID). Returns the PID or -1. */
static int parse_number(const char *s)
{
    size_t n = strlen(s);
    bool hex = false;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
        hex = true;
    } else if (n > 1 && s[0] == '$') {
        s++;
        n--;
        hex = true;
    }
    if (n == 0 || n > 4)
        return -1;
    bool all_digits = true, all_hex = true;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            all_digits = false;
        if (!isxdigit((unsigned char)s[i]))
            all_hex = false;
    }
    if (!all_hex)
        return -1;
    if (n == 4) {
        /* "010C" / "020C": service then PID */
        if (s[0] != '0' || (s[1] != '1' && s[1] != '2'))
            return -1;
        s += 2;
        n = 2;
        hex = true;
    }
    unsigned long v = 0;
    if (!hex && all_digits) {
        for (size_t i = 0; i < n; i++)
            v = v * 10 + (unsigned long)(s[i] - '0');
    } else {
        if (n > 2)
            return -1;
        for (size_t i = 0; i < n; i++) {
            int c = tolower((unsigned char)s[i]);
            v = v * 16 + (unsigned long)(isdigit(c) ? c - '0' : c - 'a' + 10);
        }
    }
    return v <= 0xFF ? (int)v : -1;
}

const obd_pid_t *obd_pid_find(const char *name)
{
    if (!name || !*name)
        return NULL;
    for (size_t i = 0; i < obd_pid_table_len; i++)
        if (!strcasecmp(name, obd_pid_table[i].key))
            return &obd_pid_table[i];
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcasecmp(name, aliases[i].alias))
            return obd_pid_lookup(aliases[i].pid);
    int pid = parse_number(name);
    return pid < 0 ? NULL : obd_pid_lookup((uint8_t)pid);
}

/* ---------------- decoding ---------------- */

/* Read `size` (1-4) big-endian bytes at `off`, bounded by the cursor. */
static uint32_t read_be(const uint8_t *data, size_t len, unsigned off, unsigned size, int *err)
{
    obd_cur_t c = obd_cur(data, len);
    obd_cur_take(&c, off);
    uint32_t v;
    switch (size) {
    case 1: v = obd_cur_u8(&c); break;
    case 2: v = obd_cur_u16(&c); break;
    case 3: v = obd_cur_u24(&c); break;
    case 4: v = obd_cur_u32(&c); break;
    default: c.err = OBD_ELEN; v = 0; break;
    }
    if (c.err)
        *err = c.err;
    return v;
}

static const obd_enum_t *enum_find(const obd_enum_t *e, uint32_t raw)
{
    for (; e && e->key; e++)
        if (e->raw == raw)
            return e;
    return NULL;
}

/*
 * Decode one field. Contract: `data`/`len` are exactly the PID's data bytes.
 * Unavailable fields (support bit clear, all-ones / zero "not available"
 * raw) keep their raw value but report value 0 and no enum state.
 */
static int decode_field(const obd_field_t *f, const uint8_t *data, size_t len, obd_value_t *v)
{
    int err = 0;
    uint32_t raw;
    unsigned bits;
    bool avail = true;

    if (f->support_bit >= 0) {
        uint32_t sup = read_be(data, len, 0, 1, &err);
        avail = (sup >> (unsigned)f->support_bit) & 1u;
    }
    if (f->kind == OBD_FK_FLAG || f->nbits) {
        bits = f->kind == OBD_FK_FLAG ? 1u : f->nbits;
        uint32_t b = read_be(data, len, f->byte, 1, &err);
        raw = (b >> f->bit) & ((1u << bits) - 1u);
    } else {
        bits = 8u * f->size;
        raw = read_be(data, len, f->byte, f->size, &err);
    }
    if (err)
        return OBD_ELEN; /* the table points past the data: never read beyond it */

    uint32_t ones = bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1u;
    if ((f->flags & OBD_FF_FF_NA) && raw == ones)
        avail = false;
    if ((f->flags & OBD_FF_ZERO_NA) && raw == 0)
        avail = false;

    double value;
    const obd_enum_t *state = NULL;
    switch (f->kind) {
    case OBD_FK_UNSIGNED:
        value = (double)raw * f->scale + f->offset;
        break;
    case OBD_FK_SIGNED: {
        int64_t s = (int64_t)raw;
        if (bits < 64 && (raw >> (bits - 1)) & 1u)
            s -= (int64_t)1 << bits;
        value = (double)s * f->scale + f->offset;
        break;
    }
    case OBD_FK_ENUM:
        state = enum_find(f->enums, raw);
        value = (double)raw;
        break;
    default: /* FLAG, BITMAP, DTC */
        value = (double)raw;
        break;
    }

    v->field = f;
    v->available = avail;
    v->raw = raw;
    v->value = avail ? value : 0.0;
    v->state = avail ? state : NULL;
    return OBD_OK;
}

int obd_pid_decode(uint8_t pid, const uint8_t *data, size_t len, obd_value_t *out, size_t cap)
{
    const obd_pid_t *p = obd_pid_lookup(pid);
    if (!p)
        return OBD_EPID;
    if (len != p->len || (!data && len))
        return OBD_ELEN;
    if (cap < p->nfields || !out)
        return OBD_ENOSPC;
    for (unsigned i = 0; i < p->nfields; i++) {
        int rc = decode_field(&p->fields[i], data, len, &out[i]);
        if (rc)
            return rc;
    }
    return p->nfields;
}

/* ---------------- formatting ---------------- */

/* Decimals that show the field's resolution: 1 -> 0, 0.25 -> 1, 0.005 -> 3. */
static int decimals_for(double scale)
{
    double s = fabs(scale), r = 1.0;
    int d = 0;
    if (s == 0.0)
        return 0;
    while (d < 5 && r > s * (1.0 + 1e-9)) {
        r /= 10.0;
        d++;
    }
    return d;
}

/* "12.50" -> "12.5", "3.00" -> "3", "-0" -> "0". */
static void trim_number(char *s)
{
    char *dot = strchr(s, '.');
    if (dot) {
        char *e = s + strlen(s) - 1;
        while (e > dot && *e == '0')
            *e-- = 0;
        if (e == dot)
            *e = 0;
    }
    if (!strcmp(s, "-0"))
        strcpy(s, "0");
}

static int finish(int n, size_t cap)
{
    if (n < 0)
        return OBD_EFORMAT;
    if ((size_t)n >= cap)
        return OBD_ENOSPC;
    return n;
}

int obd_value_format(const obd_value_t *v, obd_lang_t lang, char *out, size_t cap)
{
    if (!out || cap == 0)
        return OBD_EINVAL;
    out[0] = 0;
    if (!v || !v->field)
        return OBD_EINVAL;
    const obd_field_t *f = v->field;
    if (!v->available)
        return finish(snprintf(out, cap, "%s", obd_tr(lang, "n/a", "不可用")), cap);

    switch (f->kind) {
    case OBD_FK_ENUM:
        if (v->state)
            return finish(snprintf(out, cap, "%s", obd_tr(lang, v->state->en, v->state->zh)), cap);
        return finish(snprintf(out, cap, "%s (0x%02X)", obd_tr(lang, "unknown", "未定义"), (unsigned)v->raw), cap);
    case OBD_FK_FLAG:
        return finish(snprintf(out, cap, "%s", v->raw ? obd_tr(lang, "yes", "是") : obd_tr(lang, "no", "否")), cap);
    case OBD_FK_BITMAP: {
        int width = f->nbits ? (f->nbits + 3) / 4 : 2 * f->size;
        return finish(snprintf(out, cap, "0x%0*X", width, (unsigned)v->raw), cap);
    }
    case OBD_FK_DTC: {
        char dtc[OBD_DTC_TEXT_LEN];
        obd_dtc_format((obd_dtc_t)v->raw, dtc);
        return finish(snprintf(out, cap, "%s", dtc), cap);
    }
    default:
        break;
    }

    char num[48];
    snprintf(num, sizeof num, "%.*f", decimals_for(f->scale), v->value);
    trim_number(num);
    const char *unit = f->unit ? f->unit : "";
    if (!*unit)
        return finish(snprintf(out, cap, "%s", num), cap);
    /* "45.1%" and "12.5°" hug the number; everything else takes a space. */
    bool hug = !strcmp(unit, "%") || !strcmp(unit, "°");
    return finish(snprintf(out, cap, "%s%s%s", num, hug ? "" : " ", unit), cap);
}

const char *obd_value_label(uint8_t pid, const obd_value_t *v, obd_lang_t lang, char *out, size_t cap)
{
    if (!out || !cap)
        return "";
    const obd_pid_t *p = obd_pid_lookup(pid);
    const char *field = v && v->field ? obd_tr(lang, v->field->en, v->field->zh) : "";
    if (!p)
        snprintf(out, cap, "%s", field);
    else if (p->nfields <= 1 || !v || !v->field)
        snprintf(out, cap, "%s", obd_tr(lang, p->en, p->zh));
    else
        snprintf(out, cap, "%s%s%s", obd_tr(lang, p->en, p->zh), lang == OBD_LANG_ZH ? "：" : ": ", field);
    return out;
}
