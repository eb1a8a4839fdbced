/*
 * The identity of a remote request comes from its topic
 * (src/remote_topic.c): the user level the broker's %u ACL enforces, the
 * old form without it, bad users and names, and the reply topics allowed
 * for a user.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/remote_topic.h"

static obd_rtopic_t parse(const char *t, char *user, char *name)
{
    return obd_remote_req_topic(t, strlen(t), "ws01", user, name);
}

static void test_user_form(void **state)
{
    (void)state;
    char u[OBD_RUSER_MAX], n[OBD_RNAME_MAX];
    assert_int_equal(parse("dms/v1/ws01/req/eng-li/live.start", u, n), OBD_RT_OK);
    assert_string_equal(u, "eng-li");
    assert_string_equal(n, "live.start");
    assert_int_equal(parse("dms/v1/ws01/req/li.wei@dealer.cn/scan.run", u, n), OBD_RT_OK);
    assert_string_equal(u, "li.wei@dealer.cn");
    /* the topic is read only within its length (not NUL-terminated) */
    const char *t = "dms/v1/ws01/req/eng-wu/dtc.readXXXX";
    assert_int_equal(obd_remote_req_topic(t, strlen(t) - 4, "ws01", u, n), OBD_RT_OK);
    assert_string_equal(n, "dtc.read");
}

static void test_old_form_and_bad(void **state)
{
    (void)state;
    char u[OBD_RUSER_MAX], n[OBD_RNAME_MAX];
    assert_int_equal(parse("dms/v1/ws01/req/live.start", u, n), OBD_RT_NO_USER);
    assert_string_equal(u, "");
    assert_string_equal(n, "live.start");
    assert_int_equal(parse("dms/v1/ws02/req/eng-li/live.start", u, n), OBD_RT_NOT_REQ);
    assert_int_equal(parse("dms/v1/ws01/wo", u, n), OBD_RT_NOT_REQ);
    assert_int_equal(parse("dms/v1/ws01/req/", u, n), OBD_RT_NOT_REQ);
    assert_int_equal(parse("dms/v1/ws01/req//live.start", u, n), OBD_RT_BAD_USER);
    assert_int_equal(parse("dms/v1/ws01/req/eng li/live.start", u, n), OBD_RT_BAD_USER);
    assert_int_equal(parse("dms/v1/ws01/req/eng+li/live.start", u, n), OBD_RT_BAD_USER);
    char longu[100];
    memset(longu, 'a', 64);
    longu[64] = 0;
    char t[200];
    snprintf(t, sizeof t, "dms/v1/ws01/req/%s/status", longu);
    assert_int_equal(parse(t, u, n), OBD_RT_BAD_USER);
    longu[63] = 0; /* 63 characters: fine */
    snprintf(t, sizeof t, "dms/v1/ws01/req/%s/status", longu);
    assert_int_equal(parse(t, u, n), OBD_RT_OK);
    assert_int_equal(strlen(u), 63);
    assert_int_equal(parse("dms/v1/ws01/req/eng-li/", u, n), OBD_RT_BAD_NAME);
    assert_int_equal(parse("dms/v1/ws01/req/eng-li/live/start", u, n), OBD_RT_BAD_NAME);
    assert_int_equal(parse("dms/v1/ws01/req/eng-li/Live.Start", u, n), OBD_RT_BAD_NAME);
    assert_string_equal(u, "");
    /* an embedded NUL ends nothing early: it is a bad character */
    const char nul[] = "dms/v1/ws01/req/eng-li/dtc\0read";
    assert_int_equal(obd_remote_req_topic(nul, sizeof nul - 1, "ws01", u, n), OBD_RT_BAD_NAME);
}

static void test_resp(void **state)
{
    (void)state;
    assert_true(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-li", "ws01", "eng-li"));
    assert_true(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-li/console-7", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-lix", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-wu", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-li/", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-li/+", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-li//x", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws01/scan", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws02/resp/eng-li", "ws01", "eng-li"));
    assert_false(obd_remote_resp_ok("obdgw/v1/ws01/resp/eng-li", "ws01", "bad user"));
    char live[128];
    assert_int_equal(obd_remote_live_topic(live, sizeof live, "ws01", "eng-li", 3), 0);
    assert_string_equal(live, "obdgw/v1/ws01/resp/eng-li/bay/3/live");
    assert_true(obd_remote_resp_ok(live, "ws01", "eng-li"));
    assert_int_equal(obd_remote_live_topic(live, 10, "ws01", "eng-li", 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_form),
        cmocka_unit_test(test_old_form_and_bad),
        cmocka_unit_test(test_resp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
