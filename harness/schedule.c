/* schedule.c — interleaved rounds (see schedule.h). */
#include "schedule.h"

#include <stdlib.h>

/* splitmix64: small, seedable, and the same on every platform. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A value below n without modulo bias (rejection sampling). */
static size_t below(uint64_t *s, size_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do
        v = next(s);
    while (v >= limit);
    return (size_t)(v % n);
}

gct_job *gct_schedule_rounds(size_t nconfigs, int rounds, uint64_t seed, size_t *njobs)
{
    size_t n = nconfigs * (size_t)(rounds > 0 ? rounds : 0);
    *njobs = n;
    gct_job *jobs = malloc((n ? n : 1) * sizeof *jobs);
    if (!jobs)
        return NULL;
    for (int r = 0; r < rounds; r++) {
        gct_job *row = jobs + (size_t)r * nconfigs;
        for (size_t i = 0; i < nconfigs; i++)
            row[i] = (gct_job){.config = i, .round = r};
        /* Fisher-Yates, seeded from the sweep's seed and the round. */
        uint64_t s = seed ^ (0xD1B54A32D192ED03ull * (uint64_t)(r + 1));
        for (size_t i = nconfigs; i > 1; i--) {
            size_t j = below(&s, i);
            gct_job t = row[i - 1];
            row[i - 1] = row[j];
            row[j] = t;
        }
    }
    for (size_t k = 0; k < n; k++)
        jobs[k].process = k;
    return jobs;
}
