/*
 * gct_test_run.h — running the gctune binary from a test, the one way every
 * test program does it: $GCTUNE (meson sets it) in a child process, its
 * stdout and stderr in temporary files, read back whole once it has ended.
 */
#ifndef GCT_TEST_RUN_H
#define GCT_TEST_RUN_H

#include <sys/types.h>

typedef struct gct_test_run {
    int status; /* exit status, or 128 + signal */
    char *out, *err;
} gct_test_run;

/* Run gctune with args (NULL-terminated) and wait for it. */
gct_test_run gct_test_gctune(const char *const *args);
/* The two halves, for a test that acts on the process while it runs: start
 * writes its stdout and stderr to the files so and se; finish waits for it,
 * reads them back and removes them. */
pid_t gct_test_gctune_start(const char *const *args, const char *so, const char *se);
gct_test_run gct_test_gctune_finish(pid_t pid, const char *so, const char *se);
void gct_test_run_free(gct_test_run *r);

/* The file at path, whole (malloc'd; "" when it cannot be read). */
char *gct_test_slurp(const char *path);

#endif
