/*
 * cost-check.c — the CPython cost model against the embedded CPython.
 *
 * For each workload: run it on gencycle and take the work of the
 * collections during its operations (per generation: collections, objects
 * examined, references traversed, objects freed); turn that work into the
 * time CPython's collector would spend (results/costmodel.h, the cached model
 * of this machine, calibrated first if there is none); then run the same
 * workload, seed and thresholds on the cpython backend, where the real 3.11
 * collector does the same collections, and time them.  Prints both side by
 * side, with cpython's own work counts checked against gencycle's.
 *
 * The operations are those of `gctune run` (the default preset's count per
 * workload, its default parameters, seed 1), so `gctune run -c gencycle -w W
 * --json` reports the same collections.
 *
 *   gct-cost-check [-w trees,dlist,cache] [--gen0 N] [--gen1 N] [--gen2 N]
 *                  [--ops N] [--seed S] [--reps R] [--python PATH]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "collector.h"
#include "costmodel.h"
#include "stats.h"
#include "sweep_spec.h"
#include "workload.h"

#define MAX_REPS 15

typedef struct measured {
    gct_gen_stats work[3]; /* the collections during the operations */
    double gc_ns[3];       /* their pauses, per generation */
    double cascade_ns;     /* reference-count cascades recorded as pauses */
    int64_t cascades;
} measured;

static int run_one(const char *collector, const gct_workload *wl, const double *params,
                   int64_t ops, uint64_t seed, const int64_t th[3], measured *m, char *err,
                   size_t errlen)
{
    memset(m, 0, sizeof *m);
    char k[3][48];
    const char *knobs[3];
    for (int i = 0; i < 3; i++) {
        snprintf(k[i], sizeof k[i], "gen%d=%" PRId64, i, th[i]);
        knobs[i] = k[i];
    }
    gct_heap *h = gct_heap_new(collector, knobs, 3, err, errlen);
    if (!h)
        return -1;
    gct_workload_run *run = gct_workload_start(wl, h, params, seed, err, errlen);
    if (!run) {
        gct_heap_destroy(h);
        return -1;
    }
    gct_heap_clear_pauses(h);
    gct_gen_stats before[3];
    memcpy(before, gct_heap_stats(h), sizeof before);
    gct_workload_ops(run, ops);
    for (int g = 0; g < 3; g++) {
        m->work[g].collections = gct_heap_stats(h)[g].collections - before[g].collections;
        m->work[g].collected = gct_heap_stats(h)[g].collected - before[g].collected;
        m->work[g].examined = gct_heap_stats(h)[g].examined - before[g].examined;
        m->work[g].traversed = gct_heap_stats(h)[g].traversed - before[g].traversed;
    }
    for (size_t i = 0; i < gct_heap_npauses(h); i++) {
        const gct_pause *p = &gct_heap_pauses(h)[i];
        if (p->kind <= GCT_PAUSE_GEN2) {
            m->gc_ns[p->kind] += (double)p->duration_ns;
        } else if (p->kind == GCT_PAUSE_CASCADE) {
            m->cascade_ns += (double)p->duration_ns;
            m->cascades++;
        }
    }
    gct_workload_free(run);
    gct_heap_destroy(h);
    return 0;
}

/* The model's time for one generation's work (the others none). */
static double predict_ms(const gct_costmodel *m, int g, const gct_gen_stats *w)
{
    int64_t ex[3] = {0, 0, 0}, tr[3] = {0, 0, 0}, fr[3] = {0, 0, 0}, co[3] = {0, 0, 0};
    ex[g] = w->examined;
    tr[g] = w->traversed;
    fr[g] = w->collected;
    co[g] = w->collections;
    return gct_costmodel_predict_s(m, ex, tr, fr, co) * 1e3;
}

static bool same_work(const measured *a, const measured *b)
{
    for (int g = 0; g < 3; g++)
        if (a->work[g].collections != b->work[g].collections ||
            a->work[g].collected != b->work[g].collected ||
            a->work[g].examined != b->work[g].examined ||
            a->work[g].traversed != b->work[g].traversed)
            return false;
    return true;
}

static double median_of(double *v, int n)
{
    gct_sort_doubles(v, (size_t)n);
    return gct_median_sorted(v, (size_t)n);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: gct-cost-check [-w trees,dlist,cache] [--gen0 N] [--gen1 N] [--gen2 N]\n"
                 "                      [--ops N] [--seed S] [--reps R] [--python PATH]\n");
}

int main(int argc, char **argv)
{
    const char *workloads = "trees,dlist,cache", *python = NULL;
    int64_t th[3] = {700, 10, 10}, ops_all = 0;
    uint64_t seed = 1;
    int reps = 5;
    static const struct option opts[] = {
        {"gen0", required_argument, NULL, '0'}, {"gen1", required_argument, NULL, '1'},
        {"gen2", required_argument, NULL, '2'}, {"ops", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 's'}, {"reps", required_argument, NULL, 'r'},
        {"python", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
        switch (c) {
        case 'w': workloads = optarg; break;
        case '0': case '1': case '2': th[c - '0'] = atoll(optarg); break;
        case 'o': ops_all = atoll(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'r': reps = atoi(optarg); break;
        case 'p': python = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "gct-cost-check: --reps must be 1..%d\n", MAX_REPS);
        return 2;
    }
    char err[1024];
    static gct_costmodel model;
    if (gct_costmodel_obtain(&model, true, python, err, sizeof err)) {
        fprintf(stderr, "gct-cost-check: %s\n", err);
        return 1;
    }
    bool have_cpython = gct_collector_find("cpython") != NULL;
    printf("cost model: %s %s on %s (%s), fitted %s, residual %.0f%%, held out %.0f%%\n",
           model.python, model.python_version, model.hostname, model.cpu, model.date,
           100 * model.residual, 100 * model.holdout_residual);
    printf("thresholds %" PRId64 "/%" PRId64 "/%" PRId64 ", seed %" PRIu64
           ", cpython: median of %d runs%s\n",
           th[0], th[1], th[2], seed, reps, have_cpython ? "" : " (backend not built: none)");
    gct_sweep_spec spec;
    gct_sweep_spec_init(&spec);
    if (gct_sweep_spec_apply_preset(&spec, "default", err, sizeof err)) {
        fprintf(stderr, "gct-cost-check: %s\n", err);
        return 1;
    }
    char list[256];
    snprintf(list, sizeof list, "%s", workloads);
    char *save = NULL;
    int failed = 0;
    for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        const gct_workload *wl = gct_workload_find(name);
        double params[GCT_WL_MAX_PARAMS];
        if (!wl || gct_workload_parse(wl, NULL, 0, params, err, sizeof err)) {
            fprintf(stderr, "gct-cost-check: unknown workload '%s'\n", name);
            return 2;
        }
        int64_t ops = ops_all ? ops_all : gct_sweep_spec_ops(&spec, name);
        char ptext[256];
        gct_workload_format_params(wl, params, ptext, sizeof ptext);
        measured model_run, real[MAX_REPS];
        if (run_one("gencycle", wl, params, ops, seed, th, &model_run, err, sizeof err)) {
            fprintf(stderr, "gct-cost-check: %s on gencycle: %s\n", name, err);
            return 1;
        }
        int nreal = 0;
        bool work_matches = true;
        for (int r = 0; have_cpython && r < reps; r++) {
            if (run_one("cpython", wl, params, ops, seed, th, &real[nreal], err, sizeof err)) {
                fprintf(stderr, "gct-cost-check: %s on cpython: %s\n", name, err);
                return 1;
            }
            work_matches = work_matches && same_work(&model_run, &real[nreal]);
            nreal++;
        }
        printf("\n%s (%s), %" PRId64 " ops\n", name, ptext, ops);
        printf("       %11s %11s %12s %10s  %12s %12s %12s %8s\n", "collections", "examined",
               "traversed", "freed", "gencycle ms", "predicted ms", "cpython ms", "cpy/pred");
        gct_gen_stats total = {0};
        double total_ms[3] = {0}; /* gencycle, predicted, cpython */
        for (int g = 0; g <= 3; g++) {
            const gct_gen_stats *w = g < 3 ? &model_run.work[g] : &total;
            double ms[3];
            if (g < 3) {
                ms[0] = model_run.gc_ns[g] / 1e6;
                ms[1] = predict_ms(&model, g, w);
                double v[MAX_REPS];
                for (int r = 0; r < nreal; r++)
                    v[r] = real[r].gc_ns[g] / 1e6;
                ms[2] = nreal ? median_of(v, nreal) : NAN;
                total.collections += w->collections;
                total.examined += w->examined;
                total.traversed += w->traversed;
                total.collected += w->collected;
                for (int i = 0; i < 3; i++)
                    total_ms[i] += ms[i];
                printf("gen%d  ", g);
            } else {
                /* The total of cpython is the median of the runs' totals. */
                double v[MAX_REPS];
                for (int r = 0; r < nreal; r++)
                    v[r] = (real[r].gc_ns[0] + real[r].gc_ns[1] + real[r].gc_ns[2]) / 1e6;
                total_ms[2] = nreal ? median_of(v, nreal) : NAN;
                memcpy(ms, total_ms, sizeof ms);
                printf("total ");
            }
            printf(" %11" PRId64 " %11" PRId64 " %12" PRId64 " %10" PRId64
                   "  %12.2f %12.2f %12.2f %8.2f\n",
                   w->collections, w->examined, w->traversed, w->collected, ms[0], ms[1], ms[2],
                   ms[2] / ms[1]);
        }
        if (nreal)
            printf("cpython's work counters %s gencycle's; cascades: %" PRId64
                   " on gencycle (%.2f ms), %" PRId64 " on cpython (not collections, not in "
                   "the columns)\n",
                   work_matches ? "equal" : "DIFFER FROM", model_run.cascades,
                   model_run.cascade_ns / 1e6, real[0].cascades);
        failed += !work_matches;
    }
    return failed ? 1 : 0;
}
