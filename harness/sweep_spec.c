/* sweep_spec.c — sweep specs, lists and ranges, sweep files, expansion. */
#define _GNU_SOURCE
#include "sweep_spec.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "python_workload.h"
#include "trace_workload.h"

#define MAX_VALUES 256

void gct_sweep_spec_init(gct_sweep_spec *s)
{
    memset(s, 0, sizeof *s);
    s->ops = 10000;
    s->reps = 5;
    s->seed = 1;
    s->jobs = 1;
    char err[200];
    if (gct_sweep_spec_apply_preset(s, "default", err, sizeof err)) {
        fprintf(stderr, "gctune: %s\n", err); /* a workload's table is incomplete */
        abort();
    }
}

static gct_sweep_spec_list *find_list(gct_sweep_spec_list *lists, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(lists[i].name, name))
            return &lists[i];
    return NULL;
}

static int set_list(gct_sweep_spec_list *lists, size_t *n, const char *what, const char *name,
                    const char *text, const char *origin, char *err, size_t errlen)
{
    gct_sweep_spec_list *l = find_list(lists, *n, name);
    if (!l) {
        if (*n == GCT_SWEEP_SPEC_MAX_LISTS) {
            snprintf(err, errlen, "%s: too many %s lists (at most %d)", origin, what,
                     GCT_SWEEP_SPEC_MAX_LISTS);
            return -1;
        }
        l = &lists[(*n)++];
    }
    if (snprintf(l->name, sizeof l->name, "%s", name) >= (int)sizeof l->name ||
        snprintf(l->text, sizeof l->text, "%s", text) >= (int)sizeof l->text) {
        snprintf(err, errlen, "%s: %s '%s' is too long", origin, what, name);
        return -1;
    }
    snprintf(l->origin, sizeof l->origin, "%s", origin);
    return 0;
}

/* A bare list the user gives ("gen0") replaces the preset's lists for that
 * knob of one collector ("marksweep.gen0"): asking for gen0=50,200 means
 * every collector that has a gen0. */
static void drop_preset_qualified(gct_sweep_spec_list *lists, size_t *n, const char *name)
{
    if (strchr(name, '.'))
        return;
    for (size_t i = 0; i < *n;) {
        const char *dot = strchr(lists[i].name, '.');
        if (dot && !strcmp(dot + 1, name) && !strncmp(lists[i].origin, "--preset", 8)) {
            lists[i] = lists[--*n];
            continue;
        }
        i++;
    }
}

int gct_sweep_spec_set_knob(gct_sweep_spec *s, const char *name, const char *text,
                            const char *origin, char *err, size_t errlen)
{
    if (strncmp(origin, "--preset", 8) != 0)
        drop_preset_qualified(s->knobs, &s->nknobs, name);
    return set_list(s->knobs, &s->nknobs, "knob", name, text, origin, err, errlen);
}

int gct_sweep_spec_set_param(gct_sweep_spec *s, const char *name, const char *text,
                             const char *origin, char *err, size_t errlen)
{
    return set_list(s->params, &s->nparams, "parameter", name, text, origin, err, errlen);
}

int gct_sweep_spec_set_ops(gct_sweep_spec *s, const char *workload, int64_t ops)
{
    if (!workload) {
        s->ops = ops;
        s->nops_for = 0;
        s->ops_given = true;
        return 0;
    }
    for (size_t i = 0; i < s->nops_for; i++) {
        if (!strcmp(s->ops_for[i].workload, workload)) {
            s->ops_for[i].ops = ops;
            return 0;
        }
    }
    if (s->nops_for == sizeof s->ops_for / sizeof s->ops_for[0])
        return -1;
    snprintf(s->ops_for[s->nops_for].workload, sizeof s->ops_for[0].workload, "%s", workload);
    s->ops_for[s->nops_for++].ops = ops;
    return 0;
}

int64_t gct_sweep_spec_ops(const gct_sweep_spec *s, const char *workload)
{
    for (size_t i = 0; i < s->nops_for; i++)
        if (!strcmp(s->ops_for[i].workload, workload))
            return s->ops_for[i].ops;
    return s->ops;
}

/*
 * The presets.  quick: under a minute on 2 cores, one process at a time
 * (150 processes).  default: every workload over a real grid (about 1,250
 * processes, each under a second on 2 cores).  full: a finer
 * grid and more repetitions, for a big machine.  marksweep gets its own gen0
 * list: it traces the whole heap at every collection, so a gen0 of 100 would
 * make a run quadratic in the live heap.  The operations per repetition are
 * each workload's own (gct_workload.preset_ops, in its table).
 */
static const struct preset {
    gct_preset id;
    const char *workloads, *gen0, *gen1, *gen2, *ms_gen0;
    int reps;
} presets[] = {
    {GCT_PRESET_QUICK, "trees,dlist,cache", "100,700,10000", "10,100", "10", "10000,100000", 5},
    {GCT_PRESET_DEFAULT, "", "100,700,1000,10000,100000", "2,10,100", "2,10,100",
     "10000,100000,1000000", 5},
    {GCT_PRESET_FULL, "", "100..100000x3", "2..100x2", "2..100x3", "1000..1000000x3", 10},
};

static const struct preset *find_preset(const char *name)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (!strcmp(gct_preset_names[presets[i].id], name))
            return &presets[i];
    return NULL;
}

/* Every registered workload's count for preset p, as per-workload ops. */
static int set_preset_ops(gct_sweep_spec *s, const struct preset *p, char *err, size_t errlen)
{
    gct_sweep_spec_set_ops(s, NULL, 10000);
    s->ops_given = false;
    for (size_t w = 0; w < gct_workload_count(); w++) {
        const gct_workload *wl = gct_workload_at(w);
        if (wl->preset_ops[p->id] < 1) {
            snprintf(err, errlen,
                     "workload '%s' has no operation count for the preset '%s' (.preset_ops in "
                     "its table)",
                     wl->name, gct_preset_names[p->id]);
            return -1;
        }
        if (gct_sweep_spec_set_ops(s, wl->name, wl->preset_ops[p->id])) {
            snprintf(err, errlen, "more workloads than per-workload operation counts");
            return -1;
        }
    }
    return 0;
}

int gct_sweep_spec_apply_preset(gct_sweep_spec *s, const char *name, char *err, size_t errlen)
{
    const struct preset *p = find_preset(name);
    if (!p) {
        char names[100] = "";
        size_t used = 0;
        for (size_t i = 0; i < sizeof presets / sizeof presets[0] && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     gct_preset_names[presets[i].id]);
        snprintf(err, errlen, "unknown preset '%s' (presets: %s)", name, names);
        return -1;
    }
    char origin[64];
    snprintf(origin, sizeof origin, "--preset %s", name);
    snprintf(s->preset, sizeof s->preset, "%s", name);
    /* The three model collectors; the embedded cpython backend is for
     * validation and joins a sweep only when asked for (-c). */
    snprintf(s->collectors, sizeof s->collectors, "refcount,gencycle,marksweep");
    snprintf(s->collectors_origin, sizeof s->collectors_origin, "%s", origin);
    snprintf(s->workloads, sizeof s->workloads, "%s", p->workloads);
    snprintf(s->workloads_origin, sizeof s->workloads_origin, "%s", origin);
    s->nknobs = 0;
    s->nparams = 0;
    gct_sweep_spec_set_knob(s, "gen0", p->gen0, origin, err, errlen);
    gct_sweep_spec_set_knob(s, "gen1", p->gen1, origin, err, errlen);
    gct_sweep_spec_set_knob(s, "gen2", p->gen2, origin, err, errlen);
    gct_sweep_spec_set_knob(s, "marksweep.gen0", p->ms_gen0, origin, err, errlen);
    s->reps = p->reps;
    return set_preset_ops(s, p, err, errlen);
}

/* ---- lists --------------------------------------------------------------- */

/* "700", "10k", "2M", "1G": number.h's grammar, the command line's too. */
static bool parse_scaled(const char *s, size_t len, int64_t *out)
{
    return gct_number_parse(s, len, GCT_NUMBER_COUNT, out);
}

static int push_value(int64_t *out, size_t max, size_t *n, int64_t v, const char *item, char *err,
                      size_t errlen)
{
    for (size_t i = 0; i < *n; i++)
        if (out[i] == v)
            return 0;
    if (*n == max) {
        snprintf(err, errlen, "'%s' gives more than %zu values", item, max);
        return -1;
    }
    out[(*n)++] = v;
    return 0;
}

/* A range's step or factor: decimal digits with at most one point ("3",
 * "1.5"), no sign, exponent or spaces (number.h's rule for numbers). */
static bool parse_step(const char *s, size_t len, double *out)
{
    char buf[32];
    size_t digits = 0, points = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] != '.' || points++)
            return false;
    }
    if (!digits || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    *out = strtod(buf, NULL);
    return isfinite(*out);
}

/* One range item "a..bxF" or "a..b+S" (dots points at the ".."). */
static int push_range(const char *p, size_t len, const char *dots, const char *item, int64_t *out,
                      size_t max, size_t *n, char *err, size_t errlen)
{
    const char *rest = dots + 2, *stop = p + len;
    const char *op = rest;
    while (op < stop && *op != 'x' && *op != '+')
        op++;
    int64_t a, b;
    if (!parse_scaled(p, (size_t)(dots - p), &a) || !parse_scaled(rest, (size_t)(op - rest), &b) ||
        op == stop) {
        snprintf(err, errlen,
                 "'%s' is not a range: write a..bxF (geometric) or a..b+S (arithmetic)", item);
        return -1;
    }
    double step;
    if (!parse_step(op + 1, (size_t)(stop - op - 1), &step)) {
        snprintf(err, errlen, "'%s': the step '%.*s' is not a number", item,
                 (int)(stop - op - 1 < 30 ? stop - op - 1 : 30), op + 1);
        return -1;
    }
    if (a > b) {
        snprintf(err, errlen, "'%s': the range runs backwards", item);
        return -1;
    }
    if (*op == 'x') {
        if (step <= 1 || a <= 0) {
            snprintf(err, errlen,
                     "'%s': a geometric range needs a start above 0 and a factor above 1", item);
            return -1;
        }
        for (double v = (double)a; v < (double)b * (1 - 1e-9); v *= step)
            if (push_value(out, max, n, (int64_t)llround(v), item, err, errlen))
                return -1;
    } else {
        if (step <= 0 || step != floor(step)) {
            snprintf(err, errlen, "'%s': an arithmetic step must be a whole number above 0", item);
            return -1;
        }
        for (int64_t v = a; v < b; v += (int64_t)step)
            if (push_value(out, max, n, v, item, err, errlen))
                return -1;
    }
    return push_value(out, max, n, b, item, err, errlen);
}

/* The next comma-separated item of *p, trimmed of spaces and tabs: its start
 * in *item and length in *len; *p moves past it (NULL after the last). */
static void next_item(const char **p, const char **item, size_t *len)
{
    const char *s = *p, *comma = strchr(s, ',');
    size_t l = comma ? (size_t)(comma - s) : strlen(s);
    while (l && (*s == ' ' || *s == '\t'))
        s++, l--;
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
        l--;
    *item = s;
    *len = l;
    *p = comma ? comma + 1 : NULL;
}

/* next_item, copied into buf (cut to fit). */
static void next_copy(const char **p, char *buf, size_t size)
{
    const char *item;
    size_t len;
    next_item(p, &item, &len);
    snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), item);
}

int gct_int_list_parse(const char *text, int64_t *out, size_t max, size_t *n, char *err,
                       size_t errlen)
{
    *n = 0;
    for (const char *p = text; p;) {
        const char *s;
        size_t len;
        next_item(&p, &s, &len);
        char item[128];
        snprintf(item, sizeof item, "%.*s", (int)(len < 120 ? len : 120), s);
        const char *dots = memmem(s, len, "..", 2);
        int64_t v;
        if (len == 0) {
            snprintf(err, errlen, "empty item in list '%s'", text);
            return -1;
        } else if (dots) {
            if (push_range(s, len, dots, item, out, max, n, err, errlen))
                return -1;
        } else if (!parse_scaled(s, len, &v)) {
            snprintf(err, errlen, "'%s' is not a whole number", item);
            return -1;
        } else if (push_value(out, max, n, v, item, err, errlen)) {
            return -1;
        }
    }
    return 0;
}

/* ---- sweep files --------------------------------------------------------- */

typedef struct ini_ctx {
    gct_sweep_spec *s;
    const char *path;
    char msg[400];
} ini_ctx;

/* The whole-number keys of [sweep], with the bounds the command line keeps. */
static const struct number_key {
    const char *name;
    int64_t min, max;
} number_keys[] = {
    {"ops", 1, GCT_SWEEP_SPEC_MAX_OPS},
    {"reps", 1, GCT_SWEEP_SPEC_MAX_REPS},
    {"seed", 0, INT64_MAX},
    {"jobs", 1, GCT_SWEEP_SPEC_MAX_JOBS},
};

static bool set_number_key(ini_ctx *c, const struct number_key *k, const char *value)
{
    int64_t v;
    if (!parse_scaled(value, strlen(value), &v) || v < k->min) {
        snprintf(c->msg, sizeof c->msg, "%s = '%s' is not a whole number%s", k->name, value,
                 k->min ? " above 0" : "");
        return false;
    }
    if (v > k->max) {
        snprintf(c->msg, sizeof c->msg, "%s = '%s' is more than %" PRId64, k->name, value, k->max);
        return false;
    }
    gct_sweep_spec *s = c->s;
    if (!strcmp(k->name, "ops"))
        gct_sweep_spec_set_ops(s, NULL, v);
    else if (!strcmp(k->name, "reps"))
        s->reps = (int)v;
    else if (!strcmp(k->name, "seed"))
        s->seed = (uint64_t)v;
    else
        s->jobs = (int)v;
    return true;
}

static bool sweep_entry(ini_ctx *c, const char *name, const char *value, const char *origin)
{
    gct_sweep_spec *s = c->s;
    if (!strcmp(name, "collectors")) {
        snprintf(s->collectors, sizeof s->collectors, "%s", value);
        snprintf(s->collectors_origin, sizeof s->collectors_origin, "%s", origin);
        return true;
    }
    if (!strcmp(name, "workloads")) {
        snprintf(s->workloads, sizeof s->workloads, "%s", value);
        snprintf(s->workloads_origin, sizeof s->workloads_origin, "%s", origin);
        return true;
    }
    if (!strcmp(name, "preset"))
        return gct_sweep_spec_apply_preset(s, value, c->msg, sizeof c->msg) == 0;
    for (size_t i = 0; i < sizeof number_keys / sizeof number_keys[0]; i++)
        if (!strcmp(name, number_keys[i].name))
            return set_number_key(c, &number_keys[i], value);
    snprintf(c->msg, sizeof c->msg,
             "unknown key '%s' in [sweep] (keys: collectors, workloads, preset, ops, reps, seed, "
             "jobs)",
             name);
    return false;
}

static bool ops_entry(ini_ctx *c, const char *name, const char *value, const char *origin)
{
    (void)origin;
    int64_t v;
    if (!parse_scaled(value, strlen(value), &v) || v < 1) {
        snprintf(c->msg, sizeof c->msg, "ops for %s: '%s' is not a whole number above 0", name,
                 value);
        return false;
    }
    if (v > GCT_SWEEP_SPEC_MAX_OPS) {
        snprintf(c->msg, sizeof c->msg, "ops for %s: '%s' is more than %" PRId64, name, value,
                 GCT_SWEEP_SPEC_MAX_OPS);
        return false;
    }
    if (gct_sweep_spec_set_ops(c->s, name, v)) {
        snprintf(c->msg, sizeof c->msg, "too many [ops] entries");
        return false;
    }
    return true;
}

static bool knobs_entry(ini_ctx *c, const char *name, const char *value, const char *origin)
{
    return gct_sweep_spec_set_knob(c->s, name, value, origin, c->msg, sizeof c->msg) == 0;
}

static bool params_entry(ini_ctx *c, const char *name, const char *value, const char *origin)
{
    return gct_sweep_spec_set_param(c->s, name, value, origin, c->msg, sizeof c->msg) == 0;
}

static int on_ini_entry(void *user, const char *section, const char *name, const char *value)
{
    static const struct {
        const char *name;
        bool (*entry)(ini_ctx *c, const char *name, const char *value, const char *origin);
    } sections[] = {
        {"sweep", sweep_entry},
        {"ops", ops_entry},
        {"knobs", knobs_entry},
        {"params", params_entry},
    };
    ini_ctx *c = user;
    char origin[300];
    snprintf(origin, sizeof origin, "%s [%s] %s", c->path, section, name);
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (!strcmp(section, sections[i].name))
            return sections[i].entry(c, name, value, origin);
    snprintf(c->msg, sizeof c->msg, "unknown section [%s] (sections: sweep, ops, knobs, params)",
             section);
    return 0;
}

int gct_sweep_spec_read_file(gct_sweep_spec *s, const char *path, char *err, size_t errlen)
{
    ini_ctx c = {s, path, ""};
    int line = ini_parse(path, on_ini_entry, &c);
    if (line == -1) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (line != 0) {
        snprintf(err, errlen, "%s:%d: %s", path, line, c.msg[0] ? c.msg : "not a valid INI line");
        return -1;
    }
    return 0;
}

/* ---- expansion ----------------------------------------------------------- */

/* The list for `name` of owner (a collector or workload name): the qualified
 * "owner.name" list first, then the bare one; NULL if neither. */
static const gct_sweep_spec_list *list_for(const gct_sweep_spec_list *lists, size_t n,
                                           const char *owner, const char *name)
{
    char q[160];
    snprintf(q, sizeof q, "%s.%s", owner, name);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(lists[i].name, q))
            return &lists[i];
    for (size_t i = 0; i < n; i++)
        if (!strcmp(lists[i].name, name))
            return &lists[i];
    return NULL;
}

/* Is the list named `list` one for `name` of owner ("gen0" or "gencycle.gen0")? */
static bool list_names(const char *list, const char *owner, const char *name)
{
    size_t n = strlen(owner);
    return !strcmp(list, name) || (!strncmp(list, owner, n) && list[n] == '.' &&
                                   !strcmp(list + n + 1, name));
}

typedef struct growing {
    gct_config *v;
    size_t n, cap;
} growing;

static void push_config(growing *g, const gct_config *c)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->v = realloc(g->v, g->cap * sizeof *g->v);
        if (!g->v) {
            fputs("gctune: out of memory\n", stderr);
            abort();
        }
    }
    g->v[g->n++] = *c;
}

/* What a sweep varies for one collector and one workload: the values of
 * every knob and parameter, as numbers, and where the parameters' came from
 * (NULL: the default). */
typedef struct axes {
    int64_t knob[GCT_MAX_KNOBS][MAX_VALUES];
    size_t nknob[GCT_MAX_KNOBS];
    double param[GCT_WL_MAX_PARAMS][MAX_VALUES];
    size_t nparam[GCT_WL_MAX_PARAMS];
    const char *param_origin[GCT_WL_MAX_PARAMS];
} axes;

/* The values of every knob of collector col, each checked against its range. */
static int knob_axes(const gct_sweep_spec *s, const gct_collector *col, axes *ax, char *err,
                     size_t errlen)
{
    for (uint32_t k = 0; k < col->nknobs; k++) {
        const gct_knob *kn = &col->knobs[k];
        const gct_sweep_spec_list *l = list_for(s->knobs, s->nknobs, col->name, kn->name);
        if (!l) {
            ax->knob[k][0] = kn->def;
            ax->nknob[k] = 1;
            continue;
        }
        char e[300];
        if (gct_int_list_parse(l->text, ax->knob[k], MAX_VALUES, &ax->nknob[k], e, sizeof e)) {
            snprintf(err, errlen, "%s: %s", l->origin, e);
            return -1;
        }
        for (size_t i = 0; i < ax->nknob[k]; i++) {
            if (ax->knob[k][i] < kn->min || ax->knob[k][i] > kn->max) {
                snprintf(err, errlen,
                         "%s: %s=%" PRId64 " is out of range for %s (%" PRId64 "..%" PRId64 ")",
                         l->origin, kn->name, ax->knob[k][i], col->name, kn->min, kn->max);
                return -1;
            }
        }
    }
    return 0;
}

/* The values of one parameter from the user's list, each checked against the
 * parameter's type and range: an integer takes lists and ranges
 * (gct_int_list_parse), a number or a choice comma-separated items. */
static int param_values(const gct_param *p, const char *text, double *out, size_t *n, char *err,
                        size_t errlen)
{
    *n = 0;
    if (p->kind == GCT_PARAM_INT) {
        int64_t iv[MAX_VALUES];
        if (gct_int_list_parse(text, iv, MAX_VALUES, n, err, errlen))
            return -1;
        for (size_t i = 0; i < *n; i++) {
            out[i] = (double)iv[i];
            if (!gct_param_check(p, out[i], err, errlen))
                return -1;
        }
        return 0;
    }
    for (const char *at = text; at && *at && *n < MAX_VALUES;) {
        char one[64];
        next_copy(&at, one, sizeof one);
        if (!gct_param_parse(p, one, &out[*n], err, errlen))
            return -1;
        (*n)++;
    }
    return 0;
}

/* The values of every parameter of workload wl. */
static int param_axes(const gct_sweep_spec *s, const gct_workload *wl, axes *ax, char *err,
                      size_t errlen)
{
    for (uint32_t k = 0; k < wl->nparams; k++) {
        const gct_param *p = &wl->params[k];
        const gct_sweep_spec_list *l = list_for(s->params, s->nparams, wl->name, p->name);
        ax->param_origin[k] = l ? l->origin : NULL;
        if (!l) {
            ax->param[k][0] = p->def;
            ax->nparam[k] = 1;
            continue;
        }
        char e[300];
        if (param_values(p, l->text, ax->param[k], &ax->nparam[k], e, sizeof e)) {
            snprintf(err, errlen, "%s: %s", l->origin, e);
            return -1;
        }
    }
    return 0;
}

/* Every spec list must be used by some selected collector or workload. */
static int check_lists_used(const gct_sweep_spec *s, const gct_collector *const *cols, size_t nc,
                            const gct_workload *const *wls, size_t nw, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->nknobs; i++) {
        bool used = false;
        for (size_t c = 0; c < nc && !used; c++)
            for (uint32_t k = 0; k < cols[c]->nknobs && !used; k++)
                used = list_names(s->knobs[i].name, cols[c]->name, cols[c]->knobs[k].name);
        /* Preset lists for collectors that were not selected are fine. */
        if (!used && strncmp(s->knobs[i].origin, "--preset", 8) != 0) {
            snprintf(err, errlen, "%s: no selected collector has a knob '%s'", s->knobs[i].origin,
                     s->knobs[i].name);
            return -1;
        }
    }
    for (size_t i = 0; i < s->nparams; i++) {
        bool used = false;
        for (size_t w = 0; w < nw && !used; w++)
            for (uint32_t k = 0; k < wls[w]->nparams && !used; k++)
                used = list_names(s->params[i].name, wls[w]->name, wls[w]->params[k].name);
        if (!used) {
            snprintf(err, errlen, "%s: no selected workload has a parameter '%s'",
                     s->params[i].origin, s->params[i].name);
            return -1;
        }
    }
    return 0;
}

/* A registry (collectors or workloads) as the selection sees it. */
typedef struct registry {
    const char *what, *flag; /* "collector", "-c" */
    size_t (*count)(void);
    const void *(*at)(size_t i);
    const void *(*find)(const char *name);
    void (*names)(char *buf, size_t len);
} registry;

static const void *collector_at(size_t i) { return gct_collector_at(i); }
static const void *collector_find(const char *name) { return gct_collector_find(name); }
static const void *workload_at(size_t i) { return gct_workload_at(i); }
static const void *workload_find(const char *name) { return gct_workload_find(name); }

static const registry collectors = {"collector", "-c", gct_collector_count, collector_at,
                                    collector_find, gct_collector_names};
static const registry workloads = {"workload", "-w", gct_workload_count, workload_at,
                                   workload_find, gct_workload_names};

/* The entries a comma list names, each once, in order; every entry when the
 * list is empty.  -1 with a message naming an unknown name and its origin. */
static int select_from(const registry *r, const char *list, const char *origin,
                       const void **out, size_t max, size_t *n, char *err, size_t errlen)
{
    *n = 0;
    if (!list[0]) {
        for (size_t i = 0; i < r->count() && *n < max; i++)
            out[(*n)++] = r->at(i);
        return 0;
    }
    for (const char *at = list; at && *at && *n < max;) {
        char name[512];
        next_copy(&at, name, sizeof name);
        const void *e = r->find(name);
        size_t tl = strlen(GCT_TRACE_WORKLOAD_PREFIX);
        if (!e && r == &workloads && !strncmp(name, GCT_TRACE_WORKLOAD_PREFIX, tl)) {
            char why[600];
            if (!(e = gct_trace_workload(name + tl, why, sizeof why))) {
                snprintf(err, errlen, "%s: %s", origin[0] ? origin : r->flag, why);
                return -1;
            }
        }
        size_t pl = strlen(GCT_PYTHON_WORKLOAD_PREFIX);
        if (!e && r == &workloads && !strncmp(name, GCT_PYTHON_WORKLOAD_PREFIX, pl)) {
            char why[600];
            if (!(e = gct_python_workload(name + pl, why, sizeof why))) {
                snprintf(err, errlen, "%s: %s", origin[0] ? origin : r->flag, why);
                return -1;
            }
        }
        if (!e) {
            char names[200];
            r->names(names, sizeof names);
            snprintf(err, errlen, "%s: unknown %s '%s' (known: %s)", origin[0] ? origin : r->flag,
                     r->what, name, names);
            return -1;
        }
        bool seen = false;
        for (size_t i = 0; i < *n && !seen; i++)
            seen = out[i] == e;
        if (!seen)
            out[(*n)++] = e;
    }
    return 0;
}

/* The counts are positive and every per-workload count names a workload (a
 * registered one, or a trace the sweep runs). */
static int check_counts(const gct_sweep_spec *s, char *err, size_t errlen)
{
    if (s->ops < 1 || s->reps < 1) {
        snprintf(err, errlen, "ops and reps must be at least 1 (ops %" PRId64 ", reps %d)", s->ops,
                 s->reps);
        return -1;
    }
    for (size_t i = 0; i < s->nops_for; i++) {
        if (!gct_workload_find(s->ops_for[i].workload) &&
            !gct_trace_workload_find(s->ops_for[i].workload) &&
            !gct_python_workload_find(s->ops_for[i].workload)) {
            char names[200];
            gct_workload_names(names, sizeof names);
            snprintf(err, errlen, "ops given for unknown workload '%s' (known: %s)",
                     s->ops_for[i].workload, names);
            return -1;
        }
    }
    return 0;
}

/* Next combination of idx[0 .. dims), idx[d] < limit[d], the first fastest;
 * false after the last. */
static bool odometer_next(size_t *idx, const size_t *limit, size_t dims)
{
    for (size_t d = 0; d < dims; d++) {
        if (++idx[d] < limit[d])
            return true;
        idx[d] = 0;
    }
    return false;
}

/* wl's operations: its own count, else --ops N, else its preset count (only
 * a trace workload has no count of its own from the preset). */
static int64_t ops_of(const gct_sweep_spec *s, const gct_workload *wl)
{
    for (size_t i = 0; i < s->nops_for; i++)
        if (!strcmp(s->ops_for[i].workload, wl->name))
            return s->ops_for[i].ops;
    const struct preset *p = find_preset(s->preset);
    return s->ops_given || !p ? s->ops : wl->preset_ops[p->id];
}

/* Every combination of col's knobs and wl's parameters (ax), each checked
 * as a whole by the workload; a rejected one is reported where the first of
 * the parameters it involves came from. */
static int expand_pair(const gct_sweep_spec *s, const gct_collector *col, const gct_workload *wl,
                       const axes *ax, growing *g, char *err, size_t errlen)
{
    size_t idx[GCT_MAX_KNOBS + GCT_WL_MAX_PARAMS] = {0};
    size_t limit[GCT_MAX_KNOBS + GCT_WL_MAX_PARAMS];
    size_t dims = col->nknobs + wl->nparams;
    for (uint32_t k = 0; k < col->nknobs; k++)
        limit[k] = ax->nknob[k];
    for (uint32_t k = 0; k < wl->nparams; k++)
        limit[col->nknobs + k] = ax->nparam[k];
    do {
        gct_config cfg;
        gct_config_init(&cfg, col, wl);
        cfg.ops = ops_of(s, wl);
        cfg.reps = s->reps;
        cfg.seed = s->seed;
        for (uint32_t k = 0; k < col->nknobs; k++)
            cfg.knobs[k] = ax->knob[k][idx[k]];
        for (uint32_t k = 0; k < wl->nparams; k++)
            cfg.params[k] = ax->param[k][idx[col->nknobs + k]];
        char e[400];
        gct_param_mask bad = gct_workload_check_params(wl, cfg.params, e, sizeof e);
        if (bad) {
            const char *where = NULL;
            for (uint32_t k = 0; k < wl->nparams && !where; k++)
                if (bad & GCT_PARAM_BIT(k))
                    where = ax->param_origin[k];
            snprintf(err, errlen, "%s: %s", where ? where : "-p", e);
            return -1;
        }
        gct_config_make_id(&cfg);
        push_config(g, &cfg);
    } while (odometer_next(idx, limit, dims));
    return 0;
}

int gct_sweep_spec_expand(const gct_sweep_spec *s, gct_config **out, size_t *n, char *err,
                          size_t errlen)
{
    *out = NULL;
    *n = 0;
    const void *picked[2][32];
    size_t nc, nw;
    if (select_from(&collectors, s->collectors, s->collectors_origin, picked[0], 32, &nc, err,
                    errlen) ||
        select_from(&workloads, s->workloads, s->workloads_origin, picked[1], 32, &nw, err,
                    errlen) ||
        check_counts(s, err, errlen))
        return -1;
    const gct_collector *cols[32];
    const gct_workload *wls[32];
    for (size_t i = 0; i < nc; i++)
        cols[i] = picked[0][i];
    for (size_t i = 0; i < nw; i++)
        wls[i] = picked[1][i];
    if (check_lists_used(s, cols, nc, wls, nw, err, errlen))
        return -1;
    axes *ax = malloc(sizeof *ax);
    if (!ax) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* A user's Python module runs only on a real interpreter. */
    for (size_t w = 0; w < nw; w++)
        for (size_t c = 0; c < nc; c++)
            if (gct_python_workload_module(wls[w]) && !cols[c]->interpreter) {
                snprintf(err, errlen,
                         "-w %s: a Python module runs only on a real interpreter, not on the "
                         "model %s (-c python311, python312 or python313)",
                         wls[w]->name, cols[c]->name);
                free(ax);
                return -1;
            }
    growing g = {0};
    int rc = 0;
    for (size_t w = 0; w < nw && !rc; w++) {
        rc = param_axes(s, wls[w], ax, err, errlen);
        for (size_t c = 0; c < nc && !rc; c++)
            rc = knob_axes(s, cols[c], ax, err, errlen) ||
                 expand_pair(s, cols[c], wls[w], ax, &g, err, errlen);
    }
    free(ax);
    if (rc) {
        free(g.v);
        return -1;
    }
    *out = g.v;
    *n = g.n;
    return 0;
}
