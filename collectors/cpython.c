/*
 * cpython.c — the real CPython 3.11 cycle collector, embedded: ground truth
 * for gencycle's model (`gctune validate` runs the same workloads on both).
 *
 * The object layout question.  object.h fixes what every backend shares: the
 * 16-byte header {uint32 refcnt, flags, sizeclass, spare; shape}, slots after
 * it, memory from the heap's pool, and inline hot paths that touch only that
 * header.  A PyObject is {Py_ssize_t ob_refcnt; PyTypeObject *ob_type} with its
 * PyGC_Head right before it.  The two cannot be one object: word 1 would have
 * to be both the workload's gct_shape (workloads compare o->shape with their
 * own static shapes) and the type the collector calls tp_traverse through,
 * and word 0 would mix refcnt with the flags byte.  Nor can the PyObject live
 * in the prefix of the pool block: the heap frees blocks on its own (a decref to
 * zero, a cascade) and tells no backend, so a PyGC_Head in a freed block would
 * stay linked in CPython's generation lists.
 *
 * So every gctune container has a twin: a real Python object of the heap type
 * gctune.object (Py_TPFLAGS_HAVE_GC, weak-referenceable), allocated by
 * PyObject_GC_New and tracked in the interpreter's own generation lists.  Its
 * tp_traverse visits the twins of the gct object's slots, its tp_clear empties
 * the slots, its tp_dealloc untracks it, releases the slots and frees the gct
 * object.  The collector that decides is CPython's gc_collect_main, untouched.
 * Atomic objects (no slots) get no twin, as CPython's ints and strings are
 * never tracked.  gct weak references (weakref.c's shape) are tracked containers
 * that traverse nothing, as a weakref.ref without callback is.
 *
 *   gct block (pool):  [gct_link L][gct_obj header][slots][payload]
 *   twin (pymalloc):   [PyGC_Head][PyObject_HEAD][weaklist][gct_link cell][epoch]
 *
 * L and the twin's cell form a two-node ring while both live.  dealloc.c unlinks
 * L when it frees the gct object (h->hot.young is set, so gct__free does), which
 * leaves the cell pointing at itself: the twin knows its object died without
 * reading freed memory.  Such dead twins are taken out of the interpreter's
 * lists (and freed) when their generation is next collected, before CPython
 * looks at it.
 *
 * What follows the real interpreter and what mirrors the heap:
 *  - count[0]: the inline allocation path and gct__free keep h->hot.count[0] by
 *    CPython's rule (+1 per container allocation, -1 per container free but
 *    never below 0) and call collect_auto exactly when it passes threshold[0].
 *    Containers allocated since the last collection wait on h->hot.young (the
 *    pending list); collect_auto gives each a twin, in allocation order, so
 *    they join generation 0's tail in the order CPython would have tracked
 *    them, sets the interpreter's count[0] to one less than the heap's, and
 *    allocates one more twin with automatic collection enabled: CPython's own
 *    _PyObject_GC_Link counts it, finds count[0] > threshold[0] and runs
 *    gc_collect_generations, which chooses the generation (long-lived rule
 *    included) and collects.  Everywhere else the interpreter's automatic
 *    collection stays disabled, so it never runs at a moment of its choosing.
 *  - count[1], count[2], stats, long-lived counters: the interpreter's; the
 *    heap mirrors counts and stats after every collection.
 *  - reference counts: the inline paths keep gct refcnt; ob_refcnt is set
 *    from it for every twin of the collected generations when a collection
 *    starts (the only moment CPython reads it), and from then on the two move
 *    together: tp_clear and tp_dealloc drop a reference with Py_DECREF on the
 *    twin and a decrement of refcnt, and a twin dies when ob_refcnt reaches 0.
 *  - pauses: a C function in gc.callbacks (METH_FASTCALL, so no argument
 *    tuple) times from "start" to "stop" and records generation and collected
 *    count; "start" is also where dead twins are purged and ob_refcnt synced
 *    (not inside the pause).  The info dict the callbacks receive is a fresh
 *    GC allocation after a generation-2 collection has emptied the dict free
 *    list, leaving count[0] at 1 where the collector left 0: the stop
 *    callback puts it back.
 *
 * Before each heap the interpreter is brought to a clean state: automatic
 * collection off, gc.set_threshold(gen0, gen1, gen2), gc.collect();
 * gc.freeze(); gc.collect(), so its own objects sit in the permanent
 * generation and counts and long-lived counters start at 0.
 *
 * What this cannot check: count[0]'s rule is the heap's own code, shared with
 * gencycle, so `gctune validate` does not test it (the scripts in tests/oracle do, on
 * the real interpreter).  It could if the heap told the backend about frees
 * (then a twin would die with its object and PyObject_GC_Del would count) and
 * allocations (then PyObject_GC_New would).  Each collection also touches
 * twice the memory of a native one (twin -> gct object -> slot -> referent's
 * link -> referent's twin), which shows in the pauses.
 *
 * One heap at a time per process (the interpreter's collector is global);
 * gct_heap_new fails with GCT_EINVAL while another cpython heap exists.
 * The interpreter is initialised once (isolated, no site) and never
 * finalised.  Interpreter internals (pycore_gc.h: generation lists, counts,
 * thresholds, stats) are read directly, so the file is for CPython 3.11 only
 * (meson requires 3.11 and it is checked again at run time).
 */
#define PY_SSIZE_T_CLEAN
#define Py_BUILD_CORE 1
#include <Python.h>
#include <structmember.h>

#include <internal/pycore_interp.h>
#include <internal/pycore_pystate.h>

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal/backend.h"

/* gcc says __SANITIZE_ADDRESS__, clang __has_feature(address_sanitizer). */
#if defined(__SANITIZE_ADDRESS__)
#define CP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CP_ASAN 1
#endif
#endif

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030C0000
#error "collectors/cpython.c models CPython 3.11's collector and reads its internals"
#endif

enum { KNOB_GEN0, KNOB_GEN1, KNOB_GEN2, KNOB_CASCADE, KNOB_FREEZE };

static const gct_knob knobs[] = {
    [KNOB_GEN0] = {"gen0", 700, 0, 1000000000, "allocations",
                   "gc.set_threshold's first value: collect generation 0 when container "
                   "allocations minus frees exceed this (0 disables automatic collection)"},
    [KNOB_GEN1] = {"gen1", 10, 0, 1000000000, "collections",
                   "gc.set_threshold's second value: collect generation 1 after this many "
                   "generation-0 collections"},
    [KNOB_GEN2] = {"gen2", 10, 0, 1000000000, "collections",
                   "gc.set_threshold's third value: collect generation 2 after this many "
                   "generation-1 collections (and 25% pending long-lived objects)"},
    [KNOB_CASCADE] = {"cascade", 1000, 2, INT64_C(1000000000000), "objects",
                      "record a decref whose cascade frees at least this many objects as a pause"},
    [KNOB_FREEZE] = GCT_FREEZE_KNOB_ROW,
};

#define NGEN 3

typedef struct twin {
    PyObject_HEAD
    PyObject *weaklist;
    gct_link cell;  /* a ring with the gct object's prefix link; self-loop once it died */
    uint64_t epoch; /* the collection whose start set ob_refcnt from refcnt */
} twin;

typedef struct cpy {
    gct_heap *h;
    gct_link pending; /* h->hot.young: containers allocated since the last collection */
    struct _gc_runtime_state *gc;
    twin *spare; /* allocated by the trigger, not bound yet */
    uint64_t epoch;
    bool in_collection;
    bool ran; /* a collection reported STOP since ran was cleared */
    int gen;
    uint64_t t0;
    int64_t examined;
    int64_t traversed; /* references twin_traverse visited in this collection */
    int64_t foreign; /* non-twin objects that took part in a collection */
    struct gc_generation_stats base[NGEN];
} cpy;

/* Interpreter-wide, created once. */
static PyTypeObject *twin_type;
static PyObject *gc_module, *gc_collect_fn, *gc_freeze_fn, *gc_set_threshold_fn, *gc_callbacks;
static PyObject *callback_fn;
static cpy *current; /* the one live cpython heap */

static void twin_dealloc(PyObject *self);

/* ---- twins ---------------------------------------------------------------- */

static twin *twin_of(gct_obj *o)
{
    return (twin *)(void *)((char *)gct_obj_link(o)->next - offsetof(twin, cell));
}

static bool twin_alive(const twin *t) { return t->cell.next != &t->cell; }

static gct_obj *obj_of(twin *t) { return gct_link_obj(t->cell.next); }

static bool is_container(const gct_obj *o) { return (o->shape->flags & GCT_SHAPE_CONTAINER) != 0; }

static twin *twin_new(void)
{
    twin *t = PyObject_GC_New(twin, twin_type);
    if (!t) {
        PyErr_Print();
        gct__fatal("cpython: cannot allocate a Python object");
    }
    t->weaklist = NULL;
    t->cell.next = t->cell.prev = &t->cell;
    t->epoch = 0;
    return t;
}

/* Free an untracked twin without touching any gct object. */
static void twin_free(twin *t)
{
    if (t->weaklist)
        PyObject_ClearWeakRefs((PyObject *)t);
    PyTypeObject *tp = Py_TYPE(t);
    PyObject_GC_Del(t);
    Py_DECREF(tp);
}

static void bind(gct_link *l, twin *t)
{
    l->next = l->prev = &t->cell;
    t->cell.next = t->cell.prev = l;
    t->epoch = 0;
    Py_SET_REFCNT(t, 1); /* set from refcnt when a collection looks at it */
    PyObject_GC_Track(t);
}

/* Give every pending container its twin, in allocation order (CPython's
 * automatic collection is off, so these allocations trigger nothing). */
static void bind_pending(cpy *st)
{
    gct_link *p = &st->pending;
    while (p->next != p) {
        gct_link *l = p->next;
        p->next = l->next;
        l->next->prev = p;
        twin *t = st->spare ? st->spare : twin_new();
        st->spare = NULL;
        bind(l, t);
    }
}

static int clamp_int(int64_t v) { return v > INT_MAX ? INT_MAX : v < 0 ? 0 : (int)v; }

static void mirror_counts(cpy *st)
{
    for (int i = 0; i < NGEN; i++)
        st->h->hot.count[i] = st->gc->generations[i].count;
}

static void mirror_stats(cpy *st)
{
    for (int i = 0; i < NGEN; i++) {
        st->h->stats[i].collections = st->gc->generation_stats[i].collections - st->base[i].collections;
        st->h->stats[i].collected = st->gc->generation_stats[i].collected - st->base[i].collected;
        st->h->stats[i].uncollectable =
            st->gc->generation_stats[i].uncollectable - st->base[i].uncollectable;
    }
}

/* Bring the interpreter up to date with the heap before it may collect. */
static void sync_to_interpreter(cpy *st)
{
    bind_pending(st);
    st->gc->generations[0].count = clamp_int(st->h->hot.count[0]);
}

/* A call that may collect is bracketed the same way every time: the GIL, the
 * pending containers bound and count[0] handed to the interpreter on the way
 * in, the interpreter's counts mirrored on the way out. */
static PyGILState_STATE interp_enter(cpy *st)
{
    PyGILState_STATE g = PyGILState_Ensure();
    sync_to_interpreter(st);
    return g;
}

static void interp_leave(cpy *st, PyGILState_STATE g)
{
    mirror_counts(st);
    PyGILState_Release(g);
}

/* ---- generation lists (pycore_gc.h) --------------------------------------- */

static PyGC_Head *gen_head(cpy *st, int i)
{
    return i < NGEN ? &st->gc->generations[i].head : &st->gc->permanent_generation.head;
}

static PyGC_Head *gc_next(PyGC_Head *g) { return _PyGCHead_NEXT(g); }
static PyObject *from_gc(PyGC_Head *g) { return (PyObject *)(void *)(g + 1); }

static void gclist_remove(PyGC_Head *g)
{
    PyGC_Head *prev = _PyGCHead_PREV(g), *next = _PyGCHead_NEXT(g);
    _PyGCHead_SET_NEXT(prev, next);
    _PyGCHead_SET_PREV(next, prev);
}

static void gclist_append(PyGC_Head *g, PyGC_Head *list)
{
    PyGC_Head *last = (PyGC_Head *)list->_gc_prev;
    _PyGCHead_SET_PREV(g, last);
    _PyGCHead_SET_NEXT(last, g);
    _PyGCHead_SET_NEXT(g, list);
    list->_gc_prev = (uintptr_t)g;
}

/* Take a dead twin out of its list and free it. */
static void purge(twin *t)
{
    PyObject_GC_UnTrack(t);
    twin_free(t);
}

/* Purge dead twins of generation i (or the permanent one, i == NGEN). */
static void purge_dead(cpy *st, int i)
{
    PyGC_Head *head = gen_head(st, i);
    for (PyGC_Head *g = gc_next(head), *nx; g != head; g = nx) {
        nx = gc_next(g);
        PyObject *op = from_gc(g);
        if (Py_TYPE(op) == twin_type && !twin_alive((twin *)op))
            purge((twin *)op);
    }
}

/* ---- the gc.callbacks entry ------------------------------------------------ */

static int64_t info_int(PyObject *info, const char *key)
{
    PyObject *v = PyDict_GetItemString(info, key); /* borrowed */
    return v ? PyLong_AsLongLong(v) : -1;
}

/* "start" of a collection of generation g: purge the dead twins of
 * generations 0..g and set ob_refcnt from refcnt for the rest. */
static void on_start(cpy *st, int g)
{
    if (st->pending.next != &st->pending)
        gct__fatal("cpython: a collection started with unbound containers pending");
    st->epoch++;
    int64_t n = 0;
    for (int i = 0; i <= g; i++) {
        PyGC_Head *head = gen_head(st, i);
        for (PyGC_Head *x = gc_next(head), *nx; x != head; x = nx) {
            nx = gc_next(x);
            PyObject *op = from_gc(x);
            if (Py_TYPE(op) != twin_type) {
                st->foreign++;
                continue;
            }
            twin *t = (twin *)op;
            if (!twin_alive(t)) {
                purge(t);
                continue;
            }
            Py_SET_REFCNT(op, (Py_ssize_t)obj_of(t)->refcnt);
            t->epoch = st->epoch;
            n++;
        }
    }
    st->gen = g;
    st->examined = n;
    st->traversed = 0;
    st->in_collection = true;
    gct__emit_event(st->h, GCT_EVENT_START, g, 0, 0);
    st->t0 = gct_now_ns();
}

static void on_stop(cpy *st, int g, int64_t collected, int64_t uncollectable)
{
    st->in_collection = false;
    /* The collector leaves count[0] at 0; a fresh info dict (after a
     * generation-2 collection emptied the dict free list) made it 1. */
    int c0 = st->gc->generations[0].count;
    if (c0 == 1)
        st->gc->generations[0].count = 0;
    else if (c0 != 0)
        gct__fatal("cpython: count[0] is %d after a collection, expected 0", c0);
    gct__record_pause(st->h, (gct_pause_kind)g, st->t0, st->examined, st->traversed,
                      collected + uncollectable);
    mirror_counts(st);
    mirror_stats(st);
    st->h->stats[g].examined += st->examined;
    st->h->stats[g].traversed += st->traversed;
    gct__emit_event(st->h, GCT_EVENT_STOP, g, collected, uncollectable);
    st->ran = true;
}

static PyObject *gc_callback(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "gctune's gc callback takes (phase, info)");
        return NULL;
    }
    cpy *st = current;
    if (st) {
        int g = (int)info_int(args[1], "generation");
        if (g < 0 || g >= NGEN)
            gct__fatal("cpython: gc callback for generation %d", g);
        if (PyUnicode_CompareWithASCIIString(args[0], "start") == 0)
            on_start(st, g);
        else
            on_stop(st, g, info_int(args[1], "collected"), info_int(args[1], "uncollectable"));
    }
    Py_RETURN_NONE;
}

static PyMethodDef callback_def = {"gctune_gc_callback", (PyCFunction)(void (*)(void))gc_callback,
                                   METH_FASTCALL, "gctune: times collections, syncs twins"};

/* ---- the twin type ----------------------------------------------------------- */

static int twin_traverse(PyObject *self, visitproc visit, void *arg)
{
    twin *t = (twin *)self;
    /* Instances of a heap type hold their type, and the documentation asks
     * tp_traverse to visit it; ours is frozen in the permanent generation
     * for the life of the process, so a visit would change nothing but cost
     * a call per object in every pause. */
    if (!twin_alive(t))
        return 0;
    gct_obj *o = obj_of(t);
    uint32_t ns = o->shape->nslots;
    int64_t refs = 0;
    for (uint32_t i = 0; i < ns; i++) {
        gct_obj *c = o->slots[i];
        if (!c)
            continue;
        /* An atom has no twin to visit, but a real container would visit
         * it (a list visits its ints), so it counts as traversed: the
         * count is what CPython's own passes asked of tp_traverse, the
         * definition gencycle counts by (heap.h, gct_gen_stats). */
        refs++;
        if (is_container(c))
            Py_VISIT((PyObject *)twin_of(c));
    }
    /* Only the collector's own calls count (gc.get_referents and the like
     * call tp_traverse too). */
    if (current && current->in_collection)
        current->traversed += refs;
    return 0;
}

/* A reference to c goes away, inside a collection (tp_clear, tp_dealloc). */
static void drop_ref(cpy *st, gct_obj *c)
{
    if (!is_container(c)) {
        gct_decref(st->h, c); /* an atom: no twin, freed by the heap at 0 */
        return;
    }
    twin *t = twin_of(c);
    GCT_CHECK(c->refcnt > 0, "cpython: drop of %p (%s) below zero", (void *)c, c->shape->name);
    c->refcnt--;
    if (st->in_collection && t->epoch == st->epoch) {
        Py_DECREF(t); /* synced: ob_refcnt moves with refcnt */
    } else if (c->refcnt == 0) {
        Py_SET_REFCNT(t, 1); /* an older generation's object, now garbage */
        Py_DECREF(t);
    }
}

/* Empty every slot of o, dropping the reference each held (tp_clear, and
 * a twin's death). */
static void drop_slots(cpy *st, gct_obj *o)
{
    uint32_t ns = o->shape->nslots;
    for (uint32_t i = 0; i < ns; i++) {
        gct_obj *c = o->slots[i];
        if (c) {
            o->slots[i] = NULL;
            drop_ref(st, c);
        }
    }
}

static int twin_clear(PyObject *self)
{
    twin *t = (twin *)self;
    if (!twin_alive(t) || !current)
        return 0;
    drop_slots(current, obj_of(t));
    return 0;
}

static void twin_dealloc(PyObject *self)
{
    twin *t = (twin *)self;
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, twin_dealloc)
    if (t->weaklist)
        PyObject_ClearWeakRefs(self);
    cpy *st = current;
    if (twin_alive(t) && st) {
        gct_obj *o = obj_of(t);
        GCT_CHECK(o->refcnt == 0, "cpython: twin of %p (%s) dies with refcnt %u", (void *)o,
                  o->shape->name, o->refcnt);
        drop_slots(st, o);
        gct__free(st->h, o); /* unlinks the prefix link: the cell loops */
    }
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_Del(self);
    Py_DECREF(tp);
    Py_TRASHCAN_END
}

static PyMemberDef twin_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(twin, weaklist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

/* PyType_Slot holds functions as void *; ISO C has no such conversion, a
 * union does it without a cast. */
static void *fn_slot(void (*f)(void))
{
    union {
        void (*f)(void);
        void *p;
    } u = {.f = f};
    return u.p;
}

static PyType_Slot twin_slots[6];

static void twin_slots_init(void)
{
    twin_slots[0] = (PyType_Slot){Py_tp_doc, (void *)"a gctune object (its slots and payload "
                                                     "live in the gctune heap)"};
    twin_slots[1] = (PyType_Slot){Py_tp_dealloc, fn_slot((void (*)(void))twin_dealloc)};
    twin_slots[2] = (PyType_Slot){Py_tp_traverse, fn_slot((void (*)(void))twin_traverse)};
    twin_slots[3] = (PyType_Slot){Py_tp_clear, fn_slot((void (*)(void))twin_clear)};
    twin_slots[4] = (PyType_Slot){Py_tp_members, twin_members};
    twin_slots[5] = (PyType_Slot){0, NULL};
}

static PyType_Spec twin_spec = {
    .name = "gctune.object",
    .basicsize = sizeof(twin),
    .itemsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = twin_slots,
};

/* ---- the interpreter ---------------------------------------------------------- */

static PyObject *gc_attr(const char *name)
{
    PyObject *f = PyObject_GetAttrString(gc_module, name);
    if (!f) {
        PyErr_Print();
        gct__fatal("cpython: the gc module has no '%s'", name);
    }
    return f;
}

/* Start the interpreter once per process; returns with the GIL released. */
static int interpreter_start(void)
{
    if (Py_IsInitialized())
        return twin_type ? GCT_OK : GCT_ENOTSUP;
    PyPreConfig pre;
    PyPreConfig_InitIsolatedConfig(&pre);
#ifdef CP_ASAN
    /* pymalloc keeps objects in mmap'd arenas that LeakSanitizer does not
     * scan, so everything they point to would be reported as leaked; with
     * malloc the sanitizer also sees every twin's lifetime. */
    pre.allocator = PYMEM_ALLOCATOR_MALLOC;
#endif
    PyStatus ps = Py_PreInitialize(&pre);
    if (PyStatus_Exception(ps)) {
        fprintf(stderr, "gctune: cpython: cannot pre-initialise the interpreter: %s\n",
                ps.err_msg ? ps.err_msg : "?");
        return GCT_ENOTSUP;
    }
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.site_import = 0;
    config.install_signal_handlers = 0;
    config.buffered_stdio = 0;
    PyStatus s = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(s)) {
        fprintf(stderr, "gctune: cpython: cannot start the interpreter: %s\n",
                s.err_msg ? s.err_msg : "?");
        return GCT_ENOTSUP;
    }
    if ((Py_Version >> 16) != (PY_VERSION_HEX >> 16)) {
        fprintf(stderr, "gctune: cpython: built for %d.%d, running %lu.%lu\n", PY_MAJOR_VERSION,
                PY_MINOR_VERSION, Py_Version >> 24, (Py_Version >> 16) & 0xff);
        return GCT_ENOTSUP;
    }
    gc_module = PyImport_ImportModule("gc");
    if (!gc_module) {
        PyErr_Print();
        return GCT_ENOTSUP;
    }
    gc_collect_fn = gc_attr("collect");
    gc_freeze_fn = gc_attr("freeze");
    gc_set_threshold_fn = gc_attr("set_threshold");
    gc_callbacks = gc_attr("callbacks");
    twin_slots_init();
    twin_type = (PyTypeObject *)PyType_FromSpec(&twin_spec);
    callback_fn = PyCFunction_New(&callback_def, NULL);
    if (!twin_type || !callback_fn || !PyList_Check(gc_callbacks)) {
        PyErr_Print();
        return GCT_ENOTSUP;
    }
    PyEval_SaveThread();
    return GCT_OK;
}

static PyObject *call(PyObject *fn, PyObject *const *args, size_t n)
{
    PyObject *r = PyObject_Vectorcall(fn, args, n, NULL);
    if (!r) {
        PyErr_Print();
        gct__fatal("cpython: a call into the gc module failed");
    }
    return r;
}

static int64_t gc_collect_gen(int gen)
{
    PyObject *arg = PyLong_FromLong(gen); /* small ints are cached: no allocation */
    PyObject *r = call(gc_collect_fn, &arg, 1);
    int64_t n = PyLong_AsLongLong(r);
    Py_DECREF(r);
    Py_DECREF(arg);
    return n;
}

/* ---- the backend ---------------------------------------------------------------- */

static cpy *state(gct_heap *h) { return h->priv; }

/* gc.set_threshold(gen0, gen1, gen2).  Its argument tuple is a GC
 * allocation, freed before anything can collect; the heap's count[0] is
 * pushed into the interpreter before every collection anyway. */
static void set_threshold(gct_heap *h)
{
    PyObject *args[NGEN];
    for (int i = 0; i < NGEN; i++)
        args[i] = PyLong_FromLong(clamp_int(h->hot.threshold[i]));
    Py_DECREF(call(gc_set_threshold_fn, args, NGEN));
    for (int i = 0; i < NGEN; i++)
        Py_DECREF(args[i]);
}

static void cp_set_knob(gct_heap *h, uint32_t index, int64_t value)
{
    if (index <= KNOB_GEN2) {
        h->hot.threshold[index] = value;
        if (current && current->h == h) {
            PyGILState_STATE g = PyGILState_Ensure();
            set_threshold(h);
            PyGILState_Release(g);
        }
    } else if (index == KNOB_CASCADE) {
        h->cascade_limit = value;
    }
}

static int cp_init(gct_heap *h, const int64_t *k)
{
    if (current) {
        fprintf(stderr, "gctune: cpython: another cpython heap is alive in this process (the "
                        "interpreter's collector is global)\n");
        return GCT_EINVAL;
    }
    int rc = interpreter_start();
    if (rc != GCT_OK)
        return rc;
    cpy *st = calloc(1, sizeof *st);
    if (!st)
        return GCT_ENOMEM;
    st->h = h;
    st->pending.next = st->pending.prev = &st->pending;
    h->priv = st;
    h->hot.rc = true;
    h->hot.track_mask = GCT_SHAPE_CONTAINER;
    h->hot.young = &st->pending;
    for (uint32_t i = 0; i < gct_collector_cpython.nknobs; i++)
        cp_set_knob(h, i, k[i]);

    PyGILState_STATE g = PyGILState_Ensure();
    st->gc = &_PyInterpreterState_GET()->gc;
    /* The clean state: the interpreter's own objects frozen, counts and
     * long-lived counters 0, automatic collection left to us. */
    PyGC_Disable();
    set_threshold(h);
    gc_collect_gen(2);
    Py_DECREF(call(gc_freeze_fn, NULL, 0));
    gc_collect_gen(2);
    if (PyList_Append(gc_callbacks, callback_fn) < 0) {
        PyErr_Print();
        gct__fatal("cpython: cannot register the gc callback");
    }
    for (int i = 0; i < NGEN; i++)
        st->base[i] = st->gc->generation_stats[i];
    bool clean = st->gc->generations[0].count == 0 && st->gc->generations[1].count == 0 &&
                 st->gc->generations[2].count == 0 && st->gc->long_lived_total == 0 &&
                 st->gc->long_lived_pending == 0;
    PyGILState_Release(g);
    if (!clean)
        gct__fatal("cpython: the interpreter is not in a clean state after collect/freeze/collect");
    current = st;
    return GCT_OK;
}

static void cp_fini(gct_heap *h)
{
    cpy *st = state(h);
    if (!st)
        return;
    PyGILState_STATE g = PyGILState_Ensure();
    current = NULL;
    /* Free every twin; the heap frees the gct objects. */
    for (int i = 0; i <= NGEN; i++) {
        PyGC_Head *head = gen_head(st, i);
        for (PyGC_Head *x = gc_next(head), *nx; x != head; x = nx) {
            nx = gc_next(x);
            PyObject *op = from_gc(x);
            if (Py_TYPE(op) == twin_type) {
                PyObject_GC_UnTrack(op);
                twin_free((twin *)op);
            }
        }
    }
    if (st->spare)
        twin_free(st->spare);
    Py_ssize_t n = PyList_GET_SIZE(gc_callbacks);
    for (Py_ssize_t i = n - 1; i >= 0; i--)
        if (PyList_GET_ITEM(gc_callbacks, i) == callback_fn)
            PySequence_DelItem(gc_callbacks, i);
    for (int i = 0; i < NGEN; i++)
        st->gc->generations[i].count = 0;
    st->gc->generations[0].threshold = 700;
    st->gc->generations[1].threshold = 10;
    st->gc->generations[2].threshold = 10;
    PyGILState_Release(g);
    free(st);
    h->priv = NULL;
    h->hot.young = NULL;
}

/* count[0] passed threshold[0] at an allocation: let CPython collect. */
static void cp_collect_auto(gct_heap *h)
{
    cpy *st = state(h);
    PyGILState_STATE g = interp_enter(st);
    /* The twin of the object being allocated is CPython's allocation: its
     * _PyObject_GC_Link brings count[0] to the heap's value and decides. */
    st->gc->generations[0].count = clamp_int(h->hot.count[0] - 1);
    st->ran = false;
    PyGC_Enable();
    twin *t = twin_new();
    PyGC_Disable();
    if (st->spare)
        twin_free(t); /* count[0] is 0 after the collection: no effect */
    else
        st->spare = t;
    if (!st->ran)
        gct__fatal("cpython: count[0]=%lld passed threshold %lld but the interpreter did not "
                   "collect",
                   (long long)h->hot.count[0], (long long)h->hot.threshold[0]);
    interp_leave(st, g);
}

static int64_t cp_collect(gct_heap *h, int gen)
{
    if (gen < 0 || gen >= NGEN)
        return GCT_EINVAL;
    cpy *st = state(h);
    PyGILState_STATE g = interp_enter(st);
    st->ran = false;
    int64_t n = gc_collect_gen(gen);
    if (!st->ran)
        gct__fatal("cpython: gc.collect(%d) did not run", gen);
    interp_leave(st, g);
    return n;
}

static int cp_freeze(gct_heap *h)
{
    cpy *st = state(h);
    PyGILState_STATE g = interp_enter(st);
    for (int i = 0; i < NGEN; i++)
        purge_dead(st, i);
    Py_DECREF(call(gc_freeze_fn, NULL, 0));
    interp_leave(st, g);
    return GCT_OK;
}

/* gc.unfreeze() would bring back the interpreter's own objects too: move
 * only the twins from the permanent generation to generation 2's tail. */
static int cp_unfreeze(gct_heap *h)
{
    cpy *st = state(h);
    PyGILState_STATE g = PyGILState_Ensure();
    PyGC_Head *perm = gen_head(st, NGEN), *old = gen_head(st, NGEN - 1);
    for (PyGC_Head *x = gc_next(perm), *nx; x != perm; x = nx) {
        nx = gc_next(x);
        PyObject *op = from_gc(x);
        if (Py_TYPE(op) != twin_type)
            continue;
        if (!twin_alive((twin *)op)) {
            purge((twin *)op);
            continue;
        }
        gclist_remove(x);
        gclist_append(x, old);
    }
    PyGILState_Release(g);
    return GCT_OK;
}

static int64_t cp_freeze_count(gct_heap *h)
{
    cpy *st = state(h);
    PyGILState_STATE g = PyGILState_Ensure();
    int64_t n = 0;
    PyGC_Head *perm = gen_head(st, NGEN);
    for (PyGC_Head *x = gc_next(perm); x != perm; x = gc_next(x)) {
        PyObject *op = from_gc(x);
        n += Py_TYPE(op) == twin_type && twin_alive((twin *)op);
    }
    PyGILState_Release(g);
    return n;
}

/* ---- verifier ------------------------------------------------------------------------ */

struct vctx {
    int64_t containers, bound, bad;
    gct_obj *first_bad;
    const char *why;
};

static void check_obj(void *ud, gct_obj *o)
{
    struct vctx *c = ud;
    if (!is_container(o))
        return;
    c->containers++;
    if (o->flags & GCT_OF_REACH)
        return; /* pending: no twin yet */
    gct_link *l = gct_obj_link(o);
    const char *why = NULL;
    if (!l->next || l->next != l->prev) {
        why = "is neither pending nor bound to a twin";
    } else {
        twin *t = twin_of(o);
        if (Py_TYPE(t) != twin_type || t->cell.next != l || t->cell.prev != l)
            why = "is linked to something that is not its twin";
        else if (!_PyObject_GC_IS_TRACKED(t))
            why = "has a twin the interpreter does not track";
        else
            c->bound++;
    }
    if (why && !c->bad++) {
        c->first_bad = o;
        c->why = why;
    }
}

static bool cp_verify(gct_heap *h, char *err, size_t errlen)
{
    cpy *st = state(h);
    if (h->hot.collecting) {
        snprintf(err, errlen, "verify called during a collection");
        return false;
    }
    /* The pending list: live containers, well linked; marked while we walk
     * the heap (the heap's own checks have already run). */
    int64_t npending = 0;
    bool ok = true;
    gct_link *p = &st->pending;
    for (gct_link *l = p->next, *prev = p; l != p; prev = l, l = l->next) {
        gct_obj *o = gct_link_obj(l);
        if (l->prev != prev || (o->flags & GCT_OF_FREE) || !is_container(o)) {
            snprintf(err, errlen, "the pending list is broken at %p", (void *)o);
            ok = false;
            break;
        }
        o->flags |= GCT_OF_REACH;
        npending++;
    }
    struct vctx c = {0, 0, 0, NULL, NULL};
    PyGILState_STATE g = PyGILState_Ensure();
    if (ok)
        gct_heap_foreach(h, check_obj, &c);
    for (gct_link *l = p->next; l != p && ok; l = l->next)
        gct_link_obj(l)->flags &= (uint8_t)~GCT_OF_REACH;
    if (ok && c.bad) {
        snprintf(err, errlen, "container %p (%s) %s (%lld such)", (void *)c.first_bad,
                 c.first_bad->shape->name, c.why, (long long)c.bad);
        ok = false;
    }
    /* The interpreter's lists: live twins are exactly the bound containers. */
    int64_t live = 0, foreign = 0;
    for (int i = 0; ok && i <= NGEN; i++) {
        PyGC_Head *head = gen_head(st, i);
        for (PyGC_Head *x = gc_next(head); x != head; x = gc_next(x)) {
            PyObject *op = from_gc(x);
            if (Py_TYPE(op) == twin_type)
                live += twin_alive((twin *)op);
            else if (i < NGEN)
                foreign++;
        }
    }
    if (ok && live != c.bound) {
        snprintf(err, errlen, "the interpreter tracks %lld live twins, the heap has %lld bound "
                              "containers",
                 (long long)live, (long long)c.bound);
        ok = false;
    }
    if (ok && st->foreign) {
        snprintf(err, errlen, "%lld objects that are not gctune's took part in collections",
                 (long long)st->foreign);
        ok = false;
    }
    if (ok && foreign) {
        snprintf(err, errlen, "%lld objects that are not gctune's sit in the collected "
                              "generations",
                 (long long)foreign);
        ok = false;
    }
    for (int i = 0; ok && i < NGEN; i++) {
        if (st->gc->generations[i].threshold != clamp_int(h->hot.threshold[i])) {
            snprintf(err, errlen, "threshold %d is %d in the interpreter, %lld in the heap", i,
                     st->gc->generations[i].threshold, (long long)h->hot.threshold[i]);
            ok = false;
        } else if (i > 0 && st->gc->generations[i].count != h->hot.count[i]) {
            snprintf(err, errlen, "count[%d] is %d in the interpreter, %lld in the heap", i,
                     st->gc->generations[i].count, (long long)h->hot.count[i]);
            ok = false;
        }
    }
    if (ok && h->hot.count[0] < 0) {
        snprintf(err, errlen, "count[0] is negative");
        ok = false;
    }
    PyGILState_Release(g);
    (void)npending;
    return ok;
}

const gct_collector gct_collector_cpython = {
    .abi = GCT_COLLECTOR_ABI,
    .name = "cpython",
    .summary = "the real CPython 3.11 collector, embedded: every container has a Python twin",
    .knobs = knobs,
    .nknobs = sizeof knobs / sizeof knobs[0],
    .prefix = sizeof(gct_link),
    .ngenerations = NGEN,
    .cpython = "3.11",
    .init = cp_init,
    .fini = cp_fini,
    .set_knob = cp_set_knob,
    .collect_auto = cp_collect_auto,
    .collect = cp_collect,
    .freeze = cp_freeze,
    .unfreeze = cp_unfreeze,
    .freeze_count = cp_freeze_count,
    .verify = cp_verify,
};
