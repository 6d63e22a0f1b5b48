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
 * The passes that find the garbage of a generation (update_refs ...
 * delete_garbage) are internal/cycles.h's, shared with the 3.14 model.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal/backend.h"
#include "internal/cycles.h"

enum { KNOB_GEN0, KNOB_GEN1, KNOB_GEN2, KNOB_CASCADE, KNOB_FREEZE, KNOB_PATCH };

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
                      "pause"},                                                                   \
    [KNOB_FREEZE] = GCT_FREEZE_KNOB_ROW

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
    if (gen == NGEN - 1 && list_is_empty(&g->permanent) && !h->untracked_containers) {
        /* Constant arguments: one copy of the pass with the prefetch and
         * one without, rather than a test at every object. */
        examined = pf ? update_subtract_all(young, true, &refs, CYC_KEEP_SPARE)
                      : update_subtract_all(young, false, &refs, CYC_KEEP_SPARE);
    } else {
        examined = update_refs(young, pf, CYC_KEEP_SPARE);
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
    /* No legacy finalizers in the model: every unreachable object is
     * collectable (move_legacy_finalizers finds none). */
    int64_t m = examined - survivors;
    survivors -= untrack_tuples(h, young, NULL); /* not long-lived: untracked */

    if (young != old) {
        if (gen == NGEN - 2)
            g->long_lived_pending += survivors;
        list_merge(young, old);
    } else {
        g->long_lived_pending = 0;
        g->long_lived_total = survivors;
    }

    clear_weakrefs_to(h, &unreachable);
    /* No finalizers (PEP 442) in the model, so nothing is resurrected. */
    delete_garbage(h, &unreachable, pf);
    if (gen == NGEN - 1)
        gct__tuple_freelists_clear(h);

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
    h->tuple_policy = GCT_TUPLES_CPYTHON |
                      (h->ops == &gct_collector_gencycle315 ? GCT_TUPLES_UNTRACKED : 0u);
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
    int64_t untracked;        /* tuples: untrack_tuples or born so */
    int64_t untracked_other;  /* anything else: a bug */
};

static void count_containers(void *ud, gct_obj *o)
{
    struct count_ctx *c = ud;
    if (o->shape->flags & GCT_SHAPE_CONTAINER) {
        c->containers++;
        if (!gct_obj_link(o)->next) {
            if (o->shape->flags & GCT_SHAPE_TUPLE)
                c->untracked++;
            else
                c->untracked_other++;
        }
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
    struct count_ctx c = {0, 0, 0};
    gct_heap_foreach(h, count_containers, &c);
    if (c.untracked_other) {
        snprintf(err, errlen, "%lld live containers are not tracked",
                 (long long)c.untracked_other);
        return false;
    }
    if (c.untracked != h->untracked_containers) {
        snprintf(err, errlen, "%lld tuples are untracked, but the heap counts %lld",
                 (long long)c.untracked, (long long)h->untracked_containers);
        return false;
    }
    if (tracked != c.containers - c.untracked) {
        snprintf(err, errlen, "the generation lists hold %lld objects but %lld containers live",
                 (long long)tracked, (long long)(c.containers - c.untracked));
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

/* CPython 3.14.5 and later, and 3.15: 3.13's collector forward-ported over
 * the incremental one (gh-148726): 3.13's schedule. */
const gct_collector gct_collector_gencycle315 =
    GENCYCLE_TABLE("gencycle315",
                   "CPython 3.14.5+ and 3.15's generational collector: 3.13's schedule, "
                   "forward-ported",
                   knobs313, "3.15", gc_safepoint);
