/* pool.c — chunks, free lists and large blocks (see pool.h). */
#include "pool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "object.h"

/* Chunks and their headers are cache-line sized and aligned, so that blocks
 * whose size is a multiple of 64 never straddle two cache lines (a full
 * collection is bound by the memory traffic of its passes over the heap). */
#define CACHE_LINE 64u

struct gct_chunk {
    gct_chunk *next;
    uint32_t cls;
    uint32_t pad;
    char *end; /* end of the blocks handed out so far (grows with bump) */
    char pad2[CACHE_LINE - 24];
    char data[];
};
_Static_assert(sizeof(gct_chunk) == CACHE_LINE, "chunk header keeps blocks line-aligned");

struct gct_large {
    gct_large *next, *prev;
    size_t size;
    uint64_t pad;
};
_Static_assert(sizeof(gct_large) % GCT_POOL_ALIGN == 0, "large header keeps blocks aligned");

/*
 * Arenas of destroyed heaps, kept for the next heap of this process.  A
 * measurement warms up on a heap of its own and then times a fresh one: with
 * the warm-up's arenas handed on, the timed heap finds its memory already
 * faulted in (and on huge pages where the kernel gave them), instead of
 * paying page faults whose cost varies from process to process.  At most
 * ARENA_CACHE_MAX arenas (512 MiB); the rest go back to the system.  Not
 * thread-safe: heaps are made and destroyed by one thread.
 */
#define ARENA_CACHE_MAX 256
static void *arena_cache[ARENA_CACHE_MAX];
static size_t arena_cached;

static void arena_release(void *arena)
{
#if GCT_POOL_ASAN
    ASAN_UNPOISON_MEMORY_REGION(arena, GCT_POOL_ARENA);
#endif
    if (arena_cached < ARENA_CACHE_MAX)
        arena_cache[arena_cached++] = arena;
    else
        munmap(arena, GCT_POOL_ARENA);
}

int gct_pool_init(gct_pool *p, uint32_t obj_offset)
{
    memset(p, 0, sizeof *p);
    p->obj_offset = obj_offset;
    p->large = malloc(sizeof *p->large);
    if (!p->large)
        return GCT_ENOMEM;
    p->large->next = p->large->prev = p->large;
    return GCT_OK;
}

void gct_pool_fini(gct_pool *p)
{
    for (size_t i = 0; i < p->narenas; i++)
        arena_release(p->arenas[i]);
    free(p->arenas);
    if (p->large) {
        gct_large *l = p->large->next;
        while (l != p->large) {
            gct_large *next = l->next;
            free(l);
            l = next;
        }
        free(p->large);
    }
    memset(p, 0, sizeof *p);
}

/* The out-of-memory guard: a run that outgrows its limit stops with a
 * message instead of taking the machine's memory from everyone else. */
static void check_limit(const gct_pool *p, size_t more)
{
    if (p->limit && p->footprint + (int64_t)more > p->limit)
        gct__fatal("out of memory: the heap would grow past its limit of %.1f MiB",
                   (double)p->limit / (1 << 20));
}

/* A new arena, aligned to its size: one a destroyed heap left, or map twice
 * its size and unmap the ends. */
static char *arena_map(const gct_pool *p)
{
    if (arena_cached)
        return arena_cache[--arena_cached];
    size_t len = 2 * (size_t)GCT_POOL_ARENA;
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        gct__fatal("out of memory: cannot map a %u-byte arena", GCT_POOL_ARENA);
    uintptr_t a = ((uintptr_t)m + GCT_POOL_ARENA - 1) & ~(uintptr_t)(GCT_POOL_ARENA - 1);
    char *arena = (char *)a;
    if (arena > m)
        munmap(m, (size_t)(arena - m));
    char *end = arena + GCT_POOL_ARENA;
    if (end < m + len)
        munmap(end, (size_t)(m + len - end));
#ifdef MADV_HUGEPAGE
    if (p->footprint >= (int64_t)GCT_POOL_HUGE_AFTER)
        madvise(arena, GCT_POOL_ARENA, MADV_HUGEPAGE); /* a hint: failure is fine */
#endif
    return arena;
}

static void arena_new(gct_pool *p)
{
    char *arena = arena_map(p);
    char *end = arena + GCT_POOL_ARENA;
    if (p->narenas == p->arenas_cap) {
        size_t cap = p->arenas_cap ? 2 * p->arenas_cap : 16;
        void **na = realloc(p->arenas, cap * sizeof *na);
        if (!na)
            gct__fatal("out of memory growing the arena list");
        p->arenas = na;
        p->arenas_cap = cap;
    }
    p->arenas[p->narenas++] = arena;
    p->arena_next = arena;
    p->arena_end = end;
}

/* The free list of cls is empty: bump-allocate from the newest chunk, or
 * get a new chunk. */
void *gct__pool_refill(gct_pool *p, unsigned cls)
{
    size_t bsize = gct_pool_class_size(cls);
    if (!p->bump[cls] || p->bump[cls] + bsize > p->bump_end[cls]) {
        check_limit(p, GCT_POOL_CHUNK);
        if (p->arena_next == p->arena_end)
            arena_new(p);
        gct_chunk *ch = (gct_chunk *)(void *)p->arena_next;
        p->arena_next += GCT_POOL_CHUNK;
        ch->next = p->chunks[cls];
        ch->cls = cls;
        ch->end = ch->data;
        p->chunks[cls] = ch;
        p->bump[cls] = ch->data;
        size_t nblocks = (GCT_POOL_CHUNK - sizeof(gct_chunk)) / bsize;
        p->bump_end[cls] = ch->data + nblocks * bsize;
        p->footprint += GCT_POOL_CHUNK;
        if (p->footprint > p->peak_footprint)
            p->peak_footprint = p->footprint;
    }
    char *b = p->bump[cls];
    p->bump[cls] = b + bsize;
    p->chunks[cls]->end = b + bsize;
    return b;
}

void gct_pool_free(gct_pool *p, void *block, unsigned cls)
{
    gct_obj *o = (gct_obj *)(void *)((char *)block + p->obj_offset);
    o->flags = GCT_OF_FREE;
    o->refcnt = 0;
    *gct__pool_link(p, block) = p->free[cls];
    p->free[cls] = block;
#if GCT_POOL_ASAN
    /* Keep the header readable (the walk reads its flags); poison the rest. */
    if (p->obj_offset)
        ASAN_POISON_MEMORY_REGION(block, p->obj_offset);
    size_t tail = gct_pool_class_size(cls) - p->obj_offset - sizeof(gct_obj);
    if (tail)
        ASAN_POISON_MEMORY_REGION((char *)o + sizeof(gct_obj), tail);
#endif
}

void *gct_pool_alloc_large(gct_pool *p, size_t size)
{
    check_limit(p, sizeof(gct_large) + size);
    gct_large *l = malloc(sizeof *l + size);
    if (!l)
        gct__fatal("out of memory: cannot allocate a %zu-byte object", size);
    l->size = size;
    l->next = p->large->next;
    l->prev = p->large;
    p->large->next->prev = l;
    p->large->next = l;
    p->footprint += (int64_t)(sizeof *l + size);
    if (p->footprint > p->peak_footprint)
        p->peak_footprint = p->footprint;
    return l + 1;
}

void gct_pool_free_large(gct_pool *p, void *block)
{
    gct_large *l = (gct_large *)block - 1;
    l->prev->next = l->next;
    l->next->prev = l->prev;
    p->footprint -= (int64_t)(sizeof *l + l->size);
    free(l);
}

void gct_pool_foreach(gct_pool *p, gct_pool_block_fn fn, void *ud)
{
    for (unsigned c = 1; c <= GCT_POOL_NCLASSES; c++) {
        size_t bsize = gct_pool_class_size(c);
        for (gct_chunk *ch = p->chunks[c]; ch; ch = ch->next) {
            for (char *b = ch->data; b < ch->end; b += bsize) {
                const gct_obj *o = (const gct_obj *)(const void *)(b + p->obj_offset);
                if (!(o->flags & GCT_OF_FREE))
                    fn(ud, b);
            }
        }
    }
    gct_large *l = p->large->next;
    while (l != p->large) {
        gct_large *next = l->next;
        fn(ud, l + 1);
        l = next;
    }
}
