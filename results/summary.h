/*
 * summary.h — the result model: what a result directory's records mean,
 * computed once.
 *
 * Every record is one process, and one process is one sample.  For each
 * configuration and each field the record list marks as summarised, the
 * summary holds the median over its successful processes and an interval:
 * a 95% percentile-bootstrap interval of that median when there are at
 * least GCT_CI_MIN_RUNS processes, else simply the range (lowest, highest),
 * which is all that fewer runs can honestly say.  A per-process statistic
 * (a pause percentile, MMU, peak memory) is summarised the same way: the
 * summary's p99 pause is the median over processes of each process's own
 * p99, never a p99 of pauses pooled across processes.
 *
 * The A/A noise floor: a sweep runs an identical twin of each workload's
 * reference configuration (record field aa_of).  The twin and its original
 * are compared like any two configurations; how far apart they came out is
 * the noise this sweep could not tell from a real difference, and no
 * verdict drawn from this sweep is smaller than it.
 *
 * summary.csv and noise.csv are this model's file form; plot, report,
 * compare and the console read them back, so the same quantity shows the
 * same number everywhere.
 */
#ifndef GCT_SUMMARY_H
#define GCT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define GCT_CI_MIN_RUNS 5       /* fewer processes: a range, not a "95% CI" */
#define GCT_SHORT_RUN_S 0.020   /* a timed region shorter than this is flagged */

typedef struct gct_stat {
    double median, lo, hi; /* NaN when no process succeeded */
} gct_stat;

typedef struct gct_config_summary {
    char *id, *collector, *workload, *knobs, *params, *aa_of;
    char *failure;          /* the first failed process's reason ("" if none) */
    int64_t gen0, gen1, gen2, seed, ops, warmup_ops;
    bool defaults;          /* every knob at the collector's default */
    size_t n;               /* successful processes: the samples */
    size_t failed;          /* failed processes */
    bool ci;                /* intervals are 95% bootstrap intervals (n >= 5), else ranges */
    bool too_short;         /* the median timed region is under GCT_SHORT_RUN_S */
    bool leaks;             /* it leaves objects alive that nothing reaches (median > 0) */
    bool work_exact;        /* the GC work (collections, examined, traversed, freed) was
                               the same in every process, as a seed should make it */
    gct_stat *stat;         /* one per summarised field, see gct_summary_stat */
    /* The statistics read most, the same numbers as in stat[]. */
    double ops_s, ops_lo, ops_hi;   /* ops/s */
    double p99, pmax;               /* µs */
    double peak, leaked;            /* bytes */
    double gc_fraction, wall_ms;
} gct_config_summary;

/* The A/A control of one workload. */
typedef struct gct_noise {
    char *workload, *config, *twin;
    size_t n_config, n_twin;
    double ratio, lo, hi; /* median ops/s of the twin over its original, with its interval */
    double p;             /* Mann-Whitney between the two */
    double detectable;    /* the smallest difference this pair could have detected */
    double spread;        /* |ratio - 1|: the noise floor of this workload in this sweep */
} gct_noise;

typedef struct gct_summary {
    gct_config_summary *configs;
    size_t n;
    gct_noise *noise;
    size_t nnoise;
    const char **workloads; /* in order of appearance (point into configs) */
    size_t nworkloads;
    const char **collectors;
    size_t ncollectors;
} gct_summary;

/* Summarise records (every configuration, failed ones with n = 0) and
 * measure the A/A noise floors. */
void gct_summarize(const gct_results *rows, gct_summary *out);
void gct_summary_free(gct_summary *s);

/* summary.csv and noise.csv in dir. */
int gct_summary_write(const char *dir, const gct_summary *s, char *err, size_t errlen);
/* Read them back; when summary.csv is missing (a sweep killed before its
 * end) the model is computed from results.csv instead.  0, or -1 with err
 * naming the file and line. */
int gct_summary_load(const char *dir, gct_summary *s, char *err, size_t errlen);

/* The samples behind a statistic: the finite values of field in the
 * successful records of configuration id, in record order; returns how many
 * (out must hold rows->n). */
size_t gct_summary_samples(const gct_results *rows, const char *id, const gct_field *f,
                           double *out);

/* The statistic of a summarised field (NULL if the field is not one). */
const gct_stat *gct_summary_stat(const gct_config_summary *c, const char *field);
const gct_config_summary *gct_summary_find(const gct_summary *s, const char *id);
/* The noise floor of a workload: how far its A/A twin's median ops/s landed
 * from its original's, on the log scale the verdict rule measures on,
 * exp(|log ratio|) - 1 (noise.csv's spread, |ratio - 1|, when the twin is
 * faster; a little more when it is slower: 0.8x is 25% away), so that the
 * pair itself is never called different; NaN without a control.  A sweep
 * with real interpreters has a pair per workload for the models and one
 * per interpreter (their noise is another program's): this is the largest,
 * the floor no verdict on the workload goes under. */
double gct_summary_noise_floor(const gct_summary *s, const char *workload);
/* The same for another summarised field (pause_p99_us...): how far the A/A
 * twin's median of it landed from its original's (0 when both are 0, as
 * with no pauses; infinite when only one is).  For ops_per_s it is
 * gct_summary_noise_floor. */
double gct_summary_noise_floor_of(const gct_summary *s, const char *workload, const char *field);
/* The floor of field measured on collector's own A/A pair of the workload
 * (the real interpreter's, or a model's), or the largest without one, or
 * for collector NULL. */
double gct_summary_noise_floor_in(const gct_summary *s, const char *workload,
                                  const char *collector, const char *field);
/* Only collector's own pair's floor: NaN when it has none. */
double gct_summary_noise_floor_own(const gct_summary *s, const char *workload,
                                   const char *collector, const char *field);
/* A configuration worth showing as a choice: it ran, is no A/A twin, and
 * does not leak. */
bool gct_summary_is_candidate(const gct_config_summary *c);

/* The knobs of c without freeze ("gen0=700;gen1=10;...") into buf;
 * returns the freeze knob's value (-1: c has none). */
int gct_summary_knobs_but_freeze(const gct_config_summary *c, char *buf, size_t len);
/* The configuration that is c with freeze=1 (the same collector, workload,
 * parameters and other knobs), with field measured; NULL if none ran. */
const gct_config_summary *gct_summary_frozen_twin(const gct_summary *s,
                                                  const gct_config_summary *c,
                                                  const char *field);

/* Is c's memory still growing ("not steady")?  1 yes, 0 no (steady), -1
 * not measured.  A real interpreter's retention pass (python/README.md):
 * yes when a fresh state keeps at least GCT_GROWS_OBJECTS objects or
 * GCT_GROWS_BYTES bytes per operation (below: what dict resizes and
 * interned strings leave).  A model's memory pass (harness/memory_pass.h):
 * yes when the bytes reachable from the roots grow by more than
 * GCT_GROWS_FRACTION of their median over the second half of the run, or
 * when the collector leaves garbage it will never free (leaks: refcount's
 * cycles).  Garbage awaiting collection is not growth: a threshold's
 * sawtooth can be longer than the run, and its cost is reported apart. */
#define GCT_GROWS_OBJECTS 0.5
#define GCT_GROWS_BYTES 64.0
#define GCT_GROWS_FRACTION 0.10
int gct_summary_grows(const gct_config_summary *c);

/* The highest-throughput candidate of each collector on workload wl, at most
 * max of them; returns how many. */
size_t gct_summary_best_per_collector(const gct_summary *s, const char *wl,
                                      const gct_config_summary **out, size_t max);

/* Whether c ran a collector with CPython's three thresholds (gencycle,
 * cpython).  A record's gen1 is -1 when its collector has no gen1 knob; this
 * is the one place results/ and plots/ read that convention. */
static inline bool gct_summary_is_generational(const gct_config_summary *c)
{
    return c->gen1 >= 0;
}

/* "700/10/10" (or "10000" for one threshold, "defaults" for none). */
void gct_summary_thresholds(const gct_config_summary *c, char *buf, size_t len);
/* "gencycle:700/10/10", "marksweep:10000", "refcount" (no spaces). */
void gct_summary_label(const gct_config_summary *c, char *buf, size_t len);

/* "n=5, 95% CI" or "n=3, range": what an interval of c is. */
void gct_summary_interval_name(const gct_config_summary *c, char *buf, size_t len);

#endif
