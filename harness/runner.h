/*
 * runner.h — measure one configuration in this process: every repetition is
 * one Google Benchmark repetition of one iteration (a fixed amount of work),
 * with setup and teardown outside the timed region.  The runner records the
 * pauses itself, since Google Benchmark keeps no per-pause data.
 */
#ifndef GCT_RUNNER_H
#define GCT_RUNNER_H

#include <stdbool.h>

#include "config.h"
#include "pauses.h"
#include "record.h"

typedef struct gct_runner_out {
    gct_results records;  /* one per repetition */
    gct_pause_rows pauses; /* every pause of every repetition */
} gct_runner_out;

/*
 * Run every repetition of c.  `gbench_json` receives Google Benchmark's JSON
 * (NULL: none); `cpus` is recorded in each record (NULL or "" if unpinned);
 * `heap_limit` is the out-of-memory guard of each repetition's heap (0: none).
 * Returns the number of failed repetitions (their records say why).
 */
int gct_runner_run(const gct_config *c, const char *gbench_json, const char *cpus, bool quiet,
                   int64_t heap_limit, gct_runner_out *out);

void gct_runner_out_free(gct_runner_out *out);

/* Write out's records and pauses to the two files, atomically. */
int gct_runner_write(const gct_runner_out *out, const char *records_csv, const char *pauses_csv,
                     char *err, size_t errlen);

#endif
