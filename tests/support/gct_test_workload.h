/*
 * gct_test_workload.h — starting and ending workload runs in tests (part of
 * tests/support/, built where the workloads are).
 */
#ifndef GCT_TEST_WORKLOAD_H
#define GCT_TEST_WORKLOAD_H

#include "gct_test.h"
#include "workload.h"

/* gct_workload_new, or the test fails with its message (and the caller's
 * file and line). */
#define gct_test_workload(h, workload, settings, n, seed)                                         \
    gct_test_workload_at_(__FILE__, __LINE__, (h), (workload), (settings), (n), (seed))

/* gct_workload_check, or the test fails with its message. */
#define gct_test_workload_check(r) gct_test_workload_check_at_(__FILE__, __LINE__, (r))

gct_workload_run *gct_test_workload_at_(const char *file, int line, gct_heap *h,
                                        const char *workload, const char *const *settings,
                                        size_t n, uint64_t seed);
void gct_test_workload_check_at_(const char *file, int line, gct_workload_run *r);

/* The ending block of a run: free it (without verifying: the run may have
 * broken its heap on purpose), then destroy its heap. */
void gct_test_workload_done(gct_workload_run *r);

#endif
