/*
 * test-workloads.c — every workload on every collector.
 *
 *  1. registry: the table is consistent, names resolve, defaults parse.
 *  2. rng: xoshiro256** and splitmix64 give the reference streams; bounded
 *     draws stay in range; Zipf draws follow the Zipf probabilities.
 *  3. params: unknown, malformed, out-of-range and contradictory settings
 *     fail with a message that names the parameter and the value.
 *  4. matrix: every small configuration x every collector, with collections
 *     forced often and the verifier run after each, completes with its
 *     self-check passing and an exact-refcount verification clean.
 *  5. leaks: what theory says.  Reference counting leaks exactly the objects
 *     the workload turned into cyclic garbage (every dropped tree with strong
 *     parents, nothing with weak or no parents, ...); gencycle and marksweep
 *     leak nothing after a full collection, and nothing at all is left after
 *     teardown.
 *  6. determinism: the same seed gives the same checksum and the same
 *     collections per generation; another seed another checksum; and the
 *     same seed gives the same checksum on every collector (except where a
 *     weak reference observes the collector).
 *  7. self-check: a live object freed behind the workload's back, or a
 *     changed value, makes the check fail.
 *  8. edges and defaults: the most extreme settings run clean everywhere;
 *     every workload sets up and runs with its default parameters.
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

#define ERRLEN 512

#define assert_has(msg, sub)                                                                   \
    cr_assert(strstr((msg), (sub)) != NULL, "message \"%s\" does not contain \"%s\"", (msg),  \
              (sub))

/* ---- helpers ------------------------------------------------------------- */

/* Small thresholds, so that small runs collect often. */
static gct_heap *busy_heap(const char *collector)
{
    static const char *const gencycle[] = {"gen0=60", "gen1=4", "gen2=3"};
    static const char *const marksweep[] = {"gen0=300"};
    if (!strcmp(collector, "gencycle"))
        return gct_test_heap_knobs(collector, gencycle, 3);
    if (!strcmp(collector, "marksweep"))
        return gct_test_heap_knobs(collector, marksweep, 1);
    return gct_test_heap_knobs(collector, NULL, 0);
}

static void verify(gct_heap *h, const char *when)
{
    char err[ERRLEN] = "";
    cr_assert(gct_heap_verify(h, true, err, sizeof err), "%s: verify %s: %s", h->ops->name, when,
              err);
}

static double metric(const gct_workload_run *r, const char *name)
{
    gct_workload_metric m[GCT_WL_MAX_METRICS + 2];
    size_t n = gct_workload_metrics(r, m, sizeof m / sizeof m[0]);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].name, name))
            return m[i].value;
    cr_assert_fail("workload %s reports no metric %s", r->wl->name, name);
    return NAN;
}

static int64_t leaks(gct_heap *h)
{
    int64_t objects = -1;
    gct_heap_leaks(h, &objects, NULL);
    return objects;
}

/* ---- the small configurations ---------------------------------------- */

#define MAXSET 6

typedef struct config {
    const char *workload;
    const char *settings[MAXSET];
    int64_t ops;
    bool collector_visible; /* a weak reference observes the collector */
} config;

static const config configs[] = {
    {"trees", {"depth=5", "long_depth=7", "parent=strong"}, 40, false},
    {"trees", {"depth=5", "long_depth=7", "parent=weak"}, 40, false},
    {"trees", {"depth=5", "long_depth=7", "parent=none"}, 40, false},
    {"dlist", {"lists=8", "length=40", "drop_every=25", "backlinks=strong"}, 400, false},
    {"dlist", {"lists=8", "length=40", "drop_every=25", "backlinks=weak"}, 400, false},
    {"cache", {"keys=500", "capacity=60", "value_objects=3", "values=strong"}, 800, false},
    {"cache", {"keys=500", "capacity=60", "value_objects=3", "values=weak", "hold=20"}, 800, true},
    {"requests", {"old_objects=2000", "request_objects=60", "cyclic=0.2", "writes=3"}, 200, false},
    {"longlived",
     {"live_objects=6000", "initial=2000", "grow=20", "young=20", "survive=0.05"},
     300,
     false},
};

#define NCONFIGS (sizeof configs / sizeof configs[0])

static size_t nsettings(const config *c)
{
    size_t n = 0;
    while (n < MAXSET && c->settings[n])
        n++;
    return n;
}

static const char *describe(const config *c, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "%s", c->workload);
    for (size_t i = 0; i < nsettings(c) && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, " %s", c->settings[i]);
    return buf;
}

/* Criterion hands parameters to a separate worker process, so they hold
 * indices, never pointers. */
typedef struct case_param {
    unsigned collector;
    unsigned config;
} case_param;

static const char *const collectors[] = {"refcount", "gencycle", "marksweep"};

/* Runs a configuration on a busy heap, verifying the heap with exact
 * reference counts every `every` operations. */
static gct_workload_run *run_config(gct_heap *h, const config *c, uint64_t seed, int64_t every)
{
    gct_workload_run *r = gct_test_workload(h, c->workload, c->settings, nsettings(c), seed);
    for (int64_t i = 0; i < c->ops; i++) {
        gct_workload_op(r);
        if (every && (i + 1) % every == 0) {
            verify(h, "during the run");
            gct_test_workload_check(r);
        }
    }
    return r;
}

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
        cr_assert(d >= 0 && d < 1);
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
        cr_assert(k >= 1 && k <= 1000000000);
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
    GCT_ASSERT_EQ(h->live_objects, 0);
    GCT_ASSERT_EQ(gct_root_depth(h), 0);
    gct_heap_destroy(h);
}

/* ---- 4. matrix: every configuration on every collector ------------------- */

ParameterizedTestParameters(matrix, runs_clean)
{
    static case_param cases[3 * NCONFIGS];
    for (unsigned c = 0; c < 3; c++)
        for (unsigned k = 0; k < NCONFIGS; k++)
            cases[c * NCONFIGS + k] = (case_param){c, k};
    return cr_make_param_array(case_param, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(case_param *p, matrix, runs_clean)
{
    const config *c = &configs[p->config];
    const char *collector = collectors[p->collector];
    char what[200];
    describe(c, what, sizeof what);
    gct_heap *h = busy_heap(collector);
    gct_heap_set_verify_each(h, true); /* aborts on a verifier failure */
    size_t base = gct_root_depth(h);
    gct_workload_run *r = run_config(h, c, 99, c->ops / 4);
    gct_test_workload_check(r);
    GCT_ASSERT_EQ(r->ops, c->ops);
    GCT_ASSERT_GT(gct_root_depth(h), base, "%s: no root held", what);
    bool collects = strcmp(collector, "refcount") != 0;
    if (collects)
        GCT_ASSERT_GT(h->stats[0].collections, 0, "%s on %s: no collection ran", what, collector);

    /* Leaks before teardown, with the workload's roots still held. */
    if (!collects) {
        GCT_ASSERT_EQ(leaks(h), r->cyclic_garbage,
                      "%s on refcount: %lld objects leak, the workload made %lld cyclic garbage",
                      what, (long long)leaks(h), (long long)r->cyclic_garbage);
    } else {
        GCT_ASSERT_GEQ(gct_heap_collect(h, GCT_GEN_FULL), 0);
        GCT_ASSERT_EQ(leaks(h), 0, "%s on %s: %lld objects leak after a full collection", what,
                      collector, (long long)leaks(h));
        gct_test_workload_check(r); /* a full collection frees nothing live */
    }
    verify(h, "before teardown");

    gct_workload_teardown(r);
    GCT_ASSERT_EQ(gct_root_depth(h), base, "%s: teardown left roots", what);
    char err[ERRLEN];
    cr_assert_not(gct_workload_check(r, err, sizeof err), "check after teardown passed");
    gct_workload_teardown(r); /* idempotent */
    gct_heap_collect(h, GCT_GEN_FULL);
    verify(h, "after teardown");
    if (collects)
        GCT_ASSERT_EQ(h->live_objects, 0, "%s on %s: %lld objects left after teardown", what,
                      collector, (long long)h->live_objects);
    else
        GCT_ASSERT_EQ(leaks(h), h->live_objects, "%s on refcount: something is still reachable",
                      what);
    gct_workload_free(r);
    gct_heap_destroy(h);
}

/* ---- 5. leaks as theory says (refcount) ----------------------------------- */

static gct_workload_run *refcount_run(const char *wl, const char *const *s, size_t n, int64_t ops)
{
    gct_heap *h = gct_test_heap_knobs("refcount", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, wl, s, n, 3);
    gct_workload_ops(r, ops);
    gct_test_workload_check(r);
    return r;
}

Test(leaks, trees_strong_parents_leak_every_dropped_tree)
{
    const char *const s[] = {"depth=4", "long_depth=5", "parent=strong"};
    gct_workload_run *r = refcount_run("trees", s, 3, 20);
    GCT_ASSERT_EQ(leaks(r->h), 20 * 31, "%lld leaked, expected 20 trees of 31 nodes",
                  (long long)leaks(r->h));
    gct_test_workload_done(r);
}

Test(leaks, trees_weak_or_no_parents_leak_nothing)
{
    static const char *const modes[] = {"parent=weak", "parent=none"};
    for (int i = 0; i < 2; i++) {
        const char *const s[] = {"depth=4", "long_depth=5", modes[i]};
        gct_workload_run *r = refcount_run("trees", s, 3, 20);
        GCT_ASSERT_EQ(leaks(r->h), 0, "%s: %lld leaked", modes[i], (long long)leaks(r->h));
        /* Teardown frees everything: no cycle anywhere. */
        gct_heap *h = r->h;
        gct_workload_teardown(r);
        GCT_ASSERT_EQ(h->live_objects, 0, "%s: %lld objects left", modes[i],
                      (long long)h->live_objects);
        gct_test_workload_done(r);
    }
}

Test(leaks, dlist_strong_backlinks_leak_the_dropped_rings)
{
    const char *const s[] = {"lists=4", "length=30", "drop_every=10", "backlinks=strong"};
    gct_workload_run *r = refcount_run("dlist", s, 4, 100);
    GCT_ASSERT_EQ(metric(r, "rings_dropped"), 10);
    /* Each dropped ring leaks its nodes and its head: about 10 x 31. */
    GCT_ASSERT_EQ(leaks(r->h), r->cyclic_garbage);
    cr_assert(r->cyclic_garbage > 10 * 20 && r->cyclic_garbage < 10 * 45, "%lld",
              (long long)r->cyclic_garbage);
    gct_test_workload_done(r);
}

Test(leaks, dlist_weak_backlinks_leak_nothing)
{
    const char *const s[] = {"lists=4", "length=30", "drop_every=10", "backlinks=weak"};
    gct_workload_run *r = refcount_run("dlist", s, 4, 100);
    GCT_ASSERT_EQ(metric(r, "rings_dropped"), 10);
    GCT_ASSERT_EQ(leaks(r->h), 0);
    gct_heap *h = r->h;
    gct_workload_teardown(r);
    GCT_ASSERT_EQ(h->live_objects, 0, "%lld objects left", (long long)h->live_objects);
    gct_test_workload_done(r);
}

Test(leaks, cache_strong_values_leak_each_evicted_entry)
{
    const char *const s[] = {"keys=300", "capacity=30", "value_objects=3"};
    gct_workload_run *r = refcount_run("cache", s, 3, 300);
    double evictions = metric(r, "evictions");
    GCT_ASSERT_GT(evictions, 0);
    GCT_ASSERT_EQ(leaks(r->h), (int64_t)evictions * 4);
    gct_test_workload_done(r);
}

Test(leaks, cache_weak_values_leak_nothing)
{
    const char *const s[] = {"keys=300", "capacity=30", "value_objects=3", "values=weak",
                             "hold=10"};
    gct_workload_run *r = refcount_run("cache", s, 5, 300);
    GCT_ASSERT_GT(metric(r, "evictions"), 0);
    GCT_ASSERT_GT(metric(r, "dead"), 0, "no weak value ever died");
    GCT_ASSERT_EQ(leaks(r->h), 0);
    gct_test_workload_done(r);
}

Test(leaks, requests_leak_each_cyclic_request)
{
    const char *const s[] = {"old_objects=400", "request_objects=50", "cyclic=0.25"};
    gct_workload_run *r = refcount_run("requests", s, 3, 100);
    double cyclic = metric(r, "cyclic_requests");
    cr_assert(cyclic > 10 && cyclic < 45, "%g cyclic requests of 100", cyclic);
    GCT_ASSERT_EQ(leaks(r->h), (int64_t)cyclic * 51);
    gct_test_workload_done(r);
}

Test(leaks, longlived_leaks_nothing)
{
    const char *const s[] = {"live_objects=4000", "initial=1000", "grow=10", "young=10",
                             "survive=0.1"};
    gct_workload_run *r = refcount_run("longlived", s, 5, 200);
    GCT_ASSERT_GT(metric(r, "survivors"), 0);
    GCT_ASSERT_EQ(leaks(r->h), 0);
    gct_heap *h = r->h;
    gct_workload_teardown(r);
    GCT_ASSERT_EQ(h->live_objects, 0);
    gct_test_workload_done(r);
}

/* ---- 6. determinism ------------------------------------------------------ */

typedef struct outcome {
    uint64_t checksum;
    gct_gen_stats stats[GCT_MAX_GEN]; /* collections, collected, examined, traversed */
    int64_t allocs, live;
} outcome;

static outcome outcome_of(const char *collector, const config *c, uint64_t seed)
{
    gct_heap *h = busy_heap(collector);
    gct_workload_run *r = run_config(h, c, seed, 0);
    gct_test_workload_check(r);
    outcome o = {.checksum = gct_workload_checksum(r), .allocs = h->total_allocs,
                 .live = h->live_objects};
    memcpy(o.stats, h->stats, sizeof o.stats);
    gct_test_workload_done(r);
    return o;
}

ParameterizedTestParameters(determinism, same_seed_same_run)
{
    static unsigned idx[NCONFIGS];
    for (unsigned k = 0; k < NCONFIGS; k++)
        idx[k] = k;
    return cr_make_param_array(unsigned, idx, NCONFIGS);
}

ParameterizedTest(unsigned *k, determinism, same_seed_same_run)
{
    const config *c = &configs[*k];
    char what[200];
    describe(c, what, sizeof what);
    outcome first[3];
    for (int i = 0; i < 3; i++) {
        outcome a = outcome_of(collectors[i], c, 11), b = outcome_of(collectors[i], c, 11);
        GCT_ASSERT_EQ(a.checksum, b.checksum, "%s on %s: two runs, two checksums", what,
                      collectors[i]);
        /* The work counters too: a seed makes the collector's work exact. */
        for (int g = 0; g < GCT_MAX_GEN; g++) {
            const gct_gen_stats *x = &a.stats[g], *y = &b.stats[g];
            cr_assert(x->collections == y->collections && x->collected == y->collected &&
                          x->examined == y->examined && x->traversed == y->traversed,
                      "%s on %s: generation %d: two runs, collections/collected/examined/"
                      "traversed %lld/%lld/%lld/%lld then %lld/%lld/%lld/%lld",
                      what, collectors[i], g, (long long)x->collections,
                      (long long)x->collected, (long long)x->examined, (long long)x->traversed,
                      (long long)y->collections, (long long)y->collected,
                      (long long)y->examined, (long long)y->traversed);
            /* Work only where there were collections (refcount has none). */
            if (!x->collections)
                cr_assert(x->examined == 0 && x->traversed == 0 && x->collected == 0,
                          "%s on %s: generation %d counted work without a collection", what,
                          collectors[i], g);
        }
        GCT_ASSERT_EQ(a.allocs, b.allocs);
        GCT_ASSERT_EQ(a.live, b.live);
        outcome other = outcome_of(collectors[i], c, 12);
        GCT_ASSERT_NEQ(a.checksum, other.checksum, "%s on %s: seeds 11 and 12 agree", what,
                       collectors[i]);
        first[i] = a;
    }
    /* The same allocations and the same observations on every collector,
     * unless a weak reference lets the workload see the collector. */
    if (!c->collector_visible) {
        for (int i = 1; i < 3; i++) {
            GCT_ASSERT_EQ(first[i].checksum, first[0].checksum, "%s: %s and %s disagree", what,
                          collectors[0], collectors[i]);
            GCT_ASSERT_EQ(first[i].allocs, first[0].allocs, "%s: %s and %s allocate differently",
                          what, collectors[0], collectors[i]);
        }
    }
}

/* ---- 7. the self-check catches what it is for ----------------------------- */

/* Free a live object behind the workload's back, as a broken collector
 * would: some object a few references below the workload's first root. */
static void free_a_live_object(gct_workload_run *r)
{
    gct_obj *o = gct_root_get(r->h, r->root_base);
    for (int depth = 0; depth < 3; depth++) {
        gct_obj *next = NULL;
        for (uint32_t i = 0; i < o->shape->nslots && !next; i++)
            next = o->slots[i];
        if (!next)
            break;
        o = next;
    }
    GCT_ASSERT_NEQ(o, gct_root_get(r->h, r->root_base));
    gct__free(r->h, o);
}

ParameterizedTestParameters(selfcheck, catches_a_freed_live_object)
{
    static unsigned idx[NCONFIGS];
    for (unsigned k = 0; k < NCONFIGS; k++)
        idx[k] = k;
    return cr_make_param_array(unsigned, idx, NCONFIGS);
}

ParameterizedTest(unsigned *k, selfcheck, catches_a_freed_live_object)
{
    const config *c = &configs[*k];
    gct_heap *h = gct_test_heap_knobs("refcount", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, c->workload, c->settings, nsettings(c), 5);
    gct_workload_ops(r, 10);
    gct_test_workload_check(r);
    free_a_live_object(r);
    char err[ERRLEN] = "";
    cr_assert_not(gct_workload_check(r, err, sizeof err), "%s: check passed with a freed object",
                  c->workload);
    cr_assert(err[0]);
    /* The heap is broken on purpose: release the run without popping. */
    r->torn_down = true;
    gct_workload_free(r);
    gct_heap_destroy(h);
}

Test(selfcheck, catches_a_changed_value)
{
    const char *const s[] = {"depth=3", "long_depth=4"};
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, "trees", s, 2, 5);
    gct_workload_ops(r, 4);
    gct_test_workload_check(r);
    gct_obj *leaf = gct_load(gct_load(gct_root_get(h, r->root_base), 0), 1);
    ((uint64_t *)gct_payload(leaf))[1] ^= 1; /* as if the block had been reused */
    char err[ERRLEN] = "";
    cr_assert_not(gct_workload_check(r, err, sizeof err));
    assert_has(err, "long-lived tree");
    gct_test_workload_done(r);
}

Test(selfcheck, reports_a_failure_recorded_by_an_operation)
{
    gct_heap *h = gct_test_heap_knobs("refcount", NULL, 0);
    const char *const s[] = {"depth=2", "long_depth=2"};
    gct_workload_run *r = gct_test_workload(h, "trees", s, 2, 5);
    gct_workload_fail(r, "first %d", 1);
    gct_workload_fail(r, "second");
    char err[ERRLEN] = "";
    cr_assert_not(gct_workload_check(r, err, sizeof err));
    GCT_ASSERT_STR_EQ(err, "trees: first 1");
    gct_test_workload_done(r);
}

/* ---- edge values ------------------------------------------------------- */

/* The smallest and most extreme settings run and check clean everywhere. */
Test(edges, extreme_settings_run_clean)
{
    static const config edges[] = {
        {"trees", {"depth=0", "long_depth=0"}, 20, false},
        {"trees", {"depth=1", "long_depth=0", "parent=weak"}, 20, false},
        {"dlist", {"lists=1", "length=1", "drop_every=1"}, 200, false},
        {"dlist", {"lists=1", "length=1", "drop_every=1", "backlinks=weak"}, 200, false},
        {"dlist", {"lists=3", "length=2", "drop_every=0", "backlinks=weak"}, 200, false},
        {"cache", {"keys=1", "capacity=1", "value_objects=1"}, 100, false},
        {"cache", {"keys=2", "capacity=1", "values=weak", "hold=1", "zipf=0"}, 200, true},
        {"cache", {"keys=5", "capacity=5", "zipf=10"}, 100, false},
        {"requests", {"old_objects=0", "request_objects=1", "writes=0", "cyclic=1"}, 100, false},
        {"requests", {"old_objects=4", "request_objects=2", "writes=5", "cyclic=1"}, 100, false},
        {"longlived", {"live_objects=0", "initial=0", "young=0"}, 50, false},
        {"longlived", {"live_objects=1", "initial=1", "young=3", "survive=1"}, 50, false},
        {"longlived", {"live_objects=10", "initial=0", "grow=3", "young=3", "survive=1"}, 50,
         false},
    };
    for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
        for (int c = 0; c < 3; c++) {
            gct_heap *h = busy_heap(collectors[c]);
            gct_heap_set_verify_each(h, true);
            gct_workload_run *r = run_config(h, &edges[e], 3, 10);
            gct_test_workload_check(r);
            gct_workload_teardown(r);
            gct_heap_collect(h, GCT_GEN_FULL);
            verify(h, "after teardown");
            if (c > 0)
                GCT_ASSERT_EQ(h->live_objects, 0, "%s on %s: %lld objects left", edges[e].workload,
                              collectors[c], (long long)h->live_objects);
            gct_test_workload_done(r);
        }
    }
}

/* ---- 8. defaults ---------------------------------------------------------- */

ParameterizedTestParameters(defaults, set_up_and_run)
{
    static unsigned idx[5] = {0, 1, 2, 3, 4};
    return cr_make_param_array(unsigned, idx, 5);
}

ParameterizedTest(unsigned *k, defaults, set_up_and_run)
{
    const gct_workload *w = gct_workload_at(*k);
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    gct_workload_run *r = gct_test_workload(h, w->name, NULL, 0, 1);
    gct_workload_ops(r, 20);
    gct_test_workload_check(r);
    GCT_ASSERT_EQ(gct_root_depth(h), r->root_base + 1, "%s holds %zu roots between operations",
                  w->name, gct_root_depth(h) - r->root_base);
    gct_workload_teardown(r);
    gct_heap_collect(h, GCT_GEN_FULL);
    GCT_ASSERT_EQ(h->live_objects, 0, "%s: %lld objects left", w->name, (long long)h->live_objects);
    gct_test_workload_done(r);
}

/* A weak-valued cache on a tracing collector sees values that reference
 * counting has already freed, so it hits more often: the one place where the
 * collector shows through, on purpose. */
Test(defaults, weak_cache_hit_ratio_depends_on_the_collector)
{
    const char *const s[] = {"keys=2000", "capacity=200", "values=weak", "hold=20"};
    double ratio[2];
    for (int i = 0; i < 2; i++) {
        gct_heap *h = gct_test_heap_knobs(i ? "marksweep" : "refcount", NULL, 0);
        gct_workload_run *r = gct_test_workload(h, "cache", s, 4, 9);
        gct_workload_ops(r, 2000);
        gct_test_workload_check(r);
        ratio[i] = metric(r, "hit_ratio");
        cr_assert(ratio[i] >= 0 && ratio[i] <= 1);
        gct_test_workload_done(r);
    }
    GCT_ASSERT_GT(ratio[1], ratio[0], "marksweep %g, refcount %g", ratio[1], ratio[0]);
}
