/*
 * utf8.h — one validation layer for text that comes from outside (the DMS,
 * the CLI, the config) and a repair for text already stored.
 *
 * Valid means RFC 3629 UTF-8: no overlong forms, no UTF-16 surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence. Lengths
 * are counted in characters (code points), as JSON Schema's maxLength does.
 * Pure: no allocation, no I/O; never reads past `n` bytes.
 */
#ifndef OBDGW_UTF8_H
#define OBDGW_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s[0..n) (1..4), or 0 when s does
 * not start with one. */
size_t obd_utf8_seq(const unsigned char *s, size_t n);
/* Whole buffer valid? *bad_at (may be NULL) gets the offset of the first
 * invalid byte. */
bool obd_utf8_valid(const void *s, size_t n, size_t *bad_at);
/* Characters in a valid string (invalid bytes count one each). */
size_t obd_utf8_chars(const char *s);

typedef enum {
    OBD_TEXT_OK = 0,
    OBD_TEXT_BAD_UTF8,    /* not valid UTF-8 */
    OBD_TEXT_CONTROL,     /* a C0 control (other than TAB) or DEL: NUL included */
    OBD_TEXT_TOO_LONG,    /* more than max_chars characters, or more than max_bytes bytes */
} obd_text_err_t;

/* Check one input string of n bytes (NULs inside count as controls):
 * valid UTF-8, no control characters, at most max_chars characters and,
 * when max_bytes is not 0, at most max_bytes bytes (what a fixed-size
 * buffer holds, terminator excluded). */
obd_text_err_t obd_text_check(const char *s, size_t n, size_t max_chars, size_t max_bytes);
/* English and Chinese reason for an obd_text_err_t. */
const char *obd_text_err_en(obd_text_err_t e);
const char *obd_text_err_zh(obd_text_err_t e);

/* Copy `in` to out (cap bytes, always terminated), replacing every invalid
 * byte with U+FFFD; a sequence is never cut when out is too small. Returns
 * how many bytes were replaced (0: the text was valid and fits). */
size_t obd_utf8_repair(const char *in, char *out, size_t cap);
/* Longest prefix of s (at most max bytes) that ends on a character
 * boundary. */
size_t obd_utf8_clip(const char *s, size_t max);

/* Text received from outside (an adapter's answer) made safe to print on a
 * terminal: n bytes of `in` copied to out (cap bytes, always terminated)
 * with every control character — C0 (TAB, CR, LF and ESC included), DEL,
 * C1 (U+0080..U+009F) — and every invalid UTF-8 byte written as \xNN
 * (lower-case hex, one per byte); valid text, Chinese included, is kept.
 * Never cuts a character or an escape; stops at what fits. Returns how
 * many input bytes were escaped. */
size_t obd_text_escape(const char *in, size_t n, char *out, size_t cap);

/* Every key and string value of a cJSON tree (root and its siblings and
 * children) repaired in place with obd_utf8_repair; returns how many were
 * changed (src/utf8_json.c, the one function here that allocates). */
struct cJSON;
size_t obd_json_repair_utf8(struct cJSON *root);

#endif
