/*
 * test-gencycle-counts.c — gencycle's counting rules and whole counter sequences
 * for small thresholds, worked out by hand (suites "count" and "sequence").
 *
 * The sequences (suite "sequence", plus no_credit, churn and period_n1 in
 * suite "count") were also run on the real CPython 3.11 by
 * tests/oracle/gc_sequences.py, which carries the same expected values; a
 * difference between the two files is a bug in one of them.
 *
 * Every heap runs with verify_each on, and every test runs the full verifier
 * (exact reference counts) after every collection it causes.  The helpers
 * (heaps, counter assertions, the event recorder): common/gencycle_common.h.
 */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "heap.h"

#include "gencycle_common.h"

/* =========================================================================
 * Counting rules
 * ========================================================================= */

Test(count, containers_and_weakrefs_count_atoms_never)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    gct_obj *t = NULL;
    for (int i = 0; i < 5; i++)
        t = alloc_keep(&R, &atom);
    assert_count(h, 0, 0, 0);
    alloc_keep(&R, &node);
    assert_count(h, 1, 0, 0);
    alloc_keep(&R, &pair);
    assert_count(h, 2, 0, 0);
    gct_weakref_new(h, t); /* a weak reference is a container */
    assert_count(h, 3, 0, 0);
    gct_root_pop(h); /* the weak reference dies */
    assert_count(h, 2, 0, 0);
    gct_root_pop(h); /* the pair */
    assert_count(h, 1, 0, 0);
    gct_root_pop(h); /* the node */
    assert_count(h, 0, 0, 0);
    gct_root_truncate(h, 0); /* atoms: no change */
    assert_count(h, 0, 0, 0);
    /* 10,000 atoms with gen0=0..: never a collection, count untouched. */
    GCT_ASSERT_EQ(gct_heap_set_knob(h, "gen0", 1, NULL, 0), GCT_OK);
    for (int i = 0; i < 10000; i++)
        alloc_keep(&R, &atom);
    GCT_ASSERT_EQ(R.n, 0);
    assert_count(h, 0, 0, 0);
    gct_test_heap_done(h);
}

Test(count, frees_decrement_but_never_below_zero)
{
    gct_heap *h = gencycle(NULL, 0);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 3; i++)
        alloc_keep(&R, &node);
    assert_count(h, 3, 0, 0);
    gct_root_pop(h);
    assert_count(h, 2, 0, 0);
    /* Older objects freed when count[0] is already 0 bank no credit. */
    for (int i = 0; i < 5; i++)
        alloc_keep(&R, &node);
    collect(&R, 0); /* count (0, 1, 0); 7 objects in generation 1 */
    gct_root_truncate(h, 0);
    assert_count(h, 0, 1, 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    alloc_keep(&R, &node);
    assert_count(h, 1, 1, 0);
    gct_test_heap_done(h);
}

/*
 * no_credit (also in the oracle), gen0=3 gen1=10 gen2=10.  Ten containers
 * are prebuilt while collection is disabled and moved to generation 2 by an
 * explicit collect(2), which leaves count (0, 0, 0).  Then the operations
 * "aaffffaaaaaa" ('a': allocate and keep, 'f': free one prebuilt object):
 *   a1 -> count 1, a2 -> 2, f -> 1, f -> 0, f -> 0 (clamped), f -> 0,
 *   a3 -> 1, a4 -> 2, a5 -> 3, a6 -> 4 > 3: gen0 collection (count[1] = 1),
 *   a7 -> 1, a8 -> 2.
 * So one collection, at allocation 6, examining a1..a5 (5 objects), and a
 * final count of (2, 1, 0).  Had the two clamped frees banked credit
 * (count -2), the collection would have come at a8.
 */
Test(count, frees_before_allocations_bank_no_credit)
{
    gct_heap *h = gencycle3(3, 10, 10);
    recorder R;
    attach(&R, h);
    gct_heap_set_enabled(h, false);
    for (int i = 0; i < 10; i++)
        alloc_keep(&R, &node);
    collect(&R, 2);
    gct_heap_set_enabled(h, true);
    gct_heap_clear_pauses(h);
    attach(&R, h);
    assert_count(h, 0, 0, 0);

    /* The prebuilt objects are roots 0..9; the new ones are pushed above,
     * so a 'free' clears a root slot instead of popping. */
    const char *ops = "aaffffaaaaaa";
    size_t freed = 0;
    for (const char *p = ops; *p; p++) {
        if (*p == 'a') {
            alloc_keep(&R, &node);
        } else {
            gct_root_set(h, freed++, NULL);
        }
    }
    static const expect e[] = {{6, 0, 0, 5}};
    assert_sequence(&R, e, 1);
    assert_count(h, 2, 1, 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 6 + 8);
    gct_test_heap_done(h);
}

/* churn (also in the oracle): allocate a container and drop it at once,
 * 1000 times, gen0=3: count goes 1, 0, 1, 0, ... and never exceeds 3. */
Test(count, churn_never_collects)
{
    gct_heap *h = gencycle3(3, 10, 10);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 1000; i++) {
        alloc_keep(&R, &node);
        gct_root_pop(h);
    }
    GCT_ASSERT_EQ(R.n, 0);
    assert_count(h, 0, 0, 0);
    gct_test_heap_done(h);
}

/* The strict trigger: with gen0=N the first automatic collection happens at
 * container allocation N+1 (count[0] = N+1 > N), it examines the N older
 * objects only, and the new object survives in generation 0 afterwards
 * (an explicit collect(0) then examines exactly that one object). */
Test(count, strict_trigger_at_allocation_n_plus_1)
{
    static const int64_t ns[] = {1, 2, 3, 10, 700};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        int64_t n = ns[k];
        gct_heap *h = gencycle3(n, 10, 10);
        recorder R;
        attach(&R, h);
        gct_obj *o = NULL;
        for (int64_t i = 0; i < n; i++) {
            alloc_keep(&R, &node);
            alloc_keep(&R, &atom); /* atoms in between change nothing */
        }
        GCT_ASSERT_EQ(R.n, 0, "gen0=%" PRId64 ": collected before allocation %" PRId64, n, n + 1);
        assert_count(h, n, 0, 0);
        o = alloc_keep(&R, &node);
        GCT_ASSERT_EQ(R.n, 1, "gen0=%" PRId64 ": no collection at allocation %" PRId64, n, n + 1);
        GCT_ASSERT_EQ(R.r[0].alloc, 2 * n + 1);
        GCT_ASSERT_EQ(R.r[0].gen, 0);
        GCT_ASSERT_EQ(last_examined(h), n, "gen0=%" PRId64 ": the collection examined %" PRId64, n,
                      last_examined(h));
        /* The new object was not counted after the reset, and is alive. */
        assert_count(h, 0, 1, 0);
        GCT_ASSERT_EQ(o->refcnt, 1);
        GCT_ASSERT_EQ(gct_root_top(h), o);
        GCT_ASSERT_EQ(gct_heap_live_objects(h), 2 * n + 1);
        /* It alone is in generation 0. */
        GCT_ASSERT_EQ(collect(&R, 0), 0);
        GCT_ASSERT_EQ(last_examined(h), 1);
        gct_heap_destroy(h);
    }
}

/* period_N1 (also in the oracle): gen0=1, 9 containers kept.  The period
 * is threshold+1 = 2: collections at allocations 2, 4, 6, 8, all gen0
 * (count[1] reaches 4 <= 10); final count (1, 4, 0) from a9.  Examined:
 * a1 at 2, then the two objects since the last collection. */
Test(count, period_is_threshold_plus_one)
{
    gct_heap *h = gencycle3(1, 10, 10);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 9; i++)
        alloc_keep(&R, &node);
    static const expect e[] = {{2, 0, 0, 1}, {4, 0, 0, 2}, {6, 0, 0, 2}, {8, 0, 0, 2}};
    assert_sequence(&R, e, 4);
    assert_count(h, 1, 4, 0);
    assert_stats(h, 0, 4, 0);
    gct_test_heap_done(h);
}

/* =========================================================================
 * Whole sequences worked out by hand (and checked on CPython 3.11 by
 * tests/oracle/gc_sequences.py).
 *
 * Notation: aN is the N-th container allocation; c = (count[0], count[1],
 * count[2]) after it; g0/g1/g2 the generation lists; llp/llt the long-lived
 * pending/total.  The rules applied at each allocation:
 *   c0 += 1; if c0 > t0: for i = 2, 1, 0 take the first with c[i] > t[i],
 *   except i == 2 when llp < llt / 4 (integer division);
 *   collecting g: c[g+1] += 1 (g < 2), c[0..g] = 0, g0..g(g-1) merged into
 *   g, survivors to g+1; after gen1 llp += survivors; after gen2 llp = 0,
 *   llt = survivors.  The new object is appended to g0 after that.
 * With t0 = 3 and no frees outside collections, every 4th allocation
 * collects: 4, 8, 12, ...; a collection at aN resets c0 and aN is not
 * counted, so the next is at aN+4.
 * ========================================================================= */

/*
 * keep_3_2_2: gen0=3 gen1=2 gen2=2, 122 containers kept alive.
 *   a4   gen0: g0 = a1..a3 (3) -> g1.                       c=(0,1,0)
 *   a8   gen0 (c1=1 <= 2): g0 = a4..a7 (4) -> g1 = 7.       c=(0,2,0)
 *   a12  gen0 (c1=2 <= 2): 4 -> g1 = 11.                    c=(0,3,0)
 *   a16  c1=3 > 2: gen1: g1 11 + g0 4 = 15 examined, -> g2; llp=15. c=(0,0,1)
 *   a20, a24, a28 gen0 (c1 1, 2, 3); a32 gen1: g1 12 + g0 4 = 16; llp=31, c2=2
 *   a36, a40, a44 gen0; a48 gen1 (c2=2 is not > 2): 16; llp=47, c2=3
 *   a52  c2=3 > 2 and llp=47 >= llt/4 = 0/4: gen2, examines a1..a51 = 51;
 *        llt=51, llp=0, c=(0,0,0)
 *   a56..a100: the same pattern: gen0 x3, gen1 (16) ... gen1 at 68, 84, 100
 *        (llp 16, 32, 48; c2 1, 2, 3)
 *   a104 c2=3 > 2, llp=48 >= 51/4 = 12: gen2, examines 103; llt=103
 *   a108, a112, a116 gen0; a120 gen1 (c2=1, llp=16).
 *   a121, a122: c=(2,0,1).
 * Collections: gen0 21, gen1 7 (16, 32, 48, 68, 84, 100, 120), gen2 2
 * (52, 104); none collects anything.
 */
Test(sequence, keep_3_2_2_gen2_runs)
{
    gct_heap *h = gencycle3(3, 2, 2);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 122; i++)
        alloc_keep(&R, &node);
    expect e[30];
    size_t n = 0;
    for (int64_t a = 4; a <= 120; a += 4) {
        int gen = 0;
        int64_t ex = a == 4 ? 3 : 4;
        if (a == 16 || a == 32 || a == 48 || a == 68 || a == 84 || a == 100 || a == 120) {
            gen = 1;
            ex = a == 16 ? 15 : 16;
        } else if (a == 52 || a == 104) {
            gen = 2;
            ex = a - 1; /* everything allocated before */
        }
        e[n++] = (expect){a, gen, 0, ex};
    }
    GCT_ASSERT_EQ(n, 30);
    assert_sequence(&R, e, n);
    assert_count(h, 2, 0, 1);
    assert_stats(h, 0, 21, 0);
    assert_stats(h, 1, 7, 0);
    assert_stats(h, 2, 2, 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 122);
    gct_test_heap_done(h);
}

/* Prebuild `l` long-lived containers (collection disabled, like building a
 * big structure under gc.disable()), then collect(2): llt = l, llp = 0,
 * count (0, 0, 0).  The recorder and pause log start afresh afterwards. */
static gct_heap *prebuilt(recorder *R, int64_t l)
{
    gct_heap *h = gencycle3(3, 2, 2);
    attach(R, h);
    gct_heap_set_enabled(h, false);
    for (int64_t i = 0; i < l; i++)
        alloc_keep(R, &node);
    collect(R, 2);
    GCT_ASSERT_EQ(last_examined(h), l);
    gct_heap_set_enabled(h, true);
    assert_count(h, 0, 0, 0);
    attach(R, h);
    gct_heap_clear_pauses(h);
    return h;
}

/*
 * skip_gen2_L200: gen0=3 gen1=2 gen2=2 after 200 prebuilt long-lived
 * objects (llt = 200), then 82 containers kept alive.
 *   a4..a48 exactly as keep_3_2_2: gen1 at 16, 32, 48 with 15, 16, 16
 *        survivors, so llp = 47 and c = (0, 0, 3) after a48.
 *   a52  c2=3 > 2 but llp=47 < 200/4 = 50: generation 2 is SKIPPED; c1=0 is
 *        not > 2; c0=4 > 3: gen0 (4 examined).              c=(0,1,3)
 *   a56  skipped again (c2 still 3); gen0.                   c=(0,2,3)
 *   a60  skipped; gen0.                                      c=(0,3,3)
 *   a64  skipped; c1=3 > 2: gen1, g1 a48..a59 (12) + g0 4 = 16 examined;
 *        llp = 47 + 16 = 63.                                 c=(0,0,4)
 *   a68  c2=4 > 2, llp=63 >= 50: gen2, examines 200 + a1..a67 = 267;
 *        llt=267.                                            c=(0,0,0)
 *   a72, a76, a80 gen0 (c1 1, 2, 3); a81, a82:                c=(2,3,0)
 * Collections: gen0 15, gen1 4 (16, 32, 48, 64), gen2 1 (68).
 */
Test(sequence, skip_gen2_by_the_25_percent_rule)
{
    recorder R;
    gct_heap *h = prebuilt(&R, 200);
    for (int i = 0; i < 82; i++)
        alloc_keep(&R, &node);
    expect e[20];
    size_t n = 0;
    for (int64_t a = 4; a <= 80; a += 4) {
        int gen = 0;
        int64_t ex = a == 4 ? 3 : 4;
        if (a == 16 || a == 32 || a == 48 || a == 64) {
            gen = 1;
            ex = a == 16 ? 15 : 16;
        } else if (a == 68) {
            gen = 2;
            ex = 267;
        }
        e[n++] = (expect){a, gen, 0, ex};
    }
    assert_sequence(&R, e, n);
    assert_count(h, 2, 3, 0);
    /* Stats include the preamble's collect(2). */
    assert_stats(h, 0, 15, 0);
    assert_stats(h, 1, 4, 0);
    assert_stats(h, 2, 1 + 1, 0);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 282);
    gct_test_heap_done(h);
}

/*
 * The boundary of the rule, 56 containers after L prebuilt ones; at a52
 * llp = 47 (see above) and c2 = 3 > 2:
 *   L = 191: llt/4 = 47, 47 < 47 is false: gen2 runs at a52 (examines 191 +
 *            51 = 242); a56 gen0.  Final c = (0, 1, 0).
 *   L = 192: llt/4 = 48, 47 < 48: skipped, gen0 at a52 and a56.  Final
 *            c = (0, 2, 3): count[2] stays above its threshold.
 */
Test(sequence, rule_boundary_191_runs_192_skips)
{
    for (int l = 191; l <= 192; l++) {
        recorder R;
        gct_heap *h = prebuilt(&R, l);
        for (int i = 0; i < 56; i++)
            alloc_keep(&R, &node);
        expect e[14];
        size_t n = 0;
        for (int64_t a = 4; a <= 56; a += 4) {
            int gen = 0;
            int64_t ex = a == 4 ? 3 : 4;
            if (a == 16 || a == 32 || a == 48) {
                gen = 1;
                ex = a == 16 ? 15 : 16;
            } else if (a == 52 && l == 191) {
                gen = 2;
                ex = 191 + 51;
            }
            e[n++] = (expect){a, gen, 0, ex};
        }
        assert_sequence(&R, e, n);
        if (l == 191) {
            assert_count(h, 0, 1, 0);
            assert_stats(h, 2, 1 + 1, 0);
        } else {
            assert_count(h, 0, 2, 3);
            assert_stats(h, 2, 1, 0); /* the preamble's only */
        }
        gct_heap_destroy(h);
    }
}

/*
 * cycles_3_2_2: gen0=3 gen1=2 gen2=2, 30 two-object cycles Ai <-> Bi, each
 * created (Ai = a(2i-1), Bi = a(2i)) and dropped.  No frees outside
 * collections, so collections come every 4 allocations, always at the
 * allocation of B(even), while A(even) is on the root stack:
 *   a4  gen0 {A1 B1 A2}: cycle 1 garbage (2); A2 rooted -> g1.  B2 then
 *       lands in g0, so the dropped cycle 2 straddles g1/g0.
 *   a8  gen0 {B2 A3 B3 A4}: B2 is referenced from A2 in the older g1 (a
 *       root for this collection) -> survives; cycle 3 (2); A4 -> g1.
 *   a12 gen0 {B4 A5 B5 A6}: same, 2.  g1 = {A2 B2 A4 B4 A6}.
 *   a16 gen1 {A2 B2 A4 B4 A6} + {B6 A7 B7 A8} = 9: cycles 2, 4, 6, 7 (8);
 *       A8 -> g2, llp = 1.
 *   a20, a24, a28 gen0 (4 each): B8 (held by A8 in g2), B10, B12 survive;
 *       cycles 9, 11, 13 (2 each).
 *   a32 gen1 {B8 A10 B10 A12 B12 A14} + {B14 A15 B15 A16} = 10: B8 survives
 *       (A8 in g2), A16 rooted; cycles 10, 12, 14, 15 (8).  g2 = {A8 B8
 *       A16}, llp = 3.
 *   a36, a40, a44 gen0: 2 each.
 *   a48 gen1, 10 examined: B16 (held by A16 in g2) and A24 survive; cycles
 *       18, 20, 22, 23 (8).  g2 = {A8 B8 A16 B16 A24}, llp = 5, c2 = 3.
 *   a52 c2=3 > 2, llp=5 >= 0/4: gen2 {A8 B8 A16 B16 A24} + {B24 A25 B25
 *       A26} = 9: cycles 8, 16, 24, 25 (8); A26 survives, llt = 1.
 *   a56, a60 gen0 (4 each): B26, B28 survive; cycles 27, 29 (2 each).
 * Collected: gen0 11 x 2 = 22, gen1 3 x 8 = 24, gen2 8; 54 of 60.  Left:
 * cycles 26, 28, 30 (A26 in g2, B26 A28 B28 A30 in g1, B30 in g0): a final
 * collect(2) returns 6.  Final c = (0, 2, 0) (a60 was the trigger).
 */
Test(sequence, cycles_3_2_2)
{
    gct_heap *h = gencycle3(3, 2, 2);
    recorder R;
    attach(&R, h);
    for (int i = 0; i < 30; i++)
        make_cycle(&R);
    static const expect e[] = {
        {4, 0, 2, 3},  {8, 0, 2, 4},  {12, 0, 2, 4}, {16, 1, 8, 9},  {20, 0, 2, 4},
        {24, 0, 2, 4}, {28, 0, 2, 4}, {32, 1, 8, 10}, {36, 0, 2, 4}, {40, 0, 2, 4},
        {44, 0, 2, 4}, {48, 1, 8, 10}, {52, 2, 8, 9}, {56, 0, 2, 4}, {60, 0, 2, 4},
    };
    assert_sequence(&R, e, sizeof e / sizeof e[0]);
    assert_count(h, 0, 2, 0);
    assert_stats(h, 0, 11, 22);
    assert_stats(h, 1, 3, 24);
    assert_stats(h, 2, 1, 8);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 6);
    int64_t leaked = 0;
    gct_heap_leaks(h, &leaked, NULL);
    GCT_ASSERT_EQ(leaked, 6);
    /* The survivors sit where the derivation says: gen0 holds only B30,
     * gen1 B26 A28 B28 A30 (collect(1) examines 5), gen2 A26. */
    GCT_ASSERT_EQ(collect(&R, 0), 0);
    GCT_ASSERT_EQ(last_examined(h), 1);
    GCT_ASSERT_EQ(collect(&R, 1), 4); /* cycles 28, 30; B26 held by A26 */
    GCT_ASSERT_EQ(last_examined(h), 5);
    GCT_ASSERT_EQ(collect(&R, 2), 2);
    GCT_ASSERT_EQ(last_examined(h), 2);
    GCT_ASSERT_EQ(gct_heap_live_objects(h), 0);
    /* A finished cycle's objects hold one reference each (the partner), and
     * a collection traverses each reference twice: the whole set in
     * subtract_refs, then each object once more, reachable or not.  The
     * automatic ones run at the allocation of a B, before it exists: the A
     * just made holds NULL then.  The three explicit ones see only finished
     * cycles. */
    size_t nauto = sizeof e / sizeof e[0];
    GCT_ASSERT_EQ(gct_heap_npauses(h), nauto + 3);
    for (size_t i = 0; i < gct_heap_npauses(h); i++) {
        const gct_pause *p = &gct_heap_pauses(h)[i];
        int64_t refs = i < nauto ? p->examined - 1 : p->examined;
        GCT_ASSERT_EQ(p->traversed, 2 * refs,
                      "pause %zu (%s): traversed %" PRId64 " for %" PRId64 " examined", i + 1,
                      gct_pause_kind_name(p->kind), p->traversed, p->examined);
    }
    gct_test_heap_done(h);
}
