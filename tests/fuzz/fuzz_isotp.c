/*
 * Fuzz target: the ISO-TP state machine (reassembler and sender) driven by
 * bus frames and clock steps from the input. Input layout, repeated:
 *   byte k: low 4 bits = frame length 0..8 (values > 8 mean "advance the
 *           clock by (k >> 4) * 37 ms and poll"), bit 4..7 = option bits for
 *           the first record only (config: padding, block size, STmin, WAITs)
 *   then `length` frame bytes.
 * Whenever the sender is idle a message is queued, so both directions run.
 * Every completed message is read to its reported length, so ASan flags a
 * length that escapes the buffer.
 */
#include <stdint.h>
#include <string.h>

#include "obdgw/isotp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink;

static void drain(isotp_t *t, uint64_t now)
{
    isotp_frame_t f;
    for (int i = 0; i < 5000; i++) {
        isotp_poll(t, now, &f);
        if (!f.len)
            break;
        if (f.len > 8)
            __builtin_trap();
        sink ^= f.data[f.len - 1];
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static isotp_t t;
    isotp_cfg_t c = isotp_cfg_default();
    if (size) {
        uint8_t o = data[0];
        c.pad = (o & 1) ? ISOTP_NO_PADDING : 0xAA;
        c.bs = (uint8_t)((o >> 1) & 3);
        c.stmin = (o & 8) ? 0xF3 : (uint8_t)(o >> 4);
        c.fc_waits = (uint8_t)((o >> 6) & 1);
        c.max_wft = 1;
        data++;
        size--;
    }
    isotp_init(&t, &c);
    uint64_t now = 0;
    static uint8_t msg[ISOTP_MAX_MSG];
    size_t pos = 0;
    unsigned sends = 0;
    while (pos < size) {
        if (t.tx_state == ISOTP_TX_IDLE && !t.tx_first_pending && sends < 8) {
            size_t n = 1 + (size_t)(data[pos] * 17 + sends * 101) % ISOTP_MAX_MSG;
            memset(msg, (int)sends, n);
            isotp_send(&t, msg, n, now);
            sends++;
        }
        uint8_t k = data[pos++];
        size_t n = k & 0x0F;
        if (n > 8) {
            now += (uint64_t)(k >> 4) * 37;
            drain(&t, now);
            continue;
        }
        if (n > size - pos)
            n = size - pos;
        int ev = isotp_on_frame(&t, data + pos, n, now);
        pos += n;
        if (ev & ISOTP_EV_RX_DONE) {
            size_t len;
            const uint8_t *p = isotp_rx_data(&t, &len);
            if (!p || len == 0 || len > ISOTP_MAX_MSG)
                __builtin_trap();
            uint8_t x = 0;
            for (size_t i = 0; i < len; i++)
                x ^= p[i];
            sink ^= x;
        }
        drain(&t, now);
        now++;
    }
    /* let every timer run out: with no more input the machine must end
     * idle (a transfer finishes or times out) within a bounded number of
     * steps of its own clock */
    for (int step = 0; step < 20000 && isotp_next_ms(&t) != UINT64_MAX; step++) {
        uint64_t next = isotp_next_ms(&t);
        now = next > now ? next : now;
        drain(&t, now);
    }
    if (isotp_next_ms(&t) != UINT64_MAX)
        __builtin_trap();
    return 0;
}
