#!/usr/bin/env python3
"""check-python-sweep.py --gctune PATH -- a real interpreter as a collector
(collectors/runners.c, harness/python_run.c), end to end.

`gctune sweep -c python311 -w trees` (the interpreter found as gctune finds
it: $GCTUNE_PYTHON_3_11, python3.11, $PYENV_ROOT/versions/3.11.*, python3)
must give an ordinary result directory: one record per process with its
throughput, its collections per generation and a pauses file with one row
per collection (kind gen0..gen2); the same thresholds give the same
collections in every process (CPython is deterministic here, as the model
is); gc.freeze() after the set-up (freeze=1) and gc.disable() (gen0=0) reach
the interpreter (no collection at all with gen0 0).  An interpreter that is
not there fails its configurations with a reason that says what was looked
for, and the sweep goes on.  Skips (77) when no CPython 3.11 is found.

Exit status: 0 all good, 1 a failure, 77 skipped.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def sweep(gctune, out, *args, env=None):
    return subprocess.run([gctune, "sweep", "-c", "python311", "-w", "trees", "-p", "depth=6",
                           "-p", "long_depth=8", "--ops", "20", "--no-plots", "--quiet",
                           "--out", out] + list(args),
                          capture_output=True, text=True, timeout=600, env=env)


def report_md(gctune, out):
    p = subprocess.run([gctune, "report", out], capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, "gctune report %s: %s" % (out, p.stderr[-300:]))
    path = os.path.join(out, "report.md")
    return open(path).read() if os.path.exists(path) else ""


def transfer_pngs(out):
    d = os.path.join(out, "plots")
    return sorted(f for f in os.listdir(d) if f.startswith("transfer-") and f.endswith(".png")) \
        if os.path.isdir(d) else []


def check_transfer_figures(gctune, tmp, both, real_only):
    """transfer --plot draws transfer-<workload> (and nothing else) where a
    model and its real interpreter ran one grid; gctune report has the section
    with the table and the figure there, and neither where one side is
    missing."""
    drawing = bool(shutil.which("gnuplot") or os.environ.get("GCTUNE_GNUPLOT"))
    heading = "## Model against the real interpreter"
    p = subprocess.run([gctune, "transfer", both, "--plot"], capture_output=True, text=True,
                       timeout=600)
    if drawing:
        png = os.path.join(both, "plots", "transfer-trees.png")
        check(p.returncode == 0 and os.path.exists(png) and os.path.getsize(png) > 1000,
              "transfer --plot draws transfer-trees.png (%d %r)" % (p.returncode, p.stderr[-300:]))
        others = [f for f in os.listdir(os.path.join(both, "plots"))
                  if f.endswith(".png") and not f.startswith("transfer-")]
        check(not others, "transfer --plot draws the transfer figures alone: %r" % others)
        data = os.path.join(both, "plots", "data", "transfer-trees-1.csv")
        pts = rows(data) if os.path.exists(data) else []
        check(len(pts) == 3 and sum(r["default"] == "1" for r in pts) == 1 and
              all(float(r["mx"]) > 0 and float(r["ry"]) > 0 for r in pts),
              "the figure's data: the 3 settings, one of them the default: %r" % pts)
    md = report_md(gctune, both)
    sec = md.split(heading, 1)[1].split("\n## ", 1)[0] if heading in md else ""
    check(sec and "| trees | python311 (gencycle) | 3 |" in sec,
          "the report has the section with the transfer table: %r" % sec[:600])
    if drawing:
        check("plots/transfer-trees.png" in sec, "the section shows transfer-trees: %r" % sec[-600:])
    # One side alone: no figure, no section.
    p = subprocess.run([gctune, "transfer", real_only, "--plot"], capture_output=True, text=True)
    check(p.returncode == 2 and not transfer_pngs(real_only),
          "transfer --plot without a model: exit 2, nothing drawn (%d %r)" %
          (p.returncode, transfer_pngs(real_only)))
    model_only = os.path.join(tmp, "model-only")
    p = subprocess.run([gctune, "sweep", "-c", "gencycle", "-w", "trees", "-p", "depth=6",
                        "-p", "long_depth=8", "--ops", "20", "--gen0", "100,700,10000",
                        "--gen1", "10", "--gen2", "10", "--reps", "1", "--quiet",
                        "--out", model_only], capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, "the model-only sweep: %s" % p.stderr[-300:])
    for out in (real_only, model_only):
        md = report_md(gctune, out)
        check(md and heading not in md, "%s: no transfer section in the report" % out)
        check(not transfer_pngs(out), "%s: no transfer figure: %r" % (out, transfer_pngs(out)))
    if drawing:
        check(os.path.exists(os.path.join(model_only, "plots", "throughput-gen0.png")),
              "the model-only directory drew its other figures (the check above means something)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gctune", required=True)
    a = ap.parse_args()
    if not shutil.which("python3.11") and not os.environ.get("PYENV_ROOT") and subprocess.run(
            ["python3", "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 11))"]).returncode:
        print("SKIP: no CPython 3.11 here")
        return 77
    tmp = tempfile.mkdtemp(prefix="gct-pysweep-")
    try:
        out = os.path.join(tmp, "a")
        p = sweep(a.gctune, out, "--gen0", "0,100,700", "--gen1", "10", "--gen2", "10",
                  "-k", "freeze=0,1", "--reps", "2")
        check(p.returncode == 0, "the sweep exits 0: %s" % p.stderr[-400:])
        recs = rows(os.path.join(out, "results.csv"))
        check(len(recs) == 6 * 2 + 2, "6 configurations and a twin x 2 processes: %d" % len(recs))
        by = {}
        for r in recs:
            check(r["status"] == "ok", "%s: %s" % (r["config_id"], r["reason"]))
            check(float(r["ops_per_s"]) > 0, "%s measured its throughput" % r["config_id"])
            check(r["extra"].startswith("python=3.11"), "the interpreter's version: %s" % r["extra"])
            by.setdefault(r["config_id"], []).append(r)
        for cid, rs in by.items():
            colls = {(r["collections_gen0"], r["collections_gen1"], r["collections_gen2"]) for r in rs}
            check(len(colls) == 1, "%s: the same collections in every process: %s" % (cid, colls))
            n = sum(int(x) for x in next(iter(colls)))
            if ".gen0-0." in cid:
                check(n == 0, "%s: gc.disable() collects nothing (%d)" % (cid, n))
            else:
                check(n > 0, "%s: it collected" % cid)
            pf = os.path.join(out, "pauses", cid + ".csv")
            check(os.path.exists(pf), "%s has a pauses file" % cid)
            if os.path.exists(pf):
                pr = rows(pf)
                check(len(pr) == sum(int(r["pauses"]) for r in rs),
                      "%s: one pause row per collection" % cid)
                check(all(x["kind"] in ("gen0", "gen1", "gen2") for x in pr), "%s: kinds" % cid)
        frozen = [c for c in by if "freeze-1" in c]
        check(len(frozen) == 3, "freeze=1 ran with every gen0: %s" % sorted(by))
        # The user's own module (the README's example) through sweep, report
        # and tune, unedited; a model refuses it (exit 2, nothing written).
        mod = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "python", "examples", "my_app_bench.py")
        out3 = os.path.join(tmp, "user")
        p = subprocess.run([a.gctune, "sweep", "-c", "python311", "-w", "python:" + mod,
                            "--gen0", "700,10000", "--gen1", "10", "--gen2", "10", "--reps", "2",
                            "--ops", "300", "--no-plots", "--quiet", "--out", out3],
                           capture_output=True, text=True, timeout=600)
        check(p.returncode == 0, "sweep of the user's module: %s" % p.stderr[-300:])
        recs = rows(os.path.join(out3, "results.csv"))
        check(recs and all(r["status"] == "ok" and r["workload"] == "py-my_app_bench"
                           for r in recs), "the module's records: %r" %
              [(r["workload"], r["reason"]) for r in recs])
        p = subprocess.run([a.gctune, "report", out3, "--no-plots"], capture_output=True,
                           text=True)
        md = open(os.path.join(out3, "report.md")).read() if p.returncode == 0 else ""
        check("gc.set_threshold(" in md and "py-my_app_bench on CPython 3.11 (python311)" in md,
              "the report recommends for the module: %s" % p.stderr[-300:])
        p = subprocess.run([a.gctune, "tune", "-c", "python311", "-w", "python:" + mod,
                            "--gen0", "700,10000", "--gen1", "10", "--gen2", "10", "--ops", "300",
                            "--budget", "100%", "--no-plots", "--quiet",
                            "--out", os.path.join(tmp, "usertune")],
                           capture_output=True, text=True, timeout=600)
        check(p.returncode == 0 and "gc.set_threshold(" in p.stdout,
              "tune on the module pastes a line: %s %s" % (p.stdout[-300:], p.stderr[-300:]))
        bad = os.path.join(tmp, "bad")
        p = subprocess.run([a.gctune, "sweep", "-c", "gencycle", "-w", "python:" + mod,
                            "--out", bad], capture_output=True, text=True)
        check(p.returncode == 2 and "only on a real interpreter" in p.stderr and
              not os.path.exists(bad), "a model refuses the module: %r" % p.stderr)
        # Bad scripts: a syntax error or no op() is exit 2 naming FILE:LINE,
        # nothing written; an exception in op() fails the configuration with
        # the exception's last line, and the sweep goes on.
        cases = {"syntax.py": ("def setup(p, s):\n    return 1\ndef op(s)\n    pass\n",
                               "syntax.py:3: SyntaxError"),
                 "noop.py": ("def setup(p, s):\n    return 1\n", "noop.py:1: defines no op()")}
        for name, (text, want) in cases.items():
            f = os.path.join(tmp, name)
            with open(f, "w") as fh:
                fh.write(text)
            d = os.path.join(tmp, "out-" + name)
            p = subprocess.run([a.gctune, "sweep", "-c", "python311", "-w", "python:" + f,
                                "--out", d, "--ops", "5"], capture_output=True, text=True)
            check(p.returncode == 2 and want in p.stderr and not os.path.exists(d),
                  "%s: exit 2 naming %s (%d, %r)" % (name, want, p.returncode, p.stderr))
        f = os.path.join(tmp, "boom.py")
        with open(f, "w") as fh:
            fh.write("def setup(p, s):\n    return [0]\n"
                     "def op(s):\n    s[0] += 1\n    if s[0] == 3:\n"
                     "        raise ValueError('boom at 3')\n")
        d = os.path.join(tmp, "out-boom")
        p = subprocess.run([a.gctune, "sweep", "-c", "python311", "-w", "python:" + f,
                            "--gen0", "700,2000", "--gen1", "10", "--gen2", "10", "--reps", "1",
                            "--ops", "5", "--no-plots", "--quiet", "--out", d],
                           capture_output=True, text=True, timeout=600)
        recs = rows(os.path.join(d, "results.csv")) if os.path.exists(d) else []
        check(len(recs) >= 2 and all(r["status"] == "failed" and "ValueError: boom at 3"
                                     in r["reason"] for r in recs),
              "an exception in op() fails each configuration with its last line: %r" %
              [r["reason"] for r in recs])
        # transfer: the model against the real interpreter over one grid.
        out4 = os.path.join(tmp, "transfer")
        p = subprocess.run([a.gctune, "sweep", "-c", "gencycle,python311", "-w", "trees",
                            "-p", "depth=6", "-p", "long_depth=8", "--ops", "20",
                            "--gen0", "100,700,10000", "--gen1", "10", "--gen2", "10",
                            "--reps", "1", "--no-plots", "--quiet", "--out", out4],
                           capture_output=True, text=True, timeout=600)
        check(p.returncode == 0, "sweep for transfer: %s" % p.stderr[-300:])
        p = subprocess.run([a.gctune, "transfer", out4, "--json"], capture_output=True, text=True)
        try:
            tj = json.loads(p.stdout)
        except ValueError:
            tj = []
        check(p.returncode == 0 and len(tj) == 1 and tj[0]["pairs"] == 3 and
              tj[0]["model"] == "gencycle" and tj[0]["real"] == "python311" and
              tj[0]["rho_ops"] is not None and -1 <= tj[0]["rho_ops"] <= 1,
              "transfer pairs the 3 settings: %r %s" % (tj, p.stderr[-300:]))
        # The real interpreter has an A/A twin of its own (its noise is not the
        # model's), and transfer reports it beside the grid's real spread.
        twins = sorted(r["collector"] for r in rows(os.path.join(out4, "results.csv"))
                       if r["aa_of"])
        check(twins == ["gencycle", "python311"], "a twin per model and per interpreter: %r"
              % twins)
        check(tj and tj[0].get("real_floor") is not None and tj[0].get("real_spread") is not None
              and tj[0].get("real_gc_share") is not None,
              "transfer gives the real side's floor, spread and GC share: %r" % tj)
        p = subprocess.run([a.gctune, "transfer", out], capture_output=True, text=True)
        check(p.returncode == 2 and "no model and real interpreter" in p.stderr,
              "transfer without a model: exit 2 (%d %r)" % (p.returncode, p.stderr))
        # The scatter figures and the report section: for the model and the
        # real interpreter (out4), not for the real one alone (out) nor for a
        # model alone (out5).  Figures only where gnuplot is.
        check_transfer_figures(a.gctune, tmp, out4, out)
        # No interpreter: the configurations fail with what was looked for.
        env = dict(os.environ, GCTUNE_PYTHON_3_11="/nonexistent/python3.11")
        out2 = os.path.join(tmp, "b")
        p = sweep(a.gctune, out2, "--gen0", "700", "--gen1", "10", "--gen2", "10", "--reps", "1",
                  env=env)
        recs = rows(os.path.join(out2, "results.csv"))
        check(recs and all(r["status"] == "failed" and "GCTUNE_PYTHON_3_11" in r["reason"]
                           for r in recs), "a missing interpreter is named: %r" %
              [r["reason"] for r in recs])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("check-python-sweep: %d failure%s" % (len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
