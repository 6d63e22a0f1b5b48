/*
 * upgrade.h — what an upgrade does: two CPython versions (models, or the
 * real collector) on the same workloads, each at its default thresholds
 * unless told others, compared per workload by the one machinery of
 * compare.h (the same samples, intervals, noise floors and verdict rule).
 *
 * A side is a result directory (or a selection of one, DIR:PATTERN); an end
 * of the upgrade (--from, --to) names a collector ("gencycle313") or a
 * CPython version ("3.13"; "3.14" is 3.14's, or else the one 3.14.x there
 * is), with
 * thresholds after a colon to leave the defaults ("gencycle313:5000/10/10",
 * written as the report writes them).  Per workload (and parameter setting)
 * the from-configuration of A is paired with the to-configuration of B;
 * within one directory a version against itself is its default against its
 * A/A twin: the upgrade that changes nothing.
 *
 * Shown per workload: throughput, p99 pause, max pause, peak memory, every
 * summarised record field named garbage_* (garbage awaiting collection,
 * where the records hold it), and the GC work (objects examined, references
 * traversed: exact for a seed), each from -> to with the ratio, its
 * interval and a verdict only beyond the noise floor; and one sentence.
 */
#ifndef GCT_UPGRADE_H
#define GCT_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compare.h"
#include "record.h"
#include "summary.h"
#include "versions.h"

/* One side: what a result directory holds, and which part of it. */
typedef struct gct_upgrade_side {
    const char *name; /* "A", "B": how messages call it */
    const char *dir;  /* its directory, for messages */
    const gct_results *rows;
    const gct_summary *sum;
    const gct_versions *ver;
    const char *filter; /* DIR:PATTERN's pattern on config ids (NULL: all) */
} gct_upgrade_side;

/* An end of the upgrade, resolved. */
typedef struct gct_upgrade_end {
    char collector[64];
    char version[32];
    char thresholds[64]; /* "" for its defaults, else "5000/10/10" */
} gct_upgrade_end;

/* A workload, or a workload at one parameter setting where it ran several. */
typedef struct gct_upgrade_key {
    const char *workload, *params; /* point into the summary */
    char label[200];               /* "trees", or "trees (parent=weak)" */
} gct_upgrade_key;

/* One workload of the upgrade: its pair in cmp (rows pair * nmetrics ...). */
typedef struct gct_upgrade_step {
    gct_upgrade_key key;
    char from_id[256], to_id[256];
    size_t pair;
} gct_upgrade_step;

typedef struct gct_upgrade {
    gct_upgrade_end from, to;
    bool aa;                /* the same version twice */
    bool drift_unmeasured;  /* two sweeps without a reference in common: how far the
                               machine moved between them is in no floor */
    gct_upgrade_step *steps;
    size_t nsteps;
    char notes[32][300];    /* workloads left out, and why */
    size_t nnotes;
    gct_cmp_metric metrics[GCT_CMP_MAX_METRICS];
    size_t nmetrics;
    gct_cmp cmp;
} gct_upgrade;

typedef struct gct_upgrade_opts {
    bool same_sweep;            /* A and B are one result directory */
    bool ignore_drift;          /* as gct_cmp_opts */
    bool allow_different_work;  /* as gct_cmp_opts */
} gct_upgrade_opts;

/* Whether A against B reads as an upgrade without --from/--to: each side
 * selects successful runs of exactly one CPython collector, and their
 * versions differ. */
bool gct_upgrade_detect(const gct_upgrade_side *a, const gct_upgrade_side *b);

/* Resolve from on side a and to on side b (NULL: the side's only CPython
 * collector), pair them per workload and compare.  0; -1 with err naming
 * the value when an end names nothing there, a side holds no CPython model,
 * or no workload pairs (bad input: exit 2). */
int gct_upgrade_run(const gct_upgrade_side *a, const char *from, const gct_upgrade_side *b,
                    const char *to, const gct_upgrade_opts *o, gct_upgrade *out, char *err,
                    size_t errlen);
void gct_upgrade_free(gct_upgrade *u);

/* The per-workload tables and sentences, for a console. */
void gct_upgrade_print(FILE *out, const gct_upgrade *u);
/* The same as JSON: the ends, the workloads with their sentences, the notes
 * and compare's rows. */
int gct_upgrade_write_json(FILE *out, const gct_upgrade *u);
/* One workload in one sentence: "moving from 3.12 to 3.13: p99 pause +124%
 * [+98%, +150%]; no significant change in throughput, max pause or peak
 * memory; GC work: objects examined -35%, references traversed -30% (exact)". */
void gct_upgrade_sentence(const gct_upgrade *u, size_t step, char *buf, size_t len);

/* The CPython versions side s ran (successful, no twins), oldest first,
 * each with its collector: where two collectors model one version, the
 * first in the directory's order (the registry's: models before the
 * embedded interpreter), the others named in left_out.  At most max. */
size_t gct_upgrade_versions(const gct_upgrade_side *s, gct_upgrade_end *out, size_t max,
                            char *left_out, size_t len);

/* The workloads of s (and their parameter settings where a workload ran
 * several), in the model's order; at most max. */
size_t gct_upgrade_keys(const gct_summary *s, gct_upgrade_key *out, size_t max);

/* The configuration of collector on key at thresholds ("" or NULL: its
 * defaults) that ran, no A/A twin (NULL: none). */
const gct_config_summary *gct_upgrade_config(const gct_summary *s, const char *collector,
                                             const char *thresholds, const gct_upgrade_key *key);

#endif
