/*
 * link_open.c — turn an adapter spec into a link.
 *
 *   /dev/ttyUSB0, /dev/rfcomm0, /dev/pts/N   ELM327 on a serial port / pty
 *   tcp://HOST:PORT                          Wi-Fi ELM327
 *   sim[:SCENARIO][,personality=P][,baud=N][,delay=MS][,seed=N]
 *      [,refuse=ATSH+ATCRA][,count_digit=..][,protocol_report=..][,headers=..][,refuse_service=0A]
 *                                            the built-in simulator, run in a
 *                                            child process behind a socketpair
 *                                            and reached through the ELM327
 *                                            driver (the same code as a car)
 *   can0, vcan0, can:IFACE[,tp=..,pad=..]   SocketCAN (drivers/socketcan.c, canlink.h)
 *   usb:1-1.3, usb-serial:A50285BI           the USB adapter at that port / with that
 *                                            serial number, through its tty (usb.h)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "obdgw/canlink.h"
#include "obdgw/elm.h"
#include "obdgw/link.h"
#include "obdgw/sim.h"
#include "obdgw/stream.h"
#include "obdgw/usb.h"

typedef struct {
    char scenario[256];
    sim_adapter_opts_t a;
} sim_spec_t;

static int parse_sim_spec(const char *spec, sim_spec_t *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    out->a.personality = SIM_STN;
    const char *p = spec + 3; /* after "sim" */
    if (*p == ':') {
        p++;
        size_t l = strcspn(p, ",");
        if (l >= sizeof out->scenario) {
            snprintf(err, errcap, "scenario path too long");
            return OBD_EINVAL;
        }
        memcpy(out->scenario, p, l);
        out->scenario[l] = 0;
        p += l;
    }
    while (*p == ',') {
        p++;
        char kv[64];
        size_t l = strcspn(p, ",");
        if (l >= sizeof kv) {
            snprintf(err, errcap, "simulator option too long");
            return OBD_EINVAL;
        }
        memcpy(kv, p, l);
        kv[l] = 0;
        p += l;
        char *eq = strchr(kv, '=');
        if (!eq) {
            snprintf(err, errcap, "simulator option '%s': expected KEY=VALUE", kv);
            return OBD_EINVAL;
        }
        *eq++ = 0;
        int fr = sim_adapter_fault_set(&out->a.faults, kv, eq, err, errcap); /* the [adapter] keys */
        if (fr < 0)
            return OBD_EINVAL;
        if (fr > 0)
            continue;
        char *end;
        long v = strtol(eq, &end, 10);
        if (!strcmp(kv, "personality")) {
            int k = sim_personality_parse(eq);
            if (k < 0) {
                snprintf(err, errcap, "unknown simulator personality '%s'", eq);
                return OBD_EINVAL;
            }
            out->a.personality = (sim_personality_t)k;
        } else if (*end || v < 0 || v > 4000000) {
            snprintf(err, errcap, "simulator option %s: '%s' is not a number", kv, eq);
            return OBD_EINVAL;
        } else if (!strcmp(kv, "baud")) {
            out->a.baud = (int)v;
        } else if (!strcmp(kv, "delay")) {
            out->a.ecu_delay_ms = (int)v;
        } else if (!strcmp(kv, "seed")) {
            out->a.seed = (unsigned)v;
        } else {
            snprintf(err, errcap, "unknown simulator option '%s' (personality, baud, delay, seed, or an [adapter] key)", kv);
            return OBD_EINVAL;
        }
    }
    if (*p) {
        snprintf(err, errcap, "cannot read simulator spec near '%s'", p);
        return OBD_EINVAL;
    }
    return OBD_OK;
}

/* The simulator end of the socketpair: serve until the parent closes. */
static void sim_child(int fd, sim_vehicle_t *v, const sim_spec_t *sp)
{
    signal(SIGINT, SIG_IGN); /* Ctrl-C goes to the CLI, which then closes us */
    /* Keep only our end (as fd 3) and stdio. fork() without exec inherits
     * every descriptor, CLOEXEC or not: in obdgwd a later bay's simulator
     * held the parent end of every earlier bay's socketpair, so none of them
     * ever saw EOF and closing a link (SIGTERM, kill -9 of the daemon) hung
     * or left the simulators running for good. */
    if (fd != 3) {
        if (dup2(fd, 3) < 0)
            _exit(1);
        fd = 3;
    }
    close_range(4, ~0U, 0);
    sim_adapter_t *a = sim_adapter_new(v, &sp->a);
    if (!a)
        _exit(1);
    volatile int stop = 0;
    sim_serve_fd(a, fd, &stop);
    sim_adapter_free(a);
    sim_vehicle_free(v);
    _exit(0);
}

static int open_sim(const char *spec, const obd_link_opts_t *o, obd_link_t **out, char *err, size_t errcap)
{
    sim_spec_t sp;
    int rc = parse_sim_spec(spec, &sp, err, errcap);
    if (rc)
        return rc;
    const char *scen = sp.scenario[0] ? sp.scenario : (o && o->scenario ? o->scenario : NULL);
    sim_vehicle_t *v = NULL;
    char serr[160] = "";
    rc = scen ? sim_vehicle_load(scen, &v, serr, sizeof serr) : sim_vehicle_builtin(&v);
    if (rc) {
        snprintf(err, errcap, "simulator scenario: %s", serr[0] ? serr : obd_strerror(rc));
        return rc;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        rc = -errno;
        sim_vehicle_free(v);
        snprintf(err, errcap, "socketpair: %s", strerror(-rc));
        return rc;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        rc = -errno;
        close(sv[0]);
        close(sv[1]);
        sim_vehicle_free(v);
        snprintf(err, errcap, "fork: %s", strerror(-rc));
        return rc;
    }
    if (pid == 0) {
        close(sv[0]);
        sim_child(sv[1], v, &sp);
    }
    close(sv[1]);
    sim_vehicle_free(v);
    obd_stream_t s;
    obd_stream_from_fd(&s, sv[0], spec);
    s.child = pid; /* the child exits on EOF; closing the stream reaps it */
    obd_link_opts_t lo = o ? *o : (obd_link_opts_t){ 0 };
    lo.baud = 0;
    return elm_link_open(&s, NULL, &lo, out, err, errcap);
}

int obd_link_open(const char *spec, const obd_link_opts_t *opts, obd_link_t **out, char *err, size_t errcap)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    *out = NULL;
    if (!spec || !*spec) {
        snprintf(err, errcap, "no adapter given (a device path, tcp://HOST:PORT or sim)");
        return OBD_EINVAL;
    }
    if (!strncmp(spec, "sim", 3) && (spec[3] == 0 || spec[3] == ':' || spec[3] == ','))
        return open_sim(spec, opts, out, err, errcap);
    if (can_link_spec_is_can(spec)) {
        can_link_cfg_t cc;
        int rc = can_link_parse_spec(spec, &cc, err, errcap);
        return rc ? rc : can_link_open(&cc, opts, out, err, errcap);
    }
    /* usb:PORT / usb-serial:SERIAL (usb.h): the tty that adapter has now */
    char tty[USB_TTY_LEN];
    if (!strncmp(spec, "usb:", 4) || !strncmp(spec, "usb-serial:", 11)) {
        usb_site_ids_t site;
        int urc = usb_site_ids_from_env(&site, err, errcap);
        if (!urc)
            urc = usb_resolve_spec(spec, &site, tty, sizeof tty, err, errcap);
        if (urc)
            return urc;
        spec = tty;
    }
    obd_stream_t s;
    int rc = obd_stream_open(spec, opts ? opts->baud : 0, &s, err, errcap);
    if (rc)
        return rc;
    return elm_link_open(&s, spec, opts, out, err, errcap);
}
