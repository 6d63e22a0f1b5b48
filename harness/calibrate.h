/*
 * calibrate.h — measuring the real CPython for the cost model
 * (results/costmodel.h), and the per-machine cache of the fitted model.
 *
 * The measurement is harness/calibrate_cpython.py, carried inside gctune
 * (the build turns it into a C array) and run as `PYTHON -I -c <script>`;
 * it prints its observations as JSON.  The cache is one file,
 * ${XDG_CACHE_HOME:-$HOME/.cache}/gctune/cpython-cost.json, holding the model
 * for one machine (CPU model and hostname) and one interpreter (its
 * sys.executable and version).
 */
#ifndef GCT_CALIBRATE_H
#define GCT_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "costmodel.h"

/* The interpreter gctune runs: `python` if it contains a '/', else that name
 * searched on PATH; NULL means "python3".  0, or -1 with a message saying
 * what is missing. */
int gct_python_find(const char *python, char *path, size_t len, char *err, size_t errlen);

/* Ask the interpreter for its sys.executable and version ("3.11.2"). */
int gct_python_identity(const char *python, char *executable, size_t elen, char *version,
                        size_t vlen, char *err, size_t errlen);

/* This machine as the cache knows it: the CPU model of /proc/cpuinfo and
 * the hostname. */
void gct_machine_identity(char *cpu, size_t cpulen, char *host, size_t hostlen);

/* Measure the interpreter (NULL: python3 on PATH; a few seconds) and fit:
 * m gets the observations, the coefficients, the machine, the interpreter
 * and the date.  0, or -1 with err. */
int gct_calibrate(gct_costmodel *m, const char *python, char *err, size_t errlen);

/* Where the cache lives.  0, or -1 with err (no HOME and no XDG_CACHE_HOME). */
int gct_costmodel_cache_path(char *path, size_t len, char *err, size_t errlen);

/* Load the cached model for this machine; if missing or for another
 * machine/interpreter, calibrate (when allowed) and cache it.  A cache file
 * that cannot be read is an error naming it (it is not overwritten behind
 * the user's back: `gctune calibrate` does that).  0, or -1 with err. */
int gct_costmodel_obtain(gct_costmodel *m, bool may_calibrate, const char *python, char *err,
                         size_t errlen);

#endif
