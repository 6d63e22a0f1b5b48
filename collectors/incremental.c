/*
 * incremental.c — reference counting plus a model of CPython 3.14.0-3.14.4's
 * incremental cycle collector (Python/gc.c at v3.14.0; the accounting that
 * 3.14.1 changed is the `patch` knob).  docs/collectors.md tells the story.
 *
 * The heap is young (new containers, h->hot.young) plus two old spaces: the
 * objects this scavenge has already visited and the ones still pending.
 * Every automatic collection is one increment, a step in Lua's sense: the
 * first of a scavenge is a MARK step, which moves what the interpreter's
 * roots and the frames reach straight to the visited space and collects
 * nothing; each later COLLECT step collects young plus as much of the
 * pending space as the work budget allows (with everything those pending
 * objects reach that is not visited yet), and puts the survivors in the
 * visited space.  When nothing is pending the scavenge is complete: the
 * visited space becomes the pending one of the next scavenge.
 *
 * Invariants (outside a collection):
 *  - Every live container is in exactly one of young, old[0], old[1] or
 *    permanent.  An object's old-space bit (CPython keeps it in _gc_next)
 *    is bit SPACE1 of its spare word: an object in old[s] has space s, one
 *    in permanent has the visited space (CPython's invariant 1 of
 *    completed_scavenge).  A young object is never visited, whatever its
 *    bit says (a new object's spare word is 0): NOTYOUNG tells.
 *  - Bit NOTYOUNG is set exactly on the objects outside young, and
 *    nonyoung_live counts them (the free hook takes freed ones off), so the
 *    heap size CPython keeps is heap_base + young + nonyoung_live.
 *  - h->hot.count[0] is young.count; count[1] and count[2] are the visited
 *    and the pending space's counts, which only gc.collect(0) raises
 *    (gc.get_count() order).
 *
 * The passes that find garbage in a set are internal/cycles.h's.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal/backend.h"
#include "internal/cycles.h"

enum {
    KNOB_GEN0,
    KNOB_GEN1,
    KNOB_GEN2,
    KNOB_CASCADE,
    KNOB_PATCH,
    KNOB_HEAP_BASE,
    KNOB_BASE_REACHED,
    KNOB_FREEZE
};

static const gct_knob knobs[] = {
    [KNOB_GEN0] = {"gen0", 2000, 0, 1000000000, "objects",
                   "schedule an increment for the next safepoint when new container objects "
                   "(3.14.0: allocations; 3.14.1+: tracked objects) minus frees exceed this "
                   "(0 disables automatic collection)"},
    [KNOB_GEN1] = {"gen1", 10, 0, 1000000000, "scale",
                   "scales the old-space scan: an increment scans heap/(10*gen1) old objects "
                   "besides the new ones (at most 1.5x them; 3.14.1+ 2x); values below 2 act "
                   "as 2"},
    [KNOB_GEN2] = {"gen2", 0, 0, 1000000000, GCT_KNOB_UNREAD,
                   "stored and never read: CPython 3.14's incremental collector has no third "
                   "threshold (get_threshold() always reports 0)"},
    [KNOB_CASCADE] = {"cascade", 1000, 2, INT64_C(1000000000000), "objects",
                      "record a decref whose cascade frees at least this many objects as a "
                      "pause"},
    [KNOB_PATCH] = {"patch", 4, 0, 4, "3.14.x",
                    "the 3.14 micro release: 0 counts allocations (3.14.0); 1 to 4 count "
                    "tracked objects, shrink the increment budget and skip an increment "
                    "while the work owed is negative (gh-139951)"},
    [KNOB_HEAP_BASE] = {"heap_base", 20000, 0, INT64_C(1000000000000), "objects",
                        "objects the interpreter itself keeps tracked (about 20,000 in a bare "
                        "CPython 3.14.2): the heap size, and so the increment budget, counts "
                        "them, and unless they are frozen every scavenge marks or scans them"},
    [KNOB_BASE_REACHED] = {"base_reached", 97, 0, 100, "%",
                           "of heap_base, what a MARK step reaches from the interpreter's roots "
                           "(its work is owed twice); the rest stays pending until increments "
                           "pull it in (97: fitted on CPython 3.14.2, docs/collectors.md)"},
    [KNOB_FREEZE] = GCT_FREEZE_KNOB_ROW,
};

enum { PHASE_MARK, PHASE_COLLECT };

/* Bits of an object's spare word. */
enum { SPACE1 = 1u << 0, NOTYOUNG = 1u << 1 };

/* CPython starts the work owed at -5000 (gc_init: the first increments after
 * start-up are cheap). */
#define WORK_AT_START (-5000)
/* assess_work_to_do scans heap/SCAN_RATE_DIVISOR/scale old objects. */
#define SCAN_RATE_DIVISOR 10

typedef struct incgc {
    gct_link young;
    gct_link old[2];
    gct_link permanent; /* gc.freeze() */
    int visited;        /* old[visited] has been visited; old[visited ^ 1] is pending */
    int phase;
    int64_t work_to_do;
    int64_t old_count[2];  /* old[i].count (gc.collect(0) raises the visited one) */
    int64_t nonyoung_live; /* tracked objects outside young */
    int64_t heap_base;
    /* The interpreter's own objects (heap_base of them) are not modelled
     * one by one: a MARK step counts the share it reaches as marked, and the
     * rest (base_pending, this scavenge) is pending until increments pull
     * it in.  Neither when they are frozen (gc.freeze(), a replayed trace). */
    int64_t base_pending;
    bool base_frozen;
    int64_t base_reached_pct;
    bool counts_tracking;  /* 3.14.1+: tracked-object counting, new budget, early return */
    /* Work of the step under way (the pause record and the statistics). */
    int64_t marked, traversed;
} incgc;

static incgc *state(gct_heap *h) { return h->priv; }

/* The interpreter's objects a MARK step does not reach. */
static int64_t base_unreached(const incgc *g)
{
    return g->heap_base - g->heap_base * g->base_reached_pct / 100;
}

static int space_of(const gct_obj *o) { return o->spare & SPACE1; }

static void set_space(gct_obj *o, int space)
{
    o->spare = (uint16_t)((o->spare & ~SPACE1) | (space ? SPACE1 : 0u) | NOTYOUNG);
}

static void unlink_node(gct_link *l)
{
    l->prev->next = l->next;
    l->next->prev = l->prev;
}

static void list_move(gct_link *l, gct_link *to)
{
    unlink_node(l);
    list_append(l, to);
}

/* gc_list_set_space on a list about to leave young or change space; it also
 * takes the objects that were young into nonyoung_live.  Returns its size. */
static int64_t list_set_space(incgc *g, gct_link *list, int space)
{
    int64_t n = 0;
    for (gct_link *l = list->next; l != list; l = l->next, n++) {
        gct_obj *o = gct_link_obj(l);
        g->nonyoung_live += !(o->spare & NOTYOUNG);
        set_space(o, space);
    }
    return n;
}


static void sync_counts(gct_heap *h)
{
    incgc *g = state(h);
    h->hot.count[1] = g->old_count[g->visited];
    h->hot.count[2] = g->old_count[g->visited ^ 1];
}

/* ---- marking (move_to_reachable, mark_all_reachable) --------------------- */

/* A tracked container not visited yet moves to the visited space at the
 * tail of `to`: 1, or 0 when there is nothing to move. */
static int64_t move_if_unvisited(incgc *g, gct_obj *o, gct_link *to)
{
    if (!o || !(o->shape->flags & GCT_SHAPE_CONTAINER))
        return 0;
    gct_link *l = gct_obj_link(o);
    if (!l->next || ((o->spare & NOTYOUNG) && space_of(o) == g->visited))
        return 0; /* untracked, or visited (young objects never are) */
    g->nonyoung_live += !(o->spare & NOTYOUNG);
    set_space(o, g->visited);
    list_move(l, to);
    return 1;
}

struct add_ctx {
    incgc *g;
    gct_link *to;
    int64_t added, refs;
};

static inline void visit_add(gct_obj *c, void *arg)
{
    struct add_ctx *a = arg;
    if (!c)
        return;
    a->refs++;
    a->added += move_if_unvisited(a->g, c, a->to);
}

/* Empty `reachable` into the visited space, pulling in everything it
 * reaches that is not visited yet; returns the objects pulled in. */
static int64_t mark_all_reachable(incgc *g, gct_link *reachable)
{
    struct add_ctx a = {g, reachable, 0, 0};
    gct_link *visited = &g->old[g->visited];
    while (!list_is_empty(reachable)) {
        gct_link *l = reachable->next;
        list_move(l, visited);
        traverse(gct_link_obj(l), visit_add, &a);
    }
    g->traversed += a.refs;
    return a.added;
}

/*
 * mark_global_roots + mark_stacks.  The interpreter's roots reach the root
 * stack unless it is a frozen list (a replayed trace: the mark stops at a
 * frozen object, which is visited by definition); the frame object is
 * on a frame that no step has visited yet, so a COLLECT step marks it too
 * (mark_stacks with start false walks only the frames pushed since).
 */
static int64_t mark_roots(gct_heap *h, bool start)
{
    incgc *g = state(h);
    gct_link reachable;
    list_init(&reachable);
    int64_t n = 0;
    if (start && !h->frozen_roots) {
        for (size_t i = 0; i < h->hot.nroots; i++)
            n += move_if_unvisited(g, h->hot.roots[i], &reachable);
        if (!g->base_frozen)
            n += g->heap_base - base_unreached(g); /* the interpreter's own */
    }
    n += move_if_unvisited(g, h->frame_obj, &reachable);
    n += mark_all_reachable(g, &reachable);
    g->marked += n;
    return n;
}

/* expand_region_transitively_reachable: what the objects of `inc` from `from`
 * on reach and is not visited joins `inc` (which grows as it is walked). */
static int64_t expand_region(incgc *g, gct_link *inc, gct_link *from)
{
    struct add_ctx a = {g, inc, 0, 0};
    for (gct_link *l = from; l != inc; l = l->next)
        traverse(gct_link_obj(l), visit_add, &a);
    g->traversed += a.refs;
    return a.added;
}

/* ---- collecting a region (gc_collect_region) ------------------------------ */

/* Find the garbage of `from` and free it; the survivors stay in `from`.
 * With `whole` the set is every tracked object (nothing frozen): one pass
 * does update_refs and subtract_refs (internal/cycles.h).  `spare`, unless
 * CYC_KEEP_SPARE, is written to every object's space bits on the way.
 * Returns objects collected; *examined gets the size of the set. */
static int64_t collect_region(gct_heap *h, gct_link *from, bool whole, int spare,
                              int64_t *examined)
{
    incgc *g = state(h);
    bool pf = whole && list_in_address_order(from);
    int64_t n, refs;
    if (whole)
        n = pf ? update_subtract_all(from, true, &refs, spare)
               : update_subtract_all(from, false, &refs, spare);
    else {
        n = update_refs(from, pf, spare);
        refs = subtract_refs(from, pf);
    }
    g->traversed += 2 * refs; /* the subtract pass and move_unreachable, as gencycle.c counts */
    gct_link unreachable;
    list_init(&unreachable);
    int64_t survivors = pf ? move_unreachable(from, &unreachable, true)
                           : move_unreachable(from, &unreachable, false);
    int64_t outside_young;
    untrack_tuples(h, from, &outside_young);
    g->nonyoung_live -= outside_young;
    clear_weakrefs_to(h, &unreachable);
    delete_garbage(h, &unreachable, pf);
    *examined = n;
    return n - survivors;
}

/* ---- the steps ------------------------------------------------------------ */

static int64_t scale_factor(gct_heap *h)
{
    return h->hot.threshold[1] < 2 ? 2 : h->hot.threshold[1];
}

static int64_t heap_size(incgc *g, int64_t young) { return g->heap_base + young + g->nonyoung_live; }

/* assess_work_to_do */
static int64_t assess_work(gct_heap *h, int64_t young)
{
    incgc *g = state(h);
    int64_t scale = scale_factor(h);
    int64_t fresh = h->hot.count[0];
    int64_t cap = g->counts_tracking ? fresh * 2 : fresh * 3 / 2;
    int64_t fraction = heap_size(g, young) / SCAN_RATE_DIVISOR / scale;
    if (fraction > cap)
        fraction = cap;
    h->hot.count[0] = 0;
    return fresh + fraction;
}

/* completed_scavenge.  Frozen roots are frozen objects outside the heap. */
static void completed_scavenge(gct_heap *h)
{
    incgc *g = state(h);
    g->base_pending = g->base_frozen || h->frozen_roots ? 0 : base_unreached(g);
    if (list_is_empty(&g->permanent) && !h->frozen_roots) {
        g->visited ^= 1; /* young objects are never visited: NOTYOUNG says so */
    } else {
        /* Frozen objects must stay visited: the visited objects go back to
         * pending instead of the spaces flipping. */
        gct_link *pending = &g->old[g->visited ^ 1];
        list_merge(&g->old[g->visited], pending);
        list_set_space(g, pending, g->visited ^ 1);
    }
    g->work_to_do = 0;
    g->phase = PHASE_MARK;
}

static void step_begin(incgc *g)
{
    g->marked = 0;
    g->traversed = 0;
}

/* A step's statistics and pause.  A MARK step is a pause of its own kind
 * that gc.get_stats() does not count (add_stats is not called); 3.14.1's
 * early return does nothing at all, so it is no pause either. */
static void step_end(gct_heap *h, int gen, gct_pause_kind kind, uint64_t t0, int64_t examined,
                     int64_t collected)
{
    incgc *g = state(h);
    examined += g->marked;
    if (kind != GCT_PAUSE_MARK) {
        h->stats[gen].collections++;
        h->stats[gen].collected += collected;
    }
    h->stats[gen].examined += examined;
    h->stats[gen].traversed += g->traversed;
    gct__record_pause(h, kind, t0, examined, g->traversed, collected);
    sync_counts(h);
}

/* gc_collect_increment: one step.  Returns objects collected. */
static int64_t collect_increment(gct_heap *h)
{
    incgc *g = state(h);
    uint64_t t0 = h->record_pauses ? gct_now_ns() : 0;
    step_begin(g);
    int64_t young = list_size(&g->young);
    g->work_to_do += assess_work(h, young);
    if (g->counts_tracking && g->work_to_do < 0) {
        /* 3.14.1's early return: the budget is still owed.  It is an
         * increment that did nothing, not counted by gc.get_stats(). */
        gct__record_pause(h, GCT_PAUSE_GEN1, t0, 0, 0, 0);
        sync_counts(h);
        return 0;
    }
    untrack_tuples(h, &g->young, NULL); /* young: no spare bits */
    if (g->phase == PHASE_MARK) {
        /* mark_at_start subtracts what it marked, and so does its caller. */
        int64_t m = mark_roots(h, true);
        g->work_to_do -= 2 * m;
        g->phase = PHASE_COLLECT;
        step_end(h, 1, GCT_PAUSE_MARK, t0, 0, 0);
        return 0;
    }
    g->work_to_do -= mark_roots(h, false);

    gct_link inc;
    list_init(&inc);
    int64_t size = list_set_space(g, &g->young, g->visited);
    list_merge(&g->young, &inc);
    gct_link *pending = &g->old[g->visited ^ 1];
    /* The interpreter's objects are the oldest: the head of pending.  They
     * survive, and what they reach is the interpreter's too. */
    int64_t base = g->work_to_do - size < g->base_pending ? g->work_to_do - size : g->base_pending;
    if (base > 0) {
        g->base_pending -= base;
        size += base;
    }
    while (size < g->work_to_do && !list_is_empty(pending)) {
        gct_link *l = pending->next;
        list_move(l, &inc);
        set_space(gct_link_obj(l), g->visited);
        size += 1 + expand_region(g, &inc, l);
    }
    int64_t examined;
    int64_t collected = collect_region(h, &inc, false, CYC_KEEP_SPARE, &examined);
    list_merge(&inc, &g->old[g->visited]);
    if (!g->counts_tracking) /* 3.14.0 only: gh-139951 removed it */
        g->work_to_do += heap_size(g, 0) / SCAN_RATE_DIVISOR / scale_factor(h);
    g->work_to_do -= size;
    if (list_is_empty(pending) && !g->base_pending)
        completed_scavenge(h);
    step_end(h, 1, GCT_PAUSE_GEN1, t0, examined + (base > 0 ? base : 0), collected);
    return collected;
}

/* gc_collect_young: gc.collect(0) only. */
static int64_t collect_young(gct_heap *h)
{
    incgc *g = state(h);
    uint64_t t0 = h->record_pauses ? gct_now_ns() : 0;
    step_begin(g);
    untrack_tuples(h, &g->young, NULL);
    list_set_space(g, &g->young, g->visited);
    gct_link set;
    list_init(&set);
    list_merge(&g->young, &set);
    int64_t examined;
    int64_t collected = collect_region(h, &set, false, CYC_KEEP_SPARE, &examined);
    list_merge(&set, &g->old[g->visited]);
    h->hot.count[0] = 0;
    g->old_count[g->visited]++;
    step_end(h, 0, GCT_PAUSE_GEN0, t0, examined, collected);
    return collected;
}

/* gc_collect_full: gc.collect(2). */
static int64_t collect_full(gct_heap *h)
{
    incgc *g = state(h);
    uint64_t t0 = h->record_pauses ? gct_now_ns() : 0;
    step_begin(g);
    untrack_tuples(h, &g->young, NULL);
    gct_link *pending = &g->old[g->visited ^ 1];
    gct_link *visited = &g->old[g->visited];
    /* Everything joins the visited space: the region pass writes the bits
     * (a walk of the whole heap less). */
    g->nonyoung_live += list_size(&g->young);
    list_merge(&g->young, pending);
    list_merge(pending, visited);
    int64_t examined;
    bool whole = list_is_empty(&g->permanent) && !h->untracked_containers;
    int spare = (int)(NOTYOUNG | (g->visited ? SPACE1 : 0u));
    int64_t collected = collect_region(h, visited, whole, spare, &examined);
    h->hot.count[0] = 0;
    g->old_count[0] = g->old_count[1] = 0;
    completed_scavenge(h);
    gct__tuple_freelists_clear(h);
    step_end(h, 2, GCT_PAUSE_GEN2, t0, examined, collected);
    return collected;
}

static int64_t collect_with_callback(gct_heap *h, int gen)
{
    gct__emit_event(h, GCT_EVENT_START, gen, 0, 0);
    int64_t m = gen == 0 ? collect_young(h) : gen == 1 ? collect_increment(h) : collect_full(h);
    gct__emit_event(h, GCT_EVENT_STOP, gen, m, 0);
    return m;
}

/* The allocation only schedules; the safepoint runs one increment, without
 * looking at the count again (_Py_RunGC). */
static void inc_collect_auto(gct_heap *h) { h->hot.scheduled = true; }

static void inc_safepoint(gct_heap *h)
{
    if (h->hot.enabled)
        collect_with_callback(h, 1);
}

static int64_t inc_collect(gct_heap *h, int gen)
{
    if (gen < 0 || gen > 2)
        return GCT_EINVAL;
    return collect_with_callback(h, gen);
}

static bool inc_free_container(gct_heap *h, gct_obj *o)
{
    state(h)->nonyoung_live -= (o->spare & NOTYOUNG) != 0;
    return true;
}

/* ---- freeze --------------------------------------------------------------- */

static int inc_freeze(gct_heap *h)
{
    incgc *g = state(h);
    list_set_space(g, &g->young, g->visited);
    list_merge(&g->young, &g->permanent);
    list_set_space(g, &g->old[g->visited ^ 1], g->visited);
    list_merge(&g->old[0], &g->permanent);
    list_merge(&g->old[1], &g->permanent);
    g->base_frozen = true;
    g->base_pending = 0;
    h->hot.count[0] = 0;
    g->old_count[0] = g->old_count[1] = 0;
    sync_counts(h);
    return GCT_OK;
}

static int inc_unfreeze(gct_heap *h)
{
    incgc *g = state(h);
    list_merge(&g->permanent, &g->old[g->visited]);
    g->base_frozen = false; /* back in the visited space: pending next scavenge */
    return GCT_OK;
}

static int64_t inc_freeze_count(gct_heap *h) { return list_size(&state(h)->permanent); }

/* ---- set-up --------------------------------------------------------------- */

static void inc_set_knob(gct_heap *h, uint32_t index, int64_t value)
{
    if (index <= KNOB_GEN2)
        h->hot.threshold[index] = value;
    else if (index == KNOB_CASCADE)
        h->cascade_limit = value;
    else if (index == KNOB_PATCH) {
        state(h)->counts_tracking = value >= 1;
        h->tuple_policy = GCT_TUPLES_CPYTHON |
                          (value >= 1 ? GCT_TUPLES_UNTRACKED | GCT_TUPLES_COUNT_TRACKED : 0u);
    }
    else if (index == KNOB_HEAP_BASE)
        state(h)->heap_base = value;
    else if (index == KNOB_BASE_REACHED)
        state(h)->base_reached_pct = value;
    /* KNOB_FREEZE: gct_heap_setup_done's */
}

static int inc_init(gct_heap *h, const int64_t *k)
{
    incgc *g = calloc(1, sizeof *g);
    if (!g)
        return GCT_ENOMEM;
    list_init(&g->young);
    list_init(&g->old[0]);
    list_init(&g->old[1]);
    list_init(&g->permanent);
    g->work_to_do = WORK_AT_START;
    g->phase = PHASE_MARK;
    h->priv = g;
    h->hot.rc = true;
    h->hot.track_mask = GCT_SHAPE_CONTAINER;
    h->hot.young = &g->young;
    for (uint32_t i = 0; i < h->ops->nknobs; i++)
        inc_set_knob(h, i, k[i]);
    g->base_pending = base_unreached(g);
    return GCT_OK;
}

static void inc_fini(gct_heap *h)
{
    free(h->priv);
    h->priv = NULL;
    h->hot.young = NULL;
}

/* ---- verifier ------------------------------------------------------------- */

/* Walk a list: links intact, only live containers, the space and NOTYOUNG
 * bits as the invariants say (space < 0: not checked). */
static bool check_list(const gct_link *head, const char *name, int space, bool young, int64_t *n,
                       char *err, size_t errlen)
{
    const gct_link *prev = head;
    for (const gct_link *l = head->next; l != head; l = l->next) {
        const gct_obj *o = gct_link_obj((gct_link *)l);
        if (l->prev != prev || (o->flags & GCT_OF_FREE) ||
            !(o->shape->flags & GCT_SHAPE_CONTAINER)) {
            snprintf(err, errlen, "%s: broken link, freed or atomic object at %p", name,
                     (const void *)o);
            return false;
        }
        if (young != !(o->spare & NOTYOUNG) || (space >= 0 && space_of(o) != space)) {
            snprintf(err, errlen, "%s holds %p with spare bits 0x%x", name, (const void *)o,
                     o->spare);
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

/* Containers a list holds: every one but the untracked tuples. */
static void count_containers(void *ud, gct_obj *o)
{
    *(int64_t *)ud += (o->shape->flags & GCT_SHAPE_CONTAINER) && gct_obj_link(o)->next;
}

static bool inc_verify(gct_heap *h, char *err, size_t errlen)
{
    incgc *g = state(h);
    if (h->hot.collecting) {
        snprintf(err, errlen, "verify called during a collection");
        return false;
    }
    int64_t young = 0, old = 0, containers = 0;
    if (!check_list(&g->young, "young", -1, true, &young, err, errlen) ||
        !check_list(&g->old[g->visited], "the visited space", g->visited, false, &old, err,
                    errlen) ||
        !check_list(&g->old[g->visited ^ 1], "the pending space", g->visited ^ 1, false, &old,
                    err, errlen) ||
        !check_list(&g->permanent, "the permanent generation", g->visited, false, &old, err,
                    errlen))
        return false;
    gct_heap_foreach(h, count_containers, &containers);
    if (young + old != containers) {
        snprintf(err, errlen, "the lists hold %lld objects but %lld containers live",
                 (long long)(young + old), (long long)containers);
        return false;
    }
    if (old != g->nonyoung_live) {
        snprintf(err, errlen, "%lld objects outside young, but nonyoung_live is %lld",
                 (long long)old, (long long)g->nonyoung_live);
        return false;
    }
    if (h->hot.count[0] < 0) {
        snprintf(err, errlen, "count[0] is negative (%lld)", (long long)h->hot.count[0]);
        return false;
    }
    return true;
}

const gct_collector gct_collector_gencycle314 = {
    .abi = GCT_COLLECTOR_ABI,
    .name = "gencycle314",
    .summary = "CPython 3.14.0-3.14.4's incremental collector: young plus two old spaces, one "
               "increment per scheduled collection",
    .knobs = knobs,
    .nknobs = sizeof knobs / sizeof knobs[0],
    .prefix = sizeof(gct_link),
    .ngenerations = 3,
    .cpython = "3.14",
    .init = inc_init,
    .fini = inc_fini,
    .set_knob = inc_set_knob,
    .collect_auto = inc_collect_auto,
    .safepoint = inc_safepoint,
    .collect = inc_collect,
    .free_container = inc_free_container,
    .freeze = inc_freeze,
    .unfreeze = inc_unfreeze,
    .freeze_count = inc_freeze_count,
    .verify = inc_verify,
};
