/* test-cli.c — the gctune command as a user runs it: help, exit statuses,
 * error messages, and real (tiny) runs and sweeps whose result directories
 * are read back and checked for consistency.  (No Criterion .timeout: two
 * timed tests at once make Criterion 2.4.1's runner leak under LSan; meson's
 * test timeout bounds the program instead.) */
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

typedef struct out {
    int status; /* exit status, or 128 + signal */
    char *stdout_text, *stderr_text;
} out;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return strdup("");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strdup(buf);
}

static pid_t start(const char *const *args, const char *so, const char *se)
{
    const char *exe = getenv("GCTUNE");
    cr_assert(exe, "GCTUNE is not set (meson sets it)");
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(so, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(se, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        const char *argv[64] = {"gctune"};
        size_t n = 1;
        for (; args[n - 1] && n < 63; n++)
            argv[n] = args[n - 1];
        argv[n] = NULL;
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static out finish(pid_t pid, const char *so, const char *se)
{
    int st;
    waitpid(pid, &st, 0);
    out r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.stdout_text = slurp(so);
    r.stderr_text = slurp(se);
    unlink(so);
    unlink(se);
    return r;
}

/* Run gctune with the arguments (NULL-terminated). */
static out gctune(const char *first, ...)
{
    const char *args[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    char so[] = "/tmp/gct-cli-out-XXXXXX", se[] = "/tmp/gct-cli-err-XXXXXX";
    close(mkstemp(so));
    close(mkstemp(se));
    return finish(start(args, so, se), so, se);
}

static void free_out(out *o)
{
    free(o->stdout_text);
    free(o->stderr_text);
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

static char outdir[128];

static void fresh_outdir(void)
{
    snprintf(outdir, sizeof outdir, "/tmp/gct-cli-%d-%ld/out", getpid(), (long)time(NULL));
}

static void rm_rf(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    GCT_ASSERT_EQ(system(cmd), 0);
}

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
    expect_usage_error("unknown collector 'nope' (known: refcount, gencycle, marksweep", "run",
                       "-c", "nope", "-w", "trees", NULL);
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

/* ---- real runs ----------------------------------------------------------- */

Test(cli, run_prints_a_summary_and_json_records)
{
    out o = gctune("run", "-c", "gencycle", "-w", "dlist", "-p", "lists=5", "-p", "length=50",
                   "--ops", "500", "--gen0", "50", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    static const char *const lines[] = {"throughput", "time in GC", "pauses", "MMU",
                                        "collections", "GC work", "peak live", "leaked"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        cr_assert(strstr(o.stdout_text, lines[i]), "summary lacks '%s':\n%s", lines[i],
                  o.stdout_text);
    free_out(&o);

    o = gctune("run", "-c", "refcount", "-w", "dlist", "-p", "lists=5", "-p", "length=50",
               "--ops", "500", "--reps", "2", "--json", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    json_error_t je;
    json_t *j = json_loads(o.stdout_text, 0, &je);
    cr_assert(j, "run --json: %s", je.text);
    GCT_ASSERT_EQ(json_array_size(j), 2);
    json_t *r = json_array_get(j, 1);
    GCT_ASSERT_STR_EQ(json_string_value(json_object_get(r, "status")), "ok");
    GCT_ASSERT_EQ(json_integer_value(json_object_get(r, "ops")), 500);
    GCT_ASSERT_EQ(json_integer_value(json_object_get(r, "rep")), 1);
    GCT_ASSERT_EQ(json_integer_value(json_object_get(r, "round")), 1);
    GCT_ASSERT_EQ(json_integer_value(json_object_get(r, "warmup_ops")), 50, "10%% of 500 ops");
    /* Two repetitions, two processes. */
    GCT_ASSERT_NEQ(json_integer_value(json_object_get(json_array_get(j, 0), "pid")),
                   json_integer_value(json_object_get(r, "pid")));
    json_decref(j);
    free_out(&o);

    /* Three processes: an interval is a range, never called a 95% CI. */
    o = gctune("run", "-c", "gencycle", "-w", "dlist", "-p", "lists=5", "-p", "length=50",
               "--ops", "500", "--reps", "3", NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "median of 3 processes; range"), "%s", o.stdout_text);
    cr_assert_null(strstr(o.stdout_text, "95% CI"), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "the same in every process"), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "too short to time reliably"), "%s", o.stdout_text);
    free_out(&o);
}

static json_t *load_json(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    json_error_t je;
    json_t *j = json_load_file(p, 0, &je);
    cr_assert(j, "%s: %s", p, je.text);
    return j;
}

static size_t count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s missing", path);
    size_t n = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}

Test(cli, a_tiny_sweep_writes_a_consistent_result_directory)
{
    fresh_outdir();
    /* Dropping a ring every 50 operations makes cyclic garbage to collect. */
    out o = gctune("sweep", "-c", "refcount,gencycle,marksweep", "-w", "dlist", "-p", "lists=5",
                   "-p", "length=50", "-p", "drop_every=50", "--gen0", "50,200",
                   "--gen1", "2", "--gen2", "2", "--ops", "400", "--reps", "2", "--out", outdir,
                   "--quiet", NULL);
    GCT_ASSERT_EQ(o.status, 0, "sweep exited %d: %s", o.status, o.stderr_text);
    cr_assert(strstr(o.stdout_text, outdir), "the sweep does not say where the results are");
    free_out(&o);

    /* refcount once, gencycle gen0 50|200, marksweep gen0 50|200, and the
     * A/A twin of the one configuration at its defaults (refcount): 6 x 2
     * processes. */
    char p[512];
    snprintf(p, sizeof p, "%s/results.csv", outdir);
    gct_results set;
    char err[512];
    GCT_ASSERT_EQ(gct_results_read_csv(p, &set, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(set.n, 12, "%zu rows", set.n);
    bool process_seen[12] = {false};
    size_t twins = 0;
    for (size_t i = 0; i < set.n; i++) {
        const gct_result *r = &set.rows[i];
        /* One process per repetition: a place in the schedule, a pid of its
         * own, a round, the warm-up. */
        cr_assert(r->process >= 0 && r->process < 12, "process %lld", (long long)r->process);
        cr_assert_not(process_seen[r->process], "process %lld twice", (long long)r->process);
        process_seen[r->process] = true;
        GCT_ASSERT_EQ(r->round, r->rep);
        GCT_ASSERT_EQ(r->round, r->process / 6, "%s: process %lld in round %lld: rounds interleave",
                      r->config_id, (long long)r->process, (long long)r->round);
        GCT_ASSERT_GT(r->pid, 0);
        for (size_t k = 0; k < i; k++)
            GCT_ASSERT_NEQ(set.rows[k].pid, r->pid, "two records from one process");
        GCT_ASSERT_EQ(r->warmup_ops, 40);
        if (r->aa_of[0]) {
            twins++;
            GCT_ASSERT_STR_EQ(r->aa_of, "refcount.dlist.lists-5.length-50.drop_every-50");
            char want[300];
            snprintf(want, sizeof want, "aa.%s", r->aa_of);
            GCT_ASSERT_STR_EQ(r->config_id, want);
        }
        GCT_ASSERT_EQ(r->status, GCT_STATUS_OK, "%s: %s", r->config_id, r->reason);
        GCT_ASSERT_EQ(r->ops, 400);
        /* ops/s x time = ops */
        cr_assert(fabs(r->ops_per_s * r->wall_s - 400) < 1e-3, "%s: %g x %g", r->config_id,
                  r->ops_per_s, r->wall_s);
        if (!strcmp(r->collector, "refcount"))
            cr_assert(r->gen0 == -1 && r->gen1 == -1 && r->gen2 == -1);
        if (!strcmp(r->collector, "marksweep"))
            cr_assert(r->gen0 > 0 && r->gen1 == -1 && r->gen2 == -1);
        if (!strcmp(r->collector, "gencycle"))
            cr_assert(r->gen0 > 0 && r->gen1 == 2 && r->gen2 == 2);

        /* The pause file: its rows for this repetition sum to gc_s. */
        snprintf(p, sizeof p, "%s/pauses/%s.csv", outdir, r->config_id);
        gct_pause_rows pr;
        GCT_ASSERT_EQ(gct_pauses_read(p, &pr, err, sizeof err), 0, "%s", err);
        double sum_us = 0;
        int64_t count = 0;
        for (size_t k = 0; k < pr.n; k++) {
            if (pr.rows[k].rep != r->rep)
                continue;
            sum_us += pr.rows[k].duration_us;
            count++;
        }
        GCT_ASSERT_EQ(count, r->pauses, "%s rep %lld: %lld pause rows, %lld pauses", r->config_id,
                      (long long)r->rep, (long long)count, (long long)r->pauses);
        cr_assert(fabs(sum_us / 1e6 - r->gc_s) < 1e-6 * (double)(count + 1),
                  "%s: pause file sums to %g s, gc_s %g", r->config_id, sum_us / 1e6, r->gc_s);
        if (!strcmp(r->collector, "gencycle")) {
            GCT_ASSERT_GT(r->collections_gen0, 0);
            GCT_ASSERT_GT(r->gc_examined, 0);
            GCT_ASSERT_GT(r->gc_traversed, 0);
        }
        /* The GC work is the same in both processes of a configuration. */
        for (size_t k = 0; k < i; k++)
            if (!strcmp(set.rows[k].config_id, r->config_id)) {
                GCT_ASSERT_EQ(set.rows[k].gc_examined, r->gc_examined, "%s", r->config_id);
                GCT_ASSERT_EQ(set.rows[k].gc_traversed, r->gc_traversed, "%s", r->config_id);
                GCT_ASSERT_EQ(set.rows[k].collections_gen0, r->collections_gen0);
                GCT_ASSERT_EQ(set.rows[k].gc_freed, r->gc_freed);
            }
        gct_pause_rows_free(&pr);
    }
    GCT_ASSERT_EQ(twins, 2);
    gct_results_free(&set);

    /* summary.csv: a header and one row per configuration, reps 2; noise.csv:
     * the A/A control. */
    snprintf(p, sizeof p, "%s/summary.csv", outdir);
    GCT_ASSERT_EQ(count_lines(p), 7);
    char *summary = slurp(p);
    cr_assert(strstr(summary, "ops_per_s_median,ops_per_s_lo,ops_per_s_hi"));
    cr_assert(strstr(summary, ",range,"), "2 processes give a range, not a CI");
    free(summary);
    snprintf(p, sizeof p, "%s/noise.csv", outdir);
    GCT_ASSERT_EQ(count_lines(p), 2);

    json_t *gb = load_json(outdir, "gbench.json");
    json_t *runs = json_object_get(gb, "benchmarks");
    size_t iterations = 0;
    for (size_t i = 0; i < json_array_size(runs); i++) {
        json_t *r = json_array_get(runs, i);
        const char *id = json_string_value(json_object_get(r, "gctune_config_id"));
        cr_assert(id);
        /* One run per process, named by its configuration alone (no
         * repetition count, no iterations), as compare.py matches them. */
        GCT_ASSERT_STR_EQ(json_string_value(json_object_get(r, "name")), id);
        cr_assert(json_is_integer(json_object_get(r, "gctune_round")));
        iterations += !strcmp(json_string_value(json_object_get(r, "run_type")), "iteration");
    }
    GCT_ASSERT_EQ(iterations, 12);
    json_t *contexts = json_object_get(gb, "gctune_contexts");
    GCT_ASSERT_EQ(json_object_size(contexts), 6);
    const char *key;
    json_t *ctx;
    json_object_foreach(contexts, key, ctx)
    {
        static const char *const must[] = {"gctune_collector", "gctune_workload", "gctune_knobs",
                                           "gctune_params", "gctune_seed", "gctune_topology"};
        for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
            cr_assert(json_string_value(json_object_get(ctx, must[i])), "%s lacks %s", key,
                      must[i]);
    }
    json_decref(gb);

    json_t *meta = load_json(outdir, "meta.json");
    GCT_ASSERT_EQ(json_integer_value(json_object_get(meta, "schema_version")), GCT_RESULTS_SCHEMA);
    cr_assert(json_is_array(json_object_get(meta, "command_line")));
    cr_assert(json_object_get(json_object_get(meta, "machine"), "cores"));
    cr_assert(json_object_get(json_object_get(meta, "build"), "git_revision"));
    GCT_ASSERT_EQ(json_integer_value(
                      json_object_get(json_object_get(meta, "outcome"), "configurations_failed")),
                  0);
    GCT_ASSERT_EQ(
        json_integer_value(json_object_get(json_object_get(meta, "outcome"), "processes_run")), 12);
    GCT_ASSERT_EQ(json_array_size(json_object_get(json_object_get(meta, "load"), "before")), 3);
    GCT_ASSERT_EQ(json_array_size(json_object_get(json_object_get(meta, "load"), "after")), 3);
    json_decref(meta);

    /* Nothing of the children's scratch is left. */
    snprintf(p, sizeof p, "%s/.work", outdir);
    cr_assert_not(exists(p));

    /* The same directory again is refused (exit 2), and --force accepts it. */
    o = gctune("sweep", "-c", "refcount", "-w", "dlist", "--ops", "10", "--reps", "1", "--out",
               outdir, "--quiet", NULL);
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.stderr_text, "already holds results"), "%s", o.stderr_text);
    free_out(&o);
    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

Test(cli, a_failing_configuration_is_recorded_and_the_sweep_goes_on)
{
    fresh_outdir();
    /* trees with a 4-million-node long-lived tree cannot fit in 64 MiB;
     * dlist can.  The address-space limit makes the first die. */
    out o = gctune("sweep", "-c", "refcount", "-w", "trees,dlist", "-p", "trees.long_depth=22",
                   "-p", "dlist.lists=5", "--ops", "100", "--reps", "2", "--max-memory", "64M",
                   "--out", outdir, "--quiet", "--no-aa", NULL);
    GCT_ASSERT_EQ(o.status, 1, "a sweep with a failed configuration exits 1, not %d: %s", o.status,
                  o.stderr_text);
    free_out(&o);
    char p[512], err[512];
    snprintf(p, sizeof p, "%s/results.csv", outdir);
    gct_results set;
    GCT_ASSERT_EQ(gct_results_read_csv(p, &set, err, sizeof err), 0, "%s", err);
    /* Two processes each: trees fails in round 0, and its round 1 is not
     * run (it would only fail again); dlist runs both. */
    GCT_ASSERT_EQ(set.n, 4);
    size_t ok = 0;
    for (size_t i = 0; i < set.n; i++) {
        const gct_result *r = &set.rows[i];
        if (!strcmp(r->workload, "dlist")) {
            GCT_ASSERT_EQ(r->status, GCT_STATUS_OK, "%s", r->reason);
            ok++;
        } else {
            GCT_ASSERT_EQ(r->status, GCT_STATUS_FAILED);
            cr_assert(r->reason[0], "a failed configuration says why");
            if (r->round == 1)
                cr_assert(strstr(r->reason, "not run: round 0 failed"), "%s", r->reason);
        }
    }
    GCT_ASSERT_EQ(ok, 2);
    gct_results_free(&set);
    json_t *meta = load_json(outdir, "meta.json");
    GCT_ASSERT_EQ(json_integer_value(
                      json_object_get(json_object_get(meta, "outcome"), "configurations_failed")),
                  1);
    json_decref(meta);
    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

Test(cli, an_interrupted_sweep_keeps_what_finished)
{
    fresh_outdir();
    char so[] = "/tmp/gct-cli-out-XXXXXX", se[] = "/tmp/gct-cli-err-XXXXXX";
    close(mkstemp(so));
    close(mkstemp(se));
    const char *args[] = {"sweep", "-c", "gencycle", "-w", "dlist", "-p", "lists=5", "--gen0",
                          "10..2000+10", "--ops", "300", "--reps", "1", "--out", outdir,
                          "--quiet", NULL};
    pid_t pid = start(args, so, se);
    /* Wait until at least one configuration has finished, then interrupt. */
    char p[512];
    snprintf(p, sizeof p, "%s/results.csv", outdir);
    for (int i = 0; i < 6000 && !exists(p); i++)
        usleep(10000);
    cr_assert(exists(p), "no configuration finished within a minute");
    kill(pid, SIGINT);
    out o = finish(pid, so, se);
    GCT_ASSERT_EQ(o.status, 130, "interrupted sweep exited %d", o.status);
    cr_assert(strstr(o.stderr_text, "interrupted"), "%s", o.stderr_text);
    free_out(&o);
    gct_results set;
    char err[512];
    GCT_ASSERT_EQ(gct_results_read_csv(p, &set, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_GEQ(set.n, 1);
    GCT_ASSERT_LT(set.n, 10000, "the sweep did not stop");
    gct_results_free(&set);
    json_t *meta = load_json(outdir, "meta.json");
    cr_assert(json_is_true(json_object_get(json_object_get(meta, "outcome"), "interrupted")));
    json_decref(meta);
    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

/* A line of compare's table whose verdict (its last word) calls a difference. */
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
    /* Two configurations and the A/A twin of the first, 13 metrics each. */
    GCT_ASSERT_EQ(json_array_size(rows), 3 * 13, "%zu rows", json_array_size(rows));
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        json_t *ratio = json_object_get(r, "ratio");
        if (!json_is_null(ratio))
            GCT_ASSERT_DBL_NEAR(json_number_value(ratio), 1.0, 1e-12);
    }
    json_decref(j);
    free_out(&o);

    /* --csv: a header and 39 rows. */
    o = gctune("compare", outdir, outdir, "--csv", NULL);
    GCT_ASSERT_EQ(o.status, 0);
    size_t lines = 0;
    for (const char *p = o.stdout_text; *p; p++)
        lines += *p == '\n';
    GCT_ASSERT_EQ(lines, 40);
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
                   "cache.capacity=200", "--gen0", "20,200", "--gen1", "2,10", "--gen2", "10",
                   "--ops", "dlist=400", "--ops", "cache=3000", "--reps", "3", "--out", outdir,
                   NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    cr_assert(strstr(o.stdout_text, "figures in"), "%s", o.stdout_text);
    cr_assert(strstr(o.stdout_text, "report: "), "a sweep ends with a report: %s", o.stdout_text);
    free_out(&o);
    char plots[300], small[600] = "";
    snprintf(plots, sizeof plots, "%s/plots", outdir);
    /* collectors, throughput-gen0, and per workload: pause CDF, timeline,
     * 3 heatmaps, 2 trade-offs, MMU = 2 + 2 x 8 = 18 figures. */
    size_t svg = count_files(plots, ".svg", 2000, small, sizeof small);
    size_t png = count_files(plots, ".png", 5000, small, sizeof small);
    GCT_ASSERT_EQ(svg, 18, "%zu SVG figures", svg);
    GCT_ASSERT_EQ(png, 18, "%zu PNG figures", png);
    cr_assert_not(small[0], "a figure is suspiciously small: %s", small);
    static const char *const expect[] = {"collectors.png", "throughput-gen0.png",
                                         "pause-cdf-dlist.png", "pause-timeline-cache.png",
                                         "heatmap-ops-dlist.png", "heatmap-p99-cache.png",
                                         "heatmap-peak-dlist.png", "tradeoff-pause-cache.png",
                                         "tradeoff-memory-dlist.png", "mmu-cache.png"};
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
    GCT_ASSERT_EQ(count_files(plots, ".pdf", 1000, NULL, 0), 18);

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
