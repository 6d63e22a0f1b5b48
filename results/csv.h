/*
 * csv.h — reading CSV (RFC 4180) strictly, a whole file at a time: the
 * table under every reader of a result directory (results.csv, summary.csv,
 * noise.csv).  Errors name the file and the line.
 */
#ifndef GCT_CSV_H
#define GCT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A whole file: a header and rows of exactly as many cells. */
typedef struct gct_csv_table {
    char *path;
    char **header;
    size_t ncols;
    char **cells; /* row-major, nrows x ncols */
    long *lines;  /* the line each row starts on */
    size_t nrows;
    size_t ncells; /* cells filled (a failed load frees a partial row too) */
} gct_csv_table;

int gct_csv_load(const char *path, gct_csv_table *t, char *err, size_t errlen);
void gct_csv_table_free(gct_csv_table *t);
/* The column named name, or -1. */
int gct_csv_column(const gct_csv_table *t, const char *name);
static inline const char *gct_csv_cell(const gct_csv_table *t, size_t row, int col)
{
    return t->cells[row * t->ncols + (size_t)col];
}

/* Write s as one CSV field (quoted when it holds a comma, quote or newline). */
void gct_csv_write_string(FILE *out, const char *s);
/* n strings as fields, comma-separated. */
void gct_csv_write_strings(FILE *out, const char *const *s, size_t n);
/* v as one CSV field, to 9 significant digits; empty when it does not
 * exist (NaN and infinities: a result file never says "nan"). */
void gct_csv_write_number(FILE *out, double v);
/* n numbers as fields, each after a comma. */
void gct_csv_write_numbers(FILE *out, const double *v, size_t n);

#endif
