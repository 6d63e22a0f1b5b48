/*
 * test-cli-results.c — the gctune command as a user runs it on what a
 * sweep wrote: compare (a directory with itself finds no difference) and
 * the figures a sweep draws.
 *
 * Running gctune and reading what it writes: common/cli_common.h.  (No Criterion
 * .timeout: two timed tests at once make Criterion 2.4.1's runner leak under
 * LSan; meson's test timeout bounds the program instead.)
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "format.h"
#include "pauses.h"
#include "record.h"
#include "summary.h"

#include "cli_common.h"

static bool verdict_line(const char *text)
{
    static const char *const calls[] = {" faster\n", " slower\n", " better\n", " worse\n"};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (strstr(text, calls[i]))
            return true;
    return false;
}

Test(cli, compare_a_directory_with_itself_finds_no_difference)
{
    fresh_outdir();
    out o = gctune("sweep", "-c", "gencycle", "-w", "dlist", "-p", "lists=5", "-p", "length=50",
                   "-p", "drop_every=20", "--gen0", "20,500", "--gen1", "10", "--gen2", "10",
                   "--ops", "300", "--reps", "5", "--out", outdir, "--quiet", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);

    o = gctune("compare", outdir, outdir, NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert_not(verdict_line(o.stdout_text), "a directory against itself:\n%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "no detectable difference"), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "geometric mean"));
    cr_assert(strstr(o.stdout_text, "noise floor of dlist"), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "P(B better)"));
    free_out(&o);

    /* --json: every row, ratio 1. */
    o = gctune("compare", outdir, outdir, "--json", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    json_error_t je;
    json_t *j = json_loads(o.stdout_text, 0, &je);
    cr_assert(j, "compare --json: %s", je.text);
    json_t *rows = json_object_get(j, "comparisons");
    /* Two configurations and the A/A twin of the first, 15 metrics each
     * (gct_cmp_metrics). */
    GCT_ASSERT_EQ(json_array_size(rows), 3 * 15, "%zu rows", json_array_size(rows));
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        json_t *ratio = json_object_get(r, "ratio");
        if (!json_is_null(ratio))
            GCT_ASSERT_DBL_NEAR(json_number_value(ratio), 1.0, 1e-12);
    }
    json_decref(j);
    free_out(&o);

    /* --csv: a header and 45 rows. */
    o = gctune("compare", outdir, outdir, "--csv", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    size_t lines = 0;
    for (const char *p = o.stdout_text; *p; p++)
        lines += *p == '\n';
    GCT_ASSERT_EQ(lines, 1 + 3 * 15);
    free_out(&o);

    /* Two thresholds against each other, paired by workload. */
    char a[300], b[300];
    snprintf(a, sizeof a, "%s:*.gen0-20.*", outdir);
    snprintf(b, sizeof b, "%s:*.gen0-500.*", outdir);
    o = gctune("compare", a, b, NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "A gencycle.dlist.gen0-20") &&
                  strstr(o.stdout_text, "B gencycle.dlist.gen0-500"),
              "%s", o.stdout_text);
    free_out(&o);

    /* Errors: exit 2 with the reason. */
    o = gctune("compare", outdir, NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "give two result directories"), "%s", o.stderr_text);
    free_out(&o);
    o = gctune("compare", outdir, "/nonexistent/dir", NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "'/nonexistent/dir' is not a result directory"), "%s",
              o.stderr_text);
    free_out(&o);
    snprintf(a, sizeof a, "%s:marksweep.*", outdir);
    o = gctune("compare", a, outdir, NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "selects no successful runs"), "%s", o.stderr_text);
    free_out(&o);
    o = gctune("compare", outdir, outdir, "--fail-if-slower", "many", NULL);
    GCT_ASSERT_EQ(o.status, 2);
    free_out(&o);

    /* Runs that did different work do not compare, unless asked. */
    char other[300];
    snprintf(other, sizeof other, "%s-ops", outdir);
    o = gctune("sweep", "-c", "gencycle", "-w", "dlist", "-p", "lists=5", "-p", "length=50",
               "-p", "drop_every=20", "--gen0", "20", "--gen1", "10", "--gen2", "10", "--ops",
               "200", "--reps", "2", "--out", other, "--quiet", "--no-plots", "--no-aa", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);
    o = gctune("compare", outdir, other, NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "different work (operations: 300 against 200)"), "%s",
              o.stderr_text);
    free_out(&o);
    o = gctune("compare", outdir, other, "--allow-different-work", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);

    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

static size_t count_files(const char *dir, const char *suffix, off_t min_size, char *small,
                          size_t smalllen)
{
    DIR *d = opendir(dir);
    cr_assert(d, "%s missing", dir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name), sl = strlen(suffix);
        if (len < sl || strcmp(e->d_name + len - sl, suffix))
            continue;
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        GCT_ASSERT_EQ(stat(p, &st), 0);
        if (st.st_size < min_size && small)
            snprintf(small, smalllen, "%s (%lld bytes)", e->d_name, (long long)st.st_size);
        n++;
    }
    closedir(d);
    return n;
}

Test(cli, a_sweep_draws_every_figure_it_has_data_for)
{
    fresh_outdir();
    out o = gctune("sweep", "-c", "refcount,gencycle,marksweep", "-w", "dlist,cache", "-p",
                   "dlist.lists=5", "-p", "dlist.length=50",
                   "-p", "dlist.drop_every=20", "-p", "cache.keys=2000", "-p",
                   "cache.capacity=200", "--gen0", "20,700", "--gen1", "2,10", "--gen2", "10",
                   "--ops", "dlist=400", "--ops", "cache=3000", "--reps", "3", "--out", outdir,
                   NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "figures in"), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "report: "), "a sweep ends with a report: %s", o.stdout_text);
    free_out(&o);
    char plots[300], small[600] = "";
    snprintf(plots, sizeof plots, "%s/plots", outdir);
    /* collectors, throughput-gen0, and per workload: pause CDF, timeline,
     * memory, 4 heatmaps, 2 trade-offs, MMU = 2 + 2 x 10 = 22 figures. */
    size_t svg = count_files(plots, ".svg", 2000, small, sizeof small);
    size_t png = count_files(plots, ".png", 5000, small, sizeof small);
    GCT_ASSERT_EQ(svg, 22, "%zu SVG figures", svg);
    GCT_ASSERT_EQ(png, 22, "%zu PNG figures", png);
    cr_assert_not(small[0], "a figure is suspiciously small: %s", small);
    static const char *const expect[] = {"collectors.png", "throughput-gen0.png",
                                         "pause-cdf-dlist.png", "pause-timeline-cache.png",
                                         "heatmap-ops-dlist.png", "heatmap-p99-cache.png",
                                         "heatmap-peak-dlist.png", "tradeoff-pause-cache.png",
                                         "tradeoff-memory-dlist.png", "mmu-cache.png",
                                         "memory-dlist.png", "heatmap-garbage-cache.png"};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", plots, expect[i]);
        cr_assert(exists(p), "%s missing", expect[i]);
    }
    /* The data and drivers are kept: a figure can be redrawn by hand. */
    char p[600];
    snprintf(p, sizeof p, "%s/data/collectors.png.gp", plots);
    cr_assert(exists(p));

    /* gctune plot redraws, with PDF on request. */
    o = gctune("plot", outdir, "--pdf", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);
    GCT_ASSERT_EQ(count_files(plots, ".pdf", 1000, NULL, 0), 22);

    /* The report: every section, links only to files that exist, and an HTML
     * page that needs nothing else (figures inline, no network). */
    o = gctune("report", outdir, "--max-p99", "5", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);
    snprintf(p, sizeof p, "%s/report.md", outdir);
    char *md = slurp(p);
    static const char *const sections[] = {"# gctune report", "## Verdicts",
                                           "### Noise floor (A/A controls)", "## Machine and build",
                                           "## What was swept", "## Best configurations",
                                           "## Pareto frontier", "## Figures",
                                           "## Failed configurations", "### dlist", "### cache",
                                           "highest throughput, p99 <= 5 ms"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        cr_assert(strstr(md, sections[i]), "report.md lacks '%s'", sections[i]);
    /* It leads with what to paste, per workload, for the CPython model only;
     * marksweep and refcount are reference rows. */
    const char *rec = strstr(md, "## Recommendations");
    cr_assert(rec && rec < strstr(md, "## Verdicts"), "the recommendations come first");
    cr_assert(strstr(md, "### dlist on CPython 3.11 (gencycle)") &&
                  strstr(md, "### cache on CPython 3.11 (gencycle)"),
              "a recommendation per workload");
    size_t pastes = 0;
    for (const char *q = strstr(md, "gc.set_threshold("); q; q = strstr(q + 1, "gc.set_threshold("))
        pastes++;
    GCT_ASSERT_GEQ(pastes, 2 * 3, "%zu paste lines (3 objectives x 2 workloads)", pastes);
    cr_assert(strstr(md, "reference: marksweep, fastest (not a CPython choice)"), "marksweep row");
    size_t links = 0;
    for (const char *q = strstr(md, "](plots/"); q; q = strstr(q + 1, "](plots/")) {
        const char *end = strchr(q, ')');
        char target[600];
        snprintf(target, sizeof target, "%s/%.*s", outdir, (int)(end - q - 2), q + 2);
        cr_assert(exists(target), "report.md links to %s, which does not exist", target);
        links++;
    }
    GCT_ASSERT_GEQ(links, 2 * 18, "%zu links (a PNG and an SVG per figure)", links);
    /* One number per statistic: the report's fastest configuration of each
     * workload shows the median of summary.csv. */
    gct_summary sum;
    char serr[600];
    GCT_ASSERT_EQ(gct_summary_load(outdir, &sum, serr, sizeof serr), 0, "%s", serr);
    for (size_t w = 0; w < sum.nworkloads; w++) {
        const gct_config_summary *fast = NULL;
        for (size_t i = 0; i < sum.n; i++)
            if (gct_summary_is_candidate(&sum.configs[i]) &&
                gct_summary_is_generational(&sum.configs[i]) &&
                !strcmp(sum.configs[i].workload, sum.workloads[w]) &&
                (!fast || sum.configs[i].ops_s > fast->ops_s))
                fast = &sum.configs[i];
        cr_assert_not_null(fast);
        char ops[32], want[400];
        gct_fmt_count(fast->ops_s, ops, sizeof ops);
        snprintf(want, sizeof want, "| highest throughput | %s | %s ", fast->id, ops);
        cr_assert(strstr(md, want), "report.md lacks '%s'", want);
    }
    gct_summary_free(&sum);
    free(md);
    snprintf(p, sizeof p, "%s/report.html", outdir);
    char *html = slurp(p);
    cr_assert(strstr(html, "<img alt="));
    cr_assert(strstr(html, "src=\"data:image/png;base64,iVBOR"), "figures are not inline PNGs");
    cr_assert_null(strstr(html, "http://"));
    cr_assert_null(strstr(html, "https://"));
    cr_assert_null(strstr(html, "src=\"plots/"), "the HTML must not depend on other files");
    free(html);

    /* No gnuplot: plot fails clearly (exit 1), a sweep still succeeds. */
    setenv("GCTUNE_GNUPLOT", "/nonexistent/gnuplot", 1);
    o = gctune("plot", outdir, NULL);
    GCT_ASSERT_EQ(o.status, 1, "%s", o.stderr_text);
    cr_assert(strstr(o.stderr_text, "gnuplot is not installed"), "%s", o.stderr_text);
    free_out(&o);
    char other[400];
    snprintf(other, sizeof other, "%s-2", outdir);
    o = gctune("sweep", "-c", "refcount", "-w", "dlist", "--ops", "50", "--reps", "1", "--out",
               other, "--quiet", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "no figures: gnuplot is not installed"), "%s", o.stdout_text);
    free_out(&o);
    unsetenv("GCTUNE_GNUPLOT");

    /* --no-plots draws nothing. */
    char third[400];
    snprintf(third, sizeof third, "%s-3", outdir);
    o = gctune("sweep", "-c", "refcount", "-w", "dlist", "--ops", "50", "--reps", "1", "--out",
               third, "--quiet", "--no-plots", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    free_out(&o);
    snprintf(p, sizeof p, "%s/plots", third);
    cr_assert_not(exists(p));

    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}
