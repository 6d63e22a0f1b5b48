/*
 * heap.c — a heap's life and the calls that reach its backend: creation from
 * a collector and its knob values (and the one reader of "name=value" knob
 * text, gct_heap_new, which turns text into values for gct_heap_create),
 * knobs at run time, teardown, the dispatch of collections, freeze and the
 * verifier to the backend's table, the event callback, the pause log, the
 * clock, and the growable arrays the heap keeps its roots, worklist and
 * pauses in.  The free path is dealloc.c, weak references weakref.c, the
 * walks and checks heap_verify.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal/backend.h"

uint64_t gct_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *gct_pause_kind_name(gct_pause_kind k)
{
    switch (k) {
    case GCT_PAUSE_GEN0: return "gen0";
    case GCT_PAUSE_GEN1: return "gen1";
    case GCT_PAUSE_GEN2: return "gen2";
    case GCT_PAUSE_FULL: return "full";
    case GCT_PAUSE_CASCADE: return "cascade";
    case GCT_PAUSE_MARK: return "mark";
    }
    return "?";
}

/* ---- growable arrays ----------------------------------------------------- */

void *gct__grow_array(void *p, size_t *cap, size_t elem, size_t min_cap)
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
    s->items = gct__grow_array(s->items, &s->cap, sizeof *s->items, 1024);
    s->items[s->n++] = o;
}

void gct_objstack_free(gct_objstack *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}

void gct__roots_grow(gct_heap *h)
{
    h->hot.roots = gct__grow_array(h->hot.roots, &h->hot.roots_cap, sizeof *h->hot.roots, 64);
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

/* The message for a knob name c does not have, naming the ones it has. */
static void no_such_knob(const gct_collector *c, const char *name, size_t namelen, char *err,
                         size_t errlen)
{
    char names[200];
    knob_names(c, names, sizeof names);
    snprintf(err, errlen, "collector '%s' has no knob '%.*s' (knobs: %s)", c->name, (int)namelen,
             name, names);
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
            no_such_knob(c, knobs[a], (size_t)(eq - knobs[a]), err, errlen);
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
        /* Checked here too, so that errors come in the order of the text. */
        if (!knob_in_range(&c->knobs[k], v, err, errlen))
            return NULL;
        values[k] = v;
    }
    return gct_heap_create(c, values, err, errlen);
}

gct_heap *gct_heap_create(const gct_collector *c, const int64_t *knobs, char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    if (!c) {
        snprintf(err, errlen, "no collector given");
        return NULL;
    }
    if (c->abi != GCT_COLLECTOR_ABI || c->nknobs > GCT_MAX_KNOBS) {
        snprintf(err, errlen,
                 "collector '%s' has a malformed table (interface version %u, %u knobs)", c->name,
                 c->abi, c->nknobs);
        return NULL;
    }
    int64_t values[GCT_MAX_KNOBS];
    for (uint32_t i = 0; i < c->nknobs; i++) {
        values[i] = knobs ? knobs[i] : c->knobs[i].def;
        if (!knob_in_range(&c->knobs[i], values[i], err, errlen))
            return NULL;
    }

    gct_heap *h = calloc(1, sizeof *h);
    if (!h || gct_pool_init(&h->hot.pool, c->prefix) != GCT_OK) {
        free(h);
        snprintf(err, errlen, "out of memory creating a heap");
        return NULL;
    }
    h->ops = c;
    h->hot.prefix = c->prefix;
    h->hot.enabled = true;
    h->hot.rc = true;
    h->record_pauses = true;
    h->cascade_limit = INT64_MAX;
    h->created_ns = gct_now_ns();
    memcpy(h->knobs, values, sizeof(int64_t) * c->nknobs);
    int rc = c->init(h, values);
    if (rc != GCT_OK) {
        gct_pool_fini(&h->hot.pool);
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
    gct_pool_fini(&h->hot.pool); /* every object, leaked cycles included */
    gct__ptrmap_free(&h->weak);
    free(h->hot.roots);
    free(h->work);
    free(h->pauses);
    free(h);
}

const gct_collector *gct_heap_collector(const gct_heap *h) { return h->ops; }

const gct_gen_stats *gct_heap_stats(const gct_heap *h) { return h->stats; }

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
        no_such_knob(h->ops, name, strlen(name), err, errlen);
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
    h->hot.collecting = true;
    h->ops->collect_auto(h);
    h->hot.collecting = false;
    if (h->verify_each)
        verify_or_die(h);
}

void gct__safepoint(gct_heap *h)
{
    h->hot.scheduled = false;
    if (h->hot.collecting || !h->ops->safepoint)
        return;
    h->hot.collecting = true;
    h->ops->safepoint(h);
    h->hot.collecting = false;
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
    if (h->hot.collecting)
        return 0;
    if (!h->ops->collect)
        return 0; /* nothing to collect: pure reference counting */
    h->hot.collecting = true;
    int64_t r = h->ops->collect(h, generation);
    h->hot.collecting = false;
    if (h->verify_each)
        verify_or_die(h);
    return r;
}

int gct_heap_freeze(gct_heap *h) { return h->ops->freeze ? h->ops->freeze(h) : GCT_ENOTSUP; }

int gct_heap_setup_done(gct_heap *h)
{
    int64_t freeze = 0;
    if (gct_heap_get_knob(h, "freeze", &freeze) != GCT_OK || !freeze)
        return GCT_OK;
    return gct__rec_heap_freeze(h); /* a recorder sees the program's gc.freeze() */
}
int gct_heap_unfreeze(gct_heap *h) { return h->ops->unfreeze ? h->ops->unfreeze(h) : GCT_ENOTSUP; }
int64_t gct_heap_freeze_count(gct_heap *h)
{
    return h->ops->freeze_count ? h->ops->freeze_count(h) : GCT_ENOTSUP;
}

void gct_heap_set_enabled(gct_heap *h, bool enabled) { h->hot.enabled = enabled; }

void gct_heap_set_event_fn(gct_heap *h, gct_event_fn fn, void *ud)
{
    h->on_event = fn;
    h->on_event_ud = ud;
}

void gct_heap_set_verify_each(gct_heap *h, bool on) { h->verify_each = on; }

void gct_heap_set_frozen_roots(gct_heap *h, bool on) { h->frozen_roots = on; }

void gct_heap_set_frame_object(gct_heap *h, gct_obj *o) { h->frame_obj = o; }

void gct_heap_set_limit(gct_heap *h, int64_t bytes) { h->hot.pool.limit = bytes > 0 ? bytes : 0; }

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
    /* A collection of generation g restarts the windows of g and younger. */
    int g = kind <= GCT_PAUSE_GEN2 ? (int)kind : kind == GCT_PAUSE_FULL ? GCT_MAX_GEN - 1 : -1;
    int64_t between = g >= 0 ? h->hot.alloc_bytes - h->alloc_bytes_at[g] : 0;
    for (int k = 0; k <= g; k++)
        h->alloc_bytes_at[k] = h->hot.alloc_bytes;
    if (!h->record_pauses)
        return;
    uint64_t end = gct_now_ns();
    if (h->npauses == h->pauses_cap)
        h->pauses = gct__grow_array(h->pauses, &h->pauses_cap, sizeof *h->pauses, 256);
    h->pauses[h->npauses++] = (gct_pause){
        .start_ns = start_ns,
        .duration_ns = end - start_ns,
        .examined = examined,
        .traversed = traversed,
        .freed = freed,
        .alloc_bytes = between,
        .kind = kind,
    };
}

void gct_heap_set_record_pauses(gct_heap *h, bool on) { h->record_pauses = on; }
void gct_heap_clear_pauses(gct_heap *h) { h->npauses = 0; }
size_t gct_heap_npauses(const gct_heap *h) { return h->npauses; }
const gct_pause *gct_heap_pauses(const gct_heap *h) { return h->pauses; }
