/* result_session.c — run a sweep's processes, keep the result directory current. */
#define _GNU_SOURCE
#include "result_session.h"

#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"
#include "child_process.h"
#include "resultdir.h"
#include "schedule.h"
#include "summary.h"

volatile sig_atomic_t gct_result_session_stop;

static void on_signal(int sig)
{
    (void)sig;
    gct_result_session_stop = 1;
}

/* Ctrl-C, kill, a closed terminal (SIGHUP) and a closed pipe (SIGPIPE:
 * `gctune sweep | head`) all stop the sweep the same way: the running
 * processes are killed, what finished is kept, and the directory is
 * finalised and says it was interrupted.  (After SIGPIPE, writes to the
 * closed stdout fail with EPIPE instead of killing the sweep unfinalised.) */
void gct_result_session_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
}

json_t *gct_result_session_loadavg_json(void)
{
    double l[3];
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f)
        return json_null();
    int k = fscanf(f, "%lf %lf %lf", &l[0], &l[1], &l[2]);
    fclose(f);
    if (k != 3)
        return json_null();
    return json_pack("[f,f,f]", l[0], l[1], l[2]);
}

/* What the session knows of each configuration while it runs. */
typedef struct config_state {
    int processes_done;
    bool failed;        /* a process failed: later rounds are not run */
    char failure[400];
    int failed_round;
} config_state;

typedef struct progress {
    const gct_config *cfgs;
    size_t ncfgs, njobs, finished;
    config_state *state;
    double t0, last_write;
    bool tty, quiet;
    const char *current;
    const gct_result_session_opts *o;
    gct_result_session_result *res;
    const char *dir;
    char **gbench_parts;
    int write_errors;
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fmt_duration(double s, char *buf, size_t len)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

static void draw(progress *p)
{
    if (!p->tty || p->quiet)
        return;
    double el = now_s() - p->t0;
    char e[32], eta[32] = "?";
    fmt_duration(el, e, sizeof e);
    if (p->finished)
        fmt_duration(el / (double)p->finished * (double)(p->njobs - p->finished), eta, sizeof eta);
    fprintf(stderr, "\r\033[K[%zu/%zu] %s  elapsed %s  eta %s",
            p->finished + 1 > p->njobs ? p->njobs : p->finished + 1, p->njobs,
            p->current ? p->current : "", e, eta);
    fflush(stderr);
}

static bool on_skip(void *ud, const gct_job *job, char *reason, size_t len)
{
    progress *p = ud;
    const config_state *st = &p->state[job->config];
    if (!st->failed)
        return false;
    snprintf(reason, len, "not run: round %d failed (%s)", st->failed_round, st->failure);
    return true;
}

static void on_started(void *ud, size_t index, const gct_config *cfg)
{
    progress *p = ud;
    (void)index;
    p->current = cfg->id;
    draw(p);
}

/* A process that brought back no record: a failed row in its place, so that
 * it shows in results.csv with its reason. */
static void failed_row(gct_result_session_result *res, const gct_config *c,
                       const gct_child_process_result *er, const char *reason)
{
    gct_result r;
    gct_config_record(c, &r);
    r.status = GCT_STATUS_FAILED;
    gct_result_set_str(&r, gct_result_field("reason"), reason);
    r.rep = er->job->round;
    r.round = er->job->round;
    r.process = (int64_t)er->job->process;
    r.pid = er->pid;
    gct_results_push(&res->rows, &r);
}

/* results.csv after a process: at most every 2 seconds (a sweep of
 * thousands of processes would otherwise rewrite it thousands of times), and
 * always at the end. */
static void keep_current(progress *p, bool force)
{
    if (!p->dir || (!force && now_s() - p->last_write < 2.0))
        return;
    char err[600];
    if (gct_rdir_write_results(p->dir, &p->res->rows, err, sizeof err) != 0) {
        fprintf(stderr, "gctune: %s\n", err);
        p->write_errors++;
    }
    p->last_write = now_s();
}

/* Bring one process's record in; returns it (NULL if it brought none). */
static const gct_result *adopt(progress *p, const gct_child_process_result *er)
{
    char err[600];
    gct_results part;
    if (gct_results_read_csv(er->records_csv, &part, err, sizeof err) != 0) {
        failed_row(p->res, er->cfg, er, err);
        return NULL;
    }
    if (part.n != 1) {
        snprintf(err, sizeof err, "%.500s: %zu records, expected one", er->records_csv, part.n);
        failed_row(p->res, er->cfg, er, err);
        gct_results_free(&part);
        return NULL;
    }
    gct_result *r = &part.rows[0];
    if (p->o->annotate && r->status == GCT_STATUS_OK)
        p->o->annotate(p->o->annotate_ud, r);
    gct_results_push(&p->res->rows, r);
    free(part.rows);
    if (p->dir && gct_rdir_add_pauses(p->dir, er->cfg->id, er->pauses_csv, err, sizeof err)) {
        fprintf(stderr, "gctune: %s\n", err);
        p->write_errors++;
    }
    if (p->dir && access(er->memory_csv, F_OK) == 0 &&
        gct_rdir_add_memory(p->dir, er->cfg->id, er->memory_csv, err, sizeof err)) {
        fprintf(stderr, "gctune: %s\n", err);
        p->write_errors++;
    }
    unlink(er->records_csv);
    p->gbench_parts[er->index] = strdup(er->gbench_json);
    return &p->res->rows.rows[p->res->rows.n - 1];
}

static void on_finished(void *ud, const gct_child_process_result *er)
{
    progress *p = ud;
    const gct_result *r = NULL;
    if (er->ran)
        r = adopt(p, er);
    else
        failed_row(p->res, er->cfg, er, er->reason);
    if (!er->skipped)
        p->res->processes_run++;
    bool ok = r && r->status == GCT_STATUS_OK;
    const char *why = ok ? "" : r ? r->reason : er->reason;
    config_state *st = &p->state[er->job->config];
    if (!ok) {
        if (!er->skipped)
            p->res->processes_failed++;
        if (!st->failed) {
            st->failed = true;
            st->failed_round = er->job->round;
            snprintf(st->failure, sizeof st->failure, "%.390s", why);
            p->res->configs_failed++;
        }
    }
    if (++st->processes_done == er->cfg->reps)
        p->res->configs_done++;
    p->finished++;
    keep_current(p, false);
    if (p->quiet || er->skipped)
        return;
    if (p->tty)
        fprintf(stderr, "\r\033[K");
    if (ok)
        printf("[%zu/%zu] round %d/%d: %s (%.1f s): %.0f ops/s\n", p->finished, p->njobs,
               er->job->round + 1, er->cfg->reps, er->cfg->id, er->seconds, r->ops_per_s);
    else
        printf("[%zu/%zu] round %d/%d: FAILED %s (%.1f s): %s\n", p->finished, p->njobs,
               er->job->round + 1, er->cfg->reps, er->cfg->id, er->seconds, why);
    fflush(stdout);
    draw(p);
}

static void on_tick(void *ud) { draw(ud); }

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path) { nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* The rounds: as many as the most repetitions asked for; a configuration
 * with fewer sits out the rounds past its own. */
static gct_job *schedule(const gct_config *cfgs, size_t n, uint64_t seed, size_t *njobs)
{
    int rounds = 0;
    for (size_t i = 0; i < n; i++)
        if (cfgs[i].reps > rounds)
            rounds = cfgs[i].reps;
    size_t all;
    gct_job *jobs = gct_schedule_rounds(n, rounds, seed, &all);
    if (!jobs)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < all; i++)
        if (jobs[i].round < cfgs[jobs[i].config].reps) {
            jobs[k] = jobs[i];
            jobs[k].process = k;
            k++;
        }
    *njobs = k;
    return jobs;
}

static void write_end(const char *dir, gct_result_session_result *res, progress *p, size_t n)
{
    char err[600];
    gct_summary sum;
    gct_summarize(&res->rows, &sum);
    keep_current(p, true);
    if (gct_summary_write(dir, &sum, err, sizeof err) ||
        gct_rdir_merge_gbench(dir, (const char *const *)p->gbench_parts, p->njobs, err,
                              sizeof err)) {
        fprintf(stderr, "gctune: %s\n", err);
        p->write_errors++;
    }
    gct_summary_free(&sum);
    const gct_result_session_opts *o = p->o;
    if (!o->meta)
        return;
    json_t *end = json_object();
    time_t t = time(NULL);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    json_object_set_new(end, "finished", json_string(when));
    json_object_set_new(end, "configurations", json_integer((json_int_t)n));
    json_object_set_new(end, "configurations_run", json_integer((json_int_t)res->configs_done));
    json_object_set_new(end, "configurations_failed", json_integer((json_int_t)res->configs_failed));
    json_object_set_new(end, "processes", json_integer((json_int_t)p->njobs));
    json_object_set_new(end, "processes_run", json_integer((json_int_t)res->processes_run));
    json_object_set_new(end, "processes_failed", json_integer((json_int_t)res->processes_failed));
    json_object_set_new(end, "interrupted", json_boolean(res->interrupted));
    json_object_set_new(end, "seconds", json_real(now_s() - p->t0));
    json_object_set_new(o->meta, "outcome", end);
    json_t *load = json_object_get(o->meta, "load");
    if (json_is_object(load))
        json_object_set_new(load, "after", gct_result_session_loadavg_json());
    if (gct_rdir_write_json(dir, "meta.json", o->meta, err, sizeof err)) {
        fprintf(stderr, "gctune: %s\n", err);
        p->write_errors++;
    }
}

int gct_result_session_run(const gct_config *cfgs, size_t n, const gct_result_session_opts *o,
                           gct_result_session_result *res)
{
    memset(res, 0, sizeof *res);
    char err[600];
    char dir[4096], work[4200];
    bool temporary = o->out == NULL;
    if (temporary) {
        snprintf(dir, sizeof dir, "/tmp/gctune-XXXXXX");
        if (!mkdtemp(dir)) {
            fprintf(stderr, "gctune: cannot create a temporary directory\n");
            return 2;
        }
    } else {
        snprintf(dir, sizeof dir, "%s", o->out);
    }
    if (gct_rdir_prepare(dir, temporary || o->force, err, sizeof err) != 0) {
        fprintf(stderr, "gctune: %s\n", err);
        return 2;
    }
    if (!temporary)
        snprintf(res->out, sizeof res->out, "%s", dir);
    snprintf(work, sizeof work, "%s/.work", dir);
    if (o->meta) {
        json_t *load = json_object();
        json_object_set_new(load, "before", gct_result_session_loadavg_json());
        json_object_set_new(o->meta, "load", load);
    }
    if (o->meta && !temporary && gct_rdir_write_json(dir, "meta.json", o->meta, err, sizeof err)) {
        fprintf(stderr, "gctune: %s\n", err);
        return 2;
    }
    size_t njobs = 0;
    gct_job *jobs = schedule(cfgs, n, o->seed, &njobs);
    progress p = {
        .cfgs = cfgs,
        .ncfgs = n,
        .njobs = njobs,
        .state = calloc(n ? n : 1, sizeof(config_state)),
        .t0 = now_s(),
        .tty = isatty(2) != 0,
        .quiet = o->quiet,
        .o = o,
        .res = res,
        .dir = temporary ? NULL : dir,
        .gbench_parts = calloc(njobs ? njobs : 1, sizeof(char *)),
    };
    if (!jobs || !p.state || !p.gbench_parts) {
        fprintf(stderr, "gctune: out of memory\n");
        free(jobs);
        free(p.state);
        free(p.gbench_parts);
        return 2;
    }
    gct_child_process_opts eo = {
        .jobs = o->jobs,
        .pin = o->pin,
        .quiet = !o->gbench_console,
        .timeout_s = o->timeout_s,
        .warmup = o->warmup,
        .mem_limit = o->mem_limit,
        .sanitized = strcmp(GCT_SANITIZE, "none") != 0,
        .prefork = o->prefork,
        .workdir = work,
    };
    gct_child_process_events ev = {on_skip, on_started, on_finished, on_tick, &p};
    int rc = gct_child_process_run_jobs(cfgs, jobs, njobs, &eo, &ev, &gct_result_session_stop);
    if (p.tty && !p.quiet)
        fprintf(stderr, "\r\033[K");
    res->interrupted = rc == 130;
    if (!temporary)
        write_end(dir, res, &p, n);
    for (size_t i = 0; i < njobs; i++)
        free(p.gbench_parts[i]);
    free(p.gbench_parts);
    free(p.state);
    free(jobs);
    if (temporary)
        rm_tree(dir);
    else
        rm_tree(work);

    if (res->interrupted)
        return 130;
    if (p.write_errors)
        return 2;
    return (rc != 0 || res->configs_failed) ? 1 : 0;
}

void gct_result_session_result_free(gct_result_session_result *res)
{
    gct_results_free(&res->rows);
}
