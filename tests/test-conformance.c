/*
 * test-conformance.c — every registered backend against the same semantics.
 *
 * Each case is a Criterion parameterized test whose parameter is an index into
 * the collector registry (gct_collector_at), so every backend shows up as its
 * own case and a new backend is covered as soon as it is registered.  The
 * backend's name is in every assertion message.
 *
 * Expected semantics, derived from what the backend declares:
 *  - rc (h->rc): an object is freed the moment its last reference goes, by
 *    an explicit-worklist cascade; a cascade freeing >= the `cascade` knob is
 *    recorded as a GCT_PAUSE_CASCADE pause, a smaller one is not.
 *  - collects (ops->collect != NULL): gct_heap_collect(h, GCT_GEN_FULL) frees
 *    every object unreachable from the roots, cycles included, returns the
 *    number of unreachable *tracked* objects (shape flags & h->track_mask:
 *    containers for gencycle, as CPython counts only GC objects; everything
 *    for marksweep), and appends exactly one pause.
 *  - refcount (rc, no collect): cycles leak, and gct_heap_leaks reports
 *    exactly the leaked objects and bytes (count * (prefix + shape size)).
 *
 * Every collection is followed by gct_heap_verify with exact reference counts
 * (valid: the tests hold no references outside roots and slots), and
 * verify_each is on, so the heap also checks itself after automatic
 * collections.  Accounting (live objects and bytes, peaks, allocations, frees)
 * is checked against a model at every step.
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

/* UBSan's default is to report and carry on, which would let a test pass
 * over undefined behaviour: make it fatal (ignored in builds without UBSan). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1:print_summary=1";
}

/* ---- shapes -------------------------------------------------------------- */

enum { NEXT = 0, PREV = 1 };
/* pyperformance's bm_gc_collect Node: next and prev. */
static const gct_shape node_shape = GCT_SHAPE("node", 2, 0);
static const gct_shape pair_shape = GCT_SHAPE("pair", 3, 8);
static const gct_shape link_shape = GCT_SHAPE("link", 1, 8);
static const gct_shape atom_shape = GCT_SHAPE("atom", 0, 24);
static const gct_shape wide_shape = GCT_SHAPE("wide", 4, 16);
/* Larger than GCT_POOL_MAX_SMALL: the allocator's large-object path. */
static const gct_shape big_shape = GCT_SHAPE("big", 2, 1000);

_Static_assert(sizeof(gct_obj) + 2 * sizeof(gct_obj *) + 1000 > GCT_POOL_MAX_SMALL,
               "big_shape must be a large object");

/* ---- parameters: one case per registered backend ------------------------- */

typedef struct backend_param {
    size_t index; /* into the registry: never a pointer (each case is its own process) */
} backend_param;

static void free_params(struct criterion_test_params *crp) { cr_free(crp->params); }

static struct criterion_test_params all_backends(void)
{
    size_t n = gct_collector_count();
    backend_param *p = cr_malloc(sizeof *p * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        p[i].index = i;
    return cr_make_param_array(backend_param, p, n, free_params);
}

#define BACKEND_TEST(name)                                                                         \
    ParameterizedTestParameters(conformance, name) { return all_backends(); }                      \
    ParameterizedTest(backend_param *bp, conformance, name)

/* ---- the test context: a heap plus a model of its accounting ------------- */

enum { NEV = 64 };

typedef struct ev {
    gct_event_phase phase;
    gct_event_info info;
} ev;

typedef struct tc {
    gct_heap *h;
    const char *be; /* backend name, in every message */
    bool rc;        /* frees at reference count zero */
    bool collects;  /* gct_heap_collect frees unreachable objects */
    int64_t live, bytes, peak, peak_bytes, allocs;
    ev evs[NEV]; /* the last NEV events (a ring) */
    size_t nev;  /* events seen in total */
} tc;

/* What the known backends are documented to be (README.md, "Collectors").  A backend not
 * listed here is tested by what it declares. */
static const struct {
    const char *name;
    bool rc, collects;
} known[] = {
    {"refcount", true, false},
    {"gencycle", true, true},
    {"marksweep", false, true},
};

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    tc *t = ud;
    t->evs[t->nev % NEV] = (ev){phase, *info};
    t->nev++;
}

static int64_t osize(const tc *t, const gct_shape *s) { return (int64_t)t->h->prefix + s->size; }

/* Does a full collection count objects of this shape in its return value? */
static bool tracked(const tc *t, const gct_shape *s) { return (s->flags & t->h->track_mask) != 0; }

static void check_acct(const tc *t, int line)
{
    const gct_heap *h = t->h;
    GCT_ASSERT_EQ(h->live_objects, t->live,
                  "%s, line %d: live_objects is %" PRId64 ", expected %" PRId64, t->be, line,
                  h->live_objects, t->live);
    GCT_ASSERT_EQ(h->live_bytes, t->bytes,
                  "%s, line %d: live_bytes is %" PRId64 ", expected %" PRId64, t->be, line,
                  h->live_bytes, t->bytes);
    GCT_ASSERT_EQ(h->peak_objects, t->peak,
                  "%s, line %d: peak_objects is %" PRId64 ", expected %" PRId64, t->be, line,
                  h->peak_objects, t->peak);
    GCT_ASSERT_EQ(h->peak_bytes, t->peak_bytes,
                  "%s, line %d: peak_bytes is %" PRId64 ", expected %" PRId64, t->be, line,
                  h->peak_bytes, t->peak_bytes);
    GCT_ASSERT_EQ(h->total_allocs, t->allocs,
                  "%s, line %d: total_allocs is %" PRId64 ", expected %" PRId64, t->be, line,
                  h->total_allocs, t->allocs);
    GCT_ASSERT_EQ(h->total_frees, t->allocs - t->live,
                  "%s, line %d: total_frees is %" PRId64 ", expected %" PRId64, t->be, line,
                  h->total_frees, t->allocs - t->live);
}
#define ACCT(t) check_acct((t), __LINE__)

static void check_verify(const tc *t, int line)
{
    char err[512];
    cr_assert(gct_heap_verify(t->h, true, err, sizeof err), "%s, line %d: verify: %s", t->be, line,
              err);
}
#define VERIFY(t) check_verify((t), __LINE__)

static void check_leaks(const tc *t, int64_t objs, int64_t bytes, int line)
{
    int64_t o = -1, b = -1;
    gct_heap_leaks(t->h, &o, &b);
    GCT_ASSERT_EQ(o, objs,
                  "%s, line %d: gct_heap_leaks reports %" PRId64 " objects, expected %" PRId64,
                  t->be, line, o, objs);
    GCT_ASSERT_EQ(b, bytes,
                  "%s, line %d: gct_heap_leaks reports %" PRId64 " bytes, expected %" PRId64, t->be,
                  line, b, bytes);
}
#define LEAKS(t, objs, bytes) check_leaks((t), (objs), (bytes), __LINE__)

/* The model: n objects of shape s were born / died. */
static void model_new(tc *t, const gct_shape *s, int64_t n)
{
    t->live += n;
    t->bytes += n * osize(t, s);
    t->allocs += n;
    if (t->live > t->peak)
        t->peak = t->live;
    if (t->bytes > t->peak_bytes)
        t->peak_bytes = t->bytes;
}

static void model_gone(tc *t, const gct_shape *s, int64_t n)
{
    t->live -= n;
    t->bytes -= n * osize(t, s);
}
#define GONE(t, s, n) model_gone((t), (s), (n))

static gct_obj *tnew(tc *t, const gct_shape *s, int line)
{
    size_t depth = gct_root_depth(t->h);
    gct_obj *o = gct_new(t->h, s);
    model_new(t, s, 1);
    cr_assert(o, "%s, line %d: gct_new returned NULL", t->be, line);
    GCT_ASSERT_EQ(gct_root_depth(t->h), depth + 1, "%s, line %d: gct_new did not push a root",
                  t->be, line);
    GCT_ASSERT_EQ(gct_root_top(t->h), o, "%s, line %d: the new object is not on top of the roots",
                  t->be, line);
    GCT_ASSERT_EQ(o->shape, s);
    for (uint32_t i = 0; i < s->nslots; i++)
        cr_assert_null(gct_load(o, i), "%s, line %d: slot %u of a new object is not NULL", t->be,
                       line, i);
    if (t->rc)
        GCT_ASSERT_EQ(o->refcnt, 1, "%s, line %d: a new object has refcnt %u", t->be, line,
                      o->refcnt);
    check_acct(t, line);
    return o;
}
#define NEW(t, s) tnew((t), (s), __LINE__)

static gct_obj *tweak(tc *t, gct_obj *target, int line)
{
    gct_obj *w = gct_weakref_new(t->h, target);
    model_new(t, &gct_weakref_shape, 1);
    cr_assert(w, "%s, line %d: gct_weakref_new returned NULL", t->be, line);
    GCT_ASSERT_EQ(gct_root_top(t->h), w, "%s, line %d: the weak reference is not on the roots",
                  t->be, line);
    GCT_ASSERT_EQ(gct_weakref_get(w), target,
                  "%s, line %d: a new weak reference does not read its target", t->be, line);
    cr_assert(target->flags & GCT_OF_WEAKREFD, "%s, line %d: target not flagged weakly referenced",
              t->be, line);
    check_acct(t, line);
    return w;
}
#define WEAK(t, target) tweak((t), (target), __LINE__)

static void open_heap(tc *t, const backend_param *bp, const char *const *knobs, size_t nknobs)
{
    memset(t, 0, sizeof *t);
    const gct_collector *c = gct_collector_at(bp->index);
    cr_assert(c, "no backend at registry index %zu", bp->index);
    t->h = gct_test_heap_knobs(c->name, knobs, nknobs);
    t->be = c->name;
    cr_log_info("backend %s", c->name);
    t->rc = t->h->rc;
    t->collects = c->collect != NULL;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(known[i].name, c->name))
            continue;
        GCT_ASSERT_EQ(t->rc, known[i].rc, "%s: h->rc is %d, documented %d", c->name, t->rc,
                      known[i].rc);
        GCT_ASSERT_EQ(t->collects, known[i].collects, "%s: collects is %d, documented %d", c->name,
                      t->collects, known[i].collects);
    }
    gct_heap_set_verify_each(t->h, true);
    gct_heap_set_event_fn(t->h, on_event, t);
    ACCT(t);
    VERIFY(t);
}

static void close_heap(tc *t)
{
    gct_heap_destroy(t->h);
    t->h = NULL;
}

/* The kind a full collection records and reports in its events. */
static gct_pause_kind full_kind(const tc *t)
{
    uint32_t ng = t->h->ops->ngenerations;
    return ng > 1 ? (gct_pause_kind)(ng - 1) : GCT_PAUSE_FULL;
}

/* The kind an automatic collection of the youngest generation records. */
static gct_pause_kind young_kind(const tc *t)
{
    return t->h->ops->ngenerations > 1 ? GCT_PAUSE_GEN0 : GCT_PAUSE_FULL;
}

static void check_pause(const tc *t, const gct_pause *p, gct_pause_kind kind, int64_t freed,
                        uint64_t t0, uint64_t t1, int line)
{
    GCT_ASSERT_EQ(p->kind, kind, "%s, line %d: pause kind %s, expected %s", t->be, line,
                  gct_pause_kind_name(p->kind), gct_pause_kind_name(kind));
    GCT_ASSERT_EQ(p->freed, freed, "%s, line %d: pause freed %" PRId64 ", expected %" PRId64, t->be,
                  line, p->freed, freed);
    GCT_ASSERT_GEQ(p->examined, p->freed,
                   "%s, line %d: pause examined %" PRId64 " < freed %" PRId64, t->be, line,
                   p->examined, p->freed);
    GCT_ASSERT_GEQ(p->start_ns, t0, "%s, line %d: pause starts before the call", t->be, line);
    GCT_ASSERT_GEQ(p->start_ns, t->h->created_ns, "%s, line %d: pause starts before the heap",
                   t->be, line);
    GCT_ASSERT_LEQ(p->start_ns + p->duration_ns, t1, "%s, line %d: pause ends after the call",
                   t->be, line);
}

/*
 * gct_heap_collect(h, GCT_GEN_FULL), expecting `expect` as its result, then
 * the checks every collection gets: verify with exact refcounts; for a
 * collecting backend exactly one new pause of the full kind with freed ==
 * the result, a START/STOP event pair, and the statistics of the oldest
 * generation; for the others, no pause and no event.
 */
static const gct_pause *collect_full(tc *t, int64_t expect, int line)
{
    gct_heap *h = t->h;
    const gct_collector *c = h->ops;
    size_t np = gct_heap_npauses(h), ne = t->nev;
    size_t sg = c->ngenerations ? c->ngenerations - 1 : 0;
    gct_gen_stats before = h->stats[sg];
    uint64_t t0 = gct_now_ns();
    int64_t r = gct_heap_collect(h, GCT_GEN_FULL);
    uint64_t t1 = gct_now_ns();
    GCT_ASSERT_EQ(r, expect, "%s, line %d: full collection returned %" PRId64 ", expected %" PRId64,
                  t->be, line, r, expect);
    cr_assert_not(h->collecting, "%s, line %d: still collecting after the collection", t->be, line);
    check_verify(t, line);
    if (!t->collects) {
        GCT_ASSERT_EQ(gct_heap_npauses(h), np, "%s, line %d: a no-op collection recorded a pause",
                      t->be, line);
        GCT_ASSERT_EQ(t->nev, ne, "%s, line %d: a no-op collection emitted events", t->be, line);
        return NULL;
    }
    GCT_ASSERT_EQ(gct_heap_npauses(h), np + 1, "%s, line %d: %zu pauses recorded by one collection",
                  t->be, line, gct_heap_npauses(h) - np);
    const gct_pause *p = &gct_heap_pauses(h)[np];
    check_pause(t, p, full_kind(t), r, t0, t1, line);
    GCT_ASSERT_EQ(t->nev, ne + 2, "%s, line %d: %zu events for one collection", t->be, line,
                  t->nev - ne);
    const ev *s = &t->evs[ne % NEV], *e = &t->evs[(ne + 1) % NEV];
    GCT_ASSERT_EQ(s->phase, GCT_EVENT_START, "%s, line %d: first event is not START", t->be, line);
    GCT_ASSERT_EQ(e->phase, GCT_EVENT_STOP, "%s, line %d: second event is not STOP", t->be, line);
    GCT_ASSERT_EQ(s->info.generation, (int)full_kind(t), "%s, line %d: START generation %d", t->be,
                  line, s->info.generation);
    GCT_ASSERT_EQ(e->info.generation, (int)full_kind(t), "%s, line %d: STOP generation %d", t->be,
                  line, e->info.generation);
    GCT_ASSERT_EQ(e->info.collected, r,
                  "%s, line %d: STOP reports %" PRId64 " collected, returned %" PRId64, t->be, line,
                  e->info.collected, r);
    GCT_ASSERT_EQ(e->info.uncollectable, 0, "%s, line %d: uncollectable objects", t->be, line);
    GCT_ASSERT_EQ(h->stats[sg].collections, before.collections + 1,
                  "%s, line %d: stats[%zu].collections did not go up by one", t->be, line, sg);
    GCT_ASSERT_EQ(h->stats[sg].collected, before.collected + r,
                  "%s, line %d: stats[%zu].collected did not go up by the result", t->be, line, sg);
    cr_assert(h->stats[sg].examined == before.examined + p->examined &&
                  h->stats[sg].traversed == before.traversed + p->traversed,
              "%s, line %d: stats[%zu] examined/traversed went up by %" PRId64 "/%" PRId64
              ", the pause says %" PRId64 "/%" PRId64,
              t->be, line, sg, h->stats[sg].examined - before.examined,
              h->stats[sg].traversed - before.traversed, p->examined, p->traversed);
    return p;
}
#define COLLECT(t, expect) collect_full((t), (expect), __LINE__)

/* ---- builders ------------------------------------------------------------ */

/*
 * A chain of n objects of shape s (slot 0 links to the next), rooted by its
 * head only, which is pushed on the root stack.  Built newest-first, so the
 * head is the last object allocated and *tail the first.  The model is
 * updated in bulk (checks at every object would dominate a 10M chain).
 */
static gct_obj *build_chain(tc *t, const gct_shape *s, int64_t n, gct_obj **tail)
{
    gct_heap *h = t->h;
    size_t base = gct_root_depth(h);
    gct_obj *first = gct_new(h, s);
    for (int64_t i = 1; i < n; i++) {
        gct_obj *o = gct_new(h, s);
        gct_store(h, o, 0, gct_root_get(h, base));
        gct_root_set(h, base, o);
        gct_root_pop(h);
    }
    model_new(t, s, n);
    if (tail)
        *tail = first;
    return gct_root_get(h, base);
}

/* pyperformance bm_gc_collect: Node.link_next. */
static void link_next(gct_heap *h, gct_obj *cur, gct_obj *next)
{
    gct_store(h, cur, NEXT, next);
    gct_store(h, next, PREV, cur);
}

/* create_cycle: a ring of n_links + 1 nodes starting at a new node, which
 * is left on the root stack (the other nodes are held by the ring only). */
static gct_obj *create_ring(tc *t, int n_links)
{
    gct_obj *head = NEW(t, &node_shape);
    gct_obj *cur = head;
    for (int i = 0; i < n_links; i++) {
        gct_obj *next = NEW(t, &node_shape);
        link_next(t->h, cur, next);
        gct_root_pop(t->h); /* next is held by cur.next now */
        cur = next;
    }
    link_next(t->h, cur, head);
    return head;
}

static void check_ring(const tc *t, gct_obj *head, int n, int line)
{
    gct_obj *x = head;
    for (int i = 0; i < n; i++) {
        cr_assert_not(x->flags & GCT_OF_FREE, "%s, line %d: ring node %d is freed", t->be, line, i);
        gct_obj *next = gct_load(x, NEXT);
        cr_assert(next, "%s, line %d: ring node %d has no next", t->be, line, i);
        GCT_ASSERT_EQ(gct_load(next, PREV), x, "%s, line %d: ring node %d: next.prev != node",
                      t->be, line, i);
        x = next;
    }
    GCT_ASSERT_EQ(x, head, "%s, line %d: a ring of %d does not close", t->be, line, n);
}

static int64_t chain_len(void)
{
    const char *e = getenv("GCT_CHAIN_LEN");
    if (e && *e) {
        long long v = atoll(e);
        if (v >= 1)
            return v;
    }
    return 10000000;
}

static int64_t cascade_limit(const tc *t)
{
    int64_t v = 0;
    if (gct_heap_get_knob(t->h, "cascade", &v) != GCT_OK)
        return INT64_MAX;
    return v;
}

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
        ex += t.h->stats[g].examined;
        tr += t.h->stats[g].traversed;
        coll += t.h->stats[g].collections;
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
        cr_assert_not(x->flags & (GCT_OF_FREE | GCT_OF_MARK),
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
    uint64_t t0 = gct_now_ns();
    GONE(&t, &pair_shape, 2); /* the sixth allocation collects first */
    gct_obj *n = NEW(&t, &pair_shape);
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
    int ng = (int)t.h->ops->ngenerations;
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
