/* trace_workload.c — a trace file as a workload (trace_workload.h). */
#define _GNU_SOURCE
#include "trace_workload.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "trace.h"

typedef struct trace_workload {
    gct_workload wl; /* first: a run's r->wl is this */
    gct_trace trace;
    char *real;      /* the file's realpath: the same file however it is named */
    char name[80];
    char summary[600];
} trace_workload;

/* Every trace workload made, for the life of the process. */
static trace_workload **made;
static size_t nmade;

static const trace_workload *of(const gct_workload_run *r) { return (const trace_workload *)r->wl; }

static int tw_setup(gct_workload_run *r, char *err, size_t errlen)
{
    (void)r, (void)err, (void)errlen;
    return GCT_OK;
}

/* One replay of the whole trace.  A collector that cannot do one of its
 * operations fails the run, naming the line, and the rest is not replayed. */
static void tw_op(gct_workload_run *r)
{
    if (r->failed)
        return;
    char err[512];
    if (gct_trace_run(&of(r)->trace, r->h, err, sizeof err))
        gct_workload_fail(r, "%s", err);
}

static bool tw_check(gct_workload_run *r, char *err, size_t errlen)
{
    if (gct_root_depth(r->h) != r->root_base) {
        snprintf(err, errlen, "root depth is %zu, expected %zu", gct_root_depth(r->h),
                 r->root_base);
        return false;
    }
    return true;
}

static void tw_teardown(gct_workload_run *r) { (void)r; }

static size_t tw_metrics(const gct_workload_run *r, gct_workload_metric *out, size_t max)
{
    if (!max)
        return 0;
    out[0] = (gct_workload_metric){"trace_operations", (double)of(r)->trace.n};
    return 1;
}

const gct_workload *gct_trace_workload_find(const char *name)
{
    for (size_t i = 0; i < nmade; i++)
        if (!strcmp(made[i]->name, name))
            return &made[i]->wl;
    return NULL;
}

const gct_workload *gct_trace_workload(const char *path, char *err, size_t errlen)
{
    char name[80];
    gct_workload_name_from_file(path, "trace-", ".trace", name, sizeof name);
    char *real = realpath(path, NULL);
    for (size_t i = 0; i < nmade; i++) {
        if (strcmp(made[i]->name, name))
            continue;
        if (!strcmp(made[i]->trace.path, path) || (real && !strcmp(made[i]->real, real))) {
            free(real);
            return &made[i]->wl;
        }
        free(real);
        snprintf(err, errlen,
                 "trace:%s and trace:%s would both be the workload %s: rename one of the files",
                 made[i]->trace.path, path, name);
        return NULL;
    }
    trace_workload *tw = gct_xcalloc(1, sizeof *tw);
    if (gct_trace_load(&tw->trace, path, err, errlen)) {
        free(real);
        free(tw);
        return NULL;
    }
    tw->real = real ? real : gct_xstrdup(path); /* it was read: realpath works but for races */
    snprintf(tw->name, sizeof tw->name, "%s", name);
    snprintf(tw->summary, sizeof tw->summary,
             "the trace %s (%zu operations): one operation replays all of it", path,
             tw->trace.n);
    tw->wl = (gct_workload){
        .abi = GCT_WORKLOAD_ABI,
        .name = tw->name,
        .summary = tw->summary,
        .preset_ops = {[GCT_PRESET_QUICK] = 1, [GCT_PRESET_DEFAULT] = 1, [GCT_PRESET_FULL] = 1},
        .setup = tw_setup,
        .op = tw_op,
        .check = tw_check,
        .teardown = tw_teardown,
        .metrics = tw_metrics,
    };
    made = gct_xrealloc(made, nmade + 1, sizeof *made);
    made[nmade++] = tw;
    return &tw->wl;
}
