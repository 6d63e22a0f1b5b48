/* cmd_report.c — `gctune report OUT`: a report a person can attach to a
 * design review unchanged. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "tune.h"

static void report_help(FILE *out)
{
    fprintf(out,
            "usage: gctune report OUT [--max-p99 MS] [--max-peak SIZE] [--no-plots] [--pdf]\n\n"
            "Write OUT/report.md and a self-contained OUT/report.html (figures embedded, no\n"
            "network needed): first, per workload and CPython model, the lines to paste\n"
            "(gc.set_threshold) for each objective, against the version's default, by the\n"
            "rule of the verdicts; then the machine and build, what was swept, the best configuration\n"
            "of each workload per objective (highest throughput, lowest p99 pause, highest\n"
            "throughput within a p99 budget, lowest memory, and CPython's default for\n"
            "reference), the Pareto frontier, the figures with what to look at, and the\n"
            "configurations that failed.\n\n"
            "  --max-p99 MS   the p99 pause budget, in milliseconds (default 10)\n"
            "  --max-peak SIZE  a peak-memory limit on the recommendations (512M, 2G)\n"
            "  --no-plots     do not redraw the figures first\n"
            "  --pdf          draw PDF figures too\n");
}

int gct_cmd_report(int argc, char **argv)
{
    enum { O_MAXP99 = 256, O_MAXPEAK, O_NOPLOTS, O_PDF };
    static const struct option opts[] = {{"max-p99", required_argument, NULL, O_MAXP99},
                                         {"max-peak", required_argument, NULL, O_MAXPEAK},
                                         {"no-plots", no_argument, NULL, O_NOPLOTS},
                                         {"pdf", no_argument, NULL, O_PDF},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    gct_report_opts ro = {.max_p99_us = 10000, .draw = true,
                          .plot = {.version_lookup = gct_cpython_of,
                                   .interpreter_lookup = gct_interpreter_of}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_MAXP99: {
            char *end;
            double ms = strtod(optarg, &end);
            if (*end || !(ms > 0) || !isfinite(ms))
                return gct_usage_error("report", "--max-p99 '%s' is not a number of milliseconds "
                                                 "above 0",
                                       optarg);
            ro.max_p99_us = ms * 1e3;
            ro.plot.max_p99_us = ro.max_p99_us; /* the figures mark the same answer */
            break;
        }
        case O_MAXPEAK: {
            gct_tune_limit l;
            char err[300];
            if (gct_tune_parse_limit(GCT_TUNE_MEMORY, optarg, &l, err, sizeof err) || l.relative)
                return gct_usage_error("report", "--max-peak '%s': expected a size, e.g. 512M or "
                                                 "2G",
                                       optarg);
            ro.max_peak_bytes = l.value;
            break;
        }
        case O_NOPLOTS: ro.draw = false; break;
        case O_PDF: ro.plot.pdf = true; break;
        case 'h': report_help(stdout); return GCT_EXIT_OK;
        case '?':
            if (optopt == O_MAXP99)
                return gct_usage_error("report", "--max-p99 needs a number of milliseconds");
            if (optopt == O_MAXPEAK)
                return gct_usage_error("report", "--max-peak needs a size");
            return gct_usage_error("report", "unknown option '%s'", argv[optind - 1]);
        default: return gct_usage_error("report", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return gct_usage_error("report", "give one result directory (got %d arguments)",
                               argc - optind);
    const char *dir = argv[optind];
    char err[800];
    size_t notes;
    if (gct_report_write(dir, &ro, &notes, err, sizeof err) != 0) {
        fprintf(stderr, "gctune report: %s\n", err);
        return GCT_EXIT_USAGE;
    }
    printf("report in %s/report.md and %s/report.html", dir, dir);
    if (notes)
        printf(" (%zu figure note%s: see the report)", notes, notes == 1 ? "" : "s");
    printf("\n");
    return GCT_EXIT_OK;
}
