#!/usr/bin/env python3
"""check-prefork.py --gctune PATH -- the pre-fork scenario (harness/prefork.c,
python/runner.py --prefork), end to end.

- The proof that a model's gc.freeze() keeps the collector off the frozen
  heap: trees on the 3.11 and 3.13 models, 2 workers.  Without freeze a
  worker's collections (full ones among them) copy nearly every page that
  held the parent's objects; with freeze the workers copy exactly the pages
  they copy with the collector disabled (their own allocations into the
  parent's last pages): the collector wrote to none.
- Private dirty memory per worker is smaller with freeze, and the report's
  pre-fork section says what freeze saves.
- The real CPython 3.11 runs the same scenario (skipped without one): each
  record has its workers' private dirty memory and PSS.
- Bad --prefork values are exit 2, naming them; gctune run refuses it.

Exit status: 0, 1 a failure.
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, python311, rows, run  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gctune", required=True)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gct-prefork-")
    try:
        out = os.path.join(tmp, "m")
        # A long-lived tree small enough (8191 nodes) for the workers' young
        # garbage to reach CPython's 25% rule: full collections run.
        p = run([a.gctune, "sweep", "-c", "gencycle,gencycle313", "-w", "trees", "-p", "depth=8",
                 "-p", "long_depth=12", "-k", "freeze=0,1", "--gen0", "0,700", "--gen1", "10",
                 "--gen2", "10", "--ops", "1500", "--reps", "2", "--no-aa", "--prefork", "2",
                 "--no-plots", "--quiet", "--out", out])
        check(p.returncode == 0, "the pre-fork sweep: %s" % p.stderr[-400:])
        by = {}
        for r in rows(os.path.join(out, "results.csv")):
            check(r["status"] == "ok", "%s: %s" % (r["config_id"], r["reason"]))
            check(r["prefork_workers"] == "2", "%s forked 2 workers" % r["config_id"])
            key = (r["collector"], "gen0=700" in r["knobs"], "freeze=1" in r["knobs"])
            by.setdefault(key, []).append(r)
        for col in ("gencycle", "gencycle313"):
            on, off = by.get((col, True, True), []), by.get((col, True, False), [])
            quiet = by.get((col, False, True), [])
            if not (on and off and quiet):
                check(False, "%s: every configuration ran: %r" % (col, sorted(by)))
                continue
            pages = float(off[0]["heap_pages"])
            check(int(off[0]["collections_gen2"]) >= 1 and int(on[0]["collections_gen2"]) >= 1,
                  "%s: the workers ran full collections" % col)
            check(all(float(r["heap_pages_dirtied"]) >= 0.9 * pages for r in off),
                  "%s: without freeze the collections copy the parent's heap: %r of %.0f" % (
                      col, [r["heap_pages_dirtied"] for r in off], pages))
            check({r["heap_pages_dirtied"] for r in on} == {r["heap_pages_dirtied"] for r in quiet}
                  and float(on[0]["heap_pages_dirtied"]) <= 0.05 * pages,
                  "%s: with freeze the collector writes to no page of the frozen heap: "
                  "%r pages as with the collector disabled (%r), of %.0f" % (
                      col, [r["heap_pages_dirtied"] for r in on],
                      [r["heap_pages_dirtied"] for r in quiet], pages))
            check(max(float(r["private_dirty_bytes"]) for r in on) <
                  min(float(r["private_dirty_bytes"]) for r in off),
                  "%s: less private dirty memory per worker with freeze" % col)
        p = run([a.gctune, "report", out, "--no-plots"])
        md = open(os.path.join(out, "report.md")).read() if p.returncode == 0 else ""
        check("## Pre-fork workers: what gc.freeze() saves" in md and
              "trees on gencycle at 700/10/10: freeze saves " in md,
              "the report says what freeze saves")
        if shutil.which("gnuplot"):
            p = run([a.gctune, "plot", out])
            check(os.path.exists(os.path.join(out, "plots", "prefork-trees.png")),
                  "the pre-fork figure is drawn: %s" % (p.stdout[-300:] + p.stderr[-300:]))
        # Bad values, and the command that does not take it.
        for bad in ("0", "65", "x"):
            d = os.path.join(tmp, "bad" + bad)
            p = run([a.gctune, "sweep", "-c", "gencycle", "-w", "trees", "--prefork", bad,
                     "--out", d])
            check(p.returncode == 2 and "--prefork '%s'" % bad in p.stderr and
                  not os.path.exists(d), "--prefork %s: exit 2 naming it (%r)" % (bad, p.stderr))
        p = run([a.gctune, "run", "-c", "gencycle", "-w", "trees", "--prefork", "2"])
        check(p.returncode == 2 and "--prefork is for gctune sweep" in p.stderr,
              "run refuses --prefork: %r" % p.stderr)
        # The real interpreter, side by side.
        if python311() or os.environ.get("PYENV_ROOT"):
            out2 = os.path.join(tmp, "real")
            p = run([a.gctune, "sweep", "-c", "python311", "-w", "requests", "-p",
                     "old_objects=20000", "-k", "freeze=0,1", "--gen0", "700", "--gen1", "10",
                     "--gen2", "10", "--ops", "200", "--reps", "1", "--no-aa", "--prefork", "2",
                     "--no-plots", "--quiet", "--out", out2])
            recs = rows(os.path.join(out2, "results.csv"))
            check(p.returncode == 0 and len(recs) == 2 and
                  all(r["status"] == "ok" and r["prefork_workers"] == "2" and
                      float(r["private_dirty_bytes"]) > 0 and float(r["pss_bytes"]) > 0
                      for r in recs),
                  "the real interpreter's workers report their memory: %r %s" % (
                      [(r["status"], r["reason"], r["private_dirty_bytes"]) for r in recs],
                      p.stderr[-300:]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("check-prefork")


if __name__ == "__main__":
    sys.exit(main())
