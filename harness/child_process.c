/* child_process.c — one child process per repetition (see child_process.h). */
#define _GNU_SOURCE
#include "child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "repetition.h"
#include "topology.h"

/* Child exit statuses. */
enum { CHILD_OK = 0, CHILD_SOME_REPS_FAILED = 3, CHILD_CANNOT_PIN = 4, CHILD_CANNOT_WRITE = 5 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A process's files are named by its place in the schedule. */
static void set_paths(gct_child_process_result *r, const char *workdir)
{
    size_t p = r->job->process;
    snprintf(r->records_csv, sizeof r->records_csv, "%s/p%zu.records.csv", workdir, p);
    snprintf(r->pauses_csv, sizeof r->pauses_csv, "%s/p%zu.pauses.csv", workdir, p);
    snprintf(r->memory_csv, sizeof r->memory_csv, "%s/p%zu.memory.csv", workdir, p);
    snprintf(r->gbench_json, sizeof r->gbench_json, "%s/p%zu.gbench.json", workdir, p);
}

static void stderr_path(char *buf, size_t len, const char *workdir, const gct_job *job)
{
    snprintf(buf, len, "%s/p%zu.stderr", workdir, job->process);
}

int gct_child_process_body(const gct_config *cfg, const gct_job *job, int slot,
                           const gct_child_process_opts *o, const gct_child_process_result *paths)
{
    char cpus[64] = "", err[512];
    if (o->pin && gct_pin_to_core(slot, cpus, sizeof cpus, err, sizeof err) != 0) {
        fprintf(stderr, "cannot pin to core %d: %s\n", slot, err);
        return CHILD_CANNOT_PIN;
    }
    gct_repetition_out out;
    gct_repetition_opts ro = {
        .round = job->round,
        .process = job->process,
        .warmup = o->warmup,
        .cpus = cpus,
        .quiet = o->quiet,
        .heap_limit = o->mem_limit,
        .prefork = o->prefork,
    };
    int failed = gct_repetition_run(cfg, paths->gbench_json, &ro, &out);
    int rc = failed ? CHILD_SOME_REPS_FAILED : CHILD_OK;
    if (gct_repetition_write(&out, paths->records_csv, paths->pauses_csv, paths->memory_csv, err,
                             sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        rc = CHILD_CANNOT_WRITE;
    }
    gct_repetition_out_free(&out);
    return rc;
}

typedef struct child {
    pid_t pid;
    size_t index;
    double started;
    bool timed_out;
    bool interrupted;
} child;

static pid_t spawn(const gct_config *c, const gct_job *job, int slot,
                   const gct_child_process_opts *o, gct_child_process_result *paths)
{
    char errpath[4200];
    stderr_path(errpath, sizeof errpath, o->workdir, job);
    fflush(NULL);
    pid_t pid = fork();
    if (pid > 0)
        setpgid(pid, pid); /* as the child does: no race with a kill below */
    if (pid != 0)
        return pid;
    /* The child, in a process group of its own, so that a timeout or an
     * interrupt kills what it started too (a real interpreter's process). */
    setpgid(0, 0);
    int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        dup2(fd, 2);
        close(fd);
    }
    if (o->quiet) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            close(null);
        }
    }
    /* The heap enforces mem_limit itself (the repetition sets it); the
     * address-space limit, with room for code, stacks and Google Benchmark,
     * is a backstop for everything else.  Not under AddressSanitizer, which
     * reserves terabytes of address space for its shadow. */
    if (o->mem_limit > 0 && !o->sanitized) {
        rlim_t as = (rlim_t)o->mem_limit + ((rlim_t)256 << 20);
        struct rlimit rl = {as, as};
        setrlimit(RLIMIT_AS, &rl);
    }
    _exit(gct_child_process_body(c, job, slot, o, paths));
}

static void describe_exit(int status, const child *ch, double timeout, const char *errpath,
                          char *reason, size_t len)
{
    char tail[400];
    FILE *f = fopen(errpath, "r");
    gct_last_line(f, tail, sizeof tail); /* the child's last word on stderr */
    if (f)
        fclose(f);
    if (ch->interrupted) {
        snprintf(reason, len, "interrupted");
    } else if (ch->timed_out) {
        snprintf(reason, len, "timed out after %.0f s", timeout);
    } else if (WIFSIGNALED(status)) {
        snprintf(reason, len, "crashed: %s%s%s", strsignal(WTERMSIG(status)), tail[0] ? ": " : "",
                 tail);
    } else if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        snprintf(reason, len, "exited with status %d%s%s", code, tail[0] ? ": " : "", tail);
    } else {
        snprintf(reason, len, "ended abnormally");
    }
}

int gct_child_process_run_jobs(const gct_config *cfgs, const gct_job *jobs, size_t n,
                               const gct_child_process_opts *o, const gct_child_process_events *ev,
                               volatile sig_atomic_t *stop)
{
    int width = o->jobs > 0 ? o->jobs : 1;
    child *slots = calloc((size_t)width, sizeof *slots);
    gct_child_process_result *res = calloc(n ? n : 1, sizeof *res);
    if (!slots || !res) {
        free(slots);
        free(res);
        return 1;
    }
    size_t next = 0, done = 0;
    int rc = 0;
    double last_tick = now_s();
    while (done < n) {
        /* Start children in free slots. */
        for (int s = 0; s < width && next < n && !(stop && *stop); s++) {
            if (slots[s].pid)
                continue;
            gct_child_process_result *r = &res[next];
            r->index = next;
            r->job = &jobs[next];
            r->cfg = &cfgs[jobs[next].config];
            set_paths(r, o->workdir);
            if (ev && ev->skip && ev->skip(ev->ud, r->job, r->reason, sizeof r->reason)) {
                r->skipped = true;
                if (ev->finished)
                    ev->finished(ev->ud, r);
                done++;
                next++;
                s--; /* the slot is still free */
                continue;
            }
            if (ev && ev->started)
                ev->started(ev->ud, next, r->cfg);
            pid_t pid = spawn(r->cfg, r->job, s, o, r);
            if (pid < 0) {
                snprintf(r->reason, sizeof r->reason, "cannot start a process: %s",
                         strerror(errno));
                if (ev && ev->finished)
                    ev->finished(ev->ud, r);
                rc = 1;
                done++;
                next++;
                continue;
            }
            r->pid = (long)pid;
            slots[s] = (child){.pid = pid, .index = next, .started = now_s()};
            next++;
        }
        if (stop && *stop) {
            for (int s = 0; s < width; s++) {
                if (slots[s].pid) {
                    slots[s].interrupted = true;
                    kill(-slots[s].pid, SIGKILL);
                }
            }
        }
        /* Reap. */
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            for (int s = 0; s < width; s++) {
                if (slots[s].pid != pid)
                    continue;
                gct_child_process_result *r = &res[slots[s].index];
                r->seconds = now_s() - slots[s].started;
                bool clean = WIFEXITED(status) && (WEXITSTATUS(status) == CHILD_OK ||
                                                   WEXITSTATUS(status) == CHILD_SOME_REPS_FAILED);
                if (clean && !slots[s].interrupted && !slots[s].timed_out) {
                    r->ran = true;
                } else {
                    kill(-pid, SIGKILL); /* what a crashed child left running */
                    char errpath[4200];
                    stderr_path(errpath, sizeof errpath, o->workdir, r->job);
                    describe_exit(status, &slots[s], o->timeout_s, errpath, r->reason,
                                  sizeof r->reason);
                    rc = rc ? rc : 1;
                }
                if (ev && ev->finished)
                    ev->finished(ev->ud, r);
                memset(&slots[s], 0, sizeof slots[s]);
                done++;
            }
            continue;
        }
        if (stop && *stop && next < n) {
            /* Configurations never started are not run at all. */
            bool running = false;
            for (int s = 0; s < width; s++)
                running |= slots[s].pid != 0;
            if (!running)
                break;
        }
        /* Timeouts, progress, and a short sleep. */
        double t = now_s();
        for (int s = 0; s < width; s++) {
            if (slots[s].pid && o->timeout_s > 0 && !slots[s].timed_out &&
                t - slots[s].started > o->timeout_s) {
                slots[s].timed_out = true;
                kill(-slots[s].pid, SIGKILL);
            }
        }
        if (ev && ev->tick && t - last_tick >= 0.5) {
            ev->tick(ev->ud);
            last_tick = t;
        }
        struct timespec nap = {0, 10 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    free(slots);
    free(res);
    if (stop && *stop)
        return 130;
    return rc;
}
