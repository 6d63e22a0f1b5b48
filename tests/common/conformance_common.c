/* common/conformance_common.c — the helpers of the test-conformance-*.c
 * programs (what they do: common/conformance_common.h). */
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
#include "internal/backend.h" /* white-box: the whole struct gct_heap */

#include "conformance_common.h"

/* UBSan's default is to report and carry on, which would let a test pass
 * over undefined behaviour: make it fatal (ignored in builds without UBSan). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1:print_summary=1";
}

/* ---- shapes -------------------------------------------------------------- */

/* pyperformance's bm_gc_collect Node: next and prev. */
const gct_shape node_shape = GCT_SHAPE("node", 2, 0);
const gct_shape pair_shape = GCT_SHAPE("pair", 3, 8);
const gct_shape link_shape = GCT_SHAPE("link", 1, 8);
const gct_shape atom_shape = GCT_SHAPE("atom", 0, 24);
const gct_shape wide_shape = GCT_SHAPE("wide", 4, 16);
/* Larger than GCT_POOL_MAX_SMALL: the allocator's large-object path. */
const gct_shape big_shape = GCT_SHAPE("big", 2, 1000);

_Static_assert(sizeof(gct_obj) + 2 * sizeof(gct_obj *) + 1000 > GCT_POOL_MAX_SMALL,
               "big_shape must be a large object");

/* ---- parameters: one case per registered backend ------------------------- */

static void free_params(struct criterion_test_params *crp) { cr_free(crp->params); }

struct criterion_test_params all_backends(void)
{
    size_t n = gct_collector_count();
    backend_param *p = cr_malloc(sizeof *p * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        p[i].index = i;
    return cr_make_param_array(backend_param, p, n, free_params);
}

/* ---- the test context: a heap plus a model of its accounting ------------- */

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

int64_t osize(const tc *t, const gct_shape *s) { return (int64_t)t->h->hot.prefix + s->size; }

/* Does a full collection count objects of this shape in its return value? */
bool tracked(const tc *t, const gct_shape *s) { return (s->flags & t->h->hot.track_mask) != 0; }

void check_acct(const tc *t, int line)
{
    const gct_heap *h = t->h;
    GCT_ASSERT_EQ(gct_heap_live_objects(h), t->live,
                  "%s, line %d: live_objects is %" PRId64 ", expected %" PRId64, t->be, line,
                  gct_heap_live_objects(h), t->live);
    GCT_ASSERT_EQ(gct_heap_live_bytes(h), t->bytes,
                  "%s, line %d: live_bytes is %" PRId64 ", expected %" PRId64, t->be, line,
                  gct_heap_live_bytes(h), t->bytes);
    GCT_ASSERT_EQ(gct_heap_peak_objects(h), t->peak,
                  "%s, line %d: peak_objects is %" PRId64 ", expected %" PRId64, t->be, line,
                  gct_heap_peak_objects(h), t->peak);
    GCT_ASSERT_EQ(gct_heap_peak_bytes(h), t->peak_bytes,
                  "%s, line %d: peak_bytes is %" PRId64 ", expected %" PRId64, t->be, line,
                  gct_heap_peak_bytes(h), t->peak_bytes);
    GCT_ASSERT_EQ(gct_heap_total_allocs(h), t->allocs,
                  "%s, line %d: total_allocs is %" PRId64 ", expected %" PRId64, t->be, line,
                  gct_heap_total_allocs(h), t->allocs);
    GCT_ASSERT_EQ(gct_heap_total_frees(h), t->allocs - t->live,
                  "%s, line %d: total_frees is %" PRId64 ", expected %" PRId64, t->be, line,
                  gct_heap_total_frees(h), t->allocs - t->live);
}

void check_verify(const tc *t, int line)
{
    char err[512];
    cr_assert(gct_heap_verify(t->h, true, err, sizeof err), "%s, line %d: verify: %s", t->be, line,
              err);
}

void check_leaks(const tc *t, int64_t objs, int64_t bytes, int line)
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

/* The model: n objects of shape s were born / died. */
void model_new(tc *t, const gct_shape *s, int64_t n)
{
    t->live += n;
    t->bytes += n * osize(t, s);
    t->allocs += n;
    if (t->live > t->peak)
        t->peak = t->live;
    if (t->bytes > t->peak_bytes)
        t->peak_bytes = t->bytes;
}

void model_gone(tc *t, const gct_shape *s, int64_t n)
{
    t->live -= n;
    t->bytes -= n * osize(t, s);
}

gct_obj *tnew(tc *t, const gct_shape *s, int line)
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

gct_obj *tweak(tc *t, gct_obj *target, int line)
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

void open_heap(tc *t, const backend_param *bp, const char *const *knobs, size_t nknobs)
{
    memset(t, 0, sizeof *t);
    const gct_collector *c = gct_collector_at(bp->index);
    cr_assert(c, "no backend at registry index %zu", bp->index);
    t->h = gct_test_heap_knobs(c->name, knobs, nknobs);
    t->be = c->name;
    cr_log_info("backend %s", c->name);
    t->rc = t->h->hot.rc;
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

void close_heap(tc *t)
{
    gct_heap_destroy(t->h);
    t->h = NULL;
}

/* The kind a full collection records and reports in its events. */
gct_pause_kind full_kind(const tc *t)
{
    uint32_t ng = gct_heap_collector(t->h)->ngenerations;
    return ng > 1 ? (gct_pause_kind)(ng - 1) : GCT_PAUSE_FULL;
}

/* The kind an automatic collection of the youngest generation records. */
gct_pause_kind young_kind(const tc *t)
{
    return gct_heap_collector(t->h)->ngenerations > 1 ? GCT_PAUSE_GEN0 : GCT_PAUSE_FULL;
}

void check_pause(const tc *t, const gct_pause *p, gct_pause_kind kind, int64_t freed, uint64_t t0,
                 uint64_t t1, int line)
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
const gct_pause *collect_full(tc *t, int64_t expect, int line)
{
    gct_heap *h = t->h;
    const gct_collector *c = gct_heap_collector(h);
    size_t np = gct_heap_npauses(h), ne = t->nev;
    size_t sg = c->ngenerations ? c->ngenerations - 1 : 0;
    gct_gen_stats before = gct_heap_stats(h)[sg];
    uint64_t t0 = gct_now_ns();
    int64_t r = gct_heap_collect(h, GCT_GEN_FULL);
    uint64_t t1 = gct_now_ns();
    GCT_ASSERT_EQ(r, expect, "%s, line %d: full collection returned %" PRId64 ", expected %" PRId64,
                  t->be, line, r, expect);
    cr_assert_not(h->hot.collecting, "%s, line %d: still collecting after the collection", t->be, line);
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
    GCT_ASSERT_EQ(gct_heap_stats(h)[sg].collections, before.collections + 1,
                  "%s, line %d: stats[%zu].collections did not go up by one", t->be, line, sg);
    GCT_ASSERT_EQ(gct_heap_stats(h)[sg].collected, before.collected + r,
                  "%s, line %d: stats[%zu].collected did not go up by the result", t->be, line, sg);
    cr_assert(gct_heap_stats(h)[sg].examined == before.examined + p->examined &&
                  gct_heap_stats(h)[sg].traversed == before.traversed + p->traversed,
              "%s, line %d: stats[%zu] examined/traversed went up by %" PRId64 "/%" PRId64
              ", the pause says %" PRId64 "/%" PRId64,
              t->be, line, sg, gct_heap_stats(h)[sg].examined - before.examined,
              gct_heap_stats(h)[sg].traversed - before.traversed, p->examined, p->traversed);
    return p;
}

/* ---- builders ------------------------------------------------------------ */

/*
 * A chain of n objects of shape s (slot 0 links to the next), rooted by its
 * head only, which is pushed on the root stack.  Built newest-first, so the
 * head is the last object allocated and *tail the first.  The model is
 * updated in bulk (checks at every object would dominate a 10M chain).
 */
gct_obj *build_chain(tc *t, const gct_shape *s, int64_t n, gct_obj **tail)
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
void link_next(gct_heap *h, gct_obj *cur, gct_obj *next)
{
    gct_store(h, cur, NEXT, next);
    gct_store(h, next, PREV, cur);
}

/* create_cycle: a ring of n_links + 1 nodes starting at a new node, which
 * is left on the root stack (the other nodes are held by the ring only). */
gct_obj *create_ring(tc *t, int n_links)
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

void check_ring(const tc *t, gct_obj *head, int n, int line)
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

int64_t chain_len(void)
{
    const char *e = getenv("GCT_CHAIN_LEN");
    if (e && *e) {
        long long v = atoll(e);
        if (v >= 1)
            return v;
    }
    return 10000000;
}

int64_t cascade_limit(const tc *t)
{
    int64_t v = 0;
    if (gct_heap_get_knob(t->h, "cascade", &v) != GCT_OK)
        return INT64_MAX;
    return v;
}
