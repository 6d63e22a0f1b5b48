/* figures.c — the figure table: every figure gctune draws, one row each
 * (see figure.h). */
#include "figure.h"

#include <math.h>

/* The quantities the variants show. */
static double value_ops(const agg *a) { return a->ops_s; }
static double value_p99(const agg *a) { return a->p99; }
static double value_peak_mib(const agg *a) { return a->peak / (1 << 20); }
/* The most garbage awaiting collection at once (the memory pass), MiB. */
static double value_garbage_mib(const agg *a)
{
    const gct_stat *g = gct_summary_stat(a, "garbage_max_bytes");
    return g ? g->median / (1 << 20) : NAN;
}

/* heatmap-<key>-<workload>: a quantity over gencycle's gen0 x gen1 grid. */
static const figure_variant heatmap_metrics[] = {
    {.key = "ops", .metric = "Throughput", .axis = "ops/s", .better = "high", .value = value_ops},
    {.key = "p99", .metric = "p99 pause", .axis = "µs", .better = "low", .value = value_p99},
    {.key = "peak", .metric = "Peak live memory", .axis = "MiB", .better = "low",
     .value = value_peak_mib},
    {.key = "garbage", .metric = "Most garbage awaiting collection", .axis = "MiB",
     .better = "low", .value = value_garbage_mib},
};

/* tradeoff-<key>-<workload>: a cost against throughput. */
static const figure_variant tradeoff_costs[] = {
    {.key = "pause", .metric = "p99 pause", .axis = "p99 pause (µs)", .better = "low",
     .value = value_p99, .noun = "p99 pause", .lacking = "pauses",
     .left_out = "; configurations that never paused are left out (log scale)"},
    {.key = "memory", .metric = "Peak memory", .axis = "peak live memory (MiB)", .better = "low",
     .value = value_peak_mib, .noun = "memory", .lacking = "a peak memory",
     .left_out = "; configurations without a measured peak are left out"},
};

#define VARIANTS(v) (v), sizeof(v) / sizeof((v)[0])

/* In the order they are drawn and reported: the rows over every workload
 * first, then for each workload the others.  Titles and sizes here; axes,
 * scales and styles in each script; which data in each data step. */
const figure_desc figure_table[] = {
    {.name = "collectors", .title = "Collectors side by side", .script = "collectors.gp",
     .width = 1500, .height = 1000, .prepare = fig_prepare_collectors},
    {.name = "upgrade", .title = "What an upgrade does", .script = "upgrade.gp",
     .width = 1500, .height = 1000, .prepare = fig_prepare_upgrade},
    /* sized by its number of panels */
    {.name = "throughput-gen0", .title = "Throughput against gen0",
     .script = "throughput-gen0.gp", .prepare = fig_prepare_throughput},
    {.name = "pause-cdf", .title = "Pause durations", .script = "pause-cdf.gp",
     .per_workload = true, .width = 1200, .height = 750, .prepare = fig_prepare_pause_cdf},
    {.name = "pause-timeline", .title = "Pause timeline", .script = "pause-timeline.gp",
     .per_workload = true, .width = 1200, .height = 700, .prepare = fig_prepare_pause_timeline},
    {.name = "memory", .title = "Memory over the operations", .script = "memory.gp",
     .per_workload = true, .width = 1200, .height = 700, .prepare = fig_prepare_memory},
    {.name = "prefork", .title = "What gc.freeze() saves a pre-fork worker",
     .script = "prefork.gp", .per_workload = true, .width = 1100, .height = 650,
     .prepare = fig_prepare_prefork},
    {.name = "heatmap", .title = "over gen0 x gen1", .script = "heatmap.gp",
     .per_workload = true, .width = 1100, .height = 700, .variants = VARIANTS(heatmap_metrics),
     .applies = fig_heatmap_applies, .prepare = fig_prepare_heatmap},
    {.name = "tradeoff", .title = "against throughput", .script = "tradeoff.gp",
     .per_workload = true, .width = 1200, .height = 750, .variants = VARIANTS(tradeoff_costs),
     .prepare = fig_prepare_tradeoff},
    {.name = "mmu", .title = "Minimum mutator utilization", .script = "mmu.gp",
     .per_workload = true, .width = 1200, .height = 750, .prepare = fig_prepare_mmu},
    /* only where a model and the real interpreter of its version ran one
     * grid; sized by its number of pairs */
    {.name = "transfer", .title = "Model against the real interpreter", .script = "transfer.gp",
     .per_workload = true, .width = 1400, .height = 720, .prepare = fig_prepare_transfer},
};

const size_t figure_table_n = sizeof figure_table / sizeof figure_table[0];
