/* cmd_plot.c — `gctune plot OUT`: (re)draw every figure OUT has data for. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "plot.h"

static void plot_help(FILE *out)
{
    fprintf(out,
            "usage: gctune plot OUT [--pdf]\n\n"
            "Draw every figure the result directory OUT has data for into OUT/plots/, as SVG\n"
            "and PNG (and PDF with --pdf): pause CDFs and timelines, throughput against gen0,\n"
            "gen0 x gen1 heatmaps, trade-offs with their Pareto frontier, MMU curves, the\n"
            "collectors side by side, and a model against the real interpreter of its\n"
            "version where both ran one grid (gctune transfer --plot draws those alone).\n"
            "The data and the gnuplot driver of each figure are kept in OUT/plots/data/,\n"
            "with copies of the scripts, so a figure can be redrawn or restyled by hand,\n"
            "even after OUT was moved:\n"
            "  cd OUT/plots/data && gnuplot <figure>.svg.gp\n\n"
            "  --pdf   also write PDF\n");
}

void gct_print_plot_result(const gct_plot_result *res, const char *dir)
{
    printf("%zu figure%s in %s/plots", res->n, res->n == 1 ? "" : "s", dir);
    if (res->nnotes)
        printf(" (%zu note%s)", res->nnotes, res->nnotes == 1 ? "" : "s");
    printf("\n");
    for (size_t i = 0; i < res->nnotes; i++)
        printf("  note: %s\n", res->notes[i]);
}

int gct_cmd_plot(int argc, char **argv)
{
    enum { O_PDF = 256 };
    static const struct option opts[] = {
        {"pdf", no_argument, NULL, O_PDF}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    gct_plot_opts po = {.version_lookup = gct_cpython_of,
                        .interpreter_lookup = gct_interpreter_of};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_PDF: po.pdf = true; break;
        case 'h': plot_help(stdout); return GCT_EXIT_OK;
        default: return gct_usage_error("plot", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return gct_usage_error("plot", "give one result directory (got %d arguments)",
                               argc - optind);
    const char *dir = argv[optind];
    gct_plot_result res;
    char err[800];
    int rc = gct_plot_dir(dir, &po, &res, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "gctune plot: %s\n", err);
        return rc == -1 ? GCT_EXIT_USAGE : GCT_EXIT_FAILED;
    }
    gct_print_plot_result(&res, dir);
    rc = res.failed ? GCT_EXIT_FAILED : GCT_EXIT_OK;
    gct_plot_result_free(&res);
    return rc;
}
