/* registry.c — the one place that lists the collector backends. */
#include <stdio.h>
#include <string.h>

#include "collector.h"

/* To add a backend: write collectors/<name>.c exporting gct_collector_<name>,
 * declare it in collector.h, list it here and in meson.build. */
static const gct_collector *const registry[] = {
    &gct_collector_refcount,
    &gct_collector_gencycle,
    &gct_collector_gencycle312,
    &gct_collector_gencycle313,
    &gct_collector_gencycle314,
    &gct_collector_gencycle315,
    &gct_collector_marksweep,
#if defined(GCT_HAVE_CPYTHON) && GCT_HAVE_CPYTHON
    &gct_collector_cpython, /* built only when python3-dev is there */
#endif
};

#define NREG (sizeof registry / sizeof registry[0])

/* Real interpreters (runners.c): collectors a user names, never part of
 * "every collector" (each needs its interpreter, and runs seconds, not
 * milliseconds). */
static const gct_collector *const runners[] = {
    &gct_collector_python311,
    &gct_collector_python312,
    &gct_collector_python313,
};

#define NRUN (sizeof runners / sizeof runners[0])

size_t gct_collector_count(void) { return NREG; }

const gct_collector *gct_collector_at(size_t i) { return i < NREG ? registry[i] : NULL; }

size_t gct_runner_count(void) { return NRUN; }

const gct_collector *gct_runner_at(size_t i) { return i < NRUN ? runners[i] : NULL; }

const gct_collector *gct_collector_find(const char *name)
{
    for (size_t i = 0; i < NREG + NRUN; i++) {
        const gct_collector *c = i < NREG ? registry[i] : runners[i - NREG];
        if (!strcmp(c->name, name))
            return c;
    }
    return NULL;
}

bool gct_collector_registry_check(char *err, size_t errlen)
{
    for (size_t i = 0; i < NREG + NRUN; i++) {
        const gct_collector *c = i < NREG ? registry[i] : runners[i - NREG];
        if (c->abi != GCT_COLLECTOR_ABI) {
            snprintf(err, errlen, "collector '%s' was built for interface version %u, not %u",
                     c->name, c->abi, GCT_COLLECTOR_ABI);
            return false;
        }
        if (c->nknobs > GCT_MAX_KNOBS) {
            snprintf(err, errlen, "collector '%s' has %u knobs, more than %d", c->name, c->nknobs,
                     GCT_MAX_KNOBS);
            return false;
        }
        for (uint32_t k = 0; k < c->nknobs; k++) {
            const gct_knob *kn = &c->knobs[k];
            if (kn->def < kn->min || kn->def > kn->max) {
                snprintf(err, errlen, "collector '%s': default of knob '%s' is outside its range",
                         c->name, kn->name);
                return false;
            }
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcmp((j < NREG ? registry[j] : runners[j - NREG])->name, c->name)) {
                snprintf(err, errlen, "two collectors are registered as '%s'", c->name);
                return false;
            }
        }
    }
    return true;
}

void gct_collector_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < NREG && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", registry[i]->name);
}
