/* common/costmodel_common.c — the helpers of the test-costmodel-*.c
 * programs (what they do: common/costmodel_common.h). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include "gct_test.h"
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calibrate.h"
#include "costmodel.h"
#include "rng.h"

#include "costmodel_common.h"
#include "gct_test_run.h"

/* ---- synthetic observations ------------------------------------------------- */

/* The true coefficients of the synthetic machine: ns per object examined,
 * reference traversed, object freed, collection, for generations 0, 1, 2. */
const double T_OBJ[3] = {10, 15, 20}, T_REF[3] = {5, 6, 8}, T_FREE[3] = {50, 60, 70},
             T_COLL[3] = {200, 180, 500};

static uint64_t rng_state;

static double uniform(void) /* [-1, 1), splitmix64 (workloads/rng.h) */
{
    return (double)(gct_splitmix64(&rng_state) >> 11) / (double)(1ull << 52) - 1;
}

void add_obs(gct_costmodel *m, int g, int64_t n, int64_t k, bool live, double noise, bool holdout)
{
    GCT_ASSERT_LT(m->nobs, GCT_COSTMODEL_MAX_OBS);
    gct_costobs *o = &m->obs[m->nobs++];
    memset(o, 0, sizeof *o);
    snprintf(o->label, sizeof o->label, "gen%d %s n=%lld k=%lld", g, live ? "live" : "dead",
             (long long)n, (long long)k);
    o->generation = g;
    o->examined = n;
    o->traversed = 2 * n * k;
    o->freed = live ? 0 : n;
    o->collections = 1;
    o->holdout = holdout;
    double ns = T_OBJ[g] * (double)o->examined + T_REF[g] * (double)o->traversed +
                T_FREE[g] * (double)o->freed + T_COLL[g];
    o->ns = ns * (1 + noise * uniform());
}

/* The calibration script's design: empty collections, and n lists of k
 * references, live and dead, at sizes that suit each generation. */
void synthetic(gct_costmodel *m, double noise)
{
    gct_costmodel_init(m);
    rng_state = 42;
    static const int64_t sizes[3][3] = {{200, 700, 2000}, {2000, 8000, 0}, {20000, 80000, 0}};
    static const int64_t ks[] = {0, 1, 2, 4, 8};
    for (int g = 0; g < 3; g++) {
        add_obs(m, g, 0, 0, true, noise, false);
        for (int i = 0; i < 3 && sizes[g][i]; i++)
            for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
                add_obs(m, g, sizes[g][i], ks[j], true, noise, false);
                if (ks[j])
                    add_obs(m, g, sizes[g][i], ks[j], false, noise, false);
            }
    }
    /* Held out: far from everything fitted, and wrong on purpose (x 10) to
     * show that the fit does not look at them. */
    add_obs(m, 2, 50000, 3, true, 0, true);
    m->obs[m->nobs - 1].ns *= 10;
}

void assert_close(double got, double want, double rel, const char *what, int g)
{
    cr_assert(fabs(got - want) <= rel * fabs(want) + 1e-9,
              "%s[%d]: fitted %.6g, true %.6g (tolerance %.0f%%)", what, g, got, want, rel * 100);
}

void assert_recovered(const gct_costmodel *m, double rel)
{
    cr_assert(m->valid);
    for (int g = 0; g < 3; g++) {
        assert_close(m->c_obj[g], T_OBJ[g], rel, "object", g);
        assert_close(m->c_ref[g], T_REF[g], rel, "reference", g);
        assert_close(m->c_free[g], T_FREE[g], rel, "freed", g);
        assert_close(m->c_coll[g], T_COLL[g], rel, "collection", g);
    }
}

/* ---- models and files ---------------------------------------------------------- */

void fitted(gct_costmodel *m)
{
    synthetic(m, 0.05);
    char err[256];
    GCT_ASSERT_EQ(gct_costmodel_fit(m, err, sizeof err), 0, "%s", err);
    snprintf(m->cpu, sizeof m->cpu, "Test CPU @ 1 GHz");
    snprintf(m->hostname, sizeof m->hostname, "testhost");
    snprintf(m->python, sizeof m->python, "/usr/bin/python3.11");
    snprintf(m->python_version, sizeof m->python_version, "3.11.2");
    snprintf(m->date, sizeof m->date, "2024-06-11T10:00:00Z");
}

char *dump(const gct_costmodel *m)
{
    json_t *j = gct_costmodel_to_json(m);
    char *s = json_dumps(j, JSON_PRESERVE_ORDER);
    json_decref(j);
    return s;
}

void assert_same_model(const gct_costmodel *a, const gct_costmodel *b)
{
    char *x = dump(a), *y = dump(b);
    GCT_ASSERT_STR_EQ(x, y);
    free(x);
    free(y);
    for (int g = 0; g < 3; g++)
        cr_assert(a->c_obj[g] == b->c_obj[g] && a->c_ref[g] == b->c_ref[g] &&
                      a->c_free[g] == b->c_free[g] && a->c_coll[g] == b->c_coll[g],
                  "coefficients of generation %d changed in the round trip", g);
}

char tmpdir[64];

void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gct-costmodel-XXXXXX");
    cr_assert(mkdtemp(tmpdir));
}

void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "/bin/rm -rf '%s'", tmpdir); /* PATH may be changed */
    GCT_ASSERT_EQ(system(cmd), 0);
}

void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

void use_fresh_cache(void)
{
    make_tmpdir();
    GCT_ASSERT_EQ(setenv("XDG_CACHE_HOME", tmpdir, 1), 0);
}

/* ---- the command ------------------------------------------------------------------- */

/* Run gctune (meson passes its path in GCTUNE) with args, in this
 * process's environment. */
void gctune(run_out *r, const char *const *args)
{
    gct_test_run t = gct_test_gctune(args);
    r->status = t.status;
    snprintf(r->out, sizeof r->out, "%s", t.out);
    snprintf(r->err, sizeof r->err, "%s", t.err);
    gct_test_run_free(&t);
}
