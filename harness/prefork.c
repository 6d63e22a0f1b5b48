/* prefork.c — a repetition as a pre-fork server runs it (prefork.h). */
#define _GNU_SOURCE
#include "prefork.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "heap.h"
#include "stats.h"
#include "workload.h"

/* What a worker sends its parent through a pipe when it is done. */
typedef struct worker_report {
    int ok;
    char why[200];
    double wall_s, cpu_s, gc_s;
    int64_t pauses, collections[3], collected[3];
    double private_dirty, pss; /* bytes */
    int64_t dirtied;           /* pages of the parent's heap now exclusively this worker's */
} worker_report;

/* The pages that hold the parent's objects at the fork: every page an
 * object's block (its collector header included) touches, sorted, no
 * duplicates.  The unused rest of an arena is not the parent's heap: a
 * worker's new objects landing there cost it memory, but not by copying
 * anything of the parent's. */
typedef struct page_set {
    uint64_t *pages;
    size_t n, cap;
    uint64_t psz, prefix;
} page_set;

static void add_object_pages(void *ud, gct_obj *o)
{
    page_set *ps = ud;
    uint64_t start = (uint64_t)(uintptr_t)o - ps->prefix;
    uint64_t end = (uint64_t)(uintptr_t)o + o->shape->size - 1;
    for (uint64_t p = start / ps->psz; p <= end / ps->psz; p++) {
        if (ps->n && ps->pages[ps->n - 1] == p)
            continue; /* the allocator's order: neighbours share pages */
        if (ps->n == ps->cap) {
            ps->cap = ps->cap ? 2 * ps->cap : 1024;
            ps->pages = gct_xrealloc(ps->pages, ps->cap, sizeof *ps->pages);
        }
        ps->pages[ps->n++] = p;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static long object_pages(gct_heap *h, uint64_t **pages)
{
    long psz = sysconf(_SC_PAGESIZE);
    if (psz <= 0)
        return -1;
    page_set ps = {.psz = (uint64_t)psz, .prefix = gct_heap_prefix(h)};
    gct_heap_foreach(h, add_object_pages, &ps);
    qsort(ps.pages, ps.n, sizeof *ps.pages, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < ps.n; i++)
        if (!k || ps.pages[k - 1] != ps.pages[i])
            ps.pages[k++] = ps.pages[i];
    *pages = ps.pages;
    return (long)k;
}

/* Of the n pages, how many are mapped exclusively by this process now
 * (pagemap bit 56): a shared copy-on-write page becomes exclusive when
 * this process writes to it.  -1 if the kernel does not say. */
static int64_t exclusive_pages(const uint64_t *pages, long n)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0)
        return -1;
    int64_t k = 0;
    for (long i = 0; i < n; i++) {
        uint64_t e = 0;
        if (pread(fd, &e, sizeof e, (off_t)(pages[i] * sizeof e)) == (ssize_t)sizeof e &&
            (e >> 56 & 1))
            k++;
    }
    close(fd);
    return k;
}

/* Private_Dirty and Pss of this process, in bytes (smaps_rollup). */
static bool rollup(double *private_dirty, double *pss)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (!f)
        return false;
    char line[256];
    bool got_d = false, got_p = false;
    while (fgets(line, sizeof line, f)) {
        long long kb;
        if (sscanf(line, "Private_Dirty: %lld kB", &kb) == 1)
            *private_dirty = (double)kb * 1024, got_d = true;
        else if (sscanf(line, "Pss: %lld kB", &kb) == 1)
            *pss = (double)kb * 1024, got_p = true;
    }
    fclose(f);
    return got_d && got_p;
}

static double seconds(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A worker: the operations on the inherited heap, then what it cost. */
static void worker(const gct_config *c, gct_workload_run *run, gct_heap *h,
                   const uint64_t *pages, long npages, int fd)
{
    worker_report w = {.ok = 1};
    gct_gen_stats before[GCT_MAX_GEN];
    memcpy(before, gct_heap_stats(h), sizeof before);
    gct_heap_clear_pauses(h);
    double t0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    gct_workload_ops(run, c->ops);
    w.wall_s = seconds(CLOCK_MONOTONIC) - t0;
    w.cpu_s = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    const gct_pause *p = gct_heap_pauses(h);
    w.pauses = (int64_t)gct_heap_npauses(h);
    for (int64_t i = 0; i < w.pauses; i++)
        w.gc_s += (double)p[i].duration_ns / 1e9;
    for (int g = 0; g < 3 && g < GCT_MAX_GEN; g++) {
        w.collections[g] = gct_heap_stats(h)[g].collections - before[g].collections;
        w.collected[g] = gct_heap_stats(h)[g].collected - before[g].collected;
    }
    char err[200];
    if (!gct_workload_check(run, err, sizeof err)) {
        w.ok = 0;
        snprintf(w.why, sizeof w.why, "self-check in a worker: %.170s", err);
    }
    if (!rollup(&w.private_dirty, &w.pss)) {
        w.ok = 0;
        snprintf(w.why, sizeof w.why, "cannot read /proc/self/smaps_rollup");
    }
    w.dirtied = exclusive_pages(pages, npages);
    ssize_t wr = write(fd, &w, sizeof w);
    _exit(wr == (ssize_t)sizeof w ? 0 : 1);
}

/* The median over the n reports of the double (or, with is_int, the
 * int64_t) at offset off. */
static double workers_median(const worker_report *rep, int n, size_t off, bool is_int)
{
    double v[GCT_PREFORK_MAX];
    for (int i = 0; i < n; i++) {
        const char *at = (const char *)&rep[i] + off;
        v[i] = is_int ? (double)*(const int64_t *)(const void *)at : *(const double *)(const void *)at;
    }
    gct_sort_doubles(v, (size_t)n);
    return n ? gct_quantile_sorted(v, (size_t)n, 0.5) : NAN;
}

int gct_prefork_repetition(const gct_config *c, const gct_repetition_opts *o,
                           gct_repetition_out *out)
{
    memset(out, 0, sizeof *out);
    gct_result r;
    gct_config_record(c, &r);
    r.status = GCT_STATUS_OK;
    gct_result_set_str(&r, gct_result_field("cpus"), o->cpus ? o->cpus : "");
    r.rep = r.round = o->round;
    r.process = (int64_t)o->process;
    r.pid = (int64_t)getpid();
    int k = o->prefork > GCT_PREFORK_MAX ? GCT_PREFORK_MAX : o->prefork;
    r.prefork_workers = k;
    char err[400];
    gct_heap *h = gct_config_heap(c, err, sizeof err);
    gct_workload_run *run = NULL;
    if (!h) {
        gct_result_fail(&r, "%s", err);
    } else {
        /* The parent, as python/runner.py's does it: the set-up, a full
         * collection (the long-lived heap is old, and CPython's rule for
         * full collections counts it), then gc.freeze() if freeze=1.  The
         * knob is held back over the set-up so that the freeze comes after
         * the collection. */
        int64_t freeze = 0;
        gct_heap_get_knob(h, "freeze", &freeze);
        gct_heap_set_limit(h, o->heap_limit);
        if (freeze)
            gct_heap_set_knob(h, "freeze", 0, err, sizeof err);
        run = gct_workload_start(c->workload, h, c->params, c->seed, err, sizeof err);
        if (!run) {
            gct_result_fail(&r, "setup: %s", err);
        } else {
            gct_heap_collect(h, GCT_GEN_FULL);
            if (freeze && gct_heap_freeze(h) < 0)
                gct_result_fail(&r, "%s cannot freeze", c->collector->name);
        }
    }
    uint64_t *pages = NULL;
    long npages = run ? object_pages(h, &pages) : -1;
    if (run && npages < 0)
        gct_result_fail(&r, "cannot tell the page size");
    worker_report rep[GCT_PREFORK_MAX];
    int nrep = 0;
    if (r.status == GCT_STATUS_OK) {
        pid_t pids[GCT_PREFORK_MAX];
        int fds[GCT_PREFORK_MAX];
        int started = 0;
        fflush(NULL);
        for (int i = 0; i < k; i++) {
            int pfd[2];
            if (pipe(pfd) != 0)
                break;
            pid_t pid = fork();
            if (pid == 0) {
                close(pfd[0]);
                worker(c, run, h, pages, npages, pfd[1]);
            }
            close(pfd[1]);
            if (pid < 0) {
                close(pfd[0]);
                break;
            }
            pids[started] = pid;
            fds[started++] = pfd[0];
        }
        /* The workers run side by side, as a server's do: the parent waits. */
        for (int i = 0; i < started; i++) {
            worker_report w;
            ssize_t got = read(fds[i], &w, sizeof w);
            close(fds[i]);
            int st = 0;
            while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
                ;
            if (got != (ssize_t)sizeof w)
                gct_result_fail(&r, "worker %d ended without its report (status %d)", i, st);
            else if (!w.ok)
                gct_result_fail(&r, "worker %d: %s", i, w.why);
            else
                rep[nrep++] = w;
        }
        if (started < k)
            gct_result_fail(&r, "could fork only %d of %d workers", started, k);
    }
    if (nrep && r.status == GCT_STATUS_OK) {
#define WORKERS(field, is_int) workers_median(rep, nrep, offsetof(worker_report, field), is_int)
        r.wall_s = WORKERS(wall_s, false);
        r.cpu_s = WORKERS(cpu_s, false);
        r.ops_per_s = r.wall_s > 0 ? (double)c->ops / r.wall_s : 0;
        r.gc_s = WORKERS(gc_s, false);
        r.gc_fraction = r.wall_s > 0 ? r.gc_s / r.wall_s : 0;
        r.private_dirty_bytes = WORKERS(private_dirty, false);
        r.pss_bytes = WORKERS(pss, false);
        r.heap_pages_dirtied = WORKERS(dirtied, true);
#undef WORKERS
        /* The work is deterministic: every worker did the same. */
        r.pauses = rep[0].pauses;
        r.collections_gen0 = rep[0].collections[0];
        r.collections_gen1 = rep[0].collections[1];
        r.collections_gen2 = rep[0].collections[2];
        r.collected_gen0 = rep[0].collected[0];
        r.collected_gen1 = rep[0].collected[1];
        r.collected_gen2 = rep[0].collected[2];
        r.gc_freed = r.collected_gen0 + r.collected_gen1 + r.collected_gen2;
        r.heap_pages = (double)npages;
        r.peak_bytes = gct_heap_peak_bytes(h);
        r.peak_objects = gct_heap_peak_objects(h);
    }
    free(pages);
    if (run)
        gct_workload_free(run);
    if (h)
        gct_heap_destroy(h);
    int failures = r.status == GCT_STATUS_FAILED;
    gct_results_push(&out->records, &r);
    return failures;
}
