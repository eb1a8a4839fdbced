/*
 * vin.h — Vehicle Identification Numbers (ISO 3779 / ISO 3780, 49 CFR 565).
 *
 * Any 17-character VIN of the allowed alphabet is accepted; the check digit
 * (position 9) is verified and reported, never used to reject — it is
 * mandatory in North America and China (GB 16735), optional elsewhere.
 */
#ifndef OBDGW_VIN_H
#define OBDGW_VIN_H

#include "obdgw/base.h"

#define OBD_VIN_LEN 17

typedef enum {
    OBD_VIN_CHECK_OK = 0,        /* position 9 matches the computed digit */
    OBD_VIN_CHECK_MISMATCH = 1,  /* position 9 is a digit/X but does not match */
    OBD_VIN_CHECK_NOT_USED = 2,  /* position 9 is not a check character (e.g. EU VIN) */
} obd_vin_check_t;

typedef struct {
    char vin[OBD_VIN_LEN + 1];
    obd_vin_check_t check;
    char expected_check;      /* the computed check character */
    char wmi[4];
    const char *manufacturer; /* NULL when the WMI is not in our table */
    const char *country_en, *country_zh; /* from the first two characters; NULL when unassigned */
    const char *region_en, *region_zh;
    int model_year;           /* from position 10; 0 when not decodable */
    int model_year_alt;       /* the other 30-year cycle candidate (e.g. 1990 vs 2020), 0 if none */
} obd_vin_info_t;

/* Check the VIN's form (17 chars, A-Z 0-9 without I, O, Q) and decode it.
 * OBD_EFORMAT when not a VIN. Lower case is accepted and upper-cased. */
int obd_vin_decode(const char *vin, obd_vin_info_t *out);

/* The ISO 3779 / 49 CFR 565 check character for a 17-char VIN ('0'-'9' or 'X'),
 * or 0 when the VIN has characters outside the alphabet. */
char obd_vin_check_char(const char *vin);

#endif
