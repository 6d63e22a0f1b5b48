/*
 * common/property_common.h — the random program and its oracle, for
 * test-property.c (common/property_common.c: the generator, the shapes, the
 * oracle's own containers, the state of one seed's run, the checks and the
 * operations).
 */
#ifndef GCT_TESTS_COMMON_PROPERTY_H
#define GCT_TESTS_COMMON_PROPERTY_H

#include <stddef.h>
#include <stdint.h>

/* Runs the random program of `seed` on a heap of the backend at registry
 * index `index`, checking the properties (test-property.c lists them) after
 * every operation; a failure names the backend and the seed. */
void run_seed(size_t index, uint64_t seed);

/* On a crash (signal, or a sanitizer's report), print the backend, seed and
 * operation being run first, so that it can be replayed. */
void install_crash_note(void);

/* What the seeds of one case exercised (printed with --verbose), so that a
 * change that makes the generator degenerate does not go unnoticed. */
typedef struct prop_stats {
    int64_t seeds, ops, allocs, weakrefs, checks, full, autos, partial;
    int64_t collected, cleared_seen, unreachable_seen, cascades, max_live;
} prop_stats;
extern prop_stats stats;

#endif
