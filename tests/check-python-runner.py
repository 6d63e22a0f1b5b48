#!/usr/bin/env python3
"""check-python-runner.py -- the `python-runner` test: python/runner.py and
the Python twins of the C workloads (python/workloads/), on every CPython
found among /usr/bin/python3 (or python3 on PATH), $PYENV_ROOT/versions/
3.11.*, 3.12.*, 3.13.* (the newest of each), or the paths given as
arguments; versions not present are skipped and said so.

    tests/check-python-runner.py [--gctune PATH] [PYTHON ...]

(a) Recording.  A tiny module that makes cycles runs with thresholds low
    enough for generation-0, 1 and 2 collections: pauses are listed, one per
    collection counted by gc.get_stats(); the same run with --no-callback
    (no gc.callbacks callback at all) gives the same collections, collected
    counts and final gc.get_count(), so the recording changes nothing the
    collector counts.  Limit: the runner's compensation for the callback's
    fresh "stop" dict after a generation-2 collection (a token freed) moves
    the next collection by one allocation at most, which this comparison
    does not see (checked by hand: with the compensation taken out, both
    runs still agree here); what it does show is that the callback and its
    logs add nothing more.
(b) Bad scripts.  A syntax error (exit 2, "FILE:LINE:" with the module's
    file and the error's line), a missing op() (exit 2, "FILE:1:"), an
    exception in op() (exit 1, the last stderr line holds the exception's
    last line "ValueError: boom 7"), an unknown --param (exit 2, naming it),
    a malformed --ops (exit 2, naming the value).
(r) _rng.py gives tests/test-workloads-api.c's reference streams
    (splitmix64 from 0; xoshiro256** from the state {1, 2, 3, 4}).
(c) Every twin runs through the runner with small parameters, every
    variant of its choice parameter, warm-up included, and its check()
    passes.
(d) Container allocations per operation, twin against C workload, exactly.
    C side: `gctune run -c gencycle -w NAME --ops K --trace T` records the
    workload; every container allocation is one `new N` line (objects
    without slots are `atom`s, never counted by the collector), so the
    count per operation is the `new` lines between '# operation k' and the
    next '# operation'/'# end' comment.  Python side: the count CPython's
    collector keeps, gc.get_count()[0], rises by one per container
    allocation and falls by one per container deallocation (never below 0);
    with automatic collection off it is exact for allocations if nothing
    tracked is freed.  The check makes that so: every class of the twin
    (its __slots__ classes and its Table) gets a __del__ that resurrects the
    object into a list, so a dropped object and everything it references
    stay allocated.  A twin's weak references are made through its module
    global `_ref` (weakref.ref); the check replaces it with a subclass of
    weakref.ref that resurrects the same way (a twin makes each weak
    reference to an object that has none yet, so a subclass, which
    CPython never shares between callers, allocates the same ones).  The
    count's rise over op() is exactly the number of
    containers op() allocated (reading get_count() builds a 3-tuple, which
    after the first read comes from the tuple free list, uncounted, and is
    read before it is built).  The same seed gives the same draws, so the
    lists must be equal operation for operation.
    Weak-reference variants cannot be recorded as traces (docs/traces.md);
    for them the exact expectation is derived from the strong recording:
    trees parent=weak = parent=strong + 2^depth - 1 weakrefs per operation
    (one per inner node, the draws are the same), dlist backlinks=weak =
    2 x backlinks=strong (a weakref per node and per head).  cache
    values=weak is not compared: which values die depends on liveness, and
    resurrection keeps every value alive, so the operations themselves
    would differ; it is only run (c).
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNNER = os.path.join(ROOT, "python", "runner.py")
WL = os.path.join(ROOT, "python", "workloads")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def ok(msg):
    print("ok: " + msg)


def run(py, args, timeout=300):
    return subprocess.run([py, RUNNER] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


def version(py):
    out = subprocess.run([py, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3], "
                          "sys.implementation.name)"], stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.split()
    return out[0], out[1]


def interpreters(argv):
    if argv:
        return argv
    found = []
    sysp = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else None
    if sysp:
        found.append(sysp)
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for minor in ("3.11", "3.12", "3.13"):
        cands = sorted(glob.glob(os.path.join(root, "versions", minor + ".*", "bin", "python3")),
                       key=lambda p: [int(x) for x in re.findall(r"\d+", p.split("versions")[1])[:3]])
        if cands:
            found.append(cands[-1])
        else:
            print("skip: no CPython %s under %s/versions" % (minor, root))
    return found


TINY = '''
PARAMS = {"cycles": 50}


class C:
    __slots__ = ("other",)


def setup(params, seed):
    return [params["cycles"], None]


def op(state):
    for _ in range(state[0]):
        a = C()
        b = C()
        a.other = b
        b.other = a
    state[1] = C()
    for _ in range(40):
        state.append(C())      # survivors: long-lived pending grows, so gen 2 runs
'''


def check_recording(py, tmp):
    mod = os.path.join(tmp, "tiny.py")
    with open(mod, "w") as f:
        f.write(TINY)
    args = ["--module", mod, "--ops", "400", "--warmup-ops", "5", "--threshold", "100,3,3"]
    p = run(py, args)
    q = run(py, args + ["--no-callback"])
    if p.returncode or q.returncode:
        fail("%s: tiny module exit %d/%d: %s%s" % (py, p.returncode, q.returncode, p.stderr,
                                                   q.stderr))
        return
    a, b = json.loads(p.stdout), json.loads(q.stdout)
    npause = len(a["pauses"])
    gens = [0, 0, 0]
    for pz in a["pauses"]:
        gens[pz[2]] += 1
    if npause == 0 or npause != sum(a["collections"]) or gens != a["collections"]:
        fail("%s: %d pauses by generation %s, get_stats says %s" % (py, npause, gens,
                                                                    a["collections"]))
    elif a["collections"][2] == 0:
        fail("%s: no generation-2 collection to exercise the stop dict" % py)
    else:
        ok("%s: %d pauses recorded (by generation %s)" % (py, npause, gens))
    for key in ("collections", "collected", "uncollectable", "get_count"):
        if a[key] != b[key]:
            fail("%s: %s with the callback %s, without %s" % (py, key, a[key], b[key]))
            return
    if a["tokens_short"] or a["pauses_dropped"]:
        fail("%s: tokens short %d, pauses dropped %d" % (py, a["tokens_short"],
                                                          a["pauses_dropped"]))
        return
    ok("%s: with and without the callback: collections %s, get_count %s" % (
        py, a["collections"], a["get_count"]))
    for k in ("python", "implementation", "executable", "ops", "wall_s", "cpu_s", "ops_per_s",
              "peak_rss_bytes", "gc_objects_after", "get_stats"):
        if k not in a:
            fail("%s: the JSON has no %s" % (py, k))


def expect_error(py, tmp, name, text, extra, code, want):
    mod = os.path.join(tmp, name)
    with open(mod, "w") as f:
        f.write(text)
    p = run(py, ["--module", mod, "--ops", "10"] + extra)
    last = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
    w = want.replace("FILE", os.path.abspath(mod))
    if p.returncode != code or w not in last:
        fail("%s: %s: exit %d (want %d), last stderr line %r lacks %r" % (
            py, name, p.returncode, code, last, w))
    else:
        ok("%s: %s: exit %d, %s" % (py, name, code, last))


def check_bad(py, tmp):
    expect_error(py, tmp, "syntax.py", "PARAMS = {}\n\ndef op(state)\n    pass\n", [], 2,
                 "FILE:3:")
    expect_error(py, tmp, "noop.py", "PARAMS = {}\ndef setup(p, s):\n    return 0\n", [], 2,
                 "FILE:1: the module defines no op()")
    expect_error(py, tmp, "raises.py", "PARAMS = {}\ndef setup(p, s):\n    return [0]\n"
                 "def op(st):\n    st[0] += 1\n    if st[0] == 7:\n"
                 "        raise ValueError('boom %d' % st[0])\n", [], 1, "ValueError: boom 7")
    expect_error(py, tmp, "param.py", "PARAMS = {'n': 1}\ndef setup(p, s):\n    return 0\n"
                 "def op(st):\n    pass\n", ["--param", "nosuch=3"], 2, "'nosuch'")
    expect_error(py, tmp, "param2.py", "PARAMS = {'n': 1}\ndef setup(p, s):\n    return 0\n"
                 "def op(st):\n    pass\n", ["--param", "n=x3"], 2, "'x3'")
    p = run(py, ["--module", os.path.join(tmp, "param2.py"), "--ops", "many"])
    if p.returncode != 2 or "'many'" not in p.stderr:
        fail("%s: --ops many: exit %d, %r" % (py, p.returncode, p.stderr))
    else:
        ok("%s: --ops many: exit 2 naming the value" % py)


# name -> (small params, variants of its choice parameter)
SMALL = {
    "trees": (["depth=4", "long_depth=6"], ["parent=strong", "parent=weak", "parent=none"]),
    "dlist": (["lists=8", "length=30", "drop_every=7"], ["backlinks=strong", "backlinks=weak"]),
    "cache": (["keys=2000", "capacity=200", "value_objects=3", "hold=50"],
              ["values=strong", "values=weak"]),
    "requests": (["old_objects=2000", "request_objects=120", "cyclic=0.3"], [""]),
    "longlived": (["live_objects=4000", "initial=1000", "young=30", "survive=0.1"], [""]),
}


def check_twins(py):
    for name, (params, variants) in SMALL.items():
        for v in variants:
            ps = params + ([v] if v else [])
            args = ["--module", os.path.join(WL, name + ".py"), "--ops", "60",
                    "--warmup-ops", "5", "--seed", "3"]
            for x in ps:
                args += ["--param", x]
            p = run(py, args)
            if p.returncode:
                fail("%s: %s %s: exit %d: %s" % (py, name, " ".join(ps), p.returncode,
                                                 p.stderr.strip().splitlines()[-1:]))
            else:
                d = json.loads(p.stdout)
                ok("%s: %s %s: %.0f ops/s, collections %s, check passed" % (
                    py, name, " ".join(ps), d["ops_per_s"], d["collections"]))


COUNTER = r'''
import gc, json, sys
sys.path.insert(0, sys.argv[1])
import importlib
mod = importlib.import_module(sys.argv[2])
params = dict(mod.PARAMS)
params.update(json.loads(sys.argv[3]))
seed = int(sys.argv[4])
nops = int(sys.argv[5])
KEEP = []
def resurrect(self):
    KEEP.append(self)
import _rng
classes = [c for c in vars(mod).values() if isinstance(c, type) and c.__module__ == mod.__name__
           and "__slots__" in vars(c) and c.__name__ != "State"] + [_rng.Table]
for c in classes:
    c.__del__ = resurrect
if hasattr(mod, "_ref"):
    import weakref
    class KeptRef(weakref.ref):
        __slots__ = ()
        def __del__(self):
            KEEP.append(self)
    mod._ref = KeptRef
gc.disable()
state = mod.setup(params, seed)
deltas = [0] * nops
gc.get_count()
gc.get_count()
for k in range(nops):
    c0 = gc.get_count()[0]
    mod.op(state)
    c1 = gc.get_count()[0]
    deltas[k] = c1 - c0
print(json.dumps(deltas))
'''

# name -> (params for the C recording (all strong/none), [(variant params, relation)])
COUNTS = {
    "trees": ({"depth": 4, "long_depth": 5},
              [({"parent": "strong"}, "same"), ({"parent": "none"}, "same:none"),
               ({"parent": "weak"}, "plus:15")]),
    "dlist": ({"lists": 6, "length": 20, "drop_every": 5},
              [({"backlinks": "strong"}, "same"), ({"backlinks": "weak"}, "twice")]),
    "cache": ({"keys": 3000, "capacity": 100, "value_objects": 3},
              [({"values": "strong"}, "same")]),
    "requests": ({"old_objects": 2000, "request_objects": 150, "cyclic": 0.3},
                 [({}, "same")]),
    "longlived": ({"live_objects": 3000, "initial": 1000, "grow": 50, "young": 30,
                   "survive": 0.1}, [({}, "same")]),
}


def c_counts(gctune, name, params, nops, tmp, extra=None):
    trace = os.path.join(tmp, "%s.trace" % name)
    cmd = [gctune, "run", "-c", "gencycle", "-w", name, "--reps", "1", "--ops", str(nops),
           "--seed", "7", "--trace", trace]
    for k, v in sorted(dict(params, **(extra or {})).items()):
        cmd += ["-p", "%s=%s" % (k, v)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=600)
    if p.returncode:
        fail("gctune run %s: exit %d: %s" % (name, p.returncode, p.stderr[-300:]))
        return None
    counts = []
    cur = None
    with open(trace) as f:
        for line in f:
            if line.startswith("# operation "):
                cur = len(counts)
                counts.append(0)
            elif line.startswith("# end"):
                cur = None
            elif cur is not None and line.startswith("new "):
                counts[cur] += 1
    return counts


def check_counts(py, gctune, tmp, cache):
    nops = 40
    for name, (params, variants) in COUNTS.items():
        for extra, rel in variants:
            cparams = dict(extra)
            if rel.startswith("plus") or rel == "twice":   # record the strong variant
                cparams = {k: "strong" for k in extra}
            key = (name, json.dumps(cparams, sort_keys=True))
            if key not in cache:
                cache[key] = c_counts(gctune, name, params, nops, tmp, cparams)
            c = cache[key]
            if c is None:
                continue
            if len(c) != nops:
                fail("%s: the trace has %d operations, not %d" % (name, len(c), nops))
                continue
            p = subprocess.run([py, "-c", COUNTER, WL, name, json.dumps(dict(params, **extra)),
                                "7", str(nops)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=600)
            if p.returncode:
                fail("%s: counting %s: %s" % (py, name, p.stderr[-400:]))
                continue
            got = json.loads(p.stdout)
            if rel.startswith("plus"):
                want = [x + int(rel.split(":")[1]) for x in c]
            elif rel == "twice":
                want = [2 * x for x in c]
            else:
                want = c
            label = "%s %s" % (name, " ".join("%s=%s" % kv for kv in sorted(extra.items())))
            if got != want:
                bad = [k for k in range(nops) if got[k] != want[k]]
                fail("%s: %s: containers per operation differ from the C workload at "
                     "operations %s: twin %s, C %s" % (py, label, [k + 1 for k in bad[:5]],
                                                       [got[k] for k in bad[:5]],
                                                       [want[k] for k in bad[:5]]))
            else:
                ok("%s: %s: %d operations, the C workload's containers per operation (%s, "
                   "total %d)" % (py, label, nops, rel, sum(got)))


def check_rng():
    sys.path.insert(0, WL)
    import _rng
    r = _rng.Rng()
    r.s0, r.s1, r.s2, r.s3 = 1, 2, 3, 4
    got = [_rng.splitmix64_step(0)] + [r.next() for _ in range(4)]
    want = [0xe220a8397b1dcdaf, 11520, 0, 1509978240, 1215971899390074240]
    if got != want:
        fail("_rng reference streams: %s, want %s" % (got, want))
    else:
        ok("_rng: the C test's reference streams")


def main(argv):
    check_rng()
    gctune = None
    if argv[:1] == ["--gctune"]:
        gctune, argv = argv[1], argv[2:]
    pys = interpreters(argv)
    if not pys:
        print("skip: no CPython found")
        return 77
    cache = {}
    with tempfile.TemporaryDirectory(prefix="gct-pyrunner-") as tmp:
        for py in pys:
            ver, impl = version(py)
            if impl != "cpython" or not (3, 11) <= tuple(int(x) for x in ver.split(".")[:2]) \
                    <= (3, 13):
                print("skip: %s is %s %s (the runner's recording is checked on CPython "
                      "3.11-3.13)" % (py, impl, ver))
                continue
            print("== %s (CPython %s)" % (py, ver))
            check_recording(py, tmp)
            check_bad(py, tmp)
            check_twins(py)
            if gctune:
                check_counts(py, gctune, tmp, cache)
            else:
                print("skip: (d) needs --gctune PATH")
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
