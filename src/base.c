/* base.c — error strings and language codes shared by every module. */
#include <string.h>
#include <strings.h>

#include "obdgw/base.h"

const char *obd_strerror(int err)
{
    switch (err) {
    case OBD_OK: return "success";
    case OBD_ESHORT: return "message too short";
    case OBD_ESID: return "reply to a different service";
    case OBD_ELEN: return "inconsistent message length";
    case OBD_ERANGE: return "value out of range";
    case OBD_EPID: return "unknown or unexpected identifier";
    case OBD_ENOSPC: return "buffer too small";
    case OBD_EINVAL: return "invalid argument";
    case OBD_EFORMAT: return "malformed text";
    case OBD_ENOTFOUND: return "not found";
    case OBD_EDB: return "database error";
    case OBD_ETIMEOUT: return "timed out";
    case OBD_ELINK: return "link to the vehicle failed";
    case OBD_ENOVEHICLE: return "adapter could not connect to the vehicle";
    case OBD_EBUS: return "vehicle bus error";
    case OBD_EADAPTER: return "adapter gave an unexpected answer";
    case OBD_EREFUSED: return "the vehicle refused the request";
    case OBD_EEXIST: return "already exists";
    case OBD_ESTATE: return "not allowed in the current state";
    case OBD_EBADDATA: return "stored data failed a check";
    case OBD_EIO: return "the store could not be written";
    case OBD_EUNSUPPORTED: return "the adapter refused the request";
    default:
        if (err < 0 && err > -4096)
            return strerror(-err);
        return "unknown error";
    }
}

int obd_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

char *obd_hex_text(const uint8_t *p, size_t n, char *out, size_t cap)
{
    static const char digits[] = "0123456789ABCDEF";
    if (!cap)
        return out;
    size_t i = 0;
    for (; i < n && 2 * i + 2 < cap; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * i] = 0;
    return out;
}

int obd_lang_parse(const char *s)
{
    if (!s)
        return -1;
    if (!strcasecmp(s, "en") || !strncasecmp(s, "en_", 3) || !strncasecmp(s, "en-", 3))
        return OBD_LANG_EN;
    if (!strcasecmp(s, "zh") || !strcasecmp(s, "cn") || !strncasecmp(s, "zh_", 3) ||
        !strncasecmp(s, "zh-", 3))
        return OBD_LANG_ZH;
    return -1;
}

const char *obd_lang_code(obd_lang_t lang)
{
    return lang == OBD_LANG_ZH ? "zh" : "en";
}
