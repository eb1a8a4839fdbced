/* Fuzz target: one line of a DTC source or OEM pack (untrusted files). */
#include <stdint.h>
#include <string.h>

#include "obdgw/dtcdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char line[2048];
    if (size >= sizeof line)
        size = sizeof line - 1;
    memcpy(line, data, size);
    line[size] = 0;
    dtcdb_row_t row;
    const char *why;
    if (dtcdb_parse_line(line, &row, &why) == 1) {
        volatile size_t sink = strlen(row.en) + strlen(row.zh) + strlen(row.system);
        (void)sink;
    }
    return 0;
}
