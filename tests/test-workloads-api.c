/*
 * test-workloads-api.c — the workloads' registry, random numbers and
 * parameters.
 *
 *  1. registry: the table is consistent, names resolve, defaults parse.
 *  2. rng: xoshiro256** and splitmix64 give the reference streams; bounded
 *     draws stay in range; Zipf draws follow the Zipf probabilities.
 *  3. params: unknown, malformed, out-of-range and contradictory settings
 *     fail with a message that names the parameter and the value.
 *
 * The busy heaps, the small configurations and running them:
 * common/workloads_common.h.
 */
#include <criterion/criterion.h>
#include "gct_test_workload.h"
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"
#include "workload.h"

#include "workloads_common.h"

/* ---- 1. registry --------------------------------------------------------- */

Test(registry, is_consistent)
{
    char err[ERRLEN] = "";
    cr_assert(gct_workload_registry_check(err, sizeof err), "%s", err);
    GCT_ASSERT_EQ(gct_workload_count(), 5);
    static const char *const names[] = {"trees", "dlist", "cache", "requests", "longlived"};
    for (size_t i = 0; i < 5; i++) {
        const gct_workload *w = gct_workload_find(names[i]);
        cr_assert(w, "%s is not registered", names[i]);
        GCT_ASSERT_EQ(w, gct_workload_at(i));
        GCT_ASSERT_STR_EQ(w->name, names[i]);
        assert_has(w->summary, "one operation");
        GCT_ASSERT_LT(strlen(w->summary), 140, "%s: the summary is not one line", w->name);
        cr_assert_null(strchr(w->summary, '\n'));
    }
    cr_assert_null(gct_workload_find("nope"));
    cr_assert_null(gct_workload_at(5));
    char buf[200];
    gct_workload_names(buf, sizeof buf);
    GCT_ASSERT_STR_EQ(buf, "trees, dlist, cache, requests, longlived");
}

/* The formatted defaults read back as the defaults. */
Test(registry, defaults_round_trip)
{
    for (size_t i = 0; i < gct_workload_count(); i++) {
        const gct_workload *w = gct_workload_at(i);
        double defs[GCT_WL_MAX_PARAMS], back[GCT_WL_MAX_PARAMS];
        char err[ERRLEN] = "";
        GCT_ASSERT_EQ(gct_workload_parse(w, NULL, 0, defs, err, sizeof err), GCT_OK, "%s: %s",
                      w->name, err);
        char text[512];
        gct_workload_format_params(w, defs, text, sizeof text);
        const char *settings[GCT_WL_MAX_PARAMS];
        size_t n = 0;
        for (char *tok = strtok(text, " "); tok; tok = strtok(NULL, " "))
            settings[n++] = tok;
        GCT_ASSERT_EQ(n, w->nparams, "%s: %zu settings for %u parameters", w->name, n, w->nparams);
        GCT_ASSERT_EQ(gct_workload_parse(w, settings, n, back, err, sizeof err), GCT_OK, "%s: %s",
                      w->name, err);
        for (uint32_t k = 0; k < w->nparams; k++)
            GCT_ASSERT_EQ(back[k], defs[k], "%s: parameter %s", w->name, w->params[k].name);
    }
}

Test(registry, formats_values)
{
    double v[GCT_WL_MAX_PARAMS];
    GCT_ASSERT_EQ(gct_workload_parse(&gct_workload_trees, NULL, 0, v, NULL, 0), GCT_OK);
    char buf[200];
    gct_workload_format_params(&gct_workload_trees, v, buf, sizeof buf);
    GCT_ASSERT_STR_EQ(buf, "depth=10 long_depth=16 parent=strong");
    GCT_ASSERT_EQ(gct_workload_parse(&gct_workload_requests, NULL, 0, v, NULL, 0), GCT_OK);
    gct_workload_format_params(&gct_workload_requests, v, buf, sizeof buf);
    GCT_ASSERT_STR_EQ(buf, "old_objects=200000 request_objects=300 cyclic=0.02 writes=4");
    GCT_ASSERT_EQ(gct_workload_param_index(&gct_workload_cache, "zipf"), 1);
    GCT_ASSERT_EQ(gct_workload_param_index(&gct_workload_cache, "zip"), -1);
}

Test(registry, array_shapes)
{
    GCT_ASSERT_EQ(gct_wl_array_shape(0)->nslots, 1);
    GCT_ASSERT_EQ(gct_wl_array_shape(1)->nslots, 1);
    GCT_ASSERT_EQ(gct_wl_array_shape(3)->nslots, 4);
    GCT_ASSERT_EQ(gct_wl_array_shape(1000)->nslots, 1024);
    GCT_ASSERT_EQ(gct_wl_array_shape(1u << GCT_WL_ARRAY_MAX_LOG2)->nslots,
                  1u << GCT_WL_ARRAY_MAX_LOG2);
    cr_assert_null(gct_wl_array_shape((1u << GCT_WL_ARRAY_MAX_LOG2) + 1));
}

/* ---- 2. rng -------------------------------------------------------------- */

Test(rng, reference_streams)
{
    uint64_t x = 0;
    GCT_ASSERT_EQ(gct_splitmix64(&x), UINT64_C(0xe220a8397b1dcdaf));
    gct_rng r = {{1, 2, 3, 4}};
    GCT_ASSERT_EQ(gct_rng_next(&r), UINT64_C(11520));
    GCT_ASSERT_EQ(gct_rng_next(&r), UINT64_C(0));
    GCT_ASSERT_EQ(gct_rng_next(&r), UINT64_C(1509978240));
    GCT_ASSERT_EQ(gct_rng_next(&r), UINT64_C(1215971899390074240));
}

Test(rng, seeding_is_deterministic)
{
    gct_rng a, b, c;
    gct_rng_seed(&a, 42);
    gct_rng_seed(&b, 42);
    gct_rng_seed(&c, 43);
    bool differ = false;
    for (int i = 0; i < 100; i++) {
        uint64_t va = gct_rng_next(&a), vc = gct_rng_next(&c);
        GCT_ASSERT_EQ(va, gct_rng_next(&b));
        differ |= va != vc;
    }
    cr_assert(differ);
    gct_rng z;
    gct_rng_seed(&z, 0); /* seed 0 must not give the all-zero state */
    cr_assert(z.s[0] | z.s[1] | z.s[2] | z.s[3]);
}

Test(rng, bounded_draws)
{
    gct_rng r;
    gct_rng_seed(&r, 7);
    int64_t hist[6] = {0};
    for (int i = 0; i < 60000; i++) {
        uint64_t v = gct_rng_below(&r, 6);
        GCT_ASSERT_LT(v, 6);
        hist[v]++;
    }
    for (int i = 0; i < 6; i++)
        cr_assert(hist[i] > 9500 && hist[i] < 10500, "value %d drawn %lld times of 60000", i,
                  (long long)hist[i]);
    for (int i = 0; i < 1000; i++) {
        GCT_ASSERT_EQ(gct_rng_below(&r, 1), 0);
        double d = gct_rng_double(&r);
        GCT_ASSERT_GEQ(d, 0);
        GCT_ASSERT_LT(d, 1);
        GCT_ASSERT_LT(gct_rng_below(&r, UINT64_MAX), UINT64_MAX);
    }
    cr_assert(!gct_rng_chance(&r, 0));
    cr_assert(gct_rng_chance(&r, 1));
}

/* Frequencies of 200,000 draws match the Zipf probabilities within 5
 * standard deviations, for several exponents (0 is uniform). */
Test(rng, zipf_follows_its_distribution)
{
    static const double exponents[] = {0.0, 0.5, 1.0, 1.5, 3.0};
    enum { N = 12, DRAWS = 200000 };
    for (size_t e = 0; e < sizeof exponents / sizeof exponents[0]; e++) {
        double s = exponents[e];
        gct_zipf z;
        gct_zipf_init(&z, N, s);
        gct_rng r;
        gct_rng_seed(&r, 1234 + e);
        int64_t hist[N + 1] = {0};
        for (int i = 0; i < DRAWS; i++) {
            uint64_t k = gct_zipf_sample(&z, &r);
            cr_assert(k >= 1 && k <= N, "rank %llu out of 1..%d", (unsigned long long)k, N);
            hist[k]++;
        }
        double norm = 0;
        for (int k = 1; k <= N; k++)
            norm += pow(k, -s);
        for (int k = 1; k <= N; k++) {
            double p = pow(k, -s) / norm, expect = p * DRAWS;
            double sd = sqrt(DRAWS * p * (1 - p));
            cr_assert(fabs((double)hist[k] - expect) < 5 * sd + 1,
                      "exponent %g: rank %d drawn %lld times, expected %.0f", s, k,
                      (long long)hist[k], expect);
        }
    }
    /* A large key space stays in range and favours rank 1. */
    gct_zipf z;
    gct_zipf_init(&z, 1000000000, 1.0);
    gct_rng r;
    gct_rng_seed(&r, 5);
    int64_t ones = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t k = gct_zipf_sample(&z, &r);
        GCT_ASSERT_GEQ(k, 1);
        GCT_ASSERT_LEQ(k, 1000000000);
        ones += k == 1;
    }
    cr_assert(ones > 300 && ones < 700, "rank 1 drawn %lld times of 10000", (long long)ones);
}

/* ---- 3. parameter validation --------------------------------------------- */

/* gct_workload_parse must fail; returns its message. */
static const char *parse_fails(const gct_workload *w, const char *const *settings, size_t n)
{
    static char err[ERRLEN];
    memset(err, 0, sizeof err);
    double v[GCT_WL_MAX_PARAMS];
    GCT_ASSERT_EQ(gct_workload_parse(w, settings, n, v, err, sizeof err), GCT_EINVAL,
                  "%s accepted %s", w->name, n ? settings[0] : "nothing");
    cr_assert(err[0], "no message");
    return err;
}

static const char *parse_fails1(const gct_workload *w, const char *setting)
{
    const char *const s[] = {setting};
    return parse_fails(w, s, 1);
}

Test(params, unknown_parameter)
{
    const char *m = parse_fails1(&gct_workload_trees, "dept=3");
    assert_has(m, "'trees'");
    assert_has(m, "'dept'");
    assert_has(m, "depth, long_depth, parent");
}

Test(params, not_a_number)
{
    const char *m = parse_fails1(&gct_workload_trees, "depth=abc");
    assert_has(m, "depth");
    assert_has(m, "'abc'");
    assert_has(m, "not an integer");
    assert_has(parse_fails1(&gct_workload_trees, "depth=1.5"), "'1.5' is not an integer");
    assert_has(parse_fails1(&gct_workload_trees, "depth="), "'' is not an integer");
    assert_has(parse_fails1(&gct_workload_trees, "depth=12x"), "'12x'");
    assert_has(parse_fails1(&gct_workload_trees, "depth=99999999999999999999999"),
               "not an integer");
    m = parse_fails1(&gct_workload_cache, "zipf=high");
    assert_has(m, "zipf");
    assert_has(m, "'high' is not a number");
    assert_has(parse_fails1(&gct_workload_cache, "zipf=nan"), "'nan' is not a number");
    assert_has(parse_fails1(&gct_workload_cache, "zipf=inf"), "'inf' is not a number");
    assert_has(parse_fails1(&gct_workload_requests, "cyclic=0.5%"), "'0.5%'");
}

Test(params, out_of_range)
{
    const char *m = parse_fails1(&gct_workload_trees, "depth=99");
    assert_has(m, "depth=99");
    assert_has(m, "out of range (0..22)");
    assert_has(parse_fails1(&gct_workload_trees, "depth=-1"), "depth=-1 is out of range");
    assert_has(parse_fails1(&gct_workload_dlist, "lists=0"), "lists=0 is out of range (1..");
    m = parse_fails1(&gct_workload_requests, "cyclic=1.5");
    assert_has(m, "cyclic=1.5");
    assert_has(m, "(0..1)");
    assert_has(parse_fails1(&gct_workload_cache, "zipf=-0.1"), "zipf=-0.1 is out of range (0..10)");
    assert_has(parse_fails1(&gct_workload_longlived, "survive=2"), "survive=2");
}

Test(params, bad_choice)
{
    const char *m = parse_fails1(&gct_workload_trees, "parent=strng");
    assert_has(m, "parent");
    assert_has(m, "'strng'");
    assert_has(m, "strong, weak, none");
    assert_has(parse_fails1(&gct_workload_dlist, "backlinks=none"), "strong, weak");
    assert_has(parse_fails1(&gct_workload_cache, "values=Strong"), "'Strong'");
}

Test(params, malformed_settings)
{
    assert_has(parse_fails1(&gct_workload_trees, "depth"), "not of the form name=value");
    assert_has(parse_fails1(&gct_workload_trees, "=3"), "'=3'");
    const char *const twice[] = {"depth=3", "parent=weak", "depth=4"};
    assert_has(parse_fails(&gct_workload_trees, twice, 3), "'depth' is given twice");
}

Test(params, invalid_combinations)
{
    const char *const cap[] = {"keys=1000", "capacity=2000"};
    const char *m = parse_fails(&gct_workload_cache, cap, 2);
    assert_has(m, "capacity=2000");
    assert_has(m, "keys=1000");
    const char *const hold[] = {"values=weak", "hold=0"};
    m = parse_fails(&gct_workload_cache, hold, 2);
    assert_has(m, "values=weak");
    assert_has(m, "hold");
    const char *const hold_strong[] = {"values=strong", "hold=0"}; /* hold unused: fine */
    double v[GCT_WL_MAX_PARAMS];
    GCT_ASSERT_EQ(gct_workload_parse(&gct_workload_cache, hold_strong, 2, v, NULL, 0), GCT_OK);
    const char *const initial[] = {"live_objects=100", "initial=200"};
    m = parse_fails(&gct_workload_longlived, initial, 2);
    assert_has(m, "initial=200");
    assert_has(m, "live_objects=100");
    const char *const writes[] = {"old_objects=0", "writes=2"};
    m = parse_fails(&gct_workload_requests, writes, 2);
    assert_has(m, "writes=2");
    assert_has(m, "old_objects=0");
    const char *const no_writes[] = {"old_objects=0", "writes=0"};
    GCT_ASSERT_EQ(gct_workload_parse(&gct_workload_requests, no_writes, 2, v, NULL, 0), GCT_OK);
    const char *const huge[] = {"lists=100000", "length=10000000"};
    m = parse_fails(&gct_workload_dlist, huge, 2);
    assert_has(m, "lists=100000");
    assert_has(m, "length=10000000");
}

/* Through gct_workload_new: a clear message, NULL, and an untouched heap. */
Test(params, new_fails_cleanly)
{
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    char err[ERRLEN] = "";
    cr_assert_null(gct_workload_new("nope", h, NULL, 0, 1, err, sizeof err));
    assert_has(err, "unknown workload 'nope'");
    assert_has(err, "trees, dlist, cache, requests, longlived");
    cr_assert_null(gct_workload_new(NULL, h, NULL, 0, 1, err, sizeof err));
    const char *const bad[] = {"depth=1", "color=red"};
    cr_assert_null(gct_workload_new("trees", h, bad, 2, 1, err, sizeof err));
    assert_has(err, "'color'");
    cr_assert_null(gct_workload_new("trees", h, bad, 2, 1, NULL, 0)); /* no buffer: no crash */
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    GCT_ASSERT_EQ(gct_root_depth(h), 0);
    gct_heap_destroy(h);
}

/* Every CPython model's knob freeze: 1 freezes what the set-up built (the
 * program's gc.freeze() after start-up), 0 leaves it to the collector; the
 * operations after it run, and the run checks out. */
Test(registry, freeze_after_setup_is_a_knob_of_every_cpython_model)
{
    static const char *const models[] = {"gencycle", "gencycle312", "gencycle313",
                                         "gencycle314", "gencycle315"};
    const char *settings[] = {"old_objects=500", "request_objects=20"};
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        for (int f = 0; f <= 1; f++) {
            const char *knobs[] = {f ? "freeze=1" : "freeze=0"};
            gct_heap *h = gct_test_heap_knobs(models[i], knobs, 1);
            gct_workload_run *r = gct_test_workload(h, "requests", settings, 2, 1);
            int64_t frozen = gct_heap_freeze_count(h);
            if (f)
                cr_assert(frozen > 0, "%s freeze=1: nothing frozen after the set-up",
                          models[i]);
            else
                cr_assert_eq(frozen, 0, "%s freeze=0: %lld frozen", models[i], (long long)frozen);
            gct_workload_ops(r, 50);
            gct_test_workload_check(r);
            gct_test_workload_done(r);
        }
    }
}
