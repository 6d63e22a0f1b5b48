/*
 * cmd_run.c — `gctune run`: one configuration, each repetition in a process
 * of its own, and a summary of what it did (the result model, summary.h).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "measure.h"
#include "summary.h"
#include "trace_record.h"

static void run_help(FILE *out)
{
    fprintf(out,
            "usage: gctune run -c COLLECTOR -w WORKLOAD [--gen0 N] [--gen1 N] [--gen2 N]\n"
            "                  [-k knob=value ...] [-p name=value ...] [--ops N] [--reps R]\n"
            "                  [--warmup PCT] [--seed S] [--pin] [--out DIR] [--json]\n"
            "                  [--timeout S] [--max-memory SIZE]\n"
            "                  [--trace FILE [--collections FILE]]\n\n"
            "Measure one configuration, every repetition in a process of its own, and print\n"
            "a summary: throughput, time in GC, pauses (p50/p99/max), MMU, the collector's\n"
            "work (collections, objects examined, references traversed, objects freed: the\n"
            "same in every process for a seed), peak live memory, leaked objects.  Medians\n"
            "over the processes; an interval is a 95%% CI from 5 processes on, else their\n"
            "range.\n\n"
            "  -c, --collector NAME  a collector (gctune list)\n"
            "  -w, --workload NAME   a workload (gctune list), or trace:FILE: a trace, one\n"
            "                        operation a replay of all of it (docs/traces.md)\n"
            "  --gen0/--gen1/--gen2 N  thresholds (knobs of gencycle; marksweep has gen0)\n"
            "  -k, --knob K=V        any other knob, e.g. -k cascade=5000\n"
            "  -p, --param P=V       a workload parameter, e.g. -p depth=14\n"
            "  --ops N               operations per repetition (10k, 2M work; default: the\n"
            "                        workload's count in the default preset, see sweep --help)\n"
            "  --pin                 pin the run to one core\n"
            "  --out DIR             also write a result directory\n"
            "  --json                print the records as JSON instead of the summary\n"
            "  --trace FILE          first record the configuration's heap operations (set-up,\n"
            "                        then --ops operations, on a heap of its own) as a trace\n"
            "                        (docs/traces.md) that `gctune replay FILE -c gencycle`\n"
            "                        replays with the same collections\n"
            "  --collections FILE    with --trace: the recording's collections, as the JSON of\n"
            "                        `gctune replay --work` (the same, line for line)\n"
            "%s",
            gct_measure_common_help);
}

/* "12345 ops/s (median of 5 processes; 95% CI 12000..12600)" */
static void print_stat(const char *label, const gct_config_summary *c, const char *field,
                       double scale, const char *unit)
{
    const gct_stat *s = gct_summary_stat(c, field);
    if (c->n == 1) {
        printf("  %-12s %.6g %s\n", label, s->median * scale, unit);
        return;
    }
    printf("  %-12s %.6g %s (median of %zu processes; %s %.6g..%.6g)\n", label, s->median * scale,
           unit, c->n, c->ci ? "95% CI" : "range", s->lo * scale, s->hi * scale);
}

static double med(const gct_config_summary *c, const char *field)
{
    return gct_summary_stat(c, field)->median;
}

static void print_run_summary(const gct_config_summary *c, const gct_results *rows)
{
    printf("%s: %" PRId64 " ops x %zu process%s (+%" PRId64 " warm-up ops each), seed %" PRId64
           "\n",
           c->id, c->ops, c->n + c->failed, c->n + c->failed == 1 ? "" : "es", c->warmup_ops,
           c->seed);
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i].status != GCT_STATUS_OK)
            printf("  FAILED repetition %" PRId64 ": %s\n", rows->rows[i].rep, rows->rows[i].reason);
    if (!c->n)
        return;
    print_stat("throughput", c, "ops_per_s", 1, "ops/s");
    printf("  %-12s %.1f%% (%.3f s)\n", "time in GC", 100 * c->gc_fraction, med(c, "gc_s"));
    char p50[32], p99[32], mx[32];
    gct_fmt_us_ascii(med(c, "pause_p50_us"), p50, sizeof p50);
    gct_fmt_us_ascii(c->p99, p99, sizeof p99);
    gct_fmt_us_ascii(c->pmax, mx, sizeof mx);
    printf("  %-12s %.0f (%.0f cascades): p50 %s, p99 %s, max %s\n", "pauses", med(c, "pauses"),
           med(c, "cascades"), p50, p99, mx);
    printf("  %-12s 1 ms %.3f, 10 ms %.3f, 100 ms %.3f\n", "MMU", med(c, "mmu_1ms"),
           med(c, "mmu_10ms"), med(c, "mmu_100ms"));
    printf("  %-12s gen0 %.0f, gen1 %.0f, gen2 %.0f (collected %.0f, %.0f, %.0f)\n", "collections",
           med(c, "collections_gen0"), med(c, "collections_gen1"), med(c, "collections_gen2"),
           med(c, "collected_gen0"), med(c, "collected_gen1"), med(c, "collected_gen2"));
    printf("  %-12s %.0f objects examined, %.0f references traversed, %.0f freed (%s)\n",
           "GC work", med(c, "gc_examined"), med(c, "gc_traversed"), med(c, "gc_freed"),
           c->n == 1      ? "exact for this seed"
           : c->work_exact ? "the same in every process"
                           : "NOT the same in every process: report this");
    double pred = med(c, "cpython_gc_s");
    if (isfinite(pred))
        printf("  %-12s %.3f s predicted for this work (gctune calibrate)\n", "CPython GC", pred);
    char pb[32], pf[32], lb[32];
    gct_fmt_bytes(c->peak, pb, sizeof pb);
    gct_fmt_bytes(med(c, "peak_footprint"), pf, sizeof pf);
    gct_fmt_bytes(c->leaked, lb, sizeof lb);
    printf("  %-12s %s in %.0f objects (allocator footprint %s)\n", "peak live", pb,
           med(c, "peak_objects"), pf);
    printf("  %-12s %.0f objects (%s)\n", "leaked", med(c, "leaked_objects"), lb);
    if (c->too_short)
        printf("  warning: the timed work lasts %.1f ms, under %.0f ms: too short to time "
               "reliably; raise --ops\n",
               c->wall_ms, GCT_SHORT_RUN_S * 1e3);
    for (size_t i = 0; i < rows->n; i++) {
        if (rows->rows[i].status == GCT_STATUS_OK) {
            if (rows->rows[i].extra[0])
                printf("  %-12s %s\n", "workload", rows->rows[i].extra);
            printf("  %-12s %s\n", "checksum", rows->rows[i].checksum);
            break;
        }
    }
}

/* A run is one collector, one workload, one configuration. */
static int check_one_collector_and_workload(const gct_sweep_spec *s)
{
    if (!s->collectors[0])
        return gct_usage_error("run", "which collector? (-c NAME; gctune list shows them)");
    if (!s->workloads[0])
        return gct_usage_error("run", "which workload? (-w NAME; gctune list shows them)");
    if (strchr(s->collectors, ','))
        return gct_usage_error("run", "-c '%s': a run is one collector (use gctune sweep for "
                                      "several)",
                               s->collectors);
    if (strchr(s->workloads, ','))
        return gct_usage_error("run", "-w '%s': a run is one workload (use gctune sweep for "
                                      "several)",
                               s->workloads);
    return 0;
}

static int prepare_run(int argc, char **argv, gct_measure *m)
{
    int rc = check_one_collector_and_workload(&m->spec);
    if (rc || (rc = gct_measure_expand(m)))
        return rc;
    if (m->n != 1)
        return gct_usage_error("run", "the options describe %zu configurations; a run measures "
                                      "one (give one value per knob and parameter, or use sweep)",
                               m->n);
    if (m->collections && !m->trace)
        return gct_usage_error("run", "--collections needs --trace (its lines are the trace's)");
    return gct_measure_prepare(argc, argv, m);
}

/* --trace: the recording, before anything is measured; a workload that
 * cannot be written as a trace stops the run (exit 2) with no file. */
static int record_trace(const gct_measure *m)
{
    gct_trace_record_opts o = {
        .trace = m->trace,
        .collections = m->collections,
        .heap_limit = m->mem_given ? m->mem_limit : 0,
    };
    gct_trace_record_result res;
    char err[1024];
    int rc = gct_trace_record(&m->cfgs[0], &o, &res, err, sizeof err);
    if (rc) {
        fprintf(stderr, "gctune run: --trace %s: %s\n", m->trace, err);
        return rc;
    }
    fprintf(stderr, "gctune run: recorded %s: %" PRId64 " lines, %" PRId64 " collection%s",
            m->trace, res.lines, res.collections, res.collections == 1 ? "" : "s");
    if (m->collections)
        fprintf(stderr, " (listed in %s)", m->collections);
    fputc('\n', stderr);
    return 0;
}

int gct_cmd_run(int argc, char **argv)
{
    gct_measure m;
    int rc = gct_measure_parse(argc, argv, false, run_help, &m);
    if (rc < 0)
        return GCT_EXIT_OK; /* --help */
    if (rc || (rc = prepare_run(argc, argv, &m)) || (m.trace && (rc = record_trace(&m)))) {
        gct_measure_free(&m);
        return rc;
    }
    gct_result_session_result res;
    int status = gct_measure_execute(&m, &res);
    if (m.json) {
        gct_results_write_json(stdout, res.rows.rows, res.rows.n);
    } else if (res.rows.n) {
        gct_summary s;
        gct_summarize(&res.rows, &s);
        print_run_summary(&s.configs[0], &res.rows);
        gct_summary_free(&s);
    }
    if (res.out[0])
        printf("results in %s\n", res.out);
    if (res.interrupted)
        fprintf(stderr, "gctune run: interrupted; the repetitions that finished are kept\n");
    gct_result_session_result_free(&res);
    gct_measure_free(&m);
    return status;
}
