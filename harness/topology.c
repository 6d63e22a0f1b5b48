/* topology.c — hwloc topology, measurement warnings, pinning. */
#define _GNU_SOURCE
#include "topology.h"

#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void read_first_line(const char *path, char *buf, size_t len)
{
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = 0;
    fclose(f);
}

/* Linux reports "hypervisor" among the CPU flags inside a virtual machine. */
static bool cpuinfo_has_hypervisor_flag(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor"))
            found = true;
    fclose(f);
    return found;
}

static int load(hwloc_topology_t *topo, char *err, size_t errlen)
{
    if (hwloc_topology_init(topo) || hwloc_topology_load(*topo)) {
        snprintf(err, errlen, "hwloc could not read the machine's topology");
        return -1;
    }
    return 0;
}

int gct_topology_probe(gct_topology *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    hwloc_topology_t topo;
    if (load(&topo, err, errlen))
        return -1;
    t->packages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
    t->cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    t->pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    t->numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    static const hwloc_obj_type_t levels[4] = {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE,
                                               HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L4CACHE};
    for (int i = 0; i < 4; i++) {
        t->cache_count[i] = hwloc_get_nbobjs_by_type(topo, levels[i]);
        if (t->cache_count[i] > 0) {
            hwloc_obj_t c = hwloc_get_obj_by_type(topo, levels[i], 0);
            t->cache_bytes[i] = (int64_t)c->attr->cache.size;
        }
    }
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (hwloc_get_cpubind(topo, set, HWLOC_CPUBIND_PROCESS) != 0)
        hwloc_bitmap_copy(set, hwloc_topology_get_allowed_cpuset(topo));
    hwloc_bitmap_list_snprintf(t->allowed_cpus, sizeof t->allowed_cpus, set);
    for (int i = 0; i < t->cores; i++) {
        hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)i);
        if (hwloc_bitmap_intersects(core->cpuset, set))
            t->allowed_cores++;
    }
    hwloc_bitmap_free(set);
    hwloc_obj_t root = hwloc_get_root_obj(topo);
    hwloc_obj_t pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0);
    const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
    if (!model)
        model = hwloc_obj_get_info_by_name(root, "CPUModel");
    snprintf(t->cpu_model, sizeof t->cpu_model, "%s", model ? model : "unknown");
    const char *hv = hwloc_obj_get_info_by_name(root, "HypervisorName");
    if (hv)
        snprintf(t->hypervisor, sizeof t->hypervisor, "%s", hv);
    else if (cpuinfo_has_hypervisor_flag())
        snprintf(t->hypervisor, sizeof t->hypervisor, "unknown hypervisor");
    hwloc_topology_destroy(topo);

    read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", t->governor,
                    sizeof t->governor);
    char load[128];
    read_first_line("/proc/loadavg", load, sizeof load);
    t->loadavg1 = atof(load);
    unsigned v = hwloc_get_api_version();
    snprintf(t->hwloc_version, sizeof t->hwloc_version, "%u.%u.%u", v >> 16, (v >> 8) & 0xff,
             v & 0xff);
    return 0;
}

int gct_topology_warnings(const gct_topology *t, char *buf, size_t len)
{
    int n = 0;
    size_t used = 0;
    buf[0] = 0;
#define WARN(...)                                                                                  \
    do {                                                                                           \
        if (used < len)                                                                            \
            used += (size_t)snprintf(buf + used, len - used, __VA_ARGS__);                        \
        if (used < len)                                                                            \
            used += (size_t)snprintf(buf + used, len - used, "\n");                               \
        n++;                                                                                       \
    } while (0)
    if (t->hypervisor[0])
        WARN("running in a virtual machine (%s): other guests share the hardware; expect noise "
             "and compare only runs made side by side",
             t->hypervisor);
    if (t->governor[0] && strcmp(t->governor, "performance") != 0)
        WARN("CPU frequency scaling governor is '%s', not 'performance': clock speed may vary "
             "during a run",
             t->governor);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (online > 0 && t->loadavg1 > 0.5)
        WARN("load average %.2f on %ld CPUs: other work is running and will disturb timings",
             t->loadavg1, online);
    if (t->pus > t->cores)
        WARN("%d hardware threads on %d cores: pinned runs get a core each, but a sibling thread "
             "busy with other work still slows them",
             t->pus, t->cores);
#undef WARN
    return n;
}

int gct_pin_to_core(int index, char *cpus, size_t cpuslen, char *err, size_t errlen)
{
    hwloc_topology_t topo;
    if (load(&topo, err, errlen))
        return -1;
    hwloc_bitmap_t allowed = hwloc_bitmap_alloc();
    if (hwloc_get_cpubind(topo, allowed, HWLOC_CPUBIND_PROCESS) != 0)
        hwloc_bitmap_copy(allowed, hwloc_topology_get_allowed_cpuset(topo));
    int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE), seen = 0, rc = -1;
    for (int i = 0; i < ncores; i++) {
        hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)i);
        if (!hwloc_bitmap_intersects(core->cpuset, allowed))
            continue;
        if (seen++ != index)
            continue;
        hwloc_bitmap_t set = hwloc_bitmap_dup(core->cpuset);
        hwloc_bitmap_and(set, set, allowed);
        hwloc_bitmap_singlify(set); /* one PU: no migration between siblings */
        if (hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_PROCESS) == 0) {
            hwloc_bitmap_list_snprintf(cpus, cpuslen, set);
            rc = 0;
        } else {
            snprintf(err, errlen, "hwloc could not bind to core %d", index);
        }
        hwloc_bitmap_free(set);
        break;
    }
    if (rc && seen <= index)
        snprintf(err, errlen, "core %d does not exist: this process may use %d core(s)", index,
                 seen);
    hwloc_bitmap_free(allowed);
    hwloc_topology_destroy(topo);
    return rc;
}
