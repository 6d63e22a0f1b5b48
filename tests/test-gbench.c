/* test-gbench.c — the C wrapper over Google Benchmark: a C callback runs the
 * asked number of times, and counters and context reach the JSON. */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gbench.h"

static int calls;

static void body(gct_gb_state *st, void *ud)
{
    int *seen = ud;
    calls++;
    while (gct_gb_keep_running(st)) {
        gct_gb_pause(st);
        (*seen)++;
        gct_gb_resume(st);
        volatile double x = 0;
        for (int i = 0; i < 1000; i++)
            x = x + i;
        (void)x;
    }
    gct_gb_counter(st, "answer", 42);
    gct_gb_rate(st, "ops_per_s", 1000);
}

static void failing(gct_gb_state *st, void *ud)
{
    (void)ud;
    while (gct_gb_keep_running(st))
        gct_gb_skip_with_error(st, "self-check failed");
}

Test(gbench, runs_register_counters_context_and_json)
{
    char path[] = "/tmp/gct-gbench-XXXXXX";
    int fd = mkstemp(path);
    GCT_ASSERT_GEQ(fd, 0);
    close(fd);
    int seen = 0;
    gct_gb_register("gencycle/trees/gen0=700", body, &seen, 1, 3);
    gct_gb_register("broken", failing, NULL, 1, 1);
    gct_gb_add_context("collector", "gencycle");
    int n = gct_gb_run(path, true);
    GCT_ASSERT_EQ(n, 2, "ran %d benchmarks", n);
    GCT_ASSERT_EQ(calls, 3, "callback called %d times for 3 repetitions of 1 iteration", calls);
    GCT_ASSERT_EQ(seen, 3);

    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    unlink(path);
    cr_assert(root, "JSON does not parse: %s at line %d", jerr.text, jerr.line);
    json_t *ctx = json_object_get(root, "context");
    GCT_ASSERT_STR_EQ(json_string_value(json_object_get(ctx, "collector")), "gencycle");
    json_t *runs = json_object_get(root, "benchmarks");
    int iterations = 0, aggregates = 0, errors = 0;
    for (size_t i = 0; i < json_array_size(runs); i++) {
        json_t *r = json_array_get(runs, i);
        const char *name = json_string_value(json_object_get(r, "run_name"));
        if (json_is_true(json_object_get(r, "error_occurred"))) {
            errors++;
            GCT_ASSERT_STR_EQ(json_string_value(json_object_get(r, "error_message")),
                              "self-check failed");
            continue;
        }
        /* Google Benchmark appends "/iterations:1/repeats:3/real_time". */
        cr_assert(!strncmp(name, "gencycle/trees/gen0=700/", 24), "run_name %s", name);
        GCT_ASSERT_EQ(json_integer_value(json_object_get(r, "family_index")), 0);
        const char *type = json_string_value(json_object_get(r, "run_type"));
        if (!strcmp(type, "iteration")) {
            iterations++;
            GCT_ASSERT_EQ(json_integer_value(json_object_get(r, "iterations")), 1);
            GCT_ASSERT_DBL_NEAR(json_number_value(json_object_get(r, "answer")), 42.0, 1e-9);
            cr_assert(json_number_value(json_object_get(r, "ops_per_s")) > 1000.0,
                      "a rate is divided by the (sub-second) time");
        } else {
            aggregates++;
        }
    }
    GCT_ASSERT_EQ(iterations, 3);
    GCT_ASSERT_GEQ(aggregates, 3, "mean, median, stddev (and cv)");
    GCT_ASSERT_EQ(errors, 1);
    json_decref(root);
}
