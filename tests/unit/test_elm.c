/*
 * ELM327 reply parsing: recorded dialogues (the .dlg files in tests/data/elm — what the
 * adapter sent, what we must make of it) plus checksums, request formatting
 * and voltage parsing.
 *
 * .dlg format, one directive per line ('#' comments):
 *   # source: WHERE          required: where the bytes come from ("obdgw team ..." for our
 *                            own recordings; else a document + section/page or a URL)
 *   # note: TEXT             optional: where our decode and the source disagree, and who is right
 *   fmt can11|can29|legacy   proto N   headers 0|1   echo CMD   raw_pci 0|1 (ATCAF0, headers off)
 *   reply ... end            adapter text; lines joined with CR; \xNN, \r, \n escapes
 *   status KEY               elm_status_key() expected
 *   expect ADDR HEX          one expected message per line, in order (spaces in HEX ignored)
 *   searching/businit/echoed 0|1, bad N, dups N, checked N, badsum N, headerless N, errcode N
 *
 * At least OUTSIDE_MIN fixtures must come from sources we did not write, and together
 * they must cover every ELM protocol 1-9, headers on and off, spaces on and off, two
 * or more ECUs, multi-frame replies and every error reply of the ELM327 data sheet.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/elm.h"

#define DLG_DIR "tests/data/elm"
#define OUTSIDE_MIN 40
#define OWN_SOURCE "obdgw team"

/* What one fixture showed, for the coverage checks over the outside set. */
typedef struct {
    bool outside;
    int proto;
    bool headers;
    bool spaces_on, spaces_off; /* a data line with / without spaces between bytes */
    bool multi_ecu;             /* two or more distinct answering addresses expected */
    bool multi_frame;           /* a multi-frame reply (FF/CF or "0:" segments) decoded */
    char status[32];
} dlg_info_t;

typedef struct {
    uint32_t addr;
    uint8_t data[512];
    size_t len;
} exp_msg_t;

static size_t unescape(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; s[i] && k < cap; i++) {
        if (s[i] == '\\' && s[i + 1] == 'x' && obd_hex_digit(s[i + 2]) >= 0 && obd_hex_digit(s[i + 3]) >= 0) {
            out[k++] = (char)(obd_hex_digit(s[i + 2]) << 4 | obd_hex_digit(s[i + 3]));
            i += 3;
        } else if (s[i] == '\\' && s[i + 1] == 'r') {
            out[k++] = '\r';
            i++;
        } else if (s[i] == '\\' && s[i + 1] == 'n') {
            out[k++] = '\n';
            i++;
        } else {
            out[k++] = s[i];
        }
    }
    return k;
}

/* Spaces on/off in the data lines of a reply (status words and segment counts ignored). */
static void reply_spacing(const char *text, size_t n, dlg_info_t *info)
{
    size_t i = 0;
    while (i < n) {
        size_t st = i;
        while (i < n && text[i] != '\r' && text[i] != '\n')
            i++;
        size_t len = i - st, hex = 0, sp = 0;
        bool other = false;
        for (size_t k = st; k < i; k++) {
            if (obd_hex_digit(text[k]) >= 0)
                hex++;
            else if (text[k] == ' ')
                sp++;
            else if (text[k] != ':')
                other = true;
        }
        if (!other && hex >= 6) {
            if (sp >= 2)
                info->spaces_on = true;
            else if (sp == 0 && hex == len - (memchr(text + st, ':', len) ? 1 : 0))
                info->spaces_off = true;
        }
        while (i < n && (text[i] == '\r' || text[i] == '\n'))
            i++;
    }
}

static void run_dialogue(const char *path, dlg_info_t *info)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024], text[4096];
    size_t tl = 0;
    elm_parse_opts_t o = { .fmt = ELM_FMT_CAN11, .headers = true, .proto = OBD_PROTO_CAN11_500 };
    char echo[64] = "", status[32] = "ok";
    int searching = 0, businit = 0, echoed = 0, bad = -1, dups = -1;
    int checked = -1, badsum = -1, headerless = -1, errcode = -1;
    char source[512] = "";
    static exp_msg_t exp[16];
    size_t nexp = 0;
    bool in_reply = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (in_reply) {
            if (!strcmp(line, "end")) {
                in_reply = false;
                continue;
            }
            tl += unescape(line, text + tl, sizeof text - tl - 1);
            if (tl < sizeof text - 1)
                text[tl++] = '\r';
            continue;
        }
        char key[32] = "", val[900] = "";
        if (!strncmp(line, "# source:", 9)) {
            const char *v = line + 9;
            while (*v == ' ')
                v++;
            if (source[0])
                fail_msg("%s: more than one '# source:' line", path);
            snprintf(source, sizeof source, "%.511s", v);
            continue;
        }
        if (line[0] == '#' || sscanf(line, "%31s %899[^\n]", key, val) < 1)
            continue;
        if (!strcmp(key, "reply"))
            in_reply = true;
        else if (!strcmp(key, "fmt"))
            o.fmt = !strcmp(val, "can29") ? ELM_FMT_CAN29 : !strcmp(val, "legacy") ? ELM_FMT_LEGACY : ELM_FMT_CAN11;
        else if (!strcmp(key, "proto"))
            o.proto = (obd_proto_t)atoi(val);
        else if (!strcmp(key, "headers"))
            o.headers = atoi(val) != 0;
        else if (!strcmp(key, "echo"))
            snprintf(echo, sizeof echo, "%.63s", val);
        else if (!strcmp(key, "status"))
            snprintf(status, sizeof status, "%.31s", val);
        else if (!strcmp(key, "searching"))
            searching = atoi(val);
        else if (!strcmp(key, "businit"))
            businit = atoi(val);
        else if (!strcmp(key, "echoed"))
            echoed = atoi(val);
        else if (!strcmp(key, "bad"))
            bad = atoi(val);
        else if (!strcmp(key, "dups"))
            dups = atoi(val);
        else if (!strcmp(key, "raw_pci"))
            o.raw_pci = atoi(val) != 0;
        else if (!strcmp(key, "checked"))
            checked = atoi(val);
        else if (!strcmp(key, "badsum"))
            badsum = atoi(val);
        else if (!strcmp(key, "headerless"))
            headerless = atoi(val);
        else if (!strcmp(key, "errcode"))
            errcode = atoi(val);
        else if (!strcmp(key, "expect")) {
            assert_true(nexp < 16);
            exp_msg_t *e = &exp[nexp++];
            char *sp = strchr(val, ' ');
            assert_non_null(sp);
            *sp = 0;
            e->addr = (uint32_t)strtoul(val, NULL, 16);
            e->len = 0;
            for (char *h = sp + 1; *h;) {
                if (*h == ' ') {
                    h++;
                    continue;
                }
                assert_true(obd_hex_digit(h[0]) >= 0 && obd_hex_digit(h[1]) >= 0);
                e->data[e->len++] = (uint8_t)(obd_hex_digit(h[0]) << 4 | obd_hex_digit(h[1]));
                h += 2;
            }
        } else {
            fail_msg("%s: unknown directive '%s'", path, key);
        }
    }
    fclose(f);
    if (strlen(source) < 8)
        fail_msg("%s: no '# source:' line saying where its bytes come from", path);
    if (echo[0])
        o.echo = echo;

    static obd_replies_t out;
    elm_reply_t r;
    int rc = elm_parse_reply(text, tl, &o, &r, &out);
    if (rc != OBD_OK || strcmp(elm_status_key(r.status), status) || out.count != nexp)
        fail_msg("%s: rc %d status %s (want %s), %zu messages (want %zu), bad %u", path, rc,
                 elm_status_key(r.status), status, out.count, nexp, r.bad_lines);
    for (size_t i = 0; i < nexp; i++) {
        if (out.r[i].addr != exp[i].addr || out.r[i].len != exp[i].len ||
            memcmp(obd_reply_data(&out, i), exp[i].data, exp[i].len))
            fail_msg("%s: message %zu from %X (%u bytes) differs from expected %X (%zu bytes)", path, i,
                     out.r[i].addr, out.r[i].len, exp[i].addr, exp[i].len);
    }
    assert_int_equal(r.searching, searching);
    assert_int_equal(r.bus_init, businit);
    assert_int_equal(r.echoed, echoed);
    if (bad >= 0 && (int)r.bad_lines != bad)
        fail_msg("%s: %u bad lines, want %d", path, r.bad_lines, bad);
    if (dups >= 0)
        assert_int_equal(r.dup_lines, dups);
    if (checked >= 0 && (int)r.checksummed != checked)
        fail_msg("%s: %u lines checksum-checked, want %d", path, r.checksummed, checked);
    if (badsum >= 0 && (int)r.bad_checksum != badsum)
        fail_msg("%s: %u lines failed their checksum, want %d", path, r.bad_checksum, badsum);
    if (headerless >= 0 && (int)r.headerless != headerless)
        fail_msg("%s: %u headerless lines, want %d", path, r.headerless, headerless);
    if (errcode >= 0 && (int)r.err_code != errcode)
        fail_msg("%s: error code %u, want %d", path, r.err_code, errcode);
    /* A fixture that claims no checksum failures must not have any. */
    if (badsum < 0 && r.bad_checksum)
        fail_msg("%s: %u lines failed their checksum (add 'badsum')", path, r.bad_checksum);

    info->outside = strncmp(source, OWN_SOURCE, strlen(OWN_SOURCE)) != 0;
    info->proto = (int)o.proto;
    info->headers = o.headers;
    reply_spacing(text, tl, info);
    for (size_t i = 1; i < out.count; i++)
        if (out.r[i].addr != out.r[0].addr)
            info->multi_ecu = true;
    /* multi-frame: a CAN message longer than one frame carries (7 bytes) */
    for (size_t i = 0; i < out.count; i++)
        if (o.fmt != ELM_FMT_LEGACY && out.r[i].len > 7)
            info->multi_frame = true;
    snprintf(info->status, sizeof info->status, "%s", elm_status_key(r.status));
}

static int dlg_filter(const struct dirent *d)
{
    size_t l = strlen(d->d_name);
    return l > 4 && !strcmp(d->d_name + l - 4, ".dlg");
}

static void test_recorded_dialogues(void **state)
{
    (void)state;
    struct dirent **list;
    int n = scandir(DLG_DIR, &list, dlg_filter, alphasort);
    assert_true(n >= 20); /* the recorded set must be there (run from the repo root) */
    static dlg_info_t info[256];
    assert_true(n <= 256);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", DLG_DIR, list[i]->d_name);
        memset(&info[i], 0, sizeof info[i]);
        run_dialogue(path, &info[i]);
        free(list[i]);
    }
    free(list);

    /* The fixtures from outside, and what they cover together. */
    int outside = 0, per_proto[OBD_PROTO_COUNT] = { 0 };
    bool h0 = false, h1 = false, s_on = false, s_off = false, ecus = false, mf = false;
    for (int i = 0; i < n; i++) {
        if (!info[i].outside)
            continue;
        outside++;
        if (info[i].proto >= 0 && info[i].proto < OBD_PROTO_COUNT)
            per_proto[info[i].proto]++;
        h0 |= !info[i].headers;
        h1 |= info[i].headers;
        s_on |= info[i].spaces_on;
        s_off |= info[i].spaces_off;
        ecus |= info[i].multi_ecu;
        mf |= info[i].multi_frame;
    }
    print_message("recorded dialogues: %d, from outside sources: %d\n", n, outside);
    if (outside < OUTSIDE_MIN)
        fail_msg("only %d fixtures from outside sources, want >= %d", outside, OUTSIDE_MIN);
    for (int p = 1; p <= 9; p++)
        if (!per_proto[p])
            fail_msg("no outside fixture for ELM protocol %d", p);
    if (!h0 || !h1 || !s_on || !s_off || !ecus || !mf)
        fail_msg("outside fixtures miss: %s%s%s%s%s%s", h0 ? "" : "ATH0 ", h1 ? "" : "ATH1 ", s_on ? "" : "ATS1 ",
                 s_off ? "" : "ATS0 ", ecus ? "" : "two-ECUs ", mf ? "" : "multi-frame");
    /* every error reply of the data sheet ("Error Messages and Alerts", "Bus Initiation") */
    static const char *const errors[] = {
        "no_data",      "unknown_command", "buffer_full", "bus_busy",      "bus_error", "can_error",
        "data_error",   "rx_error",        "fb_error",    "adapter_reset", "stopped",   "unable_to_connect",
        "can_fatal",    "low_power",       "bus_init_error",
    };
    for (size_t e = 0; e < sizeof errors / sizeof errors[0]; e++) {
        bool seen = false;
        for (int i = 0; i < n; i++)
            if (info[i].outside && !strcmp(info[i].status, errors[e]))
                seen = true;
        if (!seen)
            fail_msg("no outside fixture for the error reply '%s'", errors[e]);
    }
}

static void test_checksums(void **state)
{
    (void)state;
    /* CRC-8/SAE-J1850 check value over "123456789" is 0x4B. */
    assert_int_equal(elm_j1850_crc((const uint8_t *)"123456789", 9), 0x4B);
    /* ISO 9141 sum: 48+6B+10+41+0D+32 = 0x143 -> 0x43 */
    assert_int_equal(elm_iso_sum((const uint8_t *)"\x48\x6B\x10\x41\x0D\x32", 6), 0x43);
}

static void test_format_request(void **state)
{
    (void)state;
    char b[32];
    assert_int_equal(elm_format_request((const uint8_t *)"\x01\x0C\x0D", 3, 0, b, sizeof b), 6);
    assert_string_equal(b, "010C0D");
    /* expected-reply count: one hex digit appended */
    assert_int_equal(elm_format_request((const uint8_t *)"\x01\x00", 2, 1, b, sizeof b), 5);
    assert_string_equal(b, "01001");
    assert_int_equal(elm_format_request((const uint8_t *)"\x09\x02", 2, 12, b, sizeof b), 5);
    assert_string_equal(b, "0902C");
    assert_int_equal(elm_format_request((const uint8_t *)"\x01\x00", 2, 16, b, sizeof b), OBD_EINVAL);
    assert_int_equal(elm_format_request((const uint8_t *)"\x01\x00", 2, 1, b, 5), OBD_ENOSPC);
}

static void test_voltage(void **state)
{
    (void)state;
    double v;
    assert_int_equal(elm_parse_voltage("12.6V", &v), OBD_OK);
    assert_true(v > 12.59 && v < 12.61);
    assert_int_equal(elm_parse_voltage(" 14.1 V ", &v), OBD_OK);
    assert_true(v > 14.09 && v < 14.11);
    assert_int_equal(elm_parse_voltage("?", &v), OBD_EFORMAT);
    assert_int_equal(elm_parse_voltage("12.6X", &v), OBD_EFORMAT);
}

static void test_status_errors(void **state)
{
    (void)state;
    assert_int_equal(elm_status_error(ELM_NO_DATA), OBD_OK);
    assert_int_equal(elm_status_error(ELM_UNABLE_TO_CONNECT), OBD_ENOVEHICLE);
    assert_int_equal(elm_status_error(ELM_CAN_ERROR), OBD_EBUS);
    assert_int_equal(elm_status_error(ELM_BUFFER_FULL), OBD_EADAPTER);
    assert_int_equal(elm_status_error(ELM_UNKNOWN_CMD), OBD_EADAPTER);
    assert_int_equal(elm_fmt_for(OBD_PROTO_CAN29_250), ELM_FMT_CAN29);
    assert_int_equal(elm_fmt_for(OBD_PROTO_CAN11_500), ELM_FMT_CAN11);
    assert_int_equal(elm_fmt_for(OBD_PROTO_KWP_FAST), ELM_FMT_LEGACY);
}

static void test_overflow_is_reported(void **state)
{
    (void)state;
    /* 17 ECUs answering: one more than a reply set holds -> OBD_ENOSPC, the first 16 kept. */
    char text[1024];
    size_t tl = 0;
    for (int i = 0; i < 17; i++)
        tl += (size_t)snprintf(text + tl, sizeof text - tl, "%03X 02 41 00\r", 0x700 + i);
    static obd_replies_t out;
    elm_reply_t r;
    elm_parse_opts_t o = { .fmt = ELM_FMT_CAN11, .headers = true, .proto = OBD_PROTO_CAN11_500 };
    assert_int_equal(elm_parse_reply(text, tl, &o, &r, &out), OBD_ENOSPC);
    assert_int_equal(out.count, OBD_LINK_MAX_ECUS);
}

static int parse(const char *text, elm_fmt_t fmt, obd_proto_t proto, bool headers, elm_reply_t *r, obd_replies_t *out)
{
    elm_parse_opts_t o = { .fmt = fmt, .headers = headers, .proto = proto };
    return elm_parse_reply(text, strlen(text), &o, r, out);
}

/* Issue #18: say what was received. Checksum failures are a data error with counts. */
static void test_checksum_counts(void **state)
{
    (void)state;
    static obd_replies_t out;
    elm_reply_t r;
    /* ISO 9141: 48+6B+10+41+0D+32 = 0x143 -> 43 good; the same line with 44 and 00 bad */
    assert_int_equal(parse("48 6B 10 41 0D 32 44\r48 6B 18 41 0D 32 00\r", ELM_FMT_LEGACY, OBD_PROTO_ISO9141, true,
                           &r, &out),
                     OBD_OK);
    assert_int_equal(r.status, ELM_DATA_ERROR);
    assert_int_equal(r.checksummed, 2);
    assert_int_equal(r.bad_checksum, 2);
    assert_int_equal(r.headerless, 0);
    assert_int_equal(out.count, 0);
    /* one good line: the reply is OK, the failure still counted */
    assert_int_equal(parse("48 6B 10 41 0D 32 43\r48 6B 18 41 0D 32 00\r", ELM_FMT_LEGACY, OBD_PROTO_ISO9141, true,
                           &r, &out),
                     OBD_OK);
    assert_int_equal(r.status, ELM_OK);
    assert_int_equal(r.checksummed, 2);
    assert_int_equal(r.bad_checksum, 1);
    assert_int_equal(out.count, 1);
    /* garbage is still garbage, with no checksum counted */
    assert_int_equal(parse("HELLO\r", ELM_FMT_LEGACY, OBD_PROTO_ISO9141, true, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_GARBAGE);
    assert_int_equal(r.checksummed, 0);
}

/* Issue #18: data lines without the expected header are counted as such. */
static void test_headerless_counts(void **state)
{
    (void)state;
    static obd_replies_t out;
    elm_reply_t r;
    /* CAN 11-bit: "41 00 BE 3F A8 13" (12 digits) can never be header + frame */
    assert_int_equal(parse("41 00 BE 3F A8 13\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, true, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_GARBAGE);
    assert_int_equal(r.headerless, 1);
    /* CAN 29-bit: a first digit above 1 is not a 29-bit id (max 1FFFFFFF) */
    assert_int_equal(parse("41 00 BE 3F A8 13 00 00\r", ELM_FMT_CAN29, OBD_PROTO_CAN29_500, true, &r, &out), OBD_OK);
    assert_int_equal(r.headerless, 1);
    assert_int_equal(out.count, 0);
    /* legacy: short line, and a 6-byte line whose "checksum" fails: headerless, not bad checksum */
    assert_int_equal(parse("41 0D 32\r41 00 BE 3F A8 13\r", ELM_FMT_LEGACY, OBD_PROTO_J1850_VPW, true, &r, &out),
                     OBD_OK);
    assert_int_equal(r.status, ELM_GARBAGE);
    assert_int_equal(r.headerless, 2);
    assert_int_equal(r.bad_checksum, 0);
    /* a legacy header (second byte 6B) with a bad checksum is a checksum failure */
    assert_int_equal(parse("41 6B 10 41 00 00\r", ELM_FMT_LEGACY, OBD_PROTO_J1850_PWM, true, &r, &out), OBD_OK);
    assert_int_equal(r.headerless, 0);
    assert_int_equal(r.bad_checksum, 1);
    assert_int_equal(r.status, ELM_DATA_ERROR);
    /* headers really off: nothing is "headerless" */
    assert_int_equal(parse("41 00 BE 3F A8 13\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, false, &r, &out), OBD_OK);
    assert_int_equal(r.headerless, 0);
    assert_int_equal(out.count, 1);
}

/* Error replies of the data sheet that had no status of their own. */
static void test_datasheet_statuses(void **state)
{
    (void)state;
    static obd_replies_t out;
    elm_reply_t r;
    assert_int_equal(parse("ERR93\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, true, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_INTERNAL_ERROR);
    assert_int_equal(r.err_code, 93);
    assert_string_equal(elm_status_key(r.status), "internal_error");
    assert_int_equal(parse("ERR94\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, true, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_CAN_FATAL);
    assert_int_equal(r.err_code, 94);
    assert_int_equal(parse("!LP ALERT\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, true, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_LOW_POWER);
    assert_int_equal(parse("UNABLETOCONNECT\r", ELM_FMT_CAN11, OBD_PROTO_AUTO, true, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_UNABLE_TO_CONNECT);
    assert_int_equal(parse("7E8 03 41 0D 32 <RX ERROR\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, true, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_RX_ERROR);
    /* a good line beside a marked one: OK */
    assert_int_equal(parse("7E8 03 41 0D 32\r7E9 03 41 0D 33 <RX ERROR\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, true,
                           &r, &out),
                     OBD_OK);
    assert_int_equal(r.status, ELM_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(elm_status_error(ELM_RX_ERROR), OBD_EBUS);
    assert_int_equal(elm_status_error(ELM_CAN_FATAL), OBD_EBUS);
    assert_int_equal(elm_status_error(ELM_ADAPTER_RESET), OBD_ELINK);
    assert_int_equal(elm_status_error(ELM_INTERNAL_ERROR), OBD_EADAPTER);
    assert_string_equal(elm_status_key(ELM_ADAPTER_RESET), "adapter_reset");
    assert_string_equal(elm_status_key(ELM_STATUS_COUNT), "unknown");
}

/* Headers off: alike plain lines are separate answers; alike segments are repeats. */
static void test_headers_off_repeats(void **state)
{
    (void)state;
    static obd_replies_t out;
    elm_reply_t r;
    assert_int_equal(parse("7F 22 12\r7F 22 12\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, false, &r, &out), OBD_OK);
    assert_int_equal(out.count, 2);
    assert_int_equal(r.dup_lines, 0);
    assert_int_equal(parse("00A\r0:430401020113\r0:430401020113\r1:01230222000000\r", ELM_FMT_CAN11,
                           OBD_PROTO_CAN11_500, false, &r, &out),
                     OBD_OK);
    assert_int_equal(r.dup_lines, 1);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].len, 10);
    /* legacy, headers off: lines are joined into one message, so a repeat is still dropped */
    assert_int_equal(parse("41 0D 32\r41 0D 32\r", ELM_FMT_LEGACY, OBD_PROTO_ISO9141, false, &r, &out), OBD_OK);
    assert_int_equal(r.dup_lines, 1);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].len, 3);
    /* headers on: the exact repeat of a frame is still dropped */
    assert_int_equal(parse("7E8 03 41 0D 32\r7E8 03 41 0D 32\r", ELM_FMT_CAN11, OBD_PROTO_CAN11_500, true, &r, &out),
                     OBD_OK);
    assert_int_equal(r.dup_lines, 1);
    assert_int_equal(out.count, 1);
}

/* ATCAF0 with headers off: the PCI is shown and must be taken out (ISO-TP per line). */
static void test_caf0_frames(void **state)
{
    (void)state;
    static obd_replies_t out;
    elm_reply_t r;
    elm_parse_opts_t o = { .fmt = ELM_FMT_CAN11, .headers = false, .proto = OBD_PROTO_CAN11_500, .raw_pci = true };
    const char *t = "10 0B 49 04 01 41 42 43\r21 44 45 46 47 48 00 00\r";
    assert_int_equal(elm_parse_reply(t, strlen(t), &o, &r, &out), OBD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.r[0].len, 11);
    assert_memory_equal(obd_reply_data(&out, 0), "\x49\x04\x01" "ABCDEFGH", 11);
    /* a 9-byte line is no CAN frame */
    t = "02 50 C0 FF FF FF FF FF FF\r";
    assert_int_equal(elm_parse_reply(t, strlen(t), &o, &r, &out), OBD_OK);
    assert_int_equal(r.status, ELM_GARBAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recorded_dialogues), cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_format_request),     cmocka_unit_test(test_voltage),
        cmocka_unit_test(test_status_errors),      cmocka_unit_test(test_overflow_is_reported),
        cmocka_unit_test(test_checksum_counts),    cmocka_unit_test(test_headerless_counts),
        cmocka_unit_test(test_datasheet_statuses), cmocka_unit_test(test_headers_off_repeats),
        cmocka_unit_test(test_caf0_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
