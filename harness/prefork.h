/*
 * prefork.h — a repetition as a pre-fork server runs it (gunicorn or uWSGI
 * with --preload, Instagram's set-up): the parent builds the workload's
 * long-lived heap, collects it fully (as python/runner.py does before its
 * timed region: the heap is old when the workers start), applies the knobs
 * (freeze=1: gc.freeze(); gen0=0: gc.disable()), and forks K workers that
 * each run the operations.  Each worker reports, at its end, its private dirty memory
 * and PSS (/proc/self/smaps_rollup) and how many of the pages that held
 * the parent's objects at the fork it has made its own copy of by writing
 * (/proc/self/pagemap's exclusively-mapped bit): the memory a
 * pre-fork server loses to copy-on-write, which the collector's writes to
 * its headers (and reference counts) cause and gc.freeze() is meant to
 * prevent.  The record's throughput, pauses and work are the first
 * worker's; the memory fields the median over the workers.
 */
#ifndef GCT_PREFORK_H
#define GCT_PREFORK_H

#include "repetition.h"

/* The most workers a repetition forks. */
#define GCT_PREFORK_MAX 64

/* One repetition of model configuration c with o->prefork workers.
 * Returns the number of failed repetitions (0 or 1; the record says why). */
int gct_prefork_repetition(const gct_config *c, const gct_repetition_opts *o,
                           gct_repetition_out *out);

#endif
