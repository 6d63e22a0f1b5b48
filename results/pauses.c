/* pauses.c — writing and reading pauses/<config-id>.csv. */
#include "pauses.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void gct_pause_rows_push(gct_pause_rows *set, const gct_pause_row *row)
{
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 256;
        set->rows = gct_xrealloc(set->rows, set->cap, sizeof *set->rows);
    }
    set->rows[set->n++] = *row;
}

void gct_pause_rows_free(gct_pause_rows *set)
{
    free(set->rows);
    memset(set, 0, sizeof *set);
}

static const char header[] = "rep,start_ms,duration_us,kind,examined,freed,alloc_bytes";
/* Files written before alloc_bytes: read, the column taken as unknown. */
static const char header_before_alloc[] = "rep,start_ms,duration_us,kind,examined,freed";

void gct_pauses_write(FILE *out, const gct_pause_rows *set)
{
    fprintf(out, "%s\n", header);
    for (size_t i = 0; i < set->n; i++) {
        const gct_pause_row *r = &set->rows[i];
        fprintf(out, "%d,%.6f,%.3f,%s,%" PRId64 ",%" PRId64 ",%" PRId64 "\n", r->rep,
                r->start_ms, r->duration_us, r->kind, r->examined, r->freed, r->alloc_bytes);
    }
}

int gct_pauses_read(const char *path, gct_pause_rows *out, char *err, size_t errlen)
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
    bool old_header = false;
    while (fgets(line, sizeof line, f)) {
        ln++;
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') {
            snprintf(err, errlen, "%s:%ld: the line does not end (truncated file?)", path, ln);
            rc = -1;
            break;
        }
        line[len - 1] = 0;
        if (ln == 1) {
            old_header = !strcmp(line, header_before_alloc);
            if (strcmp(line, header) != 0 && !old_header) {
                snprintf(err, errlen, "%s:1: header is '%s', expected '%s'", path, line, header);
                rc = -1;
                break;
            }
            continue;
        }
        gct_pause_row r = {.alloc_bytes = -1};
        int used = 0, want = old_header ? 6 : 7;
        if (sscanf(line, "%d,%lf,%lf,%11[a-z0-9],%" SCNd64 ",%" SCNd64 "%n,%" SCNd64 "%n", &r.rep,
                   &r.start_ms, &r.duration_us, r.kind, &r.examined, &r.freed, &used,
                   &r.alloc_bytes, &used) != want ||
            line[used] != 0) {
            snprintf(err, errlen, "%s:%ld: malformed pause row '%s'", path, ln, line);
            rc = -1;
            break;
        }
        gct_pause_rows_push(out, &r);
    }
    if (rc == 0 && ln == 0) {
        snprintf(err, errlen, "%s: empty file (no header line)", path);
        rc = -1;
    }
    fclose(f);
    if (rc)
        gct_pause_rows_free(out);
    return rc;
}
