/* schedule.c — interleaved rounds (see schedule.h). */
#include "schedule.h"

#include <stdlib.h>

#include "rng.h" /* the workloads' seeded generator */

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
        gct_rng rng;
        gct_rng_seed(&rng, seed ^ (0xD1B54A32D192ED03ull * (uint64_t)(r + 1)));
        for (size_t i = nconfigs; i > 1; i--) {
            size_t j = (size_t)gct_rng_below(&rng, i);
            gct_job t = row[i - 1];
            row[i - 1] = row[j];
            row[j] = t;
        }
    }
    for (size_t k = 0; k < n; k++)
        jobs[k].process = k;
    return jobs;
}
