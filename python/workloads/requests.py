"""requests.py -- the Python twin of workloads/requests.c (web requests over
a static old heap).

Set-up builds an old heap of records (one container and three strings each)
in pages of 32 under a directory.  One operation is one request: a frame
whose locals are a random tree of `request_objects - 1` objects (containers
of up to 8 references alternating dict-like and list-like by depth, strings
at the leaves); a fraction `cyclic` of requests also gets a traceback that
refers to the frame while the frame refers to it, a cycle.  The request then
stores `writes` fresh strings into random records of the old heap, checks
its tree and is dropped.

Parity with the C workload: the same parameters, defaults and random draws
(values, fan-outs, the split of objects among children, the cyclic coin,
the records and fields written), and per operation the same container
allocations: a frame (2 references), a traceback (1) and the tree's inner
nodes (8) are one __slots__ instance each; strings are real str objects
(16 hex digits of the value, as the C payload holds), untracked as C's
0-slot strings are.  Not the same: a real request would use dicts, lists
and frames; dicts and lists come from free lists that CPython does not
count, so the twin uses slotted classes that allocate what the C model
counts.  Tree recursion is Python recursion: a very deep random tree (only
possible with huge request_objects) could reach the recursion limit.
"""
from _rng import Rng, table, array_size

PARAMS = {"old_objects": 200000, "request_objects": 300, "cyclic": 0.02, "writes": 4}
RECORD_SLOTS = 3
PAGE_RECORDS = 32
FANOUT = 8
SLOT_NAMES = ("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7")
FIELD_NAMES = ("s0", "s1", "s2")


class Frame:
    __slots__ = ("locals", "tb", "value")

    def __init__(self):
        self.locals = None
        self.tb = None


class Traceback:
    __slots__ = ("frame", "value")


class Node8:
    """The C dict and list shapes: 8 references."""
    __slots__ = SLOT_NAMES + ("value",)

    def __init__(self):
        self.s0 = self.s1 = self.s2 = self.s3 = None
        self.s4 = self.s5 = self.s6 = self.s7 = None


class DictNode(Node8):
    __slots__ = ()


class ListNode(Node8):
    __slots__ = ()


class Record:
    __slots__ = ("s0", "s1", "s2", "value")


class State:
    __slots__ = ("rng", "request_objects", "writes", "cyclic", "records", "pages", "dir",
                 "old_sum", "acc", "cut", "wcount", "wsum", "ops", "containers",
                 "cyclic_requests")


def _text(v):
    return "%016x" % v


def _build(q, n, depth):
    """A random tree of exactly n objects; adds its values to q.acc."""
    rng = q.rng
    if n == 1:
        v = rng.next()
        q.acc += v
        return _text(v)
    c = ListNode() if depth & 1 else DictNode()
    v = rng.next()
    c.value = v
    q.acc += v
    q.containers += 1
    rest = n - 1
    kmax = rest if rest < FANOUT else FANOUT
    k = kmax if kmax <= 2 else 2 + rng.below(kmax - 1)
    # k - 1 sorted cuts in [0, rest - k], in a stack of ints shared by the
    # recursion (a list that only grows: no container is made per call).
    cut = q.cut
    base = len(cut)
    i = 0
    while i <= k:
        cut.append(0)
        i += 1
    for i in range(1, k):
        x = rng.below(rest - k + 1)
        j = i
        while j > 1 and cut[base + j - 1] > x:
            cut[base + j] = cut[base + j - 1]
            j -= 1
        cut[base + j] = x
    cut[base + k] = rest - k
    for i in range(k):
        child = _build(q, 1 + cut[base + i + 1] - cut[base + i], depth + 1)
        setattr(c, SLOT_NAMES[i], child)
    while len(cut) > base:
        cut.pop()
    return c


def _walk(q, o):
    if type(o) is str:
        q.wcount += 1
        q.wsum += int(o, 16)
        return
    if type(o) is not DictNode and type(o) is not ListNode:
        raise RuntimeError("a request slot holds a %s" % type(o).__name__)
    q.wcount += 1
    q.wsum += o.value
    for name in SLOT_NAMES:
        child = getattr(o, name)
        if child is not None:
            _walk(q, child)


def setup(params, seed):
    q = State()
    q.request_objects = params["request_objects"]
    q.writes = params["writes"]
    q.cyclic = float(params["cyclic"])
    if params["old_objects"] < 0 or q.request_objects < 1 or q.writes < 0:
        raise ValueError("old_objects and writes must be >= 0, request_objects >= 1")
    if not 0 <= q.cyclic <= 1:
        raise ValueError("cyclic=%r is outside 0..1" % q.cyclic)
    if q.writes > 0 and params["old_objects"] < 1 + RECORD_SLOTS:
        raise ValueError("writes=%d needs an old heap to write into: old_objects=%d is below "
                         "%d (one record)" % (q.writes, params["old_objects"], 1 + RECORD_SLOTS))
    q.rng = Rng()
    q.rng.seed(seed)
    q.records = params["old_objects"] // (1 + RECORD_SLOTS)
    q.pages = (q.records + PAGE_RECORDS - 1) // PAGE_RECORDS
    q.old_sum = 0
    q.cut = []
    q.ops = q.containers = q.cyclic_requests = 0
    q.dir = table(array_size(q.pages))
    rng = q.rng
    for p in range(q.pages):
        page = table(PAGE_RECORDS)
        q.dir[p] = page
        i = 0
        while i < PAGE_RECORDS and p * PAGE_RECORDS + i < q.records:
            rec = Record()
            rec.value = rng.next()
            page[i] = rec
            for name in FIELD_NAMES:
                v = rng.next()
                q.old_sum += v
                setattr(rec, name, _text(v))
            i += 1
    return q


def op(q):
    rng = q.rng
    q.acc = 0
    expect = q.request_objects
    frame = Frame()
    v = rng.next()
    frame.value = v
    q.acc += v
    q.containers += 1
    if q.request_objects > 1:
        frame.locals = _build(q, q.request_objects - 1, 0)
    if q.cyclic > 0 and rng.chance(q.cyclic):
        tb = Traceback()
        v = rng.next()
        tb.value = v
        q.acc += v
        tb.frame = frame
        frame.tb = tb
        expect += 1
        q.containers += 1
        q.cyclic_requests += 1
    for _ in range(q.writes):
        i = rng.below(q.records)
        j = rng.below(RECORD_SLOTS)
        v = rng.next()
        s = _text(v)
        rec = q.dir[i // PAGE_RECORDS][i % PAGE_RECORDS]
        if type(rec) is not Record:
            raise RuntimeError("operation %d: old record %d is damaged" % (q.ops, i))
        name = FIELD_NAMES[j]
        q.old_sum += v - int(getattr(rec, name), 16)
        setattr(rec, name, s)
    q.wcount = 1
    q.wsum = frame.value
    if frame.locals is not None:
        _walk(q, frame.locals)
    tb = frame.tb
    if tb is not None:
        if type(tb) is not Traceback or tb.frame is not frame:
            raise RuntimeError("operation %d: the traceback is damaged" % q.ops)
        q.wcount += 1
        q.wsum += tb.value
    if q.wcount != expect or q.wsum != q.acc:
        raise RuntimeError("operation %d: the request has %d objects (expected %d) or a "
                           "damaged one" % (q.ops, q.wcount, expect))
    q.ops += 1


def check(q):
    total = 0
    for i in range(q.records):
        page = q.dir[i // PAGE_RECORDS]
        if page is None:
            raise RuntimeError("old page %d is missing" % (i // PAGE_RECORDS))
        rec = page[i % PAGE_RECORDS]
        if type(rec) is not Record:
            raise RuntimeError("old record %d is missing or damaged" % i)
        for name in FIELD_NAMES:
            s = getattr(rec, name)
            if type(s) is not str:
                raise RuntimeError("a string of old record %d is missing" % i)
            total += int(s, 16)
    if total != q.old_sum:
        raise RuntimeError("the old heap's strings do not sum to the recorded value")


def teardown(q):
    q.dir = None
