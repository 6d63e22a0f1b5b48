"""_rng.py -- the project's random numbers (workloads/rng.h) in Python.

xoshiro256** seeded by splitmix64 over the 64-bit seed, Lemire's unbiased
bounded draw, 53-bit doubles, and Hormann & Derflinger's rejection-inversion
Zipf sampler, step for step as rng.h does them, so that a Python twin makes
the same random choices as its C workload for the same seed.  Integer draws
are exact on every machine; Zipf goes through libm (math.log, exp, log1p,
expm1), as the C code does, so it matches the C build on the same machine.

Written to allocate no tracked (container) object per draw: the generator is
a __slots__ object, draws are ints and floats (never tracked by the cycle
collector), and nothing returns a tuple.
"""
import math

M64 = (1 << 64) - 1


def splitmix64_step(x):
    """The output of one splitmix64 step from state x (gct_splitmix64); the
    step leaves the state at x + 0x9E3779B97F4A7C15, which the caller adds
    itself (seed() below): returning both would build a tuple."""
    z = (x + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def mix64(z):
    """splitmix64's finaliser (gct_mix64), for hashing keys."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class Rng:
    __slots__ = ("s0", "s1", "s2", "s3")

    def __init__(self):
        self.s0 = self.s1 = self.s2 = self.s3 = 0

    def seed(self, seed):
        x = seed & M64
        self.s0 = splitmix64_step(x)
        x = (x + 0x9E3779B97F4A7C15) & M64
        self.s1 = splitmix64_step(x)
        x = (x + 0x9E3779B97F4A7C15) & M64
        self.s2 = splitmix64_step(x)
        x = (x + 0x9E3779B97F4A7C15) & M64
        self.s3 = splitmix64_step(x)

    def next(self):
        """xoshiro256**: the next 64 random bits (gct_rng_next)."""
        s0 = self.s0
        s1 = self.s1
        s2 = self.s2
        s3 = self.s3
        x = (s1 * 5) & M64
        result = ((((x << 7) | (x >> 57)) & M64) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & M64
        self.s0 = s0
        self.s1 = s1
        self.s2 = s2
        self.s3 = s3
        return result

    def below(self, n):
        """Uniform in [0, n), n > 0 (gct_rng_below: Lemire's method)."""
        m = self.next() * n
        lo = m & M64
        if lo < n:
            t = ((1 << 64) - n) % n
            while lo < t:
                m = self.next() * n
                lo = m & M64
        return m >> 64

    def double(self):
        """Uniform in [0, 1) with 53 random bits (gct_rng_double)."""
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)

    def chance(self, p):
        return self.double() < p


def _helper1(x):
    if abs(x) > 1e-8:
        return math.log1p(x) / x
    return 1.0 - x * (0.5 - x * (1.0 / 3.0 - x * 0.25))


def _helper2(x):
    if abs(x) > 1e-8:
        return math.expm1(x) / x
    return 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + x * 0.25))


class Zipf:
    """P(k) proportional to 1 / k^exponent, k = 1..n (gct_zipf)."""
    __slots__ = ("exponent", "n", "h_x1", "h_n", "s")

    def __init__(self, n, exponent):
        self.exponent = float(exponent)
        self.n = n
        self.h_x1 = self.H(1.5) - 1.0
        self.h_n = self.H(float(n) + 0.5)
        self.s = 2.0 - self.Hinv(self.H(2.5) - self.h(2.0))

    def H(self, x):
        lx = math.log(x)
        return _helper2((1.0 - self.exponent) * lx) * lx

    def h(self, x):
        return math.exp(-self.exponent * math.log(x))

    def Hinv(self, x):
        t = x * (1.0 - self.exponent)
        if t < -1.0:
            t = -1.0
        return math.exp(_helper1(t) * x)

    def sample(self, rng):
        """A rank in 1..n (gct_zipf_sample)."""
        n = self.n
        while True:
            u = self.h_n + rng.double() * (self.h_x1 - self.h_n)
            x = self.Hinv(u)
            kx = x + 0.5
            if not kx >= 1.0:
                k = 1
            elif kx >= float(n):
                k = n
            else:
                k = int(kx)
            if float(k) - x <= self.s or u >= self.H(float(k) + 0.5) - self.h(float(k)):
                return k


class Table(list):
    """A fixed table of references (the C workloads' array shapes): one
    tracked container, made as `t = Table(); t.extend(nones)`.  A list
    subclass with empty __slots__ is allocated like any instance (counted by
    the collector), never taken from the list free list, whose reuse
    CPython does not count (docs/traces.md, the converter's CL)."""
    __slots__ = ()


_NONES = {}


def table(n):
    """A Table of n Nones.  The list of Nones it extends from is made once per
    size and kept, so a table made during an operation (longlived's pages)
    allocates exactly one container (extending from a list allocates none)."""
    nones = _NONES.get(n)
    if nones is None:
        nones = _NONES[n] = [None] * n
    t = Table()
    t.extend(nones)
    return t


def array_size(n):
    """gct_wl_array_shape's slot count: the smallest power of two >= n."""
    k = 1
    while k < n:
        k <<= 1
    return k
