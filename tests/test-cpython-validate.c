/*
 * test-cpython-validate.c — `gctune validate`'s comparison of gencycle and the
 * embedded CPython collector: every workload matches end to end; the
 * comparison reports a divergence where there is one; the command's tables,
 * JSON and exit status.
 *
 * Without the backend (no python3-dev) only the "absent" test runs.
 *
 * The heaps, traces, outcomes and programs these tests share, and running
 * the gctune command: common/cpython_common.h.
 *
 * No test here sets Criterion's .timeout (meson's 900 s covers them): with
 * two such tests running at once, Criterion 2.4's runner leaks a 48-byte
 * block that LeakSanitizer reports in the ASan build, failing the program.
 */
#define _POSIX_C_SOURCE 200809L
#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif

#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector.h"
#include "heap.h"
#include "rng.h"
#include "validate.h"
#include "workload.h"

#include "cpython_common.h"

#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON

/* ---- validate --------------------------------------------------------------------------- */

Test(validate, every_workload_matches_end_to_end)
{
    gct_vworkload rows[32];
    char err[256];
    size_t n = gct_validate_default_workloads(rows, 32, err, sizeof err);
    cr_assert(n >= 5, "%s", err);
    gct_vthresholds th[2];
    cr_assert(gct_validate_parse_thresholds("100/2/2", &th[0]));
    cr_assert(gct_validate_parse_thresholds("10/10/10", &th[1]));
    for (size_t i = 0; i < n; i++) {
        rows[i].ops = rows[i].wl == &gct_workload_dlist || rows[i].wl == &gct_workload_cache ? 2000
                                                                                           : 100;
        for (int j = 0; j < 2; j++) {
            gct_vcase c = {.w = &rows[i], .th = &th[j]};
            gct_validate_case(&c, 7);
            GCT_ASSERT_EQ(c.status, GCT_V_MATCH, "%s @ %s: %s: %s", rows[i].label, th[j].label,
                          gct_vstatus_name(c.status), c.detail);
            GCT_ASSERT_GT(c.real.ncolls, 2, "%s @ %s: no automatic collection", rows[i].label,
                          th[j].label);
            gct_vtrace_free(&c.model);
            gct_vtrace_free(&c.real);
        }
    }
}

Test(validate, a_divergence_is_reported_where_it_happens)
{
    gct_vworkload rows[32];
    char err[256];
    cr_assert(gct_validate_default_workloads(rows, 32, err, sizeof err), "%s", err);
    rows[0].ops = 50;
    gct_vthresholds a, b;
    cr_assert(gct_validate_parse_thresholds("700/10/10", &a));
    cr_assert(gct_validate_parse_thresholds("701/10/10", &b));
    gct_vcase c = {.w = &rows[0], .th = &a};
    gct_validate_trace("gencycle", &rows[0], &a, 1, &c.model);
    gct_validate_trace("cpython", &rows[0], &b, 1, &c.real);
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH, "%s", c.summary);
    cr_assert(strstr(c.detail, "collection #1:"), "%s", c.detail);
    cr_assert(strstr(c.summary, "alloc +1"), "%s", c.summary);

    /* Same trace, one collected count off: named with its difference. */
    gct_vtrace_free(&c.real);
    gct_validate_trace("cpython", &rows[0], &a, 1, &c.real);
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MATCH, "%s", c.detail);
    c.real.colls[3].collected -= 2;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    cr_assert(strstr(c.summary, "#4") && strstr(c.summary, "coll -2"), "%s", c.summary);
    c.real.colls[3].collected += 2;

    /* The same collection, the same set, different traversal work. */
    c.real.colls[2].traversed += 5;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    cr_assert(strstr(c.summary, "#3") && strstr(c.summary, "traversed +5"), "%s", c.summary);
    cr_assert(strstr(c.detail, "traversed"), "%s", c.detail);
    c.real.colls[2].traversed -= 5;

    /* Per-generation totals are compared too. */
    c.real.stats[0].traversed++;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    GCT_ASSERT_STR_EQ(c.summary, "gen0 stats");
    c.real.stats[0].traversed--;

    /* A missing collection at the end. */
    c.real.ncolls--;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    cr_assert(strstr(c.summary, "-1 collections"), "%s", c.summary);
    c.real.ncolls++;

    /* The checksum: what the workload observed. */
    c.real.checksum ^= 1;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_MISMATCH);
    GCT_ASSERT_STR_EQ(c.summary, "checksum");
    c.real.checksum ^= 1;

    /* A failed run is a failure, whatever the rest says. */
    c.real.ok = false;
    snprintf(c.real.err, sizeof c.real.err, "self-check: broken");
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_FAILED);
    cr_assert(strstr(c.detail, "broken"), "%s", c.detail);
    gct_vtrace_free(&c.model);
    gct_vtrace_free(&c.real);
}

Test(validate, an_explained_difference_keeps_its_reason)
{
    gct_vworkload rows[32];
    char err[256];
    cr_assert(gct_validate_default_workloads(rows, 32, err, sizeof err), "%s", err);
    rows[0].ops = 20;
    gct_vthresholds a;
    cr_assert(gct_validate_parse_thresholds("700/10/10", &a));
    gct_vcase c = {.w = &rows[0], .th = &a};
    gct_validate_trace("gencycle", &rows[0], &a, 1, &c.model);
    gct_validate_trace("cpython", &rows[0], &a, 1, &c.real);
    /* As if count[0] had passed INT_MAX: the interpreter's is a C int. */
    c.model.max_count0 = c.real.max_count0 = INT64_C(3000000000);
    c.real.count[0] += 1;
    gct_validate_compare(&c);
    GCT_ASSERT_EQ(c.status, GCT_V_EXPLAINED, "%s", gct_vstatus_name(c.status));
    cr_assert(strstr(c.reason, "INT_MAX"), "%s", c.reason);
    cr_assert(c.detail[0], "an explained difference lost its divergence");
    gct_vtrace_free(&c.model);
    gct_vtrace_free(&c.real);
}

Test(validate, the_command_prints_tables_or_json_and_exits_by_outcome)
{
    cmd_out o = gctune((const char *const[]){"validate", "-w", "cache", "--thresholds",
                                              "700/10/10,3/2/2", "--ops", "300", "--json", "-q",
                                              NULL});
    GCT_ASSERT_EQ(o.status, 0, "validate exited %d: %s", o.status, o.err);
    json_error_t je;
    json_t *j = json_loads(o.out, 0, &je);
    cr_assert(j, "not JSON: %s", je.text);
    json_t *cases = json_object_get(j, "cases");
    GCT_ASSERT_EQ(json_array_size(cases), 4, "cache and cache values=weak x 2 thresholds");
    GCT_ASSERT_EQ(json_integer_value(json_object_get(json_object_get(j, "summary"), "match")), 4);
    cr_assert(json_string_length(json_object_get(j, "cpython_version")) > 0);
    for (size_t i = 0; i < 4; i++) {
        json_t *c = json_array_get(cases, i);
        GCT_ASSERT_STR_EQ(json_string_value(json_object_get(c, "status")), "match");
        json_t *real = json_object_get(c, "cpython"), *model = json_object_get(c, "gencycle");
        cr_assert(json_is_real(json_object_get(real, "pause_max_us")));
        cr_assert(json_real_value(json_object_get(model, "full_collection_us")) > 0);
        cr_assert(json_equal(json_object_get(real, "collections"),
                             json_object_get(model, "collections")));
        GCT_ASSERT_GT(json_integer_value(json_object_get(real, "sequence_length")), 1);
    }
    json_decref(j);
    cmd_free(&o);

    o = gctune((const char *const[]){"validate", "-w", "trees", "--thresholds", "100/2/2",
                                     "--ops", "20", "-q", NULL});
    GCT_ASSERT_EQ(o.status, 0, "validate exited %d: %s", o.status, o.err);
    cr_assert(strstr(o.out, "pauses in us"), "%s", o.out);
    cr_assert(strstr(o.out, "2 cases: 2 match, 0 explained, 0 mismatch, 0 failed"), "%s", o.out);
    cmd_free(&o);

    o = gctune((const char *const[]){"validate", "--thresholds", "700/10", NULL});
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.err, "'700/10'"), "%s", o.err);
    cmd_free(&o);
    o = gctune((const char *const[]){"validate", "-w", "nope", NULL});
    GCT_ASSERT_EQ(o.status, 2);
    cr_assert(strstr(o.err, "unknown workload 'nope'"), "%s", o.err);
    cmd_free(&o);
}

#else /* no cpython backend */

Test(validate, absent_backend_is_not_registered_and_validate_says_why)
{
    cr_assert_null(gct_collector_find("cpython"));
    cmd_out o = gctune((const char *const[]){"validate", "-q", NULL});
    GCT_ASSERT_EQ(o.status, 1);
    cr_assert(strstr(o.err, "python3-dev"), "%s", o.err);
    cmd_free(&o);
}

#endif
