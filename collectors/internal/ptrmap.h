/*
 * internal/ptrmap.h — an open-addressing map from an address to a word
 * (ptrmap.c): the heap's table of weak references, target -> first weak
 * reference to it.
 *
 * Who it is for: the collectors' own files (internal/backend.h includes it
 * for struct gct_heap's `weak` member).  Keys are never NULL; the map never
 * shrinks; deletion shifts entries back, so there are no tombstones.  Out of
 * memory is fatal.
 */
#ifndef GCT_INTERNAL_PTRMAP_H
#define GCT_INTERNAL_PTRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct gct_ptrmap {
    const void **keys;
    uintptr_t *vals;
    size_t cap, n; /* cap is 0 or a power of two */
} gct_ptrmap;

/* The value stored for key, or NULL if there is none. */
uintptr_t *gct__ptrmap_get(const gct_ptrmap *m, const void *key);
void gct__ptrmap_put(gct_ptrmap *m, const void *key, uintptr_t val);
void gct__ptrmap_del(gct_ptrmap *m, const void *key);
void gct__ptrmap_free(gct_ptrmap *m);

#endif
