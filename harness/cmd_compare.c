/* cmd_compare.c — `gctune compare A B`: is B different from A, and is the
 * difference real? */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare.h"
#include "summary.h"

static void compare_help(FILE *out)
{
    fprintf(out,
            "usage: gctune compare A B [--json | --csv] [--fail-if-slower PCT]\n"
            "                          [--allow-different-work]\n\n"
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
                     char **pattern)
{
    struct stat st;
    char dir[4096];
    *pattern = NULL;
    snprintf(dir, sizeof dir, "%s", arg);
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

int gct_cmd_compare(int argc, char **argv)
{
    enum { O_JSON = 256, O_CSV, O_FAIL, O_ALLOW, O_IGNORE_DRIFT };
    static const struct option opts[] = {{"json", no_argument, NULL, O_JSON},
                                         {"csv", no_argument, NULL, O_CSV},
                                         {"fail-if-slower", required_argument, NULL, O_FAIL},
                                         {"allow-different-work", no_argument, NULL, O_ALLOW},
                                         {"ignore-drift", no_argument, NULL, O_IGNORE_DRIFT},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    bool json = false, csv = false, allow = false, ignore_drift = false;
    double fail_pct = NAN;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_JSON: json = true; break;
        case O_CSV: csv = true; break;
        case O_ALLOW: allow = true; break;
        case O_IGNORE_DRIFT: ignore_drift = true; break;
        case O_FAIL: {
            char *end;
            fail_pct = strtod(optarg, &end);
            if (*end || !(fail_pct >= 0 && fail_pct < 100))
                return gct_usage_error("compare", "--fail-if-slower '%s' is not a percentage from "
                                                  "0 to 100",
                                       optarg);
            break;
        }
        case 'h': compare_help(stdout); return GCT_EXIT_OK;
        case '?':
            if (optopt == O_FAIL)
                return gct_usage_error("compare", "--fail-if-slower needs a percentage");
            return gct_usage_error("compare", "unknown option '%s'", argv[optind - 1]);
        default: return gct_usage_error("compare", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (json && csv)
        return gct_usage_error("compare", "--json and --csv: choose one");
    if (argc - optind != 2)
        return gct_usage_error("compare", "give two result directories, A and B (got %d)",
                               argc - optind);
    gct_results a, b;
    gct_summary sa, sb;
    char *pa, *pb;
    int rc = load_side(argv[optind], "A", &a, &sa, &pa);
    if (rc)
        return rc;
    if ((rc = load_side(argv[optind + 1], "B", &b, &sb, &pb))) {
        gct_results_free(&a);
        gct_summary_free(&sa);
        free(pa);
        return rc;
    }
    gct_cmp cmp;
    char err[800];
    rc = GCT_EXIT_OK;
    gct_cmp_opts co = {
        .filter_a = pa,
        .filter_b = pb,
        .noise_a = &sa,
        .noise_b = &sb,
        .allow_different_work = allow,
        .ignore_drift = ignore_drift,
        .same_sweep = same_directory(argv[optind], argv[optind + 1]),
    };
    if (gct_compare(&a, &b, &co, &cmp, err, sizeof err) != 0) {
        fprintf(stderr, "gctune compare: %s\n", err);
        rc = GCT_EXIT_USAGE;
    } else {
        if (json)
            gct_cmp_write_json(stdout, &cmp);
        else if (csv)
            gct_cmp_write_csv(stdout, &cmp);
        else {
            printf("A: %s\nB: %s\n", argv[optind], argv[optind + 1]);
            gct_cmp_print_table(stdout, &cmp);
        }
        if (!isnan(fail_pct)) {
            for (size_t i = 0; i < cmp.n; i++) {
                const gct_cmp_row *r = &cmp.rows[i];
                if (!strcmp(r->verdict, "slower") && r->ratio < 1 - fail_pct / 100) {
                    fprintf(stderr,
                            "gctune compare: %s is %.1f%% slower than %s (more than %g%%)\n",
                            r->config_b, 100 * (1 - r->ratio), r->config_a, fail_pct);
                    rc = GCT_EXIT_FAILED;
                }
            }
        }
        gct_cmp_free(&cmp);
    }
    gct_results_free(&a);
    gct_results_free(&b);
    gct_summary_free(&sa);
    gct_summary_free(&sb);
    free(pa);
    free(pb);
    return rc;
}
