/* alloc.c — allocation that cannot fail (see alloc.h). */
#define _GNU_SOURCE
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p)
{
    if (!p) {
        fputs("gctune: out of memory\n", stderr);
        abort();
    }
    return p;
}

char *gct_xstrdup(const char *s) { return check(strdup(s ? s : "")); }

void *gct_xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size)); }

void *gct_xrealloc(void *p, size_t n, size_t size) { return check(realloc(p, n * size)); }
