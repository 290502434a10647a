"""A namespace's routes, policy rules and permanent neighbour entries as the kernel holds them, as IR.

Read on first use, per namespace (:func:`of`): a plan reads them when the spec
states routes or rules or when pruning, and export always; an apply of links
alone never pays for the dump (thousands of links bring thousands of IPv6
link-local routes). Neighbour entries are read apart, on first use too
(:func:`neighbours_of`): only a spec with neighbours, a prune, or export asks.

Also here, because they are facts about what the kernel makes by itself:
which rules it puts in every namespace (:func:`kernel_default_rule`), and which
routes are someone's configuration rather than its own or a daemon's
(:func:`configured`).
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass, field

from ...ir.routing import DEFAULT_PROTOCOL, FOREIGN_PROTOCOLS, TABLES, Neighbour, Route, Rule, RuleAction
from ...netlink import routes as wire_routes
from ...netlink import rtnl

LOCAL_TABLE = TABLES["local"]

# The rules every namespace starts with (fib_default_rules_init): priority, table, and families.
KERNEL_RULES: dict[tuple, tuple[int, ...]] = {(0, TABLES["local"]): (4, 6), (32766, TABLES["main"]): (4, 6), (32767, TABLES["default"]): (4,)}


@dataclass
class LiveRouting:
    """One namespace's routes and rules that the IR can hold (others are left out)."""

    routes: list[Route] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


def kernel_default_rule(rule: Rule) -> bool:
    """One of the rules the kernel makes in every namespace (local, main, default)."""
    bare = rule.action is RuleAction.LOOKUP and not (rule.src or rule.dst or rule.iif or rule.oif or rule.fwmark)
    return bare and rule.family in KERNEL_RULES.get((rule.priority, rule.table), ())


def configured(route: Route) -> bool:
    """Whether someone configured ``route``: not the kernel's, DHCP's, RA's or a redirect, not in the local table."""
    return route.protocol not in FOREIGN_PROTOCOLS and route.table != LOCAL_TABLE


def read(netns: str | None, name_of) -> LiveRouting:
    """Dump the routes (every table, both families) and rules of ``netns``; ``name_of(ifindex)`` names a device."""

    def dump() -> LiveRouting:
        out = LiveRouting()
        with rtnl.RtnlSocket(netns) as sock:
            for kind, buf, start, end in sock.dump(wire_routes.RTM_GETROUTE, wire_routes.route_dump_request()):
                if kind != wire_routes.RTM_NEWROUTE:
                    continue
                if wire_routes.route_header(buf, start)[5] == wire_routes.KERNEL_PROTOCOL:
                    continue  # the kernel's own (connected, link-local, local table): most of a big dump
                route = wire_routes.decode_route(buf, start, end, name_of)
                if route is not None:
                    out.routes.append(dataclasses.replace(route, netns=netns))
            for kind, buf, start, end in sock.dump(wire_routes.RTM_GETRULE, wire_routes.rule_dump_request()):
                if kind != wire_routes.RTM_NEWRULE:
                    continue
                rule = wire_routes.decode_rule(buf, start, end)
                if rule is not None:
                    out.rules.append(dataclasses.replace(rule, netns=netns))
        return out

    return rtnl.read_again(dump)


def read_neighbours(netns: str | None, name_of) -> list[Neighbour]:
    """Dump the permanent neighbour entries of ``netns`` (learnt ones, the most of a big dump, are left out)."""

    def dump() -> list[Neighbour]:
        out = []
        with rtnl.RtnlSocket(netns) as sock:
            for kind, buf, start, end in sock.dump(wire_routes.RTM_GETNEIGH, wire_routes.neighbour_dump_request()):
                if kind == wire_routes.RTM_NEWNEIGH and (n := wire_routes.decode_neighbour(buf, start, end, name_of)):
                    out.append(dataclasses.replace(n, netns=netns))
        return out

    return rtnl.read_again(dump)


def neighbours_of(state, netns: str | None) -> list[Neighbour]:
    """The permanent neighbour entries of ``netns`` in ``state``, read on first use (none in a made-up state)."""
    if netns not in state.neighbours:
        snap = state.snapshots.get(netns)
        state.neighbours[netns] = read_neighbours(netns, snap.name_of) if snap is not None else []
    return state.neighbours[netns]


def of(state, netns: str | None) -> LiveRouting:
    """The routes and rules of ``netns`` in ``state`` (a KernelState), read on first use.

    A namespace whose links were not read from the kernel (a state made up by
    hand) has none, as it has no default route (KernelState.default_route_carriers).
    """
    if netns not in state.routing:
        snap = state.snapshots.get(netns)
        state.routing[netns] = read(netns, snap.name_of) if snap is not None else LiveRouting()
    return state.routing[netns]


def neighbours(state, namespaces, rename) -> tuple[Neighbour, ...]:
    """What export writes of ``namespaces``' neighbour entries: the permanent ones (``rename`` as below), by link
    and address, as the kernel's hash table lists them in no order that lasts."""
    order = lambda n: (n.dev, n.family, ipaddress.ip_address(n.address))
    return tuple(dataclasses.replace(n, netns=rename(netns))
                 for netns in namespaces for n in sorted(neighbours_of(state, netns), key=order))  # fmt: skip


def routes_and_rules(state, namespaces, rename) -> tuple[tuple[Route, ...], tuple[Rule, ...]]:
    """What export writes of ``namespaces``: the routes someone configured and the rules someone added.

    Not the kernel's own routes (connected, link-local, the local table), nor
    DHCP's, RA's or a redirect's (their daemons make them again), nor the three
    rules every namespace starts with. ``proto static``, what netscript marks its
    routes with, goes without saying; any other protocol is written.
    ``rename(netns)`` is the namespace's name in the spec. Sysctls are not
    exported: the kernel cannot tell a value someone chose from its default
    (defaults differ between kernels, and conf/default passes values on).
    """
    routes: list[Route] = []
    rules: list[Rule] = []
    for netns in namespaces:
        live = of(state, netns)
        where = rename(netns)
        for route in live.routes:
            if configured(route):
                protocol = None if route.protocol == DEFAULT_PROTOCOL else route.protocol
                routes.append(dataclasses.replace(route, netns=where, protocol=protocol))
        rules += [dataclasses.replace(r, netns=where) for r in live.rules if not kernel_default_rule(r)]
    return tuple(routes), tuple(rules)
