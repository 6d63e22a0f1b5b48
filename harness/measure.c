/* measure.c — the options, configurations and session of run and sweep. */
#define _GNU_SOURCE
#include "measure.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calibrate.h"
#include "cli.h"
#include "topology.h"

enum {
    O_GEN0 = 256, O_GEN1, O_GEN2, O_OPS, O_REPS, O_SEED, O_PIN, O_OUT, O_JSON, O_PRESET,
    O_TIMEOUT, O_MAXMEM, O_FORCE, O_NOPLOTS, O_PDF, O_WARMUP, O_NOAA, O_NOPREDICT, O_PYTHON,
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
    {"warmup", required_argument, NULL, O_WARMUP},
    {"no-aa", no_argument, NULL, O_NOAA},
    {"no-predict", no_argument, NULL, O_NOPREDICT},
    {"python", required_argument, NULL, O_PYTHON},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {0, 0, 0, 0},
};

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
    "  --max-memory SIZE     the heap of a run may not grow past SIZE (e.g. 4G; default:\n"
    "                        90%% of memory, shared by the -j runs); a run that would is\n"
    "                        recorded as failed\n";

static int set_knob_list(gct_measure *o, const char *cmd, const char *name, const char *value,
                         const char *flag)
{
    char err[400];
    if (gct_sweep_spec_set_knob(&o->spec, name, value, flag, err, sizeof err))
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

int gct_measure_parse(int argc, char **argv, bool sweep, void (*help)(FILE *), gct_measure *o)
{
    memset(o, 0, sizeof *o);
    o->sweep = sweep;
    o->timeout_s = 600;
    o->warmup = 0.1;
    gct_sweep_spec_init(&o->spec);
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
            help(stdout);
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
        if (gct_sweep_spec_apply_preset(&o->spec, preset, err, sizeof err))
            return gct_usage_error(cmd, "--preset: %s", err);
    }
    if (optind < argc) {
        if (!o->sweep)
            return gct_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        if (optind + 1 < argc)
            return gct_usage_error(cmd, "unexpected argument '%s' (one sweep file at most)",
                                   argv[optind + 1]);
        o->file = argv[optind];
        if (gct_sweep_spec_read_file(&o->spec, o->file, err, sizeof err)) {
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
                if (gct_sweep_spec_set_param(&o->spec, name, value, flag, err, sizeof err))
                    rc = gct_usage_error(cmd, "%s", err);
            }
            break;
        case O_OPS: {
            /* --ops N for every workload, or --ops WORKLOAD=N for one. */
            const char *eq = strchr(optarg, '=');
            const char *num = eq ? eq + 1 : optarg;
            if (!gct_parse_count(num, 1, GCT_SWEEP_SPEC_MAX_OPS, &v))
                return gct_usage_error(cmd, "--ops '%s' is not a whole number of at least 1 (or "
                                            "WORKLOAD=N)",
                                       optarg);
            if (eq) {
                snprintf(name, sizeof name, "%.*s", (int)(eq - optarg), optarg);
                if (gct_sweep_spec_set_ops(&o->spec, name, v))
                    return gct_usage_error(cmd, "--ops: too many per-workload counts");
            } else {
                gct_sweep_spec_set_ops(&o->spec, NULL, v);
            }
            break;
        }
        case O_REPS:
            if (!gct_parse_count(optarg, 1, GCT_SWEEP_SPEC_MAX_REPS, &v))
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
            if (!gct_parse_count(optarg, 1, GCT_SWEEP_SPEC_MAX_JOBS, &v))
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
        case O_WARMUP: {
            char *end;
            double pct = strtod(optarg, &end);
            if (end == optarg || *end || !(pct >= 0 && pct <= 1000))
                return gct_usage_error(cmd, "--warmup '%s' is not a percentage from 0 to 1000",
                                       optarg);
            o->warmup = pct / 100;
            break;
        }
        case O_NOPREDICT: o->no_predict = true; break;
        case O_PYTHON:
            if (!*optarg)
                return gct_usage_error(cmd, "--python needs an interpreter");
            o->python = optarg;
            break;
        case O_NOAA:
            if (!o->sweep)
                return gct_usage_error(cmd, "--no-aa is for gctune sweep");
            o->no_aa = true;
            break;
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
 * like any other.  How far the pair lands apart is the noise floor.
 */
static int add_twins(gct_measure *m)
{
    size_t n = m->n, add = 0;
    gct_config *twins = calloc(n ? n : 1, sizeof *twins);
    if (!twins)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const gct_workload *wl = m->cfgs[i].workload;
        bool seen = false;
        for (size_t k = 0; k < add && !seen; k++)
            seen = twins[k].workload == wl;
        if (seen)
            continue;
        const gct_config *ref = NULL;
        for (int pass = 0; pass < 3 && !ref; pass++)
            for (size_t j = 0; j < n && !ref; j++) {
                const gct_config *c = &m->cfgs[j];
                if (c->workload != wl)
                    continue;
                bool generational = gct_config_knob(c, "gen1") >= 0;
                if ((pass == 0 && generational && gct_config_is_default(c)) ||
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

/* The cost model prices the work of the collectors that model CPython's (a
 * generational one: gen1 >= 0). */
static bool models_cpython(const gct_measure *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (gct_config_knob(&m->cfgs[i], "gen1") >= 0)
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
    if (r->gen1 < 0)
        return; /* not a CPython model: no price */
    int64_t ex[3] = {r->examined_gen0, r->examined_gen1, r->examined_gen2};
    int64_t tr[3] = {r->traversed_gen0, r->traversed_gen1, r->traversed_gen2};
    int64_t fr[3] = {r->collected_gen0, r->collected_gen1, r->collected_gen2};
    int64_t co[3] = {r->collections_gen0, r->collections_gen1, r->collections_gen2};
    r->cpython_gc_s = gct_costmodel_predict_s(cost, ex, tr, fr, co);
}

int gct_measure_prepare(int argc, char **argv, gct_measure *m)
{
    const char *cmd = m->sweep ? "sweep" : "run";
    if (!m->sweep) {
        if (!m->spec.collectors[0])
            return gct_usage_error(cmd, "which collector? (-c NAME; gctune list shows them)");
        if (!m->spec.workloads[0])
            return gct_usage_error(cmd, "which workload? (-w NAME; gctune list shows them)");
        if (strchr(m->spec.collectors, ','))
            return gct_usage_error(cmd, "-c '%s': a run is one collector (use gctune sweep for "
                                        "several)",
                                   m->spec.collectors);
        if (strchr(m->spec.workloads, ','))
            return gct_usage_error(cmd, "-w '%s': a run is one workload (use gctune sweep for "
                                        "several)",
                                   m->spec.workloads);
    }
    char err[800];
    if (gct_sweep_spec_expand(&m->spec, &m->cfgs, &m->n, err, sizeof err))
        return gct_usage_error(cmd, "%s", err);
    if (!m->sweep && m->n != 1)
        return gct_usage_error(cmd, "the options describe %zu configurations; a run measures "
                                    "one (give one value per knob and parameter, or use sweep)",
                               m->n);
    if (m->sweep && !m->no_aa && add_twins(m)) {
        fprintf(stderr, "gctune %s: out of memory\n", cmd);
        return GCT_EXIT_FAILED;
    }
    gct_topology topo;
    if (gct_topology_probe(&topo, err, sizeof err)) {
        fprintf(stderr, "gctune %s: %s\n", cmd, err);
        return GCT_EXIT_FAILED;
    }
    int rc = check_jobs(cmd, m, &topo);
    if (rc)
        return rc;
    if (m->sweep && !m->out) {
        time_t t = time(NULL);
        char stamp[64];
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", localtime(&t));
        snprintf(m->outbuf, sizeof m->outbuf, "out/%s", stamp);
        m->out = m->outbuf;
    }
    if (m->out && !m->force) {
        char p[4200];
        snprintf(p, sizeof p, "%s/results.csv", m->out);
        if (access(p, F_OK) == 0)
            return gct_usage_error(cmd, "--out %s already holds results (results.csv); choose "
                                        "another directory or pass --force",
                                   m->out);
    }

    m->meta = gct_meta_new(argc, argv, cmd);
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
    json_object_set_new(sw, "aa_controls", json_integer((json_int_t)m->twins));
    json_object_set_new(sw, "jobs", json_integer(m->spec.jobs));
    json_object_set_new(sw, "pinned", json_boolean(m->pin || m->spec.jobs > 1));
    json_object_set_new(sw, "configurations", json_integer((json_int_t)m->n));
    json_object_set_new(sw, "sweep_file", sweep_file_json(m->file));
    json_object_set_new(m->meta, "sweep", sw);
    json_object_set_new(m->meta, "seed", json_integer((json_int_t)m->spec.seed));
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
