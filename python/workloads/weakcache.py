"""weakcache.py -- a scenario: a cache in a weakref.WeakValueDictionary,
whose hit ratio depends on when the cycle collector runs.

One operation looks up one key, drawn from 1..`keys` with Zipf exponent
`zipf` (the project's seeded xoshiro256** and rejection-inversion sampler,
_rng.py).  A hit returns the cached value; a miss builds one -- a Value
holding a list of `value_objects` Child objects, each referring back to it,
so every value is a reference cycle -- and stores it under its key.  The
application keeps the last `hold` values it looked up alive in a ring
buffer (a list preallocated at set-up); the cache itself holds its values
only weakly.

The lesson: a value that has left the ring is unreachable, but being a
cycle, reference counting does not free it; it stays alive, and in the
dictionary, until the cycle collector runs.  A lookup in the meantime is a
hit (and puts it back into the ring: a dead value comes back to life).
When the collector frees a value, its weak reference's callback removes
the entry, and the next lookup of the key is a miss that rebuilds it.  So
the hit ratio, and the number of entries, depend on the GC thresholds: a
collector that runs rarely gives more hits (and more memory), one that runs
often fewer; gc.disable() would turn the weak cache into an unbounded
strong one.  With acyclic values (value_objects=0), reference counting
drops an entry the moment its value leaves the ring, whatever the
thresholds.  Measured on 3.11.2, 3.12.1 and 3.13.0 (20000 operations, the
defaults, gc.set_threshold(G0, 10, 10)): hit ratio 0.547 with G0=100, about
0.57 with 700 and 2000, 0.638 with 10000, 0.782 with the collector disabled
(4355 entries, against a few hundred otherwise).

Per operation: the Zipf draw (floats and ints, untracked); on a miss, one
Value, one list, `value_objects` Children, and the dictionary's
weakref.KeyedRef; no allocation on a hit beyond the lookup.

metrics(): hit_ratio (hits / operations), hits, misses, entries (len of the
dictionary when called).  check(): every value in the ring is intact
(children lead back to it, the key it was built for maps to it in the
cache), hits + misses == operations.
"""
import math
import weakref

from _rng import Rng, Zipf

PARAMS = {"keys": 10000, "zipf": 1.0, "hold": 100, "value_objects": 4}
OPS = 20000  # operations of a run unless gctune --ops says otherwise


class Child:
    __slots__ = ("parent", "index")


class Value:
    __slots__ = ("key", "children", "__weakref__")


class State:
    __slots__ = ("rng", "zipf", "cache", "ring", "hold", "pos", "value_objects",
                 "hits", "misses", "ops")


def setup(params, seed):
    keys = params["keys"]
    z = params["zipf"]
    hold = params["hold"]
    vo = params["value_objects"]
    if not 1 <= keys <= (1 << 62):
        raise ValueError("keys=%d is outside 1..2^62" % keys)
    if not (math.isfinite(z) and 0 <= z <= 100):
        raise ValueError("zipf=%r is outside 0..100" % (z,))
    if not 0 <= hold <= 100000000:
        raise ValueError("hold=%d is outside 0..100000000" % hold)
    if not 0 <= vo <= 100000:
        raise ValueError("value_objects=%d is outside 0..100000" % vo)
    s = State()
    s.rng = Rng()
    s.rng.seed(seed)
    s.zipf = Zipf(keys, z)
    s.cache = weakref.WeakValueDictionary()
    s.ring = [None] * hold
    s.hold = hold
    s.pos = 0
    s.value_objects = vo
    s.hits = 0
    s.misses = 0
    s.ops = 0
    return s


def _build(key, n):
    v = Value()
    v.key = key
    children = []
    for i in range(n):
        c = Child()
        c.parent = v
        c.index = i
        children.append(c)
    v.children = children
    return v


def op(s):
    key = s.zipf.sample(s.rng)
    cache = s.cache
    v = cache.get(key)
    if v is None:
        s.misses += 1
        v = _build(key, s.value_objects)
        cache[key] = v
    else:
        s.hits += 1
    if s.hold:
        pos = s.pos
        s.ring[pos] = v
        pos += 1
        s.pos = 0 if pos == s.hold else pos
    s.ops += 1


def check(s):
    if s.hits + s.misses != s.ops:
        raise RuntimeError("%d hits + %d misses != %d operations" % (s.hits, s.misses, s.ops))
    for v in s.ring:
        if v is None:
            continue
        if type(v) is not Value:
            raise RuntimeError("the ring holds a %s, not a Value" % type(v).__name__)
        if len(v.children) != s.value_objects:
            raise RuntimeError("a value holds %d children, not %d"
                               % (len(v.children), s.value_objects))
        for c in v.children:
            if c.parent is not v:
                raise RuntimeError("a child does not refer back to its value")
        if s.cache.get(v.key) is not v:
            raise RuntimeError("key %d of a live value does not map to it" % v.key)


def metrics(s):
    return {"hit_ratio": s.hits / s.ops if s.ops else 0.0, "hits": s.hits,
            "misses": s.misses, "entries": len(s.cache)}


def teardown(s):
    s.ring = None
    s.cache = None
