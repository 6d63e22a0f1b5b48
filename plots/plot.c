/* plot.c — data for each figure, and gnuplot to draw it (see plot.h). */
#define _GNU_SOURCE
#include "plot.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "format.h"
#include "pauses.h"
#include "record.h"
#include "stats.h"
#include "summary.h"

typedef gct_config_summary agg;

#ifndef GCT_PLOTS_DIR
#define GCT_PLOTS_DIR "plots"
#endif

/* Append to a string buffer (silently truncating: every buffer here is sized
 * for far more than it holds). */
static void appendf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

typedef struct ctx {
    const char *dir;
    char plotdir[4096], datadir[4200];
    const char *scripts;
    const gct_plot_opts *o;
    gct_plot_result *res;
    const char *gnuplot;
    agg *aggs; /* from sum */
    size_t naggs;
    const char **workloads;
    size_t nworkloads;
    const char **collectors;
    size_t ncollectors;
} ctx;

static void note(gct_plot_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(gct_plot_result *res, const char *fmt, ...)
{
    if (res->nnotes == sizeof res->notes / sizeof res->notes[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->notes[res->nnotes++], sizeof res->notes[0], fmt, ap);
    va_end(ap);
}

const char *gct_gnuplot_path(void)
{
    static char found[4096];
    const char *env = getenv("GCTUNE_GNUPLOT");
    if (env && *env)
        return access(env, X_OK) == 0 ? env : NULL;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    char *copy = strdup(path), *save = NULL;
    const char *result = NULL;
    for (char *d = strtok_r(copy, ":", &save); d && !result; d = strtok_r(NULL, ":", &save)) {
        snprintf(found, sizeof found, "%s/gnuplot", d);
        if (access(found, X_OK) == 0)
            result = found;
    }
    free(copy);
    return result;
}

#define MAX_COLLECTORS 8 /* per figure; the registry has four */

static size_t best_per_collector(const ctx *c, const char *wl, const agg **out)
{
    gct_summary sum = {.configs = c->aggs, .n = c->naggs, .collectors = c->collectors,
                       .ncollectors = c->ncollectors};
    return gct_summary_best_per_collector(&sum, wl, out, MAX_COLLECTORS);
}

/* The fastest configuration of one collector on wl, leaking or not. */
static const agg *fastest_of(const ctx *c, const char *wl, const char *collector)
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

static unsigned collector_rgb(const char *name)
{
    if (!strcmp(name, "refcount"))
        return 0x7f7f7f;
    if (!strcmp(name, "gencycle"))
        return 0x1f77b4;
    if (!strcmp(name, "marksweep"))
        return 0xd62728;
    if (!strcmp(name, "cpython"))
        return 0x2ca02c;
    return 0x9467bd;
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

/* ---- files and gnuplot --------------------------------------------------- */

static FILE *open_data(ctx *c, gct_afile *af, const char *name, char *path, size_t len)
{
    path[0] = 0;
    appendf(path, len, "%s/%s", c->datadir, name);
    char err[300];
    FILE *f = gct_afile_open(af, path, err, sizeof err);
    if (!f)
        note(c->res, "%s", err);
    return f;
}

static bool close_data(ctx *c, gct_afile *af)
{
    char err[300];
    if (gct_afile_commit(af, err, sizeof err) != 0) {
        note(c->res, "%s", err);
        return false;
    }
    return true;
}

/* Run gnuplot on a driver for each format; record the figure if all came
 * out.  `vars` are gnuplot assignments, one per line. */
static void render(ctx *c, const char *stem, const char *script, int w, int h, const char *vars,
                   const char *title, const char *caption, const char *wl)
{
    static const struct format {
        const char *ext, *terminal;
    } formats[] = {
        {"svg", "svg size %d,%d dynamic enhanced font 'DejaVu Sans,12' background rgb 'white'"},
        {"png", "pngcairo size %d,%d enhanced font 'DejaVu Sans,11' background rgb 'white'"},
        {"pdf", "pdfcairo size %.2fin,%.2fin enhanced font 'DejaVu Sans,9'"},
    };
    bool ok = true;
    for (size_t k = 0; k < 3 && ok; k++) {
        if (k == 2 && !c->o->pdf)
            continue;
        char driver[4400], out[4400], errpath[4400], term[200];
        snprintf(driver, sizeof driver, "%s/%s.%s.gp", c->datadir, stem, formats[k].ext);
        snprintf(out, sizeof out, "%s/%s.%s", c->plotdir, stem, formats[k].ext);
        snprintf(errpath, sizeof errpath, "%s/%s.%s.log", c->datadir, stem, formats[k].ext);
        if (k == 2)
            snprintf(term, sizeof term, formats[k].terminal, w / 100.0, h / 100.0);
        else
            snprintf(term, sizeof term, formats[k].terminal, w, h);
        FILE *f = fopen(driver, "w");
        if (!f) {
            note(c->res, "%s: cannot write: %s", driver, strerror(errno));
            ok = false;
            break;
        }
        fprintf(f, "# Redraw with: gnuplot '%s'\nset terminal %s\nset output '%s'\n%s\n"
                   "load '%s/style.gp'\nload '%s/%s'\nset output\n",
                driver, term, out, vars, c->scripts, c->scripts, script);
        fclose(f);
        unlink(out);
        fflush(NULL); /* or the child's freopen would write our buffered output again */
        pid_t pid = fork();
        if (pid == 0) {
            FILE *e = freopen(errpath, "w", stderr);
            (void)e;
            if (!freopen("/dev/null", "w", stdout))
                _exit(127);
            execl(c->gnuplot, "gnuplot", driver, (char *)NULL);
            _exit(127);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        struct stat sb;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || stat(out, &sb) != 0 || sb.st_size < 200) {
            char line[256] = "", last[256] = "";
            FILE *e = fopen(errpath, "r");
            while (e && fgets(line, sizeof line, e))
                if (line[0] != '\n')
                    snprintf(last, sizeof last, "%s", line);
            if (e)
                fclose(e);
            last[strcspn(last, "\n")] = 0;
            note(c->res, "%s.%s: gnuplot failed (%s); see %s", stem, formats[k].ext,
                 last[0] ? last : "no output", errpath);
            c->res->failed++;
            ok = false;
        } else {
            unlink(errpath);
        }
    }
    if (!ok)
        return;
    if (c->res->n == c->res->cap) {
        c->res->cap = c->res->cap ? c->res->cap * 2 : 32;
        c->res->figs = realloc(c->res->figs, c->res->cap * sizeof *c->res->figs);
        if (!c->res->figs)
            abort();
    }
    gct_figure *fig = &c->res->figs[c->res->n++];
    snprintf(fig->stem, sizeof fig->stem, "%s", stem);
    snprintf(fig->title, sizeof fig->title, "%s", title);
    snprintf(fig->caption, sizeof fig->caption, "%s", caption);
    snprintf(fig->workload, sizeof fig->workload, "%s", wl ? wl : "");
}

/* Append "name = 'value'" to a variables buffer. */
static void var_s(char *buf, size_t len, const char *name, const char *value)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s = '%s'\n", name, value);
}

/* ---- figure 1: pause CDF ------------------------------------------------- */

static int read_pauses(const ctx *c, const char *id, gct_pause_rows *out)
{
    char path[4400], err[600];
    snprintf(path, sizeof path, "%s/pauses/%s.csv", c->dir, id);
    if (access(path, R_OK) != 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return gct_pauses_read(path, out, err, sizeof err);
}

static void fig_pause_cdf(ctx *c, const char *wl)
{
    const agg *best[MAX_COLLECTORS];
    size_t nb = best_per_collector(c, wl, best);
    char files[4096] = "", titles[1024] = "", colors[512] = "", stem[200], name[256],
         path[4400];
    snprintf(stem, sizeof stem, "pause-cdf-%s", wl);
    snprintf(name, sizeof name, "%s-marks.csv", stem);
    gct_afile mf;
    char marks[4400];
    FILE *m = open_data(c, &mf, name, marks, sizeof marks);
    if (!m)
        return;
    fprintf(m, "curve,x,y,label,side\n");
    size_t curves = 0;
    for (size_t i = 0; i < nb; i++) {
        gct_pause_rows pr;
        if (read_pauses(c, best[i]->id, &pr) != 0 || pr.n == 0) {
            gct_pause_rows_free(&pr);
            continue;
        }
        double *d = malloc(pr.n * sizeof *d);
        for (size_t k = 0; k < pr.n; k++)
            d[k] = pr.rows[k].duration_us > 0 ? pr.rows[k].duration_us : 0.001;
        gct_sort_doubles(d, pr.n);
        snprintf(name, sizeof name, "%s-%zu.csv", stem, i);
        gct_afile af;
        FILE *f = open_data(c, &af, name, path, sizeof path);
        if (!f) {
            free(d);
            gct_pause_rows_free(&pr);
            continue;
        }
        fprintf(f, "duration_us,cdf\n");
        /* At most ~2000 steps: every point for small sets, quantiles else. */
        size_t step = pr.n > 2000 ? pr.n / 2000 : 1;
        for (size_t k = 0; k < pr.n; k += step)
            fprintf(f, "%.6g,%.6g\n", d[k], (double)(k + 1) / (double)pr.n);
        fprintf(f, "%.6g,1\n", d[pr.n - 1]);
        if (!close_data(c, &af)) {
            free(d);
            gct_pause_rows_free(&pr);
            continue;
        }
        /* The p99 is the model's (the median over processes of each one's
         * p99, as in every table); the curve pools the pauses of every
         * process, and its end is the longest pause of them all. */
        double p99 = best[i]->p99, mx = d[pr.n - 1];
        char lbl[160], hp[32], hm[32];
        gct_summary_label(best[i], lbl, sizeof lbl);
        gct_fmt_us(p99, hp, sizeof hp);
        gct_fmt_us(mx, hm, sizeof hm);
        /* The marks are points on the curves; their values go in the
         * curve's title, where they cannot collide with another curve's. */
        fprintf(m, "%s,%.6g,0.99,p99,0\n", lbl, p99);
        fprintf(m, "%s,%.6g,1,max,1\n", lbl, mx);
        appendf(lbl, sizeof lbl, "_(p99_%s,_longest_%s)", hp, hm);
        for (char *q = lbl; *q; q++)
            if (*q == ' ')
                *q = '_'; /* word() splits titles on spaces; the script turns _ back */
        appendf(files, sizeof files, "%s%s", curves ? " " : "", path);
        appendf(titles, sizeof titles, "%s%s", curves ? " " : "", lbl);
        appendf(colors, sizeof colors, "%s%u", curves ? " " : "",
                 collector_rgb(best[i]->collector));
        curves++;
        free(d);
        gct_pause_rows_free(&pr);
    }
    if (!close_data(c, &mf))
        return;
    if (!curves) {
        note(c->res, "%s: skipped, no configuration of %s paused", stem, wl);
        return;
    }
    char vars[8192] = "";
    var_s(vars, sizeof vars, "files", files);
    var_s(vars, sizeof vars, "titles", titles);
    var_s(vars, sizeof vars, "colors", colors);
    var_s(vars, sizeof vars, "marks", marks);
    var_s(vars, sizeof vars, "wl", wl);
    char title[200], caption[600];
    snprintf(title, sizeof title, "Pause durations, %s", wl);
    snprintf(caption, sizeof caption,
             "Cumulative distribution of every pause of every process of the fastest "
             "configuration of each collector on %s; marked: the p99 (the median over processes "
             "of each one's p99, as in the tables) and the longest pause of all. A curve further "
             "left pauses less; a long flat tail is rare but long pauses.",
             wl);
    render(c, stem, "pause-cdf.gp", 1200, 750, vars, title, caption, wl);
}

/* ---- figure 2: pause timeline -------------------------------------------- */

static void fig_timeline(ctx *c, const char *wl)
{
    const agg *best[MAX_COLLECTORS];
    size_t nb = best_per_collector(c, wl, best);
    /* The fastest configuration that paused, preferring the generational
     * collectors (their timeline shows the generations). */
    const agg *pick = NULL;
    for (int pass = 0; pass < 2 && !pick; pass++)
        for (size_t i = 0; i < nb && !pick; i++) {
            if (pass == 0 && best[i]->gen1 < 0)
                continue;
            gct_pause_rows pr;
            if (read_pauses(c, best[i]->id, &pr) == 0 && pr.n)
                pick = best[i];
            gct_pause_rows_free(&pr);
        }
    char stem[200];
    snprintf(stem, sizeof stem, "pause-timeline-%s", wl);
    if (!pick) {
        note(c->res, "%s: skipped, no configuration of %s paused", stem, wl);
        return;
    }
    gct_pause_rows pr;
    read_pauses(c, pick->id, &pr);
    char kinds[64] = "";
    static const char *const all[] = {"gen0", "gen1", "gen2", "full", "cascade"};
    for (size_t k = 0; k < 5; k++) {
        bool has = false;
        for (size_t i = 0; i < pr.n && !has; i++)
            has = pr.rows[i].rep == 0 && !strcmp(pr.rows[i].kind, all[k]);
        if (has) {
            appendf(kinds, sizeof kinds, "%s%s", kinds[0] ? " " : "", all[k]);
        }
    }
    gct_pause_rows_free(&pr);
    char path[4400], vars[8192] = "";
    snprintf(path, sizeof path, "%s/pauses/%s.csv", c->dir, pick->id);
    var_s(vars, sizeof vars, "file", path);
    var_s(vars, sizeof vars, "config", pick->id);
    var_s(vars, sizeof vars, "kinds", kinds);
    char title[200], caption[600];
    snprintf(title, sizeof title, "Pause timeline, %s", wl);
    snprintf(caption, sizeof caption,
             "Every pause of %s (repetition 0) at the time it started, by kind. Look for "
             "the rhythm of the generations and for the rare tall points: older generations "
             "collect seldom but long.",
             pick->id);
    render(c, stem, "pause-timeline.gp", 1200, 700, vars, title, caption, wl);
}

/* ---- figure 3: throughput against gen0 ----------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Distinct values of gen0, gen1 or gen2 (which = 0, 1, 2) among gencycle
 * configurations of wl (NULL: every workload) with the other filters. */
static size_t distinct(const ctx *c, const char *wl, int which, int64_t gen2, int64_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < c->naggs; i++) {
        const agg *a = &c->aggs[i];
        if (a->gen1 < 0 || (wl && strcmp(a->workload, wl)) || (gen2 >= 0 && a->gen2 != gen2))
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

/* The gen2 held fixed in the gen0/gen1 figures: 10 (CPython's default) if
 * swept, else the smallest. */
static int64_t fixed_gen2(const ctx *c, const char *wl)
{
    int64_t v[256];
    size_t n = distinct(c, wl, 2, -1, v);
    for (size_t i = 0; i < n; i++)
        if (v[i] == 10)
            return 10;
    return n ? v[0] : -1;
}

static const agg *find_gen(const ctx *c, const char *wl, int64_t g0, int64_t g1, int64_t g2)
{
    for (size_t i = 0; i < c->naggs; i++) {
        const agg *a = &c->aggs[i];
        if (a->gen1 >= 0 && !strcmp(a->workload, wl) && a->gen0 == g0 && a->gen1 == g1 &&
            a->gen2 == g2)
            return a;
    }
    return NULL;
}

static void fig_throughput(ctx *c)
{
    char vars[16384] = "";
    size_t panels = 0;
    int64_t gen2_all = fixed_gen2(c, NULL);
    for (size_t w = 0; w < c->nworkloads; w++) {
        const char *wl = c->workloads[w];
        int64_t g2 = fixed_gen2(c, wl), g0[256], g1[256];
        if (g2 < 0 || g2 != gen2_all)
            continue;
        size_t n0 = distinct(c, wl, 0, g2, g0), n1 = distinct(c, wl, 1, g2, g1);
        if (n0 < 2)
            continue;
        char files[4096] = "", titles[1024] = "";
        size_t lines = 0;
        for (size_t j = 0; j < n1; j++) {
            char name[200], path[4400];
            snprintf(name, sizeof name, "throughput-gen0-%s-gen1-%" PRId64 ".csv", wl, g1[j]);
            gct_afile af;
            FILE *f = open_data(c, &af, name, path, sizeof path);
            if (!f)
                continue;
            fprintf(f, "gen0,ops_per_s,lo,hi\n");
            size_t pts = 0;
            for (size_t i = 0; i < n0; i++) {
                const agg *a = find_gen(c, wl, g0[i], g1[j], g2);
                if (!a || g0[i] <= 0)
                    continue; /* gen0 = 0 (no automatic collection) has no place on a log axis */
                fprintf(f, "%" PRId64 ",%.6g,%.6g,%.6g\n", g0[i], a->ops_s, a->ops_lo, a->ops_hi);
                pts++;
            }
            if (!close_data(c, &af) || pts == 0)
                continue;
            appendf(files, sizeof files, "%s%s", lines ? " " : "", path);
            appendf(titles, sizeof titles, "%sgen1=%" PRId64, lines ? " " : "",
                     g1[j]);
            lines++;
        }
        if (!lines)
            continue;
        panels++;
        appendf(vars, sizeof vars, "wl_%zu = '%s'\nfiles_%zu = '%s'\ntitles_%zu = '%s'\n",
                 panels, wl, panels, files, panels, titles);
    }
    if (!panels) {
        note(c->res, "throughput-gen0: skipped, no workload ran gencycle at two or more gen0 "
                     "values");
        return;
    }
    appendf(vars, sizeof vars, "panels = %zu\ngen2 = '%" PRId64 "'\n", panels,
             gen2_all);
    int h = panels > 2 ? 450 * (int)((panels + 1) / 2) : 650;
    render(c, "throughput-gen0", "throughput-gen0.gp", panels > 1 ? 1500 : 1100, h, vars,
           "Throughput against gen0",
           "Median operations per second of gencycle as gen0 grows, one line per gen1, with "
           "95% intervals; where a line flattens, a larger gen0 buys nothing more.",
           NULL);
}

/* ---- figure 4: heatmaps -------------------------------------------------- */

static void fig_heatmaps(ctx *c, const char *wl)
{
    int64_t g2 = fixed_gen2(c, wl), g0[256], g1[256];
    if (g2 < 0)
        return; /* no gencycle here: nothing to say */
    size_t n0 = distinct(c, wl, 0, g2, g0), n1 = distinct(c, wl, 1, g2, g1);
    if (n0 < 2 || n1 < 2) {
        note(c->res, "heatmaps of %s: skipped, gencycle ran %zu gen0 x %zu gen1 values (needs "
                     "2 x 2)",
             wl, n0, n1);
        return;
    }
    static const struct metric {
        const char *key, *name, *unit, *better;
    } metrics[] = {
        {"ops", "Throughput", "ops/s", "high"},
        {"p99", "p99 pause", "µs", "low"},
        {"peak", "Peak live memory", "MiB", "low"},
    };
    for (size_t m = 0; m < 3; m++) {
        char stem[200], name[256], path[4400];
        snprintf(stem, sizeof stem, "heatmap-%s-%s", metrics[m].key, wl);
        snprintf(name, sizeof name, "%s.csv", stem);
        gct_afile af;
        FILE *f = open_data(c, &af, name, path, sizeof path);
        if (!f)
            continue;
        fprintf(f, "xi,yi,gen0,gen1,value,label,dark\n");
        double vmin = INFINITY, vmax = -INFINITY;
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < n0; i++)
                for (size_t j = 0; j < n1; j++) {
                    const agg *a = find_gen(c, wl, g0[i], g1[j], g2);
                    if (!a)
                        continue;
                    double v = m == 0 ? a->ops_s : m == 1 ? a->p99 : a->peak / (1 << 20);
                    if (pass == 0) {
                        vmin = v < vmin ? v : vmin;
                        vmax = v > vmax ? v : vmax;
                        continue;
                    }
                    /* Cells in the dark half of the palette get white text. */
                    double t = vmax > vmin ? (v - vmin) / (vmax - vmin) : 0.5;
                    bool dark = !strcmp(metrics[m].better, "high") ? t > 0.55 : t < 0.45;
                    char txt[32];
                    cell_text(v, txt, sizeof txt);
                    fprintf(f, "%zu,%zu,%" PRId64 ",%" PRId64 ",%.6g,%s,%d\n", i, j, g0[i], g1[j],
                            v, txt, dark);
                }
        if (!close_data(c, &af))
            continue;
        char vars[8192] = "", g2s[32];
        snprintf(g2s, sizeof g2s, "%" PRId64, g2);
        var_s(vars, sizeof vars, "file", path);
        var_s(vars, sizeof vars, "wl", wl);
        var_s(vars, sizeof vars, "metric", metrics[m].name);
        var_s(vars, sizeof vars, "unit", metrics[m].unit);
        var_s(vars, sizeof vars, "gen2", g2s);
        var_s(vars, sizeof vars, "better", metrics[m].better);
        char title[200], caption[600];
        snprintf(title, sizeof title, "%s over gen0 x gen1, %s", metrics[m].name, wl);
        snprintf(caption, sizeof caption,
                 "%s (median) of gencycle on %s for every gen0 x gen1 pair at gen2 = %s; the "
                 "darker the cell, the better. Look for the region where it stops changing.",
                 metrics[m].name, wl, g2s);
        render(c, stem, "heatmap.gp", 1100, 700, vars, title, caption, wl);
    }
}

/* ---- figure 5: trade-offs ------------------------------------------------ */

static void fig_tradeoff(ctx *c, const char *wl)
{
    for (int which = 0; which < 2; which++) {
        const char *key = which ? "memory" : "pause";
        char stem[200], name[256], path[4400], fpath[4400];
        snprintf(stem, sizeof stem, "tradeoff-%s-%s", key, wl);
        size_t n = 0, skipped = 0;
        double *x = malloc((c->naggs + 1) * sizeof *x), *y = malloc((c->naggs + 1) * sizeof *y);
        const agg **who = malloc((c->naggs + 1) * sizeof *who);
        for (size_t i = 0; i < c->naggs; i++) {
            const agg *a = &c->aggs[i];
            if (strcmp(a->workload, wl))
                continue;
            double v = which ? a->peak / (1 << 20) : a->p99;
            if (!(v > 0) || !isfinite(a->ops_s)) {
                skipped++;
                continue;
            }
            x[n] = a->ops_s;
            y[n] = v;
            who[n++] = a;
        }
        if (n < 2) {
            note(c->res, "%s: skipped, fewer than two configurations with %s", stem,
                 which ? "a peak memory" : "pauses");
            free(x);
            free(y);
            free(who);
            continue;
        }
        snprintf(name, sizeof name, "%s.csv", stem);
        gct_afile af;
        FILE *f = open_data(c, &af, name, path, sizeof path);
        if (f) {
            fprintf(f, "collector,ops_per_s,y,label\n");
            for (size_t i = 0; i < n; i++) {
                char lbl[64];
                gct_summary_label(who[i], lbl, sizeof lbl);
                fprintf(f, "%s,%.6g,%.6g,%s\n", who[i]->collector, x[i], y[i], lbl);
            }
            close_data(c, &af);
        }
        /* The frontier among configurations that do not leak: a leak is
         * not a choice, however fast. */
        double *fx = malloc(n * sizeof *fx), *fy = malloc(n * sizeof *fy);
        size_t *map = malloc(n * sizeof *map), m = 0, *idx = malloc(n * sizeof *idx);
        for (size_t i = 0; i < n; i++)
            if (!(who[i]->leaked > 0)) {
                fx[m] = x[i];
                fy[m] = y[i];
                map[m++] = i;
            }
        size_t k = gct_pareto_front(fx, fy, m, idx);
        snprintf(name, sizeof name, "%s-front.csv", stem);
        f = open_data(c, &af, name, fpath, sizeof fpath);
        if (f) {
            fprintf(f, "collector,ops_per_s,y,label\n");
            for (size_t i = 0; i < k; i++) {
                size_t j = map[idx[i]];
                char lbl[64];
                gct_summary_label(who[j], lbl, sizeof lbl);
                fprintf(f, "%s,%.6g,%.6g,%s\n", who[j]->collector, x[j], y[j], lbl);
            }
            close_data(c, &af);
        }
        char cols[256] = "";
        for (size_t i = 0; i < c->ncollectors; i++) {
            bool has = false;
            for (size_t j = 0; j < n && !has; j++)
                has = !strcmp(who[j]->collector, c->collectors[i]);
            if (has) {
                appendf(cols, sizeof cols, "%s%s", cols[0] ? " " : "",
                         c->collectors[i]);
            }
        }
        char vars[8192] = "";
        var_s(vars, sizeof vars, "file", path);
        var_s(vars, sizeof vars, "front", fpath);
        var_s(vars, sizeof vars, "wl", wl);
        var_s(vars, sizeof vars, "ylabel_text",
              which ? "peak live memory (MiB)" : "p99 pause (µs)");
        var_s(vars, sizeof vars, "what", which ? "Peak memory" : "p99 pause");
        var_s(vars, sizeof vars, "collectors", cols);
        /* A log axis where the values span more than a decade. */
        double ylo = INFINITY, yhi = 0;
        for (size_t i = 0; i < n; i++) {
            ylo = y[i] < ylo ? y[i] : ylo;
            yhi = y[i] > yhi ? y[i] : yhi;
        }
        appendf(vars, sizeof vars, "logy = %d\n", yhi > 10 * ylo);
        char title[200], caption[600];
        snprintf(title, sizeof title, "%s against throughput, %s", which ? "Peak memory" : "p99 pause",
                 wl);
        snprintf(caption, sizeof caption,
                 "Every configuration of %s as a point (median); the dashed line joins the "
                 "configurations no other beats on both throughput and %s (leaking ones "
                 "excluded)%s. Pick from the frontier.",
                 wl, which ? "memory" : "p99 pause",
                 skipped ? which ? "; configurations without a measured peak are left out"
                                 : "; configurations that never paused are left out (log scale)"
                         : "");
        render(c, stem, "tradeoff.gp", 1200, 750, vars, title, caption, wl);
        free(x);
        free(y);
        free(who);
        free(fx);
        free(fy);
        free(map);
        free(idx);
    }
}

/* ---- figure 6: MMU ------------------------------------------------------- */

static void fig_mmu(ctx *c, const char *wl)
{
    const agg *best[MAX_COLLECTORS];
    size_t nb = best_per_collector(c, wl, best);
    char files[4096] = "", titles[1024] = "", colors[512] = "", stem[200];
    snprintf(stem, sizeof stem, "mmu-%s", wl);
    size_t curves = 0;
    for (size_t i = 0; i < nb; i++) {
        const agg *a = best[i];
        if (!(a->wall_ms > 0))
            continue;
        gct_pause_rows pr;
        if (read_pauses(c, a->id, &pr) != 0)
            continue;
        gct_interval *iv = malloc((pr.n + 1) * sizeof *iv);
        size_t n = 0;
        for (size_t k = 0; k < pr.n; k++)
            if (pr.rows[k].rep == 0) {
                iv[n].start = pr.rows[k].start_ms;
                iv[n].end = pr.rows[k].start_ms + pr.rows[k].duration_us / 1e3;
                n++;
            }
        gct_pause_rows_free(&pr);
        /* The run: the median timed region, or longer if repetition 0's
         * pauses reach past it.  Windows from 0.1 ms (a thousandth of the run
         * if that is shorter) to the whole run, 24 per decade. */
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
        char name[256], path[4400];
        snprintf(name, sizeof name, "%s-%zu.csv", stem, i);
        gct_afile af;
        FILE *f = open_data(c, &af, name, path, sizeof path);
        if (!f)
            continue;
        fprintf(f, "window_ms,mmu,bmmu\n");
        for (size_t k = 0; k < m; k++)
            fprintf(f, "%.6g,%.6g,%.6g\n", ws[k], mmu[k], bmmu[k]);
        if (!close_data(c, &af))
            continue;
        char lbl[64];
        gct_summary_label(a, lbl, sizeof lbl);
        appendf(files, sizeof files, "%s%s", curves ? " " : "", path);
        appendf(titles, sizeof titles, "%s%s", curves ? " " : "", lbl);
        appendf(colors, sizeof colors, "%s%u", curves ? " " : "",
                 collector_rgb(a->collector));
        curves++;
    }
    if (!curves) {
        note(c->res, "%s: skipped, no run of %s has pause records", stem, wl);
        return;
    }
    char vars[8192] = "";
    var_s(vars, sizeof vars, "files", files);
    var_s(vars, sizeof vars, "titles", titles);
    var_s(vars, sizeof vars, "colors", colors);
    var_s(vars, sizeof vars, "wl", wl);
    char title[200], caption[600];
    snprintf(title, sizeof title, "Minimum mutator utilization, %s", wl);
    snprintf(caption, sizeof caption,
             "For each window size, the worst share of any window of that size left to the "
             "program (fastest configuration of each collector on %s, its first process); dashed: "
             "the bounded MMU. Read across at your latency budget.",
             wl);
    render(c, stem, "mmu.gp", 1200, 750, vars, title, caption, wl);
}

/* ---- figure 7: collectors side by side ----------------------------------- */

static void fig_collectors(ctx *c)
{
    if (c->ncollectors < 2) {
        note(c->res, "collectors: skipped, only one collector ran");
        return;
    }
    char path[4400];
    gct_afile af;
    FILE *f = open_data(c, &af, "collectors.csv", path, sizeof path);
    if (!f)
        return;
    fprintf(f, "workload");
    /* Workloads differ in throughput by orders of magnitude, so throughput is
     * shown relative to the fastest collector of each workload (whose ops/s
     * goes in the workload's label). */
    fprintf(f, "workload,label");
    static const char *const cols[] = {"rel_ops", "p99_us", "peak_mib", "leaked_mib"};
    for (size_t k = 0; k < c->ncollectors; k++)
        for (size_t m = 0; m < 4; m++)
            fprintf(f, ",%s_%s", cols[m], c->collectors[k]);
    fprintf(f, "\n");
    for (size_t w = 0; w < c->nworkloads; w++) {
        const agg *best[MAX_COLLECTORS] = {NULL};
        double top = 0;
        const agg *found[MAX_COLLECTORS];
        size_t nf = best_per_collector(c, c->workloads[w], found);
        for (size_t k = 0; k < c->ncollectors; k++)
            for (size_t i = 0; i < nf; i++)
                if (!strcmp(found[i]->collector, c->collectors[k]))
                    best[k] = found[i];
        /* Leaking configurations are shown but never the yardstick: a
         * collector that never reclaims cycles is not fast, only unfinished. */
        for (size_t k = 0; k < c->ncollectors; k++)
            if (!best[k])
                best[k] = fastest_of(c, c->workloads[w], c->collectors[k]);
        for (size_t k = 0; k < c->ncollectors; k++)
            if (best[k] && !best[k]->leaks && best[k]->ops_s > top)
                top = best[k]->ops_s;
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
    if (!close_data(c, &af))
        return;
    char names[256] = "";
    for (size_t k = 0; k < c->ncollectors; k++)
        appendf(names, sizeof names, "%s%s", k ? " " : "", c->collectors[k]);
    char vars[8192] = "";
    var_s(vars, sizeof vars, "file", path);
    var_s(vars, sizeof vars, "collectors", names);
    /* Per panel, the collectors with at least one value: no pauses at all
     * (refcount without cascades) leaves the p99 panel nothing to draw. */
    for (int m = 0; m < 4; m++) {
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
                appendf(list, sizeof list, "%s%s", list[0] ? " " : "", c->collectors[k]);
        }
        snprintf(var, sizeof var, "collectors_%d", m + 1);
        var_s(vars, sizeof vars, var, list);
    }
    render(c, "collectors", "collectors.gp", 1500, 1000, vars, "Collectors side by side",
           "For each workload, the fastest configuration of each collector: throughput relative "
           "to the fastest that does not leak (its ops/s under the workload's name), p99 pause "
           "(log scale; no bar: no pauses), peak live memory, and memory leaked (reference "
           "counting cannot reclaim cycles, so its speed is not a choice).",
           NULL);
}

/* ---- the whole directory ------------------------------------------------- */

int gct_plot_dir(const char *dir, const gct_plot_opts *o, gct_plot_result *res, char *err,
                 size_t errlen)
{
    memset(res, 0, sizeof *res);
    ctx c;
    memset(&c, 0, sizeof c);
    c.dir = dir;
    c.o = o;
    c.res = res;
    c.scripts = o->scripts ? o->scripts : getenv("GCTUNE_PLOTS");
    if (!c.scripts || !*c.scripts)
        c.scripts = GCT_PLOTS_DIR;
    char probe[4400];
    snprintf(probe, sizeof probe, "%s/style.gp", c.scripts);
    if (access(probe, R_OK) != 0) {
        snprintf(err, errlen, "the gnuplot scripts are not in %s (set GCTUNE_PLOTS to the "
                              "plots/ folder of the gctune sources)",
                 c.scripts);
        return -2;
    }
    if (strchr(dir, '\'')) {
        snprintf(err, errlen, "%s: a directory name with a quote cannot be handed to gnuplot", dir);
        return -1;
    }
    c.gnuplot = gct_gnuplot_path();
    if (!c.gnuplot) {
        snprintf(err, errlen, "gnuplot is not installed (Debian: apt-get install gnuplot-nox)");
        return -2;
    }
    gct_summary sum;
    if (gct_summary_load(dir, &sum, err, errlen) != 0)
        return -1;
    snprintf(c.plotdir, sizeof c.plotdir, "%s/plots", dir);
    snprintf(c.datadir, sizeof c.datadir, "%s/data", c.plotdir);
    if (gct_mkdirs(c.datadir, err, errlen) != 0) {
        gct_summary_free(&sum);
        return -1;
    }
    /* The figures show configurations that ran, without the A/A twins (a
     * second point on top of the first). */
    agg *shown = calloc(sum.n ? sum.n : 1, sizeof *shown);
    if (!shown)
        abort();
    for (size_t i = 0; i < sum.n; i++)
        if (sum.configs[i].n && !sum.configs[i].aa_of[0])
            shown[c.naggs++] = sum.configs[i]; /* shallow: sum owns the strings */
    c.aggs = shown;
    c.workloads = sum.workloads;
    c.nworkloads = sum.nworkloads;
    c.collectors = sum.collectors;
    /* Figures show at most MAX_COLLECTORS collectors (the registry has four). */
    c.ncollectors = sum.ncollectors < MAX_COLLECTORS ? sum.ncollectors : MAX_COLLECTORS;
    if (!c.naggs) {
        snprintf(err, errlen, "%s holds no successful run to plot", dir);
        free(shown);
        gct_summary_free(&sum);
        return -1;
    }
    fig_collectors(&c);
    fig_throughput(&c);
    for (size_t w = 0; w < c.nworkloads; w++) {
        const char *wl = c.workloads[w];
        fig_pause_cdf(&c, wl);
        fig_timeline(&c, wl);
        fig_heatmaps(&c, wl);
        fig_tradeoff(&c, wl);
        fig_mmu(&c, wl);
    }
    free(shown);
    gct_summary_free(&sum);
    return 0;
}

void gct_plot_result_free(gct_plot_result *res)
{
    free(res->figs);
    memset(res, 0, sizeof *res);
}
