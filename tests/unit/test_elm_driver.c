/*
 * The ELM327 dialogue against a scripted adapter on a socketpair: exactly
 * which commands the driver sends (set-up, capability probe, ATSH/ATCRA only
 * when the target changes, the expected-replies digit) and how it copes with
 * clones ('?' answers, echo stuck on), a missing prompt, and the adapter
 * vanishing. Each script line: the command we must send -> what the adapter
 * answers (the "\r\r>" prompt is added unless the answer is HANG or EOF).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "obdgw/canlink.h"
#include "obdgw/elm.h"

typedef struct {
    const char *cmd;   /* what the driver must send (without CR); "*" = anything */
    const char *reply; /* adapter text; "HANG" = no prompt, "EOF" = close */
} step_t;

typedef struct {
    int fd;
    const step_t *steps;
    size_t n;
    size_t done;
    char got[64][48]; /* commands received, for the failure message */
    char mismatch[256];
    bool echo; /* echo every command back (a clone with ATE0 ignored) */
} peer_t;

static void *peer_main(void *arg)
{
    peer_t *p = arg;
    char line[128];
    size_t ll = 0;
    while (p->done < p->n) {
        char c;
        ssize_t r = read(p->fd, &c, 1);
        if (r <= 0)
            break;
        if (c != '\r') {
            if (ll < sizeof line - 1)
                line[ll++] = c;
            continue;
        }
        line[ll] = 0;
        ll = 0;
        if (!line[0])
            continue; /* a bare CR: wake-up / resync */
        const step_t *s = &p->steps[p->done];
        if (p->done < 64)
            snprintf(p->got[p->done], sizeof p->got[0], "%.47s", line);
        p->done++;
        if (strcmp(s->cmd, "*") && strcmp(s->cmd, line)) {
            snprintf(p->mismatch, sizeof p->mismatch, "step %zu: driver sent '%.60s', script expects '%.60s'", p->done,
                     line, s->cmd);
            break;
        }
        char out[512];
        int n = 0;
        if (p->echo)
            n = snprintf(out, sizeof out, "%s\r", line);
        if (!strcmp(s->reply, "EOF"))
            break;
        if (!strncmp(s->reply, "NOPROMPT:", 9)) { /* a whole answer, then no prompt */
            n += snprintf(out + n, sizeof out - (size_t)n, "%s\r\r", s->reply + 9);
            if (write(p->fd, out, (size_t)n) < 0)
                break;
            continue;
        }
        if (!strcmp(s->reply, "HANG")) {
            n += snprintf(out + n, sizeof out - (size_t)n, "7E8 03 41");
            if (write(p->fd, out, (size_t)n) < 0)
                break;
            continue;
        }
        n += snprintf(out + n, sizeof out - (size_t)n, "%s\r\r>", s->reply);
        if (write(p->fd, out, (size_t)n) < 0)
            break;
    }
    close(p->fd);
    return NULL;
}

/* The standard set-up of a genuine v1.5 on CAN 11/500, first lines of every script. */
#define SETUP_V15                                                                                      \
    { "ATZ", "\r\rELM327 v1.5" }, { "ATE0", "ATE0\rOK" }, { "ATI", "ELM327 v1.5" }, { "ATL0", "OK" }, \
        { "ATS0", "OK" }, { "ATH1", "OK" }, { "AT@1", "OBDII to RS232 Interpreter" }, { "STI", "?" },  \
        { "ATAT1", "OK" }, { "ATCAF1", "OK" }, { "ATCRA", "OK" }, { "ATSP0", "OK" },                  \
        { "0100", "SEARCHING...\r7E806410098180001\r7E906410080000000" }, { "ATDPN", "A6" },          \
        { "ATST19", "OK" }, { "ATRV", "12.6V" }

typedef struct {
    peer_t peer;
    pthread_t th;
    obd_link_t *link;
    int rc;
    char err[256];
} rig_t;

static void rig_start(rig_t *r, const step_t *steps, size_t n, bool echo)
{
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    memset(r, 0, sizeof *r);
    r->peer.fd = sv[1];
    r->peer.steps = steps;
    r->peer.n = n;
    r->peer.echo = echo;
    pthread_create(&r->th, NULL, peer_main, &r->peer);
    obd_stream_t s;
    obd_stream_from_fd(&s, sv[0], "scripted");
    obd_link_opts_t o = { 0 };
    r->rc = elm_link_open(&s, NULL, &o, &r->link, r->err, sizeof r->err);
}

static void rig_finish(rig_t *r);
/* A request that must succeed; on failure the driver's message and where the script stopped. */
#define REQ_OK(r, q, out)                                                                                   \
    do {                                                                                                   \
        int rc_ = obd_link_request((r)->link, (q), (out));                                                 \
        if (rc_ != OBD_OK) {                                                                               \
            obd_link_close((r)->link);                                                                     \
            pthread_join((r)->th, NULL);                                                                   \
            fail_msg("request: %s (%s); script: %s, step %zu of %zu", obd_strerror(rc_), "see driver",      \
                     (r)->peer.mismatch[0] ? (r)->peer.mismatch : "in step", (r)->peer.done, (r)->peer.n); \
        }                                                                                                  \
    } while (0)

static void rig_finish(rig_t *r)
{
    obd_link_close(r->link);
    pthread_join(r->th, NULL);
    if (r->peer.mismatch[0])
        fail_msg("%s", r->peer.mismatch);
    if (r->peer.done != r->peer.n)
        fail_msg("script stopped at step %zu of %zu (last command '%s')", r->peer.done, r->peer.n,
                 r->peer.done ? r->peer.got[r->peer.done - 1] : "");
}

static void test_setup_and_targets(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        /* functional with 2 ECUs known: the count digit, no ATSH yet (7DF is the default) */
        { "ATSH7DF", "OK" },
        { "01012", "7E80641018107650400\r7E906410100076504" },
        /* physical to 7E8: the header once, then not again; no filter for an
         * OBD pair under its own header (the headers tell who answered) */
        { "ATSH7E0", "OK" },
        { "010C1", "7E804410C1AF8000000" },
        { "010D1", "7E803410D3200000000" },
        /* back to functional: the header only */
        { "ATSH7DF", "OK" },
        { "03", "7E80443010301000000\r7E90243000000000000" },
        /* a pair that is not an OBD one (VW gateway 710 -> 77A): its own filter,
         * automatic receive would not take 77A */
        { "ATSH710", "OK" },
        { "ATCRA77A", "OK" },
        { "3E001", "77A027E00AAAAAAAAAA" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    const elm_caps_t *caps = elm_link_caps(r.link);
    assert_non_null(caps);
    assert_true(caps->headers);
    assert_true(caps->has_count);
    assert_false(caps->is_stn);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x01", .len = 2, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    assert_int_equal(out.r[0].addr, 0x7E8);
    assert_int_equal(out.r[1].addr, 0x7E9);
    obd_request_t p1 = { .to = obd_target_for(0x7E8), .data = (const uint8_t *)"\x01\x0C", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &p1, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_memory_equal(obd_reply_data(&out, 0), "\x41\x0C\x1A\xF8", 4);
    obd_request_t p2 = { .to = obd_target_for(0x7E8), .data = (const uint8_t *)"\x01\x0D", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &p2, &out), OBD_OK);
    /* a 29-bit id on this 11-bit protocol: refused before anything is sent
     * (ATSH would keep the low 11 bits and address some other id) */
    obd_request_t x = { .to = { 0x18DA10F1u, 0x18DAF110u }, .data = (const uint8_t *)"\x3E\x00", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &x, &out), OBD_EINVAL);
    assert_non_null(strstr(r.link->errmsg, "29-bit id 18DA10F1 on an 11-bit CAN protocol"));
    obd_request_t f = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x03", .len = 1 };
    assert_int_equal(obd_link_request(r.link, &f, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    obd_request_t g = { .to = { 0x710, 0x77A }, .data = (const uint8_t *)"\x3E\x00", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &g, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x77A);
    rig_finish(&r);
}

static void test_clone_quirks(void **state)
{
    (void)state;
    /* A clone: echo stuck on, no adaptive timing, no filters, chokes on the count digit. */
    static const step_t script[] = {
        { "ATZ", "\r\rELM327 v2.1" },
        { "ATE0", "OK" },
        { "ATI", "ELM327 v2.1" },
        { "ATL0", "OK" },
        { "ATS0", "?" },
        { "ATH1", "OK" },
        { "AT@1", "?" },
        { "STI", "?" },
        { "ATAT1", "?" },
        { "ATCAF1", "OK" },
        { "ATCRA", "?" },
        { "ATSP0", "OK" },
        { "0100", "SEARCHING...\r7E8 06 41 00 98 18 00 01" },
        { "ATDPN", "A6" },
        { "ATST19", "OK" },
        { "ATRV", "12.1V" },
        { "ATSH7DF", "OK" },
        { "01001", "?" },         /* the count digit is not understood ... */
        { "0100", "7E8 06 41 00 98 18 00 01" }, /* ... so the request is repeated without it */
        { "0100", "7E8 06 41 00 98 18 00 01" }, /* and never used again */
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], true);
    assert_int_equal(r.rc, OBD_OK);
    const elm_caps_t *caps = elm_link_caps(r.link);
    assert_true(caps->echo_stuck);
    assert_true(caps->spaces);
    assert_false(caps->has_at);
    assert_false(caps->has_cra);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x00", .len = 2, .expect = 1 };
    /* the first 0100 is the protocol search's answer: nothing on the wire */
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x7E8);
    assert_true(elm_link_caps(r.link)->has_count);
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_false(elm_link_caps(r.link)->has_count);
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    rig_finish(&r);
}

static void test_no_vehicle(void **state)
{
    (void)state;
    static const step_t script[] = {
        { "ATZ", "ELM327 v1.5" }, { "ATE0", "OK" },   { "ATI", "ELM327 v1.5" }, { "ATL0", "OK" },
        { "ATS0", "OK" },         { "ATH1", "OK" },   { "AT@1", "?" },          { "STI", "?" },
        { "ATAT1", "OK" },        { "ATCAF1", "OK" }, { "ATCRA", "OK" },        { "ATSP0", "OK" },
        { "0100", "SEARCHING...\rUNABLE TO CONNECT" },
        { "22F400", "SEARCHING...\rUNABLE TO CONNECT" }, /* the OBD-on-UDS probe */
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_ENOVEHICLE);
    assert_non_null(strstr(r.err, "could not reach the vehicle (unable_to_connect)"));
    /* the hint is the caller's, in the user's language: said once (issue 15) */
    assert_null(strstr(r.err, "ignition"));
    assert_null(r.link);
    rig_finish(&r);
}

/* A clone whose ATI answer carries terminal escapes: the message quotes it
 * with every control character as \xNN (issue 15 item 6). */
static void test_ati_escaped(void **state)
{
    (void)state;
    static const step_t script[] = {
        { "ATZ", "\x1b[2J" }, { "ATE0", "OK" }, { "ATI", "\x1b]0;x\x07\x1b[31mEVIL" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_EADAPTER);
    assert_non_null(strstr(r.err, "it says '\\x1b]0;x\\x07\\x1b[31mEVIL'"));
    for (const char *p = r.err; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7F);
    assert_null(r.link);
    rig_finish(&r);
}

/* An OBD-on-UDS (SAE J1979-2) car: no answer to 01 00 on any protocol; the
 * search is run again with the emissions DID 22 F400 and finds CAN 11/500. */
static void test_connect_obd_on_uds(void **state)
{
    (void)state;
    static const step_t script[] = {
        { "ATZ", "ELM327 v1.5" }, { "ATE0", "OK" },   { "ATI", "ELM327 v1.5" }, { "ATL0", "OK" },
        { "ATS0", "OK" },         { "ATH1", "OK" },   { "AT@1", "?" },          { "STI", "?" },
        { "ATAT1", "OK" },        { "ATCAF1", "OK" }, { "ATCRA", "OK" },        { "ATSP0", "OK" },
        { "0100", "SEARCHING...\rUNABLE TO CONNECT" },
        { "22F400", "SEARCHING...\r7E80762F400981A8001" },
        { "ATDPN", "A6" },        { "ATST19", "OK" }, { "ATRV", "14.2V" },
        /* obd_link_info does not read the battery again within 10 s */
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    assert_non_null(r.link);
    obd_link_info_t info;
    assert_int_equal(obd_link_info(r.link, &info), OBD_OK);
    assert_int_equal(info.protocol, OBD_PROTO_CAN11_500);
    rig_finish(&r);
}

static void test_not_an_elm(void **state)
{
    (void)state;
    static const step_t script[] = {
        { "ATZ", "hello" }, { "ATE0", "?" }, { "ATI", "modem v9" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_EADAPTER);
    assert_non_null(strstr(r.err, "not an ELM327"));
    rig_finish(&r);
}

static void test_hang_then_vanish(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATSH7DF", "OK" },
        { "010C", "HANG" }, /* a reply that never ends: timeout, resync, one retry */
        { "010C", "7E804410C1AF8000000" },
        { "010D", "HANG" }, /* hangs three times: the request fails */
        { "010D", "HANG" },
        { "010D", "HANG" },
        { "0105", "EOF" },  /* unplugged */
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x0C", .len = 2, .timeout_ms = 300 };
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    obd_request_t q2 = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x0D", .len = 2, .timeout_ms = 300 };
    assert_int_equal(obd_link_request(r.link, &q2, &out), OBD_ETIMEOUT);
    assert_non_null(strstr(r.link->errmsg, "stopped answering"));
    obd_request_t q3 = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x05", .len = 2, .timeout_ms = 300 };
    assert_int_equal(obd_link_request(r.link, &q3, &out), OBD_ELINK);
    /* no reopen spec: the next request fails cleanly with the same error */
    assert_int_equal(obd_link_request(r.link, &q3, &out), OBD_ELINK);
    assert_non_null(strstr(r.link->errmsg, "went away"));
    rig_finish(&r);
}

/* A clone that answers but never prompts is caught by the silence after its
 * last line, long before the request's own timeout; the retry succeeds. */
static void test_answer_without_prompt(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATSH7DF", "OK" },
        { "010C", "NOPROMPT:7E804410C1AF8000000" },
        { "010C", "7E804410C1AF8000000" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x0C", .len = 2, .timeout_ms = 30000 };
    uint64_t t0 = obd_now_ms();
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    /* generous bound: detection needs ~1.2 s of silence, the timeout is 30 s */
    assert_true(obd_now_ms() - t0 < 15000);
    rig_finish(&r);
}


/* ---- adapters that refuse options or do not settle (#18) ---------------- */

/* A clone refusing every optional command of the set-up: none is fatal. */
#define SETUP_REFUSING                                                                                    \
    { "ATZ", "\r\rELM327 v1.5" }, { "ATE0", "OK" }, { "ATI", "ELM327 v1.5" }, { "ATL0", "OK" },          \
        { "ATS0", "OK" }, { "ATH1", "OK" }, { "AT@1", "?" }, { "STI", "?" }, { "ATAT1", "?" },           \
        { "ATCAF1", "?" }, { "ATCRA", "?" }, { "ATSP0", "OK" },                                          \
        { "0100", "SEARCHING...\r7E806410098180001\r7E906410080000000" }, { "ATDPN", "A6" },            \
        { "ATST19", "?" }, { "ATRV", "12.6V" }

static void test_refused_options_not_fatal(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_REFUSING,
        /* the chip's own functional header refused: remembered, the request goes out anyway */
        { "ATSH7DF", "?" },
        { "01012", "7E80641018107650400\r7E906410100076504" },
        /* physical to 7E9: no ATSH, no ATCRA, no count digit (others may answer first);
         * both ECUs answer the functional request, 7E9's reply is picked */
        { "010D", "7E803410D0000000000\r7E903410D2A00000000" },
        /* no header was ever set: "functional" again costs nothing */
        { "0902", "7E81014490201314434\r7E82147503234523435\r7E82242313233343536" },
        { "0100", "7E806410098180001" }, /* end marker: nothing else was sent (no ATRV) */
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    if (r.rc)
        fail_msg("open: %s (%s)", obd_strerror(r.rc), r.err);
    obd_link_info_t info;
    assert_int_equal(obd_link_info(r.link, &info), OBD_OK); /* ATRV was read at set-up: not again */
    assert_true(info.quirks & OBD_QUIRK_NO_RX_FILTER);
    assert_true(info.quirks & OBD_QUIRK_NO_CAF);
    assert_true(info.quirks & OBD_QUIRK_REFUSED_AT); /* ATAT1, ATST19 */
    assert_false(info.quirks & OBD_QUIRK_NO_HEADER_SET); /* not asked yet */
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x01", .len = 2, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    obd_request_t p = { .to = obd_target_for(0x7E9), .data = (const uint8_t *)"\x01\x0D", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &p, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x7E9);
    assert_memory_equal(obd_reply_data(&out, 0), "\x41\x0D\x2A", 3);
    obd_request_t v = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x09\x02", .len = 2 };
    REQ_OK(&r, &v, &out);
    obd_request_t d = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x00", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &d, &out), OBD_OK);
    assert_int_equal(obd_link_info(r.link, &info), OBD_OK);
    assert_true(info.quirks & OBD_QUIRK_NO_HEADER_SET);
    assert_false(info.quirks & (OBD_QUIRK_PROTO_EXPLICIT | OBD_QUIRK_HEADERS_OFF | OBD_QUIRK_NO_COUNT_DIGIT));
    rig_finish(&r);
}

/* ATSH7E0 refused after ATSH7DF took: physical requests go functional from then on. */
static void test_physical_atsh_refused(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATSH7E0", "?" },
        { "ATCRA7E8", "OK" },  /* the filter still makes the chip pick 7E8's reply: count digit 1 */
        { "03011", "7E8 03 41 03 01 00 00 00 00" },
        { "010C1", "7E804410C1AF8000000" }, /* ATSH is never tried again */
        { "ATCRA", "OK" },     /* functional: filter off */
        { "0100", "7E806410098180001\r7E906410080000000" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t p = { .to = obd_target_for(0x7E8), .data = (const uint8_t *)"\x03\x01", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &p, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x7E8);
    obd_request_t p2 = { .to = obd_target_for(0x7E8), .data = (const uint8_t *)"\x01\x0C", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &p2, &out), OBD_OK);
    obd_request_t f = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x00", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &f, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    obd_link_info_t info;
    obd_link_info(r.link, &info);
    assert_true(info.quirks & OBD_QUIRK_NO_HEADER_SET);
    assert_false(info.quirks & OBD_QUIRK_NO_RX_FILTER);
    rig_finish(&r);
}

/* NO DATA to "032" where an answer is due; "03" answers: the digit is dropped
 * for the session. Without OBD_REQ_EXPECT_ANSWER NO DATA is the answer. */
static void test_count_digit_misread(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATSH7DF", "OK" },
        { "072", "NO DATA" },   /* no flag: taken as it is */
        { "072", "NO DATA" },   /* flag: once without the digit ... */
        { "07", "NO DATA" },    /* ... which says the same: the digit stays */
        { "032", "NO DATA" },   /* flag */
        { "03", "7E80443010301000000\r7E90243000000000000" },
        { "0A", "7E80443010301000000\r7E90243000000000000" }, /* dropped for good */
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t q7 = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x07", .len = 1, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &q7, &out), OBD_OK);
    assert_int_equal(out.count, 0);
    q7.flags = OBD_REQ_EXPECT_ANSWER;
    assert_int_equal(obd_link_request(r.link, &q7, &out), OBD_OK);
    assert_int_equal(out.count, 0);
    assert_true(elm_link_caps(r.link)->has_count);
    obd_request_t q3 = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x03", .len = 1, .expect = 2,
                         .flags = OBD_REQ_EXPECT_ANSWER };
    assert_int_equal(obd_link_request(r.link, &q3, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    assert_memory_equal(obd_reply_data(&out, 0), "\x43\x01\x03\x01", 4);
    assert_false(elm_link_caps(r.link)->has_count);
    obd_link_info_t info;
    obd_link_info(r.link, &info);
    assert_true(info.quirks & OBD_QUIRK_NO_COUNT_DIGIT);
    obd_request_t qa = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x0A", .len = 1, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &qa, &out), OBD_OK);
    rig_finish(&r);
}

/* '?' to one service is that request's result; the link and the digit stay. */
static void test_refused_service(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATSH7DF", "OK" },
        { "0A2", "?" },
        { "0A", "?" },  /* not the digit: the adapter refuses 0A */
        { "032", "7E80443010301000000\r7E90243000000000000" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t qa = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x0A", .len = 1, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &qa, &out), OBD_EUNSUPPORTED);
    assert_int_equal(out.count, 0);
    assert_non_null(strstr(r.link->errmsg, "refused request 0A"));
    assert_string_equal(obd_strerror(OBD_EUNSUPPORTED), "the adapter refused the request");
    assert_true(elm_link_caps(r.link)->has_count);
    obd_request_t q3 = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x03", .len = 1, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &q3, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    obd_link_info_t info;
    obd_link_info(r.link, &info);
    assert_false(info.quirks & OBD_QUIRK_NO_COUNT_DIGIT);
    rig_finish(&r);
}

#define SETUP_TO_SEARCH                                                                                \
    { "ATZ", "\r\rELM327 v1.5" }, { "ATE0", "OK" }, { "ATI", "ELM327 v1.5" }, { "ATL0", "OK" },       \
        { "ATS0", "OK" }, { "ATH1", "OK" }, { "AT@1", "?" }, { "STI", "?" }, { "ATAT1", "OK" },       \
        { "ATCAF1", "OK" }, { "ATCRA", "OK" }, { "ATSP0", "OK" }

/* The search reports 0 and its lines have no headers; ATTP6 cures both. */
static void test_protocol_zero_explicit(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_TO_SEARCH,
        { "0100", "SEARCHING...\r4100BE3FA013\r4100 80000000" },
        { "ATDPN", "0" },
        { "ATTP6", "OK" },
        { "0100", "7E806410098180001\r7E906410080000000" },
        { "ATST19", "OK" },
        { "ATRV", "12.6V" },
        { "ATSH7DF", "OK" },
        { "01012", "7E80641018107650400\r7E906410100076504" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    obd_link_info_t info;
    obd_link_info(r.link, &info);
    assert_int_equal(info.protocol, OBD_PROTO_CAN11_500);
    assert_true(info.quirks & OBD_QUIRK_PROTO_EXPLICIT);
    assert_false(info.quirks & OBD_QUIRK_HEADERS_OFF);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x01", .len = 2, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    rig_finish(&r);
}

/* Headers never show: explicit protocols in order (ATTP refused: ATSP), the
 * first that answers without headers is kept, ATH0, single-ECU results keyed 7E8. */
static void test_headers_off_last_resort(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_TO_SEARCH,
        { "0100", "SEARCHING...\r41 00 BE 3F A0 13" },
        { "ATDPN", "A0" },
        { "ATTP6", "?" },      /* an old clone: ATSP instead, and ATTP is not tried again */
        { "ATSP6", "OK" },
        { "0100", "CAN ERROR" },
        { "ATSP8", "OK" },
        { "0100", "41 00 BE 3F A0 13\r41 00 80 00 00 00" },
        { "ATH0", "OK" },
        { "ATST19", "OK" },
        { "ATRV", "12.6V" },
        { "ATSH7DF", "OK" },
        { "01011", "41 01 81 07 65 04" },         /* functional: count 1, one ECU's answer */
        { "ATSH7E0", "OK" },
        { "ATCRA7E8", "OK" },
        { "09021", "014\r0: 49 02 01 4C 46 56\r1: 32 41 32 31 4B 36 4D\r2: 33 30 31 32 33 34 35" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    obd_link_info_t info;
    obd_link_info(r.link, &info);
    assert_int_equal(info.protocol, OBD_PROTO_CAN11_250);
    assert_true(info.quirks & OBD_QUIRK_PROTO_EXPLICIT);
    assert_true(info.quirks & OBD_QUIRK_HEADERS_OFF);
    assert_false(elm_link_caps(r.link)->headers);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x01", .len = 2, .expect = 2 };
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x7E8);
    obd_request_t v = { .to = obd_target_for(0x7E8), .data = (const uint8_t *)"\x09\x02", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &v, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x7E8);
    assert_int_equal(out.r[0].len, 20);
    assert_memory_equal(obd_reply_data(&out, 0) + 3, "LFV2A21K6M3012345", 17);
    rig_finish(&r);
}

/* Nothing reads, on any protocol: the message says what arrived, no ignition hint. */
static void test_unreadable_search(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_TO_SEARCH,
        { "0100", "SEARCHING...\rZZ 41 00 ??" },
        { "ATDPN", "A6" },
        { "ATTP6", "OK" }, { "0100", "ZZ 41 00 ??" },
        { "ATTP8", "OK" }, { "0100", "CAN ERROR" },
        { "ATTP7", "OK" }, { "0100", "NO DATA" },
        { "ATTP9", "OK" }, { "0100", "CAN ERROR" },
        { "ATTP1", "OK" }, { "0100", "NO DATA" },
        { "ATTP2", "OK" }, { "0100", "NO DATA" },
        { "ATTP3", "OK" }, { "0100", "BUS INIT: ...ERROR" },
        { "ATTP4", "OK" }, { "0100", "BUS INIT: ...ERROR" },
        { "ATTP5", "OK" }, { "0100", "BUS INIT: ...ERROR" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_EADAPTER);
    assert_null(r.link);
    assert_non_null(strstr(r.err, "no protocol answered when set explicitly"));
    assert_null(strstr(r.err, "ignition"));
    rig_finish(&r);
}

/* Legacy lines failing their checksum: said so, counted, a bus error. */
static void test_checksum_message(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_TO_SEARCH,
        { "0100", "SEARCHING...\rBUS INIT: ...OK\r48 6B 10 41 00 BE 1F B8 10 A9" },
        { "ATDPN", "A3" },
        { "ATRV", "12.6V" },
        /* 0x48+0x6B+0x10+0x43+0x01+0x03+0x00+0x00+0x00 = 0x102 -> 02; 0x48+0x6B+0x10+0x43 = 0x106 -> 06 */
        { "03", "48 6B 10 43 01 03 00 00 00 03\r48 6B 10 43 00 00 00 00 00 07\r48 6B 10 43 00 00 00 00 00 00" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x03", .len = 1 };
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_EBUS);
    if (!strstr(r.link->errmsg, "replies failed their checksum (3 of 3)"))
        fail_msg("errmsg: %s", r.link->errmsg);
    rig_finish(&r);
}

/* Response pending over an ELM327: the 7F 03 78 lines are not the answer
 * when the final one follows (the chip lists them all before its prompt). */
static void test_response_pending_folded(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATSH7DF", "OK" },
        { "031", "7E8037F0378AAAAAAAA\r7E8037F0378AAAAAAAA\r7E80443010301AAAAAA" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x03", .len = 1, .expect = 1 };
    REQ_OK(&r, &q, &out);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x7E8);
    assert_int_equal(out.r[0].len, 4);
    assert_memory_equal(obd_reply_data(&out, 0), "\x43\x01\x03\x01", 4);
    rig_finish(&r);
}

/* No final answer before the prompt: one 78 stays, as what the ECU said. */
static void test_response_pending_only(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATSH7DF", "OK" },
        { "031", "7E8037F0378AAAAAAAA\r7E8037F0378AAAAAAAA\r7E906430100AAAAAAAA" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t out;
    obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x03", .len = 1, .expect = 1 };
    REQ_OK(&r, &q, &out);
    assert_int_equal(out.count, 2);
    int i8 = obd_replies_find(&out, 0x7E8);
    assert_true(i8 >= 0);
    assert_memory_equal(obd_reply_data(&out, (size_t)i8), "\x7F\x03\x78", 3);
    assert_true(obd_replies_find(&out, 0x7E9) >= 0);
    rig_finish(&r);
}

/* A batch (UDS scan step) opens the receive filter for its response ids;
 * a plain physical request after it keeps that filter only when it takes
 * the request's own response id (#16: a batch to 713/77D left "ATCRA77D",
 * and 14 FF FF FF to the engine then heard nothing). */
static void test_batch_filter_then_physical(void **state)
{
    (void)state;
    static const step_t script[] = {
        SETUP_V15,
        { "ATCRA77D", "OK" },                        /* the batch: one module */
        { "ATSH713", "OK" },
        { "22F1901", "77D037F2231" },
        { "ATSH7E0", "OK" },                         /* the engine: 77D does not take 7E8 */
        { "ATCRA7E8", "OK" },
        { "3E001", "7E8027E00" },
    };
    rig_t r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_int_equal(r.rc, OBD_OK);
    static obd_replies_t outs[1], out;
    int rcs[1];
    obd_request_t b = { .to = { 0x713, 0x77D }, .data = (const uint8_t *)"\x22\xF1\x90", .len = 3 };
    assert_int_equal(can_link_request_many(r.link, &b, 1, outs, rcs), OBD_OK);
    assert_int_equal(rcs[0], OBD_OK);
    assert_int_equal(outs[0].count, 1);
    assert_int_equal(outs[0].r[0].addr, 0x77D);
    obd_request_t q = { .to = obd_target_for(0x7E8), .data = (const uint8_t *)"\x3E\x00", .len = 2 };
    assert_int_equal(obd_link_request(r.link, &q, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].addr, 0x7E8);
    rig_finish(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setup_and_targets), cmocka_unit_test(test_clone_quirks),
        cmocka_unit_test(test_no_vehicle),        cmocka_unit_test(test_ati_escaped),
        cmocka_unit_test(test_not_an_elm),
        cmocka_unit_test(test_connect_obd_on_uds),
        cmocka_unit_test(test_hang_then_vanish),  cmocka_unit_test(test_answer_without_prompt),
        cmocka_unit_test(test_refused_options_not_fatal), cmocka_unit_test(test_physical_atsh_refused),
        cmocka_unit_test(test_count_digit_misread),       cmocka_unit_test(test_refused_service),
        cmocka_unit_test(test_protocol_zero_explicit),    cmocka_unit_test(test_headers_off_last_resort),
        cmocka_unit_test(test_unreadable_search),         cmocka_unit_test(test_checksum_message),
        cmocka_unit_test(test_response_pending_folded),   cmocka_unit_test(test_response_pending_only),
        cmocka_unit_test(test_batch_filter_then_physical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
