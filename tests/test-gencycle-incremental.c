/*
 * test-gencycle-incremental.c — gencycle314, the model of CPython 3.14's incremental
 * collector, on sequences worked out by hand from Python/gc.c (v3.14.0 and
 * the 3.14.1 accounting): the MARK step, COLLECT steps sized by the work
 * budget, 3.14.1's early return while work is owed, the space flip, and the
 * budget that pulls pending old objects (with what they reach) into an
 * increment.  Each test states the arithmetic it expects.
 *
 * Every allocation here is followed by a safepoint, as a Python call would
 * be: the allocation only schedules, the safepoint runs one step.
 */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"

#include "gencycle_common.h"

static gct_heap *incremental(const char *patch, const char *heap_base)
{
    const char *knobs[] = {"gen0=3", patch, heap_base};
    gct_heap *h = gct_test_heap_knobs("gencycle314", knobs, 3);
    gct_heap_set_verify_each(h, true);
    return h;
}

/* An allocation kept on the root stack, then its safepoint. */
static gct_obj *keep(recorder *R)
{
    gct_obj *o = alloc_keep(R, &node);
    size_t before = R->n;
    gct_heap_safepoint(R->h);
    after_alloc(R, before);
    return o;
}

static void keep_n(recorder *R, int n)
{
    for (int i = 0; i < n; i++)
        keep(R);
}

typedef struct step {
    int64_t alloc;      /* 0: explicit */
    int gen;
    int64_t collected;
    gct_pause_kind kind; /* of its pause */
    int64_t examined;    /* objects the step looked at: marked plus the increment */
} step;

static void assert_steps(const recorder *R, const step *e, size_t n)
{
    GCT_ASSERT_EQ(R->n, n, "%zu collections, expected %zu", R->n, n);
    GCT_ASSERT_EQ(gct_heap_npauses(R->h), n, "%zu pauses, expected %zu", gct_heap_npauses(R->h),
                  n);
    for (size_t i = 0; i < n; i++) {
        const rec *r = &R->r[i];
        const gct_pause *p = &gct_heap_pauses(R->h)[i];
        cr_assert(r->alloc == e[i].alloc && r->gen == e[i].gen && r->collected == e[i].collected,
                  "step #%zu: gen%d at allocation %" PRId64 " collecting %" PRId64
                  ", expected gen%d at %" PRId64 " collecting %" PRId64,
                  i + 1, r->gen, r->alloc, r->collected, e[i].gen, e[i].alloc, e[i].collected);
        cr_assert(p->kind == e[i].kind && p->examined == e[i].examined && p->freed == r->collected,
                  "step #%zu: pause %s examining %" PRId64 " freeing %" PRId64
                  ", expected %s examining %" PRId64,
                  i + 1, gct_pause_kind_name(p->kind), p->examined, p->freed,
                  gct_pause_kind_name(e[i].kind), e[i].examined);
    }
}

/*
 * gen0=3, gen1=10 (scale 10), heap_base 0: the heap fraction
 * heap/10/10 is 0 throughout, so each step's budget is its new objects.
 *  - collect(2) on the empty heap: work 0, phase MARK, spaces flip.
 *  - 4th allocation (count 4 > 3): MARK.  The roots reach the 4 kept
 *    objects: marked 4, work = 0 + 4 - 2*4 = -4 (mark_at_start subtracts
 *    once, its caller again).  Not in gc.get_stats().
 *  - 8th: work = -4 + 4 = 0, not negative: COLLECT young (objects 5..8),
 *    nothing pending: 0 collected, work -4; pending empty: the scavenge is
 *    complete (work 0, MARK, spaces flip: the 8 old objects are pending).
 *  - a dropped cycle (9, 10), then 11, 12 kept: MARK marks the 8 pending
 *    objects and 11, 12: 10 marked, work = 0 + 4 - 20 = -16.
 *  - 16th, 20th, 24th: work -12, -8, -4: 3.14.1's early return, nothing
 *    examined.
 *  - 28th: work 0: COLLECT young (9, 10, 13..28: 18 objects), the cycle
 *    goes: 2 collected.
 */
Test(incremental, mark_then_collect_early_returns_and_flip)
{
    gct_heap *h = incremental("patch=2", "heap_base=0");
    recorder R;
    attach(&R, h);
    GCT_ASSERT_EQ(collect(&R, 2), 0);
    keep_n(&R, 8);
    make_cycle(&R);
    gct_heap_safepoint(h);
    keep_n(&R, 18);
    const step e[] = {
        {0, 2, 0, GCT_PAUSE_GEN2, 0},    {4, 1, 0, GCT_PAUSE_MARK, 4},
        {8, 1, 0, GCT_PAUSE_GEN1, 4},    {12, 1, 0, GCT_PAUSE_MARK, 10},
        {16, 1, 0, GCT_PAUSE_GEN1, 0},   {20, 1, 0, GCT_PAUSE_GEN1, 0},
        {24, 1, 0, GCT_PAUSE_GEN1, 0},   {28, 1, 2, GCT_PAUSE_GEN1, 18},
    };
    assert_steps(&R, e, sizeof e / sizeof e[0]);
    /* MARK steps and early returns are not collections to gc.get_stats(). */
    assert_stats(h, 1, 2, 2);
    assert_stats(h, 2, 1, 0);
    assert_count(h, 0, 0, 0);
    gct_test_heap_done(h);
}

/*
 * The same up to the 16th allocation on 3.14.0's accounting (patch=0): no
 * early return, so at work -12 the step still collects young (9, 10,
 * 13..16: 6 objects) and the cycle goes 12 allocations earlier.
 */
Test(incremental, without_the_early_return_3140_collects_sooner)
{
    gct_heap *h = incremental("patch=0", "heap_base=0");
    recorder R;
    attach(&R, h);
    GCT_ASSERT_EQ(collect(&R, 2), 0);
    keep_n(&R, 8);
    make_cycle(&R);
    gct_heap_safepoint(h);
    keep_n(&R, 6);
    const step e[] = {
        {0, 2, 0, GCT_PAUSE_GEN2, 0},  {4, 1, 0, GCT_PAUSE_MARK, 4},
        {8, 1, 0, GCT_PAUSE_GEN1, 4},  {12, 1, 0, GCT_PAUSE_MARK, 10},
        {16, 1, 2, GCT_PAUSE_GEN1, 6},
    };
    assert_steps(&R, e, sizeof e / sizeof e[0]);
    gct_test_heap_done(h);
}

/*
 * Frozen roots (a replayed trace: the mark never enters the root stack), so
 * old objects stay pending, and heap_base 400, so each step's budget is its
 * new objects plus min(heap/100, 2*new) = 4.
 *  - holder(1) -> A(2) <-> B(3), only holder on the root stack; 4 kept.
 *  - 4th: MARK marks nothing: work = 0 + 4 + 4 = 8.
 *  - 8th: work 16: young (1..8) is the increment, nothing pending:
 *    0 collected, work 8; complete: the visited objects go back to pending
 *    (frozen objects exist, so the spaces do not flip), work 0.
 *  - holder.x = None: A and B are garbage, in the pending space.
 *  - 12th: MARK, work 8.  16th: work 16; young (9..16) is 8 objects, so 8
 *    more come from pending in order: holder, A (which brings B, reachable
 *    from it and not visited), 4, 5, 6, 7, 8: 16.  The cycle goes: 2.
 * With heap_base 0 the budget is only the new objects, pending is never
 * reached, and the cycle survives (the second half).
 */
static void old_garbage(recorder *R, gct_heap *h)
{
    gct_heap_set_frozen_roots(h, true);
    GCT_ASSERT_EQ(collect(R, 2), 0);
    gct_obj *holder = keep(R);
    gct_obj *a = keep(R);
    gct_obj *b = keep(R);
    gct_store(h, a, 0, b);
    gct_store(h, b, 0, a);
    gct_store(h, holder, 0, a);
    gct_root_pop(h);
    gct_root_pop(h);
    keep_n(R, 5);
    gct_store(h, holder, 0, NULL);
    keep_n(R, 8);
}

Test(incremental, the_budget_pulls_pending_objects_and_what_they_reach)
{
    gct_heap *h = incremental("patch=2", "heap_base=400");
    recorder R;
    attach(&R, h);
    old_garbage(&R, h);
    const step e[] = {
        {0, 2, 0, GCT_PAUSE_GEN2, 0},  {4, 1, 0, GCT_PAUSE_MARK, 0},
        {8, 1, 0, GCT_PAUSE_GEN1, 8},  {12, 1, 0, GCT_PAUSE_MARK, 0},
        {16, 1, 2, GCT_PAUSE_GEN1, 16},
    };
    assert_steps(&R, e, sizeof e / sizeof e[0]);
    gct_heap_set_frozen_roots(h, false);
    gct_test_heap_done(h);
}

Test(incremental, a_small_heap_fraction_never_reaches_the_pending_garbage)
{
    gct_heap *h = incremental("patch=2", "heap_base=0");
    recorder R;
    attach(&R, h);
    old_garbage(&R, h);
    for (size_t i = 0; i < R.n; i++)
        GCT_ASSERT_EQ(R.r[i].collected, 0, "step #%zu collected the old cycle", i + 1);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 16);
    gct_heap_set_frozen_roots(h, false);
    gct_test_heap_done(h);
}

/*
 * The object a frame holds (`self` in __init__, where a `new` reaches its
 * safepoint) is marked by every step, MARK or COLLECT: it leaves young
 * before the increment, so the increment is one smaller.
 */
Test(incremental, the_frame_object_is_marked_not_collected)
{
    gct_heap *h = incremental("patch=2", "heap_base=0");
    recorder R;
    attach(&R, h);
    gct_heap_set_frozen_roots(h, true);
    GCT_ASSERT_EQ(collect(&R, 2), 0);
    for (int i = 0; i < 8; i++) {
        gct_obj *o = alloc_keep(&R, &node);
        gct_heap_set_frame_object(h, o);
        size_t before = R.n;
        gct_heap_safepoint(h);
        after_alloc(&R, before);
        gct_heap_set_frame_object(h, NULL);
    }
    /* 4th: MARK marks the 4th object (work 4 - 2*1 = 2).  8th: work 6;
     * young is 1..3 and 5..8, the 8th is marked (work 5), the increment is
     * the other 6: examined 6 + 1 marked. */
    const step e[] = {
        {0, 2, 0, GCT_PAUSE_GEN2, 0},
        {4, 1, 0, GCT_PAUSE_MARK, 1},
        {8, 1, 0, GCT_PAUSE_GEN1, 7},
    };
    assert_steps(&R, e, sizeof e / sizeof e[0]);
    gct_heap_set_frozen_roots(h, false);
    gct_test_heap_done(h);
}

/*
 * tp_traverse order decides where move_unreachable puts what it finds
 * reachable after all, and so the order of the pending space and what a
 * budget-bound increment takes (tests/traces/list-order.trace is the same
 * sequence on a real interpreter).  Young is 8 fillers, A (a self-loop),
 * the cycle B1 -> B2 -> B3 -> B1, and L (9 slots: L.s0 = A, L.s8 = B1),
 * only L and the fillers on the root stack.  Collection is off; explicit
 * steps:
 *  - MARK (nothing: the roots are frozen), then COLLECT: move_unreachable
 *    puts A and B1..B3 aside (gc_refs 0) and brings them back as L's scan
 *    reaches them: a list (last slot first) brings B1 and then A, a
 *    __slots__ object A first.  Pending is now fillers, L, then B1, A or
 *    A, B1.
 *  - L's slots emptied: A and the B cycle are garbage.  5 kept objects,
 *    MARK (work 5 + min(heap/100, 2*5) = 15: heap_base makes the heap
 *    fraction big, as the interpreter's objects do), COLLECT: young 5, then the
 *    pending heads one at a time while the size is under 15: 8 fillers and
 *    L make 14, so one more head: B1 with B2 and B3 (3 collected) for the
 *    list, A alone (1) for the __slots__ object.
 */
static int64_t garbage_behind_a_container(gct_shape *lshape)
{
    const char *knobs[] = {"gen0=0", "patch=2", "heap_base=1000000"};
    gct_heap *h = gct_test_heap_knobs("gencycle314", knobs, 3);
    gct_heap_set_verify_each(h, true);
    gct_heap_set_frozen_roots(h, true);
    gct_heap_collect(h, 2);
    for (int i = 0; i < 8; i++)
        gct_new(h, &node);
    gct_obj *a = gct_new(h, &node);
    gct_store(h, a, 0, a);
    gct_obj *b1 = gct_new(h, &node), *b2 = gct_new(h, &node), *b3 = gct_new(h, &node);
    gct_store(h, b1, 0, b2);
    gct_store(h, b2, 0, b3);
    gct_store(h, b3, 0, b1);
    gct_obj *l = gct_new(h, lshape);
    gct_store(h, l, 0, a);
    gct_store(h, l, 8, b1);
    gct_root_set(h, gct_root_depth(h) - 5, l);
    gct_root_truncate(h, gct_root_depth(h) - 4);
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 0); /* MARK */
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 0); /* everything survives; complete */
    gct_store(h, l, 0, NULL);
    gct_store(h, l, 8, NULL);
    for (int i = 0; i < 5; i++)
        gct_new(h, &node);
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 0); /* MARK */
    int64_t collected = gct_heap_collect(h, 1);
    gct_heap_set_frozen_roots(h, false);
    gct_test_heap_done(h);
    return collected;
}

Test(incremental, a_list_is_traversed_last_slot_first)
{
    gct_shape list9, slots9;
    gct_shape_init(&list9, "list9", 9, 0);
    list9.flags |= GCT_SHAPE_REVERSE;
    gct_shape_init(&slots9, "slots9", 9, 0);
    GCT_ASSERT_EQ(garbage_behind_a_container(&list9), 3);
    GCT_ASSERT_EQ(garbage_behind_a_container(&slots9), 1);
}

/* get_count() is (young, visited space, pending space): gc.collect(0) adds
 * to the visited one, a completed scavenge swaps them, collect(2) zeroes.
 * (3.14.0's accounting: the MARK step leaves work owed, which 3.14.1 would
 * pay off with an early return instead of completing the scavenge.) */
Test(incremental, get_count_follows_the_spaces)
{
    const char *knobs[] = {"gen0=0", "patch=0", "heap_base=0"};
    gct_heap *h = gct_test_heap_knobs("gencycle314", knobs, 3);
    gct_heap_set_verify_each(h, true);
    gct_new(h, &node);
    gct_heap_collect(h, 2); /* the work owed from start-up (-5000) is gone */
    gct_heap_collect(h, 0);
    assert_count(h, 0, 1, 0);
    gct_heap_collect(h, 0);
    assert_count(h, 0, 2, 0);
    gct_heap_collect(h, 1); /* MARK */
    gct_heap_collect(h, 1); /* nothing pending: complete, the spaces flip */
    assert_count(h, 0, 0, 2);
    gct_heap_collect(h, 2);
    assert_count(h, 0, 0, 0);
    gct_test_heap_done(h);
}
