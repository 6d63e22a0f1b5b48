#!/usr/bin/env python3
"""gc_simple.py -- the simplest allocation sequences on the real CPython 3.11
collector, over a grid of thresholds and sizes, and (with --driver) the same
sequences through gctune's gencycle, which must give the same numbers.

Sequences (C is a class with __slots__ = ("x",): a GC container with one
reference slot, like gctune's shape "node" with one slot):
  keep K     allocate K objects, each kept alive
  cycles K   create K two-object cycles (a.x = b; b.x = a) and drop each
  mix K      K rounds of: one object kept alive, then one two-object cycle
             created and dropped (survivors and garbage interleaved, so the
             long-lived rule and promotion both matter)

For every (sequence, K, thresholds) the script records with gc.callbacks
every collection -- the 1-based index of the allocation that triggered it,
its generation, the objects it collected -- and with gc.get_stats() the
collections and collected objects per generation, plus gc.get_count() after
the sequence and what a full gc.collect() then finds.

Nothing here uses gctune: the numbers come from the interpreter running the
script.  With --driver PATH, the script runs PATH (tests/oracle/
gencycle_driver.c, built by meson), which runs the same sequences through
gencycle and prints the same record for each; every record must be equal.

How the measurement stays out of what it measures (as in gc_sequences.py):
  - gc.collect(); gc.freeze(); gc.collect() before each sequence, with the
    containers the sequence needs (the list that keeps objects, the tokens
    below) made earlier, so the heap starts empty: counts 0, long-lived
    total 0.  Between that last collect and the sequence nothing builds a
    tuple or a dict (a full collection empties their free lists, after which
    each would be a GC allocation).
  - The callback stores ints into preallocated lists.  The "stop" info dict
    after a generation-2 collection is a fresh GC allocation (the dict free
    list was just emptied), leaving count[0] at 1 where the collector left
    0; the callback frees one frozen token to take it back to 0.

Exit status: 0 all equal (or, without --driver, the interpreter's numbers
printed), 1 a difference, 77 (meson's "skipped") when the interpreter is not
CPython 3.11, whose collector gencycle models.
"""
import gc
import json
import subprocess
import sys

if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
    print("gc_simple.py: the oracle is CPython 3.11, this is %s %s: skipped"
          % (sys.implementation.name, sys.version.split()[0]))
    sys.exit(77)


class C:
    __slots__ = ("x",)


class Token:
    __slots__ = ("x",)


THRESHOLDS = [(700, 10, 10), (100, 2, 2), (2000, 10, 10), (10, 10, 10), (3, 2, 2), (1, 1, 1),
              (5, 3, 1), (0, 10, 10), (100000, 10, 10)]
SIZES = [1, 7, 50, 700, 3000, 20000]
KINDS = ["keep", "cycles", "mix"]

MAXK = max(SIZES)
MAXLOG = 2 * MAXK + 16
log_alloc = [0] * MAXLOG
log_gen = [0] * MAXLOG
log_coll = [0] * MAXLOG
nlog = 0
idx = 0                    # the allocation in progress, 1-based
keep = [None] * MAXK
tokens = []


def cb(phase, info):
    global nlog
    if phase == "start":
        log_alloc[nlog] = idx
        log_gen[nlog] = info["generation"]
    else:
        log_coll[nlog] = info["collected"]
        nlog += 1
        if info["generation"] == 2:
            tokens.pop()


def w_keep(k):
    global idx
    for i in range(k):
        idx = i + 1
        keep[i] = C()


def w_cycles(k):
    global idx
    for i in range(k):
        idx = 2 * i + 1
        a = C()
        idx = 2 * i + 2
        b = C()
        a.x = b
        b.x = a
        del a, b


def w_mix(k):
    global idx
    for i in range(k):
        idx = 3 * i + 1
        keep[i] = C()
        idx = 3 * i + 2
        a = C()
        idx = 3 * i + 3
        b = C()
        a.x = b
        b.x = a
        del a, b


WORK = {"keep": w_keep, "cycles": w_cycles, "mix": w_mix}


def run(kind, k, thresholds):
    global nlog, idx
    for i in range(MAXK):
        keep[i] = None
    nlog = 0
    idx = 0
    work = WORK[kind]
    tokens[:] = [Token() for _ in range(MAXLOG)]
    gc.disable()
    gc.set_threshold(*thresholds)
    gc.collect()
    s0 = gc.get_stats()
    gc.freeze()
    gc.collect()              # counts (0, 0, 0), long-lived total 0
    gc.callbacks.append(cb)
    gc.enable()
    work(k)
    gc.disable()
    count = gc.get_count()    # read before its own tuple is built
    gc.callbacks.remove(cb)
    s1 = gc.get_stats()
    left = gc.collect()
    gc.unfreeze()
    seq = [[log_alloc[i], log_gen[i], log_coll[i]] for i in range(nlog)]
    # get_stats() deltas less the preamble's second collect (generation 2,
    # nothing collected: everything else was frozen).
    stats = [[s1[g]["collections"] - s0[g]["collections"] - (1 if g == 2 else 0),
              s1[g]["collected"] - s0[g]["collected"]] for g in range(3)]
    return {"seq": seq, "count": list(count), "stats": stats, "left": left}


def cases():
    for kind in KINDS:
        for t in THRESHOLDS:
            for k in SIZES:
                yield kind, k, t


def fmt_seq(seq, limit=6):
    s = " ".join("%d:%d:%d" % tuple(c) for c in seq[:limit])
    return s + (" ... (%d)" % len(seq) if len(seq) > limit else "") if seq else "(none)"


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a["seq"], b["seq"])):
        if x != y:
            return "collection #%d: cpython %d:%d:%d, gencycle %d:%d:%d" % (
                (i + 1,) + tuple(x) + tuple(y))
    if len(a["seq"]) != len(b["seq"]):
        return "%d collections on cpython, %d on gencycle" % (len(a["seq"]), len(b["seq"]))
    for key in ("count", "stats", "left"):
        if a[key] != b[key]:
            return "%s: cpython %s, gencycle %s" % (key, a[key], b[key])
    return None


def main():
    driver = None
    args = sys.argv[1:]
    if args[:1] == ["--driver"] and len(args) == 2:
        driver = args[1]
    elif args:
        print("usage: gc_simple.py [--driver PATH]", file=sys.stderr)
        return 2
    todo = list(cases())
    real = [run(kind, k, t) for kind, k, t in todo]
    print("CPython %s: %d sequences (alloc:generation:collected)"
          % (sys.version.split()[0], len(todo)))
    if not driver:
        for (kind, k, t), r in zip(todo, real):
            print("%-6s K=%-5d %-14s %s count=%s stats=%s left=%d"
                  % (kind, k, "%d/%d/%d" % t, fmt_seq(r["seq"]), r["count"], r["stats"],
                     r["left"]))
        return 0
    lines = "".join("%s %d %d %d %d\n" % ((kind, k) + t) for kind, k, t in todo)
    out = subprocess.run([driver], input=lines, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print("the driver failed (exit %d): %s" % (out.returncode, out.stderr.strip()))
        return 1
    model = [json.loads(line) for line in out.stdout.splitlines()]
    if len(model) != len(todo):
        print("the driver printed %d records for %d sequences" % (len(model), len(todo)))
        return 1
    bad = 0
    collections = 0
    for (kind, k, t), r, m in zip(todo, real, model):
        collections += len(r["seq"])
        diff = first_difference(r, m)
        if diff:
            bad += 1
            print("MISMATCH %-6s K=%-5d %s: %s" % (kind, k, "%d/%d/%d" % t, diff))
            print("  cpython : %s count=%s stats=%s left=%d"
                  % (fmt_seq(r["seq"]), r["count"], r["stats"], r["left"]))
            print("  gencycle: %s count=%s stats=%s left=%d"
                  % (fmt_seq(m["seq"]), m["count"], m["stats"], m["left"]))
    print("%d of %d sequences equal on CPython and gencycle (%d collections compared)"
          % (len(todo) - bad, len(todo), collections))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
