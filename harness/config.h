/*
 * config.h — one configuration: a collector with every knob set, a workload
 * with every parameter set, and the amount of work.  A sweep expands into
 * these; a repetition (repetition.h) measures one.
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
    int reps;       /* repetitions: one process each, one per round */
    uint64_t seed;
    char aa_of[256]; /* an A/A control: the id of the configuration it twins ("" if none) */
} gct_config;

/* Knob defaults and parameter defaults. */
void gct_config_init(gct_config *c, const gct_collector *col, const gct_workload *wl);

/* Fill c->id from the collector, the workload, the gen* knobs, and every
 * other knob or parameter that differs from its default. */
void gct_config_make_id(gct_config *c);

/* "gen0=700;gen1=10;gen2=10;cascade=1000" and "depth=12;parent=strong". */
void gct_config_knobs_text(const gct_config *c, char *buf, size_t len);
void gct_config_params_text(const gct_config *c, char *buf, size_t len);

/* A twin of c, identical in every setting, as an A/A control: its id is
 * "aa." + c's id, so that selections by collector ("gencycle.*") leave it
 * out. */
void gct_config_make_twin(const gct_config *c, gct_config *twin);

/* Initialise r (gct_result_init) with c's identity: id, collector,
 * workload, knobs, params, gen0..2, seed, ops, aa_of. */
struct gct_result;
void gct_config_record(const gct_config *c, struct gct_result *r);

/* Every knob at the collector's default. */
bool gct_config_is_default(const gct_config *c);

/* Value of the named knob, or -1 if the collector has none. */
int64_t gct_config_knob(const gct_config *c, const char *name);

/* A heap for this configuration (errors as gct_heap_new). */
gct_heap *gct_config_heap(const gct_config *c, char *err, size_t errlen);

#endif
