/*
 * store_hist_priv.h — what store_history.c and store_vehicle.c share.
 */
#ifndef OBDGW_STORE_HIST_PRIV_H
#define OBDGW_STORE_HIST_PRIV_H

#include "store_priv.h"

/* A statement prepared for this call only (finalize it), or NULL with the error set. */
sqlite3_stmt *store__hprep(store_t *st, const char *sql);
/* Step once (expecting DONE) and finalize. */
int store__hstep_done(store_t *st, sqlite3_stmt *s, const char *what);

#endif
