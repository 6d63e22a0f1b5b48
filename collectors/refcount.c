/*
 * refcount.c — pure reference counting.
 *
 * Invariants:
 *  - Every live object's refcnt equals the references to it from slots and
 *    roots (plus any a C caller holds itself).
 *  - An object is freed the moment its count reaches zero, and everything
 *    that dies with it is freed by the same explicit-worklist cascade
 *    (dealloc.c: gct__dealloc), never by recursion.
 *  - Nothing else ever frees: cycles leak.  gct_heap_leaks reports them (live
 *    minus reachable from the roots), and the heap's teardown releases them.
 *
 * There is no collector state at all: no prefix, no trigger (track_mask 0),
 * so allocation and freeing cost only the allocator and the accounting.
 */
#include "internal/backend.h"

enum { KNOB_CASCADE };

static const gct_knob knobs[] = {
    [KNOB_CASCADE] = {"cascade", 1000, 2, INT64_C(1000000000000), "objects",
                      "record a decref whose cascade frees at least this many objects as a pause"},
};

static int rc_init(gct_heap *h, const int64_t *k)
{
    h->hot.rc = true;
    h->hot.track_mask = 0;
    h->hot.young = NULL;
    h->cascade_limit = k[KNOB_CASCADE];
    return GCT_OK;
}

static void rc_set_knob(gct_heap *h, uint32_t index, int64_t value)
{
    if (index == KNOB_CASCADE)
        h->cascade_limit = value;
}

const gct_collector gct_collector_refcount = {
    .abi = GCT_COLLECTOR_ABI,
    .name = "refcount",
    .summary = "pure reference counting: frees at zero, cycles leak",
    .knobs = knobs,
    .nknobs = sizeof knobs / sizeof knobs[0],
    .prefix = 0,
    .ngenerations = 0,
    .init = rc_init,
    .set_knob = rc_set_knob,
};
