# mmu.gp — figure 6: minimum mutator utilization against the window size,
# with the bounded MMU (the lower envelope over larger windows) dashed.
# Variables: files (CSVs with columns window_ms, mmu, bmmu), titles, colors,
# wl.
set title sprintf("Minimum mutator utilization, %s (repetition 0)", wl)
set xlabel "window (ms, log scale)"
set ylabel "minimum mutator utilization"
set logscale x
set format x "10^{%L}"
set yrange [0:1.02]
set key left center
plot for [i=1:words(files)] word(files, i) using (column("window_ms")):(column("mmu")) \
        with lines lw 2 lc rgb int(word(colors, i)) title untitle(word(titles, i)) noenhanced, \
     for [i=1:words(files)] word(files, i) using (column("window_ms")):(column("bmmu")) \
        with lines lw 1.5 dt 2 lc rgb int(word(colors, i)) title sprintf("%s, bounded", untitle(word(titles, i))) noenhanced
