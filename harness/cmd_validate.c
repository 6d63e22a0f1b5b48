/*
 * cmd_validate.c — `gctune validate`: gencycle, the model of CPython 3.11's
 * collector, against the real collector embedded as the cpython backend, on
 * every workload over a grid of thresholds (validate.h).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
            "                       [--quiet]\n\n"
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

/* Is `name` one of the comma-separated items of list? */
static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, name, n))
            return true;
        if (!e)
            break;
        p = e + 1;
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

int gct_cmd_validate(int argc, char **argv)
{
    const char *cmd = "validate";
    const char *wl_list = NULL, *th_list = NULL;
    long long ops = 0, seed = 1;
    bool json = false, quiet = false;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "w:qh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'w': wl_list = optarg; break;
        case O_THRESHOLDS: th_list = optarg; break;
        case O_OPS:
            if (!gct_parse_count(optarg, 1, INT64_C(1) << 40, &ops))
                return gct_usage_error(cmd, "--ops '%s' is not a whole number of at least 1",
                                       optarg);
            break;
        case O_SEED:
            if (!gct_parse_count(optarg, 0, INT64_MAX, &seed))
                return gct_usage_error(cmd, "--seed '%s' is not a whole number of at least 0",
                                       optarg);
            break;
        case O_JSON: json = true; break;
        case 'q': quiet = true; break;
        case 'h': help(stdout); return GCT_EXIT_OK;
        case '?':
            if (optopt == 'w')
                return gct_usage_error(cmd, "-w needs a value");
            return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        default: return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gct_usage_error(cmd, "unexpected argument '%s'", argv[optind]);

    static gct_vworkload all[MAX_ROWS], rows[MAX_ROWS];
    static gct_vthresholds th[MAX_TH];
    char err[400];
    size_t nall = gct_validate_default_workloads(all, MAX_ROWS, err, sizeof err);
    if (!nall) {
        fprintf(stderr, "gctune validate: %s\n", err);
        return GCT_EXIT_FAILED;
    }
    size_t nrows = 0;
    if (wl_list) {
        for (const char *p = wl_list; *p;) {
            const char *e = strchr(p, ',');
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
            if (!gct_workload_find(name)) {
                char names[200];
                gct_workload_names(names, sizeof names);
                return gct_usage_error(cmd, "-w: unknown workload '%s' (known: %s)", name, names);
            }
            if (!e)
                break;
            p = e + 1;
        }
    }
    for (size_t i = 0; i < nall; i++) {
        if (wl_list && !in_list(wl_list, all[i].wl->name))
            continue;
        rows[nrows] = all[i];
        if (ops)
            rows[nrows].ops = ops;
        nrows++;
    }
    size_t nth = 0;
    if (th_list) {
        for (const char *p = th_list; *p;) {
            const char *e = strchr(p, ',');
            char one[96];
            snprintf(one, sizeof one, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
            if (nth == MAX_TH)
                return gct_usage_error(cmd, "--thresholds: more than %d triples", MAX_TH);
            if (!gct_validate_parse_thresholds(one, &th[nth]))
                return gct_usage_error(cmd,
                                       "--thresholds: '%s' is not gen0/gen1/gen2 with whole "
                                       "numbers from 0 to 1000000000 (e.g. 700/10/10)",
                                       one);
            nth++;
            if (!e)
                break;
            p = e + 1;
        }
        if (!nth)
            return gct_usage_error(cmd, "--thresholds: no triples given");
    } else {
        nth = gct_validate_default_thresholds(th, MAX_TH);
    }

    if (!gct_collector_find("cpython")) {
        fprintf(stderr,
                "gctune validate: this gctune was built without the cpython backend: meson did "
                "not find python3-embed 3.11 (Debian: python3-dev) when it was configured, "
                "or was told -Dcpython=disabled.\n"
                "Install python3-dev and reconfigure (meson setup --reconfigure BUILDDIR) to "
                "validate gencycle against the real collector.\n");
        return GCT_EXIT_FAILED;
    }

    size_t ncases = nrows * nth;
    gct_vcase *cases = calloc(ncases, sizeof *cases);
    if (!cases) {
        fprintf(stderr, "gctune validate: out of memory\n");
        return GCT_EXIT_FAILED;
    }
    size_t counts[4] = {0};
    for (size_t i = 0; i < nrows; i++) {
        for (size_t j = 0; j < nth; j++) {
            gct_vcase *k = &cases[i * nth + j];
            k->w = &rows[i];
            k->th = &th[j];
            uint64_t t0 = gct_now_ns();
            gct_validate_case(k, (uint64_t)seed);
            counts[k->status]++;
            if (!quiet)
                fprintf(stderr, "validate: %-22s %-13s %-10s %6zu collections  %5.1f s\n",
                        rows[i].label, th[j].label, gct_vstatus_name(k->status), k->real.ncolls,
                        (double)(gct_now_ns() - t0) / 1e9);
        }
    }
    if (json) {
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
    } else {
        print_tables(cases, nrows, nth, rows, th, (uint64_t)seed);
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
