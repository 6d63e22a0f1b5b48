/*
 * cmd_validate.c — `gctune validate`: gencycle, the model of CPython 3.11's
 * collector, against the real collector embedded as the cpython backend, on
 * every workload over a grid of thresholds (validate.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_info.h"
#include "cli.h"
#include "validate.h"

#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
/* libpython's (Python.h is not needed for one function that works before
 * the interpreter starts). */
const char *Py_GetVersion(void);
#endif

/* The embedded interpreter's version ("3.11.2"), or "" without it. */
static const char *cpython_version(void)
{
    static char v[32];
#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
    if (!v[0])
        snprintf(v, sizeof v, "%.*s", (int)strcspn(Py_GetVersion(), " "), Py_GetVersion());
#endif
    return v;
}

#define MAX_ROWS 32
#define MAX_TH 32

static void help(FILE *out)
{
    fprintf(out,
            "usage: gctune validate [-w LIST] [--thresholds LIST] [--ops N] [--seed S] [--json]\n"
            "                       [--quiet]\n"
            "       gctune validate --interpreters [OPTIONS...]\n\n"
            "With --interpreters: every CPython model (3.11 ... 3.15) against every real\n"
            "interpreter of its version found here (python3, $PYENV_ROOT/versions/*, the\n"
            "Pyodide builds of 3.14 and 3.15 that .ci/run installs), on heap-operation\n"
            "traces: the hand-written ones, the same under a grid of thresholds, seeded\n"
            "random programs and every workload recorded by `gctune run --trace`.  Every\n"
            "collection and the end state must be equal.  The rest of the arguments go to\n"
            "scripts/validate-interpreters.py (its --help); missing interpreters are listed\n"
            "as skipped, with the reason.\n\n"
            "Without it:\n"
            "Run every workload on gencycle (the model of CPython 3.11's collector) and on\n"
            "cpython (the real collector, embedded) with the same seed, parameters and\n"
            "operations, for a grid of thresholds, and compare every collection: the\n"
            "allocation at which it ran, its generation, the size of the collected set and\n"
            "the objects collected; then per-generation statistics, final counts, what the\n"
            "workload observed (its checksum) and what is left after teardown.  Each run is\n"
            "set-up, the operations, an explicit full collection, teardown and one more.\n\n"
            "Prints a table (workload x thresholds: 'match', or the first divergence and by\n"
            "how much), the divergences in full, and the median and max pause of both\n"
            "collectors for each case.  A difference with a known reason is marked\n"
            "'explained' with the reason; nothing is skipped.\n\n"
            "  -w, --workload LIST   only these workloads (default: all, with their weak-\n"
            "                        reference variants)\n"
            "  --thresholds LIST     gen0/gen1/gen2 triples, e.g. 700/10/10,100/2/2 (default:\n"
            "                        700/10/10, 100/2/2, 2000/10/10, 10/10/10, 0/10/10,\n"
            "                        100000/10/10)\n"
            "  --ops N               operations for every workload (default: each its own)\n"
            "  --seed S              seed of the workloads' generator (default 1)\n"
            "  --json                print the comparison as JSON instead of the tables\n"
            "  -q, --quiet           no progress on stderr\n\n"
            "Exit status: 0 every case matches (or differs for a stated reason), 1 a case\n"
            "does not match or a run failed, or the cpython backend is not built in,\n"
            "2 bad usage.\n");
}

enum { O_THRESHOLDS = 256, O_OPS, O_SEED, O_JSON };

static const struct option long_opts[] = {
    {"workload", required_argument, NULL, 'w'},
    {"thresholds", required_argument, NULL, O_THRESHOLDS},
    {"ops", required_argument, NULL, O_OPS},
    {"seed", required_argument, NULL, O_SEED},
    {"json", no_argument, NULL, O_JSON},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {0, 0, 0, 0},
};

/* The next comma-separated item of *p into item (as written, untrimmed);
 * *p moves past it, to NULL after the last. */
static void next_item(const char **p, char *item, size_t len)
{
    const char *e = strchr(*p, ',');
    snprintf(item, len, "%.*s", (int)(e ? e - *p : (long)strlen(*p)), *p);
    *p = e ? e + 1 : NULL;
}

/* Is `name` one of the comma-separated items of list? */
static bool in_list(const char *list, const char *name)
{
    char item[64];
    for (const char *p = list; p && *p;) {
        next_item(&p, item, sizeof item);
        if (!strcmp(item, name))
            return true;
    }
    return false;
}

static void cell(char *buf, size_t len, const gct_vcase *c)
{
    if (c->status == GCT_V_EXPLAINED)
        snprintf(buf, len, "explained*");
    else
        snprintf(buf, len, "%s", c->summary);
}

static void print_tables(gct_vcase *cases, size_t nrows, size_t nth, const gct_vworkload *rows,
                         const gct_vthresholds *th, uint64_t seed)
{
    printf("gctune validate: gencycle (model) vs cpython (CPython %s, embedded), seed %" PRIu64
           "\n\n",
           cpython_version(), seed);
    printf("%-22s", "workload");
    for (size_t j = 0; j < nth; j++)
        printf(" %-22s", th[j].label);
    printf("\n");
    for (size_t i = 0; i < nrows; i++) {
        printf("%-22s", rows[i].label);
        for (size_t j = 0; j < nth; j++) {
            char b[64];
            cell(b, sizeof b, &cases[i * nth + j]);
            printf(" %-22.22s", b);
        }
        printf("\n");
    }
    printf("\nworkloads (ops, parameters):\n");
    for (size_t i = 0; i < nrows; i++)
        printf("  %-22s %6" PRId64 "  %s\n", rows[i].label, rows[i].ops, rows[i].params_text);

    bool any = false;
    for (size_t k = 0; k < nrows * nth; k++) {
        const gct_vcase *c = &cases[k];
        if (c->status == GCT_V_MATCH)
            continue;
        if (!any)
            printf("\ndifferences:\n");
        any = true;
        printf("  %s @ %s: %s\n", c->w->label, c->th->label, gct_vstatus_name(c->status));
        if (c->detail[0])
            printf("    %s\n", c->detail);
        if (c->reason[0])
            printf("    reason: %s\n", c->reason);
    }

    printf("\npauses in us: median and max of the automatic collections (the same ones on\n"
           "both), and the explicit full collection of the live heap after the operations\n");
    printf("%-22s %-13s %7s  %9s %9s  %9s %9s  %6s  %10s %10s\n", "workload", "thresholds",
           "auto", "gencycle", "max", "cpython", "max", "p50 x", "full gc", "full cpy");
    for (size_t k = 0; k < nrows * nth; k++) {
        const gct_vcase *c = &cases[k];
        double mm, mx, mf, rm, rx, rf;
        gct_vtrace_pauses(&c->model, &mm, &mx, &mf);
        size_t n = gct_vtrace_pauses(&c->real, &rm, &rx, &rf);
        char ratio[16] = "-", a[4][16];
        if (mm > 0 && rm > 0)
            snprintf(ratio, sizeof ratio, "%.1f", rm / mm);
        const double v[4] = {mm, mx, rm, rx};
        for (int i = 0; i < 4; i++) {
            if (n)
                snprintf(a[i], sizeof a[i], "%.1f", v[i]);
            else
                snprintf(a[i], sizeof a[i], "-");
        }
        printf("%-22s %-13s %7zu  %9s %9s  %9s %9s  %6s  %10.1f %10.1f\n", c->w->label,
               c->th->label, n, a[0], a[1], a[2], a[3], ratio, mf, rf);
    }
}

typedef struct validate_opts {
    const char *workloads, *thresholds; /* -w, --thresholds (NULL: the defaults) */
    long long ops, seed;                /* ops 0: each workload its own */
    bool json, quiet;
} validate_opts;

/* Returns -1 after --help, an exit status on bad usage, else 0. */
static int parse_options(int argc, char **argv, validate_opts *o)
{
    const char *cmd = "validate";
    *o = (validate_opts){.seed = 1};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "w:qh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'w': o->workloads = optarg; break;
        case O_THRESHOLDS: o->thresholds = optarg; break;
        case O_OPS:
            if (!gct_parse_count(optarg, 1, INT64_C(1) << 40, &o->ops))
                return gct_usage_error(cmd, "--ops '%s' is not a whole number of at least 1",
                                       optarg);
            break;
        case O_SEED:
            if (!gct_parse_count(optarg, 0, INT64_MAX, &o->seed))
                return gct_usage_error(cmd, "--seed '%s' is not a whole number of at least 0",
                                       optarg);
            break;
        case O_JSON: o->json = true; break;
        case 'q': o->quiet = true; break;
        case 'h': help(stdout); return -1;
        case '?':
            if (optopt == 'w')
                return gct_usage_error(cmd, "-w needs a value");
            return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        default: return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gct_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* The grid: workload rows and threshold columns. */
typedef struct grid {
    gct_vworkload all[MAX_ROWS], rows[MAX_ROWS];
    gct_vthresholds th[MAX_TH];
    size_t nrows, nth;
} grid;

/* The default rows, those of the workloads -w names, with --ops. */
static int select_rows(const validate_opts *o, grid *g)
{
    char err[400];
    size_t nall = gct_validate_default_workloads(g->all, MAX_ROWS, err, sizeof err);
    if (!nall) {
        fprintf(stderr, "gctune validate: %s\n", err);
        return GCT_EXIT_FAILED;
    }
    char name[64];
    for (const char *p = o->workloads; p && *p;) {
        next_item(&p, name, sizeof name);
        if (!gct_workload_find(name)) {
            char names[200];
            gct_workload_names(names, sizeof names);
            return gct_usage_error("validate", "-w: unknown workload '%s' (known: %s)", name,
                                   names);
        }
    }
    g->nrows = 0;
    for (size_t i = 0; i < nall; i++) {
        if (o->workloads && !in_list(o->workloads, g->all[i].wl->name))
            continue;
        g->rows[g->nrows] = g->all[i];
        if (o->ops)
            g->rows[g->nrows].ops = o->ops;
        g->nrows++;
    }
    return 0;
}

/* --thresholds, or the default columns. */
static int select_thresholds(const validate_opts *o, grid *g)
{
    if (!o->thresholds) {
        g->nth = gct_validate_default_thresholds(g->th, MAX_TH);
        return 0;
    }
    g->nth = 0;
    char one[96];
    for (const char *p = o->thresholds; p && *p;) {
        next_item(&p, one, sizeof one);
        if (g->nth == MAX_TH)
            return gct_usage_error("validate", "--thresholds: more than %d triples", MAX_TH);
        if (!gct_validate_parse_thresholds(one, &g->th[g->nth]))
            return gct_usage_error("validate",
                                   "--thresholds: '%s' is not gen0/gen1/gen2 with whole "
                                   "numbers from 0 to 1000000000 (e.g. 700/10/10)",
                                   one);
        g->nth++;
    }
    if (!g->nth)
        return gct_usage_error("validate", "--thresholds: no triples given");
    return 0;
}

static bool have_cpython_backend(void)
{
    if (gct_collector_find("cpython"))
        return true;
    fprintf(stderr,
            "gctune validate: this gctune was built without the cpython backend: meson did "
            "not find python3-embed 3.11 (Debian: python3-dev) when it was configured, "
            "or was told -Dcpython=disabled.\n"
            "Install python3-dev and reconfigure (meson setup --reconfigure BUILDDIR) to "
            "validate gencycle against the real collector.\n");
    return false;
}

/* Every case of the grid, row by row; counts[status] of them. */
static void run_cases(gct_vcase *cases, const grid *g, const validate_opts *o, size_t counts[4])
{
    for (size_t i = 0; i < g->nrows; i++) {
        for (size_t j = 0; j < g->nth; j++) {
            gct_vcase *k = &cases[i * g->nth + j];
            k->w = &g->rows[i];
            k->th = &g->th[j];
            uint64_t t0 = gct_now_ns();
            gct_validate_case(k, (uint64_t)o->seed);
            counts[k->status]++;
            if (!o->quiet)
                fprintf(stderr, "validate: %-22s %-13s %-10s %6zu collections  %5.1f s\n",
                        g->rows[i].label, g->th[j].label, gct_vstatus_name(k->status),
                        k->real.ncolls, (double)(gct_now_ns() - t0) / 1e9);
        }
    }
}

static void print_json(const gct_vcase *cases, size_t ncases, uint64_t seed,
                       const size_t counts[4])
{
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_integer(1));
    json_object_set_new(o, "model", json_string("gencycle"));
    json_object_set_new(o, "real", json_string("cpython"));
    json_object_set_new(o, "cpython_version", json_string(cpython_version()));
    json_object_set_new(o, "seed", json_integer((json_int_t)seed));
    json_t *arr = json_array();
    for (size_t k = 0; k < ncases; k++)
        json_array_append_new(arr, gct_validate_case_json(&cases[k]));
    json_object_set_new(o, "cases", arr);
    json_t *s = json_object();
    json_object_set_new(s, "cases", json_integer((json_int_t)ncases));
    for (int st = 0; st < 4; st++)
        json_object_set_new(s, gct_vstatus_name((gct_vstatus)st),
                            json_integer((json_int_t)counts[st]));
    json_object_set_new(o, "summary", s);
    json_dumpf(o, stdout, JSON_INDENT(2));
    printf("\n");
    json_decref(o);
}

/* Run the grid and print it; the exit status says whether all matched. */
static int validate_grid(const grid *g, const validate_opts *o)
{
    size_t ncases = g->nrows * g->nth;
    gct_vcase *cases = calloc(ncases ? ncases : 1, sizeof *cases);
    if (!cases) {
        fprintf(stderr, "gctune validate: out of memory\n");
        return GCT_EXIT_FAILED;
    }
    size_t counts[4] = {0};
    run_cases(cases, g, o, counts);
    if (o->json) {
        print_json(cases, ncases, (uint64_t)o->seed, counts);
    } else {
        print_tables(cases, g->nrows, g->nth, g->rows, g->th, (uint64_t)o->seed);
        printf("\n%zu cases: %zu match, %zu explained, %zu mismatch, %zu failed\n", ncases,
               counts[GCT_V_MATCH], counts[GCT_V_EXPLAINED], counts[GCT_V_MISMATCH],
               counts[GCT_V_FAILED]);
    }
    for (size_t k = 0; k < ncases; k++) {
        gct_vtrace_free(&cases[k].model);
        gct_vtrace_free(&cases[k].real);
    }
    free(cases);
    return counts[GCT_V_MISMATCH] || counts[GCT_V_FAILED] ? GCT_EXIT_FAILED : GCT_EXIT_OK;
}

/* --interpreters: the comparison across real interpreters is the script's
 * (it converts traces to Python programs and runs them); this passes it the
 * binary to replay them with. */
static int validate_interpreters(int argc, char **argv)
{
    char script[4096], self[4096];
    snprintf(script, sizeof script, "%s/scripts/validate-interpreters.py", GCT_SOURCE_ROOT);
    if (access(script, R_OK) != 0) {
        fprintf(stderr, "gctune validate: --interpreters needs %s (the sources this gctune was "
                        "built from): %s\n", script, strerror(errno));
        return GCT_EXIT_USAGE;
    }
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "gctune validate: cannot find this binary: %s\n", strerror(errno));
        return GCT_EXIT_FAILED;
    }
    self[n] = 0;
    char **args = calloc((size_t)argc + 5, sizeof *args);
    if (!args)
        return GCT_EXIT_FAILED;
    size_t k = 0;
    args[k++] = "python3";
    args[k++] = script;
    args[k++] = "--gctune";
    args[k++] = self;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--interpreters"))
            args[k++] = argv[i];
    args[k] = NULL;
    fflush(NULL);
    execvp("python3", args);
    fprintf(stderr, "gctune validate: cannot run python3: %s\n", strerror(errno));
    free(args);
    return GCT_EXIT_FAILED;
}

int gct_cmd_validate(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--interpreters"))
            return validate_interpreters(argc, argv);
    validate_opts o;
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? GCT_EXIT_OK : rc;
    grid *g = calloc(1, sizeof *g);
    if (!g) {
        fprintf(stderr, "gctune validate: out of memory\n");
        return GCT_EXIT_FAILED;
    }
    if (!(rc = select_rows(&o, g)) && !(rc = select_thresholds(&o, g)))
        rc = have_cpython_backend() ? validate_grid(g, &o) : GCT_EXIT_FAILED;
    free(g);
    return rc;
}
