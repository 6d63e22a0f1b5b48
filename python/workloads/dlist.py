"""dlist.py -- the Python twin of workloads/dlist.c (doubly linked rings).

`lists` rings of about `length` nodes, each with a sentinel head holding its
count and value sum.  One operation inserts or removes one node at a random
place of a random ring (P(insert) = 1 - count / (2 * length)); every
`drop_every`-th operation also drops a random ring and builds a new one.
backlinks=strong: every ring is a cycle.  weak: the OrderedDict trick --
each node's prev and the last node's next are weakref.ref objects; removing
a node moves its weak references to its neighbours, so only an insertion
makes one.

Parity with the C workload: the same parameters, defaults and random draws
(ring, insert/remove, position, node values, the dropped ring, in the C
order), and per operation the same container allocations: a node and a head
are one __slots__ instance each (two references, next and prev), plus one
weakref.ref per insertion with backlinks=weak.  The ring table is a Table
(one container, made at set-up).  Not the same: C payloads (magic, value;
a head's count and sum) are untracked int attributes here.
"""
import weakref

from _rng import Rng, table, array_size

PARAMS = {"lists": 100, "length": 1000, "drop_every": 1000, "backlinks": "strong"}

_ref = weakref.ref


class DNode:
    __slots__ = ("next", "prev", "value", "__weakref__")

    def __init__(self):
        self.next = None
        self.prev = None


class Head:
    __slots__ = ("next", "prev", "count", "sum", "__weakref__")

    def __init__(self):
        self.next = None
        self.prev = None


class State:
    __slots__ = ("rng", "lists", "length", "drop_every", "weak", "table", "ops",
                 "inserts", "removes", "drops")


def _deref(x):
    if type(x) is _ref:
        return x()
    return x


def _insert_after(d, a, head):
    n = DNode()
    v = d.rng.next()
    n.value = v
    nxt = a.next
    n.next = nxt
    b = _deref(nxt)
    if not d.weak:
        n.prev = a
        a.next = n
        b.prev = n
    else:
        n.prev = b.prev
        a.next = n
        b.prev = _ref(n)
    head.count += 1
    head.sum += v


def _unlink(x, head):
    pv = x.prev
    nx = x.next
    _deref(pv).next = nx
    _deref(nx).prev = pv
    head.count -= 1
    head.sum -= x.value


def _nth(d, head, k):
    x = head
    i = 0
    while i < k:
        x = _deref(x.next)
        if type(x) is not DNode:
            raise RuntimeError("operation %d: node %d of a ring is missing" % (d.ops, i + 1))
        i += 1
    return x


def _build_ring(d):
    head = Head()
    head.count = 0
    head.sum = 0
    if d.weak:
        wr = _ref(head)
        head.next = wr
        head.prev = wr
    else:
        head.next = head
        head.prev = head
    for _ in range(d.length):
        _insert_after(d, _deref(head.prev), head)
    return head


def setup(params, seed):
    d = State()
    d.lists = params["lists"]
    d.length = params["length"]
    d.drop_every = params["drop_every"]
    if params["backlinks"] not in ("strong", "weak"):
        raise ValueError("backlinks=%r is not one of strong, weak" % params["backlinks"])
    if d.lists < 1 or d.length < 1 or d.drop_every < 0:
        raise ValueError("lists and length must be >= 1, drop_every >= 0")
    if d.lists * (d.length + 1) > 100000000:
        raise ValueError("lists=%d x length=%d makes more than 100000000 nodes; lower one "
                         "of them" % (d.lists, d.length))
    d.weak = params["backlinks"] == "weak"
    d.rng = Rng()
    d.rng.seed(seed)
    d.ops = d.inserts = d.removes = d.drops = 0
    d.table = table(array_size(d.lists))
    for j in range(d.lists):
        d.table[j] = _build_ring(d)
    return d


def op(d):
    rng = d.rng
    ring = rng.below(d.lists)
    head = d.table[ring]
    count = head.count
    if rng.below(2 * d.length) >= count:
        k = rng.below(count + 1)
        _insert_after(d, _nth(d, head, k), head)
        d.inserts += 1
    else:
        k = rng.below(count)
        _unlink(_nth(d, head, k + 1), head)
        d.removes += 1
    if d.drop_every and (d.ops + 1) % d.drop_every == 0:
        j = rng.below(d.lists)
        d.table[j] = _build_ring(d)
        d.drops += 1
    d.ops += 1


def check(d):
    for j in range(d.lists):
        head = d.table[j]
        if type(head) is not Head:
            raise RuntimeError("ring %d: the head is missing" % j)
        count = 0
        total = 0
        prev = head
        x = _deref(head.next)
        while x is not head:
            if type(x) is not DNode:
                raise RuntimeError("ring %d: node %d is missing or not a node" % (j, count + 1))
            count += 1
            if count > head.count:
                raise RuntimeError("ring %d is longer than its count %d" % (j, head.count))
            pv = x.prev
            if d.weak != (type(pv) is _ref) or _deref(pv) is not prev:
                raise RuntimeError("ring %d: the back link of node %d is wrong" % (j, count))
            total += x.value
            prev = x
            x = _deref(x.next)
        if _deref(head.prev) is not prev:
            raise RuntimeError("ring %d: the head's back link is not the last node" % j)
        if count != head.count or total != head.sum:
            raise RuntimeError("ring %d has %d nodes (count says %d) or a wrong sum"
                               % (j, count, head.count))


def teardown(d):
    d.table = None
