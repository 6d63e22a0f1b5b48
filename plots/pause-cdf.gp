# pause-cdf.gp — figure 1: the distribution of pause durations.
# Variables: files (space-separated CSVs with columns duration_us, cdf),
# titles (one word per file), colors (0xRRGGBB per file), marks (a CSV with
# columns curve, x, y, label, side: p99 (side 0) and max (side 1) of each
# curve), wl (workload).  The p99 and max values are in the titles.
set title sprintf("Pause durations, %s: cumulative distribution", wl)
set xlabel "pause duration (µs, log scale)"
set ylabel "fraction of pauses at most this long"
set logscale x
set format x "10^{%L}"
set yrange [0:1.02]
set key bottom right
set offsets graph 0, graph 0.05, 0, 0
plot for [i=1:words(files)] word(files, i) using (column("duration_us")):(column("cdf")) \
        with steps lw 2 lc rgb int(word(colors, i)) title untitle(word(titles, i)) noenhanced, \
     marks using (column("side") == 0 ? column("x") : NaN):(column("y")) with points pt 7 ps 1.1 \
        lc rgb "#222222" title "p99", \
     marks using (column("side") == 1 ? column("x") : NaN):(column("y")) with points pt 9 ps 1.3 \
        lc rgb "#222222" title "longest"
