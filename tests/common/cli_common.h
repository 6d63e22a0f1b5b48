/*
 * common/cli_common.h — what the test-cli-*.c programs share
 * (common/cli_common.c, linked into each of them): running the gctune binary
 * (meson passes its path in GCTUNE) with its output captured, and the result
 * directories it writes.
 */
#ifndef GCT_TESTS_COMMON_CLI_H
#define GCT_TESTS_COMMON_CLI_H

#include <criterion/criterion.h>
#include "gct_test.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct out {
    int status; /* exit status, or 128 + signal */
    char *stdout_text, *stderr_text;
} out;

/* The file at path, up to 1 MiB (strdup'd; "" when it cannot be read). */
char *slurp(const char *path);

/* Start gctune with args, its stdout and stderr going to the files so and
 * se; finish waits for it and reads them back. */
pid_t start(const char *const *args, const char *so, const char *se);

out finish(pid_t pid, const char *so, const char *se);

/* Run gctune with the arguments (NULL-terminated). */
out gctune(const char *first, ...);

void free_out(out *o);

/* The output directory of the test: fresh_outdir() names a new one,
 * rm_rf removes a tree. */
extern char outdir[128];

/* Does path exist? */
bool exists(const char *path);

void fresh_outdir(void);

void rm_rf(const char *path);

/* dir/name parsed as JSON (the test fails if it is not). */
json_t *load_json(const char *dir, const char *name);

/* The lines of a file that must exist. */
size_t count_lines(const char *path);

#endif
