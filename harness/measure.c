/* measure.c — the options, configurations and session of run and sweep. */
#define _GNU_SOURCE
#include "measure.h"

#include <getopt.h>
#include <stddef.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calibrate.h"
#include "cli.h"
#include "plot.h"
#include "prefork.h"
#include "python_run.h"
#include "report.h"
#include "topology.h"

const char gct_measure_common_help[] =
    "  --reps R              repetitions: R processes per configuration (run: default 1;\n"
    "                        sweep: the preset's, 5); a sweep runs them in R rounds, each\n"
    "                        round every configuration once, in an order shuffled from\n"
    "                        the seed\n"
    "  --warmup PCT          untimed operations in each process before the timed ones, as\n"
    "                        a percentage of --ops (default 10; 0: none)\n"
    "  --seed S              seed of the workload's generator and of the round order\n"
    "                        (default 1)\n"
    "  --timeout S           give up on a process after S seconds (default 600)\n"
    "  --no-predict          no predicted CPython GC time (else the CPython models' work\n"
    "                        is priced by this machine's cost model, made once by\n"
    "                        gctune calibrate, which runs on first use: ~10 s)\n"
    "  --python PATH         the interpreter the cost model measures (default python3)\n"
    "  --tracemalloc K       real interpreters: trace allocations with tracemalloc and keep\n"
    "                        the K largest allocation sites alive after the operations\n"
    "                        (FILE:LINE, bytes) in each record's extra, for the report's\n"
    "                        memory section; slows the timed operations and costs memory\n"
    "  --prefork K           (sweep) run each repetition as a pre-fork server does: the\n"
    "                        set-up (and -k freeze=1's gc.freeze()) in a parent, then K\n"
    "                        forked workers run the operations; records each worker's\n"
    "                        private dirty memory and PSS, and (models) the pages of the\n"
    "                        parent's heap it copied by writing (docs/memory.md)\n"
    "  --max-memory SIZE     the heap of a run may not grow past SIZE (e.g. 4G; default:\n"
    "                        90%% of memory, shared by the -j runs); a run that would is\n"
    "                        recorded as failed\n";

/* ---- options ---------------------------------------------------------------
 *
 * One table: each option, which commands take it (and what the other one is
 * told), and the function that applies its value to the measurement.  The
 * preset and the sweep file are read first, whatever their position, so that
 * every flag overrides them.
 */

enum { FOR_RUN = 1, FOR_SWEEP = 2, FOR_BOTH = FOR_RUN | FOR_SWEEP };

typedef struct measure_opt measure_opt;
struct measure_opt {
    const char *name;   /* long name */
    int has_arg;        /* getopt_long's */
    int val;            /* the short option, or a code above 255 */
    unsigned commands;  /* FOR_RUN, FOR_SWEEP */
    const char *refusal; /* the other command's message (NULL: "OPTION is for gctune sweep") */
    /* Apply the value; returns 0 or an exit status after the message. */
    int (*apply)(gct_measure *m, const measure_opt *o, const char *arg);
    const char *detail; /* --gen0..2: the knob; a text option: what it needs */
    size_t field;       /* a yes/no or text option: offsetof its field in gct_measure */
};

static const char *cmd_of(const gct_measure *m) { return m->sweep ? "sweep" : "run"; }

static int set_knob_list(gct_measure *m, const char *name, const char *value, const char *flag)
{
    char err[400];
    if (gct_sweep_spec_set_knob(&m->spec, name, value, flag, err, sizeof err))
        return gct_usage_error(cmd_of(m), "%s", err);
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

/* A number from lo to hi ("--timeout 2.5"); false if it is not one. */
static bool parse_real(const char *arg, double lo, double hi, bool lo_open, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || !(lo_open ? v > lo : v >= lo) || !(v <= hi))
        return false;
    *out = v;
    return true;
}

static int opt_collector(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    snprintf(m->spec.collectors, sizeof m->spec.collectors, "%s", arg);
    snprintf(m->spec.collectors_origin, sizeof m->spec.collectors_origin, "-c");
    return 0;
}

static int opt_workload(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    snprintf(m->spec.workloads, sizeof m->spec.workloads, "%s", arg);
    snprintf(m->spec.workloads_origin, sizeof m->spec.workloads_origin, "-w");
    return 0;
}

static int opt_gen(gct_measure *m, const measure_opt *o, const char *arg)
{
    char flag[16];
    snprintf(flag, sizeof flag, "--%s", o->detail);
    return set_knob_list(m, o->detail, arg, flag);
}

static int opt_knob(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    char name[64], flag[96];
    const char *value = NULL;
    int rc = split_assignment(cmd_of(m), "-k", arg, name, sizeof name, &value);
    if (rc)
        return rc;
    snprintf(flag, sizeof flag, "-k %s", name);
    return set_knob_list(m, name, value, flag);
}

static int opt_param(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    char name[64], flag[96], err[600];
    const char *value = NULL;
    int rc = split_assignment(cmd_of(m), "-p", arg, name, sizeof name, &value);
    if (rc)
        return rc;
    snprintf(flag, sizeof flag, "-p %s", name);
    if (gct_sweep_spec_set_param(&m->spec, name, value, flag, err, sizeof err))
        return gct_usage_error(cmd_of(m), "%s", err);
    return 0;
}

/* --ops N for every workload, or --ops WORKLOAD=N for one. */
static int opt_ops(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    const char *eq = strchr(arg, '=');
    long long v;
    if (!gct_parse_count(eq ? eq + 1 : arg, 1, GCT_SWEEP_SPEC_MAX_OPS, &v))
        return gct_usage_error(cmd_of(m),
                               "--ops '%s' is not a whole number of at least 1 (or WORKLOAD=N)",
                               arg);
    if (!eq) {
        gct_sweep_spec_set_ops(&m->spec, NULL, v);
        return 0;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
    if (gct_sweep_spec_set_ops(&m->spec, name, v))
        return gct_usage_error(cmd_of(m), "--ops: too many per-workload counts");
    return 0;
}

static int opt_reps(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    long long v;
    if (!gct_parse_count(arg, 1, GCT_SWEEP_SPEC_MAX_REPS, &v))
        return gct_usage_error(cmd_of(m), "--reps '%s' is not a whole number from 1 to %d", arg,
                               GCT_SWEEP_SPEC_MAX_REPS);
    m->spec.reps = (int)v;
    return 0;
}

static int opt_seed(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    long long v;
    if (!gct_parse_count(arg, 0, INT64_MAX, &v))
        return gct_usage_error(cmd_of(m), "--seed '%s' is not a whole number of at least 0", arg);
    m->spec.seed = (uint64_t)v;
    return 0;
}

static int opt_jobs(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    long long v;
    if (!gct_parse_count(arg, 1, GCT_SWEEP_SPEC_MAX_JOBS, &v))
        return gct_usage_error(cmd_of(m), "-j '%s' is not a whole number of at least 1", arg);
    m->spec.jobs = (int)v;
    m->jobs_given = true;
    return 0;
}

/* --out, --python, --trace, --collections: a text that may not be empty. */
static int opt_text(gct_measure *m, const measure_opt *o, const char *arg)
{
    if (!*arg)
        return gct_usage_error(cmd_of(m), "--%s needs %s", o->name, o->detail);
    *(const char **)((char *)m + o->field) = arg;
    return 0;
}

static int opt_timeout(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    if (!parse_real(arg, 0, INFINITY, true, &m->timeout_s))
        return gct_usage_error(cmd_of(m), "--timeout '%s' is not a number of seconds above 0",
                               arg);
    return 0;
}

static int opt_warmup(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    double pct;
    if (!parse_real(arg, 0, 1000, false, &pct))
        return gct_usage_error(cmd_of(m), "--warmup '%s' is not a percentage from 0 to 1000",
                               arg);
    m->warmup = pct / 100;
    return 0;
}

static int opt_max_memory(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    long long v;
    if (!gct_parse_size(arg, &v) || v < (1 << 20))
        return gct_usage_error(cmd_of(m),
                               "--max-memory '%s' is not a size of at least 1M (e.g. 512M, 4G)",
                               arg);
    m->mem_limit = v;
    m->mem_given = true;
    return 0;
}

static int opt_prefork(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    double k;
    if (!parse_real(arg, 1, GCT_PREFORK_MAX, false, &k) || k != (int)k)
        return gct_usage_error(cmd_of(m), "--prefork '%s' is not a number of workers from 1 to %d",
                               arg, GCT_PREFORK_MAX);
    m->prefork = (int)k;
    return 0;
}

/* --tracemalloc K reaches python/runner.py through the environment, which
 * every process of the sweep inherits (harness/python_run.c reads it). */
static int opt_tracemalloc(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)o;
    double k;
    if (!parse_real(arg, 1, 100, false, &k) || k != (int)k)
        return gct_usage_error(cmd_of(m), "--tracemalloc '%s' is not a number of sites from 1 "
                                          "to 100",
                               arg);
    setenv(GCT_TRACEMALLOC_ENV, arg, 1);
    return 0;
}

static int opt_yes(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)arg;
    *(bool *)((char *)m + o->field) = true;
    return 0;
}

static int opt_first_pass(gct_measure *m, const measure_opt *o, const char *arg)
{
    (void)m, (void)o, (void)arg;
    return 0; /* --preset and --help: read before the others */
}

enum {
    O_GEN0 = 256, O_GEN1, O_GEN2, O_OPS, O_REPS, O_SEED, O_PIN, O_OUT, O_JSON, O_PRESET,
    O_TIMEOUT, O_MAXMEM, O_FORCE, O_NOPLOTS, O_PDF, O_WARMUP, O_NOAA, O_NOPREDICT, O_PYTHON,
    O_TRACE, O_COLLECTIONS, O_TRACEMALLOC, O_PREFORK,
};

#define YES(f) .apply = opt_yes, .field = offsetof(gct_measure, f)

static const measure_opt measure_opts[] = {
    {"collector", required_argument, 'c', FOR_BOTH, NULL, opt_collector, NULL, 0},
    {"workload", required_argument, 'w', FOR_BOTH, NULL, opt_workload, NULL, 0},
    {"gen0", required_argument, O_GEN0, FOR_BOTH, NULL, opt_gen, "gen0", 0},
    {"gen1", required_argument, O_GEN1, FOR_BOTH, NULL, opt_gen, "gen1", 0},
    {"gen2", required_argument, O_GEN2, FOR_BOTH, NULL, opt_gen, "gen2", 0},
    {"knob", required_argument, 'k', FOR_BOTH, NULL, opt_knob, NULL, 0},
    {"param", required_argument, 'p', FOR_BOTH, NULL, opt_param, NULL, 0},
    {"ops", required_argument, O_OPS, FOR_BOTH, NULL, opt_ops, NULL, 0},
    {"reps", required_argument, O_REPS, FOR_BOTH, NULL, opt_reps, NULL, 0},
    {"seed", required_argument, O_SEED, FOR_BOTH, NULL, opt_seed, NULL, 0},
    {"pin", no_argument, O_PIN, FOR_BOTH, NULL, YES(pin)},
    {"jobs", required_argument, 'j', FOR_SWEEP, "-j is for gctune sweep (a run is one "
     "configuration)", opt_jobs, NULL, 0},
    {"out", required_argument, O_OUT, FOR_BOTH, NULL, opt_text, "a directory",
     offsetof(gct_measure, out)},
    {"json", no_argument, O_JSON, FOR_RUN, "--json is for gctune run (a sweep writes its result "
     "directory)", YES(json)},
    {"preset", required_argument, O_PRESET, FOR_BOTH, NULL, opt_first_pass, NULL, 0},
    {"timeout", required_argument, O_TIMEOUT, FOR_BOTH, NULL, opt_timeout, NULL, 0},
    {"max-memory", required_argument, O_MAXMEM, FOR_BOTH, NULL, opt_max_memory, NULL, 0},
    {"force", no_argument, O_FORCE, FOR_BOTH, NULL, YES(force)},
    {"no-plots", no_argument, O_NOPLOTS, FOR_SWEEP, NULL, YES(no_plots)},
    {"pdf", no_argument, O_PDF, FOR_SWEEP, NULL, YES(pdf)},
    {"warmup", required_argument, O_WARMUP, FOR_BOTH, NULL, opt_warmup, NULL, 0},
    {"no-aa", no_argument, O_NOAA, FOR_SWEEP, "--no-aa is for gctune sweep", YES(no_aa)},
    {"no-predict", no_argument, O_NOPREDICT, FOR_BOTH, NULL, YES(no_predict)},
    {"python", required_argument, O_PYTHON, FOR_BOTH, NULL, opt_text, "an interpreter",
     offsetof(gct_measure, python)},
    {"quiet", no_argument, 'q', FOR_BOTH, NULL, YES(quiet)},
    {"tracemalloc", required_argument, O_TRACEMALLOC, FOR_BOTH, NULL, opt_tracemalloc, NULL, 0},
    {"prefork", required_argument, O_PREFORK, FOR_SWEEP, "--prefork is for gctune sweep",
     opt_prefork, NULL, 0},
    {"trace", required_argument, O_TRACE, FOR_RUN, "--trace is for gctune run (a sweep can run a "
     "trace: -w trace:FILE)", opt_text, "a file", offsetof(gct_measure, trace)},
    {"collections", required_argument, O_COLLECTIONS, FOR_RUN, "--collections is for gctune run",
     opt_text, "a file", offsetof(gct_measure, collections)},
    {"help", no_argument, 'h', FOR_BOTH, NULL, opt_first_pass, NULL, 0},
};

#define NOPTS (sizeof measure_opts / sizeof measure_opts[0])
static const char short_opts[] = "c:w:k:p:j:qh";

static void long_options(struct option out[NOPTS + 1])
{
    for (size_t i = 0; i < NOPTS; i++)
        out[i] = (struct option){measure_opts[i].name, measure_opts[i].has_arg, NULL,
                                 measure_opts[i].val};
    out[NOPTS] = (struct option){0, 0, 0, 0};
}

static const measure_opt *find_opt(int val)
{
    for (size_t i = 0; i < NOPTS; i++)
        if (measure_opts[i].val == val)
            return &measure_opts[i];
    return NULL;
}

/* What getopt_long could not read: a missing value or an unknown option. */
static int bad_option(const char *cmd, int c, const char *arg)
{
    const measure_opt *o = c == '?' && optopt ? find_opt(optopt) : NULL;
    if (o && o->has_arg == required_argument && optopt < 256)
        return gct_usage_error(cmd, "-%c needs a value", optopt);
    if ((o && o->has_arg == required_argument) || c == ':')
        return gct_usage_error(cmd, "'%s' needs a value", arg);
    return gct_usage_error(cmd, "unknown option '%s'", arg);
}

/* Pass 1: --help and the preset, whatever their position. */
static int first_pass(int argc, char **argv, const struct option *longs, void (*help)(FILE *),
                      const char **preset)
{
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, short_opts, longs, NULL)) != -1) {
        if (c == O_PRESET)
            *preset = optarg;
        if (c == 'h') {
            help(stdout);
            return -1;
        }
    }
    return 0;
}

/* The preset, then the sweep file (the only argument a sweep takes). */
static int preset_and_file(gct_measure *m, int argc, char **argv, const char *preset)
{
    const char *cmd = cmd_of(m);
    char err[600];
    if (preset) {
        if (!m->sweep)
            return gct_usage_error(cmd, "--preset is for gctune sweep");
        if (gct_sweep_spec_apply_preset(&m->spec, preset, err, sizeof err))
            return gct_usage_error(cmd, "--preset: %s", err);
    }
    if (optind >= argc)
        return 0;
    if (!m->sweep)
        return gct_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (optind + 1 < argc)
        return gct_usage_error(cmd, "unexpected argument '%s' (one sweep file at most)",
                               argv[optind + 1]);
    m->file = argv[optind];
    if (gct_sweep_spec_read_file(&m->spec, m->file, err, sizeof err)) {
        fprintf(stderr, "gctune sweep: %s\n", err);
        return GCT_EXIT_USAGE;
    }
    return 0;
}

/* Pass 2: every other option, in order. */
static int second_pass(gct_measure *m, int argc, char **argv, const struct option *longs)
{
    const char *cmd = cmd_of(m);
    unsigned self = m->sweep ? FOR_SWEEP : FOR_RUN;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, short_opts, longs, NULL)) != -1) {
        const measure_opt *o = c == '?' || c == ':' ? NULL : find_opt(c);
        if (!o)
            return bad_option(cmd, c, argv[optind - 1]);
        if (!(o->commands & self)) {
            if (o->refusal)
                return gct_usage_error(cmd, "%s", o->refusal);
            return gct_usage_error(cmd, "%s is for gctune sweep", argv[optind - 1]);
        }
        int rc = o->apply(m, o, optarg);
        if (rc)
            return rc;
    }
    return 0;
}

int gct_measure_parse(int argc, char **argv, bool sweep, void (*help)(FILE *), gct_measure *m)
{
    memset(m, 0, sizeof *m);
    m->sweep = sweep;
    m->timeout_s = 600;
    m->warmup = 0.1;
    gct_sweep_spec_init(&m->spec);
    struct option longs[NOPTS + 1];
    long_options(longs);
    const char *preset = NULL;
    int rc = first_pass(argc, argv, longs, help, &preset);
    if (rc)
        return rc;
    if (!m->sweep) {
        /* A single run: no grid, one repetition, and the default preset's
         * operation count for its workload. */
        m->spec.nknobs = 0;
        m->spec.nparams = 0;
        m->spec.collectors[0] = 0;
        m->spec.workloads[0] = 0;
        m->spec.reps = 1;
    }
    rc = preset_and_file(m, argc, argv, preset);
    return rc ? rc : second_pass(m, argc, argv, longs);
}

/* Refuse more jobs than cores: two runs on one core disturb each other; and
 * say so when the jobs and what already runs would share the cores. */
static int check_jobs(const char *cmd, gct_measure *o, const gct_topology *t)
{
    if (o->spec.jobs > t->allowed_cores)
        return gct_usage_error(cmd,
                               "-j %d: this process may use %d core%s (CPUs %s); runs sharing a "
                               "core would disturb each other's timings, so at most -j %d",
                               o->spec.jobs, t->allowed_cores, t->allowed_cores == 1 ? "" : "s",
                               t->allowed_cpus, t->allowed_cores);
    if (o->spec.jobs > 1 && (double)o->spec.jobs + t->loadavg1 > (double)t->allowed_cores)
        fprintf(stderr,
                "gctune %s: warning: -j %d with a load of %.2f on %d cores: the runs will "
                "contend with each other and with what already runs, and their timings "
                "with them (-j 1 measures better; the A/A controls will show the cost)\n",
                cmd, o->spec.jobs, t->loadavg1, t->allowed_cores);
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

/*
 * The A/A controls: per workload, an identical twin of its reference
 * configuration (the first whose knobs are all the collector's defaults,
 * preferring a generational collector's: CPython's own setting), measured
 * like any other.  How far the pair lands apart is the noise floor.  A real
 * interpreter gets a twin of its own per workload: its noise is that of
 * another program, which the models' pair does not measure.
 */
int gct_measure_add_twins(gct_measure *m)
{
    size_t n = m->n, add = 0;
    gct_config *twins = calloc(n ? n : 1, sizeof *twins);
    if (!twins)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const gct_workload *wl = m->cfgs[i].workload;
        /* NULL for the models (one pair for all), else the interpreter. */
        const gct_collector *real =
            m->cfgs[i].collector->interpreter ? m->cfgs[i].collector : NULL;
        bool seen = false;
        for (size_t k = 0; k < add && !seen; k++)
            seen = twins[k].workload == wl &&
                   (twins[k].collector->interpreter ? twins[k].collector : NULL) == real;
        if (seen)
            continue;
        const gct_config *ref = NULL;
        for (int pass = 0; pass < 3 && !ref; pass++)
            for (size_t j = 0; j < n && !ref; j++) {
                const gct_config *c = &m->cfgs[j];
                if (c->workload != wl ||
                    (c->collector->interpreter ? c->collector : NULL) != real)
                    continue;
                bool cpython = c->collector->cpython != NULL;
                if ((pass == 0 && cpython && gct_config_is_default(c)) ||
                    (pass == 1 && gct_config_is_default(c)) || pass == 2)
                    ref = c;
            }
        gct_config_make_twin(ref, &twins[add++]);
    }
    gct_config *all = realloc(m->cfgs, (n + add) * sizeof *all);
    if (!all) {
        free(twins);
        return -1;
    }
    memcpy(all + n, twins, add * sizeof *twins);
    free(twins);
    m->cfgs = all;
    m->n = n + add;
    m->twins = add;
    return 0;
}

/* The cost model prices the work of the collectors that model CPython's. */
static bool models_cpython(const gct_measure *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->cfgs[i].collector->cpython)
            return true;
    return false;
}

static void obtain_cost_model(gct_measure *m, const char *cmd)
{
    json_t *entry = json_object();
    if (m->no_predict || !models_cpython(m)) {
        json_object_set_new(entry, "model", json_null());
        json_object_set_new(entry, "why", json_string(m->no_predict ? "--no-predict"
                                                                    : "no CPython model swept"));
    } else {
        char err[600];
        m->cost = malloc(sizeof *m->cost);
        if (m->cost && gct_costmodel_obtain(m->cost, true, m->python, err, sizeof err) == 0) {
            json_object_set_new(entry, "model", gct_costmodel_to_json(m->cost));
        } else {
            free(m->cost);
            m->cost = NULL;
            fprintf(stderr, "gctune %s: no predicted CPython GC time: %s\n", cmd, err);
            json_object_set_new(entry, "model", json_null());
            json_object_set_new(entry, "why", json_string(err));
        }
    }
    json_object_set_new(m->meta, "cpython_cost_model", entry);
}

/* The session hands every record here: the work priced by the model. */
static void predict(void *ud, gct_result *r)
{
    const gct_costmodel *cost = ud;
    const gct_collector *c = gct_collector_find(r->collector);
    if (!c || !c->cpython)
        return; /* not CPython's collector: no price */
    int64_t ex[3] = {r->examined_gen0, r->examined_gen1, r->examined_gen2};
    int64_t tr[3] = {r->traversed_gen0, r->traversed_gen1, r->traversed_gen2};
    int64_t fr[3] = {r->collected_gen0, r->collected_gen1, r->collected_gen2};
    int64_t co[3] = {r->collections_gen0, r->collections_gen1, r->collections_gen2};
    r->cpython_gc_s = gct_costmodel_predict_s(cost, ex, tr, fr, co);
}

int gct_measure_expand(gct_measure *m)
{
    char err[800];
    if (gct_sweep_spec_expand(&m->spec, &m->cfgs, &m->n, err, sizeof err))
        return gct_usage_error(cmd_of(m), "%s", err);
    return 0;
}

/* An --out that already holds results is refused unless --force. */
static int check_out(const gct_measure *m)
{
    if (!m->out || m->force)
        return 0;
    char p[4200];
    snprintf(p, sizeof p, "%s/results.csv", m->out);
    if (access(p, F_OK) == 0)
        return gct_usage_error(cmd_of(m), "--out %s already holds results (results.csv); choose "
                                          "another directory or pass --force",
                               m->out);
    return 0;
}

/* meta.json's "sweep": what was asked for and how it is scheduled. */
static json_t *sweep_json(const gct_measure *m)
{
    json_t *sw = json_object();
    json_object_set_new(sw, "preset", json_string(m->sweep ? m->spec.preset : ""));
    json_object_set_new(sw, "seed", json_integer((json_int_t)m->spec.seed));
    json_t *ops = json_object();
    for (size_t i = 0; i < m->n; i++)
        json_object_set_new(ops, m->cfgs[i].workload->name, json_integer(m->cfgs[i].ops));
    json_object_set_new(sw, "ops", ops);
    json_object_set_new(sw, "reps", json_integer(m->spec.reps));
    json_object_set_new(sw, "schedule", json_string("one process per repetition, in rounds; "
                                                    "each round every configuration once, in "
                                                    "an order shuffled from the seed"));
    json_object_set_new(sw, "warmup", json_real(m->warmup));
    json_object_set_new(sw, "prefork", json_integer(m->prefork));
    json_object_set_new(sw, "aa_controls", json_integer((json_int_t)m->twins));
    json_object_set_new(sw, "jobs", json_integer(m->spec.jobs));
    json_object_set_new(sw, "pinned", json_boolean(m->pin || m->spec.jobs > 1));
    json_object_set_new(sw, "configurations", json_integer((json_int_t)m->n));
    json_object_set_new(sw, "sweep_file", sweep_file_json(m->file));
    return sw;
}

/* meta.json's "collectors": per collector swept, in the registry's order,
 * the CPython version it is or models (null: none a CPython user runs) and
 * its knobs' defaults.  A result directory then says which version each
 * configuration measured without the reader's registry, which may have
 * changed since (results/versions.h reads it). */
static json_t *collectors_json(const gct_measure *m)
{
    json_t *all = json_object();
    for (size_t r = 0; r < gct_collector_count(); r++) {
        const gct_collector *col = gct_collector_at(r);
        bool swept = false;
        for (size_t i = 0; i < m->n && !swept; i++)
            swept = m->cfgs[i].collector == col;
        if (!swept)
            continue;
        json_t *o = json_object(), *defaults = json_object();
        json_object_set_new(o, "cpython", col->cpython ? json_string(col->cpython) : json_null());
        for (uint32_t k = 0; k < col->nknobs; k++)
            json_object_set_new(defaults, col->knobs[k].name,
                                json_integer((json_int_t)col->knobs[k].def));
        json_object_set_new(o, "defaults", defaults);
        json_object_set_new(all, col->name, o);
    }
    return all;
}

int gct_measure_prepare(int argc, char **argv, gct_measure *m)
{
    const char *cmd = cmd_of(m);
    gct_topology topo;
    char err[800];
    if (gct_topology_probe(&topo, err, sizeof err)) {
        fprintf(stderr, "gctune %s: %s\n", cmd, err);
        return GCT_EXIT_FAILED;
    }
    int rc = check_jobs(cmd, m, &topo);
    if (rc || (rc = check_out(m)))
        return rc;
    m->meta = gct_meta_new(argc, argv, cmd);
    json_object_set_new(m->meta, "sweep", sweep_json(m));
    json_object_set_new(m->meta, "seed", json_integer((json_int_t)m->spec.seed));
    json_object_set_new(m->meta, "collectors", collectors_json(m));
    obtain_cost_model(m, cmd);
    return 0;
}

int gct_measure_execute(gct_measure *m, gct_result_session_result *res)
{
    gct_result_session_opts so = {
        .out = m->out,
        .jobs = m->spec.jobs,
        .pin = m->pin || m->spec.jobs > 1,
        .quiet = m->quiet || !m->sweep,
        .gbench_console = false,
        .timeout_s = m->timeout_s,
        .warmup = m->warmup,
        .mem_limit = m->mem_given ? m->mem_limit : default_mem_limit(m->spec.jobs),
        .prefork = m->prefork,
        .seed = m->spec.seed,
        .meta = m->meta,
        .force = m->force,
        .annotate = m->cost ? predict : NULL,
        .annotate_ud = m->cost,
    };
    gct_result_session_catch_signals();
    return gct_result_session_run(m->cfgs, m->n, &so, res);
}

void gct_measure_free(gct_measure *m)
{
    free(m->cost);
    m->cost = NULL;
    free(m->cfgs);
    json_decref(m->meta);
    m->cfgs = NULL;
    m->meta = NULL;
}

void gct_measure_figures_and_report(const gct_measure *m, const char *out)
{
    gct_plot_result pr;
    memset(&pr, 0, sizeof pr);
    char perr[800] = "not drawn (--no-plots)";
    bool drawn = false;
    if (!m->no_plots) {
        gct_plot_opts po = {.pdf = m->pdf, .version_lookup = gct_cpython_of,
                            .interpreter_lookup = gct_interpreter_of};
        drawn = gct_plot_dir(out, &po, &pr, perr, sizeof perr) == 0;
        if (drawn)
            gct_print_plot_result(&pr, out);
        else
            printf("no figures: %s\n", perr);
    }
    gct_report_opts ro = {
        .max_p99_us = 10000,
        .figures = drawn ? &pr : NULL,
        .figures_note = perr,
        .plot = {.version_lookup = gct_cpython_of,
                 .interpreter_lookup = gct_interpreter_of},
    };
    char rerr[800];
    size_t notes;
    if (gct_report_write(out, &ro, &notes, rerr, sizeof rerr) != 0)
        printf("no report: %s\n", rerr);
    else
        printf("report: %s/report.html (and report.md)\n", out);
    gct_plot_result_free(&pr);
}

void gct_measure_default_out(gct_measure *m, const char *prefix)
{
    if (m->out)
        return;
    time_t t = time(NULL);
    char stamp[64];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", localtime(&t));
    snprintf(m->outbuf, sizeof m->outbuf, "out/%s%s", prefix, stamp);
    m->out = m->outbuf;
}
