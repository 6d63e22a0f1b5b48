/*
 * ptrmap.c — the open-addressing map from an address to a word that holds
 * the heap's weak references (internal/ptrmap.h): linear probing over a
 * power-of-two table kept at most half full, a multiplicative hash of the
 * address, and backward-shift deletion, so that no tombstones accumulate
 * however often targets die.
 */
#include "internal/ptrmap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"

static size_t ptr_hash(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p >> 4;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 32) & (cap - 1);
}

static size_t ptrmap_slot(const gct_ptrmap *m, const void *key)
{
    size_t i = ptr_hash(key, m->cap);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

uintptr_t *gct__ptrmap_get(const gct_ptrmap *m, const void *key)
{
    if (!m->cap)
        return NULL;
    size_t i = ptrmap_slot(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

static void ptrmap_rehash(gct_ptrmap *m)
{
    gct_ptrmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->n = 0;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->vals = calloc(m->cap, sizeof *m->vals);
    if (!m->keys || !m->vals)
        gct__fatal("out of memory growing a map to %zu entries", m->cap);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i])
            gct__ptrmap_put(m, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
}

void gct__ptrmap_put(gct_ptrmap *m, const void *key, uintptr_t val)
{
    if ((m->n + 1) * 2 > m->cap)
        ptrmap_rehash(m);
    size_t i = ptrmap_slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
}

/* Remove with backward-shift deletion, so no tombstones are needed. */
void gct__ptrmap_del(gct_ptrmap *m, const void *key)
{
    if (!m->cap)
        return;
    size_t mask = m->cap - 1, i = ptrmap_slot(m, key);
    if (!m->keys[i])
        return;
    m->n--;
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        if (!m->keys[j])
            break;
        size_t home = ptr_hash(m->keys[j], m->cap);
        /* Move j back into the hole at i unless its home lies in (i, j]. */
        bool in_between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!in_between) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->keys[i] = NULL;
    m->vals[i] = 0;
}

void gct__ptrmap_free(gct_ptrmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
