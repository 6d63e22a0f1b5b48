/*
 * test-property.c — randomized graphs against an independent oracle.
 *
 * For every backend and thousands of seeds: a random program allocates
 * objects of mixed shapes (0..4 slots, one of them a large object) and weak
 * references, stores random values into random slots (NULL, self-references,
 * anything reachable), pushes, pops, sets and truncates roots, and runs full
 * and partial collections at random moments; small thresholds (drawn per
 * seed) make automatic collections happen too.  The oracle is the test's own:
 * its own traversal from the roots with its own visited set, and the live set
 * read with gct_heap_foreach, sorted.  gct_heap_census / gct_heap_leaks are
 * never used to compute expectations (leaks is checked against the oracle).
 *
 * Properties:
 *  - always: every reachable object is live; gct_heap_leaks == live - reachable
 *    (objects and bytes); verify (exact refcounts) holds;
 *    the accounting matches the live set; a weak reference reads its target
 *    exactly while the target is live (NULL after), tracked by serial numbers
 *    so a reused address cannot pass for the old target.
 *  - after a full collection (explicit, or an automatic one: marksweep's
 *    are always full, gencycle's of generation 2 are): for a collecting
 *    backend, live == reachable; an explicit one returns the unreachable
 *    tracked objects (shape flags & h->track_mask) before it and records one
 *    pause with freed == the result, examined == the tracked live objects.
 *  - reference counting (refcount, gencycle): every live unreachable object is
 *    referenced from another live unreachable one (nothing with no references
 *    survives); a store or pop freeing >= `cascade` objects records exactly
 *    one GCT_PAUSE_CASCADE pause with that count, a smaller one none.
 *  - refcount: live is a superset of reachable (cycles leak), so the above is
 *    exactly its leak report.
 *  - marksweep: nothing is freed outside a collection.
 *
 * Replay: every failure message names the backend and the seed.
 *   GCT_SEED=N          run only seed N (one case per backend)
 *   GCT_BACKEND=name    run only that backend
 *   GCT_PROPERTY_SEEDS  seeds per backend (default 2000, in cases of 250)
 * e.g. GCT_SEED=1234 GCT_BACKEND=gencycle ./test-property
 *
 * The random program and the oracle: common/property_common.c.
 */
#define _POSIX_C_SOURCE 200809L
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "heap.h"
#include "rng.h"

#include "property_common.h"

/* ---- parameters: backend x chunk of seeds -------------------------------- */

typedef struct prop_param {
    size_t index; /* into the registry */
    uint64_t first, count;
} prop_param;

enum { CHUNK = 250 };

static uint64_t env_u64(const char *name, uint64_t def, bool *given)
{
    const char *e = getenv(name);
    if (given)
        *given = false;
    if (!e || !*e)
        return def;
    char *end;
    unsigned long long v = strtoull(e, &end, 0);
    if (*end)
        return def;
    if (given)
        *given = true;
    return v;
}

static void free_params(struct criterion_test_params *crp) { cr_free(crp->params); }

ParameterizedTestParameters(property, random_graphs)
{
    bool single = false;
    uint64_t seed = env_u64("GCT_SEED", 0, &single);
    uint64_t nseeds = env_u64("GCT_PROPERTY_SEEDS", 2000, NULL);
    uint64_t chunks = single ? 1 : (nseeds + CHUNK - 1) / CHUNK;
    const char *only = getenv("GCT_BACKEND");
    size_t nb = gct_collector_count();
    size_t n = nb * (size_t)chunks;
    prop_param *p = cr_malloc(sizeof *p * (n ? n : 1));
    size_t k = 0;
    for (size_t b = 0; b < nb; b++) {
        if (only && *only && strcmp(only, gct_collector_at(b)->name))
            continue;
        for (uint64_t ch = 0; ch < chunks; ch++) {
            p[k].index = b;
            if (single) {
                p[k].first = seed;
                p[k].count = 1;
            } else {
                p[k].first = 1 + ch * CHUNK;
                p[k].count = nseeds - ch * CHUNK < CHUNK ? nseeds - ch * CHUNK : CHUNK;
            }
            k++;
        }
    }
    return cr_make_param_array(prop_param, p, k, free_params);
}

ParameterizedTest(prop_param *pp, property, random_graphs)
{
    install_crash_note();
    const gct_collector *c = gct_collector_at(pp->index);
    cr_assert(c);
    cr_log_info("backend %s seeds %" PRIu64 "..%" PRIu64, c->name, pp->first,
                pp->first + pp->count - 1);
    for (uint64_t s = pp->first; s < pp->first + pp->count; s++)
        run_seed(pp->index, s);
    cr_log_info("%s: %" PRId64 " seeds, %" PRId64 " ops, %" PRId64 " allocations (%" PRId64
                " weak references), %" PRId64 " checks, collections: %" PRId64 " full, %" PRId64
                " partial, %" PRId64 " automatic, %" PRId64 " objects collected; %" PRId64
                " cascade pauses; unreachable objects seen %" PRId64
                ", cleared weak references seen %" PRId64 ", max live %" PRId64,
                c->name, stats.seeds, stats.ops, stats.allocs, stats.weakrefs, stats.checks,
                stats.full, stats.partial, stats.autos, stats.collected, stats.cascades,
                stats.unreachable_seen, stats.cleared_seen, stats.max_live);
}

