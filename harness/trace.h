/*
 * trace.h — heap-operation traces (docs/traces.md): read a trace file, check
 * it by a dry run of its object graph, and replay it on a collector's heap,
 * recording every collection the way gc.callbacks reports it.
 *
 * A trace is a stack machine over the heap's root stack, so it can only name
 * objects that are alive; the dry run (no collector involved: the graph is
 * deterministic) refuses a position off the stack, a slot outside the object
 * or a store into something that is not a container before anything runs.
 * The same trace, converted to Python (scripts/trace-to-python.py), runs on
 * a real interpreter and prints the same JSON (gct_replay_print_json).
 */
#ifndef GCT_TRACE_H
#define GCT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "heap.h"

#define GCT_TRACE_MAX_SLOTS 8
/* `new N` takes 1..GCT_TRACE_MAX_NEW slots (2^22: the largest table a gctune
 * workload makes); above GCT_TRACE_MAX_SLOTS the dry run keeps the slots
 * apart and the converter makes a list subclass, not a class with slots. */
#define GCT_TRACE_MAX_NEW 4194304

typedef enum gct_trace_opcode {
    GCT_TOP_NEW,       /* a = slots */
    GCT_TOP_ATOM,
    GCT_TOP_STORE,     /* a = position, b = slot, c = position or GCT_TRACE_NONE */
    GCT_TOP_LOAD,      /* a = position, b = slot */
    GCT_TOP_DUP,       /* a = position */
    GCT_TOP_POP,       /* a = how many */
    GCT_TOP_COLLECT,   /* a = generation */
    GCT_TOP_THRESHOLD, /* a, b, c = thresholds; n = how many were given */
    GCT_TOP_ENABLE,
    GCT_TOP_DISABLE,
    GCT_TOP_FREEZE,
    GCT_TOP_UNFREEZE,
    GCT_TOP_SAFEPOINT,
    GCT_TOP_SET,       /* a = position, b = position or GCT_TRACE_NONE */
    GCT_TOP_NONE,
    GCT_TOP_TUPLE,     /* a = items */
} gct_trace_opcode;

/* The value of `store`'s third field and of `set`'s second when it is "-"
 * (None). */
#define GCT_TRACE_NONE INT64_MIN

typedef struct gct_trace_op {
    gct_trace_opcode code;
    int n;          /* fields given (threshold) */
    int64_t a, b, c;
    int line;       /* in the trace file */
} gct_trace_op;

typedef struct gct_trace {
    char *path;
    gct_trace_op *ops;
    size_t n, cap;
} gct_trace;

/* Read and check a trace.  On error returns -1 with "FILE:LINE: ..." naming
 * the value in err, and leaves t empty. */
int gct_trace_load(gct_trace *t, const char *path, char *err, size_t errlen);
void gct_trace_free(gct_trace *t);

/* One collection, as gc.callbacks sees it, plus the model's work. */
typedef struct gct_replay_collection {
    int op;            /* trace line of the operation it ran in */
    int64_t alloc;     /* allocations completed when it started */
    int generation;
    int64_t collected, uncollectable;
    int64_t examined, traversed;
} gct_replay_collection;

typedef struct gct_replay {
    gct_replay_collection *c;
    size_t n, cap;
    int64_t count[3];  /* gc.get_count() at the end */
    gct_gen_stats stats[3];
} gct_replay;

/* Replay t on h (a fresh heap).  Returns 0, or -1 with "FILE:LINE: ..." in
 * err when the collector cannot do an operation (freeze on marksweep). */
int gct_trace_replay(const gct_trace *t, gct_heap *h, gct_replay *out, char *err, size_t errlen);
void gct_replay_free(gct_replay *r);

/* Run t's operations on h from its current root depth, logging nothing (a
 * trace as a workload's operation: trace_workload.h), then pop what they
 * left there.  Allocates nothing but heap objects.  Returns 0, or -1 with
 * "FILE:LINE: ..." in err as gct_trace_replay. */
int gct_trace_run(const gct_trace *t, gct_heap *h, char *err, size_t errlen);

/* The JSON of docs/traces.md, formatted as Python's json.dumps(indent=2), so
 * that a model's output and a real interpreter's can be diffed.  With
 * `work`, each collection also carries examined and traversed. */
void gct_replay_print_json(FILE *out, const gct_replay *r, bool work);

#endif
