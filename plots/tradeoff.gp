# tradeoff.gp — figure 5: a cost (p99 pause, or peak memory) against
# throughput, every configuration a point coloured by collector, the Pareto
# frontier drawn and its points labelled with their thresholds (a label that
# would overprint another is left empty by gctune), and each CPython model's
# default and recommendation marked, named in the key (not on the plot,
# where labels would collide).
# Variables: file (CSV: collector, ops_per_s, y, label, config_id), front
# (CSV: the frontier, same columns, ascending ops_per_s), marks (CSV: i,
# kind (default, recommended, default=recommended), config_id, collector,
# thresholds, ops_per_s, y), nmarks, mark_kinds and mark_titles (one word
# per mark, '_' for spaces), wl, ylabel_text, what, collectors (space-separated),
# xlabel_text, xlo, xhi (the throughput axis, computed by gctune: the label
# says when it does not start at 0), logy (1: log scale, for values that
# span decades, like pauses).
set title sprintf("%s against throughput, %s: every configuration, Pareto frontier", what, wl)
set xlabel xlabel_text
set ylabel ylabel_text
if (logy) { set logscale y; set format y "10^{%L}" }
set xrange [xlo:xhi]
set key outside right top vertical noenhanced
set offsets 0, 0, graph 0.1, graph 0.1
plot for [c in collectors] file using (strcol("collector") eq c ? column("ops_per_s") : NaN):(column("y")) \
        with points pt 7 ps 1.0 lc rgb collector_color(c) title c, \
     front using (column("ops_per_s")):(column("y")) with lines lw 1.5 dt 2 lc rgb "#222222" title "Pareto frontier", \
     front using (column("ops_per_s")):(column("y")):(strcol("label")) with labels left offset 0.6,0.6 \
        font ",8" textcolor rgb "#222222" noenhanced notitle, \
     for [i=1:nmarks] marks using (column("i") == i ? column("ops_per_s") : NaN):(column("y")) \
        with points pt mark_pt(word(mark_kinds, i)) ps 2.6 lw 2.5 lc rgb mark_color(word(mark_kinds, i)) title untitle(word(mark_titles, i))
