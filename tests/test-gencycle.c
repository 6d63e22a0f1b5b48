/*
 * test-gencycle.c — gencycle against CPython 3.11's collector semantics
 * (Modules/gcmodule.c and the gc module's documentation): the gc-module
 * surface, the counting rules, whole counter sequences for small thresholds
 * worked out by hand, and the work counters (examined, traversed) of small
 * heaps worked out by hand.
 *
 * The sequences (suite "sequence", plus no_credit, churn and period_n1 in
 * suite "count") were also run on the real CPython 3.11 by
 * tests/oracle/gc_sequences.py, which carries the same expected values; a
 * difference between the two files is a bug in one of them.
 *
 * Every heap runs with verify_each on, and every test runs the full verifier
 * (exact reference counts) after every collection it causes.
 */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"

static const gct_shape node = GCT_SHAPE("node", 1, 0); /* like a 1-slot __slots__ class */
static const gct_shape pair = GCT_SHAPE("pair", 2, 8);
static const gct_shape atom = GCT_SHAPE("atom", 0, 16); /* like an int: never tracked */

/* ---- helpers --------------------------------------------------------------- */

/* A gencycle heap with the given knobs, verifying after every collection. */
static gct_heap *gencycle(const char *const *knobs, size_t n)
{
    gct_heap *h = gct_test_heap_knobs("gencycle", knobs, n);
    gct_heap_set_verify_each(h, true);
    return h;
}

static gct_heap *gencycle3(int64_t t0, int64_t t1, int64_t t2)
{
    gct_heap *h = gct_test_heap_thresholds("gencycle", t0, t1, t2);
    gct_heap_set_verify_each(h, true);
    return h;
}

#define assert_count(h, c0, c1, c2)                                                            \
    do {                                                                                       \
        cr_assert(h->count[0] == (c0) && h->count[1] == (c1) && h->count[2] == (c2),           \
                  "count is (%" PRId64 ", %" PRId64 ", %" PRId64 "), expected (%d, %d, %d)",   \
                  h->count[0], h->count[1], h->count[2], (int)(c0), (int)(c1), (int)(c2));     \
    } while (0)

#define assert_stats(h, g, ncoll, ncollected)                                                  \
    do {                                                                                       \
        cr_assert(h->stats[g].collections == (ncoll) && h->stats[g].collected == (ncollected) \
                      && h->stats[g].uncollectable == 0,                                       \
                  "stats[%d] = {%" PRId64 ", %" PRId64 ", %" PRId64 "}, expected {%d, %d, 0}", \
                  (int)(g), h->stats[g].collections, h->stats[g].collected,                  \
                  h->stats[g].uncollectable, (int)(ncoll), (int)(ncollected));               \
    } while (0)

/* Examined objects of the last pause: the size of the collected set. */
static int64_t last_examined(const gct_heap *h)
{
    cr_assert(gct_heap_npauses(h) > 0, "no pause recorded");
    return gct_heap_pauses(h)[gct_heap_npauses(h) - 1].examined;
}

/* ---- the event recorder (gc.callbacks) ------------------------------------ */

#define MAXREC 512

typedef struct rec {
    int64_t alloc; /* index of the allocation that triggered it (0: explicit) */
    int gen;
    int64_t collected, uncollectable;
} rec;

typedef struct recorder {
    gct_heap *h;
    int64_t alloc; /* allocations made so far through the helpers below */
    rec r[MAXREC];
    size_t n;
    bool open;          /* a START without its STOP yet */
    int protocol_error; /* START inside START, STOP without START, overflow */
    /* Optional: try a nested explicit collection from inside the callback. */
    bool nest;
    int64_t nested[2 * MAXREC];
    size_t nnested;
} recorder;

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    recorder *R = ud;
    if (R->nest && R->nnested + 2 <= 2 * MAXREC) {
        R->nested[R->nnested++] = gct_heap_collect(R->h, 0);
        R->nested[R->nnested++] = gct_heap_collect(R->h, GCT_GEN_FULL);
    }
    if (phase == GCT_EVENT_START) {
        if (R->open || R->n >= MAXREC) {
            R->protocol_error++;
            return;
        }
        R->open = true;
        R->r[R->n] = (rec){R->alloc, info->generation, -1, -1};
    } else {
        if (!R->open || info->generation != R->r[R->n].gen) {
            R->protocol_error++;
            return;
        }
        R->open = false;
        R->r[R->n].collected = info->collected;
        R->r[R->n].uncollectable = info->uncollectable;
        R->n++;
    }
}

static void attach(recorder *R, gct_heap *h)
{
    memset(R, 0, sizeof *R);
    R->h = h;
    gct_heap_set_event_fn(h, on_event, R);
}

/* After an allocation: if it triggered a collection, check the events were
 * well formed and run the full verifier. */
static void after_alloc(recorder *R, size_t nbefore)
{
    GCT_ASSERT_EQ(R->protocol_error, 0, "malformed START/STOP events");
    cr_assert(!R->open, "a collection has not reported STOP");
    cr_assert(R->n <= nbefore + 1, "one allocation caused %zu collections", R->n - nbefore);
    if (R->n != nbefore)
        gct_test_verify(R->h);
}

/* Allocate a container, kept alive on the root stack. */
static gct_obj *alloc_keep(recorder *R, const gct_shape *s)
{
    size_t before = R->n;
    R->alloc++;
    gct_obj *o = gct_new(R->h, s);
    after_alloc(R, before);
    return o;
}

/* A two-object cycle A <-> B, created and dropped (allocations A then B). */
static void make_cycle(recorder *R)
{
    gct_obj *a = alloc_keep(R, &node);
    gct_obj *b = alloc_keep(R, &node);
    gct_store(R->h, a, 0, b);
    gct_store(R->h, b, 0, a);
    gct_root_pop(R->h);
    gct_root_pop(R->h);
}

/* Explicit collection through the recorder, verified afterwards. */
static int64_t collect(recorder *R, int gen)
{
    size_t before = R->n;
    int64_t saved = R->alloc;
    R->alloc = 0;
    int64_t r = gct_heap_collect(R->h, gen);
    R->alloc = saved;
    GCT_ASSERT_EQ(R->protocol_error, 0, "malformed START/STOP events");
    cr_assert(!R->open, "a collection has not reported STOP");
    if (r >= 0) {
        GCT_ASSERT_EQ(R->n, before + 1, "collect(%d) reported %zu collections", gen, R->n - before);
        GCT_ASSERT_EQ(R->r[before].collected + R->r[before].uncollectable, r,
                      "collect(%d) returned %" PRId64 " but STOP reported %" PRId64 "+%" PRId64,
                      gen, r, R->r[before].collected, R->r[before].uncollectable);
        gct_test_verify(R->h);
    }
    return r;
}

typedef struct expect {
    int64_t alloc;
    int gen;
    int64_t collected;
    int64_t examined; /* objects in the collected set (from the pause log) */
} expect;

/* The whole recorded sequence must be exactly `e`: same allocation indexes,
 * generations, collected counts; and the pause log must agree. */
static void assert_sequence(const recorder *R, const expect *e, size_t n)
{
    const gct_heap *h = R->h;
    for (size_t i = 0; i < n && i < R->n; i++) {
        const rec *r = &R->r[i];
        cr_assert(r->alloc == e[i].alloc && r->gen == e[i].gen && r->collected == e[i].collected
                      && r->uncollectable == 0,
                  "collection #%zu: got gen%d at allocation %" PRId64 " collecting %" PRId64
                  " (+%" PRId64 " uncollectable), expected gen%d at allocation %" PRId64
                  " collecting %" PRId64,
                  i + 1, r->gen, r->alloc, r->collected, r->uncollectable, e[i].gen, e[i].alloc,
                  e[i].collected);
    }
    GCT_ASSERT_EQ(R->n, n, "%zu collections, expected %zu", R->n, n);
    GCT_ASSERT_EQ(gct_heap_npauses(h), n, "%zu pauses recorded, expected %zu", gct_heap_npauses(h),
                  n);
    for (size_t i = 0; i < n; i++) {
        const gct_pause *p = &gct_heap_pauses(h)[i];
        GCT_ASSERT_EQ((int)p->kind, e[i].gen, "pause #%zu has kind %s", i + 1,
                      gct_pause_kind_name(p->kind));
        GCT_ASSERT_EQ(p->freed, e[i].collected, "pause #%zu freed %" PRId64 ", expected %" PRId64,
                      i + 1, p->freed, e[i].collected);
        GCT_ASSERT_EQ(p->examined, e[i].examined,
                      "collection #%zu (gen%d at allocation %" PRId64 ") examined %" PRId64
                      " objects, expected %" PRId64,
                      i + 1, e[i].gen, e[i].alloc, p->examined, e[i].examined);
    }
}

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
    GCT_ASSERT_EQ(h->live_objects, 0);
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
    GCT_ASSERT_EQ(h->live_objects, 2);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 2);

    GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    gct_test_verify(h);
    /* It is in generation 2: younger collections do not see it. */
    GCT_ASSERT_EQ(collect(&R, 0), 0);
    GCT_ASSERT_EQ(last_examined(h), 0);
    GCT_ASSERT_EQ(collect(&R, 1), 0);
    GCT_ASSERT_EQ(last_examined(h), 0);
    GCT_ASSERT_EQ(h->live_objects, 2);
    GCT_ASSERT_EQ(collect(&R, 2), 2);
    GCT_ASSERT_EQ(last_examined(h), 2);
    GCT_ASSERT_EQ(h->live_objects, 0);
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
    GCT_ASSERT_EQ(h->live_objects, 60);
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
    cr_assert(h->threshold[0] == 100 && h->threshold[1] == 6 && h->threshold[2] == 7);
    GCT_ASSERT_EQ(h->cascade_limit, 50);
    /* gc.set_threshold(100, 9): gen2 keeps its value. */
    GCT_ASSERT_EQ(gct_heap_set_knob(h, "gen1", 9, NULL, 0), GCT_OK);
    cr_assert(h->threshold[0] == 100 && h->threshold[1] == 9 && h->threshold[2] == 7);
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen2", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 7);
    /* The defaults are CPython 3.11's (700, 10, 10). */
    gct_heap *d = gencycle(NULL, 0);
    cr_assert(d->threshold[0] == 700 && d->threshold[1] == 10 && d->threshold[2] == 10);
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
    cr_assert(!h->enabled);
    for (int i = 0; i < 100; i++)
        make_cycle(&R);
    GCT_ASSERT_EQ(R.n, 0, "%zu collections while disabled", R.n);
    assert_count(h, 200, 0, 0);
    GCT_ASSERT_EQ(collect(&R, 0), 200);
    assert_count(h, 0, 1, 0);
    GCT_ASSERT_EQ(h->live_objects, 0);
    /* Enabled again: the strict trigger counts from 0 again. */
    gct_heap_set_enabled(h, true);
    cr_assert(h->enabled);
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
    GCT_ASSERT_EQ(h->live_objects, 2);
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
    GCT_ASSERT_EQ(h->live_objects, 7);
    GCT_ASSERT_EQ(collect(&R, 2), 5);
    GCT_ASSERT_EQ(R.r[0].collected, 5);
    GCT_ASSERT_EQ(R.r[0].uncollectable, 0);
    GCT_ASSERT_EQ(gct_weakref_get(wr), NULL, "the weak reference to garbage was not cleared");
    assert_stats(h, 2, 1, 5);
    GCT_ASSERT_EQ(h->live_objects, 1);
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

/* =========================================================================
 * Counting rules
 * ========================================================================= */

Test(count, containers_and_weakrefs_count_atoms_never)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    gct_obj *t = NULL;
    for (int i = 0; i < 5; i++)
        t = alloc_keep(&R, &atom);
    assert_count(h, 0, 0, 0);
    alloc_keep(&R, &node);
    assert_count(h, 1, 0, 0);
    alloc_keep(&R, &pair);
    assert_count(h, 2, 0, 0);
    gct_weakref_new(h, t); /* a weak reference is a container */
    assert_count(h, 3, 0, 0);
    gct_root_pop(h); /* the weak reference dies */
    assert_count(h, 2, 0, 0);
    gct_root_pop(h); /* the pair */
    assert_count(h, 1, 0, 0);
    gct_root_pop(h); /* the node */
    assert_count(h, 0, 0, 0);
    gct_root_truncate(h, 0); /* atoms: no change */
    assert_count(h, 0, 0, 0);
    /* 10,000 atoms with gen0=0..: never a collection, count untouched. */
    GCT_ASSERT_EQ(gct_heap_set_knob(h, "gen0", 1, NULL, 0), GCT_OK);
    for (int i = 0; i < 10000; i++)
        alloc_keep(&R, &atom);
    GCT_ASSERT_EQ(R.n, 0);
    assert_count(h, 0, 0, 0);
    gct_test_heap_done(h);
}

Test(count, frees_decrement_but_never_below_zero)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 3; i++)
        alloc_keep(&R, &node);
    assert_count(h, 3, 0, 0);
    gct_root_pop(h);
    assert_count(h, 2, 0, 0);
    /* Older objects freed when count[0] is already 0 bank no credit. */
    for (int i = 0; i < 5; i++)
        alloc_keep(&R, &node);
    collect(&R, 0); /* count (0, 1, 0); 7 objects in generation 1 */
    gct_root_truncate(h, 0);
    assert_count(h, 0, 1, 0);
    GCT_ASSERT_EQ(h->live_objects, 0);
    alloc_keep(&R, &node);
    assert_count(h, 1, 1, 0);
    gct_test_heap_done(h);
}

/*
 * no_credit (also in the oracle), gen0=3 gen1=10 gen2=10.  Ten containers
 * are prebuilt while collection is disabled and moved to generation 2 by an
 * explicit collect(2), which leaves count (0, 0, 0).  Then the operations
 * "aaffffaaaaaa" ('a': allocate and keep, 'f': free one prebuilt object):
 *   a1 -> count 1, a2 -> 2, f -> 1, f -> 0, f -> 0 (clamped), f -> 0,
 *   a3 -> 1, a4 -> 2, a5 -> 3, a6 -> 4 > 3: gen0 collection (count[1] = 1),
 *   a7 -> 1, a8 -> 2.
 * So one collection, at allocation 6, examining a1..a5 (5 objects), and a
 * final count of (2, 1, 0).  Had the two clamped frees banked credit
 * (count -2), the collection would have come at a8.
 */
Test(count, frees_before_allocations_bank_no_credit)
{
    gct_heap *h = gencycle3(3, 10, 10);
    recorder R;
    attach(&R, h);
    gct_heap_set_enabled(h, false);
    for (int i = 0; i < 10; i++)
        alloc_keep(&R, &node);
    collect(&R, 2);
    gct_heap_set_enabled(h, true);
    gct_heap_clear_pauses(h);
    attach(&R, h);
    assert_count(h, 0, 0, 0);

    /* The prebuilt objects are roots 0..9; the new ones are pushed above,
     * so a 'free' clears a root slot instead of popping. */
    const char *ops = "aaffffaaaaaa";
    size_t freed = 0;
    for (const char *p = ops; *p; p++) {
        if (*p == 'a') {
            alloc_keep(&R, &node);
        } else {
            gct_root_set(h, freed++, NULL);
        }
    }
    static const expect e[] = {{6, 0, 0, 5}};
    assert_sequence(&R, e, 1);
    assert_count(h, 2, 1, 0);
    GCT_ASSERT_EQ(h->live_objects, 6 + 8);
    gct_test_heap_done(h);
}

/* churn (also in the oracle): allocate a container and drop it at once,
 * 1000 times, gen0=3: count goes 1, 0, 1, 0, ... and never exceeds 3. */
Test(count, churn_never_collects)
{
    gct_heap *h = gencycle3(3, 10, 10);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 1000; i++) {
        alloc_keep(&R, &node);
        gct_root_pop(h);
    }
    GCT_ASSERT_EQ(R.n, 0);
    assert_count(h, 0, 0, 0);
    gct_test_heap_done(h);
}

/* The strict trigger: with gen0=N the first automatic collection happens at
 * container allocation N+1 (count[0] = N+1 > N), it examines the N older
 * objects only, and the new object survives in generation 0 afterwards
 * (an explicit collect(0) then examines exactly that one object). */
Test(count, strict_trigger_at_allocation_n_plus_1)
{
    static const int64_t ns[] = {1, 2, 3, 10, 700};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        int64_t n = ns[k];
        gct_heap *h = gencycle3(n, 10, 10);
        recorder R;
        attach(&R, h);
        gct_obj *o = NULL;
        for (int64_t i = 0; i < n; i++) {
            alloc_keep(&R, &node);
            alloc_keep(&R, &atom); /* atoms in between change nothing */
        }
        GCT_ASSERT_EQ(R.n, 0, "gen0=%" PRId64 ": collected before allocation %" PRId64, n, n + 1);
        assert_count(h, n, 0, 0);
        o = alloc_keep(&R, &node);
        GCT_ASSERT_EQ(R.n, 1, "gen0=%" PRId64 ": no collection at allocation %" PRId64, n, n + 1);
        GCT_ASSERT_EQ(R.r[0].alloc, 2 * n + 1);
        GCT_ASSERT_EQ(R.r[0].gen, 0);
        GCT_ASSERT_EQ(last_examined(h), n, "gen0=%" PRId64 ": the collection examined %" PRId64, n,
                      last_examined(h));
        /* The new object was not counted after the reset, and is alive. */
        assert_count(h, 0, 1, 0);
        GCT_ASSERT_EQ(o->refcnt, 1);
        GCT_ASSERT_EQ(gct_root_top(h), o);
        GCT_ASSERT_EQ(h->live_objects, 2 * n + 1);
        /* It alone is in generation 0. */
        GCT_ASSERT_EQ(collect(&R, 0), 0);
        GCT_ASSERT_EQ(last_examined(h), 1);
        gct_heap_destroy(h);
    }
}

/* period_N1 (also in the oracle): gen0=1, 9 containers kept.  The period
 * is threshold+1 = 2: collections at allocations 2, 4, 6, 8, all gen0
 * (count[1] reaches 4 <= 10); final count (1, 4, 0) from a9.  Examined:
 * a1 at 2, then the two objects since the last collection. */
Test(count, period_is_threshold_plus_one)
{
    gct_heap *h = gencycle3(1, 10, 10);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 9; i++)
        alloc_keep(&R, &node);
    static const expect e[] = {{2, 0, 0, 1}, {4, 0, 0, 2}, {6, 0, 0, 2}, {8, 0, 0, 2}};
    assert_sequence(&R, e, 4);
    assert_count(h, 1, 4, 0);
    assert_stats(h, 0, 4, 0);
    gct_test_heap_done(h);
}

/* =========================================================================
 * Whole sequences worked out by hand (and checked on CPython 3.11 by
 * tests/oracle/gc_sequences.py).
 *
 * Notation: aN is the N-th container allocation; c = (count[0], count[1],
 * count[2]) after it; g0/g1/g2 the generation lists; llp/llt the long-lived
 * pending/total.  The rules applied at each allocation:
 *   c0 += 1; if c0 > t0: for i = 2, 1, 0 take the first with c[i] > t[i],
 *   except i == 2 when llp < llt / 4 (integer division);
 *   collecting g: c[g+1] += 1 (g < 2), c[0..g] = 0, g0..g(g-1) merged into
 *   g, survivors to g+1; after gen1 llp += survivors; after gen2 llp = 0,
 *   llt = survivors.  The new object is appended to g0 after that.
 * With t0 = 3 and no frees outside collections, every 4th allocation
 * collects: 4, 8, 12, ...; a collection at aN resets c0 and aN is not
 * counted, so the next is at aN+4.
 * ========================================================================= */

/*
 * keep_3_2_2: gen0=3 gen1=2 gen2=2, 122 containers kept alive.
 *   a4   gen0: g0 = a1..a3 (3) -> g1.                       c=(0,1,0)
 *   a8   gen0 (c1=1 <= 2): g0 = a4..a7 (4) -> g1 = 7.       c=(0,2,0)
 *   a12  gen0 (c1=2 <= 2): 4 -> g1 = 11.                    c=(0,3,0)
 *   a16  c1=3 > 2: gen1: g1 11 + g0 4 = 15 examined, -> g2; llp=15. c=(0,0,1)
 *   a20, a24, a28 gen0 (c1 1, 2, 3); a32 gen1: g1 12 + g0 4 = 16; llp=31, c2=2
 *   a36, a40, a44 gen0; a48 gen1 (c2=2 is not > 2): 16; llp=47, c2=3
 *   a52  c2=3 > 2 and llp=47 >= llt/4 = 0/4: gen2, examines a1..a51 = 51;
 *        llt=51, llp=0, c=(0,0,0)
 *   a56..a100: the same pattern: gen0 x3, gen1 (16) ... gen1 at 68, 84, 100
 *        (llp 16, 32, 48; c2 1, 2, 3)
 *   a104 c2=3 > 2, llp=48 >= 51/4 = 12: gen2, examines 103; llt=103
 *   a108, a112, a116 gen0; a120 gen1 (c2=1, llp=16).
 *   a121, a122: c=(2,0,1).
 * Collections: gen0 21, gen1 7 (16, 32, 48, 68, 84, 100, 120), gen2 2
 * (52, 104); none collects anything.
 */
Test(sequence, keep_3_2_2_gen2_runs)
{
    gct_heap *h = gencycle3(3, 2, 2);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 122; i++)
        alloc_keep(&R, &node);
    expect e[30];
    size_t n = 0;
    for (int64_t a = 4; a <= 120; a += 4) {
        int gen = 0;
        int64_t ex = a == 4 ? 3 : 4;
        if (a == 16 || a == 32 || a == 48 || a == 68 || a == 84 || a == 100 || a == 120) {
            gen = 1;
            ex = a == 16 ? 15 : 16;
        } else if (a == 52 || a == 104) {
            gen = 2;
            ex = a - 1; /* everything allocated before */
        }
        e[n++] = (expect){a, gen, 0, ex};
    }
    GCT_ASSERT_EQ(n, 30);
    assert_sequence(&R, e, n);
    assert_count(h, 2, 0, 1);
    assert_stats(h, 0, 21, 0);
    assert_stats(h, 1, 7, 0);
    assert_stats(h, 2, 2, 0);
    GCT_ASSERT_EQ(h->live_objects, 122);
    gct_test_heap_done(h);
}

/* Prebuild `l` long-lived containers (collection disabled, like building a
 * big structure under gc.disable()), then collect(2): llt = l, llp = 0,
 * count (0, 0, 0).  The recorder and pause log start afresh afterwards. */
static gct_heap *prebuilt(recorder *R, int64_t l)
{
    gct_heap *h = gencycle3(3, 2, 2);
    attach(R, h);
    gct_heap_set_enabled(h, false);
    for (int64_t i = 0; i < l; i++)
        alloc_keep(R, &node);
    collect(R, 2);
    GCT_ASSERT_EQ(last_examined(h), l);
    gct_heap_set_enabled(h, true);
    assert_count(h, 0, 0, 0);
    attach(R, h);
    gct_heap_clear_pauses(h);
    return h;
}

/*
 * skip_gen2_L200: gen0=3 gen1=2 gen2=2 after 200 prebuilt long-lived
 * objects (llt = 200), then 82 containers kept alive.
 *   a4..a48 exactly as keep_3_2_2: gen1 at 16, 32, 48 with 15, 16, 16
 *        survivors, so llp = 47 and c = (0, 0, 3) after a48.
 *   a52  c2=3 > 2 but llp=47 < 200/4 = 50: generation 2 is SKIPPED; c1=0 is
 *        not > 2; c0=4 > 3: gen0 (4 examined).              c=(0,1,3)
 *   a56  skipped again (c2 still 3); gen0.                   c=(0,2,3)
 *   a60  skipped; gen0.                                      c=(0,3,3)
 *   a64  skipped; c1=3 > 2: gen1, g1 a48..a59 (12) + g0 4 = 16 examined;
 *        llp = 47 + 16 = 63.                                 c=(0,0,4)
 *   a68  c2=4 > 2, llp=63 >= 50: gen2, examines 200 + a1..a67 = 267;
 *        llt=267.                                            c=(0,0,0)
 *   a72, a76, a80 gen0 (c1 1, 2, 3); a81, a82:                c=(2,3,0)
 * Collections: gen0 15, gen1 4 (16, 32, 48, 64), gen2 1 (68).
 */
Test(sequence, skip_gen2_by_the_25_percent_rule)
{
    recorder R;
    gct_heap *h = prebuilt(&R, 200);
    for (int i = 0; i < 82; i++)
        alloc_keep(&R, &node);
    expect e[20];
    size_t n = 0;
    for (int64_t a = 4; a <= 80; a += 4) {
        int gen = 0;
        int64_t ex = a == 4 ? 3 : 4;
        if (a == 16 || a == 32 || a == 48 || a == 64) {
            gen = 1;
            ex = a == 16 ? 15 : 16;
        } else if (a == 68) {
            gen = 2;
            ex = 267;
        }
        e[n++] = (expect){a, gen, 0, ex};
    }
    assert_sequence(&R, e, n);
    assert_count(h, 2, 3, 0);
    /* Stats include the preamble's collect(2). */
    assert_stats(h, 0, 15, 0);
    assert_stats(h, 1, 4, 0);
    assert_stats(h, 2, 1 + 1, 0);
    GCT_ASSERT_EQ(h->live_objects, 282);
    gct_test_heap_done(h);
}

/*
 * The boundary of the rule, 56 containers after L prebuilt ones; at a52
 * llp = 47 (see above) and c2 = 3 > 2:
 *   L = 191: llt/4 = 47, 47 < 47 is false: gen2 runs at a52 (examines 191 +
 *            51 = 242); a56 gen0.  Final c = (0, 1, 0).
 *   L = 192: llt/4 = 48, 47 < 48: skipped, gen0 at a52 and a56.  Final
 *            c = (0, 2, 3): count[2] stays above its threshold.
 */
Test(sequence, rule_boundary_191_runs_192_skips)
{
    for (int l = 191; l <= 192; l++) {
        recorder R;
        gct_heap *h = prebuilt(&R, l);
        for (int i = 0; i < 56; i++)
            alloc_keep(&R, &node);
        expect e[14];
        size_t n = 0;
        for (int64_t a = 4; a <= 56; a += 4) {
            int gen = 0;
            int64_t ex = a == 4 ? 3 : 4;
            if (a == 16 || a == 32 || a == 48) {
                gen = 1;
                ex = a == 16 ? 15 : 16;
            } else if (a == 52 && l == 191) {
                gen = 2;
                ex = 191 + 51;
            }
            e[n++] = (expect){a, gen, 0, ex};
        }
        assert_sequence(&R, e, n);
        if (l == 191) {
            assert_count(h, 0, 1, 0);
            assert_stats(h, 2, 1 + 1, 0);
        } else {
            assert_count(h, 0, 2, 3);
            assert_stats(h, 2, 1, 0); /* the preamble's only */
        }
        gct_heap_destroy(h);
    }
}

/*
 * cycles_3_2_2: gen0=3 gen1=2 gen2=2, 30 two-object cycles Ai <-> Bi, each
 * created (Ai = a(2i-1), Bi = a(2i)) and dropped.  No frees outside
 * collections, so collections come every 4 allocations, always at the
 * allocation of B(even), while A(even) is on the root stack:
 *   a4  gen0 {A1 B1 A2}: cycle 1 garbage (2); A2 rooted -> g1.  B2 then
 *       lands in g0, so the dropped cycle 2 straddles g1/g0.
 *   a8  gen0 {B2 A3 B3 A4}: B2 is referenced from A2 in the older g1 (a
 *       root for this collection) -> survives; cycle 3 (2); A4 -> g1.
 *   a12 gen0 {B4 A5 B5 A6}: same, 2.  g1 = {A2 B2 A4 B4 A6}.
 *   a16 gen1 {A2 B2 A4 B4 A6} + {B6 A7 B7 A8} = 9: cycles 2, 4, 6, 7 (8);
 *       A8 -> g2, llp = 1.
 *   a20, a24, a28 gen0 (4 each): B8 (held by A8 in g2), B10, B12 survive;
 *       cycles 9, 11, 13 (2 each).
 *   a32 gen1 {B8 A10 B10 A12 B12 A14} + {B14 A15 B15 A16} = 10: B8 survives
 *       (A8 in g2), A16 rooted; cycles 10, 12, 14, 15 (8).  g2 = {A8 B8
 *       A16}, llp = 3.
 *   a36, a40, a44 gen0: 2 each.
 *   a48 gen1, 10 examined: B16 (held by A16 in g2) and A24 survive; cycles
 *       18, 20, 22, 23 (8).  g2 = {A8 B8 A16 B16 A24}, llp = 5, c2 = 3.
 *   a52 c2=3 > 2, llp=5 >= 0/4: gen2 {A8 B8 A16 B16 A24} + {B24 A25 B25
 *       A26} = 9: cycles 8, 16, 24, 25 (8); A26 survives, llt = 1.
 *   a56, a60 gen0 (4 each): B26, B28 survive; cycles 27, 29 (2 each).
 * Collected: gen0 11 x 2 = 22, gen1 3 x 8 = 24, gen2 8; 54 of 60.  Left:
 * cycles 26, 28, 30 (A26 in g2, B26 A28 B28 A30 in g1, B30 in g0): a final
 * collect(2) returns 6.  Final c = (0, 2, 0) (a60 was the trigger).
 */
Test(sequence, cycles_3_2_2)
{
    gct_heap *h = gencycle3(3, 2, 2);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 30; i++)
        make_cycle(&R);
    static const expect e[] = {
        {4, 0, 2, 3},  {8, 0, 2, 4},  {12, 0, 2, 4}, {16, 1, 8, 9},  {20, 0, 2, 4},
        {24, 0, 2, 4}, {28, 0, 2, 4}, {32, 1, 8, 10}, {36, 0, 2, 4}, {40, 0, 2, 4},
        {44, 0, 2, 4}, {48, 1, 8, 10}, {52, 2, 8, 9}, {56, 0, 2, 4}, {60, 0, 2, 4},
    };
    assert_sequence(&R, e, sizeof e / sizeof e[0]);
    assert_count(h, 0, 2, 0);
    assert_stats(h, 0, 11, 22);
    assert_stats(h, 1, 3, 24);
    assert_stats(h, 2, 1, 8);
    GCT_ASSERT_EQ(h->live_objects, 6);
    int64_t leaked = 0;
    gct_heap_leaks(h, &leaked, NULL);
    GCT_ASSERT_EQ(leaked, 6);
    /* The survivors sit where the derivation says: gen0 holds only B30,
     * gen1 B26 A28 B28 A30 (collect(1) examines 5), gen2 A26. */
    GCT_ASSERT_EQ(collect(&R, 0), 0);
    GCT_ASSERT_EQ(last_examined(h), 1);
    GCT_ASSERT_EQ(collect(&R, 1), 4); /* cycles 28, 30; B26 held by A26 */
    GCT_ASSERT_EQ(last_examined(h), 5);
    GCT_ASSERT_EQ(collect(&R, 2), 2);
    GCT_ASSERT_EQ(last_examined(h), 2);
    GCT_ASSERT_EQ(h->live_objects, 0);
    /* A finished cycle's objects hold one reference each (the partner), and
     * a collection traverses each reference twice: the whole set in
     * subtract_refs, then each object once more, reachable or not.  The
     * automatic ones run at the allocation of a B, before it exists: the A
     * just made holds NULL then.  The three explicit ones see only finished
     * cycles. */
    size_t nauto = sizeof e / sizeof e[0];
    GCT_ASSERT_EQ(gct_heap_npauses(h), nauto + 3);
    for (size_t i = 0; i < gct_heap_npauses(h); i++) {
        const gct_pause *p = &gct_heap_pauses(h)[i];
        int64_t refs = i < nauto ? p->examined - 1 : p->examined;
        GCT_ASSERT_EQ(p->traversed, 2 * refs,
                      "pause %zu (%s): traversed %" PRId64 " for %" PRId64 " examined", i + 1,
                      gct_pause_kind_name(p->kind), p->traversed, p->examined);
    }
    gct_test_heap_done(h);
}

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
    GCT_ASSERT_EQ(h->live_objects, 0);
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
