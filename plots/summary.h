/*
 * summary.h — a result directory's configurations, each summarised over its
 * successful repetitions (medians, the throughput's 95% interval), which the
 * figures and the report both read; and the few formats they share.
 */
#ifndef GCT_SUMMARY_H
#define GCT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

typedef struct gct_config_summary {
    const char *id, *collector, *workload; /* point into the results */
    int64_t gen0, gen1, gen2;              /* -1: the collector has none */
    size_t n;                              /* successful repetitions */
    double ops, ops_lo, ops_hi;            /* median ops/s and its 95% interval */
    double p99, pmax, peak, leaked;        /* medians: µs, µs, bytes, bytes */
    double gc_fraction;
    double wall0_ms;                       /* wall time of repetition 0, for MMU */
} gct_config_summary;

typedef struct gct_summary {
    gct_config_summary *configs;
    size_t n;
    const char **workloads; /* in order of appearance */
    size_t nworkloads;
    const char **collectors;
    size_t ncollectors;
} gct_summary;

/* Summarise every configuration with at least one successful repetition.
 * The summary points into rows, which must outlive it. */
void gct_summarize(const gct_results *rows, gct_summary *out);
void gct_summary_free(gct_summary *s);

/* The highest-throughput configuration of each collector on workload wl,
 * at most max of them; returns how many. */
size_t gct_summary_best_per_collector(const gct_summary *s, const char *wl,
                                      const gct_config_summary **out, size_t max);

/* "gencycle:700/10/10", "marksweep:10000", "refcount" (no spaces). */
void gct_summary_label(const gct_config_summary *c, char *buf, size_t len);

/* "850 µs", "21 ms", "1.2 s"; and 2920 -> "2.92k", 1930000 -> "1.93M". */
void gct_fmt_us(double us, char *buf, size_t len);
void gct_fmt_count(double v, char *buf, size_t len);

#endif
