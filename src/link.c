/*
 * link.c — the pieces of the transport interface every link shares: protocol
 * names, OBD addressing, and the per-request reply set.
 */
#include <string.h>

#include "obdgw/link.h"

static const struct {
    const char *key, *name;
} protos[OBD_PROTO_COUNT] = {
    [OBD_PROTO_AUTO] = { "auto", "automatic" },
    [OBD_PROTO_J1850_PWM] = { "j1850_pwm", "SAE J1850 PWM (41.6 kbaud)" },
    [OBD_PROTO_J1850_VPW] = { "j1850_vpw", "SAE J1850 VPW (10.4 kbaud)" },
    [OBD_PROTO_ISO9141] = { "iso9141", "ISO 9141-2 (5 baud init)" },
    [OBD_PROTO_KWP_5BAUD] = { "kwp_5baud", "ISO 14230-4 KWP (5 baud init)" },
    [OBD_PROTO_KWP_FAST] = { "kwp_fast", "ISO 14230-4 KWP (fast init)" },
    [OBD_PROTO_CAN11_500] = { "can11_500", "ISO 15765-4 CAN (11 bit ID, 500 kbaud)" },
    [OBD_PROTO_CAN29_500] = { "can29_500", "ISO 15765-4 CAN (29 bit ID, 500 kbaud)" },
    [OBD_PROTO_CAN11_250] = { "can11_250", "ISO 15765-4 CAN (11 bit ID, 250 kbaud)" },
    [OBD_PROTO_CAN29_250] = { "can29_250", "ISO 15765-4 CAN (29 bit ID, 250 kbaud)" },
    [OBD_PROTO_J1939] = { "j1939", "SAE J1939 CAN (29 bit ID, 250 kbaud)" },
    [OBD_PROTO_USER1] = { "user1", "user CAN 1 (11 bit ID, 125 kbaud)" },
    [OBD_PROTO_USER2] = { "user2", "user CAN 2 (11 bit ID, 50 kbaud)" },
};

const char *obd_proto_name(obd_proto_t p)
{
    return (unsigned)p < OBD_PROTO_COUNT ? protos[p].name : "unknown";
}

const char *obd_proto_key(obd_proto_t p)
{
    return (unsigned)p < OBD_PROTO_COUNT ? protos[p].key : "unknown";
}

obd_target_t obd_target_for(uint32_t rx_id)
{
    obd_target_t t = { rx_id, rx_id };
    if (rx_id >= 0x7E8 && rx_id <= 0x7EF)
        t.tx_id = rx_id - 8; /* ISO 15765-4: physical request = response - 8 */
    else if ((rx_id & 0xFFFFFF00u) == 0x18DAF100u)
        t.tx_id = 0x18DA00F1u | ((rx_id & 0xFFu) << 8); /* 18DAF1xx -> 18DAxxF1 */
    return t;
}

int obd_replies_find(const obd_replies_t *s, uint32_t addr)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->r[i].addr == addr)
            return (int)i;
    return -1;
}

int obd_replies_add(obd_replies_t *s, uint32_t addr, const uint8_t *p, size_t n, bool append)
{
    if (n > sizeof s->arena - s->used)
        return OBD_ENOSPC;
    /* Append only when the last reply is this address's: its bytes end the
     * arena, so the new bytes extend it in place. */
    if (append && s->count && s->r[s->count - 1].addr == addr) {
        obd_reply_t *r = &s->r[s->count - 1];
        memcpy(s->arena + s->used, p, n);
        s->used += n;
        r->len = (uint16_t)(r->len + n);
        return OBD_OK;
    }
    if (s->count >= OBD_LINK_MAX_ECUS)
        return OBD_ENOSPC;
    obd_reply_t *r = &s->r[s->count++];
    r->addr = addr;
    r->off = (uint16_t)s->used;
    r->len = (uint16_t)n;
    if (n)
        memcpy(s->arena + s->used, p, n);
    s->used += n;
    return OBD_OK;
}
