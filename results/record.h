/*
 * record.h — the result record: one field list that generates the struct,
 * the CSV header and rows, the JSON object, the reader and the docs.
 *
 * A record is one configuration x one repetition.  The list is the contract
 * of results.csv: other tools select columns by these names.  Adding a field
 * at the end is compatible: files written before it lack the column, which
 * reads as empty (from GCT_RESULT_FIRST_LATE_FIELD on); renaming, removing
 * or changing the meaning of a field bumps GCT_RESULTS_SCHEMA, and readers
 * reject files of a newer schema.
 */
#ifndef GCT_RECORD_H
#define GCT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 2: one record per process (round, process, pid, aa_of, warmup_ops), status
 * as an enum, deterministic GC work and CPython's predicted GC time. */
#define GCT_RESULTS_SCHEMA 2
/* The first field added after schema 2's files were first written: it and
 * the fields after it may be missing from a results.csv. */
#define GCT_RESULT_FIRST_LATE_FIELD "uncollectable"
/* The samples of a model's memory pass (harness/memory_pass.h) behind the
 * garbage_* and live_* fields. */
#define GCT_MEMORY_SAMPLES 64

/* The outcome of one process.  Written as its name ("ok", "failed"). */
typedef enum gct_status { GCT_STATUS_OK, GCT_STATUS_FAILED } gct_status;
const char *gct_status_name(gct_status s);

/* X(type, name, summarized, help): type is STR, I64, F64 or STATUS;
 * summarized fields get a median and an interval in summary.csv (see
 * summary.h for what those are).  Every record is one process: the unit a
 * statistic counts as one sample. */
#define GCT_RESULT_FIELDS(X)                                                                     \
    X(I64, schema, 0, "schema version of this file")                                             \
    X(STR, config_id, 0, "configuration id (also the name of its pauses file)")                  \
    X(STR, collector, 0, "collector backend")                                                    \
    X(STR, workload, 0, "workload")                                                              \
    X(STR, knobs, 0, "every collector knob, name=value separated by ';'")                        \
    X(STR, params, 0, "every workload parameter, name=value separated by ';'")                   \
    X(I64, gen0, 0, "gen0 threshold (-1: the collector has none)")                               \
    X(I64, gen1, 0, "gen1 threshold (-1: the collector has none)")                               \
    X(I64, gen2, 0, "gen2 threshold (-1: the collector has none)")                               \
    X(I64, defaults, 0, "1 when every knob is at the collector's default (its reference configuration)") \
    X(I64, seed, 0, "seed of the workload's generator")                                          \
    X(I64, ops, 0, "operations performed (the same for every configuration compared)")           \
    X(I64, rep, 0, "repetition of this configuration, from 0 (= the round it ran in)")        \
    X(I64, round, 0, "round of the sweep: every configuration runs once per round, shuffled")   \
    X(I64, process, 0, "position of this process in the sweep's schedule, from 0")              \
    X(I64, pid, 0, "process id of the run (0: never started)")                                  \
    X(STR, aa_of, 0, "A/A control: the configuration this one is an identical twin of (else empty)") \
    X(I64, warmup_ops, 0, "untimed operations run in the same process before the timed ones")   \
    X(STATUS, status, 0, "ok, or failed")                                                        \
    X(STR, reason, 0, "why the run failed (empty when ok)")                                      \
    X(F64, wall_s, 1, "wall time of the operations, seconds")                                    \
    X(F64, cpu_s, 1, "CPU time of the operations, seconds")                                      \
    X(F64, ops_per_s, 1, "operations per second of wall time")                                   \
    X(F64, gc_s, 1, "time in pauses (collections and recorded cascades), seconds")               \
    X(F64, gc_fraction, 1, "gc_s / wall_s")                                                      \
    X(I64, pauses, 1, "number of pauses")                                                        \
    X(I64, cascades, 1, "pauses that were reference-count cascades")                             \
    X(F64, pause_p50_us, 1, "median pause of this process, microseconds")                        \
    X(F64, pause_p90_us, 1, "90th percentile pause of this process, microseconds")               \
    X(F64, pause_p99_us, 1, "99th percentile pause of this process, microseconds (summary: the median over processes)") \
    X(F64, pause_p999_us, 1, "99.9th percentile pause of this process, microseconds")            \
    X(F64, pause_max_us, 1, "longest pause of this process, microseconds")                       \
    X(F64, mmu_1ms, 1, "minimum mutator utilization over 1 ms windows")                          \
    X(F64, mmu_10ms, 1, "minimum mutator utilization over 10 ms windows")                        \
    X(F64, mmu_100ms, 1, "minimum mutator utilization over 100 ms windows")                      \
    X(I64, collections_gen0, 1, "collections of generation 0 (marksweep: every collection)")     \
    X(I64, collections_gen1, 1, "collections of generation 1")                                   \
    X(I64, collections_gen2, 1, "collections of generation 2")                                   \
    X(I64, collected_gen0, 1, "objects collected by generation-0 collections")                   \
    X(I64, collected_gen1, 1, "objects collected by generation-1 collections")                   \
    X(I64, collected_gen2, 1, "objects collected by generation-2 collections")                   \
    X(I64, peak_objects, 1, "peak live objects")                                                 \
    X(I64, peak_bytes, 1, "peak live bytes (objects with their collector headers)")             \
    X(I64, peak_footprint, 1, "peak bytes obtained from the system by the heap's allocator")     \
    X(I64, leaked_objects, 1, "objects alive but unreachable from the roots after a final full collection") \
    X(I64, leaked_bytes, 1, "bytes of those objects")                                            \
    X(STR, checksum, 0, "the workload's checksum of what it observed (equal across collectors)") \
    X(STR, extra, 0, "the workload's own metrics, name=value separated by ';'")                 \
    X(STR, cpus, 0, "CPUs the run was pinned to (empty: not pinned)")                           \
    X(I64, gc_examined, 1, "objects examined by collections (deterministic for a seed)")         \
    X(I64, gc_traversed, 1, "references traversed by collections (deterministic for a seed)")    \
    X(I64, gc_freed, 1, "objects freed by collections (deterministic for a seed)")               \
    X(I64, examined_gen0, 1, "objects examined by generation-0 collections")                    \
    X(I64, examined_gen1, 1, "objects examined by generation-1 collections")                    \
    X(I64, examined_gen2, 1, "objects examined by generation-2 collections")                    \
    X(I64, traversed_gen0, 1, "references traversed by generation-0 collections")               \
    X(I64, traversed_gen1, 1, "references traversed by generation-1 collections")               \
    X(I64, traversed_gen2, 1, "references traversed by generation-2 collections")               \
    X(F64, cpython_gc_s, 1, "GC time CPython's own collector would spend on this work, seconds (cost model; empty: no model)") \
    X(I64, uncollectable, 1, "objects collections found unreachable but could not free (CPython's uncollectable)") \
    X(I64, gc_garbage, 1, "objects in gc.garbage at the end (real interpreters)")                \
    X(F64, retained_objects_per_op, 1, "objects a fresh state keeps per operation, counted after full collections: above 0 while it grows (real interpreters' retention pass; empty: not measured)") \
    X(F64, retained_bytes_per_op, 1, "bytes those objects take per operation (tracemalloc; empty: not measured)") \
    X(F64, garbage_max_objects, 1, "most objects awaiting collection at once (alive, unreachable), over 64 samples of the models' memory pass (empty: not measured)") \
    X(F64, garbage_max_bytes, 1, "most bytes awaiting collection at once (the same samples)")     \
    X(F64, garbage_mean_bytes, 1, "mean bytes awaiting collection over the samples")              \
    X(F64, reachable_slope_bytes_per_op, 1, "Theil-Sen slope of the bytes reachable from the roots over the second half of the operations (memory pass)") \
    X(F64, reachable_growth, 1, "that slope's growth over the second half, as a fraction of the median reachable bytes there: steady near 0") \
    X(I64, peak_rss, 1, "peak resident set of the process, bytes (before any untimed pass)")  \
    X(I64, prefork_workers, 1, "pre-fork: workers forked after the set-up (0: none, the ordinary run)") \
    X(F64, private_dirty_bytes, 1, "pre-fork: a worker's private dirty memory at its end (smaps_rollup), the median over the workers") \
    X(F64, pss_bytes, 1, "pre-fork: a worker's proportional set size at its end, the median over the workers") \
    X(F64, heap_pages, 1, "pre-fork: pages of the parent's heap resident when the workers were forked (models)") \
    X(F64, heap_pages_dirtied, 1, "pre-fork: of them, the pages a worker made its own copy of by writing, the median over the workers (models)") \
    X(F64, alloc_bytes_between_gen0, 1, "the most bytes allocated between two collections of generation 0 or older (models; empty: none)") \
    X(F64, alloc_bytes_between_gen1, 1, "the same before a collection of generation 1 (or older)") \
    X(F64, alloc_bytes_between_gen2, 1, "the same before a full collection: what the object-counting thresholds let through")

typedef enum gct_ftype { GCT_F_STR, GCT_F_I64, GCT_F_F64, GCT_F_STATUS } gct_ftype;

#define GCT_FIELD_STR char *
#define GCT_FIELD_I64 int64_t
#define GCT_FIELD_F64 double
#define GCT_FIELD_STATUS gct_status

typedef struct gct_result {
#define X(type, name, summ, help) GCT_FIELD_##type name;
    GCT_RESULT_FIELDS(X)
#undef X
} gct_result;

typedef struct gct_field {
    const char *name;
    gct_ftype type;
    size_t offset;
    bool summarized;
    const char *help;
} gct_field;

extern const gct_field gct_result_fields[];
extern const size_t gct_result_nfields;
const gct_field *gct_result_field(const char *name);

/* A record with every string empty (owned), numbers 0, schema set. */
void gct_result_init(gct_result *r);
/* Replace a string field (copies s). */
void gct_result_set_str(gct_result *r, const gct_field *f, const char *s);
void gct_result_free(gct_result *r);
/* Mark r failed with the reason (printf-style); an earlier reason stays:
 * the first failure is the one that explains the others. */
void gct_result_fail(gct_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Numeric value of an I64 or F64 field as a double (NaN for STR and STATUS). */
double gct_result_num(const gct_result *r, const gct_field *f);

/* CSV (RFC 4180: fields with a comma, quote or newline are quoted). */
void gct_result_csv_header(FILE *out);
void gct_result_csv_row(FILE *out, const gct_result *r);

/* A set of records read back from a results.csv. */
typedef struct gct_results {
    gct_result *rows;
    size_t n, cap;
} gct_results;

/* Read a results.csv.  Columns are matched by name (order free, unknown
 * columns rejected); a missing column, a malformed value, a truncated row or a
 * schema newer than GCT_RESULTS_SCHEMA is an error naming the file, line and
 * column.  Returns 0, or -1 with err filled. */
int gct_results_read_csv(const char *path, gct_results *out, char *err, size_t errlen);
void gct_results_push(gct_results *set, gct_result *r); /* takes ownership */
void gct_results_free(gct_results *set);

/* Write every record as a JSON array to out (jansson). */
int gct_results_write_json(FILE *out, const gct_result *rows, size_t n);

#ifdef __cplusplus
}
#endif
#endif
