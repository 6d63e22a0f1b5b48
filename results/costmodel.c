/* costmodel.c — CPython's collection time from work: fit, prediction, JSON
 * (costmodel.h). */
#define _GNU_SOURCE
#include "costmodel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

#define NGEN GCT_COSTMODEL_NGEN
#define NPAR 4 /* per generation: object, reference, freed, collection */

void gct_costmodel_init(gct_costmodel *m)
{
    memset(m, 0, sizeof *m);
    m->residual = m->holdout_residual = NAN;
    for (int g = 0; g < NGEN; g++)
        m->residual_gen[g] = NAN;
}

/* ---- prediction ------------------------------------------------------------ */

static double predict_gen_ns(const gct_costmodel *m, int g, double examined, double traversed,
                             double freed, double collections)
{
    return m->c_obj[g] * examined + m->c_ref[g] * traversed + m->c_free[g] * freed +
           m->c_coll[g] * collections;
}

double gct_costmodel_predict_obs_ns(const gct_costmodel *m, const gct_costobs *o)
{
    if (!m->valid || o->generation < 0 || o->generation >= NGEN)
        return NAN;
    return predict_gen_ns(m, o->generation, (double)o->examined, (double)o->traversed,
                          (double)o->freed, (double)o->collections);
}

double gct_costmodel_predict_s(const gct_costmodel *m, const int64_t examined[3],
                               const int64_t traversed[3], const int64_t freed[3],
                               const int64_t collections[3])
{
    if (!m->valid)
        return NAN;
    double ns = 0;
    for (int g = 0; g < NGEN; g++)
        ns += predict_gen_ns(m, g, (double)examined[g], (double)traversed[g], (double)freed[g],
                             (double)collections[g]);
    return ns * 1e-9;
}

/* ---- the fit ------------------------------------------------------------------ */

/* An observation as a row of the design matrix. */
static void row_of(const gct_costobs *o, double a[NPAR])
{
    a[0] = (double)o->examined;
    a[1] = (double)o->traversed;
    a[2] = (double)o->freed;
    a[3] = (double)o->collections;
}

/* Solve G x = r (k x k, k <= NPAR) by Gaussian elimination with partial
 * pivoting.  G is a Gram matrix of columns scaled to unit length, so a pivot
 * near 0 means the columns are (nearly) dependent: false. */
static bool solve(int k, double G[NPAR][NPAR], double r[NPAR], double x[NPAR])
{
    for (int c = 0; c < k; c++) {
        int p = c;
        for (int i = c + 1; i < k; i++)
            if (fabs(G[i][c]) > fabs(G[p][c]))
                p = i;
        if (fabs(G[p][c]) < 1e-10)
            return false;
        if (p != c) {
            for (int j = 0; j < k; j++) {
                double t = G[c][j];
                G[c][j] = G[p][j];
                G[p][j] = t;
            }
            double t = r[c];
            r[c] = r[p];
            r[p] = t;
        }
        for (int i = c + 1; i < k; i++) {
            double f = G[i][c] / G[c][c];
            for (int j = c; j < k; j++)
                G[i][j] -= f * G[c][j];
            r[i] -= f * r[c];
        }
    }
    for (int i = k - 1; i >= 0; i--) {
        double s = r[i];
        for (int j = i + 1; j < k; j++)
            s -= G[i][j] * x[j];
        x[i] = s / G[i][i];
    }
    return true;
}

/*
 * Non-negative least squares, min |A x - b| with x >= 0, for NPAR unknowns:
 * the solution is the unconstrained least-squares solution on its own
 * support (the coefficients that are not 0), so trying every support (16)
 * and keeping the best solution that has no negative coefficient finds it
 * exactly.  Columns are scaled to unit length first, which keeps the Gram
 * matrices well conditioned when one column counts objects in the millions
 * and another collections in ones.
 */
static void nnls(const double (*a)[NPAR], const double *b, size_t n, double x[NPAR])
{
    double scale[NPAR] = {0};
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < NPAR; j++)
            scale[j] += a[i][j] * a[i][j];
    for (int j = 0; j < NPAR; j++)
        scale[j] = sqrt(scale[j]);
    double best = 0;
    for (size_t i = 0; i < n; i++)
        best += b[i] * b[i]; /* x = 0 */
    memset(x, 0, NPAR * sizeof *x);
    for (unsigned mask = 1; mask < 1u << NPAR; mask++) {
        int cols[NPAR], k = 0;
        bool usable = true;
        for (int j = 0; j < NPAR; j++) {
            if (!(mask & 1u << j))
                continue;
            usable = usable && scale[j] > 0;
            cols[k++] = j;
        }
        if (!usable)
            continue;
        double G[NPAR][NPAR] = {{0}}, r[NPAR] = {0}, y[NPAR];
        for (size_t i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double ap = a[i][cols[p]] / scale[cols[p]];
                r[p] += ap * b[i];
                for (int q = 0; q < k; q++)
                    G[p][q] += ap * a[i][cols[q]] / scale[cols[q]];
            }
        }
        if (!solve(k, G, r, y))
            continue;
        bool feasible = true;
        for (int p = 0; p < k; p++)
            feasible = feasible && y[p] >= 0;
        if (!feasible)
            continue;
        double ssr = 0;
        for (size_t i = 0; i < n; i++) {
            double e = -b[i];
            for (int p = 0; p < k; p++)
                e += a[i][cols[p]] / scale[cols[p]] * y[p];
            ssr += e * e;
        }
        if (ssr < best) {
            best = ssr;
            memset(x, 0, NPAR * sizeof *x);
            for (int p = 0; p < k; p++)
                x[cols[p]] = y[p] / scale[cols[p]];
        }
    }
}

/* Root mean square relative error of the observations selected. */
static double rms_relative(const gct_costmodel *m, int gen, bool holdout)
{
    double s = 0;
    size_t n = 0;
    for (size_t i = 0; i < m->nobs; i++) {
        const gct_costobs *o = &m->obs[i];
        if (o->holdout != holdout || (gen >= 0 && o->generation != gen))
            continue;
        double e = (gct_costmodel_predict_obs_ns(m, o) - o->ns) / o->ns;
        s += e * e;
        n++;
    }
    return n ? sqrt(s / (double)n) : NAN;
}

int gct_costmodel_fit(gct_costmodel *m, char *err, size_t errlen)
{
    m->valid = false;
    /* Relative error: each row divided by its measured time, so that a
     * 20 us collection of generation 0 weighs as much as a 50 ms full one
     * (absolute least squares would fit the full collections alone). */
    double a[GCT_COSTMODEL_MAX_OBS][NPAR], b[GCT_COSTMODEL_MAX_OBS];
    for (int g = 0; g < NGEN; g++) {
        size_t n = 0;
        for (size_t i = 0; i < m->nobs; i++) {
            const gct_costobs *o = &m->obs[i];
            if (o->generation != g || o->holdout)
                continue;
            row_of(o, a[n]);
            for (int j = 0; j < NPAR; j++)
                a[n][j] /= o->ns;
            b[n++] = 1;
        }
        if (n < NPAR) {
            snprintf(err, errlen,
                     "generation %d has %zu observations to fit, at least %d are needed", g, n,
                     NPAR);
            return -1;
        }
        double x[NPAR];
        nnls((const double(*)[NPAR])a, b, n, x);
        m->c_obj[g] = x[0];
        m->c_ref[g] = x[1];
        m->c_free[g] = x[2];
        m->c_coll[g] = x[3];
    }
    m->valid = true;
    m->residual = rms_relative(m, -1, false);
    for (int g = 0; g < NGEN; g++)
        m->residual_gen[g] = rms_relative(m, g, false);
    m->holdout_residual = rms_relative(m, -1, true);
    return 0;
}

/* ---- JSON ---------------------------------------------------------------------- */

/* A number, or null for NaN (JSON has no NaN). */
static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *triple(const double v[NGEN])
{
    json_t *a = json_array();
    for (int g = 0; g < NGEN; g++)
        json_array_append_new(a, num_or_null(v[g]));
    return a;
}

static json_t *obs_json(const gct_costobs *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "label", json_string(o->label));
    json_object_set_new(j, "generation", json_integer(o->generation));
    json_object_set_new(j, "examined", json_integer(o->examined));
    json_object_set_new(j, "traversed", json_integer(o->traversed));
    json_object_set_new(j, "freed", json_integer(o->freed));
    json_object_set_new(j, "collections", json_integer(o->collections));
    json_object_set_new(j, "ns", json_real(o->ns));
    json_object_set_new(j, "holdout", json_boolean(o->holdout));
    return j;
}

json_t *gct_costmodel_to_json(const gct_costmodel *m)
{
    json_t *j = json_object();
    json_object_set_new(j, "schema", json_integer(GCT_COSTMODEL_SCHEMA));
    json_object_set_new(j, "model",
                        json_string("CPython cycle-collector time in ns = sum over generations "
                                    "of object*examined + reference*traversed + freed*freed + "
                                    "collection*collections"));
    json_object_set_new(j, "valid", json_boolean(m->valid));
    json_t *mach = json_object();
    json_object_set_new(mach, "cpu", json_string(m->cpu));
    json_object_set_new(mach, "hostname", json_string(m->hostname));
    json_object_set_new(j, "machine", mach);
    json_t *py = json_object();
    json_object_set_new(py, "path", json_string(m->python));
    json_object_set_new(py, "version", json_string(m->python_version));
    json_object_set_new(j, "python", py);
    json_object_set_new(j, "date", json_string(m->date));
    json_t *c = json_object();
    json_object_set_new(c, "object", triple(m->c_obj));
    json_object_set_new(c, "reference", triple(m->c_ref));
    json_object_set_new(c, "freed", triple(m->c_free));
    json_object_set_new(c, "collection", triple(m->c_coll));
    json_object_set_new(j, "coefficients_ns", c);
    json_t *fit = json_object();
    json_object_set_new(fit, "method", json_string("non-negative least squares of the relative "
                                                   "error, per generation"));
    json_object_set_new(fit, "residual", num_or_null(m->residual));
    json_object_set_new(fit, "residual_by_generation", triple(m->residual_gen));
    json_object_set_new(fit, "holdout_residual", num_or_null(m->holdout_residual));
    json_object_set_new(j, "fit", fit);
    json_t *arr = json_array();
    for (size_t i = 0; i < m->nobs; i++)
        json_array_append_new(arr, obs_json(&m->obs[i]));
    json_object_set_new(j, "observations", arr);
    return j;
}

/* Strict readers: the member must exist with the type; err names it. */
static json_t *member(json_t *o, const char *where, const char *key, int type, char *err,
                      size_t errlen)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    static const char *const tn[] = {"an object", "an array", "a string", "an integer",
                                     "a number", "true or false", "true or false", "null"};
    bool ok = v && (json_typeof(v) == (json_type)type ||
                    (type == JSON_REAL && json_is_number(v)) ||
                    (type == JSON_TRUE && json_is_boolean(v)));
    if (!ok) {
        snprintf(err, errlen, "%s%s%s: %s", where, *where ? "." : "", key,
                 v ? "wrong type, expected " : "missing, expected ");
        size_t l = strlen(err);
        snprintf(err + l, errlen > l ? errlen - l : 0, "%s", tn[type]);
        return NULL;
    }
    return v;
}

static int read_str(json_t *o, const char *where, const char *key, char *out, size_t len,
                    char *err, size_t errlen)
{
    json_t *v = member(o, where, key, JSON_STRING, err, errlen);
    if (!v)
        return -1;
    snprintf(out, len, "%s", json_string_value(v));
    return 0;
}

/* A number >= 0 (NaN allowed as null when nullable). */
static int read_num(json_t *v, const char *what, bool nullable, double *out, char *err,
                    size_t errlen)
{
    if (nullable && json_is_null(v)) {
        *out = NAN;
        return 0;
    }
    if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
        snprintf(err, errlen, "%s: expected a finite number >= 0", what);
        return -1;
    }
    *out = json_number_value(v);
    return 0;
}

/* A member that is a number >= 0 (or null for NaN when nullable). */
static int read_num_member(json_t *o, const char *where, const char *key, bool nullable,
                           double *out, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    char what[96];
    snprintf(what, sizeof what, "%s.%s", where, key);
    if (!v) {
        snprintf(err, errlen, "%s: missing", what);
        return -1;
    }
    return read_num(v, what, nullable, out, err, errlen);
}

static int read_triple(json_t *o, const char *where, const char *key, bool nullable,
                       double out[NGEN], char *err, size_t errlen)
{
    json_t *a = member(o, where, key, JSON_ARRAY, err, errlen);
    if (!a)
        return -1;
    if (json_array_size(a) != NGEN) {
        snprintf(err, errlen, "%s.%s: expected %d numbers, one per generation, got %zu", where,
                 key, NGEN, json_array_size(a));
        return -1;
    }
    for (int g = 0; g < NGEN; g++) {
        char what[96];
        snprintf(what, sizeof what, "%s.%s[%d]", where, key, g);
        if (read_num(json_array_get(a, (size_t)g), what, nullable, &out[g], err, errlen))
            return -1;
    }
    return 0;
}

static int read_count(json_t *o, const char *where, const char *key, int64_t *out, char *err,
                      size_t errlen)
{
    json_t *v = member(o, where, key, JSON_INTEGER, err, errlen);
    if (!v)
        return -1;
    if (json_integer_value(v) < 0) {
        snprintf(err, errlen, "%s.%s: negative", where, key);
        return -1;
    }
    *out = json_integer_value(v);
    return 0;
}

int gct_costmodel_add_observations(gct_costmodel *m, json_t *arr, char *err, size_t errlen)
{
    if (!json_is_array(arr)) {
        snprintf(err, errlen, "observations: expected an array");
        return -1;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        char where[48];
        snprintf(where, sizeof where, "observations[%zu]", i);
        if (m->nobs == GCT_COSTMODEL_MAX_OBS) {
            snprintf(err, errlen, "%s: more than %d observations", where, GCT_COSTMODEL_MAX_OBS);
            return -1;
        }
        gct_costobs o;
        memset(&o, 0, sizeof o);
        int64_t gen;
        json_t *ns, *hold;
        if (read_str(e, where, "label", o.label, sizeof o.label, err, errlen) ||
            read_count(e, where, "generation", &gen, err, errlen) ||
            read_count(e, where, "examined", &o.examined, err, errlen) ||
            read_count(e, where, "traversed", &o.traversed, err, errlen) ||
            read_count(e, where, "freed", &o.freed, err, errlen) ||
            read_count(e, where, "collections", &o.collections, err, errlen) ||
            !(ns = member(e, where, "ns", JSON_REAL, err, errlen)) ||
            !(hold = member(e, where, "holdout", JSON_TRUE, err, errlen)))
            return -1;
        if (gen >= NGEN) {
            snprintf(err, errlen, "%s.generation: %lld is not 0, 1 or 2", where, (long long)gen);
            return -1;
        }
        o.generation = (int)gen;
        o.ns = json_number_value(ns);
        if (!isfinite(o.ns) || o.ns <= 0) {
            snprintf(err, errlen, "%s.ns: expected a time > 0", where);
            return -1;
        }
        o.holdout = json_is_true(hold);
        m->obs[m->nobs++] = o;
    }
    return 0;
}

int gct_costmodel_from_json(gct_costmodel *m, json_t *j, char *err, size_t errlen)
{
    gct_costmodel_init(m);
    json_t *schema = member(j, "", "schema", JSON_INTEGER, err, errlen);
    if (!schema)
        return -1;
    if (json_integer_value(schema) != GCT_COSTMODEL_SCHEMA) {
        snprintf(err, errlen, "schema %lld, this gctune reads schema %d",
                 (long long)json_integer_value(schema), GCT_COSTMODEL_SCHEMA);
        return -1;
    }
    json_t *mach, *py, *c, *fit, *valid;
    if (!(valid = member(j, "", "valid", JSON_TRUE, err, errlen)) ||
        !(mach = member(j, "", "machine", JSON_OBJECT, err, errlen)) ||
        read_str(mach, "machine", "cpu", m->cpu, sizeof m->cpu, err, errlen) ||
        read_str(mach, "machine", "hostname", m->hostname, sizeof m->hostname, err, errlen) ||
        !(py = member(j, "", "python", JSON_OBJECT, err, errlen)) ||
        read_str(py, "python", "path", m->python, sizeof m->python, err, errlen) ||
        read_str(py, "python", "version", m->python_version, sizeof m->python_version, err,
                 errlen) ||
        read_str(j, "", "date", m->date, sizeof m->date, err, errlen) ||
        !(c = member(j, "", "coefficients_ns", JSON_OBJECT, err, errlen)) ||
        read_triple(c, "coefficients_ns", "object", false, m->c_obj, err, errlen) ||
        read_triple(c, "coefficients_ns", "reference", false, m->c_ref, err, errlen) ||
        read_triple(c, "coefficients_ns", "freed", false, m->c_free, err, errlen) ||
        read_triple(c, "coefficients_ns", "collection", false, m->c_coll, err, errlen) ||
        !(fit = member(j, "", "fit", JSON_OBJECT, err, errlen)) ||
        read_num_member(fit, "fit", "residual", true, &m->residual, err, errlen) ||
        read_triple(fit, "fit", "residual_by_generation", true, m->residual_gen, err, errlen) ||
        read_num_member(fit, "fit", "holdout_residual", true, &m->holdout_residual, err,
                        errlen) ||
        gct_costmodel_add_observations(m, json_object_get(j, "observations"), err, errlen))
        return -1;
    m->valid = json_is_true(valid);
    return 0;
}

/* ---- the cache file -------------------------------------------------------------- */

int gct_costmodel_save(const gct_costmodel *m, const char *path, char *err, size_t errlen)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (gct_mkdirs(dir, err, errlen))
            return -1;
    }
    gct_afile a;
    FILE *f = gct_afile_open(&a, path, err, errlen);
    if (!f)
        return -1;
    json_t *j = gct_costmodel_to_json(m);
    int rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (rc != 0 || fputc('\n', f) == EOF) {
        snprintf(err, errlen, "%s: cannot write", path);
        gct_afile_abort(&a);
        return -1;
    }
    return gct_afile_commit(&a, err, errlen);
}

int gct_costmodel_load(gct_costmodel *m, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = gct_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    json_error_t je;
    json_t *j = json_loadb(text, len, 0, &je);
    free(text);
    if (!j) {
        snprintf(err, errlen, "%s:%d: not JSON: %s", path, je.line, je.text);
        return -1;
    }
    char why[400] = "";
    int rc = gct_costmodel_from_json(m, j, why, sizeof why);
    json_decref(j);
    if (rc)
        snprintf(err, errlen, "%s: not a gctune cost model: %s", path, why);
    return rc;
}
