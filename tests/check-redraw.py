#!/usr/bin/env python3
"""check-redraw.py --gctune PATH --source DIR -- the figures of a result
directory can be redrawn by hand after it was moved (README, "The result
directory"; plots/gnuplot.c).

A tiny real sweep with figures of every family (gencycle and gencycle312 for
the upgrade figure, marksweep, a 2 x 2 gen0 x gen1 grid for the heatmaps),
run from a temporary directory into a relative --out.  Then:

 (a) every driver OUT/plots/data/<stem>.<ext>.gp begins with
     `# Redraw with: cd 'OUT/plots/data' && gnuplot '<stem>.<ext>.gp'`
     (OUT as it was given), and no driver holds an absolute path: not the
     temporary directory, not the source tree DIR (where gctune reads its
     scripts), no quoted string that starts with '/', and the name OUT
     nowhere but in that comment;
 (b) style.gp and every script a driver loads are in OUT/plots/data, the
     same text as DIR/plots/<script>;
 (c) the result directory is moved (os.rename, as mv) into another folder,
     every figure (.svg and .png) is deleted, and the command each driver
     gives, with the new place, `cd NEW/plots/data && gnuplot <driver>`, run
     from an unrelated working directory, draws every figure again: the
     file exists, is non-trivial and is byte for byte the one gctune drew;
 (d) `gctune plot NEW` (an absolute path, from yet another directory) draws
     them all again, and its drivers name NEW in their redraw line.

 (e) every trade-off figure and heatmap marks gencycle's default and its
     recommendation (OUT/plots/data/<stem>-marks.csv and the driver's key),
     the pause CDF, timeline and MMU drivers name the default's and the
     recommendation's configuration ids, and gnuplot left no error log.

Exit status: 0 all good, 1 a failure, 2 bad usage, 77 skipped (no gnuplot).
"""
import argparse
import glob
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

FAMILIES = ["collectors", "upgrade", "throughput-gen0", "pause-cdf", "pause-timeline",
            "heatmap", "tradeoff", "mmu"]
FIGURE_EXTS = (".svg", ".png")
MIN_SIZE = 200  # what gctune itself asks of a figure (plots/gnuplot.c)

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def figures(plots):
    """{name: sha256} of the figures in plots/."""
    return {os.path.basename(p): digest(p)
            for ext in FIGURE_EXTS for p in glob.glob(os.path.join(plots, "*" + ext))}


def drivers(data):
    return sorted(p for p in glob.glob(os.path.join(data, "*.gp"))
                  if re.search(r"\.(svg|png|pdf)\.gp$", p))


def check_drivers(data, out_as_given, forbidden, source_plots):
    """(a) and (b) on every driver of data/; returns their number."""
    ds = drivers(data)
    for d in ds:
        name = os.path.basename(d)
        with open(d) as f:
            lines = f.read().split("\n")
        want = "# Redraw with: cd %s && gnuplot '%s'" % (
            "'" + out_as_given + "/plots/data'", name)
        if lines[0] != want:
            fail("%s: first line %r, not %r" % (name, lines[0], want))
        body = "\n".join(lines[1:])
        for bad in forbidden:
            if bad in "\n".join(lines):
                fail("%s names %s" % (name, bad))
        if os.path.basename(out_as_given) in body:
            fail("%s names the result directory %s outside its redraw line"
                 % (name, out_as_given))
        for s in re.findall(r"'([^'\n]*)'", body):
            if s.startswith("/"):
                fail("%s holds the absolute path %s" % (name, s))
        loads = re.findall(r"^load '([^']+)'$", body, re.M)
        if loads[:1] != ["style.gp"] or len(loads) != 2:
            fail("%s loads %s, not style.gp and its script" % (name, loads))
        for script in loads:
            copy = os.path.join(data, script)
            if not os.path.isfile(copy):
                fail("%s loads %s, which is not in %s" % (name, script, data))
            elif open(copy).read() != open(os.path.join(source_plots, script)).read():
                fail("%s is not a copy of plots/%s" % (copy, script))
    return len(ds)


def check_marks(plots):
    """Issue 13: every trade-off figure and heatmap marks the CPython default
    and the recommendation (<stem>-marks.csv, named in the driver's key);
    the pause CDF, timeline and MMU name the default and the recommended
    configuration ids (the driver's configs); gnuplot left no error log."""
    data = os.path.join(plots, "data")
    default = "gencycle.trees.gen0-700.gen1-10.gen2-10"
    for fig in sorted(glob.glob(os.path.join(plots, "*.svg"))):
        stem = os.path.basename(fig)[:-4]
        fam = stem.split("-")[0]
        with open(os.path.join(data, stem + ".svg.gp")) as f:
            driver = f.read()
        if fam in ("tradeoff", "heatmap"):
            path = os.path.join(data, stem + "-marks.csv")
            if not os.path.exists(path):
                fail("%s: no marks file" % stem)
                continue
            import csv
            with open(path, newline="") as f:
                rows = list(csv.DictReader(f))
            kinds = {}
            for r in rows:
                kinds.setdefault(r["kind"], []).append(r["config_id"])
            if default not in kinds.get("default", []) + kinds.get("default=recommended", []):
                fail("%s: the default %s is not marked: %r" % (stem, default, rows))
            if "recommended" not in kinds and "default=recommended" not in kinds:
                fail("%s: no recommendation marked: %r" % (stem, rows))
            if ("nmarks = %d" % len(rows)) not in driver or "mark_titles = 'default" not in driver:
                fail("%s: the driver does not draw the %d marks" % (stem, len(rows)))
            if fam == "tradeoff" and "axis does not start at 0" not in driver and "xlo = 0\n" not in driver:
                fail("%s: a throughput axis not from 0 does not say so" % stem)
        elif fam in ("pause", "mmu"):
            m = re.search(r"^configs = '([^']*)'", driver, re.M)
            ids = m.group(1).split() if m else []
            if not ids or ids[0] != default or len(ids) > 2 or \
                    any(not i.startswith("gencycle.") for i in ids):
                fail("%s: configs %r, not the default %s and the recommendation" %
                     (stem, ids, default))
            if "default" not in driver:
                fail("%s: the default is not named in the key" % stem)
    logs = glob.glob(os.path.join(data, "*.log"))
    if logs:
        fail("gnuplot reported errors: %s" % logs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gctune", required=True)
    ap.add_argument("--source", required=True, help="the source tree")
    a = ap.parse_args()
    gnuplot = os.environ.get("GCTUNE_GNUPLOT") or shutil.which("gnuplot")
    if not gnuplot:
        print("SKIP: gnuplot is not installed")
        return 77
    gctune = os.path.abspath(a.gctune)
    source = os.path.realpath(a.source)
    source_plots = os.path.join(source, "plots")
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="gctune-redraw-"))
    try:
        given = "before-move"
        out = os.path.join(tmp, given)
        r = subprocess.run([gctune, "sweep", "-c", "gencycle,gencycle312,marksweep", "-w", "trees",
                            "--gen0", "700,2000", "--gen1", "2,10", "--gen2", "10", "--reps", "2",
                            "--ops", "100", "--quiet", "--out", given],
                           cwd=tmp, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            fail("the sweep exited %d: %s%s" % (r.returncode, r.stdout, r.stderr))
            return 1
        plots = os.path.join(out, "plots")
        drawn = figures(plots)
        for fam in FAMILIES:
            if not any(n == fam + ".svg" or n.startswith(fam + "-") for n in drawn):
                fail("the sweep drew no %s figure (%s)" % (fam, sorted(drawn)))
        check_marks(plots)
        n = check_drivers(os.path.join(plots, "data"), given, [tmp, source], source_plots)
        if n != len(drawn):
            fail("%d drivers for %d figures" % (n, len(drawn)))
        print("%d figures, %d drivers, none with an absolute path" % (len(drawn), n))

        # (c) moved, the figures deleted, every driver run where it says.
        os.makedirs(os.path.join(tmp, "elsewhere"))
        moved = os.path.join(tmp, "elsewhere", "moved")
        os.rename(out, moved)
        mplots = os.path.join(moved, "plots")
        for name in drawn:
            os.unlink(os.path.join(mplots, name))
        unrelated = os.path.join(tmp, "unrelated")
        os.makedirs(unrelated)
        for d in drivers(os.path.join(mplots, "data")):
            cmd = "cd %s && %s %s" % (shlex.quote(os.path.join(mplots, "data")),
                                      shlex.quote(gnuplot), shlex.quote(os.path.basename(d)))
            r = subprocess.run(["sh", "-c", cmd], cwd=unrelated, capture_output=True,
                               text=True, timeout=120)
            if r.returncode != 0:
                fail("%s exited %d: %s" % (cmd, r.returncode, r.stderr.strip()[-500:]))
        redrawn = figures(mplots)
        for name, h in sorted(drawn.items()):
            p = os.path.join(mplots, name)
            if name not in redrawn:
                fail("%s was not drawn again" % name)
            elif os.path.getsize(p) < MIN_SIZE:
                fail("%s drawn again has only %d bytes" % (name, os.path.getsize(p)))
            elif redrawn[name] != h:
                fail("%s drawn again differs from the one gctune drew" % name)
        print("moved, %d figures redrawn by hand from their drivers" % len(redrawn))

        # (d) gctune plot on the moved directory, named absolutely.
        for name in drawn:
            os.unlink(os.path.join(mplots, name))
        r = subprocess.run([gctune, "plot", moved], cwd=unrelated, capture_output=True,
                           text=True, timeout=300)
        if r.returncode != 0:
            fail("gctune plot %s exited %d: %s" % (moved, r.returncode, r.stderr))
        again = figures(mplots)
        if sorted(again) != sorted(drawn):
            fail("gctune plot drew %s, not %s" % (sorted(again), sorted(drawn)))
        check_drivers(os.path.join(mplots, "data"), moved, [source, out], source_plots)
        print("gctune plot on the moved directory: %d figures" % len(again))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
