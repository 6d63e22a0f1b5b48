# style.gp — what every gctune figure shares.  The driver sets the terminal
# and output, then loads this file and one figure script.
set datafile separator comma
set datafile columnheaders
set datafile missing ""
set encoding utf8
set border 3 lw 1.2 lc rgb "#444444"
set tics nomirror out scale 0.6 textcolor rgb "#333333"
set grid xtics ytics mxtics mytics lw 0.6 lc rgb "#dddddd", lw 0.3 lc rgb "#eeeeee"
set key top left opaque box lc rgb "#cccccc" samplen 2 spacing 1.15
set title font ",15" textcolor rgb "#222222"
set xlabel textcolor rgb "#222222"
set ylabel textcolor rgb "#222222"
# One colour per collector, the same in every figure; kinds of pause too.
collector_color(c) = c eq "refcount" ? 0x7f7f7f : c eq "gencycle" ? 0x1f77b4 : \
                     c eq "marksweep" ? 0xd62728 : c eq "cpython" ? 0x2ca02c : 0x9467bd
kind_color(k) = k eq "gen0" ? 0x9ecae1 : k eq "gen1" ? 0x3182bd : k eq "gen2" ? 0x08306b : \
                k eq "full" ? 0xd62728 : 0xff7f0e
# Eight distinguishable line colours for curves that are not collectors.
array palette8[8] = [0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf]
set style line 1 lw 2 pt 7 ps 0.8
# The marks of a CPython model's default and of the recommendation (kind:
# default, recommended, default=recommended), the same in every figure.
mark_color(k) = k eq "default" ? 0xff7f0e : 0xe7298a
mark_pt(k) = k eq "default" ? 4 : k eq "recommended" ? 8 : 12
# Titles passed as words come with '_' for spaces (word() splits on spaces).
untitle(s) = strstrt(s, "_") == 0 ? s : s[1:strstrt(s, "_") - 1] . " " . untitle(s[strstrt(s, "_") + 1:])
