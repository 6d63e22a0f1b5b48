/* common/cpython_common.c — the helpers of the test-cpython-*.c programs
 * (what they do: common/cpython_common.h). */
#define _POSIX_C_SOURCE 200809L
#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif

#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector.h"
#include "heap.h"
#include "rng.h"
#include "validate.h"
#include "workload.h"

#include "cpython_common.h"
#include "gct_test_run.h"

/* UBSan: make a report fatal (ignored in builds without UBSan). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

/* ---- the command ------------------------------------------------------------------------ */

cmd_out gctune(const char *const *args)
{
    gct_test_run r = gct_test_gctune(args);
    return (cmd_out){r.status, r.out, r.err};
}

void cmd_free(cmd_out *o)
{
    free(o->out);
    free(o->err);
}

#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON

const gct_shape node = GCT_SHAPE("node", 1, 0);
const gct_shape pair = GCT_SHAPE("pair", 2, 8);
const gct_shape wide = GCT_SHAPE("wide", 5, 24);
const gct_shape atom = GCT_SHAPE("atom", 0, 16);
const gct_shape big = GCT_SHAPE("big", 80, 8); /* the allocator's large path */

/* ---- a trace of collections --------------------------------------------------- */

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    trace *t = ud;
    if (phase == GCT_EVENT_START) {
        if (t->open)
            t->protocol_errors++;
        t->open = true;
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 256;
            t->r = realloc(t->r, t->cap * sizeof *t->r);
            cr_assert(t->r);
        }
        t->r[t->n++] = (rec){gct_heap_total_allocs(t->h), info->generation, -1, -1, -1};
    } else {
        if (!t->open || info->generation != t->r[t->n - 1].gen)
            t->protocol_errors++;
        t->open = false;
        t->r[t->n - 1].collected = info->collected + info->uncollectable;
    }
}

gct_heap *heap3(const char *collector, int64_t t0, int64_t t1, int64_t t2, trace *t)
{
    gct_heap *h = gct_test_heap_thresholds(collector, t0, t1, t2);
    gct_heap_set_verify_each(h, true);
    if (t) {
        memset(t, 0, sizeof *t);
        t->h = h;
        gct_heap_set_event_fn(h, on_event, t);
    }
    return h;
}

/* The examined and traversed counts come from the pause log, in collection
 * order. */
void fill_examined(trace *t)
{
    size_t k = 0;
    for (size_t i = 0; i < gct_heap_npauses(t->h) && k < t->n; i++) {
        const gct_pause *p = &gct_heap_pauses(t->h)[i];
        if (p->kind <= GCT_PAUSE_GEN2) {
            t->r[k].examined = p->examined;
            t->r[k++].traversed = p->traversed;
        }
    }
    GCT_ASSERT_EQ(k, t->n, "%zu collection pauses for %zu collections", k, t->n);
}

void assert_same(const outcome *m, const outcome *r, const char *what)
{
    GCT_ASSERT_EQ(m->t.protocol_errors, 0, "%s: gencycle START/STOP errors", what);
    GCT_ASSERT_EQ(r->t.protocol_errors, 0, "%s: cpython START/STOP errors", what);
    size_t n = m->t.n < r->t.n ? m->t.n : r->t.n;
    for (size_t i = 0; i < n; i++) {
        const rec *a = &m->t.r[i], *b = &r->t.r[i];
        cr_assert(a->alloc == b->alloc && a->gen == b->gen && a->collected == b->collected &&
                      a->examined == b->examined && a->traversed == b->traversed,
                  "%s: collection #%zu: gencycle gen%d at allocation %" PRId64 " set %" PRId64
                  " traversed %" PRId64 " collected %" PRId64
                  "; cpython gen%d at allocation %" PRId64 " set %" PRId64 " traversed %" PRId64
                  " collected %" PRId64,
                  what, i + 1, a->gen, a->alloc, a->examined, a->traversed, a->collected, b->gen,
                  b->alloc, b->examined, b->traversed, b->collected);
    }
    GCT_ASSERT_EQ(m->t.n, r->t.n, "%s: %zu collections on gencycle, %zu on cpython", what, m->t.n,
                  r->t.n);
    for (int g = 0; g < 3; g++) {
        GCT_ASSERT_EQ(m->count[g], r->count[g], "%s: count[%d] %" PRId64 " vs %" PRId64, what, g,
                      m->count[g], r->count[g]);
        const gct_gen_stats *x = &m->stats[g], *y = &r->stats[g];
        cr_assert(x->collections == y->collections && x->collected == y->collected &&
                      x->examined == y->examined && x->traversed == y->traversed,
                  "%s: generation %d stats (collections/collected/examined/traversed) %" PRId64
                  "/%" PRId64 "/%" PRId64 "/%" PRId64 " vs %" PRId64 "/%" PRId64 "/%" PRId64
                  "/%" PRId64,
                  what, g, x->collections, x->collected, x->examined, x->traversed, y->collections,
                  y->collected, y->examined, y->traversed);
    }
    GCT_ASSERT_EQ(m->live, r->live, "%s: %" PRId64 " objects live on gencycle, %" PRId64, what,
                  m->live, r->live);
    GCT_ASSERT_EQ(m->frozen, r->frozen, "%s: frozen %" PRId64 " vs %" PRId64, what, m->frozen,
                  r->frozen);
    GCT_ASSERT_EQ(m->observed, r->observed, "%s: weak references read differently", what);
}

void finish(gct_heap *h, outcome *o)
{
    gct_test_verify(h);
    fill_examined(&o->t);
    memcpy(o->count, gct_heap_counts(h), sizeof o->count);
    memcpy(o->stats, gct_heap_stats(h), sizeof o->stats);
    o->live = gct_heap_live_objects(h);
    o->frozen = gct_heap_freeze_count(h);
}

void outcome_free(outcome *o) { free(o->t.r); }

/* ---- programs ---------------------------------------------------------------------- */

/* K containers, each kept alive on the root stack. */
void p_keep(gct_heap *h, uint64_t k, outcome *o)
{
    (void)o;
    for (uint64_t i = 0; i < k; i++)
        gct_new(h, &node);
}

/* K two-object cycles created and dropped. */
void p_cycles(gct_heap *h, uint64_t k, outcome *o)
{
    (void)o;
    for (uint64_t i = 0; i < k; i++) {
        gct_obj *a = gct_new(h, &node);
        gct_obj *b = gct_new(h, &node);
        gct_store(h, a, 0, b);
        gct_store(h, b, 0, a);
        gct_root_pop(h);
        gct_root_pop(h);
    }
}

/* A random program: containers of several shapes (one large), atoms, weak
 * references, stores that make and break cycles, root pops, and now and
 * then an explicit collection, a freeze or unfreeze, a gen0 change or a
 * disabled stretch.  `seed` picks the program. */
void p_random(gct_heap *h, uint64_t seed, outcome *o)
{
    static const gct_shape *const shapes[] = {&node, &pair, &wide, &pair, &node, &big};
    gct_rng rng;
    gct_rng_seed(&rng, seed);
    size_t base = gct_root_depth(h);
    for (int step = 0; step < 6000; step++) {
        uint64_t x = gct_rng_below(&rng, 1000);
        size_t depth = gct_root_depth(h) - base;
        if (x < 380 || depth < 2) {
            const gct_shape *s = shapes[gct_rng_below(&rng, 6)];
            if (s == &big && gct_rng_below(&rng, 8))
                s = &pair;
            gct_new(h, s);
        } else if (x < 450) {
            gct_new(h, &atom);
        } else if (x < 500) {
            gct_weakref_new(h, gct_root_get(h, base + gct_rng_below(&rng, depth)));
        } else if (x < 780) {
            gct_obj *from = gct_root_get(h, base + gct_rng_below(&rng, depth));
            gct_obj *to =
                gct_rng_below(&rng, 10) ? gct_root_get(h, base + gct_rng_below(&rng, depth)) : NULL;
            if (from->shape->nslots)
                gct_store(h, from, (uint32_t)gct_rng_below(&rng, from->shape->nslots), to);
        } else if (x < 960) {
            /* Drop a random root: the top takes its place. */
            size_t i = base + gct_rng_below(&rng, depth);
            gct_root_set(h, i, gct_root_top(h));
            gct_root_pop(h);
        } else if (x < 970) {
            gct_heap_collect(h, (int)gct_rng_below(&rng, 3));
        } else if (x < 973) {
            gct_heap_freeze(h);
        } else if (x < 976) {
            gct_heap_unfreeze(h);
        } else if (x < 980) {
            static const int64_t g0[] = {3, 10, 50, 0};
            gct_heap_set_knob(h, "gen0", g0[gct_rng_below(&rng, 4)], NULL, 0);
        } else if (x < 985) {
            gct_heap_set_enabled(h, !gct_heap_enabled(h));
        } else {
            /* Read every weak reference on the roots: what the program
             * observes must not depend on the collector. */
            for (size_t i = base; i < gct_root_depth(h); i++) {
                gct_obj *r = gct_root_get(h, i);
                if (r->shape->flags & GCT_SHAPE_WEAKREF)
                    o->observed = gct_mix64(o->observed ^ (gct_weakref_get(r) ? i : ~i));
            }
        }
    }
    gct_heap_set_enabled(h, true);
    gct_heap_unfreeze(h);
}

void run(const char *collector, int64_t t0, int64_t t1, int64_t t2, program p, uint64_t arg,
         bool teardown, outcome *o)
{
    memset(o, 0, sizeof *o);
    gct_heap *h = heap3(collector, t0, t1, t2, &o->t);
    p(h, arg, o);
    if (teardown) {
        gct_heap_collect(h, 2);
        gct_root_truncate(h, 0);
        gct_heap_collect(h, 2);
    }
    finish(h, o);
    gct_heap_destroy(h);
}

/* Returns the collections (on each) and what weak references read. */
size_t same_on_both(int64_t t0, int64_t t1, int64_t t2, program p, uint64_t arg, bool teardown,
                    const char *what, uint64_t *observed)
{
    outcome m, r;
    run("gencycle", t0, t1, t2, p, arg, teardown, &m);
    run("cpython", t0, t1, t2, p, arg, teardown, &r);
    char w[160];
    snprintf(w, sizeof w, "%s at %" PRId64 "/%" PRId64 "/%" PRId64, what, t0, t1, t2);
    assert_same(&m, &r, w);
    size_t n = r.t.n;
    if (observed)
        *observed ^= r.observed;
    outcome_free(&m);
    outcome_free(&r);
    return n;
}

#endif
