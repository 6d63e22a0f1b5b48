/*
 * object.h — the base every other collectors/ header stands on: the object
 * header, shapes, the flag bits, error codes and the fatal-error path.
 *
 * Who it is for: everyone, indirectly.  heap.h (the workload API) includes
 * it, internal/backend.h (the backends) includes heap.h, and pool.c includes
 * it alone, for gct__fatal.  It includes nothing of the project's, so it
 * closes no circle.
 *
 * Invariants:
 *  - An object is a 16-byte header (gct_obj), then `nslots` reference slots,
 *    then `payload` bytes, as its gct_shape says.  A backend may put a
 *    private prefix before the header (the heap knows its size, h->hot.prefix).
 *  - The flags byte is shared.  The heap owns bits 0-2 (WEAKREFD, FREE,
 *    REACH) and bits 6-7 are unassigned.  Bits 3-5 (GCT_OF_BACKEND0..2) are
 *    reserved for the backend running the heap, which names them in its own
 *    .c file (marksweep: MARK; gencycle: COLLECTING, UNREACHABLE).  Outside
 *    a collection every backend bit is clear, and the heap's verifier checks
 *    that for all of them.
 *  - The heap can link every new container onto a list chosen by the
 *    backend (h->hot.young) through a two-word prefix {next, prev} just
 *    before the header: struct gct__link and gct__link_append_before below
 *    are that mechanism, the only part of it the inline allocation path
 *    needs.  The name has two underscores because it is not the workloads'
 *    business; backends know the same type as gct_link (internal/backend.h).
 *    It is one type, not a private copy, so that the compiler sees the
 *    allocation path's stores and gencycle's loads as the same objects.
 *  - Names: gct_ is public; gct__ is the collectors' own, declared here only
 *    because inline code needs it.
 */
#ifndef GCT_OBJECT_H
#define GCT_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- shapes -------------------------------------------------------------- */

enum {
    GCT_SHAPE_OBJECT = 1u << 0,    /* set on every shape: marksweep tracks all */
    GCT_SHAPE_CONTAINER = 1u << 1, /* a GC object in CPython's sense (has slots) */
    GCT_SHAPE_WEAKREF = 1u << 2,   /* the built-in weak reference shape */
    GCT_SHAPE_TUPLE = 1u << 3,     /* CPython's tuple of atoms (gct_tuple_new) */
    GCT_SHAPE_REVERSE = 1u << 4,   /* traversed last slot first, as CPython's list and
                                      tuple are (the order decides 3.14's increments) */
};

typedef struct gct_shape {
    const char *name;
    uint32_t nslots;  /* reference slots */
    uint32_t payload; /* payload bytes after the slots */
    uint32_t flags;   /* GCT_SHAPE_* */
    uint32_t size;    /* header + slots + payload, without any prefix */
} gct_shape;

/* A static initializer: GCT_SHAPE("node", 2, 16). */
#define GCT_SHAPE(name_, nslots_, payload_)                                          \
    {                                                                                \
        .name = (name_), .nslots = (nslots_), .payload = (payload_),                 \
        .flags = GCT_SHAPE_OBJECT | ((nslots_) > 0 ? GCT_SHAPE_CONTAINER : 0u),      \
        .size = (uint32_t)(sizeof(gct_obj) + (nslots_) * sizeof(gct_obj *) + (payload_)) \
    }

/* ---- objects ------------------------------------------------------------- */

typedef struct gct_obj gct_obj;

/* The same as GCT_SHAPE, for shapes sized at run time. */
static inline void gct_shape_init(gct_shape *s, const char *name, uint32_t nslots, uint32_t payload);

/* The bits the heap owns. */
enum {
    GCT_OF_WEAKREFD = 1u << 0, /* some weak reference points at this object */
    GCT_OF_FREE = 1u << 1,     /* the block is on a free list (checked builds) */
    GCT_OF_REACH = 1u << 2,    /* visited by gct_heap_census (or a verifier's walk) */
};

/* The bits reserved for the backend: each backend names them in its .c file. */
#define GCT_OF_BACKEND_SHIFT 3
enum {
    GCT_OF_BACKEND0 = 1u << GCT_OF_BACKEND_SHIFT,
    GCT_OF_BACKEND1 = 1u << (GCT_OF_BACKEND_SHIFT + 1),
    GCT_OF_BACKEND2 = 1u << (GCT_OF_BACKEND_SHIFT + 2),
    GCT_OF_BACKEND_MASK = GCT_OF_BACKEND0 | GCT_OF_BACKEND1 | GCT_OF_BACKEND2,
};

struct gct_obj {
    uint32_t refcnt;  /* not maintained when the heap does not count (marksweep) */
    uint8_t flags;    /* GCT_OF_* */
    uint8_t sizeclass;/* allocator size class; 0 = large object */
    uint16_t spare;   /* the backend's, kept across collections (3.14: old space) */
    const gct_shape *shape;
    gct_obj *slots[];
};

_Static_assert(sizeof(gct_obj) == 16, "the public header is two words");

static inline void gct_shape_init(gct_shape *s, const char *name, uint32_t nslots, uint32_t payload)
{
    s->name = name;
    s->nslots = nslots;
    s->payload = payload;
    s->flags = GCT_SHAPE_OBJECT | (nslots > 0 ? GCT_SHAPE_CONTAINER : 0u);
    s->size = (uint32_t)(sizeof(gct_obj) + nslots * sizeof(gct_obj *) + payload);
}

static inline void *gct_payload(gct_obj *o)
{
    return (void *)(o->slots + o->shape->nslots);
}

/* ---- the allocation-time list -------------------------------------------- */

/* A doubly linked list node: the two-word prefix before a tracked object's
 * header, and the head of a list of them. */
struct gct__link {
    struct gct__link *next;
    struct gct__link *prev;
};

/* Link node at the tail of list. */
static inline void gct__link_append(struct gct__link *node, struct gct__link *list)
{
    struct gct__link *last = list->prev;
    node->prev = last;
    node->next = list;
    last->next = node;
    list->prev = node;
}

/* Link o's prefix at the tail of list (the inline allocation path). */
static inline void gct__link_append_before(gct_obj *o, struct gct__link *list)
{
    gct__link_append((struct gct__link *)(void *)((char *)o - sizeof(struct gct__link)), list);
}

/* ---- errors -------------------------------------------------------------- */

/* Error codes (negative return values). */
enum { GCT_OK = 0, GCT_EINVAL = -1, GCT_ENOTSUP = -2, GCT_ENOMEM = -3 };
const char *gct_strerror(int code);

/* Print "gctune: fatal: ..." and abort (errors.c): broken invariants and
 * exhausted memory, never a caller's bad argument. */
void gct__fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* The cheap assertions of checked builds (debug and sanitizer builds). */
#if defined(GCT_CHECKS) && GCT_CHECKS
#define GCT_CHECK(cond, ...) ((cond) ? (void)0 : gct__fatal(__VA_ARGS__))
#else
#define GCT_CHECK(cond, ...) ((void)0)
#endif

#ifdef __cplusplus
}
#endif
#endif
