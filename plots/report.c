/* report.c — report.md and report.html from one description (see report.h). */
#define _GNU_SOURCE
#include "report.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "files.h"
#include "format.h"
#include "headline.h"
#include "record.h"
#include "stats.h"
#include "summary.h"
#include "transfer.h"
#include "tune.h"
#include "upgrade.h"
#include "versions.h"

/* ---- a document written as Markdown and HTML at once ---------------------- */

typedef struct doc {
    FILE *md, *html;
    const char *dir;
    size_t cols; /* of the open table */
} doc;

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Markdown table cells must not contain a bare '|'. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void heading(doc *d, int level, const char *text)
{
    fprintf(d->md, "\n%.*s %s\n\n", level, "######", text);
    fprintf(d->html, "<h%d>", level);
    html_text(d->html, text);
    fprintf(d->html, "</h%d>\n", level);
}

/* A block of text: in Markdown between md_before and md_after, in HTML
 * inside <tag>. */
static void text_block(doc *d, const char *md_before, const char *md_after, const char *tag,
                       const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static void text_block(doc *d, const char *md_before, const char *md_after, const char *tag,
                       const char *fmt, va_list ap)
{
    char buf[4096];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fprintf(d->md, "%s%s%s", md_before, buf, md_after);
    fprintf(d->html, "<%s>", tag);
    html_text(d->html, buf);
    fprintf(d->html, "</%s>\n", tag);
}

static void para(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void para(doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_block(d, "", "\n\n", "p", fmt, ap);
    va_end(ap);
}

static void bullet(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bullet(doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_block(d, "- ", "\n", "li", fmt, ap);
    va_end(ap);
}

static void list_begin(doc *d) { fprintf(d->html, "<ul>\n"); }
static void list_end(doc *d)
{
    fprintf(d->md, "\n");
    fprintf(d->html, "</ul>\n");
}

static void table_begin(doc *d, size_t n, const char *const *headers)
{
    d->cols = n;
    fprintf(d->md, "|");
    for (size_t i = 0; i < n; i++) {
        fputc(' ', d->md);
        md_cell(d->md, headers[i]);
        fputs(" |", d->md);
    }
    fprintf(d->md, "\n|");
    for (size_t i = 0; i < n; i++)
        fputs("---|", d->md);
    fprintf(d->md, "\n");
    fprintf(d->html, "<table><thead><tr>");
    for (size_t i = 0; i < n; i++) {
        fprintf(d->html, "<th>");
        html_text(d->html, headers[i]);
        fprintf(d->html, "</th>");
    }
    fprintf(d->html, "</tr></thead><tbody>\n");
}

static void table_row(doc *d, const char *const *cells)
{
    fprintf(d->md, "|");
    fprintf(d->html, "<tr>");
    for (size_t i = 0; i < d->cols; i++) {
        fputc(' ', d->md);
        md_cell(d->md, cells[i] ? cells[i] : "");
        fputs(" |", d->md);
        fprintf(d->html, "<td>");
        html_text(d->html, cells[i] ? cells[i] : "");
        fprintf(d->html, "</td>");
    }
    fprintf(d->md, "\n");
    fprintf(d->html, "</tr>\n");
}

static void table_end(doc *d)
{
    fprintf(d->md, "\n");
    fprintf(d->html, "</tbody></table>\n");
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The PNG inline as base64, so the HTML needs no other file. */
static bool embed_png(FILE *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char in[3 * 1024];
    size_t n;
    while ((n = fread(in, 1, sizeof in, f)) > 0) {
        for (size_t i = 0; i < n; i += 3) {
            unsigned v = (unsigned)in[i] << 16;
            if (i + 1 < n)
                v |= (unsigned)in[i + 1] << 8;
            if (i + 2 < n)
                v |= in[i + 2];
            fputc(b64[v >> 18 & 63], out);
            fputc(b64[v >> 12 & 63], out);
            fputc(i + 1 < n ? b64[v >> 6 & 63] : '=', out);
            fputc(i + 2 < n ? b64[v & 63] : '=', out);
        }
    }
    fclose(f);
    return true;
}

static void figure(doc *d, const gct_figure *fig)
{
    char png[4400];
    snprintf(png, sizeof png, "%s/plots/%s.png", d->dir, fig->stem);
    fprintf(d->md, "![%s](plots/%s.png)\n\n*%s* ([SVG](plots/%s.svg))\n\n", fig->title, fig->stem,
            fig->caption, fig->stem);
    fprintf(d->html, "<figure><img alt=\"");
    html_text(d->html, fig->title);
    fprintf(d->html, "\" src=\"data:image/png;base64,");
    embed_png(d->html, png);
    fprintf(d->html, "\"><figcaption>");
    html_text(d->html, fig->caption);
    fprintf(d->html, "</figcaption></figure>\n");
}

/* ---- content ------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *path)
{
    /* "a.b.c" */
    char key[128];
    const char *p = path;
    json_t *cur = o;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        snprintf(key, sizeof key, "%.*s", (int)len, p);
        cur = json_object_get(cur, key);
        p = dot ? dot + 1 : p + len;
    }
    return json_is_string(cur) ? json_string_value(cur) : NULL;
}

/* "12.3k [12.0k, 12.6k]" from 5 processes on (a 95% CI), "12.3k (range
 * 12.0k-12.6k of 3)" below, "12.3k (1 run)" for one. */
static void fmt_ops(const gct_config_summary *c, char *buf, size_t len)
{
    char v[32], lo[32], hi[32];
    gct_fmt_count(c->ops_s, v, sizeof v);
    gct_fmt_count(c->ops_lo, lo, sizeof lo);
    gct_fmt_count(c->ops_hi, hi, sizeof hi);
    if (c->ci)
        snprintf(buf, len, "%s [%s, %s]", v, lo, hi);
    else if (c->n > 1)
        snprintf(buf, len, "%s (range %s-%s of %zu)", v, lo, hi, c->n);
    else
        snprintf(buf, len, "%s (1 run)", v);
    if (c->too_short && strlen(buf) + 16 < len)
        strcat(buf, " (too short!)");
}

static void fmt_mib(double bytes, char *buf, size_t len)
{
    if (!isfinite(bytes))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.1f MiB", bytes / (1 << 20));
}

static void config_row(doc *d, const char *objective, const gct_config_summary *c)
{
    char ops[128], p99[32], peak[32], gc[32];
    fmt_ops(c, ops, sizeof ops);
    gct_fmt_us(c->p99 > 0 ? c->p99 : 0, p99, sizeof p99);
    if (!(c->p99 > 0))
        snprintf(p99, sizeof p99, "no pauses");
    fmt_mib(c->peak, peak, sizeof peak);
    snprintf(gc, sizeof gc, "%.1f%%", 100 * c->gc_fraction);
    const char *cells[] = {objective, c->id, ops, gc, p99, peak};
    table_row(d, cells);
}

/* jstr, or dflt where the value is missing (or, with empty_too, empty). */
static const char *jstr_or(json_t *o, const char *path, const char *dflt, bool empty_too)
{
    const char *v = jstr(o, path);
    return v && (*v || !empty_too) ? v : dflt;
}

/* A row of a two-column table: a name and a value from a format. */
static void kv_row(doc *d, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void kv_row(doc *d, const char *key, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *row[] = {key, buf};
    table_row(d, row);
}

static long long jint(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* hwloc's view of the machine (meta.json's machine). */
static void machine_rows(doc *d, json_t *m)
{
    kv_row(d, "CPU", "%s", jstr_or(m, "cpu_model", "?", false));
    kv_row(d, "cores", "%lld cores, %lld hardware threads, %lld package(s), %lld NUMA node(s)",
           jint(m, "cores"), jint(m, "pus"), jint(m, "packages"), jint(m, "numa_nodes"));
    char buf[512] = "";
    size_t k;
    json_t *cache;
    json_array_foreach(json_object_get(m, "caches"), k, cache)
    {
        gct_appendf(buf, sizeof buf, "%s%s %lld KiB x %lld", buf[0] ? ", " : "",
                    jstr(cache, "level"), jint(cache, "bytes") / 1024, jint(cache, "count"));
    }
    kv_row(d, "caches", "%s", buf);
    kv_row(d, "hypervisor", "%s", jstr_or(m, "hypervisor", "none detected", true));
    kv_row(d, "frequency governor", "%s", jstr_or(m, "cpufreq_governor", "not exposed", true));
}

/* The load averages before and after the sweep (meta.json's load). */
static void load_row(doc *d, json_t *load)
{
    json_t *b = json_object_get(load, "before"), *a = json_object_get(load, "after");
    char after[64] = "not recorded (the sweep did not finish)";
    if (json_array_size(a) == 3)
        snprintf(after, sizeof after, "%.2f, %.2f, %.2f", json_number_value(json_array_get(a, 0)),
                 json_number_value(json_array_get(a, 1)), json_number_value(json_array_get(a, 2)));
    kv_row(d, "load (1, 5, 15 min)", "before: %.2f, %.2f, %.2f; after: %s",
           json_number_value(json_array_get(b, 0)), json_number_value(json_array_get(b, 1)),
           json_number_value(json_array_get(b, 2)), after);
}

static void build_rows(doc *d, json_t *meta)
{
    json_t *b = json_object_get(meta, "build");
    kv_row(d, "gctune", "%s (git %s)", jstr_or(b, "gctune_version", "?", false),
           jstr_or(b, "git_revision", "?", false));
    kv_row(d, "compiler", "%s, %s build, -O%s, sanitizers %s", jstr_or(b, "compiler", "?", false),
           jstr_or(b, "buildtype", "?", false), jstr_or(b, "optimization", "?", false),
           jstr_or(b, "sanitizers", "?", false));
    kv_row(d, "date", "%s", jstr_or(meta, "date", "?", false));
}

static void machine_section(doc *d, json_t *meta)
{
    heading(d, 2, "Machine and build");
    json_t *m = json_object_get(meta, "machine");
    static const char *const h[] = {"", "this run"};
    table_begin(d, 2, h);
    if (m && json_is_object(m))
        machine_rows(d, m);
    json_t *load = json_object_get(meta, "load");
    if (json_is_object(load))
        load_row(d, load);
    build_rows(d, meta);
    table_end(d);
    json_t *w = m ? json_object_get(m, "warnings") : NULL;
    if (json_array_size(w)) {
        para(d, "Warnings about this machine for measurements:");
        list_begin(d);
        size_t k;
        json_t *x;
        json_array_foreach(w, k, x)
        {
            bullet(d, "%s", json_string_value(x));
        }
        list_end(d);
    }
}

/* How the sweep ran: repetitions, rounds, warm-up, seed, pinning, preset,
 * operations (meta.json's sweep). */
static void sweep_bullets(doc *d, json_t *sw)
{
    bullet(d, "%lld repetitions of each, every one a process of its own, in %lld rounds "
              "(each round every configuration once, in an order shuffled from the seed); "
              "%.0f%% warm-up operations in each process before the timed ones; seed %lld%s",
           jint(sw, "reps"), jint(sw, "reps"), 100 * json_number_value(json_object_get(sw, "warmup")),
           jint(sw, "seed"),
           json_is_true(json_object_get(sw, "pinned")) ? "; every process pinned to a core"
                                                       : "; one process at a time");
    const char *preset = jstr(sw, "preset");
    if (preset && *preset)
        bullet(d, "preset: %s", preset);
    const char *key;
    json_t *v;
    char buf[512] = "";
    json_object_foreach(json_object_get(sw, "ops"), key, v)
    {
        gct_appendf(buf, sizeof buf, "%s%s %lld", buf[0] ? ", " : "", key,
                    (long long)json_integer_value(v));
    }
    if (buf[0])
        bullet(d, "operations per repetition: %s", buf);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The values gen0, gen1 or gen2 (g = 0, 1, 2) took in collector's
 * configurations, sorted (at most 64; a collector without it has none). */
static size_t knob_values(const gct_summary *s, const char *collector, int g, int64_t *vals)
{
    size_t nv = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gct_config_summary *a = &s->configs[i];
        if (strcmp(a->collector, collector))
            continue;
        int64_t v = g == 0 ? a->gen0 : g == 1 ? a->gen1 : a->gen2;
        bool seen = v < 0;
        for (size_t j = 0; j < nv && !seen; j++)
            seen = vals[j] == v;
        if (!seen && nv < 64)
            vals[nv++] = v;
    }
    qsort(vals, nv, sizeof *vals, cmp_i64);
    return nv;
}

/* "gen0 in {100, 700}; gen1 in {10}" for one collector. */
static void knobs_text(const gct_summary *s, const char *collector, char *buf, size_t len)
{
    static const char *const gens[] = {"gen0", "gen1", "gen2"};
    for (int g = 0; g < 3; g++) {
        int64_t vals[64];
        size_t nv = knob_values(s, collector, g, vals);
        if (!nv)
            continue;
        gct_appendf(buf, len, "%s%s in {", buf[0] ? "; " : "", gens[g]);
        for (size_t j = 0; j < nv; j++)
            gct_appendf(buf, len, "%s%" PRId64, j ? ", " : "", vals[j]);
        gct_appendf(buf, len, "}");
    }
}

static void swept_section(doc *d, json_t *meta, const gct_results *rows, const gct_summary *s)
{
    heading(d, 2, "What was swept");
    char cmd[2048] = "";
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(meta, "command_line"), k, x)
    {
        gct_appendf(cmd, sizeof cmd, "%s%s", k ? " " : "", json_string_value(x));
    }
    size_t failed = 0, twins = 0, nshort = 0;
    for (size_t i = 0; i < s->n; i++) {
        failed += s->configs[i].n == 0;
        twins += s->configs[i].aa_of[0] != 0;
        nshort += s->configs[i].too_short;
    }
    list_begin(d);
    bullet(d, "command: %s", cmd);
    bullet(d, "%zu configurations (%zu of them A/A controls; %zu with no successful process), "
              "%zu processes",
           s->n, twins, failed, rows->n);
    json_t *sw = json_object_get(meta, "sweep");
    if (sw)
        sweep_bullets(d, sw);
    /* The values each collector's knobs took. */
    for (size_t c = 0; c < s->ncollectors; c++) {
        char buf[1024] = "";
        knobs_text(s, s->collectors[c], buf, sizeof buf);
        bullet(d, "%s: %s", s->collectors[c], buf[0] ? buf : "no thresholds (runs once)");
    }
    char wls[512] = "";
    for (size_t w = 0; w < s->nworkloads; w++)
        gct_appendf(wls, sizeof wls, "%s%s", w ? ", " : "", s->workloads[w]);
    bullet(d, "workloads: %s (parameters of each run in results.csv)", wls);
    if (nshort)
        bullet(d, "%zu configuration%s time%s less than %.0f ms of work per process: too short "
                  "to time reliably (marked \"too short!\"); give them more operations",
               nshort, nshort == 1 ? "" : "s", nshort == 1 ? "s" : "", GCT_SHORT_RUN_S * 1e3);
    list_end(d);
}

/* What was and was not finished, before anything else. */
static void status_section(doc *d, json_t *meta, const gct_summary *s)
{
    json_t *out = json_object_get(meta, "outcome");
    size_t failed = 0;
    for (size_t i = 0; i < s->n; i++)
        failed += s->configs[i].failed > 0;
    if (!json_is_object(out)) {
        para(d, "WARNING: this sweep did not finish: meta.json has no outcome, so it was killed "
                "(or is still running). What follows covers only the processes that finished; "
                "configurations may have fewer processes than asked for.");
    } else if (json_is_true(json_object_get(out, "interrupted"))) {
        para(d, "WARNING: this sweep was interrupted after %lld of %lld processes. What follows "
                "covers only the processes that finished.",
             (long long)json_integer_value(json_object_get(out, "processes_run")),
             (long long)json_integer_value(json_object_get(out, "processes")));
    }
    if (failed)
        para(d, "WARNING: %zu configuration%s had failed processes (see Failed configurations "
                "at the end); %s left out of every verdict where no process succeeded.",
             failed, failed == 1 ? "" : "s", failed == 1 ? "it is" : "they are");
}

/* The headline: per workload, tuned against CPython's default, said only
 * as strongly as the measurements allow. */
static void verdict_section(doc *d, const gct_results *rows, const gct_summary *s)
{
    heading(d, 2, "Verdicts");
    para(d, "Per workload, the fastest thresholds of the CPython model against CPython's "
            "default. Every process is one sample; a difference is called only when it is "
            "significant (Mann-Whitney p < 0.05, a 95%% interval clear of 1) and larger than "
            "both the smallest difference these processes could detect and the A/A noise "
            "floor measured in this sweep. The GC work (objects examined, references "
            "traversed) is exact for a seed, and says whether a difference in time comes "
            "from the collector.");
    gct_headline heads[64];
    size_t n = gct_headlines(rows, s, heads, 64);
    list_begin(d);
    for (size_t i = 0; i < n; i++)
        bullet(d, "%s: %s.", heads[i].workload, heads[i].text);
    list_end(d);
    heading(d, 3, "Noise floor (A/A controls)");
    if (!s->nnoise) {
        para(d, "No A/A controls in this sweep (--no-aa): the verdicts rest on the variance "
                "of the processes alone.");
        return;
    }
    para(d, "Per workload, its reference configuration ran twice, as two configurations with "
            "their own processes. They are identical, so any difference between them is "
            "noise: the spread is the smallest difference this sweep can claim.");
    static const char *const h[] = {"workload", "configuration", "processes", "twin / original",
                                    "interval", "detectable", "noise floor"};
    table_begin(d, 7, h);
    for (size_t i = 0; i < s->nnoise; i++) {
        const gct_noise *z = &s->noise[i];
        char runs[32], ratio[32], iv[48], det[32], spread[32];
        snprintf(runs, sizeof runs, "%zu + %zu", z->n_config, z->n_twin);
        snprintf(ratio, sizeof ratio, "%.3f", z->ratio);
        snprintf(iv, sizeof iv, "[%.3f, %.3f]", z->lo, z->hi);
        if (isinf(z->detectable))
            snprintf(det, sizeof det, "none (too few)");
        else
            gct_fmt_pct(z->detectable, det, sizeof det);
        gct_fmt_pct(gct_summary_noise_floor(s, z->workload), spread, sizeof spread);
        const char *cells[] = {z->workload, z->config, runs, ratio, iv, det, spread};
        table_row(d, cells);
    }
    table_end(d);
}

/* The upgrade figure, if it was drawn. */
static const gct_figure *upgrade_figure(const gct_plot_result *figs)
{
    for (size_t i = 0; figs && i < figs->n; i++)
        if (!strcmp(figs->figs[i].stem, "upgrade"))
            return &figs->figs[i];
    return NULL;
}

/* One bullet per workload and consecutive pair of versions (oldest first):
 * the sentence of results/upgrade.c, from the comparison every verdict
 * comes from; the workloads left out after them. */
static void upgrade_pairs(doc *d, const gct_upgrade_side *side, const gct_upgrade_end *v,
                          size_t nv)
{
    gct_upgrade_opts uo = {.same_sweep = true};
    gct_upgrade *ups = calloc(nv, sizeof *ups);
    bool *ok = calloc(nv, sizeof *ok);
    char notes[8][400];
    size_t nnotes = 0;
    for (size_t i = 0; ups && ok && i + 1 < nv; i++) {
        char err[1200];
        ok[i] = gct_upgrade_run(side, v[i].collector, side, v[i + 1].collector, &uo, &ups[i], err,
                                sizeof err) == 0;
        for (size_t k = 0; k < (ok[i] ? ups[i].nnotes : 1) && nnotes < 8; k++) {
            notes[nnotes][0] = 0;
            gct_appendf(notes[nnotes++], sizeof notes[0], "%s to %s: %s", v[i].version,
                        v[i + 1].version, ok[i] ? ups[i].notes[k] : err);
        }
    }
    gct_upgrade_key keys[64];
    size_t nk = gct_upgrade_keys(side->sum, keys, 64);
    list_begin(d);
    for (size_t k = 0; k < nk; k++)
        for (size_t i = 0; ups && ok && i + 1 < nv; i++) {
            for (size_t s = 0; ok[i] && s < ups[i].nsteps; s++) {
                if (strcmp(ups[i].steps[s].key.workload, keys[k].workload) ||
                    strcmp(ups[i].steps[s].key.params, keys[k].params))
                    continue;
                char sentence[2048];
                gct_upgrade_sentence(&ups[i], s, sentence, sizeof sentence);
                bullet(d, "%s: %s.", keys[k].label, sentence);
            }
        }
    list_end(d);
    if (nnotes) {
        para(d, "Left out:");
        list_begin(d);
        for (size_t i = 0; i < nnotes; i++)
            bullet(d, "%s", notes[i]);
        list_end(d);
    }
    for (size_t i = 0; ups && ok && i + 1 < nv; i++)
        if (ok[i])
            gct_upgrade_free(&ups[i]);
    free(ups);
    free(ok);
}

/* What moving from one CPython version to the next does, when the sweep
 * ran two or more: the figure and a sentence per workload and step. */
static void upgrade_section(doc *d, const gct_results *rows, const gct_summary *s,
                            const gct_versions *ver, const gct_plot_result *figs)
{
    gct_upgrade_side side = {.name = "the sweep", .dir = d->dir, .rows = rows, .sum = s,
                             .ver = ver};
    gct_upgrade_end v[8];
    char left_out[256];
    size_t nv = gct_upgrade_versions(&side, v, 8, left_out, sizeof left_out);
    if (nv < 2)
        return;
    heading(d, 2, "What an upgrade does");
    char list[512] = "";
    for (size_t i = 0; i < nv; i++)
        gct_appendf(list, sizeof list, "%s%s (%s)", i ? ", " : "", v[i].version, v[i].collector);
    para(d, "This sweep ran %zu CPython versions: %s%s%s. Per workload, each version at its "
            "default thresholds against the next: a change is named only when it is significant "
            "and beyond both what these processes could detect and the noise floor (this sweep's "
            "A/A spread, in throughput or in the metric itself where larger), or, for what every "
            "process measured alike (the GC work, a model's peak memory), exactly. "
            "gctune compare %s --from %s --to %s gives the whole table.",
         nv, list, left_out[0] ? "; left out, one collector per version: " : "", left_out,
         d->dir, v[0].collector, v[1].collector);
    const gct_figure *fig = upgrade_figure(figs);
    if (fig)
        figure(d, fig);
    upgrade_pairs(d, &side, v, nv);
}

/* The best configuration per objective, among those that do not leak. */
static void best_section(doc *d, const gct_summary *s, double max_p99)
{
    heading(d, 2, "Best configurations");
    char lim[32];
    /* The objectives over CPython models' thresholds; marksweep and refcount
     * only as reference rows. */
    gct_fmt_us(max_p99, lim, sizeof lim);
    para(d, "Medians over the processes; throughput with its 95%% bootstrap interval from 5 "
            "processes on, else the range of the processes. p99 pause: the median over "
            "processes of each one's p99. Only configurations that leak nothing are candidates "
            "(reference counting's cycles never cost a pause because they are never "
            "collected), and the A/A twins are not. The pause budget is %s (--max-p99).",
         lim);
    static const char *const h[] = {"objective", "configuration", "ops/s [interval]",
                                    "time in GC", "p99 pause", "peak live"};
    for (size_t w = 0; w < s->nworkloads; w++) {
        const char *wl = s->workloads[w];
        const gct_config_summary *fast = NULL, *calm = NULL, *budget = NULL, *small = NULL,
                                 *deflt = NULL;
        /* Only CPython's thresholds are choices; the other collectors are
         * references, in rows of their own below. */
        for (size_t i = 0; i < s->n; i++) {
            const gct_config_summary *a = &s->configs[i];
            if (strcmp(a->workload, wl) || !gct_summary_is_candidate(a) ||
                !gct_summary_is_generational(a))
                continue;
            if (a->defaults)
                deflt = a;
            if (!fast || a->ops_s > fast->ops_s)
                fast = a;
            double p = a->p99 > 0 ? a->p99 : 0;
            if (!calm || p < (calm->p99 > 0 ? calm->p99 : 0))
                calm = a;
            if (p <= max_p99 && (!budget || a->ops_s > budget->ops_s))
                budget = a;
            if (!small || a->peak < small->peak)
                small = a;
        }
        heading(d, 3, wl);
        if (!fast) {
            para(d, "No configuration of a CPython model of %s ran without leaking.", wl);
            continue;
        }
        table_begin(d, 6, h);
        config_row(d, "highest throughput", fast);
        config_row(d, "lowest p99 pause", calm);
        char obj[64];
        snprintf(obj, sizeof obj, "highest throughput, p99 <= %s", lim);
        if (budget)
            config_row(d, obj, budget);
        else {
            const char *cells[] = {obj, "none meets the budget", "", "", "", ""};
            table_row(d, cells);
        }
        config_row(d, "lowest peak memory", small);
        if (deflt) {
            char obj2[96], thr[48];
            gct_summary_thresholds(deflt, thr, sizeof thr);
            snprintf(obj2, sizeof obj2, "%s's default (%s)", deflt->collector, thr);
            config_row(d, obj2, deflt);
        }
        const gct_config_summary *refs[16];
        size_t nref = gct_summary_best_per_collector(s, wl, refs, 16);
        for (size_t i = 0; i < nref; i++) {
            if (gct_summary_is_generational(refs[i]))
                continue;
            char obj3[96];
            snprintf(obj3, sizeof obj3, "reference: %s, fastest (not a CPython choice)",
                     refs[i]->collector);
            config_row(d, obj3, refs[i]);
        }
        table_end(d);
    }
}

static void pareto_section(doc *d, const gct_summary *s)
{
    heading(d, 2, "Pareto frontier: throughput against p99 pause");
    para(d, "The configurations no other beats on both throughput and p99 pause (leaking ones "
            "excluded), from the calmest to the fastest. Every other configuration is worse on "
            "one and no better on the other.");
    static const char *const h[] = {"configuration", "ops/s [95% CI]", "p99 pause", "max pause",
                                    "peak live"};
    for (size_t w = 0; w < s->nworkloads; w++) {
        const char *wl = s->workloads[w];
        double *x = malloc((s->n + 1) * sizeof *x), *y = malloc((s->n + 1) * sizeof *y);
        const gct_config_summary **who = malloc((s->n + 1) * sizeof *who);
        size_t *idx = malloc((s->n + 1) * sizeof *idx), n = 0;
        for (size_t i = 0; i < s->n; i++) {
            const gct_config_summary *a = &s->configs[i];
            if (strcmp(a->workload, wl) || !gct_summary_is_candidate(a))
                continue;
            x[n] = a->ops_s;
            y[n] = a->p99 > 0 ? a->p99 : 0;
            who[n++] = a;
        }
        size_t k = gct_pareto_front(x, y, n, idx);
        heading(d, 3, wl);
        if (!k) {
            para(d, "No configuration of %s to place.", wl);
        } else {
            table_begin(d, 5, h);
            for (size_t i = 0; i < k; i++) {
                const gct_config_summary *a = who[idx[i]];
                char ops[128], p99[32], mx[32], peak[32];
                fmt_ops(a, ops, sizeof ops);
                gct_fmt_us(a->p99, p99, sizeof p99);
                gct_fmt_us(a->pmax, mx, sizeof mx);
                fmt_mib(a->peak, peak, sizeof peak);
                const char *cells[] = {a->id, ops, a->p99 > 0 ? p99 : "no pauses",
                                       a->pmax > 0 ? mx : "-", peak};
                table_row(d, cells);
            }
            table_end(d);
        }
        free(x);
        free(y);
        free(who);
        free(idx);
    }
}

/* ---- what a real interpreter's state keeps per operation ------------------ */

/* The metrics a module's metrics() reported in the first successful
 * process of id (its extra, without the runner's own python=, gc_objects=
 * and --tracemalloc's allocN=), into buf, or with sites, only those
 * allocation sites ("eventbus.py:113 750 KiB, ..."); "" if none. */
static void module_extra(const gct_results *rows, const char *id, bool sites, char *buf,
                         size_t len)
{
    buf[0] = 0;
    for (size_t i = 0; i < rows->n; i++) {
        const gct_result *r = &rows->rows[i];
        if (strcmp(r->config_id, id) || r->status != GCT_STATUS_OK)
            continue;
        size_t used = 0;
        char *copy = gct_xstrdup(r->extra), *save = NULL;
        for (char *kv = strtok_r(copy, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
            bool site = !strncmp(kv, "alloc", 5) && strchr(kv, '=');
            if (!strncmp(kv, "python=", 7) || !strncmp(kv, "gc_objects=", 11) || used >= len ||
                site != sites)
                continue;
            if (site) { /* allocN=FILE:LINE:BYTES */
                char *where = strchr(kv, '=') + 1, *bytes = strrchr(where, ':'), size[32];
                if (!bytes)
                    continue;
                *bytes++ = 0;
                gct_fmt_bytes(atof(bytes), size, sizeof size);
                used += (size_t)snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "",
                                         where, size);
            } else {
                used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", kv);
            }
        }
        free(copy);
        return;
    }
}

static void module_metrics(const gct_results *rows, const char *id, char *buf, size_t len)
{
    module_extra(rows, id, false, buf, len);
}

static double stat_median(const gct_config_summary *c, const char *field)
{
    const gct_stat *st = gct_summary_stat(c, field);
    return st ? st->median : NAN;
}

/* The one name=value two parameter strings differ in ("layout=dict"), or
 * false when they differ in none or in more than one. */
static bool one_difference(const char *a, const char *b, char *da, char *db, size_t len)
{
    char *ca = gct_xstrdup(a), *cb = gct_xstrdup(b), *sa = NULL, *sb = NULL;
    int diffs = 0;
    char *x = strtok_r(ca, ";", &sa), *y = strtok_r(cb, ";", &sb);
    for (; x && y; x = strtok_r(NULL, ";", &sa), y = strtok_r(NULL, ";", &sb)) {
        if (strcmp(x, y) && ++diffs == 1) {
            snprintf(da, len, "%s", x);
            snprintf(db, len, "%s", y);
        }
    }
    bool same_shape = !x && !y;
    free(ca);
    free(cb);
    return same_shape && diffs == 1;
}

/* A module whose metrics() reports `finalized` (objects whose __del__ ran,
 * delcycles.py): say what the collector did with its cycles. */
static void finalizer_findings(doc *d, const gct_results *rows, const gct_config_summary **row,
                               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char met[400];
        module_metrics(rows, row[i]->id, met, sizeof met);
        const char *f = strstr(met, "finalized=");
        if (!f || (f != met && f[-1] != ' ') || atof(f + 10) <= 0)
            continue;
        double freed = stat_median(row[i], "gc_freed"), unc = stat_median(row[i], "uncollectable"),
               garbage = stat_median(row[i], "gc_garbage");
        const char *res = strstr(met, "resurrected=");
        if (res && atof(res + 12) > 0)
            bullet(d, "%s (%s) on %s: __del__ ran (finalized=%.0f) and resurrected its object "
                      "(resurrected=%.0f): the collector left those cycles alive (%.0f objects "
                      "freed), and will not run that __del__ again (PEP 442).",
                   row[i]->workload, row[i]->params, row[i]->collector, atof(f + 10),
                   atof(res + 12), freed);
        else if (freed > 0 && unc == 0 && garbage == 0)
            bullet(d, "%s (%s) on %s: __del__ ran (finalized=%.0f) and the collector freed the "
                      "cycles (%.0f objects), none uncollectable, gc.garbage empty: since PEP "
                      "442 (Python 3.4) a cycle with a finalizer is collected.",
                   row[i]->workload, row[i]->params, row[i]->collector, atof(f + 10), freed);
        else
            bullet(d, "%s (%s) on %s: __del__ ran (finalized=%.0f); the collector freed %.0f "
                      "objects, %.0f uncollectable, %.0f in gc.garbage.",
                   row[i]->workload, row[i]->params, row[i]->collector, atof(f + 10), freed, unc,
                   garbage);
    }
}

/* One sentence per pair of rows of a workload on one interpreter that
 * differ in one parameter: which grows, or which keeps fewer bytes. */
static void retained_findings(doc *d, const gct_results *rows, const gct_config_summary **row,
                              size_t n)
{
    list_begin(d);
    finalizer_findings(d, rows, row, n);
    size_t said = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            const gct_config_summary *a = row[i], *b = row[j];
            char da[128], db[128];
            if (strcmp(a->workload, b->workload) || strcmp(a->collector, b->collector) ||
                !one_difference(a->params, b->params, da, db, sizeof da))
                continue;
            int ga = gct_summary_grows(a), gb = gct_summary_grows(b);
            double oa = stat_median(a, "retained_objects_per_op"),
                   ob = stat_median(b, "retained_objects_per_op"),
                   ba = stat_median(a, "retained_bytes_per_op"),
                   bb = stat_median(b, "retained_bytes_per_op");
            if (ga != gb) {
                const char *g = ga ? da : db, *k = ga ? db : da;
                bullet(d, "%s, %s on %s: %s grows, by %.1f objects (%.0f B) per operation, "
                          "without bound while the operations go on; %s keeps nothing.",
                       a->workload, g, a->collector, g, ga ? oa : ob, ga ? ba : bb, k);
                said++;
            } else if (ga == 1 && gb == 1 && fabs(ba - bb) > 0.05 * fmax(ba, bb)) {
                const char *big = ba > bb ? da : db, *small = ba > bb ? db : da;
                double hi = fmax(ba, bb), lo = fmin(ba, bb);
                bullet(d, "%s on %s: %s keeps %.0f B per operation, %s %.0f B: %s takes %.0f B "
                          "(%.0f%%) less per operation (%.1f and %.1f objects).",
                       a->workload, a->collector, big, hi, small, lo, small, hi - lo,
                       100 * (hi - lo) / hi, ba > bb ? oa : ob, ba > bb ? ob : oa);
                said++;
            }
        }
    }
    if (!said)
        bullet(d, "No two of these rows differ in one parameter and in what they keep.");
    list_end(d);
}

static int by_workload_collector_params(const void *a, const void *b)
{
    const gct_config_summary *x = *(const gct_config_summary *const *)a,
                             *y = *(const gct_config_summary *const *)b;
    int c = strcmp(x->workload, y->workload);
    if (!c)
        c = strcmp(x->collector, y->collector);
    return c ? c : strcmp(x->params, y->params);
}

static void retained_section(doc *d, const gct_results *rows, const gct_summary *s)
{
    /* One row per collector, workload and parameters: its default
     * thresholds' configuration, or its first (after collections, what a
     * state keeps does not depend on the thresholds). */
    const gct_config_summary **row = gct_xcalloc(s->n + 1, sizeof *row);
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gct_config_summary *c = &s->configs[i];
        if (c->aa_of[0] || c->n == 0 || !isfinite(stat_median(c, "retained_objects_per_op")))
            continue;
        size_t k = 0;
        while (k < n && (strcmp(row[k]->collector, c->collector) ||
                         strcmp(row[k]->workload, c->workload) || strcmp(row[k]->params, c->params)))
            k++;
        if (k == n)
            row[n++] = c;
        else if (c->defaults && !row[k]->defaults)
            row[k] = c;
    }
    if (n) {
        qsort(row, n, sizeof *row, by_workload_collector_params);
        heading(d, 2, "Memory kept per operation (real interpreters)");
        para(d, "After its timed operations each process runs a retention pass: a fresh set-up, "
                "then operations under tracemalloc with a full collection and a count of "
                "gc.get_objects() at the half and at the end; what the second half added, per "
                "operation, is what the program keeps. A steady program keeps nothing; one that "
                "keeps at least %.1f objects or %.0f bytes per operation is marked \"grows\" "
                "(a leak, or a structure that fills by design). Collected, uncollectable and "
                "gc.garbage count the timed operations; the module's own metrics() are from its "
                "first process. Medians over the processes.",
             GCT_GROWS_OBJECTS, GCT_GROWS_BYTES);
        static const char *const h[] = {"workload", "interpreter", "parameters",
                                        "objects kept / op", "bytes kept / op", "verdict",
                                        "collected", "uncollectable", "gc.garbage",
                                        "the module's metrics"};
        table_begin(d, 10, h);
        for (size_t i = 0; i < n; i++) {
            const gct_config_summary *c = row[i];
            char ko[32], kb[32], col[32], unc[32], gar[32], met[400], params[256];
            snprintf(ko, sizeof ko, "%.2f", stat_median(c, "retained_objects_per_op"));
            snprintf(kb, sizeof kb, "%.0f", stat_median(c, "retained_bytes_per_op"));
            snprintf(col, sizeof col, "%.0f", stat_median(c, "gc_freed"));
            snprintf(unc, sizeof unc, "%.0f", stat_median(c, "uncollectable"));
            snprintf(gar, sizeof gar, "%.0f", stat_median(c, "gc_garbage"));
            snprintf(params, sizeof params, "%s", c->params[0] ? c->params : "-");
            module_metrics(rows, c->id, met, sizeof met);
            const char *cells[] = {c->workload, c->collector, params, ko, kb,
                                   gct_summary_grows(c) ? "NOT STEADY: grows" : "steady", col,
                                   unc, gar,
                                   met[0] ? met : "-"};
            table_row(d, cells);
        }
        table_end(d);
        retained_findings(d, rows, row, n);
        bool sites = false;
        for (size_t i = 0; i < n; i++) {
            char top[600];
            module_extra(rows, row[i]->id, true, top, sizeof top);
            if (!top[0])
                continue;
            if (!sites)
                para(d, "The largest allocation sites alive after the timed operations "
                        "(--tracemalloc, the first process; the runner's own left out). These "
                        "processes timed their operations under tracemalloc, which slows them: "
                        "compare their times only with each other.");
            if (!sites)
                list_begin(d);
            sites = true;
            bullet(d, "%s (%s) on %s: %s", row[i]->workload, row[i]->params[0] ? row[i]->params : "-",
                   row[i]->collector, top);
        }
        if (sites)
            list_end(d);
    }
    free(row);
}

/* ---- memory over time: the models' memory pass ---------------------------- */


static int by_garbage_desc(const void *a, const void *b)
{
    double x = stat_median(*(const gct_config_summary *const *)a, "garbage_max_bytes"),
           y = stat_median(*(const gct_config_summary *const *)b, "garbage_max_bytes");
    return (x < y) - (x > y);
}

static void mib_text(double bytes, char *buf, size_t len)
{
    if (!isfinite(bytes))
        snprintf(buf, len, "-");
    else
        gct_fmt_bytes(bytes, buf, len);
}

/* One workload: its configurations by the most garbage awaiting, at most
 * MAX_MEMORY_ROWS and always the default; then what each costs over the
 * default, and which are not steady. */
#define MAX_MEMORY_ROWS 8
static void memory_workload(doc *d, const gct_summary *s, const char *wl)
{
    const gct_config_summary **c = gct_xcalloc(s->n + 1, sizeof *c);
    const gct_config_summary *deflt = NULL;
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gct_config_summary *a = &s->configs[i];
        if (strcmp(a->workload, wl) || a->aa_of[0] || !a->n ||
            !isfinite(stat_median(a, "garbage_max_bytes")))
            continue;
        c[n++] = a;
        if (a->defaults && gct_summary_is_generational(a) && !deflt)
            deflt = a;
    }
    if (!n) {
        free(c);
        return;
    }
    qsort(c, n, sizeof *c, by_garbage_desc);
    heading(d, 3, wl);
    static const char *const h[] = {"configuration", "garbage awaiting, most",
                                    "garbage awaiting, mean", "peak live", "peak RSS",
                                    "allocated between gen0 / full collections, most",
                                    "reachable bytes, 2nd half", "memory"};
    table_begin(d, 8, h);
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (shown >= MAX_MEMORY_ROWS - 1 && c[i] != deflt)
            continue;
        const gct_config_summary *a = c[i];
        char id[200], gm[48], gmean[32], peak[32], rss[32], growth[32];
        snprintf(id, sizeof id, "%s%s", a->id, a == deflt ? " (default)" : "");
        char gmb[32];
        mib_text(stat_median(a, "garbage_max_bytes"), gmb, sizeof gmb);
        snprintf(gm, sizeof gm, "%s (%.0f objects)", gmb, stat_median(a, "garbage_max_objects"));
        mib_text(stat_median(a, "garbage_mean_bytes"), gmean, sizeof gmean);
        mib_text(a->peak, peak, sizeof peak);
        mib_text(stat_median(a, "peak_rss"), rss, sizeof rss);
        double g = stat_median(a, "reachable_growth");
        snprintf(growth, sizeof growth, isfinite(g) ? "%+.1f%%" : "-", 100 * g);
        int grows = gct_summary_grows(a);
        char b0[32], b2[32], between[80];
        mib_text(stat_median(a, "alloc_bytes_between_gen0"), b0, sizeof b0);
        mib_text(stat_median(a, "alloc_bytes_between_gen2"), b2, sizeof b2);
        snprintf(between, sizeof between, "%s / %s", b0, b2);
        const char *cells[] = {id, gm, gmean, peak, rss, between, growth,
                               grows > 0 ? "NOT STEADY" : grows == 0 ? "steady" : "-"};
        table_row(d, cells);
        shown++;
    }
    table_end(d);
    list_begin(d);
    size_t said = 0;
    for (size_t i = 0; i < n && deflt; i++) {
        const gct_config_summary *a = c[i];
        double ga = stat_median(a, "garbage_max_bytes"), gd = stat_median(deflt, "garbage_max_bytes");
        double cost = a->peak - deflt->peak;
        if (a == deflt || strcmp(a->collector, deflt->collector) || said >= 3 ||
            !(ga - gd > (1 << 20) || cost > (1 << 20)))
            continue;
        char thr[48], dthr[48], x[32], y[32], z[32], w[32];
        gct_summary_thresholds(a, thr, sizeof thr);
        gct_summary_thresholds(deflt, dthr, sizeof dthr);
        mib_text(ga, x, sizeof x);
        mib_text(ga - gd, y, sizeof y);
        mib_text(a->peak, z, sizeof z);
        mib_text(fabs(cost), w, sizeof w);
        bullet(d, "Memory cost of %s on %s: up to %s awaiting collection, %s more than the "
                  "default (%s); peak live %s, %s %s than the default.",
               thr, a->collector, x, y, dthr, z, w, cost >= 0 ? "more" : "less");
        said++;
    }
    for (size_t i = 0; i < n; i++) {
        if (gct_summary_grows(c[i]) <= 0)
            continue;
        char slope[32];
        mib_text(stat_median(c[i], "reachable_slope_bytes_per_op"), slope, sizeof slope);
        double g = stat_median(c[i], "reachable_growth");
        if (g > GCT_GROWS_FRACTION)
            bullet(d, "%s is not steady: the bytes it keeps reachable grew %.0f%% over the second "
                      "half of the run (%s per operation): a leak, or a structure that fills by "
                      "design; its timings describe a moving target.",
                   c[i]->id, 100 * g, slope);
        else {
            char leaked[32];
            mib_text(c[i]->leaked, leaked, sizeof leaked);
            bullet(d, "%s is not steady: its collector never frees some of its garbage (%s "
                      "left after a full collection, more with every operation).",
                   c[i]->id, leaked);
        }
        said++;
    }
    if (!said)
        bullet(d, "Every configuration here is steady, and none holds more than 1 MiB over the "
                  "default.");
    list_end(d);
    free(c);
}

static void memory_section(doc *d, const gct_summary *s)
{
    bool any = false;
    for (size_t i = 0; i < s->n && !any; i++)
        any = isfinite(stat_median(&s->configs[i], "garbage_max_bytes"));
    if (!any)
        return;
    heading(d, 2, "Memory over time (models)");
    para(d, "Thresholds trade memory for time, and they count objects, not bytes. For every "
            "configuration of a model, an untimed second run of the same operations (the "
            "models are deterministic: it repeats the timed run's heap) stops %d times to walk "
            "the heap from its roots: what is alive but unreachable is garbage awaiting "
            "collection. The bytes still reachable over the second half of the run give the "
            "trend (Theil-Sen slope): a configuration whose reachable bytes still grow by more "
            "than %.0f%% there, or whose collector never frees some garbage (refcount's "
            "cycles), is not steady. Garbage awaiting collection is not a trend (a threshold's "
            "sawtooth can be longer than the run): its cost is the columns before. Peak RSS is "
            "the whole process's. Thresholds count objects: the bytes allocated between two "
            "collections (of generation 0, and before a full one; '-': none ran) show how much "
            "memory they let through.",
         GCT_MEMORY_SAMPLES, 100 * GCT_GROWS_FRACTION);
    for (size_t w = 0; w < s->nworkloads; w++)
        memory_workload(d, s, s->workloads[w]);
}

/* ---- pre-fork workers: what gc.freeze() saves each one ------------------- */

/* Bytes with their sign: "-48.0 KiB". */
static void signed_bytes(double b, char *buf, size_t len)
{
    char t[32];
    gct_fmt_bytes(fabs(b), t, sizeof t);
    snprintf(buf, len, "%s%s", b < 0 ? "-" : "", t);
}

/* The per-process values of field for c, and their least and most. */
static size_t samples_range(const gct_results *rows, const gct_config_summary *c,
                            const char *field, double *lo, double *hi)
{
    double *v = gct_xcalloc(rows->n + 1, sizeof *v);
    size_t n = gct_summary_samples(rows, c->id, gct_result_field(field), v);
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        *lo = fmin(*lo, v[i]);
        *hi = fmax(*hi, v[i]);
    }
    free(v);
    return n;
}

static void prefork_section(doc *d, const gct_results *rows, const gct_summary *s)
{
    bool any = false;
    for (size_t i = 0; i < s->n && !any; i++)
        any = isfinite(stat_median(&s->configs[i], "private_dirty_bytes"));
    if (!any)
        return;
    heading(d, 2, "Pre-fork workers: what gc.freeze() saves");
    para(d, "Each process ran as a pre-fork server does (--prefork): the set-up in a parent, "
            "then -k freeze=1's gc.freeze(), then forked workers that each ran the operations. "
            "A worker's private dirty memory (smaps_rollup) is what copy-on-write cost it: the "
            "pages of the parent it wrote to, the collector's header writes among them, and its "
            "own new objects. Medians over the workers of a process, then over the processes; "
            "a saving's range is from the processes' least and most. Heap pages dirtied: of the "
            "parent's heap pages resident at the fork, those a worker copied (models only).");
    static const char *const h[] = {"workload", "collector", "knobs", "workers",
                                    "private dirty / worker, no freeze",
                                    "with freeze", "freeze saves per worker",
                                    "heap pages dirtied, no freeze / freeze"};
    table_begin(d, 8, h);
    size_t said = 0;
    char (*sentences)[400] = gct_xcalloc(s->n + 1, sizeof *sentences);
    for (size_t i = 0; i < s->n; i++) {
        const gct_config_summary *a = &s->configs[i];
        char ka[512];
        if (a->aa_of[0] || gct_summary_knobs_but_freeze(a, ka, sizeof ka) != 0 ||
            !isfinite(stat_median(a, "private_dirty_bytes")))
            continue;
        const gct_config_summary *b = gct_summary_frozen_twin(s, a, "private_dirty_bytes");
        char no[32], yes[32] = "-", saves[160] = "not measured (no freeze=1 twin)", pages[64],
             workers[16];
        double pa = stat_median(a, "private_dirty_bytes");
        gct_fmt_bytes(pa, no, sizeof no);
        double wlo, whi;
        samples_range(rows, a, "prefork_workers", &wlo, &whi);
        snprintf(workers, sizeof workers, isfinite(wlo) ? "%.0f" : "-", wlo);
        double da = stat_median(a, "heap_pages_dirtied");
        snprintf(pages, sizeof pages, isfinite(da) ? "%.0f" : "-", da);
        if (b) {
            double pb = stat_median(b, "private_dirty_bytes"), alo, ahi, blo, bhi;
            gct_fmt_bytes(pb, yes, sizeof yes);
            samples_range(rows, a, "private_dirty_bytes", &alo, &ahi);
            samples_range(rows, b, "private_dirty_bytes", &blo, &bhi);
            char x[40], lo[40], hi[40];
            signed_bytes(pa - pb, x, sizeof x);
            signed_bytes(alo - bhi, lo, sizeof lo);
            signed_bytes(ahi - blo, hi, sizeof hi);
            snprintf(saves, sizeof saves, "%s (%s to %s)", x, lo, hi);
            double db = stat_median(b, "heap_pages_dirtied");
            if (isfinite(da) && isfinite(db))
                snprintf(pages, sizeof pages, "%.0f / %.0f of %.0f", da, db,
                         stat_median(a, "heap_pages"));
            char thr[48];
            gct_summary_thresholds(a, thr, sizeof thr);
            if (alo - bhi > 0)
                snprintf(sentences[said++], sizeof sentences[0],
                         "%s on %s at %s: freeze saves %s per worker (%s to %s over the "
                         "processes).",
                         a->workload, a->collector, thr, x, lo, hi);
            else
                snprintf(sentences[said++], sizeof sentences[0],
                         "%s on %s at %s: freeze saves nothing the processes can tell apart "
                         "(%s per worker, %s to %s): the workers' own writes (reference "
                         "counts, the old heap the program updates) copy those pages anyway, "
                         "or no collection reached the old heap.",
                         a->workload, a->collector, thr, x, lo, hi);
        }
        const char *cells[] = {a->workload, a->collector, ka, workers, no, yes, saves, pages};
        table_row(d, cells);
    }
    table_end(d);
    if (said) {
        list_begin(d);
        for (size_t i = 0; i < said; i++)
            bullet(d, "%s", sentences[i]);
        list_end(d);
    }
    free(sentences);
}

static void failed_section(doc *d, const gct_results *rows)
{
    static const char *const h[] = {"configuration", "repetition", "reason"};
    bool any = false;
    for (size_t i = 0; i < rows->n; i++) {
        const gct_result *r = &rows->rows[i];
        if (r->status == GCT_STATUS_OK)
            continue;
        if (!any) {
            heading(d, 2, "Failed configurations");
            table_begin(d, 3, h);
            any = true;
        }
        char rep[16];
        snprintf(rep, sizeof rep, "%" PRId64, r->rep);
        const char *cells[] = {r->config_id, rep, r->reason};
        table_row(d, cells);
    }
    if (any)
        table_end(d);
    else {
        heading(d, 2, "Failed configurations");
        para(d, "None: every repetition of every configuration passed its workload's self-check "
                "and the collector's verifier.");
    }
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1200px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.45}"
    "h1{font-size:1.7em;border-bottom:2px solid #1f77b4;padding-bottom:.2em}"
    "h2{font-size:1.35em;margin-top:1.8em;border-bottom:1px solid #ddd}"
    "h3{font-size:1.1em;margin-top:1.2em}"
    "table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
    "th{background:#f3f6fa}tr:nth-child(even) td{background:#fafafa}"
    "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #eee}"
    "figcaption{font-size:.92em;color:#444;margin-top:.3em}"
    "code{background:#f4f4f4;padding:0 .2em}";

/* What the report is made of: the records, the model and meta.json. */
typedef struct inputs {
    gct_results rows;
    gct_summary s;
    json_t *meta;
    gct_versions ver;
} inputs;

static int inputs_load(const char *dir, gct_version_lookup lookup, inputs *in, char *err,
                       size_t errlen)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    if (gct_results_read_csv(path, &in->rows, err, errlen) != 0)
        return -1;
    if (gct_summary_load(dir, &in->s, err, errlen) != 0) {
        gct_results_free(&in->rows);
        return -1;
    }
    snprintf(path, sizeof path, "%s/meta.json", dir);
    json_error_t je;
    in->meta = json_load_file(path, 0, &je);
    if (!in->meta) {
        snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
        gct_summary_free(&in->s);
        gct_results_free(&in->rows);
        return -1;
    }
    if (gct_versions_load(dir, &in->s, lookup, &in->ver, err, errlen) != 0) {
        json_decref(in->meta);
        gct_summary_free(&in->s);
        gct_results_free(&in->rows);
        return -1;
    }
    return 0;
}

static void inputs_free(inputs *in)
{
    gct_versions_free(&in->ver);
    gct_summary_free(&in->s);
    json_decref(in->meta);
    gct_results_free(&in->rows);
}

/* The figures to show: those handed over, or drawn now into *drawn; NULL
 * (why in why) when there are none to show. */
static const gct_plot_result *report_figures(const char *dir, const gct_report_opts *o,
                                             gct_plot_result *drawn, char *why, size_t len)
{
    memset(drawn, 0, sizeof *drawn);
    if (o->figures)
        return o->figures;
    if (o->draw)
        return gct_plot_dir(dir, &o->plot, drawn, why, len) == 0 ? drawn : NULL;
    if (o->figures_note)
        snprintf(why, len, "%s", o->figures_note);
    return NULL;
}

/* The figures with their captions, and the notes of those not drawn;
 * returns how many notes (1 for no figures at all). */
static size_t figures_section(doc *d, const gct_report_opts *o, const gct_plot_result *figs,
                              const char *why)
{
    heading(d, 2, "Figures");
    if (!figs || !figs->n) {
        para(d, "No figures: %s",
             why[0] ? why : o->draw ? "nothing to draw" : "not drawn (--no-plots)");
        return 1;
    }
    for (size_t i = 0; i < figs->n; i++)
        if (&figs->figs[i] != upgrade_figure(figs) && /* shown with their sentences */
            strncmp(figs->figs[i].stem, "transfer-", 9))
            figure(d, &figs->figs[i]);
    if (figs->nnotes) {
        para(d, "Not drawn:");
        list_begin(d);
        for (size_t i = 0; i < figs->nnotes; i++)
            bullet(d, "%s", figs->notes[i]);
        list_end(d);
    }
    return figs->nnotes;
}

/* The whole report, in order. */
/* A block of code: fenced in Markdown, <pre> in HTML. */
static void code_block(doc *d, const char *lang, const char *code)
{
    fprintf(d->md, "```%s\n%s```\n\n", lang, code);
    fprintf(d->html, "<pre>");
    html_text(d->html, code);
    fprintf(d->html, "</pre>\n");
}

/* The report's objectives: throughput within the limits the user gave (a p99
 * budget always), the lowest p99 pause, the lowest peak memory (within the
 * memory limit, if given). */
static size_t report_goals(const gct_report_opts *o, gct_tune_goal *goals, const char **names,
                           char (*labels)[160])
{
    size_t n = 0;
    gct_tune_limit p99 = {.metric = GCT_TUNE_P99, .value = o->max_p99_us};
    gct_fmt_us_ascii(o->max_p99_us, p99.text, sizeof p99.text);
    gct_tune_limit peak = {.metric = GCT_TUNE_MEMORY, .value = o->max_peak_bytes};
    gct_fmt_bytes(o->max_peak_bytes, peak.text, sizeof peak.text);
    goals[n] = (gct_tune_goal){.objective = GCT_TUNE_THROUGHPUT};
    goals[n].limits[goals[n].nlimits++] = p99;
    if (o->max_peak_bytes > 0)
        goals[n].limits[goals[n].nlimits++] = peak;
    names[n] = "throughput";
    snprintf(labels[n], 160, "Highest throughput with p99 pause <= %s%s%s", p99.text,
             o->max_peak_bytes > 0 ? " and peak memory <= " : "",
             o->max_peak_bytes > 0 ? peak.text : "");
    n++;
    goals[n] = (gct_tune_goal){.objective = GCT_TUNE_P99};
    names[n] = "p99";
    snprintf(labels[n], 160, "Lowest p99 pause");
    n++;
    goals[n] = (gct_tune_goal){.objective = GCT_TUNE_MEMORY};
    if (o->max_peak_bytes > 0)
        goals[n].limits[goals[n].nlimits++] = peak;
    names[n] = "memory";
    snprintf(labels[n], 160, "Lowest peak memory");
    n++;
    return n;
}

/* What to paste, per workload and CPython model of the sweep and per
 * objective, by the rule the verdicts follow; the reference collectors
 * (marksweep, refcount) are never the answer to a CPython user. */
static void recommend_section(doc *d, const inputs *in, const gct_report_opts *o)
{
    const gct_summary *s = &in->s;
    heading(d, 2, "Recommendations");
    para(d, "Per workload and CPython model: the lines to paste for each objective, "
            "measured against that version's default. A setting other than the default is "
            "recommended only when it beats the default by the rule of the verdicts "
            "(significant, and larger than the detectable difference and the A/A noise "
            "floor); otherwise the answer is to keep the default, and the sentence says what "
            "could not be told apart. Limits are on medians over the processes. marksweep and "
            "refcount are references (what a tracing-only or refcount-only runtime would do), "
            "never a recommendation.");
    gct_tune_goal goals[3];
    const char *names[3];
    char labels[3][160];
    size_t ngoals = report_goals(o, goals, names, labels);
    const uint64_t seed = GCT_VERDICT_SEED; /* the intervals the verdicts show */
    bool any = false;
    for (size_t w = 0; w < s->nworkloads; w++) {
        const char *wl = s->workloads[w];
        for (size_t k = 0; k < s->ncollectors; k++) {
            const char *col = s->collectors[k];
            const char *ver = gct_versions_of(&in->ver, col);
            if (!ver)
                continue;
            bool ran = false;
            for (size_t i = 0; i < s->n && !ran; i++)
                ran = !strcmp(s->configs[i].workload, wl) && !strcmp(s->configs[i].collector, col);
            if (!ran)
                continue;
            char h[200];
            snprintf(h, sizeof h, "%s on CPython %s (%s)", wl, ver, col);
            heading(d, 3, h);
            any = true;
            gct_recommendation r;
            if (gct_tune_recommend(&in->rows, s, wl, col, &goals[0], seed, &r) != 0) {
                para(d, "No recommendation: %s's default thresholds did not run on %s in this "
                        "sweep, and every recommendation is measured against them; add them to "
                        "the grid (gctune list shows the defaults).",
                     col, wl);
                continue;
            }
            char thr[48];
            gct_summary_thresholds(r.reference, thr, sizeof thr);
            for (size_t g = 0; g < ngoals; g++) {
                if (g && gct_tune_recommend(&in->rows, s, wl, col, &goals[g], seed, &r) != 0)
                    continue;
                para(d, "%s:", labels[g]);
                if (!r.choice) {
                    para(d, "No recommendation: %s.", r.text);
                    continue;
                }
                char paste[200];
                gct_tune_paste_lines(r.choice, paste, sizeof paste);
                code_block(d, "python", paste);
                para(d, "%s. Default %s.", r.text, thr);
                if (r.choice != r.reference)
                    para(d, "Re-check: gctune compare '%s:%s' '%s:%s'", d->dir, r.reference->id,
                         d->dir, r.choice->id);
            }
        }
    }
    if (!any)
        para(d, "No CPython model ran in this sweep: nothing to recommend.");
}

/* A CPython model against the real interpreter of its version, when the
 * sweep ran such a pair over one grid: gctune transfer's table (the same
 * pairs and numbers, results/transfer.h) and the transfer figures. */
static void transfer_section(doc *d, const inputs *in, const gct_report_opts *o,
                             const gct_plot_result *figs)
{
    gct_transfer_pair pairs[8];
    size_t np = o->plot.interpreter_lookup
                    ? gct_transfer_pairs(&in->s, o->plot.version_lookup,
                                         o->plot.interpreter_lookup, pairs, 8)
                    : 0;
    size_t cap = in->s.nworkloads + 1;
    gct_transfer *t = calloc(np * cap + 1, sizeof *t);
    size_t nt = 0;
    for (size_t k = 0; t && k < np; k++)
        nt += gct_transfer_compare(&in->rows, &in->s, pairs[k].model, pairs[k].real, t + nt, cap);
    if (!nt) { /* no pair, or no workload both ran */
        free(t);
        return;
    }
    heading(d, 2, "Model against the real interpreter");
    para(d, "Where a CPython model and the real interpreter of its version ran the same "
            "workloads over the same thresholds: does the model rank the settings as the real "
            "interpreter does? rho is Spearman's rank correlation across the grid (1: the same "
            "order; near 0: none); tuned/default is each side's fastest setting over its "
            "default (medians of ops/s); the last column is the model's fastest setting run on "
            "the real interpreter, against the real fastest, by the rule of the verdicts. "
            "Predicted throughput is the model as a predictor of the real program: the real "
            "default's time outside collections plus the model's GC time at each setting, "
            "scaled to the real GC time at the default. "
            "A low rho for throughput is not always the model's fault: when the real "
            "interpreter spends little of its time in collections, its settings land closer "
            "together (spread) than its own A/A pair (noise floor), and there is no order "
            "to match. "
            "gctune transfer %s gives the same table (--json, --plot).",
         d->dir);
    static const char *const hdr[] = {"workload", "real (model)", "grid", "rho throughput",
                                      "rho predicted throughput", "rho GC time",
                                      "tuned/default, model", "tuned/default, predicted",
                                      "tuned/default, real", "real: time in GC",
                                      "real: spread / noise floor",
                                      "the model's pick on the real one"};
    table_begin(d, 12, hdr);
    for (size_t i = 0; i < nt; i++) {
        char who[160], grid[24], ro[16], rg[16], mr[16], rr[16], pick[300];
        snprintf(who, sizeof who, "%s (%s)", t[i].real, t[i].model);
        snprintf(grid, sizeof grid, "%zu", t[i].pairs);
        char rp[16], pr[16];
        const double v[6] = {t[i].rho_ops, t[i].rho_predicted, t[i].rho_gc,
                             t[i].model_ratio, t[i].predicted_ratio, t[i].real_ratio};
        char *out[6] = {ro, rp, rg, mr, pr, rr};
        for (int k = 0; k < 6; k++) /* 16 bytes each */
            if (isfinite(v[k]))
                snprintf(out[k], 16, "%.2f%s", v[k], k < 3 ? "" : "x");
            else
                snprintf(out[k], 16, "n/a");
        gct_transfer_pick_text(&t[i], pick, sizeof pick);
        char share[16], spread[48];
        snprintf(share, sizeof share, isfinite(t[i].real_gc_share) ? "%.1f%%" : "n/a",
                 100 * t[i].real_gc_share);
        if (isfinite(t[i].real_floor))
            snprintf(spread, sizeof spread, "%.0f%% / %.0f%%", 100 * t[i].real_spread,
                     100 * t[i].real_floor);
        else
            snprintf(spread, sizeof spread, "%.0f%% / none measured", 100 * t[i].real_spread);
        const char *cells[] = {t[i].workload, who, grid, ro, rp, rg, mr, pr, rr, share, spread, pick};
        table_row(d, cells);
    }
    table_end(d);
    /* The figures, one per workload (every pair of it in one). */
    for (size_t w = 0; w < in->s.nworkloads; w++) {
        char stem[200];
        snprintf(stem, sizeof stem, "transfer-%s", in->s.workloads[w]);
        for (size_t i = 0; figs && i < figs->n; i++)
            if (!strcmp(figs->figs[i].stem, stem))
                figure(d, &figs->figs[i]);
    }
    free(t);
}

static size_t report_body(doc *d, const inputs *in, const gct_report_opts *o,
                          const gct_plot_result *figs, const char *why)
{
    fprintf(d->html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<title>gctune report</title><style>%s</style></head><body>\n",
            css);
    fprintf(d->md, "# gctune report\n\n");
    fprintf(d->html, "<h1>gctune report</h1>\n");
    para(d, "Results in %s, measured %s. Every number here comes from summary.csv and "
            "noise.csv in that directory (made from results.csv, one row per process); every "
            "figure from the data kept in plots/data/.",
         d->dir, jstr_or(in->meta, "date", "?", false));
    status_section(d, in->meta, &in->s);
    if (in->s.n) {
        recommend_section(d, in, o);
        transfer_section(d, in, o, figs);
        verdict_section(d, &in->rows, &in->s);
        upgrade_section(d, &in->rows, &in->s, &in->ver, figs);
    }
    machine_section(d, in->meta);
    swept_section(d, in->meta, &in->rows, &in->s);
    if (in->s.n) {
        best_section(d, &in->s, o->max_p99_us);
        pareto_section(d, &in->s);
        memory_section(d, &in->s);
        prefork_section(d, &in->rows, &in->s);
        retained_section(d, &in->rows, &in->s);
    } else {
        heading(d, 2, "Best configurations");
        para(d, "No configuration completed successfully.");
    }
    size_t notes = figures_section(d, o, figs, why);
    failed_section(d, &in->rows);
    para(d, "Reproduce with the command line above on the same build (gctune %s, git %s).",
         jstr_or(in->meta, "build.gctune_version", "?", false),
         jstr_or(in->meta, "build.git_revision", "?", false));
    fprintf(d->html, "</body></html>\n");
    return notes;
}

int gct_report_write(const char *dir, const gct_report_opts *o, size_t *notes, char *err,
                     size_t errlen)
{
    *notes = 0;
    inputs in;
    if (inputs_load(dir, o->plot.version_lookup, &in, err, errlen) != 0)
        return -1;
    gct_plot_result drawn;
    char why[800] = "";
    const gct_plot_result *figs = report_figures(dir, o, &drawn, why, sizeof why);

    gct_afile amd, ahtml;
    char mdpath[4400], htmlpath[4400];
    snprintf(mdpath, sizeof mdpath, "%s/report.md", dir);
    snprintf(htmlpath, sizeof htmlpath, "%s/report.html", dir);
    FILE *md = gct_afile_open(&amd, mdpath, err, errlen);
    FILE *html = md ? gct_afile_open(&ahtml, htmlpath, err, errlen) : NULL;
    int rc = -1;
    if (!md || !html) {
        if (md)
            gct_afile_abort(&amd);
    } else {
        doc d = {md, html, dir, 0};
        *notes = report_body(&d, &in, o, figs, why);
        if (gct_afile_commit(&amd, err, errlen) != 0)
            gct_afile_abort(&ahtml);
        else
            rc = gct_afile_commit(&ahtml, err, errlen) != 0 ? -1 : 0;
    }
    gct_plot_result_free(&drawn);
    inputs_free(&in);
    return rc;
}
