/* compare.c — pairing configurations and comparing their metrics. */
#define _GNU_SOURCE
#include "compare.h"

#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

const gct_cmp_metric gct_cmp_metrics[] = {
    {"ops_per_s", "ops/s", true},
    {"gc_fraction", "GC fraction", false},
    {"pause_p50_us", "p50 pause us", false},
    {"pause_p99_us", "p99 pause us", false},
    {"pause_max_us", "max pause us", false},
    {"peak_bytes", "peak bytes", false},
};
const size_t gct_cmp_nmetrics = sizeof gct_cmp_metrics / sizeof gct_cmp_metrics[0];

/* The distinct configurations of a selection, in order of appearance. */
typedef struct selection {
    const gct_result **rows;
    size_t n;
    const char **ids;
    const char **workloads;
    size_t nids;
} selection;

static int select_rows(const gct_results *set, const char *filter, selection *s)
{
    memset(s, 0, sizeof *s);
    s->rows = malloc((set->n ? set->n : 1) * sizeof *s->rows);
    s->ids = malloc((set->n ? set->n : 1) * sizeof *s->ids);
    s->workloads = malloc((set->n ? set->n : 1) * sizeof *s->workloads);
    if (!s->rows || !s->ids || !s->workloads)
        return -1;
    for (size_t i = 0; i < set->n; i++) {
        const gct_result *r = &set->rows[i];
        if (strcmp(r->status, "ok") || (filter && fnmatch(filter, r->config_id, 0) != 0))
            continue;
        s->rows[s->n++] = r;
        bool seen = false;
        for (size_t k = 0; k < s->nids && !seen; k++)
            seen = !strcmp(s->ids[k], r->config_id);
        if (!seen) {
            s->workloads[s->nids] = r->workload;
            s->ids[s->nids++] = r->config_id;
        }
    }
    return 0;
}

static void free_selection(selection *s)
{
    free(s->rows);
    free(s->ids);
    free(s->workloads);
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

static double median(double *v, size_t n)
{
    double *c = malloc(n * sizeof *c);
    if (!c)
        return NAN;
    memcpy(c, v, n * sizeof *c);
    gct_sort_doubles(c, n);
    double m = gct_median_sorted(c, n);
    free(c);
    return m;
}

static void compare_pair(const selection *sa, const char *ida, const selection *sb,
                         const char *idb, gct_cmp *out, size_t *min_reps)
{
    double *va = malloc((sa->n + 1) * sizeof *va), *vb = malloc((sb->n + 1) * sizeof *vb);
    if (!va || !vb) {
        free(va);
        free(vb);
        return;
    }
    for (size_t m = 0; m < gct_cmp_nmetrics; m++) {
        const gct_cmp_metric *met = &gct_cmp_metrics[m];
        const gct_field *f = gct_result_field(met->field);
        gct_cmp_row *row = &out->rows[out->n++];
        memset(row, 0, sizeof *row);
        snprintf(row->config_a, sizeof row->config_a, "%s", ida);
        snprintf(row->config_b, sizeof row->config_b, "%s", idb);
        row->metric = met;
        row->na = values(sa, ida, f, va);
        row->nb = values(sb, idb, f, vb);
        if (m == 0) {
            size_t fewest = row->na < row->nb ? row->na : row->nb;
            if (fewest < *min_reps)
                *min_reps = fewest;
        }
        row->median_a = row->na ? median(va, row->na) : NAN;
        row->median_b = row->nb ? median(vb, row->nb) : NAN;
        row->ratio = row->median_a != 0 ? row->median_b / row->median_a : NAN;
        row->ratio_lo = row->ratio_hi = NAN;
        row->p = NAN;
        row->p_b_wins = NAN;
        if (!row->na || !row->nb) {
            row->verdict = "no data";
            continue;
        }
        gct_bootstrap_ratio_ci(va, row->na, vb, row->nb, 0.95, 4000, 0xc0ffee, &row->ratio_lo,
                               &row->ratio_hi);
        gct_mwu u;
        gct_mann_whitney(va, row->na, vb, row->nb, &u);
        row->p = u.p;
        row->exact = u.exact;
        /* "beats": higher for throughput, lower for everything else. */
        row->p_b_wins = met->higher_is_better ? u.p_b_wins : 1 - u.p_b_wins;
        if (row->median_a == row->median_b && u.p >= 0.05) {
            row->verdict = row->median_a == 0 ? "same (both zero)" : "no significant difference";
            continue;
        }
        /* Significant: the test rejects equality and the ratio's interval
         * leaves out 1 (when A's median is 0 there is no ratio; the test
         * alone decides). */
        bool interval_clear = isnan(row->ratio) || !(row->ratio_lo <= 1 && 1 <= row->ratio_hi);
        if (u.p >= 0.05 || !interval_clear) {
            row->verdict = "no significant difference";
            continue;
        }
        bool b_higher = row->median_b > row->median_a;
        bool b_better = b_higher == met->higher_is_better;
        if (!strcmp(met->field, "ops_per_s"))
            row->verdict = b_better ? "faster" : "slower";
        else
            row->verdict = b_better ? "better" : "worse";
    }
    free(va);
    free(vb);
}

int gct_compare(const gct_results *a, const char *filter_a, const gct_results *b,
                const char *filter_b, gct_cmp *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    selection sa, sb;
    if (select_rows(a, filter_a, &sa) || select_rows(b, filter_b, &sb)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = -1;
    if (!sa.nids || !sb.nids) {
        snprintf(err, errlen, "%s selects no successful runs%s%s",
                 !sa.nids ? "A" : "B", (!sa.nids ? filter_a : filter_b) ? " matching " : "",
                 (!sa.nids ? filter_a : filter_b) ? (!sa.nids ? filter_a : filter_b) : "");
        goto done;
    }
    /* Pairs: the same config_id on both sides... */
    size_t cap = sa.nids * sb.nids;
    const char **pa = malloc(cap * sizeof *pa), **pb = malloc(cap * sizeof *pb);
    size_t np = 0;
    for (size_t i = 0; i < sa.nids; i++)
        for (size_t j = 0; j < sb.nids; j++)
            if (!strcmp(sa.ids[i], sb.ids[j])) {
                pa[np] = sa.ids[i];
                pb[np++] = sb.ids[j];
            }
    /* ...or else one configuration per workload on each side, by workload. */
    if (!np) {
        bool unique = true;
        for (size_t i = 0; i < sa.nids && unique; i++)
            for (size_t k = 0; k < i && unique; k++)
                unique = strcmp(sa.workloads[i], sa.workloads[k]) != 0;
        for (size_t i = 0; i < sb.nids && unique; i++)
            for (size_t k = 0; k < i && unique; k++)
                unique = strcmp(sb.workloads[i], sb.workloads[k]) != 0;
        if (!unique) {
            snprintf(err, errlen,
                     "A and B share no configuration (A has %zu, B %zu, e.g. '%s' and '%s'); to "
                     "compare different settings, select one configuration per workload on each "
                     "side, e.g. DIR:'gencycle.trees.gen0-700.*'",
                     sa.nids, sb.nids, sa.ids[0], sb.ids[0]);
            free(pa);
            free(pb);
            goto done;
        }
        for (size_t i = 0; i < sa.nids; i++)
            for (size_t j = 0; j < sb.nids; j++)
                if (!strcmp(sa.workloads[i], sb.workloads[j])) {
                    pa[np] = sa.ids[i];
                    pb[np++] = sb.ids[j];
                }
        if (!np) {
            snprintf(err, errlen, "A and B share no configuration and no workload");
            free(pa);
            free(pb);
            goto done;
        }
    }
    out->rows = calloc(np * gct_cmp_nmetrics, sizeof *out->rows);
    out->pairs = np;
    out->min_reps = SIZE_MAX;
    for (size_t k = 0; k < np; k++)
        compare_pair(&sa, pa[k], &sb, pb[k], out, &out->min_reps);
    /* The geometric mean of each metric's ratios over the pairs. */
    for (size_t m = 0; m < gct_cmp_nmetrics && m < 16; m++) {
        double logsum = 0;
        size_t cnt = 0;
        for (size_t i = m; i < out->n; i += gct_cmp_nmetrics)
            if (isfinite(out->rows[i].ratio) && out->rows[i].ratio > 0) {
                logsum += log(out->rows[i].ratio);
                cnt++;
            }
        out->geomean[m] = cnt ? exp(logsum / (double)cnt) : NAN;
    }
    free(pa);
    free(pb);
    rc = 0;
done:
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

void gct_cmp_print_table(FILE *out, const gct_cmp *c)
{
    fprintf(out, "%-14s %12s %12s %8s %19s %8s %7s  %s\n", "metric", "A median", "B median",
            "B/A", "95% CI of B/A", "p", "P(B>A)", "verdict");
    for (size_t i = 0; i < c->n; i++) {
        const gct_cmp_row *r = &c->rows[i];
        if (i % gct_cmp_nmetrics == 0) {
            if (!strcmp(r->config_a, r->config_b))
                fprintf(out, "\n%s (A %zu runs, B %zu runs)\n", r->config_a, r->na, r->nb);
            else
                fprintf(out, "\nA %s (%zu runs)\nB %s (%zu runs)\n", r->config_a, r->na,
                        r->config_b, r->nb);
        }
        char ma[32], mb[32], ra[32], ci[48], p[16], w[16];
        fmt_num(ma, sizeof ma, r->median_a);
        fmt_num(mb, sizeof mb, r->median_b);
        if (isfinite(r->ratio))
            snprintf(ra, sizeof ra, "%.3f", r->ratio);
        else
            snprintf(ra, sizeof ra, "-");
        if (isfinite(r->ratio_lo))
            snprintf(ci, sizeof ci, "[%.3f, %.3f]", r->ratio_lo, r->ratio_hi);
        else
            snprintf(ci, sizeof ci, "-");
        if (isfinite(r->p))
            snprintf(p, sizeof p, "%.3g", r->p);
        else
            snprintf(p, sizeof p, "-");
        if (isfinite(r->p_b_wins))
            snprintf(w, sizeof w, "%.2f", r->p_b_wins);
        else
            snprintf(w, sizeof w, "-");
        fprintf(out, "%-14s %12s %12s %8s %19s %8s %7s  %s\n", r->metric->label, ma, mb, ra, ci, p,
                w, r->verdict);
    }
    if (c->pairs > 1) {
        fprintf(out, "\ngeometric mean of B/A over %zu pairs:", c->pairs);
        for (size_t m = 0; m < gct_cmp_nmetrics; m++) {
            if (isfinite(c->geomean[m]))
                fprintf(out, "  %s %.3f", gct_cmp_metrics[m].label, c->geomean[m]);
        }
        fputc('\n', out);
    }
    if (c->min_reps < 5)
        fprintf(out,
                "\nwarning: as few as %zu run%s on one side: below 5 runs per side the "
                "Mann-Whitney test can hardly reach p < 0.05 (with 2 vs 2, never); "
                "run more --reps\n",
                c->min_reps, c->min_reps == 1 ? "" : "s");
}

void gct_cmp_write_csv(FILE *out, const gct_cmp *c)
{
    fprintf(out, "config_a,config_b,metric,runs_a,runs_b,median_a,median_b,ratio,ratio_lo,"
                 "ratio_hi,p,exact,p_b_beats_a,verdict\n");
    for (size_t i = 0; i < c->n; i++) {
        const gct_cmp_row *r = &c->rows[i];
        gct_csv_write_string(out, r->config_a);
        fputc(',', out);
        gct_csv_write_string(out, r->config_b);
        fprintf(out, ",%s,%zu,%zu", r->metric->field, r->na, r->nb);
        double v[] = {r->median_a, r->median_b, r->ratio, r->ratio_lo, r->ratio_hi, r->p};
        for (size_t k = 0; k < 6; k++) {
            fputc(',', out);
            if (isfinite(v[k]))
                fprintf(out, "%.9g", v[k]);
        }
        fprintf(out, ",%d,", r->exact);
        if (isfinite(r->p_b_wins))
            fprintf(out, "%.6g", r->p_b_wins);
        fprintf(out, ",%s\n", r->verdict);
    }
}

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

int gct_cmp_write_json(FILE *out, const gct_cmp *c)
{
    json_t *root = json_object(), *rows = json_array(), *geo = json_object();
    for (size_t i = 0; i < c->n; i++) {
        const gct_cmp_row *r = &c->rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "config_a", json_string(r->config_a));
        json_object_set_new(o, "config_b", json_string(r->config_b));
        json_object_set_new(o, "metric", json_string(r->metric->field));
        json_object_set_new(o, "runs_a", json_integer((json_int_t)r->na));
        json_object_set_new(o, "runs_b", json_integer((json_int_t)r->nb));
        json_object_set_new(o, "median_a", num(r->median_a));
        json_object_set_new(o, "median_b", num(r->median_b));
        json_object_set_new(o, "ratio", num(r->ratio));
        json_object_set_new(o, "ratio_ci", json_pack("[o,o]", num(r->ratio_lo), num(r->ratio_hi)));
        json_object_set_new(o, "p", num(r->p));
        json_object_set_new(o, "exact", json_boolean(r->exact));
        json_object_set_new(o, "p_b_beats_a", num(r->p_b_wins));
        json_object_set_new(o, "verdict", json_string(r->verdict));
        json_array_append_new(rows, o);
    }
    for (size_t m = 0; m < gct_cmp_nmetrics; m++)
        json_object_set_new(geo, gct_cmp_metrics[m].field, num(c->geomean[m]));
    json_object_set_new(root, "comparisons", rows);
    json_object_set_new(root, "geometric_mean_ratio", geo);
    json_object_set_new(root, "pairs", json_integer((json_int_t)c->pairs));
    json_object_set_new(root, "fewest_runs", json_integer((json_int_t)c->min_reps));
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
    return rc ? -1 : 0;
}
