#!/usr/bin/env python3
"""trace-to-python.py -- convert a gctune heap trace (docs/traces.md, format
version 1) into a stand-alone Python 3 program that performs the trace's
operations on a real interpreter and prints the JSON of docs/traces.md.

    scripts/trace-to-python.py TRACE [-o OUT.py] [--no-callback]
    python3.11 OUT.py > cpython.json

The trace is validated first by a dry run of its object graph (no collector
is needed for that: which object sits where is deterministic).  On an error
the converter prints `FILE:LINE: <what>` to stderr, naming the offending
value, exits 2 and writes nothing (an -o file is written only when the whole
program is ready, through a temporary file and a rename).  --no-callback
leaves the gc.callbacks callback out (no collections are listed; count and
stats must not change: tests/oracle/trace_oracle.py --hygiene checks it).

How the generated program keeps its own measurement out of the counts (the
technique of tests/oracle/gc_simple.py and gc_sequences.py, checked on
CPython 3.11, 3.12.1, 3.13.0, 3.14.2 and 3.15.0rc1):
  - Everything the program needs (the classes C1..C8, the root stack R, the
    log lists, the tokens, the threshold argument tuples, the callback, the
    json module) exists before gc.collect(); gc.freeze(); gc.collect(): the
    interpreter's and the program's own objects are then in the permanent
    generation, the counts are (0, 0, 0), long-lived total is 0 and the free
    lists are empty.  At the first operation gc.get_objects() holds nothing
    but what the check itself makes, on every version.
  - The frozen heap is topped up with filler objects to exactly HEAP0 =
    50000 tracked objects.  CPython 3.14.0-3.14.4's increment scans
    heap_size / (10 * threshold1) old objects besides the new ones, and
    heap_size counts every tracked object, the interpreter's own (about
    20,000 in Pyodide's 3.14.2, 7,000-11,000 natively) included; padded, the
    increments are the same whatever the interpreter holds (checked: 1,100
    more objects of its own change nothing).  Of the 50000, CPython 3.14.2's
    heap_size counts 49997 (tests/traces/increment-budget-*.trace).  The
    program fails (exit 3) if the interpreter holds more than HEAP0 itself.
    The generational versions ignore frozen objects, padded or not.
  - The trace runs as straight-line module code (no loop: in 3.12+ a
    back-edge is a safepoint).  Its operations allocate nothing tracked but
    the trace's own objects: `new N` is `R.append(CN())` (CN's __init__
    sets every slot to None: reading an unset __slots__ slot would raise
    AttributeError, an allocation; with no arguments the call's tuple is the
    empty-tuple singleton), `atom` is a fresh int (never tracked), `tuple K`
    is `R.append((A + ..., A + ...))`, BUILD_TUPLE of K fresh ints (not a
    constant; 3.14.1 and later create such a tuple untracked), `pop K` is K
    `R.pop()` calls (no slice object), `threshold` passes a tuple built
    before the freeze (`gc.set_threshold(*T_5)`: CALL_FUNCTION_EX hands the
    tuple itself to the METH_VARARGS function, so no argument tuple is built
    after a generation-2 collection has emptied the tuple free list),
    `safepoint` is `len(R)`, `set I J` is `R[I] = R[J]` (a subscript: no
    call), `none` is `R.append(None)`.  A `new N` of more than 8 slots is
    `R.append(CL())` then `R[-1].extend(P_N)`: CL is a list subclass with
    empty __slots__ (allocated like the CN classes, never from the list free
    list, which would skip the collector's count) and P_N a list of N Nones
    built before the freeze (extending from a list allocates no object); its
    slots are subscripts, `R[I][S]`.
  - The gc.callbacks callback stores ints into preallocated lists.  Its
    "stop" info dict after a generation-2 collection is a fresh allocation
    (that collection emptied the dict free list); where counting is at
    allocation (3.11-3.13, 3.14.0, 3.14.5+, 3.15) the dict, freed onto the
    free list, would leave count[0] at 1 where the collector left 0, so the
    callback drops one frozen token, whose PyObject_GC_Del takes count[0]
    back to 0.  3.14.1-3.14.4 count tracked objects: the dict's track and
    untrack net 0 there, and a dropped token would only shrink heap_size.
    So before the freeze the program makes and frees such a dict after a
    full collection and reads count[0] (get_count() builds its tuple after
    reading): 1 (3.11-3.13, 3.15) or 0 (3.14.2) is how many tokens a
    generation-2 collection drops, and tokens are made only then, as many
    as generation-2 collections can happen.  (The "start" dict may be fresh
    too, but every collection zeroes count[0] after its "start" callback.)
    On 3.14 the callback runs for every increment -- MARK increments and
    3.14.1+'s skipped ones included, which collect nothing -- and automatic
    increments report generation 1; it allocates nothing counted there
    either.  A callback past its log or its tokens fails the program.
  - On 3.14 the preamble's last gc.collect() is a full collection: it
    leaves phase MARK and work_to_do 0, whatever the interpreter's start-up
    (Pyodide's loader included) left; nothing can be scheduled while
    collection is disabled.  So the first increment of every trace is a
    MARK increment (collects nothing, is not counted in get_stats()[1]) and,
    work_to_do being 0 and not the -5000 of a fresh interpreter, 3.14.1+'s
    early return does not skip it.  The permanent generation is never empty
    (the interpreter's objects are frozen), so a finished scavenge never
    flips the spaces: it moves the visited space back to pending.  The
    frames below the program's (Pyodide's runPython) reference only frozen
    objects, which the MARK step skips.
  - gc.get_count() and gc.get_stats() are read after gc.disable() at the
    end, before anything else is built; the stats are deltas against a
    snapshot taken before the freeze, less the preamble's own generation-2
    collection.  Both are printed as the interpreter reports them: on 3.14
    the count is (young, visited space, pending space) and stats[1] counts
    COLLECT increments; 3.15's extra keys (candidates, duration) are not read.

On CPython 3.12 and later the program still runs, but every CALL (each
`new`, `atom`, `tuple`, `load` and `dup` makes one, and CN.__init__ starts
with a RESUME) is an eval-breaker check, so a collection scheduled by an
allocation runs before that same operation ends, not at the trace's next
`safepoint`.

`unfreeze` is converted only when automatic collection stays off from it to
the end of the trace: gc.unfreeze() moves every permanent object, the
interpreter's own included, into generation 2, so the next generation-2
collection would set CPython's long-lived total to tens of thousands of
objects a model's heap does not have, and the 25% rule would then skip
automatic generation-2 collections the model runs.  With automatic
collection off that total is never consulted, and the interpreter's objects
(all reachable) change no collected count.  Otherwise the converter refuses
the trace (exit 2) and says so.  One limit remains on 3.14.0-3.14.4: there
gc.unfreeze() puts the interpreter's objects in the visited space; once an
increment (`collect 1`) finishes a scavenge they are pending, and the next
increments scan them, which a model's heap cannot reproduce.  The converter
does not refuse that (the trace is fine on every other version);
tests/traces/freeze-unfreeze.trace stays clear of it.
"""
import os
import re
import sys
import tempfile

MAX_SLOTS = 8
MAX_NEW = 4194304               # `new N` above MAX_SLOTS: a list subclass (harness/trace.h)
MAX_THRESHOLD = 1000000000      # as gctune replay (harness/trace.c)
INT64 = 2**63
HEADER = ("gctune-trace", "1")
MAX_ITEMS = 8                   # tuple K: 1 <= K <= MAX_ITEMS
ATOM_BASE = 1000000000000       # atoms are A + ATOM_BASE (+ k): fresh ints, never cached
HEAP0 = 50000                   # frozen objects when the trace starts (see the docstring)
# in harness/trace.c's order, for the same message
OPERATIONS = ("new, atom, store, load, dup, pop, collect, threshold, enable, disable, "
              "freeze, unfreeze, safepoint, set, none, tuple")

# operation -> (minimum, maximum) number of arguments
ARITY = {
    "new": (1, 1), "atom": (0, 0), "tuple": (1, 1), "store": (3, 3), "load": (2, 2),
    "dup": (1, 1), "pop": (0, 1), "collect": (1, 1), "threshold": (1, 3),
    "enable": (0, 0), "disable": (0, 0), "freeze": (0, 0), "unfreeze": (0, 0),
    "safepoint": (0, 0),
    "set": (2, 2), "none": (0, 0),
}

INT_RE = re.compile(r"-?[0-9]+\Z")
BLANKS = re.compile(r"[ \t\r\n]+")   # what harness/trace.c splits on


class TraceError(Exception):
    def __init__(self, line, what):
        Exception.__init__(self, what)
        self.line = line
        self.what = what


class Obj:
    """A dry-run object: a container (slots list), an atom or a tuple (slots
    None; kind says which)."""
    __slots__ = ("slots", "kind")

    def __init__(self, nslots, kind="container"):
        self.slots = [None] * nslots if nslots else None
        self.kind = kind


class Big:
    """The marker parse() appends to the arguments of a store or load whose
    target has more than MAX_SLOTS slots (a list subclass in Python)."""


def fields_of(raw):
    return [f for f in BLANKS.split(raw.split("#", 1)[0]) if f]


def parse_lines(text):
    """Pass 1, the syntax: the header, operation names, field counts, decimal
    integers.  Returns [(line, op, args)], args ints (store's J '-' is None)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise TraceError(1, "not a trace: the file is empty")
    if tuple(fields_of(lines[0])) != HEADER:
        raise TraceError(1, "not a trace: the first line must be 'gctune-trace 1'")
    ops = []
    for n, raw in enumerate(lines[1:], start=2):
        fields = fields_of(raw)
        if not fields:
            continue
        if len(fields) > 4:
            raise TraceError(n, "'%s' has too many fields" % fields[0])
        op, args = fields[0], fields[1:]
        if op not in ARITY:
            raise TraceError(n, "unknown operation '%s' (operations: %s)" % (op, OPERATIONS))
        lo, hi = ARITY[op]
        if not lo <= len(args) <= hi:
            takes = ("%d field%s" % (lo, "" if lo == 1 else "s") if lo == hi
                     else "%d to %d fields" % (lo, hi))
            raise TraceError(n, "'%s' takes %s, got %d" % (op, takes, len(args)))
        vals = []
        for k, f in enumerate(args):
            if op == "store" and k == 2 and f == "-":
                vals.append(None)
                continue
            if op == "set" and k == 1 and f == "-":
                vals.append(None)
                continue
            if not INT_RE.match(f) or not -INT64 <= int(f) < INT64:
                raise TraceError(n, "%s: '%s' is not a decimal integer" % (op, f))
            vals.append(int(f))
        if op == "pop" and not vals:
            vals = [1]
        ops.append((n, op, vals))
    return ops


def parse(text):
    """Parse, then dry-run the object graph (pass 2: positions, slots,
    targets, ranges), in the order and with the messages of gctune replay.
    Returns [(line, op, args)] or raises TraceError."""
    ops = parse_lines(text)
    roots = []          # the dry-run root stack: Obj or None
    enabled = True      # automatic collection (the trace starts enabled)
    t0_zero = False     # threshold0 known to be 0 (automatic collection off)
    unfreeze_line = 0   # the first unfreeze, if any

    def position(n, op, p):
        if not -len(roots) <= p < len(roots):
            raise TraceError(n, "%s: position %d is not on the root stack (depth %d)"
                             % (op, p, len(roots)))
        return roots[p]

    def target(n, op, p, s):
        o = position(n, op, p)
        if o is None:
            raise TraceError(n, "%s: position %d holds None" % (op, p))
        if o.slots is None:
            raise TraceError(n, "%s: position %d holds %s, which has no slots"
                             % (op, p, "a tuple" if o.kind == "tuple" else "an atom"))
        if not 0 <= s < len(o.slots):
            raise TraceError(n, "%s: slot %d is outside the object at position %d (slots 0..%d)"
                             % (op, s, p, len(o.slots) - 1))
        return o

    for n, op, vals in ops:
        if op == "new":
            k = vals[0]
            if not 1 <= k <= MAX_NEW:
                raise TraceError(n, "new: %d slots (a container has 1 to %d)" % (k, MAX_NEW))
            roots.append(Obj(k))
        elif op == "atom":
            roots.append(Obj(0, "atom"))
        elif op == "tuple":
            k = vals[0]
            if not 1 <= k <= MAX_ITEMS:
                raise TraceError(n, "tuple: %d items (a tuple has 1 to %d)" % (k, MAX_ITEMS))
            roots.append(Obj(0, "tuple"))
        elif op == "store":
            i, s, j = vals
            o = target(n, "store", i, s)
            o.slots[s] = None if j is None else position(n, "store", j)
            if len(o.slots) > MAX_SLOTS:
                vals.append(Big)
        elif op == "load":
            i, s = vals
            o = target(n, "load", i, s)
            roots.append(o.slots[s])
            if len(o.slots) > MAX_SLOTS:
                vals.append(Big)
        elif op == "set":
            i, j = vals
            position(n, "set", i)
            roots[i] = None if j is None else position(n, "set", j)
        elif op == "none":
            roots.append(None)
        elif op == "dup":
            roots.append(position(n, "dup", vals[0]))
        elif op == "pop":
            k = vals[0]
            if not 1 <= k <= len(roots):
                raise TraceError(n, "pop: %d roots, but the root stack holds %d"
                                 % (k, len(roots)))
            del roots[len(roots) - k:]
        elif op == "collect":
            if not 0 <= vals[0] <= 2:
                raise TraceError(n, "collect: generation %d (0, 1 or 2)" % vals[0])
        elif op == "threshold":
            for t in vals:
                if not 0 <= t <= MAX_THRESHOLD:
                    raise TraceError(n, "threshold: %d is outside 0..%d" % (t, MAX_THRESHOLD))
            t0_zero = vals[0] == 0
        elif op == "enable":
            enabled = True
        elif op == "disable":
            enabled = False
        elif op == "unfreeze" and not unfreeze_line:
            unfreeze_line = n
        if unfreeze_line and enabled and not t0_zero:
            raise TraceError(
                unfreeze_line,
                "unfreeze: the converter supports it only while automatic collection "
                "stays off to the end of the trace (it is on at line %d): gc.unfreeze() "
                "moves the interpreter's own frozen objects into generation 2, which "
                "changes when CPython runs automatic generation-2 collections" % n)
    return ops


def py_root(i):
    return "R[%d]" % i


def generate(trace_name, ops, callback=True):
    """The program's text.  callback=False leaves the gc.callbacks callback
    out (its JSON then lists no collections): the oracle's --hygiene check
    that the callback changes neither count nor stats."""
    nalloc = sum(1 for _, op, _ in ops if op in ("new", "tuple"))
    ncollect = sum(1 for _, op, _ in ops if op == "collect")
    # Every automatic collection is scheduled or run by one allocation of a
    # tracked kind (`new`, `tuple`): at most one each, plus the explicit ones.
    maxlog = nalloc + ncollect + 1
    # Generation-2 collections, at most: the explicit ones, and an automatic
    # one needs more than threshold0 counted allocations since the last
    # collection (700 is the lowest default, 3.11's and 3.12's).
    t0s = [700] + [vals[0] for _, op, vals in ops if op == "threshold" and vals[0] > 0]
    ncollect2 = sum(1 for _, op, vals in ops if op == "collect" and vals[0] == 2)
    ntokens = ncollect2 + nalloc // (min(t0s) + 1) + 1
    thresholds = []
    for _, op, vals in ops:
        if op == "threshold" and tuple(vals) not in thresholds:
            thresholds.append(tuple(vals))
    tname = {t: "T_%s" % "_".join(str(v) for v in t) for t in thresholds}
    bigs = sorted({v[0] for _, op, v in ops if op == "new" and v[0] > MAX_SLOTS})

    out = []
    w = out.append
    w("#!/usr/bin/env python3")
    w("# Generated by scripts/trace-to-python.py from %s" % trace_name)
    w("# (gctune trace format v1, %d operations; see docs/traces.md)." % len(ops))
    w("# It performs the trace's operations on the interpreter that runs it and")
    w("# prints the JSON of docs/traces.md on stdout (the interpreter on stderr):")
    w("#     python3.11 THIS.py > cpython.json")
    w("#     gctune replay %s -c gencycle > gencycle.json" % trace_name)
    w("# Everything the program needs is built before gc.collect(); gc.freeze();")
    w("# gc.collect(); the trace itself is straight-line code that allocates")
    w("# nothing tracked but its own objects (see the converter's docstring).")
    if not callback:
        w("# Made with --no-callback: no gc.callbacks callback, so no collections")
        w("# are listed; count and stats are the same as with it.")
    w("import gc")
    w("import json")
    w("import sys")
    w("")
    w('print("%s: %s %s (%s)" % (sys.argv[0], sys.implementation.name,')
    w('                          sys.version.split()[0], sys.executable), file=sys.stderr)')
    w("")
    for k in range(1, MAX_SLOTS + 1):
        names = ", ".join('"s%d"' % s for s in range(k))
        w("")
        w("class C%d:" % k)
        w("    __slots__ = (%s%s)" % (names, "," if k == 1 else ""))
        w("")
        w("    def __init__(self):")
        for s in range(k):
            w("        self.s%d = None" % s)
        w("")
    if bigs:
        w("")
        w("class CL(list):")
        w('    """A container of more than %d slots: one tracked object, filled from a' % MAX_SLOTS)
        w('    frozen list of Nones by extend (no allocation)."""')
        w("    __slots__ = ()")
        w("")
    w("")
    w("class Token:")
    w('    """Frozen filler: the callback drops one after a generation-2')
    w('    collection; more of them make up the frozen heap to HEAP0."""')
    w('    __slots__ = ("x",)')
    w("")
    w("")
    w("HEAP0 = %d     # tracked objects, all frozen, when the trace starts" % HEAP0)
    w("MAXLOG = %d" % maxlog)
    w("NTOKENS = %d    # generation-2 collections, at most" % ntokens)
    w("log_op = [0] * MAXLOG")
    w("log_alloc = [0] * MAXLOG")
    w("log_gen = [0] * MAXLOG")
    w("log_coll = [0] * MAXLOG")
    w("log_unc = [0] * MAXLOG")
    w("nlog = 0")
    w("lost = 0        # callback calls past MAXLOG (the program then fails)")
    w("R = []          # the root stack")
    w("L = 0           # the trace line of the operation in progress")
    w("A = 0           # allocations (new, atom and tuple) completed")
    for t in thresholds:
        w("%s = %r" % (tname[t], t))
    for k in bigs:
        w("P_%d = [None] * %d" % (k, k))
    w("")
    w("")
    w("def cb(phase, info):")
    w("    global nlog, lost")
    w("    if nlog == MAXLOG:")
    w("        lost += 1")
    w("        return")
    w('    if phase == "start":')
    w("        log_op[nlog] = L")
    w("        log_alloc[nlog] = A")
    w('        log_gen[nlog] = info["generation"]')
    w("    else:")
    w('        log_coll[nlog] = info["collected"]')
    w('        log_unc[nlog] = info["uncollectable"]')
    w("        nlog += 1")
    w('        if info["generation"] == 2 and DROP:')
    w("            if tokens:")
    w("                tokens.pop()")
    w("            else:")
    w("                lost += 1")
    w("")
    w("")
    w("count = None")
    w("s1 = None")
    w("gc.disable()")
    w("gc.collect()")
    w("# Does a dict like a callback's info, made after a full collection emptied")
    w("# the free lists and then freed, leave count[0] one up (counting at")
    w("# allocation, the dict kept on the free list) or not (3.14.1-3.14.4 count")
    w("# tracked objects)?  The tuple get_count() returns is made after it reads.")
    w('d = {"generation": 2, "collected": 0, "uncollectable": 0}')
    w("d = None")
    w("DROP = gc.get_count()[0]")
    w("if DROP not in (0, 1):")
    w('    print("%s: a dict made and freed after a full collection left count[0] at %d, "')
    w('          "not 0 or 1" % (sys.argv[0], DROP), file=sys.stderr)')
    w("    sys.exit(3)")
    w("tokens = [Token() for _ in range(NTOKENS * DROP)]")
    w("s0 = gc.get_stats()")
    w("gc.freeze()")
    w("own_objs = gc.get_freeze_count()   # the interpreter's and this program's")
    w("if own_objs + 1 > HEAP0:")
    w('    print("%s: the interpreter holds %d tracked objects, more than the %d the trace "')
    w('          "starts with" % (sys.argv[0], own_objs, HEAP0), file=sys.stderr)')
    w("    sys.exit(3)")
    w("filler = [Token() for _ in range(HEAP0 - own_objs - 1)]   # with its list: HEAP0 in all")
    w("gc.freeze()")
    w("heap0 = gc.get_freeze_count()")
    w("if heap0 != HEAP0:")
    w('    print("%s: %d objects frozen, not %d" % (sys.argv[0], heap0, HEAP0), file=sys.stderr)')
    w("    sys.exit(3)")
    w("z = gc.collect()      # counts (0, 0, 0), long-lived total 0, free lists empty")
    if callback:
        w("gc.callbacks.append(cb)")
    w("gc.enable()")
    w("# ---- the trace: measured from here ----")
    alloc = 0
    for n, op, v in ops:
        w("L = %d" % n)
        if op == "new" and v[0] > MAX_SLOTS:
            alloc += 1
            w("R.append(CL())")
            w("R[-1].extend(P_%d)" % v[0])
            w("A = %d" % alloc)
        elif op == "new":
            alloc += 1
            w("R.append(C%d())" % v[0])
            w("A = %d" % alloc)
        elif op == "atom":
            alloc += 1
            w("R.append(A + %d)" % ATOM_BASE)
            w("A = %d" % alloc)
        elif op == "tuple":
            alloc += 1
            items = ", ".join("A + %d" % (ATOM_BASE + k) for k in range(1, v[0] + 1))
            w("R.append((%s%s))" % (items, "," if v[0] == 1 else ""))
            w("A = %d" % alloc)
        elif op == "store" and v[-1] is Big:
            i, s, j = v[:3]
            w("%s[%d] = %s" % (py_root(i), s, "None" if j is None else py_root(j)))
        elif op == "store":
            i, s, j = v
            w("%s.s%d = %s" % (py_root(i), s, "None" if j is None else py_root(j)))
        elif op == "load" and v[-1] is Big:
            w("R.append(%s[%d])" % (py_root(v[0]), v[1]))
        elif op == "load":
            w("R.append(%s.s%d)" % (py_root(v[0]), v[1]))
        elif op == "set":
            w("%s = %s" % (py_root(v[0]), "None" if v[1] is None else py_root(v[1])))
        elif op == "none":
            w("R.append(None)")
        elif op == "dup":
            w("R.append(%s)" % py_root(v[0]))
        elif op == "pop":
            for _ in range(v[0]):
                w("R.pop()")
        elif op == "collect":
            w("gc.collect(%d)" % v[0])
        elif op == "threshold":
            w("gc.set_threshold(*%s)" % tname[tuple(v)])
        elif op in ("enable", "disable", "freeze", "unfreeze"):
            w("gc.%s()" % op)
        elif op == "safepoint":
            w("len(R)")
    w("# ---- end of the trace ----")
    w("gc.disable()")
    w("count = gc.get_count()     # read before anything is built")
    w("s1 = gc.get_stats()        # a snapshot taken before its list is built")
    if callback:
        w("gc.callbacks.remove(cb)")
    w("del R[:]")
    w("if lost:")
    w('    print("%s: %d callback calls past the log\'s %d entries or the %d tokens: "')
    w('          "collections lost" % (sys.argv[0], lost, MAXLOG, NTOKENS), file=sys.stderr)')
    w("    sys.exit(3)")
    w("collections = []")
    w("for k in range(nlog):")
    w('    collections.append({"op": log_op[k], "alloc": log_alloc[k],')
    w('                        "generation": log_gen[k], "collected": log_coll[k],')
    w('                        "uncollectable": log_unc[k]})')
    w("stats = []")
    w("for g in range(3):")
    w("    # less the preamble's own generation-2 collection (z collected)")
    w("    own = 1 if g == 2 else 0")
    w('    stats.append({"collections": s1[g]["collections"] - s0[g]["collections"] - own,')
    w('                  "collected": s1[g]["collected"] - s0[g]["collected"] - own * z,')
    w('                  "uncollectable": s1[g]["uncollectable"] - s0[g]["uncollectable"]})')
    w('print(json.dumps({"collections": collections, "count": list(count), "stats": stats},')
    w("                 indent=2))")
    w('print("%s: the trace started with %d frozen objects, %d of them the interpreter\'s '
      'and the program\'s own" % (sys.argv[0], heap0, own_objs), file=sys.stderr)')
    return "\n".join(out) + "\n"


def usage():
    print("usage: trace-to-python.py TRACE [-o OUT.py] [--no-callback]", file=sys.stderr)
    return 2


def main(argv):
    trace = None
    outpath = None
    callback = True
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "-o" and i + 1 < len(argv):
            outpath = argv[i + 1]
            i += 2
        elif a == "--no-callback":
            callback = False
            i += 1
        elif a.startswith("-") and a != "-":
            return usage()
        elif trace is None:
            trace = a
            i += 1
        else:
            return usage()
    if trace is None:
        return usage()
    try:
        with open(trace, encoding="utf-8", newline="") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print("%s: cannot read: %s" % (trace, e), file=sys.stderr)
        return 2
    try:
        ops = parse(text)
    except TraceError as e:
        print("%s:%d: %s" % (trace, e.line, e.what), file=sys.stderr)
        return 2
    program = generate(trace, ops, callback)
    if outpath is None:
        sys.stdout.write(program)
        return 0
    d = os.path.dirname(os.path.abspath(outpath))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".trace-to-python.", suffix=".py", dir=d)
    except OSError as e:
        print("%s: cannot write: %s" % (outpath, e), file=sys.stderr)
        return 1
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(program)
        os.chmod(tmp, 0o755)
        os.replace(tmp, outpath)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            print("%s: cannot write: %s" % (outpath, e), file=sys.stderr)
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
