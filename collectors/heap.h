/*
 * heap.h — the object model every workload programs against: the workload
 * API.
 *
 * Who it is for: workloads (through workloads/workload.h), tests, bench and
 * the harness.  Backends see more through internal/backend.h; the harness
 * also reads collector.h (the backends' tables and the registry).  The heap
 * itself, struct gct_heap, is incomplete here: only its first member, the
 * part the inline hot paths read (gct__heap_hot), is spelled out, and inline
 * code reaches it through gct__hot(h), a cast of the heap pointer to its first
 * member.  Everything else a workload may ask has a function below.
 *
 * An object (object.h) is a 16-byte public header (gct_obj), then `nslots`
 * reference slots, then `payload` bytes, as its gct_shape says.  A collector
 * may put a private prefix before the header (gencycle puts two list words
 * there, as CPython puts PyGC_Head before PyObject), so each backend pays
 * only for what it uses.
 *
 * Invariants every backend and workload relies on:
 *  - A workload holds references outside the heap only through the root
 *    stack.  A newly allocated object is born on top of the root stack, which
 *    owns its single reference (refcnt == 1).
 *  - A collection can happen only inside gct_new / gct_weakref_new, and
 *    before the new object exists: the object being allocated is never part of
 *    the collection that its allocation triggered (CPython 3.11).  A backend
 *    may instead only schedule it there (CPython 3.12 and later): it then runs
 *    at the next gct_heap_safepoint, where a Python program would reach the
 *    eval breaker, with the new object alive and part of it.
 *  - Slot stores go through gct_store, which keeps reference counts right.
 *    gct_load returns a borrowed reference, valid until the next store to that
 *    slot or the next allocation (a collection may free it if it is garbage).
 *  - Weak references are heap objects of the built-in shape gct_weakref_shape
 *    (like CPython's weakref objects, they are tracked containers with no
 *    strong references).  When the target dies, the weak reference reads NULL.
 *
 * The hot operations (allocation fast path, incref, decref, store, load,
 * roots) are inline functions.  The differences between backends reach them
 * as data in gct__heap_hot (rc, track_mask, the threshold, and `young`: a
 * backend may ask the heap to link every new container onto a list of its
 * choosing through a two-word prefix, object.h's gct__link) and never as
 * indirect calls.
 */
#ifndef GCT_HEAP_H
#define GCT_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"
#include "pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- pauses and events --------------------------------------------------- */

typedef enum gct_pause_kind {
    GCT_PAUSE_GEN0 = 0,
    GCT_PAUSE_GEN1 = 1,
    GCT_PAUSE_GEN2 = 2,
    GCT_PAUSE_FULL = 3,    /* a tracing collection of the whole heap */
    GCT_PAUSE_CASCADE = 4, /* a reference-count cascade above the limit */
    GCT_PAUSE_MARK = 5,    /* an incremental collector's mark step (3.14: collects nothing) */
} gct_pause_kind;

const char *gct_pause_kind_name(gct_pause_kind k);

typedef struct gct_pause {
    uint64_t start_ns;    /* CLOCK_MONOTONIC */
    uint64_t duration_ns;
    int64_t examined;     /* objects looked at */
    int64_t traversed;    /* references traversed (gct_gen_stats says which) */
    int64_t freed;        /* objects freed */
    /* Bytes allocated since the previous collection of this generation or
     * an older one (a full collection: since the previous full one): what
     * a threshold in objects let through (0 for cascades and mark steps). */
    int64_t alloc_bytes;
    gct_pause_kind kind;
} gct_pause;

typedef enum gct_event_phase { GCT_EVENT_START, GCT_EVENT_STOP } gct_event_phase;

typedef struct gct_event_info {
    int generation; /* GCT_PAUSE_FULL for a tracing collection */
    int64_t collected;
    int64_t uncollectable;
} gct_event_info;

/* Like gc.callbacks.  Must not allocate on the heap. */
typedef void (*gct_event_fn)(void *ud, gct_event_phase phase, const gct_event_info *info);

#define GCT_MAX_GEN 3
#define GCT_MAX_KNOBS 8

/*
 * Per-generation totals of a heap's collections.  `examined` and `traversed`
 * count work, not time: the same seed and thresholds give the same numbers
 * on every run and machine, which is what a cost model multiplies by its
 * per-machine coefficients.
 *  - gencycle and cpython: examined = objects in the collected sets;
 *    traversed = non-NULL references visited by tp_traverse in CPython 3.11's
 *    gc_collect_main (gencycle.c lists the passes), references to atoms
 *    included, as a real container visits its ints.
 *  - marksweep (generation 0 only): examined = blocks swept (the whole heap);
 *    traversed = non-NULL slots of the objects the mark reached (the root
 *    stack itself not counted).
 *  - refcount: no collections; every counter stays 0.
 */
typedef struct gct_gen_stats {
    int64_t collections;
    int64_t collected;     /* objects freed by collections of this generation */
    int64_t uncollectable;
    int64_t examined;      /* objects examined */
    int64_t traversed;     /* references traversed */
} gct_gen_stats;

/* ---- the heap ------------------------------------------------------------ */

typedef struct gct_collector gct_collector;
typedef struct gct_heap gct_heap; /* complete only in internal/backend.h */

/*
 * What the inline hot paths read and write: the first member of struct
 * gct_heap (so a gct_heap * converts to a pointer to it).  The backend sets
 * the first group up in its init.  Not for workloads to touch: they use the
 * functions below.
 */
typedef struct gct__heap_hot {
    bool rc;              /* maintain reference counts (false: marksweep) */
    bool enabled;         /* automatic collection enabled (gc.enable) */
    bool collecting;      /* a collection is running */
    bool scheduled;       /* a collection waits for the next safepoint (3.12+ models) */
    uint32_t track_mask;  /* shape flags whose objects count toward the trigger */
    uint32_t prefix;      /* bytes of backend header before each gct_obj */
    struct gct__link *young; /* if set, new containers are linked at its tail */
    int64_t count[GCT_MAX_GEN];     /* count[0]: allocations toward the trigger */
    int64_t threshold[GCT_MAX_GEN];

    /* Exact accounting. */
    int64_t live_objects, live_bytes;
    int64_t peak_objects, peak_bytes;
    int64_t total_allocs, total_frees;
    int64_t alloc_bytes;  /* bytes ever allocated: what thresholds, counting objects, miss */

    gct_pool pool;

    gct_obj **roots;
    size_t nroots, roots_cap;
} gct__heap_hot;

static inline gct__heap_hot *gct__hot(gct_heap *h) { return (gct__heap_hot *)(void *)h; }
static inline const gct__heap_hot *gct__hot_c(const gct_heap *h)
{
    return (const gct__heap_hot *)(const void *)h;
}

/*
 * Create a heap run by the named collector.  `knobs` are "name=value"
 * assignments (NULL when n == 0); unspecified knobs take their defaults.  On
 * error returns NULL and writes a message naming the offending value to err.
 */
gct_heap *gct_heap_new(const char *collector, const char *const *knobs, size_t n, char *err,
                       size_t errlen);
/*
 * The same from values: `knobs` holds one value per entry of c->knobs, in
 * its order (NULL: every default), each checked against the knob's range.
 * gct_heap_new is this after reading the text.
 */
gct_heap *gct_heap_create(const gct_collector *c, const int64_t *knobs, char *err, size_t errlen);
/* Free every object and the heap.  Roots still held are simply released. */
void gct_heap_destroy(gct_heap *h);

/* The collector running h (collector.h describes it). */
const gct_collector *gct_heap_collector(const gct_heap *h);

/* Knobs by name (thresholds are knobs: gen0, gen1, gen2, cascade). */
int gct_heap_get_knob(gct_heap *h, const char *name, int64_t *value);
int gct_heap_set_knob(gct_heap *h, const char *name, int64_t value, char *err, size_t errlen);

/* Explicit collection of generation g (GCT_GEN_FULL = the oldest the backend
 * has).  Returns objects collected + uncollectable, 0 if a collection is
 * already running, or a negative error (GCT_EINVAL for a bad generation). */
#define GCT_GEN_FULL (-1)
int64_t gct_heap_collect(gct_heap *h, int generation);

/* gc.freeze / unfreeze / get_freeze_count: GCT_ENOTSUP where meaningless. */
int gct_heap_freeze(gct_heap *h);
int gct_heap_unfreeze(gct_heap *h);
int64_t gct_heap_freeze_count(gct_heap *h);
/* The workload's set-up is done (gct_workload_start calls this): a CPython
 * model whose knob freeze is 1 runs gc.freeze() here, as a program that
 * freezes its start-up heap does.  GCT_OK, or gct_heap_freeze's error. */
int gct_heap_setup_done(gct_heap *h);

void gct_heap_set_enabled(gct_heap *h, bool enabled);
static inline bool gct_heap_enabled(const gct_heap *h) { return gct__hot_c(h)->enabled; }
void gct_heap_set_event_fn(gct_heap *h, gct_event_fn fn, void *ud);
void gct_heap_set_verify_each(gct_heap *h, bool on);

/*
 * What a CPython model's mark phase may take as reachable without scanning
 * (3.14's incremental collector marks from the interpreter's roots and the
 * frames' stacks before it collects; the other collectors ignore both):
 *  - frozen roots (default off): the root stack is a program's variables,
 *    reachable from its modules.  On for a replayed trace, whose converted
 *    program keeps its roots in a list it froze (gc.freeze()) before the
 *    trace began: a mark from the interpreter's roots never enters it, and
 *    the permanent generation is never empty.
 *  - the frame object: an object a Python frame holds at the coming
 *    safepoints (a trace's `new`: `self` in `__init__`, where the
 *    allocation's safepoint is), or NULL.  The caller keeps it alive.
 */
void gct_heap_set_frozen_roots(gct_heap *h, bool on);
void gct_heap_set_frame_object(gct_heap *h, gct_obj *o);
/* The out-of-memory guard: once the allocator would hold more than `bytes`
 * (0: no limit), the process stops with a message naming the limit. */
void gct_heap_set_limit(gct_heap *h, int64_t bytes);

/* ---- what a heap can tell ------------------------------------------------ */

/* gc.get_count(): GCT_MAX_GEN counters; [0] is allocations toward the
 * trigger, [g] collections of generation g-1 since the last of g. */
static inline const int64_t *gct_heap_counts(const gct_heap *h) { return gct__hot_c(h)->count; }
/* gc.get_stats(): GCT_MAX_GEN entries, totals since the heap was made. */
const gct_gen_stats *gct_heap_stats(const gct_heap *h);

/* Exact accounting, prefix bytes included. */
static inline int64_t gct_heap_live_objects(const gct_heap *h)
{
    return gct__hot_c(h)->live_objects;
}
static inline int64_t gct_heap_live_bytes(const gct_heap *h)
{
    return gct__hot_c(h)->live_bytes;
}
static inline int64_t gct_heap_peak_objects(const gct_heap *h)
{
    return gct__hot_c(h)->peak_objects;
}
static inline int64_t gct_heap_peak_bytes(const gct_heap *h)
{
    return gct__hot_c(h)->peak_bytes;
}
static inline int64_t gct_heap_total_allocs(const gct_heap *h)
{
    return gct__hot_c(h)->total_allocs;
}
static inline int64_t gct_heap_total_frees(const gct_heap *h)
{
    return gct__hot_c(h)->total_frees;
}
/* The most memory the allocator ever obtained from the system. */
static inline int64_t gct_heap_peak_footprint(const gct_heap *h)
{
    return gct__hot_c(h)->pool.peak_footprint;
}

/* Bytes of the collector's header before each object (its PyGC_Head):
 * an object's block starts that far before the gct_obj. */
static inline uint32_t gct_heap_prefix(const gct_heap *h) { return gct__hot_c(h)->prefix; }

/* The memory the heap's objects live in: its allocator's arenas, n of
 * *size bytes each at arenas[0..n) (large objects, allocated one by one,
 * are not among them).  For the pre-fork measurement, which asks the
 * kernel which of these pages a forked worker made its own. */
static inline size_t gct_heap_arenas(const gct_heap *h, void *const **arenas, size_t *size)
{
    *arenas = gct__hot_c(h)->pool.arenas;
    *size = GCT_POOL_ARENA;
    return gct__hot_c(h)->pool.narenas;
}

/* Run the backend's verifier plus the heap's own checks (every slot points
 * at a live object, accounting matches a walk of the allocator).  With
 * `exact_refcounts`, also check every refcnt equals the references from slots
 * and roots (true whenever no C code holds references of its own). */
bool gct_heap_verify(gct_heap *h, bool exact_refcounts, char *err, size_t errlen);

/* Objects and bytes reachable from the roots, computed by a walk. */
void gct_heap_census(gct_heap *h, int64_t *reach_objects, int64_t *reach_bytes);
/* Live but unreachable from the roots: leaked (refcount) or not yet collected. */
void gct_heap_leaks(gct_heap *h, int64_t *objects, int64_t *bytes);

/* Every object alive in the heap, in allocator order. */
typedef void (*gct_obj_fn)(void *ud, gct_obj *o);
void gct_heap_foreach(gct_heap *h, gct_obj_fn fn, void *ud);

/* Pause log.  Recording is on by default. */
void gct_heap_set_record_pauses(gct_heap *h, bool on);
size_t gct_heap_npauses(const gct_heap *h);
const gct_pause *gct_heap_pauses(const gct_heap *h);
void gct_heap_clear_pauses(gct_heap *h);

uint64_t gct_now_ns(void);

/* ---- recording the operations (gctune run --trace) ------------------------
 *
 * The recording build of the workloads (workloads/meson.build compiles every
 * workload file a second time with GCT_RECORDING defined) reports each heap
 * operation below to the recorder installed with gct_heap_set_recorder,
 * before the operation happens; harness/trace_record.c writes them as a
 * trace.  In every other build GCT__RECORD expands to nothing and its
 * arguments are never evaluated: the code that is measured is the same
 * instruction for instruction whether recording exists or not.
 */
typedef enum gct_heap_opkind {
    GCT_HOP_NEW,       /* shape: about to allocate */
    GCT_HOP_NEW_DONE,  /* obj: allocated, on top of the root stack */
    GCT_HOP_STORE,     /* obj.slots[slot] = value */
    GCT_HOP_LOAD,      /* obj.slots[slot] is read (a hint: where the object was found) */
    GCT_HOP_PUSH,      /* value (may be NULL) pushed on the root stack */
    GCT_HOP_POP,       /* the top root popped */
    GCT_HOP_SET,       /* roots[index] = value (may be NULL) */
    GCT_HOP_SAFEPOINT,
    GCT_HOP_COLLECT,   /* n = generation (GCT_GEN_FULL: the oldest) */
    GCT_HOP_ENABLE,    /* n = 1 on, 0 off */
    GCT_HOP_FREEZE,
    GCT_HOP_UNFREEZE,
    GCT_HOP_KNOB,      /* the knob `name` has been set to n (reported once accepted) */
    GCT_HOP_WEAKREF,   /* a weak reference to obj, about to be made */
} gct_heap_opkind;

typedef struct gct_heap_op {
    gct_heap_opkind kind;
    uint32_t slot;
    const gct_shape *shape;
    gct_obj *obj, *value;
    size_t index;
    int64_t n;
    const char *name;
} gct_heap_op;

/* Called with the heap and the operation, before it happens (a knob: once
 * set).  May read the heap, must not change it. */
typedef void (*gct_heap_recorder_fn)(void *ud, gct_heap *h, const gct_heap_op *op);

/* Install fn as the recorder of h, or remove it (fn NULL).  One recorder at
 * a time in a process: the recording build has nowhere else to find it from
 * a load.  Only the recording build of the workloads reports anything. */
void gct_heap_set_recorder(gct_heap *h, gct_heap_recorder_fn fn, void *ud);
void gct__record_op(gct_heap *h, const gct_heap_op *op);

/* The out-of-line operations a workload may call, reported, then done: the
 * recording build reaches them under these names (end of this header). */
int64_t gct__rec_heap_collect(gct_heap *h, int generation);
int gct__rec_heap_freeze(gct_heap *h);
int gct__rec_heap_unfreeze(gct_heap *h);
void gct__rec_heap_set_enabled(gct_heap *h, bool enabled);
int gct__rec_heap_set_knob(gct_heap *h, const char *name, int64_t value, char *err,
                           size_t errlen);
gct_obj *gct__rec_weakref_new(gct_heap *h, gct_obj *target);

#ifdef GCT_RECORDING
#define GCT__RECORD(h, ...) gct__record_op((h), &(const gct_heap_op){__VA_ARGS__})
#else
#define GCT__RECORD(h, ...) ((void)0)
#endif

/* ---- out-of-line parts of the hot paths ---------------------------------- */
void gct__collect_auto(gct_heap *h);
void gct__safepoint(gct_heap *h);
void gct__dealloc(gct_heap *h, gct_obj *o);
void gct__roots_grow(gct_heap *h);
gct_obj *gct__alloc_large(gct_heap *h, const gct_shape *s, size_t size);

/* ---- the hot operations -------------------------------------------------- */

static inline void gct_incref(gct_heap *h, gct_obj *o)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "incref of freed object %p", (void *)o);
    if (gct__hot(h)->rc)
        o->refcnt++;
}

static inline void gct_decref(gct_heap *h, gct_obj *o)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "decref of freed object %p", (void *)o);
    GCT_CHECK(!gct__hot(h)->rc || o->refcnt > 0, "decref below zero of %p (%s)", (void *)o,
              o->shape->name);
    if (gct__hot(h)->rc && --o->refcnt == 0)
        gct__dealloc(h, o);
}

static inline gct_obj *gct_load(const gct_obj *o, uint32_t i)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "load from freed object %p", (const void *)o);
    GCT_CHECK(i < o->shape->nslots, "slot %u out of range for shape %s", i, o->shape->name);
    GCT__RECORD(NULL, .kind = GCT_HOP_LOAD, .obj = (gct_obj *)o, .slot = i);
    return o->slots[i];
}

/* *at = v, with v increfed and the old value decrefed (last): a slot store
 * and a root store alike. */
static inline void gct__assign(gct_heap *h, gct_obj **at, gct_obj *v)
{
    gct_obj *old = *at;
    if (v)
        gct_incref(h, v);
    *at = v;
    if (old)
        gct_decref(h, old);
}

/* o.slots[i] = v, with v increfed and the old value decrefed (last). */
static inline void gct_store(gct_heap *h, gct_obj *o, uint32_t i, gct_obj *v)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "store into freed object %p", (void *)o);
    GCT_CHECK(i < o->shape->nslots, "slot %u out of range for shape %s", i, o->shape->name);
    GCT__RECORD(h, .kind = GCT_HOP_STORE, .obj = o, .slot = i, .value = v);
    gct__assign(h, &o->slots[i], v);
}

/* One allocation toward the trigger (_PyObject_GC_Link): may collect, or
 * schedule a collection, before the new object exists. */
static inline void gct__count_alloc(gct_heap *h)
{
    gct__heap_hot *hh = gct__hot(h);
    if (++hh->count[0] > hh->threshold[0] && hh->threshold[0] != 0 && hh->enabled &&
        !hh->collecting)
        gct__collect_auto(h);
}

/* Allocate without counting or rooting: refcnt 1 owned by the caller. */
static inline gct_obj *gct__alloc_uncounted(gct_heap *h, const gct_shape *s)
{
    gct__heap_hot *hh = gct__hot(h);
    size_t size = (size_t)hh->prefix + s->size;
    gct_obj *o;
    if (size <= GCT_POOL_MAX_SMALL) {
        unsigned cls = gct_pool_class(size);
        char *block = (char *)gct_pool_alloc(&hh->pool, cls);
        o = (gct_obj *)(block + hh->prefix);
        o->sizeclass = (uint8_t)cls;
    } else {
        o = gct__alloc_large(h, s, size);
    }
    o->refcnt = 1;
    o->flags = 0;
    o->spare = 0;
    o->shape = s;
    for (uint32_t i = 0; i < s->nslots; i++)
        o->slots[i] = NULL;
    if (hh->young && (s->flags & GCT_SHAPE_CONTAINER))
        gct__link_append_before(o, hh->young);
    hh->total_allocs++;
    hh->alloc_bytes += (int64_t)size;
    hh->live_objects++;
    hh->live_bytes += (int64_t)size;
    if (hh->live_objects > hh->peak_objects)
        hh->peak_objects = hh->live_objects;
    if (hh->live_bytes > hh->peak_bytes)
        hh->peak_bytes = hh->live_bytes;
    return o;
}

/* Allocate without rooting: refcnt 1 owned by the caller.  Internal; the
 * workload API is gct_new. */
static inline gct_obj *gct__alloc(gct_heap *h, const gct_shape *s)
{
    /* Count and maybe collect first: the new object is not part of it. */
    if (s->flags & gct__hot(h)->track_mask)
        gct__count_alloc(h);
    return gct__alloc_uncounted(h, s);
}

/* ---- roots --------------------------------------------------------------- */

static inline size_t gct_root_depth(const gct_heap *h) { return gct__hot_c(h)->nroots; }

static inline gct_obj *gct_root_get(const gct_heap *h, size_t i)
{
    const gct__heap_hot *hh = gct__hot_c(h);
    GCT_CHECK(i < hh->nroots, "root %zu out of range (depth %zu)", i, hh->nroots);
    return hh->roots[i];
}

/* roots[i] = v (v may be NULL). */
static inline void gct_root_set(gct_heap *h, size_t i, gct_obj *v)
{
    gct__heap_hot *hh = gct__hot(h);
    GCT_CHECK(i < hh->nroots, "root %zu out of range (depth %zu)", i, hh->nroots);
    GCT__RECORD(h, .kind = GCT_HOP_SET, .index = i, .value = v);
    gct__assign(h, &hh->roots[i], v);
}

/* Push a reference to an existing object (or NULL) onto the root stack. */
static inline void gct_root_push(gct_heap *h, gct_obj *v)
{
    gct__heap_hot *hh = gct__hot(h);
    GCT__RECORD(h, .kind = GCT_HOP_PUSH, .value = v);
    if (hh->nroots == hh->roots_cap)
        gct__roots_grow(h);
    if (v)
        gct_incref(h, v);
    hh->roots[hh->nroots++] = v;
}

static inline void gct_root_pop(gct_heap *h)
{
    gct__heap_hot *hh = gct__hot(h);
    GCT_CHECK(hh->nroots > 0, "root stack underflow");
    GCT__RECORD(h, .kind = GCT_HOP_POP);
    gct_obj *v = hh->roots[--hh->nroots];
    if (v)
        gct_decref(h, v);
}

/* Pop until the depth is `depth`. */
static inline void gct_root_truncate(gct_heap *h, size_t depth)
{
    while (gct__hot(h)->nroots > depth)
        gct_root_pop(h);
}

static inline gct_obj *gct_root_top(const gct_heap *h)
{
    const gct__heap_hot *hh = gct__hot_c(h);
    GCT_CHECK(hh->nroots > 0, "root stack empty");
    return hh->roots[hh->nroots - 1];
}

/* Allocate an object of shape s, with every slot NULL and the payload
 * uninitialised, and push it on the root stack (which owns its reference). */
static inline gct_obj *gct_new(gct_heap *h, const gct_shape *s)
{
    gct__heap_hot *hh = gct__hot(h);
    GCT__RECORD(h, .kind = GCT_HOP_NEW, .shape = s);
    if (hh->nroots == hh->roots_cap)
        gct__roots_grow(h);
    gct_obj *o = gct__alloc(h, s);
    hh->roots[hh->nroots++] = o;
    GCT__RECORD(h, .kind = GCT_HOP_NEW_DONE, .obj = o);
    return o;
}

/* Where a Python program would reach the eval breaker (a call, a function
 * entry, a loop's back-edge): a collection a 3.12+ model scheduled at an
 * allocation runs here.  One predictable branch when none is waiting, and a
 * no-op for backends that collect at the allocation. */
static inline void gct_heap_safepoint(gct_heap *h)
{
    GCT__RECORD(h, .kind = GCT_HOP_SAFEPOINT);
    if (gct__hot(h)->scheduled)
        gct__safepoint(h);
}

/* ---- CPython's tuples of atoms ------------------------------------------- */

#define GCT_TUPLE_MAX 8

/* Allocate a tuple of n fresh atoms (1 <= n <= GCT_TUPLE_MAX), as Python's
 * `(a, b)` of two new ints does, and push it like gct_new.  A tuple is read
 * only: never gct_store into it.  Whether it counts toward the trigger and
 * is tracked is the collector's business: CPython's models track it until a
 * collection finds it holds only atoms (up to 3.14.0), or never (3.14.1 and
 * 3.15), and reuse freed tuples from a free list without counting. */
gct_obj *gct_tuple_new(gct_heap *h, uint32_t n);

/* ---- weak references ----------------------------------------------------- */

extern const gct_shape gct_weakref_shape;

/* Allocate a weak reference to target (pushed on the root stack like gct_new). */
gct_obj *gct_weakref_new(gct_heap *h, gct_obj *target);

/* The target, or NULL once it has died.  A borrowed reference. */
static inline gct_obj *gct_weakref_get(const gct_obj *wr)
{
    GCT_CHECK(wr->shape->flags & GCT_SHAPE_WEAKREF, "not a weak reference: %s", wr->shape->name);
    return *(gct_obj *const *)(const void *)wr->slots;
}

/* The recording build reaches the out-of-line operations through their
 * recording twins (heap_record.c), which report, then call them. */
#ifdef GCT_RECORDING
#define gct_heap_collect gct__rec_heap_collect
#define gct_heap_freeze gct__rec_heap_freeze
#define gct_heap_unfreeze gct__rec_heap_unfreeze
#define gct_heap_set_enabled gct__rec_heap_set_enabled
#define gct_heap_set_knob gct__rec_heap_set_knob
#define gct_weakref_new gct__rec_weakref_new
#endif

#ifdef __cplusplus
}
#endif
#endif
