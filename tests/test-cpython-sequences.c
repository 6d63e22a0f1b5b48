/*
 * test-cpython-sequences.c — the cpython backend (the real CPython 3.11 collector,
 * embedded) against gencycle, collection by collection.
 *
 *  - sequences: the same programs on gencycle and on cpython give the same
 *    collections (allocation, generation, collected set, references
 *    traversed, collected), counts and statistics; random programs with weak
 *    references, atoms, explicit collections, freeze/unfreeze, knob changes
 *    and disabled stretches too.
 *  - work: the references the real collector's passes ask tp_traverse for
 *    are what gencycle counts, on a heap worked out by hand; the same seed
 *    gives the same work twice.
 *  - handworked: test-gencycle-counts.c's hand-worked sequence keep_3_2_2, which
 *    tests/oracle/gc_sequences.py confirmed on the real interpreter, holds on
 *    the embedded one.
 *
 * Without the backend (no python3-dev) this program has no tests.
 *
 * The heaps, traces, outcomes and programs these tests share, and running
 * the gctune command: common/cpython_common.h.
 *
 * No test here sets Criterion's .timeout (meson's 900 s covers them): with
 * two such tests running at once, Criterion 2.4's runner leaks a 48-byte
 * block that LeakSanitizer reports in the ASan build, failing the program.
 */
#define _POSIX_C_SOURCE 200809L
#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif

#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector.h"
#include "heap.h"
#include "rng.h"
#include "validate.h"
#include "workload.h"

#include "cpython_common.h"

#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON

static const int64_t grid[][3] = {
    {700, 10, 10}, {100, 2, 2}, {10, 10, 10}, {3, 2, 2}, {1, 1, 1}, {2000, 10, 10}, {0, 10, 10},
};
#define NGRID (sizeof grid / sizeof grid[0])

Test(sequences, keep_k_alive_on_a_grid)
{
    size_t n = 0;
    for (size_t g = 0; g < NGRID; g++)
        for (uint64_t k = 1; k <= 3000; k *= 7)
            n += same_on_both(grid[g][0], grid[g][1], grid[g][2], p_keep, k, true, "keep", NULL);
    GCT_ASSERT_GT(n, 1000, "only %zu collections in all", n);
}

Test(sequences, k_cycles_created_and_dropped_on_a_grid)
{
    size_t n = 0;
    for (size_t g = 0; g < NGRID; g++)
        for (uint64_t k = 1; k <= 3000; k *= 7)
            n += same_on_both(grid[g][0], grid[g][1], grid[g][2], p_cycles, k, true, "cycles",
                              NULL);
    GCT_ASSERT_GT(n, 1000, "only %zu collections in all", n);
}

Test(sequences, random_programs)
{
    size_t n = 0;
    uint64_t observed = 0;
    for (uint64_t seed = 1; seed <= 12; seed++)
        for (size_t g = 0; g < NGRID; g++)
            n += same_on_both(grid[g][0], grid[g][1], grid[g][2], p_random, seed, seed & 1,
                              "random", &observed);
    GCT_ASSERT_GT(n, 1000, "only %zu collections in all", n);
    GCT_ASSERT_NEQ(observed, 0, "no weak reference was ever read");
}

/* ---- work ---------------------------------------------------------------------------- */

/* test-gencycle-work.c's cycle_and_chain (a garbage 3-cycle of one-slot objects,
 * a rooted chain of three two-slot ones, the first also holding an atom),
 * then collect(0) and collect(1). */
static void p_cycle_and_chain(gct_heap *h, uint64_t arg, outcome *o)
{
    (void)arg;
    (void)o;
    size_t base = gct_root_depth(h);
    gct_obj *a = gct_new(h, &node), *b = gct_new(h, &node), *c = gct_new(h, &node);
    gct_store(h, a, 0, b);
    gct_store(h, b, 0, c);
    gct_store(h, c, 0, a);
    gct_root_truncate(h, base);
    gct_obj *d = gct_new(h, &pair), *e = gct_new(h, &pair), *f = gct_new(h, &pair);
    gct_obj *x = gct_new(h, &atom);
    gct_store(h, d, 0, e);
    gct_store(h, d, 1, x);
    gct_store(h, e, 0, f);
    gct_root_truncate(h, base + 1);
    gct_heap_collect(h, 0);
    gct_heap_collect(h, 1);
}

/* The numbers test-gencycle-work.c works out for gencycle, counted here in the
 * twin's tp_traverse while CPython's gc_collect_main runs: collect(0)
 * examines 6 and traverses 12 (6 in subtract_refs, 3 for the reachable
 * chain in move_unreachable, 3 for the garbage cycle in
 * handle_resurrected_objects), collect(1) examines the chain, 3, and
 * traverses 6. */
Test(work, a_cycle_and_a_chain_by_hand_on_the_real_collector)
{
    outcome r;
    run("cpython", 700, 10, 10, p_cycle_and_chain, 0, false, &r);
    GCT_ASSERT_EQ(r.t.n, 2);
    cr_assert(r.t.r[0].gen == 0 && r.t.r[0].examined == 6 && r.t.r[0].traversed == 12 &&
                  r.t.r[0].collected == 3,
              "collect(0): gen%d, examined %" PRId64 ", traversed %" PRId64 ", collected %" PRId64
              "; by hand gen0, 6, 12, 3",
              r.t.r[0].gen, r.t.r[0].examined, r.t.r[0].traversed, r.t.r[0].collected);
    cr_assert(r.t.r[1].gen == 1 && r.t.r[1].examined == 3 && r.t.r[1].traversed == 6 &&
                  r.t.r[1].collected == 0,
              "collect(1): gen%d, examined %" PRId64 ", traversed %" PRId64 ", collected %" PRId64
              "; by hand gen1, 3, 6, 0",
              r.t.r[1].gen, r.t.r[1].examined, r.t.r[1].traversed, r.t.r[1].collected);
    cr_assert(r.stats[0].examined == 6 && r.stats[0].traversed == 12 &&
                  r.stats[1].examined == 3 && r.stats[1].traversed == 6,
              "per-generation totals differ from the pauses");
    outcome_free(&r);
    same_on_both(700, 10, 10, p_cycle_and_chain, 0, false, "cycle and chain", NULL);
}

/* Work is deterministic on the real collector too: one workload, one seed,
 * twice. */
Test(work, the_same_seed_gives_the_same_work_twice)
{
    gct_vworkload rows[32];
    char err[256];
    cr_assert(gct_validate_default_workloads(rows, 32, err, sizeof err), "%s", err);
    gct_vthresholds th;
    cr_assert(gct_validate_parse_thresholds("100/2/2", &th));
    rows[0].ops = 300;
    gct_vtrace a, b;
    gct_validate_trace("cpython", &rows[0], &th, 5, &a);
    gct_validate_trace("cpython", &rows[0], &th, 5, &b);
    cr_assert(a.ok && b.ok, "%s / %s", a.err, b.err);
    GCT_ASSERT_EQ(a.ncolls, b.ncolls);
    GCT_ASSERT_GT(a.ncolls, 10, "only %zu collections", a.ncolls);
    int64_t traversed = 0;
    for (size_t i = 0; i < a.ncolls; i++) {
        cr_assert(a.colls[i].examined == b.colls[i].examined &&
                      a.colls[i].traversed == b.colls[i].traversed,
                  "collection #%zu: %" PRId64 "/%" PRId64 " then %" PRId64 "/%" PRId64, i + 1,
                  a.colls[i].examined, a.colls[i].traversed, b.colls[i].examined,
                  b.colls[i].traversed);
        traversed += a.colls[i].traversed;
    }
    GCT_ASSERT_GT(traversed, 0);
    GCT_ASSERT_EQ(memcmp(a.stats, b.stats, sizeof a.stats), 0, "per-generation stats differ");
    gct_vtrace_free(&a);
    gct_vtrace_free(&b);
}

/* ---- the hand-worked sequence ------------------------------------------------------ */

/* test-gencycle-counts.c's keep_3_2_2 (gc_sequences.py ran it on CPython 3.11):
 * gen0=3 gen1=2 gen2=2, 122 containers kept, a collection every fourth
 * allocation; generation 1 at 16, 32, 48, 68, 84, 100, 120; generation 2 at
 * 52 and 104; count (2, 0, 1) and stats 21/7/2 collections, nothing collected. */
Test(handworked, keep_3_2_2_on_the_real_collector)
{
    trace t;
    gct_heap *h = heap3("cpython", 3, 2, 2, &t);
    for (int i = 0; i < 122; i++)
        gct_new(h, &node);
    gct_test_verify(h);
    size_t k = 0;
    for (int64_t a = 4; a <= 120; a += 4, k++) {
        int gen = 0;
        if (a == 52 || a == 104)
            gen = 2;
        else if (a == 16 || a == 32 || a == 48 || a == 68 || a == 84 || a == 100 || a == 120)
            gen = 1;
        cr_assert(k < t.n, "only %zu collections", t.n);
        /* the a-th allocation triggers: a - 1 allocations were made before */
        cr_assert(t.r[k].alloc == a - 1 && t.r[k].gen == gen && t.r[k].collected == 0,
                  "collection #%zu: gen%d at allocation %" PRId64 ", expected gen%d at %" PRId64,
                  k + 1, t.r[k].gen, t.r[k].alloc + 1, gen, a);
    }
    GCT_ASSERT_EQ(t.n, k);
    cr_assert(gct_heap_counts(h)[0] == 2 && gct_heap_counts(h)[1] == 0 && gct_heap_counts(h)[2] == 1,
              "count (%" PRId64 ", %" PRId64 ", %" PRId64 ")", gct_heap_counts(h)[0], gct_heap_counts(h)[1],
              gct_heap_counts(h)[2]);
    GCT_ASSERT_EQ(gct_heap_stats(h)[0].collections, 21);
    GCT_ASSERT_EQ(gct_heap_stats(h)[1].collections, 7);
    GCT_ASSERT_EQ(gct_heap_stats(h)[2].collections, 2);
    gct_heap_destroy(h);
    free(t.r);
}

#endif
