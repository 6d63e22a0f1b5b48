/*
 * common/gencycle_common.h — what the test-gencycle-*.c programs share
 * (common/gencycle_common.c, linked into each of them): gencycle heaps that
 * verify after every collection, counter and statistics assertions, and the
 * event recorder (CPython's gc.callbacks) with the sequence it must have
 * seen.
 */
#ifndef GCT_TESTS_COMMON_GENCYCLE_H
#define GCT_TESTS_COMMON_GENCYCLE_H

#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <stdbool.h>

#include "collector.h"
#include "heap.h"

extern const gct_shape node; /* like a 1-slot __slots__ class */
extern const gct_shape pair;
extern const gct_shape atom; /* like an int: never tracked */

/* ---- helpers --------------------------------------------------------------- */

/* A gencycle heap with the given knobs, verifying after every collection. */
gct_heap *gencycle(const char *const *knobs, size_t n);

gct_heap *gencycle3(int64_t t0, int64_t t1, int64_t t2);

#define assert_count(h, c0, c1, c2)                                                                \
    do {                                                                                           \
        cr_assert(gct_heap_counts(h)[0] == (c0) && gct_heap_counts(h)[1] == (c1) && gct_heap_counts(h)[2] == (c2),               \
                  "count is (%" PRId64 ", %" PRId64 ", %" PRId64 "), expected (%d, %d, %d)",       \
                  gct_heap_counts(h)[0], gct_heap_counts(h)[1], gct_heap_counts(h)[2], (int)(c0), (int)(c1), (int)(c2));         \
    } while (0)

#define assert_stats(h, g, ncoll, ncollected)                                                      \
    do {                                                                                           \
        cr_assert(gct_heap_stats(h)[g].collections == (ncoll) && gct_heap_stats(h)[g].collected == (ncollected) &&   \
                      gct_heap_stats(h)[g].uncollectable == 0,                                              \
                  "stats[%d] = {%" PRId64 ", %" PRId64 ", %" PRId64 "}, expected {%d, %d, 0}",     \
                  (int)(g), gct_heap_stats(h)[g].collections, gct_heap_stats(h)[g].collected,                        \
                  gct_heap_stats(h)[g].uncollectable, (int)(ncoll), (int)(ncollected));                     \
    } while (0)

/* Examined objects of the last pause: the size of the collected set. */
int64_t last_examined(const gct_heap *h);

/* ---- the event recorder (gc.callbacks) ------------------------------------ */

#define MAXREC 512

typedef struct rec {
    int64_t alloc; /* index of the allocation that triggered it (0: explicit) */
    int gen;
    int64_t collected, uncollectable;
} rec;

typedef struct recorder {
    gct_heap *h;
    int64_t alloc; /* allocations made so far through the helpers below */
    rec r[MAXREC];
    size_t n;
    bool open;          /* a START without its STOP yet */
    int protocol_error; /* START inside START, STOP without START, overflow */
    /* Optional: try a nested explicit collection from inside the callback. */
    bool nest;
    int64_t nested[2 * MAXREC];
    size_t nnested;
} recorder;

void attach(recorder *R, gct_heap *h);

/* After an allocation: if it triggered a collection, check the events were
 * well formed and run the full verifier. */
void after_alloc(recorder *R, size_t nbefore);

/* Allocate a container, kept alive on the root stack. */
gct_obj *alloc_keep(recorder *R, const gct_shape *s);

/* A two-object cycle A <-> B, created and dropped (allocations A then B). */
void make_cycle(recorder *R);

/* Explicit collection through the recorder, verified afterwards. */
int64_t collect(recorder *R, int gen);

typedef struct expect {
    int64_t alloc;
    int gen;
    int64_t collected;
    int64_t examined; /* objects in the collected set (from the pause log) */
} expect;

/* The whole recorded sequence must be exactly `e`: same allocation indexes,
 * generations, collected counts; and the pause log must agree. */
void assert_sequence(const recorder *R, const expect *e, size_t n);

#endif
