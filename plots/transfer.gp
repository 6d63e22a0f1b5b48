# transfer.gp — a CPython model against the real interpreter of its version
# on one workload: one row per pair, two panels each, throughput (left) and
# GC time (right), every threshold setting a point with the model's value on
# x and the real interpreter's on y, both relative to their own side's
# default, intervals as error bars, the default ringed, the diagonal y = x.
# Variables: npairs, files (space-separated, one CSV per pair: label,
# default (1 for the default thresholds), mx, mx_lo, mx_hi (the model's
# throughput and its interval), ry, ry_lo, ry_hi (the real one's), mg..,
# rg.. (GC time, the same way)), wl, and per pair k the arrays model[k],
# real[k], version[k], rho_ops[k], rho_gc[k] (text: "0.83" or "n/a"),
# no_gc[k] (why the GC panel has nothing to draw; "" when it has), lo_m[k], hi_m[k],
# log_m[k] (panel m's range, the same on x and y; 1: log scale).
# Room at the top for the title and the one key (drawn with the first panel).
set multiplot layout npairs, 2 title sprintf("Model against the real interpreter, %s: each threshold setting relative to its side's default", wl) font ",15" \
    margins 0.07, 0.97, 0.08 / npairs, 1 - 0.16 / npairs spacing 0.1, 0.14 / npairs
array what[2] = ["throughput", "GC time"]
array col[2] = ["ops/s", "GC time"]
array xc[2] = ["mx", "mg"]
array yc[2] = ["ry", "rg"]
set size ratio 1
do for [k=1:npairs] {
    f = word(files, k)
    do for [m=1:2] {
        lo = m == 1 ? lo_1[k] : lo_2[k]
        hi = m == 1 ? hi_1[k] : hi_2[k]
        lg = m == 1 ? log_1[k] : log_2[k]
        rho = m == 1 ? rho_ops[k] : rho_gc[k]
        # several pairs: each panel names its pair, in fewer words
        who = npairs > 1 ? real[k]." vs ".model[k].": " : ""
        set title sprintf("%s%s (%s is better), %s = %s", who, what[m], m == 1 ? "higher" : "lower", npairs > 1 ? "rho" : "Spearman rho", rho) font ",12" noenhanced
        set xlabel sprintf("%s (model): %s / its default's", model[k], col[m]) noenhanced
        set ylabel sprintf("%s (real %s): %s / its default's", real[k], version[k], col[m]) noenhanced
        # log: ticks at 1, 2, 5 of every decade (gnuplot's own would be decades alone)
        if (lg) { set logscale xy; set xtics ("0.01" 0.01, "0.02" 0.02, "0.05" 0.05, "0.1" 0.1, "0.2" 0.2, "0.5" 0.5, "1" 1, "2" 2, "5" 5, "10" 10, "20" 20, "50" 50, "100" 100); set ytics ("0.01" 0.01, "0.02" 0.02, "0.05" 0.05, "0.1" 0.1, "0.2" 0.2, "0.5" 0.5, "1" 1, "2" 2, "5" 5, "10" 10, "20" 20, "50" 50, "100" 100) } \
        else { unset logscale xy; set xtics autofreq; set ytics autofreq }
        set xrange [lo:hi]
        set yrange [lo:hi]
        unset arrow
        if (k == 1 && m == 1) { set key at screen 0.5, screen 1 - 0.055 / npairs center top horizontal maxrows 1 noenhanced samplen 2 width -2 box } \
        else { unset key }
        set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 3 lw 1 lc rgb "#aaaaaa" back
        set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead dt 3 lw 1 lc rgb "#aaaaaa" back
        cx = xc[m]
        cy = yc[m]
        if (m == 2 && strlen(no_gc[k]) > 0) {
            set label 1 no_gc[k] at graph 0.5, 0.5 center noenhanced
            plot NaN notitle
            unset label 1
        } else {
            plot x with lines dt 2 lw 1.2 lc rgb "#555555" title "y = x", \
                 f using (column(cx)):(column(cy)):(column(cx."_lo")):(column(cx."_hi")):(column(cy."_lo")):(column(cy."_hi")) \
                    with xyerrorbars pt 7 ps 1.1 lw 1.2 lc rgb palette8[1] title "setting, interval", \
                 f using (column("default") == 1 ? column(cx) : NaN):(column(cy)) \
                    with points pt 6 ps 3 lw 2.5 lc rgb mark_color("default") title "default", \
                 f using (column(cx)):(column(cy)):(strcol("label")) with labels left offset 0.7, 0.6 \
                    font ",8" textcolor rgb "#222222" noenhanced notitle
        }
    }
}
unset multiplot
