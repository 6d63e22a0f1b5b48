# memory.gp — memory over the operations of one workload (a model's memory
# pass): for each configuration, the bytes alive (solid) and, of them, the
# garbage awaiting collection (dashed), in MiB.
# Variables: wl, n, and for configuration i: file_i (a memory/<id>.csv),
# title_i (its name), color_i (its colour).
set title sprintf("Memory over the operations, %s", wl) noenhanced
set xlabel "operations done"
set ylabel "MiB"
set yrange [0:*]
set key top left noenhanced
mib(x) = x / 1048576.0
plot for [i=1:n] value(sprintf("file_%d", i)) using "ops":(mib(column("live_bytes"))) \
        with lines lw 2 lc rgb value(sprintf("color_%d", i)) \
        title value(sprintf("title_%d", i)) . ": alive", \
     for [i=1:n] value(sprintf("file_%d", i)) using "ops":(mib(column("garbage_bytes"))) \
        with lines lw 1.5 dt 2 lc rgb value(sprintf("color_%d", i)) \
        title value(sprintf("title_%d", i)) . ": garbage awaiting collection"
