/* common/workloads_common.c — the helpers of the test-workloads-*.c programs
 * (what they do: common/workloads_common.h). */
#include <criterion/criterion.h>
#include "gct_test_workload.h"
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"
#include "workload.h"

#include "workloads_common.h"

/* ---- helpers ------------------------------------------------------------- */

/* Small thresholds, so that small runs collect often. */
gct_heap *busy_heap(const char *collector)
{
    static const char *const gencycle[] = {"gen0=60", "gen1=4", "gen2=3"};
    static const char *const marksweep[] = {"gen0=300"};
    if (!strcmp(collector, "gencycle"))
        return gct_test_heap_knobs(collector, gencycle, 3);
    if (!strcmp(collector, "marksweep"))
        return gct_test_heap_knobs(collector, marksweep, 1);
    return gct_test_heap_knobs(collector, NULL, 0);
}

void verify(gct_heap *h, const char *when)
{
    char err[ERRLEN] = "";
    cr_assert(gct_heap_verify(h, true, err, sizeof err), "%s: verify %s: %s", gct_heap_collector(h)->name, when,
              err);
}

double metric(const gct_workload_run *r, const char *name)
{
    gct_workload_metric m[GCT_WL_MAX_METRICS + 2];
    size_t n = gct_workload_metrics(r, m, sizeof m / sizeof m[0]);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].name, name))
            return m[i].value;
    cr_assert_fail("workload %s reports no metric %s", r->wl->name, name);
    return NAN;
}

int64_t leaks(gct_heap *h)
{
    int64_t objects = -1;
    gct_heap_leaks(h, &objects, NULL);
    return objects;
}

/* ---- the small configurations ---------------------------------------- */

static const config table[] = {
    {"trees", {"depth=5", "long_depth=7", "parent=strong"}, 40, false},
    {"trees", {"depth=5", "long_depth=7", "parent=weak"}, 40, false},
    {"trees", {"depth=5", "long_depth=7", "parent=none"}, 40, false},
    {"dlist", {"lists=8", "length=40", "drop_every=25", "backlinks=strong"}, 400, false},
    {"dlist", {"lists=8", "length=40", "drop_every=25", "backlinks=weak"}, 400, false},
    {"cache", {"keys=500", "capacity=60", "value_objects=3", "values=strong"}, 800, false},
    {"cache", {"keys=500", "capacity=60", "value_objects=3", "values=weak", "hold=20"}, 800, true},
    {"requests", {"old_objects=2000", "request_objects=60", "cyclic=0.2", "writes=3"}, 200, false},
    {"longlived",
     {"live_objects=6000", "initial=2000", "grow=20", "young=20", "survive=0.05"},
     300,
     false},
};
_Static_assert(sizeof table / sizeof table[0] == NCONFIGS, "NCONFIGS counts the table");
const config *const configs = table;

size_t nsettings(const config *c)
{
    size_t n = 0;
    while (n < MAXSET && c->settings[n])
        n++;
    return n;
}

const char *describe(const config *c, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "%s", c->workload);
    for (size_t i = 0; i < nsettings(c) && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, " %s", c->settings[i]);
    return buf;
}

const char *const collectors[3] = {"refcount", "gencycle", "marksweep"};

/* Runs a configuration on a busy heap, verifying the heap with exact
 * reference counts every `every` operations. */
gct_workload_run *run_config(gct_heap *h, const config *c, uint64_t seed, int64_t every)
{
    gct_workload_run *r = gct_test_workload(h, c->workload, c->settings, nsettings(c), seed);
    for (int64_t i = 0; i < c->ops; i++) {
        gct_workload_op(r);
        if (every && (i + 1) % every == 0) {
            verify(h, "during the run");
            gct_test_workload_check(r);
        }
    }
    return r;
}
