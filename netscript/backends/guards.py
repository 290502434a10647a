"""What "already done" means for each planned step, said once for the script and `--batch`.

The netlink backend compares the spec with the live state attribute by
attribute (:mod:`.netlink.compare`). The scripts cannot run that code, so each
attribute it compares is described here as the member `ip -d -j link show`
(or `ip -j address show`) prints when the kernel has it as the spec says:
``"mtu":9000``, ``"remote6":"2001:db8::2"``, ``"cost":10``. The bash backend
renders a step's expectations as a shell test (``link_has NS NAME MEMBER...``);
the plain script evaluates it on a fresh `ip` read, the batch script on its
one state read per namespace. ``tests/test_guards.py`` holds this module to the
attributes :mod:`.netlink.compare` compares, kind by kind, so the three
backends agree on what is already done.

An :class:`Expect` whose ``members`` is None has no such test: the step that
sets it then always runs (its command is idempotent), so the script still
converges, just not silently.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from .. import kinds
from ..ir.index import Key
from ..ir.model import Link, LinkKind, Port, option_items
from ..ir.routing import MAIN_TABLE, PROTOCOLS, Neighbour, Nexthop, Route, RouteType, Rule, RuleAction
from ..kinds.spec import COMMON_SETTINGS, Setting
from ..plan import LATE_OPTIONS, mutable_options
from ..routing.words import U32


@dataclass(frozen=True, slots=True)
class Owner:
    """A tun/tap owner: `ip` prints the name of ``value``'s id, or the id when it has no name,
    which only the host that runs the script knows (the script asks getent)."""

    field: str  # "user" or "group"
    value: str


# A member is the text of one JSON member ("mtu":9000), "!" + text for one that must be
# absent, or an Owner resolved at run time.
Member = str | Owner


@dataclass(frozen=True, slots=True)
class Expect:
    """One attribute of one link as the spec wants it, and how `ip -j` shows it (None: it cannot)."""

    attribute: str  # as plan names it: "mtu", "remote", "port cost", "master"
    wanted: object
    members: tuple[Member, ...] | None


def member(key: str, value: object) -> str:
    """``"key":value`` as `ip -j` prints it."""
    return json.dumps({key: value}, ensure_ascii=False, separators=(",", ":"))[1:-1]


def ip_text(address: str) -> str:
    """An IP address as `ip` prints it (glibc's inet_ntop: IPv4-mapped and -compatible IPv6
    addresses end in dotted quads, which Python's ipaddress does not write)."""
    a = ipaddress.ip_address(address)
    if a.version == 4:
        return str(a)
    words = [int.from_bytes(a.packed[i : i + 2], "big") for i in range(0, 16, 2)]
    if words[:5] == [0] * 5 and words[5] in (0, 0xFFFF) and (words[5] or words[6]):
        v4 = ipaddress.IPv4Address(a.packed[12:])
        return f"::ffff:{v4}" if words[5] else f"::{v4}"
    return str(a)


# -- a link's settings ------------------------------------------------------------------------


def option_members(kind: LinkKind, key: str, value: Any, meta: Setting) -> tuple[Member, ...] | None:
    """How `ip -d -j link show` shows one kind setting (None: it does not)."""
    if meta.kernel_v6 and ipaddress.ip_address(value).version == 6:
        return (member(meta.kernel_v6, ip_text(value)),)
    if meta.kernel_v6 and meta.kernel is not None:
        return (member(meta.kernel, ip_text(value)),)
    # a kind's module is loaded when a spec names the kind (netscript.kinds): not before
    if kind is LinkKind.IPVLAN and key == "flag":
        from ..kinds import ipvlan

        return (ipvlan.flag_pattern(value),)
    if kind in (LinkKind.TAP, LinkKind.TUN) and key in ("user", "group"):
        return (Owner(key, value),)
    if kind is LinkKind.VLAN:
        from ..kinds import vlan

        if key in vlan.FLAG_NAMES:
            flag = json.dumps(vlan.FLAG_NAMES[key])
            return (flag,) if value else ("!" + flag,)
    if kind is LinkKind.VLAN and key in ("egress-qos-map", "ingress-qos-map"):
        # listed as {"from":F,"to":T}; a mapping to priority 0 is no mapping, which the kernel leaves out.
        # Only the pairs the spec names are looked for: ones it does not name, `ip` would not remove either
        return tuple(json.dumps({"from": a, "to": b}, separators=(",", ":")) for a, b in value if b)
    if meta.kernel is None:
        return None
    return (member(meta.kernel, meta.codec.kernel_json(value)),)


def _expect(link: Link, key: str, value: Any, meta: Setting) -> Expect:
    return Expect(key, value, option_members(link.kind, key, value, meta))


def common(link: Link) -> list[Expect]:
    """MTU, MAC and queue length, as `ip -j` prints them (mtu, address, txqlen)."""
    shown = {"mtu": "mtu", "mac": "address", "txqueuelen": "txqlen"}
    out = []
    for key in COMMON_SETTINGS:
        value = getattr(link, key)
        if value is not None:
            out.append(Expect(key, value, (member(shown[key], COMMON_SETTINGS[key].kernel_json(value)),)))
    return out


def created_as(link: Link, parent_key: Key | None, peer_name: str | None) -> list[Expect]:
    """What only creating the link sets: create-only settings, its lower device, a veth's peer.

    A lower device or peer in another namespace is not named by `ip -j` (only
    by a namespace id), so it has no member to look for.
    """
    out = [_expect(link, k, v, m) for k, v, m in option_items(link.options) if m.create_only]
    if link.kind is LinkKind.TEAM:
        return []  # teamd holds a team's settings: the script asks it for the runner instead
    if parent_key is not None:
        word = kinds.spec(link.kind).parent_key
        same = parent_key[0] == link.netns
        out.append(Expect(word, parent_key[1], (member("link", parent_key[1]),) if same else None))
    if peer_name is not None:
        same = link.peer is None or link.peer.netns == link.netns
        out.append(Expect("peer", peer_name, (member("link", peer_name),) if same else None))
    return out


def settings(link: Link) -> list[Expect]:
    """What `ip link set` converges in place: MTU, MAC, queue length, kind settings."""
    out = common(link)
    if link.kind is not LinkKind.TEAM:
        out += [_expect(link, k, v, m) for k, v, m in mutable_options(link)]
    return out


def late(link: Link) -> list[Expect]:
    """Settings that name ports (a bond's primary)."""
    names = LATE_OPTIONS.get(link.kind, ())
    return [_expect(link, k, v, m) for k, v, m in option_items(link.options) if k in names]


def master(port_name: str, master_link: Link) -> Expect:
    return Expect("master", master_link.name, (member("master", master_link.name),))


def port_settings(port: Port, master_link: Link) -> list[Expect]:
    """A port's settings under its master, as `ip -d -j` lists them in info_slave_data."""
    out = []
    for key, value, meta in option_items(port.options):
        shown: tuple[Member, ...] | None = None
        if master_link.kind is not LinkKind.TEAM and meta.kernel is not None:
            shown = (member(meta.kernel, meta.codec.kernel_json(value)),)
        out.append(Expect(f"port {key}", value, shown))
    return out


def address(cidr: str) -> Expect:
    return Expect("address", cidr, (address_member(cidr),))


def address_member(cidr: str) -> str:
    """An address as `ip -j address show` lists it: local, then prefixlen."""
    iface = ipaddress.ip_interface(cidr)
    return member("local", ip_text(str(iface.ip))) + "," + member("prefixlen", iface.network.prefixlen)


def testable(expects: list[Expect]) -> bool:
    """Whether every expectation has members to look for (else the step must always run)."""
    return all(e.members is not None for e in expects)


def members(expects: list[Expect]) -> list[Member]:
    """The members to look for, each once (expectations without any are left out)."""
    out: list[Member] = []
    for e in expects:
        for m in e.members or ():
            if m not in out:
                out.append(m)
    return out


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
