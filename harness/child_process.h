/*
 * child_process.h — run a schedule of processes (schedule.h): every job, one
 * repetition of one configuration, in a child process of its own, so that
 * heap layout, allocator state, huge pages and memory peaks never carry
 * from one repetition to the next; up to `jobs` at once, each pinned to a
 * core of its own; a crash, a timeout or an out-of-memory abort of one
 * process is reported and the rest go on.
 */
#ifndef GCT_CHILD_PROCESS_H
#define GCT_CHILD_PROCESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "schedule.h"

typedef struct gct_child_process_opts {
    int jobs;           /* children at once (>= 1) */
    bool pin;           /* pin child k of the running set to core k */
    bool quiet;         /* no Google Benchmark console output */
    double timeout_s;   /* per process; 0: none */
    double warmup;      /* untimed operations before the timed ones, as a fraction of ops */
    int64_t mem_limit;  /* heap limit per child in bytes (the out-of-memory guard); 0: none */
    bool sanitized;     /* built with sanitizers: no address-space limit */
    int prefork;        /* > 0: each repetition forks this many workers (prefork.h) */
    const char *workdir;
} gct_child_process_opts;

typedef struct gct_child_process_result {
    size_t index;      /* into the schedule */
    const gct_job *job;
    const gct_config *cfg;
    bool ran;          /* the child finished and wrote its files */
    bool skipped;      /* never started (the events' skip said so) */
    long pid;          /* the child's process id (0: never started) */
    char reason[600];  /* why not, when !ran */
    double seconds;
    char records_csv[4096];
    char pauses_csv[4096];
    char memory_csv[4096]; /* written only by a model's round-0 process */
    char gbench_json[4096];
} gct_child_process_result;

typedef struct gct_child_process_events {
    /* Asked before a job starts: true (with a reason) to record it as not
     * run instead, e.g. when an earlier round of its configuration crashed. */
    bool (*skip)(void *ud, const gct_job *job, char *reason, size_t len);
    void (*started)(void *ud, size_t index, const gct_config *cfg);
    void (*finished)(void *ud, const gct_child_process_result *res);
    void (*tick)(void *ud); /* about twice a second while children run */
    void *ud;
} gct_child_process_events;

/*
 * Run jobs[0..n) in order, job k being one repetition of cfgs[jobs[k].config].
 * Returns 0 when every child finished (whatever its repetition's status), 1 if
 * any did not, 130 if *stop became non-zero (the running children are killed
 * and reported as interrupted; jobs not started are not reported).
 */
int gct_child_process_run_jobs(const gct_config *cfgs, const gct_job *jobs, size_t n,
                               const gct_child_process_opts *o, const gct_child_process_events *ev,
                               volatile sig_atomic_t *stop);

/* The body of a child: run one repetition and write its files (used by
 * gct_child_process_run_jobs, and in-process by tests).  Returns the exit
 * status the child uses. */
int gct_child_process_body(const gct_config *cfg, const gct_job *job, int slot,
                           const gct_child_process_opts *o, const gct_child_process_result *paths);

#endif
