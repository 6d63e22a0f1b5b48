/*
 * test-conformance-chains.c — every backend on 10,000,000-long chains and rings (no recursion
 * anywhere) and on reference-count cascades recorded as pauses.
 *
 * The expected semantics, the test context (a heap plus a model of its
 * accounting) and the checked operations: common/conformance_common.h.
 *
 * Environment:
 *   GCT_CHAIN_LEN=N   length of the long chains and rings (default
 *                     10,000,000); lower it under valgrind.
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

/* ---- long chains: no recursion anywhere ---------------------------------- */

/* A chain of GCT_CHAIN_LEN (10M) objects dropped at once: reference
 * counting frees it by one cascade (recorded as one pause), marksweep by one
 * mark and sweep. */
BACKEND_TEST(chain_10m_freed)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_heap_set_enabled(t.h, false); /* no automatic collection while building */
    int64_t n = chain_len();
    build_chain(&t, &link_shape, n, NULL);
    ACCT(&t);
    size_t np = gct_heap_npauses(t.h);
    uint64_t t0 = gct_now_ns();
    gct_root_pop(t.h);
    uint64_t t1 = gct_now_ns();
    if (t.rc) {
        GONE(&t, &link_shape, n);
        ACCT(&t);
        if (n >= cascade_limit(&t)) {
            GCT_ASSERT_EQ(gct_heap_npauses(t.h), np + 1, "%s: %zu pauses for one cascade", t.be,
                          gct_heap_npauses(t.h) - np);
            check_pause(&t, &gct_heap_pauses(t.h)[np], GCT_PAUSE_CASCADE, n, t0, t1, __LINE__);
            GCT_ASSERT_EQ(gct_heap_pauses(t.h)[np].examined, n);
        } else {
            GCT_ASSERT_EQ(gct_heap_npauses(t.h), np);
        }
        COLLECT(&t, 0);
    } else {
        ACCT(&t); /* nothing is freed outside a collection */
        GCT_ASSERT_EQ(gct_heap_npauses(t.h), np);
        LEAKS(&t, n, n * osize(&t, &link_shape));
        COLLECT(&t, t.collects ? n : 0);
        if (t.collects)
            GONE(&t, &link_shape, n);
        ACCT(&t);
    }
    LEAKS(&t, 0, 0);
    close_heap(&t);
}

/* A live chain of GCT_CHAIN_LEN objects through a full collection: marked
 * (marksweep) or scanned (gencycle) without recursion, and nothing freed. */
BACKEND_TEST(chain_10m_marked_live)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_heap_set_enabled(t.h, false);
    int64_t n = chain_len();
    gct_obj *tail = NULL;
    gct_obj *head = build_chain(&t, &link_shape, n, &tail);
    ACCT(&t);
    const gct_pause *p = COLLECT(&t, 0);
    if (p)
        GCT_ASSERT_GEQ(p->examined, n, "%s: a full collection examined %" PRId64 " of %" PRId64,
                       t.be, p->examined, n);
    ACCT(&t);
    LEAKS(&t, 0, 0);
    int64_t len = 0;
    gct_obj *x = head, *last = NULL;
    for (; x; x = gct_load(x, 0)) {
        cr_assert_not(x->flags & (GCT_OF_FREE | GCT_OF_BACKEND_MASK),
                      "%s: chain node %" PRId64 " flags 0x%x", t.be, len, x->flags);
        last = x;
        len++;
    }
    GCT_ASSERT_EQ(len, n, "%s: chain of %" PRId64 " has %" PRId64 " nodes after the collection",
                  t.be, n, len);
    GCT_ASSERT_EQ(last, tail);
    close_heap(&t); /* teardown with 10M live objects */
}

/* A garbage ring of GCT_CHAIN_LEN objects: one full collection frees it
 * (gencycle: clearing the first object's slot starts a 10M cascade inside the
 * collection); reference counting leaks exactly all of it. */
BACKEND_TEST(ring_10m_collected)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_heap_set_enabled(t.h, false);
    int64_t n = chain_len();
    gct_obj *tail = NULL;
    gct_obj *head = build_chain(&t, &link_shape, n, &tail);
    gct_store(t.h, tail, 0, head);
    size_t np = gct_heap_npauses(t.h);
    gct_root_pop(t.h);
    ACCT(&t);
    GCT_ASSERT_EQ(gct_heap_npauses(t.h), np);
    LEAKS(&t, n, n * osize(&t, &link_shape));
    COLLECT(&t, t.collects ? n : 0);
    if (t.collects) {
        GONE(&t, &link_shape, n);
        LEAKS(&t, 0, 0);
    } else {
        LEAKS(&t, n, n * osize(&t, &link_shape));
    }
    ACCT(&t);
    close_heap(&t); /* refcount: the teardown releases the leaked ring */
}

/* ---- reference-count cascades as pauses ---------------------------------- */

/* A binary tree of the given depth rooted on the stack; returns its size. */
static int64_t build_tree(tc *t, int depth)
{
    gct_obj *o = NEW(t, &pair_shape);
    int64_t n = 1;
    if (depth > 1) {
        for (uint32_t i = 0; i < 2; i++) {
            n += build_tree(t, depth - 1);
            gct_store(t->h, o, i, gct_root_top(t->h));
            gct_root_pop(t->h);
        }
    }
    return n;
}

/* Drop the top root, which frees `n` objects of shape s by a cascade, and
 * check that a pause is recorded exactly when n >= the cascade limit. */
static void drop_cascade(tc *t, const gct_shape *s, int64_t n, int line)
{
    size_t np = gct_heap_npauses(t->h);
    uint64_t t0 = gct_now_ns();
    gct_root_pop(t->h);
    uint64_t t1 = gct_now_ns();
    GONE(t, s, n);
    check_acct(t, line);
    check_verify(t, line);
    int64_t limit = cascade_limit(t);
    if (n >= limit) {
        GCT_ASSERT_EQ(gct_heap_npauses(t->h), np + 1,
                      "%s, line %d: a cascade of %" PRId64 " (limit %" PRId64
                      ") recorded %zu pauses",
                      t->be, line, n, limit, gct_heap_npauses(t->h) - np);
        const gct_pause *p = &gct_heap_pauses(t->h)[np];
        check_pause(t, p, GCT_PAUSE_CASCADE, n, t0, t1, line);
        GCT_ASSERT_EQ(p->examined, n, "%s, line %d: cascade examined %" PRId64, t->be, line,
                      p->examined);
    } else {
        GCT_ASSERT_EQ(gct_heap_npauses(t->h), np,
                      "%s, line %d: a cascade of %" PRId64 " (limit %" PRId64 ") recorded a pause",
                      t->be, line, n, limit);
    }
}

BACKEND_TEST(cascade_pause)
{
    tc t;
    open_heap(&t, bp, NULL, 0);
    gct_heap_set_enabled(t.h, false); /* only cascades may record pauses */
    int64_t limit = cascade_limit(&t);
    if (!t.rc) {
        /* No reference counts: dropping a chain frees and records nothing. */
        build_chain(&t, &link_shape, 1000, NULL);
        gct_root_pop(t.h);
        ACCT(&t);
        GCT_ASSERT_EQ(gct_heap_npauses(t.h), 0);
        COLLECT(&t, t.collects ? 1000 : 0);
        if (t.collects)
            GONE(&t, &link_shape, 1000);
        ACCT(&t);
        close_heap(&t);
        return;
    }
    GCT_ASSERT_EQ(limit, 1000, "%s: the cascade knob defaults to %" PRId64 ", documented 1000",
                  t.be, limit);
    build_chain(&t, &link_shape, limit - 1, NULL);
    drop_cascade(&t, &link_shape, limit - 1, __LINE__);
    build_chain(&t, &link_shape, limit, NULL);
    drop_cascade(&t, &link_shape, limit, __LINE__);
    build_chain(&t, &link_shape, 3 * limit, NULL);
    drop_cascade(&t, &link_shape, 3 * limit, __LINE__);

    char err[256];
    GCT_ASSERT_EQ(gct_heap_set_knob(t.h, "cascade", 10, err, sizeof err), GCT_OK, "%s: %s", t.be,
                  err);
    GCT_ASSERT_EQ(cascade_limit(&t), 10);
    build_chain(&t, &link_shape, 9, NULL);
    drop_cascade(&t, &link_shape, 9, __LINE__);
    build_chain(&t, &link_shape, 10, NULL);
    drop_cascade(&t, &link_shape, 10, __LINE__);
    build_chain(&t, &link_shape, 1, NULL);
    drop_cascade(&t, &link_shape, 1, __LINE__);
    int64_t n = build_tree(&t, 4); /* 15 objects, branching */
    GCT_ASSERT_EQ(n, 15);
    drop_cascade(&t, &pair_shape, n, __LINE__);

    GCT_ASSERT_EQ(gct_heap_set_knob(t.h, "cascade", 2, err, sizeof err), GCT_OK, "%s: %s", t.be,
                  err);
    build_chain(&t, &link_shape, 1, NULL);
    drop_cascade(&t, &link_shape, 1, __LINE__); /* a single object is never a cascade */
    build_chain(&t, &link_shape, 2, NULL);
    drop_cascade(&t, &link_shape, 2, __LINE__);

    /* A cascade started by a store (the old value's last reference). */
    gct_obj *holder = NEW(&t, &pair_shape);
    build_chain(&t, &link_shape, 5, NULL);
    gct_store(t.h, holder, 0, gct_root_top(t.h));
    gct_root_pop(t.h);
    size_t np = gct_heap_npauses(t.h);
    gct_store(t.h, holder, 0, NULL);
    GONE(&t, &link_shape, 5);
    ACCT(&t);
    GCT_ASSERT_EQ(gct_heap_npauses(t.h), np + 1, "%s: a store's cascade recorded no pause", t.be);
    GCT_ASSERT_EQ(gct_heap_pauses(t.h)[np].kind, GCT_PAUSE_CASCADE);
    GCT_ASSERT_EQ(gct_heap_pauses(t.h)[np].freed, 5);

    /* Recording off: no pause. */
    gct_heap_set_record_pauses(t.h, false);
    np = gct_heap_npauses(t.h);
    build_chain(&t, &link_shape, 50, NULL);
    gct_root_pop(t.h);
    GONE(&t, &link_shape, 50);
    ACCT(&t);
    GCT_ASSERT_EQ(gct_heap_npauses(t.h), np, "%s: a pause was recorded with recording off", t.be);
    close_heap(&t);
}
