/* versions.c — the CPython version of each collector of a result directory
 * (see versions.h). */
#include "versions.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

static void add(gct_versions *v, const char *collector, const char *cpython)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i].collector, collector))
            return;
    v->v = gct_xrealloc(v->v, v->n + 1, sizeof *v->v);
    v->v[v->n].collector = gct_xstrdup(collector);
    v->v[v->n].cpython = cpython ? gct_xstrdup(cpython) : NULL;
    v->n++;
}

int gct_versions_load(const char *dir, const gct_summary *s, gct_version_lookup lookup,
                      gct_versions *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char path[4400];
    snprintf(path, sizeof path, "%s/meta.json", dir);
    if (access(path, F_OK) == 0) {
        json_error_t je;
        json_t *meta = json_load_file(path, 0, &je);
        if (!meta) {
            snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
            return -1;
        }
        json_t *cols = json_object_get(meta, "collectors");
        const char *name;
        json_t *c;
        json_object_foreach(cols, name, c)
        {
            json_t *ver = json_object_get(c, "cpython");
            if (ver && !json_is_null(ver) && !json_is_string(ver)) {
                snprintf(err, errlen, "%s: collectors.%s.cpython is neither a version nor null",
                         path, name);
                json_decref(meta);
                gct_versions_free(out);
                return -1;
            }
            add(out, name, json_string_value(ver));
        }
        json_decref(meta);
    }
    /* Collectors the records name but meta.json does not (a directory from
     * before meta.json recorded them). */
    for (size_t i = 0; i < s->ncollectors; i++)
        add(out, s->collectors[i], lookup ? lookup(s->collectors[i]) : NULL);
    return 0;
}

void gct_versions_free(gct_versions *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->v[i].collector);
        free(v->v[i].cpython);
    }
    free(v->v);
    memset(v, 0, sizeof *v);
}

const char *gct_versions_of(const gct_versions *v, const char *collector)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i].collector, collector))
            return v->v[i].cpython;
    return NULL;
}

int gct_version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        /* A missing component orders first: "3.13" < "3.13.1". */
        if (!*a || !*b)
            return *a ? 1 : -1;
        char *ea, *eb;
        unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
        bool na = ea != a, nb = eb != b;
        if (na != nb)
            return na ? -1 : 1; /* a number before text */
        if (na && x != y)
            return x < y ? -1 : 1;
        /* The component's tail ("t" of "13t") up to the next dot. */
        size_t la = strcspn(ea, "."), lb = strcspn(eb, ".");
        int t = strncmp(ea, eb, la < lb ? la : lb);
        if (t || la != lb)
            return t ? t : (la < lb ? -1 : 1);
        a = ea + la;
        b = eb + lb;
        if (*a == '.')
            a++;
        if (*b == '.')
            b++;
    }
    return 0;
}

bool gct_version_matches(const char *v, const char *spec)
{
    size_t n = strlen(spec);
    return n && !strncmp(v, spec, n) && (v[n] == 0 || v[n] == '.');
}
