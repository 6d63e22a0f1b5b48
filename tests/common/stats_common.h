/*
 * common/stats_common.h — what the test-stats-*.c programs share: the tests'
 * own random numbers and a tolerance assertion.
 */
#ifndef GCT_TESTS_COMMON_STATS_H
#define GCT_TESTS_COMMON_STATS_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

/* xorshift64*: the test's own generator, independent of the code under test. */
static inline uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

#define NEAR(a, b)                                                                                 \
    cr_assert(fabs((a) - (b)) < 1e-9, "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

#endif
