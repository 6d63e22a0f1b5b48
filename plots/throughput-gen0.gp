# throughput-gen0.gp — figure 3: throughput against gen0, one line per gen1,
# the 95% interval of the median as error bars, one panel per workload.
# Variables: panels (number), and for panel p: wl_p, files_p, titles_p (as
# strings named by sprintf below), gen2 (the gen2 the panels hold fixed).
cols = panels > 1 ? 2 : 1
rows = (panels + cols - 1) / cols
set multiplot layout rows, cols title sprintf("Throughput against gen0 (gencycle, gen2 = %s): median and 95%% interval", gen2) font ",15"
set logscale x
set format x "10^{%L}"
set xlabel "gen0 threshold (allocations, log scale)"
set ylabel "operations per second"
# From 0: a bar of 2x should look like 2x.
set yrange [0:*]
set key outside right top
do for [p=1:panels] {
    set title value(sprintf("wl_%d", p)) font ",13"
    f = value(sprintf("files_%d", p))
    t = value(sprintf("titles_%d", p))
    plot for [i=1:words(f)] word(f, i) using (column("gen0")):(column("ops_per_s")):(column("lo")):(column("hi")) \
            with yerrorlines lw 2 pt 7 ps 0.8 lc rgb palette8[(i - 1) % 8 + 1] title word(t, i) noenhanced
}
unset multiplot
