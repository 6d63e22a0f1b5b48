/* test-stats-estimators.c — statistics against answers worked out by hand:
 * quantiles, MMU and bounded MMU, bootstrap intervals, Mann-Whitney U,
 * P(B better), the Pareto frontier, the median interval (suite "stats").
 * The tests' random numbers and NEAR: common/stats_common.h. */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <criterion/logging.h>
#include <math.h>
#include <string.h>

#include "stats.h"

#include "stats_common.h"

Test(stats, quantiles_interpolate_like_numpy)
{
    double v[] = {1, 2, 3, 4};
    NEAR(gct_quantile_sorted(v, 4, 0.5), 2.5);
    NEAR(gct_quantile_sorted(v, 4, 0.9), 3.7);   /* 1 + 0.9*3 = 2.7 -> 3 + 0.7 */
    NEAR(gct_quantile_sorted(v, 4, 0.0), 1);
    NEAR(gct_quantile_sorted(v, 4, 1.0), 4);
    double one[] = {42};
    NEAR(gct_quantile_sorted(one, 1, 0.99), 42);
    cr_assert(isnan(gct_quantile_sorted(v, 0, 0.5)));
    double unsorted[] = {9, 1, 5, 3, 7}, scratch[5];
    NEAR(gct_quantile(unsorted, 5, 0.5, scratch), 5);
    NEAR(gct_quantile(unsorted, 5, 0.25, scratch), 3);
}

/* Run [0, 100] with pauses [10, 20] and [50, 55] (15 units of pause). */
static const gct_interval two_pauses[] = {{10, 20}, {50, 55}};

Test(stats, mmu_of_hand_made_pauses)
{
    /* A window no longer than the 10-unit pause can sit inside it. */
    NEAR(gct_mmu(two_pauses, 2, 0, 100, 5), 0.0);
    NEAR(gct_mmu(two_pauses, 2, 0, 100, 10), 0.0);
    /* 20 units: the first pause whole, the second is 30 away -> 1 - 10/20. */
    NEAR(gct_mmu(two_pauses, 2, 0, 100, 20), 0.5);
    /* 40 units: at most 10 of pause ([10,50], or [15,55] = 5 + 5). */
    NEAR(gct_mmu(two_pauses, 2, 0, 100, 40), 0.75);
    /* 50 units: both pauses, [10,60] -> 1 - 15/50. */
    NEAR(gct_mmu(two_pauses, 2, 0, 100, 50), 0.7);
    /* The whole run. */
    NEAR(gct_mmu(two_pauses, 2, 0, 100, 100), 0.85);
    NEAR(gct_mmu(two_pauses, 2, 0, 100, 1000), 0.85);
    NEAR(gct_mmu(NULL, 0, 0, 100, 10), 1.0);
}

Test(stats, mmu_clamps_windows_to_the_run)
{
    /* A pause at the very start: windows cannot start before the run. */
    gct_interval p[] = {{0, 4}};
    NEAR(gct_mmu(p, 1, 0, 100, 8), 0.5);
    gct_interval q[] = {{96, 100}};
    NEAR(gct_mmu(q, 1, 0, 100, 8), 0.5);
}

Test(stats, bounded_mmu_is_the_lower_envelope)
{
    double ws[] = {5, 10, 20, 40, 50, 100}, out[6];
    gct_bmmu(two_pauses, 2, 0, 100, ws, 6, out);
    double expect[] = {0, 0, 0.5, 0.7, 0.7, 0.85}; /* MMU(40) = 0.75 > MMU(50) */
    for (int i = 0; i < 6; i++)
        NEAR(out[i], expect[i]);
}

Test(stats, mmu_matches_brute_force_on_random_pauses)
{
    uint64_t s = 12345;
    for (int trial = 0; trial < 200; trial++) {
        gct_interval p[20];
        size_t n = 0;
        double t = 0;
        while (n < 20) {
            t += (double)(rnd(&s) % 50);
            double len = 1 + (double)(rnd(&s) % 20);
            p[n].start = t;
            p[n].end = t + len;
            t += len;
            n++;
        }
        double end = t + 10;
        double w = 1 + (double)(rnd(&s) % 200);
        /* Brute force on a fine grid of integer window starts (all pause
         * boundaries are integers, so the worst window starts on one). */
        double worst = 0;
        for (double a = 0; a + w <= end; a += 1) {
            double in = 0;
            for (size_t k = 0; k < n; k++) {
                double lo = p[k].start > a ? p[k].start : a;
                double hi = p[k].end < a + w ? p[k].end : a + w;
                if (hi > lo)
                    in += hi - lo;
            }
            if (in / w > worst)
                worst = in / w;
        }
        if (w > end)
            continue;
        NEAR(gct_mmu(p, n, 0, end, w), 1 - worst);
    }
}

Test(stats, bootstrap_interval_covers_the_median_most_of_the_time)
{
    /* Samples of 15 from a known distribution (uniform on [0,1), median 0.5):
     * a 95% interval should cover 0.5 in roughly 95% of trials; the
     * percentile bootstrap of a median is known to run a little under or
     * over, so accept 88%..99%. */
    uint64_t s = 99;
    int covered = 0, trials = 400;
    for (int t = 0; t < trials; t++) {
        double v[15];
        for (int i = 0; i < 15; i++)
            v[i] = (double)(rnd(&s) >> 11) / 9007199254740992.0;
        double lo, hi;
        gct_bootstrap_median_ci(v, 15, 0.95, 1000, (uint64_t)t, &lo, &hi);
        GCT_ASSERT_LEQ(lo, hi);
        if (lo <= 0.5 && 0.5 <= hi)
            covered++;
    }
    cr_assert(covered >= trials * 88 / 100 && covered <= trials * 99 / 100, "coverage %d/%d", covered,
              trials);
}

Test(stats, bootstrap_is_deterministic_and_degenerate_cases)
{
    double v[] = {3, 1, 4, 1, 5, 9, 2, 6};
    double lo1, hi1, lo2, hi2;
    gct_bootstrap_median_ci(v, 8, 0.95, 500, 7, &lo1, &hi1);
    gct_bootstrap_median_ci(v, 8, 0.95, 500, 7, &lo2, &hi2);
    NEAR(lo1, lo2);
    NEAR(hi1, hi2);
    GCT_ASSERT_GEQ(lo1, 1);
    GCT_ASSERT_LEQ(hi1, 9);
    double one[] = {5};
    gct_bootstrap_median_ci(one, 1, 0.95, 500, 7, &lo1, &hi1);
    NEAR(lo1, 5);
    NEAR(hi1, 5);
}

/* Reference p-values from scipy.stats.mannwhitneyu 1.10.1 (two-sided;
 * method='exact' where there are no ties, else 'asymptotic' with the
 * continuity correction), computed once outside this project. */
static void expect_mwu(const double *a, size_t na, const double *b, size_t nb, double u_a,
                       double p, bool exact)
{
    gct_mwu r;
    GCT_ASSERT_EQ(gct_mann_whitney(a, na, b, nb, &r), 0);
    NEAR(r.u_a, u_a);
    NEAR(r.u_a + r.u_b, (double)(na * nb));
    GCT_ASSERT_EQ(r.exact, exact);
    cr_assert(fabs(r.p - p) < 1e-9 * (p > 1e-3 ? 1 : 10), "p = %.12g, scipy says %.12g", r.p, p);
}

Test(stats, mann_whitney_matches_scipy)
{
    expect_mwu((double[]){1, 2, 3, 4, 5}, 5, (double[]){6, 7, 8, 9, 10}, 5, 0,
               0.007936507936507936, true);
    expect_mwu((double[]){1.1, 2.2, 3.3, 4.4}, 4, (double[]){3.5, 5.5, 6.6, 7.7}, 4, 1,
               0.05714285714285714, true);
    expect_mwu((double[]){3.1, 2.4, 5.6, 4.4, 3.9, 4.1}, 6,
               (double[]){4.8, 5.2, 6.1, 5.9, 4.5, 7.0, 5.5}, 7, 4, 0.013986013986013986, true);
    expect_mwu((double[]){1, 2, 2, 3, 4}, 5, (double[]){2, 3, 4, 5, 5}, 5, 5, 0.135099069457,
               false);
    expect_mwu((double[]){10, 12, 11, 13, 12, 14, 11, 10, 13, 12}, 10,
               (double[]){12, 14, 13, 15, 14, 16, 13, 12, 15, 14}, 10, 14.5, 0.00715405361368,
               false);
    expect_mwu((double[]){5, 5, 5}, 3, (double[]){5, 5, 5}, 3, 4.5, 1, false);
}

Test(stats, mann_whitney_exact_p_equals_brute_force_enumeration)
{
    /* Every way of choosing which 4 of 9 distinct values are "a": the share
     * of splits at least as extreme as the observed U is the exact p. */
    double v[9] = {0.3, 1.7, 2.2, 2.9, 3.4, 4.8, 5.1, 6.6, 7.2};
    for (unsigned obs = 0; obs < 512; obs += 37) {
        if (__builtin_popcount(obs) != 4)
            continue;
        double a[4], b[5];
        size_t ia = 0, ib = 0;
        for (int i = 0; i < 9; i++) {
            if (obs >> i & 1)
                a[ia++] = v[i];
            else
                b[ib++] = v[i];
        }
        gct_mwu r;
        gct_mann_whitney(a, 4, b, 5, &r);
        double far = fabs(r.u_a - 10), extreme = 0, total = 0;
        for (unsigned s = 0; s < 512; s++) {
            if (__builtin_popcount(s) != 4)
                continue;
            double u = 0; /* pairs a > b */
            for (int i = 0; i < 9; i++)
                for (int j = 0; j < 9; j++)
                    if ((s >> i & 1) && !(s >> j & 1) && v[i] > v[j])
                        u++;
            total++;
            extreme += fabs(u - 10) >= far - 1e-9;
        }
        cr_assert(r.exact);
        cr_assert(fabs(r.p - extreme / total) < 1e-12, "split %u: p %.12g, enumeration %.12g", obs,
                  r.p, extreme / total);
    }
}

Test(stats, probability_b_beats_a)
{
    gct_mwu r;
    gct_mann_whitney((double[]){1, 2, 3}, 3, (double[]){4, 5, 6}, 3, &r);
    NEAR(r.p_b_wins, 1.0);
    gct_mann_whitney((double[]){1, 2}, 2, (double[]){1, 2}, 2, &r);
    NEAR(r.p_b_wins, 0.5);
    GCT_ASSERT_EQ(gct_mann_whitney(NULL, 0, (double[]){1}, 1, &r), -1);
}

Test(stats, bootstrap_ratio_interval)
{
    double a[] = {100, 101, 99, 100, 102, 98, 100};
    double b[] = {110, 111, 109, 110, 112, 108, 110};
    double lo, hi;
    gct_bootstrap_ratio_ci(a, 7, b, 7, 0.95, 2000, 3, &lo, &hi);
    cr_assert(lo <= 1.10 && 1.10 <= hi, "[%g, %g]", lo, hi);
    cr_assert(lo > 1.05 && hi < 1.15, "[%g, %g]", lo, hi);
    /* The same data on both sides: the interval holds 1. */
    gct_bootstrap_ratio_ci(a, 7, a, 7, 0.95, 2000, 3, &lo, &hi);
    cr_assert(lo <= 1 && 1 <= hi, "[%g, %g]", lo, hi);
}

Test(stats, pareto_frontier_of_a_hand_made_set)
{
    /* (throughput, pause): higher throughput and lower pause are better.
     * 0 (10, 5), 1 (8, 2), 2 (8, 3) dominated by 1, 3 (5, 1), 4 (4, 4)
     * dominated by 3, 5 (10, 6) dominated by 0, 6 (2, 0.5). */
    double x[] = {10, 8, 8, 5, 4, 10, 2, NAN};
    double y[] = {5, 2, 3, 1, 4, 6, 0.5, 0};
    size_t idx[8];
    size_t k = gct_pareto_front(x, y, 8, idx);
    GCT_ASSERT_EQ(k, 4, "%zu points on the frontier", k);
    size_t want[] = {6, 3, 1, 0}; /* ascending throughput */
    for (size_t i = 0; i < 4; i++)
        GCT_ASSERT_EQ(idx[i], want[i], "frontier[%zu] = %zu, expected %zu", i, idx[i], want[i]);
}

/* ---- gct_median_interval ------------------------------------------------------ */

Test(stats, median_interval_is_the_range_below_5_runs)
{
    double med, lo, hi;
    bool ci = true;
    gct_median_interval((double[]){5, 1, 3}, 3, 1, &med, &lo, &hi, &ci);
    cr_assert(!ci);
    NEAR(med, 3);
    NEAR(lo, 1);
    NEAR(hi, 5);
    gct_median_interval((double[]){4, 1, 3, 2}, 4, 1, &med, &lo, &hi, &ci);
    cr_assert(!ci);
    NEAR(med, 2.5);
    NEAR(lo, 1);
    NEAR(hi, 4);
    gct_median_interval(NULL, 0, 1, &med, &lo, &hi, &ci);
    cr_assert(!ci && isnan(med) && isnan(lo) && isnan(hi));
}

Test(stats, median_interval_is_a_bootstrap_from_5_runs)
{
    const double v[] = {10, 14, 11, 19, 12, 13, 30, 12.5, 11.5};
    for (size_t n = 5; n <= 9; n++) {
        double med, lo, hi, lo2, hi2, med2;
        bool ci = false;
        gct_median_interval(v, n, 9, &med, &lo, &hi, &ci);
        cr_assert(ci, "n = %zu", n);
        cr_assert(lo <= med && med <= hi, "n = %zu: median %g outside [%g, %g]", n, med, lo, hi);
        /* Inside the range, and narrower than it from 7 runs on. */
        cr_assert(lo >= 10 && hi <= 30 && (n < 7 || hi - lo < 20), "n = %zu: [%g, %g]", n, lo, hi);
        gct_median_interval(v, n, 9, &med2, &lo2, &hi2, &ci);
        cr_assert(lo == lo2 && hi == hi2 && med == med2, "n = %zu: not deterministic", n);
    }
}

/* Spearman: 1 for any increasing relation, -1 for a decreasing one, 0.8
 * for the textbook 1..5 against 2,1,4,3,5 (1 - 6*4/(5*24)), ties averaged,
 * NaN when a side is constant or too short. */
Test(estimators, spearman_rank_correlation)
{
    double x[] = {1, 2, 3, 4, 5}, up[] = {10, 20, 25, 1000, 2000}, down[] = {5, 4, 3, 2, 1};
    GCT_ASSERT_DBL_NEAR(gct_spearman(x, up, 5), 1, 1e-12);
    GCT_ASSERT_DBL_NEAR(gct_spearman(x, down, 5), -1, 1e-12);
    double a[] = {1, 2, 3, 4, 5}, b[] = {2, 1, 4, 3, 5};
    GCT_ASSERT_DBL_NEAR(gct_spearman(a, b, 5), 0.8, 1e-12);
    double t1[] = {1, 2, 2, 3}, t2[] = {1, 2, 3, 4};
    /* ranks 1, 2.5, 2.5, 4 against 1..4: r = 4.5 / sqrt(4.5 * 5) */
    GCT_ASSERT_DBL_NEAR(gct_spearman(t1, t2, 4), 4.5 / sqrt(4.5 * 5), 1e-12);
    double c[] = {7, 7, 7};
    cr_assert(isnan(gct_spearman(c, x, 3)));
    cr_assert(isnan(gct_spearman(x, up, 2)));
}

Test(estimators, theil_sen_slope_ignores_a_quarter_of_outliers)
{
    /* y = 3x + 1 with two wild points (a collection's dip, a spike). */
    double x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[8];
    for (int i = 0; i < 8; i++)
        y[i] = 3 * x[i] + 1;
    GCT_ASSERT_DBL_NEAR(gct_theil_sen(x, y, 8), 3, 1e-12);
    y[2] = -100;
    y[5] = 400;
    GCT_ASSERT_DBL_NEAR(gct_theil_sen(x, y, 8), 3, 1e-12);
    double flat[4] = {5, 5, 5, 5}, same[4] = {1, 1, 1, 1};
    GCT_ASSERT_DBL_NEAR(gct_theil_sen(x, flat, 4), 0, 1e-12);
    cr_assert(isnan(gct_theil_sen(same, flat, 4)), "no two distinct x: no slope");
    cr_assert(isnan(gct_theil_sen(x, y, 1)), "one point: no slope");
}
