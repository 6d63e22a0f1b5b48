/* memseries.c — memory/<config-id>.csv (memseries.h). */
#define _POSIX_C_SOURCE 200809L
#include "memseries.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static const char header[] = "ops,live_bytes,reachable_bytes,garbage_bytes,garbage_objects";

void gct_mem_series_push(gct_mem_series *s, const gct_mem_sample *row)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->rows = gct_xrealloc(s->rows, s->cap, sizeof *s->rows);
    }
    s->rows[s->n++] = *row;
}

void gct_mem_series_free(gct_mem_series *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}

void gct_mem_series_write(FILE *out, const gct_mem_series *s)
{
    fprintf(out, "%s\n", header);
    for (size_t i = 0; i < s->n; i++) {
        const gct_mem_sample *r = &s->rows[i];
        fprintf(out, "%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 "\n", r->ops,
                r->live_bytes, r->reachable_bytes, r->garbage_bytes, r->garbage_objects);
    }
}

int gct_mem_series_read(const char *path, gct_mem_series *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char line[512];
    long ln = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        ln++;
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') {
            snprintf(err, errlen, "%s:%ld: the line does not end (truncated file?)", path, ln);
            rc = -1;
            break;
        }
        line[len - 1] = 0;
        if (ln == 1) {
            if (strcmp(line, header) != 0) {
                snprintf(err, errlen, "%s:1: header is '%s', expected '%s'", path, line, header);
                rc = -1;
            }
            continue;
        }
        gct_mem_sample r;
        int used = 0;
        if (sscanf(line, "%" SCNd64 ",%" SCNd64 ",%" SCNd64 ",%" SCNd64 ",%" SCNd64 "%n", &r.ops,
                   &r.live_bytes, &r.reachable_bytes, &r.garbage_bytes, &r.garbage_objects,
                   &used) != 5 ||
            line[used] != 0) {
            snprintf(err, errlen, "%s:%ld: malformed memory row '%s'", path, ln, line);
            rc = -1;
            break;
        }
        gct_mem_series_push(out, &r);
    }
    if (rc == 0 && ln == 0) {
        snprintf(err, errlen, "%s: empty file (no header line)", path);
        rc = -1;
    }
    fclose(f);
    if (rc)
        gct_mem_series_free(out);
    return rc;
}
