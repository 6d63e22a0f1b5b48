/*
 * resultdir.h — a result directory (the contract in DESIGN.md):
 *
 *   OUT/meta.json         machine, build, command line, sweep file, seed, date, schema
 *   OUT/gbench.json       Google Benchmark's JSON for every run
 *   OUT/results.csv       one row per configuration x repetition (record.h)
 *   OUT/summary.csv       one row per configuration: medians and 95% intervals
 *   OUT/pauses/<id>.csv   every pause of a configuration (pauses.h)
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

/* Create OUT, OUT/pauses and OUT/.work (children's scratch).  An OUT that
 * already holds a results.csv is refused unless force. */
int gct_rdir_prepare(const char *dir, bool force, char *err, size_t errlen);

int gct_rdir_write_results(const char *dir, const gct_results *rows, char *err, size_t errlen);

/* summary.csv: per configuration (in order of first appearance), the
 * identity columns, reps and failed counts, and for every summarized field
 * <name>_median, <name>_lo, <name>_hi over the repetitions that succeeded
 * (percentile bootstrap, 95%, deterministic). */
int gct_rdir_write_summary(const char *dir, const gct_results *rows, char *err, size_t errlen);

/* Write a JSON value to OUT/<name> (pretty, keys in insertion order). */
int gct_rdir_write_json(const char *dir, const char *name, json_t *value, char *err,
                        size_t errlen);

/* Merge per-configuration Google Benchmark files into OUT/gbench.json: the
 * machine context of the first, every run tagged with its gctune_config_id,
 * and each configuration's own context under "gctune_contexts".  Missing
 * parts (configurations that crashed) are skipped. */
int gct_rdir_merge_gbench(const char *dir, const char *const *parts, size_t n, char *err,
                          size_t errlen);

/* Move a finished configuration's pause file into OUT/pauses/<id>.csv. */
int gct_rdir_adopt_pauses(const char *dir, const char *config_id, const char *from, char *err,
                          size_t errlen);

#endif
