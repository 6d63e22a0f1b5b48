/*
 * validate.h — gencycle (the model) against cpython (the real CPython 3.11
 * collector, embedded) on the same programs: every workload, the same seed,
 * parameters and operations, over a grid of thresholds.
 *
 * One case is one workload with one threshold triple.  It is run on each
 * collector in a child process of its own (a crash is reported, not fatal to
 * the others), recording every collection: the allocation at which it ran
 * (allocations so far), its generation, the size of the collected set, the
 * references traversed and the objects collected, and its pause.  The run is: the workload's set-up, `ops`
 * operations, its self-check, an explicit full collection, teardown, and one
 * more explicit full collection (which must reclaim everything).
 *
 * Two traces match when the sequences of collections are equal element by
 * element (allocation, generation, set size, references traversed,
 * collected), and the per-generation statistics (examined and traversed
 * too), the final counts, the workload's checksum and the objects left
 * afterwards are equal.  A mismatch that a known rule
 * explains (see validate.c) is reported as an explained difference with its
 * reason; anything else is a mismatch.
 */
#ifndef GCT_VALIDATE_H
#define GCT_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "workload.h"

/* One collection as a trace records it. */
typedef struct gct_vcoll {
    int64_t alloc;     /* allocations made before it (the triggering one excluded) */
    int32_t gen;
    int32_t phase;     /* GCT_VPHASE_* */
    int64_t examined;  /* size of the collected set */
    int64_t traversed; /* references traversed (heap.h, gct_gen_stats) */
    int64_t collected; /* collected + uncollectable */
    uint64_t pause_ns;
} gct_vcoll;

enum { GCT_VPHASE_SETUP, GCT_VPHASE_OPS, GCT_VPHASE_FINAL, GCT_VPHASE_TEARDOWN };

/* One collector's run of one case. */
typedef struct gct_vtrace {
    bool ok;
    char err[256];
    gct_vcoll *colls;
    size_t ncolls, cap;
    gct_gen_stats stats[GCT_MAX_GEN]; /* after the operations (automatic only) */
    int64_t count[GCT_MAX_GEN];       /* after the operations */
    int64_t allocs;                   /* after the operations */
    uint64_t checksum;
    int64_t left_objects; /* live after teardown and the last full collection */
    int64_t max_count0;   /* the highest count[0] seen at a collection */
    double wall_s;
} gct_vtrace;

void gct_vtrace_free(gct_vtrace *t);

/* A workload row of the grid: a workload, its parameters, its operations. */
typedef struct gct_vworkload {
    const char *label; /* "trees parent=weak" */
    const gct_workload *wl;
    double params[GCT_WL_MAX_PARAMS];
    char params_text[256];
    int64_t ops;
} gct_vworkload;

typedef struct gct_vthresholds {
    int64_t t[3];
    char label[64]; /* "700/10/10" */
} gct_vthresholds;

typedef enum gct_vstatus {
    GCT_V_MATCH,
    GCT_V_EXPLAINED, /* differs for a reason stated in `reason` */
    GCT_V_MISMATCH,
    GCT_V_FAILED,    /* a run failed (crash, self-check, verifier) */
} gct_vstatus;

const char *gct_vstatus_name(gct_vstatus s);

typedef struct gct_vcase {
    const gct_vworkload *w;
    const gct_vthresholds *th;
    gct_vstatus status;
    char summary[160]; /* the table cell: "match", "gen1 #12 -3" */
    char detail[768];  /* the first divergence and by how much */
    char reason[512];  /* explained: why the model cannot match */
    gct_vtrace model, real;
} gct_vcase;

/* The built-in grid (at least 700/10/10, 100/2/2, 2000/10/10, 10/10/10,
 * 0/10/10 and a large gen0) and workload rows (every workload, small sizes;
 * the weak-reference variants too). */
size_t gct_validate_default_thresholds(gct_vthresholds *out, size_t max);
/* Returns the number of rows, or 0 with a message. */
size_t gct_validate_default_workloads(gct_vworkload *out, size_t max, char *err, size_t errlen);

/* "700/10/10" -> a threshold triple (false if malformed or out of range). */
bool gct_validate_parse_thresholds(const char *s, gct_vthresholds *out);

/* Run one collector on one case, in this process. */
void gct_validate_trace(const char *collector, const gct_vworkload *w, const gct_vthresholds *th,
                        uint64_t seed, gct_vtrace *out);

/* Run both collectors on one case, each in a child process, and compare. */
void gct_validate_case(gct_vcase *c, uint64_t seed);

/* Compare two traces of the same case (fills status, summary, detail, reason). */
void gct_validate_compare(gct_vcase *c);

/* Median and maximum pause (us) of a trace's automatic collections (set-up
 * and operations; 0 when there were none), the number of them, and the
 * pause of the explicit full collection after the operations. */
size_t gct_vtrace_pauses(const gct_vtrace *t, double *median_us, double *max_us, double *full_us);

/* The case as JSON (status, divergence, per-collector totals and pauses). */
json_t *gct_validate_case_json(const gct_vcase *c);

#endif
