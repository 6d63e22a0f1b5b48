/*
 * gct_test_workload.h — starting and ending workload runs in tests (part of
 * tests/support/, built where the workloads are).
 */
#ifndef GCT_TEST_WORKLOAD_H
#define GCT_TEST_WORKLOAD_H

#include "gct_test.h"
#include "workload.h"

/* gct_workload_new, or the test fails with its message. */
gct_workload_run *gct_test_workload(gct_heap *h, const char *workload,
                                    const char *const *settings, size_t n, uint64_t seed);

/* gct_workload_check, or the test fails with its message. */
void gct_test_workload_check(gct_workload_run *r);

/* The ending block of a run: free it (without verifying: the run may have
 * broken its heap on purpose), then destroy its heap. */
void gct_test_workload_done(gct_workload_run *r);

#endif
