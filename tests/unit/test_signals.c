/*
 * OEM signals (signals.h): the OBDb signalset reader (fields used, fields
 * refused by name, per-signal faults), the bit decoder (worked by hand in
 * the comments, MSB-first bit numbering as the format's reference reader
 * numbers bits), the zh overlay and the index, the simulator's DID value
 * generators, and the poller against the simulated vehicle: multi-DID
 * requests, the module's limit learnt from NRC 0x13 and from a reply that
 * leaves DIDs out, NRC 0x31 on one DID while the others keep streaming.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/signals.h"
#include "obdgw/sim.h"

static sig_set_t *parse_ok(const char *json)
{
    sig_set_t *s = calloc(1, sizeof *s);
    char err[200];
    assert_non_null(s);
    int rc = sig_parse(json, strlen(json), s, err, sizeof err);
    if (rc)
        fail_msg("parse: %s", err);
    return s;
}

#define CMD(body) "{\"commands\":[{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1001\"},\"freq\":1,\"signals\":[" body "]}]}"
#define SIG(id, fmt) "{\"id\":\"" id "\",\"name\":\"" id " name\",\"fmt\":" fmt "}"

static void test_parse_fields(void **state)
{
    (void)state;
    sig_set_t *s = parse_ok("{\"commands\":[{\"hdr\":\"7E0\",\"rax\":\"7E8\",\"cmd\":{\"22\":\"2B1B\"},\"freq\":0.25,"
                            "\"tmo\":\"19\",\"fcm1\":true,\"filter\":{\"from\":2019,\"to\":2022},\"signals\":["
                            "{\"id\":\"A\",\"name\":\"Alpha\",\"path\":\"Battery\",\"suggestedMetric\":\"stateOfCharge\","
                            "\"description\":\"d\",\"fmt\":{\"bix\":8,\"len\":16,\"mul\":5,\"div\":10,\"add\":-3,"
                            "\"max\":100,\"unit\":\"percent\",\"nullmax\":90}},"
                            "{\"id\":\"B\",\"name\":\"Beta\",\"hidden\":true,\"fmt\":{\"bix\":24,\"len\":2,"
                            "\"map\":{\"0\":\"off\",\"1\":{\"description\":\"x\",\"value\":\"on\"}}}}]},"
                            "{\"hdr\":\"DA10\",\"cmd\":{\"22\":\"F40D\"},\"freq\":1,\"signals\":[" SIG("C", "{\"len\":8,\"max\":255,\"unit\":\"kilometersPerHour\"}") "]},"
                            "{\"hdr\":\"DA10\",\"rax\":\"FE007B\",\"pri\":\"17\",\"cmd\":{\"22\":\"F40C\"},\"freq\":1,\"signals\":[" SIG("D", "{\"len\":8,\"max\":255,\"unit\":\"rpm\"}") "]}],"
                            "\"signalGroups\":[{\"id\":\"G\",\"matchingRegex\":\"A\"}]}");
    assert_int_equal(s->ncmds, 3);
    assert_int_equal(s->nsigs, 4);
    const sig_command_t *c = &s->cmds[0];
    assert_int_equal(c->tx_id, 0x7E0);
    assert_int_equal(c->rx_id, 0x7E8);
    assert_int_equal(c->did, 0x2B1B);
    assert_int_equal(c->period_ms, 250);
    assert_int_equal(c->timeout_ms, 0x19 * 4);
    assert_int_equal(c->need, 4); /* B ends at bit 25: 4 bytes */
    assert_true(sig_command_applies(c, 2020));
    assert_false(sig_command_applies(c, 2023));
    assert_true(sig_command_applies(c, 0));
    const sig_signal_t *a = &s->sigs[0];
    assert_string_equal(a->err, "");
    assert_string_equal(a->path, "Battery");
    assert_string_equal(a->metric, "stateOfCharge");
    assert_int_equal(a->bix, 8);
    assert_int_equal(a->len, 16);
    assert_string_equal(a->unit->en, "%");
    assert_true(s->sigs[1].hidden);
    assert_int_equal(s->sigs[1].nmap, 2);
    assert_string_equal(s->maps[s->sigs[1].map_off + 1].text, "on");
    /* 29-bit: DA10 -> 18DA10F1, reply 18DAF110; rax of 6 digits with pri 17 -> 17FE007B */
    assert_int_equal(s->cmds[1].tx_id, 0x18DA10F1);
    assert_int_equal(s->cmds[1].rx_id, 0x18DAF110);
    assert_int_equal(s->cmds[2].tx_id, 0x17DA10F1);
    assert_int_equal(s->cmds[2].rx_id, 0x17FE007B);
    assert_int_equal(sig_find(s, "C"), 2);
    assert_int_equal(sig_find(s, "Z"), -1);
    free(s);
}

static void test_parse_refused(void **state)
{
    (void)state;
    sig_set_t *s = calloc(1, sizeof *s);
    char err[200];
    /* file level: named */
    assert_int_equal(sig_parse("[1]", 3, s, err, sizeof err), OBD_EFORMAT);
    const char *syn = "{\"commands\":[],\"synthetics\":[]}";
    assert_int_equal(sig_parse(syn, strlen(syn), s, err, sizeof err), OBD_EFORMAT);
    assert_non_null(strstr(err, "synthetics"));
    const char *dl = "{\"commands\":[],\"diagnosticLevel\":\"03\"}";
    assert_int_equal(sig_parse(dl, strlen(dl), s, err, sizeof err), OBD_EFORMAT);
    assert_non_null(strstr(err, "diagnosticLevel"));
    assert_int_equal(sig_parse("{\"commands\":", 12, s, err, sizeof err), OBD_EFORMAT);
    assert_non_null(strstr(err, "not JSON"));
    /* command level: every signal of it carries the reason */
    const char *k = "{\"commands\":[{\"hdr\":\"7E0\",\"cmd\":{\"21\":\"01\"},\"freq\":1,\"signals\":[" SIG("K", "{\"len\":8,\"max\":1,\"unit\":\"volts\"}") "]},"
                    "{\"hdr\":\"7E0\",\"eax\":\"12\",\"cmd\":{\"22\":\"0001\"},\"freq\":1,\"signals\":[" SIG("E", "{\"len\":8,\"max\":1,\"unit\":\"volts\"}") "]},"
                    "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"0002\"},\"freq\":0,\"signals\":[" SIG("F", "{\"len\":8,\"max\":1,\"unit\":\"volts\"}") "]},"
                    "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"0003\"},\"freq\":1,\"colour\":1,\"signals\":[" SIG("U", "{\"len\":8,\"max\":1,\"unit\":\"volts\"}") "]}]}";
    assert_int_equal(sig_parse(k, strlen(k), s, err, sizeof err), OBD_OK);
    assert_non_null(strstr(s->sigs[0].err, "cmd.21"));
    assert_non_null(strstr(s->sigs[1].err, "eax"));
    assert_non_null(strstr(s->sigs[2].err, "freq"));
    assert_non_null(strstr(s->sigs[3].err, "colour"));
    free(s);
}

static void test_parse_signal_faults(void **state)
{
    (void)state;
    /* len 0, len 65, overlap, unknown unit, refused unit, unknown fmt field, map key, duplicate id, div 0;
     * the good ones stay usable */
    sig_set_t *s = parse_ok(CMD(SIG("OK1", "{\"bix\":0,\"len\":8,\"max\":255,\"unit\":\"volts\"}") ","
                                SIG("LEN0", "{\"bix\":8,\"len\":0,\"max\":1,\"unit\":\"volts\"}") ","
                                SIG("LEN65", "{\"bix\":8,\"len\":65,\"max\":1,\"unit\":\"volts\"}") ","
                                SIG("OVER", "{\"bix\":4,\"len\":8,\"max\":1,\"unit\":\"volts\"}") ","
                                SIG("UNIT", "{\"bix\":16,\"len\":8,\"max\":1,\"unit\":\"furlongs\"}") ","
                                SIG("ASCII", "{\"bix\":16,\"len\":8,\"max\":1,\"unit\":\"ascii\"}") ","
                                SIG("FIELD", "{\"bix\":16,\"len\":8,\"max\":1,\"unit\":\"volts\",\"endian\":1}") ","
                                SIG("MAPKEY", "{\"bix\":16,\"len\":8,\"map\":{\"one\":\"x\"}}") ","
                                SIG("OK1", "{\"bix\":16,\"len\":8,\"max\":1,\"unit\":\"volts\"}") ","
                                SIG("DIV0", "{\"bix\":16,\"len\":8,\"div\":0,\"max\":1,\"unit\":\"volts\"}") ","
                                SIG("NOMAX", "{\"bix\":16,\"len\":8,\"unit\":\"volts\"}") ","
                                SIG("OK2", "{\"bix\":16,\"len\":64,\"max\":1,\"unit\":\"volts\"}")));
    const char *want[][2] = { { "OK1", "" },          { "LEN0", "fmt.len" },   { "LEN65", "fmt.len" },
                              { "OVER", "overlap OK1" }, { "UNIT", "furlongs" }, { "ASCII", "'ascii' not supported" },
                              { "FIELD", "fmt.endian" }, { "MAPKEY", "fmt.map" }, { "OK1", "given twice" },
                              { "DIV0", "fmt.div" },     { "NOMAX", "needs map, or max and unit" }, { "OK2", "" } };
    assert_int_equal(s->nsigs, 12);
    for (size_t i = 0; i < 12; i++) {
        assert_string_equal(s->sigs[i].id, want[i][0]);
        if (!want[i][1][0])
            assert_string_equal(s->sigs[i].err, "");
        else if (!strstr(s->sigs[i].err, want[i][1]))
            fail_msg("%s: '%s' lacks '%s'", s->sigs[i].id, s->sigs[i].err, want[i][1]);
    }
    assert_int_equal(s->cmds[0].need, 10); /* OK2: bits 16..79 */
    free(s);
}

static sig_value_t dec(const sig_set_t *s, int i, const char *hex)
{
    uint8_t b[64];
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2)
        b[n++] = (uint8_t)strtoul((char[]){ hex[0], hex[1], 0 }, NULL, 16);
    sig_value_t v;
    sig_decode(s, &s->sigs[i], b, n, OBD_LANG_EN, &v);
    return v;
}

static void test_decode(void **state)
{
    (void)state;
    sig_set_t *s = parse_ok(CMD(
        SIG("U8", "{\"bix\":0,\"len\":8,\"add\":-40,\"min\":-40,\"max\":215,\"unit\":\"celsius\"}") ","
        SIG("S16", "{\"bix\":8,\"len\":16,\"sign\":true,\"div\":10,\"min\":-780,\"max\":780,\"unit\":\"degrees\"}") ","
        SIG("NIB", "{\"bix\":28,\"len\":4,\"map\":{\"3\":\"D\"}}") ","
        SIG("B1", "{\"bix\":24,\"len\":1,\"max\":1,\"unit\":\"yesno\"}") ","
        SIG("LE", "{\"bix\":32,\"len\":16,\"blsb\":true,\"max\":65535,\"unit\":\"rpm\"}") ","
        SIG("CL", "{\"bix\":48,\"len\":8,\"mul\":2,\"max\":100,\"unit\":\"percent\"}") ","
        SIG("NU", "{\"bix\":56,\"len\":8,\"max\":255,\"nullmax\":255,\"unit\":\"volts\"}") ","
        SIG("ODD", "{\"bix\":25,\"len\":3,\"max\":7,\"unit\":\"scalar\"}") ","
        SIG("W64", "{\"bix\":64,\"len\":64,\"sign\":true,\"max\":1,\"min\":0,\"unit\":\"hex\"}")));
    for (size_t i = 0; i < s->nsigs; i++)
        assert_string_equal(s->sigs[i].err, "");
    /* data: 82 | FF 83 | A3 | 34 12 | 40 | FF | 80 00 ... */
    const char *d = "82FF83A334124" "0FF8000000000000001";
    sig_value_t v = dec(s, 0, d);
    assert_int_equal(v.state, SIG_V_OK);
    assert_true(v.value == 0x82 - 40); /* 130 - 40 = 90 °C */
    v = dec(s, 1, d);                  /* FF83 = -125 -> -12.5° */
    assert_true(v.value == -12.5);
    v = dec(s, 2, d); /* A3: low nibble 3 -> "D" */
    assert_int_equal(v.state, SIG_V_OK);
    assert_string_equal(v.text, "D");
    assert_int_equal(v.raw, 3);
    v = dec(s, 3, d); /* A3 = 1010 0011: bit 24 (the MSB) = 1 */
    assert_string_equal(v.text, "yes");
    v = dec(s, 4, d); /* 34 12 least significant first: 0x1234 = 4660 */
    assert_true(v.value == 4660);
    v = dec(s, 5, d); /* 0x40 * 2 = 128 > max 100: clamped, as the format says */
    assert_true(v.value == 100);
    assert_true(v.clamped);
    v = dec(s, 6, d); /* FF at nullmax */
    assert_int_equal(v.state, SIG_V_NULL);
    v = dec(s, 7, d); /* bits 25-27 of A3 (1010 0011): 010 = 2 */
    assert_true(v.value == 2);
    v = dec(s, 8, d); /* 80 00 .. 01 signed: INT64_MIN + 1 */
    assert_int_equal(v.state, SIG_V_OK);
    assert_true(v.raw == INT64_MIN + 1);
    /* a reply shorter than the signal needs: no value, nothing read past the end */
    v = dec(s, 1, "82FF");
    assert_int_equal(v.state, SIG_V_SHORT);
    v = dec(s, 0, "");
    assert_int_equal(v.state, SIG_V_SHORT);
    v = dec(s, 2, "82FF8384"); /* raw 4: not in the map */
    assert_int_equal(v.state, SIG_V_UNMAPPED);
    /* formatting: en and zh */
    char out[96];
    v = dec(s, 1, d);
    sig_value_format(&s->sigs[1], &v, OBD_LANG_EN, out, sizeof out);
    assert_string_equal(out, "-12.5 °");
    v = dec(s, 2, d);
    sig_value_format(&s->sigs[2], &v, OBD_LANG_EN, out, sizeof out);
    assert_string_equal(out, "D (3)");
    v = dec(s, 1, "82");
    sig_value_format(&s->sigs[1], &v, OBD_LANG_ZH, out, sizeof out);
    assert_string_equal(out, "无值（应答过短）");
    sig_decode(s, &s->sigs[3], (const uint8_t *)"\x00\x00\x00\x00", 4, OBD_LANG_ZH, &v);
    assert_string_equal(v.text, "否");
    free(s);
}

static void test_units(void **state)
{
    (void)state;
    const char *keys[] = { "celsius", "kilometersPerHour", "volts", "percent", "kilopascal", "bars", "rpm", "newtonMeters" };
    const char *sym[] = { "°C", "km/h", "V", "%", "kPa", "bar", "rpm", "Nm" };
    for (size_t i = 0; i < 8; i++) {
        const sig_unit_t *u = sig_unit_find(keys[i]);
        assert_non_null(u);
        assert_string_equal(u->en, sym[i]);
        assert_non_null(u->zh);
    }
    assert_string_equal(sig_unit_find("hours")->zh, "小时");
    assert_null(sig_unit_find("ascii"));
    assert_null(sig_unit_find("noyes"));
    assert_null(sig_unit_find("Celsius"));
    assert_null(sig_unit_find(NULL));
}

static void test_overlay_and_index(void **state)
{
    (void)state;
    sig_set_t *s = parse_ok(CMD(SIG("A", "{\"len\":8,\"max\":1,\"unit\":\"volts\"}") ","
                                SIG("B", "{\"bix\":8,\"len\":8,\"max\":1,\"unit\":\"volts\"}")));
    const char *zh = "# comment\nA\t电压甲\r\nNOPE\t无\nbad line\n";
    assert_int_equal(sig_overlay_zh(s, zh, strlen(zh)), 1);
    bool fb;
    assert_string_equal(sig_name(&s->sigs[0], OBD_LANG_ZH, &fb), "电压甲");
    assert_false(fb);
    assert_string_equal(sig_name(&s->sigs[1], OBD_LANG_ZH, &fb), "B name"); /* missing: English, marked */
    assert_true(fb);
    assert_string_equal(sig_name(&s->sigs[0], OBD_LANG_EN, &fb), "A name");
    assert_false(fb);
    free(s);
    /* the shipped index: the demo car (LFV, model year M = 2021) matches, another WMI or year does not */
    sig_index_row_t rows[8];
    size_t n = 0;
    char err[200];
    assert_int_equal(sig_index_read("dtc-db/signals", rows, 8, &n, err, sizeof err), OBD_OK);
    assert_true(n >= 1);
    int hit = -1;
    for (size_t i = 0; i < n; i++)
        if (sig_index_matches(&rows[i], "LFV2A21K6M3012345"))
            hit = (int)i;
    assert_true(hit >= 0);
    assert_false(sig_index_matches(&rows[hit], "WVWZZZ1KZAW000001")); /* WMI WVW */
    assert_false(sig_index_matches(&rows[hit], "LFV2A21K0E3012345")); /* model year E = 2014 */
    assert_false(sig_index_matches(&rows[hit], "garbage"));
    /* and the shipped signalset parses with every signal usable and the overlay applied */
    char path[256];
    snprintf(path, sizeof path, "dtc-db/signals/%s", rows[hit].file);
    sig_set_t *d = NULL;
    assert_int_equal(sig_load_file(path, &d, err, sizeof err), OBD_OK);
    assert_true(d->nsigs >= 10);
    size_t zh_named = 0;
    for (size_t i = 0; i < d->nsigs; i++) {
        assert_string_equal(d->sigs[i].err, "");
        zh_named += d->sigs[i].name_zh[0] != 0;
    }
    assert_true(zh_named >= d->nsigs - 1);
    free(d);
    assert_int_equal(sig_load_file("/nonexistent.json", &d, err, sizeof err), OBD_ENOTFOUND);
}

/* ---- the poller against the simulated vehicle --------------------------------- */

typedef struct {
    obd_link_t base;
    sim_vehicle_t *v;
    uint64_t now;
    unsigned requests, multi;
} vlink_t;

static int v_request(obd_link_t *l, const obd_request_t *req, obd_replies_t *out)
{
    vlink_t *m = (vlink_t *)l;
    m->requests++;
    if (req->len > 3 && req->data[0] == 0x22)
        m->multi++;
    return sim_vehicle_request(m->v, m->now, req, out);
}
static int v_info(obd_link_t *l, obd_link_info_t *out)
{
    (void)l;
    memset(out, 0, sizeof *out);
    return OBD_OK;
}
static void v_close(obd_link_t *l) { (void)l; }
static const obd_link_ops_t v_ops = { "test", v_request, v_info, v_close, NULL };

#define CAR                                                                                                   \
    "[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\npid.0C = const:800\n"                         \
    "uds.did_limit = 2\n"                                                                                     \
    "uds.did.1001 = raw:0000\nuds.val.1001 = 0,16,0.01,0 const:12.34\n"                                       \
    "uds.did.1002 = raw:00\nuds.val.1002 = 0,8,1,-40 const:90\n"                                              \
    "uds.did.1003 = raw:FF83\n"                                                                               \
    "uds.did.1004 = raw:70\n"                                                                                 \
    "[ecu abs]\naddress = 77D\nrequest = 713\nobd = no\nuds.did.3001 = raw:00\nuds.val.3001 = 0,8,0.5,0 ramp:0:100:10\n"

#define SET                                                                                                  \
    "{\"commands\":["                                                                                        \
    "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1001\"},\"freq\":0.1,\"signals\":[" SIG("V", "{\"len\":16,\"div\":100,\"max\":20,\"unit\":\"volts\"}") "]}," \
    "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1002\"},\"freq\":0.1,\"signals\":[" SIG("T", "{\"len\":8,\"add\":-40,\"max\":215,\"unit\":\"celsius\"}") "]}," \
    "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1003\"},\"freq\":0.1,\"signals\":[" SIG("A", "{\"len\":16,\"sign\":true,\"div\":10,\"min\":-99,\"max\":99,\"unit\":\"degrees\"}") "]}," \
    "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1004\"},\"freq\":0.1,\"signals\":[" SIG("G", "{\"len\":4,\"map\":{\"7\":\"seventh\"}}") "," SIG("LONG", "{\"bix\":8,\"len\":8,\"max\":1,\"unit\":\"volts\"}") "]}," \
    "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1005\"},\"freq\":0.1,\"signals\":[" SIG("R", "{\"len\":8,\"max\":1,\"unit\":\"volts\"}") "]}," \
    "{\"hdr\":\"713\",\"rax\":\"77D\",\"cmd\":{\"22\":\"3001\"},\"freq\":0.2,\"signals\":[" SIG("W", "{\"len\":8,\"div\":2,\"max\":127,\"unit\":\"kilometersPerHour\"}") "]}]}"

static void test_live_plan(void **state)
{
    (void)state;
    vlink_t L = { .base = { .ops = &v_ops } };
    char err[160];
    assert_int_equal(sim_vehicle_parse(CAR, "car", &L.v, err, sizeof err), OBD_OK);
    sig_set_t *s = parse_ok(SET);
    sig_live_t *lv = calloc(1, sizeof *lv);
    assert_int_equal(sig_live_init(lv, s, NULL, 0, true), OBD_OK);
    assert_int_equal(lv->nmods, 2);
    assert_int_equal(sig_live_active(lv), 7);
    sig_sample_t out[32];
    /* round 1: every DID alone (lengths unknown): 5 + 1 requests */
    L.now = 1000;
    int n = sig_live_poll(lv, &L.base, L.now, OBD_LANG_EN, out, 32);
    assert_int_equal(L.requests, 6);
    assert_int_equal(L.multi, 0);
    int values = 0, refused = 0, shortv = 0;
    for (int i = 0; i < n; i++) {
        const char *id = s->sigs[out[i].sig].id;
        if (out[i].kind == SIG_EV_REFUSED) {
            assert_string_equal(id, "R"); /* 1005 is not the module's: 7F 22 31 */
            assert_int_equal(out[i].nrc, 0x31);
            refused++;
        } else if (out[i].kind == SIG_EV_VALUE) {
            values++;
            if (!strcmp(id, "V"))
                assert_true(out[i].v.value > 12.33 && out[i].v.value < 12.35);
            if (!strcmp(id, "T"))
                assert_true(out[i].v.value == 90);
            if (!strcmp(id, "A"))
                assert_true(out[i].v.value == -12.5);
            if (!strcmp(id, "G"))
                assert_string_equal(out[i].v.text, "seventh");
            if (!strcmp(id, "LONG")) { /* bix 8 past the 1-byte reply: no value */
                assert_int_equal(out[i].v.state, SIG_V_SHORT);
                shortv++;
            }
        }
    }
    assert_int_equal(refused, 1);
    assert_int_equal(values, 6);
    assert_int_equal(shortv, 1);
    assert_int_equal(sig_live_active(lv), 6);
    /* nothing due 50 ms later */
    assert_int_equal(sig_live_poll(lv, &L.base, 1050, OBD_LANG_EN, out, 32), 0);
    assert_int_equal(lv->next_due_ms, 1100);
    /* round 2: the 4 engine DIDs in one request -> 7F 22 13 (the module takes 2): one fewer, 3 + 1 */
    L.now = 1100;
    n = sig_live_poll(lv, &L.base, L.now, OBD_LANG_EN, out, 32);
    assert_int_equal(n, 0);
    assert_int_equal(L.multi, 1);
    assert_int_equal(lv->mods[0].max_dids, 3);
    L.multi = 0;
    n = sig_live_poll(lv, &L.base, L.now, OBD_LANG_EN, out, 32); /* 3 -> 7F 22 13 again; the single one answers */
    assert_int_equal(L.multi, 1);
    assert_int_equal(lv->mods[0].max_dids, 2);
    assert_int_equal(lv->limit_changes, 2);
    /* the one sent alone (1004: G, LONG) has answered; the other 3 are due again at once */
    assert_true(lv->mods[0].limit_learnt);
    assert_int_equal(lv->mods[1].max_dids, 8); /* the ABS module's own limit is untouched */
    L.requests = L.multi = 0;
    n = sig_live_poll(lv, &L.base, L.now, OBD_LANG_EN, out, 32);
    assert_int_equal(L.requests, 2); /* 2 + 1 */
    assert_int_equal(L.multi, 1);
    /* the steady state, next period: the 4 engine DIDs in 2 requests of 2 (ABS due at 1200 too) */
    L.requests = L.multi = 0;
    L.now = 1200;
    n = sig_live_poll(lv, &L.base, L.now, OBD_LANG_EN, out, 32);
    assert_int_equal(L.requests, 3);
    assert_int_equal(L.multi, 2);
    int engine = 0, abs_ = 0;
    for (int i = 0; i < n; i++) {
        engine += out[i].kind == SIG_EV_VALUE && out[i].rx_id == 0x7E8;
        abs_ += out[i].kind == SIG_EV_VALUE && out[i].rx_id == 0x77D;
    }
    assert_int_equal(engine, 5); /* V T A G LONG; R refused for good */
    assert_int_equal(abs_, 1);
    sig_live_free(lv);
    free(lv);
    free(s);
    sim_vehicle_free(L.v);
}

static void test_live_reply_cut(void **state)
{
    (void)state;
    /* DIDs that answered alone go out together; when the module then leaves one out, it is asked alone
     * (7F 22 31: refused, the other keeps streaming) and the module's limit is cut to what the reply carried */
    vlink_t L = { .base = { .ops = &v_ops } };
    char err[160];
    assert_int_equal(sim_vehicle_parse("[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\npid.0C = const:800\n"
                                       "uds.did.1001 = raw:11\nuds.did.1002 = raw:22\n",
                                       "car", &L.v, err, sizeof err),
                     OBD_OK);
    sig_set_t *s = parse_ok("{\"commands\":["
                            "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1001\"},\"freq\":1,\"signals\":[" SIG("A", "{\"len\":8,\"max\":255,\"unit\":\"volts\"}") "]},"
                            "{\"hdr\":\"7E0\",\"cmd\":{\"22\":\"1002\"},\"freq\":1,\"signals\":[" SIG("B", "{\"len\":8,\"max\":255,\"unit\":\"volts\"}") "]}]}");
    sig_live_t *lv = calloc(1, sizeof *lv);
    assert_int_equal(sig_live_init(lv, s, NULL, 0, true), OBD_OK);
    sig_sample_t out[8];
    assert_int_equal(sig_live_poll(lv, &L.base, 0, OBD_LANG_EN, out, 8), 2);
    L.requests = L.multi = 0;
    assert_int_equal(sig_live_poll(lv, &L.base, 1000, OBD_LANG_EN, out, 8), 2);
    assert_int_equal(L.requests, 1); /* both DIDs in one request */
    assert_int_equal(L.multi, 1);
    assert_true(out[0].v.value == 0x11 && out[1].v.value == 0x22);
    /* the module loses 1002 (a variant without it): missing from the multi reply -> asked alone -> 31 -> refused */
    sim_vehicle_free(L.v);
    assert_int_equal(sim_vehicle_parse("[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\npid.0C = const:800\n"
                                       "uds.did.1001 = raw:11\n",
                                       "car", &L.v, err, sizeof err),
                     OBD_OK);
    int n = sig_live_poll(lv, &L.base, 2000, OBD_LANG_EN, out, 8);
    assert_int_equal(n, 1); /* A's value; B asked alone next */
    n = sig_live_poll(lv, &L.base, 2000, OBD_LANG_EN, out, 8);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].kind, SIG_EV_REFUSED);
    assert_string_equal(s->sigs[out[0].sig].id, "B");
    /* the tail left out although it answered before: the limit is cut to what came (1) */
    assert_int_equal(lv->mods[0].max_dids, 1);
    sig_live_free(lv);
    free(lv);
    free(s);
    sim_vehicle_free(L.v);
}

static void test_sim_did_values(void **state)
{
    (void)state;
    sim_vehicle_t *v = NULL;
    char err[160];
    /* generated values MSB-first at their bits; negative values two's complement */
    assert_int_equal(sim_vehicle_parse("[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\npid.0C = const:800\n"
                                       "uds.did.1001 = raw:00FF0000\nuds.val.1001 = 0,8,1,-40 const:90\n"
                                       "uds.val.1001 = 16,16,0.1,0 const:-12.5\nuds.val.1001 = 12,4,1,0 const:9\n",
                                       "t", &v, err, sizeof err),
                     OBD_OK);
    uint8_t rq[] = { 0x22, 0x10, 0x01 };
    obd_request_t r = { .to = { 0x7E0, 0 }, .data = rq, .len = 3 };
    obd_replies_t R;
    assert_int_equal(sim_vehicle_request(v, 0, &r, &R), OBD_OK);
    assert_int_equal(R.count, 1);
    const uint8_t want[] = { 0x62, 0x10, 0x01, 0x82, 0xF9, 0xFF, 0x83 }; /* 130; F|9; -125 = FF83 */
    assert_int_equal(R.r[0].len, sizeof want);
    assert_memory_equal(obd_reply_data(&R, 0), want, sizeof want);
    sim_vehicle_free(v);
    /* bad keys are named */
    assert_int_not_equal(sim_vehicle_parse("[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\n"
                                           "uds.val.1001 = 0,8,1,0 const:1\n",
                                           "t", &v, err, sizeof err),
                         OBD_OK);
    assert_non_null(strstr(err, "uds.did.1001"));
    assert_int_not_equal(sim_vehicle_parse("[vehicle]\nprotocol = can11_500\n[ecu e]\naddress = 7E8\n"
                                           "uds.did.1001 = raw:00\nuds.val.1001 = 4,8,1,0 const:1\n",
                                           "t", &v, err, sizeof err),
                         OBD_OK);
    assert_non_null(strstr(err, "inside the DID"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_fields),    cmocka_unit_test(test_parse_refused),
        cmocka_unit_test(test_parse_signal_faults), cmocka_unit_test(test_decode),
        cmocka_unit_test(test_units),           cmocka_unit_test(test_overlay_and_index),
        cmocka_unit_test(test_sim_did_values),  cmocka_unit_test(test_live_plan),
        cmocka_unit_test(test_live_reply_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
