/*
 * PID table and decoder (src/obd_pid_table.c, src/obd_pid.c).
 *
 * The big table below decodes EVERY PID of the table at its minimum raw
 * data, its maximum raw data (all 0xFF) and a typical reply. The expected
 * physical values are literals worked out from the formulas of SAE J1979
 * (e.g. $0C 1A F8 -> (256*26+248)/4 = 1726 rpm) independently of the
 * table's scale/offset numbers (with a separate calculator written from the
 * standard's formulas, never with this decoder, and spot-checked by hand),
 * so a wrong scale, offset, byte position,
 * support bit or "not available" rule in the table fails here. For PIDs with
 * a "supported" byte A the minimum case sets exactly the defined support bits
 * (all fields present at raw 0); the all-0xFF case also exercises the
 * all-ones "not available" rule. NA marks an unavailable field.
 *
 * Then: table invariants (lengths, names in both languages, unique keys,
 * sort order, physical ranges), support-bit and n/a paths, errors, lookup,
 * obd_pid_find aliases and numbers, obd_value_format in English and Chinese,
 * and a multi-PID reply split by obd_parse_pid_reply then decoded.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/obd.h"
#include "obdgw/pid.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NA NAN

typedef struct {
    const char *key;
    double value; /* NA: field must decode as unavailable */
} exp_field_t;

typedef struct {
    uint8_t pid;
    const char *what; /* "min", "max", "typ" */
    uint8_t len;
    uint8_t data[41];
    uint8_t nfields;
    exp_field_t f[12];
} pid_case_t;

static const pid_case_t cases[] = {
    { 0x00, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "supported", 0 } } },
    { 0x00, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "supported", 4294967295 } } },
    { 0x00, "typ", 4, { 0xBE, 0x1F, 0xA8, 0x13 }, 1, { { "supported", 3189745683 } } },
    { 0x01, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 3, { { "mil", 0 }, { "dtc_count", 0 }, { "compression", 0 } } },
    { 0x01, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 3, { { "mil", 1 }, { "dtc_count", 127 }, { "compression", 1 } } },
    { 0x01, "typ", 4, { 0x81, 0x07, 0x65, 0x04 }, 3, { { "mil", 1 }, { "dtc_count", 1 }, { "compression", 0 } } },
    { 0x02, "min", 2, { 0x00, 0x00 }, 1, { { "dtc", NA } } },
    { 0x02, "max", 2, { 0xFF, 0xFF }, 1, { { "dtc", 65535 } } },
    { 0x02, "typ", 2, { 0x01, 0x33 }, 1, { { "dtc", 307 } } },
    { 0x03, "min", 2, { 0x00, 0x00 }, 2, { { "fuel_system_1", 0 }, { "fuel_system_2", 0 } } },
    { 0x03, "max", 2, { 0xFF, 0xFF }, 2, { { "fuel_system_1", 255 }, { "fuel_system_2", 255 } } },
    { 0x03, "typ", 2, { 0x02, 0x00 }, 2, { { "fuel_system_1", 2 }, { "fuel_system_2", 0 } } },
    { 0x04, "min", 1, { 0x00 }, 1, { { "engine_load", 0 } } },
    { 0x04, "max", 1, { 0xFF }, 1, { { "engine_load", 100 } } },
    { 0x04, "typ", 1, { 0x80 }, 1, { { "engine_load", 50.19607843 } } },
    { 0x05, "min", 1, { 0x00 }, 1, { { "coolant_temp", -40 } } },
    { 0x05, "max", 1, { 0xFF }, 1, { { "coolant_temp", 215 } } },
    { 0x05, "typ", 1, { 0x7B }, 1, { { "coolant_temp", 83 } } },
    { 0x06, "min", 1, { 0x00 }, 1, { { "trim", -100 } } },
    { 0x06, "max", 1, { 0xFF }, 1, { { "trim", 99.21875 } } },
    { 0x06, "typ", 1, { 0x85 }, 1, { { "trim", 3.90625 } } },
    { 0x07, "min", 1, { 0x00 }, 1, { { "trim", -100 } } },
    { 0x07, "max", 1, { 0xFF }, 1, { { "trim", 99.21875 } } },
    { 0x07, "typ", 1, { 0x85 }, 1, { { "trim", 3.90625 } } },
    { 0x08, "min", 1, { 0x00 }, 1, { { "trim", -100 } } },
    { 0x08, "max", 1, { 0xFF }, 1, { { "trim", 99.21875 } } },
    { 0x08, "typ", 1, { 0x85 }, 1, { { "trim", 3.90625 } } },
    { 0x09, "min", 1, { 0x00 }, 1, { { "trim", -100 } } },
    { 0x09, "max", 1, { 0xFF }, 1, { { "trim", 99.21875 } } },
    { 0x09, "typ", 1, { 0x85 }, 1, { { "trim", 3.90625 } } },
    { 0x0A, "min", 1, { 0x00 }, 1, { { "fuel_pressure", 0 } } },
    { 0x0A, "max", 1, { 0xFF }, 1, { { "fuel_pressure", 765 } } },
    { 0x0A, "typ", 1, { 0x64 }, 1, { { "fuel_pressure", 300 } } },
    { 0x0B, "min", 1, { 0x00 }, 1, { { "map", 0 } } },
    { 0x0B, "max", 1, { 0xFF }, 1, { { "map", 255 } } },
    { 0x0B, "typ", 1, { 0x21 }, 1, { { "map", 33 } } },
    { 0x0C, "min", 2, { 0x00, 0x00 }, 1, { { "rpm", 0 } } },
    { 0x0C, "max", 2, { 0xFF, 0xFF }, 1, { { "rpm", 16383.75 } } },
    { 0x0C, "typ", 2, { 0x1A, 0xF8 }, 1, { { "rpm", 1726 } } },
    { 0x0D, "min", 1, { 0x00 }, 1, { { "speed", 0 } } },
    { 0x0D, "max", 1, { 0xFF }, 1, { { "speed", 255 } } },
    { 0x0D, "typ", 1, { 0x32 }, 1, { { "speed", 50 } } },
    { 0x0E, "min", 1, { 0x00 }, 1, { { "timing_advance", -64 } } },
    { 0x0E, "max", 1, { 0xFF }, 1, { { "timing_advance", 63.5 } } },
    { 0x0E, "typ", 1, { 0x8F }, 1, { { "timing_advance", 7.5 } } },
    { 0x0F, "min", 1, { 0x00 }, 1, { { "iat", -40 } } },
    { 0x0F, "max", 1, { 0xFF }, 1, { { "iat", 215 } } },
    { 0x0F, "typ", 1, { 0x46 }, 1, { { "iat", 30 } } },
    { 0x10, "min", 2, { 0x00, 0x00 }, 1, { { "maf", 0 } } },
    { 0x10, "max", 2, { 0xFF, 0xFF }, 1, { { "maf", 655.35 } } },
    { 0x10, "typ", 2, { 0x01, 0xF4 }, 1, { { "maf", 5 } } },
    { 0x11, "min", 1, { 0x00 }, 1, { { "throttle", 0 } } },
    { 0x11, "max", 1, { 0xFF }, 1, { { "throttle", 100 } } },
    { 0x11, "typ", 1, { 0x26 }, 1, { { "throttle", 14.90196078 } } },
    { 0x12, "min", 1, { 0x00 }, 1, { { "secondary_air", 0 } } },
    { 0x12, "max", 1, { 0xFF }, 1, { { "secondary_air", 255 } } },
    { 0x12, "typ", 1, { 0x04 }, 1, { { "secondary_air", 4 } } },
    { 0x13, "min", 1, { 0x00 }, 8, { { "b1s1", 0 }, { "b1s2", 0 }, { "b1s3", 0 }, { "b1s4", 0 }, { "b2s1", 0 }, { "b2s2", 0 }, { "b2s3", 0 }, { "b2s4", 0 } } },
    { 0x13, "max", 1, { 0xFF }, 8, { { "b1s1", 1 }, { "b1s2", 1 }, { "b1s3", 1 }, { "b1s4", 1 }, { "b2s1", 1 }, { "b2s2", 1 }, { "b2s3", 1 }, { "b2s4", 1 } } },
    { 0x13, "typ", 1, { 0x33 }, 8, { { "b1s1", 1 }, { "b1s2", 1 }, { "b1s3", 0 }, { "b1s4", 0 }, { "b2s1", 1 }, { "b2s2", 1 }, { "b2s3", 0 }, { "b2s4", 0 } } },
    { 0x14, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x14, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x14, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x15, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x15, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x15, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x16, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x16, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x16, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x17, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x17, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x17, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x18, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x18, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x18, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x19, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x19, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x19, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x1A, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x1A, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x1A, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x1B, "min", 2, { 0x00, 0x00 }, 2, { { "voltage", 0 }, { "stft", -100 } } },
    { 0x1B, "max", 2, { 0xFF, 0xFF }, 2, { { "voltage", 1.275 }, { "stft", NA } } },
    { 0x1B, "typ", 2, { 0x8C, 0x7F }, 2, { { "voltage", 0.7 }, { "stft", -0.78125 } } },
    { 0x1C, "min", 1, { 0x00 }, 1, { { "obd_standard", 0 } } },
    { 0x1C, "max", 1, { 0xFF }, 1, { { "obd_standard", 255 } } },
    { 0x1C, "typ", 1, { 0x06 }, 1, { { "obd_standard", 6 } } },
    { 0x1D, "min", 1, { 0x00 }, 8, { { "b1s1", 0 }, { "b1s2", 0 }, { "b2s1", 0 }, { "b2s2", 0 }, { "b3s1", 0 }, { "b3s2", 0 }, { "b4s1", 0 }, { "b4s2", 0 } } },
    { 0x1D, "max", 1, { 0xFF }, 8, { { "b1s1", 1 }, { "b1s2", 1 }, { "b2s1", 1 }, { "b2s2", 1 }, { "b3s1", 1 }, { "b3s2", 1 }, { "b4s1", 1 }, { "b4s2", 1 } } },
    { 0x1D, "typ", 1, { 0x0F }, 8, { { "b1s1", 1 }, { "b1s2", 1 }, { "b2s1", 1 }, { "b2s2", 1 }, { "b3s1", 0 }, { "b3s2", 0 }, { "b4s1", 0 }, { "b4s2", 0 } } },
    { 0x1E, "min", 1, { 0x00 }, 1, { { "pto_active", 0 } } },
    { 0x1E, "max", 1, { 0xFF }, 1, { { "pto_active", 1 } } },
    { 0x1E, "typ", 1, { 0x01 }, 1, { { "pto_active", 1 } } },
    { 0x1F, "min", 2, { 0x00, 0x00 }, 1, { { "run_time", 0 } } },
    { 0x1F, "max", 2, { 0xFF, 0xFF }, 1, { { "run_time", 65535 } } },
    { 0x1F, "typ", 2, { 0x02, 0x58 }, 1, { { "run_time", 600 } } },
    { 0x20, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "supported", 0 } } },
    { 0x20, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "supported", 4294967295 } } },
    { 0x20, "typ", 4, { 0xBE, 0x1F, 0xA8, 0x13 }, 1, { { "supported", 3189745683 } } },
    { 0x21, "min", 2, { 0x00, 0x00 }, 1, { { "distance_mil", 0 } } },
    { 0x21, "max", 2, { 0xFF, 0xFF }, 1, { { "distance_mil", 65535 } } },
    { 0x21, "typ", 2, { 0x00, 0x7B }, 1, { { "distance_mil", 123 } } },
    { 0x22, "min", 2, { 0x00, 0x00 }, 1, { { "fuel_rail_pressure", 0 } } },
    { 0x22, "max", 2, { 0xFF, 0xFF }, 1, { { "fuel_rail_pressure", 5177.265 } } },
    { 0x22, "typ", 2, { 0x03, 0xE8 }, 1, { { "fuel_rail_pressure", 79 } } },
    { 0x23, "min", 2, { 0x00, 0x00 }, 1, { { "fuel_rail_gauge", 0 } } },
    { 0x23, "max", 2, { 0xFF, 0xFF }, 1, { { "fuel_rail_gauge", 655350 } } },
    { 0x23, "typ", 2, { 0x13, 0x88 }, 1, { { "fuel_rail_gauge", 50000 } } },
    { 0x24, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x24, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x24, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x25, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x25, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x25, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x26, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x26, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x26, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x27, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x27, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x27, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x28, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x28, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x28, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x29, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x29, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x29, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x2A, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x2A, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x2A, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x2B, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "voltage", 0 } } },
    { 0x2B, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "voltage", 7.99987793 } } },
    { 0x2B, "typ", 4, { 0x80, 0x00, 0x1C, 0xCD }, 2, { { "lambda", 1 }, { "voltage", 0.9000244141 } } },
    { 0x2C, "min", 1, { 0x00 }, 1, { { "egr_cmd", 0 } } },
    { 0x2C, "max", 1, { 0xFF }, 1, { { "egr_cmd", 100 } } },
    { 0x2C, "typ", 1, { 0x33 }, 1, { { "egr_cmd", 20 } } },
    { 0x2D, "min", 1, { 0x00 }, 1, { { "egr_error", -100 } } },
    { 0x2D, "max", 1, { 0xFF }, 1, { { "egr_error", 99.21875 } } },
    { 0x2D, "typ", 1, { 0x70 }, 1, { { "egr_error", -12.5 } } },
    { 0x2E, "min", 1, { 0x00 }, 1, { { "evap_purge", 0 } } },
    { 0x2E, "max", 1, { 0xFF }, 1, { { "evap_purge", 100 } } },
    { 0x2E, "typ", 1, { 0x1A }, 1, { { "evap_purge", 10.19607843 } } },
    { 0x2F, "min", 1, { 0x00 }, 1, { { "fuel_level", 0 } } },
    { 0x2F, "max", 1, { 0xFF }, 1, { { "fuel_level", 100 } } },
    { 0x2F, "typ", 1, { 0x80 }, 1, { { "fuel_level", 50.19607843 } } },
    { 0x30, "min", 1, { 0x00 }, 1, { { "warmups", 0 } } },
    { 0x30, "max", 1, { 0xFF }, 1, { { "warmups", 255 } } },
    { 0x30, "typ", 1, { 0x0C }, 1, { { "warmups", 12 } } },
    { 0x31, "min", 2, { 0x00, 0x00 }, 1, { { "distance", 0 } } },
    { 0x31, "max", 2, { 0xFF, 0xFF }, 1, { { "distance", 65535 } } },
    { 0x31, "typ", 2, { 0x04, 0xD2 }, 1, { { "distance", 1234 } } },
    { 0x32, "min", 2, { 0x00, 0x00 }, 1, { { "vapor_pressure", 0 } } },
    { 0x32, "max", 2, { 0xFF, 0xFF }, 1, { { "vapor_pressure", -0.25 } } },
    { 0x32, "typ", 2, { 0xFF, 0x38 }, 1, { { "vapor_pressure", -50 } } },
    { 0x33, "min", 1, { 0x00 }, 1, { { "baro", 0 } } },
    { 0x33, "max", 1, { 0xFF }, 1, { { "baro", 255 } } },
    { 0x33, "typ", 1, { 0x65 }, 1, { { "baro", 101 } } },
    { 0x34, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x34, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x34, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x35, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x35, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x35, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x36, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x36, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x36, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x37, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x37, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x37, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x38, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x38, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x38, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x39, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x39, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x39, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x3A, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x3A, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x3A, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x3B, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "lambda", 0 }, { "current", -128 } } },
    { 0x3B, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "lambda", 1.999969482 }, { "current", 127.9960938 } } },
    { 0x3B, "typ", 4, { 0x80, 0x00, 0x80, 0x40 }, 2, { { "lambda", 1 }, { "current", 0.25 } } },
    { 0x3C, "min", 2, { 0x00, 0x00 }, 1, { { "temperature", -40 } } },
    { 0x3C, "max", 2, { 0xFF, 0xFF }, 1, { { "temperature", 6513.5 } } },
    { 0x3C, "typ", 2, { 0x1D, 0x4C }, 1, { { "temperature", 710 } } },
    { 0x3D, "min", 2, { 0x00, 0x00 }, 1, { { "temperature", -40 } } },
    { 0x3D, "max", 2, { 0xFF, 0xFF }, 1, { { "temperature", 6513.5 } } },
    { 0x3D, "typ", 2, { 0x1D, 0x4C }, 1, { { "temperature", 710 } } },
    { 0x3E, "min", 2, { 0x00, 0x00 }, 1, { { "temperature", -40 } } },
    { 0x3E, "max", 2, { 0xFF, 0xFF }, 1, { { "temperature", 6513.5 } } },
    { 0x3E, "typ", 2, { 0x1D, 0x4C }, 1, { { "temperature", 710 } } },
    { 0x3F, "min", 2, { 0x00, 0x00 }, 1, { { "temperature", -40 } } },
    { 0x3F, "max", 2, { 0xFF, 0xFF }, 1, { { "temperature", 6513.5 } } },
    { 0x3F, "typ", 2, { 0x1D, 0x4C }, 1, { { "temperature", 710 } } },
    { 0x40, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "supported", 0 } } },
    { 0x40, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "supported", 4294967295 } } },
    { 0x40, "typ", 4, { 0xBE, 0x1F, 0xA8, 0x13 }, 1, { { "supported", 3189745683 } } },
    { 0x41, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "compression", 0 } } },
    { 0x41, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "compression", 1 } } },
    { 0x41, "typ", 4, { 0x00, 0x2F, 0xEB, 0x41 }, 1, { { "compression", 1 } } },
    { 0x42, "min", 2, { 0x00, 0x00 }, 1, { { "voltage", 0 } } },
    { 0x42, "max", 2, { 0xFF, 0xFF }, 1, { { "voltage", 65.535 } } },
    { 0x42, "typ", 2, { 0x36, 0xB0 }, 1, { { "voltage", 14 } } },
    { 0x43, "min", 2, { 0x00, 0x00 }, 1, { { "absolute_load", 0 } } },
    { 0x43, "max", 2, { 0xFF, 0xFF }, 1, { { "absolute_load", 25700 } } },
    { 0x43, "typ", 2, { 0x00, 0x66 }, 1, { { "absolute_load", 40 } } },
    { 0x44, "min", 2, { 0x00, 0x00 }, 1, { { "lambda", 0 } } },
    { 0x44, "max", 2, { 0xFF, 0xFF }, 1, { { "lambda", 1.999969482 } } },
    { 0x44, "typ", 2, { 0x80, 0x00 }, 1, { { "lambda", 1 } } },
    { 0x45, "min", 1, { 0x00 }, 1, { { "relative_throttle", 0 } } },
    { 0x45, "max", 1, { 0xFF }, 1, { { "relative_throttle", 100 } } },
    { 0x45, "typ", 1, { 0x40 }, 1, { { "relative_throttle", 25.09803922 } } },
    { 0x46, "min", 1, { 0x00 }, 1, { { "ambient_temp", -40 } } },
    { 0x46, "max", 1, { 0xFF }, 1, { { "ambient_temp", 215 } } },
    { 0x46, "typ", 1, { 0x3C }, 1, { { "ambient_temp", 20 } } },
    { 0x47, "min", 1, { 0x00 }, 1, { { "throttle_b", 0 } } },
    { 0x47, "max", 1, { 0xFF }, 1, { { "throttle_b", 100 } } },
    { 0x47, "typ", 1, { 0x40 }, 1, { { "throttle_b", 25.09803922 } } },
    { 0x48, "min", 1, { 0x00 }, 1, { { "throttle_c", 0 } } },
    { 0x48, "max", 1, { 0xFF }, 1, { { "throttle_c", 100 } } },
    { 0x48, "typ", 1, { 0x40 }, 1, { { "throttle_c", 25.09803922 } } },
    { 0x49, "min", 1, { 0x00 }, 1, { { "pedal_d", 0 } } },
    { 0x49, "max", 1, { 0xFF }, 1, { { "pedal_d", 100 } } },
    { 0x49, "typ", 1, { 0x40 }, 1, { { "pedal_d", 25.09803922 } } },
    { 0x4A, "min", 1, { 0x00 }, 1, { { "pedal_e", 0 } } },
    { 0x4A, "max", 1, { 0xFF }, 1, { { "pedal_e", 100 } } },
    { 0x4A, "typ", 1, { 0x40 }, 1, { { "pedal_e", 25.09803922 } } },
    { 0x4B, "min", 1, { 0x00 }, 1, { { "pedal_f", 0 } } },
    { 0x4B, "max", 1, { 0xFF }, 1, { { "pedal_f", 100 } } },
    { 0x4B, "typ", 1, { 0x40 }, 1, { { "pedal_f", 25.09803922 } } },
    { 0x4C, "min", 1, { 0x00 }, 1, { { "throttle_cmd", 0 } } },
    { 0x4C, "max", 1, { 0xFF }, 1, { { "throttle_cmd", 100 } } },
    { 0x4C, "typ", 1, { 0x40 }, 1, { { "throttle_cmd", 25.09803922 } } },
    { 0x4D, "min", 2, { 0x00, 0x00 }, 1, { { "time_mil", 0 } } },
    { 0x4D, "max", 2, { 0xFF, 0xFF }, 1, { { "time_mil", 65535 } } },
    { 0x4D, "typ", 2, { 0x00, 0x2D }, 1, { { "time_mil", 45 } } },
    { 0x4E, "min", 2, { 0x00, 0x00 }, 1, { { "time_since_clear", 0 } } },
    { 0x4E, "max", 2, { 0xFF, 0xFF }, 1, { { "time_since_clear", 65535 } } },
    { 0x4E, "typ", 2, { 0x01, 0x2C }, 1, { { "time_since_clear", 300 } } },
    { 0x4F, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 4, { { "lambda_max", 0 }, { "o2_voltage_max", 0 }, { "o2_current_max", 0 }, { "map_max", 0 } } },
    { 0x4F, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "lambda_max", 255 }, { "o2_voltage_max", 255 }, { "o2_current_max", 255 }, { "map_max", 2550 } } },
    { 0x4F, "typ", 4, { 0x02, 0x08, 0x80, 0x19 }, 4, { { "lambda_max", 2 }, { "o2_voltage_max", 8 }, { "o2_current_max", 128 }, { "map_max", 250 } } },
    { 0x50, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "maf_max", 0 } } },
    { 0x50, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "maf_max", 2550 } } },
    { 0x50, "typ", 4, { 0x32, 0x00, 0x00, 0x00 }, 1, { { "maf_max", 500 } } },
    { 0x51, "min", 1, { 0x00 }, 1, { { "fuel_type", 0 } } },
    { 0x51, "max", 1, { 0xFF }, 1, { { "fuel_type", 255 } } },
    { 0x51, "typ", 1, { 0x01 }, 1, { { "fuel_type", 1 } } },
    { 0x52, "min", 1, { 0x00 }, 1, { { "ethanol", 0 } } },
    { 0x52, "max", 1, { 0xFF }, 1, { { "ethanol", 100 } } },
    { 0x52, "typ", 1, { 0x40 }, 1, { { "ethanol", 25.09803922 } } },
    { 0x53, "min", 2, { 0x00, 0x00 }, 1, { { "vapor_pressure_abs", 0 } } },
    { 0x53, "max", 2, { 0xFF, 0xFF }, 1, { { "vapor_pressure_abs", 327.675 } } },
    { 0x53, "typ", 2, { 0x4E, 0x20 }, 1, { { "vapor_pressure_abs", 100 } } },
    { 0x54, "min", 2, { 0x00, 0x00 }, 1, { { "vapor_pressure", 0 } } },
    { 0x54, "max", 2, { 0xFF, 0xFF }, 1, { { "vapor_pressure", -1 } } },
    { 0x54, "typ", 2, { 0xFE, 0x0C }, 1, { { "vapor_pressure", -500 } } },
    { 0x55, "min", 2, { 0x00, 0x00 }, 2, { { "bank1", -100 }, { "bank3", -100 } } },
    { 0x55, "max", 2, { 0xFF, 0xFF }, 2, { { "bank1", 99.21875 }, { "bank3", 99.21875 } } },
    { 0x55, "typ", 2, { 0x84, 0x7C }, 2, { { "bank1", 3.125 }, { "bank3", -3.125 } } },
    { 0x56, "min", 2, { 0x00, 0x00 }, 2, { { "bank1", -100 }, { "bank3", -100 } } },
    { 0x56, "max", 2, { 0xFF, 0xFF }, 2, { { "bank1", 99.21875 }, { "bank3", 99.21875 } } },
    { 0x56, "typ", 2, { 0x84, 0x7C }, 2, { { "bank1", 3.125 }, { "bank3", -3.125 } } },
    { 0x57, "min", 2, { 0x00, 0x00 }, 2, { { "bank2", -100 }, { "bank4", -100 } } },
    { 0x57, "max", 2, { 0xFF, 0xFF }, 2, { { "bank2", 99.21875 }, { "bank4", 99.21875 } } },
    { 0x57, "typ", 2, { 0x84, 0x7C }, 2, { { "bank2", 3.125 }, { "bank4", -3.125 } } },
    { 0x58, "min", 2, { 0x00, 0x00 }, 2, { { "bank2", -100 }, { "bank4", -100 } } },
    { 0x58, "max", 2, { 0xFF, 0xFF }, 2, { { "bank2", 99.21875 }, { "bank4", 99.21875 } } },
    { 0x58, "typ", 2, { 0x84, 0x7C }, 2, { { "bank2", 3.125 }, { "bank4", -3.125 } } },
    { 0x59, "min", 2, { 0x00, 0x00 }, 1, { { "fuel_rail_abs", 0 } } },
    { 0x59, "max", 2, { 0xFF, 0xFF }, 1, { { "fuel_rail_abs", 655350 } } },
    { 0x59, "typ", 2, { 0x03, 0xE8 }, 1, { { "fuel_rail_abs", 10000 } } },
    { 0x5A, "min", 1, { 0x00 }, 1, { { "pedal_relative", 0 } } },
    { 0x5A, "max", 1, { 0xFF }, 1, { { "pedal_relative", 100 } } },
    { 0x5A, "typ", 1, { 0x40 }, 1, { { "pedal_relative", 25.09803922 } } },
    { 0x5B, "min", 1, { 0x00 }, 1, { { "battery_life", 0 } } },
    { 0x5B, "max", 1, { 0xFF }, 1, { { "battery_life", 100 } } },
    { 0x5B, "typ", 1, { 0x40 }, 1, { { "battery_life", 25.09803922 } } },
    { 0x5C, "min", 1, { 0x00 }, 1, { { "oil_temp", -40 } } },
    { 0x5C, "max", 1, { 0xFF }, 1, { { "oil_temp", 215 } } },
    { 0x5C, "typ", 1, { 0x82 }, 1, { { "oil_temp", 90 } } },
    { 0x5D, "min", 2, { 0x00, 0x00 }, 1, { { "injection_timing", -210 } } },
    { 0x5D, "max", 2, { 0xFF, 0xFF }, 1, { { "injection_timing", 301.9921875 } } },
    { 0x5D, "typ", 2, { 0x69, 0x80 }, 1, { { "injection_timing", 1 } } },
    { 0x5E, "min", 2, { 0x00, 0x00 }, 1, { { "fuel_rate", 0 } } },
    { 0x5E, "max", 2, { 0xFF, 0xFF }, 1, { { "fuel_rate", 3276.75 } } },
    { 0x5E, "typ", 2, { 0x00, 0x64 }, 1, { { "fuel_rate", 5 } } },
    { 0x5F, "min", 1, { 0x00 }, 1, { { "emission_requirements", 0 } } },
    { 0x5F, "max", 1, { 0xFF }, 1, { { "emission_requirements", 255 } } },
    { 0x5F, "typ", 1, { 0x0E }, 1, { { "emission_requirements", 14 } } },
    { 0x60, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "supported", 0 } } },
    { 0x60, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "supported", 4294967295 } } },
    { 0x60, "typ", 4, { 0xBE, 0x1F, 0xA8, 0x13 }, 1, { { "supported", 3189745683 } } },
    { 0x61, "min", 1, { 0x00 }, 1, { { "torque_demand", -125 } } },
    { 0x61, "max", 1, { 0xFF }, 1, { { "torque_demand", 130 } } },
    { 0x61, "typ", 1, { 0xAF }, 1, { { "torque_demand", 50 } } },
    { 0x62, "min", 1, { 0x00 }, 1, { { "torque_actual", -125 } } },
    { 0x62, "max", 1, { 0xFF }, 1, { { "torque_actual", 130 } } },
    { 0x62, "typ", 1, { 0x9B }, 1, { { "torque_actual", 30 } } },
    { 0x63, "min", 2, { 0x00, 0x00 }, 1, { { "torque_reference", 0 } } },
    { 0x63, "max", 2, { 0xFF, 0xFF }, 1, { { "torque_reference", 65535 } } },
    { 0x63, "typ", 2, { 0x01, 0x90 }, 1, { { "torque_reference", 400 } } },
    { 0x64, "min", 5, { 0x00, 0x00, 0x00, 0x00, 0x00 }, 5, { { "idle", -125 }, { "point2", -125 }, { "point3", -125 }, { "point4", -125 }, { "point5", -125 } } },
    { 0x64, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 5, { { "idle", 130 }, { "point2", 130 }, { "point3", 130 }, { "point4", 130 }, { "point5", 130 } } },
    { 0x64, "typ", 5, { 0x8C, 0xAF, 0xE1, 0xD7, 0xC8 }, 5, { { "idle", 15 }, { "point2", 50 }, { "point3", 100 }, { "point4", 90 }, { "point5", 75 } } },
    { 0x65, "min", 2, { 0x0F, 0x00 }, 4, { { "pto_active", 0 }, { "auto_trans", 0 }, { "manual_trans", 0 }, { "glow_plug_lamp", 0 } } },
    { 0x65, "max", 2, { 0xFF, 0xFF }, 4, { { "pto_active", 1 }, { "auto_trans", 1 }, { "manual_trans", 1 }, { "glow_plug_lamp", 1 } } },
    { 0x65, "typ", 2, { 0x0A, 0x02 }, 4, { { "pto_active", NA }, { "auto_trans", 1 }, { "manual_trans", NA }, { "glow_plug_lamp", 0 } } },
    { 0x66, "min", 5, { 0x03, 0x00, 0x00, 0x00, 0x00 }, 2, { { "maf_a", 0 }, { "maf_b", 0 } } },
    { 0x66, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "maf_a", 2047.96875 }, { "maf_b", 2047.96875 } } },
    { 0x66, "typ", 5, { 0x03, 0x0C, 0x80, 0x0D, 0x00 }, 2, { { "maf_a", 100 }, { "maf_b", 104 } } },
    { 0x67, "min", 3, { 0x03, 0x00, 0x00 }, 2, { { "ect1", -40 }, { "ect2", -40 } } },
    { 0x67, "max", 3, { 0xFF, 0xFF, 0xFF }, 2, { { "ect1", 215 }, { "ect2", 215 } } },
    { 0x67, "typ", 3, { 0x03, 0x7B, 0x7A }, 2, { { "ect1", 83 }, { "ect2", 82 } } },
    { 0x68, "min", 7, { 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 6, { { "iat_b1s1", -40 }, { "iat_b1s2", -40 }, { "iat_b1s3", -40 }, { "iat_b2s1", -40 }, { "iat_b2s2", -40 }, { "iat_b2s3", -40 } } },
    { 0x68, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 6, { { "iat_b1s1", 215 }, { "iat_b1s2", 215 }, { "iat_b1s3", 215 }, { "iat_b2s1", 215 }, { "iat_b2s2", 215 }, { "iat_b2s3", 215 } } },
    { 0x68, "typ", 7, { 0x3F, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B }, 6, { { "iat_b1s1", 30 }, { "iat_b1s2", 31 }, { "iat_b1s3", 32 }, { "iat_b2s1", 33 }, { "iat_b2s2", 34 }, { "iat_b2s3", 35 } } },
    { 0x69, "min", 7, { 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 6, { { "egr_a_cmd", 0 }, { "egr_a_actual", 0 }, { "egr_a_error", -100 }, { "egr_b_cmd", 0 }, { "egr_b_actual", 0 }, { "egr_b_error", -100 } } },
    { 0x69, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 6, { { "egr_a_cmd", 100 }, { "egr_a_actual", 100 }, { "egr_a_error", 99.21875 }, { "egr_b_cmd", 100 }, { "egr_b_actual", 100 }, { "egr_b_error", 99.21875 } } },
    { 0x69, "typ", 7, { 0x3F, 0x33, 0x30, 0x7C, 0x1A, 0x19, 0x84 }, 6, { { "egr_a_cmd", 20 }, { "egr_a_actual", 18.82352941 }, { "egr_a_error", -3.125 }, { "egr_b_cmd", 10.19607843 }, { "egr_b_actual", 9.803921569 }, { "egr_b_error", 3.125 } } },
    { 0x6A, "min", 5, { 0x0F, 0x00, 0x00, 0x00, 0x00 }, 4, { { "iaf_a_cmd", 0 }, { "iaf_a_relative", 0 }, { "iaf_b_cmd", 0 }, { "iaf_b_relative", 0 } } },
    { 0x6A, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "iaf_a_cmd", 100 }, { "iaf_a_relative", 100 }, { "iaf_b_cmd", 100 }, { "iaf_b_relative", 100 } } },
    { 0x6A, "typ", 5, { 0x0F, 0x80, 0x7F, 0x40, 0x3F }, 4, { { "iaf_a_cmd", 50.19607843 }, { "iaf_a_relative", 49.80392157 }, { "iaf_b_cmd", 25.09803922 }, { "iaf_b_relative", 24.70588235 } } },
    { 0x6B, "min", 5, { 0xFF, 0x00, 0x00, 0x00, 0x00 }, 8, { { "egrt_b1s1", -40 }, { "egrt_b1s2", -40 }, { "egrt_b2s1", -40 }, { "egrt_b2s2", -40 }, { "egrt_b1s1_wide", -40 }, { "egrt_b1s2_wide", -40 }, { "egrt_b2s1_wide", -40 }, { "egrt_b2s2_wide", -40 } } },
    { 0x6B, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 8, { { "egrt_b1s1", 215 }, { "egrt_b1s2", 215 }, { "egrt_b2s1", 215 }, { "egrt_b2s2", 215 }, { "egrt_b1s1_wide", 980 }, { "egrt_b1s2_wide", 980 }, { "egrt_b2s1_wide", 980 }, { "egrt_b2s2_wide", 980 } } },
    { 0x6B, "typ", 5, { 0xFF, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", 80 }, { "egrt_b1s2", 60 }, { "egrt_b2s1", 40 }, { "egrt_b2s2", 20 }, { "egrt_b1s1_wide", 440 }, { "egrt_b1s2_wide", 360 }, { "egrt_b2s1_wide", 280 }, { "egrt_b2s2_wide", 200 } } },
    { 0x6C, "min", 5, { 0x0F, 0x00, 0x00, 0x00, 0x00 }, 4, { { "tac_a_cmd", 0 }, { "tp_a_relative", 0 }, { "tac_b_cmd", 0 }, { "tp_b_relative", 0 } } },
    { 0x6C, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "tac_a_cmd", 100 }, { "tp_a_relative", 100 }, { "tac_b_cmd", 100 }, { "tp_b_relative", 100 } } },
    { 0x6C, "typ", 5, { 0x0F, 0x1A, 0x19, 0x1B, 0x1C }, 4, { { "tac_a_cmd", 10.19607843 }, { "tp_a_relative", 9.803921569 }, { "tac_b_cmd", 10.58823529 }, { "tp_b_relative", 10.98039216 } } },
    { 0x6D, "min", 11, { 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 6, { { "frp_a_cmd", 0 }, { "frp_a", 0 }, { "frt_a", -40 }, { "frp_b_cmd", 0 }, { "frp_b", 0 }, { "frt_b", -40 } } },
    { 0x6D, "max", 11, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 6, { { "frp_a_cmd", 655350 }, { "frp_a", 655350 }, { "frt_a", 215 }, { "frp_b_cmd", 655350 }, { "frp_b", 655350 }, { "frt_b", 215 } } },
    { 0x6D, "typ", 11, { 0x3F, 0x13, 0x88, 0x13, 0x24, 0x55, 0x0F, 0xA0, 0x0F, 0x3C, 0x5A }, 6, { { "frp_a_cmd", 50000 }, { "frp_a", 49000 }, { "frt_a", 45 }, { "frp_b_cmd", 40000 }, { "frp_b", 39000 }, { "frt_b", 50 } } },
    { 0x6E, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "icp_a_cmd", 0 }, { "icp_a", 0 }, { "icp_b_cmd", 0 }, { "icp_b", 0 } } },
    { 0x6E, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "icp_a_cmd", 655350 }, { "icp_a", 655350 }, { "icp_b_cmd", 655350 }, { "icp_b", 655350 } } },
    { 0x6E, "typ", 9, { 0x0F, 0x07, 0xD0, 0x07, 0xBC, 0x07, 0xA8, 0x07, 0x94 }, 4, { { "icp_a_cmd", 20000 }, { "icp_a", 19800 }, { "icp_b_cmd", 19600 }, { "icp_b", 19400 } } },
    { 0x6F, "min", 3, { 0x03, 0x00, 0x00 }, 2, { { "tca_inlet", 0 }, { "tcb_inlet", 0 } } },
    { 0x6F, "max", 3, { 0xFF, 0xFF, 0xFF }, 2, { { "tca_inlet", 255 }, { "tcb_inlet", 255 } } },
    { 0x6F, "typ", 3, { 0x03, 0x62, 0x63 }, 2, { { "tca_inlet", 98 }, { "tcb_inlet", 99 } } },
    { 0x70, "min", 10, { 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 6, { { "boost_a_cmd", 0 }, { "boost_a", 0 }, { "boost_a_status", 0 }, { "boost_b_cmd", 0 }, { "boost_b", 0 }, { "boost_b_status", 0 } } },
    { 0x70, "max", 10, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 6, { { "boost_a_cmd", 2047.96875 }, { "boost_a", 2047.96875 }, { "boost_a_status", 3 }, { "boost_b_cmd", 2047.96875 }, { "boost_b", 2047.96875 }, { "boost_b_status", 3 } } },
    { 0x70, "typ", 10, { 0x3F, 0x0C, 0x80, 0x0C, 0x40, 0x0D, 0x00, 0x0C, 0xC0, 0x06 }, 6, { { "boost_a_cmd", 100 }, { "boost_a", 98 }, { "boost_a_status", 2 }, { "boost_b_cmd", 104 }, { "boost_b", 102 }, { "boost_b_status", 1 } } },
    { 0x71, "min", 6, { 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00 }, 6, { { "vgt_a_cmd", 0 }, { "vgt_a", 0 }, { "vgt_a_status", 0 }, { "vgt_b_cmd", 0 }, { "vgt_b", 0 }, { "vgt_b_status", 0 } } },
    { 0x71, "max", 6, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 6, { { "vgt_a_cmd", 100 }, { "vgt_a", 100 }, { "vgt_a_status", 3 }, { "vgt_b_cmd", 100 }, { "vgt_b", 100 }, { "vgt_b_status", 3 } } },
    { 0x71, "typ", 6, { 0x3F, 0x99, 0x96, 0x80, 0x7F, 0x09 }, 6, { { "vgt_a_cmd", 60 }, { "vgt_a", 58.82352941 }, { "vgt_a_status", 1 }, { "vgt_b_cmd", 50.19607843 }, { "vgt_b", 49.80392157 }, { "vgt_b_status", 2 } } },
    { 0x72, "min", 5, { 0x0F, 0x00, 0x00, 0x00, 0x00 }, 4, { { "wg_a_cmd", 0 }, { "wg_a", 0 }, { "wg_b_cmd", 0 }, { "wg_b", 0 } } },
    { 0x72, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "wg_a_cmd", 100 }, { "wg_a", 100 }, { "wg_b_cmd", 100 }, { "wg_b", 100 } } },
    { 0x72, "typ", 5, { 0x0F, 0x4D, 0x4C, 0x33, 0x32 }, 4, { { "wg_a_cmd", 30.19607843 }, { "wg_a", 29.80392157 }, { "wg_b_cmd", 20 }, { "wg_b", 19.60784314 } } },
    { 0x73, "min", 5, { 0x03, 0x00, 0x00, 0x00, 0x00 }, 2, { { "ep_b1", 0 }, { "ep_b2", 0 } } },
    { 0x73, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "ep_b1", 655.35 }, { "ep_b2", 655.35 } } },
    { 0x73, "typ", 5, { 0x03, 0x27, 0x74, 0x27, 0x10 }, 2, { { "ep_b1", 101 }, { "ep_b2", 100 } } },
    { 0x74, "min", 5, { 0x03, 0x00, 0x00, 0x00, 0x00 }, 2, { { "tca_rpm", 0 }, { "tcb_rpm", 0 } } },
    { 0x74, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "tca_rpm", 655350 }, { "tcb_rpm", 655350 } } },
    { 0x74, "typ", 5, { 0x03, 0x27, 0x10, 0x1F, 0x40 }, 2, { { "tca_rpm", 100000 }, { "tcb_rpm", 80000 } } },
    { 0x75, "min", 7, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "compressor_inlet", -40 }, { "compressor_outlet", -40 }, { "turbine_inlet", -40 }, { "turbine_outlet", -40 } } },
    { 0x75, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "compressor_inlet", 215 }, { "compressor_outlet", 215 }, { "turbine_inlet", 6513.5 }, { "turbine_outlet", 6513.5 } } },
    { 0x75, "typ", 7, { 0x0F, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", 25 }, { "compressor_outlet", 110 }, { "turbine_inlet", 710 }, { "turbine_outlet", 560 } } },
    { 0x76, "min", 7, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "compressor_inlet", -40 }, { "compressor_outlet", -40 }, { "turbine_inlet", -40 }, { "turbine_outlet", -40 } } },
    { 0x76, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "compressor_inlet", 215 }, { "compressor_outlet", 215 }, { "turbine_inlet", 6513.5 }, { "turbine_outlet", 6513.5 } } },
    { 0x76, "typ", 7, { 0x0F, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", 25 }, { "compressor_outlet", 110 }, { "turbine_inlet", 710 }, { "turbine_outlet", 560 } } },
    { 0x77, "min", 5, { 0x0F, 0x00, 0x00, 0x00, 0x00 }, 4, { { "cact_b1s1", -40 }, { "cact_b1s2", -40 }, { "cact_b2s1", -40 }, { "cact_b2s2", -40 } } },
    { 0x77, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "cact_b1s1", 215 }, { "cact_b1s2", 215 }, { "cact_b2s1", 215 }, { "cact_b2s2", 215 } } },
    { 0x77, "typ", 5, { 0x0F, 0x50, 0x5A, 0x51, 0x5B }, 4, { { "cact_b1s1", 40 }, { "cact_b1s2", 50 }, { "cact_b2s1", 41 }, { "cact_b2s2", 51 } } },
    { 0x78, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "egt_s1", -40 }, { "egt_s2", -40 }, { "egt_s3", -40 }, { "egt_s4", -40 } } },
    { 0x78, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "egt_s1", 6513.5 }, { "egt_s2", 6513.5 }, { "egt_s3", 6513.5 }, { "egt_s4", 6513.5 } } },
    { 0x78, "typ", 9, { 0x0F, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", 710 }, { "egt_s2", 630 }, { "egt_s3", 560 }, { "egt_s4", 460 } } },
    { 0x79, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "egt_s1", -40 }, { "egt_s2", -40 }, { "egt_s3", -40 }, { "egt_s4", -40 } } },
    { 0x79, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "egt_s1", 6513.5 }, { "egt_s2", 6513.5 }, { "egt_s3", 6513.5 }, { "egt_s4", 6513.5 } } },
    { 0x79, "typ", 9, { 0x0F, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", 710 }, { "egt_s2", 630 }, { "egt_s3", 560 }, { "egt_s4", 460 } } },
    { 0x7A, "min", 7, { 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 3, { { "delta_pressure", 0 }, { "inlet_pressure", 0 }, { "outlet_pressure", 0 } } },
    { 0x7A, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 3, { { "delta_pressure", -0.01 }, { "inlet_pressure", 655.35 }, { "outlet_pressure", 655.35 } } },
    { 0x7A, "typ", 7, { 0x07, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", 5 }, { "inlet_pressure", 103 }, { "outlet_pressure", 101 } } },
    { 0x7B, "min", 7, { 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 3, { { "delta_pressure", 0 }, { "inlet_pressure", 0 }, { "outlet_pressure", 0 } } },
    { 0x7B, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 3, { { "delta_pressure", -0.01 }, { "inlet_pressure", 655.35 }, { "outlet_pressure", 655.35 } } },
    { 0x7B, "typ", 7, { 0x07, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", 5 }, { "inlet_pressure", 103 }, { "outlet_pressure", 101 } } },
    { 0x7C, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "b1_inlet", -40 }, { "b1_outlet", -40 }, { "b2_inlet", -40 }, { "b2_outlet", -40 } } },
    { 0x7C, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "b1_inlet", 6513.5 }, { "b1_outlet", 6513.5 }, { "b2_inlet", 6513.5 }, { "b2_outlet", 6513.5 } } },
    { 0x7C, "typ", 9, { 0x0F, 0x1A, 0x2C, 0x1B, 0xBC, 0x19, 0x64, 0x1C, 0x84 }, 4, { { "b1_inlet", 630 }, { "b1_outlet", 670 }, { "b2_inlet", 610 }, { "b2_outlet", 690 } } },
    { 0x7D, "min", 1, { 0x00 }, 4, { { "inside", 0 }, { "outside", 0 }, { "carve_out", 0 }, { "deficiency", 0 } } },
    { 0x7D, "max", 1, { 0xFF }, 4, { { "inside", 1 }, { "outside", 1 }, { "carve_out", 1 }, { "deficiency", 1 } } },
    { 0x7D, "typ", 1, { 0x01 }, 4, { { "inside", 1 }, { "outside", 0 }, { "carve_out", 0 }, { "deficiency", 0 } } },
    { 0x7E, "min", 1, { 0x00 }, 4, { { "inside", 0 }, { "outside", 0 }, { "carve_out", 0 }, { "deficiency", 0 } } },
    { 0x7E, "max", 1, { 0xFF }, 4, { { "inside", 1 }, { "outside", 1 }, { "carve_out", 1 }, { "deficiency", 1 } } },
    { 0x7E, "typ", 1, { 0x01 }, 4, { { "inside", 1 }, { "outside", 0 }, { "carve_out", 0 }, { "deficiency", 0 } } },
    { 0x7F, "min", 13, { 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 3, { { "total", 0 }, { "idle", 0 }, { "pto", 0 } } },
    { 0x7F, "max", 13, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 3, { { "total", NA }, { "idle", NA }, { "pto", NA } } },
    { 0x7F, "typ", 13, { 0x07, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x00, 0x02, 0x58 }, 3, { { "total", 86400 }, { "idle", 3600 }, { "pto", 600 } } },
    { 0x80, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "supported", 0 } } },
    { 0x80, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "supported", 4294967295 } } },
    { 0x80, "typ", 4, { 0xBE, 0x1F, 0xA8, 0x13 }, 1, { { "supported", 3189745683 } } },
    { 0x81, "min", 41, { 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 10, { { "aecd1_timer1", 0 }, { "aecd1_timer2", 0 }, { "aecd2_timer1", 0 }, { "aecd2_timer2", 0 }, { "aecd3_timer1", 0 }, { "aecd3_timer2", 0 }, { "aecd4_timer1", 0 }, { "aecd4_timer2", 0 }, { "aecd5_timer1", 0 }, { "aecd5_timer2", 0 } } },
    { 0x81, "max", 41, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 10, { { "aecd1_timer1", NA }, { "aecd1_timer2", NA }, { "aecd2_timer1", NA }, { "aecd2_timer2", NA }, { "aecd3_timer1", NA }, { "aecd3_timer2", NA }, { "aecd4_timer1", NA }, { "aecd4_timer2", NA }, { "aecd5_timer1", NA }, { "aecd5_timer2", NA } } },
    { 0x81, "typ", 41, { 0x1F, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd1_timer1", 1000 }, { "aecd1_timer2", 2000 }, { "aecd2_timer1", 3000 }, { "aecd2_timer2", 4000 }, { "aecd3_timer1", 5000 }, { "aecd3_timer2", 6000 }, { "aecd4_timer1", 7000 }, { "aecd4_timer2", 8000 }, { "aecd5_timer1", 9000 }, { "aecd5_timer2", 10000 } } },
    { 0x82, "min", 41, { 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 10, { { "aecd6_timer1", 0 }, { "aecd6_timer2", 0 }, { "aecd7_timer1", 0 }, { "aecd7_timer2", 0 }, { "aecd8_timer1", 0 }, { "aecd8_timer2", 0 }, { "aecd9_timer1", 0 }, { "aecd9_timer2", 0 }, { "aecd10_timer1", 0 }, { "aecd10_timer2", 0 } } },
    { 0x82, "max", 41, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 10, { { "aecd6_timer1", NA }, { "aecd6_timer2", NA }, { "aecd7_timer1", NA }, { "aecd7_timer2", NA }, { "aecd8_timer1", NA }, { "aecd8_timer2", NA }, { "aecd9_timer1", NA }, { "aecd9_timer2", NA }, { "aecd10_timer1", NA }, { "aecd10_timer2", NA } } },
    { 0x82, "typ", 41, { 0x1F, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd6_timer1", 1000 }, { "aecd6_timer2", 2000 }, { "aecd7_timer1", 3000 }, { "aecd7_timer2", 4000 }, { "aecd8_timer1", 5000 }, { "aecd8_timer2", 6000 }, { "aecd9_timer1", 7000 }, { "aecd9_timer2", 8000 }, { "aecd10_timer1", 9000 }, { "aecd10_timer2", 10000 } } },
    { 0x83, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "nox_b1s1", 0 }, { "nox_b1s2", 0 }, { "nox_b2s1", 0 }, { "nox_b2s2", 0 } } },
    { 0x83, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "nox_b1s1", 65535 }, { "nox_b1s2", 65535 }, { "nox_b2s1", 65535 }, { "nox_b2s2", 65535 } } },
    { 0x83, "typ", 9, { 0x0F, 0x00, 0x96, 0x00, 0x0A, 0x00, 0x97, 0x00, 0x0B }, 4, { { "nox_b1s1", 150 }, { "nox_b1s2", 10 }, { "nox_b2s1", 151 }, { "nox_b2s2", 11 } } },
    { 0x84, "min", 1, { 0x00 }, 1, { { "manifold_surface_temp", -40 } } },
    { 0x84, "max", 1, { 0xFF }, 1, { { "manifold_surface_temp", 215 } } },
    { 0x84, "typ", 1, { 0xC8 }, 1, { { "manifold_surface_temp", 160 } } },
    { 0x85, "min", 10, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "reagent_rate", 0 }, { "reagent_demand", 0 }, { "reagent_level", 0 }, { "nwi_time", 0 } } },
    { 0x85, "max", 10, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "reagent_rate", 327.675 }, { "reagent_demand", 327.675 }, { "reagent_level", 100 }, { "nwi_time", NA } } },
    { 0x85, "typ", 10, { 0x0F, 0x00, 0xC8, 0x00, 0xD2, 0x80, 0x00, 0x00, 0x1C, 0x20 }, 4, { { "reagent_rate", 1 }, { "reagent_demand", 1.05 }, { "reagent_level", 50.19607843 }, { "nwi_time", 7200 } } },
    { 0x86, "min", 5, { 0x03, 0x00, 0x00, 0x00, 0x00 }, 2, { { "pm_b1s1", 0 }, { "pm_b2s1", 0 } } },
    { 0x86, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "pm_b1s1", 819.1875 }, { "pm_b2s1", 819.1875 } } },
    { 0x86, "typ", 5, { 0x03, 0x00, 0x50, 0x00, 0xA0 }, 2, { { "pm_b1s1", 1 }, { "pm_b2s1", 2 } } },
    { 0x87, "min", 5, { 0x03, 0x00, 0x00, 0x00, 0x00 }, 2, { { "map_a", 0 }, { "map_b", 0 } } },
    { 0x87, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "map_a", 2047.96875 }, { "map_b", 2047.96875 } } },
    { 0x87, "typ", 5, { 0x03, 0x0C, 0xA0, 0x0C, 0x80 }, 2, { { "map_a", 101 }, { "map_b", 100 } } },
    { 0x88, "min", 13, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 8, { { "status", 0 }, { "history_12", 0 }, { "history_34", 0 }, { "distance_1n", 0 }, { "distance_1d", 0 }, { "distance_2n", 0 }, { "distance_3n", 0 }, { "distance_4n", 0 } } },
    { 0x88, "max", 13, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 8, { { "status", 255 }, { "history_12", 255 }, { "history_34", 255 }, { "distance_1n", 65535 }, { "distance_1d", 65535 }, { "distance_2n", 65535 }, { "distance_3n", 65535 }, { "distance_4n", 65535 } } },
    { 0x88, "typ", 13, { 0x05, 0x11, 0x22, 0x00, 0x64, 0x00, 0xC8, 0x01, 0x2C, 0x01, 0x90, 0x01, 0xF4 }, 8, { { "status", 5 }, { "history_12", 17 }, { "history_34", 34 }, { "distance_1n", 100 }, { "distance_1d", 200 }, { "distance_2n", 300 }, { "distance_3n", 400 }, { "distance_4n", 500 } } },
    { 0x89, "min", 41, { 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 10, { { "aecd11_timer1", 0 }, { "aecd11_timer2", 0 }, { "aecd12_timer1", 0 }, { "aecd12_timer2", 0 }, { "aecd13_timer1", 0 }, { "aecd13_timer2", 0 }, { "aecd14_timer1", 0 }, { "aecd14_timer2", 0 }, { "aecd15_timer1", 0 }, { "aecd15_timer2", 0 } } },
    { 0x89, "max", 41, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 10, { { "aecd11_timer1", NA }, { "aecd11_timer2", NA }, { "aecd12_timer1", NA }, { "aecd12_timer2", NA }, { "aecd13_timer1", NA }, { "aecd13_timer2", NA }, { "aecd14_timer1", NA }, { "aecd14_timer2", NA }, { "aecd15_timer1", NA }, { "aecd15_timer2", NA } } },
    { 0x89, "typ", 41, { 0x1F, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd11_timer1", 1000 }, { "aecd11_timer2", 2000 }, { "aecd12_timer1", 3000 }, { "aecd12_timer2", 4000 }, { "aecd13_timer1", 5000 }, { "aecd13_timer2", 6000 }, { "aecd14_timer1", 7000 }, { "aecd14_timer2", 8000 }, { "aecd15_timer1", 9000 }, { "aecd15_timer2", 10000 } } },
    { 0x8A, "min", 41, { 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 10, { { "aecd16_timer1", 0 }, { "aecd16_timer2", 0 }, { "aecd17_timer1", 0 }, { "aecd17_timer2", 0 }, { "aecd18_timer1", 0 }, { "aecd18_timer2", 0 }, { "aecd19_timer1", 0 }, { "aecd19_timer2", 0 }, { "aecd20_timer1", 0 }, { "aecd20_timer2", 0 } } },
    { 0x8A, "max", 41, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 10, { { "aecd16_timer1", NA }, { "aecd16_timer2", NA }, { "aecd17_timer1", NA }, { "aecd17_timer2", NA }, { "aecd18_timer1", NA }, { "aecd18_timer2", NA }, { "aecd19_timer1", NA }, { "aecd19_timer2", NA }, { "aecd20_timer1", NA }, { "aecd20_timer2", NA } } },
    { 0x8A, "typ", 41, { 0x1F, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd16_timer1", 1000 }, { "aecd16_timer2", 2000 }, { "aecd17_timer1", 3000 }, { "aecd17_timer2", 4000 }, { "aecd18_timer1", 5000 }, { "aecd18_timer2", 6000 }, { "aecd19_timer1", 7000 }, { "aecd19_timer2", 8000 }, { "aecd20_timer1", 9000 }, { "aecd20_timer2", 10000 } } },
    { 0x8B, "min", 7, { 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 7, { { "dpf_regen_active", 0 }, { "dpf_regen_type", 0 }, { "nox_ads_regen", 0 }, { "nox_ads_desulf", 0 }, { "dpf_regen_trigger", 0 }, { "dpf_regen_avg_time", 0 }, { "dpf_regen_avg_distance", 0 } } },
    { 0x8B, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 7, { { "dpf_regen_active", 1 }, { "dpf_regen_type", 1 }, { "nox_ads_regen", 1 }, { "nox_ads_desulf", 1 }, { "dpf_regen_trigger", 100 }, { "dpf_regen_avg_time", 65535 }, { "dpf_regen_avg_distance", 65535 } } },
    { 0x8B, "typ", 7, { 0x7F, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", 1 }, { "dpf_regen_type", 0 }, { "nox_ads_regen", 1 }, { "nox_ads_desulf", 0 }, { "dpf_regen_trigger", 50.19607843 }, { "dpf_regen_avg_time", 60 }, { "dpf_regen_avg_distance", 500 } } },
    { 0x8C, "min", 17, { 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 8, { { "conc_b1s1", 0 }, { "conc_b1s2", 0 }, { "conc_b2s1", 0 }, { "conc_b2s2", 0 }, { "lambda_b1s1", 0 }, { "lambda_b1s2", 0 }, { "lambda_b2s1", 0 }, { "lambda_b2s2", 0 } } },
    { 0x8C, "max", 17, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 8, { { "conc_b1s1", 100.00641 }, { "conc_b1s2", 100.00641 }, { "conc_b2s1", 100.00641 }, { "conc_b2s2", 100.00641 }, { "lambda_b1s1", 7.99527 }, { "lambda_b1s2", 7.99527 }, { "lambda_b2s1", 7.99527 }, { "lambda_b2s2", 7.99527 } } },
    { 0x8C, "typ", 17, { 0xFF, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", 1.526 }, { "conc_b1s2", 3.052 }, { "conc_b2s1", 4.578 }, { "conc_b2s2", 6.104 }, { "lambda_b1s1", 0.999424 }, { "lambda_b1s2", 1.030656 }, { "lambda_b2s1", 0.968192 }, { "lambda_b2s2", 1.061888 } } },
    { 0x8D, "min", 1, { 0x00 }, 1, { { "throttle_g", 0 } } },
    { 0x8D, "max", 1, { 0xFF }, 1, { { "throttle_g", 100 } } },
    { 0x8D, "typ", 1, { 0x40 }, 1, { { "throttle_g", 25.09803922 } } },
    { 0x8E, "min", 1, { 0x00 }, 1, { { "friction_torque", -125 } } },
    { 0x8E, "max", 1, { 0xFF }, 1, { { "friction_torque", 130 } } },
    { 0x8E, "typ", 1, { 0x87 }, 1, { { "friction_torque", 10 } } },
    { 0x8F, "min", 7, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 6, { { "b1s1_active", 0 }, { "b1s1_regen", 0 }, { "b1s1_output", 0 }, { "b2s1_active", 0 }, { "b2s1_regen", 0 }, { "b2s1_output", 0 } } },
    { 0x8F, "max", 7, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 6, { { "b1s1_active", 1 }, { "b1s1_regen", 1 }, { "b1s1_output", -0.01 }, { "b2s1_active", 1 }, { "b2s1_regen", 1 }, { "b2s1_output", -0.01 } } },
    { 0x8F, "typ", 7, { 0x0F, 0x01, 0xFF, 0x9C, 0x02, 0x00, 0x64 }, 6, { { "b1s1_active", 1 }, { "b1s1_regen", 0 }, { "b1s1_output", -1 }, { "b2s1_active", 0 }, { "b2s1_regen", 1 }, { "b2s1_output", 1 } } },
    { 0x90, "min", 3, { 0x00, 0x00, 0x00 }, 4, { { "mi_display", 0 }, { "mi_mode", 0 }, { "vobd_ready", 0 }, { "mi_time", 0 } } },
    { 0x90, "max", 3, { 0xFF, 0xFF, 0xFF }, 4, { { "mi_display", 3 }, { "mi_mode", 15 }, { "vobd_ready", 1 }, { "mi_time", 65535 } } },
    { 0x90, "typ", 3, { 0x45, 0x00, 0x0C }, 4, { { "mi_display", 1 }, { "mi_mode", 1 }, { "vobd_ready", 1 }, { "mi_time", 12 } } },
    { 0x91, "min", 5, { 0x00, 0x00, 0x00, 0x00, 0x00 }, 3, { { "mi_mode", 0 }, { "mi_time", 0 }, { "b1_time", 0 } } },
    { 0x91, "max", 5, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 3, { { "mi_mode", 15 }, { "mi_time", 65535 }, { "b1_time", 65535 } } },
    { 0x91, "typ", 5, { 0x01, 0x00, 0x0C, 0x00, 0x30 }, 3, { { "mi_mode", 1 }, { "mi_time", 12 }, { "b1_time", 48 } } },
    { 0x92, "min", 2, { 0xFF, 0x00 }, 8, { { "fp1_closed", 0 }, { "fiq1_closed", 0 }, { "fit1_closed", 0 }, { "ifb1_closed", 0 }, { "fp2_closed", 0 }, { "fiq2_closed", 0 }, { "fit2_closed", 0 }, { "ifb2_closed", 0 } } },
    { 0x92, "max", 2, { 0xFF, 0xFF }, 8, { { "fp1_closed", 1 }, { "fiq1_closed", 1 }, { "fit1_closed", 1 }, { "ifb1_closed", 1 }, { "fp2_closed", 1 }, { "fiq2_closed", 1 }, { "fit2_closed", 1 }, { "ifb2_closed", 1 } } },
    { 0x92, "typ", 2, { 0x0F, 0x05 }, 8, { { "fp1_closed", 1 }, { "fiq1_closed", 0 }, { "fit1_closed", 1 }, { "ifb1_closed", 0 }, { "fp2_closed", NA }, { "fiq2_closed", NA }, { "fit2_closed", NA }, { "ifb2_closed", NA } } },
    { 0x93, "min", 3, { 0x01, 0x00, 0x00 }, 1, { { "mi_time_cumulative", 0 } } },
    { 0x93, "max", 3, { 0xFF, 0xFF, 0xFF }, 1, { { "mi_time_cumulative", 65535 } } },
    { 0x93, "typ", 3, { 0x01, 0x00, 0x64 }, 1, { { "mi_time_cumulative", 100 } } },
    { 0x94, "min", 12, { 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 9, { { "warning_active", 0 }, { "inducement_1", 0 }, { "inducement_2", 0 }, { "inducement_3", 0 }, { "reagent_quality_time", 0 }, { "reagent_consumption_time", 0 }, { "reagent_dosing_time", 0 }, { "egr_time", 0 }, { "nox_dtc_time", 0 } } },
    { 0x94, "max", 12, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 9, { { "warning_active", 1 }, { "inducement_1", 3 }, { "inducement_2", 3 }, { "inducement_3", 3 }, { "reagent_quality_time", NA }, { "reagent_consumption_time", NA }, { "reagent_dosing_time", NA }, { "egr_time", NA }, { "nox_dtc_time", NA } } },
    { 0x94, "typ", 12, { 0x3F, 0x03, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0xFF, 0xFF }, 9, { { "warning_active", 1 }, { "inducement_1", 1 }, { "inducement_2", 0 }, { "inducement_3", 0 }, { "reagent_quality_time", 5 }, { "reagent_consumption_time", 6 }, { "reagent_dosing_time", 7 }, { "egr_time", 8 }, { "nox_dtc_time", NA } } },
    { 0x98, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "egt_s5", -40 }, { "egt_s6", -40 }, { "egt_s7", -40 }, { "egt_s8", -40 } } },
    { 0x98, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "egt_s5", 6513.5 }, { "egt_s6", 6513.5 }, { "egt_s7", 6513.5 }, { "egt_s8", 6513.5 } } },
    { 0x98, "typ", 9, { 0x0F, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", 630 }, { "egt_s6", 560 }, { "egt_s7", 460 }, { "egt_s8", 710 } } },
    { 0x99, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "egt_s5", -40 }, { "egt_s6", -40 }, { "egt_s7", -40 }, { "egt_s8", -40 } } },
    { 0x99, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "egt_s5", 6513.5 }, { "egt_s6", 6513.5 }, { "egt_s7", 6513.5 }, { "egt_s8", 6513.5 } } },
    { 0x99, "typ", 9, { 0x0F, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", 630 }, { "egt_s6", 560 }, { "egt_s7", 460 }, { "egt_s8", 710 } } },
    { 0x9A, "min", 6, { 0x07, 0x00, 0x00, 0x00, 0x00, 0x00 }, 3, { { "hev_mode", 0 }, { "battery_voltage", 0 }, { "battery_current", 0 } } },
    { 0x9A, "max", 6, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 3, { { "hev_mode", 1 }, { "battery_voltage", 1023.984375 }, { "battery_current", -0.1 } } },
    { 0x9A, "typ", 6, { 0x07, 0x01, 0x5E, 0x00, 0xFF, 0x38 }, 3, { { "hev_mode", 1 }, { "battery_voltage", 376 }, { "battery_current", -20 } } },
    { 0x9B, "min", 4, { 0x0F, 0x00, 0x00, 0x00 }, 4, { { "def_type", 0 }, { "def_concentration", 0 }, { "def_tank_temp", -40 }, { "def_tank_level", 0 } } },
    { 0x9B, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "def_type", 15 }, { "def_concentration", 63.75 }, { "def_tank_temp", 215 }, { "def_tank_level", 100 } } },
    { 0x9B, "typ", 4, { 0x1F, 0x82, 0x3C, 0x80 }, 4, { { "def_type", 1 }, { "def_concentration", 32.5 }, { "def_tank_temp", 20 }, { "def_tank_level", 50.19607843 } } },
    { 0x9C, "min", 17, { 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 8, { { "conc_b1s3", 0 }, { "conc_b1s4", 0 }, { "conc_b2s3", 0 }, { "conc_b2s4", 0 }, { "lambda_b1s3", 0 }, { "lambda_b1s4", 0 }, { "lambda_b2s3", 0 }, { "lambda_b2s4", 0 } } },
    { 0x9C, "max", 17, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 8, { { "conc_b1s3", 100.00641 }, { "conc_b1s4", 100.00641 }, { "conc_b2s3", 100.00641 }, { "conc_b2s4", 100.00641 }, { "lambda_b1s3", 7.99527 }, { "lambda_b1s4", 7.99527 }, { "lambda_b2s3", 7.99527 }, { "lambda_b2s4", 7.99527 } } },
    { 0x9C, "typ", 17, { 0xFF, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", 1.526 }, { "conc_b1s4", 3.052 }, { "conc_b2s3", 4.578 }, { "conc_b2s4", 6.104 }, { "lambda_b1s3", 0.999424 }, { "lambda_b1s4", 1.030656 }, { "lambda_b2s3", 0.968192 }, { "lambda_b2s4", 1.061888 } } },
    { 0x9D, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 2, { { "engine_fuel_rate", 0 }, { "vehicle_fuel_rate", 0 } } },
    { 0x9D, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "engine_fuel_rate", 1310.7 }, { "vehicle_fuel_rate", 1310.7 } } },
    { 0x9D, "typ", 4, { 0x00, 0xFA, 0x01, 0x2C }, 2, { { "engine_fuel_rate", 5 }, { "vehicle_fuel_rate", 6 } } },
    { 0x9E, "min", 2, { 0x00, 0x00 }, 1, { { "exhaust_flow", 0 } } },
    { 0x9E, "max", 2, { 0xFF, 0xFF }, 1, { { "exhaust_flow", 13107 } } },
    { 0x9E, "typ", 2, { 0x01, 0xF4 }, 1, { { "exhaust_flow", 100 } } },
    { 0x9F, "min", 9, { 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 8, { { "fuel_a_b1", 0 }, { "fuel_b_b1", 0 }, { "fuel_a_b2", 0 }, { "fuel_b_b2", 0 }, { "fuel_a_b3", 0 }, { "fuel_b_b3", 0 }, { "fuel_a_b4", 0 }, { "fuel_b_b4", 0 } } },
    { 0x9F, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 8, { { "fuel_a_b1", 100 }, { "fuel_b_b1", 100 }, { "fuel_a_b2", 100 }, { "fuel_b_b2", 100 }, { "fuel_a_b3", 100 }, { "fuel_b_b3", 100 }, { "fuel_a_b4", 100 }, { "fuel_b_b4", 100 } } },
    { 0x9F, "typ", 9, { 0xFF, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", 20 }, { "fuel_b_b1", 20.39215686 }, { "fuel_a_b2", 20.78431373 }, { "fuel_b_b2", 21.17647059 }, { "fuel_a_b3", 21.56862745 }, { "fuel_b_b3", 21.96078431 }, { "fuel_a_b4", 22.35294118 }, { "fuel_b_b4", 22.74509804 } } },
    { 0xA0, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "supported", 0 } } },
    { 0xA0, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "supported", 4294967295 } } },
    { 0xA0, "typ", 4, { 0xBE, 0x1F, 0xA8, 0x13 }, 1, { { "supported", 3189745683 } } },
    { 0xA1, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "noxc_b1s1", 0 }, { "noxc_b1s2", 0 }, { "noxc_b2s1", 0 }, { "noxc_b2s2", 0 } } },
    { 0xA1, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "noxc_b1s1", NA }, { "noxc_b1s2", NA }, { "noxc_b2s1", NA }, { "noxc_b2s2", NA } } },
    { 0xA1, "typ", 9, { 0x0F, 0x00, 0x2A, 0x00, 0x2B, 0x00, 0x2C, 0xFF, 0xFF }, 4, { { "noxc_b1s1", 42 }, { "noxc_b1s2", 43 }, { "noxc_b2s1", 44 }, { "noxc_b2s2", NA } } },
    { 0xA2, "min", 2, { 0x00, 0x00 }, 1, { { "cylinder_fuel_rate", 0 } } },
    { 0xA2, "max", 2, { 0xFF, 0xFF }, 1, { { "cylinder_fuel_rate", 2047.96875 } } },
    { 0xA2, "typ", 2, { 0x03, 0x20 }, 1, { { "cylinder_fuel_rate", 25 } } },
    { 0xA3, "min", 9, { 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 4, { { "evap_a", 0 }, { "evap_a_wide", 0 }, { "evap_b", 0 }, { "evap_b_wide", 0 } } },
    { 0xA3, "max", 9, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 4, { { "evap_a", -0.25 }, { "evap_a_wide", -2 }, { "evap_b", -0.25 }, { "evap_b_wide", -2 } } },
    { 0xA3, "typ", 9, { 0x0F, 0xFF, 0x9C, 0xFF, 0xCE, 0x00, 0x64, 0x00, 0x32 }, 4, { { "evap_a", -25 }, { "evap_a_wide", -100 }, { "evap_b", 25 }, { "evap_b_wide", 100 } } },
    { 0xA4, "min", 4, { 0x03, 0x00, 0x00, 0x00 }, 2, { { "gear", 0 }, { "gear_ratio", 0 } } },
    { 0xA4, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "gear", 15 }, { "gear_ratio", 65.535 } } },
    { 0xA4, "typ", 4, { 0x03, 0x30, 0x05, 0xDC }, 2, { { "gear", 3 }, { "gear_ratio", 1.5 } } },
    { 0xA5, "min", 4, { 0x03, 0x00, 0x00, 0x00 }, 2, { { "def_cmd", 0 }, { "def_usage", 0 } } },
    { 0xA5, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 2, { { "def_cmd", 127.5 }, { "def_usage", 32.7675 } } },
    { 0xA5, "typ", 4, { 0x03, 0x15, 0x03, 0xE8 }, 2, { { "def_cmd", 10.5 }, { "def_usage", 0.5 } } },
    { 0xA6, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "odometer", 0 } } },
    { 0xA6, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "odometer", 429496729.5 } } },
    { 0xA6, "typ", 4, { 0x00, 0x12, 0xD6, 0x87 }, 1, { { "odometer", 123456.7 } } },
    { 0xA7, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "raw", 0 } } },
    { 0xA7, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "raw", 4294967295 } } },
    { 0xA7, "typ", 4, { 0x01, 0x02, 0x03, 0x04 }, 1, { { "raw", 16909060 } } },
    { 0xA8, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "raw", 0 } } },
    { 0xA8, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "raw", 4294967295 } } },
    { 0xA8, "typ", 4, { 0x01, 0x02, 0x03, 0x04 }, 1, { { "raw", 16909060 } } },
    { 0xA9, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "raw", 0 } } },
    { 0xA9, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "raw", 4294967295 } } },
    { 0xA9, "typ", 4, { 0x01, 0x02, 0x03, 0x04 }, 1, { { "raw", 16909060 } } },
    { 0xC0, "min", 4, { 0x00, 0x00, 0x00, 0x00 }, 1, { { "supported", 0 } } },
    { 0xC0, "max", 4, { 0xFF, 0xFF, 0xFF, 0xFF }, 1, { { "supported", 4294967295 } } },
    { 0xC0, "typ", 4, { 0xBE, 0x1F, 0xA8, 0x13 }, 1, { { "supported", 3189745683 } } },
};

/*
 * Support-bit map: for every PID with a "supported" byte A and every bit the
 * standard defines in it, the typical data with ONLY that bit set. Exactly
 * the fields that bit covers must decode (with their hand-worked values);
 * all others must be unavailable.
 */
static const pid_case_t support_cases[] = {
    { 0x65, "bit0", 2, { 0x01, 0x02 }, 4, { { "pto_active", 0 }, { "auto_trans", NA }, { "manual_trans", NA }, { "glow_plug_lamp", NA } } },
    { 0x65, "bit1", 2, { 0x02, 0x02 }, 4, { { "pto_active", NA }, { "auto_trans", 1 }, { "manual_trans", NA }, { "glow_plug_lamp", NA } } },
    { 0x65, "bit2", 2, { 0x04, 0x02 }, 4, { { "pto_active", NA }, { "auto_trans", NA }, { "manual_trans", 0 }, { "glow_plug_lamp", NA } } },
    { 0x65, "bit3", 2, { 0x08, 0x02 }, 4, { { "pto_active", NA }, { "auto_trans", NA }, { "manual_trans", NA }, { "glow_plug_lamp", 0 } } },
    { 0x66, "bit0", 5, { 0x01, 0x0C, 0x80, 0x0D, 0x00 }, 2, { { "maf_a", 100 }, { "maf_b", NA } } },
    { 0x66, "bit1", 5, { 0x02, 0x0C, 0x80, 0x0D, 0x00 }, 2, { { "maf_a", NA }, { "maf_b", 104 } } },
    { 0x67, "bit0", 3, { 0x01, 0x7B, 0x7A }, 2, { { "ect1", 83 }, { "ect2", NA } } },
    { 0x67, "bit1", 3, { 0x02, 0x7B, 0x7A }, 2, { { "ect1", NA }, { "ect2", 82 } } },
    { 0x68, "bit0", 7, { 0x01, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B }, 6, { { "iat_b1s1", 30 }, { "iat_b1s2", NA }, { "iat_b1s3", NA }, { "iat_b2s1", NA }, { "iat_b2s2", NA }, { "iat_b2s3", NA } } },
    { 0x68, "bit1", 7, { 0x02, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B }, 6, { { "iat_b1s1", NA }, { "iat_b1s2", 31 }, { "iat_b1s3", NA }, { "iat_b2s1", NA }, { "iat_b2s2", NA }, { "iat_b2s3", NA } } },
    { 0x68, "bit2", 7, { 0x04, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B }, 6, { { "iat_b1s1", NA }, { "iat_b1s2", NA }, { "iat_b1s3", 32 }, { "iat_b2s1", NA }, { "iat_b2s2", NA }, { "iat_b2s3", NA } } },
    { 0x68, "bit3", 7, { 0x08, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B }, 6, { { "iat_b1s1", NA }, { "iat_b1s2", NA }, { "iat_b1s3", NA }, { "iat_b2s1", 33 }, { "iat_b2s2", NA }, { "iat_b2s3", NA } } },
    { 0x68, "bit4", 7, { 0x10, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B }, 6, { { "iat_b1s1", NA }, { "iat_b1s2", NA }, { "iat_b1s3", NA }, { "iat_b2s1", NA }, { "iat_b2s2", 34 }, { "iat_b2s3", NA } } },
    { 0x68, "bit5", 7, { 0x20, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B }, 6, { { "iat_b1s1", NA }, { "iat_b1s2", NA }, { "iat_b1s3", NA }, { "iat_b2s1", NA }, { "iat_b2s2", NA }, { "iat_b2s3", 35 } } },
    { 0x69, "bit0", 7, { 0x01, 0x33, 0x30, 0x7C, 0x1A, 0x19, 0x84 }, 6, { { "egr_a_cmd", 20 }, { "egr_a_actual", NA }, { "egr_a_error", NA }, { "egr_b_cmd", NA }, { "egr_b_actual", NA }, { "egr_b_error", NA } } },
    { 0x69, "bit1", 7, { 0x02, 0x33, 0x30, 0x7C, 0x1A, 0x19, 0x84 }, 6, { { "egr_a_cmd", NA }, { "egr_a_actual", 18.82352941 }, { "egr_a_error", NA }, { "egr_b_cmd", NA }, { "egr_b_actual", NA }, { "egr_b_error", NA } } },
    { 0x69, "bit2", 7, { 0x04, 0x33, 0x30, 0x7C, 0x1A, 0x19, 0x84 }, 6, { { "egr_a_cmd", NA }, { "egr_a_actual", NA }, { "egr_a_error", -3.125 }, { "egr_b_cmd", NA }, { "egr_b_actual", NA }, { "egr_b_error", NA } } },
    { 0x69, "bit3", 7, { 0x08, 0x33, 0x30, 0x7C, 0x1A, 0x19, 0x84 }, 6, { { "egr_a_cmd", NA }, { "egr_a_actual", NA }, { "egr_a_error", NA }, { "egr_b_cmd", 10.19607843 }, { "egr_b_actual", NA }, { "egr_b_error", NA } } },
    { 0x69, "bit4", 7, { 0x10, 0x33, 0x30, 0x7C, 0x1A, 0x19, 0x84 }, 6, { { "egr_a_cmd", NA }, { "egr_a_actual", NA }, { "egr_a_error", NA }, { "egr_b_cmd", NA }, { "egr_b_actual", 9.803921569 }, { "egr_b_error", NA } } },
    { 0x69, "bit5", 7, { 0x20, 0x33, 0x30, 0x7C, 0x1A, 0x19, 0x84 }, 6, { { "egr_a_cmd", NA }, { "egr_a_actual", NA }, { "egr_a_error", NA }, { "egr_b_cmd", NA }, { "egr_b_actual", NA }, { "egr_b_error", 3.125 } } },
    { 0x6A, "bit0", 5, { 0x01, 0x80, 0x7F, 0x40, 0x3F }, 4, { { "iaf_a_cmd", 50.19607843 }, { "iaf_a_relative", NA }, { "iaf_b_cmd", NA }, { "iaf_b_relative", NA } } },
    { 0x6A, "bit1", 5, { 0x02, 0x80, 0x7F, 0x40, 0x3F }, 4, { { "iaf_a_cmd", NA }, { "iaf_a_relative", 49.80392157 }, { "iaf_b_cmd", NA }, { "iaf_b_relative", NA } } },
    { 0x6A, "bit2", 5, { 0x04, 0x80, 0x7F, 0x40, 0x3F }, 4, { { "iaf_a_cmd", NA }, { "iaf_a_relative", NA }, { "iaf_b_cmd", 25.09803922 }, { "iaf_b_relative", NA } } },
    { 0x6A, "bit3", 5, { 0x08, 0x80, 0x7F, 0x40, 0x3F }, 4, { { "iaf_a_cmd", NA }, { "iaf_a_relative", NA }, { "iaf_b_cmd", NA }, { "iaf_b_relative", 24.70588235 } } },
    { 0x6B, "bit0", 5, { 0x01, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", 80 }, { "egrt_b1s2", NA }, { "egrt_b2s1", NA }, { "egrt_b2s2", NA }, { "egrt_b1s1_wide", NA }, { "egrt_b1s2_wide", NA }, { "egrt_b2s1_wide", NA }, { "egrt_b2s2_wide", NA } } },
    { 0x6B, "bit1", 5, { 0x02, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", NA }, { "egrt_b1s2", 60 }, { "egrt_b2s1", NA }, { "egrt_b2s2", NA }, { "egrt_b1s1_wide", NA }, { "egrt_b1s2_wide", NA }, { "egrt_b2s1_wide", NA }, { "egrt_b2s2_wide", NA } } },
    { 0x6B, "bit2", 5, { 0x04, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", NA }, { "egrt_b1s2", NA }, { "egrt_b2s1", 40 }, { "egrt_b2s2", NA }, { "egrt_b1s1_wide", NA }, { "egrt_b1s2_wide", NA }, { "egrt_b2s1_wide", NA }, { "egrt_b2s2_wide", NA } } },
    { 0x6B, "bit3", 5, { 0x08, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", NA }, { "egrt_b1s2", NA }, { "egrt_b2s1", NA }, { "egrt_b2s2", 20 }, { "egrt_b1s1_wide", NA }, { "egrt_b1s2_wide", NA }, { "egrt_b2s1_wide", NA }, { "egrt_b2s2_wide", NA } } },
    { 0x6B, "bit4", 5, { 0x10, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", NA }, { "egrt_b1s2", NA }, { "egrt_b2s1", NA }, { "egrt_b2s2", NA }, { "egrt_b1s1_wide", 440 }, { "egrt_b1s2_wide", NA }, { "egrt_b2s1_wide", NA }, { "egrt_b2s2_wide", NA } } },
    { 0x6B, "bit5", 5, { 0x20, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", NA }, { "egrt_b1s2", NA }, { "egrt_b2s1", NA }, { "egrt_b2s2", NA }, { "egrt_b1s1_wide", NA }, { "egrt_b1s2_wide", 360 }, { "egrt_b2s1_wide", NA }, { "egrt_b2s2_wide", NA } } },
    { 0x6B, "bit6", 5, { 0x40, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", NA }, { "egrt_b1s2", NA }, { "egrt_b2s1", NA }, { "egrt_b2s2", NA }, { "egrt_b1s1_wide", NA }, { "egrt_b1s2_wide", NA }, { "egrt_b2s1_wide", 280 }, { "egrt_b2s2_wide", NA } } },
    { 0x6B, "bit7", 5, { 0x80, 0x78, 0x64, 0x50, 0x3C }, 8, { { "egrt_b1s1", NA }, { "egrt_b1s2", NA }, { "egrt_b2s1", NA }, { "egrt_b2s2", NA }, { "egrt_b1s1_wide", NA }, { "egrt_b1s2_wide", NA }, { "egrt_b2s1_wide", NA }, { "egrt_b2s2_wide", 200 } } },
    { 0x6C, "bit0", 5, { 0x01, 0x1A, 0x19, 0x1B, 0x1C }, 4, { { "tac_a_cmd", 10.19607843 }, { "tp_a_relative", NA }, { "tac_b_cmd", NA }, { "tp_b_relative", NA } } },
    { 0x6C, "bit1", 5, { 0x02, 0x1A, 0x19, 0x1B, 0x1C }, 4, { { "tac_a_cmd", NA }, { "tp_a_relative", 9.803921569 }, { "tac_b_cmd", NA }, { "tp_b_relative", NA } } },
    { 0x6C, "bit2", 5, { 0x04, 0x1A, 0x19, 0x1B, 0x1C }, 4, { { "tac_a_cmd", NA }, { "tp_a_relative", NA }, { "tac_b_cmd", 10.58823529 }, { "tp_b_relative", NA } } },
    { 0x6C, "bit3", 5, { 0x08, 0x1A, 0x19, 0x1B, 0x1C }, 4, { { "tac_a_cmd", NA }, { "tp_a_relative", NA }, { "tac_b_cmd", NA }, { "tp_b_relative", 10.98039216 } } },
    { 0x6D, "bit0", 11, { 0x01, 0x13, 0x88, 0x13, 0x24, 0x55, 0x0F, 0xA0, 0x0F, 0x3C, 0x5A }, 6, { { "frp_a_cmd", 50000 }, { "frp_a", NA }, { "frt_a", NA }, { "frp_b_cmd", NA }, { "frp_b", NA }, { "frt_b", NA } } },
    { 0x6D, "bit1", 11, { 0x02, 0x13, 0x88, 0x13, 0x24, 0x55, 0x0F, 0xA0, 0x0F, 0x3C, 0x5A }, 6, { { "frp_a_cmd", NA }, { "frp_a", 49000 }, { "frt_a", NA }, { "frp_b_cmd", NA }, { "frp_b", NA }, { "frt_b", NA } } },
    { 0x6D, "bit2", 11, { 0x04, 0x13, 0x88, 0x13, 0x24, 0x55, 0x0F, 0xA0, 0x0F, 0x3C, 0x5A }, 6, { { "frp_a_cmd", NA }, { "frp_a", NA }, { "frt_a", 45 }, { "frp_b_cmd", NA }, { "frp_b", NA }, { "frt_b", NA } } },
    { 0x6D, "bit3", 11, { 0x08, 0x13, 0x88, 0x13, 0x24, 0x55, 0x0F, 0xA0, 0x0F, 0x3C, 0x5A }, 6, { { "frp_a_cmd", NA }, { "frp_a", NA }, { "frt_a", NA }, { "frp_b_cmd", 40000 }, { "frp_b", NA }, { "frt_b", NA } } },
    { 0x6D, "bit4", 11, { 0x10, 0x13, 0x88, 0x13, 0x24, 0x55, 0x0F, 0xA0, 0x0F, 0x3C, 0x5A }, 6, { { "frp_a_cmd", NA }, { "frp_a", NA }, { "frt_a", NA }, { "frp_b_cmd", NA }, { "frp_b", 39000 }, { "frt_b", NA } } },
    { 0x6D, "bit5", 11, { 0x20, 0x13, 0x88, 0x13, 0x24, 0x55, 0x0F, 0xA0, 0x0F, 0x3C, 0x5A }, 6, { { "frp_a_cmd", NA }, { "frp_a", NA }, { "frt_a", NA }, { "frp_b_cmd", NA }, { "frp_b", NA }, { "frt_b", 50 } } },
    { 0x6E, "bit0", 9, { 0x01, 0x07, 0xD0, 0x07, 0xBC, 0x07, 0xA8, 0x07, 0x94 }, 4, { { "icp_a_cmd", 20000 }, { "icp_a", NA }, { "icp_b_cmd", NA }, { "icp_b", NA } } },
    { 0x6E, "bit1", 9, { 0x02, 0x07, 0xD0, 0x07, 0xBC, 0x07, 0xA8, 0x07, 0x94 }, 4, { { "icp_a_cmd", NA }, { "icp_a", 19800 }, { "icp_b_cmd", NA }, { "icp_b", NA } } },
    { 0x6E, "bit2", 9, { 0x04, 0x07, 0xD0, 0x07, 0xBC, 0x07, 0xA8, 0x07, 0x94 }, 4, { { "icp_a_cmd", NA }, { "icp_a", NA }, { "icp_b_cmd", 19600 }, { "icp_b", NA } } },
    { 0x6E, "bit3", 9, { 0x08, 0x07, 0xD0, 0x07, 0xBC, 0x07, 0xA8, 0x07, 0x94 }, 4, { { "icp_a_cmd", NA }, { "icp_a", NA }, { "icp_b_cmd", NA }, { "icp_b", 19400 } } },
    { 0x6F, "bit0", 3, { 0x01, 0x62, 0x63 }, 2, { { "tca_inlet", 98 }, { "tcb_inlet", NA } } },
    { 0x6F, "bit1", 3, { 0x02, 0x62, 0x63 }, 2, { { "tca_inlet", NA }, { "tcb_inlet", 99 } } },
    { 0x70, "bit0", 10, { 0x01, 0x0C, 0x80, 0x0C, 0x40, 0x0D, 0x00, 0x0C, 0xC0, 0x06 }, 6, { { "boost_a_cmd", 100 }, { "boost_a", NA }, { "boost_a_status", NA }, { "boost_b_cmd", NA }, { "boost_b", NA }, { "boost_b_status", NA } } },
    { 0x70, "bit1", 10, { 0x02, 0x0C, 0x80, 0x0C, 0x40, 0x0D, 0x00, 0x0C, 0xC0, 0x06 }, 6, { { "boost_a_cmd", NA }, { "boost_a", 98 }, { "boost_a_status", NA }, { "boost_b_cmd", NA }, { "boost_b", NA }, { "boost_b_status", NA } } },
    { 0x70, "bit2", 10, { 0x04, 0x0C, 0x80, 0x0C, 0x40, 0x0D, 0x00, 0x0C, 0xC0, 0x06 }, 6, { { "boost_a_cmd", NA }, { "boost_a", NA }, { "boost_a_status", 2 }, { "boost_b_cmd", NA }, { "boost_b", NA }, { "boost_b_status", NA } } },
    { 0x70, "bit3", 10, { 0x08, 0x0C, 0x80, 0x0C, 0x40, 0x0D, 0x00, 0x0C, 0xC0, 0x06 }, 6, { { "boost_a_cmd", NA }, { "boost_a", NA }, { "boost_a_status", NA }, { "boost_b_cmd", 104 }, { "boost_b", NA }, { "boost_b_status", NA } } },
    { 0x70, "bit4", 10, { 0x10, 0x0C, 0x80, 0x0C, 0x40, 0x0D, 0x00, 0x0C, 0xC0, 0x06 }, 6, { { "boost_a_cmd", NA }, { "boost_a", NA }, { "boost_a_status", NA }, { "boost_b_cmd", NA }, { "boost_b", 102 }, { "boost_b_status", NA } } },
    { 0x70, "bit5", 10, { 0x20, 0x0C, 0x80, 0x0C, 0x40, 0x0D, 0x00, 0x0C, 0xC0, 0x06 }, 6, { { "boost_a_cmd", NA }, { "boost_a", NA }, { "boost_a_status", NA }, { "boost_b_cmd", NA }, { "boost_b", NA }, { "boost_b_status", 1 } } },
    { 0x71, "bit0", 6, { 0x01, 0x99, 0x96, 0x80, 0x7F, 0x09 }, 6, { { "vgt_a_cmd", 60 }, { "vgt_a", NA }, { "vgt_a_status", NA }, { "vgt_b_cmd", NA }, { "vgt_b", NA }, { "vgt_b_status", NA } } },
    { 0x71, "bit1", 6, { 0x02, 0x99, 0x96, 0x80, 0x7F, 0x09 }, 6, { { "vgt_a_cmd", NA }, { "vgt_a", 58.82352941 }, { "vgt_a_status", NA }, { "vgt_b_cmd", NA }, { "vgt_b", NA }, { "vgt_b_status", NA } } },
    { 0x71, "bit2", 6, { 0x04, 0x99, 0x96, 0x80, 0x7F, 0x09 }, 6, { { "vgt_a_cmd", NA }, { "vgt_a", NA }, { "vgt_a_status", 1 }, { "vgt_b_cmd", NA }, { "vgt_b", NA }, { "vgt_b_status", NA } } },
    { 0x71, "bit3", 6, { 0x08, 0x99, 0x96, 0x80, 0x7F, 0x09 }, 6, { { "vgt_a_cmd", NA }, { "vgt_a", NA }, { "vgt_a_status", NA }, { "vgt_b_cmd", 50.19607843 }, { "vgt_b", NA }, { "vgt_b_status", NA } } },
    { 0x71, "bit4", 6, { 0x10, 0x99, 0x96, 0x80, 0x7F, 0x09 }, 6, { { "vgt_a_cmd", NA }, { "vgt_a", NA }, { "vgt_a_status", NA }, { "vgt_b_cmd", NA }, { "vgt_b", 49.80392157 }, { "vgt_b_status", NA } } },
    { 0x71, "bit5", 6, { 0x20, 0x99, 0x96, 0x80, 0x7F, 0x09 }, 6, { { "vgt_a_cmd", NA }, { "vgt_a", NA }, { "vgt_a_status", NA }, { "vgt_b_cmd", NA }, { "vgt_b", NA }, { "vgt_b_status", 2 } } },
    { 0x72, "bit0", 5, { 0x01, 0x4D, 0x4C, 0x33, 0x32 }, 4, { { "wg_a_cmd", 30.19607843 }, { "wg_a", NA }, { "wg_b_cmd", NA }, { "wg_b", NA } } },
    { 0x72, "bit1", 5, { 0x02, 0x4D, 0x4C, 0x33, 0x32 }, 4, { { "wg_a_cmd", NA }, { "wg_a", 29.80392157 }, { "wg_b_cmd", NA }, { "wg_b", NA } } },
    { 0x72, "bit2", 5, { 0x04, 0x4D, 0x4C, 0x33, 0x32 }, 4, { { "wg_a_cmd", NA }, { "wg_a", NA }, { "wg_b_cmd", 20 }, { "wg_b", NA } } },
    { 0x72, "bit3", 5, { 0x08, 0x4D, 0x4C, 0x33, 0x32 }, 4, { { "wg_a_cmd", NA }, { "wg_a", NA }, { "wg_b_cmd", NA }, { "wg_b", 19.60784314 } } },
    { 0x73, "bit0", 5, { 0x01, 0x27, 0x74, 0x27, 0x10 }, 2, { { "ep_b1", 101 }, { "ep_b2", NA } } },
    { 0x73, "bit1", 5, { 0x02, 0x27, 0x74, 0x27, 0x10 }, 2, { { "ep_b1", NA }, { "ep_b2", 100 } } },
    { 0x74, "bit0", 5, { 0x01, 0x27, 0x10, 0x1F, 0x40 }, 2, { { "tca_rpm", 100000 }, { "tcb_rpm", NA } } },
    { 0x74, "bit1", 5, { 0x02, 0x27, 0x10, 0x1F, 0x40 }, 2, { { "tca_rpm", NA }, { "tcb_rpm", 80000 } } },
    { 0x75, "bit0", 7, { 0x01, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", 25 }, { "compressor_outlet", NA }, { "turbine_inlet", NA }, { "turbine_outlet", NA } } },
    { 0x75, "bit1", 7, { 0x02, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", NA }, { "compressor_outlet", 110 }, { "turbine_inlet", NA }, { "turbine_outlet", NA } } },
    { 0x75, "bit2", 7, { 0x04, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", NA }, { "compressor_outlet", NA }, { "turbine_inlet", 710 }, { "turbine_outlet", NA } } },
    { 0x75, "bit3", 7, { 0x08, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", NA }, { "compressor_outlet", NA }, { "turbine_inlet", NA }, { "turbine_outlet", 560 } } },
    { 0x76, "bit0", 7, { 0x01, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", 25 }, { "compressor_outlet", NA }, { "turbine_inlet", NA }, { "turbine_outlet", NA } } },
    { 0x76, "bit1", 7, { 0x02, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", NA }, { "compressor_outlet", 110 }, { "turbine_inlet", NA }, { "turbine_outlet", NA } } },
    { 0x76, "bit2", 7, { 0x04, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", NA }, { "compressor_outlet", NA }, { "turbine_inlet", 710 }, { "turbine_outlet", NA } } },
    { 0x76, "bit3", 7, { 0x08, 0x41, 0x96, 0x1D, 0x4C, 0x17, 0x70 }, 4, { { "compressor_inlet", NA }, { "compressor_outlet", NA }, { "turbine_inlet", NA }, { "turbine_outlet", 560 } } },
    { 0x77, "bit0", 5, { 0x01, 0x50, 0x5A, 0x51, 0x5B }, 4, { { "cact_b1s1", 40 }, { "cact_b1s2", NA }, { "cact_b2s1", NA }, { "cact_b2s2", NA } } },
    { 0x77, "bit1", 5, { 0x02, 0x50, 0x5A, 0x51, 0x5B }, 4, { { "cact_b1s1", NA }, { "cact_b1s2", 50 }, { "cact_b2s1", NA }, { "cact_b2s2", NA } } },
    { 0x77, "bit2", 5, { 0x04, 0x50, 0x5A, 0x51, 0x5B }, 4, { { "cact_b1s1", NA }, { "cact_b1s2", NA }, { "cact_b2s1", 41 }, { "cact_b2s2", NA } } },
    { 0x77, "bit3", 5, { 0x08, 0x50, 0x5A, 0x51, 0x5B }, 4, { { "cact_b1s1", NA }, { "cact_b1s2", NA }, { "cact_b2s1", NA }, { "cact_b2s2", 51 } } },
    { 0x78, "bit0", 9, { 0x01, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", 710 }, { "egt_s2", NA }, { "egt_s3", NA }, { "egt_s4", NA } } },
    { 0x78, "bit1", 9, { 0x02, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", NA }, { "egt_s2", 630 }, { "egt_s3", NA }, { "egt_s4", NA } } },
    { 0x78, "bit2", 9, { 0x04, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", NA }, { "egt_s2", NA }, { "egt_s3", 560 }, { "egt_s4", NA } } },
    { 0x78, "bit3", 9, { 0x08, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", NA }, { "egt_s2", NA }, { "egt_s3", NA }, { "egt_s4", 460 } } },
    { 0x79, "bit0", 9, { 0x01, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", 710 }, { "egt_s2", NA }, { "egt_s3", NA }, { "egt_s4", NA } } },
    { 0x79, "bit1", 9, { 0x02, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", NA }, { "egt_s2", 630 }, { "egt_s3", NA }, { "egt_s4", NA } } },
    { 0x79, "bit2", 9, { 0x04, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", NA }, { "egt_s2", NA }, { "egt_s3", 560 }, { "egt_s4", NA } } },
    { 0x79, "bit3", 9, { 0x08, 0x1D, 0x4C, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88 }, 4, { { "egt_s1", NA }, { "egt_s2", NA }, { "egt_s3", NA }, { "egt_s4", 460 } } },
    { 0x7A, "bit0", 7, { 0x01, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", 5 }, { "inlet_pressure", NA }, { "outlet_pressure", NA } } },
    { 0x7A, "bit1", 7, { 0x02, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", NA }, { "inlet_pressure", 103 }, { "outlet_pressure", NA } } },
    { 0x7A, "bit2", 7, { 0x04, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", NA }, { "inlet_pressure", NA }, { "outlet_pressure", 101 } } },
    { 0x7B, "bit0", 7, { 0x01, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", 5 }, { "inlet_pressure", NA }, { "outlet_pressure", NA } } },
    { 0x7B, "bit1", 7, { 0x02, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", NA }, { "inlet_pressure", 103 }, { "outlet_pressure", NA } } },
    { 0x7B, "bit2", 7, { 0x04, 0x01, 0xF4, 0x28, 0x3C, 0x27, 0x74 }, 3, { { "delta_pressure", NA }, { "inlet_pressure", NA }, { "outlet_pressure", 101 } } },
    { 0x7C, "bit0", 9, { 0x01, 0x1A, 0x2C, 0x1B, 0xBC, 0x19, 0x64, 0x1C, 0x84 }, 4, { { "b1_inlet", 630 }, { "b1_outlet", NA }, { "b2_inlet", NA }, { "b2_outlet", NA } } },
    { 0x7C, "bit1", 9, { 0x02, 0x1A, 0x2C, 0x1B, 0xBC, 0x19, 0x64, 0x1C, 0x84 }, 4, { { "b1_inlet", NA }, { "b1_outlet", 670 }, { "b2_inlet", NA }, { "b2_outlet", NA } } },
    { 0x7C, "bit2", 9, { 0x04, 0x1A, 0x2C, 0x1B, 0xBC, 0x19, 0x64, 0x1C, 0x84 }, 4, { { "b1_inlet", NA }, { "b1_outlet", NA }, { "b2_inlet", 610 }, { "b2_outlet", NA } } },
    { 0x7C, "bit3", 9, { 0x08, 0x1A, 0x2C, 0x1B, 0xBC, 0x19, 0x64, 0x1C, 0x84 }, 4, { { "b1_inlet", NA }, { "b1_outlet", NA }, { "b2_inlet", NA }, { "b2_outlet", 690 } } },
    { 0x7F, "bit0", 13, { 0x01, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x00, 0x02, 0x58 }, 3, { { "total", 86400 }, { "idle", NA }, { "pto", NA } } },
    { 0x7F, "bit1", 13, { 0x02, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x00, 0x02, 0x58 }, 3, { { "total", NA }, { "idle", 3600 }, { "pto", NA } } },
    { 0x7F, "bit2", 13, { 0x04, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x00, 0x02, 0x58 }, 3, { { "total", NA }, { "idle", NA }, { "pto", 600 } } },
    { 0x81, "bit0", 41, { 0x01, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd1_timer1", 1000 }, { "aecd1_timer2", 2000 }, { "aecd2_timer1", NA }, { "aecd2_timer2", NA }, { "aecd3_timer1", NA }, { "aecd3_timer2", NA }, { "aecd4_timer1", NA }, { "aecd4_timer2", NA }, { "aecd5_timer1", NA }, { "aecd5_timer2", NA } } },
    { 0x81, "bit1", 41, { 0x02, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd1_timer1", NA }, { "aecd1_timer2", NA }, { "aecd2_timer1", 3000 }, { "aecd2_timer2", 4000 }, { "aecd3_timer1", NA }, { "aecd3_timer2", NA }, { "aecd4_timer1", NA }, { "aecd4_timer2", NA }, { "aecd5_timer1", NA }, { "aecd5_timer2", NA } } },
    { 0x81, "bit2", 41, { 0x04, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd1_timer1", NA }, { "aecd1_timer2", NA }, { "aecd2_timer1", NA }, { "aecd2_timer2", NA }, { "aecd3_timer1", 5000 }, { "aecd3_timer2", 6000 }, { "aecd4_timer1", NA }, { "aecd4_timer2", NA }, { "aecd5_timer1", NA }, { "aecd5_timer2", NA } } },
    { 0x81, "bit3", 41, { 0x08, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd1_timer1", NA }, { "aecd1_timer2", NA }, { "aecd2_timer1", NA }, { "aecd2_timer2", NA }, { "aecd3_timer1", NA }, { "aecd3_timer2", NA }, { "aecd4_timer1", 7000 }, { "aecd4_timer2", 8000 }, { "aecd5_timer1", NA }, { "aecd5_timer2", NA } } },
    { 0x81, "bit4", 41, { 0x10, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd1_timer1", NA }, { "aecd1_timer2", NA }, { "aecd2_timer1", NA }, { "aecd2_timer2", NA }, { "aecd3_timer1", NA }, { "aecd3_timer2", NA }, { "aecd4_timer1", NA }, { "aecd4_timer2", NA }, { "aecd5_timer1", 9000 }, { "aecd5_timer2", 10000 } } },
    { 0x82, "bit0", 41, { 0x01, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd6_timer1", 1000 }, { "aecd6_timer2", 2000 }, { "aecd7_timer1", NA }, { "aecd7_timer2", NA }, { "aecd8_timer1", NA }, { "aecd8_timer2", NA }, { "aecd9_timer1", NA }, { "aecd9_timer2", NA }, { "aecd10_timer1", NA }, { "aecd10_timer2", NA } } },
    { 0x82, "bit1", 41, { 0x02, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd6_timer1", NA }, { "aecd6_timer2", NA }, { "aecd7_timer1", 3000 }, { "aecd7_timer2", 4000 }, { "aecd8_timer1", NA }, { "aecd8_timer2", NA }, { "aecd9_timer1", NA }, { "aecd9_timer2", NA }, { "aecd10_timer1", NA }, { "aecd10_timer2", NA } } },
    { 0x82, "bit2", 41, { 0x04, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd6_timer1", NA }, { "aecd6_timer2", NA }, { "aecd7_timer1", NA }, { "aecd7_timer2", NA }, { "aecd8_timer1", 5000 }, { "aecd8_timer2", 6000 }, { "aecd9_timer1", NA }, { "aecd9_timer2", NA }, { "aecd10_timer1", NA }, { "aecd10_timer2", NA } } },
    { 0x82, "bit3", 41, { 0x08, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd6_timer1", NA }, { "aecd6_timer2", NA }, { "aecd7_timer1", NA }, { "aecd7_timer2", NA }, { "aecd8_timer1", NA }, { "aecd8_timer2", NA }, { "aecd9_timer1", 7000 }, { "aecd9_timer2", 8000 }, { "aecd10_timer1", NA }, { "aecd10_timer2", NA } } },
    { 0x82, "bit4", 41, { 0x10, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd6_timer1", NA }, { "aecd6_timer2", NA }, { "aecd7_timer1", NA }, { "aecd7_timer2", NA }, { "aecd8_timer1", NA }, { "aecd8_timer2", NA }, { "aecd9_timer1", NA }, { "aecd9_timer2", NA }, { "aecd10_timer1", 9000 }, { "aecd10_timer2", 10000 } } },
    { 0x83, "bit0", 9, { 0x01, 0x00, 0x96, 0x00, 0x0A, 0x00, 0x97, 0x00, 0x0B }, 4, { { "nox_b1s1", 150 }, { "nox_b1s2", NA }, { "nox_b2s1", NA }, { "nox_b2s2", NA } } },
    { 0x83, "bit1", 9, { 0x02, 0x00, 0x96, 0x00, 0x0A, 0x00, 0x97, 0x00, 0x0B }, 4, { { "nox_b1s1", NA }, { "nox_b1s2", 10 }, { "nox_b2s1", NA }, { "nox_b2s2", NA } } },
    { 0x83, "bit2", 9, { 0x04, 0x00, 0x96, 0x00, 0x0A, 0x00, 0x97, 0x00, 0x0B }, 4, { { "nox_b1s1", NA }, { "nox_b1s2", NA }, { "nox_b2s1", 151 }, { "nox_b2s2", NA } } },
    { 0x83, "bit3", 9, { 0x08, 0x00, 0x96, 0x00, 0x0A, 0x00, 0x97, 0x00, 0x0B }, 4, { { "nox_b1s1", NA }, { "nox_b1s2", NA }, { "nox_b2s1", NA }, { "nox_b2s2", 11 } } },
    { 0x85, "bit0", 10, { 0x01, 0x00, 0xC8, 0x00, 0xD2, 0x80, 0x00, 0x00, 0x1C, 0x20 }, 4, { { "reagent_rate", 1 }, { "reagent_demand", NA }, { "reagent_level", NA }, { "nwi_time", NA } } },
    { 0x85, "bit1", 10, { 0x02, 0x00, 0xC8, 0x00, 0xD2, 0x80, 0x00, 0x00, 0x1C, 0x20 }, 4, { { "reagent_rate", NA }, { "reagent_demand", 1.05 }, { "reagent_level", NA }, { "nwi_time", NA } } },
    { 0x85, "bit2", 10, { 0x04, 0x00, 0xC8, 0x00, 0xD2, 0x80, 0x00, 0x00, 0x1C, 0x20 }, 4, { { "reagent_rate", NA }, { "reagent_demand", NA }, { "reagent_level", 50.19607843 }, { "nwi_time", NA } } },
    { 0x85, "bit3", 10, { 0x08, 0x00, 0xC8, 0x00, 0xD2, 0x80, 0x00, 0x00, 0x1C, 0x20 }, 4, { { "reagent_rate", NA }, { "reagent_demand", NA }, { "reagent_level", NA }, { "nwi_time", 7200 } } },
    { 0x86, "bit0", 5, { 0x01, 0x00, 0x50, 0x00, 0xA0 }, 2, { { "pm_b1s1", 1 }, { "pm_b2s1", NA } } },
    { 0x86, "bit1", 5, { 0x02, 0x00, 0x50, 0x00, 0xA0 }, 2, { { "pm_b1s1", NA }, { "pm_b2s1", 2 } } },
    { 0x87, "bit0", 5, { 0x01, 0x0C, 0xA0, 0x0C, 0x80 }, 2, { { "map_a", 101 }, { "map_b", NA } } },
    { 0x87, "bit1", 5, { 0x02, 0x0C, 0xA0, 0x0C, 0x80 }, 2, { { "map_a", NA }, { "map_b", 100 } } },
    { 0x89, "bit0", 41, { 0x01, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd11_timer1", 1000 }, { "aecd11_timer2", 2000 }, { "aecd12_timer1", NA }, { "aecd12_timer2", NA }, { "aecd13_timer1", NA }, { "aecd13_timer2", NA }, { "aecd14_timer1", NA }, { "aecd14_timer2", NA }, { "aecd15_timer1", NA }, { "aecd15_timer2", NA } } },
    { 0x89, "bit1", 41, { 0x02, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd11_timer1", NA }, { "aecd11_timer2", NA }, { "aecd12_timer1", 3000 }, { "aecd12_timer2", 4000 }, { "aecd13_timer1", NA }, { "aecd13_timer2", NA }, { "aecd14_timer1", NA }, { "aecd14_timer2", NA }, { "aecd15_timer1", NA }, { "aecd15_timer2", NA } } },
    { 0x89, "bit2", 41, { 0x04, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd11_timer1", NA }, { "aecd11_timer2", NA }, { "aecd12_timer1", NA }, { "aecd12_timer2", NA }, { "aecd13_timer1", 5000 }, { "aecd13_timer2", 6000 }, { "aecd14_timer1", NA }, { "aecd14_timer2", NA }, { "aecd15_timer1", NA }, { "aecd15_timer2", NA } } },
    { 0x89, "bit3", 41, { 0x08, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd11_timer1", NA }, { "aecd11_timer2", NA }, { "aecd12_timer1", NA }, { "aecd12_timer2", NA }, { "aecd13_timer1", NA }, { "aecd13_timer2", NA }, { "aecd14_timer1", 7000 }, { "aecd14_timer2", 8000 }, { "aecd15_timer1", NA }, { "aecd15_timer2", NA } } },
    { 0x89, "bit4", 41, { 0x10, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd11_timer1", NA }, { "aecd11_timer2", NA }, { "aecd12_timer1", NA }, { "aecd12_timer2", NA }, { "aecd13_timer1", NA }, { "aecd13_timer2", NA }, { "aecd14_timer1", NA }, { "aecd14_timer2", NA }, { "aecd15_timer1", 9000 }, { "aecd15_timer2", 10000 } } },
    { 0x8A, "bit0", 41, { 0x01, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd16_timer1", 1000 }, { "aecd16_timer2", 2000 }, { "aecd17_timer1", NA }, { "aecd17_timer2", NA }, { "aecd18_timer1", NA }, { "aecd18_timer2", NA }, { "aecd19_timer1", NA }, { "aecd19_timer2", NA }, { "aecd20_timer1", NA }, { "aecd20_timer2", NA } } },
    { 0x8A, "bit1", 41, { 0x02, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd16_timer1", NA }, { "aecd16_timer2", NA }, { "aecd17_timer1", 3000 }, { "aecd17_timer2", 4000 }, { "aecd18_timer1", NA }, { "aecd18_timer2", NA }, { "aecd19_timer1", NA }, { "aecd19_timer2", NA }, { "aecd20_timer1", NA }, { "aecd20_timer2", NA } } },
    { 0x8A, "bit2", 41, { 0x04, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd16_timer1", NA }, { "aecd16_timer2", NA }, { "aecd17_timer1", NA }, { "aecd17_timer2", NA }, { "aecd18_timer1", 5000 }, { "aecd18_timer2", 6000 }, { "aecd19_timer1", NA }, { "aecd19_timer2", NA }, { "aecd20_timer1", NA }, { "aecd20_timer2", NA } } },
    { 0x8A, "bit3", 41, { 0x08, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd16_timer1", NA }, { "aecd16_timer2", NA }, { "aecd17_timer1", NA }, { "aecd17_timer2", NA }, { "aecd18_timer1", NA }, { "aecd18_timer2", NA }, { "aecd19_timer1", 7000 }, { "aecd19_timer2", 8000 }, { "aecd20_timer1", NA }, { "aecd20_timer2", NA } } },
    { 0x8A, "bit4", 41, { 0x10, 0x00, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x0B, 0xB8, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x17, 0x70, 0x00, 0x00, 0x1B, 0x58, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x27, 0x10 }, 10, { { "aecd16_timer1", NA }, { "aecd16_timer2", NA }, { "aecd17_timer1", NA }, { "aecd17_timer2", NA }, { "aecd18_timer1", NA }, { "aecd18_timer2", NA }, { "aecd19_timer1", NA }, { "aecd19_timer2", NA }, { "aecd20_timer1", 9000 }, { "aecd20_timer2", 10000 } } },
    { 0x8B, "bit0", 7, { 0x01, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", 1 }, { "dpf_regen_type", NA }, { "nox_ads_regen", NA }, { "nox_ads_desulf", NA }, { "dpf_regen_trigger", NA }, { "dpf_regen_avg_time", NA }, { "dpf_regen_avg_distance", NA } } },
    { 0x8B, "bit1", 7, { 0x02, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", NA }, { "dpf_regen_type", 0 }, { "nox_ads_regen", NA }, { "nox_ads_desulf", NA }, { "dpf_regen_trigger", NA }, { "dpf_regen_avg_time", NA }, { "dpf_regen_avg_distance", NA } } },
    { 0x8B, "bit2", 7, { 0x04, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", NA }, { "dpf_regen_type", NA }, { "nox_ads_regen", 1 }, { "nox_ads_desulf", NA }, { "dpf_regen_trigger", NA }, { "dpf_regen_avg_time", NA }, { "dpf_regen_avg_distance", NA } } },
    { 0x8B, "bit3", 7, { 0x08, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", NA }, { "dpf_regen_type", NA }, { "nox_ads_regen", NA }, { "nox_ads_desulf", 0 }, { "dpf_regen_trigger", NA }, { "dpf_regen_avg_time", NA }, { "dpf_regen_avg_distance", NA } } },
    { 0x8B, "bit4", 7, { 0x10, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", NA }, { "dpf_regen_type", NA }, { "nox_ads_regen", NA }, { "nox_ads_desulf", NA }, { "dpf_regen_trigger", 50.19607843 }, { "dpf_regen_avg_time", NA }, { "dpf_regen_avg_distance", NA } } },
    { 0x8B, "bit5", 7, { 0x20, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", NA }, { "dpf_regen_type", NA }, { "nox_ads_regen", NA }, { "nox_ads_desulf", NA }, { "dpf_regen_trigger", NA }, { "dpf_regen_avg_time", 60 }, { "dpf_regen_avg_distance", NA } } },
    { 0x8B, "bit6", 7, { 0x40, 0x05, 0x80, 0x00, 0x3C, 0x01, 0xF4 }, 7, { { "dpf_regen_active", NA }, { "dpf_regen_type", NA }, { "nox_ads_regen", NA }, { "nox_ads_desulf", NA }, { "dpf_regen_trigger", NA }, { "dpf_regen_avg_time", NA }, { "dpf_regen_avg_distance", 500 } } },
    { 0x8C, "bit0", 17, { 0x01, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", 1.526 }, { "conc_b1s2", NA }, { "conc_b2s1", NA }, { "conc_b2s2", NA }, { "lambda_b1s1", NA }, { "lambda_b1s2", NA }, { "lambda_b2s1", NA }, { "lambda_b2s2", NA } } },
    { 0x8C, "bit1", 17, { 0x02, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", NA }, { "conc_b1s2", 3.052 }, { "conc_b2s1", NA }, { "conc_b2s2", NA }, { "lambda_b1s1", NA }, { "lambda_b1s2", NA }, { "lambda_b2s1", NA }, { "lambda_b2s2", NA } } },
    { 0x8C, "bit2", 17, { 0x04, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", NA }, { "conc_b1s2", NA }, { "conc_b2s1", 4.578 }, { "conc_b2s2", NA }, { "lambda_b1s1", NA }, { "lambda_b1s2", NA }, { "lambda_b2s1", NA }, { "lambda_b2s2", NA } } },
    { 0x8C, "bit3", 17, { 0x08, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", NA }, { "conc_b1s2", NA }, { "conc_b2s1", NA }, { "conc_b2s2", 6.104 }, { "lambda_b1s1", NA }, { "lambda_b1s2", NA }, { "lambda_b2s1", NA }, { "lambda_b2s2", NA } } },
    { 0x8C, "bit4", 17, { 0x10, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", NA }, { "conc_b1s2", NA }, { "conc_b2s1", NA }, { "conc_b2s2", NA }, { "lambda_b1s1", 0.999424 }, { "lambda_b1s2", NA }, { "lambda_b2s1", NA }, { "lambda_b2s2", NA } } },
    { 0x8C, "bit5", 17, { 0x20, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", NA }, { "conc_b1s2", NA }, { "conc_b2s1", NA }, { "conc_b2s2", NA }, { "lambda_b1s1", NA }, { "lambda_b1s2", 1.030656 }, { "lambda_b2s1", NA }, { "lambda_b2s2", NA } } },
    { 0x8C, "bit6", 17, { 0x40, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", NA }, { "conc_b1s2", NA }, { "conc_b2s1", NA }, { "conc_b2s2", NA }, { "lambda_b1s1", NA }, { "lambda_b1s2", NA }, { "lambda_b2s1", 0.968192 }, { "lambda_b2s2", NA } } },
    { 0x8C, "bit7", 17, { 0x80, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s1", NA }, { "conc_b1s2", NA }, { "conc_b2s1", NA }, { "conc_b2s2", NA }, { "lambda_b1s1", NA }, { "lambda_b1s2", NA }, { "lambda_b2s1", NA }, { "lambda_b2s2", 1.061888 } } },
    { 0x8F, "bit0", 7, { 0x01, 0x01, 0xFF, 0x9C, 0x02, 0x00, 0x64 }, 6, { { "b1s1_active", 1 }, { "b1s1_regen", 0 }, { "b1s1_output", NA }, { "b2s1_active", NA }, { "b2s1_regen", NA }, { "b2s1_output", NA } } },
    { 0x8F, "bit1", 7, { 0x02, 0x01, 0xFF, 0x9C, 0x02, 0x00, 0x64 }, 6, { { "b1s1_active", NA }, { "b1s1_regen", NA }, { "b1s1_output", -1 }, { "b2s1_active", NA }, { "b2s1_regen", NA }, { "b2s1_output", NA } } },
    { 0x8F, "bit2", 7, { 0x04, 0x01, 0xFF, 0x9C, 0x02, 0x00, 0x64 }, 6, { { "b1s1_active", NA }, { "b1s1_regen", NA }, { "b1s1_output", NA }, { "b2s1_active", 0 }, { "b2s1_regen", 1 }, { "b2s1_output", NA } } },
    { 0x8F, "bit3", 7, { 0x08, 0x01, 0xFF, 0x9C, 0x02, 0x00, 0x64 }, 6, { { "b1s1_active", NA }, { "b1s1_regen", NA }, { "b1s1_output", NA }, { "b2s1_active", NA }, { "b2s1_regen", NA }, { "b2s1_output", 1 } } },
    { 0x92, "bit0", 2, { 0x01, 0x05 }, 8, { { "fp1_closed", 1 }, { "fiq1_closed", NA }, { "fit1_closed", NA }, { "ifb1_closed", NA }, { "fp2_closed", NA }, { "fiq2_closed", NA }, { "fit2_closed", NA }, { "ifb2_closed", NA } } },
    { 0x92, "bit1", 2, { 0x02, 0x05 }, 8, { { "fp1_closed", NA }, { "fiq1_closed", 0 }, { "fit1_closed", NA }, { "ifb1_closed", NA }, { "fp2_closed", NA }, { "fiq2_closed", NA }, { "fit2_closed", NA }, { "ifb2_closed", NA } } },
    { 0x92, "bit2", 2, { 0x04, 0x05 }, 8, { { "fp1_closed", NA }, { "fiq1_closed", NA }, { "fit1_closed", 1 }, { "ifb1_closed", NA }, { "fp2_closed", NA }, { "fiq2_closed", NA }, { "fit2_closed", NA }, { "ifb2_closed", NA } } },
    { 0x92, "bit3", 2, { 0x08, 0x05 }, 8, { { "fp1_closed", NA }, { "fiq1_closed", NA }, { "fit1_closed", NA }, { "ifb1_closed", 0 }, { "fp2_closed", NA }, { "fiq2_closed", NA }, { "fit2_closed", NA }, { "ifb2_closed", NA } } },
    { 0x92, "bit4", 2, { 0x10, 0x05 }, 8, { { "fp1_closed", NA }, { "fiq1_closed", NA }, { "fit1_closed", NA }, { "ifb1_closed", NA }, { "fp2_closed", 0 }, { "fiq2_closed", NA }, { "fit2_closed", NA }, { "ifb2_closed", NA } } },
    { 0x92, "bit5", 2, { 0x20, 0x05 }, 8, { { "fp1_closed", NA }, { "fiq1_closed", NA }, { "fit1_closed", NA }, { "ifb1_closed", NA }, { "fp2_closed", NA }, { "fiq2_closed", 0 }, { "fit2_closed", NA }, { "ifb2_closed", NA } } },
    { 0x92, "bit6", 2, { 0x40, 0x05 }, 8, { { "fp1_closed", NA }, { "fiq1_closed", NA }, { "fit1_closed", NA }, { "ifb1_closed", NA }, { "fp2_closed", NA }, { "fiq2_closed", NA }, { "fit2_closed", 0 }, { "ifb2_closed", NA } } },
    { 0x92, "bit7", 2, { 0x80, 0x05 }, 8, { { "fp1_closed", NA }, { "fiq1_closed", NA }, { "fit1_closed", NA }, { "ifb1_closed", NA }, { "fp2_closed", NA }, { "fiq2_closed", NA }, { "fit2_closed", NA }, { "ifb2_closed", 0 } } },
    { 0x93, "bit0", 3, { 0x01, 0x00, 0x64 }, 1, { { "mi_time_cumulative", 100 } } },
    { 0x94, "bit0", 12, { 0x01, 0x03, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0xFF, 0xFF }, 9, { { "warning_active", 1 }, { "inducement_1", 1 }, { "inducement_2", 0 }, { "inducement_3", 0 }, { "reagent_quality_time", NA }, { "reagent_consumption_time", NA }, { "reagent_dosing_time", NA }, { "egr_time", NA }, { "nox_dtc_time", NA } } },
    { 0x94, "bit1", 12, { 0x02, 0x03, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0xFF, 0xFF }, 9, { { "warning_active", NA }, { "inducement_1", NA }, { "inducement_2", NA }, { "inducement_3", NA }, { "reagent_quality_time", 5 }, { "reagent_consumption_time", NA }, { "reagent_dosing_time", NA }, { "egr_time", NA }, { "nox_dtc_time", NA } } },
    { 0x94, "bit2", 12, { 0x04, 0x03, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0xFF, 0xFF }, 9, { { "warning_active", NA }, { "inducement_1", NA }, { "inducement_2", NA }, { "inducement_3", NA }, { "reagent_quality_time", NA }, { "reagent_consumption_time", 6 }, { "reagent_dosing_time", NA }, { "egr_time", NA }, { "nox_dtc_time", NA } } },
    { 0x94, "bit3", 12, { 0x08, 0x03, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0xFF, 0xFF }, 9, { { "warning_active", NA }, { "inducement_1", NA }, { "inducement_2", NA }, { "inducement_3", NA }, { "reagent_quality_time", NA }, { "reagent_consumption_time", NA }, { "reagent_dosing_time", 7 }, { "egr_time", NA }, { "nox_dtc_time", NA } } },
    { 0x94, "bit4", 12, { 0x10, 0x03, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0xFF, 0xFF }, 9, { { "warning_active", NA }, { "inducement_1", NA }, { "inducement_2", NA }, { "inducement_3", NA }, { "reagent_quality_time", NA }, { "reagent_consumption_time", NA }, { "reagent_dosing_time", NA }, { "egr_time", 8 }, { "nox_dtc_time", NA } } },
    { 0x94, "bit5", 12, { 0x20, 0x03, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0xFF, 0xFF }, 9, { { "warning_active", NA }, { "inducement_1", NA }, { "inducement_2", NA }, { "inducement_3", NA }, { "reagent_quality_time", NA }, { "reagent_consumption_time", NA }, { "reagent_dosing_time", NA }, { "egr_time", NA }, { "nox_dtc_time", NA } } },
    { 0x98, "bit0", 9, { 0x01, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", 630 }, { "egt_s6", NA }, { "egt_s7", NA }, { "egt_s8", NA } } },
    { 0x98, "bit1", 9, { 0x02, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", NA }, { "egt_s6", 560 }, { "egt_s7", NA }, { "egt_s8", NA } } },
    { 0x98, "bit2", 9, { 0x04, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", NA }, { "egt_s6", NA }, { "egt_s7", 460 }, { "egt_s8", NA } } },
    { 0x98, "bit3", 9, { 0x08, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", NA }, { "egt_s6", NA }, { "egt_s7", NA }, { "egt_s8", 710 } } },
    { 0x99, "bit0", 9, { 0x01, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", 630 }, { "egt_s6", NA }, { "egt_s7", NA }, { "egt_s8", NA } } },
    { 0x99, "bit1", 9, { 0x02, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", NA }, { "egt_s6", 560 }, { "egt_s7", NA }, { "egt_s8", NA } } },
    { 0x99, "bit2", 9, { 0x04, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", NA }, { "egt_s6", NA }, { "egt_s7", 460 }, { "egt_s8", NA } } },
    { 0x99, "bit3", 9, { 0x08, 0x1A, 0x2C, 0x17, 0x70, 0x13, 0x88, 0x1D, 0x4C }, 4, { { "egt_s5", NA }, { "egt_s6", NA }, { "egt_s7", NA }, { "egt_s8", 710 } } },
    { 0x9A, "bit0", 6, { 0x01, 0x01, 0x5E, 0x00, 0xFF, 0x38 }, 3, { { "hev_mode", 1 }, { "battery_voltage", NA }, { "battery_current", NA } } },
    { 0x9A, "bit1", 6, { 0x02, 0x01, 0x5E, 0x00, 0xFF, 0x38 }, 3, { { "hev_mode", NA }, { "battery_voltage", 376 }, { "battery_current", NA } } },
    { 0x9A, "bit2", 6, { 0x04, 0x01, 0x5E, 0x00, 0xFF, 0x38 }, 3, { { "hev_mode", NA }, { "battery_voltage", NA }, { "battery_current", -20 } } },
    { 0x9B, "bit0", 4, { 0x11, 0x82, 0x3C, 0x80 }, 4, { { "def_type", 1 }, { "def_concentration", NA }, { "def_tank_temp", NA }, { "def_tank_level", NA } } },
    { 0x9B, "bit1", 4, { 0x12, 0x82, 0x3C, 0x80 }, 4, { { "def_type", NA }, { "def_concentration", 32.5 }, { "def_tank_temp", NA }, { "def_tank_level", NA } } },
    { 0x9B, "bit2", 4, { 0x14, 0x82, 0x3C, 0x80 }, 4, { { "def_type", NA }, { "def_concentration", NA }, { "def_tank_temp", 20 }, { "def_tank_level", NA } } },
    { 0x9B, "bit3", 4, { 0x18, 0x82, 0x3C, 0x80 }, 4, { { "def_type", NA }, { "def_concentration", NA }, { "def_tank_temp", NA }, { "def_tank_level", 50.19607843 } } },
    { 0x9C, "bit0", 17, { 0x01, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", 1.526 }, { "conc_b1s4", NA }, { "conc_b2s3", NA }, { "conc_b2s4", NA }, { "lambda_b1s3", NA }, { "lambda_b1s4", NA }, { "lambda_b2s3", NA }, { "lambda_b2s4", NA } } },
    { 0x9C, "bit1", 17, { 0x02, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", NA }, { "conc_b1s4", 3.052 }, { "conc_b2s3", NA }, { "conc_b2s4", NA }, { "lambda_b1s3", NA }, { "lambda_b1s4", NA }, { "lambda_b2s3", NA }, { "lambda_b2s4", NA } } },
    { 0x9C, "bit2", 17, { 0x04, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", NA }, { "conc_b1s4", NA }, { "conc_b2s3", 4.578 }, { "conc_b2s4", NA }, { "lambda_b1s3", NA }, { "lambda_b1s4", NA }, { "lambda_b2s3", NA }, { "lambda_b2s4", NA } } },
    { 0x9C, "bit3", 17, { 0x08, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", NA }, { "conc_b1s4", NA }, { "conc_b2s3", NA }, { "conc_b2s4", 6.104 }, { "lambda_b1s3", NA }, { "lambda_b1s4", NA }, { "lambda_b2s3", NA }, { "lambda_b2s4", NA } } },
    { 0x9C, "bit4", 17, { 0x10, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", NA }, { "conc_b1s4", NA }, { "conc_b2s3", NA }, { "conc_b2s4", NA }, { "lambda_b1s3", 0.999424 }, { "lambda_b1s4", NA }, { "lambda_b2s3", NA }, { "lambda_b2s4", NA } } },
    { 0x9C, "bit5", 17, { 0x20, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", NA }, { "conc_b1s4", NA }, { "conc_b2s3", NA }, { "conc_b2s4", NA }, { "lambda_b1s3", NA }, { "lambda_b1s4", 1.030656 }, { "lambda_b2s3", NA }, { "lambda_b2s4", NA } } },
    { 0x9C, "bit6", 17, { 0x40, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", NA }, { "conc_b1s4", NA }, { "conc_b2s3", NA }, { "conc_b2s4", NA }, { "lambda_b1s3", NA }, { "lambda_b1s4", NA }, { "lambda_b2s3", 0.968192 }, { "lambda_b2s4", NA } } },
    { 0x9C, "bit7", 17, { 0x80, 0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8, 0x0F, 0xA0, 0x20, 0x00, 0x21, 0x00, 0x1F, 0x00, 0x22, 0x00 }, 8, { { "conc_b1s3", NA }, { "conc_b1s4", NA }, { "conc_b2s3", NA }, { "conc_b2s4", NA }, { "lambda_b1s3", NA }, { "lambda_b1s4", NA }, { "lambda_b2s3", NA }, { "lambda_b2s4", 1.061888 } } },
    { 0x9F, "bit0", 9, { 0x01, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", 20 }, { "fuel_b_b1", NA }, { "fuel_a_b2", NA }, { "fuel_b_b2", NA }, { "fuel_a_b3", NA }, { "fuel_b_b3", NA }, { "fuel_a_b4", NA }, { "fuel_b_b4", NA } } },
    { 0x9F, "bit1", 9, { 0x02, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", NA }, { "fuel_b_b1", 20.39215686 }, { "fuel_a_b2", NA }, { "fuel_b_b2", NA }, { "fuel_a_b3", NA }, { "fuel_b_b3", NA }, { "fuel_a_b4", NA }, { "fuel_b_b4", NA } } },
    { 0x9F, "bit2", 9, { 0x04, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", NA }, { "fuel_b_b1", NA }, { "fuel_a_b2", 20.78431373 }, { "fuel_b_b2", NA }, { "fuel_a_b3", NA }, { "fuel_b_b3", NA }, { "fuel_a_b4", NA }, { "fuel_b_b4", NA } } },
    { 0x9F, "bit3", 9, { 0x08, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", NA }, { "fuel_b_b1", NA }, { "fuel_a_b2", NA }, { "fuel_b_b2", 21.17647059 }, { "fuel_a_b3", NA }, { "fuel_b_b3", NA }, { "fuel_a_b4", NA }, { "fuel_b_b4", NA } } },
    { 0x9F, "bit4", 9, { 0x10, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", NA }, { "fuel_b_b1", NA }, { "fuel_a_b2", NA }, { "fuel_b_b2", NA }, { "fuel_a_b3", 21.56862745 }, { "fuel_b_b3", NA }, { "fuel_a_b4", NA }, { "fuel_b_b4", NA } } },
    { 0x9F, "bit5", 9, { 0x20, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", NA }, { "fuel_b_b1", NA }, { "fuel_a_b2", NA }, { "fuel_b_b2", NA }, { "fuel_a_b3", NA }, { "fuel_b_b3", 21.96078431 }, { "fuel_a_b4", NA }, { "fuel_b_b4", NA } } },
    { 0x9F, "bit6", 9, { 0x40, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", NA }, { "fuel_b_b1", NA }, { "fuel_a_b2", NA }, { "fuel_b_b2", NA }, { "fuel_a_b3", NA }, { "fuel_b_b3", NA }, { "fuel_a_b4", 22.35294118 }, { "fuel_b_b4", NA } } },
    { 0x9F, "bit7", 9, { 0x80, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A }, 8, { { "fuel_a_b1", NA }, { "fuel_b_b1", NA }, { "fuel_a_b2", NA }, { "fuel_b_b2", NA }, { "fuel_a_b3", NA }, { "fuel_b_b3", NA }, { "fuel_a_b4", NA }, { "fuel_b_b4", 22.74509804 } } },
    { 0xA1, "bit0", 9, { 0x01, 0x00, 0x2A, 0x00, 0x2B, 0x00, 0x2C, 0xFF, 0xFF }, 4, { { "noxc_b1s1", 42 }, { "noxc_b1s2", NA }, { "noxc_b2s1", NA }, { "noxc_b2s2", NA } } },
    { 0xA1, "bit1", 9, { 0x02, 0x00, 0x2A, 0x00, 0x2B, 0x00, 0x2C, 0xFF, 0xFF }, 4, { { "noxc_b1s1", NA }, { "noxc_b1s2", 43 }, { "noxc_b2s1", NA }, { "noxc_b2s2", NA } } },
    { 0xA1, "bit2", 9, { 0x04, 0x00, 0x2A, 0x00, 0x2B, 0x00, 0x2C, 0xFF, 0xFF }, 4, { { "noxc_b1s1", NA }, { "noxc_b1s2", NA }, { "noxc_b2s1", 44 }, { "noxc_b2s2", NA } } },
    { 0xA1, "bit3", 9, { 0x08, 0x00, 0x2A, 0x00, 0x2B, 0x00, 0x2C, 0xFF, 0xFF }, 4, { { "noxc_b1s1", NA }, { "noxc_b1s2", NA }, { "noxc_b2s1", NA }, { "noxc_b2s2", NA } } },
    { 0xA3, "bit0", 9, { 0x01, 0xFF, 0x9C, 0xFF, 0xCE, 0x00, 0x64, 0x00, 0x32 }, 4, { { "evap_a", -25 }, { "evap_a_wide", NA }, { "evap_b", NA }, { "evap_b_wide", NA } } },
    { 0xA3, "bit1", 9, { 0x02, 0xFF, 0x9C, 0xFF, 0xCE, 0x00, 0x64, 0x00, 0x32 }, 4, { { "evap_a", NA }, { "evap_a_wide", -100 }, { "evap_b", NA }, { "evap_b_wide", NA } } },
    { 0xA3, "bit2", 9, { 0x04, 0xFF, 0x9C, 0xFF, 0xCE, 0x00, 0x64, 0x00, 0x32 }, 4, { { "evap_a", NA }, { "evap_a_wide", NA }, { "evap_b", 25 }, { "evap_b_wide", NA } } },
    { 0xA3, "bit3", 9, { 0x08, 0xFF, 0x9C, 0xFF, 0xCE, 0x00, 0x64, 0x00, 0x32 }, 4, { { "evap_a", NA }, { "evap_a_wide", NA }, { "evap_b", NA }, { "evap_b_wide", 100 } } },
    { 0xA4, "bit0", 4, { 0x01, 0x30, 0x05, 0xDC }, 2, { { "gear", 3 }, { "gear_ratio", NA } } },
    { 0xA4, "bit1", 4, { 0x02, 0x30, 0x05, 0xDC }, 2, { { "gear", NA }, { "gear_ratio", 1.5 } } },
    { 0xA5, "bit0", 4, { 0x01, 0x15, 0x03, 0xE8 }, 2, { { "def_cmd", 10.5 }, { "def_usage", NA } } },
    { 0xA5, "bit1", 4, { 0x02, 0x15, 0x03, 0xE8 }, 2, { { "def_cmd", NA }, { "def_usage", 0.5 } } },
};

static bool close_to(double got, double want)
{
    double tol = 1e-6 * (fabs(want) > 1.0 ? fabs(want) : 1.0);
    return fabs(got - want) <= tol;
}

static void check_case(const pid_case_t *c)
{
    obd_value_t v[OBD_PID_MAX_FIELDS];
    /* given: the case's data bytes; when: decoded */
    int n = obd_pid_decode(c->pid, c->data, c->len, v, LEN(v));
    /* then: every field has the hand-worked value (or is unavailable) */
    if (n != c->nfields)
        fail_msg("PID 0x%02X %s: %d fields, want %u", c->pid, c->what, n, c->nfields);
    for (int k = 0; k < n; k++) {
        const exp_field_t *e = &c->f[k];
        if (strcmp(v[k].field->key, e->key) != 0)
            fail_msg("PID 0x%02X %s field %d: key %s, want %s", c->pid, c->what, k, v[k].field->key, e->key);
        if (isnan(e->value)) {
            if (v[k].available)
                fail_msg("PID 0x%02X %s %s: available (%g), want n/a", c->pid, c->what, e->key, v[k].value);
            assert_true(v[k].value == 0.0);
        } else {
            if (!v[k].available)
                fail_msg("PID 0x%02X %s %s: n/a, want %.10g", c->pid, c->what, e->key, e->value);
            if (!close_to(v[k].value, e->value))
                fail_msg("PID 0x%02X %s %s: %.10g, want %.10g", c->pid, c->what, e->key, v[k].value, e->value);
        }
    }
}

static void test_every_pid_min_max_typical(void **state)
{
    (void)state;
    for (size_t i = 0; i < LEN(cases); i++)
        check_case(&cases[i]);
}

static void test_support_bit_per_field(void **state)
{
    (void)state;
    for (size_t i = 0; i < LEN(support_cases); i++)
        check_case(&support_cases[i]);
    /* and every PID whose fields use support bits has its bits covered */
    for (size_t i = 0; i < obd_pid_table_len; i++) {
        const obd_pid_t *p = &obd_pid_table[i];
        unsigned used = 0, covered = 0;
        for (unsigned k = 0; k < p->nfields; k++)
            if (p->fields[k].support_bit >= 0)
                used |= 1u << p->fields[k].support_bit;
        for (size_t k = 0; k < LEN(support_cases); k++)
            if (support_cases[k].pid == p->pid)
                covered |= support_cases[k].data[0];
        if ((used & ~covered) != 0)
            fail_msg("PID 0x%02X: support bits 0x%02X not covered by a case", p->pid, used & ~covered);
    }
}

static void test_every_table_pid_has_cases(void **state)
{
    (void)state;
    /* given: the table; then: each PID has a min, max and typical case */
    for (size_t i = 0; i < obd_pid_table_len; i++) {
        const obd_pid_t *p = &obd_pid_table[i];
        int seen = 0;
        for (size_t k = 0; k < LEN(cases); k++)
            if (cases[k].pid == p->pid) {
                seen++;
                assert_int_equal(cases[k].len, p->len);
            }
        if (seen != 3)
            fail_msg("PID 0x%02X has %d cases, want 3", p->pid, seen);
    }
    /* and no case names a PID the table does not have */
    for (size_t k = 0; k < LEN(cases); k++)
        assert_non_null(obd_pid_lookup(cases[k].pid));
    assert_int_equal(LEN(cases), 3 * obd_pid_table_len);
}

static bool has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
}

static void check_names(uint8_t pid, const char *key, const char *en, const char *zh)
{
    if (!key || !*key || !en || !*en || !zh || !*zh)
        fail_msg("PID 0x%02X %s: missing key/en/zh", pid, key ? key : "?");
    if (!has_non_ascii(zh))
        fail_msg("PID 0x%02X %s: Chinese name '%s' has no Chinese", pid, key, zh);
    for (const char *s = key; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            fail_msg("PID 0x%02X: key '%s' is not lower_snake_case", pid, key);
}

/* Decode raw r into field f the way the standard defines it (test oracle for
 * range checks only). */
static double phys(const obd_field_t *f, uint32_t raw, unsigned bits)
{
    if (f->kind == OBD_FK_SIGNED) {
        int64_t s = (int64_t)raw;
        if ((raw >> (bits - 1)) & 1u)
            s -= (int64_t)1 << bits;
        return (double)s * f->scale + f->offset;
    }
    return (double)raw * f->scale + f->offset;
}

static void test_table_invariants(void **state)
{
    (void)state;
    size_t max_fields = 0;
    assert_true(obd_pid_table_len >= 160);
    for (size_t i = 0; i < obd_pid_table_len; i++) {
        const obd_pid_t *p = &obd_pid_table[i];
        /* sorted, strictly ascending */
        if (i > 0 && obd_pid_table[i - 1].pid >= p->pid)
            fail_msg("table not sorted at PID 0x%02X", p->pid);
        check_names(p->pid, p->key, p->en, p->zh);
        /* PID keys unique */
        for (size_t j = 0; j < i; j++)
            if (!strcmp(obd_pid_table[j].key, p->key))
                fail_msg("duplicate PID key %s", p->key);
        assert_true(p->len >= 1);
        assert_true(p->nfields >= 1);
        assert_non_null(p->fields);
        if (p->nfields > max_fields)
            max_fields = p->nfields;
        /* bitmaps: $00, $20 ... one 4-byte bitmap field */
        bool is_bitmap_pid = (p->pid & 0x1F) == 0;
        assert_int_equal(!!(p->flags & OBD_PF_BITMAP), is_bitmap_pid);
        if (is_bitmap_pid) {
            assert_int_equal(p->len, 4);
            assert_int_equal(p->nfields, 1);
            assert_int_equal(p->fields[0].kind, OBD_FK_BITMAP);
        }
        assert_int_equal(!!(p->flags & OBD_PF_READINESS), p->pid == 0x01 || p->pid == 0x41);

        for (unsigned k = 0; k < p->nfields; k++) {
            const obd_field_t *f = &p->fields[k];
            check_names(p->pid, f->key, f->en, f->zh);
            for (unsigned j = 0; j < k; j++)
                if (!strcmp(p->fields[j].key, f->key))
                    fail_msg("PID 0x%02X: duplicate field key %s", p->pid, f->key);
            assert_non_null(f->unit);
            /* no field past the PID's length */
            unsigned bits;
            if (f->kind == OBD_FK_FLAG || f->nbits) {
                bits = f->kind == OBD_FK_FLAG ? 1 : f->nbits;
                if (f->byte >= p->len || f->bit + bits > 8 || f->size != 0)
                    fail_msg("PID 0x%02X %s: bit field outside the data", p->pid, f->key);
                if (f->kind == OBD_FK_FLAG && f->nbits > 1)
                    fail_msg("PID 0x%02X %s: flag wider than a bit", p->pid, f->key);
            } else {
                bits = 8u * f->size;
                if (f->size < 1 || f->size > 4 || f->byte + f->size > p->len)
                    fail_msg("PID 0x%02X %s: bytes %u..%u past length %u", p->pid, f->key, f->byte,
                             f->byte + f->size - 1, p->len);
            }
            if (f->support_bit >= 8 || f->support_bit < -1)
                fail_msg("PID 0x%02X %s: support bit %d", p->pid, f->key, f->support_bit);
            if (f->kind == OBD_FK_DTC)
                assert_int_equal(f->size, 2);
            if (f->kind == OBD_FK_ENUM) {
                assert_non_null(f->enums);
                for (const obd_enum_t *e = f->enums; e->key; e++) {
                    check_names(p->pid, e->key, e->en, e->zh);
                    for (const obd_enum_t *d = f->enums; d != e; d++)
                        if (d->raw == e->raw || !strcmp(d->key, e->key))
                            fail_msg("PID 0x%02X %s: duplicate state %s", p->pid, f->key, e->key);
                }
            }
            /* the stated physical range is exactly what the raw range gives */
            assert_true(f->min <= f->max);
            if (f->kind == OBD_FK_UNSIGNED || f->kind == OBD_FK_SIGNED) {
                uint32_t ones = bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1u;
                double lo, hi;
                if (f->kind == OBD_FK_SIGNED) {
                    lo = phys(f, 1u << (bits - 1), bits);
                    hi = phys(f, (1u << (bits - 1)) - 1u, bits);
                } else {
                    lo = phys(f, 0, bits);
                    hi = phys(f, (f->flags & OBD_FF_FF_NA) ? ones - 1u : ones, bits);
                }
                if (!close_to(lo, f->min) || !close_to(hi, f->max))
                    fail_msg("PID 0x%02X %s: range %g..%g, raw gives %g..%g", p->pid, f->key, f->min, f->max, lo, hi);
            }
        }
    }
    assert_true(max_fields <= OBD_PID_MAX_FIELDS);
}

static void test_not_available_and_support_bits(void **state)
{
    (void)state;
    obd_value_t v[OBD_PID_MAX_FIELDS];
    char txt[64];

    /* given: $14 with trim byte 0xFF (sensor not used for trim) */
    assert_int_equal(obd_pid_decode(0x14, (const uint8_t *)"\x5A\xFF", 2, v, LEN(v)), 2);
    /* then: voltage 90/200 = 0.45 V is there, the trim is not */
    assert_true(v[0].available);
    assert_true(close_to(v[0].value, 0.45));
    assert_false(v[1].available);
    assert_int_equal(v[1].raw, 0xFF);
    assert_int_equal(obd_value_format(&v[1], OBD_LANG_EN, txt, sizeof txt), 3);
    assert_string_equal(txt, "n/a");
    obd_value_format(&v[1], OBD_LANG_ZH, txt, sizeof txt);
    assert_string_equal(txt, "不可用");
    /* and 0xFE is a real trim: (254-128)*100/128 = 98.4375 % */
    assert_int_equal(obd_pid_decode(0x14, (const uint8_t *)"\x5A\xFE", 2, v, LEN(v)), 2);
    assert_true(v[1].available);
    assert_true(close_to(v[1].value, 98.4375));

    /* given: $66 with only sensor A supported; then B is unavailable even though its bytes are set */
    const uint8_t maf[] = { 0x01, 0x0C, 0x80, 0x12, 0x34 };
    assert_int_equal(obd_pid_decode(0x66, maf, sizeof maf, v, LEN(v)), 2);
    assert_true(v[0].available);
    assert_true(close_to(v[0].value, 100.0)); /* 0x0C80 = 3200, /32 */
    assert_false(v[1].available);
    assert_true(v[1].value == 0.0);
    /* given: support byte 0 -> nothing available */
    const uint8_t none[] = { 0x00, 0x0C, 0x80, 0x12, 0x34 };
    assert_int_equal(obd_pid_decode(0x66, none, sizeof none, v, LEN(v)), 2);
    assert_false(v[0].available);
    assert_false(v[1].available);
    /* given: only sensor B supported: 0x1234 = 4660, /32 = 145.625 g/s */
    const uint8_t only_b[] = { 0x02, 0x0C, 0x80, 0x12, 0x34 };
    assert_int_equal(obd_pid_decode(0x66, only_b, sizeof only_b, v, LEN(v)), 2);
    assert_false(v[0].available);
    assert_true(v[1].available);
    assert_true(close_to(v[1].value, 145.625));

    /* given: $02 = 0000 -> no freeze frame stored: the DTC is unavailable */
    assert_int_equal(obd_pid_decode(0x02, (const uint8_t *)"\x00\x00", 2, v, LEN(v)), 1);
    assert_false(v[0].available);

    /* given: $7F total run time all ones but idle time real */
    const uint8_t rt[] = { 0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x3C, 0xFF, 0xFF, 0xFF, 0xFE };
    assert_int_equal(obd_pid_decode(0x7F, rt, sizeof rt, v, LEN(v)), 3);
    assert_false(v[0].available);
    assert_true(v[1].available);
    assert_true(close_to(v[1].value, 60.0));
    assert_true(v[2].available);
    assert_true(close_to(v[2].value, 4294967294.0));

    /* given: $6B sensor 1 in normal range, sensor 2 in wide range only */
    const uint8_t egrt[] = { 0x21, 0x78, 0x64, 0x00, 0x00 };
    assert_int_equal(obd_pid_decode(0x6B, egrt, sizeof egrt, v, LEN(v)), 8);
    assert_true(v[0].available && close_to(v[0].value, 80.0));  /* 120 - 40 */
    assert_false(v[1].available);                                /* b1s2 normal range not supported */
    assert_true(v[5].available && close_to(v[5].value, 360.0)); /* 100*4 - 40 */
    assert_false(v[4].available);
}

static void test_signed_fields(void **state)
{
    (void)state;
    obd_value_t v[OBD_PID_MAX_FIELDS];
    /* $32: signed 16-bit quarter pascals: 0x8000 = -8192 Pa, 0x7FFF = 8191.75 Pa */
    assert_int_equal(obd_pid_decode(0x32, (const uint8_t *)"\x80\x00", 2, v, LEN(v)), 1);
    assert_true(close_to(v[0].value, -8192.0));
    assert_int_equal(obd_pid_decode(0x32, (const uint8_t *)"\x7F\xFF", 2, v, LEN(v)), 1);
    assert_true(close_to(v[0].value, 8191.75));
    /* $54: signed pascals: 0x8000 = -32768 */
    assert_int_equal(obd_pid_decode(0x54, (const uint8_t *)"\x80\x00", 2, v, LEN(v)), 1);
    assert_true(close_to(v[0].value, -32768.0));
    /* $7A DPF delta pressure 0xFF9C = -100 -> -1.00 kPa */
    const uint8_t dpf[] = { 0x01, 0xFF, 0x9C, 0, 0, 0, 0 };
    assert_int_equal(obd_pid_decode(0x7A, dpf, sizeof dpf, v, LEN(v)), 3);
    assert_true(close_to(v[0].value, -1.0));
    assert_false(v[1].available);
}

static void test_multi_value_pids(void **state)
{
    (void)state;
    obd_value_t v[OBD_PID_MAX_FIELDS];
    /* $03: system 1 closed loop, system 2 open loop (cold) */
    assert_int_equal(obd_pid_decode(0x03, (const uint8_t *)"\x02\x01", 2, v, LEN(v)), 2);
    assert_non_null(v[0].state);
    assert_string_equal(v[0].state->key, "closed_loop");
    assert_string_equal(v[1].state->key, "open_loop_cold");
    /* an undefined state keeps its raw value and no name */
    assert_int_equal(obd_pid_decode(0x03, (const uint8_t *)"\x03\x00", 2, v, LEN(v)), 2);
    assert_null(v[0].state);
    assert_int_equal(v[0].raw, 3);
    assert_string_equal(v[1].state->key, "off");
    /* $12, $1C, $51 enums */
    assert_int_equal(obd_pid_decode(0x12, (const uint8_t *)"\x08", 1, v, LEN(v)), 1);
    assert_string_equal(v[0].state->key, "pump_diagnostic");
    assert_int_equal(obd_pid_decode(0x1C, (const uint8_t *)"\x06", 1, v, LEN(v)), 1);
    assert_string_equal(v[0].state->key, "eobd");
    assert_int_equal(obd_pid_decode(0x1C, (const uint8_t *)"\x0E", 1, v, LEN(v)), 1);
    assert_null(v[0].state); /* 14 is reserved */
    assert_int_equal(obd_pid_decode(0x51, (const uint8_t *)"\x04", 1, v, LEN(v)), 1);
    assert_string_equal(v[0].state->key, "diesel");
    /* $13: bank 1 sensors 1+2, bank 2 sensor 1 (0b00010011) */
    assert_int_equal(obd_pid_decode(0x13, (const uint8_t *)"\x13", 1, v, LEN(v)), 8);
    const int want13[8] = { 1, 1, 0, 0, 1, 0, 0, 0 };
    for (int i = 0; i < 8; i++)
        assert_int_equal((int)v[i].value, want13[i]);
    /* $1D: bank 4 sensor 2 only (bit 7) */
    assert_int_equal(obd_pid_decode(0x1D, (const uint8_t *)"\x80", 1, v, LEN(v)), 8);
    assert_string_equal(v[7].field->key, "b4s2");
    assert_true(v[7].value == 1.0 && v[0].value == 0.0);
    /* $1E PTO */
    assert_int_equal(obd_pid_decode(0x1E, (const uint8_t *)"\x01", 1, v, LEN(v)), 1);
    assert_true(v[0].value == 1.0);
    /* $55: bank 1 +3.125 % (0x84), bank 3 -3.125 % (0x7C) */
    assert_int_equal(obd_pid_decode(0x55, (const uint8_t *)"\x84\x7C", 2, v, LEN(v)), 2);
    assert_true(close_to(v[0].value, 3.125));
    assert_true(close_to(v[1].value, -3.125));
    /* $64: five torque points, A-125 each */
    assert_int_equal(obd_pid_decode(0x64, (const uint8_t *)"\x7D\x96\xAF\xC8\xE1", 5, v, LEN(v)), 5);
    const double want64[5] = { 0, 25, 50, 75, 100 };
    for (int i = 0; i < 5; i++)
        assert_true(close_to(v[i].value, want64[i]));
    /* $4F: lambda 2, 8 V, 128 mA, 25*10 = 250 kPa */
    assert_int_equal(obd_pid_decode(0x4F, (const uint8_t *)"\x02\x08\x80\x19", 4, v, LEN(v)), 4);
    assert_true(close_to(v[3].value, 250.0));
    /* $01: MIL on, 5 DTCs, diesel */
    assert_int_equal(obd_pid_decode(0x01, (const uint8_t *)"\x85\x0F\x00\x00", 4, v, LEN(v)), 3);
    assert_true(v[0].value == 1.0);
    assert_true(v[1].value == 5.0);
    assert_true(v[2].value == 1.0);
}

static void test_errors(void **state)
{
    (void)state;
    obd_value_t v[OBD_PID_MAX_FIELDS];
    const uint8_t d[41] = { 0 };
    /* wrong length -> OBD_ELEN, short and long */
    assert_int_equal(obd_pid_decode(0x0C, d, 1, v, LEN(v)), OBD_ELEN);
    assert_int_equal(obd_pid_decode(0x0C, d, 3, v, LEN(v)), OBD_ELEN);
    assert_int_equal(obd_pid_decode(0x0C, d, 0, v, LEN(v)), OBD_ELEN);
    assert_int_equal(obd_pid_decode(0x81, d, 40, v, LEN(v)), OBD_ELEN);
    assert_int_equal(obd_pid_decode(0x0C, NULL, 2, v, LEN(v)), OBD_ELEN);
    /* unknown PIDs -> OBD_EPID (undefined, not public, beyond the table) */
    const uint8_t unknown[] = { 0x95, 0x96, 0x97, 0xAA, 0xBF, 0xC1, 0xC3, 0xC4, 0xE0, 0xFF };
    for (size_t i = 0; i < LEN(unknown); i++) {
        assert_int_equal(obd_pid_decode(unknown[i], d, 4, v, LEN(v)), OBD_EPID);
        assert_null(obd_pid_lookup(unknown[i]));
        assert_int_equal(obd_pid_len(unknown[i]), 0);
    }
    /* cap smaller than the field count -> OBD_ENOSPC */
    assert_int_equal(obd_pid_decode(0x14, d, 2, v, 1), OBD_ENOSPC);
    assert_int_equal(obd_pid_decode(0x81, d, 41, v, 9), OBD_ENOSPC);
    assert_int_equal(obd_pid_decode(0x0C, d, 2, NULL, 1), OBD_ENOSPC);
    /* exactly enough is fine */
    assert_int_equal(obd_pid_decode(0x81, d, 41, v, 10), 10);
}

static void test_lookup_and_len(void **state)
{
    (void)state;
    /* every table entry is found, everything else is not */
    for (unsigned pid = 0; pid < 256; pid++) {
        const obd_pid_t *p = obd_pid_lookup((uint8_t)pid);
        const obd_pid_t *want = NULL;
        for (size_t i = 0; i < obd_pid_table_len; i++)
            if (obd_pid_table[i].pid == pid)
                want = &obd_pid_table[i];
        assert_ptr_equal(p, want);
        assert_int_equal(obd_pid_len((uint8_t)pid), want ? want->len : 0);
    }
    assert_int_equal(obd_pid_len(0x0C), 2);
    assert_int_equal(obd_pid_len(0x00), 4);
    assert_int_equal(obd_pid_len(0x68), 7);
    assert_int_equal(obd_pid_len(0x81), 41);
    assert_int_equal(obd_pid_len(0x8C), 17);
    assert_int_equal(obd_pid_len(0xA6), 4);
    assert_int_equal(obd_pid_len(0xC0), 4);
}

static void test_find(void **state)
{
    (void)state;
    /* by key */
    assert_int_equal(obd_pid_find("rpm")->pid, 0x0C);
    assert_int_equal(obd_pid_find("coolant_temp")->pid, 0x05);
    assert_int_equal(obd_pid_find("odometer")->pid, 0xA6);
    assert_int_equal(obd_pid_find("RPM")->pid, 0x0C); /* case-insensitive */
    /* by alias */
    const struct { const char *name; uint8_t pid; } al[] = {
        { "speed", 0x0D },       { "vss", 0x0D },     { "load", 0x04 },      { "coolant", 0x05 },
        { "ect", 0x05 },         { "engine_rpm", 0x0C }, { "maf", 0x10 },    { "throttle", 0x11 },
        { "tps", 0x11 },         { "iat", 0x0F },     { "fuel", 0x2F },      { "baro", 0x33 },
        { "voltage", 0x42 },     { "battery", 0x42 }, { "ambient", 0x46 },   { "oil", 0x5C },
        { "odo", 0xA6 },         { "mileage", 0xA6 }, { "readiness", 0x01 }, { "timing", 0x0E },
        { "fuel_type", 0x51 },   { "run_time", 0x1F }, { "time_mil", 0x4D }, { "fuel_rate", 0x5E },
    };
    for (size_t i = 0; i < LEN(al); i++) {
        const obd_pid_t *p = obd_pid_find(al[i].name);
        if (!p || p->pid != al[i].pid)
            fail_msg("obd_pid_find(%s) -> 0x%02X, want 0x%02X", al[i].name, p ? p->pid : 0xFFu, al[i].pid);
    }
    /* by number: hex with prefix, bare hex, decimal, service+PID */
    assert_int_equal(obd_pid_find("0x0C")->pid, 0x0C);
    assert_int_equal(obd_pid_find("0X0c")->pid, 0x0C);
    assert_int_equal(obd_pid_find("$0C")->pid, 0x0C);
    assert_int_equal(obd_pid_find("0C")->pid, 0x0C);
    assert_int_equal(obd_pid_find("a6")->pid, 0xA6);
    assert_int_equal(obd_pid_find("12")->pid, 0x0C);  /* decimal */
    assert_int_equal(obd_pid_find("166")->pid, 0xA6); /* decimal */
    assert_int_equal(obd_pid_find("0")->pid, 0x00);
    assert_int_equal(obd_pid_find("0x10")->pid, 0x10);
    assert_int_equal(obd_pid_find("010D")->pid, 0x0D);
    /* unknown */
    assert_null(obd_pid_find("nosuchpid"));
    assert_null(obd_pid_find(""));
    assert_null(obd_pid_find(NULL));
    assert_null(obd_pid_find("0x95"));  /* undefined PID */
    assert_null(obd_pid_find("0x100")); /* too big */
    assert_null(obd_pid_find("256"));
    assert_null(obd_pid_find("0xZZ"));
    assert_null(obd_pid_find("-1"));
}

static void fmt_pid(uint8_t pid, const char *hex, size_t n, int field, obd_lang_t lang, char *out, size_t cap)
{
    obd_value_t v[OBD_PID_MAX_FIELDS];
    assert_true(obd_pid_decode(pid, (const uint8_t *)hex, n, v, LEN(v)) > field);
    assert_true(obd_value_format(&v[field], lang, out, cap) > 0);
}

static void test_value_format(void **state)
{
    (void)state;
    char t[96];
    /* numbers: precision from the field's resolution, trailing zeros dropped */
    fmt_pid(0x0C, "\x1A\xF8", 2, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "1726 rpm");
    fmt_pid(0x05, "\x7B", 1, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "83 °C");
    fmt_pid(0x05, "\x00", 1, 0, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "-40 °C");
    fmt_pid(0x11, "\x26", 1, 0, OBD_LANG_EN, t, sizeof t); /* 38*100/255 = 14.90 */
    assert_string_equal(t, "14.9%");
    fmt_pid(0x10, "\x01\xF5", 2, 0, OBD_LANG_EN, t, sizeof t); /* 501/100 */
    assert_string_equal(t, "5.01 g/s");
    fmt_pid(0x14, "\x8C\x7F", 2, 0, OBD_LANG_EN, t, sizeof t); /* 140/200 */
    assert_string_equal(t, "0.7 V");
    fmt_pid(0x14, "\x8C\x7F", 2, 1, OBD_LANG_EN, t, sizeof t); /* -0.78125 -> 1 decimal */
    assert_string_equal(t, "-0.8%");
    fmt_pid(0x0E, "\x00", 1, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "-64°");
    fmt_pid(0x42, "\x36\xB0", 2, 0, OBD_LANG_EN, t, sizeof t); /* 14000 mV */
    assert_string_equal(t, "14 V");
    fmt_pid(0xA6, "\x00\x12\xD6\x87", 4, 0, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "123456.7 km");
    fmt_pid(0x30, "\x0C", 1, 0, OBD_LANG_EN, t, sizeof t); /* no unit */
    assert_string_equal(t, "12");
    /* enums in both languages */
    fmt_pid(0x03, "\x02\x00", 2, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "Closed loop (O2 sensor feedback)");
    fmt_pid(0x03, "\x02\x00", 2, 0, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "闭环（氧传感器反馈）");
    fmt_pid(0x51, "\x04", 1, 0, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "柴油");
    fmt_pid(0x03, "\x03\x00", 2, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "unknown (0x03)");
    fmt_pid(0x03, "\x03\x00", 2, 0, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "未定义 (0x03)");
    /* flags, bitmaps, DTCs */
    fmt_pid(0x01, "\x81\x07\x65\x04", 4, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "yes");
    fmt_pid(0x01, "\x81\x07\x65\x04", 4, 2, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "否");
    fmt_pid(0x00, "\xBE\x1F\xA8\x13", 4, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "0xBE1FA813");
    fmt_pid(0x02, "\x01\x33", 2, 0, OBD_LANG_EN, t, sizeof t);
    assert_string_equal(t, "P0133");
    fmt_pid(0x02, "\xC1\x00", 2, 0, OBD_LANG_ZH, t, sizeof t);
    assert_string_equal(t, "U0100");

    /* buffer too small: OBD_ENOSPC, still NUL-terminated */
    obd_value_t v[OBD_PID_MAX_FIELDS];
    assert_int_equal(obd_pid_decode(0x0C, (const uint8_t *)"\x1A\xF8", 2, v, LEN(v)), 1);
    char small[5];
    assert_int_equal(obd_value_format(&v[0], OBD_LANG_EN, small, sizeof small), OBD_ENOSPC);
    assert_int_equal(strlen(small), 4);
    /* exact fit: "1726 rpm" is 8 chars + NUL */
    char fit[9];
    assert_int_equal(obd_value_format(&v[0], OBD_LANG_EN, fit, sizeof fit), 8);
    /* bad arguments */
    assert_int_equal(obd_value_format(NULL, OBD_LANG_EN, t, sizeof t), OBD_EINVAL);
    assert_int_equal(obd_value_format(&v[0], OBD_LANG_EN, NULL, 10), OBD_EINVAL);
    assert_int_equal(obd_value_format(&v[0], OBD_LANG_EN, t, 0), OBD_EINVAL);
}

static void test_reply_split_then_decode(void **state)
{
    (void)state;
    /* given: one ECU's six-PID service 01 reply */
    const uint8_t reply[] = { 0x41, 0x0C, 0x1A, 0xF8, 0x0D, 0x32, 0x05, 0x7B, 0x10, 0x01, 0xF4,
                              0x14, 0x8C, 0xFF, 0x66, 0x01, 0x0C, 0x80, 0x00, 0x00 };
    obd_pid_reply_t r;
    /* when: split by the table's lengths and each PID decoded */
    assert_int_equal(obd_parse_pid_reply(reply, sizeof reply, 0x01, &r), OBD_OK);
    assert_int_equal(r.count, 6);
    const double want[6] = { 1726.0, 50.0, 83.0, 5.0, 0.7, 100.0 };
    for (size_t i = 0; i < r.count; i++) {
        obd_value_t v[OBD_PID_MAX_FIELDS];
        int n = obd_pid_decode(r.pids[i].pid, r.pids[i].data, r.pids[i].len, v, LEN(v));
        assert_true(n >= 1);
        /* then: the first field of each is the hand-worked value */
        assert_true(v[0].available);
        assert_true(close_to(v[0].value, want[i]));
    }
    /* the O2 trim byte was 0xFF: not used */
    obd_value_t o2[2];
    assert_int_equal(obd_pid_decode(0x14, r.pids[4].data, r.pids[4].len, o2, 2), 2);
    assert_false(o2[1].available);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pid_min_max_typical),
        cmocka_unit_test(test_support_bit_per_field),
        cmocka_unit_test(test_every_table_pid_has_cases),
        cmocka_unit_test(test_table_invariants),
        cmocka_unit_test(test_not_available_and_support_bits),
        cmocka_unit_test(test_signed_fields),
        cmocka_unit_test(test_multi_value_pids),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_lookup_and_len),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_value_format),
        cmocka_unit_test(test_reply_split_then_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
