/*
 * test-cpython-twins.c — the cpython backend's twins: every container has a
 * tracked Python twin of type gctune.object, real weak references to twins
 * die with their object, dead twins leave the interpreter's lists,
 * freeze/unfreeze move only gctune's objects, one heap per process, the
 * interpreter starts clean each time.
 *
 * Without the backend (no python3-dev) this program has no tests.
 *
 * The heaps, traces, outcomes and programs these tests share, and running
 * the gctune command: common/cpython_common.h.
 *
 * No test here sets Criterion's .timeout (meson's 900 s covers them): with
 * two such tests running at once, Criterion 2.4's runner leaks a 48-byte
 * block that LeakSanitizer reports in the ASan build, failing the program.
 */
#define _POSIX_C_SOURCE 200809L
#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif

#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector.h"
#include "heap.h"
#include "rng.h"
#include "validate.h"
#include "workload.h"

#include "cpython_common.h"

#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON

/* ---- twins ------------------------------------------------------------------------------ */

/* Live gctune.object instances the interpreter tracks in generation g
 * (g == -1: all generations). */
static Py_ssize_t twins_in(int g)
{
    PyGILState_STATE s = PyGILState_Ensure();
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *objs = g < 0 ? PyObject_CallMethod(gc, "get_objects", NULL)
                           : PyObject_CallMethod(gc, "get_objects", "i", g);
    cr_assert(objs, "gc.get_objects failed");
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(objs); i++)
        n += !strcmp(Py_TYPE(PyList_GET_ITEM(objs, i))->tp_name, "gctune.object");
    Py_DECREF(objs);
    Py_DECREF(gc);
    PyGILState_Release(s);
    return n;
}

static long py_long(const char *expr)
{
    PyGILState_STATE s = PyGILState_Ensure();
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *r = PyObject_CallMethod(gc, expr, NULL);
    cr_assert(r, "gc.%s() failed", expr);
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    Py_DECREF(gc);
    PyGILState_Release(s);
    return v;
}

/*
 * The backend's verifier fails if anything but gctune's twins took part in a
 * collection.  The first calls into the gc module leave objects behind (the
 * argument parser caches a tuple of keyword names), so the tests that call
 * it make those calls once on a throwaway heap: the next heap's clean state
 * freezes what they left.
 */
static void warm_up(void)
{
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    (void)twins_in(0);
    (void)twins_in(-1);
    (void)py_long("get_freeze_count");
    gct_heap_destroy(h);
}

Test(twins, every_container_has_a_tracked_twin_and_atoms_none)
{
    warm_up();
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    GCT_ASSERT_EQ(twins_in(-1), 0, "the interpreter starts with gctune objects tracked");
    for (int i = 0; i < 50; i++) {
        gct_new(h, &pair);
        gct_new(h, &atom);
    }
    gct_weakref_new(h, gct_root_get(h, 0));
    /* Twins are made when a collection may look: collect(0) moves all 51
     * containers to generation 1. */
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
    gct_test_verify(h);
    GCT_ASSERT_EQ(twins_in(0), 0);
    GCT_ASSERT_EQ(twins_in(1), 51);
    GCT_ASSERT_EQ(twins_in(-1), 51);
    gct_heap_destroy(h);
}

Test(twins, one_heap_at_a_time_and_a_clean_start_each_time)
{
    warm_up();
    gct_heap *h = heap3("cpython", 5, 10, 10, NULL);
    char err[256];
    cr_assert_null(gct_heap_new("cpython", NULL, 0, err, sizeof err),
                   "a second cpython heap was created while the first lives");
    cr_assert(strstr(err, "cpython"), "%s", err);
    for (int i = 0; i < 100; i++)
        gct_new(h, &node);
    GCT_ASSERT_GT(gct_heap_stats(h)[0].collections, 0);
    gct_heap_destroy(h);
    /* The next heap starts from the clean state again. */
    trace t;
    h = heap3("cpython", 700, 10, 10, &t);
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 0);
    GCT_ASSERT_EQ(gct_heap_counts(h)[1], 0);
    GCT_ASSERT_EQ(gct_heap_counts(h)[2], 0);
    for (int g = 0; g < 3; g++) {
        GCT_ASSERT_EQ(gct_heap_stats(h)[g].collections, 0, "generation %d", g);
        GCT_ASSERT_EQ(gct_heap_stats(h)[g].collected, 0, "generation %d", g);
    }
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    GCT_ASSERT_EQ(twins_in(-1), 0, "twins of the destroyed heap are still tracked");
    GCT_ASSERT_EQ(gct_heap_collect(h, 2), 0);
    GCT_ASSERT_EQ(t.n, 1);
    gct_heap_destroy(h);
    free(t.r);
}

Test(twins, a_real_weak_reference_to_a_twin_dies_with_its_cycle)
{
    warm_up();
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    gct_obj *a = gct_new(h, &node);
    gct_obj *b = gct_new(h, &node);
    gct_store(h, a, 0, b);
    gct_store(h, b, 0, a);
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0); /* both twins now in generation 1 */
    PyGILState_STATE s = PyGILState_Ensure();
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *objs = PyObject_CallMethod(gc, "get_objects", "i", 1);
    cr_assert(objs && PyList_GET_SIZE(objs) == 2);
    PyObject *wr = PyWeakref_NewRef(PyList_GET_ITEM(objs, 0), NULL);
    cr_assert(wr, "a gctune twin is not weakly referenceable");
    /* The weak reference object is the test's, not the workload's: keep it
     * out of the generations the heap compares with its model. */
    PyObject_GC_UnTrack(wr);
    Py_DECREF(objs);
    cr_assert(PyWeakref_GetObject(wr) != Py_None);
    PyGILState_Release(s);

    gct_root_pop(h);
    gct_root_pop(h);
    gct_test_verify(h);
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 2, "the dropped cycle was not collected");
    gct_test_verify(h);
    s = PyGILState_Ensure();
    cr_assert(PyWeakref_GetObject(wr) == Py_None, "the weak reference outlived its object");
    Py_DECREF(wr);
    Py_DECREF(gc);
    PyGILState_Release(s);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    gct_heap_destroy(h);
}

Test(twins, refcount_frees_leave_the_lists_before_the_collector_looks)
{
    warm_up();
    trace t;
    gct_heap *h = heap3("cpython", 700, 10, 10, &t);
    for (int i = 0; i < 40; i++)
        gct_new(h, &pair);
    GCT_ASSERT_EQ(gct_heap_collect(h, 0), 0);
    GCT_ASSERT_EQ(twins_in(1), 40);
    /* Reference counting frees 30 of them; their twins are dead but still
     * listed until generation 1 is collected. */
    for (int i = 0; i < 30; i++)
        gct_root_pop(h);
    gct_test_verify(h);
    GCT_ASSERT_EQ(gct_heap_collect(h, 1), 0);
    gct_test_verify(h);
    fill_examined(&t);
    GCT_ASSERT_EQ(t.r[1].examined, 10, "the collector looked at %" PRId64 " objects, 10 live",
                  t.r[1].examined);
    GCT_ASSERT_EQ(twins_in(-1), 10);
    gct_heap_destroy(h);
    free(t.r);
}

Test(twins, freeze_and_unfreeze_move_only_gctune_objects)
{
    warm_up();
    gct_heap *h = heap3("cpython", 700, 10, 10, NULL);
    long interp = py_long("get_freeze_count");
    GCT_ASSERT_GT(interp, 100, "the interpreter's own objects are not frozen (%ld)", interp);
    for (int i = 0; i < 25; i++)
        gct_new(h, &node);
    GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 25);
    GCT_ASSERT_EQ(py_long("get_freeze_count"), interp + 25);
    GCT_ASSERT_EQ(gct_heap_counts(h)[0], 0);
    GCT_ASSERT_EQ(gct_heap_counts(h)[1], 0);
    GCT_ASSERT_EQ(gct_heap_counts(h)[2], 0);
    gct_root_truncate(h, 20); /* five frozen objects die by reference counting */
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 20);
    GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_OK);
    gct_test_verify(h);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    GCT_ASSERT_EQ(py_long("get_freeze_count"), interp, "unfreeze thawed the interpreter's objects");
    GCT_ASSERT_EQ(twins_in(2), 20);
    gct_heap_destroy(h);
}

Test(twins, a_long_garbage_ring_is_freed_without_deep_recursion)
{
    const char *env = getenv("GCT_CHAIN_LEN");
    int64_t n = env ? atoll(env) : 1000000;
    gct_heap *h = heap3("cpython", 0, 10, 10, NULL);
    gct_heap_set_verify_each(h, false);
    gct_obj *first = gct_new(h, &node);
    (void)first;
    for (int64_t i = 1; i < n; i++) {
        gct_new(h, &node);
        gct_store(h, gct_root_get(h, 1), 0, gct_root_get(h, 0));
        gct_root_set(h, 0, gct_root_get(h, 1));
        gct_root_pop(h);
    }
    /* roots[0] is the last node; close the ring back to the first, which
     * only the chain holds now: walk to it without allocating. */
    gct_obj *x = gct_root_get(h, 0);
    while (gct_load(x, 0))
        x = gct_load(x, 0);
    gct_store(h, x, 0, gct_root_get(h, 0));
    gct_root_pop(h);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), n);
    GCT_ASSERT_EQ(gct_heap_collect(h, 2), n);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    gct_test_heap_done(h);
}

Test(twins, disabled_collection_counts_on_and_explicit_collection_works)
{
    outcome m, r;
    for (int b = 0; b < 2; b++) {
        outcome *o = b ? &r : &m;
        memset(o, 0, sizeof *o);
        gct_heap *h = heap3(b ? "cpython" : "gencycle", 10, 10, 10, &o->t);
        gct_heap_set_enabled(h, false);
        p_cycles(h, 100, o);
        GCT_ASSERT_EQ(o->t.n, 0, "a collection ran while disabled");
        GCT_ASSERT_EQ(gct_heap_counts(h)[0], 200);
        GCT_ASSERT_EQ(gct_heap_collect(h, 0), 200);
        gct_heap_set_enabled(h, true);
        p_cycles(h, 30, o);
        finish(h, o);
        gct_heap_destroy(h);
    }
    assert_same(&m, &r, "disabled then enabled");
    outcome_free(&m);
    outcome_free(&r);
}

#endif
