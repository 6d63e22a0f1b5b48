/*
 * plot.h — drawing a result directory's figures with gnuplot.
 *
 * The figures are the gnuplot scripts plots/<figure>.gp (one per figure, sharing
 * plots/style.gp, selecting columns by header name).  This code prepares the
 * data each one needs under OUT/plots/data/ (kept, with the gnuplot driver of
 * every figure and copies of the scripts it loads, every path relative to
 * that folder, so anyone can redraw or restyle a figure by hand, from a
 * moved result directory too: cd OUT/plots/data && gnuplot <stem>.svg.gp)
 * and runs gnuplot there for SVG and PNG, and PDF on request.  A figure the
 * results hold nothing for is skipped with a note, never drawn empty.
 */
#ifndef GCT_PLOT_H
#define GCT_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "versions.h"

typedef struct gct_figure {
    char stem[160];    /* OUT/plots/<stem>.svg, .png (.pdf) */
    char title[200];
    char caption[600]; /* one line: what to look at */
    char workload[32]; /* "" for figures over every workload */
} gct_figure;

typedef struct gct_plot_opts {
    bool pdf;
    const char *scripts; /* the folder of the .gp scripts; NULL: the built-in path */
    /* The CPython version of a collector a directory's meta.json does not
     * name (one written before it did; NULL: none): versions.h. */
    gct_version_lookup version_lookup;
    /* The CPython version a collector is when it is a real interpreter
     * (python311: "3.11"; NULL for models): what pairs a model with the real
     * interpreter of its version for the transfer figures
     * (results/transfer.h).  NULL: no transfer figures. */
    gct_version_lookup interpreter_lookup;
    /* Draw only the figure table's row of this name ("transfer"); NULL: all. */
    const char *only;
    /* The pause budget of the recommendation the figures mark ("highest
     * throughput with p99 <= max_p99_us", results/tune.h); 0: 10000 µs
     * (10 ms), the report's default. */
    double max_p99_us;
} gct_plot_opts;

typedef struct gct_plot_result {
    gct_figure *figs;
    size_t n, cap;
    char notes[64][300]; /* figures skipped or failed, and why */
    size_t nnotes;
    size_t failed;       /* figures gnuplot could not draw */
} gct_plot_result;

/* Path of the gnuplot program, or NULL if it is not installed. */
const char *gct_gnuplot_path(void);

/* Draw every figure OUT has data for into OUT/plots/.  Returns 0; -1 with a
 * message when OUT's results cannot be read (bad input); -2 when this machine
 * cannot draw (no gnuplot, no scripts). */
int gct_plot_dir(const char *dir, const gct_plot_opts *o, gct_plot_result *res, char *err,
                 size_t errlen);
void gct_plot_result_free(gct_plot_result *res);

#endif
