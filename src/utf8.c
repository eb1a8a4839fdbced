/*
 * utf8.c — UTF-8 validation, counting and repair (see include/obdgw/utf8.h).
 * The byte ranges are those of RFC 3629 section 4 (the UTF8-octets ABNF).
 */
#include <string.h>

#include "obdgw/utf8.h"

size_t obd_utf8_seq(const unsigned char *s, size_t n)
{
    if (!n)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

bool obd_utf8_valid(const void *p, size_t n, size_t *bad_at)
{
    const unsigned char *s = p;
    size_t i = 0;
    while (i < n) {
        size_t k = obd_utf8_seq(s + i, n - i);
        if (!k) {
            if (bad_at)
                *bad_at = i;
            return false;
        }
        i += k;
    }
    return true;
}

size_t obd_utf8_chars(const char *s)
{
    size_t n = 0, len = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; n++) {
        size_t k = obd_utf8_seq(u + i, len - i);
        i += k ? k : 1;
    }
    return n;
}

obd_text_err_t obd_text_check(const char *s, size_t n, size_t max_chars, size_t max_bytes)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t chars = 0;
    for (size_t i = 0; i < n; chars++) {
        size_t k = obd_utf8_seq(u + i, n - i);
        if (!k)
            return OBD_TEXT_BAD_UTF8;
        if (k == 1 && ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7F))
            return OBD_TEXT_CONTROL;
        i += k;
    }
    if (chars > max_chars || (max_bytes && n > max_bytes))
        return OBD_TEXT_TOO_LONG;
    return OBD_TEXT_OK;
}

const char *obd_text_err_en(obd_text_err_t e)
{
    switch (e) {
    case OBD_TEXT_OK: return "valid";
    case OBD_TEXT_BAD_UTF8: return "is not valid UTF-8";
    case OBD_TEXT_CONTROL: return "contains a NUL or another control character";
    case OBD_TEXT_TOO_LONG: return "is too long";
    }
    return "is invalid";
}

const char *obd_text_err_zh(obd_text_err_t e)
{
    switch (e) {
    case OBD_TEXT_OK: return "有效";
    case OBD_TEXT_BAD_UTF8: return "不是有效的 UTF-8";
    case OBD_TEXT_CONTROL: return "含有 NUL 或其他控制字符";
    case OBD_TEXT_TOO_LONG: return "过长";
    }
    return "无效";
}

size_t obd_utf8_repair(const char *in, char *out, size_t cap)
{
    static const char repl[] = "\xEF\xBF\xBD"; /* U+FFFD */
    size_t bad = 0, o = 0, n = strlen(in);
    const unsigned char *u = (const unsigned char *)in;
    if (!cap)
        return n ? 1 : 0;
    for (size_t i = 0; i < n;) {
        size_t k = obd_utf8_seq(u + i, n - i);
        const char *src = k ? in + i : repl;
        size_t len = k ? k : 3;
        if (o + len >= cap) {
            bad++; /* cut: counts as a change */
            break;
        }
        memcpy(out + o, src, len);
        o += len;
        if (!k)
            bad++;
        i += k ? k : 1;
    }
    out[o] = 0;
    return bad;
}

size_t obd_utf8_clip(const char *s, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strnlen(s, max), i = 0;
    while (i < n) {
        size_t k = obd_utf8_seq(u + i, n - i);
        if (!k) {
            /* an invalid byte is its own "character"; a cut sequence is not */
            if (n - i < 4 && u[i] >= 0xC2 && u[i] <= 0xF4)
                break;
            k = 1;
        }
        i += k;
    }
    return i;
}

size_t obd_text_escape(const char *in, size_t n, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t o = 0, escaped = 0;
    if (!cap)
        return 0;
    for (size_t i = 0; i < n;) {
        size_t k = obd_utf8_seq(u + i, n - i);
        /* C0 controls (TAB too: it moves the cursor), DEL, and C1 controls
         * (U+0080..U+009F, C2 80..C2 9F: some terminals obey them) */
        bool ctl = !k || u[i] < 0x20 || u[i] == 0x7F || (k == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0);
        if (!ctl) {
            if (o + k >= cap)
                break;
            memcpy(out + o, u + i, k);
            o += k;
            i += k;
            continue;
        }
        size_t m = k ? k : 1; /* a C1 control: both of its bytes */
        if (o + 4 * m >= cap)
            break;
        for (size_t j = 0; j < m; j++) {
            static const char hx[] = "0123456789abcdef";
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hx[u[i + j] >> 4];
            out[o++] = hx[u[i + j] & 15];
        }
        escaped += m;
        i += m;
    }
    out[o] = 0;
    return escaped;
}
