/*
 * cmd_tune.c — `gctune tune`: the thresholds of one CPython model for the
 * user's workloads, objective and limits, found by successive halving over
 * the preset's grid (docs/tuning.md).
 *
 * Rung 0 measures every candidate once; each later rung gives the survivors
 * twice the processes of the one before, interleaved with the version's
 * default and an A/A twin of it (the noise floor), until one survivor is
 * left or the budget of processes is spent.  Every rung is a result
 * directory of its own (OUT/rungs/K); at the end OUT holds every process of
 * every rung, renumbered, as one ordinary result directory, so that plot,
 * report and compare work on it, and OUT/tune.json says what each rung
 * decided and why.  The decisions are results/tune.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "measure.h"
#include "pauses.h"
#include "resultdir.h"
#include "stats.h"
#include "summary.h"
#include "tune.h"

#define MAX_WORKLOADS 16
#define MAX_RUNGS 16

static void tune_help(FILE *out)
{
    fprintf(out,
            "usage: gctune tune -w LIST [-c MODEL] [--objective O] [--max-p99 X]\n"
            "                   [--max-pause X] [--max-peak X] [--max-gc-fraction X]\n"
            "                   [--min-throughput X] [--budget N|P%%] [--eta N] [--seed S]\n"
            "                   [--out DIR] [--gen0 LIST] [--gen1 LIST] [--gen2 LIST]\n"
            "                   [--preset P] [--ops N] [-j N] [--force] [--quiet] [--no-plots]\n\n"
            "Find the thresholds of a CPython collector model (default gencycle, CPython\n"
            "3.11; gctune list shows gencycle312, gencycle313, gencycle314, gencycle315,\n"
            "cpython) that best serve an objective on each workload, within limits, and\n"
            "print the lines to paste into the program: gc.set_threshold(...).\n\n"
            "The candidates are the preset's grid (default: gen0 100..100000, gen1 and gen2\n"
            "2, 10, 100) or the lists given.  Successive halving: every candidate runs once\n"
            "(one process); the best 1/ETA of them, by the objective, run again with twice\n"
            "the processes, and so on, each rung interleaved with the version's default and\n"
            "an A/A twin of it.  A candidate is dropped only when it breaks a limit or loses\n"
            "to the best beyond the noise floor the twins measure; among the ones time\n"
            "cannot tell apart, one that does exactly the GC work of another (a seed makes\n"
            "the work exact) is the same run, and the least GC work goes on.\n\n"
            "  --objective O      throughput (default), p99, max-pause, memory, gc-fraction\n"
            "  --max-p99 X        p99 pause at most X: 2ms, 800us, or 2x (the default's x 2)\n"
            "  --max-pause X      longest pause at most X (a time or a factor)\n"
            "  --max-peak X       peak memory at most X: 512M, 1.5G, or 1.1x\n"
            "  --max-gc-fraction X  share of the time in the collector: 0.05, 5%%, or 2x\n"
            "  --min-throughput X ops/s at least X, or 0.9x\n"
            "  --budget N|P%%      processes per workload, all rungs together (default 25%%\n"
            "                     of the grid's: candidates x the preset's repetitions)\n"
            "  --eta N            keep 1/N of the candidates at each rung (default 4)\n"
            "  --out DIR          result directory (default out/tune-<date>)\n"
            "  -k freeze=0,1      also try gc.freeze() once the workload's set-up is done\n"
            "  --gen0 0,700,...   a gen0 of 0 is gc.disable() (put a --max-peak on it)\n\n"
            "Exit status: 0 with a recommendation for every workload, 1 when some workload\n"
            "has nothing that meets the limits (the binding limit and by how much are\n"
            "printed) or runs failed, 2 on bad input, 130 when interrupted (what was\n"
            "measured is kept and the best so far printed).\n\n"
            "%s",
            gct_measure_common_help);
}

typedef struct tune_opts {
    gct_tune_goal goal;
    double budget;    /* processes per workload, or a fraction of the grid's */
    bool budget_frac;
    int eta;
} tune_opts;

/* The options only tune has, taken out of argv (the rest are sweep's). */
static int take_tune_options(int *argc, char **argv, tune_opts *t)
{
    static const struct {
        const char *name;
        int metric; /* a limit on it; -1: another option */
    } names[] = {{"--objective", -1},
                 {"--budget", -2},
                 {"--eta", -3},
                 {"--max-p99", GCT_TUNE_P99},
                 {"--max-pause", GCT_TUNE_MAX_PAUSE},
                 {"--max-peak", GCT_TUNE_MEMORY},
                 {"--max-gc-fraction", GCT_TUNE_GC_FRACTION},
                 {"--min-throughput", GCT_TUNE_THROUGHPUT}};
    memset(t, 0, sizeof *t);
    t->goal.objective = GCT_TUNE_THROUGHPUT;
    t->budget = 0.25;
    t->budget_frac = true;
    t->eta = 4;
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i], *value = NULL;
        int which = -100;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            size_t len = strlen(names[k].name);
            if (!strncmp(a, names[k].name, len) && (a[len] == 0 || a[len] == '=')) {
                which = names[k].metric;
                if (a[len] == '=')
                    value = a + len + 1;
                else if (i + 1 < *argc)
                    value = argv[++i];
                else
                    return gct_usage_error("tune", "%s needs a value", names[k].name);
                break;
            }
        }
        if (which == -100) {
            argv[out++] = argv[i];
            continue;
        }
        char err[300];
        if (which == -1) {
            int m = gct_tune_metric_by_name(value);
            if (m < 0)
                return gct_usage_error("tune", "--objective '%s': expected throughput, p99, "
                                               "max-pause, memory or gc-fraction",
                                       value);
            t->goal.objective = (gct_tune_metric)m;
        } else if (which == -2) {
            char *end;
            double v = strtod(value, &end);
            bool pct = end[0] == '%' && !end[1];
            if (end == value || (!pct && *end) || !(v > 0) || (!pct && v != floor(v)) ||
                (pct && v > 100))
                return gct_usage_error("tune", "--budget '%s': expected processes (e.g. 60) or "
                                               "a share of the grid's (e.g. 25%%)",
                                       value);
            t->budget_frac = pct;
            t->budget = pct ? v / 100 : v;
        } else if (which == -3) {
            char *end;
            long v = strtol(value, &end, 10);
            if (end == value || *end || v < 2 || v > 100)
                return gct_usage_error("tune", "--eta '%s': expected a whole number 2..100",
                                       value);
            t->eta = (int)v;
        } else {
            if (t->goal.nlimits == GCT_TUNE_MAX_LIMITS)
                return gct_usage_error("tune", "at most %d limits", GCT_TUNE_MAX_LIMITS);
            if (gct_tune_parse_limit((gct_tune_metric)which, value,
                                     &t->goal.limits[t->goal.nlimits], err, sizeof err))
                return gct_usage_error("tune", "%s", err);
            t->goal.nlimits++;
        }
    }
    argv[out] = NULL;
    *argc = out;
    return 0;
}

/* ---- the rungs ------------------------------------------------------------ */

typedef struct tune_wl {
    const gct_workload *wl;
    size_t *cand;      /* indices into the grid */
    size_t ncand;
    size_t def;        /* the default configuration's index in the grid */
    gct_config twin_cfg; /* its A/A twin */
    bool *alive;       /* per candidate */
    size_t *rank;      /* per candidate: its place in the last rung's ranking */
    size_t nalive;
    int r;             /* processes each in its next rung */
    bool twin;         /* the A/A twin runs in its next rung */
    bool final;        /* its next rung is the confirmation: one survivor against the
                          default, then done */
    long budget, used; /* processes */
    bool done;
} tune_wl;

typedef struct tune_run {
    tune_opts t;
    gct_measure m;
    gct_config *grid;
    size_t ngrid;
    tune_wl w[MAX_WORKLOADS];
    size_t nw;
    char out[4096];
    gct_results rung_rows[MAX_RUNGS]; /* each rung's records as written */
    int rung_reps[MAX_RUNGS];
    int nrungs;
    json_t *log;       /* tune.json */
    double process_s;  /* wall time of a process in the last rung (for the estimate) */
    size_t processes;
} tune_run;

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) && errno != EEXIST)
        return -1;
    return 0;
}

/* The configurations of one rung: per workload its alive candidates, its
 * default and (unless the budget leaves no room) the default's twin, each
 * with the workload's w->r processes. */
static size_t rung_configs(tune_run *T, gct_config *out)
{
    size_t n = 0;
    for (size_t k = 0; k < T->nw; k++) {
        tune_wl *w = &T->w[k];
        if (w->done)
            continue;
        const int r = w->r;
        bool def_in = false;
        for (size_t i = 0; i < w->ncand; i++)
            if (w->alive[i]) {
                out[n] = T->grid[w->cand[i]];
                out[n++].reps = r;
                def_in |= w->cand[i] == w->def;
            }
        if (!def_in) {
            out[n] = T->grid[w->def];
            out[n++].reps = r;
        }
        if (w->twin) {
            out[n] = w->twin_cfg;
            out[n++].reps = r;
        }
    }
    return n;
}

/* Configurations one rung of workload w runs (the alive ones, the default,
 * the twin if twin). */
static long rung_width(const tune_wl *w, bool twin)
{
    bool def_in = false;
    for (size_t i = 0; i < w->ncand; i++)
        def_in |= w->alive[i] && w->cand[i] == w->def;
    return (long)(w->nalive + !def_in + twin);
}

static void copy_result(gct_result *dst, const gct_result *src)
{
    gct_result_init(dst);
    for (size_t i = 0; i < gct_result_nfields; i++) {
        const gct_field *f = &gct_result_fields[i];
        if (f->type == GCT_F_STR)
            gct_result_set_str(dst, f, *(char *const *)((const char *)src + f->offset));
        else
            memcpy((char *)dst + f->offset, (const char *)src + f->offset,
                   f->type == GCT_F_I64   ? sizeof(int64_t)
                   : f->type == GCT_F_F64 ? sizeof(double)
                                          : sizeof(gct_status));
    }
}

/* Records of config id in a set. */
static int64_t count_of(const gct_results *rows, const char *id)
{
    int64_t n = 0;
    for (size_t i = 0; i < rows->n; i++)
        n += !strcmp(rows->rows[i].config_id, id);
    return n;
}

/* Every rung's records as one set: a configuration's repetitions numbered
 * on from its earlier rungs', rounds and processes after the earlier
 * rungs' (merge_pauses numbers the pauses the same way). */
static void merge_rows(const tune_run *T, gct_results *all)
{
    memset(all, 0, sizeof *all);
    int64_t rounds = 0, processes = 0;
    for (int k = 0; k < T->nrungs; k++) {
        const gct_results *rr = &T->rung_rows[k];
        for (size_t i = 0; i < rr->n; i++) {
            gct_result r;
            copy_result(&r, &rr->rows[i]);
            int64_t before = 0; /* its processes in the earlier rungs */
            for (int j = 0; j < k; j++)
                before += count_of(&T->rung_rows[j], r.config_id);
            r.rep += before;
            r.round += rounds;
            r.process += processes;
            gct_results_push(all, &r);
        }
        rounds += T->rung_reps[k];
        processes += (int64_t)rr->n;
    }
}

/* OUT/pauses/<id>.csv from every rung's, repetitions renumbered as
 * merge_rows numbers them. */
static int merge_pauses(const tune_run *T, const gct_results *all, char *err, size_t errlen)
{
    for (size_t i = 0; i < all->n; i++) {
        const char *id = all->rows[i].config_id;
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(all->rows[j].config_id, id) != 0;
        if (!first)
            continue;
        gct_pause_rows merged = {0};
        int64_t offset = 0;
        for (int k = 0; k < T->nrungs; k++) {
            char p[8192];
            snprintf(p, sizeof p, "%s/rungs/%d/pauses/%s.csv", T->out, k, id);
            gct_pause_rows part = {0};
            if (access(p, F_OK) == 0 && gct_pauses_read(p, &part, err, errlen)) {
                gct_pause_rows_free(&merged);
                return -1;
            }
            for (size_t q = 0; q < part.n; q++) {
                gct_pause_row row = part.rows[q];
                row.rep += (int)offset;
                gct_pause_rows_push(&merged, &row);
            }
            gct_pause_rows_free(&part);
            offset += count_of(&T->rung_rows[k], id);
        }
        char p[8192], tmp[8300];
        snprintf(p, sizeof p, "%s/pauses/%s.csv", T->out, id);
        snprintf(tmp, sizeof tmp, "%s.tmp", p);
        FILE *f = fopen(tmp, "w");
        if (!f) {
            snprintf(err, errlen, "%.700s: %s", tmp, strerror(errno));
            gct_pause_rows_free(&merged);
            return -1;
        }
        gct_pauses_write(f, &merged);
        gct_pause_rows_free(&merged);
        if (fclose(f) || rename(tmp, p)) {
            snprintf(err, errlen, "%.700s: %s", p, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static const char *state_name(gct_tune_state s)
{
    switch (s) {
    case GCT_TUNE_ALIVE: return "kept";
    case GCT_TUNE_INFEASIBLE: return "infeasible";
    case GCT_TUNE_LOSES: return "loses";
    case GCT_TUNE_SAME_WORK: return "same-work";
    case GCT_TUNE_HALVED: return "halved";
    }
    return "?";
}

/* After a rung: summarise everything so far and decide, per workload, who
 * goes on.  Returns the total still alive. */
static size_t decide(tune_run *T, const gct_summary *s, json_t *jrung)
{
    size_t total = 0;
    const char *col = T->grid[0].collector->name;
    json_t *jw = json_object();
    for (size_t k = 0; k < T->nw; k++) {
        tune_wl *w = &T->w[k];
        if (w->done)
            continue;
        gct_tune_entry *e = calloc(w->ncand + 1, sizeof *e);
        size_t n = gct_tune_evaluate(s, w->wl->name, col, &T->t.goal, e, w->ncand + 1, NULL);
        bool *alive = calloc(n + 1, sizeof *alive);
        size_t nalive_before = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < w->ncand; c++)
                if (!strcmp(T->grid[w->cand[c]].id, e[i].c->id)) {
                    alive[i] = w->alive[c];
                    nalive_before += w->alive[c];
                }
        /* At least two go on while two are left: the default runs in every
         * rung anyway, and the confirmation needs a setting to test against
         * it. */
        size_t keep = (nalive_before + (size_t)T->t.eta - 1) / (size_t)T->t.eta;
        if (keep < 2)
            keep = nalive_before < 2 ? 1 : 2;
        gct_tune_select(s, w->wl->name, &T->t.goal, e, n, alive, keep);
        json_t *cands = json_array();
        w->nalive = 0;
        for (size_t c = 0; c < w->ncand; c++)
            w->alive[c] = false;
        for (size_t i = 0; i < n; i++) {
            for (size_t c = 0; c < w->ncand; c++)
                if (!strcmp(T->grid[w->cand[c]].id, e[i].c->id))
                    w->rank[c] = e[i].state == GCT_TUNE_ALIVE ? e[i].keep_rank : n + i;
            if (!alive[i])
                continue;
            json_t *jc = json_object();
            json_object_set_new(jc, "config", json_string(e[i].c->id));
            json_object_set_new(jc, "processes", json_integer((json_int_t)e[i].c->n));
            json_object_set_new(jc, "objective",
                                json_real(e[i].value[T->t.goal.objective]));
            json_object_set_new(jc, "feasible", json_boolean(e[i].feasible));
            json_object_set_new(jc, "gc_traversed", json_real(e[i].work));
            json_object_set_new(jc, "decision", json_string(state_name(e[i].state)));
            if (e[i].why[0])
                json_object_set_new(jc, "why", json_string(e[i].why));
            json_array_append_new(cands, jc);
            if (e[i].state != GCT_TUNE_ALIVE)
                continue;
            for (size_t c = 0; c < w->ncand; c++)
                if (!strcmp(T->grid[w->cand[c]].id, e[i].c->id)) {
                    w->alive[c] = true;
                    w->nalive++;
                }
        }
        json_object_set_new(jw, w->wl->name, cands);
        total += w->nalive;
        free(alive);
        free(e);
    }
    json_object_set_new(jrung, "decisions", jw);
    return total;
}

/* ---- the answer ------------------------------------------------------------ */

/* Per workload: the recommendation among the finalists (the ones alive after
 * the last rung, measured most) by the rule the report follows, the line to
 * paste, its effect against the default with its interval, the room to each
 * limit and the command that re-checks it.  Returns how many workloads have
 * nothing feasible. */
static int answer(const tune_run *T, const gct_results *rows, const gct_summary *s, json_t *jout)
{
    int infeasible = 0;
    const char *col = T->grid[0].collector->name;
    const char *ver = gct_cpython_of(col);
    const gct_tune_metric_info *om = &gct_tune_metrics[T->t.goal.objective];
    json_t *jrec = json_object();
    for (size_t k = 0; k < T->nw; k++) {
        const tune_wl *w = &T->w[k];
        const char **ids = calloc(w->ncand + 1, sizeof *ids);
        size_t nids = 0;
        for (size_t c = 0; c < w->ncand; c++)
            if (w->alive[c])
                ids[nids++] = T->grid[w->cand[c]].id;
        gct_recommendation r;
        gct_tune_recommend_among(rows, s, w->wl->name, col, &T->t.goal, GCT_VERDICT_SEED, ids,
                                 nids, &r);
        free(ids);
        printf("\n== %s on %s (CPython %s) ==\n", w->wl->name, col, ver ? ver : "?");
        json_t *jw = json_object();
        if (!r.choice) {
            printf("no recommendation: %s\n", r.text);
            json_object_set_new(jw, "recommendation", json_null());
            json_object_set_new(jw, "why", json_string(r.text));
            json_object_set_new(jrec, w->wl->name, jw);
            infeasible++;
            continue;
        }
        char paste[200], iv[48], thr[48];
        gct_tune_paste_lines(r.choice, paste, sizeof paste);
        gct_summary_interval_name(r.choice, iv, sizeof iv);
        gct_summary_thresholds(r.reference, thr, sizeof thr);
        printf("# gctune tune: %s %s on %s%s\n", om->higher_is_better ? "maximise" : "minimise",
               om->label, w->wl->name, T->t.goal.nlimits ? ", within the limits" : "");
        fputs(paste, stdout);
        printf("# %s\n# measured: %s (%s); the default is %s\n", r.text, r.choice->id, iv, thr);
        if (r.choice != r.reference)
            printf("# re-check: gctune compare '%s:%s' '%s:%s'\n", T->out, r.reference->id,
                   T->out, r.choice->id);
        json_object_set_new(jw, "recommendation", json_string(r.choice->id));
        json_object_set_new(jw, "best_measured", json_string(r.best->id));
        json_object_set_new(jw, "default", json_string(r.reference->id));
        json_object_set_new(jw, "paste", json_string(paste));
        json_object_set_new(jw, "detected", json_boolean(r.detected));
        if (isfinite(r.ratio)) {
            json_object_set_new(jw, "ratio", json_real(r.ratio));
            json_object_set_new(jw, "ratio_lo", json_real(r.lo));
            json_object_set_new(jw, "ratio_hi", json_real(r.hi));
        }
        json_object_set_new(jw, "verdict", json_string(r.text));
        json_object_set_new(jrec, w->wl->name, jw);
    }
    json_object_set_new(jout, "recommendations", jrec);
    return infeasible;
}

/* ---- the command ------------------------------------------------------------ */

static int setup(int argc, char **argv, tune_run *T)
{
    gct_measure *m = &T->m;
    /* Not given (or a preset's list, which names references too): 3.11's. */
    if (!m->spec.collectors[0] || !strncmp(m->spec.collectors_origin, "--preset", 8)) {
        snprintf(m->spec.collectors, sizeof m->spec.collectors, "gencycle");
        snprintf(m->spec.collectors_origin, sizeof m->spec.collectors_origin, "gctune tune");
    }
    if (!strncmp(m->spec.workloads_origin, "--preset", 8))
        m->spec.workloads[0] = 0; /* a preset's workloads are not the user's */
    if (strchr(m->spec.collectors, ','))
        return gct_usage_error("tune", "-c '%s': tune one CPython model at a time",
                               m->spec.collectors);
    const gct_collector *col = gct_collector_find(m->spec.collectors);
    if (col && !col->cpython)
        return gct_usage_error("tune",
                               "-c %s: not a model of CPython; tune chooses CPython's thresholds "
                               "(%s is a reference a sweep can show beside them)",
                               m->spec.collectors, m->spec.collectors);
    if (!m->spec.workloads[0])
        return gct_usage_error("tune", "name the workload(s) to tune: -w trees,cache");
    /* A knob the version never reads (3.14's gen2) is no dimension of the
     * search: its candidates would be the same run, several times. */
    for (uint32_t i = 0; col && i < col->nknobs; i++)
        if (!strcmp(col->knobs[i].unit, GCT_KNOB_UNREAD)) {
            char def[32], err[300];
            snprintf(def, sizeof def, "%" PRId64, col->knobs[i].def);
            if (gct_sweep_spec_set_knob(&m->spec, col->knobs[i].name, def, "gctune tune", err,
                                        sizeof err))
                return gct_usage_error("tune", "%s", err);
        }
    int rc = gct_measure_expand(m);
    if (rc)
        return rc;
    gct_measure_default_out(m, "tune-");
    snprintf(T->out, sizeof T->out, "%s", m->out);
    if ((rc = gct_measure_prepare(argc, argv, m)))
        return rc;
    T->grid = m->cfgs;
    T->ngrid = m->n;
    m->cfgs = NULL;
    for (size_t i = 0; i < T->ngrid; i++) {
        const gct_workload *wl = T->grid[i].workload;
        size_t k = 0;
        while (k < T->nw && T->w[k].wl != wl)
            k++;
        if (k == T->nw) {
            if (T->nw == MAX_WORKLOADS)
                return gct_usage_error("tune", "at most %d workloads", MAX_WORKLOADS);
            T->w[T->nw].wl = wl;
            /* room for the grid and the default, if it has to be added */
            T->w[T->nw].cand = calloc(T->ngrid + 1, sizeof(size_t));
            T->w[T->nw].alive = calloc(T->ngrid + 1, sizeof(bool));
            T->w[T->nw].rank = calloc(T->ngrid + 1, sizeof(size_t));
            T->w[T->nw].def = SIZE_MAX;
            T->nw++;
        }
        tune_wl *w = &T->w[k];
        w->cand[w->ncand] = i;
        w->alive[w->ncand++] = true;
        if (gct_config_is_default(&T->grid[i]))
            w->def = i;
    }
    /* Every answer is measured against the version's default: a grid that
     * leaves it out (3.13's gen0 of 2000 is in no preset) gets it added,
     * with the workload's parameters, operations and seed. */
    for (size_t k = 0; k < T->nw; k++) {
        tune_wl *w = &T->w[k];
        if (w->def != SIZE_MAX)
            continue;
        gct_config *g = realloc(T->grid, (T->ngrid + 1) * sizeof *g);
        if (!g)
            return GCT_EXIT_FAILED;
        T->grid = g;
        gct_config *d = &T->grid[T->ngrid];
        *d = T->grid[w->cand[0]];
        for (uint32_t i = 0; i < d->collector->nknobs; i++)
            d->knobs[i] = d->collector->knobs[i].def;
        gct_config_make_id(d);
        w->def = T->ngrid++;
        w->cand[w->ncand] = w->def;
        w->alive[w->ncand++] = true;
        if (!m->quiet)
            printf("gctune tune: %s's default thresholds are not in the grid of %s; added (%s)\n",
                   d->collector->name, w->wl->name, d->id);
    }
    for (size_t k = 0; k < T->nw; k++) {
        tune_wl *w = &T->w[k];
        w->nalive = w->ncand;
        gct_config_make_twin(&T->grid[w->def], &w->twin_cfg);
        /* Rung 0 runs without the twin: one process against one says little
         * about the noise of a median, and the grid's candidates of the same
         * GC work are pairs enough to judge single processes by. */
        w->r = 1;
        w->twin = false;
        long grid = (long)w->ncand * m->spec.reps;
        w->budget = T->t.budget_frac ? (long)ceil(T->t.budget * (double)grid) : (long)T->t.budget;
        long first = rung_width(w, false);
        if (w->budget < first)
            return gct_usage_error("tune",
                                   "--budget: %ld processes for %s, fewer than the first rung "
                                   "needs (%ld: each of %zu candidates once); raise --budget or "
                                   "narrow the grid",
                                   w->budget, w->wl->name, first, w->ncand);
    }
    return 0;
}

/* A confirmation gives its survivor and the default at least this many
 * processes more: with the ones before, 5 a side at least, where a
 * Mann-Whitney test can reach p < 0.05 (it cannot with 3 against 3). */
#define CONFIRM_MORE 4

/* Drop the worst-ranked alive candidate of w; the default first, since it
 * runs in every rung anyway: what is left to confirm is the best setting
 * that is not the default. */
static void drop_worst(tune_wl *w)
{
    size_t worst = SIZE_MAX;
    for (size_t c = 0; c < w->ncand; c++)
        if (w->alive[c] && w->cand[c] == w->def)
            worst = c;
    if (worst == SIZE_MAX)
        for (size_t c = 0; c < w->ncand; c++)
            if (w->alive[c] && (worst == SIZE_MAX || w->rank[c] > w->rank[worst]))
                worst = c;
    w->alive[worst] = false;
    w->nalive--;
}

/* Plan the next rung of workload w after a rung of w->r processes: a
 * halving rung of twice the processes while the budget leaves room for one
 * after it that confirms the best against the default; then that
 * confirmation, with what is left; then w is done (false). */
static bool plan_next(tune_wl *w)
{
    long left = w->budget - w->used;
    if (w->final || w->nalive == 0)
        return false;
    const long confirm = 2 * CONFIRM_MORE;
    const int r_next = w->r * 2;
    while (w->nalive > 1 && rung_width(w, true) * r_next + confirm > left)
        drop_worst(w); /* the worst ranked first */
    if (w->nalive > 1) {
        w->r = r_next;
        w->twin = true;
        return true;
    }
    /* One survivor: confirm it against the default, with the twin if the
     * budget allows it CONFIRM_MORE processes too. */
    size_t c = 0;
    while (c < w->ncand && !w->alive[c])
        c++;
    if (c == w->ncand || w->cand[c] == w->def)
        return false; /* the default itself: nothing to confirm */
    w->final = true;
    w->twin = left / rung_width(w, true) >= CONFIRM_MORE;
    w->r = (int)(left / rung_width(w, w->twin));
    return w->r >= 1;
}

/* Everything a tune holds, on every way out. */
static void tune_run_free(tune_run *T)
{
    for (int k = 0; k < T->nrungs; k++)
        gct_results_free(&T->rung_rows[k]);
    for (size_t k = 0; k < T->nw; k++) {
        free(T->w[k].cand);
        free(T->w[k].alive);
        free(T->w[k].rank);
    }
    json_decref(T->log);
    free(T->grid);
    gct_measure_free(&T->m);
    free(T);
}

int gct_cmd_tune(int argc, char **argv)
{
    tune_run *T = calloc(1, sizeof *T);
    int rc = take_tune_options(&argc, argv, &T->t);
    if (rc) {
        free(T);
        return rc;
    }
    rc = gct_measure_parse(argc, argv, true, tune_help, &T->m);
    if (rc < 0) {
        free(T);
        return GCT_EXIT_OK;
    }
    if (rc || (rc = setup(argc, argv, T))) {
        tune_run_free(T);
        return rc;
    }
    gct_measure *m = &T->m;
    char path[4200], err[800];
    if (gct_rdir_prepare(T->out, m->force, err, sizeof err)) {
        fprintf(stderr, "gctune tune: %s\n", err);
        tune_run_free(T);
        return GCT_EXIT_FAILED;
    }
    snprintf(path, sizeof path, "%s/rungs", T->out);
    make_dir(path);
    T->log = json_object();
    json_t *jrungs = json_array();
    const uint64_t seed = m->spec.seed;
    gct_config *cfgs = calloc(T->ngrid + 3 * MAX_WORKLOADS, sizeof *cfgs);
    int status = GCT_EXIT_OK;
    bool interrupted = false;
    gct_summary s = {0};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!m->quiet) {
        printf("gctune tune: %s on %zu workload%s, %s", T->grid[0].collector->name, T->nw,
               T->nw == 1 ? "" : "s", gct_tune_metrics[T->t.goal.objective].name);
        for (size_t l = 0; l < T->t.goal.nlimits; l++) {
            const gct_tune_metric_info *mi = &gct_tune_metrics[T->t.goal.limits[l].metric];
            printf("%s %s %s %s", l ? "," : " with", mi->name, mi->higher_is_better ? ">=" : "<=",
                   T->t.goal.limits[l].text);
        }
        printf(", into %s\n", T->out);
        for (size_t k = 0; k < T->nw; k++)
            printf("  %s: %zu candidates; budget %ld processes (the grid's: %ld)\n",
                   T->w[k].wl->name, T->w[k].ncand, T->w[k].budget,
                   (long)T->w[k].ncand * m->spec.reps);
    }
    for (int rung = 0; rung < MAX_RUNGS; rung++) {
        size_t n = rung_configs(T, cfgs);
        if (!n)
            break;
        size_t procs = 0;
        for (size_t i = 0; i < n; i++)
            procs += (size_t)cfgs[i].reps;
        if (!m->quiet) {
            printf("\nrung %d: %zu configurations, %zu processes", rung, n, procs);
            const char *sep = " (";
            for (size_t k = 0; k < T->nw; k++)
                if (!T->w[k].done) {
                    printf("%s%s %zu x %d%s", sep, T->w[k].wl->name,
                           rung_width(&T->w[k], T->w[k].twin), T->w[k].r,
                           T->w[k].final ? ", confirming" : "");
                    sep = "; ";
                }
            printf(")");
            long left = 0;
            for (size_t k = 0; k < T->nw; k++)
                left += T->w[k].done ? 0 : T->w[k].budget - T->w[k].used;
            if (isfinite(T->process_s) && T->process_s > 0)
                printf(", about %.0f s (the whole budget left: at most %.0f s)",
                       T->process_s * (double)procs / m->spec.jobs,
                       T->process_s * (double)left / m->spec.jobs);
            printf("\n");
        }
        snprintf(path, sizeof path, "%s/rungs/%d", T->out, rung);
        m->cfgs = cfgs;
        m->n = n;
        m->out = path;
        m->spec.seed = seed + (uint64_t)rung; /* the round order; a configuration's own
                                                 seed (its work) stays */
        gct_result_session_result res;
        struct timespec r0, r1;
        clock_gettime(CLOCK_MONOTONIC, &r0);
        int st = gct_measure_execute(m, &res);
        clock_gettime(CLOCK_MONOTONIC, &r1);
        if (res.processes_run) /* a process's wall time, start-up and all, per job slot */
            T->process_s = ((double)(r1.tv_sec - r0.tv_sec) +
                            (double)(r1.tv_nsec - r0.tv_nsec) / 1e9) *
                           m->spec.jobs / (double)res.processes_run;
        m->cfgs = NULL;
        int rmax = 0;
        for (size_t k = 0; k < T->nw; k++)
            if (!T->w[k].done && T->w[k].r > rmax)
                rmax = T->w[k].r;
        T->rung_reps[rung] = rmax; /* the rounds this rung ran */
        char csv[4300];
        snprintf(csv, sizeof csv, "%s/results.csv", path);
        if (gct_results_read_csv(csv, &T->rung_rows[rung], err, sizeof err)) {
            fprintf(stderr, "gctune tune: %s\n", err);
            gct_result_session_result_free(&res);
            status = GCT_EXIT_FAILED;
            break;
        }
        /* The budget pays for the processes that started (failed ones too). */
        for (size_t i = 0; i < T->rung_rows[rung].n; i++) {
            const gct_result *row = &T->rung_rows[rung].rows[i];
            for (size_t k = 0; k < T->nw; k++)
                if (!strcmp(row->workload, T->w[k].wl->name) && row->pid)
                    T->w[k].used++;
        }
        T->nrungs = rung + 1;
        if (st == GCT_EXIT_FAILED)
            status = GCT_EXIT_FAILED;
        interrupted = res.interrupted;
        gct_result_session_result_free(&res);
        gct_results all;
        merge_rows(T, &all);
        gct_summary_free(&s);
        gct_summarize(&all, &s);
        json_t *jr = json_object();
        json_object_set_new(jr, "rung", json_integer(rung));
        json_t *each = json_object();
        for (size_t k = 0; k < T->nw; k++)
            if (!T->w[k].done)
                json_object_set_new(each, T->w[k].wl->name, json_integer(T->w[k].r));
        json_object_set_new(jr, "processes_each", each);
        json_object_set_new(jr, "dir", json_string(path));
        size_t left = decide(T, &s, jr);
        json_array_append_new(jrungs, jr);
        gct_results_free(&all);
        if (interrupted)
            break;
        /* Next: twice the processes for the survivors, then the
         * confirmation of the best against the default (plan_next). */
        size_t going = 0;
        for (size_t k = 0; k < T->nw; k++) {
            tune_wl *w = &T->w[k];
            if (w->done)
                continue;
            if (!plan_next(w))
                w->done = true;
            else
                going++;
        }
        if (!m->quiet)
            printf("rung %d: %zu candidate%s left\n", rung, left, left == 1 ? "" : "s");
        if (!going)
            break;
    }
    m->out = T->out;
    json_object_set_new(T->log, "rungs", jrungs);

    /* OUT: every process of every rung, one result directory. */
    gct_results all;
    merge_rows(T, &all);
    gct_summary_free(&s);
    gct_summarize(&all, &s);
    if (gct_rdir_write_results(T->out, &all, err, sizeof err) ||
        gct_summary_write(T->out, &s, err, sizeof err) ||
        merge_pauses(T, &all, err, sizeof err)) {
        fprintf(stderr, "gctune tune: %s\n", err);
        status = GCT_EXIT_FAILED;
    }
    long used = 0, budget = 0;
    for (size_t k = 0; k < T->nw; k++) {
        used += T->w[k].used;
        budget += T->w[k].budget;
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int infeasible = answer(T, &all, &s, T->log);
    json_object_set_new(T->log, "processes", json_integer(used));
    json_object_set_new(T->log, "budget", json_integer(budget));
    json_object_set_new(T->log, "seconds", json_real(secs));
    json_object_set_new(T->log, "interrupted", json_boolean(interrupted));
    json_object_set_new(m->meta, "tune", json_incref(T->log));
    if (gct_rdir_write_json(T->out, "tune.json", T->log, err, sizeof err) ||
        gct_rdir_write_json(T->out, "meta.json", m->meta, err, sizeof err)) {
        fprintf(stderr, "gctune tune: %s\n", err);
        status = GCT_EXIT_FAILED;
    }
    printf("\n%ld processes of a budget of %ld, %.0f s; every process in %s (rungs in "
           "%s/rungs)\n",
           used, budget, secs, T->out, T->out);
    if (all.n && !interrupted)
        gct_measure_figures_and_report(m, T->out);
    if (interrupted) {
        fflush(stdout); /* the answer first, then why it is partial */
        fprintf(stderr, "gctune tune: interrupted; the processes that finished are kept and the "
                        "best so far is printed above\n");
    }
    gct_results_free(&all);
    gct_summary_free(&s);
    free(cfgs);
    tune_run_free(T);
    if (interrupted)
        return GCT_EXIT_INTERRUPTED;
    if (status)
        return status;
    return infeasible ? GCT_EXIT_FAILED : GCT_EXIT_OK;
}
