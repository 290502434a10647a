"""The IR of a namespace's layer 3 beyond addresses: routes, policy rules, static neighbours and sysctls.

Each is a frozen, slotted, keyword-only dataclass like the links in
:mod:`.model`, carrying its source span outside equality. Values are kept in
their canonical form (``10.0.0.0/8``, never ``10.0.0.1/8``; table and
protocol numbers), so two routes the kernel holds as one compare equal.

The names ``ip`` gives tables, scopes, protocols and route types are here and
nowhere else: the DSL and legacy readers, the printers, the kernel reader and
the netlink writer all look them up in these tables.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..diagnostics import Span

# /etc/iproute2/rt_tables' reserved names; other tables are numbers (or a VRF's).
TABLES = {"default": 253, "main": 254, "local": 255}
MAIN_TABLE = TABLES["main"]
TABLE_NAMES = {number: name for name, number in TABLES.items()}

# rtnetlink's scopes (rt_scope_t), by `ip route`'s names.
SCOPES = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}
SCOPE_NAMES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}

# Route protocols (rtnetlink.h, /etc/iproute2/rt_protos) by `ip route`'s names.
PROTOCOLS = {
    "unspec": 0, "redirect": 1, "kernel": 2, "boot": 3, "static": 4, "gated": 8, "ra": 9, "mrt": 10, "zebra": 11,
    "bird": 12, "dnrouted": 13, "xorp": 14, "ntk": 15, "dhcp": 16, "keepalived": 18, "babel": 42, "bgp": 186,
    "isis": 187, "ospf": 188, "rip": 189, "eigrp": 192,
}  # fmt: skip
PROTOCOL_NAMES = {number: name for name, number in PROTOCOLS.items()}
# What netscript marks its routes with: `ip route add` alone says "boot", which
# also means "whoever booted the box"; "static" is what a configuration tool says.
DEFAULT_PROTOCOL = PROTOCOLS["static"]
# Routes the kernel or a daemon made: export leaves them out and --prune never removes them.
FOREIGN_PROTOCOLS = frozenset({PROTOCOLS["kernel"], PROTOCOLS["redirect"], PROTOCOLS["ra"], PROTOCOLS["dhcp"]})


class RouteType(enum.Enum):
    """A route's type, with its rtnetlink number (RTN_*)."""

    UNICAST = "unicast"
    BLACKHOLE = "blackhole"
    UNREACHABLE = "unreachable"
    PROHIBIT = "prohibit"

    @property
    def number(self) -> int:
        return _RTN[self]

    @classmethod
    def of_number(cls, number: int) -> RouteType | None:
        return next((t for t, n in _RTN.items() if n == number), None)


_RTN = {RouteType.UNICAST: 1, RouteType.BLACKHOLE: 6, RouteType.UNREACHABLE: 7, RouteType.PROHIBIT: 8}


@dataclass(frozen=True, slots=True, kw_only=True)
class Nexthop:
    """Where a route sends packets: a gateway, a device, or both (and a weight in a multipath route)."""

    via: str | None = None  # the gateway's address
    dev: str | None = None  # the device's name, in the route's namespace
    weight: int | None = None  # 1-256, multipath only
    onlink: bool = False  # the gateway is on the device even without a matching prefix


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """One route: ``dst`` is ``default`` or a network (``10.0.0.0/8``, ``2001:db8::/32``).

    ``table`` is a number, or a VRF's name, resolved to its table when the
    spec is placed. The kernel tells routes apart by :attr:`identity`: adding
    a route with the same one replaces it.
    """

    dst: str
    family: int  # 4 or 6
    type: RouteType = RouteType.UNICAST
    nexthops: tuple[Nexthop, ...] = ()  # one for a plain route, several for multipath, none for blackhole
    table: int | str = MAIN_TABLE
    metric: int | None = None
    src: str | None = None
    scope: int | None = None
    mtu: int | None = None
    protocol: int | None = None  # None: netscript's default (static), not compared
    netns: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)
    setting_spans: tuple[tuple[str, Span], ...] = field(default=(), compare=False, repr=False)

    @property
    def identity(self) -> tuple:
        return (self.netns, self.family, self.table, self.dst, self.metric or 0)

    @property
    def devices(self) -> tuple[str, ...]:
        return tuple(nh.dev for nh in self.nexthops if nh.dev is not None)

    @property
    def is_default(self) -> bool:
        return self.dst == "default"

    def setting_span(self, key: str) -> Span | None:
        return dict(self.setting_spans).get(key, self.span)


class RuleAction(enum.Enum):
    """What a policy rule does with a packet it matches (FR_ACT_*)."""

    LOOKUP = "lookup"
    BLACKHOLE = "blackhole"
    UNREACHABLE = "unreachable"
    PROHIBIT = "prohibit"

    @property
    def number(self) -> int:
        return _FR_ACT[self]

    @classmethod
    def of_number(cls, number: int) -> RuleAction | None:
        return next((a for a, n in _FR_ACT.items() if n == number), None)


_FR_ACT = {RuleAction.LOOKUP: 1, RuleAction.BLACKHOLE: 6, RuleAction.UNREACHABLE: 7, RuleAction.PROHIBIT: 8}


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One policy routing rule (``ip rule``): selectors, then the table to look up (or an action)."""

    family: int  # 4 or 6
    priority: int | None = None  # None: the kernel picks one below the last rule's
    src: str | None = None  # `from`, a network
    dst: str | None = None  # `to`, a network
    iif: str | None = None
    oif: str | None = None
    fwmark: int | None = None
    fwmask: int | None = None
    action: RuleAction = RuleAction.LOOKUP
    table: int | str = MAIN_TABLE  # a number or a VRF's name, as for routes
    netns: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)
    setting_spans: tuple[tuple[str, Span], ...] = field(default=(), compare=False, repr=False)

    @property
    def identity(self) -> tuple:
        return (self.netns, self.family, self.priority, self.src, self.dst, self.iif, self.oif, self.fwmark,
                self.fwmask, self.action, self.table)  # fmt: skip

    def setting_span(self, key: str) -> Span | None:
        return dict(self.setting_spans).get(key, self.span)


@dataclass(frozen=True, slots=True, kw_only=True)
class Neighbour:
    """One static neighbour entry (``ip neigh replace ADDR lladdr MAC dev LINK nud permanent``).

    An ARP entry for an IPv4 address, an NDP one for IPv6. netscript makes
    permanent entries only (``nud permanent``, what ``arp -s`` makes): the
    kernel never ages them out nor asks the wire about them. The kernel tells
    entries apart by :attr:`identity`: a second one replaces the first.
    """

    address: str  # canonical IP address
    lladdr: str  # canonical MAC address (lower case, two digits an octet)
    dev: str  # the link, in the entry's namespace
    netns: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)
    setting_spans: tuple[tuple[str, Span], ...] = field(default=(), compare=False, repr=False)

    @property
    def family(self) -> int:
        return 6 if ":" in self.address else 4

    @property
    def identity(self) -> tuple:
        return (self.netns, self.dev, self.address)

    def setting_span(self, key: str) -> Span | None:
        return dict(self.setting_spans).get(key, self.span)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sysctl:
    """One kernel setting under /proc/sys/net, in one namespace.

    ``path`` is the file's path under /proc/sys (``("net", "ipv4", "ip_forward")``);
    a per-interface one names its link (``("net", "ipv6", "conf", "eth0.100",
    "accept_ra")``, ``link="eth0.100"``), whose name may hold dots, which is why
    the path is kept in parts rather than as sysctl(8)'s dotted key.
    """

    path: tuple[str, ...]
    value: str
    link: str | None = None
    netns: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """sysctl(8)'s name: parts joined with dots, a dot inside a part written as '/'."""
        return ".".join(part.replace(".", "/") for part in self.path)

    @property
    def proc_path(self) -> str:
        return "/proc/sys/" + "/".join(self.path)

    @property
    def identity(self) -> tuple:
        return (self.netns, self.path)
