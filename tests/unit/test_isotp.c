/*
 * ISO-TP state machine in simulated time: two isotp_t ends wired back to
 * back through a fake bus, and single ends fed hand-made frames. Every
 * timing path (STmin, block size, WAIT, N_Bs, N_Cr) runs on a fake clock,
 * so a one-second timeout costs nothing and never flakes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "obdgw/isotp.h"

#define F(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

/* A captured frame with the time it went out. */
typedef struct {
    uint64_t t;
    isotp_frame_t f;
    int from; /* 0 = a, 1 = b */
} wire_t;

typedef struct {
    isotp_t a, b;
    uint64_t now;
    wire_t log[1200];
    size_t nlog;
    int ev[2];
    bool drop_b_to_a; /* lose every frame from b */
} world_t;

static world_t W;

static void world_init(const isotp_cfg_t *ca, const isotp_cfg_t *cb)
{
    memset(&W, 0, sizeof W);
    isotp_init(&W.a, ca);
    isotp_init(&W.b, cb);
}

/* Advance the fake clock 1 ms at a time until both ends are idle or `limit`
 * ms passed, delivering each frame to the other end at once. */
static void run(uint64_t limit)
{
    uint64_t end = W.now + limit;
    for (;;) {
        bool any = true;
        while (any) {
            any = false;
            for (int s = 0; s < 2; s++) {
                isotp_t *me = s ? &W.b : &W.a, *peer = s ? &W.a : &W.b;
                isotp_frame_t f;
                W.ev[s] |= isotp_poll(me, W.now, &f);
                if (!f.len)
                    continue;
                any = true;
                if (W.nlog < sizeof W.log / sizeof W.log[0])
                    W.log[W.nlog++] = (wire_t){ W.now, f, s };
                if (s == 1 && W.drop_b_to_a)
                    continue;
                W.ev[!s] |= isotp_on_frame(peer, f.data, f.len, W.now);
            }
        }
        if (isotp_next_ms(&W.a) == UINT64_MAX && isotp_next_ms(&W.b) == UINT64_MAX)
            return;
        if (W.now >= end)
            return;
        W.now++;
    }
}

static void fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7 + 3);
}

/* ---------------- single frames ---------------- */

static void test_single_frame_padded_and_not(void **state)
{
    (void)state;
    isotp_cfg_t c = isotp_cfg_default();
    c.pad = 0xAA;
    world_init(&c, NULL);
    /* given a 2-byte request, when sent, then one SF 02 01 00 padded with AA */
    assert_int_equal(isotp_send(&W.a, F(0x01, 0x00), 0), OBD_OK);
    run(10);
    assert_int_equal(W.nlog, 1);
    assert_int_equal(W.log[0].f.len, 8);
    assert_memory_equal(W.log[0].f.data, "\x02\x01\x00\xAA\xAA\xAA\xAA\xAA", 8);
    assert_true(W.ev[0] & ISOTP_EV_TX_DONE);
    assert_true(W.ev[1] & ISOTP_EV_RX_DONE);
    size_t n;
    const uint8_t *p = isotp_rx_data(&W.b, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(p, "\x01\x00", 2);

    c.pad = ISOTP_NO_PADDING;
    world_init(&c, NULL);
    assert_int_equal(isotp_send(&W.a, F(0x3E, 0x00), 0), OBD_OK);
    run(10);
    assert_int_equal(W.log[0].f.len, 3); /* PCI + 2 bytes, no padding */
    /* 7 bytes is still a single frame */
    world_init(&c, NULL);
    assert_int_equal(isotp_send(&W.a, F(1, 2, 3, 4, 5, 6, 7), 0), OBD_OK);
    run(10);
    assert_int_equal(W.nlog, 1);
    assert_int_equal(W.log[0].f.data[0], 0x07);
}

static void test_send_arguments(void **state)
{
    (void)state;
    isotp_t t;
    isotp_init(&t, NULL);
    uint8_t big[ISOTP_MAX_MSG + 1] = { 0 };
    assert_int_equal(isotp_send(&t, big, 0, 0), OBD_EINVAL);
    assert_int_equal(isotp_send(&t, big, sizeof big, 0), OBD_EINVAL);
    assert_int_equal(isotp_send(&t, NULL, 3, 0), OBD_EINVAL);
    assert_int_equal(isotp_send(&t, big, ISOTP_MAX_MSG, 0), OBD_OK);
    /* busy until the first frame went out and beyond */
    assert_int_equal(isotp_send(&t, big, 3, 0), OBD_ESTATE);
    isotp_frame_t f;
    isotp_poll(&t, 0, &f);
    assert_memory_equal(f.data, "\x1F\xFF", 2); /* FF with length 0xFFF */
    assert_int_equal(isotp_send(&t, big, 3, 0), OBD_ESTATE);
    isotp_reset(&t);
    assert_int_equal(isotp_next_ms(&t), UINT64_MAX);
    assert_int_equal(isotp_send(&t, big, 3, 0), OBD_OK);
}

/* ---------------- multi-frame both ways ---------------- */

static void roundtrip(size_t len, uint8_t bs, uint8_t stmin, int pad)
{
    isotp_cfg_t ca = isotp_cfg_default(), cb = isotp_cfg_default();
    ca.pad = cb.pad = pad;
    cb.bs = bs;
    cb.stmin = stmin;
    world_init(&ca, &cb);
    static uint8_t msg[ISOTP_MAX_MSG];
    fill(msg, len);
    assert_int_equal(isotp_send(&W.a, msg, len, 0), OBD_OK);
    run(100000);
    assert_true(W.ev[0] & ISOTP_EV_TX_DONE);
    assert_false(W.ev[0] & ISOTP_EV_TX_ERROR);
    assert_true(W.ev[1] & ISOTP_EV_RX_DONE);
    size_t n;
    const uint8_t *p = isotp_rx_data(&W.b, &n);
    assert_int_equal(n, len);
    assert_memory_equal(p, msg, len);
    /* frames: FF + ceil((len-6)/7) CFs + FCs (1 + one per full block) */
    size_t cfs = (len - 6 + 6) / 7, fcs = 1 + (bs ? (cfs - 1) / bs : 0);
    assert_int_equal(W.nlog, 1 + cfs + fcs);
    /* consecutive frames numbered 1..15, 0, 1 ... */
    uint8_t sn = 1;
    uint64_t last_cf = 0;
    bool first_cf_of_block = true;
    for (size_t i = 0; i < W.nlog; i++) {
        const wire_t *w = &W.log[i];
        if (w->from == 1) {
            assert_int_equal(w->f.data[0], 0x30); /* CTS */
            assert_int_equal(w->f.data[1], bs);
            assert_int_equal(w->f.data[2], stmin);
            first_cf_of_block = true;
            continue;
        }
        if ((w->f.data[0] >> 4) != 2)
            continue;
        assert_int_equal(w->f.data[0] & 0x0F, sn);
        sn = (uint8_t)((sn + 1) & 0x0F);
        /* STmin is kept between frames of a block */
        if (!first_cf_of_block)
            assert_true(w->t - last_cf >= isotp_stmin_ms(stmin));
        first_cf_of_block = false;
        last_cf = w->t;
        if (pad == ISOTP_NO_PADDING && i == W.nlog - 1)
            assert_int_equal(w->f.len, (len - 6) % 7 ? 1 + (len - 6) % 7 : 8);
        else
            assert_int_equal(w->f.len, 8);
    }
}

static void test_multi_frame_lengths(void **state)
{
    (void)state;
    roundtrip(8, 0, 0, 0x00);    /* smallest FF + 1 CF */
    roundtrip(20, 0, 0, 0x55);   /* the VIN-sized one */
    roundtrip(13, 0, 0, 0xAA);   /* exactly FF + one full CF */
    roundtrip(130, 0, 0, ISOTP_NO_PADDING); /* sequence numbers wrap past 15 */
    roundtrip(ISOTP_MAX_MSG, 0, 0, 0xCC);   /* the longest message */
}

static void test_block_size_and_stmin(void **state)
{
    (void)state;
    roundtrip(100, 4, 0, 0);    /* FC after every 4 CFs */
    roundtrip(100, 1, 0, 0);    /* FC after every CF */
    roundtrip(60, 0, 5, 0);     /* 5 ms between CFs */
    roundtrip(60, 3, 10, 0);    /* both */
    roundtrip(40, 0, 0xF5, 0);  /* 500 us rounds up to 1 ms on a ms clock */
    /* with STmin 20 and 14 CFs the transfer takes at least 13 x 20 ms */
    roundtrip(100, 0, 20, 0);
    assert_true(W.now >= 13 * 20);
}

static void test_stmin_values(void **state)
{
    (void)state;
    assert_int_equal(isotp_stmin_ms(0), 0);
    assert_int_equal(isotp_stmin_ms(0x7F), 127);
    assert_int_equal(isotp_stmin_ms(0xF1), 1);
    assert_int_equal(isotp_stmin_ms(0xF9), 1);
    assert_int_equal(isotp_stmin_ms(0x80), 127); /* reserved */
    assert_int_equal(isotp_stmin_ms(0xFA), 127); /* reserved */
}

/* ---------------- flow control WAIT ---------------- */

static void test_receiver_waits_then_cts(void **state)
{
    (void)state;
    isotp_cfg_t cb = isotp_cfg_default();
    cb.fc_waits = 3;
    cb.wait_gap_ms = 50;
    world_init(NULL, &cb);
    uint8_t msg[30];
    fill(msg, sizeof msg);
    assert_int_equal(isotp_send(&W.a, msg, sizeof msg, 0), OBD_OK);
    run(10000);
    assert_true(W.ev[1] & ISOTP_EV_RX_DONE);
    /* FF, WAIT at 0, 50, 100, CTS at 150, then the CFs */
    assert_int_equal(W.log[1].f.data[0], 0x31);
    assert_int_equal(W.log[2].f.data[0], 0x31);
    assert_int_equal(W.log[3].f.data[0], 0x31);
    assert_int_equal(W.log[3].t, 100);
    assert_int_equal(W.log[4].f.data[0], 0x30);
    assert_int_equal(W.log[4].t, 150);
    assert_int_equal(W.log[5].t, 150);
}

static void test_too_many_waits(void **state)
{
    (void)state;
    isotp_cfg_t ca = isotp_cfg_default(), cb = isotp_cfg_default();
    ca.max_wft = 2;
    cb.fc_waits = 3;
    world_init(&ca, &cb);
    uint8_t msg[30];
    fill(msg, sizeof msg);
    isotp_send(&W.a, msg, sizeof msg, 0);
    run(10000);
    assert_true(W.ev[0] & ISOTP_EV_TX_ERROR);
    assert_int_equal(W.a.tx_result, ISOTP_R_WFT_OVRN);
    assert_false(W.ev[1] & ISOTP_EV_RX_DONE);
}

static void test_wait_restarts_n_bs(void **state)
{
    (void)state;
    /* given a sender with N_Bs 100 ms, when a WAIT comes at 90 ms, then it
     * waits until 190 ms before giving up */
    isotp_cfg_t c = isotp_cfg_default();
    c.n_bs_ms = 100;
    isotp_t t;
    isotp_init(&t, &c);
    uint8_t msg[20] = { 0 };
    isotp_frame_t f;
    isotp_send(&t, msg, sizeof msg, 0);
    isotp_poll(&t, 0, &f);
    assert_int_equal(f.data[0], 0x10);
    assert_int_equal(isotp_on_frame(&t, F(0x31, 0, 0), 90), 0);
    assert_int_equal(isotp_poll(&t, 189, &f), 0);
    assert_int_equal(isotp_next_ms(&t), 190);
    assert_int_equal(isotp_poll(&t, 190, &f), ISOTP_EV_TX_ERROR);
    assert_int_equal(t.tx_result, ISOTP_R_TIMEOUT_BS);
}

/* ---------------- sender errors ---------------- */

static void test_n_bs_timeout(void **state)
{
    (void)state;
    isotp_cfg_t ca = isotp_cfg_default();
    world_init(&ca, NULL);
    W.drop_b_to_a = true; /* the flow control never arrives */
    uint8_t msg[40];
    fill(msg, sizeof msg);
    isotp_send(&W.a, msg, sizeof msg, 0);
    run(5000);
    assert_true(W.ev[0] & ISOTP_EV_TX_ERROR);
    assert_int_equal(W.a.tx_result, ISOTP_R_TIMEOUT_BS);
    assert_int_equal(W.now, 1000); /* exactly N_Bs */
    /* and the receiver, never getting a CF, times out on N_Cr */
    assert_int_equal(W.b.rx_result, ISOTP_R_TIMEOUT_CR);
    assert_true(W.ev[1] & ISOTP_EV_RX_ERROR);
}

static void test_fc_overflow_invalid_and_short(void **state)
{
    (void)state;
    static const struct {
        uint8_t fc[3];
        size_t n;
        isotp_result_t r;
    } cases[] = {
        { { 0x32, 0, 0 }, 3, ISOTP_R_OVERFLOW },
        { { 0x35, 0, 0 }, 3, ISOTP_R_INVALID_FS },
        { { 0x30, 0, 0 }, 2, ISOTP_R_MALFORMED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        isotp_t t;
        isotp_init(&t, NULL);
        uint8_t msg[20] = { 0 };
        isotp_frame_t f;
        isotp_send(&t, msg, sizeof msg, 0);
        isotp_poll(&t, 0, &f);
        assert_int_equal(isotp_on_frame(&t, cases[i].fc, cases[i].n, 1), ISOTP_EV_TX_ERROR);
        assert_int_equal(t.tx_result, cases[i].r);
        assert_int_equal(t.tx_state, ISOTP_TX_IDLE);
        isotp_poll(&t, 2, &f);
        assert_int_equal(f.len, 0); /* nothing more goes out */
        assert_string_not_equal(isotp_result_name(cases[i].r), "unknown");
    }
}

static void test_fc_ignored_when_not_waiting(void **state)
{
    (void)state;
    isotp_t t;
    isotp_init(&t, NULL);
    /* idle: a stray FC changes nothing */
    assert_int_equal(isotp_on_frame(&t, F(0x30, 0, 0), 0), 0);
    assert_int_equal(t.tx_state, ISOTP_TX_IDLE);
    /* while sending (after CTS), a second FC is ignored too */
    uint8_t msg[40] = { 0 };
    isotp_frame_t f;
    isotp_send(&t, msg, sizeof msg, 0);
    isotp_poll(&t, 0, &f);
    isotp_on_frame(&t, F(0x30, 0, 10), 0);
    assert_int_equal(isotp_on_frame(&t, F(0x32, 0, 0), 1), 0);
    assert_int_equal(t.tx_state, ISOTP_TX_SENDING);
}

/* ---------------- receiver errors ---------------- */

static void start_reception(isotp_t *t, size_t len)
{
    isotp_init(t, NULL);
    uint8_t ff[8] = { (uint8_t)(0x10 | len >> 8), (uint8_t)len, 1, 2, 3, 4, 5, 6 };
    assert_int_equal(isotp_on_frame(t, ff, 8, 0), ISOTP_EV_RX_START);
    isotp_frame_t f;
    isotp_poll(t, 0, &f);
    assert_int_equal(f.len, 8);
    assert_int_equal(f.data[0], 0x30);
}

static void test_wrong_sequence_number(void **state)
{
    (void)state;
    isotp_t t;
    start_reception(&t, 20);
    assert_int_equal(isotp_on_frame(&t, F(0x21, 7, 8, 9, 10, 11, 12, 13), 1), 0);
    /* 0x23 where 0x22 was due */
    assert_int_equal(isotp_on_frame(&t, F(0x23, 14, 15, 16, 17, 18, 19, 20), 2), ISOTP_EV_RX_ERROR);
    assert_int_equal(t.rx_result, ISOTP_R_WRONG_SN);
    assert_null(isotp_rx_data(&t, NULL));
    /* later CFs are ignored: nothing is being received */
    assert_int_equal(isotp_on_frame(&t, F(0x22, 14, 15, 16, 17, 18, 19, 20), 3), 0);
}

static void test_n_cr_timeout(void **state)
{
    (void)state;
    isotp_t t;
    start_reception(&t, 20);
    isotp_frame_t f;
    assert_int_equal(isotp_on_frame(&t, F(0x21, 7, 8, 9, 10, 11, 12, 13), 500), 0);
    assert_int_equal(isotp_next_ms(&t), 1500); /* N_Cr restarts with each CF */
    assert_int_equal(isotp_poll(&t, 1499, &f), 0);
    assert_int_equal(isotp_poll(&t, 1500, &f), ISOTP_EV_RX_ERROR);
    assert_int_equal(t.rx_result, ISOTP_R_TIMEOUT_CR);
}

static void test_new_message_cuts_reception(void **state)
{
    (void)state;
    isotp_t t;
    start_reception(&t, 20);
    /* an SF in the middle: the old message is lost, the new one delivered */
    int ev = isotp_on_frame(&t, F(0x03, 0x7F, 0x22, 0x78), 1);
    assert_int_equal(ev, ISOTP_EV_RX_ERROR | ISOTP_EV_RX_DONE);
    assert_int_equal(t.rx_result, ISOTP_R_OK);
    size_t n;
    const uint8_t *p = isotp_rx_data(&t, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(p, "\x7F\x22\x78", 3);
    /* an FF in the middle: error for the old one, the new one starts */
    start_reception(&t, 20);
    ev = isotp_on_frame(&t, F(0x10, 0x09, 1, 2, 3, 4, 5, 6), 1);
    assert_int_equal(ev, ISOTP_EV_RX_ERROR | ISOTP_EV_RX_START);
    assert_int_equal(t.rx_len, 9);
}

static void test_malformed_frames(void **state)
{
    (void)state;
    isotp_t t;
    isotp_init(&t, NULL);
    /* SF length 0, SF length 8, SF longer than the frame */
    assert_int_equal(isotp_on_frame(&t, F(0x00, 1, 2), 0), ISOTP_EV_RX_ERROR);
    assert_int_equal(t.rx_result, ISOTP_R_MALFORMED);
    assert_int_equal(isotp_on_frame(&t, F(0x08, 1, 2, 3, 4, 5, 6, 7), 0), ISOTP_EV_RX_ERROR);
    assert_int_equal(isotp_on_frame(&t, F(0x05, 1, 2), 0), ISOTP_EV_RX_ERROR);
    /* FF shorter than 8 bytes; FF announcing fewer than 8 bytes */
    assert_int_equal(isotp_on_frame(&t, F(0x10, 20, 1, 2), 0), ISOTP_EV_RX_ERROR);
    assert_int_equal(isotp_on_frame(&t, F(0x10, 7, 1, 2, 3, 4, 5, 6), 0), ISOTP_EV_RX_ERROR);
    assert_int_equal(t.rx_state, ISOTP_RX_IDLE);
    /* a truncated CF (3 data bytes where 7 are due) */
    start_reception(&t, 20);
    assert_int_equal(isotp_on_frame(&t, F(0x21, 1, 2, 3), 1), ISOTP_EV_RX_ERROR);
    assert_int_equal(t.rx_result, ISOTP_R_MALFORMED);
    /* but a short last CF without padding is fine */
    start_reception(&t, 9);
    assert_int_equal(isotp_on_frame(&t, F(0x21, 7, 8, 9), 1), ISOTP_EV_RX_DONE);
    /* empty and over-long frames, reserved PCI types: ignored */
    assert_int_equal(isotp_on_frame(&t, NULL, 0, 1), 0);
    assert_int_equal(isotp_on_frame(&t, F(1, 2, 3, 4, 5, 6, 7, 8, 9), 1), 0);
    assert_int_equal(isotp_on_frame(&t, F(0x40, 1), 1), 0);
    /* a CF while idle is ignored */
    isotp_init(&t, NULL);
    assert_int_equal(isotp_on_frame(&t, F(0x21, 1, 2, 3, 4, 5, 6, 7), 0), 0);
}

static void test_overlong_first_frame_gets_overflow(void **state)
{
    (void)state;
    isotp_t t;
    isotp_init(&t, NULL);
    /* FF_DL 0 = 32-bit length escape: we answer FC overflow */
    int ev = isotp_on_frame(&t, F(0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 1, 2), 0);
    assert_int_equal(ev, ISOTP_EV_RX_ERROR);
    assert_int_equal(t.rx_result, ISOTP_R_OVERFLOW);
    isotp_frame_t f;
    isotp_poll(&t, 0, &f);
    assert_int_equal(f.len, 8);
    assert_int_equal(f.data[0], 0x32);
    isotp_poll(&t, 0, &f);
    assert_int_equal(f.len, 0);
}

static void test_block_size_fc_after_each_block(void **state)
{
    (void)state;
    isotp_cfg_t c = isotp_cfg_default();
    c.bs = 2;
    isotp_t t;
    isotp_init(&t, &c);
    isotp_frame_t f;
    isotp_on_frame(&t, F(0x10, 30, 1, 2, 3, 4, 5, 6), 0);
    isotp_poll(&t, 0, &f);
    assert_memory_equal(f.data, "\x30\x02\x00", 3);
    isotp_on_frame(&t, F(0x21, 1, 2, 3, 4, 5, 6, 7), 1);
    isotp_poll(&t, 1, &f);
    assert_int_equal(f.len, 0); /* mid-block: no FC */
    isotp_on_frame(&t, F(0x22, 1, 2, 3, 4, 5, 6, 7), 2);
    isotp_poll(&t, 2, &f);
    assert_memory_equal(f.data, "\x30\x02\x00", 3); /* block done: FC again */
    /* a CF arriving before our FC went out is not accepted */
    isotp_init(&t, &c);
    isotp_on_frame(&t, F(0x10, 30, 1, 2, 3, 4, 5, 6), 0);
    assert_int_equal(isotp_on_frame(&t, F(0x21, 1, 2, 3, 4, 5, 6, 7), 0), 0);
    assert_int_equal(t.rx_pos, 6);
}

static void test_sender_obeys_block_size(void **state)
{
    (void)state;
    isotp_t t;
    isotp_init(&t, NULL);
    uint8_t msg[50] = { 0 };
    isotp_frame_t f;
    isotp_send(&t, msg, sizeof msg, 0);
    isotp_poll(&t, 0, &f);
    isotp_on_frame(&t, F(0x30, 2, 0), 0);
    isotp_poll(&t, 0, &f);
    assert_int_equal(f.data[0], 0x21);
    isotp_poll(&t, 0, &f);
    assert_int_equal(f.data[0], 0x22);
    isotp_poll(&t, 0, &f);
    assert_int_equal(f.len, 0); /* block of 2 done: wait for FC */
    assert_int_equal(t.tx_state, ISOTP_TX_WAIT_FC);
    isotp_on_frame(&t, F(0x30, 0, 0), 5);
    isotp_poll(&t, 5, &f);
    assert_int_equal(f.data[0], 0x23);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_frame_padded_and_not),
        cmocka_unit_test(test_send_arguments),
        cmocka_unit_test(test_multi_frame_lengths),
        cmocka_unit_test(test_block_size_and_stmin),
        cmocka_unit_test(test_stmin_values),
        cmocka_unit_test(test_receiver_waits_then_cts),
        cmocka_unit_test(test_too_many_waits),
        cmocka_unit_test(test_wait_restarts_n_bs),
        cmocka_unit_test(test_n_bs_timeout),
        cmocka_unit_test(test_fc_overflow_invalid_and_short),
        cmocka_unit_test(test_fc_ignored_when_not_waiting),
        cmocka_unit_test(test_wrong_sequence_number),
        cmocka_unit_test(test_n_cr_timeout),
        cmocka_unit_test(test_new_message_cuts_reception),
        cmocka_unit_test(test_malformed_frames),
        cmocka_unit_test(test_overlong_first_frame_gets_overflow),
        cmocka_unit_test(test_block_size_fc_after_each_block),
        cmocka_unit_test(test_sender_obeys_block_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
