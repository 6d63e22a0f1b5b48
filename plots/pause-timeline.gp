# pause-timeline.gp — figure 2: every pause at its start time, with its
# duration, coloured by generation or kind; one panel per configuration
# (a CPython model's default above its recommendation).
# Variables: panels, wl, and for panel p: file_p (a pauses/<id>.csv),
# config_p (its name and id), kinds_p (the kinds present, space-separated);
# tmax, ymin, ymax: the axes all panels share.
set multiplot layout panels, 1 title sprintf("Pause timeline, %s (repetition 0)", wl) font ",15"
set xlabel "time since the operations started (ms)"
set ylabel "pause duration (µs, log scale)"
set logscale y
set format y "10^{%L}"
set key outside right top
# One x and one y range for every panel (tmax, ymin, ymax, when given).
if (exists("tmax")) { set xrange [0:tmax]; set yrange [ymin:ymax] }
do for [p=1:panels] {
    f = value(sprintf("file_%d", p))
    set title value(sprintf("config_%d", p)) font ",12" noenhanced
    plot for [k in value(sprintf("kinds_%d", p))] f using (column("rep") == 0 && strcol("kind") eq k ? column("start_ms") : NaN):(column("duration_us")) \
            with points pt 7 ps 0.5 lc rgb kind_color(k) title k
}
unset multiplot
