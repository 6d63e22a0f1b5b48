/*
 * longlived.c — the generational hypothesis and quadratic growth: a
 * long-lived structure (a directory of pages of tuples, each tuple holding an
 * int: a big list of tuples, as in bpo-4074 and the CPython 3.14 tuple
 * regressions) grows to `live_objects` objects, `initial` of them at set-up
 * and `grow` more per operation, while every operation also allocates
 * `young` short-lived tuples (each with its int), of which a fraction
 * `survive` replace random elements of the structure (the elements they
 * replace die).  Nothing here is cyclic.
 *
 * With gencycle the growing structure is what makes generation 2 expensive,
 * and the long-lived 25% rule (and gc.freeze after set-up) what keeps it
 * linear; with marksweep every collection traces all of it.
 *
 * Invariants: the directory is at root_base + 0 and no other root survives an
 * operation.  Elements 0..elems-1 are tuples holding ints; their values sum
 * to the workload's running sum.
 */
#include <stdio.h>

#include "workload.h"

enum { P_LIVE_OBJECTS, P_INITIAL, P_GROW, P_YOUNG, P_SURVIVE };

#define PAGE_ELEMS 32
#define ELEM_OBJECTS 2 /* a tuple and its int */

static const gct_param params[] = {
    [P_LIVE_OBJECTS] = {"live_objects", GCT_PARAM_INT, 1000000, 0, 100000000, NULL,
                        "objects the long-lived structure grows to (tuples and their ints)"},
    [P_INITIAL] = {"initial", GCT_PARAM_INT, 500000, 0, 100000000, NULL,
                   "objects of the long-lived structure built at set-up"},
    [P_GROW] = {"grow", GCT_PARAM_INT, 50, 0, 10000000, NULL,
                "objects added to the long-lived structure per operation, until it holds "
                "live_objects"},
    [P_YOUNG] = {"young", GCT_PARAM_INT, 100, 0, 10000000, NULL,
                 "short-lived tuples (each with an int: 2 objects) allocated per operation"},
    [P_SURVIVE] = {"survive", GCT_PARAM_REAL, 0.01, 0, 1, NULL,
                   "fraction of young tuples that survive, replacing a random long-lived one"},
};

#define TUPLE_MAGIC UINT64_C(0x6c6f6e6700000001) /* "long" */
#define INT_MAGIC UINT64_C(0x6c6f6e6700000002)

typedef struct obj_payload {
    uint64_t magic;
    uint64_t value;
} obj_payload;

static const gct_shape tuple_shape = GCT_SHAPE("tuple", 1, sizeof(obj_payload));
static const gct_shape int_shape = GCT_SHAPE("int", 0, sizeof(obj_payload));

typedef struct longlived {
    int64_t young, grow;
    double survive;
    int64_t max_elems, elems;
    int64_t grow_credit; /* objects of growth owed, paid two at a time */
    const gct_shape *page_shape;
    uint64_t sum;
    int64_t survivors;
} longlived;

static obj_payload *pay(gct_obj *o) { return gct_payload(o); }

/* Push a new tuple holding a new int; returns the sum of their values. */
static uint64_t new_element(gct_workload_run *r)
{
    gct_heap *h = r->h;
    gct_obj *t = gct_wl_new(h, &tuple_shape);
    *pay(t) = (obj_payload){TUPLE_MAGIC, gct_rng_next(&r->rng)};
    gct_obj *i = gct_wl_new(h, &int_shape);
    *pay(i) = (obj_payload){INT_MAGIC, gct_rng_next(&r->rng)};
    uint64_t sum = pay(i)->value;
    t = gct_root_get(h, gct_root_depth(h) - 2);
    sum += pay(t)->value;
    gct_store(h, t, 0, i);
    gct_root_pop(h);
    return sum;
}

/* The sum of an element's two values, or false if it is damaged. */
static bool element_ok(const gct_obj *t, uint64_t *sum)
{
    if (!t || gct_wl_is_freed(t) || t->shape != &tuple_shape ||
        pay((gct_obj *)t)->magic != TUPLE_MAGIC)
        return false;
    const gct_obj *i = gct_load(t, 0);
    if (!i || gct_wl_is_freed(i) || i->shape != &int_shape || pay((gct_obj *)i)->magic != INT_MAGIC)
        return false;
    *sum = pay((gct_obj *)t)->value + pay((gct_obj *)i)->value;
    return true;
}

static void append(gct_workload_run *r, longlived *L)
{
    gct_heap *h = r->h;
    uint32_t page = (uint32_t)(L->elems / PAGE_ELEMS), slot = (uint32_t)(L->elems % PAGE_ELEMS);
    if (slot == 0) {
        gct_wl_new(h, L->page_shape);
        gct_store(h, gct_root_get(h, r->root_base), page, gct_root_top(h));
        gct_root_pop(h);
    }
    L->sum += new_element(r);
    gct_store(h, gct_load(gct_root_get(h, r->root_base), page), slot, gct_root_top(h));
    gct_root_pop(h);
    L->elems++;
}

static gct_param_mask longlived_check_params(const double *v, char *err, size_t errlen)
{
    if (v[P_INITIAL] > v[P_LIVE_OBJECTS]) {
        snprintf(err, errlen, "initial=%.0f is larger than live_objects=%.0f", v[P_INITIAL],
                 v[P_LIVE_OBJECTS]);
        return GCT_PARAM_BIT(P_INITIAL) | GCT_PARAM_BIT(P_LIVE_OBJECTS);
    }
    return 0;
}

static int longlived_setup(gct_workload_run *r, char *err, size_t errlen)
{
    longlived *L = r->state;
    L->young = gct_wl_int(r, P_YOUNG);
    L->grow = gct_wl_int(r, P_GROW);
    L->survive = gct_wl_real(r, P_SURVIVE);
    L->max_elems = gct_wl_int(r, P_LIVE_OBJECTS) / ELEM_OBJECTS;
    L->page_shape = gct_wl_array_shape(PAGE_ELEMS);
    const gct_shape *dir_shape =
        gct_wl_array_shape((uint64_t)(L->max_elems + PAGE_ELEMS - 1) / PAGE_ELEMS);
    if (!dir_shape) {
        snprintf(err, errlen, "live_objects is too large for one directory");
        return GCT_EINVAL;
    }
    gct_wl_new(r->h, dir_shape); /* root_base + 0 */
    int64_t initial = gct_wl_int(r, P_INITIAL) / ELEM_OBJECTS;
    while (L->elems < initial)
        append(r, L);
    return GCT_OK;
}

static void longlived_op(gct_workload_run *r)
{
    longlived *L = r->state;
    gct_heap *h = r->h;
    size_t top = gct_root_depth(h);

    if (L->elems < L->max_elems) {
        L->grow_credit += L->grow;
        while (L->grow_credit >= ELEM_OBJECTS && L->elems < L->max_elems) {
            append(r, L);
            L->grow_credit -= ELEM_OBJECTS;
        }
    }

    for (int64_t i = 0; i < L->young; i++)
        gct_wl_mix(r, new_element(r)); /* stays on the root stack until the end */

    if (L->elems > 0 && L->survive > 0) {
        gct_obj *dir = gct_root_get(h, r->root_base);
        for (int64_t i = 0; i < L->young; i++) {
            if (!gct_rng_chance(&r->rng, L->survive))
                continue;
            int64_t e = (int64_t)gct_rng_below(&r->rng, (uint64_t)L->elems);
            gct_obj *page = gct_load(dir, (uint32_t)(e / PAGE_ELEMS));
            uint32_t slot = (uint32_t)(e % PAGE_ELEMS);
            uint64_t old_sum, new_sum;
            gct_obj *young = gct_root_get(h, top + (size_t)i);
            if (!element_ok(gct_load(page, slot), &old_sum) || !element_ok(young, &new_sum)) {
                gct_workload_fail(r, "operation %lld: element %lld or a young tuple is damaged",
                                  (long long)r->ops, (long long)e);
                break;
            }
            gct_store(h, page, slot, young); /* the old element dies */
            L->sum += new_sum - old_sum;
            L->survivors++;
            gct_wl_mix(r, (uint64_t)e);
        }
    }
    gct_root_truncate(h, top);
}

static bool longlived_check(gct_workload_run *r, char *err, size_t errlen)
{
    const longlived *L = r->state;
    gct_obj *dir = gct_root_get(r->h, r->root_base);
    uint64_t sum = 0;
    for (int64_t e = 0; e < L->elems; e++) {
        gct_obj *page = gct_load(dir, (uint32_t)(e / PAGE_ELEMS));
        if (!page || gct_wl_is_freed(page) || page->shape != L->page_shape) {
            snprintf(err, errlen, "page %lld is missing or freed", (long long)(e / PAGE_ELEMS));
            return false;
        }
        uint64_t s;
        if (!element_ok(gct_load(page, (uint32_t)(e % PAGE_ELEMS)), &s)) {
            snprintf(err, errlen, "element %lld is missing, freed or damaged", (long long)e);
            return false;
        }
        sum += s;
    }
    if (sum != L->sum) {
        snprintf(err, errlen, "the long-lived elements do not sum to the recorded value");
        return false;
    }
    return true;
}

static void longlived_teardown(gct_workload_run *r) { (void)r; }

static size_t longlived_metrics(const gct_workload_run *r, gct_workload_metric *out, size_t max)
{
    const longlived *L = r->state;
    gct_workload_metric m[] = {
        {"long_lived_objects", (double)(L->elems * ELEM_OBJECTS)},
        {"survivors", (double)L->survivors},
    };
    size_t n = 0;
    for (; n < max && n < sizeof m / sizeof m[0]; n++)
        out[n] = m[n];
    return n;
}

const gct_workload gct_workload_longlived = {
    .abi = GCT_WORKLOAD_ABI,
    .name = "longlived",
    .summary = "long-lived heap: one operation grows a list of tuples by `grow` objects and "
               "allocates `young` short-lived tuples, a few of which survive",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .state_size = sizeof(longlived),
    .preset_ops = {[GCT_PRESET_QUICK] = 5000, [GCT_PRESET_DEFAULT] = 20000,
                   [GCT_PRESET_FULL] = 100000},
    .check_params = longlived_check_params,
    .setup = longlived_setup,
    .op = longlived_op,
    .check = longlived_check,
    .teardown = longlived_teardown,
    .metrics = longlived_metrics,
};
