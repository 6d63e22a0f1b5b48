/*
 * marksweep.c — tracing only: a stop-the-world mark from the root stack and a
 * sweep of the whole allocator.
 *
 * Invariants:
 *  - Reference counts are not maintained (h->hot.rc is false): incref and decref
 *    cost one predictable branch, and nothing is freed outside a collection.
 *  - Outside a collection no object carries GCT_OF_MARK.
 *  - h->hot.count[0] is allocations (of any shape) since the last collection; a
 *    collection runs at the allocation that makes it exceed gen0, the same
 *    strict rule as gencycle's generation 0, so the two compare directly.
 *  - Marking is precise (only slots are references) and uses an explicit mark
 *    stack, so a 10,000,000-long list never recurses.  Weak references are not
 *    traced; the sweep clears those whose target it frees.
 *
 * There is no per-object prefix: the sweep walks the allocator's chunks, the
 * way real mark-sweep collectors walk their heap blocks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal/backend.h"

/* marksweep's flag, in the first of the bits object.h reserves for the
 * backend: set by the mark, cleared by the sweep. */
enum { GCT_OF_MARK = GCT_OF_BACKEND0 };

enum { KNOB_GEN0 };

static const gct_knob knobs[] = {
    [KNOB_GEN0] = {"gen0", 10000, 0, 1000000000, "allocations",
                   "collect the whole heap when allocations since the last collection exceed "
                   "this (0 disables automatic collection)"},
};

typedef struct marksweep {
    gct_objstack stack; /* kept between collections to avoid reallocating */
} marksweep;

/* Push c (not NULL) if it is not marked yet, marking it. */
static inline void mark_push(gct_obj *c, gct_obj ***top, gct_obj ***end, gct_objstack *st)
{
    if (c->flags & GCT_OF_MARK)
        return;
    c->flags |= GCT_OF_MARK;
    if (*top == *end) {
        st->n = (size_t)(*top - st->items);
        gct_objstack_push_slow(st, c);
        *top = st->items + st->n;
        *end = st->items + st->cap;
        return;
    }
    *(*top)++ = c;
}

/*
 * Mark everything reachable from the roots, depth first with an explicit
 * stack.  The slots of an object are pushed last first, so that slot 0 is
 * scanned next: a structure built depth first (a tree in preorder, a list
 * from its head) is then traced in allocation order, which is address
 * order, and the hardware prefetcher streams it.  The stack lives in
 * locals while marking (a pointer to it would have to be reloaded after
 * every store of a mark bit).  Returns the objects marked; *refs gets the
 * references followed (non-NULL slots of marked objects; roots not counted).
 */
static int64_t mark(gct_heap *h, gct_objstack *st, int64_t *refs)
{
    int64_t marked = 0, followed = 0;
    if (!st->cap) { /* the first collection: give the stack its first block */
        gct_objstack_push_slow(st, NULL);
        st->n = 0;
    }
    gct_obj **top = st->items + st->n, **end = st->items + st->cap;
    for (size_t i = h->hot.nroots; i-- > 0;) {
        gct_obj *r = h->hot.roots[i];
        if (r)
            mark_push(r, &top, &end, st);
    }
    while (top != st->items) {
        gct_obj *o = *--top;
        marked++;
        gct_obj **s = o->slots;
        for (uint32_t i = o->shape->nslots; i-- > 0;) {
            gct_obj *c = s[i];
            if (c) {
                followed++;
                mark_push(c, &top, &end, st);
            }
        }
    }
    st->n = 0;
    *refs = followed;
    return marked;
}

struct sweep_ctx {
    gct_heap *h;
    int64_t examined, freed;
};

static void sweep_block(void *ud, void *block)
{
    struct sweep_ctx *c = ud;
    gct_obj *o = block; /* no prefix */
    c->examined++;
    if (o->flags & GCT_OF_MARK) {
        o->flags &= (uint8_t)~GCT_OF_MARK;
    } else {
        gct__free(c->h, o);
        c->freed++;
    }
}

static int64_t ms_collect(gct_heap *h, int generation)
{
    if (generation != 0)
        return GCT_EINVAL;
    marksweep *ms = h->priv;
    gct__emit_event(h, GCT_EVENT_START, GCT_PAUSE_FULL, 0, 0);
    uint64_t t0 = h->record_pauses ? gct_now_ns() : 0; /* the clock only for the pause log */
    h->hot.count[0] = 0;
    int64_t traversed;
    mark(h, &ms->stack, &traversed);
    struct sweep_ctx c = {h, 0, 0};
    gct_pool_foreach(&h->hot.pool, sweep_block, &c);
    h->stats[0].collections++;
    h->stats[0].collected += c.freed;
    h->stats[0].examined += c.examined;
    h->stats[0].traversed += traversed;
    gct__record_pause(h, GCT_PAUSE_FULL, t0, c.examined, traversed, c.freed);
    gct__emit_event(h, GCT_EVENT_STOP, GCT_PAUSE_FULL, c.freed, 0);
    return c.freed;
}

static void ms_collect_auto(gct_heap *h) { ms_collect(h, 0); }

static void ms_set_knob(gct_heap *h, uint32_t index, int64_t value)
{
    if (index == KNOB_GEN0)
        h->hot.threshold[0] = value;
}

static int ms_init(gct_heap *h, const int64_t *k)
{
    marksweep *ms = calloc(1, sizeof *ms);
    if (!ms)
        return GCT_ENOMEM;
    h->priv = ms;
    h->hot.rc = false;
    h->hot.track_mask = GCT_SHAPE_OBJECT; /* every allocation counts */
    h->hot.young = NULL;
    h->hot.threshold[0] = k[KNOB_GEN0];
    return GCT_OK;
}

static void ms_fini(gct_heap *h)
{
    marksweep *ms = h->priv;
    gct_objstack_free(&ms->stack);
    free(ms);
    h->priv = NULL;
}

struct verify_ctx {
    int64_t marked;
};

static void check_unmarked(void *ud, gct_obj *o)
{
    struct verify_ctx *c = ud;
    if (o->flags & GCT_OF_MARK)
        c->marked++;
}

static bool ms_verify(gct_heap *h, char *err, size_t errlen)
{
    struct verify_ctx c = {0};
    gct_heap_foreach(h, check_unmarked, &c);
    if (c.marked) {
        snprintf(err, errlen, "%lld objects still carry the mark bit outside a collection",
                 (long long)c.marked);
        return false;
    }
    if (h->hot.count[0] < 0) {
        snprintf(err, errlen, "the allocation count is negative");
        return false;
    }
    return true;
}

const gct_collector gct_collector_marksweep = {
    .abi = GCT_COLLECTOR_ABI,
    .name = "marksweep",
    .summary = "tracing only: precise mark from the roots, sweep of the heap; no reference counts",
    .knobs = knobs,
    .nknobs = sizeof knobs / sizeof knobs[0],
    .prefix = 0,
    .ngenerations = 1,
    .init = ms_init,
    .fini = ms_fini,
    .set_knob = ms_set_knob,
    .collect_auto = ms_collect_auto,
    .collect = ms_collect,
    .verify = ms_verify,
};
