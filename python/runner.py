#!/usr/bin/env python3
"""runner.py -- one repetition of a Python workload module, measured in the
interpreter that runs this script (CPython 3.11, 3.12, 3.13; stdlib only).

    python3 python/runner.py --module PATH --ops N [--warmup-ops W] [--seed S]
        [--param name=value ...] [--threshold G0[,G1[,G2]]] [--freeze] [--disable]
        [--tracemalloc K] [--max-pauses M] [--retained-ops K]

The module contract (python/README.md has an example):
  PARAMS                  a dict name -> default value (optional; {} if absent).
                          --param values are converted to the default's type
                          (int, float, bool, str); a tuple of strings is a
                          choice, its first the default; an unknown name is an
                          error.
  setup(params, seed)     builds the workload's state and returns it; params is
                          a dict with every name of PARAMS, seed an int.
  op(state)               one operation, the unit of throughput.
  check(state)            optional: raise if the state is broken.
  metrics(state)          optional: a dict name -> number, the workload's own
                          findings (a hit ratio), read after the timed operations.
  teardown(state)         optional: release the state.

What one run does: import the module by path (its folder first on sys.path);
warm-up: setup, W operations, teardown, on a state of its own; a fresh
setup(params, seed); gc.collect(); then --freeze (gc.freeze()), --disable
(gc.disable()), --threshold (gc.set_threshold); N operations timed with
time.perf_counter_ns() and time.process_time(), every collection recorded
through gc.callbacks; then metrics(state), check(state) and
teardown(state).  With --retained-ops K, a retention pass follows (see
retained()): what a fresh state keeps per operation, in objects and in bytes,
the sign of a leak.  One JSON object on stdout (keys in python/README.md).

The recording stays out of what it measures (the technique of
scripts/trace-to-python.py): the callback stores ints into lists allocated
before the timed region, at most --max-pauses entries (later collections
are still counted in "collections" from gc.get_stats(), and
"pauses_dropped" says how many were not listed).  After a generation-2
collection CPython 3.11-3.13 build the callback's "stop" info dict fresh
(the collection emptied the dict free list) and free it onto the free list,
which would leave gc.get_count()[0] one up; the callback then frees one
token allocated before the timed region, whose deallocation takes the count
back.  The runner measures whether this interpreter needs that (a dict made
and freed after a full collection) and keeps 256 tokens ("tokens_short"
counts collections past them).  tests/check-python-runner.py checks that the
same run with and without the callback makes the same collections and ends
with the same gc.get_count().

Exit status: 0 success; 1 an exception in the module's import, setup, op,
check or teardown (stderr: the traceback, then a last line naming the
exception's last line, "ValueError: ..."); 2 a bad runner argument (naming
the value), a syntax error in the module ("FILE:LINE: SyntaxError: ...") or
a missing setup/op ("FILE:1: ...").  A hang is the caller's business: run
this under a timeout.
"""
import argparse
import gc
import importlib.util
import json
import os
import platform
import resource
import sys
import time
import traceback

PROG = "runner.py"
NTOKENS = 256


class Token:
    """A tracked object whose deallocation takes gc.get_count()[0] back by one."""
    __slots__ = ("x",)


def usage_error(msg):
    print("%s: %s" % (PROG, msg), file=sys.stderr)
    sys.exit(2)


def failed(where, exc):
    traceback.print_exception(type(exc), exc, exc.__traceback__)
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    print("%s: %s failed: %s" % (PROG, where, last), file=sys.stderr)
    sys.exit(1)


def int_arg(name, text, lo, hi=None):
    try:
        v = int(text, 10)
    except ValueError:
        usage_error("%s: '%s' is not an integer" % (name, text))
    if v < lo or (hi is not None and v > hi):
        usage_error("%s: %s is outside %d..%s" % (name, text, lo, "" if hi is None else hi))
    return v


def parse_args(argv):
    ap = argparse.ArgumentParser(prog=PROG, description="Measure one repetition of a Python "
                                 "workload module (see the docstring).")
    ap.add_argument("--module", required=True, metavar="PATH")
    ap.add_argument("--ops", required=True, metavar="N")
    ap.add_argument("--warmup-ops", default="0", metavar="W")
    ap.add_argument("--seed", default="1", metavar="S")
    ap.add_argument("--param", action="append", default=[], metavar="name=value")
    ap.add_argument("--threshold", metavar="G0,G1,G2")
    ap.add_argument("--freeze", action="store_true")
    ap.add_argument("--disable", action="store_true")
    ap.add_argument("--tracemalloc", metavar="K")
    ap.add_argument("--max-pauses", default="100000", metavar="M")
    ap.add_argument("--retained-ops", default="0", metavar="K")
    ap.add_argument("--prefork", default="0", metavar="K")
    ap.add_argument("--no-callback", action="store_true",
                    help="record no collections (for the hygiene test: counts must not change)")
    a = ap.parse_args(argv)
    a.ops = int_arg("--ops", a.ops, 1)
    a.warmup_ops = int_arg("--warmup-ops", a.warmup_ops, 0)
    a.seed = int_arg("--seed", a.seed, 0, (1 << 64) - 1)
    a.max_pauses = int_arg("--max-pauses", a.max_pauses, 1)
    a.retained_ops = int_arg("--retained-ops", a.retained_ops, 0)
    a.prefork = int_arg("--prefork", a.prefork, 0, 64)
    if a.retained_ops == 1:
        usage_error("--retained-ops: 1 is too few (0: no retention pass, else at least 2)")
    if a.tracemalloc is not None:
        a.tracemalloc = int_arg("--tracemalloc", a.tracemalloc, 1)
    if a.threshold is not None:
        parts = a.threshold.split(",")
        if not 1 <= len(parts) <= 3:
            usage_error("--threshold: '%s' is not G0[,G1[,G2]]" % a.threshold)
        a.threshold = tuple(int_arg("--threshold", p.strip(), 0, 1000000000) for p in parts)
    return a


def load_module(path):
    if not os.path.isfile(path):
        usage_error("--module: '%s' is not a file" % path)
    path = os.path.abspath(path)
    sys.path.insert(0, os.path.dirname(path))
    name = os.path.splitext(os.path.basename(path))[0]
    try:
        with open(path, "rb") as f:
            source = f.read()
        code = compile(source, path, "exec")
    except SyntaxError as e:
        print("%s:%s: %s: %s" % (e.filename or path, e.lineno or 1, type(e).__name__, e.msg),
              file=sys.stderr)
        sys.exit(2)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        exec(code, mod.__dict__)
    except Exception as e:
        failed("importing %s" % path, e)
    for fn in ("setup", "op"):
        if not callable(getattr(mod, fn, None)):
            print("%s:1: the module defines no %s() function (the contract: PARAMS, "
                  "setup(params, seed), op(state), optional check(state), teardown(state))"
                  % (path, fn), file=sys.stderr)
            sys.exit(2)
    params = getattr(mod, "PARAMS", {})
    if not isinstance(params, dict):
        print("%s:1: PARAMS is a %s, not a dict" % (path, type(params).__name__),
              file=sys.stderr)
        sys.exit(2)
    for name, value in params.items():
        if isinstance(value, tuple) and not (value and all(isinstance(v, str) for v in value)):
            print("%s:1: PARAMS[%r] is a tuple but not of strings: a choice is a tuple of its "
                  "names, the first the default" % (path, name), file=sys.stderr)
            sys.exit(2)
    return mod, path


def default_of(value):
    """A PARAMS value's default: a tuple of strings is a choice, its first the default."""
    return value[0] if isinstance(value, tuple) else value


def convert(name, default, text):
    if isinstance(default, tuple):
        if text not in default:
            usage_error("--param %s: '%s' is not one of %s" % (name, text, "|".join(default)))
        return text
    if isinstance(default, bool):
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        usage_error("--param %s: '%s' is not a boolean (true/false)" % (name, text))
    if isinstance(default, int):
        try:
            return int(text, 10)
        except ValueError:
            usage_error("--param %s: '%s' is not an integer" % (name, text))
    if isinstance(default, float):
        try:
            v = float(text)
        except ValueError:
            usage_error("--param %s: '%s' is not a number" % (name, text))
        if v != v or v in (float("inf"), float("-inf")):
            usage_error("--param %s: '%s' is not a finite number" % (name, text))
        return v
    return text


def parse_params(defaults, settings):
    params = {k: default_of(v) for k, v in defaults.items()}
    for s in settings:
        name, eq, text = s.partition("=")
        if not eq:
            usage_error("--param: '%s' is not of the form name=value" % s)
        if name not in defaults:
            usage_error("--param: unknown parameter '%s' (parameters: %s)"
                        % (name, ", ".join(defaults) or "none"))
        params[name] = convert(name, defaults[name], text)
    return params


def stats_delta(s1, s0):
    return [{k: s1[g][k] - s0[g][k] for k in ("collections", "collected", "uncollectable")}
            for g in range(len(s1))]


def retained(mod, params, seed, k):
    """Objects and bytes a fresh state keeps per operation: from a fresh
    setup(), k operations under tracemalloc, with gc.collect() and a count
    at k/2 and at k; the second half's growth over its operations (the first
    half absorbs warm-up: caches filling, tables growing to their size).  A
    workload that leaks keeps > 0 per operation; a steady one keeps 0."""
    import tracemalloc
    if hasattr(gc, "unfreeze"):
        gc.unfreeze()
    tracemalloc.start()
    st = mod.setup(dict(params), seed)
    half = k // 2
    for _ in range(half):
        mod.op(st)
    gc.collect()
    o1 = len(gc.get_objects())
    b1 = tracemalloc.get_traced_memory()[0]
    for _ in range(k - half):
        mod.op(st)
    gc.collect()
    o2 = len(gc.get_objects())
    b2 = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    teardown = getattr(mod, "teardown", None)
    if teardown is not None:
        teardown(st)
    n = k - half
    return {"ops": n, "objects_per_op": (o2 - o1) / n, "bytes_per_op": (b2 - b1) / n}


def smaps_rollup():
    """Private_Dirty and Pss of this process, bytes (/proc/self/smaps_rollup)."""
    got = {}
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("Private_Dirty", "Pss"):
                got[name] = int(rest.split()[0]) * 1024
    return {"private_dirty_bytes": got["Private_Dirty"], "pss_bytes": got["Pss"]}


def fork_workers(k):
    """The pre-fork server: fork k workers here, after the set-up and the
    knobs (gc.freeze() among them).  A worker returns the write end of its
    pipe and goes on to the timed operations; the parent waits for every
    worker, prints the first worker's measurement with the workers' medians
    of time and memory, and exits."""
    reads, pids = [], []
    sys.stdout.flush()
    sys.stderr.flush()
    for _ in range(k):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            for fd in reads:
                os.close(fd)
            return w
        os.close(w)
        reads.append(r)
        pids.append(pid)
    gc.disable()
    reports = []
    for r, pid in zip(reads, pids):
        with os.fdopen(r) as f:
            text = f.read()
        _, status = os.waitpid(pid, 0)
        if not text or status != 0:
            print("%s: a pre-fork worker failed (status %d)" % (PROG, status), file=sys.stderr)
            sys.exit(1)
        reports.append(json.loads(text))

    def median(key, sub=None):
        v = sorted((x[sub][key] if sub else x[key]) for x in reports)
        return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2

    out = dict(reports[0])
    out["wall_s"] = median("wall_s")
    out["cpu_s"] = median("cpu_s")
    out["ops_per_s"] = out["ops"] / out["wall_s"] if out["wall_s"] > 0 else None
    out.pop("smaps_rollup", None)
    out["prefork"] = {"workers": k,
                      "private_dirty_bytes": median("private_dirty_bytes", "smaps_rollup"),
                      "pss_bytes": median("pss_bytes", "smaps_rollup"),
                      "per_worker": [x["smaps_rollup"] for x in reports]}
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    os._exit(0)


def main(argv):
    a = parse_args(argv)
    mod, path = load_module(a.module)
    params = parse_params(getattr(mod, "PARAMS", {}), a.param)
    setup = mod.setup
    op = mod.op
    check = getattr(mod, "check", None)
    teardown = getattr(mod, "teardown", None)
    metrics = getattr(mod, "metrics", None)

    if a.tracemalloc:
        import tracemalloc
        tracemalloc.start()

    if a.warmup_ops:
        try:
            st = setup(dict(params), a.seed)
        except Exception as e:
            failed("setup() (warm-up)", e)
        try:
            for _ in range(a.warmup_ops):
                op(st)
        except Exception as e:
            failed("op() (warm-up)", e)
        if teardown is not None:
            try:
                teardown(st)
            except Exception as e:
                failed("teardown() (warm-up)", e)
        st = None

    try:
        state = setup(dict(params), a.seed)
    except Exception as e:
        failed("setup()", e)

    # Everything the timed region uses exists before the collection below.
    cap = a.max_pauses
    log_start = [0] * cap
    log_stop = [0] * cap
    log_gen = [0] * cap
    log_coll = [0] * cap
    log_unc = [0] * cap
    n = a.ops
    threshold = a.threshold
    perf = time.perf_counter_ns
    cpu = time.process_time
    # Does a dict like the callback's info, made after a full collection and
    # freed, leave count[0] one up?  (get_count builds its tuple after reading.)
    enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    d = {"generation": 2, "collected": 0, "uncollectable": 0}
    d = None
    drop = gc.get_count()[0]
    if enabled:
        gc.enable()
    tokens = [Token() for _ in range(NTOKENS)] if drop == 1 else []
    box = [0, 0, 0]      # entries logged, callbacks past the log, tokens short

    def cb(phase, info):
        k = box[0]
        if k == cap:
            if phase == "stop":
                box[1] += 1
        elif phase == "start":
            log_start[k] = perf()
            log_gen[k] = info["generation"]
        else:
            log_stop[k] = perf()
            log_coll[k] = info["collected"]
            log_unc[k] = info["uncollectable"]
            box[0] = k + 1
        if phase == "stop" and drop and info["generation"] == 2:
            if tokens:
                tokens.pop()
            else:
                box[2] += 1

    s0 = gc.get_stats()
    z = gc.collect()
    if a.freeze:
        gc.freeze()
    if a.disable:
        gc.disable()
    if threshold is not None:
        gc.set_threshold(*threshold)
    if not a.no_callback:
        gc.callbacks.append(cb)
    worker_fd = fork_workers(a.prefork) if a.prefork else None
    # ---- timed region ----
    c0 = cpu()
    t0 = perf()
    try:
        for _ in range(n):
            op(state)
    except Exception as e:
        gc.disable()
        failed("op()", e)
    t1 = perf()
    c1 = cpu()
    # ---- end of the timed region ----
    # A pre-fork worker's memory, before anything after it touches the
    # parent's objects (gc.get_objects() below increfs every one it lists).
    rollup = smaps_rollup() if worker_fd is not None else None
    gc.disable()
    count = gc.get_count()
    s1 = gc.get_stats()
    if not a.no_callback:
        gc.callbacks.remove(cb)
    stats = stats_delta(s1, s0)
    stats[2]["collections"] -= 1          # the collection just before the timed region
    stats[2]["collected"] -= z
    top = None
    if a.tracemalloc:
        # The runner's own allocations (its logs, its tokens) are left out.
        snap = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, os.path.abspath(__file__))])
        tracemalloc.stop()
        top = [["%s:%d" % (s.traceback[0].filename, s.traceback[0].lineno), s.size, s.count]
               for s in snap.statistics("lineno")[:a.tracemalloc]]
    gc_objects = len(gc.get_objects())
    found = None
    if metrics is not None:
        try:
            found = metrics(state)
        except Exception as e:
            failed("metrics()", e)
        if not isinstance(found, dict) or not all(
                isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
                for k, v in found.items()):
            print("%s: metrics() returned %r, not a dict of name -> number" % (PROG, found),
                  file=sys.stderr)
            sys.exit(1)
    if check is not None:
        try:
            check(state)
        except Exception as e:
            failed("check()", e)
    if teardown is not None:
        try:
            teardown(state)
        except Exception as e:
            failed("teardown()", e)
    state = None
    garbage = len(gc.garbage)
    # Read before the retention pass, whose tracemalloc costs memory of its own.
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    kept = None
    if a.retained_ops and worker_fd is None:
        gc.enable()
        try:
            kept = retained(mod, params, a.seed, a.retained_ops)
        except Exception as e:
            failed("the retention pass", e)

    pauses = [[(log_start[k] - t0) / 1e6, (log_stop[k] - log_start[k]) / 1e3, log_gen[k],
               log_coll[k], log_unc[k]] for k in range(box[0])]
    wall = (t1 - t0) / 1e9
    out = {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "executable": sys.executable,
        "module": path,
        "params": params,
        "seed": a.seed,
        "ops": n,
        "warmup_ops": a.warmup_ops,
        "threshold": list(threshold) if threshold is not None else None,
        "freeze": a.freeze,
        "disable": a.disable,
        "wall_s": wall,
        "cpu_s": c1 - c0,
        "ops_per_s": n / wall if wall > 0 else None,
        "pauses": pauses,
        "pauses_dropped": box[1],
        "tokens_short": box[2],
        "collections": [s["collections"] for s in stats],
        "collected": [s["collected"] for s in stats],
        "uncollectable": [s["uncollectable"] for s in stats],
        "peak_rss_bytes": peak_rss,
        "gc_garbage": garbage,
        "gc_objects_after": gc_objects,
        "get_count": list(count),
        "get_stats": stats,
    }
    if top is not None:
        out["tracemalloc_top"] = top
    if found is not None:
        out["metrics"] = found
    if kept is not None:
        out["retained"] = kept
    if worker_fd is not None:       # a pre-fork worker: to the parent, with its memory
        out["smaps_rollup"] = rollup
        with os.fdopen(worker_fd, "w") as f:
            json.dump(out, f)
        os._exit(0)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
