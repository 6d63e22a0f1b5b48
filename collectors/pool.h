/*
 * pool.h — the size-class allocator under every heap.
 *
 * Small blocks (up to GCT_POOL_MAX_SMALL bytes) come from 256 KiB chunks, one
 * size class per chunk, in 16-byte steps: the shape of CPython's pymalloc.
 * Chunks are carved from 2 MiB arenas obtained with mmap and aligned to
 * their size, so a chunk is found from any address inside it by masking
 * (gct_pool_chunk_of), and a big heap can sit on transparent huge pages: a
 * full collection of a random graph of millions of objects otherwise misses
 * the TLB at nearly every reference it follows.
 * Freed blocks go on a LIFO free list per class.  Larger blocks are malloc'd
 * with a hidden list node in front so that the pool can still enumerate them.
 *
 * Why not plain malloc: the heap must be able to enumerate every live object
 * (leak reports, verifiers, marksweep's sweep, teardown of leaked cycles), and
 * CPython itself allocates its small objects this way.
 *
 * Each block holds [backend prefix][gct_obj ...].  A free block is marked by
 * GCT_OF_FREE in its object header, and its free-list link is kept in the
 * header's shape word; in AddressSanitizer builds the rest is poisoned.
 */
#ifndef GCT_POOL_H
#define GCT_POOL_H

#include <stddef.h>
#include <stdint.h>

#define GCT_POOL_ALIGN 16u
#define GCT_POOL_MAX_SMALL 512u
#define GCT_POOL_NCLASSES (GCT_POOL_MAX_SMALL / GCT_POOL_ALIGN)
#define GCT_POOL_CHUNK (256u * 1024u)
#define GCT_POOL_ARENA (2u * 1024u * 1024u) /* one transparent huge page */
/* Arenas ask for huge pages once the pool holds this much, so that small
 * heaps (most tests, small runs) do not each take 2 MiB of memory. */
#define GCT_POOL_HUGE_AFTER (8u * 1024u * 1024u)

typedef struct gct_chunk gct_chunk;
typedef struct gct_large gct_large;

typedef struct gct_pool {
    void *free[GCT_POOL_NCLASSES + 1]; /* free-list heads, by class */
    char *bump[GCT_POOL_NCLASSES + 1]; /* next unused block of the newest chunk */
    char *bump_end[GCT_POOL_NCLASSES + 1];
    gct_chunk *chunks[GCT_POOL_NCLASSES + 1]; /* newest first */
    gct_large *large;                         /* circular list head (sentinel) */
    char *arena_next, *arena_end; /* unused chunks of the newest arena */
    void **arenas;                /* every arena, for gct_pool_fini */
    size_t narenas, arenas_cap;
    uint32_t obj_offset; /* where the gct_obj header starts in a block */
    int64_t footprint;   /* bytes obtained from the system */
    int64_t peak_footprint;
    int64_t limit;       /* the out-of-memory guard: 0, or the most footprint allowed */
} gct_pool;

static inline unsigned gct_pool_class(size_t size)
{
    return (unsigned)((size + GCT_POOL_ALIGN - 1) / GCT_POOL_ALIGN);
}

static inline size_t gct_pool_class_size(unsigned cls) { return (size_t)cls * GCT_POOL_ALIGN; }

int gct_pool_init(gct_pool *p, uint32_t obj_offset);
void gct_pool_fini(gct_pool *p);
void *gct__pool_refill(gct_pool *p, unsigned cls);

/* The free-list link lives in the shape word (offset 8) of the object header. */
static inline void **gct__pool_link(const gct_pool *p, void *block)
{
    return (void **)(void *)((char *)block + p->obj_offset + 8);
}

/* gcc defines __SANITIZE_ADDRESS__ under -fsanitize=address; clang (14)
 * only answers __has_feature(address_sanitizer). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GCT_POOL_ASAN 1
#endif
#endif
#if !defined(GCT_POOL_ASAN) && defined(__SANITIZE_ADDRESS__)
#define GCT_POOL_ASAN 1
#endif
#ifndef GCT_POOL_ASAN
#define GCT_POOL_ASAN 0
#endif
#if GCT_POOL_ASAN
#include <sanitizer/asan_interface.h>
#endif

static inline void *gct_pool_alloc(gct_pool *p, unsigned cls)
{
    void *b = p->free[cls];
    if (b) {
#if GCT_POOL_ASAN
        ASAN_UNPOISON_MEMORY_REGION(b, gct_pool_class_size(cls));
#endif
        p->free[cls] = *gct__pool_link(p, b);
        return b;
    }
    return gct__pool_refill(p, cls);
}

/* Small blocks only; large ones go through gct_pool_free_large. */
void gct_pool_free(gct_pool *p, void *block, unsigned cls);

void *gct_pool_alloc_large(gct_pool *p, size_t size);
void gct_pool_free_large(gct_pool *p, void *block);

/* Call fn for every allocated block (small and large), in address order
 * within each chunk.  fn may free the block it is given (and only that one). */
typedef void (*gct_pool_block_fn)(void *ud, void *block);
void gct_pool_foreach(gct_pool *p, gct_pool_block_fn fn, void *ud);

#endif
