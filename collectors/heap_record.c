/*
 * heap_record.c — where the recording build of the workloads reports its
 * heap operations (heap.h, "recording the operations"): the one recorder of
 * the process, and the recording twins of the out-of-line operations.
 *
 * Invariants: nothing here runs unless a workload file was compiled with
 * GCT_RECORDING (only `gctune run --trace` runs those); a recorder sees each
 * operation before it happens, and only operations on the heap it was
 * installed for (a load, which has no heap at hand, is taken to be on it).
 */
#include "internal/backend.h"

static gct_heap_recorder_fn rec_fn;
static void *rec_ud;
static gct_heap *rec_heap;

void gct_heap_set_recorder(gct_heap *h, gct_heap_recorder_fn fn, void *ud)
{
    rec_fn = fn;
    rec_ud = fn ? ud : NULL;
    rec_heap = fn ? h : NULL;
}

void gct__record_op(gct_heap *h, const gct_heap_op *op)
{
    if (rec_fn && (!h || h == rec_heap))
        rec_fn(rec_ud, h ? h : rec_heap, op);
}

/* heap.h renames these for the recording build only; the real ones are
 * reached here under their own names. */
#undef gct_heap_collect
#undef gct_heap_freeze
#undef gct_heap_unfreeze
#undef gct_heap_set_enabled
#undef gct_heap_set_knob
#undef gct_weakref_new

static void report(gct_heap *h, gct_heap_op op) { gct__record_op(h, &op); }

int64_t gct__rec_heap_collect(gct_heap *h, int generation)
{
    report(h, (gct_heap_op){.kind = GCT_HOP_COLLECT, .n = generation});
    return gct_heap_collect(h, generation);
}

int gct__rec_heap_freeze(gct_heap *h)
{
    report(h, (gct_heap_op){.kind = GCT_HOP_FREEZE});
    return gct_heap_freeze(h);
}

int gct__rec_heap_unfreeze(gct_heap *h)
{
    report(h, (gct_heap_op){.kind = GCT_HOP_UNFREEZE});
    return gct_heap_unfreeze(h);
}

void gct__rec_heap_set_enabled(gct_heap *h, bool enabled)
{
    report(h, (gct_heap_op){.kind = GCT_HOP_ENABLE, .n = enabled});
    gct_heap_set_enabled(h, enabled);
}

int gct__rec_heap_set_knob(gct_heap *h, const char *name, int64_t value, char *err,
                           size_t errlen)
{
    int rc = gct_heap_set_knob(h, name, value, err, errlen);
    if (rc == 0) /* a refused value changed nothing */
        report(h, (gct_heap_op){.kind = GCT_HOP_KNOB, .name = name, .n = value});
    return rc;
}

gct_obj *gct__rec_weakref_new(gct_heap *h, gct_obj *target)
{
    report(h, (gct_heap_op){.kind = GCT_HOP_WEAKREF, .obj = target});
    return gct_weakref_new(h, target);
}
