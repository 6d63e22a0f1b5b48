/*
 * test-conformance-weakrefs.c — every backend on weak references: kept, cleared, to garbage
 * cycles, dying before their target, within garbage, to weak references.
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

/* ---- weak references ----------------------------------------------------- */

BACKEND_TEST(weakref_kept_while_target_lives)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *tgt = NEW(&t, &pair_shape);
    gct_obj *w = WEAK(&t, tgt);
    if (t.rc)
        GCT_ASSERT_EQ(tgt->refcnt, 1, "%s: a weak reference took a strong reference", t.be);
    VERIFY(&t);
    for (int i = 0; i < 3; i++) {
        COLLECT(&t, 0);
        GCT_ASSERT_EQ(gct_weakref_get(w), tgt, "%s: weak reference lost a live target", t.be);
    }
    /* Kept alive by a slot instead of a root: still read. */
    gct_obj *holder = NEW(&t, &pair_shape);
    gct_store(t.h, holder, 0, tgt);
    gct_root_set(t.h, 0, NULL);
    ACCT(&t);
    COLLECT(&t, 0);
    GCT_ASSERT_EQ(gct_weakref_get(w), tgt, "%s: weak reference lost a live target", t.be);
    cr_assert(tgt->flags & GCT_OF_WEAKREFD);
    ACCT(&t);
    close_heap(&t);
}

BACKEND_TEST(weakref_cleared_when_target_dies)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *atom = NEW(&t, &atom_shape); /* root 0 */
    gct_obj *cont = NEW(&t, &pair_shape); /* root 1 */
    gct_obj *wa1 = WEAK(&t, atom);        /* root 2 */
    gct_obj *wa2 = WEAK(&t, atom);        /* root 3 */
    gct_obj *wc = WEAK(&t, cont);         /* root 4 */
    gct_root_set(t.h, 0, NULL);
    gct_root_set(t.h, 1, NULL);
    if (t.rc) {
        GONE(&t, &atom_shape, 1);
        GONE(&t, &pair_shape, 1);
        cr_assert_null(gct_weakref_get(wa1), "%s: weak reference not cleared at refcount zero",
                       t.be);
        cr_assert_null(gct_weakref_get(wa2), "%s: weak reference not cleared at refcount zero",
                       t.be);
        cr_assert_null(gct_weakref_get(wc), "%s: weak reference not cleared at refcount zero",
                       t.be);
    } else {
        /* Not dead until collected. */
        GCT_ASSERT_EQ(gct_weakref_get(wa1), atom);
        GCT_ASSERT_EQ(gct_weakref_get(wa2), atom);
        GCT_ASSERT_EQ(gct_weakref_get(wc), cont);
    }
    ACCT(&t);
    VERIFY(&t);
    int64_t expect = 0;
    if (t.collects && !t.rc)
        expect = tracked(&t, &atom_shape) + tracked(&t, &pair_shape);
    COLLECT(&t, expect);
    if (t.collects && !t.rc) {
        GONE(&t, &atom_shape, 1);
        GONE(&t, &pair_shape, 1);
    }
    ACCT(&t);
    cr_assert_null(gct_weakref_get(wa1), "%s: weak reference to a dead target", t.be);
    cr_assert_null(gct_weakref_get(wa2), "%s: weak reference to a dead target", t.be);
    cr_assert_null(gct_weakref_get(wc), "%s: weak reference to a dead target", t.be);
    /* A cleared weak reference dies cleanly. */
    gct_root_truncate(t.h, 0);
    if (t.rc)
        GONE(&t, &gct_weakref_shape, 3);
    COLLECT(&t, t.collects && !t.rc ? 3 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &gct_weakref_shape, 3);
    ACCT(&t);
    LEAKS(&t, 0, 0);
    close_heap(&t);
}

/* A weak reference to a member of a garbage cycle: cleared by the full
 * collection that frees the cycle; under pure reference counting the cycle
 * leaks and the weak reference keeps reading it. */
BACKEND_TEST(weakref_to_garbage_cycle)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *a = NEW(&t, &pair_shape); /* root 0 */
    gct_obj *b = NEW(&t, &pair_shape); /* root 1 */
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    gct_obj *w = WEAK(&t, a); /* root 2 */
    gct_root_set(t.h, 0, NULL);
    gct_root_set(t.h, 1, NULL);
    ACCT(&t);
    GCT_ASSERT_EQ(gct_weakref_get(w), a, "%s: the cycle is not dead before a collection", t.be);
    LEAKS(&t, 2, 2 * osize(&t, &pair_shape));
    COLLECT(&t, t.collects ? 2 : 0);
    if (t.collects) {
        GONE(&t, &pair_shape, 2);
        cr_assert_null(gct_weakref_get(w), "%s: weak reference to a collected cycle not cleared",
                       t.be);
        LEAKS(&t, 0, 0);
    } else {
        GCT_ASSERT_EQ(gct_weakref_get(w), a, "%s: weak reference to a leaked cycle lost it", t.be);
        GCT_ASSERT_EQ(gct_load(a, 0), b);
        LEAKS(&t, 2, 2 * osize(&t, &pair_shape));
    }
    ACCT(&t);
    gct_root_pop(t.h); /* the weak reference dies: after its target, or before it (leak) */
    if (t.rc)
        GONE(&t, &gct_weakref_shape, 1);
    COLLECT(&t, t.collects && !t.rc ? 1 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &gct_weakref_shape, 1);
    ACCT(&t);
    if (!t.collects)
        cr_assert_not(a->flags & GCT_OF_WEAKREFD, "%s: leaked target still flagged", t.be);
    close_heap(&t);
}

/* Weak references that die before their target, in every position of the
 * target's chain (middle, head, last), then a new one after all are gone. */
BACKEND_TEST(weakref_dies_before_target)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *tgt = NEW(&t, &pair_shape); /* root 0 */
    gct_obj *w1 = WEAK(&t, tgt);         /* root 1 */
    gct_obj *w2 = WEAK(&t, tgt);         /* root 2 */
    gct_obj *w3 = WEAK(&t, tgt);         /* root 3 */
    GCT_ASSERT_EQ(gct_root_get(t.h, 1), w1);
    GCT_ASSERT_EQ(gct_root_get(t.h, 2), w2);
    GCT_ASSERT_EQ(gct_root_get(t.h, 3), w3);
    static const size_t order[] = {2, 3, 1}; /* w2 (middle), w3 (head), w1 (last) */
    for (size_t k = 0; k < 3; k++) {
        gct_root_set(t.h, order[k], NULL);
        if (t.rc)
            GONE(&t, &gct_weakref_shape, 1);
        ACCT(&t);
        COLLECT(&t, t.collects && !t.rc ? 1 : 0);
        if (t.collects && !t.rc)
            GONE(&t, &gct_weakref_shape, 1);
        ACCT(&t);
        for (size_t j = k + 1; j < 3; j++)
            GCT_ASSERT_EQ(gct_weakref_get(gct_root_get(t.h, order[j])), tgt,
                          "%s: weak reference %zu lost its target when %zu died", t.be, order[j],
                          order[k]);
        if (k < 2)
            cr_assert(tgt->flags & GCT_OF_WEAKREFD, "%s: target lost its flag too early", t.be);
    }
    cr_assert_not(tgt->flags & GCT_OF_WEAKREFD,
                  "%s: target still flagged weakly referenced after its last weak reference died",
                  t.be);
    /* A fresh weak reference to the same target, then the target dies. */
    gct_obj *w4 = WEAK(&t, tgt); /* root 4 */
    gct_root_set(t.h, 0, NULL);
    if (t.rc)
        GONE(&t, &pair_shape, 1);
    COLLECT(&t, t.collects && !t.rc ? 1 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &pair_shape, 1);
    ACCT(&t);
    cr_assert_null(gct_weakref_get(w4), "%s: weak reference to a dead target", t.be);
    close_heap(&t);
}

/* A garbage cycle holds a weak reference to a live object: the weak reference
 * dies with the cycle and must leave the target's chain (a stale entry would
 * be written through when the target dies or gets a new weak reference). */
BACKEND_TEST(weakref_garbage_to_live)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *l = NEW(&t, &pair_shape); /* root 0 */
    gct_obj *a = NEW(&t, &pair_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    gct_obj *w = WEAK(&t, l);
    gct_store(t.h, a, 1, w);
    gct_root_truncate(t.h, 1);
    ACCT(&t);
    int64_t bytes = 2 * osize(&t, &pair_shape) + osize(&t, &gct_weakref_shape);
    LEAKS(&t, 3, bytes);
    int64_t expect = 0;
    if (t.collects)
        expect = 2 * tracked(&t, &pair_shape) + tracked(&t, &gct_weakref_shape);
    COLLECT(&t, expect);
    if (t.collects) {
        GONE(&t, &pair_shape, 2);
        GONE(&t, &gct_weakref_shape, 1);
        cr_assert_not(l->flags & GCT_OF_WEAKREFD,
                      "%s: target still flagged after its weak reference was collected", t.be);
    } else {
        GCT_ASSERT_EQ(gct_weakref_get(w), l);
    }
    ACCT(&t);
    gct_obj *w2 = WEAK(&t, l); /* root 1: links into l's chain */
    gct_root_set(t.h, 0, NULL);
    if (t.rc)
        GONE(&t, &pair_shape, 1);
    COLLECT(&t, t.collects && !t.rc ? 1 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &pair_shape, 1);
    ACCT(&t);
    cr_assert_null(gct_weakref_get(w2), "%s: weak reference to a dead target", t.be);
    if (!t.collects) {
        cr_assert_null(gct_weakref_get(w), "%s: leaked weak reference to a dead target", t.be);
        LEAKS(&t, 3, bytes);
    }
    close_heap(&t);
}

/* A garbage cycle holds a weak reference to one of its own members. */
BACKEND_TEST(weakref_within_garbage_cycle)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *a = NEW(&t, &pair_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    gct_obj *w = WEAK(&t, b);
    gct_store(t.h, a, 1, w);
    gct_obj *w2 = WEAK(&t, a); /* and one from outside, kept */
    gct_root_set(t.h, 0, NULL);
    gct_root_set(t.h, 1, NULL);
    gct_root_set(t.h, 2, NULL);
    ACCT(&t);
    int64_t bytes = 2 * osize(&t, &pair_shape) + osize(&t, &gct_weakref_shape);
    LEAKS(&t, 3, bytes);
    int64_t expect = 0;
    if (t.collects)
        expect = 2 * tracked(&t, &pair_shape) + tracked(&t, &gct_weakref_shape);
    COLLECT(&t, expect);
    if (t.collects) {
        GONE(&t, &pair_shape, 2);
        GONE(&t, &gct_weakref_shape, 1);
        cr_assert_null(gct_weakref_get(w2), "%s: weak reference to a collected object", t.be);
        LEAKS(&t, 0, 0);
    } else {
        GCT_ASSERT_EQ(gct_weakref_get(w), b);
        GCT_ASSERT_EQ(gct_weakref_get(w2), a);
        LEAKS(&t, 3, bytes);
    }
    ACCT(&t);
    close_heap(&t);
}

/* A weak reference to a weak reference. */
BACKEND_TEST(weakref_to_weakref)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *tgt = NEW(&t, &atom_shape); /* root 0 */
    gct_obj *w1 = WEAK(&t, tgt);         /* root 1 */
    gct_obj *w2 = WEAK(&t, w1);          /* root 2 */
    gct_root_set(t.h, 0, NULL);
    if (t.rc)
        GONE(&t, &atom_shape, 1);
    COLLECT(&t, t.collects && !t.rc ? tracked(&t, &atom_shape) : 0);
    if (t.collects && !t.rc)
        GONE(&t, &atom_shape, 1);
    cr_assert_null(gct_weakref_get(w1));
    GCT_ASSERT_EQ(gct_weakref_get(w2), w1);
    gct_root_set(t.h, 1, NULL);
    if (t.rc)
        GONE(&t, &gct_weakref_shape, 1);
    COLLECT(&t, t.collects && !t.rc ? 1 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &gct_weakref_shape, 1);
    cr_assert_null(gct_weakref_get(w2), "%s: weak reference to a dead weak reference", t.be);
    ACCT(&t);
    close_heap(&t);
}
