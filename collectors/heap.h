/*
 * heap.h — the object model every workload programs against.
 *
 * An object is a 16-byte public header (gct_obj), then `nslots` reference
 * slots, then `payload` bytes.  Its layout is described by a gct_shape.  A
 * collector may put a private prefix of `h->prefix` bytes before the header
 * (gencycle puts two list words there, as CPython puts PyGC_Head before
 * PyObject), so each backend pays only for what it uses.
 *
 * Invariants every backend and workload relies on:
 *  - A workload holds references outside the heap only through the root
 *    stack.  A newly allocated object is born on top of the root stack, which
 *    owns its single reference (refcnt == 1).
 *  - A collection can happen only inside gct_new / gct_weakref_new, and
 *    before the new object exists: the object being allocated is never part of
 *    the collection that its allocation triggered.
 *  - Slot stores go through gct_store, which keeps reference counts right.
 *    gct_load returns a borrowed reference, valid until the next store to that
 *    slot or the next allocation (a collection may free it if it is garbage).
 *  - Weak references are heap objects of the built-in shape gct_weakref_shape
 *    (like CPython's weakref objects, they are tracked containers with no
 *    strong references).  When the target dies, the weak reference reads NULL.
 *
 * The hot operations (allocation fast path, incref, decref, store, load) are
 * inline functions.  The differences between backends reach them as data
 * (h->rc, h->track_mask, h->young) and never as indirect calls.
 */
#ifndef GCT_HEAP_H
#define GCT_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- shapes -------------------------------------------------------------- */

enum {
    GCT_SHAPE_OBJECT = 1u << 0,    /* set on every shape: marksweep tracks all */
    GCT_SHAPE_CONTAINER = 1u << 1, /* a GC object in CPython's sense (has slots) */
    GCT_SHAPE_WEAKREF = 1u << 2,   /* the built-in weak reference shape */
};

typedef struct gct_shape {
    const char *name;
    uint32_t nslots;  /* reference slots */
    uint32_t payload; /* payload bytes after the slots */
    uint32_t flags;   /* GCT_SHAPE_* */
    uint32_t size;    /* header + slots + payload, without any prefix */
} gct_shape;

/* A static initializer: GCT_SHAPE("node", 2, 16). */
#define GCT_SHAPE(name_, nslots_, payload_)                                          \
    {                                                                                \
        .name = (name_), .nslots = (nslots_), .payload = (payload_),                 \
        .flags = GCT_SHAPE_OBJECT | ((nslots_) > 0 ? GCT_SHAPE_CONTAINER : 0u),      \
        .size = (uint32_t)(sizeof(gct_obj) + (nslots_) * sizeof(gct_obj *) + (payload_)) \
    }

/* ---- objects ------------------------------------------------------------- */

typedef struct gct_obj gct_obj;

/* The same as GCT_SHAPE, for shapes sized at run time. */
static inline void gct_shape_init(gct_shape *s, const char *name, uint32_t nslots, uint32_t payload);

enum {
    GCT_OF_WEAKREFD = 1u << 0,    /* some weak reference points at this object */
    GCT_OF_FREE = 1u << 1,        /* the block is on a free list (checked builds) */
    GCT_OF_REACH = 1u << 2,       /* visited by gct_heap_census */
    GCT_OF_MARK = 1u << 3,        /* marksweep: marked live */
    GCT_OF_COLLECTING = 1u << 4,  /* gencycle: in the set being collected */
    GCT_OF_UNREACHABLE = 1u << 5, /* gencycle: tentatively unreachable */
};

struct gct_obj {
    uint32_t refcnt;  /* not maintained when !h->rc (marksweep) */
    uint8_t flags;    /* GCT_OF_* */
    uint8_t sizeclass;/* allocator size class; 0 = large object */
    uint16_t spare;
    const gct_shape *shape;
    gct_obj *slots[];
};

_Static_assert(sizeof(gct_obj) == 16, "the public header is two words");

static inline void gct_shape_init(gct_shape *s, const char *name, uint32_t nslots, uint32_t payload)
{
    s->name = name;
    s->nslots = nslots;
    s->payload = payload;
    s->flags = GCT_SHAPE_OBJECT | (nslots > 0 ? GCT_SHAPE_CONTAINER : 0u);
    s->size = (uint32_t)(sizeof(gct_obj) + nslots * sizeof(gct_obj *) + payload);
}

static inline void *gct_payload(gct_obj *o)
{
    return (void *)(o->slots + o->shape->nslots);
}

/* ---- pauses and events --------------------------------------------------- */

typedef enum gct_pause_kind {
    GCT_PAUSE_GEN0 = 0,
    GCT_PAUSE_GEN1 = 1,
    GCT_PAUSE_GEN2 = 2,
    GCT_PAUSE_FULL = 3,    /* a tracing collection of the whole heap */
    GCT_PAUSE_CASCADE = 4, /* a reference-count cascade above the limit */
} gct_pause_kind;

const char *gct_pause_kind_name(gct_pause_kind k);

typedef struct gct_pause {
    uint64_t start_ns;    /* CLOCK_MONOTONIC */
    uint64_t duration_ns;
    int64_t examined;     /* objects looked at */
    int64_t traversed;    /* references traversed (gct_gen_stats says which) */
    int64_t freed;        /* objects freed */
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
typedef struct gct_link gct_link;
struct gct_link { /* a doubly linked list node (gencycle's prefix) */
    gct_link *next;
    gct_link *prev;
};

/* An open-addressing map from object to a word (heap.c). */
typedef struct gct_ptrmap {
    const void **keys;
    uintptr_t *vals;
    size_t cap, n; /* cap is 0 or a power of two */
} gct_ptrmap;

typedef struct gct_heap gct_heap;
struct gct_heap {
    /* Read by the inline hot paths: the backend's difference as data. */
    bool rc;              /* maintain reference counts (false: marksweep) */
    bool enabled;         /* automatic collection enabled (gc.enable) */
    bool collecting;      /* a collection is running */
    uint32_t track_mask;  /* shape flags whose objects count toward the trigger */
    uint32_t prefix;      /* bytes of backend header before each gct_obj */
    gct_link *young;      /* if set, tracked objects are appended here (gen0) */
    int64_t count[GCT_MAX_GEN];     /* count[0]: allocations toward the trigger */
    int64_t threshold[GCT_MAX_GEN];

    /* Exact accounting. */
    int64_t live_objects, live_bytes;
    int64_t peak_objects, peak_bytes;
    int64_t total_allocs, total_frees;

    gct_pool pool;

    gct_obj **roots;
    size_t nroots, roots_cap;

    const gct_collector *ops;
    void *priv; /* the backend's own state */
    int64_t knobs[GCT_MAX_KNOBS]; /* current value of each of ops->knobs */
    gct_gen_stats stats[GCT_MAX_GEN];

    /* Reference-count cascades (refcount and gencycle). */
    int64_t cascade_limit; /* record a cascade freeing >= this many objects */
    gct_obj **work;        /* explicit worklist: freeing never recurses */
    size_t work_cap;

    /* Pause log, owned by the heap. */
    gct_pause *pauses;
    size_t npauses, pauses_cap;
    bool record_pauses;
    uint64_t created_ns;

    gct_event_fn on_event;
    void *on_event_ud;
    bool verify_each; /* run the verifier after every collection; abort on failure */

    /* Weak references: target -> first weak reference to it. */
    gct_ptrmap weak;
};

/* Error codes (negative return values). */
enum { GCT_OK = 0, GCT_EINVAL = -1, GCT_ENOTSUP = -2, GCT_ENOMEM = -3 };
const char *gct_strerror(int code);

/*
 * Create a heap run by the named collector.  `knobs` are "name=value"
 * assignments (NULL when n == 0); unspecified knobs take their defaults.  On
 * error returns NULL and writes a message naming the offending value to err.
 */
gct_heap *gct_heap_new(const char *collector, const char *const *knobs, size_t n, char *err,
                       size_t errlen);
/* Free every object and the heap.  Roots still held are simply released. */
void gct_heap_destroy(gct_heap *h);

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

void gct_heap_set_enabled(gct_heap *h, bool enabled);
void gct_heap_set_event_fn(gct_heap *h, gct_event_fn fn, void *ud);
void gct_heap_set_verify_each(gct_heap *h, bool on);
/* The out-of-memory guard: once the allocator would hold more than `bytes`
 * (0: no limit), the process stops with a message naming the limit. */
void gct_heap_set_limit(gct_heap *h, int64_t bytes);

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
static inline size_t gct_heap_npauses(const gct_heap *h) { return h->npauses; }
static inline const gct_pause *gct_heap_pauses(const gct_heap *h) { return h->pauses; }
void gct_heap_clear_pauses(gct_heap *h);

uint64_t gct_now_ns(void);

/* ---- out-of-line parts of the hot paths (heap.c) ------------------------- */
void gct__collect_auto(gct_heap *h);
void gct__dealloc(gct_heap *h, gct_obj *o);
void gct__roots_grow(gct_heap *h);
gct_obj *gct__alloc_large(gct_heap *h, const gct_shape *s, size_t size);
void gct__fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#if defined(GCT_CHECKS) && GCT_CHECKS
#define GCT_CHECK(cond, ...) ((cond) ? (void)0 : gct__fatal(__VA_ARGS__))
#else
#define GCT_CHECK(cond, ...) ((void)0)
#endif

/* ---- the hot operations -------------------------------------------------- */

static inline void gct_incref(gct_heap *h, gct_obj *o)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "incref of freed object %p", (void *)o);
    if (h->rc)
        o->refcnt++;
}

static inline void gct_decref(gct_heap *h, gct_obj *o)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "decref of freed object %p", (void *)o);
    GCT_CHECK(!h->rc || o->refcnt > 0, "decref below zero of %p (%s)", (void *)o, o->shape->name);
    if (h->rc && --o->refcnt == 0)
        gct__dealloc(h, o);
}

static inline gct_obj *gct_load(const gct_obj *o, uint32_t i)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "load from freed object %p", (const void *)o);
    GCT_CHECK(i < o->shape->nslots, "slot %u out of range for shape %s", i, o->shape->name);
    return o->slots[i];
}

/* o.slots[i] = v, with v increfed and the old value decrefed (last). */
static inline void gct_store(gct_heap *h, gct_obj *o, uint32_t i, gct_obj *v)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "store into freed object %p", (void *)o);
    GCT_CHECK(i < o->shape->nslots, "slot %u out of range for shape %s", i, o->shape->name);
    gct_obj *old = o->slots[i];
    if (v)
        gct_incref(h, v);
    o->slots[i] = v;
    if (old)
        gct_decref(h, old);
}

/* Allocate without rooting: refcnt 1 owned by the caller.  Internal; the
 * workload API is gct_new. */
static inline gct_obj *gct__alloc(gct_heap *h, const gct_shape *s)
{
    /* Count and maybe collect first: the new object is not part of it. */
    if (s->flags & h->track_mask) {
        if (++h->count[0] > h->threshold[0] && h->threshold[0] != 0 && h->enabled &&
            !h->collecting)
            gct__collect_auto(h);
    }
    size_t size = (size_t)h->prefix + s->size;
    gct_obj *o;
    if (size <= GCT_POOL_MAX_SMALL) {
        unsigned cls = gct_pool_class(size);
        char *block = (char *)gct_pool_alloc(&h->pool, cls);
        o = (gct_obj *)(block + h->prefix);
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
    if (h->young && (s->flags & GCT_SHAPE_CONTAINER)) {
        gct_link *l = (gct_link *)((char *)o - sizeof(gct_link));
        gct_link *last = h->young->prev;
        l->prev = last;
        l->next = h->young;
        last->next = l;
        h->young->prev = l;
    }
    h->total_allocs++;
    h->live_objects++;
    h->live_bytes += (int64_t)size;
    if (h->live_objects > h->peak_objects)
        h->peak_objects = h->live_objects;
    if (h->live_bytes > h->peak_bytes)
        h->peak_bytes = h->live_bytes;
    return o;
}

/* ---- roots --------------------------------------------------------------- */

static inline size_t gct_root_depth(const gct_heap *h) { return h->nroots; }

static inline gct_obj *gct_root_get(const gct_heap *h, size_t i)
{
    GCT_CHECK(i < h->nroots, "root %zu out of range (depth %zu)", i, h->nroots);
    return h->roots[i];
}

/* roots[i] = v (v may be NULL). */
static inline void gct_root_set(gct_heap *h, size_t i, gct_obj *v)
{
    GCT_CHECK(i < h->nroots, "root %zu out of range (depth %zu)", i, h->nroots);
    gct_obj *old = h->roots[i];
    if (v)
        gct_incref(h, v);
    h->roots[i] = v;
    if (old)
        gct_decref(h, old);
}

/* Push a reference to an existing object (or NULL) onto the root stack. */
static inline void gct_root_push(gct_heap *h, gct_obj *v)
{
    if (h->nroots == h->roots_cap)
        gct__roots_grow(h);
    if (v)
        gct_incref(h, v);
    h->roots[h->nroots++] = v;
}

static inline void gct_root_pop(gct_heap *h)
{
    GCT_CHECK(h->nroots > 0, "root stack underflow");
    gct_obj *v = h->roots[--h->nroots];
    if (v)
        gct_decref(h, v);
}

/* Pop until the depth is `depth`. */
static inline void gct_root_truncate(gct_heap *h, size_t depth)
{
    while (h->nroots > depth)
        gct_root_pop(h);
}

static inline gct_obj *gct_root_top(const gct_heap *h)
{
    GCT_CHECK(h->nroots > 0, "root stack empty");
    return h->roots[h->nroots - 1];
}

/* Allocate an object of shape s, with every slot NULL and the payload
 * uninitialised, and push it on the root stack (which owns its reference). */
static inline gct_obj *gct_new(gct_heap *h, const gct_shape *s)
{
    if (h->nroots == h->roots_cap)
        gct__roots_grow(h);
    gct_obj *o = gct__alloc(h, s);
    h->roots[h->nroots++] = o;
    return o;
}

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

#ifdef __cplusplus
}
#endif
#endif
