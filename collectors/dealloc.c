/*
 * dealloc.c — how objects die: gct__free returns one object's block to the
 * allocator (clearing weak references to it, unlinking its prefix link when
 * the heap keeps one, and keeping the accounting exact), gct__dealloc frees
 * an object whose count reached zero and everything that dies with it with
 * an explicit worklist (timed as a cascade pause above the limit), and
 * gct__alloc_large is the allocation path's out-of-line branch for objects
 * larger than the allocator's small classes.
 */
#include <stdbool.h>

#include "internal/backend.h"

void gct__free(gct_heap *h, gct_obj *o)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "double free of %p", (void *)o);
    if (o->flags & GCT_OF_WEAKREFD)
        gct__weakrefs_clear(h, o);
    if (o->shape->flags & GCT_SHAPE_WEAKREF)
        gct__weakref_unlink(h, o);
    if (h->hot.young && (o->shape->flags & GCT_SHAPE_CONTAINER)) {
        /* A backend that has new containers linked onto its list
         * (gencycle, cpython): untrack, and count[0] goes down but never
         * below zero (PyObject_GC_Del). */
        bool gc_del = true;
        if (o->shape->flags & GCT_SHAPE_TUPLE)
            gc_del = gct__tuple_freed(h, o);
        if (h->ops->free_container)
            gc_del = h->ops->free_container(h, o) && gc_del;
        gct_link *l = gct_obj_link(o);
        if (l->next) {
            l->prev->next = l->next;
            l->next->prev = l->prev;
            l->next = l->prev = NULL;
        }
        if (gc_del && h->hot.count[0] > 0)
            h->hot.count[0]--;
    }
    size_t size = (size_t)h->hot.prefix + o->shape->size;
    h->hot.live_objects--;
    h->hot.live_bytes -= (int64_t)size;
    h->hot.total_frees++;
    char *block = (char *)o - h->hot.prefix;
    if (o->sizeclass)
        gct_pool_free(&h->hot.pool, block, o->sizeclass);
    else
        gct_pool_free_large(&h->hot.pool, block);
}

gct_obj *gct__alloc_large(gct_heap *h, const gct_shape *s, size_t size)
{
    (void)s;
    char *block = gct_pool_alloc_large(&h->hot.pool, size);
    gct_obj *o = (gct_obj *)(void *)(block + h->hot.prefix);
    o->sizeclass = 0;
    return o;
}

/*
 * o's reference count reached zero: free it and everything that dies with
 * it, using an explicit worklist so that a 10,000,000-long chain never
 * recurses.  A cascade of at least cascade_limit objects is recorded as a
 * pause (not inside a collection, whose pause already covers it).
 *
 * Reading the clock costs about 25 ns, more than freeing a small object, so
 * a cascade is only timed once it has freed CASCADE_HEAD objects (or its
 * second object, when the limit is small): dropping a tuple and its int costs
 * no clock read.  The recorded pause therefore leaves out the time of the
 * first CASCADE_HEAD - 1 frees, at most about 3% of a cascade of the default
 * limit of 1,000 (an estimate of it could place the start before the decref
 * that caused it, so none is added).
 */
#define CASCADE_HEAD 32

void gct__dealloc(gct_heap *h, gct_obj *o)
{
    size_t n = 0;
    int64_t freed = 0;
    uint64_t t0 = 0;
    bool timing = false;
    bool may_record = h->record_pauses && !h->hot.collecting && h->cascade_limit != INT64_MAX;
    int64_t start_at = h->cascade_limit > 4 * CASCADE_HEAD ? CASCADE_HEAD : 1;
    gct_obj *x = o;
    for (;;) {
        uint32_t ns = x->shape->nslots;
        for (uint32_t i = 0; i < ns; i++) {
            gct_obj *c = x->slots[i];
            if (c) {
                GCT_CHECK(c->refcnt > 0, "decref below zero of %p (%s)", (void *)c, c->shape->name);
                if (--c->refcnt == 0) {
                    if (n == h->work_cap)
                        h->work = gct__grow_array(h->work, &h->work_cap, sizeof *h->work, 256);
                    h->work[n++] = c;
                }
            }
        }
        gct__free(h, x);
        freed++;
        if (n == 0)
            break;
        if (!timing && may_record && freed >= start_at) {
            timing = true;
            t0 = gct_now_ns();
        }
        x = h->work[--n];
    }
    if (timing && freed >= h->cascade_limit)
        gct__record_pause(h, GCT_PAUSE_CASCADE, t0, freed, 0, freed);
}
