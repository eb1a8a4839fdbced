/*
 * Figures for OEM signals (#14): decoded module values per second from the
 * demo car's signalset (dtc-db/signals/faw-vw-sagitar-2019-2024.json: six
 * DIDs in three modules, engine 7E0, gearbox 7E1, ABS 713), every command
 * asked as often as the link allows (their `freq` ignored here: the clock
 * handed to the poller jumps ahead each round), through the real drivers:
 * the ELM327 simulator at 115200 Bd with 10 ms ECUs with and without
 * multi-DID $22 requests, and SocketCAN's engine on an in-process bus (the
 * three modules asked at once). Prints figures; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "obdgw/canlink.h"
#include "obdgw/signals.h"
#include "obdgw/sim.h"
#include "obdgw/sim_can.h"
#include "obdgw/stream.h"

#define SET "dtc-db/signals/faw-vw-sagitar-2019-2024.json"

static void run(const char *label, obd_link_t *l, const sig_set_t *set, bool multi, double seconds)
{
    static sig_live_t lv;
    if (sig_live_init(&lv, set, NULL, 0, multi)) {
        printf("  %-58s live init failed\n", label);
        return;
    }
    static sig_sample_t smp[256];
    long values = 0, other = 0;
    uint64_t fake = 1000000, t0 = obd_now_ms();
    while (obd_now_ms() - t0 < (uint64_t)(seconds * 1000)) {
        int k = sig_live_poll(&lv, l, fake, OBD_LANG_EN, smp, 256);
        fake += 100000; /* every command due again next round */
        if (k < 0) {
            printf("  %-58s poll failed: %s\n", label, l->errmsg);
            break;
        }
        for (int i = 0; i < k; i++) {
            if (smp[i].kind == SIG_EV_VALUE)
                values++;
            else
                other++;
        }
    }
    double dt = (double)(obd_now_ms() - t0) / 1000.0;
    printf("  %-58s %7.1f signals/s  (%ld values, %u $22 requests, %.1f ms/request, %ld refusals/silences)\n",
           label, values / dt, values, lv.requests, dt * 1000.0 / (lv.requests ? lv.requests : 1), other);
    sig_live_free(&lv);
}

int main(void)
{
    sig_set_t *set = NULL;
    char err[256];
    if (sig_load_file(SET, &set, err, sizeof err)) {
        printf("bench_signals: %s: %s\n", SET, err);
        return 0;
    }
    printf("OEM signals, demo car signalset (6 DIDs, 3 modules), every command as often as the link allows\n");
    static const struct {
        const char *label, *spec;
        bool multi;
    } elm[] = {
        { "ELM327 sim (STN) 115200 Bd, 10 ms ECUs, multi-DID", "sim,personality=stn,baud=115200,delay=10", true },
        { "ELM327 sim (STN) 115200 Bd, 10 ms ECUs, one DID per request", "sim,personality=stn,baud=115200,delay=10",
          false },
    };
    for (size_t i = 0; i < sizeof elm / sizeof elm[0]; i++) {
        obd_link_t *l;
        obd_link_opts_t o = { 0 };
        if (obd_link_open(elm[i].spec, &o, &l, err, sizeof err)) {
            printf("  %-58s failed to open: %s\n", elm[i].label, err);
            continue;
        }
        run(elm[i].label, l, set, elm[i].multi, 3);
        obd_link_close(l);
    }
    sim_vehicle_t *v = NULL;
    sim_can_bus_t *bus = NULL;
    obd_link_t *l = NULL;
    int fd = -1;
    sim_can_opts_t so = { .ecu_delay_ms = 10, .pad = -2 };
    if (sim_vehicle_load("tests/scenarios/default.ini", &v, err, sizeof err) ||
        sim_can_bus_start(v, &so, &bus, &fd, err, sizeof err) || can_link_open_fd(fd, NULL, NULL, &l, err, sizeof err)) {
        printf("  CAN: %s\n", err);
    } else {
        run("SocketCAN engine, in-process bus, 10 ms ECUs, 3 modules at once", l, set, true, 3);
        obd_link_close(l);
    }
    if (bus)
        sim_can_bus_stop(bus);
    if (v)
        sim_vehicle_free(v);
    free(set);
    return 0;
}
