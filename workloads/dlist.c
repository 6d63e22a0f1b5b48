/*
 * dlist.c — doubly linked list churn: `lists` rings of about `length` nodes,
 * each with a sentinel head that holds its count and the sum of its values.
 * An operation inserts or removes one node at a random place of a random
 * ring; every `drop_every`-th operation also drops a whole random ring and
 * builds a new one in its place (like pyperformance's create_gc_cycles).
 *
 * Back links (parameter backlinks):
 *  - strong: next and prev are plain references; every ring, even an empty
 *    head, is a cycle, so each dropped ring is cyclic garbage.
 *  - weak: the OrderedDict trick.  Every link that points backwards is a
 *    weak reference: each node's prev, and the last node's next (to the
 *    head).  The strong references form a chain from the head, so a dropped
 *    ring is freed by reference counting alone.  Removing a node moves its
 *    weak references into its neighbours, so only an insertion allocates one.
 *
 * Invariants: the ring table (an array of heads) is at root_base + 0; no other
 * root survives an operation.  Walking a ring forward from its head returns to
 * the head after exactly `count` nodes, each node's prev leads to the node
 * before it, and the values sum to the head's sum.  Inserting is more likely
 * than removing below `length` and less likely above it, P(insert) =
 * 1 - count / (2 * length), which keeps rings near their length.
 */
#include <stdio.h>

#include "workload.h"

enum { P_LISTS, P_LENGTH, P_DROP_EVERY, P_BACKLINKS };
enum { BACK_STRONG, BACK_WEAK };
enum { NEXT, PREV };

static const char *const backlink_choices[] = {"strong", "weak", NULL};

static const gct_param params[] = {
    [P_LISTS] = {"lists", GCT_PARAM_INT, 100, 1, 1 << GCT_WL_ARRAY_MAX_LOG2, NULL,
                 "number of rings"},
    [P_LENGTH] = {"length", GCT_PARAM_INT, 1000, 1, 10000000, NULL,
                  "nodes per ring at setup and after a rebuild; rings drift around it"},
    [P_DROP_EVERY] = {"drop_every", GCT_PARAM_INT, 1000, 0, 1000000000, NULL,
                      "every this many operations, drop a random ring and build a new one "
                      "(0: never)"},
    [P_BACKLINKS] = {"backlinks", GCT_PARAM_CHOICE, BACK_STRONG, 0, 0, backlink_choices,
                     "strong (every ring is a cycle) or weak (weak back links, the OrderedDict "
                     "trick: no cycles)"},
};

#define NODE_MAGIC UINT64_C(0x646c697374000001) /* "dlist" */
#define HEAD_MAGIC UINT64_C(0x646c697374000002)
#define TABLE_MAGIC UINT64_C(0x646c697374000003)
#define MAX_OBJECTS 100000000.0

typedef struct node_payload {
    uint64_t magic;
    uint64_t value;
} node_payload;

typedef struct head_payload {
    uint64_t magic;
    int64_t count;
    uint64_t sum;
} head_payload;

static const gct_shape node_shape = GCT_SHAPE("dlist_node", 2, sizeof(node_payload));
static const gct_shape head_shape = GCT_SHAPE("dlist_head", 2, sizeof(head_payload));

typedef struct dlist {
    int64_t lists, length, drop_every;
    bool weak;
    int64_t inserts, removes, drops;
} dlist;

static head_payload *head_of(gct_obj *head) { return gct_payload(head); }

/* Follow a link: a node, or the target of a weak reference.  A freed object
 * is returned as it is, for the caller's check to report: its shape word is
 * the allocator's free-list link, not a shape. */
static gct_obj *deref(const gct_obj *x)
{
    if (x && !gct_wl_is_freed(x) && (x->shape->flags & GCT_SHAPE_WEAKREF))
        return gct_weakref_get(x);
    return (gct_obj *)x;
}

/* Insert a new random node after the object at root index ai, in the ring
 * whose head is at root index hi.  Leaves the root stack as it found it. */
static void insert_after(gct_workload_run *r, const dlist *d, size_t ai, size_t hi)
{
    gct_heap *h = r->h;
    gct_obj *n = gct_wl_new(h, &node_shape);
    size_t ni = gct_root_depth(h) - 1;
    node_payload *p = gct_payload(n);
    p->magic = NODE_MAGIC;
    p->value = gct_rng_next(&r->rng);
    uint64_t value = p->value;

    gct_obj *a = gct_root_get(h, ai);
    gct_obj *nxt = gct_load(a, NEXT); /* b, or (weak) a weak reference to the head */
    gct_store(h, n, NEXT, nxt);       /* n now holds it, before a lets go */
    gct_obj *b = deref(nxt);
    if (!d->weak) {
        gct_store(h, n, PREV, a);
        gct_store(h, a, NEXT, n);
        gct_store(h, b, PREV, n);
    } else {
        gct_store(h, n, PREV, gct_load(b, PREV)); /* b's weak reference to a */
        gct_store(h, a, NEXT, n);
        gct_wl_weakref_new(h, n); /* may collect: reload from the roots */
        b = deref(gct_load(gct_root_get(h, ni), NEXT));
        gct_store(h, b, PREV, gct_root_top(h));
        gct_root_pop(h);
    }
    head_payload *hp = head_of(gct_root_get(h, hi));
    hp->count++;
    hp->sum += value;
    gct_root_pop(h);
}

/* Unlink the node at root index xi from the ring whose head is at root index
 * hi.  No allocation. */
static void unlink_node(gct_workload_run *r, size_t xi, size_t hi)
{
    gct_heap *h = r->h;
    gct_obj *x = gct_root_get(h, xi);
    gct_obj *pv = gct_load(x, PREV), *nx = gct_load(x, NEXT);
    gct_obj *a = deref(pv), *b = deref(nx);
    gct_store(h, a, NEXT, nx); /* x stays alive on the root stack */
    gct_store(h, b, PREV, pv);
    head_payload *hp = head_of(gct_root_get(h, hi));
    hp->count--;
    hp->sum -= ((node_payload *)gct_payload(x))->value;
}

/* The k-th object after the head (k = 0: the head), checking nodes on the
 * way; NULL (and a recorded failure) if the ring is broken. */
static gct_obj *nth(gct_workload_run *r, gct_obj *head, int64_t k)
{
    gct_obj *x = head;
    for (int64_t i = 0; i < k; i++) {
        x = deref(gct_load(x, NEXT));
        if (!x || gct_wl_is_freed(x) || x->shape != &node_shape ||
            ((node_payload *)gct_payload(x))->magic != NODE_MAGIC) {
            gct_workload_fail(r, "operation %lld: node %lld of a ring is missing or freed",
                              (long long)r->ops, (long long)i + 1);
            return NULL;
        }
    }
    return x;
}

/* Push a new ring of `length` nodes on the root stack. */
static void build_ring(gct_workload_run *r, const dlist *d)
{
    gct_heap *h = r->h;
    gct_obj *head = gct_wl_new(h, &head_shape);
    size_t hi = gct_root_depth(h) - 1;
    *head_of(head) = (head_payload){HEAD_MAGIC, 0, 0};
    if (d->weak) {
        gct_obj *wr = gct_wl_weakref_new(h, head);
        head = gct_root_get(h, hi);
        gct_store(h, head, NEXT, wr);
        gct_store(h, head, PREV, wr);
        gct_root_pop(h);
    } else {
        gct_store(h, head, NEXT, head);
        gct_store(h, head, PREV, head);
    }
    for (int64_t i = 0; i < d->length; i++) {
        gct_root_push(h, deref(gct_load(gct_root_get(h, hi), PREV))); /* the last node */
        insert_after(r, d, hi + 1, hi);
        gct_root_pop(h);
    }
}

static gct_param_mask dlist_check_params(const double *v, char *err, size_t errlen)
{
    if (v[P_LISTS] * (v[P_LENGTH] + 1) > MAX_OBJECTS) {
        snprintf(err, errlen,
                 "lists=%.0f x length=%.0f makes more than %.0f nodes; lower one of them",
                 v[P_LISTS], v[P_LENGTH], MAX_OBJECTS);
        return GCT_PARAM_BIT(P_LISTS) | GCT_PARAM_BIT(P_LENGTH);
    }
    return 0;
}

static int dlist_setup(gct_workload_run *r, char *err, size_t errlen)
{
    dlist *d = r->state;
    gct_heap *h = r->h;
    d->lists = gct_wl_int(r, P_LISTS);
    d->length = gct_wl_int(r, P_LENGTH);
    d->drop_every = gct_wl_int(r, P_DROP_EVERY);
    d->weak = gct_wl_int(r, P_BACKLINKS) == BACK_WEAK;
    const gct_shape *table_shape = gct_wl_array_shape((uint64_t)d->lists);
    if (!table_shape) {
        snprintf(err, errlen, "lists=%lld is too many for one table", (long long)d->lists);
        return GCT_EINVAL;
    }
    gct_obj *table = gct_wl_new(h, table_shape); /* root_base + 0 */
    uint64_t *tp = gct_payload(table);
    tp[0] = TABLE_MAGIC;
    tp[1] = (uint64_t)d->lists;
    for (int64_t j = 0; j < d->lists; j++) {
        build_ring(r, d);
        gct_store(h, gct_root_get(h, r->root_base), (uint32_t)j, gct_root_top(h));
        gct_root_pop(h);
    }
    return GCT_OK;
}

static void dlist_op(gct_workload_run *r)
{
    dlist *d = r->state;
    gct_heap *h = r->h;
    size_t top = gct_root_depth(h);
    uint64_t ring = gct_rng_below(&r->rng, (uint64_t)d->lists);
    gct_obj *head = gct_load(gct_root_get(h, r->root_base), (uint32_t)ring);
    gct_root_push(h, head); /* at top */
    int64_t count = head_of(head)->count;
    uint64_t k;
    if (gct_rng_below(&r->rng, 2 * (uint64_t)d->length) >= (uint64_t)count) {
        k = gct_rng_below(&r->rng, (uint64_t)count + 1);
        gct_obj *a = nth(r, head, (int64_t)k);
        if (a) {
            gct_root_push(h, a);
            insert_after(r, d, top + 1, top);
            d->inserts++;
        }
    } else {
        k = gct_rng_below(&r->rng, (uint64_t)count);
        gct_obj *x = nth(r, head, (int64_t)k + 1);
        if (x) {
            gct_root_push(h, x);
            unlink_node(r, top + 1, top);
            gct_wl_mix(r, ((node_payload *)gct_payload(x))->value);
            d->removes++;
        }
    }
    gct_wl_mix(r, ring << 32 ^ k);
    gct_root_truncate(h, top);

    if (d->drop_every && (r->ops + 1) % d->drop_every == 0) {
        uint64_t j = gct_rng_below(&r->rng, (uint64_t)d->lists);
        build_ring(r, d);
        gct_obj *table = gct_root_get(h, r->root_base);
        gct_obj *old = gct_load(table, (uint32_t)j);
        if (!d->weak)
            r->cyclic_garbage += head_of(old)->count + 1;
        gct_wl_mix(r, head_of(old)->sum);
        gct_store(h, table, (uint32_t)j, gct_root_top(h));
        gct_root_pop(h);
        d->drops++;
    }
}

static bool dlist_check(gct_workload_run *r, char *err, size_t errlen)
{
    const dlist *d = r->state;
    gct_obj *table = gct_root_get(r->h, r->root_base);
    const uint64_t *tp = gct_payload(table);
    if (gct_wl_is_freed(table) || tp[0] != TABLE_MAGIC || tp[1] != (uint64_t)d->lists) {
        snprintf(err, errlen, "the ring table is damaged");
        return false;
    }
    for (int64_t j = 0; j < d->lists; j++) {
        gct_obj *head = gct_load(table, (uint32_t)j);
        if (!head || gct_wl_is_freed(head) || head->shape != &head_shape ||
            head_of(head)->magic != HEAD_MAGIC) {
            snprintf(err, errlen, "ring %lld: the head is missing or freed", (long long)j);
            return false;
        }
        const head_payload *hp = head_of(head);
        int64_t count = 0;
        uint64_t sum = 0;
        gct_obj *prev = head;
        for (gct_obj *x = deref(gct_load(head, NEXT)); x != head; x = deref(gct_load(x, NEXT))) {
            if (!x || gct_wl_is_freed(x) || x->shape != &node_shape ||
                ((node_payload *)gct_payload(x))->magic != NODE_MAGIC) {
                snprintf(err, errlen, "ring %lld: node %lld is missing, freed or not a node",
                         (long long)j, (long long)count + 1);
                return false;
            }
            if (++count > hp->count) {
                snprintf(err, errlen, "ring %lld is longer than its count %lld", (long long)j,
                         (long long)hp->count);
                return false;
            }
            gct_obj *pv = gct_load(x, PREV);
            if (d->weak != (pv && (pv->shape->flags & GCT_SHAPE_WEAKREF) != 0) ||
                deref(pv) != prev) {
                snprintf(err, errlen, "ring %lld: the back link of node %lld is wrong",
                         (long long)j, (long long)count);
                return false;
            }
            sum += ((node_payload *)gct_payload(x))->value;
            prev = x;
        }
        if (deref(gct_load(head, PREV)) != prev) {
            snprintf(err, errlen, "ring %lld: the head's back link is not the last node",
                     (long long)j);
            return false;
        }
        if (count != hp->count || sum != hp->sum) {
            snprintf(err, errlen, "ring %lld has %lld nodes (count says %lld) or a wrong sum",
                     (long long)j, (long long)count, (long long)hp->count);
            return false;
        }
    }
    return true;
}

static void dlist_teardown(gct_workload_run *r) { (void)r; }

static size_t dlist_metrics(const gct_workload_run *r, gct_workload_metric *out, size_t max)
{
    const dlist *d = r->state;
    gct_workload_metric m[] = {
        {"inserts", (double)d->inserts},
        {"removes", (double)d->removes},
        {"rings_dropped", (double)d->drops},
    };
    size_t n = 0;
    for (; n < max && n < sizeof m / sizeof m[0]; n++)
        out[n] = m[n];
    return n;
}

const gct_workload gct_workload_dlist = {
    .abi = GCT_WORKLOAD_ABI,
    .name = "dlist",
    .summary = "doubly linked rings: one operation inserts or removes one node at a random "
               "place; every drop_every-th also replaces a whole ring",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .state_size = sizeof(dlist),
    .preset_ops = {[GCT_PRESET_QUICK] = 100000, [GCT_PRESET_DEFAULT] = 200000,
                   [GCT_PRESET_FULL] = 1000000},
    .check_params = dlist_check_params,
    .setup = dlist_setup,
    .op = dlist_op,
    .check = dlist_check,
    .teardown = dlist_teardown,
    .metrics = dlist_metrics,
};
