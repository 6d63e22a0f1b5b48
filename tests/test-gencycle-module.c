/*
 * test-gencycle-module.c — gencycle against the surface of CPython 3.11's gc
 * module (Modules/gcmodule.c and the module's documentation): counts after
 * collections, statistics, freeze, thresholds, enable/disable, collect's
 * result and bad generations, nesting, start/stop events (suite "table").
 *
 * Every heap runs with verify_each on, and every test runs the full verifier
 * (exact reference counts) after every collection it causes.  The helpers
 * (heaps, counter assertions, the event recorder): common/gencycle_common.h.
 */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"
#include "internal/backend.h" /* white-box: the whole struct gct_heap */

#include "gencycle_common.h"

/* =========================================================================
 * The gc-module surface (get_count, get_stats, freeze, set_threshold, ...)
 * ========================================================================= */

Test(table, count_after_collect0_is_0_1_0)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 5; i++)
        alloc_keep(&R, &node);
    assert_count(h, 5, 0, 0);
    GCT_ASSERT_EQ(collect(&R, 0), 0);
    assert_count(h, 0, 1, 0);
    GCT_ASSERT_EQ(collect(&R, 1), 0);
    assert_count(h, 0, 0, 1);
    /* And on an empty heap too. */
    gct_heap *e = gencycle(NULL, 0);
    GCT_ASSERT_EQ(gct_heap_collect(e, 0), 0);
    gct_test_verify(e);
    assert_count(e, 0, 1, 0);
    GCT_ASSERT_EQ(gct_heap_collect(e, 1), 0);
    gct_test_verify(e);
    assert_count(e, 0, 0, 1);
    GCT_ASSERT_EQ(gct_heap_collect(e, 2), 0);
    gct_test_verify(e);
    assert_count(e, 0, 0, 0);
    gct_heap_destroy(e);
    gct_test_heap_done(h);
}

Test(table, only_the_collected_generation_stats_change)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    for (int g = 0; g < 3; g++) {
        make_cycle(&R);
        GCT_ASSERT_EQ(collect(&R, g), 2, "collect(%d) of one garbage cycle", g);
        GCT_ASSERT_EQ(R.r[R.n - 1].gen, g);
        for (int j = 0; j < 3; j++) {
            if (j <= g)
                assert_stats(h, j, 1, 2);
            else
                assert_stats(h, j, 0, 0);
        }
    }
    /* GCT_GEN_FULL is generation 2. */
    make_cycle(&R);
    GCT_ASSERT_EQ(collect(&R, GCT_GEN_FULL), 2);
    GCT_ASSERT_EQ(R.r[R.n - 1].gen, 2);
    assert_stats(h, 0, 1, 2);
    assert_stats(h, 1, 1, 2);
    assert_stats(h, 2, 2, 4);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    gct_test_heap_done(h);
}

Test(table, freeze_zeroes_counts_and_moves_everything)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    /* Objects in every generation and non-zero counts: (2, 0, 1). */
    for (int i = 0; i < 3; i++)
        alloc_keep(&R, &node);
    collect(&R, 0);
    collect(&R, 1); /* 3 objects in generation 2 */
    for (int i = 0; i < 2; i++)
        alloc_keep(&R, &node);
    collect(&R, 0); /* 2 in generation 1 */
    for (int i = 0; i < 2; i++)
        alloc_keep(&R, &pair);
    alloc_keep(&R, &atom); /* never tracked: not frozen either */
    assert_count(h, 2, 1, 1);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);

    GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
    assert_count(h, 0, 0, 0);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 7);
    gct_test_verify(h);
    /* Every generation is empty now. */
    for (int g = 0; g < 3; g++) {
        collect(&R, g);
        GCT_ASSERT_EQ(last_examined(h), 0, "collect(%d) examined %" PRId64, g, last_examined(h));
    }
    /* A second freeze adds the new objects to the permanent generation. */
    alloc_keep(&R, &node);
    GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 8);
    GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    collect(&R, 1);
    GCT_ASSERT_EQ(last_examined(h), 0, "unfreeze put objects into generation 0 or 1");
    collect(&R, 2);
    GCT_ASSERT_EQ(last_examined(h), 8, "generation 2 after unfreeze holds %" PRId64,
                  last_examined(h));
    gct_test_heap_done(h);
}

Test(table, frozen_garbage_cycle_survives_until_unfreeze)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    make_cycle(&R);
    GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 2);
    GCT_ASSERT_EQ(collect(&R, 2), 0, "the permanent generation was scanned");
    GCT_ASSERT_EQ(collect(&R, GCT_GEN_FULL), 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 2);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 2);

    GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    gct_test_verify(h);
    /* It is in generation 2: younger collections do not see it. */
    GCT_ASSERT_EQ(collect(&R, 0), 0);
    GCT_ASSERT_EQ(last_examined(h), 0);
    GCT_ASSERT_EQ(collect(&R, 1), 0);
    GCT_ASSERT_EQ(last_examined(h), 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 2);
    GCT_ASSERT_EQ(collect(&R, 2), 2);
    GCT_ASSERT_EQ(last_examined(h), 2);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    assert_stats(h, 2, 3, 2);
    gct_test_heap_done(h);
}

Test(table, frozen_objects_are_not_scanned_by_automatic_collections)
{
    /* gen0=1 gen1=0 gen2=0: gen0 at allocation 2, gen1 at 4, gen2 at 6 (the
     * long-lived total is 0 after freeze), and so on; none of them may see
     * the frozen garbage cycles. */
    gct_heap *h = gencycle3(1, 0, 0);
    recorder R;
    attach(&R, h);
    gct_heap_set_enabled(h, false);
    for (int i = 0; i < 10; i++)
        make_cycle(&R);
    gct_heap_set_enabled(h, true);
    GCT_ASSERT_EQ(R.n, 0);
    GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 20);
    for (int i = 0; i < 40; i++)
        alloc_keep(&R, &node);
    GCT_ASSERT_GT(R.n, 0);
    bool saw_gen2 = false;
    for (size_t i = 0; i < R.n; i++) {
        GCT_ASSERT_EQ(R.r[i].collected, 0);
        saw_gen2 |= R.r[i].gen == 2;
    }
    cr_assert(saw_gen2, "no generation-2 collection happened");
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 60);
    GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_OK);
    GCT_ASSERT_EQ(collect(&R, 2), 20);
    gct_test_heap_done(h);
}

Test(table, set_threshold_with_omitted_values_keeps_the_others)
{
    const char *const knobs[] = {"gen0=5", "gen1=6", "gen2=7", "cascade=50"};
    gct_heap *h = gencycle(knobs, 4);
    int64_t v;
    /* gc.set_threshold(100): gen1 and gen2 keep their values. */
    GCT_ASSERT_EQ(gct_heap_set_knob(h, "gen0", 100, NULL, 0), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen0", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 100);
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen1", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 6);
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen2", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 7);
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "cascade", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 50);
    GCT_ASSERT_EQ(h->hot.threshold[0], 100);
    GCT_ASSERT_EQ(h->hot.threshold[1], 6);
    GCT_ASSERT_EQ(h->hot.threshold[2], 7);
    GCT_ASSERT_EQ(h->cascade_limit, 50);
    /* gc.set_threshold(100, 9): gen2 keeps its value. */
    GCT_ASSERT_EQ(gct_heap_set_knob(h, "gen1", 9, NULL, 0), GCT_OK);
    GCT_ASSERT_EQ(h->hot.threshold[0], 100);
    GCT_ASSERT_EQ(h->hot.threshold[1], 9);
    GCT_ASSERT_EQ(h->hot.threshold[2], 7);
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen2", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 7);
    /* The defaults are CPython 3.11's (700, 10, 10). */
    gct_heap *d = gencycle(NULL, 0);
    GCT_ASSERT_EQ(d->hot.threshold[0], 700);
    GCT_ASSERT_EQ(d->hot.threshold[1], 10);
    GCT_ASSERT_EQ(d->hot.threshold[2], 10);
    gct_heap_destroy(d);
    gct_test_heap_done(h);
}

Test(table, threshold0_zero_disables_automatic_collection)
{
    const char *const knobs[] = {"gen0=0"};
    gct_heap *h = gencycle(knobs, 1);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 100000; i++)
        alloc_keep(&R, &node);
    GCT_ASSERT_EQ(R.n, 0, "%zu collections with gen0=0", R.n);
    GCT_ASSERT_EQ(gct_heap_npauses(h), 0);
    for (int g = 0; g < 3; g++)
        assert_stats(h, g, 0, 0);
    assert_count(h, 100000, 0, 0);
    gct_test_verify(h);
    /* Re-enabled: count[0] is far above the threshold, so the very next
     * container allocation collects generation 0 (without itself). */
    GCT_ASSERT_EQ(gct_heap_set_knob(h, "gen0", 700, NULL, 0), GCT_OK);
    alloc_keep(&R, &node);
    GCT_ASSERT_EQ(R.n, 1);
    GCT_ASSERT_EQ(R.r[0].gen, 0);
    GCT_ASSERT_EQ(R.r[0].alloc, 100001);
    GCT_ASSERT_EQ(last_examined(h), 100000);
    assert_count(h, 0, 1, 0);
    gct_test_heap_done(h);
}

Test(table, disabled_blocks_automatic_but_not_explicit_collection)
{
    const char *const knobs[] = {"gen0=3"};
    gct_heap *h = gencycle(knobs, 1);
    recorder R;
    attach(&R, h);
    gct_heap_set_enabled(h, false);
    cr_assert(!gct_heap_enabled(h));
    for (int i = 0; i < 100; i++)
        make_cycle(&R);
    GCT_ASSERT_EQ(R.n, 0, "%zu collections while disabled", R.n);
    assert_count(h, 200, 0, 0);
    GCT_ASSERT_EQ(collect(&R, 0), 200);
    assert_count(h, 0, 1, 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    /* Enabled again: the strict trigger counts from 0 again. */
    gct_heap_set_enabled(h, true);
    cr_assert(gct_heap_enabled(h));
    R.alloc = 0;
    for (int i = 0; i < 4; i++)
        alloc_keep(&R, &node);
    GCT_ASSERT_EQ(R.n, 2);
    GCT_ASSERT_EQ(R.r[1].alloc, 4);
    GCT_ASSERT_EQ(R.r[1].gen, 0);
    gct_test_heap_done(h);
}

Test(table, collect_bad_generation_is_einval)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    make_cycle(&R);
    static const int bad[] = {3, 4, 100, INT_MAX, -2, -3, -100, INT_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        GCT_ASSERT_EQ(gct_heap_collect(h, bad[i]), GCT_EINVAL, "collect(%d)", bad[i]);
        GCT_ASSERT_EQ(R.n, 0, "collect(%d) emitted events", bad[i]);
        GCT_ASSERT_EQ(R.open, false);
    }
    assert_count(h, 2, 0, 0);
    for (int g = 0; g < 3; g++)
        assert_stats(h, g, 0, 0);
    GCT_ASSERT_EQ(gct_heap_npauses(h), 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 2);
    /* GCT_GEN_FULL (-1) is generation 2. */
    GCT_ASSERT_EQ(collect(&R, GCT_GEN_FULL), 2);
    GCT_ASSERT_EQ(R.r[0].gen, 2);
    assert_stats(h, 2, 1, 2);
    gct_test_heap_done(h);
}

Test(table, collect_returns_collected_plus_uncollectable)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    /* A cycle holding an atom: the atom dies with it but is not a GC object,
     * so it is not counted (CPython counts only tracked objects). */
    gct_obj *a = alloc_keep(&R, &pair);
    gct_obj *b = alloc_keep(&R, &pair);
    gct_obj *x = alloc_keep(&R, &atom);
    gct_store(h, a, 0, b);
    gct_store(h, b, 0, a);
    gct_store(h, a, 1, x);
    gct_root_truncate(h, 0);
    /* A ring of three, with a weak reference (a container) to one member. */
    gct_obj *r0 = alloc_keep(&R, &node);
    gct_obj *r1 = alloc_keep(&R, &node);
    gct_obj *r2 = alloc_keep(&R, &node);
    gct_store(h, r0, 0, r1);
    gct_store(h, r1, 0, r2);
    gct_store(h, r2, 0, r0);
    gct_obj *wr = gct_weakref_new(h, r1);
    for (size_t i = 0; i < 3; i++)
        gct_root_set(h, i, NULL); /* keep only the weak reference */
    GCT_ASSERT_EQ(gct_root_top(h), wr);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 7);
    GCT_ASSERT_EQ(collect(&R, 2), 5);
    GCT_ASSERT_EQ(R.r[0].collected, 5);
    GCT_ASSERT_EQ(R.r[0].uncollectable, 0);
    GCT_ASSERT_EQ(gct_weakref_get(wr), NULL, "the weak reference to garbage was not cleared");
    assert_stats(h, 2, 1, 5);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 1);
    /* Nothing left: 0. */
    gct_root_truncate(h, 0);
    GCT_ASSERT_EQ(collect(&R, 2), 0);
    gct_test_heap_done(h);
}

Test(table, collect_while_collecting_returns_0)
{
    /* Explicit collection: the callback tries collect(0) and collect(FULL)
     * at START and at STOP; each returns 0 and emits no event. */
    gct_heap *h = gencycle3(3, 10, 10);
    recorder R;
    attach(&R, h);
    make_cycle(&R);
    R.nest = true;
    GCT_ASSERT_EQ(collect(&R, 1), 2);
    GCT_ASSERT_EQ(R.n, 1);
    GCT_ASSERT_EQ(R.nnested, 4);
    for (size_t i = 0; i < R.nnested; i++)
        GCT_ASSERT_EQ(R.nested[i], 0, "nested collect #%zu returned %" PRId64, i, R.nested[i]);
    assert_stats(h, 0, 0, 0);
    assert_stats(h, 1, 1, 2);
    assert_stats(h, 2, 0, 0);
    /* Automatic collection: same. */
    R.alloc = 0;
    for (int i = 0; i < 4; i++)
        alloc_keep(&R, &node);
    GCT_ASSERT_EQ(R.n, 2);
    GCT_ASSERT_EQ(R.r[1].alloc, 4);
    GCT_ASSERT_EQ(R.nnested, 8);
    for (size_t i = 0; i < R.nnested; i++)
        GCT_ASSERT_EQ(R.nested[i], 0);
    GCT_ASSERT_EQ(gct_heap_npauses(h), 2);
    gct_test_heap_done(h);
}

Test(table, start_and_stop_events)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    make_cycle(&R);
    make_cycle(&R);
    GCT_ASSERT_EQ(collect(&R, 1), 4);
    GCT_ASSERT_EQ(R.n, 1);
    GCT_ASSERT_EQ(R.r[0].gen, 1);
    GCT_ASSERT_EQ(R.r[0].collected, 4);
    GCT_ASSERT_EQ(R.r[0].uncollectable, 0);
    /* Detached: no more events. */
    gct_heap_set_event_fn(h, NULL, NULL);
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
    gct_test_verify(h);
    GCT_ASSERT_EQ(R.n, 1);
    gct_test_heap_done(h);
}

/* ---- CPython 3.12 and 3.13: scheduled at the allocation, run at a safepoint */

static const gct_shape pair3 = GCT_SHAPE("pair", 2, 0);

/* gen0=3: the 4th allocation schedules; nothing runs until the safepoint,
 * which collects generation 0 with the 4th object alive in it. */
static void scheduled_runs_at_the_safepoint(const char *collector)
{
    gct_heap *h = gct_test_heap(collector, "gen0=3");
    for (int i = 0; i < 3; i++) {
        gct_obj *o = gct_new(h, &pair3);
        gct_store(h, o, 0, o);
        gct_root_pop(h); /* a garbage self-cycle */
    }
    gct_new(h, &pair3);
    GCT_ASSERT_EQ(gct_heap_stats(h)[0].collections, 0, "%s collected inside the allocation",
                  collector);
    gct_heap_safepoint(h);
    GCT_ASSERT_EQ(gct_heap_stats(h)[0].collections, 1, "%s", collector);
    GCT_ASSERT_EQ(gct_heap_stats(h)[0].collected, 3, "%s", collector);
    GCT_ASSERT_EQ(gct_heap_stats(h)[0].examined, 4, "%s: the new object is in the set", collector);
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 0);
    GCT_ASSERT_EQ(gct_heap_counts(h)[1], 1);
    gct_heap_safepoint(h); /* nothing waits now */
    GCT_ASSERT_EQ(gct_heap_stats(h)[0].collections, 1);
    gct_test_heap_done(h);
}

Test(versions, a_312_and_313_collection_runs_at_the_next_safepoint)
{
    scheduled_runs_at_the_safepoint("gencycle312");
    scheduled_runs_at_the_safepoint("gencycle313");
}

/* A collection scheduled before gc.disable(): 3.12.0-3.12.2 still ran it at
 * the safepoint; 3.12.3 (gh-116604) and 3.13 check again and skip it. */
static int64_t runs_after_disable(const char *collector, const char *patch)
{
    gct_heap *h = patch ? gct_test_heap(collector, "gen0=1", patch)
                        : gct_test_heap(collector, "gen0=1");
    gct_new(h, &pair3);
    gct_new(h, &pair3); /* count 2 > 1: scheduled */
    gct_heap_set_enabled(h, false);
    gct_heap_safepoint(h);
    int64_t n = gct_heap_stats(h)[0].collections;
    gct_test_heap_done(h);
    return n;
}

Test(versions, a_scheduled_collection_after_disable_runs_only_on_3_12_0_to_2)
{
    GCT_ASSERT_EQ(runs_after_disable("gencycle312", "patch=1"), 1);
    GCT_ASSERT_EQ(runs_after_disable("gencycle312", "patch=2"), 1);
    GCT_ASSERT_EQ(runs_after_disable("gencycle312", "patch=3"), 0);
    GCT_ASSERT_EQ(runs_after_disable("gencycle312", NULL), 0);
    GCT_ASSERT_EQ(runs_after_disable("gencycle313", NULL), 0);
}

Test(versions, defaults_are_the_versions_own)
{
    int64_t v;
    gct_heap *h = gct_test_heap("gencycle313");
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen0", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 2000);
    gct_test_heap_done(h);
    h = gct_test_heap("gencycle312");
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen0", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 700);
    gct_test_heap_done(h);
}
