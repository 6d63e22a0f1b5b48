/*
 * stats.h — the statistics gctune reports: percentiles, minimum mutator
 * utilization, bootstrap confidence intervals, and the rule that decides
 * whether B differs from A.  Pure functions over arrays; nothing here knows
 * how a number was measured.
 */
#ifndef GCT_STATS_H
#define GCT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The q-quantile (0 <= q <= 1) of n values, by linear interpolation between
 * closest ranks (R's type 7, numpy's default).  `sorted` must be ascending.
 * Returns NaN for n == 0. */
double gct_quantile_sorted(const double *sorted, size_t n, double q);

/* Sort a copy and take the quantile; `scratch` holds n doubles. */
double gct_quantile(const double *v, size_t n, double q, double *scratch);

static inline double gct_median_sorted(const double *sorted, size_t n)
{
    return gct_quantile_sorted(sorted, n, 0.5);
}

void gct_sort_doubles(double *v, size_t n);

/* A pause as an interval of time, in any unit (the same for w). */
typedef struct gct_interval {
    double start, end;
} gct_interval;

/*
 * Minimum mutator utilization: over every window [t, t+w] inside the run
 * [run_start, run_end], the smallest fraction of the window not spent in
 * pauses.  Pauses must be sorted by start and must not overlap.  For
 * w >= run length the whole run is the only window.  Returns a value in
 * [0, 1]; 1 when there are no pauses.
 */
double gct_mmu(const gct_interval *pauses, size_t n, double run_start, double run_end, double w);

/* Bounded MMU on a grid: out[i] = min over j >= i of MMU(ws[j]), the lower
 * envelope, non-decreasing in w.  `ws` must be ascending; pass a dense grid
 * (e.g. log-spaced) for a faithful envelope. */
void gct_bmmu(const gct_interval *pauses, size_t n, double run_start, double run_end,
              const double *ws, size_t m, double *out);

/* Percentile-bootstrap 95% (or `level`) confidence interval of the median of
 * v, with `resamples` resamples drawn from a generator seeded with `seed`
 * (deterministic).  For n == 1 both bounds are that value. */
void gct_bootstrap_median_ci(const double *v, size_t n, double level, unsigned resamples,
                             uint64_t seed, double *lo, double *hi);

/* The two-sided Mann-Whitney U test of samples a and b. */
typedef struct gct_mwu {
    double u_a;      /* pairs (a_i, b_j) with a_i > b_j, ties counting one half */
    double u_b;      /* na * nb - u_a */
    double p;        /* two-sided p-value */
    bool exact;      /* exact distribution (no ties, small samples), else the
                        normal approximation with tie and continuity corrections */
    double p_b_wins; /* probability that a random b exceeds a random a: u_b / (na nb) */
} gct_mwu;

/* Returns -1 if either sample is empty. */
int gct_mann_whitney(const double *a, size_t na, const double *b, size_t nb, gct_mwu *out);

/* Percentile-bootstrap interval of median(b) / median(a), resampling each
 * side independently (deterministic for a seed). */
void gct_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level,
                            unsigned resamples, uint64_t seed, double *lo, double *hi);

/* The Pareto frontier of points (x, y) where larger x is better and smaller
 * y is better (throughput against pause or memory): a point is on it when
 * no other point is at least as good in both and better in one.  Writes the
 * indices of the frontier to idx sorted by x and returns how many. */
size_t gct_pareto_front(const double *x, const double *y, size_t n, size_t *idx);

/* ---- Verdicts: is B different from A? ---------------------------------------
 *
 * gctune compares two configurations from a handful of independent runs
 * each (one value per process, e.g. ops/s).  gct_effect_of is the one rule
 * every caller uses; stats.c explains how its numbers are derived and how
 * they were checked against simulation.
 */

/* The spread of the log values of v: Qn (Rousseeuw and Croux), a robust
 * estimate of the standard deviation that one run slowed by a noisy
 * neighbour does not inflate.  NaN for n < 2 or when a value is not
 * positive and finite (the log model does not apply). */
double gct_log_spread(const double *v, size_t n);

/* The smallest relative difference |median(B)/median(A) - 1| that the rule
 * of gct_effect_of (with no noise floor) detects with probability `power`
 * (e.g. 0.8) at two-sided level `alpha` (0.05; the calibration was measured
 * there), given the spread observed in a and b (gct_log_spread of each
 * side).  The difference is a shift of the log values: B = A (1 + d) or
 * B = A / (1 + d).  INFINITY when the sample sizes can never reach
 * significance (e.g. Mann-Whitney with 3 vs 3 runs: the smallest p is 0.1);
 * NaN when a side is empty, or its spread unknown (a single run, or values
 * that are not positive). */
double gct_detectable_effect(const double *a, size_t na, const double *b, size_t nb, double alpha,
                             double power);

/* The same for known spreads: sd_a, sd_b are the standard deviations of the
 * log values of each side (for planning: how many runs resolve 2%?), and
 * for the rule with a noise floor (0: none), which then needs more. */
double gct_detectable_effect_sd(double sd_a, size_t na, double sd_b, size_t nb, double noise_floor,
                                double alpha, double power);

typedef struct gct_effect {
    size_t na, nb;
    double median_a, median_b;
    double ratio, lo, hi; /* median(b)/median(a) and its 95% bootstrap interval
                             (NaN if median(a) == 0) */
    double p;             /* two-sided Mann-Whitney */
    bool exact;
    double p_b_higher;    /* P(a random b > a random a), ties counting one half */
    double detectable;    /* the smallest difference these runs could detect:
                             gct_detectable_effect(a, b, 0.05, 0.8) when there is no
                             floor, more with one (gct_detectable_effect_sd with the
                             floor); the X of "no detectable difference (smaller
                             than X)", and the bar an observed difference must clear */
    double critical;      /* the least observed difference that is significant given
                             the spread (INFINITY: too few runs; NaN: no log model) */
    double threshold;     /* max(detectable, floor): the least observed difference called */
    int direction;        /* +1: b higher, -1: b lower, 0: no detectable difference */
    const char *why;      /* when direction == 0: "not significant", "below the detectable
                             effect", "below the noise floor", "too few runs",
                             "identical"; otherwise "detected" */
} gct_effect;

/* The verdict rule, one place for every caller: direction != 0 only when
 * p < 0.05, the interval leaves out 1, and the observed difference is at
 * least threshold, on the log scale (|log ratio| >= log(1 + threshold)),
 * where noise_floor >= 0 is an A/A noise floor measured elsewhere (0:
 * none).  Deterministic for a seed.  Returns -1 if either side is empty. */
int gct_effect_of(const double *a, size_t na, const double *b, size_t nb, double noise_floor,
                  uint64_t seed, gct_effect *out);

/* The bootstrap seed of every verdict a reader sees (compare, the headline,
 * the recommendations): one comparison, one interval, wherever it is shown. */
#define GCT_VERDICT_SEED 0xc0ffeeu

/* Spearman's rank correlation of (x[i], y[i]): Pearson's r of the ranks,
 * ties getting their average rank.  NaN with fewer than 3 pairs or when
 * either side is constant. */
double gct_spearman(const double *x, const double *y, size_t n);

/* The Theil-Sen slope of y over x: the median of the slopes of every pair
 * of points with different x; robust to a quarter of the points being
 * outliers (a collection's dip in a memory series).  NaN with fewer than 2
 * distinct x.  O(n^2): for series of a hundred points or so. */
double gct_theil_sen(const double *x, const double *y, size_t n);

/* A robust interval description for n samples: percentile bootstrap 95% of
 * the median when n >= 5, else the range (min, max).  *is_ci says which. */
void gct_median_interval(const double *v, size_t n, uint64_t seed, double *median, double *lo,
                         double *hi, bool *is_ci);

#ifdef __cplusplus
}
#endif
#endif
