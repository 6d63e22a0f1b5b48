/*
 * boehm-tree.c — the Boehm GC anchor of bench/anchors: the same tree as
 * gct-bench's collect/<collector>/tree/live/<n> under Boehm GC (libgc).
 *
 * A node is two header words (the size of gctune's object header) and
 * three pointers (left, right, parent): 40 bytes, which Boehm rounds to 48
 * like gctune's allocator does for marksweep.  The tree is balanced, built
 * depth-first in preorder with collection disabled, and kept alive from a
 * static root.  After one untimed collection, every GC_gcollect() is timed;
 * Boehm marks single-threaded here (no GC_THREADS: this program starts no
 * threads, so no parallel markers run) and sweeps lazily, so a collection of
 * a live heap is its mark phase plus clearing mark bits.
 *
 * Output: one JSON object per line and size:
 *   {"anchor": "boehm", "case": "tree/live", "n": N, "ns_per_obj": [...]}
 */
#include <gc.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct node {
    uintptr_t header[2];
    struct node *left, *right, *parent;
} node;

static node *volatile root;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Same split as gct-bench's build_tree: the left subtree takes the odd node. */
static node *build(int64_t n, node *parent)
{
    node *x = GC_MALLOC(sizeof *x);
    if (!x) {
        fprintf(stderr, "boehm-tree: out of memory\n");
        exit(1);
    }
    x->header[0] = 1;
    x->header[1] = 0;
    x->parent = parent;
    int64_t rest = n - 1, nl = rest - rest / 2, nr = rest / 2;
    x->left = nl ? build(nl, x) : NULL;
    x->right = nr ? build(nr, x) : NULL;
    return x;
}

static int64_t count(const node *x)
{
    int64_t n = 0;
    while (x) { /* right spine iteratively, left recursively (depth ~21) */
        n += 1 + count(x->left);
        x = x->right;
    }
    return n;
}

int main(int argc, char **argv)
{
    char sizes[256] = "2000000";
    int reps = 5;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--sizes=", 8)) {
            snprintf(sizes, sizeof sizes, "%s", argv[i] + 8);
        } else if (!strncmp(argv[i], "--reps=", 7)) {
            reps = atoi(argv[i] + 7);
        } else {
            fprintf(stderr, "usage: %s [--sizes=N,N,...] [--reps=R]\n", argv[0]);
            return 2;
        }
    }
    if (reps < 1 || reps > 1000) {
        fprintf(stderr, "boehm-tree: --reps must be 1..1000\n");
        return 2;
    }
    GC_INIT();
    for (char *tok = strtok(sizes, ","); tok; tok = strtok(NULL, ",")) {
        int64_t n = strtoll(tok, NULL, 10);
        if (n < 1) {
            fprintf(stderr, "boehm-tree: bad size '%s'\n", tok);
            return 2;
        }
        GC_disable();
        root = build(n, NULL);
        GC_enable();
        GC_gcollect(); /* untimed, as in gct-bench */
        printf("{\"anchor\": \"boehm\", \"case\": \"tree/live\", \"n\": %" PRId64
               ", \"ns_per_obj\": [",
               n);
        for (int r = 0; r < reps; r++) {
            uint64_t t0 = now_ns();
            GC_gcollect();
            uint64_t t = now_ns() - t0;
            printf("%s%.3f", r ? ", " : "", (double)t / (double)n);
        }
        int64_t seen = count(root);
        printf("], \"heap_bytes\": %zu}\n", (size_t)GC_get_heap_size());
        fflush(stdout);
        if (seen != n) {
            fprintf(stderr, "boehm-tree: the tree has %" PRId64 " nodes, not %" PRId64 "\n", seen,
                    n);
            return 1;
        }
        root = NULL;
        GC_gcollect();
    }
    return 0;
}
