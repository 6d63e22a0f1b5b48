/*
 * transfer.h — do the models rank configurations the way the real
 * interpreter does?  In one result directory where a model (gencycle) and
 * the real interpreter of its version (python311) ran the same workloads
 * over the same thresholds, per workload: Spearman's rank correlation of
 * the throughput medians and of the GC-time medians across the grid, the
 * best/default throughput ratio on each side, and whether the model's
 * fastest setting, measured on the real interpreter, is within the real
 * interpreter's noise of its real fastest (by the rule of every verdict,
 * stats.h).  The model's GC time is its prediction of CPython's
 * (cpython_gc_s) where the cost model ran, else its own pause time.
 */
#ifndef GCT_TRANSFER_H
#define GCT_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "stats.h"
#include "summary.h"
#include "versions.h"

typedef struct gct_transfer {
    char workload[64];
    const char *model, *real;  /* the collectors compared */
    size_t pairs;              /* settings both ran (the grid), A/A twins left out */
    double rho_ops, rho_gc;    /* Spearman (NaN: fewer than 3 pairs, or a constant side) */
    double model_ratio;        /* the model's fastest / its default, ops/s medians */
    double real_ratio;         /* the same on the real interpreter */
    const gct_config_summary *model_pick; /* the real configuration with the model's fastest
                                             thresholds */
    const gct_config_summary *real_best;  /* the real fastest */
    bool compared;             /* effect is set (the two differ and both ran) */
    gct_effect effect;         /* ops/s of model_pick against real_best, per process */
    bool within_noise;         /* the model's pick is not detectably slower on the real one */
    bool decidable;            /* the processes could have told a difference at all (false:
                                  "too few runs", and within_noise says nothing) */
    /* Why a rank correlation can be low: what the real side can resolve. */
    double real_gc_share;      /* the real default's time in collections (gc_fraction) */
    double real_spread;        /* the real fastest over the real slowest, minus 1 */
    double real_floor;         /* the real interpreter's own A/A noise floor (NaN: none) */
    /* The model as a predictor of the real program's throughput: the real
     * default's time outside collections (its mutator, the same at every
     * setting) plus the model's GC time at each setting, scaled so that it
     * matches the real GC time at the default (one number: the model does
     * not hold the interpreter's own objects, which every full collection
     * traverses).  NaN without a GC time at the default on either side. */
    double rho_predicted;      /* Spearman of that predicted throughput and the real one */
    double predicted_ratio;    /* its best setting's predicted throughput over the default's */
} gct_transfer;

/* A model and the real interpreter it is compared with (names as the
 * summary holds them). */
typedef struct gct_transfer_pair {
    const char *model, *real;
} gct_transfer_pair;

/* The pairs of s: each real interpreter (interpreter_of gives its version;
 * NULL for a model) with the first collector of s that is no interpreter and
 * whose cpython_of version equals it, in the order of s's collectors; at
 * most max, returns how many.  results/ knows no collector: the caller hands
 * the registry's answers (gencycle -> "3.11"; python311 -> "3.11" for both). */
size_t gct_transfer_pairs(const gct_summary *s, gct_version_lookup cpython_of,
                          gct_version_lookup interpreter_of, gct_transfer_pair *out, size_t max);

/* The settings model and real both ran on wl (A/A twins and configurations
 * without a successful process left out), in the model's order: mc[k] and
 * rc[k] ran the same thresholds.  At most max; returns how many. */
size_t gct_transfer_points(const gct_summary *s, const char *wl, const char *model,
                           const char *real, const gct_config_summary **mc,
                           const gct_config_summary **rc, size_t max);

/* The GC time a side is compared by: the model's prediction of CPython's
 * (cpython_gc_s) where its median is positive, else its gc_s; the real
 * interpreter's gc_s (NULL: not recorded). */
const gct_stat *gct_transfer_gc_stat(const gct_config_summary *c, bool model);

/* The comparison of model and real (collector names) on every workload
 * both ran in s, at most max of them; returns how many.  rows are the
 * records s was made from. */
size_t gct_transfer_compare(const gct_results *rows, const gct_summary *s, const char *model,
                            const char *real, gct_transfer *out, size_t max);

/* What the model's pick did on the real interpreter, as a table cell: "the
 * same setting", "within the noise: 0.97x the real fastest [0.92, 1.03], ...",
 * "slower: ...", "cannot tell (too few processes): ...". */
void gct_transfer_pick_text(const gct_transfer *t, char *buf, size_t len);

#endif
