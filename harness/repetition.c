/* repetition.c — one repetition of one configuration in this process (Google Benchmark). */
#define _POSIX_C_SOURCE 200809L
#include "repetition.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/resource.h>

#include "files.h"
#include "gbench.h"
#include "memory_pass.h"
#include "prefork.h"
#include "python_run.h"
#include "stats.h"
#include "topology.h"

typedef struct rep_ctx {
    const gct_config *c;
    const gct_repetition_opts *o;
    gct_repetition_out *out;
    int failures;
    int64_t warmup_ops;
    char warmup_error[512]; /* the warm-up's setup failed: the repetition fails too */
} rep_ctx;

static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void set_str(gct_result *r, const char *field, const char *value)
{
    gct_result_set_str(r, gct_result_field(field), value);
}


static void identity(const rep_ctx *x, gct_result *r)
{
    gct_config_record(x->c, r);
    r->status = GCT_STATUS_OK;
    set_str(r, "cpus", x->o->cpus ? x->o->cpus : "");
    r->rep = x->o->round;
    r->round = x->o->round;
    r->process = (int64_t)x->o->process;
    r->pid = (int64_t)getpid();
    r->warmup_ops = x->warmup_ops;
}

int64_t gct_repetition_warmup_ops(int64_t ops, double warmup)
{
    if (!(warmup > 0))
        return 0;
    double w = (double)ops * warmup;
    return w < 1 ? 1 : (int64_t)w;
}

/* The untimed warm-up, on a heap of its own that is gone before the timed
 * run starts: the timed run's heap, its work and its counters are exactly
 * those of a process that did nothing before, whatever the warm-up did. */
static void warm_up(rep_ctx *x)
{
    if (!x->warmup_ops)
        return;
    char err[400];
    gct_heap *h = gct_config_heap(x->c, err, sizeof err);
    if (!h) {
        snprintf(x->warmup_error, sizeof x->warmup_error, "warm-up: %s", err);
        return;
    }
    gct_heap_set_limit(h, x->o->heap_limit);
    gct_workload_run *run = gct_workload_start(x->c->workload, h, x->c->params, x->c->seed, err,
                                               sizeof err);
    if (!run) {
        snprintf(x->warmup_error, sizeof x->warmup_error, "warm-up setup: %s", err);
    } else {
        gct_workload_ops(run, x->warmup_ops);
        gct_workload_free(run);
    }
    gct_heap_destroy(h);
}

/* Pause statistics and MMU of the timed region [t0, t0 + wall]. */
void gct_repetition_pause_metrics(gct_result *r, const gct_pause_row *p, size_t n,
                                  double wall_ms)
{
    double *us = malloc((n ? n : 1) * sizeof *us);
    gct_interval *iv = malloc((n ? n : 1) * sizeof *iv);
    if (!us || !iv) {
        fputs("gctune: out of memory\n", stderr);
        abort();
    }
    double gc_us = 0;
    int64_t cascades = 0;
    for (size_t i = 0; i < n; i++) {
        us[i] = p[i].duration_us;
        iv[i].start = p[i].start_ms;
        iv[i].end = p[i].start_ms + p[i].duration_us / 1e3;
        gc_us += p[i].duration_us;
        cascades += !strcmp(p[i].kind, "cascade");
    }
    r->pauses = (int64_t)n;
    r->cascades = cascades;
    r->gc_s = gc_us / 1e6;
    r->gc_fraction = wall_ms > 0 ? gc_us / 1e3 / wall_ms : 0;
    gct_sort_doubles(us, n);
    r->pause_p50_us = n ? gct_quantile_sorted(us, n, 0.50) : 0;
    r->pause_p90_us = n ? gct_quantile_sorted(us, n, 0.90) : 0;
    r->pause_p99_us = n ? gct_quantile_sorted(us, n, 0.99) : 0;
    r->pause_p999_us = n ? gct_quantile_sorted(us, n, 0.999) : 0;
    r->pause_max_us = n ? us[n - 1] : 0;
    r->mmu_1ms = gct_mmu(iv, n, 0, wall_ms, 1);
    r->mmu_10ms = gct_mmu(iv, n, 0, wall_ms, 10);
    r->mmu_100ms = gct_mmu(iv, n, 0, wall_ms, 100);
    free(us);
    free(iv);
}

/* The heap's pauses of the timed region as rows of the pauses file, and
 * the record's pause statistics from them. */
static void pause_metrics(const rep_ctx *x, gct_result *r, const gct_heap *h, uint64_t t0,
                          uint64_t wall_ns)
{
    size_t n = gct_heap_npauses(h), first = x->out->pauses.n;
    const gct_pause *p = gct_heap_pauses(h);
    for (size_t i = 0; i < n; i++) {
        gct_pause_row row = {
            .rep = x->o->round,
            .start_ms = (double)(p[i].start_ns - t0) / 1e6,
            .duration_us = (double)p[i].duration_ns / 1e3,
            .examined = p[i].examined,
            .freed = p[i].freed,
            .alloc_bytes = p[i].alloc_bytes,
        };
        snprintf(row.kind, sizeof row.kind, "%s", gct_pause_kind_name(p[i].kind));
        gct_pause_rows_push(&x->out->pauses, &row);
        /* The most bytes a threshold in objects let through before a
         * collection of each generation (a full one counts as the oldest). */
        int g = p[i].kind <= GCT_PAUSE_GEN2 ? (int)p[i].kind
                : p[i].kind == GCT_PAUSE_FULL ? 2 : -1;
        double *most[] = {&r->alloc_bytes_between_gen0, &r->alloc_bytes_between_gen1,
                          &r->alloc_bytes_between_gen2};
        if (g >= 0 && !(*most[g] >= (double)p[i].alloc_bytes))
            *most[g] = (double)p[i].alloc_bytes;
    }
    gct_repetition_pause_metrics(r, x->out->pauses.rows + first, n, (double)wall_ns / 1e6);
}

static void extra_metrics(const gct_workload_run *run, gct_result *r)
{
    gct_workload_metric m[GCT_WL_MAX_METRICS + 4];
    size_t n = gct_workload_metrics(run, m, sizeof m / sizeof m[0]);
    char buf[512];
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && used < sizeof buf; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s=%.6g", i ? ";" : "",
                                 m[i].name, m[i].value);
    set_str(r, "extra", buf);
}

/* The collector's work in the timed region: deterministic for a seed. */
static void gc_work(const gct_heap *h, const gct_gen_stats *before, gct_result *r)
{
    int64_t *ex[] = {&r->examined_gen0, &r->examined_gen1, &r->examined_gen2};
    int64_t *tr[] = {&r->traversed_gen0, &r->traversed_gen1, &r->traversed_gen2};
    r->gc_examined = r->gc_traversed = r->gc_freed = 0;
    for (int g = 0; g < GCT_MAX_GEN; g++) {
        *ex[g] = gct_heap_stats(h)[g].examined - before[g].examined;
        *tr[g] = gct_heap_stats(h)[g].traversed - before[g].traversed;
        r->gc_examined += *ex[g];
        r->gc_traversed += *tr[g];
        r->gc_freed += gct_heap_stats(h)[g].collected - before[g].collected;
    }
}

/* The Google Benchmark body: one repetition of one iteration. */
static void one_rep(gct_gb_state *st, void *ud)
{
    rep_ctx *x = ud;
    const gct_config *c = x->c;
    gct_result r;
    identity(x, &r);
    char err[512];
    gct_heap *h = NULL;
    gct_workload_run *run = NULL;

    while (gct_gb_keep_running(st)) {
        gct_gb_pause(st);
        if (x->warmup_error[0]) {
            gct_result_fail(&r, "%s", x->warmup_error);
            break;
        }
        h = gct_config_heap(c, err, sizeof err);
        if (!h) {
            gct_result_fail(&r, "%s", err);
            break;
        }
        gct_heap_set_limit(h, x->o->heap_limit);
        run = gct_workload_start(c->workload, h, c->params, c->seed, err, sizeof err);
        if (!run) {
            gct_result_fail(&r, "setup: %s", err);
            break;
        }
        gct_heap_clear_pauses(h);
        gct_gen_stats before[GCT_MAX_GEN];
        memcpy(before, gct_heap_stats(h), sizeof before);
        uint64_t c0 = cpu_ns(), t0 = gct_now_ns();
        gct_gb_resume(st);

        gct_workload_ops(run, c->ops);

        gct_gb_pause(st);
        uint64_t t1 = gct_now_ns(), c1 = cpu_ns();
        r.wall_s = (double)(t1 - t0) / 1e9;
        r.cpu_s = (double)(c1 - c0) / 1e9;
        r.ops_per_s = r.wall_s > 0 ? (double)c->ops / r.wall_s : 0;
        pause_metrics(x, &r, h, t0, t1 - t0);
        r.collections_gen0 = gct_heap_stats(h)[0].collections - before[0].collections;
        r.collections_gen1 = gct_heap_stats(h)[1].collections - before[1].collections;
        r.collections_gen2 = gct_heap_stats(h)[2].collections - before[2].collections;
        r.collected_gen0 = gct_heap_stats(h)[0].collected - before[0].collected;
        r.collected_gen1 = gct_heap_stats(h)[1].collected - before[1].collected;
        r.collected_gen2 = gct_heap_stats(h)[2].collected - before[2].collected;
        gc_work(h, before, &r);
        r.peak_objects = gct_heap_peak_objects(h);
        r.peak_bytes = gct_heap_peak_bytes(h);
        r.peak_footprint = gct_heap_peak_footprint(h);

        /* Outside the timed region: the workload's self-check and the
         * collector's verifier; then a full collection, after which what is
         * live but unreachable from the workload's roots is what the
         * collector cannot reclaim (cycles under refcount); then teardown,
         * and the verifier once more on the emptied heap. */
        if (!gct_workload_check(run, err, sizeof err))
            gct_result_fail(&r, "self-check: %s", err);
        if (!gct_heap_verify(h, true, err, sizeof err))
            gct_result_fail(&r, "verifier: %s", err);
        char sum[32];
        snprintf(sum, sizeof sum, "%016" PRIx64, gct_workload_checksum(run));
        set_str(&r, "checksum", sum);
        extra_metrics(run, &r);
        gct_heap_collect(h, GCT_GEN_FULL);
        gct_heap_leaks(h, &r.leaked_objects, &r.leaked_bytes);
        if (!gct_workload_check(run, err, sizeof err))
            gct_result_fail(&r, "self-check after a full collection: %s", err);
        gct_workload_free(run);
        run = NULL;
        gct_heap_collect(h, GCT_GEN_FULL);
        if (!gct_heap_verify(h, true, err, sizeof err))
            gct_result_fail(&r, "verifier after teardown: %s", err);
        gct_gb_resume(st);
    }
    if (run)
        gct_workload_free(run);
    gct_heap_destroy(h);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        r.peak_rss = (int64_t)ru.ru_maxrss * 1024;
    /* Memory over time, once per configuration: deterministic, the other
     * rounds would measure the same (memory_pass.h). */
    if (r.status == GCT_STATUS_OK && x->o->round == 0 &&
        gct_memory_pass(c, x->o->heap_limit, &r, &x->out->memory, err, sizeof err))
        gct_result_fail(&r, "memory pass: %s", err);

    if (r.status == GCT_STATUS_FAILED) {
        x->failures++;
        gct_gb_skip_with_error(st, r.reason);
    } else {
        gct_gb_counter(st, "ops_per_s", r.ops_per_s);
        gct_gb_counter(st, "gc_fraction", r.gc_fraction);
        gct_gb_counter(st, "pauses", (double)r.pauses);
        gct_gb_counter(st, "pause_p99_us", r.pause_p99_us);
        gct_gb_counter(st, "pause_max_us", r.pause_max_us);
        gct_gb_counter(st, "collections_gen0", (double)r.collections_gen0);
        gct_gb_counter(st, "collections_gen1", (double)r.collections_gen1);
        gct_gb_counter(st, "collections_gen2", (double)r.collections_gen2);
        gct_gb_counter(st, "peak_bytes", (double)r.peak_bytes);
        gct_gb_counter(st, "leaked_objects", (double)r.leaked_objects);
    }
    gct_results_push(&x->out->records, &r);
}

int gct_repetition_run(const gct_config *c, const char *gbench_json, const gct_repetition_opts *o,
                       gct_repetition_out *out)
{
    if (c->collector->interpreter) /* a real interpreter measures itself */
        return gct_python_repetition(c, o, out);
    if (o->prefork > 0)
        return gct_prefork_repetition(c, o, out);
    memset(out, 0, sizeof *out);
    rep_ctx x = {
        .c = c, .o = o, .out = out, .warmup_ops = gct_repetition_warmup_ops(c->ops, o->warmup)};
    const char *cpus = o->cpus;
    char buf[1024];
    gct_gb_add_context("gctune_config_id", c->id);
    gct_gb_add_context("gctune_collector", c->collector->name);
    gct_gb_add_context("gctune_workload", c->workload->name);
    gct_config_knobs_text(c, buf, sizeof buf);
    gct_gb_add_context("gctune_knobs", buf);
    gct_config_params_text(c, buf, sizeof buf);
    gct_gb_add_context("gctune_params", buf);
    snprintf(buf, sizeof buf, "%" PRIu64, c->seed);
    gct_gb_add_context("gctune_seed", buf);
    snprintf(buf, sizeof buf, "%" PRId64, c->ops);
    gct_gb_add_context("gctune_ops", buf);
    gct_gb_add_context("gctune_cpus", cpus ? cpus : "");
    gct_topology t;
    char e[128];
    if (gct_topology_probe(&t, e, sizeof e) == 0) {
        snprintf(buf, sizeof buf,
                 "%d package(s), %d core(s), %d PU(s), %d NUMA node(s), L2 %lld KiB, L3 %lld KiB%s%s",
                 t.packages, t.cores, t.pus, t.numa_nodes, (long long)(t.cache_bytes[1] >> 10),
                 (long long)(t.cache_bytes[2] >> 10), t.hypervisor[0] ? ", virtualised: " : "",
                 t.hypervisor);
        gct_gb_add_context("gctune_topology", buf);
    }
    snprintf(buf, sizeof buf, "%d", o->round);
    gct_gb_add_context("gctune_round", buf);
    snprintf(buf, sizeof buf, "%zu", o->process);
    gct_gb_add_context("gctune_process", buf);
    warm_up(&x);
    /* One run of one iteration; the name is the configuration alone, so that
     * Google Benchmark's tools see the processes of a configuration as
     * repetitions of one benchmark. */
    gct_gb_register(c->id, one_rep, &x, 1, 1);
    gct_gb_run(gbench_json, o->quiet);
    return x.failures;
}

void gct_repetition_out_free(gct_repetition_out *out)
{
    gct_results_free(&out->records);
    gct_pause_rows_free(&out->pauses);
    gct_mem_series_free(&out->memory);
}

int gct_repetition_write(const gct_repetition_out *out, const char *records_csv,
                         const char *pauses_csv, const char *memory_csv, char *err,
                         size_t errlen)
{
    gct_afile a;
    FILE *f = gct_afile_open(&a, records_csv, err, errlen);
    if (!f)
        return -1;
    gct_result_csv_header(f);
    for (size_t i = 0; i < out->records.n; i++)
        gct_result_csv_row(f, &out->records.rows[i]);
    if (gct_afile_commit(&a, err, errlen))
        return -1;
    f = gct_afile_open(&a, pauses_csv, err, errlen);
    if (!f)
        return -1;
    gct_pauses_write(f, &out->pauses);
    if (gct_afile_commit(&a, err, errlen))
        return -1;
    if (!memory_csv || !out->memory.n)
        return 0;
    f = gct_afile_open(&a, memory_csv, err, errlen);
    if (!f)
        return -1;
    gct_mem_series_write(f, &out->memory);
    return gct_afile_commit(&a, err, errlen);
}
