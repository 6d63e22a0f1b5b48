/* python_workload.c — `-w python:FILE` (python_workload.h). */
#define _GNU_SOURCE
#include "python_workload.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "alloc.h"
#include "build_info.h"

typedef struct py_workload {
    gct_workload wl; /* first: &wl is the py_workload */
    char name[80], summary[300];
    char *path, *real;
    gct_param params[GCT_WL_MAX_PARAMS]; /* from the module's PARAMS */
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
 * parses, defines setup and op at its top level, and its PARAMS (if any)
 * is a literal dict of int, float, bool, str or choice (a tuple of
 * strings) values, and its OPS (if any) an int >= 1.  "FILE:LINE: why" on
 * stdout and exit 1 otherwise; else exit 0 and one JSON line: {"params":
 * [[name, kind, default, choices], ...], "ops": OPS or 0}, the parameters a
 * sweep can set (a plain str keeps its default: not listed).
 * (Without a python3 the check is left to the runner, which fails the
 * configuration with the same words, and the module has no parameters.) */
static const char check_py[] =
    "import ast, json, sys\n"
    "p = sys.argv[1]\n"
    "def bad(line, why):\n"
    "    print('%s:%s: %s' % (p, line, why)); sys.exit(1)\n"
    "try:\n"
    "    t = ast.parse(open(p, 'rb').read(), p)\n"
    "except SyntaxError as e:\n"
    "    bad(e.lineno or 1, 'SyntaxError: ' + e.msg)\n"
    "names = {n.name for n in t.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}\n"
    "for f in ('setup', 'op'):\n"
    "    if f not in names:\n"
    "        bad(1, 'defines no %s(): a workload module needs setup(params, seed) and op(state)' % f)\n"
    "params, line, ops = {}, 1, 0\n"
    "for n in t.body:\n"
    "    tg = n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(n, ast.AnnAssign) else []\n"
    "    for name in ('PARAMS', 'OPS'):\n"
    "        if not any(isinstance(x, ast.Name) and x.id == name for x in tg) or n.value is None:\n"
    "            continue\n"
    "        try:\n"
    "            v = ast.literal_eval(n.value)\n"
    "        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):\n"
    "            bad(n.lineno, '%s is not a literal (gctune reads it without running the module)' % name)\n"
    "        if name == 'OPS':\n"
    "            if type(v) is not int or v < 1:\n"
    "                bad(n.lineno, 'OPS = %r: the operations of a run are an int >= 1' % (v,))\n"
    "            ops = v\n"
    "        else:\n"
    "            params, line = v, n.lineno\n"
    "if not isinstance(params, dict):\n"
    "    bad(line, 'PARAMS is a %s, not a dict' % type(params).__name__)\n"
    "out = []\n"
    "for k, v in params.items():\n"
    "    if not isinstance(k, str) or not k.isidentifier():\n"
    "        bad(line, 'PARAMS: %r is not a parameter name (an identifier)' % (k,))\n"
    "    if isinstance(v, bool):\n"
    "        out.append([k, 'choice', int(v), ['false', 'true']])\n"
    "    elif isinstance(v, int):\n"
    "        out.append([k, 'int', v, None])\n"
    "    elif isinstance(v, float):\n"
    "        out.append([k, 'real', v, None])\n"
    "    elif isinstance(v, tuple) and v and all(isinstance(c, str) for c in v):\n"
    "        for c in v:\n"
    "            if not c or any(x in c for x in ',;= \\t\\n') or len(set(v)) != len(v):\n"
    "                bad(line, 'PARAMS[%r]: the choice %r is empty, repeated or holds a comma, "
    "semicolon, = or space (a sweep lists choices as a,b)' % (k, c))\n"
    "        out.append([k, 'choice', 0, list(v)])\n"
    "    elif not isinstance(v, str):\n"
    "        bad(line, 'PARAMS[%r] = %r: a value is an int, float, bool, str or a tuple of strings "
    "(a choice, the first the default)' % (k, v))\n"
    "if len(out) > int(sys.argv[2]):\n"
    "    bad(line, 'PARAMS has %d parameters; gctune sweeps at most %s' % (len(out), sys.argv[2]))\n"
    "print(json.dumps({'params': out, 'ops': ops}))\n";

/* The parameters' table and the operations of a run (OPS, 0 if not
 * given) from the checker's JSON line (false: not one). */
static bool read_params(py_workload *pw, const char *line, int64_t *ops)
{
    json_t *top = json_loads(line, 0, NULL), *a = json_object_get(top, "params");
    if (!json_is_array(a)) {
        json_decref(top);
        return false;
    }
    *ops = json_integer_value(json_object_get(top, "ops"));
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        if (i >= GCT_WL_MAX_PARAMS)
            break;
        gct_param *q = &pw->params[pw->wl.nparams];
        const char *kind = json_string_value(json_array_get(e, 1));
        json_t *def = json_array_get(e, 2), *ch = json_array_get(e, 3);
        if (!json_is_string(json_array_get(e, 0)) || !kind || !json_is_number(def))
            continue;
        q->name = gct_xstrdup(json_string_value(json_array_get(e, 0)));
        q->help = "the module's PARAMS";
        q->def = json_number_value(def);
        if (!strcmp(kind, "choice") && json_is_array(ch)) {
            const char **names = gct_xcalloc(json_array_size(ch) + 1, sizeof *names);
            for (size_t k = 0; k < json_array_size(ch); k++)
                names[k] = gct_xstrdup(json_string_value(json_array_get(ch, k)));
            q->kind = GCT_PARAM_CHOICE;
            q->choices = names;
        } else {
            /* Any value the interpreter takes: integers exactly (2^53). */
            q->kind = strcmp(kind, "int") ? GCT_PARAM_REAL : GCT_PARAM_INT;
            q->min = -9007199254740992.0;
            q->max = 9007199254740992.0;
            if (q->def < q->min || q->def > q->max)
                continue;
        }
        pw->wl.nparams++;
    }
    json_decref(top);
    pw->wl.params = pw->params;
    return true;
}

/* Check the module (check_py) and read its PARAMS into pw. */
static bool module_ok(const char *path, py_workload *pw, int64_t *ops, char *err, size_t errlen)
{
    char cmd[4400];
    if (strchr(path, '\''))
        return true; /* not quotable here: the runner will say */
    snprintf(cmd, sizeof cmd, "python3 -c \"$GCT_CHECK_PY\" '%s' %d 2>/dev/null", path,
             GCT_WL_MAX_PARAMS);
    setenv("GCT_CHECK_PY", check_py, 1);
    FILE *p = popen(cmd, "r");
    if (!p)
        return true;
    char line[8192] = "";
    bool said = fgets(line, sizeof line, p) != NULL;
    int st = pclose(p);
    unsetenv("GCT_CHECK_PY");
    line[strcspn(line, "\n")] = 0;
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 1 && said) {
        snprintf(err, errlen, "%s", line);
        return false;
    }
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 && said)
        read_params(pw, line, ops);
    return true;
}

/* The first paragraph of the module's docstring, without its "NAME.py --"
 * lead, into buf (one line); false if the file opens with none. */
static bool docstring_summary(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char text[2048];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    char *p = text;
    while (*p == '#') /* a shebang or comments first */
        p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
    if (strncmp(p, "\"\"\"", 3))
        return false;
    p += 3;
    char *end = strstr(p, "\n\n"), *close = strstr(p, "\"\"\"");
    if (!end || (close && close < end))
        end = close;
    if (!end)
        return false;
    *end = 0;
    char *lead = strstr(p, " -- ");
    if (lead && lead < p + 60)
        p = lead + 4;
    size_t k = 0;
    for (; *p && k + 1 < len; p++) {
        if (*p == '\n') {
            while (p[1] == ' ')
                p++;
            buf[k++] = ' ';
        } else {
            buf[k++] = *p;
        }
    }
    buf[k] = 0;
    return k > 0;
}

size_t gct_python_shipped(char (*names)[64], size_t max)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/python/workloads", GCT_SOURCE_ROOT);
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *de; d && (de = readdir(d));) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '_' || l < 4 || l - 3 >= 64 || strcmp(de->d_name + l - 3, ".py"))
            continue;
        if (n < max)
            snprintf(names[n], 64, "%.*s", (int)(l - 3), de->d_name);
        n++;
    }
    if (d)
        closedir(d);
    if (n > max)
        n = max;
    qsort(names, n, sizeof *names, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* python:NAME (no '/', no ".py"): the module shipped as python/workloads/NAME.py. */
static bool shipped(const char *name, char *buf, size_t len)
{
    if (strchr(name, '/') || strstr(name, ".py") || !*name || name[0] == '_')
        return false;
    snprintf(buf, len, "%s/python/workloads/%s.py", GCT_SOURCE_ROOT, name);
    return access(buf, R_OK) == 0;
}

const gct_workload *gct_python_workload(const char *path, char *err, size_t errlen)
{
    char own[4200];
    if (shipped(path, own, sizeof own))
        path = own;
    size_t n = strlen(path);
    if (n < 4 || strcmp(path + n - 3, ".py")) {
        snprintf(err, errlen, "python:%s: not a Python module (a .py file, or the name of one "
                              "in python/workloads/)", path);
        return NULL;
    }
    char *real = realpath(path, NULL);
    if (!real || access(real, R_OK) != 0) {
        snprintf(err, errlen, "python:%s: cannot read it", path);
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
    int64_t ops = 0;
    if (!module_ok(path, pw, &ops, err, errlen)) {
        free(real);
        free(pw);
        return NULL;
    }
    snprintf(pw->name, sizeof pw->name, "%s", name);
    if (!docstring_summary(path, pw->summary, sizeof pw->summary))
        snprintf(pw->summary, sizeof pw->summary, "the Python module %s, on a real interpreter",
                 path);
    pw->path = gct_xstrdup(path);
    pw->real = real; /* the runner imports it by its real path: a sweep's children share it */
    uint32_t nparams = pw->wl.nparams; /* read by module_ok */
    pw->wl = (gct_workload){
        .abi = GCT_WORKLOAD_ABI,
        .name = pw->name,
        .summary = pw->summary,
        .params = pw->params,
        .nparams = nparams,
        .preset_ops = {[GCT_PRESET_QUICK] = ops ? ops : 1000,
                       [GCT_PRESET_DEFAULT] = ops ? ops : 1000,
                       [GCT_PRESET_FULL] = ops ? ops : 1000},
        .setup = py_setup,
        .op = py_op,
    };
    made = gct_xrealloc(made, nmade + 1, sizeof *made);
    made[nmade++] = pw;
    return &pw->wl;
}

const gct_workload *gct_python_workload_find(const char *name)
{
    for (size_t i = 0; i < nmade; i++)
        if (!strcmp(made[i]->name, name))
            return &made[i]->wl;
    return NULL;
}

const char *gct_python_workload_module(const gct_workload *wl)
{
    for (size_t i = 0; i < nmade; i++)
        if (&made[i]->wl == wl)
            return made[i]->real;
    return NULL;
}
