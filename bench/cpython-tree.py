#!/usr/bin/env python3
"""cpython-tree.py -- the CPython anchor of bench/anchors.

The same tree as gct-bench's collect/<collector>/tree/<case>/<n>: a balanced
binary tree of n nodes with parent pointers, built depth-first in preorder
(the left subtree takes the odd node), each node an instance of a class with
__slots__ = ('left', 'right', 'parent') -- three references, 56 bytes with
its GC header, a 64-byte pymalloc block, the size of a gencycle node.

gc.freeze() first moves the interpreter's own objects to the permanent
generation, so that gc.collect() sees the tree only; collection stays off
(gc.disable()) while building, as in gct-bench.

  live: one untimed gc.collect() (the tree then sits in the oldest
        generation), then `reps` timed gc.collect(), each on the same tree.
  dead: the tree is built, its root dropped (all of it is cyclic garbage)
        and one gc.collect() timed, which frees it; each repetition runs in
        a fresh interpreter, as gct-bench uses a fresh heap.

Prints one JSON object per line:
  {"anchor": "cpython", "case": "tree/live", "n": N, "ns_per_obj": [...], ...}
"""
import argparse
import gc
import json
import platform
import subprocess
import sys
import time


class Node:
    __slots__ = ("left", "right", "parent")


def build(n, parent):
    x = Node()
    x.parent = parent
    rest = n - 1
    nl = rest - rest // 2
    nr = rest // 2
    x.left = build(nl, x) if nl else None
    x.right = build(nr, x) if nr else None
    return x


def count(x):
    n = 0
    while x is not None:  # the right spine iteratively, the left recursively
        n += 1 + count(x.left)
        x = x.right
    return n


def live(n, reps):
    root = build(n, None)
    if count(root) != n:
        sys.exit("cpython-tree: the tree has the wrong size")
    gc.collect()  # untimed: into the oldest generation
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        found = gc.collect()
        dt = time.perf_counter_ns() - t0
        if found:
            sys.exit(f"cpython-tree: a collection of a live tree found {found} objects")
        samples.append(dt / n)
    return samples


def dead_once(n):
    root = build(n, None)
    del root
    t0 = time.perf_counter_ns()
    found = gc.collect()
    dt = time.perf_counter_ns() - t0
    if found != n:
        sys.exit(f"cpython-tree: collected {found} objects, expected {n}")
    return dt / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000000", help="comma-separated tree sizes")
    ap.add_argument("--reps", type=int, default=5, help="timed collections per case")
    ap.add_argument("--cases", default="live,dead", help="live, dead or both")
    ap.add_argument("--dead-once", type=int, metavar="N", help=argparse.SUPPRESS)
    a = ap.parse_args()

    gc.disable()
    gc.freeze()
    if a.dead_once:
        print(dead_once(a.dead_once))
        return
    sizes = [int(s) for s in a.sizes.split(",") if s]
    cases = [c for c in a.cases.split(",") if c]
    meta = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "node_bytes": sys.getsizeof(Node()),
    }
    for n in sizes:
        for case in cases:
            if case == "live":
                samples = live(n, a.reps)
            elif case == "dead":
                samples = []
                for _ in range(a.reps):  # a fresh interpreter each time
                    out = subprocess.run(
                        [sys.executable, __file__, "--dead-once", str(n)],
                        check=True, capture_output=True, text=True)
                    samples.append(float(out.stdout))
            else:
                sys.exit(f"cpython-tree: unknown case '{case}' (live, dead)")
            rec = {"anchor": "cpython", "case": "tree/" + case, "n": n,
                   "ns_per_obj": [round(s, 3) for s in samples]}
            rec.update(meta)
            print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
