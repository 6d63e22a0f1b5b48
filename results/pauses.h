/*
 * pauses.h — pauses/<config-id>.csv: every pause of every repetition of a
 * configuration, one row each, columns selected by name:
 *   rep, start_ms, duration_us, kind, examined, freed, alloc_bytes
 * start_ms counts from the start of the repetition's timed operations;
 * alloc_bytes is the bytes allocated since the previous collection of the
 * same generation or an older one (models; -1: not known, as in files
 * written before the column, which the reader still takes).
 */
#ifndef GCT_PAUSES_H
#define GCT_PAUSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct gct_pause_row {
    int rep;
    double start_ms;
    double duration_us;
    char kind[12]; /* gen0, gen1, gen2, full, cascade */
    int64_t examined;
    int64_t freed;
    int64_t alloc_bytes; /* -1: not known */
} gct_pause_row;

typedef struct gct_pause_rows {
    gct_pause_row *rows;
    size_t n, cap;
} gct_pause_rows;

void gct_pause_rows_push(gct_pause_rows *set, const gct_pause_row *row);
void gct_pause_rows_free(gct_pause_rows *set);

void gct_pauses_write(FILE *out, const gct_pause_rows *set);
/* Strict reader: -1 with file:line and the problem in err. */
int gct_pauses_read(const char *path, gct_pause_rows *out, char *err, size_t errlen);

#endif
