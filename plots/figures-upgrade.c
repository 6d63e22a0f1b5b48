/* figures-upgrade.c — the data step of the upgrade figure: the CPython
 * versions of a sweep side by side per workload, each at its default
 * thresholds (see figure.h; which versions and configurations:
 * results/upgrade.h, the same choice as the report's sentences). */
#include "figure.h"

#include <math.h>
#include <string.h>

#include "format.h"
#include "upgrade.h"

#define MAX_VERSIONS 8
#define MAX_KEYS 64

/* The four panels, as upgrade.gp names their columns. */
enum { PANELS = 4 };
static const char *const panel_cols[PANELS] = {"rel_ops", "p99_us", "pmax_us", "peak_mib"};

/* The statistic a panel shows of a configuration, and its interval;
 * throughput relative to ref (the oldest version's median on the workload). */
static void panel_value(int m, const agg *a, double ref, double v[3])
{
    static const char *const fields[PANELS] = {"ops_per_s", "pause_p99_us", "pause_max_us",
                                               "peak_bytes"};
    const gct_stat *st = gct_summary_stat(a, fields[m]);
    double scale = m == 0 ? (ref > 0 ? 1 / ref : NAN) : m == 3 ? 1.0 / (1 << 20) : 1;
    v[0] = st->median * scale;
    v[1] = st->lo * scale;
    v[2] = st->hi * scale;
}

/* One cell triple: empty where there is nothing to draw (no pauses have no
 * place on a log axis). */
static void write_cell(FILE *f, int m, const double v[3])
{
    bool none = !isfinite(v[0]) || ((m == 1 || m == 2) && !(v[0] > 0));
    if (none)
        fprintf(f, ",,,");
    else
        fprintf(f, ",%.6g,%.6g,%.6g", v[0], v[1], v[2]);
}

/* upgrade.csv: a row per workload that two versions or more ran at their
 * defaults; returns how many rows, and which panels each version has data
 * in (has[m][k]). */
static size_t upgrade_csv(const plot_ctx *c, FILE *f, const gct_upgrade_end *v, size_t nv,
                          bool has[PANELS][MAX_VERSIONS])
{
    fprintf(f, "workload,label");
    for (size_t k = 0; k < nv; k++)
        for (int m = 0; m < PANELS; m++)
            fprintf(f, ",%s_%zu,%s_lo_%zu,%s_hi_%zu", panel_cols[m], k + 1, panel_cols[m], k + 1,
                    panel_cols[m], k + 1);
    fprintf(f, "\n");
    static gct_upgrade_key keys[MAX_KEYS];
    size_t nk = gct_upgrade_keys(c->sum, keys, MAX_KEYS), rows = 0;
    for (size_t i = 0; i < nk; i++) {
        const agg *at[MAX_VERSIONS];
        size_t ran = 0;
        double ref = NAN;
        for (size_t k = 0; k < nv; k++) {
            at[k] = gct_upgrade_config(c->sum, v[k].collector, NULL, &keys[i]);
            if (at[k]) {
                ran++;
                if (isnan(ref))
                    ref = at[k]->ops_s;
            }
        }
        if (ran < 2)
            continue;
        char ops[32];
        gct_fmt_count(ref, ops, sizeof ops);
        fprintf(f, "%s,%s %s/s", keys[i].workload, keys[i].label, ops);
        for (size_t k = 0; k < nv; k++)
            for (int m = 0; m < PANELS; m++) {
                double x[3] = {NAN, NAN, NAN};
                if (at[k])
                    panel_value(m, at[k], ref, x);
                write_cell(f, m, x);
                has[m][k] |= isfinite(x[0]) && (m == 0 || m == 3 || x[0] > 0);
            }
        fprintf(f, "\n");
        rows++;
    }
    return rows;
}

bool fig_prepare_upgrade(plot_ctx *c, figure *fig)
{
    gct_upgrade_side side = {.name = "the sweep", .dir = c->dir, .sum = c->sum,
                             .ver = &c->versions};
    gct_upgrade_end v[MAX_VERSIONS];
    char left_out[256];
    size_t nv = gct_upgrade_versions(&side, v, MAX_VERSIONS, left_out, sizeof left_out);
    if (nv < 2)
        return false; /* one CPython version or none: no upgrade to show, nothing to say */
    char path[4400];
    gct_afile af;
    FILE *f = plot_data_open(c, &af, path, sizeof path, "%s.csv", fig->stem);
    if (!f)
        return false;
    bool has[PANELS][MAX_VERSIONS] = {{false}};
    size_t rows = upgrade_csv(c, f, v, nv, has);
    if (!plot_data_close(c, &af))
        return false;
    if (!rows)
        return FIG_SKIP(c, "upgrade: skipped, no workload ran two CPython versions at their "
                           "default thresholds");
    fig_var(fig, "file", path);
    fig_varf(fig, "nversions = %zu\narray vlabel[%zu]\n", nv, nv);
    for (size_t k = 0; k < nv; k++)
        fig_varf(fig, "vlabel[%zu] = '%s (%s)'\n", k + 1, v[k].version, v[k].collector);
    /* versions_<m>: the versions with something to draw in panel m. */
    for (int m = 0; m < PANELS; m++) {
        char list[64] = "";
        for (size_t k = 0; k < nv; k++)
            if (has[m][k])
                gct_appendf(list, sizeof list, "%s%zu", list[0] ? " " : "", k + 1);
        fig_varf(fig, "versions_%d = '%s'\n", m + 1, list);
    }
    fig_var(fig, "oldest", v[0].version);
    snprintf(fig->caption, sizeof fig->caption,
             "Per workload, each CPython version at its default thresholds, oldest first: "
             "throughput relative to %s (its ops/s under the workload's name), p99 and max pause "
             "(log scale; no bar: no pauses) and peak live memory; bars are medians over "
             "processes, whiskers their intervals. Which differences are real: the sentences "
             "with this figure",
             v[0].version);
    if (left_out[0])
        gct_appendf(fig->caption, sizeof fig->caption, "; left out, one collector per version: %s",
                    left_out);
    gct_appendf(fig->caption, sizeof fig->caption, ".");
    return true;
}
