/*
 * session.h — what `gctune run` and `gctune sweep` share: run a list of
 * configurations through the executor and keep a result directory current
 * (results.csv after every finished configuration, so an interrupted sweep
 * keeps what it finished; summary.csv and gbench.json at the end), with a
 * progress display.
 */
#ifndef GCT_SESSION_H
#define GCT_SESSION_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "record.h"

typedef struct gct_session_opts {
    const char *out;    /* result directory; NULL: a temporary one, removed after */
    int jobs;
    bool pin;
    bool quiet;         /* no progress lines */
    bool gbench_console;/* let Google Benchmark print its table (single runs) */
    double timeout_s;
    int64_t mem_limit;  /* heap limit of each run (0: none) */
    json_t *meta;       /* meta.json content so far (the session adds the end) */
    bool force;         /* accept an out directory that already holds results */
} gct_session_opts;

typedef struct gct_session_result {
    gct_results rows;  /* every record, failed configurations included */
    size_t configs_done, configs_failed;
    bool interrupted;
    char out[4096];    /* where the results are ("" if temporary) */
} gct_session_result;

/* Returns the exit status: 0 all ran and passed, 1 some configuration
 * failed, 2 the result directory could not be written, 130 interrupted. */
int gct_session_run(const gct_config *cfgs, size_t n, const gct_session_opts *o,
                    gct_session_result *res);
void gct_session_result_free(gct_session_result *res);

/* A signal handler sets this (SIGINT, SIGTERM). */
extern volatile sig_atomic_t gct_session_stop;
void gct_session_catch_signals(void);

#endif
