"""systemd-networkd configuration from the IR: a .netdev per link to create, a .network per link
to configure (addresses, master, the links stacked on it, admin state, port settings, routes,
policy rules and the sysctls networkd has keys for).

What each kind and setting is called in networkd lives with the kind
(``KindSpec.networkd``, :mod:`netscript.kinds`); this module only lays the
files out. What networkd cannot say is an error naming the link, the setting
and why (NS701-NS704), never a silent drop. The files say nothing about
namespaces: networkd configures the namespace it runs in, so a spec for it
puts every link in one.

A link's admin state follows the spec: ``up`` and ``down`` become
``ActivationPolicy=``; a link whose state the spec leaves alone gets
``manual``, so networkd leaves it as created, as ``apply`` does.

Routes, rules and sysctls are read against Debian 12's networkd (systemd
252, systemd.network(5)): a route is a [Route] section and a rule a
[RoutingPolicyRule] section of the .network that :mod:`.boot_routing`
places them in (a device-less one: ``lo``'s). The forwarding switch
``IPForward=`` is global in 252 and only ever turns forwarding on, so it says
``net.ipv4.ip_forward = 1`` (and IPv6's ``all.forwarding``), never ``0``; it
goes in every link's .network (networkd sets no sysctl for ``lo``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import kinds
from ..codes import diag
from ..diagnostics import Diagnostic
from ..ir.index import Index
from ..ir.model import AdminState, Link, LinkKind, Program, option_items
from ..ir.routing import PROTOCOL_NAMES, SCOPE_NAMES, Route, RouteType, RuleAction, Sysctl
from ..ir.routing import Rule as PolicyRule
from ..ir.values import Centiseconds, Flag, Int, QosMap, WordList
from ..kinds.spec import Setting
from ..routing.tables import table_number
from ..routing.words import table_word
from .boot_routing import LOOPBACK, LOOPBACK_SYSCTLS, SYSCTL_D_HINT, SysctlKey, elsewhere, interface_setting, route_home

DEFAULT_PREFIX = "10-netscript-"
ACTIVATION = {AdminState.UP: "up", AdminState.DOWN: "down", None: "manual"}

# The per-interface sysctls networkd 252 has a [Network] key for (net.ipvX.conf.LINK.setting).
BOOLEAN = {"0": "no", "1": "yes"}
LINK_SYSCTLS = {
    ("ipv4", "proxy_arp"): SysctlKey("IPv4ProxyARP", BOOLEAN),
    ("ipv4", "accept_local"): SysctlKey("IPv4AcceptLocal", BOOLEAN),
    ("ipv4", "route_localnet"): SysctlKey("IPv4RouteLocalnet", BOOLEAN),
    ("ipv6", "proxy_ndp"): SysctlKey("IPv6ProxyNDP", BOOLEAN),
    ("ipv6", "use_tempaddr"): SysctlKey("IPv6PrivacyExtensions", {"0": "no", "1": "prefer-public", "2": "yes"}),
    ("ipv6", "dad_transmits"): SysctlKey("IPv6DuplicateAddressDetection"),
    ("ipv6", "hop_limit"): SysctlKey("IPv6HopLimit"),
    ("ipv6", "mtu"): SysctlKey("IPv6MTUBytes"),
    ("ipv6", "accept_ra"): SysctlKey(
        "IPv6AcceptRA",
        {"0": "no"},
        why="networkd answers router advertisements itself and holds the kernel's accept_ra at 0 "
        "(IPv6AcceptRA=yes leaves it 0)",
    ),
}
# The namespace's forwarding switches and IPForward='s word for each.
FORWARDING = {("net", "ipv4", "ip_forward"): "ipv4", ("net", "ipv6", "conf", "all", "forwarding"): "ipv6"}
# Route protocols networkd takes by name; others it takes as numbers.
PROTOCOL_WORDS = {"kernel", "boot", "static", "ra", "dhcp"}


@dataclass
class Unit:
    """One file: its sections in order, each a list of (key, value)."""

    sections: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def section(self, name: str) -> list[tuple[str, str]]:
        for existing, entries in self.sections:
            if existing == name:
                return entries
        new: list[tuple[str, str]] = []
        self.sections.append((name, new))
        return new

    def text(self, header: str) -> str:
        out = [header]
        for name, entries in self.sections:
            out.append(f"\n[{name}]")
            out += [f"{key}={value}" for key, value in entries]
        return "\n".join(out) + "\n"


def duration(setting: Setting, value) -> str | None:
    """A time setting with its unit (``4000ms``), as systemd reads time spans (None: not a time).
    netplan hands these to networkd as they are, so both targets write them so."""
    codec = setting.codec
    if isinstance(codec, Centiseconds):
        return f"{value * 10}ms"
    if isinstance(codec, Int) and codec.unit == "ms":
        return f"{value}ms"
    return None


def value_text(setting: Setting, value, words: dict[str, str] | None = None, inverted: bool = False) -> str:
    """A setting's value as networkd reads it."""
    codec = setting.codec
    if isinstance(codec, Flag):
        return "yes" if bool(value) != inverted else "no"
    if (span := duration(setting, value)) is not None:
        return span
    if isinstance(codec, QosMap):
        return " ".join(f"{a}-{b}" for a, b in value)
    if isinstance(codec, WordList):
        return " ".join(value)
    return (words or {}).get(str(value), str(value))


@dataclass
class Rendered:
    files: dict[str, str]  # file name -> text
    diagnostics: list[Diagnostic]


def render(program: Program, *, source: str, prefix: str = DEFAULT_PREFIX) -> Rendered:
    return _Renderer(program, source, prefix).run()


class _Renderer:
    def __init__(self, program: Program, source: str, prefix: str):
        self.program = program
        self.prefix = prefix
        self.header = f"# Generated by netscript from {source}: changes made here are lost when it is generated again."
        self.netdevs: dict[str, Unit] = {}
        self.networks: dict[str, Unit] = {}
        self.problems: list[Diagnostic] = []
        self.declared: set[str] = set()

    def problem(self, code: str, message: str, span, **kw) -> None:
        self.problems.append(diag(code, message, span, **kw))

    def network(self, name: str) -> Unit:
        if name not in self.networks:
            unit = Unit()
            unit.section("Match").append(("Name", name))
            self.networks[name] = unit
        return self.networks[name]

    def home(self, name: str) -> Unit:
        """The .network that carries routes, rules or sysctls for ``name``. One for a link the spec
        does not declare (``lo``) leaves the link's state alone and does not hold up boot."""
        if name not in self.networks and name not in self.declared:
            link_section = self.network(name).section("Link")
            if name != LOOPBACK:  # lo is up from the start: networkd's default keeps it so
                link_section.append(("ActivationPolicy", "manual"))
            link_section.append(("RequiredForOnline", "no"))
        return self.network(name)

    def run(self) -> Rendered:
        links = list(self.program.all_links())
        for link in links:
            if link.netns is not None:
                self.problem(
                    "NS701",
                    f"{link.name} is in namespace {link.netns}: networkd configures only the namespace it runs in",
                    link.span,
                    hint="render each namespace's links as a spec of its own",
                )
        for what, netns, span in elsewhere(self.program):
            self.problem(
                "NS701", f"{what} is in namespace {netns}: networkd configures only the namespace it runs in", span
            )
        if self.problems:
            return Rendered({}, self.problems)
        by_name = {link.name: link for link in links}
        self.declared = set(by_name)
        for link in links:
            self.link(link, by_name)
        for link in self.program.links:
            self.ports(link, by_name)
        index = Index.build(self.program)
        for route in self.program.routes:
            self.route(route, table_number(index, None, route.table), links)
        for rule in self.program.rules:
            self.rule(rule, table_number(index, None, rule.table))
        self.sysctls(self.program.sysctls)
        for n in self.program.neighbours:
            self.home(n.dev).sections.append(("Neighbor", [("Address", n.address), ("LinkLayerAddress", n.lladdr)]))
        files = {}
        for name, unit in self.netdevs.items():
            files[f"{self.prefix}{name}.netdev"] = unit.text(self.header)
        for name, unit in self.networks.items():
            files[f"{self.prefix}{name}.network"] = unit.text(self.header)
        return Rendered(dict(sorted(files.items())), self.problems)

    def link(self, link: Link, by_name: dict[str, Link]) -> None:
        spec = kinds.spec(link.kind)
        network = self.network(link.name)
        link_section = network.section("Link")
        if (
            link.kind is not LinkKind.PHYSICAL
            and link.peer is None
            and link.name in {other.peer.name for other in by_name.values() if other.peer is not None}
        ):
            pass  # a veth's peer: its .netdev is its other end's
        elif link.kind is not LinkKind.PHYSICAL:
            self.netdev(link, spec)
        # the bridge takes its smallest port's MTU when ports join: its own is held in [Link]
        if link.mtu is not None and (link.kind is LinkKind.PHYSICAL or spec.is_master):
            link_section.append(("MTUBytes", str(link.mtu)))
        if link.mac is not None and link.kind is LinkKind.PHYSICAL:
            link_section.append(("MACAddress", link.mac))
        link_section.append(("ActivationPolicy", ACTIVATION[link.state]))
        link_section.append(("RequiredForOnline", "no"))
        net = network.section("Network")
        # addresses whether or not a carrier is there, as apply sets them
        net.append(("ConfigureWithoutCarrier", "yes"))
        for address in link.addresses:
            net.append(("Address", address.cidr))
        if link.parent is not None and spec.networkd is not None and spec.networkd.parent_key:
            parent = self.network(link.parent.name)
            parent.section("Network").append((spec.networkd.parent_key, link.name))

    def netdev(self, link: Link, spec) -> None:
        nd = spec.networkd
        if nd is None:
            hint = "translate with --team-as-bond to make it a bond" if link.kind is LinkKind.TEAM else None
            self.problem("NS702", f"networkd cannot make a {link.kind.value} ({link.name})", link.span, hint=hint)
            return
        unit = Unit()
        head = unit.section("NetDev")
        head += [("Name", link.name), ("Kind", nd.kind)]
        if link.mtu is not None and not spec.is_master:
            head.append(("MTUBytes", str(link.mtu)))
        if link.mac is not None:
            head.append(("MACAddress", link.mac))
        if link.kind is LinkKind.VETH and link.peer is not None:
            peer = unit.section("Peer")
            peer.append(("Name", link.peer.name))
            if link.peer.mac is not None:
                peer.append(("MACAddress", link.peer.mac))
            if link.peer.mtu is not None and link.peer.mtu != link.mtu:
                self.problem(
                    "NS703",
                    f"veth {link.name}: networkd gives both ends one MTU; the peer's {link.peer.mtu} cannot be said",
                    link.peer.span,
                )
        items = option_items(link.options)
        if items and nd.section:
            section = unit.section(nd.section)
            for key, value, setting in items:
                name = _field(link.options, key)
                if name in nd.port_flags:
                    continue  # said in that port's .network
                if name not in nd.keys:
                    self.problem(
                        "NS703", f"{link.kind.value} {link.name}: networkd has no key for {key}", link.setting_span(key)
                    )
                    continue
                section.append((nd.keys[name], value_text(setting, value, nd.words.get(name), name in nd.inverted)))
        if nd.independent and link.parent is None:
            unit.section(nd.section or "NetDev").append(("Independent", "yes"))
        self.netdevs[link.name] = unit

    def ports(self, master: Link, by_name: dict[str, Link]) -> None:
        nd = kinds.spec(master.kind).networkd
        if nd is None or not master.ports:
            return
        named = {getattr(master.options, name, None): key for name, key in nd.port_flags.items()}
        for port in master.ports:
            net = self.network(port.name).section("Network")
            if nd.port_key:
                net.append((nd.port_key, master.name))
            if port.name in named:
                net.append((named[port.name], "yes"))
            for key, value, setting in option_items(port.options):
                name = _field(port.options, key)
                if nd.port_section is None or name not in nd.port_keys:
                    self.problem(
                        "NS704",
                        f"{master.kind.value} {master.name}: networkd has no key for port {port.name}'s {key}",
                        port.span,
                    )
                    continue
                section = self.network(port.name).section(nd.port_section)
                section.append((nd.port_keys[name], value_text(setting, value, None, name in nd.inverted)))


    # -- routes, rules, sysctls ------------------------------------------------------------

    def route(self, route: Route, table: int, links: list[Link]) -> None:
        home = route_home(route, links)
        if home is None:
            self.problem(
                "NS703",
                f"route {route.dst}: networkd sets a route with its device's configuration, and no link of the "
                "spec has the gateway on its subnet",
                route.span,
                hint=f"give the device: route {route.dst} ... dev LINK",
            )
            return
        entries: list[tuple[str, str]] = []
        if route.type is not RouteType.UNICAST:
            entries.append(("Type", route.type.value))
        entries.append(("Destination", _destination(route)))
        if len(route.nexthops) == 1 and route.nexthops[0].via is not None:
            entries.append(("Gateway", route.nexthops[0].via))
            if route.nexthops[0].onlink:
                entries.append(("GatewayOnLink", "yes"))
        elif len(route.nexthops) > 1:
            for nh in route.nexthops:
                if nh.via is None or nh.onlink:
                    why = "a gateway" if nh.via is None else "no onlink"
                    self.problem(
                        "NS703",
                        f"route {route.dst}: networkd's MultiPathRoute= takes {why} in each nexthop",
                        route.setting_span("nexthop"),
                    )
                    return
                hop = nh.via + (f"@{nh.dev}" if nh.dev is not None else "")
                entries.append(("MultiPathRoute", hop + (f" {nh.weight}" if nh.weight is not None else "")))
        if route.metric is not None:
            entries.append(("Metric", str(route.metric)))
        entries.append(("Table", table_word(table)))  # always: a VRF port's routes would go to its table
        if route.src is not None:
            entries.append(("PreferredSource", route.src))
        if route.scope is not None:
            if route.scope not in SCOPE_NAMES:
                self.problem("NS703", f"route {route.dst}: networkd names scopes, and has none for {route.scope}",
                             route.setting_span("scope"))  # fmt: skip
                return
            entries.append(("Scope", SCOPE_NAMES[route.scope]))
        if route.mtu is not None:
            entries.append(("MTUBytes", str(route.mtu)))
        if route.protocol is not None:
            name = PROTOCOL_NAMES.get(route.protocol)
            entries.append(("Protocol", name if name in PROTOCOL_WORDS else str(route.protocol)))
        self.home(home).sections.append(("Route", entries))

    def rule(self, rule: PolicyRule, table: int) -> None:
        entries: list[tuple[str, str]] = []
        if rule.family == 6:
            entries.append(("Family", "ipv6"))
        if rule.priority is not None:
            entries.append(("Priority", str(rule.priority)))
        for key, value in (("From", rule.src), ("To", rule.dst), ("IncomingInterface", rule.iif),
                           ("OutgoingInterface", rule.oif)):  # fmt: skip
            if value is not None:
                entries.append((key, value))
        if rule.fwmark is not None:
            if rule.fwmark == 0:
                self.problem("NS703", "rule: networkd's FirewallMark= takes a mark from 1", rule.setting_span("fwmark"))
                return
            mask = f"/{rule.fwmask}" if rule.fwmask is not None else ""
            entries.append(("FirewallMark", f"{rule.fwmark}{mask}"))
        if rule.action is RuleAction.LOOKUP:
            entries.append(("Table", table_word(table)))
        else:
            entries.append(("Type", rule.action.value))
        self.home(LOOPBACK).sections.append(("RoutingPolicyRule", entries))

    def sysctls(self, sysctls: tuple[Sysctl, ...]) -> None:
        forwarding: list[str] = []
        for sysctl in sysctls:
            hint = SYSCTL_D_HINT.format(key=sysctl.key, value=sysctl.value)
            if sysctl.link is None:
                if sysctl.path in FORWARDING and sysctl.value == "1":
                    forwarding.append(FORWARDING[sysctl.path])
                elif sysctl.path in FORWARDING:
                    self.problem("NS703", f"sysctl {sysctl.key} {sysctl.value}: networkd's IPForward= only ever turns "
                                 "forwarding on", sysctl.span, hint=hint)  # fmt: skip
                else:
                    self.problem("NS703", f"sysctl {sysctl.key}: networkd has no key for it", sysctl.span, hint=hint)
                continue
            setting = interface_setting(sysctl)
            found = LINK_SYSCTLS.get(setting) if setting else None
            if sysctl.link == LOOPBACK:
                self.problem("NS703", f"sysctl {sysctl.key}: {LOOPBACK_SYSCTLS}", sysctl.span, hint=hint)
                continue
            if found is None:
                self.problem("NS703", f"sysctl {sysctl.key}: networkd has no key for {sysctl.link}'s {sysctl.path[-1]}",
                             sysctl.span, hint=hint)  # fmt: skip
                continue
            value = found.value(sysctl)
            if value is None:
                why = found.why or f"{found.key}= takes {', '.join(found.values or ['a number'])}"
                self.problem("NS703", f"sysctl {sysctl.key} {sysctl.value}: {why}", sysctl.span, hint=hint)
                continue
            self.home(sysctl.link).section("Network").append((found.key, str(value)))
        if not forwarding:
            return
        # global in networkd 252: the first link configured with it turns it on, so every link says
        # it; networkd sets no sysctl for lo, which cannot
        word = "yes" if len(set(forwarding)) == 2 else forwarding[0]
        for name in sorted(self.declared - {LOOPBACK}):
            self.network(name).section("Network").append(("IPForward", word))
        if not self.declared - {LOOPBACK}:
            span = next(s.span for s in sysctls if s.path in FORWARDING)
            self.problem("NS703", "networkd's IPForward= comes with a link's configuration, and the spec has no link",
                         span, hint="declare the link that forwards (physical eth0)")  # fmt: skip


def _destination(route: Route) -> str:
    if route.is_default:
        return "0.0.0.0/0" if route.family == 4 else "::/0"
    return route.dst


def _field(options, key: str) -> str:
    """The options field a DSL key names (``egress-qos-map`` is egress_qos_map)."""
    return kinds.settings(type(options))[key][0]
