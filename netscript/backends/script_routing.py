"""Routes, policy rules and static neighbours in the scripts: the `ip` commands, and what "done" means.

The links' counterparts are :mod:`.ipcmd` (the commands) and :mod:`.guards`
(what the script tests before it acts); these are apart so that a spec
without routes, rules or neighbours never loads them, nor the routing IR.
Each expectation is spelled as `ip -N -j` prints it, as for links.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
from dataclasses import dataclass

from ..ir.routing import DEFAULT_PROTOCOL, MAIN_TABLE, PROTOCOLS, Neighbour, Nexthop, Route, RouteType, Rule, RuleAction
from ..routing.words import U32, neigh_words, route_words, rule_words
from .guards import ip_text, member
from .ipcmd import Words, ip

# -- the commands ----------------------------------------------------------------------------
# `ip` takes IPv4 unless told: -6 where the words alone may not say it (a default blackhole, a
# rule with no address). The table is its number: `ip` knows no VRF's name as a table.


def _family(family: int) -> Words:
    return ["-6"] if family == 6 else []


def sent_route(route: Route, table: int) -> Route:
    """The route as the scripts send it: its table's number, and netscript's protocol unless the spec states one."""
    protocol = route.protocol if route.protocol is not None else DEFAULT_PROTOCOL
    return dataclasses.replace(route, table=table, protocol=protocol)


def replace_route(route: Route, table: int) -> Words:
    """Adds the route, or makes the one the kernel holds under its identity (table, dst, metric) this one."""
    return ip(route.netns, *_family(route.family), "route", "replace", *route_words(sent_route(route, table)))


def delete_route(route: Route, table: int) -> Words:
    """Deletes the route by the words that made it, protocol included, so a route someone else made stays."""
    return ip(route.netns, *_family(route.family), "route", "delete", *route_words(sent_route(route, table)))


def add_rule(rule: Rule, table: int) -> Words:
    return ip(rule.netns, *_family(rule.family), "rule", "add", *rule_words(dataclasses.replace(rule, table=table)))


def delete_rule(rule: Rule, table: int) -> Words:
    return ip(rule.netns, *_family(rule.family), "rule", "delete", *rule_words(dataclasses.replace(rule, table=table)))


# -- static neighbours -----------------------------------------------------------------------
# The address says the family: `ip neigh` needs no -6.


def replace_neighbour(neighbour: Neighbour) -> Words:
    """Adds the permanent entry, or makes the one the kernel holds for the address on that link this one."""
    return ip(neighbour.netns, "neigh", "replace", *neigh_words(neighbour), "nud", "permanent")


def delete_neighbour(neighbour: Neighbour) -> Words:
    return ip(neighbour.netns, "neigh", "delete", neighbour.address, "dev", neighbour.dev)


# -- routes and policy rules ------------------------------------------------------------------
# Read with `ip -N -j`: tables, route types, protocols, scopes and rule actions print as numbers
# ("table":"100", "type":"6"), whatever names /etc/iproute2 gives them on the host that runs the
# script. "!" + text: the member must be absent, as for links.

@dataclass(frozen=True, slots=True)
class RouteShape:
    """A route as `ip -N -j route show table all` prints it once the kernel has it as the spec says.

    ``start`` is how its object starts: its type unless unicast, then its dst
    (``{"type":"6","dst":"10.66.0.0/16",``), which finds the few routes to
    look at without going through every one. ``members`` are looked for in the
    route's object outside its multipath nexthops; ``nexthops`` holds each
    nexthop's members, in the order the kernel keeps them (the order given),
    and is empty for a route with none, whose object then must have no
    nexthops either.
    """

    family: int
    start: str
    members: tuple[str, ...]
    nexthops: tuple[tuple[str, ...], ...]


def prefix_text(network: str) -> str:
    """A network as `ip -j` prints it: ``default``, ``10.0.0.0/8``, a host route as its bare address."""
    if network == "default":
        return network
    net = ipaddress.ip_network(network)
    address = ip_text(str(net.network_address))
    return address if net.prefixlen == net.max_prefixlen else f"{address}/{net.prefixlen}"


def _present(key: str, value: object | None) -> str:
    """``"key":value``, or that there is no such member when ``value`` is None."""
    return "!" + json.dumps(key) + ":" if value is None else member(key, value)


def route(route: Route, table: int, *, protocol: int | None = None) -> RouteShape:
    """What "the kernel has this route as the spec says" means, for the script and `--batch` alike.

    Compared:

    - what the kernel tells routes apart by (Route.identity, and what validation
      calls the same route, NS234): the family (read apart), dst, table and
      metric (absent for an IPv4 metric 0; an IPv6 route without one has 1024);
    - what `ip route replace` with the spec's words sets, in both directions (a
      member the spec leaves out must be absent): the type (a unicast route's
      object has none, so it starts with its dst), the gateway, onlink,
      the preferred source (prefsrc) and the MTU; and multipath nexthops: how
      many, then each one's gateway, weight (1 unless stated) and onlink;
    - the device and the scope only when the spec names them (else the kernel
      picks them), and the protocol only when the spec states one (netscript
      writes static, but takes the route it finds with another) or when
      ``protocol`` asks (the teardown deletes only what it made).
    """
    from ..netlink.routes import kernel_metric  # here: a spec without routes does not load the wire codecs

    stated = route.protocol if route.protocol is not None else protocol
    metric = route.metric or kernel_metric(route.family)  # IPv6 takes 1024 for none, and for 0
    typed = [] if route.type is RouteType.UNICAST else [member("type", str(route.type.number))]
    start = "{" + ",".join([*typed, member("dst", prefix_text(route.dst))]) + ","
    out = [_present("table", None if table == MAIN_TABLE else str(table)), _present("metric", metric or None)]
    if stated is not None:  # `ip` leaves out boot, the protocol of a route added without one
        out.append(_present("protocol", None if stated == PROTOCOLS["boot"] else str(stated)))
    out.append(_present("prefsrc", ip_text(route.src) if route.src is not None else None))
    if route.scope is not None:
        out.append(_present("scope", str(route.scope) if route.scope else None))
    out.append(_present("mtu", route.mtu))
    nexthops: list[tuple[str, ...]] = []
    if len(route.nexthops) == 1:
        out += _nexthop(route.nexthops[0])
    elif route.nexthops:
        nexthops = [(*_nexthop(nh), member("weight", nh.weight or 1)) for nh in route.nexthops]
    else:
        out.append(_present("gateway", None))
    return RouteShape(route.family, start, tuple(out), tuple(nexthops))


def _nexthop(nh: Nexthop) -> list[str]:
    out = [_present("gateway", ip_text(nh.via) if nh.via is not None else None)]
    if nh.dev is not None:
        out.append(member("dev", nh.dev))
    out.append('"onlink"' if nh.onlink else '!"onlink"')
    return out


def neighbour(neighbour: Neighbour) -> tuple[str, ...]:
    """A permanent entry as `ip -j neigh show ... nud permanent` prints it: its address and MAC
    (the link is what the script asks about; PERMANENT is what it asks for)."""
    return (member("dst", ip_text(neighbour.address)), member("lladdr", neighbour.lladdr), '"PERMANENT"')


def rule(rule: Rule, table: int) -> tuple[str, ...]:
    """A policy rule as `ip -N -j rule show` (of its family) prints it: every selector the spec
    can state, present as stated or absent (``from`` absent is ``"src":"all"``), the table or
    the action, and the priority when the spec states one (else the kernel picks it)."""
    out = [] if rule.priority is None else [member("priority", rule.priority)]
    out += _selector("src", rule.src) if rule.src is not None else [member("src", "all"), '!"srclen":']
    out += _selector("dst", rule.dst) if rule.dst is not None else ['!"dst":']
    out += [_present("iif", rule.iif), _present("oif", rule.oif)]
    # the kernel's mask is all ones when none is given, and `ip` leaves it out then (and a mark 0 with it)
    mask = rule.fwmask if rule.fwmark is not None and rule.fwmask != U32 else None
    mark = rule.fwmark if rule.fwmark or mask is not None else None
    out.append(_present("fwmark", _hex(mark) if mark is not None else None))
    out.append(_present("fwmask", _hex(mask) if mask is not None else None))
    if rule.action is RuleAction.LOOKUP:
        out += [member("table", str(table)), '!"action":']
    else:
        out.append(member("action", str(rule.action.number)))
    return tuple(out)


def _selector(key: str, network: str) -> list[str]:
    """``from``/``to`` as `ip -j rule` prints them: the address, then its length unless a host's."""
    net = ipaddress.ip_network(network)
    shown = member(key, ip_text(str(net.network_address)))
    if net.prefixlen == net.max_prefixlen:
        return [shown, f'!"{key}len":']
    return [shown + "," + member(key + "len", net.prefixlen)]


def _hex(n: int) -> str:
    """A mark as `ip -j` prints it (C's %#x: 0 has no 0x)."""
    return hex(n) if n else "0"
