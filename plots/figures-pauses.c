/* figures-pauses.c — the data steps of the figures drawn from the pauses
 * files (pauses/<config-id>.csv): pause-cdf, pause-timeline, mmu (see
 * figure.h). */
#include "figure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "format.h"
#include "stats.h"

/* ---- pause-cdf ------------------------------------------------------------ */

/* One collector's curve: every pause of every process of its configuration
 * a, sorted, into <stem>-<i>.csv; its p99 and longest pause into the marks
 * file. */
static void pause_cdf_curve(plot_ctx *c, const figure *fig, size_t i, const agg *a,
                            const char *name, unsigned rgb, FILE *marks, fig_curves *cv)
{
    gct_pause_rows pr;
    if (plot_read_pauses(c, a->id, &pr) != 0 || pr.n == 0) {
        gct_pause_rows_free(&pr);
        return;
    }
    double *d = gct_xcalloc(pr.n, sizeof *d);
    for (size_t k = 0; k < pr.n; k++)
        d[k] = pr.rows[k].duration_us > 0 ? pr.rows[k].duration_us : 0.001;
    gct_sort_doubles(d, pr.n);
    size_t n = pr.n;
    gct_pause_rows_free(&pr);
    char path[4400];
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, sizeof path, "%s-%zu.csv", fig->stem, i);
    if (!f) {
        free(d);
        return;
    }
    fprintf(f, "duration_us,cdf\n");
    /* At most ~2000 steps: every point for small sets, quantiles else. */
    size_t step = n > 2000 ? n / 2000 : 1;
    for (size_t k = 0; k < n; k += step)
        fprintf(f, "%.6g,%.6g\n", d[k], (double)(k + 1) / (double)n);
    fprintf(f, "%.6g,1\n", d[n - 1]);
    double mx = d[n - 1];
    free(d);
    if (!plot_data_close(c, &af))
        return;
    /* The p99 is the model's (the median over processes of each one's
     * p99, as in every table); the curve pools the pauses of every
     * process, and its end is the longest pause of them all. */
    double p99 = a->p99;
    char lbl[160], hp[32], hm[32];
    if (name)
        snprintf(lbl, sizeof lbl, "%.159s", name);
    else
        gct_summary_label(a, lbl, sizeof lbl);
    gct_fmt_us(p99, hp, sizeof hp);
    gct_fmt_us(mx, hm, sizeof hm);
    /* The marks are points on the curves; their values go in the
     * curve's title, where they cannot collide with another curve's. */
    fprintf(marks, "%s,%.6g,0.99,p99,0\n", lbl, p99);
    fprintf(marks, "%s,%.6g,1,max,1\n", lbl, mx);
    gct_appendf(lbl, sizeof lbl, "_(p99_%s,_longest_%s)", hp, hm);
    for (char *q = lbl; *q; q++)
        if (*q == ' ')
            *q = '_'; /* word() splits titles on spaces; the script turns _ back */
    fig_curve_add(cv, path, lbl, rgb);
}


bool fig_prepare_pause_cdf(plot_ctx *c, figure *fig)
{
    const agg *best[MAX_COLLECTORS];
    char names[MAX_COLLECTORS][96];
    unsigned rgb[MAX_COLLECTORS];
    plot_mark mk;
    bool marked;
    size_t nb = plot_picks(c, fig->wl, best, names, rgb, &mk, &marked);
    gct_afile mf;
    char marks[4400];
    FILE *m = plot_data_open(c, &mf, marks, sizeof marks, "%s-marks.csv", fig->stem);
    if (!m)
        return false;
    fprintf(m, "curve,x,y,label,side\n");
    fig_curves cv = {0};
    for (size_t i = 0; i < nb; i++)
        pause_cdf_curve(c, fig, i, best[i], names[i][0] ? names[i] : NULL, rgb[i], m, &cv);
    if (!plot_data_close(c, &mf))
        return false;
    if (!cv.n)
        return FIG_SKIP(c, "%s: skipped, no configuration of %s paused", fig->stem, fig->wl);
    fig_curves_vars(fig, &cv);
    fig_var(fig, "marks", marks);
    fig_var(fig, "wl", fig->wl);
    char said[300];
    plot_picks_said(c, fig, best, nb, &mk, marked, said, sizeof said);
    if (cv.n < nb)
        gct_appendf(said, sizeof said, "; %zu of them never paused (no curve)", nb - cv.n);
    snprintf(fig->caption, sizeof fig->caption,
             "Cumulative distribution of every pause of every process on %s of %s; marked: the "
             "p99 (the median over processes of each one's p99, as in the tables) and the "
             "longest pause of all. A curve further left pauses less.",
             fig->wl, said);
    return true;
}

/* ---- pause-timeline ------------------------------------------------------- */

/* The fastest configuration that paused, preferring the generational
 * collectors (their timeline shows the generations). */
static const agg *timeline_pick(const plot_ctx *c, const char *wl)
{
    const agg *best[MAX_COLLECTORS];
    size_t nb = plot_best_per_collector(c, wl, best);
    const agg *pick = NULL;
    for (int pass = 0; pass < 2 && !pick; pass++)
        for (size_t i = 0; i < nb && !pick; i++) {
            if (pass == 0 && !gct_summary_is_generational(best[i]))
                continue;
            gct_pause_rows pr;
            if (plot_read_pauses(c, best[i]->id, &pr) == 0 && pr.n)
                pick = best[i];
            gct_pause_rows_free(&pr);
        }
    return pick;
}

/* The kinds of pause repetition 0 of a had, in the order of the legend. */
static void timeline_kinds(const plot_ctx *c, const agg *a, char *kinds, size_t len)
{
    static const char *const all[] = {"gen0", "gen1", "gen2", "full", "cascade", "mark"};
    gct_pause_rows pr;
    plot_read_pauses(c, a->id, &pr);
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
        bool has = false;
        for (size_t i = 0; i < pr.n && !has; i++)
            has = pr.rows[i].rep == 0 && !strcmp(pr.rows[i].kind, all[k]);
        if (has)
            gct_appendf(kinds, len, "%s%s", kinds[0] ? " " : "", all[k]);
    }
    gct_pause_rows_free(&pr);
}

bool fig_prepare_pause_timeline(plot_ctx *c, figure *fig)
{
    const agg *pick[MAX_COLLECTORS];
    char names[MAX_COLLECTORS][96];
    unsigned rgb[MAX_COLLECTORS];
    plot_mark mk;
    bool marked;
    size_t n = plot_picks(c, fig->wl, pick, names, rgb, &mk, &marked);
    if (!marked) { /* no CPython model: the fastest that paused, as before */
        pick[0] = timeline_pick(c, fig->wl);
        n = pick[0] ? 1 : 0;
        names[0][0] = 0;
    }
    /* One panel per configuration that paused, one above the other. */
    size_t panels = 0;
    char said[300];
    /* The panels share their axes (the end of the run, the range of the
     * pauses), so that their heights and rhythms compare at a glance. */
    double tmax = 0, dmin = INFINITY, dmax = 0;
    for (size_t i = 0; i < n; i++) {
        gct_pause_rows pr;
        bool paused = plot_read_pauses(c, pick[i]->id, &pr) == 0 && pr.n;
        for (size_t k = 0; paused && k < pr.n; k++) {
            const gct_pause_row *row = &pr.rows[k];
            if (row->rep != 0 || !(row->duration_us > 0))
                continue;
            tmax = row->start_ms > tmax ? row->start_ms : tmax;
            dmin = row->duration_us < dmin ? row->duration_us : dmin;
            dmax = row->duration_us > dmax ? row->duration_us : dmax;
        }
        gct_pause_rows_free(&pr);
        if (!paused)
            continue;
        char kinds[64] = "", path[4400], title[200];
        timeline_kinds(c, pick[i], kinds, sizeof kinds);
        plot_pauses_name(pick[i]->id, path, sizeof path);
        snprintf(title, sizeof title, "%.60s%s%.130s", names[i], names[i][0] ? ": " : "",
                 pick[i]->id);
        panels++;
        fig_varf(fig, "file_%zu = '%s'\nconfig_%zu = '%s'\nkinds_%zu = '%s'\n", panels, path,
                 panels, title, panels, kinds);
    }
    if (!panels)
        return FIG_SKIP(c, "%s: skipped, no configuration of %s paused", fig->stem, fig->wl);
    plot_picks_said(c, fig, pick, n, &mk, marked, said, sizeof said);
    fig_varf(fig, "panels = %zu\n", panels);
    if (dmax > 0)
        fig_varf(fig, "tmax = %.6g\nymin = %.6g\nymax = %.6g\n", tmax > 0 ? tmax * 1.02 : 1,
                 pow(10, floor(log10(dmin))), pow(10, ceil(log10(dmax * 1.0001))));
    fig_var(fig, "wl", fig->wl);
    fig->height = panels > 1 ? 1000 : 700;
    snprintf(fig->caption, sizeof fig->caption,
             "Every pause (repetition 0) at the time it started, by kind, on %s of %s. Look "
             "for the rhythm of the generations and for the rare tall points.",
             fig->wl, said);
    if (n > panels)
        gct_appendf(fig->caption, sizeof fig->caption, " %zu of them never paused.", n - panels);
    return true;
}

/* ---- mmu ------------------------------------------------------------------ */

/* The MMU and bounded MMU of repetition 0 of a into <stem>-<i>.csv, as a
 * curve: windows from 0.1 ms (a thousandth of the run if that is shorter)
 * to the whole run, 24 per decade. */
static void mmu_curve(plot_ctx *c, const figure *fig, size_t i, const agg *a, const char *name,
                      unsigned rgb, fig_curves *cv)
{
    if (!(a->wall_ms > 0))
        return;
    gct_pause_rows pr;
    if (plot_read_pauses(c, a->id, &pr) != 0)
        return;
    gct_interval *iv = gct_xcalloc(pr.n + 1, sizeof *iv);
    size_t n = 0;
    for (size_t k = 0; k < pr.n; k++)
        if (pr.rows[k].rep == 0) {
            iv[n].start = pr.rows[k].start_ms;
            iv[n].end = pr.rows[k].start_ms + pr.rows[k].duration_us / 1e3;
            n++;
        }
    gct_pause_rows_free(&pr);
    /* The run: the median timed region, or longer if repetition 0's pauses
     * reach past it. */
    double hi = a->wall_ms;
    for (size_t k = 0; k < n; k++)
        if (iv[k].end > hi)
            hi = iv[k].end;
    double lo = hi / 1000 < 0.1 ? hi / 1000 : 0.1;
    size_t m = 0;
    double ws[400], mmu[400], bmmu[400];
    for (double w = lo; w < hi && m < 399; w *= 1.1)
        ws[m++] = w;
    ws[m++] = hi;
    for (size_t k = 0; k < m; k++)
        mmu[k] = gct_mmu(iv, n, 0, hi, ws[k]);
    gct_bmmu(iv, n, 0, hi, ws, m, bmmu);
    free(iv);
    char path[4400];
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, sizeof path, "%s-%zu.csv", fig->stem, i);
    if (!f)
        return;
    fprintf(f, "window_ms,mmu,bmmu\n");
    for (size_t k = 0; k < m; k++)
        fprintf(f, "%.6g,%.6g,%.6g\n", ws[k], mmu[k], bmmu[k]);
    if (!plot_data_close(c, &af))
        return;
    char lbl[96];
    if (name)
        snprintf(lbl, sizeof lbl, "%.95s", name);
    else
        gct_summary_label(a, lbl, sizeof lbl);
    for (char *q = lbl; *q; q++)
        if (*q == ' ')
            *q = '_'; /* word() splits titles on spaces; the script turns _ back */
    fig_curve_add(cv, path, lbl, rgb);
}

bool fig_prepare_mmu(plot_ctx *c, figure *fig)
{
    const agg *best[MAX_COLLECTORS];
    char names[MAX_COLLECTORS][96];
    unsigned rgb[MAX_COLLECTORS];
    plot_mark mk;
    bool marked;
    size_t nb = plot_picks(c, fig->wl, best, names, rgb, &mk, &marked);
    fig_curves cv = {0};
    for (size_t i = 0; i < nb; i++)
        mmu_curve(c, fig, i, best[i], names[i][0] ? names[i] : NULL, rgb[i], &cv);
    if (!cv.n)
        return FIG_SKIP(c, "%s: skipped, no run of %s has pause records", fig->stem, fig->wl);
    fig_curves_vars(fig, &cv);
    fig_var(fig, "wl", fig->wl);
    char said[300];
    plot_picks_said(c, fig, best, nb, &mk, marked, said, sizeof said);
    snprintf(fig->caption, sizeof fig->caption,
             "For each window size, the worst share of any window of that size left to the "
             "program on %s (its first process) by %s; dashed: the bounded MMU. Read across at "
             "your latency budget.",
             fig->wl, said);
    return true;
}
