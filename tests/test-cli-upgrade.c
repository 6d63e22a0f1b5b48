/*
 * test-cli-upgrade.c — what an upgrade does, as a user runs it: a small
 * real sweep of two CPython models (3.12 and 3.13 on dlist and trees, few
 * operations and processes), then gctune compare between the versions (the
 * table, JSON, a version against itself saying "no significant change"),
 * between two directories, the report's figure and sentences, and bad
 * input refused with exit status 2 naming the value.
 *
 * Running gctune and reading what it writes: common/cli_common.h.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

#include "cli_common.h"

/* A change called anywhere: a verdict in a table (a timed one, or an
 * exact difference), or a sentence naming one (with its interval, or a
 * difference in the GC work). */
static bool says_a_change(const char *text)
{
    static const char *const calls[] = {" faster\n", " slower\n", " better\n", " worse\n",
                                        "% more",    "% less"};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (strstr(text, calls[i]))
            return true;
    for (const char *s = strstr(text, "  => "); s; s = strstr(s + 1, "  => ")) {
        const char *end = strchr(s, '\n');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (memchr(s, '[', n) || memmem(s, n, "GC work:", 8))
            return true;
    }
    return false;
}

static void small_sweep(const char *dir, const char *collectors, const char *reps, bool plots)
{
    out o = gctune("sweep", "-c", collectors, "-w", "dlist,trees", "-p", "dlist.lists=5", "-p",
                   "dlist.length=50", "-p", "dlist.drop_every=20", "-p", "trees.depth=6", "-p",
                   "trees.long_depth=10", "--gen0", "700,2000", "--gen1", "10", "--gen2", "10",
                   "--ops", "dlist=300", "--ops", "trees=40", "--reps", reps, "--out", dir,
                   "--quiet", "--no-predict", plots ? NULL : "--no-plots", NULL);
    GCT_ASSERT_EQ(o.status, 0, "sweep -c %s: %s", collectors, o.stderr_text);
    free_out(&o);
}

Test(cli, an_upgrade_between_two_models_of_one_sweep)
{
    fresh_outdir();
    small_sweep(outdir, "gencycle312,gencycle313", "5", true);

    /* The table: per workload, every metric from 3.12 to 3.13, and the
     * sentence. */
    out o = gctune("compare", outdir, "--from", "gencycle312", "--to", "gencycle313", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    const char *t = o.stdout_text;
    cr_assert(strstr(t, "Upgrade: CPython 3.12 (gencycle312, its defaults) -> CPython 3.13 "
                        "(gencycle313, its defaults)"),
              "%s", t);
    cr_assert(strstr(t, "\ndlist: gencycle312.dlist.gen0-700.gen1-10.gen2-10.") &&
                  strstr(t, " (5 processes) -> gencycle313.dlist.gen0-2000.gen1-10.gen2-10."),
              "%s", t);
    cr_assert(strstr(t, "\ntrees: gencycle312.trees.gen0-700"), "%s", t);
    static const char *const lines[] = {"  throughput ", "  p99 pause ", "  max pause ",
                                        "  peak memory ", "  GC work (deterministic",
                                        "  objects examined ", "  references traversed ",
                                        "  => moving from 3.12 to 3.13: "};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t n = 0;
        for (const char *p = strstr(t, lines[i]); p; p = strstr(p + 1, lines[i]))
            n++;
        GCT_ASSERT_EQ(n, 2, "'%s' once per workload:\n%s", lines[i], t);
    }
    cr_assert(strstr(t, "3.13/3.12") && strstr(t, "95% CI") && strstr(t, "floor"), "%s", t);
    free_out(&o);

    /* By version numbers, as JSON: the same pairs, 6 metrics each. */
    o = gctune("compare", outdir, "--from", "3.12", "--to", "3.13", "--json", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    json_error_t je;
    json_t *j = json_loads(o.stdout_text, 0, &je);
    cr_assert(j, "compare --json: %s", je.text);
    json_t *up = json_object_get(j, "upgrade");
    GCT_ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(up, "from"), "cpython")),
                      "3.12");
    GCT_ASSERT_STR_EQ(
        json_string_value(json_object_get(json_object_get(up, "to"), "collector")), "gencycle313");
    json_t *wls = json_object_get(up, "workloads");
    GCT_ASSERT_EQ(json_array_size(wls), 2);
    for (size_t i = 0; i < 2; i++) {
        const char *s = json_string_value(json_object_get(json_array_get(wls, i), "sentence"));
        cr_assert(s && !strncmp(s, "moving from 3.12 to 3.13: ", 26), "%s", s);
    }
    /* 4 timed metrics, 3 of garbage awaiting (the memory pass), 2 of work. */
    GCT_ASSERT_EQ(json_array_size(json_object_get(j, "comparisons")), 2 * 9);
    json_decref(j);
    free_out(&o);

    /* Two selections of one directory, one version each: an upgrade
     * without being told. */
    char a[300], b[300];
    snprintf(a, sizeof a, "%s:gencycle312.*", outdir);
    snprintf(b, sizeof b, "%s:gencycle313.*", outdir);
    o = gctune("compare", a, b, NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "Upgrade: CPython 3.12"), "%s", o.stdout_text);
    free_out(&o);

    /* A version against itself: its default against its A/A twin, which
     * the sweep made of the first CPython model's default. */
    gct_summary s;
    char err[600];
    GCT_ASSERT_EQ(gct_summary_load(outdir, &s, err, sizeof err), 0, "%s", err);
    cr_assert(s.nnoise > 0);
    const gct_config_summary *ref = gct_summary_find(&s, s.noise[0].config);
    cr_assert_not_null(ref);
    char twinned[64];
    snprintf(twinned, sizeof twinned, "%s", ref->collector);
    gct_summary_free(&s);
    o = gctune("compare", outdir, "--from", twinned, "--to", twinned, NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "an A/A comparison"), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "-> aa."), "the twin is the other end: %s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "no significant change in throughput, p99 pause, max pause or "
                                    "peak memory; the same GC work"),
              "%s", o.stdout_text);
    cr_assert_not(says_a_change(o.stdout_text), "A/A:\n%s", o.stdout_text);
    free_out(&o);

    /* The report: the figure, and one sentence per workload. */
    char p[600];
    static const char *const files[] = {"plots/upgrade.png", "plots/upgrade.svg",
                                        "plots/data/upgrade.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", outdir, files[i]);
        cr_assert(exists(p), "%s missing", files[i]);
    }
    o = gctune("report", outdir, NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);
    snprintf(p, sizeof p, "%s/report.md", outdir);
    char *md = slurp(p);
    cr_assert(strstr(md, "## What an upgrade does"), "%s", md);
    cr_assert(strstr(md, "![What an upgrade does](plots/upgrade.png)"), "%s", md);
    cr_assert(strstr(md, "\n- dlist: moving from 3.12 to 3.13: "), "%s", md);
    cr_assert(strstr(md, "\n- trees: moving from 3.12 to 3.13: "), "%s", md);
    /* Shown with its sentences, not again among the figures. */
    size_t shown = 0;
    for (const char *q = strstr(md, "](plots/upgrade.png)"); q;
         q = strstr(q + 1, "](plots/upgrade.png)"))
        shown++;
    GCT_ASSERT_EQ(shown, 1);
    free(md);
    snprintf(p, sizeof p, "%s/report.html", outdir);
    char *html = slurp(p);
    cr_assert(strstr(html, "<h2>What an upgrade does</h2>"));
    cr_assert(strstr(html, "dlist: moving from 3.12 to 3.13: "));
    free(html);

    /* Bad input: exit 2, naming the value. */
    o = gctune("compare", outdir, "--from", "3.99", "--to", "3.13", NULL);
    GCT_ASSERT_EQ(o.status, 2, "%s", o.stdout_text);
    cr_assert(strstr(o.stderr_text, "--from '3.99'") &&
                  strstr(o.stderr_text, "gencycle312 (3.12), gencycle313 (3.13)"),
              "%s", o.stderr_text);
    free_out(&o);
    o = gctune("compare", outdir, "--from", "gencycle312", "--to", "gencycle314", NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "--to 'gencycle314'"), "%s", o.stderr_text);
    free_out(&o);
    o = gctune("compare", outdir, "--to", "3.13", NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "say which with --from"), "%s", o.stderr_text);
    free_out(&o);
    o = gctune("compare", outdir, "--from", "3.12", "--to", "", NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "--to needs"), "%s", o.stderr_text);
    free_out(&o);

    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

Test(cli, an_upgrade_between_two_directories)
{
    fresh_outdir();
    char a[300], b[300], ms[300];
    snprintf(a, sizeof a, "%s-313", outdir);
    snprintf(b, sizeof b, "%s-312", outdir);
    snprintf(ms, sizeof ms, "%s-ms", outdir);
    small_sweep(a, "gencycle313", "3", false);
    small_sweep(b, "gencycle312", "3", false);

    /* A swept 3.13, B 3.12: a downgrade, read as one, without --from/--to;
     * with no configuration in common, the machine's drift is unmeasured
     * and the output says so. */
    out o = gctune("compare", a, b, NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "Upgrade: CPython 3.13 (gencycle313, its defaults) -> "
                                    "CPython 3.12 (gencycle312, its defaults)"),
              "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "=> moving from 3.13 to 3.12: "), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "no configuration in common"), "%s", o.stdout_text);
    free_out(&o);
    /* --csv: compare's rows, 6 per workload. */
    o = gctune("compare", a, b, "--csv", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    size_t lines = 0;
    for (const char *p = o.stdout_text; *p; p++)
        lines += *p == '\n';
    GCT_ASSERT_EQ(lines, 1 + 2 * 9, "%s", o.stdout_text);
    free_out(&o);

    /* A directory without any CPython model: refused, naming the value and
     * what the directory holds. */
    o = gctune("sweep", "-c", "marksweep", "-w", "dlist", "-p", "lists=5", "-p", "length=50",
               "--gen0", "1000", "--ops", "100", "--reps", "1", "--out", ms, "--quiet",
               "--no-plots", "--no-aa", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);
    o = gctune("compare", a, ms, "--to", "3.12", NULL);
    GCT_ASSERT_EQ(o.status, 2, "%s", o.stdout_text);
    cr_assert(strstr(o.stderr_text, "--to '3.12'") &&
                  strstr(o.stderr_text, "holds no CPython model (its collectors: marksweep)"),
              "%s", o.stderr_text);
    free_out(&o);
    /* Without --from/--to, marksweep against 3.13 is no upgrade: compare as
     * ever (here: nothing in common). */
    o = gctune("compare", a, ms, NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "share no configuration"), "%s", o.stderr_text);
    free_out(&o);

    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}
