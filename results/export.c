/* export.c — trace-event JSON and pyperf JSON from a result directory
 * (export.h; the formats in docs/results.md, "Exports"). */
#define _GNU_SOURCE
#include "export.h"

#include <fnmatch.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "pauses.h"

/* ---- the configurations selected ----------------------------------------- */

typedef struct idlist {
    const char **ids;
    size_t n;
} idlist;

static bool listed(const idlist *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->ids[i], id))
            return true;
    return false;
}

/* The config ids of rows matching the glob, in order of first appearance.
 * -1 with err naming the glob when none matches. */
static int select_configs(const gct_results *rows, const char *glob, idlist *out, char *err,
                          size_t errlen)
{
    out->ids = gct_xrealloc(NULL, rows->n ? rows->n : 1, sizeof *out->ids);
    out->n = 0;
    idlist all = {gct_xrealloc(NULL, rows->n ? rows->n : 1, sizeof *all.ids), 0};
    for (size_t i = 0; i < rows->n; i++) {
        const char *id = rows->rows[i].config_id;
        if (!listed(&all, id))
            all.ids[all.n++] = id;
        if ((!glob || fnmatch(glob, id, 0) == 0) && !listed(out, id))
            out->ids[out->n++] = id;
    }
    if (out->n == 0) {
        if (rows->n == 0)
            snprintf(err, errlen, "results.csv has no process");
        else {
            /* Name the pattern and a few of the ids it could have matched. */
            int len = snprintf(err, errlen, "--config '%s' matches no configuration (there are:",
                               glob ? glob : "");
            for (size_t i = 0; i < all.n && i < 3 && len > 0 && (size_t)len < errlen; i++)
                len += snprintf(err + len, errlen - len, " %s", all.ids[i]);
            if (len > 0 && (size_t)len < errlen)
                snprintf(err + len, errlen - len, "%s)", all.n > 3 ? " ..." : "");
        }
        free(all.ids);
        free(out->ids);
        out->ids = NULL;
        return -1;
    }
    free(all.ids);
    return 0;
}

/* A JSON number that is never NaN (jansson refuses those). */
static json_t *num(double v)
{
    return json_real(isfinite(v) ? v : 0.0);
}

/* ---- Chrome/Perfetto trace-event JSON ------------------------------------ */

static json_t *meta_event(const char *what, int pid, int tid, const char *key, json_t *value)
{
    json_t *e = json_object();
    json_object_set_new(e, "name", json_string(what));
    json_object_set_new(e, "ph", json_string("M"));
    json_object_set_new(e, "pid", json_integer(pid));
    json_object_set_new(e, "tid", json_integer(tid));
    json_t *args = json_object();
    json_object_set_new(args, key, value);
    json_object_set_new(e, "args", args);
    return e;
}

/* The generation a pause kind collects (gen0..gen2), else -1. */
static int generation_of(const char *kind)
{
    if (!strncmp(kind, "gen", 3) && kind[3] >= '0' && kind[3] <= '9' && kind[4] == 0)
        return kind[3] - '0';
    return -1;
}

/* What a trace viewer shows of the sweep: flat strings and numbers. */
static json_t *other_data(const char *dir, const json_t *meta)
{
    json_t *o = json_object();
    json_object_set_new(o, "source", json_string("gctune"));
    json_object_set_new(o, "result_directory", json_string(dir));
    if (!meta)
        return o;
    const json_t *build = json_object_get(meta, "build");
    const json_t *machine = json_object_get(meta, "machine");
    static const struct {
        const char *section, *key, *as;
    } picks[] = {
        {NULL, "date", "date"},
        {NULL, "command", "command"},
        {NULL, "seed", "seed"},
        {"build", "gctune_version", "gctune_version"},
        {"build", "git_revision", "git_revision"},
        {"build", "compiler", "compiler"},
        {"build", "buildtype", "buildtype"},
        {"machine", "hostname", "hostname"},
        {"machine", "cpu_model", "cpu_model"},
    };
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        const json_t *from = meta;
        if (picks[i].section)
            from = !strcmp(picks[i].section, "build") ? build : machine;
        json_t *v = json_object_get(from, picks[i].key);
        if (json_is_string(v) || json_is_number(v))
            json_object_set(o, picks[i].as, v);
    }
    json_t *cl = json_object_get(meta, "command_line");
    if (json_is_array(cl)) {
        char *line = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&line, &len);
        size_t i;
        json_t *arg;
        json_array_foreach(cl, i, arg) {
            if (json_is_string(arg))
                fprintf(m, "%s%s", i ? " " : "", json_string_value(arg));
        }
        fclose(m);
        json_object_set_new(o, "command_line", json_string(line));
        free(line);
    }
    return o;
}

json_t *gct_export_perfetto(const char *dir, const gct_results *rows, const json_t *meta,
                            const gct_export_opts *o, char *err, size_t errlen)
{
    idlist ids;
    if (select_configs(rows, o->config_glob, &ids, err, errlen) != 0)
        return NULL;
    json_t *events = json_array();
    for (size_t c = 0; c < ids.n; c++) {
        const char *id = ids.ids[c];
        int pid = (int)c + 1;
        json_array_append_new(events, meta_event("process_name", pid, 0, "name", json_string(id)));
        json_array_append_new(events, meta_event("process_sort_index", pid, 0, "sort_index",
                                                 json_integer(pid)));
        /* One thread per repetition that has a record, named by it. */
        for (size_t i = 0; i < rows->n; i++) {
            const gct_result *r = &rows->rows[i];
            if (strcmp(r->config_id, id) != 0)
                continue;
            char name[160];
            if (r->status == GCT_STATUS_OK)
                snprintf(name, sizeof name, "rep %lld", (long long)r->rep);
            else
                snprintf(name, sizeof name, "rep %lld (failed)", (long long)r->rep);
            json_array_append_new(events, meta_event("thread_name", pid, (int)r->rep + 1, "name",
                                                     json_string(name)));
        }
        char path[4400];
        snprintf(path, sizeof path, "%s/pauses/%s.csv", dir, id);
        if (access(path, F_OK) != 0)
            continue; /* no process of it finished: no pauses to show */
        gct_pause_rows pauses;
        if (gct_pauses_read(path, &pauses, err, errlen) != 0) {
            json_decref(events);
            free(ids.ids);
            return NULL;
        }
        for (size_t i = 0; i < pauses.n; i++) {
            const gct_pause_row *p = &pauses.rows[i];
            json_t *e = json_object();
            json_object_set_new(e, "name", json_string(p->kind));
            json_object_set_new(e, "cat", json_string("gc"));
            json_object_set_new(e, "ph", json_string("X"));
            json_object_set_new(e, "pid", json_integer(pid));
            json_object_set_new(e, "tid", json_integer(p->rep + 1));
            json_object_set_new(e, "ts", num(p->start_ms * 1e3));
            json_object_set_new(e, "dur", num(p->duration_us));
            json_t *args = json_object();
            json_object_set_new(args, "rep", json_integer(p->rep));
            json_object_set_new(args, "kind", json_string(p->kind));
            int gen = generation_of(p->kind);
            if (gen >= 0)
                json_object_set_new(args, "generation", json_integer(gen));
            json_object_set_new(args, "examined", json_integer(p->examined));
            json_object_set_new(args, "freed", json_integer(p->freed));
            json_object_set_new(e, "args", args);
            json_array_append_new(events, e);
        }
        gct_pause_rows_free(&pauses);
    }
    free(ids.ids);
    json_t *root = json_object();
    json_object_set_new(root, "traceEvents", events);
    json_object_set_new(root, "displayTimeUnit", json_string("ns"));
    json_object_set_new(root, "otherData", other_data(dir, meta));
    return root;
}

/* ---- pyperf --------------------------------------------------------------- */

int gct_export_metric_check(const char *metric, char *err, size_t errlen)
{
    const gct_field *f = gct_result_field(metric);
    if (f && f->summarized && (f->type == GCT_F_I64 || f->type == GCT_F_F64))
        return 0;
    int len = snprintf(err, errlen, "--metric '%s' is not a summarised numeric column of "
                                    "results.csv; one of:",
                       metric);
    for (size_t i = 0; i < gct_result_nfields && len > 0 && (size_t)len < errlen; i++)
        if (gct_result_fields[i].summarized)
            len += snprintf(err + len, errlen - len, " %s", gct_result_fields[i].name);
    return -1;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcmp(s + n - t, tail);
}

/* pyperf's unit of a metric and the factor (or, for ops_per_s, the
 * reciprocal) that turns a record's value into it.  pyperf knows three
 * units: second, byte and integer (a plain number: counts and fractions). */
static const char *metric_unit(const char *metric, double *scale, bool *reciprocal)
{
    *scale = 1;
    *reciprocal = false;
    if (!strcmp(metric, "ops_per_s")) {
        *reciprocal = true; /* seconds per operation */
        return "second";
    }
    if (ends_with(metric, "_s"))
        return "second";
    if (ends_with(metric, "_us")) {
        *scale = 1e-6;
        return "second";
    }
    if (ends_with(metric, "_bytes") || !strcmp(metric, "peak_footprint"))
        return "byte";
    return "integer";
}

/* pyperf refuses empty strings and newlines in metadata: leave out the
 * empty, turn line breaks into spaces. */
static void set_str(json_t *md, const char *key, const char *value)
{
    if (!value)
        return;
    bool blank = true;
    for (const char *p = value; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            blank = false;
    if (blank)
        return;
    char *v = strdup(value);
    for (char *p = v; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    json_object_set_new(md, key, json_string(v));
    free(v);
}

static json_t *suite_metadata(const json_t *meta)
{
    json_t *md = json_object();
    set_str(md, "gctune_source", "gctune export");
    if (!meta)
        return md;
    const json_t *build = json_object_get(meta, "build");
    const json_t *machine = json_object_get(meta, "machine");
    set_str(md, "gctune_version", json_string_value(json_object_get(build, "gctune_version")));
    set_str(md, "git_revision", json_string_value(json_object_get(build, "git_revision")));
    set_str(md, "hostname", json_string_value(json_object_get(machine, "hostname")));
    set_str(md, "cpu_model_name", json_string_value(json_object_get(machine, "cpu_model")));
    /* Not pyperf's "date", whose format pyperf parses as its own. */
    set_str(md, "sweep_date", json_string_value(json_object_get(meta, "date")));
    return md;
}

static json_t *bench_metadata(const gct_result *r, const char *metric, const char *unit)
{
    json_t *md = json_object();
    set_str(md, "name", r->config_id);
    set_str(md, "unit", unit);
    set_str(md, "gctune_metric",
            !strcmp(metric, "ops_per_s") ? "ops_per_s, as seconds per operation" : metric);
    set_str(md, "collector", r->collector);
    set_str(md, "workload", r->workload);
    set_str(md, "knobs", r->knobs);
    set_str(md, "params", r->params);
    set_str(md, "aa_of", r->aa_of);
    json_object_set_new(md, "gen0", json_integer(r->gen0));
    json_object_set_new(md, "gen1", json_integer(r->gen1));
    json_object_set_new(md, "gen2", json_integer(r->gen2));
    json_object_set_new(md, "seed", json_integer(r->seed));
    json_object_set_new(md, "ops", json_integer(r->ops));
    return md;
}

json_t *gct_export_pyperf(const gct_results *rows, const json_t *meta, const gct_export_opts *o,
                          size_t *skipped, char *err, size_t errlen)
{
    const char *metric = o->metric ? o->metric : "ops_per_s";
    *skipped = 0;
    if (gct_export_metric_check(metric, err, errlen) != 0)
        return NULL;
    const gct_field *f = gct_result_field(metric);
    double scale;
    bool reciprocal;
    const char *unit = metric_unit(metric, &scale, &reciprocal);
    idlist ids;
    if (select_configs(rows, o->config_glob, &ids, err, errlen) != 0)
        return NULL;
    json_t *benchmarks = json_array();
    for (size_t c = 0; c < ids.n; c++) {
        json_t *runs = json_array();
        const gct_result *first = NULL;
        for (size_t i = 0; i < rows->n; i++) {
            const gct_result *r = &rows->rows[i];
            if (strcmp(r->config_id, ids.ids[c]) != 0 || r->status != GCT_STATUS_OK)
                continue;
            double v = gct_result_num(r, f);
            if (reciprocal)
                v = v > 0 ? 1 / v : NAN;
            v *= scale;
            if (!(v > 0) || !isfinite(v)) {
                snprintf(err, errlen,
                         "%s rep %lld: %s is %g; pyperf accepts only values above 0 (choose "
                         "another --metric)",
                         r->config_id, (long long)r->rep, metric, gct_result_num(r, f));
                json_decref(runs);
                json_decref(benchmarks);
                free(ids.ids);
                return NULL;
            }
            json_t *md = json_object();
            json_object_set_new(md, "rep", json_integer(r->rep));
            json_object_set_new(md, "round", json_integer(r->round));
            json_object_set_new(md, "process", json_integer(r->process));
            json_object_set_new(md, "pid", json_integer(r->pid));
            if (isfinite(r->wall_s) && r->wall_s >= 0)
                json_object_set_new(md, "duration", json_real(r->wall_s));
            set_str(md, "cpus", r->cpus);
            json_t *run = json_object();
            json_object_set_new(run, "metadata", md);
            json_t *values = json_array();
            json_array_append_new(values, json_real(v));
            json_object_set_new(run, "values", values);
            json_array_append_new(runs, run);
            if (!first)
                first = r;
        }
        if (!first) { /* pyperf has no benchmark without a run */
            json_decref(runs);
            (*skipped)++;
            continue;
        }
        json_t *b = json_object();
        json_object_set_new(b, "metadata", bench_metadata(first, metric, unit));
        json_object_set_new(b, "runs", runs);
        json_array_append_new(benchmarks, b);
    }
    free(ids.ids);
    if (json_array_size(benchmarks) == 0) {
        snprintf(err, errlen, "no configuration selected has a successful process (pyperf needs "
                              "at least one run per benchmark)");
        json_decref(benchmarks);
        return NULL;
    }
    json_t *root = json_object();
    json_object_set_new(root, "version", json_string("1.0"));
    json_object_set_new(root, "metadata", suite_metadata(meta));
    json_object_set_new(root, "benchmarks", benchmarks);
    return root;
}
