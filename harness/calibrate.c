/*
 * calibrate.c — run the calibration script in the real interpreter, fit the
 * cost model, keep it in the cache (calibrate.h).
 */
#define _GNU_SOURCE
#include "calibrate.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "calibrate_cpython.h" /* gct_calibrate_py: harness/calibrate_cpython.py */

/* A calibration takes a few seconds; past this the interpreter is stuck. */
#define CALIBRATE_TIMEOUT_S 300
#define PROBE_TIMEOUT_S 30

/* ---- finding and running the interpreter ------------------------------------ */

static bool executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int gct_python_find(const char *python, char *path, size_t len, char *err, size_t errlen)
{
    const char *name = python && *python ? python : "python3";
    if (strchr(name, '/')) {
        if (!executable_file(name)) {
            snprintf(err, errlen, "%s: not an executable file", name);
            return -1;
        }
        snprintf(path, len, "%s", name);
        return 0;
    }
    const char *env = getenv("PATH");
    char dirs[8192];
    snprintf(dirs, sizeof dirs, "%s", env && *env ? env : "/usr/local/bin:/usr/bin:/bin");
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char cand[4096];
        if (snprintf(cand, sizeof cand, "%s/%s", *d ? d : ".", name) >= (int)sizeof cand)
            continue;
        if (executable_file(cand)) {
            snprintf(path, len, "%s", cand);
            return 0;
        }
    }
    snprintf(err, errlen,
             "no %s on PATH: the cost model measures the real interpreter (Debian: apt-get "
             "install python3), or name one with --python PATH",
             name);
    return -1;
}

/*
 * Run `python -I -c code`, returning what it wrote on stdout (malloc'd,
 * NUL-terminated) if it exited 0 within timeout_s.  Otherwise NULL with a
 * message that has the last line it wrote on stderr.
 */
static char *run_python(const char *python, const char *code, int timeout_s, char *err,
                        size_t errlen)
{
    FILE *errf = tmpfile();
    int out[2];
    if (!errf || pipe(out) < 0) {
        snprintf(err, errlen, "cannot run %s: %s", python, strerror(errno));
        if (errf)
            fclose(errf);
        return NULL;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot run %s: fork: %s", python, strerror(errno));
        close(out[0]);
        close(out[1]);
        fclose(errf);
        return NULL;
    }
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(fileno(errf), 2);
        close(out[0]);
        close(out[1]);
        execl(python, python, "-I", "-c", code, (char *)NULL);
        fprintf(stderr, "cannot execute %s: %s\n", python, strerror(errno));
        _exit(127);
    }
    close(out[1]);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool timed_out = false;
    while (buf) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long left_ms = timeout_s * 1000L - ((now.tv_sec - t0.tv_sec) * 1000L +
                                            (now.tv_nsec - t0.tv_nsec) / 1000000L);
        if (left_ms <= 0) {
            timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        struct pollfd p = {out[0], POLLIN, 0};
        int r = poll(&p, 1, (int)(left_ms < 1000 ? left_ms : 1000));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
            if (!buf)
                break;
        }
        ssize_t got = read(out[0], buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(out[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char tail[320];
    gct_last_line(errf, tail, sizeof tail);
    fclose(errf);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory reading its output", python);
        return NULL;
    }
    buf[n] = 0;
    if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return buf;
    free(buf);
    if (timed_out)
        snprintf(err, errlen, "%s did not finish within %d s", python, timeout_s);
    else if (WIFSIGNALED(status))
        snprintf(err, errlen, "%s was killed by signal %d%s%s", python, WTERMSIG(status),
                 tail[0] ? ": " : "", tail);
    else
        snprintf(err, errlen, "%s exited with status %d%s%s", python, WEXITSTATUS(status),
                 tail[0] ? ": " : "", tail);
    return NULL;
}

int gct_python_identity(const char *python, char *executable, size_t elen, char *version,
                        size_t vlen, char *err, size_t errlen)
{
    char *out = run_python(python,
                           "import sys; print(sys.executable); print('%d.%d.%d' % "
                           "sys.version_info[:3])",
                           PROBE_TIMEOUT_S, err, errlen);
    if (!out)
        return -1;
    char *nl = strchr(out, '\n');
    char *nl2 = nl ? strchr(nl + 1, '\n') : NULL;
    if (!nl || !nl2 || nl == out) {
        snprintf(err, errlen, "%s: cannot read its sys.executable and version", python);
        free(out);
        return -1;
    }
    *nl = *nl2 = 0;
    snprintf(executable, elen, "%s", out);
    snprintf(version, vlen, "%s", nl + 1);
    free(out);
    return 0;
}

/* ---- the machine ------------------------------------------------------------------- */

void gct_machine_identity(char *cpu, size_t cpulen, char *host, size_t hostlen)
{
    snprintf(cpu, cpulen, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        /* x86: "model name"; some ARM kernels: "Hardware" or "Processor". */
        if (strncmp(line, "model name", 10) && strncmp(line, "Hardware", 8) &&
            strncmp(line, "Processor", 9))
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *v = colon + 1;
        v += strspn(v, " \t");
        v[strcspn(v, "\n")] = 0;
        if (*v) {
            snprintf(cpu, cpulen, "%s", v);
            break;
        }
    }
    if (f)
        fclose(f);
    host[0] = 0;
    if (gethostname(host, hostlen) != 0 || !host[0])
        snprintf(host, hostlen, "unknown");
    host[hostlen - 1] = 0;
}

/* ---- calibration ---------------------------------------------------------------------- */

int gct_calibrate(gct_costmodel *m, const char *python, char *err, size_t errlen)
{
    gct_costmodel_init(m);
    char path[4096];
    if (gct_python_find(python, path, sizeof path, err, errlen))
        return -1;
    char *out = run_python(path, gct_calibrate_py, CALIBRATE_TIMEOUT_S, err, errlen);
    if (!out)
        return -1;
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    free(out);
    char why[400] = "";
    json_t *py = j ? json_object_get(j, "python") : NULL;
    json_t *exe = py ? json_object_get(py, "executable") : NULL;
    json_t *ver = py ? json_object_get(py, "version") : NULL;
    if (!j)
        snprintf(why, sizeof why, "not JSON: %s", je.text);
    else if (!json_is_string(exe) || !json_is_string(ver))
        snprintf(why, sizeof why, "python.executable and python.version missing");
    else if (gct_costmodel_add_observations(m, json_object_get(j, "observations"), why,
                                            sizeof why) == 0 &&
             gct_costmodel_fit(m, why, sizeof why) == 0) {
        snprintf(m->python, sizeof m->python, "%s", json_string_value(exe));
        snprintf(m->python_version, sizeof m->python_version, "%s", json_string_value(ver));
    }
    json_decref(j);
    if (why[0]) {
        snprintf(err, errlen, "the calibration output of %s: %s", path, why);
        m->valid = false;
        return -1;
    }
    gct_machine_identity(m->cpu, sizeof m->cpu, m->hostname, sizeof m->hostname);
    time_t t = time(NULL);
    strftime(m->date, sizeof m->date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    return 0;
}

/* ---- the cache ------------------------------------------------------------------------ */

int gct_costmodel_cache_path(char *path, size_t len, char *err, size_t errlen)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    /* The XDG base directory rule: a relative XDG_CACHE_HOME is ignored. */
    if (xdg && xdg[0] == '/')
        n = snprintf(path, len, "%s/gctune/cpython-cost.json", xdg);
    else if (home && *home)
        n = snprintf(path, len, "%s/.cache/gctune/cpython-cost.json", home);
    else {
        snprintf(err, errlen, "neither XDG_CACHE_HOME nor HOME is set: no place for the cache");
        return -1;
    }
    if (n < 0 || (size_t)n >= len) {
        snprintf(err, errlen, "the cache path is too long");
        return -1;
    }
    return 0;
}

int gct_costmodel_obtain(gct_costmodel *m, bool may_calibrate, const char *python, char *err,
                         size_t errlen)
{
    char cache[4096], path[4096], exe[512], version[32], cpu[128], host[128];
    gct_costmodel_init(m);
    if (gct_costmodel_cache_path(cache, sizeof cache, err, errlen) ||
        gct_python_find(python, path, sizeof path, err, errlen) ||
        gct_python_identity(path, exe, sizeof exe, version, sizeof version, err, errlen))
        return -1;
    gct_machine_identity(cpu, sizeof cpu, host, sizeof host);
    const char *stale = NULL;
    if (access(cache, F_OK) == 0) {
        if (gct_costmodel_load(m, cache, err, errlen)) {
            size_t l = strlen(err);
            snprintf(err + l, errlen > l ? errlen - l : 0,
                     " (run 'gctune calibrate' to measure again)");
            return -1;
        }
        if (!m->valid)
            stale = "holds no fitted model";
        else if (strcmp(m->cpu, cpu) || strcmp(m->hostname, host))
            stale = "is for another machine";
        else if (strcmp(m->python, exe) || strcmp(m->python_version, version))
            stale = "is for another interpreter";
        else
            return 0;
    }
    if (!may_calibrate) {
        if (stale)
            snprintf(err, errlen, "%s %s (%s %s on %s, %s); run 'gctune calibrate'", cache, stale,
                     m->python, m->python_version, m->hostname, m->cpu);
        else
            snprintf(err, errlen, "no cost model cached at %s; run 'gctune calibrate'", cache);
        gct_costmodel_init(m);
        return -1;
    }
    fprintf(stderr, "gctune: measuring CPython's collector on this machine for the cost model "
                    "(%s; once, about 10 s; gctune calibrate does it again)\n",
            stale ? "the cached one is stale" : "none cached yet");
    if (gct_calibrate(m, path, err, errlen))
        return -1;
    return gct_costmodel_save(m, cache, err, errlen);
}
