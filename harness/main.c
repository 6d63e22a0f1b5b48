/* main.c — `gctune`: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "build_info.h"
#include "revision.h"
#include "cli.h"

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"list", gct_cmd_list, "collectors and workloads, with their knobs and parameters"},
    {"info", gct_cmd_info, "the machine as hwloc sees it, the build, measurement warnings"},
    {"run", gct_cmd_run, "measure one configuration"},
    {"sweep", gct_cmd_sweep, "measure collectors x workloads x thresholds into a result directory"},
    {"tune", gct_cmd_tune, "the thresholds to paste for an objective and limits, by successive halving"},
    {"transfer", gct_cmd_transfer, "does a model rank the thresholds as the real interpreter does?"},
    {"validate", gct_cmd_validate, "gencycle against the real CPython collector, workload by workload"},
    {"calibrate", gct_cmd_calibrate, "measure CPython's collector costs on this machine (the cost model)"},
    {"plot", gct_cmd_plot, "draw the figures of a result directory (gnuplot)"},
    {"compare", gct_cmd_compare, "is B faster or slower than A, and is the difference real?"},
    {"report", gct_cmd_report, "a report of a result directory (Markdown and HTML)"},
    {"export", gct_cmd_export, "pauses as Perfetto trace JSON, processes as pyperf JSON"},
    {"replay", gct_cmd_replay, "a heap-operation trace on a collector model, every collection as JSON"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: gctune COMMAND [OPTIONS]\n\n"
                 "A benchmark and tuning harness for garbage collectors.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'gctune COMMAND --help' describes each.  Exit status: 0 ok, 1 a run failed,\n"
                 "2 bad usage or input, 130 interrupted.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return GCT_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return GCT_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("gctune %s (%s)\n", GCT_VERSION, GCT_REVISION);
        return GCT_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "gctune: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return GCT_EXIT_USAGE;
}
