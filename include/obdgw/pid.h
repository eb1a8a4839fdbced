/*
 * pid.h — the service $01/$02 PID table, as data, and its decoder.
 *
 * Every PID SAE J1979 defines from $00 to $C4 whose layout is public is one
 * row of src/obd_pid_table.c: machine name, English and Chinese display
 * names, data length, and its fields. A field is a slice of the PID's data
 * bytes with a scaling rule; multi-value PIDs (O2 sensor voltage + trim, fuel
 * system A/B, the $64+ PIDs with a "supported" byte) have several fields.
 *
 * Decoding is pure and allocation-free: data bytes in, field values out.
 * Units are SI (°C, kPa, km/h, g/s, V, mA, s, km, Nm, %, L/h ...).
 */
#ifndef OBDGW_PID_H
#define OBDGW_PID_H

#include "obdgw/base.h"

typedef enum {
    OBD_FK_UNSIGNED = 0, /* value = raw * scale + offset; raw is `size` bytes big-endian, or bits */
    OBD_FK_SIGNED,       /* as UNSIGNED but raw is two's complement of `size` bytes */
    OBD_FK_FLAG,         /* one bit: value 0 or 1 (bit = `bit`, in byte `byte`) */
    OBD_FK_ENUM,         /* raw (bits or bytes) names a state from `enums` */
    OBD_FK_BITMAP,       /* raw is a set of bits, reported as the raw number */
    OBD_FK_DTC,          /* two bytes forming a J2012 DTC (PID $02) */
} obd_field_kind_t;

typedef struct {
    uint32_t raw;
    const char *key; /* machine name, e.g. "closed_loop" */
    const char *en, *zh;
} obd_enum_t;

/* Field flags */
enum {
    OBD_FF_FF_NA = 0x01,   /* raw with all bits set means "not used / not available" */
    OBD_FF_ZERO_NA = 0x02, /* raw == 0 means "not available" */
};

typedef struct {
    const char *key;     /* machine name, unique within the PID, e.g. "voltage" */
    const char *en, *zh; /* display names */
    uint8_t kind;        /* obd_field_kind_t */
    uint8_t byte;        /* first data byte (A = 0) */
    uint8_t size;        /* bytes (1-4) for numeric kinds; 0 for bit fields */
    uint8_t bit;         /* bit fields: lowest bit number (0 = LSB of `byte`) */
    uint8_t nbits;       /* bit fields: width; 0 for byte-sized fields */
    int8_t support_bit;  /* bit of data byte A that says this field is present; -1: always */
    uint8_t flags;       /* OBD_FF_* */
    double scale, offset;
    double min, max;     /* the physical range the standard allows */
    const char *unit;    /* SI symbol: "°C", "kPa", "%", "" for none */
    const obd_enum_t *enums; /* OBD_FK_ENUM: table ended by key == NULL */
} obd_field_t;

typedef struct {
    uint8_t pid;
    uint8_t len;            /* data bytes after the PID number */
    const char *key;        /* "rpm" (aliases such as "engine_rpm" in obd_pid_find) */
    const char *en, *zh;    /* "Engine speed" / "发动机转速" */
    const obd_field_t *fields;
    uint8_t nfields;
    uint8_t flags;          /* OBD_PF_* */
} obd_pid_t;

enum {
    OBD_PF_BITMAP = 0x01,    /* a supported-PIDs bitmap ($00, $20, ...) */
    OBD_PF_READINESS = 0x02, /* decode with obd_readiness_decode() too ($01, $41) */
};

/* The table, sorted by PID. */
extern const obd_pid_t obd_pid_table[];
extern const size_t obd_pid_table_len;

const obd_pid_t *obd_pid_lookup(uint8_t pid); /* NULL when not in the table */
/* Look up by machine name ("rpm" aliases allowed: see src/obd_pid.c) or
 * by number ("0x0C", "0C", "12"). NULL when unknown. */
const obd_pid_t *obd_pid_find(const char *name);
/* Data length of a PID, or 0 when unknown. */
uint8_t obd_pid_len(uint8_t pid);

typedef struct {
    const obd_field_t *field;
    bool available;      /* false: support bit clear or "not available" raw */
    uint32_t raw;
    double value;        /* physical value (numeric kinds), 0/1 (flag), raw (enum/bitmap) */
    const obd_enum_t *state; /* OBD_FK_ENUM: the matching entry, NULL if raw is undefined */
} obd_value_t;

/*
 * Decode `len` data bytes of `pid` into up to `cap` values (one per field).
 * OBD_EPID when the PID is unknown, OBD_ELEN when len differs from the
 * table, OBD_ENOSPC when cap < fields. Returns the number of values.
 */
int obd_pid_decode(uint8_t pid, const uint8_t *data, size_t len, obd_value_t *out, size_t cap);

/* Largest nfields in the table (for sizing buffers). */
#define OBD_PID_MAX_FIELDS 24

/* Format one value for people: "2450 rpm", "closed loop", "n/a" (lang-aware). */
int obd_value_format(const obd_value_t *v, obd_lang_t lang, char *out, size_t cap);

/*
 * What to call a decoded value on screen: the PID's name when it has one
 * field ("Short-term fuel trim bank 1"), else "PID name: field name"
 * ("O2 sensor 1 voltage and trim: Voltage"). Returns `out`.
 */
const char *obd_value_label(uint8_t pid, const obd_value_t *v, obd_lang_t lang, char *out, size_t cap);

/*
 * The inverse of decoding, for simulators and tests: the physical `value` of
 * a single-field numeric PID (rpm, °C, km/h ...) -> its data bytes. The value
 * is clamped to the field's range and rounded to the nearest raw step.
 * Returns the data length written; OBD_EPID for an unknown PID, OBD_EINVAL
 * for a PID with several fields or a non-numeric one (bitmaps, enums, flags:
 * give those as raw bytes), OBD_ENOSPC when cap is too small.
 */
int obd_pid_encode(uint8_t pid, double value, uint8_t *data, size_t cap);

#endif
