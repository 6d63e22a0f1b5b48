/* stats.c — percentiles, MMU and bootstrap intervals (see stats.h). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: the seeded generator of the bootstrap (deterministic). */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void gct_sort_doubles(double *v, size_t n) { qsort(v, n, sizeof *v, cmp_double); }

double gct_quantile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return NAN;
    if (q <= 0)
        return sorted[0];
    if (q >= 1)
        return sorted[n - 1];
    double h = q * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

double gct_quantile(const double *v, size_t n, double q, double *scratch)
{
    memcpy(scratch, v, n * sizeof *v);
    gct_sort_doubles(scratch, n);
    return gct_quantile_sorted(scratch, n, q);
}

/* First pause whose end is after t (pauses sorted, disjoint: ends ascend). */
static size_t first_ending_after(const gct_interval *p, size_t n, double t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].end > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Number of pauses that start before t. */
static size_t count_starting_before(const gct_interval *p, size_t n, double t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].start < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Pause time inside [a, b], with prefix[i] = total length of pauses 0..i-1. */
static double overlap(const gct_interval *p, size_t n, const double *prefix, double a, double b)
{
    size_t i = first_ending_after(p, n, a);
    size_t j = count_starting_before(p, n, b); /* pauses i..j-1 intersect */
    if (i >= j)
        return 0;
    double sum = prefix[j] - prefix[i];
    if (p[i].start < a)
        sum -= a - p[i].start;
    if (p[j - 1].end > b)
        sum -= p[j - 1].end - b;
    return sum > 0 ? sum : 0;
}

double gct_mmu(const gct_interval *p, size_t n, double run_start, double run_end, double w)
{
    double len = run_end - run_start;
    if (n == 0 || len <= 0)
        return 1.0;
    double *prefix = malloc((n + 1) * sizeof *prefix);
    if (!prefix)
        return NAN;
    prefix[0] = 0;
    for (size_t k = 0; k < n; k++)
        prefix[k + 1] = prefix[k] + (p[k].end - p[k].start);
    double worst;
    if (w >= len) {
        worst = overlap(p, n, prefix, run_start, run_end) / len;
    } else {
        /* The pause time in [t, t+w] is piecewise linear in t, with corners
         * where either edge meets a pause boundary: its maximum is at one of
         * those t (clamped to the run). */
        worst = 0;
        double lo = run_start, hi = run_end - w;
        for (size_t k = 0; k < n; k++) {
            double cand[4] = {p[k].start, p[k].end, p[k].start - w, p[k].end - w};
            for (int c = 0; c < 4; c++) {
                double t = cand[c] < lo ? lo : cand[c] > hi ? hi : cand[c];
                double f = overlap(p, n, prefix, t, t + w) / w;
                if (f > worst)
                    worst = f;
            }
        }
    }
    free(prefix);
    double u = 1.0 - worst;
    return u < 0 ? 0 : u > 1 ? 1 : u;
}

void gct_bmmu(const gct_interval *p, size_t n, double run_start, double run_end, const double *ws,
              size_t m, double *out)
{
    double lowest = INFINITY;
    for (size_t i = m; i-- > 0;) {
        double u = gct_mmu(p, n, run_start, run_end, ws[i]);
        if (u < lowest)
            lowest = u;
        out[i] = lowest;
    }
}

void gct_bootstrap_median_ci(const double *v, size_t n, double level, unsigned resamples,
                             uint64_t seed, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    if (n == 1 || resamples == 0) {
        *lo = *hi = v[0];
        return;
    }
    double *sample = malloc(n * sizeof *sample);
    double *medians = malloc(resamples * sizeof *medians);
    if (!sample || !medians) {
        free(sample);
        free(medians);
        *lo = *hi = NAN;
        return;
    }
    uint64_t state = seed;
    for (unsigned r = 0; r < resamples; r++) {
        for (size_t i = 0; i < n; i++)
            sample[i] = v[next_random(&state) % n];
        gct_sort_doubles(sample, n);
        medians[r] = gct_median_sorted(sample, n);
    }
    gct_sort_doubles(medians, resamples);
    double tail = (1.0 - level) / 2.0;
    *lo = gct_quantile_sorted(medians, resamples, tail);
    *hi = gct_quantile_sorted(medians, resamples, 1.0 - tail);
    free(sample);
    free(medians);
}
