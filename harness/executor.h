/*
 * executor.h — run configurations each in a child process of its own, so that
 * allocator state and memory peaks never carry from one to the next; up to
 * `jobs` at once, each pinned to a core of its own; a crash, a timeout or an
 * out-of-memory abort of one configuration is reported and the rest go on.
 */
#ifndef GCT_EXECUTOR_H
#define GCT_EXECUTOR_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct gct_exec_opts {
    int jobs;           /* children at once (>= 1) */
    bool pin;           /* pin child k of the running set to core k */
    bool quiet;         /* no Google Benchmark console output */
    double timeout_s;   /* per configuration; 0: none */
    int64_t mem_limit;  /* heap limit per child in bytes (the out-of-memory guard); 0: none */
    bool sanitized;     /* built with sanitizers: no address-space limit */
    const char *workdir;
} gct_exec_opts;

typedef struct gct_exec_result {
    size_t index;
    const gct_config *cfg;
    bool ran;          /* the child finished and wrote its files */
    char reason[600];  /* why not, when !ran */
    double seconds;
    char records_csv[4096];
    char pauses_csv[4096];
    char gbench_json[4096];
} gct_exec_result;

typedef struct gct_exec_events {
    void (*started)(void *ud, size_t index, const gct_config *cfg);
    void (*finished)(void *ud, const gct_exec_result *res);
    void (*tick)(void *ud); /* about twice a second while children run */
    void *ud;
} gct_exec_events;

/*
 * Run cfgs[0..n).  Returns 0 when every child finished (whatever its
 * repetitions' status), 1 if any did not, 130 if *stop became non-zero (the
 * running children are killed and reported as interrupted).
 */
int gct_execute(const gct_config *cfgs, size_t n, const gct_exec_opts *o,
                const gct_exec_events *ev, volatile sig_atomic_t *stop);

/* The body of a child: run cfg and write its files (used by gct_execute, and
 * in-process by tests).  Returns the exit status the child uses. */
int gct_execute_child(const gct_config *cfg, int slot, const gct_exec_opts *o,
                      const gct_exec_result *paths);

#endif
