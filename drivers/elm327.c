/*
 * elm327.c — the ELM327-family link: set-up dialogue, capability probe,
 * protocol detection, request/reply over any obd_stream_t. Reply text is
 * parsed by src/elm.c (pure); this file owns the dialogue and the timing.
 *
 * Rules the dialogue keeps:
 *   - every exchange ends on the '>' prompt; a reply that never ends is a
 *     timeout, after which we resynchronise (CR, wait for '>') before the
 *     next command;
 *   - commands a clone answered '?' to are never sent again, for the whole
 *     session (a reconnect included); none of the optional ones (ATSH for the
 *     functional header, ATCRA, ATCAF, ATCP, ATST, ATAT, ATS0, the response-
 *     count digit) is fatal: each sets an OBD_QUIRK_* bit in the link info
 *     and is logged once under -v (docs/elm327.md, "Adapters that refuse");
 *   - ATSH/ATCRA are sent only when the target changes;
 *   - a protocol search that reports 0 / A0, or first replies that do not
 *     parse with headers, is followed by explicit protocol tries (bounded in
 *     count and time), then headers off with single-ECU results;
 *   - '?' to a request is that request's result (OBD_EUNSUPPORTED), never a
 *     link failure;
 *   - EOF/EIO marks the link dead; the next request reopens and re-runs the
 *     set-up once (USB adapters re-enumerate, Bluetooth drops).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/elm.h"
#include "obdgw/utf8.h"

#define AT_TIMEOUT_MS 1500
#define RESET_TIMEOUT_MS 4000
#define SEARCH_TIMEOUT_MS 15000 /* auto protocol search can try every protocol */
#define REQ_TIMEOUT_MS 4000
#define REQ_SLACK_MS 400 /* beyond a request's own timeout: the chip's ATST and the serial line */
#define HANG_IDLE_MS 1200 /* silence after a complete line with no prompt */
/* An ECU answering 7F xx 78 (requestCorrectlyReceived-ResponsePending) gets
 * P2*server_max (ISO 14229-2: 5000 ms) after each one for the final answer;
 * at most ELM_MAX_PENDING of them or ELM_PENDING_MAX_MS in all, then the
 * chip is interrupted and the 78 is the answer (drivers/socketcan.c bounds
 * the same by CAN_MAX_PENDING). */
#define P2STAR_MS 5000
#define ELM_MAX_PENDING 40
#define ELM_PENDING_MAX_MS 30000
#define ATRV_EVERY_MS 10000 /* battery voltage: read at set-up, then at most this often */
#define TRY_BUDGET_MS 30000 /* explicit protocol tries, all of them together */
#define TRY_CAN_MS 2500     /* one try on CAN: a real chip says NO DATA / CAN ERROR well within */
#define TRY_KLINE_MS 7000   /* one try on J1850 / K-line: 5-baud init alone takes ~2.6 s */

/* Optional commands answered '?' this session (elm_t.refused). */
enum {
    REF_SH = 1u << 0,    /* ATSH */
    REF_CRA = 1u << 1,   /* ATCRA */
    REF_CAF = 1u << 2,   /* ATCAF1 */
    REF_CP = 1u << 3,    /* ATCP */
    REF_ST = 1u << 4,    /* ATST19 */
    REF_AT = 1u << 5,    /* ATAT1 */
    REF_S0 = 1u << 6,    /* ATS0 */
    REF_TP = 1u << 7,    /* ATTPn (old clones): ATSPn instead */
    REF_COUNT = 1u << 8, /* the response-count digit */
    REF_H1 = 1u << 9,    /* ATH1 */
    REF_STPX = 1u << 10, /* STPX (an STN that is not one, or an old firmware) */
    REF_WILD = 1u << 11, /* ATCRA with X digits */
};

/* Batches (UDS scan): the chip's timeout for a presence probe when the
 * caller gives none. ATST counts 4.096 ms: ATST 05 = 20.5 ms, four times
 * the ~5 ms a module takes for 3E 00 (P2server may be up to 50 ms: a site
 * with slower modules says uds-scan --probe-timeout 60). */
#define PROBE_MS 20
#define FILTER_WILD 0xFFFFFFFFu /* filter_rx: ATCRA with X digits in effect */
#define PROBED_MAX 2048

/* A probe sent in this probe phase: its transmit id, the filter it was
 * heard through, and the short replies that came (a probe answer is 2 or 3
 * bytes: 7E 00, 7F 3E nrc). A later probe of the same transmit id for
 * another response id is answered from here when the filter covered it. */
struct probed {
    uint32_t tx;
    char pat[12];
    uint8_t n;
    struct {
        uint32_t addr;
        uint8_t len;
        uint8_t d[8];
    } r[3];
};

typedef struct {
    obd_link_t base;
    obd_stream_t s;
    char *reopen;
    obd_link_opts_t o;
    elm_caps_t caps;
    obd_link_info_t info;
    obd_proto_t proto;
    bool target_set;     /* hdr_tx / filter_rx are what the chip has */
    uint32_t hdr_tx;     /* ATSH in effect: 0 = the functional header */
    uint32_t filter_rx;  /* ATCRA in effect: 0 = none */
    uint32_t refused;    /* REF_*: optional commands answered '?' (kept across reconnects) */
    bool headers_off;    /* last resort: ATH0, every reply is one ECU's (default_addr) */
    uint32_t default_addr; /* who a reply without headers is from: 7E8 / 18DAF110 / 10 */
    uint64_t rv_ms;      /* when ATRV was last read */
    unsigned n78;        /* 7F xx 78 lines in the last request's reply */
    bool gave_up_78;     /* ... and the chip was interrupted before a final answer */
    bool dead;
    uint64_t t_open;     /* -v traces say when, from here */
    char *first;         /* the search's answer to 0100 (set-up), for the session's own first 0100 */
    bool probing;        /* ATAT0 + short ATST of a probe batch in effect */
    bool keep_wild;      /* set_target leaves the receive filter alone (batches) */
    char wild[12];       /* the ATCRA pattern in effect when filter_rx == FILTER_WILD */
    unsigned probe_ms;   /* the chip timeout of probes (PROBE_MS, or the caller's when shorter) */
    struct probed *probed; /* this probe phase: transmit ids asked, and what came (PROBED_MAX) */
    elm_traffic_t traffic; /* vehicle requests and their serial bytes (elm_link_traffic) */
    size_t nprobed;
    size_t first_len;
    char buf[16384];
} elm_t;

/* -v: one line about what the link works around (callers make it once). */
static void note(const elm_t *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const elm_t *e, const char *fmt, ...)
{
    if (e->o.verbose <= 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("elm: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void trace(const elm_t *e, const char *dir, const char *p, size_t n)
{
    if (e->o.verbose <= 0)
        return;
    fprintf(stderr, "elm %6llu ms %s ", (unsigned long long)(obd_now_ms() - e->t_open), dir);
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

/* Is the line b[a..z) "... 7F <sid> 78" (spaces ignored): a response-pending? */
static bool pending_line(const char *b, size_t a, size_t z, const char *sid)
{
    char c[64];
    size_t k = 0;
    for (size_t i = a; i < z && k < sizeof c - 1; i++)
        if (b[i] != ' ')
            c[k++] = (char)toupper((unsigned char)b[i]);
    c[k] = 0;
    char pat[8] = { '7', 'F', sid[0], sid[1], '7', '8', 0 };
    char *at = strstr(c, pat);
    /* the NRC is the message's last byte: the line ends there, or CAN padding follows */
    return at && strlen(at) <= 6 + 8;
}

static bool is_pending_reply(const obd_replies_t *o, size_t i, uint8_t sid)
{
    const uint8_t *d = obd_reply_data(o, i);
    return o->r[i].len == 3 && d[0] == 0x7F && d[1] == sid && d[2] == 0x78;
}

/* An ECU's 7F <sid> 78 lines are not its answer: dropped when its final
 * answer followed; when none did (the chip was interrupted, or its timer
 * ran out), one 78 is kept as what the ECU said, and said in a note. */
static void fold_pending(elm_t *e, obd_replies_t *o, uint8_t sid)
{
    size_t w = 0;
    for (size_t i = 0; i < o->count; i++) {
        bool drop = false;
        if (is_pending_reply(o, i, sid)) {
            for (size_t j = 0; j < o->count && !drop; j++) {
                if (j == i || o->r[j].addr != o->r[i].addr)
                    continue;
                bool p = is_pending_reply(o, j, sid);
                drop = (j > i && !p) || (j < i && p); /* its final answer follows / a 78 kept already */
            }
        }
        if (!drop)
            o->r[w++] = o->r[i];
    }
    o->count = w;
    for (size_t i = 0; i < o->count; i++)
        if (is_pending_reply(o, i, sid))
            note(e, "ECU %X answered 'response pending' (7F %02X 78) %u time%s without a final answer%s",
                 (unsigned)o->r[i].addr, sid, e->n78, e->n78 == 1 ? "" : "s",
                 e->gave_up_78 ? ": request abandoned" : "");
}

/*
 * Send `cmd` + CR and collect the reply up to the '>' prompt into e->buf.
 * *len excludes the prompt. A request's reply line "7F <sid> 78" (response
 * pending) gives the ECU P2* more for its final answer, within the bounds
 * above; past them the chip is interrupted (any character stops it:
 * "STOPPED") and what arrived is the reply (e->gave_up_78).
 */
static int xfer(elm_t *e, const char *cmd, int timeout_ms, size_t *len)
{
    bool request = isxdigit((unsigned char)cmd[0]) && isxdigit((unsigned char)cmd[1]);
    size_t scanned = 0;    /* e->buf up to here has been looked at for 78 lines */
    uint64_t first78 = 0;
    bool waiting78 = false; /* the last complete line was a 78: no hang yet */
    e->n78 = 0;
    e->gave_up_78 = false;
    char line[96];
    int n = snprintf(line, sizeof line, "%s\r", cmd);
    if (n < 0 || (size_t)n >= sizeof line)
        return OBD_EINVAL;
    obd_stream_drain(&e->s); /* stale bytes belong to an earlier, abandoned exchange */
    trace(e, ">>", line, (size_t)n);
    bool vehicle = request || !strncmp(cmd, "STPX", 4);
    if (vehicle) {
        e->traffic.requests++;
        e->traffic.tx_bytes += (uint64_t)n;
    }
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
        bool idle = got && e->buf[got - 1] == '\r' && now - last_rx >= HANG_IDLE_MS && !searching(e->buf, got) &&
                    !waiting78;
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
        if (r > 0 && vehicle)
            e->traffic.rx_bytes += (uint64_t)r;
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
        while (request && scanned < got) { /* complete new lines: a response pending? */
            size_t z = scanned;
            while (z < got && e->buf[z] != '\r' && e->buf[z] != '\n')
                z++;
            if (z == got)
                break;
            if (z > scanned) {
                bool p78 = pending_line(e->buf, scanned, z, cmd);
                waiting78 = p78;
                if (p78) {
                    uint64_t t = obd_now_ms();
                    if (!e->n78++)
                        first78 = t;
                    if (e->n78 > ELM_MAX_PENDING || t - first78 > ELM_PENDING_MAX_MS) {
                        obd_stream_write(&e->s, "\r", 1, 200); /* stop it */
                        read_to_prompt(e, 2000);
                        obd_stream_drain(&e->s);
                        e->gave_up_78 = true;
                        e->buf[z] = 0;
                        trace(e, "<< (response pending: interrupted)", e->buf, z);
                        *len = z;
                        return OBD_OK;
                    }
                    if (t + P2STAR_MS > deadline)
                        deadline = t + P2STAR_MS;
                }
            }
            scanned = z + 1;
        }
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

static const char *const quirk_why[] = {
    /* one line per REF_* bit, said once under -v when the adapter refuses it */
    "ATSH refused: physical requests go out functionally and the reply is picked by id",
    "ATCRA refused: replies are filtered by id in software",
    "ATCAF refused: the chip's default formatting is used",
    "ATCP refused: the default 29-bit priority is used",
    "ATST refused: the chip's default timeout is used",
    "ATAT refused: no adaptive timing",
    "ATS0 refused: replies keep their spaces",
    "ATTP refused: protocols are tried with ATSP",
    "",
    "ATH1 refused: replies have no headers, results are single-ECU",
};

static uint32_t quirk_for(uint32_t ref)
{
    switch (ref) {
    case REF_SH: return OBD_QUIRK_NO_HEADER_SET;
    case REF_CRA: return OBD_QUIRK_NO_RX_FILTER;
    case REF_CAF: return OBD_QUIRK_NO_CAF;
    case REF_H1: return OBD_QUIRK_HEADERS_OFF;
    case REF_TP: return 0; /* ATSP does the same: nothing is worked around */
    default: return OBD_QUIRK_REFUSED_AT;
    }
}

/*
 * An optional command. "OK" -> true. '?' -> false, and remembered: never
 * sent again this session, the matching quirk set, one line under -v. A
 * timeout or another answer is false but not remembered (it may work next
 * time). Already refused -> false without sending.
 */
static bool opt_at(elm_t *e, const char *cmd, uint32_t ref)
{
    if (e->refused & ref)
        return false;
    char r[64];
    int rc = at(e, cmd, AT_TIMEOUT_MS, r, sizeof r);
    if (rc == OBD_OK && strstr(r, "OK"))
        return true;
    if (rc == OBD_OK && !strcmp(r, "?")) {
        e->refused |= ref;
        e->info.quirks |= quirk_for(ref);
        unsigned bit = 0;
        while (bit < 31 && !(ref >> bit & 1))
            bit++;
        note(e, "%s ('?'); %s", cmd, bit < sizeof quirk_why / sizeof quirk_why[0] ? quirk_why[bit] : "");
    }
    return false;
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
    e->caps.has_count = (e->caps.is_stn || ver >= 1.3) && !(e->refused & REF_COUNT);
}

static uint32_t default_addr_for(obd_proto_t p)
{
    /* The engine ECU's usual response address: what a reply without
     * headers is taken to come from (ISO 15765-4 7E8 / 18DAF110; on J1850
     * and K-line the engine controller is source 10). */
    if (!obd_proto_is_can(p))
        return 0x10;
    return obd_proto_is_can29(p) ? 0x18DAF110u : 0x7E8;
}

/* ---- what arrived, in words -------------------------------------------- */

/* Parse `n` bytes of reply text as protocol `p` would show them. */
static void parse_as(const elm_t *e, const char *text, size_t n, obd_proto_t p, bool headers, const char *echo,
                     elm_reply_t *rep, obd_replies_t *out)
{
    (void)e;
    elm_parse_opts_t po = { .fmt = elm_fmt_for(p), .headers = headers, .proto = p, .echo = echo };
    elm_parse_reply(text, n, &po, rep, out);
}

/* A parse that gave a positive reply to service `sid` (not only a status word or an NRC). */
static bool answered(const elm_reply_t *rep, const obd_replies_t *out, uint8_t sid)
{
    if (rep->status != ELM_OK)
        return false;
    for (size_t i = 0; i < out->count; i++)
        if (out->r[i].len && obd_reply_data(out, i)[0] == (uint8_t)(sid + 0x40))
            return true;
    return false;
}

typedef struct {
    unsigned data_lines; /* lines that are hex (not status words, not the echo) */
    unsigned bad_sum;    /* legacy-shaped lines whose last byte is not their checksum */
    bool headerless;     /* the text reads as a reply to `sid` without headers */
} seen_t;

/*
 * What a reply that did not parse actually held, for the message. (The
 * parser keeps only totals; this counts the hex lines and the legacy-shaped
 * ones failing both checksums. TODO(fixtures branch): use elm_reply_t's
 * headerless / bad_checksum counts once merged.)
 */
static void what_arrived(const elm_t *e, const char *text, size_t n, const char *echo, uint8_t sid, seen_t *w)
{
    memset(w, 0, sizeof *w);
    obd_replies_t *tmp = malloc(sizeof *tmp);
    if (tmp) {
        elm_reply_t rep;
        parse_as(e, text, n, OBD_PROTO_CAN11_500, false, echo, &rep, tmp);
        w->headerless = answered(&rep, tmp, sid);
        free(tmp);
    }
    size_t i = 0;
    while (i < n) {
        size_t a = i;
        while (i < n && text[i] != '\r' && text[i] != '\n')
            i++;
        uint8_t b[64];
        size_t nb = 0, nd = 0;
        bool hex = true;
        for (size_t k = a; k < i; k++) {
            int h = obd_hex_digit(text[k]);
            if (text[k] == ' ')
                continue;
            if (h < 0) {
                hex = false;
                break;
            }
            if (nd % 2 == 0 && nb < sizeof b)
                b[nb] = (uint8_t)(h << 4);
            else if (nb < sizeof b)
                b[nb++] |= (uint8_t)h;
            nd++;
        }
        while (i < n && (text[i] == '\r' || text[i] == '\n'))
            i++;
        if (!hex || nd == 0)
            continue;
        if (echo && nd == strlen(echo) && !strncasecmp(text + a, echo, nd))
            continue;
        w->data_lines++;
        if (nd % 2 == 0 && nb >= 5 && nb <= 12 && elm_iso_sum(b, nb - 1) != b[nb - 1] &&
            elm_j1850_crc(b, nb - 1) != b[nb - 1])
            w->bad_sum++;
    }
}

/* "the adapter's replies had no headers" / "replies failed their checksum (3 of 3)" / ... */
static void describe(const elm_t *e, const char *text, size_t n, const char *echo, uint8_t sid, bool legacy,
                     char *out, size_t cap)
{
    seen_t w;
    what_arrived(e, text, n, echo, sid, &w);
    if (w.headerless && !legacy)
        snprintf(out, cap, "the adapter's replies had no headers");
    else if (legacy && w.bad_sum)
        snprintf(out, cap, "replies failed their checksum (%u of %u)", w.bad_sum, w.data_lines);
    else if (w.data_lines)
        snprintf(out, cap, "the adapter's replies could not be read (%u line%s)", w.data_lines,
                 w.data_lines == 1 ? "" : "s");
    else
        snprintf(out, cap, "the adapter's answer was not a vehicle reply");
    if (e->o.verbose > 0) {
        char hx[200];
        size_t k = 0;
        for (size_t i = 0; i < n && k + 3 < sizeof hx; i++)
            k += (size_t)snprintf(hx + k, sizeof hx - k, "%c",
                                  text[i] == '\r' || text[i] == '\n' ? '|' : isprint((unsigned char)text[i]) ? text[i] : '.');
        note(e, "%s: received '%s'", out, hx);
    }
}

/* ---- protocol ---------------------------------------------------------- */

/* "A6" / "6" / "A0" -> 6 / 6 / 0; -1 when not a protocol number. */
static int dpn_number(const char *r)
{
    const char *d = r[0] == 'A' || r[0] == 'a' ? r + 1 : r;
    if (!isxdigit((unsigned char)d[0]) || d[1])
        return -1;
    return (int)strtol((char[]){ d[0], 0 }, NULL, 16);
}

static void use_protocol(elm_t *e, obd_proto_t p)
{
    e->proto = p;
    e->info.protocol = p;
    e->info.multi_pid = obd_proto_is_can(p);
    e->default_addr = default_addr_for(p);
}

/*
 * The search reported no protocol, or its replies did not read with headers:
 * set each protocol explicitly and ask 01 00 again. `first` (when > 0) is
 * tried first, then protocols whose replies look like `fmt_hint` (the format
 * the search reply read in, when it read in one), then CAN 6, 8, 7, 9 and
 * J1850 / K-line 1-5. Bounded by TRY_BUDGET_MS. Returns the protocol whose
 * reply read with headers (*headerless false) or, failing that, the first
 * that answered without headers (*headerless true); 0 when none answered.
 */
static int try_protocols(elm_t *e, int first, int fmt_hint, bool *headerless)
{
    static const int order[] = { 6, 8, 7, 9, 1, 2, 3, 4, 5 };
    int list[10], nl = 0;
    if (first > 0 && first <= 9)
        list[nl++] = first;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
            int p = order[i];
            bool like = fmt_hint >= 0 && (int)elm_fmt_for((obd_proto_t)p) == fmt_hint;
            if ((pass == 0) != like || p == first)
                continue;
            list[nl++] = p;
        }
    uint64_t t0 = obd_now_ms();
    obd_replies_t *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return 0;
    int found = 0, bare = 0;
    *headerless = false;
    for (int i = 0; i < nl && !found; i++) {
        uint64_t spent = obd_now_ms() - t0;
        if (spent >= TRY_BUDGET_MS) {
            note(e, "protocol tries: %d ms budget spent, stopping", TRY_BUDGET_MS);
            break;
        }
        obd_proto_t p = (obd_proto_t)list[i];
        char c[16];
        snprintf(c, sizeof c, "ATTP%X", (unsigned)p);
        bool set = opt_at(e, c, REF_TP);
        if (!set) {
            snprintf(c, sizeof c, "ATSP%X", (unsigned)p);
            set = at_ok(e, c);
        }
        if (!set) {
            note(e, "protocol %d (%s): the adapter would not set it", (int)p, obd_proto_name(p));
            continue;
        }
        int ms = obd_proto_is_can(p) ? TRY_CAN_MS : TRY_KLINE_MS;
        if ((uint64_t)ms > TRY_BUDGET_MS - spent)
            ms = (int)(TRY_BUDGET_MS - spent);
        size_t len;
        int rc = xfer(e, "0100", ms, &len);
        if (rc == OBD_ELINK)
            break;
        elm_reply_t rep = { 0 };
        if (rc == OBD_OK) {
            parse_as(e, e->buf, len, p, e->caps.headers, "0100", &rep, tmp);
            if (e->caps.headers && answered(&rep, tmp, 0x01)) {
                found = (int)p;
            } else {
                elm_reply_t r2;
                parse_as(e, e->buf, len, p, false, "0100", &r2, tmp);
                if (answered(&r2, tmp, 0x01)) {
                    bare = (int)p;
                    /* the car speaks p; its replies just carry no headers */
                    break;
                }
            }
        }
        note(e, "protocol %d (%s): %s after %llu ms", (int)p, obd_proto_name(p),
             found ? "answered" : rc ? obd_strerror(rc) : elm_status_key(rep.status),
             (unsigned long long)(obd_now_ms() - t0));
    }
    free(tmp);
    if (!found && bare) {
        *headerless = true;
        note(e, "protocol %d (%s): answered without headers", bare, obd_proto_name((obd_proto_t)bare));
        return bare;
    }
    return found;
}

/*
 * After the first 01 00 and ATDPN: settle the protocol and the header mode.
 * `search` is the text the first 01 00 got (copied), `dpn` ATDPN's answer.
 */
static int settle(elm_t *e, const char *search, size_t slen, const char *dpn, char *err, size_t errcap)
{
    obd_replies_t *tmp = malloc(sizeof *tmp);
    if (!tmp) {
        snprintf(err, errcap, "out of memory");
        return -12;
    }
    int pn = dpn_number(dpn);
    bool known = pn > 0 && pn < OBD_PROTO_COUNT;
    char said[40]; /* ATDPN's answer as quoted in notes and errors */
    obd_text_escape(dpn, strnlen(dpn, 8), said, sizeof said);
    elm_reply_t rep = { 0 };
    bool with_headers = false, bare = false;
    int fmt_hint = -1;
    if (known) {
        parse_as(e, search, slen, (obd_proto_t)pn, e->caps.headers, "0100", &rep, tmp);
        with_headers = e->caps.headers && (answered(&rep, tmp, 0x01) || answered(&rep, tmp, 0x22)) /* 22 F400: OBD on UDS */;
        bare = !e->caps.headers && (answered(&rep, tmp, 0x01) || answered(&rep, tmp, 0x22)) /* 22 F400: OBD on UDS */;
    }
    if (!with_headers && !bare && e->caps.headers) {
        /* in which format does it read at all? (orders the tries) */
        static const obd_proto_t fp[] = { OBD_PROTO_CAN11_500, OBD_PROTO_CAN29_500, OBD_PROTO_ISO9141,
                                          OBD_PROTO_J1850_VPW };
        for (size_t i = 0; i < sizeof fp / sizeof fp[0] && fmt_hint < 0; i++) {
            parse_as(e, search, slen, fp[i], true, "0100", &rep, tmp);
            if ((answered(&rep, tmp, 0x01) || answered(&rep, tmp, 0x22)) /* 22 F400: OBD on UDS */)
                fmt_hint = (int)elm_fmt_for(fp[i]);
        }
    }
    free(tmp);
    if (known && (with_headers || bare)) {
        use_protocol(e, (obd_proto_t)pn);
        if (bare) { /* ATH1 was refused at set-up */
            e->headers_off = true;
            e->info.quirks |= OBD_QUIRK_HEADERS_OFF;
        }
        return OBD_OK;
    }
    if (pn == 0)
        note(e, "the protocol search reported '%s': trying protocols explicitly", said);
    else if (!known)
        note(e, "ATDPN said '%s' (not a protocol): trying protocols explicitly", said);
    else
        note(e, "replies on protocol %d did not read with headers: trying protocols explicitly", pn);
    bool headerless = false;
    int p = try_protocols(e, known ? pn : 0, fmt_hint, &headerless);
    if (!p) {
        char what[96];
        describe(e, search, slen, "0100", 0x01, false, what, sizeof what);
        snprintf(err, errcap, "%s: %s, and no protocol answered when set explicitly (ATDPN said '%s')", e->s.name,
                 what, said);
        return e->dead ? OBD_ELINK : OBD_EADAPTER;
    }
    use_protocol(e, (obd_proto_t)p);
    e->info.quirks |= OBD_QUIRK_PROTO_EXPLICIT;
    if (headerless) {
        /* Last resort: the chip's own header-less formatting (ATH0 gives
         * "0:"/"1:" segments for multi-frame), and every reply is taken to
         * come from the engine ECU's default address. */
        at_ok(e, "ATH0");
        e->caps.headers = false;
        e->headers_off = true;
        e->info.quirks |= OBD_QUIRK_HEADERS_OFF;
        note(e, "headers off: results are single-ECU, keyed to %X", (unsigned)e->default_addr);
    } else {
        note(e, "protocol %d (%s) set explicitly", p, obd_proto_name((obd_proto_t)p));
    }
    return OBD_OK;
}

static int setup(elm_t *e, char *err, size_t errcap)
{
    char r[128];
    int rc;
    e->target_set = false;
    e->filter_rx = 0;
    e->headers_off = false;
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
    /* Wake up whatever state the adapter is in, then reset it. A CR at
     * once: a chip still busy with an abandoned command stops it
     * ("STOPPED", prompt), an idle one repeats its last command and
     * prompts; waiting first for a late prompt cost 300 ms at every open. */
    resync_ms(e, 600);
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
    /* The adapter's own words go into messages, the scan and the store:
     * control characters (an ESC sequence from a broken clone) as \xNN. */
    obd_text_escape(r, strlen(r), e->caps.id, sizeof e->caps.id);
    if (!strstr(r, "ELM") && !strstr(r, "STN") && !strstr(r, "OBD")) {
        snprintf(err, errcap, "%s: this is not an ELM327-family adapter (it says '%s')", e->s.name, e->caps.id);
        return OBD_EADAPTER;
    }
    at_ok(e, "ATL0");
    e->caps.spaces = !opt_at(e, "ATS0", REF_S0);
    e->caps.headers = opt_at(e, "ATH1", REF_H1);
    if (at(e, "AT@1", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK && strcmp(r, "?"))
        obd_text_escape(r, strlen(r), e->caps.desc, sizeof e->caps.desc);
    /* STI: '?' is what every genuine ELM327 says; not a quirk */
    if (at(e, "STI", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK && strcmp(r, "?") && strstr(r, "STN")) {
        e->caps.is_stn = true;
        obd_text_escape(r, strlen(r), e->caps.stn, sizeof e->caps.stn);
    }
    e->caps.has_at = opt_at(e, "ATAT1", REF_AT);
    opt_at(e, "ATCAF1", REF_CAF);
    e->caps.has_cra = opt_at(e, "ATCRA", REF_CRA); /* no argument: clears the filter, harmless */
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
    obd_replies_t *tmp = malloc(sizeof *tmp); /* per call: links run in parallel bay threads */
    if (!tmp) {
        snprintf(err, errcap, "out of memory");
        return -12;
    }
    static const char *const probes[] = { "0100", "22F400" };
    const char *probe = probes[0];
    size_t pi_used = 0;
    for (size_t pi = 0; pi < 2; pi++) {
        probe = probes[pi];
        pi_used = pi;
        rc = xfer(e, probe, SEARCH_TIMEOUT_MS, &len);
        if (rc) {
            free(tmp);
            snprintf(err, errcap, "%s: no answer while connecting to the vehicle (%s)", e->s.name, obd_strerror(rc));
            return rc;
        }
        /* Nothing at all came back (status words only): the car is not there. */
        parse_as(e, e->buf, len, OBD_PROTO_CAN11_500, e->caps.headers, probe, &rep, tmp);
        if (rep.status != ELM_NO_DATA && rep.status != ELM_UNABLE_TO_CONNECT)
            break;
    }
    free(tmp);
    if (rep.status != ELM_OK && rep.status != ELM_GARBAGE) {
        int le = elm_status_error(rep.status);
        /* the hint (ignition, socket) is the caller's, in the user's language */
        snprintf(err, errcap, "%s: the adapter could not reach the vehicle (%s)", e->s.name,
                 elm_status_key(rep.status));
        return le ? le : OBD_ENOVEHICLE;
    }
    char *search = malloc(len + 1);
    if (!search) {
        snprintf(err, errcap, "out of memory");
        return -12;
    }
    memcpy(search, e->buf, len + 1);
    if ((rc = at(e, "ATDPN", AT_TIMEOUT_MS, r, sizeof r))) {
        free(search);
        snprintf(err, errcap, "%s: adapter does not report the protocol (%s)", e->s.name, obd_strerror(rc));
        return rc;
    }
    if (e->o.protocol != OBD_PROTO_AUTO && dpn_number(r) <= 0) /* a set protocol is the protocol */
        snprintf(r, sizeof r, "%X", (unsigned)e->o.protocol);
    rc = settle(e, search, len, r, err, errcap);
    if (!rc && pi_used == 0 && !e->headers_off && !(e->info.quirks & OBD_QUIRK_PROTO_EXPLICIT)) {
        free(e->first); /* a reconnect's search replaces the first one's */
        e->first = search; /* the car's answer to 0100, moments old: the session's discovery asks it next */
        e->first_len = len;
    } else {
        free(search);
    }
    if (rc)
        return rc;
    /* P2 is at most 50 ms on CAN: 100 ms (ATST 19 = 25 x 4 ms) is plenty and
     * halves the default wait after the last reply when the count is unknown. */
    if (obd_proto_is_can(e->proto))
        opt_at(e, "ATST19", REF_ST);
    e->info.battery_v = -1;
    if (at(e, "ATRV", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK)
        elm_parse_voltage(r, &e->info.battery_v);
    e->rv_ms = obd_now_ms();
    return OBD_OK;
}

/*
 * Put the chip's header and receive filter where request `t` needs them.
 * ATSH refused ('?'): no header is ever set again; the request goes out on
 * the functional header and the reply is picked by id (*phys false). ATCRA
 * refused: the software filter in elm_request does it. Only a command that
 * fails otherwise (timeout, link gone) is an error.
 */
/*
 * Legacy buses: the three header bytes are priority/format, target, source.
 * Physical requests carry the ECU's own address:
 *   J1850 PWM  E4 <ecu> F1 (functional 61 6A F1): the "AT SH E4 10 F1" of a
 *              published Ford PWM session (tests/data/elm/ext_ford_au_j1850pwm_mode13.dlg);
 *   J1850 VPW  6C <ecu> F1 (functional 68 6A F1): SAE J2178 node-to-node;
 *   ISO 14230-4 (KWP) 80 <ecu> F1 (functional C1 33 F1; the chip fills in
 *              the length bits): "ATSH8011F1" / "ATSH8012F1" in published
 *              ELM327 KWP sessions (mp3car.com forum 2010, sv650sds wiki).
 * ISO 9141-2 OBD requests are functional only (68 6A F1): there the
 * replies are picked by source address.
 */
static int set_legacy_target(elm_t *e, obd_target_t t, bool *phys)
{
    bool pwm = e->proto == OBD_PROTO_J1850_PWM, vpw = e->proto == OBD_PROTO_J1850_VPW;
    bool kwp = e->proto == OBD_PROTO_KWP_5BAUD || e->proto == OBD_PROTO_KWP_FAST;
    uint32_t tgt = (pwm || vpw || kwp) && !(e->refused & REF_SH) && t.tx_id && t.tx_id <= 0xFF ? t.tx_id : 0;
    if (!e->target_set && !tgt) { /* the chip's default header is the functional one */
        e->target_set = true;
        e->hdr_tx = 0;
    }
    if (!e->target_set || e->hdr_tx != tgt) {
        char c[16];
        if (tgt)
            snprintf(c, sizeof c, "ATSH%02X%02XF1", pwm ? 0xE4u : vpw ? 0x6Cu : 0x80u, (unsigned)tgt);
        else
            snprintf(c, sizeof c, "ATSH%s", pwm ? "616AF1" : vpw ? "686AF1" : "C133F1");
        if (opt_at(e, c, REF_SH))
            e->hdr_tx = tgt;
        else if (e->dead)
            return OBD_ELINK;
        else if (!e->target_set)
            e->hdr_tx = 0; /* refused: the chip keeps its header; replies are picked by address */
        e->target_set = true;
    }
    *phys = tgt && e->hdr_tx == tgt;
    return OBD_OK;
}

static bool pat_covers(const char *pat, uint32_t id);

static int set_target(elm_t *e, obd_target_t t, bool *phys)
{
    *phys = false;
    if (!obd_proto_is_can(e->proto))
        return set_legacy_target(e, t, phys);
    if (!obd_proto_is_can29(e->proto) && (t.tx_id > 0x7FF || t.rx_id > 0x7FF)) {
        /* ATSH would keep the low 11 bits: the request would go to some
         * other id on the car's bus. Refuse instead. */
        snprintf(e->base.errmsg, sizeof e->base.errmsg,
                 "29-bit id %X on an 11-bit CAN protocol: the adapter cannot send it", (unsigned)t.tx_id);
        return OBD_EINVAL;
    }
    bool c29 = obd_proto_is_can29(e->proto);
    char c[32];
    uint32_t hdr = (e->refused & REF_SH) ? 0 : t.tx_id;
    if (!(e->refused & REF_SH) && (!e->target_set || e->hdr_tx != hdr)) {
        uint32_t tx = hdr ? hdr : c29 ? 0x18DB33F1u : 0x7DF;
        bool ok;
        if (c29) {
            snprintf(c, sizeof c, "ATCP%02X", (unsigned)(tx >> 24) & 0x1F);
            opt_at(e, c, REF_CP); /* refused: the chip's default priority (18) stays */
            snprintf(c, sizeof c, "ATSH%06X", (unsigned)tx & 0xFFFFFF);
        } else {
            snprintf(c, sizeof c, "ATSH%03X", (unsigned)tx);
        }
        ok = opt_at(e, c, REF_SH);
        if (!ok && !(e->refused & REF_SH)) {
            e->target_set = false;
            snprintf(e->base.errmsg, sizeof e->base.errmsg, "adapter did not take %s", c);
            return e->dead ? OBD_ELINK : OBD_EADAPTER;
        }
        if (ok) {
            e->hdr_tx = hdr;
        } else {
            hdr = 0;
            if (e->target_set && e->hdr_tx)
                note(e, "the header stays %X: requests meant to be functional reach that ECU only",
                     (unsigned)e->hdr_tx);
            else
                e->hdr_tx = 0;
        }
        e->target_set = true;
    }
    *phys = t.tx_id && e->hdr_tx == t.tx_id;
    /* Receive filter: the target's reply only (also when the header could
     * not be set: the functional request's other answers are then dropped
     * by the chip). */
    uint32_t want = t.tx_id ? t.rx_id : 0;
    /* An OBD pair (7E0-7E7 -> +8, 18DAxxF1 -> 18DAF1xx) under its own
     * header needs no filter: only the addressed ECU answers, and the
     * chip's automatic receive takes the OBD response ids, and the headers
     * say who answered; an ATCRA per ECU switch cost two commands. Other
     * pairs (7xx -> 7xx+6A ...) keep theirs: automatic receive would not
     * take their response id; without headers the filter is what tells. */
    bool obd_pair = t.tx_id && obd_target_for(t.rx_id).tx_id == t.tx_id &&
                    ((t.rx_id >= 0x7E8 && t.rx_id <= 0x7EF) || (t.rx_id & 0xFFFFFF00u) == 0x18DAF100u);
    if (*phys && obd_pair && e->caps.headers && !e->headers_off &&
        (e->filter_rx == 0 || (e->filter_rx == FILTER_WILD && pat_covers(e->wild, t.rx_id))))
        want = e->filter_rx; /* no filter, or a batch's open one that takes this id: kept */
    if (e->caps.has_cra && e->filter_rx != want && !e->keep_wild) {
        if (want)
            snprintf(c, sizeof c, c29 ? "ATCRA%08X" : "ATCRA%03X", (unsigned)want);
        else
            snprintf(c, sizeof c, "ATCRA");
        if (opt_at(e, c, REF_CRA)) {
            e->filter_rx = want;
        } else if (e->refused & REF_CRA) {
            e->caps.has_cra = false;
            if (e->filter_rx)
                note(e, "the receive filter stays %X", (unsigned)e->filter_rx);
        } else {
            e->target_set = false;
            snprintf(e->base.errmsg, sizeof e->base.errmsg, "adapter did not take %s", c);
            return e->dead ? OBD_ELINK : OBD_EADAPTER;
        }
    }
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

/* Keep only the reply from `addr` (a physical request nobody filtered for). */
static void pick(obd_replies_t *out, uint32_t addr)
{
    int i = obd_replies_find(out, addr);
    if (i < 0) {
        obd_replies_reset(out);
    } else if (i > 0 || out->count > 1) {
        obd_reply_t keep = out->r[i];
        out->r[0] = keep;
        out->count = 1;
    }
}

static void drop_digit(elm_t *e, const char *why)
{
    e->caps.has_count = false;
    e->refused |= REF_COUNT;
    e->info.quirks |= OBD_QUIRK_NO_COUNT_DIGIT;
    note(e, "%s: the response-count digit is dropped for this session", why);
}

static void probe_timing(elm_t *e, bool on);

static int elm_request(obd_link_t *l, const obd_request_t *req, obd_replies_t *out)
{
    elm_t *e = (elm_t *)l;
    obd_replies_reset(out);
    if (!req || !req->data || !req->len || req->len > 40)
        return OBD_EINVAL;
    int rc;
    if (e->dead && (rc = reconnect(e)))
        return rc;
    if (e->probing)
        probe_timing(e, false);
    if (e->first) {
        /* The search at set-up asked 0100 functionally and the car
         * answered (with headers, on the protocol now in use): that answer
         * is the first request's if it is the same question. Once. */
        char *first = e->first;
        size_t flen = e->first_len;
        e->first = NULL;
        if (!req->to.tx_id && req->len == 2 && req->data[0] == 0x01 && req->data[1] == 0x00) {
            elm_parse_opts_t po = { .fmt = elm_fmt_for(e->proto), .headers = e->caps.headers, .proto = e->proto,
                                    .echo = "0100" };
            elm_reply_t rep0;
            rc = elm_parse_reply(first, flen, &po, &rep0, out);
            free(first);
            if (rc == OBD_OK && rep0.status == ELM_OK && out->count) {
                note(e, "0100: the protocol search's answer (%zu ECUs), not asked again", out->count);
                return OBD_OK;
            }
            obd_replies_reset(out);
        } else {
            free(first);
        }
    }
    bool phys = false;
    if ((rc = set_target(e, req->to, &phys)))
        return rc;
    bool can = obd_proto_is_can(e->proto);
    /* The chip hands over only the target's replies when the header or
     * the filter makes it so; otherwise they are picked here. */
    bool chip_picks = req->to.tx_id && can && (phys || (e->filter_rx && e->filter_rx == req->to.rx_id));
    unsigned expect = 0;
    if (e->caps.has_count && can) {
        if (req->to.tx_id)
            expect = chip_picks ? 1 : 0;
        else
            expect = e->headers_off ? 1 : req->expect; /* headers off: one ECU's answer is all we can use */
    }
    char cmd[96], first[96] = "";
    int retries = 0;
    enum { NONE, AFTER_Q, AFTER_NODATA } again = NONE;
    elm_reply_t rep;
    size_t len = 0;
    for (;;) {
        if ((rc = elm_format_request(req->data, req->len, expect > 15 ? 15 : expect, cmd, sizeof cmd)) < 0)
            return rc;
        /* req->timeout_ms is how long the ECUs get; the chip itself says
         * NO DATA after its ATST (100 ms), then the words cross the serial
         * line: waiting only timeout_ms abandoned a probe whose NO DATA was
         * on its way, and its late prompt answered the next command. */
        rc = xfer(e, cmd, req->timeout_ms ? req->timeout_ms + REQ_SLACK_MS : REQ_TIMEOUT_MS, &len);
        if (rc == OBD_ETIMEOUT && retries < 2) {
            retries++; /* xfer resynchronised; a clone that hung usually answers again */
            continue;
        }
        if (rc) {
            snprintf(l->errmsg, sizeof l->errmsg, "%.60s: %.90s", e->s.name,
                     rc == OBD_ETIMEOUT ? "the adapter stopped answering (no prompt)" : obd_strerror(rc));
            return rc;
        }
        elm_parse_opts_t po = { .fmt = elm_fmt_for(e->proto), .headers = e->caps.headers, .proto = e->proto,
                                .echo = cmd };
        rc = elm_parse_reply(e->buf, len, &po, &rep, out);
        if (again == NONE && expect && (rep.status == ELM_UNKNOWN_CMD ||
                                        (rep.status == ELM_NO_DATA && (req->flags & OBD_REQ_EXPECT_ANSWER)))) {
            /* '?' to a request with the count digit: a clone that does not
             * know the digit. NO DATA where an answer is due: one that
             * misreads it ("031" taken as 03 01). Once without it. */
            again = rep.status == ELM_UNKNOWN_CMD ? AFTER_Q : AFTER_NODATA;
            snprintf(first, sizeof first, "%s", cmd);
            expect = 0;
            continue;
        }
        break;
    }
    if (rc)
        return rc;
    if (e->n78)
        fold_pending(e, out, req->data[0]);
    if (rep.status == ELM_UNKNOWN_CMD) {
        /* '?' without the digit too (or there was none): the adapter refuses
         * this request. Its result, not the link's failure; the digit was
         * not the problem and stays. */
        obd_replies_reset(out);
        snprintf(l->errmsg, sizeof l->errmsg, "%.60s: the adapter refused request %.20s ('?')", e->s.name, cmd);
        note(e, "request %s refused ('?')", cmd);
        return OBD_EUNSUPPORTED;
    }
    if (again == AFTER_Q) {
        char why[160];
        snprintf(why, sizeof why, "'?' to %s but an answer to %s", first, cmd);
        drop_digit(e, why);
    } else if (again == AFTER_NODATA && rep.status == ELM_OK && out->count) {
        char why[160];
        snprintf(why, sizeof why, "NO DATA to %s but an answer to %s (the adapter misreads the digit)", first, cmd);
        drop_digit(e, why);
    }
    if (rep.status != ELM_OK && rep.status != ELM_NO_DATA) {
        if (rep.status == ELM_GARBAGE) {
            char what[100];
            bool legacy = !can;
            describe(e, e->buf, len, cmd, req->data[0], legacy, what, sizeof what);
            snprintf(l->errmsg, sizeof l->errmsg, "%.60s: %.96s", e->s.name, what);
            return legacy && strstr(what, "checksum") ? OBD_EBUS : OBD_EADAPTER;
        }
        if (rep.status == ELM_DATA_ERROR && rep.bad_checksum) { /* every line failed: the parser checked them */
            snprintf(l->errmsg, sizeof l->errmsg, "%.60s: replies failed their checksum (%u of %u)", e->s.name,
                     rep.bad_checksum, rep.checksummed);
            return OBD_EBUS;
        }
        snprintf(l->errmsg, sizeof l->errmsg, "%.60s: adapter said %s", e->s.name, elm_status_key(rep.status));
        return elm_status_error(rep.status);
    }
    if (e->headers_off || !e->caps.headers) {
        /* No headers: one reply is all that can be attributed, to the ECU
         * the request was addressed to when the chip made sure of it, else
         * to the default (engine) address. */
        if (out->count > 1)
            out->count = 1;
        if (out->count)
            out->r[0].addr = chip_picks ? req->to.rx_id : e->default_addr;
    }
    /* Without the chip's header or filter a physical request may collect others' replies. */
    if (req->to.tx_id && !chip_picks)
        pick(out, req->to.rx_id);
    return OBD_OK;
}

/* ====================== batches ====================== */

/* Probe timing on (ATAT0, ATST for PROBE_MS) or back to the session's
 * (ATAT1, ATST19). STN chips get the timeout inside STPX instead. */
static void probe_timing(elm_t *e, bool on)
{
    if (on == e->probing)
        return;
    e->probing = on;
    e->nprobed = 0; /* a new phase asks again */
    if (e->caps.is_stn && !(e->refused & REF_STPX))
        return;
    if (e->caps.has_at)
        opt_at(e, on ? "ATAT0" : "ATAT1", REF_AT);
    if (!(e->refused & REF_ST)) {
        char c[12];
        snprintf(c, sizeof c, "ATST%02X", on ? (e->probe_ms * 1000 + 4095) / 4096 : 0x19);
        opt_at(e, c, REF_ST);
    }
}

/* One receive filter for every response id of the batch: ATCRA with an X
 * for each hex digit in which they differ (7E8 + 77A -> 7XX). */
static bool wild_filter(elm_t *e, const obd_request_t *reqs, size_t n)
{
    bool c29 = obd_proto_is_can29(e->proto);
    size_t nd = c29 ? 8 : 3;
    char pat[12];
    for (size_t d = 0; d < nd; d++) {
        unsigned shift = (unsigned)(4 * (nd - 1 - d)), v0 = (reqs[0].to.rx_id >> shift) & 0xF;
        bool same = true;
        for (size_t i = 1; i < n && same; i++)
            same = ((reqs[i].to.rx_id >> shift) & 0xF) == v0;
        pat[d] = same ? "0123456789ABCDEF"[v0] : 'X';
    }
    pat[nd] = 0;
    if (e->filter_rx == FILTER_WILD && !strcmp(e->wild, pat))
        return true;
    char c[20], r[32];
    snprintf(c, sizeof c, "ATCRA%s", pat);
    if (at(e, c, AT_TIMEOUT_MS, r, sizeof r) != OBD_OK || strcmp(r, "OK")) {
        e->refused |= REF_WILD; /* the exact filter per request stays */
        e->filter_rx = 0xFFFFFFFEu; /* unknown: set_target sets it again */
        note(e, "%s refused: batches run one request at a time", c);
        return false;
    }
    e->filter_rx = FILTER_WILD;
    snprintf(e->wild, sizeof e->wild, "%s", pat);
    return true;
}

/* Send one request to `tx` with the batch's open filter; replies into out. */
static int batch_send(elm_t *e, uint32_t tx, uint32_t rx, const uint8_t *d, size_t n, unsigned ms, obd_replies_t *out)
{
    obd_replies_reset(out);
    char cmd[128], hex[96];
    bool c29 = obd_proto_is_can29(e->proto);
    size_t len = 0;
    int rc;
    for (int pass = 0; pass < 2; pass++) {
        bool stpx = e->caps.is_stn && !(e->refused & REF_STPX);
        if (stpx) {
            size_t w = 0;
            for (size_t i = 0; i < n && w + 3 < sizeof hex; i++)
                w += (size_t)snprintf(hex + w, sizeof hex - w, "%02X", d[i]);
            /* h: header, d: data, t: timeout (ms), r: replies to wait for */
            snprintf(cmd, sizeof cmd, c29 ? "STPX h:%08X,d:%s,t:%u,r:1" : "STPX h:%03X,d:%s,t:%u,r:1",
                     (unsigned)tx, hex, ms);
            e->target_set = false; /* whatever STPX leaves in the header, ATSH sets it again */
        } else {
            bool phys = false;
            e->keep_wild = true;
            rc = set_target(e, (obd_target_t){ tx, rx }, &phys);
            e->keep_wild = false;
            if (rc)
                return rc;
            if (!phys)
                return OBD_EUNSUPPORTED; /* no header of our own: the caller asks one by one */
            if ((rc = elm_format_request(d, n, e->caps.has_count ? 1 : 0, cmd, sizeof cmd)) < 0)
                return rc;
        }
        rc = xfer(e, cmd, (int)ms + REQ_SLACK_MS, &len);
        if (rc)
            return rc;
        elm_parse_opts_t po = { .fmt = elm_fmt_for(e->proto), .headers = e->caps.headers, .proto = e->proto,
                                .echo = cmd };
        elm_reply_t rep;
        rc = elm_parse_reply(e->buf, len, &po, &rep, out);
        if (rep.status == ELM_UNKNOWN_CMD && stpx) {
            e->refused |= REF_STPX;
            note(e, "STPX refused ('?'): ATSH and plain requests instead");
            obd_replies_reset(out);
            continue;
        }
        if (rc)
            return rc;
        if (e->n78)
            fold_pending(e, out, d[0]);
        if (rep.status == ELM_UNKNOWN_CMD)
            return OBD_EUNSUPPORTED;
        if (rep.status != ELM_OK && rep.status != ELM_NO_DATA)
            return elm_status_error(rep.status) ? elm_status_error(rep.status) : OBD_EADAPTER;
        return OBD_OK;
    }
    return OBD_EUNSUPPORTED;
}

static bool pat_covers(const char *pat, uint32_t id)
{
    size_t nd = strlen(pat);
    for (size_t d = 0; d < nd; d++) {
        unsigned v = (id >> (4 * (nd - 1 - d))) & 0xF;
        if (pat[d] != 'X' && pat[d] != "0123456789ABCDEF"[v])
            return false;
    }
    return nd == 8 || id <= 0xFFF;
}

static struct probed *probed_find(elm_t *e, const obd_request_t *r)
{
    for (size_t i = 0; i < e->nprobed; i++)
        if (e->probed[i].tx == r->to.tx_id && pat_covers(e->probed[i].pat, r->to.rx_id))
            return &e->probed[i];
    return NULL;
}

static void probed_keep(elm_t *e, const obd_request_t *r, const obd_replies_t *got)
{
    if (r->len != 2 || r->data[0] != 0x3E || e->filter_rx != FILTER_WILD)
        return; /* only TesterPresent: another probe request is another question */
    if (!e->probed && !(e->probed = calloc(PROBED_MAX, sizeof *e->probed)))
        return;
    if (e->nprobed >= PROBED_MAX || got->count > 3)
        return;
    struct probed *p = &e->probed[e->nprobed];
    memset(p, 0, sizeof *p);
    p->tx = r->to.tx_id;
    snprintf(p->pat, sizeof p->pat, "%s", e->wild);
    for (size_t j = 0; j < got->count; j++) {
        if (got->r[j].len > sizeof p->r[0].d)
            return; /* not a probe answer: ask again */
        p->r[j].addr = got->r[j].addr;
        p->r[j].len = (uint8_t)got->r[j].len;
        memcpy(p->r[j].d, obd_reply_data(got, j), got->r[j].len);
    }
    p->n = (uint8_t)got->count;
    e->nprobed++;
}

/*
 * Physical requests of a UDS scan step. With the receive filter open to
 * all their response ids (one ATCRA for the batch) each costs one command:
 * STPX on STN chips (header, timeout and reply count inside), else ATSH
 * when the module changes plus the request with count digit 1. Probes
 * (OBD_REQ_PROBE) to one transmit id with several candidate response ids
 * (7xx+8 and the VW group's 7xx+6A) go out once, the chip's timeout
 * shortened for them. Anything else runs through elm_request.
 */
static int elm_request_many(obd_link_t *l, const obd_request_t *reqs, size_t n, obd_replies_t *outs, int *rcs)
{
    elm_t *e = (elm_t *)l;
    bool probes = true, plain = !obd_proto_is_can(e->proto) || e->headers_off || !e->caps.headers ||
                                !e->caps.has_cra || (e->refused & (REF_WILD | REF_SH));
    for (size_t i = 0; i < n; i++) {
        obd_replies_reset(&outs[i]);
        rcs[i] = OBD_OK;
        probes &= (reqs[i].flags & OBD_REQ_PROBE) && reqs[i].len <= 7;
        plain |= !reqs[i].to.tx_id || !reqs[i].data || !reqs[i].len || reqs[i].len > 40;
    }
    int rc;
    if (!plain && e->dead && (rc = reconnect(e)))
        return rc;
    if (!plain && !wild_filter(e, reqs, n))
        plain = true;
    if (plain) {
        int last = OBD_OK;
        for (size_t i = 0; i < n; i++)
            if ((rcs[i] = elm_request(l, &reqs[i], &outs[i])) == OBD_ELINK)
                last = OBD_ELINK;
        return last;
    }
    free(e->first); /* a batch is not the session's discovery */
    e->first = NULL;
    if (probes) {
        unsigned ms = reqs[0].timeout_ms ? reqs[0].timeout_ms : PROBE_MS;
        if (e->probing && ms != e->probe_ms)
            probe_timing(e, false);
        e->probe_ms = ms;
    }
    probe_timing(e, probes);
    obd_replies_t *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return -12;
    bool *done = calloc(n, sizeof *done);
    if (!done) {
        free(tmp);
        return -12;
    }
    int ret = OBD_OK;
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        const obd_request_t *r = &reqs[i];
        unsigned ms = probes ? e->probe_ms : r->timeout_ms ? r->timeout_ms : 100;
        struct probed *pb = probes ? probed_find(e, r) : NULL;
        if (pb) { /* this transmit id was probed already, through a filter that covers this response id */
            done[i] = true;
            for (size_t j = 0; j < pb->n; j++)
                if (pb->r[j].addr == r->to.rx_id)
                    obd_replies_add(&outs[i], pb->r[j].addr, pb->r[j].d, pb->r[j].len, false);
            continue;
        }
        rc = batch_send(e, r->to.tx_id, r->to.rx_id, r->data, r->len, ms, tmp);
        if (probes && rc == OBD_OK)
            probed_keep(e, r, tmp);
        for (size_t k = i; k < n; k++) {
            const obd_request_t *q = &reqs[k];
            if (done[k] || q->to.tx_id != r->to.tx_id || q->len != r->len || memcmp(q->data, r->data, r->len))
                continue;
            if (k > i && !probes)
                continue; /* the same request twice is asked twice */
            done[k] = true;
            if (rc == OBD_EUNSUPPORTED && !(e->refused & REF_STPX) && e->hdr_tx != q->to.tx_id) {
                rcs[k] = elm_request(l, q, &outs[k]); /* no header of our own: one by one */
                continue;
            }
            rcs[k] = rc;
            for (size_t j = 0; j < tmp->count; j++)
                if (tmp->r[j].addr == q->to.rx_id)
                    obd_replies_add(&outs[k], tmp->r[j].addr, obd_reply_data(tmp, j), tmp->r[j].len, false);
        }
        if (rc == OBD_ELINK) {
            for (size_t k = 0; k < n; k++)
                if (!done[k]) {
                    done[k] = true;
                    rcs[k] = OBD_ELINK;
                }
            ret = OBD_ELINK;
        }
    }
    free(done);
    free(tmp);
    return ret;
}

static int elm_info(obd_link_t *l, obd_link_info_t *out)
{
    elm_t *e = (elm_t *)l;
    char r[32];
    /* The voltage hardly moves during a scan: once per ATRV_EVERY_MS, not
     * at every caller's asking (a scan asked 3-4 times). */
    if (!e->dead && obd_now_ms() - e->rv_ms >= ATRV_EVERY_MS && at(e, "ATRV", AT_TIMEOUT_MS, r, sizeof r) == OBD_OK) {
        elm_parse_voltage(r, &e->info.battery_v);
        e->rv_ms = obd_now_ms();
    }
    *out = e->info;
    return OBD_OK;
}

static void elm_close(obd_link_t *l)
{
    elm_t *e = (elm_t *)l;
    obd_stream_close(&e->s);
    free(e->first);
    free(e->probed);
    free(e->reopen);
    free(e);
}

static const obd_link_ops_t elm_ops = { "elm327", elm_request, elm_info, elm_close, elm_request_many };

const elm_traffic_t *elm_link_traffic(const obd_link_t *l)
{
    return l && l->ops == &elm_ops ? &((const elm_t *)l)->traffic : NULL;
}

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
    e->t_open = obd_now_ms();
    int rc = setup(e, err, errcap);
    if (rc) {
        elm_close(&e->base);
        return rc;
    }
    *out = &e->base;
    return OBD_OK;
}
