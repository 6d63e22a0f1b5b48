/*
 * cache.c — an LRU cache laid out like Python's functools.lru_cache: a hash
 * index (a bucket array whose chains run through the links) plus a circular
 * doubly linked list of links with a sentinel root that starts out pointing at
 * itself.  The least recently used link is root.next, the most recent
 * root.prev.  Keys are Zipf-distributed ranks (rank 1 is the most popular).
 *
 * One operation looks up one key.  A hit moves its link to the recent end.  A
 * miss builds a value of `value_objects` objects, each referring back to its
 * link (so link and value form a cycle), inserts a new link (lru_cache's path
 * while not full: a new link per miss) and, once the cache holds `capacity`
 * entries, evicts the least recently used link: it leaves the list and the
 * index with its value still attached, cyclic garbage of value_objects + 1
 * objects.
 *
 * Values (parameter values):
 *  - strong: the link holds its value; lru_cache exactly.
 *  - weak: the link holds a weak reference to its value (the
 *    WeakValueDictionary pattern).  The application keeps the last `hold`
 *    values it looked up in a ring of strong references; a value nothing else
 *    holds dies, and looking its key up again finds a dead weak reference,
 *    which counts as a miss ("dead") and rebuilds the value.  When a value
 *    dies is the collector's business: reference counting frees it at once,
 *    a tracing collector at its next collection, so hit ratios differ by
 *    collector here, and only here.  No cycles: values point at links, links
 *    only weakly at values.
 *
 * Set-up fills the cache with ranks capacity..1 (rank 1 most recent), so
 * evictions start with the first miss.
 *
 * Invariants: the cache object is at root_base + 0.  The list from root
 * returns to root after exactly `size` links, each link's prev is the link
 * before it, each link is in the bucket of its key, the index holds exactly
 * `size` links, and every value reachable from a link is a chain of
 * value_objects objects that refer back to that link, with the key and the
 * data sum the link recorded.
 */
#include <stdio.h>

#include "workload.h"

enum { P_KEYS, P_ZIPF, P_CAPACITY, P_VALUE_OBJECTS, P_VALUES, P_HOLD };
enum { VALUES_STRONG, VALUES_WEAK };
enum { L_PREV, L_NEXT, L_HNEXT, L_VALUE };      /* link slots */
enum { V_ENTRY, V_NEXT };                       /* value slots */
enum { C_ROOT, C_INDEX, C_HOLD };               /* cache slots */

static const char *const values_choices[] = {"strong", "weak", NULL};

static const gct_param params[] = {
    [P_KEYS] = {"keys", GCT_PARAM_INT, 100000, 1, 1000000000, NULL,
                "number of distinct keys (Zipf ranks 1..keys)"},
    [P_ZIPF] = {"zipf", GCT_PARAM_REAL, 1.0, 0, 10, NULL,
                "Zipf exponent of the key distribution (0: uniform)"},
    [P_CAPACITY] = {"capacity", GCT_PARAM_INT, 10000, 1, 1 << GCT_WL_ARRAY_MAX_LOG2, NULL,
                    "entries the cache holds before it evicts"},
    [P_VALUE_OBJECTS] = {"value_objects", GCT_PARAM_INT, 4, 1, 1000, NULL,
                         "objects in each cached value, each referring back to its entry"},
    [P_VALUES] = {"values", GCT_PARAM_CHOICE, VALUES_STRONG, 0, 0, values_choices,
                  "strong (lru_cache) or weak (the cache holds weak references to its values)"},
    [P_HOLD] = {"hold", GCT_PARAM_INT, 1000, 0, 1 << GCT_WL_ARRAY_MAX_LOG2, NULL,
                "values=weak only: the application keeps the last `hold` values it looked up "
                "alive"},
};

#define LINK_MAGIC UINT64_C(0x6361636865000001) /* "cache" */
#define VALUE_MAGIC UINT64_C(0x6361636865000002)
#define CACHE_MAGIC UINT64_C(0x6361636865000003)

typedef struct link_payload {
    uint64_t magic;
    uint64_t key;  /* 0 for the root */
    uint64_t vsum; /* sum of the data of the link's current value */
} link_payload;

typedef struct value_payload {
    uint64_t magic;
    uint64_t key;
    uint64_t data;
} value_payload;

static const gct_shape link_shape = GCT_SHAPE("lru_link", 4, sizeof(link_payload));
static const gct_shape value_shape = GCT_SHAPE("lru_value", 2, sizeof(value_payload));
static const gct_shape cache_shape = GCT_SHAPE("lru_cache", 3, 8);

typedef struct cache {
    int64_t keys, capacity, value_objects, hold;
    bool weak;
    gct_zipf zipf;
    uint64_t nbuckets;
    int64_t size, hold_pos;
    int64_t hits, misses, dead, evictions;
} cache;

static link_payload *lp(gct_obj *l) { return gct_payload(l); }
static value_payload *vp(gct_obj *v) { return gct_payload(v); }

static uint64_t bucket_of(const cache *c, uint64_t key) { return gct_mix64(key) & (c->nbuckets - 1); }

static bool is_link(const gct_obj *l)
{
    return l && !gct_wl_is_freed(l) && l->shape == &link_shape &&
           lp((gct_obj *)l)->magic == LINK_MAGIC;
}

static gct_obj *find(const cache *c, gct_obj *index, uint64_t key)
{
    for (gct_obj *l = gct_load(index, (uint32_t)bucket_of(c, key)); l; l = gct_load(l, L_HNEXT))
        if (lp(l)->key == key)
            return l;
    return NULL;
}

/* The link's value, or NULL if its weak reference is dead. */
static gct_obj *value_of(const cache *c, gct_obj *l)
{
    gct_obj *v = gct_load(l, L_VALUE);
    return c->weak && v ? gct_weakref_get(v) : v;
}

/* Does the chain from v0 belong to link l, with l's key and data sum? */
static bool value_ok(const cache *c, gct_obj *l, gct_obj *v0)
{
    int64_t n = 0;
    uint64_t sum = 0;
    for (gct_obj *v = v0; v; v = gct_load(v, V_NEXT)) {
        if (gct_wl_is_freed(v) || v->shape != &value_shape || vp(v)->magic != VALUE_MAGIC ||
            vp(v)->key != lp(l)->key || gct_load(v, V_ENTRY) != l || ++n > c->value_objects)
            return false;
        sum += vp(v)->data;
    }
    return n == c->value_objects && sum == lp(l)->vsum;
}

/* Push a new value chain for key (its first object) on the root stack;
 * returns the sum of its data. */
static uint64_t build_value(gct_workload_run *r, const cache *c, uint64_t key)
{
    gct_heap *h = r->h;
    gct_root_push(h, NULL);
    size_t vi = gct_root_depth(h) - 1;
    uint64_t sum = 0;
    for (int64_t i = 0; i < c->value_objects; i++) {
        gct_obj *v = gct_wl_new(h, &value_shape);
        *vp(v) = (value_payload){VALUE_MAGIC, key, gct_rng_next(&r->rng)};
        sum += vp(v)->data;
        gct_store(h, v, V_NEXT, gct_root_get(h, vi));
        gct_root_set(h, vi, v);
        gct_root_pop(h);
    }
    return sum;
}

/* Give the link at root index li the value at root index vi. */
static void attach(gct_workload_run *r, const cache *c, size_t li, size_t vi, uint64_t sum)
{
    gct_heap *h = r->h;
    if (c->weak) {
        gct_wl_weakref_new(h, gct_root_get(h, vi));
        gct_store(h, gct_root_get(h, li), L_VALUE, gct_root_top(h));
        gct_root_pop(h);
    } else {
        gct_store(h, gct_root_get(h, li), L_VALUE, gct_root_get(h, vi));
    }
    gct_obj *l = gct_root_get(h, li);
    lp(l)->vsum = sum;
    for (gct_obj *v = gct_root_get(h, vi); v; v = gct_load(v, V_NEXT))
        gct_store(h, v, V_ENTRY, l);
}

/* Append link l at the recent end (just before root).  Every link is also
 * held by the index, so no store here can free one. */
static void append(gct_heap *h, gct_obj *root, gct_obj *l)
{
    gct_obj *last = gct_load(root, L_PREV);
    gct_store(h, last, L_NEXT, l);
    gct_store(h, root, L_PREV, l);
    gct_store(h, l, L_PREV, last);
    gct_store(h, l, L_NEXT, root);
}

static void unlink_link(gct_heap *h, gct_obj *l)
{
    gct_obj *p = gct_load(l, L_PREV), *n = gct_load(l, L_NEXT);
    gct_store(h, p, L_NEXT, n);
    gct_store(h, n, L_PREV, p);
}

/* Evict the least recently used link. */
static void evict(gct_workload_run *r, cache *c)
{
    gct_heap *h = r->h;
    gct_obj *co = gct_root_get(h, r->root_base);
    gct_obj *root = gct_load(co, C_ROOT), *index = gct_load(co, C_INDEX);
    gct_obj *old = gct_load(root, L_NEXT);
    gct_root_push(h, old);
    unlink_link(h, old);
    uint32_t b = (uint32_t)bucket_of(c, lp(old)->key);
    gct_obj *p = gct_load(index, b);
    if (p == old) {
        gct_store(h, index, b, gct_load(old, L_HNEXT));
    } else {
        while (p && gct_load(p, L_HNEXT) != old)
            p = gct_load(p, L_HNEXT);
        if (!p) {
            gct_workload_fail(r, "evicted key %llu is not in its bucket",
                              (unsigned long long)lp(old)->key);
            gct_root_pop(h);
            return;
        }
        gct_store(h, p, L_HNEXT, gct_load(old, L_HNEXT));
    }
    gct_store(h, old, L_PREV, NULL);
    gct_store(h, old, L_NEXT, NULL);
    gct_store(h, old, L_HNEXT, NULL);
    c->size--;
    c->evictions++;
    if (!c->weak)
        r->cyclic_garbage += c->value_objects + 1;
    gct_root_pop(h); /* strong: link and value are now a garbage cycle */
}

/* The application holds the value at root index vi for a while. */
static void hold(gct_workload_run *r, cache *c, size_t vi)
{
    if (!c->weak)
        return;
    gct_heap *h = r->h;
    gct_obj *ring = gct_load(gct_root_get(h, r->root_base), C_HOLD);
    gct_store(h, ring, (uint32_t)c->hold_pos, gct_root_get(h, vi));
    c->hold_pos = (c->hold_pos + 1) % c->hold;
}

/* A miss: a new link with a new value for key.  Leaves the value on the
 * root stack. */
static uint64_t insert(gct_workload_run *r, cache *c, uint64_t key)
{
    gct_heap *h = r->h;
    uint64_t sum = build_value(r, c, key);
    size_t vi = gct_root_depth(h) - 1;
    gct_obj *l = gct_wl_new(h, &link_shape);
    *lp(l) = (link_payload){LINK_MAGIC, key, 0};
    attach(r, c, vi + 1, vi, sum);
    l = gct_root_get(h, vi + 1);
    gct_obj *co = gct_root_get(h, r->root_base);
    gct_obj *index = gct_load(co, C_INDEX);
    uint32_t b = (uint32_t)bucket_of(c, key);
    gct_store(h, l, L_HNEXT, gct_load(index, b));
    gct_store(h, index, b, l);
    append(h, gct_load(co, C_ROOT), l);
    c->size++;
    gct_root_pop(h);
    if (c->size > c->capacity)
        evict(r, c);
    return sum;
}

static gct_param_mask cache_check_params(const double *v, char *err, size_t errlen)
{
    if (v[P_CAPACITY] > v[P_KEYS]) {
        snprintf(err, errlen,
                 "capacity=%.0f is larger than keys=%.0f: the cache could never fill and evict",
                 v[P_CAPACITY], v[P_KEYS]);
        return GCT_PARAM_BIT(P_CAPACITY) | GCT_PARAM_BIT(P_KEYS);
    }
    if (v[P_VALUES] == VALUES_WEAK && v[P_HOLD] < 1) {
        snprintf(err, errlen,
                 "values=weak needs hold >= 1: with hold=0 nothing keeps a value alive and "
                 "every lookup misses");
        return GCT_PARAM_BIT(P_VALUES) | GCT_PARAM_BIT(P_HOLD);
    }
    return 0;
}

static int cache_setup(gct_workload_run *r, char *err, size_t errlen)
{
    cache *c = r->state;
    gct_heap *h = r->h;
    c->keys = gct_wl_int(r, P_KEYS);
    c->capacity = gct_wl_int(r, P_CAPACITY);
    c->value_objects = gct_wl_int(r, P_VALUE_OBJECTS);
    c->weak = gct_wl_int(r, P_VALUES) == VALUES_WEAK;
    c->hold = c->weak ? gct_wl_int(r, P_HOLD) : 0;
    gct_zipf_init(&c->zipf, (uint64_t)c->keys, gct_wl_real(r, P_ZIPF));
    const gct_shape *index_shape = gct_wl_array_shape((uint64_t)c->capacity);
    const gct_shape *hold_shape = gct_wl_array_shape((uint64_t)c->hold);
    if (!index_shape || !hold_shape) {
        snprintf(err, errlen, "capacity or hold is too large for one table");
        return GCT_EINVAL;
    }
    c->nbuckets = index_shape->nslots;

    gct_obj *co = gct_wl_new(h, &cache_shape); /* root_base + 0 */
    *(uint64_t *)gct_payload(co) = CACHE_MAGIC;
    gct_obj *root = gct_wl_new(h, &link_shape);
    *lp(root) = (link_payload){LINK_MAGIC, 0, 0};
    gct_store(h, root, L_PREV, root);
    gct_store(h, root, L_NEXT, root);
    gct_store(h, gct_root_get(h, r->root_base), C_ROOT, root);
    gct_root_pop(h);
    gct_wl_new(h, index_shape);
    gct_store(h, gct_root_get(h, r->root_base), C_INDEX, gct_root_top(h));
    gct_root_pop(h);
    if (c->weak) {
        gct_wl_new(h, hold_shape);
        gct_store(h, gct_root_get(h, r->root_base), C_HOLD, gct_root_top(h));
        gct_root_pop(h);
    }
    /* Warm: ranks capacity..1, so that rank 1 is the most recently used. */
    for (int64_t k = c->capacity; k >= 1; k--) {
        insert(r, c, (uint64_t)k);
        hold(r, c, gct_root_depth(h) - 1);
        gct_root_pop(h);
    }
    return GCT_OK;
}

static void cache_op(gct_workload_run *r)
{
    cache *c = r->state;
    gct_heap *h = r->h;
    size_t top = gct_root_depth(h);
    uint64_t key = gct_zipf_sample(&c->zipf, &r->rng);
    gct_obj *co = gct_root_get(h, r->root_base);
    gct_obj *l = find(c, gct_load(co, C_INDEX), key);
    if (!l) {
        c->misses++;
        gct_wl_mix(r, insert(r, c, key));
        hold(r, c, top);
    } else {
        gct_obj *v0 = value_of(c, l);
        if (v0) {
            c->hits++;
            if (!value_ok(c, l, v0))
                gct_workload_fail(r, "operation %lld: the value of key %llu is damaged",
                                  (long long)r->ops, (unsigned long long)key);
            gct_wl_mix(r, lp(l)->vsum);
            gct_root_push(h, v0);
        } else {
            c->dead++;
            gct_root_push(h, l);
            uint64_t sum = build_value(r, c, key); /* at top + 1 */
            attach(r, c, top, top + 1, sum);
            gct_wl_mix(r, sum);
            l = gct_root_get(h, top);
            gct_root_set(h, top, gct_root_get(h, top + 1)); /* keep the value at top */
            gct_root_pop(h);
        }
        unlink_link(h, l);
        append(h, gct_load(gct_root_get(h, r->root_base), C_ROOT), l);
        hold(r, c, top);
    }
    gct_wl_mix(r, key);
    gct_root_truncate(h, top);
}

static bool cache_check(gct_workload_run *r, char *err, size_t errlen)
{
    const cache *c = r->state;
    gct_obj *co = gct_root_get(r->h, r->root_base);
    if (gct_wl_is_freed(co) || co->shape != &cache_shape ||
        *(uint64_t *)gct_payload(co) != CACHE_MAGIC) {
        snprintf(err, errlen, "the cache object is damaged");
        return false;
    }
    gct_obj *root = gct_load(co, C_ROOT), *index = gct_load(co, C_INDEX);
    if (!is_link(root) || !index || gct_wl_is_freed(index)) {
        snprintf(err, errlen, "the cache's root link or index is missing or freed");
        return false;
    }
    int64_t n = 0;
    gct_obj *prev = root;
    for (gct_obj *l = gct_load(root, L_NEXT); l != root; l = gct_load(l, L_NEXT)) {
        if (!is_link(l) || ++n > c->size) {
            snprintf(err, errlen, "link %lld of the list is missing, freed or one too many",
                     (long long)n);
            return false;
        }
        if (gct_load(l, L_PREV) != prev) {
            snprintf(err, errlen, "link %lld (key %llu) has a wrong prev", (long long)n,
                     (unsigned long long)lp(l)->key);
            return false;
        }
        gct_obj *v = gct_load(l, L_VALUE);
        if (!v || (c->weak != ((v->shape->flags & GCT_SHAPE_WEAKREF) != 0))) {
            snprintf(err, errlen, "key %llu has no value of the right kind",
                     (unsigned long long)lp(l)->key);
            return false;
        }
        gct_obj *v0 = value_of(c, l);
        if ((!c->weak || v0) && !value_ok(c, l, v0)) {
            snprintf(err, errlen, "the value of key %llu is damaged",
                     (unsigned long long)lp(l)->key);
            return false;
        }
        prev = l;
    }
    if (gct_load(root, L_PREV) != prev || n != c->size) {
        snprintf(err, errlen, "the list holds %lld links, the cache counts %lld", (long long)n,
                 (long long)c->size);
        return false;
    }
    int64_t indexed = 0;
    for (uint64_t b = 0; b < c->nbuckets; b++) {
        for (gct_obj *l = gct_load(index, (uint32_t)b); l; l = gct_load(l, L_HNEXT)) {
            if (!is_link(l) || bucket_of(c, lp(l)->key) != b || ++indexed > c->size) {
                snprintf(err, errlen, "bucket %llu holds a bad or misplaced link",
                         (unsigned long long)b);
                return false;
            }
        }
    }
    if (indexed != c->size) {
        snprintf(err, errlen, "the index holds %lld links, the cache counts %lld",
                 (long long)indexed, (long long)c->size);
        return false;
    }
    if (c->weak) {
        gct_obj *ring = gct_load(co, C_HOLD);
        for (int64_t i = 0; i < c->hold; i++) {
            gct_obj *v = gct_load(ring, (uint32_t)i);
            if (v && (gct_wl_is_freed(v) || v->shape != &value_shape ||
                      vp(v)->magic != VALUE_MAGIC)) {
                snprintf(err, errlen, "held value %lld is freed or damaged", (long long)i);
                return false;
            }
        }
    }
    return true;
}

static void cache_teardown(gct_workload_run *r) { (void)r; }

static size_t cache_metrics(const gct_workload_run *r, gct_workload_metric *out, size_t max)
{
    const cache *c = r->state;
    double lookups = (double)(c->hits + c->misses + c->dead);
    gct_workload_metric m[] = {
        {"hit_ratio", lookups > 0 ? (double)c->hits / lookups : 0.0},
        {"hits", (double)c->hits},
        {"misses", (double)c->misses},
        {"dead", (double)c->dead},
        {"evictions", (double)c->evictions},
    };
    size_t n = 0;
    for (; n < max && n < sizeof m / sizeof m[0]; n++)
        out[n] = m[n];
    return n;
}

const gct_workload gct_workload_cache = {
    .abi = GCT_WORKLOAD_ABI,
    .name = "cache",
    .summary = "LRU cache (lru_cache layout): one operation looks up one Zipf-distributed key; "
               "a miss builds a value and evicts the oldest entry",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .state_size = sizeof(cache),
    .preset_ops = {[GCT_PRESET_QUICK] = 200000, [GCT_PRESET_DEFAULT] = 500000,
                   [GCT_PRESET_FULL] = 2000000},
    .check_params = cache_check_params,
    .setup = cache_setup,
    .op = cache_op,
    .check = cache_check,
    .teardown = cache_teardown,
    .metrics = cache_metrics,
};
