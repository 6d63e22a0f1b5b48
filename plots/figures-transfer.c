/* figures-transfer.c — the data step of transfer-<workload>: a CPython
 * model against the real interpreter of its version over one threshold
 * grid, one point per setting, each side relative to its own default (see
 * figure.h; which pairs, which settings and rho: results/transfer.h, the
 * numbers of gctune transfer). */
#include "figure.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "format.h"
#include "transfer.h"

#define MAX_PAIRS 4

/* The pairs of the directory (none without the interpreter lookup). */
static size_t pairs_of(const plot_ctx *c, gct_transfer_pair *p)
{
    if (!c->o->interpreter_lookup)
        return 0;
    return gct_transfer_pairs(c->sum, c->o->version_lookup, c->o->interpreter_lookup, p,
                              MAX_PAIRS);
}

/* One side's statistic of a setting and the same side's default: median,
 * lo, hi relative to the default's median (NaN where there is none). */
static void relative(const gct_stat *st, const gct_stat *def, double v[3])
{
    double ref = def && isfinite(def->median) && def->median > 0 ? def->median : NAN;
    v[0] = st ? st->median / ref : NAN;
    v[1] = st ? st->lo / ref : NAN;
    v[2] = st ? st->hi / ref : NAN;
}

/* The axis range of a panel: x and y share it (so that y = x is the
 * diagonal), over every value and interval, padded; log where the values
 * span more than a decade. */
typedef struct panel_range {
    double lo, hi;
    bool log;
} panel_range;

static void range_add(panel_range *r, const double v[3])
{
    for (int i = 0; i < 3; i++)
        if (isfinite(v[i]) && v[i] > 0) {
            r->lo = v[i] < r->lo ? v[i] : r->lo;
            r->hi = v[i] > r->hi ? v[i] : r->hi;
        }
}

static void range_finish(panel_range *r)
{
    if (!(r->lo <= r->hi)) {
        r->lo = 0.5;
        r->hi = 1.5;
    }
    r->log = r->hi > 10 * r->lo;
    if (r->log) {
        r->lo /= 1.25;
        r->hi *= 1.25;
    } else {
        double pad = (r->hi - r->lo) * 0.08 + 0.01;
        r->lo -= pad;
        r->hi += pad;
    }
}

/* A cell triple, empty where the value has no place on the panel. */
static void write_triple(FILE *f, const double v[3])
{
    if (isfinite(v[0]) && v[0] > 0)
        fprintf(f, ",%.6g,%.6g,%.6g", v[0], isfinite(v[1]) ? v[1] : v[0],
                isfinite(v[2]) ? v[2] : v[0]);
    else
        fprintf(f, ",,,");
}

/* The points of one pair on wl: <stem>-<k>.csv; the ranges of the two
 * panels, how many settings had a GC time on both sides.  false (noted)
 * when there is nothing to draw. */
static bool pair_points(plot_ctx *c, const figure *fig, const gct_transfer_pair *p, size_t k,
                        char *path, size_t len, panel_range r[2], size_t *with_gc,
                        const char **no_gc)
{
    size_t cap = c->sum->n + 1;
    const gct_config_summary **mc = gct_xcalloc(cap, sizeof *mc);
    const gct_config_summary **rc = gct_xcalloc(cap, sizeof *rc);
    size_t n = gct_transfer_points(c->sum, fig->wl, p->model, p->real, mc, rc, cap);
    size_t def = SIZE_MAX;
    bool one_gen2 = true;
    for (size_t i = 0; i < n; i++) {
        if (mc[i]->defaults)
            def = i;
        one_gen2 = one_gen2 && mc[i]->gen2 == mc[0]->gen2;
    }
    bool ok = false;
    if (n < 2)
        plot_note(c, "%s: %s against %s skipped, %zu setting%s both ran (needs 2)", fig->stem,
                  p->model, p->real, n, n == 1 ? "" : "s");
    else if (def == SIZE_MAX)
        plot_note(c, "%s: %s against %s skipped, the default thresholds did not run on both (every "
                     "point is relative to them)",
                  fig->stem, p->model, p->real);
    else
        ok = true;
    gct_afile af;
    FILE *f = ok ? plot_data_open(c, &af, path, len, "%s-%zu.csv", fig->stem, k) : NULL;
    if (!f) {
        free(mc);
        free(rc);
        return false;
    }
    fprintf(f, "label,default,mx,mx_lo,mx_hi,ry,ry_lo,ry_hi,mg,mg_lo,mg_hi,rg,rg_lo,rg_hi\n");
    const gct_stat *mgd = gct_transfer_gc_stat(mc[def], true);
    const gct_stat *rgd = gct_transfer_gc_stat(rc[def], false);
    gct_stat mod = {mc[def]->ops_s, mc[def]->ops_lo, mc[def]->ops_hi};
    gct_stat rod = {rc[def]->ops_s, rc[def]->ops_lo, rc[def]->ops_hi};
    *with_gc = 0;
    bool m0 = !(mgd && mgd->median > 0), r0 = !(rgd && rgd->median > 0);
    *no_gc = m0 && r0 ? "no GC time at the default thresholds on either side"
             : m0     ? "no GC time at the default thresholds on the model"
             : r0     ? "no GC time at the default thresholds on the real one"
                      : "";
    for (size_t i = 0; i < n; i++) {
        char label[64];
        snprintf(label, sizeof label, "%" PRId64 "/%" PRId64, mc[i]->gen0, mc[i]->gen1);
        if (!one_gen2)
            gct_appendf(label, sizeof label, "/%" PRId64, mc[i]->gen2);
        gct_stat mo = {mc[i]->ops_s, mc[i]->ops_lo, mc[i]->ops_hi};
        gct_stat ro = {rc[i]->ops_s, rc[i]->ops_lo, rc[i]->ops_hi};
        double v[4][3];
        relative(&mo, &mod, v[0]);
        relative(&ro, &rod, v[1]);
        relative(gct_transfer_gc_stat(mc[i], true), mgd, v[2]);
        relative(gct_transfer_gc_stat(rc[i], false), rgd, v[3]);
        fprintf(f, "%s,%d", label, i == def);
        for (int m = 0; m < 4; m++)
            write_triple(f, v[m]);
        fprintf(f, "\n");
        range_add(&r[0], v[0]);
        range_add(&r[0], v[1]);
        if (v[2][0] > 0 && v[3][0] > 0) { /* a point needs both sides */
            range_add(&r[1], v[2]);
            range_add(&r[1], v[3]);
            (*with_gc)++;
        }
    }
    free(mc);
    free(rc);
    range_finish(&r[0]);
    range_finish(&r[1]);
    return plot_data_close(c, &af);
}

/* rho as a title and a caption say it. */
static void rho_text(double rho, char *buf, size_t len)
{
    if (isfinite(rho))
        snprintf(buf, len, "%.2f", rho);
    else
        snprintf(buf, len, "n/a");
}

/* The comparison of pair p on wl (gctune transfer's row), or NULL. */
static const gct_transfer *transfer_of(const plot_ctx *c, const gct_transfer_pair *p,
                                       const char *wl, gct_transfer *t, size_t max)
{
    size_t n = gct_transfer_compare(&c->rows, c->sum, p->model, p->real, t, max);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].workload, wl))
            return &t[i];
    return NULL;
}

bool fig_prepare_transfer(plot_ctx *c, figure *fig)
{
    gct_transfer_pair pairs[MAX_PAIRS];
    size_t np = pairs_of(c, pairs);
    if (!np)
        return false; /* no model and real interpreter of one version: nothing to say */
    gct_transfer *t = gct_xcalloc(c->nworkloads + 1, sizeof *t);
    char files[2048] = "";
    size_t rows = 0;
    for (size_t k = 0; k < np; k++) {
        const gct_transfer *tr = transfer_of(c, &pairs[k], fig->wl, t, c->nworkloads + 1);
        if (!tr)
            continue; /* this pair did not both run the workload */
        char path[4400];
        panel_range r[2] = {{INFINITY, -INFINITY, false}, {INFINITY, -INFINITY, false}};
        size_t with_gc = 0;
        const char *no_gc = "";
        if (!pair_points(c, fig, &pairs[k], rows + 1, path, sizeof path, r, &with_gc, &no_gc))
            continue;
        rows++;
        char ro[16], rg[16];
        rho_text(tr->rho_ops, ro, sizeof ro);
        rho_text(tr->rho_gc, rg, sizeof rg);
        const char *ver = c->o->interpreter_lookup(pairs[k].real);
        gct_appendf(files, sizeof files, "%s%s", rows > 1 ? " " : "", path);
        fig_varf(fig, "model[%zu] = '%s'\nreal[%zu] = '%s'\nversion[%zu] = '%s'\n", rows,
                 pairs[k].model, rows, pairs[k].real, rows, ver ? ver : "?");
        if (!with_gc && !no_gc[0])
            no_gc = "no setting with a GC time on both sides";
        fig_varf(fig, "rho_ops[%zu] = '%s'\nrho_gc[%zu] = '%s'\nno_gc[%zu] = '%s'\n", rows, ro,
                 rows, rg, rows, no_gc);
        for (int m = 0; m < 2; m++)
            fig_varf(fig, "lo_%d[%zu] = %.6g\nhi_%d[%zu] = %.6g\nlog_%d[%zu] = %d\n", m + 1, rows,
                     r[m].lo, m + 1, rows, r[m].hi, m + 1, rows, r[m].log);
        gct_appendf(fig->caption, sizeof fig->caption,
                    "%s%s (model) against %s (real CPython %s): %zu settings, rho throughput %s, "
                    "rho GC time %s",
                    rows > 1 ? "; " : "", pairs[k].model, pairs[k].real, ver ? ver : "?",
                    tr->pairs, ro, rg);
        if (no_gc[0])
            gct_appendf(fig->caption, sizeof fig->caption, " (GC time not drawn: %s)", no_gc);
        else if (with_gc < tr->pairs)
            gct_appendf(fig->caption, sizeof fig->caption, " (%zu without a GC time on both sides "
                                                           "left out of the right panel)",
                        tr->pairs - with_gc);
    }
    free(t);
    if (!rows)
        return false; /* noted by pair_points, or no pair ran this workload */
    /* The arrays are declared before their elements (the variables are
     * written in order): prepend the declarations. */
    char decl[512];
    snprintf(decl, sizeof decl,
             "npairs = %zu\nwl = '%s'\narray model[%zu]\narray real[%zu]\n"
             "array version[%zu]\narray rho_ops[%zu]\narray rho_gc[%zu]\narray no_gc[%zu]\n"
             "array lo_1[%zu]\narray hi_1[%zu]\narray log_1[%zu]\narray lo_2[%zu]\n"
             "array hi_2[%zu]\narray log_2[%zu]\n",
             rows, fig->wl, rows, rows, rows, rows, rows, rows, rows, rows, rows, rows, rows,
             rows);
    char vars[sizeof fig->vars];
    snprintf(vars, sizeof vars, "%s", fig->vars);
    fig->vars[0] = 0;
    fig_varf(fig, "%s", decl);
    fig_var(fig, "files", files);
    fig_varf(fig, "%s", vars);
    fig->width = 1400;
    fig->height = 720 * (int)rows;
    gct_appendf(fig->caption, sizeof fig->caption,
                ". Each point is a threshold setting (gen0/gen1), relative to its own side's "
                "default (ringed), model on x, real on y, bars the intervals over processes. "
                "Points on a rising line: the model ranks the settings as the real one does; a "
                "flat cloud: the real interpreter cannot tell them apart within its noise. "
                "Dashed: y = x.");
    return true;
}
