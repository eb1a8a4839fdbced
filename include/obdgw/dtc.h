/*
 * dtc.h — diagnostic trouble codes as the vehicle sends them.
 *
 * SAE J2012 two-byte DTCs ("P0301") and ISO 14229 / J2012 three-byte UDS DTCs
 * (two J2012 bytes + a failure-type byte) with their 8 status bits. Pure: no
 * I/O, no allocation. Descriptions live in the DTC database (dtcdb.h).
 */
#ifndef OBDGW_DTC_H
#define OBDGW_DTC_H

#include "obdgw/base.h"

/* Two-byte J2012 DTC: bits 15-14 letter (P,C,B,U), 13-12 first digit 0-3,
 * then three hex digits. */
typedef uint16_t obd_dtc_t;

#define OBD_DTC_TEXT_LEN 6 /* "P0301" + NUL */

/* raw -> "P0301". Always succeeds; out must hold OBD_DTC_TEXT_LEN bytes. */
void obd_dtc_format(obd_dtc_t raw, char out[OBD_DTC_TEXT_LEN]);

/* "P0301" (case-insensitive, exactly 5 chars) -> raw. OBD_EFORMAT when not a DTC. */
int obd_dtc_parse(const char *s, obd_dtc_t *raw);

/* 'P', 'C', 'B' or 'U'. */
char obd_dtc_letter(obd_dtc_t raw);

typedef enum {
    OBD_DTC_CAT_POWERTRAIN = 0, /* P */
    OBD_DTC_CAT_CHASSIS = 1,    /* C */
    OBD_DTC_CAT_BODY = 2,       /* B */
    OBD_DTC_CAT_NETWORK = 3,    /* U */
} obd_dtc_cat_t;

static inline obd_dtc_cat_t obd_dtc_category(obd_dtc_t raw) { return (obd_dtc_cat_t)(raw >> 14); }
const char *obd_dtc_category_name(obd_dtc_cat_t cat, obd_lang_t lang);

typedef enum {
    OBD_DTC_GENERIC = 0,      /* SAE-defined: P0, P2, P34-P39, C0, B0, U0 */
    OBD_DTC_MANUFACTURER = 1, /* P1, P30-P33, C1/C2, B1/B2, U1/U2 */
    OBD_DTC_RESERVED = 2,     /* C3, B3, U3 */
} obd_dtc_scope_t;

obd_dtc_scope_t obd_dtc_scope(obd_dtc_t raw);
const char *obd_dtc_scope_name(obd_dtc_scope_t s, obd_lang_t lang);

/* ---- Three-byte UDS DTCs (ISO 14229-1 DTCFormatIdentifier 0x01 / J2012-DA) ---- */

typedef struct {
    uint32_t code;  /* 24 bits: J2012 bytes (high 16) + failure type byte (low 8) */
    uint8_t status; /* ISO 14229-1 DTC status byte */
} uds_dtc_t;

static inline obd_dtc_t uds_dtc_base(uint32_t code24) { return (obd_dtc_t)(code24 >> 8); }
static inline uint8_t uds_dtc_ftb(uint32_t code24) { return (uint8_t)code24; }

#define UDS_DTC_TEXT_LEN 9 /* "P0301-13" + NUL */
/* 0x030113 -> "P0301-13" (failure type as two hex digits). */
void uds_dtc_format(uint32_t code24, char out[UDS_DTC_TEXT_LEN]);
/* "P0301-13", "P030113" or "P0301" (failure type 00) -> code24. */
int uds_dtc_parse(const char *s, uint32_t *code24);

/* Failure-type byte (J2012 / ISO 15031-6 Annex) name, or NULL when the value
 * has no defined name. */
const char *uds_ftb_name(uint8_t ftb, obd_lang_t lang);

/* DTC status bits (ISO 14229-1 D.2). */
enum {
    UDS_ST_TEST_FAILED = 0x01,
    UDS_ST_TEST_FAILED_THIS_OP_CYCLE = 0x02,
    UDS_ST_PENDING = 0x04,
    UDS_ST_CONFIRMED = 0x08,
    UDS_ST_NOT_COMPLETED_SINCE_CLEAR = 0x10,
    UDS_ST_FAILED_SINCE_CLEAR = 0x20,
    UDS_ST_NOT_COMPLETED_THIS_OP_CYCLE = 0x40,
    UDS_ST_WARNING_INDICATOR = 0x80,
};
/* Name of one status bit (0..7), machine form ("confirmed") or display form. */
const char *uds_status_bit_key(int bit);
const char *uds_status_bit_name(int bit, obd_lang_t lang);

#endif
