/* gct_test.c — the shared test helpers (see gct_test.h). */
#include "gct_test.h"

#include <inttypes.h>
#include <stdio.h>

#include "collector.h"

gct_test_val gct_test_val_i(intmax_t v) { return (gct_test_val){.kind = 'i', .i = v}; }
gct_test_val gct_test_val_u(uintmax_t v) { return (gct_test_val){.kind = 'u', .u = v}; }
gct_test_val gct_test_val_c(char v) { return (gct_test_val){.kind = 'c', .i = v}; }
gct_test_val gct_test_val_d(long double v) { return (gct_test_val){.kind = 'd', .d = v}; }
gct_test_val gct_test_val_p(const void *v) { return (gct_test_val){.kind = 'p', .p = v}; }

static char text[8192];

/* The length of the first operand of s, the text of "b, fmt, args": up to
 * its first comma outside brackets, strings and character constants. */
static int operand_len(const char *s)
{
    int depth = 0;
    const char *p = s;
    for (; *p; p++) {
        if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; *p && *p != q; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                break;
        } else if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == ']' || *p == '}') {
            depth--;
        } else if (*p == ',' && depth == 0) {
            break;
        }
    }
    return (int)(p - s);
}

static size_t put(size_t at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t put(size_t at, const char *fmt, ...)
{
    if (at >= sizeof text)
        return at;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text + at, sizeof text - at, fmt, ap);
    va_end(ap);
    return n < 0 ? at : at + (size_t)n;
}

static size_t put_val(size_t at, gct_test_val v)
{
    switch (v.kind) {
    case 'i':
        return put(at, "%jd", v.i);
    case 'u':
        if (v.u > UINT32_MAX)
            return put(at, "%ju (0x%jx)", v.u, v.u);
        return put(at, "%ju", v.u);
    case 'c':
        return put(at, "%d", (int)v.i);
    case 'd':
        return put(at, "%.17Lg", v.d);
    default:
        return v.p ? put(at, "%p", v.p) : put(at, "NULL");
    }
}

/* The caller's message: fmt is ": " followed by the caller's format. */
static size_t put_msg(size_t at, const char *fmt, va_list ap)
{
    if (!fmt[2] || at >= sizeof text)
        return at;
    at = put(at, "\n  ");
    int n = vsnprintf(text + at, sizeof text - at, fmt + 2, ap);
    return n < 0 ? at : at + (size_t)n;
}

const char *gct_test_cmp_text(const char *ea, const char *op, const char *eb, gct_test_val a,
                              gct_test_val b, const char *fmt, ...)
{
    int lb = operand_len(eb);
    size_t at = put(0, "%s %s %.*s\n    %s = ", ea, op, lb, eb, ea);
    at = put_val(at, a);
    at = put(at, "\n    %.*s = ", lb, eb);
    at = put_val(at, b);
    va_list ap;
    va_start(ap, fmt);
    put_msg(at, fmt, ap);
    va_end(ap);
    return text;
}

const char *gct_test_str_text(const char *ea, const char *op, const char *eb, const char *a,
                              const char *b, const char *fmt, ...)
{
    int lb = operand_len(eb);
    size_t at = put(0, "%s %s %.*s (as strings)\n    %s = ", ea, op, lb, eb, ea);
    at = a ? put(at, "\"%s\"", a) : put(at, "NULL");
    at = put(at, "\n    %.*s = ", lb, eb);
    at = b ? put(at, "\"%s\"", b) : put(at, "NULL");
    va_list ap;
    va_start(ap, fmt);
    put_msg(at, fmt, ap);
    va_end(ap);
    return text;
}

const char *gct_test_near_text(const char *ea, const char *eb, double a, double b, double eps,
                               const char *fmt, ...)
{
    /* eb is "b, eps, message...": b and eps as written. */
    int lb = operand_len(eb);
    const char *eeps = eb + lb + (eb[lb] == ',') + (eb[lb] == ',' && eb[lb + 1] == ' ');
    int le = operand_len(eeps);
    size_t at = put(0,
                    "|%s - %.*s| <= %.*s\n    %s = %.17g\n    %.*s = %.17g\n    %.*s = %.17g"
                    " (the difference is %.17g)",
                    ea, lb, eb, le, eeps, ea, a, lb, eb, b, le, eeps, eps, a - b);
    va_list ap;
    va_start(ap, fmt);
    put_msg(at, fmt, ap);
    va_end(ap);
    return text;
}

gct_heap *gct_test_heap_knobs_at_(const char *file, int line, const char *collector,
                                  const char *const *knobs, size_t n)
{
    char err[512] = "";
    gct_heap *h = gct_heap_new(collector, knobs, n, err, sizeof err);
    cr_assert(h, "%s:%d: gct_heap_new(%s, %zu knobs%s%s): %s", file, line,
              collector ? collector : "NULL", n, n ? ", first " : "", n ? knobs[0] : "", err);
    return h;
}

gct_heap *gct_test_heap_at_(const char *file, int line, const char *collector, ...)
{
    const char *knobs[32];
    size_t n = 0;
    va_list ap;
    va_start(ap, collector);
    for (const char *k; (k = va_arg(ap, const char *)) != NULL;) {
        cr_assert(n < sizeof knobs / sizeof knobs[0], "%s:%d: gct_test_heap: too many knobs", file,
                  line);
        knobs[n++] = k;
    }
    va_end(ap);
    return gct_test_heap_knobs_at_(file, line, collector, knobs, n);
}

gct_heap *gct_test_heap_thresholds_at_(const char *file, int line, const char *collector,
                                       int64_t gen0, int64_t gen1, int64_t gen2)
{
    char k[3][40];
    snprintf(k[0], sizeof k[0], "gen0=%" PRId64, gen0);
    snprintf(k[1], sizeof k[1], "gen1=%" PRId64, gen1);
    snprintf(k[2], sizeof k[2], "gen2=%" PRId64, gen2);
    const char *const knobs[] = {k[0], k[1], k[2]};
    return gct_test_heap_knobs_at_(file, line, collector, knobs, 3);
}

void gct_test_verify_at_(const char *file, int line, gct_heap *h)
{
    char err[512] = "";
    cr_assert(gct_heap_verify(h, true, err, sizeof err), "%s:%d: %s: verify: %s", file, line,
              gct_heap_collector(h)->name, err);
}

void gct_test_heap_done_at_(const char *file, int line, gct_heap *h)
{
    gct_test_verify_at_(file, line, h);
    gct_heap_destroy(h);
}
