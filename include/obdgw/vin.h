/*
 * vin.h — Vehicle Identification Numbers (ISO 3779 / ISO 3780, 49 CFR 565,
 * GB 16735).
 *
 * Any 17-character VIN of the allowed alphabet is accepted; the check digit
 * (position 9) is verified and reported, never used to reject — it is
 * mandatory in North America and China (GB 16735), optional elsewhere.
 *
 * What is decoded, and how far it can be trusted:
 *   - manufacturer: from the WMI (positions 1-3) through a table of the makers
 *     a workshop meets (src/vin_wmi.c). Exact three-character match only; a
 *     WMI not in the table gives NULL, never a guess. Small makers whose WMI
 *     ends in '9' (the rest of their code is in positions 12-14) are not told
 *     apart.
 *   - country / region: from the first two characters by the ISO 3780 / SAE
 *     ranges. The country is NULL for a pair no country holds (or that we
 *     could not confirm); the region (continent) is the country's, else the
 *     zone of the first character (A-H Africa, J-R Asia, S-Z Europe, 1-5
 *     North America, 6-7 Oceania, 8-9 South America; NULL for '0').
 *   - model year: position 10 (A=1980/2010 ... Y=2000/2030, 1=2001/2031 ...
 *     9=2009/2039; I, O, Q, U, Z and 0 are not year codes -> 0). A letter or
 *     digit names a year in two 30-year cycles. The choice:
 *       * VIN made in North America (first character 1-5, or 7F-70, the later
 *         US allocation): 49 CFR 565.15 —
 *         position 7 numeric => the earlier cycle (1980-2009), a letter =>
 *         the later one (2010-2039). The rule binds passenger cars, MPVs and
 *         trucks up to 10,000 lb GVWR; for others it is a good guess.
 *       * elsewhere: the latest candidate not after OBD_VIN_YEAR_PIVOT (a
 *         fixed year, so decoding stays pure and repeatable).
 *     model_year is the choice, model_year_alt the other candidate.
 *
 * Pure: no I/O, no allocation; every returned string is static.
 */
#ifndef OBDGW_VIN_H
#define OBDGW_VIN_H

#include "obdgw/base.h"

#define OBD_VIN_LEN 17

/* Latest model year a non-North-American VIN is read as (see above). */
#define OBD_VIN_YEAR_PIVOT 2027

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
    const char *manufacturer;    /* English name; NULL when the WMI is not in our table */
    const char *manufacturer_zh; /* Chinese name; NULL when the WMI is not in our table */
    const char *country_en, *country_zh; /* from the first two characters; NULL when unassigned */
    const char *region_en, *region_zh;   /* continent from the first character; NULL for '0' */
    int model_year;           /* from position 10; 0 when not decodable */
    int model_year_alt;       /* the other 30-year cycle candidate (e.g. 1990 vs 2020), 0 if none */
} obd_vin_info_t;

/* Check the VIN's form (17 chars, A-Z 0-9 without I, O, Q) and decode it.
 * OBD_EFORMAT when not a VIN (also NULL). OBD_EINVAL when out is NULL.
 * Lower case is accepted and upper-cased in out->vin. */
int obd_vin_decode(const char *vin, obd_vin_info_t *out);

/* The ISO 3779 / 49 CFR 565 check character for a 17-char VIN ('0'-'9' or 'X'),
 * or 0 when the VIN is not 17 characters of the alphabet (lower case accepted). */
char obd_vin_check_char(const char *vin);

/* The maker's name in that language, or NULL when the WMI is unknown. */
const char *obd_vin_manufacturer(const obd_vin_info_t *v, obd_lang_t lang);

/* One row of the WMI table. */
typedef struct {
    char wmi[4];      /* three characters, upper case */
    const char *en;   /* maker as a workshop knows it, e.g. "FAW-Volkswagen" */
    const char *zh;   /* e.g. "一汽-大众" */
} obd_vin_wmi_t;

/* Exact lookup of a three-character WMI (upper case; only the first three
 * characters are read). NULL when unknown or wmi is NULL. */
const obd_vin_wmi_t *obd_vin_wmi_find(const char *wmi);

/* The whole table, sorted by WMI (byte order), for listing and tests. */
const obd_vin_wmi_t *obd_vin_wmi_table(size_t *count);

#endif
