/*
 * workload.c — what every workload shares: parameter parsing and formatting,
 * the life of a run (start, operations, check, teardown), failure records and
 * the static array shapes.
 */
#include "workload.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parameters ---------------------------------------------------------- */

static int param_index_n(const gct_workload *wl, const char *name, size_t namelen)
{
    for (uint32_t i = 0; i < wl->nparams; i++)
        if (strlen(wl->params[i].name) == namelen && !strncmp(wl->params[i].name, name, namelen))
            return (int)i;
    return -1;
}

int gct_workload_param_index(const gct_workload *wl, const char *name)
{
    return param_index_n(wl, name, strlen(name));
}

static void param_names(const gct_workload *wl, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < wl->nparams && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", wl->params[i].name);
    if (!wl->nparams)
        snprintf(buf, len, "none");
}

static void choice_names(const gct_param *p, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; p->choices[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", p->choices[i]);
}

void gct_workload_format_value(const gct_param *p, double value, char *buf, size_t len)
{
    switch (p->kind) {
    case GCT_PARAM_INT:
        snprintf(buf, len, "%lld", (long long)value);
        break;
    case GCT_PARAM_REAL:
        if (value == floor(value) && fabs(value) < 1e15) {
            snprintf(buf, len, "%.0f", value);
            break;
        }
        snprintf(buf, len, "%.17g", value);
        /* Shortest form that reads back exactly. */
        for (int prec = 1; prec <= 17; prec++) {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.*g", prec, value);
            if (strtod(tmp, NULL) == value) {
                snprintf(buf, len, "%s", tmp);
                break;
            }
        }
        break;
    case GCT_PARAM_CHOICE:
        snprintf(buf, len, "%s", p->choices[(size_t)value]);
        break;
    }
}

static void format_range(const gct_param *p, char *buf, size_t len)
{
    char lo[64], hi[64];
    gct_workload_format_value(p, p->min, lo, sizeof lo);
    gct_workload_format_value(p, p->max, hi, sizeof hi);
    snprintf(buf, len, "%s..%s", lo, hi);
}

/* In range (and whole, for an integer; an index, for a choice)?  `text` is
 * the value as the user wrote it, for the message. */
static bool check_value(const gct_param *p, double v, const char *text, char *err, size_t errlen)
{
    if (p->kind == GCT_PARAM_CHOICE) {
        size_t n = 0;
        while (p->choices[n])
            n++;
        if (v >= 0 && v < (double)n && v == floor(v))
            return true;
        snprintf(err, errlen, "parameter %s: %s is not the index of a choice", p->name, text);
        return false;
    }
    if (p->kind == GCT_PARAM_INT && v != floor(v)) {
        snprintf(err, errlen, "parameter %s: '%s' is not an integer", p->name, text);
        return false;
    }
    if (!(v >= p->min && v <= p->max)) {
        char range[140];
        format_range(p, range, sizeof range);
        snprintf(err, errlen, "parameter %s=%s is out of range (%s)", p->name, text, range);
        return false;
    }
    return true;
}

bool gct_param_check(const gct_param *p, double value, char *err, size_t errlen)
{
    char text[64];
    if (p->kind == GCT_PARAM_REAL || (p->kind == GCT_PARAM_INT && value == floor(value)))
        gct_workload_format_value(p, value, text, sizeof text);
    else
        snprintf(text, sizeof text, "%.17g", value); /* not a choice's name, not an integer */
    return check_value(p, value, text, err, errlen);
}

bool gct_param_parse(const gct_param *p, const char *s, double *out, char *err, size_t errlen)
{
    switch (p->kind) {
    case GCT_PARAM_INT: {
        errno = 0;
        char *end;
        long long v = *s ? strtoll(s, &end, 10) : 0;
        if (!*s || errno || *end || end == s) {
            snprintf(err, errlen, "parameter %s: '%s' is not an integer", p->name, s);
            return false;
        }
        *out = (double)v;
        return check_value(p, *out, s, err, errlen);
    }
    case GCT_PARAM_REAL: {
        errno = 0;
        char *end;
        double v = *s ? strtod(s, &end) : 0;
        if (!*s || errno || *end || end == s || !isfinite(v)) {
            snprintf(err, errlen, "parameter %s: '%s' is not a number", p->name, s);
            return false;
        }
        *out = v;
        return check_value(p, *out, s, err, errlen);
    }
    case GCT_PARAM_CHOICE:
        for (size_t i = 0; p->choices[i]; i++) {
            if (!strcmp(p->choices[i], s)) {
                *out = (double)i;
                return true;
            }
        }
        {
            char names[200];
            choice_names(p, names, sizeof names);
            snprintf(err, errlen, "parameter %s: '%s' is not one of %s", p->name, s, names);
        }
        return false;
    }
    snprintf(err, errlen, "parameter %s has an unknown kind", p->name);
    return false;
}

gct_param_mask gct_workload_check_params(const gct_workload *wl, const double *values, char *err,
                                         size_t errlen)
{
    for (uint32_t i = 0; i < wl->nparams; i++)
        if (!gct_param_check(&wl->params[i], values[i], err, errlen))
            return GCT_PARAM_BIT(i);
    return wl->check_params ? wl->check_params(values, err, errlen) : 0;
}

int gct_workload_parse(const gct_workload *wl, const char *const *settings, size_t n,
                       double values[GCT_WL_MAX_PARAMS], char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    bool given[GCT_WL_MAX_PARAMS] = {false};
    for (uint32_t i = 0; i < wl->nparams; i++)
        values[i] = wl->params[i].def;
    for (size_t a = 0; a < n; a++) {
        const char *s = settings[a];
        const char *eq = s ? strchr(s, '=') : NULL;
        if (!eq || eq == s) {
            snprintf(err, errlen, "workload %s: setting '%s' is not of the form name=value",
                     wl->name, s ? s : "(null)");
            return GCT_EINVAL;
        }
        int k = param_index_n(wl, s, (size_t)(eq - s));
        if (k < 0) {
            char names[200];
            param_names(wl, names, sizeof names);
            snprintf(err, errlen, "workload '%s' has no parameter '%.*s' (parameters: %s)",
                     wl->name, (int)(eq - s), s, names);
            return GCT_EINVAL;
        }
        if (given[k]) {
            snprintf(err, errlen, "workload %s: parameter '%s' is given twice", wl->name,
                     wl->params[k].name);
            return GCT_EINVAL;
        }
        given[k] = true;
        if (!gct_param_parse(&wl->params[k], eq + 1, &values[k], err, errlen))
            return GCT_EINVAL;
    }
    if (wl->check_params && wl->check_params(values, err, errlen))
        return GCT_EINVAL;
    return GCT_OK;
}

void gct_workload_format_params(const gct_workload *wl, const double *values, char *buf,
                                size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < wl->nparams && used < len; i++) {
        char v[64];
        gct_workload_format_value(&wl->params[i], values[i], v, sizeof v);
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "",
                                 wl->params[i].name, v);
    }
}

/* ---- runs ---------------------------------------------------------------- */

gct_workload_run *gct_workload_start(const gct_workload *wl, gct_heap *h, const double *values,
                                     uint64_t seed, char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    gct_workload_run *r = calloc(1, sizeof *r);
    void *state = wl->state_size ? calloc(1, wl->state_size) : NULL;
    if (!r || (wl->state_size && !state)) {
        free(r);
        free(state);
        snprintf(err, errlen, "out of memory starting workload %s", wl->name);
        return NULL;
    }
    r->wl = wl;
    r->h = h;
    memcpy(r->param, values, sizeof(double) * wl->nparams);
    r->seed = seed;
    gct_rng_seed(&r->rng, seed);
    r->root_base = gct_root_depth(h);
    r->checksum = gct_mix64(seed);
    r->state = state;
    int rc = wl->setup(r, err, errlen);
    if (rc != GCT_OK) {
        gct_workload_free(r);
        return NULL;
    }
    if (gct_root_depth(h) < r->root_base)
        gct__fatal("workload %s: setup popped roots it does not own", wl->name);
    rc = gct_heap_setup_done(h); /* gc.freeze() here, if the collector's knob says so */
    if (rc != GCT_OK) {
        snprintf(err, errlen, "gc.freeze() after the set-up: %s", gct_strerror(rc));
        gct_workload_free(r);
        return NULL;
    }
    return r;
}

gct_workload_run *gct_workload_new(const char *name, gct_heap *h, const char *const *settings,
                                   size_t n, uint64_t seed, char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    if (!gct_workload_registry_check(err, errlen))
        return NULL;
    const gct_workload *wl = name ? gct_workload_find(name) : NULL;
    if (!wl) {
        char names[200];
        gct_workload_names(names, sizeof names);
        snprintf(err, errlen, "unknown workload '%s' (known: %s)", name ? name : "(null)", names);
        return NULL;
    }
    double values[GCT_WL_MAX_PARAMS];
    if (gct_workload_parse(wl, settings, n, values, err, errlen) != GCT_OK)
        return NULL;
    return gct_workload_start(wl, h, values, seed, err, errlen);
}

void gct_workload_ops(gct_workload_run *r, int64_t n)
{
    void (*op)(gct_workload_run *) = r->wl->op;
    for (int64_t i = 0; i < n; i++) {
        op(r);
        r->ops++;
        gct_heap_safepoint(r->h); /* as gct_workload_op */
    }
}

void gct_workload_fail(gct_workload_run *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->failure, sizeof r->failure, fmt, ap);
    va_end(ap);
}

bool gct_workload_check(gct_workload_run *r, char *err, size_t errlen)
{
    char scratch[256];
    if (!err) {
        err = scratch;
        errlen = sizeof scratch;
    }
    if (r->failed) {
        snprintf(err, errlen, "%s: %s", r->wl->name, r->failure);
        return false;
    }
    if (r->torn_down) {
        snprintf(err, errlen, "%s: the run was already torn down", r->wl->name);
        return false;
    }
    if (gct_root_depth(r->h) < r->root_base) {
        snprintf(err, errlen, "%s: the root stack is below the run's base", r->wl->name);
        return false;
    }
    size_t off = (size_t)snprintf(err, errlen, "%s: ", r->wl->name);
    if (off >= errlen)
        off = errlen ? errlen - 1 : 0;
    if (!r->wl->check(r, err + off, errlen - off))
        return false;
    if (errlen)
        err[0] = 0;
    return true;
}

size_t gct_workload_metrics(const gct_workload_run *r, gct_workload_metric *out, size_t max)
{
    size_t n = 0;
    if (n < max)
        out[n++] = (gct_workload_metric){"ops", (double)r->ops};
    if (n < max)
        out[n++] = (gct_workload_metric){"cyclic_garbage", (double)r->cyclic_garbage};
    if (r->wl->metrics && n < max)
        n += r->wl->metrics(r, out + n, max - n);
    return n;
}

void gct_workload_teardown(gct_workload_run *r)
{
    if (r->torn_down)
        return;
    r->wl->teardown(r);
    gct_root_truncate(r->h, r->root_base);
    r->torn_down = true;
}

void gct_workload_free(gct_workload_run *r)
{
    if (!r)
        return;
    gct_workload_teardown(r);
    free(r->state);
    free(r);
}

/* ---- array shapes -------------------------------------------------------- */

#define ARRAY(k) GCT_SHAPE("array", 1u << (k), 16)
static const gct_shape array_shapes[GCT_WL_ARRAY_MAX_LOG2 + 1] = {
    ARRAY(0),  ARRAY(1),  ARRAY(2),  ARRAY(3),  ARRAY(4),  ARRAY(5),  ARRAY(6),  ARRAY(7),
    ARRAY(8),  ARRAY(9),  ARRAY(10), ARRAY(11), ARRAY(12), ARRAY(13), ARRAY(14), ARRAY(15),
    ARRAY(16), ARRAY(17), ARRAY(18), ARRAY(19), ARRAY(20), ARRAY(21), ARRAY(22),
};

const gct_shape *gct_wl_array_shape(uint64_t n)
{
    for (unsigned k = 0; k <= GCT_WL_ARRAY_MAX_LOG2; k++)
        if ((UINT64_C(1) << k) >= n)
            return &array_shapes[k];
    return NULL;
}

void gct_workload_name_from_file(const char *path, const char *prefix, const char *ext,
                                 char *buf, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base), e = strlen(ext);
    if (n > e && !strcmp(base + n - e, ext))
        n -= e;
    int used = snprintf(buf, len, "%s", prefix);
    for (size_t i = 0; i < n && used >= 0 && (size_t)used + 1 < len; i++) {
        char c = base[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        buf[used++] = ok ? c : '_';
    }
    if (used >= 0 && (size_t)used < len)
        buf[used] = 0;
}
