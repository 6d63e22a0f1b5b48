/* cmd_compare.c — `gctune compare A B`: is B different from A, and is the
 * difference real?  Between two CPython versions, what the upgrade does
 * (results/upgrade.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare.h"
#include "summary.h"
#include "upgrade.h"
#include "versions.h"

static void compare_help(FILE *out)
{
    fprintf(out,
            "usage: gctune compare A B [--json | --csv] [--fail-if-slower PCT]\n"
            "                          [--allow-different-work] [--from V] [--to V]\n"
            "       gctune compare DIR --from V --to V [...]\n\n"
            "A and B are result directories, or DIR:PATTERN to select configurations by\n"
            "id (a shell pattern: DIR:'gencycle.trees.gen0-700.*').  Configurations with the\n"
            "same id are paired; two selections of one configuration per workload are\n"
            "paired by workload (to compare two threshold settings).  Every process is one\n"
            "sample.  For each pair and timed metric (ops/s, GC fraction, p50/p99/max\n"
            "pause, peak memory): the medians, B/A with a 95%% bootstrap interval, a\n"
            "two-sided Mann-Whitney U test, P(B better) (that one process of B beats one\n"
            "of A), the smallest difference these processes could detect, and a verdict:\n"
            "faster/slower or better/worse only when p < 0.05, the interval leaves out 1,\n"
            "and the difference is larger than both the detectable difference and the A/A\n"
            "noise floor: the sweeps' A/A controls (noise.csv) and, between two sweeps, how\n"
            "far the workload's reference configuration moved from one to the other (the\n"
            "machine's drift); otherwise \"no detectable difference\"\n"
            "with the size below which this comparison cannot see.  The collector's work\n"
            "(collections, objects examined, references traversed, objects freed, the\n"
            "predicted CPython GC time) is deterministic for a seed and compared exactly.\n\n"
            "Pairs must have done the same work (operations, workload parameters, seed);\n"
            "otherwise compare refuses (exit 2) and says what differs.\n\n"
            "Between two CPython versions (A and B each ran one CPython model, of different\n"
            "versions, or --from and --to name them) compare reads as an upgrade: per\n"
            "workload, throughput, p99 and max pause, peak memory and the GC work (objects\n"
            "examined, references traversed) from one version to the other, each version at\n"
            "its default thresholds, with the ratio, its interval and a verdict only beyond\n"
            "the noise floor, and one sentence.  V is a collector (gencycle313) or a CPython\n"
            "version (3.13), optionally with thresholds (gencycle313:5000/10/10) instead of\n"
            "the defaults; --from reads A, --to reads B.  With one directory both come from\n"
            "it; a version against itself there is its default against its A/A twin.\n\n"
            "  --from V, --to V       the versions of an upgrade (see above)\n"
            "  --json                 the comparison as JSON\n"
            "  --csv                  the comparison as CSV\n"
            "  --fail-if-slower PCT   exit 1 if some pair is significantly slower in ops/s by\n"
            "                         more than PCT percent (for CI); otherwise the exit status\n"
            "                         is 0 whatever the verdicts\n"
            "  --allow-different-work compare pairs that did different work anyway\n"
            "  --ignore-drift         between two sweeps, do not raise the floor to the drift\n"
            "                         of the reference configuration (when a code change, not\n"
            "                         the machine, moved it); verdicts then assume the machine\n"
            "                         did not change between the sweeps\n");
}

/* "DIR" or "DIR:PATTERN" (the directory must exist; a ':' inside a
 * directory name is kept when the whole argument is a directory). */
static int load_side(const char *arg, const char *which, gct_results *rows, gct_summary *sum,
                     char **pattern, char *dir)
{
    struct stat st;
    *pattern = NULL;
    snprintf(dir, 4096, "%s", arg);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char *colon = strrchr(dir, ':');
        if (colon) {
            *colon = 0;
            *pattern = strdup(colon + 1);
        }
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            free(*pattern);
            *pattern = NULL;
            return gct_usage_error("compare", "%s: '%s' is not a result directory", which, dir);
        }
    }
    char path[4200], err[600];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    if (gct_results_read_csv(path, rows, err, sizeof err) != 0) {
        free(*pattern);
        *pattern = NULL;
        fprintf(stderr, "gctune compare: %s: %s\n", which, err);
        return GCT_EXIT_USAGE;
    }
    /* The model (for the A/A noise floor) from the same directory. */
    if (gct_summary_load(dir, sum, err, sizeof err) != 0) {
        gct_results_free(rows);
        free(*pattern);
        *pattern = NULL;
        fprintf(stderr, "gctune compare: %s: %s\n", which, err);
        return GCT_EXIT_USAGE;
    }
    return 0;
}

/* Whether A and B name one result directory (patterns aside). */
static bool same_directory(const char *a, const char *b)
{
    char da[4096], db[4096], ra[4096], rb[4096];
    snprintf(da, sizeof da, "%s", a);
    snprintf(db, sizeof db, "%s", b);
    struct stat st;
    char *c;
    if ((stat(da, &st) != 0 || !S_ISDIR(st.st_mode)) && (c = strrchr(da, ':')))
        *c = 0;
    if ((stat(db, &st) != 0 || !S_ISDIR(st.st_mode)) && (c = strrchr(db, ':')))
        *c = 0;
    if (!realpath(da, ra) || !realpath(db, rb))
        return !strcmp(da, db);
    return !strcmp(ra, rb);
}

/* One side as read: records, model, pattern, directory, versions. */
typedef struct loaded {
    gct_results rows;
    gct_summary sum;
    char *pattern;
    char dir[4096];
    gct_versions ver;
} loaded;

static int load(const char *arg, const char *which, loaded *l)
{
    memset(l, 0, sizeof *l);
    int rc = load_side(arg, which, &l->rows, &l->sum, &l->pattern, l->dir);
    if (rc)
        return rc;
    char err[800];
    if (gct_versions_load(l->dir, &l->sum, gct_cpython_of, &l->ver, err, sizeof err) != 0) {
        fprintf(stderr, "gctune compare: %s: %s\n", which, err);
        gct_results_free(&l->rows);
        gct_summary_free(&l->sum);
        free(l->pattern);
        return GCT_EXIT_USAGE;
    }
    return 0;
}

static void unload(loaded *l)
{
    gct_results_free(&l->rows);
    gct_summary_free(&l->sum);
    gct_versions_free(&l->ver);
    free(l->pattern);
}

/* --fail-if-slower: exit 1 when a pair is significantly slower in ops/s by
 * more than pct. */
static int check_slower(const gct_cmp *cmp, double pct)
{
    int rc = GCT_EXIT_OK;
    if (isnan(pct))
        return rc;
    for (size_t i = 0; i < cmp->n; i++) {
        const gct_cmp_row *r = &cmp->rows[i];
        if (!strcmp(r->verdict, "slower") && r->ratio < 1 - pct / 100) {
            fprintf(stderr, "gctune compare: %s is %.1f%% slower than %s (more than %g%%)\n",
                    r->config_b, 100 * (1 - r->ratio), r->config_a, pct);
            rc = GCT_EXIT_FAILED;
        }
    }
    return rc;
}

typedef struct compare_args {
    bool json, csv, allow, ignore_drift;
    double fail_pct;
    const char *from, *to;
    const char *arg_a, *arg_b;
} compare_args;

/* Two CPython versions, per workload (results/upgrade.h). */
static int run_upgrade(const compare_args *ca, const loaded *a, const loaded *b, bool same)
{
    gct_upgrade_side sa = {.name = "A", .dir = a->dir, .rows = &a->rows, .sum = &a->sum,
                           .ver = &a->ver, .filter = a->pattern};
    gct_upgrade_side sb = {.name = "B", .dir = b->dir, .rows = &b->rows, .sum = &b->sum,
                           .ver = &b->ver, .filter = b->pattern};
    gct_upgrade_opts uo = {.same_sweep = same, .ignore_drift = ca->ignore_drift,
                           .allow_different_work = ca->allow};
    gct_upgrade u;
    char err[1200];
    if (gct_upgrade_run(&sa, ca->from, &sb, ca->to, &uo, &u, err, sizeof err) != 0) {
        fprintf(stderr, "gctune compare: %s\n", err);
        return GCT_EXIT_USAGE;
    }
    if (ca->json)
        gct_upgrade_write_json(stdout, &u);
    else if (ca->csv)
        gct_cmp_write_csv(stdout, &u.cmp);
    else {
        if (same)
            printf("A, B: %s\n", ca->arg_a);
        else
            printf("A: %s\nB: %s\n", ca->arg_a, ca->arg_b);
        gct_upgrade_print(stdout, &u);
    }
    int rc = check_slower(&u.cmp, ca->fail_pct);
    gct_upgrade_free(&u);
    return rc;
}

/* Configurations paired by id or by workload (results/compare.h). */
static int run_compare(const compare_args *ca, const loaded *a, const loaded *b, bool same)
{
    gct_cmp cmp;
    char err[800];
    gct_cmp_opts co = {
        .filter_a = a->pattern,
        .filter_b = b->pattern,
        .noise_a = &a->sum,
        .noise_b = &b->sum,
        .allow_different_work = ca->allow,
        .ignore_drift = ca->ignore_drift,
        .same_sweep = same,
    };
    if (gct_compare(&a->rows, &b->rows, &co, &cmp, err, sizeof err) != 0) {
        fprintf(stderr, "gctune compare: %s\n", err);
        return GCT_EXIT_USAGE;
    }
    if (ca->json)
        gct_cmp_write_json(stdout, &cmp);
    else if (ca->csv)
        gct_cmp_write_csv(stdout, &cmp);
    else {
        printf("A: %s\nB: %s\n", ca->arg_a, ca->arg_b);
        gct_cmp_print_table(stdout, &cmp);
    }
    int rc = check_slower(&cmp, ca->fail_pct);
    gct_cmp_free(&cmp);
    return rc;
}

int gct_cmd_compare(int argc, char **argv)
{
    enum { O_JSON = 256, O_CSV, O_FAIL, O_ALLOW, O_IGNORE_DRIFT, O_FROM, O_TO };
    static const struct option opts[] = {{"json", no_argument, NULL, O_JSON},
                                         {"csv", no_argument, NULL, O_CSV},
                                         {"fail-if-slower", required_argument, NULL, O_FAIL},
                                         {"allow-different-work", no_argument, NULL, O_ALLOW},
                                         {"ignore-drift", no_argument, NULL, O_IGNORE_DRIFT},
                                         {"from", required_argument, NULL, O_FROM},
                                         {"to", required_argument, NULL, O_TO},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    compare_args ca = {.fail_pct = NAN};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_JSON: ca.json = true; break;
        case O_CSV: ca.csv = true; break;
        case O_ALLOW: ca.allow = true; break;
        case O_IGNORE_DRIFT: ca.ignore_drift = true; break;
        case O_FROM:
        case O_TO:
            if (!*optarg)
                return gct_usage_error("compare", "%s needs a collector or a CPython version",
                                       c == O_FROM ? "--from" : "--to");
            *(c == O_FROM ? &ca.from : &ca.to) = optarg;
            break;
        case O_FAIL: {
            char *end;
            ca.fail_pct = strtod(optarg, &end);
            if (*end || !(ca.fail_pct >= 0 && ca.fail_pct < 100))
                return gct_usage_error("compare", "--fail-if-slower '%s' is not a percentage from "
                                                  "0 to 100",
                                       optarg);
            break;
        }
        case 'h': compare_help(stdout); return GCT_EXIT_OK;
        case '?':
            if (optopt == O_FAIL)
                return gct_usage_error("compare", "--fail-if-slower needs a percentage");
            if (optopt == O_FROM || optopt == O_TO)
                return gct_usage_error("compare", "%s needs a collector or a CPython version",
                                       optopt == O_FROM ? "--from" : "--to");
            return gct_usage_error("compare", "unknown option '%s'", argv[optind - 1]);
        default: return gct_usage_error("compare", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (ca.json && ca.csv)
        return gct_usage_error("compare", "--json and --csv: choose one");
    bool upgrade_asked = ca.from || ca.to;
    int npos = argc - optind;
    if (npos == 1 && !upgrade_asked)
        return gct_usage_error("compare", "give two result directories, A and B (got 1; one "
                                          "directory compares two versions with --from and --to)");
    if (npos != 2 && npos != 1)
        return gct_usage_error("compare", "give two result directories, A and B (got %d)", npos);
    ca.arg_a = argv[optind];
    ca.arg_b = argv[optind + npos - 1];
    loaded a, b;
    int rc = load(ca.arg_a, "A", &a);
    if (rc)
        return rc;
    if ((rc = load(ca.arg_b, "B", &b))) {
        unload(&a);
        return rc;
    }
    bool same = same_directory(ca.arg_a, ca.arg_b);
    gct_upgrade_side sa = {.sum = &a.sum, .ver = &a.ver, .filter = a.pattern};
    gct_upgrade_side sb = {.sum = &b.sum, .ver = &b.ver, .filter = b.pattern};
    if (upgrade_asked || gct_upgrade_detect(&sa, &sb))
        rc = run_upgrade(&ca, &a, &b, same);
    else
        rc = run_compare(&ca, &a, &b, same);
    unload(&a);
    unload(&b);
    return rc;
}
