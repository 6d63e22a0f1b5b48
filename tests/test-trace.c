/* test-trace.c — heap-operation traces (harness/trace.h, docs/traces.md):
 * reading and refusing them with FILE:LINE, replaying them on gencycle with
 * counts worked out by hand, the JSON's exact form, and the embedded CPython
 * 3.11 collector agreeing with gencycle on the same trace. */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "heap.h"
#include "trace.h"

static char path[64];

static void write_trace(const char *body)
{
    snprintf(path, sizeof path, "/tmp/gct-trace-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(body, f);
    fclose(f);
}

/* The error of a trace that must be refused; "" if it was read. */
static const char *refusal(const char *body)
{
    static char err[512];
    write_trace(body);
    gct_trace t;
    err[0] = 0;
    if (gct_trace_load(&t, path, err, sizeof err) == 0)
        gct_trace_free(&t);
    unlink(path);
    return err;
}

static void expect_refused(const char *body, int line, const char *what)
{
    const char *err = refusal(body);
    char where[96];
    snprintf(where, sizeof where, "%s:%d: ", path, line);
    cr_assert(!strncmp(err, where, strlen(where)), "'%s' does not start with '%s'", err, where);
    cr_assert(strstr(err, what), "'%s' lacks '%s'", err, what);
}

Test(read, bad_traces_are_refused_naming_file_line_and_value)
{
    expect_refused("gctune-trace 2\nnew 1\n", 1, "'gctune-trace 1'");
    expect_refused("new 1\n", 1, "'gctune-trace 1'");
    expect_refused("gctune-trace 1\nfrob 1\n", 2, "unknown operation 'frob'");
    expect_refused("gctune-trace 1\nnew\n", 2, "'new' takes 1 field, got 0");
    expect_refused("gctune-trace 1\nnew 0x1\n", 2, "'0x1' is not a decimal integer");
    expect_refused("gctune-trace 1\nnew +1\n", 2, "'+1' is not a decimal integer");
    expect_refused("gctune-trace 1\nnew 4194305\n", 2,
                   "new: 4194305 slots (a container has 1 to 4194304)");
    expect_refused("gctune-trace 1\nnew 0\n", 2, "new: 0 slots");
    expect_refused("gctune-trace 1\nnew 1\n\n# c\nstore 0 0 3\n", 5,
                   "position 3 is not on the root stack (depth 1)");
    expect_refused("gctune-trace 1\nnew 2\nstore -1 2 0\n", 3, "slot 2 is outside");
    expect_refused("gctune-trace 1\natom\nstore 0 0 -\n", 3, "holds an atom");
    expect_refused("gctune-trace 1\nnew 1\nload 0 0\nload -1 0\n", 4, "holds None");
    expect_refused("gctune-trace 1\nnew 1\npop 2\n", 3, "pop: 2 roots, but the root stack holds 1");
    expect_refused("gctune-trace 1\ncollect 3\n", 2, "generation 3");
    expect_refused("gctune-trace 1\nthreshold -1\n", 2, "-1 is outside");
    /* The dry run follows the graph: a slot loaded back is the object stored. */
    GCT_ASSERT_STR_EQ(refusal("gctune-trace 1\nnew 1\nnew 2\nstore 0 0 1\nload 0 0\n"
                              "store -1 1 0\npop 3\n"),
                      "");
}

static void replay(const char *collector, const char *body, gct_replay *r)
{
    char err[512];
    write_trace(body);
    gct_trace t;
    GCT_ASSERT_EQ(gct_trace_load(&t, path, err, sizeof err), 0, "%s", err);
    unlink(path);
    gct_heap *h = gct_test_heap(collector);
    GCT_ASSERT_EQ(gct_trace_replay(&t, h, r, err, sizeof err), 0, "%s", err);
    gct_trace_free(&t);
    gct_test_heap_done(h);
}

/* threshold 3: the 4th container allocation (line 9) makes count[0] 4 > 3
 * and collects generation 0 before the object exists: 3 allocations
 * completed, the first cycle (2) is garbage, the 3rd object survives into
 * generation 1.  Lines 10-12 make objects 3 and 4 a garbage cycle across
 * generations 1 and 0; the atom is never counted; collect(1) at line 16
 * merges generation 0 into 1 (objects 3, 4 and the `new 2`) and frees the
 * cycle. */
Test(replay, cycles_collected_at_the_allocation_that_crosses_the_threshold)
{
    gct_replay r;
    replay("gencycle",
           "gctune-trace 1\nthreshold 3\n"
           "new 1\nnew 1\nstore 0 0 1\nstore 1 0 0\npop 2\n"
           "new 1\nnew 1\nstore 0 0 1\nstore 1 0 0\npop 2\n"
           "atom\nnew 2\nsafepoint\ncollect 1\n",
           &r);
    GCT_ASSERT_EQ(r.n, 2);
    GCT_ASSERT_EQ(r.c[0].op, 9);
    GCT_ASSERT_EQ(r.c[0].alloc, 3);
    GCT_ASSERT_EQ(r.c[0].generation, 0);
    GCT_ASSERT_EQ(r.c[0].collected, 2);
    GCT_ASSERT_EQ(r.c[0].examined, 3);
    GCT_ASSERT_EQ(r.c[1].op, 16);
    GCT_ASSERT_EQ(r.c[1].alloc, 6); /* 5 containers and the atom */
    GCT_ASSERT_EQ(r.c[1].generation, 1);
    GCT_ASSERT_EQ(r.c[1].collected, 2);
    GCT_ASSERT_EQ(r.c[1].examined, 3);
    GCT_ASSERT_EQ(r.count[0], 0);
    GCT_ASSERT_EQ(r.count[1], 0);
    GCT_ASSERT_EQ(r.count[2], 1);
    GCT_ASSERT_EQ(r.stats[0].collections, 1);
    GCT_ASSERT_EQ(r.stats[0].collected, 2);
    GCT_ASSERT_EQ(r.stats[1].collections, 1);
    GCT_ASSERT_EQ(r.stats[1].collected, 2);
    gct_replay_free(&r);
}

Test(replay, the_json_is_pythons_json_dumps_indent_2)
{
    gct_replay r;
    replay("gencycle", "gctune-trace 1\nnew 1\ndup 0\nstore 0 0 1\npop 2\ncollect 0\n", &r);
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    gct_replay_print_json(f, &r, false);
    fclose(f);
    GCT_ASSERT_STR_EQ(buf, "{\n  \"collections\": [\n    {\n      \"op\": 6,\n      \"alloc\": 1,\n"
                           "      \"generation\": 0,\n      \"collected\": 1,\n"
                           "      \"uncollectable\": 0\n    }\n  ],\n  \"count\": [\n    0,\n"
                           "    1,\n    0\n  ],\n  \"stats\": [\n    {\n      \"collections\": 1,\n"
                           "      \"collected\": 1,\n      \"uncollectable\": 0\n    },\n    {\n"
                           "      \"collections\": 0,\n      \"collected\": 0,\n"
                           "      \"uncollectable\": 0\n    },\n    {\n      \"collections\": 0,\n"
                           "      \"collected\": 0,\n      \"uncollectable\": 0\n    }\n  ]\n}\n");
    free(buf);
    gct_replay_free(&r);
}

Test(replay, freeze_on_a_collector_without_it_names_the_line)
{
    char err[512];
    write_trace("gctune-trace 1\nnew 1\nfreeze\n");
    gct_trace t;
    GCT_ASSERT_EQ(gct_trace_load(&t, path, err, sizeof err), 0, "%s", err);
    unlink(path);
    gct_heap *h = gct_test_heap("marksweep");
    gct_replay r;
    GCT_ASSERT_EQ(gct_trace_replay(&t, h, &r, err, sizeof err), -1);
    cr_assert(strstr(err, ":3: freeze: marksweep has no gc.freeze"), "%s", err);
    gct_replay_free(&r);
    gct_trace_free(&t);
    gct_test_heap_done(h);
}

/* The embedded real collector and the model on one trace with every kind of
 * operation: the same collections and end state. */
Test(replay, the_embedded_cpython_and_gencycle_agree)
{
    if (!gct_collector_find("cpython"))
        cr_skip_test("the cpython backend is not built here (python3-dev 3.11)");
    const char *body = "gctune-trace 1\nthreshold 5 2 2\n"
                       "new 2\nnew 1\nstore 0 0 1\nstore 1 0 0\natom\nstore 0 1 -1\npop 2\n"
                       "new 1\nnew 1\nnew 1\nstore 0 0 1\nstore 1 0 2\nstore 2 0 0\npop 3\n"
                       "new 3\nload 0 0\nnew 1\nnew 1\nstore -1 0 -2\nstore -2 0 -1\npop 2\n"
                       "collect 0\nfreeze\nnew 1\nnew 1\nstore 0 0 1\npop 2\nunfreeze\n"
                       "disable\nnew 1\nnew 1\nnew 1\nnew 1\nnew 1\nnew 1\nenable\nnew 1\n"
                       "collect 2\n";
    gct_replay a, b;
    replay("gencycle", body, &a);
    replay("cpython", body, &b);
    GCT_ASSERT_EQ(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        GCT_ASSERT_EQ(a.c[i].op, b.c[i].op, "collection %zu", i);
        GCT_ASSERT_EQ(a.c[i].alloc, b.c[i].alloc, "collection %zu", i);
        GCT_ASSERT_EQ(a.c[i].generation, b.c[i].generation, "collection %zu", i);
        GCT_ASSERT_EQ(a.c[i].collected, b.c[i].collected, "collection %zu", i);
        GCT_ASSERT_EQ(a.c[i].examined, b.c[i].examined, "collection %zu", i);
        GCT_ASSERT_EQ(a.c[i].traversed, b.c[i].traversed, "collection %zu", i);
    }
    for (int g = 0; g < 3; g++) {
        GCT_ASSERT_EQ(a.count[g], b.count[g], "count[%d]", g);
        GCT_ASSERT_EQ(a.stats[g].collections, b.stats[g].collections, "generation %d", g);
        GCT_ASSERT_EQ(a.stats[g].collected, b.stats[g].collected, "generation %d", g);
    }
    GCT_ASSERT_GT(a.n, 3);
    gct_replay_free(&a);
    gct_replay_free(&b);
}

/* set and none, the operations `gctune run --trace` needs to keep the trace's
 * root stack the workload's: refused off the stack like the others, and
 * followed by the dry run (a root set to None is None). */
Test(read, set_and_none_are_checked_like_the_other_operations)
{
    expect_refused("gctune-trace 1\nnew 1\nset 0 1\n", 3,
                   "set: position 1 is not on the root stack (depth 1)");
    expect_refused("gctune-trace 1\nnew 1\nset -2 0\n", 3,
                   "set: position -2 is not on the root stack (depth 1)");
    expect_refused("gctune-trace 1\nset 0 -\n", 2, "set: position 0 is not on the root stack");
    expect_refused("gctune-trace 1\nnew 1\nset 0\n", 3, "'set' takes 2 fields, got 1");
    expect_refused("gctune-trace 1\nnone 1\n", 2, "'none' takes 0 fields, got 1");
    expect_refused("gctune-trace 1\nnew 1\nnone\nstore -1 0 0\n", 4, "position -1 holds None");
    expect_refused("gctune-trace 1\nnew 1\nnew 1\nset 0 -\nload 0 0\n", 5,
                   "position 0 holds None");
    expect_refused("gctune-trace 1\nfrob\n", 2, "safepoint, set, none, tuple)");
    GCT_ASSERT_STR_EQ(refusal("gctune-trace 1\nnew 1\nnone\nset 1 0\nstore 1 0 0\n"
                              "set -1 -\npop 2\n"),
                      "");
}

/* A container of more than 8 slots has them all, each a slot like any. */
Test(read, a_big_container_has_every_slot)
{
    expect_refused("gctune-trace 1\nnew 1000\nstore 0 1000 0\n", 3,
                   "store: slot 1000 is outside the object at position 0 (slots 0..999)");
    expect_refused("gctune-trace 1\nnew 16\nnew 1\nstore 0 15 1\nload 0 15\nload -1 0\n"
                   "load -1 0\n",
                   7, "position -1 holds None");
    GCT_ASSERT_STR_EQ(refusal("gctune-trace 1\nnew 4194304\nstore 0 4194303 0\n"
                              "load 0 4194303\npop 2\n"),
                      "");
}

/* roots[0] = None leaves the cycle a <-> b held by nothing once b's own root
 * is popped; `none` allocates nothing and counts nothing. */
Test(replay, set_and_none_drop_and_keep_references)
{
    gct_replay r;
    replay("gencycle",
           "gctune-trace 1\nthreshold 3\n"
           "new 1\nnone\nnew 1\nstore 0 0 2\nstore 2 0 0\nset 1 2\nset 0 -\npop\n"
           "set 1 -\nnone\nnew 1\nnew 1\ncollect 0\n",
           &r);
    GCT_ASSERT_EQ(r.n, 2);
    GCT_ASSERT_EQ(r.c[0].op, 14); /* the 4th allocation */
    GCT_ASSERT_EQ(r.c[0].alloc, 3);
    GCT_ASSERT_EQ(r.c[0].collected, 2);
    GCT_ASSERT_EQ(r.c[1].op, 15);
    GCT_ASSERT_EQ(r.c[1].collected, 0);
    gct_replay_free(&r);
}

/* A big container is one tracked object: it counts once toward the
 * threshold and is collected as one. */
Test(replay, a_big_container_counts_once)
{
    gct_replay r;
    replay("gencycle",
           "gctune-trace 1\nthreshold 2\n"
           "new 1000\nnew 16\nstore 0 999 1\nstore 1 15 0\npop 2\nnew 1\n",
           &r);
    GCT_ASSERT_EQ(r.n, 1);
    GCT_ASSERT_EQ(r.c[0].op, 8);
    GCT_ASSERT_EQ(r.c[0].alloc, 2);
    GCT_ASSERT_EQ(r.c[0].collected, 2);
    GCT_ASSERT_EQ(r.c[0].examined, 2);
    GCT_ASSERT_EQ(r.c[0].traversed, 4); /* 2 references, visited twice (gencycle-work) */
    gct_replay_free(&r);
}
