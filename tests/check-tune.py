#!/usr/bin/env python3
"""check-tune.py --gctune PATH -- `gctune tune` end to end (docs/tuning.md).

On a tiny grid (gencycle on trees and cache, gen0 100/700/10000, gen1
10/100), with the model's peak memory as the objective (deterministic: the
same in every process, so the answer must not depend on the machine's
noise):
 - the run ends with `import gc` and a gc.set_threshold(...) line per
   workload, whose thresholds are those of a configuration that ran, and
   whose memory is the least of the grid's candidates by their medians;
 - OUT is an ordinary result directory holding every process of every rung
   (results.csv has one row per process tune says it ran; repetitions are
   numbered on, without a duplicate), OUT/rungs/K are result directories too,
   tune.json says what each rung kept and dropped and why;
 - `gctune compare OUT:DEFAULT OUT:RECOMMENDED` works on it;
 - the same seed gives the same decisions and the same answer;
 - a limit nothing meets (--max-peak 1k) exits 1 and says which limit binds
   and by how much; bad input exits 2 naming the value (an unknown
   objective, a malformed limit, a collector that is not CPython's, no
   workload, a budget smaller than the first rung).

Exit status: 0 all good, 1 a failure, 2 bad usage.
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

GRID = ["--gen0", "100,700,10000", "--gen1", "10,100", "--gen2", "10", "--ops", "150",
        "--no-plots", "--quiet"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def tune(gctune, out, *args):
    p = subprocess.run([gctune, "tune", "-w", "trees,cache", "--objective", "memory",
                        "--budget", "50%", "--out", out] + GRID + list(args),
                       capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gctune", required=True)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gct-tune-")
    try:
        out1, out2 = os.path.join(tmp, "t1"), os.path.join(tmp, "t2")
        rc, so, se = tune(a.gctune, out1)
        check(rc == 0, "tune exits 0 (%d): %s" % (rc, se[-500:]))
        lines = re.findall(r"gc\.set_threshold\((\d+), (\d+), (\d+)\)", so)
        check(len(lines) == 2 and so.count("import gc") == 2,
              "one paste block per workload: %r" % so)
        summary = rows_of(os.path.join(out1, "summary.csv"))
        tj = json.load(open(os.path.join(out1, "tune.json")))
        rec = tj.get("recommendations", {})
        for wl, (g0, g1, g2) in zip(["trees", "cache"], lines):
            cid = rec.get(wl, {}).get("recommendation")
            check(cid == "gencycle.%s.gen0-%s.gen1-%s.gen2-%s" % (wl, g0, g1, g2),
                  "%s: the pasted line is the recommendation %s" % (wl, cid))
            cands = [r for r in summary if r["workload"] == wl and not r["aa_of"]]
            peak = {r["config_id"]: float(r["peak_bytes_median"]) for r in cands}
            check(cid in peak and peak[cid] == min(peak.values()),
                  "%s: the least peak memory (%s: %s of %s)" % (wl, cid, peak.get(cid), peak))
        # Every process of every rung, once.
        rows = rows_of(os.path.join(out1, "results.csv"))
        check(len(rows) == tj["processes"], "%d rows, %d processes" % (len(rows), tj["processes"]))
        seen = set()
        for r in rows:
            key = (r["config_id"], r["rep"])
            check(key not in seen, "repetition %s of %s twice" % key[::-1])
            seen.add(key)
        nrung = len(tj["rungs"])
        check(nrung >= 2, "more than one rung with 50%% of the grid: %d" % nrung)
        total = 0
        for k in range(nrung):
            d = os.path.join(out1, "rungs", str(k))
            check(os.path.exists(os.path.join(d, "summary.csv")), "rung %d is a result dir" % k)
            total += len(rows_of(os.path.join(d, "results.csv")))
        check(total == len(rows), "the rungs' processes are OUT's: %d vs %d" % (total, len(rows)))
        decisions = [c["decision"] for r in tj["rungs"] for w in r["decisions"].values() for c in w]
        check("kept" in decisions and any(d != "kept" for d in decisions),
              "rungs keep some and drop some: %r" % decisions)
        for r in tj["rungs"]:
            for w in r["decisions"].values():
                for c in w:
                    check(c["decision"] == "kept" or c.get("why"), "a drop says why: %r" % c)
        # compare works on OUT.
        t = rec["trees"]
        p = subprocess.run([a.gctune, "compare", "%s:%s" % (out1, t["default"]),
                            "%s:%s" % (out1, t["recommendation"])], capture_output=True, text=True)
        check(p.returncode == 0 and t["recommendation"] in p.stdout,
              "compare names the recommendation: %r" % p.stdout[-400:])
        check(p.returncode == 0, "compare on OUT: %d %s" % (p.returncode, p.stderr[-300:]))
        # The same seed, the same decisions.
        rc2, so2, _ = tune(a.gctune, out2)
        tj2 = json.load(open(os.path.join(out2, "tune.json")))
        strip = lambda j: [{w: [(c["config"], c["decision"]) for c in cs]
                            for w, cs in r["decisions"].items()} for r in j["rungs"]]
        check(rc2 == 0 and strip(tj) == strip(tj2) and tj["recommendations"] ==
              json.loads(json.dumps(tj2["recommendations"]).replace(out2, out1)),
              "the same seed decides the same")
        # Nothing feasible.
        rc, so, se = tune(a.gctune, os.path.join(tmp, "t3"), "--max-peak", "1k")
        check(rc == 1, "an impossible limit exits 1 (%d)" % rc)
        check("nothing meets peak memory <=" in so and "over the limit" in so,
              "it names the binding limit and by how much: %r" % so[-600:])
        # Bad input: exit 2, naming the value, nothing written.
        for args, needle in [(["--objective", "speed"], "speed"),
                             (["--max-p99", "fast"], "fast"),
                             (["-c", "marksweep"], "marksweep"),
                             (["--budget", "3"], "--budget"),
                             (["--eta", "1"], "--eta")]:
            d = os.path.join(tmp, "bad")
            rc, so, se = tune(a.gctune, d, *args)
            check(rc == 2 and needle in se, "%s: exit 2 naming %s (%d, %r)" % (args, needle, rc, se))
            check(not os.path.exists(os.path.join(d, "results.csv")), "%s wrote results" % args)
        p = subprocess.run([a.gctune, "tune", "--out", os.path.join(tmp, "bad")] + GRID,
                           capture_output=True, text=True)
        check(p.returncode == 2 and "-w" in p.stderr, "no workload: exit 2 (%r)" % p.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("check-tune: %d failure%s" % (len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
