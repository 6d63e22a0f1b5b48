/*
 * test-gencycle-work.c — gencycle's work counters (objects examined, references
 * traversed) of small heaps, worked out by hand from CPython 3.11's passes
 * (suite "work").
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

/* ---- work counters ---------------------------------------------------------- */

#define assert_work(h, g, ncoll, nexamined, ntraversed, ncollected)                           \
    do {                                                                                       \
        const gct_gen_stats *s_ = &(h)->stats[g];                                              \
        cr_assert(s_->collections == (ncoll) && s_->examined == (nexamined) &&                 \
                      s_->traversed == (ntraversed) && s_->collected == (ncollected),          \
                  "stats[%d]: %" PRId64 " collections, %" PRId64 " examined, %" PRId64         \
                  " traversed, %" PRId64 " collected; expected %d, %d, %d, %d",                \
                  (int)(g), s_->collections, s_->examined, s_->traversed, s_->collected,       \
                  (int)(ncoll), (int)(nexamined), (int)(ntraversed), (int)(ncollected));       \
    } while (0)

/* The last pause, as the validate trace reads it. */
static void assert_last_pause(const gct_heap *h, int64_t examined, int64_t traversed,
                              int64_t freed)
{
    cr_assert(gct_heap_npauses(h) > 0, "no pause recorded");
    const gct_pause *p = &gct_heap_pauses(h)[gct_heap_npauses(h) - 1];
    cr_assert(p->examined == examined && p->traversed == traversed && p->freed == freed,
              "last pause: %" PRId64 " examined, %" PRId64 " traversed, %" PRId64
              " freed; expected %" PRId64 ", %" PRId64 ", %" PRId64,
              p->examined, p->traversed, p->freed, examined, traversed, freed);
}

/*
 * A garbage cycle a -> b -> c -> a (one slot each) and a chain d -> e -> f
 * rooted by d (two slots each: d's second holds an atom x; e's second and
 * both of f's are NULL).  Generation 0 then holds the six containers (x is
 * never tracked).
 */
static void cycle_and_chain(gct_heap *h)
{
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
    gct_root_truncate(h, base + 1); /* d stays rooted */
}

/*
 * collect(0) of cycle_and_chain, by CPython 3.11's passes:
 *   examined   6 (a b c d e f)
 *   traversed 12 = subtract_refs over all six: 1 + 1 + 1 + 2 + 1 + 0 = 6
 *                + move_unreachable over the reachable d, e, f: 2 + 1 + 0 = 3
 *                + handle_resurrected_objects' subtract_refs over the
 *                  unreachable a, b, c: 3 (nothing is resurrected, so its
 *                  move_unreachable traverses nothing)
 *   collected  3
 * Then d, e, f are in generation 1: collect(1) examines 3 and traverses
 * 3 + 3 (all reachable), collecting nothing.  Dropping d frees the chain by
 * reference counting, which is no collector's work: collect(2) finds an
 * empty set.
 */
Test(work, a_cycle_and_a_chain_by_hand)
{
    gct_heap *h = gencycle3(700, 10, 10);
    cycle_and_chain(h);
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 3);
    assert_last_pause(h, 6, 12, 3);
    assert_work(h, 0, 1, 6, 12, 3);
    gct_test_verify(h);
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 0);
    assert_last_pause(h, 3, 6, 0);
    assert_work(h, 1, 1, 3, 6, 0);
    gct_root_pop(h);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    GCT_ASSERT_EQ(gct_heap_collect(h, 2), 0);
    assert_last_pause(h, 0, 0, 0);
    assert_work(h, 2, 1, 0, 0, 0);
    /* The younger generations' counters were left alone. */
    assert_work(h, 0, 1, 6, 12, 3);
    assert_work(h, 1, 1, 3, 6, 0);
    gct_test_heap_done(h);
}

/* A full collection with nothing frozen takes the one-pass update+subtract;
 * with something frozen the two passes.  The work is the same. */
Test(work, a_full_collection_counts_the_same_on_both_paths)
{
    for (int frozen = 0; frozen < 2; frozen++) {
        gct_heap *h = gencycle3(700, 10, 10);
        if (frozen) {
            gct_new(h, &pair); /* stays rooted, frozen: never examined */
            GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
            GCT_ASSERT_EQ(gct_heap_freeze_count(h), 1);
        }
        cycle_and_chain(h);
        GCT_ASSERT_EQ(gct_heap_collect(h, 2), 3);
        assert_last_pause(h, 6, 12, 3);
        assert_work(h, 2, 1, 6, 12, 3);
        gct_test_heap_done(h);
    }
}

/* A reference to an atom is traversed (a real container visits its ints);
 * a NULL slot is not; a weak reference holds no strong reference. */
Test(work, atoms_count_null_slots_and_weak_references_do_not)
{
    gct_heap *h = gencycle3(700, 10, 10);
    gct_obj *p = gct_new(h, &pair);
    gct_store(h, p, 0, gct_new(h, &atom));
    gct_root_pop(h);
    gct_weakref_new(h, p);
    /* Set: p (one atom reference, one NULL) and the weak reference (none). */
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
    assert_last_pause(h, 2, 2, 0);
    gct_test_heap_done(h);
}
