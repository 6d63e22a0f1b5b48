# tradeoff.gp — figure 5: a cost (p99 pause, or peak memory) against
# throughput, every configuration a point coloured by collector, the Pareto
# frontier drawn and its points labelled with their thresholds.
# Variables: file (CSV: collector, ops_per_s, y, label), front (CSV: the
# frontier, same columns, ascending ops_per_s), wl, ylabel_text, what,
# collectors (space-separated), logy (1: log scale, for values that span
# decades, like pauses).
set title sprintf("%s against throughput, %s: every configuration, Pareto frontier", what, wl)
set xlabel "operations per second (median)"
set ylabel ylabel_text
if (logy) { set logscale y; set format y "10^{%L}" }
set key top left
set offsets graph 0.03, graph 0.2, graph 0.1, graph 0.1
plot for [c in collectors] file using (strcol("collector") eq c ? column("ops_per_s") : NaN):(column("y")) \
        with points pt 7 ps 1.0 lc rgb collector_color(c) title c, \
     front using (column("ops_per_s")):(column("y")) with lines lw 1.5 dt 2 lc rgb "#222222" title "Pareto frontier", \
     front using (column("ops_per_s")):(column("y")):(strcol("label")) with labels left offset 0.6,0.6 \
        font ",8" textcolor rgb "#222222" noenhanced notitle
