/*
 * measure.h — what `gctune run` and `gctune sweep` share: their options,
 * read into a sweep specification (sweep_spec.h) and checked before anything is
 * created (bad input leaves no directory), the configurations they expand
 * to, meta.json, and the session that measures them (result_session.h).
 */
#ifndef GCT_MEASURE_H
#define GCT_MEASURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "costmodel.h"
#include "result_session.h"
#include "sweep_spec.h"

typedef struct gct_measure {
    bool sweep;               /* `sweep` (else `run`) */
    gct_sweep_spec spec;
    const char *out;          /* --out, or the sweep's out/<date> */
    const char *file;         /* the sweep file */
    bool json, quiet, pin, force, no_plots, pdf, no_aa, no_predict;
    const char *python;       /* --python: the interpreter the cost model measures */
    const char *trace;        /* run --trace: record the configuration as a trace */
    const char *collections;  /* run --collections: the recording's collections (JSON) */
    bool jobs_given, mem_given;
    double timeout_s;
    double warmup;            /* fraction of the timed operations */
    long long mem_limit;
    int prefork;              /* --prefork K: workers forked after each set-up (0: none) */
    gct_config *cfgs;         /* after gct_measure_prepare */
    size_t n;
    size_t twins;             /* A/A controls among cfgs */
    json_t *meta;
    gct_costmodel *cost;      /* CPython's costs on this machine (NULL: no prediction) */
    char outbuf[256];
} gct_measure;

/* Parse argv.  Returns -1 after printing help (exit 0), GCT_EXIT_USAGE on
 * bad input (the message printed), else 0. */
int gct_measure_parse(int argc, char **argv, bool sweep, void (*help)(FILE *), gct_measure *m);

/* Expand the specification into configurations (m->cfgs).  Returns an exit
 * status (a usage error, printed). */
int gct_measure_expand(gct_measure *m);

/* Add the A/A controls: per workload, an identical twin of its reference
 * configuration.  -1 if out of memory. */
int gct_measure_add_twins(gct_measure *m);

/* After the command's own checks of the configurations: check the jobs
 * against the machine and --out, build meta.json, obtain the cost model.
 * Returns an exit status. */
int gct_measure_prepare(int argc, char **argv, gct_measure *m);

/* Measure every configuration.  Returns the session's exit status. */
int gct_measure_execute(gct_measure *m, gct_result_session_result *res);

void gct_measure_free(gct_measure *m);

/* --out, or out/<prefix><date and time> when it was not given. */
void gct_measure_default_out(gct_measure *m, const char *prefix);

/* The figures and the report of result directory out, with what they say
 * printed: a missing gnuplot is a note, not a failure (gctune plot OUT draws
 * the figures later). */
void gct_measure_figures_and_report(const gct_measure *m, const char *out);

/* The options both commands take, for their --help. */
extern const char gct_measure_common_help[];

#endif
