/* trace.c — reading, checking and replaying heap-operation traces (trace.h). */
#include "trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "collector.h"

/* ---- reading --------------------------------------------------------------- */

static const struct opdef {
    const char *name;
    gct_trace_opcode code;
    int min, max; /* fields after the name */
} opdefs[] = {
    {"new", GCT_TOP_NEW, 1, 1},
    {"atom", GCT_TOP_ATOM, 0, 0},
    {"store", GCT_TOP_STORE, 3, 3},
    {"load", GCT_TOP_LOAD, 2, 2},
    {"dup", GCT_TOP_DUP, 1, 1},
    {"pop", GCT_TOP_POP, 0, 1},
    {"collect", GCT_TOP_COLLECT, 1, 1},
    {"threshold", GCT_TOP_THRESHOLD, 1, 3},
    {"enable", GCT_TOP_ENABLE, 0, 0},
    {"disable", GCT_TOP_DISABLE, 0, 0},
    {"freeze", GCT_TOP_FREEZE, 0, 0},
    {"unfreeze", GCT_TOP_UNFREEZE, 0, 0},
    {"safepoint", GCT_TOP_SAFEPOINT, 0, 0},
    {"set", GCT_TOP_SET, 2, 2},
    {"none", GCT_TOP_NONE, 0, 0},
    {"tuple", GCT_TOP_TUPLE, 1, 1},
};

static int fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
    int used = snprintf(err, errlen, "%s:%d: ", path, line);
    if (used < 0 || (size_t)used >= errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, errlen - (size_t)used, fmt, ap);
    va_end(ap);
    return -1;
}

/* A decimal integer, optionally negative: no '+', no blanks, no overflow. */
static bool parse_int(const char *s, int64_t *out)
{
    const char *p = s + (*s == '-');
    if (!*p)
        return false;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* Split line (comment already cut) into at most max blank-separated fields. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
        if (n == max)
            return max + 1;
        f[n++] = tok;
    }
    return n;
}

static int parse_op(const char *path, int line, char **f, int nf, gct_trace_op *op, char *err,
                    size_t errlen)
{
    const struct opdef *d = NULL;
    for (size_t i = 0; i < sizeof opdefs / sizeof opdefs[0] && !d; i++)
        if (!strcmp(opdefs[i].name, f[0]))
            d = &opdefs[i];
    if (!d)
        return fail(err, errlen, path, line,
                    "unknown operation '%s' (operations: new, atom, store, load, dup, pop, "
                    "collect, threshold, enable, disable, freeze, unfreeze, safepoint, set, "
                    "none, tuple)",
                    f[0]);
    int args = nf - 1;
    if (args < d->min || args > d->max) {
        char takes[32];
        if (d->min == d->max)
            snprintf(takes, sizeof takes, "%d field%s", d->min, d->min == 1 ? "" : "s");
        else
            snprintf(takes, sizeof takes, "%d to %d fields", d->min, d->max);
        return fail(err, errlen, path, line, "'%s' takes %s, got %d", d->name, takes, args);
    }
    *op = (gct_trace_op){.code = d->code, .n = args, .line = line};
    int64_t *v[3] = {&op->a, &op->b, &op->c};
    for (int i = 0; i < args; i++) {
        if (d->code == GCT_TOP_STORE && i == 2 && !strcmp(f[3], "-")) {
            op->c = GCT_TRACE_NONE;
            continue;
        }
        if (d->code == GCT_TOP_SET && i == 1 && !strcmp(f[2], "-")) {
            op->b = GCT_TRACE_NONE;
            continue;
        }
        if (!parse_int(f[i + 1], v[i]))
            return fail(err, errlen, path, line, "%s: '%s' is not a decimal integer", d->name,
                        f[i + 1]);
    }
    if (d->code == GCT_TOP_POP && args == 0)
        op->a = 1;
    return 0;
}

static const gct_shape *big_shape(int64_t n);

/* ---- checking: a dry run of the object graph ------------------------------ */

#define DRY_TUPLE (-2)

typedef struct dry_obj {
    int nslots; /* -1: an atom; DRY_TUPLE: a tuple of atoms */
    size_t slot[GCT_TRACE_MAX_SLOTS]; /* object numbers, 0 = None */
    size_t *big; /* nslots > GCT_TRACE_MAX_SLOTS: every slot, here instead */
} dry_obj;

/* Slot s of x (in range). */
static size_t *dry_slot(dry_obj *x, int64_t s) { return x->big ? &x->big[s] : &x->slot[s]; }

typedef struct dry {
    dry_obj *objs; /* objs[0] unused: 0 is None */
    size_t nobjs, objcap;
    size_t *roots;
    size_t nroots, rootcap;
} dry;

/* p with room for `need` elements, doubling (results/alloc.h's policy on
 * exhaustion). */
static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    *cap = c;
    return gct_xrealloc(p, c, elem);
}

static void dry_push(dry *d, size_t obj)
{
    d->roots = grow(d->roots, &d->rootcap, d->nroots + 1, sizeof *d->roots);
    d->roots[d->nroots++] = obj;
}

/* Position p (0 = bottom, -1 = top) as an index, or false. */
static bool dry_pos(const dry *d, int64_t p, size_t *idx)
{
    int64_t n = (int64_t)d->nroots;
    if (p < -n || p >= n)
        return false;
    *idx = (size_t)(p < 0 ? n + p : p);
    return true;
}

/* The container at position p, with slot s in range, or an error. */
static int dry_target(const dry *d, const gct_trace *t, const gct_trace_op *op, int64_t p,
                      int64_t s, dry_obj **out, char *err, size_t errlen)
{
    const char *name = op->code == GCT_TOP_STORE ? "store" : "load";
    size_t i;
    if (!dry_pos(d, p, &i))
        return fail(err, errlen, t->path, op->line,
                    "%s: position %" PRId64 " is not on the root stack (depth %zu)", name, p,
                    d->nroots);
    size_t o = d->roots[i];
    if (!o)
        return fail(err, errlen, t->path, op->line, "%s: position %" PRId64 " holds None", name,
                    p);
    dry_obj *x = &d->objs[o];
    if (x->nslots < 0)
        return fail(err, errlen, t->path, op->line,
                    "%s: position %" PRId64 " holds %s, which has no slots", name, p,
                    x->nslots == DRY_TUPLE ? "a tuple" : "an atom");
    if (s < 0 || s >= x->nslots)
        return fail(err, errlen, t->path, op->line,
                    "%s: slot %" PRId64 " is outside the object at position %" PRId64
                    " (slots 0..%d)",
                    name, s, p, x->nslots - 1);
    *out = x;
    return 0;
}

static int dry_step(dry *d, const gct_trace *t, const gct_trace_op *op, char *err, size_t errlen)
{
    size_t i, j;
    dry_obj *x;
    switch (op->code) {
    case GCT_TOP_NEW:
    case GCT_TOP_ATOM:
        if (op->code == GCT_TOP_NEW && (op->a < 1 || op->a > GCT_TRACE_MAX_NEW))
            return fail(err, errlen, t->path, op->line,
                        "new: %" PRId64 " slots (a container has 1 to %d)", op->a,
                        GCT_TRACE_MAX_NEW);
        d->objs = grow(d->objs, &d->objcap, d->nobjs + 1, sizeof *d->objs);
        d->objs[d->nobjs] = (dry_obj){.nslots = op->code == GCT_TOP_NEW ? (int)op->a : -1};
        if (op->code == GCT_TOP_NEW && op->a > GCT_TRACE_MAX_SLOTS)
            d->objs[d->nobjs].big = gct_xcalloc((size_t)op->a, sizeof(size_t));
        dry_push(d, d->nobjs++);
        return 0;
    case GCT_TOP_TUPLE:
        if (op->a < 1 || op->a > GCT_TUPLE_MAX)
            return fail(err, errlen, t->path, op->line,
                        "tuple: %" PRId64 " items (a tuple has 1 to %d)", op->a, GCT_TUPLE_MAX);
        d->objs = grow(d->objs, &d->objcap, d->nobjs + 1, sizeof *d->objs);
        d->objs[d->nobjs] = (dry_obj){.nslots = DRY_TUPLE};
        dry_push(d, d->nobjs++);
        return 0;
    case GCT_TOP_STORE:
        if (dry_target(d, t, op, op->a, op->b, &x, err, errlen))
            return -1;
        if (op->c == GCT_TRACE_NONE) {
            *dry_slot(x, op->b) = 0;
            return 0;
        }
        if (!dry_pos(d, op->c, &j))
            return fail(err, errlen, t->path, op->line,
                        "store: position %" PRId64 " is not on the root stack (depth %zu)", op->c,
                        d->nroots);
        *dry_slot(x, op->b) = d->roots[j];
        return 0;
    case GCT_TOP_LOAD:
        if (dry_target(d, t, op, op->a, op->b, &x, err, errlen))
            return -1;
        dry_push(d, *dry_slot(x, op->b));
        return 0;
    case GCT_TOP_DUP:
        if (!dry_pos(d, op->a, &i))
            return fail(err, errlen, t->path, op->line,
                        "dup: position %" PRId64 " is not on the root stack (depth %zu)", op->a,
                        d->nroots);
        dry_push(d, d->roots[i]);
        return 0;
    case GCT_TOP_POP:
        if (op->a < 1 || (uint64_t)op->a > d->nroots)
            return fail(err, errlen, t->path, op->line,
                        "pop: %" PRId64 " roots, but the root stack holds %zu", op->a, d->nroots);
        d->nroots -= (size_t)op->a;
        return 0;
    case GCT_TOP_COLLECT:
        if (op->a < 0 || op->a > 2)
            return fail(err, errlen, t->path, op->line,
                        "collect: generation %" PRId64 " (0, 1 or 2)", op->a);
        return 0;
    case GCT_TOP_THRESHOLD: {
        const int64_t v[3] = {op->a, op->b, op->c};
        for (int k = 0; k < op->n; k++)
            if (v[k] < 0 || v[k] > 1000000000)
                return fail(err, errlen, t->path, op->line,
                            "threshold: %" PRId64 " is outside 0..1000000000", v[k]);
        return 0;
    }
    case GCT_TOP_SET:
        for (int k = 0; k < 2; k++)
            if ((k == 0 || op->b != GCT_TRACE_NONE) && !dry_pos(d, k ? op->b : op->a, k ? &j : &i))
                return fail(err, errlen, t->path, op->line,
                            "set: position %" PRId64 " is not on the root stack (depth %zu)",
                            k ? op->b : op->a, d->nroots);
        d->roots[i] = op->b == GCT_TRACE_NONE ? 0 : d->roots[j];
        return 0;
    case GCT_TOP_NONE: dry_push(d, 0); return 0;
    default: return 0;
    }
}

static int check(const gct_trace *t, char *err, size_t errlen)
{
    dry d = {0};
    d.objs = grow(NULL, &d.objcap, 1, sizeof *d.objs);
    d.nobjs = 1;
    int rc = 0;
    for (size_t k = 0; k < t->n && !rc; k++)
        rc = dry_step(&d, t, &t->ops[k], err, errlen);
    for (size_t k = 1; k < d.nobjs; k++) /* objs[0] stands for None */
        free(d.objs[k].big);
    free(d.objs);
    free(d.roots);
    return rc;
}

int gct_trace_load(gct_trace *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    t->path = strdup(path);
    char *buf = NULL;
    size_t bufcap = 0;
    int line = 0, rc = 0;
    while (!rc && getline(&buf, &bufcap, f) != -1) {
        line++;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *fields[5];
        int nf = split(buf, fields, 4);
        if (line == 1) {
            if (nf != 2 || strcmp(fields[0], "gctune-trace") || strcmp(fields[1], "1"))
                rc = fail(err, errlen, path, line,
                          "not a trace: the first line must be 'gctune-trace 1'");
            continue;
        }
        if (nf == 0)
            continue;
        if (nf > 4) {
            rc = fail(err, errlen, path, line, "'%s' has too many fields", fields[0]);
            break;
        }
        t->ops = grow(t->ops, &t->cap, t->n + 1, sizeof *t->ops);
        rc = parse_op(path, line, fields, nf, &t->ops[t->n], err, errlen);
        if (!rc)
            t->n++;
    }
    if (!rc && line == 0)
        rc = fail(err, errlen, path, 1, "not a trace: the file is empty");
    free(buf);
    fclose(f);
    if (!rc)
        rc = check(t, err, errlen);
    if (rc)
        gct_trace_free(t);
    /* The shapes of its big containers now, not during a replay (a
     * workload's operation allocates nothing in C). */
    for (size_t k = 0; !rc && k < t->n; k++)
        if (t->ops[k].code == GCT_TOP_NEW && t->ops[k].a > GCT_TRACE_MAX_SLOTS)
            big_shape(t->ops[k].a);
    return rc;
}

void gct_trace_free(gct_trace *t)
{
    free(t->path);
    free(t->ops);
    memset(t, 0, sizeof *t);
}

/* ---- replaying ------------------------------------------------------------- */

static const gct_shape container_shapes[GCT_TRACE_MAX_SLOTS + 1] = {
    GCT_SHAPE("trace.atom", 0, 16), GCT_SHAPE("trace.c1", 1, 0), GCT_SHAPE("trace.c2", 2, 0),
    GCT_SHAPE("trace.c3", 3, 0),    GCT_SHAPE("trace.c4", 4, 0), GCT_SHAPE("trace.c5", 5, 0),
    GCT_SHAPE("trace.c6", 6, 0),    GCT_SHAPE("trace.c7", 7, 0), GCT_SHAPE("trace.c8", 8, 0),
};

/* The shape of a `new N` above GCT_TRACE_MAX_SLOTS: made on first use and
 * kept for the life of the process, since a shape must outlive every object
 * of its own (garbage may outlive the trace that made it). */
static const gct_shape *big_shape(int64_t n)
{
    static gct_shape **made;
    static size_t nmade, cap;
    for (size_t i = 0; i < nmade; i++)
        if (made[i]->nslots == (uint32_t)n)
            return made[i];
    made = grow(made, &cap, nmade + 1, sizeof *made);
    gct_shape *s = gct_xcalloc(1, sizeof *s);
    gct_shape_init(s, "trace.big", (uint32_t)n, 0);
    s->flags |= GCT_SHAPE_REVERSE; /* a list in Python: list_traverse goes backwards */
    made[nmade++] = s;
    return s;
}

typedef struct replay_state {
    gct_heap *h;
    gct_replay *out;
    int line;
    int64_t allocs;
    gct_gen_stats before[GCT_MAX_GEN];
} replay_state;

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    replay_state *s = ud;
    gct_replay *r = s->out;
    if (phase == GCT_EVENT_START) {
        r->c = grow(r->c, &r->cap, r->n + 1, sizeof *r->c);
        r->c[r->n++] = (gct_replay_collection){
            .op = s->line, .alloc = s->allocs, .generation = info->generation};
        memcpy(s->before, gct_heap_stats(s->h), sizeof s->before);
        return;
    }
    gct_replay_collection *c = &r->c[r->n - 1];
    c->collected = info->collected;
    c->uncollectable = info->uncollectable;
    int g = info->generation;
    if (g >= 0 && g < GCT_MAX_GEN) {
        const gct_gen_stats *now = &gct_heap_stats(s->h)[g];
        c->examined = now->examined - s->before[g].examined;
        c->traversed = now->traversed - s->before[g].traversed;
    }
}

/* The root at trace position p (checked by the dry run). */
static gct_obj *root_at(gct_heap *h, size_t base, int64_t p)
{
    size_t depth = gct_root_depth(h) - base;
    return gct_root_get(h, base + (size_t)(p < 0 ? (int64_t)depth + p : p));
}

/* Every operation but `store` is a call in the converted Python program
 * (R.append, R.pop, gc.*, len), and on CPython 3.12+ a call ends at the eval
 * breaker: a collection scheduled by an allocation runs there.  A no-op for
 * models that collect at the allocation. */
static int replay_op(replay_state *s, const gct_trace *t, size_t base, const gct_trace_op *op,
                     char *err, size_t errlen);

static int replay_step(replay_state *s, const gct_trace *t, size_t base, const gct_trace_op *op,
                       char *err, size_t errlen)
{
    if (op->code == GCT_TOP_POP) { /* K calls of R.pop(), each a safepoint */
        for (int64_t k = 0; k < op->a; k++) {
            gct_root_pop(s->h);
            gct_heap_safepoint(s->h);
        }
        return 0;
    }
    int rc = replay_op(s, t, base, op, err, errlen);
    /* `new`'s safepoint is the RESUME of CN.__init__, whose frame holds the
     * new object as `self` (3.14's mark takes it as reachable); a bigger
     * container is a list subclass, made without a Python frame. */
    if (!rc && op->code == GCT_TOP_NEW && op->a <= GCT_TRACE_MAX_SLOTS)
        gct_heap_set_frame_object(s->h, gct_root_top(s->h));
    /* `set` is R[I] = R[J] in Python: a subscript, not a call. */
    if (!rc && op->code != GCT_TOP_STORE && op->code != GCT_TOP_SET)
        gct_heap_safepoint(s->h);
    gct_heap_set_frame_object(s->h, NULL);
    /* The Python line calls (the class, R.append) before the program counts
     * the allocation as done. */
    if (op->code == GCT_TOP_NEW || op->code == GCT_TOP_ATOM || op->code == GCT_TOP_TUPLE)
        s->allocs++;
    return rc;
}

static int replay_op(replay_state *s, const gct_trace *t, size_t base, const gct_trace_op *op,
                     char *err, size_t errlen)
{
    gct_heap *h = s->h;
    static const char *const gens[3] = {"gen0", "gen1", "gen2"};
    switch (op->code) {
    case GCT_TOP_NEW:
    case GCT_TOP_ATOM:
        gct_new(h, op->code == GCT_TOP_NEW && op->a > GCT_TRACE_MAX_SLOTS
                       ? big_shape(op->a)
                       : &container_shapes[op->code == GCT_TOP_NEW ? op->a : 0]);
        return 0; /* counted as done after its safepoint (replay_step) */
    case GCT_TOP_STORE:
        gct_store(h, root_at(h, base, op->a), (uint32_t)op->b,
                  op->c == GCT_TRACE_NONE ? NULL : root_at(h, base, op->c));
        return 0;
    case GCT_TOP_LOAD:
        gct_root_push(h, gct_load(root_at(h, base, op->a), (uint32_t)op->b));
        return 0;
    case GCT_TOP_DUP: gct_root_push(h, root_at(h, base, op->a)); return 0;
    case GCT_TOP_POP: gct_root_truncate(h, gct_root_depth(h) - (size_t)op->a); return 0;
    case GCT_TOP_COLLECT:
        if (gct_heap_collect(h, (int)op->a) < 0)
            return fail(err, errlen, t->path, op->line,
                        "collect %" PRId64 ": %s has no generation %" PRId64, op->a,
                        gct_heap_collector(h)->name, op->a);
        return 0;
    case GCT_TOP_THRESHOLD: {
        const int64_t v[3] = {op->a, op->b, op->c};
        for (int k = 0; k < op->n; k++) {
            char why[256];
            if (gct_heap_set_knob(h, gens[k], v[k], why, sizeof why))
                return fail(err, errlen, t->path, op->line, "threshold: %s", why);
        }
        return 0;
    }
    case GCT_TOP_ENABLE: gct_heap_set_enabled(h, true); return 0;
    case GCT_TOP_DISABLE: gct_heap_set_enabled(h, false); return 0;
    case GCT_TOP_FREEZE:
    case GCT_TOP_UNFREEZE: {
        bool fr = op->code == GCT_TOP_FREEZE;
        if ((fr ? gct_heap_freeze(h) : gct_heap_unfreeze(h)) == GCT_ENOTSUP)
            return fail(err, errlen, t->path, op->line, "%s: %s has no gc.freeze",
                        fr ? "freeze" : "unfreeze", gct_heap_collector(h)->name);
        return 0;
    }
    case GCT_TOP_SAFEPOINT: return 0; /* 3.11's collector runs at the allocation */
    case GCT_TOP_SET: {
        int64_t depth = (int64_t)(gct_root_depth(h) - base);
        gct_root_set(h, base + (size_t)(op->a < 0 ? depth + op->a : op->a),
                     op->b == GCT_TRACE_NONE ? NULL : root_at(h, base, op->b));
        return 0;
    }
    case GCT_TOP_NONE: gct_root_push(h, NULL); return 0;
    case GCT_TOP_TUPLE:
        gct_tuple_new(h, (uint32_t)op->a);
        return 0; /* counted as done after its safepoint (replay_step) */
    }
    return 0;
}

int gct_trace_replay(const gct_trace *t, gct_heap *h, gct_replay *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    replay_state s = {.h = h, .out = out};
    /* The converted program's roots are a list frozen before the trace
     * starts (heap.h: gct_heap_set_frozen_roots). */
    gct_heap_set_frozen_roots(h, true);
    /* ... and it begins with a full collection (gc.collect(); gc.freeze();
     * gc.collect()): the state that leaves (3.14: no work owed, a MARK step
     * next) is where the trace starts; the statistics are differences. */
    gct_heap_collect(h, GCT_GEN_FULL);
    gct_gen_stats before[GCT_MAX_GEN];
    memcpy(before, gct_heap_stats(h), sizeof before);
    gct_heap_set_event_fn(h, on_event, &s);
    size_t base = gct_root_depth(h);
    int rc = 0;
    for (size_t k = 0; k < t->n && !rc; k++) {
        s.line = t->ops[k].line;
        rc = replay_step(&s, t, base, &t->ops[k], err, errlen);
    }
    gct_heap_set_event_fn(h, NULL, NULL);
    gct_heap_set_frozen_roots(h, false);
    const int64_t *count = gct_heap_counts(h);
    for (int g = 0; g < 3; g++) {
        out->count[g] = count[g];
        const gct_gen_stats *now = &gct_heap_stats(h)[g];
        out->stats[g] = (gct_gen_stats){
            .collections = now->collections - before[g].collections,
            .collected = now->collected - before[g].collected,
            .uncollectable = now->uncollectable - before[g].uncollectable,
            .examined = now->examined - before[g].examined,
            .traversed = now->traversed - before[g].traversed,
        };
    }
    gct_root_truncate(h, base);
    return rc;
}

int gct_trace_run(const gct_trace *t, gct_heap *h, char *err, size_t errlen)
{
    replay_state s = {.h = h};
    size_t base = gct_root_depth(h);
    int rc = 0;
    for (size_t k = 0; k < t->n && !rc; k++) {
        s.line = t->ops[k].line;
        rc = replay_step(&s, t, base, &t->ops[k], err, errlen);
    }
    gct_root_truncate(h, base);
    return rc;
}

void gct_replay_free(gct_replay *r)
{
    free(r->c);
    memset(r, 0, sizeof *r);
}

/* Python's json.dumps(obj, indent=2), for this one schema. */
void gct_replay_print_json(FILE *out, const gct_replay *r, bool work)
{
    fprintf(out, "{\n  \"collections\": [");
    for (size_t i = 0; i < r->n; i++) {
        const gct_replay_collection *c = &r->c[i];
        fprintf(out,
                "%s\n    {\n      \"op\": %d,\n      \"alloc\": %" PRId64
                ",\n      \"generation\": %d,\n      \"collected\": %" PRId64
                ",\n      \"uncollectable\": %" PRId64,
                i ? "," : "", c->op, c->alloc, c->generation, c->collected, c->uncollectable);
        if (work)
            fprintf(out, ",\n      \"examined\": %" PRId64 ",\n      \"traversed\": %" PRId64,
                    c->examined, c->traversed);
        fprintf(out, "\n    }");
    }
    fprintf(out, "%s],\n  \"count\": [\n    %" PRId64 ",\n    %" PRId64 ",\n    %" PRId64
                 "\n  ],\n  \"stats\": [",
            r->n ? "\n  " : "", r->count[0], r->count[1], r->count[2]);
    for (int g = 0; g < 3; g++)
        fprintf(out,
                "%s\n    {\n      \"collections\": %" PRId64 ",\n      \"collected\": %" PRId64
                ",\n      \"uncollectable\": %" PRId64 "\n    }",
                g ? "," : "", r->stats[g].collections, r->stats[g].collected,
                r->stats[g].uncollectable);
    fprintf(out, "\n  ]\n}\n");
}
