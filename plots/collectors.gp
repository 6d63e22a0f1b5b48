# collectors.gp — figure 7: the best configuration of each collector (the
# one with the highest throughput) side by side, per workload: throughput,
# p99 pause, peak memory and leaked memory.
# Variables: file (CSV, one row per workload: workload, label, and for
# every collector c the columns rel_ops_c (throughput relative to the fastest
# collector on that workload), p99_us_c, peak_mib_c, leaked_mib_c),
# collectors (space-separated), and collectors_1 .. collectors_4: those with
# a value to show in each panel (a panel of only missing values cannot draw).
set multiplot layout 2, 2 title "Collectors side by side: the best configuration of each (highest throughput)" font ",15"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top right horizontal
set grid noxtics
set xtics noenhanced
set yrange [0:*]
array what[4] = ["rel_ops", "p99_us", "peak_mib", "leaked_mib"]
array heading[4] = ["throughput relative to the fastest (higher is better)", \
                    "p99 pause (lower is better)", "peak live memory (lower is better)", \
                    "leaked memory after a full collection"]
array unit[4] = ["fraction of the fastest", "µs (log scale)", "MiB", "MiB"]
do for [m=1:4] {
    set title heading[m] font ",12"
    set ylabel unit[m]
    if (m == 2) { set logscale y; set format y "10^{%L}"; set yrange [*:*] } \
    else { unset logscale y; set format y "%g"; set yrange [0:*] }
    if (m == 1) { set yrange [0:1.15] }
    plot for [c in value(sprintf("collectors_%d", m))] file using (column(sprintf("%s_%s", what[m], c))):xtic(strcol("label")) \
            lc rgb collector_color(c) title c
}
unset multiplot
