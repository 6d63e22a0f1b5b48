#!/usr/bin/env python3
"""check-trace-record.py --gctune PATH [--cpython] -- `gctune run --trace`,
proven workload by workload (docs/traces.md, "Recording a run").

For every registered workload (`gctune list`), in each of its variants
without weak references, with a few operations and small parameters:

 (a) `gctune run -c gencycle ... --trace T --collections C --json` records
     the trace T and the live run's collections C; `gctune replay T -c
     gencycle --work` must print C exactly: every collection at the same
     trace line, after the same allocations, of the same generation, with
     the same collected, examined and traversed counts, and the same
     gc.get_count() and gc.get_stats() at the end;
 (b) the run's own record, made by the measured process (the ordinary build
     of the workload, not the recording one), must count per generation the
     collections and collected objects that the replay has after the line
     `# operation 1` (the timed part begins after the set-up).

A trace as a workload (-w trace:FILE): the trace recorded at CPython's
default thresholds is swept over gen0 on gencycle and marksweep; each
configuration's record (one replay: the preset's count) must count the
collections and collected objects of `gctune replay -c COLLECTOR -k
gen0=V`, name the workload trace-STEM and say how many trace operations a
replay is; --ops 3 replays it three times; a bad trace is refused with its
FILE:LINE before anything is written.

The variants with weak references must be refused: exit 2, a message that
names the workload and weak references, and no file (not even a temporary
one).  A workload missing from CASES fails the check: every workload must
be recordable, or say why not.

With --cpython, two of the recorded traces are also converted by
scripts/trace-to-python.py and run on CPython 3.11 (tests/oracle/
trace_oracle.py's helpers), whose JSON must equal `gctune replay -c
gencycle`'s; without a CPython 3.11 that part is skipped (said on stdout).
Where a CPython 3.12 or 3.13 is found (as trace_oracle.py finds them), the
same two workloads are recorded on gencycle312 or gencycle313, and the
replay on that model must be the live run and print the interpreter's JSON.

Exit status: 0 all good, 1 a failure, 2 bad usage.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "oracle"))
import trace_oracle  # noqa: E402  (the CPython 3.11 side: convert, run, compare)

# workload -> its variants: (what, [gctune run arguments]).  Small enough that
# the whole check takes seconds; low thresholds so that every variant
# collects, and one variant at CPython's default thresholds.
CASES = {
    "trees": [
        ("parent=strong", ["-p", "depth=3", "-p", "long_depth=4", "--ops", "6", "--gen0", "20"]),
        ("parent=none", ["-p", "depth=3", "-p", "long_depth=4", "-p", "parent=none",
                         "--ops", "6", "--gen0", "20", "--gen1", "2"]),
        ("default thresholds", ["-p", "depth=6", "-p", "long_depth=6", "--ops", "12"]),
    ],
    "dlist": [
        ("backlinks=strong", ["-p", "lists=4", "-p", "length=8", "-p", "drop_every=5",
                              "--ops", "30", "--gen0", "10", "--gen1", "3", "--gen2", "2"]),
    ],
    "cache": [
        ("values=strong", ["-p", "keys=50", "-p", "capacity=16", "-p", "value_objects=2",
                           "--ops", "40", "--gen0", "10"]),
    ],
    "requests": [
        ("cyclic=0.3", ["-p", "old_objects=200", "-p", "request_objects=40", "-p", "cyclic=0.3",
                        "-p", "writes=3", "--ops", "20", "--gen0", "30", "--gen1", "2"]),
    ],
    "longlived": [
        ("survive=0.3", ["-p", "live_objects=400", "-p", "initial=100", "-p", "grow=20",
                         "-p", "young=10", "-p", "survive=0.3", "--ops", "20", "--gen0", "15"]),
    ],
}

# Variants that make weak references: refused with exit 2.
WEAK = [
    ("trees", ["-p", "depth=2", "-p", "long_depth=3", "-p", "parent=weak", "--ops", "2"]),
    ("dlist", ["-p", "lists=2", "-p", "length=3", "-p", "backlinks=weak", "--ops", "2"]),
    ("cache", ["-p", "keys=20", "-p", "capacity=8", "-p", "values=weak", "-p", "hold=2",
               "--ops", "2"]),
]

# The trace swept as a workload: recorded at the default thresholds, so that
# the sweep's gen0 is the one that counts.
SWEPT = ("trees", "default thresholds")

# The traces that also run on the real CPython 3.11 (--cpython).
ON_CPYTHON = [("dlist", "backlinks=strong"), ("cache", "values=strong")]

COMMON = ["--no-predict", "--warmup", "0", "--json"]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    return p.returncode, p.stdout, p.stderr


def workloads(gctune):
    """The registered workloads, from `gctune list`."""
    rc, out, err = run([gctune, "list"])
    if rc != 0:
        sys.exit("gctune list failed: " + err)
    names, inside = [], False
    for line in out.splitlines():
        if line.startswith("workloads"):
            inside = True
        elif inside and line and not line.startswith(" "):
            inside = False
        elif inside and line.startswith("  ") and not line.startswith("    "):
            names.append(line.split()[0])
    return names


def first_operation_line(trace):
    with open(trace, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.startswith("# operation 1"):
                return n
    return None


def check_case(gctune, tmp, wl, what, args):
    """Record, replay, compare: (problems, a summary, the trace or None)."""
    base = os.path.join(tmp, "%s.%s" % (wl, what.replace("=", "-").replace(" ", "-")))
    trace, coll = base + ".trace", base + ".collections.json"
    rc, out, err = run([gctune, "run", "-c", "gencycle", "-w", wl] + args + COMMON +
                       ["--trace", trace, "--collections", coll])
    if rc != 0:
        return ["gctune run exited %d: %s" % (rc, err.strip())], "", None
    rc, replay, err = run([gctune, "replay", trace, "-c", "gencycle", "--work"])
    if rc != 0:
        return ["gctune replay exited %d: %s" % (rc, err.strip())], "", None
    with open(coll, encoding="utf-8") as f:
        live = f.read()
    problems = []
    if replay != live:
        problems.append("the replay's collections differ from the live run's:\n" +
                        "".join(trace_oracle.difflib.unified_diff(
                            live.splitlines(True), replay.splitlines(True),
                            "live (--collections)", "gctune replay --work")))
    got = json.loads(replay)
    if not got["collections"]:
        problems.append("no collection at all: the case proves nothing")
    record = json.loads(out)[0]
    first = first_operation_line(trace)
    if first is None:
        return problems + ["the trace has no '# operation 1' line"], "", None
    timed = [c for c in got["collections"] if c["op"] > first]
    for g in range(3):
        n = sum(1 for c in timed if c["generation"] == g)
        freed = sum(c["collected"] for c in timed if c["generation"] == g)
        if (n, freed) != (record["collections_gen%d" % g], record["collected_gen%d" % g]):
            problems.append("generation %d: the replay collects %d times (%d objects) after "
                            "line %d, the measured run %d times (%d objects)"
                            % (g, n, freed, first, record["collections_gen%d" % g],
                               record["collected_gen%d" % g]))
    summary = "%d lines, %d collections (%d timed)" % (
        sum(1 for _ in open(trace, encoding="utf-8")), len(got["collections"]), len(timed))
    return problems, summary, trace


def read_csv(path):
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_sweep(gctune, tmp, trace):
    """Sweep gen0 over a recorded trace; returns a list of problems."""
    problems = []
    out = os.path.join(tmp, "sweep")
    stem = "trace-" + os.path.basename(trace)[:-len(".trace")].replace(".", "_")
    rc, _, err = run([gctune, "sweep", "-c", "gencycle,marksweep", "-w", "trace:" + trace,
                      "--gen0", "100,700", "--gen1", "10", "--gen2", "10", "--reps", "1",
                      "--no-plots", "--no-predict", "--warmup", "0", "-q", "--out", out])
    if rc != 0:
        return ["gctune sweep exited %d: %s" % (rc, err.strip())]
    with open(trace, encoding="utf-8") as f:
        nops = sum(1 for line in f.read().splitlines()[1:]
                   if line.split("#")[0].strip())
    rows = [r for r in read_csv(os.path.join(out, "results.csv")) if not r["aa_of"]]
    if len(rows) != 4:
        problems.append("%d configurations, not 4" % len(rows))
    for r in rows:
        where = r["config_id"]
        if r["status"] != "ok" or r["workload"] != stem or r["ops"] != "1":
            problems.append("%s: status %s, workload %s, ops %s (expected ok, %s, 1)"
                            % (where, r["status"], r["workload"], r["ops"], stem))
            continue
        if "trace_operations=%d" % nops not in r["extra"]:
            problems.append("%s: extra %r lacks trace_operations=%d" % (where, r["extra"], nops))
        rc, text, err = run([gctune, "replay", trace, "-c", r["collector"], "-k",
                             "gen0=" + r["gen0"]])
        if rc != 0:
            problems.append("%s: gctune replay exited %d: %s" % (where, rc, err.strip()))
            continue
        stats = json.loads(text)["stats"]
        for g in range(3):
            want = (stats[g]["collections"], stats[g]["collected"])
            got = (int(r["collections_gen%d" % g]), int(r["collected_gen%d" % g]))
            if want != got:
                problems.append("%s, generation %d: %d collections (%d collected), the replay "
                                "%d (%d)" % ((where, g) + got + want))
    rc, text, err = run([gctune, "run", "-c", "gencycle", "-w", "trace:" + trace, "--ops", "3"] +
                        COMMON)
    if rc != 0 or json.loads(text)[0]["ops"] != 3 or json.loads(text)[0]["status"] != "ok":
        problems.append("run --ops 3 over the trace: exit %d, %s" % (rc, (text or err).strip()))
    bad = os.path.join(tmp, "bad.trace")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("gctune-trace 1\nnew 1\nstore 0 0 1\n")
    out = os.path.join(tmp, "sweep-bad")
    rc, _, err = run([gctune, "sweep", "-c", "gencycle", "-w", "trace:" + bad, "--out", out,
                      "--no-predict"])
    if rc != 2 or "%s:3: store: position 1" % bad not in err or os.path.exists(out):
        problems.append("a bad trace: exit %d, stderr %r, %s" % (
            rc, err.strip(), "an output directory" if os.path.exists(out) else "nothing written"))
    return problems


def check_on(gctune, tmp, model, python, ver, wl, what):
    """Record wl on a 3.12+ model; replay, and run on that interpreter."""
    args = dict(CASES[wl])[what]
    knobs = ["-k", "patch=%s" % ver.split(".")[2]] if model == "gencycle312" else []
    trace = os.path.join(tmp, "%s.%s.trace" % (wl, model))
    coll = trace + ".json"
    rc, _, err = run([gctune, "run", "-c", model, "-w", wl] + args + knobs + COMMON +
                     ["--trace", trace, "--collections", coll])
    if rc != 0:
        return "gctune run -c %s exited %d: %s" % (model, rc, err.strip())
    rc, replay, err = run([gctune, "replay", trace, "-c", model, "--work"] + knobs)
    with open(coll, encoding="utf-8") as f:
        if rc != 0 or replay != f.read():
            return "the replay on %s is not the live run (exit %d) %s" % (model, rc, err.strip())
    trace_oracle.PYTHON = python
    real, why = trace_oracle.cpython_json(trace, tmp)
    got, _, why2 = trace_oracle.gctune_json(gctune, trace, [model] + knobs)
    if why or why2:
        return why or why2
    if got != real:
        return "CPython %s and %s disagree" % (ver, model)
    return None


def check_weak(gctune, tmp, wl, args):
    trace = os.path.join(tmp, "weak-%s.trace" % wl)
    rc, _, err = run([gctune, "run", "-c", "gencycle", "-w", wl] + args + COMMON +
                     ["--trace", trace, "--collections", trace + ".json"])
    problems = []
    if rc != 2:
        problems.append("exited %d, not 2" % rc)
    for want in ("workload %s" % wl, "weak references"):
        if want not in err:
            problems.append("stderr lacks %r: %s" % (want, err.strip() or "(empty)"))
    left = glob.glob(trace + "*")
    if left:
        problems.append("left files behind: %s" % ", ".join(left))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gctune", required=True)
    ap.add_argument("--cpython", action="store_true",
                    help="also run two recorded traces on CPython 3.11")
    a = ap.parse_args()
    failures = 0
    recorded = {}
    with tempfile.TemporaryDirectory(prefix="trace-record.") as tmp:
        for wl in workloads(a.gctune):
            if wl not in CASES:
                failures += 1
                print("FAIL %s: no case in tests/check-trace-record.py's CASES: give it a small "
                      "configuration without weak references" % wl)
                continue
            for what, args in CASES[wl]:
                problems, summary, recorded[(wl, what)] = check_case(a.gctune, tmp, wl, what,
                                                                     args)
                if problems:
                    failures += 1
                    print("FAIL %s (%s):" % (wl, what))
                    for p in problems:
                        print("  " + p.replace("\n", "\n  "))
                else:
                    print("ok   %s (%s): the replay on gencycle is the live run: %s"
                          % (wl, what, summary))
        if recorded.get(SWEPT):
            problems = check_sweep(a.gctune, tmp, recorded[SWEPT])
            if problems:
                failures += 1
                print("FAIL the trace of %s (%s) as a workload:" % SWEPT)
                for p in problems:
                    print("  " + p)
            else:
                print("ok   the trace of %s (%s) as a workload: swept over gen0 on gencycle and "
                      "marksweep, the collections of its replays" % SWEPT)
        for wl, args in WEAK:
            problems = check_weak(a.gctune, tmp, wl, args)
            if problems:
                failures += 1
                print("FAIL %s with weak references:" % wl)
                for p in problems:
                    print("  " + p)
            else:
                print("ok   %s with weak references: refused (exit 2), no file" % wl)
        if a.cpython:
            python, ver = trace_oracle.find_interpreter("3.11")
            if not python:
                print("skipped: the recorded traces on CPython: %s" % ver)
            else:
                trace_oracle.PYTHON = python
                for key in ON_CPYTHON:
                    trace = recorded.get(key)
                    if not trace:
                        failures += 1
                        print("FAIL %s (%s) on CPython: it was not recorded" % key)
                        continue
                    real, why = trace_oracle.cpython_json(trace, tmp)
                    got, _, why2 = trace_oracle.gctune_json(a.gctune, trace, ["gencycle"])
                    why = why or why2
                    if not why and got != real:
                        why = "CPython %s and gencycle disagree:\n%s" % (ver, "".join(
                            trace_oracle.difflib.unified_diff(
                                trace_oracle.dumps(real).splitlines(True),
                                trace_oracle.dumps(got).splitlines(True), "CPython",
                                "gctune replay -c gencycle")))
                    if why:
                        failures += 1
                        print("FAIL %s (%s) on CPython: %s" % (key + (why,)))
                    else:
                        print("ok   %s (%s) on CPython %s: the same JSON as gctune replay "
                              "(%d collections)" % (key + (ver, len(real["collections"]))))
            for model, version in (("gencycle312", "3.12"), ("gencycle313", "3.13")):
                python, ver = trace_oracle.find_interpreter(version)
                if not python:
                    print("skipped: recording on %s: %s" % (model, ver))
                    continue
                for key in ON_CPYTHON:
                    why = check_on(a.gctune, tmp, model, python, ver, *key)
                    if why:
                        failures += 1
                        print("FAIL %s (%s) on %s and CPython %s: %s" % (key + (model, ver, why)))
                    else:
                        print("ok   %s (%s) recorded on %s: replayed there as it ran, and the "
                              "same JSON on CPython %s" % (key + (model, ver)))
    print("%d failure%s" % (failures, "" if failures == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
