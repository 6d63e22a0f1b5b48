/*
 * internal/cycles.h — CPython's cycle detection over one list of tracked
 * objects (deduce_unreachable and delete_garbage of Modules/gcmodule.c and
 * Python/gc.c), shared by every model of CPython's collector: gencycle.c
 * (the generational versions) and incremental.c (3.14's incremental one)
 * collect a generation or an increment with the same passes.
 *
 * Everything is static inline (the passes are the hot loops of a full
 * collection and are specialised for prefetching by constant arguments).
 *
 * The set being collected is a list of gct_link prefixes (the model of
 * PyGC_Head).  During a collection the link's prev word holds gc_refs for
 * objects flagged CYC_COLLECTING (the set is then singly linked through
 * next), exactly as CPython reuses _gc_prev; the UNREACHABLE mark CPython
 * keeps in a tag bit of _gc_next lives in the header's flags byte here.  Both
 * flags are backend bits (object.h) and are clear outside a collection.
 */
#ifndef GCT_INTERNAL_CYCLES_H
#define GCT_INTERNAL_CYCLES_H

#include "backend.h"

/* The collection's flags, in bits object.h reserves for the backend
 * (BACKEND0 is left to the backend: incremental.c does not use it either). */
enum {
    GCT_OF_COLLECTING = GCT_OF_BACKEND1,  /* in the set being collected */
    GCT_OF_UNREACHABLE = GCT_OF_BACKEND2, /* tentatively unreachable */
};


/* ---- lists (gc_list_*) --------------------------------------------------- */

static void list_init(gct_link *l) { l->next = l->prev = l; }
static bool list_is_empty(const gct_link *l) { return l->next == l; }

static int64_t list_size(const gct_link *l)
{
    int64_t n = 0;
    for (const gct_link *x = l->next; x != l; x = x->next)
        n++;
    return n;
}

static void list_append(gct_link *node, gct_link *list) { gct__link_append(node, list); }

/* Append all of from to to; from becomes empty. */
static void list_merge(gct_link *from, gct_link *to)
{
    if (list_is_empty(from))
        return;
    gct_link *tail = to->prev;
    tail->next = from->next;
    from->next->prev = tail;
    to->prev = from->prev;
    to->prev->next = to;
    list_init(from);
}

/* ---- gc_refs in the prev word ------------------------------------------- */

static intptr_t get_refs(const gct_link *l) { return (intptr_t)(uintptr_t)l->prev; }
static void set_refs(gct_link *l, intptr_t r) { l->prev = (gct_link *)(uintptr_t)r; }

/*
 * Call fn(c, arg) for every slot c of o, NULL ones included, in the order
 * of CPython's tp_traverse: slot order (an instance's __slots__), or last
 * slot first for a GCT_SHAPE_REVERSE shape (list_traverse, tupletraverse).
 * The order is where move_unreachable puts the objects it finds reachable
 * after all, so it decides the order of the old spaces and which objects
 * 3.14's next increment takes.  Inlined with fn known, and unrolled for the
 * common slot counts: in a pass over a big heap the loop control would
 * otherwise cost about as much as the work itself.
 */
typedef void (*slot_fn)(gct_obj *c, void *arg);

static inline __attribute__((always_inline)) void traverse(gct_obj *o, slot_fn fn, void *arg)
{
    gct_obj **s = o->slots;
    uint32_t ns = o->shape->nslots;
    if (__builtin_expect((o->shape->flags & GCT_SHAPE_REVERSE) != 0, 0)) {
        for (uint32_t i = ns; i-- > 0;)
            fn(s[i], arg);
        return;
    }
    switch (ns) {
    case 0: break;
    case 1: fn(s[0], arg); break;
    case 2: fn(s[0], arg); fn(s[1], arg); break;
    case 3: fn(s[0], arg); fn(s[1], arg); fn(s[2], arg); break;
    case 4: fn(s[0], arg); fn(s[1], arg); fn(s[2], arg); fn(s[3], arg); break;
    default:
        for (uint32_t i = 0; i < ns; i++)
            fn(s[i], arg);
        break;
    }
}

/*
 * Prefetching.  The passes below walk a generation list, which in a big heap
 * streams from memory.  The hardware prefetcher follows that stream, but not
 * far enough ahead of a pass that does real work on every object: on a
 * 2M-object tree each pass waited about 2 ns per object for memory.  When
 * the list is in address order (allocation order, the usual case, and the
 * order a full collection keeps for a tree or a list), a prefetch
 * PREFETCH_AHEAD bytes ahead of the current object hides that wait.  A list
 * out of order (a random graph after its first collection) is left to the
 * hardware: there the line 8 KiB ahead is unrelated, and fetching it would
 * only take bandwidth.  Whether a list is in order is judged once per pass
 * from its first links (a test at every object cost 10 instructions of the
 * ~95 a live object takes over the two passes of a full collection).
 */
#define PREFETCH_AHEAD 8192

static bool list_in_address_order(const gct_link *head)
{
    int n = 0, near = 0;
    for (const gct_link *l = head->next; l != head && n < 32; l = l->next, n++)
        near += (uintptr_t)l->next - (uintptr_t)l < 1024;
    return n > 0 && near * 4 >= n * 3;
}

static inline void prefetch_ahead(bool on, const gct_link *l)
{
    if (on) /* loop-invariant: the compiler unswitches the loop */
        __builtin_prefetch((const char *)l + PREFETCH_AHEAD, 1, 2);
}

/* The update passes can also write every object's spare word (spare >= 0:
 * the 3.14 model's space bits, set in the pass that touches the header
 * anyway instead of a walk of its own); -1 leaves it. */
#define CYC_KEEP_SPARE (-1)

/* gc_refs = refcnt for every object of the set; mark them COLLECTING.
 * Returns the size of the set. */
static inline int64_t update_refs(gct_link *young, bool pf, int spare)
{
    int64_t n = 0;
    for (gct_link *l = young->next; l != young; l = l->next) {
        prefetch_ahead(pf, l);
        gct_obj *o = gct_link_obj(l);
        GCT_CHECK(o->refcnt > 0, "tracked object %p (%s) has refcnt 0", (void *)o, o->shape->name);
        set_refs(l, (intptr_t)o->refcnt);
        o->flags |= GCT_OF_COLLECTING;
        if (spare >= 0)
            o->spare = (uint16_t)spare;
        n++;
    }
    return n;
}

/* The visitors of the subtract pass also count the non-NULL references
 * they are given (arg: an int64_t in the caller's frame, a register once
 * traverse is inlined): see collect_main for why that one count is all the
 * traversal work of a collection. */
static inline void visit_decref(gct_obj *c, void *arg)
{
    if (!c)
        return;
    ++*(int64_t *)arg;
    if (c->flags & GCT_OF_COLLECTING) {
        gct_link *cl = gct_obj_link(c);
        set_refs(cl, get_refs(cl) - 1);
    }
}

/* Subtract internal references: afterwards gc_refs counts only references
 * from outside the set (roots, older generations, C code).  Returns the
 * non-NULL references of the set. */
static int64_t subtract_refs(gct_link *young, bool pf)
{
    int64_t refs = 0;
    for (gct_link *l = young->next; l != young; l = l->next) {
        prefetch_ahead(pf, l);
        traverse(gct_link_obj(l), visit_decref, &refs);
    }
    return refs;
}

static inline void visit_decref_all(gct_obj *c, void *arg)
{
    if (!c)
        return;
    ++*(int64_t *)arg;
    if (!(c->shape->flags & GCT_SHAPE_CONTAINER))
        return;
    gct_link *cl = gct_obj_link(c);
    uint8_t cf = c->flags;
    intptr_t cr = (cf & GCT_OF_COLLECTING) ? get_refs(cl) : 0;
    set_refs(cl, cr - 1);
    c->flags = (uint8_t)(cf | GCT_OF_COLLECTING);
}

/*
 * update_refs and subtract_refs in one pass, for a collection whose set is
 * every tracked object: the oldest generation with nothing frozen (the
 * caller merged the younger ones into it).  Then a referent is in the set
 * exactly when it is a container (every live container is tracked), so
 * membership needs no COLLECTING flag set by an earlier pass, and one walk
 * over the set does the work of two (a full collection of a big heap is
 * bound by memory traffic, and this saves a read and a write-back of every
 * object).
 *
 * A referent met before the walk reaches it is flagged COLLECTING with
 * gc_refs = minus the references seen so far; when the walk reaches an
 * object it adds refcnt.  Afterwards, as after the two passes, every object
 * of the set is flagged COLLECTING and its gc_refs counts only references
 * from outside the set.  Returns the size of the set, and in *refs its
 * non-NULL references.
 */
static inline __attribute__((always_inline)) int64_t update_subtract_all(gct_link *young,
                                                                         bool pf, int64_t *refs,
                                                                         int spare)
{
    int64_t n = 0, nrefs = 0;
    for (gct_link *l = young->next; l != young; l = l->next) {
        prefetch_ahead(pf, l);
        gct_obj *o = gct_link_obj(l);
        GCT_CHECK(o->refcnt > 0, "tracked object %p (%s) has refcnt 0", (void *)o, o->shape->name);
        /* Without branches on the flag (conditional moves): whether an
         * object was met before the walk reached it depends on the shape of
         * the heap and predicts poorly. */
        uint8_t f = o->flags;
        intptr_t r = (f & GCT_OF_COLLECTING) ? get_refs(l) : 0;
        set_refs(l, r + (intptr_t)o->refcnt);
        o->flags = (uint8_t)(f | GCT_OF_COLLECTING);
        if (spare >= 0)
            o->spare = (uint16_t)spare;
        traverse(o, visit_decref_all, &nrefs);
        n++;
    }
    *refs = nrefs;
    return n;
}

/* A referent of a reachable object is reachable too (visit_reachable). */
static inline void visit_reachable(gct_obj *c, void *arg)
{
    gct_link *young = arg;
    if (!c || !(c->flags & GCT_OF_COLLECTING))
        return; /* not in the set, or already scanned */
    gct_link *l = gct_obj_link(c);
    if (c->flags & GCT_OF_UNREACHABLE) {
        /* Put aside earlier with gc_refs 0, but reachable after all: back to
         * the tail of young, where the scan will reach it again. */
        l->prev->next = l->next;
        l->next->prev = l->prev;
        list_append(l, young);
        c->flags &= (uint8_t)~GCT_OF_UNREACHABLE;
        set_refs(l, 1);
    } else {
        /* Not scanned yet: gc_refs 0 becomes 1 to tell the scan it is
         * reachable (a store without a branch: the scan writes this line
         * anyway). */
        intptr_t r = get_refs(l);
        set_refs(l, r + (r == 0));
    }
}

/*
 * Split young into reachable (stays in young) and unreachable.  Invariant of
 * the scan: everything to the left of l in young is reachable and scanned,
 * with COLLECTING cleared and its prev pointer restored; everything put in
 * unreachable so far had gc_refs 0 when the scan reached it.  Afterwards
 * young is a proper doubly linked list of reachable objects, and unreachable
 * holds objects flagged COLLECTING|UNREACHABLE.  Returns the number of
 * reachable objects (each is scanned exactly once), which saves CPython's
 * extra gc_list_size walk over the survivors.
 */
static inline __attribute__((always_inline)) int64_t move_unreachable(gct_link *young,
                                                                      gct_link *unreachable,
                                                                      bool pf)
{
    int64_t reachable = 0;
    gct_link *prev = young;
    gct_link *l = young->next;
    while (l != young) {
        prefetch_ahead(pf, l);
        gct_obj *o = gct_link_obj(l);
        if (get_refs(l) > 0) {
            /* May append to young (so read prev->next only afterwards). */
            traverse(o, visit_reachable, young);
            l->prev = prev;
            o->flags &= (uint8_t)~GCT_OF_COLLECTING;
            prev = l;
            reachable++;
        } else {
            prev->next = l->next;
            list_append(l, unreachable);
            o->flags |= GCT_OF_UNREACHABLE;
        }
        l = prev->next;
    }
    young->prev = prev;
    return reachable;
}

/*
 * delete_garbage.  CPython calls tp_clear on each object of the collectable
 * set in turn (holding a reference across the call) and lets reference
 * counting free whatever reaches zero; an object that survives its own clear
 * (something outside still holds it) moves to the next generation.  In the
 * model that never happens, and the objects of the set can be freed directly:
 *  - nothing outside the set references an object of the set: such a
 *    reference (from an older generation, a frozen object, a reachable object
 *    of this generation, a root or C code) is counted in its gc_refs or makes
 *    it reachable, and the object would not be in the set;
 *  - so references from inside the set are the only ones, and once each
 *    object has dropped its references to objects outside the set, every
 *    object of the set is unreferenced;
 *  - a referent outside the set may die in an ordinary cascade (an old
 *    object that only garbage held), and that cascade cannot reach back into
 *    the set, by the first point;
 *  - the model has no finalizers or weak-reference callbacks, so no code
 *    runs in between that could see the difference, and weak references to
 *    the set were already cleared (handle_weakrefs).
 * The same objects die, outside referents get the same decrefs, and the
 * counts are the same as with CPython's clear-and-cascade; only the order in
 * which blocks return to the allocator differs.  It costs one pass over the
 * set instead of a clear, a move to the next generation and a cascade per
 * object (an object is freed while its referrers in the set still point at
 * it, hence the check for GCT_OF_FREE: the allocator keeps a freed small
 * block's header, and no allocation can reuse it during the collection;
 * large blocks, which go back to malloc, are freed after the pass).
 */
static inline void visit_drop_outside(gct_obj *c, void *arg)
{
    if (c && !(c->flags & (GCT_OF_COLLECTING | GCT_OF_FREE)))
        gct_decref(arg, c);
}

static void delete_garbage(gct_heap *h, gct_link *collectable, bool pf)
{
    gct_link *large = NULL; /* freed last, chained through next */
    gct_link *l = collectable->next;
    while (l != collectable) {
        gct_link *next = l->next;
        prefetch_ahead(pf, l);
        gct_obj *o = gct_link_obj(l);
        traverse(o, visit_drop_outside, h);
        if (o->sizeclass) {
            l->next = l->prev = NULL; /* off every list already: gct__free skips the unlink */
            gct__free(h, o);
        } else {
            /* A large block goes back to malloc whole, flag included, so it
             * must outlive the pass that may still look at it. */
            l->prev = NULL;
            l->next = large;
            large = l;
        }
        l = next;
    }
    while (large) {
        gct_link *next = large->next;
        large->next = NULL;
        gct__free(h, gct_link_obj(large));
        large = next;
    }
    list_init(collectable);
}

/* handle_weakrefs: clear weak references to garbage before any object is
 * cleared.  (Weak references that are garbage themselves are detached when
 * freed; no callbacks exist in the model.)  With no weak reference in the
 * heap there is nothing to clear, and no pass. */
static inline void clear_weakrefs_to(gct_heap *h, gct_link *unreachable)
{
    if (!h->weak.n)
        return;
    for (gct_link *l = unreachable->next; l != unreachable; l = l->next) {
        gct_obj *o = gct_link_obj(l);
        if (o->flags & GCT_OF_WEAKREFD)
            gct__weakrefs_clear(h, o);
    }
}

/*
 * untrack_tuples: a tracked tuple whose items are all atoms can never be
 * part of a cycle, and CPython untracks it when a collection meets it (its
 * items are always atoms here: gct_tuple_new).  Its spare word is cleared
 * (the 3.14 model's bits are for tracked objects); *had_spare, if given,
 * gets how many had one.  Returns the tuples untracked.
 */
static inline int64_t untrack_tuples(gct_heap *h, gct_link *list, int64_t *had_spare)
{
    int64_t n = 0, spare = 0;
    if (h->tuples_tracked) {
        gct_link *l = list->next;
        while (l != list) {
            gct_link *next = l->next;
            gct_obj *o = gct_link_obj(l);
            if (o->shape->flags & GCT_SHAPE_TUPLE) {
                l->prev->next = next;
                next->prev = l->prev;
                l->next = l->prev = NULL;
                spare += o->spare != 0;
                o->spare = 0;
                n++;
            }
            l = next;
        }
        h->tuples_tracked -= n;
        h->untracked_containers += n;
    }
    if (had_spare)
        *had_spare = spare;
    return n;
}

#endif
