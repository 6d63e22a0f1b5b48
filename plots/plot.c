/* plot.c — a result directory's figures: the model they show and drawing
 * every row of the figure table (see plot.h, figure.h). */
#define _GNU_SOURCE
#include "figure.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "format.h"

#ifndef GCT_PLOTS_DIR
#define GCT_PLOTS_DIR "plots"
#endif

void plot_note(plot_ctx *c, const char *fmt, ...)
{
    gct_plot_result *res = c->res;
    if (res->nnotes == sizeof res->notes / sizeof res->notes[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->notes[res->nnotes++], sizeof res->notes[0], fmt, ap);
    va_end(ap);
}

/* The figure of a row for a variant and workload, before its data step:
 * its stem, title and size. */
static void figure_init(figure *fig, const figure_desc *d, const figure_variant *v, const char *wl)
{
    fig->desc = d;
    fig->variant = v;
    fig->wl = wl;
    fig->vars[0] = fig->caption[0] = fig->stem[0] = fig->title[0] = 0;
    gct_appendf(fig->stem, sizeof fig->stem, "%s", d->name);
    if (v) {
        gct_appendf(fig->stem, sizeof fig->stem, "-%s", v->key);
        gct_appendf(fig->title, sizeof fig->title, "%s ", v->metric);
    }
    gct_appendf(fig->title, sizeof fig->title, "%s", d->title);
    if (wl) {
        gct_appendf(fig->stem, sizeof fig->stem, "-%s", wl);
        gct_appendf(fig->title, sizeof fig->title, ", %s", wl);
    }
    fig->width = d->width;
    fig->height = d->height;
}

void plot_draw(plot_ctx *c, const figure_desc *d, const char *wl)
{
    if (d->applies && !d->applies(c, wl))
        return;
    size_t n = d->variants ? d->nvariants : 1;
    for (size_t v = 0; v < n; v++) {
        figure fig;
        figure_init(&fig, d, d->variants ? &d->variants[v] : NULL, wl);
        if (d->prepare(c, &fig))
            plot_render(c, &fig);
    }
}

/* Where the scripts are, gnuplot is, and the directory's name can go into
 * the drivers' redraw line (a shell command, the name in single quotes).
 * 0; -1 (bad input) or -2 (cannot draw here) with a message. */
static int plot_setup(plot_ctx *c, const char *dir, const gct_plot_opts *o, char *err,
                      size_t errlen)
{
    c->dir = dir;
    c->o = o;
    c->scripts = o->scripts ? o->scripts : getenv("GCTUNE_PLOTS");
    if (!c->scripts || !*c->scripts)
        c->scripts = GCT_PLOTS_DIR;
    char probe[4400];
    snprintf(probe, sizeof probe, "%s/style.gp", c->scripts);
    if (access(probe, R_OK) != 0) {
        snprintf(err, errlen, "the gnuplot scripts are not in %s (set GCTUNE_PLOTS to the "
                              "plots/ folder of the gctune sources)",
                 c->scripts);
        return -2;
    }
    if (strchr(dir, '\'')) {
        snprintf(err, errlen, "%s: a directory name with a quote cannot go into the gnuplot drivers",
                 dir);
        return -1;
    }
    c->gnuplot = gct_gnuplot_path();
    if (!c->gnuplot) {
        snprintf(err, errlen, "gnuplot is not installed (Debian: apt-get install gnuplot-nox)");
        return -2;
    }
    return 0;
}

/* The configurations the figures show: those that ran, without the A/A
 * twins (a second point on top of the first); shallow copies (sum owns the
 * strings). */
static void plot_model(plot_ctx *c, const gct_summary *sum)
{
    c->aggs = gct_xcalloc(sum->n, sizeof *c->aggs);
    for (size_t i = 0; i < sum->n; i++)
        if (sum->configs[i].n && !sum->configs[i].aa_of[0])
            c->aggs[c->naggs++] = sum->configs[i];
    c->workloads = sum->workloads;
    c->nworkloads = sum->nworkloads;
    c->collectors = sum->collectors;
    c->sum = sum;
    /* Figures show at most MAX_COLLECTORS collectors (the registry has four). */
    c->ncollectors = sum->ncollectors < MAX_COLLECTORS ? sum->ncollectors : MAX_COLLECTORS;
}

/* What the recommendations the figures mark need besides the model: the
 * samples (results.csv) and the pause budget.  Without the samples nothing
 * is marked. */
static void plot_recommend_setup(plot_ctx *c, const char *dir)
{
    c->max_p99_us = c->o->max_p99_us > 0 ? c->o->max_p99_us : 10000;
    char path[4400], err[600];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    c->have_rows = gct_results_read_csv(path, &c->rows, err, sizeof err) == 0;
    if (!c->have_rows) {
        memset(&c->rows, 0, sizeof c->rows);
        plot_note(c, "no default or recommendation marked: %s", err);
    }
}

/* The rows o asks for: all, or the one named o->only. */
static bool wanted(const gct_plot_opts *o, const figure_desc *d)
{
    return !o->only || !strcmp(o->only, d->name);
}

int gct_plot_dir(const char *dir, const gct_plot_opts *o, gct_plot_result *res, char *err,
                 size_t errlen)
{
    memset(res, 0, sizeof *res);
    plot_ctx c;
    memset(&c, 0, sizeof c);
    c.res = res;
    int rc = plot_setup(&c, dir, o, err, errlen);
    if (rc != 0)
        return rc;
    gct_summary sum;
    if (gct_summary_load(dir, &sum, err, errlen) != 0)
        return -1;
    snprintf(c.plotdir, sizeof c.plotdir, "%s/plots", dir);
    snprintf(c.datadir, sizeof c.datadir, "%s/data", c.plotdir);
    if (gct_mkdirs(c.datadir, err, errlen) != 0) {
        gct_summary_free(&sum);
        return -1;
    }
    plot_model(&c, &sum);
    char verr[600];
    if (gct_versions_load(dir, &sum, o->version_lookup, &c.versions, verr, sizeof verr) != 0)
        plot_note(&c, "no CPython versions: %s", verr);
    plot_recommend_setup(&c, dir);
    if (!c.naggs) {
        snprintf(err, errlen, "%s holds no successful run to plot", dir);
        rc = -1;
    } else {
        for (size_t i = 0; i < figure_table_n; i++)
            if (!figure_table[i].per_workload && wanted(o, &figure_table[i]))
                plot_draw(&c, &figure_table[i], NULL);
        for (size_t w = 0; w < c.nworkloads; w++)
            for (size_t i = 0; i < figure_table_n; i++)
                if (figure_table[i].per_workload && wanted(o, &figure_table[i]))
                    plot_draw(&c, &figure_table[i], c.workloads[w]);
    }
    free(c.aggs);
    gct_versions_free(&c.versions);
    if (c.have_rows)
        gct_results_free(&c.rows);
    gct_summary_free(&sum);
    return rc;
}

void gct_plot_result_free(gct_plot_result *res)
{
    free(res->figs);
    memset(res, 0, sizeof *res);
}
