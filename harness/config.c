/* config.c — building, naming and describing a configuration. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

void gct_config_init(gct_config *c, const gct_collector *col, const gct_workload *wl)
{
    memset(c, 0, sizeof *c);
    c->collector = col;
    c->workload = wl;
    for (uint32_t i = 0; i < col->nknobs; i++)
        c->knobs[i] = col->knobs[i].def;
    for (uint32_t i = 0; i < wl->nparams; i++)
        c->params[i] = wl->params[i].def;
    c->ops = 10000;
    c->reps = 1;
    c->seed = 1;
}

/* Append "sep name-value" to buf, keeping only characters safe in a file name. */
static void id_append(char *buf, size_t len, const char *name, const char *value)
{
    size_t used = strlen(buf);
    char part[160];
    snprintf(part, sizeof part, ".%s-%s", name, value);
    for (char *p = part; *p && used + 1 < len; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '.' || ch == '-' || ch == '_';
        buf[used++] = ok ? ch : '_';
    }
    buf[used] = 0;
}

void gct_config_make_id(gct_config *c)
{
    snprintf(c->id, sizeof c->id, "%s.%s", c->collector->name, c->workload->name);
    char v[64];
    for (uint32_t i = 0; i < c->collector->nknobs; i++) {
        const gct_knob *k = &c->collector->knobs[i];
        bool threshold = !strncmp(k->name, "gen", 3);
        if (threshold || c->knobs[i] != k->def) {
            snprintf(v, sizeof v, "%" PRId64, c->knobs[i]);
            id_append(c->id, sizeof c->id, k->name, v);
        }
    }
    for (uint32_t i = 0; i < c->workload->nparams; i++) {
        const gct_param *p = &c->workload->params[i];
        if (c->params[i] != p->def) {
            gct_workload_format_value(p, c->params[i], v, sizeof v);
            id_append(c->id, sizeof c->id, p->name, v);
        }
    }
}

void gct_config_knobs_text(const gct_config *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < c->collector->nknobs && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%" PRId64, i ? ";" : "",
                                 c->collector->knobs[i].name, c->knobs[i]);
}

void gct_config_params_text(const gct_config *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    char v[64];
    for (uint32_t i = 0; i < c->workload->nparams && used < len; i++) {
        gct_workload_format_value(&c->workload->params[i], c->params[i], v, sizeof v);
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", i ? ";" : "",
                                 c->workload->params[i].name, v);
    }
}

int64_t gct_config_knob(const gct_config *c, const char *name)
{
    for (uint32_t i = 0; i < c->collector->nknobs; i++)
        if (!strcmp(c->collector->knobs[i].name, name))
            return c->knobs[i];
    return -1;
}

gct_heap *gct_config_heap(const gct_config *c, char *err, size_t errlen)
{
    if (c->collector->interpreter) {
        snprintf(err, errlen, "%s is a real interpreter, not a model: it has no heap here",
                 c->collector->name);
        return NULL;
    }
    return gct_heap_create(c->collector, c->knobs, err, errlen);
}

void gct_config_make_twin(const gct_config *c, gct_config *twin)
{
    *twin = *c;
    snprintf(twin->aa_of, sizeof twin->aa_of, "%s", c->id);
    snprintf(twin->id, sizeof twin->id, "aa.%.*s", (int)sizeof twin->id - 4, c->id);
}

void gct_config_record(const gct_config *c, gct_result *r)
{
    char buf[1024];
    gct_result_init(r);
    gct_result_set_str(r, gct_result_field("config_id"), c->id);
    gct_result_set_str(r, gct_result_field("collector"), c->collector->name);
    gct_result_set_str(r, gct_result_field("workload"), c->workload->name);
    gct_config_knobs_text(c, buf, sizeof buf);
    gct_result_set_str(r, gct_result_field("knobs"), buf);
    gct_config_params_text(c, buf, sizeof buf);
    gct_result_set_str(r, gct_result_field("params"), buf);
    gct_result_set_str(r, gct_result_field("aa_of"), c->aa_of);
    r->gen0 = gct_config_knob(c, "gen0");
    r->gen1 = gct_config_knob(c, "gen1");
    r->gen2 = gct_config_knob(c, "gen2");
    r->seed = (int64_t)c->seed;
    r->ops = c->ops;
    r->defaults = gct_config_is_default(c);
}

bool gct_config_is_default(const gct_config *c)
{
    for (uint32_t i = 0; i < c->collector->nknobs; i++)
        if (c->knobs[i] != c->collector->knobs[i].def)
            return false;
    return true;
}
