/*
 * test-cli-usage.c — the gctune command as a user runs it: help for every
 * command, exit status 2 with a message naming the problem (and nothing
 * written), sweep-file errors by line, list and info as JSON.
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

/* ---- help and usage ------------------------------------------------------ */

Test(cli, help_for_every_command)
{
    out o = gctune("--help", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    static const char *const cmds[] = {"list", "info", "run", "sweep", "compare", "plot", "report"};
    const size_t ncmds = sizeof cmds / sizeof cmds[0];
    for (size_t i = 0; i < ncmds; i++)
        cr_assert(strstr(o.stdout_text, cmds[i]), "top-level help lacks %s", cmds[i]);
    free_out(&o);
    for (size_t i = 0; i < ncmds; i++) {
        o = gctune(cmds[i], "--help", NULL);
        GCT_ASSERT_EQ(o.status, 0, "%s --help exited %d", cmds[i], o.status);
        char want[64];
        snprintf(want, sizeof want, "usage: gctune %s", cmds[i]);
        cr_assert(strstr(o.stdout_text, want), "%s --help: %s", cmds[i], o.stdout_text);
        free_out(&o);
    }
}

static void expect_usage_error(const char *must, const char *first, ...)
{
    const char *args[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < 60; a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    fresh_outdir();
    if (!strcmp(args[0], "run") || !strcmp(args[0], "sweep")) {
        args[n++] = "--out";
        args[n++] = outdir;
    }
    args[n] = NULL;
    char so[] = "/tmp/gct-cli-out-XXXXXX", se[] = "/tmp/gct-cli-err-XXXXXX";
    close(mkstemp(so));
    close(mkstemp(se));
    out o = finish(start(args, so, se), so, se);
    GCT_ASSERT_EQ(o.status, 2, "%s ... exited %d, expected 2; stderr: %s", args[0], o.status,
                  o.stderr_text);
    cr_assert(strstr(o.stderr_text, must), "%s ...: stderr '%s' lacks '%s'", args[0],
              o.stderr_text, must);
    cr_assert_not(exists(outdir), "a rejected command left %s behind", outdir);
    free_out(&o);
}

Test(cli, bad_usage_exits_2_naming_the_problem_and_writes_nothing)
{
    expect_usage_error("unknown command 'frobnicate'", "frobnicate", NULL);
    expect_usage_error("unknown option '--bogus'", "list", "--bogus", NULL);
    expect_usage_error("which collector?", "run", "-w", "trees", NULL);
    expect_usage_error("which workload?", "run", "-c", "gencycle", NULL);
    expect_usage_error("unknown collector 'nope' (known: refcount, gencycle, gencycle312, "
                       "gencycle313, gencycle314, gencycle315, marksweep",
                       "run", "-c", "nope", "-w", "trees", NULL);
    expect_usage_error("unknown workload 'nope'", "run", "-c", "gencycle", "-w", "nope", NULL);
    expect_usage_error("'abc' is not a whole number", "run", "-c", "gencycle", "-w", "trees",
                       "--gen0", "abc", NULL);
    expect_usage_error("gen0=-5 is out of range", "run", "-c", "gencycle", "-w", "trees",
                       "--gen0", "-5", NULL);
    expect_usage_error("--gen1: no selected collector has a knob 'gen1'", "run", "-c",
                       "marksweep", "-w", "trees", "--gen1", "5", NULL);
    expect_usage_error("depth", "run", "-c", "gencycle", "-w", "trees", "-p", "depth=99", NULL);
    expect_usage_error("no selected workload has a parameter 'nosuch'", "run", "-c", "gencycle",
                       "-w", "trees", "-p", "nosuch=1", NULL);
    expect_usage_error("-p 'depth' is not of the form name=value", "run", "-c", "gencycle", "-w",
                       "trees", "-p", "depth", NULL);
    expect_usage_error("--ops '0' is not a whole number", "run", "-c", "gencycle", "-w", "trees",
                       "--ops", "0", NULL);
    expect_usage_error("a run measures one", "run", "-c", "gencycle", "-w", "trees", "--gen0",
                       "100,700", NULL);
    expect_usage_error("-j is for gctune sweep", "run", "-c", "gencycle", "-w", "trees", "-j",
                       "2", NULL);
    expect_usage_error("runs sharing a core would disturb each other", "sweep", "-j", "4096",
                       NULL);
    expect_usage_error("unknown preset 'fast'", "sweep", "--preset", "fast", NULL);
    expect_usage_error("--timeout 'soon'", "sweep", "--timeout", "soon", NULL);
    expect_usage_error("--max-memory 'lots'", "sweep", "--max-memory", "lots", NULL);
    expect_usage_error("/nonexistent.ini: cannot open", "sweep", "/nonexistent.ini", NULL);
    expect_usage_error("--max-p99 'soon'", "report", "/tmp", "--max-p99", "soon", NULL);
    expect_usage_error("give one result directory", "report", NULL);
    expect_usage_error("/nonexistent/results.csv: cannot open", "report", "/nonexistent", NULL);
    expect_usage_error("give one result directory", "plot", NULL);
}

/* --trace records a run; a trace file is a workload; both are refused early
 * when they cannot be (docs/traces.md). */
Test(cli, trace_options_are_refused_before_anything_runs)
{
    expect_usage_error("--collections needs --trace", "run", "-c", "gencycle", "-w", "trees",
                       "--collections", "/tmp/gct-never.json", NULL);
    expect_usage_error("--trace is for gctune run", "sweep", "--trace", "/tmp/gct-never.trace",
                       NULL);
    expect_usage_error("-w: /nonexistent/x.trace: cannot open", "run", "-c", "gencycle", "-w",
                       "trace:/nonexistent/x.trace", NULL);
    char t[] = "/tmp/gct-cli-trace-XXXXXX", w[64];
    int fd = mkstemp(t);
    GCT_ASSERT_EQ(write(fd, "gctune-trace 1\nnew 1\n", 21), 21);
    close(fd);
    snprintf(w, sizeof w, "trace:%s", t);
    expect_usage_error("has no recording build", "run", "-c", "gencycle", "-w", w, "--trace",
                       "/tmp/gct-never.trace", NULL);
    unlink(t);
    expect_usage_error("makes weak references (at set-up)", "run", "-c", "gencycle", "-w",
                       "trees", "-p", "parent=weak", "-p", "depth=1", "-p", "long_depth=2",
                       "--trace", "/tmp/gct-never.trace", NULL);
    cr_assert_not(exists("/tmp/gct-never.trace"));
}

Test(cli, a_bad_sweep_file_is_named_with_its_line)
{
    char ini[] = "/tmp/gct-cli-ini-XXXXXX";
    int fd = mkstemp(ini);
    const char *text = "[sweep]\nworkloads = trees\n[knobs]\ngen0 = 100,lots\n";
    GCT_ASSERT_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char must[128];
    snprintf(must, sizeof must, "%s [knobs] gen0: 'lots' is not a whole number", ini);
    expect_usage_error(must, "sweep", ini, NULL);
    unlink(ini);
}

Test(cli, list_and_info_as_json)
{
    out o = gctune("list", "--json", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    json_error_t je;
    json_t *j = json_loads(o.stdout_text, 0, &je);
    cr_assert(j, "list --json: %s", je.text);
    /* Every registered collector (cpython only where python3-dev was found). */
    GCT_ASSERT_EQ(json_array_size(json_object_get(j, "collectors")), gct_collector_count());
    GCT_ASSERT_EQ(json_array_size(json_object_get(j, "workloads")), 5);
    json_decref(j);
    free_out(&o);

    o = gctune("info", "--json", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    j = json_loads(o.stdout_text, 0, &je);
    cr_assert(j, "info --json: %s", je.text);
    GCT_ASSERT_GEQ(json_integer_value(json_object_get(json_object_get(j, "machine"), "cores")), 1);
    cr_assert(json_string_value(json_object_get(json_object_get(j, "build"), "git_revision")));
    json_decref(j);
    free_out(&o);

    o = gctune("info", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    cr_assert(strstr(o.stdout_text, "cores"));
    free_out(&o);
}

/* ---- numbers: --ops and a sweep file's ops give the same answer ---------- */

/* With a parameter out of range after it, an accepted count ends in that
 * error and a refused one in its own: both exit 2 without measuring. */
static void expect_same_answer_for_ops(const char *text, bool accepted)
{
    if (accepted)
        expect_usage_error("depth", "sweep", "-c", "refcount", "-w", "trees", "--ops", text, "-p",
                           "depth=99", NULL);
    else {
        char must[128];
        snprintf(must, sizeof must, "--ops '%s' is not a whole number", text);
        expect_usage_error(must, "sweep", "-c", "refcount", "-w", "trees", "--ops", text, "-p",
                           "depth=99", NULL);
    }
    char ini[] = "/tmp/gct-cli-ops-XXXXXX";
    int fd = mkstemp(ini);
    char body[256];
    int len = snprintf(body, sizeof body,
                       "[sweep]\ncollectors = refcount\nworkloads = trees\nops = %s\n"
                       "[params]\ndepth = 99\n",
                       text);
    GCT_ASSERT_EQ(write(fd, body, (size_t)len), len);
    close(fd);
    char must[256];
    if (accepted)
        snprintf(must, sizeof must, "%s [params] depth", ini);
    else
        snprintf(must, sizeof must, "%s:4: ops = '%s'", ini, text);
    expect_usage_error(must, "sweep", ini, NULL);
    unlink(ini);
}

Test(cli, ops_on_the_command_line_and_in_a_sweep_file_read_alike)
{
    expect_same_answer_for_ops("+0x10", false);
    expect_same_answer_for_ops("0x10", false);
    expect_same_answer_for_ops("1e3", false);
    expect_same_answer_for_ops("99999999999999999999", false);
    expect_same_answer_for_ops("2000000G", false); /* over the bound of both */
    expect_same_answer_for_ops("10k", true);
    expect_same_answer_for_ops("2M", true);
    /* A leading blank: refused on the command line; an INI file trims the
     * blanks around every value, so a file cannot carry one. */
    expect_usage_error("--ops ' 10' is not a whole number", "sweep", "-c", "refcount", "-w",
                       "trees", "--ops", " 10", NULL);
}

/* A long option without its value says so (it said "unknown option", or
 * printed a NUL byte for --gen0).  The option is the last argument, so no
 * --out follows it (nothing runs: the usage error comes first). */
static void expect_needs_value(const char *must, const char *cmd, const char *opt)
{
    out o = gctune(cmd, opt, NULL);
    GCT_ASSERT_EQ(o.status, 2, "%s %s exited %d", cmd, opt, o.status);
    cr_assert(strstr(o.stderr_text, must), "%s %s: '%s' lacks '%s'", cmd, opt, o.stderr_text,
              must);
    free_out(&o);
}

Test(cli, a_long_option_without_its_value_is_named)
{
    expect_needs_value("gctune run: '--ops' needs a value", "run", "--ops");
    expect_needs_value("gctune sweep: '--gen0' needs a value", "sweep", "--gen0");
    expect_needs_value("gctune run: -c needs a value", "run", "-c");
}
