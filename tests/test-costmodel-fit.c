/*
 * test-costmodel-fit.c — the CPython cost model (results/costmodel.h) on
 * synthetic data.
 *
 *  - fit: known coefficients come back from synthetic observations, exactly
 *    without noise and closely with 5% noise; a coefficient the data would
 *    make negative is 0; too few observations is an error naming the
 *    generation.
 *  - predict: a known work vector gives the known time; an invalid model NaN.
 *
 * Synthetic observations, models, temporary caches and running gctune:
 * common/costmodel_common.h.  No Criterion .timeout (two timed tests at once
 * make Criterion 2.4's runner leak under LeakSanitizer); meson's timeout
 * bounds the program.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calibrate.h"
#include "costmodel.h"
#include "rng.h"

#include "costmodel_common.h"

/* ---- fit ---------------------------------------------------------------------- */

Test(fit, recovers_known_coefficients_exactly_without_noise)
{
    static gct_costmodel m;
    synthetic(&m, 0);
    char err[256];
    GCT_ASSERT_EQ(gct_costmodel_fit(&m, err, sizeof err), 0, "%s", err);
    assert_recovered(&m, 1e-9);
    GCT_ASSERT_LT(m.residual, 1e-9);
    for (int g = 0; g < 3; g++)
        GCT_ASSERT_LT(m.residual_gen[g], 1e-9);
    /* The held-out observation was not fitted: it is off by its factor 10. */
    cr_assert(fabs(m.holdout_residual - 0.9) < 1e-9, "held-out residual %g", m.holdout_residual);
}

Test(fit, recovers_known_coefficients_closely_with_5_percent_noise)
{
    static gct_costmodel m;
    synthetic(&m, 0.05);
    char err[256];
    GCT_ASSERT_EQ(gct_costmodel_fit(&m, err, sizeof err), 0, "%s", err);
    assert_recovered(&m, 0.15);
    cr_assert(m.residual > 0.005 && m.residual < 0.05, "residual %g for 5%% noise", m.residual);
}

/* Time that falls as references rise: least squares would make the
 * reference coefficient negative; the fit holds it at 0 and fits the rest. */
Test(fit, a_coefficient_the_data_makes_negative_is_zero)
{
    static gct_costmodel m;
    gct_costmodel_init(&m);
    static const int64_t traversed[] = {400, 100, 300, 0, 200};
    for (int g = 0; g < 3; g++) {
        for (int i = 0; i < 5; i++) {
            gct_costobs *o = &m.obs[m.nobs++];
            memset(o, 0, sizeof *o);
            snprintf(o->label, sizeof o->label, "odd %d", i);
            o->generation = g;
            o->examined = 100 * (i + 1);
            o->traversed = traversed[i];
            o->collections = 1;
            o->ns = 10.0 * (double)o->examined - 0.5 * (double)o->traversed + 600;
        }
    }
    char err[256];
    GCT_ASSERT_EQ(gct_costmodel_fit(&m, err, sizeof err), 0, "%s", err);
    for (int g = 0; g < 3; g++) {
        GCT_ASSERT_EQ(m.c_ref[g], 0.0, "reference[%d] = %g", g, m.c_ref[g]);
        GCT_ASSERT_GEQ(m.c_obj[g], 0);
        GCT_ASSERT_GEQ(m.c_free[g], 0);
        GCT_ASSERT_GEQ(m.c_coll[g], 0);
        GCT_ASSERT_GT(m.c_obj[g], 0);
    }
}

Test(fit, too_few_observations_is_an_error_naming_the_generation)
{
    static gct_costmodel m;
    synthetic(&m, 0);
    /* Keep generation 2's first three observations only. */
    size_t w = 0, kept2 = 0;
    for (size_t i = 0; i < m.nobs; i++)
        if (m.obs[i].generation != 2 || (!m.obs[i].holdout && kept2++ < 3))
            m.obs[w++] = m.obs[i];
    m.nobs = w;
    char err[256] = "";
    GCT_ASSERT_EQ(gct_costmodel_fit(&m, err, sizeof err), -1);
    assert_has(err, "generation 2");
    cr_assert_not(m.valid);
}

/* ---- predict ----------------------------------------------------------------------- */

Test(predict, a_known_work_vector)
{
    static gct_costmodel m;
    gct_costmodel_init(&m);
    const int64_t ex[3] = {1000, 200, 50}, tr[3] = {3000, 400, 100}, fr[3] = {10, 20, 0},
                  co[3] = {4, 2, 1};
    int64_t zero[3] = {0, 0, 0};
    cr_assert(isnan(gct_costmodel_predict_s(&m, ex, tr, fr, co)), "an invalid model predicts");
    for (int g = 0; g < 3; g++) {
        m.c_obj[g] = T_OBJ[g];
        m.c_ref[g] = T_REF[g];
        m.c_free[g] = T_FREE[g];
        m.c_coll[g] = T_COLL[g];
    }
    m.valid = true;
    /* gen0 10*1000 + 5*3000 + 50*10 + 200*4 = 26300
     * gen1 15*200 + 6*400 + 60*20 + 180*2 = 6960
     * gen2 20*50 + 8*100 + 0 + 500 = 2300 */
    double s = gct_costmodel_predict_s(&m, ex, tr, fr, co);
    cr_assert(fabs(s - 35560e-9) < 1e-15, "predicted %.12g s", s);
    GCT_ASSERT_EQ(gct_costmodel_predict_s(&m, zero, zero, zero, zero), 0.0);
    gct_costobs o = {.generation = 1, .examined = 200, .traversed = 400, .freed = 20,
                     .collections = 2};
    GCT_ASSERT_LT(fabs(gct_costmodel_predict_obs_ns(&m, &o) - 6960), 1e-9);
}
