/*
 * gbench.h — the small C face of Google Benchmark (libbenchmark 1.7).
 *
 * The harness is C; Google Benchmark is C++.  gbench.cc wraps the few things
 * gctune needs: register a benchmark at run time with a C callback, fixed
 * iterations and repetitions, user counters, context entries, and a run that
 * writes Google Benchmark's own JSON to a file.
 */
#ifndef GCT_GBENCH_H
#define GCT_GBENCH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gct_gb_state gct_gb_state; /* a benchmark::State */
typedef void (*gct_gb_fn)(gct_gb_state *st, void *ud);

/* Register `name`, run `iterations` times per repetition (0 = let Google
 * Benchmark choose), `repetitions` repetitions (each reported on its own and
 * as mean/median/stddev/cv aggregates).  Time is wall-clock. */
void gct_gb_register(const char *name, gct_gb_fn fn, void *ud, int64_t iterations,
                     int repetitions);

/* An entry of the "context" block of the JSON. */
void gct_gb_add_context(const char *key, const char *value);

/* Run every registered benchmark.  Writes Google Benchmark's JSON to
 * json_path (NULL: none) and its console table to stdout unless quiet.
 * Returns the number of benchmarks run, or -1 on a bad argument. */
int gct_gb_run(const char *json_path, bool quiet);

/* Inside a callback. */
bool gct_gb_keep_running(gct_gb_state *st);
void gct_gb_pause(gct_gb_state *st);  /* stop the clock (setup, teardown) */
void gct_gb_resume(gct_gb_state *st);
void gct_gb_counter(gct_gb_state *st, const char *name, double value);
/* A counter divided by the measured time (a rate, e.g. ops per second). */
void gct_gb_rate(gct_gb_state *st, const char *name, double value);
void gct_gb_skip_with_error(gct_gb_state *st, const char *msg);

/* Run every registered benchmark with Google Benchmark's own command-line
 * flags (--benchmark_filter, --benchmark_out, --benchmark_repetitions, ...):
 * argv[0] is the program name.  Flags it does not know are an error.  Returns
 * the number of benchmarks run, or -1 on an unrecognised flag. */
int gct_gb_run_args(int argc, char **argv);

/* Register like gct_gb_register, with `unit` the time unit of the console
 * table and the JSON: "ns", "us", "ms" or "s" (anything else: "ms"). */
void gct_gb_register_unit(const char *name, gct_gb_fn fn, void *ud, int64_t iterations,
                          int repetitions, const char *unit);

#ifdef __cplusplus
}
#endif
#endif
