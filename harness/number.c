/* number.c — the one reader of whole numbers with k/M/G (number.h). */
#include "number.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Digits of s[*i ..) into *v (false on overflow); *ndigits how many. */
static bool read_digits(const char *s, size_t len, size_t *i, uint64_t *v, int *ndigits)
{
    *v = 0;
    *ndigits = 0;
    for (; *i < len && is_digit(s[*i]); (*i)++, (*ndigits)++)
        if (__builtin_mul_overflow(*v, 10, v) ||
            __builtin_add_overflow(*v, (uint64_t)(s[*i] - '0'), v))
            return false;
    return true;
}

bool gct_number_parse(const char *s, size_t len, int64_t unit, int64_t *out)
{
    size_t i = 0;
    bool negative = len > 0 && s[0] == '-';
    i += negative;
    uint64_t whole, frac = 0;
    int nwhole, nfrac = 0;
    if (!read_digits(s, len, &i, &whole, &nwhole) || nwhole == 0)
        return false;
    if (i < len && s[i] == '.') {
        i++;
        if (!read_digits(s, len, &i, &frac, &nfrac) || nfrac == 0 || nfrac > 18)
            return false;
    }
    uint64_t scale = 1;
    if (i < len) {
        int power = s[i] == 'k' || s[i] == 'K' ? 1 : s[i] == 'M' ? 2 : s[i] == 'G' ? 3 : 0;
        if (!power)
            return false;
        for (int p = 0; p < power; p++)
            scale *= (uint64_t)unit;
        i++;
    }
    if (i != len)
        return false;
    /* whole * scale + frac * scale / 10^nfrac, exactly. */
    uint64_t ten = 1, v, f;
    for (int d = 0; d < nfrac; d++)
        ten *= 10;
    if (__builtin_mul_overflow(whole, scale, &v) || __builtin_mul_overflow(frac, scale, &f) ||
        f % ten != 0 || __builtin_add_overflow(v, f / ten, &v))
        return false;
    if (v > (uint64_t)INT64_MAX)
        return false;
    *out = negative ? -(int64_t)v : (int64_t)v;
    return true;
}
