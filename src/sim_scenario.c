/*
 * sim_scenario.c — scenario files (docs/simulator.md) -> sim_vehicle_t, and
 * the built-in default vehicle.
 *
 * A scenario is untrusted text: every number is range-checked, every list is
 * bounded by the fixed tables in sim_priv.h, and the first problem is
 * reported as "file:line: key: what is wrong". The parse is one allocation
 * (the vehicle); nothing is kept from the text afterwards.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "obdgw/link.h"
#include "obdgw/pid.h"
#include "sim_priv.h"

/* ---------------- the built-in default (same as tests/scenarios/default.ini) ---------------- */

static const char builtin_text[] =
    "; 2021 FAW-Volkswagen Sagitar 1.4T petrol with a cylinder 1 misfire.\n"
    "; Key on, engine off: the car as it stands at reception.\n"
    "[vehicle]\n"
    "name = 2021 FAW-VW Sagitar 1.4T (petrol)\n"
    "protocol = can11_500\n"
    "vin = LFV2A21K6M3012345\n"
    "engine_running = no\n"
    "clear_refused_while_running = yes\n"
    "battery = 12.4\n"
    "can_padding = AA\n"
    "unsupported = silent\n"
    "\n"
    "[ecu engine]\n"
    "address = 7E8\n"
    "name = ECM-EngineControl\n"
    "ignition = spark\n"
    "readiness.supported = misfire fuel_system components catalyst evap o2_sensor o2_heater egr_vvt\n"
    "readiness.incomplete = catalyst evap\n"
    "pid.03 = raw:0200\n"
    "pid.04 = const:0\n"
    "pid.05 = ramp:68:72:60\n"
    "pid.06 = const:0\n"
    "pid.07 = const:2.3\n"
    "pid.0B = noise:99:0.4\n"
    "pid.0C = const:0\n"
    "pid.0D = const:0\n"
    "pid.0E = const:0\n"
    "pid.0F = const:24\n"
    "pid.10 = const:0\n"
    "pid.11 = const:14.1\n"
    "pid.13 = raw:03\n"
    "pid.1C = raw:06\n"
    "pid.1F = const:0\n"
    "pid.21 = const:86\n"
    "pid.2F = const:62.7\n"
    "pid.30 = const:37\n"
    "pid.31 = const:1250\n"
    "pid.33 = const:99\n"
    "pid.42 = noise:12.4:0.05\n"
    "pid.46 = const:21\n"
    "pid.49 = const:0\n"
    "pid.4D = const:95\n"
    "pid.4E = const:2400\n"
    "pid.51 = raw:01\n"
    "pid.A6 = const:18342.5\n"
    "stored = P0301\n"
    "pending = P0300\n"
    "permanent = P0301\n"
    "freeze.0 = P0301 04=41.2 05=87 06=-3.1 07=2.3 0B=52 0C=2150 0D=64 0E=12.5 0F=31 11=18.4\n"
    "mode06 = 21:80:20:161:0:256 A2:0B:24:45:0:30 A2:0C:24:52:0:30 A3:0B:24:0:0:30 A3:0C:24:0:0:30\n"
    "calid = 04E906027KD_0001\n"
    "cvn = 1A2B3C4D\n"
    "; OEM DIDs of the simulated car (ours, for the signalset dtc-db/signals/faw-vw-sagitar-2019-2024.json)\n"
    "uds.did.1001 = raw:00000000\n"
    "uds.val.1001 = 0,8,1,-40 ramp:88:96:300\n"
    "uds.val.1001 = 8,16,0.01,0 noise:2.1:0.05\n"
    "uds.val.1001 = 24,8,0.5,0 const:78\n"
    "uds.did.1002 = raw:00000000\n"
    "uds.val.1002 = 0,16,0.1,0 noise:101.3:0.3\n"
    "uds.val.1002 = 16,16,0.1,0 const:-2.5\n"
    "\n"
    "[ecu transmission]\n"
    "address = 7E9\n"
    "name = TCM-TransmisCtrl\n"
    "services = 01 03 04 07 09 0A\n"
    "pid.05 = const:45\n"
    "pid.0D = const:0\n"
    "calid = 0CW300042B_0012\n"
    "cvn = 5E6F7081\n"
    "uds.did.2001 = raw:0000\n"
    "uds.val.2001 = 0,8,1,-40 ramp:40:45:600\n"
    "uds.val.2001 = 8,4,1,0 const:0\n"
    "uds.val.2001 = 12,4,1,0 const:0\n"
    "\n"
    "[ecu abs]\n"
    "; UDS-only module: VW ABS on 713/77D, not part of the OBD view\n"
    "address = 77D\n"
    "request = 713\n"
    "obd = no\n"
    "uds.dtcs = C0035-11:2F C0040-13:28\n"
    "uds.did.F190 = LFV2A21K6M3012345\n"
    "uds.did.F187 = 5Q0907379AC\n"
    "uds.did.F189 = 0150\n"
    "uds.did.3001 = raw:0000000000000000\n"
    "uds.did.3002 = raw:00000000\n"
    "uds.val.3002 = 0,16,0.1,0 replay:-12.5,0,15.5@2000\n"
    "uds.val.3002 = 16,16,0.1,0 const:0\n"
    "uds.did.3003 = raw:C0\n";

/* ---------------- small parsers ---------------- */

typedef struct {
    sim_vehicle_t *v;
    sim_ecu_t *ecu;   /* current [ecu NAME] section, or NULL */
    int sect;         /* 0 none, 1 vehicle, 2 ecu, 3 unknown, 4 adapter */
    char last[64];    /* last section name seen */
    bool have_proto;
    bool vin_explicit[SIM_MAX_ECUS];
    bool have_addr[SIM_MAX_ECUS];
    bool have_req[SIM_MAX_ECUS];
    bool have_services[SIM_MAX_ECUS];
    char err[160];    /* first error, without the "file:line: " prefix */
} pctx_t;

static int fail(pctx_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(pctx_t *c, const char *fmt, ...)
{
    if (!c->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, sizeof c->err, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = tolower(ch);
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* Exactly 1..maxd hex digits (optional 0x). */
static bool parse_hexnum(const char *s, size_t n, unsigned maxd, uint32_t *out)
{
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
    }
    if (n == 0 || n > maxd)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = hexval((unsigned char)s[i]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    *out = v;
    return true;
}

/* Hex bytes, spaces allowed between them: "0F 78" / "0F78". */
static bool parse_hexbytes(const char *s, uint8_t *out, size_t cap, size_t *len)
{
    size_t k = 0;
    int hi = -1;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t')
            continue;
        int h = hexval((unsigned char)*s);
        if (h < 0)
            return false;
        if (hi < 0) {
            hi = h;
        } else {
            if (k >= cap)
                return false;
            out[k++] = (uint8_t)(hi << 4 | h);
            hi = -1;
        }
    }
    if (hi >= 0 || k == 0)
        return false;
    *len = k;
    return true;
}

static bool parse_double(const char *s, size_t n, double *out)
{
    char buf[48];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (*end || errno || !isfinite(d))
        return false;
    *out = d;
    return true;
}

static int parse_bool(const char *s)
{
    static const char *const yes[] = { "yes", "true", "on", "1" }, *const no[] = { "no", "false", "off", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i]))
            return 1;
        if (!strcasecmp(s, no[i]))
            return 0;
    }
    return -1;
}

/* Next token of a list separated by spaces, tabs or commas. */
static bool next_token(const char **p, const char **tok, size_t *len)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == ',')
        s++;
    if (!*s)
        return false;
    const char *e = s;
    while (*e && *e != ' ' && *e != '\t' && *e != ',')
        e++;
    *tok = s;
    *len = (size_t)(e - s);
    *p = e;
    return true;
}

static bool tokcpy(char *dst, size_t cap, const char *tok, size_t len)
{
    if (len >= cap)
        return false;
    memcpy(dst, tok, len);
    dst[len] = 0;
    return true;
}

uint32_t sim_default_request_id(obd_proto_t proto, uint32_t addr)
{
    if (!obd_proto_is_can(proto))
        return addr;
    if (obd_proto_is_can29(proto))
        return (addr & 0xFFFFFF00u) == 0x18DAF100u ? obd_target_for(addr).tx_id : 0;
    return addr >= 0x7E8 && addr <= 0x7EF ? addr - 8 : 0;
}

/* ---------------- generators ---------------- */

/* "const:V", "V", "ramp:A:B:S", "noise:M:A", "replay:V1,V2@MS", "raw:HEX". */
static int parse_gen(pctx_t *c, const char *key, uint8_t pid, const char *val, sim_gen_t *g)
{
    memset(g, 0, sizeof *g);
    const char *colon = strchr(val, ':');
    size_t kl = colon ? (size_t)(colon - val) : 0;
    const char *arg = colon ? colon + 1 : val;
    if (colon && kl == 3 && !strncasecmp(val, "raw", 3)) {
        size_t n;
        if (!parse_hexbytes(arg, g->raw, sizeof g->raw, &n))
            return fail(c, "%s: raw bytes must be 1-8 hex bytes, got '%s'", key, arg);
        uint8_t want = obd_pid_len(pid);
        if (want && n != want)
            return fail(c, "%s: PID $%02X has %u data bytes, raw gives %zu", key, pid, want, n);
        g->kind = SIM_GEN_RAW;
        g->len = (uint8_t)n;
        return 1;
    }
    double f[3];
    size_t nf = 0;
    if (!colon || (kl == 5 && !strncasecmp(val, "const", 5))) {
        g->kind = SIM_GEN_CONST;
        if (!parse_double(arg, strlen(arg), &g->a))
            return fail(c, "%s: '%s' is not a number", key, arg);
    } else if ((kl == 4 && !strncasecmp(val, "ramp", 4)) || (kl == 5 && !strncasecmp(val, "noise", 5))) {
        bool ramp = kl == 4;
        const char *p = arg;
        while (nf < 3) {
            const char *e = strchr(p, ':');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (!parse_double(p, n, &f[nf]))
                return fail(c, "%s: '%s' is not a number", key, p);
            nf++;
            if (!e)
                break;
            p = e + 1;
        }
        if (nf != (ramp ? 3u : 2u) || strchr(p, ':'))
            return fail(c, "%s: expected %s", key, ramp ? "ramp:FROM:TO:PERIOD_S" : "noise:MEAN:AMPLITUDE");
        g->a = f[0];
        g->b = f[1];
        if (ramp) {
            if (!(f[2] > 0 && f[2] <= 86400))
                return fail(c, "%s: ramp period must be 0-86400 s", key);
            g->kind = SIM_GEN_RAMP;
            g->period_ms = (uint32_t)llround(f[2] * 1000.0);
            if (!g->period_ms)
                g->period_ms = 1;
        } else {
            if (f[1] < 0)
                return fail(c, "%s: noise amplitude must not be negative", key);
            g->kind = SIM_GEN_NOISE;
        }
    } else if (kl == 6 && !strncasecmp(val, "replay", 6)) {
        const char *at = strchr(arg, '@');
        double per;
        if (!at || !parse_double(at + 1, strlen(at + 1), &per) || !(per >= 1 && per <= 3600000))
            return fail(c, "%s: expected replay:V1,V2,...@PERIOD_MS", key);
        g->kind = SIM_GEN_REPLAY;
        g->period_ms = (uint32_t)per;
        const char *p = arg;
        while (p < at) {
            const char *e = memchr(p, ',', (size_t)(at - p));
            size_t n = e ? (size_t)(e - p) : (size_t)(at - p);
            if (g->nrep >= SIM_MAX_REPLAY)
                return fail(c, "%s: at most %d replay values", key, SIM_MAX_REPLAY);
            if (!parse_double(p, n, &g->rep[g->nrep]))
                return fail(c, "%s: replay value '%.*s' is not a number", key, (int)n, p);
            g->nrep++;
            p = e ? e + 1 : at;
        }
        if (!g->nrep)
            return fail(c, "%s: replay needs at least one value", key);
    } else {
        return fail(c, "%s: unknown generator '%.*s' (const, ramp, noise, replay, raw)", key, (int)kl, val);
    }
    uint8_t tmp[8];
    int rc = obd_pid_encode(pid, g->a, tmp, sizeof tmp);
    if (rc == OBD_EPID)
        return fail(c, "%s: PID $%02X is not in the PID table: give raw:HEX", key, pid);
    if (rc < 0)
        return fail(c, "%s: PID $%02X is not a single number: give raw:HEX", key, pid);
    return 1;
}

/* ---------------- per-key handlers ---------------- */

static int parse_dtc_list(pctx_t *c, const char *key, const char *val, sim_dtcs_t *l)
{
    const char *p = val, *t;
    size_t n;
    while (next_token(&p, &t, &n)) {
        char buf[8];
        obd_dtc_t d;
        if (!tokcpy(buf, sizeof buf, t, n) || obd_dtc_parse(buf, &d))
            return fail(c, "%s: '%.*s' is not a DTC like P0301", key, (int)n, t);
        if (l->n >= SIM_MAX_DTCS)
            return fail(c, "%s: at most %d DTCs", key, SIM_MAX_DTCS);
        l->d[l->n++] = d;
    }
    return 1;
}

static int parse_monitors(pctx_t *c, const char *key, const char *val, uint16_t *set)
{
    const char *p = val, *t;
    size_t n;
    while (next_token(&p, &t, &n)) {
        int m = -1;
        for (int i = 0; i < OBD_MON_COUNT; i++) {
            const char *k = obd_monitor_key((obd_monitor_t)i);
            if (k && strlen(k) == n && !strncasecmp(k, t, n))
                m = i;
        }
        if (m < 0)
            return fail(c, "%s: unknown monitor '%.*s'", key, (int)n, t);
        *set = (uint16_t)(*set | 1u << m);
    }
    return 1;
}

static sim_pid_t *pid_slot(sim_ecu_t *e, uint8_t pid)
{
    for (size_t i = 0; i < e->npids; i++)
        if (e->pids[i].pid == pid)
            return &e->pids[i];
    if (e->npids >= SIM_MAX_PIDS)
        return NULL;
    e->pids[e->npids].pid = pid;
    return &e->pids[e->npids++];
}

/* "P0301 04=41.2 0C=raw:0F78 ..." */
static int parse_freeze(pctx_t *c, const char *key, uint8_t frame, const char *val, sim_ecu_t *e)
{
    if (e->nfreeze >= SIM_MAX_FREEZE)
        return fail(c, "%s: at most %d freeze frames", key, SIM_MAX_FREEZE);
    sim_freeze_t *f = &e->freeze[e->nfreeze];
    memset(f, 0, sizeof *f);
    f->frame = frame;
    const char *p = val, *t;
    size_t n;
    if (!next_token(&p, &t, &n))
        return fail(c, "%s: expected 'DTC PID=VALUE ...'", key);
    char buf[48];
    if (!tokcpy(buf, sizeof buf, t, n) || obd_dtc_parse(buf, &f->dtc))
        return fail(c, "%s: '%.*s' is not a DTC like P0301", key, (int)n, t);
    while (next_token(&p, &t, &n)) {
        const char *eq = memchr(t, '=', n);
        uint32_t pid;
        if (!eq || !parse_hexnum(t, (size_t)(eq - t), 2, &pid) || !tokcpy(buf, sizeof buf, eq + 1, n - (size_t)(eq - t) - 1))
            return fail(c, "%s: expected PID=VALUE (hex PID), got '%.*s'", key, (int)n, t);
        if (pid == 0x02 || pid % 0x20 == 0 || pid == 0x01)
            return fail(c, "%s: PID $%02X cannot be stored in a freeze frame", key, (unsigned)pid);
        if (f->npids >= SIM_MAX_FF_PIDS)
            return fail(c, "%s: at most %d PIDs per freeze frame", key, SIM_MAX_FF_PIDS);
        sim_ffpid_t *fp = &f->p[f->npids];
        fp->pid = (uint8_t)pid;
        if (!strncasecmp(buf, "raw:", 4)) {
            size_t len;
            if (!parse_hexbytes(buf + 4, fp->data, sizeof fp->data, &len) ||
                (obd_pid_len((uint8_t)pid) && len != obd_pid_len((uint8_t)pid)))
                return fail(c, "%s: PID $%02X: raw bytes of the wrong length", key, (unsigned)pid);
            fp->len = (uint8_t)len;
        } else {
            double d;
            if (!parse_double(buf, strlen(buf), &d))
                return fail(c, "%s: PID $%02X: '%s' is not a number", key, (unsigned)pid, buf);
            int rc = obd_pid_encode((uint8_t)pid, d, fp->data, sizeof fp->data);
            if (rc < 0)
                return fail(c, "%s: PID $%02X is not a single number: give raw:HEX", key, (unsigned)pid);
            fp->len = (uint8_t)rc;
        }
        f->npids++;
    }
    e->nfreeze++;
    return 1;
}

/* Raw 16-bit test value: decimal (negative = two's complement) or 0xHEX. */
static bool parse_raw16(const char *s, size_t n, uint16_t *out)
{
    uint32_t h;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return parse_hexnum(s, n, 4, &h) && (*out = (uint16_t)h, true);
    double d;
    if (!parse_double(s, n, &d) || d != floor(d) || d < -32768 || d > 65535)
        return false;
    *out = (uint16_t)(d < 0 ? d + 65536 : d);
    return true;
}

/* "MID:TID:UASID:V:MIN:MAX ..." */
static int parse_mode06(pctx_t *c, const char *key, const char *val, sim_ecu_t *e)
{
    const char *p = val, *t;
    size_t n;
    while (next_token(&p, &t, &n)) {
        const char *part[6];
        size_t plen[6], k = 0;
        const char *s = t, *end = t + n;
        while (k < 6) {
            const char *col = memchr(s, ':', (size_t)(end - s));
            part[k] = s;
            plen[k] = col ? (size_t)(col - s) : (size_t)(end - s);
            k++;
            if (!col)
                break;
            s = col + 1;
        }
        uint32_t mid, tid, uas;
        sim_test_t tr;
        if (k != 6 || part[5] + plen[5] != end || !parse_hexnum(part[0], plen[0], 2, &mid) ||
            !parse_hexnum(part[1], plen[1], 2, &tid) || !parse_hexnum(part[2], plen[2], 2, &uas) ||
            !parse_raw16(part[3], plen[3], &tr.value) || !parse_raw16(part[4], plen[4], &tr.min) ||
            !parse_raw16(part[5], plen[5], &tr.max))
            return fail(c, "%s: expected MID:TID:UASID:VALUE:MIN:MAX, got '%.*s'", key, (int)n, t);
        if (mid % 0x20 == 0)
            return fail(c, "%s: MID $%02X is a support bitmap (computed)", key, (unsigned)mid);
        if (e->ntests >= SIM_MAX_TESTS)
            return fail(c, "%s: at most %d test results", key, SIM_MAX_TESTS);
        tr.mid = (uint8_t)mid;
        tr.tid = (uint8_t)tid;
        tr.uasid = (uint8_t)uas;
        e->tests[e->ntests++] = tr;
    }
    return 1;
}

static int parse_uds_dtcs(pctx_t *c, const char *key, const char *val, sim_ecu_t *e, bool perm)
{
    const char *p = val, *t;
    size_t n;
    while (next_token(&p, &t, &n)) {
        char buf[16];
        const char *col = memchr(t, ':', n);
        size_t dl = col ? (size_t)(col - t) : n;
        uint32_t code, st = 0x08;
        if (!tokcpy(buf, sizeof buf, t, dl) || uds_dtc_parse(buf, &code) ||
            (col && !parse_hexnum(col + 1, n - dl - 1, 2, &st)) || (!perm && !col) || (perm && col))
            return fail(c, "%s: expected %s, got '%.*s'", key, perm ? "DTC-FT (e.g. C0035-11)" : "DTC-FT:STATUS (e.g. C0035-11:2F)",
                        (int)n, t);
        if (perm) {
            if (e->nuds_perm >= SIM_MAX_UDS_DTCS)
                return fail(c, "%s: at most %d DTCs", key, SIM_MAX_UDS_DTCS);
            e->uds_perm[e->nuds_perm++] = code;
        } else {
            if (e->nuds >= SIM_MAX_UDS_DTCS)
                return fail(c, "%s: at most %d DTCs", key, SIM_MAX_UDS_DTCS);
            e->uds_dtcs[e->nuds].code = code;
            e->uds_dtcs[e->nuds].status = (uint8_t)st;
            e->nuds++;
        }
    }
    return 1;
}

static int parse_services(pctx_t *c, const char *key, const char *val, uint16_t *set)
{
    const char *p = val, *t;
    size_t n;
    *set = 0;
    while (next_token(&p, &t, &n)) {
        uint32_t s;
        if (!parse_hexnum(t, n, 2, &s) || s < 1 || s > 0x0A)
            return fail(c, "%s: '%.*s' is not an OBD service 01-0A", key, (int)n, t);
        *set = (uint16_t)(*set | 1u << s);
    }
    return 1;
}

static int vehicle_key(pctx_t *c, const char *name, const char *val)
{
    sim_vehicle_t *v = c->v;
    int b;
    if (!strcasecmp(name, "name")) {
        snprintf(v->name, sizeof v->name, "%s", val);
    } else if (!strcasecmp(name, "protocol")) {
        int p = -1;
        if (strlen(val) == 1 && val[0] >= '1' && val[0] <= '9')
            p = val[0] - '0';
        for (int i = 1; i <= 9 && p < 0; i++)
            if (!strcasecmp(val, obd_proto_key((obd_proto_t)i)))
                p = i;
        if (p < 0)
            return fail(c, "protocol: '%s' is not 1-9 or a key like can11_500", val);
        v->proto = (obd_proto_t)p;
        c->have_proto = true;
    } else if (!strcasecmp(name, "vin")) {
        size_t n = strlen(val);
        if (n != 17)
            return fail(c, "vin: must be 17 characters, got %zu", n);
        for (size_t i = 0; i < n; i++)
            if (!isalnum((unsigned char)val[i]))
                return fail(c, "vin: '%s' has a character that is not a letter or digit", val);
        memcpy(v->vin, val, 18);
    } else if (!strcasecmp(name, "engine_running") || !strcasecmp(name, "clear_refused_while_running")) {
        if ((b = parse_bool(val)) < 0)
            return fail(c, "%s: '%s' is not yes or no", name, val);
        if (name[0] == 'e' || name[0] == 'E')
            v->engine_running = b;
        else
            v->refuse_clear = b;
    } else if (!strcasecmp(name, "battery")) {
        if (!parse_double(val, strlen(val), &v->battery) || v->battery < 0 || v->battery > 60)
            return fail(c, "battery: '%s' is not a voltage 0-60", val);
    } else if (!strcasecmp(name, "can_padding")) {
        uint32_t pb;
        if (!strcasecmp(val, "none"))
            v->padding = -1;
        else if (parse_hexnum(val, strlen(val), 2, &pb))
            v->padding = (int)pb;
        else
            return fail(c, "can_padding: '%s' is not a hex byte or none", val);
    } else if (!strcasecmp(name, "response_ms")) {
        double d;
        if (!parse_double(val, strlen(val), &d) || d != floor(d) || d < 0 || d > 5000)
            return fail(c, "response_ms: '%s' is not a whole number of ms 0-5000", val);
        v->response_ms = (int)d;
    } else if (!strcasecmp(name, "unsupported")) {
        if (!strcasecmp(val, "nrc"))
            v->unsupported_nrc = true;
        else if (!strcasecmp(val, "silent"))
            v->unsupported_nrc = false;
        else
            return fail(c, "unsupported: '%s' is not nrc or silent", val);
    } else {
        return fail(c, "unknown key '%s' in [vehicle]", name);
    }
    return 1;
}

/* ---------------- per-ECU deviations from the textbook ----------------
 * physical_only, mode09_list, dtc_count_byte, dtc_layout, silent_pids,
 * frame_gap_ms, response_pending, response_pending_ms, response_pending_for
 * (docs/simulator.md "Deviations"). 0: not one of these keys. */

static void bit_set(uint8_t *map, unsigned i) { map[i / 8] = (uint8_t)(map[i / 8] | 1u << (i % 8)); }

static int parse_ms(pctx_t *c, const char *key, const char *val, unsigned max, uint16_t *out)
{
    double d;
    if (!parse_double(val, strlen(val), &d) || d != floor(d) || d < 0 || d > max)
        return fail(c, "%s: '%s' is not a whole number 0-%u", key, val, max);
    *out = (uint16_t)d;
    return 1;
}

static int deviation_key(pctx_t *c, const char *name, const char *val)
{
    sim_dev_t *d = &c->ecu->dev;
    const char *p = val, *t;
    size_t n;
    uint32_t x;
    if (!strcasecmp(name, "physical_only")) {
        return parse_services(c, name, val, &d->physical_only);
    } else if (!strcasecmp(name, "mode09_list")) {
        static const char *k[] = { "listed", "missing", "no_data", "unlisted" };
        for (unsigned i = 0; i < 4; i++)
            if (!strcasecmp(val, k[i])) {
                d->mode09_list = (uint8_t)i;
                return 1;
            }
        return fail(c, "%s: '%s' is not listed, missing, no_data or unlisted", name, val);
    } else if (!strcasecmp(name, "dtc_count_byte")) {
        /* "20" (every list) or "07:20 03:2" (per service) */
        d->dtc_count_set = 0;
        while (next_token(&p, &t, &n)) {
            const char *colon = memchr(t, ':', n);
            uint32_t sid = 0;
            size_t vl = n;
            const char *vs = t;
            if (colon) {
                if (!parse_hexnum(t, (size_t)(colon - t), 2, &sid) || (sid != 3 && sid != 7 && sid != 0x0A))
                    return fail(c, "%s: '%.*s': the service must be 03, 07 or 0A", name, (int)n, t);
                vs = colon + 1;
                vl = n - (size_t)(colon - t) - 1;
            }
            char num[8];
            double v;
            if (!tokcpy(num, sizeof num, vs, vl) || !parse_double(num, strlen(num), &v) || v != floor(v) || v < 0 ||
                v > 255)
                return fail(c, "%s: '%.*s' is not a count 0-255 (or SID:count)", name, (int)n, t);
            for (unsigned i = 0; i < 3; i++) {
                static const uint8_t sids[3] = { 0x03, 0x07, 0x0A };
                if (!sid || sid == sids[i]) {
                    d->dtc_count[i] = (uint8_t)v;
                    d->dtc_count_set = (uint8_t)(d->dtc_count_set | 1u << i);
                }
            }
        }
        if (!d->dtc_count_set)
            return fail(c, "%s: give a count", name);
        return 1;
    } else if (!strcasecmp(name, "dtc_layout")) {
        if (!strcasecmp(val, "legacy"))
            d->dtc_legacy = true;
        else if (!strcasecmp(val, "standard"))
            d->dtc_legacy = false;
        else
            return fail(c, "%s: '%s' is not standard or legacy", name, val);
        return 1;
    } else if (!strcasecmp(name, "silent_pids")) {
        memset(d->silent_pid, 0, sizeof d->silent_pid);
        while (next_token(&p, &t, &n)) {
            if (!parse_hexnum(t, n, 2, &x) || x % 0x20 == 0)
                return fail(c, "%s: '%.*s' is not a data PID (hex, not a bitmap PID)", name, (int)n, t);
            bit_set(d->silent_pid, x);
        }
        return 1;
    } else if (!strcasecmp(name, "frame_gap_ms")) {
        return parse_ms(c, name, val, 900, &d->frame_gap_ms);
    } else if (!strcasecmp(name, "response_pending")) {
        return parse_ms(c, name, val, 1000, &d->pending_n);
    } else if (!strcasecmp(name, "response_pending_ms")) {
        int r = parse_ms(c, name, val, 1000, &d->pending_ms);
        if (r > 0 && d->pending_ms == 0)
            return fail(c, "%s: must be 1-1000", name);
        return r;
    } else if (!strcasecmp(name, "response_pending_for")) {
        memset(d->pending_sid, 0, sizeof d->pending_sid);
        while (next_token(&p, &t, &n)) {
            if (!parse_hexnum(t, n, 2, &x) || x >= 0x40)
                return fail(c, "%s: '%.*s' is not a request service id 01-3F", name, (int)n, t);
            bit_set(d->pending_sid, x);
        }
        return 1;
    }
    return 0;
}

static int ecu_key(pctx_t *c, const char *name, const char *val)
{
    sim_ecu_t *e = c->ecu;
    size_t idx = (size_t)(e - c->v->ecu);
    uint32_t x;
    int b;
    if (!strcasecmp(name, "address") || !strcasecmp(name, "uds_response_id")) {
        if (!parse_hexnum(val, strlen(val), 8, &x))
            return fail(c, "%s: '%s' is not a hex id like 7E8, 18DAF110 or 10", name, val);
        e->addr = x;
        c->have_addr[idx] = true;
    } else if (!strcasecmp(name, "request") || !strcasecmp(name, "uds_request_id")) {
        if (!parse_hexnum(val, strlen(val), 8, &x))
            return fail(c, "%s: '%s' is not a hex id", name, val);
        e->req = x;
        c->have_req[idx] = true;
    } else if (!strcasecmp(name, "name")) {
        if (strlen(val) > 20)
            return fail(c, "name: at most 20 characters (service 09 ECU name)");
        snprintf(e->name, sizeof e->name, "%s", val);
    } else if (!strcasecmp(name, "obd") || !strcasecmp(name, "uds") || !strcasecmp(name, "vin")) {
        if ((b = parse_bool(val)) < 0)
            return fail(c, "%s: '%s' is not yes or no", name, val);
        if (!strcasecmp(name, "obd"))
            e->obd = b;
        else if (!strcasecmp(name, "uds"))
            e->uds = b;
        else {
            e->vin = b;
            c->vin_explicit[idx] = true;
        }
    } else if (!strcasecmp(name, "services")) {
        c->have_services[idx] = true;
        return parse_services(c, name, val, &e->services);
    } else if (!strcasecmp(name, "ignition")) {
        if (!strcasecmp(val, "spark"))
            e->compression = false;
        else if (!strcasecmp(val, "compression"))
            e->compression = true;
        else
            return fail(c, "ignition: '%s' is not spark or compression", val);
    } else if (!strcasecmp(name, "readiness.supported")) {
        return parse_monitors(c, name, val, &e->mon_sup);
    } else if (!strcasecmp(name, "readiness.incomplete")) {
        return parse_monitors(c, name, val, &e->mon_inc);
    } else if (!strcasecmp(name, "mil")) {
        if (!strcasecmp(val, "auto"))
            e->mil = -1;
        else if ((b = parse_bool(val)) >= 0)
            e->mil = (int8_t)b;
        else
            return fail(c, "mil: '%s' is not auto, on or off", val);
    } else if (!strncasecmp(name, "pid.", 4)) {
        if (!parse_hexnum(name + 4, strlen(name + 4), 2, &x))
            return fail(c, "%s: PID must be two hex digits (pid.0C)", name);
        if (x % 0x20 == 0)
            return fail(c, "%s: supported-PID bitmaps are computed from the PIDs listed", name);
        sim_pid_t *s = pid_slot(e, (uint8_t)x);
        if (!s)
            return fail(c, "%s: at most %d PIDs per ECU", name, SIM_MAX_PIDS);
        return parse_gen(c, name, (uint8_t)x, val, &s->g);
    } else if (!strcasecmp(name, "stored")) {
        return parse_dtc_list(c, name, val, &e->stored);
    } else if (!strcasecmp(name, "pending")) {
        return parse_dtc_list(c, name, val, &e->pending);
    } else if (!strcasecmp(name, "permanent")) {
        return parse_dtc_list(c, name, val, &e->permanent);
    } else if (!strncasecmp(name, "freeze.", 7)) {
        double fr;
        if (!parse_double(name + 7, strlen(name + 7), &fr) || fr < 0 || fr > 255 || fr != floor(fr))
            return fail(c, "%s: frame number must be 0-255", name);
        for (size_t i = 0; i < e->nfreeze; i++)
            if (e->freeze[i].frame == (uint8_t)fr)
                return fail(c, "%s: frame given twice", name);
        return parse_freeze(c, name, (uint8_t)fr, val, e);
    } else if (!strcasecmp(name, "mode06")) {
        return parse_mode06(c, name, val, e);
    } else if (!strcasecmp(name, "calid")) {
        const char *p = val, *t;
        size_t n;
        while (next_token(&p, &t, &n)) {
            if (e->ncalid >= SIM_MAX_CALID || !tokcpy(e->calid[e->ncalid], sizeof e->calid[0], t, n))
                return fail(c, "calid: at most %d CALIDs of up to 16 characters", SIM_MAX_CALID);
            e->ncalid++;
        }
    } else if (!strcasecmp(name, "cvn")) {
        const char *p = val, *t;
        size_t n;
        while (next_token(&p, &t, &n)) {
            if (e->ncvn >= SIM_MAX_CALID || n != 8 || !parse_hexnum(t, n, 8, &x))
                return fail(c, "cvn: at most %d CVNs of 8 hex digits", SIM_MAX_CALID);
            e->cvn[e->ncvn++] = x;
        }
    } else if (!strcasecmp(name, "obd_on_uds")) {
        /* SAE J1979-2: emissions data through UDS only (sim_obdonuds.c); answers 10/3E too */
        if ((b = parse_bool(val)) < 0)
            return fail(c, "%s: '%s' is not yes or no", name, val);
        e->obd_on_uds = b;
        e->uds |= b;
    } else if (!strcasecmp(name, "silent")) {
        if ((b = parse_bool(val)) < 0)
            return fail(c, "%s: '%s' is not yes or no", name, val);
        e->silent = b;
    } else if (!strcasecmp(name, "uds.refuse")) {
        /* a refusal that depends on who asks: 22 conditions, 33 security / secure gateway,
         * 34 authentication required (ISO 14229-1:2020) ... any NRC but 78 (pending) */
        e->uds = true;
        if (!strcasecmp(val, "no")) {
            e->uds_refuse = 0;
        } else if (!parse_hexnum(val, strlen(val), 2, &x) || x == 0 || x == 0x78) {
            return fail(c, "%s: '%s' is not an NRC in hex like 33 (or no)", name, val);
        } else {
            e->uds_refuse = (uint8_t)x;
        }
    } else if (!strcasecmp(name, "uds.dtcs") || !strcasecmp(name, "uds.permanent")) {
        e->uds = true;
        return parse_uds_dtcs(c, name, val, e, name[4] == 'p' || name[4] == 'P');
    } else if (!strcasecmp(name, "uds.did_limit")) {
        double lim;
        e->uds = true;
        if (!parse_double(val, strlen(val), &lim) || lim != floor(lim) || lim < 0 || lim > 64)
            return fail(c, "%s: '%s' is not a count 0-64 (0 = no limit)", name, val);
        e->did_limit = (uint8_t)lim;
    } else if (!strncasecmp(name, "uds.val.", 8)) {
        /* uds.val.XXXX = BIX,LEN,FACTOR,OFFSET GENERATOR */
        if (!parse_hexnum(name + 8, strlen(name + 8), 4, &x) || strlen(name + 8) != 4)
            return fail(c, "%s: DID must be four hex digits (uds.val.1001)", name);
        const sim_did_t *d = NULL;
        for (size_t i = 0; i < e->ndids; i++)
            if (e->dids[i].did == x)
                d = &e->dids[i];
        if (!d)
            return fail(c, "%s: give uds.did.%04X = raw:... (its bytes) first", name, (unsigned)x);
        if (e->ndfields >= SIM_MAX_DID_FIELDS)
            return fail(c, "%s: at most %d generated values per ECU", name, SIM_MAX_DID_FIELDS);
        sim_did_field_t *f = &e->dfields[e->ndfields];
        memset(f, 0, sizeof *f);
        f->did = (uint16_t)x;
        const char *sp = strchr(val, ' ');
        char pos[64];
        double v[4];
        if (!sp || (size_t)(sp - val) >= sizeof pos)
            return fail(c, "%s: expected BIX,LEN,FACTOR,OFFSET GENERATOR", name);
        memcpy(pos, val, (size_t)(sp - val));
        pos[sp - val] = 0;
        size_t nv = 0;
        for (char *save = NULL, *t = strtok_r(pos, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (nv >= 4 || !parse_double(t, strlen(t), &v[nv]))
                return fail(c, "%s: expected BIX,LEN,FACTOR,OFFSET GENERATOR", name);
            nv++;
        }
        if (nv != 4 || v[0] < 0 || v[0] != floor(v[0]) || v[1] < 1 || v[1] > 32 || v[1] != floor(v[1]) ||
            v[2] == 0 || v[0] + v[1] > 8.0 * d->len)
            return fail(c, "%s: BIX,LEN must lie inside the DID's %u bytes (LEN 1-32), FACTOR not 0", name, d->len);
        f->bix = (uint16_t)v[0];
        f->len = (uint8_t)v[1];
        f->factor = v[2];
        f->offset = v[3];
        while (*sp == ' ')
            sp++;
        /* generators as pid.XX takes them (raw: excepted: the DID's bytes are raw already) */
        if (!strncasecmp(sp, "raw:", 4))
            return fail(c, "%s: raw bytes go in uds.did.%04X", name, (unsigned)x);
        if (!parse_gen(c, name, 0x0C, sp, &f->g))
            return 0;
        e->ndfields++;
    } else if (!strncasecmp(name, "uds.did.", 8)) {
        e->uds = true;
        if (!parse_hexnum(name + 8, strlen(name + 8), 4, &x) || strlen(name + 8) != 4)
            return fail(c, "%s: DID must be four hex digits (uds.did.F190)", name);
        if (e->ndids >= SIM_MAX_DIDS)
            return fail(c, "%s: at most %d DIDs per ECU", name, SIM_MAX_DIDS);
        sim_did_t *d = &e->dids[e->ndids];
        d->did = (uint16_t)x;
        if (!strncasecmp(val, "raw:", 4)) {
            size_t n;
            if (!parse_hexbytes(val + 4, d->data, sizeof d->data, &n))
                return fail(c, "%s: raw value must be 1-%d hex bytes", name, SIM_MAX_DID_LEN);
            d->len = (uint8_t)n;
        } else {
            size_t n = strlen(val);
            if (n == 0 || n > SIM_MAX_DID_LEN)
                return fail(c, "%s: text must be 1-%d characters", name, SIM_MAX_DID_LEN);
            memcpy(d->data, val, n);
            d->len = (uint8_t)n;
        }
        e->ndids++;
    } else {
        int r = deviation_key(c, name, val); /* per-ECU deviations: their own block above */
        if (r)
            return r;
        return fail(c, "unknown key '%s' in [ecu %s]", name, e->id);
    }
    return 1;
}

/* Room for one more ECU: the table doubles (4, 8, ... SIM_MAX_ECUS); new entries are zero. */
static bool grow_ecus(sim_vehicle_t *v)
{
    size_t cap = v->ecu_cap ? (size_t)v->ecu_cap * 2 : 4;
    if (cap > SIM_MAX_ECUS)
        cap = SIM_MAX_ECUS;
    sim_ecu_t *e = realloc(v->ecu, cap * sizeof *e);
    if (!e)
        return false;
    memset(e + v->ecu_cap, 0, (cap - v->ecu_cap) * sizeof *e);
    v->ecu = e;
    v->ecu_cap = (uint8_t)cap;
    return true;
}

/* [adapter]: the adapter's faults; the keys are sim_elm.c's (sim_adapter_fault_set). */
static int adapter_key(pctx_t *c, const char *name, const char *val)
{
    char e[160];
    int rc = sim_adapter_fault_set(&c->v->adapter, name, val, e, sizeof e);
    if (rc == 0)
        return fail(c, "unknown key '%s' in [adapter] (refuse, count_digit, protocol_report, headers, "
                       "refuse_service)", name);
    if (rc < 0)
        return fail(c, "%s", e);
    return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    pctx_t *c = user;
    if (c->err[0])
        return 0; /* report the first problem only */
    if (strcmp(section, c->last)) {
        snprintf(c->last, sizeof c->last, "%s", section);
        if (!strcasecmp(section, "vehicle")) {
            c->sect = 1;
        } else if (!strcasecmp(section, "adapter")) {
            c->sect = 4;
        } else if (!strncasecmp(section, "ecu ", 4) && section[4]) {
            const char *id = section + 4;
            while (*id == ' ')
                id++;
            c->ecu = NULL;
            for (size_t i = 0; i < c->v->necus; i++)
                if (!strcmp(c->v->ecu[i].id, id))
                    c->ecu = &c->v->ecu[i];
            if (!c->ecu) {
                if (c->v->necus >= SIM_MAX_ECUS)
                    return fail(c, "at most %d ECUs", SIM_MAX_ECUS);
                if (strlen(id) >= sizeof c->ecu->id)
                    return fail(c, "ECU section name '%s' is too long", id);
                if (c->v->necus == c->v->ecu_cap && !grow_ecus(c->v))
                    return fail(c, "out of memory");
                sim_ecu_t *e = &c->v->ecu[c->v->necus++];
                snprintf(e->id, sizeof e->id, "%s", id);
                e->obd = true;
                e->mil = -1;
                c->ecu = e;
            }
            c->sect = 2;
        } else {
            c->sect = 3;
        }
    }
    switch (c->sect) {
    case 1: return vehicle_key(c, name, value);
    case 2: return ecu_key(c, name, value);
    case 3: return fail(c, "unknown section [%s] (vehicle, ecu NAME, adapter)", section);
    case 4: return adapter_key(c, name, value);
    default: return fail(c, "key '%s' outside a section", name);
    }
}

/* OBD services an ECU has unless `services` says otherwise: 01 02 03 04 06 07 09 0A. */
#define DEFAULT_SERVICES ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 6) | (1u << 7) | (1u << 9) | (1u << 10))

/* Cross-key checks once everything is read. */
static int finish(pctx_t *c)
{
    sim_vehicle_t *v = c->v;
    if (!c->have_proto)
        return fail(c, "[vehicle] protocol is missing");
    if (!v->necus)
        return fail(c, "no [ecu NAME] section");
    bool can = obd_proto_is_can(v->proto), c29 = obd_proto_is_can29(v->proto);
    uint32_t maxid = !can ? 0xFF : c29 ? 0x1FFFFFFF : 0x7FF;
    bool vin_given = false;
    for (size_t i = 0; i < v->necus; i++)
        vin_given |= c->vin_explicit[i] && v->ecu[i].vin;
    for (size_t i = 0; i < v->necus; i++) {
        sim_ecu_t *e = &v->ecu[i];
        if (!c->have_addr[i])
            return fail(c, "[ecu %s]: address is missing", e->id);
        if (e->addr > maxid || (c->have_req[i] && e->req > maxid))
            return fail(c, "[ecu %s]: id %X does not fit protocol %s", e->id, (unsigned)e->addr,
                        obd_proto_key(v->proto));
        if (!c->have_req[i]) {
            e->req = sim_default_request_id(v->proto, e->addr);
            if (!e->req)
                return fail(c, "[ecu %s]: give 'request' (no standard request id answers from %X)", e->id,
                            (unsigned)e->addr);
        }
        for (size_t k = 0; k < i; k++)
            if (v->ecu[k].addr == e->addr || v->ecu[k].req == e->req)
                return fail(c, "[ecu %s]: same id as [ecu %s]", e->id, v->ecu[k].id);
        if (!c->have_services[i])
            e->services = e->obd ? DEFAULT_SERVICES : 0;
        if ((e->mon_inc & ~e->mon_sup))
            return fail(c, "[ecu %s]: readiness.incomplete lists a monitor not in readiness.supported", e->id);
        /* Monitors that do not exist for the ignition type. */
        static const uint16_t spark = (uint16_t)((1u << OBD_MON_CATALYST) | (1u << OBD_MON_HEATED_CATALYST) |
                                                 (1u << OBD_MON_EVAP) | (1u << OBD_MON_SECONDARY_AIR) |
                                                 (1u << OBD_MON_AC_REFRIGERANT) | (1u << OBD_MON_O2_SENSOR) |
                                                 (1u << OBD_MON_O2_HEATER));
        static const uint16_t diesel = (uint16_t)((1u << OBD_MON_NMHC_CATALYST) | (1u << OBD_MON_NOX_SCR) |
                                                  (1u << OBD_MON_BOOST_PRESSURE) |
                                                  (1u << OBD_MON_EXHAUST_GAS_SENSOR) | (1u << OBD_MON_PM_FILTER));
        if (e->mon_sup & (e->compression ? spark : diesel))
            return fail(c, "[ecu %s]: readiness lists a monitor of the other ignition type", e->id);
        if (!c->vin_explicit[i])
            e->vin = !vin_given && e->obd && v->vin[0];
        if (e->vin)
            vin_given = true;
        if (e->vin && !v->vin[0])
            return fail(c, "[ecu %s]: vin = yes but [vehicle] has no vin", e->id);
    }
    return 1;
}

static void vehicle_defaults(sim_vehicle_t *v, const char *name)
{
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name ? name : "scenario");
    v->padding = 0x00;
    v->battery = 12.6;
    v->refuse_clear = true;
    v->rng = 0x2545F491u;
    v->response_ms = -1;
}

static int parse_common(const char *text, const char *path, const char *name, sim_vehicle_t **out, char *err,
                        size_t errcap)
{
    char dummy[4];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    if (!out)
        return OBD_EINVAL;
    *out = NULL;
    sim_vehicle_t *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errcap, "out of memory");
        return -ENOMEM;
    }
    vehicle_defaults(v, name);
    pctx_t *c = calloc(1, sizeof *c);
    if (!c) {
        free(v);
        snprintf(err, errcap, "out of memory");
        return -ENOMEM;
    }
    c->v = v;
    int line = text ? ini_parse_string(text, handler, c) : ini_parse(path, handler, c);
    const char *where = path ? path : name ? name : "scenario";
    int rc = OBD_OK;
    if (line == -1) {
        snprintf(err, errcap, "%s: cannot open: %s", where, strerror(errno ? errno : ENOENT));
        rc = OBD_ENOTFOUND;
    } else if (line < 0) {
        snprintf(err, errcap, "%s: out of memory", where);
        rc = -ENOMEM;
    } else if (line > 0) {
        snprintf(err, errcap, "%s:%d: %s", where, line, c->err[0] ? c->err : "not an INI line");
        rc = OBD_EFORMAT;
    } else if (!finish(c)) {
        snprintf(err, errcap, "%s: %s", where, c->err);
        rc = OBD_EFORMAT;
    }
    free(c);
    if (rc) {
        sim_vehicle_free(v);
        return rc;
    }
    *out = v;
    return OBD_OK;
}

int sim_vehicle_parse(const char *text, const char *name, sim_vehicle_t **out, char *err, size_t errcap)
{
    if (!text) {
        if (err && errcap)
            snprintf(err, errcap, "no scenario text");
        return OBD_EINVAL;
    }
    return parse_common(text, NULL, name, out, err, errcap);
}

int sim_vehicle_load(const char *path, sim_vehicle_t **out, char *err, size_t errcap)
{
    if (!path) {
        if (err && errcap)
            snprintf(err, errcap, "no scenario file");
        return OBD_EINVAL;
    }
    const char *base = strrchr(path, '/');
    errno = 0;
    return parse_common(NULL, path, base ? base + 1 : path, out, err, errcap);
}

int sim_vehicle_builtin(sim_vehicle_t **out)
{
    char err[160];
    return sim_vehicle_parse(builtin_text, "built-in", out, err, sizeof err);
}

void sim_vehicle_free(sim_vehicle_t *v)
{
    if (v)
        free(v->ecu);
    free(v);
}

obd_proto_t sim_vehicle_protocol(const sim_vehicle_t *v)
{
    return v ? v->proto : OBD_PROTO_AUTO;
}

int sim_vehicle_response_ms(const sim_vehicle_t *v)
{
    return v ? v->response_ms : -1;
}

void sim_vehicle_seed(sim_vehicle_t *v, unsigned seed)
{
    if (v)
        v->rng = seed ? (uint32_t)seed : 0x2545F491u;
}
