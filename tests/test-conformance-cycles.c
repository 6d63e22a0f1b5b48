/*
 * test-conformance-cycles.c — every backend on garbage and live cycles: two-cycles, self-loops,
 * rings, cycles rooted or hanging off live data, and the work counters of one
 * small heap worked out by hand.
 *
 * The expected semantics, the test context (a heap plus a model of its
 * accounting) and the checked operations: common/conformance_common.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include "gct_test.h"
#include <criterion/parameterized.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "heap.h"

#include "conformance_common.h"

/* ---- work counters --------------------------------------------------------- */

/*
 * The work of a full collection by hand, per backend.  The heap: a garbage
 * cycle a -> b -> c -> a (link_shape, one slot) and a chain d -> e -> f rooted
 * by d (pair_shape, three slots: d holds e and an atom x, e holds f, the rest
 * NULL).  Seven objects, six containers.
 *  - gencycle, cpython (CPython 3.11's passes): examined = the six
 *    containers; traversed = 2 x their non-NULL references (3 + 3 = 6) = 12:
 *    subtract_refs visits all six, move_unreachable d, e, f (3), the
 *    resurrection check a, b, c (3).
 *  - marksweep: examined = every block swept, 7; traversed = the references
 *    the mark follows from d: d -> e, d -> x, e -> f = 3.
 *  - refcount: no collection, every counter 0.
 */
static const struct {
    const char *name;
    int64_t examined, traversed;
} work_by_hand[] = {
    {"gencycle", 6, 12},
    {"cpython", 6, 12},
    {"marksweep", 7, 3},
    {"refcount", 0, 0},
};

BACKEND_TEST(work_counters_by_hand)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    size_t base = gct_root_depth(t.h);
    gct_obj *a = NEW(&t, &link_shape), *b = NEW(&t, &link_shape), *c = NEW(&t, &link_shape);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, c);
    gct_store(t.h, c, 0, a);
    gct_root_truncate(t.h, base);
    gct_obj *d = NEW(&t, &pair_shape), *e = NEW(&t, &pair_shape), *f = NEW(&t, &pair_shape);
    gct_obj *x = NEW(&t, &atom_shape);
    gct_store(t.h, d, 0, e);
    gct_store(t.h, d, 1, x);
    gct_store(t.h, e, 0, f);
    gct_root_truncate(t.h, base + 1);
    ACCT(&t);
    const gct_pause *p = COLLECT(&t, t.collects ? 3 : 0);
    if (t.collects)
        GONE(&t, &link_shape, 3);
    ACCT(&t);
    int64_t ex = 0, tr = 0, coll = 0;
    for (int g = 0; g < GCT_MAX_GEN; g++) {
        ex += gct_heap_stats(t.h)[g].examined;
        tr += gct_heap_stats(t.h)[g].traversed;
        coll += gct_heap_stats(t.h)[g].collections;
    }
    GCT_ASSERT_EQ(coll, t.collects ? 1 : 0, "%s: %" PRId64 " collections", t.be, coll);
    if (p)
        cr_assert(p->examined == ex && p->traversed == tr, "%s: the pause and the stats differ",
                  t.be);
    size_t k = 0;
    while (k < sizeof work_by_hand / sizeof work_by_hand[0] && strcmp(work_by_hand[k].name, t.be))
        k++;
    if (k == sizeof work_by_hand / sizeof work_by_hand[0]) {
        cr_log_info("%s: no hand-worked numbers; examined %" PRId64 ", traversed %" PRId64, t.be,
                    ex, tr);
    } else {
        cr_assert(ex == work_by_hand[k].examined && tr == work_by_hand[k].traversed,
                  "%s: examined %" PRId64 ", traversed %" PRId64 "; by hand %" PRId64
                  ", %" PRId64,
                  t.be, ex, tr, work_by_hand[k].examined, work_by_hand[k].traversed);
    }
    close_heap(&t);
}

/* ---- cycles -------------------------------------------------------------- */

BACKEND_TEST(two_cycle)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *a = NEW(&t, &pair_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    ACCT(&t);
    VERIFY(&t);
    LEAKS(&t, 0, 0);
    COLLECT(&t, 0); /* rooted: nothing to collect */
    ACCT(&t);
    GCT_ASSERT_EQ(gct_load(a, 0), b);
    GCT_ASSERT_EQ(gct_load(b, 0), a);

    gct_root_pop(t.h);
    gct_root_pop(t.h);
    ACCT(&t); /* a cycle: reference counting frees nothing */
    VERIFY(&t);
    LEAKS(&t, 2, 2 * osize(&t, &pair_shape));

    COLLECT(&t, t.collects ? 2 : 0);
    if (t.collects)
        GONE(&t, &pair_shape, 2);
    ACCT(&t);
    if (t.collects)
        LEAKS(&t, 0, 0);
    else
        LEAKS(&t, 2, 2 * osize(&t, &pair_shape));
    COLLECT(&t, 0); /* nothing left to find */
    close_heap(&t);
}

/* A cycle of a small and a large object (the allocator's two paths). */
BACKEND_TEST(two_cycle_large)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *a = NEW(&t, &big_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    memset(gct_payload(a), 0xab, big_shape.payload);
    gct_store(t.h, a, 1, b);
    gct_store(t.h, b, 2, a);
    gct_root_truncate(t.h, 0);
    ACCT(&t);
    VERIFY(&t);
    int64_t bytes = osize(&t, &big_shape) + osize(&t, &pair_shape);
    LEAKS(&t, 2, bytes);
    COLLECT(&t, t.collects ? 2 : 0);
    if (t.collects) {
        GONE(&t, &big_shape, 1);
        GONE(&t, &pair_shape, 1);
        LEAKS(&t, 0, 0);
    } else {
        LEAKS(&t, 2, bytes);
    }
    ACCT(&t);
    close_heap(&t);
}

BACKEND_TEST(self_loop)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *a = NEW(&t, &link_shape);
    gct_store(t.h, a, 0, a);
    if (t.rc)
        GCT_ASSERT_EQ(a->refcnt, 2, "%s: self-loop refcnt %u", t.be, a->refcnt);
    VERIFY(&t);
    COLLECT(&t, 0);
    GCT_ASSERT_EQ(gct_load(a, 0), a);
    gct_root_pop(t.h);
    ACCT(&t);
    LEAKS(&t, 1, osize(&t, &link_shape));
    VERIFY(&t);
    COLLECT(&t, t.collects ? 1 : 0);
    if (t.collects) {
        GONE(&t, &link_shape, 1);
        LEAKS(&t, 0, 0);
    } else {
        LEAKS(&t, 1, osize(&t, &link_shape));
    }
    ACCT(&t);
    close_heap(&t);
}

/* pyperformance bm_gc_collect: create_gc_cycles(100, 20) makes 100 rings of
 * 21 doubly linked nodes, held by a list; the list is dropped and
 * gc.collect() must find them all.  Default knobs, so gencycle runs its
 * automatic generation-0 collections while the rings are built. */
BACKEND_TEST(rings_of_21)
{
    enum { CYCLES = 100, LINKS = 20 };
    tc t;
    open_heap(&t, bp, NULL, 0);
    for (int i = 0; i < CYCLES; i++)
        create_ring(&t, LINKS);
    ACCT(&t);
    VERIFY(&t);
    LEAKS(&t, 0, 0);
    for (int i = 0; i < CYCLES; i++)
        check_ring(&t, gct_root_get(t.h, (size_t)i), LINKS + 1, __LINE__);
    COLLECT(&t, 0);
    for (int i = 0; i < CYCLES; i++)
        check_ring(&t, gct_root_get(t.h, (size_t)i), LINKS + 1, __LINE__);

    gct_root_truncate(t.h, 0); /* del all_cycles */
    ACCT(&t);
    int64_t n = CYCLES * (LINKS + 1);
    LEAKS(&t, n, n * osize(&t, &node_shape));
    COLLECT(&t, t.collects ? n : 0);
    if (t.collects) {
        GONE(&t, &node_shape, n);
        LEAKS(&t, 0, 0);
    } else {
        LEAKS(&t, n, n * osize(&t, &node_shape));
    }
    ACCT(&t);
    close_heap(&t);
}

/* Some rings stay rooted: exactly the dropped ones are collected, the others
 * come through intact, and are collected once dropped in turn. */
BACKEND_TEST(rings_some_survive)
{
    enum { CYCLES = 30, LINKS = 20 };
    tc t;
    open_heap(&t, bp, NULL, 0);
    for (int i = 0; i < CYCLES; i++)
        create_ring(&t, LINKS);
    int dropped = 0;
    for (int i = 0; i < CYCLES; i++) {
        if (i % 3) {
            gct_root_set(t.h, (size_t)i, NULL);
            dropped++;
        }
    }
    ACCT(&t);
    int64_t n = (int64_t)dropped * (LINKS + 1);
    LEAKS(&t, n, n * osize(&t, &node_shape));
    COLLECT(&t, t.collects ? n : 0);
    if (t.collects)
        GONE(&t, &node_shape, n);
    ACCT(&t);
    for (int i = 0; i < CYCLES; i += 3)
        check_ring(&t, gct_root_get(t.h, (size_t)i), LINKS + 1, __LINE__);

    gct_root_truncate(t.h, 0);
    int64_t rest = (int64_t)(CYCLES - dropped) * (LINKS + 1);
    COLLECT(&t, t.collects ? rest : 0);
    if (t.collects) {
        GONE(&t, &node_shape, rest);
        LEAKS(&t, 0, 0);
    } else {
        LEAKS(&t, n + rest, (n + rest) * osize(&t, &node_shape));
    }
    ACCT(&t);
    close_heap(&t);
}

/* root -> a <-> b: survives full collections (and, for gencycle, ages into
 * the oldest generation), then becomes garbage and is collected from there. */
BACKEND_TEST(rooted_cycle_survives)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *r = NEW(&t, &pair_shape);
    gct_obj *a = NEW(&t, &pair_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    gct_store(t.h, r, 0, a);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    gct_root_pop(t.h);
    gct_root_pop(t.h); /* only r is rooted now */
    ACCT(&t);
    LEAKS(&t, 0, 0);
    for (int round = 0; round < 3; round++) {
        COLLECT(&t, 0);
        ACCT(&t);
        GCT_ASSERT_EQ(gct_load(r, 0), a, "%s: round %d", t.be, round);
        GCT_ASSERT_EQ(gct_load(a, 0), b, "%s: round %d", t.be, round);
        GCT_ASSERT_EQ(gct_load(b, 0), a, "%s: round %d", t.be, round);
        if (t.rc) {
            GCT_ASSERT_EQ(a->refcnt, 2, "%s: a.refcnt %u", t.be, a->refcnt);
            GCT_ASSERT_EQ(b->refcnt, 1, "%s: b.refcnt %u", t.be, b->refcnt);
        }
    }
    gct_root_pop(t.h); /* r dies by reference counting; the cycle stays */
    if (t.rc)
        GONE(&t, &pair_shape, 1);
    ACCT(&t);
    VERIFY(&t);
    int64_t garbage = t.rc ? 2 : 3;
    LEAKS(&t, garbage, garbage * osize(&t, &pair_shape));
    COLLECT(&t, t.collects ? garbage : 0);
    if (t.collects) {
        GONE(&t, &pair_shape, garbage);
        LEAKS(&t, 0, 0);
    } else {
        LEAKS(&t, 2, 2 * osize(&t, &pair_shape));
    }
    ACCT(&t);
    close_heap(&t);
}

/* A rooted graph that uses every slot of a four-slot object, large objects,
 * cross edges and weak references held in slots: full collections free
 * none of it; dropping the root frees all of it. */
BACKEND_TEST(live_graph_survives)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *r = NEW(&t, &wide_shape); /* root 0, the only root afterwards */
    gct_obj *kids[4], *atoms[4], *weaks[4];
    for (uint32_t i = 0; i < 4; i++) {
        kids[i] = NEW(&t, i % 2 ? &big_shape : &pair_shape);
        gct_store(t.h, r, i, kids[i]);
        gct_root_pop(t.h);
        atoms[i] = NEW(&t, &atom_shape);
        gct_store(t.h, kids[i], 1, atoms[i]);
        gct_root_pop(t.h);
        weaks[i] = WEAK(&t, r);
        gct_store(t.h, kids[i], 0, weaks[i]);
        gct_root_pop(t.h);
    }
    for (uint32_t i = 0; i < 4; i += 2)
        gct_store(t.h, kids[i], 2, kids[i + 1]); /* cross edges (no cycle) */
    GCT_ASSERT_EQ(gct_root_depth(t.h), 1);
    ACCT(&t);
    LEAKS(&t, 0, 0);
    for (int round = 0; round < 3; round++) {
        COLLECT(&t, 0);
        ACCT(&t);
        for (uint32_t i = 0; i < 4; i++) {
            GCT_ASSERT_EQ(gct_load(r, i), kids[i], "%s: round %d: r.%u", t.be, round, i);
            GCT_ASSERT_EQ(gct_load(kids[i], 1), atoms[i], "%s: round %d", t.be, round);
            GCT_ASSERT_EQ(gct_load(kids[i], 0), weaks[i], "%s: round %d", t.be, round);
            GCT_ASSERT_EQ(gct_weakref_get(weaks[i]), r, "%s: round %d: weak reference %u lost r",
                          t.be, round, i);
            if (i % 2 == 0)
                GCT_ASSERT_EQ(gct_load(kids[i], 2), kids[i + 1]);
        }
    }
    gct_root_pop(t.h);
    int64_t bytes = osize(&t, &wide_shape) + 2 * osize(&t, &pair_shape) +
                    2 * osize(&t, &big_shape) + 4 * osize(&t, &atom_shape) +
                    4 * osize(&t, &gct_weakref_shape);
    if (t.rc) {
        t.live -= 13;
        t.bytes -= bytes;
        ACCT(&t);
        COLLECT(&t, 0);
    } else {
        ACCT(&t);
        LEAKS(&t, 13, bytes);
        COLLECT(&t, t.collects ? 13 : 0);
        if (t.collects) {
            t.live -= 13;
            t.bytes -= bytes;
        }
        ACCT(&t);
    }
    close_heap(&t);
}

/* A garbage cycle holding the only other reference to a live object: the
 * collection must drop that reference (exact refcount afterwards) and not
 * free the live object. */
BACKEND_TEST(garbage_cycle_pointing_at_live)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *l = NEW(&t, &pair_shape); /* root 0 */
    gct_obj *a = NEW(&t, &pair_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    gct_store(t.h, a, 1, l);
    gct_store(t.h, b, 1, l);
    gct_root_truncate(t.h, 1);
    if (t.rc)
        GCT_ASSERT_EQ(l->refcnt, 3, "%s: l.refcnt %u", t.be, l->refcnt);
    ACCT(&t);
    LEAKS(&t, 2, 2 * osize(&t, &pair_shape));
    COLLECT(&t, t.collects ? 2 : 0);
    if (t.collects) {
        GONE(&t, &pair_shape, 2);
        if (t.rc)
            GCT_ASSERT_EQ(l->refcnt, 1, "%s: l.refcnt %u after the collection", t.be, l->refcnt);
    }
    ACCT(&t);
    cr_assert_not(l->flags & GCT_OF_FREE, "%s: the live object was freed", t.be);
    gct_root_pop(t.h);
    if (t.rc && t.collects)
        GONE(&t, &pair_shape, 1); /* l had no other reference left */
    ACCT(&t);
    COLLECT(&t, t.collects && !t.rc ? 1 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &pair_shape, 1);
    ACCT(&t);
    if (t.collects)
        LEAKS(&t, 0, 0);
    else
        LEAKS(&t, 3, 3 * osize(&t, &pair_shape)); /* the cycle keeps l alive */
    close_heap(&t);
}

/* Acyclic garbage hanging off a garbage cycle: a <-> b, a -> x (atomic),
 * b -> y (container) -> z (atomic).  Everything goes; the result counts the
 * tracked objects only (gencycle: a, b, y; marksweep: all five). */
BACKEND_TEST(garbage_hanging_off_cycle)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *a = NEW(&t, &pair_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    gct_obj *x = NEW(&t, &atom_shape);
    gct_obj *y = NEW(&t, &link_shape);
    gct_obj *z = NEW(&t, &atom_shape);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    gct_store(t.h, a, 1, x);
    gct_store(t.h, b, 1, y);
    gct_store(t.h, y, 0, z);
    gct_root_truncate(t.h, 0);
    ACCT(&t);
    VERIFY(&t);
    int64_t bytes =
        2 * osize(&t, &pair_shape) + 2 * osize(&t, &atom_shape) + osize(&t, &link_shape);
    LEAKS(&t, 5, bytes);
    int64_t expect = 0;
    if (t.collects)
        expect =
            2 * tracked(&t, &pair_shape) + 2 * tracked(&t, &atom_shape) + tracked(&t, &link_shape);
    COLLECT(&t, expect);
    if (t.collects) {
        GONE(&t, &pair_shape, 2);
        GONE(&t, &atom_shape, 2);
        GONE(&t, &link_shape, 1);
        LEAKS(&t, 0, 0);
    } else {
        LEAKS(&t, 5, bytes);
    }
    ACCT(&t);
    close_heap(&t);
}
