/*
 * common/workloads_common.h — what the test-workloads-*.c programs share
 * (common/workloads_common.c, linked into each of them): busy heaps, the
 * small configurations every collector runs, running one with verification,
 * and reading a run's metrics and leaks.
 */
#ifndef GCT_TESTS_COMMON_WORKLOADS_H
#define GCT_TESTS_COMMON_WORKLOADS_H

#include <criterion/criterion.h>
#include "gct_test_workload.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "collector.h"
#include "heap.h"
#include "workload.h"

#define ERRLEN 512

#define assert_has(msg, sub)                                                                       \
    cr_assert(strstr((msg), (sub)) != NULL, "message \"%s\" does not contain \"%s\"", (msg), (sub))

/* ---- helpers ------------------------------------------------------------- */

/* Small thresholds, so that small runs collect often. */
gct_heap *busy_heap(const char *collector);

/* gct_heap_verify with exact counts; `when` goes in the message. */
void verify(gct_heap *h, const char *when);

/* The value of the run's metric `name` (the test fails without it). */
double metric(const gct_workload_run *r, const char *name);

/* The objects gct_heap_leaks reports. */
int64_t leaks(gct_heap *h);

/* ---- the small configurations ---------------------------------------- */

#define MAXSET 6

typedef struct config {
    const char *workload;
    const char *settings[MAXSET];
    int64_t ops;
    bool collector_visible; /* a weak reference observes the collector */
} config;

/* The small configurations every collector runs. */
#define NCONFIGS 9
extern const config *const configs; /* NCONFIGS of them */

/* The number of settings of c. */
size_t nsettings(const config *c);

/* "workload setting setting ...", in buf. */
const char *describe(const config *c, char *buf, size_t len);

/* Criterion hands parameters to a separate worker process, so they hold
 * indices, never pointers. */
typedef struct case_param {
    unsigned collector;
    unsigned config;
} case_param;

/* The collectors every configuration runs on. */
extern const char *const collectors[3];

/* Runs a configuration on a busy heap, verifying the heap with exact
 * reference counts every `every` operations. */
gct_workload_run *run_config(gct_heap *h, const config *c, uint64_t seed, int64_t every);

#endif
