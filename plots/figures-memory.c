/* figures-memory.c — the data steps of the memory figures (see figure.h):
 * memory, from a model's memory pass (memory/<config-id>.csv,
 * results/memseries.h), and prefork, from the pre-fork runs' records. */
#include "figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "format.h"
#include "memseries.h"

/* OUT/memory/<id>.csv, and how a driver in OUT/plots/data names it. */
static void memory_path(const plot_ctx *c, const char *id, char *path, size_t len)
{
    snprintf(path, len, "%s/memory/%s.csv", c->dir, id);
}

bool fig_prepare_memory(plot_ctx *c, figure *fig)
{
    const agg *pick[MAX_COLLECTORS];
    char names[MAX_COLLECTORS][96];
    unsigned rgb[MAX_COLLECTORS];
    plot_mark mk;
    bool marked;
    size_t n = plot_picks(c, fig->wl, pick, names, rgb, &mk, &marked);
    size_t drawn = 0;
    double most = 0;
    const agg *most_of = NULL;
    for (size_t i = 0; i < n; i++) {
        char path[4400], err[600];
        memory_path(c, pick[i]->id, path, sizeof path);
        gct_mem_series s;
        if (access(path, R_OK) != 0 || gct_mem_series_read(path, &s, err, sizeof err) != 0)
            continue;
        for (size_t k = 0; k < s.n; k++)
            if ((double)s.rows[k].garbage_bytes > most) {
                most = (double)s.rows[k].garbage_bytes;
                most_of = pick[i];
            }
        gct_mem_series_free(&s);
        drawn++;
        char title[200];
        if (names[i][0])
            snprintf(title, sizeof title, "%.95s", names[i]);
        else
            gct_summary_label(pick[i], title, sizeof title);
        fig_varf(fig, "file_%zu = '../../memory/%s.csv'\ntitle_%zu = '%s'\ncolor_%zu = '#%06x'\n",
                 drawn, pick[i]->id, drawn, title, drawn, rgb[i]);
    }
    if (!drawn)
        return FIG_SKIP(c, "%s: skipped, no memory samples for %s (the models' memory pass "
                           "writes them; real interpreters have none)",
                        fig->stem, fig->wl);
    fig_varf(fig, "n = %zu\n", drawn);
    fig_var(fig, "wl", fig->wl);
    char said[300], most_text[32];
    plot_picks_said(c, fig, pick, n, &mk, marked, said, sizeof said);
    gct_fmt_bytes(most, most_text, sizeof most_text);
    snprintf(fig->caption, sizeof fig->caption,
             "Bytes alive over the operations (solid) and, of them, garbage awaiting collection "
             "(dashed), on %s of %s (a second, untimed run of each, sampled %d times). The most "
             "garbage at once: %s%s%s.",
             fig->wl, said, GCT_MEMORY_SAMPLES, most_text, most_of ? ", " : "",
             most_of ? most_of->id : "");
    return true;
}

/* ---- prefork ---------------------------------------------------------------- */

/* The least and most of field over the processes of id, in MiB. */
static void mib_range(const plot_ctx *c, const char *id, const char *field, double *lo,
                      double *hi)
{
    double *v = gct_xcalloc(c->rows.n + 1, sizeof *v);
    size_t n = gct_summary_samples(&c->rows, id, gct_result_field(field), v);
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        *lo = fmin(*lo, v[i] / (1 << 20));
        *hi = fmax(*hi, v[i] / (1 << 20));
    }
    free(v);
}

bool fig_prepare_prefork(plot_ctx *c, figure *fig)
{
    char path[4400];
    gct_afile af;
    FILE *f = NULL;
    size_t rows = 0;
    double workers = NAN;
    for (size_t i = 0; i < c->sum->n; i++) {
        const agg *a = &c->sum->configs[i];
        char knobs[512];
        const gct_stat *pd = gct_summary_stat(a, "private_dirty_bytes");
        if (strcmp(a->workload, fig->wl) || a->aa_of[0] || !pd || !isfinite(pd->median) ||
            gct_summary_knobs_but_freeze(a, knobs, sizeof knobs) != 0)
            continue;
        const agg *b = gct_summary_frozen_twin(c->sum, a, "private_dirty_bytes");
        if (!b)
            continue;
        if (!f && !(f = plot_data_open(c, &af, path, sizeof path, "%s.csv", fig->stem)))
            return false;
        if (!rows)
            fprintf(f, "label,no_mib,no_lo,no_hi,yes_mib,yes_lo,yes_hi\n");
        double alo, ahi, blo, bhi;
        mib_range(c, a->id, "private_dirty_bytes", &alo, &ahi);
        mib_range(c, b->id, "private_dirty_bytes", &blo, &bhi);
        char thr[48];
        gct_summary_thresholds(a, thr, sizeof thr);
        fprintf(f, "\"%s %s\",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", a->collector, thr,
                pd->median / (1 << 20), alo, ahi,
                gct_summary_stat(b, "private_dirty_bytes")->median / (1 << 20), blo, bhi);
        const gct_stat *w = gct_summary_stat(a, "prefork_workers");
        if (w && isfinite(w->median))
            workers = w->median;
        rows++;
    }
    if (!f)
        return false; /* no pre-fork run with and without freeze: nothing to say */
    if (!plot_data_close(c, &af))
        return false;
    fig_var(fig, "file", path);
    fig_var(fig, "wl", fig->wl);
    char w[16];
    snprintf(w, sizeof w, isfinite(workers) ? "%.0f" : "?", workers);
    fig_var(fig, "workers", w);
    snprintf(fig->caption, sizeof fig->caption,
             "What gc.freeze() saves each pre-fork worker on %s (--prefork): its private dirty "
             "memory without and with freeze, per collector and threshold setting; bars the "
             "medians over the processes, whiskers their least and most.",
             fig->wl);
    return true;
}
