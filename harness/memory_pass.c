/* memory_pass.c — memory over time from an untimed second run (memory_pass.h). */
#include "memory_pass.h"

#include <math.h>
#include <stdio.h>

#include "heap.h"
#include "stats.h"
#include "workload.h"

int gct_memory_pass(const gct_config *c, int64_t heap_limit, gct_result *r,
                    gct_mem_series *series, char *err, size_t errlen)
{
    gct_heap *h = gct_config_heap(c, err, errlen);
    if (!h)
        return -1;
    gct_heap_set_limit(h, heap_limit);
    gct_workload_run *run = gct_workload_start(c->workload, h, c->params, c->seed, err, errlen);
    if (!run) {
        gct_heap_destroy(h);
        return -1;
    }
    gct_heap_set_record_pauses(h, false);
    /* Sample k after ops[k] operations, evenly spread; fewer samples than
     * GCT_MEMORY_SAMPLES when there are fewer operations. */
    double at[GCT_MEMORY_SAMPLES], reach[GCT_MEMORY_SAMPLES];
    int64_t most_objects = 0, most_bytes = 0;
    double sum_bytes = 0;
    size_t n = 0;
    int64_t done = 0;
    for (size_t k = 1; k <= GCT_MEMORY_SAMPLES; k++) {
        int64_t upto = c->ops * (int64_t)k / GCT_MEMORY_SAMPLES;
        if (upto == done)
            continue;
        gct_workload_ops(run, upto - done);
        done = upto;
        int64_t go, gb;
        gct_heap_leaks(h, &go, &gb);
        most_objects = go > most_objects ? go : most_objects;
        most_bytes = gb > most_bytes ? gb : most_bytes;
        sum_bytes += (double)gb;
        at[n] = (double)done;
        reach[n] = (double)(gct_heap_live_bytes(h) - gb);
        if (series) {
            gct_mem_sample row = {.ops = done, .live_bytes = gct_heap_live_bytes(h),
                                  .reachable_bytes = gct_heap_live_bytes(h) - gb,
                                  .garbage_bytes = gb, .garbage_objects = go};
            gct_mem_series_push(series, &row);
        }
        n++;
    }
    gct_workload_free(run);
    gct_heap_destroy(h);
    if (!n) {
        snprintf(err, errlen, "no operations to sample");
        return -1;
    }
    r->garbage_max_objects = most_objects;
    r->garbage_max_bytes = most_bytes;
    r->garbage_mean_bytes = sum_bytes / (double)n;
    /* The trend of what the program keeps reachable, over the second half:
     * caches fill and long-lived structures grow to size in the first.
     * Garbage is left out: a collector's sawtooth can be longer than the
     * run and is not a trend (what a collector never frees, refcount's
     * cycles, is the record's leaked_bytes). */
    size_t half = n / 2;
    double slope = gct_theil_sen(at + half, reach + half, n - half);
    double mid[GCT_MEMORY_SAMPLES];
    for (size_t i = half; i < n; i++)
        mid[i - half] = reach[i];
    gct_sort_doubles(mid, n - half);
    double median = gct_quantile_sorted(mid, n - half, 0.5);
    r->reachable_slope_bytes_per_op = slope;
    r->reachable_growth = isfinite(slope) && median > 0
                              ? slope * (at[n - 1] - at[half]) / median
                              : NAN;
    return 0;
}
