/*
 * rng.h — the deterministic random numbers every workload draws from.
 *
 * xoshiro256** (Blackman & Vigna), seeded by running splitmix64 over the
 * user's 64-bit seed, as its authors recommend: any seed, including 0, gives
 * a well-mixed state.  Everything here is a pure function of the state, so
 * the same seed gives the same stream on every machine, compiler and
 * collector.  None of it is suitable for cryptography.
 *
 * Zipf sampling uses Hörmann & Derflinger's rejection-inversion method
 * ("Rejection-inversion to generate variates from monotone discrete
 * distributions", 1996), the algorithm of Apache Commons' Zipf sampler: O(1)
 * memory and time per draw for any number of elements and any exponent >= 0.
 * It goes through libm (log, exp, log1p, expm1), so its draws are the same on
 * every run of one build but could differ in rare last-bit cases between C
 * libraries; the integer draws above never do.
 */
#ifndef GCT_RNG_H
#define GCT_RNG_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct gct_rng {
    uint64_t s[4];
} gct_rng;

/* One step of splitmix64: advances *x and returns a well-mixed word. */
static inline uint64_t gct_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A stateless 64-bit mixer (splitmix64's finaliser), for checksums. */
static inline uint64_t gct_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline void gct_rng_seed(gct_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = gct_splitmix64(&x);
}

static inline uint64_t gct_rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256**: the next 64 random bits. */
static inline uint64_t gct_rng_next(gct_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = gct_rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gct_rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0, without bias (Lemire's multiply-and-reject). */
static inline uint64_t gct_rng_below(gct_rng *r, uint64_t n)
{
    __extension__ typedef unsigned __int128 u128;
    u128 m = (u128)gct_rng_next(r) * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t t = (0 - n) % n;
        while (lo < t) {
            m = (u128)gct_rng_next(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double gct_rng_double(gct_rng *r)
{
    return (double)(gct_rng_next(r) >> 11) * 0x1.0p-53;
}

/* True with probability p (p <= 0: never; p >= 1: always). */
static inline bool gct_rng_chance(gct_rng *r, double p) { return gct_rng_double(r) < p; }

/* ---- Zipf: P(k) proportional to 1 / k^exponent, k = 1..n ---------------- */

typedef struct gct_zipf {
    double exponent;
    uint64_t n;
    double h_x1;  /* hIntegral(1.5) - 1 */
    double h_n;   /* hIntegral(n + 0.5) */
    double s;     /* the squeeze: accept at once when k - x <= s */
} gct_zipf;

/* log1p(x)/x and expm1(x)/x, with their series near 0. */
static inline double gct__zipf_helper1(double x)
{
    return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - x * 0.25));
}

static inline double gct__zipf_helper2(double x)
{
    return fabs(x) > 1e-8 ? expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + x * 0.25));
}

/* H(x) = integral of h from 1 to x, h(x) = x^-exponent (shifted so H(1) = 0). */
static inline double gct__zipf_H(const gct_zipf *z, double x)
{
    double lx = log(x);
    return gct__zipf_helper2((1.0 - z->exponent) * lx) * lx;
}

static inline double gct__zipf_h(const gct_zipf *z, double x) { return exp(-z->exponent * log(x)); }

static inline double gct__zipf_Hinv(const gct_zipf *z, double x)
{
    double t = x * (1.0 - z->exponent);
    if (t < -1.0)
        t = -1.0; /* rounding can push t just below -1 */
    return exp(gct__zipf_helper1(t) * x);
}

/* n >= 1, exponent >= 0 (0 is the uniform distribution). */
static inline void gct_zipf_init(gct_zipf *z, uint64_t n, double exponent)
{
    z->exponent = exponent;
    z->n = n;
    z->h_x1 = gct__zipf_H(z, 1.5) - 1.0;
    z->h_n = gct__zipf_H(z, (double)n + 0.5);
    z->s = 2.0 - gct__zipf_Hinv(z, gct__zipf_H(z, 2.5) - gct__zipf_h(z, 2.0));
}

/* A rank in 1..n; rank 1 is the most frequent. */
static inline uint64_t gct_zipf_sample(const gct_zipf *z, gct_rng *r)
{
    for (;;) {
        double u = z->h_n + gct_rng_double(r) * (z->h_x1 - z->h_n);
        double x = gct__zipf_Hinv(z, u);
        double kx = x + 0.5;
        uint64_t k;
        if (!(kx >= 1.0))
            k = 1;
        else if (kx >= (double)z->n)
            k = z->n;
        else
            k = (uint64_t)kx;
        if ((double)k - x <= z->s || u >= gct__zipf_H(z, (double)k + 0.5) - gct__zipf_h(z, (double)k))
            return k;
    }
}

#endif
