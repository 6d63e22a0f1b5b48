/*
 * headline.h — what a sweep says first, per workload: the fastest setting of
 * the CPython model's thresholds against CPython's default, with a verdict
 * only where the comparison can tell (stats.h: significant, above the
 * detectable effect and above this sweep's A/A noise floor), and whether
 * the difference in time is backed by a difference in the collector's
 * deterministic work.  The console, the report and the tests read the same
 * headline.
 */
#ifndef GCT_HEADLINE_H
#define GCT_HEADLINE_H

#include <stddef.h>

#include "record.h"
#include "stats.h"
#include "summary.h"

typedef struct gct_headline {
    const char *workload;
    const gct_config_summary *reference; /* the generational model at its defaults (NULL: none) */
    const gct_config_summary *best;      /* its fastest candidate on this workload */
    gct_effect effect;                   /* ops/s of best against reference, per process */
    bool compared;                       /* effect is set (best != reference, both ran) */
    double floor;                        /* the workload's A/A noise floor (NaN: no control) */
    double work_ratio;                   /* GC work (traversed references) best / reference */
    double predicted_ratio;              /* predicted CPython GC time best / reference */
    char text[1024];                      /* the verdict as one sentence */
} gct_headline;

/* One headline per workload of s (in order), at most max.  rows are the
 * records s was made from (the samples of the comparison). */
size_t gct_headlines(const gct_results *rows, const gct_summary *s, gct_headline *out,
                     size_t max);

#endif
