/*
 * elm.c — ELM327 reply text -> per-ECU diagnostic messages. Pure; see elm.h.
 *
 * Untrusted input: every line is bounded (ELM_LINE_MAX), every hex digit is
 * checked, ISO-TP lengths and sequence numbers are checked before a byte is
 * copied, and reassembly uses a fixed scratch area on the stack.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/elm.h"

#define ELM_LINE_MAX 256 /* longest line we accept (a 29-bit frame with spaces is 31) */
#define ELM_MAX_ASM 16   /* ECUs reassembling at once */
#define ELM_MAX_LEGACY 64

static const char *const status_keys[ELM_STATUS_COUNT] = {
    "ok", "no_data", "unable_to_connect", "bus_init_error", "can_error", "bus_error", "bus_busy",
    "fb_error", "data_error", "buffer_full", "stopped", "unknown_command", "low_power", "garbage",
    "rx_error", "internal_error", "can_fatal", "adapter_reset",
};

const char *elm_status_key(elm_status_t s)
{
    return (unsigned)s < ELM_STATUS_COUNT ? status_keys[s] : "unknown";
}

int elm_status_error(elm_status_t s)
{
    switch (s) {
    case ELM_OK:
    case ELM_NO_DATA: return OBD_OK;
    case ELM_UNABLE_TO_CONNECT:
    case ELM_BUS_INIT_ERROR: return OBD_ENOVEHICLE;
    case ELM_CAN_ERROR:
    case ELM_BUS_ERROR:
    case ELM_BUS_BUSY:
    case ELM_FB_ERROR:
    case ELM_DATA_ERROR:
    case ELM_RX_ERROR:
    case ELM_CAN_FATAL: return OBD_EBUS;
    case ELM_LOW_POWER:
    case ELM_ADAPTER_RESET: return OBD_ELINK;
    default: return OBD_EADAPTER;
    }
}

elm_fmt_t elm_fmt_for(obd_proto_t p)
{
    if (!obd_proto_is_can(p))
        return ELM_FMT_LEGACY;
    return obd_proto_is_can29(p) ? ELM_FMT_CAN29 : ELM_FMT_CAN11;
}

uint8_t elm_j1850_crc(const uint8_t *p, size_t n)
{
    uint8_t crc = 0xFF;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x80) ? (uint8_t)((crc << 1) ^ 0x1D) : (uint8_t)(crc << 1);
    }
    return (uint8_t)~crc;
}

uint8_t elm_iso_sum(const uint8_t *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return (uint8_t)s;
}


/* Hex digits -> bytes; false on a non-hex digit or an odd count. */
static bool hex_bytes(const char *s, size_t n, uint8_t *out, size_t cap, size_t *len)
{
    if (n % 2 || n / 2 > cap)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        int hi = obd_hex_digit(s[i]), lo = obd_hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return true;
}

static bool hex_u32(const char *s, size_t n, uint32_t *v)
{
    uint32_t x = 0;
    if (n == 0 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++) {
        int h = obd_hex_digit(s[i]);
        if (h < 0)
            return false;
        x = x << 4 | (uint32_t)h;
    }
    *v = x;
    return true;
}

int elm_format_request(const uint8_t *p, size_t n, unsigned expect, char *out, size_t cap)
{
    static const char hx[] = "0123456789ABCDEF";
    if (!p || !out || n == 0 || expect > 15)
        return OBD_EINVAL;
    size_t need = 2 * n + (expect ? 1 : 0) + 1;
    if (need > cap)
        return OBD_ENOSPC;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out[k++] = hx[p[i] >> 4];
        out[k++] = hx[p[i] & 15];
    }
    if (expect)
        out[k++] = hx[expect];
    out[k] = 0;
    return (int)k;
}

int elm_parse_voltage(const char *s, double *v)
{
    if (!s || !v)
        return OBD_EINVAL;
    while (*s == ' ')
        s++;
    char *end;
    double x = strtod(s, &end);
    if (end == s || x < 0 || x > 60)
        return OBD_EFORMAT;
    while (*end == ' ')
        end++;
    if (*end == 'V' || *end == 'v')
        end++;
    while (*end == ' ')
        end++;
    if (*end)
        return OBD_EFORMAT;
    *v = x;
    return OBD_OK;
}

/* ---- reassembly state ---------------------------------------------------- */

typedef struct {
    uint32_t addr;
    uint16_t total, got;
    uint16_t off; /* in scratch */
    uint8_t next_seq;
    uint8_t lines; /* frames taken so far: counted as bad if the message breaks */
    bool active;
} asm_t;

typedef struct {
    const elm_parse_opts_t *o;
    elm_reply_t *r;
    obd_replies_t *out;
    int err;
    /* CAN reassembly (headers on: per ECU; headers off: one "0:" group at a time) */
    asm_t a[ELM_MAX_ASM];
    size_t na;
    uint8_t scratch[OBD_LINK_ARENA];
    size_t scratch_used;
    /* legacy lines kept until the end so each ECU's lines are joined */
    struct {
        uint32_t addr;
        uint16_t off, len;
    } leg[ELM_MAX_LEGACY];
    size_t nleg;
    char prev[ELM_LINE_MAX];
    size_t prevlen;
    unsigned rx_errors; /* lines marked "<RX ERROR" */
} pstate_t;

static void set_status(pstate_t *st, elm_status_t s)
{
    if (st->r->status == ELM_OK || st->r->status == ELM_NO_DATA)
        st->r->status = s;
}

static void emit(pstate_t *st, uint32_t addr, const uint8_t *p, size_t n, bool append)
{
    int rc = obd_replies_add(st->out, addr, p, n, append);
    if (rc && !st->err)
        st->err = rc;
}

static asm_t *asm_find(pstate_t *st, uint32_t addr)
{
    for (size_t i = 0; i < st->na; i++)
        if (st->a[i].active && st->a[i].addr == addr)
            return &st->a[i];
    return NULL;
}

static asm_t *asm_start(pstate_t *st, uint32_t addr, uint16_t total)
{
    asm_t *a = asm_find(st, addr);
    if (a) { /* a new first frame abandons an unfinished message */
        a->active = false;
        st->r->bad_lines += a->lines;
    }
    if (total > sizeof st->scratch - st->scratch_used)
        return NULL;
    a = NULL;
    for (size_t i = 0; i < st->na; i++)
        if (!st->a[i].active)
            a = &st->a[i];
    if (!a) {
        if (st->na >= ELM_MAX_ASM)
            return NULL;
        a = &st->a[st->na++];
    }
    a->addr = addr;
    a->total = total;
    a->got = 0;
    a->off = (uint16_t)st->scratch_used;
    a->next_seq = 1;
    a->lines = 0;
    a->active = true;
    st->scratch_used += total;
    return a;
}

/* Add up to `n` bytes; emit the message when complete. */
static void asm_put(pstate_t *st, asm_t *a, const uint8_t *p, size_t n)
{
    size_t room = (size_t)(a->total - a->got);
    if (a->lines < 255)
        a->lines++;
    if (n > room)
        n = room; /* the rest is padding */
    memcpy(st->scratch + a->off + a->got, p, n);
    a->got = (uint16_t)(a->got + n);
    if (a->got == a->total) {
        emit(st, a->addr, st->scratch + a->off, a->total, false);
        a->active = false;
    }
}

/* One CAN frame (PCI first) from `addr`, headers on. */
static void can_frame(pstate_t *st, uint32_t addr, const uint8_t *b, size_t n)
{
    if (n < 1) {
        st->r->bad_lines++;
        return;
    }
    switch (b[0] >> 4) {
    case 0: { /* single frame */
        size_t len = b[0] & 15;
        if (len == 0 || len > n - 1) {
            st->r->bad_lines++;
            return;
        }
        emit(st, addr, b + 1, len, false);
        return;
    }
    case 1: { /* first frame */
        if (n < 3) {
            st->r->bad_lines++;
            return;
        }
        uint16_t total = (uint16_t)((b[0] & 15) << 8 | b[1]);
        if (total < 8) { /* a first frame must carry more than a single frame can */
            st->r->bad_lines++;
            return;
        }
        asm_t *a = asm_start(st, addr, total);
        if (!a) {
            st->r->bad_lines++;
            return;
        }
        asm_put(st, a, b + 2, n - 2);
        return;
    }
    case 2: { /* consecutive frame */
        asm_t *a = asm_find(st, addr);
        if (!a || (b[0] & 15) != a->next_seq) {
            if (a) { /* lost a frame: the message is broken */
                a->active = false;
                st->r->bad_lines += a->lines;
            }
            st->r->bad_lines++;
            return;
        }
        a->next_seq = (uint8_t)((a->next_seq + 1) & 15);
        asm_put(st, a, b + 1, n - 1);
        return;
    }
    default: /* flow control or reserved: not a reply */
        st->r->bad_lines++;
        return;
    }
}

static bool word(const char *s, size_t n, const char *w)
{
    size_t l = strlen(w);
    return n == l && !memcmp(s, w, l);
}

static bool contains(const char *s, size_t n, const char *w)
{
    size_t l = strlen(w);
    for (size_t i = 0; i + l <= n; i++)
        if (!memcmp(s + i, w, l))
            return true;
    return false;
}

/*
 * Status words; returns true when the line was one. `c` is the upper-cased,
 * trimmed line without spaces: status words are matched without spaces so
 * that clones which drop the spaces in them too ("NODATA",
 * "BUSINIT:ERROR", seen with ATS0) are understood. Words and meanings: the
 * ELM327 data sheet, "Error Messages and Alerts".
 */
static bool status_line(pstate_t *st, const char *c, size_t cl)
{
    if (contains(c, cl, "SEARCHING")) {
        st->r->searching = true;
        return true;
    }
    if (cl >= 7 && !memcmp(c, "BUSINIT", 7)) {
        if (contains(c, cl, "ERROR"))
            set_status(st, ELM_BUS_INIT_ERROR);
        else
            st->r->bus_init = true;
        return true;
    }
    /* "!ACT ALERT" / "!LP ALERT": the '!' is printed when PP 0F bit 1 is set */
    if (cl > 1 && c[0] == '!') {
        c++;
        cl--;
    }
    static const struct {
        const char *w; /* without spaces */
        elm_status_t s;
    } t[] = {
        { "NODATA", ELM_NO_DATA },
        { "UNABLETOCONNECT", ELM_UNABLE_TO_CONNECT },
        { "CANERROR", ELM_CAN_ERROR },
        { "BUSERROR", ELM_BUS_ERROR },
        { "BUSBUSY", ELM_BUS_BUSY },
        { "FBERROR", ELM_FB_ERROR },
        { "DATAERROR", ELM_DATA_ERROR },
        { "BUFFERFULL", ELM_BUFFER_FULL },
        { "STOPPED", ELM_STOPPED },
        { "?", ELM_UNKNOWN_CMD },
        { "LVRESET", ELM_ADAPTER_RESET },
        { "LPALERT", ELM_LOW_POWER },
        { "ACTALERT", ELM_LOW_POWER },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (word(c, cl, t[i].w)) {
            if (t[i].s == ELM_NO_DATA) {
                if (st->r->status == ELM_OK)
                    st->r->status = ELM_NO_DATA;
            } else {
                set_status(st, t[i].s);
            }
            return true;
        }
    }
    if (cl == 5 && !memcmp(c, "ERR", 3) && isdigit((unsigned char)c[3]) && isdigit((unsigned char)c[4])) {
        /* ERRnn: chip-internal errors; ERR94 is the fatal CAN error after which
         * the chip has reset itself (settings back to defaults). */
        unsigned code = (unsigned)(c[3] - '0') * 10 + (unsigned)(c[4] - '0');
        set_status(st, code == 94 ? ELM_CAN_FATAL : ELM_INTERNAL_ERROR);
        if (!st->r->err_code)
            st->r->err_code = code;
        return true;
    }
    return false;
}

/* A service id that starts a reply (positive 0x41-0x7E or negative 0x7F). */
static bool reply_sid(uint8_t b)
{
    return b >= 0x41 && b <= 0x7F;
}

/*
 * With headers expected, does this (compact) line look like reply data that
 * came without its header? Plain hex, whole bytes, starting with a reply
 * service id, and for legacy lines not starting like a legacy header (second
 * byte 6B, the J1850/ISO 9141 response target, or F1, the KWP tester).
 */
static bool looks_headerless(const pstate_t *st, const char *c, size_t n)
{
    uint8_t b[ELM_LINE_MAX / 2];
    size_t nb;
    if (!hex_bytes(c, n, b, sizeof b, &nb) || nb < 2 || !reply_sid(b[0]))
        return false;
    if (st->o->fmt == ELM_FMT_LEGACY && (b[1] == 0x6B || b[1] == 0xF1))
        return false;
    return true;
}

static void data_line(pstate_t *st, const char *c, size_t n)
{
    const elm_parse_opts_t *o = st->o;
    uint8_t b[ELM_LINE_MAX / 2];
    size_t nb;

    /* Error markers the chip appends to a line it received badly: "<DATA
     * ERROR" (checksum or PCI wrong), "<RX ERROR" (CAN bit errors). */
    if (memchr(c, '<', n)) {
        st->r->bad_lines++;
        if (contains(c, n, "<DATAERROR")) {
            st->r->checksummed++;
            st->r->bad_checksum++;
        } else if (contains(c, n, "<RXERROR")) {
            st->rx_errors++;
        }
        return;
    }
    if (o->headers) {
        if (o->fmt == ELM_FMT_LEGACY) {
            if (!hex_bytes(c, n, b, sizeof b, &nb) || nb < 5) {
                st->r->bad_lines++;
                if (looks_headerless(st, c, n))
                    st->r->headerless++;
                return;
            }
            bool j1850 = o->proto == OBD_PROTO_J1850_PWM || o->proto == OBD_PROTO_J1850_VPW;
            uint8_t want = j1850 ? elm_j1850_crc(b, nb - 1) : elm_iso_sum(b, nb - 1);
            if (want != b[nb - 1]) {
                st->r->bad_lines++;
                if (looks_headerless(st, c, n)) {
                    st->r->headerless++; /* not a header at all, so no checksum either */
                } else {
                    st->r->checksummed++;
                    st->r->bad_checksum++;
                }
                return;
            }
            st->r->checksummed++;
            if (st->nleg >= ELM_MAX_LEGACY || nb - 4 > sizeof st->scratch - st->scratch_used) {
                st->r->bad_lines++;
                return;
            }
            st->leg[st->nleg].addr = b[2];
            st->leg[st->nleg].off = (uint16_t)st->scratch_used;
            st->leg[st->nleg].len = (uint16_t)(nb - 4);
            memcpy(st->scratch + st->scratch_used, b + 3, nb - 4);
            st->scratch_used += nb - 4;
            st->nleg++;
            return;
        }
        size_t hl = o->fmt == ELM_FMT_CAN29 ? 8 : 3;
        uint32_t addr, maxid = o->fmt == ELM_FMT_CAN29 ? 0x1FFFFFFFu : 0x7FFu;
        if (n <= hl || !hex_u32(c, hl, &addr) || addr > maxid || !hex_bytes(c + hl, n - hl, b, sizeof b, &nb) ||
            nb > 8) {
            st->r->bad_lines++;
            if (looks_headerless(st, c, n))
                st->r->headerless++;
            return;
        }
        can_frame(st, addr, b, nb);
        return;
    }
    /* Headers off with ATCAF0: every line is a frame, PCI byte first. */
    if (o->fmt != ELM_FMT_LEGACY && o->raw_pci) {
        if (!hex_bytes(c, n, b, sizeof b, &nb) || nb == 0 || nb > 8) {
            st->r->bad_lines++;
            return;
        }
        can_frame(st, 0, b, nb);
        return;
    }
    /* Headers off. CAN multi-frame: "014" length line, then "0:" segments. */
    if (o->fmt != ELM_FMT_LEGACY) {
        if (n == 3 && obd_hex_digit(c[0]) >= 0 && obd_hex_digit(c[1]) >= 0 && obd_hex_digit(c[2]) >= 0) {
            uint32_t total = 0;
            hex_u32(c, 3, &total);
            asm_t *a = asm_start(st, 0, (uint16_t)total);
            if (!a || total == 0)
                st->r->bad_lines++;
            else
                a->next_seq = 0;
            return;
        }
        if (n >= 2 && c[1] == ':' && obd_hex_digit(c[0]) >= 0) {
            asm_t *a = asm_find(st, 0);
            if (!a || obd_hex_digit(c[0]) != a->next_seq || !hex_bytes(c + 2, n - 2, b, sizeof b, &nb)) {
                if (a) {
                    a->active = false;
                    st->r->bad_lines += a->lines;
                }
                st->r->bad_lines++;
                return;
            }
            a->next_seq = (uint8_t)((a->next_seq + 1) & 15);
            asm_put(st, a, b, nb);
            return;
        }
    }
    if (!hex_bytes(c, n, b, sizeof b, &nb) || nb == 0) {
        st->r->bad_lines++;
        return;
    }
    emit(st, 0, b, nb, o->fmt == ELM_FMT_LEGACY);
}

int elm_parse_reply(const char *text, size_t n, const elm_parse_opts_t *o, elm_reply_t *r, obd_replies_t *out)
{
    if (!o || !r || !out || (!text && n))
        return OBD_EINVAL;
    pstate_t *st = &(pstate_t){ .o = o, .r = r, .out = out };
    memset(r, 0, sizeof *r);
    obd_replies_reset(out);

    char echo[ELM_LINE_MAX];
    size_t echolen = 0;
    if (o->echo) {
        for (const char *e = o->echo; *e && echolen < sizeof echo; e++)
            if (*e != ' ')
                echo[echolen++] = (char)toupper((unsigned char)*e);
    }

    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && text[i] != '\r' && text[i] != '\n')
            i++;
        size_t end = i;
        while (i < n && (text[i] == '\r' || text[i] == '\n'))
            i++;
        /* trim */
        while (start < end && (text[start] == ' ' || text[start] == '\t' || text[start] == 0))
            start++;
        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == 0))
            end--;
        if (start == end)
            continue;
        r->lines++;
        size_t len = end - start;
        if (len >= ELM_LINE_MAX) {
            r->bad_lines++;
            continue;
        }
        /* Upper-case copy; anything outside printable ASCII spoils the line. */
        char u[ELM_LINE_MAX], c[ELM_LINE_MAX];
        size_t cl = 0;
        bool bad = false;
        for (size_t k = 0; k < len; k++) {
            unsigned char ch = (unsigned char)text[start + k];
            if (ch < 0x20 || ch > 0x7E) {
                bad = true;
                break;
            }
            u[k] = (char)toupper(ch);
            if (u[k] != ' ')
                c[cl++] = u[k];
        }
        if (bad) {
            r->bad_lines++;
            continue;
        }
        /* Exact repeat of the line before: adapters sometimes print a frame
         * twice. CAN with headers off compares only "N:" segments: two plain
         * lines alike there are two single-frame answers (the chip prints each
         * frame it receives once), from ECUs nothing tells apart. (Legacy
         * lines without headers are all joined into one message, where a
         * repeat would corrupt it, so they are still compared.) */
        bool segment = cl >= 2 && c[1] == ':';
        bool compare = o->headers || o->fmt == ELM_FMT_LEGACY || segment;
        if (compare && len == st->prevlen && !memcmp(u, st->prev, len)) {
            r->dup_lines++;
            continue;
        }
        memcpy(st->prev, u, len);
        st->prevlen = len;

        if (echolen && !r->echoed && r->lines == 1 && cl == echolen && !memcmp(c, echo, cl)) {
            r->echoed = true;
            continue;
        }
        if (status_line(st, c, cl))
            continue;
        data_line(st, c, cl);
    }

    /* Legacy: join each ECU's lines in order of first appearance. */
    for (size_t k = 0; k < st->nleg; k++) {
        uint32_t addr = st->leg[k].addr;
        bool seen = false;
        for (size_t j = 0; j < k; j++)
            if (st->leg[j].addr == addr)
                seen = true;
        if (seen)
            continue;
        bool first = true;
        for (size_t j = k; j < st->nleg; j++) {
            if (st->leg[j].addr != addr)
                continue;
            emit(st, addr, st->scratch + st->leg[j].off, st->leg[j].len, !first);
            first = false;
        }
    }
    /* Unfinished multi-frame messages are broken lines, not data. */
    for (size_t k = 0; k < st->na; k++)
        if (st->a[k].active)
            r->bad_lines += st->a[k].lines ? st->a[k].lines : 1;

    if (out->count) {
        if (r->status == ELM_NO_DATA)
            r->status = ELM_OK;
    } else if (r->status == ELM_OK) {
        /* Nothing decoded: say why, most specific first. */
        if (r->bad_checksum)
            r->status = ELM_DATA_ERROR;
        else if (st->rx_errors)
            r->status = ELM_RX_ERROR;
        else
            r->status = r->bad_lines ? ELM_GARBAGE : ELM_NO_DATA;
    }
    return st->err;
}
