/*
 * tune.c — the objective, the limits and the halving decisions of `gctune
 * tune` (tune.h).
 */
#define _GNU_SOURCE
#include "tune.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "stats.h"

const gct_tune_metric_info gct_tune_metrics[GCT_TUNE_NMETRICS] = {
    [GCT_TUNE_THROUGHPUT] = {"throughput", "ops_per_s", "throughput", true},
    [GCT_TUNE_P99] = {"p99", "pause_p99_us", "p99 pause", false},
    [GCT_TUNE_MAX_PAUSE] = {"max-pause", "pause_max_us", "longest pause", false},
    [GCT_TUNE_MEMORY] = {"memory", "peak_bytes", "peak memory", false},
    [GCT_TUNE_GC_FRACTION] = {"gc-fraction", "gc_fraction", "GC-time fraction", false},
};

int gct_tune_metric_by_name(const char *name)
{
    for (int i = 0; i < GCT_TUNE_NMETRICS; i++)
        if (!strcmp(gct_tune_metrics[i].name, name))
            return i;
    return -1;
}

/* ---- limits --------------------------------------------------------------- */

/* text = number + the rest; false if no number leads it. */
static bool leading_number(const char *text, double *v, const char **rest)
{
    if (!isdigit((unsigned char)text[0]) && !(text[0] == '.' && isdigit((unsigned char)text[1])))
        return false; /* no sign, no spaces, no hexadecimal */
    char *end;
    *v = strtod(text, &end);
    if (end == text || !isfinite(*v))
        return false;
    for (const char *p = text; p < end; p++)
        if (!isdigit((unsigned char)*p) && *p != '.')
            return false; /* strtod's exponents and "inf" are not numbers here */
    *rest = end;
    return true;
}

static bool unit_scale(gct_tune_metric m, const char *u, double *scale)
{
    static const struct {
        const char *suffix;
        double us;
    } times[] = {{"ns", 1e-3}, {"us", 1}, {"µs", 1}, {"ms", 1e3}, {"s", 1e6}};
    static const struct {
        const char *suffix;
        double bytes;
    } sizes[] = {{"", 1},
                 {"B", 1},
                 {"k", 1024},
                 {"K", 1024},
                 {"KB", 1024},
                 {"KiB", 1024},
                 {"M", 1048576},
                 {"MB", 1048576},
                 {"MiB", 1048576},
                 {"G", 1073741824},
                 {"GB", 1073741824},
                 {"GiB", 1073741824}};
    switch (m) {
    case GCT_TUNE_P99:
    case GCT_TUNE_MAX_PAUSE:
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
            if (!strcmp(u, times[i].suffix)) {
                *scale = times[i].us;
                return true;
            }
        return false;
    case GCT_TUNE_MEMORY:
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            if (!strcmp(u, sizes[i].suffix)) {
                *scale = sizes[i].bytes;
                return true;
            }
        return false;
    case GCT_TUNE_GC_FRACTION:
        if (!strcmp(u, "%")) {
            *scale = 0.01;
            return true;
        }
        *scale = 1;
        return !u[0];
    case GCT_TUNE_THROUGHPUT:
        *scale = 1;
        return !u[0] || !strcmp(u, "ops/s");
    default:
        return false;
    }
}

int gct_tune_parse_limit(gct_tune_metric metric, const char *text, gct_tune_limit *out,
                         char *err, size_t errlen)
{
    static const char *const expect[GCT_TUNE_NMETRICS] = {
        [GCT_TUNE_THROUGHPUT] = "ops/s, e.g. 5000, or a factor of the default's, e.g. 0.9x",
        [GCT_TUNE_P99] = "a time, e.g. 2ms, 800us, or a factor of the default's, e.g. 2x",
        [GCT_TUNE_MAX_PAUSE] = "a time, e.g. 20ms, or a factor of the default's, e.g. 2x",
        [GCT_TUNE_MEMORY] = "a size, e.g. 512M, 1.5G, or a factor of the default's, e.g. 1.1x",
        [GCT_TUNE_GC_FRACTION] = "a fraction, e.g. 0.05 or 5%, or a factor of the default's",
    };
    memset(out, 0, sizeof *out);
    out->metric = metric;
    snprintf(out->text, sizeof out->text, "%s", text);
    double v;
    const char *rest;
    double scale;
    if (!leading_number(text, &v, &rest))
        goto bad;
    if (!strcmp(rest, "x")) {
        out->relative = true;
        out->value = v;
    } else if (unit_scale(metric, rest, &scale)) {
        out->value = v * scale;
    } else {
        goto bad;
    }
    if (!(out->value > 0))
        goto bad;
    return 0;
bad:
    snprintf(err, errlen, "--max-%s '%s': expected %s", gct_tune_metrics[metric].name, text,
             expect[metric]);
    if (metric == GCT_TUNE_THROUGHPUT)
        snprintf(err, errlen, "--min-throughput '%s': expected %s", text, expect[metric]);
    return -1;
}

static void fmt_value(gct_tune_metric m, double v, char *buf, size_t len)
{
    switch (m) {
    case GCT_TUNE_P99:
    case GCT_TUNE_MAX_PAUSE: gct_fmt_us_ascii(v, buf, len); break;
    case GCT_TUNE_MEMORY: gct_fmt_bytes(v, buf, len); break;
    case GCT_TUNE_GC_FRACTION: gct_fmt_pct(v, buf, len); break;
    default: snprintf(buf, len, "%.0f ops/s", v); break;
    }
}

void gct_tune_limit_describe(const gct_tune_limit *l, double reference_median, char *buf,
                             size_t len)
{
    const gct_tune_metric_info *mi = &gct_tune_metrics[l->metric];
    const char *op = mi->higher_is_better ? ">=" : "<=";
    char v[48];
    if (l->relative) {
        fmt_value(l->metric, l->value * reference_median, v, sizeof v);
        snprintf(buf, len, "%s %s %gx the default's (%s)", mi->label, op, l->value, v);
    } else {
        fmt_value(l->metric, l->value, v, sizeof v);
        snprintf(buf, len, "%s %s %s", mi->label, op, v);
    }
}

/* ---- evaluation ------------------------------------------------------------ */

static double median_of(const gct_config_summary *c, const char *field)
{
    const gct_stat *st = gct_summary_stat(c, field);
    return st ? st->median : NAN;
}

/* How much worse a is than b on metric m, as a ratio - 1 on the scale the
 * noise floor is measured on (0: not worse; INFINITY: b is 0 and a not). */
static double worse_by(gct_tune_metric m, double a, double b)
{
    if (!isfinite(a) || !isfinite(b))
        return NAN;
    if (gct_tune_metrics[m].higher_is_better) {
        if (a >= b)
            return 0;
        return a > 0 ? b / a - 1 : INFINITY;
    }
    if (a <= b)
        return 0;
    return b > 0 ? a / b - 1 : INFINITY;
}

/* qsort cannot see the goal: the objective rides in a file-level variable
 * for the one comparison that needs it. */
static gct_tune_metric sort_objective;

/* Feasible first, by the objective (ties: less GC work, then the id);
 * then the infeasible, the closest to feasible first. */
static int cmp_entries(const void *pa, const void *pb)
{
    const gct_tune_entry *a = pa, *b = pb;
    if (a->feasible != b->feasible)
        return a->feasible ? -1 : 1;
    if (!a->feasible) {
        double ma = a->binding >= 0 ? a->margin[a->binding] : -INFINITY;
        double mb = b->binding >= 0 ? b->margin[b->binding] : -INFINITY;
        if (ma != mb)
            return ma > mb ? -1 : 1;
    }
    double va = a->value[sort_objective], vb = b->value[sort_objective];
    bool hi = gct_tune_metrics[sort_objective].higher_is_better;
    if (isfinite(va) != isfinite(vb))
        return isfinite(va) ? -1 : 1;
    if (va != vb)
        return (hi ? va > vb : va < vb) ? -1 : 1;
    if (a->work != b->work && isfinite(a->work) && isfinite(b->work))
        return a->work < b->work ? -1 : 1;
    return strcmp(a->c->id, b->c->id);
}

size_t gct_tune_evaluate(const gct_summary *s, const char *workload, const char *collector,
                         const gct_tune_goal *goal, gct_tune_entry *out, size_t max,
                         const gct_config_summary **reference)
{
    const gct_config_summary *ref = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const gct_config_summary *c = &s->configs[i];
        if (c->defaults && !c->aa_of[0] && c->n && !strcmp(c->workload, workload) &&
            !strcmp(c->collector, collector))
            ref = c;
    }
    if (reference)
        *reference = ref;
    if (!ref)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < s->n && n < max; i++) {
        const gct_config_summary *c = &s->configs[i];
        if (strcmp(c->workload, workload) || strcmp(c->collector, collector) ||
            !gct_summary_is_candidate(c))
            continue;
        gct_tune_entry *e = &out[n++];
        memset(e, 0, sizeof *e);
        e->c = c;
        e->is_reference = c == ref;
        for (int m = 0; m < GCT_TUNE_NMETRICS; m++)
            e->value[m] = median_of(c, gct_tune_metrics[m].field);
        e->work = median_of(c, "gc_traversed");
        e->feasible = true;
        e->binding = -1;
        for (size_t k = 0; k < goal->nlimits; k++) {
            const gct_tune_limit *l = &goal->limits[k];
            const bool hi = gct_tune_metrics[l->metric].higher_is_better;
            double at = l->relative ? l->value * median_of(ref, gct_tune_metrics[l->metric].field)
                                    : l->value;
            double v = e->value[l->metric];
            e->limit_at[k] = at;
            double margin;
            if (!isfinite(v) || !isfinite(at))
                margin = -INFINITY;
            else if (at == 0)
                margin = v == 0 ? 0 : (hi ? INFINITY : -INFINITY);
            else
                margin = hi ? (v - at) / at : (at - v) / at;
            e->margin[k] = margin;
            if (margin < 0)
                e->feasible = false;
            if (e->binding < 0 || margin < e->margin[e->binding])
                e->binding = (int)k;
        }
        e->state = GCT_TUNE_ALIVE;
    }
    sort_objective = goal->objective;
    qsort(out, n, sizeof *out, cmp_entries);
    return n;
}

/* The collector's work, exactly: two configurations that agree on it ran the
 * same collections over the same objects. */
static bool same_work(const gct_config_summary *a, const gct_config_summary *b)
{
    static const char *const fields[] = {"collections_gen0", "collections_gen1",
                                         "collections_gen2", "gc_examined",
                                         "gc_traversed",     "gc_freed"};
    if (!a->work_exact || !b->work_exact)
        return false;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        double x = median_of(a, fields[i]), y = median_of(b, fields[i]);
        if (!(x == y))
            return false;
    }
    return true;
}

/* The A/A twins' floor of metric m (the candidates' collector's pair, if it
 * has one); NaN when no twin ran. */
static double floor_of(const gct_summary *s, const char *workload, const gct_tune_entry *e,
                       size_t n, gct_tune_metric m)
{
    return gct_summary_noise_floor_in(s, workload, n ? e[0].c->collector : NULL,
                                      gct_tune_metrics[m].field);
}

/* Feasible first (by the medians: one whose breach the noise could explain
 * stays in the race, behind the ones that meet every limit), then less GC
 * work, then the measured order. */
static int cmp_work(const void *pa, const void *pb)
{
    const gct_tune_entry *a = *(const gct_tune_entry *const *)pa;
    const gct_tune_entry *b = *(const gct_tune_entry *const *)pb;
    if (a->feasible != b->feasible)
        return a->feasible ? -1 : 1;
    if (a->work != b->work && isfinite(a->work) && isfinite(b->work))
        return a->work < b->work ? -1 : 1;
    return a < b ? -1 : a > b; /* otherwise the measured order */
}

/* Configurations that did exactly the same GC work are A/A pairs too: their
 * difference on metric m is noise.  The widest such difference among the
 * entries still in the race, on the floor's scale (NaN: no pair). */
static double same_work_spread(const gct_tune_entry *e, size_t n, const bool *alive,
                               gct_tune_metric m)
{
    double worst = NAN;
    for (size_t i = 0; i < n; i++) {
        if (alive && !alive[i])
            continue;
        for (size_t j = i + 1; j < n; j++) {
            if ((alive && !alive[j]) || !same_work(e[i].c, e[j].c))
                continue;
            double a = e[i].value[m], b = e[j].value[m];
            if (!(a > 0 && b > 0))
                continue;
            double w = (a > b ? a / b : b / a) - 1;
            if (!(w <= worst))
                worst = w;
        }
    }
    return worst;
}

/* The noise floor of metric m: the A/A twins', or wider if configurations
 * of the same GC work landed further apart.  Neither measured: INFINITY,
 * so that nothing is dropped for a difference nobody knows to be real. */
static double noise_of(const gct_summary *s, const char *workload, const gct_tune_entry *e,
                       size_t n, const bool *alive, gct_tune_metric m)
{
    double f = floor_of(s, workload, e, n, m), w = same_work_spread(e, n, alive, m);
    if (isnan(f) && isnan(w))
        return INFINITY;
    if (isnan(f) || w > f)
        return w;
    return f;
}

size_t gct_tune_select(const gct_summary *s, const char *workload, const gct_tune_goal *goal,
                       gct_tune_entry *e, size_t n, const bool *alive, size_t keep)
{
    if (keep < 1)
        keep = 1;
    const gct_tune_metric obj = goal->objective;
    const gct_tune_metric_info *om = &gct_tune_metrics[obj];
    const double ofloor = noise_of(s, workload, e, n, alive, obj);
    const gct_tune_entry *best = NULL;
    for (size_t i = 0; i < n && !best; i++)
        if ((!alive || alive[i]) && e[i].feasible)
            best = &e[i];
    char a[48], b[48], f[32];
    gct_tune_entry **left = calloc(n ? n : 1, sizeof *left);
    size_t nleft = 0;
    for (size_t i = 0; i < n; i++) {
        gct_tune_entry *x = &e[i];
        if (alive && !alive[i]) {
            x->state = GCT_TUNE_HALVED; /* out of the race earlier; why[] says why */
            continue;
        }
        x->state = GCT_TUNE_ALIVE;
        if (!x->feasible && x->binding >= 0) {
            const gct_tune_limit *l = &goal->limits[x->binding];
            double fl = noise_of(s, workload, e, n, alive, l->metric);
            double over = worse_by(l->metric, x->value[l->metric], x->limit_at[x->binding]);
            if (!(over <= fl)) {
                x->state = GCT_TUNE_INFEASIBLE;
                fmt_value(l->metric, x->value[l->metric], a, sizeof a);
                fmt_value(l->metric, x->limit_at[x->binding], b, sizeof b);
                gct_fmt_pct(fl, f, sizeof f);
                snprintf(x->why, sizeof x->why, "%s %s over the limit %s (beyond the noise "
                                                "floor %s)",
                         gct_tune_metrics[l->metric].label, a, b, f);
                continue;
            }
        }
        if (best && x != best) {
            double w = worse_by(obj, x->value[obj], best->value[obj]);
            if (!(w <= ofloor)) {
                x->state = GCT_TUNE_LOSES;
                gct_fmt_pct(isfinite(w) ? w : 1e9, a, sizeof a);
                gct_fmt_pct(ofloor, f, sizeof f);
                snprintf(x->why, sizeof x->why, "%s %s worse than %s's, beyond the noise floor %s",
                         om->label, isfinite(w) ? a : "infinitely", best->c->id, f);
                continue;
            }
        }
        bool dup = false;
        for (size_t k = 0; k < nleft && !dup; k++)
            if (same_work(left[k]->c, x->c)) {
                dup = true;
                x->state = GCT_TUNE_SAME_WORK;
                snprintf(x->why, sizeof x->why,
                         "the same GC work as %s (time cannot tell them apart)", left[k]->c->id);
            }
        if (!dup)
            left[nleft++] = x;
    }
    if (nleft > keep) {
        /* Time cannot tell these apart: for throughput the collector's work
         * decides (less traversing is less time on CPython), else the
         * measured order; feasible ones first either way (the entries are
         * sorted so already). */
        if (obj == GCT_TUNE_THROUGHPUT)
            qsort(left, nleft, sizeof *left, cmp_work);
        for (size_t k = keep; k < nleft; k++) {
            left[k]->state = GCT_TUNE_HALVED;
            snprintf(left[k]->why, sizeof left[k]->why,
                     obj == GCT_TUNE_THROUGHPUT
                         ? "within the noise of the best; more GC work than the %zu kept"
                         : "within the noise of the best; behind the %zu kept",
                     keep);
        }
        nleft = keep;
    } else if (obj == GCT_TUNE_THROUGHPUT) {
        qsort(left, nleft, sizeof *left, cmp_work);
    }
    for (size_t k = 0; k < nleft; k++)
        left[k]->keep_rank = k;
    free(left);
    return nleft;
}

const gct_tune_entry *gct_tune_best(const gct_tune_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].feasible)
            return &e[i];
    return NULL;
}

void gct_tune_explain_infeasible(const gct_tune_goal *goal, const gct_tune_entry *e, size_t n,
                                 char *buf, size_t len)
{
    if (!n || e[0].binding < 0) {
        snprintf(buf, len, "no configuration ran");
        return;
    }
    const gct_tune_entry *x = &e[0]; /* sorted: the closest to feasible first */
    const gct_tune_limit *l = &goal->limits[x->binding];
    const gct_tune_metric_info *mi = &gct_tune_metrics[l->metric];
    char v[48], at[48], by[32];
    fmt_value(l->metric, x->value[l->metric], v, sizeof v);
    fmt_value(l->metric, x->limit_at[x->binding], at, sizeof at);
    gct_fmt_pct(-x->margin[x->binding], by, sizeof by);
    char rel[64] = "";
    if (l->relative)
        snprintf(rel, sizeof rel, " (%s the default's)", l->text);
    snprintf(buf, len, "nothing meets %s %s %s%s: the closest, %s, has %s, %s %s the limit",
             mi->label, mi->higher_is_better ? ">=" : "<=", at, rel, x->c->id, v, by,
             mi->higher_is_better ? "under" : "over");
}


/* Whether the knobs text ("gen0=700;...;freeze=1") sets name to 1. */
static bool knob_on(const char *knobs, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = knobs; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL)
        if (!strncmp(p, name, n) && p[n] == '=' && p[n + 1] == '1' &&
            (p[n + 2] == ';' || !p[n + 2]))
            return true;
    return false;
}

/* "10000/10/10", with ", gc.freeze()" when it freezes after start-up and
 * "gc.disable()" for a gen0 of 0: what a setting means to a CPython user. */
static void setting_text(const gct_config_summary *c, char *buf, size_t len)
{
    if (c->gen0 == 0)
        snprintf(buf, len, "gc.disable()");
    else
        gct_summary_thresholds(c, buf, len);
    if (knob_on(c->knobs, "freeze"))
        gct_appendf(buf, len, ", gc.freeze()");
}

/* ---- a recommendation from a sweep ----------------------------------------- */

/* Every one of at least two processes measured the same (a deterministic
 * metric, such as the model's peak memory); one process proves nothing. */
static bool all_equal(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return false;
    return n > 1;
}

int gct_tune_recommend(const gct_results *rows, const gct_summary *s, const char *workload,
                       const char *collector, const gct_tune_goal *goal, uint64_t seed,
                       gct_recommendation *out)
{
    return gct_tune_recommend_among(rows, s, workload, collector, goal, seed, NULL, 0, out);
}

static bool named(const char *id, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return true;
    return false;
}

int gct_tune_recommend_among(const gct_results *rows, const gct_summary *s, const char *workload,
                             const char *collector, const gct_tune_goal *goal, uint64_t seed,
                             const char *const *ids, size_t nids, gct_recommendation *out)
{
    memset(out, 0, sizeof *out);
    out->ratio = out->lo = out->hi = NAN;
    size_t max = s->n + 1;
    gct_tune_entry *e = calloc(max, sizeof *e);
    size_t n = gct_tune_evaluate(s, workload, collector, goal, e, max, &out->reference);
    if (!out->reference) {
        snprintf(out->text, sizeof out->text, "%s did not run at its defaults on %s", collector,
                 workload);
        free(e);
        return -1;
    }
    const gct_tune_entry *best = NULL;
    for (size_t i = 0; i < n && !best; i++)
        if (e[i].feasible && (!ids || e[i].is_reference || named(e[i].c->id, ids, nids)))
            best = &e[i];
    if (!best) {
        gct_tune_explain_infeasible(goal, e, n, out->text, sizeof out->text);
        free(e);
        return 0;
    }
    out->best = best->c;
    const gct_tune_metric_info *om = &gct_tune_metrics[goal->objective];
    const gct_field *f = gct_result_field(om->field);
    double *a = calloc(rows->n + 1, sizeof *a), *b = calloc(rows->n + 1, sizeof *b);
    size_t na = gct_summary_samples(rows, out->reference->id, f, a);
    size_t nb = gct_summary_samples(rows, best->c->id, f, b);
    char thr[48];
    setting_text(best->c, thr, sizeof thr);
    if (best->c == out->reference) {
        out->choice = out->reference;
        snprintf(out->text, sizeof out->text, "the default (%s) is the best measured", thr);
    } else if (all_equal(a, na) && all_equal(b, nb) && a[0] > 0) {
        /* Deterministic (the model's memory): the values are the answer. */
        out->ratio = out->lo = out->hi = b[0] / a[0];
        out->detected = b[0] != a[0];
        out->choice = out->detected ? best->c : out->reference;
        snprintf(out->text, sizeof out->text, "%s: %s %.3gx the default's, exactly (the same in "
                                              "every process)",
                 thr, om->label, out->ratio);
    } else {
        double fl = gct_summary_noise_floor_in(s, workload, collector, om->field);
        gct_effect eff;
        if (gct_effect_of(a, na, b, nb, isfinite(fl) ? fl : 0, seed, &eff) == 0) {
            out->ratio = eff.ratio;
            out->lo = eff.lo;
            out->hi = eff.hi;
            bool better = om->higher_is_better ? eff.direction > 0 : eff.direction < 0;
            out->detected = better;
            out->choice = better ? best->c : out->reference;
            if (better) {
                snprintf(out->text, sizeof out->text,
                         "%s: %s %.2fx the default's [%.2f, %.2f], beyond the noise floor", thr,
                         om->label, eff.ratio, eff.lo, eff.hi);
            } else {
                char t[32] = "";
                if (isfinite(eff.threshold))
                    gct_fmt_pct(eff.threshold, t, sizeof t);
                snprintf(out->text, sizeof out->text,
                         "keep the default: the best measured, %s (%s %.2fx the default's), is "
                         "not detectably different (%s%s%s)",
                         thr, om->label, eff.ratio, eff.why, t[0] ? "; it would take " : "", t);
            }
        } else {
            out->choice = out->reference;
            snprintf(out->text, sizeof out->text, "keep the default: too few processes to "
                                                  "compare %s with it", thr);
        }
    }
    /* Keeping a default that breaks a limit is no answer: the best feasible
     * one is, whatever time could tell. */
    const gct_tune_entry *re = NULL;
    for (size_t i = 0; i < n; i++)
        if (e[i].c == out->reference)
            re = &e[i];
    if (out->choice == out->reference && re && !re->feasible) {
        out->choice = best->c;
        snprintf(out->text, sizeof out->text, "%s: the default breaks a limit and %s does not "
                                              "(%s %.2fx the default's)",
                 thr, thr, om->label, out->ratio);
    }
    for (size_t k = 0; k < goal->nlimits && out->choice; k++) {
        const gct_tune_entry *c = NULL;
        for (size_t i = 0; i < n; i++)
            if (e[i].c == out->choice)
                c = &e[i];
        if (!c)
            continue;
        char d[160], room[32];
        gct_tune_limit_describe(&goal->limits[k],
                                median_of(out->reference,
                                          gct_tune_metrics[goal->limits[k].metric].field),
                                d, sizeof d);
        gct_fmt_pct(c->margin[k], room, sizeof room);
        gct_appendf(out->text, sizeof out->text, "; %s: %s%s room", d,
                    c->margin[k] >= 0 ? "" : "over, ", room);
    }
    /* A choice whose memory still grows is said to be so, never silently
     * recommended: its throughput was measured on a heap that had not
     * settled, and in production it may be the one that runs out. */
    if (out->choice && gct_summary_grows(out->choice) > 0) {
        const gct_stat *g = gct_summary_stat(out->choice, "reachable_growth");
        if (g && g->median > GCT_GROWS_FRACTION)
            gct_appendf(out->text, sizeof out->text,
                        "; NOT STEADY: what it keeps reachable still grew %.0f%% over the second "
                        "half of the run",
                        100 * g->median);
        else if (out->choice->leaks)
            gct_appendf(out->text, sizeof out->text,
                        "; NOT STEADY: its collector never frees some of its garbage");
        else
            gct_appendf(out->text, sizeof out->text,
                        "; NOT STEADY: a fresh state of it keeps memory per operation");
    }
    free(a);
    free(b);
    free(e);
    return 0;
}

void gct_tune_paste_lines(const gct_config_summary *c, char *buf, size_t len)
{
    /* A gen0 of 0 is how the models say gc.disable(): no automatic collection. */
    if (c->gen0 == 0)
        snprintf(buf, len, "import gc\ngc.disable()\n");
    else
        snprintf(buf, len, "import gc\ngc.set_threshold(%" PRId64 ", %" PRId64 ", %" PRId64 ")\n",
                 c->gen0, c->gen1, c->gen2);
    if (knob_on(c->knobs, "freeze"))
        gct_appendf(buf, len, "gc.freeze()  # once start-up is done (before forking workers)\n");
}
