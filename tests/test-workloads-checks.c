/*
 * test-workloads-checks.c — the workloads' determinism and self-check.
 *
 *  6. determinism: the same seed gives the same checksum and the same
 *     collections per generation; another seed another checksum; and the
 *     same seed gives the same checksum on every collector (except where a
 *     weak reference observes the collector).
 *  7. self-check: a live object freed behind the workload's back, or a
 *     changed value, makes the check fail.
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
#include "internal/backend.h" /* white-box: gct__free */

/* ---- 6. determinism ------------------------------------------------------ */

typedef struct outcome {
    uint64_t checksum;
    gct_gen_stats stats[GCT_MAX_GEN]; /* collections, collected, examined, traversed */
    int64_t allocs, live;
} outcome;

static outcome outcome_of(const char *collector, const config *c, uint64_t seed)
{
    gct_heap *h = busy_heap(collector);
    gct_workload_run *r = run_config(h, c, seed, 0);
    gct_test_workload_check(r);
    outcome o = {.checksum = gct_workload_checksum(r), .allocs = gct_heap_total_allocs(h),
                 .live = gct_heap_live_objects(h)};
    memcpy(o.stats, gct_heap_stats(h), sizeof o.stats);
    gct_test_workload_done(r);
    return o;
}

ParameterizedTestParameters(determinism, same_seed_same_run)
{
    static unsigned idx[NCONFIGS];
    for (unsigned k = 0; k < NCONFIGS; k++)
        idx[k] = k;
    return cr_make_param_array(unsigned, idx, NCONFIGS);
}

ParameterizedTest(unsigned *k, determinism, same_seed_same_run)
{
    const config *c = &configs[*k];
    char what[200];
    describe(c, what, sizeof what);
    outcome first[3];
    for (int i = 0; i < 3; i++) {
        outcome a = outcome_of(collectors[i], c, 11), b = outcome_of(collectors[i], c, 11);
        GCT_ASSERT_EQ(a.checksum, b.checksum, "%s on %s: two runs, two checksums", what,
                      collectors[i]);
        /* The work counters too: a seed makes the collector's work exact. */
        for (int g = 0; g < GCT_MAX_GEN; g++) {
            const gct_gen_stats *x = &a.stats[g], *y = &b.stats[g];
            cr_assert(x->collections == y->collections && x->collected == y->collected &&
                          x->examined == y->examined && x->traversed == y->traversed,
                      "%s on %s: generation %d: two runs, collections/collected/examined/"
                      "traversed %lld/%lld/%lld/%lld then %lld/%lld/%lld/%lld",
                      what, collectors[i], g, (long long)x->collections,
                      (long long)x->collected, (long long)x->examined, (long long)x->traversed,
                      (long long)y->collections, (long long)y->collected,
                      (long long)y->examined, (long long)y->traversed);
            /* Work only where there were collections (refcount has none). */
            if (!x->collections)
                cr_assert(x->examined == 0 && x->traversed == 0 && x->collected == 0,
                          "%s on %s: generation %d counted work without a collection", what,
                          collectors[i], g);
        }
        GCT_ASSERT_EQ(a.allocs, b.allocs);
        GCT_ASSERT_EQ(a.live, b.live);
        outcome other = outcome_of(collectors[i], c, 12);
        GCT_ASSERT_NEQ(a.checksum, other.checksum, "%s on %s: seeds 11 and 12 agree", what,
                       collectors[i]);
        first[i] = a;
    }
    /* The same allocations and the same observations on every collector,
     * unless a weak reference lets the workload see the collector. */
    if (!c->collector_visible) {
        for (int i = 1; i < 3; i++) {
            GCT_ASSERT_EQ(first[i].checksum, first[0].checksum, "%s: %s and %s disagree", what,
                          collectors[0], collectors[i]);
            GCT_ASSERT_EQ(first[i].allocs, first[0].allocs, "%s: %s and %s allocate differently",
                          what, collectors[0], collectors[i]);
        }
    }
}

/* ---- 7. the self-check catches what it is for ----------------------------- */

/* Free a live object behind the workload's back, as a broken collector
 * would: some object a few references below the workload's first root. */
static void free_a_live_object(gct_workload_run *r)
{
    gct_obj *o = gct_root_get(r->h, r->root_base);
    for (int depth = 0; depth < 3; depth++) {
        gct_obj *next = NULL;
        for (uint32_t i = 0; i < o->shape->nslots && !next; i++)
            next = o->slots[i];
        if (!next)
            break;
        o = next;
    }
    GCT_ASSERT_NEQ(o, gct_root_get(r->h, r->root_base));
    gct__free(r->h, o);
}

ParameterizedTestParameters(selfcheck, catches_a_freed_live_object)
{
    static unsigned idx[NCONFIGS];
    for (unsigned k = 0; k < NCONFIGS; k++)
        idx[k] = k;
    return cr_make_param_array(unsigned, idx, NCONFIGS);
}

ParameterizedTest(unsigned *k, selfcheck, catches_a_freed_live_object)
{
    const config *c = &configs[*k];
    gct_heap *h = gct_test_heap_knobs("refcount", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, c->workload, c->settings, nsettings(c), 5);
    gct_workload_ops(r, 10);
    gct_test_workload_check(r);
    free_a_live_object(r);
    char err[ERRLEN] = "";
    cr_assert_not(gct_workload_check(r, err, sizeof err), "%s: check passed with a freed object",
                  c->workload);
    cr_assert(err[0]);
    /* The heap is broken on purpose: release the run without popping. */
    r->torn_down = true;
    gct_workload_free(r);
    gct_heap_destroy(h);
}

Test(selfcheck, catches_a_changed_value)
{
    const char *const s[] = {"depth=3", "long_depth=4"};
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, "trees", s, 2, 5);
    gct_workload_ops(r, 4);
    gct_test_workload_check(r);
    gct_obj *leaf = gct_load(gct_load(gct_root_get(h, r->root_base), 0), 1);
    ((uint64_t *)gct_payload(leaf))[1] ^= 1; /* as if the block had been reused */
    char err[ERRLEN] = "";
    cr_assert_not(gct_workload_check(r, err, sizeof err));
    assert_has(err, "long-lived tree");
    gct_test_workload_done(r);
}

Test(selfcheck, reports_a_failure_recorded_by_an_operation)
{
    gct_heap *h = gct_test_heap_knobs("refcount", NULL, 0);
    const char *const s[] = {"depth=2", "long_depth=2"};
    gct_workload_run *r = gct_test_workload(h, "trees", s, 2, 5);
    gct_workload_fail(r, "first %d", 1);
    gct_workload_fail(r, "second");
    char err[ERRLEN] = "";
    cr_assert_not(gct_workload_check(r, err, sizeof err));
    GCT_ASSERT_STR_EQ(err, "trees: first 1");
    gct_test_workload_done(r);
}
