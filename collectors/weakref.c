/*
 * weakref.c — weak references.  A weak reference is a heap object of the
 * built-in shape gct_weakref_shape, a tracked container with no strong
 * references (like CPython's); its payload holds the target and its
 * neighbours in the chain of weak references to the same target, and the
 * heap's map h->weak leads from a target to the first of them.  When the
 * target dies every weak reference to it is cleared (reads NULL); when a
 * weak reference dies it leaves its chain.
 */
#include <stdio.h>

#include "internal/backend.h"

/* A weak reference's payload: its target and its neighbours in the chain of
 * weak references to the same target. */
typedef struct gct_wref {
    gct_obj *target;
    gct_obj *next, *prev;
} gct_wref;

const gct_shape gct_weakref_shape = {
    .name = "weakref",
    .nslots = 0,
    .payload = sizeof(gct_wref),
    /* A tracked container with no strong references, like CPython's. */
    .flags = GCT_SHAPE_OBJECT | GCT_SHAPE_CONTAINER | GCT_SHAPE_WEAKREF,
    .size = sizeof(gct_obj) + sizeof(gct_wref),
};

static gct_wref *wref_of(gct_obj *wr) { return (gct_wref *)(void *)wr->slots; }

void gct__weakrefs_clear(gct_heap *h, gct_obj *o)
{
    uintptr_t *head = gct__ptrmap_get(&h->weak, o);
    for (gct_obj *wr = head ? (gct_obj *)*head : NULL; wr;) {
        gct_wref *w = wref_of(wr);
        gct_obj *next = w->next;
        w->target = w->next = w->prev = NULL;
        wr = next;
    }
    gct__ptrmap_del(&h->weak, o);
    o->flags &= (uint8_t)~GCT_OF_WEAKREFD;
}

/* A weak reference dies: take it out of its target's chain. */
void gct__weakref_unlink(gct_heap *h, gct_obj *wr)
{
    gct_wref *w = wref_of(wr);
    if (!w->target)
        return;
    if (w->prev) {
        wref_of(w->prev)->next = w->next;
    } else if (w->next) {
        gct__ptrmap_put(&h->weak, w->target, (uintptr_t)w->next);
    } else {
        gct__ptrmap_del(&h->weak, w->target);
        w->target->flags &= (uint8_t)~GCT_OF_WEAKREFD;
    }
    if (w->next)
        wref_of(w->next)->prev = w->prev;
    w->target = w->next = w->prev = NULL;
}

gct_obj *gct_weakref_new(gct_heap *h, gct_obj *target)
{
    if (!target)
        gct__fatal("gct_weakref_new: the target is NULL");
    GCT_CHECK(!(target->flags & GCT_OF_FREE), "weak reference to freed object %p", (void *)target);
    /* The allocation may collect: hold the target on the root stack across
     * it, so that a target reachable only from the caller survives. */
    gct_root_push(h, target);
    gct_obj *wr = gct__alloc(h, &gct_weakref_shape);
    gct_obj *held = h->hot.roots[h->hot.nroots - 1];
    h->hot.roots[h->hot.nroots - 1] = wr; /* the stack now owns the new reference */
    if (held)
        gct_decref(h, held);      /* drop the hold (the caller still has target) */
    gct_wref *w = wref_of(wr);
    uintptr_t *head = gct__ptrmap_get(&h->weak, target);
    w->target = target;
    w->prev = NULL;
    w->next = head ? (gct_obj *)*head : NULL;
    if (w->next)
        wref_of(w->next)->prev = wr;
    gct__ptrmap_put(&h->weak, target, (uintptr_t)wr);
    target->flags |= GCT_OF_WEAKREFD;
    return wr;
}

/* The verifier's checks of one object's weak-reference state (heap_verify.c):
 * a weak reference's target is alive, flagged, and has it in its chain; a
 * flagged object has a chain.  Writes the first failure to err. */
bool gct__weakref_verify(gct_heap *h, gct_obj *o, char *err, size_t errlen)
{
    if (o->shape->flags & GCT_SHAPE_WEAKREF) {
        gct_wref *w = wref_of(o);
        if (w->target) {
            if (w->target->flags & GCT_OF_FREE) {
                snprintf(err, errlen, "weak reference %p points at freed object %p", (void *)o,
                         (void *)w->target);
                return false;
            }
            if (!(w->target->flags & GCT_OF_WEAKREFD)) {
                snprintf(err, errlen, "target %p of weak reference %p lacks its weakref flag",
                         (void *)w->target, (void *)o);
                return false;
            }
            uintptr_t *head = gct__ptrmap_get(&h->weak, w->target);
            gct_obj *x = head ? (gct_obj *)*head : NULL;
            while (x && x != o)
                x = wref_of(x)->next;
            if (!x) {
                snprintf(err, errlen, "weak reference %p is missing from its target's chain",
                         (void *)o);
                return false;
            }
        }
    }
    if ((o->flags & GCT_OF_WEAKREFD) && !gct__ptrmap_get(&h->weak, o)) {
        snprintf(err, errlen, "object %p is flagged weakly referenced but has no weak references",
                 (void *)o);
        return false;
    }
    return true;
}
