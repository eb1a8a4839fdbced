/* Fuzz target: the text validation layer (every string from the DMS, the
 * CLI and the config goes through it). Checks its own promises: a repaired
 * text is valid UTF-8, a clip ends on a character boundary of a valid text,
 * a text that passes the check is valid and short enough. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[4096];
    if (size >= sizeof in)
        size = sizeof in - 1;
    memcpy(in, data, size);
    in[size] = 0;
    size_t at = 0;
    bool valid = obd_utf8_valid(in, size, &at);
    if (!valid && at >= size)
        abort();
    obd_text_err_t e = obd_text_check(in, size, 255, 1023);
    if (e == OBD_TEXT_OK && (!valid || memchr(in, 0, size) || size > 1023))
        abort();
    size_t n = strlen(in);
    char out[4096 * 3 + 1];
    obd_utf8_repair(in, out, sizeof out);
    if (!obd_utf8_valid(out, strlen(out), NULL))
        abort();
    char small[17];
    obd_utf8_repair(in, small, sizeof small);
    if (!obd_utf8_valid(small, strlen(small), NULL))
        abort();
    size_t k = obd_utf8_clip(in, n / 2);
    if (k > n / 2 || (valid && !obd_utf8_valid(in, k, NULL)))
        abort();
    (void)obd_utf8_chars(in);
    return 0;
}
