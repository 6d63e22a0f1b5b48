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

char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return strdup("");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strdup(buf);
}

pid_t start(const char *const *args, const char *so, const char *se)
{
    const char *exe = getenv("GCTUNE");
    cr_assert(exe, "GCTUNE is not set (meson sets it)");
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(so, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(se, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        const char *argv[64] = {"gctune"};
        size_t n = 1;
        for (; args[n - 1] && n < 63; n++)
            argv[n] = args[n - 1];
        argv[n] = NULL;
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

out finish(pid_t pid, const char *so, const char *se)
{
    int st;
    waitpid(pid, &st, 0);
    out r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.stdout_text = slurp(so);
    r.stderr_text = slurp(se);
    unlink(so);
    unlink(se);
    return r;
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
    char so[] = "/tmp/gct-cli-out-XXXXXX", se[] = "/tmp/gct-cli-err-XXXXXX";
    close(mkstemp(so));
    close(mkstemp(se));
    return finish(start(args, so, se), so, se);
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
