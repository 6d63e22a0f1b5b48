/* format.c — numbers for people (see format.h). */
#include "format.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A unit and the value it stands for. */
typedef struct rung {
    double at;
    const char *unit;
} rung;

/* v to 3 significant digits in the first unit it reaches (rungs from the
 * largest down; the last takes everything below); "-" for NaN. */
static void fmt_ladder(double v, const rung *r, size_t n, char *buf, size_t len)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return;
    }
    size_t i = 0;
    while (i + 1 < n && !(v >= r[i].at))
        i++;
    snprintf(buf, len, "%.3g%s", v / r[i].at, r[i].unit);
}

void gct_fmt_us(double us, char *buf, size_t len)
{
    static const rung r[] = {{1e6, " s"}, {1e3, " ms"}, {1, " µs"}};
    fmt_ladder(us, r, 3, buf, len);
}

void gct_fmt_us_ascii(double us, char *buf, size_t len)
{
    static const rung r[] = {{1e6, " s"}, {1e3, " ms"}, {1, " us"}};
    fmt_ladder(us, r, 3, buf, len);
}

void gct_fmt_count(double v, char *buf, size_t len)
{
    static const rung r[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
    fmt_ladder(v, r, 4, buf, len);
}

void gct_fmt_bytes(double b, char *buf, size_t len)
{
    if (!isfinite(b))
        snprintf(buf, len, "-");
    else if (b >= 1 << 30)
        snprintf(buf, len, "%.2f GiB", b / (1 << 30));
    else if (b >= 1 << 20)
        snprintf(buf, len, "%.1f MiB", b / (1 << 20));
    else if (b >= 1 << 10)
        snprintf(buf, len, "%.1f KiB", b / (1 << 10));
    else
        snprintf(buf, len, "%.0f B", b);
}

void gct_fmt_pct(double frac, char *buf, size_t len)
{
    if (!isfinite(frac))
        snprintf(buf, len, "-");
    else if (fabs(frac) >= 0.1)
        snprintf(buf, len, "%.0f%%", frac * 100);
    else if (fabs(frac) >= 0.01)
        snprintf(buf, len, "%.1f%%", frac * 100);
    else
        snprintf(buf, len, "%.2g%%", frac * 100);
}

void gct_appendf(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}
