/*
 * cmd_sweep.c — `gctune sweep`: many configurations into a result
 * directory, then the headline per workload, the figures and the report.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "headline.h"
#include "measure.h"
#include "summary.h"

static void sweep_help(FILE *out)
{
    fprintf(out,
            "usage: gctune sweep [FILE.ini] [-c LIST] [-w LIST] [--gen0 LIST] [--gen1 LIST]\n"
            "                    [--gen2 LIST] [-k knob=LIST] [-p name=LIST] [--ops N]\n"
            "                    [--reps R] [--seed S] [--preset quick|default|full] [-j N]\n"
            "                    [--out DIR] [--force] [--quiet] [--no-plots] [--pdf]\n"
            "                    [--timeout S] [--max-memory SIZE] [--warmup PCT] [--no-aa]\n\n"
            "Measure collectors x workloads x thresholds into a result directory (default\n"
            "out/<date>/).  Every repetition of every configuration is a process of its own;\n"
            "the sweep runs in rounds, each round every configuration once in an order\n"
            "shuffled from the seed, so that drift and noisy neighbours fall on all alike.\n"
            "Each collector varies only the knobs it has: refcount runs once per workload,\n"
            "marksweep varies gen0.  Per workload, an identical twin of the reference\n"
            "configuration (CPython's default) runs as an A/A control: how far the two land\n"
            "apart is the noise floor, and no verdict is smaller than it.\n\n"
            "LISTs: 700,2000,10000 or ranges: 100..100000x10 (geometric: 100,1000,10000,100000),\n"
            "2..10+4 (arithmetic: 2,6,10); 10k, 2M are allowed.  A knob or parameter can be\n"
            "given for one collector or workload only: -k marksweep.gen0=10k..1Mx10,\n"
            "-p trees.depth=10,12.\n\n"
            "A workload may be a heap-operation trace (docs/traces.md), e.g. one recorded by\n"
            "gctune run --trace: -w trace:FILE, named trace-STEM in the results; one operation\n"
            "replays the whole trace (every preset: 1; --ops trace-STEM=N for N replays).\n\n"
            "The sweep FILE (INI) says the same things and is kept in meta.json:\n"
            "  [sweep]   collectors=  workloads=  preset=  ops=  reps=  seed=  jobs=\n"
            "  [ops]     trees = 2000              (operations for one workload)\n"
            "  [knobs]   gen0 = 100..100000x10     marksweep.gen0 = 10000,100000\n"
            "  [params]  trees.parent = strong,weak\n"
            "Options on the command line override the file; the file overrides the preset\n"
            "(default unless --preset): a knob you do not give keeps the preset's list, so\n"
            "--gen0 100,700 alone still sweeps gen1 and gen2; add --gen1 10 --gen2 10 to fix\n"
            "them.  The first line of output says how many configurations that makes.\n\n"
            "  --ops N         the same operations for every workload; --ops trees=2000 for one\n"
            "                  (a workload's operation costs from 1 us to 1 ms, so presets give\n"
            "                  each its own; every configuration of a workload does the same work)\n"
            "  --preset P      quick (about a minute: trees, dlist, cache, a small grid),\n"
            "                  default (every workload, gen0 100..100000, gen1/gen2 2..100),\n"
            "                  full (finer grid, more repetitions: for a big machine)\n"
            "  -j, --jobs N    processes at once, each pinned to a core of its own (default 1:\n"
            "                  on a small machine, runs side by side disturb each other)\n"
            "  --no-aa         no A/A controls (no noise floor: verdicts rest on the variance\n"
            "                  alone)\n"
            "  --force         write into a directory that already holds results\n"
            "  --no-plots      do not draw the figures at the end (gctune plot OUT does)\n"
            "  --pdf           draw the figures as PDF too\n"
            "  --quiet         no progress output\n"
            "%s"
            "  (other options as in gctune run --help)\n",
            gct_measure_common_help);
}

static void print_plan(const gct_measure *m)
{
    printf("gctune sweep: %zu configurations (%zu A/A control%s) x %d repetitions = %zu "
           "processes in %d rounds, -j %d, into %s\n",
           m->n, m->twins, m->twins == 1 ? "" : "s", m->spec.reps, m->n * (size_t)m->spec.reps,
           m->spec.reps, m->spec.jobs, m->out);
    printf("operations per repetition:");
    const char *sep = " ";
    for (size_t i = 0; i < m->n; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = m->cfgs[j].workload != m->cfgs[i].workload;
        if (first) {
            printf("%s%s %" PRId64, sep, m->cfgs[i].workload->name, m->cfgs[i].ops);
            sep = ", ";
        }
    }
    printf(" (+%.0f%% warm-up in each process)\n", m->warmup * 100);
}

/* Per workload: the fastest candidate, the lowest p99, the noise floor and
 * the headline; every number from the result model. */
static void print_summary(const gct_results *rows, const gct_summary *s)
{
    gct_headline heads[64];
    size_t nh = gct_headlines(rows, s, heads, 64);
    for (size_t w = 0; w < s->nworkloads; w++) {
        const char *wl = s->workloads[w];
        const gct_config_summary *fast = NULL, *calm = NULL;
        size_t leaky = 0, short_runs = 0;
        for (size_t i = 0; i < s->n; i++) {
            const gct_config_summary *c = &s->configs[i];
            if (strcmp(c->workload, wl))
                continue;
            short_runs += c->too_short;
            if (!gct_summary_is_candidate(c)) {
                leaky += c->n && c->leaks;
                continue;
            }
            if (!fast || c->ops_s > fast->ops_s)
                fast = c;
            if (!calm || c->p99 < calm->p99)
                calm = c;
        }
        printf("\n%s\n", wl);
        if (fast) {
            char iv[48];
            gct_summary_interval_name(fast, iv, sizeof iv);
            printf("  highest throughput  %-44s %.0f ops/s [%.0f, %.0f] (%s)\n", fast->id,
                   fast->ops_s, fast->ops_lo, fast->ops_hi, iv);
        }
        if (calm) {
            char p99[32];
            gct_fmt_us_ascii(calm->p99, p99, sizeof p99);
            printf("  lowest p99 pause    %-44s %s\n", calm->id,
                   calm->p99 == 0 ? "no pauses (see its peak memory)" : p99);
        }
        double floor = gct_summary_noise_floor(s, wl);
        if (isfinite(floor)) {
            char f[32];
            gct_fmt_pct(floor, f, sizeof f);
            printf("  A/A noise floor     %s (two identical configurations apart)\n", f);
        }
        for (size_t k = 0; k < nh; k++)
            if (!strcmp(heads[k].workload, wl))
                printf("  verdict             %s\n", heads[k].text);
        if (leaky)
            printf("  (%zu configuration%s left out: %s objects)\n", leaky, leaky == 1 ? "" : "s",
                   leaky == 1 ? "it leaks" : "they leak");
        if (short_runs)
            printf("  warning: %zu configuration%s time%s less than %.0f ms of work: too short to "
                   "time reliably; raise --ops\n",
                   short_runs, short_runs == 1 ? "" : "s", short_runs == 1 ? "s" : "",
                   GCT_SHORT_RUN_S * 1e3);
    }
}

/* The configurations with their A/A controls, into --out or out/<date>. */
static int prepare_sweep(int argc, char **argv, gct_measure *m)
{
    int rc = gct_measure_expand(m);
    if (rc)
        return rc;
    if (!m->no_aa && gct_measure_add_twins(m)) {
        fprintf(stderr, "gctune sweep: out of memory\n");
        return GCT_EXIT_FAILED;
    }
    gct_measure_default_out(m, "");
    return gct_measure_prepare(argc, argv, m);
}

int gct_cmd_sweep(int argc, char **argv)
{
    gct_measure m;
    int rc = gct_measure_parse(argc, argv, true, sweep_help, &m);
    if (rc < 0)
        return GCT_EXIT_OK; /* --help */
    if (rc || (rc = prepare_sweep(argc, argv, &m))) {
        gct_measure_free(&m);
        return rc;
    }
    if (!m.quiet)
        print_plan(&m);
    gct_result_session_result res;
    int status = gct_measure_execute(&m, &res);
    const char *out = res.out[0] ? res.out : m.out;
    if (res.out[0] && res.rows.n && !m.quiet) {
        /* The console reads the model back like every other reader. */
        gct_summary s;
        char err[600];
        if (gct_summary_load(res.out, &s, err, sizeof err) == 0) {
            print_summary(&res.rows, &s);
            gct_summary_free(&s);
        } else {
            fprintf(stderr, "gctune sweep: %s\n", err);
        }
    }
    if (!res.out[0] && status == GCT_EXIT_USAGE) {
        /* Refused before anything ran (the directory is another's, say):
         * the message said why, and there is nothing to count. */
        gct_result_session_result_free(&res);
        gct_measure_free(&m);
        return status;
    }
    printf("\n%zu of %zu configurations ran (%zu processes), %zu failed%s; results in %s\n",
           res.configs_done, m.n, res.processes_run, res.configs_failed,
           res.interrupted ? " (interrupted)" : "", out);
    if (res.out[0] && res.rows.n && status != GCT_EXIT_USAGE)
        gct_measure_figures_and_report(&m, res.out);
    if (res.interrupted)
        fprintf(stderr, "gctune sweep: interrupted; the processes that finished are kept\n");
    gct_result_session_result_free(&res);
    gct_measure_free(&m);
    return status;
}
