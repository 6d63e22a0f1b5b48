/*
 * memory_pass.h — what a model's configuration does to memory over time,
 * measured in a second, untimed run of it.
 *
 * The models are deterministic for a seed, so a second run of the same
 * configuration in the same process repeats the timed run's heap exactly,
 * and can stop to look at it without touching what was timed: the heap is
 * sampled GCT_MEMORY_SAMPLES (record.h) times, evenly over the operations, each time
 * with a walk from the roots (gct_heap_leaks) that counts the objects
 * alive but unreachable: the garbage awaiting collection (a cycle the
 * collector has not reached yet; under refcount, every cycle, forever).
 * The samples give the record its garbage_max_*, garbage_mean_bytes and
 * the growth of the reachable bytes over the second half of the run
 * (Theil-Sen: robust to the odd sample), from which, with the leaks the
 * timed run found, the summary calls a configuration steady or not
 * (summary.h).
 *
 * The hot paths know nothing of it; its cost is one more run of the
 * operations and the walks, paid once per configuration (round 0: the
 * other repetitions would measure the same numbers).
 */
#ifndef GCT_MEMORY_PASS_H
#define GCT_MEMORY_PASS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "memseries.h"
#include "record.h"

/* Run c's operations again on a fresh heap (limit: heap_limit bytes, 0
 * none), fill r's memory-over-time fields and append the samples to series
 * (memory/<id>.csv; NULL: not kept).  Returns 0, or -1 with why in err
 * (the fields stay empty). */
int gct_memory_pass(const gct_config *c, int64_t heap_limit, gct_result *r,
                    gct_mem_series *series, char *err, size_t errlen);

#endif
