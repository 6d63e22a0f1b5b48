/*
 * test-errors.c — bad input: unknown collectors and knobs, malformed and
 * out-of-range knob values, operations a backend does not support, bad
 * generations; and the registry's own consistency.  Every case must fail
 * cleanly (NULL or a negative code, no crash) with a message that names the
 * offending value.
 */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"
#include "internal/backend.h" /* white-box: the whole struct gct_heap */

#define ERRLEN 512

static const gct_shape node = GCT_SHAPE("node", 1, 0);

#define assert_has(msg, sub)                                                                   \
    cr_assert(strstr((msg), (sub)) != NULL, "message \"%s\" does not contain \"%s\"", (msg),  \
              (sub))

static const gct_collector *find(const char *name)
{
    const gct_collector *c = gct_collector_find(name);
    cr_assert(c, "collector %s is not registered", name);
    return c;
}

/* gct_heap_new must fail and say why; returns the message. */
static const char *new_fails(const char *collector, const char *const *knobs, size_t n)
{
    static char err[ERRLEN];
    memset(err, 0, sizeof err);
    gct_heap *h = gct_heap_new(collector, knobs, n, err, sizeof err);
    cr_assert_null(h, "gct_heap_new(%s, %s) accepted bad input", collector ? collector : "NULL",
                   n ? knobs[0] : "");
    cr_assert(err[0], "no message for gct_heap_new(%s)", collector ? collector : "NULL");
    return err;
}

static const char *new_fails1(const char *collector, const char *knob)
{
    const char *const knobs[] = {knob};
    return new_fails(collector, knobs, 1);
}

/* The message lists every registered collector / every knob of c. */
static void assert_lists_collectors(const char *msg)
{
    for (size_t i = 0; i < gct_collector_count(); i++)
        assert_has(msg, gct_collector_at(i)->name);
}

static void assert_lists_knobs(const char *msg, const gct_collector *c)
{
    for (uint32_t k = 0; k < c->nknobs; k++)
        assert_has(msg, c->knobs[k].name);
}

/* ---- collector names ------------------------------------------------------ */

Test(errors, unknown_collector_names_it_and_lists_the_known)
{
    const char *msg = new_fails("gencycel", NULL, 0);
    assert_has(msg, "gencycel");
    assert_lists_collectors(msg);
    msg = new_fails("", NULL, 0);
    assert_lists_collectors(msg);
    /* Names are exact: no prefix, case or whitespace matching. */
    new_fails("gen", NULL, 0);
    new_fails("GENCYCLE", NULL, 0);
    new_fails("gencycle ", NULL, 0);
}

Test(errors, null_collector_name)
{
    const char *msg = new_fails(NULL, NULL, 0);
    assert_has(msg, "collector");
    assert_lists_collectors(msg);
}

Test(errors, null_or_tiny_error_buffer_is_safe)
{
    cr_assert_null(gct_heap_new("nosuch", NULL, 0, NULL, 0));
    const char *const bad[] = {"gen0=abc"};
    cr_assert_null(gct_heap_new("gencycle", bad, 1, NULL, 0));
    /* A short buffer is truncated, terminated, and not overrun. */
    char buf[16 + 8];
    memset(buf, 'X', sizeof buf);
    cr_assert_null(gct_heap_new("a-rather-long-unknown-collector-name", NULL, 0, buf, 16));
    cr_assert(memchr(buf, 0, 16) != NULL, "message not terminated within its buffer");
    for (size_t i = 16; i < sizeof buf; i++)
        GCT_ASSERT_EQ(buf[i], 'X', "byte %zu past the buffer was written", i);
}

/* ---- knob names ----------------------------------------------------------- */

Test(errors, unknown_knob_names_it_and_lists_the_knobs)
{
    for (size_t i = 0; i < gct_collector_count(); i++) {
        const gct_collector *c = gct_collector_at(i);
        const char *msg = new_fails1(c->name, "nosuchknob=5");
        assert_has(msg, "nosuchknob");
        assert_has(msg, c->name);
        assert_lists_knobs(msg, c);
    }
    const char *msg = new_fails1("gencycle", "gen3=5");
    assert_has(msg, "gen3");
    assert_lists_knobs(msg, find("gencycle"));
    /* Names are exact. */
    new_fails1("gencycle", "GEN0=5");
    new_fails1("gencycle", "gen=5");
    new_fails1("gencycle", "gen00=5");
    new_fails1("gencycle", " gen0=5");
}

Test(errors, knob_of_another_collector)
{
    /* gen1 is a gencycle knob, not a marksweep (or refcount) one. */
    gct_heap *h = gct_test_heap_knobs("gencycle", (const char *const[]){"gen1=5"}, 1);
    gct_heap_destroy(h);
    const char *msg = new_fails1("marksweep", "gen1=5");
    assert_has(msg, "gen1");
    assert_has(msg, "marksweep");
    assert_lists_knobs(msg, find("marksweep"));
    msg = new_fails1("refcount", "gen0=5");
    assert_has(msg, "gen0");
    assert_has(msg, "refcount");
    assert_lists_knobs(msg, find("refcount"));
}

/* ---- malformed assignments ------------------------------------------------ */

Test(errors, malformed_assignments)
{
    static const struct {
        const char *text;
        const char *must_name; /* substring the message must contain */
    } cases[] = {
        {"gen0", "gen0"},
        {"=5", "=5"},
        {"=", "="},
        {"", "''"},
        {"gen0=", "gen0"},
        {"gen0=abc", "abc"},
        {"gen0=12x", "12x"},
        {"gen0=5 ", "gen0"},
        {"gen0=5.0", "5.0"},
        {"gen0=0x10", "0x10"},
        {"gen0=1e3", "1e3"},
        {"gen0=--5", "--5"},
        {"gen0= 5", " 5"},
        {"gen0=+5", "+5"},
        {"gen0=99999999999999999999", "99999999999999999999"},
        {"gen0=-99999999999999999999", "-99999999999999999999"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *msg = new_fails1("gencycle", cases[i].text);
        assert_has(msg, cases[i].must_name);
    }
    /* After a malformed one, nothing else is half-applied: a fresh heap is
     * still created with the defaults. */
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    int64_t v;
    GCT_ASSERT_EQ(gct_heap_get_knob(h, "gen0", &v), GCT_OK);
    GCT_ASSERT_EQ(v, 700);
    gct_test_heap_done(h);
}

Test(errors, null_knob_entries_and_names_are_errors_not_crashes)
{
    char err[256];
    const char *knobs[] = {"gen0=5", NULL};
    cr_assert_null(gct_heap_new("gencycle", knobs, 2, err, sizeof err));
    assert_has(err, "NULL");
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    int64_t v = 42;
    GCT_ASSERT_EQ(gct_heap_get_knob(h, NULL, &v), GCT_EINVAL);
    GCT_ASSERT_EQ(v, 42);
    GCT_ASSERT_EQ(gct_heap_set_knob(h, NULL, 5, err, sizeof err), GCT_EINVAL);
    assert_has(err, "NULL");
    gct_test_heap_done(h);
}

Test(errors, later_bad_assignment_fails_the_whole_list)
{
    const char *const knobs[] = {"gen0=5", "gen1=3", "gen2=oops"};
    const char *msg = new_fails("gencycle", knobs, 3);
    assert_has(msg, "oops");
    assert_has(msg, "gen2");
}

/* ---- out-of-range values -------------------------------------------------- */

static void assert_range_message(const char *msg, const gct_knob *k, int64_t value)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%" PRId64, value);
    assert_has(msg, buf);
    snprintf(buf, sizeof buf, "%" PRId64, k->min);
    assert_has(msg, buf);
    snprintf(buf, sizeof buf, "%" PRId64, k->max);
    assert_has(msg, buf);
    assert_has(msg, k->name);
}

Test(errors, out_of_range_values_name_the_value_and_the_range)
{
    const gct_collector *gc = find("gencycle");
    const char *msg = new_fails1("gencycle", "gen0=-1");
    assert_range_message(msg, &gc->knobs[0], -1);
    msg = new_fails1("gencycle", "gen0=1000000001");
    assert_range_message(msg, &gc->knobs[0], 1000000001);
    msg = new_fails1("gencycle", "gen2=-9223372036854775808");
    assert_range_message(msg, &gc->knobs[2], INT64_MIN);
    msg = new_fails1("gencycle", "gen1=9223372036854775807");
    assert_range_message(msg, &gc->knobs[1], INT64_MAX);
}

/* Every knob of every collector: min and max are accepted, min-1 and max+1
 * are rejected with the value and the range in the message. */
Test(errors, every_knob_range_is_enforced_at_creation)
{
    for (size_t i = 0; i < gct_collector_count(); i++) {
        const gct_collector *c = gct_collector_at(i);
        for (uint32_t k = 0; k < c->nknobs; k++) {
            const gct_knob *kn = &c->knobs[k];
            char text[96];
            int64_t ok[2] = {kn->min, kn->max};
            for (int j = 0; j < 2; j++) {
                snprintf(text, sizeof text, "%s=%" PRId64, kn->name, ok[j]);
                const char *const knobs[] = {text};
                gct_heap *h = gct_test_heap_knobs(c->name, knobs, 1);
                int64_t v;
                GCT_ASSERT_EQ(gct_heap_get_knob(h, kn->name, &v), GCT_OK);
                GCT_ASSERT_EQ(v, ok[j], "%s: %s read back as %" PRId64, c->name, text, v);
                gct_heap_destroy(h);
            }
            if (kn->min > INT64_MIN) {
                snprintf(text, sizeof text, "%s=%" PRId64, kn->name, kn->min - 1);
                assert_range_message(new_fails1(c->name, text), kn, kn->min - 1);
            }
            if (kn->max < INT64_MAX) {
                snprintf(text, sizeof text, "%s=%" PRId64, kn->name, kn->max + 1);
                assert_range_message(new_fails1(c->name, text), kn, kn->max + 1);
            }
        }
    }
}

Test(errors, same_knob_given_twice)
{
    const char *const twice[] = {"gen0=5", "gen1=3", "gen0=6"};
    const char *msg = new_fails("gencycle", twice, 3);
    assert_has(msg, "gen0");
    assert_has(msg, "twice");
    /* Even with the same value. */
    const char *const same[] = {"cascade=10", "cascade=10"};
    msg = new_fails("refcount", same, 2);
    assert_has(msg, "cascade");
}

/* ---- gct_heap_set_knob / get_knob ----------------------------------------- */

Test(errors, set_knob_unknown_name)
{
    for (size_t i = 0; i < gct_collector_count(); i++) {
        const gct_collector *c = gct_collector_at(i);
        gct_heap *h = gct_test_heap_knobs(c->name, NULL, 0);
        char err[ERRLEN] = "";
        GCT_ASSERT_EQ(gct_heap_set_knob(h, "nosuchknob", 5, err, sizeof err), GCT_EINVAL);
        assert_has(err, "nosuchknob");
        assert_lists_knobs(err, c);
        GCT_ASSERT_EQ(gct_heap_set_knob(h, "", 5, err, sizeof err), GCT_EINVAL);
        GCT_ASSERT_EQ(gct_heap_set_knob(h, "nosuchknob", 5, NULL, 0), GCT_EINVAL);
        int64_t v = 12345;
        GCT_ASSERT_EQ(gct_heap_get_knob(h, "nosuchknob", &v), GCT_EINVAL);
        GCT_ASSERT_EQ(v, 12345, "get_knob wrote through on an unknown knob");
        gct_heap_destroy(h);
    }
    gct_heap *h = gct_test_heap_knobs("marksweep", NULL, 0);
    char err[ERRLEN] = "";
    GCT_ASSERT_EQ(gct_heap_set_knob(h, "gen1", 5, err, sizeof err), GCT_EINVAL);
    assert_has(err, "gen1");
    gct_test_heap_done(h);
}

Test(errors, set_knob_out_of_range_changes_nothing)
{
    for (size_t i = 0; i < gct_collector_count(); i++) {
        const gct_collector *c = gct_collector_at(i);
        gct_heap *h = gct_test_heap_knobs(c->name, NULL, 0);
        int64_t thresholds[GCT_MAX_GEN];
        memcpy(thresholds, h->hot.threshold, sizeof thresholds);
        int64_t cascade = h->cascade_limit;
        for (uint32_t k = 0; k < c->nknobs; k++) {
            const gct_knob *kn = &c->knobs[k];
            int64_t bad[2] = {kn->min == INT64_MIN ? 0 : kn->min - 1,
                              kn->max == INT64_MAX ? 0 : kn->max + 1};
            bool valid[2] = {kn->min > INT64_MIN, kn->max < INT64_MAX};
            for (int j = 0; j < 2; j++) {
                if (!valid[j])
                    continue;
                char err[ERRLEN] = "";
                GCT_ASSERT_EQ(gct_heap_set_knob(h, kn->name, bad[j], err, sizeof err), GCT_EINVAL,
                              "%s: %s=%" PRId64 " accepted", c->name, kn->name, bad[j]);
                assert_range_message(err, kn, bad[j]);
                int64_t v;
                GCT_ASSERT_EQ(gct_heap_get_knob(h, kn->name, &v), GCT_OK);
                GCT_ASSERT_EQ(v, kn->def, "%s: %s changed to %" PRId64 " by a rejected set",
                              c->name, kn->name, v);
            }
        }
        GCT_ASSERT_EQ(memcmp(thresholds, h->hot.threshold, sizeof thresholds), 0,
                      "%s: a rejected set_knob changed the thresholds", c->name);
        GCT_ASSERT_EQ(h->cascade_limit, cascade);
        gct_heap_destroy(h);
    }
}

/* ---- unsupported operations and bad generations ---------------------------- */

Test(errors, freeze_not_supported_on_refcount_and_marksweep)
{
    static const char *const names[] = {"refcount", "marksweep"};
    for (size_t i = 0; i < 2; i++) {
        gct_heap *h = gct_test_heap_knobs(names[i], NULL, 0);
        gct_new(h, &node);
        GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_ENOTSUP, "%s: freeze", names[i]);
        GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_ENOTSUP, "%s: unfreeze", names[i]);
        GCT_ASSERT_EQ(gct_heap_freeze_count(h), GCT_ENOTSUP, "%s: freeze_count", names[i]);
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 1);
        char err[ERRLEN];
        cr_assert(gct_heap_verify(h, true, err, sizeof err), "%s: %s", names[i], err);
        gct_heap_destroy(h);
    }
    gct_heap *h = gct_test_heap_knobs("gencycle", NULL, 0);
    GCT_ASSERT_EQ(gct_heap_freeze(h), GCT_OK);
    GCT_ASSERT_EQ(gct_heap_freeze_count(h), 0);
    GCT_ASSERT_EQ(gct_heap_unfreeze(h), GCT_OK);
    gct_heap_destroy(h);
    GCT_ASSERT_STR_EQ(gct_strerror(GCT_ENOTSUP), "not supported by this collector");
    GCT_ASSERT_STR_EQ(gct_strerror(GCT_EINVAL), "invalid argument");
    GCT_ASSERT_STR_EQ(gct_strerror(GCT_OK), "ok");
    GCT_ASSERT_STR_EQ(gct_strerror(GCT_ENOMEM), "out of memory");
    GCT_ASSERT_STR_EQ(gct_strerror(-99), "unknown error");
}

struct counter {
    int events;
};

static void count_events(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    (void)phase;
    (void)info;
    ((struct counter *)ud)->events++;
}

Test(errors, collect_bad_generation_on_every_backend)
{
    for (size_t i = 0; i < gct_collector_count(); i++) {
        const gct_collector *c = gct_collector_at(i);
        gct_heap *h = gct_test_heap_knobs(c->name, NULL, 0);
        struct counter cnt = {0};
        gct_heap_set_event_fn(h, count_events, &cnt);
        /* A garbage cycle, so that a collection that wrongly ran would show. */
        gct_obj *a = gct_new(h, &node);
        gct_obj *b = gct_new(h, &node);
        gct_store(h, a, 0, b);
        gct_store(h, b, 0, a);
        gct_root_truncate(h, 0);
        int ngen = (int)c->ngenerations;
        int first_bad = ngen ? ngen : 1;
        const int bad[] = {first_bad, first_bad + 1, 3, 100, INT_MAX, -2, -100, INT_MIN};
        for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
            GCT_ASSERT_EQ(gct_heap_collect(h, bad[j]), GCT_EINVAL, "%s: collect(%d)", c->name,
                          bad[j]);
        }
        GCT_ASSERT_EQ(cnt.events, 0, "%s: a rejected collect emitted events", c->name);
        GCT_ASSERT_EQ(gct_heap_npauses(h), 0, "%s: a rejected collect recorded a pause", c->name);
        for (int g = 0; g < GCT_MAX_GEN; g++)
            GCT_ASSERT_EQ(gct_heap_stats(h)[g].collections, 0);
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 2);
        /* Every good generation works: 0..ngen-1 and GCT_GEN_FULL. */
        char err[ERRLEN];
        for (int g = 0; g < first_bad; g++) {
            GCT_ASSERT_GEQ(gct_heap_collect(h, g), 0, "%s: collect(%d)", c->name, g);
            cr_assert(gct_heap_verify(h, true, err, sizeof err), "%s: %s", c->name, err);
        }
        GCT_ASSERT_GEQ(gct_heap_collect(h, GCT_GEN_FULL), 0, "%s: collect(FULL)", c->name);
        cr_assert(gct_heap_verify(h, true, err, sizeof err), "%s: %s", c->name, err);
        /* Tracing and cycle collectors have freed the cycle by now. */
        if (c->ngenerations)
            GCT_ASSERT_EQ(gct_heap_live_objects(h), 0, "%s: the garbage cycle survived", c->name);
        gct_heap_destroy(h);
    }
}

/* ---- the registry --------------------------------------------------------- */

Test(registry, check_passes_and_tables_are_sane)
{
    char err[ERRLEN] = "";
    cr_assert(gct_collector_registry_check(err, sizeof err), "registry: %s", err);
    size_t n = gct_collector_count();
    GCT_ASSERT_GEQ(n, 3);
    cr_assert_null(gct_collector_at(n));
    char names[512];
    gct_collector_names(names, sizeof names);
    for (size_t i = 0; i < n; i++) {
        const gct_collector *c = gct_collector_at(i);
        cr_assert_not_null(c);
        cr_assert(c->name && c->name[0], "collector %zu has no name", i);
        cr_assert(c->summary && c->summary[0], "%s has no summary", c->name);
        cr_assert_null(strchr(c->summary, '\n'), "%s: the summary is not one line", c->name);
        GCT_ASSERT_EQ(c->abi, GCT_COLLECTOR_ABI, "%s: abi %u", c->name, c->abi);
        GCT_ASSERT_EQ(gct_collector_find(c->name), c);
        GCT_ASSERT_LEQ(c->nknobs, GCT_MAX_KNOBS, "%s: %u knobs", c->name, c->nknobs);
        GCT_ASSERT_LEQ(c->ngenerations, GCT_MAX_GEN, "%s", c->name);
        cr_assert(c->init, "%s has no init", c->name);
        assert_has(names, c->name);
        for (size_t j = 0; j < i; j++)
            GCT_ASSERT_STR_NEQ(gct_collector_at(j)->name, c->name, "duplicate name");
        for (uint32_t k = 0; k < c->nknobs; k++) {
            const gct_knob *kn = &c->knobs[k];
            cr_assert(kn->name && kn->name[0], "%s: knob %u has no name", c->name, k);
            cr_assert_null(strchr(kn->name, '='), "%s: knob name %s", c->name, kn->name);
            cr_assert(kn->help && kn->help[0], "%s: knob %s has no help", c->name, kn->name);
            cr_assert(kn->unit, "%s: knob %s has no unit", c->name, kn->name);
            GCT_ASSERT_LEQ(kn->min, kn->max, "%s: knob %s", c->name, kn->name);
            cr_assert(kn->def >= kn->min && kn->def <= kn->max,
                      "%s: default %" PRId64 " of knob %s outside %" PRId64 "..%" PRId64,
                      c->name, kn->def, kn->name, kn->min, kn->max);
            for (uint32_t j = 0; j < k; j++)
                GCT_ASSERT_STR_NEQ(c->knobs[j].name, kn->name, "%s: knob %s twice", c->name,
                                   kn->name);
        }
        /* A heap created without knobs carries the defaults. */
        gct_heap *h = gct_test_heap_knobs(c->name, NULL, 0);
        GCT_ASSERT_EQ(gct_heap_collector(h), c);
        for (uint32_t k = 0; k < c->nknobs; k++) {
            int64_t v;
            GCT_ASSERT_EQ(gct_heap_get_knob(h, c->knobs[k].name, &v), GCT_OK);
            GCT_ASSERT_EQ(v, c->knobs[k].def, "%s: %s = %" PRId64, c->name, c->knobs[k].name, v);
        }
        gct_heap_destroy(h);
    }
    cr_assert_null(gct_collector_find("nosuch"));
    cr_assert_null(gct_collector_find(""));
}
