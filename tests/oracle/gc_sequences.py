#!/usr/bin/env python3
"""gc_sequences.py -- run tests/test-gencycle-counts.c's counter sequences on the real
CPython 3.11 collector and compare them with the values worked out by hand.

Each sequence mirrors a Test in tests/test-gencycle-counts.c: the same thresholds,
the same allocations (instances of a class with __slots__, which are GC
containers like gctune's shapes with slots) and the same frees, and records
from gc.callbacks every collection: the allocation index at which it ran, its
generation and the objects it collected.  The expected values below are the
ones the C test asserts (derivations are in the C file's comments).

Exit status: 0 when every sequence matches, 1 otherwise, 2 when the running
interpreter is not CPython 3.11 (3.12 defers collections to the eval loop,
3.13 and 3.14 changed the collector).

How the measurement is kept from disturbing what it measures:
  - gc.collect(); gc.freeze(); gc.collect() before each sequence moves every
    interpreter object into the permanent generation: the heap starts empty
    (counts 0, long-lived total 0), like a fresh gctune heap.
  - A full collection empties the tuple/dict/list free lists, after which
    every tuple or dict allocation is a GC allocation (count[0] += 1) whose
    free does not give it back (the object goes onto the free list).  So
    nothing between the last gc.collect() of the preamble and the workload
    may build a tuple or a dict (not even int(sys.argv[1])), and
    gc.get_count() is read only at the end (it reads before allocating).
  - The callback records into preallocated lists of ints (ints are not
    tracked), never into tuples.  Its info dict comes from the dict free
    list, except right after a generation-2 collection has emptied that
    list: then the "stop" dict is a fresh GC allocation and count[0] ends at
    1 instead of 0.  The callback undoes that by dropping one frozen Token
    (PyObject_GC_Del takes count[0] back to 0); the model has no such dict.
"""
import gc
import sys

if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
    print("gc_sequences.py needs CPython 3.11, not %s %s"
          % (sys.implementation.name, sys.version.split()[0]))
    sys.exit(2)


class C:
    """A container with one reference slot, like GCT_SHAPE("node", 1, 0)."""
    __slots__ = ("x",)


class Token:
    """Frozen filler dropped by the callback (see the module docstring)."""
    __slots__ = ("x",)


MAXLOG = 256
MAXKEEP = 512
log_alloc = [0] * MAXLOG
log_gen = [0] * MAXLOG
log_coll = [0] * MAXLOG
nlog = 0
idx = 0            # index of the allocation in progress (1-based)
keep = [None] * MAXKEEP
pre = [None] * MAXKEEP
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


# ---- workloads (no GC allocation but the C() calls) ----------------------

def build(n):
    for i in range(n):
        pre[i] = C()


def w_keep(k):
    """Allocate k containers, each kept alive (pushed on the root stack)."""
    global idx
    for i in range(k):
        idx = i + 1
        keep[i] = C()


def w_cycles(k):
    """Create k two-object cycles and drop each one."""
    global idx
    for i in range(k):
        idx = 2 * i + 1
        a = C()
        idx = 2 * i + 2
        b = C()
        a.x = b
        b.x = a
        del a, b


def w_ops(ops):
    """'a': allocate a container kept alive; 'f': free the next prebuilt one;
    'd': allocate a container and drop it at once."""
    global idx
    n = 0
    f = 0
    for i in range(len(ops)):   # a str iterator would be a GC allocation
        ch = ops[i]
        if ch == "a":
            n += 1
            idx = n
            keep[n - 1] = C()
        elif ch == "d":
            n += 1
            idx = n
            C()
        else:
            pre[f] = None
            f += 1


def run(thresholds, prebuilt, work, arg):
    global nlog, idx
    for i in range(MAXKEEP):
        keep[i] = None
        pre[i] = None
    nlog = 0
    idx = 0
    tokens[:] = [Token() for _ in range(64)]
    gc.disable()
    gc.set_threshold(*thresholds)
    gc.collect()
    s0 = gc.get_stats()
    gc.freeze()
    if prebuilt:
        build(prebuilt)
    gc.collect()              # long_lived_total = prebuilt, counts (0, 0, 0)
    gc.callbacks.append(cb)
    gc.enable()
    work(arg)
    gc.disable()
    count = gc.get_count()
    gc.callbacks.remove(cb)
    s1 = gc.get_stats()
    seq = [(log_alloc[i], log_gen[i], log_coll[i]) for i in range(nlog)]
    # get_stats() deltas, less the preamble's one explicit collection (which
    # collected nothing: everything else was frozen).
    stats = []
    for g in range(3):
        n = s1[g]["collections"] - s0[g]["collections"] - (1 if g == 2 else 0)
        c = s1[g]["collected"] - s0[g]["collected"]
        stats.append((n, c))
    left = gc.collect()
    gc.unfreeze()
    return seq, count, stats, left


def fmt_seq(seq):
    return " ".join("%d:%d:%d" % s for s in seq) or "(none)"


def every(start, step, stop, gen, collected=0):
    return [(a, gen, collected) for a in range(start, stop + 1, step)]


# ---- the sequences of tests/test-gencycle-counts.c -------------------------------

def exp_keep_322():
    # gen0=3 gen1=2 gen2=2, 122 containers kept alive.
    g = {16: 1, 32: 1, 48: 1, 52: 2, 68: 1, 84: 1, 100: 1, 104: 2, 120: 1}
    return [(a, g.get(a, 0), 0) for a in range(4, 121, 4)]


def exp_skip(prebuilt):
    # gen0=3 gen1=2 gen2=2 after `prebuilt` long-lived objects, 82 kept.
    if prebuilt >= 192:   # 47 < prebuilt // 4: gen2 skipped at 52..64
        g = {16: 1, 32: 1, 48: 1, 64: 1, 68: 2}
    else:                 # 47 >= prebuilt // 4: gen2 runs at 52
        g = {16: 1, 32: 1, 48: 1, 52: 2, 68: 1}
    return [(a, g.get(a, 0), 0) for a in range(4, 81, 4)]


def exp_cycles():
    # gen0=3 gen1=2 gen2=2, 30 two-object cycles created and dropped.
    g = {16: (1, 8), 32: (1, 8), 48: (1, 8), 52: (2, 8)}
    return [(a,) + g.get(a, (0, 2)) for a in range(4, 61, 4)]


SEQUENCES = [
    # name, thresholds, prebuilt, work, arg, expected sequence,
    # expected final count, expected per-generation (collections, collected),
    # expected collect() afterwards
    ("keep_3_2_2", (3, 2, 2), 0, w_keep, 122, exp_keep_322(),
     (2, 0, 1), [(21, 0), (7, 0), (2, 0)], 0),
    ("skip_gen2_L200", (3, 2, 2), 200, w_keep, 82, exp_skip(200),
     (2, 3, 0), [(15, 0), (4, 0), (1, 0)], 0),
    ("boundary_L191", (3, 2, 2), 191, w_keep, 56, exp_skip(191)[:14],
     (0, 1, 0), [(10, 0), (3, 0), (1, 0)], 0),
    ("boundary_L192", (3, 2, 2), 192, w_keep, 56, exp_skip(192)[:14],
     (0, 2, 3), [(11, 0), (3, 0), (0, 0)], 0),
    ("cycles_3_2_2", (3, 2, 2), 0, w_cycles, 30, exp_cycles(),
     (0, 2, 0), [(11, 22), (3, 24), (1, 8)], 6),
    ("no_credit", (3, 10, 10), 10, w_ops, "aaffffaaaaaa", [(6, 0, 0)],
     (2, 1, 0), [(1, 0), (0, 0), (0, 0)], 0),
    ("churn", (3, 10, 10), 0, w_ops, "d" * 1000, [],
     (0, 0, 0), [(0, 0), (0, 0), (0, 0)], 0),
    ("period_N1", (1, 10, 10), 0, w_keep, 9, every(2, 2, 9, 0),
     (1, 4, 0), [(4, 0), (0, 0), (0, 0)], 0),
]


# ---- single checks of the gc-module surface (suite "table"/"count") -------

def preamble(thresholds=(700, 10, 10)):
    for i in range(MAXKEEP):
        keep[i] = None
        pre[i] = None
    gc.disable()
    gc.set_threshold(*thresholds)
    gc.collect()
    gc.freeze()
    gc.collect()


def check_table_counts():
    """table::count_after_collect0_is_0_1_0: 5 kept, collect(0), collect(1)."""
    preamble()
    w_keep(5)
    c5 = gc.get_count()       # read before its own tuple is allocated
    gc.collect(0)
    c0 = gc.get_count()
    gc.collect(1)
    c1 = gc.get_count()
    gc.unfreeze()
    return (tuple(c5), tuple(c0), tuple(c1)), ((5, 0, 0), (0, 1, 0), (0, 0, 1))


def check_frozen_cycle():
    """table::frozen_garbage_cycle_survives_until_unfreeze: collect(2) while
    frozen, then collect(0), collect(1), collect(2) after unfreeze."""
    preamble()
    w_cycles(1)
    gc.freeze()
    frozen = gc.collect(2)
    gc.unfreeze()
    r0 = gc.collect(0)
    r1 = gc.collect(1)
    r2 = gc.collect(2)
    return (frozen, r0, r1, r2), (0, 0, 0, 2)


nested = [None] * 8
nnested = 0


def cb_nested(phase, info):
    global nnested
    nested[nnested] = gc.collect(0)
    nested[nnested + 1] = gc.collect(2)
    nnested += 2


def check_nested_collect():
    """table::collect_while_collecting_returns_0: gc.collect() from inside
    the callback, at start and at stop, returns 0; the outer collect(1) of
    one garbage cycle returns 2."""
    global nnested
    preamble()
    w_cycles(1)
    nnested = 0
    gc.callbacks.append(cb_nested)
    r = gc.collect(1)
    gc.callbacks.remove(cb_nested)
    gc.unfreeze()
    return (r, nested[:nnested]), (2, [0, 0, 0, 0])


def check_new_object_in_gen0():
    """count::strict_trigger_at_allocation_n_plus_1 with gen0=3: the 4th
    allocation collects a1..a3 into generation 1; a4 itself is in
    generation 0 afterwards, alone."""
    preamble((3, 10, 10))
    gc.enable()
    w_keep(4)
    gc.disable()
    count = gc.get_count()
    g0 = [keep.index(o) + 1 for o in gc.get_objects(0) if type(o) is C]
    g1 = sorted(keep.index(o) + 1 for o in gc.get_objects(1) if type(o) is C)
    gc.unfreeze()
    return (tuple(count), g0, g1), ((0, 1, 0), [4], [1, 2, 3])


CHECKS = [check_table_counts, check_frozen_cycle, check_nested_collect,
          check_new_object_in_gen0]


def main():
    ok = True
    print("CPython %s, gc_sequences.py: alloc:generation:collected"
          % sys.version.split()[0])
    for name, thr, prebuilt, work, arg, exp, exp_count, exp_stats, exp_left in SEQUENCES:
        seq, count, stats, left = run(thr, prebuilt, work, arg)
        good = (seq == exp and tuple(count) == exp_count and stats == exp_stats
                and left == exp_left)
        ok = ok and good
        print("%s  threshold=%s prebuilt=%d  %s" % (name, thr, prebuilt,
                                                    "MATCH" if good else "MISMATCH"))
        print("  cpython : %s" % fmt_seq(seq))
        print("            count=%s stats=%s collect()=%d" % (tuple(count), stats, left))
        if not good:
            print("  expected: %s" % fmt_seq(exp))
            print("            count=%s stats=%s collect()=%d" % (exp_count, exp_stats, exp_left))
    for check in CHECKS:
        got, exp = check()
        good = got == exp
        ok = ok and good
        print("%s  %s" % (check.__name__, "MATCH" if good else "MISMATCH"))
        print("  cpython : %s" % (got,))
        if not good:
            print("  expected: %s" % (exp,))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
