/*
 * test-costmodel-real.c — the CPython cost model's calibration
 * (harness/calibrate.h, `gctune calibrate`) on the real interpreter.
 *
 *  - real: the real python3 is measured: the coefficients are positive, the
 *    held-out collections are priced, the model is cached and found again,
 *    and a cache for another machine is not used.  No timing assertion (the
 *    machine may be shared and noisy): how well the held-out collections are
 *    predicted is the benchmark calibrate-heldout's question.
 *  - command: `gctune calibrate`'s errors and exit statuses, --show, --json.
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

/* ---- the real interpreter ------------------------------------------------------------ */

Test(real, python3_is_calibrated_and_cached)
{
    char py[4096], err[1024];
    if (gct_python_find(NULL, py, sizeof py, err, sizeof err))
        cr_skip_test("%s", err);
    use_fresh_cache();
    static gct_costmodel m, again;
    GCT_ASSERT_EQ(gct_costmodel_obtain(&m, false, NULL, err, sizeof err), -1);
    assert_has(err, "no cost model cached");

    char path[4096];
    GCT_ASSERT_EQ(gct_costmodel_cache_path(path, sizeof path, err, sizeof err), 0);
    GCT_ASSERT_EQ(gct_costmodel_obtain(&m, true, NULL, err, sizeof err), 0, "%s", err);
    cr_assert(m.valid);
    for (int g = 0; g < 3; g++)
        cr_assert(m.c_obj[g] > 0 && m.c_ref[g] > 0 && m.c_free[g] > 0 && m.c_coll[g] > 0,
                  "generation %d: object %g, reference %g, freed %g, collection %g ns", g,
                  m.c_obj[g], m.c_ref[g], m.c_free[g], m.c_coll[g]);
    cr_assert(m.python[0] && m.python_version[0] && m.cpu[0] && m.hostname[0] && m.date[0]);
    /* Held-out structures are measured and priced.  How close the price is
     * to the measured time is a question of timing on a shared machine: the
     * benchmark calibrate-heldout (bench/calibrate-heldout.py) asks it. */
    size_t held = 0;
    for (size_t i = 0; i < m.nobs; i++) {
        const gct_costobs *o = &m.obs[i];
        if (!o->holdout)
            continue;
        double p = gct_costmodel_predict_obs_ns(&m, o);
        cr_assert(isfinite(p) && p > 0 && o->ns > 0, "%s: predicted %g ns, measured %g ns",
                  o->label, p, o->ns);
        held++;
    }
    GCT_ASSERT_GEQ(held, 3, "held-out observations");

    /* Cached where the documentation says, and found again without measuring. */
    char want[512];
    snprintf(want, sizeof want, "%s/gctune/cpython-cost.json", tmpdir);
    GCT_ASSERT_STR_EQ(path, want);
    GCT_ASSERT_EQ(gct_costmodel_obtain(&again, false, NULL, err, sizeof err), 0, "%s", err);
    assert_same_model(&m, &again);

    /* A cache for another machine is not used. */
    snprintf(again.hostname, sizeof again.hostname, "elsewhere");
    GCT_ASSERT_EQ(gct_costmodel_save(&again, path, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(gct_costmodel_obtain(&again, false, NULL, err, sizeof err), -1);
    assert_has(err, "another machine");
    /* Nor for another interpreter. */
    gct_costmodel_load(&again, path, err, sizeof err);
    snprintf(again.hostname, sizeof again.hostname, "%s", m.hostname);
    snprintf(again.python_version, sizeof again.python_version, "2.7.18");
    GCT_ASSERT_EQ(gct_costmodel_save(&again, path, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(gct_costmodel_obtain(&again, false, NULL, err, sizeof err), -1);
    assert_has(err, "another interpreter");

    /* A broken cache is an error naming it, even when calibrating is allowed. */
    write_text(path, "garbage");
    GCT_ASSERT_EQ(gct_costmodel_obtain(&again, true, NULL, err, sizeof err), -1);
    assert_has(err, path);
    assert_has(err, "gctune calibrate");
    remove_tmpdir();
}

Test(real, no_interpreter_is_a_clear_error)
{
    char err[512];
    static gct_costmodel m;
    GCT_ASSERT_EQ(setenv("PATH", "/nonexistent", 1), 0);
    GCT_ASSERT_EQ(gct_calibrate(&m, NULL, err, sizeof err), -1);
    assert_has(err, "no python3 on PATH");
    GCT_ASSERT_EQ(gct_calibrate(&m, "/nonexistent/python3", err, sizeof err), -1);
    assert_has(err, "/nonexistent/python3");
    /* An interpreter that fails: its message comes through. */
    make_tmpdir();
    char fake[128];
    snprintf(fake, sizeof fake, "%s/python3", tmpdir);
    write_text(fake, "#!/bin/sh\necho 'Fatal Python error: no luck' >&2\nexit 7\n");
    chmod(fake, 0755);
    GCT_ASSERT_EQ(gct_calibrate(&m, fake, err, sizeof err), -1);
    assert_has(err, "status 7");
    assert_has(err, "no luck");
    cr_assert_not(m.valid);
    remove_tmpdir();
}

/* ---- the command ------------------------------------------------------------------- */

Test(command, bad_flags_exit_2_naming_the_flag)
{
    static run_out r;
    gctune(&r, (const char *const[]){"calibrate", "--bogus", NULL});
    GCT_ASSERT_EQ(r.status, 2, "%s", r.err);
    assert_has(r.err, "--bogus");
    gctune(&r, (const char *const[]){"calibrate", "--python", NULL});
    GCT_ASSERT_EQ(r.status, 2, "%s", r.err);
    assert_has(r.err, "--python");
    gctune(&r, (const char *const[]){"calibrate", "extra", NULL});
    GCT_ASSERT_EQ(r.status, 2, "%s", r.err);
    assert_has(r.err, "extra");
    gctune(&r, (const char *const[]){"calibrate", "--help", NULL});
    GCT_ASSERT_EQ(r.status, 0);
    assert_has(r.out, "usage: gctune calibrate");
    gctune(&r, (const char *const[]){"--help", NULL});
    assert_has(r.out, "calibrate");
}

Test(command, no_python3_exits_1_with_a_clear_message)
{
    use_fresh_cache();
    static run_out r;
    GCT_ASSERT_EQ(setenv("PATH", "/nonexistent", 1), 0);
    gctune(&r, (const char *const[]){"calibrate", NULL});
    GCT_ASSERT_EQ(r.status, 1, "%s", r.err);
    assert_has(r.err, "no python3 on PATH");
    gctune(&r, (const char *const[]){"calibrate", "--python", "/nonexistent/python", NULL});
    GCT_ASSERT_EQ(r.status, 1, "%s", r.err);
    assert_has(r.err, "/nonexistent/python");
    remove_tmpdir();
}

Test(command, show_prints_the_cached_model_or_says_there_is_none)
{
    use_fresh_cache();
    static run_out r;
    gctune(&r, (const char *const[]){"calibrate", "--show", NULL});
    GCT_ASSERT_EQ(r.status, 1, "%s", r.err);
    assert_has(r.err, "gctune calibrate");
    static gct_costmodel m;
    fitted(&m);
    char path[4096], err[512];
    GCT_ASSERT_EQ(gct_costmodel_cache_path(path, sizeof path, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(gct_costmodel_save(&m, path, err, sizeof err), 0, "%s", err);
    gctune(&r, (const char *const[]){"calibrate", "--show", NULL});
    GCT_ASSERT_EQ(r.status, 0, "%s", r.err);
    assert_has(r.out, "testhost");
    assert_has(r.out, "/usr/bin/python3.11");
    assert_has(r.out, "reference");
    assert_has(r.out, "held out");
    gctune(&r, (const char *const[]){"calibrate", "--show", "--json", NULL});
    GCT_ASSERT_EQ(r.status, 0, "%s", r.err);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    cr_assert(j, "not JSON: %s", je.text);
    static gct_costmodel back;
    GCT_ASSERT_EQ(gct_costmodel_from_json(&back, j, err, sizeof err), 0, "%s", err);
    assert_same_model(&m, &back);
    GCT_ASSERT_STR_EQ(json_string_value(json_object_get(j, "cache")), path);
    json_decref(j);
    /* A broken cache: exit 1 naming it. */
    write_text(path, "{");
    gctune(&r, (const char *const[]){"calibrate", "--show", NULL});
    GCT_ASSERT_EQ(r.status, 1);
    assert_has(r.err, path);
    remove_tmpdir();
}
