/*
 * collector.h — the interface every collector backend implements, and the
 * registry that finds them by name.
 *
 * Who it is for: the backends (which implement gct_collector) and the
 * harness, which chooses collectors by name and reads their knob tables.
 * Neither needs the heap's insides for that: backends get those from
 * internal/backend.h, and the harness never does.
 *
 * A backend is one file, collectors/<name>.c, exporting `const gct_collector
 * gct_collector_<name>` and nothing else; a file may hold a family of
 * versions of one algorithm (gencycle.c: CPython 3.11, 3.12, 3.13, 3.15), one
 * table each.  The heap calls its functions
 * only on cold paths (creation, a crossed threshold, explicit requests,
 * verification, teardown); the hot paths in heap.h read the data the backend
 * sets up in `init` (hot.rc, hot.track_mask, hot.young, hot.threshold).
 */
#ifndef GCT_COLLECTOR_H
#define GCT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change to gct_collector. */
#define GCT_COLLECTOR_ABI 4

typedef struct gct_knob {
    const char *name;
    int64_t def, min, max;
    const char *unit; /* GCT_KNOB_UNREAD: kept and never read (a slot CPython's
                         API still has, such as 3.14's third threshold) */
    const char *help;
} gct_knob;

#define GCT_KNOB_UNREAD "-"

struct gct_collector {
    uint32_t abi; /* GCT_COLLECTOR_ABI */
    const char *name;
    const char *summary; /* one line */
    const gct_knob *knobs;
    uint32_t nknobs;
    uint32_t prefix;       /* bytes of private header before each object */
    uint32_t ngenerations; /* generations with statistics (0 for refcount) */
    /* The CPython version whose collector this is or models ("3.11"), NULL
     * for a collector a CPython user cannot run.  The harness asks this, not
     * a knob's name, when it wants CPython's collectors (the A/A reference,
     * the cost model's prices). */
    const char *cpython;

    /* Set up h->priv and the data the hot paths read (h->hot).  `knobs`
     * holds one validated value per entry of the knob table. */
    int (*init)(gct_heap *h, const int64_t *knobs);
    /* Release h->priv.  The heap frees the objects themselves. */
    void (*fini)(gct_heap *h);
    /* A knob changed at run time (already range-checked). */
    void (*set_knob)(gct_heap *h, uint32_t index, int64_t value);
    /* count[0] exceeded threshold[0] at an allocation (h->hot.collecting is set).
     * A backend that models CPython 3.12+ only sets h->hot.scheduled here. */
    void (*collect_auto)(gct_heap *h);
    /* Optional: a safepoint found h->hot.scheduled set (the heap has cleared
     * it and set h->hot.collecting): run the scheduled collection, if any. */
    void (*safepoint)(gct_heap *h);
    /* Explicit collection (h->hot.collecting is set); generation already mapped
     * from GCT_GEN_FULL.  Returns collected + uncollectable or GCT_EINVAL. */
    int64_t (*collect)(gct_heap *h, int generation);
    /* Optional: a container is about to be freed (by reference counting or a
     * collection), tracked or not: the backend's own accounting (the 3.14
     * model's heap size).  Returns whether the free is a PyObject_GC_Del
     * that takes count[0] down (what happens when this is NULL). */
    bool (*free_container)(gct_heap *h, gct_obj *o);
    /* Optional (NULL = GCT_ENOTSUP). */
    int (*freeze)(gct_heap *h);
    int (*unfreeze)(gct_heap *h);
    int64_t (*freeze_count)(gct_heap *h);
    /* Check the backend's invariants; on failure write why and return false. */
    bool (*verify)(gct_heap *h, char *err, size_t errlen);

    /* A real interpreter instead of a model ("3.11"): the harness runs the
     * workload's Python twin in a CPython of that version (python/runner.py),
     * one process per repetition; there is no heap, and the heap operations
     * above are NULL.  NULL for every backend. */
    const char *interpreter;
};

/* The registry: a fixed table, checked for duplicate names.  count/at list
 * the backends (what "every collector" means); find also knows the real
 * interpreters (gct_runner_at), which run only when named. */
size_t gct_collector_count(void);
const gct_collector *gct_collector_at(size_t i);
const gct_collector *gct_collector_find(const char *name);
size_t gct_runner_count(void);
const gct_collector *gct_runner_at(size_t i);
/* Returns false and names the problem if two backends share a name or a
 * backend's table is malformed (default outside its range, wrong ABI). */
bool gct_collector_registry_check(char *err, size_t errlen);
/* "refcount, gencycle, marksweep" */
void gct_collector_names(char *buf, size_t len);

extern const gct_collector gct_collector_python311; /* runners.c */
extern const gct_collector gct_collector_python312;
extern const gct_collector gct_collector_python313;
extern const gct_collector gct_collector_refcount;
extern const gct_collector gct_collector_gencycle;
extern const gct_collector gct_collector_gencycle312; /* gencycle.c */
extern const gct_collector gct_collector_gencycle313; /* gencycle.c */
extern const gct_collector gct_collector_gencycle315; /* gencycle.c */
extern const gct_collector gct_collector_gencycle314; /* incremental.c */
extern const gct_collector gct_collector_marksweep;
extern const gct_collector gct_collector_cpython; /* when GCT_HAVE_CPYTHON */

#ifdef __cplusplus
}
#endif
#endif
