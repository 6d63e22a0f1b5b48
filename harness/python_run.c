/*
 * python_run.c — a repetition on a real interpreter (python_run.h).
 *
 * The interpreter runs python/runner.py, which imports the workload's twin,
 * warms up on a state of its own, builds a fresh one, applies the
 * configuration's thresholds (and gc.freeze() or gc.disable()), times the
 * operations and records every collection through gc.callbacks; it prints
 * one JSON object.  This process waits for it (the session's timeout kills
 * the whole process group), then fills the record: the same fields a
 * model's repetition fills where the interpreter can say them, the pauses
 * file from its collections (kind gen0..gen2, freed = collected; the
 * objects examined are not known outside the interpreter: 0), peak_footprint
 * from its peak RSS.
 */
#define _GNU_SOURCE
#include "python_run.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_info.h"
#include "calibrate.h"
#include "python_workload.h"

/* ---- finding the interpreter ------------------------------------------------ */

/* The version path's python3 reports, "3.11" from "3.11.7"; false if it
 * cannot be run. */
static bool version_of(const char *path, char *out, size_t len)
{
    char cmd[4400];
    snprintf(cmd, sizeof cmd,
             "'%s' -c 'import sys; print(\"%%d.%%d\" %% sys.version_info[:2])' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return false;
    bool ok = fgets(out, (int)len, p) != NULL;
    int st = pclose(p);
    out[strcspn(out, "\n")] = 0;
    return ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* name on PATH: calibrate.c's search, which the cost model uses too. */
static bool on_path(const char *name, char *buf, size_t len)
{
    char err[300];
    return !strchr(name, '\'') && gct_python_find(name, buf, len, err, sizeof err) == 0;
}

/* "3.11.7" > "3.11.2", by number. */
static int patch_of(const char *name, const char *version)
{
    size_t n = strlen(version);
    if (strncmp(name, version, n) || name[n] != '.')
        return -1;
    char *end;
    long p = strtol(name + n + 1, &end, 10);
    return *end ? -1 : (int)p; /* 3.13.0t and the like: not this one */
}

const char *gct_python_for_version(const char *version, char *buf, size_t len, char *why,
                            size_t whylen)
{
    char env[64], got[32];
    snprintf(env, sizeof env, "GCTUNE_PYTHON_%s", version);
    for (char *p = env; *p; p++)
        if (*p == '.')
            *p = '_';
    const char *e = getenv(env);
    if (e && *e) {
        snprintf(buf, len, "%s", e);
        if (!version_of(buf, got, sizeof got) || strcmp(got, version)) {
            snprintf(why, whylen, "%s=%s is not a CPython %s (%s)", env, e, version,
                     got[0] ? got : "it does not run");
            return NULL;
        }
        return buf;
    }
    char name[32];
    snprintf(name, sizeof name, "python%s", version);
    if (on_path(name, buf, len) && version_of(buf, got, sizeof got) && !strcmp(got, version))
        return buf;
    const char *root = getenv("PYENV_ROOT");
    if (root && *root) {
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/versions", root);
        DIR *d = opendir(dir);
        int best = -1;
        char pick[256] = "";
        for (struct dirent *de; d && (de = readdir(d));) {
            int p = patch_of(de->d_name, version);
            if (p > best) {
                best = p;
                snprintf(pick, sizeof pick, "%s", de->d_name);
            }
        }
        if (d)
            closedir(d);
        if (best >= 0) {
            snprintf(buf, len, "%s/%s/bin/python3", dir, pick);
            if (version_of(buf, got, sizeof got) && !strcmp(got, version))
                return buf;
        }
    }
    if (on_path("python3", buf, len) && version_of(buf, got, sizeof got) && !strcmp(got, version))
        return buf;
    snprintf(why, whylen,
             "no CPython %s here (looked for $%s, python%s on PATH, $PYENV_ROOT/versions/%s.*, "
             "python3)",
             version, env, version, version);
    return NULL;
}

/* ---- running it ------------------------------------------------------------- */

/* Read fd to the end into a growing buffer (NUL-terminated). */
typedef struct sink {
    char *data;
    size_t n, cap;
} sink;

static void sink_add(sink *s, const char *p, size_t n)
{
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->n + n + 1)
            cap *= 2;
        char *d = realloc(s->data, cap);
        if (!d) {
            fputs("gctune: out of memory\n", stderr);
            abort();
        }
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->n, p, n);
    s->n += n;
    s->data[s->n] = 0;
}

/* Run argv, its stdout and stderr into out and err.  Returns the wait
 * status, or -1 if it could not start (err says why). */
static int run(char *const *argv, sink *out, sink *err)
{
    int po[2], pe[2];
    if (pipe(po) || pipe(pe)) {
        const char *m = strerror(errno);
        sink_add(err, m, strlen(m));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        const char *m = strerror(errno);
        sink_add(err, m, strlen(m));
        return -1;
    }
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        close(po[1]);
        close(pe[1]);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    struct pollfd fds[2] = {{.fd = po[0], .events = POLLIN}, {.fd = pe[0], .events = POLLIN}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t k = read(fds[i].fd, buf, sizeof buf);
            if (k > 0) {
                sink_add(i ? err : out, buf, (size_t)k);
            } else if (k == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return st;
}

/* The last non-empty line of text (the runner's message), in buf. */
static void last_line(const char *text, char *buf, size_t len)
{
    buf[0] = 0;
    const char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    const char *start = end;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(buf, len, "%.*s", (int)(end - start), start);
}

static double jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : 0;
}

static int64_t jint_at(json_t *a, size_t i)
{
    json_t *v = json_array_get(a, i);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static void set_str(gct_result *r, const char *field, const char *value)
{
    gct_result_set_str(r, gct_result_field(field), value);
}


/* Fill r and the pauses from the runner's JSON; false (r failed) if it is
 * not what the runner prints. */
static bool read_output(const char *text, const gct_repetition_opts *o, gct_result *r,
                        gct_pause_rows *pauses)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!json_is_object(j)) {
        gct_result_fail(r, "runner.py printed no JSON object (%s)", je.text);
        json_decref(j);
        return false;
    }
    r->wall_s = jnum(j, "wall_s");
    r->cpu_s = jnum(j, "cpu_s");
    r->ops_per_s = jnum(j, "ops_per_s");
    json_t *col = json_object_get(j, "collections"), *cd = json_object_get(j, "collected");
    r->collections_gen0 = jint_at(col, 0);
    r->collections_gen1 = jint_at(col, 1);
    r->collections_gen2 = jint_at(col, 2);
    r->collected_gen0 = jint_at(cd, 0);
    r->collected_gen1 = jint_at(cd, 1);
    r->collected_gen2 = jint_at(cd, 2);
    r->gc_freed = r->collected_gen0 + r->collected_gen1 + r->collected_gen2;
    r->peak_footprint = r->peak_rss = (int64_t)jnum(j, "peak_rss_bytes");
    json_t *un = json_object_get(j, "uncollectable");
    r->uncollectable = jint_at(un, 0) + jint_at(un, 1) + jint_at(un, 2);
    r->gc_garbage = (int64_t)jnum(j, "gc_garbage");
    json_t *pf = json_object_get(j, "prefork");
    if (json_is_object(pf)) {
        r->prefork_workers = (int64_t)jnum(pf, "workers");
        r->private_dirty_bytes = jnum(pf, "private_dirty_bytes");
        r->pss_bytes = jnum(pf, "pss_bytes");
    }
    json_t *kept = json_object_get(j, "retained");
    if (json_is_object(kept)) {
        r->retained_objects_per_op = jnum(kept, "objects_per_op");
        r->retained_bytes_per_op = jnum(kept, "bytes_per_op");
    }
    size_t first = pauses->n;
    json_t *ps = json_object_get(j, "pauses");
    for (size_t i = 0; i < json_array_size(ps); i++) {
        json_t *p = json_array_get(ps, i);
        gct_pause_row row = {
            .rep = o->round,
            .start_ms = json_number_value(json_array_get(p, 0)),
            .duration_us = json_number_value(json_array_get(p, 1)),
            .freed = jint_at(p, 3),
            .alloc_bytes = -1, /* the interpreter does not say */
        };
        snprintf(row.kind, sizeof row.kind, "gen%d", (int)jint_at(p, 2));
        gct_pause_rows_push(pauses, &row);
    }
    gct_repetition_pause_metrics(r, pauses->rows + first, pauses->n - first, r->wall_s * 1e3);
    /* extra: the interpreter, its tracked objects at the end, and what the
     * module's metrics() said. */
    const char *ver = json_string_value(json_object_get(j, "python"));
    char extra[2048];
    size_t used = (size_t)snprintf(extra, sizeof extra, "python=%s;gc_objects=%" PRId64,
                                   ver ? ver : "?", (int64_t)jnum(j, "gc_objects_after"));
    const char *key;
    json_t *val;
    json_object_foreach(json_object_get(j, "metrics"), key, val)
    {
        if (used < sizeof extra && json_is_number(val) && !strpbrk(key, ";="))
            used += (size_t)snprintf(extra + used, sizeof extra - used, ";%s=%.6g", key,
                                     json_number_value(val));
    }
    /* --tracemalloc: [file:line, bytes, count] per site, largest first. */
    size_t si;
    json_t *site;
    json_array_foreach(json_object_get(j, "tracemalloc_top"), si, site)
    {
        const char *where = json_string_value(json_array_get(site, 0));
        if (!where || used >= sizeof extra || strpbrk(where, ";"))
            continue;
        const char *base = strrchr(where, '/');
        used += (size_t)snprintf(extra + used, sizeof extra - used, ";alloc%zu=%s:%" PRId64,
                                 si + 1, base ? base + 1 : where, jint_at(site, 1));
    }
    set_str(r, "extra", extra);
    json_decref(j);
    return true;
}

int gct_python_repetition(const gct_config *c, const gct_repetition_opts *o,
                          gct_repetition_out *out)
{
    memset(out, 0, sizeof *out);
    gct_result r;
    gct_config_record(c, &r);
    r.status = GCT_STATUS_OK;
    set_str(&r, "cpus", o->cpus ? o->cpus : "");
    r.rep = r.round = o->round;
    r.process = (int64_t)o->process;
    r.pid = (int64_t)getpid();
    r.warmup_ops = gct_repetition_warmup_ops(c->ops, o->warmup);

    char python[4200], why[600], module[4400], runner[4400];
    snprintf(runner, sizeof runner, "%s/python/runner.py", GCT_SOURCE_ROOT);
    const char *own = gct_python_workload_module(c->workload); /* -w python:FILE */
    if (own)
        snprintf(module, sizeof module, "%s", own);
    else
        snprintf(module, sizeof module, "%s/python/workloads/%s.py", GCT_SOURCE_ROOT,
                 c->workload->name);
    if (!gct_python_for_version(c->collector->interpreter, python, sizeof python, why, sizeof why)) {
        gct_result_fail(&r, "%s", why);
    } else if (access(module, R_OK) != 0) {
        gct_result_fail(&r, "workload %s has no Python twin (%s)", c->workload->name, module);
    } else {
        /* argv: the interpreter, the runner, then its options. */
        enum { MAXARG = 64 + 2 * GCT_WL_MAX_PARAMS };
        char *argv[MAXARG];
        char store[MAXARG][160];
        int n = 0;
        argv[n++] = python;
        argv[n++] = runner;
#define ARG(...) (snprintf(store[n], sizeof store[n], __VA_ARGS__), argv[n] = store[n], n++)
        argv[n++] = "--module";
        argv[n++] = module;
        ARG("--ops=%" PRId64, c->ops);
        ARG("--warmup-ops=%" PRId64, r.warmup_ops);
        ARG("--seed=%" PRIu64, c->seed);
        /* The retention pass, for a python: module (the twins' memory is the
         * models' to tell, and their set-up under tracemalloc is slow): half
         * the operations, 2..2000 (python/README.md), enough for a cache's
         * ring of held values to fill in the first half. */
        int64_t kept = c->ops / 2;
        if (own && o->prefork <= 0)
            ARG("--retained-ops=%" PRId64, kept < 2 ? 2 : kept > 2000 ? 2000 : kept);
        int64_t g0 = gct_config_knob(c, "gen0"), g1 = gct_config_knob(c, "gen1"),
                g2 = gct_config_knob(c, "gen2");
        if (g0 == 0)
            ARG("--disable");
        else
            ARG("--threshold=%" PRId64 ",%" PRId64 ",%" PRId64, g0, g1, g2);
        if (gct_config_knob(c, "freeze") == 1)
            ARG("--freeze");
        if (o->prefork > 0)
            ARG("--prefork=%d", o->prefork);
        const char *tm = getenv(GCT_TRACEMALLOC_ENV);
        if (tm && *tm)
            ARG("--tracemalloc=%s", tm);
        for (uint32_t i = 0; i < c->workload->nparams; i++) {
            char v[64];
            gct_workload_format_value(&c->workload->params[i], c->params[i], v, sizeof v);
            argv[n++] = "--param";
            ARG("%s=%s", c->workload->params[i].name, v);
        }
#undef ARG
        argv[n] = NULL;
        sink so = {0}, se = {0};
        sink_add(&so, "", 0);
        sink_add(&se, "", 0);
        int st = run(argv, &so, &se);
        char msg[400];
        last_line(se.data, msg, sizeof msg);
        if (st < 0)
            gct_result_fail(&r, "cannot run %s: %s", python, msg);
        else if (WIFSIGNALED(st))
            gct_result_fail(&r, "%s killed by signal %d", python, WTERMSIG(st));
        else if (WEXITSTATUS(st) != 0)
            gct_result_fail(&r, "%s", msg[0] ? msg : "runner.py failed without a message");
        else
            read_output(so.data, o, &r, &out->pauses);
        free(so.data);
        free(se.data);
    }
    int failures = r.status == GCT_STATUS_FAILED;
    gct_results_push(&out->records, &r);
    return failures;
}
