/* cmd_list.c — `gctune list`: collectors and workloads with their knobs and
 * parameters, defaults, ranges and help. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "collector.h"
#include "python_run.h"
#include "python_workload.h"
#include "workload.h"

static void list_help(FILE *out)
{
    fprintf(out, "usage: gctune list [--json]\n\n"
                 "Every collector with its knobs and every workload with its parameters:\n"
                 "defaults, allowed ranges or choices, units and help.\n\n"
                 "  --json   the same as JSON\n");
}

static json_t *param_json(const gct_param *p)
{
    json_t *o = json_object();
    char def[64];
    gct_workload_format_value(p, p->def, def, sizeof def);
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "type", json_string(p->kind == GCT_PARAM_INT    ? "int"
                                               : p->kind == GCT_PARAM_REAL ? "real"
                                                                           : "choice"));
    json_object_set_new(o, "default", json_string(def));
    if (p->kind == GCT_PARAM_CHOICE) {
        json_t *c = json_array();
        for (size_t i = 0; p->choices[i]; i++)
            json_array_append_new(c, json_string(p->choices[i]));
        json_object_set_new(o, "choices", c);
    } else {
        json_object_set_new(o, "min", json_real(p->min));
        json_object_set_new(o, "max", json_real(p->max));
    }
    json_object_set_new(o, "help", json_string(p->help));
    return o;
}

static void print_param(const gct_param *p)
{
    char def[64], range[256];
    gct_workload_format_value(p, p->def, def, sizeof def);
    if (p->kind == GCT_PARAM_CHOICE) {
        size_t used = 0;
        range[0] = 0;
        for (size_t i = 0; p->choices[i] && used < sizeof range; i++)
            used += (size_t)snprintf(range + used, sizeof range - used, "%s%s", i ? "|" : "",
                                     p->choices[i]);
    } else {
        snprintf(range, sizeof range, "%g..%g", p->min, p->max);
    }
    printf("    %-14s %-10s %-22s %s\n", p->name, def, range, p->help);
}

/* A C workload's Python twin: python/workloads/NAME.py, if shipped. */
static bool python_twin(const char *name, char *buf, size_t len)
{
    char shipped[64][64];
    size_t n = gct_python_shipped(shipped, 64);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(shipped[i], name)) {
            snprintf(buf, len, "python/workloads/%s.py", name);
            return true;
        }
    }
    return false;
}

/* A shipped module that is not a twin, as a workload (NULL for a twin or
 * one that does not load). */
static const gct_workload *scenario(const char *name)
{
    char why[600];
    if (gct_workload_find(name))
        return NULL;
    return gct_python_workload(name, why, sizeof why);
}

int gct_cmd_list(int argc, char **argv)
{
    bool json;
    int rc = gct_parse_json_only("list", argc, argv, list_help, &json);
    if (rc)
        return rc < 0 ? GCT_EXIT_OK : rc;
    char shipped[64][64];
    size_t nshipped = gct_python_shipped(shipped, 64);

    if (json) {
        json_t *root = json_object(), *cols = json_array(), *wls = json_array();
        for (size_t i = 0; i < gct_collector_count(); i++) {
            const gct_collector *col = gct_collector_at(i);
            json_t *o = json_object(), *ks = json_array();
            json_object_set_new(o, "name", json_string(col->name));
            json_object_set_new(o, "summary", json_string(col->summary));
            for (uint32_t k = 0; k < col->nknobs; k++) {
                const gct_knob *kn = &col->knobs[k];
                json_t *ko = json_object();
                json_object_set_new(ko, "name", json_string(kn->name));
                json_object_set_new(ko, "default", json_integer(kn->def));
                json_object_set_new(ko, "min", json_integer(kn->min));
                json_object_set_new(ko, "max", json_integer(kn->max));
                json_object_set_new(ko, "unit", json_string(kn->unit));
                json_object_set_new(ko, "help", json_string(kn->help));
                json_array_append_new(ks, ko);
            }
            json_object_set_new(o, "knobs", ks);
            json_array_append_new(cols, o);
        }
        for (size_t i = 0; i < gct_workload_count(); i++) {
            const gct_workload *wl = gct_workload_at(i);
            json_t *o = json_object(), *ps = json_array();
            char twin[200];
            json_object_set_new(o, "name", json_string(wl->name));
            json_object_set_new(o, "summary", json_string(wl->summary));
            json_object_set_new(o, "python_twin", python_twin(wl->name, twin, sizeof twin)
                                                      ? json_string(twin)
                                                      : json_null());
            for (uint32_t k = 0; k < wl->nparams; k++)
                json_array_append_new(ps, param_json(&wl->params[k]));
            json_object_set_new(o, "params", ps);
            json_array_append_new(wls, o);
        }
        json_object_set_new(root, "collectors", cols);
        json_t *scen = json_array();
        for (size_t i = 0; i < nshipped; i++) {
            const gct_workload *wl = scenario(shipped[i]);
            if (!wl)
                continue;
            json_t *o = json_object(), *ps = json_array();
            json_object_set_new(o, "name", json_string(wl->name));
            json_object_set_new(o, "workload", json_string(shipped[i]));
            json_object_set_new(o, "summary", json_string(wl->summary));
            for (uint32_t k = 0; k < wl->nparams; k++)
                json_array_append_new(ps, param_json(&wl->params[k]));
            json_object_set_new(o, "params", ps);
            json_array_append_new(scen, o);
        }
        json_object_set_new(root, "workloads", wls);
        json_object_set_new(root, "python_scenarios", scen);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(root);
        return GCT_EXIT_OK;
    }

    printf("collectors (-c NAME; knobs as --gen0 N, --gen1 N, --gen2 N or -k name=value):\n");
    for (size_t i = 0; i < gct_collector_count(); i++) {
        const gct_collector *col = gct_collector_at(i);
        printf("  %-10s %s\n", col->name, col->summary);
        for (uint32_t k = 0; k < col->nknobs; k++) {
            const gct_knob *kn = &col->knobs[k];
            char range[64];
            snprintf(range, sizeof range, "%" PRId64 "..%" PRId64, kn->min, kn->max);
            printf("    %-14s %-10" PRId64 " %-22s %s (%s)\n", kn->name, kn->def, range, kn->help,
                   kn->unit);
        }
    }
    printf("\nreal interpreters (-c NAME; the workload's Python twin in python/workloads/, "
           "knobs as above: gen0..gen2, freeze):\n");
    for (size_t i = 0; i < gct_runner_count(); i++) {
        const gct_collector *col = gct_runner_at(i);
        char path[4200], why[600];
        const char *found = gct_python_for_version(col->interpreter, path, sizeof path, why,
                                                   sizeof why);
        printf("  %-10s %s: %s\n", col->name, col->summary, found ? found : why);
    }
    printf("\nworkloads (-w NAME; parameters as -p name=value):\n");
    for (size_t i = 0; i < gct_workload_count(); i++) {
        const gct_workload *wl = gct_workload_at(i);
        printf("  %-10s %s\n", wl->name, wl->summary);
        char twin[200];
        if (python_twin(wl->name, twin, sizeof twin))
            printf("    %-14s %s (the same parameters; on -c python311..python313)\n",
                   "Python twin", twin);
        for (uint32_t k = 0; k < wl->nparams; k++)
            print_param(&wl->params[k]);
    }
    printf("\nPython scenarios (-w python:NAME, named py-NAME in results; real interpreters "
           "only):\n");
    for (size_t i = 0; i < nshipped; i++) {
        const gct_workload *wl = scenario(shipped[i]);
        if (!wl)
            continue;
        printf("  %-10s %s\n", shipped[i], wl->summary);
        for (uint32_t k = 0; k < wl->nparams; k++)
            print_param(&wl->params[k]);
    }
    return GCT_EXIT_OK;
}
