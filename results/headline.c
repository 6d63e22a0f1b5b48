/* headline.c — the per-workload verdicts of a sweep (see headline.h). */
#include "headline.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"


static double stat_ratio(const gct_config_summary *b, const gct_config_summary *a, const char *f)
{
    double x = gct_summary_stat(a, f)->median, y = gct_summary_stat(b, f)->median;
    return x > 0 && isfinite(y) ? y / x : NAN;
}

/* The reference of a workload: a generational collector at its defaults. */
static const gct_config_summary *reference_of(const gct_summary *s, const char *wl)
{
    for (size_t i = 0; i < s->n; i++) {
        const gct_config_summary *c = &s->configs[i];
        if (!strcmp(c->workload, wl) && !c->aa_of[0] && c->defaults && gct_summary_is_generational(c) && c->n)
            return c;
    }
    return NULL;
}

static void describe(gct_headline *h)
{
    char best[64], ref[64], floor[32], thr[64];
    const gct_config_summary *b = h->best, *r = h->reference;
    if (!r) {
        snprintf(h->text, sizeof h->text,
                 "no generational CPython model at its default thresholds in this sweep: "
                 "nothing to compare against");
        return;
    }
    gct_summary_thresholds(r, ref, sizeof ref);
    if (!b || b == r || !h->compared) {
        snprintf(h->text, sizeof h->text,
                 "CPython's default %s is the fastest setting of %s measured here", ref,
                 r->collector);
        return;
    }
    gct_summary_thresholds(b, best, sizeof best);
    gct_fmt_pct(h->floor, floor, sizeof floor);
    /* The bar the observed difference had to clear (stats.h). */
    if (isinf(h->effect.threshold))
        snprintf(thr, sizeof thr, "anything (too few processes)");
    else
        gct_fmt_pct(h->effect.threshold, thr, sizeof thr);
    const gct_effect *e = &h->effect;
    char work[160] = "";
    if (isfinite(h->work_ratio)) {
        if (fabs(h->work_ratio - 1) < 0.01)
            snprintf(work, sizeof work, "; both do the same GC work, so a difference in time is "
                                        "not the collector's");
        else
            snprintf(work, sizeof work, "; GC work (references traversed) %.2fx the default's",
                     h->work_ratio);
    }
    if (e->direction != 0) {
        snprintf(h->text, sizeof h->text,
                 "%s is %s than the default %s: %.2fx ops/s, 95%% CI [%.2f, %.2f] (%zu vs %zu "
                 "processes, p = %.2g, A/A noise floor %s)%s",
                 best, e->direction > 0 ? "faster" : "slower", ref, e->ratio, e->lo, e->hi, e->nb,
                 e->na, e->p, isfinite(h->floor) ? floor : "not measured", work);
    } else {
        snprintf(h->text, sizeof h->text,
                 "no detectable difference between %s (the fastest median: %.2fx, 95%% CI "
                 "[%.2f, %.2f], p = %.2g) and the default %s: with this spread, %zu vs %zu "
                 "processes call only a difference of more than %s (%s; more --reps narrow "
                 "it)%s",
                 best, e->ratio, e->lo, e->hi, e->p, ref, e->nb, e->na, thr, e->why ? e->why : "",
                 work);
    }
}

size_t gct_headlines(const gct_results *rows, const gct_summary *s, gct_headline *out, size_t max)
{
    double *a = calloc(rows->n + 1, sizeof *a), *b = calloc(rows->n + 1, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return 0;
    }
    size_t n = 0;
    for (size_t w = 0; w < s->nworkloads && n < max; w++) {
        gct_headline *h = &out[n++];
        memset(h, 0, sizeof *h);
        h->workload = s->workloads[w];
        h->work_ratio = h->predicted_ratio = NAN;
        h->reference = reference_of(s, h->workload);
        h->floor = gct_summary_noise_floor_in(s, h->workload,
                                              h->reference ? h->reference->collector : NULL,
                                              "ops_per_s");
        if (h->reference) {
            for (size_t i = 0; i < s->n; i++) {
                const gct_config_summary *c = &s->configs[i];
                if (!gct_summary_is_candidate(c) || strcmp(c->workload, h->workload) ||
                    strcmp(c->collector, h->reference->collector))
                    continue;
                if (!h->best || c->ops_s > h->best->ops_s)
                    h->best = c;
            }
        }
        if (h->reference && h->best && h->best != h->reference) {
            const gct_field *ops = gct_result_field("ops_per_s");
            size_t na = gct_summary_samples(rows, h->reference->id, ops, a);
            size_t nb = gct_summary_samples(rows, h->best->id, ops, b);
            double floor = isfinite(h->floor) ? h->floor : 0;
            h->compared = gct_effect_of(a, na, b, nb, floor, GCT_VERDICT_SEED, &h->effect) == 0;
            h->work_ratio = stat_ratio(h->best, h->reference, "gc_traversed");
            h->predicted_ratio = stat_ratio(h->best, h->reference, "cpython_gc_s");
        }
        describe(h);
    }
    free(a);
    free(b);
    return n;
}
