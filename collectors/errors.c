/*
 * errors.c — the base's out-of-line half (object.h): the error strings and
 * the fatal-error path.  It uses nothing of the heap or the allocator, so
 * that pool.c can stop the process without depending on the heap, which
 * depends on it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "object.h"

void gct__fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gctune: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

const char *gct_strerror(int code)
{
    switch (code) {
    case GCT_OK: return "ok";
    case GCT_EINVAL: return "invalid argument";
    case GCT_ENOTSUP: return "not supported by this collector";
    case GCT_ENOMEM: return "out of memory";
    default: return "unknown error";
    }
}
