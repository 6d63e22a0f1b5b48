/*
 * test-cli-sweep.c — the gctune command as a user runs it: real (tiny) runs
 * and sweeps whose result directories are read back and checked for
 * consistency; a failing configuration, an interrupted sweep.
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
        if (!strcmp(r->collector, "refcount")) {
            GCT_ASSERT_EQ(r->gen0, -1);
            GCT_ASSERT_EQ(r->gen1, -1);
            GCT_ASSERT_EQ(r->gen2, -1);
        }
        if (!strcmp(r->collector, "marksweep")) {
            GCT_ASSERT_GT(r->gen0, 0);
            GCT_ASSERT_EQ(r->gen1, -1);
            GCT_ASSERT_EQ(r->gen2, -1);
        }
        if (!strcmp(r->collector, "gencycle")) {
            GCT_ASSERT_GT(r->gen0, 0);
            GCT_ASSERT_EQ(r->gen1, 2);
            GCT_ASSERT_EQ(r->gen2, 2);
        }

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
    /* Which CPython each collector models, and its defaults, as the build
     * that measured saw them. */
    json_t *cols = json_object_get(meta, "collectors");
    GCT_ASSERT_EQ(json_object_size(cols), 3);
    GCT_ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(cols, "gencycle"),
                                                        "cpython")),
                      "3.11");
    cr_assert(json_is_null(json_object_get(json_object_get(cols, "marksweep"), "cpython")));
    GCT_ASSERT_EQ(json_integer_value(json_object_get(
                      json_object_get(json_object_get(cols, "gencycle"), "defaults"), "gen0")),
                  700);
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

/* Issue 16: two --force sweeps into one directory destroyed each other.
 * The second is refused while the first runs, naming its pid, and the
 * first finishes whole. */
Test(cli, a_directory_in_use_is_refused_naming_its_holder)
{
    fresh_outdir();
    char so[] = "/tmp/gct-cli-out-XXXXXX", se[] = "/tmp/gct-cli-err-XXXXXX";
    close(mkstemp(so));
    close(mkstemp(se));
    const char *args[] = {"sweep", "-c", "gencycle", "-w", "dlist", "-p", "lists=5", "--gen0",
                          "10..400+10", "--gen1", "10", "--gen2", "10", "--ops", "300", "--reps",
                          "1", "--no-plots", "--out", outdir, "--quiet", NULL};
    pid_t pid = start(args, so, se);
    /* The lock is taken before the first process starts: from then on the
     * directory is the first sweep's, for the seconds it runs. */
    char p[512], lock[512];
    snprintf(p, sizeof p, "%s/results.csv", outdir);
    snprintf(lock, sizeof lock, "%s/.lock", outdir);
    for (int i = 0; i < 6000 && !exists(lock); i++)
        usleep(10000);
    cr_assert(exists(lock), "the first sweep took no lock within a minute");
    usleep(100000); /* its pid written */
    out o = gctune("sweep", "-c", "gencycle", "-w", "trees", "--ops", "10", "--reps", "1",
                   "--force", "--no-plots", "--quiet", "--out", outdir, NULL);
    char want[64];
    snprintf(want, sizeof want, "in use by another gctune (pid %ld)", (long)pid);
    GCT_ASSERT_EQ(o.status, 2, "the second sweep exited %d: %s", o.status, o.stderr_text);
    cr_assert(strstr(o.stderr_text, want), "%s", o.stderr_text);
    cr_assert(!strstr(o.stdout_text, "configurations ran"), "nothing to count: %s",
              o.stdout_text);
    free_out(&o);
    o = finish(pid, so, se);
    GCT_ASSERT_EQ(o.status, 0, "the first sweep: %s", o.stderr_text);
    free_out(&o);
    gct_results set;
    char err[512];
    GCT_ASSERT_EQ(gct_results_read_csv(p, &set, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(set.n, 41, "the first sweep's 40 configurations and its twin, whole");
    for (size_t i = 0; i < set.n; i++)
        GCT_ASSERT_STR_EQ(set.rows[i].workload, "dlist");
    gct_results_free(&set);
    /* Once it has ended the directory is free again. */
    o = gctune("sweep", "-c", "gencycle", "-w", "trees", "--ops", "10", "--reps", "1",
               "--gen0", "700", "--gen1", "10", "--gen2", "10", "--force", "--no-plots",
               "--quiet", "--out", outdir, NULL);
    GCT_ASSERT_EQ(o.status, 0, "%s", o.stderr_text);
    free_out(&o);
    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

/* A sweep stopped by sig once a configuration has finished: exit 130, what
 * finished kept, meta.json's outcome says interrupted. */
static void interrupt_with(int sig)
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
    kill(pid, sig);
    out o = finish(pid, so, se);
    GCT_ASSERT_EQ(o.status, 130, "a sweep stopped by %s exited %d", strsignal(sig), o.status);
    cr_assert(strstr(o.stderr_text, "interrupted"), "%s", o.stderr_text);
    free_out(&o);
    gct_results set;
    char err[512];
    GCT_ASSERT_EQ(gct_results_read_csv(p, &set, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_GEQ(set.n, 1);
    GCT_ASSERT_LT(set.n, 10000, "the sweep did not stop");
    gct_results_free(&set);
    json_t *meta = load_json(outdir, "meta.json");
    cr_assert(json_is_true(json_object_get(json_object_get(meta, "outcome"), "interrupted")),
              "%s: meta.json says interrupted", strsignal(sig));
    json_decref(meta);
    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

Test(cli, an_interrupted_sweep_keeps_what_finished) { interrupt_with(SIGINT); }

/* Issue 16: a closed terminal killed the sweep unfinalised. */
Test(cli, a_hangup_stops_the_sweep_as_an_interrupt_does) { interrupt_with(SIGHUP); }

Test(cli, a_terminated_sweep_keeps_what_finished) { interrupt_with(SIGTERM); }

/* `gctune sweep | head -1`: the first progress line, then the closed pipe
 * stops the sweep as an interrupt does (it used to die unfinalised). */
Test(cli, a_closed_pipe_stops_the_sweep_as_an_interrupt_does)
{
    fresh_outdir();
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "\"%s\" sweep -c gencycle -w dlist -p lists=5 --gen0 10..2000+10 --ops 300 "
             "--reps 1 --no-plots --out '%s' | head -1 >/dev/null; exit ${PIPESTATUS[0]}",
             getenv("GCTUNE"), outdir);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    cr_assert(WIFEXITED(st), "bash ended by a signal");
    GCT_ASSERT_EQ(WEXITSTATUS(st), 130, "gctune exited %d after its pipe closed", WEXITSTATUS(st));
    json_t *meta = load_json(outdir, "meta.json");
    cr_assert(json_is_true(json_object_get(json_object_get(meta, "outcome"), "interrupted")),
              "meta.json says interrupted");
    json_decref(meta);
    char parent[160];
    snprintf(parent, sizeof parent, "%s", outdir);
    *strrchr(parent, '/') = 0;
    rm_rf(parent);
}

/* A line of compare's table whose verdict (its last word) calls a difference. */
