/*
 * workload.h — the interface every synthetic workload implements, the run
 * state it works in, and the registry that finds workloads by name.
 *
 * A workload is one file, workloads/<name>.c, exporting exactly one symbol: a
 * `const gct_workload gct_workload_<name>`.  It has a name, a one-line summary
 * that says what one operation is (throughput is operations per second), a
 * table of parameters, and four functions: setup, op, check and teardown.
 *
 * Invariants every workload keeps, on every collector:
 *  - References held outside the heap go through the root stack only.  The
 *    run records the root depth before setup (r->root_base); the workload's
 *    long-lived roots sit just above it, an operation may push more but pops
 *    them before it returns, and teardown pops back to root_base.
 *  - A pointer obtained from gct_load or gct_root_get is not kept across an
 *    allocation (gct_new, gct_weakref_new) or a store to the slot it came
 *    from: after either, the workload reloads it from a rooted object.
 *  - Every random choice comes from r->rng, seeded from the run's seed, and
 *    nothing depends on addresses or time.  The same seed and parameters give
 *    the same allocations and stores on every collector, except where a weak
 *    reference observes the collector (a weak-valued cache under a tracing
 *    collector sees values that reference counting would already have freed).
 *  - op never allocates in C (no malloc per operation) and check never
 *    allocates on the heap, so checking does not move any collection.
 *  - Every object carries a payload the workload can verify (a per-shape magic
 *    number and values drawn from the RNG); check() walks what is live and
 *    compares it with the workload's own bookkeeping, so a collector that
 *    freed a live object, or a broken workload, is reported, not ignored.
 *
 * A workload that finds a broken invariant during an operation records it
 * with gct_workload_fail(); check() reports the first such failure.
 */
#ifndef GCT_WORKLOAD_H
#define GCT_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change to gct_workload or gct_workload_run. */
#define GCT_WORKLOAD_ABI 2

#define GCT_WL_MAX_PARAMS 8
#define GCT_WL_MAX_METRICS 8

typedef enum gct_param_kind {
    GCT_PARAM_INT,    /* an integer in [min, max] */
    GCT_PARAM_REAL,   /* a finite number in [min, max] */
    GCT_PARAM_CHOICE, /* one of `choices`; the value is its index */
} gct_param_kind;

/* A set of parameters of one workload, by index in its table. */
typedef uint32_t gct_param_mask;
#define GCT_PARAM_BIT(i) ((gct_param_mask)1u << (i))

typedef struct gct_param {
    const char *name;
    gct_param_kind kind;
    double def;                 /* CHOICE: index of the default in choices */
    double min, max;            /* INT and REAL only */
    const char *const *choices; /* CHOICE only: NULL-terminated */
    const char *help;
} gct_param;

/* A named result of a run beyond throughput (a cache's hit ratio, ...). */
typedef struct gct_workload_metric {
    const char *name;
    double value;
} gct_workload_metric;

typedef struct gct_workload_run gct_workload_run;

/* The presets of gctune sweep (harness/sweep_spec.c), by which a workload
 * gives its own operation counts. */
typedef enum gct_preset {
    GCT_PRESET_QUICK,
    GCT_PRESET_DEFAULT,
    GCT_PRESET_FULL,
    GCT_NPRESETS
} gct_preset;
/* "quick", "default", "full" */
extern const char *const gct_preset_names[GCT_NPRESETS];

typedef struct gct_workload {
    uint32_t abi; /* GCT_WORKLOAD_ABI */
    const char *name;
    const char *summary; /* one line; says what one operation is */
    const gct_param *params;
    uint32_t nparams;
    size_t state_size; /* bytes of r->state, zeroed before setup, freed after teardown */
    /* Operations per repetition in each preset of gctune sweep, every one
     * at least 1 (the registry check says so):
     *     .preset_ops = {[GCT_PRESET_QUICK] = 500, [GCT_PRESET_DEFAULT] = 1000,
     *                    [GCT_PRESET_FULL] = 4000},
     * An operation costs from a microsecond (a cache lookup) to a millisecond
     * (a tree of 2047 nodes), so each workload picks counts that make one
     * repetition last a fraction of a second (gencycle at 700/10/10 on a
     * 2-core machine). */
    int64_t preset_ops[GCT_NPRESETS];

    /* Optional: reject a combination of individually valid values.  Returns
     * 0 to accept, else the parameters the combination involves, as a mask
     * of GCT_PARAM_BIT(index) (so that a caller can say where the values came
     * from), with a message naming them. */
    gct_param_mask (*check_params)(const double *values, char *err, size_t errlen);
    /* Build the initial heap.  Returns GCT_OK, or an error with a message. */
    int (*setup)(gct_workload_run *r, char *err, size_t errlen);
    /* One operation (the unit of throughput). */
    void (*op)(gct_workload_run *r);
    /* The self-check: walk what is live, compare it with the bookkeeping.
     * Must not allocate on the heap. */
    bool (*check)(gct_workload_run *r, char *err, size_t errlen);
    /* Pop every root the workload holds.  Must not allocate on the heap. */
    void (*teardown)(gct_workload_run *r);
    /* Optional: results beyond throughput; returns how many were written. */
    size_t (*metrics)(const gct_workload_run *r, gct_workload_metric *out, size_t max);
} gct_workload;

/* One run of a workload on a heap. */
struct gct_workload_run {
    const gct_workload *wl;
    gct_heap *h;
    double param[GCT_WL_MAX_PARAMS]; /* validated, in the order of wl->params */
    uint64_t seed;
    gct_rng rng;
    size_t root_base;  /* root depth before setup */
    int64_t ops;       /* operations done */
    uint64_t checksum; /* mixed from what the operations observed */
    /* Objects the workload turned into cyclic garbage (those that pure
     * reference counting leaks), by its own count. */
    int64_t cyclic_garbage;
    bool failed;
    char failure[256];
    bool torn_down;
    void *state; /* wl->state_size bytes */
};

/* ---- using a workload ---------------------------------------------------- */

/*
 * Parse "name=value" settings into values[0 .. wl->nparams) (the defaults for
 * parameters not given), then check the combination.  On error returns
 * GCT_EINVAL and writes a message naming the parameter, the value and what is
 * allowed.
 */
int gct_workload_parse(const gct_workload *wl, const char *const *settings, size_t n,
                       double values[GCT_WL_MAX_PARAMS], char *err, size_t errlen);

/* One value of parameter p from the user's text ("12", "0.02", "strong"),
 * checked against its range; false with a message naming p and the text. */
bool gct_param_parse(const gct_param *p, const char *text, double *out, char *err, size_t errlen);
/* A value already parsed: in range, whole for an integer, an index for a
 * choice?  False with a message naming p and the value. */
bool gct_param_check(const gct_param *p, double value, char *err, size_t errlen);
/* Every value of values[0 .. wl->nparams) checked (gct_param_check), then
 * their combination (wl->check_params).  Returns 0 if all is well, else the
 * parameters at fault (GCT_PARAM_BIT(index)) with a message. */
gct_param_mask gct_workload_check_params(const gct_workload *wl, const double *values, char *err,
                                         size_t errlen);

/* A workload named after a file (trace:FILE, python:FILE): prefix + the
 * file's name without its extension ext, other characters than letters,
 * digits, '_' and '-' made '_' ("trace-my_run" from runs/my.run.trace). */
void gct_workload_name_from_file(const char *path, const char *prefix, const char *ext,
                                 char *buf, size_t len);

/* Create a run on heap h (parameters from gct_workload_parse) and set it up.
 * On error returns NULL with a message; the heap is left as it was found
 * except for garbage a collection will reclaim. */
gct_workload_run *gct_workload_start(const gct_workload *wl, gct_heap *h, const double *values,
                                     uint64_t seed, char *err, size_t errlen);

/* gct_workload_find + gct_workload_parse + gct_workload_start. */
gct_workload_run *gct_workload_new(const char *name, gct_heap *h, const char *const *settings,
                                   size_t n, uint64_t seed, char *err, size_t errlen);

/* One operation, and n operations. */
static inline void gct_workload_op(gct_workload_run *r)
{
    r->wl->op(r);
    r->ops++;
    /* An operation is at least one Python call: its boundary is a safepoint
     * (a collection a 3.12+ model scheduled runs here). */
    gct_heap_safepoint(r->h);
}
void gct_workload_ops(gct_workload_run *r, int64_t n);

/* The self-check (any time before teardown): false with a message if an
 * operation recorded a failure or the live structure disagrees with the
 * bookkeeping. */
bool gct_workload_check(gct_workload_run *r, char *err, size_t errlen);

static inline uint64_t gct_workload_checksum(const gct_workload_run *r) { return r->checksum; }

/* Common metrics (ops, cyclic_garbage) followed by the workload's own. */
size_t gct_workload_metrics(const gct_workload_run *r, gct_workload_metric *out, size_t max);

/* Pop every root of the run (idempotent).  Objects stay in the heap, as
 * garbage, until the collector or the heap's destruction frees them. */
void gct_workload_teardown(gct_workload_run *r);
/* Teardown if not done yet, then free the run. */
void gct_workload_free(gct_workload_run *r);

/* "depth=12 long_depth=16 parent=strong": every parameter, for records. */
void gct_workload_format_params(const gct_workload *wl, const double *values, char *buf,
                                size_t len);
/* The value of parameter i as text ("12", "0.02", "strong"). */
void gct_workload_format_value(const gct_param *p, double value, char *buf, size_t len);
/* Index of the named parameter, or -1. */
int gct_workload_param_index(const gct_workload *wl, const char *name);

/* ---- the registry -------------------------------------------------------- */

size_t gct_workload_count(void);
const gct_workload *gct_workload_at(size_t i);
const gct_workload *gct_workload_find(const char *name);
/* False with a message if two workloads share a name or a table is malformed
 * (wrong ABI, too many parameters, a default outside its range, a preset
 * without its operation count). */
bool gct_workload_registry_check(char *err, size_t errlen);
/* "trees, dlist, cache, requests, longlived" */
void gct_workload_names(char *buf, size_t len);
/* wl's recording build: the same file compiled with GCT_RECORDING, so that
 * every heap operation reaches the heap's recorder (heap.h), for `gctune
 * run --trace`; NULL for a workload that has none (not in the list of
 * workloads/meson.build).  Defined by the generated recording.c, which only
 * programs that record link (gct_workloads_rec_dep). */
const gct_workload *gct_workload_recording(const gct_workload *wl);

extern const gct_workload gct_workload_trees;
extern const gct_workload gct_workload_dlist;
extern const gct_workload gct_workload_cache;
extern const gct_workload gct_workload_requests;
extern const gct_workload gct_workload_longlived;

/* ---- for workload implementations ---------------------------------------- */

static inline int64_t gct_wl_int(const gct_workload_run *r, unsigned i)
{
    return (int64_t)r->param[i];
}
static inline double gct_wl_real(const gct_workload_run *r, unsigned i) { return r->param[i]; }

/* Creating an object in Python is a call (a class, weakref.ref), and a call
 * reaches the eval breaker: workloads allocate through these, so that a
 * CPython 3.12+ model runs a collection its allocation scheduled right
 * there, with the new object alive, as the interpreter would.  For models
 * that collect inside the allocation (3.11) the safepoint is one untaken
 * branch.  References a workload holds in C stay valid exactly as across a
 * plain allocation. */
static inline gct_obj *gct_wl_new(gct_heap *h, const gct_shape *s)
{
    gct_obj *o = gct_new(h, s);
    gct_heap_safepoint(h);
    return o;
}
static inline gct_obj *gct_wl_weakref_new(gct_heap *h, gct_obj *target)
{
    gct_obj *o = gct_weakref_new(h, target);
    gct_heap_safepoint(h);
    return o;
}

/* Record a broken invariant (the first one is kept). */
void gct_workload_fail(gct_workload_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void gct_wl_mix(gct_workload_run *r, uint64_t v)
{
    r->checksum = gct_mix64(r->checksum ^ v) + 0x9E3779B97F4A7C15ull;
}

/* Static array shapes with 2^k slots (k = 0..GCT_WL_ARRAY_MAX_LOG2) and a
 * 16-byte payload, for tables whose size is a parameter.  Shapes must outlive
 * every object of theirs (leaked cycles survive the run), so they are never
 * made at run time.  Returns NULL if n is too large. */
#define GCT_WL_ARRAY_MAX_LOG2 22
const gct_shape *gct_wl_array_shape(uint64_t n);

/* An object that has been freed: its header says so (kept readable by the
 * allocator, even under AddressSanitizer). */
static inline bool gct_wl_is_freed(const gct_obj *o) { return (o->flags & GCT_OF_FREE) != 0; }

#ifdef __cplusplus
}
#endif
#endif
