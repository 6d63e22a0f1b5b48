/* cmd_export.c — `gctune export DIR`: a result directory in formats other
 * tools read (results/export.h). */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "export.h"
#include "files.h"
#include "record.h"

static void export_help(FILE *out)
{
    fprintf(out,
            "usage: gctune export DIR [--perfetto FILE] [--pyperf FILE] [--config GLOB]\n"
            "                         [--metric NAME]\n\n"
            "Write what the sweep in DIR measured in formats other tools read; at least one\n"
            "of --perfetto and --pyperf.  Each file is written whole under a temporary name\n"
            "and renamed, so a failure leaves no half-written file.\n\n"
            "--perfetto: the pauses as Chrome/Perfetto trace-event JSON (open it in\n"
            "ui.perfetto.dev or chrome://tracing): one process per configuration, one\n"
            "thread per repetition, every pause of pauses/<id>.csv a complete event named by\n"
            "its kind (gen0, gen1, gen2, full, mark, cascade) at its start within the\n"
            "repetition's timed operations, with its generation, objects examined and\n"
            "objects freed.\n\n"
            "--pyperf: the processes as pyperf JSON (python3 -m pyperf stats FILE,\n"
            "compare_to A.json B.json): one benchmark per configuration, named by its id,\n"
            "one run per successful process (pyperf's run is a process too), one value per\n"
            "run: seconds per operation (1 / ops_per_s), or --metric.  Failed processes are\n"
            "left out, and so is a configuration none of whose processes succeeded.\n\n"
            "  --perfetto FILE  write the trace-event JSON to FILE\n"
            "  --pyperf FILE    write the pyperf JSON to FILE\n"
            "  --config GLOB    only the configurations whose id matches the shell pattern\n"
            "                   (e.g. 'gencycle.trees.*'; default: all)\n"
            "  --metric NAME    the pyperf value: a summarised column of results.csv\n"
            "                   (default ops_per_s, written as seconds per operation; *_s in\n"
            "                   seconds, *_us converted to seconds, bytes as bytes, others\n"
            "                   as plain numbers); pyperf accepts only values above 0\n");
}

/* FILE written whole or not at all. */
static int write_json(const char *path, const char *what, json_t *root)
{
    gct_afile af;
    char err[4400];
    FILE *f = gct_afile_open(&af, path, err, sizeof err);
    if (!f) {
        fprintf(stderr, "gctune export: %s: %s\n", what, err);
        return GCT_EXIT_USAGE;
    }
    if (json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) != 0 ||
        fputc('\n', f) == EOF) {
        fprintf(stderr, "gctune export: %s: %s: write failed: %s\n", what, path, strerror(errno));
        gct_afile_abort(&af);
        return GCT_EXIT_USAGE;
    }
    if (gct_afile_commit(&af, err, sizeof err) != 0) {
        fprintf(stderr, "gctune export: %s: %s\n", what, err);
        return GCT_EXIT_USAGE;
    }
    return GCT_EXIT_OK;
}

int gct_cmd_export(int argc, char **argv)
{
    enum { O_PERFETTO = 256, O_PYPERF, O_CONFIG, O_METRIC };
    static const struct option opts[] = {{"perfetto", required_argument, NULL, O_PERFETTO},
                                         {"pyperf", required_argument, NULL, O_PYPERF},
                                         {"config", required_argument, NULL, O_CONFIG},
                                         {"metric", required_argument, NULL, O_METRIC},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *perfetto = NULL, *pyperf = NULL;
    gct_export_opts eo = {0};
    char err[1200];
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_PERFETTO:
        case O_PYPERF:
            if (!*optarg)
                return gct_usage_error("export", "%s needs a file name",
                                       c == O_PERFETTO ? "--perfetto" : "--pyperf");
            *(c == O_PERFETTO ? &perfetto : &pyperf) = optarg;
            break;
        case O_CONFIG:
            if (!*optarg)
                return gct_usage_error("export", "--config needs a pattern");
            eo.config_glob = optarg;
            break;
        case O_METRIC:
            if (gct_export_metric_check(optarg, err, sizeof err) != 0)
                return gct_usage_error("export", "%s", err);
            eo.metric = optarg;
            break;
        case 'h': export_help(stdout); return GCT_EXIT_OK;
        case '?':
            switch (optopt) {
            case O_PERFETTO: return gct_usage_error("export", "--perfetto needs a file name");
            case O_PYPERF: return gct_usage_error("export", "--pyperf needs a file name");
            case O_CONFIG: return gct_usage_error("export", "--config needs a pattern");
            case O_METRIC: return gct_usage_error("export", "--metric needs a column name");
            }
            return gct_usage_error("export", "unknown option '%s'", argv[optind - 1]);
        default: return gct_usage_error("export", "unknown option '%s'", argv[optind - 1]);
        }
    }
    int npos = argc - optind;
    if (npos != 1)
        return gct_usage_error("export", "give one result directory (got %d)", npos);
    if (!perfetto && !pyperf)
        return gct_usage_error("export", "nothing to write: give --perfetto FILE, --pyperf FILE "
                                         "or both");
    if (eo.metric && !pyperf)
        return gct_usage_error("export", "--metric '%s' is the pyperf value: it needs --pyperf",
                               eo.metric);
    const char *dir = argv[optind];
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "gctune export: '%s' is not a result directory (%s)\n", dir,
                stat(dir, &st) != 0 ? strerror(errno) : "not a directory");
        return GCT_EXIT_USAGE;
    }

    char path[4200];
    gct_results rows;
    snprintf(path, sizeof path, "%s/results.csv", dir);
    if (gct_results_read_csv(path, &rows, err, sizeof err) != 0) {
        fprintf(stderr, "gctune export: %s\n", err);
        return GCT_EXIT_USAGE;
    }
    /* meta.json is optional (what the exports carry of it is only context);
     * one that exists must be JSON. */
    json_t *meta = NULL;
    snprintf(path, sizeof path, "%s/meta.json", dir);
    if (access(path, F_OK) == 0) {
        json_error_t je;
        meta = json_load_file(path, 0, &je);
        if (!meta || !json_is_object(meta)) {
            fprintf(stderr, "gctune export: %s:%d: not a JSON object: %s\n", path, je.line,
                    meta ? "another value" : je.text);
            json_decref(meta);
            gct_results_free(&rows);
            return GCT_EXIT_USAGE;
        }
    }

    /* Build both before writing either: bad input writes nothing. */
    json_t *trace = NULL, *suite = NULL;
    int rc = GCT_EXIT_OK;
    size_t skipped = 0;
    if (perfetto && !(trace = gct_export_perfetto(dir, &rows, meta, &eo, err, sizeof err))) {
        fprintf(stderr, "gctune export: %s: %s\n", dir, err);
        rc = GCT_EXIT_USAGE;
    }
    if (rc == GCT_EXIT_OK && pyperf &&
        !(suite = gct_export_pyperf(&rows, meta, &eo, &skipped, err, sizeof err))) {
        fprintf(stderr, "gctune export: %s: %s\n", dir, err);
        rc = GCT_EXIT_USAGE;
    }
    if (rc == GCT_EXIT_OK && trace && (rc = write_json(perfetto, "--perfetto", trace)) == 0) {
        size_t n = 0, i;
        json_t *e;
        json_array_foreach(json_object_get(trace, "traceEvents"), i, e)
            n += !strcmp(json_string_value(json_object_get(e, "ph")), "X");
        printf("%s: %zu pauses\n", perfetto, n);
    }
    if (rc == GCT_EXIT_OK && suite && (rc = write_json(pyperf, "--pyperf", suite)) == 0) {
        size_t runs = 0, i;
        json_t *b, *bs = json_object_get(suite, "benchmarks");
        json_array_foreach(bs, i, b)
            runs += json_array_size(json_object_get(b, "runs"));
        printf("%s: %zu benchmarks, %zu runs\n", pyperf, json_array_size(bs), runs);
        if (skipped)
            printf("%s: %zu configurations left out: none of their processes succeeded\n", pyperf,
                   skipped);
    }
    json_decref(trace);
    json_decref(suite);
    json_decref(meta);
    gct_results_free(&rows);
    return rc;
}
