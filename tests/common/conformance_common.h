/*
 * common/conformance_common.h — what the test-conformance-*.c programs share
 * (common/conformance_common.c, linked into each of them): one parameterised
 * case per registered backend (BACKEND_TEST), the test context (a heap plus a
 * model of its accounting), the checked operations (NEW, WEAK, COLLECT, ACCT,
 * VERIFY, LEAKS, GONE) and the builders.
 *
 * Each case is a Criterion parameterized test whose parameter is an index into
 * the collector registry (gct_collector_at), so every backend shows up as its
 * own case and a new backend is covered as soon as it is registered.  The
 * backend's name is in every assertion message.
 *
 * Expected semantics, derived from what the backend declares:
 *  - rc (h->rc): an object is freed the moment its last reference goes, by
 *    an explicit-worklist cascade; a cascade freeing >= the `cascade` knob is
 *    recorded as a GCT_PAUSE_CASCADE pause, a smaller one is not.
 *  - collects (ops->collect != NULL): gct_heap_collect(h, GCT_GEN_FULL) frees
 *    every object unreachable from the roots, cycles included, returns the
 *    number of unreachable *tracked* objects (shape flags & h->track_mask:
 *    containers for gencycle, as CPython counts only GC objects; everything
 *    for marksweep), and appends exactly one pause.
 *  - refcount (rc, no collect): cycles leak, and gct_heap_leaks reports
 *    exactly the leaked objects and bytes (count * (prefix + shape size)).
 *
 * Every collection is followed by gct_heap_verify with exact reference counts
 * (valid: the tests hold no references outside roots and slots), and
 * verify_each is on, so the heap also checks itself after automatic
 * collections.  Accounting (live objects and bytes, peaks, allocations, frees)
 * is checked against a model at every step.
 *
 * Environment:
 *   GCT_CHAIN_LEN=N   length of the long chains and rings (default
 */
#ifndef GCT_TESTS_COMMON_CONFORMANCE_H
#define GCT_TESTS_COMMON_CONFORMANCE_H

#include <criterion/criterion.h>
#include "gct_test.h"
#include <criterion/parameterized.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector.h"
#include "heap.h"

/* ---- shapes -------------------------------------------------------------- */

enum { NEXT = 0, PREV = 1 };
/* pyperformance's bm_gc_collect Node: next and prev. */
extern const gct_shape node_shape;
extern const gct_shape pair_shape;
extern const gct_shape link_shape;
extern const gct_shape atom_shape;
extern const gct_shape wide_shape;
/* Larger than GCT_POOL_MAX_SMALL: the allocator's large-object path. */
extern const gct_shape big_shape;

/* ---- parameters: one case per registered backend ------------------------- */

typedef struct backend_param {
    size_t index; /* into the registry: never a pointer (each case is its own process) */
} backend_param;

struct criterion_test_params all_backends(void);

#define BACKEND_TEST(name)                                                                         \
    ParameterizedTestParameters(conformance, name) { return all_backends(); }                      \
    ParameterizedTest(backend_param *bp, conformance, name)

/* ---- the test context: a heap plus a model of its accounting ------------- */

enum { NEV = 64 };

typedef struct ev {
    gct_event_phase phase;
    gct_event_info info;
} ev;

typedef struct tc {
    gct_heap *h;
    const char *be; /* backend name, in every message */
    bool rc;        /* frees at reference count zero */
    bool collects;  /* gct_heap_collect frees unreachable objects */
    int64_t live, bytes, peak, peak_bytes, allocs;
    ev evs[NEV]; /* the last NEV events (a ring) */
    size_t nev;  /* events seen in total */
} tc;

/* Opens the heap of backend bp (verify_each on, events recorded), checks
 * what the backend declares against what it is documented to be. */
void open_heap(tc *t, const backend_param *bp, const char *const *knobs, size_t nknobs);
void close_heap(tc *t);

/* The size of an object of shape s on this heap (prefix included). */
int64_t osize(const tc *t, const gct_shape *s);
/* Does a full collection count objects of this shape in its return value? */
bool tracked(const tc *t, const gct_shape *s);

/* The heap's accounting against the model, its verifier, its leaks. */
void check_acct(const tc *t, int line);
#define ACCT(t) check_acct((t), __LINE__)
void check_verify(const tc *t, int line);
#define VERIFY(t) check_verify((t), __LINE__)
void check_leaks(const tc *t, int64_t objs, int64_t bytes, int line);
#define LEAKS(t, objs, bytes) check_leaks((t), (objs), (bytes), __LINE__)

/* The model: n objects of shape s were born / died. */
void model_new(tc *t, const gct_shape *s, int64_t n);
void model_gone(tc *t, const gct_shape *s, int64_t n);
#define GONE(t, s, n) model_gone((t), (s), (n))

/* gct_new and gct_weakref_new, checked and counted in the model. */
gct_obj *tnew(tc *t, const gct_shape *s, int line);
#define NEW(t, s) tnew((t), (s), __LINE__)
gct_obj *tweak(tc *t, gct_obj *target, int line);
#define WEAK(t, target) tweak((t), (target), __LINE__)

/* The kind a full collection records, and an automatic one of the youngest
 * generation. */
gct_pause_kind full_kind(const tc *t);
gct_pause_kind young_kind(const tc *t);
void check_pause(const tc *t, const gct_pause *p, gct_pause_kind kind, int64_t freed, uint64_t t0,
                 uint64_t t1, int line);

/* gct_heap_collect(h, GCT_GEN_FULL) expecting `expect`, and every check a
 * collection gets (common/conformance_common.c says which). */
const gct_pause *collect_full(tc *t, int64_t expect, int line);
#define COLLECT(t, expect) collect_full((t), (expect), __LINE__)

/* ---- builders ------------------------------------------------------------ */

/* A chain of n objects of shape s (slot 0 links to the next), rooted by its
 * head only; *tail is the first allocated. */
gct_obj *build_chain(tc *t, const gct_shape *s, int64_t n, gct_obj **tail);
/* pyperformance bm_gc_collect: Node.link_next. */
void link_next(gct_heap *h, gct_obj *cur, gct_obj *next);
/* create_cycle: a ring of n_links + 1 nodes, its head left on the roots. */
gct_obj *create_ring(tc *t, int n_links);
void check_ring(const tc *t, gct_obj *head, int n, int line);
/* GCT_CHAIN_LEN, or 10,000,000. */
int64_t chain_len(void);
/* The cascade knob, or INT64_MAX for a backend without one. */
int64_t cascade_limit(const tc *t);

#endif
