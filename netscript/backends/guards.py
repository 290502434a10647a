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
from ..kinds.spec import COMMON_SETTINGS, Setting
from ..plan import LATE_OPTIONS, mutable_options


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
