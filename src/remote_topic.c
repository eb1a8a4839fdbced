/*
 * remote_topic.c — identity of a remote request from its topic; see
 * include/obdgw/remote_topic.h. Pure string work, bounds-checked.
 */
#include <stdio.h>
#include <string.h>

#include "obdgw/remote_topic.h"

bool obd_remote_user_ok(const char *u, size_t n)
{
    if (!u || n < 1 || n >= OBD_RUSER_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '@' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static bool name_ok(const char *p, size_t n)
{
    if (n < 1 || n >= OBD_RNAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'))
            return false;
    }
    return true;
}

obd_rtopic_t obd_remote_req_topic(const char *topic, size_t len, const char *site, char user[OBD_RUSER_MAX],
                                  char name[OBD_RNAME_MAX])
{
    user[0] = name[0] = 0;
    if (!topic || !site)
        return OBD_RT_NOT_REQ;
    char pre[160];
    int pn = snprintf(pre, sizeof pre, "dms/v1/%s/req/", site);
    if (pn < 0 || (size_t)pn >= sizeof pre || len <= (size_t)pn || memcmp(topic, pre, (size_t)pn))
        return OBD_RT_NOT_REQ;
    const char *a = topic + pn;
    size_t rest = len - (size_t)pn;
    const char *slash = memchr(a, '/', rest);
    if (!slash) { /* the old form: req/{name} */
        if (name_ok(a, rest)) {
            memcpy(name, a, rest);
            name[rest] = 0;
        }
        return OBD_RT_NO_USER;
    }
    size_t un = (size_t)(slash - a);
    if (!obd_remote_user_ok(a, un))
        return OBD_RT_BAD_USER;
    const char *b = slash + 1;
    size_t bn = rest - un - 1;
    if (memchr(b, '/', bn) || !name_ok(b, bn))
        return OBD_RT_BAD_NAME;
    memcpy(user, a, un);
    user[un] = 0;
    memcpy(name, b, bn);
    name[bn] = 0;
    return OBD_RT_OK;
}

bool obd_remote_resp_ok(const char *topic, const char *site, const char *user)
{
    if (!topic || !site || !user || !obd_remote_user_ok(user, strlen(user)))
        return false;
    char pre[200];
    int pn = snprintf(pre, sizeof pre, "obdgw/v1/%s/resp/%s", site, user);
    size_t n = strlen(topic);
    if (pn < 0 || (size_t)pn >= sizeof pre || n >= 257 || n < (size_t)pn || memcmp(topic, pre, (size_t)pn))
        return false;
    if (n == (size_t)pn)
        return true;
    if (topic[pn] != '/' || n == (size_t)pn + 1 || topic[n - 1] == '/' || strpbrk(topic + pn, "#+") ||
        strstr(topic + pn, "//"))
        return false;
    return true;
}

int obd_remote_live_topic(char *out, size_t cap, const char *site, const char *user, int bay)
{
    int n = snprintf(out, cap, "obdgw/v1/%s/resp/%s/bay/%d/live", site, user, bay);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}
