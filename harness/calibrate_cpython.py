"""calibrate_cpython.py: what CPython's cycle collector costs on this machine.

gctune carries this file inside its binary (harness/meson.build turns it into
a C array) and runs it in the interpreter to be measured, `PYTHON -I -c
<this file>`; it prints one JSON object on stdout:

  {"python": {"executable", "version", "implementation"},
   "seconds": wall time of the whole calibration,
   "observations": [{"label", "generation", "examined", "traversed", "freed",
                     "collections", "ns", "holdout"}, ...]}

Each observation is one gc.collect(generation), timed with
time.perf_counter_ns() (the median of several repetitions, taken in rounds
over all the structures), of a structure whose work is known by construction
and checked before the collection:

  - n lists of k references each: list i holds list i+1 (a ring, so each
    list reaches all the others) and k - 1 lists drawn at random from the
    NEAR lists around it.  Near, because programs build most structures in
    allocation order; references spread at random over a heap larger than
    the caches cost a cache miss each, which a model linear in the work
    cannot express (at 80,000 lists of 8 references it made a full
    collection 2 to 10 times slower per reference than at 20,000);
  - live (list 0 held by a local variable, nothing freed) or dead (nothing
    held, all of it cyclic garbage, freed = n);
  - and n empty lists (k = 0), live, each held by a frozen list outside the
    collected set: the cost of an object with no references;
  - young (generation 0, just built), middle (moved to generation 1 by a
    collection of generation 0) or old (moved to generation 2 by a full
    collection);
  - and empty collections of each generation (the fixed cost).

Before each structure is built, everything else is frozen (gc.freeze), so
the collected set is exactly the structure: examined = n.  traversed counts
the references CPython 3.11's gc_collect_main has tp_traverse visit, by the
definition gctune's gencycle counts with (collectors/gencycle.c): every
reference of the set in subtract_refs, then each object once more (the
reachable ones in move_unreachable, the unreachable ones in the second
deduce_unreachable of handle_resurrected_objects), so 2 * n * k.  The script
checks both against the interpreter (gc.get_objects, gc.get_referents) and
stops with a message on stderr and exit status 3 if they differ.

Observations marked "holdout" use shapes the others do not (k = 3, other
sizes); the fit leaves them out, so they test its predictions.

Automatic collection is off throughout.  The whole run takes a few seconds.
"""

import gc
import json
import random
import sys
import time

# (generation, n) of the fitted structures, each for every k and both fates
# (k = 0 live only: empty lists cannot form garbage cycles).
# Generation 2 stays under about 8 MB: past the caches a full collection's
# time per object grows with the heap and from run to run (at 80,000 lists of
# 8 references, 15 to 117 ms for the same collection), which no linear model
# can fit.
SIZES = {0: (200, 700, 2000), 1: (2000, 8000), 2: (10000, 50000)}
KS = (0, 1, 2, 4, 8)
REPS = {0: 9, 1: 7, 2: 5}
NEAR = 1024
EMPTY_REPS = 21
# Held out of the fit: (generation, n, k, live).
HOLDOUT = ((0, 500, 3, False), (0, 1500, 3, True), (1, 5000, 3, False),
           (2, 30000, 3, True), (2, 25000, 3, False))


class Mismatch(Exception):
    pass


def build(n, k, rng):
    """The structure; returns its first list (the only reference to it), or
    for k = 0 the frozen list that holds the n empty lists."""
    if k == 0:
        holder = [None] * n
        gc.freeze()
        for i in range(n):
            holder[i] = []
        return holder
    objs = [None] * n
    for i in range(n):
        objs[i] = [None] * k
    near = min(n, NEAR)
    offsets = rng.choices(range(near), k=n * (k - 1)) if k > 1 else None
    p = 0
    for i in range(n):
        lst = objs[i]
        lst[0] = objs[i + 1 if i + 1 < n else 0]
        base = i - near // 2
        for j in range(1, k):
            lst[j] = objs[(base + offsets[p]) % n]
            p += 1
    head = objs[0]
    del objs, offsets, lst
    return head


def place(gen):
    """Move everything tracked and alive into generation gen (untimed)."""
    if gen == 1:
        gc.collect(0)
    elif gen == 2:
        gc.collect(2)


def check(gen, n, k):
    """The collected set is the structure: n objects, n * k references."""
    examined = 0
    referents = 0
    for g in range(gen + 1):
        objs = gc.get_objects(g)
        examined += len(objs)
        for o in objs:
            referents += len(gc.get_referents(o))
        del objs
    if examined != n or referents != n * k:
        raise Mismatch("generation %d holds %d objects with %d references, expected %d and %d"
                       % (gen, examined, referents, n, n * k))


def fresh():
    """Free what earlier structures left and freeze the script's own objects."""
    gc.collect(2)
    gc.freeze()


def collect_timed(gen):
    t0 = time.perf_counter_ns()
    gc.collect(gen)
    return time.perf_counter_ns() - t0


def median(xs):
    xs = sorted(xs)
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def measure_once(gen, n, k, live, rng, first):
    """Build one structure, place it in generation gen and time its
    collection (the first time, check it is what it should be)."""
    fresh()
    head = build(n, k, rng)
    place(gen)
    if not live:
        head = None
    if first:
        check(gen, n, k)
    t = collect_timed(gen)
    del head
    return t


def configurations():
    """(label, generation, n, k, live, holdout) of every observation."""
    cfgs = [("gen%d empty" % gen, gen, 0, 0, True, False) for gen in (0, 1, 2)]
    for gen, sizes in SIZES.items():
        for n in sizes:
            for k in KS:
                for live in ((True,) if k == 0 else (True, False)):
                    cfgs.append((None, gen, n, k, live, False))
    for gen, n, k, live in HOLDOUT:
        cfgs.append((None, gen, n, k, live, True))
    return [(label or "gen%d %s n=%d k=%d" % (gen, "live" if live else "dead", n, k),
             gen, n, k, live, holdout) for label, gen, n, k, live, holdout in cfgs]


def main():
    start = time.perf_counter()
    gc.disable()
    rng = random.Random(20240611)
    cfgs = configurations()
    times = [[] for _ in cfgs]
    # Rounds: each configuration once per round, so that a burst of load
    # from a neighbour spoils one repetition of many configurations (the
    # median drops it) rather than every repetition of one.
    for rnd in range(max(max(REPS.values()), EMPTY_REPS)):
        for i, (label, gen, n, k, live, holdout) in enumerate(cfgs):
            if n == 0:
                if rnd < EMPTY_REPS:
                    fresh()
                    if rnd == 0:
                        check(gen, 0, 0)
                    times[i].append(collect_timed(gen))
            elif rnd < REPS[gen]:
                times[i].append(measure_once(gen, n, k, live, rng, rnd == 0))
    obs = []
    for (label, gen, n, k, live, holdout), ts in zip(cfgs, times):
        obs.append({"label": label, "generation": gen, "examined": n,
                    "traversed": 2 * n * k, "freed": 0 if live else n,
                    "collections": 1, "ns": median(ts), "holdout": holdout})
    out = {
        "python": {"executable": sys.executable,
                   "version": "%d.%d.%d" % sys.version_info[:3],
                   "implementation": sys.implementation.name},
        "seconds": round(time.perf_counter() - start, 3),
        "observations": obs,
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main()
    except Mismatch as e:
        sys.stderr.write("calibrate_cpython.py: %s\n" % e)
        sys.exit(3)
