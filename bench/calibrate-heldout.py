#!/usr/bin/env python3
"""How well the CPython cost model predicts what it was not fitted on.

Runs `gctune calibrate --json` (with a cache of its own, so the user's cached
model is left alone), prices every held-out structure with the model's own
coefficients (ns = object[g] x examined + reference[g] x traversed
+ freed[g] x freed + collection[g] x collections) and prints the ratio of
predicted to measured time.  Exit 1 if any held-out ratio is outside
[1/FACTOR, FACTOR] (default 2).

A benchmark, not a test: it times the real interpreter, so on a busy machine
a neighbour's burst can spoil one measurement.  Run it on a quiet one:
    meson test -C build-release --benchmark calibrate-heldout
    python3 bench/calibrate-heldout.py build-release/harness/gctune
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gctune", help="path of the gctune binary")
    ap.add_argument("--factor", type=float, default=2.0)
    ap.add_argument("--python", help="the interpreter to measure (default: python3 on PATH)")
    a = ap.parse_args()
    cmd = [a.gctune, "calibrate", "--json"] + (["--python", a.python] if a.python else [])
    with tempfile.TemporaryDirectory(prefix="gct-heldout-") as cache:
        env = dict(os.environ, XDG_CACHE_HOME=cache)
        run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        print(f"calibrate-heldout: {' '.join(cmd)} exited {run.returncode}")
        return 1
    model = json.loads(run.stdout)
    c = model["coefficients_ns"]
    worst, off, held = 1.0, 0, 0
    print(f"{'held-out structure':40} {'measured ns':>12} {'predicted ns':>13} {'ratio':>7}")
    for o in model["observations"]:
        if not o["holdout"]:
            continue
        g = o["generation"]
        p = (c["object"][g] * o["examined"] + c["reference"][g] * o["traversed"]
             + c["freed"][g] * o["freed"] + c["collection"][g] * o["collections"])
        r = p / o["ns"]
        held += 1
        bad = not (1 / a.factor <= r <= a.factor)
        off += bad
        worst = max(worst, r, 1 / r)
        print(f"{o['label']:40} {o['ns']:12.0f} {p:13.0f} {r:7.2f}{'  OFF' if bad else ''}")
    print(f"calibrate-heldout: {held} held out, {off} outside a factor of {a.factor:g}, "
          f"worst {worst:.2f}x")
    return 1 if off or held < 3 else 0


if __name__ == "__main__":
    sys.exit(main())
