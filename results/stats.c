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

/*
 * Resampling without sorting.  A bootstrap resample of n values is n draws
 * of an index; its median only needs the two middle order statistics, which
 * counting the draws per rank of the sorted sample gives in O(n), where
 * sorting every resample cost O(n log n) through qsort's comparison calls.
 * The values, and so every interval, are exactly those sorting would give.
 */
typedef struct resampler {
    size_t n;
    double *sorted;  /* the sample, ascending */
    size_t *rank;    /* rank[i]: where v[i] sits in sorted */
    unsigned *count; /* draws per rank in the current resample */
} resampler;

typedef struct indexed {
    double v;
    size_t i;
} indexed;

static int cmp_indexed(const void *x, const void *y)
{
    double a = ((const indexed *)x)->v, b = ((const indexed *)y)->v;
    return (a > b) - (a < b);
}

static void resampler_free(resampler *r)
{
    free(r->sorted);
    free(r->rank);
    free(r->count);
}

static int resampler_init(resampler *r, const double *v, size_t n)
{
    r->n = n;
    r->sorted = malloc(n * sizeof *r->sorted);
    r->rank = malloc(n * sizeof *r->rank);
    r->count = malloc(n * sizeof *r->count);
    indexed *x = malloc(n * sizeof *x);
    if (!r->sorted || !r->rank || !r->count || !x) {
        free(x);
        resampler_free(r);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = (indexed){v[i], i};
    qsort(x, n, sizeof *x, cmp_indexed);
    for (size_t k = 0; k < n; k++) {
        r->sorted[k] = x[k].v;
        r->rank[x[k].i] = k;
    }
    free(x);
    return 0;
}

/* The median of one resample: the draws are those of v[next_random % n]
 * in order, as the sorting version made them. */
static double resample_median(resampler *r, uint64_t *state)
{
    size_t n = r->n;
    memset(r->count, 0, n * sizeof *r->count);
    for (size_t i = 0; i < n; i++)
        r->count[r->rank[next_random(state) % n]]++;
    if (n == 1)
        return r->sorted[0];
    /* gct_quantile_sorted at q = 0.5: positions lo and lo + 1. */
    double h = 0.5 * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    size_t k = 0, seen = r->count[0];
    while (seen <= lo)
        seen += r->count[++k];
    double x = r->sorted[k];
    while (seen <= lo + 1)
        seen += r->count[++k];
    double y = r->sorted[k];
    return x + frac * (y - x);
}

/* The k-th smallest of v[0..n) (k < n), partially reordering v so that
 * everything after position k is at least v[k] (Hoare's selection). */
static double select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

/* gct_quantile_sorted(sorted v, n, q) without sorting v (reorders it). */
static double quantile_unsorted(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = q * (double)(n - 1);
    size_t lo = q <= 0 ? 0 : q >= 1 ? n - 1 : (size_t)floor(h);
    double x = select_kth(v, n, lo);
    if (q <= 0 || q >= 1 || lo + 1 >= n)
        return x;
    double y = v[lo + 1];
    for (size_t i = lo + 2; i < n; i++)
        if (v[i] < y)
            y = v[i];
    return x + (h - (double)lo) * (y - x);
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
    resampler r;
    double *medians = malloc(resamples * sizeof *medians);
    if (!medians || resampler_init(&r, v, n)) {
        free(medians);
        *lo = *hi = NAN;
        return;
    }
    uint64_t state = seed;
    for (unsigned k = 0; k < resamples; k++)
        medians[k] = resample_median(&r, &state);
    double tail = (1.0 - level) / 2.0;
    *lo = quantile_unsorted(medians, resamples, tail);
    *hi = quantile_unsorted(medians, resamples, 1.0 - tail);
    resampler_free(&r);
    free(medians);
}

/* ---- Mann-Whitney U --------------------------------------------------------- */

typedef struct ranked {
    double v;
    int side; /* 0: a, 1: b */
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    double a = ((const ranked *)x)->v, b = ((const ranked *)y)->v;
    return (a > b) - (a < b);
}

/*
 * The null distribution of U for sample sizes m, n without ties: the counts
 * of the C(m + n, m) arrangements by U = k, k = 0 .. m n (malloc'd; NULL
 * when out of memory).  Their generating function is the Gaussian binomial
 * coefficient, prod over i = 1..m of (1 - q^(n+i)) / (1 - q^i): one
 * multiplication and one division per i, O(m * m n) operations, every
 * intermediate an integer no larger than C(m + n, m) in magnitude.  While
 * that is below 2^52 the doubles hold them exactly; beyond, the subtractions
 * could lose digits, and the recurrence f(m, n, k) = f(m - 1, n, k - n) +
 * f(m, n - 1, k), which only adds, takes over (O(m^2 n^2)).  Both give the
 * exact counts where both apply (checked for every m n <= 2500), so the
 * p-values do not depend on which ran; 10 vs 10 runs took 10 us, now 1.
 */
static double *exact_counts(size_t m, size_t n)
{
    size_t maxu = m * n;
    double *counts = calloc(maxu + m + 1, sizeof *counts);
    if (!counts)
        return NULL;
    if (lgamma((double)(m + n + 1)) - lgamma((double)(m + 1)) - lgamma((double)(n + 1)) <
        52 * 0.69314718055994531) {
        counts[0] = 1; /* degree (i - 1) n so far */
        for (size_t i = 1; i <= m; i++) {
            size_t top = (i - 1) * n + n + i; /* degree after the product */
            for (size_t k = top; k >= n + i; k--)
                counts[k] -= counts[k - n - i];
            for (size_t k = i; k <= top; k++)
                counts[k] += counts[k - i];
        }
        return counts;
    }
    /* f[j][k] for the current i (sizes i, j): a (n+1) x (maxu+1) table. */
    double *prev = calloc((n + 1) * (maxu + 1), sizeof *prev);
    double *cur = calloc((n + 1) * (maxu + 1), sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        free(counts);
        return NULL;
    }
#define F(t, j, k) (t)[(j) * (maxu + 1) + (k)]
    for (size_t j = 0; j <= n; j++)
        F(prev, j, 0) = 1; /* i = 0: one arrangement, U = 0 */
    /* Row j of a table holds k <= i j; what lies beyond is read as 0, so
     * the tables need no clearing between rounds. */
    for (size_t i = 1; i <= m; i++) {
        F(cur, 0, 0) = 1;
        for (size_t j = 1; j <= n; j++)
            for (size_t k = 0; k <= i * j; k++)
                F(cur, j, k) = (k >= j ? F(prev, j, k - j) : 0) +
                               (k <= i * (j - 1) ? F(cur, j - 1, k) : 0);
        double *t = prev;
        prev = cur;
        cur = t;
    }
    for (size_t k = 0; k <= maxu; k++)
        counts[k] = F(prev, n, k);
#undef F
    free(prev);
    free(cur);
    return counts;
}

/* P(U <= u) for sample sizes m, n under the null hypothesis without ties. */
static double exact_cdf(size_t m, size_t n, double u)
{
    double *counts = exact_counts(m, n);
    if (!counts)
        return NAN;
    double total = 0, below = 0;
    for (size_t k = 0; k <= m * n; k++) {
        total += counts[k];
        if ((double)k <= u + 1e-9)
            below += counts[k];
    }
    free(counts);
    return below / total;
}

/* gct_mann_whitney takes the exact distribution up to this many pairs. */
#define EXACT_MAX_PAIRS 2500

int gct_mann_whitney(const double *a, size_t na, const double *b, size_t nb, gct_mwu *out)
{
    memset(out, 0, sizeof *out);
    if (!na || !nb)
        return -1;
    size_t n = na + nb;
    ranked *r = malloc(n * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < na; i++)
        r[i] = (ranked){a[i], 0};
    for (size_t i = 0; i < nb; i++)
        r[na + i] = (ranked){b[i], 1};
    qsort(r, n, sizeof *r, cmp_ranked);
    /* Midranks; the tie term sum(t^3 - t) for the variance. */
    double rank_a = 0, ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].v == r[i].v)
            j++;
        double mid = (double)(i + j + 1) / 2.0; /* ranks i+1 .. j */
        for (size_t k = i; k < j; k++)
            if (r[k].side == 0)
                rank_a += mid;
        double t = (double)(j - i);
        ties += t * t * t - t;
        i = j;
    }
    free(r);
    double m1 = (double)na, m2 = (double)nb;
    out->u_a = rank_a - m1 * (m1 + 1) / 2;
    out->u_b = m1 * m2 - out->u_a;
    out->p_b_wins = out->u_b / (m1 * m2);
    double mu = m1 * m2 / 2;
    if (ties == 0 && na * nb <= EXACT_MAX_PAIRS) {
        /* Exact: the distribution of U is symmetric about mu. */
        double u = out->u_a < out->u_b ? out->u_a : out->u_b;
        double p = 2 * exact_cdf(na, nb, u);
        out->p = p > 1 ? 1 : p;
        out->exact = true;
        return 0;
    }
    double N = (double)n;
    double var = m1 * m2 / 12.0 * ((N + 1) - ties / (N * (N - 1)));
    if (var <= 0) {
        out->p = 1; /* every value equal */
        return 0;
    }
    double d = fabs(out->u_a - mu) - 0.5; /* continuity correction */
    if (d < 0)
        d = 0;
    double z = d / sqrt(var);
    out->p = erfc(z / sqrt(2.0));
    if (out->p > 1)
        out->p = 1;
    return 0;
}

void gct_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level,
                            unsigned resamples, uint64_t seed, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (!na || !nb || !resamples)
        return;
    resampler ra, rb;
    double *ratios = malloc(resamples * sizeof *ratios);
    if (!ratios || resampler_init(&ra, a, na)) {
        free(ratios);
        return;
    }
    if (resampler_init(&rb, b, nb)) {
        resampler_free(&ra);
        free(ratios);
        return;
    }
    uint64_t state = seed;
    size_t k = 0;
    for (unsigned r = 0; r < resamples; r++) {
        double ma = resample_median(&ra, &state), mb = resample_median(&rb, &state);
        if (ma != 0 && isfinite(mb / ma))
            ratios[k++] = mb / ma;
    }
    if (k) {
        double tail = (1.0 - level) / 2.0;
        *lo = quantile_unsorted(ratios, k, tail);
        *hi = quantile_unsorted(ratios, k, 1.0 - tail);
    }
    resampler_free(&ra);
    resampler_free(&rb);
    free(ratios);
}

/* ---- Pareto frontier ------------------------------------------------------- */

static const double *pareto_x, *pareto_y;

static int cmp_pareto(const void *p, const void *q)
{
    size_t i = *(const size_t *)p, j = *(const size_t *)q;
    /* x descending, then y ascending */
    if (pareto_x[i] != pareto_x[j])
        return pareto_x[i] < pareto_x[j] ? 1 : -1;
    return (pareto_y[i] > pareto_y[j]) - (pareto_y[i] < pareto_y[j]);
}

size_t gct_pareto_front(const double *x, const double *y, size_t n, size_t *idx)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order), m = 0;
    if (!order)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i]))
            order[m++] = i;
    pareto_x = x;
    pareto_y = y;
    qsort(order, m, sizeof *order, cmp_pareto);
    /* Sweep from the highest x: a point is on the frontier when its y is
     * lower than every y seen so far (those all have x at least as high). */
    size_t k = 0;
    double best_y = INFINITY;
    for (size_t i = 0; i < m; i++) {
        if (y[order[i]] < best_y) {
            idx[k++] = order[i];
            best_y = y[order[i]];
        }
    }
    free(order);
    /* Ascending x for drawing. */
    for (size_t i = 0; i < k / 2; i++) {
        size_t t = idx[i];
        idx[i] = idx[k - 1 - i];
        idx[k - 1 - i] = t;
    }
    return k;
}
