/*
 * Fuzz target: the identity of a remote request from its topic
 * (src/remote_topic.c). The input is the topic as the broker delivers it
 * (not NUL-terminated: read only within size). Promises checked: OK gives a
 * valid user and name that rebuild exactly the input; a reply topic is
 * accepted only below obdgw/v1/ws01/resp/{user}.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/remote_topic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char user[OBD_RUSER_MAX], name[OBD_RNAME_MAX];
    obd_rtopic_t rc = obd_remote_req_topic((const char *)data, size, "ws01", user, name);
    expect(rc >= OBD_RT_OK && rc <= OBD_RT_BAD_NAME);
    if (rc == OBD_RT_OK) {
        expect(obd_remote_user_ok(user, strlen(user)));
        expect(name[0] && strlen(name) < OBD_RNAME_MAX);
        char back[256];
        int n = snprintf(back, sizeof back, "dms/v1/ws01/req/%s/%s", user, name);
        expect(n > 0 && (size_t)n == size && !memcmp(back, data, size));
        char resp[256];
        snprintf(resp, sizeof resp, "obdgw/v1/ws01/resp/%s", user);
        expect(obd_remote_resp_ok(resp, "ws01", user));
        char live[256];
        expect(obd_remote_live_topic(live, sizeof live, "ws01", user, 1) == 0);
        expect(obd_remote_resp_ok(live, "ws01", user));
    } else {
        expect(!user[0]);
    }
    /* The input as a reply topic for user "eng-li": accepted only under its prefix. */
    char *t = malloc(size + 1);
    if (!t)
        return 0;
    memcpy(t, data, size);
    t[size] = 0;
    if (obd_remote_resp_ok(t, "ws01", "eng-li")) {
        expect(!strncmp(t, "obdgw/v1/ws01/resp/eng-li", 25));
        expect(t[25] == 0 || t[25] == '/');
        expect(!strpbrk(t, "+#") && strlen(t) < 257);
    }
    free(t);
    return 0;
}
