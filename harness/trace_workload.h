/*
 * trace_workload.h — a heap-operation trace as a workload: `-w trace:FILE`
 * in gctune run and sweep (and `workloads = trace:FILE` in a sweep file), so
 * that thresholds and collectors can be swept over a recorded run
 * (docs/traces.md, "A trace as a workload").
 *
 * One operation replays the whole trace, every line, from an empty root
 * stack on the run's heap, and then drops the roots it left: its objects
 * become garbage for the collector to find, and the next operation replays
 * it again (as a Python program's body run N times).  --ops N replays it N
 * times; every preset's count is 1.  The workload is named trace-STEM (the
 * file's name without ".trace", other characters than letters, digits, '_'
 * and '-' made '_'): that name is what results, --ops STEM=N and [ops] use.
 * It has no parameters; its metrics say how many trace operations one
 * replay does (trace_operations).
 *
 * Invariants: the trace is read and checked (FILE:LINE, exit 2) when the
 * sweep is expanded, before anything is created, and kept for the life of
 * the process (the child processes inherit it); the trace's own `threshold`
 * lines win over the sweep's knobs from their line on.  A trace a collector
 * cannot run (freeze on marksweep, a threshold refcount has no knob for)
 * fails its runs with the trace's FILE:LINE as the reason.
 */
#ifndef GCT_TRACE_WORKLOAD_H
#define GCT_TRACE_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "workload.h"

/* "trace:" */
#define GCT_TRACE_WORKLOAD_PREFIX "trace:"

/* The workload of the trace file at path (the same one for the same path),
 * or NULL with "PATH:LINE: ..." (a bad trace) or a name clash in err. */
const gct_workload *gct_trace_workload(const char *path, char *err, size_t errlen);

/* A trace workload already made, by its name (trace-STEM), or NULL. */
const gct_workload *gct_trace_workload_find(const char *name);

#endif
