/* figures-model.c — the data steps of the figures drawn from the result
 * model (summary.csv): collectors, throughput-gen0, heatmap, tradeoff (see
 * figure.h). */
#include "figure.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "format.h"
#include "stats.h"

/* A mark's key entry: spaces as '_' (style.gp's untitle turns them back). */
static void mark_title(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void mark_title(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    for (char *q = buf; *q; q++)
        if (*q == ' ')
            *q = '_';
}

/* ---- throughput-gen0 ------------------------------------------------------ */

/* Panel number `panel` for wl: one line per gen1 of the workload's grid, if
 * it holds gen2 fixed at gen2_all and ran two gen0 values or more. */
static bool throughput_panel(plot_ctx *c, figure *fig, const char *wl, int64_t gen2_all,
                             size_t panel)
{
    gen_grid g;
    plot_gen_grid(c, wl, &g);
    if (g.gen2 < 0 || g.gen2 != gen2_all || g.n0 < 2)
        return false;
    fig_curves cv = {0};
    for (size_t j = 0; j < g.n1; j++) {
        char path[4400];
        gct_afile af;
        FILE *f = plot_data_open(c, &af, path, sizeof path, "%s-%s-gen1-%" PRId64 ".csv",
                                 fig->stem, wl, g.gen1[j]);
        if (!f)
            continue;
        fprintf(f, "gen0,ops_per_s,lo,hi\n");
        size_t pts = 0;
        for (size_t i = 0; i < g.n0; i++) {
            const agg *a = plot_find_gen(c, wl, g.gen0[i], g.gen1[j], g.gen2);
            if (!a || g.gen0[i] <= 0)
                continue; /* gen0 = 0 (no automatic collection) has no place on a log axis */
            fprintf(f, "%" PRId64 ",%.6g,%.6g,%.6g\n", g.gen0[i], a->ops_s, a->ops_lo, a->ops_hi);
            pts++;
        }
        if (!plot_data_close(c, &af) || pts == 0)
            continue;
        char title[32];
        snprintf(title, sizeof title, "gen1=%" PRId64, g.gen1[j]);
        fig_curve_add(&cv, path, title, 0); /* the script colours lines by position */
    }
    if (!cv.n)
        return false;
    fig_varf(fig, "wl_%zu = '%s'\nfiles_%zu = '%s'\ntitles_%zu = '%s'\n", panel, wl, panel,
             cv.files, panel, cv.titles);
    return true;
}

bool fig_prepare_throughput(plot_ctx *c, figure *fig)
{
    size_t panels = 0;
    int64_t gen2_all = plot_fixed_gen2(c, NULL);
    for (size_t w = 0; w < c->nworkloads; w++)
        if (throughput_panel(c, fig, c->workloads[w], gen2_all, panels + 1))
            panels++;
    if (!panels)
        return FIG_SKIP(c, "throughput-gen0: skipped, no workload ran gencycle at two or more gen0 "
                       "values");
    fig_varf(fig, "panels = %zu\ngen2 = '%" PRId64 "'\n", panels, gen2_all);
    fig->width = panels > 1 ? 1500 : 1100;
    fig->height = panels > 2 ? 450 * (int)((panels + 1) / 2) : 650;
    snprintf(fig->caption, sizeof fig->caption, "%s",
             "Median operations per second of gencycle as gen0 grows, one line per gen1, with "
             "95% intervals; where a line flattens, a larger gen0 buys nothing more.");
    return true;
}

/* ---- heatmap -------------------------------------------------------------- */

/* gencycle ran a grid of at least 2 x 2 on wl. */
bool fig_heatmap_applies(plot_ctx *c, const char *wl)
{
    gen_grid g;
    plot_gen_grid(c, wl, &g);
    if (g.gen2 < 0)
        return false; /* no gencycle here: nothing to say */
    if (g.n0 < 2 || g.n1 < 2)
        return FIG_SKIP(c, "heatmaps of %s: skipped, gencycle ran %zu gen0 x %zu gen1 values (needs "
                       "2 x 2)",
                    wl, g.n0, g.n1);
    return true;
}

/* A heatmap cell's number: no exponents. */
static void cell_text(double v, char *buf, size_t len)
{
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (fabs(v) >= 100)
        snprintf(buf, len, "%.0f", v);
    else if (fabs(v) >= 10)
        snprintf(buf, len, "%.1f", v);
    else
        snprintf(buf, len, "%.2f", v);
}

/* The cells of the grid, labelled, with white text on the dark half of the
 * palette. */
static void heatmap_cells(const plot_ctx *c, const figure *fig, const gen_grid *g, FILE *f)
{
    const figure_variant *v = fig->variant;
    fprintf(f, "xi,yi,gen0,gen1,value,label,dark\n");
    double vmin = INFINITY, vmax = -INFINITY;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < g->n0; i++)
            for (size_t j = 0; j < g->n1; j++) {
                const agg *a = plot_find_gen(c, fig->wl, g->gen0[i], g->gen1[j], g->gen2);
                if (!a)
                    continue;
                double x = v->value(a);
                if (pass == 0) {
                    vmin = x < vmin ? x : vmin;
                    vmax = x > vmax ? x : vmax;
                    continue;
                }
                double t = vmax > vmin ? (x - vmin) / (vmax - vmin) : 0.5;
                bool dark = !strcmp(v->better, "high") ? t > 0.55 : t < 0.45;
                char txt[32];
                cell_text(x, txt, sizeof txt);
                fprintf(f, "%zu,%zu,%" PRId64 ",%" PRId64 ",%.6g,%s,%d\n", i, j, g->gen0[i],
                        g->gen1[j], x, txt, dark);
            }
}

static size_t grid_index(const int64_t *v, size_t n, int64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return i;
    return (size_t)-1;
}

/* Commit a marks file and hand the figure its variables: marks (the file),
 * nmarks (its rows, 0 if it could not be written), mark_kinds and
 * mark_titles.  Returns nmarks. */
static size_t marks_publish(plot_ctx *c, figure *fig, gct_afile *af, const char *path,
                            size_t rows, const char *kinds, const char *titles)
{
    if (!af || !plot_data_close(c, af)) /* af NULL: it could not be opened */
        rows = 0;
    fig_var(fig, "marks", path);
    fig_varf(fig, "nmarks = %zu\n", rows);
    fig_var(fig, "mark_kinds", kinds);
    fig_var(fig, "mark_titles", titles);
    return rows;
}

/* <stem>-marks.csv: the first CPython model's default and recommendation
 * (the grid is one model's), framed in their cells; one not in this gen2
 * slice is named in the key, "not in this grid". */
static void heatmap_marks(plot_ctx *c, figure *fig, const gen_grid *g, char *said, size_t saidlen)
{
    plot_mark m[MAX_MARKS];
    size_t nm = plot_marks(c, fig->wl, m, MAX_MARKS);
    char path[4400], titles[2048] = "", kinds[512] = "", budget[48];
    plot_budget_text(c, budget, sizeof budget);
    size_t rows = 0;
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, sizeof path, "%s-marks.csv", fig->stem);
    if (f) {
        fprintf(f, "i,kind,config_id,collector,thresholds,xi,yi\n");
        for (int r = 0; nm && r < 2; r++) {
            const agg *a = r == 0 ? m[0].deflt : m[0].rec;
            if (!a || (r == 1 && m[0].same))
                continue;
            const char *kind = r == 0 ? (m[0].same ? "default=recommended" : "default")
                                      : "recommended";
            const char *thr = r == 0 ? m[0].deflt_thr : m[0].rec_thr;
            size_t xi = grid_index(g->gen0, g->n0, a->gen0), yi = grid_index(g->gen1, g->n1, a->gen1);
            bool in = a->gen2 == g->gen2 && xi != (size_t)-1 && yi != (size_t)-1;
            fprintf(f, "%zu,%s,%s,%s,%s,", ++rows, kind, a->id, a->collector, thr);
            if (in)
                fprintf(f, "%zu,%zu\n", xi, yi);
            else
                fprintf(f, ",\n");
            char t[200];
            mark_title(t, sizeof t, "%s %s%s%s",
                       r == 0 ? (m[0].same ? "default = recommended" : "default") : "recommended",
                       thr, !r && !m[0].rec ? " (nothing meets the budget)" : "",
                       in ? "" : " (not in this grid)");
            gct_appendf(titles, sizeof titles, "%s%s", titles[0] ? " " : "", t);
            gct_appendf(kinds, sizeof kinds, "%s%s", kinds[0] ? " " : "", kind);
        }
    }
    rows = marks_publish(c, fig, f ? &af : NULL, path, rows, kinds, titles);
    said[0] = 0;
    if (!nm)
        return;
    gct_appendf(said, saidlen, " Framed: the default of %s (%s) and the recommendation for the "
                               "highest throughput with %s%s.",
                m[0].collector, m[0].version, budget,
                m[0].same ? " (the default itself: nothing beats it beyond the noise)" : "");
    if (nm > 1)
        gct_appendf(said, saidlen, " The other CPython models' marks are in the trade-off "
                                   "figures.");
}

bool fig_prepare_heatmap(plot_ctx *c, figure *fig)
{
    gen_grid g;
    plot_gen_grid(c, fig->wl, &g);
    char path[4400];
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, sizeof path, "%s.csv", fig->stem);
    if (!f)
        return false;
    heatmap_cells(c, fig, &g, f);
    if (!plot_data_close(c, &af))
        return false;
    const figure_variant *v = fig->variant;
    char g2s[32];
    snprintf(g2s, sizeof g2s, "%" PRId64, g.gen2);
    fig_var(fig, "file", path);
    fig_var(fig, "wl", fig->wl);
    fig_var(fig, "metric", v->metric);
    fig_var(fig, "unit", v->axis);
    fig_var(fig, "gen2", g2s);
    fig_var(fig, "better", v->better);
    char said[600];
    heatmap_marks(c, fig, &g, said, sizeof said);
    snprintf(fig->caption, sizeof fig->caption,
             "%s (median) of gencycle on %s for every gen0 x gen1 pair at gen2 = %s; the "
             "darker the cell, the better. Look for the region where it stops changing.",
             v->metric, fig->wl, g2s);
    gct_appendf(fig->caption, sizeof fig->caption, "%s", said);
    return true;
}

/* ---- tradeoff ------------------------------------------------------------- */

/* The configurations of a workload with the variant's value, against
 * throughput. */
typedef struct points {
    double *x, *y;
    const agg **who;
    size_t n, skipped;
} points;

static void points_of(const plot_ctx *c, const figure *fig, points *p)
{
    p->x = gct_xcalloc(c->naggs + 1, sizeof *p->x);
    p->y = gct_xcalloc(c->naggs + 1, sizeof *p->y);
    p->who = gct_xcalloc(c->naggs + 1, sizeof *p->who);
    p->n = p->skipped = 0;
    for (size_t i = 0; i < c->naggs; i++) {
        const agg *a = &c->aggs[i];
        if (strcmp(a->workload, fig->wl))
            continue;
        double v = fig->variant->value(a);
        if (!(v > 0) || !isfinite(a->ops_s)) {
            p->skipped++;
            continue;
        }
        p->x[p->n] = a->ops_s;
        p->y[p->n] = v;
        p->who[p->n++] = a;
    }
}

static void points_free(points *p)
{
    free(p->x);
    free(p->y);
    free(p->who);
}

/* The frontier among configurations that do not leak (a leak is not a
 * choice, however fast): indexes into p, into front (p->n of them). */
static size_t points_front(const points *p, size_t *front)
{
    double *fx = gct_xcalloc(p->n, sizeof *fx), *fy = gct_xcalloc(p->n, sizeof *fy);
    size_t *map = gct_xcalloc(p->n, sizeof *map), m = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!(p->who[i]->leaked > 0)) {
            fx[m] = p->x[i];
            fy[m] = p->y[i];
            map[m++] = i;
        }
    size_t k = gct_pareto_front(fx, fy, m, front);
    for (size_t i = 0; i < k; i++)
        front[i] = map[front[i]];
    free(fx);
    free(fy);
    free(map);
    return k;
}

/* The axes of a trade-off figure: throughput (x) from a little left of the
 * slowest to well right of the fastest (room for the frontier's labels),
 * clamped at 0, so the driver can say when it does not start there; the
 * cost (y) over its values, on a log scale where they span decades. */
typedef struct tradeoff_axes {
    double xlo, xhi, ylo, yhi;
    bool logy;
} tradeoff_axes;

static void tradeoff_axes_of(const points *p, tradeoff_axes *ax)
{
    double lo = INFINITY, hi = -INFINITY;
    ax->ylo = INFINITY;
    ax->yhi = 0;
    for (size_t i = 0; i < p->n; i++) {
        lo = p->x[i] < lo ? p->x[i] : lo;
        hi = p->x[i] > hi ? p->x[i] : hi;
        ax->ylo = p->y[i] < ax->ylo ? p->y[i] : ax->ylo;
        ax->yhi = p->y[i] > ax->yhi ? p->y[i] : ax->yhi;
    }
    double r = hi > lo ? hi - lo : (hi > 0 ? hi * 0.1 : 1);
    ax->xlo = lo - 0.06 * r;
    ax->xhi = hi + 0.3 * r;
    if (ax->xlo < 0)
        ax->xlo = 0;
    ax->logy = ax->yhi > 10 * ax->ylo;
}

/* Where a point lands in the plot, as fractions of its width and height
 * (the y range padded by 10% each side, as tradeoff.gp's offsets). */
static void tradeoff_place(const tradeoff_axes *ax, double x, double y, double *fx, double *fy)
{
    *fx = (x - ax->xlo) / (ax->xhi - ax->xlo);
    double a = ax->logy ? log10(ax->ylo) : ax->ylo, b = ax->logy ? log10(ax->yhi) : ax->yhi;
    double v = ax->logy ? log10(y) : y;
    *fy = b > a ? (0.1 + 0.8 * (v - a) / (b - a)) : 0.5;
}

/* <stem><suffix>.csv: the points `which` names (NULL: all of them); path
 * receives its name even if it could not be written.  With ax, the frontier:
 * a point keeps its label only where the label (drawn right of and above it,
 * font 8) would not overprint one kept before; the others go empty. */
static void points_write(plot_ctx *c, const figure *fig, const char *suffix, const points *p,
                         const size_t *which, size_t n, const tradeoff_axes *ax, char *path,
                         size_t len)
{
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, len, "%s%s.csv", fig->stem, suffix);
    if (!f)
        return;
    fprintf(f, "collector,ops_per_s,y,label,config_id\n");
    double *bx0 = gct_xcalloc(n + 1, sizeof *bx0), *bx1 = gct_xcalloc(n + 1, sizeof *bx1),
           *by = gct_xcalloc(n + 1, sizeof *by);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = which ? which[i] : i;
        char lbl[64];
        gct_summary_label(p->who[j], lbl, sizeof lbl);
        if (ax) {
            /* About 7 px a character and 14 px a line in a plot some
             * 950 x 560 px (fig width 1200, height 750, margins and key). */
            double fx, fy;
            tradeoff_place(ax, p->x[j], p->y[j], &fx, &fy);
            double x0 = fx + 0.006, x1 = x0 + 0.0075 * (double)strlen(lbl), y0 = fy + 0.02;
            bool clash = x1 > 1.0;
            for (size_t k = 0; k < kept && !clash; k++)
                clash = x0 < bx1[k] && bx0[k] < x1 && fabs(y0 - by[k]) < 0.03;
            if (clash)
                lbl[0] = 0;
            else {
                bx0[kept] = x0;
                bx1[kept] = x1;
                by[kept++] = y0;
            }
        }
        fprintf(f, "%s,%.6g,%.6g,%s,%s\n", p->who[j]->collector, p->x[j], p->y[j], lbl,
                p->who[j]->id);
    }
    free(bx0);
    free(bx1);
    free(by);
    plot_data_close(c, &af);
}

/* The marks of a figure: each CPython model's default and recommendation
 * on the figure's workload, one row each (kind: default, recommended, or
 * default=recommended), with the key entry that names it.  The colours and
 * symbols are style.gp's mark_color and mark_pt.  When the sweep holds
 * several models the key says whose mark is whose.  value(a) gives the
 * row's y (NULL: none).  Returns how many rows were written. */
static size_t marks_write(plot_ctx *c, figure *fig, FILE *f, const plot_mark *m, size_t nm,
                          double (*value)(const agg *), char *kinds, char *titles, size_t tlen)
{
    fprintf(f, "i,kind,config_id,collector,thresholds,ops_per_s,y\n");
    size_t rows = 0;
    char budget[48];
    plot_budget_text(c, budget, sizeof budget);
    for (size_t k = 0; k < nm; k++) {
        char who[96] = "";
        if (nm > 1)
            snprintf(who, sizeof who, " (%s, %s)", m[k].collector, m[k].version);
        for (int r = 0; r < 2; r++) {
            const agg *a = r == 0 ? m[k].deflt : m[k].rec;
            if (!a || (r == 1 && m[k].same))
                continue;
            const char *kind = r == 0 ? (m[k].same ? "default=recommended" : "default")
                                      : "recommended";
            const char *thr = r == 0 ? m[k].deflt_thr : m[k].rec_thr;
            double y = value ? value(a) : NAN;
            gct_appendf(kinds, 512, "%s%s", kinds[0] ? " " : "", kind);
            fprintf(f, "%zu,%s,%s,%s,%s,%.6g,%.6g\n", ++rows, kind, a->id, a->collector, thr,
                    a->ops_s, y);
            char t[200];
            if (value && !(y > 0))
                snprintf(who + strlen(who), sizeof who - strlen(who), " (not drawn: no %s)",
                         fig->variant && fig->variant->lacking ? fig->variant->lacking : "value");
            if (r == 0 && m[k].same)
                mark_title(t, sizeof t, "default = recommended %s%s", thr, who);
            else if (r == 0 && !m[k].rec)
                mark_title(t, sizeof t, "default %s%s (nothing meets %s)", thr, who, budget);
            else
                mark_title(t, sizeof t, "%s %s%s", r ? "recommended" : "default", thr, who);
            gct_appendf(titles, tlen, "%s%s", titles[0] ? " " : "", t);
        }
    }
    return rows;
}

/* <stem>-marks.csv and the variables marks, nmarks, mark_titles; the
 * caption's sentence on them. */
static void marks_vars(plot_ctx *c, figure *fig, double (*value)(const agg *), char *said,
                       size_t saidlen)
{
    plot_mark m[MAX_MARKS];
    size_t nm = plot_marks(c, fig->wl, m, MAX_MARKS);
    char path[4400], titles[2048] = "", kinds[512] = "";
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, sizeof path, "%s-marks.csv", fig->stem);
    size_t rows = f ? marks_write(c, fig, f, m, nm, value, kinds, titles, sizeof titles) : 0;
    rows = marks_publish(c, fig, f ? &af : NULL, path, rows, kinds, titles);
    char budget[48];
    plot_budget_text(c, budget, sizeof budget);
    said[0] = 0;
    if (!nm)
        return;
    gct_appendf(said, saidlen, " Marked: the default of %s", nm > 1 ? "each CPython model" :
                                                                       m[0].collector);
    gct_appendf(said, saidlen, " and its recommendation for the highest throughput with %s "
                               "(better than the default beyond the noise, else the default "
                               "itself)",
                budget);
    for (size_t k = 0; k < nm; k++)
        if (m[k].same)
            gct_appendf(said, saidlen, "; %s: the default is the recommendation", m[k].collector);
        else if (!m[k].rec)
            gct_appendf(said, saidlen, "; %s: nothing meets the budget", m[k].collector);
    gct_appendf(said, saidlen, ".");
}

/* The variables: the files, the collectors present (in the model's order)
 * and the axes. */
static void tradeoff_vars(const plot_ctx *c, figure *fig, const points *p, const char *path,
                          const char *fpath, const tradeoff_axes *ax)
{
    char cols[256] = "";
    for (size_t i = 0; i < c->ncollectors; i++) {
        bool has = false;
        for (size_t j = 0; j < p->n && !has; j++)
            has = !strcmp(p->who[j]->collector, c->collectors[i]);
        if (has)
            gct_appendf(cols, sizeof cols, "%s%s", cols[0] ? " " : "", c->collectors[i]);
    }
    fig_var(fig, "file", path);
    fig_var(fig, "front", fpath);
    fig_var(fig, "wl", fig->wl);
    fig_var(fig, "ylabel_text", fig->variant->axis);
    fig_var(fig, "what", fig->variant->metric);
    fig_var(fig, "collectors", cols);
    fig_var(fig, "xlabel_text", ax->xlo > 0 ? "operations per second (median; axis does not "
                                              "start at 0)"
                                            : "operations per second (median)");
    fig_varf(fig, "xlo = %.6g\nxhi = %.6g\nlogy = %d\n", ax->xlo, ax->xhi, ax->logy);
}

bool fig_prepare_tradeoff(plot_ctx *c, figure *fig)
{
    const figure_variant *v = fig->variant;
    points p;
    points_of(c, fig, &p);
    if (p.n < 2) {
        points_free(&p);
        return FIG_SKIP(c, "%s: skipped, fewer than two configurations with %s", fig->stem,
                    v->lacking);
    }
    tradeoff_axes ax;
    tradeoff_axes_of(&p, &ax);
    char path[4400], fpath[4400];
    points_write(c, fig, "", &p, NULL, p.n, NULL, path, sizeof path);
    size_t *front = gct_xcalloc(p.n, sizeof *front);
    size_t k = points_front(&p, front);
    points_write(c, fig, "-front", &p, front, k, &ax, fpath, sizeof fpath);
    free(front);
    tradeoff_vars(c, fig, &p, path, fpath, &ax);
    char said[600];
    marks_vars(c, fig, v->value, said, sizeof said);
    snprintf(fig->caption, sizeof fig->caption,
             "Every configuration of %s as a point (median); the dashed line joins the "
             "configurations no other beats on both throughput and %s (leaking ones "
             "excluded)%s.",
             fig->wl, v->noun, p.skipped ? v->left_out : "");
    gct_appendf(fig->caption, sizeof fig->caption, "%s", said);
    points_free(&p);
    return true;
}

/* ---- collectors ----------------------------------------------------------- */

/* The four panels: throughput relative to the fastest, p99, peak, leaked. */
enum { PANELS = 4 };

/* Each collector's configuration on wl (best[k] for c->collectors[k],
 * NULL where it did not run): its best, or else its fastest, leaking or not
 * (leaking ones are shown but never the yardstick: a collector that never
 * reclaims cycles is not fast, only unfinished).  Returns the yardstick: the
 * highest throughput among those that do not leak. */
static double collectors_best(const plot_ctx *c, const char *wl, const agg **best)
{
    const agg *found[MAX_COLLECTORS];
    size_t nf = plot_best_per_collector(c, wl, found);
    for (size_t k = 0; k < c->ncollectors; k++) {
        best[k] = NULL;
        for (size_t i = 0; i < nf; i++)
            if (!strcmp(found[i]->collector, c->collectors[k]))
                best[k] = found[i];
    }
    for (size_t k = 0; k < c->ncollectors; k++)
        if (!best[k])
            best[k] = plot_fastest_of(c, wl, c->collectors[k]);
    double top = 0;
    for (size_t k = 0; k < c->ncollectors; k++)
        if (best[k] && !best[k]->leaks && best[k]->ops_s > top)
            top = best[k]->ops_s;
    return top;
}

/* collectors.csv: a row per workload, the panels' columns per collector.
 * Workloads differ in throughput by orders of magnitude, so throughput is
 * relative to the fastest collector of each workload (whose ops/s goes in
 * the workload's label). */
static void collectors_csv(const plot_ctx *c, FILE *f)
{
    fprintf(f, "workload,label");
    static const char *const cols[PANELS] = {"rel_ops", "p99_us", "peak_mib", "leaked_mib"};
    for (size_t k = 0; k < c->ncollectors; k++)
        for (size_t m = 0; m < PANELS; m++)
            fprintf(f, ",%s_%s", cols[m], c->collectors[k]);
    fprintf(f, "\n");
    for (size_t w = 0; w < c->nworkloads; w++) {
        const agg *best[MAX_COLLECTORS];
        double top = collectors_best(c, c->workloads[w], best);
        char tops[32];
        gct_fmt_count(top, tops, sizeof tops);
        fprintf(f, "%s,%s %s/s", c->workloads[w], c->workloads[w], tops);
        for (size_t k = 0; k < c->ncollectors; k++) {
            if (!best[k]) {
                fprintf(f, ",,,,");
                continue;
            }
            fprintf(f, ",%.6g,", top > 0 ? best[k]->ops_s / top : 0);
            if (best[k]->p99 > 0) /* empty: no pauses, nothing on a log axis */
                fprintf(f, "%.6g", best[k]->p99);
            fprintf(f, ",%.6g,%.6g", best[k]->peak / (1 << 20), best[k]->leaked / (1 << 20));
        }
        fprintf(f, "\n");
    }
}

/* collectors_<m+1>: the collectors with at least one value in panel m (no
 * pauses at all, refcount without cascades, leaves the p99 panel nothing to
 * draw). */
static void collectors_panel_var(const plot_ctx *c, figure *fig, int m)
{
    char list[256] = "", var[32];
    for (size_t k = 0; k < c->ncollectors; k++) {
        bool any = false;
        for (size_t i = 0; i < c->naggs && !any; i++) {
            const agg *a = &c->aggs[i];
            if (strcmp(a->collector, c->collectors[k]))
                continue;
            double v = m == 0 ? a->ops_s : m == 1 ? a->p99 : m == 2 ? a->peak : a->leaked;
            any = m == 1 ? v > 0 : isfinite(v);
        }
        if (any)
            gct_appendf(list, sizeof list, "%s%s", list[0] ? " " : "", c->collectors[k]);
    }
    snprintf(var, sizeof var, "collectors_%d", m + 1);
    fig_var(fig, var, list);
}

bool fig_prepare_collectors(plot_ctx *c, figure *fig)
{
    if (c->ncollectors < 2)
        return FIG_SKIP(c, "collectors: skipped, only one collector ran");
    char path[4400];
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, sizeof path, "%s.csv", fig->stem);
    if (!f)
        return false;
    collectors_csv(c, f);
    if (!plot_data_close(c, &af))
        return false;
    char names[256] = "";
    for (size_t k = 0; k < c->ncollectors; k++)
        gct_appendf(names, sizeof names, "%s%s", k ? " " : "", c->collectors[k]);
    fig_var(fig, "file", path);
    fig_var(fig, "collectors", names);
    for (int m = 0; m < PANELS; m++)
        collectors_panel_var(c, fig, m);
    snprintf(fig->caption, sizeof fig->caption, "%s",
             "For each workload, the fastest configuration of each collector: throughput relative "
             "to the fastest that does not leak (its ops/s under the workload's name), p99 pause "
             "(log scale; no bar: no pauses), peak live memory, and memory leaked (reference "
             "counting cannot reclaim cycles, so its speed is not a choice).");
    return true;
}
