/*
 * obd_pid_encode.c — physical value -> PID data bytes, the inverse of
 * obd_pid_decode() for single-field numeric PIDs. Used by the simulator's
 * value generators; pure, no allocation.
 */
#include <math.h>
#include <string.h>

#include "obdgw/pid.h"

int obd_pid_encode(uint8_t pid, double value, uint8_t *data, size_t cap)
{
    const obd_pid_t *p = obd_pid_lookup(pid);
    if (!p)
        return OBD_EPID;
    if (p->nfields != 1 || !data || isnan(value))
        return OBD_EINVAL;
    const obd_field_t *f = &p->fields[0];
    if (f->kind != OBD_FK_UNSIGNED && f->kind != OBD_FK_SIGNED)
        return OBD_EINVAL;
    if (cap < p->len)
        return OBD_ENOSPC;
    unsigned bits = f->nbits ? f->nbits : 8u * f->size;
    unsigned bytes = f->nbits ? 1u : f->size;
    if (bits == 0 || bits > 32 || f->scale == 0 || f->byte + bytes > p->len)
        return OBD_EINVAL;

    /* Clamp to the physical range the standard allows, then to the raw range. */
    if (value < f->min)
        value = f->min;
    if (value > f->max)
        value = f->max;
    double r = nearbyint((value - f->offset) / f->scale);
    double lo = 0, hi = bits == 32 ? 4294967295.0 : (double)((1ull << bits) - 1);
    if (f->kind == OBD_FK_SIGNED) {
        lo = -(double)(1ull << (bits - 1));
        hi = (double)((1ull << (bits - 1)) - 1);
    }
    if (r < lo)
        r = lo;
    if (r > hi)
        r = hi;
    uint32_t raw = (uint32_t)(int64_t)r; /* two's complement for negative signed values */
    if (bits < 32)
        raw &= (uint32_t)((1ull << bits) - 1);

    memset(data, 0, p->len);
    if (f->nbits) {
        data[f->byte] = (uint8_t)(raw << f->bit);
    } else {
        for (unsigned i = 0; i < bytes; i++)
            data[f->byte + i] = (uint8_t)(raw >> (8 * (bytes - 1 - i)));
    }
    return p->len;
}
