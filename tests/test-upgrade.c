/* test-upgrade.c — what an upgrade does, on records made by hand: the
 * CPython version of each collector (meta.json, or a lookup), ordering
 * versions, resolving --from and --to (and refusing what names nothing, by
 * its value), pairing each version's defaults per workload, the A/A twin
 * as a version against itself, and the sentence (results/upgrade.h,
 * results/versions.h). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "summary.h"
#include "upgrade.h"
#include "versions.h"

/* ---- records by hand ------------------------------------------------------ */

typedef struct proc {
    const char *id, *collector, *workload, *params, *aa_of;
    int64_t gen0;
    bool defaults;
    double ops, p99, peak, examined; /* the process's values */
} proc;

static void add(gct_results *rows, const proc *p, int round)
{
    gct_result r;
    gct_result_init(&r);
    gct_result_set_str(&r, gct_result_field("config_id"), p->id);
    gct_result_set_str(&r, gct_result_field("collector"), p->collector);
    gct_result_set_str(&r, gct_result_field("workload"), p->workload);
    gct_result_set_str(&r, gct_result_field("params"), p->params ? p->params : "depth=10");
    gct_result_set_str(&r, gct_result_field("aa_of"), p->aa_of ? p->aa_of : "");
    r.status = GCT_STATUS_OK;
    r.gen0 = p->gen0;
    r.gen1 = r.gen2 = p->gen0 < 0 ? -1 : 10;
    r.defaults = p->defaults;
    r.ops = 1000;
    r.seed = 1;
    r.rep = r.round = round;
    /* A small spread, different in every process. */
    double jitter = 1 + 0.001 * ((round * 7) % 5);
    r.ops_per_s = p->ops * jitter;
    r.wall_s = 1000 / r.ops_per_s;
    r.pause_p99_us = p->p99 * jitter;
    r.pause_max_us = 2 * p->p99 * jitter;
    r.peak_bytes = (int64_t)p->peak; /* the same in every process: deterministic */
    r.gc_examined = (int64_t)p->examined;
    r.gc_traversed = 3 * r.gc_examined;
    gct_results_push(rows, &r);
}

static void add_config(gct_results *rows, const proc *p, int processes)
{
    for (int i = 0; i < processes; i++)
        add(rows, p, i);
}

/* A sweep of gencycle312 and gencycle313 at their defaults and one other
 * setting each, and marksweep, on trees and dlist; the A/A twin of 3.12's
 * defaults on trees.  3.13 pauses 60% less on trees and uses 35% more
 * memory; on dlist it changes nothing but the work. */
static void sweep(gct_results *rows)
{
    static const proc ps[] = {
        {"g12.trees.700", "gencycle312", "trees", NULL, NULL, 700, true, 1000, 500, 1e6, 5000},
        {"aa.g12.trees.700", "gencycle312", "trees", NULL, "g12.trees.700", 700, true, 1001, 501,
         1e6, 5000},
        {"g12.trees.5000", "gencycle312", "trees", NULL, NULL, 5000, false, 1100, 900, 2e6, 900},
        {"g13.trees.2000", "gencycle313", "trees", NULL, NULL, 2000, true, 1002, 200, 1.35e6, 2500},
        {"g13.trees.700", "gencycle313", "trees", NULL, NULL, 700, false, 990, 480, 1e6, 5000},
        {"ms.trees", "marksweep", "trees", NULL, NULL, 10000, true, 2000, 300, 3e6, 9000},
        {"g12.dlist.700", "gencycle312", "dlist", NULL, NULL, 700, true, 5000, 50, 2e5, 300},
        {"g13.dlist.2000", "gencycle313", "dlist", NULL, NULL, 2000, true, 5001, 50, 2e5, 100},
    };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        add_config(rows, &ps[i], 8);
}

static const char *lookup(const char *collector)
{
    if (!strcmp(collector, "gencycle312"))
        return "3.12";
    if (!strcmp(collector, "gencycle313"))
        return "3.13";
    if (!strcmp(collector, "gencycle"))
        return "3.11";
    return NULL;
}

/* A directory holding nothing but meta.json (or nothing at all). */
static char *tmpdir_with_meta(const char *meta)
{
    char *dir = strdup("/tmp/gct-upgrade-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    if (meta) {
        char p[128];
        snprintf(p, sizeof p, "%s/meta.json", dir);
        FILE *f = fopen(p, "w");
        fputs(meta, f);
        fclose(f);
    }
    return dir;
}

static void rm_dir(char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    GCT_ASSERT_EQ(system(cmd), 0);
    free(dir);
}

/* One sweep as a side, its versions from the lookup. */
typedef struct fixture {
    gct_results rows;
    gct_summary sum;
    gct_versions ver;
    gct_upgrade_side side;
} fixture;

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    sweep(&f->rows);
    gct_summarize(&f->rows, &f->sum);
    char *dir = tmpdir_with_meta(NULL);
    char err[600];
    GCT_ASSERT_EQ(gct_versions_load(dir, &f->sum, lookup, &f->ver, err, sizeof err), 0, "%s", err);
    rm_dir(dir);
    f->side = (gct_upgrade_side){.name = "A", .dir = "out/x", .rows = &f->rows, .sum = &f->sum,
                                 .ver = &f->ver};
}

static void fixture_free(fixture *f)
{
    gct_versions_free(&f->ver);
    gct_summary_free(&f->sum);
    gct_results_free(&f->rows);
}

static const gct_cmp_row *row(const gct_upgrade *u, size_t step, const char *field)
{
    for (size_t m = 0; m < u->cmp.nmetrics; m++) {
        const gct_cmp_row *r = &u->cmp.rows[u->steps[step].pair * u->cmp.nmetrics + m];
        if (!strcmp(r->metric->field, field))
            return r;
    }
    cr_assert_fail("no row of %s", field);
    return NULL;
}

static size_t step_of(const gct_upgrade *u, const char *workload)
{
    for (size_t s = 0; s < u->nsteps; s++)
        if (!strcmp(u->steps[s].key.workload, workload))
            return s;
    cr_assert_fail("no step of %s", workload);
    return 0;
}

/* ---- versions -------------------------------------------------------------- */

Test(versions, ordered_as_numbers_component_by_component)
{
    cr_assert(gct_version_cmp("3.9", "3.13") < 0);
    cr_assert(gct_version_cmp("3.13", "3.13.1") < 0);
    cr_assert(gct_version_cmp("3.14.2", "3.14.10") < 0);
    cr_assert(gct_version_cmp("3.14.5", "3.15") < 0);
    cr_assert(gct_version_cmp("3.13", "3.13t") < 0, "the free-threaded build after the default");
    GCT_ASSERT_EQ(gct_version_cmp("3.12", "3.12"), 0);
    cr_assert(gct_version_cmp("3.13", "3.12") > 0);
    cr_assert(gct_version_matches("3.14.2", "3.14"));
    cr_assert(gct_version_matches("3.14", "3.14"));
    cr_assert_not(gct_version_matches("3.141", "3.14"));
    cr_assert_not(gct_version_matches("3.14", ""));
}

Test(versions, from_meta_json_else_from_the_lookup)
{
    gct_results rows = {0};
    static const proc ps[] = {
        {"a", "gencycle313", "trees", NULL, NULL, 2000, true, 1, 1, 1, 1},
        {"b", "gencycle", "trees", NULL, NULL, 700, true, 1, 1, 1, 1},
        {"c", "marksweep", "trees", NULL, NULL, 10000, true, 1, 1, 1, 1},
    };
    for (size_t i = 0; i < 3; i++)
        add_config(&rows, &ps[i], 1);
    gct_summary s;
    gct_summarize(&rows, &s);
    /* meta.json says 3.13 for gencycle313 (whatever the reader's registry
     * says) and names marksweep as no CPython; gencycle it does not name. */
    char *dir = tmpdir_with_meta("{\"collectors\": {\"gencycle313\": {\"cpython\": \"3.13.0\"}, "
                                 "\"marksweep\": {\"cpython\": null}}}");
    gct_versions v;
    char err[600];
    GCT_ASSERT_EQ(gct_versions_load(dir, &s, lookup, &v, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_STR_EQ(gct_versions_of(&v, "gencycle313"), "3.13.0");
    cr_assert_null(gct_versions_of(&v, "marksweep"));
    GCT_ASSERT_STR_EQ(gct_versions_of(&v, "gencycle"), "3.11", "from the lookup");
    GCT_ASSERT_STR_EQ(v.v[0].collector, "gencycle313", "meta.json's order first");
    gct_versions_free(&v);
    /* Without a lookup, what meta.json does not name has no version. */
    GCT_ASSERT_EQ(gct_versions_load(dir, &s, NULL, &v, err, sizeof err), 0, "%s", err);
    cr_assert_null(gct_versions_of(&v, "gencycle"));
    gct_versions_free(&v);
    rm_dir(dir);
    /* A malformed one is refused with its name. */
    dir = tmpdir_with_meta("{\"collectors\": {\"gencycle313\": {\"cpython\": 3.13}}}");
    GCT_ASSERT_EQ(gct_versions_load(dir, &s, lookup, &v, err, sizeof err), -1);
    cr_assert(strstr(err, "meta.json") && strstr(err, "collectors.gencycle313.cpython"), "%s",
              err);
    rm_dir(dir);
    dir = tmpdir_with_meta("{\"collectors\": ");
    GCT_ASSERT_EQ(gct_versions_load(dir, &s, lookup, &v, err, sizeof err), -1);
    cr_assert(strstr(err, "meta.json:"), "%s", err);
    rm_dir(dir);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

/* ---- resolving and pairing ---------------------------------------------------- */

Test(upgrade, each_version_at_its_defaults_per_workload)
{
    fixture f;
    fixture_init(&f);
    gct_upgrade u;
    char err[1200];
    gct_upgrade_opts o = {.same_sweep = true};
    GCT_ASSERT_EQ(gct_upgrade_run(&f.side, "3.12", &f.side, "gencycle313", &o, &u, err, sizeof err),
                  0, "%s", err);
    GCT_ASSERT_STR_EQ(u.from.collector, "gencycle312");
    GCT_ASSERT_STR_EQ(u.to.version, "3.13");
    cr_assert_not(u.aa);
    GCT_ASSERT_EQ(u.nsteps, 2);
    size_t t = step_of(&u, "trees");
    GCT_ASSERT_STR_EQ(u.steps[t].from_id, "g12.trees.700");
    GCT_ASSERT_STR_EQ(u.steps[t].to_id, "g13.trees.2000");
    /* The metrics of an upgrade, in order. */
    static const char *const fields[] = {"ops_per_s",          "pause_p99_us",
                                         "pause_max_us",       "peak_bytes",
                                         "garbage_max_objects", "garbage_max_bytes",
                                         "garbage_mean_bytes", "gc_examined",
                                         "gc_traversed"};
    GCT_ASSERT_EQ(u.cmp.nmetrics, sizeof fields / sizeof fields[0]);
    for (size_t m = 0; m < u.cmp.nmetrics; m++)
        GCT_ASSERT_STR_EQ(u.cmp.metrics[m].field, fields[m]);
    /* p99 0.4x, beyond a floor the twin set at 0.2%: called, with its interval. */
    const gct_cmp_row *p99 = row(&u, t, "pause_p99_us");
    GCT_ASSERT_STR_EQ(p99->verdict, "better");
    GCT_ASSERT_DBL_NEAR(p99->ratio, 0.4, 0.01);
    cr_assert(strstr(row(&u, t, "ops_per_s")->verdict, "no detectable difference"), "%s",
              row(&u, t, "ops_per_s")->verdict);
    char s[2048];
    gct_upgrade_sentence(&u, t, s, sizeof s);
    cr_assert(strstr(s, "moving from 3.12 to 3.13: "), "%s", s);
    cr_assert(strstr(s, "p99 pause -60% ["), "%s", s);
    cr_assert(strstr(s, "peak memory +35%"), "deterministic, exact: %s", s);
    cr_assert(strstr(s, "no significant change in throughput"), "%s", s);
    cr_assert(strstr(s, "GC work: objects examined -50%"), "%s", s);
    /* dlist: nothing moved but the work. */
    gct_upgrade_sentence(&u, step_of(&u, "dlist"), s, sizeof s);
    cr_assert(strstr(s, "no significant change in throughput, p99 pause, max pause or peak "
                        "memory"),
              "%s", s);
    gct_upgrade_free(&u);
    fixture_free(&f);
}

Test(upgrade, thresholds_named_instead_of_the_defaults)
{
    fixture f;
    fixture_init(&f);
    gct_upgrade u;
    char err[1200];
    gct_upgrade_opts o = {.same_sweep = true};
    GCT_ASSERT_EQ(gct_upgrade_run(&f.side, "gencycle312:5000/10/10", &f.side, "3.13:700/10/10", &o,
                                  &u, err, sizeof err),
                  0, "%s", err);
    /* dlist ran neither setting: left out, said why. */
    GCT_ASSERT_EQ(u.nsteps, 1);
    GCT_ASSERT_STR_EQ(u.steps[0].from_id, "g12.trees.5000");
    GCT_ASSERT_STR_EQ(u.steps[0].to_id, "g13.trees.700");
    char s[2048];
    gct_upgrade_sentence(&u, 0, s, sizeof s);
    cr_assert(strstr(s, "moving from 3.12 at 5000/10/10 to 3.13 at 700/10/10"), "%s", s);
    gct_upgrade_free(&u);
    fixture_free(&f);
}

Test(upgrade, a_version_against_itself_is_its_aa_twin)
{
    fixture f;
    fixture_init(&f);
    gct_upgrade u;
    char err[1200];
    gct_upgrade_opts o = {.same_sweep = true};
    GCT_ASSERT_EQ(gct_upgrade_run(&f.side, "3.12", &f.side, "3.12", &o, &u, err, sizeof err), 0,
                  "%s", err);
    cr_assert(u.aa);
    /* trees has the twin; dlist has none, and says so. */
    GCT_ASSERT_EQ(u.nsteps, 1);
    GCT_ASSERT_STR_EQ(u.steps[0].to_id, "aa.g12.trees.700");
    GCT_ASSERT_EQ(u.nnotes, 1);
    cr_assert(strstr(u.notes[0], "no A/A twin"), "%s", u.notes[0]);
    char s[2048];
    gct_upgrade_sentence(&u, 0, s, sizeof s);
    cr_assert(strstr(s, "no significant change in throughput, p99 pause, max pause or peak "
                        "memory; the same GC work"),
              "%s", s);
    gct_upgrade_free(&u);
    /* 3.13 has no twin at all: refused, saying why. */
    GCT_ASSERT_EQ(gct_upgrade_run(&f.side, "3.13", &f.side, "3.13", &o, &u, err, sizeof err), -1);
    cr_assert(strstr(err, "A/A twin"), "%s", err);
    fixture_free(&f);
}

Test(upgrade, what_names_nothing_is_refused_by_its_value)
{
    fixture f;
    fixture_init(&f);
    gct_upgrade u;
    char err[1200];
    gct_upgrade_opts o = {.same_sweep = true};
    static const struct {
        const char *from, *to, *want1, *want2;
    } bad[] = {
        {"3.99", "3.13", "--from '3.99'", "gencycle312 (3.12), gencycle313 (3.13)"},
        {"3.12", "gencycle399", "--to 'gencycle399'", "no collector or CPython version"},
        {"marksweep", "3.13", "--from 'marksweep'", "models no CPython version"},
        {"gencycle312:9999/10/10", "3.13", "--from 'gencycle312:9999/10/10'", "it ran"},
        {"gencycle312:fast", "3.13", "--from 'gencycle312:fast'", "not thresholds"},
        {NULL, "3.13", "several CPython models", "--from"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        GCT_ASSERT_EQ(gct_upgrade_run(&f.side, bad[i].from, &f.side, bad[i].to, &o, &u, err,
                                      sizeof err),
                      -1, "%s -> %s", bad[i].from, bad[i].to);
        cr_assert(strstr(err, bad[i].want1) && strstr(err, bad[i].want2), "%s", err);
    }
    /* A side with no CPython model at all says what it holds. */
    f.side.filter = "ms.*";
    GCT_ASSERT_EQ(gct_upgrade_run(&f.side, "3.12", &f.side, "3.13", &o, &u, err, sizeof err), -1);
    cr_assert(strstr(err, "--from '3.12'") && strstr(err, "holds no CPython model") &&
                  strstr(err, "marksweep"),
              "%s", err);
    fixture_free(&f);
}

Test(upgrade, detected_only_between_one_version_and_another)
{
    fixture f;
    fixture_init(&f);
    gct_upgrade_side a = f.side, b = f.side;
    cr_assert_not(gct_upgrade_detect(&a, &b), "two versions on each side: say which");
    a.filter = "g12.*";
    b.filter = "g13.*";
    cr_assert(gct_upgrade_detect(&a, &b));
    b.filter = "g12.*";
    cr_assert_not(gct_upgrade_detect(&a, &b), "the same version");
    b.filter = "ms.*";
    cr_assert_not(gct_upgrade_detect(&a, &b), "marksweep is no CPython");
    /* The selection decides: the pattern's side alone resolves without --from. */
    gct_upgrade u;
    char err[1200];
    gct_upgrade_opts o = {.same_sweep = true};
    b.filter = "g13.*";
    GCT_ASSERT_EQ(gct_upgrade_run(&a, NULL, &b, NULL, &o, &u, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_STR_EQ(u.from.version, "3.12");
    GCT_ASSERT_STR_EQ(u.to.version, "3.13");
    gct_upgrade_free(&u);
    fixture_free(&f);
}

Test(upgrade, versions_oldest_first_one_collector_each)
{
    gct_results rows = {0};
    static const proc ps[] = {
        {"c", "gencycle313", "trees", NULL, NULL, 2000, true, 1, 1, 1, 1},
        {"a", "gencycle", "trees", NULL, NULL, 700, true, 1, 1, 1, 1},
        {"b", "cpython", "trees", NULL, NULL, 700, true, 1, 1, 1, 1},
        {"d", "gencycle312", "trees", "depth=10;parent=weak", NULL, 700, true, 1, 1, 1, 1},
    };
    for (size_t i = 0; i < 4; i++)
        add_config(&rows, &ps[i], 2);
    gct_summary s;
    gct_summarize(&rows, &s);
    char *dir = tmpdir_with_meta("{\"collectors\": {\"gencycle\": {\"cpython\": \"3.11\"}, "
                                 "\"gencycle312\": {\"cpython\": \"3.12\"}, "
                                 "\"gencycle313\": {\"cpython\": \"3.13\"}, "
                                 "\"cpython\": {\"cpython\": \"3.11\"}}}");
    gct_versions v;
    char err[600];
    GCT_ASSERT_EQ(gct_versions_load(dir, &s, NULL, &v, err, sizeof err), 0, "%s", err);
    gct_upgrade_side side = {.name = "the sweep", .dir = dir, .rows = &rows, .sum = &s, .ver = &v};
    gct_upgrade_end e[8];
    char left[256];
    GCT_ASSERT_EQ(gct_upgrade_versions(&side, e, 8, left, sizeof left), 3);
    GCT_ASSERT_STR_EQ(e[0].version, "3.11");
    GCT_ASSERT_STR_EQ(e[0].collector, "gencycle", "meta.json's order: the model first");
    GCT_ASSERT_STR_EQ(e[1].version, "3.12");
    GCT_ASSERT_STR_EQ(e[2].version, "3.13");
    GCT_ASSERT_STR_EQ(left, "cpython (also 3.11)");
    /* Two parameter settings of one workload are two keys, told apart by
     * what differs. */
    gct_upgrade_key k[8];
    GCT_ASSERT_EQ(gct_upgrade_keys(&s, k, 8), 2);
    GCT_ASSERT_STR_EQ(k[0].label, "trees (depth=10)", "nothing of its own: all of it");
    GCT_ASSERT_STR_EQ(k[1].label, "trees (parent=weak)");
    gct_versions_free(&v);
    rm_dir(dir);
    gct_summary_free(&s);
    gct_results_free(&rows);
}

Test(upgrade, a_version_names_itself_before_the_versions_it_prefixes)
{
    gct_results rows = {0};
    static const proc ps[] = {
        {"a", "gencycle314", "trees", NULL, NULL, 2000, true, 1000, 100, 1e6, 10},
        {"b", "gencycle315", "trees", NULL, NULL, 2000, true, 1000, 100, 1e6, 10},
        {"c", "real3142", "trees", NULL, NULL, 2000, true, 1000, 100, 1e6, 10},
    };
    for (size_t i = 0; i < 3; i++)
        add_config(&rows, &ps[i], 2);
    gct_summary s;
    gct_summarize(&rows, &s);
    char *dir = tmpdir_with_meta("{\"collectors\": {\"gencycle314\": {\"cpython\": \"3.14\"}, "
                                 "\"gencycle315\": {\"cpython\": \"3.14.5\"}, "
                                 "\"real3142\": {\"cpython\": \"3.14.2\"}}}");
    gct_versions v;
    char err[1200];
    GCT_ASSERT_EQ(gct_versions_load(dir, &s, NULL, &v, err, sizeof err), 0, "%s", err);
    gct_upgrade_side side = {.name = "A", .dir = dir, .rows = &rows, .sum = &s, .ver = &v};
    gct_upgrade u;
    gct_upgrade_opts o = {.same_sweep = true};
    GCT_ASSERT_EQ(gct_upgrade_run(&side, "3.14", &side, "3.14.5", &o, &u, err, sizeof err), 0,
                  "%s", err);
    GCT_ASSERT_STR_EQ(u.from.collector, "gencycle314");
    GCT_ASSERT_STR_EQ(u.to.collector, "gencycle315");
    gct_upgrade_free(&u);
    /* Oldest first: 3.14 < 3.14.2 < 3.14.5. */
    gct_upgrade_end e[4];
    GCT_ASSERT_EQ(gct_upgrade_versions(&side, e, 4, NULL, 0), 3);
    GCT_ASSERT_STR_EQ(e[1].collector, "real3142");
    gct_versions_free(&v);
    rm_dir(dir);
    gct_summary_free(&s);
    gct_results_free(&rows);
}
