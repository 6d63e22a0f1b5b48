/*
 * report.h — OUT/report.md and a self-contained OUT/report.html (figures
 * embedded, no network): the machine and build, what was swept, the best
 * configuration per objective, the Pareto frontier, the figures with a line
 * saying what to look at, and the failed configurations.
 */
#ifndef GCT_REPORT_H
#define GCT_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "plot.h"

typedef struct gct_report_opts {
    double max_p99_us;  /* the pause budget of "highest throughput under a p99 limit" */
    double max_peak_bytes; /* a peak-memory limit on the recommendations (0: none) */
    bool draw;          /* (re)draw the figures first */
    gct_plot_opts plot; /* how to draw them */
    /* Figures already drawn (a sweep draws them just before): used instead
     * of drawing when set.  figures_note says why there are none. */
    const gct_plot_result *figures;
    const char *figures_note;
} gct_report_opts;

/* Write OUT/report.md and OUT/report.html.  Returns 0; -1 with a message if
 * OUT's results or meta.json cannot be read.  Figures that cannot be drawn
 * (no gnuplot) are named in the report, not fatal; *notes receives how
 * many such notes there were. */
int gct_report_write(const char *dir, const gct_report_opts *o, size_t *notes, char *err,
                     size_t errlen);

#endif
