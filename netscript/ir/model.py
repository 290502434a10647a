"""The IR: what a host's virtual network should look like.

Every frontend (DSL, legacy shell, documentation, live kernel) produces a
:class:`Program`; validation, planning and every backend consume it.

Nodes are frozen, slotted, keyword-only dataclasses. Each carries its source
span, excluded from equality, so two programs compare equal whatever file they
came from. Constructors do no checking: :mod:`netscript.validate` does, and
reports every problem at once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

from ..diagnostics import Span

if TYPE_CHECKING:
    from ..kinds.spec import Setting
    from .routing import Neighbour, Route, Rule, Sysctl  # in annotations only: a spec without routes never loads them


class LinkKind:
    """A kind of link, named by its DSL word (``LinkKind("bridge")``).

    The set is open: the module of each kind under :mod:`netscript.kinds` defines
    its own with :meth:`define`, so a new kind touches no file but its own and
    the registry. There is one object per word, so kinds compare with ``is``;
    an unknown word is a ValueError, as with an enum.
    """

    __slots__ = ("value",)
    _known: ClassVar[dict[str, LinkKind]] = {}
    value: str

    PHYSICAL: ClassVar[LinkKind]
    BRIDGE: ClassVar[LinkKind]
    BOND: ClassVar[LinkKind]
    TEAM: ClassVar[LinkKind]
    VLAN: ClassVar[LinkKind]
    MACVLAN: ClassVar[LinkKind]
    MACVTAP: ClassVar[LinkKind]
    IPVLAN: ClassVar[LinkKind]
    VETH: ClassVar[LinkKind]
    TAP: ClassVar[LinkKind]
    TUN: ClassVar[LinkKind]
    DUMMY: ClassVar[LinkKind]
    VXLAN: ClassVar[LinkKind]
    VRF: ClassVar[LinkKind]

    def __new__(cls, value: str) -> LinkKind:
        try:
            return cls._known[value]
        except (KeyError, TypeError):
            raise ValueError(f"{value!r} is not a link kind") from None

    @classmethod
    def define(cls, value: str) -> LinkKind:
        """The kind named ``value``, made on first use."""
        if value not in cls._known:
            kind = object.__new__(cls)
            kind.value = value
            cls._known[value] = kind
        return cls._known[value]

    def __repr__(self) -> str:
        return f"LinkKind({self.value!r})"

    def __reduce__(self):
        return (LinkKind, (self.value,))

    def __copy__(self) -> LinkKind:
        return self

    def __deepcopy__(self, memo) -> LinkKind:
        return self

    def __lt__(self, other: LinkKind) -> bool:
        return self.value < other.value


# The kinds code elsewhere names; the others exist once their kind module is imported.
for _word in (
    "physical", "bridge", "bond", "team", "vlan", "macvlan", "macvtap", "ipvlan", "veth", "tap", "tun", "dummy",
    "vxlan", "vrf",
):
    setattr(LinkKind, _word.upper(), LinkKind.define(_word))


class AdminState(enum.Enum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True, kw_only=True)
class Ref:
    """A reference to a link by name; ``netns`` is None when written without ``@ns``.

    ``default_netns``: written ``name@.``, the link in the namespace the spec's
    unqualified links are in, even for a link in another namespace (where a
    bare name is looked up in the link's own namespace first).
    """

    name: str
    netns: str | None = None
    default_netns: bool = False
    span: Span | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        if self.default_netns and self.netns is None:
            return f"{self.name}@."
        return f"{self.name}@{self.netns}" if self.netns else self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """An IPv4 or IPv6 interface address with prefix length, as written (``192.0.2.1/24``)."""

    cidr: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Port:
    """Membership of a link in a bridge, bond or team, with per-port options."""

    name: str
    options: object | None = None  # the master kind's port options dataclass
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    name: str
    kind: LinkKind
    netns: str | None = None  # None: the namespace the script or apply runs in
    parent: Ref | None = None  # lower device (vlan, macvlan, ipvlan, macvtap, vxlan)
    options: object | None = None  # the kind's options dataclass
    ports: tuple[Port, ...] = ()
    addresses: tuple[Address, ...] = ()
    mtu: int | None = None
    mac: str | None = None
    txqueuelen: int | None = None
    state: AdminState | None = None  # None: leave the admin state alone
    peer: Link | None = None  # the other end of a veth pair
    span: Span | None = field(default=None, compare=False, repr=False)
    # Where each setting was written, so validation can point at the value itself.
    setting_spans: tuple[tuple[str, Span], ...] = field(default=(), compare=False, repr=False)

    def setting_span(self, key: str) -> Span | None:
        for k, s in self.setting_spans:
            if k == key:
                return s
        return self.span

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.netns, self.name)


DEFAULT_LOOPBACK = AdminState.UP  # lo in a namespace netscript adds: up, as a host's is at boot


@dataclass(frozen=True, slots=True, kw_only=True)
class Namespace:
    """A namespace the spec declares (and so owns: netscript adds it, and a teardown deletes it).

    ``loopback``: the state ``lo`` gets when netscript adds the namespace. Up, as
    a host's is at boot, unless the spec says ``netns NAME loopback down``.
    """

    name: str
    loopback: AdminState = DEFAULT_LOOPBACK
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Opaque:
    """Something a frontend saw but could not express in the IR (kept, with a warning)."""

    text: str
    reason: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Program:
    namespaces: tuple[Namespace, ...] = ()
    links: tuple[Link, ...] = ()
    opaque: tuple[Opaque, ...] = ()
    # Namespaces the spec uses but does not own: they must exist, and are never
    # created or deleted (`--netns NS` puts the unqualified links there).
    external_netns: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()
    rules: tuple[Rule, ...] = ()
    sysctls: tuple[Sysctl, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    path: str | None = field(default=None, compare=False)
    # A spec describes the namespaces it declares whole; the end state of a script or a
    # document's snippets does not (a DHCP client, an earlier snippet may have added more).
    whole_namespaces: bool = field(default=True, compare=False)

    @property
    def has_routing(self) -> bool:
        """Whether the spec states routes, rules, sysctls or neighbours (else none of their code is loaded)."""
        return bool(self.routes or self.rules or self.sysctls or self.neighbours)

    def all_links(self):
        """Links including veth peers, in declaration order."""
        for link in self.links:
            yield link
            if link.peer is not None:
                yield link.peer


def option_items(options) -> list[tuple[str, Any, Setting]]:
    """The settings an options dataclass has set: (dsl key, value, its declaration)."""
    if options is None:
        return []
    out = []
    for f in fields(options):
        value = getattr(options, f.name)
        setting = f.metadata.get("setting")
        if value is not None and setting is not None:
            out.append((setting.key or f.name, value, setting))
    return out
