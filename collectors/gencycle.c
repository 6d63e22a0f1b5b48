/*
 * gencycle.c — reference counting plus a model of CPython 3.11's generational
 * cycle collector (Modules/gcmodule.c).
 *
 * Invariants (outside a collection):
 *  - Every live container object (a shape with slots, or a weak reference) is
 *    in exactly one of the lists gens[0..2] or permanent, through the two link
 *    words that precede its header (the model of PyGC_Head).  Atomic objects
 *    are never tracked.  A new container is appended to the tail of gens[0].
 *  - No object carries GCT_OF_COLLECTING or GCT_OF_UNREACHABLE.
 *  - h->hot.count[0] is net container allocations since the last collection of
 *    generation 0, never negative; h->hot.count[g] (g > 0) is collections of
 *    generation g-1 since the last collection of generation g.
 *
 * During a collection of generation g, the link's prev word holds gc_refs
 * instead of a pointer for objects flagged COLLECTING (the collected set is
 * then singly linked through next), exactly as CPython reuses _gc_prev.  The
 * UNREACHABLE mark that CPython keeps in a tag bit of _gc_next lives in the
 * header's flags byte here, which is why no pointer tagging is needed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal/backend.h"

/* gencycle's flags, in bits object.h reserves for the backend (BACKEND0 is
 * left unused, so the values are those the flags always had). */
enum {
    GCT_OF_COLLECTING = GCT_OF_BACKEND1,  /* in the set being collected */
    GCT_OF_UNREACHABLE = GCT_OF_BACKEND2, /* tentatively unreachable */
};

enum { KNOB_GEN0, KNOB_GEN1, KNOB_GEN2, KNOB_CASCADE, KNOB_PATCH };

/* The rows every version shares; gen0 differs in its default and in what
 * crossing it does (collect, or schedule for the next safepoint). */
#define GEN0_ROW(def, what)                                                                        \
    [KNOB_GEN0] = {"gen0", (def), 0, 1000000000, "allocations",                                  \
                   what " when container allocations minus frees exceed this"                    \
                        " (0 disables automatic collection)"}
#define SHARED_ROWS                                                                                \
    [KNOB_GEN1] = {"gen1", 10, 0, 1000000000, "collections",                                     \
                   "collect generation 1 after this many generation-0 collections"},             \
    [KNOB_GEN2] = {"gen2", 10, 0, 1000000000, "collections",                                     \
                   "collect generation 2 after this many generation-1 collections (and only "    \
                   "when pending long-lived objects reach 25% of the long-lived total)"},        \
    [KNOB_CASCADE] = {"cascade", 1000, 2, INT64_C(1000000000000), "objects",                     \
                      "record a decref whose cascade frees at least this many objects as a "     \
                      "pause"}

static const gct_knob knobs[] = {GEN0_ROW(700, "collect generation 0"), SHARED_ROWS};

/* CPython 3.12: the same collector, scheduled at the allocation and run at the
 * next safepoint; 3.12.0-3.12.2 ran a scheduled collection even after
 * gc.disable() (3.12.3, gh-116604, checks again when it runs). */
static const gct_knob knobs312[] = {
    GEN0_ROW(700, "schedule a collection for the next safepoint"),
    SHARED_ROWS,
    [KNOB_PATCH] = {"patch", 14, 0, 14, "3.12.x",
                    "the 3.12 micro release: up to 2, a collection scheduled before gc.disable() "
                    "still runs at the next safepoint"},
};

/* CPython 3.13: 3.12's schedule (3.12.3 and later) with threshold 0 at 2000. */
static const gct_knob knobs313[] = {
    GEN0_ROW(2000, "schedule a collection for the next safepoint"),
    SHARED_ROWS,
};

#define NGEN 3

typedef struct gencycle {
    gct_link gens[NGEN];
    gct_link permanent; /* gc.freeze() */
    int64_t long_lived_total;
    int64_t long_lived_pending;
    bool at_safepoint;      /* 3.12+: the allocation schedules, a safepoint runs */
    bool run_when_disabled; /* 3.12.0-3.12.2: a scheduled collection ignores gc.disable() */
} gencycle;

static gencycle *state(gct_heap *h) { return h->priv; }

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
 * Call fn(c, arg) for every slot c of o, NULL ones included, in slot order:
 * tp_traverse.  Inlined with fn known, and unrolled for the common slot
 * counts: in a pass over a big heap the loop control would otherwise cost
 * about as much as the work itself.
 */
typedef void (*slot_fn)(gct_obj *c, void *arg);

static inline __attribute__((always_inline)) void traverse(gct_obj *o, slot_fn fn, void *arg)
{
    gct_obj **s = o->slots;
    uint32_t ns = o->shape->nslots;
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

/* gc_refs = refcnt for every object of the set; mark them COLLECTING.
 * Returns the size of the set. */
static int64_t update_refs(gct_link *young, bool pf)
{
    int64_t n = 0;
    for (gct_link *l = young->next; l != young; l = l->next) {
        prefetch_ahead(pf, l);
        gct_obj *o = gct_link_obj(l);
        GCT_CHECK(o->refcnt > 0, "tracked object %p (%s) has refcnt 0", (void *)o, o->shape->name);
        set_refs(l, (intptr_t)o->refcnt);
        o->flags |= GCT_OF_COLLECTING;
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
                                                                         bool pf, int64_t *refs)
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

/* gc_collect_main: collect generation `gen`; returns objects collected. */
static int64_t collect_main(gct_heap *h, int gen)
{
    gencycle *g = state(h);
    uint64_t t0 = h->record_pauses ? gct_now_ns() : 0; /* the clock only for the pause log */

    if (gen + 1 < NGEN)
        h->hot.count[gen + 1] += 1;
    for (int i = 0; i <= gen; i++)
        h->hot.count[i] = 0;
    for (int i = 0; i < gen; i++)
        list_merge(&g->gens[i], &g->gens[gen]);

    gct_link *young = &g->gens[gen];
    gct_link *old = gen < NGEN - 1 ? &g->gens[gen + 1] : young;

    /* Only a full collection is big enough for prefetching to matter (the
     * younger generations are bounded by their thresholds), and only it pays
     * for the look at the list's order. */
    bool pf = gen == NGEN - 1 && list_in_address_order(young);
    int64_t examined, refs;
    if (gen == NGEN - 1 && list_is_empty(&g->permanent)) {
        /* Constant arguments: one copy of the pass with the prefetch and
         * one without, rather than a test at every object. */
        examined = pf ? update_subtract_all(young, true, &refs)
                      : update_subtract_all(young, false, &refs);
    } else {
        examined = update_refs(young, pf);
        refs = subtract_refs(young, pf);
    }
    /*
     * The references CPython 3.11's gc_collect_main has tp_traverse visit
     * (Modules/gcmodule.c), whatever shortcuts this file takes:
     *  - subtract_refs: every object of the set;
     *  - move_unreachable: every object found reachable, once (one put
     *    aside and moved back is traversed when the scan reaches it again);
     *  - move_legacy_finalizer_reachable: the objects with legacy finalizers
     *    and what they reach: none in the model;
     *  - handle_resurrected_objects runs deduce_unreachable again over the
     *    unreachable set, always: its subtract_refs traverses every
     *    unreachable object, and its move_unreachable every one a finalizer
     *    resurrected: none in the model (no finalizers, no callbacks);
     *  - nothing else (update_refs, the weak-reference and finalizer passes,
     *    tp_clear in delete_garbage and the untracking of tuples and dicts do
     *    not call tp_traverse).
     * Reachable plus unreachable is the set, and nothing changes a slot of
     * the set between the passes, so the total is exactly twice the
     * references the subtract pass counted.  An object's references are its
     * non-NULL slots, atoms included (Py_VISIT skips NULL and visits ints).
     */
    int64_t traversed = 2 * refs;
    gct_link unreachable;
    list_init(&unreachable);
    int64_t survivors = pf ? move_unreachable(young, &unreachable, true)
                            : move_unreachable(young, &unreachable, false);

    if (young != old) {
        if (gen == NGEN - 2)
            g->long_lived_pending += survivors;
        list_merge(young, old);
    } else {
        g->long_lived_pending = 0;
        g->long_lived_total = survivors;
    }

    /* No legacy finalizers in the model: every unreachable object is
     * collectable (move_legacy_finalizers finds none). */
    int64_t m = examined - survivors;
    /* handle_weakrefs: clear weak references to garbage before any object
     * is cleared.  (Weak references that are garbage themselves are
     * detached when freed; no callbacks exist in the model.)  With no weak
     * reference in the heap there is nothing to clear, and no pass. */
    if (h->weak.n) {
        for (gct_link *l = unreachable.next; l != &unreachable; l = l->next) {
            gct_obj *o = gct_link_obj(l);
            if (o->flags & GCT_OF_WEAKREFD)
                gct__weakrefs_clear(h, o);
        }
    }
    /* No finalizers (PEP 442) in the model, so nothing is resurrected. */
    delete_garbage(h, &unreachable, pf);

    h->stats[gen].collections++;
    h->stats[gen].collected += m;
    h->stats[gen].examined += examined;
    h->stats[gen].traversed += traversed;
    gct__record_pause(h, (gct_pause_kind)gen, t0, examined, traversed, m);
    return m;
}

static int64_t collect_with_callback(gct_heap *h, int gen)
{
    gct__emit_event(h, GCT_EVENT_START, gen, 0, 0);
    int64_t m = collect_main(h, gen);
    gct__emit_event(h, GCT_EVENT_STOP, gen, m, 0);
    return m;
}

/* gc_collect_generations: the oldest generation over its threshold, except
 * that generation 2 waits until pending long-lived objects reach a quarter
 * of the long-lived total (bpo-4074). */
static void collect_generations(gct_heap *h)
{
    gencycle *g = state(h);
    for (int i = NGEN - 1; i >= 0; i--) {
        if (h->hot.count[i] > h->hot.threshold[i]) {
            if (i == NGEN - 1 && g->long_lived_pending < g->long_lived_total / 4)
                continue;
            collect_with_callback(h, i);
            break;
        }
    }
}

/* 3.11 collects inside the allocation; 3.12+ only schedules there
 * (_Py_ScheduleGC) and collects at the next safepoint (_Py_RunGC), choosing
 * the generation then: by that time the allocation is complete. */
static void gc_collect_auto(gct_heap *h)
{
    if (state(h)->at_safepoint)
        h->hot.scheduled = true;
    else
        collect_generations(h);
}

static void gc_safepoint(gct_heap *h)
{
    if (h->hot.enabled || state(h)->run_when_disabled)
        collect_generations(h);
}

static int64_t gc_collect(gct_heap *h, int gen)
{
    if (gen < 0 || gen >= NGEN)
        return GCT_EINVAL;
    return collect_with_callback(h, gen);
}

/* ---- freeze -------------------------------------------------------------- */

static int gc_freeze(gct_heap *h)
{
    gencycle *g = state(h);
    for (int i = 0; i < NGEN; i++) {
        list_merge(&g->gens[i], &g->permanent);
        h->hot.count[i] = 0;
    }
    return GCT_OK;
}

static int gc_unfreeze(gct_heap *h)
{
    gencycle *g = state(h);
    list_merge(&g->permanent, &g->gens[NGEN - 1]);
    return GCT_OK;
}

static int64_t gc_freeze_count(gct_heap *h) { return list_size(&state(h)->permanent); }

/* ---- set-up -------------------------------------------------------------- */

static void gc_set_knob(gct_heap *h, uint32_t index, int64_t value)
{
    if (index <= KNOB_GEN2)
        h->hot.threshold[index] = value;
    else if (index == KNOB_CASCADE)
        h->cascade_limit = value;
    else if (index == KNOB_PATCH)
        state(h)->run_when_disabled = value <= 2;
}

static int gc_init(gct_heap *h, const int64_t *k)
{
    gencycle *g = calloc(1, sizeof *g);
    if (!g)
        return GCT_ENOMEM;
    for (int i = 0; i < NGEN; i++)
        list_init(&g->gens[i]);
    list_init(&g->permanent);
    h->priv = g;
    h->hot.rc = true;
    h->hot.track_mask = GCT_SHAPE_CONTAINER;
    h->hot.young = &g->gens[0];
    g->at_safepoint = h->ops != &gct_collector_gencycle;
    for (uint32_t i = 0; i < h->ops->nknobs; i++)
        gc_set_knob(h, i, k[i]);
    return GCT_OK;
}

static void gc_fini(gct_heap *h)
{
    free(h->priv);
    h->priv = NULL;
    h->hot.young = NULL;
}

/* ---- verifier ------------------------------------------------------------ */

struct count_ctx {
    int64_t containers;
    int64_t untracked;
};

static void count_containers(void *ud, gct_obj *o)
{
    struct count_ctx *c = ud;
    if (o->shape->flags & GCT_SHAPE_CONTAINER) {
        c->containers++;
        if (!gct_obj_link(o)->next)
            c->untracked++;
    }
}

static bool check_list(const gct_link *head, const char *name, int64_t *n, char *err,
                       size_t errlen)
{
    const gct_link *prev = head;
    for (const gct_link *l = head->next; l != head; l = l->next) {
        if (l->prev != prev) {
            snprintf(err, errlen, "%s: broken prev link at %p", name, (const void *)l);
            return false;
        }
        const gct_obj *o = gct_link_obj((gct_link *)l);
        if (o->flags & GCT_OF_FREE) {
            snprintf(err, errlen, "%s holds freed object %p", name, (const void *)o);
            return false;
        }
        if (!(o->shape->flags & GCT_SHAPE_CONTAINER)) {
            snprintf(err, errlen, "%s holds atomic object %p (%s)", name, (const void *)o,
                     o->shape->name);
            return false;
        }
        prev = l;
        (*n)++;
    }
    if (head->prev != prev) {
        snprintf(err, errlen, "%s: the head's prev is not the tail", name);
        return false;
    }
    return true;
}

static bool gc_verify(gct_heap *h, char *err, size_t errlen)
{
    gencycle *g = state(h);
    static const char *const names[] = {"generation 0", "generation 1", "generation 2"};
    if (h->hot.collecting) {
        snprintf(err, errlen, "verify called during a collection");
        return false;
    }
    int64_t tracked = 0;
    for (int i = 0; i < NGEN; i++)
        if (!check_list(&g->gens[i], names[i], &tracked, err, errlen))
            return false;
    if (!check_list(&g->permanent, "the permanent generation", &tracked, err, errlen))
        return false;
    struct count_ctx c = {0, 0};
    gct_heap_foreach(h, count_containers, &c);
    if (c.untracked) {
        snprintf(err, errlen, "%lld live containers are not tracked", (long long)c.untracked);
        return false;
    }
    if (tracked != c.containers) {
        snprintf(err, errlen, "the generation lists hold %lld objects but %lld containers live",
                 (long long)tracked, (long long)c.containers);
        return false;
    }
    for (int i = 0; i < NGEN; i++) {
        if (h->hot.count[i] < 0) {
            snprintf(err, errlen, "count[%d] is negative (%lld)", i, (long long)h->hot.count[i]);
            return false;
        }
    }
    if (g->long_lived_pending < 0 || g->long_lived_total < 0) {
        snprintf(err, errlen, "long-lived counters are negative");
        return false;
    }
    return true;
}

/* One algorithm, three schedules: the tables differ in name, knobs, the
 * CPython they model and whether a safepoint runs a scheduled collection. */
#define GENCYCLE_TABLE(name_, summary_, knobs_, cpython_, safepoint_)                              \
    {                                                                                              \
        .abi = GCT_COLLECTOR_ABI, .name = (name_), .summary = (summary_), .knobs = (knobs_),       \
        .nknobs = sizeof(knobs_) / sizeof(knobs_)[0], .prefix = sizeof(gct_link),                 \
        .ngenerations = NGEN, .cpython = (cpython_), .init = gc_init, .fini = gc_fini,             \
        .set_knob = gc_set_knob, .collect_auto = gc_collect_auto, .safepoint = (safepoint_),       \
        .collect = gc_collect, .freeze = gc_freeze, .unfreeze = gc_unfreeze,                      \
        .freeze_count = gc_freeze_count, .verify = gc_verify,                                     \
    }

const gct_collector gct_collector_gencycle =
    GENCYCLE_TABLE("gencycle", "reference counting + CPython 3.11's generational cycle collector",
                   knobs, "3.11", NULL);

const gct_collector gct_collector_gencycle312 =
    GENCYCLE_TABLE("gencycle312",
                   "CPython 3.12's generational collector: scheduled at the allocation, run at "
                   "the next safepoint",
                   knobs312, "3.12", gc_safepoint);

const gct_collector gct_collector_gencycle313 =
    GENCYCLE_TABLE("gencycle313",
                   "CPython 3.13's generational collector: 3.12's schedule, threshold 0 at 2000",
                   knobs313, "3.13", gc_safepoint);
