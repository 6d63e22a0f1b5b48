/* test-heap.c — the heap API itself: accounting, roots, stores, knobs. */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <string.h>

#include "collector.h"
#include "heap.h"
#include "internal/backend.h" /* white-box: the whole struct gct_heap */

static const gct_shape pair = GCT_SHAPE("pair", 2, 8);
static const gct_shape atom = GCT_SHAPE("atom", 0, 24);

Test(heap, accounting_and_store)
{
    for (size_t c = 0; c < gct_collector_count(); c++) {
        gct_heap *h = gct_test_heap(gct_collector_at(c)->name);
        gct_obj *p = gct_new(h, &pair);
        gct_obj *a = gct_new(h, &atom);
        gct_store(h, p, 0, a);
        gct_root_pop(h);
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 2);
        GCT_ASSERT_EQ(gct_load(p, 0), a);
        gct_test_verify(h);
        gct_root_pop(h);
        gct_heap_collect(h, GCT_GEN_FULL);
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%s: %lld live", gct_heap_collector(h)->name,
                      (long long)gct_heap_live_objects(h));
        GCT_ASSERT_EQ(gct_heap_live_bytes(h), 0);
        gct_test_heap_done(h);
    }
}

Test(heap, exact_refcount_check_catches_a_count_off_by_one_either_way)
{
    for (size_t c = 0; c < gct_collector_count(); c++) {
        gct_heap *h = gct_test_heap(gct_collector_at(c)->name);
        gct_obj *p = gct_new(h, &pair);
        gct_obj *a = gct_new(h, &atom);
        gct_store(h, p, 0, a);
        gct_store(h, p, 1, a);
        uint32_t before = a->refcnt;
        gct_test_verify(h);
        GCT_ASSERT_EQ(a->refcnt, before, "the check must leave counts as they were");
        if (h->hot.rc) {
            char err[512];
            a->refcnt++;
            cr_assert_not(gct_heap_verify(h, true, err, sizeof err));
            cr_assert(strstr(err, "off by +1"), "%s", err);
            cr_assert(gct_heap_verify(h, false, err, sizeof err), "%s", err);
            a->refcnt -= 2;
            cr_assert_not(gct_heap_verify(h, true, err, sizeof err));
            cr_assert(strstr(err, "off by -1"), "%s", err);
            a->refcnt++;
            GCT_ASSERT_EQ(a->refcnt, before);
        }
        gct_test_heap_done(h);
    }
}

/* gct_weakref_new allocates, and an allocation may collect: a target that
 * only the caller still points at must survive that collection (CPython's
 * weakref.ref(obj) holds obj as its argument the same way). */
Test(heap, weakref_target_survives_the_collection_its_allocation_starts)
{
    static const char *const tracing[][2] = {{"gencycle", "gen0=2"}, {"marksweep", "gen0=2"}};
    for (size_t c = 0; c < 2; c++) {
        gct_heap *h = gct_test_heap(tracing[c][0], tracing[c][1]);
        gct_obj *x = gct_new(h, &pair);
        gct_obj *y = gct_new(h, &pair);
        gct_store(h, x, 0, y);
        gct_store(h, y, 0, x);
        gct_root_pop(h);
        gct_root_pop(h); /* x and y: a garbage cycle the caller still points at */
        gct_obj *wr = gct_weakref_new(h, x);
        GCT_ASSERT_EQ(gct_weakref_get(wr), x, "%s: the target died under its weak reference",
                      tracing[c][0]);
        cr_assert(!(x->flags & GCT_OF_FREE));
        gct_test_verify(h);
        gct_heap_collect(h, GCT_GEN_FULL);
        cr_assert_null(gct_weakref_get(wr), "%s: the garbage target outlived a full collection",
                       tracing[c][0]);
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 1); /* the weak reference itself */
        gct_test_heap_done(h);
    }
}

/* A heap made after another was destroyed reuses its arenas (pool.c keeps
 * them for the process): whatever the old heap left in that memory, the new
 * one's objects, accounting and verifier are exactly those of a fresh heap. */
Test(heap, a_new_heap_on_a_destroyed_heaps_arenas_is_a_fresh_heap)
{
    for (size_t c = 0; c < gct_collector_count(); c++) {
        const char *name = gct_collector_at(c)->name;
        int64_t footprint[2] = {0, 0};
        for (int round = 0; round < 2; round++) {
            gct_heap *h = gct_test_heap(name);
            /* A ring of pairs and some atoms, over several arenas' worth of
             * chunks for the first heap. */
            int n = round == 0 ? 200000 : 1000;
            gct_obj *first = gct_new(h, &pair), *prev = first;
            for (int i = 1; i < n; i++) {
                gct_obj *o = gct_new(h, &pair);
                gct_store(h, prev, 0, o);
                gct_root_pop(h);
                prev = o;
            }
            gct_store(h, prev, 0, first);
            GCT_ASSERT_EQ(gct_heap_live_objects(h), n, "%s round %d: %lld live", name, round,
                          (long long)gct_heap_live_objects(h));
            gct_test_verify(h);
            gct_root_pop(h);
            gct_heap_collect(h, GCT_GEN_FULL);
            if (strcmp(name, "refcount"))
                GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%s round %d: %lld live after collecting", name,
                              round, (long long)gct_heap_live_objects(h));
            gct_test_verify(h);
            footprint[round] = gct_heap_peak_footprint(h);
            gct_heap_destroy(h);
        }
        GCT_ASSERT_LT(footprint[1], footprint[0],
                      "%s: the small heap counts only its own memory "
                      "(%lld vs %lld bytes)",
                      name, (long long)footprint[1], (long long)footprint[0]);
    }
}
