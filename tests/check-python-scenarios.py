#!/usr/bin/env python3
"""check-python-scenarios.py --gctune PATH -- the Python scenarios, the
user module's PARAMS and OPS, and the retention pass, end to end.

- `gctune list` names each C workload's Python twin and lists the shipped
  scenarios with their PARAMS.
- The scenarios on CPython 3.11 give the findings they exist for, in the
  records and in the report's sentences: the event bus with strong
  listeners grows and its WeakSet fix keeps nothing; cycles with __del__
  are collected (nothing uncollectable, gc.garbage empty) while a
  resurrecting __del__ keeps its rings; a slotted instance takes fewer
  bytes than a dict-backed one.
- A user module's literal PARAMS are sweep parameters (int, float, bool, a
  tuple of strings as a choice), its OPS sets the operations, its
  metrics() reach the record's extra; a PARAMS or OPS gctune cannot read,
  or a value outside a choice, is exit 2 naming the file and line or the
  value, with nothing written.
- --tracemalloc K keeps the K largest allocation sites in the records, and
  the report lists them; a K it cannot take is exit 2.
- A module that hangs fails its configuration on --timeout, its
  interpreter is killed, and the sweep goes on.
- The retention pass changes no count of the timed operations.

Skips (77) when no CPython 3.11 is found.  Exit status: 0, 1 a failure.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, python311, rows, run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def extra(r):
    return dict(kv.split("=", 1) for kv in r["extra"].split(";") if "=" in kv)


def check_list(gctune):
    p = run([gctune, "list", "--json"])
    j = json.loads(p.stdout) if p.returncode == 0 else {}
    twins = {w["name"]: w.get("python_twin") for w in j.get("workloads", [])}
    check(twins.get("trees") == "python/workloads/trees.py" and
          all(twins.get(w) for w in ("dlist", "cache", "requests", "longlived")),
          "list names every C workload's twin: %r" % twins)
    scen = {s["name"]: s for s in j.get("python_scenarios", [])}
    check(set(scen) >= {"py-eventbus", "py-delcycles", "py-weakcache", "py-slots"},
          "list has the scenarios: %r" % sorted(scen))
    lay = [x for x in scen.get("py-slots", {}).get("params", []) if x.get("name") == "layout"]
    check(lay and lay[0].get("choices") == ["slots", "dict"],
          "slots' layout is a choice: %r" % lay)
    p = run([gctune, "list"])
    check("Python twin    python/workloads/trees.py" in p.stdout and
          "Python scenarios" in p.stdout and "eventbus" in p.stdout,
          "list's text shows twins and scenarios")


def check_scenarios(gctune, tmp):
    out = os.path.join(tmp, "scen")
    p = run([gctune, "sweep", "-c", "python311",
             "-w", "python:eventbus,python:delcycles,python:slots",
             "-p", "py-eventbus.listeners=strong,weak", "-p", "py-delcycles.finalizer=del,resurrect",
             "-p", "py-slots.layout=slots,dict", "--ops", "py-eventbus=300",
             "--ops", "py-delcycles=2000", "--ops", "py-slots=4000",
             "--gen0", "700", "--gen1", "10", "--gen2", "10", "--reps", "1", "--no-aa",
             "--no-plots", "--quiet", "--out", out])
    check(p.returncode == 0, "the scenarios' sweep: %s" % p.stderr[-400:])
    by = {}
    for r in rows(os.path.join(out, "results.csv")):
        check(r["status"] == "ok", "%s: %s" % (r["config_id"], r["reason"]))
        key = r["workload"] + ":" + [kv for kv in r["params"].split(";")][0]
        by[key] = r
    check(len(by) == 6, "six scenario configurations: %r" % sorted(by))

    def num(key, field):
        return float(by[key][field]) if key in by and by[key][field] else float("nan")

    check(num("py-eventbus:listeners=strong", "retained_objects_per_op") >= 1,
          "the strong bus keeps its listeners: %s" % by.get("py-eventbus:listeners=strong"))
    check(abs(num("py-eventbus:listeners=weak", "retained_objects_per_op")) < 0.5,
          "the WeakSet bus keeps nothing")
    d = "py-delcycles:finalizer=del"
    check(num(d, "gc_freed") > 0 and num(d, "uncollectable") == 0 and num(d, "gc_garbage") == 0,
          "__del__ cycles are collected, none uncollectable, gc.garbage empty")
    check(d in by and float(extra(by[d]).get("finalized", 0)) > 0, "their __del__ ran")
    check(num("py-delcycles:finalizer=resurrect", "retained_objects_per_op") >= 1,
          "a resurrecting __del__ keeps its rings")
    s, dd = num("py-slots:layout=slots", "retained_bytes_per_op"), num(
        "py-slots:layout=dict", "retained_bytes_per_op")
    check(0 < s < dd, "a slotted instance takes fewer bytes (%s) than a dict-backed one (%s)"
          % (s, dd))
    p = run([gctune, "report", out, "--no-plots"])
    md = open(os.path.join(out, "report.md")).read() if p.returncode == 0 else ""
    for want in ("## Memory kept per operation (real interpreters)",
                 "listeners=strong grows", "listeners=weak keeps nothing",
                 "a cycle with a finalizer is collected", "finalizer=resurrect grows",
                 "layout=slots takes"):
        check(want in md, "the report says %r" % want)


MODULE = '''"""A user's module: every kind of parameter."""
import gc

PARAMS = {"items": 10, "ratio": 0.5, "flag": False, "layout": ("slots", "dict"), "label": "x"}
OPS = 123


class Item:
    __slots__ = ("peer",)


def setup(params, seed):
    if not isinstance(params["layout"], str) or not isinstance(params["flag"], bool):
        raise ValueError("params arrive converted: %r" % (params,))
    return {"p": params, "n": 0}


def op(state):
    for _ in range(state["p"]["items"]):
        a, b = Item(), Item()
        a.peer, b.peer = b, a
    state["n"] += 1


def metrics(state):
    return {"ops_seen": state["n"], "items": state["p"]["items"], "flag": int(state["p"]["flag"]),
            "dict": int(state["p"]["layout"] == "dict")}
'''


def check_user_module(gctune, tmp):
    mod = os.path.join(tmp, "mine.py")
    with open(mod, "w") as f:
        f.write(MODULE)
    out = os.path.join(tmp, "mine")
    p = run([gctune, "sweep", "-c", "python311", "-w", "python:" + mod, "-p", "items=5,20",
             "-p", "layout=slots,dict", "-p", "flag=true", "-p", "ratio=0.25", "--gen0", "700",
             "--gen1", "10", "--gen2", "10", "--reps", "1", "--no-aa", "--no-plots", "--quiet",
             "--out", out])
    check(p.returncode == 0, "sweep of the module's parameters: %s" % p.stderr[-300:])
    recs = rows(os.path.join(out, "results.csv"))
    got = sorted(r["params"] for r in recs)
    check(got == sorted("items=%d;ratio=0.25;flag=true;layout=%s" % (i, l)
                        for i in (5, 20) for l in ("slots", "dict")),
          "four configurations of the module's parameters: %r" % got)
    for r in recs:
        e = extra(r)
        check(r["status"] == "ok" and r["ops"] == "123", "%s ran OPS=123 operations (%s %s)"
              % (r["config_id"], r["ops"], r["reason"]))
        check(e.get("flag") == "1" and e.get("items") == r["params"].split(";")[0][6:] and
              e.get("dict") == ("1" if "layout=dict" in r["params"] else "0"),
              "metrics() of %s in extra: %r" % (r["config_id"], r["extra"]))
    # What gctune cannot read or accept: exit 2, naming it, nothing written.
    bad = {
        "nonliteral.py": ("import os\nPARAMS = {'a': os.sep}\n", "nonliteral.py:2: PARAMS is not a literal"),
        "badops.py": ("OPS = 0\n", "badops.py:1: OPS = 0"),
        "badchoice.py": ("PARAMS = {'a': (1, 2)}\n", "badchoice.py:1: PARAMS['a']"),
    }
    for name, (head, want) in bad.items():
        f = os.path.join(tmp, name)
        with open(f, "w") as fh:
            fh.write(head + "def setup(p, s):\n    return 1\ndef op(s):\n    pass\n")
        d = os.path.join(tmp, "out-" + name)
        p = run([gctune, "sweep", "-c", "python311", "-w", "python:" + f, "--out", d])
        check(p.returncode == 2 and want in p.stderr and not os.path.exists(d),
              "%s: exit 2 naming %r (%d %r)" % (name, want, p.returncode, p.stderr))
    d = os.path.join(tmp, "out-choice")
    p = run([gctune, "sweep", "-c", "python311", "-w", "python:" + mod, "-p", "layout=tuple",
             "--out", d])
    check(p.returncode == 2 and "'tuple'" in p.stderr and not os.path.exists(d),
          "a value outside the choice: exit 2 naming it (%r)" % p.stderr)


def check_tracemalloc(gctune, tmp):
    out = os.path.join(tmp, "tm")
    p = run([gctune, "sweep", "-c", "python311", "-w", "python:eventbus", "-p",
             "listeners=strong", "--ops", "300", "--gen0", "700", "--gen1", "10", "--gen2", "10",
             "--reps", "1", "--no-aa", "--tracemalloc", "2", "--no-plots", "--quiet",
             "--out", out])
    recs = rows(os.path.join(out, "results.csv"))
    e = extra(recs[0]) if recs else {}
    check(p.returncode == 0 and e.get("alloc1", "").startswith("eventbus.py:") and
          "alloc2" in e and "alloc3" not in e,
          "--tracemalloc 2 keeps the two largest sites: %r %s" % (e, p.stderr[-300:]))
    p = run([gctune, "report", out, "--no-plots"])
    md = open(os.path.join(out, "report.md")).read() if p.returncode == 0 else ""
    check("The largest allocation sites alive" in md and "eventbus.py:" in md,
          "the report lists the allocation sites")
    d = os.path.join(tmp, "tm0")
    p = run([gctune, "sweep", "-c", "python311", "-w", "python:eventbus", "--tracemalloc", "0",
             "--out", d])
    check(p.returncode == 2 and "--tracemalloc '0'" in p.stderr and not os.path.exists(d),
          "--tracemalloc 0 is refused: %r" % p.stderr)


def check_hang(gctune, tmp):
    """A module that hangs: the timeout fails its configuration, kills the
    interpreter, and the sweep goes on to the next."""
    f = os.path.join(tmp, "hang.py")
    with open(f, "w") as fh:
        fh.write("import time\nPARAMS = {'hang': ('yes', 'no')}\n"
                 "def setup(p, s):\n    return p['hang']\n"
                 "def op(s):\n    if s == 'yes':\n        time.sleep(3600)\n")
    out = os.path.join(tmp, "hang")
    p = run([gctune, "sweep", "-c", "python311", "-w", "python:" + f, "-p", "hang=yes,no",
             "--gen0", "700", "--gen1", "10", "--gen2", "10", "--reps", "1", "--no-aa",
             "--ops", "3", "--warmup", "0", "--timeout", "3", "--no-plots", "--quiet",
             "--out", out], timeout=120)
    recs = {r["params"]: r for r in rows(os.path.join(out, "results.csv"))}
    y, n = recs.get("hang=yes", {}), recs.get("hang=no", {})
    check(y.get("status") == "failed" and "time" in y.get("reason", "").lower(),
          "the hanging configuration fails on the timeout: %r" % y.get("reason"))
    check(n.get("status") == "ok", "the sweep goes on to the next: %r" % n.get("reason"))
    left = run(["pgrep", "-f", f]).stdout.split()
    check(not left, "no interpreter is left running the hanging module: %r" % left)


def check_retention_hygiene(py):
    """The retention pass runs after the timed operations: their counts do
    not change with it."""
    base = [py, os.path.join(ROOT, "python", "runner.py"), "--module",
            os.path.join(ROOT, "python", "workloads", "trees.py"), "--ops", "30",
            "--param", "depth=7", "--param", "long_depth=8", "--threshold", "700,10,10"]
    outs = []
    for extra_args in ([], ["--retained-ops", "20"]):
        p = run(base + extra_args)
        outs.append(json.loads(p.stdout) if p.returncode == 0 else {})
    check(outs[0].get("collections") and outs[0].get("collections") == outs[1].get("collections")
          and outs[0].get("get_count") == outs[1].get("get_count") and "retained" in outs[1]
          and "retained" not in outs[0],
          "the retention pass changes no count: %r / %r" % (
              [o.get("collections") for o in outs], [o.get("get_count") for o in outs]))
    r = outs[1].get("retained", {})
    check(r.get("ops") == 10 and abs(r.get("objects_per_op", 9)) < 0.5,
          "trees keeps nothing per operation: %r" % r)
    p = run(base + ["--retained-ops", "1"])
    check(p.returncode == 2 and "--retained-ops" in p.stderr, "--retained-ops 1 is refused")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gctune", required=True)
    a = ap.parse_args()
    py = python311()
    if not py and not os.environ.get("PYENV_ROOT"):
        print("SKIP: no CPython 3.11 here")
        return 77
    tmp = tempfile.mkdtemp(prefix="gct-pyscen-")
    try:
        check_list(a.gctune)
        check_scenarios(a.gctune, tmp)
        check_user_module(a.gctune, tmp)
        check_tracemalloc(a.gctune, tmp)
        check_hang(a.gctune, tmp)
        if py:
            check_retention_hygiene(py)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("check-python-scenarios")


if __name__ == "__main__":
    sys.exit(main())
