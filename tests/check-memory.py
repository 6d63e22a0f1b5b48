#!/usr/bin/env python3
"""check-memory.py --gctune PATH -- memory over time from the models'
memory pass (harness/memory_pass.h), end to end.

- Trees at gen0 = 700 and gen0 = 5,000,000 on the 3.11 model: the larger
  threshold holds far more garbage awaiting collection and more peak live
  memory, as the model predicts (it never collects in this run); the
  report's memory section gives its cost in bytes.  Both are steady: what
  they keep reachable does not grow (garbage awaiting is a cost, not a
  trend).
- Refcount on cyclic trees leaks: not steady.  Refcount on trees without
  cycles (parent=none) is steady, with no garbage awaiting.  A long-lived
  structure still growing (longlived) is not steady.
- The memory fields are measured once per configuration (round 0), the
  same numbers a second sweep gives; compare shows them and says NOT STEADY.

Exit status: 0, 1 a failure.
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, rows, run  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gctune", required=True)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gct-memory-")
    try:
        out = os.path.join(tmp, "m")
        p = run([a.gctune, "sweep", "-c", "gencycle,refcount", "-w", "trees,longlived",
                 "-p", "trees.depth=8", "-p", "trees.long_depth=10", "-p", "trees.parent=strong,none",
                 "-p", "longlived.live_objects=40000", "-p", "longlived.initial=2000",
                 "-p", "longlived.grow=100", "--gen0", "700,5000000", "--gen1", "10", "--gen2", "10",
                 "--ops", "400", "--reps", "2", "--no-aa", "--no-plots", "--quiet", "--out", out])
        check(p.returncode == 0, "the sweep: %s" % p.stderr[-400:])
        recs = rows(os.path.join(out, "results.csv"))
        by = {}
        for r in recs:
            by.setdefault(r["config_id"], []).append(r)
            check(r["peak_rss"] and int(r["peak_rss"]) > 0, "%s has its peak RSS" % r["config_id"])
        for cid, rs in by.items():
            measured = [r for r in rs if r["garbage_max_bytes"] != ""]
            check(len(measured) == 1 and measured[0]["round"] == "0",
                  "%s: the memory pass ran once, in round 0: %r" % (cid, [r["round"] for r in measured]))

        def first(cid, field):
            for r in by.get(cid, []):
                if r[field] != "":
                    return float(r[field])
            return float("nan")

        ids = sorted(by)

        def pick(prefix, cyclic):
            """The id of prefix with parent=strong (the default: not in the id) or none."""
            return next((i for i in ids if i.startswith(prefix) and ".trees" in i and
                         ("parent-none" in i) != cyclic), "")

        lo = pick("gencycle.trees.gen0-700.", True)
        hi = pick("gencycle.trees.gen0-5000000.", True)
        rc_cyc = pick("refcount.", True)
        rc_none = pick("refcount.", False)
        ll = next((i for i in ids if i.startswith("gencycle.longlived.gen0-700.")), "")
        check(first(ll, "reachable_growth") > 0.10, "longlived's structure grows: %s"
              % first(ll, "reachable_growth"))
        check(lo and hi and rc_cyc and rc_none and ll, "the configurations: %r" % ids)
        check(first(hi, "garbage_max_bytes") > 10 * first(lo, "garbage_max_bytes") > 0,
              "gen0 5M holds far more garbage awaiting than 700: %s vs %s" % (
                  first(hi, "garbage_max_bytes"), first(lo, "garbage_max_bytes")))
        check(first(hi, "garbage_mean_bytes") > first(lo, "garbage_mean_bytes"),
              "and more on average")
        peak = {cid: float(by[cid][0]["peak_bytes"]) for cid in (lo, hi) if cid in by}
        check(peak.get(hi, 0) > peak.get(lo, 0) + (1 << 20),
              "gen0 5M has the higher peak live memory: %r" % peak)
        for cid in (lo, hi, rc_cyc, rc_none):
            check(abs(first(cid, "reachable_growth")) < 0.10,
                  "%s keeps what it keeps reachable steady: %s" % (cid, first(cid, "reachable_growth")))
        check(first(rc_none, "garbage_max_bytes") == 0,
              "refcount on acyclic trees has no garbage: %s" % first(rc_none, "garbage_max_bytes"))
        check(first(rc_cyc, "garbage_max_bytes") > first(hi, "garbage_max_bytes") / 4,
              "refcount's leaked cycles are garbage awaiting, forever")
        md = open(os.path.join(out, "report.md")).read() if os.path.exists(
            os.path.join(out, "report.md")) else ""
        check("## Memory over time (models)" in md, "the report has the memory section")
        check("Memory cost of 5000000/10/10 on gencycle: up to " in md,
              "the report gives gen0 5M's memory cost in bytes")
        check(rc_cyc + " is not steady: its collector never frees" in md,
              "the report flags refcount's leak as not steady")
        check(ll + " is not steady: the bytes it keeps reachable grew" in md,
              "the report flags a growing structure as not steady")
        check(all(c + " is not steady" not in md for c in (lo, hi, rc_none)),
              "and nothing steady (gen0 5M's garbage is a cost, not a trend)")
        # Bytes between collections: a threshold in objects, seen in bytes.
        check(first(lo, "alloc_bytes_between_gen0") > 0 and
              first(lo, "alloc_bytes_between_gen2") >= first(lo, "alloc_bytes_between_gen0"),
              "700: bytes between gen0 collections, more before a full one: %s %s" % (
                  first(lo, "alloc_bytes_between_gen0"), first(lo, "alloc_bytes_between_gen2")))
        check(first(hi, "alloc_bytes_between_gen0") != first(hi, "alloc_bytes_between_gen0"),
              "5M never collected: no window (%s)" % first(hi, "alloc_bytes_between_gen0"))
        prow = rows(os.path.join(out, "pauses", lo + ".csv"))
        check(prow and all(int(x["alloc_bytes"]) > 0 for x in prow if x["kind"] == "gen0"),
              "the pauses file gives each collection's bytes allocated before it")
        # The samples behind them, one file per configuration, and the figure.
        mem = os.path.join(out, "memory")
        files = sorted(os.listdir(mem)) if os.path.isdir(mem) else []
        check(len(files) == len(by), "one memory file per configuration: %r" % files)
        series = rows(os.path.join(mem, hi + ".csv"))
        check(len(series) == 64 and series[-1]["ops"] == "400" and
              max(int(x["garbage_bytes"]) for x in series) == int(first(hi, "garbage_max_bytes")),
              "64 samples up to the last operation, their most garbage the record's")
        if shutil.which("gnuplot"):
            p = run([a.gctune, "plot", out])
            check(os.path.exists(os.path.join(out, "plots", "memory-trees.png")),
                  "the memory figure is drawn: %s" % (p.stdout[-300:] + p.stderr[-300:]))
        # Deterministic: a second sweep measures the same memory.
        out2 = os.path.join(tmp, "m2")
        p = run([a.gctune, "sweep", "-c", "gencycle", "-w", "trees", "-p", "depth=8",
                 "-p", "long_depth=10", "-p", "parent=strong", "--gen0", "5000000", "--gen1", "10",
                 "--gen2", "10", "--ops", "400", "--reps", "1", "--no-aa", "--no-plots", "--quiet",
                 "--out", out2])
        r2 = rows(os.path.join(out2, "results.csv"))
        check(r2 and float(r2[0]["garbage_max_bytes"]) == first(hi, "garbage_max_bytes") and
              float(r2[0]["reachable_growth"]) == first(hi, "reachable_growth"),
              "the memory pass is deterministic across sweeps")
        p = run([a.gctune, "compare", out + ":" + lo, out + ":" + hi])
        check(p.returncode == 0 and "garbage max B" in p.stdout and "NOT STEADY" not in p.stdout,
              "compare shows the memory, steady: %s" % (p.stdout[-600:] + p.stderr[-300:]))
        ll_hi = next((i for i in ids if i.startswith("gencycle.longlived.gen0-5000000.")), "")
        p = run([a.gctune, "compare", out + ":" + ll_hi, out + ":" + ll])
        check(p.returncode == 0 and "B is NOT STEADY" in p.stdout,
              "compare flags the growing one: %s" % (p.stdout[-600:] + p.stderr[-300:]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("check-memory")


if __name__ == "__main__":
    sys.exit(main())
