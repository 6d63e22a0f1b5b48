# heatmap.gp — figure 4: a metric over the gen0 x gen1 grid of gencycle.
# Variables: file (CSV with columns xi, yi, gen0, gen1, value, label, dark:
# 1 where the cell is dark enough to need white text), wl,
# metric (its name), unit, gen2, better ("high" or "low": the colour of good),
# marks (CSV: i, kind, config_id, collector, thresholds, xi, yi: empty when
# the configuration is not in this grid), nmarks, mark_kinds, mark_titles
# (one word per mark, '_' for spaces): a CPython model's default and
# recommendation, framed in their cells and named in the key.
set title sprintf("%s over gen0 x gen1, %s (gencycle, gen2 = %s)", metric, wl, gen2)
set xlabel "gen0 threshold"
set ylabel "gen1 threshold"
set cblabel unit offset 3,0
unset grid
set tics scale 0
if (better eq "high") { set palette defined (0 "#f7fbff", 1 "#6baed6", 2 "#08306b") } \
else { set palette defined (0 "#08306b", 1 "#6baed6", 2 "#f7fbff") }
set xrange [-0.5:*]
set yrange [-0.5:*]
# The marks: a frame around the cell in the mark's colour, a key entry.
set key outside right top vertical noenhanced
set colorbox user origin graph 1.02, graph 0 size character 2, graph 0.55
plot file using (column("xi")):(column("yi")):(column("value")) with image notitle, \
     file using (column("xi")):(column("dark") > 0.5 ? column("yi") : NaN):(strcol("label")) with labels font ",11" textcolor rgb "#ffffff" notitle, \
     file using (column("xi")):(column("dark") > 0.5 ? NaN : column("yi")):(strcol("label")) with labels font ",11" textcolor rgb "#111111" notitle, \
     file using (column("xi")):(NaN):xtic(strcol("gen0")) notitle, \
     file using (NaN):(column("yi")):ytic(strcol("gen1")) notitle, \
     for [i=1:nmarks] marks using (column("i") == i ? column("xi") : NaN):(column("yi")):(0.47 - 0.04 * i):(0.47 - 0.04 * i) \
        with boxxyerror fs empty lw 4 \
        lc rgb mark_color(word(mark_kinds, i)) title untitle(word(mark_titles, i))
