/* python_workload.c — `-w python:FILE` (python_workload.h). */
#define _GNU_SOURCE
#include "python_workload.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"

typedef struct py_workload {
    gct_workload wl; /* first: &wl is the py_workload */
    char name[80], summary[300];
    char *path, *real;
} py_workload;

static py_workload **made;
static size_t nmade;

/* A model cannot run a Python module (the sweep refuses the pair first;
 * this is for whoever calls the workload directly). */
static int py_setup(gct_workload_run *r, char *err, size_t errlen)
{
    (void)r;
    snprintf(err, errlen, "a Python module runs only on a real interpreter (-c python311, "
                          "python312, python313)");
    return GCT_EINVAL;
}

static void py_op(gct_workload_run *r) { (void)r; }

/* Checked before anything runs, with python3's own parser: the module
 * parses, and defines setup and op at its top level.  "FILE:LINE: why" on
 * stdout and exit 1 otherwise; exit 0 and nothing printed when it is fine.
 * (Without a python3 the check is left to the runner, which fails the
 * configuration with the same words.) */
static const char check_py[] =
    "import ast, sys\n"
    "p = sys.argv[1]\n"
    "try:\n"
    "    t = ast.parse(open(p, 'rb').read(), p)\n"
    "except SyntaxError as e:\n"
    "    print('%s:%s: SyntaxError: %s' % (p, e.lineno or 1, e.msg)); sys.exit(1)\n"
    "names = {n.name for n in t.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}\n"
    "for f in ('setup', 'op'):\n"
    "    if f not in names:\n"
    "        print('%s:1: defines no %s(): a workload module needs setup(params, seed) and "
    "op(state)' % (p, f)); sys.exit(1)\n";

static bool module_ok(const char *path, char *err, size_t errlen)
{
    char cmd[4400];
    if (strchr(path, '\''))
        return true; /* not quotable here: the runner will say */
    snprintf(cmd, sizeof cmd, "python3 -c \"$GCT_CHECK_PY\" '%s' 2>/dev/null", path);
    setenv("GCT_CHECK_PY", check_py, 1);
    FILE *p = popen(cmd, "r");
    if (!p)
        return true;
    char line[600] = "";
    bool said = fgets(line, sizeof line, p) != NULL;
    int st = pclose(p);
    unsetenv("GCT_CHECK_PY");
    line[strcspn(line, "\n")] = 0;
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 1 && said) {
        snprintf(err, errlen, "%s", line);
        return false;
    }
    return true;
}

const gct_workload *gct_python_workload(const char *path, char *err, size_t errlen)
{
    size_t n = strlen(path);
    if (n < 4 || strcmp(path + n - 3, ".py")) {
        snprintf(err, errlen, "python:%s: not a Python module (a .py file)", path);
        return NULL;
    }
    char *real = realpath(path, NULL);
    if (!real || access(real, R_OK) != 0) {
        snprintf(err, errlen, "python:%s: cannot read it", path);
        free(real);
        return NULL;
    }
    if (!module_ok(path, err, errlen)) {
        free(real);
        return NULL;
    }
    char name[80];
    gct_workload_name_from_file(path, "py-", ".py", name, sizeof name);
    for (size_t i = 0; i < nmade; i++) {
        if (strcmp(made[i]->name, name))
            continue;
        if (!strcmp(made[i]->real, real)) {
            free(real);
            return &made[i]->wl;
        }
        snprintf(err, errlen, "python:%s and python:%s would both be the workload %s: rename one",
                 made[i]->path, path, name);
        free(real);
        return NULL;
    }
    py_workload *pw = gct_xcalloc(1, sizeof *pw);
    snprintf(pw->name, sizeof pw->name, "%s", name);
    snprintf(pw->summary, sizeof pw->summary, "the Python module %s, on a real interpreter",
             path);
    pw->path = gct_xstrdup(path);
    pw->real = real; /* the runner imports it by its real path: a sweep's children share it */
    pw->wl = (gct_workload){
        .abi = GCT_WORKLOAD_ABI,
        .name = pw->name,
        .summary = pw->summary,
        .preset_ops = {[GCT_PRESET_QUICK] = 1000, [GCT_PRESET_DEFAULT] = 1000,
                       [GCT_PRESET_FULL] = 1000},
        .setup = py_setup,
        .op = py_op,
    };
    made = gct_xrealloc(made, nmade + 1, sizeof *made);
    made[nmade++] = pw;
    return &pw->wl;
}

const char *gct_python_workload_module(const gct_workload *wl)
{
    for (size_t i = 0; i < nmade; i++)
        if (&made[i]->wl == wl)
            return made[i]->real;
    return NULL;
}
