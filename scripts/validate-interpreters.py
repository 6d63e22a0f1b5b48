#!/usr/bin/env python3
"""validate-interpreters.py -- every CPython model against every real
interpreter of its version found on this machine, case by case
(`gctune validate --interpreters` runs this).

    scripts/validate-interpreters.py --gctune build-release/harness/gctune
    scripts/validate-interpreters.py --gctune ... --random 40 --jobs 2 --json out.json

The interpreters: the system's python3 and every $PYENV_ROOT/versions/*/bin/
python3 (CPython 3.11, 3.12, 3.13 here), and the Pyodide packages (real
CPython 3.14.2 and 3.15.0rc1 compiled to WebAssembly, run with Node.js) that
tests/oracle/pyodide/install.sh puts under $GCT_PYODIDE_DIR.  Each runs the
cases on the model of its version (tests/oracle/trace_oracle.py says which
model that is and how its micro release becomes a knob); one that is missing
is listed as skipped with the reason, never silently.

The cases, each a heap-operation trace (docs/traces.md) converted to a Python
program for the interpreter and replayed by `gctune replay` for the model:
  corpus     the hand-written traces of tests/traces (objects kept, cycles,
             chains, mixes, tuples of atoms, freeze, explicit collects, ...)
  grid       each of them again under the thresholds of --grid (a
             `threshold` line put first)
  random     --random seeded random programs (allocations, stores, drops,
             tuples, explicit collections, safepoints, enable/disable) under
             small thresholds, so that automatic collections run often
  workloads  every workload's operations, recorded by `gctune run --trace`
             (the variants without weak references, a few operations each),
             at the model's defaults and under the --grid thresholds
A case matches when the two JSON documents are equal: every collection (the
operation and allocation it ran at, its generation, collected,
uncollectable) and the end state (get_count(), get_stats()).

Prints the table cases x interpreters ("matched/run"), then every mismatch
with the first difference.  Exit status: 0 all matched, 1 a mismatch or a
failure, 2 bad usage.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))
import trace_oracle as oracle  # noqa: E402  (interpreters, conversion, replay)

VERSION_MODEL = {(3, 11): "gencycle", (3, 12): "gencycle312", (3, 13): "gencycle313",
                 (3, 15): "gencycle315"}

# Workloads recorded for the workloads cases: small settings, so that a trace
# stays a few thousand lines (a trace reaches an object by loads from a root).
WORKLOADS = [
    ("trees", ["--ops", "3", "-p", "depth=5", "-p", "long_depth=6"]),
    ("dlist", ["--ops", "60", "-p", "lists=4", "-p", "length=30", "-p", "drop_every=20"]),
    ("cache", ["--ops", "400", "-p", "keys=500", "-p", "capacity=100"]),
    ("requests", ["--ops", "12", "-p", "old_objects=300", "-p", "request_objects=60",
                  "-p", "cyclic=0.3"]),
    ("longlived", ["--ops", "40", "-p", "live_objects=3000", "-p", "initial=1000",
                   "-p", "young=60", "-p", "survive=0.05"]),
]


def model_of(release):
    """(model, knobs) for an interpreter's (major, minor, micro)."""
    if release[:2] == (3, 14):
        if release[2] >= 5:
            return "gencycle315", []
        return "gencycle314", ["-k", "patch=%d" % release[2]]
    model = VERSION_MODEL.get(release[:2])
    if model is None:
        return None, None
    return model, (["-k", "patch=%d" % release[2]] if model == "gencycle312" else [])


def interpreters(tmp):
    """[(Interpreter, model, knobs)] and [(what, why skipped)]."""
    found, skipped, seen = [], [], set()
    paths = [shutil.which("python3"), "/usr/bin/python3"]
    root = os.environ.get("PYENV_ROOT")
    if root:
        paths += sorted(glob.glob(os.path.join(root, "versions", "*", "bin", "python3")))
    else:
        skipped.append(("$PYENV_ROOT/versions/*", "PYENV_ROOT is not set"))
    for p in paths:
        if not p or not os.path.exists(p):
            continue
        real = os.path.realpath(p)
        name, ver, full = oracle.probe([p], tmp)
        if name is None:
            skipped.append((p, "does not run: %s" % ver))
            continue
        if (name, full) in seen or real in seen:
            continue
        seen.update([(name, full), real])
        model, knobs = model_of(ver) if name == "cpython" else (None, None)
        if model is None:
            skipped.append((p, "%s %s: no model of that version" % (name, full)))
            continue
        found.append((oracle.Interpreter([p], ver, full, p), model, knobs))
    for version, model in (("3.14", "gencycle314"), ("3.15", "gencycle315")):
        interp, why = oracle.find_interpreter(model, tmp)
        if interp is None or interp.cmd[0] != shutil.which("node"):
            if interp is None:
                skipped.append(("CPython %s (Pyodide)" % version, why))
            continue
        m, knobs = model_of(interp.release)
        found.append((interp, m, knobs))
    # 3.14's increment budget counts the whole heap: the converted program
    # pins it (the converter's frozen HEAP0 objects; trace_oracle.py says why
    # a few of them are not counted).
    base = oracle.converter_constant("HEAP0") - oracle.HEAP_SIZE_UNCOUNTED
    found = [(i, m, k + (["-k", "heap_base=%d" % base] if m == "gencycle314" else []))
             for i, m, k in found]
    return found, skipped


# ---- the cases ----------------------------------------------------------------

def with_thresholds(src, dst, t):
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines(True)
    lines.insert(1, "threshold %d %d %d\n" % t)
    with open(dst, "w", encoding="utf-8") as f:
        f.writelines(lines)


def random_trace(seed, n, path):
    """A random program: deterministic for its seed."""
    r = random.Random(seed)
    out = ["gctune-trace 1  # random, seed %d" % seed,
           "threshold %d %d %d" % (r.choice([5, 10, 30, 100, 700, 2000]), r.randint(1, 12),
                                   r.randint(1, 12))]
    kinds = []  # per root: slots (> 0), 0 for an atom, -1 for a tuple, None for None
    for _ in range(n):
        x = r.random()
        d = len(kinds)
        if x < 0.33 or d < 3:
            k = r.randint(1, 3)
            out.append("new %d" % k)
            kinds.append(k)
        elif x < 0.37:
            out.append("atom")
            kinds.append(0)
        elif x < 0.45:
            out.append("tuple %d" % r.randint(1, 3))
            kinds.append(-1)
        elif x < 0.68:
            i = r.randrange(d)
            if kinds[i]:
                if kinds[i] > 0:
                    j = r.randrange(d) if r.random() < 0.9 else None
                    out.append("store %d %d %s" % (i, r.randrange(kinds[i]),
                                                   "-" if j is None else j))
        elif x < 0.87:
            k = min(d - 1, r.randint(1, 3))
            if k > 0:
                out.append("pop %d" % k)
                del kinds[-k:]
        elif x < 0.90:
            i = r.randrange(d)
            out.append("dup %d" % i)
            kinds.append(kinds[i])
        elif x < 0.91:
            out.append("collect %d" % r.randint(0, 2))
        elif x < 0.93:
            out.append("safepoint")
        elif x < 0.935:
            out.append("disable")
        elif x < 0.945:
            out.append("enable")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def record_workload(gctune, name, args, path):
    cmd = [gctune, "run", "-w", name, "-c", "gencycle", "--reps", "1", "--trace", path] + args
    rc, _, err = oracle.run(cmd, timeout=300)
    return None if rc == 0 else "gctune run --trace failed (exit %s): %s" % (rc, err.strip())


def cases(a, tmp):
    """[(group, name, trace path)], and the failures to record any."""
    out, failed = [], []
    corpus = sorted(glob.glob(os.path.join(oracle.TRACES, "*.trace")))
    if "corpus" in a.groups:
        for t in corpus:
            out.append(("corpus", os.path.basename(t)[:-6], t))
    for g in a.grid:
        for t in corpus:
            name = "%s@%d/%d/%d" % ((os.path.basename(t)[:-6],) + g)
            p = os.path.join(tmp, name.replace("/", "_").replace("@", "-") + ".trace")
            with_thresholds(t, p, g)
            out.append(("grid", name, p))
    for k in range(a.random):
        s = a.seed + k
        p = os.path.join(tmp, "random-%d.trace" % s)
        random_trace(s, a.random_ops, p)
        out.append(("random", "random-%d" % s, p))
    if a.workloads:
        for name, args in WORKLOADS:
            p = os.path.join(tmp, "workload-%s.trace" % name)
            why = record_workload(a.gctune, name, args, p)
            if why:
                failed.append(("workloads", name, why))
                continue
            out.append(("workloads", name, p))
            for g in a.grid:
                q = os.path.join(tmp, "workload-%s-%d_%d_%d.trace" % ((name,) + g))
                with_thresholds(p, q, g)
                out.append(("workloads", "%s@%d/%d/%d" % ((name,) + g), q))
    return out, failed


def first_difference(real, model):
    ca, cb = real["collections"], model["collections"]
    for i, (x, y) in enumerate(zip(ca, cb)):
        if x != y:
            return "collection %d: real %s, model %s" % (i + 1, json.dumps(x), json.dumps(y))
    if len(ca) != len(cb):
        return "%d collections real, %d model" % (len(ca), len(cb))
    return "end state: real %s, model %s" % (json.dumps(oracle.end_state(real)),
                                            json.dumps(oracle.end_state(model)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gctune", required=True, help="the gctune binary")
    ap.add_argument("--grid", default="10/10/10,100/2/2,3000/5/5",
                    help="thresholds for the grid cases (default: 10/10/10,100/2/2,3000/5/5; "
                         "'' for none)")
    ap.add_argument("--random", type=int, default=12, help="random traces (default 12)")
    ap.add_argument("--random-ops", type=int, default=1500,
                    help="operations of each random trace (default 1500)")
    ap.add_argument("--seed", type=int, default=1, help="first random seed (default 1)")
    ap.add_argument("--no-workloads", dest="workloads", action="store_false",
                    help="skip the recorded workloads")
    ap.add_argument("--groups", default="corpus,grid,random,workloads",
                    help="which groups of cases (default: all four)")
    ap.add_argument("--jobs", type=int, default=2, help="programs run at once (default 2)")
    ap.add_argument("--json", metavar="PATH", help="also write every result as JSON")
    a = ap.parse_args()
    try:
        a.grid = [tuple(int(x) for x in g.split("/")) for g in a.grid.split(",") if g.strip()]
        if any(len(g) != 3 or min(g) < 0 for g in a.grid):
            raise ValueError
    except ValueError:
        print("validate-interpreters.py: --grid %r: expected T0/T1/T2,..." % a.grid,
              file=sys.stderr)
        return 2
    a.groups = [g.strip() for g in a.groups.split(",") if g.strip()]
    unknown = [g for g in a.groups if g not in ("corpus", "grid", "random", "workloads")]
    if unknown or not a.groups:
        print("validate-interpreters.py: --groups: unknown group %r (corpus, grid, random, "
              "workloads)" % (unknown[0] if unknown else ""), file=sys.stderr)
        return 2
    if "grid" not in a.groups:
        a.grid = []
    if "random" not in a.groups:
        a.random = 0
    if "workloads" not in a.groups:
        a.workloads = False
    if a.random < 0 or a.random_ops < 1 or a.jobs < 1:
        print("validate-interpreters.py: --random, --random-ops and --jobs must be positive",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gct-validate-") as tmp:
        found, skipped = interpreters(tmp)
        todo, failed = cases(a, tmp)
        results = []  # (group, case, interp label, status, detail)

        def one(job):
            (group, name, trace), (interp, model, knobs) = job
            label = "%s %s" % (model, interp.version)
            real, _, why = oracle.cpython_json(interp, trace, tmp)
            if why:
                return group, name, label, "failed", "real: " + why
            mod, _, why = oracle.gctune_json(a.gctune, trace, [model] + knobs)
            if why:
                return group, name, label, "failed", "model: " + why
            if real == mod:
                return group, name, label, "match", ""
            return group, name, label, "MISMATCH", first_difference(real, mod)

        jobs = [(c, i) for i in found for c in todo]
        n = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
            for r in pool.map(one, jobs):
                n += 1
                results.append(r)
                if r[3] != "match":
                    print("  %s: %s %s on %s: %s" % (r[3], r[0], r[1], r[2], r[4]),
                          file=sys.stderr)
                if n % 25 == 0 or n == len(jobs):
                    print("validate: %d/%d" % (n, len(jobs)), file=sys.stderr)
    labels = ["%s %s" % (m, i.version) for i, m, _ in found]
    groups = ["corpus", "grid", "random", "workloads"]
    print("Every CPython model against every interpreter of its version: cases matched/run")
    print()
    w = max([len(g) for g in groups] + [6])
    print("%-*s  %s" % (w, "cases", "  ".join("%22s" % l for l in labels)))
    tot_run = tot_ok = 0
    for g in groups:
        cells = []
        for l in labels:
            rs = [r for r in results if r[0] == g and r[2] == l]
            ok = sum(1 for r in rs if r[3] == "match")
            tot_run += len(rs)
            tot_ok += ok
            cells.append("%22s" % ("%d/%d" % (ok, len(rs)) if rs else "-"))
        print("%-*s  %s" % (w, g, "  ".join(cells)))
    print()
    for i, m, _ in found:
        print("  %s %s: %s" % (m, i.version, i.what))
    for what, why in skipped:
        print("  skipped %s: %s" % (what, why))
    for g, name, why in failed:
        print("  could not make the %s case %s: %s" % (g, name, why))
    bad = [r for r in results if r[3] != "match"]
    for r in bad:
        print("  %s %s %s on %s: %s" % (r[3], r[0], r[1], r[2], r[4]))
    print()
    print("%d of %d case runs matched, %d cases x %d interpreters, %d interpreters skipped"
          % (tot_ok, tot_run, len(todo), len(found), len(skipped)))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"interpreters": [{"model": m, "version": i.version, "what": i.what}
                                        for i, m, _ in found],
                       "skipped": [{"what": w_, "why": y} for w_, y in skipped],
                       "results": [{"group": r[0], "case": r[1], "interpreter": r[2],
                                    "status": r[3], "detail": r[4]} for r in results]},
                      f, indent=2)
    return 1 if bad or failed or not found else 0


if __name__ == "__main__":
    sys.exit(main())
