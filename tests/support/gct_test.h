/*
 * gct_test.h — what every test program shares (tests/support/, built once as
 * a static library and linked into every test-<area> program).
 *
 * Assertions that print both operands, their expressions and their values
 * (Criterion 2.4's cr_assert_eq prints only "The expression (a) == (b) is
 * false"), with an optional printf-style message after the operands, like
 * cr_assert_eq's:
 *
 *   GCT_ASSERT_EQ(a, b [, fmt, ...])    a == b   integers, enums, pointers,
 *   GCT_ASSERT_NEQ(a, b [, fmt, ...])   a != b   doubles (compared exactly,
 *   GCT_ASSERT_LT / _LEQ / _GT / _GEQ            as with ==)
 *   GCT_ASSERT_STR_EQ(a, b [, ...])     strcmp(a, b) == 0 (NULL fails)
 *   GCT_ASSERT_STR_NEQ(a, b [, ...])    strcmp(a, b) != 0 (NULL fails)
 *   GCT_ASSERT_DBL_NEAR(a, b, eps [, ...])   |a - b| <= eps, as
 *                                            cr_assert_float_eq decides it
 *
 * Each operand is evaluated exactly once, converted to the type the
 * comparison itself would use (the usual arithmetic conversions: that of
 * `0 ? a : b`), so the assertion decides exactly as `a == b` would.  A
 * failure reads, e.g.:
 *
 *   [----] test-heap.c:33: Assertion Failed
 *   [----]   h->live_objects == 2
 *   [----]     h->live_objects = 3
 *   [----]     2 = 2
 *   [----]   marksweep: 3 live          <- the message, when there is one
 *
 * Fixtures:
 *   gct_test_heap(collector, knob...)   a heap (asserts it opened; knobs are
 *                                       "name=value" strings, any number)
 *   gct_test_heap_knobs(collector, knobs, n)   the same from an array
 *   gct_test_heap_thresholds(collector, gen0, gen1, gen2)
 *   gct_test_verify(h)                  gct_heap_verify with exact counts
 *   gct_test_heap_done(h)               the ending block: verify, destroy
 *   gct_test_workload(h, workload, settings, n, seed)   (gct_test_workload.h)
 *
 * Random numbers: the project's generator, workloads/rng.h (gct_rng_seed,
 * gct_rng_next, gct_rng_below, ...): include "rng.h", no copies.
 *
 * Diagnostics go to stderr with fprintf: Criterion 2.4 makes a test that
 * called cr_log_warn exit 1.
 */
#ifndef GCT_TEST_H
#define GCT_TEST_H

#include <criterion/criterion.h>
#include <criterion/internal/preprocess.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "heap.h"

/* ---- values of any scalar type ------------------------------------------ */

typedef struct gct_test_val {
    char kind; /* 'i' signed, 'u' unsigned, 'd' floating, 'p' pointer, 'c' char */
    intmax_t i;
    uintmax_t u;
    long double d;
    const void *p;
} gct_test_val;

gct_test_val gct_test_val_i(intmax_t v);
gct_test_val gct_test_val_u(uintmax_t v);
gct_test_val gct_test_val_c(char v);
gct_test_val gct_test_val_d(long double v);
gct_test_val gct_test_val_p(const void *v);

#define GCT_TEST_VAL_(x)                                                                          \
    _Generic((x),                                                                                 \
        _Bool: gct_test_val_u,                                                                    \
        char: gct_test_val_c,                                                                     \
        signed char: gct_test_val_i,                                                              \
        short: gct_test_val_i,                                                                    \
        int: gct_test_val_i,                                                                      \
        long: gct_test_val_i,                                                                     \
        long long: gct_test_val_i,                                                                \
        unsigned char: gct_test_val_u,                                                            \
        unsigned short: gct_test_val_u,                                                           \
        unsigned int: gct_test_val_u,                                                             \
        unsigned long: gct_test_val_u,                                                            \
        unsigned long long: gct_test_val_u,                                                       \
        float: gct_test_val_d,                                                                    \
        double: gct_test_val_d,                                                                   \
        long double: gct_test_val_d,                                                              \
        default: gct_test_val_p)(x)

/* The failure text: the comparison, each operand's expression and value,
 * then the caller's message (fmt starts with the ": " the macros put in
 * front of it).  Valid until the next call; the test ends right after. */
const char *gct_test_cmp_text(const char *ea, const char *op, const char *eb, gct_test_val a,
                              gct_test_val b, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
const char *gct_test_str_text(const char *ea, const char *op, const char *eb, const char *a,
                              const char *b, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
const char *gct_test_near_text(const char *ea, const char *eb, double a, double b, double eps,
                               const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ---- the assertions ------------------------------------------------------ */

/* EB is the text of the second operand and of the message after it
 * (#__VA_ARGS__): the text helpers print it up to its first top-level comma,
 * the operand as written. */
#define GCT_CMP_(Op, A, EA, EB, B, ...)                                                           \
    do {                                                                                          \
        __typeof__(0 ? (A) : (B)) gct_a_ = (A);                                                   \
        __typeof__(0 ? (A) : (B)) gct_b_ = (B);                                                   \
        if (!(gct_a_ Op gct_b_))                                                                  \
            cr_assert_fail("%s", gct_test_cmp_text(EA, #Op, EB, GCT_TEST_VAL_(gct_a_),            \
                                                   GCT_TEST_VAL_(gct_b_), ": " __VA_ARGS__));     \
    } while (0)
#define GCT_CMP_I_(...) GCT_CMP_(__VA_ARGS__)

#define GCT_CMP_VA_(Op, A, EA, EB, ...)                                                           \
    CR_EXPAND(GCT_CMP_I_(Op, A, EA, EB, CR_VA_HEAD(__VA_ARGS__), CR_VA_TAIL(__VA_ARGS__)))

#define GCT_ASSERT_EQ(A, ...) GCT_CMP_VA_(==, A, #A, #__VA_ARGS__, __VA_ARGS__)
#define GCT_ASSERT_NEQ(A, ...) GCT_CMP_VA_(!=, A, #A, #__VA_ARGS__, __VA_ARGS__)
#define GCT_ASSERT_LT(A, ...) GCT_CMP_VA_(<, A, #A, #__VA_ARGS__, __VA_ARGS__)
#define GCT_ASSERT_LEQ(A, ...) GCT_CMP_VA_(<=, A, #A, #__VA_ARGS__, __VA_ARGS__)
#define GCT_ASSERT_GT(A, ...) GCT_CMP_VA_(>, A, #A, #__VA_ARGS__, __VA_ARGS__)
#define GCT_ASSERT_GEQ(A, ...) GCT_CMP_VA_(>=, A, #A, #__VA_ARGS__, __VA_ARGS__)

#define GCT_STR_(Eq, OpText, A, EA, EB, B, ...)                                                   \
    do {                                                                                          \
        const char *gct_a_ = (A);                                                                 \
        const char *gct_b_ = (B);                                                                 \
        if (!gct_a_ || !gct_b_ || (strcmp(gct_a_, gct_b_) == 0) != (Eq))                          \
            cr_assert_fail("%s", gct_test_str_text(EA, OpText, EB, gct_a_, gct_b_,                \
                                                   ": " __VA_ARGS__));                            \
    } while (0)
#define GCT_STR_I_(...) GCT_STR_(__VA_ARGS__)

#define GCT_ASSERT_STR_EQ(A, ...)                                                                 \
    CR_EXPAND(GCT_STR_I_(1, "==", A, #A, #__VA_ARGS__, CR_VA_HEAD(__VA_ARGS__),                   \
                         CR_VA_TAIL(__VA_ARGS__)))
#define GCT_ASSERT_STR_NEQ(A, ...)                                                                \
    CR_EXPAND(GCT_STR_I_(0, "!=", A, #A, #__VA_ARGS__, CR_VA_HEAD(__VA_ARGS__),                   \
                         CR_VA_TAIL(__VA_ARGS__)))

/* cr_assert_float_eq's rule: b - a <= eps && a - b <= eps (NaN fails). */
#define GCT_NEAR_(A, B, EA, EB, Eps, ...)                                                         \
    do {                                                                                          \
        double gct_a_ = (A);                                                                      \
        double gct_b_ = (B);                                                                      \
        double gct_e_ = (Eps);                                                                    \
        if (!(gct_b_ - gct_a_ <= gct_e_ && gct_a_ - gct_b_ <= gct_e_))                           \
            cr_assert_fail("%s", gct_test_near_text(EA, EB, gct_a_, gct_b_, gct_e_,               \
                                                    ": " __VA_ARGS__));                           \
    } while (0)
#define GCT_NEAR_I_(...) GCT_NEAR_(__VA_ARGS__)

#define GCT_ASSERT_DBL_NEAR(A, B, ...)                                                            \
    CR_EXPAND(GCT_NEAR_I_(A, B, #A, #B ", " #__VA_ARGS__, CR_VA_HEAD(__VA_ARGS__),                \
                          CR_VA_TAIL(__VA_ARGS__)))

/* ---- heaps --------------------------------------------------------------- */

/* Each fixture names its caller's file and line in its failure message
 * (Criterion reports the helper's own line). */

/* A heap of this collector with these knobs ("gen0=10"), or the test fails
 * with gct_heap_new's message. */
#define gct_test_heap(...) gct_test_heap_at_(__FILE__, __LINE__, __VA_ARGS__, (const char *)NULL)
#define gct_test_heap_knobs(collector, knobs, n)                                                  \
    gct_test_heap_knobs_at_(__FILE__, __LINE__, (collector), (knobs), (n))

/* A heap with the knobs gen0, gen1 and gen2 set to these thresholds. */
#define gct_test_heap_thresholds(collector, gen0, gen1, gen2)                                     \
    gct_test_heap_thresholds_at_(__FILE__, __LINE__, (collector), (gen0), (gen1), (gen2))

/* gct_heap_verify with exact reference counts, or the test fails with its
 * message (and the backend's name). */
#define gct_test_verify(h) gct_test_verify_at_(__FILE__, __LINE__, (h))

/* The ending block of a test: verify the heap, then destroy it. */
#define gct_test_heap_done(h) gct_test_heap_done_at_(__FILE__, __LINE__, (h))

gct_heap *gct_test_heap_at_(const char *file, int line, const char *collector, ...)
    __attribute__((sentinel));
gct_heap *gct_test_heap_knobs_at_(const char *file, int line, const char *collector,
                                  const char *const *knobs, size_t n);
gct_heap *gct_test_heap_thresholds_at_(const char *file, int line, const char *collector,
                                       int64_t gen0, int64_t gen1, int64_t gen2);
void gct_test_verify_at_(const char *file, int line, gct_heap *h);
void gct_test_heap_done_at_(const char *file, int line, gct_heap *h);

#endif
