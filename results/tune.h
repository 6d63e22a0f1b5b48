/*
 * tune.h — choosing a CPython collector's thresholds from measurements: the
 * objective, the limits, and the decisions of `gctune tune`'s successive
 * halving (harness/cmd_tune.c runs the processes; docs/tuning.md tells the
 * method).  Everything here reads the result model (summary.h), so the
 * report, the console and tune judge a configuration the same way.
 *
 * One workload on one collector at a time.  Its candidates are the
 * configurations of that collector that ran (A/A twins and leaking ones
 * left out); the reference is the one at the collector's defaults, which a
 * tune always measures alongside.  A candidate is:
 *  - feasible when its median meets every limit (a relative limit, "2x",
 *    is that many times the reference's median);
 *  - dropped when it is infeasible or loses to the best feasible candidate
 *    by more than the noise floor of the metric: how far this sweep's A/A
 *    twins landed apart (summary.h), or, if further, two candidates that did
 *    exactly the same GC work (A/A pairs the grid holds anyway); never for a
 *    difference the floor could explain;
 *  - among the candidates time cannot tell apart, the ones doing exactly the
 *    GC work another one does (the same collections, objects examined and
 *    references traversed: a seed makes it exact) are the same run as far
 *    as the collector is concerned: one is kept.  If more are left than the
 *    halving keeps, the least GC work (throughput) or the measured order
 *    decides.
 */
#ifndef GCT_TUNE_H
#define GCT_TUNE_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "summary.h"

/* What can be optimised or limited: a summarised field of results.csv. */
typedef enum gct_tune_metric {
    GCT_TUNE_THROUGHPUT, /* ops_per_s, higher is better */
    GCT_TUNE_P99,        /* pause_p99_us */
    GCT_TUNE_MAX_PAUSE,  /* pause_max_us */
    GCT_TUNE_MEMORY,     /* peak_bytes: the model's peak live heap */
    GCT_TUNE_GC_FRACTION,/* gc_fraction: share of the time in the collector */
    GCT_TUNE_NMETRICS
} gct_tune_metric;

typedef struct gct_tune_metric_info {
    const char *name;  /* as the command line says it: throughput, p99, ... */
    const char *field; /* results.csv column */
    const char *label; /* for sentences: "throughput", "p99 pause" */
    bool higher_is_better;
} gct_tune_metric_info;

extern const gct_tune_metric_info gct_tune_metrics[GCT_TUNE_NMETRICS];

/* The metric named name (throughput, p99, max-pause, memory, gc-fraction);
 * -1 if none. */
int gct_tune_metric_by_name(const char *name);

typedef struct gct_tune_limit {
    gct_tune_metric metric;
    double value;  /* in the field's unit (µs, bytes, fraction), or a factor */
    bool relative; /* value x the reference's median */
    char text[48]; /* as given, for messages */
} gct_tune_limit;

#define GCT_TUNE_MAX_LIMITS 8

typedef struct gct_tune_goal {
    gct_tune_metric objective;
    gct_tune_limit limits[GCT_TUNE_MAX_LIMITS];
    size_t nlimits;
} gct_tune_goal;

/* Read a limit on metric from text: "2x" (relative to the default), or an
 * absolute value in the metric's unit: a time ("1.5ms", "800us", "0.2s")
 * for pauses, a size ("512M", "1.5G", "300k", "4096": bytes, binary
 * multiples; "MiB"/"MB" spellings too) for memory, a fraction ("0.05" or
 * "5%") for the GC-time fraction.  A throughput limit is ops/s (a floor).
 * 0, or -1 with err naming the text and what was expected. */
int gct_tune_parse_limit(gct_tune_metric metric, const char *text, gct_tune_limit *out,
                         char *err, size_t errlen);

/* How a limit reads: "p99 pause <= 2x the default (1.84 ms)". */
void gct_tune_limit_describe(const gct_tune_limit *l, double reference_median, char *buf,
                             size_t len);

typedef enum gct_tune_state {
    GCT_TUNE_ALIVE,      /* kept for the next rung */
    GCT_TUNE_INFEASIBLE, /* breaks a limit beyond the noise floor */
    GCT_TUNE_LOSES,      /* worse than the best beyond the noise floor */
    GCT_TUNE_SAME_WORK,  /* the same GC work as a kept candidate */
    GCT_TUNE_HALVED,     /* within the noise of the best, cut by the halving */
} gct_tune_state;

typedef struct gct_tune_entry {
    const gct_config_summary *c;
    double value[GCT_TUNE_NMETRICS]; /* medians (NaN: not measured) */
    double limit_at[GCT_TUNE_MAX_LIMITS]; /* each limit resolved, in the field's unit */
    double margin[GCT_TUNE_MAX_LIMITS];   /* room to each limit as a fraction of it
                                             (negative: over it) */
    bool feasible;           /* the medians meet every limit */
    int binding;             /* the limit with the least room (-1: none) */
    double work;             /* median references traversed by the collector */
    bool is_reference;
    gct_tune_state state;
    size_t keep_rank;        /* ALIVE: its place among the kept, the one to keep first 0
                                (less GC work first where time cannot tell them apart) */
    char why[240];
} gct_tune_entry;

/* The candidates of collector on workload in s, evaluated against goal,
 * best first: feasible before infeasible, then by the objective's median
 * (ties: less GC work, then the id).  *reference (may be NULL) gets the
 * configuration at the collector's defaults.  Returns how many (at most
 * max); 0 also when the reference did not run (relative limits need it). */
size_t gct_tune_evaluate(const gct_summary *s, const char *workload, const char *collector,
                         const gct_tune_goal *goal, gct_tune_entry *out, size_t max,
                         const gct_config_summary **reference);

/* Decide which entries (evaluated, best first) go on: at most keep of them
 * (at least 1), by the rules at the top.  `alive` says which entries are
 * still in the race (NULL: all); the reference is never dropped from the
 * race (it is measured in every rung) but counts like any candidate.
 * Returns how many are kept (state ALIVE). */
size_t gct_tune_select(const gct_summary *s, const char *workload, const gct_tune_goal *goal,
                       gct_tune_entry *e, size_t n, const bool *alive, size_t keep);

/* The recommendation among evaluated entries: the best feasible one (NULL:
 * nothing feasible). */
const gct_tune_entry *gct_tune_best(const gct_tune_entry *e, size_t n);

/* Why nothing is feasible: the limit that binds the candidate closest to
 * feasibility, and by how much, as a sentence. */
void gct_tune_explain_infeasible(const gct_tune_goal *goal, const gct_tune_entry *e, size_t n,
                                 char *buf, size_t len);

/*
 * A recommendation from measurements already made (a sweep's, a tune's),
 * for the report and the figures: among the configurations of collector on
 * workload, the best feasible by the goal's medians, and what to paste.
 * The choice is that best configuration only when it differs from the
 * default by the trust rule (stats.h: significant, beyond the detectable
 * difference and the A/A noise floor; a deterministic metric exactly);
 * otherwise it is the default ("keep it"), and the text says what could
 * not be told apart.
 */
typedef struct gct_recommendation {
    const gct_config_summary *reference; /* the collector's defaults (NULL: did not run) */
    const gct_config_summary *best;      /* best feasible by the medians (NULL: none) */
    const gct_config_summary *choice;    /* what to paste (NULL: nothing feasible) */
    bool detected;                       /* best differs from the default, by the rule */
    double ratio, lo, hi;                /* the objective, best / default, with its interval */
    char text[600];                      /* one sentence: the verdict and the margins */
} gct_recommendation;

/* 0, or -1 when the workload has no configuration of collector at its
 * defaults (out->text says so). */
int gct_tune_recommend(const gct_results *rows, const gct_summary *s, const char *workload,
                       const char *collector, const gct_tune_goal *goal, uint64_t seed,
                       gct_recommendation *out);
/* The same, the best taken only among the configurations named in ids (a
 * tune's finalists: the ones measured most); the default is always one. */
int gct_tune_recommend_among(const gct_results *rows, const gct_summary *s, const char *workload,
                             const char *collector, const gct_tune_goal *goal, uint64_t seed,
                             const char *const *ids, size_t nids, gct_recommendation *out);

/* The lines a user pastes: "import gc" and gc.set_threshold(...) for the
 * configuration c of a CPython model (its gen0..gen2; a 3.14 incremental
 * model's third value is stored and never read, and is written as given),
 * gc.disable() for a gen0 of 0, and gc.freeze() after start-up when its
 * knob freeze is 1. */
void gct_tune_paste_lines(const gct_config_summary *c, char *buf, size_t len);

#endif
