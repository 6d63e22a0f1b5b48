/*
 * alloc.h — allocation that cannot fail: on exhaustion gctune says
 * "gctune: out of memory" and aborts (the result files written so far stay
 * whole; see files.h).
 */
#ifndef GCT_ALLOC_H
#define GCT_ALLOC_H

#include <stddef.h>

/* strdup of s ("" for NULL). */
char *gct_xstrdup(const char *s);
/* calloc of n (at least 1) elements. */
void *gct_xcalloc(size_t n, size_t size);
/* realloc of p to n elements. */
void *gct_xrealloc(void *p, size_t n, size_t size);

#endif
