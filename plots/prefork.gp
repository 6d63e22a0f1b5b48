# prefork.gp — what gc.freeze() saves a pre-fork server's workers: per
# collector and threshold setting, a worker's private dirty memory without
# and with freeze (MiB), bars the medians over the processes, whiskers
# their least and most.
# Variables: file (CSV: label, no_mib, no_lo, no_hi, yes_mib, yes_lo,
# yes_hi), wl, workers.
set title sprintf("Private dirty memory per pre-fork worker, %s (%s workers)", wl, workers) noenhanced
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set bars front
set key top right
set grid noxtics
set xtics noenhanced rotate by -20
set ylabel "MiB per worker (smaps_rollup Private_Dirty)" noenhanced
set yrange [0:*]
plot file using "no_mib":"no_lo":"no_hi":xtic(strcol("label")) lc rgb 0xff7f0e title "no freeze", \
     file using "yes_mib":"yes_lo":"yes_hi" lc rgb 0x1f77b4 title "gc.freeze() before the fork"
