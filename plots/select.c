/* select.c — the configurations and pauses a figure shows (see figure.h). */
#include "figure.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "stats.h"
#include "tune.h"
#include "versions.h"

size_t plot_best_per_collector(const plot_ctx *c, const char *wl, const agg **out)
{
    gct_summary sum = {.configs = c->aggs, .n = c->naggs, .collectors = c->collectors,
                       .ncollectors = c->ncollectors};
    return gct_summary_best_per_collector(&sum, wl, out, MAX_COLLECTORS);
}

const agg *plot_fastest_of(const plot_ctx *c, const char *wl, const char *collector)
{
    const agg *best = NULL;
    for (size_t i = 0; i < c->naggs; i++) {
        const agg *a = &c->aggs[i];
        if (!strcmp(a->workload, wl) && !strcmp(a->collector, collector) &&
            (!best || a->ops_s > best->ops_s))
            best = a;
    }
    return best;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Distinct values of gen0, gen1 or gen2 (which = 0, 1, 2) among gencycle
 * configurations of wl (NULL: every workload) at gen2 (-1: any), sorted;
 * out holds 256. */
static size_t distinct(const plot_ctx *c, const char *wl, int which, int64_t gen2, int64_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < c->naggs; i++) {
        const agg *a = &c->aggs[i];
        if (!gct_summary_is_generational(a) || (wl && strcmp(a->workload, wl)) || (gen2 >= 0 && a->gen2 != gen2))
            continue;
        int64_t v = which == 0 ? a->gen0 : which == 1 ? a->gen1 : a->gen2;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = out[k] == v;
        if (!seen && n < 256)
            out[n++] = v;
    }
    qsort(out, n, sizeof *out, cmp_i64);
    return n;
}

int64_t plot_fixed_gen2(const plot_ctx *c, const char *wl)
{
    int64_t v[256];
    size_t n = distinct(c, wl, 2, -1, v);
    for (size_t i = 0; i < n; i++)
        if (v[i] == 10)
            return 10;
    return n ? v[0] : -1;
}

void plot_gen_grid(const plot_ctx *c, const char *wl, gen_grid *g)
{
    g->gen2 = plot_fixed_gen2(c, wl);
    g->n0 = distinct(c, wl, 0, g->gen2, g->gen0);
    g->n1 = distinct(c, wl, 1, g->gen2, g->gen1);
}

const agg *plot_find_gen(const plot_ctx *c, const char *wl, int64_t g0, int64_t g1, int64_t g2)
{
    for (size_t i = 0; i < c->naggs; i++) {
        const agg *a = &c->aggs[i];
        if (gct_summary_is_generational(a) && !strcmp(a->workload, wl) && a->gen0 == g0 && a->gen1 == g1 &&
            a->gen2 == g2)
            return a;
    }
    return NULL;
}

void plot_budget_text(const plot_ctx *c, char *buf, size_t len)
{
    char us[32];
    gct_fmt_us(c->max_p99_us, us, sizeof us);
    snprintf(buf, len, "p99 <= %s", us);
}

size_t plot_marks(const plot_ctx *c, const char *wl, plot_mark *out, size_t max)
{
    if (!c->have_rows)
        return 0;
    gct_tune_goal goal = {.objective = GCT_TUNE_THROUGHPUT, .nlimits = 1};
    goal.limits[0] = (gct_tune_limit){.metric = GCT_TUNE_P99, .value = c->max_p99_us};
    gct_fmt_us(c->max_p99_us, goal.limits[0].text, sizeof goal.limits[0].text);
    size_t n = 0;
    for (size_t k = 0; k < c->sum->ncollectors && n < max; k++) {
        const char *col = c->sum->collectors[k];
        const char *ver = gct_versions_of(&c->versions, col);
        if (!ver)
            continue; /* a reference (marksweep, refcount): never a recommendation */
        gct_recommendation r;
        if (gct_tune_recommend(&c->rows, c->sum, wl, col, &goal, GCT_VERDICT_SEED, &r) != 0 ||
            !gct_summary_is_generational(r.reference))
            continue; /* no default of this model on wl */
        plot_mark *m = &out[n++];
        memset(m, 0, sizeof *m);
        m->collector = col;
        m->version = ver;
        m->deflt = r.reference;
        m->rec = r.choice;
        m->same = r.choice == r.reference;
        gct_summary_thresholds(r.reference, m->deflt_thr, sizeof m->deflt_thr);
        if (r.choice)
            gct_summary_thresholds(r.choice, m->rec_thr, sizeof m->rec_thr);
        snprintf(m->text, sizeof m->text, "%s", r.text);
    }
    return n;
}

void plot_pauses_path(const plot_ctx *c, const char *id, char *path, size_t len)
{
    snprintf(path, len, "%s/pauses/%s.csv", c->dir, id);
}

void plot_pauses_name(const char *id, char *name, size_t len)
{
    snprintf(name, len, "../../pauses/%s.csv", id);
}

int plot_read_pauses(const plot_ctx *c, const char *id, gct_pause_rows *out)
{
    char path[4400], err[600];
    plot_pauses_path(c, id, path, sizeof path);
    if (access(path, R_OK) != 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return gct_pauses_read(path, out, err, sizeof err);
}

/* The configurations the pause and memory figures compare on wl: the first CPython
 * model's default and recommendation (one when they are the same; names
 * "default 700/10/10", "recommended 10000/10/10", "default = recommended
 * 700/10/10"), or, without a CPython model, each collector's fastest (names
 * NULL).  Returns how many; *m gets the mark (false: none). */
size_t plot_picks(const plot_ctx *c, const char *wl, const agg **pick,
                          char names[][96], unsigned *rgb, plot_mark *m, bool *marked)
{
    plot_mark all[MAX_MARKS];
    *marked = plot_marks(c, wl, all, MAX_MARKS) > 0;
    if (!*marked) {
        size_t n = plot_best_per_collector(c, wl, pick);
        for (size_t i = 0; i < n; i++) {
            names[i][0] = 0;
            rgb[i] = plot_collector_rgb(pick[i]->collector);
        }
        return n;
    }
    *m = all[0];
    pick[0] = m->deflt;
    rgb[0] = m->same ? 0xe7298a : 0xff7f0e; /* style.gp's mark_color */
    snprintf(names[0], 96, "%s %s", m->same ? "default = recommended" : "default", m->deflt_thr);
    if (m->same || !m->rec)
        return 1;
    pick[1] = m->rec;
    rgb[1] = 0xe7298a;
    snprintf(names[1], 96, "recommended %s", m->rec_thr);
    return 2;
}

/* The caption's sentence on what plot_picks chose; the configuration ids
 * in the variable configs (space-separated). */
void plot_picks_said(const plot_ctx *c, figure *fig, const agg *const *pick, size_t n,
                             const plot_mark *m, bool marked, char *said, size_t len)
{
    char ids[1024] = "", budget[48];
    for (size_t i = 0; i < n; i++)
        gct_appendf(ids, sizeof ids, "%s%s", i ? " " : "", pick[i]->id);
    fig_var(fig, "configs", ids);
    plot_budget_text(c, budget, sizeof budget);
    if (!marked)
        snprintf(said, len, "the fastest configuration of each collector (no CPython model "
                            "ran at its defaults)");
    else if (m->same)
        snprintf(said, len, "%s (CPython %s) at its default %s, which is also the "
                            "recommendation for the highest throughput with %s",
                 m->collector, m->version, m->deflt_thr, budget);
    else if (!m->rec)
        snprintf(said, len, "%s (CPython %s) at its default %s (no configuration meets %s)",
                 m->collector, m->version, m->deflt_thr, budget);
    else
        snprintf(said, len, "%s (CPython %s) at its default %s against the recommendation %s "
                            "(highest throughput with %s)",
                 m->collector, m->version, m->deflt_thr, m->rec_thr, budget);
}
