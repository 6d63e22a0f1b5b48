/*
 * python_run.h — a repetition on a real interpreter (a collector whose
 * `interpreter` is set, collectors/runners.c): find a CPython of that
 * version, run python/runner.py on the workload's Python twin
 * (python/workloads/<name>.py) in it, and turn the JSON it prints into the
 * same record and pauses a model's repetition makes.
 */
#ifndef GCT_PYTHON_RUN_H
#define GCT_PYTHON_RUN_H

#include <stddef.h>

#include "repetition.h"

/* A CPython of version ("3.11"): $GCTUNE_PYTHON_3_11 if set, else
 * python3.11 on PATH, else the newest $PYENV_ROOT/versions/3.11.*, else
 * python3 on PATH when it is that version.  Its path in buf, or NULL with
 * why. */
const char *gct_python_for_version(const char *version, char *buf, size_t len, char *why,
                            size_t whylen);

/* One repetition of c (c->collector->interpreter set): the warm-up and the
 * timed operations run in the interpreter's own process.  Returns 0 or 1
 * failed repetition, as gct_repetition_run. */
int gct_python_repetition(const gct_config *c, const gct_repetition_opts *o,
                          gct_repetition_out *out);

/* The environment variable that carries --tracemalloc K to every process
 * of a sweep: set, each repetition on a real interpreter runs the runner
 * with --tracemalloc K and keeps the sites in its record's extra as
 * alloc1=FILE:LINE:BYTES (FILE without its folder). */
#define GCT_TRACEMALLOC_ENV "GCTUNE_TRACEMALLOC"

#endif
