# heatmap.gp — figure 4: a metric over the gen0 x gen1 grid of gencycle.
# Variables: file (CSV with columns xi, yi, gen0, gen1, value, label, dark:
# 1 where the cell is dark enough to need white text), wl,
# metric (its name), unit, gen2, better ("high" or "low": the colour of good).
set title sprintf("%s over gen0 x gen1, %s (gencycle, gen2 = %s)", metric, wl, gen2)
set xlabel "gen0 threshold"
set ylabel "gen1 threshold"
set cblabel unit
unset grid
set tics scale 0
set key off
if (better eq "high") { set palette defined (0 "#f7fbff", 1 "#6baed6", 2 "#08306b") } \
else { set palette defined (0 "#08306b", 1 "#6baed6", 2 "#f7fbff") }
set xrange [-0.5:*]
set yrange [-0.5:*]
plot file using (column("xi")):(column("yi")):(column("value")) with image, \
     file using (column("xi")):(column("dark") > 0.5 ? column("yi") : NaN):(strcol("label")) with labels font ",11" textcolor rgb "#ffffff", \
     file using (column("xi")):(column("dark") > 0.5 ? NaN : column("yi")):(strcol("label")) with labels font ",11" textcolor rgb "#111111", \
     file using (column("xi")):(NaN):xtic(strcol("gen0")) notitle, \
     file using (NaN):(column("yi")):ytic(strcol("gen1")) notitle
