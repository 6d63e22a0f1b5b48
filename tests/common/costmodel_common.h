/*
 * common/costmodel_common.h — what the test-costmodel-*.c programs share
 * (common/costmodel_common.c, linked into each of them): synthetic
 * observations of a machine with known coefficients, fitted models and
 * their comparison, temporary cache directories, and running gctune.
 */
#ifndef GCT_TESTS_COMMON_COSTMODEL_H
#define GCT_TESTS_COMMON_COSTMODEL_H

#include <criterion/criterion.h>
#include "gct_test.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "costmodel.h"

#define assert_has(text, sub)                                                                      \
    cr_assert(strstr((text), (sub)) != NULL, "\"%s\" does not contain \"%s\"", (text), (sub))

/* ---- synthetic observations ------------------------------------------------- */

/* The true coefficients of the synthetic machine: ns per object examined,
 * reference traversed, object freed, collection, for generations 0, 1, 2. */
extern const double T_OBJ[3], T_REF[3], T_FREE[3], T_COLL[3];

/* One observation of generation g: n lists of k references, live or dead,
 * at the true cost times (1 + noise x a uniform draw in [-1, 1)). */
void add_obs(gct_costmodel *m, int g, int64_t n, int64_t k, bool live, double noise, bool holdout);

/* The calibration script's design: empty collections, and n lists of k
 * references, live and dead, at sizes that suit each generation. */
void synthetic(gct_costmodel *m, double noise);

/* got within rel (relative) of want. */
void assert_close(double got, double want, double rel, const char *what, int g);

/* m is valid and has the true coefficients, within rel. */
void assert_recovered(const gct_costmodel *m, double rel);

/* ---- models and files ---------------------------------------------------------- */

/* A model fitted to synthetic data with 5% noise, for a test machine. */
void fitted(gct_costmodel *m);

/* The model as JSON text (malloc'd). */
char *dump(const gct_costmodel *m);

/* The same JSON and the same coefficients. */
void assert_same_model(const gct_costmodel *a, const gct_costmodel *b);

/* A fresh temporary directory, its name in tmpdir; remove_tmpdir removes
 * it; use_fresh_cache makes it XDG_CACHE_HOME. */
extern char tmpdir[64];

void make_tmpdir(void);

void remove_tmpdir(void);

/* Writes text to path (the test fails if it cannot). */
void write_text(const char *path, const char *text);

void use_fresh_cache(void);

/* ---- the command ------------------------------------------------------------------- */

typedef struct run_out {
    int status;
    char out[1 << 16], err[4096];
} run_out;

/* Run gctune (meson passes its path in GCTUNE) with args, in this
 * process's environment. */
void gctune(run_out *r, const char *const *args);

#endif
