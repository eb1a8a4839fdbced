/*
 * Figures for the ELM327 path end to end: live-data PIDs per second and the
 * time of a full scan, against the built-in simulator at realistic settings
 * (UART 115200 baud, 10 ms ECU response time, STN-class adapter), through the
 * same driver a real adapter uses. Prints figures; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "obdgw/elm.h"
#include "obdgw/session.h"
#include "obdgw/stream.h"
#include "obdgw/uds_scan.h"

#include "../scenarios/magotan-30.expect.h"

#define SETTINGS "personality=stn,baud=115200,delay=10"

/*
 * Live data for `seconds`, and beside it the link's limit: what the same
 * vehicle requests cost at the least -- their bytes and their answers' at
 * `baud` (10 bits a byte on the UART), plus the ECU's `ecu_ms` for each, plus
 * the adapter's own processing per request (`adapter_ms`: what the simulator
 * models for the personality -- STN 0, ELM327 v1.5 3 ms, clones 5 ms). Every
 * other command and wait the driver spends counts against the ratio; so
 * does the simulator's pacing in whole milliseconds (up to ~1 ms a request).
 */
static void live(const char *label, const char *spec, bool multi, double seconds, int baud, int ecu_ms, int adapter_ms)
{
    obd_link_t *l;
    char err[256];
    obd_link_opts_t o = { 0 };
    if (obd_link_open(spec, &o, &l, err, sizeof err)) {
        printf("%-52s failed to open: %s\n", label, err);
        return;
    }
    static const uint8_t pids[] = { 0x0C, 0x0D, 0x05, 0x04, 0x11, 0x0B };
    obd_live_t lv;
    if (obd_live_init(&lv, l, pids, sizeof pids, multi, NULL, NULL)) {
        printf("%-52s live init failed: %s\n", label, l->errmsg);
        obd_link_close(l);
        return;
    }
    obd_live_sample_t smp[64];
    long n = 0;
    unsigned r0 = lv.requests;
    const elm_traffic_t *tr = elm_link_traffic(l);
    elm_traffic_t t0 = tr ? *tr : (elm_traffic_t){ 0 };
    uint64_t start = obd_now_ms();
    while (obd_now_ms() - start < (uint64_t)(seconds * 1000)) {
        int k = obd_live_poll(&lv, l, smp, 64);
        if (k < 0) {
            printf("%-52s poll failed: %s\n", label, l->errmsg);
            break;
        }
        n += k;
    }
    double dt = (double)(obd_now_ms() - start) / 1000.0;
    unsigned nreq = lv.requests - r0;
    printf("%-52s %7.1f PIDs/s  (%ld values, %u requests, %.1f ms/request)\n", label, n / dt, n, nreq,
           dt * 1000.0 / (nreq ? nreq : 1));
    if (tr) {
        uint64_t bytes = (tr->tx_bytes - t0.tx_bytes) + (tr->rx_bytes - t0.rx_bytes);
        uint64_t reqs = tr->requests - t0.requests;
        double least = (double)bytes * 10.0 / baud + (double)reqs * (ecu_ms + adapter_ms) / 1000.0; /* s */
        double limit = least > 0 ? n / least : 0;
        printf("%-52s %7.1f PIDs/s  limit: %.0f B at %d Bd + %llu x (%d ms ECU + %d ms adapter); measured/limit %.2f "
               "(target >= 0.95)\n",
               "", limit, (double)bytes, baud, (unsigned long long)reqs, ecu_ms, adapter_ms,
               limit > 0 ? (n / dt) / limit : 0);
    }
    obd_link_close(l);
}

static void scan(const char *label, const char *spec)
{
    obd_link_t *l;
    char err[256];
    obd_link_opts_t o = { 0 };
    uint64_t t0 = obd_now_ms();
    if (obd_link_open(spec, &o, &l, err, sizeof err)) {
        printf("%-52s failed to open: %s\n", label, err);
        return;
    }
    uint64_t t1 = obd_now_ms();
    obd_scan_t *s = calloc(1, sizeof *s);
    int rc = obd_scan_run(l, s, NULL, NULL);
    uint64_t t2 = obd_now_ms();
    printf("%-52s %7.2f s   (set-up %.2f s + scan %.2f s, %u requests, %zu ECUs, rc %d)\n", label,
           (double)(t2 - t0) / 1000.0, (double)(t1 - t0) / 1000.0, (double)(t2 - t1) / 1000.0, s->requests,
           s->necus, rc);
    free(s);
    obd_link_close(l);
}

/* The UDS full-system scan of the 30-module car over the ELM327 path; the
 * same modules as over CAN (magotan-30.expect.h) or the figure says not. */
static void uds(const char *label, const char *spec)
{
    obd_link_t *l;
    char err[256];
    obd_link_opts_t o = { 0 };
    uint64_t t0 = obd_now_ms();
    if (obd_link_open(spec, &o, &l, err, sizeof err)) {
        printf("%-52s failed to open: %s\n", label, err);
        return;
    }
    static uds_scan_t s;
    int rc = uds_scan_run(l, NULL, &s, NULL, NULL);
    double dt = (double)(obd_now_ms() - t0) / 1000.0;
    size_t found = 0;
    for (size_t i = 0; i < CAR30_NANSWERING; i++)
        for (size_t k = 0; k < s.nmodules; k++)
            found += s.modules[k].answered && s.modules[k].tx_id == car30_answering[i].tx_id &&
                     s.modules[k].rx_id == car30_answering[i].rx_id;
    printf("%-52s %7.2f s   (target <= 8 s on STN; %u probed, %u requests, modules %zu of %zu as over CAN%s, rc %d)\n",
           label, dt, (unsigned)s.nmodules, s.requests, found, (size_t)CAR30_NANSWERING,
           found == CAR30_NANSWERING && s.nanswered == CAR30_NANSWERING ? "" : " MISMATCH", rc);
    obd_link_close(l);
}

int main(void)
{
    printf("live data, 6 PIDs (rpm, speed, coolant, load, throttle, MAP) from 2 ECUs (7E8 all six, 7E9 two), 10 ms ECUs\n");
    live("  STN 115200, multi-PID (up to 6 per request)", "sim," SETTINGS, true, 4, 115200, 10, 0);
    live("  STN 115200, single-PID", "sim," SETTINGS, false, 4, 115200, 10, 0);
    live("  ELM327 v1.5 38400, multi-PID", "sim,personality=elm327-v1.5,baud=38400,delay=10", true, 4, 38400, 10, 3);
    live("  ELM327 v1.5 38400, single-PID", "sim,personality=elm327-v1.5,baud=38400,delay=10", false, 4, 38400, 10, 3);
    live("  clone-echo 38400, multi-PID", "sim,personality=clone-echo,baud=38400,delay=10", true, 4, 38400, 10, 5);
    printf("full scan (default scenario: 2 ECUs, VIN, DTCs, freeze frame, readiness)\n");
    scan("  STN, 115200 baud, 10 ms ECU", "sim," SETTINGS);
    scan("  ELM327 v1.5, 38400 baud, 10 ms ECU", "sim,personality=elm327-v1.5,baud=38400,delay=10");
    printf("UDS full-system scan, 30-module car (magotan-30.ini: 27 answer), 5 ms ECUs, 360 candidate pairs\n");
    uds("  STN, 115200 baud (STPX, one probe per transmit id)", "sim:tests/scenarios/magotan-30.ini,personality=stn,baud=115200,delay=5");
    uds("  ELM327 v1.5, 115200 baud (ATSH + count digit)", "sim:tests/scenarios/magotan-30.ini,personality=elm327-v1.5,baud=115200,delay=5");
    uds("  clone without count digit / filter (slow path)", "sim:tests/scenarios/magotan-30.ini,personality=clone-basic,baud=115200,delay=5");
    return 0;
}
