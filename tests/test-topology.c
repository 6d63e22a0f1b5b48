/* test-topology.c — hwloc probing, warnings and pinning. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <sched.h>
#include <string.h>

#include "topology.h"

Test(topology, probe_reports_a_plausible_machine)
{
    gct_topology t;
    char err[256];
    GCT_ASSERT_EQ(gct_topology_probe(&t, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_GEQ(t.cores, 1);
    GCT_ASSERT_GEQ(t.pus, t.cores);
    GCT_ASSERT_GEQ(t.packages, 1);
    GCT_ASSERT_GEQ(t.allowed_cores, 1);
    GCT_ASSERT_LEQ(t.allowed_cores, t.cores);
    cr_assert(t.allowed_cpus[0], "the allowed CPU list is empty");
    cr_assert(t.hwloc_version[0] == '2', "hwloc %s", t.hwloc_version);
}

Test(topology, pinning_binds_to_exactly_one_cpu)
{
    char cpus[64], err[256];
    GCT_ASSERT_EQ(gct_pin_to_core(0, cpus, sizeof cpus, err, sizeof err), 0, "%s", err);
    cpu_set_t set;
    GCT_ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
    GCT_ASSERT_EQ(CPU_COUNT(&set), 1, "bound to %d CPUs (%s)", CPU_COUNT(&set), cpus);
}

Test(topology, pinning_to_a_missing_core_says_how_many_exist)
{
    char cpus[64], err[256];
    GCT_ASSERT_EQ(gct_pin_to_core(4096, cpus, sizeof cpus, err, sizeof err), -1);
    cr_assert(strstr(err, "core 4096 does not exist"), "%s", err);
}

Test(topology, warnings_name_what_disturbs_measurements)
{
    gct_topology t;
    memset(&t, 0, sizeof t);
    t.cores = 2;
    t.pus = 2;
    char buf[2048];
    GCT_ASSERT_EQ(gct_topology_warnings(&t, buf, sizeof buf), 0, "%s", buf);
    strcpy(t.hypervisor, "KVM");
    strcpy(t.governor, "powersave");
    t.loadavg1 = 3.5;
    t.pus = 4;
    GCT_ASSERT_EQ(gct_topology_warnings(&t, buf, sizeof buf), 4, "%s", buf);
    cr_assert(strstr(buf, "virtual machine (KVM)"));
    cr_assert(strstr(buf, "'powersave'"));
    cr_assert(strstr(buf, "load average 3.50"));
    cr_assert(strstr(buf, "4 hardware threads on 2 cores"));
}
