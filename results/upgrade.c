/* upgrade.c — what an upgrade does: two CPython versions compared per
 * workload (see upgrade.h). */
#define _GNU_SOURCE
#include "upgrade.h"

#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "format.h"

/* A deterministic change of a timed metric below this is told as none. */
#define UPGRADE_NEGLIGIBLE 0.01

/* What an upgrade shows, in order; the garbage_* fields join before the
 * work (metrics_of). */
static const gct_cmp_metric timed_metrics[] = {
    {"ops_per_s", "throughput", true, false},
    {"pause_p99_us", "p99 pause", false, false},
    {"pause_max_us", "max pause", false, false},
    {"peak_bytes", "peak memory", false, false},
};
static const gct_cmp_metric work_metrics[] = {
    {"gc_examined", "objects examined", false, true},
    {"gc_traversed", "references traversed", false, true},
};

/* How a sentence names a garbage_* field (the memory pass, record.h). */
static const char *garbage_label(const char *field)
{
    if (!strcmp(field, "garbage_max_objects"))
        return "most objects awaiting collection";
    if (!strcmp(field, "garbage_max_bytes"))
        return "most bytes awaiting collection";
    if (!strcmp(field, "garbage_mean_bytes"))
        return "mean bytes awaiting collection";
    return field;
}

static size_t metrics_of(gct_cmp_metric *out)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof timed_metrics / sizeof timed_metrics[0]; i++)
        out[n++] = timed_metrics[i];
    for (size_t k = 0; k < gct_result_nfields && n + 2 < GCT_CMP_MAX_METRICS; k++) {
        const gct_field *f = &gct_result_fields[k];
        if (f->summarized && !strncmp(f->name, "garbage_", 8) &&
            (f->type == GCT_F_I64 || f->type == GCT_F_F64))
            out[n++] = (gct_cmp_metric){f->name, garbage_label(f->name), false, true};
    }
    for (size_t i = 0; i < sizeof work_metrics / sizeof work_metrics[0]; i++)
        out[n++] = work_metrics[i];
    return n;
}

/* ---- what a side holds ------------------------------------------------------ */

static bool in_side(const gct_upgrade_side *s, const gct_config_summary *c)
{
    if (!c->n || c->aa_of[0])
        return false;
    return !s->filter || fnmatch(s->filter, c->id, 0) == 0;
}

/* The CPython collectors the side ran (successfully, no twins), in the
 * directory's order (gct_versions); returns how many, at most max. */
static size_t cpython_collectors(const gct_upgrade_side *s, const gct_version_entry **out,
                                 size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ver->n && n < max; i++) {
        const gct_version_entry *e = &s->ver->v[i];
        if (!e->cpython)
            continue;
        bool ran = false;
        for (size_t k = 0; k < s->sum->n && !ran; k++)
            ran = !strcmp(s->sum->configs[k].collector, e->collector) &&
                  in_side(s, &s->sum->configs[k]);
        if (ran)
            out[n++] = e;
    }
    return n;
}

/* "gencycle312 (3.12), gencycle313 (3.13)" */
static void describe_collectors(const gct_upgrade_side *s, char *buf, size_t len)
{
    const gct_version_entry *e[64];
    size_t n = cpython_collectors(s, e, 64);
    buf[0] = 0;
    for (size_t i = 0; i < n; i++)
        gct_appendf(buf, len, "%s%s (%s)", i ? ", " : "", e[i]->collector, e[i]->cpython);
}

/* "marksweep, refcount" */
static void all_collectors(const gct_upgrade_side *s, char *buf, size_t len)
{
    buf[0] = 0;
    for (size_t i = 0; i < s->sum->ncollectors; i++)
        gct_appendf(buf, len, "%s%s", i ? ", " : "", s->sum->collectors[i]);
}

bool gct_upgrade_detect(const gct_upgrade_side *a, const gct_upgrade_side *b)
{
    const gct_version_entry *x[2], *y[2];
    if (cpython_collectors(a, x, 2) != 1 || cpython_collectors(b, y, 2) != 1)
        return false;
    return strcmp(x[0]->cpython, y[0]->cpython) != 0;
}

/* ---- keys and configurations -------------------------------------------- */

/* The name=value pairs of params that not every setting of the workload
 * shares: what tells the settings apart. */
static void distinct_params(const char *const *all, size_t n, const char *params, char *buf,
                            size_t len)
{
    buf[0] = 0;
    char *copy = gct_xstrdup(params), *save = NULL;
    for (char *kv = strtok_r(copy, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        bool everywhere = true;
        for (size_t i = 0; i < n && everywhere; i++) {
            size_t l = strlen(kv);
            const char *p = all[i];
            bool here = false;
            while (p && *p && !here) {
                here = !strncmp(p, kv, l) && (p[l] == ';' || p[l] == 0);
                p = strchr(p, ';');
                p = p ? p + 1 : NULL;
            }
            everywhere = here;
        }
        if (!everywhere)
            gct_appendf(buf, len, "%s%s", buf[0] ? ", " : "", kv);
    }
    free(copy);
}

size_t gct_upgrade_keys(const gct_summary *s, gct_upgrade_key *out, size_t max)
{
    size_t n = 0;
    for (size_t w = 0; w < s->nworkloads; w++) {
        const char *wl = s->workloads[w];
        const char *params[64];
        size_t np = 0;
        for (size_t i = 0; i < s->n; i++) {
            const gct_config_summary *c = &s->configs[i];
            if (strcmp(c->workload, wl))
                continue;
            bool seen = false;
            for (size_t k = 0; k < np && !seen; k++)
                seen = !strcmp(params[k], c->params);
            if (!seen && np < 64)
                params[np++] = c->params;
        }
        for (size_t k = 0; k < np && n < max; k++) {
            gct_upgrade_key *key = &out[n++];
            key->workload = wl;
            key->params = params[k];
            if (np == 1) {
                snprintf(key->label, sizeof key->label, "%s", wl);
            } else {
                char d[160];
                distinct_params(params, np, params[k], d, sizeof d);
                snprintf(key->label, sizeof key->label, "%s (%s)", wl, d[0] ? d : params[k]);
            }
        }
    }
    return n;
}

static const gct_config_summary *config_on(const gct_upgrade_side *s, const char *collector,
                                           const char *thresholds, const gct_upgrade_key *key)
{
    for (size_t i = 0; i < s->sum->n; i++) {
        const gct_config_summary *c = &s->sum->configs[i];
        if (!in_side(s, c) || strcmp(c->collector, collector) ||
            strcmp(c->workload, key->workload) || strcmp(c->params, key->params))
            continue;
        if (thresholds && *thresholds) {
            char t[64];
            gct_summary_thresholds(c, t, sizeof t);
            if (!strcmp(t, thresholds))
                return c;
        } else if (c->defaults) {
            return c;
        }
    }
    return NULL;
}

const gct_config_summary *gct_upgrade_config(const gct_summary *s, const char *collector,
                                             const char *thresholds, const gct_upgrade_key *key)
{
    gct_upgrade_side side = {.sum = s};
    return config_on(&side, collector, thresholds, key);
}

size_t gct_upgrade_versions(const gct_upgrade_side *s, gct_upgrade_end *out, size_t max,
                            char *left_out, size_t len)
{
    const gct_version_entry *e[64];
    size_t n = cpython_collectors(s, e, 64), k = 0;
    if (left_out && len)
        left_out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = !strcmp(e[j]->cpython, e[i]->cpython);
        if (dup) {
            if (left_out)
                gct_appendf(left_out, len, "%s%s (also %s)", left_out[0] ? ", " : "",
                            e[i]->collector, e[i]->cpython);
            continue;
        }
        if (k == max)
            break;
        memset(&out[k], 0, sizeof out[k]);
        snprintf(out[k].collector, sizeof out[k].collector, "%s", e[i]->collector);
        snprintf(out[k].version, sizeof out[k].version, "%s", e[i]->cpython);
        k++;
    }
    /* Oldest first (insertion sort: a handful). */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && gct_version_cmp(out[j - 1].version, out[j].version) > 0; j--) {
            gct_upgrade_end t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return k;
}

/* ---- resolving an end ---------------------------------------------------- */

/* A thresholds text is what gct_summary_thresholds writes: digits and '/'. */
static bool thresholds_text(const char *t)
{
    if (!*t)
        return false;
    for (; *t; t++)
        if (!(*t >= '0' && *t <= '9') && *t != '/')
            return false;
    return true;
}

/* "700/10/10, 2000/10/10": the thresholds collector ran on the side (the
 * first 12). */
static void thresholds_ran(const gct_upgrade_side *s, const char *collector, char *buf, size_t len)
{
    char seen[12][64];
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < s->sum->n && n < 12; i++) {
        const gct_config_summary *c = &s->sum->configs[i];
        if (!in_side(s, c) || strcmp(c->collector, collector))
            continue;
        char t[64];
        gct_summary_thresholds(c, t, sizeof t);
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            dup = !strcmp(seen[k], t);
        if (dup)
            continue;
        snprintf(seen[n++], sizeof seen[0], "%s", t);
        gct_appendf(buf, len, "%s%s", buf[0] ? ", " : "", t);
    }
}

/* Resolve spec (NULL: the side's only CPython collector) on side s into
 * end; opt names the option for messages ("--from"). */
static int resolve(const gct_upgrade_side *s, const char *spec, const char *opt,
                   gct_upgrade_end *end, char *err, size_t errlen)
{
    memset(end, 0, sizeof *end);
    const gct_version_entry *cands[64];
    size_t nc = cpython_collectors(s, cands, 64);
    char have[1024];
    describe_collectors(s, have, sizeof have);
    if (!nc) {
        char all[1024];
        all_collectors(s, all, sizeof all);
        if (spec)
            snprintf(err, errlen, "%s '%s': %s (%s) holds no CPython model (its collectors: %s)",
                     opt, spec, s->name, s->dir, all[0] ? all : "none that ran");
        else
            snprintf(err, errlen, "%s (%s) holds no CPython model (its collectors: %s)", s->name,
                     s->dir, all[0] ? all : "none that ran");
        return -1;
    }
    if (!spec) {
        if (nc > 1) {
            snprintf(err, errlen, "%s holds several CPython models (%s): say which with %s", s->name,
                     have, opt);
            return -1;
        }
        snprintf(end->collector, sizeof end->collector, "%s", cands[0]->collector);
        snprintf(end->version, sizeof end->version, "%s", cands[0]->cpython);
        return 0;
    }
    char name[128];
    snprintf(name, sizeof name, "%s", spec);
    char *colon = strchr(name, ':');
    const char *thr = "";
    if (colon) {
        *colon = 0;
        thr = colon + 1;
        if (!thresholds_text(thr)) {
            snprintf(err, errlen, "%s '%s': '%s' is not thresholds as a report writes them "
                                  "(e.g. 700/10/10)",
                     opt, spec, thr);
            return -1;
        }
    }
    /* A collector by name, else a version. */
    const gct_version_entry *hit = NULL;
    for (size_t i = 0; i < s->ver->n && !hit; i++)
        if (!strcmp(s->ver->v[i].collector, name))
            hit = &s->ver->v[i];
    if (hit && !hit->cpython) {
        snprintf(err, errlen, "%s '%s': %s models no CPython version (%s holds %s)", opt, spec,
                 name, s->name, have);
        return -1;
    }
    if (hit) {
        bool ran = false;
        for (size_t i = 0; i < nc && !ran; i++)
            ran = cands[i] == hit;
        if (!ran) {
            snprintf(err, errlen, "%s '%s': %s has no successful run of %s%s%s (it holds %s)",
                     opt, spec, s->name, name, s->filter ? " matching " : "",
                     s->filter ? s->filter : "", have);
            return -1;
        }
    } else {
        /* The version itself wins over those it is a prefix of: "3.14" is
         * 3.14's model even beside a 3.14.5 one. */
        bool exact = false;
        for (size_t i = 0; i < nc && !exact; i++)
            exact = !strcmp(cands[i]->cpython, name);
        size_t nm = 0;
        char which[512] = "";
        for (size_t i = 0; i < nc; i++)
            if (exact ? !strcmp(cands[i]->cpython, name)
                      : gct_version_matches(cands[i]->cpython, name)) {
                if (!hit)
                    hit = cands[i];
                nm++;
                gct_appendf(which, sizeof which, "%s%s (%s)", which[0] ? ", " : "",
                            cands[i]->collector, cands[i]->cpython);
            }
        if (!nm) {
            snprintf(err, errlen, "%s '%s': no collector or CPython version of that name in %s "
                                  "(%s holds %s)",
                     opt, spec, s->name, s->dir, have);
            return -1;
        }
        if (nm > 1) {
            snprintf(err, errlen, "%s '%s' names several collectors in %s (%s): name one", opt,
                     spec, s->name, which);
            return -1;
        }
    }
    snprintf(end->collector, sizeof end->collector, "%s", hit->collector);
    snprintf(end->version, sizeof end->version, "%s", hit->cpython);
    snprintf(end->thresholds, sizeof end->thresholds, "%s", thr);
    if (*thr) {
        bool any = false;
        for (size_t i = 0; i < s->sum->n && !any; i++) {
            const gct_config_summary *c = &s->sum->configs[i];
            char t[64];
            gct_summary_thresholds(c, t, sizeof t);
            any = in_side(s, c) && !strcmp(c->collector, hit->collector) && !strcmp(t, thr);
        }
        if (!any) {
            char ran[1024];
            thresholds_ran(s, hit->collector, ran, sizeof ran);
            snprintf(err, errlen, "%s '%s': %s has no run of %s at %s (it ran %s)", opt, spec,
                     s->name, hit->collector, thr, ran);
            return -1;
        }
    }
    return 0;
}

/* ---- pairing ------------------------------------------------------------- */

static void note(gct_upgrade *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(gct_upgrade *u, const char *fmt, ...)
{
    if (u->nnotes == sizeof u->notes / sizeof u->notes[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->notes[u->nnotes++], sizeof u->notes[0], fmt, ap);
    va_end(ap);
}

static void at_text(const gct_upgrade_end *e, char *buf, size_t len)
{
    if (e->thresholds[0])
        snprintf(buf, len, "at %s", e->thresholds);
    else
        snprintf(buf, len, "at its default thresholds");
}

/* The A/A twin of configuration id in the model (NULL: none that ran). */
static const gct_config_summary *twin_of(const gct_summary *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->configs[i].n && !strcmp(s->configs[i].aa_of, id))
            return &s->configs[i];
    return NULL;
}

/* The steps: per key of side a, the from-configuration of a and the
 * to-configuration of b. */
static void pair_steps(const gct_upgrade_side *a, const gct_upgrade_side *b,
                       const gct_upgrade_opts *o, gct_upgrade *u)
{
    gct_upgrade_key keys[256];
    size_t nk = gct_upgrade_keys(a->sum, keys, 256);
    u->steps = gct_xcalloc(nk, sizeof *u->steps);
    char at_from[80], at_to[80];
    at_text(&u->from, at_from, sizeof at_from);
    at_text(&u->to, at_to, sizeof at_to);
    for (size_t k = 0; k < nk; k++) {
        const gct_config_summary *x = config_on(a, u->from.collector, u->from.thresholds, &keys[k]);
        const gct_config_summary *y = config_on(b, u->to.collector, u->to.thresholds, &keys[k]);
        if (!x && !y)
            continue; /* a workload neither end ran: nothing to say */
        if (!x || !y) {
            note(u, "%s: %s ran no configuration of %s %s", keys[k].label, !x ? a->name : b->name,
                 !x ? u->from.collector : u->to.collector, !x ? at_from : at_to);
            continue;
        }
        if (o->same_sweep && !strcmp(x->id, y->id)) {
            /* One configuration against itself says nothing; its twin is the
             * same configuration measured apart. */
            const gct_config_summary *t = twin_of(b->sum, x->id);
            if (!t) {
                note(u, "%s: %s is both ends and has no A/A twin in this sweep", keys[k].label,
                     x->id);
                continue;
            }
            y = t;
        }
        gct_upgrade_step *st = &u->steps[u->nsteps];
        st->key = keys[k];
        snprintf(st->from_id, sizeof st->from_id, "%s", x->id);
        snprintf(st->to_id, sizeof st->to_id, "%s", y->id);
        st->pair = u->nsteps++;
    }
}

int gct_upgrade_run(const gct_upgrade_side *a, const char *from, const gct_upgrade_side *b,
                    const char *to, const gct_upgrade_opts *o, gct_upgrade *u, char *err,
                    size_t errlen)
{
    memset(u, 0, sizeof *u);
    if (resolve(a, from, "--from", &u->from, err, errlen) ||
        resolve(b, to, "--to", &u->to, err, errlen))
        return -1;
    u->aa = !strcmp(u->from.version, u->to.version);
    u->nmetrics = metrics_of(u->metrics);
    pair_steps(a, b, o, u);
    if (!u->nsteps && u->aa && o->same_sweep && !strcmp(u->from.collector, u->to.collector) &&
        !strcmp(u->from.thresholds, u->to.thresholds)) {
        snprintf(err, errlen,
                 "--from and --to both name %s in one directory: comparing a version with itself "
                 "needs its A/A twin, and this sweep twins no configuration of %s (the A/A "
                 "control twins one reference per workload); compare two sweeps of it instead",
                 u->from.collector, u->from.collector);
        gct_upgrade_free(u);
        return -1;
    }
    if (!u->nsteps) {
        char at_from[80], at_to[80];
        at_text(&u->from, at_from, sizeof at_from);
        at_text(&u->to, at_to, sizeof at_to);
        snprintf(err, errlen, "%s %s (%s) and %s %s (%s) share no workload%s%s", u->from.collector,
                 at_from, a->name, u->to.collector, at_to, b->name, u->nnotes ? ": " : "",
                 u->nnotes ? u->notes[0] : "");
        gct_upgrade_free(u);
        return -1;
    }
    const char **pa = gct_xcalloc(u->nsteps, sizeof *pa), **pb = gct_xcalloc(u->nsteps, sizeof *pb);
    for (size_t i = 0; i < u->nsteps; i++) {
        pa[i] = u->steps[i].from_id;
        pb[i] = u->steps[i].to_id;
    }
    gct_cmp_opts co = {
        .noise_a = a->sum,
        .noise_b = b->sum,
        .same_sweep = o->same_sweep,
        .ignore_drift = o->ignore_drift,
        .allow_different_work = o->allow_different_work,
        .pairs_a = pa,
        .pairs_b = pb,
        .npairs = u->nsteps,
        .metrics = u->metrics,
        .nmetrics = u->nmetrics,
    };
    int rc = gct_compare(a->rows, b->rows, &co, &u->cmp, err, errlen);
    free(pa);
    free(pb);
    if (rc) {
        gct_upgrade_free(u);
        return rc;
    }
    if (!o->same_sweep && !o->ignore_drift) {
        u->drift_unmeasured = true;
        for (size_t i = 0; i < u->cmp.n; i++)
            if (!isnan(u->cmp.rows[i].drift))
                u->drift_unmeasured = false;
    }
    return 0;
}

void gct_upgrade_free(gct_upgrade *u)
{
    gct_cmp_free(&u->cmp);
    free(u->steps);
    u->steps = NULL;
    u->nsteps = 0;
}

/* ---- words ----------------------------------------------------------------- */

/* A ratio as a signed change: 0.4 -> "-60%", 1.031 -> "+3.1%". */
static void change_text(double ratio, char *buf, size_t len)
{
    double pct = (ratio - 1) * 100;
    if (!isfinite(pct))
        snprintf(buf, len, "-");
    else if (fabs(pct) >= 10)
        snprintf(buf, len, "%+.0f%%", pct);
    else if (fabs(pct) >= 1 || pct == 0)
        snprintf(buf, len, "%+.1f%%", pct);
    else
        snprintf(buf, len, "%+.2g%%", pct); /* an exact -0.0037% is not -0.0% */
}

/* A value of a metric for people. */
static void value_text(const gct_cmp_metric *m, double v, char *buf, size_t len)
{
    char t[16];
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (!strcmp(m->field, "ops_per_s")) {
        gct_fmt_count(v, t, sizeof t);
        snprintf(buf, len, "%s ops/s", t);
    } else if (strstr(m->field, "_us"))
        gct_fmt_us_ascii(v, buf, len);
    else if (strstr(m->field, "bytes"))
        gct_fmt_bytes(v, buf, len);
    else
        gct_fmt_count(v, buf, len);
}

static const gct_cmp_row *row_of(const gct_upgrade *u, size_t step, size_t m)
{
    return &u->cmp.rows[u->steps[step].pair * u->cmp.nmetrics + m];
}

static bool called(const gct_cmp_row *r)
{
    static const char *const calls[] = {"faster", "slower", "better", "worse"};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (!strcmp(r->verdict, calls[i]))
            return true;
    return false;
}

/* Compare's verdict in an upgrade's words. */
static void verdict_text(const gct_cmp_row *r, char *buf, size_t len)
{
    static const char nd[] = "no detectable difference";
    bool deterministic = r->metric->exact || r->constant;
    if (deterministic && !strncmp(r->verdict, "B ", 2))
        snprintf(buf, len, "%s%s", r->verdict + 2, r->metric->exact ? "" : " (deterministic)");
    else if (deterministic)
        snprintf(buf, len, "%s%s", r->verdict, r->metric->exact ? "" : " (deterministic)");
    else if (!strncmp(r->verdict, nd, sizeof nd - 1))
        snprintf(buf, len, "no significant change%s", r->verdict + sizeof nd - 1);
    else if (!strcmp(r->verdict, "same"))
        snprintf(buf, len, "no significant change (identical)");
    else
        snprintf(buf, len, "%s", r->verdict);
}

/* "3.13", or "3.13 at 5000/10/10" */
static void end_text(const gct_upgrade_end *e, char *buf, size_t len)
{
    if (e->thresholds[0])
        snprintf(buf, len, "%s at %s", e->version, e->thresholds);
    else
        snprintf(buf, len, "%s", e->version);
}

void gct_upgrade_sentence(const gct_upgrade *u, size_t step, char *buf, size_t len)
{
    char f[112], t[112];
    end_text(&u->from, f, sizeof f);
    end_text(&u->to, t, sizeof t);
    buf[0] = 0;
    if (u->aa)
        gct_appendf(buf, len, "%s against itself (two configurations measured apart)", f);
    else
        gct_appendf(buf, len, "moving from %s to %s", f, t);
    char changes[1024] = "", quiet[512] = "", work[512] = "";
    size_t nquiet = 0, nwork_same = 0, nwork = 0;
    const char *quiet_names[GCT_CMP_MAX_METRICS];
    for (size_t m = 0; m < u->cmp.nmetrics; m++) {
        const gct_cmp_row *r = row_of(u, step, m);
        const char *label = r->metric->label;
        char c[32], lo[32], hi[32];
        if (isnan(r->median_a) && isnan(r->median_b))
            continue; /* not measured on either side (a model's memory pass, say) */
        if (r->metric->exact) {
            nwork++;
            if (r->median_a == r->median_b)
                nwork_same++;
            else if (isfinite(r->ratio)) {
                change_text(r->ratio, c, sizeof c);
                gct_appendf(work, sizeof work, "%s%s %s", work[0] ? ", " : "", label, c);
            }
            continue;
        }
        if (r->constant && r->median_a != r->median_b && isfinite(r->ratio) &&
            fabs(r->ratio - 1) >= UPGRADE_NEGLIGIBLE) {
            /* The same in every process of each side: exact, no interval
             * (a change under 1% is not worth a user's sentence). */
            change_text(r->ratio, c, sizeof c);
            gct_appendf(changes, sizeof changes, "%s%s %s", changes[0] ? ", " : "", label, c);
        } else if (called(r)) {
            change_text(r->ratio, c, sizeof c);
            gct_appendf(changes, sizeof changes, "%s%s %s", changes[0] ? ", " : "", label, c);
            if (isfinite(r->ratio_lo) && r->ratio_lo != r->ratio_hi) {
                change_text(r->ratio_lo, lo, sizeof lo);
                change_text(r->ratio_hi, hi, sizeof hi);
                gct_appendf(changes, sizeof changes, " [%s, %s]", lo, hi);
            }
        } else if (r->median_a == 0 && r->median_b == 0) {
            continue; /* none at either: no pauses, say */
        } else if (r->median_a == 0 && r->median_b > 0) {
            value_text(r->metric, r->median_b, c, sizeof c);
            gct_appendf(changes, sizeof changes, "%s%s from none to %s (not judged)",
                        changes[0] ? ", " : "", label, c);
        } else {
            quiet_names[nquiet++] = label;
        }
    }
    for (size_t i = 0; i < nquiet; i++)
        gct_appendf(quiet, sizeof quiet, "%s%s",
                    i == 0 ? "" : i + 1 == nquiet ? " or " : ", ", quiet_names[i]);
    gct_appendf(buf, len, ": %s", changes);
    if (nquiet)
        gct_appendf(buf, len, "%sno significant change in %s", changes[0] ? "; " : "", quiet);
    if (nwork && nwork_same == nwork)
        gct_appendf(buf, len, "; the same GC work");
    else if (work[0])
        gct_appendf(buf, len, "; GC work: %s (exact)", work);
}

void gct_upgrade_print(FILE *out, const gct_upgrade *u)
{
    char f[112], t[112];
    end_text(&u->from, f, sizeof f);
    end_text(&u->to, t, sizeof t);
    fprintf(out, "Upgrade: CPython %s (%s, %s) -> CPython %s (%s, %s)\n", u->from.version,
            u->from.collector, u->from.thresholds[0] ? u->from.thresholds : "its defaults",
            u->to.version, u->to.collector, u->to.thresholds[0] ? u->to.thresholds : "its defaults");
    if (u->aa)
        fprintf(out, "The same version at both ends: an A/A comparison; any change called here "
                     "would be noise.\n");
    for (size_t s = 0; s < u->nsteps; s++) {
        const gct_upgrade_step *st = &u->steps[s];
        const gct_cmp_row *r0 = row_of(u, s, 0);
        fprintf(out, "\n%s: %s (%zu processes) -> %s (%zu processes)\n", st->key.label, st->from_id,
                r0->na, st->to_id, r0->nb);
        char ratio_head[232];
        snprintf(ratio_head, sizeof ratio_head, "%s/%s", t, f);
        if (u->aa)
            snprintf(ratio_head, sizeof ratio_head, "B/A");
        fprintf(out, "  %-22s %14s %14s %9s %17s %7s  %s\n", "metric", f, u->aa ? "again" : t,
                ratio_head, "95% CI", "floor", "verdict");
        for (size_t m = 0; m < u->cmp.nmetrics; m++) {
            const gct_cmp_row *r = row_of(u, s, m);
            if (r->metric->exact && (m == 0 || !row_of(u, s, m - 1)->metric->exact))
                fprintf(out, "  GC work (deterministic for a seed: compared exactly)\n");
            char va[32], vb[32], ra[16], ci[48], fl[16], v[200];
            value_text(r->metric, r->median_a, va, sizeof va);
            value_text(r->metric, r->median_b, vb, sizeof vb);
            if (isfinite(r->ratio))
                snprintf(ra, sizeof ra, "%.3f", r->ratio);
            else
                snprintf(ra, sizeof ra, "-");
            if (isfinite(r->ratio_lo))
                snprintf(ci, sizeof ci, "[%.3f, %.3f]", r->ratio_lo, r->ratio_hi);
            else
                snprintf(ci, sizeof ci, "-");
            if (r->metric->exact || r->constant || !isfinite(r->floor))
                snprintf(fl, sizeof fl, "-");
            else if (isinf(r->floor))
                snprintf(fl, sizeof fl, "inf");
            else
                gct_fmt_pct(r->floor, fl, sizeof fl);
            verdict_text(r, v, sizeof v);
            fprintf(out, "  %-22s %14s %14s %9s %17s %7s  %s\n", r->metric->label, va, vb, ra, ci,
                    fl, v);
        }
        char sentence[2048];
        gct_upgrade_sentence(u, s, sentence, sizeof sentence);
        fprintf(out, "  => %s\n", sentence);
    }
    if (u->nnotes) {
        fprintf(out, "\nleft out:\n");
        for (size_t i = 0; i < u->nnotes; i++)
            fprintf(out, "  %s\n", u->notes[i]);
    }
    fprintf(out, "\nEach metric: the medians over processes, their ratio with a 95%% bootstrap "
                 "interval, and a verdict only when\nthe difference is significant and beyond "
                 "both what these processes could detect and the noise floor\n(floor: the "
                 "sweeps' A/A spread in throughput, or in the metric itself where larger; between "
                 "two\nsweeps also how far the reference configuration moved). GC work is exact "
                 "for a seed.\n");
    if (u->drift_unmeasured)
        fprintf(out, "\nwarning: A and B are two sweeps with no configuration in common, so how "
                     "far the machine moved between\nthem is in no floor: a difference in time may "
                     "be the machine's. Sweep both versions together\n(-c %s,%s) to compare them "
                     "finely.\n",
                u->from.collector, u->to.collector);
    if (u->cmp.min_reps < 5)
        fprintf(out,
                "\nwarning: as few as %zu process%s on one side: below 5 per side the "
                "Mann-Whitney test can hardly reach p < 0.05 (with 3 vs 3, never); run more "
                "--reps\n",
                u->cmp.min_reps, u->cmp.min_reps == 1 ? "" : "es");
}

static json_t *end_json(const gct_upgrade_end *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "collector", json_string(e->collector));
    json_object_set_new(o, "cpython", json_string(e->version));
    json_object_set_new(o, "thresholds",
                        e->thresholds[0] ? json_string(e->thresholds) : json_string("defaults"));
    return o;
}

int gct_upgrade_write_json(FILE *out, const gct_upgrade *u)
{
    json_t *root = json_object(), *up = json_object(), *wls = json_array(), *notes = json_array();
    json_object_set_new(up, "from", end_json(&u->from));
    json_object_set_new(up, "to", end_json(&u->to));
    json_object_set_new(up, "aa", json_boolean(u->aa));
    json_object_set_new(up, "drift_unmeasured", json_boolean(u->drift_unmeasured));
    for (size_t s = 0; s < u->nsteps; s++) {
        const gct_upgrade_step *st = &u->steps[s];
        json_t *w = json_object();
        char sentence[2048];
        gct_upgrade_sentence(u, s, sentence, sizeof sentence);
        json_object_set_new(w, "workload", json_string(st->key.workload));
        json_object_set_new(w, "label", json_string(st->key.label));
        json_object_set_new(w, "from_config", json_string(st->from_id));
        json_object_set_new(w, "to_config", json_string(st->to_id));
        json_object_set_new(w, "sentence", json_string(sentence));
        json_array_append_new(wls, w);
    }
    for (size_t i = 0; i < u->nnotes; i++)
        json_array_append_new(notes, json_string(u->notes[i]));
    json_object_set_new(up, "workloads", wls);
    json_object_set_new(up, "left_out", notes);
    json_object_set_new(root, "upgrade", up);
    json_t *cmp = gct_cmp_to_json(&u->cmp);
    json_object_update(root, cmp);
    json_decref(cmp);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
    return rc ? -1 : 0;
}
