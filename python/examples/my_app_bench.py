"""my_app_bench.py -- an example workload module for python/runner.py.

A toy "order book": set-up builds `customers` customer objects that live for
the whole run; one operation creates an order with `lines` order lines, each
line pointing back at its order (a cycle, as ORM objects often make), files
it under a random customer, and forgets the oldest order of that customer
once it has more than `keep`.

    python3 python/runner.py --module python/examples/my_app_bench.py \
        --ops 20000 --warmup-ops 1000 --param lines=8 --threshold 700,10,10
"""
import random

PARAMS = {"customers": 1000, "lines": 5, "keep": 3}


class Customer:
    __slots__ = ("name", "orders")


class Order:
    __slots__ = ("customer", "lines", "total")


class Line:
    __slots__ = ("order", "qty", "price")


def setup(params, seed):
    rnd = random.Random(seed)
    customers = []
    for i in range(params["customers"]):
        c = Customer()
        c.name = "customer-%d" % i
        c.orders = []
        customers.append(c)
    return {"rnd": rnd, "customers": customers, "lines": params["lines"],
            "keep": params["keep"], "orders": 0}


def op(state):
    rnd = state["rnd"]
    c = state["customers"][rnd.randrange(len(state["customers"]))]
    o = Order()
    o.customer = c
    o.lines = []
    o.total = 0
    for _ in range(state["lines"]):
        line = Line()
        line.order = o                # the cycle: order -> lines -> order
        line.qty = rnd.randrange(1, 10)
        line.price = rnd.randrange(100, 10000)
        o.lines.append(line)
        o.total += line.qty * line.price
    c.orders.append(o)
    if len(c.orders) > state["keep"]:
        del c.orders[0]
    state["orders"] += 1


def check(state):
    for c in state["customers"]:
        if len(c.orders) > state["keep"]:
            raise ValueError("%s keeps %d orders" % (c.name, len(c.orders)))
        for o in c.orders:
            if o.customer is not c or o.total != sum(l.qty * l.price for l in o.lines):
                raise ValueError("an order of %s is damaged" % c.name)


def teardown(state):
    state["customers"] = None
