/* test-schedule.c — the interleaved rounds: every configuration gets its
 * processes, one per round, in an order that the seed alone decides. */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

Test(schedule, every_configuration_runs_once_per_round)
{
    size_t n;
    gct_job *j = gct_schedule_rounds(7, 5, 42, &n);
    cr_assert_not_null(j);
    GCT_ASSERT_EQ(n, 35, "%zu jobs, expected 7 x 5 = 35", n);
    for (int r = 0; r < 5; r++) {
        int seen[7] = {0};
        for (size_t k = (size_t)r * 7; k < (size_t)(r + 1) * 7; k++) {
            GCT_ASSERT_EQ(j[k].round, r, "job %zu is in round %d, expected %d", k, j[k].round, r);
            GCT_ASSERT_LT(j[k].config, 7, "job %zu: configuration %zu", k, j[k].config);
            seen[j[k].config]++;
        }
        for (int c = 0; c < 7; c++)
            GCT_ASSERT_EQ(seen[c], 1, "round %d runs configuration %d %d times", r, c, seen[c]);
    }
    for (size_t k = 0; k < n; k++)
        GCT_ASSERT_EQ(j[k].process, k, "job %zu has process number %zu", k, j[k].process);
    free(j);
}

static void order(uint64_t seed, size_t *out, size_t nconfigs, int rounds)
{
    size_t n;
    gct_job *j = gct_schedule_rounds(nconfigs, rounds, seed, &n);
    cr_assert_not_null(j);
    for (size_t k = 0; k < n; k++)
        out[k] = j[k].config;
    free(j);
}

Test(schedule, the_order_is_reproducible_from_the_seed_and_shuffled)
{
    enum { C = 20, R = 4 };
    size_t a[C * R], b[C * R], c[C * R];
    order(1, a, C, R);
    order(1, b, C, R);
    order(2, c, C, R);
    cr_assert_arr_eq(a, b, sizeof a, "the same seed must give the same order");
    cr_assert(memcmp(a, c, sizeof a) != 0, "another seed should give another order");
    /* Rounds are shuffled independently: not all in the order of round 0,
     * and round 0 is not simply 0, 1, 2, ... */
    int same_as_round0 = 0, identity = 1;
    for (int r = 1; r < R; r++)
        same_as_round0 += !memcmp(a, a + r * C, C * sizeof a[0]);
    for (size_t i = 0; i < C; i++)
        identity &= a[i] == i;
    GCT_ASSERT_LT(same_as_round0, R - 1, "every round repeats round 0's order");
    cr_assert_not(identity, "round 0 is in declaration order: not shuffled");
}

Test(schedule, interleaving_spreads_each_configuration_over_the_sweep)
{
    /* With rounds, a configuration's processes are at most 2 rounds' worth of
     * positions apart, never back to back for the whole sweep (as the old
     * one-configuration-at-a-time order was). */
    enum { C = 10, R = 5 };
    size_t n;
    gct_job *j = gct_schedule_rounds(C, R, 7, &n);
    for (size_t cfg = 0; cfg < C; cfg++) {
        size_t first = n, last = 0;
        for (size_t k = 0; k < n; k++)
            if (j[k].config == cfg) {
                if (first == n)
                    first = k;
                last = k;
            }
        GCT_ASSERT_GEQ(last - first, (size_t)(R - 2) * C,
                       "configuration %zu ran within positions %zu..%zu of %zu", cfg, first, last,
                       n);
    }
    free(j);
}

Test(schedule, shuffling_is_unbiased_enough)
{
    /* Over many seeds, each configuration comes first in round 0 about as
     * often as any other (a biased shuffle favours some positions). */
    enum { C = 5, SEEDS = 5000 };
    int first[C] = {0};
    for (uint64_t s = 0; s < SEEDS; s++) {
        size_t a[C];
        order(s, a, C, 1);
        first[a[0]]++;
    }
    for (int c = 0; c < C; c++)
        cr_assert(first[c] > SEEDS / C * 0.85 && first[c] < SEEDS / C * 1.15,
                  "configuration %d came first %d times of %d (expected about %d)", c, first[c],
                  SEEDS, SEEDS / C);
}

Test(schedule, no_rounds_no_jobs)
{
    size_t n = 99;
    gct_job *j = gct_schedule_rounds(3, 0, 1, &n);
    cr_assert_not_null(j);
    GCT_ASSERT_EQ(n, 0);
    free(j);
}
