/* gct_test_workload.c — workload fixtures (see gct_test_workload.h). */
#include "gct_test_workload.h"

#include "collector.h"

gct_workload_run *gct_test_workload_at_(const char *file, int line, gct_heap *h,
                                        const char *workload, const char *const *settings,
                                        size_t n, uint64_t seed)
{
    char err[512] = "";
    gct_workload_run *r = gct_workload_new(workload, h, settings, n, seed, err, sizeof err);
    cr_assert(r, "%s:%d: gct_workload_new(%s) on %s: %s", file, line, workload, gct_heap_collector(h)->name,
              err);
    return r;
}

void gct_test_workload_check_at_(const char *file, int line, gct_workload_run *r)
{
    char err[512] = "";
    cr_assert(gct_workload_check(r, err, sizeof err), "%s:%d: %s on %s, after %lld ops: %s", file,
              line, r->wl->name, gct_heap_collector(r->h)->name, (long long)r->ops, err);
}

void gct_test_workload_done(gct_workload_run *r)
{
    gct_heap *h = r->h;
    gct_workload_free(r);
    gct_heap_destroy(h);
}
