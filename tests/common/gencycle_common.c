/* common/gencycle_common.c — the helpers of the test-gencycle-*.c programs
 * (what they do: common/gencycle_common.h). */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"

#include "gencycle_common.h"

const gct_shape node = GCT_SHAPE("node", 1, 0); /* like a 1-slot __slots__ class */
const gct_shape pair = GCT_SHAPE("pair", 2, 8);
const gct_shape atom = GCT_SHAPE("atom", 0, 16); /* like an int: never tracked */

/* ---- helpers --------------------------------------------------------------- */

/* A gencycle heap with the given knobs, verifying after every collection. */
gct_heap *gencycle(const char *const *knobs, size_t n)
{
    gct_heap *h = gct_test_heap_knobs("gencycle", knobs, n);
    gct_heap_set_verify_each(h, true);
    return h;
}

gct_heap *gencycle3(int64_t t0, int64_t t1, int64_t t2)
{
    gct_heap *h = gct_test_heap_thresholds("gencycle", t0, t1, t2);
    gct_heap_set_verify_each(h, true);
    return h;
}

/* Examined objects of the last pause: the size of the collected set. */
int64_t last_examined(const gct_heap *h)
{
    cr_assert(gct_heap_npauses(h) > 0, "no pause recorded");
    return gct_heap_pauses(h)[gct_heap_npauses(h) - 1].examined;
}

/* ---- the event recorder (gc.callbacks) ------------------------------------ */

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

void attach(recorder *R, gct_heap *h)
{
    memset(R, 0, sizeof *R);
    R->h = h;
    gct_heap_set_event_fn(h, on_event, R);
}

/* After an allocation: if it triggered a collection, check the events were
 * well formed and run the full verifier. */
void after_alloc(recorder *R, size_t nbefore)
{
    GCT_ASSERT_EQ(R->protocol_error, 0, "malformed START/STOP events");
    cr_assert(!R->open, "a collection has not reported STOP");
    cr_assert(R->n <= nbefore + 1, "one allocation caused %zu collections", R->n - nbefore);
    if (R->n != nbefore)
        gct_test_verify(R->h);
}

/* Allocate a container, kept alive on the root stack. */
gct_obj *alloc_keep(recorder *R, const gct_shape *s)
{
    size_t before = R->n;
    R->alloc++;
    gct_obj *o = gct_new(R->h, s);
    after_alloc(R, before);
    return o;
}

/* A two-object cycle A <-> B, created and dropped (allocations A then B). */
void make_cycle(recorder *R)
{
    gct_obj *a = alloc_keep(R, &node);
    gct_obj *b = alloc_keep(R, &node);
    gct_store(R->h, a, 0, b);
    gct_store(R->h, b, 0, a);
    gct_root_pop(R->h);
    gct_root_pop(R->h);
}

/* Explicit collection through the recorder, verified afterwards. */
int64_t collect(recorder *R, int gen)
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

/* The whole recorded sequence must be exactly `e`: same allocation indexes,
 * generations, collected counts; and the pause log must agree. */
void assert_sequence(const recorder *R, const expect *e, size_t n)
{
    const gct_heap *h = R->h;
    for (size_t i = 0; i < n && i < R->n; i++) {
        const rec *r = &R->r[i];
        cr_assert(r->alloc == e[i].alloc && r->gen == e[i].gen && r->collected == e[i].collected &&
                      r->uncollectable == 0,
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
