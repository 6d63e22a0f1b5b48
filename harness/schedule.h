/*
 * schedule.h — the order in which a sweep's processes run.
 *
 * Every repetition of every configuration is a process of its own.  A sweep
 * runs in rounds: round r runs each configuration once, in an order shuffled
 * from the seed and r, so that whatever drifts during a sweep (a noisy
 * neighbour, the machine warming up, a page cache filling) falls on every
 * configuration alike instead of on the ones that happened to run then.
 * The order depends only on (number of configurations, rounds, seed): the
 * same sweep schedules its processes the same way every time.
 */
#ifndef GCT_SCHEDULE_H
#define GCT_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

typedef struct gct_job {
    size_t config;  /* index into the sweep's configurations */
    int round;      /* from 0; also the configuration's repetition number */
    size_t process; /* position in the schedule, from 0 */
} gct_job;

/* rounds x nconfigs jobs, round by round, each round a seeded permutation.
 * Returns NULL only when out of memory. */
gct_job *gct_schedule_rounds(size_t nconfigs, int rounds, uint64_t seed, size_t *njobs);

#endif
