/*
 * python_workload.h — the user's own Python program as a workload: `-w
 * python:FILE` (a module with PARAMS, setup(params, seed), op(state) and
 * optionally check and teardown; python/README.md), run by the real
 * interpreters (-c python311, python312, python313) through
 * python/runner.py.  `-w python:NAME` is python/workloads/NAME.py, a module
 * shipped with gctune (the scenarios).  Named py-STEM in the results; its
 * PARAMS, read from the file without running it, are its parameters (-p
 * name=LIST), every preset runs its OPS (a literal int in the module; 1000
 * without) unless --ops says otherwise.  A model cannot run it: the sweep refuses such a pair before
 * anything is created (exit 2).
 */
#ifndef GCT_PYTHON_WORKLOAD_H
#define GCT_PYTHON_WORKLOAD_H

#include <stddef.h>

#include "workload.h"

#define GCT_PYTHON_WORKLOAD_PREFIX "python:"

/* The workload of the module at path (the same one for the same path), or
 * NULL with why in err (no such file, not a .py, a name clash). */
const gct_workload *gct_python_workload(const char *path, char *err, size_t errlen);

/* The python: workload named name (py-STEM) made so far, or NULL. */
const gct_workload *gct_python_workload_find(const char *name);

/* The modules shipped in python/workloads/ (twins and scenarios; not the
 * helpers whose names start with '_'), by name without ".py", sorted; at
 * most max.  Returns how many. */
size_t gct_python_shipped(char (*names)[64], size_t max);

/* The module a workload runs: its file for a python: workload, else NULL. */
const char *gct_python_workload_module(const gct_workload *wl);

#endif
