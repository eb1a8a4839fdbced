/*
 * The simulator, layer by layer:
 *   - obd_pid_encode (physical value -> PID bytes);
 *   - scenarios: the shipped files load, the built-in equals default.ini,
 *     mistakes are reported with file:line and the key;
 *   - the vehicle: byte-exact replies for every service (multi-PID, freeze
 *     frames, DTC lists in CAN and legacy form, Mode 06, Mode 09, UDS),
 *     service 04 semantics and the refusal with the engine running;
 *   - the ELM327 adapter: exact output for AT commands, echo, linefeeds,
 *     spaces, headers, CAN 11/29-bit single and multi-frame, legacy lines
 *     with their checksums, the expected-count digit, filters, timing, and
 *     each personality's fault;
 *   - the server over a socketpair.
 * Expected bytes are worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "obdgw/link.h"
#include "obdgw/pid.h"
#include "obdgw/sim.h"

/* ---------------- helpers ---------------- */

static obd_replies_t R;

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *s; s++) {
        int v;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            assert_true(n < cap);
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    assert_true(hi < 0);
    return n;
}

static sim_vehicle_t *parse(const char *text)
{
    sim_vehicle_t *v = NULL;
    char err[200] = "";
    int rc = sim_vehicle_parse(text, "t", &v, err, sizeof err);
    if (rc)
        print_error("scenario: %s\n", err);
    assert_int_equal(rc, OBD_OK);
    return v;
}

static sim_vehicle_t *builtin(void)
{
    sim_vehicle_t *v = NULL;
    assert_int_equal(sim_vehicle_builtin(&v), OBD_OK);
    return v;
}

static sim_vehicle_t *scenario(const char *file)
{
    char path[256], err[200] = "";
    snprintf(path, sizeof path, "tests/scenarios/%s", file);
    sim_vehicle_t *v = NULL;
    int rc = sim_vehicle_load(path, &v, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, OBD_OK);
    return v;
}

/* Send `req` (hex) to `tx` (0 = functional) at time t; returns the reply count. */
static size_t ask(sim_vehicle_t *v, uint64_t t, uint32_t tx, const char *req)
{
    uint8_t b[16];
    size_t n = hex(req, b, sizeof b);
    obd_request_t r = { .to = { tx, 0 }, .data = b, .len = n };
    assert_int_equal(sim_vehicle_request(v, t, &r, &R), OBD_OK);
    return R.count;
}

static void reply_is(size_t i, uint32_t addr, const char *want)
{
    uint8_t b[600];
    size_t n = hex(want, b, sizeof b);
    assert_true(i < R.count);
    assert_int_equal(R.r[i].addr, addr);
    assert_int_equal(R.r[i].len, n);
    assert_memory_equal(obd_reply_data(&R, i), b, n);
}

static char OUT[32768];
static unsigned DELAY;

static sim_adapter_t *adapter(sim_vehicle_t *v, sim_personality_t p, int baud, int ecu, unsigned seed)
{
    sim_adapter_opts_t o = { .personality = p, .baud = baud, .ecu_delay_ms = ecu, .seed = seed };
    sim_adapter_t *a = sim_adapter_new(v, &o);
    assert_non_null(a);
    return a;
}

static const char *say_at(sim_adapter_t *a, uint64_t t, const char *in)
{
    size_t ol = 0;
    int rc = sim_adapter_input(a, t, in, strlen(in), OUT, sizeof OUT - 1, &ol, &DELAY);
    assert_int_equal(rc, (int)strlen(in));
    OUT[ol] = 0;
    return OUT;
}

static const char *say(sim_adapter_t *a, const char *in)
{
    return say_at(a, 0, in);
}

#define SAYS(a, in, want) assert_string_equal(say((a), (in)), (want))

/* ---------------- obd_pid_encode ---------------- */

static void test_pid_encode(void **state)
{
    (void)state;
    uint8_t d[8];
    /* rpm: raw = rpm / 0.25 -> 2150 rpm = 8600 = 0x2198 */
    assert_int_equal(obd_pid_encode(0x0C, 2150, d, sizeof d), 2);
    assert_memory_equal(d, "\x21\x98", 2);
    /* rounding: 780.1 / 0.25 = 3120.4 -> 3120 = 0x0C30 */
    assert_int_equal(obd_pid_encode(0x0C, 780.1, d, sizeof d), 2);
    assert_memory_equal(d, "\x0C\x30", 2);
    /* clamped to the range: 20000 rpm -> 16383.75 -> 0xFFFF */
    assert_int_equal(obd_pid_encode(0x0C, 20000, d, sizeof d), 2);
    assert_memory_equal(d, "\xFF\xFF", 2);
    /* coolant: raw = T + 40; -50 clamps to -40 -> 0x00; 88 -> 128 = 0x80 */
    assert_int_equal(obd_pid_encode(0x05, -50, d, sizeof d), 1);
    assert_int_equal(d[0], 0x00);
    assert_int_equal(obd_pid_encode(0x05, 88, d, sizeof d), 1);
    assert_int_equal(d[0], 0x80);
    /* short-term trim: raw = (pct + 100) * 128 / 100; -3.1 % -> 124.03 -> 124 = 0x7C */
    assert_int_equal(obd_pid_encode(0x06, -3.1, d, sizeof d), 1);
    assert_int_equal(d[0], 0x7C);
    /* signed: evap vapor pressure 0.25 Pa/bit, -10 Pa -> -40 -> 0xFFD8 */
    assert_int_equal(obd_pid_encode(0x32, -10, d, sizeof d), 2);
    assert_memory_equal(d, "\xFF\xD8", 2);
    /* odometer 0.1 km/bit: 18342.5 km -> 183425 = 0x0002CC81 */
    assert_int_equal(obd_pid_encode(0xA6, 18342.5, d, sizeof d), 4);
    assert_memory_equal(d, "\x00\x02\xCC\x81", 4);
    /* round trip through the decoder */
    obd_value_t v[OBD_PID_MAX_FIELDS];
    assert_int_equal(obd_pid_encode(0x0D, 64, d, sizeof d), 1);
    assert_int_equal(obd_pid_decode(0x0D, d, 1, v, OBD_PID_MAX_FIELDS), 1);
    assert_true(v[0].value == 64.0);
    /* not a single number: two fields (O2 voltage + trim), enum, bitmap */
    assert_int_equal(obd_pid_encode(0x14, 0.5, d, sizeof d), OBD_EINVAL);
    assert_int_equal(obd_pid_encode(0x03, 2, d, sizeof d), OBD_EINVAL);
    assert_int_equal(obd_pid_encode(0x00, 1, d, sizeof d), OBD_EINVAL);
    /* unknown PID, small buffer, NULL */
    assert_int_equal(obd_pid_encode(0xFE, 1, d, sizeof d), OBD_EPID);
    assert_int_equal(obd_pid_encode(0x0C, 1, d, 1), OBD_ENOSPC);
    assert_int_equal(obd_pid_encode(0x0C, 1, NULL, 8), OBD_EINVAL);
}

/* ---------------- scenarios ---------------- */

static void test_scenarios_load(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        obd_proto_t proto;
    } s[] = {
        { "default.ini", OBD_PROTO_CAN11_500 }, { "toyota-can29.ini", OBD_PROTO_CAN29_500 },
        { "legacy-iso9141.ini", OBD_PROTO_ISO9141 }, { "diesel.ini", OBD_PROTO_CAN11_500 },
        { "clean.ini", OBD_PROTO_CAN11_500 }, { "magotan-30.ini", OBD_PROTO_CAN11_500 },
        /* the deviations (test_sim_dev.c has their answers) */
        { "physical-only.ini", OBD_PROTO_CAN11_500 }, { "dtc-count-off.ini", OBD_PROTO_CAN11_500 },
        { "dtc-legacy-on-can.ini", OBD_PROTO_CAN11_500 }, { "silent-pid.ini", OBD_PROTO_CAN11_500 },
        { "split-frames.ini", OBD_PROTO_CAN11_500 }, { "response-pending.ini", OBD_PROTO_CAN11_500 },
        { "response-pending-forever.ini", OBD_PROTO_CAN11_500 }, { "mode09-unlisted.ini", OBD_PROTO_CAN11_500 },
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        sim_vehicle_t *v = scenario(s[i].file);
        assert_int_equal(sim_vehicle_protocol(v), s[i].proto);
        sim_vehicle_free(v);
    }
}

/* default.ini is the built-in vehicle: the same answers, byte for byte. */
static void test_builtin_is_default_ini(void **state)
{
    (void)state;
    sim_vehicle_t *a = builtin(), *b = scenario("default.ini");
    /* same answers to a handful of requests */
    const char *reqs[] = { "0100", "0101", "03", "07", "0A", "0902", "020200", "06A2" };
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        static obd_replies_t ra;
        size_t n = ask(a, 0, 0, reqs[i]);
        ra = R;
        assert_int_equal(ask(b, 0, 0, reqs[i]), n);
        assert_int_equal(ra.used, R.used);
        assert_memory_equal(ra.arena, R.arena, R.used);
    }
    sim_vehicle_free(a);
    sim_vehicle_free(b);
}

static void parse_fails(const char *text, const char *want_err)
{
    sim_vehicle_t *v = (sim_vehicle_t *)1;
    char err[200] = "";
    assert_int_equal(sim_vehicle_parse(text, "t", &v, err, sizeof err), OBD_EFORMAT);
    assert_null(v);
    assert_string_equal(err, want_err);
}

static void test_scenario_errors(void **state)
{
    (void)state;
#define HEAD "[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\n"
    parse_fails(HEAD "pid.0C = ramp:1:2\n", "t:5: pid.0C: expected ramp:FROM:TO:PERIOD_S");
    parse_fails("[vehicle]\nprotocol = 6\ncolour = red\n", "t:3: unknown key 'colour' in [vehicle]");
    parse_fails("[engine]\nx = 1\n", "t:2: unknown section [engine] (vehicle, ecu NAME, adapter)");
    parse_fails(HEAD "pid.20 = const:1\n", "t:5: pid.20: supported-PID bitmaps are computed from the PIDs listed");
    parse_fails(HEAD "pid.14 = const:1\n", "t:5: pid.14: PID $14 is not a single number: give raw:HEX");
    parse_fails(HEAD "pid.0C = raw:01\n", "t:5: pid.0C: PID $0C has 2 data bytes, raw gives 1");
    parse_fails(HEAD "pid.0C = wobble:3\n", "t:5: pid.0C: unknown generator 'wobble' (const, ramp, noise, replay, raw)");
    parse_fails(HEAD "pid.0C = replay:1,x@100\n", "t:5: pid.0C: replay value 'x' is not a number");
    parse_fails(HEAD "stored = P0301 P03X1\n", "t:5: stored: 'P03X1' is not a DTC like P0301");
    parse_fails(HEAD "mode06 = 21:80:20:161:0\n", "t:5: mode06: expected MID:TID:UASID:VALUE:MIN:MAX, got '21:80:20:161:0'");
    parse_fails(HEAD "uds.dtcs = C0035-11\n", "t:5: uds.dtcs: expected DTC-FT:STATUS (e.g. C0035-11:2F), got 'C0035-11'");
    parse_fails(HEAD "freeze.0 = P0301 0C\n", "t:5: freeze.0: expected PID=VALUE (hex PID), got '0C'");
    parse_fails("[vehicle]\nprotocol = can11_500\nvin = SHORT\n", "t:3: vin: must be 17 characters, got 5");
    parse_fails("[vehicle]\nprotocol = flexray\n", "t:2: protocol: 'flexray' is not 1-9 or a key like can11_500");
    /* whole-file checks have no line */
    parse_fails("[ecu e]\naddress = 7E8\n", "t: [vehicle] protocol is missing");
    parse_fails("[vehicle]\nprotocol = 6\n", "t: no [ecu NAME] section");
    parse_fails("[vehicle]\nprotocol = 6\n[ecu e]\nname = X\n", "t: [ecu e]: address is missing");
    parse_fails("[vehicle]\nprotocol = 6\n[ecu e]\naddress = 18DAF110\n",
                "t: [ecu e]: id 18DAF110 does not fit protocol can11_500");
    parse_fails("[vehicle]\nprotocol = 6\n[ecu abs]\naddress = 77D\nobd = no\n",
                "t: [ecu abs]: give 'request' (no standard request id answers from 77D)");
    parse_fails(HEAD "[ecu f]\naddress = 7E8\n", "t: [ecu f]: same id as [ecu e]");
    parse_fails(HEAD "readiness.supported = misfire\nreadiness.incomplete = evap\n",
                "t: [ecu e]: readiness.incomplete lists a monitor not in readiness.supported");
    parse_fails(HEAD "readiness.supported = pm_filter\n",
                "t: [ecu e]: readiness lists a monitor of the other ignition type");
#undef HEAD
    /* a file that is not there */
    sim_vehicle_t *v = NULL;
    char err[200];
    assert_int_equal(sim_vehicle_load("/nonexistent/x.ini", &v, err, sizeof err), OBD_ENOTFOUND);
    assert_null(v);
    assert_string_equal(err, "/nonexistent/x.ini: cannot open: No such file or directory");
    assert_int_equal(sim_vehicle_parse(NULL, "t", &v, err, sizeof err), OBD_EINVAL);
}

/* ---------------- vehicle: service 01 ---------------- */

static void test_mode01(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /*
     * 01 00, functional: both OBD ECUs, engine first. Engine PIDs 01 03 04 05
     * 06 07 | 0B 0C 0D 0E 0F 10 | 11 13 | 1C 1F and more above $20:
     *   01-08: 01=80 03=20 04=10 05=08 06=04 07=02 -> BE
     *   09-10: 0B=20 0C=10 0D=08 0E=04 0F=02 10=01 -> 3F
     *   11-18: 11=80 13=20 -> A0;  19-20: 1C=10 1F=02 20=01 -> 13
     * Transmission: 01 05 0D -> 88 08 00 00 ($20 clear: nothing above).
     * The ABS module (obd = no) is silent.
     */
    assert_int_equal(ask(v, 0, 0, "0100"), 2);
    reply_is(0, 0x7E8, "41 00 BE 3F A0 13");
    reply_is(1, 0x7E9, "41 00 88 08 00 00");
    /* PID 01: A = MIL on + 1 stored DTC = 81; B = misfire/fuel/components
     * supported, all complete, spark = 07; C = catalyst(0) evap(2) O2(5)
     * O2 heater(6) EGR(7) = E5; D = catalyst + evap incomplete = 05. */
    assert_int_equal(ask(v, 0, 0, "0101"), 2);
    reply_is(0, 0x7E8, "41 01 81 07 E5 05");
    reply_is(1, 0x7E9, "41 01 00 00 00 00");
    /* multi-PID: each ECU answers the PIDs it has, in the order asked.
     * rpm 0 = 0000, speed 0, coolant ramp at t=0 is 68 C -> 108 = 6C;
     * the transmission has 0D and 05 (45 C -> 85 = 55), not 0C. */
    assert_int_equal(ask(v, 0, 0, "01 0C 0D 05"), 2);
    reply_is(0, 0x7E8, "41 0C 00 00 0D 00 05 6C");
    reply_is(1, 0x7E9, "41 0D 00 05 55");
    /* an ECU with none of the PIDs stays silent */
    assert_int_equal(ask(v, 0, 0, "01 0B 0C"), 1);
    reply_is(0, 0x7E8, "41 0B 63 0C 00 00"); /* MAP 99 +- 0.4 kPa always rounds to 99 = 63 */
    assert_int_equal(ask(v, 0, 0, "0150"), 0);
    /* six PIDs are allowed, seven are not (no answer) */
    assert_int_equal(ask(v, 0, 0, "01 04 05 06 07 0C 0D"), 2);
    assert_int_equal(ask(v, 0, 0, "01 04 05 06 07 0C 0D 0E"), 0);
    /* $20 bitmap: engine 21 2F 30 31 33 | ... only the engine answers */
    assert_int_equal(ask(v, 0, 0, "0120"), 1);
    /* 21-28: 21=80; 29-30: 2F=02 30=01; 31-38: 31=80 33=20; 39-40: 40=01 -> 80 03 A0 01 */
    reply_is(0, 0x7E8, "41 20 80 03 A0 01");
    /* physical: only the addressed ECU */
    assert_int_equal(ask(v, 0, 0x7E1, "0100"), 1);
    reply_is(0, 0x7E9, "41 00 88 08 00 00");
    /* since-clear counters: 1250 km = 04E2, 2400 min = 0960, 37 warm-ups = 25 */
    assert_int_equal(ask(v, 0, 0x7E0, "01 31 4E 30"), 1);
    reply_is(0, 0x7E8, "41 31 04 E2 4E 09 60 30 25");
    sim_vehicle_free(v);
}

static void test_generators(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* coolant ramp:68:72:60 — triangle: 68 at 0 s, 70 at 30 s, 72 at 60 s,
     * back to 70 at 90 s and 68 at 120 s (raw = T + 40) */
    static const struct {
        uint64_t t;
        const char *want;
    } ramp[] = { { 0, "41 05 6C" }, { 30000, "41 05 6E" }, { 60000, "41 05 70" }, { 90000, "41 05 6E" },
                 { 120000, "41 05 6C" } };
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(ask(v, ramp[i].t, 0x7E0, "0105"), 1);
        reply_is(0, 0x7E8, ramp[i].want);
    }
    sim_vehicle_free(v);

    /* replay:62.7,62.4,...@1000 on PID 5B (% x 255/100): 62.7 -> 159.9 -> A0,
     * 62.4 -> 159.1 -> 9F; after six steps it starts over. */
    v = scenario("toyota-can29.ini");
    assert_int_equal(ask(v, 0, 0x18DA18F1, "015B"), 1);
    reply_is(0, 0x18DAF118, "41 5B A0");
    assert_int_equal(ask(v, 1000, 0x18DA18F1, "015B"), 1);
    reply_is(0, 0x18DAF118, "41 5B 9F");
    assert_int_equal(ask(v, 6000, 0x18DA18F1, "015B"), 1);
    reply_is(0, 0x18DAF118, "41 5B A0");
    sim_vehicle_free(v);

    /* noise: the same seed gives the same values; within mean +- amplitude */
    sim_vehicle_t *a = builtin(), *b = builtin();
    sim_vehicle_seed(a, 42);
    sim_vehicle_seed(b, 42);
    bool varied = false;
    uint8_t first[2] = { 0 };
    for (int i = 0; i < 20; i++) {
        assert_int_equal(ask(a, 0, 0x7E0, "0142"), 1);
        uint8_t x[2];
        memcpy(x, obd_reply_data(&R, 0) + 2, 2);
        assert_int_equal(ask(b, 0, 0x7E0, "0142"), 1);
        assert_memory_equal(obd_reply_data(&R, 0) + 2, x, 2);
        unsigned mv = (unsigned)x[0] << 8 | x[1]; /* 12.4 V +- 0.05 V at 1 mV/bit */
        assert_in_range(mv, 12350, 12450);
        if (i == 0)
            memcpy(first, x, 2);
        else if (memcmp(first, x, 2))
            varied = true;
    }
    assert_true(varied);
    sim_vehicle_free(a);
    sim_vehicle_free(b);
}

/* ---------------- vehicle: services 02 03 07 0A 06 09 ---------------- */

static void test_mode02(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* PID 02 of frame 0: the DTC that stored it, P0301 = 03 01 */
    assert_int_equal(ask(v, 0, 0x7E0, "02 02 00"), 1);
    reply_is(0, 0x7E8, "42 02 00 03 01");
    /* frame PIDs 02 04 05 06 07 | 0B 0C 0D 0E 0F | 11:
     *   01-08: 02=40 04=10 05=08 06=04 07=02 -> 5E; 09-10: 0B..0F -> 3E; 11 -> 80 */
    assert_int_equal(ask(v, 0, 0x7E0, "02 00 00"), 1);
    reply_is(0, 0x7E8, "42 00 00 5E 3E 80 00");
    /* several PIDs: 2150 rpm = 2198, 64 km/h = 40, coolant 87 C = 7F */
    assert_int_equal(ask(v, 0, 0x7E0, "02 0C 00 0D 00 05 00"), 1);
    reply_is(0, 0x7E8, "42 0C 00 21 98 0D 00 40 05 00 7F");
    /* frame 1 does not exist; PIDs not in the frame are left out */
    assert_int_equal(ask(v, 0, 0x7E0, "02 0C 01"), 0);
    assert_int_equal(ask(v, 0, 0x7E0, "02 10 00"), 0);
    /* the transmission has no service 02: silent on a functional request */
    assert_int_equal(ask(v, 0, 0, "02 02 00"), 1);
    sim_vehicle_free(v);
}

static void test_dtc_lists(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* CAN form: SID, count, DTCs. P0301 = 0301, P0300 = 0300. */
    assert_int_equal(ask(v, 0, 0, "03"), 2);
    reply_is(0, 0x7E8, "43 01 03 01");
    reply_is(1, 0x7E9, "43 00");
    assert_int_equal(ask(v, 0, 0, "07"), 2);
    reply_is(0, 0x7E8, "47 01 03 00");
    assert_int_equal(ask(v, 0, 0, "0A"), 2);
    reply_is(0, 0x7E8, "4A 01 03 01");
    sim_vehicle_free(v);

    /* Legacy form: messages of SID + 3 DTCs, padded with 0000:
     * P0171 P0134 P0441 | P0505 0000 0000 */
    v = scenario("legacy-iso9141.ini");
    assert_int_equal(ask(v, 0, 0, "03"), 1);
    reply_is(0, 0x10, "43 01 71 01 34 04 41  43 05 05 00 00 00 00");
    assert_int_equal(ask(v, 0, 0, "07"), 1);
    reply_is(0, 0x10, "47 01 71 00 00 00 00");
    /* no service 0A on this 2003 car: 7F 0A 11 (unsupported = nrc) */
    assert_int_equal(ask(v, 0, 0, "0A"), 1);
    reply_is(0, 0x10, "7F 0A 11");
    /* no multi-PID requests on legacy protocols */
    assert_int_equal(ask(v, 0, 0, "01 0C 0D"), 0);
    /* legacy physical addressing by source byte */
    assert_int_equal(ask(v, 0, 0x10, "0105"), 1);
    reply_is(0, 0x10, "41 05 47"); /* 31 C + 40 = 71 = 47 */
    sim_vehicle_free(v);

    /* no DTCs at all: legacy still answers one empty message */
    v = parse("[vehicle]\nprotocol = iso9141\n[ecu e]\naddress = 10\n");
    assert_int_equal(ask(v, 0, 0, "03"), 1);
    reply_is(0, 0x10, "43 00 00 00 00 00 00");
    sim_vehicle_free(v);
}

static void test_mode06(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* MIDs 21, A2, A3. $00: only $20 (bit 0 of the last byte) -> 00 00 00 01.
     * $20: 21 = 80, $40 (more above) = 01. $A0: A2 = 40, A3 = 20 -> 60, no $C0. */
    assert_int_equal(ask(v, 0, 0x7E0, "06 00"), 1);
    reply_is(0, 0x7E8, "46 00 00 00 00 01");
    assert_int_equal(ask(v, 0, 0x7E0, "06 00 20 A0"), 1);
    reply_is(0, 0x7E8, "46 00 00 00 00 01 20 80 00 00 01 A0 60 00 00 00");
    /* test records: MID TID UASID value min max; 45 = 002D, 30 = 001E, 52 = 0034 */
    assert_int_equal(ask(v, 0, 0x7E0, "06 A2"), 1);
    reply_is(0, 0x7E8, "46 A2 0B 24 00 2D 00 00 00 1E  A2 0C 24 00 34 00 00 00 1E");
    assert_int_equal(ask(v, 0, 0x7E0, "06 21"), 1);
    reply_is(0, 0x7E8, "46 21 80 20 00 A1 00 00 01 00");
    /* unknown MID, or a test MID mixed with others: no answer */
    assert_int_equal(ask(v, 0, 0x7E0, "06 01"), 0);
    assert_int_equal(ask(v, 0, 0x7E0, "06 A2 A3"), 0);
    sim_vehicle_free(v);
}

static void test_mode09(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* engine: 02 VIN, 04 CALID, 06 CVN, 0A name -> 01-08: 40|10|04 = 54; 09-10: 0A = 40 */
    assert_int_equal(ask(v, 0, 0, "0900"), 2);
    reply_is(0, 0x7E8, "49 00 54 40 00 00");
    reply_is(1, 0x7E9, "49 00 14 40 00 00"); /* no VIN from the transmission */
    /* VIN LFV2A21K6M3012345 in ASCII */
    assert_int_equal(ask(v, 0, 0x7E0, "0902"), 1);
    reply_is(0, 0x7E8, "49 02 01 4C 46 56 32 41 32 31 4B 36 4D 33 30 31 32 33 34 35");
    /* CALID 04E906027KD_0001 (16 chars) */
    assert_int_equal(ask(v, 0, 0x7E0, "0904"), 1);
    reply_is(0, 0x7E8, "49 04 01 30 34 45 39 30 36 30 32 37 4B 44 5F 30 30 30 31");
    assert_int_equal(ask(v, 0, 0x7E0, "0906"), 1);
    reply_is(0, 0x7E8, "49 06 01 1A 2B 3C 4D");
    /* ECU name, 20 bytes padded with NUL: "ECM-EngineControl" */
    assert_int_equal(ask(v, 0, 0x7E0, "090A"), 1);
    reply_is(0, 0x7E8, "49 0A 01 45 43 4D 2D 45 6E 67 69 6E 65 43 6F 6E 74 72 6F 6C 00 00 00");
    /* legacy message counts do not exist on CAN */
    assert_int_equal(ask(v, 0, 0x7E0, "0901"), 0);
    sim_vehicle_free(v);

    /* Legacy: bitmap as one message (seq 01), counts, VIN in 5 messages with
     * 3 leading pad bytes. Types: 01 02 03 04 (F0), 09 0A (C0). */
    v = scenario("legacy-iso9141.ini");
    assert_int_equal(ask(v, 0, 0, "0900"), 1);
    reply_is(0, 0x10, "49 00 01 F0 C0 00 00");
    assert_int_equal(ask(v, 0, 0, "0901"), 1);
    reply_is(0, 0x10, "49 01 05");
    assert_int_equal(ask(v, 0, 0, "0903"), 1);
    reply_is(0, 0x10, "49 03 04"); /* one CALID = 4 messages */
    assert_int_equal(ask(v, 0, 0, "0902"), 1);
    reply_is(0, 0x10, "49 02 01 00 00 00 4C  49 02 02 46 56 42 41  49 02 03 31 31 4A 36  "
                      "49 02 04 33 33 30 31  49 02 05 32 33 34 35");
    sim_vehicle_free(v);
}

/* ---------------- vehicle: service 04 ---------------- */

static void test_clear(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* engine off: both ECUs acknowledge */
    assert_int_equal(ask(v, 5000, 0, "04"), 2);
    reply_is(0, 0x7E8, "44");
    reply_is(1, 0x7E9, "44");
    /* stored and pending gone, permanent kept */
    assert_int_equal(ask(v, 6000, 0, "03"), 2);
    reply_is(0, 0x7E8, "43 00");
    assert_int_equal(ask(v, 6000, 0, "07"), 2);
    reply_is(0, 0x7E8, "47 00");
    assert_int_equal(ask(v, 6000, 0, "0A"), 2);
    reply_is(0, 0x7E8, "4A 01 03 01");
    /* readiness: MIL off, 0 DTCs; continuous monitors complete (B = 07);
     * every other supported monitor incomplete: D = C = E5 */
    assert_int_equal(ask(v, 6000, 0x7E0, "0101"), 1);
    reply_is(0, 0x7E8, "41 01 00 07 E5 E5");
    /* since-clear counters restart; engine off: time since clear stays 0 */
    assert_int_equal(ask(v, 600000, 0x7E0, "01 31 4E 30 21 4D"), 1);
    reply_is(0, 0x7E8, "41 31 00 00 4E 00 00 30 00 21 00 00 4D 00 00");
    /* freeze frame gone: PID 02 = 0000, bitmap only PID 02 (40 00 00 00) */
    assert_int_equal(ask(v, 6000, 0x7E0, "02 02 00"), 1);
    reply_is(0, 0x7E8, "42 02 00 00 00");
    assert_int_equal(ask(v, 6000, 0x7E0, "02 00 00"), 1);
    reply_is(0, 0x7E8, "42 00 00 40 00 00 00");
    /* Mode 06 results reset to zero, the monitors still listed */
    assert_int_equal(ask(v, 6000, 0x7E0, "06 A2"), 1);
    reply_is(0, 0x7E8, "46 A2 0B 24 00 00 00 00 00 00  A2 0C 24 00 00 00 00 00 00");
    sim_vehicle_free(v);

    /* a running engine keeps time since clear: 10 min after the clear = 000A */
    v = scenario("toyota-can29.ini");
    assert_int_equal(ask(v, 1000, 0, "04"), 3 - 1); /* the battery ECU has no service 04: silent */
    assert_int_equal(ask(v, 601000, 0x18DA10F1, "014E"), 1);
    reply_is(0, 0x18DAF110, "41 4E 00 0A");
    sim_vehicle_free(v);
}

static void test_clear_refused_running(void **state)
{
    (void)state;
    sim_vehicle_t *v = scenario("diesel.ini");
    /* engine running + clear_refused_while_running: 7F 04 22 from each ECU */
    assert_int_equal(ask(v, 0, 0, "04"), 2);
    reply_is(0, 0x7E8, "7F 04 22");
    reply_is(1, 0x7E9, "7F 04 22");
    /* nothing was cleared: P2002 = 20 02 */
    assert_int_equal(ask(v, 0, 0x7E0, "03"), 1);
    reply_is(0, 0x7E8, "43 01 20 02");
    /* compression readiness: B = 07 | 08 = 0F; C = NMHC(0) NOx(1) boost(3)
     * EGS(5) PM(6) EGR(7) = EB; D = NOx + PM = 42; A = MIL + 1 DTC = 81 */
    assert_int_equal(ask(v, 0, 0x7E0, "0101"), 1);
    reply_is(0, 0x7E8, "41 01 81 0F EB 42");
    sim_vehicle_free(v);
}

/* ---------------- vehicle: UDS and odd requests ---------------- */

#define HEAD2 "[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\n"

static void test_uds(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    const uint32_t abs_rq = 0x713, abs_rs = 0x77D;
    /* C0035-11 -> C = 01: 40 35 11; C0040-13 -> 40 40 13 */
    assert_int_equal(ask(v, 0, abs_rq, "19 02 FF"), 1);
    reply_is(0, abs_rs, "59 02 FF 40 35 11 2F 40 40 13 28");
    /* mask 01 (test failed): only 2F has it */
    assert_int_equal(ask(v, 0, abs_rq, "19 02 01"), 1);
    reply_is(0, abs_rs, "59 02 FF 40 35 11 2F");
    /* count: format 01 (ISO 14229-1), 2 DTCs */
    assert_int_equal(ask(v, 0, abs_rq, "19 01 08"), 1);
    reply_is(0, abs_rs, "59 01 FF 01 00 02");
    assert_int_equal(ask(v, 0, abs_rq, "19 0A"), 1);
    reply_is(0, abs_rs, "59 0A FF 40 35 11 2F 40 40 13 28");
    /* a failing DTC has snapshot 01 (odometer F4A6, rpm F40C, speed F40D)
     * and extended data 01 (occurrence counter) and 02 (aging counter) */
    assert_int_equal(ask(v, 0, abs_rq, "19 04 40 35 11 01"), 1);
    reply_is(0, abs_rs, "59 04 40 35 11 2F 01 03 F4 A6 00 02 CC 68 F4 0C 0C 80 F4 0D 00");
    assert_int_equal(ask(v, 0, abs_rq, "19 06 40 35 11 FF"), 1);
    reply_is(0, abs_rs, "59 06 40 35 11 2F 01 03 02 00");
    assert_int_equal(ask(v, 0, abs_rq, "19 06 40 35 11 02"), 1);
    reply_is(0, abs_rs, "59 06 40 35 11 2F 02 00");
    assert_int_equal(ask(v, 0, abs_rq, "19 04 40 35 11 07"), 1); /* no such record */
    reply_is(0, abs_rs, "7F 19 31");
    assert_int_equal(ask(v, 0, abs_rq, "19 15"), 1);
    reply_is(0, abs_rs, "59 15 FF");
    /* errors: unknown DTC 31, unknown subfunction 12, bad length 13 */
    assert_int_equal(ask(v, 0, abs_rq, "19 04 40 99 11 01"), 1);
    reply_is(0, abs_rs, "7F 19 31");
    assert_int_equal(ask(v, 0, abs_rq, "19 42"), 1);
    reply_is(0, abs_rs, "7F 19 12");
    assert_int_equal(ask(v, 0, abs_rq, "19 02"), 1);
    reply_is(0, abs_rs, "7F 19 13");
    /* DIDs, one or several; unknown alone -> 31 */
    assert_int_equal(ask(v, 0, abs_rq, "22 F1 89"), 1);
    reply_is(0, abs_rs, "62 F1 89 30 31 35 30");
    assert_int_equal(ask(v, 0, abs_rq, "22 F1 87 F1 89"), 1);
    reply_is(0, abs_rs, "62 F1 87 35 51 30 39 30 37 33 37 39 41 43 F1 89 30 31 35 30");
    assert_int_equal(ask(v, 0, abs_rq, "22 12 34"), 1);
    reply_is(0, abs_rs, "7F 22 31");
    assert_int_equal(ask(v, 0, abs_rq, "22 F1"), 1);
    reply_is(0, abs_rs, "7F 22 13");
    /* sessions: P2 = 50 ms (0032), P2* = 5000 ms in 10 ms units (01F4) */
    assert_int_equal(ask(v, 0, abs_rq, "10 03"), 1);
    reply_is(0, abs_rs, "50 03 00 32 01 F4");
    assert_int_equal(ask(v, 0, abs_rq, "10 05"), 1);
    reply_is(0, abs_rs, "7F 10 12");
    assert_int_equal(ask(v, 0, abs_rq, "3E 00"), 1);
    reply_is(0, abs_rs, "7E 00");
    assert_int_equal(ask(v, 0, abs_rq, "3E 80"), 0); /* suppress positive response */
    /* clear all: 54; statuses become 50 (not completed since clear / this cycle) */
    assert_int_equal(ask(v, 0, abs_rq, "14 FF FF FF"), 1);
    reply_is(0, abs_rs, "54");
    assert_int_equal(ask(v, 0, abs_rq, "19 02 08"), 1);
    reply_is(0, abs_rs, "59 02 FF");
    assert_int_equal(ask(v, 0, abs_rq, "19 0A"), 1);
    reply_is(0, abs_rs, "59 0A FF 40 35 11 50 40 40 13 50");
    /* the clear erased the snapshot and extended data with the status */
    assert_int_equal(ask(v, 0, abs_rq, "19 04 40 35 11 FF"), 1);
    reply_is(0, abs_rs, "59 04 40 35 11 50");
    assert_int_equal(ask(v, 0, abs_rq, "19 06 40 35 11 FF"), 1);
    reply_is(0, abs_rs, "59 06 40 35 11 50");
    /* an OBD request to the UDS-only module: 7F 01 11 (physical) */
    assert_int_equal(ask(v, 0, abs_rq, "01 00"), 1);
    reply_is(0, abs_rs, "7F 01 11");
    /* the engine's OEM DIDs (uds.did / uds.val): a DID it lacks is 7F 22 31 */
    assert_int_equal(ask(v, 0, 0x7E0, "22 F1 90"), 1);
    reply_is(0, 0x7E8, "7F 22 31");
    /* a UDS request to an OBD ECU without UDS: physical 7F 22 11, functional silent */
    {
        sim_vehicle_t *o = NULL;
        char err[160];
        assert_int_equal(sim_vehicle_parse(HEAD2 "pid.0C = const:800\n", "t", &o, err, sizeof err), OBD_OK);
        assert_int_equal(ask(o, 0, 0x7E0, "22 F1 90"), 1);
        reply_is(0, 0x7E8, "7F 22 11");
        assert_int_equal(ask(o, 0, 0x7DF, "22 F1 90"), 0);
        sim_vehicle_free(o);
    }
    /* unknown OBD service: physical 7F 08 11, functional silent */
    assert_int_equal(ask(v, 0, 0x7E0, "08"), 1);
    reply_is(0, 0x7E8, "7F 08 11");
    assert_int_equal(ask(v, 0, 0, "08"), 0);
    /* nobody listens on this id */
    assert_int_equal(ask(v, 0, 0x7E5, "0100"), 0);
    /* bad arguments */
    obd_request_t r = { .data = NULL, .len = 1 };
    assert_int_equal(sim_vehicle_request(v, 0, &r, &R), OBD_EINVAL);
    sim_vehicle_free(v);
}


/* A whole car: 30 modules (more than the 8 a scenario once held), fitted-but-silent
 * modules, a secure gateway, the ECU response time; the table stops at SIM_MAX_ECUS (64). */
static void test_whole_car(void **state)
{
    (void)state;
    sim_vehicle_t *v = scenario("magotan-30.ini");
    assert_int_equal(sim_vehicle_response_ms(v), 5);
    /* every module's request id: 27 answer 3E 00 with 7E 00 from request + 6A (or 7E8/7E9) */
    static const uint32_t rq[] = { 0x7E0, 0x7E1, 0x713, 0x746, 0x70E, 0x70A, 0x757, 0x715, 0x70C, 0x714,
                                   0x710, 0x74A, 0x712, 0x74B, 0x752, 0x754, 0x773, 0x74D, 0x767, 0x74F,
                                   0x70F, 0x745, 0x749, 0x756, 0x748, 0x747, 0x707 };
    for (size_t i = 0; i < sizeof rq / sizeof rq[0]; i++) {
        assert_int_equal(ask(v, 0, rq[i], "3E 00"), 1);
        reply_is(0, rq[i] >= 0x7E0 ? rq[i] + 8 : rq[i] + 0x6A, "7E 00");
    }
    /* silent = yes: fitted, never answers (UDS or OBD) */
    assert_int_equal(ask(v, 0, 0x74C, "3E 00"), 0);
    assert_int_equal(ask(v, 0, 0x765, "19 02 FF"), 0);
    assert_int_equal(ask(v, 0, 0x76D, "22 F1 87"), 0);
    /* uds.refuse = 33: tester present and sessions yes, reads and clears 7F xx 33 */
    assert_int_equal(ask(v, 0, 0x710, "19 02 FF"), 1);
    reply_is(0, 0x77A, "7F 19 33");
    assert_int_equal(ask(v, 0, 0x710, "22 F1 87"), 1);
    reply_is(0, 0x77A, "7F 22 33");
    assert_int_equal(ask(v, 0, 0x710, "14 FF FF FF"), 1);
    reply_is(0, 0x77A, "7F 14 33");
    assert_int_equal(ask(v, 0, 0x710, "10 03"), 1);
    reply_is(0, 0x77A, "50 03 00 32 01 F4");
    /* functional OBD: only the two OBD ECUs */
    assert_int_equal(ask(v, 0, 0, "01 00"), 2);
    sim_vehicle_free(v);
    /* the limit: 64 modules load, the 65th is refused by name */
    static char text[64 * 64 + 128];
    size_t n = (size_t)snprintf(text, sizeof text, "[vehicle]\nprotocol = can11_500\n");
    for (unsigned i = 0; i < 65; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "[ecu m%u]\naddress = %X\nrequest = %X\nobd = no\n", i,
                              0x600 + i, 0x500 + i);
    parse_fails(text, "t:260: at most 64 ECUs");
    char *cut = strstr(text, "[ecu m64]");
    *cut = 0;
    v = parse(text);
    assert_int_equal(ask(v, 0, 0x53F, "3E 00"), 1); /* the 64th: there, without UDS */
    reply_is(0, 0x63F, "7F 3E 11");
    sim_vehicle_free(v);
    /* bad values */
    parse_fails(HEAD2 "uds.refuse = 78\n", "t:5: uds.refuse: '78' is not an NRC in hex like 33 (or no)");
    parse_fails(HEAD2 "silent = maybe\n", "t:5: silent: 'maybe' is not yes or no");
    parse_fails("[vehicle]\nprotocol = 6\nresponse_ms = 2.5\n",
                "t:3: response_ms: '2.5' is not a whole number of ms 0-5000");
}

/* ---------------- adapter: AT commands and framing ---------------- */

static void test_elm_at(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    sim_adapter_t *a = adapter(v, SIM_ELM_V15, 0, 0, 1);
    /* echo on by default; ATZ answers after two blank lines */
    SAYS(a, "ATZ\r", "ATZ\r\r\rELM327 v1.5\r\r>");
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATI\r", "ELM327 v1.5\r\r>");
    SAYS(a, "AT@1\r", "OBDII to RS232 Interpreter\r\r>");
    SAYS(a, "ATRV\r", "12.4V\r\r>");
    SAYS(a, "STI\r", "?\r\r>");        /* not an STN chip */
    SAYS(a, "ATXYZ\r", "?\r\r>");      /* unknown command */
    SAYS(a, "ATSH18DB33F1\r", "?\r\r>"); /* 32-bit header: v2.x only */
    /* case, spaces and LF do not matter */
    SAYS(a, "at h 1\r\n", "OK\r\r>");
    SAYS(a, "ATH0\r", "OK\r\r>");
    /* protocol: automatic until the first request */
    SAYS(a, "ATDP\r", "AUTO\r\r>");
    SAYS(a, "ATDPN\r", "A0\r\r>");
    SAYS(a, "0100\r", "SEARCHING...\r41 00 BE 3F A0 13\r41 00 88 08 00 00\r\r>");
    SAYS(a, "ATDPN\r", "A6\r\r>");
    SAYS(a, "ATDP\r", "AUTO, ISO 15765-4 (CAN 11/500)\r\r>");
    SAYS(a, "0100\r", "41 00 BE 3F A0 13\r41 00 88 08 00 00\r\r>"); /* searched once only */
    /* an empty line repeats the last command */
    SAYS(a, "\r", "41 00 BE 3F A0 13\r41 00 88 08 00 00\r\r>");
    /* linefeeds */
    SAYS(a, "ATL1\r", "OK\r\n\r\n>");
    SAYS(a, "ATI\r", "ELM327 v1.5\r\n\r\n>");
    SAYS(a, "ATL0\r", "OK\r\r>");
    /* explicit protocols */
    SAYS(a, "ATSP6\r", "OK\r\r>");
    SAYS(a, "ATDPN\r", "6\r\r>");
    SAYS(a, "ATDP\r", "ISO 15765-4 (CAN 11/500)\r\r>");
    SAYS(a, "0100\r", "41 00 BE 3F A0 13\r41 00 88 08 00 00\r\r>"); /* no search */
    SAYS(a, "ATSPA6\r", "OK\r\r>");
    SAYS(a, "ATDPN\r", "A6\r\r>");
    SAYS(a, "ATSPX\r", "?\r\r>");
    /* the wrong protocol: other bit rate, other id length, K-line */
    SAYS(a, "ATSP8\r", "OK\r\r>");
    SAYS(a, "0100\r", "CAN ERROR\r\r>");
    SAYS(a, "ATSP7\r", "OK\r\r>");
    SAYS(a, "0100\r", "NO DATA\r\r>");
    SAYS(a, "ATSP3\r", "OK\r\r>");
    SAYS(a, "0100\r", "BUS INIT: ...ERROR\r\r>");
    SAYS(a, "ATSP0\r", "OK\r\r>");
    /* nobody has PID 50 */
    SAYS(a, "0150\r", "SEARCHING...\rUNABLE TO CONNECT\r\r>");
    SAYS(a, "0100\r", "SEARCHING...\r41 00 BE 3F A0 13\r41 00 88 08 00 00\r\r>");
    SAYS(a, "0150\r", "NO DATA\r\r>");
    /* malformed requests */
    SAYS(a, "01G0\r", "?\r\r>");
    SAYS(a, "010\r", "?\r\r>");                /* count digit 0 */
    SAYS(a, "0102030405060708\r", "?\r\r>");   /* more than 7 bytes */
    char lng[80];
    memset(lng, 'A', 70);
    strcpy(lng + 70, "\r");
    SAYS(a, lng, "?\r\r>"); /* over-long line */
    SAYS(a, "ATI\r", "ELM327 v1.5\r\r>");
    /* ATD: defaults again (echo back on; this line itself was not echoed) */
    SAYS(a, "ATD\r", "OK\r\r>");
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    /* nothing to repeat after a reset: just the prompt again */
    SAYS(a, "ATZ\r", "\r\rELM327 v1.5\r\r>");
    SAYS(a, "\r", "\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

static void test_elm_can11_format(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    sim_adapter_t *a = adapter(v, SIM_ELM_V21, 0, 0, 1);
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATSP6\r", "OK\r\r>");
    SAYS(a, "ATH1\r", "OK\r\r>");
    /* single frames: header, PCI (length), data, padding AA to 8 bytes */
    SAYS(a, "0100\r", "7E8 06 41 00 BE 3F A0 13 AA\r7E9 06 41 00 88 08 00 00 AA\r\r>");
    /* multi-frame: FF 10 14 (20 bytes) + 6 bytes, CFs 21 22 with 7 each (6+7+7 = 20) */
    SAYS(a, "0902\r", "7E8 10 14 49 02 01 4C 46 56\r7E8 21 32 41 32 31 4B 36 4D\r7E8 22 33 30 31 32 33 34 35\r\r>");
    /* last CF padded: 090A is 23 bytes = 6 + 7 + 7 + 3 */
    SAYS(a, "090A1\r", "7E8 10 17 49 0A 01 45 43 4D\r7E8 21 2D 45 6E 67 69 6E 65\r"
                       "7E8 22 43 6F 6E 74 72 6F 6C\r7E8 23 00 00 00 AA AA AA AA\r\r>");
    /* spaces off */
    SAYS(a, "ATS0\r", "OK\r\r>");
    SAYS(a, "0100\r", "7E8064100BE3FA013AA\r7E906410088080000AA\r\r>");
    /* expected-count digit: stop after the first ECU */
    SAYS(a, "01001\r", "7E8064100BE3FA013AA\r\r>");
    /* headers off, CAF1: message bytes only, multi-frame as length + segments */
    SAYS(a, "ATS1\r", "OK\r\r>");
    SAYS(a, "ATH0\r", "OK\r\r>");
    SAYS(a, "0902\r", "014\r0: 49 02 01 4C 46 56\r1: 32 41 32 31 4B 36 4D\r2: 33 30 31 32 33 34 35\r\r>");
    SAYS(a, "ATS0\r", "OK\r\r>");
    SAYS(a, "0902\r", "014\r0:4902014C4656\r1:324132314B364D\r2:33303132333435\r\r>");
    SAYS(a, "ATS1\r", "OK\r\r>");
    /* physical addressing by header, receive filter (X = any digit) */
    SAYS(a, "ATSH7E1\r", "OK\r\r>");
    SAYS(a, "0100\r", "41 00 88 08 00 00\r\r>");
    SAYS(a, "ATSH7DF\r", "OK\r\r>");
    SAYS(a, "ATCRA7E9\r", "OK\r\r>");
    SAYS(a, "0100\r", "41 00 88 08 00 00\r\r>");
    SAYS(a, "ATCRA7EX\r", "OK\r\r>");
    SAYS(a, "0100\r", "41 00 BE 3F A0 13\r41 00 88 08 00 00\r\r>");
    SAYS(a, "ATCRA\r", "OK\r\r>");
    /* CAF0: the request carries its PCI byte, replies show theirs */
    SAYS(a, "ATCAF0\r", "OK\r\r>");
    SAYS(a, "020100\r", "06 41 00 BE 3F A0 13 AA\r06 41 00 88 08 00 00 AA\r\r>");
    SAYS(a, "0100\r", "NO DATA\r\r>"); /* PCI 01 + service 00: nobody answers */
    SAYS(a, "030100\r", "?\r\r>");     /* PCI says 3 bytes, 2 follow */
    SAYS(a, "ATCAF1\r", "OK\r\r>");
    /* 32-bit header on v2.1: accepted */
    SAYS(a, "ATSH18DB33F1\r", "OK\r\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

static void test_elm_can29_format(void **state)
{
    (void)state;
    sim_vehicle_t *v = scenario("toyota-can29.ini");
    sim_adapter_t *a = adapter(v, SIM_STN, 0, 0, 1);
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATH1\r", "OK\r\r>");
    /* 29-bit headers as 4 bytes; padding 55; three ECUs in scenario order */
    SAYS(a, "0100\r", "SEARCHING...\r18 DA F1 10 06 41 00 BE 3F A0 13 55\r"
                      "18 DA F1 18 06 41 00 88 08 00 01 55\r18 DA F1 1D 06 41 00 80 00 00 01 55\r\r>");
    SAYS(a, "ATDPN\r", "A7\r\r>");
    /* VIN JTDKB3FU4K3012345, spaces off */
    SAYS(a, "ATS0\r", "OK\r\r>");
    SAYS(a, "09021\r", "18DAF11010144902014A5444\r18DAF110214B42334655344B\r18DAF1102233303132333435\r\r>");
    /* physical: priority 18 (ATCP) + DA 18 F1 -> the hybrid ECU only */
    SAYS(a, "ATCP18\r", "OK\r\r>");
    SAYS(a, "ATSHDA18F1\r", "OK\r\r>");
    SAYS(a, "015B\r", "18DAF11803415BA055555555\r\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

static void test_elm_legacy(void **state)
{
    (void)state;
    sim_vehicle_t *v = scenario("legacy-iso9141.ini");
    sim_adapter_t *a = adapter(v, SIM_ELM_V15, 0, 0, 1);
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATH1\r", "OK\r\r>");
    /* ISO 9141: header 48 6B 10, checksum = sum mod 256:
     * 48+6B+10+41+00+BE+3E+A0+11 = 2B1 -> B1 */
    SAYS(a, "0100\r", "SEARCHING...\rBUS INIT: ...OK\r48 6B 10 41 00 BE 3E A0 11 B1\r\r>");
    SAYS(a, "ATDPN\r", "A3\r\r>");
    /* two messages; sums: C3+43+01+71+01+34+04+41 = 1F2 -> F2; C3+43+05+05 = 110 -> 10 */
    SAYS(a, "03\r", "48 6B 10 43 01 71 01 34 04 41 F2\r48 6B 10 43 05 05 00 00 00 00 10\r\r>");
    /* C3+7F+0A+11 = 15D -> 5D */
    SAYS(a, "0A\r", "48 6B 10 7F 0A 11 5D\r\r>");
    SAYS(a, "ATH0\r", "OK\r\r>");
    SAYS(a, "03\r", "43 01 71 01 34 04 41\r43 05 05 00 00 00 00\r\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);

    /* J1850 VPW / PWM: CRC-8 (poly 1D, init FF, final xor FF) over header + data:
     * 48 6B 10 41 00 88 10 00 00 -> 47; 41 6B 10 ... -> 2D. KWP: format byte
     * 80|6 = 86, F1, source; sum 86+F1+10+41+00+88+10 = 260 -> 60. */
    static const struct {
        const char *proto, *line;
        bool init;
    } lg[] = {
        { "j1850_vpw", "48 6B 10 41 00 88 10 00 00 47", false },
        { "j1850_pwm", "41 6B 10 41 00 88 10 00 00 2D", false },
        { "kwp_fast", "86 F1 10 41 00 88 10 00 00 60", true },
    };
    for (size_t i = 0; i < 3; i++) {
        char text[200], want[200];
        snprintf(text, sizeof text, "[vehicle]\nprotocol = %s\n[ecu e]\naddress = 10\npid.05 = const:20\npid.0C = const:0\n",
                 lg[i].proto);
        v = parse(text);
        a = adapter(v, SIM_ELM_V15, 0, 0, 1);
        SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
        SAYS(a, "ATH1\r", "OK\r\r>");
        SAYS(a, i == 0 ? "ATSP2\r" : i == 1 ? "ATSP1\r" : "ATSP5\r", "OK\r\r>");
        snprintf(want, sizeof want, "%s%s\r\r>", lg[i].init ? "BUS INIT: ...OK\r" : "", lg[i].line);
        SAYS(a, "0100\r", want);
        snprintf(want, sizeof want, "%s\r\r>", lg[i].line);
        SAYS(a, "0100\r", want); /* initialised once */
        sim_adapter_free(a);
        sim_vehicle_free(v);
    }
}

/* ---------------- adapter: timing ---------------- */

static void test_elm_timing(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    sim_adapter_t *a = adapter(v, SIM_ELM_V15, 115200, 10, 1);
    say(a, "ATE0\r");
    /* "ATI\r" 4 bytes in + "ELM327 v1.5\r\r>" 14 out = 18 bytes x 10 bits
     * at 115200 = 1.56 -> 2 ms, + 1 ms v1.5 processing = 3 */
    SAYS(a, "ATI\r", "ELM327 v1.5\r\r>");
    assert_int_equal(DELAY, 3);
    say(a, "ATSP6\r");
    /* "01001\r" 6 in + "41 00 BE 3F A0 13\r\r>" 20 out = 26 bytes -> 2.26 -> 3 ms;
     * + 10 ms ECU + 3 ms v1.5; the count was met: no waiting for more ECUs */
    SAYS(a, "01001\r", "41 00 BE 3F A0 13\r\r>");
    assert_int_equal(DELAY, 16);
    /* no count: + adaptive wait (ATAT1) 2 x 10 + 20 = 40 ms; 5 in + 38 out = 43
     * bytes -> 3.7 -> 4 ms: 4 + 10 + 40 + 3 = 57 */
    say(a, "0100\r");
    assert_int_equal(DELAY, 57);
    /* ATAT0: the full ATST timeout (default 32 x 4 = 200 ms) */
    say(a, "ATAT0\r");
    say(a, "0100\r");
    assert_int_equal(DELAY, 4 + 10 + 200 + 3);
    /* ATST19 = 100 ms */
    say(a, "ATST19\r");
    say(a, "0100\r");
    assert_int_equal(DELAY, 4 + 10 + 100 + 3);
    /* NO DATA waits the timeout: "0150\r" 5 + "NO DATA\r\r>" 10 = 15 bytes -> 2 ms */
    say(a, "0150\r");
    assert_int_equal(DELAY, 2 + 100 + 3);
    sim_adapter_free(a);

    /* STN: no processing time; unpaced ECU (delay 0): nothing but the UART */
    a = adapter(v, SIM_STN, 0, 0, 1);
    say(a, "ATE0\r");
    say(a, "0100\r");
    assert_int_equal(DELAY, 0);
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

/* ---------------- adapter: personalities ---------------- */

static void test_personality_keys(void **state)
{
    (void)state;
    for (int p = 0; p < SIM_PERSONALITY_COUNT; p++)
        assert_int_equal(sim_personality_parse(sim_personality_key((sim_personality_t)p)), p);
    assert_int_equal(sim_personality_parse("STN"), SIM_STN);
    assert_int_equal(sim_personality_parse("elm327-v1.5"), SIM_ELM_V15);
    assert_int_equal(sim_personality_parse("clone-hang"), SIM_CLONE_HANG);
    assert_int_equal(sim_personality_parse("bogus"), -1);
    assert_int_equal(sim_personality_parse(NULL), -1);
    assert_string_equal(sim_personality_key(SIM_PERSONALITY_COUNT), "unknown");
}

static void test_personality_stn_v21(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    sim_adapter_t *a = adapter(v, SIM_STN, 0, 0, 1);
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATI\r", "ELM327 v1.4b\r\r>");
    SAYS(a, "STI\r", "STN1110 v4.3.2\r\r>");
    SAYS(a, "STDI\r", "OBDLink SX r4.2\r\r>");
    SAYS(a, "STXYZ\r", "?\r\r>");
    sim_adapter_free(a);
    a = adapter(v, SIM_ELM_V21, 0, 0, 1);
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATI\r", "ELM327 v2.1\r\r>");
    SAYS(a, "STI\r", "?\r\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

static void test_clone_echo_basic(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* echo clone: says OK to ATE0 and keeps echoing */
    sim_adapter_t *a = adapter(v, SIM_CLONE_ECHO, 0, 0, 1);
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATI\r", "ATI\rELM327 v1.5\r\r>");
    SAYS(a, "0100\r", "0100\rSEARCHING...\r41 00 BE 3F A0 13\r41 00 88 08 00 00\r\r>");
    sim_adapter_free(a);
    /* basic clone: claims v2.1, lacks ATAT/ATCRA/ATCAF and the count digit */
    a = adapter(v, SIM_CLONE_BASIC, 0, 0, 1);
    SAYS(a, "ATE0\r", "ATE0\rOK\r\r>");
    SAYS(a, "ATI\r", "ELM327 v2.1\r\r>");
    SAYS(a, "ATAT1\r", "?\r\r>");
    SAYS(a, "ATCRA7E8\r", "?\r\r>");
    SAYS(a, "ATCRA\r", "?\r\r>");
    SAYS(a, "ATCAF1\r", "?\r\r>");
    SAYS(a, "ATH1\r", "OK\r\r>");
    SAYS(a, "01001\r", "?\r\r>");
    SAYS(a, "0100\r", "SEARCHING...\r7E8 06 41 00 BE 3F A0 13 AA\r7E9 06 41 00 88 08 00 00 AA\r\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

static void test_clone_slow_nomulti(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    /* slow clone: 40 ms per AT command, 250 ms per vehicle request (unpaced otherwise) */
    sim_adapter_t *a = adapter(v, SIM_CLONE_SLOW, 0, 0, 1);
    say(a, "ATE0\r");
    assert_int_equal(DELAY, 40);
    say(a, "0100\r");
    assert_int_equal(DELAY, 250);
    sim_adapter_free(a);
    /* no-multi clone: only the first PID goes to the car (the transmission has no 0C) */
    a = adapter(v, SIM_CLONE_NOMULTI, 0, 0, 1);
    say(a, "ATE0\r");
    SAYS(a, "010C0D05\r", "SEARCHING...\r41 0C 00 00\r\r>");
    SAYS(a, "010D\r", "41 0D 00\r41 0D 00\r\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

static void test_clone_buffer(void **state)
{
    (void)state;
    /* four CALIDs: 49 04 04 + 64 bytes = 67 bytes = FF + 9 CFs = 10 frames of 8
     * bytes; the clone's 60-byte buffer takes 7 frames (56), then overflows.
     * FF: 49 04 04 + 3 x A; CF1: 7 A; CF2: 6 A + B; CF3, CF4: 7 B; CF5: B + 6 C; CF6: 7 C */
    sim_vehicle_t *v = parse("[vehicle]\nprotocol = 6\n[ecu e]\naddress = 7E8\n"
                             "calid = AAAAAAAAAAAAAAAA BBBBBBBBBBBBBBBB CCCCCCCCCCCCCCCC DDDDDDDDDDDDDDDD\n");
    sim_adapter_t *a = adapter(v, SIM_CLONE_BUFFER, 0, 0, 1);
    say(a, "ATE0\r");
    say(a, "ATH1\r");
    say(a, "ATSP6\r");
    SAYS(a, "0904\r", "7E8 10 43 49 04 04 41 41 41\r7E8 21 41 41 41 41 41 41 41\r7E8 22 41 41 41 41 41 41 42\r"
                      "7E8 23 42 42 42 42 42 42 42\r7E8 24 42 42 42 42 42 42 42\r7E8 25 42 43 43 43 43 43 43\r"
                      "7E8 26 43 43 43 43 43 43 43\rBUFFER FULL\r\r>");
    /* short replies pass */
    SAYS(a, "0906\r", "NO DATA\r\r>");
    SAYS(a, "0100\r", "7E8 06 41 00 80 00 00 00 00\r\r>");
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

static void run_many(sim_vehicle_t *v, sim_personality_t p, unsigned seed, char *all, size_t cap, int *prompts,
                     int *garbage)
{
    sim_adapter_t *a = adapter(v, p, 0, 0, seed);
    say(a, "ATE0\r");
    say(a, "ATSP6\r");
    size_t k = 0;
    *prompts = *garbage = 0;
    for (int i = 0; i < 24; i++) {
        const char *o = say(a, "0100\r");
        size_t n = strlen(o);
        /* the data is always complete */
        assert_non_null(strstr(o, "41 00 BE 3F A0 13\r41 00 88 08 00 00\r"));
        *prompts += n && o[n - 1] == '>';
        for (size_t j = 0; j < n; j++)
            if ((unsigned char)o[j] >= 0x80) {
                (*garbage)++;
                break;
            }
        assert_true(k + n < cap);
        memcpy(all + k, o, n);
        k += n;
        if (i == 0)
            assert_true(n && o[n - 1] == '>'); /* the first request never hangs */
    }
    all[k] = 0;
    sim_adapter_free(a);
}

static void test_clone_garbage_hang(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    static char x[16384], y[16384];
    int pr, gb, pr2, gb2;
    /* garbage: some replies carry a line of non-ASCII bytes before the data;
     * the same seed gives the same bytes */
    run_many(v, SIM_CLONE_GARBAGE, 7, x, sizeof x, &pr, &gb);
    assert_int_equal(pr, 24);
    assert_in_range(gb, 1, 23);
    run_many(v, SIM_CLONE_GARBAGE, 7, y, sizeof y, &pr2, &gb2);
    assert_string_equal(x, y);
    /* hang: some replies never get their prompt; deterministic with the seed */
    run_many(v, SIM_CLONE_HANG, 7, x, sizeof x, &pr, &gb);
    assert_int_equal(gb, 0);
    assert_in_range(pr, 1, 23);
    run_many(v, SIM_CLONE_HANG, 7, y, sizeof y, &pr2, &gb2);
    assert_int_equal(pr, pr2);
    assert_string_equal(x, y);
    /* a genuine adapter: always the prompt, never garbage */
    run_many(v, SIM_ELM_V15, 7, x, sizeof x, &pr, &gb);
    assert_int_equal(pr, 24);
    assert_int_equal(gb, 0);
    sim_vehicle_free(v);
}

static void test_adapter_input_contract(void **state)
{
    (void)state;
    sim_vehicle_t *v = builtin();
    sim_adapter_t *a = adapter(v, SIM_ELM_V15, 0, 0, 1);
    char out[8192];
    size_t ol = 0;
    unsigned d;
    /* a command split over several writes; two commands in one */
    assert_int_equal(sim_adapter_input(a, 0, "AT", 2, out, sizeof out, &ol, &d), 2);
    assert_int_equal(ol, 0);
    assert_int_equal(sim_adapter_input(a, 0, "E0\rATI\r", 7, out, sizeof out, &ol, &d), 7);
    out[ol] = 0;
    assert_string_equal(out, "ATE0\rOK\r\r>ELM327 v1.5\r\r>");
    /* output space: with less than 4 KB left after an answer, input waits */
    char small[4100];
    ol = 0;
    assert_int_equal(sim_adapter_input(a, 0, "ATI\rATI\r", 8, small, sizeof small, &ol, &d), 4);
    /* an answer that does not fit at all */
    ol = 0;
    assert_int_equal(sim_adapter_input(a, 0, "ATI\r", 4, small, 5, &ol, &d), OBD_ENOSPC);
    assert_int_equal(sim_adapter_input(a, 0, "x", 1, NULL, 5, &ol, &d), OBD_EINVAL);
    assert_null(sim_adapter_new(NULL, NULL));
    sim_adapter_free(a);
    sim_vehicle_free(v);
}

/* ---------------- server ---------------- */

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read until '>' (or 2 s). */
static size_t read_reply(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    uint64_t end = ms_now() + 2000;
    while (n + 1 < cap && ms_now() < end) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        if (memchr(buf, '>', n))
            break;
    }
    buf[n] = 0;
    return n;
}

static void test_serve(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(sv[0]);
        sim_vehicle_t *v = NULL;
        if (sim_vehicle_builtin(&v))
            _exit(2);
        sim_adapter_opts_t o = { .personality = SIM_STN, .ecu_delay_ms = 60 };
        sim_adapter_t *a = sim_adapter_new(v, &o);
        int rc = sim_serve_fd(a, sv[1], NULL);
        sim_adapter_free(a);
        sim_vehicle_free(v);
        _exit(rc == OBD_OK ? 0 : 1);
    }
    close(sv[1]);
    char buf[512];
    assert_int_equal(write(sv[0], "ATE0\r", 5), 5);
    read_reply(sv[0], buf, sizeof buf);
    assert_string_equal(buf, "ATE0\rOK\r\r>");
    /* paced: 60 ms ECU delay, count met -> about 60 ms */
    assert_int_equal(write(sv[0], "ATSP6\r", 6), 6);
    read_reply(sv[0], buf, sizeof buf);
    uint64_t t0 = ms_now();
    assert_int_equal(write(sv[0], "01001\r", 6), 6);
    read_reply(sv[0], buf, sizeof buf);
    uint64_t took = ms_now() - t0;
    assert_string_equal(buf, "41 00 BE 3F A0 13\r\r>");
    assert_true(took >= 55);
    /* two commands written at once come back one after the other */
    assert_int_equal(write(sv[0], "ATI\rATRV\r", 9), 9);
    size_t n = read_reply(sv[0], buf, sizeof buf);
    if (!strchr(buf, 'V') || n < 20)
        n += read_reply(sv[0], buf + n, sizeof buf - n);
    assert_string_equal(buf, "ELM327 v1.4b\r\r>12.4V\r\r>");
    /* closing our end ends the server cleanly */
    close(sv[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

/* "sim" as an adapter spec: the simulator runs in a child process; closing
 * the link leaves no zombie behind (a daemon opens many). */
static void test_sim_link_child_reaped(void **state)
{
    (void)state;
    while (waitpid(-1, NULL, WNOHANG) > 0) /* anything earlier tests left */
        ;
    for (int round = 0; round < 3; round++) {
        obd_link_t *l = NULL;
        char err[160];
        assert_int_equal(obd_link_open("sim,personality=stn", NULL, &l, err, sizeof err), OBD_OK);
        static obd_replies_t rep;
        obd_request_t q = { .to = OBD_TARGET_ALL, .data = (const uint8_t *)"\x01\x0C", .len = 2, .expect = 1 };
        assert_int_equal(obd_link_request(l, &q, &rep), OBD_OK);
        assert_true(rep.count >= 1);
        obd_link_close(l);
        assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* no child left, not even a zombie */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pid_encode),
        cmocka_unit_test(test_scenarios_load),
        cmocka_unit_test(test_builtin_is_default_ini),
        cmocka_unit_test(test_scenario_errors),
        cmocka_unit_test(test_mode01),
        cmocka_unit_test(test_generators),
        cmocka_unit_test(test_mode02),
        cmocka_unit_test(test_dtc_lists),
        cmocka_unit_test(test_mode06),
        cmocka_unit_test(test_mode09),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_clear_refused_running),
        cmocka_unit_test(test_uds),
        cmocka_unit_test(test_whole_car),
        cmocka_unit_test(test_elm_at),
        cmocka_unit_test(test_elm_can11_format),
        cmocka_unit_test(test_elm_can29_format),
        cmocka_unit_test(test_elm_legacy),
        cmocka_unit_test(test_elm_timing),
        cmocka_unit_test(test_personality_keys),
        cmocka_unit_test(test_personality_stn_v21),
        cmocka_unit_test(test_clone_echo_basic),
        cmocka_unit_test(test_clone_slow_nomulti),
        cmocka_unit_test(test_clone_buffer),
        cmocka_unit_test(test_clone_garbage_hang),
        cmocka_unit_test(test_adapter_input_contract),
        cmocka_unit_test(test_serve),
        cmocka_unit_test(test_sim_link_child_reaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
