/*
 * tuple.c — CPython's tuples of atoms, the one place where the versions'
 * collectors differ in what an allocation is (docs/object-model.md):
 *  - up to 3.14.0 a new tuple is tracked and counted like any container, and
 *    a collection that finds it holds only atoms untracks it
 *    (untrack_tuples, internal/cycles.h);
 *  - from 3.14.1 (and in 3.14.5+/3.15) a tuple built from atoms is created
 *    untracked; 3.14.1-3.14.4 count tracking, so it never counts, while
 *    3.15 counts allocations, so it does;
 *  - a freed tuple goes to a per-size free list of 2000 (no PyObject_GC_Del,
 *    so count[0] does not go down), and a tuple taken from it is no
 *    allocation (no _PyObject_GC_Link, so it does not count on the
 *    versions that count allocations).  A full collection empties the lists.
 * A backend that is not a CPython model (policy 0) gets a plain container.
 */
#include "internal/backend.h"

static const gct_shape atom_shape = GCT_SHAPE("tuple.item", 0, 16);

#define TUPLE_SHAPE(n)                                                                             \
    {                                                                                              \
        .name = "tuple" #n, .nslots = (n), .payload = 0,                                          \
        .flags = GCT_SHAPE_OBJECT | GCT_SHAPE_CONTAINER | GCT_SHAPE_TUPLE | GCT_SHAPE_REVERSE,    \
        .size = (uint32_t)(sizeof(gct_obj) + (n) * sizeof(gct_obj *))                             \
    }
static const gct_shape tuple_shapes[GCT_TUPLE_MAX + 1] = {
    TUPLE_SHAPE(0), TUPLE_SHAPE(1), TUPLE_SHAPE(2), TUPLE_SHAPE(3), TUPLE_SHAPE(4),
    TUPLE_SHAPE(5), TUPLE_SHAPE(6), TUPLE_SHAPE(7), TUPLE_SHAPE(8),
};

gct_obj *gct_tuple_new(gct_heap *h, uint32_t n)
{
    if (n < 1 || n > GCT_TUPLE_MAX)
        gct__fatal("gct_tuple_new: %u items (a tuple has 1 to %d)", n, GCT_TUPLE_MAX);
    /* The items first, held on the root stack (Python's value stack). */
    size_t base = h->hot.nroots;
    for (uint32_t i = 0; i < n; i++)
        gct_new(h, &atom_shape);
    uint32_t pol = h->tuple_policy;
    gct_obj *t;
    if (!(pol & GCT_TUPLES_CPYTHON)) {
        t = gct__alloc(h, &tuple_shapes[n]);
    } else {
        bool reused = h->tuple_free[n - 1] > 0;
        h->tuple_free[n - 1] -= reused;
        bool tracked = !(pol & GCT_TUPLES_UNTRACKED);
        bool counted = (pol & GCT_TUPLES_COUNT_TRACKED) ? tracked : !reused;
        if (counted)
            gct__count_alloc(h);
        t = gct__alloc_uncounted(h, &tuple_shapes[n]);
        gct_link *l = gct_obj_link(t);
        if (!tracked) {
            l->prev->next = l->next;
            l->next->prev = l->prev;
            l->next = l->prev = NULL;
            h->untracked_containers++;
        } else {
            h->tuples_tracked++;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        t->slots[i] = h->hot.roots[base + i];
        h->hot.roots[base + i] = NULL; /* the tuple takes the stack's reference */
    }
    h->hot.nroots = base;
    h->hot.roots[h->hot.nroots++] = t; /* the stack owns the new reference */
    return t;
}

bool gct__tuple_freed(gct_heap *h, gct_obj *t)
{
    uint32_t pol = h->tuple_policy;
    if (!(pol & GCT_TUPLES_CPYTHON))
        return true;
    bool tracked = gct_obj_link(t)->next != NULL;
    if (tracked)
        h->tuples_tracked--;
    else
        h->untracked_containers--;
    /* 3.14.1+ gives the count back when tuple_dealloc untracks a tracked
     * tuple, whichever way the memory goes. */
    bool pushed = h->tuple_free[t->shape->nslots - 1] < GCT_TUPLE_FREELIST;
    h->tuple_free[t->shape->nslots - 1] += pushed;
    if (pol & GCT_TUPLES_COUNT_TRACKED)
        return tracked;
    return !pushed;
}

void gct__tuple_freelists_clear(gct_heap *h)
{
    for (int i = 0; i < GCT_TUPLE_MAX; i++)
        h->tuple_free[i] = 0;
}
