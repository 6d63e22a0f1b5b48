/* common/cli_common.c — the helpers of the test-cli-*.c programs (what they
 * do: common/cli_common.h). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "format.h"
#include "pauses.h"
#include "record.h"
#include "summary.h"

#include "cli_common.h"
#include "gct_test_run.h"

char *slurp(const char *path) { return gct_test_slurp(path); }

pid_t start(const char *const *args, const char *so, const char *se)
{
    return gct_test_gctune_start(args, so, se);
}

out finish(pid_t pid, const char *so, const char *se)
{
    gct_test_run r = gct_test_gctune_finish(pid, so, se);
    return (out){r.status, r.out, r.err};
}

/* Run gctune with the arguments (NULL-terminated). */
out gctune(const char *first, ...)
{
    const char *args[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    gct_test_run r = gct_test_gctune(args);
    return (out){r.status, r.out, r.err};
}

void free_out(out *o)
{
    free(o->stdout_text);
    free(o->stderr_text);
}

bool exists(const char *path) { return access(path, F_OK) == 0; }

char outdir[128];

void fresh_outdir(void)
{
    snprintf(outdir, sizeof outdir, "/tmp/gct-cli-%d-%ld/out", getpid(), (long)time(NULL));
}

void rm_rf(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    GCT_ASSERT_EQ(system(cmd), 0);
}

json_t *load_json(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    json_error_t je;
    json_t *j = json_load_file(p, 0, &je);
    cr_assert(j, "%s: %s", p, je.text);
    return j;
}

size_t count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s missing", path);
    size_t n = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}
