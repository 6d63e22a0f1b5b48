/* gct_test_run.c — the gctune binary in a child process (gct_test_run.h). */
#include "gct_test_run.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *gct_test_slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return strdup("");
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    cr_assert(buf);
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap) {
            buf = realloc(buf, cap *= 2);
            cr_assert(buf);
        }
    }
    fclose(f);
    buf[n] = 0;
    return buf;
}

pid_t gct_test_gctune_start(const char *const *args, const char *so, const char *se)
{
    const char *exe = getenv("GCTUNE");
    cr_assert(exe, "GCTUNE is not set (meson sets it)");
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork failed");
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

gct_test_run gct_test_gctune_finish(pid_t pid, const char *so, const char *se)
{
    int st;
    cr_assert(waitpid(pid, &st, 0) == pid, "waitpid failed");
    gct_test_run r = {WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), gct_test_slurp(so),
                      gct_test_slurp(se)};
    unlink(so);
    unlink(se);
    return r;
}

gct_test_run gct_test_gctune(const char *const *args)
{
    char so[] = "/tmp/gct-test-out-XXXXXX", se[] = "/tmp/gct-test-err-XXXXXX";
    int fo = mkstemp(so), fe = mkstemp(se);
    cr_assert(fo >= 0 && fe >= 0, "cannot make temporary files");
    close(fo);
    close(fe);
    return gct_test_gctune_finish(gct_test_gctune_start(args, so, se), so, se);
}

void gct_test_run_free(gct_test_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
