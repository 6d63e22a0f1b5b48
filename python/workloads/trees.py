"""trees.py -- the Python twin of workloads/trees.c (GCBench with parent
pointers).

One operation builds a binary tree of depth `depth`, alternately top-down
(populate: parent first) and bottom-up (make: children first), walks it and
drops it; a long-lived tree of depth `long_depth` is built at set-up and kept.
parent=strong: every child holds its parent (each tree is one big cycle);
weak: a weakref.ref to its parent, shared by siblings (one per internal
node, as weakref.ref(parent) returns the same object); none: plain GCBench.

Parity with the C workload: the same parameters and defaults, the same
random draws (one 64-bit value per node, in the same order, from the same
seeded xoshiro256**), and per operation the same container allocations: a
node is one __slots__ instance (2 reference slots, 3 with a parent), and
nothing else tracked is made (no tuples, lists, bound methods or closures
on the way).  Not the same: the C node's payload (a magic number and the
value) is the int attribute `value` here, a fresh untracked int; with
parent=weak a node also carries CPython's __weakref__ slot.
"""
import weakref

from _rng import Rng

PARAMS = {"depth": 10, "long_depth": 16, "parent": "strong"}
PARENTS = ("strong", "weak", "none")

_ref = weakref.ref


class Node:
    """parent=none: two references (left, right), like C's tree_node."""
    __slots__ = ("left", "right", "value")

    def __init__(self):
        self.left = None
        self.right = None


class PNode:
    """parent=strong/weak: three references, like C's tree_node_parent."""
    __slots__ = ("left", "right", "parent", "value", "__weakref__")

    def __init__(self):
        self.left = None
        self.right = None
        self.parent = None


class State:
    __slots__ = ("rng", "depth", "long_depth", "parent", "cls", "weak", "linked",
                 "ops", "acc", "wcount", "wsum", "tree_nodes", "long_nodes", "long_sum",
                 "long_tree")


def _new(t):
    n = t.cls()
    v = t.rng.next()
    n.value = v
    t.acc += v
    return n


def _populate(t, node, d):
    """Top-down: node gets two subtrees of depth d - 1 (C's populate)."""
    if d == 0:
        return
    up = node
    if t.weak:
        up = _ref(node)
    child = _new(t)
    node.left = child
    if t.linked:
        child.parent = up
    _populate(t, child, d - 1)
    child = _new(t)
    node.right = child
    if t.linked:
        child.parent = up
    _populate(t, child, d - 1)


def _make(t, d):
    """Bottom-up: a tree of depth d, children before their parent (C's make)."""
    if d == 0:
        return _new(t)
    left = _make(t, d - 1)
    right = _make(t, d - 1)
    node = _new(t)
    node.left = left
    node.right = right
    if t.linked:
        up = node
        if t.weak:
            up = _ref(node)
        left.parent = up
        right.parent = up
    return node


def _walk(t, o, parent, d):
    """Count and sum a tree into t.wcount and t.wsum, checking every link."""
    if o is None:
        raise RuntimeError("a node at depth %d is missing" % d)
    if type(o) is not t.cls:
        raise RuntimeError("a tree slot holds a %s, not a tree node" % type(o).__name__)
    t.wcount += 1
    t.wsum += o.value
    if t.linked:
        up = o.parent
        if t.weak and up is not None:
            if type(up) is not _ref:
                raise RuntimeError("a node's parent slot holds no weak reference")
            up = up()
        if up is not parent:
            raise RuntimeError("a node's parent link does not lead to its parent")
    if d == 0:
        if o.left is not None or o.right is not None:
            raise RuntimeError("a leaf has children")
        return
    _walk(t, o.left, o, d - 1)
    _walk(t, o.right, o, d - 1)


def setup(params, seed):
    depth = params["depth"]
    long_depth = params["long_depth"]
    parent = params["parent"]
    if not 0 <= depth <= 22:
        raise ValueError("depth=%d is outside 0..22" % depth)
    if not 0 <= long_depth <= 24:
        raise ValueError("long_depth=%d is outside 0..24" % long_depth)
    if parent not in PARENTS:
        raise ValueError("parent=%r is not one of strong, weak, none" % parent)
    t = State()
    t.rng = Rng()
    t.rng.seed(seed)
    t.depth = depth
    t.long_depth = long_depth
    t.parent = parent
    t.weak = parent == "weak"
    t.linked = parent != "none"
    t.cls = Node if parent == "none" else PNode
    t.ops = 0
    t.tree_nodes = (2 << depth) - 1
    t.long_nodes = (2 << long_depth) - 1
    t.acc = 0
    t.long_tree = _new(t)
    _populate(t, t.long_tree, long_depth)
    t.long_sum = t.acc
    return t


def op(t):
    t.acc = 0
    if t.ops & 1:
        root = _make(t, t.depth)
    else:
        root = _new(t)
        _populate(t, root, t.depth)
    t.wcount = 0
    t.wsum = 0
    _walk(t, root, None, t.depth)
    if t.wcount != t.tree_nodes or t.wsum != t.acc:
        raise RuntimeError("operation %d: the tree has %d nodes (expected %d) or a wrong sum"
                           % (t.ops, t.wcount, t.tree_nodes))
    t.ops += 1


def check(t):
    t.wcount = 0
    t.wsum = 0
    _walk(t, t.long_tree, None, t.long_depth)
    if t.wcount != t.long_nodes or t.wsum != t.long_sum:
        raise RuntimeError("the long-lived tree has %d nodes (expected %d) or a wrong sum"
                           % (t.wcount, t.long_nodes))


def teardown(t):
    t.long_tree = None
