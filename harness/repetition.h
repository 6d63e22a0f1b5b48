/*
 * repetition.h — measure one repetition of one configuration in this process
 * (child_process.h gives every repetition a process of its own): first an
 * untimed warm-up on a heap of its own (code, caches, the allocator's arenas
 * and the CPU's clock settle), then the timed work as one Google Benchmark
 * run of one iteration (a fixed amount of work), with setup and teardown
 * outside the timed region.  The repetition records the pauses itself, since
 * Google Benchmark keeps no per-pause data.
 */
#ifndef GCT_REPETITION_H
#define GCT_REPETITION_H

#include <stdbool.h>

#include "config.h"
#include "memseries.h"
#include "pauses.h"
#include "record.h"

typedef struct gct_repetition_out {
    gct_results records;   /* one: this repetition */
    gct_pause_rows pauses; /* every pause of it */
    gct_mem_series memory; /* a model's memory pass (round 0 only; else empty) */
} gct_repetition_out;

typedef struct gct_repetition_opts {
    int round;          /* the sweep's round, also the repetition number */
    size_t process;     /* position in the sweep's schedule */
    double warmup;      /* warm-up operations as a fraction of c->ops (0: none) */
    const char *cpus;   /* CPUs this process is pinned to ("" or NULL: not pinned) */
    bool quiet;         /* no Google Benchmark console table */
    int64_t heap_limit; /* the out-of-memory guard of the heaps, bytes (0: none) */
    int prefork;        /* > 0: fork this many workers after the set-up (prefork.h) */
} gct_repetition_opts;

/* Warm-up operations for ops timed ones: at least 1 unless warmup is 0. */
int64_t gct_repetition_warmup_ops(int64_t ops, double warmup);

/*
 * Run one repetition of c: the warm-up, then the timed work.  `gbench_json`
 * receives Google Benchmark's JSON (NULL: none).  Returns the number of
 * failed repetitions, 0 or 1 (the record says why).
 */
int gct_repetition_run(const gct_config *c, const char *gbench_json, const gct_repetition_opts *o,
                       gct_repetition_out *out);

void gct_repetition_out_free(gct_repetition_out *out);

/* The record's pause statistics (pauses, cascades, gc_s, gc_fraction, the
 * percentiles, MMU) from the n pauses p of a timed region of wall_ms. */
void gct_repetition_pause_metrics(gct_result *r, const gct_pause_row *p, size_t n,
                                  double wall_ms);

/* Write out's records and pauses to the first two files, atomically, and
 * its memory samples, if it has any, to the third (memory_csv NULL: not). */
int gct_repetition_write(const gct_repetition_out *out, const char *records_csv,
                         const char *pauses_csv, const char *memory_csv, char *err,
                         size_t errlen);

#endif
