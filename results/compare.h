/*
 * compare.h — comparing two sets of processes.
 *
 * Configurations of A and B are paired (by id, or by workload when each side
 * selects one configuration per workload: two threshold settings).  A pair
 * is compared only when both did the same work (operations, workload
 * parameters and seed), unless the caller allows otherwise.
 *
 * Per pair and timed metric: the medians, B/A with its 95% bootstrap
 * interval, the Mann-Whitney test, P(B better) and a verdict by the one rule
 * of stats.h (gct_effect_of): significant, and larger than both the
 * smallest effect these samples could detect and the A/A noise floor of
 * the sweeps the two sides come from (across two sweeps, also larger than
 * how far the workload's reference configuration, which every sweep runs,
 * moved between them: the machine's drift); the floor of a metric is the
 * larger of throughput's and its own (how far the A/A twin's p99 pause,
 * say, landed from the original's); otherwise "no detectable difference",
 * with the size below which the comparison cannot see.  The GC work (a seed
 * makes it exact) is compared exactly: the same, or how much more or less.
 */
#ifndef GCT_COMPARE_H
#define GCT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "record.h"
#include "stats.h"
#include "summary.h"

typedef struct gct_cmp_metric {
    const char *field; /* column of results.csv */
    const char *label;
    bool higher_is_better;
    bool exact;        /* deterministic work: compared value against value */
} gct_cmp_metric;

extern const gct_cmp_metric gct_cmp_metrics[];
extern const size_t gct_cmp_nmetrics;

typedef struct gct_cmp_row {
    char config_a[256], config_b[256];
    char workload[64];
    const gct_cmp_metric *metric;
    size_t na, nb;
    double median_a, median_b;
    double ratio, ratio_lo, ratio_hi; /* B/A; NaN when A's median is 0 */
    double p;                         /* Mann-Whitney two-sided */
    double p_b_better;                /* P(a process of B is better than one of A) */
    bool exact;                       /* the exact test was used */
    bool constant;                    /* exact metric: every process of a side agreed */
    double detectable;                /* smallest relative difference these samples detect */
    double floor;                     /* the noise floor applied (NaN: none) */
    double drift;                     /* how far the workload's reference configuration
                                         moved between the two sweeps (NaN: one sweep, or
                                         no common reference) */
    double threshold;                 /* the least difference called */
    char verdict[160];
} gct_cmp_row;

#define GCT_CMP_MAX_METRICS 32

typedef struct gct_cmp {
    gct_cmp_row *rows;  /* nmetrics rows per pair, in the order of metrics */
    size_t n;
    size_t pairs;
    const gct_cmp_metric *metrics; /* what was compared (gct_cmp_metrics unless asked) */
    size_t nmetrics;
    double geomean[GCT_CMP_MAX_METRICS]; /* per metric: geometric mean of the ratios (NaN if none) */
    size_t min_reps;    /* fewest processes on either side of any pair */
} gct_cmp;

typedef struct gct_cmp_opts {
    const char *filter_a, *filter_b;   /* fnmatch patterns on config_id (NULL: all) */
    const gct_summary *noise_a, *noise_b; /* A/A floors of each side's sweep (NULL: none) */
    bool same_sweep;                   /* A and B come from one result directory */
    bool ignore_drift;                 /* across sweeps, no floor from the reference's drift */
    bool allow_different_work;         /* pair runs of different ops/params/seed */
    /* The pairs, named (config ids, A/A twins allowed), instead of pairing
     * the filters' selections: pair k is pairs_a[k] against pairs_b[k]. */
    const char *const *pairs_a, *const *pairs_b;
    size_t npairs;
    /* The metrics to compare (NULL: gct_cmp_metrics; at most
     * GCT_CMP_MAX_METRICS).  Their fields must be numbers of record.h. */
    const gct_cmp_metric *metrics;
    size_t nmetrics;
} gct_cmp_opts;

/* -1 with a message if nothing pairs, or a pair did different work. */
int gct_compare(const gct_results *a, const gct_results *b, const gct_cmp_opts *o, gct_cmp *out,
                char *err, size_t errlen);
void gct_cmp_free(gct_cmp *c);

void gct_cmp_print_table(FILE *out, const gct_cmp *c);
void gct_cmp_write_csv(FILE *out, const gct_cmp *c);
int gct_cmp_write_json(FILE *out, const gct_cmp *c);
/* The JSON gct_cmp_write_json writes, as an object to add to (owned by the
 * caller). */
struct json_t;
struct json_t *gct_cmp_to_json(const gct_cmp *c);

#endif
