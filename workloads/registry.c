/* registry.c — the one place that lists the workloads. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "workload.h"

/* To add a workload: write workloads/<name>.c exporting gct_workload_<name>
 * (its parameters, functions and per-preset operation counts in its table),
 * declare it in workload.h, list it here and in meson.build. */
const char *const gct_preset_names[GCT_NPRESETS] = {
    [GCT_PRESET_QUICK] = "quick", [GCT_PRESET_DEFAULT] = "default", [GCT_PRESET_FULL] = "full"};

static const gct_workload *const registry[] = {
    &gct_workload_trees,    &gct_workload_dlist,     &gct_workload_cache,
    &gct_workload_requests, &gct_workload_longlived,
};

#define NREG (sizeof registry / sizeof registry[0])

size_t gct_workload_count(void) { return NREG; }

const gct_workload *gct_workload_at(size_t i) { return i < NREG ? registry[i] : NULL; }

const gct_workload *gct_workload_find(const char *name)
{
    for (size_t i = 0; i < NREG; i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}

static bool check_param(const gct_workload *w, const gct_param *p, char *err, size_t errlen)
{
    if (!p->name || !*p->name || !p->help) {
        snprintf(err, errlen, "workload '%s' has a parameter without a name or help", w->name);
        return false;
    }
    switch (p->kind) {
    case GCT_PARAM_INT:
    case GCT_PARAM_REAL:
        if (!(p->min <= p->def && p->def <= p->max)) {
            snprintf(err, errlen, "workload '%s': default of parameter '%s' is outside its range",
                     w->name, p->name);
            return false;
        }
        if (p->kind == GCT_PARAM_INT &&
            (p->def != floor(p->def) || p->min != floor(p->min) || p->max != floor(p->max))) {
            snprintf(err, errlen, "workload '%s': integer parameter '%s' has a fractional bound",
                     w->name, p->name);
            return false;
        }
        return true;
    case GCT_PARAM_CHOICE: {
        size_t n = 0;
        while (p->choices && p->choices[n])
            n++;
        if (n == 0 || p->def < 0 || p->def >= (double)n || p->def != floor(p->def)) {
            snprintf(err, errlen, "workload '%s': choice parameter '%s' has no valid default",
                     w->name, p->name);
            return false;
        }
        return true;
    }
    }
    snprintf(err, errlen, "workload '%s': parameter '%s' has an unknown kind", w->name, p->name);
    return false;
}

bool gct_workload_registry_check(char *err, size_t errlen)
{
    for (size_t i = 0; i < NREG; i++) {
        const gct_workload *w = registry[i];
        if (w->abi != GCT_WORKLOAD_ABI) {
            snprintf(err, errlen, "workload '%s' was built for interface version %u, not %u",
                     w->name, w->abi, GCT_WORKLOAD_ABI);
            return false;
        }
        if (!w->summary || !*w->summary || !w->setup || !w->op || !w->check || !w->teardown) {
            snprintf(err, errlen, "workload '%s' lacks a summary or a required function", w->name);
            return false;
        }
        if (w->nparams > GCT_WL_MAX_PARAMS) {
            snprintf(err, errlen, "workload '%s' has %u parameters, more than %d", w->name,
                     w->nparams, GCT_WL_MAX_PARAMS);
            return false;
        }
        for (int p = 0; p < GCT_NPRESETS; p++) {
            if (w->preset_ops[p] < 1) {
                snprintf(err, errlen,
                         "workload '%s' has no operation count for the preset '%s' (.preset_ops "
                         "in its table)",
                         w->name, gct_preset_names[p]);
                return false;
            }
        }
        for (uint32_t k = 0; k < w->nparams; k++) {
            if (!check_param(w, &w->params[k], err, errlen))
                return false;
            for (uint32_t j = 0; j < k; j++) {
                if (!strcmp(w->params[j].name, w->params[k].name)) {
                    snprintf(err, errlen, "workload '%s' has two parameters named '%s'", w->name,
                             w->params[k].name);
                    return false;
                }
            }
        }
        if (w->check_params) {
            double defs[GCT_WL_MAX_PARAMS];
            for (uint32_t k = 0; k < w->nparams; k++)
                defs[k] = w->params[k].def;
            char why[200];
            if (w->check_params(defs, why, sizeof why)) {
                snprintf(err, errlen, "workload '%s': its defaults are rejected: %s", w->name, why);
                return false;
            }
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(registry[j]->name, w->name)) {
                snprintf(err, errlen, "two workloads are registered as '%s'", w->name);
                return false;
            }
        }
    }
    return true;
}

void gct_workload_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < NREG && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", registry[i]->name);
}
