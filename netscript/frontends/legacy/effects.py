"""What a command does to the network, as edits of the IR.

Every per-tool parser can say what its command changes: create a bridge, set
a timer, enslave a port... A straight-line script becomes a Program by
applying these edits in order (:mod:`.program`); documentation checking can
simulate a snippet the same way. Values are already in the IR's units
(bridge timers in centiseconds) and names are literal: a command whose names
or values are only known at run time yields :class:`Unexpressible`.

``netns`` is the namespace the command acts in (``ip -n NS``, ``ip netns exec
NS``); None is the namespace the script runs in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...ir.model import AdminState, LinkKind
from ...ir.routing import Neighbour, Route, Rule, Sysctl


@dataclass(frozen=True)
class Effect:
    """What every effect has: the command's span and namespace."""
    start: int = field(default=0, kw_only=True)  # the command's byte span
    end: int = field(default=0, kw_only=True)
    netns: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class CreateLink(Effect):
    """A new link, with its kind's settings (DSL keys, IR values)."""
    name: str
    kind: LinkKind
    options: dict = field(default_factory=dict)  # DSL key -> value, for the kind's options
    parent: str | None = None
    peer: str | None = None  # veth
    peer_netns: str | None = None
    into_netns: str | None = None  # `ip link add ... netns NS`
    mtu: int | None = None
    mac: str | None = None
    txqueuelen: int | None = None


@dataclass(frozen=True)
class DeleteLink(Effect):
    name: str


@dataclass(frozen=True)
class SetOptions(Effect):
    """Kind settings of an existing link (``ip link set ... type bridge ...``)."""

    name: str
    kind: LinkKind
    options: dict


@dataclass(frozen=True)
class SetLink(Effect):
    """Settings every link has."""

    name: str
    mtu: int | None = None
    mac: str | None = None
    txqueuelen: int | None = None
    state: AdminState | None = None
    move_to_netns: str | None = None


@dataclass(frozen=True)
class Enslave(Effect):
    """``port`` becomes a port of ``master``."""
    port: str
    master: str
    master_kind: LinkKind | None = None  # what the command implies the master is (brctl: a bridge)


@dataclass(frozen=True)
class Release(Effect):
    port: str


@dataclass(frozen=True)
class SetPortOptions(Effect):
    port: str
    master_kind: LinkKind  # whose port options (bridge_slave, bond_slave, team port)
    options: dict


@dataclass(frozen=True)
class AddAddress(Effect):
    name: str
    cidr: str


@dataclass(frozen=True)
class DeleteAddress(Effect):
    name: str
    cidr: str


@dataclass(frozen=True)
class FlushAddresses(Effect):
    name: str


@dataclass(frozen=True)
class AddNetns(Effect):
    name: str


@dataclass(frozen=True)
class DeleteNetns(Effect):
    name: str


@dataclass(frozen=True)
class AddRoute(Effect):
    """``ip route add/replace``: the route (its netns is the effect's)."""

    route: Route


@dataclass(frozen=True)
class DeleteRoute(Effect):
    route: Route


@dataclass(frozen=True)
class AddRule(Effect):
    rule: Rule


@dataclass(frozen=True)
class DeleteRule(Effect):
    rule: Rule


@dataclass(frozen=True)
class AddNeighbour(Effect):
    """``ip neigh add/replace`` or ``arp -s``: a permanent entry.

    ``routed``: the command names no device (``arp -s`` without ``-i``), which
    is the one the route to the address goes out of; the neighbour's ``dev``
    is empty until the script's end state says which that is.
    """

    neighbour: Neighbour
    routed: bool = False


@dataclass(frozen=True)
class DeleteNeighbour(Effect):
    """``ip neigh del`` or ``arp -d`` (``routed`` as for :class:`AddNeighbour`)."""

    neighbour: Neighbour
    routed: bool = False


@dataclass(frozen=True)
class SetSysctl(Effect):
    """``sysctl -w KEY=VALUE`` or ``echo VALUE > /proc/sys/net/...``."""

    sysctl: Sysctl


@dataclass(frozen=True)
class Unexpressible(Effect):
    """Something the IR has no place for (a route, an fdb entry, a query...)."""

    reason: str


@dataclass(frozen=True)
class NoEffect(Effect):
    """A command that changes nothing the IR describes (a query, a display)."""

    what: str = ""


def located(effects, line, netns: str | None = None) -> list[Effect]:
    """The effects with the command's span (and namespace) filled in."""
    import dataclasses

    return [dataclasses.replace(e, start=line.start, end=line.end, netns=netns if netns is not None else e.netns) for e in effects]
