/* cmd_info.c — `gctune info`: the machine, the build, measurement warnings. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "build_info.h"
#include "cli.h"
#include "revision.h"

static void info_help(FILE *out)
{
    fprintf(out, "usage: gctune info [--json]\n\n"
                 "The machine as hwloc sees it (packages, cores, hardware threads, caches,\n"
                 "NUMA nodes, the CPUs this process may use), the build, and warnings that\n"
                 "matter for measurements (virtual machine, frequency scaling, other load).\n\n"
                 "  --json   the same as JSON\n");
}

static void print_bytes(int64_t b)
{
    if (b >= 1 << 20)
        printf("%.1f MiB", (double)b / (1 << 20));
    else
        printf("%" PRId64 " KiB", b / 1024);
}

int gct_cmd_info(int argc, char **argv)
{
    bool json;
    int rc = gct_parse_json_only("info", argc, argv, info_help, &json);
    if (rc)
        return rc < 0 ? GCT_EXIT_OK : rc;
    gct_topology t;
    char err[256];
    if (gct_topology_probe(&t, err, sizeof err) != 0) {
        fprintf(stderr, "gctune info: %s\n", err);
        return GCT_EXIT_FAILED;
    }
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "machine", gct_meta_machine(&t));
        json_object_set_new(o, "build", gct_meta_build());
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(o);
        return GCT_EXIT_OK;
    }
    printf("machine\n");
    printf("  cpu             %s\n", t.cpu_model);
    printf("  packages        %d\n", t.packages);
    printf("  cores           %d (%d hardware threads)\n", t.cores, t.pus);
    printf("  numa nodes      %d\n", t.numa_nodes);
    static const char *const lv[4] = {"L1d", "L2", "L3", "L4"};
    for (int i = 0; i < 4; i++) {
        if (!t.cache_count[i])
            continue;
        printf("  %-4s cache      ", lv[i]);
        print_bytes(t.cache_bytes[i]);
        printf(" x %d\n", t.cache_count[i]);
    }
    printf("  may run on      CPUs %s (%d core%s)\n", t.allowed_cpus, t.allowed_cores,
           t.allowed_cores == 1 ? "" : "s");
    printf("  hypervisor      %s\n", t.hypervisor[0] ? t.hypervisor : "none detected");
    printf("  cpufreq         %s\n", t.governor[0] ? t.governor : "no governor exposed");
    printf("  load (1 min)    %.2f\n", t.loadavg1);
    printf("  hwloc           %s\n", t.hwloc_version);
    printf("build\n");
    printf("  gctune          %s (%s)\n", GCT_VERSION, GCT_REVISION);
    printf("  compiler        %s\n", GCT_COMPILER);
    printf("  buildtype       %s, -O%s, sanitizers %s\n", GCT_BUILDTYPE, GCT_OPTIMIZATION,
           GCT_SANITIZE);
    char warnings[2048];
    int n = gct_topology_warnings(&t, warnings, sizeof warnings);
    bool debug = strcmp(GCT_BUILDTYPE, "debug") == 0;
    bool sanitized = strcmp(GCT_SANITIZE, "none") != 0;
    if (debug || sanitized)
        printf("warning: this is a %s build with sanitizers '%s': timings are not representative\n",
               GCT_BUILDTYPE, GCT_SANITIZE);
    if (n) {
        char *save = NULL;
        for (char *line = strtok_r(warnings, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            printf("warning: %s\n", line);
    }
    return GCT_EXIT_OK;
}
