# pause-timeline.gp — figure 2: every pause at its start time, with its
# duration, coloured by generation or kind.
# Variables: file (a pauses/<id>.csv), config (its id), kinds (the kinds
# present, space-separated).
set title sprintf("Pause timeline, %s (repetition 0)", config) noenhanced
set xlabel "time since the operations started (ms)"
set ylabel "pause duration (µs, log scale)"
set logscale y
set format y "10^{%L}"
set key outside right top
plot for [k in kinds] file using (column("rep") == 0 && strcol("kind") eq k ? column("start_ms") : NaN):(column("duration_us")) \
        with points pt 7 ps 0.5 lc rgb kind_color(k) title k
