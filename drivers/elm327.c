/*
 * elm327.c — the ELM327-family link: set-up dialogue, capability probe,
 * protocol detection, request/reply over any obd_stream_t. Reply text is
 * parsed by src/elm.c (pure); this file owns the dialogue and the timing.
 *
 * Rules the dialogue keeps:
 *   - every exchange ends on the '>' prompt; a reply that never ends is a
 *     timeout, after which we resynchronise (CR, wait for '>') before the
 *     next command;
 *   - commands a clone answered '?' to are never sent again;
 *   - ATSH/ATCRA are sent only when the target changes;
 *   - EOF/EIO marks the link dead; the next request reopens and re-runs the
 *     set-up once (USB adapters re-enumerate, Bluetooth drops).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/elm.h"

#define AT_TIMEOUT_MS 1500
#define RESET_TIMEOUT_MS 4000
#define SEARCH_TIMEOUT_MS 15000 /* auto protocol search can try every protocol */
#define REQ_TIMEOUT_MS 4000
#define REQ_SLACK_MS 400 /* beyond a request's own timeout: the chip's ATST and the serial line */
#define HANG_IDLE_MS 1200 /* silence after a complete line with no prompt */

typedef struct {
    obd_link_t base;
    obd_stream_t s;
    char *reopen;
    obd_link_opts_t o;
    elm_caps_t caps;
    obd_link_info_t info;
    obd_proto_t proto;
    bool target_set;
    obd_target_t target;
    bool filtered;
    bool dead;
    char buf[16384];
} elm_t;

static void trace(const elm_t *e, const char *dir, const char *p, size_t n)
{
    if (e->o.verbose <= 0)
        return;
    fprintf(stderr, "elm %s ", dir);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\r')
            fputs("\\r", stderr);
        else if (c == '\n')
            fputs("\\n", stderr);
        else if (c < 0x20 || c > 0x7E)
            fprintf(stderr, "\\x%02X", c);
        else
            fputc(c, stderr);
    }
    fputc('\n', stderr);
}

/*
 * Get back in step after a timeout or garbage, or wake the adapter at
 * start-up: a bare CR makes a real ELM327 repeat its last command, so its
 * reply is read up to the '>' prompt (or `ms` pass) and thrown away.
 */
/* Read until a '>' prompt arrives (true) or `ms` pass (false). */
static bool read_to_prompt(elm_t *e, int ms)
{
    char junk[256];
    uint64_t end = obd_now_ms() + (uint64_t)ms;
    while (obd_now_ms() < end) {
        ssize_t r = obd_stream_read(&e->s, junk, sizeof junk, (int)(end - obd_now_ms()));
        if (r <= 0)
            return false;
        if (memchr(junk, '>', (size_t)r))
            return true;
    }
    return false;
}

static void resync_ms(elm_t *e, int ms)
{
    obd_stream_write(&e->s, "\r", 1, 200);
    read_to_prompt(e, ms);
    obd_stream_drain(&e->s);
}

/* After a timeout. A late answer to the abandoned command may still be on
 * its way (its prompt ends it): listen for it first. Only a chip that
 * stays silent gets the CR, which a real ELM327 answers by REPEATING the
 * last command: its answer then comes too, and resync_ms waits for it. */
static void resync(elm_t *e)
{
    if (read_to_prompt(e, 300))
        obd_stream_drain(&e->s);
    else
        resync_ms(e, 600);
}

/* Does the text so far end in a line after which the chip legitimately
 * goes quiet for seconds ("SEARCHING...", "BUS INIT: ...")? */
static bool searching(const char *b, size_t n)
{
    size_t end = n;
    while (end && (b[end - 1] == '\r' || b[end - 1] == '\n'))
        end--;
    size_t start = end;
    while (start && b[start - 1] != '\r' && b[start - 1] != '\n')
        start--;
    const char *l = b + start;
    size_t len = end - start;
    return (len >= 9 && !strncmp(l, "SEARCHING", 9)) || (len >= 8 && !strncmp(l, "BUS INIT", 8));
}

/*
 * Send `cmd` + CR and collect the reply up to the '>' prompt into e->buf.
 * *len excludes the prompt.
 */
static int xfer(elm_t *e, const char *cmd, int timeout_ms, size_t *len)
{
    char line[96];
    int n = snprintf(line, sizeof line, "%s\r", cmd);
    if (n < 0 || (size_t)n >= sizeof line)
        return OBD_EINVAL;
    obd_stream_drain(&e->s); /* stale bytes belong to an earlier, abandoned exchange */
    trace(e, ">>", line, (size_t)n);
    int rc = obd_stream_write(&e->s, line, (size_t)n, 1000);
    if (rc) {
        if (rc == OBD_ELINK)
            e->dead = true;
        return rc;
    }
    size_t got = 0;
    uint64_t deadline = obd_now_ms() + (uint64_t)timeout_ms, last_rx = 0;
    for (;;) {
        uint64_t now = obd_now_ms();
        /* A clone that hangs sends its answer and then no prompt. A real
         * chip prompts within its own timeout (ATST, at most ~1 s) after the
         * last line, so a complete line followed by HANG_IDLE_MS of silence
         * is a hang: give up early instead of waiting the whole timeout. */
        bool idle = got && e->buf[got - 1] == '\r' && now - last_rx >= HANG_IDLE_MS && !searching(e->buf, got);
        if (now >= deadline || idle) {
            trace(e, "<< (timeout)", e->buf, got);
            resync(e);
            *len = got;
            return OBD_ETIMEOUT;
        }
        char tmp[512];
        uint64_t wait = deadline - now;
        if (got && wait > HANG_IDLE_MS)
            wait = HANG_IDLE_MS;
        ssize_t r = obd_stream_read(&e->s, tmp, sizeof tmp, (int)wait);
        if (r == OBD_ETIMEOUT)
            continue;
        last_rx = obd_now_ms();
        if (r < 0) {
            e->dead = true;
            *len = got;
            return OBD_ELINK;
        }
        char *prompt = memchr(tmp, '>', (size_t)r);
        size_t take = prompt ? (size_t)(prompt - tmp) : (size_t)r;
        if (take > sizeof e->buf - 1 - got) { /* a reply longer than any real one: adapter gone mad */
            resync(e);
            *len = got;
            return OBD_EADAPTER;
        }
        memcpy(e->buf + got, tmp, take);
        got += take;
        if (prompt) {
            e->buf[got] = 0;
            trace(e, "<<", e->buf, got);
            *len = got;
            return OBD_OK;
        }
    }
}

/* Text of an AT reply without the echo line, blank lines and spaces at the
 * ends, joined with '\n'. Returns 0 or an error. */
static int at(elm_t *e, const char *cmd, int timeout_ms, char *out, size_t cap)
{
    size_t len;
    int rc = xfer(e, cmd, timeout_ms, &len);
    if (rc)
        return rc;
    size_t k = 0;
    const char *p = e->buf, *end = e->buf + len;
    bool first = true;
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '\r' && *q != '\n')
            q++;
        const char *a = p, *b = q;
        while (a < b && (*a == ' ' || *a == 0))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == 0))
            b--;
        p = q + (q < end);
        if (a == b)
            continue;
        if (first && (size_t)(b - a) == strlen(cmd) && !strncasecmp(a, cmd, (size_t)(b - a))) {
            first = false;
            continue; /* echo */
        }
        first = false;
        if (k && k < cap - 1)
            out[k++] = '\n';
        for (; a < b && k < cap - 1; a++)
            out[k++] = *a;
    }
    out[k] = 0;
    return OBD_OK;
}

static bool at_ok(elm_t *e, const char *cmd)
{
    char r[64];
    return at(e, cmd, AT_TIMEOUT_MS, r, sizeof r) == OBD_OK && strstr(r, "OK") != NULL;
}

/* Does the adapter answer anything at this speed? */
static bool probe_speed(elm_t *e)
{
    char r[128];
    resync_ms(e, 300);
    if (at(e, "ATI", 400, r, sizeof r) != OBD_OK)
        return false;
    return strstr(r, "ELM") || strstr(r, "STN") || strstr(r, "OBD");
}

static void version_caps(elm_t *e)
{
    /* The expected-replies digit exists from ELM327 v1.3; STN chips have it. */
    const char *v = strstr(e->caps.id, " v");
    double ver = v ? atof(v + 2) : 0;
    e->caps.has_count = e->caps.is_stn || ver >= 1.3;
}

static int setup(elm_t *e, char *err, size_t errcap)
{
    char r[128];
    int rc;
    e->target_set = false;
    e->filtered = false;
    if (e->s.is_tty && e->o.baud == 0) {
        bool found = false;
        for (size_t i = 0; i < obd_stream_nbauds && !found; i++) {
            if (obd_stream_set_baud(&e->s, obd_stream_bauds[i]) == OBD_OK)
                found = probe_speed(e);
        }
        if (!found) {
            snprintf(err, errcap, "%s: no ELM327 answers at any serial speed (is it powered, the right port?)",
                     e->s.name);
            return OBD_EADAPTER;
        }
    } else if (e->s.is_tty) {
        obd_stream_set_baud(&e->s, e->o.baud);
    }
    /* Wake up whatever state the adapter is in, then reset it. */
    resync(e);
    size_t len;
    if (xfer(e, "ATZ", RESET_TIMEOUT_MS, &len) != OBD_OK && (rc = at(e, "ATWS", RESET_TIMEOUT_MS, r, sizeof r))) {
        snprintf(err, errcap, "%s: adapter does not answer a reset (%s)", e->s.name, obd_strerror(rc));
        return rc;
    }
    at_ok(e, "ATE0");
    if ((rc = at(e, "ATI", AT_TIMEOUT_MS, r, sizeof r))) {
        snprintf(err, errcap, "%s: adapter does not identify itself (%s)", e->s.name, obd_strerror(rc));
        return rc;
    }
    /* A clone that ignored ATE0 shows "ATI" first: at() strips it; look at the raw text. */
    e->caps.echo_stuck = !strncasecmp(e->buf, "ATI", 3);
    snprintf(e->caps.id, sizeof e->caps.id, "%.47s", r);
    if (!strstr(r, "ELM") && !strstr(r, "STN") && !strstr(r, "OBD")) {
        snprintf(err, errcap, "%s: this is not an ELM327-family adapter (it says '%.40s')", e->s.name, r);
        return OBD_EADAPTER;
    }
    at_ok(e, "ATL0");
    e->caps.spaces = !at_ok(e, "ATS0");
    e->caps.headers = at_ok(e, "ATH1");
    if (at(e, "AT@1", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK && strcmp(r, "?"))
        snprintf(e->caps.desc, sizeof e->caps.desc, "%.47s", r);
    if (at(e, "STI", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK && strcmp(r, "?") && strstr(r, "STN")) {
        e->caps.is_stn = true;
        snprintf(e->caps.stn, sizeof e->caps.stn, "%.47s", r);
    }
    e->caps.has_at = at_ok(e, "ATAT1");
    at_ok(e, "ATCAF1");
    e->caps.has_cra = at_ok(e, "ATCRA"); /* no argument: clears the filter, harmless */
    version_caps(e);

    if (e->caps.is_stn)
        snprintf(e->info.adapter, sizeof e->info.adapter, "%.40s (%.40s)", e->caps.stn, e->caps.id);
    else
        snprintf(e->info.adapter, sizeof e->info.adapter, "%s", e->caps.id);
    snprintf(e->info.device, sizeof e->info.device, "%s", e->s.name);

    char sp[16];
    snprintf(sp, sizeof sp, "ATSP%X", (unsigned)e->o.protocol);
    if (!at_ok(e, sp)) {
        snprintf(err, errcap, "%s: adapter refused protocol %X", e->s.name, (unsigned)e->o.protocol);
        return OBD_EADAPTER;
    }

    /* First vehicle request fixes the protocol (auto search happens here).
     * An OBD-on-UDS (SAE J1979-2) car answers no 01 00: the search is then
     * run again with its emissions DID 22 F400 (never a non-emission service). */
    elm_reply_t rep;
    obd_replies_t tmp; /* per call: links run in parallel bay threads */
    static const char *const probes[] = { "0100", "22F400" };
    for (size_t pi = 0; pi < 2; pi++) {
        rc = xfer(e, probes[pi], SEARCH_TIMEOUT_MS, &len);
        if (rc) {
            snprintf(err, errcap, "%s: no answer while connecting to the vehicle (%s)", e->s.name, obd_strerror(rc));
            return rc;
        }
        /* The protocol (hence the header format) is not known yet: the reply is
         * good if it reads as data in any format; status words read the same. */
        static const elm_fmt_t fmts[] = { ELM_FMT_CAN11, ELM_FMT_CAN29, ELM_FMT_LEGACY };
        for (size_t i = 0; i < 3; i++) {
            elm_parse_opts_t po = { .fmt = fmts[i], .headers = e->caps.headers, .proto = OBD_PROTO_ISO9141,
                                    .echo = probes[pi] };
            elm_parse_reply(e->buf, len, &po, &rep, &tmp);
            if (rep.status == ELM_OK)
                break;
            if (i == 1) { /* J1850 lines carry a CRC, not a sum */
                po.fmt = ELM_FMT_LEGACY;
                po.proto = OBD_PROTO_J1850_VPW;
                elm_parse_reply(e->buf, len, &po, &rep, &tmp);
                if (rep.status == ELM_OK)
                    break;
            }
        }
        if (rep.status == ELM_OK || (rep.status != ELM_NO_DATA && rep.status != ELM_UNABLE_TO_CONNECT))
            break;
    }
    if (rep.status != ELM_OK) {
        int le = elm_status_error(rep.status);
        snprintf(err, errcap, "%s: the adapter could not reach the vehicle (%s): is the ignition on and the "
                 "adapter seated in the OBD socket?", e->s.name, elm_status_key(rep.status));
        return le ? le : OBD_ENOVEHICLE;
    }
    if ((rc = at(e, "ATDPN", AT_TIMEOUT_MS, r, sizeof r))) {
        snprintf(err, errcap, "%s: adapter does not report the protocol (%s)", e->s.name, obd_strerror(rc));
        return rc;
    }
    const char *d = r[0] == 'A' || r[0] == 'a' ? r + 1 : r;
    int pn = isxdigit((unsigned char)d[0]) ? (int)strtol((char[]){ d[0], 0 }, NULL, 16) : -1;
    if (pn <= 0 || pn >= OBD_PROTO_COUNT) {
        snprintf(err, errcap, "%s: adapter reports an unknown protocol '%s'", e->s.name, r);
        return OBD_EADAPTER;
    }
    e->proto = (obd_proto_t)pn;
    e->info.protocol = e->proto;
    e->info.multi_pid = obd_proto_is_can(e->proto);
    /* P2 is at most 50 ms on CAN: 100 ms (ATST 19 = 25 x 4 ms) is plenty and
     * halves the default wait after the last reply when the count is unknown. */
    if (obd_proto_is_can(e->proto))
        at_ok(e, "ATST19");
    e->info.battery_v = -1;
    if (at(e, "ATRV", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK)
        elm_parse_voltage(r, &e->info.battery_v);
    return OBD_OK;
}

static int set_target(elm_t *e, obd_target_t t)
{
    if (e->target_set && e->target.tx_id == t.tx_id && e->target.rx_id == t.rx_id)
        return OBD_OK;
    if (obd_proto_is_can(e->proto) && !obd_proto_is_can29(e->proto) && (t.tx_id > 0x7FF || t.rx_id > 0x7FF)) {
        /* ATSH would keep the low 11 bits: the request would go to some
         * other id on the car's bus. Refuse instead. */
        snprintf(e->base.errmsg, sizeof e->base.errmsg,
                 "29-bit id %X on an 11-bit CAN protocol: the adapter cannot send it", (unsigned)t.tx_id);
        return OBD_EINVAL;
    }
    char c[32];
    bool ok = true;
    if (!obd_proto_is_can(e->proto)) {
        /* Legacy: requests stay functional; replies are picked by address. */
    } else if (obd_proto_is_can29(e->proto)) {
        uint32_t tx = t.tx_id ? t.tx_id : 0x18DB33F1u;
        snprintf(c, sizeof c, "ATCP%02X", (unsigned)(tx >> 24) & 0x1F);
        ok = at_ok(e, c);
        snprintf(c, sizeof c, "ATSH%06X", (unsigned)tx & 0xFFFFFF);
        ok = ok && at_ok(e, c);
        if (e->caps.has_cra && t.tx_id) {
            snprintf(c, sizeof c, "ATCRA%08X", (unsigned)t.rx_id);
            ok = ok && at_ok(e, c);
            e->filtered = true;
        } else if (e->caps.has_cra && e->filtered) {
            ok = ok && at_ok(e, "ATCRA");
            e->filtered = false;
        }
    } else {
        snprintf(c, sizeof c, "ATSH%03X", (unsigned)(t.tx_id ? t.tx_id : 0x7DF));
        ok = at_ok(e, c);
        if (e->caps.has_cra && t.tx_id) {
            snprintf(c, sizeof c, "ATCRA%03X", (unsigned)t.rx_id);
            ok = ok && at_ok(e, c);
            e->filtered = true;
        } else if (e->caps.has_cra && e->filtered) {
            ok = ok && at_ok(e, "ATCRA");
            e->filtered = false;
        }
    }
    if (!ok) {
        e->target_set = false;
        snprintf(e->base.errmsg, sizeof e->base.errmsg, "adapter refused to address ECU %X", (unsigned)t.rx_id);
        return e->dead ? OBD_ELINK : OBD_EADAPTER;
    }
    e->target = t;
    e->target_set = true;
    return OBD_OK;
}

static int reconnect(elm_t *e)
{
    char err[160];
    if (!e->reopen) {
        snprintf(e->base.errmsg, sizeof e->base.errmsg, "%.100s: the adapter went away", e->s.name);
        return OBD_ELINK;
    }
    obd_stream_close(&e->s);
    obd_stream_t s;
    int rc = obd_stream_open(e->reopen, e->o.baud ? e->o.baud : 0, &s, err, sizeof err);
    if (rc) {
        snprintf(e->base.errmsg, sizeof e->base.errmsg, "the adapter went away and cannot be reopened: %.100s", err);
        return OBD_ELINK;
    }
    e->s = s;
    e->dead = false;
    e->o.protocol = e->proto; /* reconnect straight to the known protocol */
    rc = setup(e, err, sizeof err);
    if (rc) {
        snprintf(e->base.errmsg, sizeof e->base.errmsg, "reconnect failed: %.130s", err);
        e->dead = rc == OBD_ELINK;
    }
    return rc;
}

static int elm_request(obd_link_t *l, const obd_request_t *req, obd_replies_t *out)
{
    elm_t *e = (elm_t *)l;
    obd_replies_reset(out);
    if (!req || !req->data || !req->len || req->len > 40)
        return OBD_EINVAL;
    int rc;
    if (e->dead && (rc = reconnect(e)))
        return rc;
    if ((rc = set_target(e, req->to)))
        return rc;
    char cmd[96];
    unsigned expect = (e->caps.has_count && req->expect && obd_proto_is_can(e->proto)) ? req->expect : 0;
    if (req->to.tx_id)
        expect = e->caps.has_count && obd_proto_is_can(e->proto) ? 1 : 0;
    int retries = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        if ((rc = elm_format_request(req->data, req->len, expect > 15 ? 15 : expect, cmd, sizeof cmd)) < 0)
            return rc;
        size_t len;
        /* req->timeout_ms is how long the ECUs get; the chip itself says
         * NO DATA after its ATST (100 ms), then the words cross the serial
         * line: waiting only timeout_ms abandoned a probe whose NO DATA was
         * on its way, and its late prompt answered the next command. */
        rc = xfer(e, cmd, req->timeout_ms ? req->timeout_ms + REQ_SLACK_MS : REQ_TIMEOUT_MS, &len);
        if (rc == OBD_ETIMEOUT && retries < 2) {
            retries++; /* xfer resynchronised; a clone that hung usually answers again */
            attempt--;
            continue;
        }
        if (rc) {
            snprintf(l->errmsg, sizeof l->errmsg, "%.60s: %.90s", e->s.name,
                     rc == OBD_ETIMEOUT ? "the adapter stopped answering (no prompt)" : obd_strerror(rc));
            return rc;
        }
        elm_parse_opts_t po = { .fmt = elm_fmt_for(e->proto), .headers = e->caps.headers, .proto = e->proto,
                                .echo = cmd };
        elm_reply_t rep;
        rc = elm_parse_reply(e->buf, len, &po, &rep, out);
        if (rep.status == ELM_UNKNOWN_CMD && expect && attempt == 0) {
            e->caps.has_count = false; /* a clone that chokes on the count digit */
            expect = 0;
            continue;
        }
        if (rc)
            return rc;
        if (rep.status != ELM_OK && rep.status != ELM_NO_DATA) {
            snprintf(l->errmsg, sizeof l->errmsg, "%.60s: adapter said %s", e->s.name, elm_status_key(rep.status));
            return elm_status_error(rep.status);
        }
        break;
    }
    /* Without a receive filter a physical request may collect others' replies. */
    if (req->to.tx_id && !e->filtered && obd_proto_is_can(e->proto)) {
        int i = obd_replies_find(out, req->to.rx_id);
        if (i < 0) {
            obd_replies_reset(out);
        } else if (i > 0 || out->count > 1) {
            obd_reply_t keep = out->r[i];
            out->r[0] = keep;
            out->count = 1;
        }
    }
    return OBD_OK;
}

static int elm_info(obd_link_t *l, obd_link_info_t *out)
{
    elm_t *e = (elm_t *)l;
    char r[32];
    if (!e->dead && at(e, "ATRV", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK)
        elm_parse_voltage(r, &e->info.battery_v);
    *out = e->info;
    return OBD_OK;
}

static void elm_close(obd_link_t *l)
{
    elm_t *e = (elm_t *)l;
    obd_stream_close(&e->s);
    free(e->reopen);
    free(e);
}

static const obd_link_ops_t elm_ops = { "elm327", elm_request, elm_info, elm_close };

const elm_caps_t *elm_link_caps(const obd_link_t *l)
{
    return l && l->ops == &elm_ops ? &((const elm_t *)l)->caps : NULL;
}

int elm_link_open(obd_stream_t *s, const char *reopen_spec, const obd_link_opts_t *opts, obd_link_t **out,
                  char *err, size_t errcap)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errcap = sizeof dummy;
    }
    *out = NULL;
    elm_t *e = calloc(1, sizeof *e);
    if (!e) {
        obd_stream_close(s);
        snprintf(err, errcap, "out of memory");
        return -12;
    }
    e->base.ops = &elm_ops;
    e->s = *s;
    if (opts)
        e->o = *opts;
    e->o.scenario = NULL;
    e->reopen = reopen_spec ? strdup(reopen_spec) : NULL;
    int rc = setup(e, err, errcap);
    if (rc) {
        elm_close(&e->base);
        return rc;
    }
    *out = &e->base;
    return OBD_OK;
}
