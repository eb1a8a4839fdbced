/*
 * signals_live.c — polling OEM signals (signals.h) over any link.
 *
 * Plan: commands are grouped by module (request/response id pair). A DID
 * is first asked alone, which tells how many data bytes the module sends
 * for it (a multi-DID $62 reply carries no lengths, so only DIDs of known
 * length can share a request). After that a module's due DIDs go out
 * together, up to the module's limit: it starts at SIG_START_DIDS and is
 * learnt from the module — NRC 0x13 (incorrectMessageLength) or 0x14
 * (responseTooLong) to a multi-DID request lowers it to one DID fewer than
 * that request had, a reply that leaves
 * out the last DIDs (each of which answered alone before) cuts it to what
 * the reply carried — and kept for the session (this sig_live_t).
 * A DID missing from a multi-DID reply is asked alone next; NRC 0x31
 * (requestOutOfRange) or another refusal to a DID asked alone ends that
 * command: its signals get a SIG_EV_REFUSED event once, the others keep
 * streaming. A module silent SIG_LIVE_MAX_MISSES times for a DID: given up.
 *
 * Each round sends every module's first request at once through
 * can_link_request_many (SocketCAN: concurrent ISO-TP channels; other
 * links: one after another, and the ELM327 driver sets ATSH/ATCRA only
 * when the module changes), then every module's second request, ...
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/canlink.h"
#include "obdgw/signals.h"
#include "obdgw/uds.h"

#define SIG_START_DIDS 8

static int module_for(sig_live_t *lv, uint32_t tx, uint32_t rx)
{
    for (size_t i = 0; i < lv->nmods; i++)
        if (lv->mods[i].tx_id == tx && lv->mods[i].rx_id == rx)
            return (int)i;
    if (lv->nmods >= SIG_LIVE_MAX_MODULES)
        return -1;
    sig_module_t *m = &lv->mods[lv->nmods];
    memset(m, 0, sizeof *m);
    m->tx_id = tx;
    m->rx_id = rx;
    m->max_dids = lv->multi ? SIG_START_DIDS : 1;
    return (int)lv->nmods++;
}

int sig_live_init(sig_live_t *lv, const sig_set_t *set, const bool *sel, int year, bool multi)
{
    if (!lv || !set)
        return OBD_EINVAL;
    memset(lv, 0, sizeof *lv);
    lv->set = set;
    lv->multi = multi;
    for (size_t i = 0; i < set->nsigs; i++)
        lv->sel[i] = sel ? sel[i] : !set->sigs[i].hidden;
    for (size_t c = 0; c < set->ncmds; c++) {
        const sig_command_t *cmd = &set->cmds[c];
        sig_cmd_state_t *cs = &lv->cs[c];
        cs->dlen = -1;
        if (cmd->err[0] || !sig_command_applies(cmd, year))
            continue;
        for (size_t i = cmd->first; i < (size_t)cmd->first + cmd->nsig; i++)
            if (lv->sel[i] && !set->sigs[i].err[0])
                cs->active = true;
        if (!cs->active)
            continue;
        int m = module_for(lv, cmd->tx_id, cmd->rx_id);
        if (m < 0)
            return OBD_ENOSPC;
        cs->module = (uint16_t)m;
    }
    /* selected signals whose command does not apply to this model year are not asked */
    for (size_t i = 0; i < set->nsigs; i++)
        if (lv->sel[i] && !set->sigs[i].err[0] && !lv->cs[set->sigs[i].cmd].active)
            lv->sel[i] = false;
    return OBD_OK;
}

void sig_live_free(sig_live_t *lv)
{
    if (lv) {
        free(lv->outs);
        lv->outs = NULL;
    }
}

size_t sig_live_active(const sig_live_t *lv)
{
    size_t n = 0;
    for (size_t i = 0; i < lv->set->nsigs; i++) {
        const sig_cmd_state_t *cs = &lv->cs[lv->set->sigs[i].cmd];
        n += lv->sel[i] && !lv->set->sigs[i].err[0] && cs->active && !cs->refused && !cs->given_up;
    }
    return n;
}

typedef struct {
    sig_sample_t *out;
    size_t cap, n;
    obd_lang_t lang;
} sink_t;

static void emit_cmd(sig_live_t *lv, sink_t *k, size_t c, uint8_t kind, uint8_t nrc, uint64_t now,
                     const uint8_t *data, size_t len)
{
    const sig_set_t *set = lv->set;
    const sig_command_t *cmd = &set->cmds[c];
    for (size_t i = cmd->first; i < (size_t)cmd->first + cmd->nsig; i++) {
        if (!lv->sel[i] || set->sigs[i].err[0] || k->n >= k->cap)
            continue;
        sig_sample_t *s = &k->out[k->n++];
        memset(s, 0, sizeof *s);
        s->sig = (uint16_t)i;
        s->kind = kind;
        s->nrc = nrc;
        s->t_ms = now;
        s->rx_id = cmd->rx_id;
        if (kind == SIG_EV_VALUE) {
            s->len = (uint8_t)(len > sizeof s->data ? sizeof s->data : len);
            if (s->len)
                memcpy(s->data, data, s->len);
            sig_decode(set, &set->sigs[i], data, len, k->lang, &s->v);
        }
    }
}

static void missed(sig_live_t *lv, sink_t *k, size_t c, uint64_t now)
{
    sig_cmd_state_t *cs = &lv->cs[c];
    if (++cs->misses >= SIG_LIVE_MAX_MISSES) {
        cs->given_up = true;
        emit_cmd(lv, k, c, SIG_EV_NO_ANSWER, 0, now, NULL, 0);
    }
    cs->due_ms = now + lv->set->cmds[c].period_ms;
}

static void answered(sig_live_t *lv, sink_t *k, size_t c, uint64_t now, const uint8_t *data, size_t len)
{
    sig_cmd_state_t *cs = &lv->cs[c];
    cs->misses = 0;
    cs->dlen = (int16_t)(len > 0x7FFF ? 0x7FFF : len);
    cs->due_ms = now + lv->set->cmds[c].period_ms;
    emit_cmd(lv, k, c, SIG_EV_VALUE, 0, now, data, len);
}

static int len_of(uint16_t did, void *ctx)
{
    const uint16_t *lens = ctx; /* pairs: did, len */
    for (size_t i = 0; lens[2 * i] || lens[2 * i + 1]; i++)
        if (lens[2 * i] == did)
            return lens[2 * i + 1];
    return 0;
}

/* What module m said to the request for cmds[0..n). */
static int handle(sig_live_t *lv, sink_t *k, size_t m, const size_t *cmds, size_t n, int rc,
                  const obd_replies_t *r, uint64_t now)
{
    const sig_set_t *set = lv->set;
    sig_module_t *mod = &lv->mods[m];
    if (rc < 0 && rc != OBD_ETIMEOUT && rc != OBD_EUNSUPPORTED)
        return rc;
    int idx = rc < 0 ? -1 : obd_replies_find(r, mod->rx_id);
    if (idx < 0) {
        for (size_t i = 0; i < n; i++)
            missed(lv, k, cmds[i], now);
        return OBD_OK;
    }
    const uint8_t *p = obd_reply_data(r, (size_t)idx);
    size_t len = r->r[idx].len;
    obd_nr_t nr;
    if (uds_check_reply(p, len, UDS_SVC_READ_DID, &nr) != OBD_OK) {
        for (size_t i = 0; i < n; i++)
            missed(lv, k, cmds[i], now);
        return OBD_OK;
    }
    if (nr.negative) {
        uds_nrc_class_t cl = uds_nrc_class(nr.nrc);
        if (cl == UDS_NRC_CLASS_RETRY || cl == UDS_NRC_CLASS_PENDING) {
            for (size_t i = 0; i < n; i++)
                lv->cs[cmds[i]].due_ms = now; /* busy: again next round */
            return OBD_OK;
        }
        if (n > 1) {
            if (nr.nrc == 0x13 || nr.nrc == 0x14) { /* too many DIDs at once: one fewer (exact, not halved:
                                                      * a round costs one request, a limit too low costs every round) */
                uint8_t lim = (uint8_t)(n - 1);
                if (lim < mod->max_dids) {
                    mod->max_dids = lim;
                    mod->limit_learnt = true;
                    lv->limit_changes++;
                }
            } else {
                for (size_t i = 0; i < n; i++)
                    lv->cs[cmds[i]].dlen = -1; /* find out which one it refuses: ask them alone */
            }
            for (size_t i = 0; i < n; i++)
                lv->cs[cmds[i]].due_ms = now;
            return OBD_OK;
        }
        sig_cmd_state_t *cs = &lv->cs[cmds[0]];
        cs->refused = true;
        cs->nrc = nr.nrc;
        emit_cmd(lv, k, cmds[0], SIG_EV_REFUSED, nr.nrc, now, NULL, 0);
        return OBD_OK;
    }
    if (n == 1) {
        const sig_command_t *c = &set->cmds[cmds[0]];
        if (len < 3 || (uint16_t)(p[1] << 8 | p[2]) != c->did) {
            missed(lv, k, cmds[0], now); /* an answer about another DID: not this one's */
            return OBD_OK;
        }
        answered(lv, k, cmds[0], now, p + 3, len - 3);
        return OBD_OK;
    }
    uint16_t asked[UDS_MAX_DIDS], lens[2 * UDS_MAX_DIDS + 2];
    memset(lens, 0, sizeof lens);
    for (size_t i = 0; i < n; i++) {
        asked[i] = set->cmds[cmds[i]].did;
        lens[2 * i] = asked[i];
        lens[2 * i + 1] = (uint16_t)lv->cs[cmds[i]].dlen;
    }
    uds_did_reply_t dr;
    if (uds_parse_did_reply_ex(p, len, asked, n, len_of, lens, &dr) != OBD_OK) {
        for (size_t i = 0; i < n; i++) { /* lengths changed: learn them again, one by one */
            lv->cs[cmds[i]].dlen = -1;
            lv->cs[cmds[i]].due_ms = now;
        }
        return OBD_OK;
    }
    size_t got = 0, last = 0;
    bool prefix;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t d = 0; d < dr.count; d++)
            if (dr.dids[d].did == asked[i]) {
                answered(lv, k, cmds[i], now, dr.dids[d].data, dr.dids[d].len);
                found = true;
                got++;
                last = i + 1;
            }
        if (!found) {
            lv->cs[cmds[i]].dlen = -1; /* ask it alone: supported or refused */
            lv->cs[cmds[i]].due_ms = now;
        }
    }
    prefix = got == last;
    if (got && got < n && prefix && got < mod->max_dids) { /* the tail left out: the module's limit */
        mod->max_dids = (uint8_t)got;
        mod->limit_learnt = true;
        lv->limit_changes++;
    }
    return OBD_OK;
}

typedef struct {
    size_t m;
    size_t n;
    size_t cmds[UDS_MAX_DIDS];
} plan_req_t;

#define SIG_MAX_PLAN (SIG_MAX_COMMANDS)

int sig_live_poll(sig_live_t *lv, obd_link_t *l, uint64_t now_ms, obd_lang_t lang, sig_sample_t *out, size_t cap)
{
    if (!lv || !l || (!out && cap))
        return OBD_EINVAL;
    const sig_set_t *set = lv->set;
    sink_t k = { out, cap, 0, lang };
    /* plan: per module, its due DIDs in requests (unknown lengths alone) */
    static _Thread_local plan_req_t plan[SIG_MAX_PLAN];
    size_t np = 0;
    for (size_t c = 0; c < set->ncmds && np < SIG_MAX_PLAN; c++) {
        sig_cmd_state_t *cs = &lv->cs[c];
        if (!cs->active || cs->refused || cs->given_up || cs->due_ms > now_ms)
            continue;
        size_t m = cs->module;
        plan_req_t *q = NULL;
        if (cs->dlen >= 0 && lv->mods[m].max_dids > 1)
            for (size_t i = 0; i < np; i++)
                if (plan[i].m == m && plan[i].n < lv->mods[m].max_dids && plan[i].n < UDS_MAX_DIDS &&
                    lv->cs[plan[i].cmds[0]].dlen >= 0)
                    q = &plan[i];
        if (!q) {
            q = &plan[np++];
            q->m = m;
            q->n = 0;
        }
        q->cmds[q->n++] = c;
    }
    /* waves: the k-th request of every module at once */
    if (!lv->outs && !(lv->outs = malloc(CAN_MAX_BATCH * sizeof *lv->outs)))
        return -ENOMEM;
    obd_replies_t *outs = lv->outs;
    obd_request_t reqs[CAN_MAX_BATCH];
    uint8_t bufs[CAN_MAX_BATCH][1 + 2 * UDS_MAX_DIDS];
    size_t which[CAN_MAX_BATCH];
    int rcs[CAN_MAX_BATCH];
    bool done[SIG_MAX_PLAN] = { 0 };
    size_t left = np;
    while (left) {
        size_t nb = 0;
        bool used[SIG_LIVE_MAX_MODULES] = { 0 };
        for (size_t i = 0; i < np && nb < CAN_MAX_BATCH; i++) {
            if (done[i] || used[plan[i].m])
                continue;
            used[plan[i].m] = true;
            const sig_module_t *mod = &lv->mods[plan[i].m];
            uint16_t dids[UDS_MAX_DIDS];
            uint16_t tmo = 0;
            for (size_t d = 0; d < plan[i].n; d++) {
                dids[d] = set->cmds[plan[i].cmds[d]].did;
                if (set->cmds[plan[i].cmds[d]].timeout_ms > tmo)
                    tmo = set->cmds[plan[i].cmds[d]].timeout_ms;
            }
            int bl = uds_req_read_did(bufs[nb], sizeof bufs[nb], dids, plan[i].n);
            if (bl < 0)
                return bl;
            reqs[nb] = (obd_request_t){ .to = { mod->tx_id, mod->rx_id }, .data = bufs[nb], .len = (size_t)bl,
                                        .expect = 1, .timeout_ms = tmo };
            which[nb++] = i;
        }
        int rc = can_link_request_many(l, reqs, nb, outs, rcs);
        lv->requests += (unsigned)nb;
        if (rc < 0)
            return rc;
        for (size_t b = 0; b < nb; b++) {
            const plan_req_t *q = &plan[which[b]];
            int hr = handle(lv, &k, q->m, q->cmds, q->n, rcs[b], &outs[b], now_ms);
            if (hr < 0)
                return hr;
            done[which[b]] = true;
            left--;
        }
    }
    lv->next_due_ms = 0;
    for (size_t c = 0; c < set->ncmds; c++) {
        const sig_cmd_state_t *cs = &lv->cs[c];
        if (cs->active && !cs->refused && !cs->given_up && (!lv->next_due_ms || cs->due_ms < lv->next_due_ms))
            lv->next_due_ms = cs->due_ms ? cs->due_ms : now_ms;
    }
    return (int)k.n;
}
