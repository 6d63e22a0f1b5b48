/*
 * test-cpython.c — the cpython backend (the real CPython 3.11 collector,
 * embedded) and `gctune validate`'s comparison.
 *
 *  - sequences: the same programs on gencycle and on cpython give the same
 *    collections (allocation, generation, collected set, references
 *    traversed, collected), counts and statistics; random programs with weak
 *    references, atoms, explicit collections, freeze/unfreeze, knob changes
 *    and disabled stretches too.
 *  - work: the references the real collector's passes ask tp_traverse for
 *    are what gencycle counts, on a heap worked out by hand; the same seed
 *    gives the same work twice.
 *  - handworked: test-gencycle-counts.c's hand-worked sequence keep_3_2_2, which
 *    tests/oracle/gc_sequences.py confirmed on the real interpreter, holds on
 *    the embedded one.
 *  - twins: every container has a tracked Python twin of type gctune.object,
 *    real weak references to twins die with their object, dead twins leave
 *    the interpreter's lists, freeze/unfreeze move only gctune's objects,
 *    one heap per process, the interpreter starts clean each time.
 *  - validate: every workload matches end to end; the comparison reports a
 *    divergence where there is one.
 *
 * Without the backend (no python3-dev) only the last suite's "absent" test
 * runs.
 *
 * No test here sets Criterion's .timeout (meson's 900 s covers them): with
 * two such tests running at once, Criterion 2.4's runner leaks a 48-byte
 * block that LeakSanitizer reports in the ASan build, failing the program.
 */
#define _POSIX_C_SOURCE 200809L
#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif

#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector.h"
#include "heap.h"
#include "rng.h"
#include "validate.h"
#include "workload.h"

/* UBSan: make a report fatal (ignored in builds without UBSan). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

/* ---- the command ------------------------------------------------------------------------ */

typedef struct cmd_out {
    int status;
    char *out, *err;
} cmd_out;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot read %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[n] = 0;
    fclose(f);
    unlink(path);
    return buf;
}

/* Run the gctune binary (meson passes its path in GCTUNE). */
static cmd_out gctune(const char *const *args)
{
    const char *bin = getenv("GCTUNE");
    cr_assert(bin, "GCTUNE is not set (meson sets it)");
    char so[] = "/tmp/gct-cpy-out-XXXXXX", se[] = "/tmp/gct-cpy-err-XXXXXX";
    int fo = mkstemp(so), fe = mkstemp(se);
    cr_assert(fo >= 0 && fe >= 0);
    const char *argv[32] = {bin};
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    GCT_ASSERT_GEQ(pid, 0);
    if (pid == 0) {
        dup2(fo, 1);
        dup2(fe, 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fo);
    close(fe);
    int st;
    GCT_ASSERT_EQ(waitpid(pid, &st, 0), pid);
    cmd_out o = {WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), slurp(so), slurp(se)};
    return o;
}

static void cmd_free(cmd_out *o)
{
    free(o->out);
    free(o->err);
}

#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON

static const gct_shape node = GCT_SHAPE("node", 1, 0);
static const gct_shape pair = GCT_SHAPE("pair", 2, 8);
static const gct_shape wide = GCT_SHAPE("wide", 5, 24);
static const gct_shape atom = GCT_SHAPE("atom", 0, 16);
static const gct_shape big = GCT_SHAPE("big", 80, 8); /* the allocator's large path */

/* ---- a trace of collections --------------------------------------------------- */

typedef struct rec {
    int64_t alloc;
    int gen;
    int64_t collected, examined, traversed;
} rec;

typedef struct trace {
    gct_heap *h;
    rec *r;
    size_t n, cap;
    int protocol_errors;
    bool open;
} trace;

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    trace *t = ud;
    if (phase == GCT_EVENT_START) {
        if (t->open)
            t->protocol_errors++;
        t->open = true;
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 256;
            t->r = realloc(t->r, t->cap * sizeof *t->r);
            cr_assert(t->r);
        }
        t->r[t->n++] = (rec){t->h->total_allocs, info->generation, -1, -1, -1};
    } else {
        if (!t->open || info->generation != t->r[t->n - 1].gen)
            t->protocol_errors++;
        t->open = false;
        t->r[t->n - 1].collected = info->collected + info->uncollectable;
    }
}

static gct_heap *heap3(const char *collector, int64_t t0, int64_t t1, int64_t t2, trace *t)
{
    gct_heap *h = gct_test_heap_thresholds(collector, t0, t1, t2);
    gct_heap_set_verify_each(h, true);
    if (t) {
        memset(t, 0, sizeof *t);
        t->h = h;
        gct_heap_set_event_fn(h, on_event, t);
    }
    return h;
}

/* The examined and traversed counts come from the pause log, in collection
 * order. */
static void fill_examined(trace *t)
{
    size_t k = 0;
    for (size_t i = 0; i < gct_heap_npauses(t->h) && k < t->n; i++) {
        const gct_pause *p = &gct_heap_pauses(t->h)[i];
        if (p->kind <= GCT_PAUSE_GEN2) {
            t->r[k].examined = p->examined;
            t->r[k++].traversed = p->traversed;
        }
    }
    GCT_ASSERT_EQ(k, t->n, "%zu collection pauses for %zu collections", k, t->n);
}

/* What a program leaves behind, to compare between collectors. */
typedef struct outcome {
    trace t;
    int64_t count[3];
    gct_gen_stats stats[3];
    int64_t live, frozen;
    uint64_t observed; /* what weak references read, mixed */
} outcome;

static void assert_same(const outcome *m, const outcome *r, const char *what)
{
    GCT_ASSERT_EQ(m->t.protocol_errors, 0, "%s: gencycle START/STOP errors", what);
    GCT_ASSERT_EQ(r->t.protocol_errors, 0, "%s: cpython START/STOP errors", what);
    size_t n = m->t.n < r->t.n ? m->t.n : r->t.n;
    for (size_t i = 0; i < n; i++) {
        const rec *a = &m->t.r[i], *b = &r->t.r[i];
        cr_assert(a->alloc == b->alloc && a->gen == b->gen && a->collected == b->collected &&
                      a->examined == b->examined && a->traversed == b->traversed,
                  "%s: collection #%zu: gencycle gen%d at allocation %" PRId64 " set %" PRId64
                  " traversed %" PRId64 " collected %" PRId64 "; cpython gen%d at allocation %"
                  PRId64 " set %" PRId64 " traversed %" PRId64 " collected %" PRId64,
                  what, i + 1, a->gen, a->alloc, a->examined, a->traversed, a->collected, b->gen,
                  b->alloc, b->examined, b->traversed, b->collected);
    }
    GCT_ASSERT_EQ(m->t.n, r->t.n, "%s: %zu collections on gencycle, %zu on cpython", what, m->t.n,
                  r->t.n);
    for (int g = 0; g < 3; g++) {
        GCT_ASSERT_EQ(m->count[g], r->count[g], "%s: count[%d] %" PRId64 " vs %" PRId64, what, g,
                      m->count[g], r->count[g]);
        const gct_gen_stats *x = &m->stats[g], *y = &r->stats[g];
        cr_assert(x->collections == y->collections && x->collected == y->collected &&
                      x->examined == y->examined && x->traversed == y->traversed,
                  "%s: generation %d stats (collections/collected/examined/traversed) %" PRId64
                  "/%" PRId64 "/%" PRId64 "/%" PRId64 " vs %" PRId64 "/%" PRId64 "/%" PRId64
                  "/%" PRId64,
                  what, g, x->collections, x->collected, x->examined, x->traversed,
                  y->collections, y->collected, y->examined, y->traversed);
    }
    GCT_ASSERT_EQ(m->live, r->live, "%s: %" PRId64 " objects live on gencycle, %" PRId64, what,
                  m->live, r->live);
    GCT_ASSERT_EQ(m->frozen, r->frozen, "%s: frozen %" PRId64 " vs %" PRId64, what, m->frozen,
                  r->frozen);
    GCT_ASSERT_EQ(m->observed, r->observed, "%s: weak references read differently", what);
}

static void finish(gct_heap *h, outcome *o)
{
    gct_test_verify(h);
    fill_examined(&o->t);
    memcpy(o->count, h->count, sizeof o->count);
    memcpy(o->stats, h->stats, sizeof o->stats);
    o->live = h->live_objects;
    o->frozen = gct_heap_freeze_count(h);
}

static void outcome_free(outcome *o) { free(o->t.r); }

/* ---- programs ---------------------------------------------------------------------- */

typedef void (*program)(gct_heap *h, uint64_t arg, outcome *o);

/* K containers, each kept alive on the root stack. */
static void p_keep(gct_heap *h, uint64_t k, outcome *o)
{
    (void)o;
    for (uint64_t i = 0; i < k; i++)
        gct_new(h, &node);
}

/* K two-object cycles created and dropped. */
static void p_cycles(gct_heap *h, uint64_t k, outcome *o)
{
    (void)o;
    for (uint64_t i = 0; i < k; i++) {
        gct_obj *a = gct_new(h, &node);
        gct_obj *b = gct_new(h, &node);
        gct_store(h, a, 0, b);
        gct_store(h, b, 0, a);
        gct_root_pop(h);
        gct_root_pop(h);
    }
}

/* A random program: containers of several shapes (one large), atoms, weak
 * references, stores that make and break cycles, root pops, and now and
 * then an explicit collection, a freeze or unfreeze, a gen0 change or a
 * disabled stretch.  `seed` picks the program. */
static void p_random(gct_heap *h, uint64_t seed, outcome *o)
{
    static const gct_shape *const shapes[] = {&node, &pair, &wide, &pair, &node, &big};
    gct_rng rng;
    gct_rng_seed(&rng, seed);
    size_t base = gct_root_depth(h);
    for (int step = 0; step < 6000; step++) {
        uint64_t x = gct_rng_below(&rng, 1000);
        size_t depth = gct_root_depth(h) - base;
        if (x < 380 || depth < 2) {
            const gct_shape *s = shapes[gct_rng_below(&rng, 6)];
            if (s == &big && gct_rng_below(&rng, 8))
                s = &pair;
            gct_new(h, s);
        } else if (x < 450) {
            gct_new(h, &atom);
        } else if (x < 500) {
            gct_weakref_new(h, gct_root_get(h, base + gct_rng_below(&rng, depth)));
        } else if (x < 780) {
            gct_obj *from = gct_root_get(h, base + gct_rng_below(&rng, depth));
            gct_obj *to = gct_rng_below(&rng, 10) ? gct_root_get(h, base + gct_rng_below(&rng, depth))
                                                 : NULL;
            if (from->shape->nslots)
                gct_store(h, from, (uint32_t)gct_rng_below(&rng, from->shape->nslots), to);
        } else if (x < 960) {
            /* Drop a random root: the top takes its place. */
            size_t i = base + gct_rng_below(&rng, depth);
            gct_root_set(h, i, gct_root_top(h));
            gct_root_pop(h);
        } else if (x < 970) {
            gct_heap_collect(h, (int)gct_rng_below(&rng, 3));
        } else if (x < 973) {
            gct_heap_freeze(h);
        } else if (x < 976) {
            gct_heap_unfreeze(h);
        } else if (x < 980) {
            static const int64_t g0[] = {3, 10, 50, 0};
            gct_heap_set_knob(h, "gen0", g0[gct_rng_below(&rng, 4)], NULL, 0);
        } else if (x < 985) {
            gct_heap_set_enabled(h, !h->enabled);
        } else {
            /* Read every weak reference on the roots: what the program
             * observes must not depend on the collector. */
            for (size_t i = base; i < gct_root_depth(h); i++) {
                gct_obj *r = gct_root_get(h, i);
                if (r->shape->flags & GCT_SHAPE_WEAKREF)
                    o->observed = gct_mix64(o->observed ^ (gct_weakref_get(r) ? i : ~i));
            }
        }
    }
    gct_heap_set_enabled(h, true);
    gct_heap_unfreeze(h);
}

static void run(const char *collector, int64_t t0, int64_t t1, int64_t t2, program p,
                uint64_t arg, bool teardown, outcome *o)
{
    memset(o, 0, sizeof *o);
    gct_heap *h = heap3(collector, t0, t1, t2, &o->t);
    p(h, arg, o);
    if (teardown) {
        gct_heap_collect(h, 2);
        gct_root_truncate(h, 0);
        gct_heap_collect(h, 2);
    }
    finish(h, o);
    gct_heap_destroy(h);
}

/* Returns the collections (on each) and what weak references read. */
static size_t same_on_both(int64_t t0, int64_t t1, int64_t t2, program p, uint64_t arg,
                           bool teardown, const char *what, uint64_t *observed)
{
    outcome m, r;
    run("gencycle", t0, t1, t2, p, arg, teardown, &m);
    run("cpython", t0, t1, t2, p, arg, teardown, &r);
    char w[160];
    snprintf(w, sizeof w, "%s at %" PRId64 "/%" PRId64 "/%" PRId64, what, t0, t1, t2);
    assert_same(&m, &r, w);
    size_t n = r.t.n;
    if (observed)
        *observed ^= r.observed;
    outcome_free(&m);
    outcome_free(&r);
    return n;
}

static const int64_t grid[][3] = {
    {700, 10, 10}, {100, 2, 2}, {10, 10, 10}, {3, 2, 2}, {1, 1, 1}, {2000, 10, 10}, {0, 10, 10},
};
#define NGRID (sizeof grid / sizeof grid[0])

Test(sequences, keep_k_alive_on_a_grid)
{
    size_t n = 0;
    for (size_t g = 0; g < NGRID; g++)
        for (uint64_t k = 1; k <= 3000; k *= 7)
            n += same_on_both(grid[g][0], grid[g][1], grid[g][2], p_keep, k, true, "keep", NULL);
    GCT_ASSERT_GT(n, 1000, "only %zu collections in all", n);
}

Test(sequences, k_cycles_created_and_dropped_on_a_grid)
{
    size_t n = 0;
    for (size_t g = 0; g < NGRID; g++)
        for (uint64_t k = 1; k <= 3000; k *= 7)
            n += same_on_both(grid[g][0], grid[g][1], grid[g][2], p_cycles, k, true, "cycles",
                              NULL);
    GCT_ASSERT_GT(n, 1000, "only %zu collections in all", n);
}

Test(sequences, random_programs)
{
    size_t n = 0;
    uint64_t observed = 0;
    for (uint64_t seed = 1; seed <= 12; seed++)
        for (size_t g = 0; g < NGRID; g++)
            n += same_on_both(grid[g][0], grid[g][1], grid[g][2], p_random, seed, seed & 1,
                              "random", &observed);
    GCT_ASSERT_GT(n, 1000, "only %zu collections in all", n);
    GCT_ASSERT_NEQ(observed, 0, "no weak reference was ever read");
}

/* ---- work ---------------------------------------------------------------------------- */

/* test-gencycle-work.c's cycle_and_chain (a garbage 3-cycle of one-slot objects,
 * a rooted chain of three two-slot ones, the first also holding an atom),
 * then collect(0) and collect(1). */
static void p_cycle_and_chain(gct_heap *h, uint64_t arg, outcome *o)
{
    (void)arg;
    (void)o;
    size_t base = gct_root_depth(h);
    gct_obj *a = gct_new(h, &node), *b = gct_new(h, &node), *c = gct_new(h, &node);
    gct_store(h, a, 0, b);
    gct_store(h, b, 0, c);
    gct_store(h, c, 0, a);
    gct_root_truncate(h, base);
    gct_obj *d = gct_new(h, &pair), *e = gct_new(h, &pair), *f = gct_new(h, &pair);
    gct_obj *x = gct_new(h, &atom);
    gct_store(h, d, 0, e);
    gct_store(h, d, 1, x);
    gct_store(h, e, 0, f);
    gct_root_truncate(h, base + 1);
    gct_heap_collect(h, 0);
    gct_heap_collect(h, 1);
}

/* The numbers test-gencycle-work.c works out for gencycle, counted here in the
 * twin's tp_traverse while CPython's gc_collect_main runs: collect(0)
 * examines 6 and traverses 12 (6 in subtract_refs, 3 for the reachable
 * chain in move_unreachable, 3 for the garbage cycle in
 * handle_resurrected_objects), collect(1) examines the chain, 3, and
 * traverses 6. */
Test(work, a_cycle_and_a_chain_by_hand_on_the_real_collector)
{
    outcome r;
    run("cpython", 700, 10, 10, p_cycle_and_chain, 0, false, &r);
    GCT_ASSERT_EQ(r.t.n, 2);
    cr_assert(r.t.r[0].gen == 0 && r.t.r[0].examined == 6 && r.t.r[0].traversed == 12 &&
                  r.t.r[0].collected == 3,
              "collect(0): gen%d, examined %" PRId64 ", traversed %" PRId64 ", collected %" PRId64
              "; by hand gen0, 6, 12, 3",
              r.t.r[0].gen, r.t.r[0].examined, r.t.r[0].traversed, r.t.r[0].collected);
    cr_assert(r.t.r[1].gen == 1 && r.t.r[1].examined == 3 && r.t.r[1].traversed == 6 &&
                  r.t.r[1].collected == 0,
              "collect(1): gen%d, examined %" PRId64 ", traversed %" PRId64 ", collected %" PRId64
              "; by hand gen1, 3, 6, 0",
              r.t.r[1].gen, r.t.r[1].examined, r.t.r[1].traversed, r.t.r[1].collected);
    cr_assert(r.stats[0].examined == 6 && r.stats[0].traversed == 12 &&
                  r.stats[1].examined == 3 && r.stats[1].traversed == 6,
              "per-generation totals differ from the pauses");
    outcome_free(&r);
    same_on_both(700, 10, 10, p_cycle_and_chain, 0, false, "cycle and chain", NULL);
}

/* Work is deterministic on the real collector too: one workload, one seed,
 * twice. */
Test(work, the_same_seed_gives_the_same_work_twice)
{
    gct_vworkload rows[32];
    char err[256];
    cr_assert(gct_validate_default_workloads(rows, 32, err, sizeof err), "%s", err);
    gct_vthresholds th;
    cr_assert(gct_validate_parse_thresholds("100/2/2", &th));
    rows[0].ops = 300;
    gct_vtrace a, b;
    gct_validate_trace("cpython", &rows[0], &th, 5, &a);
    gct_validate_trace("cpython", &rows[0], &th, 5, &b);
    cr_assert(a.ok && b.ok, "%s / %s", a.err, b.err);
    GCT_ASSERT_EQ(a.ncolls, b.ncolls);
    GCT_ASSERT_GT(a.ncolls, 10, "only %zu collections", a.ncolls);
    int64_t traversed = 0;
    for (size_t i = 0; i < a.ncolls; i++) {
        cr_assert(a.colls[i].examined == b.colls[i].examined &&
                      a.colls[i].traversed == b.colls[i].traversed,
                  "collection #%zu: %" PRId64 "/%" PRId64 " then %" PRId64 "/%" PRId64, i + 1,
                  a.colls[i].examined, a.colls[i].traversed, b.colls[i].examined,
                  b.colls[i].traversed);
        traversed += a.colls[i].traversed;
    }
    GCT_ASSERT_GT(traversed, 0);
    GCT_ASSERT_EQ(memcmp(a.stats, b.stats, sizeof a.stats), 0, "per-generation stats differ");
    gct_vtrace_free(&a);
    gct_vtrace_free(&b);
}

/* ---- the hand-worked sequence ------------------------------------------------------ */

/* test-gencycle-counts.c's keep_3_2_2 (gc_sequences.py ran it on CPython 3.11):
 * gen0=3 gen1=2 gen2=2, 122 containers kept, a collection every fourth
 * allocation; generation 1 at 16, 32, 48, 68, 84, 100, 120; generation 2 at
 * 52 and 104; count (2, 0, 1) and stats 21/7/2 collections, nothing collected. */
Test(handworked, keep_3_2_2_on_the_real_collector)
{
    trace t;
    gct_heap *h = heap3("cpython", 3, 2, 2, &t);
    for (int i = 0; i < 122; i++)
        gct_new(h, &node);
    gct_test_verify(h);
    size_t k = 0;
    for (int64_t a = 4; a <= 120; a += 4, k++) {
        int gen = 0;
        if (a == 52 || a == 104)
            gen = 2;
        else if (a == 16 || a == 32 || a == 48 || a == 68 || a == 84 || a == 100 || a == 120)
            gen = 1;
        cr_assert(k < t.n, "only %zu collections", t.n);
        /* the a-th allocation triggers: a - 1 allocations were made before */
        cr_assert(t.r[k].alloc == a - 1 && t.r[k].gen == gen && t.r[k].collected == 0,
                  "collection #%zu: gen%d at allocation %" PRId64 ", expected gen%d at %" PRId64,
                  k + 1, t.r[k].gen, t.r[k].alloc + 1, gen, a);
    }
    GCT_ASSERT_EQ(t.n, k);
    cr_assert(h->count[0] == 2 && h->count[1] == 0 && h->count[2] == 1,
              "count (%" PRId64 ", %" PRId64 ", %" PRId64 ")", h->count[0], h->count[1],
              h->count[2]);
    cr_assert(h->stats[0].collections == 21 && h->stats[1].collections == 7 &&
              h->stats[2].collections == 2);
    gct_heap_destroy(h);
    free(t.r);
}

/* ---- twins ------------------------------------------------------------------------------ */

/* Live gctune.object instances the interpreter tracks in generation g
 * (g == -1: all generations). */
static Py_ssize_t twins_in(int g)
{
    PyGILState_STATE s = PyGILState_Ensure();
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *objs = g < 0 ? PyObject_CallMethod(gc, "get_objects", NULL)
                           : PyObject_CallMethod(gc, "get_objects", "i", g);
    cr_assert(objs, "gc.get_objects failed");
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(objs); i++)
        n += !strcmp(Py_TYPE(PyList_GET_ITEM(objs, i))->tp_name, "gctune.object");
    Py_DECREF(objs);
    Py_DECREF(gc);
    PyGILState_Release(s);
    return n;
}

static long py_long(const char *expr)
{
    PyGILState_STATE s = PyGILState_Ensure();
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *r = PyObject_CallMethod(gc, expr, NULL);
    cr_assert(r, "gc.%s() failed", expr);
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    Py_DECREF(gc);
    PyGILState_Release(s);
    return v;
}

/*
 * The backend's verifier fails if anything but gctune's twins took part in a
 * collection.  The first calls into the gc module leave objects behind (the
 * argument parser caches a tuple of keyword names), so the tests that call
 * it make those calls once on a throwaway heap: the next heap's clean state
 * freezes what they left.
 */
static void warm_up(void)
{
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    (void)twins_in(0);
    (void)twins_in(-1);
    (void)py_long("get_freeze_count");
    gct_heap_destroy(h);
}

Test(twins, every_container_has_a_tracked_twin_and_atoms_none)
{
    warm_up();
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    GCT_ASSERT_EQ(twins_in(-1), 0, "the interpreter starts with gctune objects tracked");
    for (int i = 0; i < 50; i++) {
        gct_new(h, &pair);
        gct_new(h, &atom);
    }
    gct_weakref_new(h, gct_root_get(h, 0));
    /* Twins are made when a collection may look: collect(0) moves all 51
     * containers to generation 1. */
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
    gct_test_verify(h);
    GCT_ASSERT_EQ(twins_in(0), 0);
    GCT_ASSERT_EQ(twins_in(1), 51);
    GCT_ASSERT_EQ(twins_in(-1), 51);
    gct_heap_destroy(h);
}

Test(twins, one_heap_at_a_time_and_a_clean_start_each_time)
{
    warm_up();
    gct_heap *h = heap3("cpython", 5, 10, 10, NULL);
    char err[256];
    cr_assert_null(gct_heap_new("cpython", NULL, 0, err, sizeof err),
                   "a second cpython heap was created while the first lives");
    cr_assert(strstr(err, "cpython"), "%s", err);
    for (int i = 0; i < 100; i++)
        gct_new(h, &node);
    GCT_ASSERT_GT(h->stats[0].collections, 0);
    gct_heap_destroy(h);
    /* The next heap starts from the clean state again. */
    trace t;
    h = heap3("cpython", 700, 10, 10, &t);
    cr_assert(h->count[0] == 0 && h->count[1] == 0 && h->count[2] == 0);
    for (int g = 0; g < 3; g++)
        cr_assert(h->stats[g].collections == 0 && h->stats[g].collected == 0);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    GCT_ASSERT_EQ(twins_in(-1), 0, "twins of the destroyed heap are still tracked");
    GCT_ASSERT_EQ(gct_heap_collect(h, 2), 0);
    GCT_ASSERT_EQ(t.n, 1);
    gct_heap_destroy(h);
    free(t.r);
}

Test(twins, a_real_weak_reference_to_a_twin_dies_with_its_cycle)
{
    warm_up();
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    gct_obj *a = gct_new(h, &node);
    gct_obj *b = gct_new(h, &node);
    gct_store(h, a, 0, b);
    gct_store(h, b, 0, a);
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0); /* both twins now in generation 1 */
    PyGILState_STATE s = PyGILState_Ensure();
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *objs = PyObject_CallMethod(gc, "get_objects", "i", 1);
    cr_assert(objs && PyList_GET_SIZE(objs) == 2);
    PyObject *wr = PyWeakref_NewRef(PyList_GET_ITEM(objs, 0), NULL);
    cr_assert(wr, "a gctune twin is not weakly referenceable");
    /* The weak reference object is the test's, not the workload's: keep it
     * out of the generations the heap compares with its model. */
    PyObject_GC_UnTrack(wr);
    Py_DECREF(objs);
    cr_assert(PyWeakref_GetObject(wr) != Py_None);
    PyGILState_Release(s);

    gct_root_pop(h);
    gct_root_pop(h);
    gct_test_verify(h);
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 2, "the dropped cycle was not collected");
    gct_test_verify(h);
    s = PyGILState_Ensure();
    cr_assert(PyWeakref_GetObject(wr) == Py_None, "the weak reference outlived its object");
    Py_DECREF(wr);
    Py_DECREF(gc);
    PyGILState_Release(s);
    GCT_ASSERT_EQ(h->live_objects, 0);
    gct_heap_destroy(h);
}

Test(twins, refcount_frees_leave_the_lists_before_the_collector_looks)
{
    warm_up();
    trace t;
    gct_heap *h = heap3("cpython", 700, 10, 10, &t);
    for (int i = 0; i < 40; i++)
        gct_new(h, &pair);
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
    GCT_ASSERT_EQ(twins_in(1), 40);
    /* Reference counting frees 30 of them; their twins are dead but still
     * listed until generation 1 is collected. */
    for (int i = 0; i < 30; i++)
        gct_root_pop(h);
    gct_test_verify(h);
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 0);
    gct_test_verify(h);
    fill_examined(&t);
    GCT_ASSERT_EQ(t.r[1].examined, 10, "the collector looked at %" PRId64 " objects, 10 live",
                  t.r[1].examined);
    GCT_ASSERT_EQ(twins_in(-1), 10);
    gct_heap_destroy(h);
    free(t.r);
}

Test(twins, freeze_and_unfreeze_move_only_gctune_objects)
{
    warm_up();
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    long interp = py_long("get_freeze_count");
    GCT_ASSERT_GT(interp, 100, "the interpreter's own objects are not frozen (%ld)", interp);
    for (int i = 0; i < 25; i++)
        gct_new(h, &node);
    GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 25);
    GCT_ASSERT_EQ(py_long("get_freeze_count"), interp + 25);
    cr_assert(h->count[0] == 0 && h->count[1] == 0 && h->count[2] == 0);
    gct_root_truncate(h, 20); /* five frozen objects die by reference counting */
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 20);
    GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_OK);
    gct_test_verify(h);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    GCT_ASSERT_EQ(py_long("get_freeze_count"), interp, "unfreeze thawed the interpreter's objects");
    GCT_ASSERT_EQ(twins_in(2), 20);
    gct_heap_destroy(h);
}

Test(twins, a_long_garbage_ring_is_freed_without_deep_recursion)
{
    const char *env = getenv("GCT_CHAIN_LEN");
    int64_t n = env ? atoll(env) : 1000000;
    gct_heap *h = heap3("cpython", 0, 10, 10, NULL);
    gct_heap_set_verify_each(h, false);
    gct_obj *first = gct_new(h, &node);
    (void)first;
    for (int64_t i = 1; i < n; i++) {
        gct_new(h, &node);
        gct_store(h, gct_root_get(h, 1), 0, gct_root_get(h, 0));
        gct_root_set(h, 0, gct_root_get(h, 1));
        gct_root_pop(h);
    }
    /* roots[0] is the last node; close the ring back to the first, which
     * only the chain holds now: walk to it without allocating. */
    gct_obj *x = gct_root_get(h, 0);
    while (gct_load(x, 0))
        x = gct_load(x, 0);
    gct_store(h, x, 0, gct_root_get(h, 0));
    gct_root_pop(h);
    GCT_ASSERT_EQ(h->live_objects, n);
    GCT_ASSERT_EQ(gct_heap_collect(h, 2), n);
    GCT_ASSERT_EQ(h->live_objects, 0);
    gct_test_heap_done(h);
}

Test(twins, disabled_collection_counts_on_and_explicit_collection_works)
{
    outcome m, r;
    for (int b = 0; b < 2; b++) {
        outcome *o = b ? &r : &m;
        memset(o, 0, sizeof *o);
        gct_heap *h = heap3(b ? "cpython" : "gencycle", 10, 10, 10, &o->t);
        gct_heap_set_enabled(h, false);
        p_cycles(h, 100, o);
        GCT_ASSERT_EQ(o->t.n, 0, "a collection ran while disabled");
        GCT_ASSERT_EQ(h->count[0], 200);
        GCT_ASSERT_EQ(gct_heap_collect(h, 0), 200);
        gct_heap_set_enabled(h, true);
        p_cycles(h, 30, o);
        finish(h, o);
        gct_heap_destroy(h);
    }
    assert_same(&m, &r, "disabled then enabled");
    outcome_free(&m);
    outcome_free(&r);
}

/* ---- validate --------------------------------------------------------------------------- */

Test(validate, every_workload_matches_end_to_end)
{
    gct_vworkload rows[32];
    char err[256];
    size_t n = gct_validate_default_workloads(rows, 32, err, sizeof err);
    cr_assert(n >= 5, "%s", err);
    gct_vthresholds th[2];
    cr_assert(gct_validate_parse_thresholds("100/2/2", &th[0]));
    cr_assert(gct_validate_parse_thresholds("10/10/10", &th[1]));
    for (size_t i = 0; i < n; i++) {
        rows[i].ops = rows[i].wl == &gct_workload_dlist || rows[i].wl == &gct_workload_cache ? 2000
                                                                                           : 100;
        for (int j = 0; j < 2; j++) {
            gct_vcase c = {.w = &rows[i], .th = &th[j]};
            gct_validate_case(&c, 7);
            GCT_ASSERT_EQ(c.status, GCT_V_MATCH, "%s @ %s: %s: %s", rows[i].label, th[j].label,
                          gct_vstatus_name(c.status), c.detail);
            GCT_ASSERT_GT(c.real.ncolls, 2, "%s @ %s: no automatic collection", rows[i].label,
                          th[j].label);
            gct_vtrace_free(&c.model);
            gct_vtrace_free(&c.real);
        }
    }
}

Test(validate, a_divergence_is_reported_where_it_happens)
{
    gct_vworkload rows[32];
    char err[256];
    cr_assert(gct_validate_default_workloads(rows, 32, err, sizeof err), "%s", err);
    rows[0].ops = 50;
    gct_vthresholds a, b;
    cr_assert(gct_validate_parse_thresholds("700/10/10", &a));
    cr_assert(gct_validate_parse_thresholds("701/10/10", &b));
    gct_vcase c = {.w = &rows[0], .th = &a};
    gct_validate_trace("gencycle", &rows[0], &a, 1, &c.model);
    gct_validate_trace("cpython", &rows[0], &b, 1, &c.real);
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH, "%s", c.summary);
    cr_assert(strstr(c.detail, "collection #1:"), "%s", c.detail);
    cr_assert(strstr(c.summary, "alloc +1"), "%s", c.summary);

    /* Same trace, one collected count off: named with its difference. */
    gct_vtrace_free(&c.real);
    gct_validate_trace("cpython", &rows[0], &a, 1, &c.real);
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MATCH, "%s", c.detail);
    c.real.colls[3].collected -= 2;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    cr_assert(strstr(c.summary, "#4") && strstr(c.summary, "coll -2"), "%s", c.summary);
    c.real.colls[3].collected += 2;

    /* The same collection, the same set, different traversal work. */
    c.real.colls[2].traversed += 5;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    cr_assert(strstr(c.summary, "#3") && strstr(c.summary, "traversed +5"), "%s", c.summary);
    cr_assert(strstr(c.detail, "traversed"), "%s", c.detail);
    c.real.colls[2].traversed -= 5;

    /* Per-generation totals are compared too. */
    c.real.stats[0].traversed++;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    GCT_ASSERT_STR_EQ(c.summary, "gen0 stats");
    c.real.stats[0].traversed--;

    /* A missing collection at the end. */
    c.real.ncolls--;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    cr_assert(strstr(c.summary, "-1 collections"), "%s", c.summary);
    c.real.ncolls++;

    /* The checksum: what the workload observed. */
    c.real.checksum ^= 1;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    GCT_ASSERT_STR_EQ(c.summary, "checksum");
    c.real.checksum ^= 1;

    /* A failed run is a failure, whatever the rest says. */
    c.real.ok = false;
    snprintf(c.real.err, sizeof c.real.err, "self-check: broken");
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_FAILED);
    cr_assert(strstr(c.detail, "broken"), "%s", c.detail);
    gct_vtrace_free(&c.model);
    gct_vtrace_free(&c.real);
}

Test(validate, an_explained_difference_keeps_its_reason)
{
    gct_vworkload rows[32];
    char err[256];
    cr_assert(gct_validate_default_workloads(rows, 32, err, sizeof err), "%s", err);
    rows[0].ops = 20;
    gct_vthresholds a;
    cr_assert(gct_validate_parse_thresholds("700/10/10", &a));
    gct_vcase c = {.w = &rows[0], .th = &a};
    gct_validate_trace("gencycle", &rows[0], &a, 1, &c.model);
    gct_validate_trace("cpython", &rows[0], &a, 1, &c.real);
    /* As if count[0] had passed INT_MAX: the interpreter's is a C int. */
    c.model.max_count0 = c.real.max_count0 = INT64_C(3000000000);
    c.real.count[0] += 1;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_EXPLAINED, "%s", gct_vstatus_name(c.status));
    cr_assert(strstr(c.reason, "INT_MAX"), "%s", c.reason);
    cr_assert(c.detail[0], "an explained difference lost its divergence");
    gct_vtrace_free(&c.model);
    gct_vtrace_free(&c.real);
}

Test(validate, the_command_prints_tables_or_json_and_exits_by_outcome)
{
    cmd_out o = gctune((const char *const[]){"validate", "-w", "cache", "--thresholds",
                                              "700/10/10,3/2/2", "--ops", "300", "--json", "-q",
                                              NULL});
    GCT_ASSERT_EQ(o.status, 0, "validate exited %d: %s", o.status, o.err);
    json_error_t je;
    json_t *j = json_loads(o.out, 0, &je);
    cr_assert(j, "not JSON: %s", je.text);
    json_t *cases = json_object_get(j, "cases");
    GCT_ASSERT_EQ(json_array_size(cases), 4, "cache and cache values=weak x 2 thresholds");
    GCT_ASSERT_EQ(json_integer_value(json_object_get(json_object_get(j, "summary"), "match")), 4);
    cr_assert(json_string_length(json_object_get(j, "cpython_version")) > 0);
    for (size_t i = 0; i < 4; i++) {
        json_t *c = json_array_get(cases, i);
        GCT_ASSERT_STR_EQ(json_string_value(json_object_get(c, "status")), "match");
        json_t *real = json_object_get(c, "cpython"), *model = json_object_get(c, "gencycle");
        cr_assert(json_is_real(json_object_get(real, "pause_max_us")));
        cr_assert(json_real_value(json_object_get(model, "full_collection_us")) > 0);
        cr_assert(json_equal(json_object_get(real, "collections"),
                             json_object_get(model, "collections")));
        GCT_ASSERT_GT(json_integer_value(json_object_get(real, "sequence_length")), 1);
    }
    json_decref(j);
    cmd_free(&o);

    o = gctune((const char *const[]){"validate", "-w", "trees", "--thresholds", "100/2/2",
                                     "--ops", "20", "-q", NULL});
    GCT_ASSERT_EQ(o.status, 0, "validate exited %d: %s", o.status, o.err);
    cr_assert(strstr(o.out, "pauses in us"), "%s", o.out);
    cr_assert(strstr(o.out, "2 cases: 2 match, 0 explained, 0 mismatch, 0 failed"), "%s", o.out);
    cmd_free(&o);

    o = gctune((const char *const[]){"validate", "--thresholds", "700/10", NULL});
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.err, "'700/10'"), "%s", o.err);
    cmd_free(&o);
    o = gctune((const char *const[]){"validate", "-w", "nope", NULL});
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.err, "unknown workload 'nope'"), "%s", o.err);
    cmd_free(&o);
}

#else /* no cpython backend */

Test(validate, absent_backend_is_not_registered_and_validate_says_why)
{
    cr_assert_null(gct_collector_find("cpython"));
    cmd_out o = gctune((const char *const[]){"validate", "-q", NULL});
    GCT_ASSERT_EQ(o.status, 1);
    cr_assert(strstr(o.err, "python3-dev"), "%s", o.err);
    cmd_free(&o);
}

#endif
