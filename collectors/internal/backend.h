/*
 * internal/backend.h — the heap as the collector backends see it.
 *
 * Who it is for: the files of collectors/ (the heap's own and one per
 * backend), white-box tests, and gct-bench's benchmark of gct__record_pause.
 * Workloads and the harness must not include it, and cannot by accident: it
 * refuses to compile unless GCT_BUILD_BACKEND is defined, which only the
 * collectors library and gct_collectors_internal_dep (tests, gct-bench)
 * define, the way CPython guards Include/internal with Py_BUILD_CORE.
 * tests/check-api-boundary.py proves the workloads' build cannot reach it.
 *
 * Invariants the backends and the heap keep between them:
 *  - struct gct_heap begins with gct__heap_hot (heap.h), which the inline hot
 *    paths read through a cast; everything after it is read only out of line.
 *    A backend's init sets hot.rc, hot.track_mask, hot.threshold and, when it
 *    wants every new container linked onto a list, hot.young (a list head of
 *    its own, whose nodes are the two-word prefix it asked for: c->prefix ==
 *    sizeof(gct_link)).  gct__free unlinks such an object again and keeps
 *    hot.count[0] from going below zero (PyObject_GC_Del).
 *  - Backend flags live in the reserved bits GCT_OF_BACKEND0..2 (object.h),
 *    named in the backend's .c file, and are clear outside a collection.
 *  - h->priv is the backend's; the heap never reads it.
 *  - Freeing never recurses: gct__dealloc cascades with the worklist h->work.
 *  - The heap owns the pause log and the event callback; backends report
 *    through gct__record_pause and gct__emit_event.
 *  - Names: gct__ for what only the collectors use.
 */
#ifndef GCT_INTERNAL_BACKEND_H
#define GCT_INTERNAL_BACKEND_H

#if !defined(GCT_BUILD_BACKEND)
#error "internal/backend.h is for collector backends (define GCT_BUILD_BACKEND); use heap.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../collector.h"
#include "../heap.h"
#include "ptrmap.h"

#ifdef __cplusplus
extern "C" {
#endif

struct gct_heap {
    gct__heap_hot hot; /* first: what the inline hot paths read (heap.h) */

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
    /* hot.alloc_bytes at the last collection of each generation (the
     * oldest's slot also for full collections): gct_pause.alloc_bytes. */
    int64_t alloc_bytes_at[GCT_MAX_GEN];

    gct_event_fn on_event;
    void *on_event_ud;
    bool verify_each; /* run the verifier after every collection; abort on failure */

    /* What a mark phase may take as reachable (gct_heap_set_frozen_roots and
     * gct_heap_set_frame_object, heap.h): only the 3.14 model reads them. */
    bool frozen_roots;   /* the root stack is a list frozen before the heap began */
    gct_obj *frame_obj;  /* an object a Python frame holds at the next safepoints */

    /* CPython's tuples (tuple.c).  A backend modelling CPython sets the
     * policy in its init; 0 treats a tuple as any container. */
    uint32_t tuple_policy;                  /* GCT_TUPLES_* */
    int64_t tuple_free[GCT_TUPLE_MAX];     /* the free list of each size */
    int64_t tuples_tracked;                 /* tuples in the backend's lists */
    int64_t untracked_containers;           /* containers in no list (tuples) */

    /* Weak references: target -> first weak reference to it. */
    gct_ptrmap weak;
};

_Static_assert(offsetof(struct gct_heap, hot) == 0, "the hot part is the heap's first member");

/* The knob row every CPython model has: gc.freeze() when the workload's
 * set-up is done (gct_heap_setup_done acts on it; the collector only keeps
 * it). */
#define GCT_FREEZE_KNOB_ROW                                                                        \
    {"freeze", 0, 0, 1, "0/1",                                                                   \
     "1: gc.freeze() once the workload's set-up is done (its long-lived heap built), as a "       \
     "pre-fork server does before it forks: what it froze is never examined again"}

/* How a CPython model treats tuples of atoms (h->tuple_policy). */
enum {
    GCT_TUPLES_CPYTHON = 1u << 0,       /* a model of CPython: the rest applies */
    GCT_TUPLES_UNTRACKED = 1u << 1,     /* created untracked (3.14.1+, 3.14.5+, 3.15) */
    GCT_TUPLES_COUNT_TRACKED = 1u << 2, /* count[0] counts tracking, not allocation (3.14.1+) */
};
/* CPython's free list of tuples, per size (Py_tuple_MAXFREELIST). */
#define GCT_TUPLE_FREELIST 2000

/* tuple.c: a tuple is freed (gct__free); returns whether count[0] goes
 * down.  And a full collection empties the free lists
 * (_PyGC_ClearAllFreeLists). */
bool gct__tuple_freed(gct_heap *h, gct_obj *t);
void gct__tuple_freelists_clear(gct_heap *h);

/* ---- the prefix link ----------------------------------------------------- */

/* The heap's two-word prefix (object.h's struct gct__link), as backends call
 * it; gencycle's generation lists and cpython's pending list are made of it. */
typedef struct gct__link gct_link;
_Static_assert(sizeof(gct_link) == 2 * sizeof(void *), "the prefix link is two words");

static inline gct_link *gct_obj_link(gct_obj *o)
{
    return (gct_link *)(void *)((char *)o - sizeof(gct_link));
}
static inline gct_obj *gct_link_obj(gct_link *l) { return (gct_obj *)(void *)(l + 1); }

/* ---- helpers for backends ------------------------------------------------ */

void gct__record_pause(gct_heap *h, gct_pause_kind kind, uint64_t start_ns, int64_t examined,
                       int64_t traversed, int64_t freed);
void gct__emit_event(gct_heap *h, gct_event_phase phase, int generation, int64_t collected,
                     int64_t uncollectable);
/* Free an object whose references have already been dropped (no decrefs). */
void gct__free(gct_heap *h, gct_obj *o);
/* Clear every weak reference to o (o is about to die). */
void gct__weakrefs_clear(gct_heap *h, gct_obj *o);

/* A growable stack of objects for tracing without recursion. */
typedef struct gct_objstack {
    gct_obj **items;
    size_t n, cap;
} gct_objstack;
void gct_objstack_push_slow(gct_objstack *s, gct_obj *o);
static inline void gct_objstack_push(gct_objstack *s, gct_obj *o)
{
    if (s->n == s->cap)
        gct_objstack_push_slow(s, o);
    else
        s->items[s->n++] = o;
}
void gct_objstack_free(gct_objstack *s);

/* ---- between the heap's own files ---------------------------------------- */

/* Double *cap (or start at min_cap) and realloc p to it; fatal without memory. */
void *gct__grow_array(void *p, size_t *cap, size_t elem, size_t min_cap);
/* weakref.c, for gct__free and the verifier. */
void gct__weakref_unlink(gct_heap *h, gct_obj *wr);
bool gct__weakref_verify(gct_heap *h, gct_obj *o, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
