/*
 * heap.c — what every backend shares: creation from a collector name and
 * knobs, the free path and reference-count cascades, roots, weak references,
 * the pause log, and the heap-level checks (verify, census, leaks).
 */
#define _POSIX_C_SOURCE 200809L
#include "heap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector.h"

/* A weak reference's payload: its target and its neighbours in the chain of
 * weak references to the same target. */
typedef struct gct_wref {
    gct_obj *target;
    gct_obj *next, *prev;
} gct_wref;

const gct_shape gct_weakref_shape = {
    .name = "weakref",
    .nslots = 0,
    .payload = sizeof(gct_wref),
    /* A tracked container with no strong references, like CPython's. */
    .flags = GCT_SHAPE_OBJECT | GCT_SHAPE_CONTAINER | GCT_SHAPE_WEAKREF,
    .size = sizeof(gct_obj) + sizeof(gct_wref),
};

static gct_wref *wref_of(gct_obj *wr) { return (gct_wref *)(void *)wr->slots; }

void gct__fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gctune: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

uint64_t gct_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *gct_strerror(int code)
{
    switch (code) {
    case GCT_OK: return "ok";
    case GCT_EINVAL: return "invalid argument";
    case GCT_ENOTSUP: return "not supported by this collector";
    case GCT_ENOMEM: return "out of memory";
    default: return "unknown error";
    }
}

const char *gct_pause_kind_name(gct_pause_kind k)
{
    switch (k) {
    case GCT_PAUSE_GEN0: return "gen0";
    case GCT_PAUSE_GEN1: return "gen1";
    case GCT_PAUSE_GEN2: return "gen2";
    case GCT_PAUSE_FULL: return "full";
    case GCT_PAUSE_CASCADE: return "cascade";
    }
    return "?";
}

/* ---- growable arrays ----------------------------------------------------- */

static void *grow_array(void *p, size_t *cap, size_t elem, size_t min_cap)
{
    size_t ncap = *cap ? *cap * 2 : min_cap;
    void *np = realloc(p, ncap * elem);
    if (!np)
        gct__fatal("out of memory growing an array to %zu entries", ncap);
    *cap = ncap;
    return np;
}

void gct_objstack_push_slow(gct_objstack *s, gct_obj *o)
{
    s->items = grow_array(s->items, &s->cap, sizeof *s->items, 1024);
    s->items[s->n++] = o;
}

void gct_objstack_free(gct_objstack *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}

void gct__roots_grow(gct_heap *h)
{
    h->roots = grow_array(h->roots, &h->roots_cap, sizeof *h->roots, 64);
}

/* ---- pointer map --------------------------------------------------------- */

static size_t ptr_hash(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p >> 4;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 32) & (cap - 1);
}

static size_t ptrmap_slot(const gct_ptrmap *m, const void *key)
{
    size_t i = ptr_hash(key, m->cap);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static uintptr_t *ptrmap_get(const gct_ptrmap *m, const void *key)
{
    if (!m->cap)
        return NULL;
    size_t i = ptrmap_slot(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

static void ptrmap_put(gct_ptrmap *m, const void *key, uintptr_t val);

static void ptrmap_rehash(gct_ptrmap *m)
{
    gct_ptrmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->n = 0;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->vals = calloc(m->cap, sizeof *m->vals);
    if (!m->keys || !m->vals)
        gct__fatal("out of memory growing a map to %zu entries", m->cap);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i])
            ptrmap_put(m, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
}

static void ptrmap_put(gct_ptrmap *m, const void *key, uintptr_t val)
{
    if ((m->n + 1) * 2 > m->cap)
        ptrmap_rehash(m);
    size_t i = ptrmap_slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
}

/* Remove with backward-shift deletion, so no tombstones are needed. */
static void ptrmap_del(gct_ptrmap *m, const void *key)
{
    if (!m->cap)
        return;
    size_t mask = m->cap - 1, i = ptrmap_slot(m, key);
    if (!m->keys[i])
        return;
    m->n--;
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        if (!m->keys[j])
            break;
        size_t home = ptr_hash(m->keys[j], m->cap);
        /* Move j back into the hole at i unless its home lies in (i, j]. */
        bool in_between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!in_between) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->keys[i] = NULL;
    m->vals[i] = 0;
}

static void ptrmap_free(gct_ptrmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- creation and knobs -------------------------------------------------- */

/* A plain decimal integer: an optional '-' and digits, nothing else (no
 * spaces, no '+', no hex or exponents). */
static bool parse_int64(const char *s, int64_t *out)
{
    if (!*s || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s)
        return false;
    *out = v;
    return true;
}

static int knob_index(const gct_collector *c, const char *name, size_t namelen)
{
    for (uint32_t i = 0; i < c->nknobs; i++)
        if (strlen(c->knobs[i].name) == namelen && !strncmp(c->knobs[i].name, name, namelen))
            return (int)i;
    return -1;
}

static void knob_names(const gct_collector *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < c->nknobs && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", c->knobs[i].name);
    if (!c->nknobs)
        snprintf(buf, len, "none");
}

static bool knob_in_range(const gct_knob *k, int64_t v, char *err, size_t errlen)
{
    if (v < k->min || v > k->max) {
        snprintf(err, errlen, "knob %s=%" PRId64 " is out of range (%" PRId64 "..%" PRId64 ")",
                 k->name, v, k->min, k->max);
        return false;
    }
    return true;
}

gct_heap *gct_heap_new(const char *collector, const char *const *knobs, size_t n, char *err,
                       size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    if (!gct_collector_registry_check(err, errlen))
        return NULL;
    const gct_collector *c = collector ? gct_collector_find(collector) : NULL;
    if (!c) {
        char names[200];
        gct_collector_names(names, sizeof names);
        snprintf(err, errlen, "unknown collector '%s' (known: %s)", collector ? collector : "(null)",
                 names);
        return NULL;
    }
    int64_t values[GCT_MAX_KNOBS];
    bool given[GCT_MAX_KNOBS] = {false};
    for (uint32_t i = 0; i < c->nknobs; i++)
        values[i] = c->knobs[i].def;
    for (size_t a = 0; a < n; a++) {
        if (!knobs[a]) {
            snprintf(err, errlen, "knob setting %zu is NULL", a);
            return NULL;
        }
        const char *eq = strchr(knobs[a], '=');
        if (!eq || eq == knobs[a]) {
            snprintf(err, errlen, "knob setting '%s' is not of the form name=value", knobs[a]);
            return NULL;
        }
        int k = knob_index(c, knobs[a], (size_t)(eq - knobs[a]));
        if (k < 0) {
            char names[200];
            knob_names(c, names, sizeof names);
            snprintf(err, errlen, "collector '%s' has no knob '%.*s' (knobs: %s)", c->name,
                     (int)(eq - knobs[a]), knobs[a], names);
            return NULL;
        }
        if (given[k]) {
            snprintf(err, errlen, "knob '%s' is given twice", c->knobs[k].name);
            return NULL;
        }
        given[k] = true;
        int64_t v;
        if (!parse_int64(eq + 1, &v)) {
            snprintf(err, errlen, "knob %s: '%s' is not an integer", c->knobs[k].name, eq + 1);
            return NULL;
        }
        if (!knob_in_range(&c->knobs[k], v, err, errlen))
            return NULL;
        values[k] = v;
    }

    gct_heap *h = calloc(1, sizeof *h);
    if (!h || gct_pool_init(&h->pool, c->prefix) != GCT_OK) {
        free(h);
        snprintf(err, errlen, "out of memory creating a heap");
        return NULL;
    }
    h->ops = c;
    h->prefix = c->prefix;
    h->enabled = true;
    h->rc = true;
    h->record_pauses = true;
    h->cascade_limit = INT64_MAX;
    h->created_ns = gct_now_ns();
    memcpy(h->knobs, values, sizeof(int64_t) * c->nknobs);
    int rc = c->init(h, values);
    if (rc != GCT_OK) {
        gct_pool_fini(&h->pool);
        free(h);
        snprintf(err, errlen, "collector '%s' failed to start: %s", c->name, gct_strerror(rc));
        return NULL;
    }
    return h;
}

void gct_heap_destroy(gct_heap *h)
{
    if (!h)
        return;
    if (h->ops->fini)
        h->ops->fini(h);
    gct_pool_fini(&h->pool); /* every object, leaked cycles included */
    ptrmap_free(&h->weak);
    free(h->roots);
    free(h->work);
    free(h->pauses);
    free(h);
}

int gct_heap_get_knob(gct_heap *h, const char *name, int64_t *value)
{
    if (!name)
        return GCT_EINVAL;
    int k = knob_index(h->ops, name, strlen(name));
    if (k < 0)
        return GCT_EINVAL;
    *value = h->knobs[k];
    return GCT_OK;
}

int gct_heap_set_knob(gct_heap *h, const char *name, int64_t value, char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    if (!name) {
        snprintf(err, errlen, "knob name is NULL");
        return GCT_EINVAL;
    }
    int k = knob_index(h->ops, name, strlen(name));
    if (k < 0) {
        char names[200];
        knob_names(h->ops, names, sizeof names);
        snprintf(err, errlen, "collector '%s' has no knob '%s' (knobs: %s)", h->ops->name, name,
                 names);
        return GCT_EINVAL;
    }
    if (!knob_in_range(&h->ops->knobs[k], value, err, errlen))
        return GCT_EINVAL;
    h->knobs[k] = value;
    if (h->ops->set_knob)
        h->ops->set_knob(h, (uint32_t)k, value);
    return GCT_OK;
}

/* ---- collections --------------------------------------------------------- */

static void verify_or_die(gct_heap *h)
{
    char err[512];
    if (!gct_heap_verify(h, false, err, sizeof err))
        gct__fatal("heap verification failed after a collection (%s): %s", h->ops->name, err);
}

void gct__collect_auto(gct_heap *h)
{
    h->collecting = true;
    h->ops->collect_auto(h);
    h->collecting = false;
    if (h->verify_each)
        verify_or_die(h);
}

int64_t gct_heap_collect(gct_heap *h, int generation)
{
    int ngen = (int)h->ops->ngenerations;
    if (generation == GCT_GEN_FULL)
        generation = ngen ? ngen - 1 : 0;
    if (generation < 0 || generation >= (ngen ? ngen : 1))
        return GCT_EINVAL;
    if (h->collecting)
        return 0;
    if (!h->ops->collect)
        return 0; /* nothing to collect: pure reference counting */
    h->collecting = true;
    int64_t r = h->ops->collect(h, generation);
    h->collecting = false;
    if (h->verify_each)
        verify_or_die(h);
    return r;
}

int gct_heap_freeze(gct_heap *h) { return h->ops->freeze ? h->ops->freeze(h) : GCT_ENOTSUP; }
int gct_heap_unfreeze(gct_heap *h) { return h->ops->unfreeze ? h->ops->unfreeze(h) : GCT_ENOTSUP; }
int64_t gct_heap_freeze_count(gct_heap *h)
{
    return h->ops->freeze_count ? h->ops->freeze_count(h) : GCT_ENOTSUP;
}

void gct_heap_set_enabled(gct_heap *h, bool enabled) { h->enabled = enabled; }

void gct_heap_set_event_fn(gct_heap *h, gct_event_fn fn, void *ud)
{
    h->on_event = fn;
    h->on_event_ud = ud;
}

void gct_heap_set_verify_each(gct_heap *h, bool on) { h->verify_each = on; }

void gct_heap_set_limit(gct_heap *h, int64_t bytes) { h->pool.limit = bytes > 0 ? bytes : 0; }

void gct__emit_event(gct_heap *h, gct_event_phase phase, int generation, int64_t collected,
                     int64_t uncollectable)
{
    if (!h->on_event)
        return;
    gct_event_info info = {generation, collected, uncollectable};
    h->on_event(h->on_event_ud, phase, &info);
}

/* ---- pause log ----------------------------------------------------------- */

void gct__record_pause(gct_heap *h, gct_pause_kind kind, uint64_t start_ns, int64_t examined,
                       int64_t traversed, int64_t freed)
{
    if (!h->record_pauses)
        return;
    uint64_t end = gct_now_ns();
    if (h->npauses == h->pauses_cap)
        h->pauses = grow_array(h->pauses, &h->pauses_cap, sizeof *h->pauses, 256);
    h->pauses[h->npauses++] = (gct_pause){
        .start_ns = start_ns,
        .duration_ns = end - start_ns,
        .examined = examined,
        .traversed = traversed,
        .freed = freed,
        .kind = kind,
    };
}

void gct_heap_set_record_pauses(gct_heap *h, bool on) { h->record_pauses = on; }
void gct_heap_clear_pauses(gct_heap *h) { h->npauses = 0; }

/* ---- freeing ------------------------------------------------------------- */

void gct__weakrefs_clear(gct_heap *h, gct_obj *o)
{
    uintptr_t *head = ptrmap_get(&h->weak, o);
    for (gct_obj *wr = head ? (gct_obj *)*head : NULL; wr;) {
        gct_wref *w = wref_of(wr);
        gct_obj *next = w->next;
        w->target = w->next = w->prev = NULL;
        wr = next;
    }
    ptrmap_del(&h->weak, o);
    o->flags &= (uint8_t)~GCT_OF_WEAKREFD;
}

/* A weak reference dies: take it out of its target's chain. */
static void weakref_unlink(gct_heap *h, gct_obj *wr)
{
    gct_wref *w = wref_of(wr);
    if (!w->target)
        return;
    if (w->prev) {
        wref_of(w->prev)->next = w->next;
    } else if (w->next) {
        ptrmap_put(&h->weak, w->target, (uintptr_t)w->next);
    } else {
        ptrmap_del(&h->weak, w->target);
        w->target->flags &= (uint8_t)~GCT_OF_WEAKREFD;
    }
    if (w->next)
        wref_of(w->next)->prev = w->prev;
    w->target = w->next = w->prev = NULL;
}

void gct__free(gct_heap *h, gct_obj *o)
{
    GCT_CHECK(!(o->flags & GCT_OF_FREE), "double free of %p", (void *)o);
    if (o->flags & GCT_OF_WEAKREFD)
        gct__weakrefs_clear(h, o);
    if (o->shape->flags & GCT_SHAPE_WEAKREF)
        weakref_unlink(h, o);
    if (h->young && (o->shape->flags & GCT_SHAPE_CONTAINER)) {
        /* gencycle: untrack, and count[0] goes down but never below zero
         * (PyObject_GC_Del). */
        gct_link *l = gct_obj_link(o);
        if (l->next) {
            l->prev->next = l->next;
            l->next->prev = l->prev;
            l->next = l->prev = NULL;
        }
        if (h->count[0] > 0)
            h->count[0]--;
    }
    size_t size = (size_t)h->prefix + o->shape->size;
    h->live_objects--;
    h->live_bytes -= (int64_t)size;
    h->total_frees++;
    char *block = (char *)o - h->prefix;
    if (o->sizeclass)
        gct_pool_free(&h->pool, block, o->sizeclass);
    else
        gct_pool_free_large(&h->pool, block);
}

gct_obj *gct__alloc_large(gct_heap *h, const gct_shape *s, size_t size)
{
    (void)s;
    char *block = gct_pool_alloc_large(&h->pool, size);
    gct_obj *o = (gct_obj *)(void *)(block + h->prefix);
    o->sizeclass = 0;
    return o;
}

/*
 * o's reference count reached zero: free it and everything that dies with
 * it, using an explicit worklist so that a 10,000,000-long chain never
 * recurses.  A cascade of at least cascade_limit objects is recorded as a
 * pause (not inside a collection, whose pause already covers it).
 *
 * Reading the clock costs about 25 ns, more than freeing a small object, so
 * a cascade is only timed once it has freed CASCADE_HEAD objects (or its
 * second object, when the limit is small): dropping a tuple and its int costs
 * no clock read.  The recorded pause therefore leaves out the time of the
 * first CASCADE_HEAD - 1 frees, at most about 3% of a cascade of the default
 * limit of 1,000 (an estimate of it could place the start before the decref
 * that caused it, so none is added).
 */
#define CASCADE_HEAD 32

void gct__dealloc(gct_heap *h, gct_obj *o)
{
    size_t n = 0;
    int64_t freed = 0;
    uint64_t t0 = 0;
    bool timing = false;
    bool may_record = h->record_pauses && !h->collecting && h->cascade_limit != INT64_MAX;
    int64_t start_at = h->cascade_limit > 4 * CASCADE_HEAD ? CASCADE_HEAD : 1;
    gct_obj *x = o;
    for (;;) {
        uint32_t ns = x->shape->nslots;
        for (uint32_t i = 0; i < ns; i++) {
            gct_obj *c = x->slots[i];
            if (c) {
                GCT_CHECK(c->refcnt > 0, "decref below zero of %p (%s)", (void *)c, c->shape->name);
                if (--c->refcnt == 0) {
                    if (n == h->work_cap)
                        h->work = grow_array(h->work, &h->work_cap, sizeof *h->work, 256);
                    h->work[n++] = c;
                }
            }
        }
        gct__free(h, x);
        freed++;
        if (n == 0)
            break;
        if (!timing && may_record && freed >= start_at) {
            timing = true;
            t0 = gct_now_ns();
        }
        x = h->work[--n];
    }
    if (timing && freed >= h->cascade_limit)
        gct__record_pause(h, GCT_PAUSE_CASCADE, t0, freed, 0, freed);
}

/* ---- weak references ----------------------------------------------------- */

gct_obj *gct_weakref_new(gct_heap *h, gct_obj *target)
{
    if (!target)
        gct__fatal("gct_weakref_new: the target is NULL");
    GCT_CHECK(!(target->flags & GCT_OF_FREE), "weak reference to freed object %p", (void *)target);
    /* The allocation may collect: hold the target on the root stack across
     * it, so that a target reachable only from the caller survives. */
    gct_root_push(h, target);
    gct_obj *wr = gct__alloc(h, &gct_weakref_shape);
    gct_obj *held = h->roots[h->nroots - 1];
    h->roots[h->nroots - 1] = wr; /* the stack now owns the new reference */
    if (held)
        gct_decref(h, held);      /* drop the hold (the caller still has target) */
    gct_wref *w = wref_of(wr);
    uintptr_t *head = ptrmap_get(&h->weak, target);
    w->target = target;
    w->prev = NULL;
    w->next = head ? (gct_obj *)*head : NULL;
    if (w->next)
        wref_of(w->next)->prev = wr;
    ptrmap_put(&h->weak, target, (uintptr_t)wr);
    target->flags |= GCT_OF_WEAKREFD;
    return wr;
}

/* ---- walks --------------------------------------------------------------- */

struct foreach_ctx {
    gct_heap *h;
    gct_obj_fn fn;
    void *ud;
};

static void foreach_block(void *ud, void *block)
{
    struct foreach_ctx *c = ud;
    c->fn(c->ud, (gct_obj *)(void *)((char *)block + c->h->prefix));
}

void gct_heap_foreach(gct_heap *h, gct_obj_fn fn, void *ud)
{
    struct foreach_ctx c = {h, fn, ud};
    gct_pool_foreach(&h->pool, foreach_block, &c);
}

/* Visit everything reachable from the roots, setting (set=true) or clearing
 * GCT_OF_REACH; returns the objects and bytes visited. */
static void reach_walk(gct_heap *h, bool set, int64_t *objs, int64_t *bytes)
{
    gct_objstack st = {0};
    int64_t no = 0, nb = 0;
    for (size_t i = 0; i < h->nroots; i++)
        if (h->roots[i])
            gct_objstack_push(&st, h->roots[i]);
    while (st.n) {
        gct_obj *o = st.items[--st.n];
        bool seen = (o->flags & GCT_OF_REACH) != 0;
        if (seen == set)
            continue;
        o->flags ^= GCT_OF_REACH;
        no++;
        nb += (int64_t)h->prefix + o->shape->size;
        for (uint32_t i = 0; i < o->shape->nslots; i++)
            if (o->slots[i])
                gct_objstack_push(&st, o->slots[i]);
    }
    gct_objstack_free(&st);
    if (objs)
        *objs = no;
    if (bytes)
        *bytes = nb;
}

void gct_heap_census(gct_heap *h, int64_t *reach_objects, int64_t *reach_bytes)
{
    reach_walk(h, true, reach_objects, reach_bytes);
    reach_walk(h, false, NULL, NULL);
}

void gct_heap_leaks(gct_heap *h, int64_t *objects, int64_t *bytes)
{
    int64_t ro, rb;
    gct_heap_census(h, &ro, &rb);
    if (objects)
        *objects = h->live_objects - ro;
    if (bytes)
        *bytes = h->live_bytes - rb;
}

/* ---- verification -------------------------------------------------------- */

struct verify_ctx {
    gct_heap *h;
    int64_t objs, bytes;
    char *err;
    size_t errlen;
    bool ok;
};

#define VFAIL(c, ...)                                                                              \
    do {                                                                                           \
        if ((c)->ok)                                                                               \
            snprintf((c)->err, (c)->errlen, __VA_ARGS__);                                          \
        (c)->ok = false;                                                                           \
    } while (0)

static void verify_obj(void *ud, gct_obj *o)
{
    struct verify_ctx *c = ud;
    gct_heap *h = c->h;
    c->objs++;
    c->bytes += (int64_t)h->prefix + o->shape->size;
    if (o->flags & (GCT_OF_REACH | GCT_OF_COLLECTING | GCT_OF_UNREACHABLE))
        VFAIL(c, "object %p (%s) carries transient flags 0x%x outside a walk", (void *)o,
              o->shape->name, o->flags);
    if (h->rc && o->refcnt == 0)
        VFAIL(c, "live object %p (%s) has reference count 0", (void *)o, o->shape->name);
    for (uint32_t i = 0; i < o->shape->nslots; i++) {
        gct_obj *t = o->slots[i];
        if (t && (t->flags & GCT_OF_FREE))
            VFAIL(c, "slot %u of %p (%s) points at freed object %p", i, (void *)o, o->shape->name,
                  (void *)t);
    }
    if (o->shape->flags & GCT_SHAPE_WEAKREF) {
        gct_wref *w = wref_of(o);
        if (w->target) {
            if (w->target->flags & GCT_OF_FREE)
                VFAIL(c, "weak reference %p points at freed object %p", (void *)o,
                      (void *)w->target);
            else if (!(w->target->flags & GCT_OF_WEAKREFD))
                VFAIL(c, "target %p of weak reference %p lacks its weakref flag",
                      (void *)w->target, (void *)o);
            uintptr_t *head = ptrmap_get(&h->weak, w->target);
            gct_obj *x = head ? (gct_obj *)*head : NULL;
            while (x && x != o)
                x = wref_of(x)->next;
            if (!x)
                VFAIL(c, "weak reference %p is missing from its target's chain", (void *)o);
        }
    }
    if ((o->flags & GCT_OF_WEAKREFD) && !ptrmap_get(&h->weak, o))
        VFAIL(c, "object %p is flagged weakly referenced but has no weak references", (void *)o);
}

/*
 * Exact reference counts without a side table: subtract every reference
 * from slots and roots from its target's count, check that every count is
 * then zero, and add them back.  (A count too high or too low by k is left
 * at +k or -k.)  Only called once every slot is known to point at a live
 * object.
 */
static void refs_adjust(void *ud, gct_obj *o)
{
    int32_t delta = *(const int32_t *)ud;
    for (uint32_t i = 0; i < o->shape->nslots; i++)
        if (o->slots[i])
            o->slots[i]->refcnt += (uint32_t)delta;
}

static void refs_check(void *ud, gct_obj *o)
{
    struct verify_ctx *c = ud;
    if (o->refcnt != 0)
        VFAIL(c, "object %p (%s): reference count off by %+d from the references to it",
              (void *)o, o->shape->name, (int32_t)o->refcnt);
}

static void roots_adjust(gct_heap *h, int32_t delta)
{
    for (size_t i = 0; i < h->nroots; i++)
        if (h->roots[i])
            h->roots[i]->refcnt += (uint32_t)delta;
}

bool gct_heap_verify(gct_heap *h, bool exact_refcounts, char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    struct verify_ctx c = {h, 0, 0, err, errlen, true};
    for (size_t i = 0; i < h->nroots; i++) {
        gct_obj *r = h->roots[i];
        if (r && (r->flags & GCT_OF_FREE))
            VFAIL(&c, "root %zu points at freed object %p", i, (void *)r);
    }
    gct_heap_foreach(h, verify_obj, &c);
    if (c.ok && c.objs != h->live_objects)
        VFAIL(&c, "the heap counts %" PRId64 " live objects but the allocator holds %" PRId64,
              h->live_objects, c.objs);
    if (c.ok && c.bytes != h->live_bytes)
        VFAIL(&c, "the heap counts %" PRId64 " live bytes but the allocator holds %" PRId64,
              h->live_bytes, c.bytes);
    if (c.ok && exact_refcounts && h->rc) {
        int32_t minus = -1, plus = 1;
        gct_heap_foreach(h, refs_adjust, &minus);
        roots_adjust(h, -1);
        gct_heap_foreach(h, refs_check, &c);
        gct_heap_foreach(h, refs_adjust, &plus);
        roots_adjust(h, 1);
    }
    if (c.ok && h->ops->verify)
        c.ok = h->ops->verify(h, err, errlen);
    return c.ok;
}
