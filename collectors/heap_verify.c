/*
 * heap_verify.c — walks over a heap and what they check: gct_heap_foreach
 * (every live block of the allocator), the census of what the roots reach
 * and the leaks it implies, and the heap's verifier (accounting matches a
 * walk of the allocator, no root, slot or weak reference points at a freed
 * object, no backend flag is left set, optionally exact reference counts),
 * which then runs the backend's own.
 */
#include <inttypes.h>
#include <stdio.h>

#include "internal/backend.h"

/* ---- walks --------------------------------------------------------------- */

struct foreach_ctx {
    gct_heap *h;
    gct_obj_fn fn;
    void *ud;
};

static void foreach_block(void *ud, void *block)
{
    struct foreach_ctx *c = ud;
    c->fn(c->ud, (gct_obj *)(void *)((char *)block + c->h->hot.prefix));
}

void gct_heap_foreach(gct_heap *h, gct_obj_fn fn, void *ud)
{
    struct foreach_ctx c = {h, fn, ud};
    gct_pool_foreach(&h->hot.pool, foreach_block, &c);
}

/* Visit everything reachable from the roots, setting (set=true) or clearing
 * GCT_OF_REACH; returns the objects and bytes visited. */
static void reach_walk(gct_heap *h, bool set, int64_t *objs, int64_t *bytes)
{
    gct_objstack st = {0};
    int64_t no = 0, nb = 0;
    for (size_t i = 0; i < h->hot.nroots; i++)
        if (h->hot.roots[i])
            gct_objstack_push(&st, h->hot.roots[i]);
    while (st.n) {
        gct_obj *o = st.items[--st.n];
        bool seen = (o->flags & GCT_OF_REACH) != 0;
        if (seen == set)
            continue;
        o->flags ^= GCT_OF_REACH;
        no++;
        nb += (int64_t)h->hot.prefix + o->shape->size;
        for (uint32_t i = 0; i < o->shape->nslots; i++)
            if (o->slots[i])
                gct_objstack_push(&st, o->slots[i]);
    }
    gct_objstack_free(&st);
    if (objs)
        *objs = no;
    if (bytes)
        *bytes = nb;
}

void gct_heap_census(gct_heap *h, int64_t *reach_objects, int64_t *reach_bytes)
{
    reach_walk(h, true, reach_objects, reach_bytes);
    reach_walk(h, false, NULL, NULL);
}

void gct_heap_leaks(gct_heap *h, int64_t *objects, int64_t *bytes)
{
    int64_t ro, rb;
    gct_heap_census(h, &ro, &rb);
    if (objects)
        *objects = h->hot.live_objects - ro;
    if (bytes)
        *bytes = h->hot.live_bytes - rb;
}

/* ---- verification -------------------------------------------------------- */

struct verify_ctx {
    gct_heap *h;
    int64_t objs, bytes;
    char *err;
    size_t errlen;
    bool ok;
};

#define VFAIL(c, ...)                                                                              \
    do {                                                                                           \
        if ((c)->ok)                                                                               \
            snprintf((c)->err, (c)->errlen, __VA_ARGS__);                                          \
        (c)->ok = false;                                                                           \
    } while (0)

static void verify_obj(void *ud, gct_obj *o)
{
    struct verify_ctx *c = ud;
    gct_heap *h = c->h;
    c->objs++;
    c->bytes += (int64_t)h->hot.prefix + o->shape->size;
    /* REACH belongs to a walk, the backend's bits to a collection. */
    if (o->flags & (GCT_OF_REACH | GCT_OF_BACKEND_MASK))
        VFAIL(c, "object %p (%s) carries transient flags 0x%x outside a walk", (void *)o,
              o->shape->name, o->flags);
    if (h->hot.rc && o->refcnt == 0)
        VFAIL(c, "live object %p (%s) has reference count 0", (void *)o, o->shape->name);
    for (uint32_t i = 0; i < o->shape->nslots; i++) {
        gct_obj *t = o->slots[i];
        if (t && (t->flags & GCT_OF_FREE))
            VFAIL(c, "slot %u of %p (%s) points at freed object %p", i, (void *)o, o->shape->name,
                  (void *)t);
    }
    if (c->ok && !gct__weakref_verify(h, o, c->err, c->errlen))
        c->ok = false;
}

/*
 * Exact reference counts without a side table: subtract every reference
 * from slots and roots from its target's count, check that every count is
 * then zero, and add them back.  (A count too high or too low by k is left
 * at +k or -k.)  Only called once every slot is known to point at a live
 * object.
 */
static void refs_adjust(void *ud, gct_obj *o)
{
    int32_t delta = *(const int32_t *)ud;
    for (uint32_t i = 0; i < o->shape->nslots; i++)
        if (o->slots[i])
            o->slots[i]->refcnt += (uint32_t)delta;
}

static void refs_check(void *ud, gct_obj *o)
{
    struct verify_ctx *c = ud;
    if (o->refcnt != 0)
        VFAIL(c, "object %p (%s): reference count off by %+d from the references to it",
              (void *)o, o->shape->name, (int32_t)o->refcnt);
}

static void roots_adjust(gct_heap *h, int32_t delta)
{
    for (size_t i = 0; i < h->hot.nroots; i++)
        if (h->hot.roots[i])
            h->hot.roots[i]->refcnt += (uint32_t)delta;
}

bool gct_heap_verify(gct_heap *h, bool exact_refcounts, char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    struct verify_ctx c = {h, 0, 0, err, errlen, true};
    for (size_t i = 0; i < h->hot.nroots; i++) {
        gct_obj *r = h->hot.roots[i];
        if (r && (r->flags & GCT_OF_FREE))
            VFAIL(&c, "root %zu points at freed object %p", i, (void *)r);
    }
    gct_heap_foreach(h, verify_obj, &c);
    if (c.ok && c.objs != h->hot.live_objects)
        VFAIL(&c, "the heap counts %" PRId64 " live objects but the allocator holds %" PRId64,
              h->hot.live_objects, c.objs);
    if (c.ok && c.bytes != h->hot.live_bytes)
        VFAIL(&c, "the heap counts %" PRId64 " live bytes but the allocator holds %" PRId64,
              h->hot.live_bytes, c.bytes);
    if (c.ok && exact_refcounts && h->hot.rc) {
        int32_t minus = -1, plus = 1;
        gct_heap_foreach(h, refs_adjust, &minus);
        roots_adjust(h, -1);
        gct_heap_foreach(h, refs_check, &c);
        gct_heap_foreach(h, refs_adjust, &plus);
        roots_adjust(h, 1);
    }
    if (c.ok && h->ops->verify)
        c.ok = h->ops->verify(h, err, errlen);
    return c.ok;
}
