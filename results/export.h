/*
 * export.h — a result directory in the formats other tools read:
 *
 *   Chrome/Perfetto trace-event JSON: every pause of pauses/<id>.csv as a
 *   complete event ("ph":"X", ts and dur in microseconds), one process (pid)
 *   per configuration, one thread (tid) per repetition;
 *
 *   pyperf's JSON (format version "1.0", what pyperf.BenchmarkSuite.load
 *   reads): one benchmark per configuration, one run per successful process,
 *   one value per run: the metric (ops_per_s as seconds per operation).
 *
 * Both build a JSON value from records already read (record.h) and leave
 * reading and writing files to the caller, except that the trace reads the
 * pause files of DIR.  Errors name the value or file; every one is bad input.
 */
#ifndef GCT_EXPORT_H
#define GCT_EXPORT_H

#include <jansson.h>
#include <stddef.h>

#include "record.h"

typedef struct gct_export_opts {
    const char *config_glob; /* shell pattern over config_id; NULL: every configuration */
    const char *metric;      /* pyperf: a summarised results.csv column; NULL: ops_per_s */
} gct_export_opts;

/* Whether metric can be exported to pyperf (a summarised numeric column of
 * results.csv).  -1 with the choices in err if not. */
int gct_export_metric_check(const char *metric, char *err, size_t errlen);

/* The trace of DIR's pauses.  meta (meta.json, or NULL) fills "otherData".
 * NULL with err filled on failure. */
json_t *gct_export_perfetto(const char *dir, const gct_results *rows, const json_t *meta,
                            const gct_export_opts *o, char *err, size_t errlen);

/* The pyperf suite.  Failed processes are left out; a configuration with no
 * successful process too (*skipped counts them); none left is an error, and
 * so is a value that is missing or not above 0 (pyperf accepts only those). */
json_t *gct_export_pyperf(const gct_results *rows, const json_t *meta, const gct_export_opts *o,
                          size_t *skipped, char *err, size_t errlen);

#endif
