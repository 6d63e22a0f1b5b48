"""cache.py -- the Python twin of workloads/cache.c (an LRU cache laid out
like functools.lru_cache, with Zipf-distributed keys).

A hash index (a bucket table whose chains run through the links) and a
circular doubly linked list of links with a sentinel root; root.next is the
least recently used link.  One operation looks up one key: a hit moves its
link to the recent end; a miss builds a value of `value_objects` objects,
each referring back to its link (so link and value form a cycle), inserts a
new link and, once the cache holds `capacity` entries, evicts the oldest
link, which leaves its value attached: cyclic garbage of value_objects + 1.
values=weak: a link holds a weakref.ref to its value, the application keeps
the last `hold` values alive in a ring, and a dead weak reference is a miss
("dead") that rebuilds the value.

Parity with the C workload: the same parameters, defaults and random draws
(Zipf keys through the same rejection-inversion sampler, value data), the
same buckets (splitmix64's mixer of the key), and per operation the same
container allocations: a link is one __slots__ instance with four
references (prev, next, hnext, value), a value object one with two (entry,
next), one weakref.ref per built value with values=weak.  Not the same:
lru_cache's real links are 4-item lists and its index a dict (lists and
dicts come from free lists that CPython does not count, so the twin uses
slotted classes for the C model's counts); C payloads (magic, key, sums)
are untracked int attributes.  With values=weak, when a value dies is
reference counting's business, as under the C gencycle model.
"""
import weakref

from _rng import Rng, Zipf, mix64, table, array_size

PARAMS = {"keys": 100000, "zipf": 1.0, "capacity": 10000, "value_objects": 4,
          "values": "strong", "hold": 1000}

_ref = weakref.ref


class Link:
    __slots__ = ("prev", "next", "hnext", "value", "key", "vsum")

    def __init__(self):
        self.prev = None
        self.next = None
        self.hnext = None
        self.value = None


class Value:
    __slots__ = ("entry", "next", "key", "data", "__weakref__")


class Cache:
    """The cache object (C's lru_cache shape: root, index, hold)."""
    __slots__ = ("root", "index", "hold")


class State:
    __slots__ = ("rng", "zipf", "capacity", "value_objects", "weak", "hold", "hold_pos",
                 "nbuckets", "size", "cache", "built", "hits", "misses", "dead", "evictions")


def _find(c, key):
    l = c.cache.index[mix64(key) & (c.nbuckets - 1)]
    while l is not None:
        if l.key == key:
            return l
        l = l.hnext
    return None


def _value_of(c, l):
    v = l.value
    if c.weak and v is not None:
        return v()
    return v


def _value_ok(c, l, v):
    n = 0
    total = 0
    while v is not None:
        if type(v) is not Value or v.key != l.key or v.entry is not l:
            return False
        n += 1
        if n > c.value_objects:
            return False
        total += v.data
        v = v.next
    return n == c.value_objects and total == l.vsum


def _build_value(c, key):
    """A new chain of value_objects Values (in c.built); returns its data sum."""
    v = None
    total = 0
    rng = c.rng
    for _ in range(c.value_objects):
        n = Value()
        n.key = key
        d = rng.next()
        n.data = d
        total += d
        n.next = v
        v = n
    c.built = v
    return total


def _attach(c, l, v, total):
    if c.weak:
        l.value = _ref(v)
    else:
        l.value = v
    l.vsum = total
    while v is not None:
        v.entry = l
        v = v.next


def _append(root, l):
    last = root.prev
    last.next = l
    root.prev = l
    l.prev = last
    l.next = root


def _unlink(l):
    p = l.prev
    n = l.next
    p.next = n
    n.prev = p


def _evict(c):
    root = c.cache.root
    index = c.cache.index
    old = root.next
    _unlink(old)
    b = mix64(old.key) & (c.nbuckets - 1)
    p = index[b]
    if p is old:
        index[b] = old.hnext
    else:
        while p is not None and p.hnext is not old:
            p = p.hnext
        if p is None:
            raise RuntimeError("evicted key %d is not in its bucket" % old.key)
        p.hnext = old.hnext
    old.prev = None
    old.next = None
    old.hnext = None
    c.size -= 1
    c.evictions += 1


def _hold(c, v):
    if c.weak:
        c.cache.hold[c.hold_pos] = v
        c.hold_pos = (c.hold_pos + 1) % c.hold


def _insert(c, key):
    """A miss: a new link with a new value (left in c.built); returns its sum."""
    total = _build_value(c, key)
    l = Link()
    l.key = key
    l.vsum = 0
    _attach(c, l, c.built, total)
    index = c.cache.index
    b = mix64(key) & (c.nbuckets - 1)
    l.hnext = index[b]
    index[b] = l
    _append(c.cache.root, l)
    c.size += 1
    if c.size > c.capacity:
        _evict(c)
    return total


def setup(params, seed):
    keys = params["keys"]
    capacity = params["capacity"]
    if params["values"] not in ("strong", "weak"):
        raise ValueError("values=%r is not one of strong, weak" % params["values"])
    if keys < 1 or capacity < 1 or params["value_objects"] < 1 or params["hold"] < 0:
        raise ValueError("keys, capacity and value_objects must be >= 1, hold >= 0")
    if not 0 <= params["zipf"] <= 10:
        raise ValueError("zipf=%r is outside 0..10" % params["zipf"])
    if capacity > keys:
        raise ValueError("capacity=%d is larger than keys=%d: the cache could never fill "
                         "and evict" % (capacity, keys))
    weak = params["values"] == "weak"
    if weak and params["hold"] < 1:
        raise ValueError("values=weak needs hold >= 1")
    c = State()
    c.rng = Rng()
    c.rng.seed(seed)
    c.zipf = Zipf(keys, float(params["zipf"]))
    c.capacity = capacity
    c.value_objects = params["value_objects"]
    c.weak = weak
    c.hold = params["hold"] if weak else 0
    c.hold_pos = 0
    c.size = 0
    c.hits = c.misses = c.dead = c.evictions = 0
    c.nbuckets = array_size(capacity)
    co = Cache()
    root = Link()
    root.key = 0
    root.vsum = 0
    root.prev = root
    root.next = root
    co.root = root
    co.index = table(c.nbuckets)
    co.hold = table(array_size(c.hold)) if weak else None
    c.cache = co
    for k in range(capacity, 0, -1):
        _insert(c, k)
        _hold(c, c.built)
    c.built = None
    return c


def op(c):
    key = c.zipf.sample(c.rng)
    l = _find(c, key)
    if l is None:
        c.misses += 1
        _insert(c, key)
        _hold(c, c.built)
    else:
        v0 = _value_of(c, l)
        if v0 is not None:
            c.hits += 1
            if not _value_ok(c, l, v0):
                raise RuntimeError("the value of key %d is damaged" % key)
        else:
            c.dead += 1
            total = _build_value(c, key)
            v0 = c.built
            _attach(c, l, v0, total)
        _unlink(l)
        _append(c.cache.root, l)
        _hold(c, v0)
    c.built = None


def check(c):
    root = c.cache.root
    n = 0
    prev = root
    l = root.next
    while l is not root:
        n += 1
        if type(l) is not Link or n > c.size:
            raise RuntimeError("link %d of the list is missing or one too many" % n)
        if l.prev is not prev:
            raise RuntimeError("link %d (key %d) has a wrong prev" % (n, l.key))
        v = l.value
        if v is None or c.weak != (type(v) is _ref):
            raise RuntimeError("key %d has no value of the right kind" % l.key)
        v0 = _value_of(c, l)
        if (not c.weak or v0 is not None) and not _value_ok(c, l, v0):
            raise RuntimeError("the value of key %d is damaged" % l.key)
        prev = l
        l = l.next
    if root.prev is not prev or n != c.size:
        raise RuntimeError("the list holds %d links, the cache counts %d" % (n, c.size))
    indexed = 0
    index = c.cache.index
    for b in range(c.nbuckets):
        l = index[b]
        while l is not None:
            indexed += 1
            if type(l) is not Link or mix64(l.key) & (c.nbuckets - 1) != b:
                raise RuntimeError("bucket %d holds a bad or misplaced link" % b)
            l = l.hnext
    if indexed != c.size:
        raise RuntimeError("the index holds %d links, the cache counts %d" % (indexed, c.size))


def teardown(c):
    c.cache = None
