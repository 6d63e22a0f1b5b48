"""longlived.py -- the Python twin of workloads/longlived.c (a long-lived
structure that grows, and young objects of which a few survive).

A directory of pages of 32 elements, each element a container holding an
int (C: a "tuple" of one slot and its int), grows to `live_objects` objects
(`initial` at set-up, `grow` more per operation); every operation also makes
`young` short-lived elements, a fraction `survive` of which replace random
elements of the structure.  Nothing is cyclic.

Parity with the C workload: the same parameters, defaults and random draws,
and per operation the same container allocations: an element is one
__slots__ instance (one reference, to its int), a page is one Table made
when an element opens it.  Not the same, on purpose: a Python program would
use real tuples; CPython reuses freed tuples from a free list without
counting them, and 3.11-3.13 untrack tuples of atoms at a collection, so
real tuples would not allocate what the C model's generic container does.
The element's own value (the C tuple's payload) is an untracked int
attribute.  The young elements are kept alive until the end of the
operation in a Table made at set-up (C: the root stack).
"""
from _rng import Rng, table, array_size

PARAMS = {"live_objects": 1000000, "initial": 500000, "grow": 50, "young": 100,
          "survive": 0.01}
PAGE = 32


class Elem:
    __slots__ = ("item", "value")


class State:
    __slots__ = ("rng", "young", "grow", "survive", "max_elems", "elems", "credit",
                 "dir", "sum", "buf", "survivors", "esum")


def _new_element(L):
    """A new element; its two values' sum in L.esum."""
    e = Elem()
    v = L.rng.next()
    e.value = v
    i = L.rng.next()
    e.item = i
    L.esum = v + i
    return e


def _append(L):
    page = L.elems // PAGE
    slot = L.elems % PAGE
    if slot == 0:
        L.dir[page] = table(PAGE)
    e = _new_element(L)
    L.sum += L.esum
    L.dir[page][slot] = e
    L.elems += 1


def setup(params, seed):
    for name in ("live_objects", "initial", "grow", "young"):
        if params[name] < 0:
            raise ValueError("%s=%d is negative" % (name, params[name]))
    if not 0 <= params["survive"] <= 1:
        raise ValueError("survive=%r is outside 0..1" % params["survive"])
    if params["initial"] > params["live_objects"]:
        raise ValueError("initial=%d is larger than live_objects=%d"
                         % (params["initial"], params["live_objects"]))
    L = State()
    L.rng = Rng()
    L.rng.seed(seed)
    L.young = params["young"]
    L.grow = params["grow"]
    L.survive = float(params["survive"])
    L.max_elems = params["live_objects"] // 2
    L.elems = 0
    L.credit = 0
    L.sum = 0
    L.survivors = 0
    L.dir = table(array_size((L.max_elems + PAGE - 1) // PAGE))
    L.buf = table(L.young)
    table(PAGE)                  # makes table()'s list of Nones before any operation
    initial = params["initial"] // 2
    while L.elems < initial:
        _append(L)
    return L


def op(L):
    if L.elems < L.max_elems:
        L.credit += L.grow
        while L.credit >= 2 and L.elems < L.max_elems:
            _append(L)
            L.credit -= 2
    buf = L.buf
    young = L.young
    for i in range(young):
        buf[i] = _new_element(L)
    rng = L.rng
    if L.elems > 0 and L.survive > 0:
        for i in range(young):
            if not rng.chance(L.survive):
                continue
            e = rng.below(L.elems)
            page = L.dir[e // PAGE]
            old = page[e % PAGE]
            y = buf[i]
            if type(old) is not Elem or type(y) is not Elem:
                raise RuntimeError("element %d or a young element is damaged" % e)
            page[e % PAGE] = y
            L.sum += y.value + y.item - old.value - old.item
            L.survivors += 1
    for i in range(young):
        buf[i] = None


def check(L):
    total = 0
    for e in range(L.elems):
        el = L.dir[e // PAGE][e % PAGE]
        if type(el) is not Elem:
            raise RuntimeError("element %d is missing or damaged" % e)
        total += el.value + el.item
    if total != L.sum:
        raise RuntimeError("the long-lived elements do not sum to the recorded value")


def teardown(L):
    L.dir = None
    L.buf = None
