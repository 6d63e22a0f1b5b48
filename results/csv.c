/* csv.c — strict CSV reading (see csv.h). */
#include "csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "files.h"

typedef struct gct_csv_cursor {
    const char *p, *end;
    long line; /* line of the current position, from 1 */
} gct_csv_cursor;

/* Double a field buffer (64 bytes to start with). */
static void grow(char **buf, size_t *cap)
{
    *cap = *cap ? *cap * 2 : 64;
    *buf = gct_xrealloc(*buf, *cap, 1);
}

/* One field into *buf (grown as needed).  Returns 1 if a field was read and
 * more follow on this row, 2 at the end of a row, 0 at the end of the input
 * without a newline, -1 on an unterminated quote. */
static int gct_csv_field(gct_csv_cursor *c, char **buf, size_t *cap)
{
    size_t n = 0;
    bool quoted = false;
    if (c->p < c->end && *c->p == '"') {
        quoted = true;
        c->p++;
    }
    for (;;) {
        if (c->p >= c->end) {
            if (quoted)
                return -1;
            break;
        }
        char ch = *c->p;
        if (quoted) {
            if (ch == '"') {
                if (c->p + 1 < c->end && c->p[1] == '"') {
                    c->p++;
                } else {
                    quoted = false;
                    c->p++;
                    continue;
                }
            } else if (ch == '\n') {
                c->line++;
            }
        } else if (ch == ',' || ch == '\n' || ch == '\r') {
            break;
        }
        if (n + 2 > *cap)
            grow(buf, cap);
        (*buf)[n++] = ch;
        c->p++;
    }
    if (n + 1 > *cap)
        grow(buf, cap);
    (*buf)[n] = 0;
    if (c->p >= c->end)
        return 0;
    if (*c->p == ',') {
        c->p++;
        return 1;
    }
    if (*c->p == '\r')
        c->p++;
    if (c->p < c->end && *c->p == '\n') {
        c->p++;
        c->line++;
        return 2;
    }
    return -1;
}

/* The header line into t->header.  -1 with a message if it does not end. */
static int read_header(gct_csv_cursor *c, gct_csv_table *t, char **buf, size_t *cap, char *err,
                       size_t errlen)
{
    size_t hcap = 0;
    for (;;) {
        int k = gct_csv_field(c, buf, cap);
        if (k <= 0) {
            snprintf(err, errlen, "%s:1: the header line does not end", t->path);
            return -1;
        }
        if (t->ncols == hcap) {
            hcap = hcap ? 2 * hcap : 32;
            t->header = gct_xrealloc(t->header, hcap, sizeof *t->header);
        }
        t->header[t->ncols++] = gct_xstrdup(*buf);
        if (k == 2)
            return 0;
    }
}

/* One row into t->cells (*ccap of them allocated) and t->lines.  -1 with
 * a message naming its line if it is not a whole row of t->ncols cells. */
static int read_row(gct_csv_cursor *c, gct_csv_table *t, char **buf, size_t *cap, size_t *ccap,
                    char *err, size_t errlen)
{
    long line = c->line;
    size_t col = 0;
    for (;;) {
        int k = gct_csv_field(c, buf, cap);
        if (k < 0) {
            snprintf(err, errlen, "%s:%ld: unterminated quoted field", t->path, line);
            return -1;
        }
        if (col >= t->ncols) {
            snprintf(err, errlen, "%s:%ld: more than %zu columns", t->path, line, t->ncols);
            return -1;
        }
        size_t at = t->nrows * t->ncols + col++;
        if (at >= *ccap) {
            *ccap = *ccap ? 2 * *ccap : 256;
            t->cells = gct_xrealloc(t->cells, *ccap, sizeof *t->cells);
        }
        t->cells[at] = gct_xstrdup(*buf);
        t->ncells = at + 1;
        if (k == 0) {
            snprintf(err, errlen, "%s:%ld: the last line does not end (truncated file?)", t->path,
                     line);
            return -1;
        }
        if (k == 2)
            break;
    }
    t->lines = gct_xrealloc(t->lines, t->nrows + 1, sizeof *t->lines);
    t->lines[t->nrows++] = line;
    if (col != t->ncols) {
        snprintf(err, errlen, "%s:%ld: %zu columns, expected %zu (truncated row?)", t->path, line,
                 col, t->ncols);
        return -1;
    }
    return 0;
}

int gct_csv_load(const char *path, gct_csv_table *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    size_t len;
    char *data = gct_read_file(path, &len, err, errlen);
    if (!data)
        return -1;
    t->path = gct_xstrdup(path);
    gct_csv_cursor c = {data, data + len, 1};
    char *buf = NULL;
    size_t cap = 0, ccap = 0;
    int rc = -1;
    if (len == 0)
        snprintf(err, errlen, "%s: empty file (no header line)", path);
    else if (read_header(&c, t, &buf, &cap, err, errlen) == 0) {
        rc = 0;
        while (rc == 0 && c.p < c.end)
            rc = read_row(&c, t, &buf, &cap, &ccap, err, errlen);
    }
    free(buf);
    free(data);
    if (rc)
        gct_csv_table_free(t);
    return rc;
}

void gct_csv_table_free(gct_csv_table *t)
{
    for (size_t i = 0; i < t->ncols; i++)
        free(t->header[i]);
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->header);
    free(t->cells);
    free(t->lines);
    free(t->path);
    memset(t, 0, sizeof *t);
}

int gct_csv_column(const gct_csv_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcmp(t->header[i], name))
            return (int)i;
    return -1;
}

void gct_csv_write_string(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void gct_csv_write_strings(FILE *out, const char *const *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        gct_csv_write_string(out, s[i]);
    }
}

void gct_csv_write_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.9g", v);
}

void gct_csv_write_numbers(FILE *out, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputc(',', out);
        gct_csv_write_number(out, v[i]);
    }
}
