/*
 * uds_scan.c — the UDS full-system scan (see uds_scan.h).
 *
 * Every step is one request per module, sent to all modules of the step at
 * once on SocketCAN (can_link_request_many) — distinct response ids are
 * separate ISO-TP channels, so a 30-module car costs a few P2 round trips
 * per step instead of 30. Negative replies are data: 0x21 is repeated,
 * 0x78 is waited out by the link (P2*), security/conditions refusals become
 * "needs OEM authorisation".
 *
 * No static state: every buffer of a scan (the batch of requests and their
 * reply sets, ~280 KB, the candidate list, the DTC parse target) lives in a
 * work area allocated by uds_scan_run and freed before it returns, so bay
 * threads run scans in parallel, each on its own link.
 */
#include <errno.h>
#include <stddef.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/canlink.h"
#include "obdgw/stream.h"
#include "obdgw/uds_scan.h"

const uint16_t uds_scan_ident_dids[UDS_SCAN_NIDENT] = { 0xF190, 0xF187, 0xF188, 0xF189, 0xF195, 0xF18C };

#define BATCH CAN_MAX_BATCH
#define TP_PERIOD_MS 2000 /* tester present while a non-default session is held */
#define BUSY_GAP_MS 50

void uds_scan_opts_default(uds_scan_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->range11 = true;
    o->range29 = false; /* on 29-bit links range11 covers the 29-bit list */
    o->status_mask = 0xFF;
    o->busy_retries = 3;
    o->probe_timeout_ms = 0; /* the link's own: P2 (100 ms) on SocketCAN, PROBE_MS on an ELM327 */
}

static int hex_byte(const char *v, const char **end, unsigned *out)
{
    unsigned x = 0;
    if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
        v += 2;
    const char *p = v;
    for (; *p && *p != ',' && p - v < 2; p++) {
        int d = obd_hex_digit(*p);
        if (d < 0)
            return -EINVAL;
        x = x * 16 + (unsigned)d;
    }
    if (p == v)
        return -EINVAL;
    *end = p;
    *out = x;
    return 0;
}

int uds_opt_mask(const char *v, uint8_t *out)
{
    const char *end;
    unsigned x;
    if (!v || hex_byte(v, &end, &x) || *end || !x)
        return -EINVAL;
    *out = (uint8_t)x;
    return 0;
}

int uds_opt_session(const char *v, uint8_t *out)
{
    const char *end;
    unsigned x;
    if (v && !strcmp(v, "default"))
        x = 0;
    else if (v && !strcmp(v, "extended"))
        x = UDS_SESSION_EXTENDED;
    else if (!v || hex_byte(v, &end, &x) || *end || !x)
        return -EINVAL;
    *out = (uint8_t)x;
    return 0;
}

int uds_opt_addr29(const char *v, uint8_t *out, size_t cap, size_t *n)
{
    *n = 0;
    if (!v)
        return -EINVAL;
    if (!strcmp(v, "all"))
        return 0;
    const char *p = v;
    for (;;) {
        const char *end;
        unsigned x;
        if (*n >= cap || hex_byte(p, &end, &x))
            return -EINVAL;
        out[(*n)++] = (uint8_t)x;
        if (!*end)
            return 0;
        if (*end != ',')
            return -EINVAL;
        p = end + 1;
    }
}

const uds_scan_snap_t *uds_scan_record(const uds_scan_t *s, const uds_module_t *m, size_t k)
{
    size_t mi = (size_t)(m - s->modules);
    for (size_t i = 0; i < s->nrecords && i < UDS_SCAN_MAX_RECORDS; i++)
        if (s->records[i].module == mi && k-- == 0)
            return &s->records[i];
    return NULL;
}

uds_scan_snap_t *uds_scan_add_record(uds_scan_t *s, uds_module_t *m)
{
    if (s->nrecords >= UDS_SCAN_MAX_RECORDS)
        return NULL;
    uds_scan_snap_t *r = &s->records[s->nrecords++];
    memset(r, 0, sizeof *r);
    r->module = (uint16_t)(m - s->modules);
    m->nsnap++;
    return r;
}

size_t uds_scan_default_pairs(obd_target_t *out, size_t cap)
{
    size_t n = 0;
    /* ISO 15765-4 / most OEMs: response = request + 8 (GM, Ford, Hyundai, Toyota 11-bit ...),
     * over the whole 7xx range except the functional id and the OBD response ids. */
    for (uint32_t tx = 0x700; tx <= 0x7F7 && n < cap; tx++) {
        if (tx == 0x7DF || (tx >= 0x7E8 && tx <= 0x7EF) || (tx >= 0x7D8 && tx <= 0x7DE))
            continue;
        out[n++] = (obd_target_t){ tx, tx + 8 };
    }
    /* VW group: response = request + 0x6A (0x713 -> 0x77D, 0x710 -> 0x77A ...) */
    for (uint32_t tx = 0x700; tx <= 0x77F && n < cap; tx++)
        out[n++] = (obd_target_t){ tx, tx + 0x6A };
    return n;
}

#define MAX_CANDIDATES 512 /* what uds_scan_default_pairs gives, with room */

/* The work area of one scan (heap; see the top of the file). The batch
 * arrays are shared by step() and keep_alive(): keep_alive only runs
 * between two batches of a step, when no batch is in flight. */
typedef struct {
    obd_request_t reqs[BATCH];
    obd_replies_t outs[BATCH];
    int rcs[BATCH];
    uint8_t bufs[BATCH][16];
    size_t who[BATCH];
    bool sent[UDS_SCAN_MAX_MODULES];
    size_t idx[UDS_SCAN_MAX_MODULES];
    obd_target_t def[MAX_CANDIDATES];
    uds_dtc_reply_t dtc; /* parse target of $19 replies */
} work_t;

typedef struct {
    obd_link_t *l;
    const uds_scan_opts_t *o;
    uds_scan_t *s;
    uint64_t last_tp;
    obd_progress_fn progress;
    void *ctx;
    work_t *w;
} sc_t;

/* What to send to module m in this step (len 0: skip it) and what to do with the answer. */
typedef size_t (*make_fn)(sc_t *c, uds_module_t *m, size_t k, uint8_t *req, size_t cap);
static size_t mk_probe(sc_t *c, uds_module_t *m, size_t k, uint8_t *req, size_t cap);
typedef void (*reply_fn)(sc_t *c, uds_module_t *m, size_t k, const uint8_t *p, size_t n);

static void keep_alive(sc_t *c)
{
    if (!c->o->session)
        return;
    uint64_t now = obd_now_ms();
    if (now - c->last_tp < TP_PERIOD_MS)
        return;
    c->last_tp = now;
    obd_request_t *reqs = c->w->reqs;
    obd_replies_t *outs = c->w->outs;
    int *rcs = c->w->rcs;
    static const uint8_t tp[2] = { UDS_SVC_TESTER_PRESENT, UDS_SUPPRESS_POS_RSP };
    size_t n = 0;
    for (size_t i = 0; i < c->s->nmodules; i++) {
        uds_module_t *m = &c->s->modules[i];
        if (!m->session_held)
            continue;
        /* 3E 80: no positive reply comes, so do not wait for one */
        reqs[n++] = (obd_request_t){ .to = { m->tx_id, m->rx_id }, .data = tp, .len = 2, .timeout_ms = 10 };
        c->s->tester_present++;
        if (n == BATCH || i + 1 == c->s->nmodules) {
            can_link_request_many(c->l, reqs, n, outs, rcs);
            n = 0;
        }
    }
    if (n)
        can_link_request_many(c->l, reqs, n, outs, rcs);
}

static bool is_busy(const uint8_t *p, size_t n)
{
    return n == 3 && p[0] == UDS_NEGATIVE_RESPONSE && uds_nrc_class(p[2]) == UDS_NRC_CLASS_RETRY;
}

/*
 * One step: for every module in idx[0..n) build a request, send them all
 * (in batches), repeat the ones answered "busy", hand every final answer
 * (or NULL for none) to `on`.
 */
static int step(sc_t *c, const size_t *idx, size_t n, size_t k, uint16_t timeout_ms, make_fn make, reply_fn on)
{
    work_t *w = c->w;
    obd_request_t *reqs = w->reqs;
    obd_replies_t *outs = w->outs;
    int *rcs = w->rcs;
    uint8_t (*bufs)[16] = w->bufs;
    size_t *who = w->who;
    bool *sent = w->sent;
    memset(sent, 0, n * sizeof sent[0]);
    for (size_t left = n; left;) {
        keep_alive(c);
        size_t nb = 0;
        /* one request per response id per batch: two pairs sharing a
         * response id (0x775/0x77D and 0x713/0x77D) go in different batches */
        for (size_t at = 0; at < n && nb < BATCH; at++) {
            if (sent[at])
                continue;
            uds_module_t *m = &c->s->modules[idx[at]];
            bool clash = false;
            for (size_t q = 0; q < nb && !clash; q++)
                clash = reqs[q].to.rx_id == m->rx_id;
            if (clash)
                continue;
            sent[at] = true;
            left--;
            size_t len = make(c, m, k, bufs[nb], sizeof bufs[nb]);
            if (len) {
                reqs[nb] = (obd_request_t){ .to = { m->tx_id, m->rx_id }, .data = bufs[nb], .len = len,
                                            .timeout_ms = timeout_ms,
                                            .flags = make == mk_probe ? OBD_REQ_PROBE : 0 };
                who[nb++] = idx[at];
            }
        }
        for (unsigned attempt = 0; nb; attempt++) {
            c->s->requests += (unsigned)nb;
            int rc = can_link_request_many(c->l, reqs, nb, outs, rcs);
            if (rc == OBD_ELINK || rc == OBD_EBUS)
                return rc;
            size_t again = 0;
            for (size_t i = 0; i < nb; i++) {
                uds_module_t *m = &c->s->modules[who[i]];
                int ri = rcs[i] == OBD_OK ? obd_replies_find(&outs[i], m->rx_id) : -1;
                const uint8_t *p = ri >= 0 ? obd_reply_data(&outs[i], (size_t)ri) : NULL;
                size_t len = ri >= 0 ? outs[i].r[ri].len : 0;
                if (p && is_busy(p, len) && attempt < c->o->busy_retries) {
                    m->busy_retries++;
                    reqs[again] = reqs[i]; /* data points into bufs[i]: copy it along */
                    memcpy(bufs[again], bufs[i], reqs[i].len);
                    reqs[again].data = bufs[again];
                    who[again++] = who[i];
                    continue;
                }
                on(c, m, k, p, len);
            }
            nb = again;
            if (nb)
                poll(NULL, 0, BUSY_GAP_MS); /* give a busy module a moment */
        }
    }
    return OBD_OK;
}

/* ---- steps ---- */

static size_t mk_probe(sc_t *c, uds_module_t *m, size_t k, uint8_t *req, size_t cap)
{
    (void)c, (void)m, (void)k;
    return (size_t)uds_req_tester_present(req, cap, false);
}

static void on_probe(sc_t *c, uds_module_t *m, size_t k, const uint8_t *p, size_t n)
{
    (void)k;
    if (!p || !n)
        return;
    m->answered = true; /* any answer, even "not supported", means a module is there */
    m->state = UDS_MOD_DTC_NO_ANSWER;
    c->s->nanswered++;
}

static size_t mk_session(sc_t *c, uds_module_t *m, size_t k, uint8_t *req, size_t cap)
{
    (void)m;
    int n = uds_req_session(req, cap, k ? c->o->session : UDS_SESSION_DEFAULT, false);
    return n > 0 ? (size_t)n : 0;
}

static void on_session(sc_t *c, uds_module_t *m, size_t k, const uint8_t *p, size_t n)
{
    uds_session_reply_t r;
    int prc = p ? uds_parse_session_reply(p, n, 0, &r) : OBD_ENOTFOUND;
    bool ok = prc == OBD_OK && !r.nr.negative;
    m->session_held = k && ok;
    if (k && !ok && !m->session_failed) { /* said, never silently read in the default session */
        m->session_failed = true;
        m->session_nrc = prc == OBD_OK && r.nr.negative ? r.nr.nrc : 0;
        c->s->session_failed++;
    }
}

static size_t mk_did(sc_t *c, uds_module_t *m, size_t k, uint8_t *req, size_t cap)
{
    (void)c, (void)m;
    int n = uds_req_read_did(req, cap, &uds_scan_ident_dids[k], 1);
    return n > 0 ? (size_t)n : 0;
}

static void on_did(sc_t *c, uds_module_t *m, size_t k, const uint8_t *p, size_t n)
{
    (void)c;
    uds_did_reply_t r;
    if (!p || uds_parse_did_reply(p, n, &uds_scan_ident_dids[k], 1, &r) != OBD_OK || r.nr.negative || r.count != 1)
        return;
    char t[64];
    int tl = uds_did_text(r.dids[0].data, r.dids[0].len, t, sizeof t);
    if (tl < 0) { /* not text: show it as hex */
        size_t w = 0;
        for (size_t i = 0; i < r.dids[0].len && w + 3 < sizeof t; i++)
            w += (size_t)snprintf(t + w, sizeof t - w, "%02X", r.dids[0].data[i]);
    }
    snprintf(m->ident[k], sizeof m->ident[k], "%.32s", t);
    m->ident_ok[k] = true;
}

static size_t mk_dtc(sc_t *c, uds_module_t *m, size_t k, uint8_t *req, size_t cap)
{
    (void)m, (void)k;
    int n = uds_req_dtc_by_status(req, cap, c->o->status_mask);
    return n > 0 ? (size_t)n : 0;
}

static void on_dtc(sc_t *c, uds_module_t *m, size_t k, const uint8_t *p, size_t n)
{
    (void)k;
    if (!p) {
        m->state = UDS_MOD_DTC_NO_ANSWER;
        return;
    }
    uds_dtc_reply_t *r = &c->w->dtc;
    int rc = uds_parse_dtc_reply(p, n, UDS_RDTC_BY_MASK, r);
    if (rc != OBD_OK && rc != OBD_ENOSPC) {
        m->state = UDS_MOD_ERROR;
        return;
    }
    if (r->nr.negative) {
        m->nrc = r->nr.nrc;
        uds_nrc_class_t cl = uds_nrc_class(r->nr.nrc);
        /* refusals that depend on who asks: never "no codes" */
        if (cl == UDS_NRC_CLASS_SECURITY || cl == UDS_NRC_CLASS_CONDITIONS || cl == UDS_NRC_CLASS_PENDING)
            m->state = UDS_MOD_NEEDS_AUTH;
        else if (cl == UDS_NRC_CLASS_NOT_SUPPORTED)
            m->state = UDS_MOD_NOT_SUPPORTED;
        else
            m->state = UDS_MOD_NEEDS_AUTH;
        return;
    }
    m->state = UDS_MOD_OK;
    m->dtcs_read = true;
    m->avail_mask = r->avail_mask;
    m->ndtcs = r->ndtcs > UDS_SCAN_MAX_DTCS ? UDS_SCAN_MAX_DTCS : r->ndtcs;
    memcpy(m->dtcs, r->dtcs, m->ndtcs * sizeof m->dtcs[0]);
}

/* k = DTC index * 2 + (0 snapshot, 1 extended data) */
static size_t mk_snap(sc_t *c, uds_module_t *m, size_t k, uint8_t *req, size_t cap)
{
    size_t d = k / 2;
    if (d >= m->ndtcs || c->s->nrecords >= UDS_SCAN_MAX_RECORDS)
        return 0;
    int n = (k & 1) ? uds_req_dtc_extdata(req, cap, m->dtcs[d].code, UDS_RECORD_ALL)
                    : uds_req_dtc_snapshot(req, cap, m->dtcs[d].code, UDS_RECORD_ALL);
    return n > 0 ? (size_t)n : 0;
}

static void on_snap(sc_t *c, uds_module_t *m, size_t k, const uint8_t *p, size_t n)
{
    uds_dtc_reply_t *r = &c->w->dtc;
    if (!p || uds_parse_dtc_reply(p, n, (k & 1) ? UDS_RDTC_EXTDATA : UDS_RDTC_SNAPSHOT, r) != OBD_OK ||
        r->nr.negative)
        return;
    uds_scan_snap_t *s = uds_scan_add_record(c->s, m);
    if (!s)
        return;
    s->code = r->dtc.code;
    s->record = (k & 1) ? 0x06 : 0x04;
    s->len = (uint16_t)(r->records_len > sizeof s->data ? sizeof s->data : r->records_len);
    s->sent = (uint16_t)(r->records_len > 0xFFFF ? 0xFFFF : r->records_len);
    if (s->len)
        memcpy(s->data, r->records, s->len);
}

static void say(sc_t *c, const char *en, const char *zh)
{
    if (c->progress)
        c->progress(c->ctx, en, zh);
}

static bool have_pair(const uds_scan_t *s, obd_target_t t)
{
    for (size_t i = 0; i < s->nmodules; i++)
        if (s->modules[i].rx_id == t.rx_id && s->modules[i].tx_id == t.tx_id)
            return true;
    return false;
}

static void add_pair(uds_scan_t *s, obd_target_t t)
{
    if (s->nmodules >= UDS_SCAN_MAX_MODULES || !t.tx_id || have_pair(s, t))
        return;
    uds_module_t *m = &s->modules[s->nmodules++];
    memset(m, 0, sizeof *m);
    m->tx_id = t.tx_id;
    m->rx_id = t.rx_id;
}

/* Taking the candidates: a pair the link can send is probed (add_pair); a
 * 29-bit one it cannot (an ELM327 on an 11-bit protocol) is counted as not
 * probed, an 18DAxxF1 address once however often it is given. */
typedef struct {
    uds_scan_t *s;
    bool sendable29;
    uint8_t skipped[32]; /* by xx of 18DAxxF1 */
} cand_t;

static void candidate(cand_t *c, obd_target_t t)
{
    if (c->sendable29 || (t.tx_id <= 0x7FF && t.rx_id <= 0x7FF)) {
        add_pair(c->s, t);
        return;
    }
    unsigned a = t.tx_id >> 8 & 0xFF;
    if ((t.tx_id & 0xFFFF00FFu) != 0x18DA00F1u || t.rx_id != (0x18DAF100u | a)) {
        c->s->not_probed29++;
    } else if (!(c->skipped[a / 8] & 1u << (a % 8))) {
        c->skipped[a / 8] |= (uint8_t)(1u << (a % 8));
        c->s->not_probed29++;
    }
}

int uds_scan_run(obd_link_t *l, const uds_scan_opts_t *opts, uds_scan_t *out, obd_progress_fn progress, void *ctx)
{
    uds_scan_opts_t o;
    if (opts)
        o = *opts;
    else
        uds_scan_opts_default(&o);
    /* the counts only: add_pair and uds_scan_add_record clear each slot
     * they take, so the unused ones are never written */
    memset(out, 0, offsetof(uds_scan_t, modules));
    work_t *w = malloc(sizeof *w);
    if (!w)
        return -ENOMEM;
    obd_link_info_t li;
    memset(&li, 0, sizeof li);
    bool can29 = obd_link_info(l, &li) == OBD_OK && obd_proto_is_can29(li.protocol);
    uint64_t t0 = obd_now_ms();
    sc_t c = { l, &o, out, 0, progress, ctx, w };
    /* Candidates: given pairs first, then the physical range of the link's
     * id length (range11 means "the range": 7xx pairs on an 11-bit link,
     * the 29-bit list on a 29-bit one), then the 29-bit list when asked for
     * on an 11-bit link too. Each pair once. */
    cand_t cd = { out, can29 || li.mixed_ids, { 0 } };
    for (size_t i = 0; i < o.npairs; i++)
        candidate(&cd, o.pairs[i]);
    size_t nd = o.range11 && !can29 ? uds_scan_default_pairs(w->def, MAX_CANDIDATES) : 0;
    for (size_t i = 0; i < nd; i++)
        candidate(&cd, w->def[i]);
    if (o.range29 || (can29 && o.range11)) {
        for (size_t i = 0; i < (o.addr29 ? o.naddr29 : 256); i++) {
            uint32_t a = o.addr29 ? o.addr29[i] : (uint32_t)i;
            if (a != 0xF1) /* the tester's own address */
                candidate(&cd, (obd_target_t){ 0x18DA00F1u | a << 8, 0x18DAF100u | a });
        }
    }
    say(&c, "looking for modules", "查找控制单元");
    size_t *idx = w->idx;
    for (size_t i = 0; i < out->nmodules; i++)
        idx[i] = i;
    int rc = step(&c, idx, out->nmodules, 0, o.probe_timeout_ms, mk_probe, on_probe);
    if (rc)
        goto done;
    size_t na = 0;
    for (size_t i = 0; i < out->nmodules; i++)
        if (out->modules[i].answered)
            idx[na++] = i;
    if (o.session) {
        say(&c, "opening diagnostic sessions", "进入诊断会话");
        if ((rc = step(&c, idx, na, 1, 0, mk_session, on_session)))
            goto done;
        c.last_tp = obd_now_ms();
    }
    say(&c, "reading identification", "读取识别信息");
    for (size_t k = 0; k < UDS_SCAN_NIDENT; k++)
        if ((rc = step(&c, idx, na, k, 0, mk_did, on_did)))
            goto done;
    say(&c, "reading DTCs", "读取故障码");
    if ((rc = step(&c, idx, na, 0, 0, mk_dtc, on_dtc)))
        goto done;
    if (o.read_snapshots || o.read_extdata) {
        say(&c, "reading snapshots", "读取快照数据");
        size_t maxd = 0;
        for (size_t i = 0; i < na; i++)
            maxd = out->modules[idx[i]].ndtcs > maxd ? out->modules[idx[i]].ndtcs : maxd;
        for (size_t d = 0; d < maxd; d++) {
            if (o.read_snapshots && (rc = step(&c, idx, na, d * 2, 0, mk_snap, on_snap)))
                goto done;
            if (o.read_extdata && (rc = step(&c, idx, na, d * 2 + 1, 0, mk_snap, on_snap)))
                goto done;
        }
    }
    if (o.session) { /* back to the default session: the modules stop waiting for us */
        size_t nh = 0;
        for (size_t i = 0; i < na; i++)
            if (out->modules[idx[i]].session_held)
                idx[nh++] = idx[i];
        rc = step(&c, idx, nh, 0, 0, mk_session, on_session);
    }
done:
    out->duration_ms = (uint32_t)(obd_now_ms() - t0);
    free(w);
    return rc;
}

int uds_scan_clear(obd_link_t *l, const uds_scan_t *s, obd_clear_result_t *out)
{
    memset(out, 0, sizeof *out);
    uint8_t req[4];
    int n = uds_req_clear(req, sizeof req, UDS_DTC_GROUP_ALL);
    if (n < 0)
        return n;
    obd_replies_t *rep = malloc(sizeof *rep); /* per call: no shared state between bay threads */
    if (!rep)
        return -ENOMEM;
    int rc = OBD_OK;
    for (size_t i = 0; i < s->nmodules && !rc; i++) {
        const uds_module_t *m = &s->modules[i];
        if (!m->answered || m->state == UDS_MOD_NOT_SUPPORTED)
            continue;
        obd_request_t r = { .to = { m->tx_id, m->rx_id }, .data = req, .len = (size_t)n };
        if ((rc = obd_link_request(l, &r, rep)))
            break;
        int ri = obd_replies_find(rep, m->rx_id);
        obd_nr_t nr;
        if (ri < 0 || uds_parse_clear_reply(obd_reply_data(rep, (size_t)ri), rep->r[ri].len, &nr))
            continue;
        if (nr.negative) {
            if (!out->refused) {
                out->refused = true;
                out->nrc = nr.nrc;
                out->refused_by = m->rx_id;
            }
        } else if (out->acked < OBD_SCAN_MAX_ECUS) {
            out->acked_by[out->acked++] = m->rx_id;
        }
    }
    free(rep);
    return rc;
}

const char *uds_mod_state_key(uds_mod_state_t s)
{
    switch (s) {
    case UDS_MOD_NO_ANSWER: return "no_answer";
    case UDS_MOD_OK: return "ok";
    case UDS_MOD_NEEDS_AUTH: return "needs_oem_authorisation";
    case UDS_MOD_NOT_SUPPORTED: return "dtc_read_not_supported";
    case UDS_MOD_DTC_NO_ANSWER: return "dtc_read_no_answer";
    case UDS_MOD_ERROR: return "dtc_reply_malformed";
    }
    return "unknown";
}

const char *uds_mod_state_name(uds_mod_state_t s, obd_lang_t lang)
{
    switch (s) {
    case UDS_MOD_NO_ANSWER: return obd_tr(lang, "no answer", "无应答");
    case UDS_MOD_OK: return obd_tr(lang, "DTCs read", "已读取故障码");
    case UDS_MOD_NEEDS_AUTH: return obd_tr(lang, "needs OEM authorisation (codes NOT read)", "需要主机厂授权（未读取故障码）");
    case UDS_MOD_NOT_SUPPORTED: return obd_tr(lang, "does not offer DTC reading", "不支持读取故障码");
    case UDS_MOD_DTC_NO_ANSWER: return obd_tr(lang, "answered, but not the DTC request", "有应答，但未应答读故障码请求");
    case UDS_MOD_ERROR: return obd_tr(lang, "DTC reply could not be read", "故障码应答无法解析");
    }
    return "?";
}

static void hexid(char *b, size_t cap, uint32_t id)
{
    snprintf(b, cap, CAN_ID_IS_EXT(id) ? "%08X" : "%03X", (unsigned)id);
}

/* One snapshot / extended-data record: its bytes as sent, a cut said,
 * and a snapshot's values for people when it can be split. */
cJSON *uds_record_json(const uds_scan_snap_t *r, obd_lang_t lang)
{
    cJSON *x = cJSON_CreateObject();
    if (!x)
        return NULL;
    char code[UDS_DTC_TEXT_LEN], hex[2 * UDS_SCAN_SNAP_BYTES + 1];
    uds_dtc_format(r->code, code);
    cJSON_AddStringToObject(x, "dtc", code);
    cJSON_AddStringToObject(x, "kind", r->record == UDS_RDTC_SNAPSHOT ? "snapshot" : "extended_data");
    size_t n = r->len < sizeof r->data ? r->len : sizeof r->data;
    cJSON_AddStringToObject(x, "raw", obd_hex_text(r->data, n, hex, sizeof hex));
    if (r->sent > r->len) { /* cut to fit: say so, with what was sent */
        cJSON_AddBoolToObject(x, "truncated", true);
        cJSON_AddNumberToObject(x, "bytes_sent", r->sent);
    }
    uds_snap_line_t lines[24];
    size_t nl = 0;
    if (r->record == UDS_RDTC_SNAPSHOT && r->sent <= r->len &&
        uds_snapshot_describe(r->data, n, lang, lines, 24, &nl) == OBD_OK && nl) {
        cJSON *vals = cJSON_AddArrayToObject(x, "values");
        for (size_t q = 0; q < nl; q++) {
            cJSON *v = cJSON_CreateObject();
            char did[8];
            snprintf(did, sizeof did, "%04X", lines[q].did);
            cJSON_AddNumberToObject(v, "record", lines[q].record);
            cJSON_AddStringToObject(v, "did", did);
            cJSON_AddStringToObject(v, "name", lines[q].name);
            cJSON_AddStringToObject(v, "value", lines[q].value);
            cJSON_AddItemToArray(vals, v);
        }
    }
    return x;
}

cJSON *uds_scan_json(const uds_scan_t *s, obd_lang_t lang)
{
    static const char *keys[UDS_SCAN_NIDENT] = { "vin", "part_number", "ecu_software", "software_version",
                                                 "supplier_software", "serial_number" };
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "probed", (double)s->nmodules);
    cJSON_AddNumberToObject(j, "answered", (double)s->nanswered);
    cJSON_AddNumberToObject(j, "requests", s->requests);
    cJSON_AddNumberToObject(j, "duration_ms", s->duration_ms);
    if (s->not_probed29)
        cJSON_AddNumberToObject(j, "not_probed_29bit", s->not_probed29);
    if (s->session_failed)
        cJSON_AddNumberToObject(j, "session_failed", s->session_failed);
    cJSON *mods = cJSON_AddArrayToObject(j, "modules");
    cJSON *silent = cJSON_AddArrayToObject(j, "silent");
    char b[16], c2[16], t[40];
    for (size_t i = 0; i < s->nmodules; i++) {
        const uds_module_t *m = &s->modules[i];
        hexid(b, sizeof b, m->tx_id);
        hexid(c2, sizeof c2, m->rx_id);
        if (!m->answered) {
            snprintf(t, sizeof t, "%s/%s", b, c2);
            cJSON_AddItemToArray(silent, cJSON_CreateString(t));
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "request_id", b);
        cJSON_AddStringToObject(o, "response_id", c2);
        cJSON_AddStringToObject(o, "state", uds_mod_state_key(m->state));
        cJSON_AddStringToObject(o, "state_text", uds_mod_state_name(m->state, lang));
        if (m->nrc) {
            snprintf(t, sizeof t, "%02X", m->nrc);
            cJSON_AddStringToObject(o, "nrc", t);
            cJSON_AddStringToObject(o, "nrc_name", uds_nrc_key(m->nrc));
        }
        if (m->session_failed) {
            cJSON *sf = cJSON_AddObjectToObject(o, "session_failed");
            if (m->session_nrc) {
                snprintf(t, sizeof t, "%02X", m->session_nrc);
                cJSON_AddStringToObject(sf, "nrc", t);
                cJSON_AddStringToObject(sf, "nrc_name", uds_nrc_key(m->session_nrc));
            } else {
                cJSON_AddNullToObject(sf, "nrc"); /* no answer to $10 */
            }
        }
        cJSON *id = cJSON_AddObjectToObject(o, "identification");
        for (size_t k = 0; k < UDS_SCAN_NIDENT; k++)
            if (m->ident_ok[k])
                cJSON_AddStringToObject(id, keys[k], m->ident[k]);
        if (m->dtcs_read) {
            cJSON *d = cJSON_AddArrayToObject(o, "dtcs");
            for (size_t k = 0; k < m->ndtcs; k++) {
                cJSON *x = cJSON_CreateObject();
                char code[UDS_DTC_TEXT_LEN];
                uds_dtc_format(m->dtcs[k].code, code);
                cJSON_AddStringToObject(x, "code", code);
                snprintf(t, sizeof t, "%02X", m->dtcs[k].status);
                cJSON_AddStringToObject(x, "status", t);
                cJSON_AddBoolToObject(x, "confirmed", (m->dtcs[k].status & UDS_ST_CONFIRMED) != 0);
                cJSON_AddItemToArray(d, x);
            }
        }
        if (m->nsnap) {
            cJSON *d = cJSON_AddArrayToObject(o, "records");
            for (size_t k = 0; k < m->nsnap; k++) {
                const uds_scan_snap_t *rec = uds_scan_record(s, m, k);
                if (rec)
                    cJSON_AddItemToArray(d, uds_record_json(rec, lang));
            }
        }
        cJSON_AddItemToArray(mods, o);
    }
    return j;
}

size_t uds_scan_count_open(const uds_scan_t *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nmodules; i++)
        for (size_t k = 0; k < s->modules[i].ndtcs; k++)
            n += (s->modules[i].dtcs[k].status & (UDS_ST_TEST_FAILED | UDS_ST_PENDING | UDS_ST_CONFIRMED)) != 0;
    return n;
}
