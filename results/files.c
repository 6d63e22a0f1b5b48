/* files.c — atomic file writes and directory creation. */
#define _GNU_SOURCE
#include "files.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *gct_afile_open(gct_afile *a, const char *path, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    if (snprintf(a->path, sizeof a->path, "%s", path) >= (int)sizeof a->path ||
        snprintf(a->tmp, sizeof a->tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof a->tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return NULL;
    }
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return NULL;
    }
    fchmod(fd, 0644);
    a->f = fdopen(fd, "w");
    if (!a->f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        close(fd);
        unlink(a->tmp);
        return NULL;
    }
    return a->f;
}

int gct_afile_commit(gct_afile *a, char *err, size_t errlen)
{
    int rc = 0;
    if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0) {
        snprintf(err, errlen, "%s: write failed: %s", a->path, strerror(errno));
        rc = -1;
    }
    if (fclose(a->f) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: close failed: %s", a->path, strerror(errno));
        rc = -1;
    }
    a->f = NULL;
    if (rc == 0 && rename(a->tmp, a->path) != 0) {
        snprintf(err, errlen, "%s: cannot rename into place: %s", a->path, strerror(errno));
        rc = -1;
    }
    if (rc)
        unlink(a->tmp);
    return rc;
}

void gct_afile_abort(gct_afile *a)
{
    if (a->f)
        fclose(a->f);
    a->f = NULL;
    unlink(a->tmp);
}

int gct_mkdirs(const char *path, char *err, size_t errlen)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char saved = *p;
            *p = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create directory: %s", buf, strerror(errno));
                return -1;
            }
            struct stat st;
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
                snprintf(err, errlen, "%s: exists and is not a directory", buf);
                return -1;
            }
            *p = saved;
            if (!saved)
                break;
        }
    }
    return 0;
}

char *gct_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        snprintf(err, errlen, "%s: cannot read%s", path, buf ? "" : " (out of memory)");
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

void gct_last_line(FILE *f, char *out, size_t len)
{
    out[0] = 0;
    if (!f)
        return;
    char line[512];
    rewind(f);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0])
            snprintf(out, len, "%s", line);
    }
}
