/*
 * common/cpython_common.h — what the test-cpython-*.c programs share
 * (common/cpython_common.c, linked into each of them): running the gctune
 * command, and, where the cpython backend is built, heaps of either collector
 * with a trace of their collections, the outcome of a program on one and the
 * check that two outcomes are the same, and the programs themselves.
 */
#ifndef GCT_TESTS_COMMON_CPYTHON_H
#define GCT_TESTS_COMMON_CPYTHON_H

#include <criterion/criterion.h>
#include "gct_test.h"
#include <stdbool.h>
#include <stdint.h>

#include "collector.h"
#include "heap.h"

/* ---- the command ------------------------------------------------------------------------ */

typedef struct cmd_out {
    int status;
    char *out, *err;
} cmd_out;

/* Run the gctune binary (meson passes its path in GCTUNE). */
cmd_out gctune(const char *const *args);

void cmd_free(cmd_out *o);

#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON

extern const gct_shape node;
extern const gct_shape pair;
extern const gct_shape wide;
extern const gct_shape atom;
extern const gct_shape big; /* the allocator's large path */

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

gct_heap *heap3(const char *collector, int64_t t0, int64_t t1, int64_t t2, trace *t);

/* The examined and traversed counts come from the pause log, in collection
 * order. */
void fill_examined(trace *t);

/* What a program leaves behind, to compare between collectors. */
typedef struct outcome {
    trace t;
    int64_t count[3];
    gct_gen_stats stats[3];
    int64_t live, frozen;
    uint64_t observed; /* what weak references read, mixed */
} outcome;

void assert_same(const outcome *m, const outcome *r, const char *what);

void finish(gct_heap *h, outcome *o);

void outcome_free(outcome *o);

/* ---- programs ---------------------------------------------------------------------- */

typedef void (*program)(gct_heap *h, uint64_t arg, outcome *o);

/* K containers, each kept alive on the root stack. */
void p_keep(gct_heap *h, uint64_t k, outcome *o);

/* K two-object cycles created and dropped. */
void p_cycles(gct_heap *h, uint64_t k, outcome *o);

/* A random program: containers of several shapes (one large), atoms, weak
 * references, stores that make and break cycles, root pops, and now and
 * then an explicit collection, a freeze or unfreeze, a gen0 change or a
 * disabled stretch.  `seed` picks the program. */
void p_random(gct_heap *h, uint64_t seed, outcome *o);

void run(const char *collector, int64_t t0, int64_t t1, int64_t t2, program p, uint64_t arg,
         bool teardown, outcome *o);

/* Returns the collections (on each) and what weak references read. */
size_t same_on_both(int64_t t0, int64_t t1, int64_t t2, program p, uint64_t arg, bool teardown,
                    const char *what, uint64_t *observed);

#endif

#endif
