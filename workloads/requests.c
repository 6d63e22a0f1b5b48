/*
 * requests.c — the high-frequency web-server case: a static old heap built at
 * set-up (records of three strings in pages under a directory, like a big
 * dict of sessions), then one request per operation.
 *
 * A request is a frame whose locals are a small random tree of dicts and
 * lists (containers of up to 8 references) with strings at the leaves:
 * `request_objects` objects in all, the frame included.  A fraction `cyclic`
 * of requests also gets a traceback that refers to the frame while the frame
 * refers to it (an exception kept in a local), so the whole request becomes
 * cyclic garbage of request_objects + 1 objects.  Each request then writes
 * `writes` fresh strings into random records of the old heap (old-to-young
 * references; the strings they replace die), checks its tree and returns.
 *
 * About 40% of a request's objects are containers (the ones gencycle
 * counts).  CPython 3.11 counts container allocations minus deallocations, so
 * a request that frees everything it allocated moves gen0 only by its peak:
 * with the defaults (about 117 containers a request) generation 0 is driven
 * by the cyclic requests alone and runs about once per 300 requests; with
 * request_objects above about 1,800 (more than 700 containers live at once)
 * it runs inside every request, and cyclic=1 makes it run every ~6 requests.
 *
 * Invariants: the old heap's directory is at root_base + 0 and no other root
 * survives an operation.  Every record holds three strings whose values sum,
 * over the whole old heap, to the workload's running sum; every request tree
 * has exactly the objects and the value sum it was built with.
 */
#include <stdio.h>

#include "workload.h"

enum { P_OLD_OBJECTS, P_REQUEST_OBJECTS, P_CYCLIC, P_WRITES };
enum { F_LOCALS, F_TB };
enum { TB_FRAME };

#define RECORD_SLOTS 3
#define PAGE_RECORDS 32
#define FANOUT 8

static const gct_param params[] = {
    [P_OLD_OBJECTS] = {"old_objects", GCT_PARAM_INT, 200000, 0, 100000000, NULL,
                       "objects in the static old heap built at set-up (records of 1 container "
                       "and 3 strings)"},
    [P_REQUEST_OBJECTS] = {"request_objects", GCT_PARAM_INT, 300, 1, 1000000, NULL,
                           "short-lived objects per request (a frame and a tree of dicts, lists "
                           "and strings)"},
    [P_CYCLIC] = {"cyclic", GCT_PARAM_REAL, 0.02, 0, 1, NULL,
                  "fraction of requests that leave a frame-traceback cycle behind"},
    [P_WRITES] = {"writes", GCT_PARAM_INT, 4, 0, 1000, NULL,
                  "fresh strings each request stores into random records of the old heap"},
};

#define OBJ_MAGIC UINT64_C(0x7265717565000000) /* "reque" + the shape's number */

typedef struct obj_payload {
    uint64_t magic;
    uint64_t value;
} obj_payload;

typedef struct str_payload {
    uint64_t magic;
    uint64_t value;
    char text[16]; /* hex digits, not terminated */
} str_payload;

static const gct_shape frame_shape = GCT_SHAPE("frame", 2, sizeof(obj_payload));
static const gct_shape tb_shape = GCT_SHAPE("traceback", 1, sizeof(obj_payload));
static const gct_shape dict_shape = GCT_SHAPE("dict", FANOUT, sizeof(obj_payload));
static const gct_shape list_shape = GCT_SHAPE("list", FANOUT, sizeof(obj_payload));
static const gct_shape str_shape = GCT_SHAPE("str", 0, sizeof(str_payload));
static const gct_shape record_shape = GCT_SHAPE("record", RECORD_SLOTS, sizeof(obj_payload));

typedef struct requests {
    int64_t request_objects, writes;
    double cyclic;
    int64_t records, pages;
    const gct_shape *page_shape;
    uint64_t old_sum;
    int64_t cyclic_requests, containers;
} requests;

/* Each shape has its own magic, so a slot holding the wrong kind shows. */
static uint64_t magic_of(const gct_shape *s)
{
    if (s == &frame_shape)
        return OBJ_MAGIC | 1;
    if (s == &tb_shape)
        return OBJ_MAGIC | 2;
    if (s == &dict_shape)
        return OBJ_MAGIC | 3;
    if (s == &list_shape)
        return OBJ_MAGIC | 4;
    if (s == &str_shape)
        return OBJ_MAGIC | 5;
    if (s == &record_shape)
        return OBJ_MAGIC | 6;
    return 0;
}

/* A new object with a random value, pushed on the root stack. */
static gct_obj *new_obj(gct_workload_run *r, const gct_shape *s, uint64_t *sum)
{
    gct_obj *o = gct_wl_new(r->h, s);
    obj_payload *p = gct_payload(o);
    p->magic = magic_of(s);
    p->value = gct_rng_next(&r->rng);
    if (s == &str_shape) {
        /* The value in hex, like a short string (no terminator needed). */
        char *text = ((str_payload *)p)->text;
        for (int i = 0; i < 16; i++)
            text[i] = "0123456789abcdef"[(p->value >> (60 - 4 * i)) & 15];
    }
    *sum += p->value;
    return o;
}

static bool obj_ok(const gct_obj *o)
{
    return o && !gct_wl_is_freed(o) && magic_of(o->shape) &&
           ((const obj_payload *)gct_payload((gct_obj *)o))->magic == magic_of(o->shape);
}

/* Push a random tree of exactly n objects (n >= 1). */
static void build(gct_workload_run *r, requests *q, int64_t n, int depth, uint64_t *sum)
{
    gct_heap *h = r->h;
    if (n == 1) {
        new_obj(r, &str_shape, sum);
        return;
    }
    new_obj(r, depth & 1 ? &list_shape : &dict_shape, sum);
    q->containers++;
    size_t ci = gct_root_depth(h) - 1;
    int64_t rest = n - 1;
    int64_t kmax = rest < FANOUT ? rest : FANOUT;
    int64_t k = kmax <= 2 ? kmax : 2 + (int64_t)gct_rng_below(&r->rng, (uint64_t)kmax - 1);
    /* Split rest into k parts of at least 1: k - 1 sorted cuts in [0, rest - k]. */
    int64_t cut[FANOUT + 1];
    cut[0] = 0;
    for (int64_t i = 1; i < k; i++) {
        int64_t c = (int64_t)gct_rng_below(&r->rng, (uint64_t)(rest - k) + 1);
        int64_t j = i;
        while (j > 1 && cut[j - 1] > c) {
            cut[j] = cut[j - 1];
            j--;
        }
        cut[j] = c;
    }
    cut[k] = rest - k;
    for (int64_t i = 0; i < k; i++) {
        build(r, q, 1 + cut[i + 1] - cut[i], depth + 1, sum);
        gct_store(h, gct_root_get(h, ci), (uint32_t)i, gct_root_top(h));
        gct_root_pop(h);
    }
}

/* Count and sum a request tree; false on a damaged object. */
static bool walk(const gct_obj *o, int64_t *count, uint64_t *sum)
{
    if (!obj_ok(o))
        return false;
    (*count)++;
    *sum += ((const obj_payload *)gct_payload((gct_obj *)o))->value;
    if (o->shape != &dict_shape && o->shape != &list_shape)
        return o->shape == &str_shape;
    for (uint32_t i = 0; i < FANOUT; i++) {
        const gct_obj *c = gct_load(o, i);
        if (c && !walk(c, count, sum))
            return false;
    }
    return true;
}

static gct_obj *record_at(gct_obj *dir, int64_t i)
{
    gct_obj *page = gct_load(dir, (uint32_t)(i / PAGE_RECORDS));
    return gct_load(page, (uint32_t)(i % PAGE_RECORDS));
}

static gct_param_mask requests_check_params(const double *v, char *err, size_t errlen)
{
    if (v[P_WRITES] > 0 && v[P_OLD_OBJECTS] < 1 + RECORD_SLOTS) {
        snprintf(err, errlen,
                 "writes=%.0f needs an old heap to write into: old_objects=%.0f is below %d "
                 "(one record)",
                 v[P_WRITES], v[P_OLD_OBJECTS], 1 + RECORD_SLOTS);
        return GCT_PARAM_BIT(P_WRITES) | GCT_PARAM_BIT(P_OLD_OBJECTS);
    }
    return 0;
}

static int requests_setup(gct_workload_run *r, char *err, size_t errlen)
{
    requests *q = r->state;
    gct_heap *h = r->h;
    q->request_objects = gct_wl_int(r, P_REQUEST_OBJECTS);
    q->writes = gct_wl_int(r, P_WRITES);
    q->cyclic = gct_wl_real(r, P_CYCLIC);
    q->records = gct_wl_int(r, P_OLD_OBJECTS) / (1 + RECORD_SLOTS);
    q->pages = (q->records + PAGE_RECORDS - 1) / PAGE_RECORDS;
    q->page_shape = gct_wl_array_shape(PAGE_RECORDS);
    const gct_shape *dir_shape = gct_wl_array_shape((uint64_t)q->pages);
    if (!dir_shape) {
        snprintf(err, errlen, "old_objects is too large for one directory");
        return GCT_EINVAL;
    }
    gct_wl_new(h, dir_shape); /* root_base + 0 */
    size_t base = r->root_base;
    for (int64_t p = 0; p < q->pages; p++) {
        gct_obj *page = gct_wl_new(h, q->page_shape);
        gct_store(h, gct_root_get(h, base), (uint32_t)p, page);
        for (int64_t i = 0; i < PAGE_RECORDS && p * PAGE_RECORDS + i < q->records; i++) {
            uint64_t ignored = 0;
            new_obj(r, &record_shape, &ignored);
            gct_store(h, gct_root_get(h, base + 1), (uint32_t)i, gct_root_top(h));
            for (uint32_t j = 0; j < RECORD_SLOTS; j++) {
                new_obj(r, &str_shape, &q->old_sum);
                gct_store(h, gct_root_get(h, base + 2), j, gct_root_top(h));
                gct_root_pop(h);
            }
            gct_root_pop(h);
        }
        gct_root_pop(h);
    }
    return GCT_OK;
}

static void requests_op(gct_workload_run *r)
{
    requests *q = r->state;
    gct_heap *h = r->h;
    size_t top = gct_root_depth(h);
    uint64_t sum = 0;
    int64_t expect = q->request_objects;
    new_obj(r, &frame_shape, &sum);
    q->containers++;
    if (q->request_objects > 1) {
        build(r, q, q->request_objects - 1, 0, &sum);
        gct_store(h, gct_root_get(h, top), F_LOCALS, gct_root_top(h));
        gct_root_pop(h);
    }
    if (q->cyclic > 0 && gct_rng_chance(&r->rng, q->cyclic)) {
        gct_obj *tb = new_obj(r, &tb_shape, &sum);
        gct_store(h, tb, TB_FRAME, gct_root_get(h, top));
        gct_store(h, gct_root_get(h, top), F_TB, tb);
        gct_root_pop(h);
        expect++;
        q->containers++;
        q->cyclic_requests++;
        r->cyclic_garbage += expect;
    }
    for (int64_t w = 0; w < q->writes; w++) {
        int64_t i = (int64_t)gct_rng_below(&r->rng, (uint64_t)q->records);
        uint32_t j = (uint32_t)gct_rng_below(&r->rng, RECORD_SLOTS);
        uint64_t value = 0;
        new_obj(r, &str_shape, &value);
        gct_obj *rec = record_at(gct_root_get(h, r->root_base), i);
        gct_obj *old = gct_load(rec, j);
        if (!obj_ok(rec) || !obj_ok(old) || old->shape != &str_shape) {
            gct_workload_fail(r, "operation %lld: old record %lld is damaged", (long long)r->ops,
                              (long long)i);
        } else {
            q->old_sum += value - ((obj_payload *)gct_payload(old))->value;
            gct_store(h, rec, j, gct_root_top(h));
        }
        gct_root_pop(h);
    }

    /* Check the request: the frame, its tree and its traceback. */
    const gct_obj *frame = gct_root_get(h, top);
    int64_t count = 0;
    uint64_t wsum = 0;
    bool ok = obj_ok(frame) && frame->shape == &frame_shape;
    if (ok) {
        const gct_obj *locals = gct_load(frame, F_LOCALS), *tb = gct_load(frame, F_TB);
        count = 1;
        wsum = ((const obj_payload *)gct_payload((gct_obj *)frame))->value;
        if (locals)
            ok = walk(locals, &count, &wsum);
        if (ok && tb) {
            ok = obj_ok(tb) && tb->shape == &tb_shape && gct_load(tb, TB_FRAME) == frame;
            count++;
            wsum += ((const obj_payload *)gct_payload((gct_obj *)tb))->value;
        }
    }
    if (!ok || count != expect || wsum != sum)
        gct_workload_fail(r,
                          "operation %lld: the request has %lld objects (expected %lld) or a "
                          "damaged one",
                          (long long)r->ops, (long long)count, (long long)expect);
    gct_wl_mix(r, sum);
    gct_root_truncate(h, top);
}

static bool requests_check(gct_workload_run *r, char *err, size_t errlen)
{
    const requests *q = r->state;
    gct_obj *dir = gct_root_get(r->h, r->root_base);
    uint64_t sum = 0;
    for (int64_t i = 0; i < q->records; i++) {
        gct_obj *page = gct_load(dir, (uint32_t)(i / PAGE_RECORDS));
        if (!page || gct_wl_is_freed(page) || page->shape != q->page_shape) {
            snprintf(err, errlen, "old page %lld is missing or freed",
                     (long long)(i / PAGE_RECORDS));
            return false;
        }
        gct_obj *rec = gct_load(page, (uint32_t)(i % PAGE_RECORDS));
        if (!obj_ok(rec) || rec->shape != &record_shape) {
            snprintf(err, errlen, "old record %lld is missing, freed or damaged", (long long)i);
            return false;
        }
        for (uint32_t j = 0; j < RECORD_SLOTS; j++) {
            gct_obj *s = gct_load(rec, j);
            if (!obj_ok(s) || s->shape != &str_shape) {
                snprintf(err, errlen, "string %u of old record %lld is missing, freed or damaged",
                         j, (long long)i);
                return false;
            }
            sum += ((obj_payload *)gct_payload(s))->value;
        }
    }
    if (sum != q->old_sum) {
        snprintf(err, errlen, "the old heap's strings do not sum to the recorded value");
        return false;
    }
    return true;
}

static void requests_teardown(gct_workload_run *r) { (void)r; }

static size_t requests_metrics(const gct_workload_run *r, gct_workload_metric *out, size_t max)
{
    const requests *q = r->state;
    gct_workload_metric m[] = {
        {"cyclic_requests", (double)q->cyclic_requests},
        {"containers_per_request", r->ops ? (double)q->containers / (double)r->ops : 0},
        {"old_records", (double)q->records},
    };
    size_t n = 0;
    for (; n < max && n < sizeof m / sizeof m[0]; n++)
        out[n] = m[n];
    return n;
}

const gct_workload gct_workload_requests = {
    .abi = GCT_WORKLOAD_ABI,
    .name = "requests",
    .summary = "web requests: one operation builds one request of request_objects objects "
               "(sometimes a cycle) and writes into an old heap",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .state_size = sizeof(requests),
    .preset_ops = {[GCT_PRESET_QUICK] = 5000, [GCT_PRESET_DEFAULT] = 20000,
                   [GCT_PRESET_FULL] = 100000},
    .check_params = requests_check_params,
    .setup = requests_setup,
    .op = requests_op,
    .check = requests_check,
    .teardown = requests_teardown,
    .metrics = requests_metrics,
};
