"""Validation of routes, policy rules, neighbours and sysctls: what the kernel would refuse, said before it is asked.

Each rule stands for a refusal seen from the kernel (tests/test_routes_kernel.py
holds them to it in a namespace):

- a nexthop through a link that is down: "Device for nexthop is not up";
- a gateway on no connected subnet of an up link: "Nexthop has invalid gateway";
- a link-local IPv6 gateway without a device: "Egress device not specified";
- a ``src`` that is no local address: "Invalid prefsrc address";
- the same route twice: "File exists";
- a neighbour on a link without a link-layer address (tun, ipip, lo): the
  kernel takes it without a word and keeps another entry than the one asked
  for (``0.0.0.0 dev tun0 lladdr 08``). It refuses no MAC of six octets,
  multicast ones included (a multicast cluster's static ARP entry uses one).

A namespace's links are only fully known when a spec (not a script's or a
document's end state) declares it and has no physical link in it; elsewhere (the host's namespace, with links the spec
does not mention) a rule that needs to see every link says nothing, so there
are no false alarms.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import findings, kinds
from ..diagnostics import Diagnostic, Span
from ..ir.index import Index
from ..ir.model import AdminState, LinkKind, Program
from ..ir.routing import TABLES, Neighbour, Nexthop, Route, RouteType
from . import sysctls
from .tables import vrf_table

Add = Callable[..., None]  # (code, message, span, *, hint=None, severity=None)
Found = Callable[[Diagnostic | None], bool]  # keeps a finding made by netscript.findings
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


@dataclass
class _Namespace:
    """What the spec says about one namespace's links, for the nexthop rules."""

    fully_known: bool
    loopback_up: bool


class RoutingChecks:
    def __init__(self, program: Program, index: Index, add: Add, found: Found, known_namespace: Callable) -> None:
        self.program = program
        self.index = index
        self.add = add
        self.found = found
        self.known_namespace = known_namespace
        owned = {ns.name: ns for ns in program.namespaces}
        with_physical = {link.netns for link in program.all_links() if link.kind is LinkKind.PHYSICAL}
        self.namespaces = {
            name: _Namespace(fully_known=program.whole_namespaces and name not in with_physical,
                             loopback_up=ns.loopback is AdminState.UP)
            for name, ns in owned.items()
        }
        # the subnets reached through a device by a route without a gateway (scope link), per device
        self.dev_routes: dict[tuple[str | None, str], list[Network]] = {}
        for route in program.routes:
            if route.dst != "default" and route.type is RouteType.UNICAST:
                for nh in route.nexthops:
                    if nh.via is None and nh.dev is not None:
                        self.dev_routes.setdefault((route.netns, nh.dev), []).append(ipaddress.ip_network(route.dst))

    def run(self) -> None:
        seen: dict[tuple, Route] = {}
        for route in self.program.routes:
            self.known_namespace(route.netns, route.span, "route")
            table = self.table(route.netns, route.table, route.setting_span("table"))
            for nh in route.nexthops:
                self.nexthop(route, nh)
            if route.src is not None:
                self.source(route)
            identity = (route.netns, route.family, table, route.dst, route.metric or 0)
            if table is not None and identity in seen:
                first = seen[identity]
                self.add("NS234", f"route {route.dst} is given twice in one table with one metric: the kernel keeps one",
                         route.span, hint=f"first at {first.span}" if first.span else None)
            seen.setdefault(identity, route)
        rules: dict[tuple, object] = {}
        for rule in self.program.rules:
            self.known_namespace(rule.netns, rule.span, "rule")
            self.table(rule.netns, rule.table, rule.setting_span("table"))
            if rule.identity in rules:
                self.add("NS234", "this rule is given twice: the kernel refuses the second (File exists)", rule.span)
            rules.setdefault(rule.identity, rule)
        values: dict[tuple, str] = {}
        for s in self.program.sysctls:
            self.known_namespace(s.netns, s.span, "sysctl")
            found = sysctls.key_problem(s)
            if found is not None:
                self.add("NS235", found[0], s.span, hint=found[1])
            if s.link is not None and s.link != "lo" and self.index.get(s.netns, s.link) is None:
                self.found(findings.undeclared(f"sysctl {s.key}: {s.link} is not a link of the spec", s.span,
                                               hint=f"declare it (physical {s.link} for one that exists)"))
            if s.identity in values and values[s.identity] != s.value:
                self.add("NS234", f"sysctl {s.key} is set to {values[s.identity]} and to {s.value}", s.span)
            values.setdefault(s.identity, s.value)
        neighbours: dict[tuple, Neighbour] = {}
        for n in self.program.neighbours:
            self.known_namespace(n.netns, n.span, "neigh")
            self.neighbour(n)
            if n.identity in neighbours:
                earlier = neighbours[n.identity]
                self.add("NS234", f"neigh {n.address} on {n.dev} is given twice: the kernel keeps one entry",
                         n.span, hint=f"first at {earlier.span}" if earlier.span else None)
            neighbours.setdefault(n.identity, n)

    def neighbour(self, n: Neighbour) -> None:
        span = n.setting_span("dev")
        link = self.index.get(n.netns, n.dev)
        if n.dev == "lo" or (link is not None and not kinds.spec(link.kind).link_layer_address):
            kind = "lo" if link is None else f"a {link.kind.value}"
            self.add("NS237", f"neigh {n.address}: {n.dev} is {kind}, a link without a link-layer address, "
                     "where the kernel keeps another entry than this one", span)
        elif link is None and n.dev != "lo":
            known = self.namespaces.get(n.netns) if n.netns is not None else None
            if known is not None and known.fully_known:
                self.found(findings.undeclared(f"neigh {n.address}: dev {n.dev} is no link of namespace {n.netns}", span,
                                               hint=f"declare it, or `physical {n.dev}` for one that exists"))

    # -- tables ----------------------------------------------------------

    def table(self, netns: str | None, table: int | str, span: Span | None) -> int | None:
        if isinstance(table, int):
            return table
        found = vrf_table(self.index, netns, table)
        if found is None:
            vrfs = [link.name for link in self.program.all_links() if link.kind is LinkKind.VRF and link.netns == netns]
            self.add("NS233", f"table {table!r} is not a number, {', '.join(TABLES)} or a VRF of "
                     + (f"namespace {netns}" if netns else "the default namespace"), span,
                     hint=("VRFs there: " + ", ".join(vrfs)) if vrfs else "declare `vrf NAME table N`, or give the number")
        return found

    # -- nexthops --------------------------------------------------------

    def state(self, netns: str | None, name: str) -> AdminState | None:
        """The admin state the spec leaves ``name`` in, None when the spec cannot say."""
        if name == "lo":
            ns = self.namespaces.get(netns) if netns is not None else None
            if ns is None:
                return None
            return AdminState.UP if ns.loopback_up else AdminState.DOWN
        link = self.index.get(netns, name)
        if link is None:
            return None
        if link.state is not None:
            return link.state
        # a link the spec creates comes up only when told; one that exists may be up already
        return None if link.kind is LinkKind.PHYSICAL else AdminState.DOWN

    def networks(self, netns: str | None, name: str) -> Iterator[Network]:
        """The subnets the kernel has routes to through ``name``: its addresses' and dev routes'."""
        if name == "lo":
            yield from LOOPBACK_NETWORKS
        link = self.index.get(netns, name)
        for addr in link.addresses if link is not None else ():
            try:
                yield ipaddress.ip_interface(addr.cidr).network
            except ValueError:
                continue
        yield from self.dev_routes.get((netns, name), ())

    def up_links(self, netns: str | None) -> Iterator[str]:
        yield "lo"
        for link in self.program.all_links():
            if link.netns == netns and self.state(netns, link.name) is AdminState.UP:
                yield link.name

    def nexthop(self, route: Route, nh: Nexthop) -> None:
        netns = route.netns
        span = route.setting_span("via") if nh.via is not None else route.setting_span("dev")
        if nh.dev is not None:
            if nh.dev != "lo" and self.index.get(netns, nh.dev) is None:
                known = self.namespaces.get(netns) if netns is not None else None
                if known is not None and known.fully_known:
                    self.found(findings.undeclared(f"route {route.dst}: dev {nh.dev} is no link of namespace {netns}",
                                                   route.setting_span("dev"),
                                                   hint=f"declare it, or `physical {nh.dev}` for one that exists"))
                return
            if self.state(netns, nh.dev) is AdminState.DOWN:
                self.add("NS232", f"route {route.dst}: {nh.dev} is not up, and the kernel refuses a route through a "
                         "link that is down (Device for nexthop is not up)", route.setting_span("dev"),
                         hint=f"bring {nh.dev} up before the route")
                return
        if nh.via is None:
            return
        gateway = ipaddress.ip_address(nh.via)
        if gateway.version == 6 and gateway.is_link_local:
            if nh.dev is None:
                self.add("NS232", f"route {route.dst}: the link-local gateway {nh.via} needs a device "
                         "(Egress device not specified)", span, hint=f"add dev LINK: route {route.dst} via {nh.via} dev LINK")
            return
        if nh.onlink:
            return
        if nh.dev is not None:
            link = self.index.get(netns, nh.dev)
            if link is None or link.kind is LinkKind.PHYSICAL or self.state(netns, nh.dev) is not AdminState.UP:
                return  # a link that exists already may have addresses the spec does not give
            candidates = [nh.dev]
        else:
            known = self.namespaces.get(netns) if netns is not None else None
            if known is None or not known.fully_known:
                return
            candidates = list(self.up_links(netns))
        if not any(gateway in net for name in candidates for net in self.networks(netns, name)):
            through = f"{nh.dev}'s addresses" if nh.dev is not None else "the addresses of the up links there"
            self.add("NS232", f"route {route.dst}: gateway {nh.via} is on no subnet of {through}, "
                     "and the kernel refuses it (Nexthop has invalid gateway)", span,
                     hint="give the link an address on the gateway's subnet, or add onlink if the gateway is on the wire")

    def source(self, route: Route) -> None:
        known = self.namespaces.get(route.netns) if route.netns is not None else None
        if known is None or not known.fully_known:
            return
        src = ipaddress.ip_address(route.src)  # type: ignore[arg-type]  # read_route made it an address
        local = {ipaddress.ip_interface(a.cidr).ip for link in self.program.all_links() if link.netns == route.netns
                 for a in link.addresses if _parses(a.cidr)}
        if src not in local and not (src.is_loopback and known.loopback_up):
            self.add("NS236", f"route {route.dst}: src {route.src} is no address of namespace {route.netns} "
                     "(Invalid prefsrc address)", route.setting_span("src"))


def _parses(cidr: str) -> bool:
    try:
        ipaddress.ip_interface(cidr)
    except ValueError:
        return False
    return True
