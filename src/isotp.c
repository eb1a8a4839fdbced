/*
 * isotp.c — ISO 15765-2 on classic CAN as a pure state machine (see
 * isotp.h). Frames in, time in, frames out; nothing here blocks or reads a
 * clock.
 *
 * PCI (first data byte, high nibble):
 *   0 single frame      0L  data[L]            L = 1..7
 *   1 first frame       1H LL data[6]          length HLL = 8..4095
 *   2 consecutive frame 2N data[<=7]           N = sequence number mod 16
 *   3 flow control      3S BS STmin            S = 0 CTS, 1 WAIT, 2 OVERFLOW
 */
#include <string.h>

#include "obdgw/isotp.h"

isotp_cfg_t isotp_cfg_default(void)
{
    isotp_cfg_t c = { .pad = 0x00, .bs = 0, .stmin = 0, .n_bs_ms = 1000, .n_cr_ms = 1000, .max_wft = 10,
                      .fc_waits = 0, .wait_gap_ms = 10 };
    return c;
}

const char *isotp_result_name(isotp_result_t r)
{
    switch (r) {
    case ISOTP_R_OK: return "ok";
    case ISOTP_R_TIMEOUT_BS: return "N_Bs timeout (no flow control)";
    case ISOTP_R_TIMEOUT_CR: return "N_Cr timeout (consecutive frame missing)";
    case ISOTP_R_WRONG_SN: return "wrong sequence number";
    case ISOTP_R_INVALID_FS: return "invalid flow status";
    case ISOTP_R_UNEXP_PDU: return "unexpected frame cut a message short";
    case ISOTP_R_WFT_OVRN: return "too many flow-control WAIT frames";
    case ISOTP_R_OVERFLOW: return "message too long (overflow)";
    case ISOTP_R_MALFORMED: return "malformed frame";
    }
    return "unknown";
}

uint32_t isotp_stmin_ms(uint8_t stmin)
{
    if (stmin <= 0x7F)
        return stmin;
    if (stmin >= 0xF1 && stmin <= 0xF9)
        return 1; /* 100-900 us: our clock has 1 ms steps, so wait one */
    return 0x7F;  /* reserved: the standard says use the longest */
}

void isotp_init(isotp_t *t, const isotp_cfg_t *cfg)
{
    memset(t, 0, sizeof *t);
    t->cfg = cfg ? *cfg : isotp_cfg_default();
    if (!t->cfg.n_bs_ms)
        t->cfg.n_bs_ms = 1000;
    if (!t->cfg.n_cr_ms)
        t->cfg.n_cr_ms = 1000;
    if (!t->cfg.wait_gap_ms)
        t->cfg.wait_gap_ms = 10;
    if (t->cfg.pad > 0xFF)
        t->cfg.pad = 0xFF;
    if (t->cfg.pad < 0)
        t->cfg.pad = ISOTP_NO_PADDING;
}

void isotp_reset(isotp_t *t)
{
    isotp_cfg_t c = t->cfg;
    isotp_init(t, &c);
}

/* Finish a frame: pad to 8 bytes, or keep it as short as it is. */
static void frame_done(const isotp_t *t, isotp_frame_t *f, size_t used)
{
    if (t->cfg.pad != ISOTP_NO_PADDING) {
        memset(f->data + used, t->cfg.pad, 8 - used);
        f->len = 8;
    } else {
        f->len = (uint8_t)used;
    }
}

int isotp_send(isotp_t *t, const uint8_t *p, size_t n, uint64_t now)
{
    if (!p || n == 0 || n > ISOTP_MAX_MSG)
        return OBD_EINVAL;
    if (t->tx_state != ISOTP_TX_IDLE || t->tx_first_pending)
        return OBD_ESTATE;
    memcpy(t->tx_buf, p, n);
    t->tx_len = (uint16_t)n;
    t->tx_pos = 0;
    t->tx_sn = 1;
    t->tx_wft = 0;
    t->tx_in_block = 0;
    t->tx_result = ISOTP_R_OK;
    t->tx_first_pending = true;
    t->tx_next_ms = now;
    return OBD_OK;
}

static int rx_fail(isotp_t *t, isotp_result_t r)
{
    t->rx_state = ISOTP_RX_IDLE;
    t->rx_result = r;
    t->fc_pending = false;
    return ISOTP_EV_RX_ERROR;
}

static int tx_fail(isotp_t *t, isotp_result_t r)
{
    t->tx_state = ISOTP_TX_IDLE;
    t->tx_first_pending = false;
    t->tx_result = r;
    return ISOTP_EV_TX_ERROR;
}

/* Queue a flow control: the configured WAITs first, then CTS. */
static void queue_fc(isotp_t *t, uint64_t now, uint8_t status)
{
    t->fc_pending = true;
    t->fc_at = now;
    t->fc_status = status;
    if (status == 0 && t->rx_waits_left)
        t->fc_status = 1;
}

static int on_flow_control(isotp_t *t, const uint8_t *p, size_t n, uint64_t now)
{
    if (t->tx_state != ISOTP_TX_WAIT_FC)
        return 0; /* not waiting for one: ignore, as the standard says */
    if (n < 3)
        return tx_fail(t, ISOTP_R_MALFORMED);
    switch (p[0] & 0x0F) {
    case 0: /* clear to send */
        t->tx_state = ISOTP_TX_SENDING;
        t->tx_bs = p[1];
        t->tx_in_block = 0;
        t->tx_wft = 0;
        t->tx_stmin_ms = isotp_stmin_ms(p[2]);
        t->tx_next_ms = now; /* the first CF of a block goes at once */
        return 0;
    case 1: /* wait */
        if (++t->tx_wft > t->cfg.max_wft)
            return tx_fail(t, ISOTP_R_WFT_OVRN);
        t->tx_deadline = now + t->cfg.n_bs_ms;
        return 0;
    case 2:
        return tx_fail(t, ISOTP_R_OVERFLOW);
    default:
        return tx_fail(t, ISOTP_R_INVALID_FS);
    }
}

int isotp_on_frame(isotp_t *t, const uint8_t *p, size_t n, uint64_t now)
{
    if (!p || n == 0 || n > 8)
        return 0;
    int ev = 0;
    uint8_t type = p[0] >> 4;
    switch (type) {
    case 0: { /* single frame */
        if (t->rx_state == ISOTP_RX_RECEIVING)
            ev |= rx_fail(t, ISOTP_R_UNEXP_PDU);
        size_t l = p[0] & 0x0F;
        t->rx_done = false;
        if (l == 0 || l > 7 || l > n - 1)
            return ev | rx_fail(t, ISOTP_R_MALFORMED);
        memcpy(t->rx_buf, p + 1, l);
        t->rx_len = (uint16_t)l;
        t->rx_done = true;
        t->rx_result = ISOTP_R_OK;
        return ev | ISOTP_EV_RX_DONE;
    }
    case 1: { /* first frame */
        if (t->rx_state == ISOTP_RX_RECEIVING)
            ev |= rx_fail(t, ISOTP_R_UNEXP_PDU);
        t->rx_done = false;
        if (n < 8)
            return ev | rx_fail(t, ISOTP_R_MALFORMED);
        size_t l = (size_t)(p[0] & 0x0F) << 8 | p[1];
        if (l == 0) { /* 32-bit length escape: larger than we take */
            ev |= rx_fail(t, ISOTP_R_OVERFLOW);
            t->rx_waits_left = 0;
            queue_fc(t, now, 2); /* tell the sender to stop */
            return ev;
        }
        if (l < 8)
            return ev | rx_fail(t, ISOTP_R_MALFORMED);
        memcpy(t->rx_buf, p + 2, 6);
        t->rx_len = (uint16_t)l;
        t->rx_pos = 6;
        t->rx_sn = 1;
        t->rx_in_block = 0;
        t->rx_state = ISOTP_RX_RECEIVING;
        t->rx_result = ISOTP_R_OK;
        t->rx_waits_left = t->cfg.fc_waits;
        queue_fc(t, now, 0);
        t->rx_deadline = now + t->cfg.n_cr_ms;
        return ev | ISOTP_EV_RX_START;
    }
    case 2: { /* consecutive frame */
        if (t->rx_state != ISOTP_RX_RECEIVING || t->fc_pending)
            return 0; /* nobody asked for it: ignore */
        if ((p[0] & 0x0F) != t->rx_sn)
            return rx_fail(t, ISOTP_R_WRONG_SN);
        size_t want = (size_t)(t->rx_len - t->rx_pos);
        if (want > 7)
            want = 7;
        if (n - 1 < want)
            return rx_fail(t, ISOTP_R_MALFORMED);
        memcpy(t->rx_buf + t->rx_pos, p + 1, want);
        t->rx_pos = (uint16_t)(t->rx_pos + want);
        t->rx_sn = (uint8_t)((t->rx_sn + 1) & 0x0F);
        if (t->rx_pos == t->rx_len) {
            t->rx_state = ISOTP_RX_IDLE;
            t->rx_done = true;
            return ISOTP_EV_RX_DONE;
        }
        t->rx_deadline = now + t->cfg.n_cr_ms;
        if (t->cfg.bs && ++t->rx_in_block == t->cfg.bs) {
            t->rx_in_block = 0;
            t->rx_waits_left = t->cfg.fc_waits;
            queue_fc(t, now, 0);
        }
        return 0;
    }
    case 3:
        return on_flow_control(t, p, n, now);
    default:
        return 0; /* reserved PCI types: ignore */
    }
}

static void make_fc(isotp_t *t, isotp_frame_t *out, uint64_t now)
{
    out->data[0] = (uint8_t)(0x30 | t->fc_status);
    out->data[1] = t->cfg.bs;
    out->data[2] = t->cfg.stmin;
    frame_done(t, out, 3);
    if (t->fc_status == 1) {
        t->rx_waits_left--;
        t->fc_status = t->rx_waits_left ? 1 : 0;
        t->fc_at = now + t->cfg.wait_gap_ms;
    } else {
        t->fc_pending = false;
        t->rx_deadline = now + t->cfg.n_cr_ms;
    }
}

int isotp_poll(isotp_t *t, uint64_t now, isotp_frame_t *out)
{
    int ev = 0;
    out->len = 0;
    /* timeouts first: a frame due at the same moment is too late anyway */
    if (t->tx_state == ISOTP_TX_WAIT_FC && now >= t->tx_deadline)
        ev |= tx_fail(t, ISOTP_R_TIMEOUT_BS);
    if (t->rx_state == ISOTP_RX_RECEIVING && !t->fc_pending && now >= t->rx_deadline)
        ev |= rx_fail(t, ISOTP_R_TIMEOUT_CR);
    if (t->fc_pending && now >= t->fc_at) {
        make_fc(t, out, now);
        return ev;
    }
    if (t->tx_first_pending) {
        t->tx_first_pending = false;
        if (t->tx_len <= 7) {
            out->data[0] = (uint8_t)t->tx_len;
            memcpy(out->data + 1, t->tx_buf, t->tx_len);
            frame_done(t, out, 1 + (size_t)t->tx_len);
            t->tx_state = ISOTP_TX_IDLE;
            return ev | ISOTP_EV_TX_DONE;
        }
        out->data[0] = (uint8_t)(0x10 | (t->tx_len >> 8));
        out->data[1] = (uint8_t)t->tx_len;
        memcpy(out->data + 2, t->tx_buf, 6);
        out->len = 8;
        t->tx_pos = 6;
        t->tx_state = ISOTP_TX_WAIT_FC;
        t->tx_deadline = now + t->cfg.n_bs_ms;
        return ev;
    }
    if (t->tx_state == ISOTP_TX_SENDING && now >= t->tx_next_ms) {
        size_t k = (size_t)(t->tx_len - t->tx_pos);
        if (k > 7)
            k = 7;
        out->data[0] = (uint8_t)(0x20 | t->tx_sn);
        memcpy(out->data + 1, t->tx_buf + t->tx_pos, k);
        frame_done(t, out, 1 + k);
        t->tx_pos = (uint16_t)(t->tx_pos + k);
        t->tx_sn = (uint8_t)((t->tx_sn + 1) & 0x0F);
        if (t->tx_pos == t->tx_len) {
            t->tx_state = ISOTP_TX_IDLE;
            return ev | ISOTP_EV_TX_DONE;
        }
        if (t->tx_bs && ++t->tx_in_block == t->tx_bs) {
            t->tx_in_block = 0;
            t->tx_state = ISOTP_TX_WAIT_FC;
            t->tx_deadline = now + t->cfg.n_bs_ms;
        } else {
            t->tx_next_ms = now + t->tx_stmin_ms;
        }
    }
    return ev;
}

uint64_t isotp_next_ms(const isotp_t *t)
{
    uint64_t m = UINT64_MAX;
    if (t->tx_first_pending)
        return 0;
    if (t->fc_pending && t->fc_at < m)
        m = t->fc_at;
    if (t->tx_state == ISOTP_TX_SENDING && t->tx_next_ms < m)
        m = t->tx_next_ms;
    if (t->tx_state == ISOTP_TX_WAIT_FC && t->tx_deadline < m)
        m = t->tx_deadline;
    if (t->rx_state == ISOTP_RX_RECEIVING && !t->fc_pending && t->rx_deadline < m)
        m = t->rx_deadline;
    return m;
}

const uint8_t *isotp_rx_data(const isotp_t *t, size_t *len)
{
    if (!t->rx_done) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = t->rx_len;
    return t->rx_buf;
}
