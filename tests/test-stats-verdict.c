/* test-stats-verdict.c — the verdict rule (gct_effect_of) and the detectable
 * effect: its power, A/A false verdicts, its edge cases, the spread of
 * samples (suite "effect").
 * The tests' random numbers and NEAR: common/stats_common.h. */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <criterion/logging.h>
#include <math.h>
#include <string.h>

#include "stats.h"

#include "stats_common.h"

/* ---- The verdict rule: gct_effect_of and the detectable effect ---------------- */

static double uniform01(uint64_t *s) { return ((double)(rnd(s) >> 11) + 0.5) / 9007199254740992.0; }

/* A standard normal deviate (Box-Muller). */
static double normal(uint64_t *s)
{
    double u = uniform01(s), v = uniform01(s);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* n runs of a benchmark scoring about 1000 with lognormal noise: the log
 * values have standard deviation sigma, shifted by `shift`; with noisy set,
 * 1 run in 10 (on average) is slowed 1.5x by a neighbour. */
static void draw(uint64_t *s, double *v, size_t n, double shift, double sigma, bool noisy)
{
    for (size_t i = 0; i < n; i++) {
        v[i] = 1000 * exp(shift + sigma * normal(s));
        if (noisy && uniform01(s) < 0.1)
            v[i] /= 1.5;
    }
}

/* The share of `trials` comparisons of na vs nb runs, B shifted by `shift`
 * on the log scale (up in even trials, down in odd ones), in which the rule
 * reports the true direction; *wrong counts those reporting the other one. */
static double detection_rate(size_t na, size_t nb, double sigma, double shift, double floor_,
                             bool noisy, int trials, uint64_t seed, int *wrong)
{
    uint64_t s = seed;
    int hits = 0;
    *wrong = 0;
    for (int t = 0; t < trials; t++) {
        double a[64], b[64];
        int sign = t % 2 ? -1 : 1;
        draw(&s, a, na, 0, sigma, noisy);
        draw(&s, b, nb, sign * shift, sigma, noisy);
        gct_effect e;
        GCT_ASSERT_EQ(gct_effect_of(a, na, b, nb, floor_, (uint64_t)t, &e), 0);
        if (e.direction == sign)
            hits++;
        else if (e.direction != 0)
            ++*wrong;
    }
    return (double)hits / trials;
}

/*
 * The detectable effect is what it claims: B shifted by it (computed from
 * the true spread) is detected in about 80% of comparisons, half of it
 * mostly not, twice it nearly always.  400 trials at the effect put the
 * Monte Carlo standard error of the rate at 0.02, so [0.65, 0.92] lies 6
 * or more standard errors from 0.8, yet fails a detectable effect 15% too
 * small or 25% too large (near 0.8 the rate moves 0.09 per 10% of effect,
 * less above).
 */
static void expect_power(size_t na, size_t nb, uint64_t seed)
{
    const double sigmas[] = {0.01, 0.05, 0.2};
    for (size_t k = 0; k < 3; k++) {
        double sigma = sigmas[k];
        double d = gct_detectable_effect_sd(sigma, na, sigma, nb, 0, 0.05, 0.8);
        cr_assert(d > 0 && isfinite(d), "%zu vs %zu, sigma %g: detectable %g", na, nb, sigma, d);
        int wrong;
        double at = detection_rate(na, nb, sigma, log1p(d), 0, false, 400, seed + k, &wrong);
        cr_assert(at >= 0.65 && at <= 0.92,
                  "%zu vs %zu, sigma %g: an effect of %.4f (the detectable one) is detected in "
                  "%.3f of 400 comparisons, expected 0.8 (0.65..0.92)",
                  na, nb, sigma, d, at);
        cr_assert(wrong == 0, "%zu vs %zu, sigma %g: %d verdicts the wrong way", na, nb, sigma,
                  wrong);
        double half = detection_rate(na, nb, sigma, log1p(d / 2), 0, false, 200, seed + 10 + k,
                                     &wrong);
        cr_assert(half < 0.5,
                  "%zu vs %zu, sigma %g: half the detectable effect (%.4f) is detected in %.3f "
                  "of 200, expected well below 0.8",
                  na, nb, sigma, d / 2, half);
        double twice = detection_rate(na, nb, sigma, log1p(2 * d), 0, false, 200,
                                      seed + 20 + k, &wrong);
        cr_log_info("%zu vs %zu, sigma %g: detectable %.4f, detected in %.3f; half %.3f, "
                    "twice %.3f",
                    na, nb, sigma, d, at, half, twice);
        cr_assert(twice > 0.95,
                  "%zu vs %zu, sigma %g: twice the detectable effect (%.4f) is detected in %.3f "
                  "of 200, expected above 0.95",
                  na, nb, sigma, 2 * d, twice);
    }
}

Test(effect, detectable_effect_is_detected_80_percent_with_5_runs) { expect_power(5, 5, 501); }
Test(effect, detectable_effect_is_detected_80_percent_with_8_runs) { expect_power(8, 8, 801); }
Test(effect, detectable_effect_is_detected_80_percent_with_10_runs) { expect_power(10, 10, 1001); }
Test(effect, detectable_effect_is_detected_80_percent_with_20_runs) { expect_power(20, 20, 2001); }
Test(effect, detectable_effect_is_detected_80_percent_with_5_vs_10_runs)
{
    expect_power(5, 10, 510);
}

/* ---- A/A: the same distribution on both sides ------------------------------- */

/* The q-quantile of the standard normal distribution (bisection on erfc). */
static double normal_quantile(double q)
{
    double lo = -40, hi = 40;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / sqrt(2.0)) < q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

typedef struct aa_case {
    size_t na, nb;
    double sigma;
    bool noisy; /* 1 run in 10 slowed 1.5x, on either side */
} aa_case;

#define AA_TRIALS 2000
#define AA_GROUPS 6 /* the Test cases below, one group of cases each */
#define AA_CASES 18 /* over all groups */

/*
 * Every verdict between two samples of the same distribution is false; the
 * rule may give one in at most 5% of comparisons.  The counts are
 * deterministic, but a rule whose true rate were exactly 5% would exceed 5%
 * for half the seeds, so each bound adds the Monte Carlo margin at which
 * such a rule would fail with probability 1% (one-sided, Bonferroni over
 * the 18 cases, or over the 6 groups pooled): 5% + z sqrt(0.05 0.95 / N),
 * z = 3.26 per case of N = 2000 (6.6%), z = 2.94 per group of 4 or 2 cases
 * (5.7% or 6.0%).
 */
static void expect_aa(const aa_case *cases, size_t n, uint64_t seed)
{
    double z_case = normal_quantile(1 - 0.01 / AA_CASES);
    double z_group = normal_quantile(1 - 0.01 / AA_GROUPS);
    int total = 0;
    for (size_t c = 0; c < n; c++) {
        const aa_case *k = &cases[c];
        uint64_t s = seed + c;
        int verdicts = 0;
        for (int t = 0; t < AA_TRIALS; t++) {
            double a[64], b[64];
            draw(&s, a, k->na, 0, k->sigma, k->noisy);
            draw(&s, b, k->nb, 0, k->sigma, k->noisy);
            gct_effect e;
            gct_effect_of(a, k->na, b, k->nb, 0, (uint64_t)t, &e);
            verdicts += e.direction != 0;
        }
        double rate = (double)verdicts / AA_TRIALS;
        double bound = 0.05 + z_case * sqrt(0.05 * 0.95 / AA_TRIALS);
        cr_log_info("A/A %zu vs %zu, sigma %g%s: %.4f", k->na, k->nb, k->sigma,
                    k->noisy ? ", noisy" : "", rate);
        cr_assert(rate <= bound,
                  "A/A %zu vs %zu runs, sigma %g%s: a verdict in %.4f of %d comparisons, "
                  "above 5%% (bound %.4f with the Monte Carlo margin)",
                  k->na, k->nb, k->sigma, k->noisy ? ", noisy neighbour" : "", rate, AA_TRIALS,
                  bound);
        total += verdicts;
    }
    double trials = (double)(AA_TRIALS * (int)n), rate = total / trials;
    double bound = 0.05 + z_group * sqrt(0.05 * 0.95 / trials);
    cr_assert(rate <= bound, "A/A pooled over %zu cases: a verdict in %.4f of %.0f comparisons, "
                             "above 5%% (bound %.4f)",
              n, rate, trials, bound);
}

Test(effect, aa_false_verdicts_with_5_runs)
{
    const aa_case cases[] = {{5, 5, 0.01, false}, {5, 5, 0.05, false}, {5, 5, 0.2, false},
                             {5, 5, 0.05, true}};
    expect_aa(cases, 4, 5000);
}

Test(effect, aa_false_verdicts_with_8_runs)
{
    const aa_case cases[] = {{8, 8, 0.01, false}, {8, 8, 0.05, false}, {8, 8, 0.2, false},
                             {8, 8, 0.2, true}};
    expect_aa(cases, 4, 8000);
}

Test(effect, aa_false_verdicts_with_10_runs)
{
    const aa_case cases[] = {{10, 10, 0.01, false}, {10, 10, 0.05, false}, {10, 10, 0.2, false},
                             {10, 10, 0.01, true}};
    expect_aa(cases, 4, 10000);
}

Test(effect, aa_false_verdicts_with_5_vs_10_runs)
{
    const aa_case cases[] = {{5, 10, 0.05, false}, {5, 10, 0.05, true}};
    expect_aa(cases, 2, 5100);
}

Test(effect, aa_false_verdicts_with_20_runs)
{
    const aa_case cases[] = {{20, 20, 0.01, false}, {20, 20, 0.05, false}};
    expect_aa(cases, 2, 20000);
}

Test(effect, aa_false_verdicts_with_20_runs_wide_or_noisy)
{
    const aa_case cases[] = {{20, 20, 0.2, false}, {20, 20, 0.05, true}};
    expect_aa(cases, 2, 20100);
}

/* ---- Edge cases of the rule ------------------------------------------------- */

static void expect_verdict(const gct_effect *e, int direction, const char *why)
{
    cr_assert(e->direction == direction && !strcmp(e->why, why),
              "direction %d (%s), expected %d (%s); p %.4g, ratio %.4f [%.4f, %.4f], "
              "critical %.4f, threshold %.4f, detectable %.4f",
              e->direction, e->why, direction, why, e->p, e->ratio, e->lo, e->hi, e->critical,
              e->threshold, e->detectable);
}

Test(effect, three_runs_each_can_never_be_significant)
{
    /* The smallest two-sided p of 3 vs 3 is 2 / C(6, 3) = 0.1. */
    double a[] = {100, 101, 102}, b[] = {200, 201, 202};
    double d = gct_detectable_effect(a, 3, b, 3, 0.05, 0.8);
    cr_assert(isinf(d) && d > 0, "detectable %g with 3 vs 3, expected INFINITY", d);
    gct_effect e;
    GCT_ASSERT_EQ(gct_effect_of(a, 3, b, 3, 0, 1, &e), 0);
    expect_verdict(&e, 0, "too few runs");
    NEAR(e.p, 0.1);
    cr_assert(isinf(e.detectable) && isinf(e.critical) && isinf(e.threshold),
              "detectable %g, critical %g, threshold %g", e.detectable, e.critical, e.threshold);
    /* Ties make the normal approximation reach p = 0.047 with 3 vs 3, but
     * the sample sizes, not the luck of the ties, decide. */
    double c[] = {5, 5, 5}, f[] = {6, 6, 6};
    gct_mwu u;
    gct_mann_whitney(c, 3, f, 3, &u);
    cr_assert(u.p < 0.05, "p %g", u.p);
    gct_effect_of(c, 3, f, 3, 0, 1, &e);
    expect_verdict(&e, 0, "too few runs");
    /* 3 vs 4: 2/35 = 0.057; 2 vs 7: 2/36 = 0.056; 4 vs 4: 2/70; 2 vs 8: 2/45. */
    cr_assert(isinf(gct_detectable_effect_sd(0.05, 3, 0.05, 4, 0, 0.05, 0.8)));
    cr_assert(isinf(gct_detectable_effect_sd(0.05, 2, 0.05, 7, 0, 0.05, 0.8)));
    cr_assert(isfinite(gct_detectable_effect_sd(0.05, 4, 0.05, 4, 0, 0.05, 0.8)));
    cr_assert(isfinite(gct_detectable_effect_sd(0.05, 2, 0.05, 8, 0, 0.05, 0.8)));
}

Test(effect, all_values_equal_is_identical)
{
    double v[] = {42, 42, 42, 42, 42};
    gct_effect e;
    GCT_ASSERT_EQ(gct_effect_of(v, 5, v, 5, 0, 1, &e), 0);
    expect_verdict(&e, 0, "identical");
    NEAR(e.ratio, 1);
    NEAR(e.lo, 1);
    NEAR(e.hi, 1);
    NEAR(e.p, 1);
    NEAR(e.detectable, 0);
    /* Equal within each side but different across: a real difference. */
    double w[] = {43, 43, 43, 43, 43};
    gct_effect_of(v, 5, w, 5, 0, 1, &e);
    expect_verdict(&e, 1, "detected");
}

Test(effect, a_huge_difference_with_5_runs_is_detected_both_ways)
{
    double a[] = {100, 102, 98, 101, 99}, b[] = {300, 310, 290, 305, 295};
    gct_effect e;
    gct_effect_of(a, 5, b, 5, 0, 1, &e);
    expect_verdict(&e, 1, "detected");
    NEAR(e.ratio, 3);
    cr_assert(e.lo > 1 && e.p_b_higher == 1, "interval [%g, %g], P(b > a) %g", e.lo, e.hi,
              e.p_b_higher);
    gct_effect_of(b, 5, a, 5, 0, 1, &e);
    expect_verdict(&e, -1, "detected");
    cr_assert(e.hi < 1 && e.p_b_higher == 0, "interval [%g, %g], P(b > a) %g", e.lo, e.hi,
              e.p_b_higher);
}

Test(effect, a_floor_above_the_effect_hides_it)
{
    /* 10% faster with a spread of about 0.3%: clear, unless A/A comparisons
     * on this machine differ by up to 20% anyway. */
    double a[] = {100.0, 100.5, 99.5, 100.2, 99.8, 100.3, 99.6};
    double b[] = {110.0, 110.6, 109.4, 110.2, 109.8, 110.3, 109.7};
    gct_effect e;
    gct_effect_of(a, 7, b, 7, 0.2, 1, &e);
    expect_verdict(&e, 0, "below the noise floor");
    NEAR(e.threshold, 0.2);
    /* The rule then needs a true effect beyond the floor to see it 80% of
     * the time. */
    cr_assert(e.detectable > 0.2, "detectable %g with a floor of 0.2", e.detectable);
    gct_effect_of(a, 7, b, 7, 0.05, 1, &e);
    expect_verdict(&e, 1, "detected");
    NEAR(e.threshold, 0.05);
    /* Dropping to 1/1.1 is as large as rising to 1.1 on the log scale. */
    gct_effect_of(b, 7, a, 7, 0.0999, 1, &e);
    expect_verdict(&e, -1, "detected");
    gct_effect_of(b, 7, a, 7, 0.1001, 1, &e);
    expect_verdict(&e, 0, "below the noise floor");
}

Test(effect, significant_ranks_below_the_detectable_effect)
{
    /* B beats A in 24 of 25 pairs (p = 0.016) and the interval of the ratio
     * leaves out 1, but a 4.3% difference of medians is less than the
     * spread of these runs can tell apart: below the significance test's own
     * detectable shift, the bar (and even below the critical effect). */
    double a[] = {105.8, 107.9, 100.8, 104.1, 102.5}, b[] = {108, 106.2, 110.1, 110.2, 108.6};
    gct_effect e;
    gct_effect_of(a, 5, b, 5, 0, 1, &e);
    expect_verdict(&e, 0, "below the detectable effect");
    cr_assert(e.p < 0.05 && (e.lo > 1 || e.hi < 1) && e.ratio - 1 < e.threshold,
              "p %g, interval [%g, %g], ratio %g, threshold %g", e.p, e.lo, e.hi, e.ratio,
              e.threshold);
    cr_assert(e.critical < e.threshold && e.threshold < e.detectable,
              "critical %g < threshold %g < detectable %g", e.critical, e.threshold,
              e.detectable);
}

Test(effect, a_zero_median_has_no_ratio)
{
    double zero[] = {0, 0, 0, 0, 0}, b[] = {5, 6, 7, 8, 9};
    gct_effect e;
    gct_effect_of(zero, 5, b, 5, 0, 1, &e);
    cr_assert(isnan(e.ratio) && isnan(e.lo) && isnan(e.hi), "ratio %g [%g, %g]", e.ratio, e.lo,
              e.hi);
    /* No log model for values of 0: the spread and the effects are unknown,
     * and the test alone decides. */
    cr_assert(isnan(e.detectable) && isnan(e.critical), "detectable %g, critical %g",
              e.detectable, e.critical);
    expect_verdict(&e, 1, "detected");
    gct_effect_of(b, 5, zero, 5, 0, 1, &e);
    NEAR(e.ratio, 0);
    expect_verdict(&e, -1, "detected");
    double c[] = {0, 0, 0, 1, 2}, f[] = {0, 0, 1, 1, 2};
    gct_effect_of(c, 5, f, 5, 0, 1, &e);
    expect_verdict(&e, 0, "not significant");
    gct_effect_of(zero, 5, zero, 5, 0, 1, &e);
    expect_verdict(&e, 0, "identical");
}

Test(effect, empty_sides_and_determinism)
{
    double a[] = {100, 103, 98, 101, 99, 104}, b[] = {104, 108, 103, 106, 107, 105};
    gct_effect e, f;
    GCT_ASSERT_EQ(gct_effect_of(a, 0, b, 6, 0, 1, &e), -1);
    cr_assert(e.direction == 0 && isnan(e.ratio) && isnan(e.p));
    GCT_ASSERT_EQ(gct_effect_of(a, 6, b, 0, 0, 1, &e), -1);
    cr_assert(isnan(gct_detectable_effect(a, 0, b, 6, 0.05, 0.8)));
    gct_effect_of(a, 6, b, 6, 0, 77, &e);
    gct_effect_of(a, 6, b, 6, 0, 77, &f);
    cr_assert(e.lo == f.lo && e.hi == f.hi && e.direction == f.direction &&
                  e.detectable == f.detectable,
              "[%.17g, %.17g] then [%.17g, %.17g]", e.lo, e.hi, f.lo, f.hi);
}

/* ---- The spread and the detectable effect of samples ------------------------ */

Test(effect, log_spread_is_qn_of_the_logs)
{
    /* Log values 0, 0.1, 0.3, 0.6, 1: the ten distances sorted are 0.1 0.2
     * 0.3 0.3 0.4 ...; Qn takes the C(3, 2) = 3rd, times 2.2219 and 0.844
     * (n = 5). */
    double v[5];
    const double logs[] = {0, 0.1, 0.3, 0.6, 1};
    for (int i = 0; i < 5; i++)
        v[i] = exp(logs[i]);
    cr_assert(fabs(gct_log_spread(v, 5) - 2.2219 * 0.844 * 0.3) < 1e-12, "spread %.12g",
              gct_log_spread(v, 5));
    cr_assert(isnan(gct_log_spread(v, 1)));
    double bad[] = {1, 2, 0, 3};
    cr_assert(isnan(gct_log_spread(bad, 4)));
    cr_assert(isnan(gct_detectable_effect(bad, 4, v, 5, 0.05, 0.8)));
}

Test(effect, log_spread_estimates_sigma_and_ignores_a_noisy_neighbour)
{
    /* Unbiased on lognormal runs: over 4000 samples of 5 its mean is within
     * 3% of sigma (its standard error there is about 0.85%). */
    uint64_t s = 31;
    double sum = 0;
    for (int t = 0; t < 4000; t++) {
        double v[5];
        draw(&s, v, 5, 0, 0.05, false);
        sum += gct_log_spread(v, 5);
    }
    cr_assert(fabs(sum / 4000 / 0.05 - 1) < 0.03, "mean spread %.5f for sigma 0.05", sum / 4000);
    /* One run in ten slowed 1.5x moves it little. */
    double v[10];
    draw(&s, v, 10, 0, 0.01, false);
    double clean = gct_log_spread(v, 10);
    v[3] /= 1.5;
    double noisy = gct_log_spread(v, 10);
    cr_assert(noisy < 1.5 * clean, "spread %g, %g with a run slowed 1.5x", clean, noisy);
}

Test(effect, detectable_effect_of_samples)
{
    uint64_t s = 77;
    double a[10], b[10];
    draw(&s, a, 10, 0, 0.05, false);
    draw(&s, b, 10, 0.1, 0.05, false);
    double d = gct_detectable_effect(a, 10, b, 10, 0.05, 0.8);
    double want = gct_detectable_effect_sd(gct_log_spread(a, 10), 10, gct_log_spread(b, 10), 10, 0,
                                           0.05, 0.8);
    NEAR(d, want);
    /* More runs, a smaller spread or less power: a smaller effect. */
    double at5 = gct_detectable_effect_sd(0.05, 5, 0.05, 5, 0, 0.05, 0.8);
    double at10 = gct_detectable_effect_sd(0.05, 10, 0.05, 10, 0, 0.05, 0.8);
    double tight = gct_detectable_effect_sd(0.01, 10, 0.01, 10, 0, 0.05, 0.8);
    double half = gct_detectable_effect_sd(0.05, 10, 0.05, 10, 0, 0.05, 0.5);
    cr_assert(at5 > at10 && at10 > tight && at10 > half, "%g %g %g %g", at5, at10, tight, half);
    /* From samples it estimates the one of the true spread: its median over
     * 1000 pairs of samples is within 10%. */
    double ds[1000], scratch[1000];
    for (int t = 0; t < 1000; t++) {
        draw(&s, a, 10, 0, 0.05, false);
        draw(&s, b, 10, 0, 0.05, false);
        ds[t] = gct_detectable_effect(a, 10, b, 10, 0.05, 0.8);
    }
    double med = gct_quantile(ds, 1000, 0.5, scratch);
    cr_assert(fabs(med / at10 - 1) < 0.1, "median detectable %.4f from samples, %.4f from sigma",
              med, at10);
}

/* With a noise floor the reported detectable effect is still found 80% of
 * the time (the floor then decides, not the spread). */
Test(effect, detectable_effect_with_a_floor)
{
    const size_t ns[] = {5, 10};
    for (size_t k = 0; k < 2; k++) {
        size_t n = ns[k];
        double d0 = gct_detectable_effect_sd(0.05, n, 0.05, n, 0, 0.05, 0.8);
        double floor_ = 1.5 * d0;
        double d = gct_detectable_effect_sd(0.05, n, 0.05, n, floor_, 0.05, 0.8);
        cr_assert(d > floor_, "detectable %g with a floor of %g", d, floor_);
        int wrong;
        double at = detection_rate(n, n, 0.05, log1p(d), floor_, false, 400, 900 + k, &wrong);
        cr_log_info("%zu vs %zu, floor %.4f: detectable %.4f, detected in %.3f", n, n, floor_, d,
                    at);
        cr_assert(at >= 0.65 && at <= 0.92,
                  "%zu vs %zu, floor %.4f: the detectable %.4f is detected in %.3f of 400, "
                  "expected 0.8 (0.65..0.92)",
                  n, n, floor_, d, at);
    }
}
