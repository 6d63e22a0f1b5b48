/*
 * compare.h — comparing two sets of runs: for every pair of configurations
 * and every metric, the medians, the ratio B/A with a 95% bootstrap
 * interval, a two-sided Mann-Whitney U test, the probability that a run of B
 * beats a run of A, and a verdict.
 */
#ifndef GCT_COMPARE_H
#define GCT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "record.h"

typedef struct gct_cmp_metric {
    const char *field; /* column of results.csv */
    const char *label;
    bool higher_is_better;
} gct_cmp_metric;

extern const gct_cmp_metric gct_cmp_metrics[];
extern const size_t gct_cmp_nmetrics;

typedef struct gct_cmp_row {
    char config_a[256], config_b[256];
    const gct_cmp_metric *metric;
    size_t na, nb;
    double median_a, median_b;
    double ratio, ratio_lo, ratio_hi; /* B/A; NaN when A's median is 0 */
    double p;                         /* Mann-Whitney two-sided p */
    double p_b_wins;                  /* P(a run of B beats a run of A) */
    bool exact;
    const char *verdict; /* faster, slower, better, worse, no significant difference, same */
} gct_cmp_row;

typedef struct gct_cmp {
    gct_cmp_row *rows;
    size_t n;
    size_t pairs;
    double geomean[16]; /* per metric: geometric mean of the ratios (NaN if none) */
    size_t min_reps;    /* fewest repetitions on either side of any pair */
} gct_cmp;

/*
 * Compare the successful runs of a (those whose config_id matches the
 * fnmatch pattern filter_a; NULL: all) with those of b.  Configurations are
 * paired by config_id; when the two selections share none, and each holds
 * one configuration per workload, they are paired by workload (that is how
 * two threshold settings are compared).  -1 with a message if nothing pairs.
 */
int gct_compare(const gct_results *a, const char *filter_a, const gct_results *b,
                const char *filter_b, gct_cmp *out, char *err, size_t errlen);
void gct_cmp_free(gct_cmp *c);

void gct_cmp_print_table(FILE *out, const gct_cmp *c);
void gct_cmp_write_csv(FILE *out, const gct_cmp *c);
int gct_cmp_write_json(FILE *out, const gct_cmp *c);

#endif
