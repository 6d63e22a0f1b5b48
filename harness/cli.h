/*
 * cli.h — the gctune subcommands and what they share.
 *
 * Exit statuses (a contract): 0 success, 1 a run failed, 2 bad usage or bad
 * input (the message names the offending flag, value, or file and line),
 * 130 interrupted.
 */
#ifndef GCT_CLI_H
#define GCT_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "topology.h"

enum { GCT_EXIT_OK = 0, GCT_EXIT_FAILED = 1, GCT_EXIT_USAGE = 2, GCT_EXIT_INTERRUPTED = 130 };

int gct_cmd_list(int argc, char **argv);
int gct_cmd_info(int argc, char **argv);
int gct_cmd_run(int argc, char **argv);
int gct_cmd_sweep(int argc, char **argv);
int gct_cmd_tune(int argc, char **argv);
int gct_cmd_transfer(int argc, char **argv);
int gct_cmd_validate(int argc, char **argv);
int gct_cmd_calibrate(int argc, char **argv);
int gct_cmd_compare(int argc, char **argv);
int gct_cmd_plot(int argc, char **argv);
int gct_cmd_report(int argc, char **argv);
int gct_cmd_replay(int argc, char **argv);
int gct_cmd_export(int argc, char **argv);

struct gct_plot_result;
/* "N figures in OUT/plots" and the notes of figures skipped or failed. */
void gct_print_plot_result(const struct gct_plot_result *res, const char *dir);

/* Print "gctune CMD: message" and a hint to --help; returns GCT_EXIT_USAGE. */
int gct_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The options of a command whose only option is --json: returns -1 after
 * printing help (exit 0), GCT_EXIT_USAGE on a bad option, else 0. */
int gct_parse_json_only(const char *cmd, int argc, char **argv, void (*help)(FILE *), bool *json);

/* Parse a whole number ("10000", "10k", "2M") or a size ("4G", "512M"): the
 * grammar of number.h, the one parser of both the command line and sweep files. */
bool gct_parse_count(const char *s, long long min, long long max, long long *out);
bool gct_parse_size(const char *s, long long *out);

/* The CPython version this build's registry says collector is or models
 * (NULL: none, or no such collector): the fallback of results/versions.h
 * for result directories whose meta.json does not say. */
const char *gct_cpython_of(const char *collector);
/* The CPython version collector is, when it is a real interpreter (python311:
 * "3.11"); NULL for a model or an unknown name.  With gct_cpython_of, what
 * pairs a model with the real interpreter of its version (results/transfer.h). */
const char *gct_interpreter_of(const char *collector);

/* meta.json pieces. */
json_t *gct_meta_machine(const gct_topology *t);
json_t *gct_meta_build(void);
json_t *gct_meta_new(int argc, char **argv, const char *command);

#endif
