/*
 * test-trace-recorder.c — the recorder of `gctune run --trace`
 * (harness/trace_record.c) on workloads of its own, each operation written
 * to make it do one thing: the gc calls no registered workload makes
 * (thresholds, disable/enable, collect, freeze), a root pushed as None and
 * set in place, a safepoint after a store, an object reached through a
 * chain of loads, one whose remembered slot no longer holds it (found by the
 * search from the roots), a container of more than 8 slots; and what it
 * must refuse: an object no root reaches, a weak reference, a knob other
 * than a threshold.
 *
 * This file is a recording build itself: meson compiles it with
 * GCT_RECORDING, so the workloads below report every heap operation, as
 * workloads/meson.build's second build of the registered ones does.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "collector.h"
#include "gct_test_run.h"
#include "config.h"
#include "trace.h"
#include "trace_record.h"

#ifndef GCT_RECORDING
#error "test-trace-recorder.c must be compiled with GCT_RECORDING (tests/meson.build)"
#endif

static const gct_shape node = GCT_SHAPE("node", 2, 8);
static const gct_shape atom = GCT_SHAPE("atom", 0, 8);
static const gct_shape table = GCT_SHAPE("table", 16, 0);

enum { CHAIN = 12, T_CHAIN = 3, T_ATOM = 4, T_SIDE = 8 };

/* Root 0 is a 16-slot table; slot 3 starts a chain of CHAIN nodes linked
 * through slot 0 (only the table is a root), slot 4 holds an atom. */
static int chain_setup(gct_workload_run *r, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    gct_heap *h = r->h;
    gct_wl_new(h, &table);
    gct_wl_new(h, &node);
    gct_store(h, gct_root_get(h, 0), T_CHAIN, gct_root_top(h));
    for (int k = 1; k < CHAIN; k++) {
        gct_wl_new(h, &node); /* roots: table, last, new */
        gct_store(h, gct_root_get(h, 1), 0, gct_root_get(h, 2));
        gct_root_set(h, 1, gct_root_get(h, 2));
        gct_root_pop(h);
    }
    gct_root_pop(h);
    gct_wl_new(h, &atom);
    gct_store(h, gct_root_get(h, 0), T_ATOM, gct_root_top(h));
    gct_root_pop(h);
    return GCT_OK;
}

/* The k-th node of the chain, by loads (no allocation may follow). */
static gct_obj *nth(gct_heap *h, int k)
{
    gct_obj *x = gct_load(gct_root_get(h, 0), T_CHAIN);
    for (int i = 0; i < k; i++)
        x = gct_load(x, 0);
    return x;
}

static void hooks_op(gct_workload_run *r)
{
    gct_heap *h = r->h;
    size_t top = gct_root_depth(h);
    char err[256];
    switch (r->ops % 3) {
    case 0: /* threshold, disable, garbage, enable: the next allocation collects */
        cr_assert(gct_heap_set_knob(h, "gen0", 5, err, sizeof err) == 0, "%s", err);
        gct_heap_set_enabled(h, false);
        for (int k = 0; k < 3; k++) {
            gct_wl_new(h, &node);
            gct_wl_new(h, &node);
            gct_store(h, gct_root_get(h, top), 0, gct_root_get(h, top + 1));
            gct_store(h, gct_root_get(h, top + 1), 0, gct_root_get(h, top));
            gct_root_truncate(h, top);
        }
        gct_heap_set_enabled(h, true);
        gct_wl_new(h, &node);
        gct_root_pop(h);
        break;
    case 1: { /* deep in the chain, then a remembered slot that lies */
        gct_wl_new(h, &atom);
        gct_store(h, nth(h, 9), 1, gct_root_top(h)); /* 10 loads */
        gct_root_pop(h);
        gct_obj *x = nth(h, 6);
        gct_store(h, gct_root_get(h, 0), T_SIDE, x); /* x: table[8] */
        gct_store(h, nth(h, 2), 1, x);               /* x remembered at node 2, slot 1 */
        gct_store(h, nth(h, 2), 1, NULL);            /* ...which lets go: only table[8] */
        gct_heap_safepoint(h);                       /* the trace pops its loads */
        gct_store(h, x, 1, gct_load(gct_root_get(h, 0), T_ATOM)); /* found by the search */
        gct_store(h, gct_root_get(h, 0), T_SIDE, NULL);
        break;
    }
    default: /* collect, freeze, None and root sets, a safepoint after a store */
        gct_heap_collect(h, 1);
        cr_assert(gct_heap_freeze(h) == 0);
        cr_assert(gct_heap_unfreeze(h) == 0);
        gct_root_push(h, NULL);
        gct_root_set(h, top, gct_root_get(h, 0));
        gct_root_push(h, gct_load(gct_root_get(h, 0), T_CHAIN));
        gct_root_set(h, top, nth(h, 3));
        gct_root_push(h, nth(h, 5));
        gct_store(h, gct_root_top(h), 1, gct_root_get(h, top));
        gct_heap_safepoint(h);
        gct_store(h, gct_root_top(h), 1, NULL);
        gct_root_truncate(h, top);
        gct_heap_collect(h, GCT_GEN_FULL);
        break;
    }
}

static bool yes(gct_workload_run *r, char *err, size_t errlen)
{
    (void)r, (void)err, (void)errlen;
    return true;
}

static void nothing(gct_workload_run *r) { (void)r; }

#define WORKLOAD(name_, setup_, op_)                                                        \
    {                                                                                       \
        .abi = GCT_WORKLOAD_ABI, .name = name_, .summary = "test-trace-recorder",           \
        .preset_ops = {1, 1, 1}, .setup = setup_, .op = op_, .check = yes,                  \
        .teardown = nothing                                                                 \
    }

static const gct_workload hooks = WORKLOAD("hooks", chain_setup, hooks_op);

/* A cycle the workload still points into once no root reaches it. */
static void unreachable_op(gct_workload_run *r)
{
    gct_heap *h = r->h;
    size_t top = gct_root_depth(h);
    gct_wl_new(h, &node);
    gct_wl_new(h, &node);
    gct_store(h, gct_root_get(h, top), 0, gct_root_get(h, top + 1));
    gct_store(h, gct_root_get(h, top + 1), 0, gct_root_get(h, top));
    gct_obj *a = gct_root_get(h, top);
    gct_root_truncate(h, top);
    gct_heap_safepoint(h); /* the trace's pops are written: a is on no stack */
    gct_store(h, a, 1, NULL);
}
static const gct_workload unreachable = WORKLOAD("unreachable", chain_setup, unreachable_op);

static void weak_op(gct_workload_run *r)
{
    gct_wl_weakref_new(r->h, gct_root_get(r->h, 0));
    gct_root_pop(r->h);
}
static const gct_workload weak = WORKLOAD("weak", chain_setup, weak_op);

static void knob_op(gct_workload_run *r)
{
    char err[128];
    gct_heap_set_knob(r->h, "cascade", 5, err, sizeof err);
}
static const gct_workload knob = WORKLOAD("knob", chain_setup, knob_op);

static char dir[] = "/tmp/gct-recorder-XXXXXX";
static char trace_path[128], coll_path[128];

static int record(const gct_workload *wl, int64_t ops, char *err, size_t errlen)
{
    cr_assert(mkdtemp(dir));
    snprintf(trace_path, sizeof trace_path, "%s/t.trace", dir);
    snprintf(coll_path, sizeof coll_path, "%s/c.json", dir);
    gct_config c;
    gct_config_init(&c, gct_collector_find("gencycle"), wl);
    c.ops = ops;
    gct_config_make_id(&c);
    gct_trace_record_opts o = {.trace = trace_path, .collections = coll_path};
    gct_trace_record_result res;
    return gct_trace_record_with(&c, wl, &o, &res, err, errlen);
}

/* Nothing left in the directory (the files, or their temporaries). */
static void expect_empty_dir(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s)\"", dir);
    cr_assert(system(cmd) == 0, "%s is not empty", dir);
    rmdir(dir);
}

static void cleanup(void)
{
    unlink(trace_path);
    unlink(coll_path);
    rmdir(dir);
}

Test(recorder, every_kind_of_operation_replays_as_it_ran)
{
    char err[1024];
    GCT_ASSERT_EQ(record(&hooks, 6, err, sizeof err), GCT_EXIT_OK, "%s", err);
    char *text = gct_test_slurp(trace_path), *live = gct_test_slurp(coll_path);
    static const char *const want[] = {
        "\nnew 16\n", "\natom\n", "\nthreshold 5 10 10\n", "\ndisable\n", "\nenable\n",
        "\ncollect 1\n", "\nfreeze\n", "\nunfreeze\n", "\nnone\n", "\nset ", "\ncollect 2\n",
        "\nsafepoint\n", "\n# operation 6\n", "\nload 0 3\n",
    };
    /* x is first named by the loads of the walk to node 9; once the trace
     * has popped them, the slot it was last stored into (node 2's) lets go,
     * and only the search from the roots finds it, through table[8]: once
     * in each such operation. */
    int side = 0;
    for (const char *p = text; (p = strstr(p, "\nload 0 8\n")); p++)
        side++;
    GCT_ASSERT_EQ(side, 2, "%s", text);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert(strstr(text, want[i]), "the trace lacks '%s':\n%s", want[i] + 1, text);

    gct_trace t;
    GCT_ASSERT_EQ(gct_trace_load(&t, trace_path, err, sizeof err), 0, "%s", err);
    gct_heap *h = gct_test_heap("gencycle");
    gct_replay r;
    GCT_ASSERT_EQ(gct_trace_replay(&t, h, &r, err, sizeof err), 0, "%s", err);
    char *json;
    size_t len;
    FILE *f = open_memstream(&json, &len);
    gct_replay_print_json(f, &r, true);
    fclose(f);
    GCT_ASSERT_STR_EQ(json, live);
    GCT_ASSERT_GEQ(r.n, 6); /* one automatic and two explicit in every 3 operations */
    free(json);
    gct_replay_free(&r);
    gct_trace_free(&t);
    gct_test_heap_done(h);
    free(text);
    free(live);
    cleanup();
}

static void expect_refused(const gct_workload *wl, const char *what)
{
    char err[1024];
    GCT_ASSERT_EQ(record(wl, 2, err, sizeof err), GCT_EXIT_USAGE);
    cr_assert(strstr(err, what), "'%s' lacks '%s'", err, what);
    char name[64];
    snprintf(name, sizeof name, "workload %s", wl->name);
    cr_assert(strstr(err, name), "'%s' does not name the workload", err);
    expect_empty_dir();
}

Test(recorder, an_object_no_root_reaches_is_refused)
{
    expect_refused(&unreachable, "in operation 1 stores into an object (node) that no root "
                                 "reaches");
}

Test(recorder, weak_references_are_refused)
{
    expect_refused(&weak, "makes weak references (in operation 1)");
}

Test(recorder, a_knob_other_than_a_threshold_is_refused)
{
    expect_refused(&knob, "sets the knob cascade");
}
