/* summary.c — per-configuration summaries (see summary.h). */
#include "summary.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static double median_of(double *v, size_t n)
{
    if (!n)
        return NAN;
    gct_sort_doubles(v, n);
    return gct_median_sorted(v, n);
}

static void add_name(const char ***list, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*list)[i], name))
            return;
    *list = realloc(*list, (*n + 1) * sizeof **list);
    if (!*list)
        abort();
    (*list)[(*n)++] = name;
}

void gct_summarize(const gct_results *rows, gct_summary *out)
{
    memset(out, 0, sizeof *out);
    out->configs = calloc(rows->n ? rows->n : 1, sizeof *out->configs);
    double *v = malloc((rows->n ? rows->n : 1) * sizeof *v);
    if (!out->configs || !v)
        abort();
    static const char *const fields[] = {"ops_per_s",  "pause_p99_us", "pause_max_us",
                                         "peak_bytes", "leaked_bytes", "gc_fraction"};
    for (size_t i = 0; i < rows->n; i++) {
        const gct_result *r = &rows->rows[i];
        if (strcmp(r->status, "ok"))
            continue;
        bool seen = false;
        for (size_t k = 0; k < out->n && !seen; k++)
            seen = !strcmp(out->configs[k].id, r->config_id);
        if (seen)
            continue;
        gct_config_summary *a = &out->configs[out->n++];
        a->id = r->config_id;
        a->collector = r->collector;
        a->workload = r->workload;
        a->gen0 = r->gen0;
        a->gen1 = r->gen1;
        a->gen2 = r->gen2;
        a->wall0_ms = NAN;
        double *dst[] = {&a->ops, &a->p99, &a->pmax, &a->peak, &a->leaked, &a->gc_fraction};
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            const gct_field *fd = gct_result_field(fields[f]);
            size_t n = 0;
            for (size_t j = i; j < rows->n; j++) {
                const gct_result *q = &rows->rows[j];
                if (strcmp(q->config_id, a->id) || strcmp(q->status, "ok"))
                    continue;
                v[n++] = gct_result_num(q, fd);
                if (f == 0 && q->rep == 0)
                    a->wall0_ms = q->wall_s * 1e3;
            }
            a->n = n;
            if (f == 0)
                gct_bootstrap_median_ci(v, n, 0.95, 2000, 0x5eed, &a->ops_lo, &a->ops_hi);
            *dst[f] = median_of(v, n);
        }
        add_name(&out->workloads, &out->nworkloads, a->workload);
        add_name(&out->collectors, &out->ncollectors, a->collector);
    }
    free(v);
}

void gct_summary_free(gct_summary *s)
{
    free(s->configs);
    free(s->workloads);
    free(s->collectors);
    memset(s, 0, sizeof *s);
}

size_t gct_summary_best_per_collector(const gct_summary *s, const char *wl,
                                      const gct_config_summary **out, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < s->ncollectors && n < max; k++) {
        const gct_config_summary *best = NULL;
        for (size_t i = 0; i < s->n; i++) {
            const gct_config_summary *a = &s->configs[i];
            if (strcmp(a->workload, wl) || strcmp(a->collector, s->collectors[k]))
                continue;
            if (!best || a->ops > best->ops)
                best = a;
        }
        if (best)
            out[n++] = best;
    }
    return n;
}

void gct_summary_label(const gct_config_summary *a, char *buf, size_t len)
{
    if (a->gen1 >= 0)
        snprintf(buf, len, "%s:%" PRId64 "/%" PRId64 "/%" PRId64, a->collector, a->gen0, a->gen1,
                 a->gen2);
    else if (a->gen0 >= 0)
        snprintf(buf, len, "%s:%" PRId64, a->collector, a->gen0);
    else
        snprintf(buf, len, "%s", a->collector);
}

void gct_fmt_us(double us, char *buf, size_t len)
{
    if (!isfinite(us))
        snprintf(buf, len, "-");
    else if (us >= 1e6)
        snprintf(buf, len, "%.3g s", us / 1e6);
    else if (us >= 1e3)
        snprintf(buf, len, "%.3g ms", us / 1e3);
    else
        snprintf(buf, len, "%.3g µs", us);
}

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
