/*
 * gencycle_driver.c — gc_simple.py's sequences through gctune's gencycle.
 *
 * Reads one case per line from stdin, "KIND K T0 T1 T2" (KIND: keep, cycles
 * or mix, as gc_simple.py describes them), runs it on a fresh gencycle heap
 * with those thresholds, and prints one JSON line per case in the script's
 * own format: {"seq": [[alloc, gen, collected], ...], "count": [c0, c1, c2],
 * "stats": [[collections, collected] x 3], "left": N}, where alloc is the
 * 1-based index of the allocation that triggered the collection and "left"
 * is what a full collection finds afterwards.  The heap verifies itself
 * after every collection.  Exit status 0, or 2 on a malformed line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "heap.h"

static const gct_shape node = GCT_SHAPE("node", 1, 0); /* class C: __slots__ = ("x",) */

typedef struct log {
    gct_heap *h;
    int64_t *alloc, *gen, *coll;
    size_t n, cap;
} log_t;

static void on_event(void *ud, gct_event_phase phase, const gct_event_info *info)
{
    log_t *l = ud;
    if (phase == GCT_EVENT_START) {
        if (l->n == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 1024;
            l->alloc = realloc(l->alloc, l->cap * sizeof *l->alloc);
            l->gen = realloc(l->gen, l->cap * sizeof *l->gen);
            l->coll = realloc(l->coll, l->cap * sizeof *l->coll);
            if (!l->alloc || !l->gen || !l->coll) {
                fputs("gencycle_driver: out of memory\n", stderr);
                exit(1);
            }
        }
        /* total_allocs counts the allocations before this one */
        l->alloc[l->n] = gct_heap_total_allocs(l->h) + 1;
        l->gen[l->n] = info->generation;
        l->coll[l->n] = 0;
    } else {
        l->coll[l->n++] = info->collected;
    }
}

static void cycle(gct_heap *h)
{
    gct_obj *a = gct_new(h, &node);
    gct_obj *b = gct_new(h, &node);
    gct_store(h, a, 0, b);
    gct_store(h, b, 0, a);
    gct_root_pop(h);
    gct_root_pop(h);
}

static void run(const char *kind, long k, const long t[3])
{
    char knob[3][40];
    const char *knobs[3];
    for (int i = 0; i < 3; i++) {
        snprintf(knob[i], sizeof knob[i], "gen%d=%ld", i, t[i]);
        knobs[i] = knob[i];
    }
    char err[256];
    gct_heap *h = gct_heap_new("gencycle", knobs, 3, err, sizeof err);
    if (!h) {
        fprintf(stderr, "gencycle_driver: %s\n", err);
        exit(1);
    }
    gct_heap_set_verify_each(h, true);
    log_t l = {.h = h};
    gct_heap_set_event_fn(h, on_event, &l);
    for (long i = 0; i < k; i++) {
        if (!strcmp(kind, "keep")) {
            gct_new(h, &node);
        } else if (!strcmp(kind, "cycles")) {
            cycle(h);
        } else {
            gct_new(h, &node);
            cycle(h);
        }
    }
    int64_t count[3] = {gct_heap_counts(h)[0], gct_heap_counts(h)[1], gct_heap_counts(h)[2]};
    gct_gen_stats stats[3];
    memcpy(stats, gct_heap_stats(h), sizeof stats);
    gct_heap_set_event_fn(h, NULL, NULL);
    int64_t left = gct_heap_collect(h, 2);
    if (!gct_heap_verify(h, true, err, sizeof err)) {
        fprintf(stderr, "gencycle_driver: %s %ld: verify: %s\n", kind, k, err);
        exit(1);
    }
    printf("{\"seq\": [");
    for (size_t i = 0; i < l.n; i++)
        printf("%s[%" PRId64 ", %" PRId64 ", %" PRId64 "]", i ? ", " : "", l.alloc[i], l.gen[i],
               l.coll[i]);
    printf("], \"count\": [%" PRId64 ", %" PRId64 ", %" PRId64 "], \"stats\": [", count[0],
           count[1], count[2]);
    for (int g = 0; g < 3; g++)
        printf("%s[%" PRId64 ", %" PRId64 "]", g ? ", " : "", stats[g].collections,
               stats[g].collected);
    printf("], \"left\": %" PRId64 "}\n", left);
    free(l.alloc);
    free(l.gen);
    free(l.coll);
    gct_heap_destroy(h);
}

int main(void)
{
    char line[256];
    int lineno = 0;
    while (fgets(line, sizeof line, stdin)) {
        lineno++;
        char kind[16];
        long k, t[3];
        if (sscanf(line, "%15s %ld %ld %ld %ld", kind, &k, &t[0], &t[1], &t[2]) != 5 || k < 0 ||
            (strcmp(kind, "keep") && strcmp(kind, "cycles") && strcmp(kind, "mix"))) {
            fprintf(stderr, "gencycle_driver: stdin line %d: expected KIND K T0 T1 T2, got %s",
                    lineno, line);
            return 2;
        }
        run(kind, k, t);
    }
    return 0;
}
