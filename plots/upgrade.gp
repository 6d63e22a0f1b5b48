# upgrade.gp — what an upgrade does: the CPython versions of a sweep side
# by side per workload, each at its default thresholds, with intervals.
# Variables: file (CSV, one row per workload: workload, label, and for
# every version k (1 = the oldest) the columns rel_ops_k (throughput
# relative to the oldest version on that workload), p99_us_k, pmax_us_k,
# peak_mib_k, each with _lo_k and _hi_k: its interval), nversions,
# vlabel[k] (the version and its collector), oldest (the oldest version),
# and versions_1 .. versions_4: the versions with a value in each panel.
set multiplot layout 2, 2 title "What an upgrade does: each CPython version at its default thresholds" font ",15"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set bars front
set key outside top center horizontal
set grid noxtics
set xtics noenhanced
set yrange [0:*]
array what[4] = ["rel_ops", "p99_us", "pmax_us", "peak_mib"]
array heading[4] = ["throughput relative to ".oldest." (higher is better)", \
                    "p99 pause (lower is better)", "max pause (lower is better)", \
                    "peak live memory (lower is better)"]
array unit[4] = ["fraction of ".oldest."'s", "µs (log scale)", "µs (log scale)", "MiB"]
do for [m=1:4] {
    set title heading[m] font ",12"
    set ylabel unit[m]
    if (m == 2 || m == 3) { set logscale y; set format y "10^{%L}"; set yrange [*:*] } \
    else { unset logscale y; set format y "%g"; set yrange [0:*] }
    list = value(sprintf("versions_%d", m))
    if (strlen(list) == 0) {
        set label 1 "no values" at graph 0.5, 0.5 center
        plot NaN notitle
        unset label 1
    } else {
        plot for [k in list] file \
            using (column(sprintf("%s_%s", what[m], k))):(column(sprintf("%s_lo_%s", what[m], k))):(column(sprintf("%s_hi_%s", what[m], k))):xtic(strcol("label")) \
            lc rgb palette8[(k + 0 - 1) % 8 + 1] title vlabel[k + 0] noenhanced
    }
}
unset multiplot
