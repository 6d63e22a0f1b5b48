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

/* ---- Student's t, for the power model ----------------------------------------- */

/* The continued fraction of the regularized incomplete beta function
 * (modified Lentz), converging for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = 1 / (fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 500; m++) {
        double m2 = 2.0 * m;
        double num[2] = {m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                         -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))};
        double step = 1;
        for (int e = 0; e < 2; e++) {
            d = 1 + num[e] * d;
            d = 1 / (fabs(d) < tiny ? tiny : d);
            c = 1 + num[e] / c;
            if (fabs(c) < tiny)
                c = tiny;
            step = c * d;
            h *= step;
        }
        if (fabs(step - 1) < 1e-15)
            break;
    }
    return h;
}

/* I_x(a, b), the regularized incomplete beta function. */
static double incomplete_beta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

/* P(T > t) for Student's t with df > 0 degrees of freedom (the normal
 * distribution for df = INFINITY). */
static double t_upper_tail(double t, double df)
{
    if (t < 0)
        return 1 - t_upper_tail(-t, df);
    if (!isfinite(df))
        return 0.5 * erfc(t / sqrt(2.0));
    return 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

/* The density of Student's t with df degrees of freedom. */
static double t_density(double t, double df)
{
    if (!isfinite(df))
        return exp(-t * t / 2) / sqrt(2 * 3.14159265358979323846);
    return exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * 3.14159265358979323846) -
               (df + 1) / 2 * log1p(t * t / df));
}

/* The q-quantile of Student's t with df degrees of freedom: Newton's
 * method on the tail, kept inside a bracket (bisecting when a step would
 * leave it). */
static double t_quantile(double q, double df)
{
    if (!(q > 0 && q < 1))
        return q == 1 ? INFINITY : q == 0 ? -INFINITY : NAN;
    if (q < 0.5)
        return -t_quantile(1 - q, df);
    double lo = 0, hi = 1, tail = 1 - q;
    while (t_upper_tail(hi, df) > tail && hi < 1e300) {
        lo = hi;
        hi *= 2;
    }
    double t = (lo + hi) / 2;
    for (int i = 0; i < 200; i++) {
        double g = t_upper_tail(t, df) - tail; /* decreasing in t */
        if (g > 0)
            lo = t;
        else
            hi = t;
        double next = t + g / t_density(t, df);
        if (!(next > lo && next < hi))
            next = (lo + hi) / 2;
        if (fabs(next - t) <= 1e-14 * next || hi - lo <= 1e-14 * hi)
            return next;
        t = next;
    }
    return t;
}

/* ---- The spread of log values ------------------------------------------------ */

/*
 * Small-sample factors of Qn (Croux and Rousseeuw 1992) that make it unbiased
 * for the standard deviation of normal data; checked here by simulation
 * (200000 samples each of n = 5, 6, 8, 10, 20, 50: mean 0.999..1.009).
 */
static double qn_factor(size_t n)
{
    static const double small[] = {0, 0, 0.399, 0.994, 0.512, 0.844, 0.611, 0.857, 0.669, 0.872};
    if (n < sizeof small / sizeof small[0])
        return small[n];
    return n % 2 ? (double)n / ((double)n + 1.4) : (double)n / ((double)n + 3.8);
}

/* Above this many values Qn's n^2/2 differences cost too much memory; the
 * normalized MAD, noisier but then averaged over enough values, takes over. */
#define QN_MAX 2000

double gct_log_spread(const double *v, size_t n)
{
    if (n < 2)
        return NAN;
    double *x = malloc(n * sizeof *x);
    if (!x)
        return NAN;
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] > 0) || !isfinite(v[i])) {
            free(x);
            return NAN;
        }
        x[i] = log(v[i]);
    }
    double spread = NAN;
    if (n <= QN_MAX) {
        /* Qn: the k-th smallest of the pairwise distances, k = C(h, 2) with
         * h = n/2 + 1, times 2.2219 (normal consistency) and the factor. */
        size_t pairs = n * (n - 1) / 2, h = n / 2 + 1, k = h * (h - 1) / 2, m = 0;
        double *d = malloc(pairs * sizeof *d);
        if (d) {
            for (size_t i = 0; i < n; i++)
                for (size_t j = i + 1; j < n; j++)
                    d[m++] = fabs(x[i] - x[j]);
            spread = 2.2219 * qn_factor(n) * select_kth(d, pairs, k - 1);
            free(d);
        }
    } else {
        double med = quantile_unsorted(x, n, 0.5);
        for (size_t i = 0; i < n; i++)
            x[i] = fabs(x[i] - med);
        spread = 1.4826 * quantile_unsorted(x, n, 0.5);
    }
    free(x);
    return spread;
}

/* ---- Detectable effects and the verdict rule ------------------------------------
 *
 * gct_effect_of says B is higher (or lower) than A only when all three hold,
 * and otherwise says which failed:
 *
 *   1. the two-sided Mann-Whitney test gives p < 0.05;
 *   2. the 95% percentile-bootstrap interval of median(B)/median(A) leaves
 *      out 1;
 *   3. the observed difference |log(median(B)/median(A))| is at least
 *      log(1 + threshold): the significance test's own detectable shift
 *      (below), or the A/A noise floor measured on the machine when the
 *      caller has one and it is larger.
 *
 * Why not a lower bar.  The least observed difference that is significant
 * (the critical effect, in gct_effect.critical) would call more real
 * differences, but sweeps made at different times differ by a drift that no
 * spread within a sweep sees: on a loaded 2-core machine bench/aa-check
 * found that bar calling 3 of 42 identical configurations of consecutive
 * sweeps different.  The bar here asks for the difference the test itself
 * would find 80% of the time, so a drift has to be that large to fool it.
 *
 * What "detectable" then means.  A rule that calls only observed
 * differences of at least d finds a true difference of d about half the
 * time, since the estimate falls short of the truth as often as it
 * overshoots (simulated: 0.40 of comparisons at 5 vs 5 runs, 0.47 at 20 vs
 * 20).  The detectable effect reported (the X of "no detectable difference
 * (smaller than X)") is therefore the true difference that the whole rule,
 * bar included, finds 80% of the time: the bar plus about t(0.8) standard
 * errors (gct_detectable_effect_sd).
 *
 * The model.  Each side's log values are normal with standard deviation
 * sigma, estimated by Qn (Rousseeuw and Croux) rather than the sample
 * standard deviation: the rule itself, ranks and medians, shrugs off a run
 * slowed 1.5x by a neighbour, so its estimate of its own precision must too;
 * one such run in ten takes the standard deviation of sigma = 1% runs to
 * about 13%, and the detectable effect with it.  Qn keeps 82% of the
 * standard deviation's efficiency on normal data for many runs (the MAD
 * 37%); from few runs any spread is rough (Qn of 5 runs: +-54%, of 10:
 * +-30%).
 *
 * The standard error of the log ratio of the medians is then
 *
 *     se^2 = sd_a^2 v(na) / na + sd_b^2 v(nb) / nb
 *
 * with v(n) = n Var(median) / sigma^2 for n normal values, the inverse of
 * the median's efficiency relative to the mean: pi/2 for many runs (the
 * median's asymptotic relative efficiency, 2/pi), less for few and for an
 * even number (1.19 at 4 runs, 1.43 at 5, 1.38 at 10; table below).  The
 * rank test is more efficient than the medians (Lehmann's asymptotic
 * relative efficiency of the Wilcoxon test to the t test is 3/pi = 0.95 on
 * normal data), so the interval of the medians is the weak link, and the
 * median's efficiency sets se.
 *
 * The level.  The exact Mann-Whitney distribution is discrete: 5 vs 5 runs
 * give p = 0.032 or 0.056 and nothing between, so "p < 0.05" is a test at
 * 0.032.  level is the largest p below 0.05 the test can give for na x nb
 * runs (0.05 where it uses the normal approximation).  When there is none
 * (3 vs 3, whose smallest p is 0.1; 3 vs 4; 2 vs 7) nothing is ever called:
 * "too few runs", and the detectable effect is INFINITY.
 *
 * The critical effect: log(1 + critical) = z(1 - level/2) se, the least
 * observed log ratio significant at that level, the spread taken as
 * measured.
 *
 * The bar: the power calculation of the t test, with its small-sample
 * correction, on samples as efficient as the medians (the
 * asymptotic-relative-efficiency method of sizing a rank test):
 *
 *     log(1 + bar) = C (t(1 - level/2, df) + t(power, df)) se
 *
 * with df the Welch-Satterthwaite degrees of freedom of the two spreads
 * (na + nb - 2 for equal sides), raised to log(1 + floor) when a noise
 * floor is larger.
 *
 * Calibration.  C is measured, not derived: lognormal runs with a known
 * sigma, shifted by multiples of the formula's effect with C = 1, 4000
 * simulated comparisons at each (common random numbers), the rule with the
 * critical bar applied; the shift found 80% of the time, over the formula's:
 *
 *     runs  4    5    6    7    8    9    10   12   15   20   30
 *     C    1.03 1.01 1.03 1.05 1.06 1.04 1.04 1.04 1.07 1.06 1.07
 *     runs  4v8  5v8  5v10 6v10 8v10 10v20
 *     C    1.00 1.05 1.04 1.02 1.04 1.06
 *
 * each +-1% of Monte Carlo error; C = 1.04, their mean, and it does not
 * depend on sigma.  So the bar is the true difference the significance test
 * (with the interval) finds 80% of the time.  The detectable effect of the
 * whole rule adds k t(power, df) se to it, k = 1 + 90 / df^2 when the bar
 * comes from the runs' spread (itself rough from few runs) and 1 when a
 * floor fixes it; measured the same way, the rule finds it in 0.76..0.86 of
 * comparisons for 5 to 20 runs a side and sigma 1% to 20%, and in 0.81
 * with a floor.  For very unequal sides it is conservative.
 *
 * On synthetic A/A comparisons (5 to 20 runs, sigma 1% to 20%, with and
 * without one run in ten slowed 1.5x) the rule calls a difference in 1.2% to
 * 2.7% of them, conditions 1 and 2 alone in 2.1% to 3.4%.  Runs that are
 * independent draws never were the problem; drift between the batch of A
 * and the batch of B is, and only the floor (or interleaving the runs)
 * answers it.
 */

/*
 * n Var(median) / sigma^2 for n values drawn from a normal distribution
 * (index n, up to 60): the inverse of the median's efficiency relative to
 * the mean.  Worked out by numerical integration of the order-statistic
 * densities (one middle value for odd n, the mean of two for even n); it
 * tends to pi/2 from below, more slowly for even n.
 */
static const double median_var_table[] = {
    0.0000, 1.0000, 1.0000, 1.3460, 1.1928, 1.4342, 1.2884, 1.4731,
    1.3453, 1.4949, 1.3831, 1.5088, 1.4100, 1.5184, 1.4302, 1.5254,
    1.4458, 1.5308, 1.4583, 1.5350, 1.4685, 1.5385, 1.4769, 1.5413,
    1.4841, 1.5437, 1.4903, 1.5457, 1.4956, 1.5474, 1.5002, 1.5489,
    1.5043, 1.5503, 1.5080, 1.5514, 1.5112, 1.5525, 1.5141, 1.5534,
    1.5168, 1.5543, 1.5192, 1.5551, 1.5214, 1.5558, 1.5234, 1.5564,
    1.5252, 1.5570, 1.5269, 1.5575, 1.5285, 1.5580, 1.5299, 1.5585,
    1.5313, 1.5589, 1.5325, 1.5593, 1.5337,
};

static double median_variance(size_t n)
{
    size_t known = sizeof median_var_table / sizeof median_var_table[0];
    if (n < known)
        return median_var_table[n];
    /* The tails of the table: pi/2 - 0.68/n (odd), pi/2 - 2.23/n (even). */
    return 1.5707963267948966 - (n % 2 ? 0.68 : 2.23) / (double)n;
}

#define RULE_ALPHA 0.05
#define RULE_POWER 0.8
#define RULE_RESAMPLES 2000

/*
 * The level the rule can actually hold with na x nb runs: the largest
 * two-sided p-value below alpha that gct_mann_whitney can return without
 * ties (the exact distribution is discrete), alpha itself where it uses the
 * normal approximation, and 0 when no p-value below alpha is possible.
 */
static double attainable_level(size_t na, size_t nb, double alpha)
{
    if (!na || !nb)
        return 0;
    if (na * nb <= EXACT_MAX_PAIRS) {
        double *counts = exact_counts(na, nb);
        if (!counts)
            return alpha;
        double total = 0, below = 0, best = 0;
        for (size_t k = 0; k <= na * nb; k++)
            total += counts[k];
        /* The same sums, in the same order, as exact_cdf. */
        for (size_t k = 0; 2 * k <= na * nb; k++) {
            below += counts[k];
            double p = 2 * (below / total);
            if (!(p < alpha))
                break;
            best = p;
        }
        free(counts);
        return best;
    }
    /* Normal approximation: the most extreme U (0) gives its smallest p. */
    double m1 = (double)na, m2 = (double)nb;
    double z = (m1 * m2 / 2 - 0.5) / sqrt(m1 * m2 / 12.0 * (m1 + m2 + 1));
    return erfc(z / sqrt(2.0)) < alpha ? alpha : 0;
}

/* The standard error of log(median(b) / median(a)) for these spreads, and
 * the degrees of freedom of the spreads (Welch-Satterthwaite).  Returns -1
 * when a spread is unknown. */
static int median_model(double sd_a, size_t na, double sd_b, size_t nb, double *se, double *df)
{
    if (!(sd_a >= 0) || !(sd_b >= 0) || !isfinite(sd_a) || !isfinite(sd_b) || na < 2 || nb < 2)
        return -1;
    double va = sd_a * sd_a * median_variance(na) / (double)na;
    double vb = sd_b * sd_b * median_variance(nb) / (double)nb;
    *se = sqrt(va + vb);
    double den = va * va / (double)(na - 1) + vb * vb / (double)(nb - 1);
    *df = den > 0 ? (va + vb) * (va + vb) / den : (double)(na + nb - 2);
    return 0;
}

/* How much larger the shift must be than the formula says for the whole
 * rule (rank test, interval and critical effect together) to reach the
 * power: measured by simulation, see the comment at the top of this part. */
#define RULE_CALIBRATION 1.04

/* The bar an observed log ratio must clear: the significance test's own
 * detectable shift (its power calculation, calibrated), or the floor if that
 * is more.  *se gets the standard error of the log ratio.  NaN without a log
 * model, INFINITY with too few runs. */
static double bar_shift(double sd_a, size_t na, double sd_b, size_t nb, double noise_floor,
                        double alpha, double power, double *se, double *df, bool *floor_binds)
{
    *floor_binds = false;
    double level = attainable_level(na, nb, alpha);
    *se = *df = NAN;
    if (!(level > 0))
        return INFINITY;
    if (median_model(sd_a, na, sd_b, nb, se, df))
        return NAN;
    double floor_ = noise_floor > 0 ? log1p(noise_floor) : 0;
    double shift = RULE_CALIBRATION * (t_quantile(1 - level / 2, *df) + t_quantile(power, *df)) * *se;
    *floor_binds = floor_ > shift;
    return fmax(shift, floor_);
}

double gct_detectable_effect_sd(double sd_a, size_t na, double sd_b, size_t nb, double noise_floor,
                                double alpha, double power)
{
    if (!na || !nb)
        return NAN;
    double se, df;
    bool floor_binds;
    double bar = bar_shift(sd_a, na, sd_b, nb, noise_floor, alpha, power, &se, &df, &floor_binds);
    if (isnan(bar) || isinf(bar))
        return bar;
    /* The observed log ratio, spread like a t variable with standard error
     * se around the true one, clears the bar with probability `power` when
     * the true one lies t(power, df) se above it, and a little more when
     * the bar comes from the runs' own spread, which is rough from few
     * runs (a floor is a fixed bar).  The factor 1 + 90 / df^2 was measured
     * like RULE_CALIBRATION (lognormal runs, the whole rule, 400-4000
     * comparisons a case): it brings the power at the detectable effect to
     * 0.76-0.86 for 5 to 20 runs a side (1.0 left 5 vs 5 at 0.57). */
    double k = floor_binds ? 1 : 1 + 90 / (df * df);
    return expm1(bar + k * t_quantile(power, df) * se);
}

double gct_detectable_effect(const double *a, size_t na, const double *b, size_t nb, double alpha,
                             double power)
{
    if (!na || !nb)
        return NAN;
    return gct_detectable_effect_sd(gct_log_spread(a, na), na, gct_log_spread(b, nb), nb, 0, alpha,
                                    power);
}

static double median_of(const double *v, size_t n)
{
    double *c = malloc(n * sizeof *c);
    if (!c)
        return NAN;
    memcpy(c, v, n * sizeof *c);
    gct_sort_doubles(c, n);
    double m = gct_median_sorted(c, n);
    free(c);
    return m;
}

/* What the spread of a and b allows: the effect detected 80% of the time
 * (detectable), the least observed effect that is significant (critical) and
 * the bar an observed difference must clear (threshold).  level: the
 * smallest two-sided level the test can reach with these counts. */
static void effect_bars(const double *a, size_t na, const double *b, size_t nb, double floor_,
                        double level, gct_effect *out)
{
    double sa = gct_log_spread(a, na), sb = gct_log_spread(b, nb), se = NAN, df = NAN;
    bool model = median_model(sa, na, sb, nb, &se, &df) == 0;
    out->detectable = gct_detectable_effect_sd(sa, na, sb, nb, floor_, RULE_ALPHA, RULE_POWER);
    if (!(level > 0))
        out->critical = INFINITY;
    else if (model)
        out->critical = expm1(t_quantile(1 - level / 2, INFINITY) * se);
    /* The bar for the observed difference is the significance test's own
     * detectable shift (or the floor), not the critical effect: sweeps made
     * at different times differ by drift that no within-sweep spread sees,
     * and bench/aa-check found the critical bar calling 3 of 42 identical
     * pairs from consecutive sweeps different on a loaded machine.  The
     * detectable effect reported lies z(0.8) standard errors above the bar. */
    double bse, bdf;
    bool floor_binds;
    double bar = bar_shift(sa, na, sb, nb, floor_, RULE_ALPHA, RULE_POWER, &bse, &bdf, &floor_binds);
    out->threshold = isnan(bar) ? fmax(isnan(out->critical) ? 0 : out->critical, floor_)
                                : expm1(bar);
}

/* Every value of a and b is the same. */
static bool all_identical(const double *a, size_t na, const double *b, size_t nb)
{
    bool identical = true;
    for (size_t i = 0; i < na && identical; i++)
        identical = a[i] == a[0];
    for (size_t i = 0; i < nb && identical; i++)
        identical = b[i] == a[0];
    return identical;
}

/* The verdict rule on out's medians, interval and bars: a direction only
 * when the test is significant, the interval of the ratio leaves out 1 and
 * the difference clears the bar; out->why says which held. */
static void effect_verdict(double p, double level, double floor_, gct_effect *out)
{
    if (!(level > 0))
        return; /* too few runs */
    out->why = "not significant";
    if (!(p < RULE_ALPHA))
        return;
    if (!isnan(out->ratio) && !(out->hi < 1 || out->lo > 1))
        return;
    int sign = (out->median_b > out->median_a) - (out->median_b < out->median_a);
    /* The size of the effect on the log scale, so that a drop to 1/(1+t)
     * weighs as much as a rise to 1+t.  Without a ratio (median(a) == 0)
     * any change of the median is unbounded relative to it. */
    double effect = sign == 0 ? 0 : !(out->ratio > 0) ? INFINITY : fabs(log(out->ratio));
    /* Strictly beyond the bar: a configuration compared with itself across
     * two sweeps differs by exactly the drift that is its floor. */
    if (!(effect > 0) || !(effect > log1p(out->threshold) * (1 + 1e-9))) {
        bool below_floor = floor_ > 0 && !(effect > log1p(floor_) * (1 + 1e-9));
        out->why = below_floor ? "below the noise floor" : "below the detectable effect";
        return;
    }
    out->direction = sign;
    out->why = "detected";
}

int gct_effect_of(const double *a, size_t na, const double *b, size_t nb, double noise_floor,
                  uint64_t seed, gct_effect *out)
{
    *out = (gct_effect){.na = na,
                        .nb = nb,
                        .median_a = NAN,
                        .median_b = NAN,
                        .ratio = NAN,
                        .lo = NAN,
                        .hi = NAN,
                        .p = NAN,
                        .p_b_higher = NAN,
                        .detectable = NAN,
                        .critical = NAN,
                        .threshold = NAN,
                        .direction = 0,
                        .why = "too few runs"};
    if (!na || !nb)
        return -1;
    out->median_a = median_of(a, na);
    out->median_b = median_of(b, nb);
    if (out->median_a != 0)
        out->ratio = out->median_b / out->median_a;
    gct_mwu u;
    if (gct_mann_whitney(a, na, b, nb, &u))
        return -1;
    out->p = u.p;
    out->exact = u.exact;
    out->p_b_higher = u.p_b_wins;
    if (!isnan(out->ratio))
        gct_bootstrap_ratio_ci(a, na, b, nb, 0.95, RULE_RESAMPLES, seed, &out->lo, &out->hi);
    double level = attainable_level(na, nb, RULE_ALPHA);
    double floor_ = noise_floor > 0 ? noise_floor : 0;
    effect_bars(a, na, b, nb, floor_, level, out);
    if (all_identical(a, na, b, nb))
        out->why = "identical";
    else
        effect_verdict(u.p, level, floor_, out);
    return 0;
}

void gct_median_interval(const double *v, size_t n, uint64_t seed, double *median, double *lo,
                         double *hi, bool *is_ci)
{
    *is_ci = false;
    *median = *lo = *hi = NAN;
    if (!n)
        return;
    double *c = malloc(n * sizeof *c);
    if (!c)
        return;
    memcpy(c, v, n * sizeof *c);
    gct_sort_doubles(c, n);
    *median = gct_median_sorted(c, n);
    if (n < 5) {
        *lo = c[0];
        *hi = c[n - 1];
    } else {
        gct_bootstrap_median_ci(v, n, 0.95, RULE_RESAMPLES, seed, lo, hi);
        *is_ci = !isnan(*lo);
    }
    free(c);
}

/* ---- rank correlation -------------------------------------------------------- */

/* rank[i] of v[i], from 1, ties averaged. */
static void ranks_of(const double *v, size_t n, double *rank, indexed *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = (indexed){v[i], i};
    qsort(tmp, n, sizeof *tmp, cmp_indexed);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && tmp[j + 1].v == tmp[i].v)
            j++;
        double r = (double)(i + j) / 2 + 1;
        for (size_t k = i; k <= j; k++)
            rank[tmp[k].i] = r;
        i = j + 1;
    }
}

double gct_spearman(const double *x, const double *y, size_t n)
{
    if (n < 3)
        return NAN;
    double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
    indexed *tmp = malloc(n * sizeof *tmp);
    if (!rx || !ry || !tmp) {
        free(rx);
        free(ry);
        free(tmp);
        return NAN;
    }
    ranks_of(x, n, rx, tmp);
    ranks_of(y, n, ry, tmp);
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += rx[i];
        my += ry[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    free(rx);
    free(ry);
    free(tmp);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

double gct_theil_sen(const double *x, const double *y, size_t n)
{
    size_t m = 0;
    double *slopes = malloc((n * (n - (n > 0)) / 2 + 1) * sizeof *slopes);
    if (!slopes)
        return NAN;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (x[j] != x[i])
                slopes[m++] = (y[j] - y[i]) / (x[j] - x[i]);
    double s = NAN;
    if (m) {
        gct_sort_doubles(slopes, m);
        s = gct_quantile_sorted(slopes, m, 0.5);
    }
    free(slopes);
    return s;
}
