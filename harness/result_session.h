/*
 * result_session.h — measure a sweep's configurations into a result directory:
 * schedule their repetitions in interleaved rounds (schedule.h), run each
 * in a process of its own (child_process.h), and keep the directory current
 * after every process, so that an interrupted or killed sweep keeps what
 * finished; at the end, the result model (summary.csv, noise.csv) and
 * Google Benchmark's merged JSON.
 */
#ifndef GCT_RESULT_SESSION_H
#define GCT_RESULT_SESSION_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "record.h"

typedef struct gct_result_session_opts {
    const char *out;    /* result directory; NULL: a temporary one, removed after */
    int jobs;
    bool pin;
    bool quiet;         /* no progress lines */
    bool gbench_console;/* let Google Benchmark print its table (single runs) */
    double timeout_s;   /* per process */
    double warmup;      /* warm-up operations as a fraction of the timed ones */
    int64_t mem_limit;  /* heap limit of each run (0: none) */
    int prefork;        /* > 0: each repetition forks this many workers (prefork.h) */
    uint64_t seed;      /* orders the rounds */
    json_t *meta;       /* meta.json content so far (the session adds the end) */
    bool force;         /* accept an out directory that already holds results */
    /* Called on every record a process brings back, before it is kept (e.g.
     * to add the predicted CPython GC time); may be NULL. */
    void (*annotate)(void *ud, gct_result *r);
    void *annotate_ud;
} gct_result_session_opts;

typedef struct gct_result_session_result {
    gct_results rows;  /* every record, failed processes included */
    size_t configs_done, configs_failed;   /* configurations with every process accounted for */
    size_t processes_run, processes_failed;
    bool interrupted;
    char out[4096];    /* where the results are ("" if temporary) */
} gct_result_session_result;

int gct_result_session_run(const gct_config *cfgs, size_t n, const gct_result_session_opts *o,
                           gct_result_session_result *res);
void gct_result_session_result_free(gct_result_session_result *res);

/* The 1-, 5- and 15-minute load averages as a JSON array (null if unknown). */
json_t *gct_result_session_loadavg_json(void);

extern volatile sig_atomic_t gct_result_session_stop;
void gct_result_session_catch_signals(void);

#endif
