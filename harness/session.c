/* session.c — run configurations, keep the result directory current. */
#define _GNU_SOURCE
#include "session.h"

#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"
#include "executor.h"
#include "resultdir.h"

volatile sig_atomic_t gct_session_stop;

static void on_signal(int sig)
{
    (void)sig;
    gct_session_stop = 1;
}

void gct_session_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

typedef struct progress {
    const gct_config *cfgs;
    size_t n, started, finished, failed;
    double t0;
    bool tty, quiet;
    const char *current;
    const gct_session_opts *o;
    gct_session_result *res;
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
        fmt_duration(el / (double)p->finished * (double)(p->n - p->finished), eta, sizeof eta);
    fprintf(stderr, "\r\033[K[%zu/%zu] %s  elapsed %s  eta %s", p->finished + 1 > p->n ? p->n : p->finished + 1,
            p->n, p->current ? p->current : "", e, eta);
    fflush(stderr);
}

static void on_started(void *ud, size_t index, const gct_config *cfg)
{
    progress *p = ud;
    (void)index;
    p->started++;
    p->current = cfg->id;
    draw(p);
}

/* A configuration that never produced records: one failed row per
 * repetition, so that it shows in results.csv with its reason. */
static void failed_rows(gct_session_result *res, const gct_config *c, const char *reason)
{
    char buf[1024];
    for (int rep = 0; rep < c->reps; rep++) {
        gct_result r;
        gct_result_init(&r);
        gct_result_set_str(&r, gct_result_field("config_id"), c->id);
        gct_result_set_str(&r, gct_result_field("collector"), c->collector->name);
        gct_result_set_str(&r, gct_result_field("workload"), c->workload->name);
        gct_config_knobs_text(c, buf, sizeof buf);
        gct_result_set_str(&r, gct_result_field("knobs"), buf);
        gct_config_params_text(c, buf, sizeof buf);
        gct_result_set_str(&r, gct_result_field("params"), buf);
        gct_result_set_str(&r, gct_result_field("status"), "failed");
        gct_result_set_str(&r, gct_result_field("reason"), reason);
        r.gen0 = gct_config_knob(c, "gen0");
        r.gen1 = gct_config_knob(c, "gen1");
        r.gen2 = gct_config_knob(c, "gen2");
        r.seed = (int64_t)c->seed;
        r.ops = c->ops;
        r.rep = rep;
        gct_results_push(&res->rows, &r);
    }
}

static void on_finished(void *ud, const gct_exec_result *er)
{
    progress *p = ud;
    char err[600] = "";
    size_t first_row = p->res->rows.n;
    bool failed = false;
    if (er->ran) {
        gct_results part;
        if (gct_results_read_csv(er->records_csv, &part, err, sizeof err) != 0) {
            failed_rows(p->res, er->cfg, err);
            failed = true;
        } else {
            for (size_t i = 0; i < part.n; i++) {
                failed |= strcmp(part.rows[i].status, "ok") != 0;
                gct_results_push(&p->res->rows, &part.rows[i]);
            }
            free(part.rows);
            if (p->dir && gct_rdir_adopt_pauses(p->dir, er->cfg->id, er->pauses_csv, err,
                                                sizeof err) != 0) {
                fprintf(stderr, "gctune: %s\n", err);
                p->write_errors++;
            }
            unlink(er->records_csv);
            p->gbench_parts[er->index] = strdup(er->gbench_json);
        }
    } else {
        failed_rows(p->res, er->cfg, er->reason);
        failed = true;
    }
    p->finished++;
    p->res->configs_done++;
    if (failed) {
        p->failed++;
        p->res->configs_failed++;
    }
    /* Keep results.csv current: an interrupted sweep keeps what finished. */
    if (p->dir && gct_rdir_write_results(p->dir, &p->res->rows, err, sizeof err) != 0) {
        fprintf(stderr, "gctune: %s\n", err);
        p->write_errors++;
    }
    if (p->quiet)
        return;
    /* The median throughput of the repetitions, for the progress line. */
    double tput = NAN;
    {
        double v[64];
        size_t k = 0;
        for (size_t i = first_row; i < p->res->rows.n && k < 64; i++)
            if (!strcmp(p->res->rows.rows[i].status, "ok"))
                v[k++] = p->res->rows.rows[i].ops_per_s;
        if (k) {
            for (size_t a = 1; a < k; a++)
                for (size_t b = a; b > 0 && v[b - 1] > v[b]; b--) {
                    double t = v[b];
                    v[b] = v[b - 1];
                    v[b - 1] = t;
                }
            tput = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
        }
    }
    const char *why = "";
    if (failed) {
        for (size_t i = first_row; i < p->res->rows.n; i++)
            if (strcmp(p->res->rows.rows[i].status, "ok")) {
                why = p->res->rows.rows[i].reason;
                break;
            }
    }
    if (p->tty)
        fprintf(stderr, "\r\033[K");
    if (failed)
        printf("[%zu/%zu] FAILED %s (%.1f s): %s\n", p->finished, p->n, er->cfg->id, er->seconds,
               why);
    else
        printf("[%zu/%zu] ok %s (%.1f s): %.0f ops/s\n", p->finished, p->n, er->cfg->id,
               er->seconds, tput);
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

int gct_session_run(const gct_config *cfgs, size_t n, const gct_session_opts *o,
                    gct_session_result *res)
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
    if (o->meta && !temporary && gct_rdir_write_json(dir, "meta.json", o->meta, err, sizeof err)) {
        fprintf(stderr, "gctune: %s\n", err);
        return 2;
    }

    progress p = {
        .cfgs = cfgs,
        .n = n,
        .t0 = now_s(),
        .tty = isatty(2) != 0,
        .quiet = o->quiet,
        .o = o,
        .res = res,
        .dir = temporary ? NULL : dir,
        .gbench_parts = calloc(n ? n : 1, sizeof(char *)),
    };
    gct_exec_opts eo = {
        .jobs = o->jobs,
        .pin = o->pin,
        .quiet = !o->gbench_console,
        .timeout_s = o->timeout_s,
        .mem_limit = o->mem_limit,
        .sanitized = strcmp(GCT_SANITIZE, "none") != 0,
        .workdir = work,
    };
    gct_exec_events ev = {on_started, on_finished, on_tick, &p};
    int rc = gct_execute(cfgs, n, &eo, &ev, &gct_session_stop);
    if (p.tty && !p.quiet)
        fprintf(stderr, "\r\033[K");
    res->interrupted = rc == 130;

    if (!temporary) {
        if (gct_rdir_write_results(dir, &res->rows, err, sizeof err) ||
            gct_rdir_write_summary(dir, &res->rows, err, sizeof err) ||
            gct_rdir_merge_gbench(dir, (const char *const *)p.gbench_parts, n, err, sizeof err)) {
            fprintf(stderr, "gctune: %s\n", err);
            p.write_errors++;
        }
        if (o->meta) {
            json_t *end = json_object();
            time_t t = time(NULL);
            char when[64];
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
            json_object_set_new(end, "finished", json_string(when));
            json_object_set_new(end, "configurations", json_integer((json_int_t)n));
            json_object_set_new(end, "configurations_run", json_integer((json_int_t)res->configs_done));
            json_object_set_new(end, "configurations_failed",
                                json_integer((json_int_t)res->configs_failed));
            json_object_set_new(end, "interrupted", json_boolean(res->interrupted));
            json_object_set_new(end, "seconds", json_real(now_s() - p.t0));
            json_object_set_new(o->meta, "outcome", end);
            if (gct_rdir_write_json(dir, "meta.json", o->meta, err, sizeof err)) {
                fprintf(stderr, "gctune: %s\n", err);
                p.write_errors++;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        free(p.gbench_parts[i]);
    free(p.gbench_parts);
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

void gct_session_result_free(gct_session_result *res) { gct_results_free(&res->rows); }
