/* transfer.c — a model against the real interpreter of its version
 * (transfer.h). */
#include "transfer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The id without its collector: "trees.gen0-700.gen1-10.gen2-10". */
static const char *setting_of(const gct_config_summary *c)
{
    const char *dot = strchr(c->id, '.');
    return dot ? dot + 1 : c->id;
}

const gct_stat *gct_transfer_gc_stat(const gct_config_summary *c, bool model)
{
    const gct_stat *p = model ? gct_summary_stat(c, "cpython_gc_s") : NULL;
    if (p && isfinite(p->median) && p->median > 0)
        return p;
    return gct_summary_stat(c, "gc_s");
}

static double gc_median(const gct_config_summary *c, bool model)
{
    const gct_stat *st = gct_transfer_gc_stat(c, model);
    return st ? st->median : NAN;
}

size_t gct_transfer_pairs(const gct_summary *s, gct_version_lookup cpython_of,
                          gct_version_lookup interpreter_of, gct_transfer_pair *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ncollectors && n < max; i++) {
        const char *v = interpreter_of ? interpreter_of(s->collectors[i]) : NULL;
        if (!v)
            continue;
        for (size_t j = 0; j < s->ncollectors; j++) {
            const char *m = s->collectors[j];
            const char *mv = cpython_of ? cpython_of(m) : NULL;
            if (!interpreter_of(m) && mv && !strcmp(mv, v)) {
                out[n].model = m;
                out[n++].real = s->collectors[i];
                break;
            }
        }
    }
    return n;
}

size_t gct_transfer_points(const gct_summary *s, const char *wl, const char *model,
                           const char *real, const gct_config_summary **mc,
                           const gct_config_summary **rc, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n && n < max; i++) {
        const gct_config_summary *m = &s->configs[i];
        if (strcmp(m->workload, wl) || strcmp(m->collector, model) || m->aa_of[0] || !m->n)
            continue;
        for (size_t j = 0; j < s->n && n < max; j++) {
            const gct_config_summary *r = &s->configs[j];
            if (!strcmp(r->workload, wl) && !strcmp(r->collector, real) && !r->aa_of[0] && r->n &&
                !strcmp(setting_of(m), setting_of(r))) {
                mc[n] = m;
                rc[n++] = r;
            }
        }
    }
    return n;
}

/* The model's GC times mg as a prediction of the real throughput (the
 * fields' comment in transfer.h): the real default rc[def]'s wall time less
 * its GC time, plus mg scaled to the real GC time rg at the default. */
static void predict(gct_transfer *t, const double *mg, const double *rg,
                    const gct_config_summary *const *rc, size_t def, size_t n, const double *ro)
{
    t->rho_predicted = t->predicted_ratio = NAN;
    if (def == SIZE_MAX || !(mg[def] > 0) || !(rg[def] > 0))
        return;
    const gct_stat *wall = gct_summary_stat(rc[def], "wall_s");
    if (!wall || !(wall->median > rg[def]))
        return;
    double mutator = wall->median - rg[def], scale = rg[def] / mg[def];
    double *pred = malloc((n + 1) * sizeof *pred);
    if (!pred)
        return;
    size_t best = def;
    for (size_t k = 0; k < n; k++) {
        pred[k] = 1 / (mutator + scale * (isfinite(mg[k]) ? mg[k] : 0));
        if (pred[k] > pred[best])
            best = k;
    }
    t->rho_predicted = gct_spearman(pred, ro, n);
    t->predicted_ratio = pred[best] / pred[def];
    free(pred);
}

size_t gct_transfer_compare(const gct_results *rows, const gct_summary *s, const char *model,
                            const char *real, gct_transfer *out, size_t max)
{
    size_t nout = 0;
    size_t cap = s->n + 1;
    double *mo = malloc(cap * sizeof *mo), *ro = malloc(cap * sizeof *ro);
    double *mg = malloc(cap * sizeof *mg), *rg = malloc(cap * sizeof *rg);
    const gct_config_summary **mc = malloc(cap * sizeof *mc), **rc = malloc(cap * sizeof *rc);
    double *a = malloc((rows->n + 1) * sizeof *a), *b = malloc((rows->n + 1) * sizeof *b);
    for (size_t w = 0; w < s->nworkloads && nout < max; w++) {
        const char *wl = s->workloads[w];
        size_t n = gct_transfer_points(s, wl, model, real, mc, rc, cap);
        for (size_t k = 0; k < n; k++) {
            mo[k] = mc[k]->ops_s;
            ro[k] = rc[k]->ops_s;
            mg[k] = gc_median(mc[k], true);
            rg[k] = gc_median(rc[k], false);
        }
        if (!n)
            continue;
        gct_transfer *t = &out[nout++];
        memset(t, 0, sizeof *t);
        snprintf(t->workload, sizeof t->workload, "%s", wl);
        t->model = model;
        t->real = real;
        t->pairs = n;
        t->rho_ops = gct_spearman(mo, ro, n);
        t->rho_gc = gct_spearman(mg, rg, n);
        size_t mbest = 0, rbest = 0, def = SIZE_MAX;
        for (size_t k = 0; k < n; k++) {
            if (mo[k] > mo[mbest])
                mbest = k;
            if (ro[k] > ro[rbest])
                rbest = k;
            if (mc[k]->defaults)
                def = k;
        }
        t->model_ratio = def != SIZE_MAX && mo[def] > 0 ? mo[mbest] / mo[def] : NAN;
        t->real_ratio = def != SIZE_MAX && ro[def] > 0 ? ro[rbest] / ro[def] : NAN;
        t->model_pick = rc[mbest];
        t->real_best = rc[rbest];
        size_t rworst = 0;
        for (size_t k = 0; k < n; k++)
            if (ro[k] < ro[rworst])
                rworst = k;
        t->real_spread = ro[rworst] > 0 ? ro[rbest] / ro[rworst] - 1 : NAN;
        t->real_floor = gct_summary_noise_floor_own(s, wl, real, "ops_per_s");
        const gct_stat *share = def != SIZE_MAX ? gct_summary_stat(rc[def], "gc_fraction") : NULL;
        t->real_gc_share = share ? share->median : NAN;
        predict(t, mg, rg, rc, def, n, ro);
        if (mbest == rbest) {
            t->within_noise = t->decidable = true;
        } else {
            const gct_field *f = gct_result_field("ops_per_s");
            size_t na = gct_summary_samples(rows, rc[rbest]->id, f, a);
            size_t nb = gct_summary_samples(rows, rc[mbest]->id, f, b);
            double fl = gct_summary_noise_floor_in(s, wl, real, "ops_per_s");
            t->compared = gct_effect_of(a, na, b, nb, isfinite(fl) ? fl : 0, GCT_VERDICT_SEED,
                                        &t->effect) == 0;
            t->within_noise = t->compared && t->effect.direction >= 0;
            t->decidable = t->compared && isfinite(t->effect.critical);
        }
    }
    free(mo);
    free(ro);
    free(mg);
    free(rg);
    free(mc);
    free(rc);
    free(a);
    free(b);
    return nout;
}

void gct_transfer_pick_text(const gct_transfer *t, char *buf, size_t len)
{
    if (t->model_pick == t->real_best)
        snprintf(buf, len, "the same setting");
    else if (t->compared && !t->decidable)
        snprintf(buf, len, "cannot tell (too few processes): %.2fx the real fastest [%.2f, %.2f]",
                 t->effect.ratio, t->effect.lo, t->effect.hi);
    else if (t->compared)
        snprintf(buf, len, "%s: %.2fx the real fastest [%.2f, %.2f], %s",
                 t->within_noise ? "within the noise" : "slower", t->effect.ratio, t->effect.lo,
                 t->effect.hi, t->within_noise ? t->effect.why : "detected");
    else
        snprintf(buf, len, "not compared (too few processes)");
}
