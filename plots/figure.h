/*
 * figure.h — inside plots/: the figure table and what its parts share.
 *
 * Every figure is one row of figure_table (figures.c): its name (the file
 * stem), its title, the gnuplot script that draws it (axes, scales and
 * styles live there; it reads its data by column name), whether it is drawn
 * once or once per workload, its size, its variants, and its data step (the
 * function that picks the configurations it shows, writes them under
 * OUT/plots/data/ and hands the script its variables and the caption).
 * plot.c draws any row (plot_draw); gnuplot.c is the drawing backend; select.c
 * picks configurations from the result model for the data steps.
 *
 * Adding a figure: its script plots/<name>.gp, its data step (in
 * figures-model.c for figures of the result model, figures-pauses.c for
 * figures of the pauses files, figures-transfer.c for a model against the
 * real interpreter; declared below) and one row of figure_table.
 */
#ifndef GCT_PLOT_FIGURE_H
#define GCT_PLOT_FIGURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "files.h"
#include "pauses.h"
#include "plot.h"
#include "summary.h"

typedef gct_config_summary agg;

#define MAX_COLLECTORS 8 /* per figure; the registry has four */

/* One gct_plot_dir: the result directory and the model the figures show. */
typedef struct plot_ctx {
    const char *dir;
    char plotdir[4096], datadir[4200];
    const char *scripts; /* the folder of the .gp scripts */
    const char *copied[32]; /* the scripts copied into datadir so far (static names) */
    size_t ncopied;
    const gct_plot_opts *o;
    gct_plot_result *res;
    const char *gnuplot;
    agg *aggs; /* configurations that ran, without A/A twins */
    size_t naggs;
    const char **workloads;
    size_t nworkloads;
    const char **collectors; /* at most MAX_COLLECTORS */
    size_t ncollectors;
    const gct_summary *sum;  /* the whole model (A/A twins too) */
    gct_versions versions;   /* the CPython version of each collector */
    gct_results rows;        /* results.csv: the samples the recommendations test */
    bool have_rows;          /* false: unreadable, nothing is recommended (noted) */
    double max_p99_us;       /* the recommendation's pause budget */
} plot_ctx;

/* One of the figures a row draws per workload (heatmap-ops, heatmap-p99...):
 * a quantity of a configuration. */
typedef struct figure_variant {
    const char *key;    /* in the stem: <name>-<key>-<workload> */
    const char *metric; /* as titles name it: "<metric> <row title>, <workload>" */
    const char *axis;   /* its axis label, or the colour bar's unit */
    const char *better; /* "high" or "low" (heatmap.gp colours the good end dark) */
    double (*value)(const agg *a);
    const char *noun;     /* how a caption names it, where not as `metric` */
    const char *lacking;  /* what a configuration without it lacks (skip notes) */
    const char *left_out; /* the caption's remark when such configurations were left out */
} figure_variant;

struct figure;

/* A row of the figure table. */
typedef struct figure_desc {
    const char *name;   /* the stem: <name>, <name>-<workload>, <name>-<key>-<workload> */
    const char *title;  /* "<title>" or "<title>, <workload>" (variants: see above) */
    const char *script; /* plots/<script>: how to draw (axes, scales, styles) */
    bool per_workload;  /* drawn for every workload, or once over all of them */
    int width, height;  /* pixels (PDF: inches x 100); the data step may change them */
    const figure_variant *variants; /* NULL: one figure per row (per workload) */
    size_t nvariants;
    /* Whether the row has anything to draw for a workload (NULL: always);
     * says why not with plot_note where that is news.  Once per workload,
     * before the variants. */
    bool (*applies)(plot_ctx *c, const char *wl);
    /* Which data: write the figure's data files, set its variables and
     * caption.  false: not drawn (plot_note says why, or the open/commit of
     * a data file did). */
    bool (*prepare)(plot_ctx *c, struct figure *fig);
} figure_desc;

extern const figure_desc figure_table[];
extern const size_t figure_table_n;

/* One figure being drawn: a row, its variant and workload. */
typedef struct figure {
    const figure_desc *desc;
    const figure_variant *variant; /* NULL: the row has none */
    const char *wl;                /* NULL: over every workload */
    char stem[200];
    char title[200];
    char caption[600]; /* one line: what to look at; set by the data step */
    char vars[16384];  /* gnuplot assignments for the script, one per line */
    int width, height;
} figure;

/* ---- the data steps (figure_desc.applies and .prepare) ------------------ */

/* A data step that has nothing to draw says why and returns false. */
#define FIG_SKIP(c, ...) (plot_note((c), __VA_ARGS__), false)

/* figures-model.c */
bool fig_prepare_collectors(plot_ctx *c, figure *fig);
bool fig_prepare_throughput(plot_ctx *c, figure *fig);
bool fig_heatmap_applies(plot_ctx *c, const char *wl);
bool fig_prepare_heatmap(plot_ctx *c, figure *fig);
bool fig_prepare_tradeoff(plot_ctx *c, figure *fig);
/* figures-upgrade.c */
bool fig_prepare_upgrade(plot_ctx *c, figure *fig);
/* figures-transfer.c */
bool fig_prepare_transfer(plot_ctx *c, figure *fig);
/* figures-memory.c */
bool fig_prepare_memory(plot_ctx *c, figure *fig);
bool fig_prepare_prefork(plot_ctx *c, figure *fig);
/* figures-pauses.c */
bool fig_prepare_pause_cdf(plot_ctx *c, figure *fig);
bool fig_prepare_pause_timeline(plot_ctx *c, figure *fig);
bool fig_prepare_mmu(plot_ctx *c, figure *fig);

/* ---- plot.c -------------------------------------------------------------- */

/* Draw one row of the table (every variant; wl NULL for rows over every
 * workload). */
void plot_draw(plot_ctx *c, const figure_desc *d, const char *wl);
/* Record why a figure was not drawn (or not drawn well). */
void plot_note(plot_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- gnuplot.c: the drawing backend -------------------------------------- */

/* Open OUT/plots/data/<name> (name from fmt) for writing as a gct_afile;
 * path receives <name> even when the open fails (noted): what the figure's
 * variables name it by, since the drivers run in OUT/plots/data. */
FILE *plot_data_open(plot_ctx *c, gct_afile *af, char *path, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Commit a data file; false (noted) when it could not be. */
bool plot_data_close(plot_ctx *c, gct_afile *af);
/* Append "name = 'value'" to the figure's variables. */
void fig_var(figure *fig, const char *name, const char *value);
/* Append a gnuplot assignment of any shape. */
void fig_varf(figure *fig, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy the script plots/<name> into OUT/plots/data/ (once per result
 * directory); false (noted) if it cannot be. */
bool plot_copy_script(plot_ctx *c, const char *name);
/* Run gnuplot on the figure for each format; record it if all came out. */
void plot_render(plot_ctx *c, const figure *fig);

/* The curves of a figure that draws one line per file: the variables
 * files, titles and colors (space-separated, in order). */
typedef struct fig_curves {
    char files[4096], titles[1024], colors[512];
    size_t n;
} fig_curves;
void fig_curve_add(fig_curves *cv, const char *path, const char *title, unsigned rgb);
void fig_curves_vars(figure *fig, const fig_curves *cv);
/* A collector's colour, as style.gp's collector_color. */
unsigned plot_collector_rgb(const char *name);

/* ---- select.c: configurations and pauses for the data steps -------------- */

/* Each collector's best configuration on wl (gct_summary_best_per_collector). */
size_t plot_best_per_collector(const plot_ctx *c, const char *wl, const agg **out);
/* The fastest configuration of one collector on wl, leaking or not. */
const agg *plot_fastest_of(const plot_ctx *c, const char *wl, const char *collector);

/* The gen0 x gen1 grid gencycle ran on a workload at one gen2. */
typedef struct gen_grid {
    int64_t gen2; /* -1: no gencycle configuration */
    int64_t gen0[256], gen1[256];
    size_t n0, n1;
} gen_grid;
/* The gen2 held fixed in the gen0/gen1 figures: 10 (CPython's default) if
 * swept, else the smallest; -1 without gencycle (wl NULL: every workload). */
int64_t plot_fixed_gen2(const plot_ctx *c, const char *wl);
/* The grid of wl at plot_fixed_gen2. */
void plot_gen_grid(const plot_ctx *c, const char *wl, gen_grid *g);
const agg *plot_find_gen(const plot_ctx *c, const char *wl, int64_t g0, int64_t g1, int64_t g2);

/* A CPython model's default and what to paste on one workload: the marks
 * of the trade-off figures and heatmaps, the curves of the pause figures.
 * The goal: highest throughput with p99 <= c->max_p99_us (results/tune.h,
 * the trust rule); marksweep and refcount are references, never marked. */
typedef struct plot_mark {
    const char *collector, *version;
    const agg *deflt;  /* the model at its defaults (in c->sum) */
    const agg *rec;    /* what to paste (NULL: nothing meets the budget) */
    bool same;         /* the recommendation is the default */
    char deflt_thr[48], rec_thr[48]; /* "700/10/10" */
    char text[600];    /* gct_recommendation.text */
} plot_mark;
#define MAX_MARKS 4
/* The CPython models of wl with a default that ran, in the model's order
 * of collectors; returns how many (at most max). */
size_t plot_marks(const plot_ctx *c, const char *wl, plot_mark *out, size_t max);
/* "p99 <= 10 ms": the budget as captions say it. */
void plot_budget_text(const plot_ctx *c, char *buf, size_t len);

/* What the pause and memory figures compare on wl: the first CPython
 * model's default and recommendation, named and coloured, or each
 * collector's fastest without one (select.c says how).  Returns how many;
 * *marked says which, *m the mark. */
size_t plot_picks(const plot_ctx *c, const char *wl, const agg **pick, char names[][96],
                  unsigned *rgb, plot_mark *m, bool *marked);
/* The caption's sentence on what plot_picks chose into said; the ids in
 * the figure's variable configs. */
void plot_picks_said(const plot_ctx *c, figure *fig, const agg *const *pick, size_t n,
                     const plot_mark *m, bool marked, char *said, size_t len);

/* OUT/pauses/<id>.csv */
void plot_pauses_path(const plot_ctx *c, const char *id, char *path, size_t len);
/* The same file as a driver in OUT/plots/data names it: ../../pauses/<id>.csv */
void plot_pauses_name(const char *id, char *name, size_t len);
/* Its rows; -1 (out emptied) if it is missing or unreadable. */
int plot_read_pauses(const plot_ctx *c, const char *id, gct_pause_rows *out);

#endif
