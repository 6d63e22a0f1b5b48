/* summary.c — the result model (see summary.h). */
#define _GNU_SOURCE
#include "summary.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csv.h"
#include "files.h"
#include "stats.h"

#define SUMMARY_SEED 0x5eedu

/* The summarised fields, in record order. */
static const gct_field *sfields[128];
static size_t nsfields;

static void init_fields(void)
{
    if (nsfields)
        return;
    for (size_t k = 0; k < gct_result_nfields; k++)
        if (gct_result_fields[k].summarized && nsfields < 128)
            sfields[nsfields++] = &gct_result_fields[k];
}

static int sfield_index(const char *name)
{
    init_fields();
    for (size_t k = 0; k < nsfields; k++)
        if (!strcmp(sfields[k]->name, name))
            return (int)k;
    return -1;
}

const gct_stat *gct_summary_stat(const gct_config_summary *c, const char *field)
{
    int k = sfield_index(field);
    return k < 0 ? NULL : &c->stat[k];
}

static double median_of(const gct_config_summary *c, const char *field)
{
    const gct_stat *s = gct_summary_stat(c, field);
    return s ? s->median : NAN;
}

/* The convenience views and flags, from stat[] alone (so that a summary read
 * back from summary.csv has exactly the same ones). */
static void derive(gct_config_summary *c)
{
    const gct_stat *ops = gct_summary_stat(c, "ops_per_s");
    c->ops_s = ops->median;
    c->ops_lo = ops->lo;
    c->ops_hi = ops->hi;
    c->p99 = median_of(c, "pause_p99_us");
    c->pmax = median_of(c, "pause_max_us");
    c->peak = median_of(c, "peak_bytes");
    c->leaked = median_of(c, "leaked_bytes");
    c->gc_fraction = median_of(c, "gc_fraction");
    c->wall_ms = median_of(c, "wall_s") * 1e3;
}

static void add_name(const char ***list, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*list)[i], name))
            return;
    *list = gct_xrealloc(*list, *n + 1, sizeof **list);
    (*list)[(*n)++] = name;
}

static void index_names(gct_summary *s)
{
    for (size_t i = 0; i < s->n; i++) {
        add_name(&s->workloads, &s->nworkloads, s->configs[i].workload);
        add_name(&s->collectors, &s->ncollectors, s->configs[i].collector);
    }
}

size_t gct_summary_samples(const gct_results *rows, const char *id, const gct_field *f,
                           double *out)
{
    size_t n = 0;
    for (size_t j = 0; j < rows->n; j++) {
        const gct_result *r = &rows->rows[j];
        if (r->status != GCT_STATUS_OK || strcmp(r->config_id, id))
            continue;
        double v = gct_result_num(r, f);
        if (isfinite(v))
            out[n++] = v;
    }
    return n;
}

/* Whether every successful process of id did exactly the same GC work. */
static bool work_is_exact(const gct_results *rows, const char *id)
{
    static const char *const work[] = {"collections_gen0", "collections_gen1", "collections_gen2",
                                       "gc_examined",      "gc_traversed",     "gc_freed"};
    const gct_result *first = NULL;
    for (size_t j = 0; j < rows->n; j++) {
        const gct_result *r = &rows->rows[j];
        if (r->status != GCT_STATUS_OK || strcmp(r->config_id, id))
            continue;
        if (!first) {
            first = r;
            continue;
        }
        for (size_t k = 0; k < sizeof work / sizeof work[0]; k++) {
            const gct_field *f = gct_result_field(work[k]);
            if (gct_result_num(r, f) != gct_result_num(first, f))
                return false;
        }
    }
    return first != NULL;
}

static void summarize_config(const gct_results *rows, const gct_result *first, double *v,
                             gct_config_summary *c)
{
    c->id = gct_xstrdup(first->config_id);
    c->collector = gct_xstrdup(first->collector);
    c->workload = gct_xstrdup(first->workload);
    c->knobs = gct_xstrdup(first->knobs);
    c->params = gct_xstrdup(first->params);
    c->aa_of = gct_xstrdup(first->aa_of);
    c->gen0 = first->gen0;
    c->gen1 = first->gen1;
    c->gen2 = first->gen2;
    c->seed = first->seed;
    c->ops = first->ops;
    c->warmup_ops = first->warmup_ops;
    c->defaults = first->defaults != 0;
    const char *failure = "";
    for (size_t j = 0; j < rows->n; j++) {
        const gct_result *r = &rows->rows[j];
        if (strcmp(r->config_id, c->id))
            continue;
        if (r->status == GCT_STATUS_OK) {
            c->n++;
        } else {
            if (!c->failed)
                failure = r->reason;
            c->failed++;
        }
    }
    c->failure = gct_xstrdup(failure);
    c->ci = c->n >= GCT_CI_MIN_RUNS;
    c->stat = gct_xcalloc(nsfields, sizeof *c->stat);
    for (size_t k = 0; k < nsfields; k++) {
        gct_stat *st = &c->stat[k];
        size_t n = gct_summary_samples(rows, c->id, sfields[k], v);
        if (!n) {
            st->median = st->lo = st->hi = NAN;
            continue;
        }
        bool ci;
        gct_median_interval(v, n, SUMMARY_SEED, &st->median, &st->lo, &st->hi, &ci);
    }
    derive(c);
    c->too_short = c->n && c->wall_ms < GCT_SHORT_RUN_S * 1e3;
    c->leaks = c->n && median_of(c, "leaked_objects") > 0;
    c->work_exact = work_is_exact(rows, c->id);
}

static void measure_noise(const gct_results *rows, gct_summary *s)
{
    const gct_field *f = gct_result_field("ops_per_s");
    double *a = gct_xcalloc(rows->n, sizeof *a), *b = gct_xcalloc(rows->n, sizeof *b);
    s->noise = gct_xcalloc(s->n, sizeof *s->noise);
    for (size_t i = 0; i < s->n; i++) {
        const gct_config_summary *twin = &s->configs[i];
        if (!twin->aa_of[0])
            continue;
        const gct_config_summary *orig = gct_summary_find(s, twin->aa_of);
        if (!orig)
            continue;
        size_t na = gct_summary_samples(rows, orig->id, f, a);
        size_t nb = gct_summary_samples(rows, twin->id, f, b);
        gct_noise *z = &s->noise[s->nnoise++];
        z->workload = gct_xstrdup(orig->workload);
        z->config = gct_xstrdup(orig->id);
        z->twin = gct_xstrdup(twin->id);
        z->n_config = na;
        z->n_twin = nb;
        z->ratio = z->lo = z->hi = z->p = z->detectable = z->spread = NAN;
        gct_effect e;
        if (na && nb && gct_effect_of(a, na, b, nb, 0, SUMMARY_SEED, &e) == 0) {
            z->ratio = e.ratio;
            z->lo = e.lo;
            z->hi = e.hi;
            z->p = e.p;
            z->detectable = e.detectable;
            z->spread = fabs(e.ratio - 1);
        }
    }
    free(a);
    free(b);
}

void gct_summarize(const gct_results *rows, gct_summary *out)
{
    init_fields();
    memset(out, 0, sizeof *out);
    out->configs = gct_xcalloc(rows->n, sizeof *out->configs);
    double *v = gct_xcalloc(rows->n, sizeof *v);
    for (size_t i = 0; i < rows->n; i++) {
        const gct_result *r = &rows->rows[i];
        if (gct_summary_find(out, r->config_id))
            continue;
        summarize_config(rows, r, v, &out->configs[out->n++]);
    }
    free(v);
    index_names(out);
    measure_noise(rows, out);
}

void gct_summary_free(gct_summary *s)
{
    for (size_t i = 0; i < s->n; i++) {
        gct_config_summary *c = &s->configs[i];
        free(c->id);
        free(c->collector);
        free(c->workload);
        free(c->knobs);
        free(c->params);
        free(c->aa_of);
        free(c->failure);
        free(c->stat);
    }
    for (size_t i = 0; i < s->nnoise; i++) {
        free(s->noise[i].workload);
        free(s->noise[i].config);
        free(s->noise[i].twin);
    }
    free(s->configs);
    free(s->noise);
    free(s->workloads);
    free(s->collectors);
    memset(s, 0, sizeof *s);
}

const gct_config_summary *gct_summary_find(const gct_summary *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->configs[i].id, id))
            return &s->configs[i];
    return NULL;
}

/* How far apart two medians are as a floor: on the log scale, as the
 * verdict rule measures a difference, so that the pair itself never clears
 * it (a twin at 0.8x is 25% away, not 20%). */
static double apart(double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return NAN;
    if (x == y)
        return 0;
    if (!(x > 0) || !(y > 0))
        return INFINITY; /* from none to some: no scale */
    return expm1(fabs(log(y / x)));
}

/* The floor of one A/A pair in field (ops_per_s: from the pair's ratio). */
static double pair_floor(const gct_summary *s, const gct_noise *z, const char *field)
{
    if (!strcmp(field, "ops_per_s"))
        return z->ratio > 0 ? apart(1, z->ratio) : z->spread;
    const gct_config_summary *a = gct_summary_find(s, z->config);
    const gct_config_summary *b = gct_summary_find(s, z->twin);
    const gct_stat *x = a ? gct_summary_stat(a, field) : NULL;
    const gct_stat *y = b ? gct_summary_stat(b, field) : NULL;
    return x && y ? apart(x->median, y->median) : NAN;
}

/* The collector of an A/A pair (its configuration's). */
static const char *pair_collector(const gct_summary *s, const gct_noise *z)
{
    const gct_config_summary *a = gct_summary_find(s, z->config);
    return a ? a->collector : "";
}

double gct_summary_noise_floor_own(const gct_summary *s, const char *workload,
                                   const char *collector, const char *field)
{
    for (size_t i = 0; i < s->nnoise; i++) {
        const gct_noise *z = &s->noise[i];
        if (!strcmp(z->workload, workload) && !strcmp(pair_collector(s, z), collector))
            return pair_floor(s, z, field);
    }
    return NAN;
}

double gct_summary_noise_floor_in(const gct_summary *s, const char *workload,
                                  const char *collector, const char *field)
{
    double own = collector ? gct_summary_noise_floor_own(s, workload, collector, field) : NAN;
    if (!isnan(own))
        return own;
    double most = NAN;
    for (size_t i = 0; i < s->nnoise; i++) {
        const gct_noise *z = &s->noise[i];
        if (strcmp(z->workload, workload))
            continue;
        double f = pair_floor(s, z, field);
        if (isnan(most) || f > most)
            most = f;
    }
    return most;
}

double gct_summary_noise_floor(const gct_summary *s, const char *workload)
{
    return gct_summary_noise_floor_in(s, workload, NULL, "ops_per_s");
}

double gct_summary_noise_floor_of(const gct_summary *s, const char *workload, const char *field)
{
    return gct_summary_noise_floor_in(s, workload, NULL, field);
}

bool gct_summary_is_candidate(const gct_config_summary *c)
{
    return c->n > 0 && !c->aa_of[0] && !c->leaks;
}

int gct_summary_knobs_but_freeze(const gct_config_summary *c, char *buf, size_t len)
{
    int freeze = -1;
    buf[0] = 0;
    char *copy = gct_xstrdup(c->knobs), *save = NULL;
    size_t used = 0;
    for (char *kv = strtok_r(copy, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        if (!strncmp(kv, "freeze=", 7)) {
            freeze = atoi(kv + 7);
            continue;
        }
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ";" : "", kv);
    }
    free(copy);
    return freeze;
}

const gct_config_summary *gct_summary_frozen_twin(const gct_summary *s,
                                                  const gct_config_summary *c,
                                                  const char *field)
{
    char kc[512], kx[512];
    gct_summary_knobs_but_freeze(c, kc, sizeof kc);
    for (size_t j = 0; j < s->n; j++) {
        const gct_config_summary *x = &s->configs[j];
        const gct_stat *st = gct_summary_stat(x, field);
        if (!x->aa_of[0] && gct_summary_knobs_but_freeze(x, kx, sizeof kx) == 1 &&
            !strcmp(x->collector, c->collector) && !strcmp(x->workload, c->workload) &&
            !strcmp(x->params, c->params) && !strcmp(kc, kx) && st && isfinite(st->median))
            return x;
    }
    return NULL;
}

int gct_summary_grows(const gct_config_summary *c)
{
    const gct_stat *o = gct_summary_stat(c, "retained_objects_per_op"),
                   *b = gct_summary_stat(c, "retained_bytes_per_op"),
                   *g = gct_summary_stat(c, "reachable_growth");
    if (o && b && isfinite(o->median) && isfinite(b->median))
        return o->median >= GCT_GROWS_OBJECTS || b->median >= GCT_GROWS_BYTES;
    if (g && isfinite(g->median))
        return g->median > GCT_GROWS_FRACTION || c->leaks;
    return -1;
}

size_t gct_summary_best_per_collector(const gct_summary *s, const char *wl,
                                      const gct_config_summary **out, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < s->ncollectors && n < max; k++) {
        const gct_config_summary *best = NULL;
        for (size_t i = 0; i < s->n; i++) {
            const gct_config_summary *a = &s->configs[i];
            if (!gct_summary_is_candidate(a) || strcmp(a->workload, wl) ||
                strcmp(a->collector, s->collectors[k]))
                continue;
            if (!best || a->ops_s > best->ops_s)
                best = a;
        }
        if (best)
            out[n++] = best;
    }
    return n;
}

void gct_summary_thresholds(const gct_config_summary *c, char *buf, size_t len)
{
    if (gct_summary_is_generational(c))
        snprintf(buf, len, "%" PRId64 "/%" PRId64 "/%" PRId64, c->gen0, c->gen1, c->gen2);
    else if (c->gen0 >= 0)
        snprintf(buf, len, "%" PRId64, c->gen0);
    else
        snprintf(buf, len, "defaults");
}

void gct_summary_label(const gct_config_summary *a, char *buf, size_t len)
{
    if (a->gen0 < 0) {
        snprintf(buf, len, "%s", a->collector);
        return;
    }
    char thr[96];
    gct_summary_thresholds(a, thr, sizeof thr);
    snprintf(buf, len, "%s:%s", a->collector, thr);
}

void gct_summary_interval_name(const gct_config_summary *c, char *buf, size_t len)
{
    snprintf(buf, len, "n=%zu, %s", c->n, c->ci ? "95% CI" : "range");
}

/* ---- the files ------------------------------------------------------------ */

static const char *const ident_cols[] = {"config_id", "collector", "workload", "knobs",
                                         "params",    "aa_of",     "failure"};
static const char *const int_cols[] = {"gen0", "gen1", "gen2", "seed", "ops", "warmup_ops",
                                       "runs", "failed", "too_short", "leaks", "defaults", "work_exact"};
enum { NIDENT = sizeof ident_cols / sizeof ident_cols[0], NINT = sizeof int_cols / sizeof int_cols[0] };

static char **ident_at(gct_config_summary *c, size_t k)
{
    char **p[] = {&c->id, &c->collector, &c->workload, &c->knobs, &c->params, &c->aa_of, &c->failure};
    return p[k];
}

static void int_get(const gct_config_summary *c, int64_t *v)
{
    int64_t w[] = {c->gen0, c->gen1, c->gen2, c->seed, c->ops, c->warmup_ops, (int64_t)c->n,
                   (int64_t)c->failed, c->too_short, c->leaks, c->defaults, c->work_exact};
    memcpy(v, w, sizeof w);
}

static void int_set(gct_config_summary *c, const int64_t *v)
{
    c->gen0 = v[0];
    c->gen1 = v[1];
    c->gen2 = v[2];
    c->seed = v[3];
    c->ops = v[4];
    c->warmup_ops = v[5];
    c->n = (size_t)v[6];
    c->failed = (size_t)v[7];
    c->too_short = v[8] != 0;
    c->leaks = v[9] != 0;
    c->defaults = v[10] != 0;
    c->work_exact = v[11] != 0;
}

static int write_summary_csv(const char *path, const gct_summary *s, char *err, size_t errlen)
{
    gct_afile a;
    FILE *f = gct_afile_open(&a, path, err, errlen);
    if (!f)
        return -1;
    fprintf(f, "schema,interval");
    for (size_t k = 0; k < NIDENT; k++)
        fprintf(f, ",%s", ident_cols[k]);
    for (size_t k = 0; k < NINT; k++)
        fprintf(f, ",%s", int_cols[k]);
    for (size_t k = 0; k < nsfields; k++)
        fprintf(f, ",%s_median,%s_lo,%s_hi", sfields[k]->name, sfields[k]->name, sfields[k]->name);
    fputc('\n', f);
    for (size_t i = 0; i < s->n; i++) {
        gct_config_summary *c = &s->configs[i];
        fprintf(f, "%d,%s", GCT_RESULTS_SCHEMA, c->ci ? "ci95" : "range");
        for (size_t k = 0; k < NIDENT; k++) {
            fputc(',', f);
            gct_csv_write_string(f, *ident_at(c, k));
        }
        int64_t iv[NINT];
        int_get(c, iv);
        for (size_t k = 0; k < NINT; k++)
            fprintf(f, ",%" PRId64, iv[k]);
        for (size_t k = 0; k < nsfields; k++) {
            const gct_stat *st = &c->stat[k];
            double v[] = {st->median, st->lo, st->hi};
            gct_csv_write_numbers(f, v, 3);
        }
        fputc('\n', f);
    }
    return gct_afile_commit(&a, err, errlen);
}

static int write_noise_csv(const char *path, const gct_summary *s, char *err, size_t errlen)
{
    gct_afile a;
    FILE *f = gct_afile_open(&a, path, err, errlen);
    if (!f)
        return -1;
    fprintf(f, "workload,config_id,twin_id,runs_config,runs_twin,ratio,ratio_lo,ratio_hi,p,"
               "detectable,spread\n");
    for (size_t i = 0; i < s->nnoise; i++) {
        const gct_noise *z = &s->noise[i];
        const char *ids[] = {z->workload, z->config, z->twin};
        gct_csv_write_strings(f, ids, 3);
        fprintf(f, ",%zu,%zu", z->n_config, z->n_twin);
        double v[] = {z->ratio, z->lo, z->hi, z->p, z->detectable, z->spread};
        gct_csv_write_numbers(f, v, sizeof v / sizeof v[0]);
        fputc('\n', f);
    }
    return gct_afile_commit(&a, err, errlen);
}

int gct_summary_write(const char *dir, const gct_summary *s, char *err, size_t errlen)
{
    init_fields();
    char p[4200];
    snprintf(p, sizeof p, "%s/summary.csv", dir);
    if (write_summary_csv(p, s, err, errlen))
        return -1;
    snprintf(p, sizeof p, "%s/noise.csv", dir);
    return write_noise_csv(p, s, err, errlen);
}

/* ---- reading back ---------------------------------------------------------- */

typedef struct reader {
    const gct_csv_table *t;
    char *err;
    size_t errlen;
} reader;

static int col_of(reader *r, const char *name)
{
    int c = gct_csv_column(r->t, name);
    if (c < 0)
        snprintf(r->err, r->errlen, "%s:1: column '%s' is missing (not a summary of this gctune)",
                 r->t->path, name);
    return c;
}

static int cell_i64(reader *r, size_t row, const char *name, int64_t *v)
{
    int c = col_of(r, name);
    if (c < 0)
        return -1;
    const char *s = gct_csv_cell(r->t, row, c);
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (!*s || *end || errno) {
        snprintf(r->err, r->errlen, "%s:%ld: column '%s': '%s' is not a whole number", r->t->path,
                 r->t->lines[row], name, s);
        return -1;
    }
    *v = x;
    return 0;
}

static int cell_f64(reader *r, size_t row, const char *name, double *v)
{
    int c = col_of(r, name);
    if (c < 0)
        return -1;
    const char *s = gct_csv_cell(r->t, row, c);
    if (!*s) {
        *v = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (*end || errno == ERANGE) {
        snprintf(r->err, r->errlen, "%s:%ld: column '%s': '%s' is not a number", r->t->path,
                 r->t->lines[row], name, s);
        return -1;
    }
    *v = x;
    return 0;
}

static int cell_str(reader *r, size_t row, const char *name, char **v)
{
    int c = col_of(r, name);
    if (c < 0)
        return -1;
    *v = gct_xstrdup(gct_csv_cell(r->t, row, c));
    return 0;
}

static int read_config(reader *r, size_t row, gct_config_summary *c)
{
    int64_t schema;
    if (cell_i64(r, row, "schema", &schema))
        return -1;
    if (schema != GCT_RESULTS_SCHEMA) {
        snprintf(r->err, r->errlen, "%s:%ld: schema version %" PRId64 " is not one this gctune "
                                    "reads (%d)",
                 r->t->path, r->t->lines[row], schema, GCT_RESULTS_SCHEMA);
        return -1;
    }
    for (size_t k = 0; k < NIDENT; k++)
        if (cell_str(r, row, ident_cols[k], ident_at(c, k)))
            return -1;
    int64_t iv[NINT];
    for (size_t k = 0; k < NINT; k++)
        if (cell_i64(r, row, int_cols[k], &iv[k]))
            return -1;
    int_set(c, iv);
    char *interval = NULL;
    if (cell_str(r, row, "interval", &interval))
        return -1;
    c->ci = !strcmp(interval, "ci95");
    free(interval);
    c->stat = gct_xcalloc(nsfields, sizeof *c->stat);
    const gct_field *late = gct_result_field(GCT_RESULT_FIRST_LATE_FIELD);
    for (size_t k = 0; k < nsfields; k++) {
        char name[128];
        const char *base = sfields[k]->name;
        snprintf(name, sizeof name, "%s_median", base);
        if (late && sfields[k] >= late && gct_csv_column(r->t, name) < 0) {
            /* a field newer than the file (record.h): empty */
            c->stat[k].median = c->stat[k].lo = c->stat[k].hi = NAN;
            continue;
        }
        if (cell_f64(r, row, name, &c->stat[k].median))
            return -1;
        snprintf(name, sizeof name, "%s_lo", base);
        if (cell_f64(r, row, name, &c->stat[k].lo))
            return -1;
        snprintf(name, sizeof name, "%s_hi", base);
        if (cell_f64(r, row, name, &c->stat[k].hi))
            return -1;
    }
    derive(c);
    return 0;
}

static int read_noise(reader *r, size_t row, gct_noise *z)
{
    int64_t na, nb;
    if (cell_str(r, row, "workload", &z->workload) || cell_str(r, row, "config_id", &z->config) ||
        cell_str(r, row, "twin_id", &z->twin) || cell_i64(r, row, "runs_config", &na) ||
        cell_i64(r, row, "runs_twin", &nb) || cell_f64(r, row, "ratio", &z->ratio) ||
        cell_f64(r, row, "ratio_lo", &z->lo) || cell_f64(r, row, "ratio_hi", &z->hi) ||
        cell_f64(r, row, "p", &z->p) || cell_f64(r, row, "detectable", &z->detectable) ||
        cell_f64(r, row, "spread", &z->spread))
        return -1;
    z->n_config = (size_t)na;
    z->n_twin = (size_t)nb;
    return 0;
}

int gct_summary_load(const char *dir, gct_summary *s, char *err, size_t errlen)
{
    init_fields();
    memset(s, 0, sizeof *s);
    char p[4200];
    snprintf(p, sizeof p, "%s/summary.csv", dir);
    if (access(p, F_OK) != 0) {
        /* No summary yet (a sweep stopped before its end): the records. */
        snprintf(p, sizeof p, "%s/results.csv", dir);
        gct_results rows;
        if (gct_results_read_csv(p, &rows, err, errlen))
            return -1;
        gct_summarize(&rows, s);
        gct_results_free(&rows);
        return 0;
    }
    gct_csv_table t;
    if (gct_csv_load(p, &t, err, errlen))
        return -1;
    reader r = {&t, err, errlen};
    s->configs = gct_xcalloc(t.nrows, sizeof *s->configs);
    int rc = 0;
    for (size_t i = 0; i < t.nrows && !rc; i++) {
        rc = read_config(&r, i, &s->configs[i]);
        s->n = i + 1; /* freed by gct_summary_free even when half read */
    }
    gct_csv_table_free(&t);
    if (!rc) {
        snprintf(p, sizeof p, "%s/noise.csv", dir);
        if (access(p, F_OK) == 0) {
            rc = gct_csv_load(p, &t, err, errlen);
            if (!rc) {
                r.t = &t;
                s->noise = gct_xcalloc(t.nrows, sizeof *s->noise);
                for (size_t i = 0; i < t.nrows && !rc; i++) {
                    rc = read_noise(&r, i, &s->noise[i]);
                    s->nnoise = i + 1;
                }
                gct_csv_table_free(&t);
            }
        }
    }
    if (rc) {
        gct_summary_free(s);
        return -1;
    }
    index_names(s);
    return 0;
}
