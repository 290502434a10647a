"""How a link kind is described: its settings, its ports, how `ip` spells it.

Each kind lives in a module of its own that defines an options dataclass (and
a port options dataclass for masters) whose fields are declared with
:func:`option`, plus one :class:`KindSpec`. Everything that walks settings
generically (the DSL reader and printer, validation, the bash and netlink
backends, read-back comparison) reads this metadata, so adding a setting is
one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from typing import Any

from ..ir.model import LinkKind
from ..ir.values import Codec, Int, MACAddress
from ..netlink.attrs import Attr

# Settings every link has; the IR keeps them as fields of Link.
COMMON_SETTINGS = {
    "mtu": Int(68, 65535),
    "mac": MACAddress(),
    "txqueuelen": Int(0, 2**32 - 1),
}


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of a kind, as :func:`option` declares it (see there for each field)."""

    codec: Codec
    key: str | None = None
    ip: str | None = None
    kernel: str | None = None
    kernel_v6: str | None = None
    netlink: Attr | None = None
    create_only: bool = False
    modes: tuple[str, ...] | None = None
    selected_by: str = "mode"
    default: Any = None
    help: str = ""


def setting_of(f: Field) -> Setting | None:
    """The setting an options dataclass field declares (None: a field that is not one)."""
    return f.metadata.get("setting")


def option(
    codec: Codec,
    *,
    key: str | None = None,
    ip: str | None = None,
    kernel: str | None = None,
    kernel_v6: str | None = None,
    netlink: Attr | None = None,
    create_only: bool = False,
    modes: tuple[str, ...] | None = None,
    selected_by: str = "mode",
    default: Any = None,
    help: str = "",
) -> Any:
    """Declare one setting of a kind.

    key:         the DSL word, as iproute2 names it (defaults to the field name)
    ip:          the word `ip link` uses, when it differs from the key
                 (for teams: the dotted path in teamd.conf JSON)
    kernel:      the key in `ip -d -j link` info_data (None: not read back)
    kernel_v6:   the key there when the value is an IPv6 address (a tunnel's remote6)
    netlink:     the rtnetlink attribute in IFLA_INFO_DATA (None: the kind's own
                 encode_netlink / decode_netlink handle it, or it is not sent)
    create_only: the kernel only takes it when the link is created (or down
                 with no ports), so a change means re-creating the link
    modes:       the values of the setting ``selected_by`` under which the
                 option means anything: a bond's modes, a team's runners or
                 link watchers (None: always)
    selected_by: the setting that selects (``mode``, ``runner``, ``link_watch``)
    default:     what the kernel (or teamd) uses when the option is not given
                 (None: no fixed default, e.g. it follows another setting)
    """
    setting = Setting(codec, key, ip, kernel, kernel_v6, netlink, create_only, modes, selected_by, default, help)
    return field(default=None, metadata={"setting": setting})


def attributes(cls) -> dict:
    """Field name -> its rtnetlink attribute, for the fields of an options dataclass that have one."""
    if cls is None:
        return {}
    return {f.name: s.netlink for f in fields(cls) if (s := setting_of(f)) is not None and s.netlink is not None}


def same_as_lower(options, lower: int | None, ports) -> int | None:
    """The MTU of a link stacked on another: its lower link's (vlan, macvlan, ipvlan)."""
    return lower


def settings(cls) -> dict:
    """DSL key -> (field name, metadata) for an options dataclass."""
    out = {}
    for f in fields(cls):
        setting = setting_of(f)
        if setting is not None:
            out[setting.key or f.name] = (f.name, setting)
    return out


def defaults(cls) -> dict:
    """Field name -> the kernel's default, for the fields of an options dataclass that have one."""
    if cls is None:
        return {}
    return {f.name: s.default for f in fields(cls) if (s := setting_of(f)) is not None and s.default is not None}


def effective(options, cls, name: str):
    """The value of setting ``name``: as given, else the kernel's default (None when it has none)."""
    value = getattr(options, name, None) if options is not None else None
    if value is None and cls is not None:
        value = defaults(cls).get(name)
    return value


def applies(meta: Setting, options, cls) -> bool:
    """Does an option mean anything under the mode, runner or link watcher ``options`` select?"""
    return not meta.modes or effective(options, cls, meta.selected_by) in meta.modes


@dataclass(frozen=True)
class Networkd:
    """How systemd-networkd says a kind and its settings (systemd.netdev(5), systemd.network(5),
    as Debian 12's systemd 252 reads them)."""

    kind: str  # [NetDev] Kind=
    section: str | None = None  # the .netdev section holding its settings ([Bridge], [Bond]...)
    keys: dict[str, str] = field(default_factory=dict)  # setting (field name) -> key in that section
    words: dict[str, dict[str, str]] = field(default_factory=dict)  # setting -> {our word: networkd's}
    parent_key: str | None = None  # the key in its lower link's .network [Network] (VLAN=, VXLAN=)
    independent: bool = False  # with no lower link it is made on its own (Independent=yes)
    port_key: str | None = None  # the key in a port's .network [Network] naming it (Bridge=, Bond=)
    port_section: str | None = None  # the section of a port's .network holding port settings
    port_keys: dict[str, str] = field(default_factory=dict)
    inverted: frozenset[str] = frozenset()  # on/off settings networkd states the other way round
    port_flags: dict[str, str] = field(default_factory=dict)  # a setting naming a port -> its key there


@dataclass(frozen=True)
class Netplan:
    """How netplan (netplan(5), Debian 12's 0.106) says a kind and its settings."""

    section: str  # the device type under `network:` (bridges, bonds, vlans, tunnels, vrfs)
    mode: str | None = None  # tunnels: `mode:`
    keys: dict[str, str] = field(default_factory=dict)  # setting (field name) -> key
    parameters: bool = False  # the keys live under `parameters:` (bridges, bonds)
    parent_key: str | None = None  # the key naming its lower link (`link:`)
    port_keys: dict[str, str] = field(default_factory=dict)  # port setting -> per-port map in `parameters:`
    words: dict[str, dict[str, str]] = field(default_factory=dict)
    required: tuple[str, ...] = ()  # settings netplan insists on, beyond the kernel's


@dataclass(frozen=True)
class KindSpec:
    kind: LinkKind
    options: type | None = None
    port_options: type | None = None
    ip_type: str | None = None  # `ip link add NAME type X`; None: not made by `ip link add`
    slave_type: str | None = None  # `ip link set PORT type X_slave ...`
    parent: str | None = None  # "required" / "optional" / None
    parent_key: str = "link"  # the DSL/ip word naming the lower device
    creatable: bool = True
    required: tuple[str, ...] = ()  # settings without which the kernel refuses
    link_layer_address: bool = True  # False: no MAC to set (a tun is ARPHRD_NONE)
    ethernet_ports: bool = False  # its ports must be ethernet links (a bridge's)
    # the settings that tell its links apart in a namespace (a tunnel's endpoints): the kernel
    # refuses a second link of the kind with the same values
    identity: tuple[str, ...] = ()
    # the link its module makes in every namespace once loaded (net.core.fb_tunnels_only_for_init_net=0),
    # whose identity is none of those settings set: one without them would be a second of it
    fallback_device: str | None = None
    # The other words `ip link ... type X` takes (word -> how many values follow), which a
    # spec has no place for: a reader leaves them out rather than calling them unknown.
    ip_other: dict = field(default_factory=dict)
    port_ip_other: dict = field(default_factory=dict)  # the same for `type X_slave`
    ip_aliases: dict = field(default_factory=dict)  # another word ip takes for a setting -> the setting's word
    # The kind's own rules, beyond each value's range: check(link) yields a Diagnostic
    # for each problem (validation runs them), through netscript.findings for a code
    # that other rules report too.
    checks: tuple = ()
    help: str = ""
    extra: dict = field(default_factory=dict)

    # -- rtnetlink (each setting's own attribute is its option's ``netlink``)
    info_kind: str | None = None  # IFLA_INFO_KIND, when it is not ip_type (tun and tap: "tun")
    # the IFLA_INFO_DATA attribute that names the lower link (a vxlan's dev); None: IFLA_LINK
    parent_attr: Attr | None = None
    # Settings no single attribute carries (a VLAN's flag bits, an address that is v4 or v6):
    # encode_netlink(values, index_of) -> [(attribute name, value)], decode_netlink(data,
    # name_of) -> {field: value}, over the attributes listed in netlink_attrs.
    netlink_attrs: tuple[Attr, ...] = ()
    encode_netlink: Callable | None = None
    decode_netlink: Callable | None = None
    port_netlink_attrs: tuple[Attr, ...] = ()
    decode_port_netlink: Callable | None = None
    matches: Callable | None = None  # (info_data) -> bool, for kinds that share an IFLA_INFO_KIND
    in_use: Callable | None = None  # (info_data, carrier) -> whether a process holds it open
    create_with: dict = field(default_factory=dict)  # settings `ip link add` always sends
    transient: tuple[str, ...] = ()  # settings whose read-back can be a passing state

    # -- what the kernel gives a new link of this kind
    # (options, lower link's MTU or None, ports' MTUs) -> the MTU the kernel picks
    default_mtu: Callable = field(default=lambda options, lower, ports: 1500)
    default_txqueuelen: int = 1000
    bridge_port_cost: int = 100  # a bridge's cost for it as a port (from its speed): 100 when unknown

    # how systemd-networkd makes it (None: it cannot; render --to networkd says so)
    networkd: Networkd | None = None
    netplan: Netplan | None = None  # None: netplan cannot make it

    # `ip link add NAME ...` words that make one with nothing else (None: `type IP_TYPE`),
    # to see whether this kernel has the kind; a kind with a required parent gets a lower link
    probe: tuple[str, ...] | None = None

    @property
    def is_master(self) -> bool:
        return self.port_options is not None

    @property
    def netlink_kind(self) -> str | None:
        """IFLA_INFO_KIND of links of this kind."""
        return self.info_kind or self.ip_type

    @property
    def stacked(self) -> bool:
        """Whether the kernel names its lower link in IFLA_LINK (vlan, macvlan, ipvlan)."""
        return self.parent is not None and self.parent_attr is None

    def probe_words(self) -> tuple[str, ...]:
        return self.probe if self.probe is not None else ("type", self.ip_type or self.kind.value)

    def default(self, name: str):
        """The kernel's default for setting ``name`` (a field name) of this kind, or None."""
        return defaults(self.options).get(name)

    def effective(self, options, name: str):
        """Setting ``name`` of a link of this kind: as given, else the kernel's default."""
        return effective(options, self.options, name)

    def chosen(self, options):
        """``options`` without what the kernel would pick by itself: defaults, and settings
        the selected mode, runner or link watcher does not use (None when nothing is left)."""
        return _chosen(options, self.options)

    def chosen_port(self, options):
        """The same for this master's port options."""
        return _chosen(options, self.port_options)


def _chosen(options, cls):
    if options is None:
        return None
    default = defaults(cls)
    values = {}
    for f in fields(options):
        value = getattr(options, f.name)
        setting = setting_of(f)
        if value is None or setting is None or default.get(f.name) == value or not applies(setting, options, cls):
            continue
        values[f.name] = value
    return type(options)(**values) if values else None
