/*
 * stats.h — the statistics gctune reports: percentiles, minimum mutator
 * utilization, and bootstrap confidence intervals.  Pure functions over
 * arrays; nothing here knows how a number was measured.
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

#ifdef __cplusplus
}
#endif
#endif
