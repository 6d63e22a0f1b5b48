/* resultdir.c — writing a result directory (see resultdir.h). */
#define _GNU_SOURCE
#include "resultdir.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "stats.h"

static int join(char *buf, size_t len, const char *dir, const char *name, char *err, size_t errlen)
{
    if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len) {
        snprintf(err, errlen, "%s/%s: path too long", dir, name);
        return -1;
    }
    return 0;
}

/* The directories this process holds the lock of (by their real path): a
 * process that prepares one twice (tune) must not lock itself out. */
static char *locked[64];
static size_t nlocked;

/* OUT/.lock, held (flock) for as long as this process lives, with its pid
 * in it: two sweeps into one directory would destroy each other's files.
 * The second is refused, naming the first's pid. */
static int lock_dir(const char *dir, char *err, size_t errlen)
{
    char *real = realpath(dir, NULL);
    for (size_t i = 0; real && i < nlocked; i++)
        if (!strcmp(locked[i], real)) {
            free(real);
            return 0;
        }
    char p[4096];
    if (join(p, sizeof p, dir, ".lock", err, errlen)) {
        free(real);
        return -1;
    }
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", p, strerror(errno));
        free(real);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = 0;
        pid[strcspn(pid, "\n")] = 0;
        snprintf(err, errlen,
                 "%s is in use by another gctune (pid %s): wait for it to end, or choose another "
                 "--out",
                 dir, pid[0] ? pid : "unknown");
        close(fd);
        free(real);
        return -1;
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
        snprintf(err, errlen, "cannot write %s: %s", p, strerror(errno));
        close(fd);
        free(real);
        return -1;
    }
    if (real && nlocked < sizeof locked / sizeof locked[0])
        locked[nlocked++] = real; /* the fd stays open: the lock lasts the process */
    else
        free(real);
    return 0;
}

int gct_rdir_prepare(const char *dir, bool force, char *err, size_t errlen)
{
    char p[4096];
    if (gct_mkdirs(dir, err, errlen) || lock_dir(dir, err, errlen))
        return -1;
    if (join(p, sizeof p, dir, "results.csv", err, errlen))
        return -1;
    if (!force && access(p, F_OK) == 0) {
        snprintf(err, errlen, "%s already holds results (results.csv); choose another --out", dir);
        return -1;
    }
    if (gct_mkdirs(dir, err, errlen))
        return -1;
    if (join(p, sizeof p, dir, "pauses", err, errlen) || gct_mkdirs(p, err, errlen))
        return -1;
    if (join(p, sizeof p, dir, ".work", err, errlen) || gct_mkdirs(p, err, errlen))
        return -1;
    return 0;
}

int gct_rdir_write_results(const char *dir, const gct_results *rows, char *err, size_t errlen)
{
    char p[4096];
    if (join(p, sizeof p, dir, "results.csv", err, errlen))
        return -1;
    gct_afile a;
    FILE *f = gct_afile_open(&a, p, err, errlen);
    if (!f)
        return -1;
    gct_result_csv_header(f);
    for (size_t i = 0; i < rows->n; i++)
        gct_result_csv_row(f, &rows->rows[i]);
    return gct_afile_commit(&a, err, errlen);
}

int gct_rdir_write_json(const char *dir, const char *name, json_t *value, char *err,
                        size_t errlen)
{
    char p[4096];
    if (join(p, sizeof p, dir, name, err, errlen))
        return -1;
    gct_afile a;
    FILE *f = gct_afile_open(&a, p, err, errlen);
    if (!f)
        return -1;
    if (json_dumpf(value, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
        gct_afile_abort(&a);
        snprintf(err, errlen, "%s: cannot write JSON", p);
        return -1;
    }
    fputc('\n', f);
    return gct_afile_commit(&a, err, errlen);
}

/*
 * Google Benchmark prints non-finite numbers as bare NaN / -nan / inf (its
 * coefficient of variation of a counter that is always 0, for one), which is
 * not JSON.  Read the file and turn those tokens, outside strings, into null.
 */
static json_t *load_gbench(const char *path, char *err, size_t errlen)
{
    size_t n;
    char *buf = gct_read_file(path, &n, err, errlen);
    if (!buf)
        return NULL;
    static const char *const tokens[] = {"-NaN", "NaN", "-nan", "nan", "-Infinity", "Infinity",
                                         "-inf", "inf"};
    char *clean = malloc(2 * n + 1); /* "nan" -> "null" grows by at most a third */
    if (!clean) {
        free(buf);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    size_t m = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        if (in_string) {
            if (buf[i] == '\\' && i + 1 < n)
                clean[m++] = buf[i++];
            else if (buf[i] == '"')
                in_string = false;
            clean[m++] = buf[i];
            continue;
        }
        if (buf[i] == '"')
            in_string = true;
        size_t t = 0, len = 0;
        for (; t < sizeof tokens / sizeof tokens[0]; t++) {
            len = strlen(tokens[t]);
            if (!strncmp(buf + i, tokens[t], len))
                break;
        }
        if (t < sizeof tokens / sizeof tokens[0]) {
            memcpy(clean + m, "null", 4);
            m += 4;
            i += len - 1;
        } else {
            clean[m++] = buf[i];
        }
    }
    free(buf);
    buf = clean;
    n = m;
    json_error_t je;
    json_t *v = json_loadb(buf, n, 0, &je);
    free(buf);
    if (!v)
        snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
    return v;
}

int gct_rdir_merge_gbench(const char *dir, const char *const *parts, size_t n, char *err,
                          size_t errlen)
{
    json_t *merged = json_object();
    json_t *context = NULL;
    json_t *runs = json_array();
    json_t *contexts = json_object();
    for (size_t i = 0; i < n; i++) {
        if (!parts[i] || access(parts[i], R_OK) != 0)
            continue;
        json_t *part = load_gbench(parts[i], err, errlen);
        if (!part) {
            json_decref(merged);
            json_decref(runs);
            json_decref(contexts);
            json_decref(context);
            return -1;
        }
        json_t *ctx = json_object_get(part, "context");
        const char *id = json_string_value(json_object_get(ctx, "gctune_config_id"));
        if (!id)
            id = "";
        /* One benchmark family per configuration, numbered in order of first
         * appearance. */
        json_int_t family = (json_int_t)json_object_size(contexts);
        json_t *known = json_object_get(contexts, id);
        if (known)
            family = json_integer_value(json_object_get(known, "gctune_family_index"));
        json_t *own = json_object();
        json_object_set_new(own, "gctune_family_index", json_integer(family));
        const char *key;
        json_t *val;
        json_object_foreach(ctx, key, val)
        {
            /* The round and process are the run's, not the configuration's. */
            if (!strncmp(key, "gctune_", 7) && strcmp(key, "gctune_round") &&
                strcmp(key, "gctune_process"))
                json_object_set(own, key, val);
        }
        json_object_set_new(contexts, id, own);
        if (!context) {
            context = json_deep_copy(ctx);
            json_object_foreach(ctx, key, val)
            {
                if (!strncmp(key, "gctune_", 7))
                    json_object_del(context, key);
            }
        }
        /* Google Benchmark names a run of fixed iterations "id/iterations:1":
         * the name is the configuration alone, whatever the repetitions. */
        const char *round = json_string_value(json_object_get(ctx, "gctune_round"));
        const char *process = json_string_value(json_object_get(ctx, "gctune_process"));
        size_t k;
        json_t *run;
        json_array_foreach(json_object_get(part, "benchmarks"), k, run)
        {
            json_t *copy = json_deep_copy(run);
            json_object_set_new(copy, "name", json_string(id));
            json_object_set_new(copy, "run_name", json_string(id));
            json_object_set_new(copy, "family_index", json_integer(family));
            json_object_set_new(copy, "gctune_config_id", json_string(id));
            json_object_set_new(copy, "gctune_round", json_integer(round ? atoll(round) : 0));
            json_object_set_new(copy, "gctune_process", json_integer(process ? atoll(process) : 0));
            json_array_append_new(runs, copy);
        }
        json_decref(part);
    }
    json_object_set_new(merged, "context", context ? context : json_object());
    json_object_set_new(merged, "benchmarks", runs);
    json_object_set_new(merged, "gctune_contexts", contexts);
    int rc = gct_rdir_write_json(dir, "gbench.json", merged, err, errlen);
    json_decref(merged);
    return rc;
}

int gct_rdir_add_memory(const char *dir, const char *config_id, const char *from, char *err,
                        size_t errlen)
{
    char d[4096], p[4200];
    if (snprintf(d, sizeof d, "%s/memory", dir) >= (int)sizeof d ||
        gct_mkdirs(d, err, errlen))
        return -1;
    if (snprintf(p, sizeof p, "%s/%s.csv", d, config_id) >= (int)sizeof p) {
        snprintf(err, errlen, "%s/%s.csv: path too long", d, config_id);
        return -1;
    }
    if (rename(from, p) != 0) {
        snprintf(err, errlen, "cannot move %s to %s: %s", from, p, strerror(errno));
        return -1;
    }
    return 0;
}

int gct_rdir_add_pauses(const char *dir, const char *config_id, const char *from, char *err,
                        size_t errlen)
{
    char p[4096];
    if (snprintf(p, sizeof p, "%s/pauses/%s.csv", dir, config_id) >= (int)sizeof p) {
        snprintf(err, errlen, "%s/pauses/%s.csv: path too long", dir, config_id);
        return -1;
    }
    if (access(p, F_OK) != 0) {
        if (rename(from, p) != 0) {
            snprintf(err, errlen, "cannot move %s to %s: %s", from, p, strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t nold, nnew;
    char *old = gct_read_file(p, &nold, err, errlen);
    if (!old)
        return -1;
    char *add = gct_read_file(from, &nnew, err, errlen);
    if (!add) {
        free(old);
        return -1;
    }
    /* The new file's rows, without its header line. */
    const char *rows = memchr(add, '\n', nnew);
    rows = rows ? rows + 1 : add + nnew;
    gct_afile a;
    FILE *f = gct_afile_open(&a, p, err, errlen);
    int rc = -1;
    if (f) {
        fwrite(old, 1, nold, f);
        fwrite(rows, 1, (size_t)(add + nnew - rows), f);
        rc = gct_afile_commit(&a, err, errlen);
    }
    free(old);
    free(add);
    if (rc == 0)
        unlink(from);
    return rc;
}
