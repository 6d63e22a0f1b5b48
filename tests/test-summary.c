/* test-summary.c — the result model: one number per statistic, whoever
 * reads it (summary.csv, the model in memory, compare, the headline). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "headline.h"
#include "summary.h"

/* A record of one process: ops/s given, the rest derived. */
static void add(gct_results *rows, const char *id, const char *aa_of, int64_t gen0, bool defaults,
                int round, double ops_per_s, gct_status status)
{
    gct_result r;
    gct_result_init(&r);
    gct_result_set_str(&r, gct_result_field("config_id"), id);
    gct_result_set_str(&r, gct_result_field("collector"), "gencycle");
    gct_result_set_str(&r, gct_result_field("workload"), "trees");
    gct_result_set_str(&r, gct_result_field("knobs"), "gen0=700");
    gct_result_set_str(&r, gct_result_field("params"), "depth=10");
    gct_result_set_str(&r, gct_result_field("aa_of"), aa_of);
    r.status = status;
    if (status != GCT_STATUS_OK)
        gct_result_set_str(&r, gct_result_field("reason"), "self-check: boom");
    r.gen0 = gen0;
    r.gen1 = 10;
    r.gen2 = 10;
    r.defaults = defaults;
    r.ops = 1000;
    r.seed = 1;
    r.rep = r.round = round;
    r.ops_per_s = ops_per_s;
    r.wall_s = 1 / ops_per_s; /* 10 ms at 100 ops/s: a short run */
    r.pause_p99_us = 100 + round; /* per process: 100, 101, ... */
    r.collections_gen0 = 1000000 / gen0;
    r.gc_examined = 50 * r.collections_gen0;
    r.gc_traversed = 3 * r.gc_examined;
    gct_results_push(rows, &r);
}

static const gct_config_summary *find(const gct_summary *s, const char *id)
{
    const gct_config_summary *c = gct_summary_find(s, id);
    cr_assert_not_null(c, "no summary of %s", id);
    return c;
}

Test(summary, medians_and_intervals_per_process)
{
    gct_results rows = {0};
    double five[] = {100, 104, 98, 101, 250}; /* one outlier: the median ignores it */
    for (int i = 0; i < 5; i++)
        add(&rows, "five", "", 700, true, i, five[i], GCT_STATUS_OK);
    double three[] = {50, 52, 49};
    for (int i = 0; i < 3; i++)
        add(&rows, "three", "", 1000, false, i, three[i], GCT_STATUS_OK);
    add(&rows, "three", "", 1000, false, 3, 1, GCT_STATUS_FAILED);
    gct_summary s;
    gct_summarize(&rows, &s);
    GCT_ASSERT_EQ(s.n, 2, "%zu configurations", s.n);
    const gct_config_summary *a = find(&s, "five"), *b = find(&s, "three");
    GCT_ASSERT_DBL_NEAR(a->ops_s, 101, 1e-9, "median of five: %g", a->ops_s);
    cr_assert(a->ci, "5 processes: a 95%% CI");
    cr_assert(a->ops_lo <= a->ops_s && a->ops_s <= a->ops_hi, "[%g, %g] around %g", a->ops_lo,
              a->ops_hi, a->ops_s);
    GCT_ASSERT_EQ(b->n, 3, "the failed process is not a sample (n = %zu)", b->n);
    GCT_ASSERT_EQ(b->failed, 1);
    GCT_ASSERT_STR_EQ(b->failure, "self-check: boom");
    cr_assert_not(b->ci, "3 processes: a range, not a CI");
    GCT_ASSERT_DBL_NEAR(b->ops_lo, 49, 1e-9, "range low %g", b->ops_lo);
    GCT_ASSERT_DBL_NEAR(b->ops_hi, 52, 1e-9, "range high %g", b->ops_hi);
    /* p99: the median over processes of each one's own p99. */
    GCT_ASSERT_DBL_NEAR(a->p99, 102, 1e-9, "p99 %g", a->p99);
    cr_assert(a->work_exact, "the same GC work in every process");
    cr_assert(a->too_short, "10 ms of work is under the 20 ms floor (wall %g ms)", a->wall_ms);
    char name[32];
    gct_summary_interval_name(b, name, sizeof name);
    GCT_ASSERT_STR_EQ(name, "n=3, range");
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(summary, written_and_read_back_it_is_the_same_model)
{
    gct_results rows = {0};
    for (int i = 0; i < 6; i++) {
        add(&rows, "ref", "", 700, true, i, 100 + i, GCT_STATUS_OK);
        add(&rows, "aa.ref", "ref", 700, true, i, 101 + (i * 7 % 5), GCT_STATUS_OK);
        add(&rows, "tuned", "", 10000, false, i, 150 + i, GCT_STATUS_OK);
    }
    char dir[] = "/tmp/gct-summary-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    gct_summary s, t;
    gct_summarize(&rows, &s);
    char err[600];
    GCT_ASSERT_EQ(gct_summary_write(dir, &s, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(gct_summary_load(dir, &t, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(t.n, s.n);
    GCT_ASSERT_EQ(t.nnoise, 1, "one A/A control, %zu read back", t.nnoise);
    for (size_t i = 0; i < s.n; i++) {
        const gct_config_summary *x = &s.configs[i], *y = find(&t, x->id);
        GCT_ASSERT_EQ(x->n, y->n);
        GCT_ASSERT_EQ(x->ci, y->ci);
        GCT_ASSERT_EQ(x->defaults, y->defaults);
        GCT_ASSERT_STR_EQ(x->aa_of, y->aa_of);
        for (size_t k = 0; k < gct_result_nfields; k++) {
            const gct_field *f = &gct_result_fields[k];
            if (!f->summarized)
                continue;
            const gct_stat *p = gct_summary_stat(x, f->name), *q = gct_summary_stat(y, f->name);
            cr_assert((isnan(p->median) && isnan(q->median)) ||
                          fabs(p->median - q->median) <= 1e-8 * fabs(p->median),
                      "%s %s: %g in memory, %g read back", x->id, f->name, p->median, q->median);
        }
    }
    GCT_ASSERT_STR_EQ(t.noise[0].twin, "aa.ref");
    GCT_ASSERT_DBL_NEAR(t.noise[0].spread, s.noise[0].spread, 1e-9);
    GCT_ASSERT_DBL_NEAR(gct_summary_noise_floor(&t, "trees"), expm1(fabs(log(s.noise[0].ratio))),
                        1e-9);
    /* The floor is the spread on the log scale: never less than it. */
    cr_assert(gct_summary_noise_floor(&t, "trees") >= s.noise[0].spread - 1e-12);
    /* A twin is never a candidate. */
    cr_assert_not(gct_summary_is_candidate(find(&t, "aa.ref")));
    gct_summary_free(&s);
    gct_summary_free(&t);
    gct_results_free(&rows);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    GCT_ASSERT_EQ(system(cmd), 0);
}

Test(summary, compare_and_headline_say_the_same_numbers_as_the_model)
{
    gct_results rows = {0};
    for (int i = 0; i < 8; i++) {
        add(&rows, "ref", "", 700, true, i, 100 + (i * 3 % 8) * 0.5, GCT_STATUS_OK);
        add(&rows, "aa.ref", "ref", 700, true, i, 100 + (i * 5 % 8) * 0.5, GCT_STATUS_OK);
        add(&rows, "tuned", "", 10000, false, i, 160 + (i * 7 % 8) * 0.5, GCT_STATUS_OK);
    }
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_headline h[4];
    size_t n = gct_headlines(&rows, &s, h, 4);
    GCT_ASSERT_EQ(n, 1);
    GCT_ASSERT_STR_EQ(h[0].reference->id, "ref");
    GCT_ASSERT_STR_EQ(h[0].best->id, "tuned");
    GCT_ASSERT_EQ(h[0].effect.direction, 1, "a 1.6x gain at 0.5%% noise is faster: %s", h[0].text);
    cr_assert(strstr(h[0].text, "faster"), "%s", h[0].text);
    /* The medians the headline compared are the model's. */
    GCT_ASSERT_DBL_NEAR(h[0].effect.median_a, find(&s, "ref")->ops_s, 1e-12);
    GCT_ASSERT_DBL_NEAR(h[0].effect.median_b, find(&s, "tuned")->ops_s, 1e-12);
    /* GC work: 10000 collects 14x less often than 700. */
    cr_assert(h[0].work_ratio < 0.1, "work ratio %g", h[0].work_ratio);

    gct_cmp c;
    char err[600];
    gct_cmp_opts o = {.filter_a = "ref", .filter_b = "tuned", .noise_a = &s, .noise_b = &s};
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_STR_EQ(c.rows[0].metric->field, "ops_per_s");
    GCT_ASSERT_DBL_NEAR(c.rows[0].median_a, find(&s, "ref")->ops_s, 1e-12);
    GCT_ASSERT_DBL_NEAR(c.rows[0].median_b, find(&s, "tuned")->ops_s, 1e-12);
    GCT_ASSERT_DBL_NEAR(c.rows[0].floor, gct_summary_noise_floor(&s, "trees"), 1e-12);
    GCT_ASSERT_STR_EQ(c.rows[0].verdict, "faster");
    /* The work is compared exactly. */
    for (size_t i = 0; i < c.n; i++)
        if (!strcmp(c.rows[i].metric->field, "gc_examined")) {
            cr_assert(c.rows[i].constant);
            cr_assert(strstr(c.rows[i].verdict, "less"), "%s", c.rows[i].verdict);
        }
    gct_cmp_free(&c);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(summary, identical_configurations_get_no_verdict)
{
    gct_results rows = {0};
    double v[] = {100, 103, 97, 101, 99, 102, 98};
    for (int i = 0; i < 7; i++) {
        add(&rows, "ref", "", 700, true, i, v[i], GCT_STATUS_OK);
        /* The same spread, a median 0.5% higher: the fastest, by noise. */
        add(&rows, "other", "", 800, false, i, v[(i + 3) % 7] + 0.5, GCT_STATUS_OK);
    }
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_headline h[2];
    GCT_ASSERT_EQ(gct_headlines(&rows, &s, h, 2), 1);
    GCT_ASSERT_EQ(h[0].effect.direction, 0, "%s", h[0].text);
    cr_assert(strstr(h[0].text, "no detectable difference"), "%s", h[0].text);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(summary, compare_refuses_runs_that_did_different_work)
{
    gct_results a = {0}, b = {0};
    for (int i = 0; i < 5; i++) {
        add(&a, "x", "", 700, true, i, 100, GCT_STATUS_OK);
        add(&b, "x", "", 700, true, i, 100, GCT_STATUS_OK);
        b.rows[b.n - 1].ops = 2000;
    }
    gct_cmp c;
    char err[600];
    gct_cmp_opts o = {0};
    GCT_ASSERT_EQ(gct_compare(&a, &b, &o, &c, err, sizeof err), -1);
    cr_assert(strstr(err, "different work") && strstr(err, "1000 against 2000"), "%s", err);
    o.allow_different_work = true;
    GCT_ASSERT_EQ(gct_compare(&a, &b, &o, &c, err, sizeof err), 0, "%s", err);
    gct_cmp_free(&c);
    gct_results_free(&a);
    gct_results_free(&b);
}

Test(summary, a_missing_summary_is_computed_from_the_records)
{
    gct_results rows = {0};
    for (int i = 0; i < 3; i++)
        add(&rows, "ref", "", 700, true, i, 100 + i, GCT_STATUS_OK);
    char dir[] = "/tmp/gct-summary-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char p[128], err[600];
    snprintf(p, sizeof p, "%s/results.csv", dir);
    FILE *f = fopen(p, "w");
    gct_result_csv_header(f);
    for (size_t i = 0; i < rows.n; i++)
        gct_result_csv_row(f, &rows.rows[i]);
    fclose(f);
    gct_summary s;
    GCT_ASSERT_EQ(gct_summary_load(dir, &s, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_DBL_NEAR(find(&s, "ref")->ops_s, 101, 1e-9);
    gct_summary_free(&s);
    /* A summary.csv with a bad number is named with its line. */
    snprintf(p, sizeof p, "%s/summary.csv", dir);
    f = fopen(p, "w");
    fputs("schema,interval,config_id\n2,ci95,x\n", f);
    fclose(f);
    GCT_ASSERT_EQ(gct_summary_load(dir, &s, err, sizeof err), -1);
    cr_assert(strstr(err, "summary.csv:1: column") && strstr(err, "is missing"), "%s", err);
    gct_results_free(&rows);
    snprintf(p, sizeof p, "rm -rf %s", dir);
    GCT_ASSERT_EQ(system(p), 0);
}

Test(summary, across_sweeps_the_references_drift_is_the_floor)
{
    /* Two sweeps of the same configurations; in the second the machine ran
     * 30% faster for everything: identical configurations, moved alike. */
    gct_results a = {0}, b = {0};
    double v[] = {100, 100.4, 99.7, 100.2, 99.9, 100.1};
    for (int i = 0; i < 6; i++) {
        add(&a, "ref", "", 700, true, i, v[i], GCT_STATUS_OK);
        add(&a, "aa.ref", "ref", 700, true, i, v[(i + 2) % 6], GCT_STATUS_OK);
        add(&a, "tuned", "", 10000, false, i, 2 * v[(i + 1) % 6], GCT_STATUS_OK);
        add(&b, "ref", "", 700, true, i, 1.3 * v[(i + 4) % 6], GCT_STATUS_OK);
        add(&b, "aa.ref", "ref", 700, true, i, 1.3 * v[(i + 3) % 6], GCT_STATUS_OK);
        add(&b, "tuned", "", 10000, false, i, 2.6 * v[(i + 5) % 6], GCT_STATUS_OK);
    }
    gct_summary sa, sb;
    gct_summarize(&a, &sa);
    gct_summarize(&b, &sb);
    gct_cmp c;
    char err[600];
    gct_cmp_opts o = {.filter_a = "tuned", .filter_b = "tuned", .noise_a = &sa, .noise_b = &sb};
    GCT_ASSERT_EQ(gct_compare(&a, &b, &o, &c, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_DBL_NEAR(c.rows[0].drift, 0.3, 0.01, "drift %g", c.rows[0].drift);
    cr_assert(strstr(c.rows[0].verdict, "no detectable difference"), "1.3x with a 30%% drift: %s",
              c.rows[0].verdict);
    gct_cmp_free(&c);
    /* The reference against itself: exactly its drift, never a verdict. */
    o.filter_a = o.filter_b = "ref";
    GCT_ASSERT_EQ(gct_compare(&a, &b, &o, &c, err, sizeof err), 0, "%s", err);
    cr_assert(strstr(c.rows[0].verdict, "no detectable difference"), "%s", c.rows[0].verdict);
    gct_cmp_free(&c);
    /* Told that the machine did not change, the same numbers are a verdict. */
    o.filter_a = o.filter_b = "tuned";
    o.ignore_drift = true;
    GCT_ASSERT_EQ(gct_compare(&a, &b, &o, &c, err, sizeof err), 0, "%s", err);
    cr_assert(isnan(c.rows[0].drift));
    GCT_ASSERT_STR_EQ(c.rows[0].verdict, "faster");
    gct_cmp_free(&c);
    /* Within one sweep there is no drift to measure. */
    o.ignore_drift = false;
    o.same_sweep = true;
    GCT_ASSERT_EQ(gct_compare(&a, &b, &o, &c, err, sizeof err), 0, "%s", err);
    cr_assert(isnan(c.rows[0].drift));
    gct_cmp_free(&c);
    gct_summary_free(&sa);
    gct_summary_free(&sb);
    gct_results_free(&a);
    gct_results_free(&b);
}

Test(summary, a_pause_is_held_to_its_own_aa_spread)
{
    /* The twin landed within 0.5% of its original in throughput but 30%
     * away in p99 pause: a p99 20% higher is within that metric's noise. */
    gct_results rows = {0};
    for (int i = 0; i < 8; i++) {
        add(&rows, "ref", "", 700, true, i, 100 + (i * 3 % 8) * 0.05, GCT_STATUS_OK);
        add(&rows, "aa.ref", "ref", 700, true, i, 100 + (i * 5 % 8) * 0.05, GCT_STATUS_OK);
        add(&rows, "other", "", 800, false, i, 100 + (i * 7 % 8) * 0.05, GCT_STATUS_OK);
        rows.rows[rows.n - 3].pause_p99_us = 100 + i * 0.1;
        rows.rows[rows.n - 2].pause_p99_us = 130 + i * 0.1;
        rows.rows[rows.n - 1].pause_p99_us = 120 + i * 0.1;
    }
    gct_summary s;
    gct_summarize(&rows, &s);
    GCT_ASSERT_DBL_NEAR(gct_summary_noise_floor_of(&s, "trees", "pause_p99_us"), 0.3, 0.01);
    GCT_ASSERT_DBL_NEAR(gct_summary_noise_floor_of(&s, "trees", "ops_per_s"),
                        gct_summary_noise_floor(&s, "trees"), 1e-12);
    gct_cmp c;
    char err[600];
    gct_cmp_opts o = {.filter_a = "ref", .filter_b = "other", .noise_a = &s, .noise_b = &s,
                      .same_sweep = true};
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), 0, "%s", err);
    size_t seen = 0;
    for (size_t i = 0; i < c.n; i++) {
        const gct_cmp_row *r = &c.rows[i];
        if (!strcmp(r->metric->field, "pause_p99_us")) {
            GCT_ASSERT_DBL_NEAR(r->floor, 0.3, 0.01);
            cr_assert(strstr(r->verdict, "no detectable difference"), "p99 %.2fx: %s", r->ratio,
                      r->verdict);
            seen++;
        }
        if (!strcmp(r->metric->field, "ops_per_s"))
            cr_assert(r->floor < 0.01, "throughput keeps its own floor: %g", r->floor);
    }
    GCT_ASSERT_EQ(seen, 1);
    gct_cmp_free(&c);
    /* Without the controls the same 20% is called. */
    o.noise_a = o.noise_b = NULL;
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < c.n; i++)
        if (!strcmp(c.rows[i].metric->field, "pause_p99_us"))
            GCT_ASSERT_STR_EQ(c.rows[i].verdict, "worse");
    gct_cmp_free(&c);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(summary, compare_takes_named_pairs_and_metrics)
{
    gct_results rows = {0};
    for (int i = 0; i < 5; i++) {
        add(&rows, "ref", "", 700, true, i, 100 + i, GCT_STATUS_OK);
        add(&rows, "aa.ref", "ref", 700, true, i, 101 + i, GCT_STATUS_OK);
        add(&rows, "tuned", "", 10000, false, i, 150 + i, GCT_STATUS_OK);
    }
    static const gct_cmp_metric two[] = {{"ops_per_s", "ops/s", true, false},
                                         {"gc_examined", "examined", false, true}};
    /* A twin named is a twin compared: what a pattern would leave out. */
    const char *pa[] = {"ref"}, *pb[] = {"aa.ref"};
    gct_cmp_opts o = {.pairs_a = pa, .pairs_b = pb, .npairs = 1, .metrics = two, .nmetrics = 2};
    gct_cmp c;
    char err[600];
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(c.n, 2);
    GCT_ASSERT_EQ(c.nmetrics, 2);
    GCT_ASSERT_STR_EQ(c.rows[0].config_b, "aa.ref");
    GCT_ASSERT_STR_EQ(c.rows[1].metric->field, "gc_examined");
    GCT_ASSERT_STR_EQ(c.rows[1].verdict, "same");
    gct_cmp_free(&c);
    /* A name without a successful run is said. */
    pb[0] = "missing";
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), -1);
    cr_assert(strstr(err, "missing"), "%s", err);
    /* A metric that is not a number of the records is refused. */
    static const gct_cmp_metric bad[] = {{"collector", "collector", true, false}};
    pb[0] = "tuned";
    o.metrics = bad;
    o.nmetrics = 1;
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), -1);
    cr_assert(strstr(err, "'collector' is not a number"), "%s", err);
    gct_results_free(&rows);
}

Test(summary, the_aa_pair_itself_is_never_called_different)
{
    /* A twin well apart from its original, slower: 0.8x in throughput, 1.3x
     * in p99 pause, every process of each side close together. */
    gct_results rows = {0};
    for (int i = 0; i < 8; i++) {
        add(&rows, "ref", "", 700, true, i, 100 + i * 0.01, GCT_STATUS_OK);
        add(&rows, "aa.ref", "ref", 700, true, i, 80 + i * 0.01, GCT_STATUS_OK);
        rows.rows[rows.n - 1].pause_p99_us = 130 + i * 0.01;
    }
    gct_summary s;
    gct_summarize(&rows, &s);
    /* noise.csv's spread is |0.8 - 1|; the floor is 0.8x on the log scale. */
    GCT_ASSERT_DBL_NEAR(s.noise[0].spread, 0.2, 1e-3);
    GCT_ASSERT_DBL_NEAR(gct_summary_noise_floor(&s, "trees"), 0.25, 1e-3);
    const char *pa[] = {"ref"}, *pb[] = {"aa.ref"};
    gct_cmp_opts o = {.pairs_a = pa, .pairs_b = pb, .npairs = 1, .noise_a = &s, .noise_b = &s,
                      .same_sweep = true};
    gct_cmp c;
    char err[600];
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < c.n; i++)
        if (!c.rows[i].metric->exact && !c.rows[i].constant &&
            strcmp(c.rows[i].verdict, "no data"))
            cr_assert(strstr(c.rows[i].verdict, "no detectable difference"), "%s: %.3fx: %s",
                      c.rows[i].metric->field, c.rows[i].ratio, c.rows[i].verdict);
    gct_cmp_free(&c);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(summary, a_timed_metric_alike_in_every_process_is_compared_exactly)
{
    /* Peak memory the same in every process of each side (a model's is):
     * 10% more is exact, whatever the noise floor. */
    gct_results rows = {0};
    for (int i = 0; i < 5; i++) {
        add(&rows, "ref", "", 700, true, i, 100 + i, GCT_STATUS_OK);
        add(&rows, "aa.ref", "ref", 700, true, i, 140 + i, GCT_STATUS_OK); /* a 40% floor */
        add(&rows, "other", "", 800, false, i, 100 + i, GCT_STATUS_OK);
        rows.rows[rows.n - 3].peak_bytes = 1000;
        rows.rows[rows.n - 2].peak_bytes = 1000;
        rows.rows[rows.n - 1].peak_bytes = 1100;
    }
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_cmp c;
    char err[600];
    gct_cmp_opts o = {.filter_a = "ref", .filter_b = "other", .noise_a = &s, .noise_b = &s,
                      .same_sweep = true};
    GCT_ASSERT_EQ(gct_compare(&rows, &rows, &o, &c, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < c.n; i++)
        if (!strcmp(c.rows[i].metric->field, "peak_bytes")) {
            cr_assert(c.rows[i].constant);
            GCT_ASSERT_STR_EQ(c.rows[i].verdict, "B 10% more");
        }
    gct_cmp_free(&c);
    gct_summary_free(&s);
    gct_results_free(&rows);
    /* One process a side proves nothing alike: compared as timed. */
    gct_results one = {0};
    add(&one, "ref", "", 700, true, 0, 100, GCT_STATUS_OK);
    add(&one, "other", "", 800, false, 0, 100, GCT_STATUS_OK);
    one.rows[0].peak_bytes = 1000;
    one.rows[1].peak_bytes = 1100;
    o.noise_a = o.noise_b = NULL;
    GCT_ASSERT_EQ(gct_compare(&one, &one, &o, &c, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < c.n; i++)
        if (!strcmp(c.rows[i].metric->field, "peak_bytes"))
            cr_assert(strstr(c.rows[i].verdict, "no detectable difference"), "%s",
                      c.rows[i].verdict);
    gct_cmp_free(&c);
    gct_results_free(&one);
}
