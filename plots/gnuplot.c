/* gnuplot.c — the drawing backend: data files, gnuplot drivers and running
 * gnuplot (see figure.h). */
#define _GNU_SOURCE
#include "figure.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "format.h"

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

/* ---- data files and variables -------------------------------------------- */

FILE *plot_data_open(plot_ctx *c, gct_afile *af, char *path, size_t len, const char *fmt, ...)
{
    char name[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    /* path gets the name alone: the drivers run in the data folder. */
    snprintf(path, len, "%s", name);
    char full[4600], err[300];
    snprintf(full, sizeof full, "%s/%s", c->datadir, name);
    FILE *f = gct_afile_open(af, full, err, sizeof err);
    if (!f)
        plot_note(c, "%s", err);
    return f;
}

/* OUT/plots/data/<name>: a copy of the script <name> from the scripts folder,
 * once per gct_plot_dir (written whole or not at all), so that the drivers
 * there load it by its name alone and a moved result directory still
 * redraws.  false (noted) if it cannot be copied. */
bool plot_copy_script(plot_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->ncopied; i++)
        if (!strcmp(c->copied[i], name))
            return true;
    char src[4400], dst[4600], err[4700];
    snprintf(src, sizeof src, "%s/%s", c->scripts, name);
    snprintf(dst, sizeof dst, "%s/%s", c->datadir, name);
    size_t len = 0;
    char *text = gct_read_file(src, &len, err, sizeof err);
    if (!text) {
        plot_note(c, "%s", err);
        return false;
    }
    gct_afile af;
    FILE *f = gct_afile_open(&af, dst, err, sizeof err);
    if (!f) {
        free(text);
        plot_note(c, "%s", err);
        return false;
    }
    size_t wrote = fwrite(text, 1, len, f);
    free(text);
    if (wrote != len) {
        gct_afile_abort(&af);
        plot_note(c, "%s: cannot write: %s", dst, strerror(errno));
        return false;
    }
    if (gct_afile_commit(&af, err, sizeof err) != 0) {
        plot_note(c, "%s", err);
        return false;
    }
    if (c->ncopied < sizeof c->copied / sizeof c->copied[0])
        c->copied[c->ncopied++] = name;
    return true;
}

bool plot_data_close(plot_ctx *c, gct_afile *af)
{
    char err[300];
    if (gct_afile_commit(af, err, sizeof err) != 0) {
        plot_note(c, "%s", err);
        return false;
    }
    return true;
}

void fig_var(figure *fig, const char *name, const char *value)
{
    size_t used = strlen(fig->vars);
    snprintf(fig->vars + used, sizeof fig->vars - used, "%s = '%s'\n", name, value);
}

void fig_varf(figure *fig, const char *fmt, ...)
{
    size_t used = strlen(fig->vars);
    if (used >= sizeof fig->vars)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fig->vars + used, sizeof fig->vars - used, fmt, ap);
    va_end(ap);
}

void fig_curve_add(fig_curves *cv, const char *path, const char *title, unsigned rgb)
{
    const char *sep = cv->n ? " " : "";
    gct_appendf(cv->files, sizeof cv->files, "%s%s", sep, path);
    gct_appendf(cv->titles, sizeof cv->titles, "%s%s", sep, title);
    gct_appendf(cv->colors, sizeof cv->colors, "%s%u", sep, rgb);
    cv->n++;
}

void fig_curves_vars(figure *fig, const fig_curves *cv)
{
    fig_var(fig, "files", cv->files);
    fig_var(fig, "titles", cv->titles);
    fig_var(fig, "colors", cv->colors);
}

unsigned plot_collector_rgb(const char *name)
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

/* ---- gnuplot -------------------------------------------------------------- */

typedef struct format {
    const char *ext, *terminal;
    bool pdf; /* sized in inches (pixels / 100); drawn only with --pdf */
} format;

static const format formats[] = {
    {"svg", "svg size %d,%d dynamic enhanced font 'DejaVu Sans,12' background rgb 'white'", false},
    {"png", "pngcairo size %d,%d enhanced font 'DejaVu Sans,11' background rgb 'white'", false},
    {"pdf", "pdfcairo size %.2fin,%.2fin enhanced font 'DejaVu Sans,9'", true},
};

/* The figure's paths in one format.  driver and out are as the driver
 * names them, relative to the data folder, where gnuplot runs; errpath is
 * gctune's (under the result directory as given). */
typedef struct drawing {
    char driver[300], out[300], errpath[4608];
    char driver_path[4608], out_path[4608]; /* as gctune reaches them */
} drawing;

/* OUT/plots/data/<stem>.<ext>.gp: the terminal, the output, the script's
 * variables, style.gp and the script, every path relative to that folder
 * (the copies of style.gp and the script are there too), so that
 * `cd OUT/plots/data && gnuplot <stem>.<ext>.gp` redraws the figure from a
 * copied or moved result directory.  Written whole or not at all; false
 * (noted) if it cannot be written. */
static bool write_driver(plot_ctx *c, const figure *fig, const format *fmt, const drawing *dr)
{
    if (!plot_copy_script(c, "style.gp") || !plot_copy_script(c, fig->desc->script))
        return false;
    char term[200];
    if (fmt->pdf)
        snprintf(term, sizeof term, fmt->terminal, fig->width / 100.0, fig->height / 100.0);
    else
        snprintf(term, sizeof term, fmt->terminal, fig->width, fig->height);
    char err[4700];
    gct_afile af;
    FILE *f = gct_afile_open(&af, dr->driver_path, err, sizeof err);
    if (!f) {
        plot_note(c, "%s", err);
        return false;
    }
    /* The result directory as it was given (plot_setup refused quotes). */
    fprintf(f, "# Redraw with: cd '%s/plots/data' && gnuplot '%s'\nset terminal %s\n"
               "set output '%s'\n%s\nload 'style.gp'\nload '%s'\nset output\n",
            c->dir, dr->driver, term, dr->out, fig->vars, fig->desc->script);
    if (gct_afile_commit(&af, err, sizeof err) != 0) {
        plot_note(c, "%s", err);
        return false;
    }
    return true;
}

/* Run gnuplot on the driver in the data folder (the driver's paths are
 * relative to it), its stderr to errpath; true if it drew the output. */
static bool run_gnuplot(const plot_ctx *c, const drawing *dr)
{
    unlink(dr->out_path);
    fflush(NULL); /* or the child's freopen would write our buffered output again */
    pid_t pid = fork();
    if (pid == 0) {
        FILE *e = freopen(dr->errpath, "w", stderr);
        (void)e;
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        if (chdir(c->datadir) != 0) {
            fprintf(stderr, "%s: %s\n", c->datadir, strerror(errno));
            _exit(127);
        }
        execl(c->gnuplot, "gnuplot", dr->driver, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    struct stat sb;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 && stat(dr->out_path, &sb) == 0 &&
           sb.st_size >= 200;
}

/* Note what gnuplot said last. */
static void gnuplot_failed(plot_ctx *c, const figure *fig, const format *fmt, const drawing *dr)
{
    char line[256] = "", last[256] = "";
    FILE *e = fopen(dr->errpath, "r");
    while (e && fgets(line, sizeof line, e))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    if (e)
        fclose(e);
    last[strcspn(last, "\n")] = 0;
    plot_note(c, "%s.%s: gnuplot failed (%s); see %s", fig->stem, fmt->ext,
              last[0] ? last : "no output", dr->errpath);
    c->res->failed++;
}

/* One format of the figure: OUT/plots/<stem>.<ext>. */
static bool draw_format(plot_ctx *c, const figure *fig, const format *fmt)
{
    drawing dr;
    snprintf(dr.driver, sizeof dr.driver, "%s.%s.gp", fig->stem, fmt->ext);
    snprintf(dr.out, sizeof dr.out, "../%s.%s", fig->stem, fmt->ext);
    snprintf(dr.driver_path, sizeof dr.driver_path, "%s/%s", c->datadir, dr.driver);
    snprintf(dr.out_path, sizeof dr.out_path, "%s/%s.%s", c->plotdir, fig->stem, fmt->ext);
    snprintf(dr.errpath, sizeof dr.errpath, "%s/%s.%s.log", c->datadir, fig->stem, fmt->ext);
    if (!write_driver(c, fig, fmt, &dr))
        return false;
    if (!run_gnuplot(c, &dr)) {
        gnuplot_failed(c, fig, fmt, &dr);
        return false;
    }
    unlink(dr.errpath);
    return true;
}

static void record_figure(plot_ctx *c, const figure *fig)
{
    gct_plot_result *res = c->res;
    if (res->n == res->cap) {
        res->cap = res->cap ? res->cap * 2 : 32;
        res->figs = gct_xrealloc(res->figs, res->cap, sizeof *res->figs);
    }
    gct_figure *out = &res->figs[res->n++];
    /* gct_figure's stem is shorter than a figure's (a workload name of 100
     * characters would be cut here). */
    snprintf(out->stem, sizeof out->stem, "%.*s", (int)sizeof out->stem - 1, fig->stem);
    snprintf(out->title, sizeof out->title, "%s", fig->title);
    snprintf(out->caption, sizeof out->caption, "%s", fig->caption);
    snprintf(out->workload, sizeof out->workload, "%s", fig->wl ? fig->wl : "");
}

void plot_render(plot_ctx *c, const figure *fig)
{
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        if (formats[k].pdf && !c->o->pdf)
            continue;
        if (!draw_format(c, fig, &formats[k]))
            return;
    }
    record_figure(c, fig);
}
