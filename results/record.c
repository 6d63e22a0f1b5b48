/* record.c — the field table, CSV writing and strict reading, JSON. */
#include "record.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csv.h"
#include "files.h"

const gct_field gct_result_fields[] = {
#define X(type, name, summ, help) {#name, GCT_F_##type, offsetof(gct_result, name), summ, help},
    GCT_RESULT_FIELDS(X)
#undef X
};
const size_t gct_result_nfields = sizeof gct_result_fields / sizeof gct_result_fields[0];

const gct_field *gct_result_field(const char *name)
{
    for (size_t i = 0; i < gct_result_nfields; i++)
        if (!strcmp(gct_result_fields[i].name, name))
            return &gct_result_fields[i];
    return NULL;
}

const char *gct_status_name(gct_status s) { return s == GCT_STATUS_OK ? "ok" : "failed"; }

static bool parse_status(const char *s, gct_status *v)
{
    if (!strcmp(s, "ok"))
        *v = GCT_STATUS_OK;
    else if (!strcmp(s, "failed"))
        *v = GCT_STATUS_FAILED;
    else
        return false;
    return true;
}

static gct_status *status_at(gct_result *r, const gct_field *f)
{
    return (gct_status *)(void *)((char *)r + f->offset);
}

static char **str_at(gct_result *r, const gct_field *f)
{
    return (char **)(void *)((char *)r + f->offset);
}
static int64_t *i64_at(gct_result *r, const gct_field *f)
{
    return (int64_t *)(void *)((char *)r + f->offset);
}
static double *f64_at(gct_result *r, const gct_field *f)
{
    return (double *)(void *)((char *)r + f->offset);
}

void gct_result_init(gct_result *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < gct_result_nfields; i++) {
        const gct_field *f = &gct_result_fields[i];
        if (f->type == GCT_F_STR)
            *str_at(r, f) = gct_xstrdup("");
        else if (f->type == GCT_F_F64)
            *f64_at(r, f) = NAN;
    }
    r->schema = GCT_RESULTS_SCHEMA;
    r->gen0 = r->gen1 = r->gen2 = -1;
}

void gct_result_set_str(gct_result *r, const gct_field *f, const char *s)
{
    char **p = str_at(r, f);
    free(*p);
    *p = gct_xstrdup(s);
}

void gct_result_free(gct_result *r)
{
    for (size_t i = 0; i < gct_result_nfields; i++) {
        const gct_field *f = &gct_result_fields[i];
        if (f->type == GCT_F_STR) {
            free(*str_at(r, f));
            *str_at(r, f) = NULL;
        }
    }
}

double gct_result_num(const gct_result *r, const gct_field *f)
{
    gct_result *m = (gct_result *)r;
    switch (f->type) {
    case GCT_F_I64: return (double)*i64_at(m, f);
    case GCT_F_F64: return *f64_at(m, f);
    default: return NAN;
    }
}

/* ---- writing ------------------------------------------------------------- */

void gct_result_csv_header(FILE *out)
{
    for (size_t i = 0; i < gct_result_nfields; i++)
        fprintf(out, "%s%s", i ? "," : "", gct_result_fields[i].name);
    fputc('\n', out);
}

void gct_result_csv_row(FILE *out, const gct_result *r)
{
    gct_result *m = (gct_result *)r;
    for (size_t i = 0; i < gct_result_nfields; i++) {
        const gct_field *f = &gct_result_fields[i];
        if (i)
            fputc(',', out);
        switch (f->type) {
        case GCT_F_STR: gct_csv_write_string(out, *str_at(m, f)); break;
        case GCT_F_I64: fprintf(out, "%" PRId64, *i64_at(m, f)); break;
        case GCT_F_STATUS: fputs(gct_status_name(*status_at(m, f)), out); break;
        case GCT_F_F64: gct_csv_write_number(out, *f64_at(m, f)); break;
        }
    }
    fputc('\n', out);
}

int gct_results_write_json(FILE *out, const gct_result *rows, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        gct_result *m = (gct_result *)&rows[k];
        json_t *o = json_object();
        for (size_t i = 0; i < gct_result_nfields; i++) {
            const gct_field *f = &gct_result_fields[i];
            json_t *v;
            switch (f->type) {
            case GCT_F_STR: v = json_string(*str_at(m, f)); break;
            case GCT_F_I64: v = json_integer(*i64_at(m, f)); break;
            case GCT_F_STATUS: v = json_string(gct_status_name(*status_at(m, f))); break;
            default: {
                double d = *f64_at(m, f);
                v = isfinite(d) ? json_real(d) : json_null();
            }
            }
            json_object_set_new(o, f->name, v);
        }
        json_array_append_new(arr, o);
    }
    int rc = json_dumpf(arr, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(arr);
    return rc ? -1 : 0;
}

/* ---- reading ------------------------------------------------------------- */

void gct_results_push(gct_results *set, gct_result *r)
{
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->rows = gct_xrealloc(set->rows, set->cap, sizeof *set->rows);
    }
    set->rows[set->n++] = *r;
}

void gct_results_free(gct_results *set)
{
    for (size_t i = 0; i < set->n; i++)
        gct_result_free(&set->rows[i]);
    free(set->rows);
    memset(set, 0, sizeof *set);
}

static bool parse_i64(const char *s, int64_t *v)
{
    if (!*s)
        return false;
    errno = 0;
    char *end;
    long long x = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *v = x;
    return true;
}

static bool parse_f64(const char *s, double *v)
{
    if (!*s) {
        *v = NAN;
        return true;
    }
    errno = 0;
    char *end;
    double x = strtod(s, &end);
    if (errno == ERANGE || *end)
        return false;
    *v = x;
    return true;
}

/* One cell into field f of r; false if it does not parse. */
static bool parse_cell(gct_result *r, const gct_field *f, const char *cell)
{
    switch (f->type) {
    case GCT_F_STR: gct_result_set_str(r, f, cell); return true;
    case GCT_F_I64: return parse_i64(cell, i64_at(r, f));
    case GCT_F_F64: return parse_f64(cell, f64_at(r, f));
    case GCT_F_STATUS: return parse_status(cell, status_at(r, f));
    }
    return false;
}

int gct_results_read_csv(const char *path, gct_results *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    gct_csv_table t;
    if (gct_csv_load(path, &t, err, errlen))
        return -1;
    int rc = -1;
    /* Header: map each column to a field; every field must be there. */
    const gct_field **cols = calloc(t.ncols + 1, sizeof *cols);
    bool *seen = calloc(gct_result_nfields, sizeof *seen);
    if (!cols || !seen) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto done;
    }
    for (size_t c = 0; c < t.ncols; c++) {
        const gct_field *f = gct_result_field(t.header[c]);
        if (!f) {
            snprintf(err, errlen, "%s:1: unknown column '%s' (newer schema, or not a results.csv)",
                     path, t.header[c]);
            goto done;
        }
        size_t fi = (size_t)(f - gct_result_fields);
        if (seen[fi]) {
            snprintf(err, errlen, "%s:1: column '%s' appears twice", path, t.header[c]);
            goto done;
        }
        seen[fi] = true;
        cols[c] = f;
    }
    /* Fields added at the end since schema 2 began may be missing from an
     * older file: they read as empty (record.h). */
    const gct_field *late = gct_result_field(GCT_RESULT_FIRST_LATE_FIELD);
    size_t first_late = late ? (size_t)(late - gct_result_fields) : gct_result_nfields;
    for (size_t i = 0; i < gct_result_nfields; i++) {
        if (!seen[i] && i < first_late) {
            snprintf(err, errlen, "%s:1: column '%s' is missing", path, gct_result_fields[i].name);
            goto done;
        }
    }
    for (size_t row = 0; row < t.nrows; row++) {
        long line = t.lines[row];
        gct_result r;
        gct_result_init(&r);
        for (size_t c = 0; c < t.ncols; c++) {
            const gct_field *f = cols[c];
            const char *cell = gct_csv_cell(&t, row, (int)c);
            if (!parse_cell(&r, f, cell)) {
                snprintf(err, errlen, "%s:%ld: column '%s': '%s' is not %s", path, line, f->name,
                         cell,
                         f->type == GCT_F_I64      ? "a whole number"
                         : f->type == GCT_F_STATUS ? "a status (ok or failed)"
                                                   : "a number");
                gct_result_free(&r);
                goto done;
            }
        }
        if (r.schema != GCT_RESULTS_SCHEMA) {
            snprintf(err, errlen,
                     "%s:%ld: schema version %" PRId64 " is not one this gctune reads (%d)%s",
                     path, line, r.schema, GCT_RESULTS_SCHEMA,
                     r.schema < GCT_RESULTS_SCHEMA
                         ? "; it predates independent processes per repetition: measure again"
                         : "");
            gct_result_free(&r);
            goto done;
        }
        gct_results_push(out, &r);
    }
    rc = 0;
done:
    if (rc)
        gct_results_free(out);
    free(cols);
    free(seen);
    gct_csv_table_free(&t);
    return rc;
}

void gct_result_fail(gct_result *r, const char *fmt, ...)
{
    if (r->status == GCT_STATUS_FAILED)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->status = GCT_STATUS_FAILED;
    gct_result_set_str(r, gct_result_field("reason"), msg);
}
