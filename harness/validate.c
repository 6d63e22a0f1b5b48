/*
 * validate.c — run a case on gencycle and on cpython and compare the traces
 * (validate.h says what a case and a trace are).
 */
#define _GNU_SOURCE
#include "validate.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "stats.h"

const char *gct_vstatus_name(gct_vstatus s)
{
    switch (s) {
    case GCT_V_MATCH: return "match";
    case GCT_V_EXPLAINED: return "explained";
    case GCT_V_MISMATCH: return "mismatch";
    case GCT_V_FAILED: return "failed";
    }
    return "?";
}

void gct_vtrace_free(gct_vtrace *t)
{
    free(t->colls);
    t->colls = NULL;
    t->ncolls = t->cap = 0;
}

/* ---- the grid -------------------------------------------------------------- */

bool gct_validate_parse_thresholds(const char *s, gct_vthresholds *out)
{
    int64_t v[3];
    const char *p = s;
    for (int i = 0; i < 3; i++) {
        if (*p < '0' || *p > '9')
            return false;
        char *end;
        errno = 0;
        long long x = strtoll(p, &end, 10);
        if (errno || x < 0 || x > 1000000000)
            return false;
        v[i] = x;
        if (i < 2 && *end != '/')
            return false;
        if (i == 2 && *end)
            return false;
        p = end + 1;
    }
    memcpy(out->t, v, sizeof v);
    snprintf(out->label, sizeof out->label, "%" PRId64 "/%" PRId64 "/%" PRId64, v[0], v[1], v[2]);
    return true;
}

size_t gct_validate_default_thresholds(gct_vthresholds *out, size_t max)
{
    /* CPython 3.11's default; small and eager; 3.13's gen0; a collection
     * every 11 allocations; the hand-worked sequences' 3/2/2 (the long-lived
     * rule decides most generation-2 collections); automatic collection off;
     * gen0 so large that hardly anything but the explicit collections runs. */
    static const char *const grid[] = {"700/10/10", "100/2/2", "2000/10/10", "10/10/10",
                                       "3/2/2",     "0/10/10", "100000/10/10"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof grid / sizeof grid[0] && n < max; i++)
        if (gct_validate_parse_thresholds(grid[i], &out[n]))
            n++;
    return n;
}

static const struct {
    const char *label, *workload;
    const char *params[6];
    int64_t ops;
} default_rows[] = {
    /* Sizes keep every case to a fraction of a second on either collector
     * while still reaching generation-2 collections at 700/10/10. */
    {"trees", "trees", {"depth=6", "long_depth=15", NULL}, 10000},
    {"trees parent=weak", "trees", {"depth=6", "long_depth=15", "parent=weak", NULL}, 10000},
    {"dlist", "dlist", {"lists=50", "length=400", "drop_every=100", NULL}, 150000},
    {"dlist backlinks=weak", "dlist",
     {"lists=50", "length=400", "drop_every=100", "backlinks=weak", NULL}, 50000},
    {"cache", "cache", {"keys=50000", "capacity=4000", NULL}, 150000},
    {"cache values=weak", "cache", {"keys=50000", "capacity=4000", "values=weak", "hold=500", NULL},
     150000},
    {"requests", "requests", {"old_objects=50000", "request_objects=200", NULL}, 20000},
    {"longlived", "longlived",
     {"live_objects=400000", "initial=50000", "grow=50", "young=100", NULL}, 20000},
};

size_t gct_validate_default_workloads(gct_vworkload *out, size_t max, char *err, size_t errlen)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof default_rows / sizeof default_rows[0] && n < max; i++) {
        gct_vworkload *w = &out[n];
        memset(w, 0, sizeof *w);
        w->label = default_rows[i].label;
        w->wl = gct_workload_find(default_rows[i].workload);
        if (!w->wl) {
            snprintf(err, errlen, "no workload '%s'", default_rows[i].workload);
            return 0;
        }
        size_t np = 0;
        while (np < 6 && default_rows[i].params[np])
            np++;
        if (gct_workload_parse(w->wl, default_rows[i].params, np, w->params, err, errlen))
            return 0;
        gct_workload_format_params(w->wl, w->params, w->params_text, sizeof w->params_text);
        w->ops = default_rows[i].ops;
        n++;
    }
    return n;
}

/* ---- one trace -------------------------------------------------------------- */

typedef struct trace_ctx {
    gct_heap *h;
    gct_vtrace *t;
    int phase;
} trace_ctx;

static void push_coll(gct_vtrace *t, const gct_vcoll *c)
{
    if (t->ncolls == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        gct_vcoll *n = realloc(t->colls, ncap * sizeof *n);
        if (!n)
            gct__fatal("validate: out of memory recording collections");
        t->colls = n;
        t->cap = ncap;
    }
    t->colls[t->ncolls++] = *c;
}

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    trace_ctx *x = ud;
    if (phase == GCT_EVENT_START) {
        gct_vcoll c = {
            .alloc = gct_heap_total_allocs(x->h), .gen = info->generation, .phase = x->phase};
        if (gct_heap_counts(x->h)[0] > x->t->max_count0)
            x->t->max_count0 = gct_heap_counts(x->h)[0];
        push_coll(x->t, &c);
    } else if (x->t->ncolls) {
        x->t->colls[x->t->ncolls - 1].collected = info->collected + info->uncollectable;
    }
}

void gct_validate_trace(const char *collector, const gct_vworkload *w, const gct_vthresholds *th,
                        uint64_t seed, gct_vtrace *t)
{
    memset(t, 0, sizeof *t);
    char k[3][48];
    const char *knobs[3];
    for (int i = 0; i < 3; i++) {
        snprintf(k[i], sizeof k[i], "gen%d=%" PRId64, i, th->t[i]);
        knobs[i] = k[i];
    }
    char err[256];
    gct_heap *h = gct_heap_new(collector, knobs, 3, err, sizeof err);
    if (!h) {
        snprintf(t->err, sizeof t->err, "%s", err);
        return;
    }
    trace_ctx x = {h, t, GCT_VPHASE_SETUP};
    gct_heap_set_event_fn(h, on_event, &x);
    uint64_t t0 = gct_now_ns();
    gct_workload_run *run = gct_workload_start(w->wl, h, w->params, seed, err, sizeof err);
    if (!run) {
        snprintf(t->err, sizeof t->err, "setup: %.240s", err);
        gct_heap_destroy(h);
        return;
    }
    x.phase = GCT_VPHASE_OPS;
    gct_workload_ops(run, w->ops);
    t->wall_s = (double)(gct_now_ns() - t0) / 1e9;
    memcpy(t->stats, gct_heap_stats(h), sizeof t->stats);
    memcpy(t->count, gct_heap_counts(h), sizeof t->count);
    if (gct_heap_counts(h)[0] > t->max_count0)
        t->max_count0 = gct_heap_counts(h)[0];
    t->allocs = gct_heap_total_allocs(h);
    t->checksum = gct_workload_checksum(run);
    t->ok = true;
    if (!gct_workload_check(run, err, sizeof err)) {
        snprintf(t->err, sizeof t->err, "self-check: %.240s", err);
        t->ok = false;
    } else if (!gct_heap_verify(h, true, err, sizeof err)) {
        snprintf(t->err, sizeof t->err, "verifier: %.240s", err);
        t->ok = false;
    }
    x.phase = GCT_VPHASE_FINAL;
    gct_heap_collect(h, GCT_GEN_FULL);
    x.phase = GCT_VPHASE_TEARDOWN;
    gct_workload_free(run);
    gct_heap_collect(h, GCT_GEN_FULL);
    t->left_objects = gct_heap_live_objects(h);
    if (t->ok && !gct_heap_verify(h, true, err, sizeof err)) {
        snprintf(t->err, sizeof t->err, "verifier after teardown: %.220s", err);
        t->ok = false;
    }
    /* Collection pauses come in the order of the collections. */
    size_t np = gct_heap_npauses(h), k2 = 0;
    const gct_pause *p = gct_heap_pauses(h);
    for (size_t i = 0; i < np && k2 < t->ncolls; i++) {
        if (p[i].kind > GCT_PAUSE_GEN2)
            continue;
        t->colls[k2].examined = p[i].examined;
        t->colls[k2].traversed = p[i].traversed;
        t->colls[k2].pause_ns = p[i].duration_ns;
        k2++;
    }
    gct_heap_destroy(h);
}

/* ---- a trace through a pipe (one child process per collector) --------------- */

typedef struct wire {
    bool ok;
    char err[256];
    gct_gen_stats stats[GCT_MAX_GEN];
    int64_t count[GCT_MAX_GEN];
    int64_t allocs, left_objects, max_count0;
    uint64_t checksum;
    double wall_s;
    uint64_t ncolls;
} wire;

static bool write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        n -= (size_t)r;
    }
    return true;
}

static void trace_in_child(const char *collector, const gct_vworkload *w,
                           const gct_vthresholds *th, uint64_t seed, gct_vtrace *t)
{
    memset(t, 0, sizeof *t);
    int fds[2];
    FILE *errf = tmpfile();
    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) < 0) {
        snprintf(t->err, sizeof t->err, "pipe: %s", strerror(errno));
        if (errf)
            fclose(errf);
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(t->err, sizeof t->err, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        if (errf)
            fclose(errf);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        if (errf)
            dup2(fileno(errf), 2);
        gct_vtrace r;
        gct_validate_trace(collector, w, th, seed, &r);
        wire m = {.ok = r.ok, .allocs = r.allocs, .left_objects = r.left_objects,
                  .max_count0 = r.max_count0, .checksum = r.checksum, .wall_s = r.wall_s,
                  .ncolls = r.ncolls};
        memcpy(m.err, r.err, sizeof m.err);
        memcpy(m.stats, r.stats, sizeof m.stats);
        memcpy(m.count, r.count, sizeof m.count);
        bool ok = write_all(fds[1], &m, sizeof m) &&
                  (!r.ncolls || write_all(fds[1], r.colls, r.ncolls * sizeof *r.colls));
        _exit(ok ? 0 : 3);
    }
    close(fds[1]);
    wire m;
    bool got = read_all(fds[0], &m, sizeof m);
    if (got && m.ncolls) {
        t->colls = malloc(m.ncolls * sizeof *t->colls);
        got = t->colls && read_all(fds[0], t->colls, m.ncolls * sizeof *t->colls);
        if (got)
            t->ncolls = t->cap = m.ncolls;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char tail[200];
    gct_last_line(errf, tail, sizeof tail);
    if (errf)
        fclose(errf);
    if (got && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        t->ok = m.ok;
        memcpy(t->err, m.err, sizeof t->err);
        memcpy(t->stats, m.stats, sizeof t->stats);
        memcpy(t->count, m.count, sizeof t->count);
        t->allocs = m.allocs;
        t->left_objects = m.left_objects;
        t->max_count0 = m.max_count0;
        t->checksum = m.checksum;
        t->wall_s = m.wall_s;
        return;
    }
    gct_vtrace_free(t);
    t->ok = false;
    if (WIFSIGNALED(status))
        snprintf(t->err, sizeof t->err, "crashed (%s)%s%s", strsignal(WTERMSIG(status)),
                 tail[0] ? ": " : "", tail);
    else
        snprintf(t->err, sizeof t->err, "exited %d%s%s", WEXITSTATUS(status), tail[0] ? ": " : "",
                 tail);
}

void gct_validate_case(gct_vcase *c, uint64_t seed)
{
    trace_in_child("gencycle", c->w, c->th, seed, &c->model);
    trace_in_child("cpython", c->w, c->th, seed, &c->real);
    gct_validate_compare(c);
}

/* ---- comparison ------------------------------------------------------------------ */

static const char *const phase_names[] = {"set-up", "operations", "final collection", "teardown"};

static const char *phase_name(int32_t p)
{
    return p >= 0 && p < 4 ? phase_names[p] : "?";
}

static void describe(const gct_vcoll *c, char *buf, size_t len)
{
    snprintf(buf, len,
             "gen%d at allocation %" PRId64 " (%s), set %" PRId64 ", traversed %" PRId64
             ", collected %" PRId64,
             c->gen, c->alloc, phase_name(c->phase), c->examined, c->traversed, c->collected);
}

/*
 * Known reasons the model cannot match the interpreter.  Each looks at a
 * mismatched case and returns a reason when it applies.
 */
typedef bool (*explain_fn)(const gct_vcase *c, char *reason, size_t len);

/* CPython keeps count[0] and the thresholds in a C int; the heap's count is
 * 64-bit.  Past INT_MAX net allocations without a collection (gen0=0 on a
 * huge run) the backend saturates the interpreter's count, so the two can
 * only agree again after the next collection. */
static bool explain_int_count(const gct_vcase *c, char *reason, size_t len)
{
    if (c->model.max_count0 <= 2147483647 && c->real.max_count0 <= 2147483647)
        return false;
    snprintf(reason, len, "count[0] passed INT_MAX (%" PRId64 "): CPython 3.11 keeps it in a C "
                          "int, the model in 64 bits",
             c->model.max_count0);
    return true;
}

static const explain_fn explainers[] = {explain_int_count};

void gct_validate_compare(gct_vcase *c)
{
    const gct_vtrace *m = &c->model, *r = &c->real;
    c->summary[0] = c->detail[0] = c->reason[0] = 0;
    if (!m->ok || !r->ok) {
        c->status = GCT_V_FAILED;
        snprintf(c->summary, sizeof c->summary, "FAILED (%s)", !m->ok ? "gencycle" : "cpython");
        snprintf(c->detail, sizeof c->detail, "%s: %s", !m->ok ? "gencycle" : "cpython",
                 !m->ok ? m->err : r->err);
        return;
    }
    /* The first collection that differs. */
    size_t n = m->ncolls < r->ncolls ? m->ncolls : r->ncolls, i = 0;
    for (; i < n; i++) {
        const gct_vcoll *a = &m->colls[i], *b = &r->colls[i];
        if (a->alloc != b->alloc || a->gen != b->gen || a->examined != b->examined ||
            a->traversed != b->traversed || a->collected != b->collected)
            break;
    }
    char da[200], db[200];
    if (i < n) {
        const gct_vcoll *a = &m->colls[i], *b = &r->colls[i];
        describe(a, da, sizeof da);
        describe(b, db, sizeof db);
        if (a->gen == b->gen && a->alloc == b->alloc && a->examined == b->examined &&
            a->collected == b->collected)
            snprintf(c->summary, sizeof c->summary, "#%zu gen%d: traversed %+" PRId64, i + 1,
                     a->gen, b->traversed - a->traversed);
        else if (a->gen == b->gen && a->alloc == b->alloc)
            snprintf(c->summary, sizeof c->summary, "#%zu gen%d: set %+" PRId64 ", coll %+" PRId64,
                     i + 1, a->gen, b->examined - a->examined, b->collected - a->collected);
        else if (a->gen != b->gen)
            snprintf(c->summary, sizeof c->summary, "#%zu: gen%d vs gen%d", i + 1, a->gen, b->gen);
        else
            snprintf(c->summary, sizeof c->summary, "#%zu gen%d: alloc %+" PRId64, i + 1, a->gen,
                     b->alloc - a->alloc);
        snprintf(c->detail, sizeof c->detail, "collection #%zu: gencycle %s; cpython %s", i + 1, da,
                 db);
    } else if (m->ncolls != r->ncolls) {
        const gct_vtrace *longer = m->ncolls > r->ncolls ? m : r;
        describe(&longer->colls[n], da, sizeof da);
        snprintf(c->summary, sizeof c->summary, "%+lld collections",
                 (long long)r->ncolls - (long long)m->ncolls);
        snprintf(c->detail, sizeof c->detail,
                 "the first %zu collections agree; %s then has %zu more, the first: %s", n,
                 longer == m ? "gencycle" : "cpython", (longer == m ? m->ncolls : r->ncolls) - n,
                 da);
    } else {
        /* Same sequence: the rest must agree too. */
        for (int g = 0; g < 3 && !c->summary[0]; g++) {
            const gct_gen_stats *a = &m->stats[g], *b = &r->stats[g];
            if (a->collections != b->collections || a->collected != b->collected ||
                a->examined != b->examined || a->traversed != b->traversed) {
                snprintf(c->summary, sizeof c->summary, "gen%d stats", g);
                snprintf(c->detail, sizeof c->detail,
                         "generation %d statistics (collections, collected, examined, "
                         "traversed): gencycle %" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64
                         "; cpython %" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64,
                         g, a->collections, a->collected, a->examined, a->traversed,
                         b->collections, b->collected, b->examined, b->traversed);
            }
        }
        for (int g = 0; g < 3 && !c->summary[0]; g++) {
            if (m->count[g] != r->count[g]) {
                snprintf(c->summary, sizeof c->summary, "count[%d] %+" PRId64, g,
                         r->count[g] - m->count[g]);
                snprintf(c->detail, sizeof c->detail,
                         "after the operations count is (%" PRId64 ", %" PRId64 ", %" PRId64
                         ") on gencycle, (%" PRId64 ", %" PRId64 ", %" PRId64 ") on cpython",
                         m->count[0], m->count[1], m->count[2], r->count[0], r->count[1],
                         r->count[2]);
            }
        }
        if (!c->summary[0] && m->checksum != r->checksum) {
            snprintf(c->summary, sizeof c->summary, "checksum");
            snprintf(c->detail, sizeof c->detail,
                     "the workload observed different things (checksum %016" PRIx64
                     " vs %016" PRIx64 "): a weak reference read differently",
                     m->checksum, r->checksum);
        }
        if (!c->summary[0] && m->left_objects != r->left_objects) {
            snprintf(c->summary, sizeof c->summary, "left %+" PRId64,
                     r->left_objects - m->left_objects);
            snprintf(c->detail, sizeof c->detail,
                     "after teardown and a full collection %" PRId64 " objects are left on "
                     "gencycle, %" PRId64 " on cpython",
                     m->left_objects, r->left_objects);
        }
    }
    if (!c->summary[0]) {
        c->status = GCT_V_MATCH;
        snprintf(c->summary, sizeof c->summary, "match");
        return;
    }
    c->status = GCT_V_MISMATCH;
    for (size_t k = 0; k < sizeof explainers / sizeof explainers[0]; k++) {
        if (explainers[k](c, c->reason, sizeof c->reason)) {
            c->status = GCT_V_EXPLAINED;
            break;
        }
    }
}

/* ---- pauses and JSON ----------------------------------------------------------------- */

size_t gct_vtrace_pauses(const gct_vtrace *t, double *median_us, double *max_us, double *full_us)
{
    *median_us = *max_us = *full_us = 0;
    double *us = malloc((t->ncolls ? t->ncolls : 1) * sizeof *us);
    if (!us)
        return 0;
    size_t n = 0;
    bool full = false;
    for (size_t i = 0; i < t->ncolls; i++) {
        const gct_vcoll *c = &t->colls[i];
        if (c->phase == GCT_VPHASE_SETUP || c->phase == GCT_VPHASE_OPS)
            us[n++] = (double)c->pause_ns / 1e3;
        else if (c->phase == GCT_VPHASE_FINAL && !full) {
            *full_us = (double)c->pause_ns / 1e3;
            full = true;
        }
    }
    if (n) {
        gct_sort_doubles(us, n);
        *median_us = gct_median_sorted(us, n);
        *max_us = us[n - 1];
    }
    free(us);
    return n;
}

static json_t *trace_json(const gct_vtrace *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_boolean(t->ok));
    if (t->err[0])
        json_object_set_new(o, "error", json_string(t->err));
    json_t *coll = json_array(), *cd = json_array(), *ex = json_array(), *tr = json_array(),
           *cnt = json_array();
    for (int g = 0; g < 3; g++) {
        json_array_append_new(coll, json_integer(t->stats[g].collections));
        json_array_append_new(cd, json_integer(t->stats[g].collected));
        json_array_append_new(ex, json_integer(t->stats[g].examined));
        json_array_append_new(tr, json_integer(t->stats[g].traversed));
        json_array_append_new(cnt, json_integer(t->count[g]));
    }
    json_object_set_new(o, "collections", coll);
    json_object_set_new(o, "collected", cd);
    json_object_set_new(o, "examined", ex);
    json_object_set_new(o, "traversed", tr);
    json_object_set_new(o, "count", cnt);
    json_object_set_new(o, "sequence_length", json_integer((json_int_t)t->ncolls));
    json_object_set_new(o, "allocations", json_integer(t->allocs));
    char sum[32];
    snprintf(sum, sizeof sum, "%016" PRIx64, t->checksum);
    json_object_set_new(o, "checksum", json_string(sum));
    json_object_set_new(o, "left_objects", json_integer(t->left_objects));
    double med, mx, full;
    size_t n = gct_vtrace_pauses(t, &med, &mx, &full);
    json_object_set_new(o, "automatic_collections", json_integer((json_int_t)n));
    json_object_set_new(o, "pause_median_us", json_real(med));
    json_object_set_new(o, "pause_max_us", json_real(mx));
    json_object_set_new(o, "full_collection_us", json_real(full));
    json_object_set_new(o, "wall_s", json_real(t->wall_s));
    return o;
}

json_t *gct_validate_case_json(const gct_vcase *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "workload", json_string(c->w->wl->name));
    json_object_set_new(o, "label", json_string(c->w->label));
    json_object_set_new(o, "params", json_string(c->w->params_text));
    json_object_set_new(o, "ops", json_integer(c->w->ops));
    json_t *th = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(th, json_integer(c->th->t[i]));
    json_object_set_new(o, "thresholds", th);
    json_object_set_new(o, "status", json_string(gct_vstatus_name(c->status)));
    json_object_set_new(o, "summary", json_string(c->summary));
    if (c->detail[0])
        json_object_set_new(o, "first_divergence", json_string(c->detail));
    if (c->reason[0])
        json_object_set_new(o, "reason", json_string(c->reason));
    json_object_set_new(o, "gencycle", trace_json(&c->model));
    json_object_set_new(o, "cpython", trace_json(&c->real));
    return o;
}
