"""delcycles.py -- a scenario: objects with __del__ in reference cycles.

One operation builds a ring of `nodes` objects (each refers to the next, the
last to the first) and drops it: cyclic garbage that only the cycle
collector frees.  The first node of the ring decides the lesson:

finalizer=none: a plain node; the collector frees the ring, nothing else.
finalizer=del: the first node has a __del__ that counts its calls.  Before
  Python 3.4 the collector refused to free a cycle with __del__ and parked
  it in gc.garbage; since PEP 442 it calls the finalizer of every object of
  the garbage (once in the object's life: the object is marked finalized),
  checks that the finalizers resurrected nothing, and frees the ring.  So
  every ring's finalizer runs exactly once and gc.garbage stays empty.
finalizer=resurrect: the __del__ also appends its node to a list held by
  the state, making it reachable again; as the node refers to the rest of
  its ring, the collector, seeing the garbage resurrected, frees none of
  it: every ring survives, a leak of one ring per operation.  The finalizer
  has still run once and never runs again (PEP 442), even if the node later
  becomes garbage again.

The counter and the resurrection list belong to the state (the finalizer
node refers to them through a Box), not to the module, so that rings left
by an earlier state (the runner's warm-up) that are collected later count
for the state that made them.

Per operation: `nodes` instances of __slots__ classes (one of them the
finalizer node), nothing else tracked.

check(): after gc.collect(), finalizers run == rings made for del and
resurrect, every resurrected ring intact (`nodes` long, closed), one
resurrected node per ring with resurrect and none otherwise, gc.garbage
empty.  metrics(): rings, finalized, resurrected, garbage (len(gc.garbage)),
as they stand when it is called (before check()'s collection some rings may
still be waiting for the collector).
"""
import gc

PARAMS = {"finalizer": ("del", "none", "resurrect"), "nodes": 4}
OPS = 20000  # operations of a run unless gctune --ops says otherwise
FINALIZERS = ("del", "none", "resurrect")


class Box:
    """What the finalizers report to: one per state."""
    __slots__ = ("finalized", "resurrected")


class Node:
    __slots__ = ("next",)


class Head:
    """finalizer=none: the ring's first node, a plain object."""
    __slots__ = ("next", "box")


class DelHead:
    """finalizer=del: the first node counts its finalizer's calls."""
    __slots__ = ("next", "box")

    def __del__(self):
        self.box.finalized += 1


class ResHead:
    """finalizer=resurrect: the first node counts and resurrects itself
    (and with it, the ring)."""
    __slots__ = ("next", "box")

    def __del__(self):
        box = self.box
        box.finalized += 1
        box.resurrected.append(self)


HEADS = {"none": Head, "del": DelHead, "resurrect": ResHead}


class State:
    __slots__ = ("head_cls", "finalizer", "nodes", "rings", "box")


def setup(params, seed):
    finalizer = params["finalizer"]
    nodes = params["nodes"]
    if finalizer not in FINALIZERS:
        raise ValueError("finalizer=%r is not one of del, none, resurrect" % (finalizer,))
    if not 1 <= nodes <= 1000000:
        raise ValueError("nodes=%d is outside 1..1000000" % nodes)
    s = State()
    s.finalizer = finalizer
    s.head_cls = HEADS[finalizer]
    s.nodes = nodes
    s.rings = 0
    box = Box()
    box.finalized = 0
    box.resurrected = []
    s.box = box
    return s


def op(s):
    head = s.head_cls()
    head.box = s.box
    last = head
    for _ in range(s.nodes - 1):
        n = Node()
        last.next = n
        last = n
    last.next = head
    s.rings += 1
    # head, last and n die here: the ring is cyclic garbage.


def _ring_length(head, limit):
    n = 1
    o = head.next
    while o is not head:
        if o is None or n > limit:
            return -1
        o = o.next
        n += 1
    return n


def check(s):
    gc.collect()
    box = s.box
    if gc.garbage:
        raise RuntimeError("gc.garbage holds %d objects" % len(gc.garbage))
    want_fin = 0 if s.finalizer == "none" else s.rings
    if box.finalized != want_fin:
        raise RuntimeError("%d finalizers ran for %d rings (expected %d)"
                           % (box.finalized, s.rings, want_fin))
    want_res = s.rings if s.finalizer == "resurrect" else 0
    if len(box.resurrected) != want_res:
        raise RuntimeError("%d resurrected nodes for %d rings (expected %d)"
                           % (len(box.resurrected), s.rings, want_res))
    for head in box.resurrected:
        if type(head) is not ResHead or head.box is not box:
            raise RuntimeError("the resurrection list holds a foreign object")
        if _ring_length(head, s.nodes) != s.nodes:
            raise RuntimeError("a resurrected ring is not a closed ring of %d nodes" % s.nodes)


def metrics(s):
    box = s.box
    return {"rings": s.rings, "finalized": box.finalized,
            "resurrected": len(box.resurrected), "garbage": len(gc.garbage)}


def teardown(s):
    # The state lets go of its Box.  With resurrect, the Box, its list and
    # the resurrected rings then form one more cycle of garbage, freed
    # without a second call of any finalizer; rings not yet collected still
    # refer to the Box and find its list when their finalizers run.
    s.box = None
