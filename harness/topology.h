/*
 * topology.h — the machine as hwloc sees it, warnings that matter for
 * measurements, and pinning a process to one core.
 */
#ifndef GCT_TOPOLOGY_H
#define GCT_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gct_topology {
    int packages, cores, pus, numa_nodes;
    int allowed_cores;         /* cores this process may run on */
    int64_t cache_bytes[4];    /* per instance: L1d, L2, L3, L4 (0: none) */
    int cache_count[4];        /* instances of each level */
    char allowed_cpus[128];    /* PUs this process may run on, as a list: "0-1" */
    char cpu_model[128];
    char hypervisor[64];       /* empty when not virtualised (as far as we can tell) */
    char governor[32];         /* cpufreq governor of CPU 0, empty if none exposed */
    double loadavg1;           /* 1-minute load average */
    char hwloc_version[16];
} gct_topology;

int gct_topology_probe(gct_topology *t, char *err, size_t errlen);

/* Warnings about this machine for measurements, one per line into buf;
 * returns how many. */
int gct_topology_warnings(const gct_topology *t, char *buf, size_t len);

/* Bind the calling process to one PU of the index-th core it is allowed to
 * use (0-based).  Writes the PU list to cpus. */
int gct_pin_to_core(int index, char *cpus, size_t cpuslen, char *err, size_t errlen);

#endif
