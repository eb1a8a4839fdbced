/* version.c — what `obdgw --version` and `obdgwd --version` print. The
 * Makefile defines OBDGW_VERSION (hw/VERSION) and OBDGW_COMMIT for this
 * file only, so a new commit recompiles one object. */
#include <stdio.h>

#include "obdgw/version.h"

#ifndef OBDGW_VERSION
#define OBDGW_VERSION "unknown"
#endif
#ifndef OBDGW_COMMIT
#define OBDGW_COMMIT ""
#endif

const char *obd_version(void)
{
    return OBDGW_VERSION;
}

const char *obd_version_commit(void)
{
    return OBDGW_COMMIT;
}

char *obd_version_line(const char *prog, char *out, size_t cap)
{
    if (!cap)
        return out;
    if (OBDGW_COMMIT[0])
        snprintf(out, cap, "%s %s (git %s)", prog, OBDGW_VERSION, OBDGW_COMMIT);
    else
        snprintf(out, cap, "%s %s", prog, OBDGW_VERSION);
    return out;
}
