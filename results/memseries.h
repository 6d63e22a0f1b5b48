/*
 * memseries.h — memory/<config-id>.csv: a model's memory over the
 * operations, from its memory pass (harness/memory_pass.h): one row per
 * sample, columns selected by name:
 *   ops, live_bytes, reachable_bytes, garbage_bytes, garbage_objects
 * ops counts the operations done when the sample was taken; garbage is
 * alive but unreachable (awaiting collection, or never collected).
 */
#ifndef GCT_MEMSERIES_H
#define GCT_MEMSERIES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct gct_mem_sample {
    int64_t ops;
    int64_t live_bytes, reachable_bytes, garbage_bytes, garbage_objects;
} gct_mem_sample;

typedef struct gct_mem_series {
    gct_mem_sample *rows;
    size_t n, cap;
} gct_mem_series;

void gct_mem_series_push(gct_mem_series *s, const gct_mem_sample *row);
void gct_mem_series_free(gct_mem_series *s);

void gct_mem_series_write(FILE *out, const gct_mem_series *s);
/* Strict reader: -1 with file:line and the problem in err. */
int gct_mem_series_read(const char *path, gct_mem_series *out, char *err, size_t errlen);

#endif
