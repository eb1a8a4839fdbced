/*
 * report_load.c — fill a report model from the evidence store. The only file
 * of the report code that calls store_* functions, so the model, the
 * renderers and their tests stand without a store.
 *
 * Ids are collected first and loaded afterwards, so no store call is made
 * from inside another store call's callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/report.h"
#include "obdgw/store.h"

typedef struct {
    int64_t *ids;
    size_t n, cap;
    int err;
} idlist_t;

static int push_id(idlist_t *l, int64_t id)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        int64_t *a = realloc(l->ids, nc * sizeof *a);
        if (!a) {
            l->err = -ENOMEM;
            return 1;
        }
        l->ids = a;
        l->cap = nc;
    }
    l->ids[l->n++] = id;
    return 0;
}

static int scan_cb(void *ctx, const store_scan_meta_t *m)
{
    return push_id(ctx, m->id);
}

static int finding_cb(void *ctx, const store_finding_t *f)
{
    report_t *r = ctx;
    return report_add_finding(r, f) < 0;
}

typedef struct {
    store_recording_t *recs;
    size_t n;
    int err;
} reclist_t;

static int rec_cb(void *ctx, const store_recording_t *rec)
{
    reclist_t *l = ctx;
    store_recording_t *a = realloc(l->recs, (l->n + 1) * sizeof *a);
    if (!a) {
        l->err = -ENOMEM;
        return 1;
    }
    l->recs = a;
    a[l->n++] = *rec;
    return 0;
}

typedef struct {
    report_t *r;
    size_t rec;
    obd_live_sample_t buf[1024];
    size_t n;
    int err;
} sampler_t;

static int stat_cb(void *ctx, const store_rec_stat_t *s)
{
    sampler_t *sp = ctx;
    return report_rec_add_stat(sp->r, sp->rec, s) < 0;
}

static int sample_cb(void *ctx, const obd_live_sample_t *s)
{
    sampler_t *sp = ctx;
    sp->buf[sp->n++] = *s;
    if (sp->n == sizeof sp->buf / sizeof sp->buf[0]) {
        sp->err = report_rec_add_samples(sp->r, sp->rec, sp->buf, sp->n);
        sp->n = 0;
        if (sp->err < 0)
            return 1;
    }
    return 0;
}

/* ECUs that answered an earlier scan of the RO but not this one. */
static int derive_silent(report_t *r)
{
    for (size_t i = 1; i < r->nscans; i++) {
        const obd_scan_t *s = r->scans[i].scan;
        for (size_t j = 0; j < i; j++) {
            const obd_scan_t *e = r->scans[j].scan;
            for (size_t k = 0; k < e->necus; k++) {
                if (!qc_ecu_answered(&e->ecus[k]))
                    continue;
                uint32_t a = e->ecus[k].addr;
                bool here = false;
                for (size_t q = 0; q < s->necus; q++)
                    if (s->ecus[q].addr == a && qc_ecu_answered(&s->ecus[q]))
                        here = true;
                bool known = false;
                for (size_t q = 0; q < r->nsilent; q++)
                    if (r->silent[q].addr == a && r->silent[q].scan_id == r->scans[i].meta.id)
                        known = true;
                if (!here && !known) {
                    int rc = report_add_silent_ecu(r, r->scans[i].meta.id, a, e->ecus[k].name);
                    if (rc < 0)
                        return rc;
                }
            }
        }
    }
    return OBD_OK;
}

typedef struct {
    report_t *r;
    size_t rec;
    int err;
} sigctx_t;

static int sig_cb(void *ctx, const store_rec_sigstat_t *s)
{
    sigctx_t *c = ctx;
    c->err = report_rec_add_signal_stat(c->r, c->rec, s);
    return c->err < 0;
}

static int load_recordings(store_t *st, const char *ro, report_t *r)
{
    reclist_t rl = { 0 };
    int rc = store_rec_list(st, ro, rec_cb, &rl);
    if (rc >= 0 && rl.err < 0)
        rc = rl.err;
    sampler_t *sp = rc >= 0 ? malloc(sizeof *sp) : NULL;
    if (rc >= 0 && !sp)
        rc = -ENOMEM;
    for (size_t i = 0; rc >= 0 && i < rl.n; i++) {
        int idx = report_add_recording(r, &rl.recs[i]);
        if (idx < 0) {
            rc = idx;
            break;
        }
        memset(sp, 0, sizeof *sp);
        sp->r = r;
        sp->rec = (size_t)idx;
        rc = store_rec_stats(st, rl.recs[i].id, stat_cb, sp);
        if (rc < 0)
            break;
        sigctx_t sc = { r, (size_t)idx, 0 };
        rc = store_rec_signal_stats(st, rl.recs[i].id, sig_cb, &sc);
        if (rc >= 0 && sc.err < 0)
            rc = sc.err;
        if (rc < 0)
            break;
        rc = store_rec_samples(st, rl.recs[i].id, sample_cb, sp);
        if (rc >= 0 && sp->err < 0)
            rc = sp->err;
        if (rc >= 0 && sp->n)
            rc = report_rec_add_samples(r, sp->rec, sp->buf, sp->n);
    }
    free(sp);
    free(rl.recs);
    return rc < 0 ? rc : OBD_OK;
}

static int load_scan_into(store_t *st, int64_t id, report_t *r)
{
    obd_scan_t *s = malloc(sizeof *s);
    if (!s)
        return -ENOMEM;
    store_scan_meta_t m;
    int rc = store_scan_load(st, id, s, &m);
    if (rc >= 0)
        rc = report_add_scan(r, &m, s);
    free(s);
    return rc;
}

static int uds_cb(void *ctx, const store_uds_meta_t *m)
{
    idlist_t *l = ctx;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        int64_t *ni = realloc(l->ids, nc * sizeof *ni);
        if (!ni) {
            l->err = -ENOMEM;
            return 1;
        }
        l->ids = ni;
        l->cap = nc;
    }
    l->ids[l->n++] = m->id;
    return 0;
}

/* Every UDS scan of the RO into the report (a few hundred KB each while loading). */
static int load_uds(store_t *st, const char *ro, report_t *r)
{
    idlist_t ids = { 0 };
    int rc = store_uds_list(st, ro, -1, uds_cb, &ids);
    if (rc >= 0 && ids.err < 0)
        rc = ids.err;
    uds_scan_t *s = rc >= 0 && ids.n ? malloc(sizeof *s) : NULL;
    if (rc >= 0 && ids.n && !s)
        rc = -ENOMEM;
    for (size_t i = 0; rc >= 0 && i < ids.n; i++) {
        store_uds_meta_t m;
        rc = store_uds_load(st, ids.ids[i], s, &m);
        if (rc >= 0)
            rc = report_add_uds_scan(r, &m, s);
    }
    free(s);
    free(ids.ids);
    return rc < 0 ? rc : OBD_OK;
}

int report_qc_add_uds(store_t *st, const char *ro, qc_result_t *res)
{
    if (!st || !ro || !res)
        return OBD_EINVAL;
    static const store_stage_t pre_stages[] = { STORE_STAGE_RECEPTION };
    static const store_stage_t post_stages[] = { STORE_STAGE_POST, STORE_STAGE_QC };
    int64_t pre_id = 0, post_id = 0;
    int rp = store_uds_latest(st, ro, pre_stages, 1, &pre_id);
    int rq = store_uds_latest(st, ro, post_stages, 2, &post_id);
    if ((rp && rp != OBD_ENOTFOUND) || (rq && rq != OBD_ENOTFOUND))
        return rp && rp != OBD_ENOTFOUND ? rp : rq;
    uds_scan_t *pre = rp ? NULL : malloc(sizeof *pre), *post = rq ? NULL : malloc(sizeof *post);
    int rc = OBD_OK;
    if ((!rp && !pre) || (!rq && !post))
        rc = -ENOMEM;
    if (!rc && pre)
        rc = store_uds_load(st, pre_id, pre, NULL);
    if (!rc && post)
        rc = store_uds_load(st, post_id, post, NULL);
    if (!rc)
        rc = qc_add_uds(res, pre, post);
    free(pre);
    free(post);
    return rc;
}

int report_load_ro(store_t *st, const char *ro, report_kind_t kind, obd_lang_t lang, dtcdb_t *db, report_t *out)
{
    if (!st || !ro || !out)
        return OBD_EINVAL;
    report_init(out, kind, lang);
    store_wo_t wo;
    int rc = store_wo_get(st, ro, &wo);
    if (rc < 0)
        return rc;
    report_set_wo(out, &wo);

    idlist_t ids = { 0 };
    rc = store_scan_list(st, ro, -1, scan_cb, &ids);
    if (rc >= 0 && ids.err < 0)
        rc = ids.err;
    for (size_t i = 0; rc >= 0 && i < ids.n; i++)
        rc = load_scan_into(st, ids.ids[i], out);
    free(ids.ids);
    if (rc >= 0)
        rc = derive_silent(out);
    if (rc >= 0)
        rc = load_uds(st, ro, out);
    if (rc >= 0)
        rc = store_finding_list(st, ro, finding_cb, out);
    if (rc >= 0)
        rc = load_recordings(st, ro, out);
    if (rc >= 0 && kind == REPORT_QC) {
        /* The store keeps the sign-off's hash; whether it still matches is
         * worth printing on any later copy of the report. */
        char sha[65] = "", who[48] = "";
        int64_t when = 0;
        int v = store_qc_verify(st, ro, sha);
        if ((v == OBD_OK || v == OBD_EBADDATA) && store_qc_get(st, ro, who, &when, NULL, v == OBD_OK ? NULL : sha))
            who[0] = 0;
        if (v == OBD_OK || v == OBD_EBADDATA)
            report_set_signoff(out, who, when, sha, v == OBD_OK);
    }
    if (rc >= 0)
        rc = report_finish(out, db);
    if (rc < 0) {
        report_free(out);
        report_init(out, kind, lang);
    }
    return rc;
}

int report_load_scan(store_t *st, int64_t scan_id, obd_lang_t lang, dtcdb_t *db, report_t *out)
{
    if (!st || !out)
        return OBD_EINVAL;
    report_init(out, REPORT_DIAGNOSTIC, lang);
    int rc = load_scan_into(st, scan_id, out);
    if (rc >= 0 && out->nscans == 1 && out->scans[0].meta.ro[0]) {
        store_wo_t wo;
        char ro[STORE_RO_LEN];
        snprintf(ro, sizeof ro, "%s", out->scans[0].meta.ro);
        rc = store_wo_get(st, ro, &wo);
        if (rc >= 0) {
            report_set_wo(out, &wo);
            rc = store_finding_list(st, ro, finding_cb, out);
        }
    }
    out->primary = 0;
    if (rc >= 0)
        rc = report_finish(out, db);
    if (rc < 0) {
        report_free(out);
        report_init(out, REPORT_DIAGNOSTIC, lang);
    }
    return rc;
}
