/*
 * files.h — writing result files so that a crash never leaves half a file:
 * everything is written to a temporary name in the same directory, flushed,
 * and renamed over the final name.
 */
#ifndef GCT_FILES_H
#define GCT_FILES_H

#include <stddef.h>
#include <stdio.h>

typedef struct gct_afile {
    FILE *f;
    char path[4096];
    char tmp[4096];
} gct_afile;

/* Open a temporary file next to path.  NULL with a message on failure. */
FILE *gct_afile_open(gct_afile *a, const char *path, char *err, size_t errlen);
/* Flush, sync and rename into place.  -1 with a message on failure (the
 * temporary file is removed). */
int gct_afile_commit(gct_afile *a, char *err, size_t errlen);
/* Give up: close and remove the temporary file. */
void gct_afile_abort(gct_afile *a);

/* The last non-empty line of f (rewound first; "" if none or f is NULL),
 * truncated to len: what a failed child process said last on stderr. */
void gct_last_line(FILE *f, char *out, size_t len);

/* The whole file, NUL-terminated (malloc'd; *len without the NUL).  NULL
 * with a message on failure. */
char *gct_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* mkdir -p.  -1 with a message on failure. */
int gct_mkdirs(const char *path, char *err, size_t errlen);

#endif
