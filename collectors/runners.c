/*
 * runners.c — the real interpreters, as collectors a user can name: -c
 * python311 runs a workload's Python twin (python/workloads/) in CPython
 * 3.11, one process per repetition, through python/runner.py
 * (harness/python_run.c finds the interpreter and reads what it measured).
 * They have the thresholds CPython has, with that version's defaults, and
 * gc.freeze() after the set-up; no heap (the operations are NULL).
 */
#include "collector.h"

enum { KNOB_GEN0, KNOB_GEN1, KNOB_GEN2, KNOB_FREEZE };

#define RUNNER_KNOBS(gen0_default)                                                                \
    {                                                                                              \
        [KNOB_GEN0] = {"gen0", (gen0_default), 0, 1000000000, "allocations",                     \
                       "gc.set_threshold's first value (0: gc.disable())"},                      \
        [KNOB_GEN1] = {"gen1", 10, 0, 1000000000, "collections",                                  \
                       "gc.set_threshold's second value"},                                        \
        [KNOB_GEN2] = {"gen2", 10, 0, 1000000000, "collections",                                  \
                       "gc.set_threshold's third value"},                                         \
        [KNOB_FREEZE] = {"freeze", 0, 0, 1, "0/1",                                                 \
                         "1: gc.freeze() once the workload's set-up is done"},                    \
    }

static const gct_knob knobs_700[] = RUNNER_KNOBS(700);
static const gct_knob knobs_2000[] = RUNNER_KNOBS(2000);

#define RUNNER(name_, version_, knobs_)                                                            \
    {                                                                                              \
        .abi = GCT_COLLECTOR_ABI, .name = (name_),                                                \
        .summary = "the real CPython " version_ " running the workload's Python twin",             \
        .knobs = (knobs_), .nknobs = sizeof(knobs_) / sizeof(knobs_)[0], .ngenerations = 3,      \
        .cpython = (version_), .interpreter = (version_),                                          \
    }

const gct_collector gct_collector_python311 = RUNNER("python311", "3.11", knobs_700);
const gct_collector gct_collector_python312 = RUNNER("python312", "3.12", knobs_700);
const gct_collector gct_collector_python313 = RUNNER("python313", "3.13", knobs_2000);
