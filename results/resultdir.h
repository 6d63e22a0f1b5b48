/*
 * resultdir.h — a result directory (the contract is in docs/results.md):
 *
 *   OUT/meta.json         machine, build, command line, sweep file, seed, date, load, schema
 *   OUT/gbench.json       Google Benchmark's JSON: one run per process
 *   OUT/results.csv       one row per process: a configuration x a repetition (record.h)
 *   OUT/summary.csv       one row per configuration: medians and intervals (summary.h)
 *   OUT/noise.csv         the A/A controls: the noise floor per workload (summary.h)
 *   OUT/pauses/<id>.csv   every pause of a configuration, all its processes (pauses.h)
 *   OUT/memory/<id>.csv   a model's memory over the operations (memseries.h)
 *
 * Every file is written whole under a temporary name and renamed, so a crash
 * or an interrupted sweep leaves the files of the configurations finished so
 * far, never half a file.
 */
#ifndef GCT_RESULTDIR_H
#define GCT_RESULTDIR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "record.h"

/* Create OUT, OUT/pauses and OUT/.work (children's scratch), and lock OUT
 * for this process's lifetime (OUT/.lock holds its pid): an OUT another
 * gctune holds is refused, naming that one's pid.  An OUT that already
 * holds a results.csv is refused unless force. */
int gct_rdir_prepare(const char *dir, bool force, char *err, size_t errlen);

int gct_rdir_write_results(const char *dir, const gct_results *rows, char *err, size_t errlen);

/* Write a JSON value to OUT/<name> (pretty, keys in insertion order). */
int gct_rdir_write_json(const char *dir, const char *name, json_t *value, char *err,
                        size_t errlen);

/* Merge the processes' Google Benchmark files into OUT/gbench.json: the
 * machine context of the first, every run named by its configuration alone
 * (so that Google Benchmark's compare.py sees the processes of one
 * configuration as repetitions of one benchmark) and tagged with
 * gctune_config_id, gctune_round and gctune_process, and each
 * configuration's own context under "gctune_contexts".  Missing parts
 * (processes that crashed) are skipped. */
int gct_rdir_merge_gbench(const char *dir, const char *const *parts, size_t n, char *err,
                          size_t errlen);

/* Move a finished process's memory samples to OUT/memory/<id>.csv (one
 * process per configuration has them; a later one replaces it). */
int gct_rdir_add_memory(const char *dir, const char *config_id, const char *from, char *err,
                        size_t errlen);

/* Add a finished process's pause file to OUT/pauses/<id>.csv (its rows
 * after those already there; the file is replaced whole) and remove it. */
int gct_rdir_add_pauses(const char *dir, const char *config_id, const char *from, char *err,
                        size_t errlen);

#endif
