#!/usr/bin/env python3
"""check-export.py --gctune PATH -- `gctune export` on a real sweep
(docs/results.md, "Exports").

Two tiny sweeps of the same grid (gencycle on trees, two gen0 thresholds,
two repetitions each) into a temporary directory, then:

 --perfetto: the file is JSON with traceEvents, displayTimeUnit and
   otherData; every row of every pauses/<id>.csv is exactly one complete
   event ("ph":"X", "cat":"gc") on the process named by the configuration
   and the thread of its repetition, named by its kind, with ts = start_ms
   in microseconds, dur = duration_us, and args that carry the row's
   examined and freed counts and, for gen0..gen2, the generation;
 --pyperf: the file is in pyperf's format 1.0 as pyperf's loader checks it
   (checked here by hand: names, units, values above 0, metadata types and
   the metadata every run of a benchmark must share); every successful
   process of results.csv is one run whose one value is 1/ops_per_s, and a
   process marked failed is none; --metric and --config choose;
 bad input exits 2 with a message that names the value or file, and writes
   nothing (an existing output file is left as it was): a missing
   directory, an unknown --metric, a --config that matches nothing, a
   corrupt pause file.

Where pyperf can be imported (python3-pyperf, or PYTHONPATH), `python3 -m
pyperf stats` and `compare_to` must succeed on the exported files and name
the configurations; otherwise that part is skipped and says so.

Exit status: 0 all good, 1 a failure, 2 bad usage.
"""
import argparse
import csv
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def run(gctune, *args):
    p = subprocess.run([gctune, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def sweep(gctune, out):
    rc, so, se = run(gctune, "sweep", "-c", "gencycle", "-w", "trees", "--gen0", "700,2000",
                     "--gen1", "10", "--gen2", "10", "--reps", "2", "--ops", "200",
                     "--no-plots", "--no-aa", "--no-predict", "--quiet", "--out", out)
    if rc != 0:
        sys.exit("sweep failed (%d): %s" % (rc, se))


def read_results(d):
    with open(os.path.join(d, "results.csv"), newline="") as f:
        return list(csv.DictReader(f))


# ---- the trace ----------------------------------------------------------------

def check_perfetto(d, path):
    with open(path) as f:
        trace = json.load(f)
    check(set(trace) == {"traceEvents", "displayTimeUnit", "otherData"},
          "trace keys: %s" % sorted(trace))
    check(trace.get("displayTimeUnit") == "ns", "displayTimeUnit")
    check(trace["otherData"].get("source") == "gctune", "otherData.source")
    check(trace["otherData"].get("command") == "sweep", "otherData carries meta.json's command")
    events = trace["traceEvents"]
    procs = {e["pid"]: e["args"]["name"] for e in events
             if e["ph"] == "M" and e["name"] == "process_name"}
    threads = {(e["pid"], e["tid"]) for e in events
               if e["ph"] == "M" and e["name"] == "thread_name"}
    check(len(set(procs.values())) == len(procs), "one process per configuration")
    # The X events of each (configuration, rep), in file order.
    got = {}
    for e in events:
        check(e["ph"] in ("M", "X"), "event phase %r" % e["ph"])
        if e["ph"] != "X":
            continue
        check(e["cat"] == "gc", "cat of %r" % e)
        check(e["pid"] in procs, "X event on an unnamed process: %r" % e)
        check((e["pid"], e["tid"]) in threads, "X event on an unnamed thread: %r" % e)
        check(isinstance(e["ts"], float) and isinstance(e["dur"], float), "ts/dur are floats")
        got.setdefault((procs.get(e["pid"]), e["tid"] - 1), []).append(e)
    want = {}
    files = sorted(glob.glob(os.path.join(d, "pauses", "*.csv")))
    check(len(files) == 2, "two pause files, found %d" % len(files))
    for pf in files:
        config = os.path.basename(pf)[:-4]
        check(config in procs.values(), "%s has a process" % config)
        with open(pf, newline="") as f:
            for row in csv.DictReader(f):
                want.setdefault((config, int(row["rep"])), []).append(row)
    check(set(got) == set(want), "the same (configuration, rep) pairs: %s vs %s"
          % (sorted(got), sorted(want)))
    n = 0
    for key, rows in want.items():
        evs = got.get(key, [])
        check(len(evs) == len(rows), "%s: %d events for %d pauses" % (key, len(evs), len(rows)))
        for row, e in zip(rows, evs):
            n += 1
            ok = (e["name"] == row["kind"]
                  and close(e["dur"], float(row["duration_us"]))
                  and close(e["ts"], float(row["start_ms"]) * 1e3)
                  and e["args"]["examined"] == int(row["examined"])
                  and e["args"]["freed"] == int(row["freed"])
                  and e["args"]["rep"] == int(row["rep"]))
            if row["kind"] in ("gen0", "gen1", "gen2"):
                ok = ok and e["args"].get("generation") == int(row["kind"][3])
            check(ok, "%s: pause %r is event %r" % (key, row, e))
    check(n > 0, "the sweep paused")
    print("perfetto: %d pauses, each one X event" % n)


# ---- pyperf -------------------------------------------------------------------

# What pyperf's loader (BenchmarkSuite.load) refuses, checked by hand.
PYPERF_UNITS = {"second", "byte", "integer"}
PYPERF_CHECKED = ("name", "unit", "inner_loops", "hostname", "cpu_model_name")


def check_pyperf_metadata(md, where):
    check(isinstance(md, dict), "%s: metadata is an object" % where)
    for k, v in md.items():
        check(type(v) in (int, float, str), "%s: metadata %s=%r is int, float or str" % (where, k, v))
        if isinstance(v, str):
            check(v.strip() != "" and "\n" not in v and "\r" not in v,
                  "%s: metadata %s=%r is a non-empty line" % (where, k, v))
    if "unit" in md:
        check(md["unit"] in PYPERF_UNITS, "%s: unit %r" % (where, md["unit"]))
    if "duration" in md:
        check(md["duration"] >= 0, "%s: duration" % where)


def check_pyperf_format(suite):
    check(suite.get("version") == "1.0", "pyperf version")
    check_pyperf_metadata(suite.get("metadata", {}), "suite")
    benches = suite.get("benchmarks")
    check(isinstance(benches, list) and benches, "benchmarks is a non-empty list")
    names = []
    for b in benches:
        md = dict(suite.get("metadata", {}), **b.get("metadata", {}))
        check_pyperf_metadata(b.get("metadata", {}), "benchmark")
        check("name" in md, "benchmark has a name")
        names.append(md.get("name"))
        runs = b.get("runs")
        check(isinstance(runs, list) and runs, "%s: runs is a non-empty list" % md.get("name"))
        first = None
        for r in runs:
            check_pyperf_metadata(r.get("metadata", {}), md.get("name"))
            rmd = dict(md, **r.get("metadata", {}))
            vals = r.get("values")
            check(isinstance(vals, list) and vals
                  and all(type(v) in (int, float) and v > 0 for v in vals),
                  "%s: values are numbers above 0: %r" % (md.get("name"), vals))
            if first is None:
                first = rmd
            for k in PYPERF_CHECKED:
                check(rmd.get(k) == first.get(k), "%s: every run has the same %s"
                      % (md.get("name"), k))
    check(len(set(names)) == len(names), "benchmark names are unique")


def runs_by_name(suite):
    return {b["metadata"]["name"]: b["runs"] for b in suite["benchmarks"]}


def check_pyperf(d, path, metric="ops_per_s", value=lambda r: 1 / float(r["ops_per_s"]),
                 unit="second"):
    with open(path) as f:
        suite = json.load(f)
    check_pyperf_format(suite)
    rows = [r for r in read_results(d) if r["status"] == "ok"]
    want = {}
    for r in rows:
        want.setdefault(r["config_id"], []).append(r)
    got = runs_by_name(suite)
    check(set(got) == set(want), "%s: benchmarks %s, configurations %s"
          % (metric, sorted(got), sorted(want)))
    for b in suite["benchmarks"]:
        check(b["metadata"]["unit"] == unit, "%s: unit %s" % (metric, b["metadata"]["unit"]))
    for config, rs in want.items():
        runs = got.get(config, [])
        check(len(runs) == len(rs), "%s: %d runs for %d successful processes"
              % (config, len(runs), len(rs)))
        for r, run_ in zip(rs, runs):
            check(run_["metadata"]["rep"] == int(r["rep"])
                  and run_["metadata"]["pid"] == int(r["pid"])
                  and len(run_["values"]) == 1 and close(run_["values"][0], value(r), 1e-6),
                  "%s: process %s is run %r" % (config, r["rep"], run_))
    return suite


def pyperf_available():
    return subprocess.run([sys.executable, "-c", "import pyperf"],
                          capture_output=True).returncode == 0


def check_with_pyperf(a, b, names):
    p = subprocess.run([sys.executable, "-m", "pyperf", "stats", a], capture_output=True,
                       text=True)
    check(p.returncode == 0, "pyperf stats: %s" % p.stderr)
    for n in names:
        check(n in p.stdout, "pyperf stats names %s" % n)
    p = subprocess.run([sys.executable, "-m", "pyperf", "compare_to", a, b], capture_output=True,
                       text=True)
    check(p.returncode == 0, "pyperf compare_to: %s" % p.stderr)
    for n in names:
        check(n in p.stdout, "pyperf compare_to names %s:\n%s" % (n, p.stdout))
    check("ERROR" not in p.stdout, "pyperf compare_to tested significance:\n%s" % p.stdout)
    print("pyperf stats and compare_to read the exports")


# ---- bad input ----------------------------------------------------------------

def check_refused(gctune, tmp, args, names, what):
    out = os.path.join(tmp, "refused.json")
    with open(out, "w") as f:
        f.write("old\n")
    rc, so, se = run(gctune, "export", *[out if a == "OUT" else a for a in args])
    check(rc == 2, "%s: exit %d, not 2 (%s)" % (what, rc, se))
    for n in names:
        check(n in se, "%s: the message names %r: %s" % (what, n, se))
    with open(out) as f:
        check(f.read() == "old\n", "%s: the output file was left as it was" % what)
    check(not glob.glob(out + ".tmp-*"), "%s: no temporary file left" % what)
    os.remove(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gctune", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    g = args.gctune
    tmp = tempfile.mkdtemp(prefix="gct-export-")
    try:
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        sweep(g, a)
        sweep(g, b)
        configs = sorted({r["config_id"] for r in read_results(a)})

        # Both formats at once.
        tr, pa, pb = (os.path.join(tmp, n) for n in ("a.trace.json", "a.json", "b.json"))
        rc, so, se = run(g, "export", a, "--perfetto", tr, "--pyperf", pa)
        check(rc == 0, "export a: %d %s" % (rc, se))
        check("pauses" in so and "runs" in so, "export says what it wrote: %s" % so)
        check_perfetto(a, tr)
        check_pyperf(a, pa)
        rc, so, se = run(g, "export", b, "--pyperf", pb)
        check(rc == 0, "export b: %d %s" % (rc, se))
        check_pyperf(b, pb)
        print("pyperf: every successful process one run")

        # --metric: seconds as they are, microseconds as seconds.
        pm = os.path.join(tmp, "m.json")
        rc, so, se = run(g, "export", a, "--pyperf", pm, "--metric", "wall_s")
        check(rc == 0, "--metric wall_s: %s" % se)
        check_pyperf(a, pm, "wall_s", lambda r: float(r["wall_s"]))
        rc, so, se = run(g, "export", a, "--pyperf", pm, "--metric", "pause_max_us")
        check(rc == 0, "--metric pause_max_us: %s" % se)
        check_pyperf(a, pm, "pause_max_us", lambda r: float(r["pause_max_us"]) / 1e6)
        rc, so, se = run(g, "export", a, "--pyperf", pm, "--metric", "peak_bytes")
        check(rc == 0, "--metric peak_bytes: %s" % se)
        check_pyperf(a, pm, "peak_bytes", lambda r: float(r["peak_bytes"]), "byte")

        # --config: only the configurations it matches.
        rc, so, se = run(g, "export", a, "--pyperf", pm, "--perfetto", tr, "--config",
                         "*.gen0-700.*")
        check(rc == 0, "--config: %s" % se)
        with open(pm) as f:
            names = list(runs_by_name(json.load(f)))
        check(names == ["gencycle.trees.gen0-700.gen1-10.gen2-10"], "--config: %s" % names)
        with open(tr) as f:
            procs = [e["args"]["name"] for e in json.load(f)["traceEvents"]
                     if e["name"] == "process_name"]
        check(procs == names, "--config in the trace: %s" % procs)

        # A failed process is no run (its pauses still are events).
        c = os.path.join(tmp, "c")
        shutil.copytree(a, c)
        rows = read_results(c)
        rows[0]["status"], rows[0]["reason"] = "failed", "made to fail by check-export.py"
        with open(os.path.join(c, "results.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        pc, tc = os.path.join(tmp, "c.json"), os.path.join(tmp, "c.trace.json")
        rc, so, se = run(g, "export", c, "--pyperf", pc, "--perfetto", tc)
        check(rc == 0, "export with a failed process: %s" % se)
        suite = check_pyperf(c, pc)
        check(sum(len(r) for r in runs_by_name(suite).values()) == len(rows) - 1,
              "the failed process is left out")
        check_perfetto(c, tc)

        # Bad input: exit 2, the value named, nothing written.
        missing = os.path.join(tmp, "no-such-dir")
        check_refused(g, tmp, [missing, "--pyperf", "OUT"], [missing], "a missing directory")
        check_refused(g, tmp, [a, "--pyperf", "OUT", "--metric", "bogus_metric"],
                      ["bogus_metric", "ops_per_s"], "an unknown --metric")
        check_refused(g, tmp, [a, "--perfetto", "OUT", "--config", "zz*"], ["zz*"],
                      "a --config matching nothing")
        check_refused(g, tmp, [a, "--pyperf", "OUT", "--config", "zz*"], ["zz*"],
                      "a --config matching nothing (pyperf)")
        check_refused(g, tmp, [a], ["--perfetto", "--pyperf"], "no output asked")
        bad = os.path.join(tmp, "bad")
        shutil.copytree(a, bad)
        pf = sorted(glob.glob(os.path.join(bad, "pauses", "*.csv")))[0]
        with open(pf, "a") as f:
            f.write("0,1.0,oops,gen0,1,1\n")
        check_refused(g, tmp, [bad, "--perfetto", "OUT"], [pf], "a corrupt pause file")

        if pyperf_available():
            check_with_pyperf(pa, pb, configs)
        else:
            print("SKIP: pyperf cannot be imported here; its format was checked by hand above")
    finally:
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%d checks failed" % len(FAILURES))
        return 1
    print("all export checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
