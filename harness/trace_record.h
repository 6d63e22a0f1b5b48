/*
 * trace_record.h — `gctune run --trace FILE`: a workload's heap operations
 * written as a heap-operation trace (docs/traces.md) that, replayed by
 * `gctune replay FILE -c gencycle`, makes the same allocations, stores and
 * root operations, and so the same collections, as the live run.
 *
 * The recording is a run of its own, in the gctune process, before the
 * measured ones: a fresh heap of the configuration's collector, the
 * workload's recording build (workloads/meson.build: the same file compiled
 * with GCT_RECORDING, so that every heap operation reaches the recorder of
 * heap.h), its set-up and then the configuration's operations, as the timed
 * part of a repetition does them (the warm-up runs on a heap of its own, so
 * it is not part of what is recorded).  The processes that measure run the
 * ordinary build, which has no trace of recording in it.
 *
 * A trace names objects only by their place on the root stack.  An object
 * the workload reaches through slots (gct_load) is brought onto the trace's
 * stack by `load` lines from a root: the recorder remembers, for every
 * object, the slot it was last stored into or loaded from, walks those up to
 * a root, checks from the root down that each slot still holds the next
 * object, and searches the heap from the roots when it does not.  These
 * temporaries are popped before the next operation that could collect.
 */
#ifndef GCT_TRACE_RECORD_H
#define GCT_TRACE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct gct_trace_record_opts {
    const char *trace;       /* the trace file: written whole, or not at all */
    const char *collections; /* NULL, or a file for the live run's collections: the
                              * JSON of `gctune replay --work` (docs/traces.md) */
    int64_t heap_limit;      /* gct_heap_set_limit of the recording heap (0: none) */
} gct_trace_record_opts;

typedef struct gct_trace_record_result {
    int64_t lines;       /* of the trace file */
    int64_t collections; /* during the live run */
} gct_trace_record_result;

/*
 * Record configuration c.  Returns GCT_EXIT_OK (0), or with a message in err
 * and no file left behind: GCT_EXIT_USAGE when the workload cannot be
 * written as a trace (it makes weak references, sets a knob other than a
 * threshold, or touches an object no root reaches) or has no recording
 * build, GCT_EXIT_FAILED when a file cannot be written or the workload's
 * self-check fails, GCT_EXIT_INTERRUPTED on SIGINT or SIGTERM.
 */
int gct_trace_record(const gct_config *c, const gct_trace_record_opts *o,
                     gct_trace_record_result *res, char *err, size_t errlen);

/* The same with the recording build given: a workload compiled with
 * GCT_RECORDING and the parameters of c->workload, which names it in
 * messages (tests make workloads of their own). */
int gct_trace_record_with(const gct_config *c, const gct_workload *recording,
                          const gct_trace_record_opts *o, gct_trace_record_result *res, char *err,
                          size_t errlen);

#endif
