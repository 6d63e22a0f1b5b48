/* cmd_replay.c — `gctune replay TRACE -c MODEL`: a heap-operation trace
 * (docs/traces.md) on a collector model, every collection as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collector.h"
#include "trace.h"

static void replay_help(FILE *out)
{
    fprintf(out,
            "usage: gctune replay TRACE [-c COLLECTOR] [-k name=value ...] [--work]\n\n"
            "Run a heap-operation trace (docs/traces.md) on a collector (default gencycle)\n"
            "and print, as JSON, every collection (the trace line it ran in, the allocations\n"
            "completed before it, its generation, what it collected) and the end state\n"
            "(gc.get_count(), gc.get_stats()).  scripts/trace-to-python.py turns the same\n"
            "trace into a Python program that prints the same JSON on a real interpreter:\n\n"
            "  gctune replay t.trace > model.json\n"
            "  scripts/trace-to-python.py t.trace -o t.py && python3 t.py > real.json\n"
            "  diff model.json real.json\n\n"
            "  -c, --collector NAME   the collector (gctune list)\n"
            "  -k, --knob name=value  a knob at the start (the trace's own `threshold` lines\n"
            "                         change gen0..gen2 later)\n"
            "  --work                 add each collection's examined objects and traversed\n"
            "                         references (the model's; a real interpreter has none)\n\n"
            "Exit status: 0 ok, 2 bad usage or a bad trace (FILE:LINE names the problem).\n");
}

int gct_cmd_replay(int argc, char **argv)
{
    enum { O_WORK = 256 };
    static const struct option opts[] = {{"collector", required_argument, NULL, 'c'},
                                         {"knob", required_argument, NULL, 'k'},
                                         {"work", no_argument, NULL, O_WORK},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *collector = "gencycle";
    const char *knobs[GCT_MAX_KNOBS];
    size_t nknobs = 0;
    bool work = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:k:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': collector = optarg; break;
        case 'k':
            if (nknobs == GCT_MAX_KNOBS)
                return gct_usage_error("replay", "more than %d knobs", GCT_MAX_KNOBS);
            knobs[nknobs++] = optarg;
            break;
        case O_WORK: work = true; break;
        case 'h': replay_help(stdout); return GCT_EXIT_OK;
        default:
            if (optopt == 'c' || optopt == 'k')
                return gct_usage_error("replay", "-%c needs a value", optopt);
            return gct_usage_error("replay", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return gct_usage_error("replay", "give one trace file (got %d arguments)", argc - optind);
    char err[1024];
    gct_heap *h = gct_heap_new(collector, knobs, nknobs, err, sizeof err);
    if (!h)
        return gct_usage_error("replay", "%s", err);
    gct_trace t;
    if (gct_trace_load(&t, argv[optind], err, sizeof err)) {
        gct_heap_destroy(h);
        fprintf(stderr, "gctune replay: %s\n", err);
        return GCT_EXIT_USAGE;
    }
    gct_replay r;
    int rc = gct_trace_replay(&t, h, &r, err, sizeof err);
    if (rc)
        fprintf(stderr, "gctune replay: %s\n", err);
    else
        gct_replay_print_json(stdout, &r, work);
    gct_replay_free(&r);
    gct_trace_free(&t);
    gct_heap_destroy(h);
    return rc ? GCT_EXIT_USAGE : GCT_EXIT_OK;
}
