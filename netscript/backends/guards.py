"""What "already done" means for each planned step, said once for the script, `--batch` and apply.

Each attribute a step converges is one :class:`Expect`: the attribute, the
value the spec wants, where the live value is held, and the member
`ip -d -j link show` (or `ip -j address show`) prints when the kernel has it
as the spec says: ``"mtu":9000``, ``"remote6":"2001:db8::2"``, ``"cost":10``.
The bash backend renders a step's expectations as a shell test
(``link_has NS NAME MEMBER...``), which the plain script evaluates on a fresh
`ip` read and the batch script on its one state read per namespace; the
netlink backend reads the same attributes from the state it read and asks
:meth:`Expect.satisfied_by` (:mod:`.netlink.compare`). So the set of
attributes and their wanted values are declared here only, and the three
backends agree on what is already done.

An :class:`Expect` whose ``members`` is None has no such test: the step that
sets it then always runs (its command is idempotent), so the script still
converges, just not silently.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import json
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .. import kinds
from ..ir.index import Key
from ..ir.model import Link, LinkKind, Port, option_items
from ..ir.values import Centiseconds, Codec
from ..kinds.spec import COMMON_SETTINGS, Setting
from ..netlink import schema
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


class Held(Enum):
    """Where the kernel holds an attribute, as netscript reads a link back (an Observed)."""

    LINK = "link"  # on the link itself: mtu, mac, txqueuelen
    KIND = "kind"  # among its kind's settings
    PORT = "port"  # among its settings as a port of its master
    MASTER = "master"  # the name of its master
    PARENT = "parent"  # its lower device, as name@netns
    ADDRESSES = "addresses"  # among its addresses


@dataclass(frozen=True, slots=True)
class Expect:
    """One attribute of one link as the spec wants it, and how `ip -j` shows it (None: it cannot).

    ``held`` and ``field`` say where apply reads the live value (None: the
    netlink backend judges the attribute by its own reading: the kind, a
    veth's peer).
    """

    attribute: str  # as plan names it: "mtu", "remote", "port cost", "master"
    wanted: object
    members: tuple[Member, ...] | None
    held: Held | None = None
    field: str = ""  # the IR field that holds it there
    codec: Codec | None = None
    names_link: bool = False  # the value is a link's name, which the kernel keeps case and all

    def satisfied_by(self, actual: object) -> bool:
        """Whether the live value read back is what the spec wants (read the way the kernel keeps it)."""
        if self.names_link:
            return self.wanted == actual
        if self.held is Held.ADDRESSES:
            return interface(str(self.wanted)) in actual  # type: ignore[operator]
        if self.held is not Held.KIND:
            return schema.same_value(self.field, self.wanted, actual)
        if self.field in ("user", "group"):
            return _owner(self.field, self.wanted) == _owner(self.field, actual)
        if isinstance(self.codec, Centiseconds) and isinstance(actual, int) and isinstance(self.wanted, int):
            # the kernel keeps bridge timers in jiffies: 2.5 s can come back as 249 cs
            return abs(self.wanted - actual) <= 1
        return schema.same_value(self.field, self.wanted, actual)


def _owner(field: str, value: object) -> object:
    """A tun/tap owner as a name, whichever way it was written."""
    import grp
    import pwd

    if isinstance(value, str) and value.isdigit():
        try:
            return (pwd.getpwuid if field == "user" else grp.getgrgid)(int(value))[0]
        except KeyError:
            return value
    return value


def member(key: str, value: object) -> str:
    """``"key":value`` as `ip -j` prints it."""
    if isinstance(value, str):  # a name, most often (a port's master): what json.dumps writes, without its machinery
        return f"{_json_string(key)}:{_json_string(value)}"
    return json.dumps({key: value}, ensure_ascii=False, separators=(",", ":"))[1:-1]


_json_string = json.encoder.encode_basestring  # json.dumps(str, ensure_ascii=False)


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
    # teamd holds a team's settings, not the kernel: the script asks teamd for the runner instead
    shown = None if link.kind is LinkKind.TEAM else option_members(link.kind, key, value, meta)
    names_link = key in LATE_OPTIONS.get(link.kind, ())
    return Expect(key, value, shown, Held.KIND, _field_of(link.options, meta), meta.codec, names_link)


def _field_of(options: Any, meta: Setting) -> str:
    """The name of the field of ``options`` that ``meta`` declares."""
    names = _FIELD_NAMES.get(type(options))
    if names is None:  # once per options class: a spec compares the same few over and over
        fields = dataclasses.fields(options)
        names = _FIELD_NAMES[type(options)] = {
            id(f.metadata["setting"]): f.name for f in fields if "setting" in f.metadata
        }
    return names[id(meta)]


# options class -> each setting it declares (by identity: a setting is declared once, on its class) -> its field
_FIELD_NAMES: dict[type, dict[int, str]] = {}


def common(link: Link) -> list[Expect]:
    """MTU, MAC and queue length, as `ip -j` prints them (mtu, address, txqlen)."""
    shown = {"mtu": "mtu", "mac": "address", "txqueuelen": "txqlen"}
    out = []
    for key, codec in COMMON_SETTINGS.items():
        value = getattr(link, key)
        if value is not None:
            out.append(Expect(key, value, (member(shown[key], codec.kernel_json(value)),), Held.LINK, key, codec))
    return out


def create_only(link: Link) -> list[Expect]:
    """The kind settings only creating the link sets (a vlan's id, a team's runner)."""
    return [_expect(link, k, v, m) for k, v, m in option_items(link.options) if m.create_only]


def created_as(link: Link, parent_key: Key | None, peer_name: str | None) -> list[Expect]:
    """What only creating the link sets: create-only settings, its lower device, a veth's peer.

    A lower device or peer in another namespace is not named by `ip -j` (only
    by a namespace id), so it has no member to look for.
    """
    out = create_only(link)
    if parent_key is not None:
        out.append(parent(link, parent_key))
    if peer_name is not None:
        same = link.peer is None or link.peer.netns == link.netns
        out.append(Expect("peer", peer_name, (member("link", peer_name),) if same else None))
    return out


def parent(link: Link, parent_key: Key) -> Expect:
    """The lower device the link was made on (``ip -j`` names it only when it shares the link's namespace)."""
    word = kinds.spec(link.kind).parent_key
    shown = (member("link", parent_key[1]),) if parent_key[0] == link.netns else None
    return Expect(word, link_text(parent_key[1], parent_key[0]), shown, Held.PARENT, names_link=True)


def link_text(name: str, netns: str | None) -> str:
    """A link as name@netns, or its name alone when it is in the default namespace."""
    return f"{name}@{netns}" if netns else name


def settings(link: Link) -> list[Expect]:
    """What `ip link set` converges in place: MTU, MAC, queue length, kind settings."""
    return common(link) + mutable(link)


def mutable(link: Link) -> list[Expect]:
    """The kind settings that change in place (a team's are all create-only)."""
    return [_expect(link, k, v, m) for k, v, m in mutable_options(link)]


def late(link: Link) -> list[Expect]:
    """Settings that name ports (a bond's primary)."""
    names = LATE_OPTIONS.get(link.kind, ())
    return [_expect(link, k, v, m) for k, v, m in option_items(link.options) if k in names]


def master(port_name: str, master_link: Link) -> Expect:
    return Expect("master", master_link.name, (member("master", master_link.name),), Held.MASTER, names_link=True)


def port_settings(port: Port, master_link: Link) -> list[Expect]:
    """A port's settings under its master, as `ip -d -j` lists them in info_slave_data."""
    out = []
    for key, value, meta in option_items(port.options):
        shown: tuple[Member, ...] | None = None
        if master_link.kind is not LinkKind.TEAM and meta.kernel is not None:
            shown = (member(meta.kernel, meta.codec.kernel_json(value)),)
        out.append(Expect(f"port {key}", value, shown, Held.PORT, _field_of(port.options, meta), meta.codec))
    return out


def address(cidr: str) -> Expect:
    """An address on the link; apply finds it among the link's addresses as :func:`interface` reads them."""
    return Expect("address", cidr, (address_member(cidr),), Held.ADDRESSES)


@functools.lru_cache(maxsize=1 << 16)  # a spec's addresses are read back as many times as links are compared
def interface(cidr: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | str:
    """An address with its prefix, so that two spellings of one compare equal (as written when it is no address)."""
    try:
        return ipaddress.ip_interface(cidr)
    except ValueError:
        return cidr


@functools.lru_cache(maxsize=1 << 16)
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
