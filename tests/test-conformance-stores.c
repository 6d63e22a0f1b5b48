/*
 * test-conformance-stores.c — every backend on stores, automatic collection at the
 * threshold, and collections of each generation (and of bad ones).
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

/* ---- stores, automatic collection, bad generations ----------------------- */

BACKEND_TEST(store_semantics)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_obj *a = NEW(&t, &pair_shape); /* root 0 */
    gct_obj *x = NEW(&t, &atom_shape); /* root 1 */
    gct_store(t.h, a, 0, x);
    gct_store(t.h, a, 1, x);
    gct_store(t.h, a, 1, x); /* the same value again */
    if (t.rc)
        GCT_ASSERT_EQ(x->refcnt, 3, "%s: x.refcnt %u", t.be, x->refcnt);
    gct_store(t.h, a, 2, a); /* self-reference */
    if (t.rc)
        GCT_ASSERT_EQ(a->refcnt, 2, "%s: a.refcnt %u", t.be, a->refcnt);
    VERIFY(&t);
    gct_store(t.h, a, 2, NULL);
    gct_store(t.h, a, 1, NULL);
    VERIFY(&t);
    /* x's only reference is a.0: storing x over itself must not free it
     * (incref before decref). */
    gct_root_set(t.h, 1, NULL);
    if (t.rc)
        GCT_ASSERT_EQ(x->refcnt, 1, "%s: x.refcnt %u", t.be, x->refcnt);
    gct_store(t.h, a, 0, x);
    ACCT(&t);
    VERIFY(&t);
    GCT_ASSERT_EQ(gct_load(a, 0), x);
    cr_assert_not(x->flags & GCT_OF_FREE);
    gct_store(t.h, a, 0, NULL);
    if (t.rc)
        GONE(&t, &atom_shape, 1);
    ACCT(&t);
    COLLECT(&t, t.collects && !t.rc ? 1 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &atom_shape, 1);
    ACCT(&t);
    cr_assert_null(gct_load(a, 0));
    cr_assert_null(gct_load(a, 1));
    cr_assert_null(gct_load(a, 2));
    /* Roots: push NULL, push an existing object, truncate. */
    gct_root_push(t.h, NULL);
    gct_root_push(t.h, a);
    if (t.rc)
        GCT_ASSERT_EQ(a->refcnt, 2);
    VERIFY(&t);
    gct_root_truncate(t.h, 1);
    VERIFY(&t);
    gct_root_truncate(t.h, 0);
    if (t.rc)
        GONE(&t, &pair_shape, 1);
    COLLECT(&t, t.collects && !t.rc ? 1 : 0);
    if (t.collects && !t.rc)
        GONE(&t, &pair_shape, 1);
    ACCT(&t);
    close_heap(&t);
}

static bool has_knob(const gct_collector *c, const char *name)
{
    for (uint32_t i = 0; i < c->nknobs; i++)
        if (!strcmp(c->knobs[i].name, name))
            return true;
    return false;
}

/* gen0=5: the collection runs at the allocation that takes the count past
 * 5, before the new object exists, and frees a young garbage cycle. */
BACKEND_TEST(auto_collect_at_threshold)
{
    const gct_collector *c = gct_collector_at(bp->index);
    cr_assert(c);
    tc t;
    if (!has_knob(c, "gen0")) {
        /* No trigger: allocation never collects, however much garbage. */
        open_heap(&t, bp, NULL, 0);
        for (int i = 0; i < 5000; i++) {
            gct_obj *a = NEW(&t, &pair_shape);
            gct_store(t.h, a, 0, a);
            gct_root_pop(t.h);
        }
        GCT_ASSERT_EQ(gct_heap_npauses(t.h), 0, "%s: an allocation recorded a pause", t.be);
        GCT_ASSERT_EQ(t.nev, 0, "%s: an allocation emitted an event", t.be);
        ACCT(&t);
        close_heap(&t);
        return;
    }
    if (c->cpython && !strcmp(c->cpython, "3.14")) {
        /* The incremental collector's first scheduled step marks and
         * collects nothing: test-incremental.c has its sequences. */
        return;
    }
    static const char *const knobs[] = {"gen0=5"};
    open_heap(&t, bp, knobs, 1);
    gct_obj *a = NEW(&t, &pair_shape);
    gct_obj *b = NEW(&t, &pair_shape);
    gct_store(t.h, a, 0, b);
    gct_store(t.h, b, 0, a);
    gct_root_truncate(t.h, 0); /* two allocations, now garbage */
    for (int i = 0; i < 3; i++)
        NEW(&t, &pair_shape);
    GCT_ASSERT_EQ(gct_heap_npauses(t.h), 0, "%s: collected before the count exceeded gen0", t.be);
    GCT_ASSERT_EQ(t.nev, 0);
    /* CPython 3.12+ models only schedule at the allocation; the next
     * safepoint collects, with the new object alive. */
    bool at_safepoint = c->safepoint != NULL;
    uint64_t t0 = gct_now_ns();
    if (!at_safepoint)
        GONE(&t, &pair_shape, 2); /* the sixth allocation collects first */
    gct_obj *n = NEW(&t, &pair_shape);
    if (at_safepoint) {
        GCT_ASSERT_EQ(gct_heap_npauses(t.h), 0, "%s: collected inside the allocation", t.be);
        GONE(&t, &pair_shape, 2);
        gct_heap_safepoint(t.h);
    }
    uint64_t t1 = gct_now_ns();
    GCT_ASSERT_EQ(gct_heap_npauses(t.h), 1, "%s: %zu pauses at the sixth allocation", t.be,
                  gct_heap_npauses(t.h));
    check_pause(&t, &gct_heap_pauses(t.h)[0], young_kind(&t), 2, t0, t1, __LINE__);
    GCT_ASSERT_EQ(t.nev, 2);
    GCT_ASSERT_EQ(t.evs[0].phase, GCT_EVENT_START);
    GCT_ASSERT_EQ(t.evs[1].phase, GCT_EVENT_STOP);
    GCT_ASSERT_EQ(t.evs[1].info.collected, 2);
    cr_assert_not(n->flags & GCT_OF_FREE);
    ACCT(&t);
    VERIFY(&t);
    LEAKS(&t, 0, 0);
    /* Disabled: no automatic collection, however far past the threshold. */
    gct_heap_set_enabled(t.h, false);
    for (int i = 0; i < 50; i++) {
        gct_obj *o = NEW(&t, &pair_shape);
        gct_store(t.h, o, 0, o);
        gct_root_pop(t.h);
        gct_heap_safepoint(t.h);
    }
    GCT_ASSERT_EQ(gct_heap_npauses(t.h), 1, "%s: collected while disabled", t.be);
    COLLECT(&t, 50); /* explicit collection works while disabled */
    GONE(&t, &pair_shape, 50);
    ACCT(&t);
    close_heap(&t);
}

BACKEND_TEST(collect_generations)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    int ng = (int)gct_heap_collector(t.h)->ngenerations;
    int valid = ng ? ng : 1;
    GCT_ASSERT_EQ(gct_heap_collect(t.h, valid), GCT_EINVAL, "%s: generation %d accepted", t.be,
                  valid);
    GCT_ASSERT_EQ(gct_heap_collect(t.h, 1000), GCT_EINVAL);
    GCT_ASSERT_EQ(gct_heap_collect(t.h, -2), GCT_EINVAL);
    GCT_ASSERT_EQ(gct_heap_npauses(t.h), 0, "%s: a rejected collection recorded a pause", t.be);
    for (int g = 0; g < valid; g++) {
        int64_t r = gct_heap_collect(t.h, g);
        GCT_ASSERT_EQ(r, 0, "%s: collecting generation %d of an empty heap returned %" PRId64, t.be,
                      g, r);
        VERIFY(&t);
    }
    /* An empty heap: a full collection finds nothing and still records. */
    const gct_pause *p = COLLECT(&t, 0);
    if (p)
        GCT_ASSERT_EQ(p->examined, 0, "%s: examined %" PRId64 " objects of an empty heap", t.be,
                      p->examined);
    ACCT(&t);
    close_heap(&t);
}
