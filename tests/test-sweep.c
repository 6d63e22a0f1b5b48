/* test-sweep.c — value lists, ranges, sweep files and the expansion into
 * configurations (which knobs vary for which collector). */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sweep_spec.h"

static void expect_list(const char *text, const int64_t *want, size_t n)
{
    int64_t got[64];
    size_t k;
    char err[256];
    GCT_ASSERT_EQ(gct_int_list_parse(text, got, 64, &k, err, sizeof err), 0, "%s: %s", text, err);
    GCT_ASSERT_EQ(k, n, "%s gave %zu values, expected %zu", text, k, n);
    for (size_t i = 0; i < n; i++)
        GCT_ASSERT_EQ(got[i], want[i], "%s: value %zu is %lld, expected %lld", text, i,
                      (long long)got[i], (long long)want[i]);
}

static void expect_list_error(const char *text, const char *must)
{
    int64_t got[64];
    size_t k;
    char err[256];
    GCT_ASSERT_EQ(gct_int_list_parse(text, got, 64, &k, err, sizeof err), -1, "%s parsed", text);
    cr_assert(strstr(err, must), "%s: message '%s' lacks '%s'", text, err, must);
}

Test(sweep, lists_and_ranges)
{
    expect_list("700", (int64_t[]){700}, 1);
    expect_list("700,2000, 10000", (int64_t[]){700, 2000, 10000}, 3);
    expect_list("100..100000x10", (int64_t[]){100, 1000, 10000, 100000}, 4);
    expect_list("2..10+4", (int64_t[]){2, 6, 10}, 3);
    expect_list("2..9+4", (int64_t[]){2, 6, 9}, 3); /* the end is always included */
    expect_list("10k,2M", (int64_t[]){10000, 2000000}, 2);
    expect_list("1..8x2", (int64_t[]){1, 2, 4, 8}, 3 + 1);
    expect_list("100..300x1.5", (int64_t[]){100, 150, 225, 300}, 4);
    expect_list("5,5,5", (int64_t[]){5}, 1); /* duplicates dropped */
    expect_list("0", (int64_t[]){0}, 1);
    expect_list_error("abc", "'abc' is not a whole number");
    expect_list_error("7,", "empty item");
    expect_list_error("1.5", "'1.5' is not a whole number");
    expect_list_error("10..1x2", "runs backwards");
    expect_list_error("1..10x1", "factor above 1");
    expect_list_error("0..10x2", "start above 0");
    expect_list_error("1..10", "not a range");
    expect_list_error("1..10+0", "whole number above 0");
    expect_list_error("1..10+x", "step");
}

static gct_sweep_spec blank(void)
{
    gct_sweep_spec s;
    gct_sweep_spec_init(&s);
    s.nknobs = 0;
    s.nparams = 0;
    s.workloads[0] = 0;
    return s;
}

static size_t count_collector(const gct_config *c, size_t n, const char *name)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !strcmp(c[i].collector->name, name);
    return k;
}

Test(sweep, each_collector_varies_only_its_own_knobs)
{
    gct_sweep_spec s = blank();
    char err[512];
    snprintf(s.collectors, sizeof s.collectors, "refcount,gencycle,marksweep");
    snprintf(s.workloads, sizeof s.workloads, "dlist");
    GCT_ASSERT_EQ(gct_sweep_spec_set_knob(&s, "gen0", "100,1000,10000", "--gen0", err, sizeof err), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_set_knob(&s, "gen1", "2,10", "--gen1", err, sizeof err), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_set_knob(&s, "gen2", "10", "--gen2", err, sizeof err), 0);
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    /* refcount once, gencycle 3 x 2 x 1, marksweep 3. */
    GCT_ASSERT_EQ(count_collector(c, n, "refcount"), 1);
    GCT_ASSERT_EQ(count_collector(c, n, "gencycle"), 6);
    GCT_ASSERT_EQ(count_collector(c, n, "marksweep"), 3);
    GCT_ASSERT_EQ(n, 10);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            GCT_ASSERT_STR_NEQ(c[i].id, c[j].id, "two configurations share the id %s", c[i].id);
        if (!strcmp(c[i].collector->name, "marksweep"))
            cr_assert(c[i].knobs[0] == 100 || c[i].knobs[0] == 1000 || c[i].knobs[0] == 10000);
    }
    free(c);
}

Test(sweep, a_qualified_list_is_for_one_collector_or_workload)
{
    gct_sweep_spec s = blank();
    char err[512];
    snprintf(s.collectors, sizeof s.collectors, "gencycle,marksweep");
    snprintf(s.workloads, sizeof s.workloads, "trees,dlist");
    GCT_ASSERT_EQ(gct_sweep_spec_set_knob(&s, "gen0", "700", "--gen0", err, sizeof err), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_set_knob(&s, "marksweep.gen0", "10k,100k", "-k", err, sizeof err), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_set_param(&s, "trees.depth", "4,6", "-p", err, sizeof err), 0);
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    /* trees: depth 4,6 x (gencycle 1 + marksweep 2) = 6; dlist: 1 + 2 = 3. */
    GCT_ASSERT_EQ(n, 9, "%zu configurations", n);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(c[i].collector->name, "marksweep"))
            cr_assert(c[i].knobs[0] == 10000 || c[i].knobs[0] == 100000);
        else
            GCT_ASSERT_EQ(c[i].knobs[0], 700);
        if (!strcmp(c[i].workload->name, "trees"))
            cr_assert(strstr(c[i].id, "depth-4") || strstr(c[i].id, "depth-6"), "%s", c[i].id);
    }
    free(c);
}

Test(sweep, a_bare_user_list_replaces_the_presets_per_collector_list)
{
    gct_sweep_spec s;
    gct_sweep_spec_init(&s); /* the default preset: marksweep.gen0 = 10000,... */
    char err[512];
    snprintf(s.collectors, sizeof s.collectors, "marksweep");
    snprintf(s.workloads, sizeof s.workloads, "dlist");
    GCT_ASSERT_EQ(gct_sweep_spec_set_knob(&s, "gen0", "50,200", "--gen0", err, sizeof err), 0);
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(n, 2);
    GCT_ASSERT_EQ(c[0].knobs[0], 50);
    GCT_ASSERT_EQ(c[1].knobs[0], 200);
    free(c);
}

static void expect_expand_error(gct_sweep_spec *s, const char *must)
{
    gct_config *c;
    size_t n;
    char err[512];
    GCT_ASSERT_EQ(gct_sweep_spec_expand(s, &c, &n, err, sizeof err), -1, "expanded, expected '%s'", must);
    cr_assert(strstr(err, must), "message '%s' lacks '%s'", err, must);
}

Test(sweep, bad_values_name_the_value_and_where_it_came_from)
{
    char err[512];
    gct_sweep_spec s = blank();
    snprintf(s.collectors, sizeof s.collectors, "gencycle,nope");
    expect_expand_error(&s, "unknown collector 'nope'");

    s = blank();
    snprintf(s.workloads, sizeof s.workloads, "trees,nope");
    expect_expand_error(&s, "unknown workload 'nope'");

    s = blank();
    snprintf(s.collectors, sizeof s.collectors, "marksweep");
    gct_sweep_spec_set_knob(&s, "gen1", "10", "--gen1", err, sizeof err);
    expect_expand_error(&s, "--gen1: no selected collector has a knob 'gen1'");

    s = blank();
    gct_sweep_spec_set_knob(&s, "gen0", "100,-5", "--gen0", err, sizeof err);
    expect_expand_error(&s, "--gen0: gen0=-5 is out of range");

    s = blank();
    snprintf(s.workloads, sizeof s.workloads, "trees");
    gct_sweep_spec_set_param(&s, "depth", "8,99", "-p depth", err, sizeof err);
    expect_expand_error(&s, "-p depth");
    expect_expand_error(&s, "99");

    s = blank();
    snprintf(s.workloads, sizeof s.workloads, "dlist");
    gct_sweep_spec_set_param(&s, "depth", "8", "-p depth", err, sizeof err);
    expect_expand_error(&s, "no selected workload has a parameter 'depth'");

    s = blank();
    snprintf(s.workloads, sizeof s.workloads, "trees");
    gct_sweep_spec_set_param(&s, "parent", "strong,sideways", "-p parent", err, sizeof err);
    expect_expand_error(&s, "sideways");
}

static char path[64];

static void write_ini(const char *text)
{
    strcpy(path, "/tmp/gct-sweep-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    GCT_ASSERT_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

Test(sweep, sweep_files_say_the_same_things)
{
    write_ini("; a sweep\n[sweep]\ncollectors = gencycle\nworkloads = dlist, cache\nops = 5k\n"
              "reps = 3\nseed = 42\n\n[knobs]\ngen0 = 100..10000x10\ngen1 = 10\n\n"
              "[params]\ndlist.lists = 4\n\n[ops]\ncache = 777\n");
    gct_sweep_spec s = blank();
    char err[512];
    GCT_ASSERT_EQ(gct_sweep_spec_read_file(&s, path, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(s.ops, 5000);
    GCT_ASSERT_EQ(s.reps, 3);
    GCT_ASSERT_EQ(s.seed, 42);
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(n, 6); /* 2 workloads x gen0 100, 1000, 10000 */
    for (size_t i = 0; i < n; i++)
        GCT_ASSERT_EQ(c[i].ops, strcmp(c[i].workload->name, "cache") ? 5000 : 777);
    free(c);
    unlink(path);
}

Test(sweep, sweep_file_errors_name_the_file_and_line)
{
    gct_sweep_spec s = blank();
    char err[512];
    write_ini("[sweep]\nops = 100\ncolectors = gencycle\n");
    GCT_ASSERT_EQ(gct_sweep_spec_read_file(&s, path, err, sizeof err), -1);
    cr_assert(strstr(err, path) && strstr(err, ":3:") && strstr(err, "unknown key 'colectors'"),
              "%s", err);
    unlink(path);

    write_ini("[sweep]\n[nobs]\ngen0 = 5\n");
    GCT_ASSERT_EQ(gct_sweep_spec_read_file(&s, path, err, sizeof err), -1);
    cr_assert(strstr(err, ":3:") && strstr(err, "unknown section [nobs]"), "%s", err);
    unlink(path);

    write_ini("[sweep]\nreps = many\n");
    GCT_ASSERT_EQ(gct_sweep_spec_read_file(&s, path, err, sizeof err), -1);
    cr_assert(strstr(err, ":2:") && strstr(err, "'many'"), "%s", err);
    unlink(path);

    write_ini("[sweep]\nthis is not ini\n");
    GCT_ASSERT_EQ(gct_sweep_spec_read_file(&s, path, err, sizeof err), -1);
    cr_assert(strstr(err, ":2:"), "%s", err);
    unlink(path);

    GCT_ASSERT_EQ(gct_sweep_spec_read_file(&s, "/nonexistent/sweep.ini", err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent/sweep.ini: cannot open"), "%s", err);
}

Test(sweep, presets_exist_and_unknown_ones_are_refused)
{
    gct_sweep_spec s = blank();
    char err[256];
    GCT_ASSERT_EQ(gct_sweep_spec_apply_preset(&s, "quick", err, sizeof err), 0);
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_GT(n, 10);
    for (size_t i = 0; i < n; i++)
        cr_assert(strcmp(c[i].collector->name, "cpython"), "presets run the model collectors");
    for (size_t i = 0; i < n; i++)
        cr_assert(!strcmp(c[i].workload->name, "trees") || !strcmp(c[i].workload->name, "dlist") ||
                  !strcmp(c[i].workload->name, "cache"));
    free(c);
    GCT_ASSERT_EQ(gct_sweep_spec_apply_preset(&s, "default", err, sizeof err), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_apply_preset(&s, "full", err, sizeof err), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_apply_preset(&s, "fast", err, sizeof err), -1);
    cr_assert(strstr(err, "unknown preset 'fast'"), "%s", err);
}

Test(sweep, operations_per_workload_and_for_all)
{
    gct_sweep_spec s;
    gct_sweep_spec_init(&s); /* the default preset: its own count per workload */
    char err[512];
    snprintf(s.collectors, sizeof s.collectors, "refcount");
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(n, 5);
    GCT_ASSERT_NEQ(c[0].ops, c[2].ops, "trees and cache have different preset counts");
    free(c);
    GCT_ASSERT_EQ(gct_sweep_spec_set_ops(&s, "trees", 42), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i].workload->name, "trees"))
            GCT_ASSERT_EQ(c[i].ops, 42);
    free(c);
    /* --ops N: the same work for every workload. */
    GCT_ASSERT_EQ(gct_sweep_spec_set_ops(&s, NULL, 1234), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < n; i++)
        GCT_ASSERT_EQ(c[i].ops, 1234);
    free(c);
    GCT_ASSERT_EQ(gct_sweep_spec_set_ops(&s, "nosuch", 5), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "ops given for unknown workload 'nosuch'"), "%s", err);
}

/* ---- one grammar for the numbers of options, lists and sweep files ------ */

#include "number.h"

Test(sweep, one_number_grammar_for_options_lists_and_files)
{
    static const struct {
        const char *text;
        bool ok;
        int64_t value;
    } cases[] = {
        {"16", true, 16},      {"10k", true, 10000},   {"10K", true, 10000},
        {"2M", true, 2000000}, {"1G", true, 1000000000}, {"1.5k", true, 1500},
        {"0", true, 0},        {"-5", true, -5},       {"9223372036854775807", true, INT64_MAX},
        {"+0x10", false, 0},   {"0x10", false, 0},     {" 10", false, 0},
        {"10 ", false, 0},     {"+10", false, 0},      {"1e3", false, 0},
        {"10m", false, 0},     {"", false, 0},         {"k", false, 0},
        {"1.", false, 0},      {".5k", false, 0},      {"1.5", false, 0},
        {"inf", false, 0},     {"9223372036854775808", false, 0},
        {"10000000000G", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 0;
        bool ok = gct_number_parse(cases[i].text, strlen(cases[i].text), GCT_NUMBER_COUNT, &v);
        GCT_ASSERT_EQ(ok, cases[i].ok, "'%s' was %s", cases[i].text, ok ? "accepted" : "refused");
        if (ok)
            GCT_ASSERT_EQ(v, cases[i].value, "'%s' read as %lld", cases[i].text, (long long)v);
    }
    int64_t v;
    cr_assert(gct_number_parse("4G", 2, GCT_NUMBER_SIZE, &v) && v == INT64_C(4) << 30);

    /* A list item takes the same grammar (the blanks around an item are the
     * list's, not the number's). */
    expect_list(" 16 , 2M", (int64_t[]){16, 2000000}, 2);
    expect_list_error("+0x10", "'+0x10' is not a whole number");
    expect_list_error("0x10", "'0x10' is not a whole number");
    expect_list_error("1..0x10+1", "'1..0x10+1': the step");
    expect_list_error("1..10+0x2", "the step '0x2' is not a number");

    /* A sweep file's ops: the grammar and the bound of --ops. */
    static const struct {
        const char *ini;
        int64_t ops; /* 0: refused */
        const char *must;
    } files[] = {
        {"[sweep]\nops = 10k\n", 10000, NULL},
        {"[sweep]\nops = 2M\n", 2000000, NULL},
        {"[sweep]\nops = +0x10\n", 0, ":2: ops = '+0x10' is not a whole number"},
        {"[sweep]\nops = 0x10\n", 0, ":2: ops = '0x10' is not a whole number"},
        {"[sweep]\nops = 2000000G\n", 0, ":2: ops = '2000000G' is more than"},
        {"[sweep]\nops = 99999999999999999999\n", 0, "is not a whole number"},
        {"[ops]\ntrees = +16\n", 0, ":2: ops for trees: '+16' is not a whole number"},
        {"[sweep]\nreps = 10001\n", 0, ":2: reps = '10001' is more than 10000"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        gct_sweep_spec s = blank();
        char err[512];
        write_ini(files[i].ini);
        int rc = gct_sweep_spec_read_file(&s, path, err, sizeof err);
        unlink(path);
        if (files[i].ops) {
            GCT_ASSERT_EQ(rc, 0, "%s: %s", files[i].ini, err);
            GCT_ASSERT_EQ(s.ops, files[i].ops);
        } else {
            GCT_ASSERT_EQ(rc, -1, "%s was accepted", files[i].ini);
            cr_assert(strstr(err, files[i].must), "'%s' lacks '%s'", err, files[i].must);
        }
    }
}

/* Each workload's operations per preset come from its own table
 * (gct_workload.preset_ops); the numbers are those the presets always had. */
Test(sweep, preset_operations_come_from_each_workloads_table)
{
    static const struct {
        const char *workload;
        int64_t quick, standard, full;
    } want[] = {
        {"trees", 500, 1000, 4000},           {"dlist", 100000, 200000, 1000000},
        {"cache", 200000, 500000, 2000000},   {"requests", 5000, 20000, 100000},
        {"longlived", 5000, 20000, 100000},
    };
    static const char *const presets[] = {"quick", "default", "full"};
    char err[256];
    cr_assert(gct_workload_registry_check(err, sizeof err), "%s", err);
    for (size_t p = 0; p < 3; p++) {
        gct_sweep_spec s;
        gct_sweep_spec_init(&s);
        GCT_ASSERT_EQ(gct_sweep_spec_apply_preset(&s, presets[p], err, sizeof err), 0, "%s", err);
        for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
            int64_t ops = p == 0 ? want[w].quick : p == 1 ? want[w].standard : want[w].full;
            GCT_ASSERT_EQ(gct_sweep_spec_ops(&s, want[w].workload), ops, "%s in %s: %lld",
                          want[w].workload, presets[p],
                          (long long)gct_sweep_spec_ops(&s, want[w].workload));
        }
        /* Every registered workload has its own count (none falls back to
         * the 10,000 of a workload the preset does not know). */
        for (size_t w = 0; w < gct_workload_count(); w++)
            GCT_ASSERT_EQ(gct_sweep_spec_ops(&s, gct_workload_at(w)->name),
                          gct_workload_at(w)->preset_ops[p]);
    }
}

/* A combination a workload refuses is reported where the first parameter
 * it involves (in the workload's table) came from; a parameter left at its
 * default has no origin, so the next one is named. */
Test(sweep, a_refused_combination_names_where_its_parameters_came_from)
{
    char err[512];
    gct_sweep_spec s = blank();
    snprintf(s.workloads, sizeof s.workloads, "cache");
    gct_sweep_spec_set_param(&s, "capacity", "200000", "-p capacity", err, sizeof err);
    expect_expand_error(&s, "-p capacity: capacity=200000 is larger than keys=100000");

    gct_sweep_spec_set_param(&s, "cache.keys", "1000", "sweep.ini [params] cache.keys", err,
                             sizeof err);
    expect_expand_error(&s, "sweep.ini [params] cache.keys: capacity=200000 is larger than keys");

    /* Values are numbers from the list on: an integer parameter's list takes
     * ranges and k/M, and each value is checked where the list is read. */
    s = blank();
    snprintf(s.workloads, sizeof s.workloads, "cache");
    snprintf(s.collectors, sizeof s.collectors, "refcount");
    gct_sweep_spec_set_param(&s, "keys", "100k..1Mx10", "-p keys", err, sizeof err);
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(n, 2);
    GCT_ASSERT_EQ(c[0].params[0], 100000.0);
    GCT_ASSERT_EQ(c[1].params[0], 1000000.0);
    free(c);
    gct_sweep_spec_set_param(&s, "keys", "0x10", "-p keys", err, sizeof err);
    expect_expand_error(&s, "-p keys: '0x10' is not a whole number");
}

/* ---- a trace file as a workload (-w trace:FILE) -------------------------- */

#include <sys/stat.h>

#include "trace_workload.h"

static void write_file(const char *file, const char *text)
{
    FILE *f = fopen(file, "w");
    cr_assert(f, "%s", file);
    fputs(text, f);
    fclose(f);
}

/* A trace workload is named after its file, swept like any workload (the
 * collectors' knobs vary over it), has no parameters, and replays once per
 * repetition unless --ops or a count of its own says otherwise. */
Test(sweep, a_trace_file_is_a_workload)
{
    char dir[] = "/tmp/gct-sweep-trace-XXXXXX", tpath[128], other[128], sub[64], ini[128];
    cr_assert(mkdtemp(dir));
    snprintf(tpath, sizeof tpath, "%s/my run.trace", dir);
    write_file(tpath, "gctune-trace 1\nnew 1\ndup 0\nstore 0 0 1\npop 2\n");
    gct_sweep_spec s = blank();
    char err[800];
    snprintf(s.collectors, sizeof s.collectors, "gencycle,refcount");
    snprintf(s.workloads, sizeof s.workloads, "trees, trace:%s", tpath);
    GCT_ASSERT_EQ(gct_sweep_spec_set_knob(&s, "gen0", "100,700", "--gen0", err, sizeof err), 0);
    gct_config *c;
    size_t n;
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(n, 6); /* 2 gencycle + 1 refcount, per workload */
    size_t traces = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].workload->name, "trace-my_run"))
            continue;
        traces++;
        GCT_ASSERT_EQ(c[i].ops, 1, "%s", c[i].id);
        GCT_ASSERT_EQ(c[i].workload->nparams, 0);
        cr_assert(!strncmp(c[i].id, c[i].collector->name, strlen(c[i].collector->name)));
        cr_assert(strstr(c[i].id, ".trace-my_run"), "%s", c[i].id);
    }
    GCT_ASSERT_EQ(traces, 3);
    cr_assert(gct_trace_workload_find("trace-my_run"));
    free(c);

    /* --ops N is every workload's; a count of its own wins. */
    GCT_ASSERT_EQ(gct_sweep_spec_set_ops(&s, NULL, 7), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_set_ops(&s, "trace-my_run", 3), 0);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < n; i++)
        GCT_ASSERT_EQ(c[i].ops, strcmp(c[i].workload->name, "trees") ? 3 : 7, "%s", c[i].id);
    free(c);

    /* In a sweep file, by tpath and by name. */
    snprintf(ini, sizeof ini, "%s/s.ini", dir);
    char text[800];
    snprintf(text, sizeof text,
             "[sweep]\ncollectors = gencycle\nworkloads = trace:%s\n[ops]\ntrace-my_run = 4\n",
             tpath);
    write_file(ini, text);
    s = blank();
    GCT_ASSERT_EQ(gct_sweep_spec_read_file(&s, ini, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(n, 1);
    GCT_ASSERT_EQ(c[0].ops, 4);
    free(c);

    /* Two files of one name would be one workload: refused. */
    snprintf(sub, sizeof sub, "%s/b", dir);
    mkdir(sub, 0755);
    snprintf(other, sizeof other, "%s/my run.trace", sub);
    write_file(other, "gctune-trace 1\nnew 1\n");
    s = blank();
    snprintf(s.workloads, sizeof s.workloads, "trace:%s,trace:%s", tpath, other);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "would both be the workload trace-my_run"), "%s", err);

    /* A bad trace is refused with its line, and where it was named. */
    snprintf(other, sizeof other, "%s/bad.trace", sub);
    write_file(other, "gctune-trace 1\nnew 1\npop 2\n");
    s = blank();
    snprintf(s.workloads_origin, sizeof s.workloads_origin, "-w");
    snprintf(s.workloads, sizeof s.workloads, "trace:%s", other);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), -1);
    char want[400];
    snprintf(want, sizeof want, "-w: %s:3: pop: 2 roots", other);
    cr_assert(strstr(err, want), "'%s' lacks '%s'", err, want);
    snprintf(s.workloads, sizeof s.workloads, "trace:%s/none.trace", dir);
    GCT_ASSERT_EQ(gct_sweep_spec_expand(&s, &c, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "none.trace: cannot open"), "%s", err);
    unlink(tpath);
    unlink(other);
    snprintf(other, sizeof other, "%s/my run.trace", sub);
    unlink(other);
    unlink(ini);
    rmdir(sub);
    rmdir(dir);
}
