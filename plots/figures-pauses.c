/* figures-pauses.c — the data steps of the figures drawn from the pauses
 * files (pauses/<config-id>.csv): pause-cdf, pause-timeline, mmu (see
 * figure.h). */
#include "figure.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "format.h"
#include "stats.h"

/* ---- pause-cdf ------------------------------------------------------------ */

/* One collector's curve: every pause of every process of its configuration
 * a, sorted, into <stem>-<i>.csv; its p99 and longest pause into the marks
 * file. */
static void pause_cdf_curve(plot_ctx *c, const figure *fig, size_t i, const agg *a, FILE *marks,
                            fig_curves *cv)
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
    fig_curve_add(cv, path, lbl, plot_collector_rgb(a->collector));
}

bool fig_prepare_pause_cdf(plot_ctx *c, figure *fig)
{
    const agg *best[MAX_COLLECTORS];
    size_t nb = plot_best_per_collector(c, fig->wl, best);
    gct_afile mf;
    char marks[4400];
    FILE *m = plot_data_open(c, &mf, marks, sizeof marks, "%s-marks.csv", fig->stem);
    if (!m)
        return false;
    fprintf(m, "curve,x,y,label,side\n");
    fig_curves cv = {0};
    for (size_t i = 0; i < nb; i++)
        pause_cdf_curve(c, fig, i, best[i], m, &cv);
    if (!plot_data_close(c, &mf))
        return false;
    if (!cv.n)
        return FIG_SKIP(c, "%s: skipped, no configuration of %s paused", fig->stem, fig->wl);
    fig_curves_vars(fig, &cv);
    fig_var(fig, "marks", marks);
    fig_var(fig, "wl", fig->wl);
    snprintf(fig->caption, sizeof fig->caption,
             "Cumulative distribution of every pause of every process of the fastest "
             "configuration of each collector on %s; marked: the p99 (the median over processes "
             "of each one's p99, as in the tables) and the longest pause of all. A curve further "
             "left pauses less; a long flat tail is rare but long pauses.",
             fig->wl);
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
    const agg *pick = timeline_pick(c, fig->wl);
    if (!pick)
        return FIG_SKIP(c, "%s: skipped, no configuration of %s paused", fig->stem, fig->wl);
    char kinds[64] = "", path[4400];
    timeline_kinds(c, pick, kinds, sizeof kinds);
    plot_pauses_name(pick->id, path, sizeof path);
    fig_var(fig, "file", path);
    fig_var(fig, "config", pick->id);
    fig_var(fig, "kinds", kinds);
    snprintf(fig->caption, sizeof fig->caption,
             "Every pause of %s (repetition 0) at the time it started, by kind. Look for "
             "the rhythm of the generations and for the rare tall points: older generations "
             "collect seldom but long.",
             pick->id);
    return true;
}

/* ---- mmu ------------------------------------------------------------------ */

/* The MMU and bounded MMU of repetition 0 of a into <stem>-<i>.csv, as a
 * curve: windows from 0.1 ms (a thousandth of the run if that is shorter)
 * to the whole run, 24 per decade. */
static void mmu_curve(plot_ctx *c, const figure *fig, size_t i, const agg *a, fig_curves *cv)
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
    char lbl[64];
    gct_summary_label(a, lbl, sizeof lbl);
    fig_curve_add(cv, path, lbl, plot_collector_rgb(a->collector));
}

bool fig_prepare_mmu(plot_ctx *c, figure *fig)
{
    const agg *best[MAX_COLLECTORS];
    size_t nb = plot_best_per_collector(c, fig->wl, best);
    fig_curves cv = {0};
    for (size_t i = 0; i < nb; i++)
        mmu_curve(c, fig, i, best[i], &cv);
    if (!cv.n)
        return FIG_SKIP(c, "%s: skipped, no run of %s has pause records", fig->stem, fig->wl);
    fig_curves_vars(fig, &cv);
    fig_var(fig, "wl", fig->wl);
    snprintf(fig->caption, sizeof fig->caption,
             "For each window size, the worst share of any window of that size left to the "
             "program (fastest configuration of each collector on %s, its first process); dashed: "
             "the bounded MMU. Read across at your latency budget.",
             fig->wl);
    return true;
}
