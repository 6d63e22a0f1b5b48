/*
 * cmd_calibrate.c — `gctune calibrate`: measure what CPython's cycle
 * collector costs on this machine, fit the cost model and cache it
 * (calibrate.h, results/costmodel.h).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calibrate.h"
#include "cli.h"

static void help(FILE *out)
{
    fprintf(out,
            "usage: gctune calibrate [--python PATH] [--show] [--json]\n\n"
            "Measure what CPython's cycle collector costs on this machine and fit the cost\n"
            "model that turns a collector's work into CPython's time:\n\n"
            "  ns = sum over generations g of  object[g] x objects examined\n"
            "                                + reference[g] x references traversed\n"
            "                                + freed[g] x objects freed\n"
            "                                + collection[g] x collections\n\n"
            "The interpreter times gc.collect() of lists of 1 to 8 references, live and\n"
            "dead, young and old (a few seconds); the coefficients are a non-negative\n"
            "least-squares fit of the relative error, and held-out measurements test it.\n"
            "The model is cached for this machine and interpreter in\n"
            "${XDG_CACHE_HOME:-$HOME/.cache}/gctune/cpython-cost.json.\n\n"
            "  --python PATH   the interpreter to measure (default: python3 on PATH)\n"
            "  --show          print the cached model instead of measuring\n"
            "  --json          print the model as JSON\n\n"
            "Exit status: 0 ok, 1 no interpreter, the measurement failed or (--show)\n"
            "nothing is cached, 2 bad usage.\n");
}

enum { O_PYTHON = 256, O_SHOW, O_JSON };

static const struct option long_opts[] = {
    {"python", required_argument, NULL, O_PYTHON},
    {"show", no_argument, NULL, O_SHOW},
    {"json", no_argument, NULL, O_JSON},
    {"help", no_argument, NULL, 'h'},
    {0, 0, 0, 0},
};

static void print_model(const gct_costmodel *m, const char *cache)
{
    printf("CPython cost model (%s)\n", cache);
    printf("  machine   %s, %s\n", m->hostname, m->cpu);
    printf("  python    %s (%s)\n", m->python, m->python_version);
    printf("  measured  %s\n", m->date);
    if (strncmp(m->python_version, "3.11.", 5))
        printf("  note      the work counts follow CPython 3.11's passes (gencycle); another\n"
               "            version's collector may traverse differently\n");
    printf("\n");
    printf("ns per      %12s %12s %12s\n", "gen0", "gen1", "gen2");
    const struct {
        const char *name;
        const double *c;
    } rows[] = {{"object", m->c_obj}, {"reference", m->c_ref}, {"freed", m->c_free},
                {"collection", m->c_coll}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        printf("%-10s  %12.2f %12.2f %12.2f\n", rows[i].name, rows[i].c[0], rows[i].c[1],
               rows[i].c[2]);
    printf("\nfit: root mean square relative error %.1f%% (gen0 %.1f%%, gen1 %.1f%%, gen2 "
           "%.1f%%)",
           100 * m->residual, 100 * m->residual_gen[0], 100 * m->residual_gen[1],
           100 * m->residual_gen[2]);
    if (isfinite(m->holdout_residual))
        printf("; held out %.1f%%", 100 * m->holdout_residual);
    printf("\n\n%-26s %9s %10s %7s %12s %12s %6s\n", "observation", "examined", "traversed",
           "freed", "measured us", "predicted us", "pred/m");
    for (size_t i = 0; i < m->nobs; i++) {
        const gct_costobs *o = &m->obs[i];
        double p = gct_costmodel_predict_obs_ns(m, o);
        printf("%-26s %9" PRId64 " %10" PRId64 " %7" PRId64 " %12.1f %12.1f %6.2f%s\n", o->label,
               o->examined, o->traversed, o->freed, o->ns / 1e3, p / 1e3, p / o->ns,
               o->holdout ? "  held out" : "");
    }
}

static int emit(const gct_costmodel *m, const char *cache, bool json)
{
    if (json) {
        json_t *j = gct_costmodel_to_json(m);
        json_object_set_new(j, "cache", json_string(cache));
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(j);
    } else {
        print_model(m, cache);
    }
    return GCT_EXIT_OK;
}

int gct_cmd_calibrate(int argc, char **argv)
{
    const char *cmd = "calibrate", *python = NULL;
    bool show = false, json = false;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        switch (c) {
        case O_PYTHON:
            if (!*optarg)
                return gct_usage_error(cmd, "--python needs a path or a command name");
            python = optarg;
            break;
        case O_SHOW: show = true; break;
        case O_JSON: json = true; break;
        case 'h': help(stdout); return GCT_EXIT_OK;
        case '?':
            if (optopt == O_PYTHON)
                return gct_usage_error(cmd, "--python needs a value");
            return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        default: return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gct_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (show && python)
        return gct_usage_error(cmd, "--show prints the cached model; --python chooses what to "
                                    "measure: not both");

    char cache[4096], err[1024];
    if (gct_costmodel_cache_path(cache, sizeof cache, err, sizeof err)) {
        fprintf(stderr, "gctune calibrate: %s\n", err);
        return GCT_EXIT_FAILED;
    }
    static gct_costmodel m; /* ~15 KB of observations */
    if (show) {
        if (gct_costmodel_load(&m, cache, err, sizeof err)) {
            fprintf(stderr, "gctune calibrate: %s%s\n", err,
                    access(cache, F_OK) ? " (run 'gctune calibrate' first)" : "");
            return GCT_EXIT_FAILED;
        }
        return emit(&m, cache, json);
    }
    char path[4096];
    if (gct_python_find(python, path, sizeof path, err, sizeof err)) {
        fprintf(stderr, "gctune calibrate: %s\n", err);
        return GCT_EXIT_FAILED;
    }
    if (!json)
        fprintf(stderr, "gctune calibrate: measuring %s (a few seconds)...\n", path);
    if (gct_calibrate(&m, path, err, sizeof err)) {
        fprintf(stderr, "gctune calibrate: %s\n", err);
        return GCT_EXIT_FAILED;
    }
    if (gct_costmodel_save(&m, cache, err, sizeof err)) {
        fprintf(stderr, "gctune calibrate: %s\n", err);
        return GCT_EXIT_FAILED;
    }
    return emit(&m, cache, json);
}
