/* The text validation layer (src/utf8.c, src/utf8_json.c). Byte ranges:
 * RFC 3629 section 4; the "malformed" cases are the classic ones (overlong
 * forms, surrogates, above U+10FFFF, truncated, stray bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "obdgw/utf8.h"

static void test_valid_and_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
        size_t bad_at;
    } c[] = {
        { "RO-1001", true, 0 },
        { "\xC3\xA9", true, 0 },                    /* é */
        { "\xE5\x8F\x91\xE5\x8A\xA8\xE6\x9C\xBA", true, 0 }, /* 发动机 */
        { "\xF0\x9F\x9A\x97", true, 0 },            /* U+1F697 */
        { "\xF4\x8F\xBF\xBF", true, 0 },            /* U+10FFFF, the last */
        { "RO-\xFF\xFE", false, 3 },                /* the FF FE */
        { "\xC0\x80", false, 0 },                   /* overlong NUL */
        { "\xC1\xBF", false, 0 },                   /* overlong */
        { "\xE0\x80\xAF", false, 0 },               /* overlong '/' */
        { "\xED\xA0\x80", false, 0 },               /* U+D800, a surrogate */
        { "\xF4\x90\x80\x80", false, 0 },           /* above U+10FFFF */
        { "ab\xE6\x97", false, 2 },                 /* truncated */
        { "\x80", false, 0 },                       /* stray continuation */
        { "\xF5\x80\x80\x80", false, 0 },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        size_t at = 99;
        assert_int_equal(obd_utf8_valid(c[i].s, strlen(c[i].s), &at), c[i].ok);
        if (!c[i].ok)
            assert_int_equal(at, c[i].bad_at);
    }
}

static void test_text_check(void **state)
{
    (void)state;
    const char *zh = "\xE5\x8F\x91"; /* 发: 3 bytes, 1 character */
    char buf[1024] = "";
    for (int i = 0; i < 255; i++)
        strcat(buf, zh);
    /* 255 characters (765 bytes): within maxLength 255 characters */
    assert_int_equal(obd_text_check(buf, strlen(buf), 255, 1023), OBD_TEXT_OK);
    assert_int_equal(obd_utf8_chars(buf), 255);
    strcat(buf, zh);
    assert_int_equal(obd_text_check(buf, strlen(buf), 255, 1023), OBD_TEXT_TOO_LONG);
    /* a byte limit too (a fixed field): 8 characters of 3 bytes do not fit 23 bytes */
    assert_int_equal(obd_text_check(buf, 24, 23, 23), OBD_TEXT_TOO_LONG);
    assert_int_equal(obd_text_check("RO-10\0HIDDEN", 12, 31, 31), OBD_TEXT_CONTROL);
    assert_int_equal(obd_text_check("a\x1b[2J", 5, 31, 31), OBD_TEXT_CONTROL);
    assert_int_equal(obd_text_check("del\x7f", 4, 31, 31), OBD_TEXT_CONTROL);
    assert_int_equal(obd_text_check("tab\tok", 6, 31, 31), OBD_TEXT_OK);
    assert_int_equal(obd_text_check("\xFF", 1, 31, 31), OBD_TEXT_BAD_UTF8);
    assert_string_equal(obd_text_err_en(OBD_TEXT_BAD_UTF8), "is not valid UTF-8");
    assert_true(strlen(obd_text_err_zh(OBD_TEXT_CONTROL)) > 0);
}

static void test_repair_and_clip(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(obd_utf8_repair("RO-\xFF\xFE", out, sizeof out), 2);
    assert_string_equal(out, "RO-\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_true(obd_utf8_valid(out, strlen(out), NULL));
    assert_int_equal(obd_utf8_repair("fine \xE5\x8F\x91", out, sizeof out), 0);
    assert_string_equal(out, "fine \xE5\x8F\x91");
    /* too small: never cut inside a character, and said */
    char tiny[5];
    assert_true(obd_utf8_repair("ab\xE5\x8F\x91", tiny, sizeof tiny) > 0);
    assert_string_equal(tiny, "ab");
    /* clip: the old 255-byte cut of 97 Chinese characters ended inside one */
    char zh[400] = "";
    for (int i = 0; i < 97; i++)
        strcat(zh, "\xE5\x8F\x91");
    assert_int_equal(obd_utf8_clip(zh, 255), 255); /* 85 whole characters */
    assert_int_equal(obd_utf8_clip(zh, 254), 252);
    assert_int_equal(obd_utf8_clip("abc", 10), 3);
}

static void test_json_repair(void **state)
{
    (void)state;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ro", "RO-OLD\xFF\xFE");
    cJSON_AddStringToObject(o, "complaint", "ok");
    cJSON *a = cJSON_AddArrayToObject(o, "list");
    cJSON_AddItemToArray(a, cJSON_CreateString("x\xC3"));
    assert_int_equal(obd_json_repair_utf8(o), 2);
    char *s = cJSON_PrintUnformatted(o);
    assert_true(obd_utf8_valid(s, strlen(s), NULL));
    assert_non_null(strstr(s, "RO-OLD\xEF\xBF\xBD\xEF\xBF\xBD"));
    assert_int_equal(obd_json_repair_utf8(o), 0); /* nothing left to repair */
    free(s);
    cJSON_Delete(o);
}

/* Adapter text quoted in an error message (issue 15 item 6): nothing a
 * terminal obeys gets through, text stays readable. */
static void test_escape(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t n;
        const char *out;
        size_t escaped;
    } c[] = {
        { "ELM327 v1.5", 11, "ELM327 v1.5", 0 },
        { "\x1b[2J\x1b]0;pwned\x07" "ELM", 17, "\\x1b[2J\\x1b]0;pwned\\x07ELM", 3 },
        { "OK\r\n>", 5, "OK\\x0d\\x0a>", 2 },
        { "a\tb\x7f", 4, "a\\x09b\\x7f", 2 },
        { "\xc2\x9b" "31m", 5, "\\xc2\\x9b31m", 2 },           /* C1 CSI */
        { "\xe5\x8f\x91\xc2\xa0", 5, "\xe5\x8f\x91\xc2\xa0", 0 }, /* 发 + NBSP kept */
        { "\xff\xfe" "A", 3, "\\xff\\xfeA", 2 },                /* invalid bytes */
        { "a\0b", 3, "a\\x00b", 1 },                           /* NUL inside n */
    };
    char out[64];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        assert_int_equal(obd_text_escape(c[i].in, c[i].n, out, sizeof out), c[i].escaped);
        assert_string_equal(out, c[i].out);
        for (const char *p = out; *p; p++)
            assert_true((unsigned char)*p >= 0x20 && *p != 0x7F);
    }
    /* never cuts an escape or a character: what fits, terminated */
    char small[7];
    obd_text_escape("ab\x1b\x1b", 4, small, sizeof small);
    assert_string_equal(small, "ab\\x1b");
    obd_text_escape("a\xe5\x8f\x91\xe5\x8f\x91", 7, small, sizeof small);
    assert_string_equal(small, "a\xe5\x8f\x91");
    obd_text_escape("xyz", 3, small, 1);
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_invalid),
        cmocka_unit_test(test_text_check),
        cmocka_unit_test(test_repair_and_clip),
        cmocka_unit_test(test_json_repair),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
