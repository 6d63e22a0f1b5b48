/*
 * common/property_common.c — the random program of one seed and the
 * independent oracle it is checked against (what it checks: test-property.c;
 * replaying a seed: GCT_SEED and GCT_BACKEND, same place).
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
#include "internal/backend.h" /* white-box: the whole struct gct_heap */
#include "rng.h"

#include "property_common.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROP_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PROP_ASAN 1
#endif
#ifdef PROP_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

/* UBSan's default is to report and carry on, which would let a seed pass over
 * undefined behaviour: make it fatal (ignored in builds without UBSan). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1:print_summary=1";
}

/* ---- RNG: the workloads' xoshiro256** (workloads/rng.h) ------------------- */

typedef gct_rng rng;

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift on the high 32 bits; the
 * bias is irrelevant here, and every seed keeps the graph it always gave). */
static uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((gct_rng_next(r) >> 32) * n) >> 32);
}
static bool chance(rng *r, uint32_t percent) { return below(r, 100) < percent; }

/* ---- shapes: every one carries a serial number at the start of its payload */

static const gct_shape shapes[] = {
    GCT_SHAPE("s0", 0, 8),     GCT_SHAPE("s1", 1, 8),  GCT_SHAPE("s2", 2, 16),
    GCT_SHAPE("s3", 3, 8),     GCT_SHAPE("s4", 4, 24), GCT_SHAPE("s1b", 1, 40),
    GCT_SHAPE("big2", 2, 600), /* a large object (> GCT_POOL_MAX_SMALL) */
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

static bool is_weak(const gct_obj *o) { return o->shape == &gct_weakref_shape; }

static bool our_shape(const gct_shape *s)
{
    if (s == &gct_weakref_shape)
        return true;
    for (size_t i = 0; i < NSHAPES; i++)
        if (s == &shapes[i])
            return true;
    return false;
}

static uint64_t payload_serial(gct_obj *o)
{
    uint64_t v;
    memcpy(&v, gct_payload(o), sizeof v);
    return v;
}

/* ---- small containers ---------------------------------------------------- */

typedef struct vec {
    gct_obj **v;
    size_t n, cap;
} vec;

static void vec_push(vec *a, gct_obj *o)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
        cr_assert(a->v, "out of memory");
    }
    a->v[a->n++] = o;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (gct_obj *const *)a, y = (uintptr_t) * (gct_obj *const *)b;
    return x < y ? -1 : x > y;
}

static bool vec_has_sorted(const vec *a, const gct_obj *o)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)a->v[mid] < (uintptr_t)o)
            lo = mid + 1;
        else if (a->v[mid] == o)
            return true;
        else
            hi = mid;
    }
    return false;
}

static uint64_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    return x;
}

/* A set of pointers (open addressing, cleared between uses). */
typedef struct pset {
    const void **k;
    size_t cap, n;
} pset;

static void pset_clear(pset *s)
{
    if (s->k)
        memset(s->k, 0, s->cap * sizeof *s->k);
    s->n = 0;
}

static bool pset_add(pset *s, const void *p);

static void pset_grow(pset *s)
{
    pset old = *s;
    s->cap = old.cap ? old.cap * 2 : 1024;
    s->k = calloc(s->cap, sizeof *s->k);
    cr_assert(s->k, "out of memory");
    s->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.k[i])
            pset_add(s, old.k[i]);
    free(old.k);
}

/* Returns true if p was not in the set. */
static bool pset_add(pset *s, const void *p)
{
    if ((s->n + 1) * 2 > s->cap)
        pset_grow(s);
    size_t m = s->cap - 1, i = (size_t)hash_ptr(p) & m;
    while (s->k[i]) {
        if (s->k[i] == p)
            return false;
        i = (i + 1) & m;
    }
    s->k[i] = p;
    s->n++;
    return true;
}

static bool pset_has(const pset *s, const void *p)
{
    if (!s->cap)
        return false;
    size_t m = s->cap - 1, i = (size_t)hash_ptr(p) & m;
    while (s->k[i]) {
        if (s->k[i] == p)
            return true;
        i = (i + 1) & m;
    }
    return false;
}

/* What the test knows about a weak reference it made, keyed by its address
 * (overwritten when a new weak reference reuses the address). */
typedef struct wentry {
    const gct_obj *w;
    uint64_t serial;        /* the weak reference's own identity */
    const gct_obj *target;  /* as created */
    uint64_t target_serial; /* identity of the target at creation */
} wentry;

typedef struct wmap {
    wentry *e;
    size_t cap, n;
} wmap;

static wentry *wmap_slot(wmap *m, const gct_obj *w)
{
    size_t mask = m->cap - 1, i = (size_t)hash_ptr(w) & mask;
    while (m->e[i].w && m->e[i].w != w)
        i = (i + 1) & mask;
    return &m->e[i];
}

static void wmap_put(wmap *m, wentry e)
{
    if ((m->n + 1) * 2 > m->cap) {
        wmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->e = calloc(m->cap, sizeof *m->e);
        cr_assert(m->e, "out of memory");
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.e[i].w)
                wmap_put(m, old.e[i]);
        free(old.e);
    }
    wentry *s = wmap_slot(m, e.w);
    if (!s->w)
        m->n++;
    *s = e;
}

static const wentry *wmap_get(wmap *m, const gct_obj *w)
{
    if (!m->cap)
        return NULL;
    wentry *s = wmap_slot(m, w);
    return s->w ? s : NULL;
}

/* ---- the run of one seed ------------------------------------------------- */

typedef struct prop {
    gct_heap *h;
    const char *be;
    uint64_t seed;
    int op;          /* current operation, for messages */
    char knobs[128]; /* as given, for messages */
    rng r;
    bool rc, collects;
    int64_t cascade; /* INT64_MAX if the backend has no cascade knob */
    uint64_t serial; /* last serial handed out */
    int64_t allocs;  /* the test's own count of allocations */
    size_t max_live;
    /* Operation weights, drawn per seed. */
    uint32_t w_alloc, w_store, w_pop, w_full, w_partial, w_misc;
    bool can_freeze; /* gct_heap_freeze is supported */
    /* Events and pauses, to check that they pair up. */
    int64_t ev_start, ev_stop, ev_last_collected;
    gct_event_phase ev_last;
    size_t pauses_seen;
    int64_t collect_pauses; /* pauses that are not cascades */
    wmap wm;
    /* scratch for the checks */
    vec live, reach, stack;
    pset seen, referenced;
} prop;

/* What the seeds of one case exercised (property_common.h). */
prop_stats stats;

/* Every message starts with this, so a failure can be replayed. */
#define CTX                                                                                        \
    "[backend %s seed %" PRIu64 " op %d knobs %s; replay: GCT_SEED=%" PRIu64 " GCT_BACKEND=%s] "
#define CTXA(P) (P)->be, (P)->seed, (P)->op, (P)->knobs, (P)->seed, (P)->be
#define PCHECK(P, cond, fmt, ...) cr_assert((cond), CTX fmt, CTXA(P), __VA_ARGS__)

/* A crash (abort from the heap's verify_each, a sanitizer report, a signal)
 * cannot go through cr_assert: print the seed from a handler instead. */
static char crash_msg[256];
static size_t crash_len;

static void crash_note(void)
{
    if (crash_len) {
        ssize_t w = write(2, crash_msg, crash_len);
        (void)w;
    }
}

static void crash_handler(int sig)
{
    crash_note();
    signal(sig, SIG_DFL);
    raise(sig);
}

void install_crash_note(void)
{
    static const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = crash_handler;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
#ifdef PROP_ASAN
    __sanitizer_set_death_callback(crash_note);
#endif
}

/* Sanitizers (ASan, and UBSan, whose halt does not run the death callback)
 * call this after every report: name the seed there too.  Unused without
 * sanitizers. */
void __sanitizer_report_error_summary(const char *error_summary);
void __sanitizer_report_error_summary(const char *error_summary)
{
    fprintf(stderr, "%s\n", error_summary);
    crash_note();
}

static uint64_t ident(prop *P, gct_obj *o)
{
    if (is_weak(o)) {
        const wentry *e = wmap_get(&P->wm, o);
        PCHECK(P, e, "live weak reference %p was not made by the test", (void *)o);
        return e->serial;
    }
    return payload_serial(o);
}

static int64_t osize(const prop *P, const gct_obj *o)
{
    return (int64_t)P->h->hot.prefix + o->shape->size;
}

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    prop *P = ud;
    if (phase == GCT_EVENT_START) {
        PCHECK(P, P->ev_start == P->ev_stop, "a START event inside a collection%s", "");
        PCHECK(P, P->h->hot.collecting, "a START event outside a collection%s", "");
        P->ev_start++;
    } else {
        PCHECK(P, P->ev_start == P->ev_stop + 1, "a STOP event without a START%s", "");
        PCHECK(P, info->collected >= 0 && info->uncollectable == 0,
               "STOP event: collected %" PRId64 ", uncollectable %" PRId64, info->collected,
               info->uncollectable);
        P->ev_stop++;
        P->ev_last_collected = info->collected;
    }
    P->ev_last = phase;
}

static bool frozen(prop *P) { return P->can_freeze && gct_heap_freeze_count(P->h) > 0; }

static void collect_live(void *ud, gct_obj *o) { vec_push((vec *)ud, o); }

/* The oracle's reachable set, by its own traversal.  Every object reached is
 * checked to be live before it is read. */
static void compute_reach(prop *P)
{
    gct_heap *h = P->h;
    pset_clear(&P->seen);
    P->reach.n = P->stack.n = 0;
    for (size_t i = 0; i < gct_root_depth(h); i++) {
        gct_obj *o = gct_root_get(h, i);
        if (o && pset_add(&P->seen, o))
            vec_push(&P->stack, o);
    }
    while (P->stack.n) {
        gct_obj *o = P->stack.v[--P->stack.n];
        PCHECK(P, vec_has_sorted(&P->live, o),
               "reachable object %p is not live (freed while reachable)", (void *)o);
        PCHECK(P, our_shape(o->shape), "reachable object %p has a foreign shape", (void *)o);
        vec_push(&P->reach, o);
        for (uint32_t i = 0; i < o->shape->nslots; i++) {
            gct_obj *c = o->slots[i];
            if (c && pset_add(&P->seen, c))
                vec_push(&P->stack, c);
        }
    }
}

/* Read the live set (sorted) and the reachable set; check everything that
 * must hold at any moment between operations.  Returns the unreachable live
 * objects counted by the backend's trigger mask (what a full collection
 * would report). */
static int64_t check_state(prop *P, bool must_equal, const char *when)
{
    gct_heap *h = P->h;
    char err[512];
    PCHECK(P, gct_heap_verify(h, true, err, sizeof err), "%s: verify: %s", when, err);

    P->live.n = 0;
    gct_heap_foreach(h, collect_live, &P->live);
    if (P->live.n > 1)
        qsort(P->live.v, P->live.n, sizeof *P->live.v, cmp_ptr);
    int64_t bytes = 0;
    for (size_t i = 0; i < P->live.n; i++) {
        gct_obj *o = P->live.v[i];
        PCHECK(P, !(o->flags & GCT_OF_FREE), "%s: foreach gave a freed object %p", when, (void *)o);
        PCHECK(P, our_shape(o->shape), "%s: live object %p has a foreign shape", when, (void *)o);
        if (i)
            PCHECK(P, P->live.v[i - 1] != o, "%s: foreach gave %p twice", when, (void *)o);
        if (!is_weak(o)) {
            uint64_t s = payload_serial(o);
            PCHECK(P, s >= 1 && s <= P->serial,
                   "%s: live object %p has serial %" PRIu64 " (of %" PRIu64 ")", when, (void *)o, s,
                   P->serial);
        }
        bytes += osize(P, o);
    }
    PCHECK(P, gct_heap_live_objects(h) == (int64_t)P->live.n,
           "%s: live_objects %" PRId64 " but foreach finds %zu", when, gct_heap_live_objects(h), P->live.n);
    PCHECK(P, gct_heap_live_bytes(h) == bytes, "%s: live_bytes %" PRId64 " but foreach finds %" PRId64, when,
           gct_heap_live_bytes(h), bytes);
    PCHECK(P, gct_heap_total_allocs(h) == P->allocs, "%s: total_allocs %" PRId64 ", the test made %" PRId64,
           when, gct_heap_total_allocs(h), P->allocs);
    PCHECK(P, gct_heap_total_frees(h) == P->allocs - gct_heap_live_objects(h), "%s: total_frees %" PRId64, when,
           gct_heap_total_frees(h));
    PCHECK(P, gct_heap_peak_objects(h) >= gct_heap_live_objects(h) && gct_heap_peak_bytes(h) >= gct_heap_live_bytes(h),
           "%s: peak below live", when);

    /* Every collection records one pause and one START/STOP pair. */
    for (; P->pauses_seen < gct_heap_npauses(h); P->pauses_seen++)
        if (gct_heap_pauses(h)[P->pauses_seen].kind != GCT_PAUSE_CASCADE)
            P->collect_pauses++;
    PCHECK(P, P->ev_start == P->ev_stop && P->ev_stop == P->collect_pauses,
           "%s: %" PRId64 " START and %" PRId64 " STOP events for %" PRId64 " collection pauses",
           when, P->ev_start, P->ev_stop, P->collect_pauses);

    compute_reach(P);
    stats.checks++;
    if (gct_heap_live_objects(h) > stats.max_live)
        stats.max_live = gct_heap_live_objects(h);

    /* The unreachable live objects. */
    int64_t un = 0, un_bytes = 0, un_tracked = 0;
    pset_clear(&P->referenced);
    for (size_t i = 0; i < P->live.n; i++) {
        gct_obj *o = P->live.v[i];
        if (pset_has(&P->seen, o))
            continue;
        un++;
        un_bytes += osize(P, o);
        if (o->shape->flags & h->hot.track_mask)
            un_tracked++;
        stats.unreachable_seen++;
        for (uint32_t k = 0; k < o->shape->nslots; k++)
            if (o->slots[k])
                pset_add(&P->referenced, o->slots[k]);
    }
    if (must_equal && P->collects && un) {
        for (size_t i = 0; i < P->live.n; i++) {
            gct_obj *o = P->live.v[i];
            if (!pset_has(&P->seen, o))
                PCHECK(P, false,
                       "%s: %" PRId64
                       " live objects are unreachable after a full collection, e.g. %p "
                       "(%s, serial %" PRIu64 ", refcnt %u)",
                       when, un, (void *)o, o->shape->name, ident(P, o), o->refcnt);
        }
    }
    if (P->rc) {
        /* Reference counting frees at zero: what is left unreachable is
         * garbage cycles and what hangs off them, each referenced by another
         * unreachable object. */
        for (size_t i = 0; i < P->live.n; i++) {
            gct_obj *o = P->live.v[i];
            if (!pset_has(&P->seen, o))
                PCHECK(P, pset_has(&P->referenced, o),
                       "%s: unreachable %p (%s, serial %" PRIu64
                       ", refcnt %u) has no reference from "
                       "the garbage but was not freed",
                       when, (void *)o, o->shape->name, ident(P, o), o->refcnt);
        }
    }
    {
        /* Live but unreachable: leaked (refcount) or not yet collected. */
        int64_t lo = -1, lb = -1;
        gct_heap_leaks(h, &lo, &lb);
        PCHECK(P, lo == un && lb == un_bytes,
               "%s: gct_heap_leaks reports %" PRId64 " objects / %" PRId64
               " bytes, the oracle %" PRId64 " / %" PRId64,
               when, lo, lb, un, un_bytes);
    }

    /* Weak references: read the target exactly while it lives. */
    for (size_t i = 0; i < P->live.n; i++) {
        gct_obj *w = P->live.v[i];
        if (!is_weak(w))
            continue;
        const wentry *e = wmap_get(&P->wm, w);
        PCHECK(P, e, "%s: unknown weak reference %p", when, (void *)w);
        gct_obj *t = gct_weakref_get(w);
        bool alive = vec_has_sorted(&P->live, e->target) &&
                     ident(P, (gct_obj *)(uintptr_t)e->target) == e->target_serial;
        if (alive)
            PCHECK(P, t == e->target,
                   "%s: weak reference %p (serial %" PRIu64
                   ") reads %p, but its target %p (serial %" PRIu64 ") is alive",
                   when, (void *)w, e->serial, (void *)t, (const void *)e->target,
                   e->target_serial);
        else if (++stats.cleared_seen)
            PCHECK(P, t == NULL,
                   "%s: weak reference %p (serial %" PRIu64
                   ") reads %p, but its target (serial %" PRIu64 ") is dead",
                   when, (void *)w, e->serial, (void *)t, e->target_serial);
    }
    return un_tracked;
}

/* A random live object: a random root, then a random walk along slots. */
static gct_obj *pick(prop *P)
{
    gct_heap *h = P->h;
    size_t d = gct_root_depth(h);
    if (!d)
        return NULL;
    gct_obj *o = NULL;
    for (int tries = 0; tries < 4 && !o; tries++)
        o = gct_root_get(h, below(&P->r, (uint32_t)d));
    if (!o)
        return NULL;
    uint32_t steps = below(&P->r, 8);
    for (uint32_t s = 0; s < steps; s++) {
        uint32_t ns = o->shape->nslots;
        if (!ns)
            break;
        gct_obj *c = gct_load(o, below(&P->r, ns));
        if (c)
            o = c;
    }
    return o;
}

/* A random live object with slots (a few tries). */
static gct_obj *pick_container(prop *P)
{
    for (int tries = 0; tries < 6; tries++) {
        gct_obj *o = pick(P);
        if (o && o->shape->nslots)
            return o;
    }
    return NULL;
}

static void check_full_pause(prop *P, size_t np, int64_t r, int64_t examined_expect)
{
    gct_heap *h = P->h;
    PCHECK(P, gct_heap_npauses(h) == np + 1, "a full collection recorded %zu pauses",
           gct_heap_npauses(h) - np);
    const gct_pause *p = &gct_heap_pauses(h)[np];
    uint32_t ng = gct_heap_collector(h)->ngenerations;
    gct_pause_kind kind = ng > 1 ? (gct_pause_kind)(ng - 1) : GCT_PAUSE_FULL;
    PCHECK(P, p->kind == kind, "full collection pause of kind %s", gct_pause_kind_name(p->kind));
    PCHECK(P, p->freed == r, "full collection pause freed %" PRId64 ", returned %" PRId64, p->freed,
           r);
    PCHECK(P, p->examined == examined_expect,
           "full collection examined %" PRId64 ", %" PRId64 " tracked objects were live",
           p->examined, examined_expect);
    PCHECK(P, p->start_ns >= h->created_ns, "pause starts before the heap (%" PRIu64 ")",
           p->start_ns);
}

static int64_t count_tracked_live(prop *P)
{
    int64_t n = 0;
    for (size_t i = 0; i < P->live.n; i++)
        if (P->live.v[i]->shape->flags & P->h->hot.track_mask)
            n++;
    return n;
}

static void full_collection(prop *P)
{
    gct_heap *h = P->h;
    int64_t expect = check_state(P, false, "before a full collection");
    int64_t tracked = count_tracked_live(P);
    size_t np = gct_heap_npauses(h);
    /* Frozen objects act as roots (and frozen garbage is not collected). */
    bool was_frozen = frozen(P);
    int64_t r = gct_heap_collect(h, GCT_GEN_FULL);
    stats.full++;
    stats.collected += r;
    if (P->collects && was_frozen) {
        /* The permanent generation is neither scanned nor collected. */
        PCHECK(P, r <= expect,
               "full collection with frozen objects returned %" PRId64 ", more than the %" PRId64
               " unreachable",
               r, expect);
        PCHECK(P, gct_heap_npauses(h) == np + 1 && gct_heap_pauses(h)[np].freed == r,
               "full collection with frozen objects: pause%s", "");
    } else if (P->collects) {
        PCHECK(P, r == expect, "full collection returned %" PRId64 ", the oracle expected %" PRId64,
               r, expect);
        check_full_pause(P, np, r, tracked);
        PCHECK(P, P->ev_last == GCT_EVENT_STOP && P->ev_last_collected == r,
               "STOP event reports %" PRId64 " collected, the collection returned %" PRId64,
               P->ev_last_collected, r);
    } else {
        PCHECK(P, r == 0, "no-op collection returned %" PRId64, r);
        PCHECK(P, gct_heap_npauses(h) == np, "no-op collection recorded a pause%s", "");
    }
    check_state(P, !was_frozen, "after a full collection");
}

/* An operation that may free by reference counting (a store, a pop, a root
 * set): check the cascade pause rule and that tracing frees nothing. */
static void after_drop(prop *P, int64_t live_before, size_t np)
{
    gct_heap *h = P->h;
    int64_t freed = live_before - gct_heap_live_objects(h);
    if (!P->rc) {
        PCHECK(P, freed == 0, "%" PRId64 " objects freed outside a collection", freed);
        PCHECK(P, gct_heap_npauses(h) == np, "a pause outside a collection%s", "");
        return;
    }
    PCHECK(P, freed >= 0, "a drop allocated %" PRId64 " objects", -freed);
    if (freed >= P->cascade) {
        PCHECK(P, gct_heap_npauses(h) == np + 1,
               "a cascade of %" PRId64 " (limit %" PRId64 ") recorded %zu pauses", freed,
               P->cascade, gct_heap_npauses(h) - np);
        const gct_pause *p = &gct_heap_pauses(h)[np];
        stats.cascades++;
        PCHECK(P, p->kind == GCT_PAUSE_CASCADE && p->freed == freed && p->examined == freed,
               "cascade pause kind %s freed %" PRId64 " examined %" PRId64 ", expected %" PRId64,
               gct_pause_kind_name(p->kind), p->freed, p->examined, freed);
    } else {
        PCHECK(P, gct_heap_npauses(h) == np,
               "a cascade of %" PRId64 " (limit %" PRId64 ") recorded a pause", freed, P->cascade);
    }
}

/* After an allocation: if it ran an automatic collection, check it. */
static void after_alloc(prop *P, size_t np, bool was_frozen)
{
    gct_heap *h = P->h;
    size_t n = gct_heap_npauses(h) - np;
    PCHECK(P, n <= 1, "one allocation recorded %zu pauses", n);
    if (!n)
        return;
    const gct_pause *p = &gct_heap_pauses(h)[np];
    stats.autos++;
    stats.collected += p->freed;
    PCHECK(P, P->collects, "a backend that does not collect recorded a pause at an allocation%s",
           "");
    PCHECK(P, p->kind != GCT_PAUSE_CASCADE, "a cascade at an allocation%s", "");
    PCHECK(P, p->examined >= p->freed, "pause examined %" PRId64 " < freed %" PRId64, p->examined,
           p->freed);
    /* A collection of everything (marksweep, or gencycle's oldest
     * generation) leaves exactly the reachable set: the new object is rooted. */
    uint32_t ng = gct_heap_collector(h)->ngenerations;
    bool full = p->kind == GCT_PAUSE_FULL || (ng > 1 && p->kind == (gct_pause_kind)(ng - 1));
    check_state(P, full && !was_frozen,
                full ? "after an automatic full collection" : "after an automatic collection");
}

static void write_serial(prop *P, gct_obj *o)
{
    uint64_t s = ++P->serial;
    memcpy(gct_payload(o), &s, sizeof s);
}

static void op_alloc(prop *P)
{
    gct_heap *h = P->h;
    size_t np = gct_heap_npauses(h);
    bool was_frozen = frozen(P);
    gct_obj *o;
    if (chance(&P->r, 12) && gct_root_depth(h)) {
        gct_obj *target = pick(P);
        if (!target)
            return;
        o = gct_weakref_new(h, target);
        P->allocs++;
        stats.weakrefs++;
        PCHECK(P, gct_weakref_get(o) == target, "a new weak reference does not read its target%s",
               "");
        wentry e = {o, ++P->serial, target, ident(P, target)};
        wmap_put(&P->wm, e);
    } else {
        o = gct_new(h, &shapes[below(&P->r, NSHAPES)]);
        P->allocs++;
        write_serial(P, o);
    }
    PCHECK(P, gct_root_top(h) == o, "a new object is not on top of the roots%s", "");
    after_alloc(P, np, was_frozen);
    /* Often hang it somewhere and drop the root. */
    if (chance(&P->r, 50)) {
        gct_obj *src = pick_container(P);
        if (src) {
            gct_store(h, src, below(&P->r, src->shape->nslots), o);
            if (chance(&P->r, 60)) {
                int64_t before = gct_heap_live_objects(h);
                np = gct_heap_npauses(h);
                gct_root_pop(h);
                after_drop(P, before, np);
            }
        }
    }
}

static void op_store(prop *P)
{
    gct_heap *h = P->h;
    gct_obj *src = pick_container(P);
    if (!src)
        return;
    uint32_t slot = below(&P->r, src->shape->nslots);
    gct_obj *v;
    uint32_t k = below(&P->r, 100);
    if (k < 15)
        v = NULL;
    else if (k < 25)
        v = src;
    else
        v = pick(P);
    int64_t before = gct_heap_live_objects(h);
    size_t np = gct_heap_npauses(h);
    gct_store(h, src, slot, v);
    after_drop(P, before, np);
    PCHECK(P, gct_load(src, slot) == v, "a store did not take%s", "");
}

static bool full_heap(const prop *P) { return (size_t)gct_heap_live_objects(P->h) >= P->max_live; }

static void op_roots(prop *P)
{
    gct_heap *h = P->h;
    size_t d = gct_root_depth(h);
    uint32_t k = below(&P->r, 100);
    int64_t before = gct_heap_live_objects(h);
    size_t np = gct_heap_npauses(h);
    if (full_heap(P))
        k = 20 + below(&P->r, 80); /* no pushes */
    if (k < 20 && d < 128) {
        gct_root_push(h, chance(&P->r, 10) ? NULL : pick(P));
    } else if (k < 20 + P->w_pop) {
        if (d)
            gct_root_pop(h);
    } else if (k < 94) {
        if (d) {
            size_t i = below(&P->r, (uint32_t)d);
            gct_root_set(h, i, chance(&P->r, 25) ? NULL : pick(P));
        }
    } else {
        /* Truncate, one pop (one cascade) at a time. */
        size_t to = d ? below(&P->r, (uint32_t)d) : 0;
        while (gct_root_depth(h) > to) {
            gct_root_pop(h);
            after_drop(P, before, np);
            before = gct_heap_live_objects(h);
            np = gct_heap_npauses(h);
        }
    }
    after_drop(P, before, np);
}

static void op_partial(prop *P)
{
    gct_heap *h = P->h;
    uint32_t ng = gct_heap_collector(h)->ngenerations;
    int g = (int)below(&P->r, ng ? ng : 1);
    size_t np = gct_heap_npauses(h);
    bool was_frozen = frozen(P);
    int64_t r = gct_heap_collect(h, g);
    stats.partial++;
    PCHECK(P, r >= 0, "collecting generation %d returned %" PRId64, g, r);
    if (P->collects) {
        PCHECK(P, gct_heap_npauses(h) == np + 1, "collecting generation %d recorded %zu pauses", g,
               gct_heap_npauses(h) - np);
        PCHECK(P, gct_heap_pauses(h)[np].freed == r, "pause freed != result for generation %d", g);
    }
    bool full = g == (int)(ng ? ng - 1 : 0);
    check_state(P, full && !was_frozen, "after a collection of one generation");
}

/* Rare operations: freeze / unfreeze, enable / disable automatic
 * collection, change the gen0 threshold. */
static void op_misc(prop *P)
{
    gct_heap *h = P->h;
    uint32_t k = below(&P->r, 100);
    if (k < 25) {
        int r = gct_heap_freeze(h);
        PCHECK(P, r == (P->can_freeze ? GCT_OK : GCT_ENOTSUP), "gct_heap_freeze returned %d", r);
    } else if (k < 55) {
        int r = gct_heap_unfreeze(h);
        PCHECK(P, r == (P->can_freeze ? GCT_OK : GCT_ENOTSUP), "gct_heap_unfreeze returned %d", r);
        if (P->can_freeze)
            PCHECK(P, gct_heap_freeze_count(h) == 0, "%" PRId64 " objects frozen after unfreeze",
                   gct_heap_freeze_count(h));
    } else if (k < 75) {
        gct_heap_set_enabled(h, !gct_heap_enabled(h));
    } else {
        int64_t v;
        if (gct_heap_get_knob(h, "gen0", &v) == GCT_OK) {
            char err[256];
            v = below(&P->r, 41);
            PCHECK(P, gct_heap_set_knob(h, "gen0", v, err, sizeof err) == GCT_OK,
                   "set gen0=%" PRId64 ": %s", v, err);
        }
    }
    check_state(P, false, "after a freeze, an unfreeze or a knob change");
}

void run_seed(size_t index, uint64_t seed)
{
    const gct_collector *c = gct_collector_at(index);
    cr_assert(c, "no backend at registry index %zu", index);
    prop P;
    memset(&P, 0, sizeof P);
    P.be = c->name;
    P.seed = seed;
    P.op = -1;
    /* The seed mixes in nothing about the backend: the same seed drives the
     * same program on every backend. */
    gct_rng_seed(&P.r, seed);

    crash_len = (size_t)snprintf(crash_msg, sizeof crash_msg,
                                 "\n*** test-property crashed: backend %s seed %" PRIu64
                                 " (replay: GCT_SEED=%" PRIu64 " GCT_BACKEND=%s test-property)\n",
                                 c->name, seed, seed, c->name);
    if (crash_len >= sizeof crash_msg)
        crash_len = sizeof crash_msg - 1;

    /* Knobs drawn from the seed: small thresholds make automatic
     * collections frequent. */
    char bufs[4][32];
    const char *kv[4];
    size_t nk = 0;
    uint32_t gen0 = 1 + below(&P.r, 30);
    uint32_t gen1 = 1 + below(&P.r, 4);
    uint32_t gen2 = 1 + below(&P.r, 4);
    uint32_t casc = 2 + below(&P.r, 12);
    bool auto_off = chance(&P.r, 5);
    for (uint32_t i = 0; i < c->nknobs; i++) {
        const char *name = c->knobs[i].name;
        int64_t v;
        if (!strcmp(name, "gen0"))
            v = auto_off ? 0 : (c->ngenerations > 1 ? gen0 : 4 * gen0);
        else if (!strcmp(name, "gen1"))
            v = gen1;
        else if (!strcmp(name, "gen2"))
            v = gen2;
        else if (!strcmp(name, "cascade"))
            v = casc;
        else
            continue;
        if (nk == 4)
            break;
        snprintf(bufs[nk], sizeof bufs[nk], "%s=%" PRId64, name, v);
        kv[nk] = bufs[nk];
        nk++;
    }
    size_t used = 0;
    for (size_t i = 0; i < nk && used < sizeof P.knobs; i++)
        used +=
            (size_t)snprintf(P.knobs + used, sizeof P.knobs - used, "%s%s", i ? "," : "", kv[i]);
    if (!nk)
        snprintf(P.knobs, sizeof P.knobs, "-");

    char err[256];
    P.h = gct_heap_new(c->name, nk ? kv : NULL, nk, err, sizeof err);
    PCHECK(&P, P.h, "gct_heap_new: %s", err);
    gct_heap_set_verify_each(P.h, true);
    gct_heap_set_event_fn(P.h, on_event, &P);
    P.can_freeze = gct_heap_freeze_count(P.h) != GCT_ENOTSUP;
    P.rc = P.h->hot.rc;
    P.collects = c->collect != NULL;
    if (gct_heap_get_knob(P.h, "cascade", &P.cascade) != GCT_OK)
        P.cascade = INT64_MAX;
    /* The shape of the program, drawn per seed. */
    P.max_live = 100 + below(&P.r, 400);
    int nops = 200 + (int)below(&P.r, 1000);
    uint32_t check_every = 20 + below(&P.r, 40);
    P.w_alloc = 30 + below(&P.r, 26);
    P.w_store = 20 + below(&P.r, 16);
    P.w_pop = 15 + below(&P.r, 40);
    P.w_full = 1 + below(&P.r, 3);
    P.w_partial = below(&P.r, 4);
    P.w_misc = below(&P.r, 3);

    stats.seeds++;
    stats.ops += nops;
    for (P.op = 0; P.op < nops; P.op++) {
        uint32_t k = below(&P.r, 100);
        if (k < P.w_full) {
            full_collection(&P);
        } else if (k >= 100 - P.w_misc) {
            op_misc(&P);
        } else if (k < P.w_full + P.w_partial) {
            op_partial(&P);
        } else if (k < P.w_full + P.w_partial + P.w_alloc) {
            if (full_heap(&P))
                op_roots(&P);
            else
                op_alloc(&P);
        } else if (k < P.w_full + P.w_partial + P.w_alloc + P.w_store) {
            op_store(&P);
        } else {
            op_roots(&P);
        }
        if ((uint32_t)P.op % check_every == 0)
            check_state(&P, false, "at a checkpoint");
    }
    if (P.can_freeze)
        gct_heap_unfreeze(P.h);
    full_collection(&P);
    /* Drop everything: a collecting backend ends empty, refcount with its
     * leaks only. */
    int64_t before = gct_heap_live_objects(P.h);
    size_t np = gct_heap_npauses(P.h);
    while (gct_root_depth(P.h)) {
        gct_root_pop(P.h);
        after_drop(&P, before, np);
        before = gct_heap_live_objects(P.h);
        np = gct_heap_npauses(P.h);
    }
    full_collection(&P);
    if (P.collects)
        PCHECK(&P, gct_heap_live_objects(P.h) == 0, "%" PRId64 " objects survive with no roots",
               gct_heap_live_objects(P.h));
    stats.allocs += P.allocs;
    gct_heap_destroy(P.h);
    free(P.live.v);
    free(P.reach.v);
    free(P.stack.v);
    free(P.seen.k);
    free(P.referenced.k);
    free(P.wm.e);
    crash_len = 0;
}
