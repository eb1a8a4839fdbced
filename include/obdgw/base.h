/*
 * base.h — what every obdgw module shares: error codes, the language switch,
 * and the bounded read cursor every parser of vehicle, adapter, file or
 * network bytes goes through.
 *
 * Conventions (see docs/ARCHITECTURE.md):
 *   - 0 is success, a negative number is a failure. System errors are -errno;
 *     obdgw's own codes live at -2000 and below so the two never collide.
 *   - An ECU's negative response (0x7F) is *data*, not an error of ours:
 *     parsers return OBD_OK and flag the result as negative with its NRC.
 *   - Parsers take (pointer, length), never read past length, never allocate.
 */
#ifndef OBDGW_BASE_H
#define OBDGW_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum obd_err {
    OBD_OK = 0,
    OBD_ESHORT = -2001,    /* input ends before a field it must contain */
    OBD_ESID = -2002,      /* response service id is not the one asked for */
    OBD_ELEN = -2003,      /* length inconsistent: odd, count mismatch, trailing bytes */
    OBD_ERANGE = -2004,    /* a value the standard does not allow */
    OBD_EPID = -2005,      /* PID / DID / info type unknown or not the one asked for */
    OBD_ENOSPC = -2006,    /* the caller's buffer is too small */
    OBD_EINVAL = -2007,    /* bad argument from the caller */
    OBD_EFORMAT = -2008,   /* text not in the expected form (e.g. "P03X1") */
    OBD_ENOTFOUND = -2009, /* no such entry */
    OBD_EDB = -2010,       /* database could not be opened or read */
    OBD_ETIMEOUT = -2011,  /* the peer did not answer in time */
    OBD_ELINK = -2012,     /* the link to the vehicle/adapter failed (EOF, EIO, reset) */
    OBD_ENOVEHICLE = -2013, /* adapter could not reach the vehicle (UNABLE TO CONNECT, BUS INIT error) */
    OBD_EBUS = -2014,      /* vehicle bus error (CAN ERROR, BUS ERROR, bus-off) */
    OBD_EADAPTER = -2015,  /* adapter answered something it should not ('?', garbage, BUFFER FULL) */
    OBD_EREFUSED = -2016,  /* the vehicle refused (e.g. clear with the engine running) */
    OBD_EEXIST = -2017,    /* an entry with that key exists already (RO number) */
    OBD_ESTATE = -2018,    /* not allowed in the current state (closed RO, VIN mismatch, no pre-repair scan) */
    OBD_EBADDATA = -2019,  /* stored data failed a check (audit chain, signed report hash, corrupt file) */
    OBD_EIO = -2020,       /* the store could not be written (disk full, read-only) */
    OBD_EUNSUPPORTED = -2021, /* the adapter refused this one request ('?' to a service, e.g. 0A): that
                               * request's result (the service is unsupported here), not a link failure */
};

/* One line, English; never NULL. Accepts -errno too. */
const char *obd_strerror(int err);

/* A hex digit's value (either case), or -1. */
int obd_hex_digit(char c);
/* Bytes as upper-case hex ("0C80"), as many whole bytes as fit in cap
 * (NUL-terminated; cap 0 writes nothing). Returns out. */
char *obd_hex_text(const uint8_t *p, size_t n, char *out, size_t cap);

/* Languages every user-facing text exists in. */
typedef enum { OBD_LANG_EN = 0, OBD_LANG_ZH = 1 } obd_lang_t;
#define OBD_LANG_COUNT 2

/* "en"/"zh" (also "zh-CN", "zh_CN", "cn") -> language; -1 when unknown. */
int obd_lang_parse(const char *s);
const char *obd_lang_code(obd_lang_t lang);

/* Pick the text for a language from an en/zh pair. */
static inline const char *obd_tr(obd_lang_t lang, const char *en, const char *zh)
{
    return (lang == OBD_LANG_ZH && zh) ? zh : en;
}

/*
 * Bounded cursor. Reads past the end set `err` and return 0; once an error is
 * set every further read returns 0, so a parser may read a whole record and
 * check `cur.err` once.
 */
typedef struct {
    const uint8_t *p;
    size_t len;
    size_t pos;
    int err;
} obd_cur_t;

static inline obd_cur_t obd_cur(const uint8_t *p, size_t len)
{
    obd_cur_t c = { p, p ? len : 0, 0, 0 };
    return c;
}
static inline size_t obd_cur_left(const obd_cur_t *c) { return c->err ? 0 : c->len - c->pos; }
static inline bool obd_cur_need(obd_cur_t *c, size_t n)
{
    if (c->err)
        return false;
    if (c->len - c->pos < n) {
        c->err = OBD_ESHORT;
        return false;
    }
    return true;
}
static inline uint8_t obd_cur_u8(obd_cur_t *c)
{
    return obd_cur_need(c, 1) ? c->p[c->pos++] : 0;
}
static inline uint16_t obd_cur_u16(obd_cur_t *c)
{
    if (!obd_cur_need(c, 2))
        return 0;
    uint16_t v = (uint16_t)((c->p[c->pos] << 8) | c->p[c->pos + 1]);
    c->pos += 2;
    return v;
}
static inline uint32_t obd_cur_u24(obd_cur_t *c)
{
    if (!obd_cur_need(c, 3))
        return 0;
    uint32_t v = ((uint32_t)c->p[c->pos] << 16) | ((uint32_t)c->p[c->pos + 1] << 8) | c->p[c->pos + 2];
    c->pos += 3;
    return v;
}
static inline uint32_t obd_cur_u32(obd_cur_t *c)
{
    if (!obd_cur_need(c, 4))
        return 0;
    uint32_t v = ((uint32_t)c->p[c->pos] << 24) | ((uint32_t)c->p[c->pos + 1] << 16) |
                 ((uint32_t)c->p[c->pos + 2] << 8) | c->p[c->pos + 3];
    c->pos += 4;
    return v;
}
/* Returns a pointer to the next n bytes (and skips them), or NULL on short input. */
static inline const uint8_t *obd_cur_take(obd_cur_t *c, size_t n)
{
    if (!obd_cur_need(c, n))
        return NULL;
    const uint8_t *r = c->p + c->pos;
    c->pos += n;
    return r;
}

/*
 * Negative-response marker carried by every parsed service reply. When
 * `negative` is true the ECU answered 0x7F <sid> <nrc> and nothing else in the
 * result is valid.
 */
typedef struct {
    bool negative;
    uint8_t nrc;
} obd_nr_t;

/* Bounded builder for requests (the mirror of the cursor). */
typedef struct {
    uint8_t *p;
    size_t cap;
    size_t len;
    int err;
} obd_buf_t;

static inline obd_buf_t obd_buf(uint8_t *p, size_t cap)
{
    obd_buf_t b = { p, p ? cap : 0, 0, 0 };
    return b;
}
static inline void obd_buf_u8(obd_buf_t *b, uint8_t v)
{
    if (b->err)
        return;
    if (b->len >= b->cap) {
        b->err = OBD_ENOSPC;
        return;
    }
    b->p[b->len++] = v;
}
static inline void obd_buf_u16(obd_buf_t *b, uint16_t v)
{
    obd_buf_u8(b, (uint8_t)(v >> 8));
    obd_buf_u8(b, (uint8_t)v);
}
static inline void obd_buf_u24(obd_buf_t *b, uint32_t v)
{
    obd_buf_u8(b, (uint8_t)(v >> 16));
    obd_buf_u8(b, (uint8_t)(v >> 8));
    obd_buf_u8(b, (uint8_t)v);
}
/* Length written, or the error. */
static inline int obd_buf_done(const obd_buf_t *b) { return b->err ? b->err : (int)b->len; }

#endif
