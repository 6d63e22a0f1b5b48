"""slots.py -- a scenario: memory per instance, __slots__ against a
dict-backed (ordinary) class.

Set-up preallocates a list of `keep` Nones.  Operation i makes one instance
of a class with `fields` attributes (1..8), sets them to small ints (the
bytes of one 64-bit draw of the seeded generator, each < 256: CPython keeps
one cached object per small int, so setting them allocates nothing) and
stores it at slot i % keep.  While fewer than `keep` operations have run,
an operation retains exactly one instance and nothing else, so the
retained bytes per operation are the bytes of an instance; afterwards each
instance replaces one made `keep` operations earlier, and nothing grows.

layout=slots: the class has __slots__ = ("f0", ...): the instance is a
fixed-size object, its references stored in the object itself after the
header, with no __dict__ and no __weakref__.
layout=dict: the class has no __slots__, so instances have a __dict__.
Since 3.11, CPython does not make that dict up front: the class keeps one
shared table of attribute names ("shared keys") and an instance stores only
its values, a real dict being made only if something asks for one
(obj.__dict__, vars(obj)) or the attributes stop fitting the shared table.
Where the values live, as far as I know and as the block counts below
agree: in 3.11 and 3.12 they are a separate allocation, pointed to from a
pre-header in front of the object (3.12 also moved the __weakref__ pointer
there, which is why its object is 8 bytes smaller); in 3.13 they are
"inline", in the object's own allocation.  How many value slots an
instance gets follows the class's shared keys when it is made, so the
first instances of a fresh class (the keys still growing) may differ from
the steady size measured here.  Asking for __dict__ is not free: it builds
a dict object that shares the values (+64 bytes per instance measured on
all four interpreters), which is why metrics() measures a spare instance,
never a kept one.

Measured on Linux x86-64 (tracemalloc's traced bytes after gc.collect(),
over 2000 operations after the class was warmed, divided by 2000; "blocks"
is tracemalloc's count of allocations per instance; getsizeof is
sys.getsizeof of one instance before anything asks for its __dict__):

    fields                   1    2    3    4    5    6    7    8  blocks getsizeof
    slots  3.11.2 .. 3.13.0 40   48   56   64   72   80   88   96    1    = bytes
    dict   3.11.2, 3.11.7   80   88   96  104  112  128  136  144    2    56
    dict   3.12.1           72   80   88   96  104  120  128  136    2    48
    dict   3.13.0           80   88   96  104  112  120  128  144    1    48

So a slotted instance costs 16 bytes of GC header, 16 of object header and
8 per field; a dict-backed one 32 to 48 bytes more, and sys.getsizeof
misses the values: in 3.11 and 3.12 they are a second block it does not
follow, in 3.13 they sit in the object beyond the type's basic size, which
getsizeof reports (48 whatever the number of fields).

Per operation: one instance (a tracked object: the collector counts it),
nothing else tracked; the draw's ints are freed at the end of the
operation.

metrics(): instances (kept now), fields, instance_getsizeof (a spare
instance with the same fields, before anything asks for its __dict__),
dict_getsizeof (layout=dict: its __dict__ after materialising it; 0 for
slots), instance_getsizeof_after_dict (layout=dict: the instance again,
once its dict exists).
check(): replays the generator and checks that every kept slot holds an
instance of the right class with the right values, the rest None.
"""
import sys

from _rng import Rng

PARAMS = {"layout": ("slots", "dict"), "fields": 4, "keep": 1000000}
OPS = 100000  # operations of a run unless gctune --ops says otherwise
LAYOUTS = ("slots", "dict")
MAX_FIELDS = 8

NAMES = tuple("f%d" % i for i in range(MAX_FIELDS))
# CLASSES[layout][n]: the class with n fields, n = 1..8 (index 0 unused).
CLASSES = {
    "slots": [None] + [type("Slots%d" % n, (), {"__slots__": NAMES[:n]})
                       for n in range(1, MAX_FIELDS + 1)],
    "dict": [None] + [type("Dict%d" % n, (), {}) for n in range(1, MAX_FIELDS + 1)],
}


class State:
    __slots__ = ("rng", "seed", "cls", "layout", "names", "fields", "keep", "kept", "ops")


def setup(params, seed):
    layout = params["layout"]
    fields = params["fields"]
    keep = params["keep"]
    if layout not in LAYOUTS:
        raise ValueError("layout=%r is not one of slots, dict" % (layout,))
    if not 1 <= fields <= MAX_FIELDS:
        raise ValueError("fields=%d is outside 1..%d" % (fields, MAX_FIELDS))
    if not 1 <= keep <= 100000000:
        raise ValueError("keep=%d is outside 1..100000000" % keep)
    s = State()
    s.rng = Rng()
    s.rng.seed(seed)
    s.seed = seed
    s.layout = layout
    s.cls = CLASSES[layout][fields]
    s.names = NAMES[:fields]
    s.fields = fields
    s.keep = keep
    s.kept = [None] * keep
    s.ops = 0
    return s


def _fill(o, names, x):
    for name in names:
        setattr(o, name, x & 255)
        x >>= 8


def op(s):
    o = s.cls()
    _fill(o, s.names, s.rng.next())
    i = s.ops
    s.kept[i % s.keep] = o
    s.ops = i + 1


def check(s):
    rng = Rng()
    rng.seed(s.seed)
    keep = s.keep
    first = s.ops - keep if s.ops > keep else 0
    for i in range(s.ops):
        x = rng.next()
        if i < first:
            continue
        o = s.kept[i % keep]
        if type(o) is not s.cls:
            raise RuntimeError("slot %d holds a %s, not a %s"
                               % (i % keep, type(o).__name__, s.cls.__name__))
        for name in s.names:
            if getattr(o, name) != x & 255:
                raise RuntimeError("instance %d: %s=%r, expected %d"
                                   % (i, name, getattr(o, name), x & 255))
            x >>= 8
    for j in range(s.ops, keep):
        if s.kept[j] is not None:
            raise RuntimeError("slot %d, never written, holds a %s"
                               % (j, type(s.kept[j]).__name__))


def metrics(s):
    o = s.cls()
    _fill(o, s.names, 0x0123456789ABCDEF)
    m = {"instances": min(s.ops, s.keep), "fields": s.fields,
         "instance_getsizeof": sys.getsizeof(o), "dict_getsizeof": 0}
    if s.layout == "dict":
        m["dict_getsizeof"] = sys.getsizeof(o.__dict__)
        m["instance_getsizeof_after_dict"] = sys.getsizeof(o)
    return m


def teardown(s):
    s.kept = None
