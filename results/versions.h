/*
 * versions.h — which CPython each collector of a result directory is or
 * models ("3.13"), and ordering versions.
 *
 * A sweep records it in meta.json ("collectors": name -> {"cpython",
 * "defaults"}), as the build that measured saw its registry.  A directory
 * written before that has no such block: the caller may hand a lookup (the
 * harness's registry, by collector name) for the collectors meta.json does
 * not name.  results/ itself knows no collector.
 */
#ifndef GCT_VERSIONS_H
#define GCT_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "summary.h"

/* The CPython version a collector name stands for (NULL: none, or unknown). */
typedef const char *(*gct_version_lookup)(const char *collector);

typedef struct gct_version_entry {
    char *collector;
    char *cpython; /* NULL: not a collector a CPython user runs */
} gct_version_entry;

/* The collectors of one result directory, in meta.json's order (the
 * registry's), then those only the records name, in the model's order. */
typedef struct gct_versions {
    gct_version_entry *v;
    size_t n;
} gct_versions;

/* The version of every collector of s, from dir/meta.json, else from lookup
 * (may be NULL).  A missing meta.json is no error (a directory of records
 * alone); a malformed one is: -1 with err naming the file and line. */
int gct_versions_load(const char *dir, const gct_summary *s, gct_version_lookup lookup,
                      gct_versions *out, char *err, size_t errlen);
void gct_versions_free(gct_versions *v);

/* The version of collector (NULL: not a CPython model, or not in v). */
const char *gct_versions_of(const gct_versions *v, const char *collector);

/* Orders versions as numbers, component by component ("3.9" < "3.13" <
 * "3.13.1"); a component's non-numeric tail ("3.13t") orders after the bare
 * number, by text.  <0, 0, >0 as strcmp. */
int gct_version_cmp(const char *a, const char *b);

/* Whether the version v is what spec names: the same, or spec is a prefix
 * of it up to a dot ("3.14" names "3.14.2"). */
bool gct_version_matches(const char *v, const char *spec);

#endif
