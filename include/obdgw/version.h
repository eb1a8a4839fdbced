/*
 * version.h — the release version, from one place: hw/VERSION, passed in
 * by the Makefile (and debian/rules) with the git commit of the tree it
 * was built from, when it was built from git.
 */
#ifndef OBDGW_VERSION_H
#define OBDGW_VERSION_H

#include <stddef.h>

/* "0.9.0"; "unknown" when built without the Makefile. */
const char *obd_version(void);
/* Short commit id ("3f2a9c1b0d4e", "-dirty" when the tree had changes), or
 * "" when not built from git. */
const char *obd_version_commit(void);
/* "PROG 0.9.0 (git 3f2a9c1b0d4e)" or "PROG 0.9.0" in out (always terminated). */
char *obd_version_line(const char *prog, char *out, size_t cap);

#endif
