/* test-stats.c — statistics against answers worked out by hand. */
#include <criterion/criterion.h>
#include <math.h>

#include "stats.h"

/* xorshift64*: the test's own generator, independent of the code under test. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

#define NEAR(a, b) cr_assert(fabs((a) - (b)) < 1e-9, "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

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
        cr_assert(lo <= hi);
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
    cr_assert(lo1 >= 1 && hi1 <= 9);
    double one[] = {5};
    gct_bootstrap_median_ci(one, 1, 0.95, 500, 7, &lo1, &hi1);
    NEAR(lo1, 5);
    NEAR(hi1, 5);
}
