/* cmd_transfer.c — `gctune transfer DIR`: does each model rank the
 * thresholds the way the real interpreter of its version does
 * (results/transfer.h)? */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "plot.h"
#include "summary.h"
#include "transfer.h"

static void transfer_help(FILE *out)
{
    fprintf(out,
            "usage: gctune transfer DIR [--model NAME --real NAME] [--json] [--plot [--pdf]]\n\n"
            "In a result directory where a CPython model and the real interpreter of its\n"
            "version ran the same workloads over the same thresholds (e.g. gctune sweep -c\n"
            "gencycle,python311 -w trees,cache --gen0 100,700,10000 --gen1 10,100), say per\n"
            "workload whether the model ranks the settings as the real interpreter does:\n"
            "Spearman's rank correlation of the throughput and of the GC time across the\n"
            "grid, the fastest/default ratio on each side, and whether the model's fastest\n"
            "setting, run on the real interpreter, is within its noise of the real fastest.\n"
            "Without --model/--real, every real interpreter in DIR against the model of its\n"
            "version (gencycle for python311, gencycle312 for python312, ...).\n"
            "\"rho pred\" and \"pred\": the model as a predictor of the real throughput, the\n"
            "real default's time outside collections plus the model's GC time at each\n"
            "setting, scaled to the real GC time at the default (docs/python.md).\n"
            "Why a correlation can be low: \"real GC\" is the real default's share of time in\n"
            "collections, \"spread/noise\" how far apart the real settings' medians land\n"
            "(fastest over slowest) against the real interpreter's own A/A noise floor: a\n"
            "spread inside the noise leaves nothing to rank.\n\n"
            "  --plot  also draw DIR/plots/transfer-<workload>.svg and .png: per workload,\n"
            "          the model (x) against the real interpreter (y), one point per\n"
            "          setting, throughput and GC time relative to each side's default,\n"
            "          intervals as error bars (the pairs found by version, whatever\n"
            "          --model/--real say; gctune plot and gctune report draw them too)\n"
            "  --pdf   with --plot, also PDF\n\n"
            "Exit status: 0, or 2 when DIR holds no such pair.\n");
}

static void print_row(const gct_transfer *t)
{
    char pick[200];
    gct_transfer_pick_text(t, pick, sizeof pick);
    char who[80];
    snprintf(who, sizeof who, "%s (%s)", t->real, t->model);
    char share[16], spread[40];
    snprintf(share, sizeof share, isfinite(t->real_gc_share) ? "%.1f%%" : "n/a",
             100 * t->real_gc_share);
    if (isfinite(t->real_floor))
        snprintf(spread, sizeof spread, "%.0f%%/%.0f%%", 100 * t->real_spread,
                 100 * t->real_floor);
    else
        snprintf(spread, sizeof spread, "%.0f%%/none", 100 * t->real_spread);
    printf("%-12s %-24s %5zu  %8.2f  %8.2f  %8.2f  %6.2fx  %6.2fx  %6.2fx  %7s  %11s  %s\n",
           t->workload, who, t->pairs, t->rho_ops, t->rho_predicted, t->rho_gc, t->model_ratio,
           t->predicted_ratio, t->real_ratio, share, spread, pick);
}

/* --plot: the transfer figures alone, into DIR/plots; what was drawn goes
 * to stdout, or to stderr under --json (stdout is the JSON). */
static int draw_figures(const char *dir, bool pdf, bool json)
{
    gct_plot_opts po = {.pdf = pdf, .version_lookup = gct_cpython_of,
                        .interpreter_lookup = gct_interpreter_of, .only = "transfer"};
    gct_plot_result res;
    char err[800];
    int rc = gct_plot_dir(dir, &po, &res, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "gctune transfer: no figures: %s\n", err);
        return rc == -1 ? GCT_EXIT_USAGE : GCT_EXIT_FAILED;
    }
    FILE *out = json ? stderr : stdout;
    fprintf(out, "%zu figure%s in %s/plots:", res.n, res.n == 1 ? "" : "s", dir);
    for (size_t i = 0; i < res.n; i++)
        fprintf(out, " %s.png", res.figs[i].stem);
    fprintf(out, "\n");
    for (size_t i = 0; i < res.nnotes; i++)
        fprintf(out, "  note: %s\n", res.notes[i]);
    rc = res.failed ? GCT_EXIT_FAILED : GCT_EXIT_OK;
    gct_plot_result_free(&res);
    return rc;
}

int gct_cmd_transfer(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, NULL, 'm'},
                                         {"real", required_argument, NULL, 'r'},
                                         {"json", no_argument, NULL, 'J'},
                                         {"plot", no_argument, NULL, 'P'},
                                         {"pdf", no_argument, NULL, 'D'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *model = NULL, *real = NULL;
    bool json = false, plot = false, pdf = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm': model = optarg; break;
        case 'r': real = optarg; break;
        case 'J': json = true; break;
        case 'P': plot = true; break;
        case 'D': pdf = true; break;
        case 'h': transfer_help(stdout); return GCT_EXIT_OK;
        default: return gct_usage_error("transfer", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return gct_usage_error("transfer", "give one result directory");
    if (!model != !real)
        return gct_usage_error("transfer", "--model and --real go together");
    if (pdf && !plot)
        return gct_usage_error("transfer", "--pdf goes with --plot");
    const char *dir = argv[optind];
    gct_summary s;
    gct_results rows = {0};
    char err[800], path[4200];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    if (gct_results_read_csv(path, &rows, err, sizeof err) ||
        gct_summary_load(dir, &s, err, sizeof err)) {
        gct_results_free(&rows);
        return gct_usage_error("transfer", "%s", err);
    }
    /* The pairs: as given, or each real interpreter with its version's model. */
    gct_transfer_pair pairs[16];
    size_t np = model ? 1 : gct_transfer_pairs(&s, gct_cpython_of, gct_interpreter_of, pairs, 16);
    if (model)
        pairs[0] = (gct_transfer_pair){.model = model, .real = real};
    gct_transfer t[64];
    json_t *arr = json_array();
    size_t shown = 0;
    for (size_t k = 0; k < np; k++) {
        size_t n = gct_transfer_compare(&rows, &s, pairs[k].model, pairs[k].real, t, 64);
        if (n && !json && !shown)
            printf("%-12s %-24s %5s  %8s  %8s  %8s  %7s  %7s  %7s  %7s  %11s  %s\n", "workload",
                   "real (model)", "grid", "rho ops", "rho pred", "rho GC", "model", "pred",
                   "real", "real GC", "spread/noise", "the model's fastest, on the real one");
        for (size_t i = 0; i < n; i++, shown++) {
            if (json) {
                json_t *o = json_object();
                json_object_set_new(o, "workload", json_string(t[i].workload));
                json_object_set_new(o, "model", json_string(t[i].model));
                json_object_set_new(o, "real", json_string(t[i].real));
                json_object_set_new(o, "pairs", json_integer((json_int_t)t[i].pairs));
                json_object_set_new(o, "rho_ops", isfinite(t[i].rho_ops) ? json_real(t[i].rho_ops)
                                                                        : json_null());
                json_object_set_new(o, "rho_gc", isfinite(t[i].rho_gc) ? json_real(t[i].rho_gc)
                                                                      : json_null());
                json_object_set_new(o, "model_ratio", json_real(t[i].model_ratio));
                json_object_set_new(o, "real_ratio", json_real(t[i].real_ratio));
                json_object_set_new(o, "rho_predicted", isfinite(t[i].rho_predicted)
                                                            ? json_real(t[i].rho_predicted)
                                                            : json_null());
                json_object_set_new(o, "predicted_ratio", isfinite(t[i].predicted_ratio)
                                                              ? json_real(t[i].predicted_ratio)
                                                              : json_null());
                json_object_set_new(o, "real_gc_share", isfinite(t[i].real_gc_share)
                                                            ? json_real(t[i].real_gc_share)
                                                            : json_null());
                json_object_set_new(o, "real_spread", isfinite(t[i].real_spread)
                                                          ? json_real(t[i].real_spread)
                                                          : json_null());
                json_object_set_new(o, "real_floor", isfinite(t[i].real_floor)
                                                         ? json_real(t[i].real_floor)
                                                         : json_null());
                json_object_set_new(o, "model_pick", json_string(t[i].model_pick->id));
                json_object_set_new(o, "real_best", json_string(t[i].real_best->id));
                json_object_set_new(o, "within_noise", json_boolean(t[i].within_noise));
                json_object_set_new(o, "decidable", json_boolean(t[i].decidable));
                json_array_append_new(arr, o);
            } else {
                print_row(&t[i]);
            }
        }
    }
    if (json) {
        char *text = json_dumps(arr, JSON_INDENT(2));
        if (text)
            puts(text);
        free(text);
    }
    json_decref(arr);
    gct_summary_free(&s);
    gct_results_free(&rows);
    if (!shown)
        return gct_usage_error("transfer", "%s holds no model and real interpreter of one version "
                                           "over the same settings (sweep e.g. -c gencycle,python311)",
                               dir);
    return plot ? draw_figures(dir, pdf, json) : GCT_EXIT_OK;
}
