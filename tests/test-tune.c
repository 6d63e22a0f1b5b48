/* test-tune.c — gctune tune's decisions (results/tune.c) on synthetic cost
 * surfaces whose answer is known by construction: limits read and refused,
 * feasibility, dropping only beyond the noise floor, one of the same GC
 * work, the halving, nothing feasible, the lines to paste. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "tune.h"

/* A grid point of the surface: what one process of it measures. */
typedef struct point {
    int64_t gen0, gen1;
    double ops;      /* ops/s */
    double p99;      /* µs */
    double traversed;/* GC work */
} point;

/* A process of configuration p, round r: the surface times a noise of
 * +-noise (a fixed pattern over rounds: reproducible). */
static void add(gct_results *rows, const point *p, const char *aa_of, int r, double noise)
{
    static const double pattern[] = {0, 1, -1, 0.5, -0.5, 0.25, -0.25, 0.75};
    double f = 1 + noise * pattern[r % 8];
    char id[128];
    snprintf(id, sizeof id, "%sgencycle.syn.gen0-%ld.gen1-%ld.gen2-10", aa_of[0] ? "aa." : "",
             (long)p->gen0, (long)p->gen1);
    gct_result x;
    gct_result_init(&x);
    gct_result_set_str(&x, gct_result_field("config_id"), id);
    gct_result_set_str(&x, gct_result_field("collector"), "gencycle");
    gct_result_set_str(&x, gct_result_field("workload"), "syn");
    gct_result_set_str(&x, gct_result_field("aa_of"), aa_of);
    x.status = GCT_STATUS_OK;
    x.gen0 = p->gen0;
    x.gen1 = p->gen1;
    x.gen2 = 10;
    x.defaults = p->gen0 == 700 && p->gen1 == 10;
    x.ops = 1000;
    x.seed = 1;
    x.rep = x.round = r;
    x.ops_per_s = p->ops * f;
    x.wall_s = 1;
    x.pause_p99_us = p->p99 * f;
    x.pause_max_us = 2 * p->p99 * f;
    x.peak_bytes = 1e6 * (double)p->gen0 / 700;
    x.collections_gen0 = 1000000 / p->gen0;
    x.gc_examined = p->traversed / 3;
    x.gc_traversed = p->traversed;
    gct_results_push(rows, &x);
}

/* The surface: throughput rises with gen0 and with gen1; p99 rises with
 * gen0 (bigger young generations, longer collections).  The default is
 * 700/10.  Under "p99 <= 2x the default's" (2 x 100 = 200 µs) the fastest,
 * 10000/100, is out (p99 400) and so is 10000/10 (300): the answer is
 * 2000/100 (180 µs, 1300 ops/s). */
static const point surface[] = {
    {100, 10, 600, 40, 9e6},    {100, 100, 700, 45, 8e6},   {700, 10, 1000, 100, 5e6},
    {700, 100, 1100, 105, 4e6}, {2000, 10, 1200, 170, 3e6}, {2000, 100, 1300, 180, 2.5e6},
    {10000, 10, 1500, 300, 1e6}, {10000, 100, 1600, 400, 0.8e6},
};
#define NSURF (sizeof surface / sizeof surface[0])

static void measure(gct_results *rows, int reps, double noise)
{
    for (int r = 0; r < reps; r++) {
        for (size_t i = 0; i < NSURF; i++)
            add(rows, &surface[i], "", r, noise);
        add(rows, &surface[2], "gencycle.syn.gen0-700.gen1-10.gen2-10", r, noise); /* A/A */
    }
}

static gct_tune_goal goal_with(const char *max_p99)
{
    gct_tune_goal g = {.objective = GCT_TUNE_THROUGHPUT};
    char err[200];
    if (max_p99) {
        cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_P99, max_p99, &g.limits[0], err, sizeof err),
                     0, "%s", err);
        g.nlimits = 1;
    }
    return g;
}

Test(tune, limits_are_read_in_their_units_and_bad_ones_named)
{
    gct_tune_limit l;
    char err[200];
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_P99, "2x", &l, err, sizeof err), 0);
    cr_assert(l.relative && l.value == 2);
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_P99, "1.5ms", &l, err, sizeof err), 0);
    GCT_ASSERT_DBL_NEAR(l.value, 1500, 1e-9, "1.5ms = %g us", l.value);
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_MAX_PAUSE, "800us", &l, err, sizeof err), 0);
    GCT_ASSERT_DBL_NEAR(l.value, 800, 1e-9);
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_MEMORY, "512M", &l, err, sizeof err), 0);
    GCT_ASSERT_DBL_NEAR(l.value, 512.0 * 1048576, 1e-3);
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_MEMORY, "1.5GiB", &l, err, sizeof err), 0);
    GCT_ASSERT_DBL_NEAR(l.value, 1.5 * 1073741824, 1e-3);
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_GC_FRACTION, "5%", &l, err, sizeof err), 0);
    GCT_ASSERT_DBL_NEAR(l.value, 0.05, 1e-12);
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_GC_FRACTION, "0.05", &l, err, sizeof err), 0);
    GCT_ASSERT_DBL_NEAR(l.value, 0.05, 1e-12);
    const char *bad[] = {"abc", "-1ms", "1e3us", "2 ms", "0ms", "ms", "2y", "inf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_P99, bad[i], &l, err, sizeof err), -1,
                     "'%s' accepted", bad[i]);
        cr_assert(strstr(err, bad[i]) && strstr(err, "--max-p99"), "'%s': %s", bad[i], err);
    }
    cr_assert_eq(gct_tune_parse_limit(GCT_TUNE_MEMORY, "12ms", &l, err, sizeof err), -1);
    cr_assert_eq(gct_tune_metric_by_name("max-pause"), GCT_TUNE_MAX_PAUSE);
    cr_assert_eq(gct_tune_metric_by_name("speed"), -1);
}

Test(tune, the_best_feasible_point_of_the_surface_is_the_answer)
{
    gct_results rows = {0};
    measure(&rows, 5, 0.02);
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_tune_goal g = goal_with("2x");
    gct_tune_entry e[16];
    const gct_config_summary *ref;
    size_t n = gct_tune_evaluate(&s, "syn", "gencycle", &g, e, 16, &ref);
    GCT_ASSERT_EQ(n, NSURF, "%zu candidates (the A/A twin is none)", n);
    cr_assert_not_null(ref);
    GCT_ASSERT_STR_EQ(ref->id, "gencycle.syn.gen0-700.gen1-10.gen2-10");
    const gct_tune_entry *best = gct_tune_best(e, n);
    cr_assert_not_null(best);
    GCT_ASSERT_STR_EQ(best->c->id, "gencycle.syn.gen0-2000.gen1-100.gen2-10");
    GCT_ASSERT_DBL_NEAR(best->limit_at[0], 200, 1e-6, "2x the default's p99: %g",
                        best->limit_at[0]);
    GCT_ASSERT_DBL_NEAR(best->margin[0], 0.1, 1e-6, "180 against 200: 10%% room");
    /* Without the limit the fastest point wins. */
    gct_tune_goal free_goal = goal_with(NULL);
    n = gct_tune_evaluate(&s, "syn", "gencycle", &free_goal, e, 16, NULL);
    GCT_ASSERT_STR_EQ(gct_tune_best(e, n)->c->id, "gencycle.syn.gen0-10000.gen1-100.gen2-10");
    /* The answer is the same from the same measurements, every time. */
    for (int k = 0; k < 3; k++) {
        n = gct_tune_evaluate(&s, "syn", "gencycle", &g, e, 16, NULL);
        GCT_ASSERT_STR_EQ(gct_tune_best(e, n)->c->id, "gencycle.syn.gen0-2000.gen1-100.gen2-10");
    }
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(tune, only_losses_beyond_the_noise_floor_drop_a_candidate)
{
    /* Quiet: the A/A floor is about 0: the halving by the objective alone. */
    gct_results rows = {0};
    measure(&rows, 5, 0.02);
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_tune_goal g = goal_with("2x");
    gct_tune_entry e[16];
    size_t n = gct_tune_evaluate(&s, "syn", "gencycle", &g, e, 16, NULL);
    size_t kept = gct_tune_select(&s, "syn", &g, e, n, NULL, 2);
    GCT_ASSERT_EQ(kept, 1, "only the best is within the floor of itself: %zu", kept);
    for (size_t i = 0; i < n; i++) {
        const char *id = e[i].c->id;
        if (strstr(id, "gen0-10000"))
            cr_assert_eq(e[i].state, GCT_TUNE_INFEASIBLE, "%s: %s", id, e[i].why);
        else if (strstr(id, "gen0-2000.gen1-100"))
            cr_assert_eq(e[i].state, GCT_TUNE_ALIVE, "%s: %s", id, e[i].why);
        else
            cr_assert_eq(e[i].state, GCT_TUNE_LOSES, "%s: %s", id, e[i].why);
    }
    gct_summary_free(&s);
    gct_results_free(&rows);

    /* Noisy: the twin lands 20% from its original, a floor of 20%.  A
     * (1600 ops/s) and B (1550) are within it of each other: time cannot
     * tell them apart, so the halving to one keeps the one with less GC
     * work, B, though A measured faster; the default (1000) loses. */
    point ab[] = {{700, 10, 1000, 100, 5e6}, {5000, 10, 1600, 150, 2e6},
                  {5000, 100, 1550, 150, 1e6}};
    gct_results noisy = {0};
    for (size_t i = 0; i < 3; i++)
        add(&noisy, &ab[i], "", 0, 0);
    add(&noisy, &ab[0], "gencycle.syn.gen0-700.gen1-10.gen2-10", 0, 0);
    add(&noisy, &ab[0], "gencycle.syn.gen0-700.gen1-10.gen2-10", 1, 0.4); /* 1400 */
    gct_summarize(&noisy, &s);
    double floor = gct_summary_noise_floor(&s, "syn");
    GCT_ASSERT_DBL_NEAR(floor, 0.2, 1e-9, "floor %g", floor);
    gct_tune_goal free_goal = goal_with(NULL);
    n = gct_tune_evaluate(&s, "syn", "gencycle", &free_goal, e, 16, NULL);
    GCT_ASSERT_EQ(n, 3);
    GCT_ASSERT_STR_EQ(e[0].c->id, "gencycle.syn.gen0-5000.gen1-10.gen2-10");
    kept = gct_tune_select(&s, "syn", &free_goal, e, n, NULL, 1);
    GCT_ASSERT_EQ(kept, 1);
    cr_assert_eq(e[0].state, GCT_TUNE_HALVED, "A: %s", e[0].why);
    cr_assert(strstr(e[0].why, "more GC work"), "%s", e[0].why);
    cr_assert_eq(e[1].state, GCT_TUNE_ALIVE, "B: %s", e[1].why);
    cr_assert_eq(e[2].state, GCT_TUNE_LOSES, "the default: %s", e[2].why);
    /* With room for both, both go on. */
    n = gct_tune_evaluate(&s, "syn", "gencycle", &free_goal, e, 16, NULL);
    GCT_ASSERT_EQ(gct_tune_select(&s, "syn", &free_goal, e, n, NULL, 2), 2);
    gct_summary_free(&s);
    gct_results_free(&noisy);
}

Test(tune, the_same_gc_work_is_one_run)
{
    /* 700/10 and 700/100 do exactly the same collections (gen1 never
     * reached, say): time cannot tell them apart, so one is dropped. */
    point twins[] = {{700, 10, 1000, 100, 5e6}, {700, 100, 1001, 100, 5e6}};
    gct_results rows = {0};
    for (int r = 0; r < 3; r++) {
        add(&rows, &twins[0], "", r, 0.01);
        add(&rows, &twins[1], "", r, 0.01);
        add(&rows, &twins[0], "gencycle.syn.gen0-700.gen1-10.gen2-10", r + 1, 0.01);
    }
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_tune_goal g = goal_with(NULL);
    gct_tune_entry e[4];
    size_t n = gct_tune_evaluate(&s, "syn", "gencycle", &g, e, 4, NULL);
    GCT_ASSERT_EQ(n, 2);
    size_t kept = gct_tune_select(&s, "syn", &g, e, n, NULL, 2);
    GCT_ASSERT_EQ(kept, 1);
    cr_assert_eq(e[1].state, GCT_TUNE_SAME_WORK, "%s: %s", e[1].c->id, e[1].why);
    cr_assert(strstr(e[1].why, e[0].c->id), "%s", e[1].why);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(tune, nothing_feasible_names_the_binding_limit_and_by_how_much)
{
    gct_results rows = {0};
    measure(&rows, 3, 0);
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_tune_goal g = goal_with("20us");
    gct_tune_entry e[16];
    size_t n = gct_tune_evaluate(&s, "syn", "gencycle", &g, e, 16, NULL);
    cr_assert_null(gct_tune_best(e, n));
    /* The closest is 100/10 with 40 µs: 100% over 20 µs. */
    GCT_ASSERT_STR_EQ(e[0].c->id, "gencycle.syn.gen0-100.gen1-10.gen2-10");
    char why[400];
    gct_tune_explain_infeasible(&g, e, n, why, sizeof why);
    cr_assert(strstr(why, "p99 pause") && strstr(why, "20") && strstr(why, "100%") &&
                  strstr(why, "over") && strstr(why, e[0].c->id),
              "%s", why);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(tune, the_lines_to_paste)
{
    gct_config_summary c = {.gen0 = 12000, .gen1 = 20, .gen2 = 10};
    char buf[200];
    gct_tune_paste_lines(&c, buf, sizeof buf);
    GCT_ASSERT_STR_EQ(buf, "import gc\ngc.set_threshold(12000, 20, 10)\n");
    gct_config_summary f = {.gen0 = 2000, .gen1 = 10, .gen2 = 10,
                            .knobs = "gen0=2000;gen1=10;gen2=10;cascade=1000;freeze=1"};
    gct_tune_paste_lines(&f, buf, sizeof buf);
    GCT_ASSERT_STR_EQ(buf, "import gc\ngc.set_threshold(2000, 10, 10)\n"
                           "gc.freeze()  # once start-up is done (before forking workers)\n");
    gct_config_summary off = {.gen0 = 0, .gen1 = 10, .gen2 = 10,
                              .knobs = "gen0=0;gen1=10;gen2=10;cascade=1000;freeze=0"};
    gct_tune_paste_lines(&off, buf, sizeof buf);
    GCT_ASSERT_STR_EQ(buf, "import gc\ngc.disable()\n");
}

Test(tune, a_sweep_recommends_only_what_the_rule_can_tell)
{
    /* The surface, 5 quiet processes each: 2000/100 under p99 <= 2x, 1.3x
     * the default's throughput, beyond any doubt. */
    gct_results rows = {0};
    measure(&rows, 5, 0.02);
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_tune_goal g = goal_with("2x");
    gct_recommendation r;
    cr_assert_eq(gct_tune_recommend(&rows, &s, "syn", "gencycle", &g, 1, &r), 0, "%s", r.text);
    GCT_ASSERT_STR_EQ(r.choice->id, "gencycle.syn.gen0-2000.gen1-100.gen2-10");
    cr_assert(r.detected, "%s", r.text);
    GCT_ASSERT_DBL_NEAR(r.ratio, 1.3, 0.02, "%s", r.text);
    cr_assert(strstr(r.text, "room"), "the margin to the limit: %s", r.text);
    gct_summary_free(&s);
    gct_results_free(&rows);

    /* A 10% faster point behind a 20% noise floor: keep the default, and
     * say so. */
    point ab[] = {{700, 10, 1000, 100, 5e6}, {5000, 10, 1100, 100, 2e6}};
    gct_results noisy = {0};
    for (int k = 0; k < 5; k++) {
        add(&noisy, &ab[0], "", k, 0.01);
        add(&noisy, &ab[1], "", k, 0.01);
        add(&noisy, &ab[0], "gencycle.syn.gen0-700.gen1-10.gen2-10", k, 0.01);
    }
    for (size_t i = 0; i < noisy.n; i++) /* the twin 20% up: the floor */
        if (noisy.rows[i].aa_of[0])
            noisy.rows[i].ops_per_s *= 1.2;
    gct_summarize(&noisy, &s);
    gct_tune_goal free_goal = goal_with(NULL);
    cr_assert_eq(gct_tune_recommend(&noisy, &s, "syn", "gencycle", &free_goal, 1, &r), 0);
    GCT_ASSERT_STR_EQ(r.best->id, "gencycle.syn.gen0-5000.gen1-10.gen2-10");
    GCT_ASSERT_STR_EQ(r.choice->id, "gencycle.syn.gen0-700.gen1-10.gen2-10");
    cr_assert(!r.detected && strstr(r.text, "keep the default"), "%s", r.text);
    /* Unless the default breaks a limit the other meets. */
    gct_tune_goal tight = goal_with("110us");
    ab[0].p99 = 150;
    gct_summary_free(&s);
    gct_results_free(&noisy);
    noisy = (gct_results){0};
    for (int k = 0; k < 5; k++) {
        add(&noisy, &ab[0], "", k, 0.01);
        add(&noisy, &ab[1], "", k, 0.01);
        add(&noisy, &ab[0], "gencycle.syn.gen0-700.gen1-10.gen2-10", k, 0.01);
    }
    for (size_t i = 0; i < noisy.n; i++)
        if (noisy.rows[i].aa_of[0])
            noisy.rows[i].ops_per_s *= 1.2;
    gct_summarize(&noisy, &s);
    cr_assert_eq(gct_tune_recommend(&noisy, &s, "syn", "gencycle", &tight, 1, &r), 0);
    GCT_ASSERT_STR_EQ(r.choice->id, "gencycle.syn.gen0-5000.gen1-10.gen2-10");
    cr_assert(strstr(r.text, "breaks a limit"), "%s", r.text);
    gct_summary_free(&s);
    gct_results_free(&noisy);
}

Test(tune, candidates_of_the_same_work_measure_the_noise_too)
{
    /* The twin landed on its original (a floor of 0), but 700/10 and
     * 700/100, the same GC work, landed 30% apart: that is noise as well,
     * so 10000/10 at 1100 is not dropped against 1300. */
    point p[] = {{700, 10, 1000, 100, 5e6}, {700, 100, 1300, 100, 5e6},
                 {10000, 10, 1100, 100, 1e6}};
    gct_results rows = {0};
    for (size_t i = 0; i < 3; i++)
        add(&rows, &p[i], "", 0, 0);
    add(&rows, &p[0], "gencycle.syn.gen0-700.gen1-10.gen2-10", 0, 0);
    gct_summary s;
    gct_summarize(&rows, &s);
    gct_tune_goal g = goal_with(NULL);
    gct_tune_entry e[4];
    size_t n = gct_tune_evaluate(&s, "syn", "gencycle", &g, e, 4, NULL);
    GCT_ASSERT_EQ(n, 3);
    gct_tune_select(&s, "syn", &g, e, n, NULL, 3);
    for (size_t i = 0; i < n; i++)
        cr_assert_neq(e[i].state, GCT_TUNE_LOSES, "%s: %s", e[i].c->id, e[i].why);
    gct_summary_free(&s);
    gct_results_free(&rows);
}
