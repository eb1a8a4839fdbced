/*
 * report_priv.h — what the files of the report code share and nobody else
 * uses: the block document builders of report.c, the next-step list, and the
 * OBD scan sections of report_obd.c.
 */
#ifndef OBDGW_REPORT_PRIV_H
#define OBDGW_REPORT_PRIV_H

#include "obdgw/report.h"

/* report.c: the block document and the model */
report_block_t *report__blk(report_doc_t *d, report_block_kind_t kind, int style, const char *text,
                            const char *text2);
report_block_t *report__table(report_doc_t *d, report_block_kind_t kind, size_t ncols);
void report__row(report_block_t *b, int style, ...); /* b->ncols cells (const char *) */
/* One next step of `key` (one per code and key when with_code); NULL when full or already there. */
report_step_t *report__add_step(report_t *r, const char *key, obd_dtc_t code, bool with_code);
const char *report__scan_wmi(const obd_scan_t *s, char wmi[4]);
void report__dtc_desc(const report_t *r, obd_dtc_t code, const char *wmi, char *desc, size_t dcap, char *sys,
                      size_t scap);

/* report_obd.c: how the shown OBD scan answered */
/* The ECU table: per ECU whether it answered, each DTC list's count or what
 * became of the read (no answer / unreadable / not supported / refused,
 * never "0" for a list that was not read), MIL, and how it answered each
 * service; then the deviations and unreadable bytes named. */
void report__doc_ecus(const report_t *r, report_doc_t *d, const report_scan_t *ps);
/* The DTC table, or "no DTCs" only when every answering ECU's lists were read. */
void report__doc_dtcs(const report_t *r, report_doc_t *d, const report_scan_t *ps);
/* Vehicle rows under the VIN: where it came from, a failing check digit. */
void report__vin_rows(const report_t *r, report_block_t *kv, const report_scan_t *ps, const char *vin);
/* The scans table's count of one DTC kind: "2", or "2 (1 not read)" when
 * lists of answering ECUs got no answer or an unreadable reply. */
void report__kind_count(const report_t *r, const obd_scan_t *s, int kind, char *out, size_t cap);
/* Next step "dtc_unread" per ECU whose DTC list got no answer or an unreadable reply. */
void report__dtc_read_steps(report_t *r, const obd_scan_t *s);

#endif
