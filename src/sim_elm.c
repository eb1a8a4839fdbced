/*
 * sim_elm.c — an ELM327-family adapter in front of the simulated vehicle:
 * the text protocol as the chip speaks it, plus the faults clones are known
 * for. Pure: bytes in, bytes out and the time a real adapter would take; the
 * server (sim_serve.c) does the waiting.
 *
 * What it models (docs/simulator.md has the details and examples):
 *   - command lines end with CR; LF, spaces and other control characters are
 *     ignored; case does not matter; an empty line repeats the last command;
 *     a line longer than SIM_CMD_MAX is answered '?';
 *   - echo (ATE), linefeeds (ATL), spaces (ATS), headers (ATH), protocol
 *     selection and automatic search (ATSP/ATSPA/ATTP, ATDP/ATDPN),
 *     CAN addressing (ATSH, ATCP, ATCRA), formatting (ATCAF), timing
 *     (ATST, ATAT), ATRV, ATI/AT@1, and STI/STDI on STN chips;
 *   - replies framed as the chip frames them: CAN frames with PCI byte and
 *     padding (headers on), "0:"/"1:" segments (headers off), legacy
 *     messages with 3 header bytes and a checksum;
 *   - the expected-replies digit after a request;
 *   - the personality's fault (sim.h);
 *   - the [adapter] faults (sim_adapter_faults_t): commands and services
 *     answered '?', a refused or misread count digit, a protocol search
 *     that reports 0, lines without headers although ATH1 took.
 * Each reply ends with a blank line and the '>' prompt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "obdgw/elm.h"
#include "sim_priv.h"

#define SIM_CMD_MAX 64       /* command characters kept (the chip's buffer is about this size) */
#define SIM_OUT_RESERVE 4096 /* room a command's answer may need; input waits when less is left */
#define CLONE_BUFFER_BYTES 60
#define GARBAGE_ONE_IN 4
#define HANG_ONE_IN 6

static const char *const pers_keys[SIM_PERSONALITY_COUNT] = {
    [SIM_ELM_V15] = "elm327-v1.5",      [SIM_ELM_V21] = "elm327-v2.1",     [SIM_STN] = "stn",
    [SIM_CLONE_ECHO] = "clone-echo",    [SIM_CLONE_BASIC] = "clone-basic", [SIM_CLONE_SLOW] = "clone-slow",
    [SIM_CLONE_BUFFER] = "clone-buffer", [SIM_CLONE_GARBAGE] = "clone-garbage",
    [SIM_CLONE_HANG] = "clone-hang",    [SIM_CLONE_NOMULTI] = "clone-nomulti",
};

const char *sim_personality_key(sim_personality_t p)
{
    return (unsigned)p < SIM_PERSONALITY_COUNT ? pers_keys[p] : "unknown";
}

int sim_personality_parse(const char *key)
{
    if (!key)
        return -1;
    for (int i = 0; i < SIM_PERSONALITY_COUNT; i++)
        if (!strcasecmp(key, pers_keys[i]))
            return i;
    return -1;
}

/* ---------------- [adapter] faults ---------------- */

static bool fault_word(const char *v, const char *const *words, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(v, words[i])) {
            *out = (uint8_t)i;
            return true;
        }
    return false;
}

int sim_adapter_fault_set(sim_adapter_faults_t *f, const char *key, const char *val, char *err, size_t errcap)
{
    char dummy[4];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    if (!f || !key || !val)
        return OBD_EINVAL;
    if (!strcasecmp(key, "refuse") || !strcasecmp(key, "refuse_service")) {
        bool svc = key[6] != 0;
        const char *p = val;
        for (;;) {
            while (*p == ' ' || *p == ',' || *p == '+' || *p == '\t')
                p++;
            if (!*p)
                break;
            size_t n = strcspn(p, " ,+\t");
            if (svc) {
                int hi = n == 2 ? obd_hex_digit(p[0]) : -1, lo = n == 2 ? obd_hex_digit(p[1]) : -1;
                if (hi < 0 || lo < 0 || f->nsvc >= SIM_MAX_REFUSE_SVC) {
                    snprintf(err, errcap, "refuse_service: '%s' is not up to %d services as hex bytes (0A)", val,
                             SIM_MAX_REFUSE_SVC);
                    return OBD_EINVAL;
                }
                f->refuse_svc[f->nsvc++] = (uint8_t)(hi << 4 | lo);
            } else {
                bool ok = n >= 3 && n < sizeof f->refuse[0] && f->nrefuse < SIM_MAX_REFUSE &&
                          (!strncasecmp(p, "AT", 2) || !strncasecmp(p, "ST", 2));
                for (size_t i = 0; ok && i < n; i++)
                    ok = (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
                         p[i] == '@';
                if (!ok) {
                    snprintf(err, errcap, "refuse: '%.*s' is not an AT or ST command (ATSH, ATCRA, STDI; up to %d)",
                             (int)(n > 20 ? 20 : n), p, SIM_MAX_REFUSE);
                    return OBD_EINVAL;
                }
                char *d = f->refuse[f->nrefuse++];
                for (size_t i = 0; i < n; i++)
                    d[i] = (char)(p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
                d[n] = 0;
            }
            p += n;
        }
        return 1;
    }
    if (!strcasecmp(key, "count_digit")) {
        static const char *const w[] = { "ok", "refuse", "misread" };
        if (!fault_word(val, w, 3, &f->count_digit)) {
            snprintf(err, errcap, "count_digit: '%s' is not ok, refuse or misread", val);
            return OBD_EINVAL;
        }
        return 1;
    }
    if (!strcasecmp(key, "headers")) {
        static const char *const w[] = { "ok", "search", "never" };
        if (!fault_word(val, w, 3, &f->headers)) {
            snprintf(err, errcap, "headers: '%s' is not ok, search or never", val);
            return OBD_EINVAL;
        }
        return 1;
    }
    if (!strcasecmp(key, "protocol_report")) {
        if (!strcasecmp(val, "real"))
            f->protocol_report[0] = 0;
        else if (!strcmp(val, "0") || !strcasecmp(val, "A0"))
            snprintf(f->protocol_report, sizeof f->protocol_report, "%s", val[0] == 'a' ? "A0" : val);
        else {
            snprintf(err, errcap, "protocol_report: '%s' is not real, 0 or A0", val);
            return OBD_EINVAL;
        }
        return 1;
    }
    return 0;
}

void sim_adapter_faults_merge(sim_adapter_faults_t *a, const sim_adapter_faults_t *b)
{
    if (!a || !b)
        return;
    for (size_t i = 0; i < b->nrefuse && a->nrefuse < SIM_MAX_REFUSE; i++)
        memcpy(a->refuse[a->nrefuse++], b->refuse[i], sizeof a->refuse[0]);
    for (size_t i = 0; i < b->nsvc && a->nsvc < SIM_MAX_REFUSE_SVC; i++)
        a->refuse_svc[a->nsvc++] = b->refuse_svc[i];
    if (b->count_digit)
        a->count_digit = b->count_digit;
    if (b->headers)
        a->headers = b->headers;
    if (b->protocol_report[0])
        memcpy(a->protocol_report, b->protocol_report, sizeof a->protocol_report);
}

struct sim_adapter {
    sim_vehicle_t *v;
    sim_adapter_opts_t o;
    sim_adapter_faults_t f; /* the scenario's [adapter] faults plus the options' */
    /* settings (ATZ / ATD restore them) */
    bool echo, lf, spaces, headers, caf;
    uint8_t at_mode;    /* ATAT0/1/2 */
    uint8_t st;         /* ATST: timeout in 4 ms units */
    obd_proto_t proto;  /* ATSP: 0 = automatic */
    bool auto_search;   /* ATSP0 / ATSPAn */
    obd_proto_t active; /* protocol in use, 0 until the first exchange */
    uint32_t sh;        /* ATSH: header as given (11-bit id, 24 bits, or 32 bits) */
    uint8_t sh_digits;  /* 0 = not set */
    uint8_t cp;         /* ATCP: 29-bit priority byte */
    bool cra_set;
    uint32_t cra, cra_mask;
    /* input */
    char raw[SIM_CMD_MAX + 1]; /* as typed, for the echo */
    size_t rawlen;
    char cmd[SIM_CMD_MAX + 1]; /* spaces removed, upper case */
    size_t cmdlen;
    bool overflow;
    char last[SIM_CMD_MAX + 1];
    size_t lastlen;
    /* faults */
    uint32_t rng;
    unsigned vreq; /* vehicle requests since reset */
    obd_replies_t rep; /* the vehicle's answer to the request being formatted */
    /* per-ECU deviations (frame_gap_ms, response_pending): where the output
     * pauses, recorded by the last sim_adapter_input call */
    size_t npause;
    sim_pause_t pause[SIM_MAX_PAUSES];
};

/* ---------------- output ---------------- */

typedef struct {
    char *p;
    size_t cap, len;
    bool lf;
    bool full;
} out_t;

static void put(out_t *o, const char *s, size_t n)
{
    if (o->full || n > o->cap - o->len) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void puts_(out_t *o, const char *s)
{
    put(o, s, strlen(s));
}

static void eol(out_t *o)
{
    put(o, o->lf ? "\r\n" : "\r", o->lf ? 2 : 1);
}

static void line(out_t *o, const char *s)
{
    puts_(o, s);
    eol(o);
}

static void prompt(out_t *o)
{
    eol(o);
    put(o, ">", 1);
}

/* "41 00 BE" / "4100BE" */
static void hexbytes(char *dst, size_t cap, const uint8_t *p, size_t n, bool spaces)
{
    static const char hx[] = "0123456789ABCDEF";
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < cap; i++) {
        if (i && spaces)
            dst[k++] = ' ';
        dst[k++] = hx[p[i] >> 4];
        dst[k++] = hx[p[i] & 15];
    }
    dst[k] = 0;
}

/* ---------------- state ---------------- */

static uint32_t rnd(sim_adapter_t *a)
{
    uint32_t x = a->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    a->rng = x;
    return x;
}

static void defaults(sim_adapter_t *a)
{
    a->echo = true;
    a->lf = false;
    a->spaces = true;
    a->headers = false;
    a->caf = true;
    a->at_mode = 1;
    a->st = 0x32;
    a->proto = OBD_PROTO_AUTO;
    a->auto_search = true;
    a->active = OBD_PROTO_AUTO;
    a->sh_digits = 0;
    a->cp = 0x18;
    a->cra_set = false;
}

sim_adapter_t *sim_adapter_new(sim_vehicle_t *v, const sim_adapter_opts_t *o)
{
    if (!v)
        return NULL;
    sim_adapter_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->v = v;
    if (o)
        a->o = *o;
    if ((unsigned)a->o.personality >= SIM_PERSONALITY_COUNT)
        a->o.personality = SIM_ELM_V15;
    a->f = v->adapter;
    sim_adapter_faults_merge(&a->f, &a->o.faults);
    a->rng = a->o.seed ? a->o.seed * 2654435761u + 1 : 0x9E3779B9u;
    sim_vehicle_seed(v, a->o.seed);
    defaults(a);
    return a;
}

void sim_adapter_free(sim_adapter_t *a)
{
    free(a);
}

static bool is_clone(const sim_adapter_t *a)
{
    return a->o.personality >= SIM_CLONE_ECHO;
}

static const char *ident(const sim_adapter_t *a)
{
    switch (a->o.personality) {
    case SIM_ELM_V21: return "ELM327 v2.1";
    case SIM_STN: return "ELM327 v1.4b";
    case SIM_CLONE_BASIC: return "ELM327 v2.1"; /* the classic fake: claims 2.1, has 1.0's commands */
    default: return "ELM327 v1.5";
    }
}

/* Processing time of the adapter itself, ms. */
static unsigned overhead(const sim_adapter_t *a, bool vehicle)
{
    switch (a->o.personality) {
    case SIM_STN: return 0;
    case SIM_ELM_V15:
    case SIM_ELM_V21: return vehicle ? 3 : 1;
    case SIM_CLONE_SLOW: return vehicle ? 250 : 40;
    default: return vehicle ? 5 : 2;
    }
}

/* ---------------- protocols ---------------- */

static const char *proto_desc(obd_proto_t p)
{
    static const char *const d[OBD_PROTO_COUNT] = {
        [OBD_PROTO_AUTO] = "AUTO",
        [OBD_PROTO_J1850_PWM] = "SAE J1850 PWM",
        [OBD_PROTO_J1850_VPW] = "SAE J1850 VPW",
        [OBD_PROTO_ISO9141] = "ISO 9141-2",
        [OBD_PROTO_KWP_5BAUD] = "ISO 14230-4 (KWP 5BAUD)",
        [OBD_PROTO_KWP_FAST] = "ISO 14230-4 (KWP FAST)",
        [OBD_PROTO_CAN11_500] = "ISO 15765-4 (CAN 11/500)",
        [OBD_PROTO_CAN29_500] = "ISO 15765-4 (CAN 29/500)",
        [OBD_PROTO_CAN11_250] = "ISO 15765-4 (CAN 11/250)",
        [OBD_PROTO_CAN29_250] = "ISO 15765-4 (CAN 29/250)",
        [OBD_PROTO_J1939] = "SAE J1939 (CAN 29/250)",
        [OBD_PROTO_USER1] = "USER1 (CAN 11/125)",
        [OBD_PROTO_USER2] = "USER2 (CAN 11/50)",
    };
    return (unsigned)p < OBD_PROTO_COUNT ? d[p] : "?";
}

static bool needs_init(obd_proto_t p)
{
    return p == OBD_PROTO_ISO9141 || p == OBD_PROTO_KWP_5BAUD || p == OBD_PROTO_KWP_FAST;
}

static unsigned can_kbps(obd_proto_t p)
{
    switch (p) {
    case OBD_PROTO_CAN11_500:
    case OBD_PROTO_CAN29_500: return 500;
    case OBD_PROTO_CAN11_250:
    case OBD_PROTO_CAN29_250:
    case OBD_PROTO_J1939: return 250;
    case OBD_PROTO_USER1: return 125;
    case OBD_PROTO_USER2: return 50;
    default: return 0;
    }
}

/* The status line an explicitly chosen protocol gives when the car speaks another. */
static const char *mismatch(obd_proto_t set, obd_proto_t car)
{
    if (obd_proto_is_can(set))
        return can_kbps(set) == can_kbps(car) ? "NO DATA" : "CAN ERROR";
    if (needs_init(set))
        return "BUS INIT: ...ERROR";
    return "NO DATA";
}

/* ---------------- AT commands ---------------- */

static int hexd(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool hexnum(const char *s, size_t n, uint32_t *v)
{
    uint32_t x = 0;
    if (n == 0 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++) {
        int h = hexd(s[i]);
        if (h < 0)
            return false;
        x = x << 4 | (uint32_t)h;
    }
    *v = x;
    return true;
}

/* "0"/"1" switch after a command prefix. */
static bool onoff(const char *arg, bool *out)
{
    if ((arg[0] == '0' || arg[0] == '1') && !arg[1]) {
        *out = arg[0] == '1';
        return true;
    }
    return false;
}

/* Commands the basic clone does not know (it answers '?'). */
static bool basic_lacks(const char *c)
{
    static const char *const missing[] = { "AT0", "AT1", "AT2", "CRA", "CAF", "CFC", "CSM", "TP", "IB", "KW", "@2" };
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
        if (!strncmp(c, missing[i], strlen(missing[i])))
            return true;
    return false;
}

/* ATSPh, ATSPAh, ATTPh, ATTPAh: `arg` after SP/TP. */
static bool set_protocol(sim_adapter_t *a, const char *arg)
{
    bool autof = false;
    if (arg[0] == 'A' && arg[1]) {
        autof = true;
        arg++;
    }
    int h = hexd(arg[0]);
    if (h < 0 || h > 0xC || arg[1])
        return false;
    a->proto = (obd_proto_t)h;
    a->auto_search = autof || h == 0;
    a->active = OBD_PROTO_AUTO;
    return true;
}

static void at_command(sim_adapter_t *a, const char *c, out_t *o)
{
    bool b;
    uint32_t x;
    size_t n = strlen(c);
    char buf[64];
    sim_personality_t p = a->o.personality;

    if (p == SIM_CLONE_BASIC && basic_lacks(c)) {
        line(o, "?");
        return;
    }
    if (!strcmp(c, "Z") || !strcmp(c, "WS")) {
        defaults(a);
        a->vreq = 0;
        a->lastlen = 0;
        o->lf = a->lf;
        eol(o);
        eol(o);
        line(o, ident(a));
        return;
    }
    if (!strcmp(c, "D")) {
        defaults(a);
        o->lf = a->lf;
        line(o, "OK");
        return;
    }
    if (!strcmp(c, "I")) {
        line(o, ident(a));
        return;
    }
    if (!strcmp(c, "@1")) {
        line(o, "OBDII to RS232 Interpreter");
        return;
    }
    if (!strcmp(c, "RV")) {
        snprintf(buf, sizeof buf, "%.1fV", a->v->battery);
        line(o, buf);
        return;
    }
    if (!strcmp(c, "DP")) {
        obd_proto_t shown = a->active ? a->active : a->proto;
        if (a->auto_search && shown) {
            snprintf(buf, sizeof buf, "AUTO, %s", proto_desc(shown));
            line(o, buf);
        } else {
            line(o, proto_desc(shown));
        }
        return;
    }
    if (!strcmp(c, "DPN")) {
        obd_proto_t shown = a->active ? a->active : a->proto;
        if (a->auto_search && a->f.protocol_report[0]) { /* [adapter] protocol_report: a search that never says */
            line(o, a->f.protocol_report);
            return;
        }
        snprintf(buf, sizeof buf, "%s%X", a->auto_search ? "A" : "", (unsigned)shown);
        line(o, buf);
        return;
    }
    if (c[0] == 'E' && onoff(c + 1, &b)) {
        if (p != SIM_CLONE_ECHO) /* the echo clone says OK and keeps echoing */
            a->echo = b;
        line(o, "OK");
        return;
    }
    if (c[0] == 'L' && onoff(c + 1, &b)) {
        a->lf = b;
        o->lf = b;
        line(o, "OK");
        return;
    }
    if (c[0] == 'S' && onoff(c + 1, &b)) {
        a->spaces = b;
        line(o, "OK");
        return;
    }
    if (c[0] == 'H' && onoff(c + 1, &b)) {
        a->headers = b;
        line(o, "OK");
        return;
    }
    if (!strncmp(c, "SP", 2) || !strncmp(c, "TP", 2)) {
        line(o, set_protocol(a, c + 2) ? "OK" : "?");
        return;
    }
    if (!strncmp(c, "AT", 2) && n == 3 && c[2] >= '0' && c[2] <= '2') {
        a->at_mode = (uint8_t)(c[2] - '0');
        line(o, "OK");
        return;
    }
    if (!strncmp(c, "ST", 2) && n == 4 && hexnum(c + 2, 2, &x)) {
        a->st = x ? (uint8_t)x : 0x32;
        line(o, "OK");
        return;
    }
    if (!strncmp(c, "SH", 2)) {
        size_t d = n - 2;
        bool ok = (d == 3 || d == 6 || (d == 8 && p != SIM_ELM_V15 && !is_clone(a))) && hexnum(c + 2, d, &x);
        if (ok) {
            a->sh = x;
            a->sh_digits = (uint8_t)d;
            if (d == 8)
                a->cp = (uint8_t)(x >> 24);
        }
        line(o, ok ? "OK" : "?");
        return;
    }
    if (!strncmp(c, "CP", 2) && n == 4 && hexnum(c + 2, 2, &x)) {
        a->cp = (uint8_t)(x & 0x1F);
        line(o, "OK");
        return;
    }
    if (!strncmp(c, "CRA", 3)) {
        size_t d = n - 3;
        if (d == 0) {
            a->cra_set = false;
            line(o, "OK");
            return;
        }
        if (d != 3 && d != 8) {
            line(o, "?");
            return;
        }
        uint32_t val = 0, mask = 0;
        for (size_t i = 0; i < d; i++) {
            char ch = c[3 + i];
            int h = ch == 'X' ? 0 : hexd(ch);
            if (h < 0) {
                line(o, "?");
                return;
            }
            val = val << 4 | (uint32_t)h;
            mask = mask << 4 | (ch == 'X' ? 0u : 0xFu);
        }
        a->cra = val;
        a->cra_mask = mask;
        a->cra_set = true;
        line(o, "OK");
        return;
    }
    if (!strncmp(c, "CAF", 3) && onoff(c + 3, &b)) {
        a->caf = b;
        line(o, "OK");
        return;
    }
    /* Accepted and without effect here. */
    static const char *const noop[] = { "CFC0", "CFC1", "M0", "M1", "R0", "R1", "V0", "V1", "AR", "AL", "NL",
                                        "PC", "BI", "KW0", "KW1", "IB10", "IB48", "IB96", "CSM0", "CSM1", "LP" };
    for (size_t i = 0; i < sizeof noop / sizeof noop[0]; i++)
        if (!strcmp(c, noop[i])) {
            if (!strcmp(c, "PC"))
                a->active = a->auto_search ? OBD_PROTO_AUTO : a->active;
            line(o, "OK");
            return;
        }
    line(o, "?");
}

static unsigned vehicle_request(sim_adapter_t *a, uint64_t now, const char *c, size_t n, out_t *o);

/*
 * STPX (STN11xx/STN21xx family reference): transmit one message with its
 * own parameters, "STPX h:7E0, d:3E00, t:24, r:1" -- h header (3 or 8 hex
 * digits), d data, t timeout in ms, r replies to wait for. The header and
 * timeout hold for this message only. Here spaces are gone and letters
 * upper case: "PXH:7E0,D:3E00,T:24,R:1".
 */
static unsigned stpx(sim_adapter_t *a, uint64_t now, const char *c, out_t *o)
{
    char data[SIM_CMD_MAX + 2] = "";
    uint32_t h = 0;
    size_t hd = 0, dn = 0;
    unsigned t = 0, r = 0;
    bool bad = false;
    for (const char *p = c; *p && !bad;) {
        char k = *p;
        if (p[1] != ':') {
            bad = true;
            break;
        }
        p += 2;
        const char *v = p;
        while (*p && *p != ',')
            p++;
        size_t vl = (size_t)(p - v);
        if (*p == ',')
            p++;
        uint32_t x = 0;
        switch (k) {
        case 'H':
            bad = !(vl == 3 || vl == 8) || !hexnum(v, vl, &x);
            h = x;
            hd = vl;
            break;
        case 'D':
            bad = vl == 0 || vl % 2 || vl >= sizeof data - 1 || !hexnum(v, vl < 8 ? vl : 8, &x);
            for (size_t i = 0; i < vl && !bad; i++)
                bad = hexd(v[i]) < 0;
            if (!bad) {
                memcpy(data, v, vl);
                dn = vl;
            }
            break;
        case 'T':
        case 'R':
            for (size_t i = 0; i < vl && !bad; i++)
                bad = v[i] < '0' || v[i] > '9';
            bad |= vl == 0 || vl > 5;
            for (size_t i = 0; i < vl && !bad; i++)
                x = x * 10 + (uint32_t)(v[i] - '0');
            if (k == 'T')
                t = x;
            else
                r = x;
            break;
        default: bad = true;
        }
    }
    if (bad || !dn || !hd) {
        line(o, "?");
        return 0;
    }
    if (r > 0 && r <= 15)
        data[dn++] = "0123456789ABCDEF"[r];
    data[dn] = 0;
    uint32_t sh = a->sh;
    uint8_t shd = a->sh_digits, st = a->st, cp = a->cp;
    a->sh = h;
    a->sh_digits = (uint8_t)hd;
    if (hd == 8)
        a->cp = (uint8_t)(h >> 24);
    if (t)
        a->st = (uint8_t)((t + 3) / 4 > 0xFF ? 0xFF : (t + 3) / 4);
    unsigned d = vehicle_request(a, now, data, dn, o);
    a->sh = sh;
    a->sh_digits = shd;
    a->st = st;
    a->cp = cp;
    return d;
}

static unsigned st_command(sim_adapter_t *a, uint64_t now, const char *c, out_t *o)
{
    if (a->o.personality != SIM_STN) {
        line(o, "?");
        return 0;
    }
    if (!strcmp(c, "I"))
        line(o, "STN1110 v4.3.2");
    else if (!strcmp(c, "DI"))
        line(o, "OBDLink SX r4.2");
    else if (!strncmp(c, "PX", 2))
        return stpx(a, now, c + 2, o);
    else
        line(o, "?");
    return 0;
}

/* ---------------- vehicle requests ---------------- */

typedef struct {
    out_t *o;
    sim_adapter_t *a;
    size_t budget; /* clone-buffer: frame bytes left before BUFFER FULL */
    bool overflowed;
    unsigned gap_ms; /* deviation frame_gap_ms of the ECU being formatted */
} fmt_t;

/* Deviations: the output stops here for `ms` (the next frame is not on the bus yet). */
static void pause_here(sim_adapter_t *a, const out_t *o, unsigned ms)
{
    if (!ms || a->npause >= SIM_MAX_PAUSES)
        return;
    if (a->npause && a->pause[a->npause - 1].off == o->len) {
        a->pause[a->npause - 1].ms += ms;
        return;
    }
    a->pause[a->npause].off = o->len;
    a->pause[a->npause].ms = ms;
    a->npause++;
}

/* One output line of data; false once the clone's buffer overflowed. */
static bool data_line(fmt_t *f, const char *s, size_t frame_bytes)
{
    if (f->overflowed)
        return false;
    if (f->a->o.personality == SIM_CLONE_BUFFER) {
        if (frame_bytes > f->budget) {
            line(f->o, "BUFFER FULL");
            f->overflowed = true;
            return false;
        }
        f->budget -= frame_bytes;
    }
    line(f->o, s);
    return true;
}

/* Do lines carry headers? ATH1, unless the [adapter] headers fault hides them. */
static bool shows_headers(const sim_adapter_t *a)
{
    if (a->f.headers == SIM_HDR_NEVER || (a->f.headers == SIM_HDR_SEARCH && a->auto_search))
        return false;
    return a->headers;
}

static void can_header(const sim_adapter_t *a, uint32_t addr, char *dst, size_t cap)
{
    if (obd_proto_is_can29(a->active)) {
        uint8_t h[4] = { (uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8), (uint8_t)addr };
        hexbytes(dst, cap, h, 4, a->spaces);
    } else {
        snprintf(dst, cap, "%03X", (unsigned)(addr & 0x7FF));
    }
}

/* One CAN frame: [header] PCI+data+padding, or the data alone (headers off, CAF1 single frame). */
static bool can_frame_line(fmt_t *f, uint32_t addr, const uint8_t *fr, size_t n)
{
    const sim_adapter_t *a = f->a;
    char l[96], hx[64];
    hexbytes(hx, sizeof hx, fr, n, a->spaces);
    if (shows_headers(a)) {
        char h[24];
        can_header(a, addr, h, sizeof h);
        snprintf(l, sizeof l, "%s%s%s", h, a->spaces ? " " : "", hx);
    } else {
        snprintf(l, sizeof l, "%s", hx);
    }
    return data_line(f, l, n);
}

/* ISO-TP frames of one message; padded to 8 bytes unless the scenario says none. */
static void can_message(fmt_t *f, uint32_t addr, const uint8_t *m, size_t n)
{
    const sim_adapter_t *a = f->a;
    int pad = a->v->padding;
    uint8_t fr[8];
    char l[96], hx[64];
    if (n <= 7) {
        if (!shows_headers(a) && a->caf) { /* the chip strips PCI and padding */
            hexbytes(hx, sizeof hx, m, n, a->spaces);
            data_line(f, hx, 8);
            return;
        }
        fr[0] = (uint8_t)n;
        memcpy(fr + 1, m, n);
        size_t len = n + 1;
        if (pad >= 0) {
            memset(fr + len, pad, 8 - len);
            len = 8;
        }
        can_frame_line(f, addr, fr, len);
        return;
    }
    /* Multi-frame: the adapter did the flow control; these are FF + CFs. */
    bool segments = !shows_headers(a) && a->caf;
    if (segments) {
        snprintf(l, sizeof l, "%03X", (unsigned)n);
        if (!data_line(f, l, 0))
            return;
    }
    size_t off = 0;
    unsigned seq = 0;
    while (off < n) {
        size_t take, len;
        if (off == 0) {
            fr[0] = (uint8_t)(0x10 | (n >> 8 & 0x0F));
            fr[1] = (uint8_t)n;
            take = 6;
            memcpy(fr + 2, m, take);
            len = 8;
        } else {
            fr[0] = (uint8_t)(0x20 | (seq & 0x0F));
            take = n - off < 7 ? n - off : 7;
            memcpy(fr + 1, m + off, take);
            len = 1 + take;
            if (pad >= 0) {
                memset(fr + len, pad, 8 - len);
                len = 8;
            }
        }
        off += take;
        bool ok;
        if (segments) { /* "0: 49 02 01 31 44 34": the frame without its PCI byte(s) */
            size_t skip = seq == 0 ? 2 : 1;
            hexbytes(hx, sizeof hx, fr + skip, len - skip, a->spaces);
            snprintf(l, sizeof l, "%X:%s%s", seq & 0x0F, a->spaces ? " " : "", hx);
            ok = data_line(f, l, 8);
        } else {
            ok = can_frame_line(f, addr, fr, len);
        }
        if (!ok)
            return;
        seq++;
        if (off < n)
            pause_here(f->a, f->o, f->gap_ms);
    }
}

/* Legacy: one line per message of up to 7 data bytes. */
static void legacy_message(fmt_t *f, uint32_t addr, const uint8_t *m, size_t n)
{
    const sim_adapter_t *a = f->a;
    obd_proto_t p = a->active;
    for (size_t off = 0; off < n; off += 7) {
        size_t take = n - off < 7 ? n - off : 7;
        uint8_t msg[12];
        size_t len = 0;
        if (p == OBD_PROTO_J1850_PWM) {
            msg[len++] = 0x41;
            msg[len++] = 0x6B;
        } else if (p == OBD_PROTO_KWP_5BAUD || p == OBD_PROTO_KWP_FAST) {
            msg[len++] = (uint8_t)(0x80 | take); /* format byte: physical, length */
            msg[len++] = 0xF1;
        } else {
            msg[len++] = 0x48;
            msg[len++] = 0x6B;
        }
        msg[len++] = (uint8_t)addr;
        memcpy(msg + len, m + off, take);
        len += take;
        bool j1850 = p == OBD_PROTO_J1850_PWM || p == OBD_PROTO_J1850_VPW;
        msg[len] = j1850 ? elm_j1850_crc(msg, len) : elm_iso_sum(msg, len);
        len++;
        char hx[48];
        if (shows_headers(a))
            hexbytes(hx, sizeof hx, msg, len, a->spaces);
        else
            hexbytes(hx, sizeof hx, msg + 3, take, a->spaces);
        if (!data_line(f, hx, len))
            return;
        if (off + 7 < n)
            pause_here(f->a, f->o, f->gap_ms);
    }
}

static void garbage_line(sim_adapter_t *a, out_t *o)
{
    char g[8];
    size_t n = 3 + rnd(a) % 4;
    for (size_t i = 0; i < n; i++)
        g[i] = (char)(0x80 + rnd(a) % 0x7F);
    put(o, g, n);
    eol(o);
}

/* Time to wait for more ECUs after the last reply, ms. */
static unsigned end_wait(const sim_adapter_t *a)
{
    unsigned st = 4u * a->st, d = (unsigned)a->o.ecu_delay_ms, w;
    switch (a->at_mode) {
    case 0: w = st; break;
    case 2: w = d + 10; break;
    default: w = 2 * d + 20; break;
    }
    return w < st ? w : st;
}

static unsigned vehicle_request(sim_adapter_t *a, uint64_t now, const char *c, size_t n, out_t *o)
{
    sim_personality_t p = a->o.personality;
    uint8_t data[8];
    size_t len = n / 2;
    unsigned expect = 0;
    if (n % 2) {
        int h = hexd(c[n - 1]);
        if (h <= 0 || p == SIM_CLONE_BASIC || a->f.count_digit == SIM_DIGIT_REFUSE) {
            line(o, "?"); /* the old clone does not know the count digit */
            return 0;
        }
        if (a->f.count_digit == SIM_DIGIT_MISREAD && n == 3 && a->active) {
            /* "031" taken as 03 01: no ECU answers that */
            line(o, "NO DATA");
            return a->o.ecu_delay_ms > 0 ? 4u * a->st : 0;
        }
        expect = (unsigned)h;
    }
    if (len == 0 || len > 7 + (a->caf ? 0u : 1u)) {
        line(o, "?");
        return 0;
    }
    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)(hexd(c[2 * i]) << 4 | hexd(c[2 * i + 1]));
    const uint8_t *req = data;
    if (!a->caf) { /* CAF0: the user supplies the PCI byte */
        if (len < 2 || data[0] != len - 1) {
            line(o, "?");
            return 0;
        }
        req++;
        len--;
    }
    if (p == SIM_CLONE_NOMULTI && req[0] == 0x01 && len > 2)
        len = 2;
    for (size_t i = 0; i < a->f.nsvc; i++)
        if (req[0] == a->f.refuse_svc[i]) { /* [adapter] refuse_service */
            line(o, "?");
            return 0;
        }

    unsigned delay = 0;
    bool paced = a->o.ecu_delay_ms > 0;
    obd_proto_t car = sim_vehicle_protocol(a->v);
    bool searching = false, init = false;
    if (!a->active) {
        if (!a->auto_search && a->proto != car) {
            line(o, mismatch(a->proto, car));
            return paced ? 4u * a->st : 0;
        }
        searching = a->auto_search;
        init = needs_init(car);
        if (searching)
            line(o, "SEARCHING...");
        if (paced)
            delay += searching ? 100 : 0;
        if (init) {
            line(o, "BUS INIT: ...OK");
            if (paced)
                delay += car == OBD_PROTO_KWP_FAST ? 300 : 2600; /* fast init / 5-baud init */
        }
        a->active = car;
    }

    /* Addressing from the header. */
    obd_request_t r = { .data = req, .len = len };
    if (obd_proto_is_can(car)) {
        if (obd_proto_is_can29(car))
            r.to.tx_id = a->sh_digits == 8 ? a->sh
                         : a->sh_digits ? (uint32_t)a->cp << 24 | (a->sh & 0xFFFFFF)
                                        : 0x18DB33F1u;
        else
            r.to.tx_id = a->sh_digits ? a->sh & 0x7FF : 0x7DF;
    } else if (a->sh_digits == 6) {
        uint32_t t = a->sh >> 8 & 0xFF; /* legacy header: priority, target, source */
        r.to.tx_id = (t == 0x6A || t == 0x33) ? 0 : t;
    }
    obd_replies_t *rp = &a->rep;
    int rc = sim_vehicle_request(a->v, now, &r, rp);
    if (rc) {
        line(o, "?");
        return delay;
    }
    /* Receive filter, then the expected count. */
    size_t keep[OBD_LINK_MAX_ECUS], nk = 0;
    for (size_t i = 0; i < rp->count; i++) {
        if (a->cra_set && obd_proto_is_can(car) && (rp->r[i].addr & a->cra_mask) != (a->cra & a->cra_mask))
            continue;
        if (expect && nk >= expect)
            break;
        keep[nk++] = i;
    }
    a->vreq++;
    if (nk == 0) {
        if (searching) {
            line(o, "UNABLE TO CONNECT");
            a->active = OBD_PROTO_AUTO;
        } else {
            line(o, "NO DATA");
        }
        return delay + (paced ? 4u * a->st : 0);
    }
    if (paced)
        delay += (unsigned)a->o.ecu_delay_ms + (expect && nk >= expect ? 0 : end_wait(a));

    if (p == SIM_CLONE_GARBAGE && rnd(a) % GARBAGE_ONE_IN == 0)
        garbage_line(a, o);
    fmt_t f = { .o = o, .a = a, .budget = CLONE_BUFFER_BYTES };
    for (size_t k = 0; k < nk && !f.overflowed; k++) {
        const obd_reply_t *rr = &rp->r[keep[k]];
        const uint8_t *m = obd_reply_data(rp, keep[k]);
        /* deviations: 7F sid 78 first (each a message of its own, paced), frames apart */
        const sim_ecu_t *de = sim_vehicle_ecu(a->v, rr->addr);
        unsigned npend = sim_ecu_pending(de, req[0]);
        unsigned pms = de && de->dev.pending_ms ? de->dev.pending_ms : SIM_PENDING_MS_DEFAULT;
        f.gap_ms = de ? de->dev.frame_gap_ms : 0;
        for (unsigned q = 0; q < npend && !f.overflowed && !o->full; q++) {
            const uint8_t rp78[3] = { 0x7F, req[0], 0x78 };
            if (obd_proto_is_can(car))
                can_message(&f, rr->addr, rp78, 3);
            else
                legacy_message(&f, rr->addr, rp78, 3);
            pause_here(a, o, pms);
        }
        if (obd_proto_is_can(car))
            can_message(&f, rr->addr, m, rr->len);
        else
            legacy_message(&f, rr->addr, m, rr->len);
    }
    return delay;
}

/* ---------------- input ---------------- */

static void reset_line(sim_adapter_t *a)
{
    a->rawlen = a->cmdlen = 0;
    a->overflow = false;
}

/* One complete command line. */
static unsigned run_line(sim_adapter_t *a, uint64_t now, out_t *o)
{
    sim_personality_t p = a->o.personality;
    o->lf = a->lf;
    bool vehicle = false;
    unsigned delay = 0;
    if (a->cmdlen == 0 && !a->overflow) {
        if (a->lastlen == 0) {
            prompt(o); /* nothing to repeat: back to the prompt */
            return 0;
        }
        memcpy(a->cmd, a->last, a->lastlen + 1);
        a->cmdlen = a->lastlen;
    }
    if (a->echo || p == SIM_CLONE_ECHO) {
        put(o, a->raw, a->rawlen);
        eol(o);
    }
    if (a->overflow) {
        line(o, "?");
    } else {
        const char *c = a->cmd;
        bool refused = false;
        for (size_t i = 0; i < a->f.nrefuse && !refused; i++)
            refused = !strncmp(c, a->f.refuse[i], strlen(a->f.refuse[i]));
        if (refused) {
            line(o, "?"); /* [adapter] refuse */
        } else if (!strncmp(c, "AT", 2)) {
            at_command(a, c + 2, o);
        } else if (!strncmp(c, "ST", 2)) {
            delay = st_command(a, now, c + 2, o);
        } else {
            bool hex = true;
            for (size_t i = 0; i < a->cmdlen; i++)
                hex &= hexd(c[i]) >= 0;
            if (!hex) {
                line(o, "?");
            } else {
                vehicle = true;
                delay += vehicle_request(a, now, c, a->cmdlen, o);
            }
        }
        if (strcmp(c, "ATZ") && strcmp(c, "ATWS")) {
            memcpy(a->last, a->cmd, a->cmdlen + 1);
            a->lastlen = a->cmdlen;
        }
    }
    bool hang = vehicle && p == SIM_CLONE_HANG && a->vreq > 1 && rnd(a) % HANG_ONE_IN == 0;
    if (!hang)
        prompt(o);
    return delay + overhead(a, vehicle);
}

int sim_adapter_input(sim_adapter_t *a, uint64_t now_ms, const char *in, size_t n, char *out, size_t cap,
                      size_t *outlen, unsigned *delay_ms)
{
    if (!a || (!in && n) || !out || !outlen || *outlen > cap)
        return OBD_EINVAL;
    out_t o = { .p = out, .cap = cap, .len = *outlen, .lf = a->lf };
    unsigned delay = 0;
    a->npause = 0;
    size_t i = 0, start_len = o.len, in_bytes = 0;
    for (; i < n; i++) {
        char ch = in[i];
        if (ch == '\r') {
            delay += run_line(a, now_ms, &o);
            in_bytes += a->rawlen + 1;
            reset_line(a);
            if (o.full) {
                *outlen = o.len;
                return OBD_ENOSPC;
            }
            if (cap - o.len < SIM_OUT_RESERVE) {
                i++;
                break; /* let the caller send what is there first */
            }
            continue;
        }
        if ((unsigned char)ch < 0x20)
            continue; /* LF and other control characters are ignored */
        if (a->rawlen < SIM_CMD_MAX) /* the echo shows what was typed, spaces included */
            a->raw[a->rawlen++] = ch;
        if (ch == ' ')
            continue;
        if (a->cmdlen >= SIM_CMD_MAX) {
            a->overflow = true;
            continue;
        }
        a->cmd[a->cmdlen++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
        a->cmd[a->cmdlen] = 0;
    }
    if (a->o.baud > 0) { /* 10 bits per byte on the UART, both directions */
        uint64_t bytes = in_bytes + (o.len - start_len);
        delay += (unsigned)((bytes * 10000 + (uint64_t)a->o.baud - 1) / (uint64_t)a->o.baud);
    }
    *outlen = o.len;
    if (delay_ms)
        *delay_ms = delay;
    return (int)i;
}

size_t sim_adapter_pauses(const sim_adapter_t *a, sim_pause_t *out, size_t cap)
{
    size_t n = a ? a->npause : 0;
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++)
        out[i] = a->pause[i];
    return n;
}
