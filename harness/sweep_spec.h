/*
 * sweep_spec.h — what a sweep asks for, from a preset, a sweep file (INI) and the
 * command line (in that order, later ones win), and its expansion into
 * configurations: collectors x workloads x each collector's own knobs x
 * workload parameters.  A collector varies only the knobs it has: refcount
 * runs once per workload, marksweep varies gen0, gencycle gen0 x gen1 x gen2.
 */
#ifndef GCT_SWEEP_SPEC_H
#define GCT_SWEEP_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define GCT_SWEEP_SPEC_MAX_LISTS 24

/* A list of values as the user wrote it, and where ("--gen0", "-p depth",
 * "sweep.ini [knobs] gen0"). */
typedef struct gct_sweep_spec_list {
    char name[64];    /* knob, or param ("depth") or qualified param ("trees.depth") */
    char text[512];   /* "700,2000,10000" or "100..100000x10" */
    char origin[300];
} gct_sweep_spec_list;

/* Bounds of a sweep's numbers: the same on the command line and in a file. */
#define GCT_SWEEP_SPEC_MAX_OPS (INT64_C(1) << 50)
#define GCT_SWEEP_SPEC_MAX_REPS 10000
#define GCT_SWEEP_SPEC_MAX_JOBS 4096

typedef struct gct_sweep_spec {
    char collectors[512], collectors_origin[300]; /* comma list; "" = all */
    char workloads[512], workloads_origin[300];
    gct_sweep_spec_list knobs[GCT_SWEEP_SPEC_MAX_LISTS];
    size_t nknobs;
    gct_sweep_spec_list params[GCT_SWEEP_SPEC_MAX_LISTS];
    size_t nparams;
    int64_t ops;                       /* operations per repetition... */
    struct {                           /* ...unless given for the workload */
        char workload[32];
        int64_t ops;
    } ops_for[16];
    size_t nops_for;
    bool ops_given;                    /* ops was given (not a preset's): a workload without
                                        * a count of its own (a trace) takes it, else its
                                        * preset count */
    int reps;
    uint64_t seed;
    int jobs;
    char preset[16];
} gct_sweep_spec;

/* Reset to the built-in defaults (what `gctune sweep` with no options does:
 * the default preset). */
void gct_sweep_spec_init(gct_sweep_spec *s);

/* Apply a preset: quick, default or full (each workload's operations from
 * its table's preset_ops).  -1 with a message if unknown, or if a workload
 * lacks its count for the preset. */
int gct_sweep_spec_apply_preset(gct_sweep_spec *s, const char *name, char *err, size_t errlen);

/* Set (replace) the list for a knob or a parameter. */
int gct_sweep_spec_set_knob(gct_sweep_spec *s, const char *name, const char *text,
                            const char *origin, char *err, size_t errlen);
int gct_sweep_spec_set_param(gct_sweep_spec *s, const char *name, const char *text,
                             const char *origin, char *err, size_t errlen);

/* Operations for one workload ("trees") or, with workload NULL, for all
 * (which also forgets the per-workload values).  -1 if the table is full. */
int gct_sweep_spec_set_ops(gct_sweep_spec *s, const char *workload, int64_t ops);
int64_t gct_sweep_spec_ops(const gct_sweep_spec *s, const char *workload);

/* Read a sweep file.  Errors name the file and line; its numbers keep
 * number.h's grammar and the bounds above, like the command line's. */
int gct_sweep_spec_read_file(gct_sweep_spec *s, const char *path, char *err, size_t errlen);

/*
 * Parse an integer list: items separated by commas, each a number (number.h:
 * "700", "10k" = 10,000, "2M"), a geometric range "a..bxF" (a, a*F, ... up to b,
 * rounded, always ending at b) or an arithmetic range "a..b+S".  Values are
 * deduplicated, in order.  -1 with a message naming the item.
 */
int gct_int_list_parse(const char *text, int64_t *out, size_t max, size_t *n, char *err,
                       size_t errlen);

/* Expand into configurations (allocated; *n of them).  Every value is
 * checked against the collector's and workload's ranges; an error names the
 * value and where it came from. */
int gct_sweep_spec_expand(const gct_sweep_spec *s, gct_config **out, size_t *n, char *err,
                          size_t errlen);

#endif
