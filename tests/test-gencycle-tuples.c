/*
 * test-gencycle-tuples.c — a tuple of atoms in every CPython model, where the
 * versions differ (collectors/tuple.c): whether its creation counts toward
 * the trigger, whether it is tracked, the free list that makes a reused
 * tuple no allocation and a freed one no PyObject_GC_Del, and untracking
 * when a collection meets it.  The expectations per version are CPython's
 * (Objects/tupleobject.c, Python/gc.c) and were checked against real
 * 3.11.7, 3.12.1, 3.13.0, 3.14.2 and 3.15.0rc1 by the trace oracle.
 */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"

#include "gencycle_common.h"

typedef struct version {
    const char *collector, *knob;
    int counts_new;   /* count[0] after one new tuple */
    int examined_col; /* objects a collect(0) of {tuple, node} examines */
} version;

static const version versions[] = {
    {"gencycle", "gen0=1000", 1, 2},     /* 3.11: tracked and counted */
    {"gencycle312", "gen0=1000", 1, 2},  /* 3.12: the same */
    {"gencycle313", "gen0=1000", 1, 2},  /* 3.13: the same */
    {"gencycle314", "patch=0", 1, 1},    /* 3.14.0: counted; collect(0) untracks first */
    {"gencycle314", "patch=2", 0, 1},    /* 3.14.1+: born untracked, counts tracking */
    {"gencycle315", "gen0=1000", 1, 1},  /* 3.15: born untracked, counts allocations */
};

static gct_heap *heap(const version *v)
{
    const char *knobs[] = {v->knob};
    gct_heap *h = gct_test_heap_knobs(v->collector, knobs, 1);
    gct_heap_set_verify_each(h, true);
    if (!strcmp(v->collector, "gencycle314"))
        gct_heap_collect(h, 2); /* no work owed from start-up, no trigger at 1 */
    return h;
}

Test(tuples, counting_free_list_and_untracking_by_version)
{
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        const version *v = &versions[i];
        gct_heap *h = heap(v);
        int c = v->counts_new;
        gct_tuple_new(h, 2);
        GCT_ASSERT_EQ(gct_heap_counts(h)[0], c, "%s %s: a new tuple", v->collector, v->knob);
        /* Freed into the free list: no PyObject_GC_Del, the count stays
         * (3.14.1+ gives it back only for a tracked tuple: never one here). */
        gct_root_pop(h);
        GCT_ASSERT_EQ(gct_heap_counts(h)[0], c, "%s %s: a freed tuple", v->collector, v->knob);
        /* Reused from the free list: no allocation, no count. */
        gct_tuple_new(h, 2);
        GCT_ASSERT_EQ(gct_heap_counts(h)[0], c, "%s %s: a reused tuple", v->collector, v->knob);
        /* Another size has its own list, empty: counted where new ones are. */
        gct_tuple_new(h, 3);
        GCT_ASSERT_EQ(gct_heap_counts(h)[0], 2 * c, "%s %s: a tuple of 3", v->collector, v->knob);
        gct_root_pop(h);
        gct_new(h, &node);
        size_t np = gct_heap_npauses(h);
        GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
        GCT_ASSERT_EQ(gct_heap_pauses(h)[np].examined, v->examined_col,
                      "%s %s: collect(0) of a tuple and a node", v->collector, v->knob);
        /* Untracked now on every version: a second collect(0) of young
         * finds only what is new. */
        gct_new(h, &node);
        GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
        GCT_ASSERT_EQ(gct_heap_pauses(h)[np + 1].examined, 1, "%s %s: the tuple is untracked",
                      v->collector, v->knob);
        gct_test_heap_done(h);
    }
}

/* The free list holds 2000 tuples of a size: the 2001st freed is a real
 * PyObject_GC_Del, which takes count[0] down (on the versions that count
 * allocations); a full collection empties the lists, so the next tuple
 * counts again. */
Test(tuples, the_free_list_holds_2000_and_a_full_collection_empties_it)
{
    const char *knobs[] = {"gen0=0"};
    gct_heap *h = gct_test_heap_knobs("gencycle", knobs, 1);
    gct_heap_set_verify_each(h, true);
    for (int i = 0; i < 2001; i++)
        gct_tuple_new(h, 1);
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 2001);
    gct_root_truncate(h, 0); /* 2000 into the list, the last one deleted */
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 2000);
    gct_tuple_new(h, 1);
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 2000, "a reused tuple counted");
    gct_root_pop(h);
    gct_heap_collect(h, 2);
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 0);
    gct_tuple_new(h, 1);
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 1, "the free list survived a full collection");
    gct_test_heap_done(h);
}

/* The collection that meets a tracked tuple of atoms untracks it (before it
 * counts its survivors as long-lived): the next ones do not examine it. */
Test(tuples, a_collection_untracks_what_it_meets)
{
    const char *knobs[] = {"gen0=0"};
    gct_heap *h = gct_test_heap_knobs("gencycle", knobs, 1);
    gct_heap_set_verify_each(h, true);
    for (int i = 0; i < 10; i++)
        gct_tuple_new(h, 2);
    gct_new(h, &node);
    gct_heap_collect(h, 1);
    GCT_ASSERT_EQ(gct_heap_pauses(h)[0].examined, 11);
    gct_heap_collect(h, 2);
    GCT_ASSERT_EQ(gct_heap_pauses(h)[1].examined, 1, "untracked tuples were collected over");
    gct_test_heap_done(h);
}
