/* dtcdb-build OUT.db SOURCE.tsv... — compile the DTC text sources (build step). */
#include <stdio.h>

#include "obdgw/dtcdb.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUT.db SOURCE.tsv...\n", argv[0]);
        return 2;
    }
    int rc = dtcdb_build(argv[1], (const char *const *)argv + 2, (size_t)argc - 2, stderr);
    if (rc) {
        fprintf(stderr, "dtcdb-build: %s\n", obd_strerror(rc));
        return 1;
    }
    return 0;
}
