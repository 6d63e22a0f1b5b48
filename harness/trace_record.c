/*
 * trace_record.c — recording a workload's heap operations as a trace
 * (trace_record.h says what and why; docs/traces.md, "Recording", how to
 * use it).
 *
 * The trace's root stack is the live one plus, between two operations that
 * cannot collect, a few entries above it: temporaries (objects brought up by
 * `load` lines to be named by a `store`) and roots the workload has popped
 * but the trace not yet (pops are written lazily, so that a run of them is
 * one `pop K`).  Positions in the trace are absolute (0 = the bottom), so the
 * live roots keep their positions whatever sits above them.
 *
 * Invariants, between two hooks:
 *  - trace stack [0, ldepth) == the live root stack, entry for entry;
 *    [ldepth, tdepth) are extra entries, popped (one `pop`) before any line
 *    that pushes, sets a root, allocates, collects or reaches a safepoint:
 *    so whenever a collection can run, the trace's roots are the live ones.
 *  - Every object the recorder has seen has a record: how many live roots
 *    hold it (exact: every root operation passes here) and a hint, the
 *    (parent, slot) it was last stored into or loaded from.  A hint is only
 *    a hint: the objects of a chain of hints are never read until a root
 *    has been found at its top, and then each slot is read from the root
 *    down, so only objects proven alive are read.
 *  - A collection that runs during an operation is logged with the line
 *    number of that operation's line in the trace (for an allocation, its
 *    `new`), as `gctune replay` logs it; allocations count as completed from
 *    the next line on, as in the replay.
 */
#define _GNU_SOURCE
#include "trace_record.h"

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "collector.h"
#include "files.h"
#include "trace.h"

/* ---- per-object records: an open-addressing map keyed by address ---------- */

typedef struct objrec {
    gct_obj *obj;        /* NULL: an empty cell */
    gct_obj *parent;     /* the hint: parent.slots[slot] held obj */
    uint32_t slot;
    uint32_t nroots;     /* live roots holding obj */
    uint64_t stamp;      /* the last search that visited it */
} objrec;

typedef struct objmap {
    objrec *cells;
    size_t cap, n; /* cap a power of two, n <= cap / 2 */
} objmap;

static size_t slot_of(const objmap *m, const gct_obj *o)
{
    uint64_t x = (uint64_t)(uintptr_t)o;
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return (size_t)x & (m->cap - 1);
}

static objrec *map_find(const objmap *m, const gct_obj *o)
{
    if (!m->cap)
        return NULL;
    for (size_t i = slot_of(m, o);; i = (i + 1) & (m->cap - 1)) {
        if (m->cells[i].obj == o)
            return &m->cells[i];
        if (!m->cells[i].obj)
            return NULL;
    }
}

static objrec *map_get(objmap *m, gct_obj *o);

static void map_grow(objmap *m)
{
    objmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 1024;
    m->cells = gct_xcalloc(m->cap, sizeof *m->cells);
    m->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.cells[i].obj)
            *map_get(m, old.cells[i].obj) = old.cells[i];
    free(old.cells);
}

/* o's record, made (empty) if it has none. */
static objrec *map_get(objmap *m, gct_obj *o)
{
    if (2 * (m->n + 1) > m->cap)
        map_grow(m);
    size_t i = slot_of(m, o);
    while (m->cells[i].obj && m->cells[i].obj != o)
        i = (i + 1) & (m->cap - 1);
    if (!m->cells[i].obj) {
        m->cells[i] = (objrec){.obj = o};
        m->n++;
    }
    return &m->cells[i];
}

/* ---- the recorder ---------------------------------------------------------- */

/* An extra entry of the trace's stack.  Its object may have died in the live
 * run since (the trace's reference is not the live run's), so its slots are
 * read only in the epoch it was made in: until the live run next stores,
 * pops or sets a root. */
typedef struct temp {
    gct_obj *obj;
    size_t pos;
    uint64_t epoch;
} temp;

typedef struct recorder {
    gct_heap *h;
    FILE *f;
    const char *wl_name; /* for messages: "trees (depth=4 ...)" */
    int64_t op;          /* the operation running (0: set-up) */
    int64_t line;        /* lines written */
    int last;            /* the opcode of the last operation written, -1 none */
    size_t ldepth;       /* the live root depth */
    size_t tdepth;       /* the trace's root depth */
    temp *temps;
    size_t ntemps, tempcap;
    uint64_t epoch; /* live operations that may free objects, so far */
    objmap map;
    uint64_t stamp;
    gct_obj **queue; /* the breadth-first search's */
    size_t qcap;
    struct {         /* a chain of hints, bottom first */
        gct_obj *obj, *parent;
        uint32_t slot;
    } *chain;
    size_t chaincap;
    int64_t allocs;     /* allocations completed, as the replay counts them */
    bool alloc_pending; /* one more, from the next line on */
    gct_replay log;     /* the live run's collections */
    gct_gen_stats before[GCT_MAX_GEN];
    bool failed;
    int status; /* GCT_EXIT_* of the failure */
    char err[600];
} recorder;

static void rec_fail(recorder *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void rec_fail(recorder *r, int status, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    r->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
}

/* "at set-up" or "in operation 12" */
static const char *when(const recorder *r)
{
    static char buf[64];
    if (r->op == 0)
        return "at set-up";
    snprintf(buf, sizeof buf, "in operation %" PRId64, r->op);
    return buf;
}

/* A comment line: no operation, but a line like any. */
static void comment(recorder *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void comment(recorder *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", r->f);
    vfprintf(r->f, fmt, ap);
    fputc('\n', r->f);
    va_end(ap);
    r->line++;
}

/* One operation line.  An allocation counts as completed from the line after
 * its own (the replay counts it after the safepoint that ends its line). */
static void emit(recorder *r, gct_trace_opcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void emit(recorder *r, gct_trace_opcode code, const char *fmt, ...)
{
    if (r->alloc_pending) {
        r->allocs++;
        r->alloc_pending = false;
    }
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->f, fmt, ap);
    fputc('\n', r->f);
    va_end(ap);
    r->line++;
    r->last = (int)code;
}

/* A position, or "-" for None. */
static const char *pos_text(int64_t p, char *buf, size_t len)
{
    if (p < 0)
        return "-";
    snprintf(buf, len, "%" PRId64, p);
    return buf;
}

/* Pop the extra entries: the trace's stack is the live one again. */
static void flush(recorder *r)
{
    if (r->tdepth > r->ldepth)
        emit(r, GCT_TOP_POP, "pop %zu", r->tdepth - r->ldepth);
    r->tdepth = r->ldepth;
    r->ntemps = 0;
}

static void push_temp(recorder *r, gct_obj *o, size_t pos)
{
    if (r->ntemps == r->tempcap) {
        r->tempcap = r->tempcap ? 2 * r->tempcap : 64;
        r->temps = gct_xrealloc(r->temps, r->tempcap, sizeof *r->temps);
    }
    r->temps[r->ntemps++] = (temp){o, pos, r->epoch};
}

/* An extra entry holding o (of this epoch only, with `fresh`). */
static bool is_temp(const recorder *r, const gct_obj *o, bool fresh, size_t *pos)
{
    for (size_t k = r->ntemps; k-- > 0;)
        if (r->temps[k].obj == o && (!fresh || r->temps[k].epoch == r->epoch)) {
            *pos = r->temps[k].pos;
            return true;
        }
    return false;
}

/* The position of a live root holding o (its record says one does). */
static bool root_pos(recorder *r, const gct_obj *o, size_t *pos)
{
    for (size_t p = r->ldepth; p-- > 0;)
        if (gct_root_get(r->h, p) == o) {
            *pos = p;
            return true;
        }
    return false;
}

/* On the trace's stack now (a live root or an extra entry)?  With `alive`,
 * only where it is known to be alive in the live run too, so that its slots
 * may be read: a live root, or an extra entry of this epoch.  (An object the
 * workload names is alive: any entry holding it will do.) */
static bool anchor_pos(recorder *r, const gct_obj *o, bool alive, size_t *pos)
{
    if (is_temp(r, o, alive, pos))
        return true;
    const objrec *x = map_find(&r->map, o);
    return x && x->nroots && root_pos(r, o, pos);
}

/* Bring o onto the trace's stack along its chain of hints: true with its
 * position, false (nothing written) if the chain does not lead to a root or
 * a slot on the way no longer holds what it says. */
static bool by_hints(recorder *r, gct_obj *o, size_t *out)
{
    uint64_t stamp = ++r->stamp;
    size_t n = 0, top = 0;
    gct_obj *x = o;
    for (;;) {
        objrec *xr = map_find(&r->map, x);
        if (!xr || !xr->parent || xr->stamp == stamp)
            return false; /* no hint, or a loop */
        xr->stamp = stamp;
        if (n == r->chaincap) {
            r->chaincap = r->chaincap ? 2 * r->chaincap : 64;
            r->chain = gct_xrealloc(r->chain, r->chaincap, sizeof *r->chain);
        }
        r->chain[n].obj = x;
        r->chain[n].parent = xr->parent;
        r->chain[n].slot = xr->slot;
        n++;
        if (anchor_pos(r, xr->parent, true, &top))
            break;
        x = xr->parent;
    }
    /* From the root down, each slot must hold the next object: only objects
     * so proven alive are read. */
    for (size_t k = n; k-- > 0;) {
        const gct_obj *p = r->chain[k].parent;
        if (r->chain[k].slot >= p->shape->nslots || p->slots[r->chain[k].slot] != r->chain[k].obj)
            return false;
    }
    size_t pos = top;
    for (size_t k = n; k-- > 0;) {
        emit(r, GCT_TOP_LOAD, "load %zu %" PRIu32, pos, r->chain[k].slot);
        pos = r->tdepth++;
        push_temp(r, r->chain[k].obj, pos);
    }
    *out = pos;
    return true;
}

/* A breadth-first search from the trace's stack that makes every hint on
 * the way a slot that holds its object now.  True if it reached o. */
static bool search(recorder *r, gct_obj *o)
{
    uint64_t stamp = ++r->stamp;
    size_t head = 0, tail = 0;
    for (size_t p = 0; p < r->tdepth; p++) {
        gct_obj *s = NULL;
        if (p < r->ldepth)
            s = gct_root_get(r->h, p);
        else
            for (size_t k = 0; k < r->ntemps && !s; k++)
                if (r->temps[k].pos == p && r->temps[k].epoch == r->epoch)
                    s = r->temps[k].obj;
        if (!s)
            continue;
        objrec *sr = map_get(&r->map, s);
        if (sr->stamp == stamp)
            continue;
        sr->stamp = stamp;
        if (tail == r->qcap) {
            r->qcap = r->qcap ? 2 * r->qcap : 1024;
            r->queue = gct_xrealloc(r->queue, r->qcap, sizeof *r->queue);
        }
        r->queue[tail++] = s;
    }
    while (head < tail) {
        gct_obj *p = r->queue[head++];
        if (p == o)
            return true;
        for (uint32_t i = 0; i < p->shape->nslots; i++) {
            gct_obj *c = p->slots[i];
            if (!c)
                continue;
            objrec *cr = map_get(&r->map, c);
            if (cr->stamp == stamp)
                continue;
            cr->stamp = stamp;
            cr->parent = p;
            cr->slot = i;
            if (tail == r->qcap) {
                r->qcap = r->qcap ? 2 * r->qcap : 1024;
                r->queue = gct_xrealloc(r->queue, r->qcap, sizeof *r->queue);
            }
            r->queue[tail++] = c;
        }
    }
    return false;
}

/* A position on the trace's stack that holds o (not NULL), bringing it up
 * with `load` lines if it is not there; false after a failure. */
static bool locate(recorder *r, gct_obj *o, const char *what, size_t *pos)
{
    if (anchor_pos(r, o, false, pos) || by_hints(r, o, pos) ||
        (search(r, o) && by_hints(r, o, pos)))
        return true;
    rec_fail(r, GCT_EXIT_USAGE,
             "%s %s %s an object (%s) that no root reaches: a trace names objects only "
             "through the root stack",
             r->wl_name, when(r), what, o->shape->name);
    return false;
}

/* The recording heap's thresholds, as a `threshold` line's fields: gen0 and
 * those after it the collector has. */
static int thresholds(gct_heap *h, int64_t v[3])
{
    static const char *const names[3] = {"gen0", "gen1", "gen2"};
    int n = 0;
    while (n < 3 && gct_heap_get_knob(h, names[n], &v[n]) == 0)
        n++;
    return n;
}

static void emit_thresholds(recorder *r)
{
    int64_t v[3];
    int n = thresholds(r->h, v);
    if (n == 1)
        emit(r, GCT_TOP_THRESHOLD, "threshold %" PRId64, v[0]);
    else if (n == 2)
        emit(r, GCT_TOP_THRESHOLD, "threshold %" PRId64 " %" PRId64, v[0], v[1]);
    else if (n == 3)
        emit(r, GCT_TOP_THRESHOLD, "threshold %" PRId64 " %" PRId64 " %" PRId64, v[0], v[1],
             v[2]);
}

static void on_store(recorder *r, gct_obj *o, uint32_t slot, gct_obj *v)
{
    size_t po, pv = 0;
    char buf[32];
    if (!locate(r, o, "stores into", &po) || (v && !locate(r, v, "stores", &pv)))
        return;
    emit(r, GCT_TOP_STORE, "store %zu %" PRIu32 " %s", po, slot,
         pos_text(v ? (int64_t)pv : -1, buf, sizeof buf));
    r->epoch++; /* the store may free what only it held */
    if (v) {
        objrec *vr = map_get(&r->map, v);
        vr->parent = o;
        vr->slot = slot;
    }
}

/* Push v (NULL: None) as the live run does. */
static void on_push(recorder *r, gct_obj *v)
{
    flush(r);
    size_t p;
    if (!v) {
        emit(r, GCT_TOP_NONE, "none");
    } else if (anchor_pos(r, v, false, &p)) {
        emit(r, GCT_TOP_DUP, "dup %zu", p);
    } else {
        if (!locate(r, v, "pushes", &p))
            return;
        /* v is on top of the temporaries: it takes the first one's place. */
        if (r->tdepth - r->ldepth > 1) {
            emit(r, GCT_TOP_SET, "set %zu %zu", r->ldepth, p);
            emit(r, GCT_TOP_POP, "pop %zu", r->tdepth - r->ldepth - 1);
        }
    }
    if (v)
        map_get(&r->map, v)->nroots++;
    r->ldepth++;
    r->tdepth = r->ldepth;
    r->ntemps = 0;
}

static void on_set(recorder *r, size_t index, gct_obj *v)
{
    flush(r);
    size_t p = 0;
    char buf[32];
    if (v && !locate(r, v, "sets a root to", &p))
        return;
    emit(r, GCT_TOP_SET, "set %zu %s", index, pos_text(v ? (int64_t)p : -1, buf, sizeof buf));
    flush(r);
    gct_obj *old = gct_root_get(r->h, index);
    if (old)
        map_get(&r->map, old)->nroots--;
    if (v)
        map_get(&r->map, v)->nroots++;
}

static void on_pop(recorder *r)
{
    gct_obj *o = gct_root_get(r->h, r->ldepth - 1);
    r->ldepth--;
    if (o) {
        map_get(&r->map, o)->nroots--;
        push_temp(r, o, r->ldepth); /* still on the trace's stack until the pop is written */
    }
    r->epoch++; /* the pop may free o and what only it held */
}

/* A safepoint of the live run.  Every operation but store and set already
 * ends at one when replayed, where a second would be a no-op: only after
 * those is it a line of its own. */
static void on_safepoint(recorder *r)
{
    if (r->tdepth > r->ldepth)
        flush(r); /* a pop: its last call is the safepoint */
    else if (r->last == GCT_TOP_STORE || r->last == GCT_TOP_SET)
        emit(r, GCT_TOP_SAFEPOINT, "safepoint");
}

#define WEAK                                                                                \
    "%s makes weak references (%s), which a trace cannot express (docs/traces.md); record "  \
    "a variant without them"

static void on_op(void *ud, gct_heap *h, const gct_heap_op *op)
{
    recorder *r = ud;
    if (r->failed || h != r->h)
        return;
    switch (op->kind) {
    case GCT_HOP_NEW:
        flush(r);
        if (op->shape->flags & GCT_SHAPE_WEAKREF)
            rec_fail(r, GCT_EXIT_USAGE, WEAK, r->wl_name, when(r));
        else if (op->shape->nslots > GCT_TRACE_MAX_NEW)
            rec_fail(r, GCT_EXIT_USAGE, "%s %s allocates a %s of %" PRIu32 " slots; a trace's "
                                        "containers have at most %d",
                     r->wl_name, when(r), op->shape->name, op->shape->nslots, GCT_TRACE_MAX_NEW);
        else if (op->shape->nslots == 0)
            emit(r, GCT_TOP_ATOM, "atom");
        else
            emit(r, GCT_TOP_NEW, "new %" PRIu32, op->shape->nslots);
        return;
    case GCT_HOP_NEW_DONE: {
        /* A fresh object: whatever a freed one at this address knew is gone. */
        objrec *x = map_get(&r->map, op->obj);
        x->parent = NULL;
        x->nroots = 1;
        r->ldepth++;
        r->tdepth++;
        r->alloc_pending = true;
        return;
    }
    case GCT_HOP_STORE: on_store(r, op->obj, op->slot, op->value); return;
    case GCT_HOP_LOAD: {
        gct_obj *v = op->obj->slots[op->slot];
        if (v) {
            objrec *vr = map_get(&r->map, v);
            vr->parent = op->obj;
            vr->slot = op->slot;
        }
        return;
    }
    case GCT_HOP_PUSH: on_push(r, op->value); return;
    case GCT_HOP_POP: on_pop(r); return;
    case GCT_HOP_SET: on_set(r, op->index, op->value); return;
    case GCT_HOP_SAFEPOINT: on_safepoint(r); return;
    case GCT_HOP_COLLECT: {
        flush(r);
        int64_t g = op->n < 0 ? gct_heap_collector(h)->ngenerations - 1 : op->n;
        if (g < 0 || g > 2)
            rec_fail(r, GCT_EXIT_USAGE, "%s %s collects generation %" PRId64
                                        ", which a trace cannot name (0, 1 or 2)",
                     r->wl_name, when(r), g);
        else
            emit(r, GCT_TOP_COLLECT, "collect %" PRId64, g);
        return;
    }
    case GCT_HOP_ENABLE:
        flush(r);
        if (op->n)
            emit(r, GCT_TOP_ENABLE, "enable");
        else
            emit(r, GCT_TOP_DISABLE, "disable");
        return;
    case GCT_HOP_FREEZE: flush(r); emit(r, GCT_TOP_FREEZE, "freeze"); return;
    case GCT_HOP_UNFREEZE: flush(r); emit(r, GCT_TOP_UNFREEZE, "unfreeze"); return;
    case GCT_HOP_KNOB:
        if (strcmp(op->name, "gen0") && strcmp(op->name, "gen1") && strcmp(op->name, "gen2")) {
            rec_fail(r, GCT_EXIT_USAGE, "%s %s sets the knob %s, which a trace cannot express "
                                        "(only the thresholds gen0..gen2)",
                     r->wl_name, when(r), op->name);
            return;
        }
        flush(r);
        emit_thresholds(r);
        return;
    case GCT_HOP_WEAKREF:
        rec_fail(r, GCT_EXIT_USAGE, WEAK, r->wl_name, when(r));
        return;
    }
}

/* The live run's collections, as `gctune replay` logs them (trace.c). */
static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    recorder *r = ud;
    gct_replay *log = &r->log;
    if (phase == GCT_EVENT_START) {
        if (log->n == log->cap) {
            log->cap = log->cap ? 2 * log->cap : 64;
            log->c = gct_xrealloc(log->c, log->cap, sizeof *log->c);
        }
        log->c[log->n++] = (gct_replay_collection){
            .op = (int)r->line, .alloc = r->allocs, .generation = info->generation};
        memcpy(r->before, gct_heap_stats(r->h), sizeof r->before);
        return;
    }
    gct_replay_collection *c = &log->c[log->n - 1];
    c->collected = info->collected;
    c->uncollectable = info->uncollectable;
    int g = info->generation;
    if (g >= 0 && g < GCT_MAX_GEN) {
        const gct_gen_stats *now = &gct_heap_stats(r->h)[g];
        c->examined = now->examined - r->before[g].examined;
        c->traversed = now->traversed - r->before[g].traversed;
    }
}

/* ---- the recording run ----------------------------------------------------- */

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { interrupted = sig; }

/* The heap's thresholds differ from the collector's defaults? */
static bool thresholds_set(const gct_config *c)
{
    for (uint32_t i = 0; i < c->collector->nknobs; i++)
        if (!strncmp(c->collector->knobs[i].name, "gen", 3) &&
            c->knobs[i] != c->collector->knobs[i].def)
            return true;
    return false;
}

/* Set-up and c->ops operations of the recording build on a fresh heap. */
static void record_run(recorder *r, const gct_config *c, const gct_workload *twin,
                       int64_t heap_limit)
{
    char err[512], knobs[512], params[512];
    r->h = gct_config_heap(c, err, sizeof err);
    if (!r->h) {
        rec_fail(r, GCT_EXIT_USAGE, "%s", err);
        return;
    }
    gct_heap_set_limit(r->h, heap_limit);
    gct_config_knobs_text(c, knobs, sizeof knobs);
    gct_config_params_text(c, params, sizeof params);
    fputs("gctune-trace 1\n", r->f);
    r->line = 1;
    comment(r, "recorded by gctune run: collector %s (%s), workload %s (%s), seed %" PRIu64
               ", %" PRId64 " operation%s",
            c->collector->name, knobs, c->workload->name, params, c->seed, c->ops,
            c->ops == 1 ? "" : "s");
    if (thresholds_set(c)) {
        comment(r, "the thresholds the run started with (without this line, a sweep over the "
                   "trace sets them)");
        emit_thresholds(r);
    }
    comment(r, "set-up");
    gct_heap_set_event_fn(r->h, on_event, r);
    gct_heap_set_recorder(r->h, on_op, r);
    gct_workload_run *run = gct_workload_start(twin, r->h, c->params, c->seed, err, sizeof err);
    if (!run) {
        rec_fail(r, GCT_EXIT_FAILED, "%s: set-up: %s", r->wl_name, err);
    } else {
        for (int64_t k = 1; k <= c->ops && !r->failed; k++) {
            if (interrupted) {
                rec_fail(r, GCT_EXIT_INTERRUPTED, "interrupted");
                break;
            }
            r->op = k;
            comment(r, "operation %" PRId64, k);
            /* gct_workload_op, with its safepoint reported */
            run->wl->op(run);
            run->ops++;
            gct__record_op(r->h, &(const gct_heap_op){.kind = GCT_HOP_SAFEPOINT});
            gct_heap_safepoint(r->h);
        }
        if (!r->failed) {
            flush(r);
            comment(r, "end of operation %" PRId64, c->ops);
        }
    }
    gct_heap_set_recorder(r->h, NULL, NULL);
    gct_heap_set_event_fn(r->h, NULL, NULL);
    const int64_t *count = gct_heap_counts(r->h);
    for (int g = 0; g < 3; g++) {
        r->log.count[g] = count[g];
        r->log.stats[g] = gct_heap_stats(r->h)[g];
    }
    if (run && !r->failed && !gct_workload_check(run, err, sizeof err))
        rec_fail(r, GCT_EXIT_FAILED, "the recording run's self-check: %s", err);
    gct_workload_free(run);
    gct_heap_destroy(r->h);
    r->h = NULL;
}

int gct_trace_record(const gct_config *c, const gct_trace_record_opts *o,
                     gct_trace_record_result *res, char *err, size_t errlen)
{
    const gct_workload *twin = gct_workload_recording(c->workload);
    if (!twin) {
        memset(res, 0, sizeof *res);
        snprintf(err, errlen,
                 "workload %s has no recording build: only the workloads of gctune list can be "
                 "recorded (a trace workload is a trace already)",
                 c->workload->name);
        return GCT_EXIT_USAGE;
    }
    return gct_trace_record_with(c, twin, o, res, err, errlen);
}

int gct_trace_record_with(const gct_config *c, const gct_workload *twin,
                          const gct_trace_record_opts *o, gct_trace_record_result *res, char *err,
                          size_t errlen)
{
    memset(res, 0, sizeof *res);
    char params[512], name[700];
    gct_workload_format_params(c->workload, c->params, params, sizeof params);
    snprintf(name, sizeof name, "workload %s%s%s%s", c->workload->name, params[0] ? " (" : "",
             params, params[0] ? ")" : "");
    recorder r = {.wl_name = name, .last = -1};
    gct_afile trace, coll;
    r.f = gct_afile_open(&trace, o->trace, err, errlen);
    if (!r.f)
        return GCT_EXIT_FAILED;
    static char buf[1 << 16];
    setvbuf(r.f, buf, _IOFBF, sizeof buf);

    struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    record_run(&r, c, twin, o->heap_limit);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    int status = GCT_EXIT_OK;
    FILE *cf = NULL;
    if (!r.failed && o->collections) {
        cf = gct_afile_open(&coll, o->collections, err, errlen);
        if (!cf)
            status = GCT_EXIT_FAILED;
        else
            gct_replay_print_json(cf, &r.log, true);
    }
    if (r.failed) {
        snprintf(err, errlen, "%s", r.err);
        status = r.status;
    }
    if (status != GCT_EXIT_OK) {
        gct_afile_abort(&trace);
        if (cf)
            gct_afile_abort(&coll);
    } else if (gct_afile_commit(&trace, err, errlen)) {
        status = GCT_EXIT_FAILED;
        if (cf)
            gct_afile_abort(&coll);
    } else if (cf && gct_afile_commit(&coll, err, errlen)) {
        status = GCT_EXIT_FAILED;
        unlink(o->trace); /* nothing behind: not the trace without its collections */
    }
    res->lines = r.line;
    res->collections = (int64_t)r.log.n;
    free(r.map.cells);
    free(r.temps);
    free(r.queue);
    free(r.chain);
    gct_replay_free(&r.log);
    return status;
}
