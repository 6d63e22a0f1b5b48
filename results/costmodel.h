/*
 * costmodel.h — the time CPython's cycle collector would spend on a given
 * amount of work, on this machine.
 *
 * A collector's work is exact for a seed (collectors/heap.h, gct_gen_stats);
 * its time is not.  The model turns work into CPython's time:
 *
 *   ns = sum over generations g of  c_obj[g]  * examined_g
 *                                 + c_ref[g]  * traversed_g
 *                                 + c_free[g] * freed_g
 *                                 + c_coll[g] * collections_g
 *
 * with examined and traversed as gencycle counts them (CPython 3.11's
 * passes).  The coefficients are fitted to observations of the real
 * interpreter (harness/calibrate.c runs harness/calibrate_cpython.py):
 * non-negative least squares of the relative error, each generation on its
 * own, observations marked held-out left out of the fit.  The generations
 * get coefficients of their own because their collections differ in more
 * than size: a young generation was just written and sits in cache, a full
 * collection walks a heap that does not.
 *
 * This file is the pure model (fit, prediction, JSON, its cache file); it
 * knows nothing of how observations were measured.
 */
#ifndef GCT_COSTMODEL_H
#define GCT_COSTMODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The JSON's schema; a newer one is refused. */
#define GCT_COSTMODEL_SCHEMA 1
#define GCT_COSTMODEL_NGEN 3
#define GCT_COSTMODEL_MAX_OBS 128

/* One measured collection (or several alike, measured together). */
typedef struct gct_costobs {
    char label[48]; /* what was collected, e.g. "gen0 dead n=700 k=4" */
    int generation; /* 0..2 */
    int64_t examined, traversed, freed, collections;
    double ns;      /* measured time of all `collections` together */
    bool holdout;   /* measured to test the fit, not to make it */
} gct_costobs;

typedef struct gct_costmodel {
    bool valid; /* coefficients fitted or loaded; predictions are NaN otherwise */
    /* ns per object examined, reference traversed, object freed, collection */
    double c_obj[GCT_COSTMODEL_NGEN], c_ref[GCT_COSTMODEL_NGEN];
    double c_free[GCT_COSTMODEL_NGEN], c_coll[GCT_COSTMODEL_NGEN];
    /* The fit: root mean square of (predicted - measured) / measured over
     * the fitted observations, all and per generation, and over the
     * held-out ones (NaN when there are none). */
    double residual, residual_gen[GCT_COSTMODEL_NGEN], holdout_residual;
    /* Where the observations came from: the model is valid for this
     * machine and interpreter only. */
    char cpu[128], hostname[128];
    char python[512], python_version[32];
    char date[32]; /* UTC, ISO 8601 */
    size_t nobs;
    gct_costobs obs[GCT_COSTMODEL_MAX_OBS];
} gct_costmodel;

void gct_costmodel_init(gct_costmodel *m);

/* Fit the coefficients to m->obs (held-out ones excluded).  Each generation
 * needs at least 4 fitted observations.  0, or -1 with err. */
int gct_costmodel_fit(gct_costmodel *m, char *err, size_t errlen);

/* Predicted ns of one observation's work (its generation's coefficients). */
double gct_costmodel_predict_obs_ns(const gct_costmodel *m, const gct_costobs *o);

/* Predicted CPython GC seconds for the given per-generation work; NaN if the
 * model is not valid. */
double gct_costmodel_predict_s(const gct_costmodel *m, const int64_t examined[3],
                               const int64_t traversed[3], const int64_t freed[3],
                               const int64_t collections[3]);

/* The whole model as JSON (for meta.json and the cache file): schema,
 * machine, interpreter, date, coefficients, fit, observations. */
json_t *gct_costmodel_to_json(const gct_costmodel *m);
/* The inverse, strict: every field present with its type, coefficients
 * finite and non-negative.  0, or -1 with err naming the field. */
int gct_costmodel_from_json(gct_costmodel *m, json_t *j, char *err, size_t errlen);

/* Append the observations of a JSON array (the calibration script's and the
 * cache's format) to m->obs.  0, or -1 with err naming the entry. */
int gct_costmodel_add_observations(gct_costmodel *m, json_t *arr, char *err, size_t errlen);

/* The cache file: written atomically (a temporary file, then rename), its
 * directory created if missing; read strictly.  Errors name the file. */
int gct_costmodel_save(const gct_costmodel *m, const char *path, char *err, size_t errlen);
int gct_costmodel_load(gct_costmodel *m, const char *path, char *err, size_t errlen);

#endif
