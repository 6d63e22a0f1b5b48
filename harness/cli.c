/* cli.c — helpers the subcommands share: usage errors, numbers, meta.json. */
#define _GNU_SOURCE
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_info.h"
#include "collector.h"
#include "number.h"
#include "record.h"
#include "revision.h"

int gct_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gctune %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'gctune %s --help'.\n", cmd);
    va_end(ap);
    return GCT_EXIT_USAGE;
}

const char *gct_cpython_of(const char *collector)
{
    const gct_collector *c = gct_collector_find(collector);
    return c ? c->cpython : NULL;
}

const char *gct_interpreter_of(const char *collector)
{
    const gct_collector *c = gct_collector_find(collector);
    return c ? c->interpreter : NULL;
}

int gct_parse_json_only(const char *cmd, int argc, char **argv, void (*help)(FILE *), bool *json)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'J'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    *json = false;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'J': *json = true; break;
        case 'h': help(stdout); return -1;
        default: return gct_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gct_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

bool gct_parse_count(const char *s, long long min, long long max, long long *out)
{
    int64_t v;
    if (!gct_number_parse(s, strlen(s), GCT_NUMBER_COUNT, &v) || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool gct_parse_size(const char *s, long long *out)
{
    int64_t v;
    if (!gct_number_parse(s, strlen(s), GCT_NUMBER_SIZE, &v) || v < 0)
        return false;
    *out = v;
    return true;
}

json_t *gct_meta_machine(const gct_topology *t)
{
    json_t *m = json_object();
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    json_object_set_new(m, "hostname", json_string(host));
    json_object_set_new(m, "cpu_model", json_string(t->cpu_model));
    json_object_set_new(m, "packages", json_integer(t->packages));
    json_object_set_new(m, "cores", json_integer(t->cores));
    json_object_set_new(m, "pus", json_integer(t->pus));
    json_object_set_new(m, "numa_nodes", json_integer(t->numa_nodes));
    json_object_set_new(m, "allowed_cpus", json_string(t->allowed_cpus));
    json_object_set_new(m, "allowed_cores", json_integer(t->allowed_cores));
    json_t *caches = json_array();
    static const char *const names[4] = {"L1d", "L2", "L3", "L4"};
    for (int i = 0; i < 4; i++) {
        if (!t->cache_count[i])
            continue;
        json_t *c = json_object();
        json_object_set_new(c, "level", json_string(names[i]));
        json_object_set_new(c, "bytes", json_integer(t->cache_bytes[i]));
        json_object_set_new(c, "count", json_integer(t->cache_count[i]));
        json_array_append_new(caches, c);
    }
    json_object_set_new(m, "caches", caches);
    json_object_set_new(m, "hypervisor", json_string(t->hypervisor));
    json_object_set_new(m, "cpufreq_governor", json_string(t->governor));
    json_object_set_new(m, "loadavg_1min", json_real(t->loadavg1));
    json_object_set_new(m, "hwloc_version", json_string(t->hwloc_version));
    char warnings[2048];
    int nw = gct_topology_warnings(t, warnings, sizeof warnings);
    json_t *w = json_array();
    char *save = NULL;
    for (char *line = nw ? strtok_r(warnings, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save))
        json_array_append_new(w, json_string(line));
    json_object_set_new(m, "warnings", w);
    return m;
}

json_t *gct_meta_build(void)
{
    json_t *b = json_object();
    json_object_set_new(b, "gctune_version", json_string(GCT_VERSION));
    json_object_set_new(b, "git_revision", json_string(GCT_REVISION));
    json_object_set_new(b, "compiler", json_string(GCT_COMPILER));
    json_object_set_new(b, "buildtype", json_string(GCT_BUILDTYPE));
    json_object_set_new(b, "optimization", json_string(GCT_OPTIMIZATION));
    json_object_set_new(b, "sanitizers", json_string(GCT_SANITIZE));
    return b;
}

json_t *gct_meta_new(int argc, char **argv, const char *command)
{
    json_t *m = json_object();
    json_object_set_new(m, "schema_version", json_integer(GCT_RESULTS_SCHEMA));
    time_t t = time(NULL);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    json_object_set_new(m, "date", json_string(when));
    json_object_set_new(m, "command", json_string(command));
    json_t *cl = json_array();
    json_array_append_new(cl, json_string("gctune"));
    for (int i = 0; i < argc; i++)
        json_array_append_new(cl, json_string(argv[i]));
    json_object_set_new(m, "command_line", cl);
    json_object_set_new(m, "build", gct_meta_build());
    gct_topology topo;
    char err[256];
    if (gct_topology_probe(&topo, err, sizeof err) == 0)
        json_object_set_new(m, "machine", gct_meta_machine(&topo));
    else
        json_object_set_new(m, "machine", json_null());
    return m;
}
