/*
 * test-costmodel-files.c — the CPython cost model's files.
 *
 *  - json: to_json / from_json / the cache file round trip; a malformed cache
 *    file is an error naming the file (and the field).
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

/* ---- JSON and the cache file ------------------------------------------------------- */

Test(json, round_trip)
{
    static gct_costmodel m, back;
    fitted(&m);
    json_t *j = gct_costmodel_to_json(&m);
    char err[256] = "";
    GCT_ASSERT_EQ(gct_costmodel_from_json(&back, j, err, sizeof err), 0, "%s", err);
    json_decref(j);
    assert_same_model(&m, &back);
    cr_assert(back.valid);
    GCT_ASSERT_EQ(back.nobs, m.nobs);
    GCT_ASSERT_STR_EQ(back.obs[3].label, m.obs[3].label);
    cr_assert(back.obs[m.nobs - 1].holdout);
    /* No held-out observations: the residual is NaN, written as null. */
    m.nobs--;
    m.holdout_residual = NAN;
    j = gct_costmodel_to_json(&m);
    cr_assert(json_is_null(json_object_get(json_object_get(j, "fit"), "holdout_residual")));
    GCT_ASSERT_EQ(gct_costmodel_from_json(&back, j, err, sizeof err), 0, "%s", err);
    cr_assert(isnan(back.holdout_residual));
    json_decref(j);
}

Test(json, the_cache_file_round_trips_and_its_directory_is_made)
{
    make_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/cpython-cost.json", tmpdir);
    static gct_costmodel m, back;
    fitted(&m);
    char err[512];
    GCT_ASSERT_EQ(gct_costmodel_save(&m, path, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(gct_costmodel_load(&back, path, err, sizeof err), 0, "%s", err);
    assert_same_model(&m, &back);
    remove_tmpdir();
}

/* Each malformed file: load fails with the path and what is wrong. */
Test(json, a_malformed_cache_file_is_an_error_naming_the_file)
{
    make_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/cpython-cost.json", tmpdir);
    static gct_costmodel m;
    char err[512];

    GCT_ASSERT_EQ(gct_costmodel_load(&m, path, err, sizeof err), -1);
    assert_has(err, path);

    write_text(path, "{\"schema\": 1, \"coefficients_ns\": ");
    GCT_ASSERT_EQ(gct_costmodel_load(&m, path, err, sizeof err), -1);
    assert_has(err, path);
    assert_has(err, "not JSON");

    write_text(path, "[1, 2, 3]\n");
    GCT_ASSERT_EQ(gct_costmodel_load(&m, path, err, sizeof err), -1);
    assert_has(err, path);
    assert_has(err, "schema");

    /* A valid file with one thing wrong at a time. */
    fitted(&m);
    json_t *good = gct_costmodel_to_json(&m);
    static const struct {
        const char *what, *expect;
    } cases[] = {
        {"schema 2", "schema 2"},
        {"no coefficients", "coefficients_ns"},
        {"negative coefficient", "coefficients_ns.reference[1]"},
        {"two coefficients", "coefficients_ns.freed"},
        {"observation without ns", "observations[2].ns"},
        {"generation 3", "observations[0].generation"},
        {"no hostname", "machine.hostname"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = json_deep_copy(good);
        json_t *c = json_object_get(j, "coefficients_ns");
        switch (i) {
        case 0: json_object_set_new(j, "schema", json_integer(2)); break;
        case 1: json_object_del(j, "coefficients_ns"); break;
        case 2: json_array_set_new(json_object_get(c, "reference"), 1, json_real(-1)); break;
        case 3: json_array_remove(json_object_get(c, "freed"), 0); break;
        case 4: json_object_del(json_array_get(json_object_get(j, "observations"), 2), "ns"); break;
        case 5:
            json_object_set_new(json_array_get(json_object_get(j, "observations"), 0),
                                "generation", json_integer(3));
            break;
        case 6: json_object_del(json_object_get(j, "machine"), "hostname"); break;
        }
        GCT_ASSERT_EQ(json_dump_file(j, path, 0), 0);
        json_decref(j);
        err[0] = 0;
        GCT_ASSERT_EQ(gct_costmodel_load(&m, path, err, sizeof err), -1, "%s: loaded",
                      cases[i].what);
        assert_has(err, path);
        assert_has(err, cases[i].expect);
    }
    json_decref(good);
    remove_tmpdir();
}
