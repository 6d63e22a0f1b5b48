/*
 * config.h — one configuration: a collector with every knob set, a workload
 * with every parameter set, and the amount of work.  A sweep expands into
 * these; the runner measures one.
 */
#ifndef GCT_CONFIG_H
#define GCT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "workload.h"

typedef struct gct_config {
    char id[256]; /* collector.workload.gen0-700...: also a file name */
    const gct_collector *collector;
    int64_t knobs[GCT_MAX_KNOBS]; /* in the order of collector->knobs */
    const gct_workload *workload;
    double params[GCT_WL_MAX_PARAMS]; /* in the order of workload->params */
    int64_t ops;
    int reps;
    uint64_t seed;
} gct_config;

/* Knob defaults and parameter defaults. */
void gct_config_init(gct_config *c, const gct_collector *col, const gct_workload *wl);

/* Fill c->id from the collector, the workload, the gen* knobs, and every
 * other knob or parameter that differs from its default. */
void gct_config_make_id(gct_config *c);

/* "gen0=700;gen1=10;gen2=10;cascade=1000" and "depth=12;parent=strong". */
void gct_config_knobs_text(const gct_config *c, char *buf, size_t len);
void gct_config_params_text(const gct_config *c, char *buf, size_t len);

/* Value of the named knob, or -1 if the collector has none. */
int64_t gct_config_knob(const gct_config *c, const char *name);

/* A heap for this configuration (errors as gct_heap_new). */
gct_heap *gct_config_heap(const gct_config *c, char *err, size_t errlen);

#endif
