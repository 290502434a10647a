"""Route, rule and neighbour requests are byte for byte what pyroute2 packs, and the reader decodes them back.

netscript/netlink/routes.py describes each request as pyroute2 does (the
header's fields, then named attributes) and packs it with struct; here
pyroute2's own ``rtmsg``, ``fibmsg`` and ``ndmsg`` pack the same description, and the
bytes must agree. Then each request body, read as a dump record, must give
back the route or rule it was made from: ``decode(encode(x)) == x`` for
every field the IR has.
"""

from __future__ import annotations

import dataclasses

import pytest

from netscript.ir.routing import PROTOCOLS, Neighbour, Nexthop, Route, RouteType, Rule, RuleAction
from netscript.netlink import routes, wire

INDEXES = {"eth0": 2, "br0": 7, "v1": 300}
NAMES = {i: n for n, i in INDEXES.items()}

ROUTES = [
    Route(dst="default", family=4, nexthops=(Nexthop(via="192.0.2.1", dev="br0"),)),
    Route(dst="default", family=4, nexthops=(Nexthop(via="192.0.2.1"),), metric=100),
    Route(dst="10.0.0.0/8", family=4, nexthops=(Nexthop(dev="eth0"),), table=100, src="192.0.2.10", mtu=1400),
    Route(dst="10.1.0.0/16", family=4, nexthops=(Nexthop(via="198.51.100.1", dev="eth0", onlink=True),),
          scope=0, protocol=PROTOCOLS["boot"]),
    Route(dst="10.2.0.0/16", family=4, nexthops=(Nexthop(dev="eth0"),), scope=0),  # a dev route of scope global
    Route(dst="10.3.0.0/16", family=4, table=1000,
          nexthops=(Nexthop(via="192.0.2.1", dev="br0", weight=3), Nexthop(via="192.0.2.2", dev="v1"))),
    Route(dst="203.0.113.0/24", family=4, type=RouteType.BLACKHOLE),
    Route(dst="203.0.114.0/24", family=4, type=RouteType.UNREACHABLE, metric=5),
    Route(dst="203.0.115.0/24", family=4, type=RouteType.PROHIBIT, table=253),
    Route(dst="default", family=6, nexthops=(Nexthop(via="fe80::1", dev="eth0"),)),
    Route(dst="2001:db8:1::/48", family=6, nexthops=(Nexthop(via="2001:db8::1"),), metric=256, mtu=1280),
    Route(dst="2001:db8:2::/64", family=6, nexthops=(Nexthop(dev="br0"),), src="2001:db8::10", protocol=PROTOCOLS["bird"]),
    Route(dst="2001:db8:3::/64", family=6,
          nexthops=(Nexthop(via="fe80::1", dev="eth0", weight=2), Nexthop(via="fe80::2", dev="br0"))),
]  # fmt: skip

RULES = [
    Rule(family=4, priority=100, src="10.0.0.0/8", table=100),
    Rule(family=4, dst="192.0.2.0/24", iif="eth0", oif="br0", table=1000),
    Rule(family=4, priority=7, fwmark=0x10),
    Rule(family=4, priority=8, fwmark=0x10, fwmask=0xFF, action=RuleAction.BLACKHOLE),
    Rule(family=4, priority=9, action=RuleAction.UNREACHABLE),
    Rule(family=4, priority=10, src="10.9.0.0/16", action=RuleAction.PROHIBIT),
    Rule(family=6, priority=200, dst="2001:db8::/32", table=7),
    Rule(family=6, priority=201, src="2001:db8:1::/48", iif="br0", fwmark=1, fwmask=3, table=254),
]


NEIGHBOURS = [
    Neighbour(address="192.0.2.7", lladdr="02:00:00:00:00:07", dev="br0"),
    Neighbour(address="10.0.0.1", lladdr="ff:ff:ff:ff:ff:ff", dev="v1"),
    Neighbour(address="2001:db8::7", lladdr="00:1b:21:aa:bb:0c", dev="eth0"),
    Neighbour(address="fe80::1", lladdr="01:00:5e:00:00:01", dev="br0"),  # a multicast MAC, as the kernel takes it
]


def table_of(item) -> int:
    return item.table


def pyroute2_message(cls, msg_type, flags, description) -> bytes:
    header, attrs = description
    message = cls()
    message["header"]["type"], message["header"]["flags"], message["header"]["sequence_number"] = msg_type, flags, 9
    for name, value in header.items():
        message[name] = value
    message["attrs"] = [(name, _pyroute2_value(name, value)) for name, value in attrs]
    message.encode()
    return bytes(message.data)


def _pyroute2_value(name, value):
    import ipaddress

    if name in ("RTA_DST", "RTA_GATEWAY", "RTA_PREFSRC", "FRA_SRC", "FRA_DST", "NDA_DST"):
        return str(ipaddress.ip_address(value))  # pyroute2 takes addresses as text
    if name == "RTA_MULTIPATH":
        return [{**hop, "attrs": [(n, str(ipaddress.ip_address(v))) for n, v in hop["attrs"]]} for hop in value]
    return value


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: " ".join([r.type.value, r.dst, str(r.family)]))
@pytest.mark.parametrize("delete", [False, True], ids=["replace", "delete"])
def test_a_route_request_is_pyroute2s_bytes(route, delete):
    from pyroute2.netlink.rtnl.rtmsg import rtmsg

    msg_type, flags, body = routes.route_request(route, table_of(route), INDEXES.__getitem__, delete=delete)
    description = routes.describe_route(route, table_of(route), INDEXES.__getitem__, delete=delete)
    assert wire.message(msg_type, flags, 9, body) == pyroute2_message(rtmsg, msg_type, flags, description)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: " ".join(map(str, [r.family, r.priority, r.action.value])))
@pytest.mark.parametrize("delete", [False, True], ids=["add", "delete"])
def test_a_rule_request_is_pyroute2s_bytes(rule, delete):
    from pyroute2.netlink.rtnl.fibmsg import fibmsg

    msg_type, flags, body = routes.rule_request(rule, table_of(rule), delete=delete)
    description = routes.describe_rule(rule, table_of(rule))
    assert wire.message(msg_type, flags, 9, body) == pyroute2_message(fibmsg, msg_type, flags, description)


def test_the_request_flags_are_ip_routes_and_ip_rules():
    asked = 0x1 | 0x4
    assert routes.route_request(ROUTES[0], 254, INDEXES.__getitem__)[:2] == (24, asked | 0x400 | 0x100)  # replace
    assert routes.route_request(ROUTES[0], 254, INDEXES.__getitem__, delete=True)[:2] == (25, asked)
    assert routes.rule_request(RULES[0], 100)[:2] == (32, asked | 0x400 | 0x200)  # add, exclusive
    assert routes.rule_request(RULES[0], 100, delete=True)[:2] == (33, asked)


def canonical(route: Route) -> Route:
    """The route in the IR's canonical form: netscript's protocol when none is stated, and what the
    kernel picks by itself (weight 1, the scope a route like it gets) unsaid."""
    hops = tuple(dataclasses.replace(nh, weight=None if nh.weight == 1 else nh.weight) for nh in route.nexthops)
    scope = None if route.scope == routes.kernel_scope(route) else route.scope
    return dataclasses.replace(route, nexthops=hops, scope=scope, protocol=route.protocol or PROTOCOLS["static"])


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: " ".join([r.type.value, r.dst, str(r.family)]))
def test_a_route_decodes_to_what_was_encoded(route):
    msg_type, flags, body = routes.route_request(route, table_of(route), INDEXES.__getitem__)
    message = wire.message(msg_type, flags, 1, body)
    assert routes.decode_route(message, 0, len(message), NAMES.get) == canonical(route)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: " ".join(map(str, [r.family, r.priority, r.action.value])))
def test_a_rule_decodes_to_what_was_encoded(rule):
    msg_type, flags, body = routes.rule_request(rule, table_of(rule))
    message = wire.message(msg_type, flags, 1, body)
    decoded = routes.decode_rule(message, 0, len(message))
    assert decoded == dataclasses.replace(rule, priority=rule.priority or 0)


def test_what_the_ir_cannot_hold_decodes_to_nothing():
    # a route of a type the IR does not model (local), and a rule with the invert flag (`not`)
    msg_type, flags, body = routes.route_request(ROUTES[0], 254, INDEXES.__getitem__)
    local = bytearray(wire.message(msg_type, flags, 1, body))
    local[16 + 7] = 2  # rtm_type RTN_LOCAL
    assert routes.decode_route(bytes(local), 0, len(local), NAMES.get) is None
    msg_type, flags, body = routes.rule_request(RULES[0], 100)
    inverted = bytearray(wire.message(msg_type, flags, 1, body))
    inverted[16 + 8] = routes.FIB_RULE_INVERT
    assert routes.decode_rule(bytes(inverted), 0, len(inverted)) is None


@pytest.mark.parametrize("neighbour", NEIGHBOURS, ids=lambda n: n.address)
@pytest.mark.parametrize("delete", [False, True], ids=["replace", "delete"])
def test_a_neighbour_request_is_pyroute2s_bytes(neighbour, delete):
    from pyroute2.netlink.rtnl.ndmsg import ndmsg

    index = INDEXES[neighbour.dev]
    msg_type, flags, body = routes.neighbour_request(neighbour, index, delete=delete)
    description = routes.describe_neighbour(neighbour, index, delete=delete)
    assert wire.message(msg_type, flags, 9, body) == pyroute2_message(ndmsg, msg_type, flags, description)


def test_the_neighbour_flags_are_ip_neigh_replaces_and_the_state_permanent():
    asked = 0x1 | 0x4
    msg_type, flags, body = routes.neighbour_request(NEIGHBOURS[0], 7)
    assert (msg_type, flags) == (28, asked | 0x400 | 0x100) and body[8:10] == (0x80).to_bytes(2, "little")
    assert routes.neighbour_request(NEIGHBOURS[0], 7, delete=True)[:2] == (29, asked)


@pytest.mark.parametrize("neighbour", NEIGHBOURS, ids=lambda n: n.address)
def test_a_neighbour_decodes_to_what_was_encoded(neighbour):
    msg_type, flags, body = routes.neighbour_request(neighbour, INDEXES[neighbour.dev])
    message = wire.message(msg_type, flags, 1, body)
    assert routes.decode_neighbour(message, 0, len(message), NAMES.get) == neighbour


@pytest.mark.parametrize("offset, value", [(8, 0x02), (8, 0x40), (10, 0x08)], ids=["reachable", "noarp", "proxy"])
def test_a_neighbour_entry_that_is_not_a_plain_permanent_one_decodes_to_nothing(offset, value):
    msg_type, flags, body = routes.neighbour_request(NEIGHBOURS[0], 7)
    other = bytearray(wire.message(msg_type, flags, 1, body))
    other[16 + offset] = value  # ndm_state (low byte), or ndm_flags NTF_PROXY
    assert routes.decode_neighbour(bytes(other), 0, len(other), NAMES.get) is None
