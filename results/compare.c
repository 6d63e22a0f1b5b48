/* compare.c — pairing configurations and comparing them (see compare.h). */
#define _GNU_SOURCE
#include "compare.h"

#include <fnmatch.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "summary.h"


const gct_cmp_metric gct_cmp_metrics[] = {
    {"ops_per_s", "ops/s", true, false},
    {"gc_fraction", "GC fraction", false, false},
    {"pause_p50_us", "p50 pause us", false, false},
    {"pause_p99_us", "p99 pause us", false, false},
    {"pause_max_us", "max pause us", false, false},
    {"peak_bytes", "peak bytes", false, false},
    {"collections_gen0", "gen0 colls", false, true},
    {"collections_gen1", "gen1 colls", false, true},
    {"collections_gen2", "gen2 colls", false, true},
    {"gc_examined", "examined", false, true},
    {"gc_traversed", "traversed", false, true},
    {"gc_freed", "freed by GC", false, true},
    {"cpython_gc_s", "CPython GC s", false, true},
    {"garbage_max_bytes", "garbage max B", false, true},
    {"reachable_growth", "reach growth", false, true},
};
const size_t gct_cmp_nmetrics = sizeof gct_cmp_metrics / sizeof gct_cmp_metrics[0];

/* The distinct configurations of a selection, in order of appearance. */
typedef struct selection {
    const gct_result **rows;  /* successful processes */
    size_t n;
    const gct_result **first; /* the first record of each configuration */
    size_t nids;
} selection;

/* What one side selects: the configurations a pair names, or those a
 * pattern matches. */
typedef struct side {
    const char *filter;
    const char *const *ids; /* named pairs: this side's ids (NULL: by filter) */
    size_t nids;
} side;

/* A/A twins (ids "aa.*") join a selection by pattern only when the pattern
 * asks for them: "gencycle.trees.*" means the configurations, not their
 * controls.  A configuration named by a pair is selected whatever it is. */
static bool selected(const gct_result *r, const side *sd)
{
    if (sd->ids) {
        for (size_t i = 0; i < sd->nids; i++)
            if (!strcmp(sd->ids[i], r->config_id))
                return true;
        return false;
    }
    const char *filter = sd->filter;
    if (!filter)
        return true;
    if (r->aa_of[0] && strncmp(filter, "aa.", 3) != 0)
        return false;
    return fnmatch(filter, r->config_id, 0) == 0;
}

static int select_rows(const gct_results *set, const side *sd, selection *s)
{
    memset(s, 0, sizeof *s);
    s->rows = malloc((set->n ? set->n : 1) * sizeof *s->rows);
    s->first = malloc((set->n ? set->n : 1) * sizeof *s->first);
    if (!s->rows || !s->first)
        return -1;
    for (size_t i = 0; i < set->n; i++) {
        const gct_result *r = &set->rows[i];
        if (r->status != GCT_STATUS_OK || !selected(r, sd))
            continue;
        s->rows[s->n++] = r;
        bool seen = false;
        for (size_t k = 0; k < s->nids && !seen; k++)
            seen = !strcmp(s->first[k]->config_id, r->config_id);
        if (!seen)
            s->first[s->nids++] = r;
    }
    return 0;
}

static void free_selection(selection *s)
{
    free(s->rows);
    free(s->first);
}

static size_t values(const selection *s, const char *id, const gct_field *f, double *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->rows[i]->config_id, id)) {
            double v = gct_result_num(s->rows[i], f);
            if (isfinite(v))
                out[n++] = v;
        }
    return n;
}

/* Across two sweeps, how far the workload's reference configuration (the
 * one its A/A control twins, in both) moved between them in field: |log
 * ratio| of its medians, as a relative difference.  A machine that drifts
 * between sweeps moves every configuration; identical ones cannot tell that
 * from a change. */
static double drift_in(const gct_cmp_opts *o, const char *workload, const char *field)
{
    if (o->same_sweep || o->ignore_drift || !o->noise_a || !o->noise_b)
        return NAN;
    for (size_t i = 0; i < o->noise_a->nnoise; i++) {
        const gct_noise *za = &o->noise_a->noise[i];
        if (strcmp(za->workload, workload))
            continue;
        const gct_config_summary *a = gct_summary_find(o->noise_a, za->config);
        const gct_config_summary *b = gct_summary_find(o->noise_b, za->config);
        const gct_stat *x = a ? gct_summary_stat(a, field) : NULL;
        const gct_stat *y = b ? gct_summary_stat(b, field) : NULL;
        if (!x || !y || !isfinite(x->median) || !isfinite(y->median))
            return NAN;
        if (x->median == y->median)
            return 0;
        if (!(x->median > 0) || !(y->median > 0))
            return INFINITY; /* from none to some (pauses): no scale to drift on */
        return expm1(fabs(log(y->median / x->median)));
    }
    return NAN;
}

static double larger(double f, double x) { return !isnan(x) && (isnan(f) || x > f) ? x : f; }

/* The drift of a metric: throughput's, or its own where that is larger. */
static double drift_of(const gct_cmp_opts *o, const char *workload, const char *field)
{
    return larger(drift_in(o, workload, "ops_per_s"), drift_in(o, workload, field));
}

/* The noise floor of a metric on a workload: the largest of the two sides'
 * A/A spreads, in throughput and in the metric itself, and, across sweeps,
 * of the reference's drift.  Throughput's spread alone would let a p99 pause
 * that the twin moved by 30% be called at 10%. */
static double floor_of(const gct_cmp_opts *o, const char *workload, const char *field,
                       double drift)
{
    double f = drift;
    const gct_summary *sides[] = {o->noise_a, o->noise_b};
    for (size_t i = 0; i < 2; i++)
        if (sides[i]) {
            f = larger(f, gct_summary_noise_floor(sides[i], workload));
            f = larger(f, gct_summary_noise_floor_of(sides[i], workload, field));
        }
    return f;
}

static void timed_row(gct_cmp_row *row, const double *va, const double *vb)
{
    const gct_cmp_metric *met = row->metric;
    gct_effect e;
    if (gct_effect_of(va, row->na, vb, row->nb, isfinite(row->floor) ? row->floor : 0,
                      GCT_VERDICT_SEED, &e) != 0) {
        snprintf(row->verdict, sizeof row->verdict, "no data");
        return;
    }
    row->median_a = e.median_a;
    row->median_b = e.median_b;
    row->ratio = e.ratio;
    row->ratio_lo = e.lo;
    row->ratio_hi = e.hi;
    row->p = e.p;
    row->exact = e.exact;
    row->p_b_better = met->higher_is_better ? e.p_b_higher : 1 - e.p_b_higher;
    row->detectable = e.detectable;
    row->threshold = e.threshold;
    if (e.direction != 0) {
        bool better = (e.direction > 0) == met->higher_is_better;
        if (!strcmp(met->field, "ops_per_s"))
            snprintf(row->verdict, sizeof row->verdict, "%s", better ? "faster" : "slower");
        else
            snprintf(row->verdict, sizeof row->verdict, "%s", better ? "better" : "worse");
        return;
    }
    if (!strcmp(e.why ? e.why : "", "identical")) {
        snprintf(row->verdict, sizeof row->verdict, "same");
        return;
    }
    char t[32];
    gct_fmt_pct(e.detectable, t, sizeof t);
    if (isfinite(e.detectable))
        snprintf(row->verdict, sizeof row->verdict, "no detectable difference (< %s: %s)", t,
                 e.why ? e.why : "");
    else
        snprintf(row->verdict, sizeof row->verdict, "no detectable difference (%s)",
                 e.why ? e.why : "");
}

static bool constant(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return false;
    return n > 0;
}

static double median(double *v, size_t n)
{
    double m, lo, hi;
    bool ci;
    gct_median_interval(v, n, GCT_VERDICT_SEED, &m, &lo, &hi, &ci);
    return m;
}

/* Deterministic work: value against value, no statistics needed. */
static void exact_row(gct_cmp_row *row, double *va, double *vb)
{
    row->constant = constant(va, row->na) && constant(vb, row->nb);
    row->median_a = median(va, row->na);
    row->median_b = median(vb, row->nb);
    row->ratio = row->median_a != 0 ? row->median_b / row->median_a : NAN;
    if (row->median_a == row->median_b) {
        snprintf(row->verdict, sizeof row->verdict, "%s", row->constant ? "same" : "same median");
        return;
    }
    char d[32];
    double rel = row->median_a != 0 ? row->median_b / row->median_a - 1 : NAN;
    gct_fmt_pct(fabs(rel), d, sizeof d);
    if (isfinite(rel))
        snprintf(row->verdict, sizeof row->verdict, "B %s %s%s", d, rel < 0 ? "less" : "more",
                 row->constant ? "" : " (varies across processes)");
    else
        snprintf(row->verdict, sizeof row->verdict, "B %.6g, A none", row->median_b);
}

static void compare_pair(const selection *sa, const gct_result *ra, const selection *sb,
                         const gct_result *rb, const gct_cmp_opts *o, gct_cmp *out)
{
    double *va = malloc((sa->n + 1) * sizeof *va), *vb = malloc((sb->n + 1) * sizeof *vb);
    if (!va || !vb) {
        free(va);
        free(vb);
        return;
    }
    for (size_t m = 0; m < out->nmetrics; m++) {
        const gct_cmp_metric *met = &out->metrics[m];
        const gct_field *f = gct_result_field(met->field);
        gct_cmp_row *row = &out->rows[out->n++];
        memset(row, 0, sizeof *row);
        snprintf(row->config_a, sizeof row->config_a, "%s", ra->config_id);
        snprintf(row->config_b, sizeof row->config_b, "%s", rb->config_id);
        snprintf(row->workload, sizeof row->workload, "%s", ra->workload);
        row->metric = met;
        /* Exact rows call no verdict on a floor; they show throughput's. */
        const char *noisy = met->exact ? "ops_per_s" : met->field;
        row->drift = drift_of(o, ra->workload, noisy);
        row->floor = floor_of(o, ra->workload, noisy, row->drift);
        row->na = values(sa, ra->config_id, f, va);
        row->nb = values(sb, rb->config_id, f, vb);
        row->median_a = row->median_b = row->ratio = row->ratio_lo = row->ratio_hi = NAN;
        row->p = row->p_b_better = row->detectable = row->threshold = NAN;
        if (m == 0) {
            size_t fewest = row->na < row->nb ? row->na : row->nb;
            if (fewest < out->min_reps)
                out->min_reps = fewest;
        }
        if (!row->na || !row->nb)
            snprintf(row->verdict, sizeof row->verdict, "no data");
        else if (met->exact)
            exact_row(row, va, vb);
        else if (row->na >= 2 && row->nb >= 2 && constant(va, row->na) && constant(vb, row->nb))
            /* The same in every process of each side (a model's peak
             * memory): deterministic, so value against value, like the
             * work; no noise floor applies to what does not vary. */
            exact_row(row, va, vb);
        else
            timed_row(row, va, vb);
    }
    free(va);
    free(vb);
}

/* The work two configurations did must be the same to compare their speed. */
static int same_work(const gct_result *a, const gct_result *b, char *err, size_t errlen)
{
    const char *what = NULL;
    char va[300], vb[300];
    if (a->ops != b->ops) {
        what = "operations";
        snprintf(va, sizeof va, "%" PRId64, a->ops);
        snprintf(vb, sizeof vb, "%" PRId64, b->ops);
    } else if (strcmp(a->params, b->params)) {
        what = "workload parameters";
        snprintf(va, sizeof va, "%s", a->params);
        snprintf(vb, sizeof vb, "%s", b->params);
    } else if (a->seed != b->seed) {
        what = "seeds";
        snprintf(va, sizeof va, "%" PRId64, a->seed);
        snprintf(vb, sizeof vb, "%" PRId64, b->seed);
    }
    if (!what)
        return 0;
    snprintf(err, errlen,
             "A %s and B %s did different work (%s: %s against %s), so their times do not "
             "compare; --allow-different-work compares them anyway",
             a->config_id, b->config_id, what, va, vb);
    return -1;
}

static bool unique_workloads(const selection *s)
{
    for (size_t i = 0; i < s->nids; i++)
        for (size_t k = 0; k < i; k++)
            if (!strcmp(s->first[i]->workload, s->first[k]->workload))
                return false;
    return true;
}

/* The pairs of configurations, one from each side, that share a config_id
 * (by_workload false) or a workload; pa and pb hold nids x nids. */
static size_t pair_by(const selection *sa, const selection *sb, bool by_workload,
                      const gct_result **pa, const gct_result **pb)
{
    size_t np = 0;
    for (size_t i = 0; i < sa->nids; i++)
        for (size_t j = 0; j < sb->nids; j++) {
            const gct_result *x = sa->first[i], *y = sb->first[j];
            if (!strcmp(by_workload ? x->workload : x->config_id,
                        by_workload ? y->workload : y->config_id)) {
                pa[np] = x;
                pb[np++] = y;
            }
        }
    return np;
}

/* Pairs: the same config_id on both sides, or else one configuration per
 * workload on each side, by workload.  0 with a message when neither. */
static size_t pair_up(const selection *sa, const selection *sb, const gct_result **pa,
                      const gct_result **pb, char *err, size_t errlen)
{
    size_t np = pair_by(sa, sb, false, pa, pb);
    if (np)
        return np;
    if (!unique_workloads(sa) || !unique_workloads(sb)) {
        snprintf(err, errlen,
                 "A and B share no configuration (A has %zu, B %zu, e.g. '%s' and '%s'); to "
                 "compare different settings, select one configuration per workload on each "
                 "side, e.g. DIR:'gencycle.trees.gen0-700.*'",
                 sa->nids, sb->nids, sa->first[0]->config_id, sb->first[0]->config_id);
        return 0;
    }
    np = pair_by(sa, sb, true, pa, pb);
    if (!np)
        snprintf(err, errlen, "A and B share no configuration and no workload");
    return np;
}

/* The geometric mean of each metric's ratios over the pairs. */
static void geomeans(gct_cmp *out)
{
    for (size_t m = 0; m < out->nmetrics; m++) {
        double logsum = 0;
        size_t cnt = 0;
        for (size_t i = m; i < out->n; i += out->nmetrics)
            if (isfinite(out->rows[i].ratio) && out->rows[i].ratio > 0) {
                logsum += log(out->rows[i].ratio);
                cnt++;
            }
        out->geomean[m] = cnt ? exp(logsum / (double)cnt) : NAN;
    }
}

/* The first record of configuration id in a selection (NULL: none). */
static const gct_result *first_of(const selection *s, const char *id)
{
    for (size_t i = 0; i < s->nids; i++)
        if (!strcmp(s->first[i]->config_id, id))
            return s->first[i];
    return NULL;
}

/* The pairs the caller named; 0 with a message when one has no successful
 * process. */
static size_t pair_named(const selection *sa, const selection *sb, const gct_cmp_opts *o,
                         const gct_result **pa, const gct_result **pb, char *err, size_t errlen)
{
    for (size_t k = 0; k < o->npairs; k++) {
        pa[k] = first_of(sa, o->pairs_a[k]);
        pb[k] = first_of(sb, o->pairs_b[k]);
        if (!pa[k] || !pb[k]) {
            snprintf(err, errlen, "%s %s has no successful run", pa[k] ? "B" : "A",
                     pa[k] ? o->pairs_b[k] : o->pairs_a[k]);
            return 0;
        }
    }
    return o->npairs;
}

int gct_compare(const gct_results *a, const gct_results *b, const gct_cmp_opts *o, gct_cmp *out,
                char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->metrics = o->metrics ? o->metrics : gct_cmp_metrics;
    out->nmetrics = o->metrics ? o->nmetrics : gct_cmp_nmetrics;
    if (!out->nmetrics || out->nmetrics > GCT_CMP_MAX_METRICS) {
        snprintf(err, errlen, "%zu metrics to compare (1 to %d)", out->nmetrics,
                 GCT_CMP_MAX_METRICS);
        return -1;
    }
    for (size_t m = 0; m < out->nmetrics; m++) {
        const gct_field *f = gct_result_field(out->metrics[m].field);
        if (!f || (f->type != GCT_F_I64 && f->type != GCT_F_F64)) {
            snprintf(err, errlen, "'%s' is not a number of the records", out->metrics[m].field);
            return -1;
        }
    }
    bool named = o->npairs > 0;
    side da = {o->filter_a, named ? o->pairs_a : NULL, o->npairs};
    side db = {o->filter_b, named ? o->pairs_b : NULL, o->npairs};
    selection sa, sb;
    if (select_rows(a, &da, &sa) || select_rows(b, &db, &sb)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = -1;
    const gct_result **pa = NULL, **pb = NULL;
    if (!named && (!sa.nids || !sb.nids)) {
        const char *filter = !sa.nids ? o->filter_a : o->filter_b;
        snprintf(err, errlen, "%s selects no successful runs%s%s", !sa.nids ? "A" : "B",
                 filter ? " matching " : "", filter ? filter : "");
        goto done;
    }
    size_t cap = named ? o->npairs : sa.nids * sb.nids;
    pa = malloc(cap * sizeof *pa);
    pb = malloc(cap * sizeof *pb);
    if (!pa || !pb) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    size_t np = named ? pair_named(&sa, &sb, o, pa, pb, err, errlen)
                      : pair_up(&sa, &sb, pa, pb, err, errlen);
    if (!np)
        goto done;
    if (!o->allow_different_work)
        for (size_t k = 0; k < np; k++)
            if (same_work(pa[k], pb[k], err, errlen))
                goto done;
    out->rows = calloc(np * out->nmetrics, sizeof *out->rows);
    if (!out->rows) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    out->pairs = np;
    out->min_reps = SIZE_MAX;
    for (size_t k = 0; k < np; k++)
        compare_pair(&sa, pa[k], &sb, pb[k], o, out);
    geomeans(out);
    rc = 0;
done:
    free(pa);
    free(pb);
    free_selection(&sa);
    free_selection(&sb);
    return rc;
}

void gct_cmp_free(gct_cmp *c)
{
    free(c->rows);
    memset(c, 0, sizeof *c);
}

static void fmt_num(char *buf, size_t len, double v)
{
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (fabs(v) >= 1e6)
        snprintf(buf, len, "%.4g", v);
    else if (fabs(v) >= 100)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.4g", v);
}

static void fmt_or_dash(char *buf, size_t len, const char *fmt, double v)
{
    if (isfinite(v))
        snprintf(buf, len, fmt, v);
    else
        snprintf(buf, len, "-");
}

void gct_cmp_print_table(FILE *out, const gct_cmp *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const gct_cmp_row *r = &c->rows[i];
        if (i % c->nmetrics == 0) {
            if (!strcmp(r->config_a, r->config_b))
                fprintf(out, "\n%s (A %zu processes, B %zu processes)\n", r->config_a, r->na,
                        r->nb);
            else
                fprintf(out, "\nA %s (%zu processes)\nB %s (%zu processes)\n", r->config_a, r->na,
                        r->config_b, r->nb);
            char fl[32], dr[32];
            gct_fmt_pct(r->floor, fl, sizeof fl);
            gct_fmt_pct(r->drift, dr, sizeof dr);
            fprintf(out, "noise floor of %s: %s", r->workload,
                    isfinite(r->floor) ? fl : "not measured (no A/A control in either sweep)");
            if (isfinite(r->drift))
                fprintf(out, " (the A/A controls, and the reference configuration's drift "
                             "between the two sweeps: %s)",
                        dr);
            fputc('\n', out);
            fprintf(out, "%-14s %12s %12s %8s %19s %8s %11s %10s  %s\n", "metric", "A median",
                    "B median", "B/A", "95% CI of B/A", "p", "P(B better)", "detectable",
                    "verdict");
        }
        if (i % c->nmetrics && r->metric->exact && !c->rows[i - 1].metric->exact)
            fprintf(out, "%-14s (deterministic for a seed: compared exactly)\n", "GC work");
        char ma[32], mb[32], ra[32], ci[48], p[16], w[16], d[32];
        fmt_num(ma, sizeof ma, r->median_a);
        fmt_num(mb, sizeof mb, r->median_b);
        fmt_or_dash(ra, sizeof ra, "%.3f", r->ratio);
        if (isfinite(r->ratio_lo))
            snprintf(ci, sizeof ci, "[%.3f, %.3f]", r->ratio_lo, r->ratio_hi);
        else
            snprintf(ci, sizeof ci, "-");
        fmt_or_dash(p, sizeof p, "%.3g", r->p);
        fmt_or_dash(w, sizeof w, "%.2f", r->p_b_better);
        if (isinf(r->detectable))
            snprintf(d, sizeof d, "none");
        else if (isfinite(r->detectable))
            gct_fmt_pct(r->detectable, d, sizeof d);
        else
            snprintf(d, sizeof d, "-");
        fprintf(out, "%-14s %12s %12s %8s %19s %8s %11s %10s  %s\n", r->metric->label, ma, mb, ra,
                ci, p, w, d, r->verdict);
        if (!strcmp(r->metric->field, "reachable_growth"))
            for (int k = 0; k < 2; k++)
                if ((k ? r->median_b : r->median_a) > GCT_GROWS_FRACTION)
                    fprintf(out, "%-14s %s is NOT STEADY: its reachable bytes grew %.0f%% over "
                                 "the second half of the run\n",
                            "", k ? "B" : "A", 100 * (k ? r->median_b : r->median_a));
    }
    if (c->pairs > 1) {
        fprintf(out, "\ngeometric mean of B/A over %zu pairs:", c->pairs);
        for (size_t m = 0; m < c->nmetrics; m++)
            if (isfinite(c->geomean[m]) && !c->metrics[m].exact)
                fprintf(out, "  %s %.3f", c->metrics[m].label, c->geomean[m]);
        fputc('\n', out);
    }
    fprintf(out, "\nP(B better): the probability that one process of B beats one of A. "
                 "detectable: the true difference this\ncomparison finds 80%% of the time. A "
                 "verdict needs p < 0.05, an interval of B/A clear of 1, and a\ndifference "
                 "above the one the test itself finds 80%% of the time and above the noise floor: the\n"
                 "A/A controls and, between two sweeps, how far the reference configuration "
                 "moved (--ignore-drift drops that);\nfor a pause or memory metric, the larger of "
                 "throughput's floor and its own.\n");
    if (c->min_reps < 5)
        fprintf(out,
                "\nwarning: as few as %zu process%s on one side: below 5 per side the "
                "Mann-Whitney test can hardly reach p < 0.05 (with 3 vs 3, never); "
                "run more --reps\n",
                c->min_reps, c->min_reps == 1 ? "" : "es");
}

void gct_cmp_write_csv(FILE *out, const gct_cmp *c)
{
    fprintf(out, "config_a,config_b,workload,metric,runs_a,runs_b,median_a,median_b,ratio,"
                 "ratio_lo,ratio_hi,p,exact,p_b_better,detectable,noise_floor,threshold,verdict\n");
    for (size_t i = 0; i < c->n; i++) {
        const gct_cmp_row *r = &c->rows[i];
        const char *ids[] = {r->config_a, r->config_b, r->workload};
        gct_csv_write_strings(out, ids, 3);
        fprintf(out, ",%s,%zu,%zu", r->metric->field, r->na, r->nb);
        double v[] = {r->median_a, r->median_b, r->ratio, r->ratio_lo, r->ratio_hi, r->p};
        gct_csv_write_numbers(out, v, 6);
        fprintf(out, ",%d", r->exact);
        /* These say "inf" where nothing could be detected, to 6 digits. */
        double w[] = {r->p_b_better, r->detectable, r->floor, r->threshold};
        for (size_t k = 0; k < 4; k++) {
            fputc(',', out);
            if (isinf(w[k]))
                fputs("inf", out);
            else if (isfinite(w[k]))
                fprintf(out, "%.6g", w[k]);
        }
        fputc(',', out);
        gct_csv_write_string(out, r->verdict);
        fputc('\n', out);
    }
}

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

json_t *gct_cmp_to_json(const gct_cmp *c)
{
    json_t *root = json_object(), *rows = json_array(), *geo = json_object();
    for (size_t i = 0; i < c->n; i++) {
        const gct_cmp_row *r = &c->rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "config_a", json_string(r->config_a));
        json_object_set_new(o, "config_b", json_string(r->config_b));
        json_object_set_new(o, "workload", json_string(r->workload));
        json_object_set_new(o, "metric", json_string(r->metric->field));
        json_object_set_new(o, "deterministic", json_boolean(r->metric->exact || r->constant));
        json_object_set_new(o, "runs_a", json_integer((json_int_t)r->na));
        json_object_set_new(o, "runs_b", json_integer((json_int_t)r->nb));
        json_object_set_new(o, "median_a", num(r->median_a));
        json_object_set_new(o, "median_b", num(r->median_b));
        json_object_set_new(o, "ratio", num(r->ratio));
        json_object_set_new(o, "ratio_ci", json_pack("[o,o]", num(r->ratio_lo), num(r->ratio_hi)));
        json_object_set_new(o, "p", num(r->p));
        json_object_set_new(o, "exact", json_boolean(r->exact));
        json_object_set_new(o, "p_b_better", num(r->p_b_better));
        /* null: not computed; a string "inf": these samples cannot detect any. */
        json_object_set_new(o, "detectable",
                            isinf(r->detectable) ? json_string("inf") : num(r->detectable));
        json_object_set_new(o, "noise_floor", num(r->floor));
        json_object_set_new(o, "drift", num(r->drift));
        json_object_set_new(o, "threshold",
                            isinf(r->threshold) ? json_string("inf") : num(r->threshold));
        json_object_set_new(o, "verdict", json_string(r->verdict));
        json_array_append_new(rows, o);
    }
    for (size_t m = 0; m < c->nmetrics; m++)
        json_object_set_new(geo, c->metrics[m].field, num(c->geomean[m]));
    json_object_set_new(root, "comparisons", rows);
    json_object_set_new(root, "geometric_mean_ratio", geo);
    json_object_set_new(root, "pairs", json_integer((json_int_t)c->pairs));
    json_object_set_new(root, "fewest_runs", json_integer((json_int_t)c->min_reps));
    return root;
}

int gct_cmp_write_json(FILE *out, const gct_cmp *c)
{
    json_t *root = gct_cmp_to_json(c);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
    return rc ? -1 : 0;
}
