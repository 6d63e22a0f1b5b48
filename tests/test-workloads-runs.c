/*
 * test-workloads-runs.c — every workload on every collector.
 *
 *  4. matrix: every small configuration x every collector, with collections
 *     forced often and the verifier run after each, completes with its
 *     self-check passing and an exact-refcount verification clean.
 *  5. leaks: what theory says.  Reference counting leaks exactly the objects
 *     the workload turned into cyclic garbage (every dropped tree with strong
 *     parents, nothing with weak or no parents, ...); gencycle and marksweep
 *     leak nothing after a full collection, and nothing at all is left after
 *     teardown.
 *  8. edges and defaults: the most extreme settings run clean everywhere;
 *     every workload sets up and runs with its default parameters.
 *
 * The busy heaps, the small configurations and running them:
 * common/workloads_common.h.
 */
#include <criterion/criterion.h>
#include "gct_test_workload.h"
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"
#include "workload.h"

#include "workloads_common.h"

/* ---- 4. matrix: every configuration on every collector ------------------- */

ParameterizedTestParameters(matrix, runs_clean)
{
    static case_param cases[3 * NCONFIGS];
    for (unsigned c = 0; c < 3; c++)
        for (unsigned k = 0; k < NCONFIGS; k++)
            cases[c * NCONFIGS + k] = (case_param){c, k};
    return cr_make_param_array(case_param, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(case_param *p, matrix, runs_clean)
{
    const config *c = &configs[p->config];
    const char *collector = collectors[p->collector];
    char what[200];
    describe(c, what, sizeof what);
    gct_heap *h = busy_heap(collector);
    gct_heap_set_verify_each(h, true); /* aborts on a verifier failure */
    size_t base = gct_root_depth(h);
    gct_workload_run *r = run_config(h, c, 99, c->ops / 4);
    gct_test_workload_check(r);
    GCT_ASSERT_EQ(r->ops, c->ops);
    GCT_ASSERT_GT(gct_root_depth(h), base, "%s: no root held", what);
    bool collects = strcmp(collector, "refcount") != 0;
    if (collects)
        GCT_ASSERT_GT(gct_heap_stats(h)[0].collections, 0, "%s on %s: no collection ran", what, collector);

    /* Leaks before teardown, with the workload's roots still held. */
    if (!collects) {
        GCT_ASSERT_EQ(leaks(h), r->cyclic_garbage,
                      "%s on refcount: %lld objects leak, the workload made %lld cyclic garbage",
                      what, (long long)leaks(h), (long long)r->cyclic_garbage);
    } else {
        GCT_ASSERT_GEQ(gct_heap_collect(h, GCT_GEN_FULL), 0);
        GCT_ASSERT_EQ(leaks(h), 0, "%s on %s: %lld objects leak after a full collection", what,
                      collector, (long long)leaks(h));
        gct_test_workload_check(r); /* a full collection frees nothing live */
    }
    verify(h, "before teardown");

    gct_workload_teardown(r);
    GCT_ASSERT_EQ(gct_root_depth(h), base, "%s: teardown left roots", what);
    char err[ERRLEN];
    cr_assert_not(gct_workload_check(r, err, sizeof err), "check after teardown passed");
    gct_workload_teardown(r); /* idempotent */
    gct_heap_collect(h, GCT_GEN_FULL);
    verify(h, "after teardown");
    if (collects)
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%s on %s: %lld objects left after teardown", what,
                      collector, (long long)gct_heap_live_objects(h));
    else
        GCT_ASSERT_EQ(leaks(h), gct_heap_live_objects(h), "%s on refcount: something is still reachable",
                      what);
    gct_workload_free(r);
    gct_heap_destroy(h);
}

/* ---- 5. leaks as theory says (refcount) ----------------------------------- */

static gct_workload_run *refcount_run(const char *wl, const char *const *s, size_t n, int64_t ops)
{
    gct_heap *h = gct_test_heap_knobs("refcount", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, wl, s, n, 3);
    gct_workload_ops(r, ops);
    gct_test_workload_check(r);
    return r;
}

Test(leaks, trees_strong_parents_leak_every_dropped_tree)
{
    const char *const s[] = {"depth=4", "long_depth=5", "parent=strong"};
    gct_workload_run *r = refcount_run("trees", s, 3, 20);
    GCT_ASSERT_EQ(leaks(r->h), 20 * 31, "%lld leaked, expected 20 trees of 31 nodes",
                  (long long)leaks(r->h));
    gct_test_workload_done(r);
}

Test(leaks, trees_weak_or_no_parents_leak_nothing)
{
    static const char *const modes[] = {"parent=weak", "parent=none"};
    for (int i = 0; i < 2; i++) {
        const char *const s[] = {"depth=4", "long_depth=5", modes[i]};
        gct_workload_run *r = refcount_run("trees", s, 3, 20);
        GCT_ASSERT_EQ(leaks(r->h), 0, "%s: %lld leaked", modes[i], (long long)leaks(r->h));
        /* Teardown frees everything: no cycle anywhere. */
        gct_heap *h = r->h;
        gct_workload_teardown(r);
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%s: %lld objects left", modes[i],
                      (long long)gct_heap_live_objects(h));
        gct_test_workload_done(r);
    }
}

Test(leaks, dlist_strong_backlinks_leak_the_dropped_rings)
{
    const char *const s[] = {"lists=4", "length=30", "drop_every=10", "backlinks=strong"};
    gct_workload_run *r = refcount_run("dlist", s, 4, 100);
    GCT_ASSERT_EQ(metric(r, "rings_dropped"), 10);
    /* Each dropped ring leaks its nodes and its head: about 10 x 31. */
    GCT_ASSERT_EQ(leaks(r->h), r->cyclic_garbage);
    cr_assert(r->cyclic_garbage > 10 * 20 && r->cyclic_garbage < 10 * 45, "%lld",
              (long long)r->cyclic_garbage);
    gct_test_workload_done(r);
}

Test(leaks, dlist_weak_backlinks_leak_nothing)
{
    const char *const s[] = {"lists=4", "length=30", "drop_every=10", "backlinks=weak"};
    gct_workload_run *r = refcount_run("dlist", s, 4, 100);
    GCT_ASSERT_EQ(metric(r, "rings_dropped"), 10);
    GCT_ASSERT_EQ(leaks(r->h), 0);
    gct_heap *h = r->h;
    gct_workload_teardown(r);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%lld objects left", (long long)gct_heap_live_objects(h));
    gct_test_workload_done(r);
}

Test(leaks, cache_strong_values_leak_each_evicted_entry)
{
    const char *const s[] = {"keys=300", "capacity=30", "value_objects=3"};
    gct_workload_run *r = refcount_run("cache", s, 3, 300);
    double evictions = metric(r, "evictions");
    GCT_ASSERT_GT(evictions, 0);
    GCT_ASSERT_EQ(leaks(r->h), (int64_t)evictions * 4);
    gct_test_workload_done(r);
}

Test(leaks, cache_weak_values_leak_nothing)
{
    const char *const s[] = {"keys=300", "capacity=30", "value_objects=3", "values=weak",
                             "hold=10"};
    gct_workload_run *r = refcount_run("cache", s, 5, 300);
    GCT_ASSERT_GT(metric(r, "evictions"), 0);
    GCT_ASSERT_GT(metric(r, "dead"), 0, "no weak value ever died");
    GCT_ASSERT_EQ(leaks(r->h), 0);
    gct_test_workload_done(r);
}

Test(leaks, requests_leak_each_cyclic_request)
{
    const char *const s[] = {"old_objects=400", "request_objects=50", "cyclic=0.25"};
    gct_workload_run *r = refcount_run("requests", s, 3, 100);
    double cyclic = metric(r, "cyclic_requests");
    cr_assert(cyclic > 10 && cyclic < 45, "%g cyclic requests of 100", cyclic);
    GCT_ASSERT_EQ(leaks(r->h), (int64_t)cyclic * 51);
    gct_test_workload_done(r);
}

Test(leaks, longlived_leaks_nothing)
{
    const char *const s[] = {"live_objects=4000", "initial=1000", "grow=10", "young=10",
                             "survive=0.1"};
    gct_workload_run *r = refcount_run("longlived", s, 5, 200);
    GCT_ASSERT_GT(metric(r, "survivors"), 0);
    GCT_ASSERT_EQ(leaks(r->h), 0);
    gct_heap *h = r->h;
    gct_workload_teardown(r);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    gct_test_workload_done(r);
}

/* ---- edge values ------------------------------------------------------- */

/* The smallest and most extreme settings run and check clean everywhere. */
Test(edges, extreme_settings_run_clean)
{
    static const config edges[] = {
        {"trees", {"depth=0", "long_depth=0"}, 20, false},
        {"trees", {"depth=1", "long_depth=0", "parent=weak"}, 20, false},
        {"dlist", {"lists=1", "length=1", "drop_every=1"}, 200, false},
        {"dlist", {"lists=1", "length=1", "drop_every=1", "backlinks=weak"}, 200, false},
        {"dlist", {"lists=3", "length=2", "drop_every=0", "backlinks=weak"}, 200, false},
        {"cache", {"keys=1", "capacity=1", "value_objects=1"}, 100, false},
        {"cache", {"keys=2", "capacity=1", "values=weak", "hold=1", "zipf=0"}, 200, true},
        {"cache", {"keys=5", "capacity=5", "zipf=10"}, 100, false},
        {"requests", {"old_objects=0", "request_objects=1", "writes=0", "cyclic=1"}, 100, false},
        {"requests", {"old_objects=4", "request_objects=2", "writes=5", "cyclic=1"}, 100, false},
        {"longlived", {"live_objects=0", "initial=0", "young=0"}, 50, false},
        {"longlived", {"live_objects=1", "initial=1", "young=3", "survive=1"}, 50, false},
        {"longlived", {"live_objects=10", "initial=0", "grow=3", "young=3", "survive=1"}, 50,
         false},
    };
    for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
        for (int c = 0; c < 3; c++) {
            gct_heap *h = busy_heap(collectors[c]);
            gct_heap_set_verify_each(h, true);
            gct_workload_run *r = run_config(h, &edges[e], 3, 10);
            gct_test_workload_check(r);
            gct_workload_teardown(r);
            gct_heap_collect(h, GCT_GEN_FULL);
            verify(h, "after teardown");
            if (c > 0)
                GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%s on %s: %lld objects left", edges[e].workload,
                              collectors[c], (long long)gct_heap_live_objects(h));
            gct_test_workload_done(r);
        }
    }
}

/* ---- 8. defaults ---------------------------------------------------------- */

ParameterizedTestParameters(defaults, set_up_and_run)
{
    static unsigned idx[5] = {0, 1, 2, 3, 4};
    return cr_make_param_array(unsigned, idx, 5);
}

ParameterizedTest(unsigned *k, defaults, set_up_and_run)
{
    const gct_workload *w = gct_workload_at(*k);
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, w->name, NULL, 0, 1);
    gct_workload_ops(r, 20);
    gct_test_workload_check(r);
    GCT_ASSERT_EQ(gct_root_depth(h), r->root_base + 1, "%s holds %zu roots between operations",
                  w->name, gct_root_depth(h) - r->root_base);
    gct_workload_teardown(r);
    gct_heap_collect(h, GCT_GEN_FULL);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%s: %lld objects left", w->name, (long long)gct_heap_live_objects(h));
    gct_test_workload_done(r);
}

/* A weak-valued cache on a tracing collector sees values that reference
 * counting has already freed, so it hits more often: the one place where the
 * collector shows through, on purpose. */
Test(defaults, weak_cache_hit_ratio_depends_on_the_collector)
{
    const char *const s[] = {"keys=2000", "capacity=200", "values=weak", "hold=20"};
    double ratio[2];
    for (int i = 0; i < 2; i++) {
        gct_heap *h = gct_test_heap_knobs(i ? "marksweep" : "refcount", NULL, 0);
        gct_workload_run *r = gct_test_workload(h, "cache", s, 4, 9);
        gct_workload_ops(r, 2000);
        gct_test_workload_check(r);
        ratio[i] = metric(r, "hit_ratio");
        GCT_ASSERT_GEQ(ratio[i], 0);
        GCT_ASSERT_LEQ(ratio[i], 1);
        gct_test_workload_done(r);
    }
    GCT_ASSERT_GT(ratio[1], ratio[0], "marksweep %g, refcount %g", ratio[1], ratio[0]);
}
