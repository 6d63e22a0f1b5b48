/*
 * cmd_run.c — `gctune run` (one configuration) and `gctune sweep` (many).
 * Both read the same options into a sweep spec (sweep.h), expand it into
 * configurations and hand them to a session (session.h); every value is
 * checked before anything is created, so bad input leaves no directory.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"
#include "cli.h"
#include "plot.h"
#include "report.h"
#include "session.h"
#include "stats.h"
#include "sweep.h"
#include "topology.h"

typedef struct opts {
    bool sweep;
    gct_sweep_spec spec;
    const char *out;
    const char *file;
    bool json, quiet, pin, force, no_plots, pdf;
    bool jobs_given;
    double timeout_s;
    long long mem_limit;
    bool mem_given;
} opts;

enum {
    O_GEN0 = 256, O_GEN1, O_GEN2, O_OPS, O_REPS, O_SEED, O_PIN, O_OUT, O_JSON, O_PRESET,
    O_TIMEOUT, O_MAXMEM, O_FORCE, O_NOPLOTS, O_PDF,
};

static const struct option long_opts[] = {
    {"collector", required_argument, NULL, 'c'},
    {"workload", required_argument, NULL, 'w'},
    {"gen0", required_argument, NULL, O_GEN0},
    {"gen1", required_argument, NULL, O_GEN1},
    {"gen2", required_argument, NULL, O_GEN2},
    {"knob", required_argument, NULL, 'k'},
    {"param", required_argument, NULL, 'p'},
    {"ops", required_argument, NULL, O_OPS},
    {"reps", required_argument, NULL, O_REPS},
    {"seed", required_argument, NULL, O_SEED},
    {"pin", no_argument, NULL, O_PIN},
    {"jobs", required_argument, NULL, 'j'},
    {"out", required_argument, NULL, O_OUT},
    {"json", no_argument, NULL, O_JSON},
    {"preset", required_argument, NULL, O_PRESET},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"max-memory", required_argument, NULL, O_MAXMEM},
    {"force", no_argument, NULL, O_FORCE},
    {"no-plots", no_argument, NULL, O_NOPLOTS},
    {"pdf", no_argument, NULL, O_PDF},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {0, 0, 0, 0},
};

static void run_help(FILE *out)
{
    fprintf(out,
            "usage: gctune run -c COLLECTOR -w WORKLOAD [--gen0 N] [--gen1 N] [--gen2 N]\n"
            "                  [-k knob=value ...] [-p name=value ...] [--ops N] [--reps R]\n"
            "                  [--seed S] [--pin] [--out DIR] [--json] [--timeout S]\n"
            "                  [--max-memory SIZE]\n\n"
            "Measure one configuration in a process of its own and print a summary:\n"
            "throughput, time in GC, pauses (p50/p99/max), MMU at 1 and 10 ms, collections\n"
            "per generation, peak live memory, leaked objects.\n\n"
            "  -c, --collector NAME  a collector (gctune list)\n"
            "  -w, --workload NAME   a workload (gctune list)\n"
            "  --gen0/--gen1/--gen2 N  thresholds (knobs of gencycle; marksweep has gen0)\n"
            "  -k, --knob K=V        any other knob, e.g. -k cascade=5000\n"
            "  -p, --param P=V       a workload parameter, e.g. -p depth=14\n"
            "  --ops N               operations per repetition (10k, 2M work; default: the\n"
            "                        workload's count in the default preset, see sweep --help)\n"
            "  --reps R              repetitions (default 1)\n"
            "  --seed S              seed of the workload's generator (default 1)\n"
            "  --pin                 pin the run to one core\n"
            "  --out DIR             also write a result directory\n"
            "  --json                print the records as JSON instead of the summary\n"
            "  --timeout S           give up on a configuration after S seconds (default 600)\n"
            "  --max-memory SIZE     the heap of a run may not grow past SIZE (e.g. 4G; default:\n"
            "                        90%% of memory, shared by the -j runs); a run that would is\n"
            "                        recorded as failed\n");
}

static void sweep_help(FILE *out)
{
    fprintf(out,
            "usage: gctune sweep [FILE.ini] [-c LIST] [-w LIST] [--gen0 LIST] [--gen1 LIST]\n"
            "                    [--gen2 LIST] [-k knob=LIST] [-p name=LIST] [--ops N]\n"
            "                    [--reps R] [--seed S] [--preset quick|default|full] [-j N]\n"
            "                    [--out DIR] [--force] [--quiet] [--no-plots] [--pdf]\n"
            "                    [--timeout S] [--max-memory SIZE]\n\n"
            "Measure collectors x workloads x thresholds, each configuration in a process of\n"
            "its own, into a result directory (default out/<date>/).  Each collector varies\n"
            "only the knobs it has: refcount runs once per workload, marksweep varies gen0.\n\n"
            "LISTs: 700,2000,10000 or ranges: 100..100000x10 (geometric: 100,1000,10000,100000),\n"
            "2..10+4 (arithmetic: 2,6,10); 10k, 2M are allowed.  A knob or parameter can be\n"
            "given for one collector or workload only: -k marksweep.gen0=10k..1Mx10,\n"
            "-p trees.depth=10,12.\n\n"
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
            "  -j, --jobs N    configurations at once, each pinned to a core of its own\n"
            "  --force         write into a directory that already holds results\n"
            "  --no-plots      do not draw the figures at the end (gctune plot OUT does)\n"
            "  --pdf           draw the figures as PDF too\n"
            "  --quiet         no progress output\n"
            "  (other options as in gctune run --help)\n");
}

static int set_knob_list(opts *o, const char *cmd, const char *name, const char *value,
                         const char *flag)
{
    char err[400];
    if (gct_sweep_set_knob(&o->spec, name, value, flag, err, sizeof err))
        return gct_usage_error(cmd, "%s", err);
    return 0;
}

/* "name=value" for -k and -p. */
static int split_assignment(const char *cmd, const char *flag, const char *arg, char *name,
                            size_t len, const char **value)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= len)
        return gct_usage_error(cmd, "%s '%s' is not of the form name=value", flag, arg);
    snprintf(name, len, "%.*s", (int)(eq - arg), arg);
    *value = eq + 1;
    return 0;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    const char *cmd = o->sweep ? "sweep" : "run";
    /* Pass 1: the preset and the sweep file come first, whatever their
     * position, so that flags override them. */
    opterr = 0;
    optind = 1;
    int c;
    const char *preset = NULL;
    while ((c = getopt_long(argc, argv, "c:w:k:p:j:qh", long_opts, NULL)) != -1) {
        if (c == O_PRESET)
            preset = optarg;
        if (c == 'h') {
            (o->sweep ? sweep_help : run_help)(stdout);
            return -1;
        }
    }
    if (!o->sweep) {
        /* A single run: no grid, one repetition, and the default preset's
         * operation count for its workload. */
        o->spec.nknobs = 0;
        o->spec.nparams = 0;
        o->spec.collectors[0] = 0;
        o->spec.workloads[0] = 0;
        o->spec.reps = 1;
    }
    char err[600];
    if (preset) {
        if (!o->sweep)
            return gct_usage_error(cmd, "--preset is for gctune sweep");
        if (gct_sweep_apply_preset(&o->spec, preset, err, sizeof err))
            return gct_usage_error(cmd, "--preset: %s", err);
    }
    if (optind < argc) {
        if (!o->sweep)
            return gct_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        if (optind + 1 < argc)
            return gct_usage_error(cmd, "unexpected argument '%s' (one sweep file at most)",
                                   argv[optind + 1]);
        o->file = argv[optind];
        if (gct_sweep_read_file(&o->spec, o->file, err, sizeof err)) {
            fprintf(stderr, "gctune sweep: %s\n", err);
            return GCT_EXIT_USAGE;
        }
    }

    /* Pass 2: everything else, in order. */
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:w:k:p:j:qh", long_opts, NULL)) != -1) {
        char name[64];
        const char *value = NULL;
        long long v;
        int rc = 0;
        switch (c) {
        case 'c':
            snprintf(o->spec.collectors, sizeof o->spec.collectors, "%s", optarg);
            snprintf(o->spec.collectors_origin, sizeof o->spec.collectors_origin, "-c");
            break;
        case 'w':
            snprintf(o->spec.workloads, sizeof o->spec.workloads, "%s", optarg);
            snprintf(o->spec.workloads_origin, sizeof o->spec.workloads_origin, "-w");
            break;
        case O_GEN0: rc = set_knob_list(o, cmd, "gen0", optarg, "--gen0"); break;
        case O_GEN1: rc = set_knob_list(o, cmd, "gen1", optarg, "--gen1"); break;
        case O_GEN2: rc = set_knob_list(o, cmd, "gen2", optarg, "--gen2"); break;
        case 'k':
            if ((rc = split_assignment(cmd, "-k", optarg, name, sizeof name, &value)) == 0) {
                char flag[96];
                snprintf(flag, sizeof flag, "-k %s", name);
                rc = set_knob_list(o, cmd, name, value, flag);
            }
            break;
        case 'p':
            if ((rc = split_assignment(cmd, "-p", optarg, name, sizeof name, &value)) == 0) {
                char flag[96];
                snprintf(flag, sizeof flag, "-p %s", name);
                if (gct_sweep_set_param(&o->spec, name, value, flag, err, sizeof err))
                    rc = gct_usage_error(cmd, "%s", err);
            }
            break;
        case O_OPS: {
            /* --ops N for every workload, or --ops WORKLOAD=N for one. */
            const char *eq = strchr(optarg, '=');
            const char *num = eq ? eq + 1 : optarg;
            if (!gct_parse_count(num, 1, INT64_C(1) << 50, &v))
                return gct_usage_error(cmd, "--ops '%s' is not a whole number of at least 1 (or "
                                            "WORKLOAD=N)",
                                       optarg);
            if (eq) {
                snprintf(name, sizeof name, "%.*s", (int)(eq - optarg), optarg);
                if (gct_sweep_set_ops(&o->spec, name, v))
                    return gct_usage_error(cmd, "--ops: too many per-workload counts");
            } else {
                gct_sweep_set_ops(&o->spec, NULL, v);
            }
            break;
        }
        case O_REPS:
            if (!gct_parse_count(optarg, 1, 10000, &v))
                return gct_usage_error(cmd, "--reps '%s' is not a whole number from 1 to 10000",
                                       optarg);
            o->spec.reps = (int)v;
            break;
        case O_SEED:
            if (!gct_parse_count(optarg, 0, INT64_MAX, &v))
                return gct_usage_error(cmd, "--seed '%s' is not a whole number of at least 0",
                                       optarg);
            o->spec.seed = (uint64_t)v;
            break;
        case 'j':
            if (!o->sweep)
                return gct_usage_error(cmd, "-j is for gctune sweep (a run is one configuration)");
            if (!gct_parse_count(optarg, 1, 4096, &v))
                return gct_usage_error(cmd, "-j '%s' is not a whole number of at least 1", optarg);
            o->spec.jobs = (int)v;
            o->jobs_given = true;
            break;
        case O_PIN: o->pin = true; break;
        case O_OUT:
            if (!*optarg)
                return gct_usage_error(cmd, "--out needs a directory");
            o->out = optarg;
            break;
        case O_JSON:
            if (o->sweep)
                return gct_usage_error(cmd, "--json is for gctune run (a sweep writes its "
                                            "result directory)");
            o->json = true;
            break;
        case O_PRESET: break; /* pass 1 */
        case O_TIMEOUT: {
            char *end;
            double t = strtod(optarg, &end);
            if (*end || !(t > 0))
                return gct_usage_error(cmd, "--timeout '%s' is not a number of seconds above 0",
                                       optarg);
            o->timeout_s = t;
            break;
        }
        case O_MAXMEM:
            if (!gct_parse_size(optarg, &v) || v < (1 << 20))
                return gct_usage_error(cmd, "--max-memory '%s' is not a size of at least 1M "
                                            "(e.g. 512M, 4G)",
                                       optarg);
            o->mem_limit = v;
            o->mem_given = true;
            break;
        case O_FORCE: o->force = true; break;
        case O_NOPLOTS:
        case O_PDF:
            if (!o->sweep)
                return gct_usage_error(cmd, "%s is for gctune sweep", argv[optind - 1]);
            if (c == O_NOPLOTS)
                o->no_plots = true;
            else
                o->pdf = true;
            break;
        case 'q': o->quiet = true; break;
        case '?':
            if (optopt && strchr("cwkpj", optopt))
                return gct_usage_error(cmd, "-%c needs a value", optopt);
            return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        case ':': return gct_usage_error(cmd, "'%s' needs a value", argv[optind - 1]);
        default: return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* Refuse more jobs than cores: two runs on one core disturb each other. */
static int check_jobs(const char *cmd, opts *o, const gct_topology *t)
{
    if (o->spec.jobs > t->allowed_cores)
        return gct_usage_error(cmd,
                               "-j %d: this process may use %d core%s (CPUs %s); runs sharing a "
                               "core would disturb each other's timings, so at most -j %d",
                               o->spec.jobs, t->allowed_cores, t->allowed_cores == 1 ? "" : "s",
                               t->allowed_cpus, t->allowed_cores);
    return 0;
}

/* The default heap limit: 90% of the machine's memory shared by the jobs. */
static int64_t default_mem_limit(int jobs)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0)
        return 0;
    return (int64_t)((double)pages * (double)page * 0.9 / (jobs > 0 ? jobs : 1));
}

static double median_of(const gct_results *rows, const char *field, double *lo, double *hi)
{
    const gct_field *f = gct_result_field(field);
    double v[4096];
    size_t n = 0;
    for (size_t i = 0; i < rows->n && n < 4096; i++)
        if (!strcmp(rows->rows[i].status, "ok"))
            v[n++] = gct_result_num(&rows->rows[i], f);
    if (!n) {
        if (lo)
            *lo = *hi = NAN;
        return NAN;
    }
    if (lo)
        gct_bootstrap_median_ci(v, n, 0.95, 2000, 0x5eed, lo, hi);
    gct_sort_doubles(v, n);
    return gct_median_sorted(v, n);
}

static void fmt_us(double us, char *buf, size_t len)
{
    if (!isfinite(us))
        snprintf(buf, len, "-");
    else if (us >= 1e6)
        snprintf(buf, len, "%.2f s", us / 1e6);
    else if (us >= 1e3)
        snprintf(buf, len, "%.2f ms", us / 1e3);
    else
        snprintf(buf, len, "%.1f us", us);
}

static void fmt_bytes(double b, char *buf, size_t len)
{
    if (b >= 1 << 30)
        snprintf(buf, len, "%.2f GiB", b / (1 << 30));
    else if (b >= 1 << 20)
        snprintf(buf, len, "%.1f MiB", b / (1 << 20));
    else if (b >= 1 << 10)
        snprintf(buf, len, "%.1f KiB", b / (1 << 10));
    else
        snprintf(buf, len, "%.0f B", b);
}

static void print_run_summary(const gct_config *c, const gct_results *rows)
{
    printf("%s: %" PRId64 " ops x %d rep%s, seed %" PRIu64 "\n", c->id, c->ops, c->reps,
           c->reps == 1 ? "" : "s", c->seed);
    for (size_t i = 0; i < rows->n; i++)
        if (strcmp(rows->rows[i].status, "ok"))
            printf("  FAILED rep %" PRId64 ": %s\n", rows->rows[i].rep, rows->rows[i].reason);
    double lo, hi;
    double tput = median_of(rows, "ops_per_s", &lo, &hi);
    if (!isfinite(tput))
        return;
    const char *of = c->reps > 1 ? "median" : "one run";
    if (c->reps > 1)
        printf("  throughput   %.0f ops/s (%s; 95%% CI %.0f..%.0f)\n", tput, of, lo, hi);
    else
        printf("  throughput   %.0f ops/s\n", tput);
    printf("  time in GC   %.1f%% (%.3f s)\n", 100 * median_of(rows, "gc_fraction", NULL, NULL),
           median_of(rows, "gc_s", NULL, NULL));
    char p50[32], p99[32], mx[32];
    fmt_us(median_of(rows, "pause_p50_us", NULL, NULL), p50, sizeof p50);
    fmt_us(median_of(rows, "pause_p99_us", NULL, NULL), p99, sizeof p99);
    fmt_us(median_of(rows, "pause_max_us", NULL, NULL), mx, sizeof mx);
    printf("  pauses       %.0f (%.0f cascades): p50 %s, p99 %s, max %s\n",
           median_of(rows, "pauses", NULL, NULL), median_of(rows, "cascades", NULL, NULL), p50,
           p99, mx);
    printf("  MMU          1 ms %.3f, 10 ms %.3f, 100 ms %.3f\n",
           median_of(rows, "mmu_1ms", NULL, NULL), median_of(rows, "mmu_10ms", NULL, NULL),
           median_of(rows, "mmu_100ms", NULL, NULL));
    printf("  collections  gen0 %.0f, gen1 %.0f, gen2 %.0f (collected %.0f, %.0f, %.0f)\n",
           median_of(rows, "collections_gen0", NULL, NULL),
           median_of(rows, "collections_gen1", NULL, NULL),
           median_of(rows, "collections_gen2", NULL, NULL),
           median_of(rows, "collected_gen0", NULL, NULL),
           median_of(rows, "collected_gen1", NULL, NULL),
           median_of(rows, "collected_gen2", NULL, NULL));
    char pb[32], pf[32], lb[32];
    fmt_bytes(median_of(rows, "peak_bytes", NULL, NULL), pb, sizeof pb);
    fmt_bytes(median_of(rows, "peak_footprint", NULL, NULL), pf, sizeof pf);
    fmt_bytes(median_of(rows, "leaked_bytes", NULL, NULL), lb, sizeof lb);
    printf("  peak live    %s in %.0f objects (allocator footprint %s)\n", pb,
           median_of(rows, "peak_objects", NULL, NULL), pf);
    printf("  leaked       %.0f objects (%s)\n", median_of(rows, "leaked_objects", NULL, NULL), lb);
    for (size_t i = 0; i < rows->n; i++) {
        if (!strcmp(rows->rows[i].status, "ok")) {
            if (rows->rows[i].extra[0])
                printf("  workload     %s\n", rows->rows[i].extra);
            printf("  checksum     %s\n", rows->rows[i].checksum);
            break;
        }
    }
}

/* The best configuration of each workload by throughput and by p99 pause. */
static void print_sweep_summary(const gct_results *rows)
{
    char seen[64][64];
    size_t nseen = 0;
    printf("\n%-10s %-48s %12s   %-48s %10s\n", "workload", "highest throughput", "ops/s",
           "lowest p99 pause", "p99");
    for (size_t i = 0; i < rows->n; i++) {
        const char *wl = rows->rows[i].workload;
        bool dup = false;
        for (size_t k = 0; k < nseen; k++)
            dup |= !strcmp(seen[k], wl);
        if (dup || nseen == 64)
            continue;
        snprintf(seen[nseen++], 64, "%s", wl);
        /* Medians per configuration of this workload. */
        const char *best_t = NULL, *best_p = NULL;
        double bt = -1, bp = INFINITY;
        int leaky = 0;
        for (size_t j = 0; j < rows->n; j++) {
            const gct_result *r = &rows->rows[j];
            if (strcmp(r->workload, wl) || r->rep != 0)
                continue;
            gct_results sub = {0};
            for (size_t k = 0; k < rows->n; k++)
                if (!strcmp(rows->rows[k].config_id, r->config_id))
                    gct_results_push(&sub, &rows->rows[k]); /* shallow: freed below */
            double t = median_of(&sub, "ops_per_s", NULL, NULL);
            double p = median_of(&sub, "pause_p99_us", NULL, NULL);
            double leaked = median_of(&sub, "leaked_objects", NULL, NULL);
            free(sub.rows);
            if (leaked > 0) {
                /* A configuration that leaks is not a choice, however fast:
                 * refcount's cycles never cost a pause because they are
                 * never collected. */
                leaky++;
                continue;
            }
            if (isfinite(t) && t > bt)
                bt = t, best_t = r->config_id;
            if (isfinite(p) && p < bp)
                bp = p, best_p = r->config_id;
        }
        char p99[32];
        fmt_us(bp, p99, sizeof p99);
        if (best_p && bp == 0)
            snprintf(p99, sizeof p99, "no pauses"); /* it never collected: see peak memory */
        printf("%-10s %-48s %12.0f   %-48s %10s\n", wl, best_t ? best_t : "(none: all failed or leak)",
               best_t ? bt : 0.0, best_p ? best_p : "(none)", best_p ? p99 : "-");
        if (leaky)
            printf("%-10s (%d configuration%s left out: %s objects)\n", "", leaky,
                   leaky == 1 ? "" : "s", leaky == 1 ? "it leaks" : "they leak");
    }
}

static json_t *sweep_file_json(const char *path)
{
    if (!path)
        return json_null();
    FILE *f = fopen(path, "r");
    if (!f)
        return json_null();
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "contents", json_stringn(buf, n));
    return o;
}

static int measure(int argc, char **argv, bool sweep)
{
    const char *cmd = sweep ? "sweep" : "run";
    opts o;
    memset(&o, 0, sizeof o);
    o.sweep = sweep;
    o.timeout_s = 600;
    gct_sweep_spec_init(&o.spec);
    int rc = parse_opts(argc, argv, &o);
    if (rc < 0)
        return GCT_EXIT_OK; /* --help */
    if (rc)
        return rc;
    if (!sweep) {
        if (!o.spec.collectors[0])
            return gct_usage_error(cmd, "which collector? (-c NAME; gctune list shows them)");
        if (!o.spec.workloads[0])
            return gct_usage_error(cmd, "which workload? (-w NAME; gctune list shows them)");
        if (strchr(o.spec.collectors, ','))
            return gct_usage_error(cmd, "-c '%s': a run is one collector (use gctune sweep for "
                                        "several)",
                                   o.spec.collectors);
        if (strchr(o.spec.workloads, ','))
            return gct_usage_error(cmd, "-w '%s': a run is one workload (use gctune sweep for "
                                        "several)",
                                   o.spec.workloads);
    }
    gct_config *cfgs;
    size_t n;
    char err[800];
    if (gct_sweep_expand(&o.spec, &cfgs, &n, err, sizeof err))
        return gct_usage_error(cmd, "%s", err);
    if (!sweep && n != 1) {
        free(cfgs);
        return gct_usage_error(cmd, "the options describe %zu configurations; a run measures "
                                    "one (give one value per knob and parameter, or use sweep)",
                               n);
    }
    gct_topology topo;
    if (gct_topology_probe(&topo, err, sizeof err)) {
        free(cfgs);
        fprintf(stderr, "gctune %s: %s\n", cmd, err);
        return GCT_EXIT_FAILED;
    }
    if ((rc = check_jobs(cmd, &o, &topo))) {
        free(cfgs);
        return rc;
    }
    char outbuf[256];
    const char *out = o.out;
    if (sweep && !out) {
        time_t t = time(NULL);
        char stamp[64];
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", localtime(&t));
        snprintf(outbuf, sizeof outbuf, "out/%s", stamp);
        out = outbuf;
    }

    json_t *meta = gct_meta_new(argc, argv, cmd);
    json_t *sw = json_object();
    json_object_set_new(sw, "preset", json_string(sweep ? o.spec.preset : ""));
    json_object_set_new(sw, "seed", json_integer((json_int_t)o.spec.seed));
    json_t *ops = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(ops, cfgs[i].workload->name, json_integer(cfgs[i].ops));
    json_object_set_new(sw, "ops", ops);
    json_object_set_new(sw, "reps", json_integer(o.spec.reps));
    json_object_set_new(sw, "jobs", json_integer(o.spec.jobs));
    json_object_set_new(sw, "pinned", json_boolean(o.pin || o.spec.jobs > 1));
    json_object_set_new(sw, "configurations", json_integer((json_int_t)n));
    json_object_set_new(sw, "sweep_file", sweep_file_json(o.file));
    json_object_set_new(meta, "sweep", sw);
    json_object_set_new(meta, "seed", json_integer((json_int_t)o.spec.seed));

    gct_session_opts so = {
        .out = out,
        .jobs = o.spec.jobs,
        .pin = o.pin || o.spec.jobs > 1,
        .quiet = o.quiet || !sweep,
        .gbench_console = false,
        .timeout_s = o.timeout_s,
        .mem_limit = o.mem_given ? o.mem_limit : default_mem_limit(o.spec.jobs),
        .meta = meta,
        .force = o.force,
    };
    if (sweep && !o.quiet) {
        printf("gctune sweep: %zu configurations x %d repetitions, -j %d, into %s\n", n,
               o.spec.reps, o.spec.jobs, out);
        printf("operations per repetition:");
        const char *sep = " ";
        for (size_t i = 0; i < n; i++) {
            bool first = true;
            for (size_t j = 0; j < i && first; j++)
                first = cfgs[j].workload != cfgs[i].workload;
            if (first) {
                printf("%s%s %" PRId64, sep, cfgs[i].workload->name, cfgs[i].ops);
                sep = ", ";
            }
        }
        printf("\n");
    }
    if (out && !o.force) {
        char p[4200];
        snprintf(p, sizeof p, "%s/results.csv", out);
        if (access(p, F_OK) == 0) {
            json_decref(meta);
            free(cfgs);
            return gct_usage_error(cmd, "--out %s already holds results (results.csv); choose "
                                        "another directory or pass --force",
                                   out);
        }
    }
    gct_session_catch_signals();
    gct_session_result res;
    int status = gct_session_run(cfgs, n, &so, &res);

    if (!sweep) {
        if (o.json)
            gct_results_write_json(stdout, res.rows.rows, res.rows.n);
        else
            print_run_summary(&cfgs[0], &res.rows);
        if (res.out[0])
            printf("results in %s\n", res.out);
    } else {
        if (res.rows.n && !o.quiet)
            print_sweep_summary(&res.rows);
        printf("\n%zu of %zu configurations ran, %zu failed%s; results in %s\n",
               res.configs_done, n, res.configs_failed,
               res.interrupted ? " (interrupted)" : "", res.out[0] ? res.out : out);
        /* The figures and the report: a missing gnuplot is a note here, not
         * a failure of the sweep (gctune plot OUT draws them later). */
        if (res.out[0] && res.rows.n && status != 2) {
            gct_plot_result pr;
            memset(&pr, 0, sizeof pr);
            char perr[800] = "not drawn (--no-plots)";
            bool drawn = false;
            if (!o.no_plots) {
                gct_plot_opts po = {.pdf = o.pdf};
                drawn = gct_plot_dir(res.out, &po, &pr, perr, sizeof perr) == 0;
                if (drawn)
                    gct_print_plot_result(&pr, res.out);
                else
                    printf("no figures: %s\n", perr);
            }
            gct_report_opts ro = {
                .max_p99_us = 10000,
                .figures = drawn ? &pr : NULL,
                .figures_note = perr,
            };
            char rerr[800];
            size_t notes;
            if (gct_report_write(res.out, &ro, &notes, rerr, sizeof rerr) != 0)
                printf("no report: %s\n", rerr);
            else
                printf("report: %s/report.html (and report.md)\n", res.out);
            gct_plot_result_free(&pr);
        }
    }
    if (res.interrupted)
        fprintf(stderr, "gctune %s: interrupted; the configurations that finished are kept\n", cmd);
    gct_session_result_free(&res);
    json_decref(meta);
    free(cfgs);
    return status;
}

int gct_cmd_run(int argc, char **argv) { return measure(argc, argv, false); }
int gct_cmd_sweep(int argc, char **argv) { return measure(argc, argv, true); }
