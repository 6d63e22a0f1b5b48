/*
 * incremental-churn.c — the model's side of bench/incremental-churn: the
 * Python program that script runs on real CPython 3.14, written against the
 * heap API.  A tree of N nodes with parent pointers (3 slots, preorder) is
 * built with collection off and collected once; then ROUNDS rounds each make
 * 1,001 two-object cycles and drop them, every object creation a safepoint
 * whose frame holds the new object (Python's `P()` runs `__init__`).
 * Prints the objects collected by every step, as a JSON list.
 *
 *   incremental-churn N ROUNDS [KNOB=VALUE...]     (gencycle314's knobs)
 */
#include <stdio.h>
#include <stdlib.h>

#include "heap.h"

static const gct_shape node3 = GCT_SHAPE("node3", 3, 0);
static const gct_shape pair1 = GCT_SHAPE("pair1", 1, 0);

static void build_tree(gct_heap *h, long n)
{
    gct_new(h, &node3);
    long rest = n - 1, nl = rest - rest / 2, nr = rest / 2;
    for (uint32_t side = 0; side < 2; side++) {
        long m = side ? nr : nl;
        if (!m)
            continue;
        build_tree(h, m);
        size_t d = gct_root_depth(h);
        gct_obj *child = gct_root_get(h, d - 1), *parent = gct_root_get(h, d - 2);
        gct_store(h, parent, side, child);
        gct_store(h, child, 2, parent);
        gct_root_pop(h);
    }
}

static int first = 1;

static void on_event(void *ud, gct_event_phase ph, const gct_event_info *info)
{
    (void)ud;
    if (ph == GCT_EVENT_STOP) {
        printf("%s%lld", first ? "[" : ", ", (long long)info->collected);
        first = 0;
    }
}

/* P(): allocate, then the safepoint at the RESUME of __init__. */
static gct_obj *python_new(gct_heap *h)
{
    gct_obj *o = gct_new(h, &pair1);
    gct_heap_set_frame_object(h, o);
    gct_heap_safepoint(h);
    gct_heap_set_frame_object(h, NULL);
    return o;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: incremental-churn N ROUNDS [KNOB=VALUE...]\n");
        return 2;
    }
    long n = atol(argv[1]), rounds = atol(argv[2]);
    char err[256];
    gct_heap *h = gct_heap_new("gencycle314", (const char *const *)argv + 3, (size_t)argc - 3,
                               err, sizeof err);
    if (!h || n < 1 || rounds < 1) {
        fprintf(stderr, "incremental-churn: %s\n", h ? "N and ROUNDS must be positive" : err);
        return 2;
    }
    gct_heap_set_enabled(h, false);
    build_tree(h, n);
    gct_heap_set_enabled(h, true);
    gct_heap_collect(h, GCT_GEN_FULL);
    gct_heap_set_event_fn(h, on_event, NULL);
    for (long r = 0; r < rounds; r++)
        for (int i = 0; i < 1001; i++) {
            gct_obj *a = python_new(h);
            gct_obj *b = python_new(h);
            gct_store(h, a, 0, b);
            gct_store(h, b, 0, a);
            gct_root_pop(h);
            gct_root_pop(h);
        }
    printf("%s]\n", first ? "[" : "");
    gct_heap_destroy(h);
    return 0;
}
