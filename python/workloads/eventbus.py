"""eventbus.py -- a scenario: an event bus whose subscribers forget to
unsubscribe.

A long-lived Bus delivers events to its subscribers.  One operation makes a
Listener, subscribes it, publishes one event (a 64-bit value from the seeded
generator) to every current subscriber, and drops its own reference to the
listener, which never unsubscribes.  A listener holds `payload` small
Payload objects, each referring back to it (listener -> list -> payloads ->
listener), so every listener is a reference cycle: reference counting alone
never frees one, only the cycle collector can.

listeners=strong: the bus keeps its subscribers in a list.  The list is a
strong reference, so nothing ever becomes garbage: every operation leaks a
listener, its list and its `payload` payloads, the bus grows without bound,
and as publishing visits every subscriber, an operation costs O(number of
operations so far) -- the classic observer leak, and why an application
slows down the longer it runs.

listeners=weak: the bus keeps a weakref.WeakSet.  Once the operation has
dropped it, a listener is unreachable, but being a cycle it stays alive --
and subscribed, and receiving events -- until the cycle collector runs; the
collection frees it and the weak reference's callback takes it out of the
set.  So nothing is retained in the long run, but the number of "zombie"
subscribers and of events delivered to them depend on the GC thresholds
(metrics: subscribers, subscribers_peak, delivered).  With payload=0 there
is no cycle, and reference counting frees each listener (and unsubscribes
it) the moment the operation drops it: one subscriber at a time.

Per operation: one Listener, one list, `payload` Payloads (and with weak,
the WeakSet's weakref.ref and the iterator machinery of a WeakSet loop);
publishing calls Listener.on_event once per subscriber.

metrics(): subscribers (after the last operation), subscribers_peak,
delivered (on_event calls), events (operations).
check(): every subscriber is intact (payloads lead back to it, it has
received one event per operation since it subscribed); with strong, one
subscriber per operation; with weak, none left after gc.collect().
"""
import gc
import weakref

from _rng import Rng

PARAMS = {"listeners": ("strong", "weak"), "payload": 8}
OPS = 2000  # operations of a run unless gctune --ops says otherwise
LISTENERS = ("strong", "weak")


class Payload:
    """A small container that refers back to its listener (the cycle)."""
    __slots__ = ("owner", "value")


class Listener:
    __slots__ = ("items", "received", "first", "last", "__weakref__")

    def on_event(self, seq, value):
        self.received += 1
        self.last = value
        if self.received == 1:
            self.first = seq


class Bus:
    __slots__ = ("subs", "weak", "events", "delivered", "current", "peak")

    def publish(self, value):
        """Deliver one event to every current subscriber; O(subscribers)."""
        seq = self.events
        self.events = seq + 1
        n = 0
        for listener in self.subs:
            listener.on_event(seq, value)
            n += 1
        self.delivered += n


class State:
    __slots__ = ("rng", "bus", "payload", "weak")


def setup(params, seed):
    listeners = params["listeners"]
    payload = params["payload"]
    if listeners not in LISTENERS:
        raise ValueError("listeners=%r is not one of strong, weak" % (listeners,))
    if not 0 <= payload <= 100000:
        raise ValueError("payload=%d is outside 0..100000" % payload)
    s = State()
    s.rng = Rng()
    s.rng.seed(seed)
    s.payload = payload
    s.weak = listeners == "weak"
    bus = Bus()
    bus.subs = weakref.WeakSet() if s.weak else []
    bus.weak = s.weak
    bus.events = 0
    bus.delivered = 0
    bus.current = 0
    bus.peak = 0
    s.bus = bus
    return s


def op(s):
    bus = s.bus
    listener = Listener()
    listener.received = 0
    listener.first = -1
    listener.last = 0
    items = []
    for i in range(s.payload):
        p = Payload()
        p.owner = listener
        p.value = i
        items.append(p)
    listener.items = items
    if bus.weak:
        bus.subs.add(listener)
    else:
        bus.subs.append(listener)
    bus.publish(s.rng.next())
    n = len(bus.subs)
    bus.current = n
    if n > bus.peak:
        bus.peak = n
    # The operation's own references (listener, items, p) die here; the
    # listener never unsubscribes.


def _check_listener(s, listener):
    bus = s.bus
    if type(listener) is not Listener:
        raise RuntimeError("the bus holds a %s, not a Listener" % type(listener).__name__)
    if len(listener.items) != s.payload:
        raise RuntimeError("a listener holds %d payloads, not %d"
                           % (len(listener.items), s.payload))
    for p in listener.items:
        if p.owner is not listener:
            raise RuntimeError("a payload does not refer back to its listener")
    if listener.first < 0 or listener.received != bus.events - listener.first:
        raise RuntimeError("a listener subscribed at event %d received %d of %d events"
                           % (listener.first, listener.received, bus.events))


def _check_all(s):
    """In a function of its own, so that no reference to a listener is left
    in check()'s frame when it collects."""
    for listener in list(s.bus.subs):
        _check_listener(s, listener)


def check(s):
    bus = s.bus
    _check_all(s)
    if not bus.weak:
        if len(bus.subs) != bus.events:
            raise RuntimeError("the strong bus holds %d listeners after %d operations"
                               % (len(bus.subs), bus.events))
        # Listener k (0-based) received events k .. events-1.
        total = bus.events * (bus.events + 1) // 2
        if bus.delivered != total:
            raise RuntimeError("%d deliveries, expected %d" % (bus.delivered, total))
    else:
        gc.collect()
        if len(bus.subs) != 0:
            raise RuntimeError("%d unreachable listeners are still subscribed after "
                               "gc.collect()" % len(bus.subs))


def metrics(s):
    bus = s.bus
    return {"subscribers": bus.current, "subscribers_peak": bus.peak,
            "delivered": bus.delivered, "events": bus.events}


def teardown(s):
    s.bus = None
