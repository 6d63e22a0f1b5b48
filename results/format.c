/* format.c — numbers for people (see format.h). */
#include "format.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void fmt_duration(double us, const char *micro, char *buf, size_t len)
{
    if (!isfinite(us))
        snprintf(buf, len, "-");
    else if (us >= 1e6)
        snprintf(buf, len, "%.3g s", us / 1e6);
    else if (us >= 1e3)
        snprintf(buf, len, "%.3g ms", us / 1e3);
    else
        snprintf(buf, len, "%.3g %s", us, micro);
}

void gct_fmt_us(double us, char *buf, size_t len) { fmt_duration(us, "µs", buf, len); }
void gct_fmt_us_ascii(double us, char *buf, size_t len) { fmt_duration(us, "us", buf, len); }

void gct_fmt_count(double v, char *buf, size_t len)
{
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (v >= 1e9)
        snprintf(buf, len, "%.3gG", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, len, "%.3gM", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, len, "%.3gk", v / 1e3);
    else
        snprintf(buf, len, "%.3g", v);
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
