/*
 * gct-bench.c — Google Benchmark microbenchmarks of the collectors themselves
 * (issue 7), through the C wrapper in harness/gbench.h.
 *
 * Every benchmark reports its figure as a counter (ns_per_obj, ns_per_op,
 * overhead_pct, ...) computed from its own clock around the measured part
 * only, so setup (building a heap of two million objects) never counts.
 * Names are <group>/<collector>/<case>/<size>, e.g.
 * collect/gencycle/tree/live/2000000; select with --benchmark_filter.
 *
 *  collect  full collection of a tree with parent pointers (3 slots per
 *           node, built depth-first, so allocation order is preorder), a
 *           doubly linked ring (3-slot nodes, the third slot empty) and a
 *           random graph (out-degree 4: a random Hamiltonian cycle through
 *           slot 0, so all of it is reachable, and three uniform slots).
 *           live: rooted, nothing freed, one untimed collection first (the
 *           heap is then in the oldest generation, as in steady state).
 *           dead: built on a fresh heap, the root dropped, one timed
 *           collection that frees all of it (for gencycle every object is
 *           cyclic garbage).  Automatic collection is off while building,
 *           as gc.disable() is in the CPython anchor.
 *           The other models of CPython (gencycle312 ... gencycle315) run
 *           the live tree only: their full collections are gencycle's
 *           passes, and the tree is what bench/anchors compares.
 *  step     CPython 3.14's incremental collector (gencycle314) in steady
 *           state on a live tree: each round allocates threshold+1 new
 *           objects (half of them in dropped two-object cycles) and reaches a
 *           safepoint, which runs one step; the median microseconds of the
 *           MARK steps (which mark everything the roots reach) and of the
 *           COLLECT steps, the objects a COLLECT step examines, and the
 *           share of steps 3.14.1's accounting skips.
 *  walk     the memory floor: read one word of each of n 64-byte nodes in
 *           address order.
 *  alloc    allocate a small object (2 slots), store into it, drop it, as
 *           one loop; against the same loop over malloc/free with the same
 *           header and reference-count work ("malloc") and over bare
 *           malloc/free ("malloc_bare").
 *  rc       incref + decref pairs and slot stores, ns per operation.
 *  record   the cost of pause recording: real workloads at the most
 *           frequent collection setting, alternating rounds with recording
 *           on and off in one process; and the cost of one record.
 *
 * Not a test: it checks only that a collection freed what it should.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "gbench.h"
#include "heap.h"
#include "internal/backend.h" /* record_cost_ns times gct__record_pause itself */
#include "rng.h"
#include "workload.h"

/* Keep the compiler from removing or merging what is measured. */
#define CLOBBER() __asm__ volatile("" ::: "memory")
#define ESCAPE(p) __asm__ volatile("" : : "r"(p) : "memory")

static int g_reps = 5;

static const gct_shape node3 = GCT_SHAPE("node3", 3, 0);
static const gct_shape node4 = GCT_SHAPE("node4", 4, 0);
static const gct_shape small2 = GCT_SHAPE("small2", 2, 0);

static gct_heap *heap_new(const char *collector, const char *const *knobs, size_t nknobs)
{
    char err[256];
    gct_heap *h = gct_heap_new(collector, knobs, nknobs, err, sizeof err);
    if (!h) {
        fprintf(stderr, "gct-bench: %s\n", err);
        exit(1);
    }
    return h;
}

static double median(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++) /* insertion sort: n is small */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : 0;
}

/* ---- shapes of heap ------------------------------------------------------ */

enum { TREE, RING, GRAPH };
static const char *const kind_names[] = {"tree", "ring", "graph"};

/* A balanced tree of n nodes in preorder: the node, then n-1 split as evenly
 * as possible, the left subtree taking the odd one.  Leaves its root on the
 * root stack.  Slots: 0 left, 1 right, 2 parent. */
static void build_tree(gct_heap *h, int64_t n)
{
    gct_new(h, &node3);
    int64_t rest = n - 1, nl = rest - rest / 2, nr = rest / 2;
    for (uint32_t side = 0; side < 2; side++) {
        int64_t m = side ? nr : nl;
        if (!m)
            continue;
        build_tree(h, m);
        size_t d = gct_root_depth(h);
        gct_obj *child = gct_root_get(h, d - 1), *parent = gct_root_get(h, d - 2);
        gct_store(h, parent, side, child);
        gct_store(h, child, 2, parent);
        gct_root_pop(h);
    }
}

/* A ring of n nodes in allocation order: slot 0 next, slot 1 previous. */
static void build_ring(gct_heap *h, int64_t n)
{
    size_t base = gct_root_depth(h);
    gct_obj *first = gct_new(h, &node3);
    gct_root_push(h, first); /* base + 1: the previous node */
    for (int64_t i = 1; i < n; i++) {
        gct_obj *x = gct_new(h, &node3);
        gct_obj *prev = gct_root_get(h, base + 1);
        gct_store(h, prev, 0, x);
        gct_store(h, x, 1, prev);
        gct_root_set(h, base + 1, x);
        gct_root_pop(h);
    }
    gct_obj *last = gct_root_get(h, base + 1);
    first = gct_root_get(h, base);
    gct_store(h, last, 0, first);
    gct_store(h, first, 1, last);
    gct_root_pop(h);
}

/* n nodes of out-degree 4: slot 0 follows a random Hamiltonian cycle (so
 * everything is reachable from any node), slots 1-3 point anywhere. */
static void build_graph(gct_heap *h, int64_t n, uint64_t seed)
{
    size_t base = gct_root_depth(h);
    for (int64_t i = 0; i < n; i++)
        gct_new(h, &node4);
    gct_rng r;
    gct_rng_seed(&r, seed);
    uint32_t *perm = malloc((size_t)n * sizeof *perm);
    if (!perm)
        abort();
    for (int64_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (int64_t i = n - 1; i > 0; i--) {
        uint64_t j = gct_rng_below(&r, (uint64_t)i + 1);
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    /* No allocation from here on, so the rooted nodes stay put. */
#define NODE(i) gct_root_get(h, base + (size_t)(i))
    for (int64_t i = 0; i < n; i++) {
        gct_obj *o = NODE(perm[i]);
        gct_store(h, o, 0, NODE(perm[(i + 1) % n]));
        for (uint32_t s = 1; s < 4; s++)
            gct_store(h, o, s, NODE(gct_rng_below(&r, (uint64_t)n)));
    }
    gct_root_set(h, base, NODE(perm[0]));
#undef NODE
    gct_root_truncate(h, base + 1);
    free(perm);
}

static void build(gct_heap *h, int kind, int64_t n)
{
    bool was = gct_heap_enabled(h);
    gct_heap_set_enabled(h, false);
    switch (kind) {
    case TREE: build_tree(h, n); break;
    case RING: build_ring(h, n); break;
    default: build_graph(h, n, 42); break;
    }
    gct_heap_set_enabled(h, was);
}

/* ---- collect ------------------------------------------------------------- */

/* The models of CPython whose full collection bench/anchors puts beside
 * CPython's own (gencycle, 3.11, is in the main table). */
static const char *const cpython_models[] = {"gencycle312", "gencycle313", "gencycle314",
                                             "gencycle315"};
#define NMODELS (sizeof cpython_models / sizeof cpython_models[0])

typedef struct collect_case {
    const char *collector;
    int kind;
    bool dead;
    int64_t n;
    char name[96];
} collect_case;

static void bm_collect_live(gct_gb_state *st, void *ud)
{
    const collect_case *c = ud;
    gct_heap *h = heap_new(c->collector, NULL, 0);
    build(h, c->kind, c->n);
    int64_t live = gct_heap_live_objects(h);
    gct_heap_collect(h, GCT_GEN_FULL); /* into the oldest generation */
    uint64_t total = 0;
    int64_t iters = 0;
    bool ok = true;
    while (gct_gb_keep_running(st)) {
        uint64_t t0 = gct_now_ns();
        int64_t freed = gct_heap_collect(h, GCT_GEN_FULL);
        total += gct_now_ns() - t0;
        iters++;
        if (freed != 0 || gct_heap_live_objects(h) != live)
            ok = false;
    }
    if (!ok)
        gct_gb_skip_with_error(st, "a collection of a live heap freed something");
    gct_gb_counter(st, "ns_per_obj", (double)total / ((double)iters * (double)c->n));
    gct_gb_counter(st, "objects", (double)c->n);
    gct_heap_destroy(h);
}

static void bm_collect_dead(gct_gb_state *st, void *ud)
{
    const collect_case *c = ud;
    uint64_t total = 0;
    int64_t iters = 0;
    bool ok = true;
    while (gct_gb_keep_running(st)) {
        gct_gb_pause(st);
        gct_heap *h = heap_new(c->collector, NULL, 0);
        build(h, c->kind, c->n);
        gct_root_pop(h);
        int64_t live = gct_heap_live_objects(h);
        gct_gb_resume(st);
        uint64_t t0 = gct_now_ns();
        int64_t freed = gct_heap_collect(h, GCT_GEN_FULL);
        total += gct_now_ns() - t0;
        gct_gb_pause(st);
        iters++;
        if (freed != live || gct_heap_live_objects(h) != 0)
            ok = false;
        gct_heap_destroy(h);
        gct_gb_resume(st);
    }
    if (!ok)
        gct_gb_skip_with_error(st, "a collection of a dead heap did not free all of it");
    gct_gb_counter(st, "ns_per_obj", (double)total / ((double)iters * (double)c->n));
    gct_gb_counter(st, "objects", (double)c->n);
}

/* ---- walk: the memory floor ---------------------------------------------- */

typedef struct walk_case {
    int64_t n;
    char name[64];
} walk_case;

static void bm_walk(gct_gb_state *st, void *ud)
{
    const walk_case *c = ud;
    size_t bytes = (size_t)c->n * 64;
    char *mem = aligned_alloc(64, bytes);
    if (!mem)
        abort();
    memset(mem, 1, bytes);
    uint64_t total = 0, sum = 0;
    int64_t iters = 0;
    while (gct_gb_keep_running(st)) {
        uint64_t t0 = gct_now_ns();
        for (size_t off = 0; off < bytes; off += 64)
            sum += *(volatile uint64_t *)(void *)(mem + off);
        total += gct_now_ns() - t0;
        iters++;
    }
    ESCAPE(sum);
    free(mem);
    gct_gb_counter(st, "ns_per_obj", (double)total / ((double)iters * (double)c->n));
}

/* ---- alloc + free -------------------------------------------------------- */

enum { ALLOC_LOOP = 1000000 };

typedef struct alloc_case {
    const char *collector; /* NULL: malloc */
    bool bare;
    char name[64];
} alloc_case;

static void bm_alloc(gct_gb_state *st, void *ud)
{
    const alloc_case *c = ud;
    gct_heap *h = heap_new(c->collector, NULL, 0);
    gct_obj *keep = gct_new(h, &small2);
    uint64_t total = 0;
    int64_t n = 0;
    while (gct_gb_keep_running(st)) {
        uint64_t t0 = gct_now_ns();
        for (int i = 0; i < ALLOC_LOOP; i++) {
            gct_obj *o = gct_new(h, &small2);
            gct_store(h, o, 0, keep);
            gct_root_pop(h);
        }
        total += gct_now_ns() - t0;
        n += ALLOC_LOOP;
    }
    gct_gb_counter(st, "ns_per_obj", (double)total / (double)n);
    gct_gb_counter(st, "collections", (double)gct_heap_stats(h)[0].collections);
    gct_heap_destroy(h);
}

/* The same loop with malloc and free: the same header, the same reference
 * to a long-lived object taken and dropped. */
static void bm_alloc_malloc(gct_gb_state *st, void *ud)
{
    const alloc_case *c = ud;
    gct_obj *keep = calloc(1, small2.size);
    if (!keep)
        abort();
    keep->refcnt = 1;
    keep->shape = &small2;
    uint64_t total = 0;
    int64_t n = 0;
    while (gct_gb_keep_running(st)) {
        uint64_t t0 = gct_now_ns();
        if (c->bare) {
            for (int i = 0; i < ALLOC_LOOP; i++) {
                void *p = malloc(small2.size);
                ESCAPE(p);
                free(p);
            }
        } else {
            for (int i = 0; i < ALLOC_LOOP; i++) {
                gct_obj *o = malloc(small2.size);
                if (!o)
                    abort();
                o->refcnt = 1;
                o->flags = 0;
                o->sizeclass = 0;
                o->spare = 0;
                o->shape = &small2;
                o->slots[0] = o->slots[1] = NULL;
                keep->refcnt++;
                o->slots[0] = keep;
                ESCAPE(o);
                if (--o->refcnt == 0) {
                    for (uint32_t s = 0; s < o->shape->nslots; s++)
                        if (o->slots[s] && --o->slots[s]->refcnt == 0)
                            abort();
                    free(o);
                }
            }
        }
        total += gct_now_ns() - t0;
        n += ALLOC_LOOP;
    }
    free(keep);
    gct_gb_counter(st, "ns_per_obj", (double)total / (double)n);
}

/* ---- incref/decref and stores -------------------------------------------- */

typedef struct rc_case {
    const char *collector;
    bool stores;
    char name[64];
} rc_case;

enum { RC_LOOP = 10000000, RC_OBJS = 64 };

static void bm_rc(gct_gb_state *st, void *ud)
{
    const rc_case *c = ud;
    gct_heap *h = heap_new(c->collector, NULL, 0);
    gct_obj *objs[RC_OBJS];
    for (int i = 0; i < RC_OBJS; i++)
        objs[i] = gct_new(h, &node3);
    uint64_t total = 0;
    int64_t ops = 0;
    while (gct_gb_keep_running(st)) {
        uint64_t t0 = gct_now_ns();
        if (c->stores) {
            for (uint32_t i = 0; i < RC_LOOP; i++) {
                gct_store(h, objs[i % RC_OBJS], i % 3, objs[(i * 7 + 3) % RC_OBJS]);
                CLOBBER();
            }
            ops += RC_LOOP;
        } else {
            gct_obj *o = objs[0];
            for (uint32_t i = 0; i < RC_LOOP; i++) {
                gct_incref(h, o);
                CLOBBER();
                gct_decref(h, o);
                CLOBBER();
            }
            ops += 2 * (int64_t)RC_LOOP;
        }
        total += gct_now_ns() - t0;
    }
    gct_gb_counter(st, "ns_per_op", (double)total / (double)ops);
    gct_heap_destroy(h);
}

/* ---- steps of the incremental collector ----------------------------------- */

typedef struct step_case {
    int64_t n;
    char name[96];
} step_case;

/* Rounds until at least STEP_SAMPLES steps of each kind ran (3.14.1's
 * accounting skips steps while work is owed: after a MARK step of the 2M
 * tree, over a thousand), at most STEP_MAX_ROUNDS. */
enum { STEP_SAMPLES = 5, STEP_MAX_ROUNDS = 50000 };

static void bm_step(gct_gb_state *st, void *ud)
{
    const step_case *c = ud;
    gct_heap *h = heap_new("gencycle314", NULL, 0);
    build(h, TREE, c->n);
    gct_heap_collect(h, GCT_GEN_FULL);
    gct_heap_set_record_pauses(h, true);
    int64_t gen0 = 0;
    gct_heap_get_knob(h, "gen0", &gen0);
    double mark[STEP_SAMPLES], coll[STEP_SAMPLES];
    size_t nmark = 0, ncoll = 0;
    int64_t rounds = 0, skipped = 0;
    double examined = 0;
    while (gct_gb_keep_running(st)) {
        nmark = ncoll = 0;
        rounds = skipped = 0;
        examined = 0;
        while ((nmark < STEP_SAMPLES || ncoll < STEP_SAMPLES) && rounds < STEP_MAX_ROUNDS) {
            rounds++;
            for (int64_t i = 0; i <= gen0; i += 2) {
                gct_obj *a = gct_new(h, &small2);
                gct_obj *b = gct_new(h, &small2);
                gct_store(h, a, 0, b);
                gct_store(h, b, 0, a);
                gct_root_pop(h);
                gct_root_pop(h);
            }
            gct_heap_clear_pauses(h);
            uint64_t t0 = gct_now_ns();
            gct_heap_safepoint(h);
            double us = (double)(gct_now_ns() - t0) / 1e3;
            const gct_pause *p = gct_heap_pauses(h);
            if (gct_heap_npauses(h) != 1 || (p->kind == GCT_PAUSE_GEN1 && !p->examined)) {
                skipped++; /* 3.14.1's early return: nothing ran */
            } else if (p->kind == GCT_PAUSE_MARK) {
                if (nmark < STEP_SAMPLES)
                    mark[nmark++] = us;
            } else if (ncoll < STEP_SAMPLES) {
                examined += (double)p->examined;
                coll[ncoll++] = us;
            }
        }
    }
    if (ncoll < STEP_SAMPLES || nmark < STEP_SAMPLES)
        gct_gb_skip_with_error(st, "too few MARK or COLLECT steps ran");
    gct_gb_counter(st, "objects_per_collect_step", ncoll ? examined / (double)ncoll : 0);
    gct_gb_counter(st, "mark_us", median(mark, nmark));
    gct_gb_counter(st, "collect_us", median(coll, ncoll));
    gct_gb_counter(st, "skipped_pct", rounds ? 100.0 * (double)skipped / (double)rounds : 0);
    gct_gb_counter(st, "objects", (double)c->n);
    gct_heap_destroy(h);
}

/* ---- the cost of pause recording ----------------------------------------- */

typedef struct record_case {
    const char *collector;
    const char *workload;
    const char *knob;    /* the most frequent collection setting */
    const char *setting; /* a workload parameter, or NULL */
    int64_t ops;         /* operations per half-round */
    char name[96];
} record_case;

enum { RECORD_ROUNDS = 8 };

/* One run of the workload on a fresh heap with recording on or off: the
 * nanoseconds its operations took, and its pauses. */
static uint64_t record_run(const record_case *c, bool on, int64_t *pauses, char *err,
                           size_t errlen)
{
    const char *knobs[1] = {c->knob};
    const char *settings[1] = {c->setting};
    gct_heap *h = heap_new(c->collector, knobs, c->knob ? 1 : 0);
    gct_heap_set_record_pauses(h, on);
    gct_workload_run *r =
        gct_workload_new(c->workload, h, settings, c->setting ? 1 : 0, 1, err, errlen);
    if (!r) {
        gct_heap_destroy(h);
        return 0;
    }
    /* Half as many operations first, untimed: the heap reaches its working
     * size (page faults, huge pages) before the clock starts. */
    gct_workload_ops(r, c->ops / 2);
    gct_heap_clear_pauses(h);
    uint64_t t0 = gct_now_ns();
    gct_workload_ops(r, c->ops);
    uint64_t t = gct_now_ns() - t0;
    *pauses = (int64_t)gct_heap_npauses(h);
    if (!gct_workload_check(r, err, errlen))
        t = 0;
    gct_workload_free(r);
    gct_heap_destroy(h);
    return t;
}

/* The cost of one pause record as a collector makes it: a clock read at
 * the start, gct__record_pause (a clock read and an append). */
static double record_cost_ns(void)
{
    gct_heap *h = heap_new("gencycle", NULL, 0);
    enum { N = 20000 };
    uint64_t t0 = gct_now_ns();
    for (int i = 0; i < N; i++)
        gct__record_pause(h, GCT_PAUSE_GEN0, gct_now_ns(), 1, 0, 0);
    uint64_t t = gct_now_ns() - t0;
    gct_heap_destroy(h);
    return (double)t / N;
}

/* The same deterministic run (same seed, same collections) with recording
 * on and with it off, alternately, which one goes first alternating too; the
 * overhead is the median over pairs of on/off - 1. */
static void bm_record(gct_gb_state *st, void *ud)
{
    const record_case *c = ud;
    char err[256] = "";
    int64_t pauses = 0, ignore;
    record_run(c, true, &ignore, err, sizeof err); /* warm up */
    double ratio[RECORD_ROUNDS * 64];
    size_t nr = 0;
    uint64_t t_on = 0, t_off = 0, min_on = UINT64_MAX, min_off = UINT64_MAX;
    int64_t runs = 0;
    bool ok = true;
    while (gct_gb_keep_running(st)) {
        for (int round = 0; round < RECORD_ROUNDS; round++) {
            uint64_t on, off;
            if (round % 2) {
                on = record_run(c, true, &pauses, err, sizeof err);
                off = record_run(c, false, &ignore, err, sizeof err);
            } else {
                off = record_run(c, false, &ignore, err, sizeof err);
                on = record_run(c, true, &pauses, err, sizeof err);
            }
            if (!on || !off)
                ok = false;
            t_on += on;
            t_off += off;
            min_on = on < min_on ? on : min_on;
            min_off = off < min_off ? off : min_off;
            runs++;
            if (nr < sizeof ratio / sizeof ratio[0] && off)
                ratio[nr++] = (double)on / (double)off;
        }
    }
    if (!ok) {
        gct_gb_skip_with_error(st, err);
        return;
    }
    double ops = (double)c->ops * (double)runs;
    /* What the pause log alone should cost: its pauses times the cost of
     * one record (two clock reads and an append), against the run without
     * recording.  The measured overhead also holds whatever else recording
     * switches on (heap.c times every reference-count cascade of two or more
     * objects while recording, in case it reaches the cascade limit). */
    double one = record_cost_ns();
    gct_gb_counter(st, "log_estimate_pct",
                   (double)pauses * one * (double)runs / (double)t_off * 100);
    gct_gb_counter(st, "overhead_pct", (median(ratio, nr) - 1) * 100);
    /* Interference only ever adds time: the fastest run of each kind. */
    gct_gb_counter(st, "overhead_min_pct", ((double)min_on / (double)min_off - 1) * 100);
    gct_gb_counter(st, "ns_per_op_on", (double)t_on / ops);
    gct_gb_counter(st, "ns_per_op_off", (double)t_off / ops);
    gct_gb_counter(st, "pauses_per_run", (double)pauses);
    gct_gb_counter(st, "us_between_pauses",
                   (double)t_on * 1e-3 / (double)runs / (double)(pauses ? pauses : 1));
}

/* One record: the clock read at the end and the append (the start time is
 * read by the collector only when recording). */
static void bm_record_one(gct_gb_state *st, void *ud)
{
    (void)ud;
    gct_heap *h = heap_new("gencycle", NULL, 0);
    uint64_t total = 0;
    int64_t n = 0;
    while (gct_gb_keep_running(st)) {
        uint64_t t0 = gct_now_ns();
        for (int i = 0; i < 4096; i++)
            gct__record_pause(h, GCT_PAUSE_GEN0, gct_now_ns(), 1, 0, 0);
        total += gct_now_ns() - t0;
        n += 4096;
        gct_heap_clear_pauses(h);
    }
    gct_gb_counter(st, "ns_per_op", (double)total / (double)n);
    gct_heap_destroy(h);
}

/* ---- registration -------------------------------------------------------- */

static const int64_t sizes[] = {100000, 1000000, 2000000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static collect_case collect_cases[2 * 3 * 2 * NSIZES + NMODELS * NSIZES];
static walk_case walk_cases[NSIZES];
static step_case step_cases[NSIZES];
static alloc_case alloc_cases[5];
static rc_case rc_cases[6];
static record_case record_cases[8];

static void register_all(void)
{
    static const char *const tracing[] = {"gencycle", "marksweep"};
    size_t k = 0;
    for (size_t s = 0; s < NSIZES; s++)
        for (int dead = 0; dead < 2; dead++)
            for (int kind = 0; kind < 3; kind++)
                for (size_t col = 0; col < 2; col++) {
                    collect_case *c = &collect_cases[k++];
                    c->collector = tracing[col];
                    c->kind = kind;
                    c->dead = dead;
                    c->n = sizes[s];
                    snprintf(c->name, sizeof c->name, "collect/%s/%s/%s/%" PRId64, c->collector,
                             kind_names[kind], dead ? "dead" : "live", c->n);
                    /* About 20 (live) or 4 (dead) million objects per
                     * repetition, at least one collection. */
                    int64_t per = dead ? 4000000 : 20000000;
                    int64_t iters = per / c->n > 0 ? per / c->n : 1;
                    gct_gb_register(c->name, dead ? bm_collect_dead : bm_collect_live, c, iters,
                                    g_reps);
                }
    for (size_t s = 0; s < NSIZES; s++)
        for (size_t m = 0; m < NMODELS; m++) {
            collect_case *c = &collect_cases[k++];
            *c = (collect_case){.collector = cpython_models[m], .kind = TREE, .n = sizes[s]};
            snprintf(c->name, sizeof c->name, "collect/%s/tree/live/%" PRId64, c->collector, c->n);
            int64_t iters = 20000000 / c->n > 0 ? 20000000 / c->n : 1;
            gct_gb_register(c->name, bm_collect_live, c, iters, g_reps);
        }
    for (size_t s = 0; s < NSIZES; s++) {
        step_case *c = &step_cases[s];
        c->n = sizes[s];
        snprintf(c->name, sizeof c->name, "step/gencycle314/tree/live/%" PRId64, c->n);
        gct_gb_register_unit(c->name, bm_step, c, 1, g_reps, "ms");
    }
    for (size_t s = 0; s < NSIZES; s++) {
        walk_case *w = &walk_cases[s];
        w->n = sizes[s];
        snprintf(w->name, sizeof w->name, "walk/seq64/%" PRId64, w->n);
        gct_gb_register(w->name, bm_walk, w, 20000000 / w->n, g_reps);
    }

    static const char *const allocs[] = {"refcount", "gencycle", "marksweep"};
    k = 0;
    for (size_t i = 0; i < 3; i++) {
        alloc_case *a = &alloc_cases[k++];
        a->collector = allocs[i];
        snprintf(a->name, sizeof a->name, "alloc/%s/small", a->collector);
        gct_gb_register_unit(a->name, bm_alloc, a, 20, g_reps, "ms");
    }
    for (int bare = 0; bare < 2; bare++) {
        alloc_case *a = &alloc_cases[k++];
        a->collector = NULL;
        a->bare = bare;
        snprintf(a->name, sizeof a->name, "alloc/%s/small", bare ? "malloc_bare" : "malloc");
        gct_gb_register_unit(a->name, bm_alloc_malloc, a, 20, g_reps, "ms");
    }

    k = 0;
    for (int stores = 0; stores < 2; stores++)
        for (size_t i = 0; i < 3; i++) {
            rc_case *r = &rc_cases[k++];
            r->collector = allocs[i];
            r->stores = stores;
            snprintf(r->name, sizeof r->name, "rc/%s/%s", r->collector,
                     stores ? "store" : "incref_decref");
            gct_gb_register(r->name, bm_rc, r, 5, g_reps);
        }

    /* The settings that collect most often in the presets: gencycle's
     * gen0=100, marksweep's gen0=10000. */
    static const struct {
        const char *collector, *workload, *knob, *setting;
        int64_t ops;
    } rec[] = {
        {"gencycle", "trees", "gen0=100", NULL, 500},
        {"gencycle", "dlist", "gen0=100", NULL, 7000},
        {"gencycle", "cache", "gen0=100", NULL, 150000},
        {"gencycle", "requests", "gen0=100", NULL, 2500},
        {"gencycle", "longlived", "gen0=100", NULL, 5000},
        {"marksweep", "trees", "gen0=10000", NULL, 250},
        /* Cascades of 2047 objects, each a pause (cycles would leak). */
        {"refcount", "trees", NULL, "parent=none", 1500},
    };
    k = 0;
    for (size_t i = 0; i < sizeof rec / sizeof rec[0]; i++) {
        record_case *r = &record_cases[k++];
        r->collector = rec[i].collector;
        r->workload = rec[i].workload;
        r->knob = rec[i].knob;
        r->setting = rec[i].setting;
        r->ops = rec[i].ops;
        snprintf(r->name, sizeof r->name, "record/%s/%s/%s", r->collector, r->workload,
                 r->knob ? r->knob : r->setting);
        gct_gb_register(r->name, bm_record, r, 1, g_reps);
    }
    gct_gb_register_unit("record/one", bm_record_one, NULL, 1000, g_reps, "us");
}

int main(int argc, char **argv)
{
    /* Our own flag first: --reps=N (repetitions of every benchmark). */
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--reps=", 7)) {
            g_reps = atoi(argv[i] + 7);
            if (g_reps < 1 || g_reps > 1000) {
                fprintf(stderr, "gct-bench: --reps=%s: expected 1..1000\n", argv[i] + 7);
                return 2;
            }
        } else {
            argv[out++] = argv[i];
        }
    }
    argc = out;
    argv[argc] = NULL;
    register_all();
    gct_gb_add_context("gctune_bench", "collectors");
    int n = gct_gb_run_args(argc, argv);
    if (n < 0)
        return 2;
    return 0;
}
