/*
 * cantest — the CAN tests that need a real kernel (vcan, can-raw,
 * can-isotp). Run by tests/can/guest.sh inside the qemu guest (or directly
 * on a host that has vcan). Prints one line per check:
 *   CANTEST PASS name        CANTEST FAIL name: why
 *
 *   cantest all IFACE SCENARIO_DIR   every in-process test below
 *   cantest bench IFACE SCENARIO_DIR the figures only (30-module scan, live data)
 *   cantest dev IFACE SCENARIO_DIR   the scenario deviations only
 *   cantest hw CAN_A CAN_B           libsocketcan on two emulated controllers
 *                                    (qemu kvaser_pci) sharing one bus
 *   cantest isotp-send IFACE TX RX HEX     our user-space ISO-TP sends HEX
 *   cantest isotp-recv IFACE TX RX [MS]    receives one message, prints hex
 *
 * In-process tests: our ISO-TP against the kernel's CAN_ISOTP in both
 * directions (lengths 1..4095, block size and STmin both ways);
 * libsocketcan on vcan (no state or bitrate, start/stop and stats work);
 * the link against the CAN simulator (a forked child) with user-space and
 * kernel ISO-TP: the full OBD scan on 11- and 29-bit scenarios, the UDS
 * full-system scan, and the simulator's faults; the 30-module car
 * (magotan-30.ini, 5 ms ECUs) scanned end to end, with its time printed
 * as a CANTEST INFO figure; the per-ECU deviations (physical_only,
 * frame_gap_ms, dtc_count_byte, dtc_layout, silent_pids, response_pending)
 * as the link delivers them.
 */
#include <errno.h>
#include <libsocketcan.h>
#include <linux/can.h>
#include <linux/can/isotp.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "obdgw/canlink.h"
#include "obdgw/session.h"
#include "obdgw/sim_can.h"
#include "obdgw/stream.h"
#include "obdgw/uds_scan.h"
#include "../scenarios/magotan-30.expect.h"

static int npass, nfail;

static void check(bool ok, const char *name, const char *why)
{
    if (ok) {
        npass++;
        printf("CANTEST PASS %s\n", name);
    } else {
        nfail++;
        printf("CANTEST FAIL %s: %s\n", name, why ? why : "");
    }
    fflush(stdout);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* ---------------- our ISO-TP over CAN_RAW, blocking helpers ---------------- */

/* Send `p` with the user-space machine (tx id `tx`, flow control read from `rx`). */
static int us_send(int fd, uint32_t tx, uint32_t rx, const uint8_t *p, size_t n, int pad, int timeout_ms)
{
    static isotp_t t;
    isotp_cfg_t c = isotp_cfg_default();
    c.pad = pad;
    isotp_init(&t, &c);
    can_raw_filter(fd, &rx, 1);
    uint64_t end = obd_now_ms() + (uint64_t)timeout_ms;
    if (isotp_send(&t, p, n, obd_now_ms()))
        return -1;
    for (;;) {
        uint64_t now = obd_now_ms();
        if (now > end)
            return -2;
        isotp_frame_t f;
        int ev;
        do {
            ev = isotp_poll(&t, now, &f);
            if (f.len && can_raw_send(fd, tx, f.data, f.len))
                return -3;
            if (ev & ISOTP_EV_TX_ERROR)
                return -4;
            if (ev & ISOTP_EV_TX_DONE)
                return 0;
        } while (f.len);
        uint64_t nx = isotp_next_ms(&t);
        struct pollfd pf = { .fd = fd, .events = POLLIN };
        poll(&pf, 1, nx == UINT64_MAX ? 20 : nx > now ? (int)(nx - now) : 0);
        uint32_t id;
        uint8_t d[8];
        size_t len;
        while (can_raw_recv(fd, &id, d, &len) == 1)
            if (id == rx)
                isotp_on_frame(&t, d, len, obd_now_ms());
    }
}

/* Receive one message with the user-space machine (data on `rx`, FC to `tx`). */
static int us_recv(int fd, uint32_t tx, uint32_t rx, uint8_t *out, size_t cap, int pad, uint8_t bs, uint8_t stmin,
                   int timeout_ms, void (*idle)(void *), void *ctx)
{
    static isotp_t t;
    isotp_cfg_t c = isotp_cfg_default();
    c.pad = pad;
    c.bs = bs;
    c.stmin = stmin;
    isotp_init(&t, &c);
    can_raw_filter(fd, &rx, 1);
    uint64_t end = obd_now_ms() + (uint64_t)timeout_ms;
    for (;;) {
        if (idle)
            idle(ctx);
        uint64_t now = obd_now_ms();
        if (now > end)
            return -2;
        isotp_frame_t f;
        do {
            int ev = isotp_poll(&t, now, &f);
            if (f.len && can_raw_send(fd, tx, f.data, f.len))
                return -3;
            if (ev & ISOTP_EV_RX_ERROR)
                return -4;
        } while (f.len);
        struct pollfd pf = { .fd = fd, .events = POLLIN };
        poll(&pf, 1, 2);
        uint32_t id;
        uint8_t d[8];
        size_t len;
        while (can_raw_recv(fd, &id, d, &len) == 1) {
            if (id != rx)
                continue;
            int ev = isotp_on_frame(&t, d, len, obd_now_ms());
            if (ev & ISOTP_EV_RX_DONE) {
                size_t n;
                const uint8_t *p = isotp_rx_data(&t, &n);
                if (n > cap)
                    return -5;
                memcpy(out, p, n);
                return (int)n;
            }
            isotp_frame_t g;
            do {
                isotp_poll(&t, obd_now_ms(), &g);
                if (g.len && can_raw_send(fd, tx, g.data, g.len))
                    return -3;
            } while (g.len);
        }
    }
}

static int k_open(const char *ifname, uint32_t tx, uint32_t rx, uint8_t bs, uint8_t stmin)
{
    int fd = socket(PF_CAN, SOCK_DGRAM | SOCK_NONBLOCK, CAN_ISOTP);
    if (fd < 0)
        return -1;
    struct can_isotp_options o = { .flags = CAN_ISOTP_TX_PADDING, .txpad_content = 0xAA };
    setsockopt(fd, SOL_CAN_ISOTP, CAN_ISOTP_OPTS, &o, sizeof o);
    struct can_isotp_fc_options fc = { .bs = bs, .stmin = stmin, .wftmax = 0 };
    setsockopt(fd, SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, &fc, sizeof fc);
    struct sockaddr_can a = { .can_family = AF_CAN, .can_ifindex = (int)if_nametoindex(ifname) };
    a.can_addr.tp.tx_id = CAN_ID_IS_EXT(tx) ? tx | CAN_EFF_FLAG : tx;
    a.can_addr.tp.rx_id = CAN_ID_IS_EXT(rx) ? rx | CAN_EFF_FLAG : rx;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31 + seed);
}

/* Kernel sends while our receiver runs: drive both in one loop. */
typedef struct {
    int kfd;
    const uint8_t *p;
    size_t n;
    bool sent;
} ksend_t;

static void ksend_idle(void *ctx)
{
    ksend_t *k = ctx;
    if (!k->sent) {
        ssize_t w = write(k->kfd, k->p, k->n);
        if (w == (ssize_t)k->n)
            k->sent = true;
    }
}

static void test_isotp_vs_kernel(const char *ifname)
{
    int raw = can_raw_open(ifname, NULL, 0);
    if (raw < 0 || !can_isotp_kernel_available()) {
        check(false, "isotp_vs_kernel", "no CAN_RAW or CAN_ISOTP socket");
        return;
    }
    static const size_t lens[] = { 1, 7, 8, 13, 62, 300, 4095 };
    static uint8_t msg[4095], got[4095];
    static const struct {
        uint8_t bs, stmin;
        uint32_t a, b;
    } modes[] = { { 0, 0, 0x7E0, 0x7E8 }, { 2, 1, 0x18DA10F1u, 0x18DAF110u }, { 5, 0xF3, 0x713, 0x77D } };
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        bool ok_up = true, ok_down = true;
        char why[128] = "";
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            size_t n = lens[i];
            /* user -> kernel: the kernel asks for bs/stmin, our sender obeys */
            int k = k_open(ifname, modes[m].b, modes[m].a, modes[m].bs, modes[m].stmin);
            fill(msg, n, (unsigned)(i + m));
            int rc = us_send(raw, modes[m].a, modes[m].b, msg, n, 0x55, 5000);
            ssize_t r = -1;
            for (int w = 0; w < 200 && r < 0; w++) {
                struct pollfd pf = { .fd = k, .events = POLLIN };
                poll(&pf, 1, 10);
                r = recv(k, got, sizeof got, MSG_DONTWAIT);
            }
            if (rc || r != (ssize_t)n || memcmp(got, msg, n)) {
                ok_up = false;
                snprintf(why, sizeof why, "user->kernel len %zu: send rc %d, kernel got %zd", n, rc, r);
            }
            close(k);
            /* kernel -> user: our receiver asks for bs/stmin, the kernel obeys */
            k = k_open(ifname, modes[m].b, modes[m].a, 0, 0);
            ksend_t ks = { k, msg, n, false };
            int g = us_recv(raw, modes[m].a, modes[m].b, got, sizeof got, 0xAA, modes[m].bs, modes[m].stmin, 5000,
                            ksend_idle, &ks);
            if (g != (int)n || memcmp(got, msg, n)) {
                ok_down = false;
                snprintf(why, sizeof why, "kernel->user len %zu: got %d", n, g);
            }
            close(k);
        }
        char name[64];
        snprintf(name, sizeof name, "isotp_user_to_kernel_bs%u_stmin%02X_%s", modes[m].bs, modes[m].stmin,
                 CAN_ID_IS_EXT(modes[m].a) ? "29bit" : "11bit");
        check(ok_up, name, why);
        snprintf(name, sizeof name, "isotp_kernel_to_user_bs%u_stmin%02X_%s", modes[m].bs, modes[m].stmin,
                 CAN_ID_IS_EXT(modes[m].a) ? "29bit" : "11bit");
        check(ok_down, name, why);
    }
    close(raw);
}

/* ---------------- libsocketcan on vcan ---------------- */

static void test_libsocketcan_vcan(const char *ifname)
{
    int st;
    struct can_bittiming bt;
    struct rtnl_link_stats64 ls;
    check(can_get_state(ifname, &st) == -1, "vcan_get_state_fails", "can_get_state succeeded on vcan");
    check(can_get_bittiming(ifname, &bt) == -1, "vcan_get_bittiming_fails", "can_get_bittiming succeeded on vcan");
    check(can_set_bitrate(ifname, 500000) == -1, "vcan_set_bitrate_fails", "can_set_bitrate succeeded on vcan");
    check(can_get_link_stats(ifname, &ls) == 0, "vcan_link_stats", "can_get_link_stats failed");
    can_if_info_t ii;
    check(can_if_info(ifname, &ii) == 0 && ii.is_virtual && !ii.has_state && !ii.has_bitrate && ii.has_stats,
          "can_if_info_says_virtual", "vcan not reported as virtual");
    char err[160] = "";
    check(can_if_set_bitrate(ifname, 500000, err, sizeof err) == OBD_EINVAL && strstr(err, "virtual"),
          "can_if_set_bitrate_refuses_vcan", err);
    uint32_t found = 1;
    check(can_if_probe_bitrate(ifname, (const uint32_t[]){ 500000 }, 1, 10, &found, err, sizeof err) == OBD_EINVAL &&
              found == 0,
          "can_if_probe_refuses_vcan", err);
    check(can_do_stop(ifname) == 0 && can_if_info(ifname, &ii) == 0 && !ii.up, "vcan_stop", "can_do_stop");
    check(can_do_start(ifname) == 0 && can_if_info(ifname, &ii) == 0 && ii.up, "vcan_start", "can_do_start");
    char d[200];
    can_if_describe(&ii, ifname, d, sizeof d);
    check(strstr(d, "virtual CAN") != NULL, "can_if_describe_virtual", d);
    check(can_if_info("nosuchcan9", &ii) == -ENODEV, "can_if_info_missing", "no -ENODEV");
}

/* ---------------- link against the CAN simulator ---------------- */

static volatile int child_stop;
static void on_term(int s)
{
    (void)s;
    child_stop = 1;
}

static void ready_pipe(void *ctx)
{
    int fd = *(int *)ctx;
    if (write(fd, "r", 1) < 0)
        _exit(3);
    close(fd);
}

static pid_t sim_start(const char *ifname, const char *scenario, const sim_can_opts_t *o)
{
    int pp[2];
    if (pipe(pp))
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(pp[0]);
        signal(SIGTERM, on_term);
        sim_vehicle_t *v = NULL;
        char err[160];
        if (sim_vehicle_load(scenario, &v, err, sizeof err)) {
            fprintf(stderr, "sim: %s\n", err);
            _exit(2);
        }
        int rc = sim_can_serve(v, ifname, o, &child_stop, ready_pipe, &pp[1], err, sizeof err);
        _exit(rc ? 1 : 0);
    }
    close(pp[1]);
    char c;
    ssize_t r = read(pp[0], &c, 1);
    close(pp[0]);
    if (r != 1) {
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

static void sim_stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

static obd_link_t *open_link(const char *ifname, const char *tp, char *err, size_t cap)
{
    char spec[64];
    snprintf(spec, sizeof spec, "can:%s,tp=%s", ifname, tp);
    obd_link_t *l = NULL;
    obd_link_opts_t lo = { 0 };
    obd_link_open(spec, &lo, &l, err, cap);
    return l;
}

static void test_scan(const char *ifname, const char *dir, const char *file, const char *tp, size_t necus,
                      const char *vin, uint32_t uds_tx, uint32_t uds_rx)
{
    char scen[512], name[96], why[256] = "";
    snprintf(scen, sizeof scen, "%s/%s", dir, file);
    sim_can_opts_t so = { .pad = -2, .ecu_delay_ms = 2 };
    pid_t pid = sim_start(ifname, scen, &so);
    snprintf(name, sizeof name, "sim_start_%s_%s", file, tp);
    check(pid > 0, name, "simulator did not start");
    if (pid <= 0)
        return;
    obd_link_t *l = open_link(ifname, tp, why, sizeof why);
    snprintf(name, sizeof name, "link_open_%s_%s", file, tp);
    check(l != NULL, name, why);
    if (l) {
        const char *tpn = can_link_tp_name(l);
        snprintf(name, sizeof name, "link_tp_is_%s_%s", tp, file);
        check(tpn && !strcmp(tpn, tp), name, tpn ? tpn : "not a CAN link");
        static obd_scan_t s;
        uint64_t t0 = obd_now_ms();
        int rc = obd_scan_run(l, &s, NULL, NULL);
        uint64_t dt = obd_now_ms() - t0;
        snprintf(why, sizeof why, "rc %d (%s), %zu ECUs, VIN '%s', %u requests, %llu ms; %s", rc, obd_strerror(rc),
                 s.necus, s.vin, s.requests, (unsigned long long)dt, l->errmsg);
        snprintf(name, sizeof name, "obd_scan_%s_%s", file, tp);
        check(rc == OBD_OK && s.necus == necus && !strcmp(s.vin, vin), name, why);
        printf("CANTEST INFO obd_scan %s %s: %s\n", file, tp, why);
        size_t stored = obd_scan_count(&s, 0);
        snprintf(name, sizeof name, "obd_scan_dtcs_%s_%s", file, tp);
        snprintf(why, sizeof why, "stored %zu pending %zu", stored, obd_scan_count(&s, 1));
        check(stored + obd_scan_count(&s, 1) > 0, name, why);
        if (uds_tx) {
            static uds_scan_t us;
            uds_scan_opts_t uo;
            uds_scan_opts_default(&uo);
            uo.read_snapshots = true;
            t0 = obd_now_ms();
            rc = uds_scan_run(l, &uo, &us, NULL, NULL);
            dt = obd_now_ms() - t0;
            const uds_module_t *m = NULL;
            for (size_t i = 0; i < us.nmodules; i++)
                if (us.modules[i].rx_id == uds_rx && us.modules[i].answered)
                    m = &us.modules[i];
            snprintf(why, sizeof why, "rc %d, %zu modules probed, %zu answered, module %X %s, %llu ms", rc,
                     us.nmodules, us.nanswered, (unsigned)uds_rx, m ? "found" : "missing",
                     (unsigned long long)dt);
            snprintf(name, sizeof name, "uds_scan_%s_%s", file, tp);
            check(rc == OBD_OK && m && m->dtcs_read && m->ndtcs > 0 && us.nanswered >= 1 &&
                      us.nmodules > us.nanswered,
                  name, why);
            printf("CANTEST INFO uds_scan %s %s: %s\n", file, tp, why);
        }
        obd_link_close(l);
    }
    sim_stop(pid);
}

/*
 * The whole car: 30 modules at 5 ms (the scenario's response_ms), a full
 * system scan on the default 11-bit range. Checks exactly the answered /
 * silent / refused modules; prints the end-to-end time (target <= 5 s).
 */
static void test_scan30(const char *ifname, const char *dir, const char *tp)
{
    char scen[512], name[96], why[512] = "";
    snprintf(scen, sizeof scen, "%s/magotan-30.ini", dir);
    sim_can_opts_t so = { .pad = -2, .ecu_delay_ms = -1 };
    pid_t pid = sim_start(ifname, scen, &so);
    snprintf(name, sizeof name, "uds_scan30_%s", tp);
    obd_link_t *l = pid > 0 ? open_link(ifname, tp, why, sizeof why) : NULL;
    if (!l) {
        check(false, name, pid > 0 ? why : "simulator did not start");
        sim_stop(pid);
        return;
    }
    static uds_scan_t s;
    uds_scan_opts_t o;
    uds_scan_opts_default(&o);
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    uint64_t t0 = obd_now_ms();
    int rc = uds_scan_run(l, &o, &s, NULL, NULL);
    uint64_t dt = obd_now_ms() - t0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
    /* exactly the expected modules */
    size_t bad = 0;
    int w = 0;
    for (size_t i = 0; i < s.nmodules; i++) {
        const uds_module_t *m = &s.modules[i];
        bool want = false, refusing = m->rx_id == CAR30_REFUSING_RX;
        for (size_t k = 0; k < CAR30_NANSWERING; k++)
            want |= car30_answering[k].tx_id == m->tx_id && car30_answering[k].rx_id == m->rx_id;
        bool ok = m->answered == want;
        if (ok && want)
            ok = refusing ? m->state == UDS_MOD_NEEDS_AUTH && m->nrc == CAR30_REFUSING_NRC && !m->dtcs_read
                          : m->state == UDS_MOD_OK && m->dtcs_read;
        if (!ok && bad++ < 6 && w < (int)sizeof why - 40)
            w += snprintf(why + w, sizeof why - (size_t)w, "%X/%X answered %d state %s; ", (unsigned)m->tx_id,
                          (unsigned)m->rx_id, m->answered, uds_mod_state_key(m->state));
    }
    size_t silent_seen = 0;
    for (size_t k = 0; k < CAR30_NSILENT; k++)
        for (size_t i = 0; i < s.nmodules; i++)
            silent_seen += s.modules[i].tx_id == car30_silent[k].tx_id && s.modules[i].rx_id == car30_silent[k].rx_id &&
                           !s.modules[i].answered;
    if (w < (int)sizeof why - 100)
        snprintf(why + w, sizeof why - (size_t)w, "rc %d, %zu probed, %zu answered (want %zu), %zu/%zu silent listed",
                 rc, s.nmodules, s.nanswered, (size_t)CAR30_NANSWERING, silent_seen, (size_t)CAR30_NSILENT);
    check(rc == OBD_OK && !bad && s.nanswered == CAR30_NANSWERING && silent_seen == CAR30_NSILENT, name, why);
    printf("CANTEST INFO uds_scan30 %s ISO-TP: 30-module car (27 answer, 3 silent), ECUs 5 ms, 11-bit range: "
           "%zu pairs probed, %u requests, %.2f s end to end (target <= 5 s), gateway CPU %.0f ms\n",
           tp, s.nmodules, s.requests, (double)dt / 1000.0, cpu);
    obd_link_close(l);
    sim_stop(pid);
}

/* One physical request through the link with a fault active in the sim. */
static void test_fault(const char *ifname, const char *dir, const char *fault, const char *tp, const uint8_t *req,
                       size_t reqlen, bool want_answer, uint64_t min_ms, uint64_t max_ms)
{
    char scen[512], name[96], why[256] = "";
    snprintf(scen, sizeof scen, "%s/default.ini", dir);
    sim_can_opts_t so = { .pad = -2, .ecu_delay_ms = 1, .nfaults = 1 };
    sim_can_fault_parse(fault, &so.faults[0]);
    snprintf(name, sizeof name, "fault_%s_%s", fault, tp);
    /* the link opens (01 00 to the OBD ECUs) before the fault's target is asked */
    pid_t pid = sim_start(ifname, scen, &so);
    obd_link_t *l = pid > 0 ? open_link(ifname, tp, why, sizeof why) : NULL;
    if (!l) {
        check(false, name, why);
        sim_stop(pid);
        return;
    }
    static obd_replies_t rep;
    obd_request_t r = { .to = { 0x713, 0x77D }, .data = req, .len = reqlen };
    uint64_t t0 = obd_now_ms();
    int rc = obd_link_request(l, &r, &rep);
    uint64_t dt = obd_now_ms() - t0;
    bool answered = rc == OBD_OK && rep.count == 1 && obd_reply_data(&rep, 0)[0] != 0x7F;
    snprintf(why, sizeof why, "rc %d, %zu replies, first byte %02X, %llu ms (want %s in %llu..%llu ms); %s", rc,
             rep.count, rep.count ? obd_reply_data(&rep, 0)[0] : 0, (unsigned long long)dt,
             want_answer ? "answer" : "none", (unsigned long long)min_ms, (unsigned long long)max_ms, l->errmsg);
    check(rc == OBD_OK && answered == want_answer && dt >= min_ms && dt <= max_ms, name, why);
    obd_link_close(l);
    sim_stop(pid);
}

/*
 * The simulated car's deviations (scenario keys, docs/simulator.md
 * "Deviations") over the bus: one request, the replies the link delivers,
 * exactly; `want` is "ADDR:HEX;ADDR:HEX" in reply order ("" = nobody), and
 * the time must be in min_ms..max_ms. What the session makes of them is
 * tested above the link (physical fallback, lenient DTC decode).
 */
typedef struct {
    const char *file, *label;
    uint32_t tx, rx; /* 0, 0 = functional */
    const char *req;
    uint8_t expect;
    const char *want;
    uint64_t min_ms, max_ms;
} dev_case_t;

static size_t hex_bytes(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *s && *s != ';'; s++) {
        int v = hexval(*s);
        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else if (n < cap) {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return n;
}

static bool replies_are(const obd_replies_t *rep, const char *want)
{
    size_t i = 0;
    const char *p = want;
    while (*p) {
        char *end;
        unsigned long addr = strtoul(p, &end, 16);
        if (*end != ':' || i >= rep->count || rep->r[i].addr != addr)
            return false;
        uint8_t b[512];
        size_t n = hex_bytes(end + 1, b, sizeof b);
        if (rep->r[i].len != n || memcmp(obd_reply_data(rep, i), b, n))
            return false;
        i++;
        p = strchr(end, ';');
        p = p ? p + 1 : end + strlen(end);
    }
    return i == rep->count;
}

static void test_deviation(const char *ifname, const char *dir, const dev_case_t *c, const char *tp)
{
    char scen[512], name[128], why[512] = "";
    snprintf(scen, sizeof scen, "%s/%s", dir, c->file);
    snprintf(name, sizeof name, "deviation_%s_%s", c->label, tp);
    sim_can_opts_t so = { .pad = -2, .ecu_delay_ms = 1 };
    pid_t pid = sim_start(ifname, scen, &so);
    obd_link_t *l = pid > 0 ? open_link(ifname, tp, why, sizeof why) : NULL;
    if (!l) {
        check(false, name, pid > 0 ? why : "simulator did not start");
        sim_stop(pid);
        return;
    }
    static obd_replies_t rep;
    uint8_t req[16];
    size_t n = hex_bytes(c->req, req, sizeof req);
    obd_request_t r = { .to = { c->tx, c->rx }, .data = req, .len = n, .expect = c->expect };
    uint64_t t0 = obd_now_ms();
    int rc = obd_link_request(l, &r, &rep);
    uint64_t dt = obd_now_ms() - t0;
    int w = snprintf(why, sizeof why, "rc %d, %llu ms (want %llu..%llu), %zu replies:", rc, (unsigned long long)dt,
                     (unsigned long long)c->min_ms, (unsigned long long)c->max_ms, rep.count);
    for (size_t i = 0; i < rep.count && w < (int)sizeof why - 40; i++) {
        w += snprintf(why + w, sizeof why - (size_t)w, " %X:", (unsigned)rep.r[i].addr);
        for (size_t k = 0; k < rep.r[i].len && k < 12 && w < (int)sizeof why - 8; k++)
            w += snprintf(why + w, sizeof why - (size_t)w, "%02X", obd_reply_data(&rep, i)[k]);
    }
    check(rc == OBD_OK && replies_are(&rep, c->want) && dt >= c->min_ms && dt <= c->max_ms, name, why);
    printf("CANTEST INFO %s: %s\n", name, why);
    obd_link_close(l);
    sim_stop(pid);
}

#define VIN_HEX "4C465632413231 4B364D33303132333435" /* LFV2A21K6M3012345 */

static const dev_case_t dev_cases[] = {
    /* issue 10's car: functional 03 reaches the TCM only, physical the engine */
    { "physical-only.ini", "physical_only_03_functional", 0, 0, "03", 2, "7E9:4300", 0, 1500 },
    { "physical-only.ini", "physical_only_03_physical", 0x7E0, 0x7E8, "03", 0, "7E8:43010301", 0, 1500 },
    { "physical-only.ini", "physical_only_0902_physical", 0x7E0, 0x7E8, "0902", 0, "7E8:490201" VIN_HEX, 0, 1500 },
    { "physical-only.ini", "physical_only_0900_no_data", 0x7E0, 0x7E8, "0900", 0, "", 0, 1500 },
    /* consecutive frames 30 ms apart: 3 frames of the VIN, two gaps */
    { "split-frames.ini", "frame_gap_0902", 0x7E0, 0x7E8, "0902", 0, "7E8:490201" VIN_HEX, 58, 1500 },
    { "dtc-count-off.ini", "dtc_count_byte_47", 0, 0, "07", 1,
      "7E8:4714 0101 0102 0103 0104 0105 0106 0107 0108 0109 0110 0111 0112 0113 0114 0115 0116 0117 0118", 0, 1500 },
    { "dtc-legacy-on-can.ini", "dtc_layout_legacy_03", 0, 0, "03", 1, "7E8:43010480034123", 0, 1500 },
    { "silent-pid.ini", "silent_pid_in_multi", 0, 0, "01050C0D", 1, "7E8:410580 0D00", 0, 1500 },
    /* two 78s 50 ms apart, then the answer */
    { "response-pending.ini", "response_pending_2", 0x7E0, 0x7E8, "03", 0, "7E8:43010301", 98, 1500 },
    /* 78s every 20 ms for 20 s: the link gives up after CAN_MAX_PENDING (40) and hands the 78 up */
    { "response-pending-forever.ini", "response_pending_forever", 0x7E0, 0x7E8, "03", 0, "7E8:7F0378", 700,
      3000 },
};

/*
 * Kernel ISO-TP costs (issue 18 item 8): opening the link, the first
 * functional and physical requests, closing, for both ISO-TP modes; and
 * after the exchanges no kernel ISO-TP socket may answer a First Frame
 * with a Flow Control (it would flow-control another tester's replies).
 */
static void test_kernel_costs(const char *ifname, const char *dir)
{
    char scen[512], name[96], why[256] = "";
    snprintf(scen, sizeof scen, "%s/default.ini", dir);
    static const char *tps[] = { "user", "kernel" };
    static const uint8_t q0100[] = { 0x01, 0x00 }, q0902[] = { 0x09, 0x02 };
    for (int i = 0; i < 2; i++) {
        sim_can_opts_t so = { .pad = -2, .ecu_delay_ms = 1 };
        pid_t pid = sim_start(ifname, scen, &so);
        uint64_t t0 = obd_now_ms();
        obd_link_t *l = pid > 0 ? open_link(ifname, tps[i], why, sizeof why) : NULL;
        uint64_t t_open = obd_now_ms() - t0;
        snprintf(name, sizeof name, "kcost_open_%s", tps[i]);
        check(l != NULL, name, why);
        if (!l) {
            sim_stop(pid);
            continue;
        }
        static obd_replies_t rep;
        obd_request_t rf = { .to = OBD_TARGET_ALL, .data = q0100, .len = 2, .expect = 2 };
        t0 = obd_now_ms();
        int rc1 = obd_link_request(l, &rf, &rep);
        uint64_t t_func = obd_now_ms() - t0;
        size_t nf = rep.count;
        obd_request_t rp = { .to = { 0x7E0, 0x7E8 }, .data = q0902, .len = 2 };
        t0 = obd_now_ms();
        int rc2 = obd_link_request(l, &rp, &rep);
        uint64_t t_phys = obd_now_ms() - t0;
        size_t np = rep.count;
        t0 = obd_now_ms();
        int rc3 = obd_link_request(l, &rp, &rep);
        uint64_t t_phys2 = obd_now_ms() - t0;
        sim_stop(pid); /* nobody answers from here on */
        /* a First Frame from 7E9 (not an answer to anything we asked): nobody may flow-control it */
        int raw = can_raw_open(ifname, why, sizeof why);
        bool fc_seen = false;
        if (raw >= 0) {
            static const uint8_t ff[8] = { 0x10, 0x14, 0x49, 0x02, 0x01, 0x41, 0x42, 0x43 };
            can_raw_send(raw, 0x7E9, ff, 8);
            can_raw_send(raw, 0x7E8, ff, 8);
            uint64_t end = obd_now_ms() + 150;
            while (obd_now_ms() < end) {
                struct pollfd pf = { .fd = raw, .events = POLLIN };
                if (poll(&pf, 1, 20) <= 0)
                    continue;
                uint32_t id;
                uint8_t d[8];
                size_t n;
                while (can_raw_recv(raw, &id, d, &n) > 0)
                    fc_seen |= (id == 0x7E0 || id == 0x7E1) && n && (d[0] >> 4) == 3;
            }
        }
        t0 = obd_now_ms();
        obd_link_close(l);
        uint64_t t_close = obd_now_ms() - t0;
        if (raw >= 0)
            close(raw);
        snprintf(why, sizeof why,
                 "open %llu ms, functional 01 00 %llu ms (rc %d, %zu replies), physical 09 02 %llu ms then %llu ms "
                 "(rc %d %d, %zu), close %llu ms",
                 (unsigned long long)t_open, (unsigned long long)t_func, rc1, nf, (unsigned long long)t_phys,
                 (unsigned long long)t_phys2, rc2, rc3, np, (unsigned long long)t_close);
        printf("CANTEST INFO kcost %s: %s\n", tps[i], why);
        snprintf(name, sizeof name, "kcost_requests_%s", tps[i]);
        check(rc1 == OBD_OK && nf == 2 && rc2 == OBD_OK && np == 1 && rc3 == OBD_OK, name, why);
        snprintf(name, sizeof name, "kcost_open_le_200ms_%s", tps[i]);
        check(t_open <= 200, name, why);
        snprintf(name, sizeof name, "kcost_no_stray_fc_%s", tps[i]);
        check(!fc_seen, name, "a Flow Control went out for a First Frame nobody asked for");
    }
}

/* Figures: live data with multi-PID against ECUs answering in 5 ms, and the
 * gateway's CPU time per request (asserts only that data flows). */
static void bench_live(const char *ifname, const char *dir)
{
    char scen[512], why[256] = "";
    snprintf(scen, sizeof scen, "%s/default.ini", dir);
    sim_can_opts_t so = { .pad = -2, .ecu_delay_ms = 5 };
    pid_t pid = sim_start(ifname, scen, &so);
    obd_link_t *l = pid > 0 ? open_link(ifname, "user", why, sizeof why) : NULL;
    if (!l) {
        check(false, "bench_live", why);
        sim_stop(pid);
        return;
    }
    static const uint8_t pids[] = { 0x0C, 0x0D, 0x05, 0x04, 0x11, 0x0B };
    static obd_live_t lv;
    obd_live_init(&lv, l, pids, sizeof pids, true, NULL, NULL);
    static obd_live_sample_t smp[256];
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    uint64_t t0 = obd_now_ms();
    unsigned req0 = lv.requests;
    size_t samples = 0;
    while (obd_now_ms() - t0 < 2000) {
        int n = obd_live_poll(&lv, l, smp, 256);
        if (n < 0)
            break;
        samples += (size_t)n;
    }
    double wall = (double)(obd_now_ms() - t0) / 1000.0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    unsigned reqs = lv.requests - req0;
    printf("CANTEST INFO bench_live: ECU delay 5 ms, %zu PIDs multi-PID: %.0f requests/s, %.0f PIDs/s, "
           "gateway CPU %.3f ms per request (%.1f%% of the %.2f ms each request took)\n",
           sizeof pids, reqs / wall, samples / wall, cpu / reqs * 1e3, cpu / wall * 100, wall / reqs * 1e3);
    check(samples > 0 && reqs > 0, "bench_live_data_flows", "no samples");
    obd_link_close(l);
    sim_stop(pid);
}

/* ---------------- libsocketcan on an emulated controller ----------------
 * qemu's Kvaser PCIcan model (an SJA1000) under the kernel's kvaser_pci
 * driver: a real CAN netdev with bit timing, controller state, error
 * counters and listen-only mode. Two of them share one qemu CAN bus (A and
 * B). qemu's bus does not model bit timing (a frame reaches the other
 * controller whatever its rate) nor ACK or bus errors, so what is checked
 * here is our control path on a real driver, not the electrical outcome. */

static pid_t chatter_start(const char *ifname)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = can_raw_open(ifname, NULL, 0);
        static const uint8_t d[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
        for (int i = 0; fd >= 0 && i < 1000; i++) {
            can_raw_send(fd, 0x321, d, sizeof d);
            usleep(10000);
        }
        _exit(0);
    }
    return pid;
}

static void chatter_stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
}

/* Does a frame sent on `from` arrive on `to`? */
static bool frame_passes(const char *from, const char *to)
{
    int rx = can_raw_open(to, NULL, 0), tx = can_raw_open(from, NULL, 0);
    bool got = false;
    if (rx >= 0 && tx >= 0) {
        static const uint8_t d[3] = { 0xAB, 0xCD, 0xEF };
        can_raw_send(tx, 0x456, d, sizeof d);
        uint64_t end = obd_now_ms() + 500;
        while (!got && obd_now_ms() < end) {
            struct pollfd pf = { .fd = rx, .events = POLLIN };
            poll(&pf, 1, 50);
            uint32_t id;
            uint8_t b[8];
            size_t n;
            while (can_raw_recv(rx, &id, b, &n) == 1)
                got |= id == 0x456 && n == 3 && b[0] == 0xAB;
        }
    }
    if (rx >= 0)
        close(rx);
    if (tx >= 0)
        close(tx);
    return got;
}

static int run_hw(const char *a, const char *b)
{
    can_if_info_t ia, ib;
    char err[200] = "", d[240], why[300];
    check(can_if_info(a, &ia) == 0 && ia.has_state && !ia.is_virtual, "hw_is_a_controller",
          "no controller state: not a real CAN netdev?");
    check(can_if_set_bitrate(a, 500000, err, sizeof err) == OBD_OK && can_if_info(a, &ia) == 0 && ia.up &&
              ia.has_bitrate && ia.bitrate == 500000,
          "hw_set_bitrate_500k", err);
    check(ia.has_state && !strcmp(ia.state, "error-active"), "hw_state_error_active", ia.state);
    check(ia.has_berr && ia.txerr == 0 && ia.rxerr == 0, "hw_error_counters", "no berr counters");
    can_if_describe(&ia, a, d, sizeof d);
    check(strstr(d, "500000 bit/s") && strstr(d, "state error-active") && !strstr(d, "virtual"), "hw_describe", d);
    /* a second call at the same rate leaves a running controller alone */
    check(can_if_set_bitrate(a, 500000, err, sizeof err) == OBD_OK, "hw_set_bitrate_same", err);
    check(can_if_set_bitrate(b, 250000, err, sizeof err) == OBD_OK && can_if_info(b, &ib) == 0 &&
              ib.bitrate == 250000,
          "hw_set_bitrate_250k", err);
    check(frame_passes(a, b) && frame_passes(b, a), "hw_frames_both_ways", "a frame did not cross the bus");
    /* restart is for bus-off only: the kernel refuses it on a healthy controller */
    check(can_if_restart(a) == OBD_EADAPTER, "hw_restart_refused_when_not_busoff", "restart accepted");
    check(can_if_stop(a) == OBD_OK && can_if_info(a, &ia) == 0 && !ia.up && !strcmp(ia.state, "stopped"),
          "hw_stop", ia.state);
    check(can_if_start(a) == OBD_OK && can_if_info(a, &ia) == 0 && ia.up, "hw_start", "can_do_start");
    /* listen-only probing: a silent bus finds nothing and leaves the
     * controller in normal mode, started */
    static const uint32_t cand[] = { 250000, 500000 };
    uint32_t found = 1;
    uint64_t t0 = obd_now_ms();
    int rc = can_if_probe_bitrate(a, cand, 2, 200, &found, err, sizeof err);
    snprintf(why, sizeof why, "rc %d found %u after %llu ms: %s", rc, (unsigned)found,
             (unsigned long long)(obd_now_ms() - t0), err);
    check(rc == OBD_OK && found == 0 && obd_now_ms() - t0 >= 400, "hw_probe_silent_bus", why);
    check(can_if_info(a, &ia) == 0 && ia.up && frame_passes(a, b), "hw_probe_silent_leaves_normal_mode",
          "the controller does not transmit after the probe");
    /* traffic from B: found at the first candidate (qemu's bus ignores bit
     * timing), then A is back in normal mode at that rate and transmits */
    pid_t ch = chatter_start(b);
    usleep(50000);
    rc = can_if_probe_bitrate(a, cand, 2, 500, &found, err, sizeof err);
    chatter_stop(ch);
    snprintf(why, sizeof why, "rc %d found %u: %s", rc, (unsigned)found, err);
    check(rc == OBD_OK && found == 250000, "hw_probe_hears_traffic", why);
    check(can_if_info(a, &ia) == 0 && ia.up && ia.bitrate == 250000 && frame_passes(a, b),
          "hw_probe_sets_found_rate", "not at 250k in normal mode after the probe");
    can_if_set_bitrate(a, 500000, err, sizeof err);
    can_if_set_bitrate(b, 500000, err, sizeof err);
    printf("CANTEST RESULT pass=%d fail=%d\n", npass, nfail);
    return nfail ? 1 : 0;
}

static int run_all(const char *ifname, const char *dir)
{
    test_libsocketcan_vcan(ifname);
    test_isotp_vs_kernel(ifname);
    static const char *tps[] = { "user", "kernel" };
    for (int i = 0; i < 2; i++) {
        test_scan(ifname, dir, "default.ini", tps[i], 2, "LFV2A21K6M3012345", 0x713, 0x77D);
        test_scan(ifname, dir, "toyota-can29.ini", tps[i], 3, "JTDKB3FU4K3012345", 0, 0);
    }
    static const uint8_t did[] = { 0x22, 0xF1, 0x87 };
    static const uint8_t dids4[] = { 0x22, 0xF1, 0x87, 0xF1, 0x90, 0xF1, 0x8C, 0xF1, 0x95 };
    for (int i = 0; i < 2; i++) {
        test_fault(ifname, dir, "pending=4", tps[i], did, sizeof did, true, 15, 2000);
        test_fault(ifname, dir, "silent@77D", tps[i], did, sizeof did, false, 90, 400);
        test_fault(ifname, dir, "fc-wait=2", tps[i], dids4, sizeof dids4, true, 15, 2000);
        test_fault(ifname, dir, "wrong-sn", tps[i], dids4, sizeof dids4, false, 0, 2500);
        test_fault(ifname, dir, "truncate", tps[i], dids4, sizeof dids4, false, 500, 2500);
    }
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < sizeof dev_cases / sizeof dev_cases[0]; k++)
            test_deviation(ifname, dir, &dev_cases[k], tps[i]);
    test_kernel_costs(ifname, dir);
    for (int i = 0; i < 2; i++)
        test_scan30(ifname, dir, tps[i]);
    bench_live(ifname, dir);
    printf("CANTEST RESULT pass=%d fail=%d\n", npass, nfail);
    return nfail ? 1 : 0;
}

/* Only the figures (make bench): the 30-module scan both ways, live data. */
static int run_bench(const char *ifname, const char *dir)
{
    test_scan30(ifname, dir, "user");
    test_scan30(ifname, dir, "kernel");
    bench_live(ifname, dir);
    printf("CANTEST RESULT pass=%d fail=%d\n", npass, nfail);
    return nfail ? 1 : 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 4 && !strcmp(argv[1], "kcost")) { /* kernel ISO-TP costs only */
        test_kernel_costs(argv[2], argv[3]);
        printf("CANTEST RESULT pass=%d fail=%d\n", npass, nfail);
        return nfail ? 1 : 0;
    }
    if (argc >= 4 && !strcmp(argv[1], "dev")) { /* the deviations only (sh tests/can/run.sh BUILD dev) */
        for (int i = 0; i < 2; i++)
            for (size_t k = 0; k < sizeof dev_cases / sizeof dev_cases[0]; k++)
                test_deviation(argv[2], argv[3], &dev_cases[k], i ? "kernel" : "user");
        printf("CANTEST RESULT pass=%d fail=%d\n", npass, nfail);
        return nfail ? 1 : 0;
    }
    if (argc >= 4 && !strcmp(argv[1], "all"))
        return run_all(argv[2], argv[3]);
    if (argc >= 4 && !strcmp(argv[1], "bench"))
        return run_bench(argv[2], argv[3]);
    if (argc >= 4 && !strcmp(argv[1], "hw"))
        return run_hw(argv[2], argv[3]);
    if (argc >= 6 && !strcmp(argv[1], "isotp-send")) {
        static uint8_t b[4095];
        size_t n = 0;
        for (const char *h = argv[5]; h[0] && h[1] && n < sizeof b; h += 2)
            b[n++] = (uint8_t)(hexval(h[0]) << 4 | hexval(h[1]));
        int fd = can_raw_open(argv[2], NULL, 0);
        if (fd < 0)
            return 2;
        int rc = us_send(fd, (uint32_t)strtoul(argv[3], NULL, 16), (uint32_t)strtoul(argv[4], NULL, 16), b, n, 0xCC,
                         5000);
        return rc ? 1 : 0;
    }
    if (argc >= 5 && !strcmp(argv[1], "isotp-recv")) {
        static uint8_t b[4095];
        int fd = can_raw_open(argv[2], NULL, 0);
        if (fd < 0)
            return 2;
        int n = us_recv(fd, (uint32_t)strtoul(argv[3], NULL, 16), (uint32_t)strtoul(argv[4], NULL, 16), b, sizeof b,
                        0xCC, 0, 0, argc > 5 ? atoi(argv[5]) : 5000, NULL, NULL);
        if (n < 0)
            return 1;
        for (int i = 0; i < n; i++)
            printf("%02X", b[i]);
        printf("\n");
        return 0;
    }
    fprintf(stderr, "usage: cantest all|bench IFACE SCENARIO_DIR | hw CAN_A CAN_B | isotp-send IFACE TX RX HEX | isotp-recv IFACE TX RX [MS]\n");
    return 2;
}
